//! What trellisc gives the tools around it: shell completions and manual
//! pages generated from the command line, the pre-commit hooks, and the
//! GitHub Action's steps, run here as the runner would run them, against
//! a temporary git repository, with `gh` replaced by a stub that records
//! what it is asked (GitHub itself cannot be reached from a test).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::CommandFactory;

const TRELLISC: &str = env!("CARGO_BIN_EXE_trellisc");

/// A directory removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "trellis-ecosystem-{name}-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        Scratch(dir)
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.0.join(relative)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs a command and expects status 0; its standard output.
fn ok(command: &mut Command) -> String {
    let output = command.output().unwrap_or_else(|e| panic!("run {command:?}: {e}"));
    assert_eq!(output.status.code(), Some(0), "{command:?}\n{}", text(&output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn trellisc(args: &[&str]) -> Command {
    let mut command = Command::new(TRELLISC);
    command.args(args);
    command
}

/// Whether a program is on PATH.
fn installed(program: &str) -> bool {
    Command::new("which")
        .arg(program)
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The subcommands users type (clap's `help` included).
fn subcommands() -> Vec<String> {
    trellisc::cli::Cli::command()
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect()
}

/// What bash offers after `words`, the last being the word completed.
fn bash_completes(script: &Path, words: &[&str]) -> Vec<String> {
    let line = words.join(" ");
    let program = r#"
source "$1"; shift
spec=$(complete -p trellisc)
function=${spec##*-F }; function=${function%% *}
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
COMP_LINE="$LINE"; COMP_POINT=${#COMP_LINE}
previous=""; [ "$#" -gt 1 ] && previous=${COMP_WORDS[COMP_CWORD - 1]}
"$function" trellisc "${COMP_WORDS[COMP_CWORD]}" "$previous"
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let output = ok(Command::new("bash")
        .args(["--noprofile", "--norc", "-c", program, "bash"])
        .arg(script)
        .args(words)
        .env("LINE", line));
    output.lines().filter(|l| !l.is_empty()).map(String::from).collect()
}

#[test]
fn the_bash_completion_script_parses_and_completes_subcommands_and_values() {
    let scratch = Scratch::new("bash");
    let script = scratch.path("trellisc.bash");
    std::fs::write(&script, ok(&mut trellisc(&["completions", "bash"]))).expect("write the script");
    ok(Command::new("bash").arg("-n").arg(&script));
    assert_eq!(bash_completes(&script, &["trellisc", "upg"]), ["upgrade"]);
    assert_eq!(bash_completes(&script, &["trellisc", "comp"]), ["completions"]);
    assert_eq!(
        bash_completes(&script, &["trellisc", "diff", "--format", ""]),
        ["sql", "summary", "json"]
    );
    assert_eq!(bash_completes(&script, &["trellisc", "completions", "f"]), ["fish"]);
}

#[test]
fn the_other_shells_get_scripts_naming_every_subcommand() {
    let scratch = Scratch::new("shells");
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let script = ok(&mut trellisc(&["completions", shell]));
        for name in subcommands() {
            assert!(script.contains(&name), "{shell}: {name} missing");
        }
        assert_eq!(
            script,
            ok(&mut trellisc(&["completions", shell])),
            "{shell}: not deterministic"
        );
        let file = scratch.path(&format!("trellisc.{shell}"));
        std::fs::write(&file, &script).expect("write the script");
        // Checked by the shell itself where it is installed (zsh and fish
        // are not on the development machine or CI today; the assertions
        // above are what is tested there).
        match shell {
            "zsh" if installed("zsh") => {
                ok(Command::new("zsh").arg("-n").arg(&file));
            }
            "fish" if installed("fish") => {
                ok(Command::new("fish").arg("--no-execute").arg(&file));
            }
            _ => {}
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = trellisc(&["completions", "tcsh"]).output().expect("run trellisc");
    assert_eq!(output.status.code(), Some(64), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid value 'tcsh'"), "{stderr}");
    assert!(stderr.contains("bash"), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// The page as a terminal shows it, by groff (else man) where installed.
fn rendered(page: &Path) -> Option<String> {
    let output = if installed("groff") {
        Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-rLL=200n"])
            .arg(page)
            .output()
    } else if installed("man") {
        Command::new("man").arg("-l").arg(page).env("MANWIDTH", "200").output()
    } else {
        return None;
    };
    let output = output.expect("run the formatter");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    // groff warns about what is not roff (-ww turns every warning on).
    assert!(output.stderr.is_empty(), "{}", text(&output));
    // Bold and underline are overstruck (`N\bN`, `_\bx`): keep the last.
    let mut plain = String::new();
    for c in String::from_utf8_lossy(&output.stdout).chars() {
        match c {
            '\u{8}' => {
                plain.pop();
            }
            '\u{2010}' | '\u{2212}' => plain.push('-'),
            c => plain.push(c),
        }
    }
    Some(plain)
}

#[test]
fn the_manual_page_is_roff_that_names_every_subcommand() {
    let scratch = Scratch::new("man");
    let page = ok(&mut trellisc(&["man"]));
    assert_eq!(page, ok(&mut trellisc(&["man"])), "not deterministic");
    assert!(page.contains("\n.TH trellisc 1 \"\" \"trellisc "), "{page}");
    let file = scratch.path("trellisc.1");
    std::fs::write(&file, &page).expect("write the page");
    let names: Vec<String> = subcommands().into_iter().filter(|n| n != "help").collect();
    for name in &names {
        assert!(
            page.contains(&format!("trellisc\\-{name}(1)")),
            "{name} missing:\n{page}"
        );
    }
    // Rendered where a formatter is installed (groff and man are, on the
    // development machine and CI).
    if let Some(shown) = rendered(&file) {
        assert!(shown.contains("NAME"), "{shown}");
        for name in &names {
            assert!(
                shown.contains(&format!("trellisc-{name}(1)")),
                "{name} missing:\n{shown}"
            );
        }
    }
}

#[test]
fn man_dir_writes_a_page_per_subcommand() {
    let scratch = Scratch::new("man-dir");
    let dir = scratch.path("man/man1");
    let listed = ok(trellisc(&["man", "--dir"]).arg(&dir));
    let mut expected = vec!["trellisc.1".to_string()];
    let mut names: Vec<String> = subcommands().into_iter().filter(|n| n != "help").collect();
    names.sort();
    expected.extend(names.iter().map(|n| format!("trellisc-{n}.1")));
    let written: Vec<String> = listed
        .lines()
        .map(|l| {
            let path = l.strip_prefix("wrote ").unwrap_or_else(|| panic!("{l}"));
            let path = Path::new(path);
            assert_eq!(path.parent(), Some(dir.as_path()));
            path.file_name().expect("file name").to_string_lossy().into_owned()
        })
        .collect();
    assert_eq!(written, expected);
    let upgrade = dir.join("trellisc-upgrade.1");
    let page = std::fs::read_to_string(&upgrade).expect("read the page");
    assert!(page.contains(".TH trellisc-upgrade 1"), "{page}");
    assert!(page.contains("\\-\\-sql"), "{page}");
    if let Some(shown) = rendered(&upgrade) {
        assert!(shown.contains("--lock-timeout"), "{shown}");
    }
    // A path that is a file is an error, not a panic.
    let file = scratch.path("file");
    std::fs::write(&file, "").expect("write");
    let output = trellisc(&["man", "--dir"]).arg(&file).output().expect("run trellisc");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: cannot create "));
}

/// A YAML file as JSON, read by Python's yaml module; None where that is
/// not installed (no YAML crate is in the dependency tree).
fn yaml(path: &Path) -> Option<serde_json::Value> {
    let output = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(path)
        .output()
        .ok()?;
    if String::from_utf8_lossy(&output.stderr).contains("No module named") {
        return None;
    }
    assert_eq!(output.status.code(), Some(0), "{}: {}", path.display(), text(&output));
    Some(serde_json::from_slice(&output.stdout).expect("JSON from python"))
}

/// A repository with a project whose `main` has a first revision and whose
/// `feature` branch, checked out, adds a second one.
fn pull_request(scratch: &Scratch) -> (PathBuf, String) {
    let repo = scratch.path("repo");
    std::fs::create_dir_all(&repo).expect("repository");
    let git = |args: &[&str]| {
        ok(Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .current_dir(&repo))
    };
    let revision = |id: &str, message: &str| {
        ok(trellisc(&["revision", "-m", message])
            .current_dir(&repo)
            .env("TRELLIS_REVISION_ID", id)
            .env("TRELLIS_REVISION_TIME", "2026-11-25T12:00:00Z"));
    };
    git(&["init", "--quiet", "--initial-branch=main"]);
    ok(trellisc(&["init"]).current_dir(&repo));
    std::fs::write(
        repo.join("schema/app.trellis"),
        "table users {\n  id bigint primary key\n}\n",
    )
    .expect("write");
    revision("20261125120000_aaaaaa", "Base");
    git(&["add", "--all"]);
    git(&["commit", "--quiet", "-m", "Base"]);
    let base = git(&["rev-parse", "HEAD"]).trim().to_string();
    git(&["checkout", "--quiet", "-b", "feature"]);
    std::fs::write(
        repo.join("schema/app.trellis"),
        "table users {\n  id    bigint primary key\n  email text not null\n}\n",
    )
    .expect("write");
    revision("20261125120100_bbbbbb", "Add email");
    git(&["add", "--all"]);
    git(&["commit", "--quiet", "-m", "Add email"]);
    (repo, base)
}

/// A `gh` that records each call's arguments (one per line, then a line
/// `--`) in $GH_STUB_LOG, copies a posted body to $GH_STUB_BODY, and lists
/// $GH_STUB_COMMENTS ("id<TAB>first line" each) as the pull request's
/// comments.
fn stub_gh(dir: &Path) {
    let script = r#"#!/usr/bin/env bash
set -euo pipefail
printf '%s\n' "$@" -- >> "$GH_STUB_LOG"
case "$1 $2" in
  "pr comment") cp "$5" "$GH_STUB_BODY" ;;
  "api --paginate") cat "$GH_STUB_COMMENTS" ;;
  "api --method") body=${6#body=@}; cp "$body" "$GH_STUB_BODY" ;;
  *) echo "gh stub: unexpected $*" >&2; exit 1 ;;
esac
"#;
    std::fs::create_dir_all(dir).expect("stub directory");
    let gh = dir.join("gh");
    std::fs::write(&gh, script).expect("write the stub");
    ok(Command::new("chmod").arg("+x").arg(&gh));
}

/// The action as the runner sees it: its steps by id.
struct Action {
    steps: BTreeMap<String, serde_json::Value>,
}

impl Action {
    fn read(value: &serde_json::Value) -> Action {
        assert_eq!(value["runs"]["using"], "composite");
        for input in ["working-directory", "check", "database-url", "comment", "github-token"] {
            assert!(
                value["inputs"][input]["description"].is_string(),
                "input {input} has no description"
            );
        }
        let mut steps = BTreeMap::new();
        for step in value["runs"]["steps"].as_array().expect("steps") {
            let id = step["id"].as_str().expect("every step has an id").to_string();
            if let Some(run) = step["run"].as_str() {
                assert_eq!(step["shell"], "bash", "{id}");
                // Expressions go through `env`, never into the script's text,
                // where a branch name could inject commands.
                assert!(!run.contains("${{"), "step {id} pastes an expression into its script");
            }
            steps.insert(id, step.clone());
        }
        Action { steps }
    }

    /// Runs a step's script as the runner does (bash -e -o pipefail), with
    /// its `env`, each expression replaced by its value in `values`.
    fn run(&self, id: &str, runner: &Runner, values: &BTreeMap<&str, String>) -> String {
        let step = &self.steps[id];
        let run = step["run"].as_str().expect("a run step");
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", run])
            .current_dir(&runner.workspace);
        runner.environment(&mut command);
        if let Some(env) = step["env"].as_object() {
            for (name, value) in env {
                let value = value.as_str().expect("env values are text");
                let value = match value {
                    expression if expression.contains("${{") => values
                        .get(expression)
                        .unwrap_or_else(|| panic!("step {id}: no value for {expression}"))
                        .clone(),
                    plain => plain.to_string(),
                };
                command.env(name, value);
            }
        }
        ok(&mut command)
    }
}

/// What a runner gives each step: the files it reads outputs and PATH
/// from, its temporary directory, the action's directory, a home.
struct Runner {
    workspace: PathBuf,
    home: PathBuf,
    temp: PathBuf,
    output: PathBuf,
    path: PathBuf,
    summary: PathBuf,
    /// The `gh` stub's files (see [`stub_gh`]).
    gh_log: PathBuf,
    gh_body: PathBuf,
    gh_comments: PathBuf,
}

impl Runner {
    fn new(scratch: &Scratch, workspace: PathBuf) -> Runner {
        let runner = Runner {
            workspace,
            home: scratch.path("home"),
            temp: scratch.path("runner-temp"),
            output: scratch.path("github-output"),
            path: scratch.path("github-path"),
            summary: scratch.path("step-summary"),
            gh_log: scratch.path("gh.log"),
            gh_body: scratch.path("gh-body.md"),
            gh_comments: scratch.path("gh-comments"),
        };
        std::fs::create_dir_all(&runner.temp).expect("runner temp");
        runner
    }

    fn environment(&self, command: &mut Command) {
        // The directories steps added with $GITHUB_PATH come first, as on
        // a runner.
        let added = std::fs::read_to_string(&self.path).unwrap_or_default();
        let mut path: Vec<String> = added.lines().rev().map(String::from).collect();
        path.push(std::env::var("PATH").unwrap_or_default());
        command
            .env("PATH", path.join(":"))
            .env("HOME", &self.home)
            .env("GITHUB_ACTION_PATH", common::root())
            .env("GITHUB_OUTPUT", &self.output)
            .env("GITHUB_PATH", &self.path)
            .env("GITHUB_STEP_SUMMARY", &self.summary)
            .env("RUNNER_TEMP", &self.temp)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("GH_STUB_LOG", &self.gh_log)
            .env("GH_STUB_BODY", &self.gh_body)
            .env("GH_STUB_COMMENTS", &self.gh_comments)
            .env_remove("TRELLIS_DATABASE_URL");
    }

    /// The calls the `gh` stub recorded, each its arguments.
    fn gh_calls(&self) -> Vec<Vec<String>> {
        let log = std::fs::read_to_string(&self.gh_log).expect("gh was called");
        let mut calls = Vec::new();
        let mut call = Vec::new();
        for line in log.lines() {
            if line == "--" {
                calls.push(std::mem::take(&mut call));
            } else {
                call.push(line.to_string());
            }
        }
        calls
    }

    /// An output a step wrote to $GITHUB_OUTPUT (the last one of the name).
    fn output(&self, name: &str) -> String {
        let outputs = std::fs::read_to_string(&self.output).expect("outputs");
        let prefix = format!("{name}=");
        outputs
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("no output {name} in {outputs}"))
            .to_string()
    }
}

#[test]
fn the_action_checks_and_comments_the_plan_of_a_pull_request() {
    let scratch = Scratch::new("action");
    let (repo, base) = pull_request(&scratch);
    let stub = scratch.path("stub");
    stub_gh(&stub);
    let runner = Runner::new(&scratch, repo.clone());
    std::fs::write(&runner.gh_comments, "").expect("no comments yet");
    // The binary the install step would have put there, from the cache.
    let bin = runner.home.join(".trellisc/bin");
    std::fs::create_dir_all(&bin).expect("bin");
    std::os::unix::fs::symlink(TRELLISC, bin.join("trellisc")).expect("link trellisc");
    std::fs::write(&runner.path, format!("{}\n", stub.display())).expect("PATH of the stub");

    let values: BTreeMap<&str, String> = [
        ("${{ github.event.pull_request.base.sha }}", base.clone()),
        ("${{ github.event.pull_request.base.ref }}", "main".to_string()),
        ("${{ inputs.github-token }}", "a-token".to_string()),
        ("${{ github.repository }}", "owner/repo".to_string()),
        ("${{ github.event.pull_request.number }}", "7".to_string()),
        ("${{ inputs.database-url }}", String::new()),
    ]
    .into_iter()
    .collect();

    let action_yml = common::root().join("action.yml");
    let Some(parsed) = yaml(&action_yml) else {
        // Without Python's yaml module the steps cannot be read out of
        // action.yml: run its scripts directly, as its steps call them.
        let plan = ok(Command::new(common::root().join("scripts/pr-plan"))
            .args([&base, "main"])
            .current_dir(&repo)
            .env("TRELLISC", TRELLISC));
        assert_plan(&plan);
        return;
    };
    let action = Action::read(&parsed);
    let ran: Vec<&str> = vec!["key", "path", "check", "plan", "comment"];
    // The others install (the cache restored the binary here), or need a
    // database (verify is tested with one in tests/revisions.rs).
    let skipped: Vec<&str> = action
        .steps
        .keys()
        .map(String::as_str)
        .filter(|id| !ran.contains(id))
        .collect();
    assert_eq!(skipped, ["cache", "install", "verify"]);

    action.run("key", &runner, &values);
    let key = runner.output("key");
    let sum = key
        .strip_prefix("trellisc-Linux-X64-")
        .unwrap_or_else(|| panic!("{key}"));
    assert!(sum.len() == 20 && sum.chars().all(|c| c.is_ascii_hexdigit()), "{key}");
    assert!(action.run("path", &runner, &values).starts_with("trellisc "));
    action.run("check", &runner, &values);

    action.run("plan", &runner, &values);
    let plan_file = runner.output("file");
    let plan = std::fs::read_to_string(&plan_file).expect("the plan");
    assert_plan(&plan);
    let summary = std::fs::read_to_string(&runner.summary).expect("the job's summary");
    assert_eq!(summary, plan);

    let mut values = values;
    values.insert("${{ steps.plan.outputs.file }}", plan_file.clone());
    // The first push: there is no plan comment yet, so one is posted.
    action.run("comment", &runner, &values);
    let calls = runner.gh_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(
        calls[0][..3],
        ["api", "--paginate", "repos/{owner}/{repo}/issues/7/comments"]
    );
    assert_eq!(calls[1], ["pr", "comment", "7", "--body-file", plan_file.as_str()]);
    assert_eq!(std::fs::read_to_string(&runner.gh_body).expect("posted"), plan);

    // A later push: the comment with the plan's marker is updated, not
    // another one posted; other comments are left alone.
    std::fs::write(
        &runner.gh_comments,
        "41\tLooks good\n123\t<!-- trellisc-plan . -->\n124\t<!-- trellisc-plan db/ -->\n",
    )
    .expect("comments");
    std::fs::remove_file(&runner.gh_log).expect("clear the log");
    std::fs::remove_file(&runner.gh_body).expect("clear the body");
    let said = action.run("comment", &runner, &values);
    assert!(
        said.contains("updated the plan comment 123 on pull request #7"),
        "{said}"
    );
    let calls = runner.gh_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    let field = format!("body=@{plan_file}");
    assert_eq!(
        calls[1],
        [
            "api",
            "--method",
            "PATCH",
            "repos/{owner}/{repo}/issues/comments/123",
            "-F",
            field.as_str()
        ]
    );
    assert_eq!(std::fs::read_to_string(&runner.gh_body).expect("patched"), plan);
}

/// What a plan comment must hold for the pull request of [`pull_request`].
fn assert_plan(plan: &str) {
    assert!(plan.starts_with("<!-- trellisc-plan . -->\n"), "{plan}");
    assert!(
        plan.contains("adds 1 revision(s) to the history of `main` (at `20261125120000_aaaaaa`)"),
        "{plan}"
    );
    assert!(plan.contains("- `20261125120100_bbbbbb` Add email"), "{plan}");
    assert!(plan.contains("add column users.email"), "{plan}");
    assert!(plan.contains("risky: adds not-null column users.email"), "{plan}");
    assert!(
        plan.contains("ALTER TABLE public.users ADD COLUMN email text NOT NULL;"),
        "{plan}"
    );
    assert!(
        !plan.contains("20261125120000_aaaaaa: Base"),
        "the base's revision is not planned:\n{plan}"
    );
}

#[test]
fn the_pre_commit_hooks_check_and_format_check_the_project() {
    let scratch = Scratch::new("pre-commit");
    let hooks_yaml = common::root().join(".pre-commit-hooks.yaml");
    let Some(hooks) = yaml(&hooks_yaml) else {
        // Without Python's yaml module: the hooks are at least declared.
        let text = std::fs::read_to_string(&hooks_yaml).expect("read the hooks");
        assert!(
            text.contains("id: trellisc-fmt") && text.contains("id: trellisc-check"),
            "{text}"
        );
        return;
    };
    let hooks = hooks.as_array().expect("a list of hooks");
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().expect("id")).collect();
    assert_eq!(ids, ["trellisc-fmt", "trellisc-check"]);
    let (repo, _) = pull_request(&scratch);
    // pre-commit runs a hook's entry in the repository's root, without
    // file names (pass_filenames: false).
    let run = |hook: &serde_json::Value| {
        assert_eq!(hook["language"], "rust");
        assert_eq!(hook["pass_filenames"], false);
        let files = hook["files"].as_str().expect("files");
        assert_eq!(files, "\\.trellis$");
        let entry = hook["entry"].as_str().expect("entry");
        let mut words = entry.split_whitespace();
        assert_eq!(words.next(), Some("trellisc"));
        trellisc(&words.collect::<Vec<_>>())
            .current_dir(&repo)
            .output()
            .expect("run the hook")
    };
    for hook in hooks {
        let output = run(hook);
        assert_eq!(output.status.code(), Some(0), "{}: {}", hook["id"], text(&output));
    }
    // A file out of the canonical layout fails the format hook, an error
    // the check hook.
    std::fs::write(
        repo.join("schema/teams.trellis"),
        "table teams { id bigint primary key }\n",
    )
    .expect("write");
    let output = run(&hooks[0]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("teams.trellis"),
        "{}",
        text(&output)
    );
    std::fs::write(
        repo.join("schema/teams.trellis"),
        "table teams {\n  id bigint references nowhere\n}\n",
    )
    .expect("write");
    let output = run(&hooks[1]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
}

fn pr_plan(repo: &Path, base: &str, max_sql: &str) -> String {
    ok(Command::new(common::root().join("scripts/pr-plan"))
        .args([base, "main"])
        .current_dir(repo)
        .env("TRELLISC", TRELLISC)
        .env("TRELLISC_PLAN_MAX_SQL", max_sql)
        .env_remove("TRELLIS_DATABASE_URL"))
}

#[test]
fn a_plan_cuts_long_sql_and_reports_a_history_trellisc_refuses() {
    let scratch = Scratch::new("plan");
    let (repo, base) = pull_request(&scratch);
    let plan = pr_plan(&repo, &base, "300");
    assert!(
        plan.contains("Cut after 300 bytes: `trellisc upgrade head --sql --from 20261125120000_aaaaaa`"),
        "{plan}"
    );
    assert!(!plan.contains("ALTER TABLE"), "{plan}");

    // The base gains a revision of its own: merged, the history has two
    // heads, which the comment reports with trellisc's advice.
    let git = |args: &[&str]| {
        ok(Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .current_dir(&repo))
    };
    git(&["checkout", "--quiet", "main"]);
    std::fs::write(
        repo.join("schema/app.trellis"),
        "table users {\n  id bigint primary key\n}\n\ntable teams {\n  id bigint primary key\n}\n",
    )
    .expect("write");
    ok(trellisc(&["revision", "-m", "Teams"])
        .current_dir(&repo)
        .env("TRELLIS_REVISION_ID", "20261125120200_cccccc")
        .env("TRELLIS_REVISION_TIME", "2026-11-25T12:02:00Z"));
    git(&["add", "--all"]);
    git(&["commit", "--quiet", "-m", "Teams"]);
    git(&["checkout", "--quiet", "feature"]);
    git(&["merge", "--quiet", "--no-edit", "main"]);
    let plan = pr_plan(&repo, "main", "50000");
    assert!(
        plan.contains("trellisc could not plan the upgrade from `20261125120200_cccccc` (the head of `main`)"),
        "{plan}"
    );
    assert!(plan.contains("run `trellisc merge`"), "{plan}");
}
