//! Every handler value a function could use: what exists under its code folder, written the way its
//! runtime expects (`app.lambda_handler`, `src/index.handler`, `app.M::C.process`, `pkg.App::handleRequest`).
//! Feeds `Handler` completion and the "did you mean" of the not-found rules.

use super::code::{java as javacode, js, python, ruby, Def, DefKind, Facts};
use super::paths::{walk, Project};
use super::resolve::Family;
use crate::function::model::{FunctionConfig, Source};
use crate::syntax::Lang;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Candidate {
    pub handler: String,
    pub file: PathBuf,
    pub def: Def,
    /// Looks like a handler (right parameters): offered first.
    pub fits: bool,
}

/// Source files read for candidates, at most.
const MAX_FILES: usize = 300;

pub fn handlers(
    f: &FunctionConfig,
    project: &Project,
    code_dir: &Path,
    family: Family,
) -> Vec<Candidate> {
    let mut sources: Vec<(PathBuf, String)> = Vec::new();
    let typescript = f.build_method == Some("esbuild") || f.source == Source::Serverless;
    let wanted = |name: &str| -> bool {
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        match family {
            Family::Python => ext == "py",
            Family::Node => {
                matches!(ext, "js" | "mjs" | "cjs")
                    || typescript
                        && matches!(ext, "ts" | "mts" | "cts" | "tsx")
                        && !name.ends_with(".d.ts")
            }
            Family::Ruby => ext == "rb",
            Family::Java => ext == "java",
            Family::Go => ext == "go" && !name.ends_with("_test.go"),
            Family::Rust | Family::DotNet => false,
        }
    };
    let depth = if family == Family::Java { 12 } else { 4 };
    walk(project, code_dir, depth, &mut 5000, &mut |p, name| {
        let test = name.contains(".test.") || name.contains(".spec.") || name.starts_with("test_");
        if wanted(name) && !test {
            let rel = p
                .strip_prefix(code_dir)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            sources.push((p.to_path_buf(), rel));
        }
        sources.len() < MAX_FILES
    });
    let mut out = Vec::new();
    if matches!(family, Family::Go | Family::Rust) {
        if let Some((p, _)) = sources.first() {
            out.push(Candidate {
                handler: "bootstrap".into(),
                file: p.clone(),
                def: Def::new("bootstrap".into(), DefKind::Function, 0..0, 0..0),
                fits: true,
            });
        }
        return out;
    }
    for (path, rel) in sources {
        let Some(lang) = Lang::from_path(&path) else {
            continue;
        };
        let Some(text) = project.read(&path) else {
            continue;
        };
        let facts = super::code::facts_of(&path, lang, &text);
        let module = rel.rsplit_once('.').map_or(rel.as_str(), |(m, _)| m);
        collect(family, &path, module, &facts, &mut out);
    }
    out.sort_by(|a, b| (!a.fits, &a.handler).cmp(&(!b.fits, &b.handler)));
    out.dedup_by(|a, b| a.handler == b.handler);
    out
}

fn collect(
    family: Family,
    path: &Path,
    module: &str,
    facts: &Arc<Facts>,
    out: &mut Vec<Candidate>,
) {
    let mut push = |handler: String, def: &Def, fits: bool| {
        out.push(Candidate {
            handler,
            file: path.to_path_buf(),
            def: def.clone(),
            fits,
        })
    };
    match family {
        Family::Python => {
            let module = module.strip_suffix("/__init__").unwrap_or(module);
            if module == "__init__" {
                return;
            }
            for d in facts.defs.iter().filter(|d| d.kind == DefKind::Function) {
                if d.name.starts_with('_') {
                    continue;
                }
                let fits = !d.is_async
                    && d.params
                        .as_deref()
                        .is_some_and(|p| python::arity_problem(p).is_none());
                push(format!("{module}.{}", d.name), d, fits);
            }
        }
        Family::Node => {
            for d in facts.defs.iter().filter(|d| d.scope.is_empty()) {
                if d.name == "default" || d.kind == DefKind::Class {
                    continue;
                }
                let fits = d.streaming
                    || d.params
                        .as_deref()
                        .is_some_and(|p| (1..=2).contains(&js::length(p)));
                push(format!("{module}.{}", d.name), d, fits);
            }
        }
        Family::Ruby => {
            for d in &facts.defs {
                let handler = if d.scope.is_empty() {
                    format!("{module}.{}", d.name)
                } else if d.singleton {
                    format!("{module}.{}.{}", d.scope.join("::"), d.name)
                } else {
                    continue;
                };
                let fits = d
                    .params
                    .as_deref()
                    .is_some_and(|p| ruby::signature_problem(p).is_none());
                push(handler, d, fits);
            }
        }
        Family::Java => {
            let package = facts.package.as_deref().unwrap_or("");
            let qualify = |chain: &[String]| {
                let class = chain.join("$");
                if package.is_empty() {
                    class
                } else {
                    format!("{package}.{class}")
                }
            };
            for class in facts.defs.iter().filter(|d| d.kind == DefKind::Class) {
                let mut chain = class.scope.clone();
                chain.push(class.name.clone());
                let implements = class
                    .supers
                    .iter()
                    .any(|s| javacode::is_handler_interface(s));
                if implements {
                    push(qualify(&chain), class, true);
                }
                for m in facts
                    .defs
                    .iter()
                    .filter(|m| m.kind == DefKind::Method && m.scope == chain)
                {
                    let fits = m.name == "handleRequest";
                    push(format!("{}::{}", qualify(&chain), m.name), m, fits);
                }
            }
        }
        Family::Go | Family::Rust | Family::DotNet => {}
    }
}
