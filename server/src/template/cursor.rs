//! Where the cursor is in a YAML document that is being typed: the chain of keys above it and whether it
//! sits where a key or a value goes. Read from the text by indentation, because half-typed YAML (`Mem`
//! alone on a line, `Runtime: ` with nothing after it) does not parse into the value tree.

use crate::text::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    /// An item of a block sequence (`- …`).
    Item,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A key of the mapping at `path` is being typed.
    Key,
    /// The value of `key` (in the mapping at `path`) is being typed; `in_list` when it is an item of a
    /// flow (`[a, b]`) or block (`- a`) sequence.
    Value { key: String, in_list: bool },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// Keys from the root down to the mapping that holds the cursor.
    pub path: Vec<Seg>,
    pub slot: Slot,
    /// The word being typed, before the cursor.
    pub prefix: String,
    /// The span that a completion replaces: the whole word around the cursor.
    pub replace: Span,
}

struct Line<'a> {
    /// Column of the first character after the indentation.
    indent: usize,
    /// Number of `- ` markers before the content.
    items: usize,
    /// Column where the content after the markers starts.
    col: usize,
    content: &'a str,
}

fn parse_line(line: &str) -> Line<'_> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut rest = &line[indent..];
    let mut col = indent;
    let mut items = 0;
    while let Some(r) = rest
        .strip_prefix("- ")
        .or_else(|| (rest == "-").then_some(""))
    {
        let spaces = r.len() - r.trim_start_matches(' ').len();
        col += rest.len() - r.len() + spaces;
        rest = &r[spaces..];
        items += 1;
    }
    Line {
        indent,
        items,
        col,
        content: rest,
    }
}

/// The key of a `key:` or `key: value` line (quotes removed), or `None`.
fn key_of(content: &str) -> Option<&str> {
    let content = content.split(" #").next().unwrap_or(content);
    let (k, _) = content
        .split_once(": ")
        .or_else(|| content.trim_end().strip_suffix(':').map(|k| (k, "")))?;
    let k = k.trim().trim_matches(['"', '\'']);
    (!k.is_empty() && !k.starts_with('{') && !k.starts_with('[')).then_some(k)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/' | '$' | '*')
}

/// The previous non-blank, non-comment line before the line starting at `pos`, with its start.
fn prev_line(text: &str, pos: usize) -> Option<(usize, &str)> {
    let mut pos = pos;
    while pos > 0 {
        let end = pos - 1;
        let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        pos = start;
        let raw = &text[start..end];
        let t = raw.trim();
        if !t.is_empty() && !t.starts_with('#') {
            return Some((start, raw));
        }
    }
    None
}

/// The cursor's place in a YAML document at byte `offset`.
pub fn at(text: &str, offset: usize) -> Option<Cursor> {
    if offset > text.len() || !text.is_char_boundary(offset) {
        return None;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let before = &text[line_start..offset];
    let after = &text[offset..line_end];
    if before.trim_start().starts_with('#') {
        return None;
    }
    let line = parse_line(before);
    let word_start = offset
        - before
            .chars()
            .rev()
            .take_while(|c| is_word(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    let word_end = offset
        + after
            .chars()
            .take_while(|c| is_word(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    let prefix = text[word_start..offset].to_string();
    let mut path_rev: Vec<Seg> = Vec::new();
    let key_value = line
        .content
        .split_once(": ")
        .or_else(|| line.content.strip_suffix(':').map(|k| (k, "")))
        .filter(|(k, _)| !k.contains('[') && !k.contains('{'));
    let (slot, mut level, mut pos) = match key_value {
        Some((k, value)) => {
            // A key (and maybe its value) on this line: it belongs to the mapping at its column, inside
            // the list items this line's markers open.
            path_rev.extend(std::iter::repeat_n(Seg::Item, line.items));
            let key = k.trim().trim_matches(['"', '\'']).to_string();
            let in_list = value.trim_start().starts_with('[');
            let level = if line.items > 0 {
                line.indent
            } else {
                line.col
            };
            (Slot::Value { key, in_list }, level, line_start)
        }
        None if line.items > 0 => {
            // `- value`: an item of the list that is the value of the nearest key above.
            path_rev.extend(std::iter::repeat_n(Seg::Item, line.items - 1));
            let mut pos = line_start;
            let mut found = None;
            while let Some((start, raw)) = prev_line(text, pos) {
                pos = start;
                let l = parse_line(raw);
                if l.col < line.indent {
                    found = key_of(l.content).map(|k| (k.to_string(), l));
                    break;
                }
            }
            let (key, l) = found?;
            path_rev.extend(std::iter::repeat_n(Seg::Item, l.items));
            let level = l.indent;
            (Slot::Value { key, in_list: true }, level, pos)
        }
        None => {
            path_rev.extend(std::iter::repeat_n(Seg::Item, line.items));
            (Slot::Key, line.col, line_start)
        }
    };
    // Each line above whose content starts left of `level` is a parent.
    while level > 0 {
        let Some((start, raw)) = prev_line(text, pos) else {
            break;
        };
        pos = start;
        let l = parse_line(raw);
        if l.col < level {
            if let Some(k) = key_of(l.content) {
                path_rev.push(Seg::Key(k.to_string()));
            }
            path_rev.extend(std::iter::repeat_n(Seg::Item, l.items));
            level = l.indent;
        } else if l.items > 0 && l.indent < level {
            // A sibling key inside the list item this line starts (`- a: 1` above `  b: |`).
            path_rev.extend(std::iter::repeat_n(Seg::Item, l.items));
            level = l.indent;
        }
    }
    path_rev.reverse();
    Some(Cursor {
        path: path_rev,
        slot,
        prefix,
        replace: word_start..word_end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_bar(src: &str) -> Cursor {
        let offset = src.find('|').expect("cursor");
        let text = src.replacen('|', "", 1);
        at(&text, offset).expect("cursor")
    }

    fn keys(c: &Cursor) -> Vec<String> {
        c.path
            .iter()
            .map(|s| match s {
                Seg::Key(k) => k.clone(),
                Seg::Item => "-".into(),
            })
            .collect()
    }

    #[test]
    fn value_after_a_key() {
        let c = at_bar("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: pyt|\n");
        assert_eq!(keys(&c), ["Resources", "Fn", "Properties"]);
        assert_eq!(
            c.slot,
            Slot::Value {
                key: "Runtime".into(),
                in_list: false
            }
        );
        assert_eq!(c.prefix, "pyt");
        let c = at_bar("Resources:\n  Fn:\n    Properties:\n      Runtime: |\n      Handler: x\n");
        assert_eq!(c.prefix, "");
        assert_eq!(
            c.slot,
            Slot::Value {
                key: "Runtime".into(),
                in_list: false
            }
        );
    }

    #[test]
    fn key_being_typed() {
        let c =
            at_bar("Resources:\n  Fn:\n    Properties:\n      Runtime: python3.13\n      Mem|\n");
        assert_eq!(keys(&c), ["Resources", "Fn", "Properties"]);
        assert_eq!(c.slot, Slot::Key);
        assert_eq!(c.prefix, "Mem");
    }

    #[test]
    fn list_items() {
        let c = at_bar("Resources:\n  Fn:\n    Properties:\n      Architectures:\n        - ar|\n");
        assert_eq!(keys(&c), ["Resources", "Fn", "Properties"]);
        assert_eq!(
            c.slot,
            Slot::Value {
                key: "Architectures".into(),
                in_list: true
            }
        );
        let c = at_bar("Resources:\n  Fn:\n    Properties:\n      Architectures: [ar|]\n");
        assert_eq!(
            c.slot,
            Slot::Value {
                key: "Architectures".into(),
                in_list: true
            }
        );
        assert_eq!(c.prefix, "ar");
        let c = at_bar(
            "functions:\n  hello:\n    events:\n      - http:\n          path: /x\n          me|\n",
        );
        assert_eq!(keys(&c), ["functions", "hello", "events", "-", "http"]);
        assert_eq!(c.slot, Slot::Key);
        // A lone word in a block list reads as an item of the list; completions decide what it means.
        let c = at_bar("functions:\n  hello:\n    events:\n      - ht|\n");
        assert_eq!(keys(&c), ["functions", "hello"]);
        assert_eq!(
            c.slot,
            Slot::Value {
                key: "events".into(),
                in_list: true
            }
        );
        let c = at_bar("functions:\n  hello:\n    events:\n      - http:\n          path: /x\n      - sqs:\n          arn: x\n          bat|\n");
        assert_eq!(keys(&c), ["functions", "hello", "events", "-", "sqs"]);
    }

    #[test]
    fn sibling_in_list_item() {
        let c = at_bar("Statement:\n  - Effect: Allow\n    Act|\n");
        assert_eq!(keys(&c), ["Statement", "-"]);
        assert_eq!(c.slot, Slot::Key);
    }
}
