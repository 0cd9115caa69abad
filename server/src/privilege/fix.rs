//! Quick fixes that grant what the code needs: a SAM policy template or an inline statement in the
//! function's `Policies`, a statement in the role's inline policy, or a serverless.yml role statement —
//! with the resource narrowed when the code names it by a literal or by an environment variable bound to
//! a resource of the template. Edits are made in YAML configs; JSON templates get the finding without a
//! fix.

use super::calls::Target;
use crate::function::model::{FunctionConfig, Source};
use crate::iam::eval::{decide, Decision};
use crate::rules::{Edit, Fix};
use crate::syntax::{Lang, Value, ValueKind};
use crate::workspace::{FileKind, Parsed};

/// Where the code's resource comes from in the config.
#[derive(Clone, Debug, PartialEq)]
enum Res {
    /// A resource of the template: logical id and type.
    Logical(String, String),
    /// A plain name or ARN.
    Literal(String),
}

/// The fix that adds `actions` for `f`, declared in `config`; `None` when the config's shape is not one
/// we edit safely.
pub fn grant(
    config: &Parsed,
    f: &FunctionConfig,
    actions: &[String],
    service_id: &str,
    target: Option<&Target>,
) -> Option<Fix> {
    if config.lang != Some(Lang::Yaml) || actions.is_empty() {
        return None;
    }
    let root = config.root()?;
    let text = &config.text;
    let res = target.and_then(|t| resolve_target(config, f, t));
    let resource = resource_expr(config.kind, res.as_ref(), service_id, actions).yaml();
    let shown = actions.join(", ");
    let edit = |span: std::ops::Range<usize>, new_text: String, title: String| Fix {
        title,
        edits: vec![Edit {
            path: Some(config.path.clone()),
            span,
            new_text,
        }],
        preferred: true,
    };
    let statement = |indent: usize| statement_yaml(actions, &resource, indent);
    match (config.kind, f.source) {
        (FileKind::Template, Source::Sam) if f.role.is_none() => {
            let item = match res
                .as_ref()
                .and_then(|r| sam_template(service_id, actions, r))
            {
                Some((name, param, value)) => (
                    format!("Add the SAM policy template `{name}` to `{}`", f.name),
                    format!("- {name}:\n    {param}: {value}"),
                ),
                None => (
                    format!("Allow `{shown}` in the `Policies` of `{}`", f.name),
                    format!("- Statement:\n{}", statement(4)),
                ),
            };
            let (title, item) = item;
            match &f.policies {
                Some(p) if !p.inherited => {
                    let (span, new_text) = append_item(text, p.node, &item)?;
                    Some(edit(span, new_text, title))
                }
                Some(_) => None,
                None => {
                    let props = f.properties?;
                    let (span, new_text) = add_key(
                        text,
                        props,
                        &format!("Policies:\n{}", indent_lines(&item, 2)),
                    )?;
                    Some(edit(span, new_text, title))
                }
            }
        }
        (FileKind::Template, _) | (FileKind::Serverless, _) if role_id(config, f).is_some() => {
            let id = role_id(config, f)?;
            let resources = match config.kind {
                FileKind::Serverless => root.get_path(&["resources", "Resources"])?,
                _ => root.get("Resources")?,
            };
            let props = resources.get(id)?.get("Properties")?;
            let title = format!("Allow `{shown}` in the role `{id}`");
            // Into the first inline policy's statement list, else as a new inline policy.
            let first_statements = props
                .get("Policies")
                .and_then(|p| p.as_seq())
                .and_then(|p| p.first())
                .and_then(|p| p.get_path(&["PolicyDocument", "Statement"]))
                .filter(|s| s.as_seq().is_some());
            if let Some(stmts) = first_statements {
                let (span, new_text) = append_item(text, stmts, &statement(0))?;
                return Some(edit(span, new_text, title));
            }
            let policy = format!(
                "- PolicyName: {}Access\n  PolicyDocument:\n    Version: \"2012-10-17\"\n    Statement:\n{}",
                f.name,
                statement(6)
            );
            let (span, new_text) = match props.get("Policies") {
                Some(p) => append_item(text, p, &policy)?,
                None => add_key(
                    text,
                    props,
                    &format!("Policies:\n{}", indent_lines(&policy, 2)),
                )?,
            };
            Some(edit(span, new_text, title))
        }
        (FileKind::Serverless, _) => {
            let provider = root.get("provider")?;
            let title = format!("Allow `{shown}` in the service role");
            let own = f
                .node
                .get("iamRoleStatements")
                .or_else(|| f.node.get_path(&["iam", "role", "statements"]));
            let list = own
                .or_else(|| provider.get_path(&["iam", "role", "statements"]))
                .or_else(|| provider.get("iamRoleStatements"));
            let (span, new_text) = match list {
                Some(l) => append_item(text, l, &statement(0))?,
                None if provider.get("iam").is_none() => add_key(
                    text,
                    provider,
                    &format!("iam:\n  role:\n    statements:\n{}", statement(6)),
                )?,
                None => return None,
            };
            Some(edit(span, new_text, title))
        }
        _ => None,
    }
}

/// The role resource a function uses, when it is in this config.
pub fn role_id<'a>(config: &'a Parsed, f: &FunctionConfig<'a>) -> Option<&'a str> {
    let root = config.root()?;
    let v = match f.source {
        Source::Serverless => f
            .node
            .get("role")
            .or_else(|| root.get_path(&["provider", "role"]))
            .or_else(|| {
                root.get_path(&["provider", "iam", "role"])
                    .filter(|r| r.as_map().is_none())
            })?,
        _ => f.role.as_ref()?.node,
    };
    let id = crate::iam::locate::ref_target(v).or_else(|| v.as_str())?;
    let resources = match config.kind {
        FileKind::Serverless => root.get_path(&["resources", "Resources"])?,
        _ => root.get("Resources")?,
    };
    (resources.get(id)?.get("Type")?.as_str() == Some("AWS::IAM::Role")).then_some(id)
}

/// What the code's target stands for in the config.
fn resolve_target(config: &Parsed, f: &FunctionConfig, t: &Target) -> Option<Res> {
    match t {
        Target::Literal(s) => Some(Res::Literal(s.clone())),
        Target::Env(var) => {
            let (_, field) = f.environment.iter().find(|(k, _)| k.text == *var)?;
            let v = field.node;
            if let Some(s) = v.as_str() {
                return (!s.contains("${")).then(|| Res::Literal(s.to_string()));
            }
            let (name, arg) = v.as_intrinsic()?;
            let id = match name {
                "Ref" => arg.as_str()?,
                // Only the attribute that names the resource itself.
                "Fn::GetAtt" => {
                    let id = crate::iam::locate::ref_target(v)?;
                    let attr = match &arg.kind {
                        ValueKind::Str(s) => s.split_once('.').map(|(_, a)| a.to_string()),
                        ValueKind::Seq(items) => items.get(1)?.as_str().map(str::to_string),
                        _ => None,
                    }?;
                    if !matches!(attr.as_str(), "Arn" | "QueueName" | "TopicName" | "Name") {
                        return None;
                    }
                    id
                }
                _ => return None,
            };
            let root = config.root()?;
            let resources = match config.kind {
                FileKind::Serverless => root.get_path(&["resources", "Resources"])?,
                _ => root.get("Resources")?,
            };
            let ty = resources.get(id)?.get("Type")?.as_str()?;
            Some(Res::Logical(id.to_string(), ty.to_string()))
        }
    }
}

/// The resource types an action applies to (`object`, `bucket`, `table`).
fn resource_kinds(action: &str) -> Vec<&'static str> {
    let cat = crate::iam::catalog::catalog();
    let Some((svc, a)) = cat.action(action) else {
        return Vec::new();
    };
    a.resources
        .iter()
        .filter_map(|r| svc.resource(r).map(|t| t.name))
        .collect()
}

fn yaml_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A `Resource` value, rendered as YAML (with short-form intrinsics) or JSON.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceExpr {
    Star,
    Plain(String),
    Sub(String),
    GetAttArn(String),
    Ref(String),
    List(Vec<ResourceExpr>),
}

impl ResourceExpr {
    pub fn yaml(&self) -> String {
        match self {
            ResourceExpr::Star => "\"*\"".into(),
            ResourceExpr::Plain(s) => yaml_quote(s),
            ResourceExpr::Sub(s) => format!("!Sub {}", yaml_quote(s)),
            ResourceExpr::GetAttArn(id) => format!("!GetAtt {id}.Arn"),
            ResourceExpr::Ref(id) => format!("!Ref {id}"),
            ResourceExpr::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| i.yaml())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    pub fn json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            ResourceExpr::Star => json!("*"),
            ResourceExpr::Plain(s) => json!(s),
            ResourceExpr::Sub(s) => json!({ "Fn::Sub": s }),
            ResourceExpr::GetAttArn(id) => json!({ "Fn::GetAtt": [id, "Arn"] }),
            ResourceExpr::Ref(id) => json!({ "Ref": id }),
            ResourceExpr::List(items) => {
                serde_json::Value::Array(items.iter().map(|i| i.json()).collect())
            }
        }
    }
}

/// The resource for `actions` on what the code's target stands for in the config; `*` when unknown.
pub fn resource_for(
    config: &Parsed,
    f: &FunctionConfig,
    target: Option<&Target>,
    service_id: &str,
    actions: &[String],
) -> ResourceExpr {
    let res = target.and_then(|t| resolve_target(config, f, t));
    resource_expr(config.kind, res.as_ref(), service_id, actions)
}

/// The `Resource` value for the actions: narrowed when the resource is known, `"*"` otherwise.
fn resource_expr(
    kind: FileKind,
    res: Option<&Res>,
    service_id: &str,
    actions: &[String],
) -> ResourceExpr {
    use ResourceExpr as E;
    let Some(res) = res else {
        return E::Star;
    };
    let cf = kind == FileKind::Template;
    let partition = if cf { "${AWS::Partition}" } else { "aws" };
    let sub = |s: String| {
        if cf || s.contains("${") {
            E::Sub(s)
        } else {
            E::Plain(s)
        }
    };
    let kinds: Vec<&str> = actions.iter().flat_map(|a| resource_kinds(a)).collect();
    let object = kinds.contains(&"object");
    let bucket = kinds.contains(&"bucket");
    let s3 = |b: String| match (object, bucket) {
        (true, true) => E::List(vec![sub(b.clone()), sub(format!("{b}/*"))]),
        (true, false) => sub(format!("{b}/*")),
        _ => sub(b),
    };
    match (service_id, res) {
        ("s3", Res::Logical(id, ty)) if ty == "AWS::S3::Bucket" => {
            s3(format!("arn:{partition}:s3:::${{{id}}}"))
        }
        ("s3", Res::Literal(name)) if !name.contains(':') && !name.contains('/') => {
            s3(format!("arn:{partition}:s3:::{name}"))
        }
        (_, Res::Logical(id, ty)) => match ty.as_str() {
            "AWS::DynamoDB::Table"
            | "AWS::Serverless::SimpleTable"
            | "AWS::SQS::Queue"
            | "AWS::Kinesis::Stream"
            | "AWS::Serverless::Function"
            | "AWS::Lambda::Function" => E::GetAttArn(id.clone()),
            "AWS::SNS::Topic"
            | "AWS::Serverless::StateMachine"
            | "AWS::StepFunctions::StateMachine"
            | "AWS::SecretsManager::Secret" => E::Ref(id.clone()),
            _ => E::Star,
        },
        (_, Res::Literal(s)) if s.starts_with("arn:") => E::Plain(s.clone()),
        ("dynamodb", Res::Literal(name)) if cf => E::Sub(format!(
            "arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{name}"
        )),
        _ => E::Star,
    }
}

/// A statement as YAML list item lines, indented by `indent`.
fn statement_yaml(actions: &[String], resource: &str, indent: usize) -> String {
    let action = if actions.len() == 1 {
        actions[0].clone()
    } else {
        format!("[{}]", actions.join(", "))
    };
    let pad = " ".repeat(indent);
    format!("{pad}- Effect: Allow\n{pad}  Action: {action}\n{pad}  Resource: {resource}")
}

fn indent_lines(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    s.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| at + i)
}

/// Appends an item (YAML lines starting with `- `, relative indentation) to a block sequence.
fn append_item(text: &str, seq: &Value, item: &str) -> Option<(std::ops::Range<usize>, String)> {
    match &seq.kind {
        ValueKind::Seq(items) => {
            let first = items.first()?;
            let ls = line_start(text, first.span.start);
            let before = text.get(ls..first.span.start)?;
            let dash = before.rfind('-')?;
            // A flow sequence (`[a, b]`) is not edited.
            if text.get(seq.span.start..seq.span.start + 1) == Some("[") {
                return None;
            }
            let indent = before[..dash].chars().count();
            if !before[..dash].chars().all(|c| c == ' ') {
                return None;
            }
            let last = items.last()?;
            let at = line_end(text, last.span.end.saturating_sub(1).max(last.span.start));
            let body = item.trim_start_matches(' ');
            Some((at..at, format!("\n{}", indent_lines(body, indent))))
        }
        // `Policies: AWSLambdaBasicExecutionRole`: the scalar becomes a list of it and the new item.
        ValueKind::Str(s) => {
            let ls = line_start(text, seq.span.start);
            let key_indent = text[ls..].chars().take_while(|c| *c == ' ').count();
            let pad = key_indent + 2;
            let new_text = format!(
                "\n{}- {}\n{}",
                " ".repeat(pad),
                text.get(seq.span.clone()).unwrap_or(s),
                indent_lines(item.trim_start_matches(' '), pad)
            );
            Some((seq.span.clone(), new_text))
        }
        _ => None,
    }
}

/// Adds `key_text` (a key and its indented lines) to a block mapping, after its last entry.
fn add_key(text: &str, map: &Value, key_text: &str) -> Option<(std::ops::Range<usize>, String)> {
    let entries = map.as_map()?;
    if text.get(map.span.start..map.span.start + 1) == Some("{") {
        return None;
    }
    let (first_key, _) = entries.first()?;
    let indent = first_key.span.start - line_start(text, first_key.span.start);
    let (_, last) = entries.last()?;
    let at = line_end(text, last.span.end.saturating_sub(1).max(last.span.start));
    Some((at..at, format!("\n{}", indent_lines(key_text, indent))))
}

/// A SAM policy template that grants every action on the resource, smallest first.
pub(crate) fn sam_template_for(
    config: &Parsed,
    f: &FunctionConfig,
    target: Option<&Target>,
    service_id: &str,
    actions: &[String],
) -> Option<(&'static str, &'static str, String)> {
    let res = target.and_then(|t| resolve_target(config, f, t))?;
    sam_template(service_id, actions, &res)
}

fn sam_template(
    service_id: &str,
    actions: &[String],
    res: &Res,
) -> Option<(&'static str, &'static str, String)> {
    let Res::Logical(id, ty) = res else {
        return None;
    };
    let (candidates, param, value): (&[&str], &str, String) = match (service_id, ty.as_str()) {
        ("s3", "AWS::S3::Bucket") => (
            &["S3ReadPolicy", "S3WritePolicy", "S3CrudPolicy"],
            "BucketName",
            format!("!Ref {id}"),
        ),
        ("dynamodb", "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable") => (
            &[
                "DynamoDBReadPolicy",
                "DynamoDBWritePolicy",
                "DynamoDBCrudPolicy",
            ],
            "TableName",
            format!("!Ref {id}"),
        ),
        ("sqs", "AWS::SQS::Queue") => (
            &["SQSSendMessagePolicy", "SQSPollerPolicy"],
            "QueueName",
            format!("!GetAtt {id}.QueueName"),
        ),
        ("sns", "AWS::SNS::Topic") => (
            &["SNSPublishMessagePolicy"],
            "TopicName",
            format!("!GetAtt {id}.TopicName"),
        ),
        ("lambda", "AWS::Serverless::Function" | "AWS::Lambda::Function") => (
            &["LambdaInvokePolicy"],
            "FunctionName",
            format!("!Ref {id}"),
        ),
        ("stepfunctions", "AWS::Serverless::StateMachine" | "AWS::StepFunctions::StateMachine") => {
            (
                &["StepFunctionsExecutionPolicy"],
                "StateMachineName",
                format!("!GetAtt {id}.Name"),
            )
        }
        ("secretsmanager", "AWS::SecretsManager::Secret") => (
            &["AWSSecretsManagerGetSecretValuePolicy"],
            "SecretArn",
            format!("!Ref {id}"),
        ),
        ("kinesis", "AWS::Kinesis::Stream") => {
            (&["KinesisCrudPolicy"], "StreamName", format!("!Ref {id}"))
        }
        _ => return None,
    };
    candidates.iter().find_map(|name| {
        let t = crate::iam::sam::template(name)?;
        let (pname, _) = t.parameters.iter().find(|(p, _)| p == param)?;
        let yaml = format!("{name}:\n  {pname}: x\n");
        let doc = crate::syntax::parse_value(Lang::Yaml, &yaml).value?;
        let (key, params) = doc.as_map()?.first()?;
        let entry = crate::iam::sam::Entry {
            name,
            key,
            params,
            owner: "Fn",
        };
        let expanded = crate::iam::sam::expand(&entry)?;
        let stmts: Vec<crate::iam::eval::Statement> = expanded
            .get("Statement")
            .map(|s| s.one_or_many())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| {
                let st = crate::iam::model::Stmt::new(0, s);
                Some(crate::iam::eval::Statement {
                    allow: st.allow(),
                    actions: st
                        .action?
                        .strings(crate::iam::resolve::Dialect::CloudFormation)
                        .into_iter()
                        .map(|(_, r)| r.text)
                        .collect(),
                    not_action: false,
                    resources: vec!["*".into()],
                    not_resource: false,
                    conditional: false,
                })
            })
            .collect();
        actions
            .iter()
            .all(|a| decide(&stmts, a, None) == Decision::Allowed)
            .then(|| (*name, param, value.clone()))
    })
}
