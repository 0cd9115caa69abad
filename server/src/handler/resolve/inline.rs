//! Inline code (`InlineCode`, `Code.ZipFile`).

use super::*;

/// Inline code (SAM `InlineCode`, CloudFormation `Code.ZipFile`) is deployed as `index.py` or
/// `index.js` (CommonJS, no `package.json`): checked like a file, with findings on the `Handler`.
pub(super) fn resolve_inline(f: &FunctionConfig, text: &str, handler: &str) -> Option<Resolution> {
    let runtime = f.runtime_id()?;
    let (family, lang, ext) = if runtime.starts_with("python") {
        (Family::Python, Lang::Python, "py")
    } else if runtime.starts_with("nodejs") {
        (Family::Node, Lang::JavaScript, "js")
    } else {
        return None;
    };
    let mut res = Resolution {
        family: Some(family),
        lang: Some(lang),
        ..Resolution::default()
    };
    let (module, name) = match family {
        Family::Python => handler.rsplit_once('.')?,
        _ => handler.split_once('.')?,
    };
    if module != "index" {
        let mut p = Problem::new(
            &FILE_NOT_FOUND,
            At::Handler,
            format!(
                "inline code is deployed as `index.{ext}`, so the handler must be `index.{name}`, not \
                 `{handler}`"
            ),
        );
        p.changes.push(Change::Handler(format!("index.{name}")));
        res.problems.push(p);
        return Some(res);
    }
    let facts = Arc::new(code::extract(lang, text));
    let top = |n: &str| {
        facts
            .defs
            .iter()
            .find(|d| d.scope.is_empty() && d.name == n)
    };
    let first = name.split('.').next().unwrap_or(name);
    let Some(def) = top(first).cloned() else {
        let unknown = match family {
            Family::Python => facts.star_import,
            _ => facts.js.opaque,
        };
        if !unknown && !facts.has_errors {
            let names: Vec<&str> = facts
                .defs
                .iter()
                .filter(|d| d.scope.is_empty() && d.is_callable())
                .map(|d| d.name.as_str())
                .collect();
            let mut p = Problem::new(
                &SYMBOL_NOT_FOUND,
                At::Handler,
                format!("the inline code does not define `{first}`"),
            );
            if let Some(best) = crate::suggest::closest(first, names.iter().copied(), 1).first() {
                p.message
                    .push_str(&format!("; did you mean `index.{best}`?"));
                p.changes.push(Change::Handler(format!("index.{best}")));
            }
            res.problems.push(p);
        }
        return Some(res);
    };
    match family {
        Family::Python if def.kind == DefKind::Function && !def.decorated => {
            if def.is_async {
                res.problems.push(Problem::new(
                    &PYTHON_ASYNC,
                    At::Handler,
                    format!(
                        "`{first}` in the inline code is `async def`: the Python runtime never awaits it, so \
                         every invocation fails with `Runtime.MarshalError`"
                    ),
                ));
            }
            if let Some(problem) = def.params.as_deref().and_then(pycode::arity_problem) {
                res.problems.push(Problem::new(
                    &PYTHON_SIGNATURE,
                    At::Handler,
                    format!("`{first}` in the inline code cannot be called as `{first}(event, context)`: {problem}"),
                ));
            }
        }
        Family::Node => {
            let version = node_version(Some(runtime));
            if let Some(params) = def.params.as_deref().filter(|_| !def.streaming) {
                let length = js::length(params);
                if length >= 3 {
                    let fails = version.is_some_and(|v| v >= 24);
                    let mut p = Problem::new(
                        &NODE_CALLBACK,
                        At::Handler,
                        format!(
                            "`{first}` in the inline code takes a callback ({length} parameters): nodejs24.x \
                             refuses callback handlers at init; return the result (or a promise) instead"
                        ),
                    );
                    if !fails {
                        p = p.severity(Severity::Warning);
                    }
                    res.problems.push(p);
                }
            }
            if !facts.js.esm.is_empty() {
                let detected = version.is_none_or(|v| v >= 20) && facts.js.cjs.is_empty();
                let mut p = Problem::new(
                    &NODE_MODULE_SYSTEM,
                    At::Handler,
                    format!(
                        "the inline code uses ES module syntax (`import`/`export`) but is deployed as `index.js`, \
                         a CommonJS file{}",
                        if detected {
                            ": Node.js reloads it as an ES module at every cold start, with a warning in the logs"
                        } else if !facts.js.cjs.is_empty() && version.is_none_or(|v| v >= 20) {
                            ", and also CommonJS (`require`, `exports`): loaded as an ES module because of the \
                             former, it fails on the latter (`ReferenceError: exports is not defined in ES \
                             module scope`)"
                        } else {
                            ": it fails with `SyntaxError: Cannot use import statement outside a module`"
                        }
                    ),
                );
                if detected {
                    p = p.severity(Severity::Warning);
                }
                res.problems.push(p);
            }
        }
        _ => {}
    }
    res.def = Some(def);
    Some(res)
}
