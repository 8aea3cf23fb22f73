//! Running revisions as a role that is not the owner: with SELECT,
//! INSERT, UPDATE and DELETE on an existing version table and no CREATE
//! on its schema, upgrade, downgrade, stamp and current work; a role that
//! lacks a right is told which, on which table.

mod common;
mod support;

use support::project::{Project, USERS};

/// The project's database URL as `role` (the harness's server trusts
/// every role on 127.0.0.1); None on a server given by URL.
fn as_role(p: &Project, role: &str) -> Option<String> {
    p.url
        .contains("://postgres@")
        .then(|| p.url.replacen("://postgres@", &format!("://{role}@"), 1))
}

fn database(p: &Project) -> String {
    p.url.rsplit('/').next().expect("database name").to_string()
}

#[test]
fn a_role_with_only_dml_on_the_version_table_runs_revisions() {
    let p = Project::new();
    let app = format!("{}_app", database(&p));
    let Some(app_url) = as_role(&p, &app) else {
        return;
    };
    p.write("schema/app.trellis", USERS);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.ok(&["upgrade"]);
    p.sql(&format!(
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC;
         CREATE ROLE {app} LOGIN;
         GRANT USAGE ON SCHEMA public TO {app};
         GRANT SELECT, INSERT, UPDATE, DELETE ON trellis_version TO {app};
         ALTER TABLE users OWNER TO {app};"
    ));
    assert_eq!(
        p.value(&format!("SELECT has_schema_privilege('{app}', 'public', 'CREATE')")),
        "f"
    );
    p.write(
        "schema/app.trellis",
        &USERS.replace("  email text not null\n", "  email text not null\n  nickname text\n"),
    );
    p.revision_ok("20261125120100_bbbbbb", &["-m", "Nicknames"]);
    let said = p.ok(&["upgrade", "--db", &app_url]);
    assert!(said.contains("applied 1 revision(s)"), "{said}");
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );
    assert_eq!(
        p.value(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'"
        ),
        "1"
    );
    assert!(p.ok(&["current", "--db", &app_url]).contains("20261125120100_bbbbbb"));
    p.ok(&["downgrade", "-1", "--db", &app_url]);
    assert_eq!(p.applied(), ["20261125120000_aaaaaa:applied"]);
    p.ok(&["stamp", "head", "--db", &app_url]);
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );
    // The psql script too: it creates the version table only when missing.
    p.ok(&["stamp", "20261125120000_aaaaaa", "--db", &app_url]);
    let script = p.ok(&["upgrade", "--sql", "--from", "20261125120000_aaaaaa"]);
    if let Err(e) = support::pg::server().psql(&app_url, &script) {
        panic!("the script as {app}: {e}");
    }
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );

    // A role that may read the table but not add to it.
    let reader = format!("{}_reader", database(&p));
    let reader_url = as_role(&p, &reader).expect("as a role");
    p.sql(&format!(
        "CREATE ROLE {reader} LOGIN;
         GRANT SELECT, UPDATE, DELETE ON trellis_version TO {reader};"
    ));
    assert!(
        p.ok(&["current", "--db", &reader_url])
            .contains("20261125120100_bbbbbb")
    );
    let expected = format!(
        "cannot record revisions: role \"{reader}\" lacks INSERT on public.trellis_version (grant it, or run trellisc as the table's owner)"
    );
    for args in [
        vec!["upgrade", "--db", reader_url.as_str()],
        vec!["stamp", "head", "--db", reader_url.as_str()],
        vec!["downgrade", "-1", "--db", reader_url.as_str()],
    ] {
        let said = p.fails(&args, 1);
        assert!(
            said.contains(&expected),
            "trellisc {args:?}: expected {expected:?}\n{said}"
        );
        assert!(said.contains(&format!("database \"{}\"", database(&p))), "{said}");
    }
    assert_eq!(
        p.applied(),
        ["20261125120000_aaaaaa:applied", "20261125120100_bbbbbb:applied"]
    );

    // A role with no rights on it at all.
    let stranger = format!("{}_stranger", database(&p));
    let stranger_url = as_role(&p, &stranger).expect("as a role");
    p.sql(&format!("CREATE ROLE {stranger} LOGIN;"));
    let said = p.fails(&["current", "--db", &stranger_url], 1);
    assert!(
        said.contains(&format!(
            "cannot read revisions: role \"{stranger}\" lacks SELECT on public.trellis_version"
        )),
        "{said}"
    );
    let said = p.fails(&["upgrade", "--db", &stranger_url], 1);
    assert!(
        said.contains("lacks SELECT, INSERT, UPDATE and DELETE on public.trellis_version"),
        "{said}"
    );
}

#[test]
fn a_missing_version_table_that_the_role_may_not_create_is_explained() {
    let p = Project::new();
    let app = format!("{}_app", database(&p));
    let Some(app_url) = as_role(&p, &app) else {
        return;
    };
    p.write("schema/app.trellis", USERS);
    p.revision_ok("20261125120000_aaaaaa", &["-m", "Base"]);
    p.sql(&format!(
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC; CREATE ROLE {app} LOGIN;"
    ));
    let said = p.fails(&["upgrade", "--db", &app_url], 1);
    assert!(
        said.contains(&format!(
            "cannot record revisions: public.trellis_version does not exist, and role \"{app}\" lacks CREATE on schema public to create it"
        )),
        "{said}"
    );
    assert_eq!(p.value("SELECT to_regclass('public.trellis_version') IS NULL"), "t");
    // Reading is fine: there is nothing applied.
    assert!(p.ok(&["current", "--db", &app_url]).contains("base"));
}

/// A schema that grants to a role the server lacks (here one no test
/// server has).
const GRANTS_TO_A_STRANGER: &str = "\
table ledger {
  id     bigint primary key
  amount numeric not null

  policy own_rows for select to auditors_nowhere using (amount > 0)
}

grant select on ledger to reporting
grant select, insert on ledger to clerks_nowhere
";

#[test]
fn a_grant_to_a_role_the_server_lacks_is_refused_before_any_sql() {
    let p = Project::new();
    p.write("schema/app.trellis", GRANTS_TO_A_STRANGER);
    for args in [
        ["diff", "--color", "never", "--from", p.url.as_str(), "--to", "schema"],
        ["diff", "--color", "never", "--from", "schema", "--to", p.url.as_str()],
    ] {
        let out = p.fails(&args, 1);
        assert!(out.contains("error[E0306]"), "{out}");
        assert!(
            out.contains("the server has no role clerks_nowhere, which a grant of select on table public.ledger names"),
            "{out}"
        );
        assert!(out.contains("schema/app.trellis:9:"), "the place is named: {out}");
        assert!(
            out.contains("no role auditors_nowhere, which policy own_rows on ledger names"),
            "{out}"
        );
        assert!(
            out.contains("schema/app.trellis:5:"),
            "the policy's place is named: {out}"
        );
        assert_eq!(out.matches("clerks_nowhere, which").count(), 1, "each role once: {out}");
        assert!(!out.contains("role reporting"), "a role the server has is fine: {out}");
        assert!(out.contains("CREATE ROLE clerks_nowhere"), "the fix is named: {out}");
        assert!(
            out.contains("grants to roles the server lacks; nothing was run"),
            "{out}"
        );
        assert!(out.contains("--- stdout ---\n--- stderr ---"), "no SQL: {out}");
    }

    // A revision is written offline; `upgrade` refuses it before running
    // anything.
    p.revision_ok("20261203120000_aaaaaa", &["-m", "ledger"]);
    let out = p.fails(&["upgrade"], 1);
    assert!(
        out.contains("lacks roles these revisions grant to; nothing was run"),
        "{out}"
    );
    assert!(
        out.contains("revision 20261203120000_aaaaaa: the server has no role clerks_nowhere"),
        "{out}"
    );
    assert!(p.applied().is_empty(), "nothing applied: {out}");
    assert_eq!(
        p.value("SELECT count(*) FROM pg_class WHERE relname = 'ledger'"),
        "0",
        "no table made: {out}"
    );
}

#[test]
fn grants_to_roles_the_source_does_not_name_are_left_alone_and_named_once() {
    let p = Project::new();
    p.sql(
        "CREATE TABLE ledger (id bigint PRIMARY KEY); CREATE TABLE notes (id bigint PRIMARY KEY); \
         GRANT SELECT, INSERT ON ledger TO app_user; GRANT SELECT ON notes TO app_user; \
         GRANT SELECT ON ledger TO reporting;",
    );
    p.write(
        "schema/app.trellis",
        "table ledger {\n  id bigint primary key\n}\n\ntable notes {\n  id bigint primary key\n}\n\ngrant select on notes to reporting\n",
    );
    let out = p.fails(
        &["diff", "--color", "never", "--from", p.url.as_str(), "--to", "schema"],
        2,
    );
    assert_eq!(out.matches("note: ").count(), 1, "{out}");
    assert!(
        out.contains("privileges of app_user are left alone: the schema does not grant to it (list it under `roles` in trellis.toml"),
        "{out}"
    );
    assert!(
        out.contains("REVOKE SELECT ON TABLE public.ledger FROM reporting;"),
        "{out}"
    );
    assert!(
        out.contains("GRANT SELECT ON TABLE public.notes TO reporting;"),
        "{out}"
    );
    assert!(!out.contains("app_user;"), "app_user's grants are not touched: {out}");

    // Listed in trellis.toml, its grants are managed: the ones the source
    // does not write are revoked.
    let toml = std::fs::read_to_string(p.dir.join("trellis.toml")).expect("trellis.toml");
    p.write("trellis.toml", &format!("{toml}\nroles = [\"app_user\"]\n"));
    let out = p.fails(
        &["diff", "--color", "never", "--from", p.url.as_str(), "--to", "schema"],
        2,
    );
    assert!(!out.contains("note: "), "{out}");
    assert!(
        out.contains("REVOKE SELECT, INSERT ON TABLE public.ledger FROM app_user;"),
        "{out}"
    );
}
