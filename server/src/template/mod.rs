//! CloudFormation template structure shared by every family: logical ids, the references between them,
//! and the editor features over them (go-to-definition, references, completion, document symbols).

pub mod check;
pub mod cursor;
pub mod ide;
pub mod refs;

pub use check::{check, RULES};
