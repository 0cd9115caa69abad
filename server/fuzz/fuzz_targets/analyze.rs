//! Any text as each kind of file lambda-ls reads (template, serverless.yml, policy, handler code): parsing,
//! the models, every check and the editor features never panic, and findings stay inside the text.
#![no_main]

use lambda_ls::config::Config;
use lambda_ls::ide;
use lambda_ls::workspace::{self, Env, Files};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::Arc;

const NAMES: &[&str] = &[
    "/fuzz/template.yaml",
    "/fuzz/template.json",
    "/fuzz/serverless.yml",
    "/fuzz/policy.json",
    "/fuzz/app.py",
    "/fuzz/index.mjs",
    "/fuzz/handler.ts",
    "/fuzz/main.go",
    "/fuzz/app.rb",
    "/fuzz/App.java",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(body) = std::str::from_utf8(rest) else { return };
    let name = NAMES[selector as usize % NAMES.len()];
    // Give the sniffer a reason to treat the text as ours half of the time.
    let text = match (selector / 16) % 2 {
        0 if name.ends_with(".yaml") => format!("AWSTemplateFormatVersion: '2010-09-09'\n{body}"),
        0 if name.ends_with("policy.json") => format!("{{\"Statement\": {body}"),
        _ => body.to_string(),
    };
    let config = Config::default();
    let files = Files::new();
    let env = Env { config: &config, files: &files };
    let parsed = workspace::parse(Path::new(name), Arc::from(text.as_str()), None);
    for f in workspace::analyze(&parsed, &env) {
        assert!(f.span.start <= f.span.end && f.span.end <= text.len(), "{} {:?}", f.rule, f.span);
    }
    for offset in [0, text.len() / 3, text.len() / 2, text.len()] {
        let _ = ide::completion(&parsed, offset, &env);
        let _ = ide::hover(&parsed, offset, &env);
        let _ = ide::definition(&parsed, offset, &env);
    }
    let _ = ide::symbols(&parsed, &env);
    let _ = ide::code_lenses(&parsed, &env);
});
