//! Turns tree-sitter ERROR and MISSING nodes into findings.

use super::rules;
use crate::rules::Finding;
use tree_sitter::Tree;

/// Beyond this many, more syntax errors add noise, not information.
const MAX_ERRORS: usize = 20;

pub fn collect(tree: &Tree, text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    if !tree.root_node().has_error() {
        return out;
    }
    let mut cursor = tree.walk();
    // Iterative pre-order walk: documents nested 100,000 levels deep must not overflow the stack.
    'walk: loop {
        let node = cursor.node();
        let mut descend = node.has_error();
        if node.is_missing() {
            let at = node.start_byte();
            out.push(Finding::new(
                &rules::PARSE_ERROR,
                at..at,
                format!("syntax error: expected {}", display_kind(node.kind())),
            ));
            descend = false;
        } else if let Some(at) = node
            .is_error()
            .then(|| missing_separator(node, text))
            .flatten()
        {
            // `{"a": 1 "b": 2}`: a complete entry swallowed as an error because a comma next to it is missing.
            out.push(Finding::new(
                &rules::PARSE_ERROR,
                at..at,
                "syntax error: expected `,` before the next entry",
            ));
            descend = false;
        } else if node.is_error() {
            let span = node.byte_range();
            let snippet = text.get(span.clone()).map(first_token).unwrap_or_default();
            let message = if snippet.is_empty() {
                "syntax error".to_string()
            } else {
                format!("syntax error: unexpected `{snippet}`")
            };
            // Point at the first line of the error only: a squiggle over half a file helps nobody.
            let end = text
                .get(span.clone())
                .and_then(|s| s.find(['\n', '\r']))
                .map(|i| span.start + i)
                .unwrap_or(span.end);
            out.push(Finding::new(
                &rules::PARSE_ERROR,
                span.start..end.max(span.start),
                message,
            ));
            descend = false;
        }
        if out.len() >= MAX_ERRORS {
            break;
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

fn display_kind(kind: &str) -> String {
    match kind {
        "number" | "string" | "true" | "false" | "null" | "object" | "array" | "_value" => {
            "a value".into()
        }
        "string_content" => "text".into(),
        k if k.chars().all(|c| c.is_ascii_punctuation()) => format!("`{k}`"),
        k => format!("`{}`", k.chars().take(40).collect::<String>()),
    }
}

/// For an ERROR node inside a JSON object or array that sits next to a complete entry and itself starts a
/// new entry, the offset where the missing comma belongs.
fn missing_separator(node: tree_sitter::Node, text: &str) -> Option<usize> {
    let in_container = node
        .parent()
        .is_some_and(|p| matches!(p.kind(), "object" | "array"));
    if !in_container {
        return None;
    }
    let complete = node.named_child_count() == 1
        && node.child_count() == 1
        && node.named_child(0).is_some_and(|c| {
            !c.has_error()
                && matches!(
                    c.kind(),
                    "pair" | "string" | "number" | "object" | "array" | "true" | "false" | "null"
                )
        });
    if complete && node.next_named_sibling().is_some() {
        return Some(node.end_byte());
    }
    let starts_entry = text
        .get(node.start_byte()..)
        .and_then(|t| t.chars().next())
        .is_some_and(|c| matches!(c, '"' | '{' | '[' | '-' | '0'..='9' | 't' | 'f' | 'n'));
    node.prev_named_sibling()
        .filter(|p| starts_entry && !p.is_error() && !p.has_error())
        .map(|p| p.end_byte())
}

fn first_token(s: &str) -> String {
    let s = s.trim_start();
    let line = s.lines().next().unwrap_or("");
    let mut token: String = line.chars().take(30).collect();
    if line.chars().count() > 30 {
        token.push('…');
    }
    token
}
