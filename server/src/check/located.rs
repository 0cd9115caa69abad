//! Findings with their positions worked out once, in the parallel phase, so that reporters need neither
//! the file's text nor a line index, and the text can be dropped as soon as the file is checked.

use crate::rules::Finding;
use crate::workspace::FileSource;
use ropey::Rope;
use std::path::{Path, PathBuf};

/// A position: 1-based line, 1-based column in characters and in UTF-16 code units, and the byte offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub column_utf16: usize,
    pub offset: usize,
}

impl Pos {
    pub fn at(rope: &Rope, offset: usize) -> Pos {
        let offset = offset.min(rope.len_bytes());
        let line = rope.byte_to_line(offset);
        let line_start = rope.line_to_char(line);
        let ch = rope.byte_to_char(offset);
        let utf16 = rope.char_to_utf16_cu(ch) - rope.char_to_utf16_cu(line_start);
        Pos {
            line: line + 1,
            column: ch - line_start + 1,
            column_utf16: utf16 + 1,
            offset,
        }
    }

    /// Where nothing better is known: the start of the file.
    pub fn unknown(offset: usize) -> Pos {
        Pos {
            line: 1,
            column: 1,
            column_utf16: 1,
            offset,
        }
    }
}

/// A related location, positioned.
#[derive(Clone, Debug)]
pub struct LocatedRelated {
    /// `None` means the file of the finding.
    pub path: Option<PathBuf>,
    pub start: Pos,
    pub end: Pos,
    pub message: String,
}

/// One edit of a fix, positioned: the file (`None` for the finding's own), start, end, new text.
pub type LocatedEdit = (Option<PathBuf>, Pos, Pos, String);

#[derive(Clone, Debug)]
pub struct Located {
    pub finding: Finding,
    pub start: Pos,
    pub end: Pos,
    /// The source line the finding starts on, without its line break (for code frames and fingerprints).
    pub line_text: Option<String>,
    pub related: Vec<LocatedRelated>,
    /// Each fix's edits, positioned: (path, start, end, new text).
    pub fix_edits: Vec<Vec<LocatedEdit>>,
}

impl Located {
    /// Positions `f` in `rope` (its file's text; `None` when there is none, e.g. an unreadable file). Other
    /// files named by related locations are read through `files`.
    pub fn new(f: Finding, rope: Option<&Rope>, files: &dyn FileSource) -> Located {
        let place = |r: Option<&Rope>, offset: usize| match r {
            Some(r) => Pos::at(r, offset),
            None => Pos::unknown(offset),
        };
        let mut other_ropes: Vec<(PathBuf, Option<Rope>)> = Vec::new();
        let mut rope_for = |p: &Path| -> Option<Rope> {
            if let Some((_, r)) = other_ropes.iter().find(|(q, _)| q == p) {
                return r.clone();
            }
            let r = files.read(p).map(|t| Rope::from_str(&t));
            other_ropes.push((p.to_path_buf(), r.clone()));
            r
        };
        let related = f
            .related
            .iter()
            .map(|r| {
                let other = r.path.as_deref().map(&mut rope_for);
                let rr = match &r.path {
                    None => rope,
                    Some(_) => other.as_ref().and_then(|o| o.as_ref()),
                };
                LocatedRelated {
                    path: r.path.clone(),
                    start: place(rr, r.span.start),
                    end: place(rr, r.span.end),
                    message: r.message.clone(),
                }
            })
            .collect();
        let fix_edits = f
            .fixes
            .iter()
            .map(|fix| {
                fix.edits
                    .iter()
                    .map(|e| {
                        let other = e.path.as_deref().map(&mut rope_for);
                        let er = match &e.path {
                            None => rope,
                            Some(_) => other.as_ref().and_then(|o| o.as_ref()),
                        };
                        (
                            e.path.clone(),
                            place(er, e.span.start),
                            place(er, e.span.end),
                            e.new_text.clone(),
                        )
                    })
                    .collect()
            })
            .collect();
        let line_text = rope.map(|r| {
            let start = f.span.start.min(r.len_bytes());
            let line = r.line(r.byte_to_line(start)).to_string();
            line.trim_end_matches(['\n', '\r']).to_string()
        });
        Located {
            start: place(rope, f.span.start),
            end: place(rope, f.span.end.max(f.span.start)),
            line_text,
            related,
            fix_edits,
            finding: f,
        }
    }
}
