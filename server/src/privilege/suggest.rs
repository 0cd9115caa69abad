//! `lambda-ls policy suggest FUNCTION`: the least-privilege policy a function's code needs, as an IAM
//! policy document (JSON) and as a SAM `Policies:` list (SAM policy templates where one fits exactly the
//! resource, statements otherwise).

use super::analyze::{subjects, Subject};
use super::fix::{resource_for, sam_template_for, ResourceExpr};
use super::sdk::sdk;
use crate::workspace::{Env, Parsed};
use std::collections::{BTreeMap, BTreeSet};

pub struct Suggestion {
    /// The IAM policy document.
    pub json: serde_json::Value,
    /// The config's own form: a SAM `Policies:` list, or serverless.yml `provider.iam.role.statements`.
    pub sam: String,
    /// What `sam` is, for the reader.
    pub form: &'static str,
    pub calls: usize,
    pub files: usize,
    /// Calls the tool could not map (`file:line`), listed for the user.
    pub unmapped: Vec<String>,
}

/// A statement group: actions on one resource.
type Groups = BTreeMap<ResourceExpr, BTreeSet<String>>;

pub fn suggest(config: &Parsed, function: &str, env: &Env) -> Option<Suggestion> {
    let subject = subjects(config, env)
        .into_iter()
        .find(|s| s.f.name == function)?;
    Some(build(&subject, env.files))
}

fn line_of(text: &str, at: usize) -> usize {
    text.get(..at).map_or(1, |t| t.matches('\n').count() + 1)
}

fn build(s: &Subject, files: &dyn crate::workspace::FileSource) -> Suggestion {
    let mut groups: Groups = BTreeMap::new();
    let mut templates: BTreeSet<String> = BTreeSet::new();
    let mut unmapped = Vec::new();
    let mut calls = 0;
    let base = s
        .config
        .path
        .parent()
        .map(|p| p.to_path_buf())
        .unwrap_or_default();
    for file in &s.code.files {
        let shown = file
            .path
            .strip_prefix(&base)
            .unwrap_or(&file.path)
            .display()
            .to_string();
        let text = files.read(&file.path).unwrap_or_default();
        for c in file.calls() {
            calls += 1;
            let op = sdk().operation(c.op);
            let service = &sdk().service(c.op.service).id;
            if op.actions.is_empty() {
                unmapped.push(format!(
                    "{shown}:{} ({})",
                    line_of(&text, c.span.start),
                    op.name
                ));
                continue;
            }
            // An operation that needs one of several actions gets all of them: which one depends on
            // input the tool does not see.
            let actions = op.actions.clone();
            if let Some((name, param, value)) =
                sam_template_for(s.config, &s.f, c.target.as_ref(), service, &actions)
            {
                templates.insert(format!("- {name}:\n    {param}: {value}"));
            }
            let res = resource_for(s.config, &s.f, c.target.as_ref(), service, &actions);
            groups.entry(res).or_default().extend(actions);
        }
        for u in file.unknown() {
            unmapped.push(format!(
                "{shown}:{} (computed at run time)",
                line_of(&text, u.span.start)
            ));
        }
    }
    let statements: Vec<serde_json::Value> = groups
        .iter()
        .map(|(res, actions)| {
            let actions: Vec<&String> = actions.iter().collect();
            serde_json::json!({
                "Effect": "Allow",
                "Action": if actions.len() == 1 { serde_json::json!(actions[0]) } else { serde_json::json!(actions) },
                "Resource": res.json(),
            })
        })
        .collect();
    let json = serde_json::json!({ "Version": "2012-10-17", "Statement": statements });
    if s.config.kind == crate::workspace::FileKind::Serverless {
        return Suggestion {
            json,
            sam: serverless_statements(&groups),
            form: "serverless.yml `provider.iam.role.statements`",
            calls,
            files: s.code.files.len(),
            unmapped,
        };
    }
    let mut sam = String::from("Policies:\n");
    for t in &templates {
        for line in t.lines() {
            sam.push_str(&format!("  {line}\n"));
        }
    }
    // Statements for what no template covers.
    let covered = |res: &ResourceExpr, a: &str| {
        templates.iter().any(|t| {
            let id = match res {
                ResourceExpr::GetAttArn(id) | ResourceExpr::Ref(id) => id.clone(),
                ResourceExpr::Sub(s) => s
                    .split("${")
                    .skip(1)
                    .filter_map(|r| r.split('}').next())
                    .find(|v| !v.contains(':') && !v.contains('.'))
                    .unwrap_or("")
                    .to_string(),
                _ => return false,
            };
            !id.is_empty()
                && (t.ends_with(&format!("!Ref {id}")) || t.contains(&format!("!GetAtt {id}.")))
                && template_allows(t, a)
        })
    };
    let rest: Vec<(String, Vec<String>)> = groups
        .iter()
        .filter_map(|(res, actions)| {
            let left: Vec<String> = actions
                .iter()
                .filter(|a| !covered(res, a))
                .cloned()
                .collect();
            (!left.is_empty()).then(|| (res.yaml(), left))
        })
        .collect();
    if !rest.is_empty() {
        sam.push_str("  - Statement:\n");
        for (res, actions) in rest {
            let action = if actions.len() == 1 {
                actions[0].clone()
            } else {
                format!("[{}]", actions.join(", "))
            };
            sam.push_str(&format!(
                "      - Effect: Allow\n        Action: {action}\n        Resource: {res}\n"
            ));
        }
    }
    if templates.is_empty() && groups.is_empty() {
        sam.push_str("  []\n");
    }
    Suggestion {
        json,
        sam,
        form: "SAM `Policies:`",
        calls,
        files: s.code.files.len(),
        unmapped,
    }
}

/// Serverless has no SAM policy templates: every group is a statement under the provider's role (one
/// role for all functions of a service, unless a plugin gives each its own).
fn serverless_statements(groups: &Groups) -> String {
    let mut out = String::from("provider:\n  iam:\n    role:\n      statements:\n");
    if groups.is_empty() {
        out.push_str("        []\n");
    }
    for (res, actions) in groups {
        let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
        let action = match actions.as_slice() {
            [one] => (*one).to_string(),
            many => format!("[{}]", many.join(", ")),
        };
        out.push_str(&format!(
            "        - Effect: Allow\n          Action: {action}\n          Resource: {}\n",
            res.yaml()
        ));
    }
    out
}

/// Whether the SAM template written as `- Name:\n    Param: value` allows `action`.
fn template_allows(t: &str, action: &str) -> bool {
    let name = t
        .trim_start_matches("- ")
        .split(':')
        .next()
        .unwrap_or("")
        .trim();
    let yaml = format!("{name}:\n  X: x\n");
    let Some(doc) = crate::syntax::parse_value(crate::syntax::Lang::Yaml, &yaml).value else {
        return false;
    };
    let Some((key, params)) = doc.as_map().and_then(|m| m.first()) else {
        return false;
    };
    let entry = crate::iam::sam::Entry {
        name,
        key,
        params,
        owner: "Fn",
    };
    let Some(expanded) = crate::iam::sam::expand(&entry) else {
        return false;
    };
    expanded
        .get("Statement")
        .map(|s| s.one_or_many())
        .unwrap_or_default()
        .into_iter()
        .any(|st| {
            st.get("Action")
                .map(|a| a.one_or_many())
                .unwrap_or_default()
                .iter()
                .filter_map(|a| a.as_str())
                .any(|p| crate::iam::glob::matches(p, action, true))
        })
}
