use std::path::PathBuf;

use super::*;
use crate::guide::{GuideSource, Library, Severity};

fn date(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

/// The fixture guide `clinic` with its Vietnamese and Arabic files (tests/fixtures).
fn fixture_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/translated-guide"
    ))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn fixture_library(dir: &Path) -> Library {
    Library::load(
        &GuideSource::Dir(dir.to_path_buf()),
        date("2026-12-05"),
        None,
    )
    .unwrap()
}

#[test]
fn each_field_is_current_unchecked_stale_or_missing() {
    let library = fixture_library(&fixture_dir());
    let vi = library.translations().require("vi").unwrap();
    assert_eq!(
        (vi.name.as_str(), vi.direction),
        ("Tiếng Việt", Direction::Ltr)
    );
    let guide = library.guide("clinic").unwrap();
    let english: HashMap<String, String> = guide_fields(guide).into_iter().collect();
    let shown = |key: &str| vi.field("clinic", key, &english[key]);
    assert_eq!(
        shown("guide.summary"),
        Shown::Current("Phòng khám có thể hỏi bạn những gì.".into())
    );
    assert_eq!(shown("ask.choice.1"), Shown::Unchecked("Có".into()));
    assert_eq!(
        shown("note.text"),
        Shown::Stale {
            old_text: "Bạn không cần giấy tờ để gặp bác sĩ.".into(),
            old_en: "You do not need papers to see a doctor.".into()
        }
    );
    assert_eq!(shown("fine.advice"), Shown::Missing, "an empty text");
    assert_eq!(shown("fine.action.1"), Shown::Missing, "no entry");
    assert_eq!(vi.field("other-guide", "guide.title", "x"), Shown::Missing);
    // The hash ignores spacing, so re-wrapping the English changes nothing.
    assert_eq!(
        vi.field(
            "clinic",
            "ask.text",
            "Has a clinic\n   asked you for papers? "
        ),
        Shown::Unchecked("Phòng khám có hỏi giấy tờ của bạn không?".into())
    );
    // And a comma is a change.
    assert!(matches!(
        vi.field("clinic", "ask.text", "Has a clinic, asked you for papers?"),
        Shown::Stale { .. }
    ));
    let ar = library.translations().require("ar").unwrap();
    assert_eq!(
        (ar.name.as_str(), ar.direction),
        ("العربية", Direction::Rtl)
    );
}

#[test]
fn fixed_lines_come_from_the_folder_in_place_of_the_shipped_file() {
    let library = fixture_library(&fixture_dir());
    let vi = library.translations().require("vi").unwrap();
    assert!(matches!(vi.ui("stale"), Shown::Unchecked(t) if t.starts_with("Phần này đã thay đổi")));
    assert_eq!(vi.ui("no-such-line"), Shown::Missing);
    assert!(vi.stale_line().starts_with("Phần này đã thay đổi"));
    // Arabic has no `stale` line in the folder; the shipped file is used (its text, or the
    // English when the shipped file has none yet).
    let ar = library.translations().require("ar").unwrap();
    let english = &library.translations().ui_strings().fields()[0];
    assert_eq!(english.0, "stale");
    match ar.ui("stale") {
        Shown::Current(t) | Shown::Unchecked(t) => assert_eq!(ar.stale_line(), t),
        _ => assert_eq!(ar.stale_line(), english.1),
    }
    // The shipped languages stay when a folder adds its own.
    assert!(library.translations().language("ti").is_some());
}

#[test]
fn an_unknown_language_is_an_error_that_names_it() {
    let library = fixture_library(&fixture_dir());
    let error = library.translations().require("xx").unwrap_err();
    assert!(error.to_string().contains("`xx`"), "{error}");
}

#[test]
fn status_counts_each_state_per_file() {
    let library = fixture_library(&fixture_dir());
    let status = library.translations().status(&library, Some("vi"));
    assert_eq!(status.len(), 1);
    let clinic = status[0]
        .files
        .iter()
        .find(|c| c.guide == "clinic")
        .unwrap();
    assert_eq!(
        (
            clinic.entries,
            clinic.current,
            clinic.unchecked,
            clinic.stale,
            clinic.missing,
            clinic.orphan
        ),
        (8, 1, 5, 1, 2, 0)
    );
    assert_eq!(clinic.stale_keys, ["note.text"]);
    assert_eq!(clinic.fields(), 9);
    assert_eq!(clinic.percent(), 66, "6 of 9, rounded down");
}

#[test]
fn changing_one_english_sentence_makes_exactly_its_translations_stale() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(), dir.path());
    let guide = dir.path().join("clinic.toml");
    let text = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(
        &guide,
        text.replace(
            "Has a clinic asked you for papers?",
            "Has a clinic asked for your papers?",
        ),
    )
    .unwrap();
    let library = fixture_library(dir.path());
    let stale: Vec<(String, Vec<String>)> = library
        .translations()
        .status(&library, None)
        .into_iter()
        .filter_map(|l| {
            let clinic = l.files.into_iter().find(|c| c.guide == "clinic")?;
            Some((l.code, clinic.stale_keys))
        })
        .collect();
    assert_eq!(
        stale,
        [
            ("ar".to_string(), vec!["ask.text".to_string()]),
            (
                "vi".to_string(),
                vec!["ask.text".to_string(), "note.text".to_string()]
            ),
        ]
    );
    let warnings: Vec<String> = library
        .translations()
        .check(&library)
        .into_iter()
        .filter(|p| p.severity == Severity::Warning)
        .map(|p| {
            format!(
                "{}:{}",
                Path::new(&p.file).file_name().unwrap().display(),
                p.message
            )
        })
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(
        warnings
            .iter()
            .filter(|w| w.contains("`ask.text` is stale"))
            .count()
            == 2
    );
}

#[test]
fn a_folder_file_that_is_broken_or_misplaced_is_not_used_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(), dir.path());
    let translations = dir.path().join("translations");
    // Vietnamese text put in the Arabic folder.
    std::fs::copy(
        translations.join("vi/clinic.toml"),
        translations.join("ar/clinic.toml"),
    )
    .unwrap();
    std::fs::create_dir(translations.join("fa")).unwrap();
    std::fs::write(
        translations.join("fa/clinic.toml"),
        "[translation]\nguide = 1\n",
    )
    .unwrap();
    let library = fixture_library(dir.path());
    let problems = library.translations().check(&library);
    let errors: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        errors
            .iter()
            .any(|e| e
                .contains("ar/clinic.toml:1:1: this file says it translates `clinic` into `vi`")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("fa/clinic.toml:2:9:")),
        "{errors:#?}"
    );
    let ar = library.translations().require("ar").unwrap();
    assert_eq!(ar.file("clinic"), None, "not used");
    assert_eq!(ar.field("clinic", "ask.choice.1", "Yes"), Shown::Missing);
}

#[test]
fn an_entry_with_an_error_is_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(), dir.path());
    let path = dir.path().join("translations/ar/clinic.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // Latin text in the Arabic file.
    std::fs::write(&path, text.replace("\"نعم\"", "\"Yes please\"")).unwrap();
    let library = fixture_library(dir.path());
    let ar = library.translations().require("ar").unwrap();
    assert_eq!(ar.field("clinic", "ask.choice.1", "Yes"), Shown::Missing);
    let problems = library.translations().check(&library);
    assert!(
        problems.iter().any(|p| p.severity == Severity::Error
            && p.message.contains("has no letters in Arabic script")),
        "{problems:#?}"
    );
}

#[test]
fn the_shipped_translations_cover_six_languages_and_have_no_errors() {
    let library = Library::load(&GuideSource::Embedded, date("2026-12-05"), None).unwrap();
    let translations = library.translations();
    let codes: Vec<&str> = translations
        .languages()
        .iter()
        .map(|l| l.code.as_str())
        .collect();
    for code in ["ar", "ckb", "fa", "ps", "ti", "vi"] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    for language in translations.languages() {
        let files: Vec<&str> = language.guides().collect();
        // At least the three first guides, the glossary and the fixed lines.
        for needed in [
            "_ui",
            "data-sharing",
            "glossary",
            "reporting-abuse",
            "right-to-work",
        ] {
            assert!(
                files.contains(&needed),
                "{}: {needed} in {files:?}",
                language.code
            );
        }
        let rtl = ["ar", "fa", "ps", "ckb"].contains(&language.code.as_str());
        assert_eq!(
            language.direction == Direction::Rtl,
            rtl,
            "{}",
            language.code
        );
    }
    let errors: Vec<String> = translations
        .check(&library)
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Every key the scaffold wrote names a field of today's guides (no orphans), so the
    // key rules here and in the scaffold agree.
    for status in translations.status(&library, None) {
        assert!(status.files.iter().all(|c| c.orphan == 0), "{status:#?}");
    }
}

#[test]
fn the_shipped_ui_lines_include_the_agreed_keys() {
    let translations = Translations::load(None);
    let keys: Vec<String> = translations
        .ui_strings()
        .fields()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    for key in ["stale", "draft-banner", "english-counts"] {
        assert!(keys.iter().any(|k| k == key), "{key}");
    }
}

#[test]
fn the_advice_record_stays_english_and_names_the_parts_not_shown_translated() {
    let library = fixture_library(&fixture_dir());
    let vi = library.translations().require("vi").unwrap();
    let mut session = crate::guide::Session::new(library.guide("clinic").unwrap().clone());
    let mut shown = ShownInLanguage::new(vi);
    let show_step = |session: &crate::guide::Session, shown: &mut ShownInLanguage| {
        for (key, english) in node_fields(session.current()) {
            shown.show(vi, "clinic", &key, &english);
        }
    };
    show_step(&session, &mut shown);
    session.choose(0).unwrap();
    show_step(&session, &mut shown);
    session.proceed().unwrap();
    show_step(&session, &mut shown);
    let mut summary = session.summary(date("2026-12-05")).unwrap();
    summary.client_language = Some(shown);
    let text = summary.to_text();
    assert!(
        text.contains(
            "Shown to the client in Tiếng Việt (vi); shown as \"not translated yet\" instead: \
             stale (the English changed): clinic:note.text; missing: clinic:fine.action.1, \
             clinic:fine.advice. Some of the translation shown was not checked by a fluent speaker.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("Outcome: You can see a GP. [LOW RISK]"),
        "{text}"
    );
    assert!(!text.contains("Bạn"), "the record is English: {text}");
}

#[test]
fn a_record_where_everything_was_translated_says_so() {
    let library = fixture_library(&fixture_dir());
    let vi = library.translations().require("vi").unwrap();
    let mut shown = ShownInLanguage::new(vi);
    shown.show(
        vi,
        "clinic",
        "guide.summary",
        "What a clinic may ask you for.",
    );
    assert_eq!(
        shown.record_line(),
        "Shown to the client in Tiếng Việt (vi); every part shown was translated."
    );
}

mod po_files {
    use super::*;
    use crate::translation::po::{Imported, export, import, parse_po};

    /// Imports the PO text `text` (named `name`) into the guides folder `dir`.
    fn import_text(
        library: &Library,
        name: &str,
        text: &str,
        dir: &Path,
    ) -> Result<Vec<Imported>, TranslationError> {
        import(
            library.translations(),
            library,
            name,
            &parse_po(name, text).unwrap(),
            dir,
        )
    }

    #[test]
    fn a_stale_entry_is_fuzzy_with_its_old_english_and_escapes_survive() {
        let library = fixture_library(&fixture_dir());
        let vi = library.translations().require("vi").unwrap();
        let text = export(library.translations(), &library, vi, Some("clinic")).unwrap();
        assert!(
            text.starts_with("msgid \"\"\nmsgstr \"\"\n\"Language: vi\\n\"\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "#, fuzzy\n#| msgid \"You do not need papers to see a doctor.\"\nmsgctxt \"clinic:note.text\"\nmsgid \"You do not need papers to see a GP.\"\nmsgstr \"Bạn không cần giấy tờ để gặp bác sĩ.\"\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "msgctxt \"clinic:fine.action.1\"\nmsgid \"Ask for help.\"\nmsgstr \"\"\n"
            ),
            "a field with no entry is offered too"
        );
        let po = parse_po("vi.po", &text).unwrap();
        assert_eq!(po.language.as_deref(), Some("vi"));
        assert_eq!(po.entries.len(), 9);
        let note = po
            .entries
            .iter()
            .find(|e| e.context.as_deref() == Some("clinic:note.text"))
            .unwrap();
        assert!(note.fuzzy);
        assert_eq!(
            note.previous.as_deref(),
            Some("You do not need papers to see a doctor.")
        );

        let tricky = "msgid \"\"\nmsgstr \"Language: vi\\n\"\n\n#: x\nmsgctxt \"a:b\"\nmsgid \"\"\n\"Say \\\"hi\\\"\\n\"\n\"then go\"\nmsgstr \"\"\n\"Nói \\\"chào\\\"\\n\"\n\"rồi đi\"\n";
        let po = parse_po("t.po", tricky).unwrap();
        assert_eq!(po.entries[0].msgid, "Say \"hi\"\nthen go");
        assert_eq!(po.entries[0].msgstr, "Nói \"chào\"\nrồi đi");
        assert_eq!(po.entries[0].line, 4);
        let error = parse_po("t.po", "msgid \"a\"\nmsgstr \"b\nwhat\n").unwrap_err();
        assert!(error.to_string().starts_with("t.po:2:1:"), "{error}");
    }

    #[test]
    fn msgid_and_msgstr_begin_and_end_alike_as_gettext_requires() {
        // Several shipped texts are multi-line TOML strings ending in a line break.
        let library = Library::load(&GuideSource::Embedded, date("2026-12-05"), None).unwrap();
        let english_ends_in_newline = library
            .guides
            .iter()
            .flat_map(|g| guide_fields(g))
            .any(|(_, english)| english.ends_with('\n'));
        assert!(english_ends_in_newline, "the case this test is about");
        for language in library.translations().languages() {
            let text = export(library.translations(), &library, language, None).unwrap();
            for entry in parse_po("x.po", &text).unwrap().entries {
                for string in [&entry.msgid, &entry.msgstr] {
                    assert_eq!(string.trim(), string, "{:?}", entry.context);
                }
            }
        }
    }

    #[test]
    fn export_then_import_round_trips_and_never_marks_checked() {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture_dir(), dir.path());
        let library = fixture_library(dir.path());
        let vi = library.translations().require("vi").unwrap();
        let text = export(library.translations(), &library, vi, None).unwrap();
        let untouched = import_text(&library, "vi.po", &text, dir.path()).unwrap();
        assert!(
            untouched.iter().all(|i| i.translated == 0),
            "{untouched:#?}"
        );
        let again = fixture_library(dir.path());
        let english: Vec<(String, String)> = guide_fields(again.guide("clinic").unwrap());
        let before = library.translations().require("vi").unwrap();
        let after = again.translations().require("vi").unwrap();
        for (key, en) in &english {
            assert_eq!(
                before.field("clinic", key, en),
                after.field("clinic", key, en),
                "{key}"
            );
        }

        // A volunteer fills one field, edits the fuzzy one without clearing the flag, and
        // changes a checked text.
        let edited = text
            .replace(
                "msgid \"Ask for help.\"\nmsgstr \"\"",
                "msgid \"Ask for help.\"\nmsgstr \"Hãy nhờ giúp đỡ.\"",
            )
            .replace(
                "msgstr \"Bạn không cần giấy tờ để gặp bác sĩ.\"",
                "msgstr \"Bạn không cần giấy tờ.\"",
            )
            .replace(
                "msgstr \"Phòng khám có thể hỏi bạn những gì.\"",
                "msgstr \"Phòng khám có thể hỏi gì.\"",
            );
        let report = import_text(&library, "vi.po", &edited, dir.path()).unwrap();
        let clinic = report
            .iter()
            .find(|i| i.path.ends_with("vi/clinic.toml"))
            .unwrap();
        assert_eq!((clinic.translated, clinic.fuzzy), (2, 1));
        let again = fixture_library(dir.path());
        let vi = again.translations().require("vi").unwrap();
        assert_eq!(
            vi.field("clinic", "fine.action.1", "Ask for help."),
            Shown::Unchecked("Hãy nhờ giúp đỡ.".into())
        );
        assert!(matches!(
            vi.field("clinic", "note.text", "You do not need papers to see a GP."),
            Shown::Stale { old_text, .. } if old_text == "Bạn không cần giấy tờ."
        ));
        assert_eq!(
            vi.field("clinic", "guide.summary", "What a clinic may ask you for."),
            Shown::Unchecked("Phòng khám có thể hỏi gì.".into()),
            "a changed text is no longer checked"
        );
        assert!(
            again
                .translations()
                .check(&again)
                .iter()
                .all(|p| p.severity == Severity::Warning)
        );
    }

    #[test]
    fn an_import_with_a_bad_text_writes_nothing_and_names_the_po_line() {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture_dir(), dir.path());
        let library = fixture_library(dir.path());
        let ar = library.translations().require("ar").unwrap();
        let text = export(library.translations(), &library, ar, Some("clinic")).unwrap();
        let path = dir.path().join("translations/ar/clinic.toml");
        let before = std::fs::read_to_string(&path).unwrap();
        let edited = text
            .replace("msgid \"No\"\nmsgstr \"\"", "msgid \"No\"\nmsgstr \"لا\"")
            .replace(
                "msgid \"Ask for help.\"\nmsgstr \"\"",
                "msgid \"Ask for help.\"\nmsgstr \"Ask for help\"",
            );
        let error = import_text(&library, "ar.po", &edited, dir.path()).unwrap_err();
        let line = edited
            .lines()
            .position(|l| l == "msgctxt \"clinic:fine.action.1\"")
            .unwrap()
            + 1;
        assert!(
            error.to_string().starts_with(&format!(
                "ar.po:{line}:1: msgstr has no letters in Arabic script"
            )),
            "{error}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            before,
            "nothing written"
        );
        let orphan = text.replace("clinic:fine.title", "clinic:gone.title");
        let error = import_text(&library, "ar.po", &orphan, dir.path());
        assert!(
            error.is_ok(),
            "an empty text is skipped before its key matters"
        );
        let orphan = orphan.replace(
            "msgid \"You can see a GP.\"\nmsgstr \"\"",
            "msgid \"You can see a GP.\"\nmsgstr \"يمكنك\"",
        );
        let error = import_text(&library, "ar.po", &orphan, dir.path()).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`gone.title` names no text of `clinic`"),
            "{error}"
        );
    }
}

#[test]
fn a_character_the_hand_out_fonts_lack_is_an_error_naming_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(), dir.path());
    let path = dir.path().join("translations/vi/clinic.toml");
    // An emoji (no hand-out font has one) in a Vietnamese text.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"Có\"", "\"Có 🙂\"")).unwrap();
    let library = fixture_library(dir.path());
    let problems: Vec<String> = library
        .translations()
        .check(&library)
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.to_string())
        .collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].ends_with(
            "vi/clinic.toml:34:8: `text` of entry `ask.choice.1` holds `🙂` (U+1F642), which the hand-out's fonts cannot print: use another character, or add a font that has it to assets/fonts"
        ),
        "{}",
        problems[0]
    );
    // The shipped scripts are all covered, marks and joiners included.
    for (language, text) in [
        ("vi", "Chuyện gì đã xảy ra ở chỗ làm?"),
        ("ar", "ماذا حدث في العمل؟ لا"),
        ("fa", "می\u{200C}خواهم"),
        ("ps", "ټ ډ ړ ښ ږ ځ څ ګ ڼ ۍ ې"),
        ("ckb", "ە ێ ۆ ڵ ڕ"),
        ("ti", "ሓኪምካ ደውል።"),
    ] {
        assert_eq!(check::uncovered_char(text, language), None, "{language}");
    }
}
