//! SQL for object definitions: types, columns, constraints, indexes,
//! sequences, tables.

use std::collections::BTreeSet;

use super::Statement;
use crate::diff::ConvertedColumn;
use crate::ir::*;

/// A string literal, quotes doubled.
///
/// Text with a backslash is written as an escape string (`E'a\\b'`), which
/// PostgreSQL reads the same whatever `standard_conforming_strings` says: a
/// plain `'a\'` would end early where that setting is off.
pub fn literal(text: &str) -> String {
    if text.contains('\\') {
        format!("E'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

/// `text` as a dollar-quoted string whose tag (`$trellis$`, `$trellis1$`,
/// ...) does not occur in it, so nothing inside can close it.
pub fn dollar_quoted(text: &str) -> String {
    dollar_quoted_as("trellis", text)
}

/// `text` dollar-quoted with `$base$` (`$$` for an empty base), or
/// `$trellis1$`, `$trellis2$`, ... when the text holds that tag (a name or a
/// label can hold anything): nothing inside can close it.
pub fn dollar_quoted_as(base: &str, text: &str) -> String {
    let mut tag = format!("${base}$");
    let mut n = 0;
    while text.contains(&tag) || text.ends_with(&tag[..tag.len() - 1]) {
        n += 1;
        tag = format!("$trellis{n}$");
    }
    format!("{tag}{text}{tag}")
}

/// A type as SQL: user types schema-qualified, `as check` enums as text.
pub fn type_sql(data_type: &SqlType, schema: &Schema) -> String {
    let storage = crate::diff::storage_type(schema, data_type);
    match &storage.name {
        TypeName::Builtin(_) => storage.to_string(),
        TypeName::User(name) => {
            format!(
                "{}{}{}",
                name.quoted(),
                storage.modifiers.as_deref().unwrap_or(""),
                "[]".repeat(storage.array_dims as usize)
            )
        }
    }
}

/// `CREATE DOMAIN` with its comment; a `not valid` check is added after,
/// as PostgreSQL takes `NOT VALID` only there.
/// An attribute as `CREATE TYPE ... AS (...)` and `ADD ATTRIBUTE` write it.
pub(super) fn attribute_sql(attribute: &TypeAttribute, schema: &Schema) -> String {
    let mut sql = format!("{} {}", attribute.name.quoted(), type_sql(&attribute.data_type, schema));
    if let Some(collation) = &attribute.collation {
        sql.push_str(&format!(" COLLATE {}", collation.quoted()));
    }
    sql
}

/// `CREATE TYPE ... AS (...)`.
pub(super) fn create_composite(composite: &CompositeType, schema: &Schema) -> Statement {
    let attributes: Vec<String> = composite.attributes.iter().map(|a| attribute_sql(a, schema)).collect();
    Statement::new(format!(
        "CREATE TYPE {} AS ({});",
        composite.name.quoted(),
        attributes.join(", ")
    ))
}

/// `CREATE TYPE ... AS RANGE (...)`.
pub(super) fn create_range(range: &RangeType, schema: &Schema) -> Statement {
    let mut options = vec![format!("SUBTYPE = {}", type_sql(&range.subtype, schema))];
    let mut push = |key: &str, value: &Option<SearchPathName>| {
        if let Some(value) = value {
            options.push(format!("{key} = {}", value.quoted()));
        }
    };
    push("SUBTYPE_OPCLASS", &range.subtype_opclass);
    push("COLLATION", &range.collation);
    push("CANONICAL", &range.canonical);
    push("SUBTYPE_DIFF", &range.subtype_diff);
    if let Some(name) = &range.multirange {
        options.push(format!("MULTIRANGE_TYPE_NAME = {}", name.quoted()));
    }
    Statement::new(format!(
        "CREATE TYPE {} AS RANGE ({});",
        range.name.quoted(),
        options.join(", ")
    ))
}

pub(super) fn create_domain(domain: &Domain, schema: &Schema) -> Vec<Statement> {
    let mut sql = format!(
        "CREATE DOMAIN {} AS {}",
        domain.name.quoted(),
        type_sql(&domain.data_type, schema)
    );
    if let Some(collation) = &domain.collation {
        sql.push_str(&format!(" COLLATE {}", collation.quoted()));
    }
    if let Some(default) = &domain.default {
        sql.push_str(&format!(" DEFAULT {}", default.sql()));
    }
    if domain.not_null {
        sql.push_str(" NOT NULL");
    }
    for check in domain.checks.values().filter(|c| !c.not_valid) {
        sql.push_str(&format!(
            " CONSTRAINT {} CHECK ({})",
            check.name.quoted(),
            check.expr.sql()
        ));
    }
    sql.push(';');
    let mut out = vec![Statement::new(sql)];
    for check in domain.checks.values().filter(|c| c.not_valid) {
        out.push(Statement::new(format!(
            "ALTER DOMAIN {} ADD CONSTRAINT {} CHECK ({}) NOT VALID;",
            domain.name.quoted(),
            check.name.quoted(),
            check.expr.sql()
        )));
    }
    if let Some(comment) = &domain.comment {
        out.push(Statement::new(format!(
            "COMMENT ON DOMAIN {} IS {};",
            domain.name.quoted(),
            literal(comment)
        )));
    }
    out
}

/// `name type [COLLATE c] [GENERATED ...] [DEFAULT e] [NOT NULL]`.
pub fn column_definition(column: &Column, table: &QualifiedName, schema: &Schema) -> String {
    let mut sql = format!("{} {}", column.name.quoted(), type_sql(&column.data_type, schema));
    if let Some(collation) = &column.collation {
        sql.push_str(&format!(" COLLATE {}", collation.quoted()));
    }
    if let Some(generated) = &column.generated {
        sql.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            generated.sql(),
            column.generated_kind.keyword().to_ascii_uppercase()
        ));
    }
    if let Some(identity) = &column.identity {
        sql.push(' ');
        sql.push_str(&identity_clause(identity, table, &column.name));
    }
    if let Some(default) = &column.default {
        sql.push_str(&format!(" DEFAULT {}", default.sql()));
    }
    if column.not_null && column.identity.is_none() {
        sql.push_str(" NOT NULL");
    }
    sql
}

/// `GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [(options)]`, with only the
/// options that differ from PostgreSQL's defaults for the column's type.
pub fn identity_clause(identity: &Identity, table: &QualifiedName, column: &Ident) -> String {
    let mut sql = format!(
        "GENERATED {} AS IDENTITY",
        if identity.always { "ALWAYS" } else { "BY DEFAULT" }
    );
    let mut options = Vec::new();
    let default_name = crate::ir::naming::make_object_name(table.name.as_str(), Some(column.as_str()), Some("seq"));
    if identity.sequence_name.name.as_str() != default_name || identity.sequence_name.schema != table.schema {
        options.push(format!("SEQUENCE NAME {}", identity.sequence_name.quoted()));
    }
    let defaults = default_options(&identity.options.data_type, identity.options.increment);
    options.extend(changed_options(&identity.options, &defaults));
    if !options.is_empty() {
        sql.push_str(&format!(" ({})", options.join(" ")));
    }
    sql
}

/// `SET INCREMENT BY ...` clauses for the identity options that changed.
pub fn identity_option_sets(new: &SequenceOptions, old: &SequenceOptions) -> Vec<String> {
    changed_options(new, old)
        .into_iter()
        .map(|o| format!("SET {o}"))
        .collect()
}

/// When new bounds leave out the value a sequence stands at, PostgreSQL
/// refuses the `ALTER` ("RESTART value (1) cannot be less than MINVALUE"),
/// and `setval` beforehand cannot help when the old and new ranges do not
/// meet. So `alter` (without its semicolon) runs in a block that, for such
/// a sequence only, adds `RESTART WITH` the new start (never used) or the
/// nearest new bound. `sequence` is an SQL expression of type regclass.
/// The plain statement when the bounds only widen.
pub fn within_bounds(sequence: &str, new: &SequenceOptions, old: &SequenceOptions, alter: &str) -> String {
    if new.min_value <= old.min_value && new.max_value >= old.max_value {
        return format!("{alter};");
    }
    let (min, max, start) = (new.min_value, new.max_value, new.start);
    let alter = literal(alter);
    let body = format!(
        "\nDECLARE\n    seq regclass := {sequence};\n    at bigint;\n    used boolean;\nBEGIN\n    \
         EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO at, used;\n    \
         IF at < {min} OR at > {max} THEN\n        \
         EXECUTE {alter} || format(' RESTART WITH %s', \
         CASE WHEN NOT used THEN {start} WHEN at < {min} THEN {min} ELSE {max} END);\n    \
         ELSE\n        EXECUTE {alter};\n    END IF;\nEND\n"
    );
    // The names inside are the user's: a `$$` in one must not end the block.
    format!("DO {};", dollar_quoted_as("", &body))
}

/// PostgreSQL's defaults for a sequence of a type and direction.
fn default_options(data_type: &SqlType, increment: i64) -> SequenceOptions {
    let (min, max) = data_type.integer_range().unwrap_or((i64::MIN, i64::MAX));
    let (min_value, max_value) = if increment > 0 { (1, max) } else { (min, -1) };
    SequenceOptions {
        data_type: data_type.clone(),
        increment: 1,
        min_value,
        max_value,
        start: if increment > 0 { min_value } else { max_value },
        cache: 1,
        cycle: false,
    }
}

/// The option clauses where `new` differs from `base`.
fn changed_options(new: &SequenceOptions, base: &SequenceOptions) -> Vec<String> {
    let mut out = Vec::new();
    if new.data_type != base.data_type {
        out.push(format!("AS {}", new.data_type));
    }
    if new.increment != base.increment {
        out.push(format!("INCREMENT BY {}", new.increment));
    }
    if new.min_value != base.min_value {
        out.push(format!("MINVALUE {}", new.min_value));
    }
    if new.max_value != base.max_value {
        out.push(format!("MAXVALUE {}", new.max_value));
    }
    if new.start != base.start {
        out.push(format!("START WITH {}", new.start));
    }
    if new.cache != base.cache {
        out.push(format!("CACHE {}", new.cache));
    }
    if new.cycle != base.cycle {
        out.push(if new.cycle { "CYCLE".into() } else { "NO CYCLE".into() });
    }
    out
}

/// Options of `CREATE SEQUENCE` (all non-default ones) or, given the old
/// options, of `ALTER SEQUENCE` (the changed ones), with a leading space.
pub fn sequence_options(options: &SequenceOptions, old: Option<&SequenceOptions>) -> String {
    let base = match old {
        Some(old) => old.clone(),
        None => {
            let mut defaults = default_options(&SqlType::builtin("bigint"), options.increment);
            if options.data_type != defaults.data_type {
                // `AS` changes the defaults of the bounds.
                let typed = default_options(&options.data_type, options.increment);
                defaults.min_value = typed.min_value;
                defaults.max_value = typed.max_value;
                defaults.start = typed.start;
                let mut clauses = vec![format!("AS {}", options.data_type)];
                defaults.data_type = options.data_type.clone();
                clauses.extend(changed_options(options, &defaults));
                return clauses.iter().map(|c| format!(" {c}")).collect();
            }
            defaults
        }
    };
    changed_options(options, &base)
        .iter()
        .map(|c| format!(" {c}"))
        .collect()
}

fn columns(list: &[Located<Ident>]) -> String {
    list.iter().map(|c| c.value.quoted()).collect::<Vec<_>>().join(", ")
}

fn deferral(constraint: &Constraint) -> &'static str {
    match (constraint.deferrable, constraint.initially_deferred) {
        (true, true) => " DEFERRABLE INITIALLY DEFERRED",
        (true, false) => " DEFERRABLE",
        _ => "",
    }
}

fn action(action: ReferentialAction) -> &'static str {
    match action {
        ReferentialAction::NoAction => "NO ACTION",
        ReferentialAction::Restrict => "RESTRICT",
        ReferentialAction::Cascade => "CASCADE",
        ReferentialAction::SetNull => "SET NULL",
        ReferentialAction::SetDefault => "SET DEFAULT",
    }
}

/// `CONSTRAINT name ...` as in `CREATE TABLE` or `ADD`.
pub fn constraint_definition(constraint: &Constraint, schema: &Schema) -> String {
    let body = match &constraint.kind {
        ConstraintKind::PrimaryKey {
            columns: cols,
            include,
            storage_params,
        } => format!(
            "PRIMARY KEY ({}){}{}",
            columns(cols),
            include_sql(include),
            with_sql(storage_params)
        ),
        ConstraintKind::Unique {
            columns: cols,
            include,
            nulls_not_distinct,
            storage_params,
        } => format!(
            "UNIQUE{} ({}){}{}",
            if *nulls_not_distinct { " NULLS NOT DISTINCT" } else { "" },
            columns(cols),
            include_sql(include),
            with_sql(storage_params)
        ),
        ConstraintKind::Check { expr, no_inherit } => {
            format!("CHECK ({}){}", expr.sql(), if *no_inherit { " NO INHERIT" } else { "" })
        }
        ConstraintKind::EnumCheck { column, enum_name } => {
            let labels: Vec<String> = schema
                .enums
                .get(enum_name)
                .map(|e| e.labels.iter().map(|l| literal(&l.name)).collect())
                .unwrap_or_default();
            format!("CHECK ({} IN ({}))", column.quoted(), labels.join(", "))
        }
        ConstraintKind::ForeignKey(fk) => {
            let mut sql = format!(
                "FOREIGN KEY ({}) REFERENCES {}",
                columns(&fk.columns),
                fk.referenced_table.quoted()
            );
            let referenced = crate::diff::referenced_columns_of(schema, fk);
            if !referenced.is_empty() {
                sql.push_str(&format!(
                    " ({})",
                    referenced.iter().map(|c| c.quoted()).collect::<Vec<_>>().join(", ")
                ));
            }
            match fk.match_type {
                MatchType::Full => sql.push_str(" MATCH FULL"),
                MatchType::Partial => sql.push_str(" MATCH PARTIAL"),
                MatchType::Simple => {}
            }
            if fk.on_delete != ReferentialAction::NoAction {
                sql.push_str(&format!(" ON DELETE {}", action(fk.on_delete)));
                if !fk.on_delete_columns.is_empty() {
                    sql.push_str(&format!(
                        " ({})",
                        fk.on_delete_columns
                            .iter()
                            .map(|c| c.quoted())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
            if fk.on_update != ReferentialAction::NoAction {
                sql.push_str(&format!(" ON UPDATE {}", action(fk.on_update)));
            }
            sql
        }
        ConstraintKind::Exclusion(x) => {
            let elements: Vec<String> = x
                .elements
                .iter()
                .map(|(e, op)| format!("{} WITH {op}", element_sql(e)))
                .collect();
            let mut sql = format!(
                "EXCLUDE USING {} ({}){}",
                x.method.quoted(),
                elements.join(", "),
                include_sql(&x.include)
            );
            if !x.storage_params.is_empty() {
                sql.push_str(&format!(" WITH ({})", params_sql(&x.storage_params)));
            }
            if let Some(predicate) = &x.predicate {
                sql.push_str(&format!(" WHERE ({})", predicate.sql()));
            }
            sql
        }
    };
    format!("CONSTRAINT {} {body}{}", constraint.name.quoted(), deferral(constraint))
}

fn include_sql(include: &[Located<Ident>]) -> String {
    if include.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", columns(include))
    }
}

fn params_sql(params: &[StorageParam]) -> String {
    params
        .iter()
        .map(|p| format!("{} = {}", p.name, param_value(&p.value)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn param_value(value: &str) -> String {
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
    {
        value.to_string()
    } else {
        literal(value)
    }
}

fn element_sql(element: &IndexElement) -> String {
    let mut sql = match &element.target {
        ElementTarget::Column(c) => c.quoted(),
        ElementTarget::Expression(e) => format!("({})", e.sql()),
    };
    if let Some(collation) = &element.collation {
        sql.push_str(&format!(" COLLATE {}", collation.quoted()));
    }
    if let Some(opclass) = &element.opclass {
        sql.push_str(&format!(" {}", opclass.name.quoted()));
        if !opclass.params.is_empty() {
            sql.push_str(&format!(" ({})", params_sql(&opclass.params)));
        }
    }
    if element.descending {
        sql.push_str(" DESC");
    }
    if element.nulls_first != element.descending {
        sql.push_str(if element.nulls_first {
            " NULLS FIRST"
        } else {
            " NULLS LAST"
        });
    }
    sql
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON table ...` (no semicolon).
pub fn index_definition(index: &Index, table: &QualifiedName, concurrently: bool) -> String {
    let elements: Vec<String> = index.elements.iter().map(element_sql).collect();
    let mut sql = format!(
        "CREATE {}INDEX {}{} ON {} USING {} ({}){}",
        if index.unique { "UNIQUE " } else { "" },
        if concurrently { "CONCURRENTLY " } else { "" },
        index.name.quoted(),
        table.quoted(),
        index.method.quoted(),
        elements.join(", "),
        include_sql(&index.include)
    );
    if index.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if !index.storage_params.is_empty() {
        sql.push_str(&format!(" WITH ({})", params_sql(&index.storage_params)));
    }
    if let Some(predicate) = &index.predicate {
        sql.push_str(&format!(" WHERE ({})", predicate.sql()));
    }
    sql
}

/// `CREATE TABLE` with its columns and constraints (the left-out foreign
/// keys come later), then its indexes and comments.
pub(super) fn create_table(table: &Table, left_out: &[Ident], schema: &Schema, online: bool) -> Vec<Statement> {
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("  {}", column_definition(c, &table.name, schema)))
        .collect();
    let mut constraints: Vec<&Constraint> = table
        .constraints
        .values()
        .filter(|c| !left_out.contains(&c.name))
        .collect();
    // Keys first, then checks, then foreign keys: the order PostgreSQL prints.
    constraints.sort_by_key(|c| match c.kind {
        ConstraintKind::PrimaryKey { .. } => 0,
        ConstraintKind::Unique { .. } | ConstraintKind::Exclusion(_) => 1,
        ConstraintKind::Check { .. } | ConstraintKind::EnumCheck { .. } => 2,
        ConstraintKind::ForeignKey(_) => 3,
    });
    lines.extend(
        constraints
            .iter()
            .map(|c| format!("  {}", constraint_definition(c, schema))),
    );
    let unlogged = if table.unlogged { "UNLOGGED " } else { "" };
    let mut sql = match &table.partition_of {
        // Its columns are its parent's; the body holds what it adds.
        Some(of) => {
            let body = match lines.is_empty() {
                true => String::new(),
                false => format!(" (\n{}\n)", lines.join(",\n")),
            };
            format!(
                "CREATE {unlogged}TABLE {} PARTITION OF {}{body} {}",
                table.name.quoted(),
                of.parent.quoted(),
                of.bound
            )
        }
        None => format!(
            "CREATE {unlogged}TABLE {} (\n{}\n)",
            table.name.quoted(),
            lines.join(",\n")
        ),
    };
    if !table.inherits.is_empty() {
        let parents: Vec<String> = table.inherits.iter().map(QualifiedName::quoted).collect();
        sql.push_str(&format!(" INHERITS ({})", parents.join(", ")));
    }
    if let Some(key) = &table.partition_by {
        sql.push_str(&format!(
            " PARTITION BY {} ({})",
            key.strategy.to_ascii_uppercase(),
            key.key
        ));
    }
    let (method, tablespace) = schema.stated_storage(table);
    if let Some(method) = &method {
        sql.push_str(&format!(" USING {}", method.quoted()));
    }
    if !table.storage_params.is_empty() {
        sql.push_str(&format!(" WITH ({})", params_sql(&table.storage_params)));
    }
    if let Some(tablespace) = &tablespace {
        sql.push_str(&format!(" TABLESPACE {}", tablespace.quoted()));
    }
    sql.push(';');
    let mut out = vec![Statement::new(sql)];
    // With --online every index is built concurrently, those of a new
    // table too (cheap on an empty table, and no lock to reason about);
    // not a partitioned table's, which PostgreSQL builds only plainly.
    let concurrently = online && table.partition_by.is_none();
    for index in table.indexes.values() {
        out.push(Statement {
            sql: index_definition(index, &table.name, concurrently) + ";",
            transactional: !concurrently,
        });
    }
    match &table.replica_identity {
        ReplicaIdentity::Default => {}
        other => {
            let what = match other {
                ReplicaIdentity::Full => "FULL".to_string(),
                ReplicaIdentity::Nothing => "NOTHING".to_string(),
                ReplicaIdentity::Index(name) => format!("USING INDEX {}", name.value.quoted()),
                ReplicaIdentity::Default => unreachable!("matched above"),
            };
            out.push(Statement::new(format!(
                "ALTER TABLE {} REPLICA IDENTITY {what};",
                table.name.quoted()
            )));
        }
    }
    if let Some(comment) = &table.comment {
        out.push(Statement::new(format!(
            "COMMENT ON TABLE {} IS {};",
            table.name.quoted(),
            literal(comment)
        )));
    }
    for statistics in table.statistics.values() {
        out.push(create_statistics(&table.name, statistics));
    }
    if let Some(index) = &table.cluster_on {
        out.push(Statement::new(format!(
            "ALTER TABLE {} CLUSTER ON {};",
            table.name.quoted(),
            index.quoted()
        )));
    }
    for column in &table.columns {
        if let Some(settings) = &column.settings {
            out.extend(column_settings(
                &table.name,
                column,
                &ColumnSettings::default(),
                settings,
                schema,
            ));
        }
    }
    for column in &table.columns {
        if let Some(comment) = &column.comment {
            out.push(Statement::new(format!(
                "COMMENT ON COLUMN {}.{} IS {};",
                table.name.quoted(),
                column.name.quoted(),
                literal(comment)
            )));
        }
    }
    for constraint in constraints {
        if let Some(comment) = &constraint.comment {
            out.push(Statement::new(format!(
                "COMMENT ON CONSTRAINT {} ON {} IS {};",
                constraint.name.quoted(),
                table.name.quoted(),
                literal(comment)
            )));
        }
    }
    for index in table.indexes.values() {
        if let Some(comment) = &index.comment {
            let name = QualifiedName::new(table.name.schema.clone(), index.name.clone());
            out.push(Statement::new(format!(
                "COMMENT ON INDEX {} IS {};",
                name.quoted(),
                literal(comment)
            )));
        }
    }
    out
}

/// `ALTER TABLE|INDEX ... SET (...)` / `RESET (...)`.
pub(super) fn storage_params(kind: &str, name: &str, set: &[StorageParam], reset: &[String]) -> Vec<Statement> {
    let mut out = Vec::new();
    if !set.is_empty() {
        out.push(Statement::new(format!(
            "ALTER {kind} {name} SET ({});",
            params_sql(set)
        )));
    }
    if !reset.is_empty() {
        out.push(Statement::new(format!(
            "ALTER {kind} {name} RESET ({});",
            reset.join(", ")
        )));
    }
    out
}

/// The statements that take a column's settings from `old` to `new`: one
/// for each that differs.
pub fn column_settings(
    table: &QualifiedName,
    column: &Column,
    old: &ColumnSettings,
    new: &ColumnSettings,
    schema: &Schema,
) -> Vec<Statement> {
    let (column, data_type) = (&column.name, &column.data_type.value);
    let alter = format!("ALTER TABLE {} ALTER COLUMN {}", table.quoted(), column.quoted());
    let mut out = Vec::new();
    if old.statistics != new.statistics {
        let target = new.statistics.unwrap_or(-1);
        out.push(Statement::new(format!("{alter} SET STATISTICS {target};")));
    }
    if old.storage != new.storage {
        // Back to the type's own: PostgreSQL 16 has `SET STORAGE DEFAULT`;
        // the type's storage by name works on every version, and one the
        // catalog knows (a type of an extension) is read from it there.
        let storage_type = schema.storage_type(&schema.base_type(data_type));
        match new.storage.as_deref().or(default_storage(&storage_type)) {
            Some(kind) => out.push(Statement::new(format!(
                "{alter} SET STORAGE {};",
                kind.to_ascii_uppercase()
            ))),
            None => {
                let body = format!(
                    "BEGIN EXECUTE format({}, (SELECT CASE t.typstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' \
                     WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid \
                     WHERE a.attrelid = {}::regclass AND a.attname = {})); END",
                    literal(&format!("{} SET STORAGE %s", alter.replace('%', "%%"))),
                    literal(&table.quoted()),
                    literal(column.as_str()),
                );
                out.push(Statement::new(format!("DO {};", dollar_quoted(&body))));
            }
        }
    }
    if old.compression != new.compression {
        let method = new.compression.as_deref().unwrap_or("default");
        out.push(Statement::new(format!(
            "{alter} SET COMPRESSION {};",
            method.to_ascii_uppercase()
        )));
    }
    if old.options != new.options {
        let reset: Vec<&str> = old
            .options
            .iter()
            .filter(|o| !new.options.iter().any(|n| n.name == o.name))
            .map(|o| o.name.as_str())
            .collect();
        if !reset.is_empty() {
            out.push(Statement::new(format!("{alter} RESET ({});", reset.join(", "))));
        }
        let set: Vec<StorageParam> = new
            .options
            .iter()
            .filter(|n| !old.options.contains(n))
            .cloned()
            .collect();
        if !set.is_empty() {
            out.push(Statement::new(format!("{alter} SET ({});", params_sql(&set))));
        }
    }
    out
}

/// `CREATE STATISTICS schema.name [(kinds)] ON targets FROM table`.
pub(super) fn create_statistics(table: &QualifiedName, statistics: &ExtendedStatistics) -> Statement {
    let kinds = match statistics.kinds.is_empty() {
        true => String::new(),
        false => format!(" ({})", statistics.kinds.join(", ")),
    };
    Statement::new(format!(
        "CREATE STATISTICS {}{kinds} ON {} FROM {};",
        QualifiedName::new(table.schema.clone(), statistics.name.clone()).quoted(),
        statistics.targets,
        table.quoted()
    ))
}

/// Set not null without a long lock: a `NOT VALID` check, validated, then
/// `SET NOT NULL` (which uses the validated check), then the check dropped.
pub(super) fn online_set_not_null(table: &QualifiedName, column: &Ident) -> Vec<Statement> {
    let check = Ident::new(crate::ir::naming::make_object_name(
        table.name.as_str(),
        Some(column.as_str()),
        Some("not_null"),
    ));
    vec![
        Statement::new(format!(
            "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID;",
            table.quoted(),
            check.quoted(),
            column.quoted()
        )),
        Statement::new(format!(
            "ALTER TABLE {} VALIDATE CONSTRAINT {};",
            table.quoted(),
            check.quoted()
        )),
        Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;",
            table.quoted(),
            column.quoted()
        )),
        Statement::new(format!(
            "ALTER TABLE {} DROP CONSTRAINT {};",
            table.quoted(),
            check.quoted()
        )),
    ]
}

/// An enum whose labels were removed or reordered: a new type under the
/// old name, every column converted (renamed labels mapped), the old type
/// dropped. Rows holding a removed label make the conversion fail, so the
/// transaction changes nothing.
pub(super) fn recreate_enum(old: &Enum, new: &Enum, columns: &[ConvertedColumn]) -> Vec<Statement> {
    let mut out = Vec::new();
    let native_before = old.storage == EnumStorage::Native;
    let native_after = new.storage == EnumStorage::Native;
    // A native enum renamed in the same plan has its new name by now (the
    // rename runs first); one that becomes a check is not renamed.
    let current = if native_before && native_after {
        &new.name
    } else {
        &old.name
    };
    let old_name = aside(&QualifiedName::new(current.schema.clone(), new.name.name.clone()));
    if native_before {
        out.push(Statement::new(format!(
            "ALTER TYPE {} RENAME TO {};",
            current.quoted(),
            old_name.name.quoted()
        )));
    }
    if native_after {
        let labels: Vec<String> = new.labels.iter().map(|l| literal(&l.name)).collect();
        out.push(Statement::new(format!(
            "CREATE TYPE {} AS ENUM ({});",
            new.name.quoted(),
            labels.join(", ")
        )));
        // The old type's comment goes with it.
        if let Some(comment) = &new.comment {
            out.push(Statement::new(format!(
                "COMMENT ON TYPE {} IS {};",
                new.name.quoted(),
                literal(comment)
            )));
        }
    }
    let renamed: Vec<(&str, &str)> = new
        .labels
        .iter()
        .filter_map(|l| {
            l.was
                .as_ref()
                .filter(|w| old.labels.iter().any(|o| o.name == w.value))
                .map(|w| (w.value.as_str(), l.name.as_str()))
        })
        .collect();
    for column in columns {
        let target = if native_after {
            new.name.quoted()
        } else {
            "text".to_string()
        };
        let dims = "[]".repeat(column.array_dims as usize);
        let name = column.column.quoted();
        let value = if renamed.is_empty() || column.array_dims > 0 {
            format!("{name}::text")
        } else {
            let cases: Vec<String> = renamed
                .iter()
                .map(|(from, to)| format!("WHEN {} THEN {}", literal(from), literal(to)))
                .collect();
            format!("(CASE {name}::text {} ELSE {name}::text END)", cases.join(" "))
        };
        let using = if column.array_dims > 0 {
            format!("{name}::text{dims}::{target}{dims}")
        } else {
            format!("{value}::{target}")
        };
        out.extend(convert_column(column, &format!("{target}{dims}"), &using));
    }
    if native_before {
        out.push(Statement::new(format!("DROP TYPE {};", old_name.quoted())));
    }
    out
}

/// A composite type columns use, made anew (see
/// [`Change::RebuildComposite`]): the old type renamed aside, the new one
/// made under the name, each column converted (a value built attribute by
/// attribute, each cast to its new type), the old type dropped.
pub(super) fn rebuild_composite(
    old: &CompositeType,
    new: &CompositeType,
    from: &[Option<Ident>],
    columns: &[ConvertedColumn],
    schema: &Schema,
) -> Vec<Statement> {
    let mut out = Vec::new();
    let aside = aside(&new.name);
    out.push(Statement::new(format!(
        "ALTER TYPE {} RENAME TO {};",
        new.name.quoted(),
        aside.name.quoted()
    )));
    out.push(create_composite(new, schema));
    let target = new.name.quoted();
    // One value converted, attribute by attribute; a null value stays null
    // (a row of nulls is another value).
    let convert = |value: &str| {
        let values: Vec<String> = new
            .attributes
            .iter()
            .zip(from)
            .map(|(attribute, was)| {
                let to = type_sql(&attribute.data_type, schema);
                match was {
                    Some(was) => format!("({value}).{}::{to}", was.quoted()),
                    None => format!("NULL::{to}"),
                }
            })
            .collect();
        format!(
            "CASE WHEN num_nulls({value}) = 1 THEN NULL ELSE ROW({})::{target} END",
            values.join(", ")
        )
    };
    // Where every attribute keeps its place, an array converts through its
    // text; otherwise element by element, by a function of the session
    // (PostgreSQL allows no subquery in USING).
    let in_place = from.len() == old.attributes.len()
        && from
            .iter()
            .zip(&old.attributes)
            .all(|(f, o)| f.as_ref() == Some(&o.name));
    let elements = QualifiedName::new(Ident::new("pg_temp"), Ident::new("trellisc_convert_elements"));
    if !in_place && columns.iter().any(|c| c.array_dims > 0) {
        let body = format!(
            " SELECT coalesce(array_agg({} ORDER BY i), '{{}}') FROM generate_subscripts($1, 1) AS i ",
            convert("$1[i]")
        );
        out.push(Statement::new(format!(
            "CREATE FUNCTION {}({}[]) RETURNS {target}[] LANGUAGE sql STRICT AS {};",
            elements.quoted(),
            aside.quoted(),
            dollar_quoted_as("trellisc", &body)
        )));
    }
    for column in columns {
        let name = column.column.quoted();
        let dims = "[]".repeat(column.array_dims as usize);
        let using = match (column.array_dims, in_place) {
            (0, _) => convert(&name),
            (_, true) => format!("{name}::text::{target}{dims}"),
            (_, false) => format!("{}({name})", elements.quoted()),
        };
        out.extend(convert_column(column, &format!("{target}{dims}"), &using));
    }
    if !in_place && columns.iter().any(|c| c.array_dims > 0) {
        out.push(Statement::new(format!("DROP FUNCTION {};", elements.quoted())));
    }
    // Its comments are given to the new type by the plan's comment steps.
    out.push(Statement::new(format!("DROP TYPE {};", aside.quoted())));
    out
}

/// A range type that columns use, made anew ([`Change::RecreateRange`]
/// with columns): the old type and its multirange renamed aside, the new
/// one made, each column (of the range, its multirange, or arrays of them)
/// converted through its text, the old type dropped with its multirange.
pub(super) fn rebuild_range(
    old: &RangeType,
    new: &RangeType,
    columns: &[ConvertedColumn],
    multiranges: &[ConvertedColumn],
    schema: &Schema,
) -> Vec<Statement> {
    let mut out = vec![Statement::new(format!(
        "ALTER TYPE {} RENAME TO {};",
        old.name.quoted(),
        aside(&old.name).name.quoted()
    ))];
    // The multirange (PostgreSQL 14 and later) keeps its name, which the
    // new range's would take, and so do the constructor functions of both.
    let (range, multirange) = (aside(&old.name), old.multirange_name());
    let body = format!(
        " DECLARE f record; BEGIN \
         IF to_regtype({multirange_literal}) IS NOT NULL THEN ALTER TYPE {} RENAME TO {}; END IF; \
         FOR f IN SELECT p.oid::regprocedure AS signature, p.prorettype = to_regtype({range_literal}) AS of_range \
         FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i' \
         AND d.refclassid = 'pg_type'::regclass AND d.refobjid IN (to_regtype({range_literal}), to_regtype({})) LOOP \
         EXECUTE format('ALTER FUNCTION %s RENAME TO %I', f.signature, CASE WHEN f.of_range THEN {} ELSE {} END); \
         END LOOP; END ",
        multirange.quoted(),
        aside(&multirange).name.quoted(),
        literal(&aside(&multirange).quoted()),
        literal(range.name.as_str()),
        literal(aside(&multirange).name.as_str()),
        multirange_literal = literal(&multirange.quoted()),
        range_literal = literal(&range.quoted()),
    );
    out.push(Statement::new(format!("DO {};", dollar_quoted_as("rename", &body))));
    out.push(create_range(new, schema));
    let targets = [
        (columns, new.name.quoted()),
        (multiranges, new.multirange_name().quoted()),
    ];
    for (columns, target) in targets {
        for column in columns {
            let to = format!("{target}{}", "[]".repeat(column.array_dims as usize));
            let using = format!("{}::text::{to}", column.column.quoted());
            out.extend(convert_column(column, &to, &using));
        }
    }
    out.push(Statement::new(format!("DROP TYPE {};", aside(&old.name).quoted())));
    out
}

/// The name a type made anew moves its old self to while its users are
/// converted: `NAME_old`, in its schema, within PostgreSQL's name length.
pub(super) fn aside(name: &QualifiedName) -> QualifiedName {
    QualifiedName::new(
        name.schema.clone(),
        Ident::new(crate::ir::naming::make_object_name(
            name.name.as_str(),
            None,
            Some("old"),
        )),
    )
}

/// A column converted to a type made anew: its default dropped before (the
/// old one cannot be cast) and set again after.
fn convert_column(column: &ConvertedColumn, to: &str, using: &str) -> Vec<Statement> {
    let (table, name) = (column.table.quoted(), column.column.quoted());
    let mut out = Vec::new();
    if column.default.is_some() || column.had_default {
        out.push(Statement::new(format!(
            "ALTER TABLE {table} ALTER COLUMN {name} DROP DEFAULT;"
        )));
    }
    out.push(Statement::new(format!(
        "ALTER TABLE {table} ALTER COLUMN {name} TYPE {to} USING {using};"
    )));
    if let Some(default) = &column.default {
        out.push(Statement::new(format!(
            "ALTER TABLE {table} ALTER COLUMN {name} SET DEFAULT {};",
            default.sql()
        )));
    }
    out
}

/// The `CREATE VIEW` (or `MATERIALIZED VIEW`) statement of a view, under
/// the given name.
pub fn view_statement(view: &View, name: &QualifiedName) -> String {
    let mut sql = format!("CREATE {} {}", view.kind_sql(), name.quoted());
    if !view.columns.is_empty() {
        let columns: Vec<String> = view.columns.iter().map(Ident::quoted).collect();
        sql.push_str(&format!(" ({})", columns.join(", ")));
    }
    sql.push_str(&with_sql(&view.options));
    sql.push_str(" AS\n");
    sql.push_str(&view.query);
    if let Some(kind) = &view.check_option {
        sql.push_str(&format!("\nWITH {} CHECK OPTION", kind.to_ascii_uppercase()));
    }
    sql
}

/// ` WITH (...)` for storage parameters, or nothing.
fn with_sql(params: &[StorageParam]) -> String {
    if params.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", params_sql(params))
    }
}

/// A primary key or unique constraint added without blocking writes: its
/// index built concurrently, then attached with `USING INDEX`.
pub(super) fn online_key(table: &QualifiedName, constraint: &Constraint) -> Vec<Statement> {
    let (kind, cols, include, nulls_not_distinct, params) = match &constraint.kind {
        ConstraintKind::PrimaryKey {
            columns: c,
            include,
            storage_params,
        } => ("PRIMARY KEY", c, include, false, storage_params),
        ConstraintKind::Unique {
            columns: c,
            include,
            nulls_not_distinct,
            storage_params,
        } => ("UNIQUE", c, include, *nulls_not_distinct, storage_params),
        _ => unreachable!("only keys are attached by index"),
    };
    let index = QualifiedName::new(table.schema.clone(), constraint.name.clone());
    vec![
        Statement {
            sql: format!(
                "CREATE UNIQUE INDEX CONCURRENTLY {} ON {} USING btree ({}){}{}{};",
                constraint.name.quoted(),
                table.quoted(),
                columns(cols),
                include_sql(include),
                if nulls_not_distinct { " NULLS NOT DISTINCT" } else { "" },
                with_sql(params)
            ),
            transactional: false,
        },
        Statement::new(format!(
            "ALTER TABLE {} ADD CONSTRAINT {} {kind} USING INDEX {}{};",
            table.quoted(),
            constraint.name.quoted(),
            index.name.quoted(),
            deferral(constraint)
        )),
    ]
}

/// The checks of `parent` and its ancestors (in `to`) that `table`, an
/// existing table about to be attached to it, lacks: all of them, but for
/// those it kept from the parents it had in `from` (a detached partition
/// keeps its parents' checks as its own).
pub fn checks_to_take<'s>(
    from: &Schema,
    to: &'s Schema,
    table: &QualifiedName,
    parent: &QualifiedName,
) -> Vec<&'s Constraint> {
    let is_check = |c: &&Constraint| matches!(c.kind, ConstraintKind::Check { .. } | ConstraintKind::EnumCheck { .. });
    let old_parent = from
        .tables
        .get(table)
        .and_then(|t| t.partition_of.as_ref())
        .map(|p| &p.parent);
    let kept: BTreeSet<&Ident> = old_parent
        .map(|parent| from.partition_lineage(parent))
        .unwrap_or_default()
        .into_iter()
        .flat_map(|t| t.constraints.values().filter(is_check).map(|c| &c.name))
        .collect();
    let mut seen = BTreeSet::new();
    to.partition_lineage(parent)
        .into_iter()
        .flat_map(|t| t.constraints.values().filter(is_check))
        .filter(|c| !kept.contains(&c.name) && seen.insert(&c.name))
        .collect()
}

/// A partition detached: `DETACH PARTITION`, concurrently (outside a
/// transaction) when `concurrently`: the parent stays open to reads and
/// writes (SHARE UPDATE EXCLUSIVE), and the partition is locked only once
/// every query that could see it through the parent is done.
///
/// What the partition took from its parent stays on it as its own: the
/// parent's checks and foreign keys under their names, its keys and
/// indexes under names PostgreSQL chose; a concurrent detach also leaves a
/// CHECK constraint of the old bound, named by PostgreSQL's rules. A table
/// that leaves its parent for good (`for_good`) keeps only what it had of
/// its own: a block after the detach drops the rest (what PostgreSQL
/// keeps in step with another table, as the foreign keys of a table that
/// references a partitioned one, stays), and the plan adds what the table
/// declares. One attached again (a new bound) keeps what it took,
/// which the new parent takes back, and loses only the bound's check.
pub fn detach(
    from: &Schema,
    table: &QualifiedName,
    parent: &QualifiedName,
    concurrently: bool,
    for_good: bool,
) -> Vec<Statement> {
    let mut out = vec![Statement {
        sql: format!(
            "ALTER TABLE {} DETACH PARTITION {}{};",
            parent.quoted(),
            table.quoted(),
            if concurrently { " CONCURRENTLY" } else { "" }
        ),
        transactional: !concurrently,
    }];
    let own = from.tables.get(table);
    let relation = literal(&table.quoted());
    // The statement as written, for the lock summary to read.
    let drop_constraint = literal(&format!(
        "ALTER TABLE {} DROP CONSTRAINT %I",
        table.quoted().replace('%', "%%")
    ));
    let names = |names: BTreeSet<&str>| names.into_iter().map(literal).collect::<Vec<_>>().join(", ");
    let body = if for_good {
        let constraints: BTreeSet<&str> = own
            .into_iter()
            .flat_map(|t| t.constraints.values().map(|c| c.name.as_str()))
            .collect();
        let indexes: BTreeSet<&str> = own
            .into_iter()
            .flat_map(|t| t.indexes.values().map(|i| i.name.as_str()))
            .collect();
        // Foreign keys first: a key may be what one of them rests on.
        format!(
            "\nDECLARE\n    left_over record;\nBEGIN\n    \
             FOR left_over IN SELECT conname FROM pg_constraint WHERE conrelid = {relation}::regclass \
             AND contype IN ('c', 'f', 'p', 'u', 'x') AND coninhcount = 0 AND conparentid = 0 \
             AND conname <> ALL (ARRAY[{constraints}]::name[]) ORDER BY contype <> 'f', conname LOOP\n        \
             EXECUTE format({drop_constraint}, left_over.conname);\n    \
             END LOOP;\n    \
             FOR left_over IN SELECT i.indexrelid::regclass AS index_name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             WHERE i.indrelid = {relation}::regclass AND c.relname <> ALL (ARRAY[{indexes}]::name[]) \
             AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid) \
             AND NOT EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) \
             ORDER BY c.relname LOOP\n        \
             EXECUTE format('DROP INDEX %s', left_over.index_name);\n    \
             END LOOP;\nEND\n",
            constraints = names(constraints),
            indexes = names(indexes),
            drop_constraint = drop_constraint,
        )
    } else if concurrently {
        // Its own checks and those it took from its ancestors stay.
        let kept: BTreeSet<&str> = from
            .partition_lineage(table)
            .into_iter()
            .flat_map(|relation| relation.constraints.values())
            .filter(|c| matches!(c.kind, ConstraintKind::Check { .. } | ConstraintKind::EnumCheck { .. }))
            .map(|c| c.name.as_str())
            .collect();
        format!(
            "\nDECLARE\n    added name;\nBEGIN\n    \
             FOR added IN SELECT conname FROM pg_constraint WHERE conrelid = {relation}::regclass AND contype = 'c' \
             AND conname <> ALL (ARRAY[{kept}]::name[]) LOOP\n        \
             EXECUTE format({drop_constraint}, added);\n    \
             END LOOP;\nEND\n",
            kept = names(kept),
            drop_constraint = drop_constraint,
        )
    } else {
        return out;
    };
    // The names inside are the user's: a `$$` in one must not end the block.
    out.push(Statement::new(format!("DO {};", dollar_quoted_as("", &body))));
    out
}
