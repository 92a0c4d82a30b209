//! The command line as a person types it: help and version, listing guides, drawing a
//! guide's tree, and using an organisation's own guides folder.

use std::process::Command;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_command_has_help_and_the_program_has_a_version() {
    let (ok, out, _) = run(&["--version"]);
    assert!(ok && out.starts_with("sanctuary "), "{out}");
    for command in [
        vec!["--help"],
        vec!["guides", "--help"],
        vec!["guides", "list", "--help"],
        vec!["guides", "validate", "--help"],
        vec!["guides", "graph", "--help"],
        vec!["guide", "run", "--help"],
        vec!["letter", "--help"],
        vec!["letters", "list", "--help"],
        vec!["deadline", "--help"],
        vec!["clients", "--help"],
        vec!["requests", "--help"],
    ] {
        let (ok, out, err) = run(&command);
        assert!(ok, "{command:?}: {err}");
        assert!(out.contains("Usage:"), "{command:?} has no usage:\n{out}");
    }
}

#[test]
fn guides_list_groups_the_shipped_guides_by_topic() {
    let (ok, out, _) = run(&["guides", "list"]);
    assert!(ok);
    for topic in [
        "Data sharing",
        "Health",
        "Phones and tags",
        "Safety",
        "Work",
        "Your data rights",
    ] {
        assert!(out.lines().any(|l| l == topic), "no topic {topic}:\n{out}");
    }
    assert!(out.contains("data-sharing"));
    assert!(out.contains("reading ease"));
}

#[test]
fn graph_draws_the_decision_tree_as_mermaid_and_dot() {
    let (ok, mermaid, _) = run(&["guides", "graph", "right-to-work", "--format", "mermaid"]);
    assert!(ok);
    assert!(mermaid.starts_with("flowchart TD\n"), "{mermaid}");
    assert!(
        mermaid.contains("-->|"),
        "edges are labelled with the answers"
    );
    let (ok, dot, _) = run(&["guides", "graph", "right-to-work", "--format", "dot"]);
    assert!(ok);
    assert!(dot.starts_with("digraph \"right-to-work\" {"), "{dot}");
    assert!(dot.contains("shape=doubleoctagon"), "outcomes are drawn");
    assert!(dot.trim_end().ends_with('}'));
    let (ok, _, err) = run(&["guides", "graph", "nope"]);
    assert!(!ok);
    assert!(err.contains("no guide with id `nope`"), "{err}");
}

#[test]
fn an_organisations_own_guides_folder_replaces_the_shipped_guides() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/valid-guide");
    let (ok, out, err) = run(&["--guides-dir", dir, "guides", "list"]);
    assert!(ok, "{err}");
    assert!(out.contains("fixture"), "{out}");
    assert!(!out.contains("data-sharing"), "{out}");
    let (ok, out, _) = run(&["--guides-dir", dir, "guides", "validate"]);
    assert!(ok);
    assert!(out.contains("1 guide valid"));
}

#[test]
fn a_broken_guides_folder_is_a_clear_error_that_names_the_file() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/invalid-guides/bad-risk"
    );
    let (ok, _, err) = run(&["--guides-dir", dir, "guides", "list"]);
    assert!(!ok);
    assert!(err.contains("bad-risk.toml:38:8:"), "{err}");
}

#[test]
fn a_letter_is_written_owner_only_and_never_over_an_existing_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sar.txt");
    let out_arg = out.to_str().unwrap();
    let client = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/clients/olena.toml"
    );
    let args = [
        "letter",
        "sar-dwp-hmrc",
        "--to",
        "dwp",
        "--client",
        client,
        "--format",
        "txt",
        "-o",
        out_arg,
    ];
    let (ok, _, stderr) = run(&args);
    assert!(ok, "{stderr}");
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "only the adviser's account can read it");

    std::fs::write(&out, "the adviser's edited copy").unwrap();
    let (ok, _, stderr) = run(&args);
    assert!(!ok, "an existing file is not replaced");
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the adviser's edited copy"
    );
    let mut forced = args.to_vec();
    forced.push("--force");
    let (ok, _, stderr) = run(&forced);
    assert!(ok, "{stderr}");
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("Article 15")
    );
}
