//! Schema IR → `.trellis` source, as a person would write it (for
//! `trellisc import`): names PostgreSQL would choose anyway left out,
//! single-column constraints on their column's line, `serial` where it means
//! the same thing, options only where they differ from the defaults.
//!
//! Every short form is checked, not assumed: the document is lowered again
//! and any short form that does not come back as the same IR (a generated
//! name numbered differently, a serial whose sequence would be named
//! otherwise) is spelled out in full, until nothing changes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::lower::{LowerOptions, expression_columns, lower};
use super::{format_file, parse_file};
use crate::diag::FileId;
use crate::ir::name::MAX_IDENT_BYTES;
use crate::ir::naming::{index_column_names, join_column_names, make_object_name};
use crate::ir::types::resolve_builtin;
use crate::ir::*;

/// Writes a schema as one `.trellis` document in the canonical layout that
/// lowers back to the same schema.
pub fn write_schema(schema: &Schema) -> String {
    let mut spelling = Spelling::shortest(schema);
    loop {
        let text = Writer::new(schema, &spelling).document();
        let (Some(file), _) = parse_file(FileId(0), &text) else {
            // Only a name the language cannot spell gets here; the text
            // still shows the user everything.
            return text;
        };
        let (relowered, _) = lower(vec![file.clone()], &LowerOptions::default());
        if !spelling.widen(schema, &relowered) {
            return format_file(&file, &text);
        }
    }
}

/// Which short forms the document uses. Each set only shrinks, so checking
/// and widening ends.
struct Spelling {
    /// Constraints written without their name: (table, constraint).
    unnamed_constraints: BTreeSet<(QualifiedName, Ident)>,
    /// Indexes written without their name: (table, index).
    unnamed_indexes: BTreeSet<(QualifiedName, Ident)>,
    /// Identity columns whose sequence name is left to PostgreSQL's rule.
    default_identity_sequences: BTreeSet<(QualifiedName, Ident)>,
    /// Serial columns, (table, column), with the sequence they stand for.
    serials: BTreeMap<(QualifiedName, Ident), QualifiedName>,
}

impl Spelling {
    /// Every short form that the IR suggests.
    fn shortest(schema: &Schema) -> Spelling {
        let mut spelling = Spelling {
            unnamed_constraints: BTreeSet::new(),
            unnamed_indexes: BTreeSet::new(),
            default_identity_sequences: BTreeSet::new(),
            serials: BTreeMap::new(),
        };
        for (table_name, table) in &schema.tables {
            let key = |name: &Ident| (table_name.clone(), name.clone());
            for (name, constraint) in &table.constraints {
                if matches!(constraint.kind, ConstraintKind::EnumCheck { .. }) {
                    // Never written: lowering adds it, named by the rule.
                    continue;
                }
                if is_generated_name(name, table, &constraint_name_rule(table, constraint)) {
                    spelling.unnamed_constraints.insert(key(name));
                }
            }
            for (name, index) in &table.indexes {
                let columns = element_names(index.elements.iter(), &index.include);
                if is_generated_name(name, table, &(columns, "idx")) {
                    spelling.unnamed_indexes.insert(key(name));
                }
            }
            for column in &table.columns {
                let Some(identity) = &column.identity else { continue };
                let rule = (NamePart::Known(Some(column.name.as_str().to_string())), "seq");
                if identity.sequence_name.schema == table_name.schema
                    && is_generated_name(&identity.sequence_name.name, table, &rule)
                {
                    spelling.default_identity_sequences.insert(key(&column.name));
                }
            }
        }
        for sequence in schema.sequences.values() {
            if let Some(column) = serial_column(schema, sequence) {
                spelling.serials.entry(column).or_insert_with(|| sequence.name.clone());
            }
        }
        spelling
    }

    /// Gives up every short form that did not lower back to the same IR;
    /// whether any was given up.
    fn widen(&mut self, schema: &Schema, relowered: &Schema) -> bool {
        let before = self.len();
        let table_pair = |table: &QualifiedName| Some((schema.tables.get(table)?, relowered.tables.get(table)?));
        self.unnamed_constraints.retain(|(table, name)| {
            table_pair(table).is_some_and(|(original, again)| {
                match (original.constraints.get(name), again.constraints.get(name)) {
                    (Some(a), Some(b)) => {
                        *a == Constraint {
                            named: a.named,
                            ..b.clone()
                        }
                    }
                    _ => false,
                }
            })
        });
        self.unnamed_indexes.retain(|(table, name)| {
            table_pair(table).is_some_and(|(original, again)| {
                match (original.indexes.get(name), again.indexes.get(name)) {
                    (Some(a), Some(b)) => {
                        *a == Index {
                            named: a.named,
                            ..b.clone()
                        }
                    }
                    _ => false,
                }
            })
        });
        self.default_identity_sequences.retain(|(table, column)| {
            table_pair(table).is_some_and(|(original, again)| {
                let sequence = |t: &Table| {
                    t.column(column)
                        .and_then(|c| c.identity.as_ref())
                        .map(|i| i.sequence_name.clone())
                };
                sequence(original) == sequence(again)
            })
        });
        self.serials.retain(|(table, column), sequence| {
            schema.sequences.get(sequence) == relowered.sequences.get(sequence)
                && table_pair(table).is_some_and(|(original, again)| original.column(column) == again.column(column))
        });
        self.len() != before
    }

    fn len(&self) -> usize {
        self.unnamed_constraints.len()
            + self.unnamed_indexes.len()
            + self.default_identity_sequences.len()
            + self.serials.len()
    }
}

/// The column part of a generated name: none (`users_pkey`), known, or
/// unknown (an index expression, named after its function).
enum NamePart {
    Known(Option<String>),
    Unknown,
}

/// The column part and label PostgreSQL builds a constraint's name from.
fn constraint_name_rule(table: &Table, constraint: &Constraint) -> (NamePart, &'static str) {
    let joined = |columns: &[Located<Ident>]| join_column_names(columns.iter().map(|c| c.as_str()));
    match &constraint.kind {
        ConstraintKind::PrimaryKey { .. } => (NamePart::Known(None), "pkey"),
        ConstraintKind::Unique { columns, include, .. } => {
            let names: Vec<String> = columns.iter().chain(include).map(|c| c.as_str().to_string()).collect();
            let names = index_column_names(&names);
            (
                NamePart::Known(Some(join_column_names(names.iter().map(String::as_str)))),
                "key",
            )
        }
        ConstraintKind::Check { expr, .. } => (NamePart::Known(check_column(table, expr)), "check"),
        ConstraintKind::EnumCheck { column, .. } => (NamePart::Known(Some(column.as_str().to_string())), "check"),
        ConstraintKind::ForeignKey(fk) => (NamePart::Known(Some(joined(&fk.columns))), "fkey"),
        ConstraintKind::Exclusion(exclusion) => (
            element_names(exclusion.elements.iter().map(|(e, _)| e), &exclusion.include),
            "excl",
        ),
    }
}

/// The one column a check mentions, which PostgreSQL puts in its name.
fn check_column(table: &Table, expr: &Expr) -> Option<String> {
    let columns: Vec<Ident> = table.columns.iter().map(|c| c.name.clone()).collect();
    let used = expression_columns(expr.as_str(), &columns);
    match used.len() {
        1 => used.into_iter().next().map(|c| c.as_str().to_string()),
        _ => None,
    }
}

/// The column part of an index or exclusion name.
fn element_names<'e>(elements: impl Iterator<Item = &'e IndexElement>, include: &[Located<Ident>]) -> NamePart {
    let mut names = Vec::new();
    for element in elements {
        match &element.target {
            ElementTarget::Column(name) => names.push(name.as_str().to_string()),
            ElementTarget::Expression(_) => return NamePart::Unknown,
        }
    }
    names.extend(include.iter().map(|c| c.as_str().to_string()));
    let names = index_column_names(&names);
    NamePart::Known(Some(join_column_names(names.iter().map(String::as_str))))
}

/// Whether `name` is what PostgreSQL would call the object, perhaps
/// numbered after a collision (`users_email_key1`). An unknown column part
/// only needs the right shape: lowering again decides.
fn is_generated_name(name: &Ident, table: &Table, (part, label): &(NamePart, &str)) -> bool {
    let name = name.as_str();
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let number = &name[stem.len()..];
    if number.starts_with('0') {
        return false;
    }
    let label = format!("{label}{number}");
    let table = table.name.name.as_str();
    match part {
        NamePart::Known(columns) => name == make_object_name(table, columns.as_deref(), Some(&label)),
        NamePart::Unknown => {
            name.ends_with(&format!("_{label}"))
                && (name.starts_with(&format!("{table}_")) || name.len() == MAX_IDENT_BYTES)
        }
    }
}

/// The column a sequence can be written as `serial` on: it owns the
/// sequence, takes its default from it and has the options `serial` gives.
fn serial_column(schema: &Schema, sequence: &Sequence) -> Option<(QualifiedName, Ident)> {
    let (table_name, column_name) = &sequence.owned_by.as_ref()?.value;
    if sequence.was.is_some() || sequence.comment.is_some() || sequence.name.schema != table_name.schema {
        return None;
    }
    let table = schema.tables.get(table_name)?;
    let column = table.column(column_name)?;
    serial_keyword(&column.data_type)?;
    if !column.not_null || column.identity.is_some() || column.generated.is_some() {
        return None;
    }
    let regclass = if sequence.name.schema.as_str() == "public" {
        sequence.name.name.quoted()
    } else {
        sequence.name.quoted()
    };
    let nextval = Expr(format!("nextval('{}'::regclass)", regclass.replace('\'', "''")));
    if column.default.as_ref().map(|d| &d.value) != Some(&nextval) {
        return None;
    }
    let max_value = column.data_type.integer_range().map_or(i64::MAX, |(_, max)| max);
    let options = SequenceOptions {
        data_type: column.data_type.value.clone(),
        increment: 1,
        min_value: 1,
        max_value,
        start: 1,
        cache: 1,
        cycle: false,
    };
    let rule = (NamePart::Known(Some(column_name.as_str().to_string())), "seq");
    (sequence.options == options && is_generated_name(&sequence.name.name, table, &rule))
        .then(|| (table_name.clone(), column_name.clone()))
}

/// `serial`, `bigserial` or `smallserial` for a column of that type.
fn serial_keyword(data_type: &SqlType) -> Option<&'static str> {
    if data_type.modifiers.is_some() {
        return None;
    }
    match data_type.builtin_name()? {
        "integer" => Some("serial"),
        "bigint" => Some("bigserial"),
        "smallint" => Some("smallserial"),
        _ => None,
    }
}

/// Prints the document for one choice of short forms.
struct Writer<'a> {
    schema: &'a Schema,
    spelling: &'a Spelling,
    serial_sequences: BTreeSet<&'a QualifiedName>,
    out: String,
}

impl<'a> Writer<'a> {
    fn new(schema: &'a Schema, spelling: &'a Spelling) -> Writer<'a> {
        Writer {
            schema,
            spelling,
            serial_sequences: spelling.serials.values().collect(),
            out: String::new(),
        }
    }

    fn document(mut self) -> String {
        // `public` is there anyway: declared only for its comment.
        for schema in self.schema.schemas.values() {
            if schema.comment.is_some() || schema.name.as_str() != "public" {
                docs(&mut self.out, schema.comment.as_deref(), "");
                let _ = writeln!(self.out, "schema {}\n", schema.name.quoted());
            }
        }
        for extension in self.schema.extensions.values() {
            docs(&mut self.out, extension.comment.as_deref(), "");
            let mut line = format!("extension {}", extension.name.quoted());
            if let Some(version) = &extension.version {
                let _ = write!(line, " version {}", string(version));
            }
            if let Some(schema) = &extension.schema {
                let _ = write!(line, " schema {}", schema.quoted());
            }
            let _ = writeln!(self.out, "{line}\n");
        }
        for collation in self.schema.collations.values() {
            docs(&mut self.out, collation.comment.as_deref(), "");
            let mut options = vec![format!("provider = {}", collation.provider)];
            options.extend(collation.options(string));
            let _ = writeln!(self.out, "collation {} ({})\n", collation.name, options.join(", "));
        }
        for enumeration in self.schema.enums.values() {
            self.enumeration(enumeration);
        }
        for domain in self.domains_in_order() {
            self.domain(domain);
        }
        for range in self.schema.ranges.values() {
            self.range(range);
        }
        for composite in self.schema.composites.values() {
            self.composite(composite);
        }
        for sequence in self.schema.sequences.values() {
            if !self.serial_sequences.contains(&sequence.name) {
                self.sequence(sequence);
            }
        }
        for routine in self.schema.routines.values() {
            self.routine(routine);
        }
        for table in self.schema.tables.values() {
            self.table(table);
        }
        for view in self.schema.views.values() {
            self.view(view);
        }
        self.privileges();
        self.out
    }

    /// The default privileges, then what each object holds beyond what it
    /// would hold when made (`grant`) and what it lacks of that
    /// (`revoke`). Grants to the owner are not kept, so not written.
    fn privileges(&mut self) {
        let privileges = &self.schema.privileges;
        // Default privileges, grouped into one line per role, schema,
        // kind, grantee and state.
        // The state: granted (with the grant option or not), or withheld.
        type DefaultGroup<'g> = (
            &'g Option<Ident>,
            &'g Option<Ident>,
            DefaultKind,
            &'g Grantee,
            Option<bool>,
        );
        let mut defaults: BTreeMap<DefaultGroup, Vec<Privilege>> = BTreeMap::new();
        for (key, grant) in &privileges.defaults {
            let state = match grant {
                DefaultGrant::Granted { grantable } => Some(*grantable),
                DefaultGrant::Revoked => None,
            };
            defaults
                .entry((&key.role, &key.schema, key.kind, &key.grantee, state))
                .or_default()
                .push(key.privilege);
        }
        let mut lines = Vec::new();
        for ((role, schema, kind, grantee, grant), list) in defaults {
            let mut line = "default privileges".to_string();
            if let Some(role) = role {
                let _ = write!(line, " for role {}", role.quoted());
            }
            if let Some(schema) = schema {
                let _ = write!(line, " in schema {}", schema.quoted());
            }
            let kind = kind.keyword().to_lowercase();
            let list = privilege_list(&list);
            let grantee = grantee_text(grantee);
            match grant {
                Some(grantable) => {
                    let option = if grantable { " with grant option" } else { "" };
                    let _ = write!(line, " grant {list} on {kind} to {grantee}{option}");
                }
                None => {
                    let _ = write!(line, " revoke {list} on {kind} from {grantee}");
                }
            }
            lines.push(line);
        }
        // What each object holds, against what it starts with.
        type Group<'g> = (&'g Securable, &'g Grantee, bool, Option<&'g Ident>);
        let mut grants: BTreeMap<Group, Vec<Privilege>> = BTreeMap::new();
        let mut revokes: BTreeMap<(&Securable, Grantee), Vec<Privilege>> = BTreeMap::new();
        let objects = crate::ir::grants::securables(self.schema);
        let mut initial: BTreeMap<&Securable, BTreeMap<(Grantee, Privilege), bool>> = BTreeMap::new();
        for object in &objects {
            initial.insert(object, crate::ir::grants::initial(object, &privileges.defaults));
        }
        for (key, grant) in &privileges.grants {
            let starts = key
                .column
                .is_none()
                .then(|| initial.get(&key.object))
                .flatten()
                .and_then(|held| held.get(&(key.grantee.clone(), key.privilege)));
            // A privilege the object starts with is written again only
            // where the grant option differs.
            if starts == Some(&grant.grantable) {
                continue;
            }
            grants
                .entry((&key.object, &key.grantee, grant.grantable, key.column.as_ref()))
                .or_default()
                .push(key.privilege);
        }
        for (object, held) in &initial {
            for (grantee, privilege) in held.keys() {
                let key = GrantKey {
                    object: (*object).clone(),
                    column: None,
                    grantee: grantee.clone(),
                    privilege: *privilege,
                };
                if !privileges.grants.contains_key(&key) {
                    revokes.entry((*object, key.grantee)).or_default().push(*privilege);
                }
            }
        }
        // Column grants of one object, grantee and option share a line.
        let mut merged: BTreeMap<(&Securable, &Grantee, bool), Vec<String>> = BTreeMap::new();
        let mut columns: BTreeMap<(&Securable, &Grantee, bool, Privilege), Vec<&Ident>> = BTreeMap::new();
        for ((object, grantee, grantable, column), list) in &grants {
            match column {
                None => merged
                    .entry((object, grantee, *grantable))
                    .or_default()
                    .extend(list.iter().map(|p| p.keyword().to_lowercase())),
                Some(column) => {
                    for privilege in list {
                        columns
                            .entry((object, grantee, *grantable, *privilege))
                            .or_default()
                            .push(column);
                    }
                }
            }
        }
        for ((object, grantee, grantable, privilege), list) in columns {
            let names: Vec<String> = list.iter().map(|c| column_ident(c)).collect();
            merged.entry((object, grantee, grantable)).or_default().push(format!(
                "{} ({})",
                privilege.keyword().to_lowercase(),
                names.join(", ")
            ));
        }
        for ((object, grantee), list) in revokes {
            lines.push(format!(
                "revoke {} on {} from {}",
                privilege_list(&list),
                self.securable(object),
                grantee_text(&grantee)
            ));
        }
        for ((object, grantee, grantable), list) in merged {
            let option = if grantable { " with grant option" } else { "" };
            lines.push(format!(
                "grant {} on {} to {}{option}",
                list.join(", "),
                self.securable(object),
                grantee_text(grantee)
            ));
        }
        if !lines.is_empty() {
            let _ = writeln!(self.out, "{}\n", lines.join("\n"));
        }
    }

    /// An object as a grant names it in the language.
    fn securable(&self, object: &Securable) -> String {
        match object {
            Securable::Relation(name) => format!("table {name}"),
            Securable::Sequence(name) => format!("sequence {name}"),
            Securable::Routine(id, kind) => {
                let arguments: Vec<String> = id.arguments.iter().map(|t| t.to_string()).collect();
                let keyword = match kind {
                    RoutineKind::Function => "function",
                    RoutineKind::Procedure => "procedure",
                };
                format!("{keyword} {}({})", id.name, arguments.join(", "))
            }
            Securable::Schema(name) => format!("schema {}", name.quoted()),
            Securable::Type(name) => format!("type {name}"),
        }
    }

    /// `[materialized] view NAME { QUERY }`, the query as PostgreSQL prints
    /// it, then the indexes of a materialized view.
    fn view(&mut self, view: &View) {
        docs(&mut self.out, view.comment.as_deref(), "");
        if view.materialized {
            self.out.push_str("materialized ");
        }
        let _ = write!(
            self.out,
            "view {}{}",
            view.name,
            was_qualified(view.was.as_deref(), &view.name)
        );
        if !view.columns.is_empty() {
            let columns: Vec<String> = view.columns.iter().map(Ident::quoted).collect();
            let _ = write!(self.out, " ({})", columns.join(", "));
        }
        if !view.options.is_empty() {
            let _ = write!(self.out, " with ({})", params(&view.options));
        }
        let _ = write!(self.out, " {{\n{}\n}}", view.query.trim_end());
        if let Some(kind) = &view.check_option {
            let _ = write!(self.out, " with {kind} check option");
        }
        self.out.push_str("\n\n");
        for trigger in view.triggers.values() {
            docs(&mut self.out, trigger.comment.as_deref(), "");
            let was = trigger
                .was
                .as_ref()
                .map(|w| format!(" was {}", w.quoted()))
                .unwrap_or_default();
            let _ = writeln!(
                self.out,
                "{}trigger {}{was} {} on {} {}\n",
                if trigger.constraint { "constraint " } else { "" },
                quoted_avoiding(&trigger.name, &["was", "before", "after", "instead"]),
                trigger.events,
                view.name,
                trigger.rest
            );
        }
        for index in view.indexes.values() {
            docs(&mut self.out, index.comment.as_deref(), "");
            let _ = writeln!(
                self.out,
                "{}index {} on {} {}\n",
                if index.unique { "unique " } else { "" },
                index.name.quoted(),
                view.name,
                index.rest
            );
        }
    }

    /// `function NAME(ARGS) REST`: the text after the name is PostgreSQL's
    /// own, as reflection has it.
    fn routine(&mut self, routine: &Routine) {
        docs(&mut self.out, routine.comment.as_deref(), "");
        let name = &routine.id.name;
        let was = was_qualified(routine.was.as_deref(), name);
        let rest = routine.rest.trim_end();
        let space = if rest.starts_with(char::is_whitespace) { "" } else { " " };
        let _ = writeln!(
            self.out,
            "{} {name}({}){was}{space}{rest}\n",
            routine.kind(),
            routine.arguments
        );
    }

    fn enumeration(&mut self, enumeration: &Enum) {
        docs(&mut self.out, enumeration.comment.as_deref(), "");
        let labels: Vec<String> = enumeration
            .labels
            .iter()
            .map(|label| match &label.was {
                Some(was) => format!("{} was {}", string(&label.name), string(was)),
                None => string(&label.name),
            })
            .collect();
        let _ = writeln!(
            self.out,
            "enum {}{}{} {{ {} }}\n",
            enumeration.name,
            was_qualified(enumeration.was.as_deref(), &enumeration.name),
            if enumeration.storage == EnumStorage::Check {
                " as check"
            } else {
                ""
            },
            labels.join(", ")
        );
    }

    /// Domains over other domains after those (the order does not matter
    /// to trellisc, but a reader meets a type before its uses).
    fn domains_in_order(&self) -> Vec<&'a Domain> {
        let all = self.schema.domains.values().collect();
        in_rounds(all, |d, left| !left.iter().any(|o| d.is_over(o)))
    }

    fn domain(&mut self, domain: &Domain) {
        docs(&mut self.out, domain.comment.as_deref(), "");
        let mut line = format!("domain {} as {}", domain.name, type_text(&domain.data_type));
        if domain.not_null {
            line.push_str(" not null");
        }
        if let Some(default) = &domain.default {
            let _ = write!(line, " default {}", default_text(default));
        }
        // The name PostgreSQL gives a lone unnamed check goes unwritten.
        let default_name = crate::ir::naming::make_object_name(domain.name.name.as_str(), None, Some("check"));
        for check in domain.checks.values() {
            if check.name.as_str() != default_name {
                let _ = write!(line, " constraint {}", check.name.quoted());
            }
            let _ = write!(line, " check ({})", one_line(&check.expr));
            if check.not_valid {
                line.push_str(" not valid");
            }
        }
        if let Some(collation) = &domain.collation {
            let _ = write!(line, " collate {}", collation.quoted());
        }
        let _ = writeln!(self.out, "{line}\n");
    }

    fn composite(&mut self, composite: &CompositeType) {
        docs(&mut self.out, composite.comment.as_deref(), "");
        let _ = writeln!(
            self.out,
            "type {}{} as (",
            composite.name,
            was_qualified(composite.was.as_deref(), &composite.name)
        );
        let last = composite.attributes.len().saturating_sub(1);
        let names: Vec<String> = composite.attributes.iter().map(|a| column_ident(&a.name)).collect();
        let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        for (i, (attribute, name)) in composite.attributes.iter().zip(&names).enumerate() {
            docs(&mut self.out, attribute.comment.as_deref(), "  ");
            let pad = " ".repeat(width - name.chars().count());
            let mut line = format!("  {name}{pad} {}", type_text(&attribute.data_type));
            if let Some(collation) = &attribute.collation {
                let _ = write!(line, " collate {}", collation.quoted());
            }
            if let Some(was) = &attribute.was {
                let _ = write!(line, " was {}", column_ident(was));
            }
            if i < last {
                line.push(',');
            }
            let _ = writeln!(self.out, "{line}");
        }
        self.out.push_str(")\n\n");
    }

    fn range(&mut self, range: &RangeType) {
        docs(&mut self.out, range.comment.as_deref(), "");
        let mut options = vec![format!("subtype = {}", type_text(&range.subtype))];
        for (key, value) in [
            ("subtype_opclass", &range.subtype_opclass),
            ("collation", &range.collation),
            ("canonical", &range.canonical),
            ("subtype_diff", &range.subtype_diff),
        ] {
            if let Some(value) = value {
                options.push(format!("{key} = {}", value.quoted()));
            }
        }
        if let Some(name) = &range.multirange {
            options.push(format!("multirange_type_name = {name}"));
        }
        let _ = writeln!(
            self.out,
            "type {}{} as range ({})\n",
            range.name,
            was_qualified(range.was.as_deref(), &range.name),
            options.join(", ")
        );
    }

    fn sequence(&mut self, sequence: &Sequence) {
        docs(&mut self.out, sequence.comment.as_deref(), "");
        let _ = writeln!(
            self.out,
            "sequence {}{} {{",
            sequence.name,
            was_qualified(sequence.was.as_deref(), &sequence.name)
        );
        for option in sequence_options(&sequence.options, &SqlType::builtin("bigint")) {
            let _ = writeln!(self.out, "  {option}");
        }
        if let Some(owner) = &sequence.owned_by {
            let (table, column) = &owner.value;
            let _ = writeln!(self.out, "  owned by {table}.{}", column.quoted());
        }
        self.out.push_str("}\n\n");
    }

    fn table(&mut self, table: &Table) {
        docs(&mut self.out, table.comment.as_deref(), "");
        if table.unlogged {
            self.out.push_str("unlogged ");
        }
        let _ = write!(
            self.out,
            "table {}{}",
            table.name,
            was_qualified(table.was.as_deref().map(|was| &was.value), &table.name)
        );
        if let Some(of) = &table.partition_of {
            let _ = write!(
                self.out,
                " partition of {} {}",
                of.parent,
                crate::sql::one_line(&of.bound)
            );
        }
        if !table.inherits.is_empty() {
            let parents: Vec<String> = table.inherits.iter().map(ToString::to_string).collect();
            let _ = write!(self.out, " inherits ({})", parents.join(", "));
        }
        if let Some(key) = &table.partition_by {
            let _ = write!(
                self.out,
                " partition by {} ({})",
                key.strategy,
                crate::sql::one_line(&key.key)
            );
        }
        let (method, tablespace) = self.schema.stated_storage(table);
        if let Some(method) = &method {
            let _ = write!(self.out, " using {method}");
        }
        if !table.storage_params.is_empty() {
            let _ = write!(self.out, " with ({})", params(&table.storage_params));
        }
        if let Some(tablespace) = &tablespace {
            let _ = write!(self.out, " tablespace {tablespace}");
        }
        self.out.push_str(" {\n");
        // Constraints that go on their column's line, by column.
        let mut inline: BTreeMap<&Ident, Vec<&Constraint>> = BTreeMap::new();
        let mut items: Vec<&Constraint> = Vec::new();
        for constraint in sorted(table.constraints.values(), |c| &c.name) {
            if matches!(constraint.kind, ConstraintKind::EnumCheck { .. }) {
                // Lowering adds it for every column of an `as check` enum.
                continue;
            }
            // A name that must be written reads best on a line of its own,
            // as `constraint NAME ...`.
            let key = (table.name.clone(), constraint.name.clone());
            let unnamed = self.spelling.unnamed_constraints.contains(&key);
            match inline_column(table, constraint).filter(|_| unnamed) {
                Some(column) => inline.entry(column).or_default().push(constraint),
                None => items.push(constraint),
            }
        }
        for column in &table.columns {
            self.column(table, column, inline.get(&column.name).map_or(&[][..], Vec::as_slice));
        }
        items.sort_by_key(|c| item_order(&c.kind));
        let mut lines = Vec::new();
        for constraint in items {
            let mut line = String::new();
            docs(&mut line, constraint.comment.as_deref(), "  ");
            let _ = write!(line, "  {}", self.constraint_item(table, constraint));
            lines.push(line);
        }
        for index in sorted(table.indexes.values(), |i| &i.name) {
            let mut line = String::new();
            docs(&mut line, index.comment.as_deref(), "  ");
            let _ = write!(line, "  {}", self.index(table, index));
            lines.push(line);
        }
        for trigger in table.triggers.values() {
            let mut line = String::new();
            docs(&mut line, trigger.comment.as_deref(), "  ");
            let was = trigger
                .was
                .as_ref()
                .map(|w| format!(" was {}", w.quoted()))
                .unwrap_or_default();
            let _ = write!(
                line,
                "  {}trigger {}{was} {} {}",
                if trigger.constraint { "constraint " } else { "" },
                quoted_avoiding(&trigger.name, &["was", "before", "after", "instead"]),
                trigger.events,
                trigger.rest
            );
            lines.push(line);
        }
        for stats in table.statistics.values() {
            let kinds = match stats.kinds.is_empty() {
                true => String::new(),
                false => format!(" ({})", stats.kinds.join(", ")),
            };
            lines.push(format!(
                "  statistics {}{kinds} on ({})",
                quoted_avoiding(&stats.name, &["on"]),
                stats.targets
            ));
        }
        if let Some(index) = &table.cluster_on {
            lines.push(format!("  cluster on {}", index.quoted()));
        }
        match (table.row_security.enabled, table.row_security.forced) {
            (true, false) => lines.push("  row level security".into()),
            (true, true) => lines.push("  row level security force".into()),
            _ => {}
        }
        for policy in table.policies.values() {
            let mut line = String::new();
            docs(&mut line, policy.comment.as_deref(), "  ");
            let words = ["was", "as", "for", "to", "using", "with"];
            let _ = write!(line, "  policy {}", quoted_avoiding(&policy.name, &words));
            if let Some(was) = &policy.was {
                let _ = write!(line, " was {}", was.quoted());
            }
            if !policy.permissive {
                line.push_str(" as restrictive");
            }
            if policy.command != "all"
                || policy.roles == [Ident::new("public")] && policy.using.is_none() && policy.check.is_none()
            {
                let _ = write!(line, " for {}", policy.command);
            }
            if policy.roles != [Ident::new("public")] {
                let roles: Vec<String> = policy.roles.iter().map(Ident::quoted).collect();
                let _ = write!(line, " to {}", roles.join(", "));
            }
            if let Some(using) = &policy.using {
                let _ = write!(line, " using ({})", crate::sql::one_line(using));
            }
            if let Some(check) = &policy.check {
                let _ = write!(line, " with check ({})", crate::sql::one_line(check));
            }
            lines.push(line);
        }
        match &table.replica_identity {
            ReplicaIdentity::Default => {}
            ReplicaIdentity::Full => lines.push("  replica identity full".into()),
            ReplicaIdentity::Nothing => lines.push("  replica identity nothing".into()),
            ReplicaIdentity::Index(index) => lines.push(format!("  replica identity using index {}", index.quoted())),
        }
        if !lines.is_empty() && !table.columns.is_empty() {
            self.out.push('\n');
        }
        for line in lines {
            self.out.push_str(&line);
            self.out.push('\n');
        }
        self.out.push_str("}\n\n");
    }

    fn column(&mut self, table: &Table, column: &Column, inline: &[&Constraint]) {
        docs(&mut self.out, column.comment.as_deref(), "  ");
        let key = (table.name.clone(), column.name.clone());
        let serial = self.spelling.serials.contains_key(&key);
        let mut line = format!("  {} ", column_ident(&column.name));
        match serial_keyword(&column.data_type).filter(|_| serial) {
            Some(keyword) => line.push_str(keyword),
            None => line.push_str(&type_text(&column.data_type)),
        }
        if let Some(using) = &column.using {
            let _ = write!(line, " using ({})", one_line(&using.value));
        }
        if let Some(identity) = &column.identity {
            let _ = write!(
                line,
                " generated {} as identity",
                if identity.always { "always" } else { "by default" }
            );
            let mut options = Vec::new();
            if !self.spelling.default_identity_sequences.contains(&key) {
                options.push(format!("sequence name {}", identity.sequence_name));
            }
            let default_type = match column.data_type.integer_range() {
                Some(_) => column.data_type.value.clone(),
                None => SqlType::builtin("bigint"),
            };
            options.extend(sequence_options(&identity.options, &default_type));
            if !options.is_empty() {
                let _ = write!(line, " ({})", options.join(" "));
            }
        }
        if let Some(generated) = &column.generated {
            let _ = write!(
                line,
                " generated always as ({}) {}",
                one_line(generated),
                column.generated_kind.keyword()
            );
        }
        let primary_key = inline
            .iter()
            .any(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }));
        let mut constraints: Vec<&&Constraint> = inline.iter().collect();
        constraints.sort_by_key(|c| inline_order(&c.kind));
        for constraint in constraints.iter().filter(|c| inline_order(&c.kind) == 0) {
            line.push(' ');
            line.push_str(&inline_constraint(constraint));
        }
        if column.not_null && !(primary_key || serial || column.identity.is_some()) {
            line.push_str(" not null");
        }
        if let Some(default) = column.default.as_ref().filter(|_| !serial) {
            let _ = write!(line, " default {}", default_text(default));
        }
        for constraint in constraints.iter().filter(|c| inline_order(&c.kind) > 0) {
            line.push(' ');
            line.push_str(&inline_constraint(constraint));
        }
        if let Some(collation) = &column.collation {
            let _ = write!(line, " collate {}", collation.quoted());
        }
        if let Some(settings) = &column.settings {
            line.push_str(&settings_source(settings));
        }
        if let Some(was) = &column.was {
            let _ = write!(line, " was {}", was.quoted());
        }
        self.out.push_str(&line);
        self.out.push('\n');
    }

    /// `constraint NAME ` when the name is written.
    fn constraint_name(&self, table: &Table, constraint: &Constraint) -> String {
        let key = (table.name.clone(), constraint.name.clone());
        if self.spelling.unnamed_constraints.contains(&key) {
            String::new()
        } else {
            format!("constraint {} ", constraint.name.quoted())
        }
    }

    fn constraint_item(&self, table: &Table, constraint: &Constraint) -> String {
        let mut out = self.constraint_name(table, constraint);
        match &constraint.kind {
            ConstraintKind::PrimaryKey {
                columns,
                include,
                storage_params,
            } => {
                let _ = write!(out, "primary key ({}){}", names(columns), include_text(include));
                if !storage_params.is_empty() {
                    let _ = write!(out, " with ({})", params(storage_params));
                }
            }
            ConstraintKind::Unique {
                columns,
                include,
                nulls_not_distinct,
                storage_params,
            } => {
                out.push_str("unique");
                if *nulls_not_distinct {
                    out.push_str(" nulls not distinct");
                }
                let _ = write!(out, " ({}){}", names(columns), include_text(include));
                if !storage_params.is_empty() {
                    let _ = write!(out, " with ({})", params(storage_params));
                }
            }
            ConstraintKind::Check { expr, no_inherit } => out.push_str(&check(expr, *no_inherit)),
            ConstraintKind::ForeignKey(fk) => {
                let _ = write!(out, "foreign key ({}) {}", names(&fk.columns), reference(fk));
            }
            ConstraintKind::Exclusion(exclusion) => {
                out.push_str("exclude");
                if exclusion.method.as_str() != "btree" {
                    let _ = write!(out, " using {}", exclusion.method.quoted());
                }
                let elements: Vec<String> = exclusion
                    .elements
                    .iter()
                    .map(|(element, operator)| format!("{} with {operator}", element_text(element)))
                    .collect();
                let _ = write!(out, " ({}){}", elements.join(", "), include_text(&exclusion.include));
                if !exclusion.storage_params.is_empty() {
                    let _ = write!(out, " with ({})", params(&exclusion.storage_params));
                }
                if let Some(predicate) = &exclusion.predicate {
                    let _ = write!(out, " where ({})", one_line(predicate));
                }
            }
            ConstraintKind::EnumCheck { .. } => unreachable!("enum checks are never written"),
        }
        out.push_str(&flags(constraint));
        if let Some(was) = &constraint.was {
            let _ = write!(out, " was {}", was.quoted());
        }
        out
    }

    fn index(&self, table: &Table, index: &Index) -> String {
        let mut out = String::new();
        if index.unique {
            out.push_str("unique ");
        }
        out.push_str("index");
        if !self
            .spelling
            .unnamed_indexes
            .contains(&(table.name.clone(), index.name.clone()))
        {
            let _ = write!(out, " {}", quoted_avoiding(&index.name, &["nulls", "using"]));
        }
        // Before the elements it reads best, but only `unique index` keeps
        // an unnamed index recognisable there.
        let nulls_not_distinct = if index.nulls_not_distinct {
            " nulls not distinct"
        } else {
            ""
        };
        if index.unique {
            out.push_str(nulls_not_distinct);
        }
        if index.method.as_str() != "btree" {
            let _ = write!(out, " using {}", index.method.quoted());
        }
        let elements: Vec<String> = index.elements.iter().map(element_text).collect();
        let _ = write!(out, " ({}){}", elements.join(", "), include_text(&index.include));
        if !index.unique {
            out.push_str(nulls_not_distinct);
        }
        if !index.storage_params.is_empty() {
            let _ = write!(out, " with ({})", params(&index.storage_params));
        }
        if let Some(predicate) = &index.predicate {
            let _ = write!(out, " where ({})", one_line(predicate));
        }
        if let Some(was) = &index.was {
            let _ = write!(out, " was {}", was.quoted());
        }
        out
    }
}

/// A constraint as written on its column's line (see [`inline_column`]).
fn inline_constraint(constraint: &Constraint) -> String {
    let mut out = match &constraint.kind {
        ConstraintKind::PrimaryKey { .. } => "primary key".to_string(),
        ConstraintKind::Unique { nulls_not_distinct, .. } => {
            if *nulls_not_distinct {
                "unique nulls not distinct".to_string()
            } else {
                "unique".to_string()
            }
        }
        ConstraintKind::Check { expr, no_inherit } => check(expr, *no_inherit),
        ConstraintKind::ForeignKey(fk) => reference(fk),
        ConstraintKind::Exclusion(_) | ConstraintKind::EnumCheck { .. } => {
            unreachable!("inline_column keeps exclusions and enum checks off column lines")
        }
    };
    out.push_str(&flags(constraint));
    out
}

/// The column whose line a constraint can be written on: single-column
/// key, check or foreign key with nothing only a table item can carry
/// (a doc comment, a `was`, included columns; the caller adds a name).
fn inline_column<'t>(table: &'t Table, constraint: &Constraint) -> Option<&'t Ident> {
    if constraint.comment.is_some() || constraint.was.is_some() {
        return None;
    }
    let column = match &constraint.kind {
        ConstraintKind::PrimaryKey {
            columns,
            include,
            storage_params,
        }
        | ConstraintKind::Unique {
            columns,
            include,
            storage_params,
            ..
        } => match (columns.as_slice(), include.is_empty() && storage_params.is_empty()) {
            ([column], true) => column.value.clone(),
            _ => return None,
        },
        ConstraintKind::Check { expr, .. } => Ident::new(check_column(table, expr)?),
        ConstraintKind::ForeignKey(fk) => match fk.columns.as_slice() {
            [column] => column.value.clone(),
            _ => return None,
        },
        ConstraintKind::Exclusion(_) | ConstraintKind::EnumCheck { .. } => return None,
    };
    table.column(&column).map(|c| &c.name)
}

/// Where an inline constraint goes on its line: a primary key right after
/// the type (0), the others after `not null` and the default.
fn inline_order(kind: &ConstraintKind) -> u8 {
    match kind {
        ConstraintKind::PrimaryKey { .. } => 0,
        ConstraintKind::Unique { .. } => 1,
        ConstraintKind::Check { .. } => 2,
        _ => 3,
    }
}

/// The order of table items: keys first, then checks and foreign keys.
fn item_order(kind: &ConstraintKind) -> u8 {
    match kind {
        ConstraintKind::PrimaryKey { .. } => 0,
        ConstraintKind::Unique { .. } => 1,
        ConstraintKind::Exclusion(_) => 2,
        ConstraintKind::Check { .. } | ConstraintKind::EnumCheck { .. } => 3,
        ConstraintKind::ForeignKey(_) => 4,
    }
}

/// Sorted by name, a numbered name after its stem (`t_a_key`, `t_a_key1`,
/// `t_a_key2`, ..., `t_a_key10`), the order lowering numbers them in.
fn sorted<'i, T>(items: impl Iterator<Item = &'i T>, name: impl Fn(&T) -> &Ident) -> Vec<&'i T> {
    let mut items: Vec<&T> = items.collect();
    items.sort_by_cached_key(|item| {
        let name = name(item).as_str();
        let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
        let number: u128 = name[stem.len()..].parse().unwrap_or(0);
        (stem.to_string(), number, name.to_string())
    });
    items
}

/// `deferrable`, `initially deferred` and `not valid`, as the constraint
/// has them, where its kind can have them (PostgreSQL defers only keys,
/// exclusions and foreign keys, and leaves only checks and foreign keys
/// unvalidated).
fn flags(constraint: &Constraint) -> String {
    let (can_defer, can_skip_validation) = match constraint.kind {
        ConstraintKind::Check { .. } | ConstraintKind::EnumCheck { .. } => (false, true),
        ConstraintKind::ForeignKey(_) => (true, true),
        ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. } | ConstraintKind::Exclusion(_) => {
            (true, false)
        }
    };
    let mut out = String::new();
    if can_defer && constraint.deferrable {
        out.push_str(" deferrable");
    }
    if can_defer && constraint.initially_deferred {
        out.push_str(" initially deferred");
    }
    if can_skip_validation && constraint.not_valid {
        out.push_str(" not valid");
    }
    out
}

fn check(expr: &Expr, no_inherit: bool) -> String {
    let mut out = format!("check ({})", one_line(expr));
    if no_inherit {
        out.push_str(" no inherit");
    }
    out
}

/// `references TABLE [(COLS)] [match ...] [on delete ...] [on update ...]`.
fn reference(fk: &ForeignKey) -> String {
    let mut out = format!("references {}", fk.referenced_table.value);
    if !fk.referenced_columns.is_empty() {
        let _ = write!(out, " ({})", names(&fk.referenced_columns));
    }
    match fk.match_type {
        MatchType::Simple => {}
        MatchType::Full => out.push_str(" match full"),
        MatchType::Partial => out.push_str(" match partial"),
    }
    for (event, action) in [("delete", fk.on_delete), ("update", fk.on_update)] {
        let action = match action {
            ReferentialAction::NoAction => continue,
            ReferentialAction::Restrict => "restrict",
            ReferentialAction::Cascade => "cascade",
            ReferentialAction::SetNull => "set null",
            ReferentialAction::SetDefault => "set default",
        };
        let _ = write!(out, " on {event} {action}");
        if event == "delete" && !fk.on_delete_columns.is_empty() {
            let columns: Vec<String> = fk.on_delete_columns.iter().map(Ident::quoted).collect();
            let _ = write!(out, " ({})", columns.join(", "));
        }
    }
    out
}

fn element_text(element: &IndexElement) -> String {
    let mut out = match &element.target {
        ElementTarget::Column(name) => name.quoted(),
        ElementTarget::Expression(expr) => {
            let text = one_line(expr);
            if is_function_call(&text) {
                text
            } else {
                format!("({text})")
            }
        }
    };
    if let Some(collation) = &element.collation {
        let _ = write!(out, " collate {}", collation.quoted());
    }
    if let Some(opclass) = &element.opclass {
        out.push(' ');
        if let Some(schema) = &opclass.name.schema {
            let _ = write!(out, "{}.", schema.quoted());
        }
        out.push_str(&quoted_avoiding(
            &opclass.name.name,
            &["asc", "desc", "nulls", "with", "collate"],
        ));
        if !opclass.params.is_empty() {
            let _ = write!(out, " ({})", params(&opclass.params));
        }
    }
    if element.descending {
        out.push_str(" desc");
    }
    // PostgreSQL's default: nulls last ascending, first descending.
    match (element.descending, element.nulls_first) {
        (false, true) => out.push_str(" nulls first"),
        (true, false) => out.push_str(" nulls last"),
        _ => {}
    }
    out
}

/// Whether an index expression is one function call, which the grammar
/// takes without the extra parentheses (`lower(email)`).
fn is_function_call(text: &str) -> bool {
    let word = |s: &str| -> usize {
        let mut chars = s.char_indices();
        match chars.next() {
            Some((_, c)) if c.is_ascii_alphabetic() || c == '_' || !c.is_ascii() => {}
            _ => return 0,
        }
        chars
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '$' || !c.is_ascii()))
            .map_or(s.len(), |(i, _)| i)
    };
    let mut end = word(text);
    if end == 0 {
        return false;
    }
    if text[end..].starts_with('.') {
        let second = word(&text[end + 1..]);
        if second == 0 {
            return false;
        }
        end += 1 + second;
    }
    let rest = text[end..].trim_start_matches([' ', '\t']);
    let Some(arguments) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) else {
        return false;
    };
    // The parenthesis after the name must be the one that closes at the end.
    let mut depth = 0i32;
    let mut quote = None;
    for c in arguments.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0 && quote.is_none()
}

/// Sequence options that differ from what PostgreSQL would choose, given
/// the type the sequence has when `as` is left out.
fn sequence_options(options: &SequenceOptions, default_type: &SqlType) -> Vec<String> {
    let mut out = Vec::new();
    if options.data_type != *default_type {
        out.push(format!("as {}", type_text(&options.data_type)));
    }
    if options.increment != 1 {
        out.push(format!("increment by {}", options.increment));
    }
    let (type_min, type_max) = options.data_type.integer_range().unwrap_or((i64::MIN, i64::MAX));
    let ascending = options.increment > 0;
    if options.min_value != if ascending { 1 } else { type_min } {
        out.push(format!("minvalue {}", options.min_value));
    }
    if options.max_value != if ascending { type_max } else { -1 } {
        out.push(format!("maxvalue {}", options.max_value));
    }
    let default_start = if ascending {
        options.min_value
    } else {
        options.max_value
    };
    if options.start != default_start {
        out.push(format!("start with {}", options.start));
    }
    if options.cache != 1 {
        out.push(format!("cache {}", options.cache));
    }
    if options.cycle {
        out.push("cycle".into());
    }
    out
}

/// A column type as source, in the short spelling people use
/// (`timestamptz`, `varchar(20)`, `char(2)`); a user type whose name alone
/// would read as a built-in (a type called `text`) is quoted.
fn type_text(data_type: &SqlType) -> String {
    let name = match &data_type.name {
        TypeName::Builtin(name) => {
            let short = match name.as_str() {
                "timestamp with time zone" => "timestamptz",
                "timestamp without time zone" => "timestamp",
                "time with time zone" => "timetz",
                "time without time zone" => "time",
                "character varying" => "varchar",
                "character" => "char",
                _ => return data_type.to_string(),
            };
            let modifiers = data_type.modifiers.as_deref().unwrap_or("");
            return format!("{short}{modifiers}{}", "[]".repeat(data_type.array_dims as usize));
        }
        TypeName::User(name) => name,
    };
    let schema = name.schema.as_str();
    let mut out = String::new();
    // `"char"` and `"bit"` alone are the built-in types of those names.
    if schema != "public" || matches!(name.name.as_str(), "char" | "bit") {
        let _ = write!(out, "{}.", name.schema.quoted());
    }
    let plain = !name.name.needs_quotes()
        && matches!(schema, "public" | "pg_catalog")
        && resolve_builtin(name.name.as_str(), &[]).is_some();
    if plain {
        let _ = write!(out, "\"{}\"", name.name.as_str());
    } else {
        out.push_str(&name.name.quoted());
    }
    out.push_str(data_type.modifiers.as_deref().unwrap_or(""));
    out.push_str(&"[]".repeat(data_type.array_dims as usize));
    out
}

/// A column name; quoted too when it would start a table item.
/// Privileges as a grant lists them: `select, insert`.
fn privilege_list(list: &[Privilege]) -> String {
    let words: Vec<String> = list.iter().map(|p| p.keyword().to_lowercase()).collect();
    words.join(", ")
}

/// A grantee as the language writes it: `public` or the role's name.
fn grantee_text(grantee: &Grantee) -> String {
    match grantee {
        Grantee::Public => "public".into(),
        Grantee::Role(role) => role.quoted(),
    }
}

fn column_ident(name: &Ident) -> String {
    quoted_avoiding(name, &["exclude", "index", "replica"])
}

/// An identifier, quoted when needed or when it is one of `words`, which
/// the grammar would read as a keyword where it stands.
fn quoted_avoiding(name: &Ident, words: &[&str]) -> String {
    if words.contains(&name.as_str()) {
        format!("\"{}\"", name.as_str())
    } else {
        name.quoted()
    }
}

/// ` was OLD` for something in a schema: unqualified when it stays in it.
fn was_qualified(was: Option<&QualifiedName>, name: &QualifiedName) -> String {
    match was {
        None => String::new(),
        Some(was) if was.schema == name.schema => format!(" was {}", was.name.quoted()),
        Some(was) => format!(" was {}", was.quoted()),
    }
}

fn names(columns: &[Located<Ident>]) -> String {
    columns.iter().map(|c| c.quoted()).collect::<Vec<_>>().join(", ")
}

fn include_text(include: &[Located<Ident>]) -> String {
    if include.is_empty() {
        String::new()
    } else {
        format!(" include ({})", names(include))
    }
}

/// Storage parameters; a value that is not a plain word or number is quoted.
fn params(params: &[StorageParam]) -> String {
    params
        .iter()
        .map(|p| {
            let number = {
                let digits = p.value.strip_prefix('-').unwrap_or(&p.value);
                let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
                [whole, fraction]
                    .iter()
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
            };
            let word = p.value.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && p.value
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
            if number || word {
                format!("{} = {}", p.name, p.value)
            } else {
                format!("{} = {}", p.name, string(&p.value))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A single-quoted string literal.
fn string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// An expression on one line (whitespace outside quotes collapsed), which
/// is the same expression.
fn one_line(expr: &Expr) -> String {
    Expr::from_source(expr.as_str()).0
}

/// A default as written after `default`. The grammar ends an
/// unparenthesised default at a comma, a `//` or a word that starts a
/// column constraint (`x is not null` would end before `not`); such a
/// default is parenthesised, which PostgreSQL reads as the same expression
/// although the IR keeps the parentheses.
fn default_text(expr: &Expr) -> String {
    let text = one_line(expr);
    if reads_back_whole(&text) {
        text
    } else {
        format!("({text})")
    }
}

/// Whether the grammar's `default_expr` takes all of `text`.
fn reads_back_whole(text: &str) -> bool {
    const STOP_WORDS: &[&str] = &[
        "not",
        "null",
        "default",
        "primary",
        "unique",
        "check",
        "references",
        "generated",
        "constraint",
        "collate",
        "was",
    ];
    let word_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.' || !c.is_ascii();
    let mut depth = 0i32;
    let mut quote = None;
    let mut started = false;
    let mut previous = ' ';
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            continue;
        }
        let at_top = depth == 0 && quote.is_none();
        // E'', U&'' strings and dollar quotes are one atom of the grammar.
        if quote.is_none() && matches!(c, 'e' | 'E' | 'u' | 'U' | '$') {
            if let Some((crate::sql::Lexeme::Quoted, len)) = crate::sql::lexeme_at(text.as_bytes(), i) {
                if c != '$' && !text[i..i + len].ends_with('\'') {
                    return false;
                }
                skip_to = i + len;
                started |= at_top;
                previous = '\'';
                continue;
            }
        }
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            _ if !at_top || c == ' ' || c == '\t' => {}
            (None, '/') if text[i + 1..].starts_with('/') => return false,
            (None, c) if word_char(c) => {
                let word_start = !word_char(previous);
                let rest = &text[i..];
                let stops = STOP_WORDS.iter().any(|w| {
                    rest.get(..w.len()).is_some_and(|head| head.eq_ignore_ascii_case(w))
                        && !rest[w.len()..].starts_with(|n: char| word_char(n) && n != '.')
                });
                if started && word_start && (stops || starts_setting(rest)) {
                    return false;
                }
            }
            (None, c) if "+-*/<>=~!@#%^&|`?:".contains(c) => {}
            _ => return false,
        }
        started |= at_top && !matches!(c, ' ' | '\t');
        previous = c;
    }
    depth == 0 && quote.is_none()
}

/// A column's settings as the language writes them, a space before each.
fn settings_source(settings: &ColumnSettings) -> String {
    let mut out = String::new();
    if let Some(n) = settings.statistics {
        let _ = write!(out, " statistics {n}");
    }
    if let Some(kind) = &settings.storage {
        let _ = write!(out, " storage {kind}");
    }
    if let Some(method) = &settings.compression {
        let _ = write!(out, " compression {method}");
    }
    if !settings.options.is_empty() {
        let _ = write!(out, " with ({})", params(&settings.options));
    }
    out
}

/// Whether `rest` starts with what the grammar's `setting_start` takes for
/// a column setting (which ends a default): `with (`, `statistics N`,
/// `storage KIND`, `compression METHOD`.
fn starts_setting(rest: &str) -> bool {
    let mut words = rest.splitn(2, [' ', '\t', '(']);
    let word = words.next().unwrap_or("").to_ascii_lowercase();
    let after = rest[word.len()..].trim_start_matches([' ', '\t']);
    let spaced = rest[word.len()..].starts_with([' ', '\t']);
    let next_word = after
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match word.as_str() {
        "with" => after.starts_with('('),
        "statistics" => spaced && after.starts_with(|c: char| c == '-' || c.is_ascii_digit()),
        "storage" => spaced && matches!(next_word.as_str(), "plain" | "external" | "extended" | "main"),
        "compression" => spaced && after.starts_with(|c: char| c.is_alphabetic() || c == '_'),
        _ => false,
    }
}

/// `///` lines for a comment.
fn docs(out: &mut String, comment: Option<&str>, indent: &str) {
    let Some(comment) = comment else { return };
    if let Some(escaped) = super::doc::escape(comment) {
        let _ = writeln!(out, "{indent}/// {escaped}");
        return;
    }
    for line in comment.split('\n') {
        if line.is_empty() {
            let _ = writeln!(out, "{indent}///");
        } else {
            let _ = writeln!(out, "{indent}/// {line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default of column `c` when `text` is written after `default`.
    fn lowered_default(text: &str) -> Option<Expr> {
        let source = format!("table t {{\n  c text default {text}\n}}\n");
        let (file, _) = parse_file(FileId(0), &source);
        let (schema, _) = lower(vec![file?], &LowerOptions::default());
        let table = schema.tables.values().next()?;
        table
            .column(&Ident::new("c"))?
            .default
            .as_ref()
            .map(|d| d.value.clone())
    }

    #[test]
    fn defaults_the_grammar_would_cut_short_are_parenthesised() {
        for (text, whole) in [
            ("now()", true),
            ("'member'::user_role", true),
            ("NULL::character varying", true),
            ("nextval('\"Order Items_id_seq\"'::regclass)", true),
            ("'a, b // c'::text", true),
            ("ARRAY[1, 2]", true),
            ("-1", true),
            ("not_null_flag", true),
            ("x IS NOT NULL", false),
            ("'a'::text COLLATE \"C\"", false),
            ("1, 2", false),
        ] {
            assert_eq!(reads_back_whole(text), whole, "{text}");
            let expr = Expr(text.to_string());
            assert_eq!(lowered_default(text) == Some(expr.clone()), whole, "{text}");
            assert_eq!(
                lowered_default(&default_text(&expr)),
                Some(Expr(default_text(&expr))),
                "{text}"
            );
        }
    }

    #[test]
    fn index_calls_need_no_extra_parentheses() {
        assert!(is_function_call("lower(email)"));
        assert!(is_function_call("public.f(a, (b))"));
        assert!(!is_function_call("lower(a) || lower(b)"));
        assert!(!is_function_call("(a + b)"));
        assert!(!is_function_call("f(x)::text"));
        assert!(!is_function_call("\"F\"(x)"));
    }

    #[test]
    fn numbered_and_shortened_names_count_as_generated() {
        let table = |name: &str| Table {
            name: QualifiedName::new(Ident::new("public"), Ident::new(name)),
            was: None,
            comment: None,
            unlogged: false,
            storage_params: Vec::new(),
            columns: Vec::new(),
            constraints: crate::ir::NameMap::new(),
            indexes: crate::ir::NameMap::new(),
            replica_identity: ReplicaIdentity::Default,
            triggers: BTreeMap::new(),
            row_security: Default::default(),
            policies: BTreeMap::new(),
            partition_by: None,
            partition_of: None,
            inherits: Vec::new(),
            cluster_on: None,
            access_method: None,
            tablespace: None,
            statistics: BTreeMap::new(),
            origin: Origin::default(),
        };
        let email = (NamePart::Known(Some("email".into())), "key");
        assert!(is_generated_name(
            &Ident::new("users_email_key"),
            &table("users"),
            &email
        ));
        assert!(is_generated_name(
            &Ident::new("users_email_key12"),
            &table("users"),
            &email
        ));
        assert!(!is_generated_name(
            &Ident::new("users_email_key01"),
            &table("users"),
            &email
        ));
        assert!(!is_generated_name(
            &Ident::new("users_email_uniq"),
            &table("users"),
            &email
        ));
        let long = "t".repeat(60);
        let shortened = make_object_name(&long, Some("email"), Some("key"));
        assert!(is_generated_name(&Ident::new(shortened), &table(&long), &email));
        let expression = (NamePart::Unknown, "idx");
        assert!(is_generated_name(
            &Ident::new("users_lower_idx1"),
            &table("users"),
            &expression
        ));
        assert!(!is_generated_name(
            &Ident::new("lower_email"),
            &table("users"),
            &expression
        ));
    }
}
