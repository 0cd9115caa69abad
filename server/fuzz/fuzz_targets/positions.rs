//! Position conversion on any text: offsets and positions round-trip, nothing panics on out-of-range
//! positions, and edits keep the rope equal to the edited string.
#![no_main]

use lambda_ls::text::position::{offset_of, position_of};
use lambda_ls::text::{Encoding, PosRange, Position, TextChange, TextDocument};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (String, u32, u32, u32, u32, String)| {
    let (text, l1, c1, l2, c2, insert) = input;
    for enc in [Encoding::Utf8, Encoding::Utf16] {
        let mut doc = TextDocument::new(&text);
        let rope = doc.rope().clone();
        for (off, _) in text.char_indices() {
            let pos = position_of(&rope, off, enc);
            let back = offset_of(&rope, pos, enc);
            let inside_crlf =
                off > 0 && text.as_bytes()[off - 1] == b'\r' && text.as_bytes()[off] == b'\n';
            assert!(inside_crlf || back == off, "{off} -> {pos:?} -> {back}");
        }
        let range = PosRange {
            start: Position {
                line: l1 % 64,
                character: c1 % 256,
            },
            end: Position {
                line: l2 % 64,
                character: c2 % 256,
            },
        };
        let outcome = doc.apply(
            &TextChange {
                range: Some(range),
                text: insert.clone(),
            },
            enc,
        );
        let mut expected = text.clone();
        expected.replace_range(outcome.start_byte..outcome.old_end_byte, &insert);
        assert_eq!(doc.text(), expected);
    }
});
