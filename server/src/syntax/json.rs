//! JSON syntax tree → value tree.

use super::value::{Key, Value, ValueKind};
use super::{fold_intrinsic, push_entry, rules, MAX_DEPTH};
use crate::rules::Finding;
use tree_sitter::{Node, Tree};

pub fn build(tree: &Tree, text: &str, findings: &mut Vec<Finding>) -> Option<Value> {
    // Typing at the end of a file leaves strings and brackets open and the whole tree an ERROR. Closing
    // them (appending only, so every span stays valid) gives a usable tree for completion and hover.
    if tree.root_node().is_error() || tree.root_node().child(0).is_some_and(|c| c.is_error()) {
        let suffix = closing_suffix(text);
        let repaired = format!("{text}{suffix}");
        if let Some(fixed) = super::parse(super::Lang::Json, &repaired, None) {
            if !fixed.root_node().is_error() {
                if !fixed.root_node().has_error() && !suffix.is_empty() {
                    // The only problem is the truncation: say so once, where the text ends.
                    findings.retain(|f| f.rule != rules::PARSE_ERROR.id);
                    let end = text.trim_end().len();
                    findings.push(Finding::new(
                        &rules::PARSE_ERROR,
                        end..end,
                        format!(
                            "syntax error: unexpected end of file; expected `{}`",
                            suffix.trim()
                        ),
                    ));
                }
                let mut ignored = Vec::new();
                let value = build_tree(&fixed, &repaired, &mut ignored);
                // Duplicate keys are still worth reporting; everything else was reported from the original.
                findings.extend(
                    ignored
                        .into_iter()
                        .filter(|f| f.rule == rules::DUPLICATE_KEY.id),
                );
                return value.map(|v| clamp(v, text.len()));
            }
        }
    }
    build_tree(tree, text, findings)
}

fn build_tree(tree: &Tree, text: &str, findings: &mut Vec<Finding>) -> Option<Value> {
    let root = tree.root_node();
    let mut b = Builder {
        text,
        findings,
        too_deep_reported: false,
    };
    let mut cursor = root.walk();
    let first = root
        .named_children(&mut cursor)
        .find(|n| n.kind() != "comment");
    first.and_then(|n| b.value(n, 0))
}

struct Builder<'a> {
    text: &'a str,
    findings: &'a mut Vec<Finding>,
    too_deep_reported: bool,
}

impl Builder<'_> {
    fn src(&self, node: Node) -> &str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn value(&mut self, node: Node, depth: usize) -> Option<Value> {
        if node.is_missing() {
            return None;
        }
        if depth > MAX_DEPTH {
            if !self.too_deep_reported {
                self.too_deep_reported = true;
                self.findings.push(Finding::new(
                    &rules::TOO_DEEP,
                    node.start_byte()..node.start_byte(),
                    format!("nesting deeper than {MAX_DEPTH} levels; the rest of this value is not read"),
                ));
            }
            return None;
        }
        let span = node.byte_range();
        let kind = match node.kind() {
            "object" => return Some(self.object(node, depth)),
            "array" => {
                let mut items = Vec::new();
                self.collect_items(node, depth, &mut items);
                ValueKind::Seq(items)
            }
            "string" => ValueKind::Str(string_content(self.src(node))),
            "number" => match self.src(node).parse::<f64>() {
                Ok(n) => ValueKind::Num(n),
                Err(_) => ValueKind::Str(self.src(node).to_string()),
            },
            "true" => ValueKind::Bool(true),
            "false" => ValueKind::Bool(false),
            "null" => ValueKind::Null,
            "ERROR" => {
                // Half-typed input: salvage the first value inside the error.
                let mut cursor = node.walk();
                let children: Vec<Node> = node.named_children(&mut cursor).collect();
                if children.iter().any(|c| c.kind() == "pair") {
                    return Some(self.object(node, depth));
                }
                return children.into_iter().find_map(|c| self.value(c, depth + 1));
            }
            _ => return None,
        };
        Some(Value::new(span, kind))
    }

    fn object(&mut self, node: Node, depth: usize) -> Value {
        let mut entries = Vec::new();
        self.collect_pairs(node, depth, &mut entries);
        fold_intrinsic(node.byte_range(), entries)
    }

    fn collect_pairs(&mut self, node: Node, depth: usize, entries: &mut Vec<(Key, Value)>) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        for child in children {
            match child.kind() {
                "pair" => {
                    let Some(key_node) = child.child_by_field_name("key") else {
                        continue;
                    };
                    let key = Key {
                        text: string_content(self.src(key_node)),
                        span: key_node.byte_range(),
                    };
                    let value = match child.child_by_field_name("value") {
                        Some(v) => self.value(v, depth + 1),
                        None => None,
                    };
                    // A key with no value yet (`"Action":` while typing) still counts, as an empty value
                    // right after the colon, so completion and hover know where they are.
                    let value = value.unwrap_or_else(|| {
                        let end = child.end_byte();
                        Value::new(end..end, ValueKind::Null)
                    });
                    push_entry(entries, key, value, self.findings);
                }
                "ERROR" => self.collect_pairs(child, depth, entries),
                _ => {}
            }
        }
    }

    fn collect_items(&mut self, node: Node, depth: usize, items: &mut Vec<Value>) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        for child in children {
            match child.kind() {
                "comment" => {}
                "ERROR" => self.collect_items(child, depth, items),
                _ => {
                    if let Some(v) = self.value(child, depth + 1) {
                        items.push(v)
                    }
                }
            }
        }
    }
}

/// What to append to a truncated JSON text to close its open string, value and brackets.
fn closing_suffix(text: &str) -> String {
    let mut stack = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut last = ' ';
    for c in text.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                last = '"';
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => stack.push(c),
            '}' | ']' => {
                stack.pop();
            }
            _ => {}
        }
        if !c.is_whitespace() {
            last = c;
        }
    }
    let mut out = String::new();
    if in_string {
        out.push('"');
        last = '"';
    }
    match (last, stack.last()) {
        (':', _) => out.push_str("null"),
        (',', Some('{')) | ('{', Some('{')) if !in_string => {}
        (',', Some('[')) => out.push_str("null"),
        _ => {}
    }
    // A key without its colon (`{"Act`) becomes a key with a null value.
    if stack.last() == Some(&'{') && (last == '"') && key_pending(text) {
        out.push_str(":null");
    }
    for open in stack.iter().rev() {
        out.push(if *open == '{' { '}' } else { ']' });
    }
    out
}

/// Whether the last complete string of an object is a key still waiting for its colon.
fn key_pending(text: &str) -> bool {
    let trimmed = text.trim_end();
    let before_string = match trimmed.strip_suffix('"') {
        Some(t) => t.rfind('"').map(|i| &t[..i]).unwrap_or(""),
        None => trimmed.rfind('"').map(|i| &trimmed[..i]).unwrap_or(""),
    };
    matches!(
        before_string.trim_end().chars().last(),
        Some('{') | Some(',')
    )
}

/// Cuts spans that reach into the appended suffix back to the real text.
fn clamp(mut v: Value, len: usize) -> Value {
    v.span = v.span.start.min(len)..v.span.end.min(len);
    v.kind = match v.kind {
        ValueKind::Map(entries) => ValueKind::Map(
            entries
                .into_iter()
                .map(|(mut k, val)| {
                    k.span = k.span.start.min(len)..k.span.end.min(len);
                    (k, clamp(val, len))
                })
                .collect(),
        ),
        ValueKind::Seq(items) => ValueKind::Seq(items.into_iter().map(|i| clamp(i, len)).collect()),
        ValueKind::Intrinsic {
            name,
            name_span,
            arg,
        } => ValueKind::Intrinsic {
            name,
            name_span: name_span.start.min(len)..name_span.end.min(len),
            arg: Box::new(clamp(*arg, len)),
        },
        other => other,
    };
    v
}

/// The decoded content of a JSON string token (with or without its closing quote).
pub fn string_content(raw: &str) -> String {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    if !inner.contains('\\') {
        return inner.to_string();
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let Ok(hi) = u32::from_str_radix(&hex, 16) else {
                    out.push_str(&hex);
                    continue;
                };
                if (0xD800..0xDC00).contains(&hi) {
                    // A surrogate pair: the low half must follow as another \uXXXX.
                    let rest = chars.as_str();
                    if let Some(lo) = rest
                        .strip_prefix("\\u")
                        .and_then(|r| r.get(..4))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|lo| (0xDC00..0xE000).contains(lo))
                    {
                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                        chars = rest[6..].chars();
                        continue;
                    }
                }
                out.push(char::from_u32(hi).unwrap_or('\u{FFFD}'));
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}
