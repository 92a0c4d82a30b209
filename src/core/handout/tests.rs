use chrono::NaiveDate;

use super::*;

pub(crate) fn sample(language: Language, title: &str, advice: &str, steps: &[&str]) -> Handout {
    let english = Language::left_to_right("en-GB");
    Handout {
        title: "Your notes from today".into(),
        author: "Test Law Centre".into(),
        date: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default(),
        language: language.clone(),
        parts: vec![
            Part {
                language,
                blocks: vec![
                    Block::Title(title.into()),
                    Block::Paragraph(advice.into()),
                    Block::List(steps.iter().map(|s| (*s).to_string()).collect()),
                ],
            },
            Part {
                language: english,
                blocks: vec![
                    Block::Title("Your notes from today".into()),
                    Block::Paragraph("Call 111 or see a GP. The English is what counts.".into()),
                ],
            },
        ],
    }
}

#[test]
fn renders_arabic_ethiopic_and_vietnamese() {
    let cases = [
        (
            Language::right_to_left("ar"),
            "ملاحظاتك من اليوم",
            "لا يحق لعيادة الطبيب العام (GP) أن تطلب منك أوراق الهجرة. اتصل بالرقم 111 إذا احتجت إلى مساعدة عاجلة. السلام عليكم.",
        ),
        (
            Language::left_to_right("ti"),
            "ናይ ሎሚ መዘኻኸሪታትካ",
            "ክሊኒክ ሓኪም (GP) ወረቐት ኢሚግሬሽን ክሓተካ መሰል የብሉን። ህጹጽ ሓገዝ እንተ ደሊኻ ናብ 111 ደውል።",
        ),
        (
            Language::right_to_left("ps"),
            "ستاسو نن ورځ یادښتونه",
            "ټول ډاکټران (GP) ستاسو مرسته کوي. ړومبی ګام: ښه پوښتنه وکړئ. ږغ، ځای، څوک، ڼ، ۍ، ې. که بیړنۍ مرسته غواړئ 111 ته زنګ ووهئ.",
        ),
        (
            Language::right_to_left("ckb"),
            "تێبینییەکانی ئەمڕۆت",
            "پزیشکی گشتی (GP) ناتوانێت داوای بەڵگەنامەت لێ بکات. ئەگەر یارمەتی خێرات پێویستە پەیوەندی بە 111 بکە. ڕۆژ، ۆ، ڵ.",
        ),
        (
            Language::left_to_right("vi"),
            "Ghi chú của bạn hôm nay",
            "Phòng khám bác sĩ (GP) không được yêu cầu bạn xuất trình giấy tờ nhập cư. Hãy gọi 111 nếu bạn cần giúp đỡ khẩn cấp.",
        ),
    ];
    for (language, title, advice) in cases {
        let tag = language.tag.clone();
        let handout = sample(language, title, advice, &["خطوة أولى", "Step two 2026"]);
        let pdf = render_handout(&handout).expect("renders");
        assert!(pdf.starts_with(b"%PDF-1.7"));
        if let Ok(dir) = std::env::var("HANDOUT_SAMPLES") {
            std::fs::write(format!("{dir}/{tag}.pdf"), &pdf).expect("writes");
        }
    }
}

use super::fonts::{FontId, Weight, fonts};
use super::shape::{SetLine, Style, set_paragraph};

const BODY: Style = Style::regular(11.0);

fn set(text: &str, language: &str, direction: Direction, width: f32) -> Vec<SetLine> {
    set_paragraph(
        fonts().expect("fonts"),
        text,
        language,
        direction,
        BODY,
        width,
    )
    .expect("sets")
}

/// The glyph the font's cmap gives a character (its isolated, unshaped form).
fn plain_glyph(family: super::fonts::Family, ch: char) -> u16 {
    let font = fonts().expect("fonts").get(FontId {
        family,
        weight: Weight::Regular,
    });
    font.shaping.glyph_index(ch).map(|g| g.0).unwrap_or(0)
}

#[test]
fn arabic_is_joined_and_lam_alef_takes_its_own_form() {
    use super::fonts::Family;
    // "لا": Naskh draws lam-alef with a lam of its own shape (a contextual form, not the
    // isolated or initial lam), the alef tucked under it.
    let line = &set("لا", "ar", Direction::RightToLeft, 500.0)[0];
    let lam = line.glyphs.iter().find(|g| g.text.as_deref() == Some("ل"));
    let lam = lam.map_or_else(|| line.glyphs[0].glyph, |g| g.glyph);
    assert_ne!(lam, plain_glyph(Family::Arabic, 'ل'), "{:?}", line.glyphs);
    let initial_lam = set("لب", "ar", Direction::RightToLeft, 500.0)[0]
        .glyphs
        .iter()
        .find(|g| g.text.as_deref() == Some("ل"))
        .map(|g| g.glyph);
    assert_ne!(Some(lam), initial_lam, "not the lam before other letters");
    // Beh in the middle of a word takes its medial form, not the isolated one.
    let line = &set("ببب", "ar", Direction::RightToLeft, 500.0)[0];
    let isolated = plain_glyph(Family::Arabic, 'ب');
    assert!(
        line.glyphs.iter().all(|g| g.glyph != isolated),
        "joined forms"
    );
}

#[test]
fn right_to_left_text_runs_from_the_right_and_keeps_latin_and_numbers_in_order() {
    use super::fonts::Family;
    // Logical: alef, beh, space, "GP 111". Drawn left to right: "GP 111", then beh, alef.
    let line = &set("اب GP 111", "ar", Direction::RightToLeft, 500.0)[0];
    let texts: Vec<&str> = line
        .glyphs
        .iter()
        .filter_map(|g| g.text.as_deref())
        .collect();
    let at = |t: &str| texts.iter().position(|x| *x == t).expect(t);
    assert!(at("G") < at("P") && at("P") < at("1"), "{texts:?}");
    assert!(at("1") < at("ب") && at("ب") < at("ا"), "{texts:?}");
    assert!(line.glyphs.iter().any(|g| g.font.family == Family::Latin));
    assert!(
        line.glyphs.windows(2).all(|w| w[0].x <= w[1].x + 0.01),
        "left to right"
    );
}

#[test]
fn marks_are_placed_on_their_letters() {
    // A decomposed Vietnamese "ệ" (e + dot below + circumflex) and an Arabic fatha: the marks
    // are glyphs of their own positioned over or under the base, or composed with it.
    let vietnamese = &set("e\u{323}\u{302}", "vi", Direction::LeftToRight, 500.0)[0];
    let composed = &set("ệ", "vi", Direction::LeftToRight, 500.0)[0];
    assert!(
        (vietnamese.width - composed.width).abs() < 0.01,
        "marks take no width"
    );
    let arabic = &set("بَ", "ar", Direction::RightToLeft, 500.0)[0];
    assert_eq!(arabic.glyphs.len(), 2);
    let width_alone = set("ب", "ar", Direction::RightToLeft, 500.0)[0].width;
    assert!(
        (arabic.width - width_alone).abs() < 0.01,
        "the fatha adds no advance"
    );
}

#[test]
fn a_letter_carries_its_marks_text_backwards_in_right_to_left_text() {
    // Readers reverse right-to-left glyphs into reading order, a glyph's characters with
    // them: the letter's glyph lists "ص" and its tanween backwards; the mark has none.
    let line = &set("صٌ", "ar", Direction::RightToLeft, 500.0)[0];
    let texts: Vec<Option<&str>> = line.glyphs.iter().map(|g| g.text.as_deref()).collect();
    assert_eq!(texts.iter().flatten().count(), 1, "{texts:?}");
    assert!(texts.contains(&Some("\u{64c}ص")), "{texts:?}");
    let line = &set("e\u{301}", "vi", Direction::LeftToRight, 500.0)[0];
    let texts: Vec<&str> = line
        .glyphs
        .iter()
        .filter_map(|g| g.text.as_deref())
        .collect();
    assert_eq!(texts, ["e\u{301}"], "left to right: in reading order");
}

#[test]
fn lines_break_between_words_within_the_width() {
    let text = "ናብ ሓኪም GP ንምኻድ ወረቐት ኣየድልየካን እዩ። ሓኪም ክምዝግበካ ሕተት። ብናጻ እዩ።";
    let lines = set(text, "ti", Direction::LeftToRight, 120.0);
    assert!(lines.len() > 2, "{}", lines.len());
    assert!(lines.iter().all(|l| l.width <= 120.0 + 0.01));
    let glyph_texts: String = lines
        .iter()
        .flat_map(|l| l.glyphs.iter().filter_map(|g| g.text.clone()))
        .collect::<String>()
        .replace(' ', "");
    assert_eq!(
        glyph_texts,
        text.replace(' ', ""),
        "every letter set once, in order"
    );
}

#[test]
fn the_fonts_cover_the_six_languages_letters() {
    let pashto = "ټډړښږځڅګڼۍې";
    let sorani = "ەێۆڵڕ";
    let farsi = "پچژگکی\u{200C}";
    let arabic = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى،؛؟٠١٢";
    let tigrinya = "ሀለሐመሠረሰሸቀቐበቨተቸኀነኘአከኸወዐዘዠየደጀገጠጨጰጸፀፈፐ።፡፣";
    let vietnamese = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ";
    for (language, letters) in [
        ("ps", pashto),
        ("ckb", sorani),
        ("fa", farsi),
        ("ar", arabic),
        ("ti", tigrinya),
        ("vi", vietnamese),
    ] {
        for ch in letters.chars() {
            assert!(
                font_covers(language, ch),
                "{language}: {ch} U+{:04X}",
                u32::from(ch)
            );
        }
    }
    assert!(!font_covers("ar", '\u{4E2D}'), "Chinese is not covered");
}

/// Every character of every shipped translation can be printed on a hand-out.
#[test]
fn the_fonts_cover_every_shipped_translation() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../guides/translations");
    let mut checked = 0;
    for language in std::fs::read_dir(&folder).expect("translations folder") {
        let language = language.expect("entry").path();
        if !language.is_dir() {
            continue;
        }
        let code = language.file_name().and_then(|n| n.to_str()).unwrap_or("");
        for file in std::fs::read_dir(&language).expect("language folder") {
            let path = file.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("reads");
            let value: toml::Value = toml::from_str(&text).expect("parses");
            let entries = value
                .get("entry")
                .and_then(|e| e.as_array())
                .cloned()
                .unwrap_or_default();
            for entry in entries {
                let text = entry.get("text").and_then(|t| t.as_str()).unwrap_or("");
                for ch in text.chars() {
                    assert!(font_covers(code, ch), "{}: {ch:?}", path.display());
                    checked += 1;
                }
            }
            let name = value["translation"]["name"].as_str().unwrap_or("");
            assert!(name.chars().all(|ch| font_covers(code, ch)), "{name}");
        }
    }
    assert!(checked > 0 || folder.exists());
}
