//! Random edit sequences over text with emoji, CJK and CRLF: the rope must stay identical to a plain
//! `String` edited the same way, and positions must round-trip in both encodings.

use super::document::{TextChange, TextDocument};
use super::position::{offset_of, position_of, Encoding, PosRange};
use proptest::prelude::*;

const ALPHABET: &[&str] = &[
    "a", "b", " ", "\n", "\r\n", "\r", "😀", "漢", "é", "\t", "{", "\"", "\u{2028}",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..40).prop_map(|parts| parts.concat())
}

/// The same edit on a plain string, with positions converted by walking characters (an independent
/// implementation of the LSP rules).
fn reference_offset(text: &str, line: u32, character: u32, enc: Encoding) -> usize {
    let bytes = text.as_bytes();
    let mut offset = 0;
    let mut l = 0;
    // Find the line start.
    while l < line {
        match text[offset..].find(['\n', '\r']) {
            None => return text.len(),
            Some(i) => {
                offset += i;
                if bytes[offset] == b'\r' && bytes.get(offset + 1) == Some(&b'\n') {
                    offset += 2;
                } else {
                    offset += 1;
                }
                l += 1;
            }
        }
    }
    let mut units = 0u32;
    for (i, c) in text[offset..].char_indices() {
        if c == '\n' || c == '\r' {
            return offset + i;
        }
        let width = match enc {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
        };
        if units + width > character {
            return offset + i;
        }
        units += width;
    }
    text.len()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn edits_keep_rope_and_string_identical(
        initial in text_strategy(),
        edits in prop::collection::vec((0u32..8, 0u32..12, 0u32..8, 0u32..12, text_strategy(), any::<bool>()), 1..25),
    ) {
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let mut doc = TextDocument::new(&initial);
            let mut reference = initial.clone();
            for (l1, c1, l2, c2, insert, full) in &edits {
                if *full {
                    doc.apply(&TextChange { range: None, text: insert.clone() }, enc);
                    reference = insert.clone();
                    continue;
                }
                let a = reference_offset(&reference, *l1, *c1, enc);
                let b = reference_offset(&reference, *l2, *c2, enc);
                let (start, end) = (a.min(b), a.max(b));
                // Express the reference offsets as positions the way a client would, then edit.
                let rope = doc.rope().clone();
                let range = PosRange { start: position_of(&rope, start, enc), end: position_of(&rope, end, enc) };
                let outcome = doc.apply(&TextChange { range: Some(range), text: insert.clone() }, enc);
                prop_assert_eq!(outcome.start_byte, start);
                reference.replace_range(start..end, insert);
                prop_assert_eq!(doc.text(), reference.clone());
            }
            // Every char boundary round-trips through a position.
            let rope = doc.rope().clone();
            for (off, _) in reference.char_indices().chain(std::iter::once((reference.len(), ' '))) {
                let pos = position_of(&rope, off, enc);
                let back = offset_of(&rope, pos, enc);
                // Offsets inside a line break (between \r and \n) map to the end of the line's content.
                let inside_crlf = off > 0 && reference.as_bytes().get(off - 1) == Some(&b'\r') && reference.as_bytes().get(off) == Some(&b'\n');
                if !inside_crlf {
                    prop_assert_eq!(back, off, "offset {} → {:?}", off, pos);
                }
                prop_assert_eq!(back, reference_offset(&reference, pos.line, pos.character, enc));
            }
        }
    }
}
