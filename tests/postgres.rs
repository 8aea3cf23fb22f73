//! The SQL trellisc writes, run on a real PostgreSQL server: every example
//! created from empty, a failed script leaving nothing behind, and the locks
//! it takes. (Every diff case taken up, down and up again is in
//! tests/reflect.rs, read back after each step.)

mod common;
mod support;

use std::collections::HashMap;
use support::pg;
use trellisc::ir::Schema;
use trellisc::plan::{self, PlanOptions};

use trellisc::render::{self, render_plan};
use trellisc::revision::locks::{Lock, LockMode, Target};

#[test]
fn every_example_applies_to_an_empty_database() {
    let server = pg::server();
    for (dir, schema) in common::example_schemas() {
        let url = server.database();
        let sql = render_plan(&plan::upgrade(&Schema::default(), &schema, PlanOptions::default()));
        if let Err(error) = server.psql(&url, &sql) {
            panic!("{dir}: {error}\n{sql}");
        }
    }
}

/// The SQL `diff` prints is one transaction: when a statement fails,
/// psql leaves nothing of the plan behind, though the steps before it
/// succeeded; with `--online`, a concurrent index build between
/// transactions and a validation in its own still run in order.
#[test]
fn the_sql_diff_prints_is_one_transaction() {
    let server = pg::server();
    let schema = |text: &str| {
        let compiled = common::compile(&[("s.trellis".to_string(), text.to_string())]);
        assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
        compiled.schema
    };
    let old = schema("table notes {\n  id bigint primary key\n  body text\n}\n");
    // The new table comes first in the plan; the cast of 'x' fails.
    let new = schema(
        "table audit {\n  id bigint primary key\n}\n\ntable notes {\n  id bigint primary key\n  body integer\n  index notes_body (body)\n  check (body > 0)\n}\n",
    );
    for online in [false, true] {
        let url = server.database();
        let create = render_plan(&plan::upgrade(&Schema::default(), &old, PlanOptions::default()));
        server.psql(&url, &create).expect("create old");
        server
            .psql(&url, "INSERT INTO notes VALUES (1, 'x');")
            .expect("a row that cannot be cast");
        let up = render::render_script(&plan::upgrade(
            &old,
            &new,
            PlanOptions {
                online,
                postgres: Some(server.major()),
            },
        ));
        assert!(
            up.find("CREATE TABLE public.audit") < up.find("ALTER COLUMN body"),
            "{up}"
        );
        let error = server.psql(&url, &up).expect_err("the cast fails");
        assert!(error.contains("invalid input syntax for type integer"), "{error}");
        let left = server
            .psql(
                &url,
                "\\pset tuples_only on\nSELECT to_regclass('public.audit') IS NULL;",
            )
            .expect("read back");
        assert_eq!(left.trim(), "t", "online: {online}: the new table stayed\n{up}");
        // With rows that convert, the same script runs through.
        server.psql(&url, "UPDATE notes SET body = '7';").expect("fix the row");
        server
            .psql(&url, &up)
            .unwrap_or_else(|e| panic!("online: {online}: {e}\n{up}"));
        let valid = server
            .psql(
                &url,
                "\\pset tuples_only on\nSELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = 'public.notes'::regclass;",
            )
            .expect("read back");
        assert_eq!(valid.trim(), "t");
    }
}

/// How strong a lock mode is, as `pg_locks.mode` names it.
fn strength(mode: &str) -> u8 {
    match mode {
        "AccessShareLock" => 1,
        "RowShareLock" => 2,
        "RowExclusiveLock" => 3,
        "ShareUpdateExclusiveLock" => 4,
        "ShareLock" => 5,
        "ShareRowExclusiveLock" => 6,
        "ExclusiveLock" => 7,
        "AccessExclusiveLock" => 8,
        other => panic!("unknown lock mode {other}"),
    }
}

/// `ACCESS EXCLUSIVE` as `pg_locks` writes it.
fn pg_mode(mode: LockMode) -> String {
    let mut out: String = mode
        .name()
        .split(' ')
        .map(|word| word[..1].to_string() + &word[1..].to_ascii_lowercase())
        .collect();
    out.push_str("Lock");
    out
}

/// What a relation was when a statement started.
#[derive(Clone)]
struct Relation {
    name: String,
    kind: String,
    /// The table owning a sequence.
    owner: Option<u32>,
}

/// Every diff case's plans, statement by statement on the real server, with
/// the locks each statement holds read from `pg_locks` before it commits:
/// the locks the summary names are exactly those PostgreSQL takes on what
/// existed before the statement, and none that blocks more than row
/// writes is left out.
#[test]
fn the_locks_named_for_each_statement_are_those_postgresql_takes() {
    let server = pg::server();
    let relations = "SELECT 'R|' || c.oid || '|' || c.relkind::text || '|' || coalesce(d.refobjid::text, '') || '|' || format('%I.%I', n.nspname, c.relname) \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND c.relkind = 'S' AND d.deptype IN ('a', 'i') \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND c.relkind IN ('r', 'p', 'i', 'S', 'v', 'm', 'c');\n";
    let held = "SELECT 'L|' || relation || '|' || mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted;\n";
    let mut failures = Vec::new();
    let mut checked = 0;
    for online in [false, true] {
        let options = PlanOptions {
            online,
            postgres: Some(server.major()),
        };
        for (name, old, new) in common::diff_cases() {
            // A form this server lacks is refused before any SQL (asserted
            // by the convergence tests); there are no locks to compare.
            if !pg::lacking(server, &[&old, &new]).is_empty() {
                continue;
            }
            for (direction, plan) in [
                ("upgrade", plan::upgrade(&old, &new, options)),
                ("downgrade", plan::downgrade(&old, &new, options)),
            ] {
                let start = if direction == "upgrade" { &old } else { &new };
                let url = server.database();
                let mut script = String::from("\\pset format unaligned\n\\pset tuples_only on\n");
                script.push_str(&render_plan(&plan::upgrade(
                    &Schema::default(),
                    start,
                    PlanOptions::default(),
                )));
                let mut statements = Vec::new();
                for step in &plan.steps {
                    for statement in render::step_statements(step, &plan) {
                        script.push_str("SELECT 'B';\n");
                        script.push_str(relations);
                        script.push_str(&format!("SELECT 'S|{}';\n", statements.len()));
                        if statement.transactional {
                            script.push_str(&format!("BEGIN;\n{}\n{held}COMMIT;\n", statement.sql));
                        } else {
                            script.push_str(&format!("{}\n", statement.sql));
                        }
                        statements.push((step, statement));
                    }
                }
                script.push_str("SELECT 'B';\n");
                script.push_str(relations);
                let output = match server.psql(&url, &script) {
                    Ok(output) => output,
                    Err(error) => {
                        failures.push(format!("{name} {direction} (online: {online}): {error}"));
                        continue;
                    }
                };
                // Per statement: the relations before it, its locks, the
                // relations after it.
                let mut before: Vec<HashMap<u32, Relation>> = Vec::new();
                let mut locks: Vec<HashMap<u32, String>> = vec![HashMap::new(); statements.len()];
                let mut current = None;
                for line in output.lines() {
                    let fields: Vec<&str> = line.splitn(5, '|').collect();
                    match fields[0] {
                        "B" => before.push(HashMap::new()),
                        "R" => {
                            let oid = fields[1].parse().expect("oid");
                            let relation = Relation {
                                kind: fields[2].to_string(),
                                owner: fields[3].parse().ok(),
                                name: fields[4].to_string(),
                            };
                            before.last_mut().expect("a block").insert(oid, relation);
                        }
                        "S" => current = Some(fields[1].parse::<usize>().expect("statement")),
                        "L" => {
                            let at = current.expect("a statement");
                            let oid: u32 = fields[1].parse().expect("oid");
                            let mode = fields[2].to_string();
                            let entry = locks[at].entry(oid).or_insert(mode.clone());
                            if strength(&mode) > strength(entry) {
                                *entry = mode;
                            }
                        }
                        _ => {}
                    }
                }
                let said: Vec<Vec<Lock>> = render::statement_locks(&plan).into_iter().flatten().collect();
                // What existed before the plan: the summary names locks on
                // nothing else.
                let existed = &before[0];
                for (at, (step, statement)) in statements.iter().enumerate() {
                    if !statement.transactional {
                        continue;
                    }
                    checked += 1;
                    let (was, after) = (&before[at], &before[at + 1]);
                    let find = |name: &str| was.iter().find(|(_, r)| r.name == name).map(|(oid, _)| *oid);
                    let mut predicted: HashMap<u32, String> = HashMap::new();
                    for lock in &said[at] {
                        let Target::Relation(target) = &lock.on else {
                            failures.push(format!(
                                "{name} {direction}: `{}`: {} left unresolved",
                                statement.sql, lock.on
                            ));
                            continue;
                        };
                        match find(target) {
                            Some(oid) => {
                                predicted.insert(oid, pg_mode(lock.mode));
                            }
                            None => failures.push(format!(
                                "{name} {direction} (online: {online}): `{}` names {target}, which is not there",
                                statement.sql
                            )),
                        }
                    }
                    for (oid, mode) in &predicted {
                        let seen = locks[at].get(oid).map_or("no lock", String::as_str);
                        if seen != mode {
                            failures.push(format!(
                                "{name} {direction} (online: {online}) step {:?}: `{}` on {}: said {mode}, PostgreSQL took {seen}",
                                render::describe(&step.change),
                                statement.sql,
                                was[oid].name
                            ));
                        }
                    }
                    for (oid, mode) in &locks[at] {
                        let Some(relation) = was.get(oid).filter(|_| existed.contains_key(oid)) else {
                            continue;
                        };
                        // An identity or serial column's sequence is reached
                        // through its table, which the statement holds more
                        // strongly.
                        let through_table = relation.owner.is_some_and(|table| {
                            predicted
                                .get(&table)
                                .is_some_and(|held| strength(held) >= strength(mode))
                        });
                        let table = matches!(relation.kind.as_str(), "r" | "p" | "S");
                        if table
                            && !through_table
                            && after.contains_key(oid)
                            && strength(mode) > 3
                            && !predicted.contains_key(oid)
                        {
                            failures.push(format!(
                                "{name} {direction} (online: {online}): `{}` takes {mode} on {}, not named",
                                statement.sql, relation.name
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(checked > 500, "only {checked} statements checked");
}

/// Two databases with the same schema, one rebuilt from the other's
/// `pg_dump` (which stores some expressions in other words: a `varchar`
/// column's `IN` list), compare equal both ways.
#[test]
fn a_database_and_its_dump_restored_compare_equal() {
    let server = pg::server();
    let original = server.database();
    server
        .psql(
            &original,
            "CREATE TABLE t (s varchar(10) CHECK (s IN ('a', 'b')), c char(2) CHECK (c IN ('x', 'y')), \
             n numeric CHECK (n BETWEEN 1 AND 5), x text DEFAULT 'x'::varchar);\n\
             CREATE INDEX t_s ON t (lower(s)) WHERE s IN ('a', 'b');",
        )
        .expect("build the original");
    let sql = server.schema_dump(&original).unwrap_or_else(|e| panic!("{e}"));
    let restored = server.database();
    server.psql(&restored, &sql).expect("restore the dump");
    let stored = |url: &str| {
        server
            .psql(
                url,
                "\\pset tuples_only on\nSELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 't_s_check';",
            )
            .expect("read the check")
    };
    assert_ne!(
        stored(&original),
        stored(&restored),
        "the dump stores the check in other words"
    );
    for (from, to) in [(&original, &restored), (&restored, &original)] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_trellisc"))
            .args(["diff", "--from", from, "--to", to])
            .output()
            .expect("run trellisc");
        assert_eq!(
            (
                output.status.code(),
                String::from_utf8_lossy(&output.stdout).into_owned()
            ),
            (Some(0), "-- no changes\n".to_string()),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// A type change PostgreSQL has no cast for is refused before any SQL,
/// at the column, until `using (EXPR)` says how; with it, the revision
/// converts every row by that expression.
#[test]
fn a_type_change_without_a_cast_needs_using() {
    let server = pg::server();
    let dir = std::env::temp_dir().join(format!("trellisc-using-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        path.to_string_lossy().into_owned()
    };
    let old = write(
        "old.trellis",
        "table events {\n  id      bigint primary key\n  created bigint not null\n}\n",
    );
    let bare = write(
        "bare.trellis",
        "table events {\n  id      bigint primary key\n  created timestamptz not null\n}\n",
    );
    let using = write(
        "using.trellis",
        "table events {\n  id      bigint primary key\n  created timestamptz not null using (to_timestamp(created))\n}\n",
    );
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_trellisc"))
            .args(args)
            .output()
            .expect("run trellisc")
    };
    let refused = run(&[
        "diff",
        "--from",
        &old,
        "--to",
        &bare,
        "--allow-destructive",
        "--color",
        "never",
    ]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{said}");
    assert!(refused.stdout.is_empty(), "no SQL is printed");
    assert!(said.contains("error[E0304]"), "{said}");
    assert!(said.contains("bare.trellis:3:11"), "{said}");
    assert!(said.contains("using (EXPR)"), "{said}");

    let url = server.database();
    let create = run(&["diff", "--to", &old]);
    server
        .psql(&url, &String::from_utf8_lossy(&create.stdout))
        .expect("create old");
    server
        .psql(&url, "INSERT INTO events VALUES (1, 0), (2, 86400);")
        .expect("rows");
    let up = run(&["diff", "--from", &url, "--to", &using, "--allow-destructive"]);
    assert_eq!(up.status.code(), Some(2), "{}", String::from_utf8_lossy(&up.stderr));
    let sql = String::from_utf8_lossy(&up.stdout).into_owned();
    assert!(sql.contains("USING (to_timestamp(created))"), "{sql}");
    server.psql(&url, &sql).expect("apply the conversion");
    let rows = server
        .psql(
            &url,
            "\\pset tuples_only on\n\\pset format unaligned\nSELECT string_agg(extract(epoch FROM created)::bigint::text, ',' ORDER BY id) FROM events;",
        )
        .expect("read back");
    assert_eq!(rows.trim(), "0,86400");
    // The hint is spent: the database now matches the source.
    let again = run(&["diff", "--from", &url, "--to", &using]);
    assert_eq!(String::from_utf8_lossy(&again.stdout), "-- no changes\n");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Casts between types offline rules do not know (an extension's) are
/// asked of the database side: a cast it lacks is refused before any SQL,
/// at the column; one it has is planned and applies.
#[test]
fn a_cast_offline_rules_cannot_decide_is_asked_of_the_database() {
    let server = pg::server();
    let dir = std::env::temp_dir().join(format!("trellisc-server-casts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let write = |name: &str, column: &str| {
        let path = dir.join(name);
        let text = format!("extension hstore\n\ntable tags {{\n  id bigint primary key\n  {column}\n}}\n");
        std::fs::write(&path, text).expect("write");
        path.to_string_lossy().into_owned()
    };
    let old = write("old.trellis", "h  hstore");
    let number = write("number.trellis", "h  integer");
    let json = write("json.trellis", "h  json");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_trellisc"))
            .args(args)
            .output()
            .expect("run trellisc")
    };
    let url = server.database();
    let create = run(&["diff", "--to", &old]);
    server
        .psql(&url, &String::from_utf8_lossy(&create.stdout))
        .expect("create old");
    server.psql(&url, "INSERT INTO tags VALUES (1, 'a=>1');").expect("rows");

    // hstore has no cast to integer on the server.
    let refused = run(&[
        "diff",
        "--from",
        &url,
        "--to",
        &number,
        "--allow-destructive",
        "--color",
        "never",
    ]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{said}");
    assert!(refused.stdout.is_empty(), "no SQL is printed");
    assert!(said.contains("error[E0304]"), "{said}");
    assert!(said.contains("number.trellis:5:6"), "{said}");
    // Offline the question stays open: no E0304 without a server.
    let offline = run(&[
        "diff",
        "--from",
        &old,
        "--to",
        &number,
        "--allow-destructive",
        "--color",
        "never",
    ]);
    assert!(
        !String::from_utf8_lossy(&offline.stderr).contains("E0304"),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );

    // hstore has one to json.
    let up = run(&["diff", "--from", &url, "--to", &json, "--allow-destructive"]);
    assert_eq!(up.status.code(), Some(2), "{}", String::from_utf8_lossy(&up.stderr));
    server
        .psql(&url, &String::from_utf8_lossy(&up.stdout))
        .expect("apply the conversion");
    let rows = server
        .psql(
            &url,
            "\\pset tuples_only on\n\\pset format unaligned\nSELECT h->>'a' FROM tags;",
        )
        .expect("read back");
    assert_eq!(rows.trim(), "1");
    let again = run(&["diff", "--from", &url, "--to", &json]);
    assert_eq!(String::from_utf8_lossy(&again.stdout), "-- no changes\n");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A composite type that columns use, made anew with its attributes in
/// another order (one renamed, one added): every value lands in the
/// attribute it belongs to, a null value stays null and a row of nulls a
/// row of nulls, in a column and in an array; the downgrade brings them
/// back.
#[test]
fn a_composite_type_made_anew_keeps_every_value_in_its_attribute() {
    let server = pg::server();
    let url = server.database();
    let case = common::root().join("tests/cases/diff/composite_reordered_in_use");
    let schema = |file: &str| {
        let text = std::fs::read_to_string(case.join(file)).expect("case file");
        let compiled = common::compile(&[(file.to_string(), text)]);
        assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
        compiled.schema
    };
    let (old, new) = (schema("old.trellis"), schema("new.trellis"));
    let options = PlanOptions::default();
    server
        .psql(&url, &render_plan(&plan::upgrade(&Schema::default(), &old, options)))
        .expect("create");
    server
        .psql(
            &url,
            "INSERT INTO geo.places VALUES \
             (1, ROW(1.5, 2, 'a,b'), ARRAY[ROW(1, 2, 'p'), NULL, ROW(NULL, NULL, NULL)]::geo.point[]), \
             (2, NULL, NULL), \
             (3, ROW(NULL, NULL, NULL), '{}');",
        )
        .expect("rows");
    let rows = || {
        server
            .psql(
                &url,
                "\\pset format unaligned\n\\pset null NULL\nSELECT id, centre, shape FROM geo.places ORDER BY id;",
            )
            .expect("select")
    };
    server
        .psql(&url, &render_plan(&plan::upgrade(&old, &new, options)))
        .expect("upgrade");
    assert_eq!(
        rows(),
        "id|centre|shape\n\
         1|(\"a,b\",1.5,,2)|{\"(p,1,,2)\",NULL,\"(,,,)\"}\n\
         2|NULL|NULL\n\
         3|(,,,)|{}\n\
         (3 rows)\n"
    );
    server
        .psql(&url, &render_plan(&plan::downgrade(&old, &new, options)))
        .expect("downgrade");
    assert_eq!(
        rows(),
        "id|centre|shape\n\
         1|(1.5,2,\"a,b\")|{\"(1,2,p)\",NULL,\"(,,)\"}\n\
         2|NULL|NULL\n\
         3|(,,)|{}\n\
         (3 rows)\n"
    );
    server.drop_database(&url);
}

/// A range type that columns use made anew, its subtype widened: the
/// values of the range column, of its multirange column and of an array
/// of it (empty ranges, unbounded ends, closed bounds a range without a
/// canonical function keeps, and nulls among them) are the same after the
/// upgrade and again after the downgrade.
#[test]
fn a_range_type_made_anew_keeps_every_value() {
    let server = pg::server();
    if server.major() < 14 {
        eprintln!("skipped: multiranges need PostgreSQL 14 or later");
        return;
    }
    let url = server.database();
    let compile = |text: &str| {
        let compiled = common::compile(&[("schema.trellis".to_string(), text.to_string())]);
        assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
        compiled.schema
    };
    let table = "table rooms {\n  id bigint primary key\n  free slot_multirange\n  next slot default '[1,2)'\n  past slot[]\n}\n";
    let old = compile(&format!("type slot as range (subtype = integer)\n{table}"));
    let new = compile(&format!("type slot as range (subtype = bigint)\n{table}"));
    let options = PlanOptions::default();
    server
        .psql(&url, &render_plan(&plan::upgrade(&Schema::default(), &old, options)))
        .expect("create");
    server
        .psql(
            &url,
            "INSERT INTO rooms VALUES \
             (1, '{[1,3), [5,)}', '(,10]', ARRAY['empty', NULL, '[2,4]']::slot[]), \
             (2, NULL, NULL, NULL), \
             (3, '{}', 'empty', '{}');\n\
             INSERT INTO rooms (id) VALUES (4);",
        )
        .expect("rows");
    let rows = || {
        server
            .psql(
                &url,
                "\\pset format unaligned\n\\pset null NULL\nSELECT id, free, next, past, pg_typeof(next) FROM rooms ORDER BY id;",
            )
            .expect("select")
    };
    let before = "id|free|next|past|pg_typeof\n\
         1|{[1,3),[5,)}|(,10]|{empty,NULL,\"[2,4]\"}|slot\n\
         2|NULL|NULL|NULL|slot\n\
         3|{}|empty|{}|slot\n\
         4|NULL|[1,2)|NULL|slot\n\
         (4 rows)\n";
    assert_eq!(rows(), before);
    let upgrade = plan::upgrade(&old, &new, options);
    server.psql(&url, &render_plan(&upgrade)).expect("upgrade");
    assert_eq!(rows(), before);
    let subtype = "SELECT format_type(rngsubtype, NULL) FROM pg_range WHERE rngtypid = 'slot'::regtype;";
    assert!(server.psql(&url, subtype).expect("subtype").contains("bigint"));
    server
        .psql(&url, &render_plan(&plan::downgrade(&old, &new, options)))
        .expect("downgrade");
    assert_eq!(rows(), before);
    assert!(server.psql(&url, subtype).expect("subtype").contains("integer"));
    server.drop_database(&url);
}

/// A database read over two connections (the second importing the first's
/// snapshot and running half of the catalog queries) reads exactly what
/// one connection reads: columns, index expressions, unmanaged objects and
/// privileges come from the second. A second connection that cannot take
/// the snapshot (here, one to another database) leaves everything to the
/// first, with the same result.
#[test]
fn a_database_read_over_two_connections_reads_what_one_reads() {
    use trellisc::reflect::{self, ReflectOptions};
    let server = pg::server();
    let url = server.database();
    let elsewhere = server.database();
    server
        .psql(
            &url,
            "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
             name text NOT NULL DEFAULT 'x', tags text[]);\n\
             COMMENT ON COLUMN t.name IS 'the name';\n\
             CREATE INDEX t_lower ON t (lower(name)) WHERE tags IS NOT NULL;\n\
             GRANT SELECT ON t TO PUBLIC;\n\
             CREATE FOREIGN DATA WRAPPER w;\n\
             CREATE SERVER s FOREIGN DATA WRAPPER w;\n\
             CREATE FOREIGN TABLE f (a int) SERVER s;",
        )
        .expect("build the database");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let options = ReflectOptions::default();
        let connect = |url: String| async move { reflect::connect(&url).await.expect("connect") };
        let first = connect(url.clone()).await;
        let helper = connect(url.clone()).await;
        let other = connect(elsewhere.clone()).await;
        let alone = reflect::reflect(&first, &options)
            .await
            .expect("read on one connection");
        let shared = reflect::reflect_shared(&first, &helper, &options)
            .await
            .expect("read on two connections");
        let fallen_back = reflect::reflect_shared(&first, &other, &options)
            .await
            .expect("read on the first connection after the second failed");
        let table = alone.schema.tables.values().next().expect("the table is read");
        assert_eq!(table.columns.len(), 3, "{table:?}");
        assert_eq!(table.indexes.len(), 1, "{table:?}");
        assert!(!alone.unmanaged.is_empty(), "the foreign table is read as unmanaged");
        assert!(!alone.schema.privileges.is_empty(), "the grant is read");
        for (how, reflected) in [("two connections", &shared), ("after the fallback", &fallen_back)] {
            assert_eq!(alone.schema, reflected.schema, "{how}");
            assert_eq!(
                format!("{:?}", alone.unmanaged),
                format!("{:?}", reflected.unmanaged),
                "{how}"
            );
            assert_eq!(alone.dependencies, reflected.dependencies, "{how}");
        }
    });
}
