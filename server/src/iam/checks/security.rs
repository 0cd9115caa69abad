//! Security smells: `NotAction`/`NotResource` with `Allow`, `iam:PassRole` and
//! `iam:CreateServiceLinkedRole` on `*`, full administrator access, and privilege-escalation action sets.

use super::{policy, DocCx};
use crate::iam::eval::{self, Decision};
use crate::iam::glob::{self, PLACEHOLDER};
use crate::iam::locate::PolicyKind;
use crate::iam::model::Stmt;
use crate::rules::{Finding, Rule, Severity};

pub static ALLOW_NOT_ACTION: Rule = Rule {
    id: "iam/allow-not-action",
    severity: Severity::Warning,
    summary: "`Allow` with `NotAction` grants every other action",
    docs: "`\"Effect\": \"Allow\"` with `NotAction` allows every action of every service except those listed, \
           including services AWS adds later. List the actions to allow instead (parliament: \
           NOTACTION_WITH_ALLOW).",
    bad: policy!("{\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Deny\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"}"),
};

pub static ALLOW_NOT_RESOURCE: Rule = Rule {
    id: "iam/allow-not-resource",
    severity: Severity::Warning,
    summary: "`Allow` with `NotResource` grants every other resource",
    docs: "`\"Effect\": \"Allow\"` with `NotResource` allows the actions on every resource except those \
           listed, including resources created later and in other accounts. Name the resources instead \
           (parliament: NOTRESOURCE_WITH_ALLOW).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"NotResource\": \"arn:aws:s3:::secret/*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::public/*\"}"),
};

pub static PASS_ROLE: Rule = Rule {
    id: "iam/pass-role-star",
    severity: Severity::Warning,
    summary: "`iam:PassRole` on every role",
    docs: "Passing a role lets a service act with that role's permissions. Allowing `iam:PassRole` on `*` \
           (or through `NotResource`, `NotAction` or wildcard actions) without an `iam:PassedToService` \
           condition lets the holder hand any role, admin roles included, to any service: a path to \
           privilege escalation. Name the roles (Access Analyzer: PASS_ROLE_WITH_STAR_IN_RESOURCE and the \
           other PASS_ROLE_WITH_* shapes).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"arn:aws:iam::123456789012:role/app-task\", \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"ecs-tasks.amazonaws.com\"}}}"),
};

pub static CREATE_SLR: Rule = Rule {
    id: "iam/create-slr-star",
    severity: Severity::Warning,
    summary: "`iam:CreateServiceLinkedRole` for every service",
    docs: "`iam:CreateServiceLinkedRole` on `*` without an `iam:AWSServiceName` condition lets the holder create \
           the service-linked role of any service. Limit it to the services you use (Access Analyzer: \
           CREATE_SLR_WITH_STAR_IN_RESOURCE and the other CREATE_SLR_WITH_* shapes).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"iam:CreateServiceLinkedRole\", \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"iam:CreateServiceLinkedRole\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"iam:AWSServiceName\": \"elasticloadbalancing.amazonaws.com\"}}}"),
};

pub static FULL_ADMIN: Rule = Rule {
    id: "iam/full-admin",
    severity: Severity::Warning,
    summary: "`Allow` of every action on every resource",
    docs: "`\"Action\": \"*\"` with `\"Resource\": \"*\"` and no condition is full administrator access. A Lambda \
           function, a CI role or an application never needs it; grant what the code calls.",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"dynamodb:GetItem\", \"Resource\": \"arn:aws:dynamodb:us-east-1:123456789012:table/orders\"}"),
};

pub static PRIVILEGE_ESCALATION: Rule = Rule {
    id: "iam/privilege-escalation",
    severity: Severity::Warning,
    summary: "actions that together let the holder grant themselves more",
    docs: "Some actions, alone or together, let a principal raise its own permissions: new policy versions \
           (`iam:CreatePolicyVersion`), attaching or writing policies, creating access keys or login profiles \
           for others, or passing a role to code it controls (`iam:PassRole` with `lambda:CreateFunction` and \
           `lambda:InvokeFunction`, with `ec2:RunInstances`, …). Reported when the policy allows a whole set \
           (parliament: PRIVILEGE_ESCALATION).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": [\"iam:PassRole\", \"lambda:CreateFunction\", \"lambda:InvokeFunction\"], \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": [\"lambda:InvokeFunction\"], \"Resource\": \"*\"}"),
};

pub static PERMISSIONS_MANAGEMENT: Rule = Rule {
    id: "iam/permissions-management",
    severity: Severity::Info,
    summary: "actions that change who may do what",
    docs: "Actions of the \"Permissions management\" access level (`iam:AttachRolePolicy`, \
           `s3:PutBucketPolicy`, `kms:CreateGrant`, …) let the holder change permissions, their own \
           included. Grant them deliberately and narrowly (parliament: PERMISSIONS_MANAGEMENT_ACTIONS).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:PutBucketPolicy\", \"Resource\": \"arn:aws:s3:::b\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetBucketPolicy\", \"Resource\": \"arn:aws:s3:::b\"}"),
};

pub static CREDENTIALS_EXPOSURE: Rule = Rule {
    id: "iam/credentials-exposure",
    severity: Severity::Info,
    summary: "actions whose responses contain credentials",
    docs: "Some API calls return credentials: `sts:AssumeRole`, `iam:CreateAccessKey`, \
           `ecr:GetAuthorizationToken`, `redshift:GetClusterCredentials`, `ec2:GetPasswordData`, … Whoever \
           holds them can act as someone else; make sure that is meant (parliament: CREDENTIALS_EXPOSURE).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"iam:CreateAccessKey\", \"Resource\": \"arn:aws:iam::123456789012:user/ci\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"iam:ListAccessKeys\", \"Resource\": \"arn:aws:iam::123456789012:user/ci\"}"),
};

/// API calls whose responses carry credentials.
pub const CREDENTIAL_ACTIONS: &[&str] = &[
    "chime:CreateApiKey",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "connect:GetFederationToken",
    "ec2:GetPasswordData",
    "ecr:GetAuthorizationToken",
    "gamelift:RequestUploadCredentials",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateAccessKey",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "rds-db:connect",
    "redshift:GetClusterCredentials",
    "sso:GetRoleCredentials",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
];

pub static RULES: &[&Rule] = &[
    &PERMISSIONS_MANAGEMENT,
    &CREDENTIALS_EXPOSURE,
    &ALLOW_NOT_ACTION,
    &ALLOW_NOT_RESOURCE,
    &PASS_ROLE,
    &CREATE_SLR,
    &FULL_ADMIN,
    &PRIVILEGE_ESCALATION,
];

/// Known escalation paths (Rhino Security Labs' list, as parliament uses it).
pub const ESCALATION_SETS: &[&[&str]] = &[
    &["iam:CreatePolicyVersion"],
    &["iam:SetDefaultPolicyVersion"],
    &["iam:PassRole", "ec2:RunInstances"],
    &["iam:CreateAccessKey"],
    &["iam:CreateLoginProfile"],
    &["iam:UpdateLoginProfile"],
    &["iam:AttachUserPolicy"],
    &["iam:AttachGroupPolicy"],
    &["iam:AttachRolePolicy", "sts:AssumeRole"],
    &["iam:PutUserPolicy"],
    &["iam:PutGroupPolicy"],
    &["iam:PutRolePolicy", "sts:AssumeRole"],
    &["iam:AddUserToGroup"],
    &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    &[
        "iam:PassRole",
        "lambda:CreateFunction",
        "lambda:InvokeFunction",
    ],
    &[
        "iam:PassRole",
        "lambda:CreateFunction",
        "lambda:CreateEventSourceMapping",
    ],
    &["lambda:UpdateFunctionCode"],
    &["iam:PassRole", "glue:CreateDevEndpoint"],
    &["glue:UpdateDevEndpoint"],
    &["iam:PassRole", "cloudformation:CreateStack"],
    &[
        "iam:PassRole",
        "datapipeline:CreatePipeline",
        "datapipeline:PutPipelineDefinition",
    ],
];

fn grants(s: &Stmt, cx: &DocCx, action: &str) -> bool {
    match s.action {
        Some(e) if e.not => !e
            .strings(cx.dialect())
            .iter()
            .any(|(_, r)| glob::matches(r.as_str(), action, true)),
        Some(e) => e.strings(cx.dialect()).iter().any(|(_, r)| {
            !r.as_str().contains(PLACEHOLDER) && glob::matches(r.as_str(), action, true)
        }),
        None => false,
    }
}

/// `Resource: "*"` (or `NotResource`) in the statement.
fn all_resources(s: &Stmt, cx: &DocCx) -> bool {
    match s.resource {
        Some(e) if e.not => true,
        Some(e) => e
            .strings(cx.dialect())
            .iter()
            .any(|(_, r)| r.as_str() == "*"),
        None => false,
    }
}

/// A condition on `key` that is not `…IfExists` (which passes when the key is absent).
fn scoped_by(s: &Stmt, key: &str) -> bool {
    s.condition_entries()
        .iter()
        .any(|(op, k, _)| k.text.eq_ignore_ascii_case(key) && !op.text.ends_with("IfExists"))
}

pub fn check(cx: &DocCx, out: &mut Vec<Finding>) {
    if cx.kind() == PolicyKind::Trust {
        return;
    }
    for s in &cx.stmts {
        if !s.allow() {
            continue;
        }
        if let Some(e) = s.action.filter(|e| e.not) {
            out.push(Finding::new(
                &ALLOW_NOT_ACTION,
                e.key.span.clone(),
                "`Allow` with `NotAction` grants every action not listed, in every service",
            ));
        }
        if let Some(e) = s.resource.filter(|e| e.not) {
            out.push(Finding::new(
                &ALLOW_NOT_RESOURCE,
                e.key.span.clone(),
                "`Allow` with `NotResource` grants the actions on every resource not listed",
            ));
        }
        sensitive_actions(cx, s, out);
        if cx.kind() != PolicyKind::Identity {
            continue;
        }
        let star_action = s.action.is_some_and(|e| {
            !e.not
                && e.strings(cx.dialect())
                    .iter()
                    .any(|(_, r)| r.as_str() == "*" || r.as_str() == "*:*")
        });
        let anchor = s
            .action
            .map(|e| e.key.span.clone())
            .unwrap_or(s.node.span.clone());
        if all_resources(s, cx) {
            if star_action && !s.conditional() && s.resource.is_some_and(|e| !e.not) {
                out.push(Finding::new(&FULL_ADMIN, anchor.clone(), "this statement allows every action on every resource: full administrator access"));
            }
            if grants(s, cx, "iam:PassRole") && !scoped_by(s, "iam:PassedToService") {
                out.push(Finding::new(&PASS_ROLE, anchor.clone(), "`iam:PassRole` on every role: any role, admin roles included, can be passed to any service; name the roles or add an `iam:PassedToService` condition"));
            }
            if grants(s, cx, "iam:CreateServiceLinkedRole") && !scoped_by(s, "iam:AWSServiceName") {
                out.push(Finding::new(&CREATE_SLR, anchor.clone(), "`iam:CreateServiceLinkedRole` for every service: add an `iam:AWSServiceName` condition"));
            }
        }
    }
    if cx.kind() == PolicyKind::Identity {
        escalation(cx, out);
    }
}

fn escalation(cx: &DocCx, out: &mut Vec<Finding>) {
    let stmts = eval::statements(cx.doc);
    if !stmts.iter().any(|s| s.allow) {
        return;
    }
    // Full administrators are reported as such; every set would match.
    if eval::decide(&stmts, "*", None) == Decision::Allowed {
        return;
    }
    let found: Vec<&&[&str]> = ESCALATION_SETS
        .iter()
        .filter(|set| {
            set.iter()
                .all(|a| eval::decide(&stmts, a, None) == Decision::Allowed)
        })
        .collect();
    let Some(first) = found.first() else {
        return;
    };
    // Point at the statement that grants the first action of the first set.
    let at = cx
        .stmts
        .iter()
        .find(|s| s.allow() && grants(s, cx, first[0]))
        .and_then(|s| s.action.map(|e| e.key.span.clone()))
        .unwrap_or(cx.doc.anchor.clone());
    let sets: Vec<String> = found
        .iter()
        .take(3)
        .map(|set| {
            set.iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect();
    let more = if found.len() > 3 {
        format!(" (and {} more paths)", found.len() - 3)
    } else {
        String::new()
    };
    out.push(Finding::new(
        &PRIVILEGE_ESCALATION,
        at,
        format!(
            "the policy allows {}{more}, which lets the holder escalate its privileges",
            sets.join("; ")
        ),
    ));
}

/// Permissions-management and credential-returning actions an `Allow` grants, one finding per item.
fn sensitive_actions(cx: &DocCx, s: &Stmt, out: &mut Vec<Finding>) {
    let Some(e) = s.action.filter(|e| !e.not) else {
        return;
    };
    let cat = crate::iam::catalog::catalog();
    for (v, r) in e.strings(cx.dialect()) {
        let t = r.as_str();
        if !r.exact() || t == "*" || t == "*:*" {
            continue;
        }
        let granted = cat.expand(t);
        let perm: Vec<String> = granted
            .iter()
            .filter(|(_, a)| a.access.has(crate::iam::catalog::Access::PERMISSIONS))
            .map(|(svc, a)| format!("{}:{}", svc.prefix, a.name))
            .collect();
        if !perm.is_empty() {
            let shown: Vec<String> = perm.iter().take(3).map(|p| format!("`{p}`")).collect();
            out.push(Finding::new(
                &PERMISSIONS_MANAGEMENT,
                v.span.clone(),
                format!(
                    "grants {} permissions-management action{} ({}{})",
                    perm.len(),
                    if perm.len() == 1 { "" } else { "s" },
                    shown.join(", "),
                    if perm.len() > 3 { ", …" } else { "" }
                ),
            ));
        }
        let prefix = t.split(':').next().unwrap_or("");
        let creds: Vec<&&str> = if glob::has_wildcard(prefix)
            || CREDENTIAL_ACTIONS.iter().any(|c| {
                c.split(':')
                    .next()
                    .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            }) {
            CREDENTIAL_ACTIONS
                .iter()
                .filter(|c| glob::matches(t, c, true))
                .collect()
        } else {
            Vec::new()
        };
        if let Some(first) = creds.first() {
            out.push(Finding::new(
                &CREDENTIALS_EXPOSURE,
                v.span.clone(),
                format!(
                    "`{first}`{} returns credentials",
                    if creds.len() > 1 {
                        format!(" (and {} more)", creds.len() - 1)
                    } else {
                        String::new()
                    }
                ),
            ));
        }
    }
}
