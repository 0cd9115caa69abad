//! The two checks: in code, a call whose action the function's role does not allow; in the config, a
//! wildcard grant wider than what the code uses.

use super::calls::{self, Call};
use super::grants::{self, Grants};
use super::reach::{self, Code};
use super::rules::{BROADER_THAN_USED, NOT_ALLOWED};
use super::sdk::sdk;
use crate::function::model::{self, FunctionConfig};
use crate::iam::eval::Decision;
use crate::iam::glob;
use crate::rules::Finding;
use crate::text::Span;
use crate::workspace::{Ctx, Env, FileKind, Parsed};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

/// A function of a config, with what it may do and the code it runs.
pub struct Subject<'a> {
    pub config: &'a Parsed,
    pub f: FunctionConfig<'a>,
    pub grants: Grants,
    pub code: Code,
}

impl Subject<'_> {
    /// `template.yaml:12`, where the function is declared.
    pub fn location(&self) -> String {
        let line = self.config.text[..self.f.name_span.start.min(self.config.text.len())]
            .matches('\n')
            .count()
            + 1;
        let name = self
            .config
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{name}:{line}")
    }
}

/// Every function of `config`, analysed.
pub fn subjects<'a>(config: &'a Parsed, env: &Env) -> Vec<Subject<'a>> {
    let functions = model::functions(config);
    let grants = grants::of_all(config, &functions);
    functions
        .into_iter()
        .zip(grants)
        .map(|(f, grants)| {
            let code = reach::function_code(&config.path, &f, env.files);
            Subject {
                config,
                f,
                grants,
                code,
            }
        })
        .collect()
}

/// What the function's role says about one call: the actions it lacks (empty: allowed or unknown), and
/// whether a Deny refuses them.
pub struct Verdict {
    pub missing: Vec<String>,
    pub denied: bool,
    pub any: bool,
}

pub fn verdict(grants: &Grants, call: &Call) -> Option<Verdict> {
    let op = sdk().operation(call.op);
    if op.actions.is_empty() {
        return None;
    }
    let decisions: Vec<(String, Decision)> = op
        .actions
        .iter()
        .map(|a| Some((a.clone(), grants.decide(a)?)))
        .collect::<Option<_>>()?;
    let refused = |d: &Decision| matches!(d, Decision::NotAllowed | Decision::Denied);
    if op.any {
        if decisions.iter().all(|(_, d)| refused(d)) {
            return Some(Verdict {
                missing: op.actions.clone(),
                denied: decisions.iter().all(|(_, d)| *d == Decision::Denied),
                any: true,
            });
        }
        return Some(Verdict {
            missing: Vec::new(),
            denied: false,
            any: true,
        });
    }
    let missing: Vec<String> = decisions
        .iter()
        .filter(|(_, d)| refused(d))
        .map(|(a, _)| a.clone())
        .collect();
    let denied = decisions.iter().any(|(_, d)| *d == Decision::Denied);
    Some(Verdict {
        missing,
        denied,
        any: false,
    })
}

fn code_list(actions: &[String]) -> String {
    actions
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The configured functions whose code includes `path`, with their configs.
pub fn configs_for(path: &Path, env: &Env) -> Vec<Arc<Parsed>> {
    crate::handler::index::project_configs(path, env.files)
}

/// Findings on the SDK calls of a code file.
pub fn check_code(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(lang) = ctx.file.lang else { return };
    let path = crate::handler::paths::normalize(ctx.path());
    let fc = calls::of_file(&path, lang, ctx.text());
    if fc.calls.is_empty() {
        return;
    }
    for config in configs_for(&path, ctx.env) {
        for s in subjects(&config, ctx.env) {
            let Some(file) = s.code.file(&path) else {
                continue;
            };
            if matches!(s.grants, Grants::Unknown(_)) || s.grants.star_wide() {
                continue;
            }
            for call in file.calls() {
                if let Some(f) = finding(&s, call) {
                    out.push(f);
                }
            }
        }
    }
}

fn finding(s: &Subject, call: &Call) -> Option<Finding> {
    let v = verdict(&s.grants, call)?;
    if v.missing.is_empty() {
        return None;
    }
    let where_ = s.location();
    let name = &s.f.name;
    let message = if v.any {
        format!(
            "none of {} is allowed for function `{name}` ({where_}); `{}` needs the one that matches its input",
            code_list(&v.missing),
            sdk().operation(call.op).name
        )
    } else if v.denied {
        let verb = if v.missing.len() == 1 { "is" } else { "are" };
        format!(
            "{} {verb} denied for function `{name}` by a `Deny` statement ({where_})",
            code_list(&v.missing)
        )
    } else {
        let verb = if v.missing.len() == 1 { "is" } else { "are" };
        format!(
            "{} {verb} not allowed for function `{name}` ({where_})",
            code_list(&v.missing)
        )
    };
    let mut f = Finding::new(&NOT_ALLOWED, call.span.clone(), message).with_related(
        Some(s.config.path.clone()),
        s.f.name_span.clone(),
        format!("function `{name}`"),
    );
    if v.denied {
        if let Some(d) = v.missing.iter().find_map(|a| s.grants.denied_by(a)) {
            f = f.with_related(
                Some(s.config.path.clone()),
                d.span.clone(),
                format!("the `Deny` statement ({})", d.label),
            );
        }
        return Some(f);
    }
    let service = &sdk().service(call.op.service).id;
    let grant: Vec<String> = if v.any {
        v.missing.first().cloned().into_iter().collect()
    } else {
        v.missing.clone()
    };
    if let Some(fix) = super::fix::grant(s.config, &s.f, &grant, service, call.target.as_ref()) {
        f = f.with_fix(fix);
    }
    Some(f)
}

/// Actions the platform needs from the role of `f` (logs, event sources, VPC, tracing, dead letters).
fn platform_needs(s: &Subject) -> BTreeSet<String> {
    let p = &sdk().platform;
    let list = |v: Option<&serde_json::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out: BTreeSet<String> = list(p.get("always")).into_iter().collect();
    for ev in &s.f.events {
        out.extend(list(p.get("events").and_then(|e| e.get(&ev.kind))));
    }
    let prop = |k: &str| s.f.properties.and_then(|p| p.get(k));
    if prop("VpcConfig").is_some() || prop("vpc").is_some() {
        out.extend(list(p.get("vpc")));
    }
    if prop("Tracing").is_some() || prop("tracing").is_some() {
        out.extend(list(p.get("tracing")));
    }
    if let Some(dlq) = prop("DeadLetterQueue") {
        let kind = dlq.get("Type").and_then(|t| t.as_str()).unwrap_or("");
        out.extend(list(p.get("dead_letter").and_then(|d| d.get(kind))));
    }
    out
}

/// What a function's code (and the platform) uses, and the IAM prefixes its code may use unseen.
struct Usage {
    actions: BTreeSet<String>,
    /// The code could not be read whole, or a client's service is computed.
    opaque: bool,
    unknown_prefixes: BTreeSet<String>,
}

fn usage(s: &Subject) -> Usage {
    let mut u = Usage {
        actions: platform_needs(s),
        opaque: !s.code.complete,
        unknown_prefixes: BTreeSet::new(),
    };
    for file in &s.code.files {
        for c in file.calls() {
            u.actions
                .extend(sdk().operation(c.op).actions.iter().cloned());
            if sdk().operation(c.op).actions.is_empty() {
                u.unknown_prefixes
                    .insert(sdk().service(c.op.service).prefix.clone());
            }
        }
        for unk in file.unknown() {
            match unk.service {
                Some(svc) => {
                    u.unknown_prefixes.insert(sdk().service(svc).prefix.clone());
                }
                None => u.opaque = true,
            }
        }
    }
    u
}

/// A written statement's action patterns (with spans) and the functions it applies to.
type Shared = (Vec<(String, Span)>, Vec<usize>);

/// Hints on written wildcard grants wider than what every function using them needs.
pub fn check_config(ctx: &Ctx, out: &mut Vec<Finding>) {
    if !matches!(ctx.file.kind, FileKind::Template | FileKind::Serverless) {
        return;
    }
    // Grants first: only a written wildcard can be wider than the code needs, so only the functions
    // such statements apply to have their code followed (the edit path of a large template stays cheap).
    let functions = model::functions(ctx.file);
    let grants = grants::of_all(ctx.file, &functions);
    let mut subjects: Vec<Subject> = functions
        .into_iter()
        .zip(grants)
        .map(|(f, grants)| Subject {
            config: ctx.file,
            grants,
            f,
            code: Code::default(),
        })
        .collect();
    // Written statements by span → (action patterns with spans, functions using them).
    let mut shared: HashMap<Span, Shared> = HashMap::new();
    for (i, s) in subjects.iter().enumerate() {
        let Grants::Known(granted) = &s.grants else {
            continue;
        };
        for g in granted {
            if !g.written || !g.st.allow || g.st.not_action || g.st.conditional {
                continue;
            }
            let e = shared
                .entry(g.span.clone())
                .or_insert_with(|| (g.action_spans.clone(), Vec::new()));
            if !e.1.contains(&i) {
                e.1.push(i);
            }
        }
    }
    shared.retain(|_, (patterns, _)| patterns.iter().any(|(p, _)| glob::has_wildcard(p)));
    if shared.is_empty() {
        return;
    }
    let needed: BTreeSet<usize> = shared
        .values()
        .flat_map(|(_, users)| users.clone())
        .collect();
    let mut usages: HashMap<usize, Usage> = HashMap::new();
    for i in needed {
        let s = &mut subjects[i];
        s.code = reach::function_code(&ctx.file.path, &s.f, ctx.env.files);
        usages.insert(i, usage(s));
    }
    let opaque = Usage {
        actions: BTreeSet::new(),
        opaque: true,
        unknown_prefixes: BTreeSet::new(),
    };
    let usage_of = |i: usize| usages.get(&i).unwrap_or(&opaque);
    let cat = crate::iam::catalog::catalog();
    let mut spans: Vec<_> = shared.into_iter().collect();
    spans.sort_by_key(|(s, _)| s.start);
    for (_, (patterns, users)) in spans {
        for (pattern, span) in patterns {
            if !glob::has_wildcard(&pattern) || pattern.contains(glob::PLACEHOLDER) {
                continue;
            }
            let Some((prefix, _)) = pattern.split_once(':') else {
                continue;
            };
            if glob::has_wildcard(prefix) {
                continue;
            }
            let lower = prefix.to_ascii_lowercase();
            if users
                .iter()
                .any(|&i| usage_of(i).opaque || usage_of(i).unknown_prefixes.contains(&lower))
            {
                continue;
            }
            let used: BTreeSet<String> = users
                .iter()
                .flat_map(|&i| usage_of(i).actions.iter())
                .filter(|a| glob::matches(&pattern, a, true))
                .cloned()
                .collect();
            if used.is_empty() {
                continue;
            }
            if cat.expand(&pattern).len() <= used.len() {
                continue;
            }
            let names: Vec<String> = used
                .iter()
                .map(|a| a.split_once(':').map_or(a.as_str(), |(_, n)| n).to_string())
                .collect();
            let who = if users.len() == 1 {
                format!("function `{}`", subjects[users[0]].f.name)
            } else {
                format!("the {} functions using it", users.len())
            };
            let mut f = Finding::new(
                &BROADER_THAN_USED,
                span.clone(),
                format!(
                    "grants `{pattern}` but the code of {who} uses only {}",
                    names.join(", ")
                ),
            );
            if let Some(fix) = narrow(ctx.text(), &span, &pattern, &used) {
                f = f.with_fix(fix);
            }
            out.push(f);
        }
    }
}

/// Replaces a wildcard action with the actions used, in the style it is written in.
fn narrow(
    text: &str,
    span: &Span,
    pattern: &str,
    used: &BTreeSet<String>,
) -> Option<crate::rules::Fix> {
    let written = text.get(span.clone())?;
    let quote = written.chars().next().filter(|c| *c == '"' || *c == '\'');
    let inner = match quote {
        Some(q) => written.strip_prefix(q)?.strip_suffix(q)?,
        None => written,
    };
    if inner != pattern {
        return None;
    }
    let q = |a: &str| match quote {
        Some(c) => format!("{c}{a}{c}"),
        None => a.to_string(),
    };
    let ls = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[ls..span.start];
    let in_block_seq = before.trim_end().ends_with('-') && before.trim_start().starts_with('-');
    let items: Vec<String> = used.iter().map(|a| q(a)).collect();
    let new_text = if in_block_seq {
        let pad = &before[..before.rfind('-')?];
        items.join(&format!("\n{pad}- "))
    } else {
        let prev = text[..span.start].trim_end().chars().last();
        if matches!(prev, Some('[') | Some(',')) {
            // Inside a flow or JSON list.
            items.join(", ")
        } else {
            format!("[{}]", items.join(", "))
        }
    };
    Some(crate::rules::Fix::replace(
        format!("Narrow `{pattern}` to the actions the code uses"),
        span.clone(),
        new_text,
    ))
}
