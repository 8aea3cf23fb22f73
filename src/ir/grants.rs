//! Privileges: who may do what with each object, as PostgreSQL's access
//! control lists hold them, and the default privileges new objects get.
//!
//! Both sides hold privileges whole ("absolute"): a source's grants are
//! added to what PostgreSQL gives every object of a kind by itself (PUBLIC
//! may execute a function and use a type), less what the source revokes.
//! The owner's own privileges are never part of it. Which grantees count
//! in a comparison is the schema's [`ManagedRoles`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::name::{Ident, QualifiedName};
use super::schema::{EnumStorage, Origin, RoutineId, Schema};

/// One privilege PostgreSQL grants on an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Privilege {
    Select,
    Insert,
    Update,
    Delete,
    Truncate,
    References,
    Trigger,
    Maintain,
    Usage,
    Create,
    Execute,
}

impl Privilege {
    /// Every privilege, in the order PostgreSQL prints them.
    pub const ALL: [Privilege; 11] = [
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Truncate,
        Privilege::References,
        Privilege::Trigger,
        Privilege::Maintain,
        Privilege::Usage,
        Privilege::Create,
        Privilege::Execute,
    ];

    /// The keyword, as SQL writes it.
    pub fn keyword(self) -> &'static str {
        match self {
            Privilege::Select => "SELECT",
            Privilege::Insert => "INSERT",
            Privilege::Update => "UPDATE",
            Privilege::Delete => "DELETE",
            Privilege::Truncate => "TRUNCATE",
            Privilege::References => "REFERENCES",
            Privilege::Trigger => "TRIGGER",
            Privilege::Maintain => "MAINTAIN",
            Privilege::Usage => "USAGE",
            Privilege::Create => "CREATE",
            Privilege::Execute => "EXECUTE",
        }
    }

    /// The privilege a keyword names (any case), if any.
    pub fn from_keyword(word: &str) -> Option<Privilege> {
        Privilege::ALL
            .into_iter()
            .find(|p| p.keyword().eq_ignore_ascii_case(word))
    }
}

/// What a privilege is granted on: the kinds of object PostgreSQL keeps an
/// access control list for and trellisc manages.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Securable {
    /// A table, partition, view or materialized view (`ON TABLE`).
    Relation(QualifiedName),
    Sequence(QualifiedName),
    /// A function, aggregate or procedure.
    Routine(RoutineId, RoutineKind),
    Schema(Ident),
    /// An enum or a domain.
    Type(QualifiedName),
}

/// Which kind of routine: SQL names them differently in `GRANT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RoutineKind {
    Function,
    Procedure,
}

impl Securable {
    /// What `all` means on an object of this kind: its privileges but
    /// PostgreSQL 17's `MAINTAIN` on a relation (written out where wanted,
    /// so that one schema means the same on every version).
    pub fn all(&self) -> &'static [Privilege] {
        match self {
            Securable::Relation(_) => &self.privileges()[..7],
            _ => self.privileges(),
        }
    }

    /// The privileges an object of this kind has, in PostgreSQL's order
    /// (`MAINTAIN` exists from PostgreSQL 17).
    pub fn privileges(&self) -> &'static [Privilege] {
        use Privilege::*;
        match self {
            Securable::Relation(_) => &[Select, Insert, Update, Delete, Truncate, References, Trigger, Maintain],
            Securable::Sequence(_) => &[Usage, Select, Update],
            Securable::Routine(..) => &[Execute],
            Securable::Schema(_) => &[Usage, Create],
            Securable::Type(_) => &[Usage],
        }
    }

    /// The object as `GRANT ... ON` names it: `TABLE public.t`,
    /// `FUNCTION public.f(integer)`, ...
    pub fn sql(&self) -> String {
        match self {
            Securable::Relation(name) => format!("TABLE {}", name.quoted()),
            Securable::Sequence(name) => format!("SEQUENCE {}", name.quoted()),
            Securable::Routine(id, RoutineKind::Function) => format!("FUNCTION {id}"),
            Securable::Routine(id, RoutineKind::Procedure) => format!("PROCEDURE {id}"),
            Securable::Schema(name) => format!("SCHEMA {}", name.quoted()),
            Securable::Type(name) => format!("TYPE {}", name.quoted()),
        }
    }

    /// The schema the object is in (a schema is in itself).
    pub fn namespace(&self) -> &Ident {
        match self {
            Securable::Relation(name) | Securable::Sequence(name) | Securable::Type(name) => &name.schema,
            Securable::Routine(id, _) => &id.name.schema,
            Securable::Schema(name) => name,
        }
    }

    /// The kind of default privileges that apply to objects like this one.
    pub fn default_kind(&self) -> DefaultKind {
        match self {
            Securable::Relation(_) => DefaultKind::Tables,
            Securable::Sequence(_) => DefaultKind::Sequences,
            Securable::Routine(..) => DefaultKind::Functions,
            Securable::Schema(_) => DefaultKind::Schemas,
            Securable::Type(_) => DefaultKind::Types,
        }
    }
}

impl fmt::Display for Securable {
    /// `table public.t`, `function public.f(integer)`: for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sql = self.sql();
        let (keyword, rest) = sql.split_once(' ').unwrap_or((&sql, ""));
        write!(f, "{} {rest}", keyword.to_lowercase())
    }
}

/// Who a privilege is granted to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grantee {
    /// Every role.
    Public,
    Role(Ident),
}

impl Grantee {
    /// As SQL writes it: `PUBLIC` or the quoted role name.
    pub fn sql(&self) -> String {
        match self {
            Grantee::Public => "PUBLIC".into(),
            Grantee::Role(name) => name.quoted(),
        }
    }
}

impl fmt::Display for Grantee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Grantee::Public => f.write_str("public"),
            Grantee::Role(name) => f.write_str(&name.quoted()),
        }
    }
}

/// One privilege on one object (or one of a table's columns) for one
/// grantee.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GrantKey {
    pub object: Securable,
    /// A column of a relation: `GRANT SELECT (col) ON ...`.
    pub column: Option<Ident>,
    pub grantee: Grantee,
    pub privilege: Privilege,
}

/// A privilege held: whether it may be passed on, and where it was written.
#[derive(Clone, Copy, Debug, Default)]
pub struct Grant {
    pub grantable: bool,
    /// PostgreSQL gives it without being asked (PUBLIC's `EXECUTE` on a
    /// function): not written by `import`. Not part of equality.
    pub implicit: bool,
    pub origin: Origin,
}

impl PartialEq for Grant {
    fn eq(&self, other: &Grant) -> bool {
        self.grantable == other.grantable
    }
}
impl Eq for Grant {}

/// The kinds of object `ALTER DEFAULT PRIVILEGES` speaks of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefaultKind {
    Tables,
    Sequences,
    Functions,
    Types,
    Schemas,
}

impl DefaultKind {
    /// The plural keyword, as SQL writes it.
    pub fn keyword(self) -> &'static str {
        match self {
            DefaultKind::Tables => "TABLES",
            DefaultKind::Sequences => "SEQUENCES",
            DefaultKind::Functions => "FUNCTIONS",
            DefaultKind::Types => "TYPES",
            DefaultKind::Schemas => "SCHEMAS",
        }
    }

    /// The kind a keyword names (`routines` is `functions`).
    pub fn from_keyword(word: &str) -> Option<DefaultKind> {
        let word = word.to_ascii_lowercase();
        Some(match word.as_str() {
            "tables" => DefaultKind::Tables,
            "sequences" => DefaultKind::Sequences,
            "functions" | "routines" => DefaultKind::Functions,
            "types" => DefaultKind::Types,
            "schemas" => DefaultKind::Schemas,
            _ => return None,
        })
    }

    /// What `all` means for objects of this kind (without PostgreSQL 17's
    /// `MAINTAIN`, as [`Securable::all`]).
    pub fn all(self) -> &'static [Privilege] {
        match self {
            DefaultKind::Tables => &self.privileges()[..7],
            _ => self.privileges(),
        }
    }

    /// The privileges objects of this kind have.
    pub fn privileges(self) -> &'static [Privilege] {
        use Privilege::*;
        match self {
            DefaultKind::Tables => &[Select, Insert, Update, Delete, Truncate, References, Trigger, Maintain],
            DefaultKind::Sequences => &[Usage, Select, Update],
            DefaultKind::Functions => &[Execute],
            DefaultKind::Types => &[Usage],
            DefaultKind::Schemas => &[Usage, Create],
        }
    }

    /// What PostgreSQL gives PUBLIC on objects of this kind by itself.
    pub fn builtin(self) -> Option<Privilege> {
        match self {
            DefaultKind::Functions => Some(Privilege::Execute),
            DefaultKind::Types => Some(Privilege::Usage),
            _ => None,
        }
    }
}

/// One default privilege: objects of `kind` that `role` (none: the role
/// trellisc connects as) makes in `schema` (none: anywhere) get
/// `privilege` for `grantee`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DefaultKey {
    pub role: Option<Ident>,
    pub schema: Option<Ident>,
    pub kind: DefaultKind,
    pub grantee: Grantee,
    pub privilege: Privilege,
}

/// A default privilege as held: granted (perhaps with grant option), or,
/// for one PostgreSQL gives by itself (PUBLIC's `EXECUTE` on functions),
/// withheld.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultGrant {
    Granted { grantable: bool },
    Revoked,
}

/// Whose grants a comparison manages. A source names them (every grantee
/// it writes, and `trellis.toml`'s list); a database read has no opinion.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManagedRoles(pub Option<BTreeSet<Grantee>>);

impl ManagedRoles {
    /// The grantees two sides manage together: those either names; every
    /// grantee either holds when neither names any (two databases).
    pub fn between<'a>(
        old: &'a ManagedRoles,
        new: &'a ManagedRoles,
        held: impl Iterator<Item = &'a Grantee>,
    ) -> BTreeSet<Grantee> {
        match (&old.0, &new.0) {
            (None, None) => held.cloned().collect(),
            (a, b) => a.iter().chain(b.iter()).flatten().cloned().collect(),
        }
    }
}

/// Privileges of a schema, with its default privileges. The default is
/// an empty database's: PUBLIC may use the `public` schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Privileges {
    pub grants: BTreeMap<GrantKey, Grant>,
    pub defaults: BTreeMap<DefaultKey, DefaultGrant>,
    pub managed: ManagedRoles,
}

impl Default for Privileges {
    fn default() -> Privileges {
        let key = GrantKey {
            object: Securable::Schema(Ident::new("public")),
            column: None,
            grantee: Grantee::Public,
            privilege: Privilege::Usage,
        };
        let grant = Grant {
            grantable: false,
            implicit: true,
            origin: Origin::default(),
        };
        Privileges {
            grants: BTreeMap::from([(key, grant)]),
            defaults: BTreeMap::new(),
            managed: ManagedRoles::default(),
        }
    }
}

impl Privileges {
    /// Whether nothing is granted, by default or otherwise.
    pub fn is_empty(&self) -> bool {
        self.grants.is_empty() && self.defaults.is_empty()
    }
}

/// What an object holds as soon as it is made, for grantees other than
/// its owner: what PostgreSQL gives PUBLIC by itself (`EXECUTE` on a
/// routine, `USAGE` on a type and on the `public` schema), less a global
/// default privilege that withholds it, plus the default privileges of the
/// role that makes it (`for role` left out) for objects of its kind and
/// schema. The `public` schema is never made, so defaults do not reach it.
/// Privilege → whether it may be passed on.
pub fn initial(
    object: &Securable,
    defaults: &BTreeMap<DefaultKey, DefaultGrant>,
) -> BTreeMap<(Grantee, Privilege), bool> {
    let mut held = BTreeMap::new();
    let kind = object.default_kind();
    let public_schema = matches!(object, Securable::Schema(name) if name.as_str() == "public");
    if public_schema {
        held.insert((Grantee::Public, Privilege::Usage), false);
        return held;
    }
    if let Some(builtin) = kind.builtin() {
        let withheld = DefaultKey {
            role: None,
            schema: None,
            kind,
            grantee: Grantee::Public,
            privilege: builtin,
        };
        if defaults.get(&withheld) != Some(&DefaultGrant::Revoked) {
            held.insert((Grantee::Public, builtin), false);
        }
    }
    let namespace = object.namespace();
    for (key, grant) in defaults {
        let DefaultGrant::Granted { grantable } = grant else {
            continue;
        };
        let applies = key.role.is_none() && key.kind == kind && key.schema.as_ref().is_none_or(|s| s == namespace);
        if applies {
            let entry = held.entry((key.grantee.clone(), key.privilege)).or_insert(false);
            *entry |= *grantable;
        }
    }
    held
}

/// Every object of a schema that has privileges of its own: tables and
/// views, sequences, routines, enums and domains, and schemas (`public`
/// always among them).
pub fn securables(schema: &Schema) -> Vec<Securable> {
    let mut objects: Vec<Securable> = Vec::new();
    objects.extend(
        schema
            .tables
            .keys()
            .chain(schema.views.keys())
            .cloned()
            .map(Securable::Relation),
    );
    objects.extend(schema.sequences.keys().cloned().map(Securable::Sequence));
    objects.extend(schema.routines.values().map(|r| {
        let kind = if r.procedure {
            RoutineKind::Procedure
        } else {
            RoutineKind::Function
        };
        Securable::Routine(r.id.clone(), kind)
    }));
    let native = schema
        .enums
        .values()
        .filter(|e| e.storage == EnumStorage::Native)
        .map(|e| &e.name);
    objects.extend(
        native
            .chain(schema.domains.keys())
            .chain(schema.composites.keys())
            .chain(schema.ranges.keys())
            .cloned()
            .map(Securable::Type),
    );
    let mut namespaces = schema.namespaces();
    namespaces.insert(Ident::new("public"));
    objects.extend(namespaces.into_iter().map(Securable::Schema));
    objects
}

/// Before PostgreSQL 15, PUBLIC may also create in the `public` schema
/// from the start: a schema that leaves PUBLIC's privileges there as
/// PostgreSQL gives them means that on such a server.
pub fn public_schema_before_15(privileges: &mut Privileges) {
    let object = Securable::Schema(Ident::new("public"));
    let atoms: Vec<(&GrantKey, &Grant)> = privileges
        .grants
        .iter()
        .filter(|(k, _)| k.object == object && k.grantee == Grantee::Public)
        .collect();
    let untouched = matches!(atoms.as_slice(), [(key, grant)] if key.privilege == Privilege::Usage && grant.implicit);
    if untouched {
        let key = GrantKey {
            object,
            column: None,
            grantee: Grantee::Public,
            privilege: Privilege::Create,
        };
        let grant = Grant {
            grantable: false,
            implicit: true,
            origin: Origin::default(),
        };
        privileges.grants.insert(key, grant);
    }
}
