//! Full property validation of function resources against their embedded schemas: `AWS::Lambda::Function`,
//! `AWS::Serverless::Function`, SAM `Globals`, and serverless.yml functions. Properties that a dedicated
//! check judges with better messages (runtime, limits, environment keys, layers, events) are skipped here
//! so that one mistake gives one finding.

use super::data;
use super::rules::{INVALID_PROPERTY, MISSING_PROPERTY, UNKNOWN_PROPERTY};
use super::schema::{Issue, IssueKind, Validator};
use crate::rules::{Finding, Rule, Severity};
use crate::syntax::Value;
use crate::workspace::{Ctx, FileKind};

/// Properties with a dedicated check (see `config_checks` and `events`).
const TEMPLATE_SKIP: &[&str] = &[
    "Runtime",
    "MemorySize",
    "Timeout",
    "EphemeralStorage.Size",
    "ReservedConcurrentExecutions",
    "Architectures",
    "Layers",
    "FunctionName",
    "Handler",
    "Environment.Variables",
    "Events",
];

const SERVERLESS_SKIP: &[&str] = &[
    "runtime",
    "memorySize",
    "timeout",
    "ephemeralStorageSize",
    "reservedConcurrency",
    "architecture",
    "layers",
    "handler",
    "environment",
    "events",
    "name",
];

pub fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(root) = ctx.root() else {
        return;
    };
    match ctx.file.kind {
        FileKind::Template => check_template(root, out),
        FileKind::Serverless => check_serverless(root, out),
        _ => {}
    }
}

fn check_template(root: &Value, out: &mut Vec<Finding>) {
    let globals = root.get_path(&["Globals", "Function"]);
    if let Some(g) = root.get("Globals") {
        check_globals(g, out);
    }
    for (key, res) in root
        .get("Resources")
        .and_then(|r| r.as_map())
        .unwrap_or_default()
    {
        let ty = res.get("Type").and_then(|t| t.as_str());
        let sam = ty == Some("AWS::Serverless::Function");
        let schema = match ty {
            Some("AWS::Lambda::Function") => data::lambda_schema(),
            Some("AWS::Serverless::Function") => data::sam_schema(),
            _ => continue,
        };
        let mut skip = TEMPLATE_SKIP.to_vec();
        // `aws cloudformation package` replaces a local path in `Code` with the uploaded S3 location.
        if res
            .get_path(&["Properties", "Code"])
            .is_some_and(|c| c.as_str().is_some())
        {
            skip.push("Code");
        }
        let v = Validator {
            root: schema,
            skip: &skip,
            null_ok: sam,
        };
        let mut issues = Vec::new();
        match res.get_entry("Properties") {
            Some((pk, props)) => v.validate(schema, props, pk.span.clone(), &mut issues),
            None => {
                // No `Properties` at all: only the required ones matter.
                let empty = Value::new(key.span.clone(), crate::syntax::ValueKind::Map(Vec::new()));
                v.validate(schema, &empty, key.span.clone(), &mut issues);
            }
        }
        if sam {
            // SAM merges maps from `Globals.Function`: a required key may come from there.
            let ignore = res.get("IgnoreGlobals");
            issues.retain(|i| {
                let top = i.path.split('.').next().unwrap_or("");
                !(i.kind == IssueKind::Missing
                    && globals.is_some_and(|g| g.get(top).is_some())
                    && !ignore.is_some_and(|ig| {
                        ig.one_or_many()
                            .iter()
                            .any(|v| v.as_str().is_some_and(|s| s == "*" || s == top))
                    }))
            });
            if let Some(ignore) = res.get("IgnoreGlobals") {
                check_ignore_globals(ignore, out);
            }
        }
        report(issues, None, out);
    }
}

/// `Globals`: known sections, and the `Function` section against its schema. Other sections (APIs,
/// tables, state machines) belong to other resource types and are only checked by name.
fn check_globals(globals: &Value, out: &mut Vec<Finding>) {
    let schema = data::globals_schema();
    if globals.as_map().is_none_or(|m| m.is_empty()) && !globals.is_intrinsic() {
        out.push(Finding::new(
            &INVALID_PROPERTY,
            globals.span.clone(),
            "`Globals` must be a non-empty map of sections (`Function`, `Api`, …)",
        ));
        return;
    }
    let sections: Vec<&str> = schema["properties"]
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for (k, v) in globals.as_map().unwrap_or_default() {
        if !sections.contains(&k.text.as_str()) {
            let suggestions = crate::suggest::closest(&k.text, sections.iter().copied(), 3);
            let mut message = format!("`Globals` has no section `{}`", k.text);
            if let Some(s) = suggestions.first() {
                message.push_str(&format!("; did you mean `{s}`?"));
            }
            let mut f = Finding::new(&UNKNOWN_PROPERTY, k.span.clone(), message);
            for (i, s) in suggestions.iter().enumerate() {
                f.fixes.push(crate::rules::Fix {
                    preferred: i == 0,
                    ..crate::rules::Fix::replace(
                        format!("Rename to `{s}`"),
                        k.span.clone(),
                        s.to_string(),
                    )
                });
            }
            out.push(f);
            continue;
        }
        if k.text != "Function" {
            continue;
        }
        let Some(function) = schema.pointer("/properties/Function") else {
            continue;
        };
        let v_ = Validator {
            root: schema,
            skip: TEMPLATE_SKIP,
            null_ok: true,
        };
        let mut issues = Vec::new();
        v_.validate(function, v, k.span.clone(), &mut issues);
        for i in &mut issues {
            if i.kind == IssueKind::Unknown {
                i.message
                    .push_str(" (SAM's `Globals.Function` cannot set it)");
            }
        }
        report(issues, None, out);
    }
}

/// A SAM function's `IgnoreGlobals`: `*` or names of properties `Globals.Function` can set.
fn check_ignore_globals(ignore: &Value, out: &mut Vec<Finding>) {
    let names: Vec<&str> = data::globals_schema()
        .pointer("/properties/Function/properties")
        .and_then(|p| p.as_object())
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for item in ignore.one_or_many() {
        let Some(s) = item.as_str() else {
            continue;
        };
        if s == "*" || names.contains(&s) {
            continue;
        }
        let suggestions = crate::suggest::closest(s, names.iter().copied(), 3);
        let mut message = format!(
            "`{s}` is not a property `Globals.Function` sets, so there is nothing to ignore"
        );
        if let Some(b) = suggestions.first() {
            message.push_str(&format!("; did you mean `{b}`?"));
        }
        let mut f = Finding::new(&UNKNOWN_PROPERTY, item.span.clone(), message);
        for (i, b) in suggestions.iter().enumerate() {
            f.fixes.push(crate::rules::Fix {
                preferred: i == 0,
                ..crate::rules::Fix::replace(
                    format!("Change to `{b}`"),
                    item.span.clone(),
                    b.to_string(),
                )
            });
        }
        out.push(f);
    }
}

/// How the Serverless Framework treats schema problems: `configValidationMode` (default `warn` in v3
/// services without the key, `error` when set so), and plugins may add properties the schema lacks.
fn serverless_severity(root: &Value) -> Option<Severity> {
    match root.get("configValidationMode").and_then(|m| m.as_str()) {
        Some("off") => None,
        Some("error") => Some(Severity::Error),
        _ => Some(Severity::Warning),
    }
}

pub fn has_plugins(root: &Value) -> bool {
    root.get("plugins").is_some_and(|p| {
        let list = p.get("modules").unwrap_or(p);
        !list.one_or_many().is_empty() && list.as_seq().is_none_or(|s| !s.is_empty())
    })
}

fn check_serverless(root: &Value, out: &mut Vec<Finding>) {
    if !super::model::is_aws_service(root) {
        return;
    }
    let Some(severity) = serverless_severity(root) else {
        return;
    };
    let schema = data::serverless_schema();
    let Some(function_schema) = schema.get("function") else {
        return;
    };
    let v = Validator {
        root: schema,
        skip: SERVERLESS_SKIP,
        null_ok: false,
    };
    let plugins = has_plugins(root);
    for (key, f) in root
        .get("functions")
        .and_then(|r| r.as_map())
        .unwrap_or_default()
    {
        let mut issues = Vec::new();
        v.validate(function_schema, f, key.span.clone(), &mut issues);
        // A plugin may define the property: unknown keys are then only a hint.
        let unknown_severity = if plugins { Severity::Hint } else { severity };
        for i in &mut issues {
            if i.kind == IssueKind::Unknown {
                i.message.push_str(if plugins {
                    " (unless a plugin defines it)"
                } else {
                    ""
                });
            }
        }
        report_with(issues, severity, unknown_severity, out);
    }
}

fn rule_for(kind: IssueKind) -> &'static Rule {
    match kind {
        IssueKind::Unknown => &UNKNOWN_PROPERTY,
        IssueKind::Missing => &MISSING_PROPERTY,
        IssueKind::Invalid => &INVALID_PROPERTY,
    }
}

/// Issues as findings; `severity` overrides the rules' own (serverless.yml validation modes).
pub fn report(issues: Vec<Issue>, severity: Option<Severity>, out: &mut Vec<Finding>) {
    for i in issues {
        let mut f = finding(i);
        if let Some(s) = severity {
            f.severity = s;
        }
        out.push(f);
    }
}

fn report_with(
    issues: Vec<Issue>,
    severity: Severity,
    unknown_severity: Severity,
    out: &mut Vec<Finding>,
) {
    for i in issues {
        let s = if i.kind == IssueKind::Unknown {
            unknown_severity
        } else {
            severity
        };
        out.push(finding(i).with_severity(s));
    }
}

fn finding(i: Issue) -> Finding {
    let where_ = if i.path.is_empty() || i.kind == IssueKind::Unknown {
        String::new()
    } else {
        format!("`{}`: ", i.path)
    };
    let mut f = Finding::new(rule_for(i.kind), i.span, format!("{where_}{}", i.message));
    f.fixes = i.fixes;
    f
}
