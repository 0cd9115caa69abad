//! ARNs: parsing a policy's ARN into its six fields, and ARN templates from the catalog compiled to
//! matchers (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).

use crate::iam::glob::{self, Class, Tok, PLACEHOLDER};

/// An ARN split into its fields. `resource` is everything after the fifth colon (it may hold colons).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'s> {
    pub partition: &'s str,
    pub service: &'s str,
    pub region: &'s str,
    pub account: &'s str,
    pub resource: &'s str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArnError {
    /// Does not start with `arn:`.
    Prefix,
    /// Fewer than six colon-separated fields.
    MissingField(usize),
}

pub fn parse(s: &str) -> Result<Arn<'_>, ArnError> {
    let rest = s
        .strip_prefix("arn:")
        .or_else(|| {
            // A placeholder can stand for `arn` itself or for the whole prefix.
            s.strip_prefix(PLACEHOLDER)
                .and_then(|r| r.strip_prefix(':'))
        })
        .ok_or(ArnError::Prefix)?;
    let mut parts = rest.splitn(5, ':');
    let partition = parts.next().unwrap_or("");
    let service = parts.next();
    let region = parts.next();
    let account = parts.next();
    let resource = parts.next();
    match (service, region, account, resource) {
        (Some(service), Some(region), Some(account), Some(resource)) => Ok(Arn {
            partition,
            service,
            region,
            account,
            resource,
        }),
        _ => Err(ArnError::MissingField(rest.split(':').count() + 1)),
    }
}

/// What a template allows in the region or account field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// Must be empty.
    Empty,
    /// A variable: any value.
    Any,
    /// A fixed value (`aws` for AWS-owned accounts, a fixed region).
    Fixed,
}

#[derive(Debug)]
pub struct ArnTemplate {
    pub raw: &'static str,
    /// The ARN service namespace (differs from the IAM prefix for some services).
    pub namespace: &'static str,
    pub region: Field,
    pub account: Field,
    region_text: &'static str,
    account_text: &'static str,
    resource: Vec<Tok>,
}

impl ArnTemplate {
    pub fn compile(raw: &'static str) -> ArnTemplate {
        let fields: Vec<&'static str> = raw.splitn(6, ':').collect();
        let get = |i: usize| fields.get(i).copied().unwrap_or("");
        let field = |s: &str| {
            if s.is_empty() {
                Field::Empty
            } else if s.contains("${") || s == "*" {
                Field::Any
            } else {
                Field::Fixed
            }
        };
        ArnTemplate {
            raw,
            namespace: get(2),
            region: field(get(3)),
            account: field(get(4)),
            region_text: get(3),
            account_text: get(4),
            resource: compile_resource(get(5)),
        }
    }

    /// The resource part after the fifth colon, as written in the template.
    pub fn resource_text(&self) -> &'static str {
        self.raw.splitn(6, ':').nth(5).unwrap_or("")
    }

    /// Whether the template can describe some ARN that the policy pattern `arn` also matches.
    pub fn matches(&self, arn: &Arn) -> bool {
        self.matches_with(arn, &glob::pattern(arn.resource))
    }

    /// As [`matches`](Self::matches), with the ARN's resource part already tokenised.
    pub fn matches_with(&self, arn: &Arn, resource: &[Tok]) -> bool {
        if !glob::matches(arn.service, self.namespace, true) && !arn.service.contains(PLACEHOLDER) {
            return false;
        }
        if !field_ok(self.region, self.region_text, arn.region)
            || !field_ok(self.account, self.account_text, arn.account)
        {
            return false;
        }
        glob::intersects(resource, &self.resource, true)
    }

    /// Whether the resource part alone could match (for messages about the region and account fields).
    pub fn resource_matches(&self, resource: &str) -> bool {
        glob::intersects(&glob::pattern(resource), &self.resource, true)
    }
}

fn field_ok(kind: Field, text: &str, value: &str) -> bool {
    match kind {
        Field::Empty => value.is_empty() || value.chars().all(|c| c == '*' || c == PLACEHOLDER),
        Field::Any => true,
        Field::Fixed => glob::matches(value, text, true),
    }
}

/// `${Var}` becomes "one or more characters". A variable followed by more text stops at `/`; the last one
/// may span `/` (object keys, role paths), except a bucket name, which never does.
fn compile_resource(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("${") {
            let end = after.find('}').unwrap_or(after.len());
            let name = &after[..end];
            rest = after.get(end + 1..).unwrap_or("");
            let last = !rest.contains("${") && rest.is_empty();
            let class = if last && !name.eq_ignore_ascii_case("BucketName") {
                Class::Any
            } else {
                Class::NotSlash
            };
            out.push(Tok::One(class));
            out.push(Tok::Many(class));
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            if c == '*' {
                out.push(Tok::Many(Class::Any));
            } else {
                out.push(Tok::One(Class::Char(c)));
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// A region name's shape (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`).
pub fn region_shape_ok(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(s: &str) -> Arn<'_> {
        parse(s).expect("arn")
    }

    #[test]
    fn parses_fields() {
        let a = arn("arn:aws:lambda:us-east-1:123456789012:function:f:1");
        assert_eq!(a.service, "lambda");
        assert_eq!(a.resource, "function:f:1");
        assert_eq!(parse("arn:aws:s3"), Err(ArnError::MissingField(3)));
        assert_eq!(parse("aws:s3:::b"), Err(ArnError::Prefix));
    }

    #[test]
    fn templates_match() {
        let object = ArnTemplate::compile("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
        let bucket = ArnTemplate::compile("arn:${Partition}:s3:::${BucketName}");
        assert!(object.matches(&arn("arn:aws:s3:::b/k/x.txt")));
        assert!(!object.matches(&arn("arn:aws:s3:::b")));
        assert!(bucket.matches(&arn("arn:aws:s3:::b")));
        assert!(!bucket.matches(&arn("arn:aws:s3:::b/*")));
        assert!(bucket.matches(&arn("arn:aws:s3:::*")));
        assert!(object.matches(&arn("arn:aws:s3:::*")));
        assert!(!bucket.matches(&arn("arn:aws:s3:us-east-1::b")));
        let role =
            ArnTemplate::compile("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}");
        assert!(role.matches(&arn("arn:aws:iam::123456789012:role/service-role/x")));
        assert!(!role.matches(&arn("arn:aws:iam::123456789012:user/x")));
    }

    #[test]
    fn region_shapes() {
        assert!(region_shape_ok("us-east-1"));
        assert!(region_shape_ok("us-gov-west-1"));
        assert!(!region_shape_ok("useast1"));
        assert!(!region_shape_ok("us-east"));
    }
}
