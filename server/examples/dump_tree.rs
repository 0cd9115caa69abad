//! Prints a file's syntax tree, its value tree and its syntax findings, for debugging the parsers:
//! `cargo run --example dump_tree -- FILE`.

use lambda_ls::syntax::{self, Lang};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_tree FILE");
        return ExitCode::from(2);
    };
    let path = std::path::Path::new(&path);
    let Some(lang) = Lang::from_path(path) else {
        eprintln!("{}: not a file type lambda-ls parses", path.display());
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let Some(tree) = syntax::parse(lang, &text, None) else {
        eprintln!("{}: parse timed out", path.display());
        return ExitCode::from(1);
    };
    println!("{}", tree.root_node().to_sexp());
    let doc = syntax::build_value(lang, &tree, &text);
    for f in &doc.findings {
        println!("{} {:?} {}", f.rule, f.span, f.message);
    }
    if let Some(v) = doc.value {
        println!(
            "{}",
            serde_json::to_string_pretty(&v.to_json()).unwrap_or_default()
        );
    }
    ExitCode::SUCCESS
}
