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
                format!("syntax error: missing `{}`", display_kind(node.kind())),
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
    kind.chars().take(40).collect()
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
