//! Python (awslambdaric).

use super::*;

/// Python (awslambdaric): `module.function`, split at the last dot; `/` and `.` in the module are folder
/// separators; the module is `module.py` or `module/__init__.py`.
pub(super) fn resolve_python(cx: &Ctx, res: &mut Resolution) {
    let Some((module, function)) = cx.handler.rsplit_once('.') else {
        return;
    };
    if module.is_empty() || function.is_empty() {
        return;
    }
    if is_layer_wrapper(module) {
        return;
    }
    let top = module.split(['/', '.']).next().unwrap_or("");
    if PYTHON_BUILTIN_MODULES.contains(&top) {
        res.problems.push(Problem::new(
            &FILE_NOT_FOUND,
            At::Handler,
            format!(
                "`{top}` is a module built into Python: the runtime refuses it as a handler module \
                 (`Runtime.BuiltInModuleConflict`); rename `{top}.py`"
            ),
        ));
        return;
    }
    // Dots inside a segment are package separators; `..` segments stay, so an escape is seen as one.
    let rel = module
        .split('/')
        .map(|seg| {
            if seg == ".." || seg == "." {
                seg.to_string()
            } else {
                seg.replace('.', "/")
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let Some(stem) = cx.join(&rel, res) else {
        return;
    };
    if let Some(p) = shadowed_package(cx, &rel, module) {
        res.problems.push(p);
        return;
    }
    let candidates = [with_ext(&stem, "py"), stem.join("__init__.py")];
    let Some(file) = cx.first_file(&candidates, res) else {
        if !res.problems.iter().any(|p| p.rule.id == OUTSIDE_PROJECT.id) {
            cx.missing_file(&candidates[..1], Family::Python, res);
        }
        return;
    };
    res.file = Some(file.clone());
    res.lang = Some(Lang::Python);
    let Some(facts) = cx.facts(&file, Lang::Python) else {
        return;
    };
    res.facts = Some(facts.clone());
    let Some(def) = facts.top(function).cloned() else {
        if !facts.star_import && !facts.has_errors {
            cx.missing_symbol(
                format!("a module-level `{function}`"),
                &file,
                Family::Python,
                res,
            );
        }
        return;
    };
    if def.kind == DefKind::Function && !def.decorated {
        if def.is_async {
            res.problems.push(
                Problem::new(
                    &PYTHON_ASYNC,
                    At::Handler,
                    format!(
                        "`{function}` is `async def`: the Python runtime never awaits it, so every invocation \
                         fails with `Runtime.MarshalError`; make it a plain `def` that calls \
                         `asyncio.run(...)`"
                    ),
                )
                .related(&file, def.name_span.clone(), "defined here as `async def`"),
            );
        }
        if let Some(problem) = def.params.as_deref().and_then(pycode::arity_problem) {
            res.problems.push(
                Problem::new(
                    &PYTHON_SIGNATURE,
                    At::Handler,
                    format!(
                        "`{function}` cannot be called as `{function}(event, context)`: {problem}"
                    ),
                )
                .related(&file, def.name_span.clone(), "defined here"),
            );
        }
    }
    res.def = Some(def);
}

/// `sys.builtin_module_names` of the CPython builds in Lambda's Python runtimes (3.9 to 3.13, Linux),
/// without the private `_` modules no one names a file after. awslambdaric refuses these as handler
/// modules before importing anything.
const PYTHON_BUILTIN_MODULES: &[&str] = &[
    "atexit",
    "builtins",
    "errno",
    "faulthandler",
    "gc",
    "itertools",
    "marshal",
    "posix",
    "pwd",
    "sys",
    "time",
    "xxsubtype",
];

/// A folder on the module path that Python never enters because a module file of the same name wins
/// (`app.py` next to a folder `app/` without `__init__.py`): "No module named 'app.src'; 'app' is not a
/// package".
fn shadowed_package(cx: &Ctx, rel: &str, module: &str) -> Option<Problem> {
    let segs: Vec<&str> = rel.split('/').collect();
    let mut dir = cx.code_dir.to_path_buf();
    for seg in &segs[..segs.len().saturating_sub(1)] {
        if matches!(*seg, "." | ".." | "") {
            return None;
        }
        let pkg = dir.join(seg);
        let module_file = with_ext(&pkg, "py");
        let is_module = matches!(cx.project.file(&module_file), Lookup::Found(_));
        let is_regular_package =
            matches!(cx.project.file(&pkg.join("__init__.py")), Lookup::Found(_));
        if is_module && !is_regular_package && cx.project.dir(&pkg).path().is_some() {
            let dotted = module.replace('/', ".");
            return Some(Problem::new(
                &FILE_NOT_FOUND,
                At::Handler,
                format!(
                    "`{}` shadows the folder `{seg}/`: Python imports the module instead of the package and \
                     fails with \"No module named '{dotted}'; '{seg}' is not a package\"; rename one of them or \
                     add `{seg}/__init__.py`",
                    cx.shown(&module_file)
                ),
            ));
        }
        dir = pkg;
    }
    None
}
