//! Actions: format, service prefix, action names (with did-you-mean), wildcards, redundancy, and actions
//! that a resource policy cannot grant.

use super::{policy, template, DocCx};
use crate::iam::catalog::catalog;
use crate::iam::glob::{self, PLACEHOLDER};
use crate::iam::locate::PolicyKind;
use crate::rules::{Finding, Fix, Rule, Severity};
use crate::syntax::Value;
use std::collections::HashMap;

pub static ACTION_FORMAT: Rule = Rule {
    id: "iam/action-format",
    severity: Severity::Error,
    summary: "an action that is not `service:action` or `*`",
    docs: "Actions are written `prefix:ActionName` (`s3:GetObject`), with `*` and `?` as wildcards, or `*` \
           alone. Anything else is rejected (Access Analyzer: INVALID_ACTION).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3-GetObject\", \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}"),
};

pub static UNKNOWN_SERVICE: Rule = Rule {
    id: "iam/unknown-service",
    severity: Severity::Error,
    summary: "an action's service prefix is not an AWS service",
    docs: "The part before the colon must be a service prefix IAM knows (`s3`, `dynamodb`, `lambda`, …; the \
           list comes from the embedded service catalog). A quick fix offers the closest prefixes \
           (Access Analyzer: INVALID_SERVICE_IN_ACTION).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"dynamo:GetItem\", \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"dynamodb:GetItem\", \"Resource\": \"*\"}"),
};

pub static UNKNOWN_ACTION: Rule = Rule {
    id: "iam/unknown-action",
    severity: Severity::Error,
    summary: "the service has no action of this name",
    docs: "The action is not one the service defines, so the statement does not grant (or deny) what it \
           says. Quick fixes offer the closest action names of the service (Access Analyzer: \
           INVALID_ACTION). The catalog's date is in `server/data/iam/manifest.json`.",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjects\", \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}"),
};

pub static WILDCARD_MATCHES_NOTHING: Rule = Rule {
    id: "iam/wildcard-matches-nothing",
    severity: Severity::Error,
    summary: "an action wildcard that matches no action",
    docs: "A pattern such as `s3:Gett*` matches none of the service's actions, so the statement grants \
           nothing through it (Access Analyzer: INVALID_ACTION).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:Gett*\", \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:Get*\", \"Resource\": \"*\"}"),
};

pub static WILDCARD_IN_SERVICE: Rule = Rule {
    id: "iam/wildcard-in-service",
    severity: Severity::Info,
    summary: "a wildcard in an action's service prefix",
    docs: "`*:Get*` or `s?:List*` grant actions across services that match by accident, including services \
           added later. Name the services (Access Analyzer: WILDCARD_IN_SERVICE_NAME).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"*:List*\", \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:List*\", \"Resource\": \"*\"}"),
};

pub static REDUNDANT_ACTION: Rule = Rule {
    id: "iam/redundant-action",
    severity: Severity::Info,
    summary: "an action already covered by another in the same statement",
    docs: "An action listed twice, or one that a wildcard in the same statement already matches \
           (`s3:GetObject` next to `s3:Get*`), adds nothing and hides what the statement grants (Access \
           Analyzer: REDUNDANT_ACTION).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": [\"s3:Get*\", \"s3:GetObject\"], \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": [\"s3:Get*\", \"s3:ListBucket\"], \"Resource\": \"*\"}"),
};

pub static ACTION_NOT_IN_RESOURCE_POLICY: Rule = Rule {
    id: "iam/action-not-in-resource-policy",
    severity: Severity::Error,
    summary: "an action the resource policy's service cannot grant",
    docs: "A resource policy can only grant its own service's actions: `kms:*` in an S3 bucket policy, or \
           `s3:GetObject` in a queue policy, is rejected (Access Analyzer: UNSUPPORTED_ACTION_IN_POLICY).",
    bad: template!("Resources:\n  BP:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: b\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: arn:aws:iam::123456789012:root}\n            Action: sqs:SendMessage\n            Resource: arn:aws:s3:::b/*\n"),
    good: template!("Resources:\n  BP:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: b\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: arn:aws:iam::123456789012:root}\n            Action: s3:GetObject\n            Resource: arn:aws:s3:::b/*\n"),
};

pub static RULES: &[&Rule] = &[
    &ACTION_FORMAT,
    &UNKNOWN_SERVICE,
    &UNKNOWN_ACTION,
    &WILDCARD_MATCHES_NOTHING,
    &WILDCARD_IN_SERVICE,
    &REDUNDANT_ACTION,
    &ACTION_NOT_IN_RESOURCE_POLICY,
];

/// The service prefixes a resource policy of each type may grant.
pub fn resource_policy_services(ty: &str) -> Option<&'static [&'static str]> {
    Some(match ty {
        "AWS::S3::BucketPolicy"
        | "AWS::S3::AccessPoint"
        | "AWS::S3::MultiRegionAccessPointPolicy" => &["s3"],
        "AWS::S3Express::BucketPolicy" => &["s3express"],
        "AWS::SQS::QueuePolicy" => &["sqs"],
        "AWS::SNS::TopicPolicy" => &["sns"],
        "AWS::KMS::Key" | "AWS::KMS::ReplicaKey" => &["kms"],
        "AWS::SecretsManager::ResourcePolicy" => &["secretsmanager"],
        "AWS::ECR::Repository" | "AWS::ECR::RegistryPolicy" => &["ecr"],
        "AWS::OpenSearchService::Domain" | "AWS::Elasticsearch::Domain" => &["es"],
        "AWS::EFS::FileSystem" => &["elasticfilesystem"],
        "AWS::ApiGateway::RestApi" => &["execute-api"],
        "AWS::Backup::BackupVault" => &["backup"],
        "AWS::CodeArtifact::Domain" | "AWS::CodeArtifact::Repository" => &["codeartifact"],
        "AWS::Events::EventBus" => &["events"],
        "AWS::DynamoDB::ResourcePolicy" => &["dynamodb"],
        _ => return None,
    })
}

pub fn check(cx: &DocCx, out: &mut Vec<Finding>) {
    let cat = catalog();
    for s in &cx.stmts {
        let Some(elem) = s.action else {
            continue;
        };
        let items = elem.strings(cx.dialect());
        for (v, r) in &items {
            if !r.exact() {
                continue;
            }
            action(cx, v, r.as_str(), out);
            if cx.kind() == PolicyKind::Resource && !elem.not {
                if let (Some(ty), Some((p, _))) = (cx.doc.resource_type, r.as_str().split_once(':'))
                {
                    if let Some(allowed) = resource_policy_services(ty) {
                        if !glob::has_wildcard(p)
                            && !allowed.iter().any(|a| a.eq_ignore_ascii_case(p))
                            && cat.service(p).is_some()
                        {
                            out.push(Finding::new(
                                &ACTION_NOT_IN_RESOURCE_POLICY,
                                v.span.clone(),
                                format!(
                                    "a `{ty}` policy can only grant `{}:` actions, not `{}`",
                                    allowed[0],
                                    r.as_str()
                                ),
                            ));
                        }
                    }
                }
            }
        }
        redundant(&items, out);
    }
}

fn action(cx: &DocCx, v: &Value, text: &str, out: &mut Vec<Finding>) {
    if text == "*" {
        return;
    }
    let cat = catalog();
    if cat.services.is_empty() {
        return;
    }
    let Some((prefix, name)) = text.split_once(':') else {
        out.push(Finding::new(
            &ACTION_FORMAT,
            v.span.clone(),
            format!("`{text}` is not an action: write `service:Action` (for example `s3:GetObject`) or `*`"),
        ));
        return;
    };
    if prefix.is_empty()
        || name.is_empty()
        || name.contains(':')
        || text.contains(char::is_whitespace)
    {
        out.push(Finding::new(
            &ACTION_FORMAT,
            v.span.clone(),
            format!("`{text}` is not an action: write `service:Action` or `*`"),
        ));
        return;
    }
    if glob::has_wildcard(prefix) {
        out.push(Finding::new(
            &WILDCARD_IN_SERVICE,
            v.span.clone(),
            format!("`{text}` has a wildcard in the service prefix: it matches {} actions across services", cat.expand(text).len()),
        ));
        if cat.expand(text).is_empty() {
            out.push(Finding::new(
                &WILDCARD_MATCHES_NOTHING,
                v.span.clone(),
                format!("`{text}` matches no action"),
            ));
        }
        return;
    }
    let Some(svc) = cat.service(prefix) else {
        if cat.retired_service(prefix) {
            out.push(
                Finding::new(&UNKNOWN_SERVICE, v.span.clone(), format!("`{prefix}` is a retired service: it is no longer in the IAM service data ({})", cat.date))
                    .with_severity(Severity::Warning),
            );
            return;
        }
        if super::doc_placeholder(prefix) {
            return;
        }
        let suggestions = crate::suggest::closest(prefix, cat.services.iter().map(|s| s.prefix), 3);
        let mut msg = format!("`{prefix}` is not an AWS service prefix");
        if let Some(first) = suggestions.first() {
            msg.push_str(&format!("; did you mean `{first}`?"));
        }
        let mut f = Finding::new(&UNKNOWN_SERVICE, v.span.clone(), msg);
        if cx.fixable(v) {
            for s in suggestions {
                let replacement = format!("{s}:{name}");
                f.fixes.push(Fix {
                    preferred: f.fixes.is_empty(),
                    ..Fix::replace(
                        format!("Change to `{replacement}`"),
                        v.span.clone(),
                        cx.quote_like(v, &replacement),
                    )
                });
            }
        }
        out.push(f);
        return;
    };
    if glob::has_wildcard(name) {
        if cat.expand(text).is_empty() {
            out.push(Finding::new(
                &WILDCARD_MATCHES_NOTHING,
                v.span.clone(),
                format!(
                    "`{text}` matches none of the {} `{}` actions",
                    svc.actions.len(),
                    svc.prefix
                ),
            ));
        }
        return;
    }
    if svc.action(name).is_some() {
        return;
    }
    if cat.retired_action(prefix, name) {
        out.push(
            Finding::new(
                &UNKNOWN_ACTION,
                v.span.clone(),
                format!(
                    "`{text}` was retired: it is no longer in the IAM service data ({})",
                    cat.date
                ),
            )
            .with_severity(Severity::Warning),
        );
        return;
    }
    let suggestions = suggest_actions(svc, name);
    let mut msg = format!("`{}` has no action `{name}`", svc.prefix);
    if let Some(first) = suggestions.first() {
        msg.push_str(&format!("; did you mean `{prefix}:{first}`?"));
    }
    let mut f = Finding::new(&UNKNOWN_ACTION, v.span.clone(), msg);
    if cx.fixable(v) {
        for s in suggestions {
            let replacement = format!("{prefix}:{s}");
            f.fixes.push(Fix {
                preferred: f.fixes.is_empty(),
                ..Fix::replace(
                    format!("Change to `{replacement}`"),
                    v.span.clone(),
                    cx.quote_like(v, &replacement),
                )
            });
        }
    }
    out.push(f);
}

/// The closest action names of a service: edit distance first, then shared words.
pub fn suggest_actions(svc: &crate::iam::catalog::Service, name: &str) -> Vec<&'static str> {
    let mut s = crate::suggest::closest(name, svc.actions.iter().map(|a| a.name), 3);
    if s.is_empty() {
        // `GetObjects` → `GetObject`; `PutItems` → `PutItem`: a prefix match catches longer typos.
        let lower = name.to_ascii_lowercase();
        s = svc
            .actions
            .iter()
            .filter(|a| {
                let al = a.name.to_ascii_lowercase();
                lower.starts_with(&al) || al.starts_with(&lower)
            })
            .map(|a| a.name)
            .take(3)
            .collect();
    }
    s
}

/// Items already covered by another item of the same list.
fn redundant(items: &[(&Value, crate::iam::resolve::Resolved)], out: &mut Vec<Finding>) {
    if items.len() < 2 {
        return;
    }
    let mut by_prefix: HashMap<String, Vec<usize>> = HashMap::new();
    let mut global_wildcards = Vec::new();
    for (i, (_, r)) in items.iter().enumerate() {
        let t = r.as_str();
        if t.contains(PLACEHOLDER) {
            continue;
        }
        match t.split_once(':') {
            Some((p, _)) if !glob::has_wildcard(p) => {
                by_prefix.entry(p.to_ascii_lowercase()).or_default().push(i)
            }
            _ => global_wildcards.push(i),
        }
    }
    let mut reported = vec![false; items.len()];
    let mut report = |i: usize, by: usize, reported: &mut Vec<bool>| {
        if reported[i] || reported[by] {
            return;
        }
        reported[i] = true;
        let (v, r) = &items[i];
        let (bv, br) = &items[by];
        let msg = if r.as_str().eq_ignore_ascii_case(br.as_str()) {
            format!("`{}` is listed twice", r.as_str())
        } else {
            format!("`{}` is already covered by `{}`", r.as_str(), br.as_str())
        };
        let mut f = Finding::new(&REDUNDANT_ACTION, v.span.clone(), msg).with_related(
            None,
            bv.span.clone(),
            "covered here",
        );
        f.unnecessary = true;
        out.push(f);
    };
    for idxs in by_prefix.values() {
        let wild: Vec<usize> = idxs
            .iter()
            .copied()
            .filter(|&i| glob::has_wildcard(items[i].1.as_str()))
            .collect();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for &i in idxs {
            let t = items[i].1.as_str();
            let lower = t.to_ascii_lowercase();
            if let Some(&first) = seen.get(&lower) {
                report(i, first, &mut reported);
                continue;
            }
            seen.insert(lower, i);
            if let Some(&w) = wild.iter().find(|&&w| {
                w != i
                    && !items[w].1.as_str().eq_ignore_ascii_case(t)
                    && glob::covers(items[w].1.as_str(), t, true)
            }) {
                report(i, w, &mut reported);
            }
        }
    }
    for &w in &global_wildcards {
        for (i, (_, r)) in items.iter().enumerate() {
            if i != w
                && !r.as_str().contains(PLACEHOLDER)
                && glob::covers(items[w].1.as_str(), r.as_str(), true)
                && !(items[w].1.as_str() == r.as_str() && i > w)
            {
                if r.as_str() == items[w].1.as_str() && i < w {
                    continue;
                }
                report(i, w, &mut reported);
            }
        }
    }
}
