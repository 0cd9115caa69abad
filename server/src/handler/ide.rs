//! Editor features around handlers: go to the code from a `Handler` value, find the functions that run a
//! code definition, complete `Handler` values from the code that exists, hover a `Handler`, and put
//! "▶ Invoke" lenses above the handlers a config references (and only those).

use super::candidates;
use super::index::functions_for_code;
use super::paths::shown;
use super::resolve::{self, Family};
use crate::function::model::{self, FunctionConfig};
use crate::ide::{CodeLens, CompletionItem, CompletionKind, Hover, Location};
use crate::invoke::lenses;
use crate::syntax::{Lang, ValueKind};
use crate::workspace::{Env, FileKind, Parsed};

fn is_config(file: &Parsed) -> bool {
    matches!(file.kind, FileKind::Template | FileKind::Serverless)
}

/// Functions whose `Handler` value is under `offset` (several when the value is a shared `Globals` one).
fn functions_at<'a>(file: &'a Parsed, offset: usize) -> Vec<FunctionConfig<'a>> {
    model::functions(file)
        .into_iter()
        .filter(|f| {
            f.handler
                .as_ref()
                .is_some_and(|h| on_value(file, h.node, offset))
        })
        .collect()
}

/// On the value, or (for an empty `Handler:`) anywhere after the key on its line.
fn on_value(file: &Parsed, node: &crate::syntax::Value, offset: usize) -> bool {
    if node.span.start <= offset && offset <= node.span.end {
        return true;
    }
    if matches!(node.kind, ValueKind::Null) && offset >= node.span.end {
        let between = file.text.get(node.span.end..offset).unwrap_or("\n");
        return !between.contains('\n') && between.trim().is_empty();
    }
    false
}

/// From a `Handler` value: the handler in code. From a handler's name in code: the function resources
/// that run it (the handler's "definition" as a Lambda function).
pub fn definition(file: &Parsed, offset: usize, env: &Env) -> Vec<Location> {
    if matches!(file.kind, FileKind::Code(_)) {
        return functions_for_code(&file.path, env)
            .into_iter()
            .filter(|u| u.name_span.start <= offset && offset <= u.name_span.end)
            .map(|u| Location {
                path: u.config,
                span: u.function_span,
            })
            .collect();
    }
    if !is_config(file) {
        return Vec::new();
    }
    let mut out: Vec<Location> = Vec::new();
    for f in functions_at(file, offset) {
        if let Some(r) = super::resolve_function(&f, env.files) {
            let loc = Location {
                path: r.path,
                span: r.name_span,
            };
            if !out.contains(&loc) {
                out.push(loc);
            }
        }
    }
    out
}

/// From a handler definition in code: the `Handler` values (or function keys) that run it.
pub fn references(file: &Parsed, offset: usize, env: &Env) -> Vec<Location> {
    if !matches!(file.kind, FileKind::Code(_)) {
        return Vec::new();
    }
    functions_for_code(&file.path, env)
        .into_iter()
        .filter(|u| u.name_span.start <= offset && offset <= u.name_span.end)
        .map(|u| Location {
            path: u.config,
            span: u.handler_span,
        })
        .collect()
}

pub fn completion(file: &Parsed, offset: usize, env: &Env) -> Vec<CompletionItem> {
    if !is_config(file) {
        return Vec::new();
    }
    let Some(f) = functions_at(file, offset).into_iter().next() else {
        return Vec::new();
    };
    let Some(node) = f.handler.as_ref().map(|h| h.node) else {
        return Vec::new();
    };
    let replace = match &node.kind {
        ValueKind::Null => offset..offset,
        ValueKind::Str(_) => match super::inner_span(node) {
            Some(s) => s,
            None => return Vec::new(),
        },
        // An intrinsic or a list: not a place for a handler name.
        _ => return Vec::new(),
    };
    let Some(p) = resolve::prepare_only(&f, env.files) else {
        return Vec::new();
    };
    candidates::handlers(&f, &p.project, &p.code_dir, p.family)
        .into_iter()
        .take(200)
        .enumerate()
        .map(|(i, c)| {
            let mut item =
                CompletionItem::new(c.handler.clone(), CompletionKind::Function, replace.clone());
            item.detail = Some(if c.def.signature.is_empty() {
                shown(&c.file, &p.base)
            } else {
                c.def.signature.clone()
            });
            item.documentation = Some(format!("Defined in `{}`", shown(&c.file, &p.base)));
            item.sort_text = Some(format!("{}{i:04}", u8::from(!c.fits)));
            item
        })
        .collect()
}

pub fn hover(file: &Parsed, offset: usize, env: &Env) -> Option<Hover> {
    if !is_config(file) {
        return None;
    }
    let f = functions_at(file, offset).into_iter().next()?;
    let handler = f.handler.as_ref()?;
    if !matches!(handler.node.kind, ValueKind::Str(_)) {
        return None;
    }
    let res = resolve::resolve(&f, env.files)?;
    let base = file.path.parent().unwrap_or(std::path::Path::new(""));
    let mut md = String::new();
    match (&res.file, &res.def) {
        (Some(path), Some(def)) => {
            let line = env.files.read(path).and_then(|t| {
                t.get(..def.name_span.start)
                    .map(|s| s.matches('\n').count() + 1)
            });
            md.push_str(&format!(
                "**Handler** `{}` → `{}`{}\n",
                handler.str().unwrap_or(""),
                shown(path, base),
                line.map(|l| format!(", line {l}")).unwrap_or_default()
            ));
            if !def.signature.is_empty() {
                md.push_str(&format!(
                    "\n```{}\n{}\n```\n",
                    fence(res.lang),
                    def.signature
                ));
            }
        }
        (Some(path), None) => {
            md.push_str(&format!(
                "**Handler** `{}` → `{}`\n",
                handler.str().unwrap_or(""),
                shown(path, base)
            ));
        }
        (None, Some(def)) => {
            md.push_str(&format!(
                "**Handler** `{}` → the function's inline code\n",
                handler.str().unwrap_or("")
            ));
            if !def.signature.is_empty() {
                md.push_str(&format!(
                    "\n```{}\n{}\n```\n",
                    fence(res.lang),
                    def.signature
                ));
            }
        }
        (None, None) => {
            md.push_str(&format!(
                "**Handler** `{}`: not resolved\n",
                handler.str().unwrap_or("")
            ));
        }
    }
    for p in &res.problems {
        md.push_str(&format!("\n⚠ {}\n", p.message));
    }
    if res.family == Some(Family::Go) {
        md.push_str(
            "\nFor Go the `Handler` is only the executable's name (`bootstrap`); the handler is the function \
             passed to `lambda.Start`.\n",
        );
    }
    Some(Hover {
        markdown: md,
        span: handler.span(),
    })
}

fn fence(lang: Option<Lang>) -> &'static str {
    match lang {
        Some(Lang::Python) => "python",
        Some(Lang::JavaScript) => "javascript",
        Some(Lang::TypeScript) | Some(Lang::Tsx) => "typescript",
        Some(Lang::Go) => "go",
        Some(Lang::Ruby) => "ruby",
        Some(Lang::Java) => "java",
        _ => "",
    }
}

/// "▶ Invoke" and "Invoke with event…" above each handler definition a config references.
pub fn code_lenses(file: &Parsed, env: &Env) -> Vec<CodeLens> {
    if !matches!(file.kind, FileKind::Code(_)) {
        return Vec::new();
    }
    let uses = functions_for_code(&file.path, env);
    let mut out = Vec::new();
    for u in &uses {
        let shared = uses.iter().filter(|o| o.name_span == u.name_span).count() > 1;
        let suffix = if shared {
            format!(" {}", u.function)
        } else {
            String::new()
        };
        let argument = lenses::argument(&u.config, &u.function);
        out.push(CodeLens {
            span: u.name_span.clone(),
            title: format!("▶ Invoke{suffix}"),
            command: lenses::INVOKE.into(),
            arguments: vec![argument.clone()],
        });
        out.push(CodeLens {
            span: u.name_span.clone(),
            title: format!("Invoke with event…{suffix}"),
            command: lenses::INVOKE_WITH_EVENT.into(),
            arguments: vec![argument],
        });
    }
    out
}
