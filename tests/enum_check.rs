//! Enums stored as checks, with rows in them, on the real server: renamed
//! labels move the rows both ways; a removed label still in use stops the
//! revision before anything has changed.

mod common;
mod support;

use std::process::Command;

use support::pg;

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    std::fs::create_dir_all(dir).expect("dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

/// The SQL `trellisc diff` writes from one file to another.
fn diff(from: &str, to: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["diff", "--from", from, "--to", to, "--allow-destructive"])
        .output()
        .expect("trellisc diff");
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The downgrade SQL of the change from one file to another (renames
/// reversed, as a revision's downgrade part has them).
fn downgrade(from: &str, to: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_trellisc"))
        .args(["diff", "--from", from, "--to", to, "--format", "json"])
        .output()
        .expect("trellisc diff");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let mut sql = String::new();
    for step in json["downgrade"].as_array().into_iter().flatten() {
        for statement in step["sql"].as_array().into_iter().flatten() {
            sql.push_str(statement.as_str().unwrap_or(""));
            sql.push('\n');
        }
    }
    sql
}

fn query(url: &str, sql: &str) -> String {
    pg::server()
        .psql(url, &format!("\\pset tuples_only on\n\\pset format unaligned\n{sql}"))
        .expect("query")
        .trim()
        .to_string()
}

/// Runs a script in one transaction, as a revision runs.
fn run(url: &str, sql: &str) -> Result<String, String> {
    pg::server().psql(url, &format!("BEGIN;\n{sql}\nCOMMIT;"))
}

const OLD: &str = "enum order_status as check { 'pending', 'sent', 'legacy' }\n\ntable orders {\n  id     bigint primary key\n  status order_status not null default 'pending'\n}\n";
const RENAMED: &str = "enum order_status as check { 'pending', 'shipped' was 'sent', 'legacy' }\n\ntable orders {\n  id     bigint primary key\n  status order_status not null default 'pending'\n}\n";
const REMOVED: &str = "enum order_status as check { 'pending', 'sent' }\n\ntable orders {\n  id     bigint primary key\n  status order_status not null default 'pending'\n}\n";

#[test]
fn renamed_labels_move_the_rows_both_ways() {
    let dir = std::env::temp_dir().join(format!("trellis-enum-check-{}-rename", std::process::id()));
    let (old, new) = (write(&dir, "old.trellis", OLD), write(&dir, "new.trellis", RENAMED));
    let url = pg::server().database();
    run(&url, &diff("empty", &old)).expect("create");
    run(
        &url,
        "INSERT INTO orders VALUES (1, 'sent'), (2, 'pending'), (3, 'sent');",
    )
    .expect("rows");

    run(&url, &diff(&old, &new)).expect("upgrade");
    assert_eq!(
        query(&url, "SELECT string_agg(status, ',' ORDER BY id) FROM orders;"),
        "shipped,pending,shipped"
    );
    let refused = run(&url, "INSERT INTO orders VALUES (4, 'sent');");
    assert!(
        refused.is_err_and(|e| e.contains("orders_status_check")),
        "the old label is refused now"
    );

    run(&url, &downgrade(&old, &new)).expect("downgrade");
    assert_eq!(
        query(&url, "SELECT string_agg(status, ',' ORDER BY id) FROM orders;"),
        "sent,pending,sent"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_removed_label_in_use_stops_before_anything_changes() {
    let dir = std::env::temp_dir().join(format!("trellis-enum-check-{}-remove", std::process::id()));
    let (old, new) = (write(&dir, "old.trellis", OLD), write(&dir, "new.trellis", REMOVED));
    let url = pg::server().database();
    run(&url, &diff("empty", &old)).expect("create");
    run(
        &url,
        "INSERT INTO orders VALUES (1, 'legacy'), (2, 'legacy'), (3, 'sent');",
    )
    .expect("rows");
    let before = query(
        &url,
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'orders_status_check';",
    );

    let upgrade = diff(&old, &new);
    let error = run(&url, &upgrade).expect_err("the upgrade stops");
    assert!(
        error.contains("label 'legacy' of enum order_status is still held by 2 row(s) of orders.status"),
        "{error}"
    );
    assert_eq!(
        query(
            &url,
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'orders_status_check';"
        ),
        before
    );
    assert_eq!(
        query(&url, "SELECT string_agg(status, ',' ORDER BY id) FROM orders;"),
        "legacy,legacy,sent"
    );

    // Once no row holds it, the same upgrade goes through.
    run(&url, "UPDATE orders SET status = 'sent' WHERE status = 'legacy';").expect("move");
    run(&url, &upgrade).expect("upgrade");
    let after = query(
        &url,
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'orders_status_check';",
    );
    assert!(!after.contains("legacy"), "{after}");
    let _ = std::fs::remove_dir_all(&dir);
}

const NATIVE: &str = "enum order_status { 'pending', 'paid', 'shipped' }\n\ntable orders {\n  id     bigint primary key\n  status order_status not null default 'pending'\n  index orders_open (id) where (status in ('pending', 'paid'))\n}\n";

#[test]
fn native_to_check_and_back_keeps_every_row_and_default() {
    let dir = std::env::temp_dir().join(format!("trellis-enum-check-{}-convert", std::process::id()));
    let native = write(&dir.join("native"), "a.trellis", NATIVE);
    let check = write(
        &dir.join("check"),
        "a.trellis",
        &NATIVE.replace("enum order_status {", "enum order_status as check {"),
    );
    let url = pg::server().database();
    run(&url, &diff("empty", &native)).expect("create");
    run(
        &url,
        "INSERT INTO orders (id, status) VALUES (1, 'paid'), (2, 'shipped'); INSERT INTO orders (id) VALUES (3);",
    )
    .expect("rows");
    let rows = "SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM orders;";
    let kind = "SELECT data_type || ' ' || column_default FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'status';";

    run(&url, &diff(&native, &check)).expect("to a check");
    assert_eq!(query(&url, rows), "1:paid,2:shipped,3:pending");
    assert_eq!(query(&url, kind), "text 'pending'::text");
    assert!(
        run(&url, "INSERT INTO orders (id, status) VALUES (9, 'lost');").is_err(),
        "the check holds"
    );
    run(&url, "INSERT INTO orders (id) VALUES (4);").expect("the default holds");

    run(&url, &diff(&check, &native)).expect("back to a native type");
    assert_eq!(query(&url, rows), "1:paid,2:shipped,3:pending,4:pending");
    assert_eq!(query(&url, kind), "USER-DEFINED 'pending'::order_status");
    let remaining = support::reflect::remaining(&url, &common::schema_of(&dir.join("native").display().to_string()));
    assert!(remaining.is_empty(), "{remaining:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
