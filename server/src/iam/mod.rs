//! IAM policy intelligence: the embedded service catalog, where policies are found, their checks, policy
//! evaluation, and the editor features (completion, hover) for policy text.

pub mod catalog;
pub mod checks;
pub mod complete;
pub mod context;
pub mod eval;
pub mod glob;
pub mod hover;
pub mod locate;
pub mod model;
pub mod resolve;
pub mod sam;

use crate::rules::{Finding, Rule};
use crate::workspace::Ctx;
use std::sync::OnceLock;

pub use checks::grammar::VERSION;

/// Every IAM rule.
pub fn rules() -> &'static [&'static Rule] {
    static RULES: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    RULES.get_or_init(checks::rules)
}

pub fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    checks::run(ctx, out);
}
