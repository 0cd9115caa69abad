//! Event sources: the shape of SAM and serverless.yml events (known types, their properties), API Gateway
//! integration timeouts, SQS visibility timeouts, the read permissions an event source mapping needs from
//! the function's role, and whether the role lets the function write its logs.

use super::data::{self, event_sources, limit, Poller};
use super::model::{FunctionConfig, Source};
use super::permissions::{role_of, RolePolicies};
use super::properties::{has_plugins, report};
use super::rules::*;
use super::schema::{IssueKind, Validator};
use crate::rules::{Finding, Fix, Severity};
use crate::syntax::{Key, Value, ValueKind};
use crate::template::refs::referenced_ids;
use crate::text::Span;
use crate::workspace::{Ctx, FileKind};
use std::sync::OnceLock;

pub fn check(ctx: &Ctx, functions: &[FunctionConfig], out: &mut Vec<Finding>) {
    let Some(root) = ctx.root() else {
        return;
    };
    let resources: &[(Key, Value)] = match ctx.file.kind {
        FileKind::Template => root.get("Resources"),
        FileKind::Serverless => root.get_path(&["resources", "Resources"]),
        _ => None,
    }
    .and_then(|r| r.as_map())
    .unwrap_or_default();
    for f in functions {
        match f.source {
            Source::Sam => sam_events(ctx.text(), f, out),
            Source::Serverless => serverless_events(root, f, out),
            Source::CloudFormation => {}
        }
        api_timeouts(f, out);
        polled_events(resources, f, out);
        log_permissions(resources, f, out);
    }
    if ctx.file.kind == FileKind::Template {
        for (_, res) in resources {
            if res.get("Type").and_then(|t| t.as_str()) == Some("AWS::Lambda::EventSourceMapping") {
                event_source_mapping(resources, functions, res, out);
            }
        }
    }
}

/// SAM event types and the schema definition of each, read from the embedded SAM schema.
pub fn sam_event_types() -> &'static [(String, String)] {
    static TYPES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    TYPES.get_or_init(|| {
        let schema = data::sam_schema();
        let branches = schema
            .pointer("/properties/Events/additionalProperties/anyOf")
            .and_then(|a| a.as_array())
            .cloned()
            .unwrap_or_default();
        branches
            .iter()
            .filter_map(|b| {
                let def = b.get("$ref")?.as_str()?.strip_prefix("#/definitions/")?;
                let ty = schema
                    .pointer(&format!("/definitions/{def}/properties/Type/enum/0"))?
                    .as_str()?;
                Some((ty.to_string(), def.to_string()))
            })
            .collect()
    })
}

/// serverless.yml event names and their schema, read from the embedded osls schema.
pub fn serverless_event_schema(name: &str) -> Option<&'static serde_json::Value> {
    data::serverless_schema()
        .pointer("/function/properties/events/items/anyOf")?
        .as_array()?
        .iter()
        .find(|b| b.pointer("/required/0").and_then(|r| r.as_str()) == Some(name))?
        .pointer(&format!("/properties/{name}"))
}

pub fn serverless_event_names() -> Vec<&'static str> {
    data::serverless_schema()["events"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e.as_str()).collect())
        .unwrap_or_default()
}

fn unknown_type_finding(text: &str, node: &Value, ty: &str, known: &[&str], what: &str) -> Finding {
    let suggestions = crate::suggest::closest(ty, known.iter().copied(), 3);
    let mut message = format!("`{ty}` is not {what}");
    match suggestions.first() {
        Some(s) => message.push_str(&format!("; did you mean `{s}`?")),
        None => {
            let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            message.push_str(&format!(" (known: {})", list.join(", ")));
        }
    }
    let mut f = Finding::new(&UNKNOWN_EVENT_TYPE, node.span.clone(), message);
    for (i, s) in suggestions.iter().enumerate() {
        f.fixes.push(Fix {
            preferred: i == 0,
            ..Fix::replace(
                format!("Change to `{s}`"),
                node.span.clone(),
                super::config_checks::quote_like(text, node, s),
            )
        });
    }
    f
}

fn sam_events(text: &str, f: &FunctionConfig, out: &mut Vec<Finding>) {
    let types = sam_event_types();
    let known: Vec<&str> = types.iter().map(|(t, _)| t.as_str()).collect();
    let schema = data::sam_schema();
    for ev in &f.events {
        if ev.node.is_intrinsic() {
            continue;
        }
        if ev.node.as_map().is_none() {
            out.push(Finding::new(
                &INVALID_PROPERTY,
                ev.node.span.clone(),
                format!(
                    "event `{}` must be an object with `Type` and `Properties`",
                    ev.name
                ),
            ));
            continue;
        }
        let Some(type_node) = ev.node.get("Type") else {
            out.push(Finding::new(
                &MISSING_PROPERTY,
                ev.key_span.clone(),
                format!("event `{}` needs a `Type` ({})", ev.name, known.join(", ")),
            ));
            continue;
        };
        let Some(ty) = type_node.as_str() else {
            continue;
        };
        let Some((_, def)) = types.iter().find(|(t, _)| t == ty) else {
            out.push(unknown_type_finding(
                text,
                type_node,
                ty,
                &known,
                "a SAM event type",
            ));
            continue;
        };
        let Some(def_schema) = schema.pointer(&format!("/definitions/{def}")) else {
            continue;
        };
        let v = Validator {
            root: schema,
            skip: &[],
            null_ok: true,
        };
        let mut issues = Vec::new();
        v.validate(def_schema, ev.node, ev.key_span.clone(), &mut issues);
        let props_def = schema.pointer(&format!("/definitions/{def}Properties/properties"));
        for mut i in issues {
            // SAM ignores keys beside `Type` and `Properties`: the setting silently does nothing.
            if i.kind == IssueKind::Unknown && !i.path.contains('.') {
                let belongs = props_def.is_some_and(|p| p.get(&i.path).is_some());
                i.message = if belongs {
                    format!(
                        "SAM ignores `{}` here: it belongs under `Properties`",
                        i.path
                    )
                } else {
                    format!(
                        "SAM ignores `{}` here: an event has only `Type` and `Properties`",
                        i.path
                    )
                };
                i.fixes.clear();
                report(vec![i], Some(Severity::Warning), out);
                continue;
            }
            report(vec![i], None, out);
        }
    }
}

fn serverless_events(root: &Value, f: &FunctionConfig, out: &mut Vec<Finding>) {
    let mode = root.get("configValidationMode").and_then(|m| m.as_str());
    let severity = match mode {
        Some("off") => return,
        Some("error") => Severity::Error,
        _ => Severity::Warning,
    };
    let plugins = has_plugins(root);
    let names = serverless_event_names();
    let schema = data::serverless_schema();
    let Some(events) = f.node.get("events") else {
        return;
    };
    let Some(items) = events.as_seq() else {
        if !events.is_intrinsic() && events.as_str().is_none_or(|s| !s.contains("${")) {
            out.push(
                Finding::new(
                    &INVALID_PROPERTY,
                    events.span.clone(),
                    "`events` must be a list",
                )
                .with_severity(severity),
            );
        }
        return;
    };
    for item in items {
        let Some(entries) = item.as_map() else {
            if item.as_str().is_none_or(|s| !s.contains("${")) {
                out.push(
                    Finding::new(
                        &INVALID_PROPERTY,
                        item.span.clone(),
                        "each event is an object with one key naming its type (`http:`, `sqs:`, …)",
                    )
                    .with_severity(severity),
                );
            }
            continue;
        };
        let Some((key, value)) = entries.first() else {
            continue;
        };
        if key.text.contains("${") {
            continue;
        }
        let Some(ev_schema) = serverless_event_schema(&key.text) else {
            let kv = Value::new(key.span.clone(), ValueKind::Str(key.text.clone()));
            let mut finding =
                unknown_type_finding("", &kv, &key.text, &names, "a Serverless Framework event");
            if plugins {
                finding.message.push_str(" (unless a plugin defines it)");
                finding.severity = Severity::Hint;
            } else {
                finding.severity = severity;
            }
            out.push(finding);
            continue;
        };
        let v = Validator {
            root: schema,
            skip: &[],
            null_ok: false,
        };
        let mut issues = Vec::new();
        v.validate(ev_schema, value, key.span.clone(), &mut issues);
        for i in issues {
            let s = if plugins && i.kind == IssueKind::Unknown {
                Severity::Hint
            } else {
                severity
            };
            report(vec![i], Some(s), out);
        }
    }
}

fn api_timeouts(f: &FunctionConfig, out: &mut Vec<Finding>) {
    let Some(timeout) = f.timeout_secs() else {
        return;
    };
    let config = if f.source == Source::Serverless {
        "serverless"
    } else {
        "sam"
    };
    for ev in &f.events {
        let Some(api) = event_sources()
            .api_events
            .iter()
            .find(|a| a.config == config && a.event == ev.kind)
        else {
            continue;
        };
        let Some(max) = limit(&api.limit).max else {
            continue;
        };
        if timeout <= max {
            continue;
        }
        let mut finding = Finding::new(
            &API_TIMEOUT,
            ev.key_span.clone(),
            format!(
                "function `{}` may run {} s, but a {} gives up after {} s: callers get a 504 while the function keeps running",
                f.name,
                fmt(timeout),
                api.name,
                fmt(max)
            ),
        );
        if let Some(t) = &f.timeout {
            finding = finding.with_related(None, t.span(), "the function's timeout");
        }
        out.push(finding);
    }
}

fn fmt(n: f64) -> String {
    crate::syntax::value::format_number(n)
}

/// The resource of `resources` a value refers to, with the poller whose source it is.
fn poller_resource<'a>(
    resources: &'a [(Key, Value)],
    value: &Value,
) -> Option<(&'static Poller, &'a Key, &'a Value)> {
    for (id, _) in referenced_ids(value) {
        let Some((k, v)) = resources.iter().find(|(k, _)| k.text == id) else {
            continue;
        };
        let ty = v.get("Type").and_then(|t| t.as_str())?;
        if let Some(p) = event_sources()
            .pollers
            .iter()
            .find(|p| p.resource_types.contains_key(ty))
        {
            return Some((p, k, v));
        }
    }
    None
}

/// The poller an ARN written out names (`arn:aws:sqs:…`).
fn poller_of_arn(value: &Value) -> Option<&'static Poller> {
    let s = match &value.kind {
        ValueKind::Str(s) => s.as_str(),
        ValueKind::Intrinsic { name, arg, .. } if name == "Fn::Sub" => arg.as_str()?,
        _ => return None,
    };
    let service = s.strip_prefix("arn:")?.split(':').nth(1)?;
    event_sources()
        .pollers
        .iter()
        .find(|p| p.arn_service == service && (service != "dynamodb" || s.contains("/stream/")))
}

/// SQS: the queue's visibility timeout must cover the function's timeout.
fn visibility(
    f: &FunctionConfig,
    queue_id: &Key,
    queue: &Value,
    span: Span,
    out: &mut Vec<Finding>,
) {
    let Some(timeout) = f.timeout_secs() else {
        return;
    };
    let node = queue.get_path(&["Properties", "VisibilityTimeout"]);
    let vis = match node.map(|n| &n.kind) {
        None => limit("sqs_default_visibility_timeout")
            .default
            .unwrap_or(30.0),
        Some(ValueKind::Num(n)) => *n,
        Some(ValueKind::Str(s)) => match s.trim().parse() {
            Ok(n) => n,
            Err(_) => return,
        },
        Some(_) => return,
    };
    if timeout <= vis {
        return;
    }
    let mut finding = Finding::new(
        &SQS_VISIBILITY_TIMEOUT,
        span,
        format!(
            "queue `{}` has a visibility timeout of {} s{}, below function `{}`'s timeout of {} s: Lambda refuses the event source mapping",
            queue_id.text,
            fmt(vis),
            if node.is_none() { " (the default)" } else { "" },
            f.name,
            fmt(timeout)
        ),
    )
    .with_related(
        None,
        node.map_or(queue_id.span.clone(), |n| n.span.clone()),
        "the queue's visibility timeout",
    );
    if let Some(n) = node {
        // AWS recommends six times the function timeout, within SQS's 12-hour maximum.
        let suggested = (timeout * 6.0).min(43_200.0).max(timeout);
        finding = finding.with_fix(Fix::replace(
            format!("Set `VisibilityTimeout` to {}", fmt(suggested)),
            n.span.clone(),
            fmt(suggested),
        ));
    }
    out.push(finding);
}

/// The batching and position settings of one event source mapping, whatever declared it.
struct MappingSettings<'a> {
    batch: Option<&'a Value>,
    start: Option<&'a Value>,
    window: Option<&'a Value>,
    /// The names the config file uses: batch size, starting position, batching window.
    names: [&'static str; 3],
    /// The tool that writes the mapping supplies a starting position when none is given.
    position_defaulted: bool,
}

fn known_number(v: &Value) -> Option<f64> {
    match &v.kind {
        ValueKind::Num(n) => Some(*n),
        ValueKind::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn is_fifo(queue: Option<&Value>, source: &Value) -> bool {
    let props = queue.and_then(|q| q.get("Properties"));
    props
        .and_then(|p| p.get("FifoQueue"))
        .is_some_and(|f| f.as_bool() == Some(true) || f.as_str() == Some("true"))
        || props
            .and_then(|p| p.get("QueueName"))
            .and_then(|n| n.as_str())
            .is_some_and(|n| n.ends_with(".fifo"))
        || source.as_str().is_some_and(|s| s.ends_with(".fifo"))
}

/// `StartingPosition` where the source needs or refuses it; SQS batch sizes (FIFO at most 10, above 10
/// only with a batching window).
fn mapping_settings(
    poller: &Poller,
    m: &MappingSettings,
    queue: Option<&Value>,
    source: &Value,
    anchor: Span,
    out: &mut Vec<Finding>,
) {
    let [batch_name, start_name, window_name] = m.names;
    match (poller.starting_position.as_deref(), m.start) {
        (Some("required"), None) if !m.position_defaulted => out.push(Finding::new(
            &EVENT_SOURCE_MAPPING,
            anchor.clone(),
            format!("a {} event source needs `{start_name}` (`TRIM_HORIZON`, `LATEST` or `AT_TIMESTAMP`)", poller.name),
        )),
        (Some("forbidden"), Some(v)) => out.push(Finding::new(
            &EVENT_SOURCE_MAPPING,
            v.span.clone(),
            format!("`{start_name}` is only for streams and Kafka: Lambda rejects it for an {}", poller.name),
        )),
        _ => {}
    }
    let Some(batch) = m.batch.and_then(|b| known_number(b).map(|n| (b, n))) else {
        return;
    };
    let (node, n) = batch;
    if let Some(max) = poller.fifo_max_batch {
        if n > max && is_fifo(queue, source) {
            out.push(Finding::new(
                &EVENT_SOURCE_MAPPING,
                node.span.clone(),
                format!(
                    "a FIFO queue delivers at most {} messages per batch; `{batch_name}` is {}",
                    fmt(max),
                    fmt(n)
                ),
            ));
            return;
        }
    }
    if let Some(max) = poller.max_batch_without_window {
        let window = m.window.map(known_number);
        let unset_or_zero = match window {
            None => true,
            Some(Some(w)) => w < 1.0,
            Some(None) => false,
        };
        if n > max && unset_or_zero {
            out.push(Finding::new(
                &EVENT_SOURCE_MAPPING,
                node.span.clone(),
                format!(
                    "a `{batch_name}` above {} needs `{window_name}` of at least 1 second",
                    fmt(max)
                ),
            ));
        }
    }
}

/// The function's own execution role when it is a role resource of the same file.
fn function_role<'a>(
    resources: &'a [(Key, Value)],
    f: &FunctionConfig,
) -> Option<(&'a Key, &'a Value)> {
    let role_field = f.role.as_ref()?;
    match (f.source, role_field.node.as_str()) {
        // serverless.yml names a role of `resources` by its logical id.
        (Source::Serverless, Some(id)) => resources
            .iter()
            .find(|(k, v)| {
                k.text == id && v.get("Type").and_then(|t| t.as_str()) == Some("AWS::IAM::Role")
            })
            .map(|(k, v)| (k, v)),
        _ => role_of(resources, role_field.node),
    }
}

fn role_permissions(
    resources: &[(Key, Value)],
    f: &FunctionConfig,
    poller: &Poller,
    span: Span,
    out: &mut Vec<Finding>,
) {
    let Some((role_id, role)) = function_role(resources, f) else {
        return;
    };
    let policies = RolePolicies::gather(resources, role_id, role);
    let Some(missing) = policies.missing(&poller.actions) else {
        return;
    };
    if missing.is_empty() {
        return;
    }
    let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
    out.push(
        Finding::new(
            &EVENT_SOURCE_PERMISSIONS,
            span,
            format!(
                "role `{}` of function `{}` does not allow {} on the {}: Lambda cannot create the event source mapping (attach `{}` or add the actions)",
                role_id.text,
                f.name,
                list.join(", "),
                poller.name,
                poller.managed_policy
            ),
        )
        .with_related(None, role_id.span.clone(), "the function's role"),
    );
}

/// Events that Lambda polls (SQS, Kinesis, DynamoDB streams) declared on the function.
fn polled_events(resources: &[(Key, Value)], f: &FunctionConfig, out: &mut Vec<Finding>) {
    for ev in &f.events {
        let (poller, source) = match f.source {
            Source::Sam => {
                let Some(p) = event_sources()
                    .pollers
                    .iter()
                    .find(|p| p.sam_event == ev.kind)
                else {
                    continue;
                };
                let prop = p.sam_property.as_str();
                (p, ev.properties.and_then(|props| props.get(prop)))
            }
            Source::Serverless => {
                let Some(props) = ev.properties else {
                    continue;
                };
                let arn = if props.as_map().is_some() && !props.is_intrinsic() {
                    props.get("arn")
                } else {
                    Some(props)
                };
                let Some(arn) = arn else {
                    continue;
                };
                let by_resource = poller_resource(resources, arn).map(|(p, _, _)| p);
                let Some(p) = by_resource
                    .or_else(|| poller_of_arn(arn))
                    .filter(|p| p.serverless_event == ev.kind)
                else {
                    continue;
                };
                (p, Some(arn))
            }
            Source::CloudFormation => continue,
        };
        let Some(source) = source else {
            continue;
        };
        let resource = poller_resource(resources, source);
        if let Some((p, key, res)) = resource {
            if p.source == "sqs" {
                visibility(f, key, res, ev.key_span.clone(), out);
            }
        }
        if let Some(props) = ev.properties.filter(|p| p.as_map().is_some()) {
            let m = if f.source == Source::Serverless {
                MappingSettings {
                    batch: props.get("batchSize"),
                    start: props.get("startingPosition"),
                    window: props.get("maximumBatchingWindow"),
                    names: ["batchSize", "startingPosition", "maximumBatchingWindow"],
                    position_defaulted: false,
                }
            } else {
                MappingSettings {
                    batch: props.get("BatchSize"),
                    start: props.get("StartingPosition"),
                    window: props.get("MaximumBatchingWindowInSeconds"),
                    names: [
                        "BatchSize",
                        "StartingPosition",
                        "MaximumBatchingWindowInSeconds",
                    ],
                    position_defaulted: false,
                }
            };
            // The framework fills in a starting position for streams itself.
            let m = MappingSettings {
                position_defaulted: f.source == Source::Serverless,
                ..m
            };
            mapping_settings(
                poller,
                &m,
                resource.map(|(_, _, r)| r),
                source,
                ev.key_span.clone(),
                out,
            );
        }
        // SAM and the Serverless Framework add the poller policy to the role they create; only an
        // explicit role (`f.role`) can lack it.
        role_permissions(resources, f, poller, ev.key_span.clone(), out);
    }
}

fn event_source_mapping(
    resources: &[(Key, Value)],
    functions: &[FunctionConfig],
    esm: &Value,
    out: &mut Vec<Finding>,
) {
    let props = esm.get("Properties");
    let Some(target) = props.and_then(|p| p.get("FunctionName")) else {
        return;
    };
    let ids = referenced_ids(target);
    let Some(f) = functions
        .iter()
        .find(|f| f.source != Source::Serverless && ids.iter().any(|(id, _)| *id == f.name))
    else {
        return;
    };
    let Some(source) = props.and_then(|p| p.get("EventSourceArn")) else {
        return;
    };
    let span = source.span.clone();
    let by_resource = poller_resource(resources, source);
    if let Some((p, qk, q)) = by_resource {
        if p.source == "sqs" {
            visibility(f, qk, q, span.clone(), out);
        }
    }
    let Some(poller) = by_resource
        .map(|(p, _, _)| p)
        .or_else(|| poller_of_arn(source))
    else {
        return;
    };
    let m = MappingSettings {
        batch: props.and_then(|p| p.get("BatchSize")),
        start: props.and_then(|p| p.get("StartingPosition")),
        window: props.and_then(|p| p.get("MaximumBatchingWindowInSeconds")),
        names: [
            "BatchSize",
            "StartingPosition",
            "MaximumBatchingWindowInSeconds",
        ],
        position_defaulted: false,
    };
    let anchor = esm
        .get_entry("Properties")
        .map_or(span.clone(), |(k, _)| k.span.clone());
    mapping_settings(
        poller,
        &m,
        by_resource.map(|(_, _, r)| r),
        source,
        anchor,
        out,
    );
    // A SAM function without `Role` gets a generated role whose policies SAM decides.
    if f.source == Source::Sam && f.role.is_none() {
        return;
    }
    role_permissions(resources, f, poller, span, out);
}

fn log_permissions(resources: &[(Key, Value)], f: &FunctionConfig, out: &mut Vec<Finding>) {
    let Some(role_field) = &f.role else {
        return;
    };
    let Some((role_id, role)) = function_role(resources, f) else {
        return;
    };
    let policies = RolePolicies::gather(resources, role_id, role);
    let Some(missing) = policies.missing(&event_sources().logs.actions) else {
        return;
    };
    if missing.is_empty() {
        return;
    }
    let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
    out.push(
        Finding::new(
            &NO_LOG_PERMISSIONS,
            role_field.span(),
            format!(
                "role `{}` does not allow {}: function `{}` runs, but its logs are silently lost (attach `AWSLambdaBasicExecutionRole`)",
                role_id.text,
                list.join(", "),
                f.name
            ),
        )
        .with_related(None, role_id.span.clone(), "the role"),
    );
}
