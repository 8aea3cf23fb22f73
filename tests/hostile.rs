//! Hostile names, labels, comments and string defaults, on the real server:
//! a database is built with them by hand, imported, built again from the
//! source, changed and changed back through trellisc's plans, and after
//! every step its catalog holds exactly the expected objects, names byte
//! for byte, and nothing else; a table the plans never mention keeps its
//! row. Newlines, quotes, backslashes, comment marks, dollar quotes, psql's
//! backslash commands and terminal escape codes must all stay inside the
//! identifier, literal or comment they were written in.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use support::pg;
use support::project::{Project, text};

/// Pieces that end a comment, a literal, an identifier, a statement or a
/// psql line when written without quoting.
const FRAGMENTS: &[&str] = &[
    "\n",
    "\r",
    "\r\n",
    "\t",
    "'",
    "''",
    "\"",
    "\\",
    "\\'",
    "*/",
    "/*",
    "$$",
    "$trellisc$",
    "$trellis$",
    "--",
    "//",
    ";",
    "\nDROP TABLE public.important;\n--",
    "'; DROP TABLE public.important; --",
    "é",
    "🦀",
    "\u{1b}[31m",
    "\u{7}",
    "{",
    "}",
    "E'",
    "U&'",
    ":name",
    "\\gset",
    "\\! echo owned",
    " ",
    "was",
    "x",
];

/// The names and texts of one hostile schema; every identifier starts with
/// a letter of its own so that no two objects can share a name.
#[derive(Clone, Debug)]
struct Hostile {
    schema: String,
    table: String,
    enum_name: String,
    text_column: String,
    enum_column: String,
    added_column: String,
    check: String,
    index: String,
    added_index: String,
    labels: [String; 2],
    added_label: String,
    default: String,
    added_default: String,
    forbidden: String,
    table_comment: String,
    column_comment: String,
    enum_comment: String,
}

/// A string from the fragments after `tag`, at most `max` bytes.
fn hostile(tag: &'static str, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..5).prop_map(move |pieces| {
        let mut out = tag.to_string();
        for piece in pieces {
            if out.len() + piece.len() > max {
                break;
            }
            out.push_str(piece);
        }
        out
    })
}

fn schemas() -> impl Strategy<Value = Hostile> {
    // PostgreSQL keeps 63 bytes of a name; the tags keep names apart.
    let name = |tag| hostile(tag, 56);
    (
        (name("S"), name("T"), name("E"), name("C"), name("D"), name("X")),
        (name("K"), name("I"), name("J")),
        (hostile("a", 60), hostile("b", 60), hostile("n", 60)),
        (hostile("d", 200), hostile("x", 200), hostile("f", 200)),
        (hostile("ct", 200), hostile("cc", 200), hostile("ce", 200)),
    )
        .prop_map(|(names, constraints, labels, texts, comments)| Hostile {
            schema: names.0,
            table: names.1,
            enum_name: names.2,
            text_column: names.3,
            enum_column: names.4,
            added_column: names.5,
            check: constraints.0,
            index: constraints.1,
            added_index: constraints.2,
            labels: [labels.0, labels.1],
            added_label: labels.2,
            default: texts.0,
            added_default: texts.1,
            forbidden: texts.2,
            table_comment: comments.0,
            column_comment: comments.1,
            enum_comment: comments.2,
        })
}

/// An identifier in SQL, whatever it holds.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A string literal in SQL (standard_conforming_strings is on).
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

impl Hostile {
    fn qualified(&self, name: &str) -> String {
        format!("{}.{}", ident(&self.schema), ident(name))
    }

    /// The database as a person would build it by hand.
    fn create(&self) -> String {
        let table = self.qualified(&self.table);
        let enum_type = self.qualified(&self.enum_name);
        format!(
            "CREATE SCHEMA {schema};\n\
             CREATE TYPE {enum_type} AS ENUM ({a}, {b});\n\
             CREATE TABLE {table} (\n  id integer PRIMARY KEY,\n  {text} text NOT NULL DEFAULT {default} CONSTRAINT {check} CHECK ({text} <> {forbidden}),\n  {enum_column} {enum_type} DEFAULT {b}\n);\n\
             CREATE INDEX {index} ON {table} ({text});\n\
             COMMENT ON TABLE {table} IS {table_comment};\n\
             COMMENT ON COLUMN {table}.{text} IS {column_comment};\n\
             COMMENT ON TYPE {enum_type} IS {enum_comment};\n\
             INSERT INTO {table} (id, {enum_column}) VALUES (1, {a});\n",
            schema = ident(&self.schema),
            a = literal(&self.labels[0]),
            b = literal(&self.labels[1]),
            text = ident(&self.text_column),
            default = literal(&self.default),
            check = ident(&self.check),
            forbidden = literal(&self.forbidden),
            enum_column = ident(&self.enum_column),
            index = ident(&self.index),
            table_comment = literal(&self.table_comment),
            column_comment = literal(&self.column_comment),
            enum_comment = literal(&self.enum_comment),
        )
    }

    /// The change: a column with a default, a comment and an index, and a
    /// new label.
    fn change(&self) -> String {
        let table = self.qualified(&self.table);
        let column = ident(&self.added_column);
        format!(
            "ALTER TABLE {table} ADD COLUMN {column} text DEFAULT {default};\n\
             COMMENT ON COLUMN {table}.{column} IS {comment};\n\
             CREATE INDEX {index} ON {table} ({column});\n\
             ALTER TYPE {enum_type} ADD VALUE {label};\n",
            default = literal(&self.added_default),
            comment = literal(&self.column_comment),
            index = ident(&self.added_index),
            enum_type = self.qualified(&self.enum_name),
            label = literal(&self.added_label),
        )
    }

    /// Everything the catalogs hold of the schema, and of the rest of the
    /// database which schemas and public tables there are, one JSON line
    /// per object, sorted.
    fn catalog(&self, server: &pg::Server, url: &str) -> String {
        let ns = format!(
            "(SELECT oid FROM pg_namespace WHERE nspname = {})",
            literal(&self.schema)
        );
        let sql = format!(
            "\\pset format unaligned\n\\pset tuples_only on\n\
             SELECT line FROM (\n\
             SELECT json_build_array('relation', c.relname, c.relkind::text, coalesce(obj_description(c.oid, 'pg_class'), ''))::text AS line\n\
               FROM pg_class c WHERE c.relnamespace = {ns}\n\
             UNION ALL SELECT json_build_array('column', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text,\n\
                 coalesce(pg_get_expr(d.adbin, d.adrelid), ''), coalesce(col_description(c.oid, a.attnum), ''))::text\n\
               FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid\n\
               LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum\n\
               WHERE c.relnamespace = {ns} AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped\n\
             UNION ALL SELECT json_build_array('constraint', c.conname, c.contype::text, pg_get_constraintdef(c.oid))::text\n\
               FROM pg_constraint c WHERE c.connamespace = {ns}\n\
             UNION ALL SELECT json_build_array('index', pg_get_indexdef(i.indexrelid))::text\n\
               FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = {ns}\n\
             UNION ALL SELECT json_build_array('enum', t.typname, coalesce(obj_description(t.oid, 'pg_type'), ''),\n\
                 (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))::text\n\
               FROM pg_type t WHERE t.typnamespace = {ns} AND t.typtype = 'e'\n\
             UNION ALL SELECT json_build_array('schema', n.nspname)::text FROM pg_namespace n\n\
               WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'\n\
             UNION ALL SELECT json_build_array('public', c.relname, c.relkind::text)::text FROM pg_class c\n\
               WHERE c.relnamespace = 'public'::regnamespace\n\
             UNION ALL SELECT json_build_array('important', count(*)::text)::text FROM public.important\n\
             ) x ORDER BY line;\n"
        );
        server
            .psql(url, &sql)
            .unwrap_or_else(|e| panic!("read the catalog: {e}"))
    }
}

static DIRS: AtomicUsize = AtomicUsize::new(0);

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "trellis-hostile-{}-{}",
        std::process::id(),
        DIRS.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Runs trellisc; the output, after checking the exit status.
fn trellisc(args: &[&str], status: i32) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(args)
        .env_remove("TRELLIS_DATABASE_URL")
        .output()
        .expect("run trellisc");
    assert_eq!(
        output.status.code(),
        Some(status),
        "trellisc {args:?}\n{}",
        text(&output)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A fresh database with `public.important`, the table no plan may touch.
fn database(server: &pg::Server) -> String {
    let url = server.database();
    server
        .psql(
            &url,
            "CREATE TABLE public.important (id int); INSERT INTO public.important VALUES (1);",
        )
        .expect("the important table");
    url
}

/// Imports the hostile schema of a database into a file of its own.
fn import(url: &str, schema: &str, dir: &Path) -> String {
    let file = dir.join("schema.trellis");
    let file = file.to_str().expect("a UTF-8 path");
    trellisc(&["import", "--db", url, "--schema", schema, "-o", file], 0);
    trellisc(&["check", file], 0);
    file.to_string()
}

fn apply(server: &pg::Server, url: &str, sql: &str, what: &str) {
    if let Err(error) = server.psql(url, sql) {
        panic!("{what}: {error}\n{sql}");
    }
}

/// The whole round: built by hand, imported, built from the source,
/// changed and changed back by plans; the catalog after each step is the
/// one expected.
fn round_trip(h: &Hostile, online: bool) {
    let server = pg::server();
    let (before_dir, after_dir) = (scratch(), scratch());

    // The database as built by hand, and as changed by hand.
    let before = database(server);
    apply(server, &before, &h.create(), "build by hand");
    let after = database(server);
    apply(server, &after, &(h.create() + &h.change()), "change by hand");
    let expected_before = h.catalog(server, &before);
    let expected_after = h.catalog(server, &after);
    assert_ne!(expected_before, expected_after);

    // Imported source reads back and matches its database.
    let before_file = import(&before, &h.schema, &before_dir);
    let after_file = import(&after, &h.schema, &after_dir);
    let unchanged = trellisc(
        &["diff", "--from", &before, "--to", &before_file, "--schema", &h.schema],
        0,
    );
    assert_eq!(unchanged, "-- no changes\n");

    // Built from the source alone.
    let built = database(server);
    let sql = trellisc(&["diff", "--to", &before_file], 2);
    apply(server, &built, &sql, "build from source");
    assert_eq!(h.catalog(server, &built), expected_before, "built from source\n{sql}");

    // Changed and changed back by plans against the live database.
    let mode: &[&str] = if online { &["--online"] } else { &[] };
    let up: Vec<&str> = [
        &["diff", "--from", &built, "--to", &after_file, "--schema", &h.schema][..],
        mode,
    ]
    .concat();
    let sql = trellisc(&up, 2);
    apply(server, &built, &sql, "upgrade");
    assert_eq!(h.catalog(server, &built), expected_after, "upgraded\n{sql}");
    let down: Vec<&str> = [
        &[
            "diff",
            "--from",
            &built,
            "--to",
            &before_file,
            "--schema",
            &h.schema,
            "--allow-destructive",
        ][..],
        mode,
    ]
    .concat();
    let sql = trellisc(&down, 2);
    apply(server, &built, &sql, "downgrade");
    assert_eq!(h.catalog(server, &built), expected_before, "downgraded\n{sql}");

    let _ = std::fs::remove_dir_all(&before_dir);
    let _ = std::fs::remove_dir_all(&after_dir);
}

/// The names of the report: a table whose name ends the step comment and
/// drops another table, with labels, comments and defaults of the same
/// kind.
fn the_reported_names() -> Hostile {
    let evil = "\nDROP TABLE public.important;\n--";
    let named = |tag: &str| format!("{tag}{evil}");
    Hostile {
        schema: named("s"),
        table: format!("acct{evil}"),
        enum_name: named("e"),
        text_column: named("c"),
        enum_column: named("d"),
        added_column: named("x"),
        check: named("k"),
        index: named("i"),
        added_index: named("j"),
        labels: [named("a'b\\"), format!("b$$*/{evil}")],
        added_label: format!("n\r\u{1b}[2J{evil}"),
        default: format!("it's \\ $$ */ -- {evil}"),
        added_default: format!("E'\\' $trellisc$ {evil}"),
        forbidden: format!("f'{evil}"),
        table_comment: format!("ct */ \r\n {evil}"),
        column_comment: format!("cc\u{1b}[31m {evil}"),
        enum_comment: format!("ce \\ {evil}"),
    }
}

#[test]
fn the_reported_injection_stays_a_name() {
    round_trip(&the_reported_names(), false);
    round_trip(&the_reported_names(), true);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn hostile_schemas_round_trip_byte_for_byte(h in schemas(), online in any::<bool>()) {
        round_trip(&h, online);
    }
}

/// The same names through a project: a revision written from source that
/// holds them, applied by `upgrade`, and undone by `downgrade`.
#[test]
fn hostile_names_in_a_revision_upgrade_and_downgrade() {
    let h = the_reported_names();
    let p = Project::new();
    p.sql("CREATE TABLE public.important (id int); INSERT INTO public.important VALUES (1);");
    let server = pg::server();
    let scratch_db = database(server);
    apply(server, &scratch_db, &h.create(), "build by hand");
    let dir = scratch();
    let file = import(&scratch_db, &h.schema, &dir);
    p.write(
        "schema/schema.trellis",
        &std::fs::read_to_string(&file).expect("imported source"),
    );
    p.revision_ok("20261203000001_hostil", &["-m", "hostile"]);
    p.ok(&["upgrade"]);
    // The project's own version table is the one difference.
    let upgraded: String = h
        .catalog(server, &p.url)
        .lines()
        .filter(|line| !line.contains("\"trellis_version"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(upgraded, h.catalog(server, &scratch_db));
    p.ok(&["downgrade", "base"]);
    assert_eq!(p.value("SELECT count(*) FROM public.important"), "1");
    let left = p.value(&format!(
        "SELECT count(*) FROM pg_namespace WHERE nspname = {}",
        literal(&h.schema)
    ));
    assert_eq!(left, "0", "{}", text(&p.run(&["current"])));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A range type whose names end the dollar quotes of the `DO` blocks that
/// rename a range's multirange and constructor functions: renamed (`was`)
/// and made anew while a column uses it, the values kept, the important
/// table untouched, and the types named byte for byte.
#[test]
fn hostile_range_names_stay_inside_their_do_blocks() {
    let evil = "$rename$'; DROP TABLE public.important; --$trellisc$";
    let (old_name, new_name) = (format!("r{evil}range"), format!("n{evil}range"));
    let dir = scratch();
    let write = |file: &str, head: &str, name: &str, subtype: &str| {
        let text = format!(
            "type {head} as range (subtype = {subtype})\n\n\
             table spans {{\n  id bigint primary key\n  span {} default '[1,2)'\n}}\n",
            ident(name)
        );
        let path = dir.join(file);
        std::fs::write(&path, text).expect("write the source");
        path.to_str().expect("a UTF-8 path").to_string()
    };
    let old = write("old.trellis", &ident(&old_name), &old_name, "integer");
    let renamed = format!("{} was {}", ident(&new_name), ident(&old_name));
    let new = write("new.trellis", &renamed, &new_name, "bigint");
    let server = pg::server();
    let url = database(server);
    apply(
        server,
        &url,
        &trellisc(&["diff", "--from", "empty", "--to", &old], 2),
        "create",
    );
    apply(
        server,
        &url,
        "INSERT INTO public.spans VALUES (1, '[3,7)'), (2, DEFAULT);",
        "rows",
    );
    let upgrade = trellisc(&["diff", "--from", &old, "--to", &new], 2);
    assert!(upgrade.contains("convert the columns"), "{upgrade}");
    apply(server, &url, &upgrade, "upgrade");
    let read = "\\pset format unaligned\n\\pset tuples_only on\n\
                SELECT id, span FROM public.spans ORDER BY id;\n\
                SELECT typname || '|' || format_type(rngsubtype, NULL) FROM pg_type JOIN pg_range ON rngtypid = oid \
                WHERE typnamespace = 'public'::regnamespace;\n\
                SELECT typname FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype = 'm';\n\
                SELECT count(*) FROM public.important;\n";
    let seen = server.psql(&url, read).expect("read back");
    // PostgreSQL names the multirange after the range (14 and later).
    let multirange = match server.major() >= 14 {
        true => format!("{}\n", new_name.replace("range", "multirange")),
        false => String::new(),
    };
    let expected = format!("1|[3,7)\n2|[1,2)\n{new_name}|bigint\n{multirange}1\n");
    assert_eq!(seen, expected);
    server.drop_database(&url);
    let _ = std::fs::remove_dir_all(&dir);
}
