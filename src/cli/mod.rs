//! The subcommands, one file each.

mod check;
mod database;
mod diff;
mod fmt;
mod import;
mod source;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::diag::{self, Diagnostic, Sources};

/// trellisc compiles declarative `.trellis` schemas for PostgreSQL: it checks
/// them, formats them, diffs them against each other or a live database,
/// and imports existing databases.
#[derive(Parser, Debug)]
#[command(name = "trellisc", version, about, long_about = None)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

/// When to use colour.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// How `diff` prints its result.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DiffFormat {
    /// The upgrade SQL, with findings as comments.
    Sql,
    /// A list of changes with their safety findings.
    Summary,
    /// Changes, findings and SQL of the upgrade and the downgrade, as JSON.
    Json,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and check a schema; print every problem with its place and a fix.
    ///
    /// Exit status: 0 when there are no errors (warnings are shown), 1 when
    /// there is at least one error.
    Check {
        /// A `.trellis` file, or a directory whose `*.trellis` files (at any
        /// depth) form one schema.
        #[arg(default_value = ".")]
        path: PathBuf,
    },
    /// Show what it takes to go from one schema to another.
    ///
    /// Each side is a `.trellis` file or directory, `empty`, or a database
    /// URL (postgres://user[:password]@host[:port]/database). A database is
    /// read from its catalogs (only read: nothing is changed); a source
    /// schema compared with a database has its expressions put into the
    /// server's own words first, inside a transaction that is rolled back.
    /// Exit status: 0 when the schemas are the same, 2 when they differ, 1
    /// on error (including a destructive change without
    /// --allow-destructive, for SQL output).
    Diff {
        /// The schema the database has now.
        #[arg(long, default_value = "empty")]
        from: String,
        /// The schema it should have.
        #[arg(long)]
        to: String,
        /// What to print.
        #[arg(long, value_enum, default_value_t = DiffFormat::Sql)]
        format: DiffFormat,
        /// Use online-safe forms: concurrent index builds, NOT VALID then
        /// VALIDATE, not null through a validated check, a lock_timeout.
        #[arg(long)]
        online: bool,
        /// Accept changes that lose data (dropped tables, columns, labels,
        /// sequences, narrowed types).
        #[arg(long)]
        allow_destructive: bool,
        /// Read only this PostgreSQL schema of a database side (repeatable).
        /// Default: the schemas the source side uses, plus public; all
        /// schemas when both sides are databases.
        #[arg(long = "schema", value_name = "NAME")]
        schemas: Vec<String>,
    },
    /// Write `.trellis` source for an existing database, to adopt it.
    ///
    /// Reads the database's catalogs (nothing is changed) and prints one
    /// formatted `.trellis` document with every table, column, constraint,
    /// index, enum, sequence and extension, and the `COMMENT ON` texts as
    /// doc comments. Objects trellisc does not manage yet (views, functions,
    /// triggers, ...) are named in warnings on standard error and left out.
    Import {
        /// The database: postgres://user[:password]@host[:port]/database.
        /// Default: the TRELLIS_DATABASE_URL environment variable.
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// Read only this PostgreSQL schema (repeatable). Default: every
        /// schema but PostgreSQL's own.
        #[arg(long = "schema", value_name = "NAME")]
        schemas: Vec<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Rewrite `.trellis` files in the canonical layout (comments are kept).
    ///
    /// With `--check`, change nothing and exit 1 if a file is not formatted.
    Fmt {
        /// A `.trellis` file or a directory of them.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Only report files that are not formatted; write nothing.
        #[arg(long)]
        check: bool,
    },
}

/// Runs a command and returns the process exit status.
pub fn run(cli: Cli) -> u8 {
    let color = cli.color;
    match cli.command {
        Command::Check { path } => check::run(&path, color),
        Command::Fmt { path, check } => fmt::run(&path, check, color),
        Command::Import { db, schemas, output } => import::run(import::ImportArgs { db, schemas, output }),
        Command::Diff {
            from,
            to,
            format,
            online,
            allow_destructive,
            schemas,
        } => diff::run(
            diff::DiffArgs {
                from,
                to,
                format,
                online,
                allow_destructive,
                schemas,
            },
            color,
        ),
    }
}

/// Prints diagnostics to standard error.
fn print_diagnostics(sources: &Sources, diagnostics: &[Diagnostic], color: Color) {
    let choice = match color {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
        Color::Auto => ColorChoice::Never,
    };
    let stream = StandardStream::stderr(choice);
    let mut lock = stream.lock();
    if let Err(error) = diag::render(sources, diagnostics, &mut lock) {
        eprintln!("trellisc: cannot print diagnostics: {error}");
    }
}

/// An error that is not about a place in a file (a missing path, say).
fn fail(message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    1
}
