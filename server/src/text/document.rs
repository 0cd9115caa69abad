//! An editable document: a rope for cheap incremental edits plus the facts tree-sitter needs to reparse
//! incrementally.

use super::position::{self, Encoding, PosRange};
use ropey::Rope;

/// One edit as a client sends it: a range (or none for "replace everything") and the new text.
#[derive(Clone, Debug)]
pub struct TextChange {
    pub range: Option<PosRange>,
    pub text: String,
}

/// What an applied edit did in byte terms, for `tree_sitter::Tree::edit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeOutcome {
    pub start_byte: usize,
    pub old_end_byte: usize,
    pub new_end_byte: usize,
    pub start_point: (usize, usize),
    pub old_end_point: (usize, usize),
    pub new_end_point: (usize, usize),
}

impl ChangeOutcome {
    /// The same edit, as a syntax tree takes it before an incremental reparse.
    pub fn input_edit(&self) -> tree_sitter::InputEdit {
        let point = |(row, column): (usize, usize)| tree_sitter::Point { row, column };
        tree_sitter::InputEdit {
            start_byte: self.start_byte,
            old_end_byte: self.old_end_byte,
            new_end_byte: self.new_end_byte,
            start_position: point(self.start_point),
            old_end_position: point(self.old_end_point),
            new_end_position: point(self.new_end_point),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct TextDocument {
    rope: Rope,
}

impl TextDocument {
    pub fn new(text: &str) -> Self {
        TextDocument {
            rope: Rope::from_str(text),
        }
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn len_bytes(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Tree-sitter rows count `\n` only; columns are bytes. A lone `\r` is rare enough that we accept the
    /// small mismatch with ropey's line count (tree-sitter only uses points as hints next to byte offsets).
    fn point(&self, byte: usize) -> (usize, usize) {
        let line = self.rope.byte_to_line(byte);
        (line, byte - self.rope.line_to_byte(line))
    }

    /// Applies one change and reports it in byte terms. Ranges are clamped to the document, so a client that
    /// sends a stale or out-of-range position cannot make us panic.
    pub fn apply(&mut self, change: &TextChange, enc: Encoding) -> ChangeOutcome {
        let (start, end) = match change.range {
            Some(range) => {
                let span = position::span_of(&self.rope, range, enc);
                (span.start, span.end)
            }
            None => (0, self.rope.len_bytes()),
        };
        let start_point = self.point(start);
        let old_end_point = self.point(end);
        let start_char = self.rope.byte_to_char(start);
        let end_char = self.rope.byte_to_char(end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, &change.text);
        let new_end = start + change.text.len();
        ChangeOutcome {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: new_end,
            start_point,
            old_end_point,
            new_end_point: self.point(new_end),
        }
    }
}
