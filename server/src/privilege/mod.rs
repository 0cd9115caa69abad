//! Least privilege from code: the AWS calls a function's code makes (found with tree-sitter queries in
//! `grammars/<lang>/sdk.scm`), mapped to IAM actions (`server/data/sdk/`), checked against what the
//! function's role allows (the IAM evaluator over everything the config attaches).
//!
//! Interface: [`check_code`] and [`check_config`] from `workspace::analyze`, [`hover`] from `ide::hover`,
//! [`code_of`] and [`project_code`] for `lambda-ls check`, and [`suggest`] for `lambda-ls policy suggest`.

pub mod analyze;
pub mod calls;
pub mod cli;
pub mod fix;
pub mod gobuild;
pub mod grants;
pub mod managed;
pub mod reach;
pub mod rules;
pub mod sdk;
pub mod suggest;

pub use rules::RULES;

use crate::function::model;
use crate::handler::paths::normalize;
use crate::iam::eval::Decision;
use crate::ide::Hover;
use crate::rules::Finding;
use crate::workspace::{Ctx, Env, FileKind, FileSource, Parsed};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Findings on the SDK calls of a code file a configured function runs.
pub fn check_code(ctx: &Ctx, out: &mut Vec<Finding>) {
    analyze::check_code(ctx, out);
}

/// Hints on a config's wildcard grants wider than its functions' code needs.
pub fn check_config(ctx: &Ctx, out: &mut Vec<Finding>) {
    analyze::check_config(ctx, out);
}

/// On an SDK call: the IAM actions it needs, and whether each function running it has them.
pub fn hover(file: &Parsed, offset: usize, env: &Env) -> Option<Hover> {
    if !matches!(file.kind, FileKind::Code(_)) {
        return None;
    }
    let lang = file.lang?;
    let path = normalize(&file.path);
    let fc = calls::of_file(&path, lang, &file.text);
    let call = fc
        .calls
        .iter()
        .find(|c| c.span.start <= offset && offset <= c.span.end)?;
    let op = sdk::sdk().operation(call.op);
    let service = sdk::sdk().service(call.op.service);
    let mut md = format!("**{} `{}`** ({})\n\n", service.sid, op.name, call.sdk);
    if op.actions.is_empty() {
        md.push_str("No IAM action is known for this operation.\n");
    } else {
        let list: Vec<String> = op.actions.iter().map(|a| format!("`{a}`")).collect();
        let joiner = if op.any { " or " } else { ", " };
        md.push_str(&format!("Needs {}\n", list.join(joiner)));
    }
    let mut seen = false;
    for config in analyze::configs_for(&path, env) {
        for s in analyze::subjects(&config, env) {
            let Some(file) = s.code.file(&path) else {
                continue;
            };
            if !file.includes(&call.scope) {
                continue;
            }
            if !seen {
                md.push('\n');
                seen = true;
            }
            let state = match &s.grants {
                grants::Grants::Unknown(why) => format!("unknown: {why}"),
                g => {
                    let each: Vec<String> = op
                        .actions
                        .iter()
                        .map(|a| {
                            let d = g.decide(a).unwrap_or(Decision::NotAllowed);
                            let word = match d {
                                Decision::Allowed => "allowed",
                                Decision::Conditional => "allowed under conditions",
                                Decision::Denied => "denied",
                                Decision::NotAllowed => "not allowed",
                            };
                            format!("`{a}` {word}")
                        })
                        .collect();
                    each.join(", ")
                }
            };
            md.push_str(&format!(
                "- function `{}` ({}): {state}\n",
                s.f.name,
                s.location()
            ));
        }
    }
    Some(Hover {
        markdown: md,
        span: call.span.clone(),
    })
}

/// The code files the functions of the project holding `code` run: what `lambda-ls check` analyses when
/// it is given code without any config (`lambda-ls check src/`), the project's configs deciding.
pub fn project_code(code: &Path, files: &dyn FileSource) -> HashSet<PathBuf> {
    let abs = normalize(&std::path::absolute(code).unwrap_or_else(|_| code.to_path_buf()));
    crate::handler::index::project_configs(&abs, files)
        .iter()
        .flat_map(|parsed| code_of(parsed, files))
        .collect()
}

/// The code files the functions of a config run (handlers and the project modules they import). Only
/// the paths: grants are computed when the code itself is checked.
pub fn code_of(parsed: &Parsed, files: &dyn FileSource) -> Vec<PathBuf> {
    if !matches!(parsed.kind, FileKind::Template | FileKind::Serverless) {
        return Vec::new();
    }
    model::functions(parsed)
        .iter()
        .flat_map(|f| reach::function_code(&parsed.path, f, files).files)
        .map(|f| f.path)
        .collect()
}

/// Whether `path` is a code file `lambda-ls check` may analyse.
pub fn is_code_file(path: &Path) -> bool {
    matches!(
        crate::syntax::Lang::from_path(path),
        Some(
            crate::syntax::Lang::Python
                | crate::syntax::Lang::JavaScript
                | crate::syntax::Lang::TypeScript
                | crate::syntax::Lang::Tsx
                | crate::syntax::Lang::Go
        )
    )
}
