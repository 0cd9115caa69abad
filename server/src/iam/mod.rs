//! IAM policy documents: where they are found, and their checks.

use crate::rules::{Edit, Finding, Fix, Rule, Severity};
use crate::syntax::{Value, ValueKind};
use crate::workspace::{Ctx, FileKind};

pub static VERSION: Rule = Rule {
    id: "iam/version",
    severity: Severity::Error,
    summary: "policy `Version` is missing, invalid or outdated",
    docs: "A policy should say `\"Version\": \"2012-10-17\"`. Without it (or with the old `2008-10-17`) IAM \
           takes policy variables such as `${aws:username}` literally, so a statement silently matches \
           nothing. Any other value is rejected. Missing or old: warning; invalid: error.",
    bad: &[("policy.json", "{\n  \"Version\": \"2012-10-18\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}]\n}\n")],
    good: &[("policy.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}]\n}\n")],
};

pub static RULES: &[&Rule] = &[&VERSION];

pub fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    for doc in policy_documents(ctx) {
        check_version(ctx.text(), doc, out);
    }
}

/// Policy documents in a file: the whole file for a standalone policy, and every inline document in a
/// template.
fn policy_documents<'a>(ctx: &'a Ctx) -> Vec<&'a Value> {
    let Some(root) = ctx.root() else {
        return Vec::new();
    };
    match ctx.file.kind {
        FileKind::Policy => vec![root],
        FileKind::Template => {
            let mut out = Vec::new();
            for (_, res) in root
                .get("Resources")
                .and_then(|r| r.as_map())
                .unwrap_or_default()
            {
                if let Some(props) = res.get("Properties") {
                    collect_documents(props, 0, &mut out);
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

fn collect_documents<'a>(v: &'a Value, depth: usize, out: &mut Vec<&'a Value>) {
    if depth > 6 {
        return;
    }
    match &v.kind {
        ValueKind::Map(entries) => {
            for (k, child) in entries {
                if matches!(
                    k.text.as_str(),
                    "PolicyDocument" | "AssumeRolePolicyDocument" | "KeyPolicy"
                ) && child.as_map().is_some()
                {
                    out.push(child);
                } else {
                    collect_documents(child, depth + 1, out);
                }
            }
        }
        ValueKind::Seq(items) => items
            .iter()
            .for_each(|i| collect_documents(i, depth + 1, out)),
        _ => {}
    }
}

fn check_version(text: &str, doc: &Value, out: &mut Vec<Finding>) {
    let Some(entries) = doc.as_map() else {
        return;
    };
    match doc.get("Version") {
        None => {
            // Point at `Statement` when there is one: that is what the missing Version changes.
            let at = doc
                .get_entry("Statement")
                .map(|(k, _)| k.span.clone())
                .unwrap_or(doc.span.start..doc.span.start + 1);
            let mut f = Finding::new(
                &VERSION,
                at,
                "policy has no `Version`: policy variables are taken literally; add \"Version\": \"2012-10-17\"",
            )
            .with_severity(Severity::Warning);
            if let Some(edit) = insert_version(text, doc, entries) {
                f = f.with_fix(Fix {
                    title: "Add \"Version\": \"2012-10-17\"".into(),
                    edits: vec![edit],
                    preferred: true,
                });
            }
            out.push(f);
        }
        Some(v) => match v.as_str() {
            Some("2012-10-17") => {}
            Some("2008-10-17") => out.push(
                Finding::new(
                    &VERSION,
                    v.span.clone(),
                    "`2008-10-17` is the old policy language: policy variables are taken literally; use `2012-10-17`",
                )
                .with_severity(Severity::Warning)
                .with_fix(Fix::replace("Change to 2012-10-17", v.span.clone(), quote_like(text, v, "2012-10-17"))),
            ),
            _ if v.is_intrinsic() => {}
            _ => out.push(
                Finding::new(
                    &VERSION,
                    v.span.clone(),
                    "policy `Version` must be `2012-10-17` (or the old `2008-10-17`)",
                )
                .with_fix(Fix::replace("Change to 2012-10-17", v.span.clone(), quote_like(text, v, "2012-10-17"))),
            ),
        },
    }
}

/// Writes `s` with the quoting the existing value uses, so YAML stays YAML and JSON stays JSON.
fn quote_like(text: &str, v: &Value, s: &str) -> String {
    match text.as_bytes().get(v.span.start) {
        Some(b'\'') => format!("'{s}'"),
        Some(b'"') => format!("\"{s}\""),
        _ => s.to_string(),
    }
}

/// An edit that adds the Version as the first entry, in the document's own syntax and indentation.
fn insert_version(
    text: &str,
    doc: &Value,
    entries: &[(crate::syntax::Key, Value)],
) -> Option<Edit> {
    let first = entries.first()?;
    let key_start = first.0.span.start;
    let line_start = text[..key_start]
        .rfind(['\n', '\r'])
        .map(|i| i + 1)
        .unwrap_or(0);
    let prefix = &text[line_start..key_start];
    let is_json = text.as_bytes().get(doc.span.start) == Some(&b'{');
    let new_text = if is_json {
        if prefix.trim().is_empty() {
            format!("\"Version\": \"2012-10-17\",\n{prefix}")
        } else {
            "\"Version\": \"2012-10-17\", ".to_string()
        }
    } else if prefix.trim().is_empty() {
        format!("Version: '2012-10-17'\n{prefix}")
    } else {
        return None;
    };
    Some(Edit {
        path: None,
        span: key_start..key_start,
        new_text,
    })
}
