//! Any bytes as JSON and as YAML: parsing and building the value tree never panic, and every span lies
//! on character boundaries inside the text.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::value_tree(data));
