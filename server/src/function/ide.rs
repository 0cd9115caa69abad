//! Completion and hover for function configuration: property names and values from the embedded schemas
//! (SAM, CloudFormation, SAM `Globals`, serverless.yml), runtimes newest first with their lifecycle,
//! event types and their properties; hovers with a property's constraint and Lambda's limit, and a
//! runtime's lifecycle dates and successor.

use super::data::{self, limit};
use super::runtimes;
use super::schema_nav as nav;
use crate::date::Date;
use crate::ide::{CompletionItem, CompletionKind, Hover};
use crate::syntax::{PathSeg, Value};
use crate::template::cursor::{self, Seg, Slot};
use crate::workspace::{Env, FileKind, Parsed};
use serde_json::Value as J;

/// The schemas that describe the object at a key path of a config file.
struct SchemaAt<'s> {
    root: &'s J,
    schemas: Vec<&'s J>,
    /// What the schemas describe, for hovers (`AWS::Lambda::Function`, `serverless.yml function`).
    owner: String,
}

/// A resource's `Type` from the value tree, or from the text while the tree is broken by half-typed
/// lines.
fn type_of_resource<'a>(file: &'a Parsed, id: &str) -> Option<&'a str> {
    if let Some(t) = file
        .root()
        .and_then(|r| r.get_path(&["Resources", id, "Type"]))
        .and_then(|t| t.as_str())
    {
        return Some(t);
    }
    let text: &str = &file.text;
    let mut lines = text
        .lines()
        .skip_while(|l| !l.starts_with("Resources:"))
        .skip(1);
    let mut indent = None;
    for line in lines.by_ref() {
        let trimmed = line.trim_start();
        let ind = line.len() - trimmed.len();
        if let Some(i) = indent {
            if !trimmed.is_empty() && ind <= i {
                return None;
            }
            if let Some(t) = trimmed.strip_prefix("Type:") {
                return Some(t.trim().trim_matches(['"', '\'']));
            }
        } else if trimmed.strip_suffix(':').map(str::trim_end) == Some(id) {
            indent = Some(ind);
        }
    }
    None
}

/// The type of a SAM event from the value tree, or from the text under it while the tree is broken.
fn event_type<'a>(file: &'a Parsed, id: &str, event: &str) -> Option<&'a str> {
    if let Some(t) = file
        .root()
        .and_then(|r| r.get_path(&["Resources", id, "Properties", "Events", event, "Type"]))
        .and_then(|t| t.as_str())
    {
        return Some(t);
    }
    let text: &str = &file.text;
    let at = text.find(&format!("{event}:"))?;
    let rest = &text[at..];
    let t = rest.find("Type:")?;
    rest[t + 5..].lines().next().map(str::trim)
}

fn schema_at<'s>(file: &Parsed, path: &[String]) -> Option<SchemaAt<'s>> {
    let segs: Vec<&str> = path.iter().map(String::as_str).collect();
    match (file.kind, segs.as_slice()) {
        (FileKind::Template, ["Resources", id, "Properties", rest @ ..]) => {
            let ty = type_of_resource(file, id)?;
            let root = match ty {
                "AWS::Lambda::Function" => data::lambda_schema(),
                "AWS::Serverless::Function" => data::sam_schema(),
                _ => return None,
            };
            if let (["Events", event, "Properties", tail @ ..], true) =
                (rest, ty == "AWS::Serverless::Function")
            {
                let ev = event_type(file, id, event)?;
                let def = super::events::sam_event_types()
                    .iter()
                    .find(|(t, _)| t == ev)
                    .map(|(_, d)| d)?;
                let props = root.pointer(&format!("/definitions/{def}Properties"))?;
                return Some(SchemaAt {
                    root,
                    schemas: nav::at_path_all(root, props, tail),
                    owner: format!("SAM `{ev}` event"),
                });
            }
            Some(SchemaAt {
                root,
                schemas: nav::at_path_all(root, root, rest),
                owner: format!("`{ty}`"),
            })
        }
        (FileKind::Template, ["Globals", rest @ ..]) => {
            let root = data::globals_schema();
            Some(SchemaAt {
                root,
                schemas: nav::at_path_all(root, root, rest),
                owner: "SAM `Globals`".into(),
            })
        }
        (FileKind::Serverless, ["functions", _, rest @ ..]) => {
            let root = data::serverless_schema();
            let f = root.get("function")?;
            Some(SchemaAt {
                root,
                schemas: nav::at_path_all(root, f, rest),
                owner: "serverless.yml function".into(),
            })
        }
        (FileKind::Serverless, ["provider", rest @ ..]) => {
            let root = data::serverless_schema();
            let p = root.get("provider")?;
            Some(SchemaAt {
                root,
                schemas: nav::at_path_all(root, p, rest),
                owner: "serverless.yml `provider`".into(),
            })
        }
        _ => None,
    }
}

fn is_runtime_key(file: &Parsed, path: &[String], key: &str) -> bool {
    let segs: Vec<&str> = path.iter().map(String::as_str).collect();
    match file.kind {
        FileKind::Template => {
            key == "Runtime"
                && match segs.as_slice() {
                    ["Resources", id, "Properties"] => matches!(
                        type_of_resource(file, id),
                        Some("AWS::Lambda::Function" | "AWS::Serverless::Function")
                    ),
                    ["Globals", "Function"] => true,
                    _ => false,
                }
        }
        FileKind::Serverless => {
            key == "runtime" && matches!(segs.as_slice(), ["functions", _] | ["provider"])
        }
        _ => false,
    }
}

fn path_strings(path: &[Seg]) -> Vec<String> {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => k.clone(),
            Seg::Item => "-".into(),
        })
        .collect()
}

/// Completion items for function configuration at `offset`.
pub fn completion(file: &Parsed, offset: usize, env: &Env) -> Vec<CompletionItem> {
    if !matches!(file.kind, FileKind::Template | FileKind::Serverless)
        || offset > file.text.len()
        || !file.text.is_char_boundary(offset)
    {
        return Vec::new();
    }
    if file.lang == Some(crate::syntax::Lang::Json) {
        return json_completion(file, offset, env);
    }
    let Some(cur) = cursor::at(&file.text, offset) else {
        return Vec::new();
    };
    // Intrinsic functions (`!Ref …`) belong to the template navigation.
    let line_start = file.text[..offset].rfind('\n').map_or(0, |i| i + 1);
    if file.text[line_start..offset].contains('!') || cur.prefix.contains("${") {
        return Vec::new();
    }
    items_for(file, &cur, offset, env)
}

/// The same completions in a JSON template, located through the (tolerant) value tree; keys and string
/// values keep their quotes.
fn json_completion(file: &Parsed, offset: usize, env: &Env) -> Vec<CompletionItem> {
    let Some(root) = file.root() else {
        return Vec::new();
    };
    let nodes = root.nodes_at(offset);
    let Some((path, node)) = nodes.last() else {
        return Vec::new();
    };
    let mut segs = Vec::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) => segs.push(Seg::Key(k.clone())),
            PathSeg::Index(_) => segs.push(Seg::Item),
            PathSeg::Intrinsic(_) => return Vec::new(),
        }
    }
    let text: &str = &file.text;
    let inner = |span: &crate::text::Span| {
        let raw = &text[span.clone()];
        let start = span.start + usize::from(raw.starts_with('"'));
        let end = if raw.len() > 1 && raw.ends_with('"') {
            span.end - 1
        } else {
            span.end
        };
        start..end.max(start)
    };
    let cur = match path.last() {
        Some(PathSeg::Key(k)) => {
            let Some(parent) = nodes.len().checked_sub(2).and_then(|i| nodes.get(i)) else {
                return Vec::new();
            };
            let Some((key, _)) = parent.1.get_entry(k) else {
                return Vec::new();
            };
            segs.pop();
            if key.span.start <= offset && offset <= key.span.end {
                cursor::Cursor {
                    path: segs,
                    slot: Slot::Key,
                    prefix: {
                        let r = inner(&key.span);
                        text[r.start..offset.clamp(r.start, r.end)].to_string()
                    },
                    replace: key.span.clone(),
                }
            } else if node.as_str().is_some() {
                let r = inner(&node.span);
                cursor::Cursor {
                    path: segs,
                    slot: Slot::Value {
                        key: k.clone(),
                        in_list: false,
                    },
                    prefix: text[r.start..offset.clamp(r.start, r.end)].to_string(),
                    replace: r,
                }
            } else {
                return Vec::new();
            }
        }
        Some(PathSeg::Index(_)) if node.as_str().is_some() => {
            segs.pop();
            let Some(Seg::Key(k)) = segs.pop() else {
                return Vec::new();
            };
            let r = inner(&node.span);
            cursor::Cursor {
                path: segs,
                slot: Slot::Value {
                    key: k,
                    in_list: true,
                },
                prefix: text[r.start..offset.clamp(r.start, r.end)].to_string(),
                replace: r,
            }
        }
        _ => return Vec::new(),
    };
    let mut items = items_for(file, &cur, offset, env);
    if cur.slot == Slot::Key {
        let has_colon = text[cur.replace.end..].trim_start().starts_with(':');
        for item in &mut items {
            item.insert_text = format!("\"{}\"{}", item.label, if has_colon { "" } else { ": " });
            item.filter_text = Some(format!("\"{}\"", item.label));
        }
    } else {
        for item in &mut items {
            item.insert_text = item.label.clone();
        }
    }
    items
}

fn items_for(file: &Parsed, cur: &cursor::Cursor, offset: usize, env: &Env) -> Vec<CompletionItem> {
    let path = path_strings(&cur.path);
    let today = env.config.today();
    // Values right after `Key:` need a space before them.
    let lead = if file.text[..cur.replace.start].ends_with(':') {
        " "
    } else {
        ""
    };
    match &cur.slot {
        Slot::Value { key, in_list } => {
            if is_runtime_key(file, &path, key) && !in_list {
                return runtime_items(today, cur.replace.clone(), lead);
            }
            let segs: Vec<&str> = path.iter().map(String::as_str).collect();
            if file.kind == FileKind::Serverless
                && key == "events"
                && matches!(segs.as_slice(), ["functions", _])
            {
                // `- ht|` in a function's events: the event type is being typed.
                let mut p = path.clone();
                p.push("events".into());
                p.push("-".into());
                return key_items(file, &p, cur.replace.clone(), &[]);
            }
            let mut p = path.clone();
            p.push(key.clone());
            if *in_list {
                p.push("-".into());
            }
            value_items(file, &p, cur.replace.clone(), lead)
        }
        Slot::Key => {
            let present = present_keys(file, &path, offset);
            key_items(file, &path, cur.replace.clone(), &present)
        }
    }
}

/// The keys already in the mapping being edited: from the value tree, or from the text (the lines at the
/// cursor's indentation within its block) while the tree is broken.
fn present_keys(file: &Parsed, path: &[String], offset: usize) -> Vec<String> {
    let from_tree = present_keys_in_tree(file, path);
    if !from_tree.is_empty() {
        return from_tree;
    }
    let text: &str = &file.text;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..].len() - text[line_start..].trim_start_matches(' ').len();
    let key_at = |line: &str| -> Option<Option<String>> {
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return Some(None);
        }
        let ind = line.len() - trimmed.len();
        if ind < indent || trimmed.starts_with("- ") && ind == indent {
            return None;
        }
        if ind > indent {
            return Some(None);
        }
        Some(trimmed.split_once(':').map(|(k, _)| k.trim().to_string()))
    };
    let mut out = Vec::new();
    for line in text[..line_start].lines().rev() {
        match key_at(line) {
            None => break,
            Some(k) => out.extend(k),
        }
    }
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    for line in text[line_end..].lines().skip(1) {
        match key_at(line) {
            None => break,
            Some(k) => out.extend(k),
        }
    }
    out
}

fn present_keys_in_tree(file: &Parsed, path: &[String]) -> Vec<String> {
    let Some(root) = file.root() else {
        return Vec::new();
    };
    let mut node = root;
    for seg in path {
        let next = if seg == "-" {
            // The item being edited is not known here: do not filter.
            return Vec::new();
        } else {
            node.get(seg)
        };
        match next {
            Some(n) => node = n,
            None => return Vec::new(),
        }
    }
    node.as_map()
        .unwrap_or_default()
        .iter()
        .map(|(k, _)| k.text.clone())
        .collect()
}

fn runtime_items(today: Date, replace: crate::text::Span, lead: &str) -> Vec<CompletionItem> {
    runtimes::newest_first(today)
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let status = r.status(today);
            let mut item =
                CompletionItem::new(r.id.clone(), CompletionKind::Value, replace.clone());
            item.detail = Some(r.lifecycle_line(today));
            item.documentation = Some(r.markdown(today));
            item.sort_text = Some(format!("{i:03}"));
            item.insert_text = format!("{lead}{}", r.id);
            item.filter_text = Some(r.id.clone());
            item.deprecated = status >= runtimes::Status::Deprecated;
            item
        })
        .collect()
}

fn key_items(
    file: &Parsed,
    path: &[String],
    replace: crate::text::Span,
    present: &[String],
) -> Vec<CompletionItem> {
    let Some(at) = schema_at(file, path) else {
        return Vec::new();
    };
    let events_list = path.last().is_some_and(|l| l == "-")
        && path.len() >= 2
        && path[path.len() - 2] == "events";
    let mut required = Vec::new();
    let mut props: Vec<(&str, &J)> = Vec::new();
    for s in &at.schemas {
        required.extend(nav::required(at.root, s));
        for (k, v) in nav::properties(at.root, s) {
            if !props.iter().any(|(o, _)| *o == k) {
                props.push((k, v));
            }
        }
    }
    let read_only = read_only_properties(at.root, path);
    props
        .into_iter()
        .filter(|(k, _)| !present.iter().any(|p| p == k) && !read_only.contains(k))
        .map(|(k, v)| {
            let kind = if events_list {
                CompletionKind::Event
            } else {
                CompletionKind::Property
            };
            let mut item = CompletionItem::new(k, kind, replace.clone());
            let summary = nav::summary(at.root, v);
            item.detail = Some(if summary.chars().count() > 80 {
                format!("{}…", summary.chars().take(79).collect::<String>())
            } else {
                summary
            });
            item.documentation = Some(property_markdown(at.root, v, k, &at.owner));
            item.insert_text = format!("{k}: ");
            item.sort_text = Some(format!(
                "{}{k}",
                if required.contains(&k) { "0" } else { "1" }
            ));
            item
        })
        .collect()
}

/// Read-only (output) properties at the top of a resource schema: not something to write.
fn read_only_properties<'s>(root: &'s J, path: &[String]) -> Vec<&'s str> {
    if path.len() != 3 {
        return Vec::new();
    }
    root.get("readOnlyProperties")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str()?.strip_prefix("/properties/"))
        .filter(|p| !p.contains('/'))
        .collect()
}

fn value_items(
    file: &Parsed,
    path: &[String],
    replace: crate::text::Span,
    lead: &str,
) -> Vec<CompletionItem> {
    let Some(mut at) = schema_at(file, path) else {
        return Vec::new();
    };
    // SAM passes many properties through to `AWS::Lambda::Function`, whose schema lists their values.
    let no_values = at
        .schemas
        .iter()
        .all(|sc| nav::values(at.root, sc).is_empty());
    let segs: Vec<&str> = path.iter().map(String::as_str).collect();
    let pass_through = match segs.as_slice() {
        ["Resources", _, "Properties", rest @ ..] | ["Globals", "Function", rest @ ..]
            if rest.first() != Some(&"Events") =>
        {
            Some(rest)
        }
        _ => None,
    };
    if let (true, Some(rest)) = (no_values, pass_through) {
        let lambda = data::lambda_schema();
        at = SchemaAt {
            root: lambda,
            schemas: nav::at_path_all(lambda, lambda, rest),
            owner: at.owner,
        };
    }
    let mut out: Vec<CompletionItem> = Vec::new();
    let is_event_type =
        path.len() >= 3 && path[path.len() - 1] == "Type" && path[path.len() - 3] == "Events";
    for s in &at.schemas {
        for (v, desc) in nav::values(at.root, s) {
            if out.iter().any(|o| o.label == v) {
                continue;
            }
            let kind = if is_event_type {
                CompletionKind::Event
            } else {
                CompletionKind::EnumMember
            };
            let mut item = CompletionItem::new(v.clone(), kind, replace.clone());
            item.insert_text = format!("{lead}{v}");
            item.filter_text = Some(v.clone());
            if is_event_type {
                let def = super::events::sam_event_types()
                    .iter()
                    .find(|(t, _)| *t == v)
                    .map(|(_, d)| d.clone());
                item.documentation = def
                    .and_then(|d| {
                        at.root
                            .pointer(&format!("/definitions/{d}Properties/description"))
                    })
                    .and_then(J::as_str)
                    .map(str::to_string);
                item.detail = Some("SAM event type".into());
            } else {
                item.documentation = desc.map(|d| first_paragraph(d, 600));
            }
            out.push(item);
        }
    }
    out
}

fn first_paragraph(text: &str, max: usize) -> String {
    let para = text.split("\n\n").next().unwrap_or(text).trim();
    if para.chars().count() > max {
        format!("{}…", para.chars().take(max).collect::<String>())
    } else {
        para.to_string()
    }
}

/// Markdown for a property: its description, the schema's constraint, and Lambda's limit.
fn property_markdown(root: &J, schema: &J, key: &str, owner: &str) -> String {
    let mut out = format!("**{key}** ({owner})\n\n");
    if let Some(d) = nav::description(root, schema) {
        out.push_str(&first_paragraph(d, 1200));
        out.push_str("\n\n");
    }
    let summary = nav::summary(root, schema);
    if !summary.is_empty() {
        out.push_str(&format!("**Schema**: {summary}\n\n"));
    }
    if let Some(l) = limit_markdown(key) {
        out.push_str(&l);
    }
    out.trim_end().to_string()
}

fn limit_name(key: &str) -> Option<&'static str> {
    Some(match key {
        "MemorySize" | "memorySize" => "memory_size",
        "Timeout" | "timeout" => "timeout",
        "EphemeralStorage" | "ephemeralStorageSize" => "ephemeral_storage",
        "Layers" | "layers" => "layers",
        "Environment" | "environment" | "Variables" => "environment_size",
        "FunctionName" => "function_name",
        "Handler" | "handler" => "handler",
        "Description" | "description" => "description",
        "ReservedConcurrentExecutions" | "reservedConcurrency" => "reserved_concurrency",
        _ => return None,
    })
}

fn n(x: f64) -> String {
    let s = crate::syntax::value::format_number(x);
    // Thousands separators for readability (10,240).
    if x.fract() == 0.0 && x.abs() >= 10_000.0 {
        let digits: Vec<char> = s.chars().collect();
        let mut out = String::new();
        for (i, c) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(*c);
        }
        out
    } else {
        s
    }
}

/// Lambda's limit for a property, with its source and date, from the embedded limits data.
pub fn limit_markdown(key: &str) -> Option<String> {
    let name = limit_name(key)?;
    let l = limit(name);
    let unit = l
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let mut parts = Vec::new();
    match (l.min, l.max) {
        (Some(a), Some(z)) => parts.push(format!("{}–{}{unit}", n(a), n(z))),
        (None, Some(z)) => parts.push(format!("at most {}{unit}", n(z))),
        (Some(a), None) => parts.push(format!("at least {}{unit}", n(a))),
        _ => {}
    }
    if let (Some(p), Some(on)) = (l.previous_max, &l.raised_on) {
        parts.push(format!("raised from {}{unit} on {on}", n(p)));
    }
    if let Some(m) = l.max_capacity_provider {
        parts.push(format!(
            "up to {}{unit} with Lambda Managed Instances (`CapacityProviderConfig`)",
            n(m)
        ));
    }
    if let Some(m) = l.max_accelerator {
        parts.push(format!("up to {}{unit} with `AcceleratorConfig`", n(m)));
    }
    if let Some(m) = l.max_arn {
        parts.push(format!("{} characters as an ARN", n(m)));
    }
    if let Some(d) = l.default {
        parts.push(format!("default {}{unit}", n(d)));
    }
    if let Some(u) = l.unreserved_minimum {
        parts.push(format!("the account keeps {} unreserved", n(u)));
    }
    if let Some(p) = &l.pattern {
        parts.push(format!("pattern `{p}`"));
    }
    if name == "environment_size" {
        if let Some(p) = &limit("environment_key").pattern {
            parts.push(format!("names match `{p}`"));
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "**Lambda limit**: {}\n\n_Source: {} (read {})._",
        parts.join("; "),
        l.source,
        l.date
    ))
}

/// Hover over a function property or a runtime.
pub fn hover(file: &Parsed, offset: usize, env: &Env) -> Option<Hover> {
    if !matches!(file.kind, FileKind::Template | FileKind::Serverless) {
        return None;
    }
    let root = file.root()?;
    let nodes = root.nodes_at(offset);
    let (path, node) = nodes.last()?;
    let mut keys: Vec<String> = Vec::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) => keys.push(k.clone()),
            PathSeg::Index(_) => keys.push("-".into()),
            PathSeg::Intrinsic(_) => return None,
        }
    }
    let (last, parent_path) = keys.split_last()?;
    let parent = nodes.get(nodes.len().checked_sub(2)?)?.1;
    let on_key = parent
        .get_entry(last)
        .is_some_and(|(k, _)| k.span.start <= offset && offset <= k.span.end);
    if on_key {
        return property_hover(file, &keys, parent, last);
    }
    value_hover(file, parent_path, last, node, env)
}

fn property_hover(file: &Parsed, keys: &[String], parent: &Value, key: &str) -> Option<Hover> {
    let at = schema_at(file, keys)?;
    let schema = at.schemas.first()?;
    let span = parent.get_entry(key)?.0.span.clone();
    Some(Hover {
        markdown: property_markdown(at.root, schema, key, &at.owner),
        span,
    })
}

fn value_hover(
    file: &Parsed,
    parent_path: &[String],
    key: &str,
    node: &Value,
    env: &Env,
) -> Option<Hover> {
    let text = node.as_str()?;
    // A runtime; in a list (`- python3.13`) the key is the list's.
    if is_runtime_key(file, parent_path, key) {
        let markdown = match runtimes::get(text) {
            Some(r) => r.markdown(env.config.today()),
            None => format!("`{text}` is not a Lambda runtime identifier."),
        };
        return Some(Hover {
            markdown,
            span: node.span.clone(),
        });
    }
    if key == "Type" && parent_path.len() >= 2 && parent_path[parent_path.len() - 2] == "Events" {
        let def = super::events::sam_event_types()
            .iter()
            .find(|(t, _)| t == text)
            .map(|(_, d)| d)?;
        let desc = data::sam_schema()
            .pointer(&format!("/definitions/{def}Properties/description"))
            .and_then(J::as_str)
            .unwrap_or("");
        return Some(Hover {
            markdown: format!(
                "**{text}** (SAM event type)\n\n{}",
                first_paragraph(desc, 1200)
            ),
            span: node.span.clone(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::workspace::{parse, Env, Files};
    use std::path::Path;
    use std::sync::Arc;

    pub fn complete(src: &str) -> Vec<CompletionItem> {
        complete_in("template.yaml", src)
    }

    fn complete_in(name: &str, src: &str) -> Vec<CompletionItem> {
        let offset = src.find('|').expect("cursor");
        let text = src.replacen('|', "", 1);
        let file = parse(&Path::new("/p").join(name), Arc::from(text.as_str()), None);
        let config = Config::default();
        let files = Files::new();
        let env = Env {
            config: &config,
            files: &files,
        };
        completion(&file, offset, &env)
    }

    #[test]
    fn event_type_values() {
        let got = complete("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Events:\n        Jobs:\n          Type: SQ|\n          Properties:\n            Bat\n");
        let labels: Vec<&str> = got.iter().map(|i| i.label.as_str()).collect();
        assert!(labels.contains(&"SQS"), "{labels:?}");
    }

    fn labels(items: &[CompletionItem]) -> Vec<&str> {
        items.iter().map(|i| i.label.as_str()).collect()
    }

    #[test]
    fn json_templates_complete_too() {
        let got = complete_in("template.json", "{\"Resources\": {\"Fn\": {\"Type\": \"AWS::Lambda::Function\", \"Properties\": {\"Runtime\": \"py|\"}}}}");
        let py = got
            .iter()
            .find(|i| i.label == "python3.13")
            .expect("runtime");
        assert_eq!(py.insert_text, "python3.13");
        let got = complete_in("template.json", "{\"Resources\": {\"Fn\": {\"Type\": \"AWS::Lambda::Function\", \"Properties\": {\"Runtime\": \"python3.13\", \"Mem|");
        let mem = got.iter().find(|i| i.label == "MemorySize").expect("key");
        assert_eq!(mem.insert_text, "\"MemorySize\": ");
        assert!(!labels(&got).contains(&"Runtime"));
    }

    #[test]
    fn serverless_globals_and_lists() {
        let got = complete_in("serverless.yml", "service: s\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: app.h\n    events:\n      - ht|\n");
        assert!(
            labels(&got).contains(&"http") && labels(&got).contains(&"httpApi"),
            "{:?}",
            labels(&got)
        );
        assert!(got.iter().all(|i| i.kind == CompletionKind::Event));
        let got = complete_in(
            "serverless.yml",
            "service: s\nprovider:\n  name: aws\n  runtime: |\n",
        );
        assert!(labels(&got).contains(&"nodejs24.x"));
        let got = complete_in(
            "serverless.yml",
            "service: s\nprovider:\n  name: aws\nfunctions:\n  a:\n    architecture: |\n",
        );
        assert_eq!(labels(&got), ["arm64", "x86_64"]);
        let got = complete("Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Timeout: 3\n    Mem|\nResources: {}\n");
        assert!(labels(&got).contains(&"MemorySize"));
        let got = complete("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Architectures:\n        - |\n");
        assert_eq!(labels(&got), ["x86_64", "arm64"]);
        // Not a function resource: nothing from these schemas.
        let got = complete(
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Runtime: |\n",
        );
        assert!(got.is_empty());
    }
}
