//! Arbitrary input never panics `check` or `fmt`; and whenever a mutated
//! file still parses, formatting it is idempotent and keeps its IR; edited
//! revision files are read or refused, never a panic.
//! 14,000 generated cases in all.

mod common;

use proptest::prelude::*;
use trellisc::diag::FileId;
use trellisc::syntax::{format_file, parse_file};

/// Pieces of the language that random edits splice in, so that mutations
/// reach deep into the grammar rather than failing on the first byte.
const TOKENS: &[&str] = &[
    "table",
    "enum",
    "sequence",
    "extension",
    "{",
    "}",
    "(",
    ")",
    ",",
    "'",
    "\"",
    "///",
    "//",
    "\n",
    " ",
    "not null",
    "null",
    "default",
    "primary key",
    "unique",
    "check (",
    "references",
    "on delete cascade",
    "generated always as",
    "identity",
    "stored",
    "collate",
    "was",
    "constraint",
    "index",
    "using gin",
    "include (",
    "where (",
    "nulls",
    "desc",
    "exclude",
    "with =",
    "replica identity",
    "unlogged",
    "as check",
    "int[]",
    "numeric(12,2)",
    "timestamp with time zone",
    "double precision",
    "owned by",
    "start with -1",
    "99999999999999999999",
    "é",
    "\"X\"",
];

fn seeds() -> Vec<String> {
    let mut files = Vec::new();
    for dir in [
        "examples/shop",
        "examples/blog",
        "examples/saas",
        "tests/fixtures/language",
    ] {
        files.extend(
            common::read_schema(&common::root().join(dir))
                .into_iter()
                .map(|(_, t)| t),
        );
    }
    files
}

fn exercise(text: &str) {
    let compiled = common::compile(&[("fuzz.trellis".into(), text.to_string())]);
    let _ = trellisc::diag::render_plain(&compiled.sources, &compiled.diagnostics);
    let (parsed, diagnostics) = parse_file(FileId(0), text);
    let Some(parsed) = parsed else { return };
    if diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    let formatted = format_file(&parsed, text);
    let (reparsed, _) = parse_file(FileId(0), &formatted);
    let reparsed =
        reparsed.unwrap_or_else(|| panic!("formatted output does not parse:\n{formatted}\n--- from ---\n{text}"));
    assert_eq!(
        format_file(&reparsed, &formatted),
        formatted,
        "formatting is not idempotent for:\n{text}"
    );
    let again = common::compile(&[("fuzz.trellis".into(), formatted.clone())]);
    assert_eq!(
        compiled.schema, again.schema,
        "formatting changed the IR of:\n{text}\n--- formatted ---\n{formatted}"
    );
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Edit::Insert(a, t)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let boundary = |at: usize| {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match edit {
        Edit::Delete(at, n) => {
            let start = boundary(*at);
            let end = boundary(start.saturating_add(*n).min(text.len()));
            format!("{}{}", &text[..start], &text[end.max(start)..])
        }
        Edit::Insert(at, token) => {
            let at = boundary(*at);
            format!("{}{}{}", &text[..at], TOKENS[*token], &text[at..])
        }
        Edit::DuplicateLine(line) => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = line % lines.len();
                lines.insert(i, lines[i]);
            }
            lines.join("\n")
        }
        Edit::SwapLines(a, b) => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let n = lines.len();
                lines.swap(a % n, b % n);
            }
            lines.join("\n")
        }
    }
}

/// A fixed seed keeps CI reproducible; `TRELLIS_FUZZ_SEED=random` (or a
/// number) explores further when run by hand.
fn config() -> ProptestConfig {
    let rng_seed = match std::env::var("TRELLIS_FUZZ_SEED").as_deref() {
        Ok("random") => proptest::test_runner::RngSeed::Random,
        Ok(n) => proptest::test_runner::RngSeed::Fixed(n.parse().expect("TRELLIS_FUZZ_SEED is a number or `random`")),
        Err(_) => proptest::test_runner::RngSeed::Fixed(0x7e11_15c0),
    };
    ProptestConfig {
        cases: 4000,
        failure_persistence: None,
        rng_seed,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        exercise(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_token_soup_never_panics(tokens in proptest::collection::vec(0..TOKENS.len(), 0..60)) {
        let text: String = tokens.iter().map(|t| TOKENS[*t]).collect::<Vec<_>>().join(" ");
        exercise(&text);
    }

    #[test]
    fn mutated_examples_never_panic(seed in any::<usize>(), edits in proptest::collection::vec(edit(), 1..6)) {
        let seeds = seeds();
        let mut text = seeds[seed % seeds.len()].clone();
        for e in &edits {
            text = apply(&text, e);
        }
        exercise(&text);
    }
}

/// A revision file as trellisc writes it, to mutate.
const REVISION: &str = "-- trellisc revision: 20261125120000_aaaaaa\n-- parent: base\n-- message: Base\n-- created: 2026-11-25T12:00:00Z\n\n-- trellisc: upgrade\nCREATE TABLE t (id int, s text DEFAULT 'a;b');\nCREATE INDEX CONCURRENTLY i ON t (id);\nDO $$ BEGIN PERFORM 1; END $$;\n\n-- trellisc: downgrade\nDROP TABLE t;\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..config() })]

    /// Hand-edited revision files are read or refused, never a panic, and
    /// their statements split at exact places.
    #[test]
    fn mutated_revision_files_never_panic(edits in proptest::collection::vec(edit(), 1..6)) {
        let mut text = REVISION.to_string();
        for e in &edits {
            text = apply(&text, e);
        }
        if let Ok(revision) = trellisc::revision::Revision::parse(std::path::Path::new("x.sql"), &text) {
            for part in [&revision.upgrade, &revision.downgrade] {
                for piece in trellisc::revision::split::split(part) {
                    prop_assert_eq!(&part[piece.start..piece.start + piece.sql.len()], piece.sql.as_str());
                }
            }
        }
    }
}

/// Parentheses nested without end are refused with a diagnostic, not a
/// stack overflow (the parser descends once per level), in the CLI too.
#[test]
fn deep_nesting_is_a_diagnostic() {
    for (open, close) in [("(", ")"), ("[", "]")] {
        let text = format!(
            "table t {{\n  a int check ({}a{})\n}}\n",
            open.repeat(100_000),
            close.repeat(100_000)
        );
        let file = std::env::temp_dir().join(format!("trellisc-deep-{}.trellis", std::process::id()));
        std::fs::write(&file, &text).expect("write");
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_trellisc"))
            .args(["check", "--color", "never"])
            .arg(&file)
            .output()
            .expect("run trellisc");
        let _ = std::fs::remove_file(&file);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}",
            &stderr[stderr.len().saturating_sub(300)..]
        );
        assert!(
            stderr.contains("nested more than 256 deep"),
            "{}",
            &stderr[..stderr.len().min(300)]
        );
    }
    // Just under the limit still parses.
    let text = format!(
        "table t {{\n  a int check ({}a{})\n}}\n",
        "(".repeat(255),
        ")".repeat(255)
    );
    exercise(&text);
}
