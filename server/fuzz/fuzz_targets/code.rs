//! Any text as handler code in every supported language, inside a project whose template points at it:
//! handler resolution, signature checks, SDK call detection and the least-privilege checks never panic.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::code(data));
