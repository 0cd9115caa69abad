//! Parse + value tree + rules on a 5,000-line template: a full analysis, and the incremental path an
//! editor takes after a one-character edit (tree edit, incremental reparse, value tree, rules).

use criterion::{criterion_group, criterion_main, Criterion};
use lambda_ls::config::Config;
use lambda_ls::text::{Encoding, PosRange, Position, TextChange, TextDocument};
use lambda_ls::workspace::{self, Env, Files};
use std::path::Path;
use std::sync::Arc;

mod template;
use template::template;

fn bench(c: &mut Criterion) {
    let text = template(5_000);
    let path = Path::new("/bench/template.yaml");
    let config = Config::default();
    let files = Files::new();
    let env = Env {
        config: &config,
        files: &files,
    };

    c.bench_function("full analysis, 5,000-line template", |b| {
        b.iter(|| {
            let parsed = workspace::parse(path, Arc::from(text.as_str()), None);
            workspace::analyze(&parsed, &env)
        })
    });

    // The editor path: one character typed, applied to the rope, the old tree edited, then a re-read
    // (well-formed YAML is read directly; broken YAML reparsed incrementally by tree-sitter from the old
    // tree, which the server keeps in step with every edit) and a full re-analysis.
    let old_tree =
        lambda_ls::syntax::parse(lambda_ls::syntax::Lang::Yaml, &text, None).expect("tree");
    // The middle of the file; the top (the whole rest of the file is reparsed); and an edit that breaks
    // the YAML (the error is located by reparsing prefixes).
    for (line, name) in [
        (2_500u32, "one-character edit, 5,000-line template"),
        (10, "one-character edit near the top, 5,000-line template"),
        (
            4_990,
            "one-character edit that breaks the YAML, 5,000-line template",
        ),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                let mut doc = TextDocument::new(&text);
                let at = Position { line, character: 6 };
                let outcome = doc.apply(
                    &TextChange {
                        range: Some(PosRange { start: at, end: at }),
                        text: "x".into(),
                    },
                    Encoding::Utf16,
                );
                let mut tree = old_tree.clone();
                tree.edit(&outcome.input_edit());
                let new_text: Arc<str> = Arc::from(doc.text());
                let parsed =
                    workspace::parse(path, new_text, Some((lambda_ls::syntax::Lang::Yaml, &tree)));
                workspace::analyze(&parsed, &env)
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
