//! Writing to standard output and standard error, where a reader that went
//! away is no error.
//!
//! `trellisc history | head -1` closes the pipe after one line; `println!`
//! would then panic. The macros here write and flush, and when the other
//! end is closed they end the process at once with status 141 (what a shell
//! reports for a program stopped by SIGPIPE, as `git log | head` is), saying
//! nothing: not 0, which `diff` uses for "the same", nor 2, "they differ".

use std::io::Write;

/// The exit status when standard output or standard error is closed early.
pub const CLOSED_PIPE: i32 = 141;

/// Writes to standard output, like `print!`.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::output::to_stdout(format_args!($($arg)*))
    };
}

/// Writes a line to standard output, like `println!`.
macro_rules! outln {
    () => {
        $crate::cli::output::to_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::output::to_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Writes a line to standard error, like `eprintln!`.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::to_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Writes to standard output and flushes, so that a closed pipe is seen
/// here and not lost in the flush at exit.
pub fn to_stdout(text: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_fmt(text).and_then(|()| stdout.flush()) {
        failed(&error);
    }
}

/// Writes to standard error (unbuffered).
pub fn to_stderr(text: std::fmt::Arguments<'_>) {
    if let Err(error) = std::io::stderr().lock().write_fmt(text) {
        failed(&error);
    }
}

/// A write failed: a closed pipe ends the process quietly; anything else
/// (a full disk behind a redirect) cannot be reported on the stream that
/// failed, so it ends the process with status 1.
fn failed(error: &std::io::Error) -> ! {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        closed()
    }
    // Standard error may still work when standard output failed.
    let _ = writeln!(std::io::stderr(), "trellisc: cannot write the output: {error}");
    std::process::exit(1)
}

/// Ends the process because the reader of its output has gone.
pub fn closed() -> ! {
    std::process::exit(CLOSED_PIPE)
}

/// Whether the command prints JSON: then an error is also written to
/// standard output as `{"version": 1, "error": "..."}`, so that a program
/// reading it always gets one JSON document.
static JSON: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes errors JSON documents on standard output too.
pub fn set_json() {
    JSON.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Reports an error: its text on standard error, and in JSON mode the same
/// as a JSON document on standard output. `text` may hold several lines,
/// each already starting with `error: ` where it should.
pub fn error(text: &str) {
    to_stderr(format_args!("{text}\n"));
    if JSON.load(std::sync::atomic::Ordering::Relaxed) {
        let document = serde_json::json!({ "version": 1, "error": text });
        to_stdout(format_args!("{}\n", json_text(&document)));
    }
}

/// A JSON document as printed: pretty, its keys in a fixed order.
pub fn json_text(value: &serde_json::Value) -> String {
    // Serializing a Value cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Prints a JSON document on standard output.
pub fn print_json(value: &serde_json::Value) {
    to_stdout(format_args!("{}\n", json_text(value)));
}
