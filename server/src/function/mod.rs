//! Lambda function configuration: SAM, CloudFormation and serverless.yml models and their checks.
//!
//! `model` normalises every function declaration into a `FunctionConfig`; `config_checks` judges one function
//! against the embedded data (`data`, `runtimes`); `properties` validates whole resources against their
//! schemas (`schema`); `events` checks event sources and the permissions they need.

pub mod config_checks;
pub mod data;
pub mod events;
pub mod ide;
pub mod model;
pub mod permissions;
pub mod properties;
pub mod rules;
pub mod runtimes;
pub mod schema;
pub mod schema_nav;
#[cfg(test)]
mod tests;

use crate::rules::{Finding, Rule};
use crate::workspace::{Ctx, FileKind};
use std::collections::HashSet;

pub use rules::*;

pub static RULES: &[&Rule] = &[
    &UNKNOWN_RUNTIME,
    &DEPRECATED_RUNTIME,
    &RUNTIME_CREATE_BLOCKED,
    &RUNTIME_UPDATE_BLOCKED,
    &MEMORY_SIZE,
    &TIMEOUT,
    &EPHEMERAL_STORAGE,
    &RESERVED_CONCURRENCY,
    &ARCHITECTURES,
    &LAYERS,
    &FUNCTION_NAME,
    &HANDLER_FORMAT,
    &ENV_KEY,
    &RESERVED_ENV_KEY,
    &ENV_SIZE,
    &PACKAGE_TYPE,
    &INLINE_CODE,
    &INVALID_PROPERTY,
    &UNKNOWN_PROPERTY,
    &MISSING_PROPERTY,
    &UNKNOWN_EVENT_TYPE,
    &API_TIMEOUT,
    &SQS_VISIBILITY_TIMEOUT,
    &EVENT_SOURCE_PERMISSIONS,
    &NO_LOG_PERMISSIONS,
    &EVENT_SOURCE_MAPPING,
    &PROPERTY_DEPENDENCY,
];

/// Every function check on a template or serverless.yml, handler checks included.
pub fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    if !matches!(ctx.file.kind, FileKind::Template | FileKind::Serverless) {
        return;
    }
    let text = ctx.text();
    let today = ctx.env.config.today();
    let functions = model::functions(ctx.file);
    // Serverless plugins (serverless-rust, …) may rewrite a runtime the framework does not know.
    let plugins =
        ctx.file.kind == FileKind::Serverless && ctx.root().is_some_and(properties::has_plugins);
    let mut runtime_findings = Vec::new();
    // A `Globals` or `provider` value is shared by many functions: judge each node once.
    let mut runtimes_seen = HashSet::new();
    if let Some(v) = model::default_runtime(ctx.file) {
        runtimes_seen.insert(v.span.start);
        config_checks::check_runtime(text, v, today, &mut runtime_findings);
    }
    for f in &functions {
        if let Some(rt) = &f.runtime {
            if runtimes_seen.insert(rt.node.span.start) && !f.is_image() {
                config_checks::check_runtime(text, rt.node, today, &mut runtime_findings);
            }
        }
    }
    for mut finding in runtime_findings {
        if plugins && finding.rule == UNKNOWN_RUNTIME.id {
            finding.severity = crate::rules::Severity::Warning;
            finding
                .message
                .push_str(" (unless a plugin of this service rewrites it)");
        }
        out.push(finding);
    }
    for f in &functions {
        config_checks::check_function(text, f, out);
        crate::handler::check_function(f, ctx.env.files, out);
    }
    properties::check(ctx, out);
    events::check(ctx, &functions, out);
}
