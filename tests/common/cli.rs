//! Helpers for the tests that run the binary on a case store from the command line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One run of the binary, with its output as text.
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            ok: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// `sanctuary --store STORE`, unlocked with `passphrase` and without colour; the caller adds
/// the arguments and anything else the run needs.
pub fn on_store(store: &Path, passphrase: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sanctuary"));
    command
        .arg("--store")
        .arg(store)
        .env("SANCTUARY_PASSPHRASE", passphrase)
        .env("NO_COLOR", "1");
    command
}

/// A temporary folder for one test's case store (`cases.db`) and the files it writes
/// beside it, removed when the test ends. Each test file adds the runs it needs in its
/// own `impl Case`.
pub struct Case {
    pub dir: tempfile::TempDir,
}

impl Default for Case {
    fn default() -> Case {
        Case {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }
}

impl Case {
    pub fn new() -> Case {
        Case::default()
    }

    /// A file in the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// The arguments of `requests add` for client `client` (its id), to `organisation` with
/// `template`, then `more` (the dates, a note).
pub fn requests_add<'a>(
    client: &'a str,
    organisation: &'a str,
    template: &'a str,
    more: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "requests",
        "add",
        "--client",
        client,
        "--to",
        organisation,
        "--template",
        template,
    ];
    args.extend_from_slice(more);
    args
}
