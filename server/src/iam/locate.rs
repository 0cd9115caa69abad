//! Where policies are: standalone policy files, every IAM and resource-policy property of a
//! CloudFormation/SAM template (also inside serverless.yml `resources`), SAM function `Policies`, and
//! serverless.yml role statements. Each is returned as a [`PolicyDoc`] that says what kind of policy it is,
//! how its strings are written, and which size limit it counts towards.

use super::resolve::Dialect;
use super::sam;
use crate::syntax::{Lang, Value, ValueKind};
use crate::text::Span;
use crate::workspace::{FileKind, Parsed};
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// Attached to a user, group or role: no `Principal`.
    Identity,
    /// Attached to a resource (bucket, queue, key, …): needs a `Principal`.
    Resource,
    /// A role's `AssumeRolePolicyDocument`.
    Trust,
}

impl PolicyKind {
    pub fn label(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity policy",
            PolicyKind::Resource => "resource policy",
            PolicyKind::Trust => "trust policy",
        }
    }
}

/// Which size quota a document counts towards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SizeGroup {
    /// A managed policy (6,144 characters).
    Managed,
    /// Inline policies of one role, user or group, summed (10,240 / 2,048 / 5,120).
    Inline {
        owner: String,
        limit: usize,
    },
    /// A role trust policy (2,048 by default).
    Trust,
    /// A resource policy with its own limit (S3 bucket policies 20 KB).
    ResourceLimit(usize),
    None,
}

/// Who wrote the statements: the user, or lambda-ls expanding something (a SAM policy template).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Written,
    /// Expanded from a SAM policy template: checks that judge how it is written are skipped.
    SamTemplate,
}

#[derive(Clone, Debug)]
pub struct PolicyDoc<'a> {
    pub kind: PolicyKind,
    /// The document map (`Version`, `Statement`), or with `bare` a list of statements.
    pub value: Cow<'a, Value>,
    /// Serverless role statements are a bare list: no `Version` to check.
    pub bare: bool,
    pub dialect: Dialect,
    /// `AWS::S3::BucketPolicy` and friends; `None` for standalone files and serverless statements.
    pub resource_type: Option<&'a str>,
    /// The logical id of the resource (or the serverless function) that holds it.
    pub owner: Option<&'a str>,
    pub size: SizeGroup,
    pub origin: Origin,
    /// Where document-level findings go (the property key, or the document itself).
    pub anchor: Span,
    /// The document was a JSON string inside YAML; spans were mapped back to the file.
    pub from_string: bool,
}

impl<'a> PolicyDoc<'a> {
    fn new(kind: PolicyKind, value: &'a Value, dialect: Dialect, anchor: Span) -> PolicyDoc<'a> {
        PolicyDoc {
            kind,
            value: Cow::Borrowed(value),
            bare: false,
            dialect,
            resource_type: None,
            owner: None,
            size: SizeGroup::None,
            origin: Origin::Written,
            anchor,
            from_string: false,
        }
    }

    /// The statements, one or many.
    pub fn statements(&self) -> Vec<&Value> {
        if self.bare {
            return self.value.one_or_many();
        }
        match self.value.get("Statement") {
            Some(s) => s.one_or_many(),
            None => Vec::new(),
        }
    }
}

/// A problem met while locating (a policy string that is not JSON).
#[derive(Clone, Debug)]
pub struct LocateIssue {
    pub span: Span,
    pub message: String,
}

#[derive(Default)]
pub struct Located<'a> {
    pub docs: Vec<PolicyDoc<'a>>,
    pub issues: Vec<LocateIssue>,
    /// SAM policy template entries, for their own checks.
    pub sam_entries: Vec<sam::Entry<'a>>,
}

/// Every policy in a file.
pub fn policies(file: &Parsed) -> Located<'_> {
    let mut out = Located::default();
    let Some(root) = file.root() else {
        return out;
    };
    match file.kind {
        FileKind::Policy => {
            let kind = kind_by_content(root);
            let mut d = PolicyDoc::new(kind, root, Dialect::Plain, root.span.clone());
            d.size = match kind {
                PolicyKind::Identity => SizeGroup::Managed,
                PolicyKind::Trust => SizeGroup::Trust,
                PolicyKind::Resource => SizeGroup::None,
            };
            out.docs.push(d);
        }
        FileKind::Template => {
            template_resources(
                &file.text,
                root.get("Resources"),
                Dialect::CloudFormation,
                &mut out,
            );
        }
        FileKind::Serverless => {
            serverless(&file.text, root, &mut out);
            // `resources.Resources` is CloudFormation.
            template_resources(
                &file.text,
                root.get_path(&["resources", "Resources"]),
                Dialect::Serverless,
                &mut out,
            );
        }
        _ => {}
    }
    out
}

/// Identity, resource or trust policy, told apart by content: a `Principal` makes it a resource policy,
/// and one whose statements only assume roles is a trust policy.
pub fn kind_by_content(doc: &Value) -> PolicyKind {
    let stmts = doc
        .get("Statement")
        .map(|s| s.one_or_many())
        .unwrap_or_default();
    let with_principal = stmts
        .iter()
        .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some());
    if !with_principal {
        return PolicyKind::Identity;
    }
    let assume_only = stmts.iter().all(|s| {
        s.get("Resource").is_none()
            && s.get("NotResource").is_none()
            && s.get("Action").is_some_and(|a| {
                a.one_or_many().iter().all(|x| {
                    x.as_str()
                        .is_some_and(|t| t.to_ascii_lowercase().starts_with("sts:"))
                })
            })
    });
    if assume_only {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    }
}

/// Resource types whose property holds a resource policy document.
const RESOURCE_POLICIES: &[(&str, &str)] = &[
    ("AWS::S3::BucketPolicy", "PolicyDocument"),
    ("AWS::SQS::QueuePolicy", "PolicyDocument"),
    ("AWS::SNS::TopicPolicy", "PolicyDocument"),
    ("AWS::KMS::Key", "KeyPolicy"),
    ("AWS::KMS::ReplicaKey", "KeyPolicy"),
    ("AWS::SecretsManager::ResourcePolicy", "ResourcePolicy"),
    ("AWS::ECR::Repository", "RepositoryPolicyText"),
    ("AWS::ECR::RegistryPolicy", "PolicyText"),
    ("AWS::Logs::ResourcePolicy", "PolicyDocument"),
    ("AWS::OpenSearchService::Domain", "AccessPolicies"),
    ("AWS::Elasticsearch::Domain", "AccessPolicies"),
    ("AWS::EFS::FileSystem", "FileSystemPolicy"),
    ("AWS::ApiGateway::RestApi", "Policy"),
    ("AWS::S3::AccessPoint", "Policy"),
    ("AWS::S3::MultiRegionAccessPointPolicy", "Policy"),
    ("AWS::S3Express::BucketPolicy", "PolicyDocument"),
    ("AWS::Backup::BackupVault", "AccessPolicy"),
    ("AWS::CodeArtifact::Domain", "PermissionsPolicyDocument"),
    ("AWS::CodeArtifact::Repository", "PermissionsPolicyDocument"),
    ("AWS::Events::EventBus", "Policy"),
    ("AWS::Glue::ResourcePolicy", "PolicyInJson"),
    ("AWS::DynamoDB::ResourcePolicy", "PolicyDocument"),
    ("AWS::Lambda::LayerVersionPermission", ""),
    ("AWS::IoT::Policy", ""),
];

fn template_resources<'a>(
    text: &str,
    resources: Option<&'a Value>,
    dialect: Dialect,
    out: &mut Located<'a>,
) {
    let Some(resources) = resources.and_then(|r| r.as_map()) else {
        return;
    };
    for (key, res) in resources {
        let Some(ty) = res.get("Type").and_then(|t| t.as_str()) else {
            continue;
        };
        let Some(props) = res.get("Properties") else {
            continue;
        };
        let id = key.text.as_str();
        let push = |kind: PolicyKind, prop: &str, size: SizeGroup, out: &mut Located<'a>| {
            if let Some((k, v)) = props.get_entry(prop) {
                document(text, kind, v, k.span.clone(), dialect, out, |d| {
                    d.resource_type = Some(ty);
                    d.owner = Some(id);
                    d.size = size.clone();
                });
            }
        };
        match ty {
            "AWS::IAM::ManagedPolicy" => push(
                PolicyKind::Identity,
                "PolicyDocument",
                SizeGroup::Managed,
                out,
            ),
            "AWS::IAM::Policy" | "AWS::IAM::RolePolicy" => {
                // An inline policy counts towards each role it is attached to.
                let owner = props
                    .get("Roles")
                    .and_then(|r| r.as_seq())
                    .and_then(|r| r.first())
                    .and_then(ref_target)
                    .or_else(|| props.get("RoleName").and_then(ref_target))
                    .unwrap_or(id);
                push(
                    PolicyKind::Identity,
                    "PolicyDocument",
                    SizeGroup::Inline {
                        owner: owner.to_string(),
                        limit: 10_240,
                    },
                    out,
                )
            }
            "AWS::IAM::UserPolicy" => push(
                PolicyKind::Identity,
                "PolicyDocument",
                SizeGroup::Inline {
                    owner: id.to_string(),
                    limit: 2_048,
                },
                out,
            ),
            "AWS::IAM::GroupPolicy" => push(
                PolicyKind::Identity,
                "PolicyDocument",
                SizeGroup::Inline {
                    owner: id.to_string(),
                    limit: 5_120,
                },
                out,
            ),
            "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
                if ty == "AWS::IAM::Role" {
                    push(
                        PolicyKind::Trust,
                        "AssumeRolePolicyDocument",
                        SizeGroup::Trust,
                        out,
                    );
                }
                let limit = match ty {
                    "AWS::IAM::Role" => 10_240,
                    "AWS::IAM::User" => 2_048,
                    _ => 5_120,
                };
                for p in props
                    .get("Policies")
                    .and_then(|p| p.as_seq())
                    .unwrap_or_default()
                {
                    if let Some((k, v)) = p.get_entry("PolicyDocument") {
                        document(
                            text,
                            PolicyKind::Identity,
                            v,
                            k.span.clone(),
                            dialect,
                            out,
                            |d| {
                                d.resource_type = Some(ty);
                                d.owner = Some(id);
                                d.size = SizeGroup::Inline {
                                    owner: id.to_string(),
                                    limit,
                                };
                            },
                        );
                    }
                }
            }
            "AWS::Serverless::Function" | "AWS::Serverless::StateMachine" => {
                sam_policies(text, ty, id, props.get("Policies"), dialect, out);
            }
            _ => {
                if let Some((_, prop)) = RESOURCE_POLICIES.iter().find(|(t, _)| *t == ty) {
                    if !prop.is_empty() {
                        let size = if ty == "AWS::S3::BucketPolicy" {
                            SizeGroup::ResourceLimit(20_480)
                        } else {
                            SizeGroup::None
                        };
                        push(PolicyKind::Resource, prop, size, out);
                    }
                }
            }
        }
    }
}

/// `!Ref X` or `!GetAtt X.Arn` → `X`.
pub fn ref_target(v: &Value) -> Option<&str> {
    match v.as_intrinsic()? {
        ("Ref", a) => a.as_str(),
        ("Fn::GetAtt", a) => match &a.kind {
            ValueKind::Str(s) => s.split('.').next(),
            ValueKind::Seq(items) => items.first()?.as_str(),
            _ => None,
        },
        _ => None,
    }
}

/// A SAM `Policies` value: a managed policy name or ARN, a SAM policy template, an inline document, or a
/// list of those.
fn sam_policies<'a>(
    text: &str,
    ty: &'a str,
    id: &'a str,
    policies: Option<&'a Value>,
    dialect: Dialect,
    out: &mut Located<'a>,
) {
    let Some(policies) = policies else {
        return;
    };
    for item in policies.one_or_many() {
        let Some(map) = item.as_map() else {
            continue;
        };
        if item.get("Statement").is_some() {
            document(
                text,
                PolicyKind::Identity,
                item,
                item.span.clone(),
                dialect,
                out,
                |d| {
                    d.resource_type = Some(ty);
                    d.owner = Some(id);
                    d.size = SizeGroup::Inline {
                        owner: id.to_string(),
                        limit: 10_240,
                    };
                },
            );
            continue;
        }
        for (k, v) in map {
            let entry = sam::Entry {
                name: &k.text,
                key: k,
                params: v,
                owner: id,
            };
            if let Some(expanded) = sam::expand(&entry) {
                let mut d = PolicyDoc::new(PolicyKind::Identity, item, dialect, k.span.clone());
                d.value = Cow::Owned(expanded);
                d.resource_type = Some(ty);
                d.owner = Some(id);
                d.origin = Origin::SamTemplate;
                out.docs.push(d);
            }
            out.sam_entries.push(entry);
        }
    }
}

/// serverless.yml: `provider.iam.role.statements`, the older `provider.iamRoleStatements`, and
/// per-function `iamRoleStatements` (serverless-iam-roles-per-function).
fn serverless<'a>(_text: &str, root: &'a Value, out: &mut Located<'a>) {
    let mut bare = |v: &'a Value, anchor: Span, owner: Option<&'a str>| {
        if v.as_seq().is_none() {
            return;
        }
        let mut d = PolicyDoc::new(PolicyKind::Identity, v, Dialect::Serverless, anchor);
        d.bare = true;
        d.owner = owner;
        d.size = SizeGroup::Inline {
            owner: owner.unwrap_or("provider").to_string(),
            limit: 10_240,
        };
        out.docs.push(d);
    };
    if let Some(role) = root.get_path(&["provider", "iam", "role"]) {
        if let Some((k, v)) = role.get_entry("statements") {
            bare(v, k.span.clone(), None);
        }
    }
    if let Some(provider) = root.get("provider") {
        if let Some((k, v)) = provider.get_entry("iamRoleStatements") {
            bare(v, k.span.clone(), None);
        }
    }
    for (fk, f) in root
        .get("functions")
        .and_then(|f| f.as_map())
        .unwrap_or_default()
    {
        if let Some((k, v)) = f.get_entry("iamRoleStatements") {
            bare(v, k.span.clone(), Some(fk.text.as_str()));
        }
        if let Some(stmts) = f
            .get_path(&["iam", "role"])
            .and_then(|r| r.get_entry("statements"))
        {
            bare(stmts.1, stmts.0.span.clone(), Some(fk.text.as_str()));
        }
    }
}

/// Adds a document given as a map, or as a JSON string (plain or inside `!Sub`).
fn document<'a>(
    text: &str,
    kind: PolicyKind,
    v: &'a Value,
    anchor: Span,
    dialect: Dialect,
    out: &mut Located<'a>,
    set: impl FnOnce(&mut PolicyDoc<'a>),
) {
    let mut d = match &v.kind {
        ValueKind::Map(_) => PolicyDoc::new(kind, v, dialect, anchor),
        ValueKind::Str(s) => match from_string(text, v.span.clone(), s) {
            Ok(value) => {
                let mut d = PolicyDoc::new(kind, v, Dialect::Plain, anchor);
                d.value = Cow::Owned(value);
                d.from_string = true;
                d
            }
            Err(msg) => {
                out.issues.push(LocateIssue {
                    span: v.span.clone(),
                    message: msg,
                });
                return;
            }
        },
        ValueKind::Intrinsic { name, arg, .. } if name == "Fn::Sub" => {
            let (s, node) = match &arg.kind {
                ValueKind::Str(s) => (s, arg.as_ref()),
                ValueKind::Seq(items) => match items.first() {
                    Some(
                        first @ Value {
                            kind: ValueKind::Str(s),
                            ..
                        },
                    ) => (s, first),
                    _ => return,
                },
                _ => return,
            };
            if !s.trim_start().starts_with('{') {
                return;
            }
            match from_string(text, node.span.clone(), s) {
                Ok(value) => {
                    let mut d = PolicyDoc::new(kind, v, Dialect::SubText, anchor);
                    d.value = Cow::Owned(value);
                    d.from_string = true;
                    d
                }
                Err(msg) => {
                    out.issues.push(LocateIssue {
                        span: node.span.clone(),
                        message: msg,
                    });
                    return;
                }
            }
        }
        _ => return,
    };
    set(&mut d);
    out.docs.push(d);
}

/// Parses a policy written as a JSON string and maps its spans back onto the file.
fn from_string(text: &str, span: Span, content: &str) -> Result<Value, String> {
    if !content.trim_start().starts_with('{') {
        return Err("a policy document must be a JSON object".into());
    }
    let doc = crate::syntax::parse_value(Lang::Json, content);
    let parse_error = doc
        .findings
        .iter()
        .find(|f| f.rule == crate::syntax::rules::PARSE_ERROR.id);
    let mut value = match (doc.value, parse_error) {
        (Some(v), None) if v.as_map().is_some() => v,
        (_, Some(f)) => {
            return Err(format!(
                "the policy string is not valid JSON: {}",
                f.message
            ))
        }
        _ => return Err("the policy string is not a JSON object".into()),
    };
    let map = offset_map(text.get(span.clone()).unwrap_or(""), content, span.start);
    remap(&mut value, &map);
    Ok(value)
}

/// For each byte of `content`, the file offset of the same character in the source text of the string
/// (which adds quotes, escapes and indentation). A greedy alignment: good for quoted and block scalars.
fn offset_map(source: &str, content: &str, base: usize) -> Vec<usize> {
    let mut map = Vec::with_capacity(content.len() + 1);
    let src: Vec<(usize, char)> = source.char_indices().collect();
    let mut j = 0;
    for c in content.chars() {
        let mut k = j;
        while k < src.len() && src[k].1 != c {
            k += 1;
        }
        let at = if k < src.len() {
            j = k + 1;
            src[k].0
        } else {
            src.get(j).map(|x| x.0).unwrap_or(source.len())
        };
        for _ in 0..c.len_utf8() {
            map.push(base + at);
        }
    }
    map.push(base + src.get(j).map(|x| x.0).unwrap_or(source.len()));
    map
}

fn remap(v: &mut Value, map: &[usize]) {
    let m = |o: usize| {
        map.get(o)
            .copied()
            .unwrap_or_else(|| *map.last().unwrap_or(&0))
    };
    let fix = |s: &mut Span| {
        let end = if s.end > s.start {
            m(s.end - 1) + 1
        } else {
            m(s.end)
        };
        *s = m(s.start)..end.max(m(s.start));
    };
    fix(&mut v.span);
    match &mut v.kind {
        ValueKind::Map(entries) => {
            for (k, child) in entries {
                fix(&mut k.span);
                remap(child, map);
            }
        }
        ValueKind::Seq(items) => items.iter_mut().for_each(|i| remap(i, map)),
        ValueKind::Intrinsic { arg, name_span, .. } => {
            fix(name_span);
            remap(arg, map);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace;
    use std::path::Path;
    use std::sync::Arc;

    fn parsed(name: &str, text: &str) -> Parsed {
        workspace::parse(Path::new(name), Arc::from(text), None)
    }

    #[test]
    fn standalone_kinds_by_content() {
        let p = parsed(
            "p.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
        );
        assert_eq!(policies(&p).docs[0].kind, PolicyKind::Identity);
        let p = parsed(
            "p.json",
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        );
        assert_eq!(policies(&p).docs[0].kind, PolicyKind::Trust);
        let p = parsed(
            "p.json",
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
        );
        assert_eq!(policies(&p).docs[0].kind, PolicyKind::Resource);
    }

    #[test]
    fn template_locations() {
        let text = r#"Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]
  BP:
    Type: AWS::S3::BucketPolicy
    Properties:
      PolicyDocument: '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}'
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - S3ReadPolicy: {BucketName: b}
        - Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: '*'}]
        - AWSLambdaBasicExecutionRole
"#;
        let p = parsed("template.yaml", text);
        let l = policies(&p);
        let kinds: Vec<PolicyKind> = l.docs.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            vec![
                PolicyKind::Trust,
                PolicyKind::Identity,
                PolicyKind::Resource,
                PolicyKind::Identity,
                PolicyKind::Identity
            ]
        );
        let bp = &l.docs[2];
        assert!(bp.from_string);
        // The string document's spans point into the file.
        let action = bp.statements()[0].get("Action").expect("action");
        assert_eq!(&text[action.span.clone()], "\"s3:GetObject\"");
        assert_eq!(l.docs[3].origin, Origin::SamTemplate);
    }

    #[test]
    fn serverless_statements() {
        let text = "service: s\nprovider:\n  name: aws\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: s3:GetObject\n          Resource: '*'\n  iamRoleStatements:\n    - Effect: Allow\n      Action: sqs:*\n      Resource: '*'\nfunctions:\n  f:\n    handler: h.h\n    iamRoleStatements:\n      - Effect: Allow\n        Action: sns:Publish\n        Resource: '*'\n";
        let p = parsed("serverless.yml", text);
        let l = policies(&p);
        assert_eq!(l.docs.len(), 3);
        assert!(l.docs.iter().all(|d| d.bare));
    }
}
