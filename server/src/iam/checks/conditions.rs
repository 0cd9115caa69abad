//! Conditions and policy variables: operators, keys, key types, values, set operators, `IfExists`, `Null`,
//! wildcards, IP ranges, tag keys, well-known value formats, and `${…}` variables.

use super::{policy, DocCx};
use crate::iam::catalog::{catalog, BaseType};
use crate::iam::glob::{self, PLACEHOLDER};
use crate::iam::model::Stmt;
use crate::rules::{Finding, Fix, Rule, Severity};
use crate::syntax::{Key, Value, ValueKind};

macro_rules! cond {
    ($c:expr) => {
        policy!(concat!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\", \"Condition\": ", $c, "}"))
    };
}

pub static UNKNOWN_OPERATOR: Rule = Rule {
    id: "iam/unknown-operator",
    severity: Severity::Error,
    summary: "a condition operator IAM does not know",
    docs: "Condition operators are the String, Numeric, Date, Bool, Binary, IpAddress, Arn and Null families, \
           optionally with `IfExists` and a `ForAllValues:`/`ForAnyValue:` qualifier, spelled exactly. A quick \
           fix offers the closest operator (Access Analyzer: INVALID_CONDITION_OPERATOR).",
    bad: cond!("{\"StringEqual\": {\"aws:PrincipalAccount\": \"123456789012\"}}"),
    good: cond!("{\"StringEquals\": {\"aws:PrincipalAccount\": \"123456789012\"}}"),
};

pub static KEY_FORMAT: Rule = Rule {
    id: "iam/condition-key-format",
    severity: Severity::Error,
    summary: "a condition key that is not `prefix:name`",
    docs: "Condition keys are written `aws:SourceIp`, `s3:prefix`, `token.actions.githubusercontent.com:sub`: \
           a prefix, a colon and a name (Access Analyzer: INVALID_CONDITION_KEY_FORMAT).",
    bad: cond!("{\"StringEquals\": {\"SourceAccount\": \"123456789012\"}}"),
    good: cond!("{\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}"),
};

pub static UNKNOWN_KEY: Rule = Rule {
    id: "iam/unknown-condition-key",
    severity: Severity::Error,
    summary: "a condition key that is not a global or service key",
    docs: "`aws:` keys must be global condition keys, and `service:` keys must be defined by that service (from \
           the embedded catalog). An unknown key is never present in a request, so the condition never matches \
           (or, with `IfExists`, always does) (Access Analyzer: INVALID_GLOBAL_CONDITION_KEY, \
           INVALID_SERVICE_CONDITION_KEY).",
    bad: cond!("{\"StringEquals\": {\"aws:SourceAcount\": \"123456789012\"}}"),
    good: cond!("{\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}"),
};

pub static KEY_UNSUPPORTED: Rule = Rule {
    id: "iam/condition-key-unsupported",
    severity: Severity::Warning,
    summary: "a service condition key that none of the statement's actions supports",
    docs: "Service condition keys are only set for certain actions: `s3:prefix` for `s3:ListBucket`, not for \
           `s3:GetObject`. When none of the statement's actions supports the key, the condition never matches \
           (Access Analyzer: UNSUPPORTED_ACTION_FOR_CONDITION_KEY; parliament: UNKNOWN_CONDITION_FOR_ACTION).",
    bad: cond!("{\"StringLike\": {\"s3:prefix\": \"home/*\"}}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\", \"Condition\": {\"StringLike\": {\"s3:prefix\": \"home/*\"}}}"),
};

pub static TYPE_MISMATCH: Rule = Rule {
    id: "iam/operator-type-mismatch",
    severity: Severity::Warning,
    summary: "a condition operator for another type than the key's",
    docs: "Each key has a type (String, ARN, Numeric, Date, Bool, IPAddress, Binary); the operator must fit: \
           `DateLessThan` on a String key or `StringEquals` on a Date key compare the wrong way or never \
           match (Access Analyzer: TYPE_MISMATCH; parliament: MISMATCHED_TYPE).",
    bad: cond!("{\"DateLessThan\": {\"aws:PrincipalAccount\": \"2026-01-01T00:00:00Z\"}}"),
    good: cond!("{\"DateLessThan\": {\"aws:CurrentTime\": \"2026-01-01T00:00:00Z\"}}"),
};

pub static STRING_LIKE_ARN: Rule = Rule {
    id: "iam/string-like-on-arn-key",
    severity: Severity::Warning,
    summary: "a `StringLike` operator on an ARN condition key",
    docs: "ARN keys should be compared with `ArnLike`/`ArnEquals`, which match field by field; `StringLike` \
           lets a `*` run across the ARN's colons and match more than meant (Access Analyzer security \
           warning: STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS).",
    bad: cond!("{\"StringLike\": {\"aws:SourceArn\": \"arn:aws:sns:*:123456789012:*\"}}"),
    good: cond!("{\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:sns:*:123456789012:*\"}}"),
};

pub static VALUE_TYPE: Rule = Rule {
    id: "iam/condition-value",
    severity: Severity::Error,
    summary: "a condition value that does not fit its operator",
    docs: "`Bool` and `Null` take `true` or `false`; Numeric operators numbers; Date operators ISO 8601 dates or \
           epoch seconds; `IpAddress` IPv4/IPv6 addresses or CIDR ranges; `BinaryEquals` base64 (Access \
           Analyzer: TYPE_MISMATCH_*, INVALID_DATE_VALUE, TYPE_MISMATCH_IP_RANGE).",
    bad: cond!("{\"Bool\": {\"aws:SecureTransport\": \"yes\"}}"),
    good: cond!("{\"Bool\": {\"aws:SecureTransport\": \"true\"}}"),
};

pub static NULL_MISUSE: Rule = Rule {
    id: "iam/null-misuse",
    severity: Severity::Error,
    summary: "`Null` with `IfExists` or a set qualifier",
    docs: "`Null` already asks whether a key exists: `NullIfExists` is not an operator, and `ForAllValues:Null` \
           or `ForAnyValue:Null` make no sense (Access Analyzer: NULL_WITH_IF_EXISTS, NULL_WITH_QUALIFIER).",
    bad: cond!("{\"NullIfExists\": {\"aws:TokenIssueTime\": \"false\"}}"),
    good: cond!("{\"Null\": {\"aws:TokenIssueTime\": \"false\"}}"),
};

pub static SET_OPERATOR: Rule = Rule {
    id: "iam/set-operator",
    severity: Severity::Warning,
    summary: "`ForAllValues`/`ForAnyValue` on a single-valued key, or a multivalued key without one",
    docs: "Set qualifiers are for multivalued (`ArrayOf…`) keys such as `aws:TagKeys`. `ForAllValues` on a \
           single-valued key is true when the key is absent, which in an `Allow` grants more than meant; a \
           multivalued key without a qualifier compares in ways few expect (Access Analyzer: \
           FORALLVALUES_WITH_SINGLE_VALUED_KEY, MISSING_QUALIFIER; parliament: \
           SINGLE_VALUE_CONDITION_TOO_PERMISSIVE).",
    bad: cond!("{\"ForAllValues:StringEquals\": {\"aws:PrincipalAccount\": \"123456789012\"}}"),
    good: cond!("{\"StringEquals\": {\"aws:PrincipalAccount\": \"123456789012\"}}"),
};

pub static FORANYVALUE_NEGATED: Rule = Rule {
    id: "iam/foranyvalue-negated",
    severity: Severity::Warning,
    summary: "`ForAnyValue` with a negated operator",
    docs: "`ForAnyValue:StringNotEquals` is true when *any* value differs, which is almost always: with two \
           tags, one of them differs. You probably want `ForAllValues:StringNotEquals` (none of the values \
           is in the list).",
    bad: cond!("{\"ForAnyValue:StringNotEquals\": {\"aws:TagKeys\": [\"secret\"]}}"),
    good: cond!("{\"ForAllValues:StringNotEquals\": {\"aws:TagKeys\": [\"secret\"]}}"),
};

pub static IFEXISTS_MISUSE: Rule = Rule {
    id: "iam/ifexists-misuse",
    severity: Severity::Warning,
    summary: "`…IfExists` on a key that scopes an `Allow` to a source",
    docs: "`IfExists` makes the condition true when the key is absent. On keys that restrict who or where \
           (`aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:SourceVpc`, `aws:SourceIp`, …) in an \
           `Allow`, every request without the key passes: the restriction disappears.",
    bad: cond!("{\"StringEqualsIfExists\": {\"aws:PrincipalOrgID\": \"o-abcdefghij\"}}"),
    good: cond!("{\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-abcdefghij\"}}"),
};

pub static WILDCARD_WITHOUT_LIKE: Rule = Rule {
    id: "iam/wildcard-without-like",
    severity: Severity::Warning,
    summary: "a wildcard in the value of an operator that compares exactly",
    docs: "`*` and `?` are wildcards only for `StringLike`, `StringNotLike` and the Arn operators. With \
           `StringEquals` they are literal characters, so the condition almost never matches (Access \
           Analyzer: WILDCARD_WITHOUT_LIKE_OPERATOR).",
    bad: cond!("{\"StringEquals\": {\"aws:PrincipalTag/team\": \"dev*\"}}"),
    good: cond!("{\"StringLike\": {\"aws:PrincipalTag/team\": \"dev*\"}}"),
};

pub static VARIABLE_SYNTAX: Rule = Rule {
    id: "iam/policy-variable-syntax",
    severity: Severity::Error,
    summary: "a malformed policy variable",
    docs: "Policy variables are `${key}`, `${key, 'default'}` or the specials `${*}`, `${?}`, `${$}`. A missing \
           `}`, a space or an empty `${}` is rejected (Access Analyzer: MISSING_BRACE_IN_VARIABLE, \
           UNSUPPORTED_SPACE_IN_VARIABLE, EMPTY_VARIABLE, MISSING_QUOTE_IN_VARIABLE).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/${aws:username/*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/${aws:username}/*\"}"),
};

pub static VARIABLE_PLACEMENT: Rule = Rule {
    id: "iam/policy-variable-placement",
    severity: Severity::Error,
    summary: "a policy variable where IAM does not substitute it",
    docs: "Variables are substituted only in `Resource` (after the fifth colon of an ARN) and in String and ARN \
           condition values, and only with `\"Version\": \"2012-10-17\"`. Elsewhere they are literal text \
           (Access Analyzer: VARIABLE_UNSUPPORTED_IN_ELEMENT, INVALID_VARIABLE_FOR_OPERATOR, \
           VARIABLE_UNSUPPORTED_IN_VERSION).",
    bad: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:${aws:username}\", \"Resource\": \"*\"}"),
    good: policy!("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/${aws:username}/*\"}"),
};

pub static MFA_PATTERN: Rule = Rule {
    id: "iam/mfa-pattern",
    severity: Severity::Warning,
    summary: "an MFA condition that long-term credentials slip past",
    docs: "`\"Bool\": {\"aws:MultiFactorAuthPresent\": \"false\"}` only matches requests that carry the key; \
           access keys never do, so a Deny written this way does not stop them. Use `BoolIfExists` \
           (parliament: BAD_PATTERN_FOR_MFA).",
    bad: policy!("{\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"false\"}}}"),
    good: policy!("{\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}}}"),
};

pub static IP_CONDITION: Rule = Rule {
    id: "iam/ip-condition",
    severity: Severity::Error,
    summary: "an IP condition that never matches, or a range with host bits set",
    docs: "`aws:SourceIp` holds public addresses only: a private range (10/8, 172.16/12, 192.168/16) never \
           matches (use `aws:VpcSourceIp`). A CIDR with host bits set (`10.1.2.3/16`) is probably not the \
           range meant (Access Analyzer: PRIVATE_IP_ADDRESS, IMPROVE_IP_RANGE).",
    bad: cond!("{\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}"),
    good: cond!("{\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}"),
};

pub static MISSING_TAG_KEY: Rule = Rule {
    id: "iam/missing-tag-key",
    severity: Severity::Error,
    summary: "a tag condition key without the tag's name",
    docs: "`aws:ResourceTag`, `aws:RequestTag` and `aws:PrincipalTag` need the tag key: \
           `aws:ResourceTag/team` (Access Analyzer: MISSING_TAG_KEY_IN_CONDITION).",
    bad: cond!("{\"StringEquals\": {\"aws:PrincipalTag\": \"dev\"}}"),
    good: cond!("{\"StringEquals\": {\"aws:PrincipalTag/team\": \"dev\"}}"),
};

pub static VALUE_FORMAT: Rule = Rule {
    id: "iam/condition-value-format",
    severity: Severity::Error,
    summary: "a value of a well-known key in the wrong format",
    docs: "Some keys have fixed formats: `aws:RequestedRegion` takes region names, `aws:SourceVpc` `vpc-…` ids, \
           `aws:SourceVpce` `vpce-…` ids, account keys 12-digit ids, `aws:PrincipalOrgID` `o-…` ids (Access \
           Analyzer: INVALID_REGION, INVALID_VPC_FORMAT, INVALID_VPCE_FORMAT).",
    bad: cond!("{\"StringEquals\": {\"aws:RequestedRegion\": \"us-east\"}}"),
    good: cond!("{\"StringEquals\": {\"aws:RequestedRegion\": \"us-east-1\"}}"),
};

pub static PAIRED_KEYS: Rule = Rule {
    id: "iam/paired-condition-keys",
    severity: Severity::Warning,
    summary: "`aws:VpcSourceIp` without `aws:SourceVpc` or `aws:SourceVpce`",
    docs: "Private addresses repeat across VPCs: `aws:VpcSourceIp` alone matches the same range in any VPC, \
           including other accounts'. Pair it with `aws:SourceVpc` or `aws:SourceVpce` (Access Analyzer: \
           MISSING_PAIRED_CONDITION_KEYS).",
    bad: cond!("{\"IpAddress\": {\"aws:VpcSourceIp\": \"10.0.0.0/16\"}}"),
    good: cond!("{\"IpAddress\": {\"aws:VpcSourceIp\": \"10.0.0.0/16\"}, \"StringEquals\": {\"aws:SourceVpc\": \"vpc-1a2b3c4d\"}}"),
};

pub static RULES: &[&Rule] = &[
    &UNKNOWN_OPERATOR,
    &KEY_FORMAT,
    &UNKNOWN_KEY,
    &KEY_UNSUPPORTED,
    &TYPE_MISMATCH,
    &STRING_LIKE_ARN,
    &VALUE_TYPE,
    &NULL_MISUSE,
    &SET_OPERATOR,
    &FORANYVALUE_NEGATED,
    &IFEXISTS_MISUSE,
    &WILDCARD_WITHOUT_LIKE,
    &VARIABLE_SYNTAX,
    &VARIABLE_PLACEMENT,
    &MFA_PATTERN,
    &IP_CONDITION,
    &MISSING_TAG_KEY,
    &VALUE_FORMAT,
    &PAIRED_KEYS,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// The base operators and their families.
pub const OPERATORS: &[(&str, Family)] = &[
    ("StringEquals", Family::String),
    ("StringNotEquals", Family::String),
    ("StringEqualsIgnoreCase", Family::String),
    ("StringNotEqualsIgnoreCase", Family::String),
    ("StringLike", Family::String),
    ("StringNotLike", Family::String),
    ("NumericEquals", Family::Numeric),
    ("NumericNotEquals", Family::Numeric),
    ("NumericLessThan", Family::Numeric),
    ("NumericLessThanEquals", Family::Numeric),
    ("NumericGreaterThan", Family::Numeric),
    ("NumericGreaterThanEquals", Family::Numeric),
    ("DateEquals", Family::Date),
    ("DateNotEquals", Family::Date),
    ("DateLessThan", Family::Date),
    ("DateLessThanEquals", Family::Date),
    ("DateGreaterThan", Family::Date),
    ("DateGreaterThanEquals", Family::Date),
    ("Bool", Family::Bool),
    ("BinaryEquals", Family::Binary),
    ("IpAddress", Family::Ip),
    ("NotIpAddress", Family::Ip),
    ("ArnEquals", Family::Arn),
    ("ArnLike", Family::Arn),
    ("ArnNotEquals", Family::Arn),
    ("ArnNotLike", Family::Arn),
    ("Null", Family::Null),
];

/// An operator split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator<'s> {
    pub qualifier: Option<&'s str>,
    pub base: &'s str,
    pub family: Family,
    pub if_exists: bool,
}

impl Operator<'_> {
    pub fn negated(&self) -> bool {
        self.base.contains("Not")
    }
    pub fn like(&self) -> bool {
        self.base.ends_with("Like") || self.base == "ArnEquals" || self.base == "ArnNotEquals"
    }
}

pub fn parse_operator(op: &str) -> Option<Operator<'_>> {
    let (qualifier, rest) = match op.split_once(':') {
        Some((q @ ("ForAllValues" | "ForAnyValue"), r)) => (Some(q), r),
        Some(_) => return None,
        None => (None, op),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    let family = OPERATORS.iter().find(|(n, _)| *n == base)?.1;
    if family == Family::Null && (if_exists || qualifier.is_some()) {
        return None;
    }
    Some(Operator {
        qualifier,
        base,
        family,
        if_exists,
    })
}

/// Every valid operator spelling (for completion and did-you-mean).
pub fn all_operators() -> Vec<String> {
    let mut out = Vec::new();
    for (b, f) in OPERATORS {
        for q in ["", "ForAllValues:", "ForAnyValue:"] {
            if *f == Family::Null && !q.is_empty() {
                continue;
            }
            out.push(format!("{q}{b}"));
            if *f != Family::Null {
                out.push(format!("{q}{b}IfExists"));
            }
        }
    }
    out
}

const SCOPING_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
];

pub fn check(cx: &DocCx, out: &mut Vec<Finding>) {
    for s in &cx.stmts {
        if let Some((_, c)) = s.condition {
            for (op, block) in c.as_map().unwrap_or_default() {
                operator_block(cx, s, op, block, out);
            }
            if s.has_condition_key(&["aws:VpcSourceIp"])
                && !s.has_condition_key(&["aws:SourceVpc", "aws:SourceVpce"])
            {
                if let Some((_, k, _)) = s
                    .condition_entries()
                    .into_iter()
                    .find(|(_, k, _)| k.text.eq_ignore_ascii_case("aws:VpcSourceIp"))
                {
                    out.push(Finding::new(&PAIRED_KEYS, k.span.clone(), "`aws:VpcSourceIp` alone matches the range in any VPC; pair it with `aws:SourceVpc` or `aws:SourceVpce`"));
                }
            }
        }
        variables(cx, s, out);
    }
}

fn operator_block(cx: &DocCx, s: &Stmt, op: &Key, block: &Value, out: &mut Vec<Finding>) {
    if op.text.starts_with("Fn::") {
        return;
    }
    let Some(parsed) = parse_operator(&op.text) else {
        let all = all_operators();
        let fix = all
            .iter()
            .find(|c| c.eq_ignore_ascii_case(&op.text))
            .cloned()
            .or_else(|| {
                crate::suggest::closest(&op.text, all.iter().map(|s| s.as_str()), 1)
                    .first()
                    .map(|s| s.to_string())
            });
        let null_if_exists = op.text == "NullIfExists" || op.text.ends_with(":NullIfExists");
        if null_if_exists {
            out.push(Finding::new(
                &NULL_MISUSE,
                op.span.clone(),
                "`Null` has no `IfExists` form: it already tests whether the key exists",
            ));
            return;
        }
        let qualified_null = op.text.ends_with(":Null");
        if qualified_null {
            out.push(Finding::new(
                &NULL_MISUSE,
                op.span.clone(),
                "`Null` cannot take `ForAllValues:`/`ForAnyValue:`",
            ));
            return;
        }
        let mut msg = format!("`{}` is not a condition operator", op.text);
        if let Some(f) = &fix {
            msg.push_str(&format!("; did you mean `{f}`?"));
        }
        let mut f = Finding::new(&UNKNOWN_OPERATOR, op.span.clone(), msg);
        if let Some(fx) = fix {
            if !cx.doc.from_string && op.span.end <= cx.text.len() {
                let q = match cx.text.as_bytes().get(op.span.start) {
                    Some(b'"') => format!("\"{fx}\""),
                    Some(b'\'') => format!("'{fx}'"),
                    _ => fx.clone(),
                };
                f = f.with_fix(Fix::replace(
                    format!("Change to `{fx}`"),
                    op.span.clone(),
                    q,
                ));
            }
        }
        out.push(f);
        return;
    };
    let cat = catalog();
    for (k, v) in block.as_map().unwrap_or_default() {
        let key = k.text.as_str();
        let Some((prefix, name)) = key.split_once(':') else {
            out.push(Finding::new(&KEY_FORMAT, k.span.clone(), format!("`{key}` is not a condition key: write `prefix:name` (for example `aws:SourceAccount`)")));
            continue;
        };
        if prefix.is_empty() || name.is_empty() {
            out.push(Finding::new(
                &KEY_FORMAT,
                k.span.clone(),
                format!("`{key}` is not a condition key: write `prefix:name`"),
            ));
            continue;
        }
        let values: Vec<(&Value, Option<String>)> = v
            .one_or_many()
            .into_iter()
            .map(|x| (x, cx.string(x).map(|r| r.text)))
            .collect();
        if key.contains(PLACEHOLDER) || key.contains("${") {
            continue;
        }
        // Tag keys without the tag.
        if ["aws:ResourceTag", "aws:RequestTag", "aws:PrincipalTag"]
            .iter()
            .any(|t| {
                t.eq_ignore_ascii_case(key) || t.eq_ignore_ascii_case(key.trim_end_matches('/'))
            })
        {
            out.push(Finding::new(
                &MISSING_TAG_KEY,
                k.span.clone(),
                format!(
                    "`{key}` needs the tag's name: `{}/TAG`",
                    key.trim_end_matches('/')
                ),
            ));
            continue;
        }
        // Keys of identity providers (`token.actions.githubusercontent.com:sub`, `SAML:aud`) are not catalogued.
        let provider_key =
            prefix.contains('.') || prefix.eq_ignore_ascii_case("saml") || prefix.contains('/');
        let known = if provider_key || cat.services.is_empty() {
            None
        } else if prefix.eq_ignore_ascii_case("aws") {
            match cat.global_key(key) {
                Some(k2) => Some(k2),
                None => {
                    let names = cat.globals.iter().map(|g| g.name);
                    let sugg = crate::suggest::closest(key, names, 1);
                    let mut msg = format!("`{key}` is not a global condition key");
                    if let Some(s0) = sugg.first() {
                        msg.push_str(&format!("; did you mean `{s0}`?"));
                    }
                    let mut f = Finding::new(&UNKNOWN_KEY, k.span.clone(), msg);
                    if let Some(s0) = sugg.first() {
                        if !s0.contains('$') && !cx.doc.from_string && k.span.end <= cx.text.len() {
                            let q = match cx.text.as_bytes().get(k.span.start) {
                                Some(b'"') => format!("\"{s0}\""),
                                Some(b'\'') => format!("'{s0}'"),
                                _ => s0.to_string(),
                            };
                            f = f.with_fix(Fix::replace(
                                format!("Change to `{s0}`"),
                                k.span.clone(),
                                q,
                            ));
                        }
                    }
                    out.push(f);
                    continue;
                }
            }
        } else {
            // Service-level tag keys (`secretsmanager:ResourceTag/x`) predate the global ones and still work.
            let lname = name.to_ascii_lowercase();
            let tag_key = lname.starts_with("resourcetag/")
                || lname.starts_with("requesttag/")
                || lname == "tagkeys";
            if cat.retired_key(key) {
                continue;
            }
            if tag_key {
                key_against_actions(cx, s, k, out);
                continue;
            }
            match cat.service(prefix) {
                None => None,
                Some(svc) => match svc.key(key).or_else(|| cat.global_key(key)) {
                    Some(k2) => Some(k2),
                    None => {
                        // A key some action of the service lists (data sometimes lists keys only there).
                        if svc.actions.iter().any(|a| a.supports_key(svc, key)) {
                            None
                        } else {
                            let sugg =
                                crate::suggest::closest(key, svc.keys.iter().map(|k| k.name), 1);
                            let mut msg =
                                format!("`{}` defines no condition key `{key}`", svc.prefix);
                            if let Some(s0) = sugg.first() {
                                msg.push_str(&format!("; did you mean `{s0}`?"));
                            }
                            out.push(Finding::new(&UNKNOWN_KEY, k.span.clone(), msg));
                            continue;
                        }
                    }
                },
            }
        };
        if let Some(ck) = known {
            key_against_operator(cx, s, k, ck, &parsed, &values, out);
            if !prefix.eq_ignore_ascii_case("aws") {
                key_against_actions(cx, s, k, out);
            }
        }
        values_against_operator(k, &parsed, &values, out);
        value_formats(k, &values, out);
        if parsed.if_exists
            && s.allow()
            && SCOPING_KEYS.iter().any(|sk| sk.eq_ignore_ascii_case(key))
        {
            out.push(Finding::new(
                &IFEXISTS_MISUSE,
                op.span.clone(),
                format!(
                    "`{}` passes when `{key}` is absent, so requests without it are allowed",
                    op.text
                ),
            ));
        }
        if key.eq_ignore_ascii_case("aws:MultiFactorAuthPresent")
            && parsed.base == "Bool"
            && !parsed.if_exists
            && values.iter().any(|(_, t)| t.as_deref() == Some("false"))
        {
            out.push(Finding::new(&MFA_PATTERN, k.span.clone(), "requests with access keys carry no `aws:MultiFactorAuthPresent`, so this never matches them; use `BoolIfExists`"));
        }
    }
}

fn key_against_operator(
    cx: &DocCx,
    s: &Stmt,
    k: &Key,
    ck: &crate::iam::catalog::ConditionKey,
    op: &Operator,
    values: &[(&Value, Option<String>)],
    out: &mut Vec<Finding>,
) {
    let _ = cx;
    let ty = ck.ty;
    if op.family != Family::Null {
        match (op.qualifier, ty.array) {
            (Some(q), false) if ty.base != BaseType::Unknown => {
                let sev = if q == "ForAllValues" && s.allow() {
                    Severity::Warning
                } else {
                    Severity::Info
                };
                out.push(
                    Finding::new(
                        &SET_OPERATOR,
                        k.span.clone(),
                        format!(
                            "`{}` is single-valued: `{q}:` is meant for multivalued keys{}",
                            ck.name,
                            if q == "ForAllValues" {
                                ", and is true when the key is absent"
                            } else {
                                ""
                            }
                        ),
                    )
                    .with_severity(sev),
                );
            }
            (None, true) => out.push(
                Finding::new(
                    &SET_OPERATOR,
                    k.span.clone(),
                    format!(
                        "`{}` is multivalued ({}): use `ForAllValues:` or `ForAnyValue:`",
                        ck.name,
                        ty.label()
                    ),
                )
                .with_severity(Severity::Info),
            ),
            _ => {}
        }
    }
    if op.qualifier == Some("ForAnyValue") && op.negated() {
        out.push(Finding::new(&FORANYVALUE_NEGATED, k.span.clone(), "`ForAnyValue:` with a negated operator is true when any one value differs; did you mean `ForAllValues:`?"));
    }
    let fits = match (op.family, ty.base) {
        (_, BaseType::Unknown) | (Family::Null, _) => true,
        (Family::String, BaseType::String | BaseType::Arn) => true,
        (Family::String, _) => false,
        (Family::Arn, BaseType::Arn | BaseType::String) => ty.base == BaseType::Arn,
        (Family::Arn, _) => false,
        (Family::Numeric, b) => b == BaseType::Numeric,
        (Family::Date, b) => b == BaseType::Date,
        (Family::Bool, b) => b == BaseType::Bool,
        (Family::Binary, b) => b == BaseType::Binary,
        (Family::Ip, b) => b == BaseType::Ip,
    };
    if !fits {
        out.push(Finding::new(
            &TYPE_MISMATCH,
            k.span.clone(),
            format!(
                "`{}` is a {} key; `{}` compares {}",
                ck.name,
                ty.label(),
                op.base,
                family_label(op.family)
            ),
        ));
    }
    if op.family == Family::String && ty.base == BaseType::Arn && !op.base.ends_with("Like") {
        out.push(
            Finding::new(
                &TYPE_MISMATCH,
                k.span.clone(),
                format!(
                    "`{}` is an ARN key: `{}` works, but `{}` compares ARNs field by field",
                    ck.name,
                    op.base,
                    op.base.replace("String", "Arn").replace("IgnoreCase", "")
                ),
            )
            .with_severity(Severity::Info),
        );
    }
    if op.family == Family::String && ty.base == BaseType::Arn && op.base.ends_with("Like") {
        out.push(Finding::new(
            &STRING_LIKE_ARN,
            k.span.clone(),
            format!(
                "`{}` is an ARN key: use `{}` instead of `{}`",
                ck.name,
                op.base.replace("String", "Arn"),
                op.base
            ),
        ));
    }
    let _ = values;
}

fn family_label(f: Family) -> &'static str {
    match f {
        Family::String => "strings",
        Family::Numeric => "numbers",
        Family::Date => "dates",
        Family::Bool => "booleans",
        Family::Binary => "binary values",
        Family::Ip => "IP addresses",
        Family::Arn => "ARNs",
        Family::Null => "presence",
    }
}

/// A service key that none of the statement's (literal, known) actions of that service supports.
fn key_against_actions(cx: &DocCx, s: &Stmt, k: &Key, out: &mut Vec<Finding>) {
    let Some(e) = s.action else {
        return;
    };
    if e.not {
        return;
    }
    let cat = catalog();
    let prefix = k.text.split(':').next().unwrap_or("");
    let mut of_service = Vec::new();
    let mut others_unknown = false;
    let mut seen_any = Vec::new();
    for (_, r) in e.strings(cx.dialect()) {
        let t = r.as_str();
        if !r.exact() || t == "*" {
            return;
        }
        let Some((p, _)) = t.split_once(':') else {
            return;
        };
        if glob::has_wildcard(p) {
            return;
        }
        if !p.eq_ignore_ascii_case(prefix) {
            if cat.service(p).is_none() {
                others_unknown = true;
            }
            seen_any.push(p.to_string());
            continue;
        }
        for (svc, a) in cat.expand(t) {
            of_service.push((svc, a));
        }
    }
    if of_service.is_empty() {
        // Every action is known and none is of the key's service: the key is never in these requests.
        if !others_unknown && catalog().global_key(&k.text).is_none() && !seen_any.is_empty() {
            out.push(Finding::new(&KEY_UNSUPPORTED, k.span.clone(), format!("`{}` is a `{prefix}` key, and the statement has no `{prefix}` action: the key is never in these requests", k.text)));
        }
        return;
    }
    if !of_service
        .iter()
        .any(|(svc, a)| a.supports_key(svc, &k.text))
    {
        let names: Vec<String> = of_service
            .iter()
            .take(3)
            .map(|(svc, a)| format!("`{}:{}`", svc.prefix, a.name))
            .collect();
        out.push(Finding::new(&KEY_UNSUPPORTED, k.span.clone(), format!("none of the statement's actions ({}{}) supports `{}`, so the condition never matches", names.join(", "), if of_service.len() > 3 { ", …" } else { "" }, k.text)));
    }
}

fn values_against_operator(
    k: &Key,
    op: &Operator,
    values: &[(&Value, Option<String>)],
    out: &mut Vec<Finding>,
) {
    for (v, t) in values {
        let Some(t) = t else {
            continue;
        };
        if t.contains(PLACEHOLDER) || t.contains("${") {
            continue;
        }
        let bad = |msg: String, out: &mut Vec<Finding>| {
            out.push(Finding::new(&VALUE_TYPE, v.span.clone(), msg))
        };
        match op.family {
            Family::Bool | Family::Null => {
                if !t.eq_ignore_ascii_case("true") && !t.eq_ignore_ascii_case("false") {
                    bad(
                        format!("`{}` takes `true` or `false`, not `{t}`", op.base),
                        out,
                    );
                }
            }
            Family::Numeric => {
                if t.trim().parse::<f64>().is_err() {
                    bad(format!("`{t}` is not a number"), out);
                }
            }
            Family::Date => {
                if !date_ok(t) {
                    bad(format!("`{t}` is not a date (ISO 8601 such as `2026-01-31T00:00:00Z`, or epoch seconds)"), out);
                }
            }
            Family::Ip => match parse_cidr(t) {
                None => bad(format!("`{t}` is not an IP address or CIDR range"), out),
                Some(c) => {
                    if k.text.eq_ignore_ascii_case("aws:SourceIp") && c.private() {
                        out.push(Finding::new(&IP_CONDITION, v.span.clone(), format!("`{t}` is a private range: `aws:SourceIp` only holds public addresses, so this {}; use `aws:VpcSourceIp`", if op.negated() { "always matches" } else { "never matches" })));
                    } else if c.host_bits_set() {
                        out.push(
                            Finding::new(
                                &IP_CONDITION,
                                v.span.clone(),
                                format!("`{t}` has host bits set: the range is `{}`", c.network()),
                            )
                            .with_severity(Severity::Info),
                        );
                    }
                }
            },
            Family::String | Family::Arn | Family::Binary => {}
        }
        if matches!(op.family, Family::String) && !op.like() && (t.contains('*') || t.contains('?'))
        {
            out.push(Finding::new(
                &WILDCARD_WITHOUT_LIKE,
                v.span.clone(),
                format!(
                    "`{}` compares exactly: `*` and `?` in `{t}` are literal; use `{}`",
                    op.base,
                    if op.negated() {
                        "StringNotLike"
                    } else {
                        "StringLike"
                    }
                ),
            ));
        }
    }
}

fn value_formats(k: &Key, values: &[(&Value, Option<String>)], out: &mut Vec<Finding>) {
    let key = k.text.to_ascii_lowercase();
    for (v, t) in values {
        let Some(t) = t else {
            continue;
        };
        if t.contains(PLACEHOLDER) || t.contains("${") || glob::has_wildcard(t) {
            continue;
        }
        let msg = match key.as_str() {
            "aws:requestedregion" if !crate::iam::catalog::arn::region_shape_ok(t) => {
                Some(format!("`{t}` is not a region name"))
            }
            "aws:sourcevpc" if !t.starts_with("vpc-") => {
                Some(format!("`{t}` is not a VPC id (`vpc-…`)"))
            }
            "aws:sourcevpce" if !t.starts_with("vpce-") => {
                Some(format!("`{t}` is not a VPC endpoint id (`vpce-…`)"))
            }
            "aws:sourceaccount"
            | "aws:principalaccount"
            | "aws:resourceaccount"
            | "aws:vpceaccount"
                if !(t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit())) =>
            {
                Some(format!("`{t}` is not an account id (12 digits)"))
            }
            "aws:principalorgid" | "aws:resourceorgid" | "aws:sourceorgid"
                if !t.starts_with("o-") =>
            {
                Some(format!("`{t}` is not an organization id (`o-…`)"))
            }
            _ => None,
        };
        if let Some(m) = msg {
            out.push(Finding::new(&VALUE_FORMAT, v.span.clone(), m));
        }
    }
}

fn date_ok(t: &str) -> bool {
    let t = t.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let b = t.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || matches!(b[10], b'T' | b't' | b' '))
}

pub struct Cidr {
    addr: u128,
    bits: u32,
    prefix: u32,
    v4: bool,
}

impl Cidr {
    fn private(&self) -> bool {
        if !self.v4 {
            return false;
        }
        let a = self.addr as u32;
        let within =
            |net: u32, len: u32| self.prefix >= len && (a >> (32 - len)) == (net >> (32 - len));
        within(0x0A00_0000, 8) || within(0xAC10_0000, 12) || within(0xC0A8_0000, 16)
    }
    fn host_bits_set(&self) -> bool {
        if self.prefix >= self.bits {
            return false;
        }
        let host = self.bits - self.prefix;
        self.addr & ((1u128 << host) - 1) != 0
    }
    fn network(&self) -> String {
        let host = self.bits - self.prefix;
        let net = if host >= 128 {
            0
        } else {
            self.addr & !((1u128 << host) - 1)
        };
        if self.v4 {
            format!("{}/{}", std::net::Ipv4Addr::from(net as u32), self.prefix)
        } else {
            format!("{}/{}", std::net::Ipv6Addr::from(net), self.prefix)
        }
    }
}

pub fn parse_cidr(t: &str) -> Option<Cidr> {
    let (ip, prefix) = match t.split_once('/') {
        Some((ip, p)) => (ip, Some(p.parse::<u32>().ok()?)),
        None => (t, None),
    };
    if let Ok(a) = ip.parse::<std::net::Ipv4Addr>() {
        let p = prefix.unwrap_or(32);
        (p <= 32).then(|| Cidr {
            addr: u32::from(a) as u128,
            bits: 32,
            prefix: p,
            v4: true,
        })
    } else if let Ok(a) = ip.parse::<std::net::Ipv6Addr>() {
        let p = prefix.unwrap_or(128);
        (p <= 128).then(|| Cidr {
            addr: u128::from(a),
            bits: 128,
            prefix: p,
            v4: false,
        })
    } else {
        None
    }
}

/// Policy variables: their syntax everywhere, and where they may appear.
fn variables(cx: &DocCx, s: &Stmt, out: &mut Vec<Finding>) {
    let Some(entries) = s.node.as_map() else {
        return;
    };
    for (k, v) in entries {
        let element = k.text.as_str();
        let mut stack = vec![(v, None::<&str>)];
        while let Some((node, op)) = stack.pop() {
            match &node.kind {
                ValueKind::Map(m) => {
                    for (kk, child) in m {
                        let op = if element == "Condition" && op.is_none() {
                            Some(kk.text.as_str())
                        } else {
                            op
                        };
                        stack.push((child, op));
                    }
                }
                ValueKind::Seq(items) => stack.extend(items.iter().map(|i| (i, op))),
                ValueKind::Str(_) | ValueKind::Intrinsic { .. } => {
                    let Some(r) = cx.string(node) else {
                        continue;
                    };
                    let text = r.as_str();
                    if !text.contains("${") {
                        continue;
                    }
                    if let Some(msg) = variable_syntax(text) {
                        out.push(Finding::new(&VARIABLE_SYNTAX, node.span.clone(), msg));
                        continue;
                    }
                    let place = match element {
                        "Resource" | "NotResource" => {
                            let before = text
                                .find("${")
                                .map(|i| text[..i].matches(':').count())
                                .unwrap_or(0);
                            if text.starts_with("arn:") && before < 5 {
                                Some("before the fifth colon of an ARN (only the resource part takes variables)".to_string())
                            } else {
                                None
                            }
                        }
                        "Condition" => match op.and_then(parse_operator) {
                            Some(o) if matches!(o.family, Family::String | Family::Arn) => None,
                            Some(o) => Some(format!(
                                "with `{}` (only String and Arn operators substitute variables)",
                                o.base
                            )),
                            None => None,
                        },
                        _ => Some(format!(
                            "in `{element}` (only `Resource` and condition values take variables)"
                        )),
                    };
                    if let Some(p) = place {
                        out.push(Finding::new(
                            &VARIABLE_PLACEMENT,
                            node.span.clone(),
                            format!("the policy variable is not substituted {p}"),
                        ));
                    } else if !cx.version_2012() {
                        out.push(
                            Finding::new(&VARIABLE_PLACEMENT, node.span.clone(), "policy variables need `\"Version\": \"2012-10-17\"`; without it this is literal text")
                                .with_severity(Severity::Warning),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

fn variable_syntax(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            return Some("a policy variable is missing its closing `}`".into());
        };
        let inner = &after[..end];
        if inner.is_empty() {
            return Some("empty policy variable `${}`".into());
        }
        if !matches!(inner, "*" | "?" | "$") {
            let (name, default) = match inner.split_once(',') {
                Some((n, d)) => (n, Some(d.trim())),
                None => (inner, None),
            };
            if name.contains(' ') || name.contains("${") {
                return Some(format!(
                    "`${{{inner}}}`: a policy variable cannot contain spaces"
                ));
            }
            if let Some(d) = default {
                if !(d.len() >= 2 && d.starts_with('\'') && d.ends_with('\'')) {
                    return Some(format!(
                        "`${{{inner}}}`: the default value must be in single quotes"
                    ));
                }
            }
        }
        rest = &after[end + 1..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse() {
        let o = parse_operator("ForAllValues:StringLikeIfExists").expect("op");
        assert_eq!(o.qualifier, Some("ForAllValues"));
        assert_eq!(o.base, "StringLike");
        assert!(o.if_exists);
        assert!(parse_operator("StringEqual").is_none());
        assert!(parse_operator("NullIfExists").is_none());
        assert!(all_operators().contains(&"ArnLikeIfExists".to_string()));
    }

    #[test]
    fn cidrs() {
        assert!(parse_cidr("10.1.0.0/16").expect("c").private());
        assert!(!parse_cidr("203.0.113.0/24").expect("c").private());
        assert!(parse_cidr("10.1.2.3/16").expect("c").host_bits_set());
        assert_eq!(
            parse_cidr("10.1.2.3/16").expect("c").network(),
            "10.1.0.0/16"
        );
        assert!(parse_cidr("2001:db8::/32").is_some());
        assert!(parse_cidr("300.1.1.1").is_none());
    }

    #[test]
    fn variable_shapes() {
        assert!(variable_syntax("a/${aws:username}/*").is_none());
        assert!(variable_syntax("${aws:PrincipalTag/t, 'x'}").is_none());
        assert!(variable_syntax("${aws:username").is_some());
        assert!(variable_syntax("${}").is_some());
        assert!(variable_syntax("${aws: username}").is_some());
    }
}
