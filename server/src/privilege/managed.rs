//! AWS managed policies (`AWSLambdaBasicExecutionRole`, `AmazonS3ReadOnlyAccess`, …) in evaluation form,
//! embedded from `server/data/sdk/managed-policies.json.z`. A policy not in the data is unknown, never
//! guessed.

use crate::iam::eval::Statement;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

static DATA: &[u8] = include_bytes!("../../data/sdk/managed-policies.json.z");

pub struct Managed {
    pub name: String,
    pub arn: String,
    pub statements: Vec<Statement>,
}

/// The decompressed document, indexed by name but not parsed: a function names one or two policies, and
/// parsing all 1,600 would cost a check run more memory than everything else it does.
fn index() -> &'static HashMap<String, &'static RawValue> {
    static INDEX: OnceLock<HashMap<String, &'static RawValue>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let Some(text) = miniz_oxide::inflate::decompress_to_vec_zlib(DATA)
            .ok()
            .and_then(|raw| String::from_utf8(raw).ok())
        else {
            return HashMap::new();
        };
        // Lives as long as the process, like the index that points into it.
        let text: &'static str = Box::leak(text.into_boxed_str());
        serde_json::from_str(text).unwrap_or_default()
    })
}

/// A statement as the data writes it: `[allow, actions, not_action, resources, not_resource, conditional]`.
type RawStatement = (u8, Vec<String>, u8, Vec<String>, u8, u8);

#[derive(serde::Deserialize)]
struct Entry {
    #[serde(default)]
    arn: String,
    #[serde(default)]
    s: Vec<RawStatement>,
}

fn get(name: &str) -> Option<&'static Managed> {
    static PARSED: OnceLock<Mutex<HashMap<String, &'static Managed>>> = OnceLock::new();
    let parsed = PARSED.get_or_init(Default::default);
    let mut parsed = parsed.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(m) = parsed.get(name) {
        return Some(m);
    }
    let raw = index().get(name)?;
    let entry: Entry = serde_json::from_str(raw.get()).ok()?;
    let statements = entry
        .s
        .into_iter()
        .map(
            |(allow, actions, not_action, resources, not_resource, conditional)| Statement {
                allow: allow == 1,
                actions,
                not_action: not_action == 1,
                resources,
                not_resource: not_resource == 1,
                conditional: conditional == 1,
            },
        )
        .collect();
    // At most one allocation per policy name for the process's life.
    let m: &'static Managed = Box::leak(Box::new(Managed {
        name: name.to_string(),
        arn: entry.arn,
        statements,
    }));
    parsed.insert(name.to_string(), m);
    Some(m)
}

/// An AWS managed policy by name (`AWSLambdaBasicExecutionRole`) or by ARN, the partition written or
/// unknown (`arn:${AWS::Partition}:iam::aws:policy/service-role/…`). Customer managed policies (an account
/// id in the ARN) are not AWS's: `None`.
pub fn lookup(name_or_arn: &str) -> Option<&'static Managed> {
    let s = name_or_arn.trim();
    if !s.starts_with("arn:") {
        return get(s);
    }
    let (_, rest) = s.split_once(":iam::aws:policy/")?;
    let name = rest.rsplit('/').next()?;
    let m = get(name)?;
    // The path must agree (`service-role/` and friends).
    m.arn.ends_with(&format!("policy/{rest}")).then_some(m)
}

pub fn count() -> usize {
    index().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::eval::{decide, Decision};

    #[test]
    fn by_name_and_arn() {
        assert!(count() > 1000);
        // Every entry of the data parses (a shape the parser does not expect would make it unknown).
        for name in index().keys() {
            assert!(get(name).is_some(), "{name}");
        }
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
