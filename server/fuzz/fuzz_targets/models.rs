//! Any text as a CloudFormation/SAM template or a serverless.yml, next to real handler code: the function
//! models, template and function checks, least-privilege grants and the editor features never panic.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::models(data));
