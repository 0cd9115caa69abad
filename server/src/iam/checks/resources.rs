//! Resources: ARN syntax and fields (partition, region, account, resource part), actions against the
//! resource types of the listed ARNs, `*` that could be narrowed, redundancy, and resource-policy scope.

use super::{policy, template, DocCx};
use crate::iam::catalog::arn::{self, Arn, ArnError, Field};
use crate::iam::catalog::{catalog, Action, ResourceType, Service};
use crate::iam::glob::{self, PLACEHOLDER};
use crate::iam::locate::PolicyKind;
use crate::iam::model::Stmt;
use crate::iam::resolve::{Dialect, Resolved};
use crate::rules::{Finding, Rule, Severity};
use crate::syntax::Value;
use std::collections::HashMap;

pub static ARN_SYNTAX: Rule = Rule {
    id: "iam/arn-syntax",
    severity: Severity::Error,
    summary: "a resource that is not `*` or a well-formed ARN",
    docs: "Resources are `*` or ARNs: `arn:partition:service:region:account:resource`, six colon-separated \
           fields (region and account may be empty) with a lower-case service (Access Analyzer: \
           INVALID_ARN_PREFIX, MISSING_ARN_FIELD, INVALID_ARN_SERVICE_CASE).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:my-bucket\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::my-bucket\"}"),
};

pub static ARN_PARTITION: Rule = Rule {
    id: "iam/arn-partition",
    severity: Severity::Error,
    summary: "an ARN with an unknown partition",
    docs: "The second ARN field is the partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, \
           `aws-iso-e`, `aws-iso-f` or `aws-eusc`. In a template use `${AWS::Partition}` (Access Analyzer: \
           INVALID_PARTITION).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:amazon:s3:::my-bucket\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws-cn:s3:::my-bucket\"}"),
};

pub static ARN_REGION: Rule = Rule {
    id: "iam/arn-region",
    severity: Severity::Error,
    summary: "an ARN region that is invalid, not allowed or missing",
    docs: "The region field must be a region of the ARN's partition (`us-east-1`, `cn-north-1`, …), empty \
           for services whose ARNs have no region (IAM, S3 buckets), and present where the service needs one \
           (Access Analyzer: INVALID_ARN_REGION, ARN_REGION_NOT_ALLOWED, MISSING_ARN_REGION).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:us-east:123456789012:queue\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:us-east-1:123456789012:queue\"}"),
};

pub static ARN_ACCOUNT: Rule = Rule {
    id: "iam/arn-account",
    severity: Severity::Error,
    summary: "an ARN account that is invalid, not allowed or missing",
    docs: "The account field is a 12-digit account id (or `aws` for AWS-owned resources), and empty for \
           S3 buckets and objects and other services whose ARNs have none (Access Analyzer: \
           INVALID_ARN_ACCOUNT, ARN_ACCOUNT_NOT_ALLOWED).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:us-east-1:12345:queue\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:us-east-1:123456789012:queue\"}"),
};

pub static ARN_RESOURCE: Rule = Rule {
    id: "iam/arn-resource",
    severity: Severity::Warning,
    summary: "an ARN that matches none of its service's ARN formats",
    docs: "The part after the fifth colon must fit one of the service's resource ARN formats (from the \
           embedded catalog): `arn:aws:lambda:us-east-1:123456789012:fn:x` is no Lambda resource \
           (Access Analyzer: INVALID_ARN_RESOURCE). A warning, not an error: services accept some ARN shapes \
           their published formats do not list.",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"lambda:InvokeFunction\", \"Resource\": \"arn:aws:lambda:us-east-1:123456789012:fn:x\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"lambda:InvokeFunction\", \"Resource\": \"arn:aws:lambda:us-east-1:123456789012:function:x\"}"),
};

pub static RESOURCE_MISMATCH: Rule = Rule {
    id: "iam/resource-mismatch",
    severity: Severity::Warning,
    summary: "an action whose resource types none of the statement's resources is",
    docs: "Each action applies to certain resource types: `s3:GetObject` to objects, `s3:ListBucket` to \
           buckets. When none of the statement's resources is of a type the action takes, the action is \
           never granted (the classic `s3:GetObject` on `arn:aws:s3:::bucket`). Also reported: a resource \
           that none of the actions applies to (parliament: RESOURCE_MISMATCH; cfn-lint I3510).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::my-bucket\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::my-bucket/*\"}"),
};

pub static ACTION_NEEDS_STAR: Rule = Rule {
    id: "iam/action-needs-star-resource",
    severity: Severity::Warning,
    summary: "an action without resource-level permissions, given specific resources",
    docs: "Some actions (`s3:ListAllMyBuckets`, `ec2:DescribeInstances`, `sts:GetCallerIdentity`, …) take no \
           resource type, so they only match `\"Resource\": \"*\"`. Listed with specific ARNs they are never \
           granted. Move them to a statement with `*`.",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"arn:aws:s3:::my-bucket\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"*\"}"),
};

pub static RESOURCE_STAR: Rule = Rule {
    id: "iam/resource-star",
    severity: Severity::Hint,
    summary: "`Resource: \"*\"` where every action takes specific resources",
    docs: "All actions of the statement support resource-level permissions, so `*` grants them on every \
           resource of the account. Naming the resources (or their ARN patterns) gives least privilege \
           (parliament: RESOURCE_STAR).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"dynamodb:GetItem\", \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"dynamodb:GetItem\", \"Resource\": \"arn:aws:dynamodb:us-east-1:123456789012:table/orders\"}"),
};

pub static REDUNDANT_RESOURCE: Rule = Rule {
    id: "iam/redundant-resource",
    severity: Severity::Info,
    summary: "a resource already covered by another in the same statement",
    docs: "A resource listed twice, or one that a wildcard ARN of the same statement already matches, adds \
           nothing (Access Analyzer: REDUNDANT_RESOURCE).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": [\"arn:aws:s3:::b/*\", \"arn:aws:s3:::b/reports/*\"]}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": [\"arn:aws:s3:::b/*\", \"arn:aws:s3:::c/*\"]}"),
};

pub static REDUNDANT_STATEMENT: Rule = Rule {
    id: "iam/redundant-statement",
    severity: Severity::Info,
    summary: "a statement identical to an earlier one",
    docs: "Two statements with the same effect, actions, resources, principals and conditions: the second \
           adds nothing (Access Analyzer: REDUNDANT_STATEMENT).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"},\n    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"},\n    {\"Effect\": \"Allow\", \"Action\": \"s3:PutObject\", \"Resource\": \"arn:aws:s3:::b/*\"}"),
};

pub static RESOURCE_NOT_IN_RESOURCE_POLICY: Rule = Rule {
    id: "iam/resource-not-in-resource-policy",
    severity: Severity::Error,
    summary: "a resource the resource policy cannot refer to",
    docs: "A resource policy can only name resources of its own service: a KMS key ARN in an S3 bucket \
           policy is rejected, and so is `*` (a bucket policy must name the bucket or its objects) \
           (Access Analyzer: UNSUPPORTED_RESOURCE_ARN_IN_POLICY; cfn-lint E3514).",
    bad: template!("Resources:\n  BP:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: b\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: arn:aws:iam::123456789012:root}\n            Action: s3:GetObject\n            Resource: '*'\n"),
    good: template!("Resources:\n  BP:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: b\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: arn:aws:iam::123456789012:root}\n            Action: s3:GetObject\n            Resource: arn:aws:s3:::b/*\n"),
};

pub static HARDCODED_ARN: Rule = Rule {
    id: "iam/hardcoded-arn",
    severity: Severity::Info,
    summary: "an ARN in a template with a hard-coded partition, region or account",
    docs: "A template that writes `arn:aws:…:us-east-1:123456789012:…` only deploys correctly in that \
           partition, region and account. `!Sub 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q'` \
           works everywhere (cfn-lint I3042).",
    bad: template!("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: sqs:SendMessage\n            Resource: arn:aws:sqs:us-east-1:123456789012:orders\n"),
    good: template!("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: sqs:SendMessage\n            Resource: !Sub 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders'\n"),
};

pub static RULES: &[&Rule] = &[
    &ARN_SYNTAX,
    &ARN_PARTITION,
    &ARN_REGION,
    &ARN_ACCOUNT,
    &ARN_RESOURCE,
    &RESOURCE_MISMATCH,
    &ACTION_NEEDS_STAR,
    &RESOURCE_STAR,
    &REDUNDANT_RESOURCE,
    &REDUNDANT_STATEMENT,
    &RESOURCE_NOT_IN_RESOURCE_POLICY,
    &HARDCODED_ARN,
];

type Typed<'a> = (
    &'a Value,
    Vec<(&'static Service, &'static ResourceType)>,
    bool,
);

fn exact(s: &str) -> bool {
    !s.contains(PLACEHOLDER) && !glob::has_wildcard(s)
}

pub fn check(cx: &DocCx, out: &mut Vec<Finding>) {
    for s in &cx.stmts {
        let Some(elem) = s.resource else {
            continue;
        };
        let items = elem.strings(cx.dialect());
        for (v, r) in &items {
            arn_fields(cx, v, r, out);
        }
        redundant(&items, out);
        if !elem.not {
            if cx.kind() == PolicyKind::Resource {
                scope(cx, &items, out);
            }
            if s.action.is_some_and(|a| !a.not) {
                actions_vs_resources(cx, s, &items, out);
            }
        }
    }
    redundant_statements(cx, out);
}

/// The fields of one ARN.
fn arn_fields(cx: &DocCx, v: &Value, r: &Resolved, out: &mut Vec<Finding>) {
    let text = r.as_str();
    if text == "*"
        || r.unknown()
        || text.starts_with(PLACEHOLDER) && !text.starts_with(&format!("{PLACEHOLDER}:"))
    {
        return;
    }
    let cat = catalog();
    if cx.dialect() == Dialect::CloudFormation && v.as_str().is_some() && text.contains("${AWS::") {
        out.push(Finding::new(
            &ARN_SYNTAX,
            v.span.clone(),
            "`${AWS::…}` in a plain string is not substituted: write the value with `!Sub`",
        ));
        return;
    }
    let a = match arn::parse(text) {
        Ok(a) => a,
        Err(ArnError::Prefix) => {
            if text.contains(PLACEHOLDER) && !text.contains(':') {
                return;
            }
            out.push(Finding::new(&ARN_SYNTAX, v.span.clone(), format!("`{}` is not an ARN: resources are `*` or `arn:partition:service:region:account:resource`", shown(text))));
            return;
        }
        Err(ArnError::MissingField(n)) => {
            if text.contains(PLACEHOLDER) || text.ends_with('*') {
                return;
            }
            out.push(Finding::new(&ARN_SYNTAX, v.span.clone(), format!("`{text}` has {n} fields; an ARN has six: `arn:partition:service:region:account:resource`")));
            return;
        }
    };
    if exact(a.service) && a.service.chars().any(|c| c.is_ascii_uppercase()) {
        out.push(Finding::new(
            &ARN_SYNTAX,
            v.span.clone(),
            format!(
                "the service in an ARN is lower case: `{}`",
                a.service.to_ascii_lowercase()
            ),
        ));
        return;
    }
    let partition = if exact(a.partition) {
        match cat.partition(a.partition) {
            Some(p) => Some(p),
            None => {
                if !cat.partitions.is_empty() {
                    let ids: Vec<&str> = cat.partitions.iter().map(|p| p.id).collect();
                    out.push(Finding::new(
                        &ARN_PARTITION,
                        v.span.clone(),
                        format!("`{}` is not a partition ({})", a.partition, ids.join(", ")),
                    ));
                }
                None
            }
        }
    } else {
        None
    };
    if !exact(a.service) {
        return;
    }
    let ns = a.service;
    if !cat.knows_namespace(ns) {
        // Services without resource types have no ARN formats to compare with.
        return;
    }
    let templates: Vec<_> = cat.templates(ns).collect();
    let region_ok = region(cx, v, &a, partition, &templates, out);
    let account_ok = account(v, &a, &templates, out);
    if !region_ok || !account_ok {
        return;
    }
    if !templates.iter().any(|(_, _, t)| t.matches(&a)) {
        let mut formats: Vec<&str> = templates
            .iter()
            .map(|(_, r, t)| {
                let _ = r;
                t.resource_text()
            })
            .collect();
        formats.sort();
        formats.dedup();
        let list: Vec<String> = formats.iter().take(6).map(|f| format!("`{f}`")).collect();
        let more = if formats.len() > 6 {
            format!(" and {} more", formats.len() - 6)
        } else {
            String::new()
        };
        out.push(Finding::new(
            &ARN_RESOURCE,
            v.span.clone(),
            format!(
                "`{}` matches no `{ns}` resource type; its resources look like {}{more}",
                shown(a.resource),
                list.join(", ")
            ),
        ));
    }
}

fn shown(s: &str) -> String {
    s.replace(PLACEHOLDER, "…")
}

fn region(
    cx: &DocCx,
    v: &Value,
    a: &Arn,
    partition: Option<&crate::iam::catalog::Partition>,
    templates: &[(
        &Service,
        &crate::iam::catalog::ResourceType,
        &crate::iam::catalog::ArnTemplate,
    )],
    out: &mut Vec<Finding>,
) -> bool {
    let _ = cx;
    if a.region.contains(PLACEHOLDER)
        || glob::has_wildcard(a.region)
        || super::doc_placeholder(a.region)
    {
        return true;
    }
    let fitting: Vec<_> = templates
        .iter()
        .filter(|(_, _, t)| t.resource_matches(a.resource))
        .collect();
    let judge = if fitting.is_empty() {
        templates.iter().collect::<Vec<_>>()
    } else {
        fitting
    };
    if a.region.is_empty() {
        if judge.iter().all(|(_, _, t)| t.region == Field::Any) {
            out.push(Finding::new(
                &ARN_REGION,
                v.span.clone(),
                format!(
                    "`{}` ARNs need a region: `arn:{}:{}:REGION:…`",
                    a.service, a.partition, a.service
                ),
            ));
            return false;
        }
        return true;
    }
    if judge.iter().all(|(_, _, t)| t.region == Field::Empty) {
        out.push(Finding::new(
            &ARN_REGION,
            v.span.clone(),
            format!(
                "`{}` ARNs have no region: leave the fourth field empty",
                a.service
            ),
        ));
        return false;
    }
    let valid = match partition {
        Some(p) => p.has_region(a.region),
        None => arn::region_shape_ok(a.region),
    };
    if !valid {
        let msg = match partition {
            Some(p) if arn::region_shape_ok(a.region) => {
                format!("`{}` is not a region of the `{}` partition", a.region, p.id)
            }
            _ => format!("`{}` is not a region name (like `us-east-1`)", a.region),
        };
        out.push(Finding::new(&ARN_REGION, v.span.clone(), msg));
        return false;
    }
    true
}

fn account(
    v: &Value,
    a: &Arn,
    templates: &[(
        &Service,
        &crate::iam::catalog::ResourceType,
        &crate::iam::catalog::ArnTemplate,
    )],
    out: &mut Vec<Finding>,
) -> bool {
    if a.account.contains(PLACEHOLDER)
        || glob::has_wildcard(a.account)
        || super::doc_placeholder(a.account)
    {
        return true;
    }
    let fitting: Vec<_> = templates
        .iter()
        .filter(|(_, _, t)| t.resource_matches(a.resource))
        .collect();
    let judge = if fitting.is_empty() {
        templates.iter().collect::<Vec<_>>()
    } else {
        fitting
    };
    // An empty account is how AWS-owned resources are written (`arn:aws:ssm:*::document/AWS-…`,
    // public AMIs), even where the published format shows one: never reported.
    if a.account.is_empty() {
        return true;
    }
    if judge.iter().all(|(_, _, t)| t.account == Field::Empty) {
        out.push(Finding::new(
            &ARN_ACCOUNT,
            v.span.clone(),
            format!(
                "`{}` ARNs have no account: leave the fifth field empty",
                a.service
            ),
        ));
        return false;
    }
    let ok = (a.account.len() == 12 && a.account.bytes().all(|b| b.is_ascii_digit()))
        || a.account == "aws";
    if !ok {
        out.push(Finding::new(
            &ARN_ACCOUNT,
            v.span.clone(),
            format!("`{}` is not an account id (12 digits)", a.account),
        ));
        return false;
    }
    true
}

/// Resource-policy scope: only the policy's own service's ARNs, and no `*` in bucket policies.
fn scope(cx: &DocCx, items: &[(&Value, Resolved)], out: &mut Vec<Finding>) {
    let Some(ty) = cx.doc.resource_type else {
        return;
    };
    let Some(services) = super::actions::resource_policy_services(ty) else {
        return;
    };
    for (v, r) in items {
        let t = r.as_str();
        if t == "*" {
            if ty == "AWS::S3::BucketPolicy" {
                out.push(Finding::new(
                    &RESOURCE_NOT_IN_RESOURCE_POLICY,
                    v.span.clone(),
                    "a bucket policy must name the bucket or its objects, not `*`",
                ));
            }
            continue;
        }
        if let Ok(a) = arn::parse(t) {
            if exact(a.service)
                && !services.iter().any(|s| {
                    catalog()
                        .templates(a.service)
                        .any(|(svc, _, _)| svc.prefix == *s)
                })
                && catalog().knows_namespace(a.service)
            {
                out.push(Finding::new(
                    &RESOURCE_NOT_IN_RESOURCE_POLICY,
                    v.span.clone(),
                    format!(
                        "a `{ty}` policy can only refer to `{}` resources, not `{}` ones",
                        services[0], a.service
                    ),
                ));
            }
        }
    }
}

/// The resource types each action takes against the types the resources denote.
fn actions_vs_resources(
    cx: &DocCx,
    s: &Stmt,
    items: &[(&Value, Resolved)],
    out: &mut Vec<Finding>,
) {
    let cat = catalog();
    if items.is_empty() || items.iter().any(|(_, r)| r.unknown()) {
        return;
    }
    let star = items.iter().any(|(_, r)| r.as_str() == "*");
    // Actions as written: literal ones resolved in the catalog, wildcards expanded.
    let mut actions: Vec<(&Value, String, &Service, &Action)> = Vec::new();
    let mut wildcards: Vec<(&Value, String)> = Vec::new();
    let mut has_wildcard_action = false;
    for (v, r) in s.actions(cx.dialect()) {
        let t = r.as_str();
        if !r.exact() {
            return;
        }
        if glob::has_wildcard(t) {
            has_wildcard_action = true;
            if t != "*" {
                wildcards.push((v, t.to_string()));
            }
            continue;
        }
        if let Some((svc, a)) = cat.action(t) {
            actions.push((v, t.to_string(), svc, a));
        }
    }
    // Resource types each resource may be.
    let mut typed: Vec<Typed> = Vec::new();
    for (v, r) in items {
        let t = r.as_str();
        if t == "*" {
            continue;
        }
        let Ok(a) = arn::parse(t) else {
            return;
        };
        if !exact(a.service) {
            return;
        }
        let a_for_match = Arn { ..a.clone() };
        typed.push((
            v,
            cat.resource_types_of(&a_for_match),
            cat.knows_namespace(a.service),
        ));
    }
    let takes =
        |svc: &Service, act: &Action, types: &[(&Service, &crate::iam::catalog::ResourceType)]| {
            act.resources.iter().any(|ar| {
                svc.resource(ar)
                    .is_some_and(|rt| types.iter().any(|(_, t)| std::ptr::eq(*t, rt)))
            })
        };
    for (v, name, svc, act) in &actions {
        if act.wildcard_only() {
            if !star {
                out.push(Finding::new(
                    &ACTION_NEEDS_STAR,
                    v.span.clone(),
                    format!("`{name}` takes no resource type, so it only matches `\"Resource\": \"*\"`; with these resources it is never granted"),
                ));
            }
            continue;
        }
        if star {
            continue;
        }
        // Namespaces we know nothing of (or ARNs that matched no format, already reported) say nothing.
        if typed
            .iter()
            .any(|(_, types, known)| !known || types.is_empty())
        {
            continue;
        }
        if !typed.iter().any(|(_, types, _)| takes(svc, act, types)) {
            let wanted: Vec<String> = act
                .resources
                .iter()
                .filter_map(|ar| svc.resource(ar))
                .map(|rt| format!("`{}`", rt.name))
                .collect();
            out.push(Finding::new(
                &RESOURCE_MISMATCH,
                v.span.clone(),
                format!("`{name}` applies to {} resources, and none of the statement's resources is one", wanted.join(", ")),
            ));
        }
    }
    // A wildcard whose actions (those that take resources) apply to none of the resources.
    if !star
        && !typed
            .iter()
            .any(|(_, types, known)| !known || types.is_empty())
    {
        for (v, w) in &wildcards {
            let expanded: Vec<_> = cat
                .expand(w)
                .into_iter()
                .filter(|(_, a)| !a.wildcard_only())
                .collect();
            if !expanded.is_empty()
                && !expanded
                    .iter()
                    .any(|(svc, act)| typed.iter().any(|(_, types, _)| takes(svc, act, types)))
            {
                out.push(Finding::new(
                    &RESOURCE_MISMATCH,
                    v.span.clone(),
                    format!(
                        "none of the {} actions `{w}` matches applies to the statement's resources",
                        expanded.len()
                    ),
                ));
            }
        }
    }
    // Resources no action applies to (only when every action is known and literal).
    if !has_wildcard_action
        && !actions.is_empty()
        && actions.iter().all(|(_, _, _, a)| !a.wildcard_only())
    {
        for (v, types, known) in &typed {
            if !known || types.is_empty() {
                continue;
            }
            if !actions
                .iter()
                .any(|(_, _, svc, act)| takes(svc, act, types))
            {
                let names: Vec<&str> = types.iter().map(|(_, t)| t.name).collect();
                out.push(Finding::new(
                    &RESOURCE_MISMATCH,
                    v.span.clone(),
                    format!(
                        "this resource is a `{}`, which none of the statement's actions applies to",
                        names.join("`/`")
                    ),
                ));
            }
        }
    }
    // `*` where actions could be scoped.
    let scopable = actions
        .iter()
        .filter(|(_, _, _, a)| !a.wildcard_only())
        .count()
        + wildcards
            .iter()
            .filter(|(_, w)| cat.expand(w).iter().any(|(_, a)| !a.wildcard_only()))
            .count();
    if star && s.allow() && scopable > 0 && cx.kind() == PolicyKind::Identity {
        if let Some((v, _)) = items.iter().find(|(_, r)| r.as_str() == "*") {
            let msg = if scopable == actions.len() + wildcards.len() {
                "every action here supports resource-level permissions: name the resources instead of `*`"
            } else {
                "some actions here support resource-level permissions: name their resources instead of `*`"
            };
            out.push(Finding::new(&RESOURCE_STAR, v.span.clone(), msg));
        }
    }
    // Templates: hard-coded partition, region or account.
    if cx.dialect() == Dialect::CloudFormation {
        for (v, r) in items {
            if v.as_str().is_none() {
                continue;
            }
            if let Ok(a) = arn::parse(r.as_str()) {
                let region = !a.region.is_empty() && exact(a.region);
                let account =
                    a.account.len() == 12 && a.account.bytes().all(|b| b.is_ascii_digit());
                if region || account {
                    let mut parts = Vec::new();
                    if region {
                        parts.push(format!("region `{}`", a.region));
                    }
                    if account {
                        parts.push(format!("account `{}`", a.account));
                    }
                    out.push(Finding::new(&HARDCODED_ARN, v.span.clone(), format!("hard-coded {}: use `!Sub` with `${{AWS::Region}}`/`${{AWS::AccountId}}` so the template deploys anywhere", parts.join(" and "))));
                }
            }
        }
    }
}

fn redundant(items: &[(&Value, Resolved)], out: &mut Vec<Finding>) {
    if items.len() < 2 {
        return;
    }
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (_, r)) in items.iter().enumerate() {
        let t = r.as_str();
        if t.contains(PLACEHOLDER) {
            continue;
        }
        let key = match arn::parse(t) {
            Ok(a) if exact(a.service) && exact(a.partition) => {
                format!("{}:{}", a.partition, a.service)
            }
            _ => "*".into(),
        };
        groups.entry(key).or_default().push(i);
    }
    let stars: Vec<usize> = groups.get("*").cloned().unwrap_or_default();
    let mut reported = vec![false; items.len()];
    for (key, idxs) in &groups {
        let mut candidates: Vec<usize> = idxs
            .iter()
            .copied()
            .filter(|&i| glob::has_wildcard(items[i].1.as_str()))
            .collect();
        if key != "*" {
            candidates.extend(stars.iter().copied());
        }
        for &i in idxs {
            let t = items[i].1.as_str();
            let by = idxs
                .iter()
                .copied()
                .find(|&j| j < i && items[j].1.as_str() == t)
                .or_else(|| {
                    candidates.iter().copied().find(|&w| {
                        w != i
                            && items[w].1.as_str() != t
                            && glob::covers(items[w].1.as_str(), t, false)
                    })
                });
            if let Some(by) = by {
                if reported[by] || reported[i] {
                    continue;
                }
                reported[i] = true;
                let msg = if items[by].1.as_str() == t {
                    format!("`{t}` is listed twice")
                } else {
                    format!("`{t}` is already covered by `{}`", items[by].1.as_str())
                };
                let mut f = Finding::new(&REDUNDANT_RESOURCE, items[i].0.span.clone(), msg)
                    .with_related(None, items[by].0.span.clone(), "covered here");
                f.unnecessary = true;
                out.push(f);
            }
        }
    }
}

fn redundant_statements(cx: &DocCx, out: &mut Vec<Finding>) {
    let mut seen: Vec<(serde_json::Value, &Value)> = Vec::new();
    for s in &cx.stmts {
        let mut j = s.node.to_json();
        if let Some(m) = j.as_object_mut() {
            m.remove("Sid");
        }
        if let Some((_, first)) = seen.iter().find(|(o, _)| *o == j) {
            let mut f = Finding::new(
                &REDUNDANT_STATEMENT,
                s.node.span.clone(),
                "this statement repeats an earlier one",
            )
            .with_related(None, first.span.clone(), "first here");
            f.unnecessary = true;
            out.push(f);
        } else {
            seen.push((j, s.node));
        }
    }
}
