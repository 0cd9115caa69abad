//! The embedded SDK data (`server/data/sdk/sdk.json.z`, built by `update.py` from botocore, boto3 and the
//! JavaScript SDK): AWS services as each SDK names them, their operations, and the IAM action(s) each
//! operation needs. Indexed once, on first use; a service's operations are parsed when code first uses it.

use serde_json::value::RawValue;
use serde_json::Value as J;
use std::collections::HashMap;
use std::sync::OnceLock;

static DATA: &[u8] = include_bytes!("../../data/sdk/sdk.json.z");

#[derive(Debug)]
pub struct Operation {
    /// The API name (`PutObject`).
    pub name: String,
    /// IAM actions (`s3:PutObject`); empty when the operation maps to none we know.
    pub actions: Vec<String>,
    /// The operation needs one of `actions` (which one depends on its input), not all of them.
    pub any: bool,
    /// boto3's method name (`put_object`).
    pub py: String,
}

pub struct Service {
    /// boto3's client name (`s3`, `stepfunctions`).
    pub id: String,
    /// The SDK service id (`S3`, `SFN`, `CloudWatch Logs`).
    pub sid: String,
    /// The IAM prefix (`s3`, `states`); empty when unknown.
    pub prefix: String,
    /// JavaScript v2 class name (`AWS.StepFunctions`).
    pub js2: String,
    /// The operations, parsed on first use: code calls a handful of the 445 services.
    raw_ops: Option<&'static RawValue>,
    ops: OnceLock<Ops>,
    raw_resources: Option<&'static RawValue>,
    resources: OnceLock<HashMap<String, ResourceType>>,
}

#[derive(Default)]
struct Ops {
    list: Vec<Operation>,
    by_name: HashMap<String, usize>,
    by_py: HashMap<String, usize>,
}

impl Service {
    fn parsed(&self) -> &Ops {
        self.ops.get_or_init(|| {
            let list: Vec<J> = self
                .raw_ops
                .and_then(|r| serde_json::from_str(r.get()).ok())
                .unwrap_or_default();
            let mut ops = Ops::default();
            for o in &list {
                let Some(name) = o.get(0).and_then(|n| n.as_str()) else {
                    continue;
                };
                let py = o
                    .get(3)
                    .and_then(|p| p.as_str())
                    .map(str::to_string)
                    .unwrap_or_else(|| default_snake(name));
                let i = ops.list.len();
                ops.by_name.insert(name.to_ascii_lowercase(), i);
                ops.by_py.insert(py.clone(), i);
                ops.list.push(Operation {
                    name: name.to_string(),
                    actions: strs(o.get(1)),
                    any: o.get(2).and_then(|m| m.as_u64()) == Some(1),
                    py,
                });
            }
            ops
        })
    }
    pub fn ops(&self) -> &[Operation] {
        &self.parsed().list
    }
    /// An operation by its API name, case-insensitively (`putObject` from JavaScript finds `PutObject`).
    pub fn op(&self, name: &str) -> Option<&Operation> {
        let ops = self.parsed();
        ops.by_name
            .get(&name.to_ascii_lowercase())
            .map(|i| &ops.list[*i])
    }
    /// An operation by its boto3 method name.
    pub fn op_py(&self, name: &str) -> Option<&Operation> {
        let ops = self.parsed();
        ops.by_py.get(name).map(|i| &ops.list[*i])
    }
    /// The name Go and JavaScript v3 packages use: the service id, lower case, letters and digits only.
    pub fn key(&self) -> String {
        normalize(&self.sid)
    }
    /// JavaScript v3 client class (`S3Client`) and aggregated class (`S3`).
    pub fn js3_class(&self) -> String {
        self.sid.replace([' ', '-'], "")
    }
    fn resource_types(&self) -> &HashMap<String, ResourceType> {
        self.resources.get_or_init(|| {
            let types: HashMap<String, J> = self
                .raw_resources
                .and_then(|r| serde_json::from_str(r.get()).ok())
                .unwrap_or_default();
            types
                .iter()
                .map(|(name, t)| (name.clone(), resource_type(t)))
                .collect()
        })
    }
}

fn resource_type(t: &J) -> ResourceType {
    let mut rt = ResourceType::default();
    for (m, a) in t.get("a").and_then(|a| a.as_object()).into_iter().flatten() {
        let v = strs(Some(a));
        if let Some(op) = v.first() {
            rt.actions.insert(
                m.clone(),
                (op.clone(), v.get(1).cloned().unwrap_or_default()),
            );
        }
    }
    for (m, ty) in t.get("h").and_then(|a| a.as_object()).into_iter().flatten() {
        if let Some(ty) = ty.as_str() {
            rt.has.insert(m.clone(), ty.to_string());
        }
    }
    for (m, c) in t.get("m").and_then(|a| a.as_object()).into_iter().flatten() {
        let Some(op) = c.get(0).and_then(|o| o.as_str()) else {
            continue;
        };
        let batch = c
            .get(2)
            .and_then(|b| b.as_object())
            .map(|b| {
                b.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        rt.many.insert(m.clone(), (op.to_string(), batch));
    }
    rt
}

/// A boto3 resource type's Python API.
#[derive(Debug, Default)]
pub struct ResourceType {
    /// Method → (operation, the resource type it returns or "").
    pub actions: HashMap<String, (String, String)>,
    /// Sub-resource constructor (`Table`) → resource type.
    pub has: HashMap<String, String>,
    /// Collection (`objects`) → (list operation, batch actions: method → operation).
    pub many: HashMap<String, (String, HashMap<String, String>)>,
}

pub struct Sdk {
    pub services: Vec<Service>,
    by_id: HashMap<String, usize>,
    by_key: HashMap<String, usize>,
    by_js2: HashMap<String, usize>,
    helpers: J,
    pub platform: J,
    pub sam_managed: J,
}

/// Lower case, letters and digits only: `CloudWatch Logs` → `cloudwatchlogs`.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The snake_case that `update.py` assumes unless the data says otherwise.
fn default_snake(op: &str) -> String {
    let chars: Vec<char> = op.chars().collect();
    let mut out = String::with_capacity(op.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || next_lower {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn strs(v: Option<&J>) -> Vec<String> {
    v.and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[derive(serde::Deserialize)]
struct RawService<'a> {
    #[serde(default)]
    id: String,
    #[serde(default)]
    sid: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    js2: String,
    #[serde(borrow)]
    ops: Option<&'a RawValue>,
}

#[derive(serde::Deserialize)]
struct RawDoc<'a> {
    #[serde(default, borrow)]
    services: Vec<RawService<'a>>,
    /// boto3 service → resource type ("" for the service resource) → API.
    #[serde(default, borrow)]
    resources: HashMap<String, &'a RawValue>,
    #[serde(default)]
    helpers: J,
    #[serde(default)]
    platform: J,
    #[serde(default)]
    sam_managed: J,
}

fn load() -> Sdk {
    let text = miniz_oxide::inflate::decompress_to_vec_zlib(DATA)
        .ok()
        .and_then(|raw| String::from_utf8(raw).ok())
        .unwrap_or_default();
    // Lives as long as the process: services parse their part of it on first use.
    let text: &'static str = Box::leak(text.into_boxed_str());
    let doc: Option<RawDoc<'static>> = serde_json::from_str(text).ok();
    let Some(mut doc) = doc else {
        return Sdk {
            services: Vec::new(),
            by_id: HashMap::new(),
            by_key: HashMap::new(),
            by_js2: HashMap::new(),
            helpers: J::Null,
            platform: J::Null,
            sam_managed: J::Null,
        };
    };
    let mut sdk = Sdk {
        services: Vec::with_capacity(doc.services.len()),
        by_id: HashMap::new(),
        by_key: HashMap::new(),
        by_js2: HashMap::new(),
        helpers: std::mem::take(&mut doc.helpers),
        platform: std::mem::take(&mut doc.platform),
        sam_managed: std::mem::take(&mut doc.sam_managed),
    };
    for s in doc.services {
        let svc = Service {
            raw_resources: doc.resources.get(&s.id).copied(),
            id: s.id,
            sid: s.sid,
            prefix: s.prefix,
            js2: s.js2,
            raw_ops: s.ops,
            ops: OnceLock::new(),
            resources: OnceLock::new(),
        };
        let i = sdk.services.len();
        sdk.by_id.insert(svc.id.clone(), i);
        sdk.by_key.entry(svc.key()).or_insert(i);
        if !svc.js2.is_empty() {
            sdk.by_js2.insert(svc.js2.clone(), i);
        }
        sdk.services.push(svc);
    }
    sdk
}

pub fn sdk() -> &'static Sdk {
    static SDK: OnceLock<Sdk> = OnceLock::new();
    SDK.get_or_init(load)
}

/// A service and one of its operations, as indices into [`Sdk::services`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpRef {
    pub service: usize,
    pub op: usize,
}

impl Sdk {
    pub fn by_boto3(&self, name: &str) -> Option<usize> {
        self.by_id.get(name).copied()
    }
    /// By the Go package or JavaScript v3 package suffix (`cloudwatchlogs`, `cloudwatch-logs`).
    pub fn by_key(&self, name: &str) -> Option<usize> {
        self.by_key.get(&normalize(name)).copied()
    }
    pub fn by_js2(&self, class: &str) -> Option<usize> {
        self.by_js2.get(class).copied()
    }
    pub fn service(&self, i: usize) -> &Service {
        &self.services[i]
    }
    pub fn operation(&self, r: OpRef) -> &Operation {
        &self.services[r.service].ops()[r.op]
    }
    /// An operation by API name.
    pub fn find(&self, service: usize, name: &str) -> Option<OpRef> {
        let s = self.services.get(service)?;
        let i = *s.parsed().by_name.get(&name.to_ascii_lowercase())?;
        Some(OpRef { service, op: i })
    }
    pub fn find_py(&self, service: usize, name: &str) -> Option<OpRef> {
        let s = self.services.get(service)?;
        let i = *s.parsed().by_py.get(name)?;
        Some(OpRef { service, op: i })
    }
    /// A boto3 resource type of a service ("" is the service resource).
    pub fn resource(&self, service: usize, ty: &str) -> Option<&ResourceType> {
        let s = self.services.get(service)?;
        s.resource_types().get(ty)
    }
    /// An SDK helper method (`upload_file`, v2 `upload`, document-client `put`) → the operation it
    /// performs. `lib` is `boto3`, `js2`, `document` or `go`.
    pub fn helper(&self, lib: &str, service: Option<usize>, method: &str) -> Option<OpRef> {
        let table = self.helpers.get(lib)?;
        match service {
            Some(s) => {
                let id = &self.services.get(s)?.id;
                let op = table.get(id)?.get(method)?.as_str()?;
                self.find(s, op)
            }
            None => {
                let op = table.get(method)?.as_str()?;
                let ddb = self.by_boto3("dynamodb")?;
                self.find(ddb, op)
            }
        }
    }
    /// The DynamoDB document-client operation for a method (`put`) or command stem (`Put`).
    pub fn document(&self, name: &str) -> Option<OpRef> {
        let table = self.helpers.get("document")?.as_object()?;
        let (_, op) = table.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))?;
        let ddb = self.by_boto3("dynamodb")?;
        self.find(ddb, op.as_str()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_and_maps() {
        let sdk = sdk();
        assert!(sdk.services.len() > 400);
        let s3 = sdk.by_boto3("s3").expect("s3");
        let put = sdk.find_py(s3, "put_object").expect("put_object");
        assert_eq!(sdk.operation(put).actions, vec!["s3:PutObject"]);
        let list = sdk.find(s3, "listObjectsV2").expect("v2");
        assert_eq!(sdk.operation(list).actions, vec!["s3:ListBucket"]);
        assert_eq!(sdk.by_key("cloudwatch-logs"), sdk.by_boto3("logs"));
        assert_eq!(sdk.by_js2("StepFunctions"), sdk.by_boto3("stepfunctions"));
        assert_eq!(
            sdk.service(sdk.by_key("sfn").expect("sfn")).prefix,
            "states"
        );
        let ddb = sdk.by_boto3("dynamodb").expect("ddb");
        let tw = sdk.find(ddb, "TransactWriteItems").expect("tw");
        assert!(sdk.operation(tw).any);
        assert_eq!(sdk.document("put"), sdk.find(ddb, "PutItem"));
        assert_eq!(
            sdk.helper("boto3", Some(s3), "upload_file"),
            sdk.find(s3, "PutObject")
        );
        let table = sdk.resource(ddb, "Table").expect("Table");
        assert_eq!(table.actions["put_item"].0, "PutItem");
        assert_eq!(default_snake("ListObjectsV2"), "list_objects_v2");
    }

    /// Every mapped action, every action the platform tables name, is in the IAM catalog.
    #[test]
    fn every_mapped_action_is_in_the_catalog() {
        let cat = crate::iam::catalog::catalog();
        let mut missing = Vec::new();
        let mut n = 0;
        for s in &sdk().services {
            for o in s.ops() {
                for a in &o.actions {
                    n += 1;
                    if cat.action(a).is_none() {
                        missing.push(a.clone());
                    }
                }
            }
        }
        assert!(n > 15_000, "{n} mapped actions");
        assert!(missing.is_empty(), "not in the catalog: {missing:?}");
    }

    /// boto3's names for every operation agree with the Python method names botocore generates, for
    /// the irregular ones the data stores.
    #[test]
    fn python_names_round_trip() {
        let sdk = sdk();
        for (i, s) in sdk.services.iter().enumerate() {
            for o in s.ops() {
                let r = sdk.find_py(i, &o.py).expect("py name");
                assert_eq!(sdk.operation(r).name, o.name);
            }
        }
    }
}
