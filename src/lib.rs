//! trellisc: a declarative schema language compiler for PostgreSQL.

// Output goes through cli/output.rs, which ends quietly on a closed pipe.
#![deny(clippy::print_stdout, clippy::print_stderr)]

// pest without its `std` feature (which probes the native stack on every
// rule call, a sixth of the parse time) generates code that names `alloc`.
extern crate alloc;

pub mod apply;
pub mod check;
pub mod diag;
pub mod diff;
pub mod ir;
pub mod plan;
pub mod reflect;
pub mod render;
pub mod revision;
pub mod sql;
pub mod syntax;

pub mod cli;
pub mod load;
pub mod lsp;
pub mod parallel;
pub mod project;

pub use load::{Compiled, compile_path, compile_sources};
