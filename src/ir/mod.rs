//! The Schema IR: the one model every stage speaks.

pub mod grants;
pub mod name;
pub mod naming;
pub mod schema;
pub mod types;

pub use grants::{
    DefaultGrant, DefaultKey, DefaultKind, Grant, GrantKey, Grantee, ManagedRoles, Privilege, Privileges, RoutineKind,
    Securable,
};
pub use name::{Ident, QualifiedName, SearchPathName};
pub use schema::*;
pub use types::{SqlType, TypeName};
