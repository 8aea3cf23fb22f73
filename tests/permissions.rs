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
