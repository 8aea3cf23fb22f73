//! The schema model: plain data, ordered maps keyed by name, every node with
//! the place it came from.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

use super::name::{Ident, QualifiedName, SearchPathName};
use super::types::{SqlType, TypeName};
use crate::diag::Span;

/// Objects of one table (its constraints, its indexes) by name, sorted by
/// name as a `BTreeMap` is, in a sorted vector (`LiteMap`): a table has a
/// handful of each, and a B-tree's first node alone holds eleven. Printed
/// as a map, as a `BTreeMap` is.
#[derive(Clone, PartialEq, Eq)]
pub struct NameMap<V>(litemap::LiteMap<Ident, V>);

impl<V> NameMap<V> {
    /// An empty map.
    pub fn new() -> NameMap<V> {
        NameMap(litemap::LiteMap::new())
    }
}

impl<V> Default for NameMap<V> {
    fn default() -> NameMap<V> {
        NameMap::new()
    }
}

impl<V> Deref for NameMap<V> {
    type Target = litemap::LiteMap<Ident, V>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<V> std::ops::DerefMut for NameMap<V> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<V: fmt::Debug> fmt::Debug for NameMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

impl<V> FromIterator<(Ident, V)> for NameMap<V> {
    fn from_iter<I: IntoIterator<Item = (Ident, V)>>(items: I) -> NameMap<V> {
        NameMap(items.into_iter().collect())
    }
}

impl<V> IntoIterator for NameMap<V> {
    type Item = (Ident, V);
    type IntoIter = <litemap::LiteMap<Ident, V> as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, V> IntoIterator for &'a NameMap<V> {
    type Item = (&'a Ident, &'a V);
    type IntoIter = <&'a litemap::LiteMap<Ident, V> as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Where a node came from. Never part of a node's identity: two nodes that
/// differ only in origin are equal.
#[derive(Clone, Copy, Default)]
pub struct Origin(pub Option<Span>);

impl PartialEq for Origin {
    fn eq(&self, _: &Origin) -> bool {
        true
    }
}
impl Eq for Origin {}

impl fmt::Debug for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(span) => write!(f, "@{}:{}..{}", span.file.0, span.start, span.end),
            None => f.write_str("@-"),
        }
    }
}

/// A value with the place it was written; compares by value only.
#[derive(Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Located<T> {
    /// A value with its origin.
    pub fn new(value: T, origin: Origin) -> Located<T> {
        Located { value, origin }
    }
}

impl<T> Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Located<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

/// An SQL expression (default, check, predicate, index or generated
/// expression): the text with comments removed and whitespace collapsed.
/// Two expressions are equal when they differ only in spacing and in the
/// case of unquoted words (keywords, names and function names fold to
/// lower case in SQL); string literals and quoted names must match exactly.
#[derive(Clone, Debug)]
pub struct Expr(pub String);

impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        self.0 == other.0 || canonical_tokens(&self.0) == canonical_tokens(&other.0)
    }
}
impl Eq for Expr {}

/// The tokens of an expression with unquoted words lower-cased: two
/// expressions with the same tokens are equal.
pub(crate) fn canonical_tokens(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    while let Some(c) = text[at..].chars().next() {
        if c.is_whitespace() {
            at += c.len_utf8();
        } else if let Some((lexeme, len)) = crate::sql::lexeme_at(bytes, at) {
            // Strings, dollar quotes and quoted names exactly (an `E` or
            // `U&` prefix in either case); comments not at all.
            let end = (at + len).min(text.len());
            if lexeme == crate::sql::Lexeme::Quoted {
                let token = &text[at..end];
                let quote = token.find(['\'', '"', '$']).unwrap_or(0);
                tokens.push(format!("{}{}", token[..quote].to_ascii_lowercase(), &token[quote..]));
            }
            at = end;
        } else if is_word(c) {
            let len = text[at..]
                .find(|w: char| !(is_word(w) || w == '.'))
                .unwrap_or(text.len() - at);
            tokens.push(text[at..at + len].to_lowercase());
            at += len;
        } else if "()[],;".contains(c) {
            tokens.push(c.to_string());
            at += 1;
        } else {
            // Operators: a run of operator characters is one token (a
            // comment mark ends it).
            let mut end = at;
            for (i, o) in text[at..].char_indices() {
                let here = at + i;
                if o.is_whitespace()
                    || is_word(o)
                    || "()[],;'\"".contains(o)
                    || (here > at && crate::sql::lexeme_at(bytes, here).is_some())
                {
                    break;
                }
                end = here + o.len_utf8();
            }
            tokens.push(text[at..end.max(at + c.len_utf8())].to_string());
            at = end.max(at + c.len_utf8());
        }
    }
    tokens
}

impl Expr {
    /// The expression as SQL to send: its text, with an array literal
    /// PostgreSQL would read back differently written so that it does not
    /// (see [`crate::sql::keep_array_casts`]).
    pub fn sql(&self) -> std::borrow::Cow<'_, str> {
        crate::sql::keep_array_casts(&self.0)
    }

    /// The expression written in `.trellis` source: comments removed, runs
    /// of whitespace outside quotes collapsed to one space.
    pub fn from_source(text: &str) -> Expr {
        Expr(crate::sql::one_line(text))
    }

    /// The SQL text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A whole database schema as trellisc manages it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// Schemas declared with `schema NAME` (or, read from a database, every
    /// schema): they exist even when empty, and carry their comment. Other
    /// schemas exist because something lives in them.
    pub schemas: BTreeMap<Ident, DeclaredSchema>,
    pub extensions: BTreeMap<Ident, Extension>,
    pub collations: BTreeMap<QualifiedName, Collation>,
    pub enums: BTreeMap<QualifiedName, Enum>,
    pub domains: BTreeMap<QualifiedName, Domain>,
    /// `type NAME as (...)`.
    pub composites: BTreeMap<QualifiedName, CompositeType>,
    /// `type NAME as range (...)`.
    pub ranges: BTreeMap<QualifiedName, RangeType>,
    pub sequences: BTreeMap<QualifiedName, Sequence>,
    pub tables: BTreeMap<QualifiedName, Table>,
    pub routines: BTreeMap<RoutineId, Routine>,
    pub views: BTreeMap<QualifiedName, View>,
    /// Who may do what, and what new objects get.
    pub privileges: super::grants::Privileges,
}

impl Schema {
    /// The access method and tablespace a table is to be made with, said
    /// outright: its own; `heap` or `pg_default` where it has none but its
    /// parent has one (a partition made without saying takes its parent's).
    pub fn stated_storage(&self, table: &Table) -> (Option<Ident>, Option<Ident>) {
        let parent = table.partition_of.as_ref().and_then(|of| self.tables.get(&of.parent));
        let state = |own: &Option<Ident>, theirs: Option<&Option<Ident>>, default: &str| match own {
            Some(own) => Some(own.clone()),
            None if theirs.is_some_and(Option::is_some) => Some(Ident::new(default)),
            None => None,
        };
        (
            state(&table.access_method, parent.map(|p| &p.access_method), "heap"),
            state(&table.tablespace, parent.map(|p| &p.tablespace), "pg_default"),
        )
    }

    /// The schema without its `was` hints: what it is, not how it came
    /// about (a revision's snapshot, from which the next revision starts).
    pub fn without_renames(&self) -> Schema {
        let mut schema = self.clone();
        for e in schema.enums.values_mut() {
            e.was = None;
            e.labels.iter_mut().for_each(|l| l.was = None);
        }
        schema.sequences.values_mut().for_each(|s| s.was = None);
        for composite in schema.composites.values_mut() {
            composite.was = None;
            composite.attributes.iter_mut().for_each(|a| a.was = None);
        }
        schema.ranges.values_mut().for_each(|r| r.was = None);
        for table in schema.tables.values_mut() {
            table.was = None;
            table.columns.iter_mut().for_each(|c| {
                c.was = None;
                c.using = None;
            });
            table.constraints.iter_mut().for_each(|(_, c)| c.was = None);
            table.indexes.iter_mut().for_each(|(_, i)| i.was = None);
            table.triggers.values_mut().for_each(|t| t.was = None);
            table.policies.values_mut().for_each(|p| p.was = None);
        }
        schema.routines.values_mut().for_each(|r| r.was = None);
        for view in schema.views.values_mut() {
            view.was = None;
            view.indexes.values_mut().for_each(|i| i.was = None);
            view.triggers.values_mut().for_each(|t| t.was = None);
        }
        schema
    }

    /// Whether the schema declares a type of this name: an enum, a domain,
    /// a composite or range type, or a range type's multirange.
    pub fn has_type(&self, name: &QualifiedName) -> bool {
        self.enums.contains_key(name)
            || self.domains.contains_key(name)
            || self.composites.contains_key(name)
            || self.ranges.contains_key(name)
            || self.ranges.values().any(|r| r.multirange_name() == *name)
    }

    /// The type a column of this type has in the database: an `as check`
    /// enum is stored as text.
    pub fn storage_type(&self, data_type: &SqlType) -> SqlType {
        if let TypeName::User(name) = &data_type.name {
            if self.enums.get(name).is_some_and(|e| e.storage == EnumStorage::Check) {
                return SqlType {
                    name: TypeName::Builtin("text".into()),
                    modifiers: None,
                    array_dims: data_type.array_dims,
                };
            }
        }
        data_type.clone()
    }

    /// The type underneath any domains: what values of the type are.
    pub fn base_type(&self, data_type: &SqlType) -> SqlType {
        let mut current = data_type.clone();
        // A domain over itself is refused by the checks; stop anyway.
        for _ in 0..16 {
            let TypeName::User(name) = &current.name else { break };
            let Some(domain) = self.domains.get(name) else { break };
            let dims = current.array_dims;
            current = domain.data_type.clone();
            current.array_dims += dims;
        }
        current
    }

    /// Whether the table has the column, its own or one of its parents'.
    pub fn has_column(&self, table: &QualifiedName, column: &Ident) -> bool {
        self.tables
            .get(table)
            .is_some_and(|t| t.column(column).is_some() || self.inherited_columns(t).iter().any(|c| &c.name == column))
    }

    /// The table named and the partitioned tables above it, nearest first,
    /// as far as the schema has them (a cycle ends it).
    pub fn partition_lineage(&self, name: &QualifiedName) -> Vec<&Table> {
        let mut lineage: Vec<&Table> = Vec::new();
        let mut at = self.tables.get(name);
        while let Some(table) = at.filter(|t| !lineage.iter().any(|seen| seen.name == t.name)) {
            lineage.push(table);
            at = table.partition_of.as_ref().and_then(|p| self.tables.get(&p.parent));
        }
        lineage
    }

    /// A partition or inheriting table with the columns it has from its
    /// parents too (theirs first, as PostgreSQL orders them), for looking
    /// its columns up; `None` for a table without parents.
    pub fn with_inherited_columns(&self, table: &Table) -> Option<Table> {
        if table.partition_of.is_none() && table.inherits.is_empty() {
            return None;
        }
        let ancestry = self.ancestry(table);
        let mut columns: Vec<Column> = Vec::new();
        // A column declared again nearer the table (or in it) keeps its
        // place among its first parent's and is as declared there: its
        // default, or the farther one's where it gives none (as PostgreSQL
        // merges them), and not null where any of them is.
        for parent in ancestry.into_iter().chain([table]) {
            for column in &parent.columns {
                match columns.iter_mut().find(|c| c.name == column.name) {
                    Some(farther) => {
                        let default = column.default.clone().or_else(|| farther.default.take());
                        let not_null = column.not_null || farther.not_null;
                        *farther = Column {
                            default,
                            not_null,
                            ..column.clone()
                        };
                    }
                    None => columns.push(column.clone()),
                }
            }
        }
        Some(Table {
            columns,
            ..table.clone()
        })
    }

    /// A partition's or inheriting table's parents, theirs, and so on, the
    /// farthest first (as PostgreSQL orders their columns); each once.
    pub fn ancestry<'s>(&'s self, table: &Table) -> Vec<&'s Table> {
        let parents = |t: &Table| -> Vec<QualifiedName> {
            t.partition_of
                .iter()
                .map(|p| p.parent.clone())
                .chain(t.inherits.iter().cloned())
                .collect()
        };
        let mut seen: Vec<QualifiedName> = vec![table.name.clone()];
        let mut left = parents(table);
        // Parents before their parents' columns would come out reversed:
        // gather the ancestry nearest first, then turn it round.
        let mut ancestry = Vec::new();
        while let Some(name) = left.pop() {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name.clone());
            if let Some(parent) = self.tables.get(&name) {
                left.extend(parents(parent));
                ancestry.push(parent);
            }
        }
        ancestry.reverse();
        ancestry
    }

    /// The table a column of an inheriting table comes from: its farthest
    /// parent that has it, whose changes to it reach every table below.
    pub fn column_origin(&self, table: &Table, column: &Ident) -> Option<(&QualifiedName, &Column)> {
        self.ancestry(table)
            .into_iter()
            .find_map(|t| t.column(column).map(|c| (&t.name, c)))
    }

    /// The columns a table has from its parents (not its own), as its
    /// parents declare them.
    pub fn inherited_columns(&self, table: &Table) -> Vec<Column> {
        let without_own = Table {
            columns: Vec::new(),
            ..table.clone()
        };
        self.with_inherited_columns(&without_own)
            .map(|t| t.columns)
            .unwrap_or_default()
    }

    /// Every PostgreSQL schema (namespace) the objects live in.
    pub fn namespaces(&self) -> std::collections::BTreeSet<Ident> {
        let mut names = std::collections::BTreeSet::new();
        // A check-stored enum is no object of its own and needs no schema.
        let all = self
            .enums
            .values()
            .filter(|e| e.storage == EnumStorage::Native)
            .map(|e| &e.name)
            .chain(self.domains.keys())
            .chain(self.sequences.keys())
            .chain(self.tables.keys())
            .chain(self.collations.keys())
            .map(|n| &n.schema);
        let extensions = self.extensions.values().filter_map(|e| e.schema.as_ref());
        for schema in all.chain(extensions).chain(self.schemas.keys()) {
            // Thousands of tables share a handful of schemas: clone only new ones.
            if !names.contains(schema) {
                names.insert(schema.clone());
            }
        }
        names
    }
}

/// `CREATE SCHEMA`, declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredSchema {
    pub name: Ident,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// `CREATE DOMAIN`: a type with a default and constraints of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    pub name: QualifiedName,
    /// The underlying type (a built-in type, an enum or another domain).
    pub data_type: SqlType,
    pub collation: Option<SearchPathName>,
    pub default: Option<Expr>,
    pub not_null: bool,
    /// By name (unnamed ones get PostgreSQL's `<domain>_check` names).
    pub checks: BTreeMap<Ident, DomainCheck>,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl Domain {
    /// Whether this domain is defined over `other` (never over itself).
    pub fn is_over(&self, other: &Domain) -> bool {
        self.name != other.name && matches!(&self.data_type.name, TypeName::User(base) if **base == other.name)
    }
}

/// `CREATE TYPE NAME AS (...)`: a composite type, its attributes in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompositeType {
    pub name: QualifiedName,
    pub was: Option<Located<QualifiedName>>,
    pub attributes: Vec<TypeAttribute>,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl CompositeType {
    /// The user types its attributes have.
    pub fn uses(&self) -> impl Iterator<Item = &QualifiedName> {
        self.attributes.iter().filter_map(|a| match &a.data_type.name {
            TypeName::User(name) => Some(&**name),
            TypeName::Builtin(_) => None,
        })
    }
}

/// One attribute of a composite type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeAttribute {
    pub name: Ident,
    pub was: Option<Located<Ident>>,
    pub data_type: SqlType,
    /// Only where it is not the type's own.
    pub collation: Option<SearchPathName>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// `CREATE TYPE NAME AS RANGE (...)`: the options PostgreSQL keeps in
/// `pg_range`, each only where it is not the default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeType {
    pub name: QualifiedName,
    pub was: Option<Located<QualifiedName>>,
    pub subtype: SqlType,
    pub subtype_opclass: Option<SearchPathName>,
    pub collation: Option<SearchPathName>,
    pub canonical: Option<SearchPathName>,
    pub subtype_diff: Option<SearchPathName>,
    /// `multirange_type_name` (PostgreSQL 14), where it is not the name
    /// PostgreSQL derives.
    pub multirange: Option<QualifiedName>,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl RangeType {
    /// The multirange type PostgreSQL 14 and later make with it: the
    /// name given, or `range` in the name replaced by `multirange` (or
    /// `_multirange` appended).
    pub fn multirange_name(&self) -> QualifiedName {
        if let Some(name) = &self.multirange {
            return name.clone();
        }
        QualifiedName::new(
            self.name.schema.clone(),
            Ident::new(default_multirange(self.name.name.as_str())),
        )
    }

    /// The options as `CREATE TYPE ... AS RANGE` takes them.
    pub fn options(&self) -> Vec<String> {
        let mut options = vec![format!("subtype = {}", self.subtype)];
        let mut push = |key: &str, value: &Option<SearchPathName>| {
            if let Some(value) = value {
                options.push(format!("{key} = {}", value.quoted()));
            }
        };
        push("subtype_opclass", &self.subtype_opclass);
        push("collation", &self.collation);
        push("canonical", &self.canonical);
        push("subtype_diff", &self.subtype_diff);
        if let Some(name) = &self.multirange {
            options.push(format!("multirange_type_name = {}", name.quoted()));
        }
        options
    }
}

/// The name PostgreSQL gives the multirange type of a range type named
/// `range_name` (makeMultirangeTypeName).
pub fn default_multirange(range_name: &str) -> String {
    match range_name.find("range") {
        Some(at) => format!("{}multirange{}", &range_name[..at], &range_name[at + "range".len()..]),
        None => format!("{range_name}_multirange"),
    }
}

/// Objects (domains, views) in rounds: each round takes, in the given
/// order, those that are `ready` among the ones still left. A cycle (which
/// the checks report, or PostgreSQL cannot have) ends the rounds, its
/// objects as they are.
pub fn in_rounds<'a, T>(mut left: Vec<&'a T>, ready: impl Fn(&T, &[&'a T]) -> bool) -> Vec<&'a T> {
    let mut out = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let (now, later): (Vec<&T>, Vec<&T>) = left.iter().partition(|d| ready(d, &left));
        if now.is_empty() {
            out.extend(later);
            break;
        }
        out.extend(now);
        left = later;
    }
    out
}

/// A domain's `CHECK (...)` on `VALUE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainCheck {
    pub name: Ident,
    pub expr: Expr,
    pub not_valid: bool,
    pub origin: Origin,
}

/// `CREATE EXTENSION`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extension {
    pub name: Ident,
    pub version: Option<String>,
    pub schema: Option<Ident>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// `CREATE COLLATION`, its options as the catalog keeps them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collation {
    pub name: QualifiedName,
    /// `libc`, `icu` or `builtin`.
    pub provider: String,
    /// The locale: ICU's or builtin's, or libc's when `lc_collate` and
    /// `lc_ctype` are the same.
    pub locale: Option<String>,
    /// libc's, where they differ.
    pub lc_collate: Option<String>,
    pub lc_ctype: Option<String>,
    pub deterministic: bool,
    /// ICU tailoring rules (PostgreSQL 16).
    pub rules: Option<String>,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl Collation {
    /// Its options after the provider, as `name = value` with the values
    /// written by `quote`: the locales, `deterministic = false`, the rules.
    pub fn options(&self, quote: impl Fn(&str) -> String) -> Vec<String> {
        let locales = [
            ("locale", &self.locale),
            ("lc_collate", &self.lc_collate),
            ("lc_ctype", &self.lc_ctype),
        ];
        let mut options: Vec<String> = locales
            .into_iter()
            .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name} = {}", quote(v))))
            .collect();
        if !self.deterministic {
            options.push("deterministic = false".into());
        }
        if let Some(rules) = &self.rules {
            options.push(format!("rules = {}", quote(rules)));
        }
        options
    }

    /// The collation as the catalog keeps it: libc's two locales as one
    /// where they are the same.
    pub fn normalized(mut self) -> Collation {
        if self.provider != "libc" {
            self.lc_collate = None;
            self.lc_ctype = None;
        } else if self.locale.is_none() && self.lc_collate.is_some() && self.lc_collate == self.lc_ctype {
            self.locale = self.lc_collate.take();
            self.lc_ctype = None;
        } else if self.locale.is_some()
            && (self.lc_collate == self.locale || self.lc_collate.is_none())
            && (self.lc_ctype == self.locale || self.lc_ctype.is_none())
        {
            self.lc_collate = None;
            self.lc_ctype = None;
        }
        self
    }
}

/// How an enum is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnumStorage {
    /// A PostgreSQL enum type.
    Native,
    /// A `text` column with a check constraint listing the labels.
    Check,
}

/// An enumeration with its labels in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enum {
    pub name: QualifiedName,
    pub was: Option<Located<QualifiedName>>,
    pub storage: EnumStorage,
    pub labels: Vec<EnumLabel>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// One label of an enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumLabel {
    pub name: String,
    pub was: Option<Located<String>>,
    pub origin: Origin,
}

/// Sequence options with PostgreSQL's defaults filled in, as the catalog
/// stores them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SequenceOptions {
    pub data_type: SqlType,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub start: i64,
    pub cache: i64,
    pub cycle: bool,
}

impl SequenceOptions {
    /// The options after the sequence's type became `data_type` the way
    /// `ALTER SEQUENCE ... AS` (and `ALTER COLUMN ... TYPE` on an identity)
    /// does it: a bound that was the old type's limit becomes the new
    /// type's; any other stays.
    pub fn follow_type(&self, data_type: &SqlType) -> SequenceOptions {
        let (Some((old_min, old_max)), Some((min, max))) = (self.data_type.integer_range(), data_type.integer_range())
        else {
            return SequenceOptions {
                data_type: data_type.clone(),
                ..self.clone()
            };
        };
        let ascending = self.increment > 0;
        SequenceOptions {
            data_type: data_type.clone(),
            min_value: match self.min_value == old_min {
                true if ascending => 1,
                true => min,
                false => self.min_value,
            },
            max_value: match self.max_value == old_max {
                true if ascending => max,
                true => -1,
                false => self.max_value,
            },
            ..self.clone()
        }
    }
}

/// A free-standing sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequence {
    pub name: QualifiedName,
    pub was: Option<Located<QualifiedName>>,
    pub options: SequenceOptions,
    /// The column that owns the sequence (dropped with it).
    pub owned_by: Option<Located<(QualifiedName, Ident)>>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// A table with its columns (in order), constraints and indexes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub name: QualifiedName,
    /// Boxed, as a column's is: few tables have one.
    pub was: Option<Box<Located<QualifiedName>>>,
    pub comment: Option<String>,
    pub unlogged: bool,
    pub storage_params: Vec<StorageParam>,
    pub columns: Vec<Column>,
    /// By name. A table has a handful of each, and a large schema
    /// thousands of tables: a sorted vector holds them in a fraction of a
    /// B-tree's nodes, in the same order.
    pub constraints: NameMap<Constraint>,
    pub indexes: NameMap<Index>,
    pub replica_identity: ReplicaIdentity,
    pub triggers: BTreeMap<Ident, Trigger>,
    pub row_security: RowSecurity,
    pub policies: BTreeMap<Ident, Policy>,
    /// `partition by STRATEGY (KEY)`: a partitioned table.
    pub partition_by: Option<Box<PartitionKey>>,
    /// `partition of PARENT BOUND`: its columns are the parent's, and
    /// `columns` holds none.
    pub partition_of: Option<Box<PartitionOf>>,
    /// `inherits (PARENT, ...)`: `columns` holds only its own.
    pub inherits: Vec<QualifiedName>,
    /// `cluster on INDEX`.
    pub cluster_on: Option<Ident>,
    /// `using METHOD`: a table access method other than `heap`.
    pub access_method: Option<Ident>,
    /// `tablespace NAME`: a tablespace other than the database's default.
    pub tablespace: Option<Ident>,
    /// Extended statistics on its columns, by name (in the table's schema).
    pub statistics: BTreeMap<Ident, ExtendedStatistics>,
    pub origin: Origin,
}

/// `CREATE STATISTICS`: extended statistics on a table's columns or
/// expressions.
#[derive(Clone, Debug)]
pub struct ExtendedStatistics {
    pub name: Ident,
    /// `ndistinct`, `dependencies`, `mcv`, sorted; empty for all of them.
    pub kinds: Vec<String>,
    /// The columns and expressions, as PostgreSQL's parser prints them.
    pub targets: String,
    /// The statement as PostgreSQL's parser reads it, names left out.
    pub canonical: String,
    pub origin: Origin,
}

impl PartialEq for ExtendedStatistics {
    fn eq(&self, other: &ExtendedStatistics) -> bool {
        self.name == other.name && self.canonical == other.canonical
    }
}
impl Eq for ExtendedStatistics {}

/// How a partitioned table is partitioned.
#[derive(Clone, Debug)]
pub struct PartitionKey {
    /// `range`, `list` or `hash`.
    pub strategy: String,
    /// The key's columns and expressions, as written or as
    /// `pg_get_partkeydef` prints them.
    pub key: String,
    /// `PARTITION BY ...` as PostgreSQL's parser prints it back.
    pub canonical: String,
}

impl PartialEq for PartitionKey {
    fn eq(&self, other: &PartitionKey) -> bool {
        self.canonical == other.canonical
    }
}
impl Eq for PartitionKey {}

/// What a partition is a partition of, and its bound.
#[derive(Clone, Debug)]
pub struct PartitionOf {
    pub parent: QualifiedName,
    /// `FOR VALUES ...` or `DEFAULT`, as written or as PostgreSQL prints it.
    pub bound: String,
    /// The bound as PostgreSQL's parser prints it back (against a
    /// database, in the server's words).
    pub canonical: String,
}

impl PartitionOf {
    /// `DEFAULT`: the partition for rows no other bound takes.
    pub fn is_default(&self) -> bool {
        self.bound.eq_ignore_ascii_case("default")
    }
}

impl PartialEq for PartitionOf {
    fn eq(&self, other: &PartitionOf) -> bool {
        self.parent == other.parent && self.canonical == other.canonical
    }
}
impl Eq for PartitionOf {}

/// `row level security [force]`: whether the table's policies apply, and
/// to its owner too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowSecurity {
    pub enabled: bool,
    pub forced: bool,
}

/// A row-level security policy of a table.
#[derive(Clone, Debug)]
pub struct Policy {
    pub name: Ident,
    pub was: Option<Located<Ident>>,
    /// `as permissive` (the default) or `as restrictive`.
    pub permissive: bool,
    /// `all`, `select`, `insert`, `update` or `delete`.
    pub command: String,
    /// The roles it applies to, sorted; `public` for everyone.
    pub roles: Vec<Ident>,
    /// `using (EXPR)` and `with check (EXPR)`, as written or as PostgreSQL
    /// prints them.
    pub using: Option<String>,
    pub check: Option<String>,
    /// The two expressions as PostgreSQL's parser reads them: what two
    /// policies are compared by.
    pub canonical: String,
    /// The columns of its table it names (PostgreSQL will not change
    /// their type under it), and the relations and functions it uses.
    pub columns: Vec<Ident>,
    pub uses: Vec<QualifiedName>,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl PartialEq for Policy {
    fn eq(&self, other: &Policy) -> bool {
        self.name == other.name
            && self.permissive == other.permissive
            && self.command == other.command
            && self.roles == other.roles
            && self.canonical == other.canonical
            && self.comment == other.comment
    }
}
impl Eq for Policy {}

impl Policy {
    /// `CREATE POLICY` on `table`, in PostgreSQL's words.
    pub fn statement(&self, table: &str) -> String {
        let mut sql = format!("CREATE POLICY {} ON {table}", self.name.quoted());
        if !self.permissive {
            sql.push_str(" AS RESTRICTIVE");
        }
        if self.command != "all" {
            sql.push_str(&format!(" FOR {}", self.command.to_ascii_uppercase()));
        }
        let everyone = self.roles.iter().all(|r| r.as_str() == "public");
        if !everyone {
            sql.push_str(&format!(" TO {}", role_list(&self.roles)));
        }
        if let Some(using) = &self.using {
            sql.push_str(&format!(" USING ({using})"));
        }
        if let Some(check) = &self.check {
            sql.push_str(&format!(" WITH CHECK ({check})"));
        }
        sql
    }
}

/// Roles as SQL names them: `PUBLIC` and the `CURRENT_USER`-like words
/// bare (quoted they would name roles of that name), others quoted.
pub fn role_list(roles: &[Ident]) -> String {
    roles
        .iter()
        .map(|role| match role.as_str() {
            "public" => "PUBLIC".to_string(),
            "current_user" | "current_role" | "session_user" => role.as_str().to_ascii_uppercase(),
            _ => role.quoted(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A trigger on a table.
#[derive(Clone, Debug)]
pub struct Trigger {
    pub name: Ident,
    pub was: Option<Located<Ident>>,
    /// `create constraint trigger`.
    pub constraint: bool,
    /// The timing and events (`BEFORE UPDATE OF a OR INSERT`) and what
    /// follows `ON TABLE` up to the function call, as written or as
    /// PostgreSQL prints them: the statement is made from them.
    pub events: String,
    pub rest: String,
    /// The function it executes.
    pub function: QualifiedName,
    /// The columns it names (`update of`, `when`).
    pub columns: Vec<Ident>,
    /// The statement as PostgreSQL's parser reads it, names left out: what
    /// two triggers are compared by.
    pub canonical: String,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl PartialEq for Trigger {
    fn eq(&self, other: &Trigger) -> bool {
        self.name == other.name
            && self.constraint == other.constraint
            && self.canonical == other.canonical
            && self.comment == other.comment
    }
}
impl Eq for Trigger {}

/// A view or materialized view.
#[derive(Clone, Debug)]
pub struct View {
    pub name: QualifiedName,
    pub was: Option<Located<QualifiedName>>,
    pub materialized: bool,
    /// The names given to its columns, if any.
    pub columns: Vec<Ident>,
    pub options: Vec<StorageParam>,
    /// `cascaded` or `local`.
    pub check_option: Option<String>,
    /// The query, as written or as `pg_get_viewdef` prints it.
    pub query: String,
    /// The query (with its column names) as PostgreSQL's parser reads it:
    /// what two views are compared by.
    pub canonical: String,
    /// The relations the query reads and the functions it calls, as
    /// written (qualified with the default schema where they are not).
    pub uses: Vec<QualifiedName>,
    pub calls: Vec<QualifiedName>,
    /// A materialized view's indexes.
    pub indexes: BTreeMap<Ident, ViewIndex>,
    /// Its triggers (`instead of` ones, mostly).
    pub triggers: BTreeMap<Ident, Trigger>,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl PartialEq for View {
    fn eq(&self, other: &View) -> bool {
        self.same_definition(other)
            && self.indexes == other.indexes
            && self.triggers == other.triggers
            && self.comment == other.comment
    }
}
impl Eq for View {}

impl View {
    /// Whether the two make the same relation (indexes and comment aside).
    pub fn same_definition(&self, other: &View) -> bool {
        self.materialized == other.materialized
            && self.canonical == other.canonical
            && self.options == other.options
            && self.check_option == other.check_option
    }

    /// `VIEW` or `MATERIALIZED VIEW`.
    pub fn kind_sql(&self) -> &'static str {
        if self.materialized { "MATERIALIZED VIEW" } else { "VIEW" }
    }

    /// `view` or `materialized view`.
    pub fn kind(&self) -> &'static str {
        if self.materialized { "materialized view" } else { "view" }
    }
}

/// An index on a materialized view, kept as PostgreSQL's `CREATE INDEX`
/// text after `ON VIEW`.
#[derive(Clone, Debug)]
pub struct ViewIndex {
    pub name: Ident,
    pub was: Option<Located<Ident>>,
    pub unique: bool,
    /// `[USING METHOD] (ELEMENTS) ...`, as written or as PostgreSQL prints it.
    pub rest: String,
    /// The statement as PostgreSQL's parser reads it, names left out.
    pub canonical: String,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl PartialEq for ViewIndex {
    fn eq(&self, other: &ViewIndex) -> bool {
        self.name == other.name && self.canonical == other.canonical && self.comment == other.comment
    }
}
impl Eq for ViewIndex {}

/// What tells routines apart: the name and the types of the arguments that
/// identify it, as PostgreSQL tells overloads apart.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoutineId {
    pub name: QualifiedName,
    pub arguments: Vec<SqlType>,
}

impl fmt::Display for RoutineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name.quoted())?;
        for (i, argument) in self.arguments.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{argument}")?;
        }
        f.write_str(")")
    }
}

/// A function or procedure.
#[derive(Clone, Debug)]
pub struct Routine {
    pub id: RoutineId,
    pub was: Option<Located<QualifiedName>>,
    pub procedure: bool,
    /// An aggregate: `rest` is its parenthesised options.
    pub aggregate: bool,
    /// The argument list without its parentheses and what follows it, as
    /// written (or as `pg_get_functiondef` prints them): the statement is
    /// made from them.
    pub arguments: String,
    pub rest: String,
    pub returns: Option<SqlType>,
    pub returns_set: bool,
    pub language: String,
    /// The statement as PostgreSQL's parser reads it, the name and the
    /// defaults PostgreSQL does not print left out.
    pub canonical: String,
    /// Argument modes, names and defaults, result: `CREATE OR REPLACE`
    /// cannot change these.
    pub shape: String,
    /// What must exist before it is created: relations its SQL-standard
    /// body reads, types of its signature that are not built in.
    pub uses: Vec<QualifiedName>,
    /// A SQL-standard body (`BEGIN ATOMIC`, `RETURN`), which PostgreSQL 14
    /// brought.
    pub standard_body: bool,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl PartialEq for Routine {
    fn eq(&self, other: &Routine) -> bool {
        self.id == other.id
            && self.procedure == other.procedure
            && self.aggregate == other.aggregate
            && self.canonical == other.canonical
            && self.comment == other.comment
    }
}
impl Eq for Routine {}

impl Routine {
    /// `function`, `procedure` or `aggregate`.
    pub fn kind(&self) -> &'static str {
        match (self.procedure, self.aggregate) {
            (true, _) => "procedure",
            (_, true) => "aggregate",
            _ => "function",
        }
    }

    /// `FUNCTION`, `PROCEDURE` or `AGGREGATE`.
    pub fn kind_sql(&self) -> &'static str {
        match (self.procedure, self.aggregate) {
            (true, _) => "PROCEDURE",
            (_, true) => "AGGREGATE",
            _ => "FUNCTION",
        }
    }

    /// Its `CREATE` statement, under the given name.
    pub fn statement(&self, name: &QualifiedName) -> String {
        format!(
            "CREATE {} {}({}) {}",
            self.kind_sql(),
            name.quoted(),
            self.arguments,
            self.rest
        )
    }

    /// Whether it returns `trigger` (a trigger function).
    pub fn returns_trigger(&self) -> bool {
        self.returns.as_ref().and_then(|t| t.builtin_name()) == Some("trigger")
    }
}

impl Table {
    /// The column of that name.
    pub fn column(&self, name: &Ident) -> Option<&Column> {
        self.columns.iter().find(|c| &c.name == name)
    }

    /// Whether the table has a primary key, unique constraint or unique
    /// non-partial index on exactly these columns (empty: the primary key),
    /// as a foreign key needs.
    pub fn has_key(&self, columns: &[Located<Ident>]) -> bool {
        let same = |key: &[Located<Ident>]| {
            key.len() == columns.len() && key.iter().zip(columns).all(|(a, b)| a.value == b.value)
        };
        let constraint_key = self.constraints.values().any(|c| match &c.kind {
            ConstraintKind::PrimaryKey { columns: key, .. } => columns.is_empty() || same(key),
            ConstraintKind::Unique { columns: key, .. } => same(key),
            _ => false,
        });
        let index_key = self.indexes.values().any(|i| {
            i.unique
                && i.predicate.is_none()
                && i.elements.len() == columns.len()
                && i.elements
                    .iter()
                    .zip(columns)
                    .all(|(e, c)| matches!(&e.target, ElementTarget::Column(n) if *n == c.value))
        });
        constraint_key || index_key
    }

    /// The primary key constraint, if any.
    pub fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .values()
            .find(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
    }
}

/// `name = value` storage parameter (value as PostgreSQL prints it).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct StorageParam {
    pub name: String,
    pub value: String,
}

/// A column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: Ident,
    /// Boxed, as are the other fields few columns have: a large schema
    /// holds hundreds of thousands of columns.
    pub was: Option<Box<Located<Ident>>>,
    pub data_type: Located<SqlType>,
    pub not_null: bool,
    pub default: Option<Located<Expr>>,
    pub identity: Option<Box<Identity>>,
    /// `generated always as (EXPR) stored` or `virtual`.
    pub generated: Option<Box<Located<Expr>>>,
    /// Whether a generated column is stored or computed when read; stored
    /// when the column is not generated.
    pub generated_kind: GeneratedKind,
    pub collation: Option<Box<SearchPathName>>,
    /// Boxed text: every column has the field, few a comment.
    pub comment: Option<Box<str>>,
    /// `using (EXPR)`: how the column's value is computed from the old row
    /// when its type changes; a hint for that revision, as `was` is.
    pub using: Option<Box<Located<Expr>>>,
    /// Statistics target, storage, compression and options; `None` when
    /// all are PostgreSQL's defaults (as for almost every column).
    pub settings: Option<Box<ColumnSettings>>,
    pub origin: Origin,
}

/// What PostgreSQL keeps per column besides its type and constraints, each
/// `None` (or empty) where it is the default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnSettings {
    /// `SET STATISTICS`: 0 to 10000 (the default, -1, is `None`).
    pub statistics: Option<i32>,
    /// `SET STORAGE`, lower-cased (`plain`, `external`, `extended`,
    /// `main`), when it is not the type's own.
    pub storage: Option<String>,
    /// `SET COMPRESSION`: `pglz` or `lz4`.
    pub compression: Option<String>,
    /// `SET (n_distinct = V, ...)`, sorted by name.
    pub options: Vec<StorageParam>,
}

impl ColumnSettings {
    /// Whether every setting is PostgreSQL's default.
    pub fn is_default(&self) -> bool {
        *self == ColumnSettings::default()
    }

    /// The settings as an optional box: `None` when all are defaults.
    pub fn boxed(self) -> Option<Box<ColumnSettings>> {
        (!self.is_default()).then(|| Box::new(self))
    }
}

/// The storage PostgreSQL gives a column of a built-in type (`typstorage`):
/// `None` for types it does not know offline (user types).
pub fn default_storage(data_type: &SqlType) -> Option<&'static str> {
    if data_type.array_dims > 0 {
        return Some("extended");
    }
    let TypeName::Builtin(name) = &data_type.name else {
        return None;
    };
    Some(match name.as_str() {
        "numeric" | "inet" | "cidr" => "main",
        "bit" | "bit varying" | "character" | "character varying" | "bpchar" | "bytea" | "json" | "jsonb"
        | "jsonpath" | "path" | "polygon" | "refcursor" | "text" | "tsvector" | "txid_snapshot" | "pg_snapshot"
        | "xml" => "extended",
        _ => "plain",
    })
}

/// How a generated column keeps its values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GeneratedKind {
    /// `stored`: computed when the row is written, and kept.
    #[default]
    Stored,
    /// `virtual` (PostgreSQL 18): computed when the row is read, nothing kept.
    Virtual,
}

impl GeneratedKind {
    /// The keyword, as the language and PostgreSQL write it.
    pub fn keyword(self) -> &'static str {
        match self {
            GeneratedKind::Stored => "stored",
            GeneratedKind::Virtual => "virtual",
        }
    }
}

/// An identity column's generation and sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub always: bool,
    pub sequence_name: QualifiedName,
    pub options: SequenceOptions,
}

/// A constraint and what all constraints share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    pub name: Ident,
    /// Boxed, as are the larger kinds and every rare field of constraints,
    /// indexes and their elements: a large schema holds many thousands.
    pub was: Option<Box<Located<Ident>>>,
    pub kind: ConstraintKind,
    pub deferrable: bool,
    pub initially_deferred: bool,
    /// `NOT VALID`: existing rows were not checked.
    pub not_valid: bool,
    pub comment: Option<String>,
    /// Whether the name was written or chosen by PostgreSQL's rules.
    pub named: bool,
    pub origin: Origin,
}

/// The kinds of constraint PostgreSQL stores in `pg_constraint`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConstraintKind {
    PrimaryKey {
        columns: Vec<Located<Ident>>,
        include: Vec<Located<Ident>>,
        /// Of the index behind the key: `with (fillfactor = 70)`.
        storage_params: Vec<StorageParam>,
    },
    Unique {
        columns: Vec<Located<Ident>>,
        include: Vec<Located<Ident>>,
        nulls_not_distinct: bool,
        storage_params: Vec<StorageParam>,
    },
    Check {
        expr: Located<Expr>,
        no_inherit: bool,
    },
    ForeignKey(Box<ForeignKey>),
    Exclusion(Box<Exclusion>),
    /// The check trellisc keeps for a column of an `as check` enum: the
    /// column's value must be one of the enum's labels.
    EnumCheck {
        column: Ident,
        enum_name: QualifiedName,
    },
}

/// A foreign key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    pub columns: Vec<Located<Ident>>,
    pub referenced_table: Located<QualifiedName>,
    /// Empty when the source left them out: the referenced primary key.
    pub referenced_columns: Vec<Located<Ident>>,
    pub match_type: MatchType,
    pub on_delete: ReferentialAction,
    pub on_update: ReferentialAction,
    /// `set null (cols)` / `set default (cols)` on delete.
    pub on_delete_columns: Vec<Ident>,
}

/// `MATCH` type of a foreign key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchType {
    Simple,
    Full,
    Partial,
}

/// What happens to referencing rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferentialAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

/// An exclusion constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exclusion {
    pub method: Ident,
    pub elements: Vec<(IndexElement, String)>,
    pub include: Vec<Located<Ident>>,
    pub storage_params: Vec<StorageParam>,
    pub predicate: Option<Located<Expr>>,
}

/// An index that is not part of a constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    pub name: Ident,
    pub was: Option<Box<Located<Ident>>>,
    pub unique: bool,
    pub nulls_not_distinct: bool,
    pub method: Ident,
    pub elements: Vec<IndexElement>,
    pub include: Vec<Located<Ident>>,
    pub storage_params: Vec<StorageParam>,
    pub predicate: Option<Located<Expr>>,
    pub comment: Option<String>,
    pub named: bool,
    pub origin: Origin,
}

/// One key element of an index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexElement {
    pub target: ElementTarget,
    pub collation: Option<Box<SearchPathName>>,
    pub opclass: Option<Box<OperatorClass>>,
    pub descending: bool,
    pub nulls_first: bool,
    pub origin: Origin,
}

/// What an index element indexes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ElementTarget {
    Column(Ident),
    Expression(Expr),
}

/// An operator class with its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorClass {
    pub name: SearchPathName,
    pub params: Vec<StorageParam>,
}

/// `REPLICA IDENTITY`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReplicaIdentity {
    #[default]
    Default,
    Full,
    Nothing,
    Index(Located<Ident>),
}

/// The comment trellisc puts on the check of an `as check` enum's column:
/// how a database read back knows the check is that enum's (documented in
/// docs/language.md). The enum's doc comment follows on the next lines.
pub fn enum_check_marker(enum_name: &QualifiedName, comment: Option<&str>) -> String {
    let mut marker = format!("{ENUM_CHECK_MARKER} {}", enum_name.quoted());
    if let Some(comment) = comment {
        marker.push('\n');
        marker.push_str(comment);
    }
    marker
}

const ENUM_CHECK_MARKER: &str = "trellisc:enum-check";

/// The enum and its doc comment, if the comment is trellisc's enum-check
/// marker.
pub fn parse_enum_check_marker(comment: &str) -> Option<(QualifiedName, Option<String>)> {
    let (first, rest) = match comment.split_once('\n') {
        Some((first, rest)) => (first, Some(rest.to_string())),
        None => (comment, None),
    };
    let name = first.strip_prefix(ENUM_CHECK_MARKER)?.strip_prefix(' ')?;
    let (schema, after) = read_identifier(name)?;
    let (name, after) = read_identifier(after.strip_prefix('.')?)?;
    after.is_empty().then(|| (QualifiedName::new(schema, name), rest))
}

/// One identifier as SQL writes it (quoted or not) and what follows it.
fn read_identifier(text: &str) -> Option<(super::name::Ident, &str)> {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = quoted.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if c == '"' {
                if chars.peek().map(|(_, n)| *n) == Some('"') {
                    chars.next();
                    name.push('"');
                } else {
                    return Some((super::name::Ident::new(name), &quoted[at + 1..]));
                }
            } else {
                name.push(c);
            }
        }
        return None;
    }
    let end = text.find('.').unwrap_or(text.len());
    (end > 0).then(|| (super::name::Ident::new(&text[..end]), &text[end..]))
}
