//! Whether the role trellisc runs as may keep the version table: read
//! before anything is written, so that a role with only SELECT, INSERT,
//! UPDATE and DELETE on an existing table (and no CREATE on its schema)
//! can run revisions, and a role that lacks a right is told which.

use tokio_postgres::Client;

use crate::ir::QualifiedName;
use crate::reflect::DbError;

/// The query behind [`Rights`].
const RIGHTS: &str = include_str!("rights.sql");

/// What the current role may do with the version table.
pub(super) struct Rights {
    role: String,
    database: String,
    /// The table exists.
    pub present: bool,
    may_create: bool,
    schema_present: bool,
    /// The rights it lacks on the table that is there.
    missing: Vec<String>,
}

impl Rights {
    /// Reads them.
    pub async fn read(client: &Client, table: &QualifiedName) -> Result<Rights, tokio_postgres::Error> {
        let row = client
            .query_one(RIGHTS, &[&table.quoted(), &table.schema.as_str()])
            .await?;
        Ok(Rights {
            role: row.try_get(0)?,
            present: row.try_get(1)?,
            may_create: row.try_get(2)?,
            schema_present: row.try_get(3)?,
            database: row.try_get(4)?,
            missing: row.try_get(5)?,
        })
    }

    /// Why this role cannot keep the table (`writing`: record revisions,
    /// else only read them), if it cannot.
    pub fn refusal(&self, table: &QualifiedName, description: &str, writing: bool) -> Option<DbError> {
        let name = table.quoted();
        let message = if !self.present {
            if !writing || self.may_create {
                return None;
            }
            let (right, on) = if self.schema_present {
                ("CREATE", format!("schema {}", table.schema.quoted()))
            } else {
                ("CREATE", format!("database {}", self.database))
            };
            format!(
                "cannot record revisions: {name} does not exist, and role \"{}\" lacks {right} on {on} to create it (run the first upgrade as a role that may, such as the schema's owner, or grant it)",
                self.role
            )
        } else {
            let usage = self.missing.iter().any(|m| m == "USAGE");
            let on_table: Vec<&str> = self
                .missing
                .iter()
                .map(String::as_str)
                .filter(|m| *m != "USAGE" && (writing || *m == "SELECT"))
                .collect();
            let mut lacks = Vec::new();
            if usage {
                lacks.push(format!("USAGE on schema {}", table.schema.quoted()));
            }
            match on_table.as_slice() {
                [] => {}
                [one] => lacks.push(format!("{one} on {name}")),
                [first @ .., last] => lacks.push(format!("{} and {last} on {name}", first.join(", "))),
            }
            if lacks.is_empty() {
                return None;
            }
            format!(
                "cannot {} revisions: role \"{}\" lacks {} (grant it, or run trellisc as the table's owner)",
                if writing { "record" } else { "read" },
                self.role,
                lacks.join(" and ")
            )
        };
        Some(DbError {
            description: description.to_string(),
            message,
        })
    }
}
