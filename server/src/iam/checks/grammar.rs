//! The policy grammar: elements, their types, `Version`, `Effect`, required and exclusive elements, `Sid`s,
//! empty values and allowed characters.

use super::{policy, template, DocCx};
use crate::iam::locate::PolicyKind;
use crate::rules::{Edit, Finding, Fix, Rule, Severity};
use crate::syntax::{Key, Value, ValueKind};

pub static VERSION: Rule = Rule {
    id: "iam/version",
    severity: Severity::Error,
    summary: "policy `Version` is missing, invalid or outdated",
    docs: "A policy should say `\"Version\": \"2012-10-17\"`. Without it (or with the old `2008-10-17`) IAM \
           takes policy variables such as `${aws:username}` literally, so a statement silently matches \
           nothing. Any other value is rejected. Missing or old: warning; invalid: error.",
    bad: &[("policy.json", "{\n  \"Version\": \"2012-10-18\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}]\n}\n")],
    good: &[("policy.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}]\n}\n")],
};

pub static JSON_SYNTAX: Rule = Rule {
    id: "iam/json-syntax",
    severity: Severity::Error,
    summary: "a policy written as a string is not valid JSON",
    docs: "A policy document given as a string (a JSON string inside YAML, or a `!Sub` text) must be a valid \
           JSON object; CloudFormation passes it to IAM as is and the deployment fails. cfn-lint skips such \
           strings silently.",
    bad: template!("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: '{\"Version\": \"2012-10-17\", \"Statement\": [}'\n"),
    good: template!("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}]}'\n"),
};

pub static UNKNOWN_ELEMENT: Rule = Rule {
    id: "iam/unknown-element",
    severity: Severity::Error,
    summary: "an element the policy grammar does not define",
    docs: "A policy has `Version`, `Id` and `Statement`; a statement has `Sid`, `Effect`, `Principal` or \
           `NotPrincipal`, `Action` or `NotAction`, `Resource` or `NotResource`, and `Condition`. Element \
           names are case-sensitive: IAM rejects anything else (Access Analyzer: INVALID_POLICY_ELEMENT).",
    bad: policy!("{\"Effect\": \"Allow\", \"Actions\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
};

pub static WRONG_TYPE: Rule = Rule {
    id: "iam/wrong-type",
    severity: Severity::Error,
    summary: "an element has the wrong JSON type",
    docs: "`Statement` is an object or a list of objects; `Action`, `Resource` and their `Not` forms are a \
           string or a list of strings; `Condition` maps operators to maps of keys; `Effect`, `Sid` and \
           `Version` are strings (Access Analyzer: DATA_TYPE_MISMATCH).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": {\"s3\": \"ListBucket\"}, \"Resource\": \"arn:aws:s3:::b\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": [\"s3:ListBucket\"], \"Resource\": \"arn:aws:s3:::b\"}"),
};

pub static MISSING_STATEMENT: Rule = Rule {
    id: "iam/missing-statement",
    severity: Severity::Error,
    summary: "the policy has no statements",
    docs: "A policy needs a `Statement` element with at least one statement; IAM rejects a policy without \
           one (Access Analyzer: MISSING_STATEMENT).",
    bad: &[("policy.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n")],
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
};

pub static EFFECT: Rule = Rule {
    id: "iam/effect",
    severity: Severity::Error,
    summary: "`Effect` is missing or not `Allow`/`Deny`",
    docs: "Every statement needs `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`, spelled exactly so (the \
           value is case-sensitive). A quick fix corrects the case (Access Analyzer: MISSING_EFFECT, \
           INVALID_EFFECT).",
    bad: policy!("{\"Effect\": \"allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
};

pub static MISSING_ACTION: Rule = Rule {
    id: "iam/missing-action",
    severity: Severity::Error,
    summary: "a statement has neither `Action` nor `NotAction`",
    docs: "Every statement must name the actions it is about, with `Action` or `NotAction` (Access Analyzer: \
           MISSING_ACTION).",
    bad: policy!("{\"Effect\": \"Allow\", \"Resource\": \"arn:aws:s3:::b\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
};

pub static MISSING_RESOURCE: Rule = Rule {
    id: "iam/missing-resource",
    severity: Severity::Error,
    summary: "a statement has neither `Resource` nor `NotResource`",
    docs: "Identity and resource policy statements must name resources with `Resource` or `NotResource` \
           (use `\"*\"` for actions without resource types). Only trust policies go without (Access \
           Analyzer: MISSING_RESOURCE).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"*\"}"),
};

pub static EXCLUSIVE: Rule = Rule {
    id: "iam/exclusive-elements",
    severity: Severity::Error,
    summary: "an element and its `Not` form in one statement",
    docs: "A statement may have `Action` or `NotAction`, `Resource` or `NotResource`, `Principal` or \
           `NotPrincipal`, never both (Access Analyzer: UNSUPPORTED_ELEMENT_COMBINATION).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"NotAction\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
};

pub static PRINCIPAL_NOT_ALLOWED: Rule = Rule {
    id: "iam/principal-not-allowed",
    severity: Severity::Error,
    summary: "`Principal` in an identity policy",
    docs: "An identity policy (attached to a user, group or role, or a SAM/serverless function's role) \
           applies to whoever it is attached to: it cannot name a `Principal` or `NotPrincipal`. IAM rejects \
           it (Access Analyzer: UNSUPPORTED_PRINCIPAL). Did you mean a resource or trust policy?",
    bad: template!("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: '123456789012'}\n            Action: s3:ListBucket\n            Resource: arn:aws:s3:::b\n"),
    good: template!("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:ListBucket\n            Resource: arn:aws:s3:::b\n"),
};

pub static MISSING_PRINCIPAL: Rule = Rule {
    id: "iam/missing-principal",
    severity: Severity::Error,
    summary: "a resource or trust policy statement without `Principal`",
    docs: "Resource policies (bucket, queue, topic, key policies …) and role trust policies must say who the \
           statement applies to, with `Principal` or `NotPrincipal` (Access Analyzer: MISSING_PRINCIPAL).",
    bad: template!("Resources:\n  BP:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: b\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: arn:aws:s3:::b/*\n"),
    good: template!("Resources:\n  BP:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: b\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: arn:aws:iam::123456789012:root}\n            Action: s3:GetObject\n            Resource: arn:aws:s3:::b/*\n"),
};

pub static TRUST_RESOURCE: Rule = Rule {
    id: "iam/trust-resource",
    severity: Severity::Error,
    summary: "`Resource` in a role trust policy",
    docs: "A trust policy is attached to the role it protects, so it has no `Resource` or `NotResource`; IAM \
           rejects the role (Access Analyzer: ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE).",
    bad: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n            Resource: '*'\n"),
    good: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n"),
};

pub static TRUST_NOT_PRINCIPAL: Rule = Rule {
    id: "iam/trust-not-principal",
    severity: Severity::Error,
    summary: "`NotPrincipal` in a role trust policy",
    docs: "Trust policies do not support `NotPrincipal` (Access Analyzer: \
           ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL). Name the principals that may assume the role.",
    bad: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Deny\n            NotPrincipal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n"),
    good: template!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n"),
};

pub static INVALID_SID: Rule = Rule {
    id: "iam/invalid-sid",
    severity: Severity::Error,
    summary: "a `Sid` with characters IAM does not allow",
    docs: "In identity and trust policies a `Sid` may only hold ASCII letters and digits (Access Analyzer: \
           UNSUPPORTED_SID). Resource policies of some services allow more (spaces in KMS key policies), so \
           they are not checked.",
    bad: policy!("{\"Sid\": \"read-bucket\", \"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
    good: policy!("{\"Sid\": \"ReadBucket\", \"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
};

pub static DUPLICATE_SID: Rule = Rule {
    id: "iam/duplicate-sid",
    severity: Severity::Error,
    summary: "two statements with the same `Sid`",
    docs: "Statement ids must be unique within a policy: IAM rejects identity and trust policies with \
           duplicates (error), and for resource policies they are strongly recommended (warning) \
           (Access Analyzer: UNIQUE_SIDS_REQUIRED, UNIQUE_SIDS_RECOMMENDED).",
    bad: policy!("{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"},\n    {\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}"),
    good: policy!("{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"},\n    {\"Sid\": \"B\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}"),
};

pub static EMPTY_SID: Rule = Rule {
    id: "iam/empty-sid",
    severity: Severity::Info,
    summary: "an empty `Sid`",
    docs: "`\"Sid\": \"\"` says nothing; remove it or give the statement a name (Access Analyzer: \
           EMPTY_SID_VALUE).",
    bad: policy!("{\"Sid\": \"\", \"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
    good: policy!("{\"Sid\": \"ListB\", \"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
};

pub static EMPTY_VALUE: Rule = Rule {
    id: "iam/empty-value",
    severity: Severity::Info,
    summary: "an empty list or object in a policy element",
    docs: "An empty `Action`, `Resource` or `Principal` list matches nothing, and an empty `Condition` or \
           condition value list does nothing; it is usually a leftover (Access Analyzer: EMPTY_ARRAY_*, \
           EMPTY_OBJECT_*).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\", \"Condition\": {}}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
};

pub static INVALID_CHARACTER: Rule = Rule {
    id: "iam/invalid-character",
    severity: Severity::Error,
    summary: "a character IAM does not accept in policies",
    docs: "Policies may only contain tab, line feed, carriage return and the characters U+0020 to U+00FF. A \
           smart quote or an emoji pasted into an ARN or a `Sid` makes IAM reject the policy.",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\u{2019}\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}"),
};

pub static DUPLICATE_KEY_CASE: Rule = Rule {
    id: "iam/duplicate-key-case",
    severity: Severity::Error,
    summary: "condition keys that differ only in case",
    docs: "Condition key names are case-insensitive, so `aws:SourceArn` and `aws:sourcearn` under one \
           operator are the same key twice, and IAM rejects the policy (Access Analyzer: \
           DUPLICATE_KEYS_WITH_DIFFERENT_CASE). Merge their values.",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\", \"Condition\": {\"StringEquals\": {\"aws:PrincipalAccount\": \"111122223333\", \"aws:principalaccount\": \"444455556666\"}}}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\", \"Condition\": {\"StringEquals\": {\"aws:PrincipalAccount\": [\"111122223333\", \"444455556666\"]}}}"),
};

pub static RULES: &[&Rule] = &[
    &VERSION,
    &JSON_SYNTAX,
    &UNKNOWN_ELEMENT,
    &WRONG_TYPE,
    &MISSING_STATEMENT,
    &EFFECT,
    &MISSING_ACTION,
    &MISSING_RESOURCE,
    &EXCLUSIVE,
    &PRINCIPAL_NOT_ALLOWED,
    &MISSING_PRINCIPAL,
    &TRUST_RESOURCE,
    &TRUST_NOT_PRINCIPAL,
    &INVALID_SID,
    &DUPLICATE_SID,
    &EMPTY_SID,
    &EMPTY_VALUE,
    &INVALID_CHARACTER,
    &DUPLICATE_KEY_CASE,
];

const TOP: &[&str] = &["Version", "Id", "Statement"];
const STMT: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

pub fn check(cx: &DocCx, out: &mut Vec<Finding>) {
    if !cx.doc.bare {
        document(cx, out);
    }
    let mut sids: Vec<(&str, &Value)> = Vec::new();
    for s in &cx.stmts {
        statement(cx, s, out);
        if let Some((_, v)) = s.sid {
            if let Some(text) = v.as_str() {
                if let Some((_, first)) = sids.iter().find(|(t, _)| *t == text && !text.is_empty())
                {
                    let sev = if cx.kind() == PolicyKind::Resource {
                        Severity::Warning
                    } else {
                        Severity::Error
                    };
                    out.push(
                        Finding::new(
                            &DUPLICATE_SID,
                            v.span.clone(),
                            format!("duplicate `Sid` `{text}`"),
                        )
                        .with_severity(sev)
                        .with_related(
                            None,
                            first.span.clone(),
                            "first used here",
                        ),
                    );
                } else {
                    sids.push((text, v));
                }
            }
        }
    }
    characters(cx, &cx.doc.value, out);
}

fn document(cx: &DocCx, out: &mut Vec<Finding>) {
    let doc = &cx.doc.value;
    let Some(entries) = doc.as_map() else {
        return;
    };
    unknown_keys(cx, entries, TOP, "policy", out);
    version(cx, entries, out);
    match doc.get_entry("Statement") {
        None => out.push(Finding::new(
            &MISSING_STATEMENT,
            cx.doc.anchor.clone(),
            "the policy has no `Statement`",
        )),
        Some((k, v)) => match &v.kind {
            ValueKind::Seq(items) if items.is_empty() => out.push(Finding::new(
                &MISSING_STATEMENT,
                k.span.clone(),
                "`Statement` is empty: the policy grants and denies nothing",
            )),
            ValueKind::Seq(items) => {
                for i in items {
                    if i.as_map().is_none() && !i.is_intrinsic() {
                        out.push(Finding::new(
                            &WRONG_TYPE,
                            i.span.clone(),
                            "a statement must be an object",
                        ));
                    }
                }
            }
            ValueKind::Map(_) | ValueKind::Intrinsic { .. } => {}
            _ => out.push(Finding::new(
                &WRONG_TYPE,
                v.span.clone(),
                "`Statement` must be an object or a list of objects",
            )),
        },
    }
    if let Some((_, v)) = doc.get_entry("Id") {
        scalar(v, "Id", out);
    }
}

fn version(cx: &DocCx, entries: &[(Key, Value)], out: &mut Vec<Finding>) {
    let doc = &cx.doc.value;
    match doc.get("Version") {
        None => {
            // Point at `Statement` when there is one: that is what the missing Version changes.
            let at = doc
                .get_entry("Statement")
                .map(|(k, _)| k.span.clone())
                .unwrap_or_else(|| cx.doc.anchor.clone());
            let mut f = Finding::new(
                &VERSION,
                at,
                "policy has no `Version`: policy variables are taken literally; add \"Version\": \"2012-10-17\"",
            )
            .with_severity(Severity::Warning);
            if !cx.doc.from_string && cx.doc.origin == crate::iam::locate::Origin::Written {
                if let Some(edit) = insert_version(cx.text, doc, entries) {
                    f = f.with_fix(Fix {
                        title: "Add \"Version\": \"2012-10-17\"".into(),
                        edits: vec![edit],
                        preferred: true,
                    });
                }
            }
            out.push(f);
        }
        Some(v) => match v.as_str() {
            Some("2012-10-17") => {}
            Some("2008-10-17") => {
                let mut f = Finding::new(
                    &VERSION,
                    v.span.clone(),
                    "`2008-10-17` is the old policy language: policy variables are taken literally; use `2012-10-17`",
                )
                .with_severity(Severity::Warning);
                if cx.fixable(v) {
                    f = f.with_fix(Fix::replace(
                        "Change to 2012-10-17",
                        v.span.clone(),
                        cx.quote_like(v, "2012-10-17"),
                    ));
                }
                out.push(f);
            }
            _ if v.is_intrinsic() => {}
            _ => {
                let mut f = Finding::new(
                    &VERSION,
                    v.span.clone(),
                    "policy `Version` must be `2012-10-17` (or the old `2008-10-17`)",
                );
                if cx.fixable(v) {
                    f = f.with_fix(Fix::replace(
                        "Change to 2012-10-17",
                        v.span.clone(),
                        cx.quote_like(v, "2012-10-17"),
                    ));
                }
                out.push(f);
            }
        },
    }
}

/// An edit that adds the Version as the first entry, in the document's own syntax and indentation.
fn insert_version(text: &str, doc: &Value, entries: &[(Key, Value)]) -> Option<Edit> {
    let first = entries.first()?;
    let key_start = first.0.span.start;
    let line_start = text
        .get(..key_start)?
        .rfind(['\n', '\r'])
        .map(|i| i + 1)
        .unwrap_or(0);
    let prefix = text.get(line_start..key_start)?;
    let is_json = text.as_bytes().get(doc.span.start) == Some(&b'{');
    let new_text = if is_json {
        if prefix.trim().is_empty() {
            format!("\"Version\": \"2012-10-17\",\n{prefix}")
        } else {
            "\"Version\": \"2012-10-17\", ".to_string()
        }
    } else if prefix.trim().is_empty() {
        format!("Version: '2012-10-17'\n{prefix}")
    } else if prefix.trim_end().ends_with('-') {
        // `- Statement:` in a YAML list: the new line goes at the key's column.
        format!(
            "Version: '2012-10-17'\n{}",
            " ".repeat(prefix.chars().count())
        )
    } else {
        return None;
    };
    Some(Edit {
        path: None,
        span: key_start..key_start,
        new_text,
    })
}

fn unknown_keys(
    cx: &DocCx,
    entries: &[(Key, Value)],
    known: &[&str],
    what: &str,
    out: &mut Vec<Finding>,
) {
    for (k, _) in entries {
        if known.contains(&k.text.as_str()) {
            continue;
        }
        // `Fn::If` around a statement's parts and similar template constructs are not ours to judge.
        if k.text.starts_with("Fn::") || k.text == "Ref" {
            continue;
        }
        let fix = known
            .iter()
            .find(|c| c.eq_ignore_ascii_case(&k.text))
            .copied()
            .or_else(|| {
                crate::suggest::closest(&k.text, known.iter().copied(), 1)
                    .first()
                    .copied()
            });
        let mut msg = format!("`{}` is not a {what} element", k.text);
        if let Some(s) = fix {
            msg.push_str(&format!("; did you mean `{s}`?"));
        }
        let mut f = Finding::new(&UNKNOWN_ELEMENT, k.span.clone(), msg);
        if let Some(s) = fix {
            if !cx.doc.from_string && k.span.end <= cx.text.len() {
                let quoted = match cx.text.as_bytes().get(k.span.start) {
                    Some(b'"') => format!("\"{s}\""),
                    Some(b'\'') => format!("'{s}'"),
                    _ => s.to_string(),
                };
                f = f.with_fix(Fix::replace(
                    format!("Change to `{s}`"),
                    k.span.clone(),
                    quoted,
                ));
            }
        }
        out.push(f);
    }
}

fn scalar(v: &Value, name: &str, out: &mut Vec<Finding>) {
    if matches!(v.kind, ValueKind::Map(_) | ValueKind::Seq(_)) {
        out.push(Finding::new(
            &WRONG_TYPE,
            v.span.clone(),
            format!("`{name}` must be a string"),
        ));
    }
}

fn strings_or_list(cx: &DocCx, v: &Value, name: &str, out: &mut Vec<Finding>) {
    if cx.dialect() == crate::iam::resolve::Dialect::Plain {
        for i in v.one_or_many() {
            if let Some((f, _)) = i.as_intrinsic() {
                out.push(Finding::new(
                    &WRONG_TYPE,
                    i.span.clone(),
                    format!("`{f}` is a CloudFormation function: a policy file is plain JSON, so `{name}` needs strings"),
                ));
            }
        }
    }
    match &v.kind {
        ValueKind::Seq(items) => {
            if items.is_empty() {
                out.push(Finding::new(
                    &EMPTY_VALUE,
                    v.span.clone(),
                    format!("`{name}` is an empty list: the statement matches nothing"),
                ));
            }
            for i in items {
                if matches!(
                    i.kind,
                    ValueKind::Map(_) | ValueKind::Seq(_) | ValueKind::Null
                ) {
                    out.push(Finding::new(
                        &WRONG_TYPE,
                        i.span.clone(),
                        format!("items of `{name}` must be strings"),
                    ));
                }
            }
        }
        ValueKind::Map(_) | ValueKind::Null => out.push(Finding::new(
            &WRONG_TYPE,
            v.span.clone(),
            format!("`{name}` must be a string or a list of strings"),
        )),
        _ => {}
    }
}

fn statement(cx: &DocCx, s: &crate::iam::model::Stmt, out: &mut Vec<Finding>) {
    let Some(entries) = s.node.as_map() else {
        return;
    };
    unknown_keys(cx, entries, STMT, "statement", out);
    let anchor = entries
        .first()
        .map(|(k, _)| k.span.clone())
        .unwrap_or(s.node.span.clone());
    // Effect.
    match s.effect {
        None => out.push(Finding::new(
            &EFFECT,
            anchor.clone(),
            "the statement has no `Effect`; add `\"Effect\": \"Allow\"` or `\"Deny\"`",
        )),
        Some((_, v)) => match v.as_str() {
            Some("Allow") | Some("Deny") => {}
            Some(other) => {
                let fix = ["Allow", "Deny"]
                    .into_iter()
                    .find(|c| c.eq_ignore_ascii_case(other.trim()));
                let mut f = Finding::new(
                    &EFFECT,
                    v.span.clone(),
                    match fix {
                        Some(c) => format!("`Effect` is case-sensitive: write `{c}`"),
                        None => format!("`Effect` must be `Allow` or `Deny`, not `{other}`"),
                    },
                );
                if let Some(c) = fix {
                    if cx.fixable(v) {
                        f = f.with_fix(Fix::replace(
                            format!("Change to `{c}`"),
                            v.span.clone(),
                            cx.quote_like(v, c),
                        ));
                    }
                }
                out.push(f);
            }
            None if v.is_intrinsic() => {}
            None => out.push(Finding::new(
                &WRONG_TYPE,
                v.span.clone(),
                "`Effect` must be the string `Allow` or `Deny`",
            )),
        },
    }
    if let Some((_, v)) = s.sid {
        match v.as_str() {
            Some("") => out.push(Finding::new(&EMPTY_SID, v.span.clone(), "empty `Sid`")),
            Some(t) => {
                if cx.kind() != PolicyKind::Resource
                    && !t.chars().all(|c| c.is_ascii_alphanumeric())
                    && !t.contains(crate::iam::glob::PLACEHOLDER)
                    && !t.contains("${")
                {
                    out.push(Finding::new(
                        &INVALID_SID,
                        v.span.clone(),
                        format!(
                            "`Sid` `{t}` may only contain letters and digits in an {}",
                            cx.kind().label()
                        ),
                    ));
                }
            }
            None => scalar(v, "Sid", out),
        }
    }
    // Pairs.
    for (a, b) in [
        ("Action", "NotAction"),
        ("Resource", "NotResource"),
        ("Principal", "NotPrincipal"),
    ] {
        if let (Some(_), Some((kb, _))) = (s.node.get_entry(a), s.node.get_entry(b)) {
            out.push(Finding::new(
                &EXCLUSIVE,
                kb.span.clone(),
                format!("a statement cannot have both `{a}` and `{b}`"),
            ));
        }
    }
    match s.action {
        None => out.push(Finding::new(
            &MISSING_ACTION,
            anchor.clone(),
            "the statement has neither `Action` nor `NotAction`",
        )),
        Some(e) => strings_or_list(cx, e.value, &e.key.text, out),
    }
    match (s.resource, cx.kind()) {
        (None, PolicyKind::Trust) => {}
        (None, _) => out.push(Finding::new(
            &MISSING_RESOURCE,
            anchor.clone(),
            "the statement has neither `Resource` nor `NotResource`",
        )),
        (Some(e), PolicyKind::Trust) => out.push(Finding::new(
            &TRUST_RESOURCE,
            e.key.span.clone(),
            format!(
                "a trust policy cannot have `{}`: it applies to the role itself",
                e.key.text
            ),
        )),
        (Some(e), _) => strings_or_list(cx, e.value, &e.key.text, out),
    }
    match (s.principal, cx.kind()) {
        (Some(e), PolicyKind::Identity) => out.push(Finding::new(
            &PRINCIPAL_NOT_ALLOWED,
            e.key.span.clone(),
            format!(
                "an identity policy cannot have `{}`: it applies to the identity it is attached to",
                e.key.text
            ),
        )),
        (None, PolicyKind::Resource | PolicyKind::Trust) => out.push(Finding::new(
            &MISSING_PRINCIPAL,
            anchor.clone(),
            format!("a statement in a {} needs a `Principal`", cx.kind().label()),
        )),
        (Some(e), PolicyKind::Trust) if e.not => out.push(Finding::new(
            &TRUST_NOT_PRINCIPAL,
            e.key.span.clone(),
            "trust policies do not support `NotPrincipal`",
        )),
        (Some(e), _) => match &e.value.kind {
            ValueKind::Map(m) if m.is_empty() => out.push(Finding::new(
                &EMPTY_VALUE,
                e.value.span.clone(),
                format!("`{}` is empty", e.key.text),
            )),
            ValueKind::Seq(_) | ValueKind::Null | ValueKind::Num(_) | ValueKind::Bool(_) => out
                .push(Finding::new(
                    &WRONG_TYPE,
                    e.value.span.clone(),
                    format!(
                        "`{}` must be `\"*\"` or an object such as `{{\"AWS\": …}}`",
                        e.key.text
                    ),
                )),
            _ => {}
        },
        _ => {}
    }
    if let Some((_, c)) = s.condition {
        condition_shape(c, out);
    }
}

fn condition_shape(c: &Value, out: &mut Vec<Finding>) {
    match &c.kind {
        ValueKind::Map(ops) => {
            if ops.is_empty() {
                out.push(Finding::new(
                    &EMPTY_VALUE,
                    c.span.clone(),
                    "`Condition` is empty",
                ));
            }
            for (op, block) in ops {
                match &block.kind {
                    ValueKind::Map(keys) => {
                        if keys.is_empty() {
                            out.push(Finding::new(
                                &EMPTY_VALUE,
                                block.span.clone(),
                                format!("`{}` has no condition keys", op.text),
                            ));
                        }
                        let mut seen: Vec<&Key> = Vec::new();
                        for (k, v) in keys {
                            if let Some(first) = seen
                                .iter()
                                .find(|s| s.text.eq_ignore_ascii_case(&k.text) && s.text != k.text)
                            {
                                out.push(
                                    Finding::new(&DUPLICATE_KEY_CASE, k.span.clone(), format!("`{}` is the same key as `{}` (key names are case-insensitive)", k.text, first.text))
                                        .with_related(None, first.span.clone(), "first used here"),
                                );
                            }
                            seen.push(k);
                            match &v.kind {
                                ValueKind::Seq(items) => {
                                    if items.is_empty() {
                                        out.push(Finding::new(&EMPTY_VALUE, v.span.clone(), format!("no values for `{}`", k.text)));
                                    }
                                    for i in items {
                                        if matches!(i.kind, ValueKind::Map(_) | ValueKind::Seq(_)) {
                                            out.push(Finding::new(&WRONG_TYPE, i.span.clone(), "condition values must be strings, numbers or booleans"));
                                        }
                                    }
                                }
                                ValueKind::Map(_) => out.push(Finding::new(&WRONG_TYPE, v.span.clone(), "condition values must be strings, numbers or booleans, or a list of them")),
                                _ => {}
                            }
                        }
                    }
                    ValueKind::Intrinsic { .. } => {}
                    _ => out.push(Finding::new(
                        &WRONG_TYPE,
                        block.span.clone(),
                        format!("`{}` must map condition keys to values", op.text),
                    )),
                }
            }
        }
        ValueKind::Intrinsic { .. } => {}
        _ => out.push(Finding::new(
            &WRONG_TYPE,
            c.span.clone(),
            "`Condition` must be an object",
        )),
    }
}

/// Characters outside what IAM accepts, in any string of the document.
fn characters(cx: &DocCx, v: &Value, out: &mut Vec<Finding>) {
    let bad = |s: &str| {
        s.chars()
            .find(|&c| !(c == '\t' || c == '\n' || c == '\r' || ('\u{20}'..='\u{FF}').contains(&c)))
    };
    let mut stack = vec![v];
    let mut reported = 0;
    while let Some(v) = stack.pop() {
        match &v.kind {
            ValueKind::Str(s) => {
                if let Some(c) = bad(s) {
                    if reported < 5 {
                        out.push(Finding::new(
                            &INVALID_CHARACTER,
                            v.span.clone(),
                            format!("`{c}` (U+{:04X}) is not allowed in a policy", c as u32),
                        ));
                    }
                    reported += 1;
                }
            }
            ValueKind::Map(entries) => {
                for (k, child) in entries {
                    if let Some(c) = bad(&k.text) {
                        out.push(Finding::new(
                            &INVALID_CHARACTER,
                            k.span.clone(),
                            format!("`{c}` (U+{:04X}) is not allowed in a policy", c as u32),
                        ));
                    }
                    stack.push(child);
                }
            }
            ValueKind::Seq(items) => stack.extend(items.iter()),
            // Text inside intrinsics is CloudFormation's, not the policy's.
            _ => {}
        }
    }
    let _ = cx;
}
