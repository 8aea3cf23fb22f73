//! The trellisc command line: parse arguments, run one command, map its
//! result to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = trellisc::cli::Cli::parse();
    ExitCode::from(trellisc::cli::run(cli))
}
