//! Test support: the PostgreSQL harness, and reading its databases back.
pub mod pg;
pub mod reflect;
