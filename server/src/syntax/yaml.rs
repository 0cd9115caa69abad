//! YAML syntax tree → value tree: scalars decoded (quotes, escapes, folding, block scalars), anchors and
//! aliases expanded within a budget, merge keys (`<<`) applied, CloudFormation short-form tags turned into
//! `Intrinsic` nodes.

use super::value::{intrinsic_for_tag, Key, Value, ValueKind};
use super::{fold_intrinsic, push_entry, rules, MAX_ALIAS_NODES, MAX_DEPTH};
use crate::rules::Finding;
use crate::text::Span;
use std::collections::HashMap;
use tree_sitter::{Node, Tree};

pub fn build(tree: &Tree, text: &str, findings: &mut Vec<Finding>) -> Option<Value> {
    let root = tree.root_node();
    let language = tree.language();
    let mut b = Builder {
        text,
        findings,
        anchors: HashMap::new(),
        alias_nodes: 0,
        alias_reported: false,
        too_deep_reported: false,
        cursor: root.walk(),
        pool: Vec::new(),
        key_field: language.field_id_for_name("key"),
        value_field: language.field_id_for_name("value"),
    };
    let mut docs = Vec::new();
    if root.kind() == "stream" {
        let mut cursor = root.walk();
        docs.extend(root.named_children(&mut cursor));
    } else {
        docs.push(root);
    }
    for doc in docs {
        let content = if doc.kind() == "document" || doc.kind() == "ERROR" {
            let mut cursor = doc.walk();
            let children: Vec<Node> = doc.named_children(&mut cursor).collect();
            if doc.kind() == "ERROR" {
                return b.salvage(doc, 0);
            }
            children.into_iter().find(|c| is_content(c.kind()))
        } else {
            Some(doc)
        };
        if let Some(node) = content {
            if let Some(v) = b.value(node, 0) {
                return Some(v);
            }
        }
    }
    None
}

fn is_content(kind: &str) -> bool {
    matches!(kind, "block_node" | "flow_node" | "ERROR")
}

struct Builder<'a, 't> {
    text: &'a str,
    findings: &'a mut Vec<Finding>,
    anchors: HashMap<String, Value>,
    alias_nodes: usize,
    alias_reported: bool,
    too_deep_reported: bool,
    /// One cursor and a pool of child lists, reused for every node: building a large template would
    /// otherwise allocate a cursor and a list per node.
    cursor: tree_sitter::TreeCursor<'t>,
    pool: Vec<Vec<Node<'t>>>,
    key_field: Option<std::num::NonZeroU16>,
    value_field: Option<std::num::NonZeroU16>,
}

impl<'t> Builder<'_, 't> {
    fn src(&self, node: Node) -> &str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// The named children of `node`; give the list back with `recycle`.
    fn children(&mut self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut out = self.pool.pop().unwrap_or_default();
        self.cursor.reset(node);
        if self.cursor.goto_first_child() {
            loop {
                let n = self.cursor.node();
                if n.is_named() {
                    out.push(n);
                }
                if !self.cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        out
    }

    fn recycle(&mut self, mut list: Vec<Node<'t>>) {
        list.clear();
        self.pool.push(list);
    }

    /// The `key` and `value` children of a pair, in one pass.
    fn key_value(&mut self, pair: Node<'t>) -> (Option<Node<'t>>, Option<Node<'t>>) {
        let (mut key, mut value) = (None, None);
        self.cursor.reset(pair);
        if self.cursor.goto_first_child() {
            loop {
                let field = self.cursor.field_id();
                if field.is_some() && field == self.key_field {
                    key = Some(self.cursor.node());
                } else if field.is_some() && field == self.value_field {
                    value = Some(self.cursor.node());
                }
                if !self.cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        (key, value)
    }

    fn value(&mut self, node: Node<'t>, depth: usize) -> Option<Value> {
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
        match node.kind() {
            "block_node" | "flow_node" => self.tagged(node, depth),
            "block_mapping" | "flow_mapping" => Some(self.mapping(node, depth)),
            "block_sequence" | "flow_sequence" => Some(self.sequence(node, depth)),
            "plain_scalar" => Some(self.plain(node)),
            "double_quote_scalar" => Some(Value::new(
                span,
                ValueKind::Str(double_quoted(self.src(node))),
            )),
            "single_quote_scalar" => Some(Value::new(
                span,
                ValueKind::Str(single_quoted(self.src(node))),
            )),
            "block_scalar" => Some(Value::new(
                span,
                ValueKind::Str(block_scalar(self.src(node))),
            )),
            "alias" => Some(self.alias(node)),
            "ERROR" => self.salvage(node, depth),
            _ => None,
        }
    }

    /// A node with optional anchor and tag around its content.
    fn tagged(&mut self, node: Node<'t>, depth: usize) -> Option<Value> {
        let mut anchor = None;
        let mut tag = None;
        let mut content = None;
        let kids = self.children(node);
        for &child in &kids {
            match child.kind() {
                "anchor" => {
                    anchor = Some(self.src(child).trim_start_matches('&').to_string());
                }
                "tag" => tag = Some(child),
                "comment" => {}
                _ => {
                    if content.is_none() {
                        content = Some(child)
                    }
                }
            }
        }
        self.recycle(kids);
        let span = node.byte_range();
        let inner = match content {
            Some(c) => self.value(c, depth + 1),
            None => None,
        };
        let mut result = match (tag, inner) {
            (Some(tag_node), inner) => {
                tagged_value(span, self.src(tag_node), tag_node.byte_range(), inner)
            }
            (None, Some(v)) => v,
            (None, None) => Value::new(span, ValueKind::Null),
        };
        if let Some(name) = anchor {
            // The anchor's span belongs to this node too.
            result.span = node.byte_range();
            self.anchors.insert(name, result.clone());
        }
        Some(result)
    }

    fn alias(&mut self, node: Node<'t>) -> Value {
        let span = node.byte_range();
        let name = self.src(node).trim_start_matches('*').to_string();
        let Some(target) = self.anchors.get(&name) else {
            self.findings.push(Finding::new(
                &rules::BAD_ALIAS,
                span.clone(),
                format!("alias `*{name}` refers to no anchor defined before it"),
            ));
            return Value::new(span, ValueKind::Null);
        };
        let cost = target.node_count();
        if self.alias_nodes + cost > MAX_ALIAS_NODES {
            if !self.alias_reported {
                self.alias_reported = true;
                self.findings.push(Finding::new(
                    &rules::BAD_ALIAS,
                    span.clone(),
                    format!(
                        "aliases expand to more than {MAX_ALIAS_NODES} nodes; expansion stopped here (an alias bomb?)"
                    ),
                ));
            }
            return Value::new(span, ValueKind::Null);
        }
        self.alias_nodes += cost;
        let mut v = target.clone();
        // The alias stands where it is written; nested spans keep pointing at the anchored text.
        v.span = span;
        v
    }

    fn mapping(&mut self, node: Node<'t>, depth: usize) -> Value {
        let mut entries: Vec<(Key, Value)> = Vec::new();
        let mut merges: Vec<Value> = Vec::new();
        let kids = self.children(node);
        for &child in &kids {
            match child.kind() {
                "block_mapping_pair" | "flow_pair" => {
                    if let Some((key, value)) = self.pair(child, depth) {
                        if key.text == "<<" && !matches!(value.kind, ValueKind::Str(_)) {
                            merges.push(value);
                        } else {
                            push_entry(&mut entries, key, value, self.findings);
                        }
                    }
                }
                "flow_node" => {
                    // `{a, b}`: keys without values.
                    if let Some(k) = self.value(child, depth + 1) {
                        let end = k.span.end;
                        let key = self.key_of(&k);
                        push_entry(
                            &mut entries,
                            key,
                            Value::new(end..end, ValueKind::Null),
                            self.findings,
                        );
                    }
                }
                "ERROR" => {
                    if let Some(Value {
                        kind: ValueKind::Map(more),
                        ..
                    }) = self.salvage(child, depth)
                    {
                        for (k, v) in more {
                            push_entry(&mut entries, k, v, self.findings);
                        }
                    }
                }
                _ => {}
            }
        }
        self.recycle(kids);
        // Merge keys: explicit entries win, then earlier merged maps over later ones.
        for merged in merges {
            let maps: Vec<Value> = match merged.kind {
                ValueKind::Seq(items) => items,
                _ => vec![merged],
            };
            for map in maps {
                if let ValueKind::Map(more) = map.kind {
                    for (k, v) in more {
                        if !entries.iter().any(|(e, _)| e.text == k.text) {
                            entries.push((k, v));
                        }
                    }
                }
            }
        }
        fold_intrinsic(node.byte_range(), entries)
    }

    fn pair(&mut self, pair: Node<'t>, depth: usize) -> Option<(Key, Value)> {
        let (key_node, value_node) = self.key_value(pair);
        let key = match key_node {
            Some(k) => match self.value(k, depth + 1) {
                Some(v) => self.key_of(&v),
                None => Key {
                    text: self.src(k).to_string(),
                    span: k.byte_range(),
                },
            },
            None => {
                let at = pair.start_byte();
                Key {
                    text: String::new(),
                    span: at..at,
                }
            }
        };
        let value = match value_node {
            Some(v) => self.value(v, depth + 1),
            None => None,
        };
        let value = value.unwrap_or_else(|| {
            let end = pair.end_byte();
            Value::new(end..end, ValueKind::Null)
        });
        Some((key, value))
    }

    fn key_of(&self, v: &Value) -> Key {
        key_of(self.text, v)
    }

    fn sequence(&mut self, node: Node<'t>, depth: usize) -> Value {
        let mut items = Vec::new();
        let kids = self.children(node);
        for &child in &kids {
            match child.kind() {
                "block_sequence_item" => {
                    let item_kids = self.children(child);
                    let inner = item_kids.iter().copied().find(|c| c.kind() != "comment");
                    self.recycle(item_kids);
                    let v = inner.and_then(|c| self.value(c, depth + 1));
                    items.push(v.unwrap_or_else(|| {
                        let end = child.end_byte();
                        Value::new(end..end, ValueKind::Null)
                    }));
                }
                "flow_node" => {
                    if let Some(v) = self.value(child, depth + 1) {
                        items.push(v)
                    }
                }
                "flow_pair" => {
                    if let Some((k, v)) = self.pair(child, depth) {
                        items.push(Value::new(child.byte_range(), ValueKind::Map(vec![(k, v)])));
                    }
                }
                "ERROR" => {
                    if let Some(v) = self.salvage(child, depth) {
                        match v.kind {
                            ValueKind::Seq(more) => items.extend(more),
                            _ => items.push(v),
                        }
                    }
                }
                _ => {}
            }
        }
        self.recycle(kids);
        Value::new(node.byte_range(), ValueKind::Seq(items))
    }

    /// Best effort inside an ERROR node, so that a half-typed document still has a usable tree.
    fn salvage(&mut self, node: Node<'t>, depth: usize) -> Option<Value> {
        let children = self.children(node);
        if children
            .iter()
            .any(|c| matches!(c.kind(), "block_mapping_pair" | "flow_pair"))
        {
            return Some(self.mapping(node, depth));
        }
        if children.iter().any(|c| c.kind() == "block_sequence_item") {
            return Some(self.sequence(node, depth));
        }
        children
            .into_iter()
            .filter(|c| c.kind() != "comment")
            .find_map(|c| self.value(c, depth + 1))
    }

    fn plain(&self, node: Node) -> Value {
        let span = node.byte_range();
        let raw = self.src(node);
        let kind = match node.named_child(0).map(|c| c.kind()) {
            Some("integer_scalar") => typed_plain(raw, Schema::Int),
            Some("float_scalar") => typed_plain(raw, Schema::Float),
            Some("boolean_scalar") => typed_plain(raw, Schema::Bool),
            Some("null_scalar") => typed_plain(raw, Schema::Null),
            _ => typed_plain(raw, Schema::Str),
        };
        Value::new(span, kind)
    }
}

/// A tagged node: a CloudFormation short form becomes an `Intrinsic`, `!!str` stringifies, other tags
/// leave the value as it is. `span` covers tag and content.
pub(super) fn tagged_value(
    span: Span,
    tag_text: &str,
    tag_span: Span,
    inner: Option<Value>,
) -> Value {
    let name = tag_text.strip_prefix('!').unwrap_or(tag_text);
    match intrinsic_for_tag(name) {
        Some(long) => {
            let arg = inner.unwrap_or_else(|| {
                // `!GetAZs` with nothing after it means the empty string.
                let end = tag_span.end;
                Value::new(end..end, ValueKind::Str(String::new()))
            });
            Value::new(
                span,
                ValueKind::Intrinsic {
                    name: long.to_string(),
                    name_span: tag_span,
                    arg: Box::new(arg),
                },
            )
        }
        None => {
            let mut v = inner.unwrap_or_else(|| Value::new(span.clone(), ValueKind::Null));
            if name == "!str" {
                if let Some(text) = v.scalar_text() {
                    v.kind = ValueKind::Str(text);
                }
            }
            v.span = span;
            v
        }
    }
}

/// A mapping key as text: scalars as CloudFormation reads them, anything else as written.
pub(super) fn key_of(text: &str, v: &Value) -> Key {
    let key = v.scalar_text().unwrap_or_else(|| match v.kind {
        ValueKind::Null => String::new(),
        _ => text.get(v.span.clone()).unwrap_or("").to_string(),
    });
    Key {
        text: key,
        span: v.span.clone(),
    }
}

/// What the YAML core schema makes of a plain scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Schema {
    Null,
    Bool,
    Int,
    Float,
    Str,
}

pub(super) fn typed_plain(raw: &str, schema: Schema) -> ValueKind {
    match schema {
        Schema::Int => parse_int(raw)
            .map(ValueKind::Num)
            .unwrap_or_else(|| ValueKind::Str(raw.to_string())),
        Schema::Float => parse_float(raw)
            .map(ValueKind::Num)
            .unwrap_or_else(|| ValueKind::Str(raw.to_string())),
        Schema::Bool => ValueKind::Bool(raw.eq_ignore_ascii_case("true")),
        Schema::Null => ValueKind::Null,
        Schema::Str => ValueKind::Str(fold_plain(raw)),
    }
}

fn parse_int(raw: &str) -> Option<f64> {
    let s = raw.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let n = if let Some(hex) = digits.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()? as f64
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i128::from_str_radix(oct, 8).ok()? as f64
    } else {
        digits.parse::<f64>().ok()?
    };
    Some(if neg { -n } else { n })
}

fn parse_float(raw: &str) -> Option<f64> {
    match raw.trim().to_ascii_lowercase().as_str() {
        ".inf" | "+.inf" => Some(f64::INFINITY),
        "-.inf" => Some(f64::NEG_INFINITY),
        ".nan" => Some(f64::NAN),
        s => s.parse().ok(),
    }
}

/// Line folding of a multi-line flow scalar: a single break becomes a space, each empty line a newline.
fn fold_lines(raw: &str) -> String {
    if !raw.contains(['\n', '\r']) {
        return raw.to_string();
    }
    let lines: Vec<&str> = raw.lines().collect();
    let mut out = String::with_capacity(raw.len());
    let mut pending_empty = 0;
    for (i, line) in lines.iter().enumerate() {
        let mut l = *line;
        if i > 0 {
            l = l.trim_start_matches([' ', '\t']);
        }
        if i + 1 < lines.len() {
            l = l.trim_end_matches([' ', '\t']);
        }
        if i > 0 && l.is_empty() && i + 1 < lines.len() {
            pending_empty += 1;
            continue;
        }
        if i > 0 {
            if pending_empty > 0 {
                out.extend(std::iter::repeat_n('\n', pending_empty));
            } else {
                out.push(' ');
            }
        }
        pending_empty = 0;
        out.push_str(l);
    }
    out
}

fn fold_plain(raw: &str) -> String {
    fold_lines(raw.trim())
}

pub(super) fn single_quoted(raw: &str) -> String {
    let inner = raw.strip_prefix('\'').unwrap_or(raw);
    let inner = inner.strip_suffix('\'').unwrap_or(inner);
    fold_lines(inner).replace("''", "'")
}

pub(super) fn double_quoted(raw: &str) -> String {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    // An escaped line break joins lines without a space.
    let mut joined = String::with_capacity(inner.len());
    let mut lines = inner.split('\n').peekable();
    while let Some(line) = lines.next() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        joined.push_str(line);
        if lines.peek().is_some() {
            joined.push('\n');
        }
    }
    let folded = fold_escaped_breaks(&joined);
    let folded = fold_lines(&folded);
    unescape_double(&folded)
}

fn fold_escaped_breaks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("\\\n") {
        // Only an odd number of backslashes escapes the break.
        let backslashes = rest[..=i].chars().rev().take_while(|c| *c == '\\').count();
        if backslashes % 2 == 1 {
            out.push_str(&rest[..i]);
            rest = rest[i + 2..].trim_start_matches([' ', '\t']);
        } else {
            out.push_str(&rest[..i + 2]);
            rest = &rest[i + 2..];
        }
    }
    out.push_str(rest);
    out
}

fn unescape_double(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        let hex = |chars: &mut std::str::Chars, n: usize| -> char {
            let h: String = chars.by_ref().take(n).collect();
            u32::from_str_radix(&h, 16)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}')
        };
        match e {
            '0' => out.push('\0'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            't' | '\t' => out.push('\t'),
            'n' => out.push('\n'),
            'v' => out.push('\u{b}'),
            'f' => out.push('\u{c}'),
            'r' => out.push('\r'),
            'e' => out.push('\u{1b}'),
            'N' => out.push('\u{85}'),
            '_' => out.push('\u{a0}'),
            'L' => out.push('\u{2028}'),
            'P' => out.push('\u{2029}'),
            'x' => out.push(hex(&mut chars, 2)),
            'u' => out.push(hex(&mut chars, 4)),
            'U' => out.push(hex(&mut chars, 8)),
            other => out.push(other),
        }
    }
    out
}

/// The content of a literal (`|`) or folded (`>`) block scalar, with its chomping indicator applied.
pub(super) fn block_scalar(raw: &str) -> String {
    let (header, body) = match raw.find('\n') {
        Some(i) => (&raw[..i], &raw[i + 1..]),
        None => (raw, ""),
    };
    let header = header.split('#').next().unwrap_or("").trim();
    let folded = header.starts_with('>');
    let keep = header.contains('+');
    let strip = header.contains('-');
    let lines: Vec<&str> = body
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let indent = lines
        .iter()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .unwrap_or(0);
    let content: Vec<&str> = lines
        .iter()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start_matches(' ')
            }
        })
        .collect();
    // Trailing empty lines belong to chomping, not content.
    let last = content.iter().rposition(|l| !l.trim().is_empty());
    let Some(last) = last else {
        return String::new();
    };
    let body = &content[..=last];
    let mut out = String::new();
    if folded {
        let mut pending = 0;
        let mut prev_more = false;
        for (i, line) in body.iter().enumerate() {
            if line.trim().is_empty() {
                pending += 1;
                continue;
            }
            let more = line.starts_with([' ', '\t']);
            if i > 0 && !out.is_empty() {
                if pending == 0 {
                    out.push(if more || prev_more { '\n' } else { ' ' });
                } else {
                    out.extend(std::iter::repeat_n(
                        '\n',
                        pending + usize::from(more || prev_more),
                    ));
                }
            } else {
                out.extend(std::iter::repeat_n('\n', pending));
            }
            pending = 0;
            out.push_str(line);
            prev_more = more;
        }
    } else {
        out = body.join("\n");
    }
    if !strip {
        out.push('\n');
    }
    if keep {
        let trailing = content.len() - 1 - last;
        out.extend(std::iter::repeat_n('\n', trailing));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_scalars() {
        assert_eq!(block_scalar("|\n  a\n  b\n"), "a\nb\n");
        assert_eq!(block_scalar("|-\n  a\n  b\n"), "a\nb");
        assert_eq!(block_scalar(">\n  a\n  b\n\n  c\n"), "a b\nc\n");
    }

    #[test]
    fn quoted_scalars() {
        assert_eq!(double_quoted(r#""a\tb\u00e9""#), "a\tbé");
        assert_eq!(single_quoted("'it''s'"), "it's");
        assert_eq!(double_quoted("\"a\n   b\""), "a b");
    }
}
