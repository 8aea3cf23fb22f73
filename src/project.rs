//! The project file, `trellis.toml`: where the schema and the revisions
//! live, and which database the revision commands talk to.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::check::versions::{NEWEST, OLDEST};
use crate::ir::{Ident, QualifiedName};

/// The name of the project file.
pub const FILE_NAME: &str = "trellis.toml";

/// The file `trellisc init` writes: every setting, with its default.
pub const TEMPLATE: &str = r#"# trellisc project file. Paths are relative to this file.

# The .trellis files that make up the schema (a file or a directory).
schema = "schema"

# Where `trellisc revision` writes revisions (SQL files, their schema
# snapshots and the trellis.sum file that guards them).
versions = "versions"

# The PostgreSQL schema that unqualified names in .trellis files live in.
default_schema = "public"

# The table that records which revisions a database has. trellisc creates
# it on the first upgrade and never treats it as part of your schema.
version_table = "public.trellis_version"

# The environment variable that holds the database URL
# (postgres://user:password@host:port/database); --db overrides it.
database_url_env = "TRELLIS_DATABASE_URL"

# The oldest PostgreSQL major version your databases run (13 to 18). When
# set, `check`, `revision` and offline `diff` refuse forms that version
# lacks (such as `nulls not distinct` before 15); against a database, its
# own version is used.
# postgres = 15

# Grants are managed for the roles the schema grants to; grants to other
# roles are left alone. Roles listed here are managed too, so that taking
# away a role's last grant in the schema revokes it from the database.
# roles = ["app_user", "reporting"]
"#;

/// `trellis.toml` as written; every key is optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    schema: Option<PathBuf>,
    versions: Option<PathBuf>,
    default_schema: Option<String>,
    version_table: Option<String>,
    database_url_env: Option<String>,
    postgres: Option<i64>,
    roles: Option<Vec<String>>,
}

/// A project: the settings of its `trellis.toml`, paths resolved.
#[derive(Clone, Debug)]
pub struct Project {
    /// The `trellis.toml` file.
    pub file: PathBuf,
    /// The schema's `.trellis` file or directory.
    pub schema: PathBuf,
    /// The versions directory.
    pub versions: PathBuf,
    pub default_schema: Ident,
    pub version_table: QualifiedName,
    pub database_url_env: String,
    /// `postgres = N`: the PostgreSQL major version the project's
    /// databases run, for refusing forms it lacks with no database at hand.
    pub postgres: Option<u32>,
    /// `roles = [...]`: roles whose grants are managed even where the
    /// source grants them nothing (so that taking away a role's last grant
    /// revokes it).
    pub roles: Vec<Ident>,
}

impl Project {
    /// How the project's schema is compiled: its default schema and the
    /// roles it manages.
    pub fn lower_options(&self) -> crate::syntax::LowerOptions {
        crate::syntax::LowerOptions {
            default_schema: self.default_schema.clone(),
            roles: self.roles.clone(),
        }
    }

    /// Finds `trellis.toml` in `start` or the nearest parent directory and
    /// reads it.
    pub fn find(start: &Path) -> Result<Project, String> {
        match Project::find_any(start)? {
            Some(project) => Ok(project),
            None => Err(format!(
                "no {FILE_NAME} in {} or any parent directory; run `trellisc init` to start a project here",
                start.display()
            )),
        }
    }

    /// Like [`Project::find`], but None when there is no `trellis.toml`
    /// (an error only when there is one that cannot be read).
    pub fn find_any(start: &Path) -> Result<Option<Project>, String> {
        // From the current directory, paths are kept relative to it so that
        // messages stay short.
        let from_here = std::env::current_dir().is_ok_and(|here| here == start);
        let mut relative = PathBuf::new();
        let mut dir = Some(start);
        while let Some(d) = dir {
            if d.join(FILE_NAME).is_file() {
                let path = if from_here {
                    relative.join(FILE_NAME)
                } else {
                    d.join(FILE_NAME)
                };
                return Project::read(&path).map(Some);
            }
            relative.push("..");
            dir = d.parent();
        }
        Ok(None)
    }

    /// Reads one `trellis.toml`.
    pub fn read(path: &Path) -> Result<Project, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file: File = toml::from_str(&text).map_err(|e| describe_toml_error(path, &text, &e))?;
        let root = path.parent().unwrap_or(Path::new(""));
        let default_schema = file.default_schema.unwrap_or_else(|| "public".into());
        if default_schema.is_empty() {
            return Err(format!("{}: default_schema is empty", path.display()));
        }
        let default_schema = Ident::new(&default_schema);
        let table = file.version_table.unwrap_or_else(|| "public.trellis_version".into());
        let version_table = parse_table_name(&table, &default_schema).ok_or_else(|| {
            format!(
                "{}: version_table = {table:?} is not a table name; write `name` or `schema.name`",
                path.display()
            )
        })?;
        let database_url_env = file.database_url_env.unwrap_or_else(|| "TRELLIS_DATABASE_URL".into());
        if database_url_env.contains("://") || crate::reflect::is_url(&database_url_env) {
            return Err(format!(
                "{}: database_url_env = \"{}\" is a database URL; it names the environment variable that holds the URL (such as TRELLIS_DATABASE_URL), so that no password is written in this file",
                path.display(),
                crate::reflect::mask(&database_url_env)
            ));
        }
        let postgres = match file.postgres {
            None => None,
            Some(major) if (i64::from(OLDEST)..=i64::from(NEWEST)).contains(&major) => u32::try_from(major).ok(),
            Some(major) => {
                return Err(format!(
                    "{}: postgres = {major} is not a PostgreSQL major version trellisc supports; write one of {OLDEST} to {NEWEST}",
                    path.display()
                ));
            }
        };
        Ok(Project {
            file: path.to_path_buf(),
            schema: root.join(file.schema.unwrap_or_else(|| "schema".into())),
            versions: root.join(file.versions.unwrap_or_else(|| "versions".into())),
            default_schema,
            version_table,
            database_url_env,
            postgres,
            roles: file.roles.unwrap_or_default().into_iter().map(Ident::new).collect(),
        })
    }

    /// The database URL: `--db` when given, else the configured
    /// environment variable.
    pub fn database_url(&self, given: Option<&str>) -> Result<String, String> {
        if let Some(url) = given {
            return Ok(url.to_string());
        }
        match std::env::var(&self.database_url_env) {
            Ok(url) if !url.trim().is_empty() => Ok(url),
            _ => Err(format!(
                "no database given: pass --db postgres://user@host/database or set {}",
                self.database_url_env
            )),
        }
    }
}

/// `name` or `schema.name`, lower-case words or double-quoted names.
fn parse_table_name(text: &str, default_schema: &Ident) -> Option<QualifiedName> {
    let valid = |part: &str| {
        !part.is_empty()
            && part.len() <= 63
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !part.starts_with(|c: char| c.is_ascii_digit())
    };
    match text.split_once('.') {
        Some((schema, name)) if valid(schema) && valid(name) => {
            Some(QualifiedName::new(Ident::new(schema), Ident::new(name)))
        }
        None if valid(text) => Some(QualifiedName::new(default_schema.clone(), Ident::new(text))),
        _ => None,
    }
}

/// A TOML error as `file:line:column: message`.
fn describe_toml_error(path: &Path, text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim_end();
    match error.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{}:{line}:{column}: {message}", path.display())
        }
        None => format!("{}: {message}", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Project, String> {
        let dir = std::env::temp_dir().join(format!("trellis-project-{}-{}", std::process::id(), text.len()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
        let result = Project::read(&path);
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    #[test]
    fn the_template_gives_the_defaults() {
        let project = read(TEMPLATE).expect("the template reads");
        assert!(project.schema.ends_with("schema"));
        assert!(project.versions.ends_with("versions"));
        assert_eq!(project.version_table.to_string(), "trellis_version");
        assert_eq!(project.version_table.schema.as_str(), "public");
        assert_eq!(project.database_url_env, "TRELLIS_DATABASE_URL");
        assert_eq!(project.postgres, None);
    }

    #[test]
    fn postgres_names_a_supported_major_version() {
        assert_eq!(read("postgres = 14\n").expect("read").postgres, Some(14));
        for wrong in ["postgres = 12\n", "postgres = 19\n", "postgres = -1\n"] {
            let error = read(wrong).expect_err("refused");
            assert!(error.contains("write one of 13 to 18"), "{error}");
        }
        let error = read("postgres = \"16\"\n").expect_err("a string is refused");
        assert!(error.contains(":1:"), "{error}");
    }

    #[test]
    fn an_unknown_key_is_named_with_its_place() {
        let error = read("schema = \"s\"\nversion = \"v\"\n").expect_err("refused");
        assert!(error.contains(":2:1:"), "{error}");
        assert!(error.contains("unknown field `version`"), "{error}");
    }

    #[test]
    fn a_url_in_place_of_the_variable_is_refused_without_its_password() {
        let error = read("database_url_env = \"postgres://app:secret@db/app\"\n").expect_err("refused");
        assert!(error.contains("names the environment variable"), "{error}");
        assert!(!error.contains("secret"), "{error}");
    }

    #[test]
    fn a_bad_version_table_is_refused() {
        let error = read("version_table = \"a.b.c\"\n").expect_err("refused");
        assert!(error.contains("is not a table name"), "{error}");
        let project = read("version_table = \"ops.revisions\"\n").expect("reads");
        assert_eq!(project.version_table.schema.as_str(), "ops");
    }
}
