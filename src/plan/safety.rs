//! Safety findings: what can lose data (destructive), what can fail or lock
//! a busy table (risky), what a downgrade cannot bring back (irreversible),
//! and drops that look like undeclared renames.

use super::conversion::{Rewrite, conversion};
use super::volatility::{Volatility, volatility};
use super::{Direction, PlanOptions, Step};
use crate::diff::Change;
use crate::ir::*;

/// The kinds of finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingKind {
    /// Can lose data: refused unless allowed.
    Destructive,
    /// Can fail or hold a lock on a busy table.
    Risky,
    /// A downgrade step that cannot restore what the upgrade removed.
    Irreversible,
    /// A drop and an add of the same shape: probably a rename without `was`.
    LikelyRename,
    /// Worth knowing, neither risky nor destructive.
    Note,
}

impl FindingKind {
    /// The word shown in summaries and SQL comments.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::Destructive => "destructive",
            FindingKind::Risky => "risky",
            FindingKind::Irreversible => "irreversible",
            FindingKind::LikelyRename => "likely rename",
            FindingKind::Note => "note",
        }
    }
}

/// Something the user should know about a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Where in the source the changed object is declared (when known).
    pub origin: Origin,
    /// The step it concerns.
    pub step: usize,
}

pub(super) fn analyse(
    steps: &mut [Step],
    from: &Schema,
    to: &Schema,
    direction: Direction,
    options: PlanOptions,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let mut add = |kind, message: String, help: Option<String>, origin: Origin| {
            findings.push(Finding {
                kind,
                message,
                help,
                origin,
                step: i,
            });
        };
        let destructive_kind = FindingKind::Destructive;
        match &step.change {
            // Its rows are computed again: the query runs, reading what it
            // reads, while the view is locked.
            Change::CreateView(view) if view.materialized && steps.iter().any(|s| matches!(&s.change, Change::DropView(old) if old.name == view.name)) => add(
                FindingKind::Risky,
                format!(
                    "makes materialized view {} again: its query runs now to fill it, under an ACCESS EXCLUSIVE lock on the view",
                    view.name
                ),
                Some("on a big view, plan this for a quiet time; its rows are the query's, as after REFRESH MATERIALIZED VIEW".into()),
                view.origin,
            ),
            Change::DropTable(table) => add(
                destructive_kind,
                format!("drops table {} and all its rows", table.name),
                Some(format!("if it was renamed, write `table NEW_NAME was {}`", table.name)),
                table_origin(to, &table.name).unwrap_or(table.origin),
            ),
            Change::DropAttribute { composite, attribute } => add(
                destructive_kind,
                format!(
                    "drops attribute {} of type {composite} and its values in every column of that type",
                    attribute.name.as_str()
                ),
                Some(format!(
                    "if it was renamed, add `was {}` to the new attribute",
                    attribute.name.as_str()
                )),
                to.composites.get(composite).map_or(attribute.origin, |c| c.origin),
            ),
            Change::DropColumn { table, column } if column.generated.is_none() => {
                let replaced = steps.iter().any(|s| matches!(&s.change, Change::AddColumn { table: t, column: c } if t == table && c.name == column.name));
                if !replaced {
                    add(
                        destructive_kind,
                        format!("drops column {}.{} and its values", table, column.name.as_str()),
                        Some(format!(
                            "if it was renamed, add `was {}` to the new column",
                            column.name.as_str()
                        )),
                        table_origin(to, table).unwrap_or(column.origin),
                    );
                }
            }
            Change::DropSequence(sequence) if sequence.owned_by.is_none() => add(
                destructive_kind,
                format!("drops sequence {} and its current value", sequence.name),
                Some(format!(
                    "if it was renamed, write `sequence NEW_NAME was {}`",
                    sequence.name
                )),
                sequence.origin,
            ),
            Change::GuardEnumLabel {
                table,
                column,
                enum_name,
                label,
            } => add(
                destructive_kind,
                format!(
                    "removes label '{label}' of enum {enum_name}; the revision stops before changing anything if rows of {table}.{} still hold it",
                    column.as_str()
                ),
                Some(format!(
                    "if the label was renamed, write `'NEW' was '{label}'`; else move those rows first"
                )),
                to.enums.get(enum_name).map_or(Origin(None), |e| e.origin),
            ),
            Change::UpdateEnumLabel {
                table,
                column,
                from,
                to: label,
            } => add(
                FindingKind::Risky,
                format!(
                    "updates the rows of {table}.{} that hold '{from}' to '{label}' (row locks while it runs)",
                    column.as_str()
                ),
                None,
                table_origin(to, table).unwrap_or(Origin(None)),
            ),
            Change::RebuildComposite {
                old,
                new,
                from,
                columns,
            } => {
                if let Some(rewrite) = rewrites(columns) {
                    add(FindingKind::Risky, rewrite, None, new.origin);
                }
                for attribute in old.attributes.iter().filter(|a| !from.iter().flatten().any(|f| *f == a.name)) {
                    add(
                        destructive_kind,
                        format!(
                            "drops attribute {} of type {} and its values in every column of that type",
                            attribute.name.as_str(),
                            new.name
                        ),
                        Some(format!(
                            "if it was renamed, add `was {}` to the new attribute",
                            attribute.name.as_str()
                        )),
                        new.origin,
                    );
                }
            }
            Change::RecreateRange {
                new,
                columns,
                multiranges,
                ..
            } => {
                let all: Vec<crate::diff::ConvertedColumn> = columns.iter().chain(multiranges).cloned().collect();
                if let Some(rewrite) = rewrites(&all) {
                    add(FindingKind::Risky, rewrite, None, new.origin);
                }
            }
            Change::RecreateEnum { old, new, columns } => {
                if let Some(rewrite) = rewrites(columns) {
                    add(FindingKind::Risky, rewrite, None, new.origin);
                }
                let removed: Vec<&str> = old
                    .labels
                    .iter()
                    .filter(|l| {
                        !new.labels
                            .iter()
                            .any(|n| n.name == l.name || n.was.as_ref().is_some_and(|w| w.value == l.name))
                    })
                    .map(|l| l.name.as_str())
                    .collect();
                if !removed.is_empty() {
                    add(
                        destructive_kind,
                        format!(
                            "removes label(s) {} from enum {}; rows holding them make the step fail",
                            quote_list(&removed),
                            new.name
                        ),
                        Some("if a label was renamed, write `'new' was 'old'`".into()),
                        new.origin,
                    );
                }
            }
            Change::AlterColumnType {
                table,
                column,
                from: old,
                to: new,
                ..
            } => match enum_labels_lost(from, to, old, new) {
                // Between two native enums, what matters is the labels.
                Some(lost) if lost.is_empty() => add(
                    FindingKind::Risky,
                    format!(
                        "changes {}.{} from {old} to {new}, which has every label: rewrites the table under an ACCESS EXCLUSIVE lock",
                        table,
                        column.as_str()
                    ),
                    None,
                    column_origin(to, table, column),
                ),
                Some(lost) => add(
                    destructive_kind,
                    format!(
                        "changes {}.{} from {old} to {new}, which has no label {}: rows holding it make the change fail",
                        table,
                        column.as_str(),
                        lost.join(", ")
                    ),
                    Some("add the labels to the new enum first, or allow it with --allow-destructive".into()),
                    column_origin(to, table, column),
                ),
                None => {
                    let cost = conversion(old, new);
                    let rewrite = match cost.rewrite {
                        Rewrite::Yes => ": rewrites the table under an ACCESS EXCLUSIVE lock",
                        Rewrite::UnlessUtc => {
                            ": rewrites the table under an ACCESS EXCLUSIVE lock unless the session's TimeZone is UTC"
                        }
                        Rewrite::No | Rewrite::Unknown => "",
                    };
                    if cost.narrowing {
                        add(
                            destructive_kind,
                            format!(
                                "narrows {}.{} from {old} to {new}: values that do not fit make it fail or are cut{}",
                                table,
                                column.as_str(),
                                rewrite.replacen(':', ";", 1)
                            ),
                            Some("keep a type every value fits in, or allow it with --allow-destructive".into()),
                            column_origin(to, table, column),
                        )
                    } else if !rewrite.is_empty() {
                        add(
                            FindingKind::Risky,
                            format!("changes {}.{} from {old} to {new}{rewrite}", table, column.as_str()),
                            (cost.rewrite == Rewrite::UnlessUtc).then(|| {
                                "each value is read as a local time of the session's TimeZone: set it to the zone the values were written in".to_string()
                            }),
                            column_origin(to, table, column),
                        )
                    }
                }
            },
            Change::AddDomainCheck { domain, check }
                if !check.not_valid && !options.online && from.domains.contains_key(domain) =>
            {
                add(
                    FindingKind::Risky,
                    format!(
                        "adds check {} to domain {domain}: reads every column of the type and fails if a value does not pass",
                        check.name
                    ),
                    Some("with --online it is added NOT VALID and validated separately".into()),
                    check.origin,
                )
            }
            Change::SetDomainNotNull { name, not_null: true } => add(
                FindingKind::Risky,
                format!("sets domain {name} not null: reads every column of the type and fails if one holds null"),
                None,
                to.domains.get(name).map(|d| d.origin).unwrap_or_default(),
            ),
            Change::RecreateDomain { new, columns, .. } if !columns.is_empty() => add(
                FindingKind::Risky,
                format!(
                    "recreates domain {} with type {}: rewrites {} column(s) of it under an ACCESS EXCLUSIVE lock",
                    new.name,
                    new.data_type,
                    columns.len()
                ),
                None,
                new.origin,
            ),
            Change::SetNotNull { table, column } if existed(from, table) => add(
                FindingKind::Risky,
                format!(
                    "sets {}.{} not null: scans the table and fails if a row holds null",
                    table,
                    column.as_str()
                ),
                (!options.online).then(|| "with --online, a validated check is used first".to_string()),
                column_origin(to, table, column),
            ),
            Change::AddColumn { table, column }
                if existed(from, table)
                    && column.not_null
                    && column.default.is_none()
                    && column.identity.is_none()
                    && column.generated.is_none() =>
            {
                add(
                    FindingKind::Risky,
                    format!(
                        "adds not-null column {}.{} without a default: fails if the table has rows",
                        table,
                        column.name.as_str()
                    ),
                    Some("give the column a default, or add it nullable, fill it, then make it not null".into()),
                    column.origin,
                )
            }
            Change::AddConstraint { table, constraint }
                if constraint.not_valid
                    && from
                        .tables
                        .get(table)
                        .and_then(|t| t.constraints.get(&constraint.name))
                        .is_some_and(|c| !c.not_valid) =>
            {
                add(
                    FindingKind::Note,
                    format!(
                        "constraint {} of {table} is dropped and added NOT VALID: PostgreSQL cannot mark a validated constraint not valid; rows already there are no longer checked by it",
                        constraint.name.as_str()
                    ),
                    None,
                    constraint.origin,
                )
            }
            Change::AttachPartition { table, parent, .. } if existed(from, table) => add(
                FindingKind::Risky,
                format!(
                    "attaches {table} to {parent}: checks every row of {table} against its bound (and any default partition's rows) under a lock"
                ),
                None,
                Origin::default(),
            ),
            Change::DetachPartition { parent, .. }
                if super::detaches_concurrently(from, &options, parent) && options.postgres.is_none() =>
            {
                add(
                    FindingKind::Note,
                    format!("detaches a partition of {parent} concurrently, which needs PostgreSQL 14 or later"),
                    Some("with `postgres = 13` in trellis.toml (or against a database) it is detached plainly on 13".to_string()),
                    Origin::default(),
                )
            }
            Change::DetachPartition { parent, .. } if super::detaches_concurrently(from, &options, parent) => {}
            Change::DetachPartition { table, parent } => add(
                FindingKind::Risky,
                format!(
                    "detaches {table} from {parent} under an ACCESS EXCLUSIVE lock on both (not concurrently): queries on {parent} no longer see its rows"
                ),
                Some(match (options.online, super::default_partition(from, parent), options.postgres) {
                    (false, _, _) => "with --online it is detached concurrently (PostgreSQL 14 or later), where the parent has no default partition".to_string(),
                    (true, Some(default), _) => format!(
                        "PostgreSQL detaches concurrently only from a parent without a default partition ({default} is one)"
                    ),
                    (true, None, major) => format!(
                        "PostgreSQL {} has no DETACH ... CONCURRENTLY (14 has)",
                        major.unwrap_or_default()
                    ),
                }),
                Origin::default(),
            ),
            Change::ReplaceCheck { table, new, .. } if !options.online => add(
                FindingKind::Risky,
                format!(
                    "replaces constraint {} of {table}: checks every row under a lock",
                    new.name.as_str()
                ),
                Some(
                    "with --online the new check is added NOT VALID and validated before the old one goes".to_string(),
                ),
                new.origin,
            ),
            Change::AddConstraint { table, constraint } if existed(from, table) => match &constraint.kind {
                ConstraintKind::ForeignKey(_) | ConstraintKind::Check { .. } | ConstraintKind::EnumCheck { .. }
                    if !constraint.not_valid =>
                {
                    add(
                        FindingKind::Risky,
                        format!(
                            "adds constraint {} to {table}: checks every row under a lock",
                            constraint.name.as_str()
                        ),
                        (!options.online)
                            .then(|| "with --online it is added NOT VALID and validated separately".to_string()),
                        constraint.origin,
                    )
                }
                ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. } | ConstraintKind::Exclusion(_) => {
                    add(
                        FindingKind::Risky,
                        format!(
                            "adds constraint {} to {table}: builds an index while holding a lock",
                            constraint.name.as_str()
                        ),
                        None,
                        constraint.origin,
                    )
                }
                _ => {}
            },
            Change::CreateIndex { table, index } if existed(from, table) && !options.online => add(
                FindingKind::Risky,
                format!(
                    "builds index {} on {table}: blocks writes while it builds",
                    index.name.as_str()
                ),
                Some("with --online it is built concurrently".into()),
                index.origin,
            ),
            Change::SetAccessMethod { table, method } if existed(from, table) => add(
                FindingKind::Risky,
                format!(
                    "sets the access method of {table} to {}: rewrites the table under an exclusive lock",
                    method.as_ref().map_or("heap", Ident::as_str)
                ),
                None,
                table_origin(to, table).unwrap_or_default(),
            ),
            Change::SetTablespace { table, tablespace } if existed(from, table) => add(
                FindingKind::Risky,
                format!(
                    "moves {table} to tablespace {}: copies the table under an exclusive lock",
                    tablespace.as_ref().map_or("pg_default", Ident::as_str)
                ),
                None,
                table_origin(to, table).unwrap_or_default(),
            ),
            Change::SetLogged { table, unlogged } => add(
                FindingKind::Risky,
                format!(
                    "makes {table} {}: rewrites the table",
                    if *unlogged { "unlogged" } else { "logged" }
                ),
                None,
                table_origin(to, table).unwrap_or_default(),
            ),
            _ => {}
        }
        if let Change::AddColumn { table, column } = &step.change {
            if existed(from, table) {
                if let Some((message, help)) = added_column_rewrite(to, table, column) {
                    findings.push(Finding {
                        kind: FindingKind::Risky,
                        message,
                        help,
                        origin: column.origin,
                        step: i,
                    });
                }
            }
        }
        if let Change::AddColumn { table, column } = &step.change {
            if let Some(before) = column_lands_before(from, to, table, &column.name) {
                findings.push(Finding {
                    kind: FindingKind::Note,
                    message: format!(
                        "column {table}.{} goes at the end of the table: PostgreSQL cannot place it before {before} as the schema does (the data is the same; `pg_dump` lists the columns in another order than a new database would have)",
                        column.name.as_str()
                    ),
                    help: Some("to keep the order the same everywhere, declare new columns last".into()),
                    origin: column.origin,
                    step: i,
                });
            }
        }
        if direction == Direction::Downgrade {
            irreversible(step, i, from, &mut findings);
        }
    }
    if direction == Direction::Upgrade {
        // A hint only helps where the user writes it: in the target schema.
        likely_renames(steps, to, &mut findings);
    }
    findings.sort_by_key(|f| (f.step, f.kind));
    for (index, finding) in findings.iter().enumerate() {
        steps[finding.step].findings.push(index);
    }
    findings
}

/// Downgrade steps that bring back an object the upgrade removed: its data
/// is gone.
fn irreversible(step: &Step, i: usize, from: &Schema, findings: &mut Vec<Finding>) {
    let mut add = |message: String| {
        findings.push(Finding {
            kind: FindingKind::Irreversible,
            message,
            help: None,
            origin: Origin::default(),
            step: i,
        });
    };
    match &step.change {
        Change::CreateTable(table) => add(format!(
            "table {} comes back empty: the upgrade dropped its rows",
            table.name
        )),
        Change::AddColumn { table, column } if column.generated.is_none() && column.identity.is_none() => add(format!(
            "column {}.{} comes back empty: the upgrade dropped its values",
            table,
            column.name.as_str()
        )),
        Change::AlterExtensionVersion {
            name,
            version: Some(version),
        } => {
            let current = from.extensions.get(name).and_then(|e| e.version.clone());
            if current.as_deref().is_some_and(|c| version_is_older(version, c)) {
                add(format!(
                    "extension {name} cannot go back to version {version}: it stays at {}",
                    current.unwrap_or_default()
                ));
            }
        }
        Change::CreateSequence(sequence) if sequence.owned_by.is_none() => add(format!(
            "sequence {} restarts at {}: the upgrade dropped its position",
            sequence.name, sequence.options.start
        )),
        Change::AlterColumnType {
            table,
            column,
            from: old,
            to: new,
            ..
        } if conversion(new, old).narrowing && !is_enum(from, old) && !is_enum(from, new) => add(format!(
            "{}.{} becomes {new} again, but values the upgrade cut to {old} stay cut",
            table,
            column.as_str()
        )),
        Change::AddEnumLabel { enum_name, label, .. } => add(format!(
            "label '{label}' is added back to enum {enum_name}, but no row holds it: rows that held it were changed before the upgrade could remove it"
        )),
        Change::RecreateEnum { old, new, .. } => {
            let restored: Vec<&str> = new
                .labels
                .iter()
                .filter(|l| !old.labels.iter().any(|o| o.name == l.name))
                .map(|l| l.name.as_str())
                .collect();
            if !restored.is_empty() {
                add(format!(
                    "label(s) {} come back to enum {}, with no rows holding them",
                    quote_list(&restored),
                    new.name
                ));
            }
        }
        _ => {}
    }
}

/// A dropped column and an added one of the same type in one table (or a
/// dropped and a created table with the same columns), with no `was`.
fn likely_renames(steps: &[Step], to: &Schema, findings: &mut Vec<Finding>) {
    for (i, step) in steps.iter().enumerate() {
        match &step.change {
            Change::AddColumn { table, column } => {
                let twin = steps.iter().find_map(|s| match &s.change {
                    Change::DropColumn { table: t, column: c }
                        if t == table && c.data_type.value == column.data_type.value && c.name != column.name =>
                    {
                        Some(c)
                    }
                    _ => None,
                });
                if let Some(old) = twin {
                    findings.push(Finding {
                        kind: FindingKind::LikelyRename,
                        message: format!(
                            "column {}.{} is dropped and {} of the same type is added",
                            table,
                            old.name.as_str(),
                            column.name.as_str()
                        ),
                        help: Some(format!(
                            "if it is a rename, write `{} {} was {}` to keep the data",
                            column.name.as_str(),
                            column.data_type.value,
                            old.name.as_str()
                        )),
                        origin: column.origin,
                        step: i,
                    });
                }
            }
            Change::CreateTable(table) => {
                let shape = |t: &Table| {
                    t.columns
                        .iter()
                        .map(|c| (c.name.clone(), c.data_type.value.clone()))
                        .collect::<Vec<_>>()
                };
                // Partitions have no columns of their own: their shapes say
                // nothing. A table made anew under its name (a new partition
                // key) is no rename, nor is one dropped to be made anew.
                let remade = |name: &QualifiedName| {
                    to.tables.contains_key(name)
                        && steps
                            .iter()
                            .any(|s| matches!(&s.change, Change::DropTable(t) if &t.name == name))
                };
                let twin = steps.iter().find_map(|s| match &s.change {
                    Change::DropTable(old)
                        if !table.columns.is_empty()
                            && shape(old) == shape(table)
                            && !remade(&table.name)
                            && !remade(&old.name) =>
                    {
                        Some(old)
                    }
                    _ => None,
                });
                if let Some(old) = twin {
                    findings.push(Finding {
                        kind: FindingKind::LikelyRename,
                        message: format!(
                            "table {} is dropped and {} with the same columns is created",
                            old.name, table.name
                        ),
                        help: Some(format!(
                            "if it is a rename, write `table {} was {}` to keep the data",
                            table.name, old.name
                        )),
                        origin: table_origin(to, &table.name).unwrap_or(table.origin),
                        step: i,
                    });
                }
            }
            _ => {}
        }
    }
}

fn quote_list(labels: &[&str]) -> String {
    labels.iter().map(|l| format!("'{l}'")).collect::<Vec<_>>().join(", ")
}

fn existed(schema: &Schema, table: &QualifiedName) -> bool {
    schema.tables.contains_key(table)
}

fn table_origin(schema: &Schema, table: &QualifiedName) -> Option<Origin> {
    schema.tables.get(table).map(|t| t.origin).filter(|o| o.0.is_some())
}

fn column_origin(schema: &Schema, table: &QualifiedName, column: &Ident) -> Origin {
    schema
        .tables
        .get(table)
        .and_then(|t| t.column(column))
        .map(|c| c.data_type.origin)
        .unwrap_or_default()
}

/// Whether adding a column to a table with rows rewrites it, and why (with
/// what to do instead). Since PostgreSQL 11 a stable or immutable default
/// is stored once in the catalog; anything computed per row, or checked
/// per row by a domain, is written into every row.
fn added_column_rewrite(to: &Schema, table: &QualifiedName, column: &Column) -> Option<(String, Option<String>)> {
    let name = format!("{table}.{}", column.name.as_str());
    let lock = "rewrites the table under an ACCESS EXCLUSIVE lock";
    if column.identity.is_some() {
        return Some((
            format!("adds identity column {name}: {lock}, numbering every row"),
            None,
        ));
    }
    if column.generated.is_some() && column.generated_kind == GeneratedKind::Virtual {
        // Computed when read: nothing is written into the rows.
        return None;
    }
    if column.generated.is_some() {
        return Some((
            format!("adds generated column {name}: {lock}, computing it for every row"),
            None,
        ));
    }
    let domain = match &column.data_type.name {
        TypeName::User(type_name) if column.data_type.array_dims == 0 => to.domains.get(type_name),
        _ => None,
    };
    if let Some(domain) = domain.filter(|d| d.not_null || !d.checks.is_empty()) {
        return Some((
            format!(
                "adds column {name} of domain {}, which has constraints: {lock}, checking every row",
                domain.name
            ),
            None,
        ));
    }
    let default = column
        .default
        .as_ref()
        .map(|d| &d.value)
        .or_else(|| domain.and_then(|d| d.default.as_ref()))?;
    let help = Some(if column.not_null {
        "to leave the table as it is, add the column nullable without this default, set the default, fill the existing rows in batches, then make it not null".to_string()
    } else {
        "to leave the table as it is, add the column without this default, set the default, then fill the existing rows in batches".to_string()
    });
    match volatility(default) {
        Volatility::Stable => None,
        Volatility::Volatile => Some((
            format!(
                "adds column {name} with the volatile default {}: {lock}, computing it for every row",
                default.0
            ),
            help,
        )),
        Volatility::Unknown => Some((
            format!(
                "adds column {name} with the default {}, which calls a function that may be volatile: if it is, {lock}, computing it for every row",
                default.0
            ),
            help,
        )),
    }
}

/// Whether version `a` is older than `b` (dotted numbers compared part by
/// part; anything else compared as text).
pub fn version_is_older(a: &str, b: &str) -> bool {
    let parts = |v: &str| v.split(['.', '-']).map(|p| p.parse::<u64>().ok()).collect::<Vec<_>>();
    let (pa, pb) = (parts(a), parts(b));
    if pa.iter().chain(&pb).all(Option::is_some) {
        return pa < pb;
    }
    a < b
}

/// For a column moving from one native enum type to another: the labels of
/// the old type that the new one lacks (quoted). None for other types.
fn enum_labels_lost(from: &Schema, to: &Schema, old: &SqlType, new: &SqlType) -> Option<Vec<String>> {
    let native = |schema: &Schema, t: &SqlType| match &t.name {
        TypeName::User(name) => schema
            .enums
            .get(name)
            .filter(|e| e.storage == EnumStorage::Native)
            .cloned(),
        TypeName::Builtin(_) => None,
    };
    let (before, after) = (native(from, old)?, native(to, new)?);
    if old.array_dims != new.array_dims {
        return None;
    }
    Some(
        before
            .labels
            .iter()
            .filter(|l| !after.labels.iter().any(|a| a.name == l.name))
            .map(|l| format!("'{}'", l.name))
            .collect(),
    )
}

/// Whether a type is an enum of the schema: a cast to or from one either
/// fails or keeps every value, it never cuts one.
fn is_enum(schema: &Schema, data_type: &SqlType) -> bool {
    matches!(&data_type.name, TypeName::User(name) if schema.enums.contains_key(name))
}

/// For a column added to a table that exists: the first column of the
/// database's table that the schema places after it, if any. PostgreSQL
/// only appends columns.
fn column_lands_before(from: &Schema, to: &Schema, table: &QualifiedName, column: &Ident) -> Option<String> {
    let existing = from.tables.get(table)?;
    let columns = &to.tables.get(table)?.columns;
    let at = columns.iter().position(|c| c.name == *column)?;
    columns[at + 1..]
        .iter()
        .find(|c| {
            existing.column(&c.name).is_some() || c.was.as_ref().is_some_and(|w| existing.column(&w.value).is_some())
        })
        .map(|c| c.name.as_str().to_string())
}

/// What converting columns to a type made anew costs, if there are any.
fn rewrites(columns: &[crate::diff::ConvertedColumn]) -> Option<String> {
    if columns.is_empty() {
        return None;
    }
    let tables: std::collections::BTreeSet<String> = columns.iter().map(|c| c.table.to_string()).collect();
    let tables: Vec<String> = tables.into_iter().collect();
    Some(format!(
        "rewrites table(s) {} under an ACCESS EXCLUSIVE lock: their column(s) {} change type",
        tables.join(", "),
        columns
            .iter()
            .map(|c| format!("{}.{}", c.table, c.column.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}
