//! Plans → PostgreSQL SQL: one function per kind of change, identifiers
//! quoted only when needed, literals escaped, names schema-qualified.

mod ddl;

use crate::diag::printable;
use crate::diff::{Change, LabelPosition};
use crate::ir::*;
use crate::plan::{Direction, Plan, Step};
use std::collections::{HashMap, HashSet};

use crate::revision::locks::{Lock, LockMode, Target};

pub use ddl::{
    column_definition, constraint_definition, dollar_quoted, index_definition, literal, type_sql, view_statement,
};

/// One SQL statement of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    /// False for statements PostgreSQL refuses inside a transaction block
    /// (`CREATE INDEX CONCURRENTLY`).
    pub transactional: bool,
}

impl Statement {
    fn new(sql: String) -> Statement {
        Statement {
            sql,
            transactional: true,
        }
    }
}

/// The statements of one step.
pub fn step_statements(step: &Step, plan: &Plan) -> Vec<Statement> {
    let online = plan.options.online;
    // A table renamed by the plan existed before it, with its rows.
    let existed = |t: &QualifiedName| !plan.created_tables.contains(t);
    let mut out = Vec::new();
    match &step.change {
        Change::CreateSchema(name) => out.push(Statement::new(format!("CREATE SCHEMA {};", name.quoted()))),
        Change::DropSchema(name) => out.push(Statement::new(format!("DROP SCHEMA {};", name.quoted()))),
        Change::CommentOnSchema { name, comment } => {
            // `public` comes with a comment of its own: without one of
            // ours, it is what it goes back to.
            let comment = match comment {
                None if name.as_str() == "public" => Some(PUBLIC_SCHEMA_COMMENT.to_string()),
                _ => comment.clone(),
            };
            out.push(Statement::new(format!(
                "COMMENT ON SCHEMA {} IS {};",
                name.quoted(),
                comment_sql(&comment)
            )))
        }
        Change::CreateCollation(collation) => out.extend(create_collation(collation)),
        Change::DropCollation(collation) => {
            out.push(Statement::new(format!("DROP COLLATION {};", collation.name.quoted())))
        }
        Change::RecreateCollation { old, new } => {
            out.push(Statement::new(format!("DROP COLLATION {};", old.name.quoted())));
            out.extend(create_collation(new));
        }
        Change::CommentOnCollation { name, comment } => out.push(Statement::new(format!(
            "COMMENT ON COLLATION {} IS {};",
            name.quoted(),
            comment_sql(comment)
        ))),
        Change::CreateExtension(e) => {
            let mut sql = format!("CREATE EXTENSION IF NOT EXISTS {}", e.name.quoted());
            if let Some(schema) = &e.schema {
                sql.push_str(&format!(" SCHEMA {}", schema.quoted()));
            }
            if let Some(version) = &e.version {
                sql.push_str(&format!(" VERSION {}", literal(version)));
            }
            out.push(Statement::new(sql + ";"));
            if let Some(comment) = &e.comment {
                out.push(Statement::new(format!(
                    "COMMENT ON EXTENSION {} IS {};",
                    e.name.quoted(),
                    literal(comment)
                )));
            }
        }
        Change::DropExtension(e) => out.push(Statement::new(format!("DROP EXTENSION {};", e.name.quoted()))),
        Change::AlterExtensionVersion { name, version } => {
            let current = plan.from.extensions.get(name).and_then(|e| e.version.as_deref());
            match version {
                // Extensions ship update scripts forward only: going back to
                // an older version is not something PostgreSQL can do.
                Some(v) if current.is_some_and(|c| crate::plan::version_is_older(v, c)) => {
                    out.push(Statement::new(format!(
                        "-- extension {} stays at version {}: PostgreSQL has no path back to {}",
                        printable(&name.quoted()),
                        printable(current.unwrap_or("")),
                        printable(v)
                    )))
                }
                Some(v) => out.push(Statement::new(format!(
                    "ALTER EXTENSION {} UPDATE TO {};",
                    name.quoted(),
                    literal(v)
                ))),
                None => out.push(Statement::new(format!("ALTER EXTENSION {} UPDATE;", name.quoted()))),
            }
        }
        Change::AlterExtensionSchema { name, schema } => out.push(Statement::new(format!(
            "ALTER EXTENSION {} SET SCHEMA {};",
            name.quoted(),
            schema.quoted()
        ))),
        Change::CreateComposite(composite) => out.push(ddl::create_composite(composite, plan.to)),
        Change::DropComposite(composite) => out.push(Statement::new(format!("DROP TYPE {};", composite.name.quoted()))),
        Change::RecreateComposite { old, new } => {
            out.push(Statement::new(format!("DROP TYPE {};", old.name.quoted())));
            out.push(ddl::create_composite(new, plan.to));
        }
        Change::RebuildComposite {
            old,
            new,
            from,
            columns,
        } => out.extend(ddl::rebuild_composite(old, new, from, columns, plan.to)),
        Change::AddAttribute { composite, attribute } => out.push(Statement::new(format!(
            "ALTER TYPE {} ADD ATTRIBUTE {};",
            composite.quoted(),
            ddl::attribute_sql(attribute, plan.to)
        ))),
        Change::DropAttribute { composite, attribute } => out.push(Statement::new(format!(
            "ALTER TYPE {} DROP ATTRIBUTE {};",
            composite.quoted(),
            attribute.name.quoted()
        ))),
        Change::RenameAttribute { composite, old, new } => out.push(Statement::new(format!(
            "ALTER TYPE {} RENAME ATTRIBUTE {} TO {};",
            composite.quoted(),
            old.quoted(),
            new.quoted()
        ))),
        Change::AlterAttributeType { composite, attribute } => {
            let mut sql = format!(
                "ALTER TYPE {} ALTER ATTRIBUTE {} SET DATA TYPE {}",
                composite.quoted(),
                attribute.name.quoted(),
                ddl::type_sql(&attribute.data_type, plan.to)
            );
            if let Some(collation) = &attribute.collation {
                sql.push_str(&format!(" COLLATE {}", collation.quoted()));
            }
            sql.push(';');
            out.push(Statement::new(sql));
        }
        Change::CommentOnAttribute {
            composite,
            attribute,
            comment,
        } => out.push(Statement::new(format!(
            "COMMENT ON COLUMN {}.{} IS {};",
            composite.quoted(),
            attribute.quoted(),
            comment_sql(comment)
        ))),
        Change::CreateRange(range) => out.push(ddl::create_range(range, plan.to)),
        Change::DropRange(range) => out.push(Statement::new(format!("DROP TYPE {};", range.name.quoted()))),
        Change::RecreateRange {
            old,
            new,
            columns,
            multiranges,
        } => {
            if columns.is_empty() && multiranges.is_empty() {
                out.push(Statement::new(format!("DROP TYPE {};", old.name.quoted())));
                out.push(ddl::create_range(new, plan.to));
            } else {
                out.extend(ddl::rebuild_range(old, new, columns, multiranges, plan.to));
            }
        }
        Change::RenameType { old, new, multirange } => {
            out.extend(rename_in_schema("TYPE", old, new));
            if *multirange {
                // The multirange (PostgreSQL 14 and later) keeps its name
                // unless renamed too: by PostgreSQL's rule, after the range.
                let from = QualifiedName::new(
                    new.schema.clone(),
                    Ident::new(crate::ir::default_multirange(old.name.as_str())),
                );
                let to = Ident::new(crate::ir::default_multirange(new.name.as_str()));
                let body = format!(
                    " BEGIN IF to_regtype({}) IS NOT NULL THEN ALTER TYPE {} RENAME TO {}; END IF; END ",
                    literal(&from.quoted()),
                    from.quoted(),
                    to.quoted()
                );
                out.push(Statement::new(format!(
                    "DO {};",
                    ddl::dollar_quoted_as("rename", &body)
                )));
            }
        }
        Change::CommentOnType { name, comment } => out.push(Statement::new(format!(
            "COMMENT ON TYPE {} IS {};",
            name.quoted(),
            comment_sql(comment)
        ))),
        Change::CreateDomain(domain) => out.extend(ddl::create_domain(domain, plan.to)),
        Change::DropDomain(domain) => out.push(Statement::new(format!("DROP DOMAIN {};", domain.name.quoted()))),
        Change::SetDomainDefault { name, default } => out.push(Statement::new(match default {
            Some(expr) => format!("ALTER DOMAIN {} SET DEFAULT {};", name.quoted(), expr.sql()),
            None => format!("ALTER DOMAIN {} DROP DEFAULT;", name.quoted()),
        })),
        Change::SetDomainNotNull { name, not_null } => out.push(Statement::new(format!(
            "ALTER DOMAIN {} {} NOT NULL;",
            name.quoted(),
            if *not_null { "SET" } else { "DROP" }
        ))),
        Change::AddDomainCheck { domain, check } => {
            // Online, existing values are checked after the lock is gone.
            let validate_later = online && !check.not_valid && plan.from.domains.contains_key(domain);
            out.push(Statement::new(format!(
                "ALTER DOMAIN {} ADD CONSTRAINT {} CHECK ({}){};",
                domain.quoted(),
                check.name.quoted(),
                check.expr.sql(),
                if check.not_valid || validate_later {
                    " NOT VALID"
                } else {
                    ""
                }
            )));
            if validate_later {
                out.push(Statement::new(format!(
                    "ALTER DOMAIN {} VALIDATE CONSTRAINT {};",
                    domain.quoted(),
                    check.name.quoted()
                )));
            }
        }
        Change::DropDomainCheck { domain, check } => out.push(Statement::new(format!(
            "ALTER DOMAIN {} DROP CONSTRAINT {};",
            domain.quoted(),
            check.name.quoted()
        ))),
        Change::ValidateDomainCheck { domain, name } => out.push(Statement::new(format!(
            "ALTER DOMAIN {} VALIDATE CONSTRAINT {};",
            domain.quoted(),
            name.quoted()
        ))),
        Change::CommentOnDomain { name, comment } => out.push(Statement::new(format!(
            "COMMENT ON DOMAIN {} IS {};",
            name.quoted(),
            comment_sql(comment)
        ))),
        Change::RecreateDomain { old, new, columns } => {
            let aside = ddl::aside(&old.name);
            out.push(Statement::new(format!(
                "ALTER DOMAIN {} RENAME TO {};",
                old.name.quoted(),
                aside.name.quoted()
            )));
            out.extend(ddl::create_domain(new, plan.to));
            let base = type_sql(&new.data_type, plan.to);
            for (table, column, dims) in columns {
                let brackets = "[]".repeat(*dims as usize);
                out.push(Statement::new(format!(
                    "ALTER TABLE {} ALTER COLUMN {} TYPE {}{brackets} USING {}::{base}{brackets};",
                    table.quoted(),
                    column.quoted(),
                    new.name.quoted(),
                    column.quoted()
                )));
            }
            out.push(Statement::new(format!("DROP DOMAIN {};", aside.quoted())));
        }
        Change::CreateEnum(e) => {
            if e.storage == EnumStorage::Native {
                let labels: Vec<String> = e.labels.iter().map(|l| literal(&l.name)).collect();
                out.push(Statement::new(format!(
                    "CREATE TYPE {} AS ENUM ({});",
                    e.name.quoted(),
                    labels.join(", ")
                )));
                if let Some(comment) = &e.comment {
                    out.push(Statement::new(format!(
                        "COMMENT ON TYPE {} IS {};",
                        e.name.quoted(),
                        literal(comment)
                    )));
                }
            }
        }
        Change::DropEnum(e) => {
            if e.storage == EnumStorage::Native {
                out.push(Statement::new(format!("DROP TYPE {};", e.name.quoted())));
            }
        }
        Change::RenameEnum { from, to } => out.extend(rename_in_schema("TYPE", from, to)),
        Change::AddEnumLabel {
            enum_name,
            label,
            position,
        } => {
            let place = match position {
                LabelPosition::Last => String::new(),
                LabelPosition::Before(other) => format!(" BEFORE {}", literal(other)),
                LabelPosition::After(other) => format!(" AFTER {}", literal(other)),
            };
            out.push(Statement::new(format!(
                "ALTER TYPE {} ADD VALUE {}{place};",
                enum_name.quoted(),
                literal(label)
            )));
        }
        Change::RenameEnumLabel { enum_name, from, to } => out.push(Statement::new(format!(
            "ALTER TYPE {} RENAME VALUE {} TO {};",
            enum_name.quoted(),
            literal(from),
            literal(to)
        ))),
        Change::RecreateEnum { old, new, columns } => out.extend(ddl::recreate_enum(old, new, columns)),
        Change::UpdateEnumLabel {
            table,
            column,
            from,
            to,
        } => out.push(Statement::new(format!(
            "UPDATE {} SET {} = {} WHERE {} = {};",
            table.quoted(),
            column.quoted(),
            literal(to),
            column.quoted(),
            literal(from)
        ))),
        Change::GuardEnumLabel {
            table,
            column,
            enum_name,
            label,
        } => {
            // The message names the table, the label and the rows; nothing
            // has changed yet when it stops the revision.
            let message = format!(
                "label {} of enum {} is still held by {{count}} row(s) of {}.{}; move them to another label first",
                literal(label),
                enum_name,
                table,
                column.as_str()
            )
            .replace('%', "%%")
            .replace("{count}", "%");
            let body = format!(
                " DECLARE held bigint; BEGIN SELECT count(*) INTO held FROM {} WHERE {} = {}; IF held > 0 THEN RAISE EXCEPTION {}, held; END IF; END ",
                table.quoted(),
                column.quoted(),
                literal(label),
                literal(&message)
            );
            // Names and labels are the user's: none may end the block.
            out.push(Statement::new(format!(
                "DO {};",
                ddl::dollar_quoted_as("trellisc", &body)
            )));
        }
        Change::CommentOnEnum { name, comment } => out.push(Statement::new(format!(
            "COMMENT ON TYPE {} IS {};",
            name.quoted(),
            comment_sql(comment)
        ))),
        Change::CreateSequence(s) => {
            out.push(Statement::new(format!(
                "CREATE SEQUENCE {}{};",
                s.name.quoted(),
                ddl::sequence_options(&s.options, None)
            )));
            if let Some(comment) = &s.comment {
                out.push(Statement::new(format!(
                    "COMMENT ON SEQUENCE {} IS {};",
                    s.name.quoted(),
                    literal(comment)
                )));
            }
        }
        Change::DropSequence(s) => out.push(Statement::new(format!("DROP SEQUENCE {};", s.name.quoted()))),
        Change::RenameSequence { from, to } => out.extend(rename_in_schema("SEQUENCE", from, to)),
        Change::AlterSequence { name, old, new } => {
            let regclass = format!("{}::regclass", literal(&name.quoted()));
            let alter = format!(
                "ALTER SEQUENCE {}{}",
                name.quoted(),
                ddl::sequence_options(new, Some(old))
            );
            out.push(Statement::new(ddl::within_bounds(&regclass, new, old, &alter)));
        }
        Change::SetSequenceOwner { name, owner } => out.push(Statement::new(match owner {
            Some((table, column)) => format!(
                "ALTER SEQUENCE {} OWNED BY {}.{};",
                name.quoted(),
                table.quoted(),
                column.quoted()
            ),
            None => format!("ALTER SEQUENCE {} OWNED BY NONE;", name.quoted()),
        })),
        Change::CommentOnSequence { name, comment } => out.push(Statement::new(format!(
            "COMMENT ON SEQUENCE {} IS {};",
            name.quoted(),
            comment_sql(comment)
        ))),
        Change::CreateTable(table) => {
            out.extend(ddl::create_table(table, &step.deferred_foreign_keys, plan.to, online))
        }
        Change::DropTable(table) => out.push(Statement::new(format!("DROP TABLE {};", table.name.quoted()))),
        Change::RenameTable { from, to } => out.extend(rename_in_schema("TABLE", from, to)),
        Change::CommentOnTable { table, comment } => out.push(Statement::new(format!(
            "COMMENT ON TABLE {} IS {};",
            table.quoted(),
            comment_sql(comment)
        ))),
        Change::SetLogged { table, unlogged } => {
            out.push(Statement::new(format!(
                "ALTER TABLE {} SET {};",
                table.quoted(),
                if *unlogged { "UNLOGGED" } else { "LOGGED" }
            )));
        }
        Change::SetAccessMethod { table, method } => out.push(Statement::new(format!(
            "ALTER TABLE {} SET ACCESS METHOD {};",
            table.quoted(),
            method.as_ref().map_or_else(|| "heap".to_string(), Ident::quoted)
        ))),
        Change::SetTablespace { table, tablespace } => out.push(Statement::new(format!(
            "ALTER TABLE {} SET TABLESPACE {};",
            table.quoted(),
            tablespace
                .as_ref()
                .map_or_else(|| "pg_default".to_string(), Ident::quoted)
        ))),
        Change::SetStorageParams { table, set, reset } => {
            out.extend(ddl::storage_params("TABLE", &table.quoted(), set, reset))
        }
        Change::SetIndexStorageParams {
            table,
            index,
            set,
            reset,
        } => {
            let name = QualifiedName::new(table.schema.clone(), index.clone());
            out.extend(ddl::storage_params("INDEX", &name.quoted(), set, reset));
        }
        Change::SetReplicaIdentity { table, identity } => {
            let what = match identity {
                ReplicaIdentity::Default => "DEFAULT".to_string(),
                ReplicaIdentity::Full => "FULL".to_string(),
                ReplicaIdentity::Nothing => "NOTHING".to_string(),
                ReplicaIdentity::Index(name) => format!("USING INDEX {}", name.value.quoted()),
            };
            out.push(Statement::new(format!(
                "ALTER TABLE {} REPLICA IDENTITY {what};",
                table.quoted()
            )));
        }
        Change::SetClusterOn { table, index } => out.push(Statement::new(match index {
            Some(index) => format!("ALTER TABLE {} CLUSTER ON {};", table.quoted(), index.quoted()),
            None => format!("ALTER TABLE {} SET WITHOUT CLUSTER;", table.quoted()),
        })),
        Change::CreateStatistics { table, statistics } => out.push(ddl::create_statistics(table, statistics)),
        Change::DropStatistics { table, statistics } => out.push(Statement::new(format!(
            "DROP STATISTICS {};",
            QualifiedName::new(table.schema.clone(), statistics.name.clone()).quoted()
        ))),
        Change::AttachPartition { table, parent, bound } => {
            // PostgreSQL attaches only a table that has the parent's checks
            // (by name): those it lacks are added first, validated apart
            // with --online; the attach makes them the parent's.
            if existed(table) {
                for check in ddl::checks_to_take(plan.from, plan.to, table, parent) {
                    let definition = constraint_definition(check, plan.to);
                    out.extend(add_checking_rows(table, &definition, &check.name, online));
                }
            }
            out.push(Statement::new(format!(
                "ALTER TABLE {} ATTACH PARTITION {} {bound};",
                parent.quoted(),
                table.quoted()
            )))
        }
        Change::DetachPartition { table, parent } => {
            let concurrently = crate::plan::detaches_concurrently(plan.from, &plan.options, parent);
            let for_good = plan.to.tables.get(table).is_some_and(|t| t.partition_of.is_none());
            out.extend(ddl::detach(plan.from, table, parent, concurrently, for_good))
        }
        Change::SetInherit { table, parent, inherit } => out.push(Statement::new(format!(
            "ALTER TABLE {} {}INHERIT {};",
            table.quoted(),
            if *inherit { "" } else { "NO " },
            parent.quoted()
        ))),
        Change::AddColumn { table, column } => {
            out.push(Statement::new(format!(
                "ALTER TABLE {} ADD COLUMN {};",
                table.quoted(),
                column_definition(column, table, plan.to)
            )));
            if let Some(settings) = &column.settings {
                out.extend(ddl::column_settings(
                    table,
                    column,
                    &ColumnSettings::default(),
                    settings,
                    plan.to,
                ));
            }
            if let Some(comment) = &column.comment {
                out.push(Statement::new(format!(
                    "COMMENT ON COLUMN {}.{} IS {};",
                    table.quoted(),
                    column.name.quoted(),
                    literal(comment)
                )));
            }
        }
        Change::SetColumnSettings {
            table,
            column,
            old,
            new,
        } => {
            let found = plan
                .to
                .tables
                .get(table)
                .and_then(|t| t.columns.iter().find(|c| &c.name == column));
            if let Some(found) = found {
                out.extend(ddl::column_settings(table, found, old, new, plan.to));
            }
        }
        Change::DropColumn { table, column } => {
            out.push(Statement::new(format!(
                "ALTER TABLE {} DROP COLUMN {};",
                table.quoted(),
                column.name.quoted()
            )));
        }
        Change::RenameColumn { table, from, to } => out.push(Statement::new(format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {};",
            table.quoted(),
            from.quoted(),
            to.quoted()
        ))),
        Change::AlterColumnType {
            table,
            column,
            from,
            to,
            collation,
            using,
        } => {
            let collate = collation
                .as_ref()
                .map(|c| format!(" COLLATE {}", c.quoted()))
                .unwrap_or_default();
            let ty = type_sql(to, plan.to);
            // The source's `using (EXPR)`, as written; else a cast. A
            // generated column takes none: PostgreSQL computes it again.
            let generated = plan
                .to
                .tables
                .get(table)
                .and_then(|t| t.column(column))
                .is_some_and(|c| c.generated.is_some());
            let value = match using {
                _ if generated => String::new(),
                Some(expr) => format!(" USING ({})", expr.value.as_str()),
                None => format!(" USING {}", cast_to_new_type(&column.quoted(), from, to, plan)),
            };
            out.push(Statement::new(format!(
                "ALTER TABLE {} ALTER COLUMN {} TYPE {ty}{collate}{value};",
                table.quoted(),
                column.quoted()
            )));
        }
        Change::SetNotNull { table, column } => {
            if online && existed(table) {
                out.extend(ddl::online_set_not_null(table, column));
            } else {
                out.push(Statement::new(format!(
                    "ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;",
                    table.quoted(),
                    column.quoted()
                )));
            }
        }
        Change::DropNotNull { table, column } => out.push(Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {} DROP NOT NULL;",
            table.quoted(),
            column.quoted()
        ))),
        Change::SetDefault {
            table,
            column,
            default,
            only,
        } => out.push(Statement::new(format!(
            "ALTER TABLE {}{} ALTER COLUMN {} SET DEFAULT {};",
            if *only { "ONLY " } else { "" },
            table.quoted(),
            column.quoted(),
            default.sql()
        ))),
        Change::DropDefault { table, column, only } => out.push(Statement::new(format!(
            "ALTER TABLE {}{} ALTER COLUMN {} DROP DEFAULT;",
            if *only { "ONLY " } else { "" },
            table.quoted(),
            column.quoted()
        ))),
        Change::AddIdentity {
            table,
            column,
            identity,
        } => out.push(Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {} ADD {};",
            table.quoted(),
            column.quoted(),
            ddl::identity_clause(identity, table, column)
        ))),
        Change::DropIdentity { table, column } => out.push(Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {} DROP IDENTITY;",
            table.quoted(),
            column.quoted()
        ))),
        Change::AlterIdentity {
            table,
            column,
            old,
            new,
        } => {
            let mut parts = Vec::new();
            if old.always != new.always {
                parts.push(format!(
                    "SET GENERATED {}",
                    if new.always { "ALWAYS" } else { "BY DEFAULT" }
                ));
            }
            parts.extend(ddl::identity_option_sets(&new.options, &old.options));
            let regclass = format!(
                "pg_get_serial_sequence({}, {})::regclass",
                literal(&table.quoted()),
                literal(column.as_str())
            );
            let alter = format!(
                "ALTER TABLE {} ALTER COLUMN {} {}",
                table.quoted(),
                column.quoted(),
                parts.join(" ")
            );
            out.push(Statement::new(ddl::within_bounds(
                &regclass,
                &new.options,
                &old.options,
                &alter,
            )));
        }
        Change::CommentOnColumn { table, column, comment } => out.push(Statement::new(format!(
            "COMMENT ON COLUMN {}.{} IS {};",
            table.quoted(),
            column.quoted(),
            comment_sql(comment)
        ))),
        Change::AddConstraint { table, constraint } => {
            let checks_rows = matches!(
                constraint.kind,
                ConstraintKind::ForeignKey(_) | ConstraintKind::Check { .. } | ConstraintKind::EnumCheck { .. }
            );
            let keyed = matches!(
                constraint.kind,
                ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
            );
            let definition = constraint_definition(constraint, plan.to);
            if online && checks_rows && !constraint.not_valid {
                out.extend(add_checking_rows(table, &definition, &constraint.name, true));
            } else if online && keyed && existed(table) {
                // Build the index without blocking writes, then attach it.
                out.extend(ddl::online_key(table, constraint));
            } else {
                let not_valid = if constraint.not_valid { " NOT VALID" } else { "" };
                out.push(Statement::new(format!(
                    "ALTER TABLE {} ADD {definition}{not_valid};",
                    table.quoted()
                )));
            }
            if let Some(comment) = &constraint.comment {
                out.push(Statement::new(format!(
                    "COMMENT ON CONSTRAINT {} ON {} IS {};",
                    constraint.name.quoted(),
                    table.quoted(),
                    literal(comment)
                )));
            }
        }
        Change::ReplaceCheck { table, old, new } => {
            let definition = constraint_definition(new, plan.to);
            if online {
                let temporary = Ident::new(crate::ir::naming::make_object_name(
                    new.name.as_str(),
                    None,
                    Some("new"),
                ));
                let mut temporary_constraint = new.clone();
                temporary_constraint.name = temporary.clone();
                let temporary_definition = constraint_definition(&temporary_constraint, plan.to);
                out.push(Statement::new(format!(
                    "ALTER TABLE {} ADD {temporary_definition} NOT VALID;",
                    table.quoted()
                )));
                out.push(Statement::new(format!(
                    "ALTER TABLE {} VALIDATE CONSTRAINT {};",
                    table.quoted(),
                    temporary.quoted()
                )));
                out.push(Statement::new(format!(
                    "ALTER TABLE {} DROP CONSTRAINT {};",
                    table.quoted(),
                    old.name.quoted()
                )));
                out.push(Statement::new(format!(
                    "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
                    table.quoted(),
                    temporary.quoted(),
                    new.name.quoted()
                )));
            } else {
                out.push(Statement::new(format!(
                    "ALTER TABLE {} DROP CONSTRAINT {};",
                    table.quoted(),
                    old.name.quoted()
                )));
                out.push(Statement::new(format!(
                    "ALTER TABLE {} ADD {definition};",
                    table.quoted()
                )));
            }
            if let Some(comment) = &new.comment {
                out.push(Statement::new(format!(
                    "COMMENT ON CONSTRAINT {} ON {} IS {};",
                    new.name.quoted(),
                    table.quoted(),
                    literal(comment)
                )));
            }
        }
        Change::DropConstraint { table, constraint } => {
            out.push(Statement::new(format!(
                "ALTER TABLE {} DROP CONSTRAINT {};",
                table.quoted(),
                constraint.name.quoted()
            )));
        }
        Change::RenameConstraint { table, from, to } => out.push(Statement::new(format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
            table.quoted(),
            from.quoted(),
            to.quoted()
        ))),
        Change::ValidateConstraint { table, name } => out.push(Statement::new(format!(
            "ALTER TABLE {} VALIDATE CONSTRAINT {};",
            table.quoted(),
            name.quoted()
        ))),
        Change::CommentOnConstraint { table, name, comment } => out.push(Statement::new(format!(
            "COMMENT ON CONSTRAINT {} ON {} IS {};",
            name.quoted(),
            table.quoted(),
            comment_sql(comment)
        ))),
        Change::CreateIndex { table, index } => {
            // PostgreSQL builds no index of a partitioned table concurrently.
            let partitioned = plan.to.tables.get(table).is_some_and(|t| t.partition_by.is_some());
            let concurrently = online && existed(table) && !partitioned;
            out.push(Statement {
                sql: index_definition(index, table, concurrently) + ";",
                transactional: !concurrently,
            });
            if let Some(comment) = &index.comment {
                let name = QualifiedName::new(table.schema.clone(), index.name.clone());
                out.push(Statement::new(format!(
                    "COMMENT ON INDEX {} IS {};",
                    name.quoted(),
                    literal(comment)
                )));
            }
        }
        Change::DropIndex { table, index } => {
            let name = QualifiedName::new(table.schema.clone(), index.name.clone());
            let partitioned = plan.from.tables.get(table).is_some_and(|t| t.partition_by.is_some());
            if online && !partitioned {
                out.push(Statement {
                    sql: format!("DROP INDEX CONCURRENTLY {};", name.quoted()),
                    transactional: false,
                });
            } else {
                out.push(Statement::new(format!("DROP INDEX {};", name.quoted())));
            }
        }
        Change::RenameIndex { table, from, to } => {
            let name = QualifiedName::new(table.schema.clone(), from.clone());
            out.push(Statement::new(format!(
                "ALTER INDEX {} RENAME TO {};",
                name.quoted(),
                to.quoted()
            )));
        }
        Change::CommentOnIndex { table, index, comment } => {
            let name = QualifiedName::new(table.schema.clone(), index.clone());
            out.push(Statement::new(format!(
                "COMMENT ON INDEX {} IS {};",
                name.quoted(),
                comment_sql(comment)
            )));
        }
        Change::CreateRoutine { routine, .. } => out.extend(create_routine(routine, false, plan.to)),
        Change::ReplaceRoutine { routine, .. } => out.extend(create_routine(routine, true, plan.to)),
        Change::RecreateRoutine { old, new, .. } => {
            out.push(drop_routine(old, plan.from));
            out.extend(create_routine(new, false, plan.to));
        }
        Change::DropRoutine { routine, .. } => out.push(drop_routine(routine, plan.from)),
        Change::RenameRoutine { from, to, kind } => {
            let arguments = routine_arguments(&from.arguments, plan.from, kind);
            let mut current = from.name.clone();
            if from.name.schema != to.schema {
                out.push(Statement::new(format!(
                    "ALTER {kind} {}({arguments}) SET SCHEMA {};",
                    current.quoted(),
                    to.schema.quoted()
                )));
                current = QualifiedName::new(to.schema.clone(), from.name.name.clone());
            }
            if current.name != to.name {
                out.push(Statement::new(format!(
                    "ALTER {kind} {}({arguments}) RENAME TO {};",
                    current.quoted(),
                    to.name.quoted()
                )));
            }
        }
        Change::CommentOnRoutine { id, kind, comment } => out.push(Statement::new(format!(
            "COMMENT ON {kind} {}({}) IS {};",
            id.name.quoted(),
            routine_arguments(&id.arguments, plan.to, kind),
            comment_sql(comment)
        ))),
        Change::Grant {
            object,
            grantee,
            privileges,
            grantable,
        } => out.push(Statement::new(format!(
            "GRANT {} ON {} TO {}{};",
            privilege_list(privileges),
            securable_sql(object, plan.to),
            grantee.sql(),
            if *grantable { " WITH GRANT OPTION" } else { "" }
        ))),
        Change::Revoke {
            object,
            grantee,
            privileges,
            grant_option_only,
        } => out.push(Statement::new(format!(
            "REVOKE {}{} ON {} FROM {};",
            if *grant_option_only { "GRANT OPTION FOR " } else { "" },
            privilege_list(privileges),
            securable_sql(object, plan.to),
            grantee.sql()
        ))),
        Change::GrantDefault {
            role,
            schema,
            kind,
            grantee,
            privileges,
            grantable,
        } => out.push(Statement::new(format!(
            "ALTER DEFAULT PRIVILEGES{} GRANT {} ON {} TO {}{};",
            default_scope(role, schema),
            keywords(privileges),
            kind.keyword(),
            grantee.sql(),
            if *grantable { " WITH GRANT OPTION" } else { "" }
        ))),
        Change::RevokeDefault {
            role,
            schema,
            kind,
            grantee,
            privileges,
            grant_option_only,
        } => out.push(Statement::new(format!(
            "ALTER DEFAULT PRIVILEGES{} REVOKE {}{} ON {} FROM {};",
            default_scope(role, schema),
            if *grant_option_only { "GRANT OPTION FOR " } else { "" },
            keywords(privileges),
            kind.keyword(),
            grantee.sql()
        ))),
        Change::CreateView(view) => {
            out.push(Statement::new(view_statement(view, &view.name) + ";"));
            if let Some(comment) = &view.comment {
                out.push(Statement::new(format!(
                    "COMMENT ON {} {} IS {};",
                    view.kind_sql(),
                    view.name.quoted(),
                    literal(comment)
                )));
            }
        }
        Change::DropView(view) => out.push(Statement::new(format!(
            "DROP {} {};",
            view.kind_sql(),
            view.name.quoted()
        ))),
        Change::RenameView { from, to, materialized } => {
            let kind = if *materialized { "MATERIALIZED VIEW" } else { "VIEW" };
            out.extend(rename_in_schema(kind, from, to));
        }
        Change::CommentOnView {
            name,
            materialized,
            comment,
        } => out.push(Statement::new(format!(
            "COMMENT ON {} {} IS {};",
            if *materialized { "MATERIALIZED VIEW" } else { "VIEW" },
            name.quoted(),
            comment_sql(comment)
        ))),
        Change::CreateViewIndex { view, index } => {
            let statement = crate::syntax::lower::view_index_statement(index.unique, &index.name, view, &index.rest);
            // Online, on a materialized view that is there before the plan
            // (and not made again by it): built without blocking reads of it.
            let remade = plan
                .steps
                .iter()
                .any(|s| matches!(&s.change, Change::CreateView(v) if &v.name == view));
            let concurrently = online && !remade;
            let statement = match concurrently {
                true => statement.replacen(" INDEX ", " INDEX CONCURRENTLY ", 1),
                false => statement,
            };
            out.push(Statement {
                sql: statement + ";",
                transactional: !concurrently,
            });
            if let Some(comment) = &index.comment {
                let name = QualifiedName::new(view.schema.clone(), index.name.clone());
                out.push(Statement::new(format!(
                    "COMMENT ON INDEX {} IS {};",
                    name.quoted(),
                    literal(comment)
                )));
            }
        }
        Change::DropViewIndex { view, index } => {
            let name = QualifiedName::new(view.schema.clone(), index.name.clone());
            out.push(Statement {
                sql: format!(
                    "DROP INDEX {}{};",
                    if online { "CONCURRENTLY " } else { "" },
                    name.quoted()
                ),
                transactional: !online,
            });
        }
        Change::RenameViewIndex { view, from, to } => {
            let name = QualifiedName::new(view.schema.clone(), from.clone());
            out.push(Statement::new(format!(
                "ALTER INDEX {} RENAME TO {};",
                name.quoted(),
                to.quoted()
            )));
        }
        Change::CommentOnViewIndex { view, name, comment } => {
            let name = QualifiedName::new(view.schema.clone(), name.clone());
            out.push(Statement::new(format!(
                "COMMENT ON INDEX {} IS {};",
                name.quoted(),
                comment_sql(comment)
            )));
        }
        Change::CreateTrigger { table, trigger } => {
            let statement = crate::syntax::lower::trigger_statement(
                &trigger.name,
                trigger.constraint,
                &trigger.events,
                table,
                &trigger.rest,
            );
            // A function of the schema is named with its schema; one it
            // does not declare (PostgreSQL's own, an extension's) is left
            // as written, for the search path to find.
            let declared = plan.to.routines.contains_key(&RoutineId {
                name: trigger.function.clone(),
                arguments: Vec::new(),
            });
            let statement = match declared {
                true => crate::sql::tree::qualified_trigger(&statement, &trigger.function).unwrap_or(statement),
                false => statement,
            };
            out.push(Statement::new(statement + ";"));
            if let Some(comment) = &trigger.comment {
                out.push(Statement::new(format!(
                    "COMMENT ON TRIGGER {} ON {} IS {};",
                    trigger.name.quoted(),
                    table.quoted(),
                    literal(comment)
                )));
            }
        }
        Change::DropTrigger { table, trigger } => out.push(Statement::new(format!(
            "DROP TRIGGER {} ON {};",
            trigger.name.quoted(),
            table.quoted()
        ))),
        Change::RenameTrigger { table, from, to } => out.push(Statement::new(format!(
            "ALTER TRIGGER {} ON {} RENAME TO {};",
            from.quoted(),
            table.quoted(),
            to.quoted()
        ))),
        Change::CommentOnTrigger { table, name, comment } => out.push(Statement::new(format!(
            "COMMENT ON TRIGGER {} ON {} IS {};",
            name.quoted(),
            table.quoted(),
            comment_sql(comment)
        ))),
        Change::SetRowSecurity { table, old, new } => {
            if old.enabled != new.enabled {
                out.push(Statement::new(format!(
                    "ALTER TABLE {} {} ROW LEVEL SECURITY;",
                    table.quoted(),
                    if new.enabled { "ENABLE" } else { "DISABLE" }
                )));
            }
            if old.forced != new.forced {
                out.push(Statement::new(format!(
                    "ALTER TABLE {} {}FORCE ROW LEVEL SECURITY;",
                    table.quoted(),
                    if new.forced { "" } else { "NO " }
                )));
            }
        }
        Change::CreatePolicy { table, policy } => {
            out.push(Statement::new(policy.statement(&table.quoted()) + ";"));
            if let Some(comment) = &policy.comment {
                out.push(Statement::new(format!(
                    "COMMENT ON POLICY {} ON {} IS {};",
                    policy.name.quoted(),
                    table.quoted(),
                    literal(comment)
                )));
            }
        }
        Change::DropPolicy { table, policy } => out.push(Statement::new(format!(
            "DROP POLICY {} ON {};",
            policy.name.quoted(),
            table.quoted()
        ))),
        Change::AlterPolicy {
            table,
            name,
            roles,
            using,
            check,
        } => {
            let mut sql = format!("ALTER POLICY {} ON {}", name.quoted(), table.quoted());
            if let Some(roles) = roles {
                sql.push_str(&format!(" TO {}", role_list(roles)));
            }
            if let Some(using) = using {
                sql.push_str(&format!(" USING ({using})"));
            }
            if let Some(check) = check {
                sql.push_str(&format!(" WITH CHECK ({check})"));
            }
            out.push(Statement::new(sql + ";"));
        }
        Change::RenamePolicy { table, from, to } => out.push(Statement::new(format!(
            "ALTER POLICY {} ON {} RENAME TO {};",
            from.quoted(),
            table.quoted(),
            to.quoted()
        ))),
        Change::CommentOnPolicy { table, name, comment } => out.push(Statement::new(format!(
            "COMMENT ON POLICY {} ON {} IS {};",
            name.quoted(),
            table.quoted(),
            comment_sql(comment)
        ))),
    }
    if online && !out.is_empty() {
        // Every DDL statement takes a lock: give up quickly rather than
        // queue behind a long transaction and block everyone behind it.
        out.insert(0, Statement::new("SET lock_timeout = '5s';".into()));
    }
    out
}

/// A constraint that checks the rows there (a check, a foreign key) added;
/// `apart`: `NOT VALID`, then validated in a statement of its own, so that
/// the rows are read without the lock the adding takes.
fn add_checking_rows(table: &QualifiedName, definition: &str, name: &Ident, apart: bool) -> Vec<Statement> {
    if !apart {
        return vec![Statement::new(format!(
            "ALTER TABLE {} ADD {definition};",
            table.quoted()
        ))];
    }
    vec![
        Statement::new(format!("ALTER TABLE {} ADD {definition} NOT VALID;", table.quoted())),
        Statement::new(format!(
            "ALTER TABLE {} VALIDATE CONSTRAINT {};",
            table.quoted(),
            name.quoted()
        )),
    ]
}

/// The argument types that identify a routine, as SQL (`*` for an
/// aggregate of no arguments).
/// `SELECT, UPDATE (a, b)`: privileges on the object first, then those on
/// columns, each with its columns together.
fn privilege_list(privileges: &[(Privilege, Option<Ident>)]) -> String {
    let mut whole = Vec::new();
    let mut by_column: std::collections::BTreeMap<Privilege, Vec<String>> = Default::default();
    for (privilege, column) in privileges {
        match column {
            None => whole.push(privilege.keyword().to_string()),
            Some(column) => by_column.entry(*privilege).or_default().push(column.quoted()),
        }
    }
    whole.extend(
        by_column
            .into_iter()
            .map(|(privilege, columns)| format!("{} ({})", privilege.keyword(), columns.join(", "))),
    );
    whole.join(", ")
}

fn keywords(privileges: &[Privilege]) -> String {
    privileges.iter().map(|p| p.keyword()).collect::<Vec<_>>().join(", ")
}

/// ` FOR ROLE r IN SCHEMA s`, either part left out when not given.
fn default_scope(role: &Option<Ident>, schema: &Option<Ident>) -> String {
    let mut scope = String::new();
    if let Some(role) = role {
        scope.push_str(&format!(" FOR ROLE {}", role.quoted()));
    }
    if let Some(schema) = schema {
        scope.push_str(&format!(" IN SCHEMA {}", schema.quoted()));
    }
    scope
}

/// The object of a `GRANT`, a routine with its argument types as the
/// database stores them.
fn securable_sql(object: &Securable, schema: &Schema) -> String {
    match object {
        Securable::Routine(id, kind) => format!(
            "{} {}({})",
            match kind {
                RoutineKind::Function => "FUNCTION",
                RoutineKind::Procedure => "PROCEDURE",
            },
            id.name.quoted(),
            routine_arguments(&id.arguments, schema, "FUNCTION")
        ),
        other => other.sql(),
    }
}

fn routine_arguments(arguments: &[SqlType], schema: &Schema, kind: &str) -> String {
    if arguments.is_empty() && kind == "AGGREGATE" {
        return "*".into();
    }
    arguments
        .iter()
        .map(|t| type_sql(t, schema))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE [OR REPLACE] FUNCTION` as declared, with its comment. A body in
/// SQL is checked when it first runs, as pg_dump has it: the tables it
/// reads may come later in the plan.
fn create_routine(routine: &Routine, replace: bool, schema: &Schema) -> Vec<Statement> {
    let mut out = Vec::new();
    if routine.language == "sql" {
        out.push(Statement::new("SET check_function_bodies = off;".into()));
    }
    let statement = routine.statement(&routine.id.name);
    let statement = match replace {
        true => statement.replacen("CREATE ", "CREATE OR REPLACE ", 1),
        false => statement,
    };
    out.push(Statement::new(statement + ";"));
    if let Some(comment) = &routine.comment {
        out.push(Statement::new(format!(
            "COMMENT ON {} {}({}) IS {};",
            routine.kind_sql(),
            routine.id.name.quoted(),
            routine_arguments(&routine.id.arguments, schema, routine.kind_sql()),
            literal(comment)
        )));
    }
    out
}

fn drop_routine(routine: &Routine, schema: &Schema) -> Statement {
    Statement::new(format!(
        "DROP {} {}({});",
        routine.kind_sql(),
        routine.id.name.quoted(),
        routine_arguments(&routine.id.arguments, schema, routine.kind_sql())
    ))
}

/// The comment PostgreSQL gives the `public` schema.
pub const PUBLIC_SCHEMA_COMMENT: &str = "standard public schema";

fn comment_sql(comment: &Option<String>) -> String {
    comment.as_deref().map(literal).unwrap_or_else(|| "NULL".into())
}

/// `ALTER kind ... RENAME TO` and `SET SCHEMA` as needed.
fn rename_in_schema(kind: &str, from: &QualifiedName, to: &QualifiedName) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut current = from.clone();
    if from.schema != to.schema {
        out.push(Statement::new(format!(
            "ALTER {kind} {} SET SCHEMA {};",
            current.quoted(),
            to.schema.quoted()
        )));
        current = QualifiedName::new(to.schema.clone(), from.name.clone());
    }
    if from.name != to.name {
        out.push(Statement::new(format!(
            "ALTER {kind} {} RENAME TO {};",
            current.quoted(),
            to.name.quoted()
        )));
    }
    out
}

/// `CREATE COLLATION` and its comment.
fn create_collation(collation: &Collation) -> Vec<Statement> {
    let mut options = vec![format!("provider = {}", literal(&collation.provider))];
    options.extend(collation.options(literal));
    let mut out = vec![Statement::new(format!(
        "CREATE COLLATION {} ({});",
        collation.name.quoted(),
        options.join(", ")
    ))];
    if let Some(comment) = &collation.comment {
        out.push(Statement::new(format!(
            "COMMENT ON COLLATION {} IS {};",
            collation.name.quoted(),
            literal(comment)
        )));
    }
    out
}

/// A one-line description of a step, for its comment header and summaries.
pub fn describe(change: &Change) -> String {
    use Change::*;
    match change {
        CreateSchema(n) => format!("create schema {n}"),
        DropSchema(n) => format!("drop schema {n}"),
        CreateComposite(c) => format!("create type {}", c.name),
        DropComposite(c) => format!("drop type {}", c.name),
        RecreateComposite { new, .. } => format!("make type {} again (its attributes change order)", new.name),
        RebuildComposite { new, .. } => format!(
            "make type {} again and convert the columns that use it (its attributes change type or order)",
            new.name
        ),
        AddAttribute { composite, attribute } => format!("add attribute {} to type {composite}", attribute.name),
        DropAttribute { composite, attribute } => format!("drop attribute {} of type {composite}", attribute.name),
        RenameAttribute { composite, old, new } => format!("rename attribute {old} of type {composite} to {new}"),
        AlterAttributeType { composite, attribute } => format!(
            "change type of attribute {} of type {composite} to {}",
            attribute.name, attribute.data_type
        ),
        CommentOnAttribute {
            composite, attribute, ..
        } => format!("comment on attribute {attribute} of type {composite}"),
        CreateRange(r) => format!("create range type {}", r.name),
        DropRange(r) => format!("drop range type {}", r.name),
        RecreateRange {
            new,
            columns,
            multiranges,
            ..
        } if !columns.is_empty() || !multiranges.is_empty() => format!(
            "make range type {} again and convert the columns that use it (its options change)",
            new.name
        ),
        RecreateRange { new, .. } => format!("make range type {} again (its options change)", new.name),
        RenameType { old, new, .. } => format!("rename type {old} to {new}"),
        CommentOnType { name, .. } => format!("comment on type {name}"),
        CreateDomain(d) => format!("create domain {}", d.name),
        DropDomain(d) => format!("drop domain {}", d.name),
        SetDomainDefault { name, default: Some(_) } => format!("set default of domain {name}"),
        SetDomainDefault { name, default: None } => format!("drop default of domain {name}"),
        SetDomainNotNull { name, not_null: true } => format!("set domain {name} not null"),
        SetDomainNotNull { name, not_null: false } => format!("allow null in domain {name}"),
        AddDomainCheck { domain, check } => format!("add check {} to domain {domain}", check.name),
        DropDomainCheck { domain, check } => format!("drop check {} of domain {domain}", check.name),
        ValidateDomainCheck { domain, name } => format!("validate check {name} of domain {domain}"),
        CommentOnDomain { name, .. } => format!("comment on domain {name}"),
        RecreateDomain { old, new, .. } => format!(
            "recreate domain {} as {} (was {})",
            new.name, new.data_type, old.data_type
        ),
        CommentOnSchema { name, .. } => format!("comment on schema {name}"),
        CreateExtension(e) => format!("create extension {}", e.name),
        CreateCollation(c) => format!("create collation {}", c.name),
        DropCollation(c) => format!("drop collation {}", c.name),
        RecreateCollation { new, .. } => format!("make collation {} again (its locale or kind changes)", new.name),
        CommentOnCollation { name, .. } => format!("comment on collation {name}"),
        DropExtension(e) => format!("drop extension {}", e.name),
        AlterExtensionVersion { name, .. } => format!("update extension {name}"),
        AlterExtensionSchema { name, schema } => format!("move extension {name} to schema {schema}"),
        CreateEnum(e) => format!("create enum {}", e.name),
        DropEnum(e) => format!("drop enum {}", e.name),
        RenameEnum { from, to } => format!("rename enum {from} to {to}"),
        AddEnumLabel { enum_name, label, .. } => format!("add label '{label}' to enum {enum_name}"),
        RenameEnumLabel { enum_name, from, to } => format!("rename label '{from}' of enum {enum_name} to '{to}'"),
        ReplaceCheck { table, new, .. } => format!(
            "replace constraint {} of {table} to allow the enum's new labels",
            new.name
        ),
        UpdateEnumLabel {
            table,
            column,
            from,
            to,
        } => {
            format!("move rows of {table}.{} from label '{from}' to '{to}'", column.as_str())
        }
        GuardEnumLabel {
            table,
            column,
            enum_name,
            label,
        } => format!(
            "stop if rows of {table}.{} still hold label '{label}' of enum {enum_name}",
            column.as_str()
        ),
        RecreateEnum { old, new, .. } if old.storage != new.storage => format!(
            "convert enum {} from {} to {}",
            new.name,
            storage_words(old.storage),
            storage_words(new.storage)
        ),
        RecreateEnum { new, .. } => format!("recreate enum {} with its new labels", new.name),
        CommentOnEnum { name, .. } => format!("comment on enum {name}"),
        CreateSequence(s) => format!("create sequence {}", s.name),
        DropSequence(s) => format!("drop sequence {}", s.name),
        RenameSequence { from, to } => format!("rename sequence {from} to {to}"),
        AlterSequence { name, .. } => format!("alter sequence {name}"),
        SetSequenceOwner { name, .. } => format!("set owner of sequence {name}"),
        CommentOnSequence { name, .. } => format!("comment on sequence {name}"),
        CreateTable(t) => format!("create table {}", t.name),
        DropTable(t) => format!("drop table {}", t.name),
        RenameTable { from, to } => format!("rename table {from} to {to}"),
        CommentOnTable { table, .. } => format!("comment on table {table}"),
        SetLogged { table, unlogged } => {
            format!("make table {table} {}", if *unlogged { "unlogged" } else { "logged" })
        }
        SetAccessMethod { table, method } => format!(
            "set access method of {table} to {}",
            method.as_ref().map_or("heap", Ident::as_str)
        ),
        SetTablespace { table, tablespace } => format!(
            "move table {table} to tablespace {}",
            tablespace.as_ref().map_or("pg_default", Ident::as_str)
        ),
        SetStorageParams { table, .. } => format!("set storage parameters of {table}"),
        SetReplicaIdentity { table, .. } => format!("set replica identity of {table}"),
        AddColumn { table, column } => format!("add column {table}.{}", column.name),
        DropColumn { table, column } => format!("drop column {table}.{}", column.name),
        RenameColumn { table, from, to } => format!("rename column {table}.{from} to {to}"),
        AlterColumnType {
            table,
            column,
            from,
            to,
            ..
        } => format!("change type of {table}.{column} from {from} to {to}"),
        SetNotNull { table, column } => format!("set {table}.{column} not null"),
        DropNotNull { table, column } => format!("allow null in {table}.{column}"),
        SetDefault { table, column, .. } => format!("set default of {table}.{column}"),
        DropDefault { table, column, .. } => format!("drop default of {table}.{column}"),
        AddIdentity { table, column, .. } => format!("make {table}.{column} an identity column"),
        DropIdentity { table, column } => format!("drop identity of {table}.{column}"),
        AlterIdentity { table, column, .. } => format!("alter identity of {table}.{column}"),
        CommentOnColumn { table, column, .. } => format!("comment on column {table}.{column}"),
        AttachPartition { table, parent, .. } => format!("attach {table} as a partition of {parent}"),
        SetClusterOn {
            table,
            index: Some(index),
        } => format!("cluster {table} on index {index}"),
        SetClusterOn { table, index: None } => format!("set {table} without cluster"),
        CreateStatistics { table, statistics } => format!("create statistics {} on {table}", statistics.name),
        DropStatistics { table, statistics } => format!("drop statistics {} of {table}", statistics.name),
        DetachPartition { table, parent } => format!("detach partition {table} from {parent}"),
        SetInherit {
            table,
            parent,
            inherit: true,
        } => format!("make {table} inherit {parent}"),
        SetInherit { table, parent, .. } => format!("make {table} stop inheriting {parent}"),
        SetColumnSettings {
            table,
            column,
            old,
            new,
        } => {
            let what: Vec<&str> = [
                (old.statistics != new.statistics, "statistics target"),
                (old.storage != new.storage, "storage"),
                (old.compression != new.compression, "compression"),
                (old.options != new.options, "options"),
            ]
            .into_iter()
            .filter_map(|(changed, what)| changed.then_some(what))
            .collect();
            format!("set {} of column {table}.{column}", what.join(", "))
        }
        AddConstraint { table, constraint } => format!("add constraint {} to {table}", constraint.name),
        DropConstraint { table, constraint } => format!("drop constraint {} of {table}", constraint.name),
        RenameConstraint { table, from, to } => format!("rename constraint {from} of {table} to {to}"),
        ValidateConstraint { table, name } => format!("validate constraint {name} of {table}"),
        CommentOnConstraint { table, name, .. } => format!("comment on constraint {name} of {table}"),
        CreateIndex { table, index } => format!("create index {} on {table}", index.name),
        DropIndex { table, index } => format!("drop index {} of {table}", index.name),
        RenameIndex { table, from, to } => format!("rename index {from} of {table} to {to}"),
        SetIndexStorageParams { index, .. } => format!("set storage parameters of index {index}"),
        CommentOnIndex { index, .. } => format!("comment on index {index}"),
        CreateRoutine { routine, .. } => format!("create {} {}", routine.kind(), routine.id),
        ReplaceRoutine { routine, .. } => format!("replace {} {}", routine.kind(), routine.id),
        RecreateRoutine { new, .. } => format!("drop and create {} {}", new.kind(), new.id),
        DropRoutine { routine, .. } => format!("drop {} {}", routine.kind(), routine.id),
        RenameRoutine { from, to, kind } => format!("rename {} {from} to {to}", kind.to_lowercase()),
        CommentOnRoutine { id, kind, .. } => format!("comment on {} {id}", kind.to_lowercase()),
        CreateView(view) => format!("create {} {}", view.kind(), view.name),
        Grant {
            object,
            grantee,
            privileges,
            grantable,
        } => format!(
            "grant {} on {object} to {grantee}{}",
            privilege_list(privileges).to_lowercase(),
            if *grantable { " with grant option" } else { "" }
        ),
        Revoke {
            object,
            grantee,
            privileges,
            grant_option_only,
        } => format!(
            "revoke {}{} on {object} from {grantee}",
            if *grant_option_only { "grant option for " } else { "" },
            privilege_list(privileges).to_lowercase()
        ),
        GrantDefault {
            kind,
            grantee,
            privileges,
            ..
        } => format!(
            "grant {} on new {} to {grantee} by default",
            keywords(privileges).to_lowercase(),
            kind.keyword().to_lowercase()
        ),
        RevokeDefault {
            kind,
            grantee,
            privileges,
            ..
        } => format!(
            "stop granting {} on new {} to {grantee} by default",
            keywords(privileges).to_lowercase(),
            kind.keyword().to_lowercase()
        ),
        DropView(view) => format!("drop {} {}", view.kind(), view.name),
        RenameView { from, to, materialized } => format!(
            "rename {} {from} to {to}",
            if *materialized { "materialized view" } else { "view" }
        ),
        CommentOnView { name, materialized, .. } => format!(
            "comment on {} {name}",
            if *materialized { "materialized view" } else { "view" }
        ),
        CreateViewIndex { view, index } => format!("create index {} on {view}", index.name),
        DropViewIndex { view, index } => format!("drop index {} of {view}", index.name),
        RenameViewIndex { view, from, to } => format!("rename index {from} of {view} to {to}"),
        CommentOnViewIndex { name, .. } => format!("comment on index {name}"),
        CreateTrigger { table, trigger } => format!("create trigger {} on {table}", trigger.name),
        DropTrigger { table, trigger } => format!("drop trigger {} of {table}", trigger.name),
        RenameTrigger { table, from, to } => format!("rename trigger {from} of {table} to {to}"),
        CommentOnTrigger { table, name, .. } => format!("comment on trigger {name} of {table}"),
        SetRowSecurity { table, new, .. } => match (new.enabled, new.forced) {
            (true, true) => format!("enable and force row level security on {table}"),
            (true, false) => format!("enable row level security on {table}"),
            (false, _) => format!("disable row level security on {table}"),
        },
        CreatePolicy { table, policy } => format!("create policy {} on {table}", policy.name),
        DropPolicy { table, policy } => format!("drop policy {} of {table}", policy.name),
        AlterPolicy { table, name, .. } => format!("alter policy {name} of {table}"),
        RenamePolicy { table, from, to } => format!("rename policy {from} of {table} to {to}"),
        CommentOnPolicy { table, name, .. } => format!("comment on policy {name} of {table}"),
    }
}

fn storage_words(storage: EnumStorage) -> &'static str {
    match storage {
        EnumStorage::Native => "a native type",
        EnumStorage::Check => "a check on text",
    }
}

/// The locks each step of a plan takes on tables, indexes and sequences
/// that exist before the plan runs (those the plan creates are no one
/// else's yet), in statement order, a lock the statement before took
/// named once.
pub fn plan_locks(plan: &Plan) -> Vec<Vec<Lock>> {
    statement_locks(plan)
        .into_iter()
        .map(|statements| {
            let mut locks: Vec<Lock> = Vec::new();
            for lock in statements.into_iter().flatten() {
                if locks.last() != Some(&lock) {
                    locks.push(lock);
                }
            }
            locks
        })
        .collect()
}

/// The locks of each statement of each step, on what exists before the
/// plan, with the targets a statement cannot name itself (a dropped
/// index's table, the tables using a domain, those a dropped foreign key
/// references) found in the schema the plan starts from.
pub fn statement_locks<'a>(plan: &Plan<'a>) -> Vec<Vec<Vec<Lock>>> {
    let created: HashSet<String> = plan
        .steps
        .iter()
        .filter_map(|step| match &step.change {
            Change::CreateTable(table) => Some(table.name.quoted()),
            Change::CreateSequence(sequence) => Some(sequence.name.quoted()),
            _ => None,
        })
        .collect();
    let tables: HashMap<String, &Table> = plan
        .from
        .tables
        .values()
        .map(|table| (table.name.quoted(), table))
        .collect();
    let new_tables: HashMap<String, &Table> = plan.to.tables.values().map(|t| (t.name.quoted(), t)).collect();
    let index_tables: HashMap<String, &QualifiedName> = plan
        .from
        .tables
        .values()
        .flat_map(|table| {
            table.indexes.keys().map(|index| {
                let index = QualifiedName::new(table.name.schema.clone(), index.clone());
                (index.quoted(), &table.name)
            })
        })
        .collect();
    // The tables inheriting from each table or partitioning it, directly,
    // by the parent's name in `from`, as the steps before have left them.
    let mut children: HashMap<String, Vec<QualifiedName>> = HashMap::new();
    for table in plan.from.tables.values() {
        for parent in table.partition_of.iter().map(|of| &of.parent).chain(&table.inherits) {
            children.entry(parent.quoted()).or_default().push(table.name.clone());
        }
    }
    // Names as the steps before have left them: a table's or constraint's
    // name now → its name in `from`, and back.
    let mut original_table: HashMap<String, QualifiedName> = HashMap::new();
    let mut current_table: HashMap<QualifiedName, QualifiedName> = HashMap::new();
    let mut original_constraint: HashMap<(String, String), String> = HashMap::new();
    // Foreign keys and tables the steps before have dropped, by their names
    // in `from`.
    let mut dropped_keys: HashSet<(String, String)> = HashSet::new();
    let mut dropped_tables: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(plan.steps.len());
    for step in &plan.steps {
        let now = |name: &QualifiedName| current_table.get(name).unwrap_or(name).clone();
        let was = |quoted: &str| {
            original_table
                .get(quoted)
                .map_or(quoted.to_string(), QualifiedName::quoted)
        };
        let resolve = |lock: Lock| -> Vec<Lock> {
            let relation = |mode: LockMode, name: &QualifiedName| Lock {
                mode,
                on: Target::Relation(now(name).quoted()),
            };
            match &lock.on {
                Target::Relation(_) => vec![lock],
                Target::TableOfIndex(index) => match index_tables.get(index).copied() {
                    Some(table) => vec![relation(lock.mode, table)],
                    None => match step.change.table().or(match &step.change {
                        Change::DropViewIndex { view, .. } => Some(view),
                        _ => None,
                    }) {
                        Some(table) => vec![Lock {
                            mode: lock.mode,
                            on: Target::Relation(table.quoted()),
                        }],
                        None => vec![lock],
                    },
                },
                Target::UsersOfDomain(domain) => tables
                    .values()
                    .filter(|table| {
                        table.columns.iter().any(|column| {
                            matches!(&column.data_type.value.name, TypeName::User(name) if &name.quoted() == domain)
                        })
                    })
                    .map(|table| relation(lock.mode, &table.name))
                    .collect(),
                Target::ParentOf(partition) => {
                    let original = was(partition);
                    let found = tables
                        .get(&original)
                        .copied()
                        .or_else(|| new_tables.get(partition).copied());
                    found
                        .and_then(|t| t.partition_of.as_ref())
                        .filter(|of| !dropped_tables.contains(&of.parent.quoted()))
                        .map(|of| relation(lock.mode, &of.parent))
                        .into_iter()
                        .collect()
                }
                Target::DefaultPartitionOf(table) => {
                    let parent = was(table);
                    let parent = tables
                        .get(&parent)
                        .or_else(|| new_tables.get(table))
                        .map(|t| t.name.clone());
                    parent
                        .and_then(|parent| {
                            crate::plan::default_partition(plan.from, &parent)
                                .or_else(|| crate::plan::default_partition(plan.to, &parent))
                        })
                        .filter(|default| !dropped_tables.contains(&default.quoted()))
                        .map(|default| relation(lock.mode, default))
                        .into_iter()
                        .collect()
                }
                Target::InheritorsOf(table) => {
                    let original = was(table);
                    let mut found: Vec<Lock> = Vec::new();
                    let mut seen: HashSet<String> = HashSet::from([original.clone()]);
                    let mut left = vec![original];
                    while let Some(parent) = left.pop() {
                        for child in children.get(&parent).into_iter().flatten() {
                            let quoted = child.quoted();
                            if seen.insert(quoted.clone()) && !dropped_tables.contains(&quoted) {
                                found.push(relation(lock.mode, child));
                                left.push(quoted);
                            }
                        }
                    }
                    found
                }
                Target::ReferencedByPartitions(table) => {
                    let mut lineage: Vec<&Table> = Vec::new();
                    let mut next = Some(was(table));
                    while let Some(name) = next.take() {
                        let Some(found) = tables.get(&name).or_else(|| new_tables.get(&name)) else {
                            break;
                        };
                        lineage.push(found);
                        next = found
                            .partition_of
                            .as_ref()
                            .map(|of| of.parent.quoted())
                            .filter(|_| lineage.len() < 32);
                    }
                    let mut referenced: Vec<Lock> = Vec::new();
                    for table in &lineage {
                        for key in table.constraints.values() {
                            if let ConstraintKind::ForeignKey(key) = &key.kind {
                                let lock = relation(lock.mode, &key.referenced_table.value);
                                if !lineage.iter().any(|t| t.name == key.referenced_table.value)
                                    && !dropped_tables.contains(&key.referenced_table.value.quoted())
                                    && !referenced.contains(&lock)
                                {
                                    referenced.push(lock);
                                }
                            }
                        }
                    }
                    referenced
                }
                Target::ReferencedBy { table, constraint } => {
                    let original = was(table);
                    // A table the plan makes has its keys in `to`.
                    let Some(found) = tables
                        .get(&original)
                        .copied()
                        .or_else(|| new_tables.get(table).copied())
                    else {
                        return Vec::new();
                    };
                    let constraint = constraint.as_ref().map(|c| {
                        original_constraint
                            .get(&(table.clone(), c.clone()))
                            .cloned()
                            .unwrap_or_else(|| c.clone())
                    });
                    let mut referenced: Vec<Lock> = Vec::new();
                    for (name, key) in &found.constraints {
                        let name = name.quoted();
                        if constraint.as_ref().is_some_and(|c| c != &name)
                            || dropped_keys.contains(&(original.clone(), name))
                        {
                            continue;
                        }
                        if let ConstraintKind::ForeignKey(key) = &key.kind {
                            let to = &key.referenced_table.value;
                            let lock = relation(lock.mode, to);
                            if to != &found.name
                                && !dropped_tables.contains(&to.quoted())
                                && !referenced.contains(&lock)
                            {
                                referenced.push(lock);
                            }
                        }
                    }
                    referenced
                }
            }
        };
        let statements: Vec<Vec<Lock>> = step_statements(step, plan)
            .iter()
            .map(|statement| {
                crate::revision::locks::locks(&statement.sql)
                    .into_iter()
                    .flat_map(resolve)
                    .filter(|lock| !matches!(&lock.on, Target::Relation(name) if created.contains(name)))
                    .collect()
            })
            .collect();
        out.push(statements);
        let original = |name: &QualifiedName| original_table.get(&name.quoted()).unwrap_or(name).clone();
        let (child, parent, inherits) = match &step.change {
            Change::SetInherit { table, parent, inherit } => (Some(table), Some(parent), *inherit),
            Change::AttachPartition { table, parent, .. } => (Some(table), Some(parent), true),
            Change::DetachPartition { table, parent } => (Some(table), Some(parent), false),
            _ => (None, None, false),
        };
        if let (Some(child), Some(parent)) = (child, parent) {
            let (child, parent) = (original(child), original(parent).quoted());
            let under = children.entry(parent).or_default();
            under.retain(|c| c != &child);
            if inherits {
                under.push(child);
            }
        }
        if let Change::CreateTable(table) = &step.change {
            for parent in table.partition_of.iter().map(|of| &of.parent).chain(&table.inherits) {
                let parent = original(parent).quoted();
                children.entry(parent).or_default().push(table.name.clone());
            }
        }
        match &step.change {
            Change::DropConstraint { table, constraint } => {
                let name = original_constraint
                    .get(&(table.quoted(), constraint.name.quoted()))
                    .cloned()
                    .unwrap_or_else(|| constraint.name.quoted());
                dropped_keys.insert((was(&table.quoted()), name));
            }
            Change::DropTable(table) => {
                dropped_tables.insert(was(&table.name.quoted()));
            }
            Change::RenameTable { from, to } => {
                let original = original_table.remove(&from.quoted()).unwrap_or_else(|| from.clone());
                original_table.insert(to.quoted(), original.clone());
                current_table.insert(original, to.clone());
            }
            Change::RenameConstraint { table, from, to } => {
                let key = (table.quoted(), from.quoted());
                let original = original_constraint.remove(&key).unwrap_or(key.1);
                original_constraint.insert((table.quoted(), to.quoted()), original);
            }
            _ => {}
        }
    }
    out
}

/// The whole plan: a header, then each step with its description and
/// findings as comments above its statements. This is a revision's part,
/// which trellisc runs in transactions of its own.
pub fn render_plan(plan: &Plan) -> String {
    render(plan, false)
}

/// The plan as a script to run as it is (`diff | psql`): in one
/// transaction, so that a statement that fails leaves nothing of the plan
/// behind; a statement PostgreSQL refuses inside a transaction block
/// (`CREATE INDEX CONCURRENTLY`) runs between transactions, and a
/// validation in one of its own (the locks taken before it released, as
/// `upgrade` runs it), each in its place.
pub fn render_script(plan: &Plan) -> String {
    render(plan, true)
}

fn render(plan: &Plan, in_transactions: bool) -> String {
    let mut out = String::new();
    if plan.steps.is_empty() {
        return "-- no changes\n".into();
    }
    let which = match plan.direction {
        Direction::Upgrade => "upgrade",
        Direction::Downgrade => "downgrade",
    };
    out.push_str(&format!("-- trellisc {which}: {} step(s)\n", plan.steps.len()));
    let mut open = false;
    for (i, step) in plan.steps.iter().enumerate() {
        // Names, messages and help come from sources and databases: one
        // line each, whatever they hold, so none can end the comment.
        out.push_str(&format!(
            "\n-- step {}: {}\n",
            i + 1,
            printable(&describe(&step.change))
        ));
        for &f in &step.findings {
            let finding = &plan.findings[f];
            out.push_str(&format!(
                "-- {}: {}\n",
                finding.kind.label().to_uppercase(),
                printable(&finding.message)
            ));
            if let Some(help) = &finding.help {
                out.push_str(&format!("--   {}\n", printable(help)));
            }
        }
        if let Some(impact) = &step.impact {
            out.push_str(&format!("-- IMPACT: {}\n", printable(&impact.words())));
        }
        for statement in step_statements(step, plan) {
            let alone = statement.transactional && crate::revision::split::runs_alone(&statement.sql);
            if in_transactions && open && (!statement.transactional || alone) {
                out.push_str("COMMIT;\n");
                open = false;
            }
            if in_transactions && statement.transactional && !open {
                out.push_str("BEGIN;\n");
                open = true;
            }
            if !statement.transactional {
                out.push_str("-- (runs outside a transaction)\n");
            }
            out.push_str(&statement.sql);
            out.push('\n');
            if in_transactions && alone {
                out.push_str("COMMIT;\n");
                open = false;
            }
        }
    }
    if open {
        out.push_str("COMMIT;\n");
    }
    out
}

/// `value` (of a column's old type `from`) cast to its new type `to`, as
/// a type change without `using` converts it. PostgreSQL casts an enum to
/// nothing but text: to another enum (or any other type) it goes by way of
/// its label.
pub fn cast_to_new_type(value: &str, from: &SqlType, to: &SqlType, plan: &Plan) -> String {
    let native_enum = matches!(&from.name, TypeName::User(name)
        if plan.from.enums.get(name).is_some_and(|e| e.storage == EnumStorage::Native));
    let via = if native_enum && to.name != TypeName::Builtin("text".into()) {
        format!("::text{}", "[]".repeat(from.array_dims as usize))
    } else {
        String::new()
    };
    format!("{value}{via}::{}", type_sql(to, plan.to))
}
