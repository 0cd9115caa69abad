//! Turns tree-sitter ERROR and MISSING nodes into findings.

use super::rules;
use crate::rules::Finding;
use tree_sitter::{InputEdit, Point, Tree};

/// Beyond this many, more syntax errors add noise, not information.
const MAX_ERRORS: usize = 20;

pub fn collect(tree: &Tree, text: &str, lang: super::Lang) -> Vec<Finding> {
    let mut out = Vec::new();
    if !tree.root_node().has_error() {
        return out;
    }
    if lang == super::Lang::Yaml {
        if let Some(f) = whole_document_yaml_error(tree, text) {
            return vec![f];
        }
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

/// When YAML recovery gives up and wraps the whole document in one ERROR, its span says nothing. The
/// line that breaks the document is found instead: the shortest prefix of whole lines that no longer
/// parses ends with it (a truncated YAML document at a line boundary is otherwise valid).
fn whole_document_yaml_error(tree: &Tree, text: &str) -> Option<Finding> {
    let root = tree.root_node();
    let error = if root.is_error() {
        root
    } else {
        let mut cursor = root.walk();
        let found = root
            .named_children(&mut cursor)
            .find(|c| c.is_error() && c.end_position().row > c.start_position().row + 1);
        found?
    };
    // A root ERROR may even stop short of the text it gave up on.
    if !root.is_error() && error.end_position().row <= error.start_position().row + 1 {
        return None;
    }
    let line_ends: Vec<usize> = text
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .chain(std::iter::once(text.len()))
        .collect();
    // A prefix reparses incrementally from the whole document's tree cut at its end: everything before
    // the cut is reused, so each probe costs a fraction of a full parse (a large template otherwise
    // spends a dozen full parses here on every keystroke while it is broken).
    let text_end = point_of(text, text.len());
    let prefix_parse = |end: usize| -> Option<Tree> {
        let mut old = tree.clone();
        let at = point_of(text, end);
        old.edit(&InputEdit {
            start_byte: end,
            old_end_byte: text.len(),
            new_end_byte: end,
            start_position: at,
            old_end_position: text_end,
            new_end_position: at,
        });
        super::parse(super::Lang::Yaml, &text[..end], Some(&old))
    };
    // The prefix tree of the failing probe with the fewest lines, kept for pointing at the token below.
    let mut shortest_failing: Option<(usize, Tree)> = None;
    let mut fails = |n: usize| -> bool {
        match prefix_parse(line_ends[n - 1]) {
            Some(t) if !t.root_node().has_error() => false,
            t => {
                if let Some(t) = t {
                    if shortest_failing.as_ref().is_none_or(|(m, _)| n < *m) {
                        shortest_failing = Some((n, t));
                    }
                }
                true
            }
        }
    };
    // Smallest n such that the first n lines fail to parse; the whole text does (this tree has errors).
    let (mut lo, mut hi) = (1usize, line_ends.len());
    // The direct reader stops where it stops understanding the text, usually on the breaking line: when
    // that line fails and the one before does not, two probes replace the search.
    let hint = super::yaml_direct::stop_at(text)
        .map(|at| line_ends.partition_point(|&end| end <= at) + 1)
        .filter(|&n| n <= hi);
    if let Some(n) = hint {
        if fails(n) && (n == 1 || !fails(n - 1)) {
            lo = n;
            hi = n;
        }
    }
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fails(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let line_start = if lo >= 2 { line_ends[lo - 2] } else { 0 };
    let line_end = line_ends[lo - 1];
    let line = text
        .get(line_start..line_end)?
        .trim_end_matches(['\n', '\r']);
    // Point at the token where that line's parse fails, else at the line's content.
    let prefix = match shortest_failing {
        Some((n, t)) if n == lo => t,
        _ => prefix_parse(line_end)?,
    };
    let at = second_colon(line)
        .map(|i| line_start + i)
        .or_else(|| first_error_token(&prefix, line_start))
        .unwrap_or_else(|| line_start + (line.len() - line.trim_start().len()));
    let end = (line_start + line.len()).max(at);
    let snippet = first_token(text.get(at..end).unwrap_or(""));
    Some(Finding::new(
        &rules::PARSE_ERROR,
        at..end,
        if snippet.is_empty() {
            "syntax error: this line breaks the YAML structure".to_string()
        } else {
            format!("syntax error: unexpected `{snippet}`")
        },
    ))
}

/// The tree-sitter point (row, byte column) of a byte offset.
fn point_of(text: &str, offset: usize) -> Point {
    let before = text.get(..offset).unwrap_or(text);
    let row = before.matches('\n').count();
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    Point { row, column }
}

/// `key: value: more` — the most common YAML slip ("mapping values are not allowed here"): the offset of
/// the colon inside an unquoted plain value.
fn second_colon(line: &str) -> Option<usize> {
    let content = line.trim_start();
    let indent = line.len() - content.len();
    let content_start = indent + if content.starts_with("- ") { 2 } else { 0 };
    let rest = line.get(content_start..)?;
    let first = rest.find(": ")?;
    let value_start = content_start + first + 2;
    let value = line.get(value_start..)?;
    let trimmed = value.trim_start();
    // Quoted, flow and block values have their own rules.
    if trimmed.starts_with(['"', '\'', '{', '[', '|', '>', '!', '&', '*', '#']) {
        return None;
    }
    let skip = value.len() - trimmed.len();
    let at = trimmed
        .find(": ")
        .or_else(|| trimmed.strip_suffix(':').map(|t| t.len()))?;
    Some(value_start + skip + at)
}

/// The last unnamed token (`:`, `-`, …) of an ERROR node that starts at or after `from`.
fn first_error_token(tree: &Tree, from: usize) -> Option<usize> {
    let mut cursor = tree.walk();
    let mut best = None;
    'walk: loop {
        let node = cursor.node();
        if node.start_byte() >= from
            && !node.is_named()
            && node.parent().is_some_and(|p| p.is_error())
        {
            best = Some(node.start_byte());
        }
        if node.end_byte() > from && cursor.goto_first_child() {
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
    best
}
