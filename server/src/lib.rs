//! lambda-ls: a language server and CI linter for AWS Lambda projects.
//!
//! Data flows one way: text → syntax tree → value tree → models → findings, completions and lenses → the
//! edge (`lsp` for editors, `check` for CI). Only `lsp` knows the Language Server Protocol.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod config;
pub mod date;
pub mod function;
pub mod handler;
pub mod iam;
pub mod ide;
pub mod invoke;
pub mod lsp;
pub mod privilege;
pub mod rules;
pub mod suggest;
pub mod suppress;
pub mod syntax;
pub mod template;
pub mod text;
pub mod workspace;
