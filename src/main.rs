//! The trellisc command line: parse arguments, run one command, map its
//! result to an exit code.

#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

// Parsing and lowering allocate millions of small values on large schemas;
// mimalloc roughly halves that cost compared with the system allocator
// (its version 2: see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gives back at once the pages this thread's mimalloc heap has free.
fn release() {
    // SAFETY: mi_collect takes no pointers and may be called on any thread
    // at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

fn main() -> ExitCode {
    trellisc::parallel::release_with(release);
    match trellisc::cli::parse() {
        Ok(cli) => ExitCode::from(trellisc::cli::run(cli)),
        Err(status) => ExitCode::from(status),
    }
}
