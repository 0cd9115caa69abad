//! Handler code: resolving a function's `Handler` to a file and a symbol, and checking that symbol.
//!
//! Interface used by the function checks and by invoke (keep these signatures stable):
//! * [`check_function`] reports handler problems of one function into the config file's findings;
//! * [`resolve_function`] finds the code a function runs, for navigation, lenses and invoke.

use crate::function::model::FunctionConfig;
use crate::rules::Finding;
use crate::text::Span;
use crate::workspace::FileSource;
use std::path::PathBuf;

/// Where a function's handler lives in code.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The code file.
    pub path: PathBuf,
    /// The handler's name in the code file (what go-to-definition selects).
    pub name_span: Span,
    /// The whole definition (function, method or exported binding).
    pub def_span: Span,
}

/// Reports problems with `function`'s handler (missing file or symbol, bad signature, …) as findings in
/// the config file, with related locations in the code.
pub fn check_function(function: &FunctionConfig, files: &dyn FileSource, out: &mut Vec<Finding>) {
    let _ = (function, files, out);
}

/// The handler's code location, when it can be resolved.
pub fn resolve_function(function: &FunctionConfig, files: &dyn FileSource) -> Option<Resolved> {
    let _ = (function, files);
    None
}
