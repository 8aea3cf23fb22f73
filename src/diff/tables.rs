//! Tables and everything inside them: columns, constraints, indexes.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Renames};
use crate::ir::*;

pub(super) fn tables(old: &Schema, new: &Schema, renames: &Renames, changes: &mut Vec<Change>) {
    // Enums made anew by this plan, or converted between a type and a
    // check (their columns change type one at a time): an expression over
    // such a column keeps the old type inside (a label compared is of the
    // old type), and a foreign key between two of them would compare the
    // new type with the old in between, so PostgreSQL refuses the
    // conversion until they are dropped; they are made anew after.
    let recreated_enums: BTreeSet<QualifiedName> = changes
        .iter()
        .filter_map(|change| match change {
            Change::RecreateEnum { new, .. } => Some(new.name.clone()),
            _ => None,
        })
        .collect();
    let mut matched = BTreeSet::new();
    let remade = repartitioned(old, new, renames);
    // The tables others inherit from: a default set on one is set on it
    // alone, each inheriting table given its own (see `inherited_column`).
    let inheritors: BTreeSet<QualifiedName> = new.tables.values().flat_map(|t| t.inherits.iter().cloned()).collect();
    for (name, table) in &new.tables {
        let old_name = renames.tables.get(name).unwrap_or(name);
        let Some(before) = old.tables.get(old_name) else {
            changes.push(Change::CreateTable(table.clone()));
            continue;
        };
        if remade.contains(name) {
            // A new partition key: PostgreSQL has no ALTER for it, the
            // table (and its partitions) is made anew.
            changes.push(Change::DropTable(before.clone()));
            changes.push(Change::CreateTable(table.clone()));
            matched.insert(old_name.clone());
            continue;
        }
        matched.insert(old_name.clone());
        if old_name != name {
            changes.push(Change::RenameTable {
                from: old_name.clone(),
                to: name.clone(),
            });
        }
        if old_name == name
            && before == table
            && self_contained(table, old, new)
            && (table.inherits.is_empty() || old.inherited_columns(before) == new.inherited_columns(table))
            && !uses_recreated_enum(table, &recreated_enums)
        {
            // Most tables of a large schema are unchanged: one comparison
            // settles them.
            continue;
        }
        let context = TablePair {
            old,
            new,
            before,
            after: table,
            renames,
            recreated_enums: &recreated_enums,
            remade: &remade,
            inheritors: &inheritors,
        };
        context.diff(changes);
    }
    for (name, table) in &old.tables {
        if !matched.contains(name) {
            // A foreign key to a table that stays, whose key goes: dropped
            // first, so that the key can go before the table does.
            for constraint in table.constraints.values() {
                let ConstraintKind::ForeignKey(fk) = &constraint.kind else {
                    continue;
                };
                let target = &fk.referenced_table.value;
                let kept = new.tables.get(target).or_else(|| {
                    renames
                        .tables
                        .iter()
                        .find(|(_, o)| *o == target)
                        .and_then(|(n, _)| new.tables.get(n))
                });
                if kept.is_some_and(|t| !t.has_key(&fk.referenced_columns)) {
                    changes.push(Change::DropConstraint {
                        table: name.clone(),
                        constraint: constraint.clone(),
                    });
                }
            }
            changes.push(Change::DropTable(table.clone()));
        }
    }
}

/// Tables whose partition key changes (or that become or stop being
/// partitioned), and the partitions below them: made anew.
pub(super) fn repartitioned(old: &Schema, new: &Schema, renames: &Renames) -> BTreeSet<QualifiedName> {
    let mut remade: BTreeSet<QualifiedName> = new
        .tables
        .iter()
        .filter(|(name, table)| {
            let old_name = renames.tables.get(*name).unwrap_or(name);
            old.tables
                .get(old_name)
                .is_some_and(|before| before.partition_by != table.partition_by)
        })
        .map(|(name, _)| name.clone())
        .collect();
    // Their partitions, however deep, which go with them: those that were
    // partitions of one of them before (a table that was not is attached
    // to the new one instead).
    loop {
        let below: Vec<QualifiedName> = new
            .tables
            .values()
            .filter(|t| !remade.contains(&t.name))
            .filter(|t| t.partition_of.as_ref().is_some_and(|p| remade.contains(&p.parent)))
            .filter(|t| {
                let old_name = renames.tables.get(&t.name).unwrap_or(&t.name);
                old.tables.get(old_name).is_none_or(|before| {
                    before
                        .partition_of
                        .as_ref()
                        .is_some_and(|p| remade.contains(&renames.forward_table(&p.parent)))
                })
            })
            .map(|t| t.name.clone())
            .collect();
        if below.is_empty() {
            return remade;
        }
        remade.extend(below);
    }
}

/// Whether a column's type is one of the enums the plan makes anew.
fn of_enum_in(column: &Column, enums: &BTreeSet<QualifiedName>) -> bool {
    matches!(&column.data_type.value.name, TypeName::User(name) if enums.contains(name))
}

/// Whether a table has a column of an enum the plan makes anew and an
/// expression (a check, an index expression or predicate) that may use it.
fn uses_recreated_enum(table: &Table, recreated: &BTreeSet<QualifiedName>) -> bool {
    if recreated.is_empty() {
        return false;
    }
    let columns: Vec<&Column> = table.columns.iter().filter(|c| of_enum_in(c, recreated)).collect();
    if columns.is_empty() {
        return false;
    }
    let mentions = |expr: &Expr| words(expr).any(|w| columns.iter().any(|c| c.name.as_str() == w));
    let is_one = |name: &Ident| columns.iter().any(|c| &c.name == name);
    table.constraints.values().any(|c| match &c.kind {
        ConstraintKind::Check { expr, .. } => mentions(&expr.value),
        ConstraintKind::ForeignKey(key) => key.columns.iter().any(|c| is_one(&c.value)),
        _ => false,
    }) || table.indexes.values().any(|index| {
        index.predicate.as_ref().is_some_and(|p| mentions(&p.value))
            || index.elements.iter().any(|e| match &e.target {
                ElementTarget::Expression(x) => mentions(x),
                ElementTarget::Column(_) => false,
            })
    })
}

/// The words of an expression, lower-cased: the column names it may use.
fn words(expr: &Expr) -> impl Iterator<Item = String> + '_ {
    expr.as_str()
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Whether an unchanged table's meaning depends only on itself: not on the
/// labels of an `as check` enum or on another table's primary key (a
/// foreign key that names no columns).
fn self_contained(table: &Table, old: &Schema, new: &Schema) -> bool {
    table.constraints.values().all(|c| match &c.kind {
        ConstraintKind::ForeignKey(fk) => !fk.referenced_columns.is_empty(),
        ConstraintKind::EnumCheck { enum_name, .. } => old.enums.get(enum_name) == new.enums.get(enum_name),
        _ => true,
    }) && table.columns.iter().all(|c| match &c.data_type.name {
        TypeName::User(name) => old.enums.get(name).map(|e| e.storage) == new.enums.get(name).map(|e| e.storage),
        TypeName::Builtin(_) => true,
    })
}

struct TablePair<'a> {
    old: &'a Schema,
    new: &'a Schema,
    before: &'a Table,
    after: &'a Table,
    renames: &'a Renames,
    recreated_enums: &'a BTreeSet<QualifiedName>,
    /// Tables made anew (a new partition key).
    remade: &'a BTreeSet<QualifiedName>,
    /// Tables others inherit from.
    inheritors: &'a BTreeSet<QualifiedName>,
}

impl TablePair<'_> {
    fn name(&self) -> QualifiedName {
        self.after.name.clone()
    }

    /// The name a column had before (renames from `was`, inverted for a
    /// downgrade).
    fn old_column_name<'n>(&'n self, name: &'n Ident) -> &'n Ident {
        self.renames
            .columns
            .get(&self.after.name)
            .and_then(|r| r.get(name))
            .unwrap_or(name)
    }

    /// Whether a column is dropped and added again: its generated
    /// expression changes (or it stops or starts being generated), or it
    /// is computed from a column whose type or collation changes, which
    /// PostgreSQL refuses to alter under it ("cannot alter type of a column
    /// used by a generated column") and before 17 has no way to recompute.
    fn recreated(&self, name: &Ident) -> bool {
        self.after.column(name).is_some_and(|column| {
            self.before
                .column(self.old_column_name(&column.name))
                .is_some_and(|before| {
                    let (was, is) = (
                        before.generated.as_ref().map(|g| &g.value),
                        column.generated.as_ref().map(|g| &g.value),
                    );
                    // PostgreSQL cannot turn a stored column into a virtual
                    // one or back.
                    was != is
                        || (is.is_some() && before.generated_kind != column.generated_kind)
                        || is.is_some_and(|expr| {
                            words(expr).any(|w| w != column.name.as_str() && self.recollated(&Ident::new(w)))
                        })
                })
        })
    }

    /// Whether a default draws from a sequence (`nextval('name')`) that
    /// goes with the column owning it: one the plan drops, or whose table
    /// it drops or makes anew.
    fn draws_from_a_sequence_that_goes(&self, default: &Expr) -> bool {
        let text = default.as_str().to_ascii_lowercase();
        if !text.contains("nextval(") {
            return false;
        }
        self.old.sequences.values().any(|sequence| {
            let Some(owner) = &sequence.owned_by else { return false };
            let (table, column) = self.renames.forward_column(&owner.value.0, &owner.value.1);
            let goes = self.remade.contains(&table) || !self.new.has_column(&table, &column);
            goes && words(default).any(|w| w == sequence.name.name.as_str().to_ascii_lowercase())
        })
    }

    /// Whether an expression names a column that is dropped and added again.
    fn mentions_recreated(&self, expr: &Expr) -> bool {
        words(expr).any(|w| self.recreated(&Ident::new(w)))
    }

    /// Whether a column (of the new table) is of an enum the plan makes anew.
    fn of_recreated_enum(&self, name: &Ident) -> bool {
        self.after
            .column(name)
            .is_some_and(|column| of_enum_in(column, self.recreated_enums))
    }

    /// Whether a column's type or collation changes.
    fn recollated(&self, name: &Ident) -> bool {
        self.after.column(name).is_some_and(|column| {
            let old_name = self.old_column_name(&column.name);
            self.before.column(old_name).is_some_and(|before| {
                before.collation != column.collation
                    || storage_type(self.old, &before.data_type) != storage_type(self.new, &column.data_type)
            })
        })
    }

    /// Whether an expression uses a column whose type changes. PostgreSQL
    /// keeps such an expression parsed against the old type (a check
    /// compares with a `date` after its column became `timestamptz`), so
    /// the plan makes it anew. A new length, precision or scale alone
    /// (`numeric(12,2)` to `numeric(14,2)`) parses every expression the same:
    /// PostgreSQL's own copy is kept.
    fn retyped(&self, expr: &Expr) -> bool {
        let words: Vec<String> = words(expr).collect();
        let mentions = |column: &Column| words.iter().any(|w| w == column.name.as_str());
        if self
            .after
            .columns
            .iter()
            .any(|c| of_enum_in(c, self.recreated_enums) && mentions(c))
        {
            return true;
        }
        self.after.columns.iter().any(|column| {
            let old_name = self.old_column_name(&column.name);
            self.before.column(old_name).is_some_and(|before| {
                let (old_type, new_type) = (
                    storage_type(self.old, &before.data_type),
                    storage_type(self.new, &column.data_type),
                );
                old_type != new_type
                    && (old_type.name != new_type.name || old_type.array_dims != new_type.array_dims)
                    && !self.same_renamed_enum(&before.data_type, &column.data_type)
                    && words
                        .iter()
                        .any(|w| w == column.name.as_str() || w == old_name.as_str())
            })
        })
    }

    fn diff(&self, changes: &mut Vec<Change>) {
        let table = self.name();
        if self.before.comment != self.after.comment {
            changes.push(Change::CommentOnTable {
                table: table.clone(),
                comment: self.after.comment.clone(),
            });
        }
        if self.before.unlogged != self.after.unlogged {
            changes.push(Change::SetLogged {
                table: table.clone(),
                unlogged: self.after.unlogged,
            });
        }
        if self.before.access_method != self.after.access_method {
            changes.push(Change::SetAccessMethod {
                table: table.clone(),
                method: self.after.access_method.clone(),
            });
        }
        if self.before.tablespace != self.after.tablespace {
            changes.push(Change::SetTablespace {
                table: table.clone(),
                tablespace: self.after.tablespace.clone(),
            });
        }
        let (set, reset) = storage_param_changes(&self.before.storage_params, &self.after.storage_params);
        if !set.is_empty() || !reset.is_empty() {
            changes.push(Change::SetStorageParams {
                table: table.clone(),
                set,
                reset,
            });
        }
        self.lineage(changes);
        // A partition's columns are its parent's: nothing of its own to
        // change while it stays one. A table that stops being one keeps
        // the columns it had from its parent, defaults and all but
        // identity (which the detach takes away); one that becomes one
        // keeps its own defaults (attaching copies none, where a partition
        // made with PARTITION OF has its parent's): the columns in effect
        // on each side are compared, identity aside.
        if self.before.partition_of.is_none() && self.after.partition_of.is_none() {
            self.columns(changes);
        } else if self.before.partition_of.as_ref().map(|p| &p.parent)
            != self.after.partition_of.as_ref().map(|p| &p.parent)
        {
            let without_identity = |schema: &Schema, table: &Table, keep: bool| {
                let mut table = schema.with_inherited_columns(table).unwrap_or_else(|| table.clone());
                for column in table.columns.iter_mut().filter(|_| !keep) {
                    column.identity = None;
                }
                table
            };
            // Identity is compared only where the table ends up on its own:
            // a partition's is its parent's business.
            let own = self.after.partition_of.is_none();
            let before = without_identity(self.old, self.before, false);
            let after = without_identity(self.new, self.after, own);
            TablePair {
                before: &before,
                after: &after,
                ..*self
            }
            .columns(changes);
        }
        self.constraints(changes);
        self.indexes(changes);
        self.statistics(changes);
        if self.before.cluster_on != self.after.cluster_on {
            changes.push(Change::SetClusterOn {
                table: table.clone(),
                index: self.after.cluster_on.clone(),
            });
        }
        if self.before.replica_identity != self.after.replica_identity {
            changes.push(Change::SetReplicaIdentity {
                table,
                identity: self.after.replica_identity.clone(),
            });
        }
    }

    /// Extended statistics: a changed one is dropped and made again (it
    /// holds only what `ANALYZE` gathers).
    fn statistics(&self, changes: &mut Vec<Change>) {
        let table = self.name();
        for (name, stats) in &self.after.statistics {
            match self.before.statistics.get(name) {
                Some(before) if before == stats => continue,
                Some(before) => changes.push(Change::DropStatistics {
                    table: table.clone(),
                    statistics: before.clone(),
                }),
                None => {}
            }
            changes.push(Change::CreateStatistics {
                table: table.clone(),
                statistics: stats.clone(),
            });
        }
        for (name, stats) in &self.before.statistics {
            if !self.after.statistics.contains_key(name) {
                changes.push(Change::DropStatistics {
                    table: table.clone(),
                    statistics: stats.clone(),
                });
            }
        }
    }

    /// The indexes of the parent (and its ancestors) a table is attached
    /// to by this plan: none when it stays where it was. Attaching,
    /// PostgreSQL takes a table's index that matches one of them as that
    /// index's partition, so that it stops being the table's own.
    fn new_parents_indexes(&self) -> Vec<&Index> {
        let Some(after) = &self.after.partition_of else {
            return Vec::new();
        };
        if self
            .before
            .partition_of
            .as_ref()
            .map(|b| self.renames.forward_table(&b.parent))
            == Some(after.parent.clone())
        {
            return Vec::new();
        }
        self.new
            .partition_lineage(&after.parent)
            .into_iter()
            .flat_map(|t| t.indexes.values())
            .collect()
    }

    /// Partition bounds and parents: detached and attached again where the
    /// bound or parent changes; inheritance added and removed.
    fn lineage(&self, changes: &mut Vec<Change>) {
        let table = self.name();
        // Renames run first: a parent by the name it has by then.
        let (before, after) = (&self.before.partition_of, &self.after.partition_of);
        if before != after {
            if let Some(before) = before {
                changes.push(Change::DetachPartition {
                    table: table.clone(),
                    parent: self.renames.forward_table(&before.parent),
                });
            }
            if let Some(after) = after {
                changes.push(Change::AttachPartition {
                    table: table.clone(),
                    parent: after.parent.clone(),
                    bound: after.bound.clone(),
                });
            }
        }
        let old_parents: Vec<QualifiedName> = self
            .before
            .inherits
            .iter()
            .map(|p| self.renames.forward_table(p))
            .collect();
        if old_parents == self.after.inherits {
            return;
        }
        // PostgreSQL inherits only into a table that has the parent's
        // columns, and leaves them behind when it stops: they are added
        // before and dropped after.
        let has = |columns: &[Column], name: &Ident| columns.iter().any(|c| &c.name == name);
        let (had, has_now) = (
            self.old.inherited_columns(self.before),
            self.new.inherited_columns(self.after),
        );
        for parent in &old_parents {
            if !self.after.inherits.contains(parent) {
                changes.push(Change::SetInherit {
                    table: table.clone(),
                    parent: parent.clone(),
                    inherit: false,
                });
            }
        }
        for column in &had {
            if !has(&has_now, &column.name) && !has(&self.after.columns, &column.name) {
                changes.push(Change::DropColumn {
                    table: table.clone(),
                    column: column.clone(),
                });
            }
        }
        for column in &has_now {
            if !has(&had, &column.name) && !has(&self.before.columns, &column.name) {
                changes.push(Change::AddColumn {
                    table: table.clone(),
                    column: Column {
                        identity: None,
                        generated: None,
                        comment: None,
                        ..column.clone()
                    },
                });
            }
        }
        for parent in &self.after.inherits {
            if !old_parents.contains(parent) {
                changes.push(Change::SetInherit {
                    table: table.clone(),
                    parent: parent.clone(),
                    inherit: true,
                });
            }
        }
    }

    fn columns(&self, changes: &mut Vec<Change>) {
        let table = self.name();
        let renames = self.renames.columns.get(&table);
        let mut matched = BTreeSet::new();
        // A column a parent has is the parent's, written in the child or
        // not: what the table sets on it alone is compared apart.
        let inherited_of = |schema: &Schema, table: &Table| match table.inherits.is_empty() {
            true => Vec::new(),
            false => schema.inherited_columns(table),
        };
        let (had, has_now) = (inherited_of(self.old, self.before), inherited_of(self.new, self.after));
        let inherited: BTreeSet<Ident> = has_now.iter().map(|c| c.name.clone()).collect();
        // The columns in effect on each side, the parents' with what the
        // table declares of its own over them.
        let in_effect = |schema: &Schema, table: &Table, parents: &[Column]| match parents.is_empty() {
            true => Vec::new(),
            false => schema
                .with_inherited_columns(table)
                .map(|t| t.columns)
                .unwrap_or_default(),
        };
        let (was, is) = (
            in_effect(self.old, self.before, &had),
            in_effect(self.new, self.after, &has_now),
        );
        let find = |columns: &'_ [Column], name: &Ident| columns.iter().find(|c| &c.name == name).cloned();
        for column in &has_now {
            let Some(after) = find(&is, &column.name) else { continue };
            // Before: as the table had it; or, where it had it as its own
            // and now from a parent too, as it was; or as it is added
            // (with its parent's default) before the table inherits.
            let before = match find(&had, &column.name) {
                Some(_) => find(&was, &column.name),
                None => self
                    .before
                    .column(&column.name)
                    .cloned()
                    .or_else(|| Some(column.clone())),
            };
            if let Some(before) = before {
                self.inherited_column(&before, &after, changes);
            }
        }
        for column in &self.after.columns {
            if inherited.contains(&column.name) {
                matched.insert(column.name.clone());
                continue;
            }
            let old_name = renames.and_then(|r| r.get(&column.name)).unwrap_or(&column.name);
            // One a parent brought that the table keeps as its own when the
            // parent goes (PostgreSQL keeps it) is compared as it was.
            let brought = match had.iter().any(|c| &c.name == old_name) {
                true => find(&was, old_name),
                false => None,
            };
            let Some(before) = self.before.column(old_name).or(brought.as_ref()) else {
                changes.push(Change::AddColumn {
                    table: table.clone(),
                    column: column.clone(),
                });
                continue;
            };
            matched.insert(old_name.clone());
            if old_name != &column.name {
                changes.push(Change::RenameColumn {
                    table: table.clone(),
                    from: old_name.clone(),
                    to: column.name.clone(),
                });
            }
            if self.recreated(&column.name) {
                // PostgreSQL before 17 cannot change a generated expression:
                // the column is dropped and added again (its values are
                // computed), by its new name when it was renamed first.
                let mut dropped = before.clone();
                dropped.name = column.name.clone();
                // A sequence the column owns would go with it: it is let go
                // of first and given back to the new column after.
                let owner = (table.clone(), column.name.clone());
                let was_owner = (self.before.name.clone(), before.name.clone());
                let owned: Vec<QualifiedName> = self
                    .new
                    .sequences
                    .values()
                    .filter(|s| s.owned_by.as_ref().is_some_and(|o| o.value == owner))
                    .filter(|s| {
                        self.old
                            .sequences
                            .get(&s.name)
                            .and_then(|o| o.owned_by.as_ref())
                            .is_some_and(|o| o.value == was_owner)
                    })
                    .map(|s| s.name.clone())
                    .collect();
                for name in &owned {
                    changes.push(Change::SetSequenceOwner {
                        name: name.clone(),
                        owner: None,
                    });
                }
                changes.push(Change::DropColumn {
                    table: table.clone(),
                    column: dropped,
                });
                changes.push(Change::AddColumn {
                    table: table.clone(),
                    column: column.clone(),
                });
                for name in owned {
                    changes.push(Change::SetSequenceOwner {
                        name,
                        owner: Some(owner.clone()),
                    });
                }
                continue;
            }
            self.column(before, column, changes);
        }
        // One a parent brought that goes with it is dropped with it.
        for column in &self.before.columns {
            let brought = had.iter().any(|c| c.name == column.name);
            if !matched.contains(&column.name) && !inherited.contains(&column.name) && !brought {
                changes.push(Change::DropColumn {
                    table: table.clone(),
                    column: column.clone(),
                });
            }
        }
    }

    /// A column the table has from a parent after the change: the default,
    /// `not null` and comment the table gives it of its own. A default is
    /// set on each table alone (a parent's is set with ONLY), so each
    /// inheriting table is given the one in effect for it. A parent's
    /// `not null` reaches the tables below it (PostgreSQL's rule): what is
    /// left to do is what those statements leave undone. `before` is the
    /// column as the table has it before, `after` as it will.
    fn inherited_column(&self, before: &Column, after: &Column, changes: &mut Vec<Change>) {
        let table = self.name();
        let name = &after.name;
        let origins = (
            self.old.column_origin(self.before, name),
            self.new.column_origin(self.after, name),
        );
        // Where the column comes from the same table on both sides, what
        // that table changes recursively reaches this one first.
        let same_origin = match origins {
            (Some((was, _)), Some((is, _))) => &self.renames.forward_table(was) == is,
            _ => false,
        };
        let type_changed = match origins {
            (Some((_, was)), Some((_, is))) => {
                same_origin && storage_type(self.old, &was.data_type) != storage_type(self.new, &is.data_type)
            }
            _ => false,
        };
        let default = |c: &Column| c.default.as_ref().map(|d| d.value.clone());
        let goes = before
            .default
            .as_ref()
            .is_some_and(|d| self.draws_from_a_sequence_that_goes(&d.value));
        if default(before) != default(after) || ((type_changed || goes) && before.default.is_some()) {
            // A default the column's new type cannot take, or one drawn
            // from a sequence that goes, goes early (as for a column of the
            // table's own).
            if (type_changed || goes || after.default.is_none()) && before.default.is_some() {
                changes.push(Change::DropDefault {
                    table: table.clone(),
                    column: name.clone(),
                    only: true,
                });
            }
            if let Some(expr) = default(after) {
                changes.push(Change::SetDefault {
                    table: table.clone(),
                    column: name.clone(),
                    default: expr,
                    only: true,
                });
            }
        }
        let reached = match origins {
            (Some((_, was)), Some((_, is))) if same_origin && was.not_null != is.not_null => is.not_null,
            _ => before.not_null,
        };
        if after.not_null && !reached {
            changes.push(Change::SetNotNull {
                table: table.clone(),
                column: name.clone(),
            });
        } else if !after.not_null && reached {
            changes.push(Change::DropNotNull {
                table: table.clone(),
                column: name.clone(),
            });
        }
        let before = self.before.column(name).and_then(|c| c.comment.as_deref());
        let after = self.after.column(name).and_then(|c| c.comment.as_deref());
        if before != after {
            changes.push(Change::CommentOnColumn {
                table,
                column: name.clone(),
                comment: after.map(str::to_string),
            });
        }
    }

    fn column(&self, before: &Column, after: &Column, changes: &mut Vec<Change>) {
        let table = self.name();
        let name = after.name.clone();
        let (old_type, new_type) = (
            storage_type(self.old, &before.data_type),
            storage_type(self.new, &after.data_type),
        );
        let type_changed = old_type != new_type
            && !self.same_renamed_enum(&before.data_type, &after.data_type)
            && !self.converted_enum(&before.data_type, &after.data_type);
        if type_changed || before.collation != after.collation {
            changes.push(Change::AlterColumnType {
                table: table.clone(),
                column: name.clone(),
                from: old_type,
                to: new_type.clone(),
                collation: after.collation.as_deref().cloned(),
                using: after.using.as_deref().cloned(),
            });
        }
        match (&before.identity, &after.identity) {
            (None, Some(identity)) => changes.push(Change::AddIdentity {
                table: table.clone(),
                column: name.clone(),
                identity: (**identity).clone(),
            }),
            (Some(_), None) => changes.push(Change::DropIdentity {
                table: table.clone(),
                column: name.clone(),
            }),
            (Some(old), Some(new)) => {
                // The column's new type takes the identity's sequence along:
                // what is left to alter is counted from there.
                let old = if type_changed {
                    &Identity {
                        options: old.options.follow_type(&new_type),
                        ..(**old).clone()
                    }
                } else {
                    &**old
                };
                if old.always != new.always || old.options != new.options {
                    changes.push(Change::AlterIdentity {
                        table: table.clone(),
                        column: name.clone(),
                        old: old.clone(),
                        new: (**new).clone(),
                    });
                }
                // The identity's sequence keeps its name through a rename of
                // its table or column; a fresh build names it after the new
                // ones. One moved along with its table to another schema
                // PostgreSQL moves itself: it is renamed there.
                let moved = QualifiedName {
                    schema: new.sequence_name.schema.clone(),
                    name: old.sequence_name.name.clone(),
                };
                if moved != new.sequence_name {
                    changes.push(Change::RenameSequence {
                        from: moved,
                        to: new.sequence_name.clone(),
                    });
                }
            }
            _ => {}
        }
        let default = |c: &Column| c.default.as_ref().map(|d| d.value.clone());
        // Tables inheriting the column are given their own defaults.
        let only = self.inheritors.contains(&table);
        // A default drawn from a sequence that changes goes early too: the
        // sequence may go with the table that owns it, before the new
        // default's place in the plan.
        let off_a_sequence = default(before) != default(after)
            && before
                .default
                .as_ref()
                .is_some_and(|d| self.draws_from_a_sequence_that_goes(&d.value));
        if (type_changed || off_a_sequence) && before.default.is_some() {
            // PostgreSQL casts the old default to the new type and refuses
            // when there is no such cast ("default for column ... cannot be
            // cast automatically"): it goes before the type changes. One
            // kept keeps its old type inside (`'x'::text` on a varchar
            // column): set anew, it is what a new column of that type would
            // store.
            changes.push(Change::DropDefault {
                table: table.clone(),
                column: name.clone(),
                only,
            });
            if let Some(expr) = default(after) {
                changes.push(Change::SetDefault {
                    table: table.clone(),
                    column: name.clone(),
                    default: expr,
                    only,
                });
            }
        } else if default(before) != default(after) || (type_changed && after.default.is_some()) {
            match default(after) {
                Some(expr) => changes.push(Change::SetDefault {
                    table: table.clone(),
                    column: name.clone(),
                    default: expr,
                    only,
                }),
                None => changes.push(Change::DropDefault {
                    table: table.clone(),
                    column: name.clone(),
                    only,
                }),
            }
        }
        if before.not_null != after.not_null {
            if after.not_null {
                changes.push(Change::SetNotNull {
                    table: table.clone(),
                    column: name.clone(),
                });
            } else if after.identity.is_none() {
                changes.push(Change::DropNotNull {
                    table: table.clone(),
                    column: name.clone(),
                });
            }
        }
        // A new type brings its own storage: the old setting is gone.
        let mut old_settings = before.settings.as_deref().cloned().unwrap_or_default();
        if type_changed {
            old_settings.storage = None;
        }
        let new_settings = after.settings.as_deref().cloned().unwrap_or_default();
        if old_settings != new_settings {
            changes.push(Change::SetColumnSettings {
                table: table.clone(),
                column: name.clone(),
                old: old_settings,
                new: new_settings,
            });
        }
        if before.comment != after.comment {
            changes.push(Change::CommentOnColumn {
                table,
                column: name,
                comment: after.comment.as_deref().map(str::to_string),
            });
        }
    }

    /// An enum-typed column whose enum was renamed keeps its values.
    /// Whether the only change is the enum's storage (native ↔ check),
    /// which converting the enum's columns takes care of.
    fn converted_enum(&self, before: &SqlType, after: &SqlType) -> bool {
        match (&before.name, &after.name) {
            (TypeName::User(old), TypeName::User(new)) => {
                let old_name = self.renames.enums.get(new).unwrap_or(new);
                old_name == &**old
                    && before.array_dims == after.array_dims
                    && before.modifiers == after.modifiers
                    && matches!(
                        (self.old.enums.get(old), self.new.enums.get(new)),
                        (Some(a), Some(b)) if a.storage != b.storage
                    )
            }
            _ => false,
        }
    }

    fn same_renamed_enum(&self, before: &SqlType, after: &SqlType) -> bool {
        match (&before.name, &after.name) {
            (TypeName::User(old), TypeName::User(new)) => {
                self.renames.enums.get(new) == Some(old) && before.array_dims == after.array_dims
            }
            _ => false,
        }
    }

    fn constraints(&self, changes: &mut Vec<Change>) {
        let table = self.name();
        let renames = self.renames.constraints.get(&table);
        let mut matched = BTreeSet::new();
        let mut added = Vec::new();
        for constraint in self.after.constraints.values() {
            let old_name = renames
                .and_then(|r| r.get(&constraint.name))
                .unwrap_or(&constraint.name);
            let Some(before) = self.before.constraints.get(old_name) else {
                added.push(constraint);
                continue;
            };
            matched.insert(old_name.clone());
            let replaced = !self.same_constraint(before, constraint) || (!before.not_valid && constraint.not_valid);
            if old_name != &constraint.name && replaced {
                // Renamed and changed: the old one goes by its old name, the
                // new one comes by its new name; nothing to rename.
                changes.push(Change::DropConstraint {
                    table: table.clone(),
                    constraint: before.clone(),
                });
                changes.push(Change::AddConstraint {
                    table: table.clone(),
                    constraint: constraint.clone(),
                });
                continue;
            }
            if old_name != &constraint.name {
                changes.push(Change::RenameConstraint {
                    table: table.clone(),
                    from: old_name.clone(),
                    to: constraint.name.clone(),
                });
            }
            self.constraint(before, constraint, changes);
        }
        // An unnamed constraint whose generated name changed (its table or
        // column was renamed) is the same constraint: rename it.
        let mut dropped: Vec<&Constraint> = self
            .before
            .constraints
            .values()
            .filter(|c| !matched.contains(&c.name))
            .collect();
        for constraint in added {
            let twin = (!constraint.named)
                .then(|| {
                    dropped
                        .iter()
                        .position(|old| self.same_constraint(old, constraint) && old.not_valid == constraint.not_valid)
                })
                .flatten();
            match twin {
                Some(i) => {
                    let old = dropped.remove(i);
                    changes.push(Change::RenameConstraint {
                        table: table.clone(),
                        from: old.name.clone(),
                        to: constraint.name.clone(),
                    });
                    if old.comment != constraint.comment {
                        changes.push(Change::CommentOnConstraint {
                            table: table.clone(),
                            name: constraint.name.clone(),
                            comment: constraint.comment.clone(),
                        });
                    }
                }
                None => changes.push(Change::AddConstraint {
                    table: table.clone(),
                    constraint: constraint.clone(),
                }),
            }
        }
        for constraint in dropped {
            changes.push(Change::DropConstraint {
                table: table.clone(),
                constraint: constraint.clone(),
            });
        }
    }

    /// Whether an enum check only allows more labels than before: the same
    /// column and enum, every old label kept under its name.
    fn widened_enum_check(&self, before: &Constraint, after: &Constraint) -> bool {
        let (
            ConstraintKind::EnumCheck {
                column: old_column,
                enum_name: old_enum,
            },
            ConstraintKind::EnumCheck { column, enum_name },
        ) = (&before.kind, &after.kind)
        else {
            return false;
        };
        let renamed_from = self.renames.enums.get(enum_name).unwrap_or(enum_name);
        let (Some(old), Some(new)) = (self.old.enums.get(old_enum), self.new.enums.get(enum_name)) else {
            return false;
        };
        renamed_from == old_enum
            && self.old_column_name(column) == old_column
            && !self.recreated(column)
            && !before.not_valid
            && !after.not_valid
            && new.labels.len() > old.labels.len()
            && old
                .labels
                .iter()
                .all(|l| new.labels.iter().any(|n| n.name == l.name && n.was.is_none()))
    }

    fn constraint(&self, before: &Constraint, after: &Constraint, changes: &mut Vec<Change>) {
        let table = self.name();
        let same = self.same_constraint(before, after);
        if !same && self.widened_enum_check(before, after) {
            changes.push(Change::ReplaceCheck {
                table,
                old: before.clone(),
                new: after.clone(),
            });
            return;
        }
        if !same || (!before.not_valid && after.not_valid) {
            changes.push(Change::DropConstraint {
                table: table.clone(),
                constraint: before.clone(),
            });
            changes.push(Change::AddConstraint {
                table: table.clone(),
                constraint: after.clone(),
            });
            return;
        }
        // The index behind a key takes new storage parameters in place.
        let (set, reset) = storage_param_changes(key_params(before), key_params(after));
        if !set.is_empty() || !reset.is_empty() {
            changes.push(Change::SetIndexStorageParams {
                table: table.clone(),
                index: after.name.clone(),
                set,
                reset,
            });
        }
        if before.not_valid && !after.not_valid {
            changes.push(Change::ValidateConstraint {
                table: table.clone(),
                name: after.name.clone(),
            });
        }
        if before.comment != after.comment {
            changes.push(Change::CommentOnConstraint {
                table,
                name: after.name.clone(),
                comment: after.comment.clone(),
            });
        }
    }

    /// Whether two constraints (of the old and new table) enforce the same
    /// thing, renames and defaults taken into account.
    fn same_constraint(&self, before: &Constraint, after: &Constraint) -> bool {
        if before.deferrable != after.deferrable || before.initially_deferred != after.initially_deferred {
            return false;
        }
        let uses_recreated = match &after.kind {
            ConstraintKind::PrimaryKey { columns, include, .. } | ConstraintKind::Unique { columns, include, .. } => {
                columns.iter().chain(include).any(|c| self.recreated(&c.value))
            }
            ConstraintKind::ForeignKey(fk) => fk.columns.iter().any(|c| self.recreated(&c.value)),
            ConstraintKind::Check { expr, .. } => self.mentions_recreated(expr),
            ConstraintKind::Exclusion(exclusion) => exclusion.elements.iter().any(|(e, _)| match &e.target {
                ElementTarget::Column(c) => self.recreated(c),
                ElementTarget::Expression(x) => self.mentions_recreated(x),
            }),
            ConstraintKind::EnumCheck { column, .. } => self.recreated(column),
        };
        if uses_recreated {
            return false;
        }
        let columns = self.renames.columns.get(&self.name());
        let renamed = |c: &Located<Ident>| -> Ident {
            columns
                .and_then(|m| m.iter().find(|(_, old)| *old == &c.value).map(|(new, _)| new.clone()))
                .unwrap_or_else(|| c.value.clone())
        };
        let same_columns = |a: &[Located<Ident>], b: &[Located<Ident>]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| renamed(x) == y.value)
        };
        match (&before.kind, &after.kind) {
            (
                ConstraintKind::PrimaryKey {
                    columns: a,
                    include: ai,
                    ..
                },
                ConstraintKind::PrimaryKey {
                    columns: b,
                    include: bi,
                    ..
                },
            ) => same_columns(a, b) && same_columns(ai, bi),
            (
                ConstraintKind::Unique {
                    columns: a,
                    include: ai,
                    nulls_not_distinct: an,
                    ..
                },
                ConstraintKind::Unique {
                    columns: b,
                    include: bi,
                    nulls_not_distinct: bn,
                    ..
                },
            ) => same_columns(a, b) && same_columns(ai, bi) && an == bn,
            (
                ConstraintKind::Check {
                    expr: a,
                    no_inherit: an,
                },
                ConstraintKind::Check {
                    expr: b,
                    no_inherit: bn,
                },
            ) => a.value == b.value && an == bn && !self.retyped(&b.value),
            (ConstraintKind::ForeignKey(a), ConstraintKind::ForeignKey(b)) => {
                let target_old = self
                    .renames
                    .tables
                    .iter()
                    .find(|(_, o)| **o == a.referenced_table.value)
                    .map(|(n, _)| n);
                let target_matches = target_old.unwrap_or(&a.referenced_table.value) == &b.referenced_table.value;
                let ra = referenced_columns(self.old, a);
                let rb = referenced_columns(self.new, b);
                let target_columns = self.renames.columns.get(&b.referenced_table.value);
                let ra: Vec<Ident> = ra
                    .into_iter()
                    .map(|c| {
                        target_columns
                            .and_then(|m| m.iter().find(|(_, old)| **old == c).map(|(new, _)| new.clone()))
                            .unwrap_or(c)
                    })
                    .collect();
                same_columns(&a.columns, &b.columns)
                    && target_matches
                    && ra == rb
                    && a.match_type == b.match_type
                    && a.on_delete == b.on_delete
                    && a.on_update == b.on_update
                    && a.on_delete_columns == b.on_delete_columns
                    // Columns of an enum made anew change type one at a
                    // time: a foreign key between them would compare the
                    // new type with the old in between, so it goes first
                    // and comes back after.
                    && !b.columns.iter().any(|c| self.of_recreated_enum(&c.value))
            }
            (ConstraintKind::Exclusion(a), ConstraintKind::Exclusion(b)) => a == b,
            (
                ConstraintKind::EnumCheck {
                    column: ca,
                    enum_name: ea,
                },
                ConstraintKind::EnumCheck {
                    column: cb,
                    enum_name: eb,
                },
            ) => {
                let labels = |schema: &Schema, name: &QualifiedName| -> BTreeSet<String> {
                    schema
                        .enums
                        .get(name)
                        .map(|e| e.labels.iter().map(|l| l.name.clone()).collect())
                        .unwrap_or_default()
                };
                renamed(&Located::new(ca.clone(), Origin::default())) == *cb
                    && labels(self.old, ea) == labels(self.new, eb)
            }
            _ => false,
        }
    }

    fn indexes(&self, changes: &mut Vec<Change>) {
        let table = self.name();
        let renames = self.renames.indexes.get(&table);
        let mut matched = BTreeSet::new();
        let mut added = Vec::new();
        for index in self.after.indexes.values() {
            let old_name = renames.and_then(|r| r.get(&index.name)).unwrap_or(&index.name);
            let Some(before) = self.before.indexes.get(old_name) else {
                added.push(index);
                continue;
            };
            matched.insert(old_name.clone());
            let replaced = !self.same_index(before, index);
            // Renamed and changed: dropped by its old name, created by its
            // new one; nothing to rename.
            if old_name != &index.name && !replaced {
                changes.push(Change::RenameIndex {
                    table: table.clone(),
                    from: old_name.clone(),
                    to: index.name.clone(),
                });
            }
            if replaced {
                changes.push(Change::DropIndex {
                    table: table.clone(),
                    index: before.clone(),
                });
                changes.push(Change::CreateIndex {
                    table: table.clone(),
                    index: index.clone(),
                });
                continue;
            }
            self.index_properties(before, index, changes);
        }
        // Attached to a new parent: an index the table keeps as its own that
        // matches one of the parent's is dropped before and built again
        // after, or PostgreSQL would take it; one the table no longer has
        // that matches is left for PostgreSQL to take (no index is built
        // under the attach's lock).
        let mut theirs = self.new_parents_indexes();
        let mut take = |index: &Index| match theirs.iter().position(|p| self.same_index(p, index)) {
            Some(at) => {
                theirs.remove(at);
                true
            }
            None => false,
        };
        for index in self.after.indexes.values() {
            let Some(own) = self.before.indexes.get(&index.name) else {
                continue;
            };
            if self.same_index(own, index) && take(own) {
                changes.push(Change::DropIndex {
                    table: table.clone(),
                    index: own.clone(),
                });
                changes.push(Change::CreateIndex {
                    table: table.clone(),
                    index: index.clone(),
                });
            }
        }
        let mut dropped: Vec<&Index> = self
            .before
            .indexes
            .values()
            .filter(|i| !matched.contains(&i.name))
            .filter(|i| !take(i))
            .collect();
        for index in added {
            let twin = (!index.named)
                .then(|| dropped.iter().position(|old| self.same_index(old, index)))
                .flatten();
            match twin {
                Some(i) => {
                    let old = dropped.remove(i);
                    changes.push(Change::RenameIndex {
                        table: table.clone(),
                        from: old.name.clone(),
                        to: index.name.clone(),
                    });
                    self.index_properties(old, index, changes);
                }
                None => changes.push(Change::CreateIndex {
                    table: table.clone(),
                    index: index.clone(),
                }),
            }
        }
        for index in dropped {
            changes.push(Change::DropIndex {
                table: table.clone(),
                index: index.clone(),
            });
        }
    }

    /// What an index that stays (perhaps renamed) changes in place: storage
    /// parameters and comment.
    fn index_properties(&self, before: &Index, after: &Index, changes: &mut Vec<Change>) {
        let (set, reset) = storage_param_changes(&before.storage_params, &after.storage_params);
        if !set.is_empty() || !reset.is_empty() {
            changes.push(Change::SetIndexStorageParams {
                table: self.name(),
                index: after.name.clone(),
                set,
                reset,
            });
        }
        if before.comment != after.comment {
            changes.push(Change::CommentOnIndex {
                table: self.name(),
                index: after.name.clone(),
                comment: after.comment.clone(),
            });
        }
    }

    fn same_index(&self, before: &Index, after: &Index) -> bool {
        let columns = self.renames.columns.get(&self.name());
        let renamed = |c: &Ident| -> Ident {
            columns
                .and_then(|m| m.iter().find(|(_, old)| *old == c).map(|(new, _)| new.clone()))
                .unwrap_or_else(|| c.clone())
        };
        let elements = before.elements.len() == after.elements.len()
            && before.elements.iter().zip(&after.elements).all(|(a, b)| {
                let target = match (&a.target, &b.target) {
                    (ElementTarget::Column(x), ElementTarget::Column(y)) => renamed(x) == *y,
                    (x, y) => x == y,
                };
                target
                    && a.collation == b.collation
                    && a.opclass == b.opclass
                    && a.descending == b.descending
                    && a.nulls_first == b.nulls_first
            });
        elements
            && before.unique == after.unique
            && before.nulls_not_distinct == after.nulls_not_distinct
            && before.method == after.method
            && before.include.len() == after.include.len()
            && before
                .include
                .iter()
                .zip(&after.include)
                .all(|(a, b)| renamed(a) == b.value)
            && before.predicate.as_ref().map(|p| &p.value) == after.predicate.as_ref().map(|p| &p.value)
            && !after
                .elements
                .iter()
                .filter_map(|e| match &e.target {
                    ElementTarget::Expression(x) => Some(x),
                    ElementTarget::Column(_) => None,
                })
                .chain(after.predicate.as_ref().map(|p| &p.value))
                .any(|x| self.retyped(x))
            // A column dropped and added again (a new generated expression)
            // takes its indexes along.
            && !after.elements.iter().any(|e| match &e.target {
                ElementTarget::Column(c) => self.recreated(c),
                ElementTarget::Expression(x) => self.mentions_recreated(x),
            })
            && !after.include.iter().any(|c| self.recreated(&c.value))
            && !after.predicate.as_ref().is_some_and(|p| self.mentions_recreated(&p.value))
            // PostgreSQL rebuilds the index from a definition that leaves out
            // a collation equal to the column's: when the column's collation
            // changes, an explicit one is lost.
            && !after.elements.iter().any(|e| match &e.target {
                ElementTarget::Column(c) => e.collation.is_some() && self.recollated(c),
                ElementTarget::Expression(_) => false,
            })
    }
}

/// The type a column has in the database (an `as check` enum is text).
pub fn storage_type(schema: &Schema, data_type: &SqlType) -> SqlType {
    schema.storage_type(data_type)
}

/// A foreign key's referenced columns, the primary key's when not written.
pub fn referenced_columns(schema: &Schema, foreign_key: &ForeignKey) -> Vec<Ident> {
    if !foreign_key.referenced_columns.is_empty() {
        return foreign_key.referenced_columns.iter().map(|c| c.value.clone()).collect();
    }
    match schema
        .tables
        .get(&foreign_key.referenced_table)
        .and_then(|t| t.primary_key())
    {
        Some(Constraint {
            kind: ConstraintKind::PrimaryKey { columns, .. },
            ..
        }) => columns.iter().map(|c| c.value.clone()).collect(),
        _ => Vec::new(),
    }
}

/// Storage parameters to set (new or changed) and to reset (gone).
fn storage_param_changes(before: &[StorageParam], after: &[StorageParam]) -> (Vec<StorageParam>, Vec<String>) {
    let old: BTreeMap<&str, &str> = before.iter().map(|p| (p.name.as_str(), p.value.as_str())).collect();
    let new: BTreeMap<&str, &str> = after.iter().map(|p| (p.name.as_str(), p.value.as_str())).collect();
    let set = after
        .iter()
        .filter(|p| old.get(p.name.as_str()) != Some(&p.value.as_str()))
        .cloned()
        .collect();
    let reset = before
        .iter()
        .filter(|p| !new.contains_key(p.name.as_str()))
        .map(|p| p.name.clone())
        .collect();
    (set, reset)
}

/// The storage parameters of a key's index (none for other constraints).
fn key_params(constraint: &Constraint) -> &[StorageParam] {
    match &constraint.kind {
        ConstraintKind::PrimaryKey { storage_params, .. } | ConstraintKind::Unique { storage_params, .. } => {
            storage_params
        }
        _ => &[],
    }
}
