//! What a command is at, on standard error: while that is a terminal, a
//! bar of the revisions applied (with each one's statements and a
//! concurrent index build's phase) and a spinner while a database is read;
//! otherwise the plain lines ("upgrading ID  MESSAGE") and nothing else;
//! with `--quiet`, neither (errors and warnings stay).

use std::cell::RefCell;
use std::io::IsTerminal;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::apply::{Direction, IndexBuild, Step, Watcher};
use crate::ir::Schema;

/// Whether `--quiet` was given.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Every bar and spinner shown, so that lines printed meanwhile go above
/// them rather than through them.
static BARS: LazyLock<MultiProgress> = LazyLock::new(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));

/// How often a bar is redrawn when nothing else moves it (the elapsed time,
/// the spinner).
const TICK: Duration = Duration::from_millis(120);

/// Silences the progress display and lines from now on.
pub(super) fn set_quiet() {
    QUIET.store(true, Ordering::Relaxed);
}

fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Whether bars are drawn: standard error is a terminal, and no `--quiet`.
pub(super) fn drawing() -> bool {
    !quiet() && std::io::stderr().is_terminal()
}

/// Prints a line on standard error, above the bars when they are drawn.
pub(super) fn say(line: &str) {
    if drawing() {
        BARS.suspend(|| errln!("{line}"));
    } else {
        errln!("{line}");
    }
}

/// A progress line of the revision commands ("upgrading ID  MESSAGE",
/// "waiting for another trellisc run ..."): left out with `--quiet`, but
/// not the warnings among them.
pub(super) fn line(line: &str) {
    if quiet() && !line.starts_with("warning:") {
        return;
    }
    say(line);
}

/// A notice of the server (RAISE NOTICE), printed as it arrives: above the
/// bars, shown even with `--quiet`, as psql shows them.
pub(super) fn notice(text: &str) {
    use std::io::Write;
    // Standard error gone: nothing to tell anyone.
    let print = || {
        let _ = writeln!(std::io::stderr(), "{text}");
    };
    if drawing() { BARS.suspend(print) } else { print() }
}

/// A number with thousands separated, as people read it: 12,345.
fn grouped(number: i64) -> String {
    let digits = number.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if number < 0 { format!("-{out}") } else { out }
}

/// "1 table", "3,000 tables".
fn counted(count: usize, what: &str) -> String {
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    match count {
        1 => format!("1 {what}"),
        _ => format!("{} {what}s", grouped(count)),
    }
}

fn style(template: &str) -> ProgressStyle {
    // The templates are fixed here; a mistake in one shows as the default.
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// The bar of an `upgrade` or `downgrade`, cleared when dropped.
struct RevisionBar {
    bar: ProgressBar,
    shown: RefCell<Shown>,
}

/// What the bar's message is made of.
#[derive(Default)]
struct Shown {
    revision: String,
    statements: String,
    build: String,
}

impl RevisionBar {
    fn tell(&self, step: &Step<'_>) {
        let mut shown = self.shown.borrow_mut();
        match step {
            Step::Revision {
                index,
                total,
                revision,
                direction,
            } => {
                let verb = match direction {
                    Direction::Upgrade => "upgrading",
                    Direction::Downgrade => "downgrading",
                };
                self.bar.set_length(*total as u64);
                self.bar.set_position(*index as u64);
                shown.revision = format!("{verb} {}  {}", revision.id, crate::diag::printable(&revision.message));
                shown.statements.clear();
                shown.build.clear();
            }
            Step::Statements { done, total } => {
                shown.statements = format!("{done}/{total} statements");
                shown.build.clear();
            }
            Step::IndexBuild(build) => shown.build = describe_build(build),
        }
        let mut message = shown.revision.clone();
        for part in [&shown.statements, &shown.build] {
            if !part.is_empty() {
                message.push_str(" · ");
                message.push_str(part);
            }
        }
        self.bar.set_message(message);
    }
}

impl Drop for RevisionBar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// An index build's phase and how far it is, from
/// `pg_stat_progress_create_index`: "building index: scanning table
/// 1,204/4,425 blocks".
fn describe_build(build: &IndexBuild) -> String {
    let phase = crate::diag::printable(&build.phase).into_owned();
    if build.blocks_total > 0 {
        format!(
            "{phase} {}/{} blocks",
            grouped(build.blocks_done),
            grouped(build.blocks_total)
        )
    } else if build.tuples_total > 0 {
        format!(
            "{phase} {}/{} tuples",
            grouped(build.tuples_done),
            grouped(build.tuples_total)
        )
    } else {
        phase
    }
}

/// What tells the bar of an `upgrade` or `downgrade` on the database at
/// `url`, which also watches its concurrent index builds; `None` when no
/// bar is drawn.
pub(super) fn revisions(url: &str) -> Option<Watcher> {
    if !drawing() {
        return None;
    }
    let bar = BARS.add(ProgressBar::new(0));
    bar.set_style(style("[{pos}/{len}] {wide_msg} {elapsed}"));
    bar.enable_steady_tick(TICK);
    let bar = RevisionBar {
        bar,
        shown: RefCell::new(Shown::default()),
    };
    Some(Watcher {
        step: Box::new(move |step| bar.tell(step)),
        monitor: Some(url.to_string()),
    })
}

/// A spinner while a database is read, cleared when dropped.
pub(super) struct Reading {
    spinner: Option<ProgressBar>,
    description: String,
    started: Instant,
}

/// Shows that the database `description` names is being read.
pub(super) fn reading(description: &str) -> Reading {
    let spinner = drawing().then(|| {
        let spinner = BARS.add(ProgressBar::new_spinner());
        spinner.set_style(style("{spinner} reading {msg} {elapsed}"));
        spinner.set_message(crate::diag::printable(description).into_owned());
        spinner.enable_steady_tick(TICK);
        spinner
    });
    Reading {
        spinner,
        description: description.to_string(),
        started: Instant::now(),
    }
}

impl Reading {
    /// The database was read: the spinner gives way to a line that says
    /// what it has.
    pub(super) fn done(self, schema: &Schema) {
        if let Some(spinner) = &self.spinner {
            spinner.finish_and_clear();
            say(&format!(
                "read {}: {}, {}, {} in {:.1}s",
                crate::diag::printable(&self.description),
                counted(schema.tables.len(), "table"),
                counted(schema.views.len(), "view"),
                counted(schema.routines.len(), "function"),
                self.started.elapsed().as_secs_f64()
            ));
        }
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        if let Some(spinner) = &self.spinner {
            spinner.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(-1234567), "-1,234,567");
    }
}
