//! The trellisc command line: parse arguments, run one command, map its
//! result to an exit code.

use std::process::ExitCode;

use clap::Parser;

// Parsing and lowering allocate millions of small values on large schemas;
// mimalloc roughly halves that cost compared with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = trellisc::cli::Cli::parse();
    ExitCode::from(trellisc::cli::run(cli))
}
