//! Full property validation of function resources against their embedded schemas: `AWS::Lambda::Function`,
//! `AWS::Serverless::Function`, SAM `Globals`, and serverless.yml functions. Properties that a dedicated
//! check judges with better messages (runtime, limits, environment keys, layers, events) are skipped here
//! so that one mistake gives one finding.

use super::data;
use super::rules::{INVALID_PROPERTY, MISSING_PROPERTY, UNKNOWN_PROPERTY};
use super::schema::{Issue, IssueKind, Validator};
use crate::rules::{Finding, Rule, Severity};
use crate::syntax::Value;
use crate::text::Span;
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

const GLOBALS_SKIP: &[&str] = &[
    "Function.Runtime",
    "Function.MemorySize",
    "Function.Timeout",
    "Function.EphemeralStorage.Size",
    "Function.ReservedConcurrentExecutions",
    "Function.Architectures",
    "Function.Layers",
    "Function.Handler",
    "Function.Environment.Variables",
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
    if let Some((key, globals)) = root.get_entry("Globals") {
        let schema = data::globals_schema();
        let v = Validator {
            root: schema,
            skip: GLOBALS_SKIP,
        };
        let mut issues = Vec::new();
        v.validate(schema, globals, key.span.clone(), &mut issues);
        report(issues, None, out);
    }
    for (key, res) in root
        .get("Resources")
        .and_then(|r| r.as_map())
        .unwrap_or_default()
    {
        let schema = match res.get("Type").and_then(|t| t.as_str()) {
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
        report(issues, None, out);
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

/// The key span of the entry `name` in `map`, or `fallback`.
pub fn key_span(map: Option<&Value>, name: &str, fallback: Span) -> Span {
    map.and_then(|m| m.get_entry(name))
        .map(|(k, _)| k.span.clone())
        .unwrap_or(fallback)
}
