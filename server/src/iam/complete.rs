//! Completion in policy text: element names, `Effect`/`Version` values, service prefixes then actions
//! (with access level, description and resource types), wildcards, condition operators, condition keys
//! filtered to the statement's actions, ARN snippets for the actions' resource types, and service
//! principals. JSON and YAML alike, half-typed or not.

use super::catalog::{catalog, Action, Service};
use super::checks::conditions::all_operators;
use super::context::{self, Cursor};
use super::glob;
use crate::ide::{CompletionItem, CompletionKind};
use crate::syntax::{Lang, Value};
use crate::workspace::{FileKind, Parsed};

/// Common service principals, for `Principal: {Service: …}`.
pub const SERVICE_PRINCIPALS: &[&str] = &[
    "lambda.amazonaws.com",
    "edgelambda.amazonaws.com",
    "apigateway.amazonaws.com",
    "events.amazonaws.com",
    "scheduler.amazonaws.com",
    "states.amazonaws.com",
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "sqs.amazonaws.com",
    "logs.amazonaws.com",
    "delivery.logs.amazonaws.com",
    "cloudwatch.amazonaws.com",
    "ec2.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "ecs.amazonaws.com",
    "eks.amazonaws.com",
    "batch.amazonaws.com",
    "dynamodb.amazonaws.com",
    "kinesis.amazonaws.com",
    "firehose.amazonaws.com",
    "glue.amazonaws.com",
    "sagemaker.amazonaws.com",
    "bedrock.amazonaws.com",
    "cloudformation.amazonaws.com",
    "codebuild.amazonaws.com",
    "codepipeline.amazonaws.com",
    "codedeploy.amazonaws.com",
    "cognito-idp.amazonaws.com",
    "iot.amazonaws.com",
    "secretsmanager.amazonaws.com",
    "ssm.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
    "cloudfront.amazonaws.com",
    "pipes.amazonaws.com",
    "appsync.amazonaws.com",
    "kafka.amazonaws.com",
    "rds.amazonaws.com",
    "backup.amazonaws.com",
    "config.amazonaws.com",
    "cloudtrail.amazonaws.com",
];

const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

/// Whether completion should answer here: policy files, or a statement list in a template or
/// serverless.yml.
fn in_policy(kind: FileKind, c: &Cursor) -> bool {
    kind == FileKind::Policy
        || c.keys.iter().any(|k| {
            matches!(
                k.as_str(),
                "Statement"
                    | "statements"
                    | "iamRoleStatements"
                    | "PolicyDocument"
                    | "AssumeRolePolicyDocument"
                    | "KeyPolicy"
            )
        })
}

/// The file's kind, or while it is too broken to confirm, what its name and text suggest.
pub fn kind_of(file: &Parsed) -> FileKind {
    match file.kind {
        FileKind::Other => crate::workspace::kind::sniff(&file.path, &file.text),
        k => k,
    }
}

pub fn completion(file: &Parsed, offset: usize) -> Vec<CompletionItem> {
    let kind = kind_of(file);
    if !matches!(
        kind,
        FileKind::Policy | FileKind::Template | FileKind::Serverless
    ) {
        return Vec::new();
    }
    let yaml = file.lang == Some(Lang::Yaml);
    let Some(c) = context::cursor(&file.text, offset, yaml) else {
        return Vec::new();
    };
    if !in_policy(kind, &c) {
        return Vec::new();
    }
    complete_at(file, offset, &c)
}

/// Completion for a cursor already located (benchmarks call this with a fixed cursor).
pub fn complete_at(file: &Parsed, offset: usize, c: &Cursor) -> Vec<CompletionItem> {
    let inner = c.keys.first().map(|s| s.as_str()).unwrap_or("");
    let parent = c.keys.get(1).map(|s| s.as_str()).unwrap_or("");
    if c.at_key {
        return match inner {
            "Statement" | "statements" | "iamRoleStatements" => {
                keywords(c, STATEMENT_KEYS, CompletionKind::Property)
            }
            "Condition" => operators(c),
            "Principal" | "NotPrincipal" => keywords(
                c,
                &["AWS", "Service", "Federated", "CanonicalUser"],
                CompletionKind::Property,
            ),
            _ if parent == "Condition" => condition_keys(file, offset, c),
            "" if kind_of(file) == FileKind::Policy => {
                keywords(c, &["Version", "Id", "Statement"], CompletionKind::Property)
            }
            "PolicyDocument" | "AssumeRolePolicyDocument" | "KeyPolicy" => {
                keywords(c, &["Version", "Statement"], CompletionKind::Property)
            }
            _ => Vec::new(),
        };
    }
    match inner {
        "Action" | "NotAction" => actions(c),
        "Effect" => keywords(c, &["Allow", "Deny"], CompletionKind::EnumMember),
        "Version" => keywords(c, &["2012-10-17"], CompletionKind::EnumMember),
        "Resource" | "NotResource" => arn_snippets(file, offset, c),
        "Service" if parent == "Principal" || parent == "NotPrincipal" => {
            keywords(c, SERVICE_PRINCIPALS, CompletionKind::Value)
        }
        "Principal" | "NotPrincipal" => keywords(c, &["*"], CompletionKind::Value),
        _ if parent != "Condition" && c.keys.get(2).map(|s| s.as_str()) == Some("Condition") => {
            condition_values(c)
        }
        _ => Vec::new(),
    }
}

fn item(c: &Cursor, label: &str, kind: CompletionKind) -> CompletionItem {
    let mut it = CompletionItem::new(label, kind, c.span.clone());
    it.filter_text = Some(label.to_string());
    it
}

fn keywords(c: &Cursor, words: &[&str], kind: CompletionKind) -> Vec<CompletionItem> {
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| {
            w.to_ascii_lowercase()
                .starts_with(&c.word.to_ascii_lowercase())
                || c.word.is_empty()
        })
        .map(|(i, w)| {
            let mut it = item(c, w, kind);
            it.sort_text = Some(format!("{i:03}"));
            it
        })
        .collect()
}

pub fn action_doc(svc: &Service, a: &Action) -> String {
    // Built by hand: completion makes one per item, hundreds per request.
    let desc = a.description();
    let mut doc = String::with_capacity(64 + desc.len() + 24 * a.resources.len());
    doc.push_str("**");
    doc.push_str(svc.prefix);
    doc.push(':');
    doc.push_str(a.name);
    doc.push_str("** — ");
    doc.push_str(a.access.label());
    doc.push_str("\n\n");
    doc.push_str(desc);
    if a.resources.is_empty() {
        doc.push_str("\n\nResource types: none (use `\"Resource\": \"*\"`)");
    } else {
        doc.push_str("\n\nResource types: ");
        for (i, r) in a.resources.iter().enumerate() {
            if let Some(rt) = svc.resource(r) {
                if i > 0 {
                    doc.push_str(", ");
                }
                doc.push('`');
                doc.push_str(rt.name);
                doc.push('`');
                if r.required {
                    doc.push('*');
                }
            }
        }
    }
    doc
}

fn actions(c: &Cursor) -> Vec<CompletionItem> {
    let cat = catalog();
    let word = c.word.as_str();
    let mut out = Vec::new();
    match word.split_once(':') {
        None => {
            let lower = word.to_ascii_lowercase();
            let start = cat.services.partition_point(|s| s.prefix < lower.as_str());
            for s in cat.services[start..]
                .iter()
                .take_while(|s| s.prefix.starts_with(lower.as_str()))
            {
                let label = format!("{}:", s.prefix);
                let mut it = item(c, &label, CompletionKind::Module);
                it.detail = Some(s.name.to_string());
                it.documentation = Some(format!("**{}** — {} actions", s.name, s.actions.len()));
                out.push(it);
            }
            if word.is_empty() || word == "*" {
                let mut it = item(c, "*", CompletionKind::Keyword);
                it.detail = Some("every action of every service".into());
                out.push(it);
            }
        }
        Some((prefix, name)) => {
            let Some(svc) = cat.service(prefix) else {
                return out;
            };
            let head = &name[..name.find(['*', '?']).unwrap_or(name.len())];
            let list = svc.actions_with_prefix(head);
            for a in list {
                if glob::has_wildcard(name) && !glob::matches(name, a.name, true) {
                    continue;
                }
                let label = format!("{}:{}", svc.prefix, a.name);
                let mut it = item(c, &label, CompletionKind::Function);
                it.detail = Some(a.access.label().to_string());
                it.documentation = Some(action_doc(svc, a));
                out.push(it);
            }
            // Wildcards: the whole service, and the typed stem.
            let mut wild = vec![format!("{}:*", svc.prefix)];
            if !head.is_empty() && !list.is_empty() {
                wild.push(format!("{}:{}*", svc.prefix, head));
            }
            for w in wild {
                let n = cat.expand(&w).len();
                let mut it = item(c, &w, CompletionKind::Keyword);
                it.detail = Some(format!("{n} actions"));
                it.sort_text = Some(format!("~{w}"));
                out.push(it);
            }
        }
    }
    out
}

fn operators(c: &Cursor) -> Vec<CompletionItem> {
    let word = c.word.to_ascii_lowercase();
    all_operators()
        .into_iter()
        .filter(|o| {
            o.to_ascii_lowercase().starts_with(&word) || word.is_empty() && !o.contains(':')
        })
        .map(|o| {
            let mut it = item(c, &o, CompletionKind::Keyword);
            it.sort_text = Some(format!(
                "{}{}",
                if o.contains(':') || o.ends_with("IfExists") {
                    "1"
                } else {
                    "0"
                },
                o
            ));
            it
        })
        .collect()
}

/// The statement node around `offset`, from the value tree (absent in badly broken text).
fn statement_at(file: &Parsed, offset: usize) -> Option<&Value> {
    // A YAML tree salvaged from broken text can merge unrelated entries: the text knows better then.
    // (JSON's builder repairs text cut short and keeps whole pairs, so its tree stays usable.)
    if file.lang == Some(Lang::Yaml)
        && file
            .doc
            .findings
            .iter()
            .any(|f| f.rule == crate::syntax::rules::PARSE_ERROR.id)
    {
        return None;
    }
    let root = file.root()?;
    root.nodes_at(offset)
        .into_iter()
        .rev()
        .map(|(_, v)| v)
        .find(|v| {
            v.get("Effect").is_some() || v.get("Action").is_some() || v.get("NotAction").is_some()
        })
}

/// Actions named in the text of the statement around `offset`, for text the value tree cannot hold.
fn statement_actions_from_text(
    file: &Parsed,
    offset: usize,
) -> Vec<(&'static Service, &'static Action)> {
    let text = &file.text;
    let offset = offset.min(text.len());
    let (start, end) = if file.lang == Some(Lang::Yaml) {
        // From the `- ` that opens the statement to the next line at or left of its dash.
        let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let cur_indent =
            text[line_start..].len() - text[line_start..].trim_start_matches(' ').len();
        let mut start = 0;
        let mut dash = 0;
        let mut pos = line_start;
        for line in text[..line_start].lines().rev() {
            pos -= line.len() + 1;
            let ind = line.len() - line.trim_start_matches(' ').len();
            if line.trim_start().starts_with("- ") && ind < cur_indent {
                start = pos;
                dash = ind;
                break;
            }
        }
        let mut end = text.len();
        let mut at = text[offset..]
            .find('\n')
            .map(|i| offset + i + 1)
            .unwrap_or(text.len());
        for line in text[at..].lines() {
            let ind = line.len() - line.trim_start_matches(' ').len();
            if !line.trim().is_empty() && ind <= dash {
                end = at;
                break;
            }
            at += line.len() + 1;
        }
        (start, end)
    } else {
        let start = text[..offset].rfind('{').unwrap_or(0);
        let end = text[offset..]
            .find('}')
            .map(|i| offset + i)
            .unwrap_or(text.len());
        (start, end)
    };
    let cat = catalog();
    let mut out = Vec::new();
    for token in text[start..end.max(start)]
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '*' | '?' | '_')))
    {
        if token.matches(':').count() == 1
            && !token.starts_with("arn")
            && !token.starts_with("aws:")
        {
            out.extend(cat.expand(token).into_iter().take(200));
        }
    }
    out
}

/// The statement's actions, as written (resolved the way the file's dialect resolves them).
fn statement_actions(file: &Parsed, offset: usize) -> Vec<(&'static Service, &'static Action)> {
    let Some(s) = statement_at(file, offset) else {
        return statement_actions_from_text(file, offset);
    };
    let Some(a) = s.get("Action") else {
        return Vec::new();
    };
    let dialect = match kind_of(file) {
        FileKind::Template => super::resolve::Dialect::CloudFormation,
        FileKind::Serverless => super::resolve::Dialect::Serverless,
        _ => super::resolve::Dialect::Plain,
    };
    let cat = catalog();
    let mut out = Vec::new();
    for v in a.one_or_many() {
        if let Some(r) = super::resolve::string(v, dialect) {
            if r.exact() && r.as_str() != "*" {
                out.extend(cat.expand(r.as_str()).into_iter().take(200));
            }
        }
    }
    out
}

fn condition_keys(file: &Parsed, offset: usize, c: &Cursor) -> Vec<CompletionItem> {
    let cat = catalog();
    let word = c.word.to_ascii_lowercase();
    let mut out: Vec<CompletionItem> = Vec::new();
    let mut push = |name: &str, detail: String, doc: &str, sort: &str| {
        let label = name.to_string();
        if !label.to_ascii_lowercase().starts_with(&word) && !word.is_empty() {
            return;
        }
        if out.iter().any(|i| i.label == label) {
            return;
        }
        let mut it = item(c, &label, CompletionKind::Property);
        it.detail = Some(detail);
        if !doc.is_empty() {
            it.documentation = Some(doc.to_string());
        }
        it.sort_text = Some(format!("{sort}{label}"));
        out.push(it);
    };
    for (svc, a) in statement_actions(file, offset) {
        for k in a.key_names(svc) {
            let ck = cat.condition_key(k);
            push(
                k,
                ck.map(|k| k.ty.label()).unwrap_or_default(),
                ck.map(|k| k.description()).unwrap_or(""),
                "0",
            );
        }
    }
    for g in &cat.globals {
        push(
            g.name,
            format!("{} · global ({})", g.ty.label(), g.category),
            g.description(),
            "1",
        );
    }
    out
}

fn condition_values(c: &Cursor) -> Vec<CompletionItem> {
    let cat = catalog();
    let Some(key) = c.keys.first() else {
        return Vec::new();
    };
    match cat.condition_key(key).map(|k| k.ty.base) {
        Some(super::catalog::BaseType::Bool) => {
            keywords(c, &["true", "false"], CompletionKind::EnumMember)
        }
        _ => Vec::new(),
    }
}

/// Escapes text for LSP snippet syntax.
fn snippet_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('$', "\\$")
        .replace('}', "\\}")
}

/// An ARN template as a snippet: variables become tab stops; inside `!Sub` the partition, region and
/// account become pseudo parameters.
pub fn arn_snippet(template: &str, in_sub: bool) -> String {
    let mut out = String::new();
    let mut rest = template;
    let mut n = 0;
    while let Some(i) = rest.find("${") {
        out.push_str(&snippet_text(&rest[..i]));
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            break;
        };
        let var = &after[..end];
        let pseudo = match var {
            "Partition" => Some(("AWS::Partition", "aws")),
            "Region" => Some(("AWS::Region", "us-east-1")),
            "Account" => Some(("AWS::AccountId", "123456789012")),
            _ => None,
        };
        match (pseudo, in_sub) {
            (Some((p, _)), true) => out.push_str(&format!("\\${{{p}\\}}")),
            (Some((_, default)), false) => {
                n += 1;
                out.push_str(&format!("${{{n}:{default}}}"));
            }
            (None, _) => {
                n += 1;
                out.push_str(&format!("${{{n}:{var}}}"));
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(&snippet_text(rest));
    out
}

fn arn_snippets(file: &Parsed, offset: usize, c: &Cursor) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    let mut star = item(c, "*", CompletionKind::Keyword);
    star.detail = Some("every resource".into());
    star.sort_text = Some("~*".into());
    let mut seen: Vec<&str> = Vec::new();
    for (svc, a) in statement_actions(file, offset) {
        for r in a.resources.iter() {
            let Some(rt) = svc.resource(r) else {
                continue;
            };
            for t in &rt.arns {
                if seen.contains(&t.raw) {
                    continue;
                }
                seen.push(t.raw);
                let label = t.raw.to_string();
                let mut it = item(c, &label, CompletionKind::Snippet);
                it.insert_text = arn_snippet(t.raw, c.in_sub);
                it.snippet = true;
                it.detail = Some(format!("{} {}", svc.prefix, rt.name));
                it.documentation = Some(format!(
                    "ARN of a `{}` `{}`, which `{}:{}` acts on",
                    svc.prefix, rt.name, svc.prefix, a.name
                ));
                it.filter_text = Some(format!("{}{}", c.word, label));
                out.push(it);
            }
        }
    }
    out.push(star);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_at(name: &str, text: &str) -> Vec<String> {
        let at = text.find('|').expect("cursor");
        let t = text.replacen('|', "", 1);
        let p = crate::workspace::parse(
            std::path::Path::new(name),
            std::sync::Arc::from(t.as_str()),
            None,
        );
        completion(&p, at).into_iter().map(|i| i.label).collect()
    }

    /// Completion and hover answer (or not) at every offset of broken, multi-byte text, without panicking.
    #[test]
    fn never_panics_at_any_offset() {
        let texts = [
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:Get😀\", 'x\", \"Resource\": \"arn:aws:s3:::é/*\", \"Condition\": {\"StringEquals\": {\"aws:So",
            "Resources:\n  R:\n    Properties:\n      PolicyDocument:\n        Statement:\n- 'Effect: \"😀\n    - Action: [s3:Get, \"é\n  Condition: {StringLike: {aws:Sou\n\"",
            "\"\n'\n\"'\"Statement\":\"",
        ];
        for (name, text) in [
            ("policy.json", texts[0]),
            ("template.yaml", texts[1]),
            ("policy.json", texts[2]),
            ("serverless.yml", texts[1]),
        ] {
            let p = crate::workspace::parse(
                std::path::Path::new(name),
                std::sync::Arc::from(text),
                None,
            );
            for at in 0..=text.len() {
                let _ = completion(&p, at);
                let _ = crate::iam::hover::hover(&p, at);
            }
        }
    }

    #[test]
    fn values_keys_and_principals() {
        let tpl = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: |\n        Statement:\n          - Effect: Al\n            Principal:\n              Service: lam|\n";
        let first = tpl.replacen("lam|", "lam", 1);
        assert_eq!(labels_at("template.yaml", &first), vec!["2012-10-17"]);
        let second = tpl.replacen("Version: |", "Version: ", 1);
        assert!(labels_at("template.yaml", &second).contains(&"lambda.amazonaws.com".to_string()));
        let json = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"*\", \"Condition\": {\"StringLike\": {\"s3:pre|";
        assert_eq!(labels_at("policy.json", json), vec!["s3:prefix"]);
        let json = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"*\", \"Condition\": {\"ArnLi|";
        let ops = labels_at("policy.json", json);
        assert!(
            ops.contains(&"ArnLike".to_string()) && ops.contains(&"ArnLikeIfExists".to_string()),
            "{ops:?}"
        );
        let json = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"aws:SourceAcc|";
        assert_eq!(labels_at("policy.json", json), vec!["aws:SourceAccount"]);
    }

    #[test]
    fn snippets() {
        assert_eq!(
            arn_snippet("arn:${Partition}:s3:::${BucketName}/${ObjectName}", false),
            "arn:${1:aws}:s3:::${2:BucketName}/${3:ObjectName}"
        );
        assert_eq!(
            arn_snippet(
                "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}",
                true
            ),
            "arn:\\${AWS::Partition\\}:sqs:\\${AWS::Region\\}:\\${AWS::AccountId\\}:${1:QueueName}"
        );
    }
}
