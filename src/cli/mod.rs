//! The subcommands, one file each.

#[macro_use]
pub(crate) mod output;

mod apply;
mod check;
mod database;
mod diff;
mod ecosystem;
mod fmt;
mod import;
mod progress;
mod revisions;
mod source;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::diag::{self, Diagnostic, Sources};

/// trellisc compiles declarative `.trellis` schemas for PostgreSQL: it checks
/// them, formats them, diffs them against each other or a live database,
/// imports existing databases, and keeps a versioned history of revisions
/// (upgrade and downgrade SQL) that it applies to databases.
///
/// A day with revisions: `trellisc init`, write schema/*.trellis,
/// `trellisc revision -m "Base schema"`, review versions/, `trellisc
/// upgrade head --db URL`. The revision commands read trellis.toml from the
/// current or a parent directory.
#[derive(Parser, Debug)]
#[command(name = "trellisc", version, about, long_about = None)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
    /// Give up on connecting to a database (TCP, startup and
    /// authentication together) after this many seconds, for a URL that
    /// sets no connect_timeout. Default: PGCONNECT_TIMEOUT, else 10.
    #[arg(long, value_name = "SECONDS", global = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub connect_timeout: Option<u64>,
    /// Print no progress: neither the bars and spinners drawn while
    /// standard error is a terminal nor the lines ("upgrading ID
    /// MESSAGE") printed otherwise. Results, errors, warnings and the
    /// server's notices are still printed.
    #[arg(long, short, global = true)]
    pub quiet: bool,
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

/// How a command other than `diff` prints its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines for people.
    Text,
    /// One JSON document on standard output, of the shape docs/cli.md
    /// describes (`"version": 1`); errors too (`{"version": 1, "error":
    /// "..."}`), besides their text on standard error.
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
        /// depth) form one schema. Default: the project's schema (`schema`
        /// in the nearest trellis.toml), else the current directory. The
        /// revisions' snapshots under the project's versions directory are
        /// never read as schema.
        path: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show what it takes to go from one schema to another.
    ///
    /// Each side is a `.trellis` file or directory, `empty`, `rev:REV` (the
    /// schema after a revision of the project: `rev:head`, an id), or a
    /// database URL (postgres://user[:password]@host[:port]/database) or
    /// connection string (host=HOST dbname=DATABASE ...). A database is
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
    /// formatted `.trellis` document with everything the language has a
    /// form for: schemas, extensions, collations, enums, domains, composite
    /// and range types, sequences, tables with their columns, constraints,
    /// indexes, triggers, policies and partitions, views, functions,
    /// aggregates and grants, with the `COMMENT ON` texts as doc comments.
    /// Objects the language leaves out (rules, event triggers,
    /// publications, foreign tables, operators, ...) are named in warnings
    /// on standard error and left out.
    Import {
        /// The database: postgres://user[:password]@host[:port]/database,
        /// or a connection string (host=HOST dbname=DATABASE ...).
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
    /// Start a project here: a commented trellis.toml, schema/ and versions/.
    Init {
        /// The directory to start the project in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write the next revision: the SQL from the last revision's schema to
    /// the schema as it is now, and a snapshot of that schema.
    ///
    /// Needs no database. Refuses when the schema has errors, when the
    /// change is destructive (unless --allow-destructive), and when the
    /// history has several heads (run `trellisc merge`). With nothing to
    /// do it says so and writes nothing.
    Revision {
        /// What the revision does, as for a commit.
        #[arg(short, long)]
        message: String,
        /// Write a revision with empty upgrade and downgrade parts to fill
        /// in by hand (data migrations, objects trellisc does not manage);
        /// run `trellisc rehash` after editing it.
        #[arg(long)]
        empty: bool,
        /// Accept changes that lose data.
        #[arg(long)]
        allow_destructive: bool,
        /// Use online-safe forms (concurrent index builds, NOT VALID then
        /// VALIDATE); statements that cannot run in a transaction run on
        /// their own, with progress recorded.
        #[arg(long)]
        online: bool,
        /// Say in the revision how big each table a risky step changes is
        /// in this database (rows and size on disk, read from its
        /// statistics; nothing is changed): production's, say, or a copy.
        #[arg(long, value_name = "URL")]
        sizes_from: Option<String>,
    },
    /// Join the heads that branches left in the history with a merge
    /// revision whose snapshot has both branches' changes.
    ///
    /// A conflict (both branches changing the same column differently, one
    /// dropping what the other changes) is reported and nothing is written.
    Merge {
        /// The merge revision's message.
        #[arg(short, long)]
        message: Option<String>,
    },
    /// Accept the versions directory as it is: rewrite trellis.sum after a
    /// deliberate edit of a revision file.
    Rehash,
    /// Apply revisions up to TARGET (default: head), or print their SQL.
    ///
    /// Online: takes an advisory lock (a second run waits, then finds
    /// nothing to do), creates the version table if needed, and runs each
    /// revision in its own transaction together with its bookkeeping.
    /// Statements PostgreSQL refuses in a transaction (CREATE INDEX
    /// CONCURRENTLY) run on their own and their progress is recorded, so a
    /// rerun resumes. On failure, the statement, its place and the server's
    /// message are shown and the exit status is 1. While standard error is
    /// a terminal, a bar shows the revisions and statements done and a
    /// concurrent index build's phase (none with --quiet).
    Upgrade {
        /// `head` (the default), `heads` (every branch's head), `+N` (the
        /// next N revisions), or a revision: its id, or a unique start of
        /// its id, of its hash (`0df8e2`) or of its slug (`add_orders`).
        /// Any case.
        #[arg(allow_negative_numbers = true)]
        target: Option<String>,
        /// Print the script for psql instead of running it (no database
        /// needed): every revision from --from (default: the beginning) to
        /// TARGET, with the version table's bookkeeping.
        #[arg(long)]
        sql: bool,
        /// With --sql: the revision the database is at already.
        #[arg(long, value_name = "REV", requires = "sql")]
        from: Option<String>,
        #[command(flatten)]
        run: RunArgs,
        /// What to print: text, or one JSON document (docs/cli.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Undo revisions: back to TARGET (a revision), `-N` (the last N
    /// applied) or `base` (all).
    ///
    /// A downgrade that loses data (drops a table or column that holds
    /// rows, or narrows a type) is refused unless --allow-destructive is
    /// given; the refusal names the tables and their rows.
    Downgrade {
        /// `-1` (the last revision applied), `-N`, `base`, or a revision to
        /// go back to: its id, or a unique start of its id, hash or slug.
        #[arg(allow_negative_numbers = true)]
        target: String,
        /// Print the script for psql instead of running it.
        #[arg(long)]
        sql: bool,
        /// With --sql: the revision the database is at (default: head).
        #[arg(long, value_name = "REV", requires = "sql")]
        from: Option<String>,
        /// Accept undoing revisions whose downgrade loses data.
        #[arg(long)]
        allow_destructive: bool,
        #[command(flatten)]
        run: RunArgs,
        /// What to print: text, or one JSON document (docs/cli.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show the revision the database is at, and how far it is from head.
    Current {
        /// The database: postgres://user[:password]@host[:port]/database,
        /// or a connection string (host=HOST dbname=DATABASE ...).
        /// Default: the variable named in trellis.toml (TRELLIS_DATABASE_URL).
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// What to print: text, or one JSON document (docs/cli.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List the revisions, newest first; with a database (--db or the
    /// configured variable), mark those applied and name any it has that
    /// this checkout lacks.
    History {
        /// The database: postgres://user[:password]@host[:port]/database,
        /// or a connection string (host=HOST dbname=DATABASE ...).
        /// Default: the variable named in trellis.toml (TRELLIS_DATABASE_URL).
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// Also show each revision's date, parents, file, and when and by
        /// whom it was applied.
        #[arg(short, long)]
        verbose: bool,
        /// What to print: text, or one JSON document (docs/cli.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List the heads of the history (more than one: branches to merge).
    Heads {
        /// What to print: text, or one JSON document (docs/cli.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show one revision: its header, parents, file, and its upgrade and
    /// downgrade SQL.
    Show {
        /// `head`, or a revision: its id, or a unique start of its id, hash
        /// or slug.
        #[arg(default_value = "head")]
        target: String,
        /// What to print: text, or one JSON document (docs/cli.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Record the database as being at REV (or `base`) without running any
    /// SQL: for a database that already has the schema.
    Stamp {
        /// A revision (id, or start of its id, hash or slug), `head` or `base`.
        target: String,
        /// The database: postgres://user[:password]@host[:port]/database,
        /// or a connection string (host=HOST dbname=DATABASE ...).
        /// Default: the variable named in trellis.toml (TRELLIS_DATABASE_URL).
        #[arg(long, value_name = "URL")]
        db: Option<String>,
    },
    /// Compare the database with the snapshot of the revision it is at.
    ///
    /// Lists each difference with the value the revision expects and the
    /// one the database has. Exit status: 0 when it matches, 2 when it has
    /// drifted, 1 on error.
    Drift {
        /// The database: postgres://user[:password]@host[:port]/database,
        /// or a connection string (host=HOST dbname=DATABASE ...).
        /// Default: the variable named in trellis.toml (TRELLIS_DATABASE_URL).
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// Print the SQL that brings the database back to its revision
        /// (review it, then run it with psql) instead of the list.
        #[arg(long, conflicts_with = "revision")]
        sql: bool,
        /// Write a revision that adopts what the database has: the schema
        /// directory is not changed, so write the same change there too
        /// (`trellisc import` shows the database's source).
        #[arg(long)]
        revision: bool,
        /// The message of the revision --revision writes.
        #[arg(short, long, requires = "revision")]
        message: Option<String>,
        /// What to print: text, or one JSON document (docs/cli.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Prove the history on a database of its own: every revision up, then
    /// down to base, each state compared with its snapshot.
    ///
    /// Creates a scratch database on the server of --db (named
    /// trellisc_verify_<random>), runs there, and drops it again whatever
    /// happens (--keep keeps it after a failure, to look into). Reports the
    /// first revision whose result differs from its snapshot, with the
    /// difference; exit status 1 then.
    Verify {
        /// A database on the server to use: verify connects to it to create
        /// its scratch database beside it (the role needs CREATEDB). Default:
        /// the variable named in trellis.toml (TRELLIS_DATABASE_URL).
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// Run in this existing, empty database instead of creating one (for
        /// a role without CREATEDB); it is emptied again, after a failure
        /// too.
        #[arg(long, value_name = "URL", conflicts_with = "db")]
        scratch: Option<String>,
        /// After a failure, keep the scratch database that verify created,
        /// and print its name.
        #[arg(long)]
        keep: bool,
        /// What to print: text, or one JSON document (docs/cli.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Run the language server over standard input and output (for
    /// editors: diagnostics as you type, go to definition, hover,
    /// completion, formatting, symbols, and what the next revision would do
    /// to each declaration).
    Lsp,
    /// Rewrite `.trellis` files in the canonical layout (comments are kept).
    ///
    /// With `--check`, change nothing and exit 1 if a file is not formatted.
    Fmt {
        /// A `.trellis` file or a directory of them. Default: the project's
        /// schema (`schema` in the nearest trellis.toml), else the current
        /// directory. The revisions' snapshots are never rewritten (their
        /// bytes are sealed by trellis.sum).
        path: Option<PathBuf>,
        /// Only report files that are not formatted; write nothing.
        #[arg(long)]
        check: bool,
    },
    Completions(ecosystem::CompletionsArgs),
    Man(ecosystem::ManArgs),
}

/// Where to run revisions, and the timeouts.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The database: postgres://user[:password]@host[:port]/database, or
    /// a connection string (host=HOST dbname=DATABASE ...).
    /// Default: the variable named in trellis.toml (TRELLIS_DATABASE_URL).
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// Give up on a statement that waits this long for a lock (such as
    /// `5s`), instead of queueing other sessions behind it.
    #[arg(long, value_name = "DURATION")]
    lock_timeout: Option<String>,
    /// Give up on a statement that runs this long.
    #[arg(long, value_name = "DURATION")]
    statement_timeout: Option<String>,
}

impl RunArgs {
    fn target(self, allow_destructive: bool) -> apply::Target {
        apply::Target {
            db: self.db,
            lock_timeout: self.lock_timeout,
            statement_timeout: self.statement_timeout,
            allow_destructive,
        }
    }
}

impl Command {
    /// The output format asked for, for the commands that have one (not
    /// `diff`, whose `--format` chooses between SQL, a summary and JSON).
    fn format(&self) -> Option<Format> {
        match self {
            Command::Check { format, .. }
            | Command::Upgrade { format, .. }
            | Command::Downgrade { format, .. }
            | Command::Current { format, .. }
            | Command::History { format, .. }
            | Command::Heads { format }
            | Command::Show { format, .. }
            | Command::Drift { format, .. }
            | Command::Verify { format, .. } => Some(*format),
            Command::Diff { format, .. } => matches!(format, DiffFormat::Json).then_some(Format::Json),
            _ => None,
        }
    }
}

/// The exit status of a command line clap refuses (EX_USAGE of
/// sysexits.h): 2 is kept for "the schemas differ".
pub const USAGE_ERROR: u8 = 64;

/// Reads the command line; `--help` and `--version` are printed here and
/// give status 0, a command line that is wrong gives [`USAGE_ERROR`].
pub fn parse() -> Result<Cli, u8> {
    Cli::try_parse().map_err(|error| {
        if error.use_stderr() {
            // clap repeats a misplaced argument, which may be a URL with
            // its password.
            output::to_stderr(format_args!("{}", crate::reflect::mask(&error.render().to_string())));
            return USAGE_ERROR;
        }
        if let Err(e) = error.print() {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                output::closed();
            }
        }
        0
    })
}

/// Runs a command and returns the process exit status.
pub fn run(cli: Cli) -> u8 {
    let color = cli.color;
    // Commands that never connect are not stopped by a bad PGCONNECT_TIMEOUT.
    let offline = matches!(
        cli.command,
        Command::Check { .. }
            | Command::Fmt { .. }
            | Command::Init { .. }
            | Command::Lsp
            | Command::Revision { .. }
            | Command::Merge { .. }
            | Command::Rehash
            | Command::Heads { .. }
            | Command::Show { .. }
            | Command::Completions(_)
            | Command::Man(_)
    );
    match connect_timeout(cli.connect_timeout) {
        Ok(Some(seconds)) => crate::reflect::set_default_timeout(std::time::Duration::from_secs(seconds)),
        Ok(None) => {}
        Err(e) if !offline => return fail(e),
        Err(_) => {}
    }
    if cli.command.format() == Some(Format::Json) {
        output::set_json();
    }
    if cli.quiet {
        progress::set_quiet();
    }
    match cli.command {
        Command::Check { path, format } => check::run(path.as_deref(), format, color),
        Command::Fmt { path, check } => fmt::run(path.as_deref(), check, color),
        Command::Init { dir } => revisions::init(&dir),
        Command::Lsp => match crate::lsp::run() {
            Ok(()) => 0,
            Err(e) => fail(e),
        },
        Command::Revision {
            message,
            empty,
            allow_destructive,
            online,
            sizes_from,
        } => revisions::revision(
            revisions::RevisionArgs {
                message,
                empty,
                allow_destructive,
                online,
                sizes_from,
            },
            color,
        ),
        Command::Merge { message } => revisions::merge(message),
        Command::Rehash => revisions::rehash(),
        Command::Completions(args) => ecosystem::completions(args),
        Command::Man(args) => ecosystem::man(args),
        Command::Upgrade {
            target,
            sql,
            from,
            run,
            format,
        } => apply::upgrade(target, sql, from, run.target(false), format),
        Command::Downgrade {
            target,
            sql,
            from,
            allow_destructive,
            run,
            format,
        } => apply::downgrade(target, sql, from, run.target(allow_destructive), format),
        Command::Current { db, format } => apply::current(db, format),
        Command::History { db, verbose, format } => apply::history(db, verbose, format),
        Command::Heads { format } => apply::heads(format),
        Command::Show { target, format } => apply::show(&target, format),
        Command::Stamp { target, db } => apply::stamp(target, db),
        Command::Drift {
            db,
            sql,
            revision,
            message,
            format,
        } => apply::drift(apply::DriftArgs {
            db,
            sql,
            revision,
            message,
            format,
        }),
        Command::Verify {
            db,
            scratch,
            keep,
            format,
        } => apply::verify(apply::VerifyArgs {
            db,
            scratch,
            keep,
            format,
        }),
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

/// The connect timeout asked for: `--connect-timeout`, else
/// `PGCONNECT_TIMEOUT` (as libpq reads it), else none.
fn connect_timeout(given: Option<u64>) -> Result<Option<u64>, String> {
    if given.is_some() {
        return Ok(given);
    }
    match std::env::var("PGCONNECT_TIMEOUT") {
        Ok(text) if !text.trim().is_empty() => match text.trim().parse::<u64>() {
            Ok(seconds) if seconds > 0 => Ok(Some(seconds)),
            _ => Err(format!(
                "PGCONNECT_TIMEOUT={text:?} is not a number of seconds (1 or more)"
            )),
        },
        _ => Ok(None),
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
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            output::closed();
        }
        errln!("trellisc: cannot print diagnostics: {error}");
    }
}

/// An error that is not about a place in a file (a missing path, say).
/// `postgres = N` of the project holding `path` (a file or directory),
/// if there is one and it names a version; an error when its
/// `trellis.toml` cannot be read.
fn project_postgres(path: &std::path::Path) -> Result<Option<u32>, String> {
    Ok(project_of(path)?.and_then(|project| project.postgres))
}

/// The project `path` (a schema file or directory) belongs to: the nearest
/// `trellis.toml` from its directory up.
fn project_of(path: &std::path::Path) -> Result<Option<crate::project::Project>, String> {
    let start = match path.parent() {
        _ if path.is_dir() => path,
        Some(parent) => parent,
        None => return Ok(None),
    };
    let start = if start.as_os_str().is_empty() {
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?
    } else {
        match start.canonicalize() {
            Ok(start) => start,
            Err(_) => return Ok(None),
        }
    };
    crate::project::Project::find_any(&start)
}

fn fail(message: impl std::fmt::Display) -> u8 {
    output::error(&format!("error: {message}"));
    1
}

/// The `.trellis` files `check` and `fmt` work on, and the project they
/// belong to (the nearest `trellis.toml`), if any.
struct SchemaArgument {
    /// The path given, or the project's schema path, or `.`.
    path: PathBuf,
    found: crate::load::SchemaFiles,
    project: Option<crate::project::Project>,
}

/// The files at or below `path`; with no path, those of the project's
/// schema (`schema` in `trellis.toml`, found from the current directory up)
/// or, outside a project, of the current directory. A revision's snapshot
/// (under the project's versions directory) is never one of them unless
/// `path` itself lies in that directory: a snapshot is a record of the
/// past, not the schema, and its bytes are sealed by `trellis.sum`.
fn schema_argument(path: Option<&std::path::Path>) -> Result<SchemaArgument, String> {
    let project = match path {
        Some(path) => project_of(path)?,
        None => {
            let here = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
            crate::project::Project::find_any(&here)?
        }
    };
    let path = match (path, &project) {
        (Some(path), _) => path.to_path_buf(),
        (None, Some(project)) => project.schema.clone(),
        (None, None) => PathBuf::from("."),
    };
    if !path.exists() {
        return Err(match &project {
            Some(project) if project.schema == path => format!(
                "the schema path {} (from {}) does not exist; create it or change `schema` there",
                path.display(),
                project.file.display()
            ),
            _ => format!(
                "{} does not exist (give a .trellis file or a directory of them)",
                path.display()
            ),
        });
    }
    let mut found =
        crate::load::find_schema_files(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // Files are compared by their real paths (`./versions/...` and
    // `versions` name one directory), and only where the versions
    // directory lies below the one walked.
    let versions = project.as_ref().and_then(|p| p.versions.canonicalize().ok());
    if let (Some(versions), Ok(root)) = (versions, path.canonicalize()) {
        if versions.starts_with(&root) && !root.starts_with(&versions) {
            let inside = |file: &std::path::Path| file.canonicalize().is_ok_and(|real| real.starts_with(&versions));
            found.files.retain(|file| !inside(file));
        }
    }
    Ok(SchemaArgument { path, found, project })
}
