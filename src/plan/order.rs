//! Ordering: phases, then petgraph where tables depend on each other.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};

use super::Step;
use crate::diff::Change;
use crate::ir::*;

/// The phases whose tables are ordered by their foreign keys.
const DROP_TABLES: u8 = 10;
const CREATE_TABLES: u8 = 15;
/// The phase of views and of the routines that need tables: ordered by
/// what each reads.
const CREATE_READERS: u8 = 19;
/// The phase of the types and of the routines that need no table: each
/// after the types and routines it uses.
const TYPES: u8 = 4;

/// The phase of a change: lower runs first.
fn phase(change: &Change) -> u8 {
    use Change::*;
    match change {
        // Sequences are released (by their old names) before their owning
        // tables move or their owning columns go.
        CreateSchema(_) | GuardEnumLabel { .. } | SetSequenceOwner { owner: None, .. } => 0,
        // Triggers go first, on their tables' old names: nothing needs them
        // while the plan runs, and they hold on to columns and functions.
        DropTrigger { .. } | DropPolicy { .. } => 0,
        CreateExtension(_) | AlterExtensionVersion { .. } | AlterExtensionSchema { .. } => 1,
        // Before the objects they are for are made.
        GrantDefault { .. } | RevokeDefault { .. } => 1,
        // A table moved to another schema takes its sequences along; they
        // are renamed where it left them.
        RenameTable { .. } => 1,
        RenameEnum { .. } | RenameSequence { .. } | RenameRoutine { .. } | RenameView { .. } | RenameType { .. } => 2,
        CreateEnum(_) | AddEnumLabel { .. } | RenameEnumLabel { .. } => 3,
        // Before the domains, tables and indexes that use them.
        CreateCollation(_) | RecreateCollation { .. } => 3,
        // Once no column, domain or index uses them.
        DropCollation(_) => 20,
        CreateDomain(_) | CreateSequence(_) | AlterSequence { .. } => TYPES,
        // A range that columns use is made anew where enums are, once the
        // columns have their new names.
        RecreateRange {
            columns, multiranges, ..
        } if !columns.is_empty() || !multiranges.is_empty() => 12,
        // Ordered with the domains and routines by what each uses.
        CreateComposite(_) | RecreateComposite { .. } | CreateRange(_) | RecreateRange { .. } => TYPES,
        // Before the tables whose defaults, checks and indexes call them,
        // unless they need the tables themselves.
        CreateRoutine {
            after_tables: false, ..
        }
        | ReplaceRoutine {
            after_tables: false, ..
        }
        | RecreateRoutine {
            after_tables: false, ..
        } => TYPES,
        RenameTrigger { .. } | RenameViewIndex { .. } | RenamePolicy { .. } => 5,
        DropRoutine { uses_tables: true, .. } => 6,
        RenameColumn { .. } | RenameConstraint { .. } | RenameIndex { .. } | RenameAttribute { .. } => 5,
        DropAttribute { .. } => 9,
        AddAttribute { .. } => 16,
        AlterAttributeType { .. } => 17,
        // Once no column uses them, before the domains, enums and ranges
        // they use (composites first: they come first in the diff).
        DropComposite(_) | DropRange(_) => 18,
        DropConstraint { constraint, .. } if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) => 6,
        DropIndex { .. } | DropConstraint { .. } | DropDomainCheck { .. } => 7,
        // After the routines that read them, before the columns and tables
        // they read go.
        DropView(_) | DropViewIndex { .. } => 7,
        // Defaults go before the sequences they use.
        DropDefault { .. } | DropNotNull { .. } | DropIdentity { .. } => 8,
        // A generated column goes before the columns it is computed from.
        DropColumn { column, .. } if column.generated.is_some() => 8,
        DropColumn { .. } => 9,
        DropTable(_) => DROP_TABLES,
        // Before its columns, constraints or parent change; attached once
        // they have.
        DetachPartition { .. } | SetInherit { inherit: false, .. } => 6,
        AttachPartition { .. } | SetInherit { inherit: true, .. } => 21,
        // Before the columns they are on change; after their new ones exist.
        DropStatistics { .. } => 7,
        CreateStatistics { .. } => 22,
        // After the index it names is built.
        SetClusterOn { .. } => 25,
        // Once no default, check, index or table uses them, before the
        // types of their arguments go.
        DropRoutine { .. } => 11,
        RecreateEnum { .. } | RebuildComposite { .. } => 12,
        CreateTable(_) => CREATE_TABLES,
        // A generated column is computed from the others' new types.
        AddColumn { column, .. } if column.generated.is_some() => 18,
        AddColumn { .. } | UpdateEnumLabel { .. } => 16,
        // An identity column must be not null before it becomes one.
        AlterColumnType { .. } | SetNotNull { .. } | RecreateDomain { .. } => 17,
        SetDefault { .. } | AddIdentity { .. } | AlterIdentity { .. } => 18,
        SetDomainDefault { .. } | SetDomainNotNull { .. } => 18,
        // After the columns have moved off it, before the types under it.
        DropDomain(_) => 19,
        SetSequenceOwner { .. } => 19,
        CreateRoutine { .. } | ReplaceRoutine { .. } | RecreateRoutine { .. } | CreateView(_) => CREATE_READERS,
        // Types and sequences go once no column uses them any more: after
        // the columns' types and defaults have moved off them.
        DropSequence(_) | DropEnum(_) | DropExtension(_) => 20,
        SetLogged { .. }
        | SetAccessMethod { .. }
        | SetTablespace { .. }
        | SetStorageParams { .. }
        | SetIndexStorageParams { .. }
        | SetColumnSettings { .. } => 20,
        AddConstraint { constraint, .. } if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) => 23,
        AddConstraint { .. } | ReplaceCheck { .. } | AddDomainCheck { .. } => 21,
        CreateIndex { .. } | CreateViewIndex { .. } => 22,
        ValidateConstraint { .. } | ValidateDomainCheck { .. } => 24,
        SetReplicaIdentity { .. } | CreateTrigger { .. } => 25,
        // After the functions, views and tables they use.
        SetRowSecurity { .. } | CreatePolicy { .. } | AlterPolicy { .. } => 25,
        DropSchema(_) => 26,
        CommentOnSchema { .. }
        | CommentOnCollation { .. }
        | CommentOnDomain { .. }
        | CommentOnEnum { .. }
        | CommentOnSequence { .. }
        | CommentOnTable { .. }
        | CommentOnColumn { .. }
        | CommentOnConstraint { .. }
        | CommentOnIndex { .. }
        | CommentOnRoutine { .. }
        | CommentOnView { .. }
        | CommentOnViewIndex { .. }
        | CommentOnTrigger { .. }
        | CommentOnPolicy { .. }
        | CommentOnType { .. }
        | CommentOnAttribute { .. } => 27,
        // Once every object they are on exists as it will stay.
        Grant { .. } | Revoke { .. } => 28,
    }
}

/// Orders changes into steps: by phase (stable within a phase), tables
/// created so that referenced tables come first, dropped so that
/// referencing tables go first.
pub(super) fn order(changes: Vec<Change>, from: &Schema) -> Vec<Step> {
    // Tables whose key is dropped (perhaps to be added again): a new
    // table's foreign key to them waits until the plan has added the key.
    let keys_dropped: BTreeSet<QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropConstraint { table, constraint }
                if matches!(
                    constraint.kind,
                    ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
                ) =>
            {
                Some(table.clone())
            }
            _ => None,
        })
        .collect();
    let mut indexed: Vec<(u8, usize, Change)> = changes
        .into_iter()
        .enumerate()
        .map(|(i, c)| (phase(&c), i, c))
        .collect();
    indexed.sort_by_key(|(p, i, _)| (*p, *i));
    let mut steps: Vec<Step> = Vec::with_capacity(indexed.len());
    let mut deferred_adds: Vec<Change> = Vec::new();
    let mut i = 0;
    while i < indexed.len() {
        let p = indexed[i].0;
        let end = indexed[i..]
            .iter()
            .position(|(q, _, _)| *q != p)
            .map_or(indexed.len(), |n| i + n);
        let group: Vec<Change> = indexed[i..end].iter().map(|(_, _, c)| c.clone()).collect();
        if p >= 23 {
            // Foreign keys left out of CREATE TABLE come first among the
            // foreign keys (phase 23), or before whatever follows them.
            steps.extend(std::mem::take(&mut deferred_adds).into_iter().map(plain));
        }
        match p {
            DROP_TABLES => steps.extend(order_drops(group).into_iter().map(plain)),
            CREATE_READERS => steps.extend(readers_after_what_they_read(group).into_iter().map(plain)),
            TYPES => steps.extend(types_after_what_they_use(group).into_iter().map(plain)),
            CREATE_TABLES => {
                let (created, deferred) = order_creates(group, from, &keys_dropped);
                steps.extend(created);
                deferred_adds.extend(deferred);
            }
            _ => steps.extend(group.into_iter().map(plain)),
        }
        i = end;
    }
    steps.extend(deferred_adds.into_iter().map(plain));
    steps
}

/// Domains, composite and range types and routines, each after the types
/// and routines it uses among them (otherwise in the order given).
fn types_after_what_they_use(group: Vec<Change>) -> Vec<Change> {
    let provides = |change: &Change| -> Vec<QualifiedName> {
        match change {
            Change::CreateDomain(d) => vec![d.name.clone()],
            Change::CreateComposite(c) | Change::RecreateComposite { new: c, .. } => vec![c.name.clone()],
            Change::CreateRange(r) | Change::RecreateRange { new: r, .. } => vec![r.name.clone(), r.multirange_name()],
            Change::CreateRoutine { routine, .. } | Change::ReplaceRoutine { routine, .. } => {
                vec![routine.id.name.clone()]
            }
            Change::RecreateRoutine { new, .. } => vec![new.id.name.clone()],
            _ => Vec::new(),
        }
    };
    let user = |t: &SqlType| match &t.name {
        TypeName::User(name) => Some((**name).clone()),
        TypeName::Builtin(_) => None,
    };
    let function = |f: &Option<SearchPathName>| {
        f.as_ref()
            .map(|f| QualifiedName::new(f.schema.clone().unwrap_or_else(|| Ident::new("public")), f.name.clone()))
    };
    let needs = |change: &Change| -> Vec<QualifiedName> {
        match change {
            Change::CreateDomain(d) => user(&d.data_type).into_iter().collect(),
            Change::CreateComposite(c) | Change::RecreateComposite { new: c, .. } => c.uses().cloned().collect(),
            Change::CreateRange(r) | Change::RecreateRange { new: r, .. } => user(&r.subtype)
                .into_iter()
                .chain(function(&r.canonical))
                .chain(function(&r.subtype_diff))
                .collect(),
            Change::CreateRoutine { routine, .. } | Change::ReplaceRoutine { routine, .. } => {
                routine.id.arguments.iter().filter_map(user).collect()
            }
            Change::RecreateRoutine { new, .. } => new.id.arguments.iter().filter_map(user).collect(),
            _ => Vec::new(),
        }
    };
    after_what_they_need(group, provides, needs)
}

/// Views and routines, each after the views and routines it reads or
/// calls among them (otherwise in the order given).
fn readers_after_what_they_read(group: Vec<Change>) -> Vec<Change> {
    let provides = |change: &Change| -> Vec<QualifiedName> {
        match change {
            Change::CreateView(view) => vec![view.name.clone()],
            Change::CreateRoutine { routine, .. } | Change::ReplaceRoutine { routine, .. } => {
                vec![routine.id.name.clone()]
            }
            Change::RecreateRoutine { new, .. } => vec![new.id.name.clone()],
            _ => Vec::new(),
        }
    };
    let needs = |change: &Change| -> Vec<QualifiedName> {
        match change {
            Change::CreateView(view) => view.uses.iter().chain(&view.calls).cloned().collect(),
            Change::CreateRoutine { routine, .. } | Change::ReplaceRoutine { routine, .. } => routine.uses.clone(),
            Change::RecreateRoutine { new, .. } => new.uses.clone(),
            _ => Vec::new(),
        }
    };
    after_what_they_need(group, provides, needs)
}

/// Each change after those that provide a name it needs (otherwise in the
/// order given); a cycle leaves the group as given.
fn after_what_they_need(
    group: Vec<Change>,
    provides: impl Fn(&Change) -> Vec<QualifiedName>,
    needs: impl Fn(&Change) -> Vec<QualifiedName>,
) -> Vec<Change> {
    let mut by_name: BTreeMap<QualifiedName, Vec<usize>> = BTreeMap::new();
    for (i, change) in group.iter().enumerate() {
        for name in provides(change) {
            by_name.entry(name).or_default().push(i);
        }
    }
    // Kahn's algorithm, the earliest ready change first, so that what
    // depends on nothing keeps its place.
    let mut waits_for = vec![0usize; group.len()];
    let mut unblocks: Vec<Vec<usize>> = vec![Vec::new(); group.len()];
    for (i, change) in group.iter().enumerate() {
        let mut before: BTreeSet<usize> = BTreeSet::new();
        for name in needs(change) {
            before.extend(by_name.get(&name).into_iter().flatten().filter(|&&j| j != i));
        }
        waits_for[i] = before.len();
        for j in before {
            unblocks[j].push(i);
        }
    }
    let mut ready: BTreeSet<usize> = (0..group.len()).filter(|&i| waits_for[i] == 0).collect();
    let mut order = Vec::with_capacity(group.len());
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &k in &unblocks[i] {
            waits_for[k] -= 1;
            if waits_for[k] == 0 {
                ready.insert(k);
            }
        }
    }
    if order.len() < group.len() {
        // A cycle (two functions calling each other): as given.
        return group;
    }
    let mut slots: Vec<Option<Change>> = group.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Foreign keys among a set of tables, as (referencing, referenced) index
/// pairs (a self-reference is a pair of equal indexes), and partitions and
/// inheriting tables as referencing their parents: made after them,
/// dropped before them.
fn foreign_key_edges(tables: &[Table]) -> Vec<(usize, usize)> {
    let position: BTreeMap<&QualifiedName, usize> = tables.iter().enumerate().map(|(i, t)| (&t.name, i)).collect();
    let mut edges = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        let parents = table.partition_of.iter().map(|p| &p.parent).chain(&table.inherits);
        edges.extend(parents.filter_map(|parent| position.get(parent)).map(|&j| (i, j)));
        for constraint in table.constraints.values() {
            if let ConstraintKind::ForeignKey(fk) = &constraint.kind {
                if let Some(&j) = position.get(&fk.referenced_table.value) {
                    edges.push((i, j));
                }
            }
        }
    }
    edges
}

fn plain(change: Change) -> Step {
    Step {
        change,
        deferred_foreign_keys: Vec::new(),
        findings: Vec::new(),
        impact: None,
    }
}

/// New tables in foreign-key order. Keys inside a cycle (a self-reference
/// included), keys to a key the plan drops, and unique constraints that
/// PostgreSQL would merge into another key of the same statement are left
/// out of `CREATE TABLE` and returned as separate adds.
fn order_creates(
    group: Vec<Change>,
    existing: &Schema,
    keys_dropped: &BTreeSet<QualifiedName>,
) -> (Vec<Step>, Vec<Change>) {
    let tables: Vec<Table> = group
        .into_iter()
        .filter_map(|c| match c {
            Change::CreateTable(t) => Some(t),
            _ => None,
        })
        .collect();
    let position: BTreeMap<&QualifiedName, usize> = tables.iter().enumerate().map(|(i, t)| (&t.name, i)).collect();
    let edges = foreign_key_edges(&tables);
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..tables.len()).map(|i| graph.add_node(i)).collect();
    for &(referencing, referenced) in &edges {
        graph.add_edge(nodes[referenced], nodes[referencing], ());
    }
    let mut in_cycle = BTreeSet::new();
    let mut scc_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (k, component) in tarjan_scc(&graph).into_iter().enumerate() {
        if component.len() > 1 || component.iter().any(|&n| graph.contains_edge(n, n)) {
            in_cycle.extend(component.iter().map(|n| graph[*n]));
        }
        scc_of.extend(component.into_iter().map(|n| (n.index(), k)));
    }
    // Drop the cyclic edges so that the rest orders topologically.
    let mut acyclic: DiGraph<usize, ()> = DiGraph::new();
    let acyclic_nodes: Vec<NodeIndex> = (0..tables.len()).map(|i| acyclic.add_node(i)).collect();
    for edge in graph.raw_edges() {
        let (a, b) = (edge.source().index(), edge.target().index());
        if scc_of.get(&a) != scc_of.get(&b) {
            acyclic.add_edge(acyclic_nodes[a], acyclic_nodes[b], ());
        }
    }
    let order: Vec<usize> = toposort(&acyclic, None)
        .map(|o| o.into_iter().map(|n| acyclic[n]).collect())
        .unwrap_or_else(|_| (0..tables.len()).collect());
    let mut steps = Vec::new();
    let mut deferred = Vec::new();
    for i in order {
        let table = &tables[i];
        let mut left_out = Vec::new();
        for constraint in table.constraints.values() {
            let ConstraintKind::ForeignKey(fk) = &constraint.kind else {
                continue;
            };
            let target = position.get(&fk.referenced_table.value);
            let cyclic = target.is_some_and(|&j| scc_of.get(&i) == scc_of.get(&j) && in_cycle.contains(&i));
            // The referenced table exists but not (yet) its key: the key is
            // added later in the plan, the foreign key after it.
            let missing = target.is_none()
                && (keys_dropped.contains(&fk.referenced_table.value)
                    || existing
                        .tables
                        .get(&fk.referenced_table.value)
                        .is_none_or(|t| !t.has_key(&fk.referenced_columns)));
            if cyclic || constraint.not_valid || missing {
                left_out.push(constraint.name.clone());
                deferred.push(Change::AddConstraint {
                    table: table.name.clone(),
                    constraint: constraint.clone(),
                });
            }
        }
        let merged = merged_keys(table);
        for constraint in table.constraints.values() {
            let merged = merged.contains(&constraint.name);
            if (constraint.not_valid || merged) && !matches!(constraint.kind, ConstraintKind::ForeignKey(_)) {
                left_out.push(constraint.name.clone());
                deferred.push(Change::AddConstraint {
                    table: table.name.clone(),
                    constraint: constraint.clone(),
                });
            }
        }
        steps.push(Step {
            change: Change::CreateTable(table.clone()),
            deferred_foreign_keys: left_out,
            findings: Vec::new(),
            impact: None,
        });
    }
    (steps, deferred)
}

/// The unique constraints of a new table that repeat another key of it
/// (the same columns in the same order, include list, nulls treatment and
/// deferral): within one `CREATE TABLE`, PostgreSQL keeps only one index
/// for them, the primary key's or the first unique's. All but one are
/// added by `ALTER TABLE` afterwards, which makes an index of their own.
fn merged_keys(table: &Table) -> BTreeSet<Ident> {
    let idents = |list: &[Located<Ident>]| list.iter().map(|c| c.value.clone()).collect::<Vec<_>>();
    let mut kept = Vec::new();
    let mut merged = BTreeSet::new();
    // The primary key first: it is the one PostgreSQL keeps.
    let mut keys: Vec<&Constraint> = table.constraints.values().collect();
    keys.sort_by_key(|c| !matches!(c.kind, ConstraintKind::PrimaryKey { .. }));
    for constraint in keys {
        let shape = match &constraint.kind {
            ConstraintKind::PrimaryKey { columns, include, .. } => (idents(columns), idents(include), false),
            ConstraintKind::Unique {
                columns,
                include,
                nulls_not_distinct,
                ..
            } => (idents(columns), idents(include), *nulls_not_distinct),
            _ => continue,
        };
        let shape = (shape, constraint.deferrable, constraint.initially_deferred);
        if kept.contains(&shape) {
            merged.insert(constraint.name.clone());
        } else {
            kept.push(shape);
        }
    }
    merged
}

/// Dropped tables, referencing tables before the tables they reference,
/// partitions and children before their parents.
fn order_drops(group: Vec<Change>) -> Vec<Change> {
    let tables: Vec<Table> = group
        .into_iter()
        .filter_map(|c| match c {
            Change::DropTable(t) => Some(t),
            _ => None,
        })
        .collect();
    let position: BTreeMap<&QualifiedName, usize> = tables.iter().enumerate().map(|(i, t)| (&t.name, i)).collect();
    let keys: Vec<(usize, usize)> = foreign_key_edges(&tables)
        .into_iter()
        // A table's key to itself goes with the table.
        .filter(|(referencing, referenced)| referencing != referenced)
        .collect();
    // Partitions and inheriting tables before their parents: PostgreSQL
    // drops a partition with its parent (a later DROP of it fails) and
    // will not drop a parent that others inherit from.
    let mut lineage = Vec::new();
    for (child, table) in tables.iter().enumerate() {
        let parents = table.partition_of.iter().map(|p| &p.parent).chain(&table.inherits);
        lineage.extend(
            parents
                .filter_map(|p| position.get(p))
                .filter(|p| **p != child)
                .map(|p| (child, *p)),
        );
    }
    let graph_of = |edges: &[(usize, usize)]| {
        let mut graph: DiGraph<usize, ()> = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..tables.len()).map(|i| graph.add_node(i)).collect();
        for (before, after) in edges {
            graph.add_edge(nodes[*before], nodes[*after], ());
        }
        graph
    };
    let all: Vec<(usize, usize)> = keys.iter().chain(&lineage).copied().collect();
    let graph = graph_of(&all);
    let mut cyclic_keys = Vec::new();
    let order: Vec<usize> = match toposort(&graph, None) {
        Ok(order) => order.into_iter().map(|n| graph[n]).collect(),
        Err(_) => {
            // A cycle among dropped tables: drop its keys first, then the
            // tables in the order the rest asks for.
            let mut cyclic: BTreeSet<(usize, usize)> = BTreeSet::new();
            for component in tarjan_scc(&graph).into_iter().filter(|c| c.len() > 1) {
                let members: BTreeSet<usize> = component.iter().map(|n| graph[*n]).collect();
                cyclic.extend(keys.iter().filter(|(a, b)| members.contains(a) && members.contains(b)));
                for &m in &members {
                    for constraint in tables[m].constraints.values() {
                        if let ConstraintKind::ForeignKey(fk) = &constraint.kind {
                            if position
                                .get(&fk.referenced_table.value)
                                .is_some_and(|j| members.contains(j) && *j != m)
                            {
                                cyclic_keys.push(Change::DropConstraint {
                                    table: tables[m].name.clone(),
                                    constraint: constraint.clone(),
                                });
                            }
                        }
                    }
                }
            }
            let rest: Vec<(usize, usize)> = all.iter().filter(|e| !cyclic.contains(e)).copied().collect();
            let graph = graph_of(&rest);
            match toposort(&graph, None) {
                Ok(order) if !rest.is_empty() => order.into_iter().map(|n| graph[n]).collect(),
                _ => (0..tables.len()).collect(),
            }
        }
    };
    let mut changes = cyclic_keys;
    changes.extend(order.into_iter().map(|i| Change::DropTable(tables[i].clone())));
    changes
}

/// Foreign keys that PostgreSQL cannot keep through a type change of
/// their columns are dropped before it and added again after:
/// - columns joined across families (to or from `numeric`, `date` to
///   `timestamptz`): each `ALTER TYPE` rechecks the key against the other
///   column's old type, which may not compare with the new one;
/// - a key that also joins a native enum column: PostgreSQL 15 looks for a
///   cast to `anyenum` when it revalidates ("could not find cast");
/// - a key that relies on a unique constraint including a changed column:
///   the constraint is rebuilt under it, which the key's dependency forbids.
pub(super) fn with_foreign_keys_around_type_changes(
    mut changes: Vec<Change>,
    from: &Schema,
    to: &Schema,
) -> Vec<Change> {
    let retyped: BTreeMap<(QualifiedName, Ident), (SqlType, SqlType)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::AlterColumnType {
                table,
                column,
                from,
                to,
                ..
            } => Some(((table.clone(), column.clone()), (from.clone(), to.clone()))),
            _ => None,
        })
        .collect();
    if retyped.is_empty() {
        return changes;
    }
    let touched: BTreeSet<(QualifiedName, Ident)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropConstraint { table, constraint } | Change::AddConstraint { table, constraint } => {
                Some((table.clone(), constraint.name.clone()))
            }
            _ => None,
        })
        .collect();
    let mut extra = Vec::new();
    for table in to.tables.values() {
        if !from.tables.contains_key(&table.name) {
            continue;
        }
        for constraint in table.constraints.values() {
            let ConstraintKind::ForeignKey(fk) = &constraint.kind else {
                continue;
            };
            // A key the plan adds is added after the type changes anyway; one
            // renamed with its columns (not under its old name in `from`) is
            // renamed before, and dropped here by its new name.
            if touched.contains(&(table.name.clone(), constraint.name.clone()))
                || !to.tables.contains_key(&fk.referenced_table.value)
            {
                continue;
            }
            let referenced = crate::diff::referenced_columns_of(to, fk);
            let local: Vec<(QualifiedName, Ident)> = fk
                .columns
                .iter()
                .map(|c| (table.name.clone(), c.value.clone()))
                .collect();
            let remote: Vec<(QualifiedName, Ident)> = referenced
                .iter()
                .map(|c| (fk.referenced_table.value.clone(), c.clone()))
                .collect();
            let changed = local.iter().chain(&remote).any(|k| retyped.contains_key(k));
            let across_families = local.iter().zip(&remote).any(|(a, b)| {
                let types = |k: &(QualifiedName, Ident)| -> Vec<SqlType> {
                    match retyped.get(k) {
                        Some((old, new)) => vec![old.clone(), new.clone()],
                        None => column_type(to, k).into_iter().collect(),
                    }
                };
                let (ta, tb) = (types(a), types(b));
                (retyped.contains_key(a) || retyped.contains_key(b))
                    && ta.iter().chain(&tb).map(key_family).collect::<BTreeSet<_>>().len() > 1
            });
            let native_enum = |schema: &Schema, k: &(QualifiedName, Ident)| {
                column_type(schema, k).is_some_and(|t| match &t.name {
                    TypeName::User(name) => schema.enums.get(name).is_some_and(|e| e.storage == EnumStorage::Native),
                    TypeName::Builtin(_) => false,
                })
            };
            let with_enum = changed && local.iter().any(|k| native_enum(from, k) || native_enum(to, k));
            let included = to.tables.get(&fk.referenced_table.value).is_some_and(|t| {
                t.constraints.values().any(|key| match &key.kind {
                    ConstraintKind::PrimaryKey { columns, include, .. }
                    | ConstraintKind::Unique { columns, include, .. } => {
                        let mut key_columns: Vec<&Ident> = columns.iter().map(|c| &c.value).collect();
                        let mut wanted: Vec<&Ident> = referenced.iter().collect();
                        key_columns.sort();
                        wanted.sort();
                        key_columns == wanted
                            && include
                                .iter()
                                .any(|c| retyped.contains_key(&(t.name.clone(), c.value.clone())))
                    }
                    _ => false,
                })
            });
            if across_families || with_enum || included {
                extra.push(Change::DropConstraint {
                    table: table.name.clone(),
                    constraint: constraint.clone(),
                });
                extra.push(Change::AddConstraint {
                    table: table.name.clone(),
                    constraint: constraint.clone(),
                });
            }
        }
    }
    changes.extend(extra);
    changes
}

/// A column's type as the database stores it.
fn column_type(schema: &Schema, (table, column): &(QualifiedName, Ident)) -> Option<SqlType> {
    let column = schema.tables.get(table)?.column(column)?;
    Some(schema.storage_type(&column.data_type))
}

/// Types a foreign key compares without a cast of either side: the
/// integers among themselves, `text` and `varchar`; any other only with
/// itself.
fn key_family(ty: &SqlType) -> String {
    let name = match &ty.name {
        TypeName::Builtin(name) => match name.as_str() {
            "smallint" | "integer" | "bigint" => "integer",
            "text" | "character varying" => "text",
            other => other,
        }
        .to_string(),
        TypeName::User(name) => name.to_string(),
    };
    format!("{name}{}", "[]".repeat(ty.array_dims as usize))
}
