//! The one place where editor positions meet byte offsets.
//!
//! LSP positions are (line, character) where "character" counts UTF-16 code units by default or bytes when
//! UTF-8 was negotiated. Line breaks are `\n`, `\r\n` and a lone `\r`, exactly as ropey's `cr_lines` feature
//! counts them (its Unicode line breaks are off, so U+2028 does not start a line, matching LSP).

use ropey::Rope;

/// How the client counts the `character` of a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

/// A zero-based (line, character) pair in the negotiated encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

/// A half-open range of positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PosRange {
    pub start: Position,
    pub end: Position,
}

/// Byte length of `line` without its terminator.
fn line_content_len(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let mut len = slice.len_bytes();
    // Strip "\r\n", "\n" or "\r" — at most two bytes.
    if len > 0 && slice.byte(len - 1) == b'\n' {
        len -= 1;
    }
    if len > 0 && slice.byte(len - 1) == b'\r' {
        len -= 1;
    }
    len
}

/// Byte offset of `pos`, clamped to the document: a character past the end of its line means the end of
/// that line (as the LSP specification asks), a line past the end means the end of the document. A
/// position inside a UTF-8 sequence or between the halves of a surrogate pair snaps to the character start.
pub fn offset_of(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let content_len = line_content_len(rope, line);
    let slice = rope.byte_slice(line_start..line_start + content_len);
    let within = match enc {
        Encoding::Utf8 => {
            let wanted = (pos.character as usize).min(content_len);
            // Snap back to a char boundary.
            let ch = slice.byte_to_char(wanted);
            slice.char_to_byte(ch)
        }
        Encoding::Utf16 => {
            let total = slice.len_utf16_cu();
            let wanted = (pos.character as usize).min(total);
            let ch = slice.utf16_cu_to_char(wanted);
            slice.char_to_byte(ch)
        }
    };
    line_start + within
}

/// Position of byte `offset` (clamped to the document and snapped back to a char boundary).
pub fn position_of(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    // Offsets inside a "\r\n" pair or past the content belong to the end of the line content.
    let content_end = line_start + line_content_len(rope, line);
    let offset = offset.min(content_end);
    let character = match enc {
        Encoding::Utf8 => {
            let ch = rope.byte_to_char(offset);
            rope.char_to_byte(ch) - line_start
        }
        Encoding::Utf16 => {
            let start_char = rope.byte_to_char(line_start);
            let end_char = rope.byte_to_char(offset);
            rope.char_to_utf16_cu(end_char) - rope.char_to_utf16_cu(start_char)
        }
    };
    Position {
        line: line as u32,
        character: character as u32,
    }
}

/// Positions of a byte span.
pub fn range_of(rope: &Rope, span: std::ops::Range<usize>, enc: Encoding) -> PosRange {
    PosRange {
        start: position_of(rope, span.start, enc),
        end: position_of(rope, span.end, enc),
    }
}

/// Byte span of a position range (start and end each clamped; a reversed range becomes empty).
pub fn span_of(rope: &Rope, range: PosRange, enc: Encoding) -> std::ops::Range<usize> {
    let start = offset_of(rope, range.start, enc);
    let end = offset_of(rope, range.end, enc).max(start);
    start..end
}

/// One-based line and column (in characters) for human-readable output such as `file:12:7`.
pub fn line_col_chars(rope: &Rope, offset: usize) -> (usize, usize) {
    let offset = offset.min(rope.len_bytes());
    let line = rope.byte_to_line(offset);
    let line_start_char = rope.line_to_char(line);
    let ch = rope.byte_to_char(offset);
    (line + 1, ch - line_start_char + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs() {
        let rope = Rope::from_str("a😀b\nx");
        let pos = position_of(&rope, "a😀".len(), Encoding::Utf16);
        assert_eq!(
            pos,
            Position {
                line: 0,
                character: 3
            }
        );
        assert_eq!(offset_of(&rope, pos, Encoding::Utf16), "a😀".len());
        let pos8 = position_of(&rope, "a😀".len(), Encoding::Utf8);
        assert_eq!(pos8.character, 5);
    }

    #[test]
    fn crlf_and_lone_cr_are_line_breaks_but_u2028_is_not() {
        let rope = Rope::from_str("a\r\nb\rc\u{2028}d\ne");
        assert_eq!(rope.len_lines(), 4);
        let off = offset_of(
            &rope,
            Position {
                line: 2,
                character: 2,
            },
            Encoding::Utf16,
        );
        assert_eq!(&rope.to_string()[off..off + 1], "d");
    }

    #[test]
    fn past_line_end_clamps_to_line_end() {
        let rope = Rope::from_str("ab\r\ncd");
        let off = offset_of(
            &rope,
            Position {
                line: 0,
                character: 99,
            },
            Encoding::Utf8,
        );
        assert_eq!(off, 2);
        let off = offset_of(
            &rope,
            Position {
                line: 9,
                character: 0,
            },
            Encoding::Utf8,
        );
        assert_eq!(off, 6);
    }
}
