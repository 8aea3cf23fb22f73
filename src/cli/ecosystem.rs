//! `trellisc completions` and `trellisc man`: the shell completion scripts
//! and the manual pages, generated from the command line's own definition
//! so that they never fall behind it.

use std::path::{Path, PathBuf};

use clap::CommandFactory;

use super::{Cli, fail};

/// Print the completion script of a shell.
///
/// The script completes subcommands, options and their values (`--format
/// sql|summary|json`, `--color`, ...). Install it where the shell looks:
///
/// bash: `trellisc completions bash >
/// ~/.local/share/bash-completion/completions/trellisc`
///
/// zsh: `trellisc completions zsh > ~/.zfunc/_trellisc`, with
/// `fpath=(~/.zfunc $fpath)` before `compinit` in ~/.zshrc
///
/// fish: `trellisc completions fish > ~/.config/fish/completions/trellisc.fish`
///
/// elvish: `trellisc completions elvish >> ~/.config/elvish/rc.elv`
///
/// PowerShell: `trellisc completions powershell >> $PROFILE`
#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum, value_name = "SHELL")]
    shell: clap_complete::Shell,
}

/// Print the manual page of trellisc (roff), or write one page per command.
///
/// With no option, prints trellisc(1) on standard output: `trellisc man |
/// man -l -` reads it. With `--dir DIR`, writes trellisc.1 and one page per
/// subcommand (trellisc-upgrade.1, trellisc-diff.1, ...) into DIR, created
/// if missing, and names each file written; put them in a directory of
/// MANPATH's, such as ~/.local/share/man/man1.
#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// Write every page into this directory instead of printing trellisc(1).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// `trellisc completions SHELL`.
pub(super) fn completions(args: CompletionsArgs) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "trellisc", &mut script);
    out!("{}", String::from_utf8_lossy(&script));
    0
}

/// `trellisc man [--dir DIR]`.
pub(super) fn man(args: ManArgs) -> u8 {
    let Some(dir) = args.dir else {
        return match render(&command()) {
            Ok(page) => {
                out!("{page}");
                0
            }
            Err(e) => fail(format!("cannot write the manual page: {e}")),
        };
    };
    match write_pages(&dir) {
        Ok(written) => {
            for path in written {
                outln!("wrote {}", path.display());
            }
            0
        }
        Err(e) => fail(e),
    }
}

/// The command line as the pages describe it: built (so that subcommands
/// know their full names, `trellisc-upgrade`) and without the `help`
/// subcommand, which has no page of its own.
fn command() -> clap::Command {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

/// One command's page, as roff text. Every page names trellisc's version as
/// its source; the date is left out so that the pages depend on nothing but
/// the program.
fn render(command: &clap::Command) -> std::io::Result<String> {
    let source = format!("trellisc {}", env!("CARGO_PKG_VERSION"));
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        // An empty date would be written as no argument at all, shifting
        // the source and the manual's name into its place in `.TH`; `""`
        // is roff's empty argument.
        .date("\"\"")
        .source(source)
        .manual("trellisc manual")
        .render(&mut page)?;
    Ok(String::from_utf8_lossy(&page).into_owned())
}

/// Writes trellisc.1 and a page per visible subcommand into `dir`; the
/// paths written, trellisc.1 first, then by name.
fn write_pages(dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let top = command();
    let mut pages = vec![("trellisc".to_string(), top.clone())];
    let mut subcommands: Vec<&clap::Command> = top.get_subcommands().filter(|s| !s.is_hide_set()).collect();
    subcommands.sort_by_key(|s| s.get_name());
    for subcommand in subcommands {
        pages.push((format!("trellisc-{}", subcommand.get_name()), subcommand.clone()));
    }
    let mut written = Vec::new();
    for (name, command) in pages {
        let path = dir.join(format!("{name}.1"));
        let page = render(&command).map_err(|e| format!("cannot render {name}.1: {e}"))?;
        std::fs::write(&path, page).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
