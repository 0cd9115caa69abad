//! Any text as YAML, read directly and through tree-sitter: whenever the direct reader answers, both
//! give the same value tree and findings.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::yaml_readers(data));
