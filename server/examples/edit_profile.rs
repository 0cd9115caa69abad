//! Runs the one-character-edit path of the `analysis` benchmark in a loop, for profilers:
//! `cargo build --release --example edit_profile && perf record target/release/examples/edit_profile`.

use lambda_ls::config::Config;
use lambda_ls::text::{Encoding, PosRange, Position, TextChange, TextDocument};
use lambda_ls::workspace::{self, Env, Files};
use std::path::Path;
use std::sync::Arc;

#[path = "../benches/template.rs"]
mod template;

fn main() {
    let text = template::template(5_000);
    let path = Path::new("/bench/template.yaml");
    let config = Config::default();
    let files = Files::new();
    let env = Env {
        config: &config,
        files: &files,
    };
    let old_tree =
        lambda_ls::syntax::parse(lambda_ls::syntax::Lang::Yaml, &text, None).expect("tree");
    let started = std::time::Instant::now();
    let rounds = 100;
    let mut times = [0f64; 5];
    for _ in 0..rounds {
        let mut doc = TextDocument::new(&text);
        let at = Position {
            line: std::env::var("EDIT_LINE")
                .ok()
                .and_then(|l| l.parse().ok())
                .unwrap_or(2_500),
            character: 6,
        };
        let o = doc.apply(
            &TextChange {
                range: Some(PosRange { start: at, end: at }),
                text: "x".into(),
            },
            Encoding::Utf16,
        );
        let mut tree = old_tree.clone();
        tree.edit(&o.input_edit());
        let t = std::time::Instant::now();
        let new_text: Arc<str> = Arc::from(doc.text());
        let new_tree =
            lambda_ls::syntax::parse(lambda_ls::syntax::Lang::Yaml, &new_text, Some(&tree))
                .expect("tree");
        times[0] += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let vdoc =
            lambda_ls::syntax::build_value(lambda_ls::syntax::Lang::Yaml, &new_tree, &new_text);
        times[1] += t.elapsed().as_secs_f64();
        drop(vdoc);
        let t = std::time::Instant::now();
        let parsed = workspace::parse(path, new_text, Some((lambda_ls::syntax::Lang::Yaml, &tree)));
        times[2] += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        std::hint::black_box(workspace::analyze(&parsed, &env));
        times[3] += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        drop(parsed);
        times[4] += t.elapsed().as_secs_f64();
    }
    let parsed = workspace::parse(path, Arc::from(text.as_str()), None);
    let ctx = workspace::Ctx {
        file: &parsed,
        env: &env,
    };
    let mut out = Vec::new();
    for (name, f) in [
        (
            "iam",
            lambda_ls::iam::check as fn(&workspace::Ctx, &mut Vec<lambda_ls::rules::Finding>),
        ),
        ("function", lambda_ls::function::check),
        ("template", lambda_ls::template::check),
        ("privilege", lambda_ls::privilege::check_config),
    ] {
        let t = std::time::Instant::now();
        for _ in 0..20 {
            out.clear();
            f(&ctx, &mut out);
        }
        eprintln!(
            "  {name}: {:.2} ms ({} findings)",
            t.elapsed().as_secs_f64() * 1000.0 / 20.0,
            out.len()
        );
    }
    let names = [
        "incremental parse",
        "value tree",
        "workspace::parse",
        "analyze",
        "drop",
    ];
    for (n, t) in names.iter().zip(times) {
        eprintln!("{n}: {:.2} ms", t * 1000.0 / rounds as f64);
    }
    eprintln!(
        "{:.2} ms per edit",
        started.elapsed().as_secs_f64() * 1000.0 / rounds as f64
    );
}
