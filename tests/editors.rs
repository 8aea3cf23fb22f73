//! Editor support (editors/) stays in step with the language: every keyword
//! of grammar/trellis.pest is in the TextMate grammar and in the Vim syntax,
//! Vim loads its files on every example without an error, and VS Code's own
//! TextMate engine gives every word of the examples a scope (its tokens are
//! the snapshots `editors__tokens_*`).
//!
//! Vim, Node.js and npm are needed. When one is missing and the tests run as
//! root on Debian, it is installed with apt-get (as the PostgreSQL harness
//! does); otherwise the test fails and says what to install.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Mutex;

/// Every `.trellis` file of `examples/`, `tests/fixtures/language/` and
/// `tests/fixtures/editors/` (constructs the other two do not show, read by
/// these tests only), relative to the repository root.
fn schema_files() -> Vec<String> {
    let root = common::root();
    ["examples", "tests/fixtures/language", "tests/fixtures/editors"]
        .iter()
        .flat_map(|dir| trellisc::load::schema_files(&root.join(dir)).expect("list the schema files"))
        .map(|path| {
            let relative = path.strip_prefix(&root).expect("schema files are below the root");
            relative.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

fn read(relative: &str) -> String {
    let path = common::root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The words among grammar/trellis.pest's case-insensitive literals (`^"word"`).
fn pest_keywords() -> BTreeSet<String> {
    read("grammar/trellis.pest")
        .split("^\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Whether `word` stands in `text` as a whole word (both lower case).
fn contains_word(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        !text[..at].chars().next_back().is_some_and(is_word)
            && !text[at + word.len()..].chars().next().is_some_and(is_word)
    })
}

#[test]
fn every_keyword_of_the_grammar_is_in_both_editor_grammars() {
    let keywords = pest_keywords();
    assert!(
        keywords.len() > 60 && keywords.contains("table") && keywords.contains("zone"),
        "the keywords of grammar/trellis.pest were not found: {keywords:?}"
    );
    let textmate = read("editors/vscode/syntaxes/trellis.tmLanguage.json").to_ascii_lowercase();
    // Vim comment lines do not count.
    let vim: String = read("editors/vim/syntax/trellis.vim")
        .lines()
        .filter(|line| !line.trim_start().starts_with('"'))
        .collect::<Vec<_>>()
        .join("\n")
        .to_ascii_lowercase();
    let missing = |text: &str| -> Vec<&str> {
        keywords
            .iter()
            .filter(|k| !contains_word(text, k))
            .map(String::as_str)
            .collect()
    };
    let (textmate_missing, vim_missing) = (missing(&textmate), missing(&vim));
    assert!(
        textmate_missing.is_empty() && vim_missing.is_empty(),
        "keywords of grammar/trellis.pest missing from\n  \
         editors/vscode/syntaxes/trellis.tmLanguage.json: {textmate_missing:?}\n  \
         editors/vim/syntax/trellis.vim: {vim_missing:?}"
    );
}

#[test]
fn the_vscode_manifest_points_at_its_files() {
    let json = |relative: &str| -> serde_json::Value {
        serde_json::from_str(&read(relative)).unwrap_or_else(|e| panic!("{relative} is not JSON: {e}"))
    };
    let manifest = json("editors/vscode/package.json");
    let contributes = &manifest["contributes"];
    let language = &contributes["languages"][0];
    assert_eq!(language["id"], "trellis");
    assert_eq!(language["extensions"], serde_json::json!([".trellis"]));
    let configuration = language["configuration"].as_str().expect("a language configuration");
    let configuration = json(&format!("editors/vscode/{}", configuration.trim_start_matches("./")));
    assert_eq!(configuration["comments"]["lineComment"], "//");
    let grammar = &contributes["grammars"][0];
    assert_eq!(grammar["language"], "trellis");
    let path = grammar["path"].as_str().expect("a grammar path");
    let textmate = json(&format!("editors/vscode/{}", path.trim_start_matches("./")));
    assert_eq!(textmate["scopeName"], grammar["scopeName"]);
    assert_eq!(textmate["scopeName"], "source.trellis");
    let main = manifest["main"].as_str().expect("a main script");
    assert!(
        common::root().join("editors/vscode").join(main).is_file(),
        "{main} is missing"
    );
}

// ---------------------------------------------------------------- tools

/// One installation at a time: apt-get holds a lock.
static INSTALLING: Mutex<()> = Mutex::new(());

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn describe(command: &str, output: &Output) -> String {
    format!(
        "{command} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Makes sure `program` runs; on Debian, as root, installs `packages` first
/// when it does not. Never passes silently without the program.
fn require(program: &str, packages: &[&str]) {
    let _one_at_a_time = INSTALLING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if runs(program) {
        return;
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let packages_text = packages.join(" ");
    assert!(
        root && Path::new("/usr/bin/apt-get").exists(),
        "`{program}` is needed by the editor tests and is not installed: install {packages_text} \
         (apt-get install {packages_text}), or run the tests as root on Debian to have it installed"
    );
    eprintln!("`{program}` is not installed: installing {packages_text} with apt-get for the editor tests");
    let install: Vec<&str> = ["install", "-y", "-qq"].iter().chain(packages).copied().collect();
    for args in [vec!["update", "-qq"], install] {
        let output = Command::new("apt-get")
            .args(&args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .output()
            .unwrap_or_else(|e| panic!("apt-get: {e}"));
        assert!(
            output.status.success(),
            "{}",
            describe(&format!("apt-get {}", args.join(" ")), &output)
        );
    }
    assert!(
        runs(program),
        "`{program}` does not run after installing {packages_text}"
    );
}

// ---------------------------------------------------------------- Vim

/// A Vim script that opens `file` with editors/vim on the runtime path,
/// computes its highlighting everywhere, re-indents it from scratch
/// (`gg=G` on lines without indentation) and writes what it found to `report`.
fn vim_check_script(file: &str, report: &Path) -> String {
    let quote = |text: &str| format!("'{}'", text.replace('\'', "''"));
    let runtime = common::root().join("editors/vim");
    format!(
        "let &runtimepath = {runtime} . ',' . &runtimepath\n\
         filetype plugin on\n\
         syntax on\n\
         execute 'edit' fnameescape({file})\n\
         let s:groups = {{}}\n\
         for s:line in range(1, line('$'))\n\
         \x20 for s:column in range(1, col([s:line, '$']) - 1)\n\
         \x20   let s:groups[synIDattr(synID(s:line, s:column, 1), 'name')] = 1\n\
         \x20 endfor\n\
         endfor\n\
         let s:formatted = getline(1, '$')\n\
         let s:quotes = 0\n\
         for s:n in range(1, line('$'))\n\
         \x20 if s:quotes % 2 == 0\n\
         \x20   call setline(s:n, substitute(getline(s:n), '^\\s\\+', '', ''))\n\
         \x20 endif\n\
         \x20 let s:quotes += len(split(getline(s:n), '\\$\\$', 1)) - 1\n\
         endfor\n\
         silent normal! gg=G\n\
         let s:reindented = getline(1, '$') ==# s:formatted\n\
         call writefile([\n\
         \x20 \\ 'filetype=' . &filetype,\n\
         \x20 \\ 'syntax=' . get(b:, 'current_syntax', ''),\n\
         \x20 \\ 'commentstring=' . &commentstring,\n\
         \x20 \\ 'shiftwidth=' . &shiftwidth,\n\
         \x20 \\ 'expandtab=' . &expandtab,\n\
         \x20 \\ 'errmsg=' . v:errmsg,\n\
         \x20 \\ 'groups=' . join(sort(keys(s:groups))),\n\
         \x20 \\ 'reindent_keeps_layout=' . s:reindented,\n\
         \x20 \\ ] + split(execute('messages'), \"\\n\"), {report})\n\
         qall!\n",
        runtime = quote(&runtime.to_string_lossy()),
        file = quote(file),
        report = quote(&report.to_string_lossy()),
    )
}

/// `E123: ...` or `Error detected while processing ...`.
fn is_vim_error(line: &str) -> bool {
    let numbered = line
        .strip_prefix('E')
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(code, _)| !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()));
    numbered || line.starts_with("Error detected")
}

#[test]
fn vim_loads_the_syntax_on_every_example_without_errors() {
    require("vim", &["vim"]);
    let scratch = std::env::temp_dir().join(format!("trellisc-editors-vim-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("create a scratch directory");
    let expected_groups = [
        "trellisDeclaration",
        "trellisDeclName",
        "trellisColumn",
        "trellisType",
        "trellisKeyword",
    ];
    let mut failures = Vec::new();
    for file in schema_files() {
        let report = scratch.join("report.txt");
        let script = scratch.join("check.vim");
        let _ = std::fs::remove_file(&report);
        std::fs::write(&script, vim_check_script(&file, &report)).expect("write the Vim script");
        let output = Command::new("vim")
            .args(["-Nu", "NONE", "-i", "NONE", "-Es", "-S"])
            .arg(&script)
            .current_dir(common::root())
            .output()
            .expect("run vim");
        let Ok(report) = std::fs::read_to_string(&report) else {
            failures.push(format!(
                "{file}: Vim stopped before the end\n{}",
                describe("vim", &output)
            ));
            continue;
        };
        let field = |name: &str| {
            report
                .lines()
                .find_map(|line| line.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')))
                .unwrap_or("<missing>")
                .to_string()
        };
        let mut problems = Vec::new();
        if !output.status.success() {
            problems.push(describe("vim", &output));
        }
        for (name, expected) in [
            ("filetype", "trellis"),
            ("syntax", "trellis"),
            ("commentstring", "// %s"),
            ("shiftwidth", "2"),
            ("expandtab", "1"),
            ("errmsg", ""),
            // The examples are in `trellisc fmt`'s layout; Vim's indentation agrees.
            ("reindent_keeps_layout", "1"),
        ] {
            if field(name) != expected {
                problems.push(format!("{name} is {:?}, expected {expected:?}", field(name)));
            }
        }
        let errors: Vec<&str> = report.lines().filter(|line| is_vim_error(line)).collect();
        if !errors.is_empty() {
            problems.push(format!("error messages: {errors:?}"));
        }
        let groups = field("groups");
        let groups: BTreeSet<&str> = groups.split_whitespace().collect();
        let absent: Vec<&str> = expected_groups
            .iter()
            .filter(|g| !groups.contains(*g))
            .copied()
            .collect();
        if !absent.is_empty() {
            problems.push(format!("no text highlighted as {absent:?} (found {groups:?})"));
        }
        if !problems.is_empty() {
            failures.push(format!("{file}:\n  {}", problems.join("\n  ")));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failures.is_empty(), "Vim:\n{}", failures.join("\n"));
}

// ---------------------------------------------------------------- TextMate (VS Code)

/// Installs the pinned vscode-textmate and vscode-oniguruma into
/// editors/vscode/test/node_modules (gitignored), unless they are there.
fn install_node_modules(dir: &Path) {
    let manifest: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/test/package.json")).expect("package.json is JSON");
    let pinned = manifest["devDependencies"].as_object().expect("devDependencies");
    let installed = pinned.iter().all(|(name, version)| {
        std::fs::read_to_string(dir.join("node_modules").join(name).join("package.json"))
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .is_some_and(|package| package["version"] == *version)
    });
    if installed {
        return;
    }
    let command = if dir.join("package-lock.json").exists() {
        "ci"
    } else {
        "install"
    };
    let output = Command::new("npm")
        .args([command, "--no-audit", "--no-fund", "--prefer-offline"])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("npm: {e}"));
    assert!(
        output.status.success(),
        "{}",
        describe(&format!("npm {command} in {}", dir.display()), &output)
    );
}

#[test]
fn textmate_grammar_scopes_every_word_of_the_examples() {
    require("node", &["nodejs", "npm"]);
    require("npm", &["npm"]);
    let root = common::root();
    install_node_modules(&root.join("editors/vscode/test"));
    let files = schema_files();
    let output = Command::new("node")
        .arg("editors/vscode/test/tokenize.js")
        .args(&files)
        .current_dir(&root)
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "{}",
        describe("node editors/vscode/test/tokenize.js", &output)
    );
    let stdout = String::from_utf8(output.stdout).expect("tokenize.js writes UTF-8");
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in stdout.lines() {
        match (line.strip_prefix("== "), sections.last_mut()) {
            (Some(file), _) => sections.push((file.to_string(), String::new())),
            (None, Some((_, text))) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => panic!("tokenize.js output does not start with a file: {line}"),
        }
    }
    let tokenized: Vec<&String> = sections.iter().map(|(file, _)| file).collect();
    assert_eq!(tokenized, files.iter().collect::<Vec<_>>(), "tokenize.js skipped files");
    for (file, text) in sections {
        insta::assert_snapshot!(format!("tokens_{}", file.replace(['/', '.', '-'], "_")), text);
    }
}
