//! Source text → syntax tree → Schema IR.

pub mod ast;
pub mod format;
pub mod lower;
pub mod parse;

pub use format::format_file;
pub use lower::{LowerOptions, LoweredFile, finish, lower, lower_file};
pub use parse::parse_file;
