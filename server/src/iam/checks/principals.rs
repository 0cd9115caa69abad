//! Principals and trust policies: principal keys and values, wildcards, unique ids, `NotPrincipal`,
//! public access, service principals without source scoping (confused deputy), federated trust.

use super::{template, DocCx};
use crate::iam::glob::{self, PLACEHOLDER};
use crate::iam::locate::PolicyKind;
use crate::iam::model::Stmt;
use crate::rules::{Finding, Fix, Rule, Severity};
use crate::syntax::{Value, ValueKind};

pub static PRINCIPAL_KEY: Rule = Rule {
    id: "iam/principal-key",
    severity: Severity::Error,
    summary: "a principal type other than AWS, Service, Federated or CanonicalUser",
    docs: "`Principal` is `\"*\"` or an object whose keys are `AWS`, `Service`, `Federated` or `CanonicalUser` \
           (case-sensitive) (Access Analyzer: INVALID_PRINCIPAL_KEY; parliament: UNKNOWN_PRINCIPAL).",
    bad: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Services: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n"),
    good: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n"),
};

pub static PRINCIPAL_FORMAT: Rule = Rule {
    id: "iam/principal-format",
    severity: Severity::Error,
    summary: "a principal value of the wrong shape",
    docs: "`AWS` principals are `*`, a 12-digit account id or an IAM/STS ARN; `Service` principals are \
           `name.amazonaws.com`; `Federated` principals are a SAML or OIDC provider ARN or a known web \
           identity provider; `CanonicalUser` is a 64-character hex id (Access Analyzer: \
           INVALID_PRINCIPAL_FORMAT, INVALID_SERVICE_PRINCIPAL_FORMAT).",
    bad: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda}\n            Action: sts:AssumeRole\n"),
    good: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n"),
};

pub static PRINCIPAL_WILDCARD: Rule = Rule {
    id: "iam/principal-wildcard",
    severity: Severity::Error,
    summary: "a partial wildcard in a principal, or `*` in a trust policy",
    docs: "Principals take `*` alone or exact values: `arn:aws:iam::*:role/x` or `1234*` are rejected, and a \
           trust policy cannot say `\"Principal\": \"*\"` (Access Analyzer: UNSUPPORTED_WILDCARD_IN_PRINCIPAL, \
           ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL). Use conditions such as `aws:PrincipalArn` \
           with `ArnLike` instead.",
    bad: template!("Resources:\n  BP:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [q]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: 'arn:aws:iam::123456789012:role/app-*'}\n            Action: sqs:SendMessage\n            Resource: arn:aws:sqs:us-east-1:123456789012:q\n"),
    good: template!("Resources:\n  BP:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [q]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: '123456789012'}\n            Action: sqs:SendMessage\n            Resource: arn:aws:sqs:us-east-1:123456789012:q\n            Condition: {ArnLike: {aws:PrincipalArn: 'arn:aws:iam::123456789012:role/app-*'}}\n"),
};

pub static UNIQUE_ID_PRINCIPAL: Rule = Rule {
    id: "iam/unique-id-principal",
    severity: Severity::Warning,
    summary: "a principal given as a unique id (`AROA…`, `AIDA…`)",
    docs: "IAM shows a role's or user's unique id in a policy when the role or user was deleted; the id never \
           matches a new role of the same name. Use the ARN (Access Analyzer: INVALID_ROLE_REFERENCE, \
           INVALID_USER_REFERENCE).",
    bad: template!("Resources:\n  BP:\n    Type: AWS::SNS::TopicPolicy\n    Properties:\n      Topics: [t]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: AROAJQABLZS4A3QDU576Q}\n            Action: sns:Publish\n            Resource: arn:aws:sns:us-east-1:123456789012:t\n"),
    good: template!("Resources:\n  BP:\n    Type: AWS::SNS::TopicPolicy\n    Properties:\n      Topics: [t]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: arn:aws:iam::123456789012:role/publisher}\n            Action: sns:Publish\n            Resource: arn:aws:sns:us-east-1:123456789012:t\n"),
};

pub static ALLOW_NOT_PRINCIPAL: Rule = Rule {
    id: "iam/allow-not-principal",
    severity: Severity::Warning,
    summary: "`Allow` with `NotPrincipal` grants access to everyone else",
    docs: "An `Allow` statement with `NotPrincipal` allows every principal except those listed, anonymous \
           users included. Name the principals you mean (Access Analyzer: ALLOW_WITH_NOT_PRINCIPAL; \
           parliament: NOTPRINCIPAL_WITH_ALLOW).",
    bad: template!("Resources:\n  BP:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [q]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            NotPrincipal: {AWS: arn:aws:iam::123456789012:role/x}\n            Action: sqs:SendMessage\n            Resource: arn:aws:sqs:us-east-1:123456789012:q\n"),
    good: template!("Resources:\n  BP:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [q]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: arn:aws:iam::123456789012:role/x}\n            Action: sqs:SendMessage\n            Resource: arn:aws:sqs:us-east-1:123456789012:q\n"),
};

pub static PUBLIC_PRINCIPAL: Rule = Rule {
    id: "iam/public-principal",
    severity: Severity::Warning,
    summary: "a resource policy that allows everyone, without conditions",
    docs: "`\"Principal\": \"*\"` (or `{\"AWS\": \"*\"}`) in an `Allow` statement with no `Condition` makes the \
           resource public: any AWS account and anonymous callers. Restrict it with `aws:PrincipalOrgID`, \
           `aws:SourceArn`, `aws:SourceAccount` or similar conditions, or name the principals.",
    bad: template!("Resources:\n  BP:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [q]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: '*'\n            Action: sqs:SendMessage\n            Resource: arn:aws:sqs:us-east-1:123456789012:q\n"),
    good: template!("Resources:\n  BP:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [q]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: '*'\n            Action: sqs:SendMessage\n            Resource: arn:aws:sqs:us-east-1:123456789012:q\n            Condition: {StringEquals: {aws:PrincipalOrgID: o-abcdefghij}}\n"),
};

pub static CONFUSED_DEPUTY: Rule = Rule {
    id: "iam/confused-deputy",
    severity: Severity::Warning,
    summary: "a service principal allowed without `aws:SourceArn`/`aws:SourceAccount`",
    docs: "When a resource policy (or an `AWS::Lambda::Permission`) allows an AWS service, any customer's use \
           of that service could act on your resource: the confused deputy problem. Scope the statement with \
           `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths` (Access Analyzer: \
           RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL).",
    bad: template!("Resources:\n  TP:\n    Type: AWS::SNS::TopicPolicy\n    Properties:\n      Topics: [t]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: events.amazonaws.com}\n            Action: sns:Publish\n            Resource: arn:aws:sns:us-east-1:123456789012:t\n"),
    good: template!("Resources:\n  TP:\n    Type: AWS::SNS::TopicPolicy\n    Properties:\n      Topics: [t]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: events.amazonaws.com}\n            Action: sns:Publish\n            Resource: arn:aws:sns:us-east-1:123456789012:t\n            Condition: {StringEquals: {aws:SourceAccount: '123456789012'}}\n"),
};

pub static TRUST_ACTION: Rule = Rule {
    id: "iam/trust-action-mismatch",
    severity: Severity::Error,
    summary: "a trust policy action that does not fit its principal",
    docs: "SAML providers assume roles with `sts:AssumeRoleWithSAML`, OIDC providers with \
           `sts:AssumeRoleWithWebIdentity`, and IAM Roles Anywhere needs `sts:AssumeRole`, \
           `sts:SetSourceIdentity` and `sts:TagSession`. With the wrong action the role can never be assumed \
           (Access Analyzer: MISMATCHED_ACTION_FOR_PRINCIPAL, MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY).",
    bad: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Federated: arn:aws:iam::123456789012:saml-provider/corp}\n            Action: sts:AssumeRole\n            Condition: {StringEquals: {SAML:aud: https://signin.aws.amazon.com/saml}}\n"),
    good: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Federated: arn:aws:iam::123456789012:saml-provider/corp}\n            Action: sts:AssumeRoleWithSAML\n            Condition: {StringEquals: {SAML:aud: https://signin.aws.amazon.com/saml}}\n"),
};

pub static OIDC_CONDITIONS: Rule = Rule {
    id: "iam/oidc-conditions",
    severity: Severity::Warning,
    summary: "an OIDC trust without conditions on the token's subject",
    docs: "A role trusted by an OIDC provider must check the token's claims: for GitHub Actions, \
           `token.actions.githubusercontent.com:sub` with your repository (`repo:org/repo:*`); otherwise any \
           repository on GitHub can assume the role. A `sub` of `*` is as bad (Access Analyzer: \
           MISSING_GITHUB_REPO_CONDITION_KEY, MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL).",
    bad: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Federated: arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com}\n            Action: sts:AssumeRoleWithWebIdentity\n            Condition: {StringEquals: {token.actions.githubusercontent.com:aud: sts.amazonaws.com}}\n"),
    good: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Federated: arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com}\n            Action: sts:AssumeRoleWithWebIdentity\n            Condition:\n              StringEquals: {token.actions.githubusercontent.com:aud: sts.amazonaws.com}\n              StringLike: {token.actions.githubusercontent.com:sub: 'repo:octo-org/app:*'}\n"),
};

pub static RULES: &[&Rule] = &[
    &PRINCIPAL_KEY,
    &PRINCIPAL_FORMAT,
    &PRINCIPAL_WILDCARD,
    &UNIQUE_ID_PRINCIPAL,
    &ALLOW_NOT_PRINCIPAL,
    &PUBLIC_PRINCIPAL,
    &CONFUSED_DEPUTY,
    &TRUST_ACTION,
    &OIDC_CONDITIONS,
];

/// Condition keys that tie a service principal's request to your account or resource.
pub const SOURCE_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
];

const DNS_SUFFIXES: &[&str] = &[
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".amazonaws.eu",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
    ".cloud.adc-e.uk",
    ".csp.hci.ic.gov",
    ".amazon.com",
];

pub fn service_principal_ok(s: &str) -> bool {
    s == "*"
        || (DNS_SUFFIXES
            .iter()
            .any(|suf| s.ends_with(suf) && s.len() > suf.len())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-'))
}

/// The principals of a statement as (type, value node, resolved text).
pub fn principals<'a>(cx: &DocCx, s: &Stmt<'a>) -> Vec<(&'a str, &'a Value, String)> {
    let mut out = Vec::new();
    let Some(e) = s.principal else {
        return out;
    };
    match &e.value.kind {
        ValueKind::Map(entries) => {
            for (k, v) in entries {
                for item in v.one_or_many() {
                    if let Some(r) = cx.string(item) {
                        out.push((k.text.as_str(), item, r.text));
                    }
                }
            }
        }
        _ => {
            if let Some(r) = cx.string(e.value) {
                out.push(("*", e.value, r.text));
            }
        }
    }
    out
}

pub fn check(cx: &DocCx, out: &mut Vec<Finding>) {
    for s in &cx.stmts {
        let Some(e) = s.principal else {
            continue;
        };
        if e.not && s.allow() {
            out.push(Finding::new(&ALLOW_NOT_PRINCIPAL, e.key.span.clone(), "`Allow` with `NotPrincipal` allows every principal except those listed, anonymous users included"));
        }
        if let ValueKind::Map(entries) = &e.value.kind {
            for (k, _) in entries {
                if !matches!(
                    k.text.as_str(),
                    "AWS" | "Service" | "Federated" | "CanonicalUser"
                ) && !k.text.starts_with("Fn::")
                {
                    let fix = ["AWS", "Service", "Federated", "CanonicalUser"]
                        .into_iter()
                        .find(|c| {
                            c.eq_ignore_ascii_case(&k.text)
                                || c.eq_ignore_ascii_case(k.text.trim_end_matches('s'))
                        });
                    let mut f = Finding::new(
                        &PRINCIPAL_KEY,
                        k.span.clone(),
                        format!(
                            "`{}` is not a principal type (AWS, Service, Federated, CanonicalUser)",
                            k.text
                        ),
                    );
                    if let Some(c) = fix {
                        if !cx.doc.from_string && k.span.end <= cx.text.len() {
                            let q = match cx.text.as_bytes().get(k.span.start) {
                                Some(b'"') => format!("\"{c}\""),
                                Some(b'\'') => format!("'{c}'"),
                                _ => c.to_string(),
                            };
                            f = f.with_fix(Fix::replace(
                                format!("Change to `{c}`"),
                                k.span.clone(),
                                q,
                            ));
                        }
                    }
                    out.push(f);
                }
            }
        }
        let ps = principals(cx, s);
        for (ty, v, text) in &ps {
            value(cx, ty, v, text, out);
        }
        let public = ps
            .iter()
            .any(|(ty, _, t)| (*ty == "*" || *ty == "AWS") && t == "*");
        if public && s.allow() && !s.conditional() && !e.not && cx.kind() == PolicyKind::Resource {
            out.push(Finding::new(
                &PUBLIC_PRINCIPAL,
                e.value.span.clone(),
                "this allows everyone (any account, and anonymous callers) with no condition",
            ));
        }
        if public && cx.kind() == PolicyKind::Trust && matches!(e.value.kind, ValueKind::Str(_)) {
            out.push(Finding::new(&PRINCIPAL_WILDCARD, e.value.span.clone(), "a trust policy cannot use `\"Principal\": \"*\"`; name the principals or use `{\"AWS\": \"*\"}` with conditions"));
        }
        if cx.kind() == PolicyKind::Resource && s.allow() && !e.not {
            let services: Vec<&(&str, &Value, String)> = ps
                .iter()
                .filter(|(ty, _, t)| *ty == "Service" && t != "*" && !t.contains(PLACEHOLDER))
                .collect();
            if let Some((_, v, t)) = services.first() {
                if !s.has_condition_key(SOURCE_KEYS) {
                    out.push(Finding::new(
                        &CONFUSED_DEPUTY,
                        v.span.clone(),
                        format!("`{t}` is allowed without `aws:SourceArn` or `aws:SourceAccount`: any account's use of the service could reach this resource"),
                    ));
                }
            }
        }
        if cx.kind() == PolicyKind::Trust && s.allow() {
            trust(cx, s, &ps, out);
        }
    }
}

fn value(cx: &DocCx, ty: &str, v: &Value, text: &str, out: &mut Vec<Finding>) {
    if text.contains(PLACEHOLDER) || text == "*" {
        return;
    }
    let bad = |msg: String, out: &mut Vec<Finding>| {
        out.push(Finding::new(&PRINCIPAL_FORMAT, v.span.clone(), msg))
    };
    match ty {
        "AWS" => {
            if (text.starts_with("AROA") || text.starts_with("AIDA") || text.starts_with("AGPA"))
                && text.len() >= 16
                && text
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            {
                out.push(Finding::new(&UNIQUE_ID_PRINCIPAL, v.span.clone(), format!("`{text}` is the unique id of a deleted or renamed role or user; use an ARN")));
                return;
            }
            if glob::has_wildcard(text) {
                out.push(Finding::new(&PRINCIPAL_WILDCARD, v.span.clone(), format!("`{text}`: principals take `*` alone, not partial wildcards; use a condition on `aws:PrincipalArn`")));
                return;
            }
            let account = text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit());
            let arn_ok = match crate::iam::catalog::arn::parse(text) {
                Ok(a) => {
                    (a.service == "iam" || a.service == "sts")
                        && a.region.is_empty()
                        && (a.account.len() == 12 && a.account.bytes().all(|b| b.is_ascii_digit())
                            || a.account == "aws"
                            || a.account == "cloudfront")
                        && !a.resource.is_empty()
                }
                Err(_) => false,
            };
            if !account && !arn_ok {
                bad(format!("`{text}` is not an AWS principal: use `*`, a 12-digit account id, or an IAM ARN such as `arn:aws:iam::123456789012:role/name`"), out);
            }
        }
        "Service" if !service_principal_ok(text) => {
            let guess = format!("{}.amazonaws.com", text.trim().to_ascii_lowercase());
            let mut f = Finding::new(
                &PRINCIPAL_FORMAT,
                v.span.clone(),
                format!(
                    "`{text}` is not a service principal; they look like `{}`",
                    if text.contains('.') {
                        "lambda.amazonaws.com".to_string()
                    } else {
                        guess.clone()
                    }
                ),
            );
            if !text.contains('.')
                && cx.fixable(v)
                && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                f = f.with_fix(Fix::replace(
                    format!("Change to `{guess}`"),
                    v.span.clone(),
                    cx.quote_like(v, &guess),
                ));
            }
            out.push(f);
        }
        "Federated" => {
            if text.starts_with("arn:") {
                let ok = crate::iam::catalog::arn::parse(text).is_ok_and(|a| {
                    a.service == "iam"
                        && (a.resource.starts_with("saml-provider/")
                            || a.resource.starts_with("oidc-provider/"))
                });
                if !ok {
                    bad(format!("`{text}` is not a SAML or OIDC provider ARN (`arn:aws:iam::ACCOUNT:saml-provider/NAME` or `…:oidc-provider/HOST`)"), out);
                }
            } else if !text.contains('.') || text.contains(char::is_whitespace) {
                bad(format!("`{text}` is not a federated principal: use a provider ARN or a web identity provider such as `cognito-identity.amazonaws.com`"), out);
            }
        }
        "CanonicalUser" if !(text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())) => {
            bad(
                format!("`{text}` is not a canonical user id (64 hex characters)"),
                out,
            );
        }
        _ => {}
    }
}

fn trust(cx: &DocCx, s: &Stmt, ps: &[(&str, &Value, String)], out: &mut Vec<Finding>) {
    let actions: Vec<String> = s
        .actions(cx.dialect())
        .into_iter()
        .map(|(_, r)| r.text.to_ascii_lowercase())
        .collect();
    if actions
        .iter()
        .any(|a| a.contains(PLACEHOLDER) || a == "*" || a == "sts:*")
        || actions.is_empty()
    {
        return;
    }
    let has = |a: &str| actions.iter().any(|x| glob::matches(x, a, true));
    let anchor = s
        .action
        .map(|e| e.key.span.clone())
        .unwrap_or(s.node.span.clone());
    for (ty, v, t) in ps {
        if *ty != "Federated" || t.contains(PLACEHOLDER) {
            continue;
        }
        let saml = t.contains(":saml-provider/");
        if saml && !has("sts:assumerolewithsaml") {
            out.push(Finding::new(
                &TRUST_ACTION,
                anchor.clone(),
                "a SAML provider assumes roles with `sts:AssumeRoleWithSAML`",
            ));
        }
        if !saml && !has("sts:assumerolewithwebidentity") {
            out.push(Finding::new(&TRUST_ACTION, anchor.clone(), "an OIDC or web identity provider assumes roles with `sts:AssumeRoleWithWebIdentity`"));
        }
        if !saml {
            let host = t.rsplit("oidc-provider/").next().unwrap_or(t);
            let prefix = format!("{host}:");
            let entries = s.condition_entries();
            let keyed: Vec<_> = entries
                .iter()
                .filter(|(_, k, _)| {
                    k.text
                        .to_ascii_lowercase()
                        .starts_with(&prefix.to_ascii_lowercase())
                })
                .collect();
            if host.contains("token.actions.githubusercontent.com") {
                let sub = keyed
                    .iter()
                    .find(|(_, k, _)| k.text.to_ascii_lowercase().ends_with(":sub"));
                match sub {
                    None => out.push(Finding::new(&OIDC_CONDITIONS, v.span.clone(), "GitHub Actions can assume this role from any repository: add a condition on `token.actions.githubusercontent.com:sub` (for example `repo:org/repo:ref:refs/heads/main`)")),
                    Some((_, _, val)) => {
                        let values: Vec<String> = val.one_or_many().iter().filter_map(|x| cx.string(x)).map(|r| r.text).collect();
                        if values.iter().any(|x| x == "*" || x == "repo:*" || x.starts_with("repo:*")) {
                            out.push(Finding::new(&OIDC_CONDITIONS, val.span.clone(), "this `sub` condition matches every GitHub repository"));
                        }
                    }
                }
            } else if keyed.is_empty() && t.starts_with("arn:") {
                out.push(Finding::new(&OIDC_CONDITIONS, v.span.clone(), format!("no condition on the token's claims (`{host}:sub`, `{host}:aud`): any identity of this provider can assume the role")));
            }
        }
    }
    if ps
        .iter()
        .any(|(ty, _, t)| *ty == "Service" && t == "rolesanywhere.amazonaws.com")
    {
        for need in ["sts:assumerole", "sts:setsourceidentity", "sts:tagsession"] {
            if !has(need) {
                out.push(Finding::new(&TRUST_ACTION, anchor.clone(), "IAM Roles Anywhere needs `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession`"));
                break;
            }
        }
    }
    for (ty, _, _) in ps {
        if matches!(*ty, "AWS" | "Service")
            && (has("sts:assumerolewithsaml") || has("sts:assumerolewithwebidentity"))
            && !ps.iter().any(|(t, _, _)| *t == "Federated")
        {
            out.push(Finding::new(&TRUST_ACTION, anchor.clone(), "`sts:AssumeRoleWithSAML`/`AssumeRoleWithWebIdentity` are for federated principals; AWS and service principals use `sts:AssumeRole`"));
            break;
        }
    }
}
