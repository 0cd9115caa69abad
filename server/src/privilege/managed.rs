//! AWS managed policies (`AWSLambdaBasicExecutionRole`, `AmazonS3ReadOnlyAccess`, …) in evaluation form,
//! embedded from `server/data/sdk/managed-policies.json.z`. A policy not in the data is unknown, never
//! guessed.

use crate::iam::eval::Statement;
use std::collections::HashMap;
use std::sync::OnceLock;

static DATA: &[u8] = include_bytes!("../../data/sdk/managed-policies.json.z");

pub struct Managed {
    pub name: String,
    pub arn: String,
    pub statements: Vec<Statement>,
}

fn all() -> &'static HashMap<String, Managed> {
    static ALL: OnceLock<HashMap<String, Managed>> = OnceLock::new();
    ALL.get_or_init(|| {
        let doc: serde_json::Value = miniz_oxide::inflate::decompress_to_vec_zlib(DATA)
            .ok()
            .and_then(|raw| serde_json::from_slice(&raw).ok())
            .unwrap_or_default();
        let strs = |v: Option<&serde_json::Value>| -> Vec<String> {
            v.and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let flag = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_u64()) == Some(1);
        let mut out = HashMap::new();
        for (name, p) in doc.as_object().into_iter().flatten() {
            let statements = p
                .get("s")
                .and_then(|s| s.as_array())
                .into_iter()
                .flatten()
                .map(|s| Statement {
                    allow: flag(s.get(0)),
                    actions: strs(s.get(1)),
                    not_action: flag(s.get(2)),
                    resources: strs(s.get(3)),
                    not_resource: flag(s.get(4)),
                    conditional: flag(s.get(5)),
                })
                .collect();
            out.insert(
                name.clone(),
                Managed {
                    name: name.clone(),
                    arn: p
                        .get("arn")
                        .and_then(|a| a.as_str())
                        .unwrap_or("")
                        .to_string(),
                    statements,
                },
            );
        }
        out
    })
}

/// An AWS managed policy by name (`AWSLambdaBasicExecutionRole`) or by ARN, the partition written or
/// unknown (`arn:${AWS::Partition}:iam::aws:policy/service-role/…`). Customer managed policies (an account
/// id in the ARN) are not AWS's: `None`.
pub fn lookup(name_or_arn: &str) -> Option<&'static Managed> {
    let s = name_or_arn.trim();
    if !s.starts_with("arn:") {
        return all().get(s);
    }
    let (_, rest) = s.split_once(":iam::aws:policy/")?;
    let name = rest.rsplit('/').next()?;
    let m = all().get(name)?;
    // The path must agree (`service-role/` and friends).
    m.arn.ends_with(&format!("policy/{rest}")).then_some(m)
}

pub fn count() -> usize {
    all().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::eval::{decide, Decision};

    #[test]
    fn by_name_and_arn() {
        assert!(count() > 1000);
        let basic = lookup("AWSLambdaBasicExecutionRole").expect("basic");
        assert_eq!(
            decide(&basic.statements, "logs:PutLogEvents", None),
            Decision::Allowed
        );
        assert_eq!(
            decide(&basic.statements, "s3:GetObject", None),
            Decision::NotAllowed
        );
        assert!(lookup(
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        )
        .is_some());
        assert!(lookup("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole").is_none());
        assert!(lookup("arn:aws:iam::123456789012:policy/Mine").is_none());
        let admin = lookup("AdministratorAccess").expect("admin");
        assert_eq!(
            decide(&admin.statements, "dynamodb:PutItem", None),
            Decision::Allowed
        );
    }
}
