//! A JSON-schema validator over the span-carrying value tree, for the embedded resource schemas: types,
//! enums, required and unknown properties (with "did you mean"), bounds, lengths, patterns, `$ref`,
//! `allOf`/`anyOf`/`oneOf`. CloudFormation's leniency is kept: numbers may be written as strings and
//! scalars are strings. Intrinsics are values we cannot know, so they are never wrong.

use crate::rules::Fix;
use crate::syntax::{Value, ValueKind};
use crate::text::Span;
use serde_json::Value as J;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// A property the schema does not define.
    Unknown,
    /// A required property that is absent.
    Missing,
    /// A wrong type, enum value, bound, length or pattern.
    Invalid,
}

#[derive(Clone, Debug)]
pub struct Issue {
    pub kind: IssueKind,
    pub span: Span,
    pub message: String,
    pub fixes: Vec<Fix>,
    /// The property path from the validated root (`Events.Api.Properties.Path`).
    pub path: String,
}

/// What to validate against, and which top-level properties other checks own.
pub struct Validator<'s> {
    pub root: &'s J,
    /// Property paths (dotted, from the validated root) that dedicated checks report on.
    pub skip: &'s [&'s str],
    /// SAM treats a `null` (`~`) value as not set; CloudFormation rejects it.
    pub null_ok: bool,
}

const MAX_DEPTH: usize = 40;

impl<'s> Validator<'s> {
    /// Validates `value` against `schema` (a node of `self.root`). `owner` is the span missing properties
    /// are reported on (the key that holds the object).
    pub fn validate(&self, schema: &'s J, value: &Value, owner: Span, out: &mut Vec<Issue>) {
        self.check(schema, value, &owner, "", out, 0);
    }

    fn resolve(&self, schema: &'s J) -> &'s J {
        let mut s = schema;
        for _ in 0..8 {
            match s.get("$ref").and_then(J::as_str) {
                Some(r) => match r.strip_prefix("#/") {
                    Some(ptr) => {
                        let ptr = format!("/{}", ptr);
                        match self.root.pointer(&ptr) {
                            Some(t) => s = t,
                            None => return &J::Bool(true),
                        }
                    }
                    None => return &J::Bool(true),
                },
                None => break,
            }
        }
        s
    }

    fn check(
        &self,
        schema: &'s J,
        value: &Value,
        owner: &Span,
        path: &str,
        out: &mut Vec<Issue>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH
            || value.is_intrinsic()
            || self.skip.contains(&path)
            || (self.null_ok && matches!(value.kind, ValueKind::Null))
        {
            return;
        }
        let schema = self.resolve(schema);
        let obj = match schema {
            J::Bool(false) => {
                out.push(issue(
                    IssueKind::Invalid,
                    value.span.clone(),
                    path,
                    "this property is not allowed here".into(),
                ));
                return;
            }
            J::Object(o) => o,
            _ => return,
        };
        // A key whose `$ref` sits beside other keywords: validate the target too.
        if let Some(all) = obj.get("allOf").and_then(J::as_array) {
            for s in all {
                self.check(s, value, owner, path, out, depth + 1);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(branches) = obj.get(key).and_then(J::as_array) {
                self.any_of(branches, value, owner, path, out, depth);
            }
        }
        if let Some(types) = obj.get("type") {
            let wanted: Vec<&str> = match types {
                J::String(t) => vec![t.as_str()],
                J::Array(ts) => ts.iter().filter_map(J::as_str).collect(),
                _ => Vec::new(),
            };
            if !wanted.is_empty() && !wanted.iter().any(|t| type_matches(t, value)) {
                if !is_unknown_text(value) {
                    out.push(issue(
                        IssueKind::Invalid,
                        value.span.clone(),
                        path,
                        format!(
                            "expected {}, found {}",
                            describe_types(&wanted),
                            describe(value)
                        ),
                    ));
                }
                return;
            }
        }
        if let Some(choices) = obj.get("enum").and_then(J::as_array) {
            self.check_enum(choices, value, path, out);
        }
        if let Some(c) = obj.get("const") {
            self.check_enum(std::slice::from_ref(c), value, path, out);
        }
        match &value.kind {
            ValueKind::Map(entries) => {
                self.check_object(obj, value, entries, owner, path, out, depth)
            }
            ValueKind::Seq(items) => {
                let n = items.len() as f64;
                if let Some(min) = obj.get("minItems").and_then(J::as_f64) {
                    if n < min {
                        out.push(issue(
                            IssueKind::Invalid,
                            value.span.clone(),
                            path,
                            format!("needs at least {min} item{}", plural(min)),
                        ));
                    }
                }
                if let Some(max) = obj.get("maxItems").and_then(J::as_f64) {
                    if n > max {
                        out.push(issue(
                            IssueKind::Invalid,
                            value.span.clone(),
                            path,
                            format!("allows at most {max} item{}, found {n}", plural(max)),
                        ));
                    }
                }
                if obj.get("uniqueItems") == Some(&J::Bool(true)) {
                    for (i, item) in items.iter().enumerate() {
                        if item.is_intrinsic() {
                            continue;
                        }
                        let j = item.to_json();
                        if items[..i]
                            .iter()
                            .any(|p| !p.is_intrinsic() && p.to_json() == j)
                        {
                            out.push(issue(
                                IssueKind::Invalid,
                                item.span.clone(),
                                path,
                                "duplicate item".into(),
                            ));
                        }
                    }
                }
                if let Some(item_schema) = obj.get("items") {
                    for item in items {
                        self.check(item_schema, item, &item.span, path, out, depth + 1);
                    }
                }
            }
            _ => self.check_scalar(obj, value, path, out),
        }
    }

    fn any_of(
        &self,
        branches: &'s [J],
        value: &Value,
        owner: &Span,
        path: &str,
        out: &mut Vec<Issue>,
        depth: usize,
    ) {
        let mut best: Option<(usize, Vec<Issue>)> = None;
        for b in branches {
            let mut tmp = Vec::new();
            self.check(b, value, owner, path, &mut tmp, depth + 1);
            if tmp.is_empty() {
                return;
            }
            // A branch whose type fits the value explains the problem better than one that does not.
            let fits = self.branch_type_fits(b, value);
            let score = usize::from(!fits) * 1000 + tmp.len();
            if best.as_ref().is_none_or(|(s, _)| score < *s) {
                best = Some((score, tmp));
            }
        }
        if let Some((_, issues)) = best {
            out.extend(issues);
        }
    }

    fn branch_type_fits(&self, branch: &'s J, value: &Value) -> bool {
        let b = self.resolve(branch);
        match b.get("type") {
            Some(J::String(t)) => type_matches(t, value),
            Some(J::Array(ts)) => ts
                .iter()
                .filter_map(J::as_str)
                .any(|t| type_matches(t, value)),
            _ => true,
        }
    }

    fn check_enum(&self, choices: &[J], value: &Value, path: &str, out: &mut Vec<Issue>) {
        let Some(text) = value.scalar_text() else {
            return;
        };
        if is_unknown_text(value) {
            return;
        }
        let names: Vec<String> = choices
            .iter()
            .map(|c| match c {
                J::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        if names.contains(&text) {
            return;
        }
        let suggestions = crate::suggest::closest(&text, names.iter().map(String::as_str), 3);
        let shown: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
        let mut message = format!(
            "`{text}` is not one of {}{}",
            shown.join(", "),
            if names.len() > 12 { ", …" } else { "" }
        );
        if let Some(s) = suggestions.first() {
            message.push_str(&format!("; did you mean `{s}`?"));
        }
        let mut i = issue(IssueKind::Invalid, value.span.clone(), path, message);
        i.fixes = suggestions
            .iter()
            .enumerate()
            .map(|(n, s)| Fix {
                preferred: n == 0,
                ..Fix::replace(
                    format!("Change to `{s}`"),
                    value.span.clone(),
                    s.to_string(),
                )
            })
            .collect();
        out.push(i);
    }

    #[allow(clippy::too_many_arguments)]
    fn check_object(
        &self,
        obj: &'s serde_json::Map<String, J>,
        value: &Value,
        entries: &[(crate::syntax::Key, Value)],
        owner: &Span,
        path: &str,
        out: &mut Vec<Issue>,
        depth: usize,
    ) {
        let props = obj.get("properties").and_then(J::as_object);
        if let Some(required) = obj.get("required").and_then(J::as_array) {
            let missing: Vec<&str> = required
                .iter()
                .filter_map(J::as_str)
                .filter(|r| !entries.iter().any(|(k, _)| k.text == *r))
                .collect();
            if !missing.is_empty() {
                let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
                out.push(issue(
                    IssueKind::Missing,
                    owner.clone(),
                    path,
                    format!(
                        "missing required propert{} {}",
                        if missing.len() == 1 { "y" } else { "ies" },
                        list.join(", ")
                    ),
                ));
            }
        }
        let patterns = obj.get("patternProperties").and_then(J::as_object);
        for (k, v) in entries {
            let child_path = if path.is_empty() {
                k.text.clone()
            } else {
                format!("{path}.{}", k.text)
            };
            if let Some(s) = props.and_then(|p| p.get(&k.text)) {
                self.check(s, v, &k.span, &child_path, out, depth + 1);
                continue;
            }
            let by_pattern = patterns.and_then(|ps| {
                ps.iter()
                    .find(|(pat, _)| regex(pat).is_some_and(|r| r.is_match(&k.text)))
            });
            if let Some((_, s)) = by_pattern {
                self.check(s, v, &k.span, &child_path, out, depth + 1);
                continue;
            }
            // A pattern this engine cannot compile (look-around) might have matched: never guess.
            if patterns.is_some_and(|ps| ps.keys().any(|pat| regex(pat).is_none())) {
                continue;
            }
            match obj.get("additionalProperties") {
                Some(J::Bool(false)) => {
                    if self.skip.contains(&child_path.as_str()) {
                        continue;
                    }
                    let known: Vec<&str> = props
                        .map(|p| p.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let suggestions = crate::suggest::closest(&k.text, known.iter().copied(), 3);
                    let mut message = format!("unknown property `{}`", k.text);
                    if let Some(s) = suggestions.first() {
                        message.push_str(&format!("; did you mean `{s}`?"));
                    } else if !known.is_empty() && known.len() <= 12 {
                        let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                        message.push_str(&format!(" (expected one of {})", list.join(", ")));
                    }
                    let mut i = issue(IssueKind::Unknown, k.span.clone(), &child_path, message);
                    i.fixes = suggestions
                        .iter()
                        .enumerate()
                        .map(|(n, s)| Fix {
                            preferred: n == 0,
                            ..Fix::replace(
                                format!("Rename to `{s}`"),
                                k.span.clone(),
                                s.to_string(),
                            )
                        })
                        .collect();
                    out.push(i);
                }
                Some(s @ J::Object(_)) => self.check(s, v, &k.span, &child_path, out, depth + 1),
                _ => {}
            }
        }
        let _ = value;
    }

    fn check_scalar(
        &self,
        obj: &serde_json::Map<String, J>,
        value: &Value,
        path: &str,
        out: &mut Vec<Issue>,
    ) {
        if is_unknown_text(value) {
            return;
        }
        let number = match &value.kind {
            ValueKind::Num(n) => Some(*n),
            ValueKind::Str(s) if obj.get("type").is_some_and(|t| t != "string") => {
                s.trim().parse().ok()
            }
            _ => None,
        };
        if let Some(n) = number {
            if let Some(min) = obj.get("minimum").and_then(J::as_f64) {
                if n < min {
                    out.push(issue(
                        IssueKind::Invalid,
                        value.span.clone(),
                        path,
                        format!("{} is below the minimum {}", fmt(n), fmt(min)),
                    ));
                }
            }
            if let Some(max) = obj.get("maximum").and_then(J::as_f64) {
                if n > max {
                    out.push(issue(
                        IssueKind::Invalid,
                        value.span.clone(),
                        path,
                        format!("{} is above the maximum {}", fmt(n), fmt(max)),
                    ));
                }
            }
        }
        if let ValueKind::Str(s) = &value.kind {
            let len = s.chars().count() as f64;
            if let Some(min) = obj.get("minLength").and_then(J::as_f64) {
                if len < min {
                    out.push(issue(
                        IssueKind::Invalid,
                        value.span.clone(),
                        path,
                        format!(
                            "must be at least {} character{} long",
                            fmt(min),
                            plural(min)
                        ),
                    ));
                }
            }
            if let Some(max) = obj.get("maxLength").and_then(J::as_f64) {
                if len > max {
                    out.push(issue(
                        IssueKind::Invalid,
                        value.span.clone(),
                        path,
                        format!(
                            "is {} characters long, over the limit of {}",
                            fmt(len),
                            fmt(max)
                        ),
                    ));
                }
            }
            if let Some(pat) = obj.get("pattern").and_then(J::as_str) {
                if let Some(re) = regex(pat) {
                    if !re.is_match(s) {
                        out.push(issue(
                            IssueKind::Invalid,
                            value.span.clone(),
                            path,
                            format!("`{s}` does not match the pattern `{pat}`"),
                        ));
                    }
                }
            }
        }
    }
}

fn issue(kind: IssueKind, span: Span, path: &str, message: String) -> Issue {
    Issue {
        kind,
        span,
        message,
        fixes: Vec::new(),
        path: path.to_string(),
    }
}

/// Values only known at deploy time: `${…}` substitutions in plain strings (serverless variables).
fn is_unknown_text(value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.contains("${"))
}

fn plural(n: f64) -> &'static str {
    if n == 1.0 {
        ""
    } else {
        "s"
    }
}

fn fmt(n: f64) -> String {
    crate::syntax::value::format_number(n)
}

/// CloudFormation's type leniency: it converts scalars to the declared type when it can.
pub fn type_matches(t: &str, value: &Value) -> bool {
    match (&value.kind, t) {
        (ValueKind::Intrinsic { .. }, _) => true,
        (ValueKind::Map(_), "object") | (ValueKind::Seq(_), "array") => true,
        (ValueKind::Str(_) | ValueKind::Num(_) | ValueKind::Bool(_), "string") => true,
        (ValueKind::Num(n), "integer") => n.fract() == 0.0,
        (ValueKind::Num(_), "number") => true,
        (ValueKind::Str(s), "integer") => s.trim().parse::<i64>().is_ok() || s.contains("${"),
        (ValueKind::Str(s), "number") => s.trim().parse::<f64>().is_ok() || s.contains("${"),
        (ValueKind::Bool(_), "boolean") => true,
        (ValueKind::Str(s), "boolean") => {
            matches!(s.as_str(), "true" | "false" | "True" | "False") || s.contains("${")
        }
        (ValueKind::Null, "null") => true,
        _ => false,
    }
}

fn describe_types(types: &[&str]) -> String {
    let words: Vec<&str> = types
        .iter()
        .map(|t| match *t {
            "object" => "an object",
            "array" => "a list",
            "string" => "a string",
            "integer" => "an integer",
            "number" => "a number",
            "boolean" => "true or false",
            "null" => "null",
            other => other,
        })
        .collect();
    words.join(" or ")
}

pub fn describe(value: &Value) -> String {
    match &value.kind {
        ValueKind::Map(_) => "an object".into(),
        ValueKind::Seq(_) => "a list".into(),
        ValueKind::Str(s) => format!("the string `{s}`"),
        ValueKind::Num(n) => format!("the number {}", fmt(*n)),
        ValueKind::Bool(b) => format!("`{b}`"),
        ValueKind::Null => "nothing".into(),
        ValueKind::Intrinsic { name, .. } => format!("`{name}`"),
    }
}

/// Schema patterns compiled once; ECMA-only syntax (look-behind) that Rust's engine lacks is skipped.
pub fn regex(pattern: &str) -> Option<regex::Regex> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(pattern.to_string())
        .or_insert_with(|| regex::Regex::new(pattern).ok())
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse_value, Lang};

    fn run(schema: J, yaml: &str) -> Vec<Issue> {
        let doc = parse_value(Lang::Yaml, yaml);
        let v = doc.value.expect("value");
        let root = schema;
        let val = Validator {
            root: &root,
            skip: &["Skipped"],
            null_ok: false,
        };
        let mut out = Vec::new();
        val.validate(&root, &v, 0..0, &mut out);
        out
    }

    fn schema() -> J {
        serde_json::json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["Name"],
            "properties": {
                "Name": {"type": "string", "maxLength": 5},
                "Size": {"type": "integer", "minimum": 1, "maximum": 10},
                "Mode": {"enum": ["Active", "PassThrough"]},
                "List": {"type": "array", "maxItems": 1, "items": {"$ref": "#/definitions/Item"}},
                "Either": {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/Item"}]},
                "Skipped": {"type": "integer"}
            },
            "definitions": {"Item": {"type": "object", "additionalProperties": false, "properties": {"A": {"type": "boolean"}}}}
        })
    }

    #[test]
    fn reports_each_kind_of_problem() {
        let issues = run(schema(), "Nmae: x\nSize: '20'\nMode: Activ\nList: [{A: true}, {B: 1}]\nEither: {A: 3}\nSkipped: nope\n");
        let msgs: Vec<String> = issues
            .iter()
            .map(|i| format!("{:?} {} {}", i.kind, i.path, i.message))
            .collect();
        let all = msgs.join("\n");
        assert!(
            all.contains("Missing  missing required property `Name`"),
            "{all}"
        );
        assert!(
            all.contains("Unknown Nmae unknown property `Nmae`; did you mean `Name`?"),
            "{all}"
        );
        assert!(all.contains("20 is above the maximum 10"), "{all}");
        assert!(
            all.contains("`Activ` is not one of `Active`, `PassThrough`; did you mean `Active`?"),
            "{all}"
        );
        assert!(all.contains("allows at most 1 item"), "{all}");
        assert!(all.contains("unknown property `B`"), "{all}");
        assert!(
            all.contains("Either.A expected true or false, found the number 3"),
            "{all}"
        );
        assert!(!all.contains("Skipped"), "{all}");
    }

    #[test]
    fn intrinsics_and_variables_are_never_wrong() {
        let issues = run(schema(), "Name: !Sub '${AWS::StackName}-x'\nSize: !Ref Size\nMode: !If [c, a, b]\nList: !Ref L\n");
        assert!(issues.is_empty(), "{issues:?}");
        let issues = run(schema(), "Name: abc\nSize: '${self:custom.size}'\n");
        assert!(issues.is_empty(), "{issues:?}");
    }
}
