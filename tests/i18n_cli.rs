//! Guides in the client's language, through the real binary: `translations status`, the
//! translations' section of `guides validate`, plain mode with `--language`, PO export and
//! import, and the done-when test (one English sentence changed makes exactly its
//! translations stale). The texts come from fixtures and temporary copies, never from
//! whichever shipped translations happen to be filled.

use std::path::{Path, PathBuf};

#[path = "common/files.rs"]
mod files;
#[path = "common/guide_walk.rs"]
mod guide_walk;
use files::copy_dir;
use guide_walk::run_with_input;

/// The fixture guide `clinic`, with Vietnamese (one stale, two missing) and Arabic files.
fn fixture() -> String {
    format!(
        "{}/tests/fixtures/translated-guide",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn run(args: &[&str]) -> (bool, String, String) {
    run_with_input(args, "")
}

/// `guide run GUIDE --plain --language LANGUAGE` on the guides in `guides_dir`, with
/// `input` typed; whether it succeeded, its output and its errors.
fn run_plain_in(
    guides_dir: &str,
    guide: &str,
    language: &str,
    input: &str,
) -> (bool, String, String) {
    run_with_input(
        &[
            "--guides-dir",
            guides_dir,
            "guide",
            "run",
            guide,
            "--plain",
            "--language",
            language,
        ],
        input,
    )
}

/// A copy of the fixture in a temporary folder, to change.
fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guides");
    copy_dir(Path::new(&fixture()), &path);
    (dir, path)
}

#[test]
fn status_counts_each_state_in_sentences_and_in_json() {
    let (ok, out, err) = run(&[
        "translations",
        "status",
        "--language",
        "vi",
        "--guides-dir",
        &fixture(),
    ]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("Tiếng Việt (vi, written left to right)\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "  clinic: 6 of 9 parts translated (66%); 1 current, 5 unchecked, 1 stale, 2 missing, 0 orphans (8 entries)\n    stale: note.text\n"
        ),
        "{out}"
    );
    assert!(
        !out.contains("العربية"),
        "only the language asked for: {out}"
    );

    let (ok, out, _) = run(&[
        "translations",
        "status",
        "--json",
        "--guides-dir",
        &fixture(),
    ]);
    assert!(ok);
    let status: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let ar = status
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "ar")
        .expect("Arabic is listed");
    assert_eq!(ar["direction"], "rtl");
    let clinic = ar["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["guide"] == "clinic")
        .unwrap();
    assert_eq!(
        (
            &clinic["unchecked"],
            &clinic["missing"],
            &clinic["stale"],
            &clinic["entries"]
        ),
        (
            &serde_json::json!(2),
            &serde_json::json!(7),
            &serde_json::json!(0),
            &serde_json::json!(3)
        )
    );
}

#[test]
fn an_unknown_language_is_an_error_naming_it() {
    let (ok, _, err) = run(&["translations", "status", "--language", "xx"]);
    assert!(!ok);
    assert!(
        err.contains("no translations in the language `xx`"),
        "{err}"
    );
    let (ok, _, err) = run_with_input(
        &[
            "guide",
            "run",
            "right-to-work",
            "--plain",
            "--language",
            "xx",
        ],
        "q\n",
    );
    assert!(!ok);
    assert!(err.contains("`xx`"), "{err}");
}

#[test]
fn validate_keeps_the_english_count_and_lists_stale_translations_as_warnings() {
    let (ok, out, err) = run(&["guides", "validate", &fixture()]);
    assert!(ok, "{err}");
    assert!(out.contains("1 guide valid, 0 warnings\n"), "{out}");
    assert!(
        out.contains("Translations: 6 languages, 0 errors, 1 warning\n"),
        "{out}"
    );
    let section = err
        .split("Translations:\n")
        .nth(1)
        .expect("a section of its own");
    assert!(
        section.contains("translations/vi/clinic.toml:47:7: warning: entry `note.text` is stale"),
        "{err}"
    );
}

/// Replaces `from` with `to` in a file, which must hold `from`.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn validate_fails_on_broken_keys_duplicates_placeholders_scripts_and_unchecked_checks() {
    let (_dir, guides) = fixture_copy();
    let ar = guides.join("translations/ar/clinic.toml");
    // A key that reaches logic, Latin text in Arabic, a duplicate, a check with no checker.
    edit(&ar, "key = \"ask.choice.2\"", "key = \"ask.next\"");
    edit(&ar, "text = \"نعم\"", "text = \"Yes\"");
    let text = std::fs::read_to_string(&ar).unwrap();
    let first = text.split("\n[[entry]]").nth(1).unwrap().to_string();
    std::fs::write(&ar, format!("{text}\n[[entry]]{first}")).unwrap();
    edit(&ar, "status = \"draft\"", "status = \"checked\"");
    // A placeholder that does not match the English.
    let step = "\n[[entry]]\nkey = \"step\"\nen_hash = \"sha256:a0cc2a47480631b7\"\nen = \"Step {number}\"\ntext = \"Bước {so}\"\nstatus = \"draft\"\n";
    let vi_ui = guides.join("translations/vi/_ui.toml");
    let mut text = std::fs::read_to_string(&vi_ui).unwrap();
    text.push_str(step);
    std::fs::write(&vi_ui, text).unwrap();
    // An orphan: a node id that is not in the guide.
    edit(
        &guides.join("translations/vi/clinic.toml"),
        "key = \"fine.advice\"",
        "key = \"gone.advice\"",
    );

    let (ok, out, err) = run(&["guides", "validate", guides.to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("1 guide valid, 0 warnings\n"),
        "the English is fine: {out}"
    );
    let expected = [
        "ar/clinic.toml:12:10: entry `ask.text` is `checked` but has no `checked_by` and `checked_on`",
        "ar/clinic.toml:18:8: `text` of entry `ask.choice.1` has no letters in Arabic script",
        "ar/clinic.toml:22:7: `key` `ask.next` is not a translatable field",
        "ar/clinic.toml:29:7: duplicate key `ask.text` (first used on line 8)",
        "vi/_ui.toml:25:8: `text` of entry `step` has the placeholders {so} but the English has {number}",
        "vi/clinic.toml:61:7: key `gone.advice` names no text of `clinic`",
    ];
    for message in expected {
        assert!(err.contains(message), "expected {message:?} in:\n{err}");
    }
    assert!(
        err.contains("Translations: 6 languages, 6 errors, 1 warning"),
        "{err}"
    );
}

#[test]
fn plain_mode_prints_the_english_then_the_translation_and_never_the_old_text() {
    let (ok, out, err) = run_plain_in(&fixture(), "clinic", "vi", "1\n\n\n");
    assert!(ok, "{err}");
    let stale = "Phần này đã thay đổi và chưa được dịch. Xin hãy hỏi người tư vấn của bạn.";
    let step1 = "Step 1\nHas a clinic asked you for papers?\n  1. Yes\n  2. No\n[Tiếng Việt]\nPhòng khám có hỏi giấy tờ của bạn không?\n  1. Có\n  2. Không\nChoose 1 to 2";
    assert!(
        out.contains(step1),
        "English first, then the translation:\n{out}"
    );
    let step2 = format!("You do not need papers to see a GP.\n[Tiếng Việt]\n{stale}\nPress Enter");
    assert!(
        out.contains(&step2),
        "the stale line for a changed part:\n{out}"
    );
    assert!(
        !out.contains("Bạn không cần giấy tờ"),
        "never the old text:\n{out}"
    );
    assert_eq!(
        out.matches("Bản dịch này chưa được người thông thạo kiểm tra.")
            .count(),
        1,
        "the draft banner once:\n{out}"
    );
    assert!(
        out.contains(&format!("What this means for you: Bạn có thể gặp bác sĩ gia đình (GP).\nHow serious this is: Low risk\n{stale}\nWhat you can do next:\n  - {stale}\nThis is a translation. The English text is the one that counts.\n")),
        "{out}"
    );
    // The adviser's line, in English, of what the record will say.
    assert!(out.contains("Shown to the client in Tiếng Việt (vi); shown as \"not translated yet\" instead: stale (the English changed): clinic:note.text; missing: clinic:fine.action.1, clinic:fine.advice."), "{out}");
}

#[test]
fn plain_mode_in_a_right_to_left_language_keeps_the_logical_order() {
    let (ok, out, err) = run_plain_in(&fixture(), "clinic", "ar", "q\n");
    assert!(ok, "{err}");
    // The bytes as stored: no reordering, no direction marks added.
    assert!(out.contains("[العربية]\n"), "{out}");
    assert!(
        out.contains("\nهل طلبت منك العيادة أوراقك؟\n  1. نعم\n  2. "),
        "{out}"
    );
    assert!(!out.contains(['\u{200F}', '\u{202B}', '\u{2067}']), "{out}");
}

/// The shipped guides and translations, copied to change.
fn shipped_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guides");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("guides"), &path);
    (dir, path)
}

/// Sets the `text` of entry `key` in a translation file, whatever it was.
fn set_text(path: &Path, key: &str, text: &str) {
    let file = std::fs::read_to_string(path).unwrap();
    let marker = format!("key = \"{key}\"\n");
    let start = file.find(&marker).expect("the key is in the file");
    let text_at = start + file[start..].find("\ntext = ").unwrap() + 1;
    let end = text_at + file[text_at..].find('\n').unwrap();
    let changed = format!("{}text = \"{text}\"{}", &file[..text_at], &file[end..]);
    std::fs::write(path, changed).unwrap();
}

/// Each language's stale keys in right-to-work, from `translations status --json`.
fn stale_keys(guides: &Path) -> Vec<(String, Vec<String>)> {
    let (ok, out, err) = run(&[
        "translations",
        "status",
        "--json",
        "--guides-dir",
        guides.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    status
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let file = l["files"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["guide"] == "right-to-work")
                .expect("every language translates right-to-work");
            let keys = file["stale_keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap().to_string())
                .collect();
            (l["code"].as_str().unwrap().to_string(), keys)
        })
        .collect()
}

/// The languages whose right-to-work file has a translation of `q-what.text`.
fn languages_with_text(guides: &Path) -> Vec<String> {
    let mut codes = Vec::new();
    for entry in std::fs::read_dir(guides.join("translations")).unwrap() {
        let path = entry.unwrap().path().join("right-to-work.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let file: toml::Value = toml::from_str(&text).unwrap();
        let translated = file["entry"].as_array().unwrap().iter().any(|e| {
            e["key"].as_str() == Some("q-what.text")
                && !e["text"].as_str().unwrap_or_default().trim().is_empty()
        });
        if translated {
            codes.push(
                file["translation"]["language"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
    }
    codes.sort();
    codes
}

fn stale_warnings(guides: &Path) -> Vec<String> {
    let (_, _, err) = run(&["guides", "validate", guides.to_str().unwrap()]);
    let mut lines: Vec<String> = err
        .lines()
        .filter(|l| l.contains("is stale"))
        .map(|l| l.rsplit("/translations/").next().unwrap().to_string())
        .collect();
    lines.sort();
    lines
}

#[test]
fn changing_one_english_sentence_makes_exactly_its_translations_stale_everywhere() {
    let (_dir, guides) = shipped_copy();
    let translations = guides.join("translations");
    // Whatever the shipped texts are, Vietnamese and Arabic have this sentence translated.
    set_text(
        &translations.join("vi/right-to-work.toml"),
        "q-what.text",
        "Chuyện gì đã xảy ra ở chỗ làm?",
    );
    set_text(
        &translations.join("ar/right-to-work.toml"),
        "q-what.text",
        "ماذا حدث في العمل؟",
    );
    set_text(
        &translations.join("vi/_ui.toml"),
        "stale",
        "Phần này đã thay đổi và chưa được dịch.",
    );
    let before_keys = stale_keys(&guides);
    let before_warnings = stale_warnings(&guides);

    edit(
        &guides.join("right-to-work.toml"),
        "text = \"What has happened at work?\"",
        "text = \"What happened at work?\"",
    );

    let translated = languages_with_text(&guides);
    assert!(translated.contains(&"vi".to_string()) && translated.contains(&"ar".to_string()));
    // translations status: each language gains exactly this key, if it has it translated.
    let after_keys = stale_keys(&guides);
    assert_eq!(after_keys.len(), 6);
    for ((code, before), (_, after)) in before_keys.iter().zip(&after_keys) {
        let added: Vec<&String> = after.iter().filter(|k| !before.contains(k)).collect();
        let expected: Vec<&str> = if translated.contains(code) {
            vec!["q-what.text"]
        } else {
            vec![]
        };
        assert_eq!(added, expected, "{code}");
        assert!(before.iter().all(|k| after.contains(k)), "{code}");
    }
    // guides validate: one new warning per such language, the English still clean.
    let after_warnings = stale_warnings(&guides);
    let added: Vec<&String> = after_warnings
        .iter()
        .filter(|w| !before_warnings.contains(w))
        .collect();
    assert_eq!(added.len(), translated.len(), "{added:#?}");
    for warning in added {
        assert!(
            warning.contains("/right-to-work.toml:")
                && warning.contains("entry `q-what.text` is stale"),
            "{warning}"
        );
    }
    // Plain mode: the fixed line, not the old text.
    let (ok, out, err) = run_plain_in(guides.to_str().unwrap(), "right-to-work", "vi", "q\n");
    assert!(ok, "{err}");
    assert!(out.contains("What happened at work?\n"), "{out}");
    assert!(
        !out.contains("Chuyện gì đã xảy ra"),
        "never the old text:\n{out}"
    );
    let step = out.split("Step 1\n").nth(1).unwrap();
    let translated_block = step.split("[Tiếng Việt]\n").nth(1).unwrap();
    let first_line = translated_block
        .lines()
        .find(|l| !l.starts_with("Bản dịch") && !l.contains("fluent"))
        .unwrap();
    assert_eq!(
        first_line, "Phần này đã thay đổi và chưa được dịch.",
        "{out}"
    );
}

#[test]
fn a_po_file_goes_out_and_comes_back_into_the_guides_folder() {
    let (dir, guides) = fixture_copy();
    let po = dir.path().join("vi.po");
    let (ok, out, err) = run(&[
        "--guides-dir",
        guides.to_str().unwrap(),
        "translations",
        "export",
        "--language",
        "vi",
        "--guide",
        "clinic",
        "-o",
        po.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(out.starts_with("Wrote "), "{out}");
    let text = std::fs::read_to_string(&po).unwrap();
    assert!(
        text.contains("#, fuzzy\n#| msgid \"You do not need papers to see a doctor.\"\n"),
        "{text}"
    );
    // Not over an existing file without --force.
    let (ok, _, _) = run(&[
        "--guides-dir",
        guides.to_str().unwrap(),
        "translations",
        "export",
        "--language",
        "vi",
        "-o",
        po.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert_eq!(std::fs::read_to_string(&po).unwrap(), text);

    std::fs::write(
        &po,
        text.replace(
            "msgid \"Ask the GP to register you. It is free.\"\nmsgstr \"\"",
            "msgid \"Ask the GP to register you. It is free.\"\nmsgstr \"Hãy nhờ bác sĩ GP đăng ký cho bạn. Việc này miễn phí.\"",
        ),
    )
    .unwrap();
    let (ok, _, err) = run(&["translations", "import", po.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("--guides-dir"), "{err}");
    let (ok, out, err) = run(&[
        "--guides-dir",
        guides.to_str().unwrap(),
        "translations",
        "import",
        po.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("clinic.toml: 1 translated, 1 fuzzy (still stale), 6 unchanged"),
        "{out}"
    );
    let (_, out, _) = run(&[
        "translations",
        "status",
        "--language",
        "vi",
        "--guides-dir",
        guides.to_str().unwrap(),
    ]);
    assert!(
        out.contains(
            "clinic: 7 of 9 parts translated (77%); 1 current, 6 unchecked, 1 stale, 1 missing"
        ),
        "{out}"
    );
}
