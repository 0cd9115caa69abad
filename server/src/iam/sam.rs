//! SAM policy templates (`S3ReadPolicy: {BucketName: b}`): expanded into the statements SAM generates, from
//! the `policy_templates.json` that aws-sam-translator ships (embedded in `server/data/iam/`).

use crate::syntax::{Key, Value, ValueKind};
use crate::text::Span;
use std::sync::OnceLock;

static DATA: &str = include_str!("../../data/iam/sam-policy-templates.json");

/// One template entry in a function's `Policies`.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub name: &'a str,
    pub key: &'a Key,
    pub params: &'a Value,
    /// The function's logical id.
    pub owner: &'a str,
}

pub struct Template {
    pub name: String,
    pub description: String,
    pub parameters: Vec<(String, String)>,
    definition: serde_json::Value,
}

pub fn templates() -> &'static [Template] {
    static T: OnceLock<Vec<Template>> = OnceLock::new();
    T.get_or_init(|| {
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(DATA) else {
            return Vec::new();
        };
        let Some(map) = doc.get("Templates").and_then(|t| t.as_object()) else {
            return Vec::new();
        };
        map.iter()
            .map(|(name, t)| Template {
                name: name.clone(),
                description: t
                    .get("Description")
                    .and_then(|d| d.as_str())
                    .unwrap_or("")
                    .to_string(),
                parameters: t
                    .get("Parameters")
                    .and_then(|p| p.as_object())
                    .map(|p| {
                        p.iter()
                            .map(|(k, v)| {
                                (
                                    k.clone(),
                                    v.get("Description")
                                        .and_then(|d| d.as_str())
                                        .unwrap_or("")
                                        .to_string(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                definition: t.get("Definition").cloned().unwrap_or_default(),
            })
            .collect()
    })
}

pub fn template(name: &str) -> Option<&'static Template> {
    templates().iter().find(|t| t.name == name)
}

/// The policy document an entry stands for. Every generated node carries the entry key's span; the
/// user's parameter values are spliced in as written.
pub fn expand(entry: &Entry) -> Option<Value> {
    let t = template(entry.name)?;
    Some(build(&t.definition, entry.params, &entry.key.span))
}

fn build(j: &serde_json::Value, params: &Value, span: &Span) -> Value {
    use serde_json::Value as J;
    let kind = match j {
        J::Object(m) => {
            if m.len() == 1 {
                if let Some(J::String(p)) = m.get("Ref") {
                    if let Some(v) = params.get(p) {
                        return v.clone();
                    }
                }
            }
            let entries: Vec<(Key, Value)> = m
                .iter()
                .map(|(k, v)| {
                    (
                        Key {
                            text: k.clone(),
                            span: span.clone(),
                        },
                        build(v, params, span),
                    )
                })
                .collect();
            if entries.len() == 1 && entries[0].0.text.starts_with("Fn::") || m.contains_key("Ref")
            {
                let mut entries = entries;
                if let Some((k, arg)) = entries.pop() {
                    return Value::new(
                        span.clone(),
                        ValueKind::Intrinsic {
                            name: k.text,
                            name_span: span.clone(),
                            arg: Box::new(arg),
                        },
                    );
                }
                ValueKind::Map(entries)
            } else {
                ValueKind::Map(entries)
            }
        }
        J::Array(items) => ValueKind::Seq(items.iter().map(|i| build(i, params, span)).collect()),
        J::String(s) => ValueKind::Str(s.clone()),
        J::Number(n) => ValueKind::Num(n.as_f64().unwrap_or(0.0)),
        J::Bool(b) => ValueKind::Bool(*b),
        J::Null => ValueKind::Null,
    };
    Value::new(span.clone(), kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::resolve::{string, Dialect};
    use crate::syntax::{parse_value, Lang};

    #[test]
    fn expands_with_parameters() {
        assert!(templates().len() > 70);
        let v = parse_value(Lang::Yaml, "S3ReadPolicy:\n  BucketName: my-bucket\n")
            .value
            .expect("v");
        let (key, params) = &v.as_map().expect("map")[0];
        let entry = Entry {
            name: "S3ReadPolicy",
            key,
            params,
            owner: "Fn",
        };
        let doc = expand(&entry).expect("expanded");
        let stmt = &doc.get("Statement").expect("statements").one_or_many()[0];
        let resources: Vec<String> = stmt
            .get("Resource")
            .expect("resource")
            .one_or_many()
            .iter()
            .filter_map(|r| string(r, Dialect::CloudFormation))
            .map(|r| r.text.replace(crate::iam::glob::PLACEHOLDER, "?"))
            .collect();
        assert_eq!(
            resources,
            vec!["arn:?:s3:::my-bucket", "arn:?:s3:::my-bucket/*"]
        );
    }
}
