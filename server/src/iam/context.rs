//! Where the cursor is in policy text, read from the text itself so that half-typed JSON and YAML (an
//! unterminated string, a missing bracket, an ERROR region in the syntax tree) still give an answer: the
//! chain of keys that encloses the cursor, whether a key or a value is being typed, and the word under it.

use crate::text::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// Enclosing keys, innermost first (`["Action"]`, `["aws:SourceArn", "StringEquals", "Condition", …]`).
    pub keys: Vec<String>,
    /// A key is being typed (not a value).
    pub at_key: bool,
    /// The word being typed, without quotes.
    pub word: String,
    /// The span the completion replaces.
    pub span: Span,
    /// Inside a `!Sub`/`Fn::Sub` string (ARN snippets use pseudo parameters there).
    pub in_sub: bool,
    /// The word sits inside quotes.
    pub quoted: bool,
}

fn is_word_char(c: char) -> bool {
    !matches!(
        c,
        '"' | '\'' | ' ' | '\t' | '\n' | '\r' | ',' | '[' | ']' | '{' | '}'
    )
}

pub fn cursor(text: &str, pos: usize, yaml: bool) -> Option<Cursor> {
    let pos = pos.min(text.len());
    if !text.is_char_boundary(pos) {
        return None;
    }
    let before = &text[..pos];
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !is_word_char(*c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let after_len = text[pos..]
        .find(|c: char| !is_word_char(c))
        .unwrap_or(text.len() - pos);
    let mut word = text[start..pos].to_string();
    let mut end = pos + after_len;
    // A key being typed in YAML ends at its colon.
    if let Some(i) = word.rfind(": ") {
        let _ = i;
    }
    // YAML `Action: s3:Get` — the word after `key: ` only.
    if yaml {
        if let Some(i) = text[start..pos].find(": ") {
            word = text[start + i + 2..pos].to_string();
            return finish(text, start + i + 2, pos, end, word, yaml);
        }
    }
    if word.ends_with(':') && yaml && text[pos..].starts_with(' ') {
        end = pos;
    }
    finish(text, start, pos, end, word, yaml)
}

fn finish(
    text: &str,
    start: usize,
    pos: usize,
    end: usize,
    word: String,
    yaml: bool,
) -> Option<Cursor> {
    let quoted = matches!(text[..start].chars().last(), Some('"' | '\''));
    // Scan from before the opening quote of the word being typed.
    let scan_to = if quoted { start - 1 } else { start };
    let (keys, at_key) = if yaml {
        yaml_keys(text, scan_to)
    } else {
        let (k, a, _) = scan(text, 0, scan_to);
        (k, a)
    };
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = &text[line_start..start];
    let in_sub = line.contains("!Sub") || line.contains("Fn::Sub");
    let _ = pos;
    Some(Cursor {
        keys,
        at_key,
        word,
        span: start..end,
        in_sub,
        quoted,
    })
}

/// Scans `text[from..to]` backwards (JSON, or YAML flow on one line). Returns the enclosing keys
/// (innermost first), whether the position is a key position, and whether the scan left the range
/// without finding an enclosing container (so the YAML block structure decides the rest).
fn scan(text: &str, from: usize, to: usize) -> (Vec<String>, bool, bool) {
    let b = text.as_bytes();
    let mut keys = Vec::new();
    let mut at_key: Option<bool> = None;
    let mut level = 0i32;
    let mut comma = false;
    let mut seeking_key = true;
    let mut i = to;
    while i > from {
        i -= 1;
        let c = b[i];
        match c {
            b'"' | b'\'' => {
                let end = i;
                let mut j = i;
                while j > from {
                    j -= 1;
                    if b[j] == c && (j == 0 || b[j - 1] != b'\\') {
                        break;
                    }
                }
                let s = text.get(j + 1..end).unwrap_or("");
                let after = text.get(end + 1..to).unwrap_or("").trim_start();
                if level == 0 && seeking_key && after.starts_with(':') {
                    if at_key.is_none() {
                        at_key = Some(comma);
                    }
                    if !comma {
                        keys.push(s.to_string());
                        seeking_key = false;
                    }
                }
                i = j;
            }
            b'}' | b']' => level += 1,
            b'{' | b'[' => {
                if level > 0 {
                    level -= 1;
                } else {
                    if at_key.is_none() {
                        at_key = Some(c == b'{');
                    }
                    seeking_key = true;
                    comma = false;
                }
            }
            b',' if level == 0 && seeking_key => comma = true,
            b':' if level == 0 && seeking_key => {
                // A bare YAML flow key (`{Service: lam`): the word before the colon.
                let next = b.get(i + 1).copied().unwrap_or(b' ');
                if next == b' ' || next == b'\n' {
                    let mut j = i;
                    while j > from && !matches!(b[j - 1], b' ' | b'{' | b',' | b'\n' | b'[') {
                        j -= 1;
                    }
                    if j < i {
                        if at_key.is_none() {
                            at_key = Some(comma);
                        }
                        if !comma {
                            keys.push(
                                text.get(j..i)
                                    .unwrap_or("")
                                    .trim()
                                    .trim_matches(|c| c == '"' || c == '\'')
                                    .to_string(),
                            );
                            seeking_key = false;
                        }
                        i = j;
                    }
                }
            }
            _ => {}
        }
    }
    (keys, at_key.unwrap_or(true), seeking_key)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A block-YAML line's key and its column (`  - Action: x` → ("Action", 4)).
fn line_key(line: &str) -> Option<(String, usize)> {
    let mut col = indent_of(line);
    let mut rest = &line[col..];
    while let Some(r) = rest.strip_prefix("- ") {
        col += 2 + (r.len() - r.trim_start_matches(' ').len());
        rest = r.trim_start_matches(' ');
    }
    let rest = rest.trim_end();
    let key_end = if rest.starts_with('"') || rest.starts_with('\'') {
        let q = rest.as_bytes()[0] as char;
        let close = rest[1..].find(q)? + 1;
        rest[close + 1..].starts_with(':').then_some(close + 1)?
    } else {
        rest.find(": ")
            .or_else(|| rest.ends_with(':').then(|| rest.len() - 1))?
    };
    let key = rest[..key_end]
        .trim_matches(|c| c == '"' || c == '\'')
        .to_string();
    (!key.is_empty() && !key.starts_with('#')).then_some((key, col))
}

fn yaml_keys(text: &str, start: usize) -> (Vec<String>, bool) {
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let (mut keys, mut at_key, open) = scan(text, line_start, start);
    let line = &text[line_start..start];
    // The column that the current entry starts at.
    let mut col = indent_of(line);
    let mut rest = &line[col..];
    let mut list_item = false;
    while let Some(r) = rest
        .strip_prefix("- ")
        .or_else(|| (rest == "-").then_some(""))
    {
        list_item = true;
        col += 2 + (r.len() - r.trim_start_matches(' ').len());
        rest = r.trim_start_matches(' ');
    }
    if !open {
        // The line holds a flow collection; its own key is on this line or above.
    }
    if keys.is_empty() && !list_item {
        at_key = !rest.contains(": ") && !rest.contains('[') && !rest.contains('{');
    } else if keys.is_empty() && list_item {
        at_key = false;
    }
    // A key on this line encloses flow content: continue above from the key's column.
    let mut limit = col;
    let own_key = line_key(line);
    if let Some((k, c)) = &own_key {
        if keys.last() != Some(k) && open && !at_key {
            keys.push(k.clone());
        }
        limit = *c;
    }
    // A list item whose dash sits at its key's column (`Action:\n- x`).
    let mut same_col_ok = list_item && own_key.is_none();
    for prev in text[..line_start].lines().rev() {
        if prev.trim().is_empty() || prev.trim_start().starts_with('#') {
            continue;
        }
        if let Some((k, c)) = line_key(prev) {
            if c < limit || (same_col_ok && c == limit && prev.trim_end().ends_with(':')) {
                keys.push(k);
                limit = c;
                same_col_ok = false;
                if c == 0 {
                    break;
                }
                continue;
            }
        }
        let ind = indent_of(prev);
        if ind < limit && !prev.trim_start().starts_with('-') {
            limit = ind;
        }
        if ind == 0 && !prev.trim_start().starts_with('-') && limit == 0 {
            break;
        }
    }
    (keys, at_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, yaml: bool) -> Cursor {
        let pos = text.find('|').expect("cursor mark");
        let t = text.replacen('|', "", 1);
        cursor(&t, pos, yaml).expect("cursor")
    }

    #[test]
    fn json_values_and_keys() {
        let c = at(
            r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:Ge|"#,
            false,
        );
        assert_eq!(c.keys, vec!["Action", "Statement"]);
        assert!(!c.at_key);
        assert_eq!(c.word, "s3:Ge");
        let c = at(r#"{"Statement": [{"Effect": "Allow", "Act|"#, false);
        assert!(c.at_key);
        assert_eq!(c.keys, vec!["Statement"]);
        let c = at(
            r#"{"Statement": {"Action": "s3:Get|", "Resource": "*"}}"#,
            false,
        );
        assert_eq!(c.keys, vec!["Action", "Statement"]);
        assert_eq!(c.word, "s3:Get");
        let c = at(
            r#"{"Statement": [{"Condition": {"StringEquals": {"aws:So|"#,
            false,
        );
        assert_eq!(c.keys, vec!["StringEquals", "Condition", "Statement"]);
        assert!(c.at_key);
    }

    #[test]
    fn yaml_block_and_flow() {
        let t = "Resources:\n  R:\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action:\n              - s3:Get|\n";
        let c = at(t, true);
        assert_eq!(c.keys[..2], ["Action".to_string(), "Statement".to_string()]);
        assert_eq!(c.word, "s3:Get");
        let c = at("Statement:\n  - Effect: Allow\n    Action: s3:Ge|\n", true);
        assert_eq!(c.keys, vec!["Action", "Statement"]);
        assert_eq!(c.word, "s3:Ge");
        assert!(!c.at_key);
        let c = at("Statement:\n  - Effect: Allow\n    Act|\n", true);
        assert!(c.at_key);
        assert_eq!(c.keys, vec!["Statement"]);
        let c = at("Statement:\n  - Principal: {Service: lam|}\n", true);
        assert_eq!(
            c.keys[..2],
            ["Service".to_string(), "Principal".to_string()]
        );
        let c = at("Statement:\n  - Action: [s3:GetObject, s3:Pu|]\n", true);
        assert_eq!(c.keys, vec!["Action", "Statement"]);
        let c = at("Statement:\n- Action:\n  - 'dynamodb:Get|'\n", true);
        assert_eq!(c.keys, vec!["Action", "Statement"]);
        assert!(c.quoted);
    }
}
