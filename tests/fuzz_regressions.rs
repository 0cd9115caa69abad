//! The fuzz targets' seeds and every input a target once failed on (`server/fuzz/regressions/<target>/`),
//! replayed through the same code the targets run, so a fixed crash stays fixed without a fuzzer.

#[path = "../server/fuzz/fuzz_targets/common/mod.rs"]
mod common;

use std::path::PathBuf;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let fuzz = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            eprintln!("replaying {}", path.display());
            run(&data);
            count += 1;
        }
    }
    count
}

#[test]
fn policy_inputs() {
    assert!(
        replay("policy", common::policy) > 0,
        "no policy inputs found"
    );
}

#[test]
fn model_inputs() {
    assert!(
        replay("models", common::models) > 0,
        "no model inputs found"
    );
}

#[test]
fn code_inputs() {
    assert!(replay("code", common::code) > 0, "no code inputs found");
}

#[test]
fn value_tree_inputs() {
    assert!(
        replay("value_tree", common::value_tree) > 0,
        "no value tree inputs found"
    );
}

#[test]
fn yaml_reader_inputs() {
    assert!(
        replay("yaml_readers", common::yaml_readers) > 0,
        "no YAML reader inputs found"
    );
}
