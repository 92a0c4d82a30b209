//! The client's language in the app, driven in the real binary: a walk in Vietnamese side
//! by side at 100x30 and stacked at 80x24, the right-to-left check asked once per machine
//! (its answer kept and shown in the settings), and a part whose English changed showing
//! the fixed line instead of the old translation.
//!
//! The translations are fixtures written into a copy of the shipped guides (given with
//! `--guides-dir`), made from the guides' English as it is now, so the tests do not depend
//! on how far the translators have got.

mod common;

use std::path::Path;

use common::{Terminal, env_refs, home_in};
use sanctuary::guide::{GuideSource, Library};
use sanctuary::translation::{en_hash, guide_fields};
use serde::Serialize;

const DOWN: &str = "\x1b[B";
const F4: &str = "\x1bOS";
const F5: &str = "\x1b[15~";
const END: &str = "\x1b[F";
const CTRL_R: &str = "\x12";
const ESC: &str = "\x1b";

/// The Vietnamese the fixture gives the first question of right-to-work (a fixture, not
/// a checked translation).
const VI_QUESTION: &str = "Chuyện gì đã xảy ra ở nơi làm việc?";
const VI_CHOICES: [&str; 2] = [
    "Một công việc muốn kiểm tra quyền làm việc của tôi",
    "Tôi không được nhận việc sau khi bị kiểm tra",
];
/// The old Vietnamese of choice 3, made from English that has since changed.
const VI_OLD_CHOICE: &str = "Tôi bị mất việc (bản cũ)";
const VI_STALE_LINE: &str = "Phần này đã thay đổi và chưa được dịch.";
const AR_SAMPLE: &str = "هذه ترجمة. النص الإنجليزي هو الذي يعتد به.";

#[derive(Serialize)]
struct File {
    translation: Header,
    entry: Vec<Entry>,
}

#[derive(Serialize)]
struct Header {
    guide: String,
    language: String,
    name: String,
    direction: String,
}

#[derive(Serialize)]
struct Entry {
    key: String,
    en_hash: String,
    en: String,
    text: String,
    status: String,
}

fn entry(key: &str, english: &str, text: &str) -> Entry {
    Entry {
        key: key.into(),
        en_hash: en_hash(english),
        en: english.into(),
        text: text.into(),
        status: if text.is_empty() {
            "draft"
        } else {
            "translated"
        }
        .into(),
    }
}

fn write_file(
    dir: &Path,
    language: &str,
    name: &str,
    direction: &str,
    guide: &str,
    entry: Vec<Entry>,
) {
    let folder = dir.join("translations").join(language);
    std::fs::create_dir_all(&folder).unwrap();
    let file = File {
        translation: Header {
            guide: guide.into(),
            language: language.into(),
            name: name.into(),
            direction: direction.into(),
        },
        entry,
    };
    std::fs::write(
        folder.join(format!("{guide}.toml")),
        toml::to_string(&file).unwrap(),
    )
    .unwrap();
}

/// The English of a fixed line of the client's, from `ui-strings.toml`.
fn ui_english(key: &str) -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/guides/translations/ui-strings.toml"
    ))
    .unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    value["string"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"].as_str() == Some(key))
        .and_then(|s| s["en"].as_str())
        .unwrap()
        .to_string()
}

/// A copy of the shipped guides in `dir`, with fixture translations: Vietnamese for the
/// first question of right-to-work (its third choice stale) and the stale line, and an
/// Arabic "the English is what counts" line for the right-to-left check.
fn guides_with_translations(dir: &Path) {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("guides");
    for file in std::fs::read_dir(&shipped).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let library = Library::load(&GuideSource::Dir(dir.to_path_buf()), today, None).unwrap();
    let guide = library.guide("right-to-work").unwrap();
    let entries = guide_fields(guide)
        .into_iter()
        .map(|(key, english)| match key.as_str() {
            "q-what.text" => entry(&key, &english, VI_QUESTION),
            "q-what.choice.1" => entry(&key, &english, VI_CHOICES[0]),
            "q-what.choice.2" => entry(&key, &english, VI_CHOICES[1]),
            "q-what.choice.3" => entry(&key, "I lost my job after a check", VI_OLD_CHOICE),
            _ => entry(&key, &english, ""),
        })
        .collect();
    write_file(dir, "vi", "Tiếng Việt", "ltr", "right-to-work", entries);
    let stale = format!("{VI_STALE_LINE} Vui lòng hỏi người tư vấn của bạn.");
    write_file(
        dir,
        "vi",
        "Tiếng Việt",
        "ltr",
        "_ui",
        vec![entry("stale", &ui_english("stale"), &stale)],
    );
    write_file(
        dir,
        "ar",
        "العربية",
        "rtl",
        "_ui",
        vec![entry(
            "english-counts",
            &ui_english("english-counts"),
            AR_SAMPLE,
        )],
    );
}

/// The app on the fixture guides, sized `cols` x `rows`, with its own HOME.
fn start(dir: &Path, cols: u16, rows: u16) -> Terminal {
    let guides = dir.join("guides");
    let guides = guides.display().to_string();
    let env = home_in(dir);
    let env = env_refs(&env);
    Terminal::start_sized(
        Some(dir),
        &["--guides-dir", &guides, "guide", "run", "right-to-work"],
        &env,
        cols,
        rows,
    )
}

fn fixture_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("guides")).unwrap();
    guides_with_translations(&dir.path().join("guides"));
    dir
}

/// Moves the chooser's highlight to the language whose line holds `name`, and picks it.
fn choose_language(t: &mut Terminal, name: &str) {
    t.send(F5);
    t.wait_for("The client's language");
    for _ in 0..20 {
        let rows = t.rows();
        if rows.iter().any(|r| r.starts_with("> ") && r.contains(name)) {
            t.send("\r");
            return;
        }
        t.send(DOWN);
        std::thread::sleep(std::time::Duration::from_millis(40));
    }
    panic!("no {name} in the chooser:\n{}", t.screen());
}

/// The row holding `text`.
fn row_with<'a>(rows: &'a [String], text: &str) -> &'a str {
    rows.iter()
        .find(|r| r.contains(text))
        .unwrap_or_else(|| panic!("no row with {text:?}:\n{}", rows.join("\n")))
}

#[test]
fn a_walk_in_vietnamese_stands_side_by_side_at_100_columns_with_one_numbering() {
    let dir = fixture_dir();
    let mut t = start(dir.path(), 100, 30);
    t.wait_for("What has happened at work?");
    choose_language(&mut t, "Tiếng Việt (Vietnamese)");
    t.wait_for(VI_QUESTION);
    let rows = t.rows();
    // English left, Vietnamese right, level with each other.
    let heading = row_with(&rows, "│ Tiếng Việt");
    assert!(heading.starts_with("English"), "{heading}");
    assert!(
        heading.contains("DRAFT"),
        "a draft badge in words: {heading}"
    );
    let question = row_with(&rows, "What has happened at work?");
    assert!(question.contains(VI_QUESTION), "{question}");
    let two = row_with(&rows, "2. I did not get a job");
    assert!(two.contains("2. Tôi không được nhận việc"), "{two}");
    // The stale choice: the fixed line for the client, never the old text; a marker
    // for the adviser.
    let three = row_with(&rows, "3. I lost my job");
    assert!(three.contains(VI_STALE_LINE), "{three}");
    assert!(!t.screen().contains(VI_OLD_CHOICE));
    assert!(t.screen().contains("the English changed"), "{}", t.screen());
    // 2 is the same answer in both: it goes on to the next step.
    t.send("2");
    t.wait_for("(step 2)");
    // l swaps: the Vietnamese goes left.
    t.send("l");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let rows = t.rows();
    assert!(
        row_with(&rows, "│ English").starts_with("Tiếng Việt"),
        "{}",
        rows.join("\n")
    );
}

#[test]
fn a_walk_in_vietnamese_is_stacked_at_80x24_and_l_puts_the_english_on_top() {
    let dir = fixture_dir();
    let mut t = start(dir.path(), 80, 24);
    t.wait_for("What has happened at work?");
    choose_language(&mut t, "Tiếng Việt (Vietnamese)");
    t.wait_for(VI_QUESTION);
    let rows = t.rows();
    let vi = rows.iter().position(|r| r.contains(VI_QUESTION)).unwrap();
    let heading = rows
        .iter()
        .position(|r| r.starts_with("Tiếng Việt"))
        .unwrap();
    assert!(heading < vi, "{}", rows.join("\n"));
    assert!(row_with(&rows, "1. Một công việc").starts_with("> 1."));
    assert!(!rows.iter().any(|r| r.contains("│")), "not side by side");
    // Further down: the rule, then the English with the same numbers.
    t.send(END);
    t.wait_for("2. I did not get a job");
    let screen = t.screen();
    assert!(screen.contains("────"), "{screen}");
    assert!(!screen.contains(VI_OLD_CHOICE), "{screen}");
    // l: the English on top.
    t.send("l");
    t.send("\x1b[H");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let rows = t.rows();
    let english = rows.iter().position(|r| r.starts_with("English")).unwrap();
    let question = rows
        .iter()
        .position(|r| r.contains("What has happened at work?"))
        .unwrap();
    assert!(english < question, "{}", rows.join("\n"));
}

#[test]
fn the_right_to_left_check_is_asked_once_and_its_answer_is_kept_and_shown_in_the_settings() {
    let dir = fixture_dir();
    let mut t = start(dir.path(), 80, 24);
    t.wait_for("What has happened at work?");
    choose_language(&mut t, "Arabic");
    t.wait_for("which line reads right?");
    // The sample from the fixture's translation file, as stored and reordered. The heading can
    // be on screen before the rest of the dialog is drawn, so wait for its last choice.
    let screen = t.wait_for("3. Neither reads right");
    assert!(screen.contains("1. "), "{screen}");
    assert!(screen.contains("2. "), "{screen}");
    t.send("3");
    // Neither: Arabic stays off the screen, and the client pane says where their copy is.
    let screen = t.wait_for("printed hand-out");
    assert!(screen.contains("Arabic (ar)"), "{screen}");
    assert!(!screen.contains("العربية"), "{screen}");
    let settings = dir.path().join("config/sanctuary/settings.toml");
    let kept = std::fs::read_to_string(&settings).unwrap();
    assert!(kept.contains("rtl_display = \"off\""), "{kept}");
    t.send("\x18");
    t.wait_exit();

    // Again on the same machine: not asked again.
    let mut t = start(dir.path(), 80, 24);
    t.wait_for("What has happened at work?");
    choose_language(&mut t, "Arabic");
    t.wait_for("printed hand-out");
    assert!(!t.screen().contains("which line reads right?"));
    // The settings show the answer, and Ctrl-r asks again.
    t.send("q");
    t.wait_for("F4 setup");
    t.send(F4);
    t.wait_for("Right-to-left text on this computer: kept out of the terminal");
    t.send(CTRL_R);
    t.wait_for("which line reads right?");
    t.send("2");
    t.wait_for("reordered by sanctuary");
    let kept = std::fs::read_to_string(&settings).unwrap();
    assert!(kept.contains("rtl_display = \"reordered\""), "{kept}");
    t.send(ESC);
}

/// The review writes only to an organisation's copy: without --guides-dir it says so and
/// stops, before it needs a terminal.
#[test]
fn translations_review_without_a_guides_folder_says_it_needs_one() {
    let dir = tempfile::tempdir().unwrap();
    let env = home_in(dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(["translations", "review", "--language", "vi"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("--guides-dir"), "{said}");
    assert!(said.contains("never changed"), "{said}");
}
