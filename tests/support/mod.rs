//! Test support: the PostgreSQL harness.
pub mod pg;
