//! `sanctuary handout` through the real binary: Arabic, Farsi and Tigrinya hand-outs from
//! fixture translations (so the tests do not depend on the translators' progress), one from
//! the shipped texts, and the errors. The PDFs are read back with poppler and qpdf: the
//! logical text, the embedded font subsets, the tags and each part's language.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture_dir() -> String {
    root().join("tests/fixtures/handout").display().to_string()
}

fn sanctuary(args: &[&str], home: &Path) -> Output {
    let env = common::home_in(home);
    Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(args)
        .envs(common::env_refs(&env))
        .output()
        .expect("the sanctuary binary runs")
}

/// `sanctuary handout GUIDE OUTCOME --language LANGUAGE -o FILE`, then `extra`.
fn run_handout(dir: &Path, what: [&str; 3], file: &Path, extra: &[&str]) -> Output {
    let [guide, outcome, language] = what;
    let file = file.display().to_string();
    let mut args = vec![
        "handout",
        guide,
        outcome,
        "--language",
        language,
        "-o",
        &file,
    ];
    args.extend_from_slice(extra);
    sanctuary(&args, dir)
}

fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (poppler-utils, qpdf): {e}"));
    assert!(out.status.success(), "{program} {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The words of a text in order: letters and digits only, without the direction marks
/// poppler adds around runs. Word order is what shows the logical order came back; where
/// poppler puts a neutral character (a full stop, a colon) beside an embedded Latin run is
/// its own guess.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn contains_in_order(haystack: &[String], needle: &[String]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A field of a fixture translation file.
fn translated(language: &str, file: &str, key: &str) -> String {
    let path = root().join(format!(
        "tests/fixtures/handout/translations/{language}/{file}.toml"
    ));
    let text = std::fs::read_to_string(&path).expect("fixture");
    let value: toml::Value = toml::from_str(&text).expect("fixture parses");
    value["entry"]
        .as_array()
        .and_then(|entries| entries.iter().find(|e| e["key"].as_str() == Some(key)))
        .and_then(|e| e["text"].as_str())
        .unwrap_or_else(|| panic!("{language}/{file} has {key}"))
        .to_string()
}

const ENGLISH_ADVICE: &str = "You do not need papers to see a GP. Ask the GP to register you. It is free. Call 111 if you need help fast.";

/// Makes the hand-out; returns the PDF's bytes and its extracted text.
fn handout(language: &str, dir: &Path) -> (Vec<u8>, String) {
    let file = dir.join(format!("handout-{language}.pdf"));
    let file_arg = file.display().to_string();
    let guides = fixture_dir();
    let adviser = root().join("tests/fixtures/clients/adviser.toml");
    let adviser = adviser.display().to_string();
    let out = run_handout(
        dir,
        ["clinic", "fine", language],
        &file,
        &["--guides-dir", &guides, "--adviser", &adviser],
    );
    assert!(
        out.status.success(),
        "handout {language}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(&file).expect("the hand-out was written");
    let text = tool("pdftotext", &[&file_arg, "-"]);
    (pdf, text)
}

/// What every hand-out must be: tagged, with its fonts embedded as subsets, each part
/// tagged with its language, small.
fn assert_well_formed(pdf: &[u8], dir: &Path, language: &str, script_font: &str) {
    let file = dir.join(format!("check-{language}.pdf"));
    std::fs::write(&file, pdf).expect("write");
    let file = file.display().to_string();
    let info = tool("pdfinfo", &[&file]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let fonts = tool("pdffonts", &[&file]);
    for family in [script_font, "NotoSans-Regular"] {
        let line = fonts
            .lines()
            .find(|l| l.contains(&format!("+{family}")))
            .unwrap_or_else(|| panic!("{family} embedded as a subset:\n{fonts}"));
        assert!(
            line.contains("yes yes yes"),
            "embedded, subset, ToUnicode: {line}"
        );
    }
    let structure = tool("pdfinfo", &["-struct", &file]);
    for element in ["H1", "H2", "P", "L", "LI", "Lbl", "LBody"] {
        assert!(
            structure.contains(&format!("  {element} (block)")),
            "{structure}"
        );
    }
    let expanded = dir.join(format!("expanded-{language}.pdf"));
    let expanded_arg = expanded.display().to_string();
    tool(
        "qpdf",
        &["--qdf", "--object-streams=disable", &file, &expanded_arg],
    );
    let raw = String::from_utf8_lossy(&std::fs::read(&expanded).expect("qpdf wrote")).into_owned();
    assert!(
        raw.contains(&format!("/Lang ({language})")),
        "the document's language is the client's"
    );
    assert!(
        raw.contains("/Lang (en-GB)"),
        "the English part is tagged en-GB"
    );
    assert!(raw.contains("/DisplayDocTitle true"));
    assert!(raw.contains("/Marked true"));
    assert!(raw.contains("/Artifact"), "page numbers are artifacts");
    assert!(pdf.len() < 150 * 1024, "{} bytes", pdf.len());
}

/// The client's text comes first, in logical order, then the English.
fn assert_client_then_english(text: &str, client: &str) {
    let extracted = words(text);
    let client_at = contains_in_order(&extracted, &words(client))
        .unwrap_or_else(|| panic!("{client:?} in logical order in:\n{text}"));
    let english_at = contains_in_order(&extracted, &words(ENGLISH_ADVICE))
        .unwrap_or_else(|| panic!("the English advice in:\n{text}"));
    assert!(client_at < english_at, "the client's language comes first");
}

#[test]
fn arabic_and_farsi_handouts_give_back_the_logical_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    for language in ["ar", "fa"] {
        let (pdf, text) = handout(language, dir.path());
        assert_client_then_english(&text, &translated(language, "clinic", "fine.advice"));
        for key in ["fine.action.1", "fine.action.2"] {
            let step = words(&translated(language, "clinic", key));
            assert!(
                contains_in_order(&words(&text), &step).is_some(),
                "{key}: {text}"
            );
        }
        // Unchecked (draft) translations: the banner in both languages.
        let banner = words(&translated(language, "_ui", "draft-banner"));
        assert!(
            contains_in_order(&words(&text), &banner).is_some(),
            "{text}"
        );
        assert!(text.contains("has not been checked by a fluent speaker"));
        let counts = words(&translated(language, "_ui", "english-counts"));
        assert!(
            contains_in_order(&words(&text), &counts).is_some(),
            "{text}"
        );
        assert!(text.contains("The English text is the one that counts."));
        // The adviser's contact, never anything of the client's.
        assert!(text.contains("Eastside Rights Project") && text.contains("jo@example.org"));
        assert_well_formed(&pdf, dir.path(), language, "NotoNaskhArabic-Regular");
    }
}

#[test]
fn tigrinya_handout_shows_the_stale_line_not_the_old_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (pdf, text) = handout("ti", dir.path());
    // The advice was translated from an older English: the stale line, in Tigrinya.
    let stale = translated("ti", "_ui", "stale");
    assert_client_then_english(&text, &stale);
    let old = words(&translated("ti", "clinic", "fine.advice"));
    assert!(
        contains_in_order(&words(&text), &old).is_none(),
        "the old translation is never shown"
    );
    // The first step is translated; the second has no translation, so the stale line.
    let step = words(&translated("ti", "clinic", "fine.action.1"));
    assert!(contains_in_order(&words(&text), &step).is_some(), "{text}");
    assert!(text.matches(stale.as_str()).count() >= 2, "{text}");
    let title = words(&translated("ti", "_ui", "handout-title"));
    assert!(contains_in_order(&words(&text), &title).is_some(), "{text}");
    assert_well_formed(&pdf, dir.path(), "ti", "NotoSansEthiopic-Regular");
}

#[test]
fn english_only_handout_has_no_translation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, text) = handout("en", dir.path());
    assert!(contains_in_order(&words(&text), &words(ENGLISH_ADVICE)).is_some());
    assert!(text.contains("Your notes from today"));
    assert!(
        !text.contains("has not been checked"),
        "no banner without a translation"
    );
    assert!(!text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)));
}

#[test]
fn shipped_translations_make_a_handout() {
    let dir = tempfile::tempdir().expect("tempdir");
    for language in ["ar", "ti"] {
        let file = dir.path().join(format!("rtw-{language}.pdf"));
        let file_arg = file.display().to_string();
        let out = run_handout(
            dir.path(),
            ["right-to-work", "out-passport", language],
            &file,
            &[],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = tool("pdftotext", &[&file_arg, "-"]);
        assert!(text.contains("Your notes from today"), "{text}");
        let info = tool("pdfinfo", &[&file_arg]);
        assert!(info.contains("Tagged:          yes"));
        assert!(std::fs::metadata(&file).expect("written").len() < 150 * 1024);
    }
}

#[test]
fn unknown_guide_outcome_or_language_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("never.pdf");
    let guides = fixture_dir();
    for (guide, outcome, language, named) in [
        ("nowhere", "fine", "ar", "`nowhere`"),
        ("clinic", "nope", "ar", "`nope`"),
        ("clinic", "ask", "ar", "`ask`"),
        ("clinic", "fine", "xx", "`xx`"),
    ] {
        let out = run_handout(
            dir.path(),
            [guide, outcome, language],
            &file,
            &["--guides-dir", &guides],
        );
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(named), "{stderr}");
        assert!(!file.exists());
    }
}
