//! Text storage and position conversion. Knows nothing of LSP: the edge converts its own position types to
//! ours and calls in here.

pub mod document;
pub mod position;
#[cfg(test)]
mod proptests;

pub use document::{ChangeOutcome, TextChange, TextDocument};
pub use position::{Encoding, PosRange, Position};

/// A byte range into a document's UTF-8 text.
pub type Span = std::ops::Range<usize>;
