//! A direct reader for the YAML templates and serverless.yml files are made of — block and flow
//! collections, plain, quoted and block scalars, tags, comments — straight into the value tree.
//!
//! Why: the tree-sitter YAML grammar is the slowest step of checking a template, and its incremental
//! reparse cannot reuse nodes after an edit (the external scanner's state holds absolute positions), so a
//! one-character edit costs nearly a full parse. This reader is many times faster. It gives up (`None`) on
//! anything it is not sure of — a syntax error, anchors and aliases, several documents, tabs used as
//! indentation, multi-line flow scalars — and the tree-sitter path, with its error recovery and messages,
//! takes over. Whenever it answers, it answers exactly what the tree-sitter path builds: tests and a fuzz
//! target compare the two.

use super::value::{Value, ValueKind};
use super::yaml::{
    block_scalar, double_quoted, key_of, single_quoted, tagged_value, typed_plain, Schema,
};
use super::{fold_intrinsic, push_entry};
use crate::rules::Finding;
use crate::text::Span;

/// What the reader made of a whole document.
pub struct Direct {
    pub value: Option<Value>,
    /// Duplicate keys (the only finding a well-formed document can have here).
    pub findings: Vec<Finding>,
    /// Every comment, `#` to the end of its line, in document order.
    pub comments: Vec<Span>,
}

/// Nesting this deep is left to the tree-sitter path, which reports it.
const MAX_NESTING: usize = 100;

/// Reads `text`, or `None` when the tree-sitter path must.
pub fn read(text: &str) -> Option<Direct> {
    read_or_stop(text).ok()
}

/// Where the reader gave up on `text`, if it did: for a syntax error, most often on the line that breaks
/// the document (a hint for locating it; anchors and the like stop the reader too).
pub fn stop_at(text: &str) -> Option<usize> {
    read_or_stop(text).err()
}

fn read_or_stop(text: &str) -> Result<Direct, usize> {
    if !plain_characters(text) {
        return Err(0);
    }
    let mut r = Reader {
        s: text.as_bytes(),
        text,
        pos: 0,
        findings: Vec::new(),
        comments: Vec::new(),
        depth: 0,
    };
    match r.document() {
        Some(value) => Ok(Direct {
            value,
            findings: r.findings,
            comments: r.comments,
        }),
        None => Err(r.pos),
    }
}

/// Where a node starts: first on its line, or after `key: ` or `- ` on the same line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inline {
    No,
    AfterKey,
    AfterDash,
}

struct Reader<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    findings: Vec<Finding>,
    comments: Vec<Span>,
    depth: usize,
}

fn is_break(b: Option<u8>) -> bool {
    matches!(b, None | Some(b'\n') | Some(b'\r'))
}

fn is_blank_or_break(b: Option<u8>) -> bool {
    matches!(b, None | Some(b' ') | Some(b'\n') | Some(b'\r'))
}

/// A plain scalar may start with `-`, `?` or `:` followed by this (`-1`, `:x`); after anything else the
/// grammar reads an indicator, or an error.
fn safe_after_indicator(b: Option<u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'/' || b >= 0x80)
}

fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

impl<'a> Reader<'a> {
    fn document(&mut self) -> Option<Option<Value>> {
        self.trivia()?;
        if self.at_marker(b"---") {
            self.pos += 3;
            self.spaces()?;
            if !self.at_line_end() {
                return None;
            }
            self.trivia()?;
        }
        if self.eof() {
            return Some(None);
        }
        if self.peek() == Some(b'%') || self.at_marker(b"...") {
            return None;
        }
        let mut v = self.node(-1, Inline::No)?;
        self.trivia()?;
        if !self.eof() {
            return None;
        }
        let last = v.span.end;
        run_to_end(&mut v, last, self.text);
        Some(Some(v))
    }

    fn eof(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.s.get(i).copied()
    }

    fn col(&self, pos: usize) -> isize {
        let line = self.s[..pos]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        (pos - line) as isize
    }

    /// `---` or `...` at the start of a line, followed by a blank or the end.
    fn at_marker(&self, m: &[u8]) -> bool {
        self.col(self.pos) == 0
            && self.s[self.pos..].starts_with(m)
            && is_blank_or_break(self.at(self.pos + 3))
    }

    fn at_line_end(&self) -> bool {
        matches!(self.peek(), None | Some(b'\n') | Some(b'\r') | Some(b'#'))
    }

    /// Spaces on this line; a tab gives up (tabs may not indent, and the rules for tabs as separators
    /// are not worth a second implementation).
    fn spaces(&mut self) -> Option<()> {
        while let Some(b) = self.peek() {
            match b {
                b' ' => self.pos += 1,
                b'\t' => return None,
                _ => break,
            }
        }
        Some(())
    }

    fn newline(&mut self) -> Option<bool> {
        match self.peek() {
            Some(b'\n') => {
                self.pos += 1;
                Some(true)
            }
            Some(b'\r') => {
                if self.at(self.pos + 1) == Some(b'\n') {
                    self.pos += 2;
                    Some(true)
                } else {
                    None
                }
            }
            _ => Some(false),
        }
    }

    fn comment(&mut self) {
        let start = self.pos;
        while !is_break(self.peek()) {
            self.pos += 1;
        }
        // Looking ahead for a value's content may read a comment twice.
        if self.comments.last().is_none_or(|c| c.start < start) {
            self.comments.push(start..self.pos);
        }
    }

    /// Spaces, comments and line breaks up to the next token. A `#` right after a token is not a comment
    /// but an error.
    fn trivia(&mut self) -> Option<()> {
        loop {
            self.spaces()?;
            match self.peek() {
                Some(b'#') => {
                    let after_blank =
                        self.pos == 0 || matches!(self.s[self.pos - 1], b' ' | b'\n' | b'\r');
                    if !after_blank {
                        return None;
                    }
                    self.comment();
                }
                Some(b'\n') | Some(b'\r') => {
                    self.newline()?;
                }
                _ => return Some(()),
            }
        }
    }

    fn is_dash_item(&self, pos: usize) -> bool {
        self.at(pos) == Some(b'-') && is_blank_or_break(self.at(pos + 1))
    }

    /// Content on the lines after `key:` or `-`, more indented than `parent`; `None` inside when there is
    /// none (the position is then left where it was).
    fn content_below(&mut self, parent: isize, same_indent_seq: bool) -> Option<Option<Value>> {
        let save = self.pos;
        let comments = self.comments.len();
        self.trivia()?;
        if !self.eof() {
            let c = self.col(self.pos);
            if c > parent {
                return self.node(parent, Inline::No).map(Some);
            }
            if same_indent_seq && c == parent && self.is_dash_item(self.pos) {
                return self.sequence(parent).map(Some);
            }
        }
        if self.comments.len() != comments {
            // An empty value followed by comments: the grammar stretches it over them; left to it.
            return None;
        }
        self.pos = save;
        Some(None)
    }

    fn node(&mut self, parent: isize, inline: Inline) -> Option<Value> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return None;
        }
        let v = self.node_inner(parent, inline);
        self.depth -= 1;
        v
    }

    fn node_inner(&mut self, parent: isize, inline: Inline) -> Option<Value> {
        let start = self.pos;
        let col = self.col(start);
        let b = self.peek()?;
        match b {
            b'-' if is_blank_or_break(self.at(start + 1)) => {
                if inline == Inline::AfterKey {
                    return None;
                }
                self.sequence(col)
            }
            b'!' => self.tagged(parent, inline),
            // A block scalar that starts its own line (the whole document, say) is rare; tree-sitter's.
            b'|' | b'>' if inline == Inline::No => None,
            b'|' | b'>' => self.block_scalar(parent),
            b'"' | b'\'' => {
                let q = self.quoted()?;
                if self.key_follows() {
                    if inline == Inline::AfterKey {
                        return None;
                    }
                    self.pos = start;
                    return self.mapping(col);
                }
                Some(q)
            }
            b'[' | b'{' => {
                let v = self.flow(parent)?;
                if self.key_follows() {
                    return None;
                }
                Some(v)
            }
            b'&' | b'*' | b'?' | b'%' | b'@' | b'`' | b'#' | b',' | b']' | b'}' => None,
            _ => {
                let (end, key) = self.plain_block_end()?;
                if key {
                    if inline == Inline::AfterKey {
                        return None;
                    }
                    return self.mapping(col);
                }
                self.plain_value(start, end)
            }
        }
    }

    /// After a scalar: spaces, then `:` and a blank, on the same line.
    fn key_follows(&mut self) -> bool {
        let mut i = self.pos;
        while self.at(i) == Some(b' ') {
            i += 1;
        }
        self.at(i) == Some(b':') && is_blank_or_break(self.at(i + 1))
    }

    /// End of a plain scalar in block context starting at the current position: the end of the line, a
    /// comment, or `: ` (then it is a key: the flag). Trailing spaces are not part of it.
    fn plain_block_end(&self) -> Option<(usize, bool)> {
        let b = self.peek()?;
        if matches!(b, b'-' | b'?' | b':') && !safe_after_indicator(self.at(self.pos + 1)) {
            return None;
        }
        let mut i = self.pos;
        let mut last = i;
        loop {
            match self.at(i) {
                None | Some(b'\n') | Some(b'\r') => break,
                Some(b':') if is_blank_or_break(self.at(i + 1)) => return Some((last, true)),
                Some(b'#') if i > self.pos && self.s[i - 1] == b' ' => break,
                Some(b' ') => {}
                Some(b'\t') => return None,
                Some(_) => last = i + 1,
            }
            i += 1;
        }
        Some((last, false))
    }

    fn plain_value(&mut self, start: usize, end: usize) -> Option<Value> {
        let raw = self.text.get(start..end)?;
        self.pos = end;
        Some(Value::new(start..end, typed_plain(raw, schema_of(raw))))
    }

    fn mapping(&mut self, indent: isize) -> Option<Value> {
        let start = self.pos;
        let mut end = start;
        let mut entries = Vec::new();
        loop {
            let key = self.block_key()?;
            if key.text == "<<" {
                // Merge keys need anchors, which this reader leaves to tree-sitter anyway.
                return None;
            }
            let colon_end = self.pos;
            self.spaces()?;
            let value = if self.at_line_end() {
                self.content_below(indent, true)?
            } else {
                Some(self.node(indent, Inline::AfterKey)?)
            };
            let value = value.unwrap_or_else(|| Value::new(colon_end..colon_end, ValueKind::Null));
            end = end.max(value.span.end).max(colon_end);
            push_entry(&mut entries, key, value, &mut self.findings);
            self.trivia()?;
            if self.eof() {
                break;
            }
            let c = self.col(self.pos);
            if c < indent {
                break;
            }
            if c > indent || !self.line_start_before(self.pos) {
                return None;
            }
            if self.at_marker(b"---") || self.at_marker(b"...") {
                return None;
            }
        }
        let end = self.through_comments(end);
        Some(fold_intrinsic(start..end, entries))
    }

    /// A block collection closed by a less indented line covers the comments before that line.
    fn through_comments(&self, end: usize) -> usize {
        match self.comments.last() {
            Some(c) if c.start >= end && c.end <= self.pos => c.end,
            _ => end,
        }
    }

    /// Whether only spaces stand between the start of the line and `pos`.
    fn line_start_before(&self, pos: usize) -> bool {
        self.s[..pos]
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .all(|&b| b == b' ')
    }

    /// A key in a block mapping, up to and including its `:`.
    fn block_key(&mut self) -> Option<super::value::Key> {
        let start = self.pos;
        let v = match self.peek()? {
            b'"' | b'\'' => self.quoted()?,
            b'!' | b'&' | b'*' | b'?' | b'[' | b'{' | b']' | b'}' | b',' | b'|' | b'>' | b'%'
            | b'@' | b'`' | b'#' => return None,
            _ => {
                let (end, key) = self.plain_block_end()?;
                if !key {
                    return None;
                }
                self.plain_value(start, end)?
            }
        };
        self.spaces()?;
        if self.peek() != Some(b':') || !is_blank_or_break(self.at(self.pos + 1)) {
            return None;
        }
        self.pos += 1;
        Some(key_of(self.text, &v))
    }

    fn sequence(&mut self, indent: isize) -> Option<Value> {
        let start = self.pos;
        let mut end = start;
        let mut items = Vec::new();
        loop {
            // At `-`.
            self.pos += 1;
            let dash_end = self.pos;
            self.spaces()?;
            let value = if self.at_line_end() {
                self.content_below(indent, false)?
            } else {
                Some(self.node(indent, Inline::AfterDash)?)
            };
            let value = value.unwrap_or_else(|| Value::new(dash_end..dash_end, ValueKind::Null));
            end = end.max(value.span.end).max(dash_end);
            items.push(value);
            self.trivia()?;
            if self.eof() {
                break;
            }
            let c = self.col(self.pos);
            if c < indent {
                break;
            }
            if c > indent || !self.line_start_before(self.pos) {
                return None;
            }
            if !self.is_dash_item(self.pos) {
                // A key of the mapping this sequence is the value of, written at the same indent; the
                // grammar takes a `-` there (`-key:`) for a broken item.
                if self.peek() == Some(b'-') {
                    return None;
                }
                break;
            }
        }
        let end = self.through_comments(end);
        Some(Value::new(start..end, ValueKind::Seq(items)))
    }

    fn tagged(&mut self, parent: isize, inline: Inline) -> Option<Value> {
        let start = self.pos;
        let (tag, i) = self.tag_at(start)?;
        self.pos = i;
        self.spaces()?;
        let inner = if self.at_line_end() {
            if inline == Inline::No {
                // A tag alone on its line: its content would sit below at the same indent; rare enough
                // to leave to tree-sitter.
                return None;
            }
            let below = self.content_below(parent, false)?;
            if below
                .as_ref()
                .is_some_and(|v| self.s.get(v.span.start) == Some(&b'!'))
            {
                // Two tags on one node.
                return None;
            }
            below
        } else {
            match self.peek()? {
                b'-' if is_blank_or_break(self.at(self.pos + 1)) => return None,
                b'!' | b'&' | b'*' => return None,
                _ => {}
            }
            let v = self.node(parent, Inline::AfterKey)?;
            Some(v)
        };
        let block_content = inner.as_ref().is_some_and(|v| {
            !matches!(self.s[v.span.start], b'[' | b'{' | b'"' | b'\'')
                && !matches!(
                    v.kind,
                    ValueKind::Num(_) | ValueKind::Bool(_) | ValueKind::Null
                )
                && (v.as_str().is_none() || matches!(self.s[v.span.start], b'|' | b'>'))
        });
        if block_content && super::value::intrinsic_for_tag(&tag[1..]).is_none() {
            // Other tags on block content: rare, and their spans follow other rules.
            return None;
        }
        let end = inner.as_ref().map_or(i, |v| v.span.end);
        Some(tagged_value(start..end, tag, start..i, inner))
    }

    /// A single-line quoted scalar.
    fn quoted(&mut self) -> Option<Value> {
        let start = self.pos;
        let q = self.peek()?;
        let mut i = start + 1;
        loop {
            match self.at(i)? {
                b'\n' | b'\r' => return None,
                b'\\' if q == b'"' => {
                    // Only YAML's escapes; anything else is an error tree-sitter reports.
                    let digits = match self.at(i + 1)? {
                        b'0' | b'a' | b'b' | b't' | b'\t' | b'n' | b'v' | b'f' | b'r' | b'e'
                        | b' ' | b'"' | b'/' | b'\\' | b'N' | b'_' | b'L' | b'P' => 0,
                        b'x' => 2,
                        b'u' => 4,
                        b'U' => 8,
                        _ => return None,
                    };
                    let hex = self.s.get(i + 2..i + 2 + digits)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    i += 2 + digits;
                }
                c if c == q => {
                    if q == b'\'' && self.at(i + 1) == Some(b'\'') {
                        i += 2;
                    } else {
                        i += 1;
                        break;
                    }
                }
                _ => i += 1,
            }
        }
        let raw = self.text.get(start..i)?;
        self.pos = i;
        let text = if q == b'"' {
            double_quoted(raw)
        } else {
            single_quoted(raw)
        };
        Some(Value::new(start..i, ValueKind::Str(text)))
    }

    fn block_scalar(&mut self, parent: isize) -> Option<Value> {
        let start = self.pos;
        self.pos += 1;
        while let Some(b) = self.peek() {
            match b {
                b'-' | b'+' => self.pos += 1,
                b'0'..=b'9' => return None,
                _ => break,
            }
        }
        if !is_blank_or_break(self.peek()) {
            return None;
        }
        self.spaces()?;
        if self.peek() == Some(b'#') {
            if self.s[self.pos - 1] != b' ' {
                return None;
            }
            self.comment();
        }
        let mut end = self.pos;
        if !self.newline()? {
            return None;
        }
        // Content lines: the first non-empty one sets the indent.
        let mut indent: Option<usize> = None;
        let mut max_leading_empty = 0;
        loop {
            let line = self.pos;
            let mut i = line;
            while self.at(i) == Some(b' ') {
                i += 1;
            }
            let spaces = i - line;
            let empty = is_break(self.at(i));
            if self.at(i).is_none() && spaces == 0 {
                break;
            }
            if empty {
                if indent.is_none() {
                    max_leading_empty = max_leading_empty.max(spaces);
                }
                self.pos = i;
                if !self.newline()? {
                    break;
                }
                continue;
            }
            let ind = match indent {
                Some(n) => n,
                None => {
                    if (spaces as isize) <= parent || spaces < max_leading_empty {
                        // No content, or a leading empty line indented deeper than the text: leave it.
                        return None;
                    }
                    indent = Some(spaces);
                    spaces
                }
            };
            if spaces < ind {
                break;
            }
            let mut j = i;
            while !is_break(self.at(j)) {
                j += 1;
            }
            // The grammar leaves trailing blanks of a line out of the scalar.
            end = j;
            while end > i && matches!(self.s[end - 1], b' ' | b'\t') {
                end -= 1;
            }
            if end == i {
                // Indentation followed by tabs only: whose line is it? Leave it to tree-sitter.
                return None;
            }
            self.pos = j;
            if !self.newline()? {
                break;
            }
        }
        indent?;
        self.pos = end;
        let raw = self.text.get(start..end)?;
        Some(Value::new(start..end, ValueKind::Str(block_scalar(raw))))
    }

    /// Whitespace inside a flow collection, which may cross lines; every new line must be indented
    /// deeper than the block around it.
    fn flow_trivia(&mut self, parent: isize) -> Option<()> {
        loop {
            self.spaces()?;
            match self.peek() {
                Some(b'#') => {
                    if !matches!(self.s[self.pos - 1], b' ' | b'\n' | b'\r') {
                        return None;
                    }
                    self.comment();
                }
                Some(b'\n') | Some(b'\r') => {
                    self.newline()?;
                    self.spaces()?;
                    if !is_break(self.peek())
                        && self.peek() != Some(b'#')
                        && (self.col(self.pos) <= parent
                            || self.at_marker(b"---")
                            || self.at_marker(b"..."))
                    {
                        return None;
                    }
                }
                _ => return Some(()),
            }
        }
    }

    fn flow(&mut self, parent: isize) -> Option<Value> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return None;
        }
        let v = if self.peek()? == b'[' {
            self.flow_seq(parent)
        } else {
            self.flow_map(parent)
        };
        self.depth -= 1;
        v
    }

    fn flow_seq(&mut self, parent: isize) -> Option<Value> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.flow_trivia(parent)?;
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(Value::new(start..self.pos, ValueKind::Seq(items)));
        }
        loop {
            let item_start = self.pos;
            let v = self.flow_node(parent)?;
            // `[a: b]`: a single-pair mapping, on one line.
            if self.flow_colon(item_start, b']') {
                if matches!(v.kind, ValueKind::Map(_) | ValueKind::Seq(_)) || v.is_intrinsic() {
                    return None;
                }
                let value = self.flow_value(parent, b']')?;
                let key = key_of(self.text, &v);
                let span = item_start..value.span.end;
                items.push(Value::new(span, ValueKind::Map(vec![(key, value)])));
            } else {
                items.push(v);
            }
            if self.flow_next(parent, b']')? {
                return Some(Value::new(start..self.pos, ValueKind::Seq(items)));
            }
        }
    }

    fn flow_map(&mut self, parent: isize) -> Option<Value> {
        let start = self.pos;
        self.pos += 1;
        let mut entries = Vec::new();
        self.flow_trivia(parent)?;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(Value::new(start..self.pos, ValueKind::Map(entries)));
        }
        loop {
            let key_start = self.pos;
            if matches!(self.peek()?, b'[' | b'{' | b'!') {
                return None;
            }
            let k = self.flow_node(parent)?;
            let colon = self.flow_colon(key_start, b'}');
            let key = key_of(self.text, &k);
            if key.text == "<<" {
                return None;
            }
            if colon {
                let value = self.flow_value(parent, b'}')?;
                push_entry(&mut entries, key, value, &mut self.findings);
            } else {
                let end = k.span.end;
                push_entry(
                    &mut entries,
                    key,
                    Value::new(end..end, ValueKind::Null),
                    &mut self.findings,
                );
            }
            if self.flow_next(parent, b'}')? {
                return Some(fold_intrinsic(start..self.pos, entries));
            }
        }
    }

    /// A tag token at `start` (`!Name`), with its end; `None` for tags this reader leaves alone.
    fn tag_at(&self, start: usize) -> Option<(&'a str, usize)> {
        let mut i = start + 1;
        while let Some(b) = self.at(i) {
            if matches!(b, b' ' | b'\n' | b'\r' | b'\t') || is_flow_indicator(b) {
                break;
            }
            i += 1;
        }
        let text: &'a str = self.text;
        let tag = text.get(start..i)?;
        simple_tag(tag).then_some((tag, i))
    }

    /// Whether the flow node just read (from `key_start`) is a key: `:` follows on the same line, then a
    /// blank, `,` or `close` (or anything, after a quoted key: `{"a":1}`).
    fn flow_colon(&self, key_start: usize, close: u8) -> bool {
        let mut i = self.pos;
        while self.at(i) == Some(b' ') {
            i += 1;
        }
        self.at(i) == Some(b':')
            && (matches!(self.at(i + 1), Some(b' ') | Some(b','))
                || self.at(i + 1) == Some(close)
                || matches!(self.s[key_start], b'"' | b'\''))
    }

    /// The value after a flow key's `:`, on the same line; an empty one is left to tree-sitter.
    fn flow_value(&mut self, parent: isize, close: u8) -> Option<Value> {
        self.spaces()?;
        self.pos += 1;
        self.spaces()?;
        match self.peek() {
            Some(b',') | Some(b'\n') | Some(b'\r') => None,
            Some(b) if b == close => None,
            _ => self.flow_node(parent),
        }
    }

    /// After a flow entry: `,` and more (`Some(false)`), or `close` (`Some(true)`). A trailing comma is
    /// left to tree-sitter.
    fn flow_next(&mut self, parent: isize, close: u8) -> Option<bool> {
        self.flow_trivia(parent)?;
        match self.peek()? {
            b',' => {
                self.pos += 1;
                self.flow_trivia(parent)?;
                if self.peek()? == close {
                    return None;
                }
                Some(false)
            }
            b if b == close => {
                self.pos += 1;
                Some(true)
            }
            _ => None,
        }
    }

    /// One node inside a flow collection.
    fn flow_node(&mut self, parent: isize) -> Option<Value> {
        let start = self.pos;
        match self.peek()? {
            b'[' | b'{' => self.flow(parent),
            b'"' | b'\'' => self.quoted(),
            b'!' => {
                let (tag, i) = self.tag_at(start)?;
                if self.at(i) != Some(b' ') {
                    // `!Tag,` or `!Tag]`: a tag without content; rare, left to tree-sitter.
                    return None;
                }
                self.pos = i;
                self.spaces()?;
                if matches!(
                    self.peek()?,
                    b',' | b']' | b'}' | b'\n' | b'\r' | b'#' | b'!' | b'&' | b'*'
                ) {
                    return None;
                }
                let inner = self.flow_node(parent)?;
                let end = inner.span.end;
                Some(tagged_value(start..end, tag, start..i, Some(inner)))
            }
            b'&' | b'*' | b'?' | b'%' | b'@' | b'`' | b'#' | b'|' | b'>' | b',' | b']' | b'}' => {
                None
            }
            b => {
                if matches!(b, b'-' | b':' | b'?') && !safe_after_indicator(self.at(start + 1)) {
                    return None;
                }
                let mut i = start;
                let mut last = start;
                loop {
                    match self.at(i) {
                        None | Some(b'\n') | Some(b'\r') => break,
                        Some(b':')
                            if is_blank_or_break(self.at(i + 1))
                                || self.at(i + 1).is_some_and(is_flow_indicator) =>
                        {
                            break
                        }
                        Some(c) if is_flow_indicator(c) => break,
                        Some(b'#') if i > start && self.s[i - 1] == b' ' => break,
                        Some(b' ') => {}
                        Some(b'\t') => return None,
                        Some(_) => last = i + 1,
                    }
                    i += 1;
                }
                // A plain scalar continued on the next line is left to tree-sitter.
                let mut j = i;
                while self.at(j) == Some(b' ') {
                    j += 1;
                }
                if is_break(self.at(j)) && self.at(j).is_some() {
                    let save = self.pos;
                    self.pos = j;
                    self.flow_trivia(parent)?;
                    let next = self.peek();
                    self.pos = save;
                    if !matches!(next, Some(b',') | Some(b']') | Some(b'}')) {
                        return None;
                    }
                }
                self.plain_value(start, last)
            }
        }
    }
}

/// `!Name` or `!!name` with word characters only (every CloudFormation tag); URI-like tags are left to
/// tree-sitter.
fn simple_tag(tag: &str) -> bool {
    let name = tag
        .strip_prefix("!!")
        .or_else(|| tag.strip_prefix('!'))
        .unwrap_or("");
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
}

/// Whether the text holds only characters whose YAML meaning is plain: no control characters, byte order
/// marks or Unicode line separators, which YAML readers disagree on.
fn plain_characters(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\t' | b'\n' | b'\r' | 0x20..=0x7e => {}
            0x00..=0x1f | 0x7f => return false,
            // U+0080–U+009F (NEL among them).
            0xc2 if matches!(b.get(i + 1), Some(0x80..=0x9f)) => return false,
            // U+2028, U+2029.
            0xe2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xa8 | 0xa9)) => {
                return false
            }
            // U+FEFF, U+FFFE, U+FFFF.
            0xef if matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ) =>
            {
                return false
            }
            _ => {}
        }
        i += 1;
    }
    true
}

/// Block nodes that end the document run to the end of the text, trailing blank lines and comments
/// included, as the grammar's nodes do (their end is where the scanner closes them).
fn run_to_end(v: &mut Value, last: usize, text: &str) {
    let s = text.as_bytes();
    if v.span.end != last {
        return;
    }
    let first = s.get(v.span.start).copied();
    // What a tag stands before decides whether the node is a flow or a block one.
    let content = if first == Some(b'!') {
        let mut i = v.span.start;
        while s.get(i).is_some_and(|b| !matches!(b, b' ' | b'\n' | b'\r')) {
            i += 1;
        }
        while s.get(i) == Some(&b' ') {
            i += 1;
        }
        s.get(i).copied()
    } else {
        first
    };
    match &mut v.kind {
        ValueKind::Map(entries) if !matches!(content, Some(b'{') | Some(b'[')) => {
            v.span.end = s.len();
            if let Some((_, child)) = entries.last_mut() {
                run_to_end(child, last, text);
            }
        }
        ValueKind::Seq(items) if !matches!(content, Some(b'{') | Some(b'[')) => {
            v.span.end = s.len();
            if let Some(child) = items.last_mut() {
                run_to_end(child, last, text);
            }
        }
        ValueKind::Intrinsic { arg, .. } => {
            run_to_end(arg, last, text);
            let flow = first == Some(b'{');
            if !flow && (first != Some(b'!') || arg.span.end == s.len()) {
                v.span.end = s.len();
            }
        }
        ValueKind::Str(_) if matches!(content, Some(b'|') | Some(b'>')) => {
            // The content is read from the whole span (trailing spaces of the last line included).
            v.span.end = s.len();
            if let Some(raw) = text.get(v.span.clone()) {
                v.kind = ValueKind::Str(block_scalar(raw));
            }
        }
        _ => {}
    }
}

/// The core schema's reading of a single-line plain scalar, as the grammar's scanner decides it.
fn schema_of(raw: &str) -> Schema {
    match raw {
        "~" | "null" | "Null" | "NULL" => return Schema::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return Schema::Bool,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return Schema::Float,
        _ => {}
    }
    let b = raw.as_bytes();
    let digits = |s: &[u8], ok: fn(u8) -> bool| !s.is_empty() && s.iter().all(|&c| ok(c));
    if let Some(rest) = raw.strip_prefix("0o") {
        if digits(rest.as_bytes(), |c| (b'0'..=b'7').contains(&c)) {
            return Schema::Int;
        }
    }
    if let Some(rest) = raw.strip_prefix("0x") {
        if digits(rest.as_bytes(), |c| c.is_ascii_hexdigit()) {
            return Schema::Int;
        }
    }
    let unsigned = match b.first() {
        Some(b'-') | Some(b'+') => &b[1..],
        _ => b,
    };
    if digits(unsigned, |c| c.is_ascii_digit()) {
        return Schema::Int;
    }
    // [-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?
    let mut i = 0;
    let n = unsigned.len();
    let int_digits = unsigned.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    if int_digits == 0 {
        if unsigned.get(i) != Some(&b'.') {
            return Schema::Str;
        }
        i += 1;
        let frac = unsigned[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if frac == 0 {
            return Schema::Str;
        }
        i += frac;
    } else if unsigned.get(i) == Some(&b'.') {
        i += 1;
        i += unsigned[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
    }
    if matches!(unsigned.get(i), Some(b'e') | Some(b'E')) {
        i += 1;
        if matches!(unsigned.get(i), Some(b'-') | Some(b'+')) {
            i += 1;
        }
        let exp = unsigned[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if exp == 0 {
            return Schema::Str;
        }
        i += exp;
    }
    if i == n {
        Schema::Float
    } else {
        Schema::Str
    }
}
