//! Three-way merge of schemas: the snapshot of a merge revision, combining
//! what two branches changed since their common ancestor.
//!
//! Every object keyed by name (extension, enum, sequence, table; a table's
//! columns, constraints and indexes) is merged on its own: if both sides
//! agree, or only one side changed it, that side wins; otherwise it is a
//! conflict. A table both sides changed is merged member by member and
//! setting by setting, and a column both sides changed property by property
//! (type, default, nullability, settings, comment: see `properties`), and
//! a sequence option by option. A
//! rename looks like a drop and an add, which merges unless the other side
//! changed the old object.
//!
//! Column order: the columns of `ours` that are kept, in `ours`' order, then
//! the columns only `theirs` added, in `theirs`' order, at the end (where
//! `ADD COLUMN` puts them). A reordering only `theirs` made is not kept.
//!
//! The result is not checked: a column one side drops may still be named by
//! an index the other side adds. The caller runs the checks on it.

mod properties;

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{
    Collation, Column, CompositeType, Constraint, DeclaredSchema, DefaultGrant, Domain, Enum, ExtendedStatistics,
    Extension, GeneratedKind, Grant, Ident, Identity, Index, ManagedRoles, Policy, Privileges, RangeType, Routine,
    Schema, SearchPathName, Sequence, Table, Trigger, View,
};

/// Two branches changed the same thing differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// What it is about: "column public.users.email", "table public.orders",
    /// "index public.orders_total_idx on public.orders", "enum public.status",
    /// "extension pgcrypto", "comment of table public.users", ...
    pub object: String,
    /// What our side did, in words: "changes its type to bigint", "drops or
    /// renames it", "adds it", ...
    pub ours: String,
    /// What their side did, in the same words.
    pub theirs: String,
}

/// The schema with both branches' changes from `base`, or every conflict.
pub fn merge(base: &Schema, ours: &Schema, theirs: &Schema) -> Result<Schema, Vec<Conflict>> {
    let mut conflicts = Vec::new();
    let c = &mut conflicts;
    let merged = Schema {
        schemas: merge_map(
            [&base.schemas, &ours.schemas, &theirs.schemas],
            |n| format!("schema {}", n.quoted()),
            c,
        ),
        extensions: merge_map(
            [&base.extensions, &ours.extensions, &theirs.extensions],
            |n| format!("extension {}", n.quoted()),
            c,
        ),
        collations: merge_map(
            [&base.collations, &ours.collations, &theirs.collations],
            |n| format!("collation {}", n.quoted()),
            c,
        ),
        enums: merge_map(
            [&base.enums, &ours.enums, &theirs.enums],
            |n| format!("enum {}", n.quoted()),
            c,
        ),
        domains: merge_map(
            [&base.domains, &ours.domains, &theirs.domains],
            |n| format!("domain {}", n.quoted()),
            c,
        ),
        composites: merge_map(
            [&base.composites, &ours.composites, &theirs.composites],
            |n| format!("type {}", n.quoted()),
            c,
        ),
        ranges: merge_map(
            [&base.ranges, &ours.ranges, &theirs.ranges],
            |n| format!("range type {}", n.quoted()),
            c,
        ),
        sequences: merge_map(
            [&base.sequences, &ours.sequences, &theirs.sequences],
            |n| format!("sequence {}", n.quoted()),
            c,
        ),
        tables: merge_map(
            [&base.tables, &ours.tables, &theirs.tables],
            |n| format!("table {}", n.quoted()),
            c,
        ),
        routines: merge_map(
            [&base.routines, &ours.routines, &theirs.routines],
            |id| format!("routine {id}"),
            c,
        ),
        views: merge_map(
            [&base.views, &ours.views, &theirs.views],
            |n| format!("view {}", n.quoted()),
            c,
        ),
        privileges: Privileges {
            grants: merge_map(
                [
                    &base.privileges.grants,
                    &ours.privileges.grants,
                    &theirs.privileges.grants,
                ],
                |k| {
                    let column = k
                        .column
                        .as_ref()
                        .map(|c| format!(" ({})", c.quoted()))
                        .unwrap_or_default();
                    format!(
                        "{}{column} on {} to {}",
                        k.privilege.keyword().to_lowercase(),
                        k.object,
                        k.grantee
                    )
                },
                c,
            ),
            defaults: merge_map(
                [
                    &base.privileges.defaults,
                    &ours.privileges.defaults,
                    &theirs.privileges.defaults,
                ],
                |k| {
                    format!(
                        "default {} on {} to {}",
                        k.privilege.keyword().to_lowercase(),
                        k.kind.keyword().to_lowercase(),
                        k.grantee
                    )
                },
                c,
            ),
            // A role either side manages stays managed.
            managed: ManagedRoles(match (&ours.privileges.managed.0, &theirs.privileges.managed.0) {
                (None, None) => None,
                (a, b) => Some(a.iter().chain(b.iter()).flatten().cloned().collect()),
            }),
        },
    };
    if conflicts.is_empty() {
        Ok(merged)
    } else {
        Err(conflicts)
    }
}

/// An object merged as a whole, unless it knows how to combine two changes.
trait Mergeable: Clone + PartialEq {
    /// Whether a missing object may have been renamed rather than dropped.
    const RENAMABLE: bool = true;

    /// What differs from `base`, one phrase per field ("changes its type to text").
    fn changes_from(&self, base: &Self) -> Vec<String>;

    /// A short description that tells two additions apart, if there is one.
    fn summary(&self) -> Option<String> {
        None
    }

    /// Both sides changed it (`object`, as conflicts name it) differently:
    /// their combination (conflicts about its parts go to `conflicts`), or
    /// `None` for a conflict about the whole.
    fn merge_changed(_object: &str, _sides: [&Self; 3], _conflicts: &mut Vec<Conflict>) -> Option<Self> {
        None
    }
}

/// The classic three-way rule over base, ours and theirs: `Some(choice)`, or
/// `None` for a conflict.
fn resolve<T: PartialEq>([base, ours, theirs]: [Option<&T>; 3]) -> Option<Option<&T>> {
    if ours == theirs || theirs == base {
        Some(ours)
    } else if ours == base {
        Some(theirs)
    } else {
        None
    }
}

/// [`merge_map`] for a table's constraints or indexes.
fn merge_name_map<T: Mergeable + Clone>(
    sides: [&crate::ir::NameMap<T>; 3],
    object: impl Fn(&Ident) -> String,
    conflicts: &mut Vec<Conflict>,
) -> crate::ir::NameMap<T> {
    let sides = sides.map(|side| {
        side.iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<BTreeMap<Ident, T>>()
    });
    merge_map([&sides[0], &sides[1], &sides[2]], object, conflicts)
        .into_iter()
        .collect()
}

/// Merges every key of the base, ours and theirs maps, in key order.
fn merge_map<K: Ord + Clone, T: Mergeable>(
    sides: [&BTreeMap<K, T>; 3],
    object: impl Fn(&K) -> String,
    conflicts: &mut Vec<Conflict>,
) -> BTreeMap<K, T> {
    let keys: BTreeSet<&K> = sides.iter().flat_map(|side| side.keys()).collect();
    let mut merged = BTreeMap::new();
    for key in keys {
        if let Some(value) = merge_object(|| object(key), sides.map(|side| side.get(key)), conflicts) {
            merged.insert(key.clone(), value);
        }
    }
    merged
}

/// Merges one object; `None` when the result lacks it (or on a conflict).
fn merge_object<T: Mergeable>(
    object: impl FnOnce() -> String,
    sides: [Option<&T>; 3],
    conflicts: &mut Vec<Conflict>,
) -> Option<T> {
    if let Some(choice) = resolve(sides) {
        return choice.cloned();
    }
    let object = object();
    if let [Some(b), Some(o), Some(t)] = sides {
        if let Some(merged) = T::merge_changed(&object, [b, o, t], conflicts) {
            return Some(merged);
        }
    }
    let (ours, theirs) = match sides {
        [None, Some(o), Some(t)] => match (o.summary(), t.summary()) {
            (Some(os), Some(ts)) if os != ts => (format!("adds it as {os}"), format!("adds it as {ts}")),
            _ => ("adds it".to_string(), "adds it differently".to_string()),
        },
        [base, ours, theirs] => (describe(base, ours), describe(base, theirs)),
    };
    conflicts.push(Conflict { object, ours, theirs });
    None
}

/// What one side did to an object it changed, in words.
fn describe<T: Mergeable>(base: Option<&T>, side: Option<&T>) -> String {
    match (base, side) {
        (Some(_), None) if T::RENAMABLE => "drops or renames it".to_string(),
        (Some(_), None) => "drops it".to_string(),
        (Some(b), Some(s)) => match s.changes_from(b) {
            changes if changes.is_empty() => "changes it".to_string(),
            changes => changes.join(", "),
        },
        (None, Some(_)) => "adds it".to_string(),
        (None, None) => "leaves it out".to_string(),
    }
}

/// Merges one setting of a table; on a conflict keeps ours and records it.
fn merge_setting<T: PartialEq + Clone>(
    object: String,
    sides: [&T; 3],
    describe: impl Fn(&T) -> String,
    conflicts: &mut Vec<Conflict>,
) -> T {
    match resolve(sides.map(Some)) {
        Some(Some(choice)) => choice.clone(),
        _ => {
            let [_, ours, theirs] = sides;
            conflicts.push(Conflict {
                object,
                ours: describe(ours),
                theirs: describe(theirs),
            });
            ours.clone()
        }
    }
}

/// "sets its FIELD to VALUE" or "drops its FIELD".
fn set_or_drop(field: &str, value: Option<String>) -> String {
    match value {
        Some(value) => format!("sets its {field} to {value}"),
        None => format!("drops its {field}"),
    }
}

/// The phrase for a changed doc comment, if it changed.
fn comment_change<T: AsRef<str> + PartialEq + std::fmt::Debug>(base: &Option<T>, side: &Option<T>) -> Option<String> {
    (base != side).then(|| set_or_drop("comment", side.as_ref().map(|c| format!("{c:?}"))))
}

impl Mergeable for Column {
    fn changes_from(&self, base: &Column) -> Vec<String> {
        let mut changes = Vec::new();
        if self.data_type != base.data_type {
            changes.push(format!("changes its type to {}", self.data_type.value));
        }
        if self.not_null != base.not_null {
            changes.push(format!("{} not null", if self.not_null { "sets" } else { "drops" }));
        }
        if self.default != base.default {
            changes.push(set_or_drop("default", self.default.as_ref().map(|d| d.as_str().into())));
        }
        if self.identity != base.identity {
            let identity = |i: &Identity| format!("generated {}", if i.always { "always" } else { "by default" });
            changes.push(set_or_drop("identity", self.identity.as_deref().map(identity)));
        }
        if self.generated != base.generated || self.generated_kind != base.generated_kind {
            changes.push(set_or_drop(
                "generated expression",
                self.generated.as_ref().map(|g| match self.generated_kind {
                    GeneratedKind::Stored => g.as_str().into(),
                    GeneratedKind::Virtual => format!("{} virtual", g.as_str()),
                }),
            ));
        }
        if self.collation != base.collation {
            changes.push(set_or_drop(
                "collation",
                self.collation.as_deref().map(SearchPathName::quoted),
            ));
        }
        changes.extend(comment_change(&base.comment, &self.comment));
        changes
    }

    fn summary(&self) -> Option<String> {
        let mut summary = self.data_type.value.to_string();
        if let Some(collation) = &self.collation {
            summary += &format!(" collate {}", collation.quoted());
        }
        if self.not_null {
            summary += " not null";
        }
        if let Some(default) = &self.default {
            summary += &format!(" default {}", default.as_str());
        }
        if let Some(identity) = &self.identity {
            summary += &format!(
                " generated {} as identity",
                if identity.always { "always" } else { "by default" }
            );
        }
        if let Some(generated) = &self.generated {
            summary += &format!(
                " generated always as ({}) {}",
                generated.as_str(),
                self.generated_kind.keyword()
            );
        }
        Some(summary)
    }

    fn merge_changed(object: &str, sides: [&Column; 3], conflicts: &mut Vec<Conflict>) -> Option<Column> {
        properties::column(object, sides, conflicts)
    }
}

/// Objects described by their definition as a whole and their comment.
macro_rules! mergeable_by_definition {
    ($($kind:ident),*) => {$(
        impl Mergeable for $kind {
            fn changes_from(&self, base: &$kind) -> Vec<String> {
                let definition_differs = $kind { comment: base.comment.clone(), ..self.clone() } != *base;
                let definition = definition_differs.then(|| "changes its definition".to_string());
                definition.into_iter().chain(comment_change(&base.comment, &self.comment)).collect()
            }
        }
    )*};
}

mergeable_by_definition!(
    Constraint,
    Index,
    Domain,
    Routine,
    Trigger,
    View,
    Policy,
    Collation,
    CompositeType,
    RangeType
);

impl Mergeable for Sequence {
    fn changes_from(&self, base: &Sequence) -> Vec<String> {
        let definition_differs = Sequence {
            comment: base.comment.clone(),
            ..self.clone()
        } != *base;
        let definition = definition_differs.then(|| "changes its definition".to_string());
        definition
            .into_iter()
            .chain(comment_change(&base.comment, &self.comment))
            .collect()
    }

    fn merge_changed(object: &str, sides: [&Sequence; 3], conflicts: &mut Vec<Conflict>) -> Option<Sequence> {
        Some(properties::sequence(object, sides, conflicts))
    }
}

impl Mergeable for ExtendedStatistics {
    fn changes_from(&self, base: &ExtendedStatistics) -> Vec<String> {
        (self != base)
            .then(|| "changes its definition".to_string())
            .into_iter()
            .collect()
    }
}

impl Mergeable for Enum {
    fn changes_from(&self, base: &Enum) -> Vec<String> {
        let mut changes = Vec::new();
        if self.labels != base.labels {
            let labels: Vec<String> = self
                .labels
                .iter()
                .map(|l| format!("'{}'", l.name.replace('\'', "''")))
                .collect();
            changes.push(format!("changes its labels to {}", labels.join(", ")));
        }
        if self.storage != base.storage {
            changes.push(format!("changes its storage to {:?}", self.storage).to_lowercase());
        }
        changes.extend(comment_change(&base.comment, &self.comment));
        changes
    }
}

impl Mergeable for DeclaredSchema {
    const RENAMABLE: bool = false;

    fn changes_from(&self, base: &DeclaredSchema) -> Vec<String> {
        comment_change(&base.comment, &self.comment).into_iter().collect()
    }
}

impl Mergeable for Grant {
    const RENAMABLE: bool = false;

    fn changes_from(&self, base: &Grant) -> Vec<String> {
        match (base.grantable, self.grantable) {
            (false, true) => vec!["adds the grant option".into()],
            (true, false) => vec!["drops the grant option".into()],
            _ => Vec::new(),
        }
    }
}

impl Mergeable for DefaultGrant {
    const RENAMABLE: bool = false;

    fn changes_from(&self, _: &DefaultGrant) -> Vec<String> {
        vec![match self {
            DefaultGrant::Granted { grantable: true } => "grants it with grant option".into(),
            DefaultGrant::Granted { grantable: false } => "grants it".into(),
            DefaultGrant::Revoked => "revokes it".into(),
        }]
    }
}

impl Mergeable for Extension {
    const RENAMABLE: bool = false;

    fn changes_from(&self, base: &Extension) -> Vec<String> {
        let mut changes = Vec::new();
        if self.version != base.version {
            changes.push(set_or_drop("version", self.version.clone()));
        }
        if self.schema != base.schema {
            changes.push(set_or_drop("schema", self.schema.as_ref().map(Ident::quoted)));
        }
        changes.extend(comment_change(&base.comment, &self.comment));
        changes
    }
}

impl Mergeable for Table {
    fn changes_from(&self, base: &Table) -> Vec<String> {
        let mut changes: Vec<String> = comment_change(&base.comment, &self.comment).into_iter().collect();
        let settings = |t: &Table| {
            (
                t.was.clone(),
                t.unlogged,
                t.storage_params.clone(),
                t.replica_identity.clone(),
            )
        };
        if settings(self) != settings(base) {
            changes.push("changes its settings".to_string());
        }
        let mut seen = BTreeSet::new();
        for column in self
            .columns
            .iter()
            .chain(&base.columns)
            .filter(|c| seen.insert(&c.name))
        {
            let verb = match (base.column(&column.name), self.column(&column.name)) {
                (None, _) => "adds",
                (_, None) => "drops",
                (b, s) if b != s => "changes",
                _ => continue,
            };
            changes.push(format!("{verb} column {}", column.name.quoted()));
        }
        if self.constraints != base.constraints {
            changes.push("changes its constraints".to_string());
        }
        if self.indexes != base.indexes {
            changes.push("changes its indexes".to_string());
        }
        changes
    }

    fn merge_changed(_: &str, [base, ours, theirs]: [&Table; 3], conflicts: &mut Vec<Conflict>) -> Option<Table> {
        let table = ours.name.quoted();
        // One table-level setting, by the same rule as whole objects.
        macro_rules! setting {
            ($field:ident, $what:literal, $describe:expr) => {
                merge_setting(
                    format!(concat!($what, " of table {}"), table),
                    [&base.$field, &ours.$field, &theirs.$field],
                    $describe,
                    conflicts,
                )
            };
        }
        let was = setting!(was, "rename hint", |w| format!("changes it to {w:?}"));
        let comment = setting!(comment, "comment", |c| match c {
            Some(c) => format!("changes it to {c:?}"),
            None => "drops it".to_string(),
        });
        let unlogged = setting!(unlogged, "logging", |u| format!(
            "makes it {}",
            if *u { "unlogged" } else { "logged" }
        ));
        let storage_params = setting!(storage_params, "storage parameters", |params| {
            let params: Vec<String> = params.iter().map(|p| format!("{} = {}", p.name, p.value)).collect();
            format!("changes them to ({})", params.join(", "))
        });
        let replica_identity = setting!(replica_identity, "replica identity", |r| format!("changes it to {r:?}"));
        let partition_by = setting!(partition_by, "partition key", |k| match k {
            Some(k) => format!("changes it to {} ({})", k.strategy, k.key),
            None => "makes it a plain table".to_string(),
        });
        let partition_of = setting!(partition_of, "partition bound", |p| match p {
            Some(p) => format!("makes it a partition of {} {}", p.parent, p.bound),
            None => "detaches it".to_string(),
        });
        let inherits = setting!(inherits, "parents", |parents| {
            let parents: Vec<String> = parents.iter().map(crate::ir::QualifiedName::quoted).collect();
            format!("changes them to ({})", parents.join(", "))
        });
        let cluster_on = setting!(cluster_on, "CLUSTER ON index", |c| match c {
            Some(index) => format!("changes it to {}", index.quoted()),
            None => "drops it".to_string(),
        });
        let access_method = setting!(access_method, "access method", |m| format!(
            "changes it to {}",
            m.as_ref().map_or_else(|| "heap".to_string(), Ident::quoted)
        ));
        let tablespace = setting!(tablespace, "tablespace", |t| format!(
            "moves it to {}",
            t.as_ref().map_or_else(|| "pg_default".to_string(), Ident::quoted)
        ));
        let row_security = setting!(row_security, "row level security", |r| format!(
            "turns it {}",
            match (r.enabled, r.forced) {
                (false, _) => "off",
                (true, false) => "on",
                (true, true) => "on and forces it",
            }
        ));
        let columns = merge_columns([base, ours, theirs], conflicts);
        let constraint = |n: &Ident| format!("constraint {} on {table}", n.quoted());
        let constraints = merge_name_map(
            [&base.constraints, &ours.constraints, &theirs.constraints],
            constraint,
            conflicts,
        );
        let index = |n: &Ident| format!("index {}.{} on {table}", ours.name.schema.quoted(), n.quoted());
        let indexes = merge_name_map([&base.indexes, &ours.indexes, &theirs.indexes], index, conflicts);
        let trigger = |n: &Ident| format!("trigger {} on {table}", n.quoted());
        let triggers = merge_map([&base.triggers, &ours.triggers, &theirs.triggers], trigger, conflicts);
        let stats = |n: &Ident| format!("statistics {} on {table}", n.quoted());
        let statistics = merge_map(
            [&base.statistics, &ours.statistics, &theirs.statistics],
            stats,
            conflicts,
        );
        let policy = |n: &Ident| format!("policy {} on {table}", n.quoted());
        let policies = merge_map([&base.policies, &ours.policies, &theirs.policies], policy, conflicts);
        Some(Table {
            name: ours.name.clone(),
            was,
            comment,
            unlogged,
            storage_params,
            columns,
            constraints,
            indexes,
            replica_identity,
            triggers,
            row_security,
            policies,
            partition_by,
            partition_of,
            inherits,
            cluster_on,
            access_method,
            tablespace,
            statistics,
            origin: ours.origin,
        })
    }
}

/// The merged columns: ours' kept columns in ours' order, then the columns
/// only theirs added, in theirs' order.
fn merge_columns([base, ours, theirs]: [&Table; 3], conflicts: &mut Vec<Conflict>) -> Vec<Column> {
    let only_theirs = theirs.columns.iter().filter(|c| ours.column(&c.name).is_none());
    let mut merged = Vec::new();
    for column in ours.columns.iter().chain(only_theirs) {
        let object = || format!("column {}.{}", ours.name.quoted(), column.name.quoted());
        let sides = [base, ours, theirs].map(|table| table.column(&column.name));
        merged.extend(merge_object(object, sides, conflicts));
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sources;
    use crate::syntax::LowerOptions;

    /// The schema of one `.trellis` text, which must compile without errors.
    fn schema(text: &str) -> Schema {
        let mut sources = Sources::new();
        sources.add("test.trellis", text);
        let compiled = crate::compile_sources(sources, &LowerOptions::default());
        assert!(!compiled.has_errors(), "{text}\n{:#?}", compiled.diagnostics);
        compiled.schema
    }

    /// Merges three texts.
    fn merged(base: &str, ours: &str, theirs: &str) -> Result<Schema, Vec<Conflict>> {
        merge(&schema(base), &schema(ours), &schema(theirs))
    }

    fn conflict(object: &str, ours: &str, theirs: &str) -> Conflict {
        Conflict {
            object: object.into(),
            ours: ours.into(),
            theirs: theirs.into(),
        }
    }

    const BASE: &str = "
        table users {
          id    bigint primary key
          name  text
          email text
        }
        table orders {
          id    bigint primary key
          total numeric(12,2)
        }
    ";

    #[test]
    fn disjoint_changes_in_different_tables_both_apply() {
        let ours = BASE.replace("email text", "email text not null");
        let theirs = BASE.replace("total numeric(12,2)", "total numeric(12,2)\n index (total)");
        let expected = ours.replace("total numeric(12,2)", "total numeric(12,2)\n index (total)");
        assert_eq!(merged(BASE, &ours, &theirs), Ok(schema(&expected)));
    }

    #[test]
    fn columns_both_sides_add_follow_ours_then_theirs() {
        let ours = BASE.replace("email text", "email text\n age integer");
        let theirs = BASE.replace("name  text", "nick text\n name text");
        let result = merged(BASE, &ours, &theirs).expect("no conflict");
        let users = &result
            .tables
            .values()
            .find(|t| t.name.name.as_str() == "users")
            .expect("users")
            .columns;
        let names: Vec<&str> = users.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "name", "email", "age", "nick"]);
    }

    #[test]
    fn rename_on_one_side_merges_with_an_index_on_the_other() {
        let ours = BASE.replace("name  text", "full_name text");
        let theirs = BASE.replace("email text", "email text\n unique index users_email (email)");
        let expected = ours.replace("email text", "email text\n unique index users_email (email)");
        assert_eq!(merged(BASE, &ours, &theirs), Ok(schema(&expected)));
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let both = BASE.replace("name  text", "name text not null default ''");
        assert_eq!(merged(BASE, &both, &both), Ok(schema(&both)));
    }

    #[test]
    fn unchanged_theirs_gives_ours() {
        let ours = "extension pgcrypto\nenum status { 'a' }\n".to_string() + &BASE.replace("email text", "");
        assert_eq!(merged(BASE, &ours, BASE), Ok(schema(&ours)));
        assert_eq!(merged(BASE, BASE, &ours), Ok(schema(&ours)));
    }

    #[test]
    fn different_types_for_one_column_conflict() {
        let ours = BASE
            .replace("name  text", "name bigint")
            .replace("email text", "email text default 'x'");
        let theirs = BASE
            .replace("name  text", "name varchar(100)")
            .replace("email text", "email text default 'y'");
        let expected = vec![
            conflict(
                "type of column public.users.name",
                "changes it to bigint",
                "changes it to character varying(100)",
            ),
            conflict(
                "default of column public.users.email",
                "changes it to 'x'",
                "changes it to 'y'",
            ),
        ];
        assert_eq!(merged(BASE, &ours, &theirs), Err(expected));
    }

    #[test]
    fn drop_against_modify_conflicts() {
        let ours = BASE
            .replace("email text", "")
            .replace("total numeric(12,2)", "total numeric(14,2)");
        let theirs = BASE
            .replace("email text", "email text not null")
            .replace("table orders", "table gone");
        let expected = vec![
            conflict("table public.orders", "changes column total", "drops or renames it"),
            conflict("column public.users.email", "drops or renames it", "sets not null"),
        ];
        assert_eq!(merged(BASE, &ours, &theirs), Err(expected));
    }

    #[test]
    fn a_table_both_sides_add_differently_conflicts() {
        let ours = format!("{BASE} table tags {{ id bigint primary key }}");
        let theirs = format!("{BASE} table tags {{ id bigint primary key\n label text }}");
        let expected = vec![conflict("table public.tags", "adds it", "adds it differently")];
        assert_eq!(merged(BASE, &ours, &theirs), Err(expected));
    }

    #[test]
    fn labels_both_sides_append_conflict() {
        let base = "enum status { 'new', 'paid' }";
        let expected = vec![conflict(
            "enum public.status",
            "changes its labels to 'new', 'paid', 'shipped'",
            "changes its labels to 'new', 'paid', 'refunded'",
        )];
        let ours = "enum status { 'new', 'paid', 'shipped' }";
        assert_eq!(
            merged(base, ours, "enum status { 'new', 'paid', 'refunded' }"),
            Err(expected)
        );
    }

    #[test]
    fn comments_merge_per_field_and_conflict_when_both_change() {
        let ours = format!("/// Accounts.\n{}", BASE.trim_start());
        let theirs = BASE.replace("email text", "/// Login.\n email text");
        let expected = format!("/// Accounts.\n{}", theirs.trim_start());
        assert_eq!(merged(BASE, &ours, &theirs), Ok(schema(&expected)));
        let theirs = format!("/// Customers.\n{}", theirs.trim_start());
        let expected = vec![conflict(
            "comment of table public.users",
            "changes it to \"Accounts.\"",
            "changes it to \"Customers.\"",
        )];
        assert_eq!(merged(BASE, &ours, &theirs), Err(expected));
    }

    #[test]
    fn a_type_on_one_side_and_a_default_on_the_other_make_one_column() {
        let ours = BASE.replace("name  text", "name varchar(100)");
        let theirs = BASE.replace("name  text", "name text default ''");
        let expected = BASE.replace("name  text", "name varchar(100) default ''");
        assert_eq!(merged(BASE, &ours, &theirs), Ok(schema(&expected)));
        assert_eq!(merged(BASE, &theirs, &ours), Ok(schema(&expected)));
    }

    #[test]
    fn nullability_on_one_side_and_a_comment_on_the_other_make_one_column() {
        let ours = BASE.replace("email text", "email text not null");
        let theirs = BASE.replace("email text", "/// Login.\n email text");
        let expected = BASE.replace("email text", "/// Login.\n email text not null");
        assert_eq!(merged(BASE, &ours, &theirs), Ok(schema(&expected)));
    }

    #[test]
    fn a_property_both_sides_change_alike_is_taken_once() {
        let ours = BASE.replace("total numeric(12,2)", "/// Gross.\n total numeric(14,2)");
        let theirs = BASE.replace("total numeric(12,2)", "total numeric(14,2) not null");
        let expected = BASE.replace("total numeric(12,2)", "/// Gross.\n total numeric(14,2) not null");
        assert_eq!(merged(BASE, &ours, &theirs), Ok(schema(&expected)));
    }

    #[test]
    fn a_property_both_sides_change_differently_is_named() {
        let ours = BASE.replace("total numeric(12,2)", "total numeric(14,2) not null");
        let theirs = BASE.replace("total numeric(12,2)", "/// Gross.\n total bigint");
        let expected = vec![conflict(
            "type of column public.orders.total",
            "changes it to numeric(14,2)",
            "changes it to bigint",
        )];
        assert_eq!(merged(BASE, &ours, &theirs), Err(expected));
    }

    #[test]
    fn a_type_change_sets_a_default_anew_so_it_conflicts_with_a_new_default() {
        let base = BASE.replace("name  text", "name text default 'x'");
        let ours = BASE.replace("name  text", "name varchar(100) default 'x'");
        let theirs = BASE.replace("name  text", "name text default 'y'");
        let expected = vec![conflict(
            "type and default of column public.users.name",
            "changes its type to character varying(100), which sets its default anew",
            "sets its default to 'y'",
        )];
        assert_eq!(merged(&base, &ours, &theirs), Err(expected));
        // A comment does not care.
        let theirs = BASE.replace("name  text", "/// Shown.\n name text default 'x'");
        let expected = BASE.replace("name  text", "/// Shown.\n name varchar(100) default 'x'");
        assert_eq!(merged(&base, &ours, &theirs), Ok(schema(&expected)));
    }

    #[test]
    fn an_identity_follows_the_type_the_other_side_gives_its_column() {
        let base = "table t {\n n integer generated by default as identity\n label text\n}";
        let ours = base.replace("n integer", "n bigint");
        let theirs = base.replace("by default", "always");
        let expected = ours.replace("by default", "always");
        assert_eq!(merged(base, &ours, &theirs), Ok(schema(&expected)));
    }

    #[test]
    fn an_identity_and_a_dropped_not_null_conflict() {
        let base = "table t {\n n integer not null\n}";
        let ours = "table t {\n n integer generated always as identity\n}";
        let theirs = "table t {\n /// Optional.\n n integer\n}";
        let expected = vec![conflict(
            "nullability of column public.t.n",
            "makes it an identity column, never null",
            "makes it nullable",
        )];
        assert_eq!(merged(base, ours, theirs), Err(expected));
    }

    #[test]
    fn a_new_generated_expression_merges_the_column_as_a_whole() {
        let base = "table t {\n a integer\n b integer generated always as (a + 1) stored\n}";
        let ours = base.replace("a + 1", "a + 2");
        let theirs = base.replace(" b integer", " /// Next.\n b integer");
        let expected = vec![conflict(
            "column public.t.b",
            "sets its generated expression to a + 2",
            "sets its comment to \"Next.\"",
        )];
        assert_eq!(merged(base, &ours, &theirs), Err(expected));
    }

    #[test]
    fn a_sequence_both_sides_change_merges_option_by_option() {
        let base = "sequence s { cache 1 }";
        let ours = "sequence s { cache 20 }";
        let theirs = "/// Ids.\nsequence s { cache 1 increment 5 }";
        let expected = "/// Ids.\nsequence s { cache 20 increment 5 }";
        assert_eq!(merged(base, ours, theirs), Ok(schema(expected)));
        let theirs = "sequence s { cache 10 increment 5 }";
        let expected = vec![conflict(
            "cache of sequence public.s",
            "changes it to 20",
            "changes it to 10",
        )];
        assert_eq!(merged(base, ours, theirs), Err(expected));
    }
}
