//! Handler code: resolving a function's `Handler` to a file and a symbol, and checking that symbol.
//!
//! Interface used by the function checks and by invoke (keep these signatures stable):
//! * [`check_function`] reports handler problems of one function into the config file's findings;
//! * [`resolve_function`] finds the code a function runs, for navigation, lenses and invoke;
//! * [`functions_for_code`] answers the other way round: which configured functions run a code file.
//!
//! Per-language extraction lives in `code/` (tree-sitter queries in `grammars/<lang>/handlers.scm`), the
//! per-runtime resolution rules in `resolve.rs`, safe path handling in `paths.rs`, the project index in
//! `index.rs` and the editor features in `ide.rs`.

pub mod candidates;
pub mod code;
pub mod ide;
pub mod index;
pub mod paths;
pub mod resolve;
pub mod rules;
#[cfg(test)]
mod tests;

pub use index::{functions_for_code, CodeUse};
pub use rules::RULES;

use crate::function::model::FunctionConfig;
use crate::rules::{Edit, Finding, Fix};
use crate::text::Span;
use crate::workspace::FileSource;
use resolve::{At, Change, Problem};
use std::path::PathBuf;

/// Where a function's handler lives in code.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The code file.
    pub path: PathBuf,
    /// The handler's name in the code file (what go-to-definition selects).
    pub name_span: Span,
    /// The whole definition (function, method or exported binding).
    pub def_span: Span,
}

type Memo = std::collections::HashMap<(usize, String), Option<resolve::Resolution>>;

thread_local! {
    static MEMO: std::cell::RefCell<Option<Memo>> = const { std::cell::RefCell::new(None) };
}

/// Runs `work` (the analysis of one config file, on this thread) with handler resolutions remembered:
/// the handler checks and the least-privilege code reach ask for the same functions, and resolving walks
/// the file system. Outside such a scope nothing is remembered, so an editor always sees the files as
/// they are now.
pub fn with_resolutions_remembered<T>(work: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            MEMO.with(|m| *m.borrow_mut() = None);
        }
    }
    MEMO.with(|m| *m.borrow_mut() = Some(Memo::new()));
    let _reset = Reset;
    work()
}

fn resolved(function: &FunctionConfig, files: &dyn FileSource) -> Option<resolve::Resolution> {
    let key = (function.name_span.start, function.name.clone());
    if let Some(hit) = MEMO.with(|m| m.borrow().as_ref().and_then(|memo| memo.get(&key).cloned())) {
        return hit;
    }
    let res = resolve::resolve(function, files);
    MEMO.with(|m| {
        if let Some(memo) = m.borrow_mut().as_mut() {
            memo.insert(key, res.clone());
        }
    });
    res
}

/// Reports problems with `function`'s handler (missing file or symbol, bad signature, …) as findings in
/// the config file, with related locations in the code.
pub fn check_function(function: &FunctionConfig, files: &dyn FileSource, out: &mut Vec<Finding>) {
    let Some(res) = resolved(function, files) else {
        return;
    };
    for problem in res.problems {
        out.push(finding(function, problem));
    }
}

/// The handler's code location, when it can be resolved.
pub fn resolve_function(function: &FunctionConfig, files: &dyn FileSource) -> Option<Resolved> {
    let res = resolved(function, files)?;
    let path = res.file?;
    Some(match res.def {
        Some(def) => Resolved {
            path,
            name_span: def.name_span,
            def_span: def.def_span,
        },
        None => Resolved {
            path,
            name_span: 0..0,
            def_span: 0..0,
        },
    })
}

fn finding(f: &FunctionConfig, p: Problem) -> Finding {
    let field = match p.at {
        At::Handler => f.handler.as_ref(),
        At::Code => f.code.as_ref().or(f.handler.as_ref()),
    };
    let span = field.map_or(f.name_span.clone(), |fl| fl.span());
    let inherited = field.is_some_and(|fl| fl.inherited);
    let mut message = p.message;
    if inherited {
        // The value sits in `Globals`/`provider`, shared by several functions: say which one fails.
        message.push_str(&format!(" (function `{}`)", f.name));
    }
    let mut finding = Finding::new(p.rule, span, message);
    if let Some(s) = p.severity {
        finding = finding.with_severity(s);
    }
    for (path, span, msg) in p.related {
        finding = finding.with_related(Some(path), span, msg);
    }
    for change in p.changes {
        let fix = match change {
            Change::Handler(new) => f
                .handler
                .as_ref()
                .and_then(|h| inner_span(h.node))
                .map(|span| Fix::replace(format!("Change the handler to `{new}`"), span, new)),
            Change::Code(new) => f
                .code
                .as_ref()
                .and_then(|c| inner_span(c.node))
                .map(|span| Fix::replace(format!("Change `CodeUri` to `{new}`"), span, new)),
            Change::Insert {
                path,
                offset,
                text,
                title,
            } => Some(Fix {
                title,
                edits: vec![Edit {
                    path: Some(path),
                    span: offset..offset,
                    new_text: text,
                }],
                preferred: false,
            }),
        };
        if let Some(mut fix) = fix {
            fix.preferred = finding.fixes.is_empty() && fix.preferred;
            finding.fixes.push(fix);
        }
    }
    finding
}

/// The text of a plain or quoted scalar without its quotes; `None` for escapes or block scalars, whose
/// source text is not the value.
pub fn inner_span(node: &crate::syntax::Value) -> Option<Span> {
    let s = node.as_str()?;
    let span = node.span.clone();
    if span.len() == s.len() {
        Some(span)
    } else if span.len() == s.len() + 2 {
        Some(span.start + 1..span.end - 1)
    } else {
        None
    }
}
