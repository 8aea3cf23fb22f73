//! Objects trellisc does not manage (rules, composite types) are never
//! touched, and a change PostgreSQL would refuse because one of them uses
//! what it drops or retypes is reported before any SQL is written.

mod common;
mod support;

use std::process::{Command, Output};

use support::pg;

const DATABASE: &str = "
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL, note text, owner text, status text);
CREATE TABLE audit (id bigint PRIMARY KEY, at timestamptz NOT NULL);
CREATE RULE own_rows AS ON UPDATE TO orders WHERE old.owner <> current_user DO INSTEAD NOTHING;
CREATE RULE positive AS ON INSERT TO orders WHERE new.total < 0 DO INSTEAD NOTHING;
CREATE RULE open_rows AS ON DELETE TO orders WHERE old.status = 'done' DO INSTEAD NOTHING;
CREATE RULE audited AS ON DELETE TO orders DO ALSO INSERT INTO audit VALUES (old.id, now());
";

fn diff(url: &str, dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["diff", "--from", url, "--to"])
        .arg(dir)
        .arg("--allow-destructive")
        .output()
        .expect("trellisc diff")
}

fn schema_dir(label: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("trellis-unmanaged-{}-{label}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("a.trellis"), text).expect("write");
    dir
}

const KEPT: &str = "table orders {
  id     bigint primary key
  total  numeric(12,2) not null
  note   text
  owner  text
  status text
}

table audit {
  id bigint primary key
  at timestamptz not null
}
";

#[test]
fn changes_the_unmanaged_objects_would_block_are_refused_by_name() {
    let url = pg::server().database();
    pg::server().psql(&url, DATABASE).expect("the database");
    let changed = KEPT
        .replace("total  numeric(12,2) not null", "total  bigint not null")
        .replace("  owner  text\n", "")
        .replace("  status text\n", "  status varchar(20)\n")
        .replace(
            "table audit {\n  id bigint primary key\n  at timestamptz not null\n}\n",
            "",
        );
    let dir = schema_dir("blocked", &changed);
    let output = diff(&url, &dir);
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(output.stdout.is_empty(), "no SQL is written");
    for expected in [
        "column orders.total is used by rule positive on public.orders",
        "column orders.owner is used by rule own_rows on public.orders",
        "column orders.status is used by rule open_rows on public.orders",
        "table audit is used by rule audited on public.orders",
        "PostgreSQL would refuse: ALTER TABLE public.orders ALTER COLUMN total TYPE bigint",
        "E0303",
    ] {
        assert!(said.contains(expected), "{expected:?} in:\n{said}");
    }
    // What was reported is what PostgreSQL does refuse.
    for statement in [
        "ALTER TABLE public.orders ALTER COLUMN total TYPE bigint USING total::bigint;",
        "ALTER TABLE public.orders DROP COLUMN owner;",
        "ALTER TABLE public.orders ALTER COLUMN status TYPE varchar(20);",
        "DROP TABLE public.audit;",
    ] {
        assert!(
            pg::server().psql(&url, statement).is_err(),
            "PostgreSQL accepts {statement}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn changes_they_allow_go_through_and_leave_them_alone() {
    let url = pg::server().database();
    pg::server().psql(&url, DATABASE).expect("the database");
    // A rename is followed by rules; a dropped column none of them uses,
    // a new column and a new index do not concern them.
    let changed = KEPT
        .replace(
            "  total  numeric(12,2) not null",
            "  amount numeric(12,2) not null was total",
        )
        .replace("  note   text\n", "  extra  int\n")
        .replace("  status text\n", "  status text\n\n  index orders_owner (owner)\n");
    let dir = schema_dir("allowed", &changed);
    let output = diff(&url, &dir);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sql = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(!sql.contains("RULE"), "{sql}");
    pg::server().psql(&url, &sql).expect("the plan applies");
    let policy = pg::server()
        .psql(
            &url,
            "\\pset tuples_only on\nSELECT definition FROM pg_rules WHERE rulename = 'positive';",
        )
        .expect("rule");
    assert!(policy.contains("amount"), "the rule follows the rename: {policy}");
    let kept = pg::server()
        .psql(
            &url,
            "\\pset tuples_only on\nSELECT (SELECT count(*) FROM pg_rules WHERE tablename = 'orders') || ',' \
             || (SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'note');",
        )
        .expect("what is left");
    assert_eq!(kept.trim(), "4,0", "the rules stay, the unrelated column goes");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Properties the language has no form for are named by `import` (and
/// `diff`), never dropped silently.
#[test]
fn import_names_the_properties_it_leaves_out() {
    let url = pg::server().database();
    pg::server()
        .psql(
            &url,
            "CREATE TABLE orders (id bigint PRIMARY KEY, note text, payload bytea, code int);
             ALTER TABLE orders ALTER COLUMN note SET STATISTICS 500;
             ALTER TABLE orders ALTER COLUMN payload SET STORAGE EXTERNAL;
             ALTER TABLE orders ALTER COLUMN note SET COMPRESSION pglz;
             ALTER INDEX orders_pkey SET (fillfactor = 70);
             ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
             GRANT SELECT ON orders TO PUBLIC;
             CLUSTER orders USING orders_pkey;
             CREATE STATISTICS orders_stats (dependencies) ON note, code FROM orders;
             CREATE COLLATION german (provider = icu, locale = 'de-DE');
             CREATE SEQUENCE tickets;
             GRANT USAGE ON SEQUENCE tickets TO PUBLIC;
             GRANT UPDATE (note) ON orders TO PUBLIC;
             CREATE RULE orders_keep AS ON DELETE TO orders DO INSTEAD NOTHING;
             CREATE TEXT SEARCH CONFIGURATION english_orders (COPY = english);",
        )
        .expect("the database");
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["import", "--db", &url])
        .output()
        .expect("trellisc import");
    assert_eq!(output.status.code(), Some(0));
    let warned = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "rule orders_keep on public.orders",
        "text search configuration public.english_orders",
    ] {
        assert!(warned.contains(expected), "{expected:?} in:\n{warned}");
    }
    let source = String::from_utf8_lossy(&output.stdout);
    assert!(source.contains("table orders"), "{source}");
    // The key's index storage parameters, column settings, row level
    // security, collations, extended statistics, CLUSTER ON and grants
    // have forms now: written, not named.
    for managed in [
        "privileges",
        "storage parameters",
        "statistics target",
        "storage external",
        "compression",
        "row-level",
        "collation",
        "extended statistics",
        "CLUSTER ON",
    ] {
        assert!(!warned.contains(managed), "{managed:?} in:\n{warned}");
    }
    for written in [
        "primary key (id) with (fillfactor = 70)",
        "note    text statistics 500 compression pglz",
        "payload bytea storage external",
        "row level security",
        "collation german (provider = icu, locale = 'de-DE')",
        "statistics orders_stats (dependencies) on (note, code)",
        "cluster on orders_pkey",
        "grant select, update (note) on table orders to public",
        "grant usage on sequence tickets to public",
    ] {
        assert!(source.contains(written), "{written:?} in:\n{source}");
    }
}

/// A function that takes a native enum is dropped before the type is made
/// again and created after it; one the schema does not declare is dropped.
#[test]
fn a_routine_using_an_enum_type_goes_and_comes_back_around_it() {
    let url = pg::server().database();
    pg::server()
        .psql(
            &url,
            "CREATE TYPE order_status AS ENUM ('pending', 'paid');
             CREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL);
             CREATE FUNCTION is_open(s order_status) RETURNS boolean LANGUAGE sql AS $$ SELECT s = 'pending' $$;",
        )
        .expect("the database");
    // Removing a label recreates the type: the old one is dropped at the end.
    let dir = schema_dir(
        "enum-type",
        "enum order_status { 'pending' }\n\nfunction is_open(s order_status) returns boolean language sql as $$ SELECT s = 'pending' $$\n\ntable orders {\n  id     bigint primary key\n  status order_status not null\n}\n",
    );
    let output = diff(&url, &dir);
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{said}");
    let sql = String::from_utf8_lossy(&output.stdout).into_owned();
    let dropped = sql
        .find("DROP FUNCTION public.is_open(public.order_status)")
        .expect(&sql);
    let recreated = sql.find("DROP TYPE public.order_status_old").expect(&sql);
    let created = sql.find("CREATE FUNCTION public.is_open").expect(&sql);
    assert!(dropped < recreated && recreated < created, "{sql}");
    pg::server().psql(&url, &sql).expect("the plan applies");
    let again = diff(&url, &dir);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A partitioned table, its partition and its serial sequence are
/// imported, and a diff from an empty database makes all three, the
/// sequence owned by the table it can now create.
#[test]
fn a_partitioned_tables_sequence_goes_with_it() {
    let url = pg::server().database();
    pg::server()
        .psql(
            &url,
            "CREATE TABLE events (id bigserial, at date NOT NULL) PARTITION BY RANGE (at);
             CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
             CREATE TABLE accounts (id bigserial PRIMARY KEY);",
        )
        .expect("the database");
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["import", "--db", &url])
        .output()
        .expect("trellisc import");
    assert_eq!(output.status.code(), Some(0));
    let (source, warned) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(!warned.contains("partition"), "{warned}");
    for expected in [
        "table events partition by range (at) {",
        "table events_2026 partition of events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        "id bigserial primary key",
    ] {
        assert!(source.contains(expected), "{expected:?} in:\n{source}");
    }

    let empty = pg::server().database();
    let plan = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["diff", "--from", &empty, "--to", &url])
        .output()
        .expect("trellisc diff");
    let sql = String::from_utf8_lossy(&plan.stdout);
    assert!(sql.contains("PARTITION OF public.events"), "{sql}");
    pg::server().psql(&empty, &sql).expect("the plan applies");
    let again = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["diff", "--from", &empty, "--to", &url])
        .output()
        .expect("trellisc diff");
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

/// A table can not be made where a relation trellisc does not manage (a
/// foreign table) has the name: said before any SQL, not left to CREATE
/// TABLE.
#[test]
fn a_name_an_unmanaged_relation_has_is_refused() {
    let url = pg::server().database();
    pg::server()
        .psql(
            &url,
            "CREATE TABLE orders (id bigint PRIMARY KEY); CREATE FOREIGN DATA WRAPPER nowhere; \
             CREATE SERVER elsewhere FOREIGN DATA WRAPPER nowhere; \
             CREATE FOREIGN TABLE reports (id bigint, at date) SERVER elsewhere;",
        )
        .expect("the database");
    let dir = schema_dir(
        "taken",
        "table orders {\n  id bigint primary key\n}\n\ntable reports {\n  id bigint primary key\n}\n",
    );
    let output = diff(&url, &dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("table reports cannot be made: foreign table public.reports has that name"),
        "{stderr}"
    );
    assert!(stderr.contains("CREATE TABLE public.reports"), "{stderr}");
    assert!(output.stdout.is_empty(), "no SQL is written");
    let _ = std::fs::remove_dir_all(&dir);
}
