//! Test support: the PostgreSQL harness, reading its databases back, and
//! random schema pairs.
pub mod pg;
pub mod project;
pub mod random;
pub mod reflect;
pub mod tls;
