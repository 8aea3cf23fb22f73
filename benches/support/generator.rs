//! Generates large, realistic `.trellis` schemas for benchmarks: tables with
//! identity keys, foreign keys to earlier tables, enums, checks, defaults,
//! unique constraints and plain, partial and expression indexes.

/// A generated schema as (file name, text) pairs, 100 tables a file.
pub fn schema(tables: usize) -> Vec<(String, String)> {
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
        text.push_str(&table(t, enums));
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
