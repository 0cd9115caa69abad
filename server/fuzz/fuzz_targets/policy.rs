//! Any text as an IAM policy, standalone and inline in a template: the policy checks, completion and
//! hover never panic, and findings stay inside the text.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::policy(data));
