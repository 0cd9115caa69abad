//! The IAM policy checks, by theme. Each module declares its rules (with a failing and a passing example)
//! and a `check` over one document; `files` holds the checks that look across a whole template.

pub mod actions;
pub mod conditions;
pub mod files;
pub mod grammar;
pub mod principals;
pub mod resources;
pub mod security;

use super::locate::{self, Origin, PolicyDoc, PolicyKind};
use super::model::{self, Stmt};
use super::resolve::{self, Dialect, Resolved};
use crate::rules::{Finding, Rule};
use crate::syntax::Value;
use crate::workspace::Ctx;

/// A policy example: one standalone `policy.json` holding the given statements.
macro_rules! policy {
    ($stmts:expr) => {
        &[(
            "policy.json",
            concat!(
                "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    ",
                $stmts,
                "\n  ]\n}\n"
            ),
        )]
    };
}
pub(crate) use policy;

/// A template example: one `template.yaml`.
macro_rules! template {
    ($text:expr) => {
        &[("template.yaml", $text)]
    };
}
pub(crate) use template;

/// One document under check.
pub struct DocCx<'d> {
    pub doc: &'d PolicyDoc<'d>,
    pub text: &'d str,
    pub stmts: Vec<Stmt<'d>>,
}

impl<'d> DocCx<'d> {
    pub fn kind(&self) -> PolicyKind {
        self.doc.kind
    }

    pub fn dialect(&self) -> Dialect {
        self.doc.dialect
    }

    pub fn string(&self, v: &Value) -> Option<Resolved> {
        resolve::string(v, self.doc.dialect)
    }

    /// `Version: 2012-10-17` is set (policy variables work).
    pub fn version_2012(&self) -> bool {
        self.doc.bare
            || self
                .doc
                .value
                .get("Version")
                .and_then(|v| v.as_str())
                .is_some_and(|v| v == "2012-10-17")
            || self
                .doc
                .value
                .get("Version")
                .is_some_and(|v| v.is_intrinsic())
    }

    /// Writes `s` with the quoting the existing node uses, so YAML stays YAML and JSON stays JSON.
    pub fn quote_like(&self, v: &Value, s: &str) -> String {
        match self.text.as_bytes().get(v.span.start) {
            Some(b'\'') => format!("'{s}'"),
            Some(b'"') => format!("\"{s}\""),
            _ if self.doc.from_string => format!("\\\"{s}\\\""),
            _ => s.to_string(),
        }
    }

    /// Whether a quick fix can replace this node's text (spans inside a JSON string may be approximate).
    pub fn fixable(&self, v: &Value) -> bool {
        !self.doc.from_string
            && self.doc.origin == Origin::Written
            && v.span.end <= self.text.len()
            && v.span.start < v.span.end
    }
}

/// Every rule of the IAM family.
pub fn rules() -> Vec<&'static Rule> {
    let mut out = Vec::new();
    out.extend_from_slice(grammar::RULES);
    out.extend_from_slice(actions::RULES);
    out.extend_from_slice(resources::RULES);
    out.extend_from_slice(principals::RULES);
    out.extend_from_slice(conditions::RULES);
    out.extend_from_slice(security::RULES);
    out.extend_from_slice(files::RULES);
    out
}

pub fn run(ctx: &Ctx, out: &mut Vec<Finding>) {
    // On text that does not parse, the value tree is a salvage: statements may be cut short, and findings
    // about what is "missing" would be wrong. The syntax error comes first.
    if ctx
        .file
        .doc
        .findings
        .iter()
        .any(|f| f.rule == crate::syntax::rules::PARSE_ERROR.id)
    {
        return;
    }
    let located = locate::policies(ctx.file);
    for issue in &located.issues {
        out.push(Finding::new(
            &grammar::JSON_SYNTAX,
            issue.span.clone(),
            issue.message.clone(),
        ));
    }
    for doc in &located.docs {
        let nodes = doc.statements();
        let cx = DocCx {
            doc,
            text: ctx.text(),
            stmts: model::statements(&nodes),
        };
        if doc.origin == Origin::Written {
            grammar::check(&cx, out);
            actions::check(&cx, out);
            resources::check(&cx, out);
            principals::check(&cx, out);
            conditions::check(&cx, out);
            security::check(&cx, out);
        }
    }
    files::check(ctx, &located, out);
}

/// Documentation placeholders (`account-id`, `REGION`, `service-prefix`) that stand for a value the writer
/// will fill in: not wrong, only unfinished.
pub fn doc_placeholder(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    [
        "account-id",
        "account_id",
        "accountid",
        "account-number",
        "region",
        "service-prefix",
        "someservice",
        "<",
        "example",
    ]
    .iter()
    .any(|m| l.contains(m))
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::workspace::{self, Env, Files};
    use std::path::Path;
    use std::sync::Arc;

    fn fired(files: &[(&str, &str)]) -> Vec<&'static str> {
        let (name, text) = files[0];
        let parsed = workspace::parse(Path::new(name), Arc::from(text), None);
        let config = Config::default();
        let fs = Files::new();
        let env = Env {
            config: &config,
            files: &fs,
        };
        workspace::analyze(&parsed, &env)
            .iter()
            .map(|f| f.rule)
            .collect()
    }

    /// Every IAM rule, in process: its failing example fires it and its passing example does not.
    #[test]
    fn each_check_fires_on_its_failing_example_only() {
        let mut failures = Vec::new();
        for rule in crate::iam::rules() {
            let bad = fired(rule.bad);
            if !bad.contains(&rule.id) {
                failures.push(format!("{}: failing example gives {bad:?}", rule.id));
            }
            let good = fired(rule.good);
            if good.contains(&rule.id) {
                failures.push(format!("{}: passing example fires it", rule.id));
            }
        }
        assert!(
            crate::iam::rules().len() >= 60,
            "{}",
            crate::iam::rules().len()
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn unknown_values_are_never_wrong() {
        let text = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: !If [IsProd, Allow, Deny]\n            Action: !Ref ActionParam\n            Resource:\n              - !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'\n              - !GetAtt Queue.Arn\n              - !Join [':', [arn, !Ref AWS::Partition, sqs, !Ref AWS::Region, !Ref AWS::AccountId, q]]\n            Condition:\n              StringEquals:\n                aws:SourceAccount: !Ref AWS::AccountId\n";
        let got = fired(&[("template.yaml", text)]);
        let iam: Vec<_> = got.iter().filter(|r| r.starts_with("iam/")).collect();
        assert!(iam.is_empty(), "{iam:?}");
    }
}
