//! The trellisc command line: parse arguments, run one command, map its
//! result to an exit code.

#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

// Parsing and lowering allocate millions of small values on large schemas;
// mimalloc roughly halves that cost compared with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match trellisc::cli::parse() {
        Ok(cli) => ExitCode::from(trellisc::cli::run(cli)),
        Err(status) => ExitCode::from(status),
    }
}
