//! Generates large, realistic `.trellis` schemas for benchmarks: tables with
//! identity keys, foreign keys to earlier tables, enums, checks, defaults,
//! unique constraints and plain, partial and expression indexes.

/// A generated schema as (file name, text) pairs, 100 tables a file.
pub fn schema(tables: usize) -> Vec<(String, String)> {
    generate(tables, false)
}

/// The same schema with 1% of its tables changed: a column added, a column
/// renamed (with `was`), a default changed, an index added or a check changed.
#[allow(dead_code)]
pub fn changed_schema(tables: usize) -> Vec<(String, String)> {
    generate(tables, true)
}

fn generate(tables: usize, changed: bool) -> Vec<(String, String)> {
    let enums = (tables / 100).max(1);
    let mut files = Vec::new();
    let mut text = String::new();
    for e in 0..enums {
        text.push_str(&format!(
            "/// Status values, set {e}.\nenum status_{e} {{ 'new', 'active', 'suspended', 'closed' }}\n\n"
        ));
    }
    files.push(("enums.trellis".to_string(), std::mem::take(&mut text)));
    for t in 0..tables {
        let mut body = table(t, enums);
        if changed {
            body = change(t, body);
        }
        text.push_str(&body);
        if (t + 1) % 100 == 0 || t + 1 == tables {
            files.push((format!("tables_{:05}.trellis", t / 100), std::mem::take(&mut text)));
        }
    }
    files
}

fn table(t: usize, enums: usize) -> String {
    let mut out = format!("/// Table number {t}.\ntable table_{t} {{\n");
    out.push_str("  id          bigint generated always as identity primary key\n");
    if t > 0 {
        let parent = (t * 7 + 3) % t;
        out.push_str(&format!(
            "  parent_id   bigint not null references table_{parent} (id) on delete cascade\n"
        ));
    }
    out.push_str("  code        text not null\n");
    out.push_str(&format!("  status      status_{} not null default 'new'\n", t % enums));
    out.push_str("  amount      numeric(12,2) not null default 0 check (amount >= 0)\n");
    out.push_str("  note        varchar(200)\n");
    out.push_str("  payload     jsonb not null default '{}'\n");
    out.push_str("  tags        text[] not null default '{}'\n");
    out.push_str("  created_at  timestamptz not null default now()\n");
    out.push_str("  deleted_at  timestamptz\n\n");
    out.push_str("  unique (code)\n");
    if t > 0 {
        out.push_str("  index (parent_id, created_at desc)\n");
    }
    out.push_str("  index (lower(code)) where (deleted_at is null)\n");
    out.push_str("}\n\n");
    out
}

/// One table in a hundred gets one of five changes.
fn change(t: usize, body: String) -> String {
    match (t % 100 == 7, t / 100 % 5) {
        (false, _) => body,
        (true, 0) => body.replace(
            "  deleted_at  timestamptz\n",
            "  deleted_at  timestamptz\n  archived    boolean not null default false\n",
        ),
        (true, 1) => body.replace("  note        varchar(200)\n", "  remark      varchar(200) was note\n"),
        (true, 2) => body.replace("numeric(12,2) not null default 0", "numeric(12,2) not null default 1"),
        (true, 3) => body.replace("  unique (code)\n", "  unique (code)\n  index (status, created_at)\n"),
        (true, _) => body.replace("check (amount >= 0)", "check (amount >= 0 and amount < 1000000)"),
    }
}

/// Writes generated files to target/bench-schemas/NAME, so that the CLI can
/// be timed on the same schemas.
#[allow(dead_code)]
pub fn write_for_cli(name: &str, files: &[(String, String)]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-schemas")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    if std::fs::create_dir_all(&dir).is_ok() {
        for (file, text) in files {
            let _ = std::fs::write(dir.join(file), text);
        }
    }
}
