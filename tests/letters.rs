//! Issue 7: letters through the real binary. Every template goes to PDF for
//! the fixture clients, and the PDF's extracted text is checked.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NAMES: [(&str, &str); 4] = [
    ("lukasz.toml", "Łukasz Żółć-Nguyễn"),
    ("ioana.toml", "Ioana Ștefănescu"),
    ("alexandros.toml", "Αλέξανδρος Παπαδόπουλος"),
    ("olena.toml", "Олена Шевченко"),
];

/// Each template with an organisation it can go to and the extra arguments it needs.
fn cases() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let addr = vec![
        "--to-address",
        "1 Test Street",
        "--to-address",
        "Testtown",
        "--to-address",
        "TE1 1ST",
    ];
    let named = |mut extra: Vec<&'static str>| {
        extra.extend(["--to-name", "Test Body Ltd"]);
        extra
    };
    vec![
        ("sar-generic", "local-authority", named(addr.clone())),
        (
            "sar-home-office",
            "home-office",
            vec!["--request-type", "detailed"],
        ),
        ("sar-nhs", "gp-practice", named(addr.clone())),
        ("sar-dwp-hmrc", "dwp", vec![]),
        ("sar-employer", "employer", named(addr.clone())),
        ("sar-landlord", "landlord", named(addr.clone())),
        ("sar-electronic-monitoring", "em-contractor", vec![]),
        ("sar-police", "police-force", named(addr.clone())),
        (
            "rectification-home-office",
            "home-office",
            vec![
                "--point",
                "Date of entry recorded as 2 March 2019; it is 3 March 2019.",
            ],
        ),
        ("authority", "home-office", vec!["--adviser", "ADVISER"]),
        (
            "consent-ico",
            "ico",
            vec!["--adviser", "ADVISER", "--about", "home-office"],
        ),
        (
            "chaser",
            "home-office",
            vec!["--request-sent", "2026-09-01"],
        ),
        (
            "complaint-chaser",
            "home-office",
            vec!["--request-sent", "2026-09-01"],
        ),
        (
            "complaint-controller",
            "home-office",
            vec!["--point", "No reply has been received."],
        ),
        (
            "complaint-ico",
            "ico",
            vec![
                "--about",
                "home-office",
                "--event",
                "2026-09-01: Subject access request sent.",
            ],
        ),
    ]
}

fn fixtures() -> PathBuf {
    let here = Path::new(file!());
    let tests = here.parent().unwrap_or(Path::new("tests"));
    let tests = if tests.is_absolute() {
        tests.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(tests)
    };
    tests.join("fixtures").join("clients")
}

fn sanctuary(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(args)
        .output()
        .expect("the sanctuary binary runs")
}

/// A client writing for herself (no adviser) to the police or the Home Office gives her
/// own address to reply to, so she says the body may have it.
fn writing_for_herself(file: &str, org: &str, extra: &[&'static str]) -> Vec<&'static str> {
    let mut extra = extra.to_vec();
    if file == "ioana.toml" && ["home-office", "police-force", "acro"].contains(&org) {
        extra.push("--body-knows-address");
    }
    extra
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs `sanctuary letter` and returns (PDF bytes, extracted text, stderr).
fn letter(template: &str, org: &str, client: &str, extra: &[&str]) -> (Vec<u8>, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("letter.pdf");
    let client = fixtures().join(client);
    let adviser = fixtures().join("adviser.toml");
    let mut args: Vec<String> = vec![
        "letter".into(),
        template.into(),
        "--to".into(),
        org.into(),
        "--client".into(),
        client.display().to_string(),
        "--from".into(),
        "2019-01-01".into(),
        "--until".into(),
        "2026-11-01".into(),
        "--sent".into(),
        "2026-11-23".into(),
        "-o".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|a| {
        if *a == "ADVISER" {
            adviser.display().to_string()
        } else {
            a.to_string()
        }
    }));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = sanctuary(&refs);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "{template} to {org} for {client:?} failed: {stderr}"
    );
    let bytes = std::fs::read(&out).expect("the PDF was written");
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("the PDF's text extracts");
    if let Ok(check) = Command::new("qpdf").arg("--check").arg(&out).output() {
        assert!(
            check.status.success(),
            "qpdf --check failed for {template}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
    (bytes, squash(&text), stderr)
}

#[test]
fn letters_list_shows_every_template_and_the_organisations_notes() {
    let output = sanctuary(&["letters", "list"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for (template, org, _) in cases() {
        assert!(
            text.contains(template) && text.contains(org),
            "{template} / {org}"
        );
    }
    assert!(text.contains("third-party"), "DWP's form note is shown");
    assert!(
        !text.contains("MUST use DWP"),
        "DWP's form is not a legal requirement"
    );
    assert!(text.contains("official capacity"), "ACRO's note is shown");
    assert!(
        text.contains("other law-enforcement agencies and to government organisations"),
        "ACRO's warning is shown"
    );
    assert!(text.contains("2 Ruskin Square") && text.contains("checked 1 December 2026"));
    assert!(
        !text.contains("the month starts when everything arrives"),
        "restart and pause are told apart"
    );
    assert!(text.contains("only pauses the month"));
    assert!(text.contains("UNCONFIRMED since the ICO's planned move"));
    for internal in ["domain brief", "S48", "S24"] {
        assert!(
            !text.contains(internal),
            "internal reference {internal:?} shown"
        );
    }
}

#[test]
fn the_authority_for_the_home_office_shows_no_note_about_another_body() {
    let (_, _, stderr) = letter(
        "authority",
        "home-office",
        "lukasz.toml",
        &["--adviser", "ADVISER"],
    );
    assert!(!stderr.contains("ACRO"), "{stderr}");
    assert!(stderr.contains("Note (Home Office)"), "{stderr}");
}

#[test]
fn every_template_for_every_fixture_client_renders_exactly() {
    for (template, org, extra) in cases() {
        for (file, name) in NAMES {
            let extra = writing_for_herself(file, org, &extra);
            let (bytes, text, _) = letter(template, org, file, &extra);
            assert!(
                bytes.len() <= 40 * 1024,
                "{template}: {} bytes",
                bytes.len()
            );
            assert!(text.contains(name), "{template}/{file}: name missing");
            for marker in ["{{", "}}", "{%", "%}", " none ", "None", "TODO"] {
                assert!(!text.contains(marker), "{template}/{file}: {marker:?}");
            }
            assert!(text.contains("Page 1 of"), "{template}: footer");
            if template.starts_with("sar-") {
                assert!(
                    text.contains("29 December 2026"),
                    "{template}: reply-by date"
                );
                assert!(
                    text.contains("day one"),
                    "{template}: the rule behind the date"
                );
                assert!(
                    text.contains("Article 15") || text.contains("section 45"),
                    "{template}: legal basis"
                );
                assert!(
                    text.contains("1 January 2019") && text.contains("1 November 2026"),
                    "{template}: period"
                );
            }
        }
    }
}

#[test]
fn home_office_letter_asks_the_paragraph_4a_questions() {
    let (_, text, stderr) = letter(
        "sar-home-office",
        "home-office",
        "lukasz.toml",
        &["--request-type", "detailed"],
    );
    for needed in [
        "paragraph 4 of Schedule 2 to the Data Protection Act 2018",
        "paragraph 4A(2)(a) to (c) requires",
        "separately for each right",
        "afresh for this request",
        "vulnerability",
        "Convention rights",
        "paragraph 4A(4)",
        "substantial risk",
        "necessary and proportionate",
        "paragraph 4B(1)",
        "paragraph 4B(2)",
        "rather than holding back whole documents",
        "everything the exemption does not cover",
        "SI 2024/342",
        "Z1234567",
        "LHR/2019/0042",
        "12 April 1988",
        "2 Ruskin Square",
    ] {
        assert!(text.contains(needed), "missing {needed:?}");
    }
    // The Home Office is not said to know where the client lives.
    for absent in ["14 Orchard Row", "LS2 7HX"] {
        assert!(!text.contains(absent), "{absent:?} is printed");
    }
    assert!(
        stderr.contains("Immigration exemption"),
        "the adviser sees the exemption note"
    );
}

#[test]
fn other_bodies_are_never_told_they_may_use_the_exemption() {
    for (template, org, extra) in cases() {
        if org == "home-office" || org == "ico" {
            continue;
        }
        let mut with_sharing = writing_for_herself("ioana.toml", org, &extra);
        with_sharing.push("--home-office-sharing");
        let (_, text, stderr) = letter(template, org, "ioana.toml", &with_sharing);
        for banned in ["may rely", "can rely", "entitled to rely"] {
            assert!(!text.contains(banned), "{template}: {banned:?}");
        }
        assert!(
            text.contains("every disclosure"),
            "{template}: asks for Home Office disclosures"
        );
        assert!(
            text.contains("applied only to personal data processed by the Secretary of State"),
            "{template}"
        );
        assert!(text.contains("31 January 2022"), "{template}");
        // DWP is a Secretary of State's department: whether it may use it is untested.
        assert!(
            stderr.contains("cannot use it") || (org == "dwp" && stderr.contains("untested")),
            "{template}: adviser note"
        );
    }
}

#[test]
fn reply_to_adviser_never_uses_the_home_address_as_the_reply_address() {
    let (_, text, _) = letter(
        "sar-home-office",
        "home-office",
        "olena.toml",
        &["--request-type", "basic"],
    );
    assert_eq!(
        text.matches("41 Larch Close").count(),
        0,
        "the Home Office is not said to know the address"
    );
    let (_, text, _) = letter(
        "sar-home-office",
        "home-office",
        "olena.toml",
        &["--request-type", "basic", "--body-knows-address"],
    );
    assert_eq!(
        text.matches("41 Larch Close").count(),
        1,
        "home address only once, as an identifier"
    );
    assert!(text.contains("please do not write to it): 41 Larch Close"));
    assert!(text.contains(
        "Please send the reply and the data to me, Maya Reid, Safe Haven Advice, at PO Box 123"
    ));
}

#[test]
fn a_missing_required_field_fails_and_names_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x.pdf");
    let client = fixtures().join("no-date-of-birth.toml");
    let output = sanctuary(&[
        "letter",
        "sar-home-office",
        "--to",
        "home-office",
        "--client",
        &client.display().to_string(),
        "--sent",
        "2026-11-23",
        "-o",
        &out.display().to_string(),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("date_of_birth") && stderr.contains("nationality"),
        "{stderr}"
    );
    assert!(!out.exists(), "no letter is written");
}

#[test]
fn an_unknown_key_in_the_client_file_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let client = dir.path().join("c.toml");
    std::fs::write(&client, "name = \"A B\"\nshoesize = 9\n").expect("write");
    let output = sanctuary(&[
        "letter",
        "sar-generic",
        "--to",
        "dvla",
        "--client",
        &client.display().to_string(),
        "-o",
        &dir.path().join("x.pdf").display().to_string(),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("shoesize") && stderr.contains(":2:1"),
        "{stderr}"
    );
}

#[test]
fn text_format_is_plain_and_complete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("letter.txt");
    let client = fixtures().join("ioana.toml");
    let output = sanctuary(&[
        "letter",
        "sar-dwp-hmrc",
        "--to",
        "dwp",
        "--client",
        &client.display().to_string(),
        "--sent",
        "2026-11-23",
        "--format",
        "txt",
        "-o",
        &out.display().to_string(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("text written");
    assert!(text.contains("Ioana Ștefănescu") && text.contains("Mail Handling Site A"));
    assert!(text.contains("29 December 2026") && !text.contains("{{"));
}
