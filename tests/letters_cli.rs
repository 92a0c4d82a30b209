//! The letters branch through the real binary: an organisation's own letters folder
//! (--templates-dir, `letters validate`), the client's home address left out of police
//! and Home Office letters unless the body knows it, and the new request letters.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/clients")
        .join(name)
        .display()
        .to_string()
}

fn sanctuary(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(args)
        .env("HOME", "/nonexistent-sanctuary-home")
        .output()
        .expect("the sanctuary binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A copy of the shipped letters folder, to change.
fn copy_of_letters() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(root().join("letter-templates")).expect("letters folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) -> String {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} has no {from:?}");
    let changed = text.replacen(from, to, 1);
    std::fs::write(&path, &changed).expect("write");
    changed
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle present")
        + 1
}

/// `sanctuary letter` as text into a temporary file; returns (letter, stderr, success).
fn letter_txt(before: &[&str], args: &[&str]) -> (String, String, bool) {
    let out = tempfile::tempdir().expect("tempdir");
    let file = out.path().join("letter.txt");
    let mut all: Vec<&str> = before.to_vec();
    all.push("letter");
    all.extend(args);
    let file_arg = file.display().to_string();
    all.extend(["--format", "txt", "--sent", "2026-12-07", "-o", &file_arg]);
    let output = sanctuary(&all);
    let letter = std::fs::read_to_string(&file).unwrap_or_default();
    (
        squash(&letter),
        text(&output.stderr),
        output.status.success(),
    )
}

const BANK: &[&str] = &[
    "sar-generic",
    "--to",
    "bank",
    "--to-name",
    "Example Bank",
    "--to-address",
    "1 Bank Street",
    "--to-address",
    "ZZ1 1ZZ",
];

#[test]
fn a_changed_template_in_a_templates_dir_changes_the_letter() {
    let dir = copy_of_letters();
    edit(
        dir.path(),
        "sar-generic.toml",
        "to make a subject access request to {{ org.name }} for them.",
        "to make a subject access request to {{ org.name }} for them, in our own words.",
    );
    let lukasz = fixture("lukasz.toml");
    let mut args = BANK.to_vec();
    args.extend(["--client", &lukasz]);
    let dir_arg = dir.path().display().to_string();
    let (own, stderr, ok) = letter_txt(&["--templates-dir", &dir_arg], &args);
    assert!(ok, "{stderr}");
    assert!(own.contains("for them, in our own words."), "{own}");
    let (shipped, _, ok) = letter_txt(&[], &args);
    assert!(ok);
    assert!(!shipped.contains("in our own words"));
    // The folder is valid, and says so.
    let output = sanctuary(&["letters", "validate", &dir_arg]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("no problems"));
    // So is the shipped folder.
    let shipped = root().join("letter-templates").display().to_string();
    let output = sanctuary(&["letters", "validate", &shipped]);
    assert!(output.status.success(), "{}", text(&output.stderr));
}

#[test]
fn a_broken_template_is_reported_at_its_file_line_and_column() {
    let dir = copy_of_letters();
    let dir_arg = dir.path().display().to_string();
    // An unclosed tag: a syntax error, found by compiling.
    let changed = edit(
        dir.path(),
        "sar-generic.toml",
        "{% include \"period\" %}",
        "{% include \"period\" %}\n{% if on_behalf %}",
    );
    // An unknown key in another file: a parse error.
    let orgs = edit(
        dir.path(),
        "organisations.toml",
        "id = \"bank\"",
        "id = \"bank\"\nshoe_size = 9",
    );
    let output = sanctuary(&["letters", "validate", &dir_arg]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    let shoe = line_of(&orgs, "shoe_size");
    assert!(
        stderr.contains(&format!("organisations.toml:{shoe}:1:")),
        "{stderr}"
    );
    // The parse error is reported first; with it mended, the syntax error shows.
    edit(dir.path(), "organisations.toml", "\nshoe_size = 9", "");
    let output = sanctuary(&["letters", "validate", &dir_arg]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    let body = line_of(&changed, "body = \"\"\"");
    let found = stderr
        .lines()
        .find(|l| l.contains("sar-generic.toml:"))
        .unwrap_or_else(|| panic!("no position in {stderr}"));
    let position: Vec<usize> = found
        .split("sar-generic.toml:")
        .nth(1)
        .and_then(|rest| {
            let mut parts = rest.split(':');
            Some(vec![
                parts.next()?.parse().ok()?,
                parts.next()?.parse().ok()?,
            ])
        })
        .unwrap_or_else(|| panic!("no line:column in {found}"));
    assert!(
        position[0] > body,
        "{found}: after the body's first line {body}"
    );
    assert!(position[1] >= 1);
    // Using the broken folder fails with the way to see every problem.
    let lukasz = fixture("lukasz.toml");
    let mut args = BANK.to_vec();
    args.extend(["--client", &lukasz]);
    let (_, stderr, ok) = letter_txt(&["--templates-dir", &dir_arg], &args);
    assert!(!ok);
    assert!(stderr.contains("letters validate"), "{stderr}");
}

#[test]
fn an_unknown_variable_is_found_by_writing_every_letter_once() {
    let dir = copy_of_letters();
    let dir_arg = dir.path().display().to_string();
    let changed = edit(
        dir.path(),
        "sar-landlord.toml",
        "## Right-to-rent checks",
        "## Right-to-rent checks\nYour shoe size: {{ client.shoe_size }}.",
    );
    let output = sanctuary(&["letters", "validate", &dir_arg]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    let line = line_of(&changed, "shoe_size");
    assert!(
        stderr.contains(&format!("sar-landlord.toml:{line}:")),
        "line {line} not named: {stderr}"
    );
}

#[test]
fn the_home_office_letter_leaves_the_address_out_unless_the_adviser_says_it_is_known() {
    let olena = fixture("olena.toml");
    let args = [
        "sar-home-office",
        "--to",
        "home-office",
        "--request-type",
        "basic",
        "--client",
        &olena,
    ];
    let (letter, stderr, ok) = letter_txt(&[], &args);
    assert!(ok, "{stderr}");
    assert!(!letter.contains("41 Larch Close") && !letter.contains("CV2 4HU"));
    assert!(stderr.contains("Home address: left out"), "{stderr}");
    assert!(stderr.contains("s.52(4)") && stderr.contains("--body-knows-address"));
    let mut known = args.to_vec();
    known.push("--body-knows-address");
    let (letter, stderr, ok) = letter_txt(&[], &known);
    assert!(ok, "{stderr}");
    assert!(letter.contains("41 Larch Close"), "{letter}");
    assert!(stderr.contains("Home address: included"), "{stderr}");
    // A guide that said the body does not know it wins over the flag.
    known.extend(["--fact", "address_known_to_body=no"]);
    let (_, stderr, ok) = letter_txt(&[], &known);
    assert!(!ok);
    assert!(stderr.contains("contradicts"), "{stderr}");
}

#[test]
fn every_new_request_letter_is_written_from_the_command_line() {
    let lukasz = fixture("lukasz.toml");
    for (template, org, needle) in [
        ("erasure", "police-force", "section 47"),
        ("restriction", "home-office", "Article 18"),
        ("objection", "local-authority", "Article 21"),
        ("rectification", "nhs-trust", "Article 16"),
        ("charging-challenge", "nhs-trust", "not ordinarily resident"),
    ] {
        let mut args = vec![
            template,
            "--to",
            org,
            "--client",
            &lukasz,
            "--point",
            "The record of 3 May 2025 is wrong.",
        ];
        if org != "home-office" {
            args.extend([
                "--to-name",
                "Example Body",
                "--to-address",
                "1 Example Street",
                "--to-address",
                "ZZ1 1ZZ",
            ]);
        }
        let (letter, stderr, ok) = letter_txt(&[], &args);
        assert!(ok, "{template}: {stderr}");
        assert!(letter.contains(needle), "{template}: {letter}");
        assert!(letter.contains("one month"), "{template}");
    }
}

#[test]
fn plain_mode_says_the_home_office_letter_leaves_the_address_out() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(["guide", "run", "data-sharing", "--plain"])
        .env("HOME", "/nonexistent-sanctuary-home")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"\n2\n\n").expect("write");
    }
    let output = child.wait_with_output().expect("output");
    let out = text(&output.stdout);
    let home_office = out
        .lines()
        .position(|l| l.contains("sanctuary letter sar-home-office --to home-office"))
        .unwrap_or_else(|| panic!("no Home Office letter in\n{out}"));
    let next = out.lines().nth(home_office + 1).unwrap_or("");
    assert!(next.contains("Home address: left out"), "{out}");
    assert!(next.contains("--body-knows-address"), "{out}");
    // The school letter is not a police or Home Office letter: no such line after it.
    let school = out
        .lines()
        .position(|l| l.contains("--to school"))
        .expect("school letter");
    assert!(
        !out.lines()
            .nth(school + 1)
            .unwrap_or("")
            .contains("Home address")
    );
}
