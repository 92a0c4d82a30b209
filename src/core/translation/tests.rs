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
        problems
            .iter()
            .any(|p| p.severity == Severity::Error
                && p.message.contains("not mostly in Arabic script")),
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
    assert_eq!(codes, ["ar", "ckb", "fa", "ps", "ti", "vi"]);
    for language in translations.languages() {
        let files: Vec<&str> = language.guides().collect();
        assert_eq!(
            files,
            [
                "_ui",
                "data-sharing",
                "glossary",
                "reporting-abuse",
                "right-to-work"
            ],
            "{}",
            language.code
        );
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
