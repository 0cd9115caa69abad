//! Hover in policy text: an action (access level, resource types, condition keys, dependent actions), a
//! wildcard (how many and which actions it grants), a condition key (type, description), an ARN (which
//! resource type it is).

use super::catalog::{arn, catalog};
use super::complete::action_doc;
use super::glob;
use super::resolve::{self, Dialect};
use crate::ide::Hover;
use crate::syntax::PathSeg;
use crate::workspace::{FileKind, Parsed};

fn dialect(file: &Parsed) -> Dialect {
    match file.kind {
        FileKind::Template => Dialect::CloudFormation,
        FileKind::Serverless => Dialect::Serverless,
        _ => Dialect::Plain,
    }
}

pub fn hover(file: &Parsed, offset: usize) -> Option<Hover> {
    if !matches!(
        file.kind,
        FileKind::Policy | FileKind::Template | FileKind::Serverless
    ) {
        return None;
    }
    let root = file.root()?;
    let nodes = root.nodes_at(offset);
    let (path, node) = nodes.last()?;
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            PathSeg::Key(k) => Some(k.as_str()),
            _ => None,
        })
        .collect();
    let in_statement = file.kind == FileKind::Policy
        || keys
            .iter()
            .any(|k| matches!(*k, "Statement" | "statements" | "iamRoleStatements"));
    if !in_statement {
        return None;
    }
    let on_key = !node.span.contains(&offset) && node.span.end != offset || {
        // `nodes_at` returns the entry's value even when the offset is on its key.
        nodes.len() >= 2
            && nodes[nodes.len() - 2].1.as_map().is_some_and(|m| {
                m.iter()
                    .any(|(k, v)| std::ptr::eq(v, *node) && k.span.contains(&offset))
            })
    };
    let cat = catalog();
    let last = *keys.last()?;
    if on_key {
        // A condition key under an operator.
        if keys.len() >= 3 && keys[keys.len() - 3] == "Condition" {
            let k = cat.condition_key(last)?;
            let span = nodes[nodes.len() - 2]
                .1
                .as_map()?
                .iter()
                .find(|(k, _)| k.span.contains(&offset))?
                .0
                .span
                .clone();
            let mut md = format!("**{}** — {}", k.name, k.ty.label());
            if !k.category.is_empty() {
                md.push_str(&format!(" · global condition key ({})", k.category));
            }
            if !k.description().is_empty() {
                md.push_str(&format!("\n\n{}", k.description()));
            }
            return Some(Hover { markdown: md, span });
        }
        return None;
    }
    let text = resolve::string(node, dialect(file))?;
    let t = text.as_str();
    match last {
        "Action" | "NotAction" => {
            if glob::has_wildcard(t) {
                let all = cat.expand(t);
                let mut md = format!(
                    "**{t}** grants {} action{}",
                    all.len(),
                    if all.len() == 1 { "" } else { "s" }
                );
                if !all.is_empty() {
                    md.push_str(":\n\n");
                    for (s, a) in all.iter().take(25) {
                        md.push_str(&format!(
                            "- `{}:{}` ({})\n",
                            s.prefix,
                            a.name,
                            a.access.label()
                        ));
                    }
                    if all.len() > 25 {
                        md.push_str(&format!("- … and {} more\n", all.len() - 25));
                    }
                }
                return Some(Hover {
                    markdown: md,
                    span: node.span.clone(),
                });
            }
            let (s, a) = cat.action(t)?;
            let mut md = action_doc(s, a);
            let keys: Vec<String> = a.key_names(s).map(|k| format!("`{k}`")).collect();
            if !keys.is_empty() {
                md.push_str(&format!("\n\nCondition keys: {}", keys.join(", ")));
            }
            if !a.dependent.is_empty() {
                let deps: Vec<String> = a.dependent.iter().map(|d| format!("`{d}`")).collect();
                md.push_str(&format!("\n\nDependent actions: {}", deps.join(", ")));
            }
            Some(Hover {
                markdown: md,
                span: node.span.clone(),
            })
        }
        "Resource" | "NotResource" => {
            if t == "*" {
                return Some(Hover {
                    markdown: "`*`: every resource".into(),
                    span: node.span.clone(),
                });
            }
            let a = arn::parse(t).ok()?;
            let types = cat.resource_types_of(&a);
            if types.is_empty() {
                return None;
            }
            let mut md = String::from("ARN of ");
            let parts: Vec<String> = types
                .iter()
                .map(|(s, r)| {
                    format!(
                        "a **{} {}** (`{}`)",
                        s.prefix,
                        r.name,
                        r.arns.first().map(|t| t.raw).unwrap_or("")
                    )
                })
                .collect();
            md.push_str(&parts.join(", or "));
            Some(Hover {
                markdown: md,
                span: node.span.clone(),
            })
        }
        _ => None,
    }
}
