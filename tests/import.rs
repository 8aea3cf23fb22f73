//! Adopting an existing database: a schema written by hand in plain SQL is
//! imported to `.trellis`, that source is applied to a new database, and the
//! two databases are the same, to trellisc and to `pg_dump --schema-only`.

mod common;
mod support;

use std::process::Command;

use support::{pg, reflect};
use trellisc::ir::Schema;
use trellisc::plan::{self, PlanOptions};
use trellisc::render::render_plan;

fn import(url: &str) -> (String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["import", "--db", url])
        .output()
        .expect("run trellisc import");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "import failed: {stderr}");
    (String::from_utf8_lossy(&output.stdout).into_owned(), stderr)
}

/// `pg_dump --schema-only`, without the lines that differ on every run.
fn dump(server: &pg::Server, url: &str) -> String {
    server.schema_dump(url).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_hand_written_database_imports_and_comes_back_the_same() {
    let server = pg::server();
    let original = server.database();
    let sql = std::fs::read_to_string(common::root().join("tests/fixtures/import/realistic.sql")).expect("fixture");
    server.psql(&original, &sql).expect("apply the fixture");

    let (source, warnings) = import(&original);
    assert_eq!(warnings, "", "the fixture has nothing trellisc leaves alone");
    let compiled = common::compile(&[("imported.trellis".to_string(), source.clone())]);
    let rendered = trellisc::diag::render_plain(&compiled.sources, &compiled.diagnostics);
    assert!(compiled.diagnostics.is_empty(), "{rendered}\n{source}");
    insta::assert_snapshot!("realistic_imported", source);

    // The import is formatted, and importing again gives the same text.
    let file = std::env::temp_dir().join(format!("trellisc-import-{}.trellis", std::process::id()));
    std::fs::write(&file, &source).expect("write the import");
    let fmt = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["fmt", "--check"])
        .arg(&file)
        .output()
        .expect("run trellisc fmt");
    let _ = std::fs::remove_file(&file);
    assert!(
        fmt.status.success(),
        "import output is not formatted: {}",
        String::from_utf8_lossy(&fmt.stderr)
    );
    assert_eq!(import(&original).0, source, "import is not deterministic");

    let copy = server.database();
    let create = render_plan(&plan::upgrade(
        &Schema::default(),
        &compiled.schema,
        PlanOptions::default(),
    ));
    server.psql(&copy, &create).unwrap_or_else(|e| panic!("{e}\n{create}"));

    let left = reflect::remaining(&copy, &compiled.schema);
    assert!(
        left.is_empty(),
        "the copy differs from its source:\n{}",
        left.join("\n")
    );
    let options = trellisc::reflect::ReflectOptions::default();
    let (a, b) = (reflect::read(&original, &options), reflect::read(&copy, &options));
    let between = plan::upgrade(&a.schema, &b.schema, PlanOptions::default());
    let steps: Vec<String> = between
        .steps
        .iter()
        .map(|s| trellisc::render::describe(&s.change))
        .collect();
    assert!(steps.is_empty(), "the databases differ:\n{}", steps.join("\n"));

    let (before, after) = (dump(server, &original), dump(server, &copy));
    if before != after {
        let diff = similar::TextDiff::from_lines(&before, &after);
        panic!(
            "pg_dump --schema-only differs:\n{}",
            diff.unified_diff().context_radius(3)
        );
    }
}

/// What PostgreSQL allows but is awkward to write (an empty enum label,
/// comments with carriage returns and other control characters) imports
/// into source that `check` accepts and that `diff` finds equal to the
/// database it came from.
#[test]
fn awkward_labels_and_comments_import_into_source_that_reads_back() {
    let server = pg::server();
    let url = server.database();
    let sql = "create type e as enum ('', 'a', 'it''s', 'back\\slash');\n\
        create table t (id bigint primary key, state e not null default '');\n\
        comment on table t is E'line one\\r\\nline two\\rthree\\ttab \\x01 bell\\x07';\n\
        comment on column t.id is E'ends with a newline\\n';\n\
        comment on type e is E'\\r';\n";
    server.psql(&url, sql).expect("create the objects");
    let (source, _) = import(&url);
    let dir = std::env::temp_dir().join(format!("trellisc-import-awkward-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("imported.trellis");
    std::fs::write(&file, &source).expect("write");
    let check = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["--color", "never", "check"])
        .arg(&file)
        .output()
        .expect("run trellisc check");
    let said = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "check refuses the import:\n{said}\n{source}");
    assert!(!said.contains("warning"), "{said}\n{source}");
    let diff = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["diff", "--from", &url, "--to"])
        .arg(&file)
        .output()
        .expect("run trellisc diff");
    let stdout = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(
        (diff.status.code(), stdout.as_ref()),
        (Some(0), "-- no changes\n"),
        "{}\n{source}",
        String::from_utf8_lossy(&diff.stderr)
    );
}

/// Imports a database made with `sql` into a file, checks that `check`
/// accepts it, creates a second database from it (`diff --to FILE`, run
/// with psql) and returns the source after asserting that the two have
/// the same `pg_dump --schema-only` and that `diff` finds each equal to the
/// source, twice over. `by_hand` is what trellisc leaves alone: it is run
/// on the second database first, and its statements (one a line) are left
/// out of the script; the import may warn about nothing else.
fn round_trip(name: &str, sql: &str, by_hand: &str) -> String {
    let server = pg::server();
    let original = server.database();
    server.psql(&original, sql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
    let (source, warnings) = import(&original);
    for warning in warnings.lines() {
        assert!(
            !by_hand.is_empty() && warning.contains("is not managed by trellisc"),
            "{warnings}\n{source}"
        );
    }
    let dir = std::env::temp_dir().join(format!("trellisc-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("imported.trellis");
    std::fs::write(&file, &source).expect("write");
    let trellisc = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_trellisc"))
            .args(["--color", "never"])
            .args(args)
            .arg(&file)
            .output()
            .expect("run trellisc")
    };
    let check = trellisc(&["check"]);
    let said = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "check refuses the import:\n{said}\n{source}");
    assert!(!said.contains("warning"), "{said}\n{source}");

    let create = trellisc(&["diff", "--to"]);
    assert_eq!(
        create.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&create.stderr)
    );
    let create: String = String::from_utf8_lossy(&create.stdout)
        .lines()
        .filter(|line| !by_hand.lines().any(|done| done.trim() == line.trim()))
        .map(|line| format!("{line}\n"))
        .collect();
    let copy = server.database();
    server.psql(&copy, by_hand).unwrap_or_else(|e| panic!("{e}\n{by_hand}"));
    server
        .psql(&copy, &create)
        .unwrap_or_else(|e| panic!("{e}\n{create}\n{source}"));
    let (before, after) = (dump(server, &original), dump(server, &copy));
    if before != after {
        let diff = similar::TextDiff::from_lines(&before, &after);
        panic!(
            "pg_dump --schema-only differs:\n{}\n{source}",
            diff.unified_diff().context_radius(3)
        );
    }
    for url in [&original, &copy, &original] {
        let diff = trellisc(&["diff", "--from", url, "--to"]);
        assert_eq!(
            (diff.status.code(), String::from_utf8_lossy(&diff.stdout).as_ref()),
            (Some(0), "-- no changes\n"),
            "{}\n{source}",
            String::from_utf8_lossy(&diff.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    source
}

/// `trellisc diff` of a database and hand-written source, expected to have
/// nothing to do.
fn assert_no_changes(url: &str, name: &str, source: &str) {
    let file = std::env::temp_dir().join(format!("trellisc-import-{name}-{}.trellis", std::process::id()));
    std::fs::write(&file, source).expect("write");
    for _ in 0..2 {
        let diff = Command::new(env!("CARGO_BIN_EXE_trellisc"))
            .args(["--color", "never", "diff", "--from", url, "--to"])
            .arg(&file)
            .output()
            .expect("run trellisc diff");
        assert_eq!(
            (diff.status.code(), String::from_utf8_lossy(&diff.stdout).as_ref()),
            (Some(0), "-- no changes\n"),
            "{}\n{source}",
            String::from_utf8_lossy(&diff.stderr)
        );
    }
    let _ = std::fs::remove_file(&file);
}

/// A column of every built-in type a table can have (as the server lists
/// them), with one- and two-dimensional arrays of each that has arrays,
/// and the types whose modifiers or spelling are their own.
#[test]
fn every_built_in_type_round_trips() {
    let server = pg::server();
    let catalog = server.database();
    // Base, range and multirange types of pg_catalog; arrays are the `_`
    // types of category A (`int2vector` and `oidvector` are not arrays).
    let columns = server
        .psql(
            &catalog,
            "\\pset tuples_only on\n\\pset format unaligned\n\
             SELECT string_agg(format('c_%s pg_catalog.%I', typname, typname)
                 || CASE WHEN typarray <> 0
                    THEN format(', a_%s pg_catalog.%I[], b_%s pg_catalog.%I[][]', typname, typname, typname, typname)
                    ELSE '' END, E',\\n' ORDER BY typname)
             FROM pg_type
             WHERE typnamespace = 'pg_catalog'::regnamespace AND typtype IN ('b', 'r', 'm')
               AND NOT (typcategory = 'A' AND typname LIKE '\\_%');",
        )
        .expect("list the types");
    for expected in [
        "c_char pg_catalog.\"char\"",
        "c_name",
        "c_pg_snapshot",
        "c_int4multirange",
        "b_xml",
    ] {
        assert!(columns.contains(expected), "{expected} missing from\n{columns}");
    }
    let sql = format!(
        "CREATE TABLE every_type (\n{},
  quoted_char \"char\", quoted_char_array \"char\"[][], single_char char, char_n character(3),
  bpchar_n bpchar(5), unlimited_bit pg_catalog.bit, bit_1 bit, bit_n bit(3), varbit_n bit varying(5),
  varbit_array bit varying(7)[][],
  time_tz time with time zone, time_tz_p time(2) with time zone, time_p time(4),
  timestamp_p timestamp(3), timestamptz_p timestamptz(0), timestamptz_array timestamp(6) with time zone[],
  interval_fields interval day to second(3), interval_ym interval year to month, interval_p interval(2),
  interval_array interval hour to minute[][],
  numeric_ps numeric(12,2), numeric_p numeric(5), numeric_array numeric(8,3)[],
  varchar_n character varying(20), varchar_array varchar(10)[][], float_p float(10), float_53 float(53),
  double double precision[], int int[][]
);\n",
        columns.trim()
    );
    let source = round_trip("every-type", &sql, "");
    for expected in [
        "c_char  ",
        " \"char\"\n",
        "quoted_char_array ",
        " \"char\"[][]\n",
        " \"bit\"\n",
        " bpchar\n",
        " int2vector\n",
        " oidvector[][]\n",
    ] {
        assert!(source.contains(expected), "{expected:?} missing from\n{source}");
    }
}

/// A collation outside the search path keeps its schema (in the import and
/// in SQL); one the search path finds is written without, however the
/// source spells it.
#[test]
fn collations_keep_their_schema_off_the_search_path() {
    let collations = "CREATE SCHEMA s;
CREATE COLLATION s.c (provider = icu, locale = 'und-u-ks-level2');
CREATE COLLATION public.pc (provider = icu, locale = 'und-u-ks-level2');
";
    let sql = format!(
        "{collations}CREATE TABLE t (a text COLLATE s.c, b text COLLATE \"C\", d text COLLATE pc, e text);
CREATE INDEX t_e_idx ON t (e COLLATE s.c);
CREATE TABLE s.u (x text COLLATE s.c, y varchar(3)[] COLLATE pg_catalog.\"POSIX\");
CREATE DOMAIN s.folded AS text COLLATE s.c;
CREATE TABLE s.v (z s.folded);
"
    );
    // The collations are the schema's own now: imported and made by the plan.
    let source = round_trip("collations", &sql, "");
    for expected in [
        "a text collate s.c\n",
        "b text collate \"C\"\n",
        "d text collate pc\n",
        "index (e collate s.c)\n",
        "x text collate s.c\n",
        "y varchar(3)[] collate \"POSIX\"\n",
        "domain s.folded as text collate s.c\n",
        "collation s.c (provider = icu, locale = 'und-u-ks-level2')\n",
        "collation pc (provider = icu, locale = 'und-u-ks-level2')\n",
    ] {
        assert!(source.contains(expected), "{expected:?} missing from\n{source}");
    }
    let server = pg::server();
    let url = server.database();
    server.psql(&url, &sql).expect("create the objects");
    let written = "schema s
collation s.c (provider = icu, locale = 'und-u-ks-level2')
collation pc (provider = icu, locale = 'und-u-ks-level2')
table t {
  a text collate s.c
  b text collate pg_catalog.\"C\"
  d text collate public.pc
  e text
  index t_e_idx (e collate s.c)
}
domain s.folded text collate s.c
table s.u {
  x text collate s.c
  y varchar(3)[] collate \"POSIX\"
}
table s.v {
  z s.folded
}
";
    assert_no_changes(&url, "collations-written", written);
}

/// An operator class of an extension installed in the default schema is
/// the same written with or without that schema, and the same as the
/// database's; one outside the search path keeps its schema.
#[test]
fn operator_classes_compare_equal_when_they_name_the_same_class() {
    let by_hand = "CREATE SCHEMA s;
CREATE OPERATOR CLASS s.text_copy_ops FOR TYPE text USING btree AS OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, FUNCTION 1 bttextcmp(text, text);
";
    let sql = format!(
        "{by_hand}CREATE EXTENSION pg_trgm;
CREATE TABLE t (a text, b text, c int);
CREATE INDEX t_a_trgm ON t USING gin (a gin_trgm_ops);
CREATE INDEX t_b_gist ON t USING gist (b public.gist_trgm_ops (siglen = 32));
CREATE INDEX t_a_pattern ON t (a pg_catalog.text_pattern_ops);
CREATE INDEX t_b_copy ON t (b s.text_copy_ops);
"
    );
    let source = round_trip("opclasses", &sql, by_hand);
    for expected in [
        "index t_a_trgm using gin (a gin_trgm_ops)",
        "index t_b_gist using gist (b gist_trgm_ops (siglen = 32))",
        "index t_a_pattern (a text_pattern_ops)",
        "index t_b_copy (b s.text_copy_ops)",
    ] {
        assert!(source.contains(expected), "{expected:?} missing from\n{source}");
    }
    let server = pg::server();
    let url = server.database();
    server.psql(&url, &sql).expect("create the objects");
    for (name, gin) in [("bare", "gin_trgm_ops"), ("qualified", "public.gin_trgm_ops")] {
        let written = format!(
            "schema s
extension pg_trgm
table t {{
  a text
  b text
  c integer
  index t_a_trgm using gin (a {gin})
  index t_b_gist using gist (b gist_trgm_ops (siglen = 32))
  index t_a_pattern (a text_pattern_ops)
  index t_b_copy (b s.text_copy_ops)
}}
"
        );
        assert_no_changes(&url, &format!("opclasses-{name}"), &written);
    }
}

/// Views, materialized views and their indexes, functions of every body
/// kind, procedures, aggregates and triggers, written by hand in SQL as
/// psql users write them, come back the same.
#[test]
fn views_routines_and_triggers_round_trip() {
    let sql = r#"
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('happy', 'sad');
CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL, balance numeric(12,2) NOT NULL DEFAULT 0,
                       mood app.mood, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, table_name text NOT NULL, action text NOT NULL);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION touch() IS 'Keeps updated_at fresh.';
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $body$
begin
  insert into audit_log (table_name, action) values (tg_table_name, tg_op);
  return null;
end
$body$;
CREATE FUNCTION add(a integer, b integer DEFAULT 1) RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN a + b;
CREATE FUNCTION balance_of(who text, OUT total numeric, OUT accounts bigint) LANGUAGE sql STABLE
  BEGIN ATOMIC
    SELECT coalesce(sum(balance), 0), count(*) FROM accounts WHERE owner = who;
  END;
CREATE FUNCTION rich(threshold numeric = 1000) RETURNS TABLE (id bigint, owner text) LANGUAGE sql STABLE COST 50 ROWS 20
  AS 'select id, owner from accounts where balance > threshold';
CREATE FUNCTION app.cheer(m app.mood) RETURNS app.mood LANGUAGE sql IMMUTABLE AS $$ SELECT 'happy'::app.mood $$;
CREATE PROCEDURE credit(account bigint, amount numeric) LANGUAGE plpgsql AS $$
BEGIN
  UPDATE accounts SET balance = balance + amount WHERE id = account;
END
$$;
CREATE FUNCTION _concat(acc text, piece text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN acc IS NULL THEN piece ELSE acc || ', ' || piece END $$;
CREATE AGGREGATE concat_all(text) (SFUNC = _concat, STYPE = text);
COMMENT ON AGGREGATE concat_all(text) IS 'Joins texts.';
CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();
COMMENT ON TRIGGER accounts_touch ON accounts IS 'Fresh.';
CREATE TRIGGER accounts_large AFTER UPDATE OF balance ON accounts FOR EACH ROW
  WHEN (NEW.balance > 1000 AND OLD.balance IS DISTINCT FROM NEW.balance) EXECUTE FUNCTION audit();
CREATE CONSTRAINT TRIGGER accounts_checked AFTER INSERT OR DELETE ON accounts DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION audit();
CREATE TRIGGER accounts_truncated AFTER TRUNCATE ON accounts FOR EACH STATEMENT EXECUTE FUNCTION audit();
CREATE VIEW rich_accounts AS SELECT id, owner, balance FROM accounts WHERE balance > 1000;
COMMENT ON VIEW rich_accounts IS 'Worth a call.';
CREATE VIEW rich_owners (who) WITH (security_barrier = true) AS
  SELECT owner FROM rich_accounts WHERE owner <> '' WITH LOCAL CHECK OPTION;
CREATE VIEW app.moods AS SELECT mood, count(*) AS n FROM accounts GROUP BY mood;
CREATE MATERIALIZED VIEW totals AS SELECT owner, sum(balance) AS total FROM accounts GROUP BY owner;
CREATE UNIQUE INDEX totals_owner ON totals (owner);
CREATE INDEX totals_big ON totals (total DESC) WHERE total > 100;
COMMENT ON MATERIALIZED VIEW totals IS 'Per owner.';
COMMENT ON INDEX totals_owner IS 'One row each.';
"#;
    let source = round_trip("whole-schema", sql, "");
    for expected in [
        "function touch() RETURNS trigger",
        "procedure credit(",
        "aggregate concat_all(text)",
        "trigger accounts_large AFTER UPDATE OF balance",
        "constraint trigger accounts_checked",
        "materialized view totals {",
        "unique index totals_owner on totals",
    ] {
        assert!(source.contains(expected), "{expected:?} in:\n{source}");
    }
}

/// Grants of every kind (schemas, tables, columns, views, sequences,
/// functions, procedures, types, `with grant option`, what PUBLIC holds by
/// itself taken away) and default privileges import into `grant`,
/// `revoke` and `default privileges` lines; applied to an empty database
/// they give the same access control lists, to trellisc and to `pg_dump`.
#[test]
fn grants_and_default_privileges_import_and_come_back_the_same() {
    let server = pg::server();
    let original = server.database();
    let sql = std::fs::read_to_string(common::root().join("tests/fixtures/import/grants.sql")).expect("fixture");
    server.psql(&original, &sql).expect("apply the fixture");

    let (source, warnings) = import(&original);
    assert_eq!(warnings, "", "nothing left alone");
    let compiled = common::compile(&[("imported.trellis".to_string(), source.clone())]);
    let rendered = trellisc::diag::render_plain(&compiled.sources, &compiled.diagnostics);
    assert!(compiled.diagnostics.is_empty(), "{rendered}\n{source}");
    insta::assert_snapshot!("grants_imported", source);

    let left = reflect::remaining(&original, &compiled.schema);
    assert!(
        left.is_empty(),
        "the source differs from the database it came from:\n{}",
        left.join("\n")
    );

    let copy = server.database();
    let create = render_plan(&plan::upgrade(
        &Schema::default(),
        &compiled.schema,
        PlanOptions::default(),
    ));
    server.psql(&copy, &create).unwrap_or_else(|e| panic!("{e}\n{create}"));
    let left = reflect::remaining(&copy, &compiled.schema);
    assert!(
        left.is_empty(),
        "the copy differs from its source:\n{}",
        left.join("\n")
    );
    let (before, after) = (dump(server, &original), dump(server, &copy));
    assert!(
        before.contains("GRANT SELECT(id) ON TABLE billing.invoices TO reporting;"),
        "{before}"
    );
    if before != after {
        let diff = similar::TextDiff::from_lines(&before, &after);
        panic!(
            "pg_dump --schema-only differs:\n{}\n--- plan ---\n{create}",
            diff.unified_diff().context_radius(3)
        );
    }
}

/// Composite types (attributes with collations, arrays, enums, domains and
/// comments; none at all) and range types (a difference function, an
/// operator class, a collation, a multirange's own name) import into
/// `type` declarations that make the same types again.
#[test]
fn composite_and_range_types_import_and_come_back_the_same() {
    let server = pg::server();
    let original = server.database();
    let sql = std::fs::read_to_string(common::root().join("tests/fixtures/import/types.sql")).expect("fixture");
    server.psql(&original, &sql).expect("apply the fixture");

    let (source, warnings) = import(&original);
    assert_eq!(warnings, "", "nothing left alone");
    let compiled = common::compile(&[("imported.trellis".to_string(), source.clone())]);
    let rendered = trellisc::diag::render_plain(&compiled.sources, &compiled.diagnostics);
    assert!(compiled.diagnostics.is_empty(), "{rendered}\n{source}");
    insta::assert_snapshot!("types_imported", source);

    let copy = server.database();
    let create = render_plan(&plan::upgrade(
        &Schema::default(),
        &compiled.schema,
        PlanOptions::default(),
    ));
    server.psql(&copy, &create).unwrap_or_else(|e| panic!("{e}\n{create}"));
    let left = reflect::remaining(&copy, &compiled.schema);
    assert!(
        left.is_empty(),
        "the copy differs from its source:\n{}",
        left.join("\n")
    );
    let (before, after) = (dump(server, &original), dump(server, &copy));
    if before != after {
        let diff = similar::TextDiff::from_lines(&before, &after);
        panic!(
            "pg_dump --schema-only differs:\n{}\n--- plan ---\n{create}",
            diff.unified_diff().context_radius(3)
        );
    }
}

/// What PostgreSQL prints in words it would read back as something else
/// still comes back the same: an `IN` list on a `varchar` column (stored
/// as an array of `varchar` cast to `text[]`, which read back would cast
/// each element), in a check, a domain's check, an index's predicate and a
/// default; and a later branch's unnamed column of a set operation (stored
/// as `?column?`, printed without a name, which read back would be named
/// after its type).
#[test]
fn what_postgresql_prints_differently_from_what_it_reads_comes_back_the_same() {
    let sql = r#"
CREATE DOMAIN kind AS varchar(20) CHECK (VALUE IN ('area', 'artist'));
CREATE TABLE link (id bigint PRIMARY KEY, entity_type varchar(50) NOT NULL CHECK (entity_type IN ('area', 'artist', 'event')),
                   other varchar CHECK (other IN ('x') OR other IS NULL), k kind,
                   tags varchar[] DEFAULT ARRAY['a'::varchar, 'b'::varchar]::text[]);
CREATE INDEX link_areas ON link (id) WHERE entity_type IN ('area', 'artist');
CREATE TABLE known (id bigint, country integer);
CREATE TABLE unknown (id bigint);
CREATE VIEW places AS
  SELECT id, country FROM (SELECT id, country FROM known UNION ALL SELECT id, NULL FROM unknown) AS q;
CREATE VIEW labels AS SELECT id, 'known' AS source FROM known UNION SELECT id, lower('UNKNOWN') FROM unknown;
"#;
    let source = round_trip("printed-words", sql, "");
    assert!(source.contains("::text[]"), "{source}");
}

/// A table's access method and tablespace come back, a partitioned table's
/// (where its partitions go) too; a partition kept in the default
/// tablespace under a parent that is not says so (`tablespace pg_default`),
/// one that says nothing takes its parent's.
#[test]
fn access_methods_and_tablespaces_round_trip() {
    let (method, space) = (pg::TEST_ACCESS_METHOD, pg::TEST_TABLESPACE);
    let sql = format!(
        r#"
CREATE TABLE archive (id bigint PRIMARY KEY, body text) USING {method} WITH (fillfactor = 90) TABLESPACE {space};
CREATE TABLE readings (taken date NOT NULL, value numeric) PARTITION BY RANGE (taken) TABLESPACE {space};
CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') TABLESPACE pg_default;
CREATE TABLE plain (id bigint) USING heap TABLESPACE pg_default;
"#
    );
    let source = round_trip("storage", &sql, "");
    for said in [
        format!("table archive using {method} with (fillfactor = 90) tablespace {space} {{"),
        format!("table readings partition by range (taken) tablespace {space} {{"),
        "('2027-01-01') tablespace pg_default".to_string(),
        "table plain {".to_string(),
    ] {
        assert!(source.contains(&said), "{said}\n{source}");
    }
}
