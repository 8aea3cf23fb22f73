//! Source text → syntax tree → Schema IR.

pub mod ast;
pub mod doc;
pub mod format;
pub mod lower;
pub mod parse;
pub mod write;

pub use format::format_file;
pub use lower::{LowerOptions, LoweredFile, finish, lower, lower_file};
pub use parse::parse_file;
pub use write::write_schema;
