//! Checks across a whole template: size quotas summed per role, a function's role trusting Lambda,
//! `AWS::Lambda::Permission` and layer permissions (resource-policy statements in disguise), SAM policy
//! templates, and wildcard actions on Lambda roles.

use super::{template, DocCx};
use crate::function::model::{self, Source};
use crate::iam::catalog::{arn, catalog};
use crate::iam::glob::PLACEHOLDER;
use crate::iam::locate::{ref_target, Located, Origin, PolicyDoc, PolicyKind, SizeGroup};
use crate::iam::resolve::{self, Dialect};
use crate::iam::{model as pmodel, sam};
use crate::rules::{Finding, Fix, Rule, Severity};
use crate::syntax::{Value, ValueKind};
use crate::workspace::{Ctx, FileKind};

pub static SIZE: Rule = Rule {
    id: "iam/size",
    severity: Severity::Warning,
    summary: "a policy over IAM's size quota",
    docs: "IAM counts characters without whitespace: a managed policy may hold 6,144, a role's inline policies \
           together 10,240 (a user's 2,048, a group's 5,120), a role trust policy 2,048 by default, and an S3 \
           bucket policy 20 KB. Over the quota the deployment fails (Access Analyzer: \
           POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA, …_ROLE_TRUST_POLICY_QUOTA, …_RESOURCE_POLICY_QUOTA).",
    bad: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: [arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000001, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000002, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000003, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000004, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000005, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000006, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000007, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000008, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000009, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000010, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000011, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000012, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000013, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000014, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000015, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000016, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000017, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000018, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000019, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000020, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000021, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000022, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000023, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000024, arn:aws:iam::111111111111:role/r000000000000000000000000000000000000000000000000000000000025]\n            Action: sts:AssumeRole\n"),
    good: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: arn:aws:iam::111111111111:root}\n            Action: sts:AssumeRole\n"),
};

pub static FUNCTION_ROLE_TRUST: Rule = Rule {
    id: "iam/function-role-trust",
    severity: Severity::Error,
    summary: "a function's role does not let Lambda assume it",
    docs: "The role in a function's `Role` must trust `lambda.amazonaws.com` with `sts:AssumeRole` in its \
           `AssumeRolePolicyDocument`; otherwise creating the function fails with \"The role defined for the \
           function cannot be assumed by Lambda\". Checked across the template (nobody else checks it).",
    bad: template!("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: ec2.amazonaws.com}\n            Action: sts:AssumeRole\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: !GetAtt Role.Arn\n      Code: {ZipFile: 'def handler(e, c): pass'}\n"),
    good: template!("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: !GetAtt Role.Arn\n      Code: {ZipFile: 'def handler(e, c): pass'}\n"),
};

pub static PERMISSION_SOURCE_ACCOUNT: Rule = Rule {
    id: "iam/permission-source-account",
    severity: Severity::Warning,
    summary: "a Lambda permission whose `SourceArn` has no account, without `SourceAccount`",
    docs: "S3 bucket ARNs (and some others) carry no account id, so `SourceArn` alone does not stop a bucket of \
           the same name in another account (after yours is deleted) from invoking the function. Add \
           `SourceAccount` (cfn-lint W3663).",
    bad: template!("Resources:\n  P:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: fn\n      Principal: s3.amazonaws.com\n      SourceArn: arn:aws:s3:::uploads\n"),
    good: template!("Resources:\n  P:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: fn\n      Principal: s3.amazonaws.com\n      SourceArn: arn:aws:s3:::uploads\n      SourceAccount: !Ref AWS::AccountId\n"),
};

pub static PERMISSION_PRINCIPAL: Rule = Rule {
    id: "iam/permission-principal-mismatch",
    severity: Severity::Warning,
    summary: "a Lambda permission whose principal is not the `SourceArn`'s service",
    docs: "`Principal: sns.amazonaws.com` with a `SourceArn` of an SQS queue can never match a real call: the \
           service principal must be the service that owns the source (`execute-api` ARNs go with \
           `apigateway.amazonaws.com`) (cfn-lint W3664).",
    bad: template!("Resources:\n  P:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: fn\n      Principal: sns.amazonaws.com\n      SourceArn: arn:aws:sqs:us-east-1:123456789012:q\n"),
    good: template!("Resources:\n  P:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: fn\n      Principal: sns.amazonaws.com\n      SourceArn: arn:aws:sns:us-east-1:123456789012:t\n"),
};

pub static SAM_TEMPLATE: Rule = Rule {
    id: "iam/sam-policy-template",
    severity: Severity::Error,
    summary: "an unknown SAM policy template, or its parameters wrong",
    docs: "A SAM function's `Policies` may use policy templates such as `S3ReadPolicy: {BucketName: b}` or \
           `DynamoDBCrudPolicy: {TableName: !Ref Table}`. The name must be one SAM knows (from \
           aws-sam-translator's own list) and every parameter must be given; templates without parameters \
           take `{}`. cfn-lint skips policy validation under the SAM transform.",
    bad: template!("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      InlineCode: 'def handler(e, c): pass'\n      Policies:\n        - S3ReadPolicies: {BucketName: uploads}\n"),
    good: template!("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      InlineCode: 'def handler(e, c): pass'\n      Policies:\n        - S3ReadPolicy: {BucketName: uploads}\n"),
};

pub static LAMBDA_ROLE_WILDCARD: Rule = Rule {
    id: "iam/lambda-role-wildcard-action",
    severity: Severity::Warning,
    summary: "a Lambda function's role allows a whole service (`s3:*`) or everything",
    docs: "A function's permissions should be the calls its code makes. `service:*` or `*` in the policies of a \
           role that Lambda assumes (SAM `Policies`, serverless.yml statements, a role trusting \
           `lambda.amazonaws.com`) hands every future action of the service to the code and to whoever can \
           change it (cfn-lint-serverless WS1003).",
    bad: template!("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      InlineCode: 'def handler(e, c): pass'\n      Policies:\n        - Version: '2012-10-17'\n          Statement:\n            - Effect: Allow\n              Action: dynamodb:*\n              Resource: !GetAtt Table.Arn\n  Table:\n    Type: AWS::DynamoDB::Table\n"),
    good: template!("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      InlineCode: 'def handler(e, c): pass'\n      Policies:\n        - Version: '2012-10-17'\n          Statement:\n            - Effect: Allow\n              Action: [dynamodb:GetItem, dynamodb:PutItem]\n              Resource: !GetAtt Table.Arn\n  Table:\n    Type: AWS::DynamoDB::Table\n"),
};

pub static RULES: &[&Rule] = &[
    &SIZE,
    &FUNCTION_ROLE_TRUST,
    &PERMISSION_SOURCE_ACCOUNT,
    &PERMISSION_PRINCIPAL,
    &SAM_TEMPLATE,
    &LAMBDA_ROLE_WILDCARD,
];

pub fn check(ctx: &Ctx, located: &Located, out: &mut Vec<Finding>) {
    sizes(located, out);
    sam_entries(ctx, located, out);
    if matches!(ctx.file.kind, FileKind::Template | FileKind::Serverless) {
        function_roles(ctx, out);
        permissions(ctx, out);
        lambda_wildcards(ctx, located, out);
    }
}

/// Characters IAM counts: the compact JSON without whitespace. Unknown parts count as nothing, so a
/// template near the limit is never reported on a guess.
pub fn size_of(v: &Value, dialect: Dialect) -> usize {
    let text_len = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != PLACEHOLDER)
            .count()
            + 2
    };
    match &v.kind {
        ValueKind::Map(entries) => {
            2 + entries.len().saturating_sub(1)
                + entries
                    .iter()
                    .map(|(k, c)| text_len(&k.text) + 1 + size_of(c, dialect))
                    .sum::<usize>()
        }
        ValueKind::Seq(items) => {
            2 + items.len().saturating_sub(1)
                + items.iter().map(|i| size_of(i, dialect)).sum::<usize>()
        }
        ValueKind::Str(s) => text_len(
            &resolve::string(v, dialect)
                .map(|r| r.text)
                .unwrap_or_else(|| s.clone()),
        ),
        ValueKind::Num(_) | ValueKind::Bool(_) => v.scalar_text().map(|t| t.len()).unwrap_or(0),
        ValueKind::Null => 4,
        ValueKind::Intrinsic { .. } => resolve::string(v, dialect)
            .map(|r| text_len(&r.text))
            .unwrap_or(0),
    }
}

fn sizes(located: &Located, out: &mut Vec<Finding>) {
    let mut inline: Vec<(&str, usize, usize, &PolicyDoc)> = Vec::new();
    for d in &located.docs {
        if d.origin != Origin::Written {
            continue;
        }
        let n = size_of(&d.value, d.dialect);
        let (limit, what) = match &d.size {
            SizeGroup::Managed => (6_144, "a managed policy"),
            SizeGroup::Trust => (2_048, "a role trust policy (default quota)"),
            SizeGroup::ResourceLimit(l) => (*l, "this resource policy"),
            SizeGroup::Inline { owner, limit } => {
                match inline.iter_mut().find(|(o, _, _, _)| o == owner) {
                    Some(e) => {
                        e.1 += n;
                        e.3 = d;
                    }
                    None => inline.push((owner, n, *limit, d)),
                }
                continue;
            }
            SizeGroup::None => continue,
        };
        if n > limit {
            out.push(Finding::new(
                &SIZE,
                d.anchor.clone(),
                format!("{n} characters (without whitespace): over the {limit} allowed for {what}"),
            ));
        }
    }
    for (owner, n, limit, d) in inline {
        if n > limit {
            out.push(Finding::new(&SIZE, d.anchor.clone(), format!("the inline policies of `{owner}` hold {n} characters (without whitespace) together: over the {limit} allowed")));
        }
    }
}

fn sam_entries(ctx: &Ctx, located: &Located, out: &mut Vec<Finding>) {
    let _ = ctx;
    let names: Vec<&str> = sam::templates().iter().map(|t| t.name.as_str()).collect();
    if names.is_empty() {
        return;
    }
    for e in &located.sam_entries {
        if e.name.starts_with("Fn::") || e.name == "Ref" {
            continue;
        }
        let Some(t) = sam::template(e.name) else {
            let sugg = crate::suggest::closest(e.name, names.iter().copied(), 3);
            let mut f = Finding::new(
                &SAM_TEMPLATE,
                e.key.span.clone(),
                format!(
                    "`{}` is not a SAM policy template{}",
                    e.name,
                    sugg.first()
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default()
                ),
            );
            for s in sugg {
                f.fixes.push(Fix {
                    preferred: f.fixes.is_empty(),
                    ..Fix::replace(format!("Change to `{s}`"), e.key.span.clone(), s)
                });
            }
            out.push(f);
            continue;
        };
        match &e.params.kind {
            ValueKind::Map(given) => {
                for (p, _) in &t.parameters {
                    if !given.iter().any(|(k, _)| &k.text == p) {
                        out.push(Finding::new(
                            &SAM_TEMPLATE,
                            e.key.span.clone(),
                            format!("`{}` needs the parameter `{p}`", e.name),
                        ));
                    }
                }
                for (k, _) in given {
                    if !t.parameters.iter().any(|(p, _)| *p == k.text) {
                        let params: Vec<&str> =
                            t.parameters.iter().map(|(p, _)| p.as_str()).collect();
                        out.push(Finding::new(
                            &SAM_TEMPLATE,
                            k.span.clone(),
                            format!(
                                "`{}` takes no parameter `{}`{}",
                                e.name,
                                k.text,
                                if params.is_empty() {
                                    " (it takes none: write `{}`)".to_string()
                                } else {
                                    format!(" (it takes {})", params.join(", "))
                                }
                            ),
                        ));
                    }
                }
            }
            ValueKind::Intrinsic { .. } => {}
            _ => out.push(Finding::new(
                &SAM_TEMPLATE,
                e.params.span.clone(),
                format!(
                    "`{}` takes a map of parameters{}",
                    e.name,
                    if t.parameters.is_empty() {
                        ": write `{}`"
                    } else {
                        ""
                    }
                ),
            )),
        }
    }
}

/// The role resource a function's `Role` names in this file, if any.
fn role_resource<'a>(
    resources: Option<&'a Value>,
    role: &'a Value,
) -> Option<(&'a str, &'a Value)> {
    let id = match ref_target(role) {
        Some(id) => id,
        None => role
            .as_str()
            .filter(|s| !s.starts_with("arn:") && !s.contains("${"))?,
    };
    let (k, r) = resources?.as_map()?.iter().find(|(k, _)| k.text == id)?;
    (r.get("Type").and_then(|t| t.as_str()) == Some("AWS::IAM::Role"))
        .then_some((k.text.as_str(), r))
}

/// Whether a trust policy lets `service` assume the role: `Some(false)` only when that is certain.
pub fn trusts_service(doc: &Value, dialect: Dialect, service: &str) -> Option<bool> {
    let stmts = doc.get("Statement")?.one_or_many();
    for s in pmodel::statements(&stmts) {
        if !s.allow() {
            if s.effect.is_some_and(|(_, v)| v.as_str().is_none()) {
                return None;
            }
            continue;
        }
        let actions_ok = match s.action {
            Some(e) if !e.not => e.strings(dialect).iter().any(|(_, r)| {
                !r.exact() || crate::iam::glob::matches(r.as_str(), "sts:AssumeRole", true)
            }),
            _ => return None,
        };
        let p = s.principal.filter(|p| !p.not)?;
        let principal_ok = match &p.value.kind {
            ValueKind::Map(entries) => {
                entries.iter().any(|(k, v)| {
                    k.text == "Service"
                        && v.one_or_many().iter().any(|x| {
                            resolve::string(x, dialect).is_some_and(|r| {
                                !r.exact() || r.as_str() == service || r.as_str() == "*"
                            })
                        })
                }) || entries.iter().any(|(k, _)| k.text.starts_with("Fn::"))
            }
            ValueKind::Str(s) => s == "*",
            _ => true,
        };
        if actions_ok && principal_ok {
            return Some(true);
        }
    }
    Some(false)
}

fn function_roles(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(root) = ctx.root() else {
        return;
    };
    let (resources, dialect) = match ctx.file.kind {
        FileKind::Template => (root.get("Resources"), Dialect::CloudFormation),
        _ => (
            root.get_path(&["resources", "Resources"]),
            Dialect::Serverless,
        ),
    };
    for f in model::functions(ctx.file) {
        let Some(role) = &f.role else {
            continue;
        };
        if f.source == Source::Serverless
            && role.node.as_str().is_some_and(|s| s.starts_with("arn:"))
        {
            continue;
        }
        let Some((id, res)) = role_resource(resources, role.node) else {
            continue;
        };
        let Some((k, doc)) = res
            .get("Properties")
            .and_then(|p| p.get_entry("AssumeRolePolicyDocument"))
        else {
            continue;
        };
        if doc.as_map().is_none() {
            continue;
        }
        if trusts_service(doc, dialect, "lambda.amazonaws.com") == Some(false) {
            out.push(
                Finding::new(&FUNCTION_ROLE_TRUST, role.node.span.clone(), format!("function `{}` uses role `{id}`, whose trust policy does not let `lambda.amazonaws.com` assume it", f.name))
                    .with_related(None, k.span.clone(), format!("the trust policy of `{id}`")),
            );
        }
    }
}

fn permissions(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(root) = ctx.root() else {
        return;
    };
    let (resources, dialect) = match ctx.file.kind {
        FileKind::Template => (root.get("Resources"), Dialect::CloudFormation),
        _ => (
            root.get_path(&["resources", "Resources"]),
            Dialect::Serverless,
        ),
    };
    let cat = catalog();
    for (_, res) in resources.and_then(|r| r.as_map()).unwrap_or_default() {
        let ty = res.get("Type").and_then(|t| t.as_str());
        let Some(props) = res.get("Properties") else {
            continue;
        };
        let s = |k: &str| {
            props
                .get(k)
                .and_then(|v| resolve::string(v, dialect).map(|r| (v, r)))
        };
        match ty {
            Some("AWS::Lambda::Permission") => {
                if let Some((v, a)) = s("Action") {
                    if a.exact() {
                        permission_action(v, a.as_str(), "lambda:InvokeFunction", out);
                    }
                }
                let Some((pv, principal)) = s("Principal") else {
                    continue;
                };
                if !principal.exact() {
                    continue;
                }
                let p = principal.as_str();
                let source_arn = s("SourceArn");
                let has_account =
                    props.get("SourceAccount").is_some() || props.get("PrincipalOrgID").is_some();
                let is_service = p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn");
                if is_service && source_arn.is_none() && !has_account {
                    out.push(Finding::new(
                        &super::principals::CONFUSED_DEPUTY,
                        pv.span.clone(),
                        format!("`{p}` may invoke the function without `SourceArn` or `SourceAccount`: any account's use of the service could call it"),
                    ));
                }
                if let Some((av, a)) = &source_arn {
                    if !a.exact() {
                        continue;
                    }
                    if let Ok(parsed) = arn::parse(a.as_str()) {
                        if parsed.account.is_empty() && !has_account && is_service {
                            out.push(Finding::new(&PERMISSION_SOURCE_ACCOUNT, av.span.clone(), format!("`{}` ARNs carry no account: add `SourceAccount` so a same-named resource in another account cannot invoke the function", parsed.service)));
                        }
                        if is_service {
                            let svc = p.split('.').next().unwrap_or("");
                            let ok = svc == parsed.service
                                || (svc == "apigateway" && parsed.service == "execute-api")
                                || (svc == "logs" && parsed.service == "logs")
                                || (svc == "events" && parsed.service == "scheduler")
                                || (svc == "elasticloadbalancing"
                                    && parsed.service == "elasticloadbalancing")
                                || !cat.knows_namespace(parsed.service);
                            if !ok {
                                out.push(Finding::new(&PERMISSION_PRINCIPAL, pv.span.clone(), format!("`{p}` does not send requests from `{}` resources (`SourceArn` is `{}`)", parsed.service, a.as_str())));
                            }
                        }
                    }
                }
            }
            Some("AWS::Lambda::LayerVersionPermission") => {
                if let Some((v, a)) = s("Action") {
                    if a.exact() {
                        permission_action(v, a.as_str(), "lambda:GetLayerVersion", out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn permission_action(v: &Value, action: &str, expected: &str, out: &mut Vec<Finding>) {
    let cat = catalog();
    if cat.services.is_empty() {
        return;
    }
    match action.split_once(':') {
        Some((p, n)) if p.eq_ignore_ascii_case("lambda") => {
            if crate::iam::glob::has_wildcard(n) {
                return;
            }
            if let Some(svc) = cat.service("lambda") {
                if svc.action(n).is_none() {
                    let sugg = super::actions::suggest_actions(svc, n);
                    let mut f = Finding::new(
                        &super::actions::UNKNOWN_ACTION,
                        v.span.clone(),
                        format!(
                            "`lambda` has no action `{n}`{}",
                            sugg.first()
                                .map(|s| format!("; did you mean `lambda:{s}`?"))
                                .unwrap_or_default()
                        ),
                    );
                    for s in sugg {
                        f.fixes.push(Fix {
                            preferred: f.fixes.is_empty(),
                            ..Fix::replace(
                                format!("Change to `lambda:{s}`"),
                                v.span.clone(),
                                format!("lambda:{s}"),
                            )
                        });
                    }
                    out.push(f);
                }
            }
        }
        _ => out.push(Finding::new(
            &super::actions::ACTION_NOT_IN_RESOURCE_POLICY,
            v.span.clone(),
            format!(
                "a Lambda permission grants Lambda actions such as `{expected}`, not `{action}`"
            ),
        )),
    }
}

/// `service:*` or `*` in policies of roles Lambda assumes.
fn lambda_wildcards(ctx: &Ctx, located: &Located, out: &mut Vec<Finding>) {
    let Some(root) = ctx.root() else {
        return;
    };
    let resources = match ctx.file.kind {
        FileKind::Template => root.get("Resources"),
        _ => root.get_path(&["resources", "Resources"]),
    };
    let lambda_roles: Vec<&str> = resources
        .and_then(|r| r.as_map())
        .unwrap_or_default()
        .iter()
        .filter(|(_, r)| r.get("Type").and_then(|t| t.as_str()) == Some("AWS::IAM::Role"))
        .filter(|(_, r)| {
            r.get_path(&["Properties", "AssumeRolePolicyDocument"])
                .and_then(|d| trusts_service(d, Dialect::CloudFormation, "lambda.amazonaws.com"))
                == Some(true)
        })
        .map(|(k, _)| k.text.as_str())
        .collect();
    for d in &located.docs {
        if d.origin != Origin::Written || d.kind != PolicyKind::Identity {
            continue;
        }
        let for_lambda = match d.resource_type {
            Some("AWS::Serverless::Function") => true,
            None => ctx.file.kind == FileKind::Serverless,
            Some("AWS::IAM::Role") => d.owner.is_some_and(|o| lambda_roles.contains(&o)),
            _ => false,
        };
        if !for_lambda {
            continue;
        }
        let nodes = d.statements();
        let cx = DocCx {
            doc: d,
            text: ctx.text(),
            stmts: pmodel::statements(&nodes),
        };
        for s in &cx.stmts {
            if !s.allow() {
                continue;
            }
            for (v, r) in s.actions(d.dialect) {
                let t = r.as_str();
                if t == "*" || t.ends_with(":*") && !t.contains(PLACEHOLDER) {
                    let what = if t == "*" {
                        "every action of every service".to_string()
                    } else {
                        format!(
                            "every current and future `{}` action",
                            t.trim_end_matches(":*")
                        )
                    };
                    out.push(Finding::new(
                        &LAMBDA_ROLE_WILDCARD,
                        v.span.clone(),
                        format!("`{t}` gives the function's code {what}; list the calls it makes"),
                    ));
                }
            }
        }
    }
}
