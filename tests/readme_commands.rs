//! The README's command-line section, pasted: every line of its ```sh blocks is run, in
//! order, against the real binary, as a person would paste it in the sanctuary folder. Each
//! must exit 0, or with the exit code and message its comment documents ("... (exit 1)").
//! A line the test cannot run as a shell would (a pipe, a placeholder such as `[--plain]`
//! or `ID`, a command it does not know) fails the test, so a README example that does not
//! work cannot be added unnoticed.
//!
//! Each run happens in a fresh temporary folder holding copies of `examples/`,
//! `guides/` and `letter-templates/`, with HOME pointed into it (for `~/...` and the default store), `--store`
//! pointed at a store there unless the line names its own, and SANCTUARY_PASSPHRASE set.
//! Lines that open the full-screen app need a terminal and are skipped, with the reason
//! printed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/files.rs"]
mod files;
use files::copy_dir;

const PASSPHRASE: &str = "README test: seven unrelated words, plainly long enough 9";
const SECTION: &str = "## The command line";
/// Longest any one command may take before it is taken to be waiting for a terminal.
const TIME_LIMIT: Duration = Duration::from_secs(120);

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn readme() -> String {
    fs::read_to_string(manifest_dir().join("README.md")).expect("README.md can be read")
}

// ----- reading the README -----

/// A command line from the README, with the line number it starts on.
#[derive(Debug, Clone, PartialEq)]
struct ReadmeLine {
    number: usize,
    text: String,
}

/// The lines of every ```sh block between `heading` and the next heading of the same
/// level (sub-headings belong to the section). Lines ending in `\` are joined.
fn sh_lines_in_section(readme: &str, heading: &str) -> Vec<ReadmeLine> {
    let level = heading.chars().take_while(|c| *c == '#').count();
    let mut in_section = false;
    // Inside a fenced block (of any language), and whether it is a ```sh block.
    let mut in_fence = false;
    let mut in_block = false;
    let mut lines = Vec::new();
    let mut pending: Option<ReadmeLine> = None;
    for (index, line) in readme.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim();
        if !in_fence && trimmed.starts_with('#') {
            let this_level = trimmed.chars().take_while(|c| *c == '#').count();
            if trimmed == heading {
                in_section = true;
                continue;
            }
            if in_section && this_level <= level && trimmed[this_level..].starts_with(' ') {
                break;
            }
        }
        if !in_section {
            continue;
        }
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
            in_block = in_fence && trimmed == "```sh";
            continue;
        }
        if !in_block || (pending.is_none() && (trimmed.is_empty() || trimmed.starts_with('#'))) {
            continue;
        }
        let mut current = pending.take().unwrap_or(ReadmeLine {
            number,
            text: String::new(),
        });
        match trimmed.strip_suffix('\\') {
            Some(start) => {
                current.text.push_str(start.trim_end());
                current.text.push(' ');
                pending = Some(current);
            }
            None => {
                current.text.push_str(trimmed);
                lines.push(current);
            }
        }
    }
    lines
}

/// The words of a shell line as sh, bash, zsh and fish would all read them, and its
/// comment. Anything those shells would treat specially (a pipe, `;`, `&`, `$`, a glob or
/// a `[placeholder]`, history `!`) is an error naming it: such a line would not run as
/// written, or would run differently in different shells. The one exception is `> FILE`
/// at the end, kept as a word of its own.
fn shell_words(line: &str) -> Result<(Vec<String>, Option<String>), String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '#' if !in_word => {
                let comment: String = chars.collect();
                return Ok((words, Some(comment.trim().to_string())));
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("a ' is not closed".to_string()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            _ => {
                                return Err(
                                    "a \\ inside \"...\" is read differently by each shell"
                                        .to_string(),
                                );
                            }
                        },
                        Some(c @ ('$' | '`' | '!')) => {
                            return Err(format!("{c:?} inside \"...\" is expanded by the shell"));
                        }
                        Some(c) => word.push(c),
                        None => return Err("a \" is not closed".to_string()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err("the line ends in \\".to_string()),
                }
            }
            '>' if !in_word => {
                words.push(">".to_string());
            }
            '~' if !in_word && matches!(chars.peek(), None | Some('/' | ' ')) => {
                in_word = true;
                word.push('~');
            }
            '|' | '&' | ';' | '<' | '>' | '(' | ')' | '$' | '`' | '*' | '?' | '[' | ']' | '{'
            | '}' | '!' | '~' => {
                return Err(format!(
                    "{c:?} is special to the shell: quote it, or write one command per line with real values"
                ));
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok((words, None))
}

/// What a README line is expected to do: exit with `code` and, if its comment quotes a
/// message, print it.
#[derive(Debug, Clone, PartialEq)]
struct Expected {
    code: i32,
    says: Option<String>,
}

/// Reads "(exit N)" and a "quoted message" from a line's comment.
fn expected(comment: Option<&str>) -> Result<Expected, String> {
    let Some(comment) = comment else {
        return Ok(Expected {
            code: 0,
            says: None,
        });
    };
    let code = match comment.split_once("(exit ") {
        Some((_, rest)) => {
            let digits = rest
                .split_once(')')
                .map(|(n, _)| n)
                .ok_or("\"(exit \" is not closed")?;
            digits
                .trim()
                .parse()
                .map_err(|_| format!("{digits:?} is not an exit code"))?
        }
        None => 0,
    };
    let says = comment
        .split_once('"')
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(message, _)| message.to_string());
    Ok(Expected { code, says })
}

/// One README line, understood.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// Run sanctuary with these arguments; `stdout_to` for a line ending `> FILE`.
    Run {
        args: Vec<String>,
        stdout_to: Option<String>,
        expected: Expected,
    },
    /// `mkdir -p DIR...`
    MakeDirs(Vec<String>),
    /// Not run, for this reason.
    Skip(&'static str),
}

/// The global options that take a value, which come before a command.
const GLOBAL_OPTIONS: [&str; 2] = ["--store", "--guides-dir"];

fn step(line: &str) -> Result<Step, String> {
    let (mut words, comment) = shell_words(line)?;
    let stdout_to = match words.iter().position(|w| w == ">") {
        None => None,
        Some(at) if at + 2 == words.len() && at > 0 => {
            let file = words.pop();
            words.pop();
            file
        }
        Some(_) => return Err("`>` must be followed by one file, at the end".to_string()),
    };
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let args: Vec<String> = match words.as_slice() {
        ["cargo", "install", ..] => {
            return Ok(Step::Skip(
                "installs into ~/.cargo/bin: a test must not change the machine, and the same program is run here",
            ));
        }
        ["mkdir", "-p", dirs @ ..] if !dirs.is_empty() && stdout_to.is_none() => {
            return Ok(Step::MakeDirs(dirs.iter().map(|d| d.to_string()).collect()));
        }
        ["sanctuary", args @ ..] | ["cargo", "run", "--release", "--", args @ ..] => {
            args.iter().map(|a| a.to_string()).collect()
        }
        ["cargo", "run", "--release"] => Vec::new(),
        _ => {
            return Err(
                "not a command this test can run: start it with `sanctuary` (or `cargo run --release --`)"
                    .to_string(),
            );
        }
    };
    let mut command = args.as_slice();
    while let [option, _value, rest @ ..] = command
        && GLOBAL_OPTIONS.contains(&option.as_str())
    {
        command = rest;
    }
    let opens_app = match command {
        [] => true,
        [guide, run, ..] if guide == "guide" && run == "run" => {
            !command.iter().any(|a| a == "--plain")
        }
        _ => false,
    };
    if opens_app && stdout_to.is_none() {
        return Ok(Step::Skip(
            "opens the full-screen app, which needs a terminal; the app is tested in tests/tui_pty.rs",
        ));
    }
    Ok(Step::Run {
        args,
        stdout_to,
        expected: expected(comment.as_deref())?,
    })
}

// ----- running -----

/// A temporary sanctuary folder: copies of what the README's examples read.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for folder in ["examples", "guides", "letter-templates"] {
            copy_dir(&manifest_dir().join(folder), &dir.path().join(folder));
        }
        fs::create_dir(dir.path().join("home")).expect("a home folder");
        Workspace { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn home(&self) -> PathBuf {
        self.root().join("home")
    }

    /// `~` and `~/x` as the shell expands them, inside the temporary home; other paths
    /// relative to the folder the commands run in.
    fn path(&self, word: &str) -> PathBuf {
        match word.strip_prefix('~') {
            Some(rest) => self.home().join(rest.trim_start_matches('/')),
            None => self.root().join(word),
        }
    }

    fn expand(&self, word: &str) -> String {
        if word == "~" || word.starts_with("~/") {
            self.path(word).display().to_string()
        } else {
            word.to_string()
        }
    }

    /// Runs sanctuary as the README line would; returns a description of what went wrong.
    fn run(&self, line: &ReadmeLine, step: &Step) -> Result<(), String> {
        let (args, stdout_to, expected) = match step {
            Step::Skip(_) => return Ok(()),
            Step::MakeDirs(dirs) => {
                for dir in dirs {
                    fs::create_dir_all(self.path(dir)).map_err(|e| format!("mkdir: {e}"))?;
                }
                return Ok(());
            }
            Step::Run {
                args,
                stdout_to,
                expected,
            } => (args, stdout_to, expected),
        };
        let mut args: Vec<String> = args.iter().map(|a| self.expand(a)).collect();
        if !args
            .iter()
            .any(|a| a == "--store" || a.starts_with("--store="))
        {
            let store = self.root().join("cases.db").display().to_string();
            args.splice(0..0, ["--store".to_string(), store]);
        }
        let out_path = match stdout_to {
            Some(file) => self.path(file),
            None => self.root().join(format!(".stdout-{}", line.number)),
        };
        let err_path = self.root().join(format!(".stderr-{}", line.number));
        let stdout = fs::File::create(&out_path)
            .map_err(|e| format!("could not open {} for the output: {e}", out_path.display()))?;
        let stderr = fs::File::create(&err_path).expect("a file for standard error");
        let mut child = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
            .args(&args)
            .current_dir(self.root())
            .env("HOME", self.home())
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env("SANCTUARY_PASSPHRASE", PASSPHRASE)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("could not start sanctuary: {e}"))?;
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("the child can be waited for") {
                break status;
            }
            if started.elapsed() > TIME_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "still running after {} s: does it wait for a terminal?",
                    TIME_LIMIT.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let printed = format!(
            "{}{}",
            fs::read_to_string(&out_path).unwrap_or_default(),
            fs::read_to_string(&err_path).unwrap_or_default()
        );
        let code = status.code().unwrap_or(-1);
        if code != expected.code {
            return Err(format!(
                "exited {code}, but the README expects {}; it printed:\n{printed}",
                expected.code
            ));
        }
        if let Some(message) = &expected.says
            && !printed.contains(message.as_str())
        {
            return Err(format!(
                "did not print {message:?}, as the README says; it printed:\n{printed}"
            ));
        }
        Ok(())
    }
}

// ----- the tests -----

#[test]
fn every_command_in_the_readme_command_line_section_works_as_pasted() {
    let readme = readme();
    let lines = sh_lines_in_section(&readme, SECTION);
    assert!(
        lines.len() >= 30,
        "found only {} command lines under {SECTION:?}: was the section renamed?",
        lines.len()
    );
    let workspace = Workspace::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    for line in &lines {
        let step = match step(&line.text) {
            Ok(step) => step,
            Err(why) => {
                failures.push(format!(
                    "README.md:{}: {}\n  cannot be run as written: {why}",
                    line.number, line.text
                ));
                continue;
            }
        };
        if let Step::Skip(reason) = &step {
            println!(
                "skipped README.md:{}: {} ({reason})",
                line.number, line.text
            );
            continue;
        }
        ran += 1;
        if let Err(why) = workspace.run(line, &step) {
            failures.push(format!("README.md:{}: {}\n  {why}", line.number, line.text));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the README's commands failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(ran >= 25, "only {ran} commands ran");
    // What the commands said they wrote is there.
    for file in [
        "sar-home-office.pdf",
        "authority-home-office.pdf",
        "sar-gp.txt",
        "chaser.pdf",
        // The ICO complaint waits for the body's 30 days (s.164A); the one to the body is written.
        "complaint-home-office.pdf",
        "due.ics",
        "client-1.json",
        "home/.local/share/bash-completion/completions/sanctuary",
        "home/.local/share/man/man1/sanctuary.1",
    ] {
        assert!(
            workspace.root().join(file).is_file(),
            "the README's commands should have written {file}"
        );
    }
}

#[test]
fn the_readme_starts_with_its_two_commands() {
    let readme = readme();
    let first_block: Vec<&str> = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a ```sh block")
        .lines()
        .collect();
    let commands: Vec<String> = first_block
        .iter()
        .map(|line| shell_words(line).expect("a plain line").0.join(" "))
        .collect();
    assert_eq!(commands, ["cargo run --release", "cargo test"]);
}

#[test]
fn lines_a_shell_would_misread_are_refused() {
    for line in [
        "sanctuary clients list|show ID|export ID -o FILE|erase ID --yes",
        "sanctuary guide run ID [--plain]",
        "sanctuary requests stats | calendar -o due.ics | list | update ID ...",
        "sanctuary letter x --to \"$ORG\" -o out.pdf",
        "sanctuary guides validate *.toml",
        "sanctuary clients add --client client.toml; sanctuary clients list",
        "sanctuary man > ",
        "sanctuary man > a b",
        "export SANCTUARY_PASSPHRASE=x",
    ] {
        assert!(step(line).is_err(), "{line:?} should be refused");
    }
}

#[test]
fn lines_are_read_as_a_shell_reads_them() {
    assert_eq!(
        step("sanctuary letter sar-nhs --to-name \"Anytown Surgery\" -o 'a b.txt'  # a note"),
        Ok(Step::Run {
            args: [
                "letter",
                "sar-nhs",
                "--to-name",
                "Anytown Surgery",
                "-o",
                "a b.txt"
            ]
            .map(String::from)
            .to_vec(),
            stdout_to: None,
            expected: Expected {
                code: 0,
                says: None
            },
        })
    );
    assert_eq!(
        step("sanctuary clients erase 1  # says \"Nothing was erased.\" (exit 1)"),
        Ok(Step::Run {
            args: ["clients", "erase", "1"].map(String::from).to_vec(),
            stdout_to: None,
            expected: Expected {
                code: 1,
                says: Some("Nothing was erased.".to_string())
            },
        })
    );
    assert_eq!(
        step("sanctuary man > ~/.local/share/man/man1/sanctuary.1"),
        Ok(Step::Run {
            args: vec!["man".to_string()],
            stdout_to: Some("~/.local/share/man/man1/sanctuary.1".to_string()),
            expected: Expected {
                code: 0,
                says: None
            },
        })
    );
    assert!(matches!(step("sanctuary"), Ok(Step::Skip(_))));
    assert!(matches!(
        step("sanctuary --store practice.db"),
        Ok(Step::Skip(_))
    ));
    assert!(matches!(
        step("sanctuary guide run data-sharing"),
        Ok(Step::Skip(_))
    ));
    assert!(matches!(
        step("sanctuary guide run data-sharing --plain"),
        Ok(Step::Run { .. })
    ));
    assert!(matches!(
        step("cargo run --release -- letters list"),
        Ok(Step::Run { .. })
    ));
}

#[test]
fn continued_lines_are_joined_and_other_sections_left_out() {
    let readme = "## Before\n```sh\nsanctuary before\n```\n## The command line\ntext\n```sh\n# a comment\nsanctuary letter x \\\n  -o y.pdf\n```\n### Sub\n```sh\nsanctuary sub\n```\n```toml\n# a TOML comment\nnot = \"shell\"\n```\n## After\n```sh\nsanctuary after\n```\n";
    let lines = sh_lines_in_section(readme, SECTION);
    assert_eq!(
        lines,
        vec![
            ReadmeLine {
                number: 9,
                text: "sanctuary letter x -o y.pdf".to_string()
            },
            ReadmeLine {
                number: 14,
                text: "sanctuary sub".to_string()
            },
        ]
    );
}

// ----- completions, the manual page, and search -----

fn sanctuary(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("SANCTUARY_PASSPHRASE", PASSPHRASE)
        .stdin(Stdio::null())
        .output()
        .expect("sanctuary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn completions_for_bash_zsh_and_fish_name_the_commands() {
    for shell in ["bash", "zsh", "fish"] {
        let (ok, stdout, stderr) = sanctuary(&["completions", shell]);
        assert!(ok, "completions {shell} failed: {stderr}");
        for command in ["clients", "requests", "deadline", "letter", "guides"] {
            assert!(
                stdout.contains(command),
                "the {shell} completions do not name `{command}`"
            );
        }
    }
    let (ok, _, stderr) = sanctuary(&["completions", "tcsh"]);
    assert!(!ok, "an unknown shell should be refused");
    assert!(
        stderr.contains("bash"),
        "the error should list the shells: {stderr}"
    );
}

#[test]
fn the_manual_page_is_roff_with_every_command() {
    let (ok, page, stderr) = sanctuary(&["man"]);
    assert!(ok, "man failed: {stderr}");
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "not roff:\n{page}"
    );
    assert!(page.contains(".TH sanctuary 1"));
    for command in [
        "sanctuary clients add",
        "sanctuary requests reply",
        "sanctuary deadline",
        "sanctuary letter",
        "sanctuary completions",
    ] {
        let heading = format!(".SS \"{}\"", command);
        assert!(
            page.contains(&heading),
            "the manual has no section for `{command}`"
        );
    }
    assert!(
        page.contains("\\-\\-request\\-type"),
        "the manual should list the letter options"
    );
}

#[test]
fn searching_clients_ignores_accents_and_case_and_reads_other_names() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = dir.path().join("cases.db");
    let store = store.to_str().expect("a UTF-8 path");
    let fixtures = manifest_dir().join("tests/fixtures/clients");
    for client in ["lukasz.toml", "olena.toml"] {
        let file = fixtures.join(client);
        let (ok, _, stderr) = sanctuary(&[
            "--store",
            store,
            "clients",
            "add",
            "--client",
            file.to_str().expect("a UTF-8 path"),
        ]);
        assert!(ok, "clients add {client} failed: {stderr}");
    }
    let (ok, found, stderr) =
        sanctuary(&["--store", store, "clients", "list", "--search", "lukasz"]);
    assert!(ok, "{stderr}");
    assert!(
        found.contains("Łukasz Żółć-Nguyễn"),
        "lukasz should find Łukasz:\n{found}"
    );
    assert!(
        !found.contains("Олена"),
        "lukasz should not find Olena:\n{found}"
    );

    let (_, found, _) = sanctuary(&[
        "--store",
        store,
        "clients",
        "list",
        "--search",
        "SHEVCHENKO",
    ]);
    assert!(
        found.contains("Олена Шевченко"),
        "another name, in any case, should find her:\n{found}"
    );

    let (ok, help, _) = sanctuary(&["clients", "list", "--help"]);
    assert!(ok);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in ["ignoring accents and case", "other names"] {
        assert!(
            help.contains(words),
            "--search help should say {words:?}:\n{help}"
        );
    }
}
