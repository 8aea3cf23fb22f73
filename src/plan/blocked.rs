//! Steps PostgreSQL would refuse because an object trellisc does not manage
//! (a view, a trigger, a policy, a SQL-bodied routine) uses what they drop
//! or retype. Found before any SQL is written or run.

use std::collections::BTreeMap;

use super::Plan;
use crate::diff::Change;
use crate::ir::*;

/// Which view, trigger or routine a dependent object is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DependentKey {
    View(QualifiedName),
    Trigger {
        table: QualifiedName,
        name: Ident,
    },
    /// By name: any of its overloads.
    Routine(QualifiedName),
    Policy {
        table: QualifiedName,
        name: Ident,
    },
}

impl DependentKey {
    /// Whether the schema declares it: then a plan from that schema drops
    /// and makes it again around what it uses.
    pub fn managed_in(&self, schema: &Schema) -> bool {
        match self {
            DependentKey::View(name) => schema.views.contains_key(name),
            DependentKey::Trigger { table, name } => {
                schema.tables.get(table).is_some_and(|t| t.triggers.contains_key(name))
            }
            DependentKey::Routine(name) => schema.routines.keys().any(|id| &id.name == name),
            DependentKey::Policy { table, name } => {
                schema.tables.get(table).is_some_and(|t| t.policies.contains_key(name))
            }
        }
    }
}

/// What an object uses: a table, or one of its columns (names as
/// they are in the plan's `from` schema, the database).
pub struct Use<'a> {
    pub object: &'a str,
    /// A table, or an enum type or domain when `on_type`.
    pub table: &'a QualifiedName,
    pub column: Option<&'a Ident>,
    pub on_type: bool,
    /// The object has the name `table` rather than using it.
    pub holds_name: bool,
    /// Which view, trigger or routine it is, if one.
    pub key: Option<&'a DependentKey>,
}

/// A step that would fail, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    pub step: usize,
    /// `column orders.total is used by view public.order_totals`.
    pub message: String,
    /// The statement PostgreSQL would refuse.
    pub statement: String,
    /// Refused because the name is taken, not because of a use.
    pub name_taken: bool,
}

/// Every step of an upgrade that an unmanaged object's use would make fail.
pub fn blocked(plan: &Plan, uses: &[Use]) -> Vec<Blocked> {
    // What the plan's own schema declares, it drops and makes again itself.
    let unmanaged: Vec<&Use> = uses
        .iter()
        .filter(|u| !u.key.is_some_and(|k| k.managed_in(plan.from)))
        .collect();
    let uses = unmanaged;
    if uses.is_empty() {
        return Vec::new();
    }
    // Steps name tables and columns as they are after earlier renames:
    // follow those back to the database's names.
    let mut table_was: BTreeMap<&QualifiedName, &QualifiedName> = BTreeMap::new();
    let mut column_was: BTreeMap<(&QualifiedName, &Ident), &Ident> = BTreeMap::new();
    for step in &plan.steps {
        match &step.change {
            Change::RenameTable { from, to } => {
                table_was.insert(to, from);
            }
            Change::RenameColumn { table, from, to } => {
                column_was.insert((table, to), from);
            }
            _ => {}
        }
    }
    let original_table = |t: &QualifiedName| -> QualifiedName { table_was.get(t).map_or(t, |o| *o).clone() };
    let original_column = |t: &QualifiedName, c: &Ident| -> Ident { column_was.get(&(t, c)).map_or(c, |o| *o).clone() };
    let users_of = |table: &QualifiedName, column: Option<&Ident>| -> Vec<&str> {
        let table = original_table(table);
        let column = column.map(|c| original_column(&table, c));
        let mut users: Vec<&str> = uses
            .iter()
            .filter(|u| !u.on_type && !u.holds_name)
            .filter(|u| *u.table == table && (column.is_none() || u.column.is_none() || u.column == column.as_ref()))
            .map(|u| u.object)
            .collect();
        users.dedup();
        users
    };
    let users_of_type = |name: &QualifiedName| -> Vec<&str> {
        let mut users: Vec<&str> = uses
            .iter()
            .filter(|u| u.on_type && u.table == name)
            .map(|u| u.object)
            .collect();
        users.dedup();
        users
    };
    let holder_of = |name: &QualifiedName| -> Vec<&str> {
        uses.iter()
            .filter(|u| u.holds_name && u.table == name)
            .map(|u| u.object)
            .collect()
    };
    let mut out = Vec::new();
    for (i, step) in plan.steps.iter().enumerate() {
        // A name an unmanaged relation has cannot be given to a new one.
        let made = match &step.change {
            Change::CreateTable(table) => Some(("table", table.name.clone(), "CREATE TABLE")),
            Change::CreateSequence(sequence) => Some(("sequence", sequence.name.clone(), "CREATE SEQUENCE")),
            Change::CreateIndex { table, index } => Some((
                "index",
                QualifiedName::new(table.schema.clone(), index.name.clone()),
                "INDEX",
            )),
            _ => None,
        };
        if let Some((kind, name, word)) = made {
            let holders = holder_of(&name);
            if !holders.is_empty() {
                let statement = refused_statement(step, plan, word);
                out.push(Blocked {
                    step: i,
                    message: format!(
                        "{kind} {name} cannot be made: {} has that name, and trellisc does not manage it",
                        holders.join(", ")
                    ),
                    statement,
                    name_taken: true,
                });
            }
        }
        // What is at stake, who uses it, and a word of the statement that
        // would fail.
        let retyped =
            |columns: &mut dyn Iterator<Item = (&QualifiedName, &Ident)>| -> Vec<(String, Vec<&str>, String)> {
                columns
                    .map(|(table, column)| {
                        (
                            format!("column {table}.{}", column.as_str()),
                            users_of(table, Some(column)),
                            format!("ALTER COLUMN {} TYPE", column.quoted()),
                        )
                    })
                    .collect()
            };
        let targets: Vec<(String, Vec<&str>, String)> = match &step.change {
            Change::DropTable(table) => vec![(
                format!("table {}", table.name),
                users_of(&table.name, None),
                "DROP TABLE".into(),
            )],
            Change::DropColumn { table, column } => vec![(
                format!("column {table}.{}", column.name.as_str()),
                users_of(table, Some(&column.name)),
                "DROP COLUMN".into(),
            )],
            Change::AlterColumnType { table, column, .. } => vec![(
                format!("column {table}.{}", column.as_str()),
                users_of(table, Some(column)),
                format!("ALTER COLUMN {} TYPE", column.quoted()),
            )],
            Change::DropEnum(e) if e.storage == EnumStorage::Native => {
                vec![(
                    format!("enum type {}", e.name),
                    users_of_type(&e.name),
                    "DROP TYPE".into(),
                )]
            }
            Change::DropDomain(d) => vec![(
                format!("domain {}", d.name),
                users_of_type(&d.name),
                "DROP DOMAIN".into(),
            )],
            Change::RecreateDomain { old, columns, .. } => {
                let mut targets = retyped(&mut columns.iter().map(|(table, column, _)| (table, column)));
                targets.push((
                    format!("domain {}", old.name),
                    users_of_type(&old.name),
                    "DROP DOMAIN".into(),
                ));
                targets
            }
            Change::RebuildComposite { old, columns, .. } => {
                let mut targets = retyped(&mut columns.iter().map(|c| (&c.table, &c.column)));
                targets.push((
                    format!("type {}", old.name),
                    users_of_type(&old.name),
                    "DROP TYPE".into(),
                ));
                targets
            }
            Change::RecreateRange {
                old,
                columns,
                multiranges,
                ..
            } => {
                let mut targets = retyped(&mut columns.iter().chain(multiranges).map(|c| (&c.table, &c.column)));
                for name in [&old.name, &old.multirange_name()] {
                    targets.push((format!("type {name}"), users_of_type(name), "DROP TYPE".into()));
                }
                targets
            }
            Change::RecreateEnum { old, columns, .. } => {
                let mut targets = retyped(&mut columns.iter().map(|c| (&c.table, &c.column)));
                // The old type is dropped at the end.
                if old.storage == EnumStorage::Native {
                    targets.push((
                        format!("enum type {}", old.name),
                        users_of_type(&old.name),
                        "DROP TYPE".into(),
                    ));
                }
                targets
            }
            _ => Vec::new(),
        };
        for (what, users, word) in targets {
            if users.is_empty() {
                continue;
            }
            let statement = refused_statement(step, plan, &word);
            out.push(Blocked {
                step: i,
                message: format!("{what} is used by {}, which trellisc does not manage", users.join(", ")),
                statement,
                name_taken: false,
            });
        }
    }
    out
}

/// The step's statement that holds `word` (else its first one): the one
/// PostgreSQL would refuse.
fn refused_statement(step: &super::Step, plan: &Plan, word: &str) -> String {
    let statements: Vec<String> = crate::render::step_statements(step, plan)
        .into_iter()
        .map(|s| s.sql)
        .filter(|sql| !sql.starts_with("--") && !sql.starts_with("SET "))
        .collect();
    statements
        .iter()
        .find(|sql| sql.contains(word))
        .or(statements.first())
        .cloned()
        .unwrap_or_default()
}
