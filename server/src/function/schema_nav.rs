//! Reading the embedded JSON schemas for editor features: the schema of a property path, the properties
//! an object may have, the values a property may take, and a one-line summary of its constraints.

use serde_json::Value as J;

const MAX_REFS: usize = 16;

/// Follows `$ref`s (and a lone `allOf` wrapper) within `root`.
pub fn resolve<'s>(root: &'s J, schema: &'s J) -> &'s J {
    let mut s = schema;
    for _ in 0..MAX_REFS {
        if let Some(r) = s.get("$ref").and_then(J::as_str) {
            match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
                Some(t) => {
                    s = t;
                    continue;
                }
                None => return s,
            }
        }
        match s.get("allOf").and_then(J::as_array) {
            Some(all) if all.len() == 1 && s.get("properties").is_none() => s = &all[0],
            _ => break,
        }
    }
    s
}

/// The schema itself and every branch of its `allOf`/`anyOf`/`oneOf`, resolved.
pub fn branches<'s>(root: &'s J, schema: &'s J) -> Vec<&'s J> {
    let mut out = Vec::new();
    collect(root, schema, &mut out, 0);
    out
}

fn collect<'s>(root: &'s J, schema: &'s J, out: &mut Vec<&'s J>, depth: usize) {
    if depth > 8 {
        return;
    }
    let s = resolve(root, schema);
    out.push(s);
    for key in ["allOf", "anyOf", "oneOf"] {
        for b in s.get(key).and_then(J::as_array).into_iter().flatten() {
            collect(root, b, out, depth + 1);
        }
    }
}

/// The schema of property `key` of an object schema.
pub fn child<'s>(root: &'s J, schema: &'s J, key: &str) -> Option<&'s J> {
    let all = branches(root, schema);
    for b in &all {
        if let Some(s) = b.get("properties").and_then(|p| p.get(key)) {
            return Some(s);
        }
    }
    for b in &all {
        if let Some(ps) = b.get("patternProperties").and_then(J::as_object) {
            for (pat, s) in ps {
                if super::schema::regex(pat).is_some_and(|r| r.is_match(key)) {
                    return Some(s);
                }
            }
        }
    }
    all.iter()
        .find_map(|b| b.get("additionalProperties").filter(|a| a.is_object()))
}

/// The schema of an array's items.
pub fn items<'s>(root: &'s J, schema: &'s J) -> Option<&'s J> {
    branches(root, schema)
        .into_iter()
        .find_map(|b| b.get("items").filter(|i| i.is_object()))
}

/// Follows a path of keys (`"-"` for an array item): the first schema that has it.
pub fn at_path<'s>(root: &'s J, schema: &'s J, path: &[&str]) -> Option<&'s J> {
    at_path_all(root, schema, path).into_iter().next()
}

/// Follows a path of keys through every branch that has it (a SAM event's `Type` is defined once per
/// event type).
pub fn at_path_all<'s>(root: &'s J, schema: &'s J, path: &[&str]) -> Vec<&'s J> {
    let mut current = vec![schema];
    for seg in path {
        let mut next = Vec::new();
        for s in current {
            if *seg == "-" {
                next.extend(items(root, s));
                continue;
            }
            let all = branches(root, s);
            let direct: Vec<&J> = all
                .iter()
                .filter_map(|b| b.get("properties").and_then(|p| p.get(*seg)))
                .collect();
            if direct.is_empty() {
                next.extend(child(root, s, seg));
            } else {
                next.extend(direct);
            }
        }
        if next.is_empty() {
            return next;
        }
        current = next;
    }
    current
}

/// Every property an object schema defines, with its schema, in schema order.
pub fn properties<'s>(root: &'s J, schema: &'s J) -> Vec<(&'s str, &'s J)> {
    let mut out: Vec<(&str, &J)> = Vec::new();
    for b in branches(root, schema) {
        for (k, v) in b
            .get("properties")
            .and_then(J::as_object)
            .into_iter()
            .flatten()
        {
            if !out.iter().any(|(o, _)| o == k) {
                out.push((k.as_str(), v));
            }
        }
    }
    out
}

pub fn required<'s>(root: &'s J, schema: &'s J) -> Vec<&'s str> {
    let mut out = Vec::new();
    for b in branches(root, schema) {
        for r in b
            .get("required")
            .and_then(J::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(r) = r.as_str() {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
    out
}

/// The values a property may take when the schema lists them (`enum`, `const`, booleans), with the
/// description of the branch each comes from.
pub fn values<'s>(root: &'s J, schema: &'s J) -> Vec<(String, Option<&'s str>)> {
    let mut out: Vec<(String, Option<&str>)> = Vec::new();
    let mut push = |v: String, d: Option<&'s str>| {
        if !out.iter().any(|(o, _)| *o == v) {
            out.push((v, d));
        }
    };
    for b in branches(root, schema) {
        let desc = b.get("description").and_then(J::as_str);
        for v in b.get("enum").and_then(J::as_array).into_iter().flatten() {
            if let Some(s) = v.as_str() {
                push(s.to_string(), desc);
            } else if !v.is_null() {
                push(v.to_string(), desc);
            }
        }
        if let Some(c) = b.get("const").and_then(J::as_str) {
            push(c.to_string(), desc);
        }
        if b.get("type").and_then(J::as_str) == Some("boolean") {
            push("true".into(), None);
            push("false".into(), None);
        }
    }
    out
}

pub fn description<'s>(root: &'s J, schema: &'s J) -> Option<&'s str> {
    branches(root, schema)
        .into_iter()
        .find_map(|b| b.get("description").and_then(J::as_str))
        .or_else(|| schema.get("description").and_then(J::as_str))
}

fn num(n: f64) -> String {
    crate::syntax::value::format_number(n)
}

/// "integer, 128–32,768" style summary of a property's type and constraints.
pub fn summary(root: &J, schema: &J) -> String {
    let mut types: Vec<&str> = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    for b in branches(root, schema) {
        match b.get("type") {
            Some(J::String(t)) => types.push(t),
            Some(J::Array(ts)) => types.extend(ts.iter().filter_map(J::as_str)),
            _ => {}
        }
        let min = b.get("minimum").and_then(J::as_f64);
        let max = b.get("maximum").and_then(J::as_f64);
        match (min, max) {
            (Some(a), Some(z)) => parts.push(format!("{}–{}", num(a), num(z))),
            (Some(a), None) => parts.push(format!("≥ {}", num(a))),
            (None, Some(z)) => parts.push(format!("≤ {}", num(z))),
            _ => {}
        }
        if let Some(m) = b.get("maxLength").and_then(J::as_f64) {
            parts.push(format!("at most {} characters", num(m)));
        }
        if let Some(m) = b.get("maxItems").and_then(J::as_f64) {
            parts.push(format!("at most {} items", num(m)));
        }
        if let Some(p) = b.get("pattern").and_then(J::as_str) {
            if p.len() <= 80 {
                parts.push(format!("pattern `{p}`"));
            }
        }
    }
    types.dedup();
    let vals = values(root, schema);
    if !vals.is_empty() && vals.len() <= 12 && !types.contains(&"boolean") {
        let list: Vec<String> = vals.iter().map(|(v, _)| format!("`{v}`")).collect();
        parts.push(format!("one of {}", list.join(", ")));
    }
    let mut out = if types.is_empty() {
        String::new()
    } else {
        types.join(" or ")
    };
    parts.dedup();
    for p in parts {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::function::data;

    #[test]
    fn walks_the_embedded_schemas() {
        let sam = data::sam_schema();
        let mem = at_path(sam, sam, &["MemorySize"]).expect("MemorySize");
        assert!(
            summary(sam, mem).contains("integer"),
            "{}",
            summary(sam, mem)
        );
        let events = at_path(sam, sam, &["Events", "Any"]).expect("event");
        let types: Vec<String> = at_path_all(sam, events, &["Type"])
            .into_iter()
            .flat_map(|t| values(sam, t).into_iter().map(|(v, _)| v))
            .collect();
        assert!(types.contains(&"SQS".to_string()) && types.contains(&"HttpApi".to_string()));
        let lambda = data::lambda_schema();
        let mode = at_path(lambda, lambda, &["TracingConfig", "Mode"]).expect("Mode");
        let modes: Vec<String> = values(lambda, mode).into_iter().map(|(v, _)| v).collect();
        assert_eq!(modes, ["Active", "PassThrough"]);
        let sls = data::serverless_schema();
        let f = &sls["function"];
        let names: Vec<&str> = at_path(sls, f, &["events", "-"])
            .map(|e| properties(sls, e).into_iter().map(|(k, _)| k).collect())
            .unwrap_or_default();
        assert!(
            names.contains(&"http") && names.contains(&"sqs"),
            "{names:?}"
        );
        let batch = at_path(sls, f, &["events", "-", "sqs", "batchSize"]);
        assert!(batch.is_some());
    }
}
