//! Renames declared with `was`, resolved against the old schema.

use std::collections::{BTreeMap, HashSet};

use crate::ir::*;

/// Declared renames, each mapping a new name to the old one. Per-table maps
/// are keyed by the table's new name.
#[derive(Clone, Debug, Default)]
pub struct Renames {
    pub tables: BTreeMap<QualifiedName, QualifiedName>,
    /// Types: enums, composite and range types.
    pub enums: BTreeMap<QualifiedName, QualifiedName>,
    /// Attributes of composite types, keyed by the type's new name.
    pub attributes: BTreeMap<QualifiedName, BTreeMap<Ident, Ident>>,
    pub sequences: BTreeMap<QualifiedName, QualifiedName>,
    pub columns: BTreeMap<QualifiedName, BTreeMap<Ident, Ident>>,
    pub constraints: BTreeMap<QualifiedName, BTreeMap<Ident, Ident>>,
    pub indexes: BTreeMap<QualifiedName, BTreeMap<Ident, Ident>>,
    pub labels: BTreeMap<QualifiedName, BTreeMap<String, String>>,
    pub routines: BTreeMap<RoutineId, RoutineId>,
    pub views: BTreeMap<QualifiedName, QualifiedName>,
    pub triggers: BTreeMap<QualifiedName, BTreeMap<Ident, Ident>>,
    pub policies: BTreeMap<QualifiedName, BTreeMap<Ident, Ident>>,
}

impl Renames {
    /// The name a label of an enum (by its new name) had before.
    pub fn old_label(&self, enum_name: &QualifiedName, label: &str) -> String {
        self.labels
            .get(enum_name)
            .and_then(|r| r.get(label))
            .cloned()
            .unwrap_or_else(|| label.to_string())
    }

    /// The renames `new` declares that `old` makes real: the old name exists
    /// in `old` and the new name does not (a hint already applied, or naming
    /// nothing, is not a rename).
    pub fn from_hints(old: &Schema, new: &Schema) -> Renames {
        let mut renames = Renames::default();
        for (name, table) in &new.tables {
            let old_table_name = match &table.was {
                Some(was) if old.tables.contains_key(&was.value) && !old.tables.contains_key(name) => {
                    renames.tables.insert(name.clone(), was.value.clone());
                    &was.value
                }
                _ => name,
            };
            let Some(old_table) = old.tables.get(old_table_name) else {
                continue;
            };
            let mut columns = BTreeMap::new();
            for column in &table.columns {
                if let Some(was) = &column.was {
                    if old_table.column(&was.value).is_some() && old_table.column(&column.name).is_none() {
                        columns.insert(column.name.clone(), was.value.clone());
                    }
                }
            }
            let mut constraints = BTreeMap::new();
            for constraint in table.constraints.values() {
                if let Some(was) = &constraint.was {
                    if old_table.constraints.contains_key(&was.value)
                        && !old_table.constraints.contains_key(&constraint.name)
                    {
                        constraints.insert(constraint.name.clone(), was.value.clone());
                    }
                }
            }
            let mut triggers = BTreeMap::new();
            for trigger in table.triggers.values() {
                if let Some(was) = &trigger.was {
                    if old_table.triggers.contains_key(&was.value) && !old_table.triggers.contains_key(&trigger.name) {
                        triggers.insert(trigger.name.clone(), was.value.clone());
                    }
                }
            }
            let mut policies = BTreeMap::new();
            for policy in table.policies.values() {
                if let Some(was) = &policy.was {
                    if old_table.policies.contains_key(&was.value) && !old_table.policies.contains_key(&policy.name) {
                        policies.insert(policy.name.clone(), was.value.clone());
                    }
                }
            }
            let mut indexes = BTreeMap::new();
            for index in table.indexes.values() {
                if let Some(was) = &index.was {
                    if old_table.indexes.contains_key(&was.value) && !old_table.indexes.contains_key(&index.name) {
                        indexes.insert(index.name.clone(), was.value.clone());
                    }
                }
            }
            for (map, target) in [
                (columns, &mut renames.columns),
                (constraints, &mut renames.constraints),
                (indexes, &mut renames.indexes),
                (triggers, &mut renames.triggers),
                (policies, &mut renames.policies),
            ] {
                if !map.is_empty() {
                    target.insert(name.clone(), map);
                }
            }
        }
        for (name, enumeration) in &new.enums {
            let old_name = match &enumeration.was {
                Some(was) if old.enums.contains_key(&was.value) && !old.enums.contains_key(name) => {
                    renames.enums.insert(name.clone(), was.value.clone());
                    was.value.clone()
                }
                _ => name.clone(),
            };
            let Some(before) = old.enums.get(&old_name) else {
                continue;
            };
            let mut labels = BTreeMap::new();
            for label in &enumeration.labels {
                if let Some(was) = &label.was {
                    let existed = |l: &str| before.labels.iter().any(|b| b.name == l);
                    if existed(&was.value) && !existed(&label.name) {
                        labels.insert(label.name.clone(), was.value.clone());
                    }
                }
            }
            if !labels.is_empty() {
                renames.labels.insert(name.clone(), labels);
            }
        }
        for (name, composite) in &new.composites {
            let old_name = match &composite.was {
                Some(was) if old.composites.contains_key(&was.value) && !old.has_type(name) => {
                    renames.enums.insert(name.clone(), was.value.clone());
                    was.value.clone()
                }
                _ => name.clone(),
            };
            let Some(before) = old.composites.get(&old_name) else {
                continue;
            };
            let had = |n: &Ident| before.attributes.iter().any(|a| a.name == *n);
            let attributes: BTreeMap<Ident, Ident> = composite
                .attributes
                .iter()
                .filter_map(|a| {
                    let was = a.was.as_ref()?;
                    (had(&was.value) && !had(&a.name)).then(|| (a.name.clone(), was.value.clone()))
                })
                .collect();
            if !attributes.is_empty() {
                renames.attributes.insert(name.clone(), attributes);
            }
        }
        for (name, range) in &new.ranges {
            if let Some(was) = &range.was {
                if old.ranges.contains_key(&was.value) && !old.has_type(name) {
                    renames.enums.insert(name.clone(), was.value.clone());
                }
            }
        }
        for (name, sequence) in &new.sequences {
            if let Some(was) = &sequence.was {
                if old.sequences.contains_key(&was.value) && !old.sequences.contains_key(name) {
                    renames.sequences.insert(name.clone(), was.value.clone());
                }
            }
        }
        for (name, view) in &new.views {
            if let Some(was) = &view.was {
                if old.views.contains_key(&was.value) && !old.views.contains_key(name) {
                    renames.views.insert(name.clone(), was.value.clone());
                }
            }
        }
        for (id, routine) in &new.routines {
            if let Some(was) = &routine.was {
                let old_id = RoutineId {
                    name: was.value.clone(),
                    arguments: id.arguments.clone(),
                };
                if old.routines.contains_key(&old_id) && !old.routines.contains_key(id) {
                    renames.routines.insert(id.clone(), old_id);
                }
            }
        }
        renames.follow_owners(old, new);
        renames
    }

    /// A sequence a column owns (a serial column's) follows its column:
    /// when the table or the column is renamed, the sequence the column
    /// owned, which `new` no longer has, is the one `new` names after the
    /// new names, as a fresh build would name it; it is renamed, never
    /// dropped and created again (its current value would be lost, and the
    /// column's default still uses it).
    fn follow_owners(&mut self, old: &Schema, new: &Schema) {
        // Owner (by its name in `old`) → the sequences it owns, on each side
        // by name: only a column that owns one sequence before and one new
        // sequence after says which is which.
        let mut owned_before: BTreeMap<(&QualifiedName, &Ident), Vec<&QualifiedName>> = BTreeMap::new();
        for sequence in old.sequences.values() {
            if let Some(owner) = &sequence.owned_by {
                owned_before
                    .entry((&owner.value.0, &owner.value.1))
                    .or_default()
                    .push(&sequence.name);
            }
        }
        let mut owned_after: BTreeMap<(QualifiedName, Ident), Vec<&QualifiedName>> = BTreeMap::new();
        for (name, sequence) in &new.sequences {
            let Some(owner) = &sequence.owned_by else { continue };
            if old.sequences.contains_key(name) || self.sequences.contains_key(name) {
                continue;
            }
            let (table, column) = &owner.value;
            let old_table = self.tables.get(table).unwrap_or(table);
            let old_column = self.columns.get(table).and_then(|c| c.get(column)).unwrap_or(column);
            owned_after
                .entry((old_table.clone(), old_column.clone()))
                .or_default()
                .push(name);
        }
        let taken: HashSet<QualifiedName> = self.sequences.values().cloned().collect();
        let mut found = Vec::new();
        for ((table, column), after) in &owned_after {
            let before = owned_before
                .get(&(table, column))
                .map(Vec::as_slice)
                .unwrap_or_default();
            // One moved along with its table to another schema is still the
            // same sequence (PostgreSQL moves it itself).
            if let ([before], [after]) = (before, after.as_slice())
                && !new.sequences.contains_key(*before)
                && !taken.contains(*before)
            {
                found.push(((*after).clone(), (*before).clone()));
            }
        }
        self.sequences.extend(found);
    }

    /// The same renames seen from the other side (old name → new name).
    pub fn inverted(&self) -> Renames {
        fn flip<K: Ord + Clone>(map: &BTreeMap<K, K>) -> BTreeMap<K, K> {
            map.iter().map(|(a, b)| (b.clone(), a.clone())).collect()
        }
        let rekey = |map: &BTreeMap<QualifiedName, BTreeMap<Ident, Ident>>| {
            map.iter()
                .map(|(table, inner)| (self.tables.get(table).unwrap_or(table).clone(), flip(inner)))
                .collect()
        };
        Renames {
            tables: flip(&self.tables),
            enums: flip(&self.enums),
            attributes: self
                .attributes
                .iter()
                .map(|(t, inner)| (self.enums.get(t).unwrap_or(t).clone(), flip(inner)))
                .collect(),
            sequences: flip(&self.sequences),
            columns: rekey(&self.columns),
            constraints: rekey(&self.constraints),
            indexes: rekey(&self.indexes),
            triggers: rekey(&self.triggers),
            policies: rekey(&self.policies),
            routines: flip(&self.routines),
            views: flip(&self.views),
            labels: self
                .labels
                .iter()
                .map(|(e, inner)| (self.enums.get(e).unwrap_or(e).clone(), flip(inner)))
                .collect(),
        }
    }

    /// The name an old table has after the renames.
    pub fn forward_table(&self, table: &QualifiedName) -> QualifiedName {
        self.tables
            .iter()
            .find(|(_, old)| *old == table)
            .map_or(table, |(new, _)| new)
            .clone()
    }

    /// Where an old table.column ends up after the renames.
    pub fn forward_column(&self, table: &QualifiedName, column: &Ident) -> (QualifiedName, Ident) {
        let new_table = self.forward_table(table);
        let new_column = self
            .columns
            .get(&new_table)
            .and_then(|m| m.iter().find(|(_, old)| *old == column).map(|(new, _)| new.clone()))
            .unwrap_or_else(|| column.clone());
        (new_table, new_column)
    }
}
