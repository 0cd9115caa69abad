//! Prints, for every function of the given templates and serverless.yml files, where its handler
//! resolves and the handler findings, one JSON object per line. Used by `tests/measure/handlers.py`.

use lambda_ls::function::model;
use lambda_ls::workspace::{self, FileSource, Files};
use std::path::PathBuf;

fn main() {
    let files = Files::new();
    for arg in std::env::args().skip(1) {
        let path = std::path::absolute(PathBuf::from(&arg)).unwrap_or_else(|_| PathBuf::from(&arg));
        let Some(text) = files.read(&path) else {
            continue;
        };
        let parsed = workspace::parse(&path, text, None);
        for f in model::functions(&parsed) {
            let resolved = lambda_ls::handler::resolve_function(&f, &files);
            let mut findings = Vec::new();
            lambda_ls::handler::check_function(&f, &files, &mut findings);
            // A file-level resolution (a .csproj, a crate) goes to line 1.
            let line = resolved.as_ref().and_then(|r| {
                let text = files.read(&r.path)?;
                text.get(..r.name_span.start)
                    .map(|t| t.matches('\n').count() + 1)
            });
            let out = serde_json::json!({
                "config": arg,
                "function": f.name,
                "runtime": f.runtime_id(),
                "handler": f.handler_str(),
                "file": resolved.as_ref().map(|r| r.path.display().to_string()),
                "line": line,
                "findings": findings.iter().map(|x| serde_json::json!({
                    "rule": x.rule, "severity": x.severity.as_str(), "message": x.message,
                })).collect::<Vec<_>>(),
            });
            println!("{out}");
        }
    }
}
