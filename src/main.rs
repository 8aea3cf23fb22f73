//! The trellisc command line: parse arguments, run one command, map its
//! result to an exit code.

use std::process::ExitCode;

use clap::Parser;

// Parsing and lowering allocate millions of small values on large schemas;
// mimalloc roughly halves that cost compared with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match trellisc::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if error.use_stderr() => {
            // clap repeats a misplaced argument, which may be a URL with
            // its password.
            eprint!("{}", trellisc::reflect::mask(&error.render().to_string()));
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
        Err(error) => error.exit(),
    };
    ExitCode::from(trellisc::cli::run(cli))
}
