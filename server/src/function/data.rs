//! The embedded, versioned Lambda data besides runtimes: limits (`limits.json`, curated with sources and
//! dates), cfn-lint's extension facts and API bounds (`extensions.json`), the resource schemas
//! (`schemas/`) and `Fn::GetAtt` attribute names (`attributes.json`). All parsed once, on first use.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Default, Deserialize)]
pub struct Limit {
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub default: Option<f64>,
    #[serde(default)]
    pub previous_max: Option<f64>,
    #[serde(default)]
    pub raised_on: Option<String>,
    #[serde(default)]
    pub max_capacity_provider: Option<f64>,
    #[serde(default)]
    pub max_accelerator: Option<f64>,
    #[serde(default)]
    pub max_arn: Option<f64>,
    #[serde(default)]
    pub unreserved_minimum: Option<f64>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub extra_reserved: Vec<String>,
    #[serde(default)]
    pub unit: Option<String>,
    pub source: String,
    pub date: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Limits {
    pub version: String,
    pub limits: HashMap<String, Limit>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Extensions {
    pub reserved_environment_keys: Vec<String>,
    pub image_excluded_properties: Vec<String>,
    pub zipfile_runtime_pattern: String,
    pub api_bounds: HashMap<String, serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ApiEvent {
    pub event: String,
    /// `sam` or `serverless`.
    pub config: String,
    /// The name of the limit in `limits.json`.
    pub limit: String,
    pub name: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Poller {
    pub source: String,
    pub name: String,
    pub sam_event: String,
    pub sam_property: String,
    pub serverless_event: String,
    /// Resource type → the attribute that is the source's ARN.
    pub resource_types: HashMap<String, String>,
    pub arn_service: String,
    pub actions: Vec<String>,
    pub managed_policy: String,
    /// `required` (streams) or `forbidden` (queues).
    #[serde(default)]
    pub starting_position: Option<String>,
    /// A larger batch needs `MaximumBatchingWindowInSeconds` of at least 1.
    #[serde(default)]
    pub max_batch_without_window: Option<f64>,
    #[serde(default)]
    pub fifo_max_batch: Option<f64>,
    pub reference: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct LogFacts {
    pub actions: Vec<String>,
    pub reference: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ManagedPolicy {
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub not_actions: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ManagedPolicies {
    pub policies: HashMap<String, ManagedPolicy>,
}

#[derive(Debug, Default, Deserialize)]
pub struct EventSources {
    pub api_events: Vec<ApiEvent>,
    pub pollers: Vec<Poller>,
    pub logs: LogFacts,
    pub managed_policies: ManagedPolicies,
}

static EVENT_SOURCES: &str = include_str!("../../data/lambda/event_sources.json");

pub fn event_sources() -> &'static EventSources {
    static E: OnceLock<EventSources> = OnceLock::new();
    E.get_or_init(|| serde_json::from_str(EVENT_SOURCES).unwrap_or_default())
}

static LIMITS: &str = include_str!("../../data/lambda/limits.json");
static EXTENSIONS: &str = include_str!("../../data/lambda/extensions.json");
static LAMBDA_SCHEMA: &str = include_str!("../../data/lambda/schemas/aws-lambda-function.json");
static SAM_SCHEMA: &str = include_str!("../../data/lambda/schemas/aws-serverless-function.json");
static GLOBALS_SCHEMA: &str = include_str!("../../data/lambda/schemas/sam-globals.json");
static SERVERLESS_SCHEMA: &str = include_str!("../../data/lambda/schemas/serverless.json");
static ATTRIBUTES: &str = include_str!("../../data/lambda/attributes.json");

pub fn limits() -> &'static Limits {
    static L: OnceLock<Limits> = OnceLock::new();
    L.get_or_init(|| serde_json::from_str(LIMITS).unwrap_or_default())
}

/// One named limit; a missing entry (which the tests rule out) reads as "no bound".
pub fn limit(name: &str) -> &'static Limit {
    static NONE: OnceLock<Limit> = OnceLock::new();
    limits()
        .limits
        .get(name)
        .unwrap_or_else(|| NONE.get_or_init(Limit::default))
}

pub fn extensions() -> &'static Extensions {
    static E: OnceLock<Extensions> = OnceLock::new();
    E.get_or_init(|| serde_json::from_str(EXTENSIONS).unwrap_or_default())
}

fn parse_json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

pub fn lambda_schema() -> &'static serde_json::Value {
    static S: OnceLock<serde_json::Value> = OnceLock::new();
    S.get_or_init(|| parse_json(LAMBDA_SCHEMA))
}

pub fn sam_schema() -> &'static serde_json::Value {
    static S: OnceLock<serde_json::Value> = OnceLock::new();
    S.get_or_init(|| parse_json(SAM_SCHEMA))
}

pub fn globals_schema() -> &'static serde_json::Value {
    static S: OnceLock<serde_json::Value> = OnceLock::new();
    S.get_or_init(|| parse_json(GLOBALS_SCHEMA))
}

/// The serverless.yml schema: `definitions`, `function`, `provider` and the `events` names.
pub fn serverless_schema() -> &'static serde_json::Value {
    static S: OnceLock<serde_json::Value> = OnceLock::new();
    S.get_or_init(|| parse_json(SERVERLESS_SCHEMA))
}

fn attribute_table() -> &'static HashMap<String, Vec<String>> {
    static A: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    A.get_or_init(|| serde_json::from_str(ATTRIBUTES).unwrap_or_default())
}

/// `Fn::GetAtt` attribute names of a resource type (empty when the type is unknown).
pub fn attributes(resource_type: &str) -> &'static [String] {
    attribute_table()
        .get(resource_type)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// Every resource type CloudFormation and SAM know, sorted.
pub fn resource_types() -> Vec<&'static str> {
    let mut out: Vec<&str> = attribute_table().keys().map(String::as_str).collect();
    out.sort_unstable();
    out
}

/// Whether the attribute table knows this resource type.
pub fn is_known_type(resource_type: &str) -> bool {
    attribute_table().contains_key(resource_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads_and_agrees_with_the_api_bounds() {
        let l = limits();
        assert!(!l.version.is_empty());
        for name in [
            "memory_size",
            "timeout",
            "ephemeral_storage",
            "layers",
            "environment_size",
            "environment_key",
            "function_name",
            "handler",
            "description",
            "reserved_concurrency",
            "rest_api_timeout",
            "http_api_timeout",
            "sqs_default_visibility_timeout",
        ] {
            let lim = l.limits.get(name).unwrap_or_else(|| panic!("{name}"));
            assert!(!lim.source.is_empty() && !lim.date.is_empty(), "{name}");
        }
        let ext = extensions();
        assert!(ext.reserved_environment_keys.len() >= 18);
        assert!(ext
            .image_excluded_properties
            .contains(&"Handler".to_string()));
        // Our documented limits never exceed what the API itself accepts.
        let api_max = |shape: &str| ext.api_bounds[shape]["max"].as_f64().unwrap_or(0.0);
        assert!(limit("memory_size").max_capacity_provider.unwrap_or(0.0) <= api_max("MemorySize"));
        assert!(limit("timeout").max_capacity_provider.unwrap_or(0.0) <= api_max("Timeout"));
        assert!(limit("timeout").max.unwrap_or(0.0) <= api_max("Timeout"));
        assert!(
            limit("ephemeral_storage").max_accelerator.unwrap_or(0.0)
                <= api_max("EphemeralStorageSize")
        );
        assert_eq!(limit("handler").max, Some(api_max("Handler")));
        assert_eq!(lambda_schema()["typeName"], "AWS::Lambda::Function");
        assert_eq!(sam_schema()["typeName"], "AWS::Serverless::Function");
        assert!(globals_schema()["properties"]["Function"].is_object());
        assert!(serverless_schema()["function"]["properties"]["memorySize"].is_object());
        assert!(serverless_schema()["events"]
            .as_array()
            .is_some_and(|e| e.len() >= 20));
        assert!(attributes("AWS::SQS::Queue").contains(&"Arn".to_string()));
        assert!(attributes("AWS::Nope::Nope").is_empty());
        let ev = event_sources();
        assert_eq!(ev.pollers.len(), 3);
        assert!(ev
            .api_events
            .iter()
            .all(|a| l.limits.contains_key(&a.limit)));
        assert!(ev
            .pollers
            .iter()
            .all(|p| ev.managed_policies.policies.contains_key(&p.managed_policy)));
        assert!(!ev.logs.actions.is_empty());
    }
}
