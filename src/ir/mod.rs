//! The Schema IR: the one model every stage speaks.

pub mod name;
pub mod naming;
pub mod schema;
pub mod types;

pub use name::{Ident, QualifiedName, SearchPathName};
pub use schema::*;
pub use types::{SqlType, TypeName};
