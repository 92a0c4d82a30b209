//! The client's language in the app: which one a walk shows beside the English, how its
//! lines are drawn (right-to-left ones as this machine's check decided), and the state of
//! a guide's translation in words for the chooser. The texts themselves come from the
//! translation files through `sanctuary::translation`.

use sanctuary::guide::Guide;
use sanctuary::translation::{Direction, Language, Shown, Translations, guide_fields};

use super::bidi::{RtlDisplay, has_rtl, visual_order};
use super::screens::language::LanguageOption;
use super::text::{display_width, wrap};
use crate::terminal_text;
use crate::wording::plural;

/// The client's language chosen for a walk, and how the adviser has it laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientLanguage {
    pub code: String,
    /// English on top (stacked) or the client's language on the left (side by side).
    pub swapped: bool,
    /// Showing the older translation of parts whose English changed.
    pub older: bool,
    /// How right-to-left text is drawn on this machine.
    pub rtl: Option<RtlDisplay>,
}

impl ClientLanguage {
    pub fn new(code: &str, rtl: Option<RtlDisplay>) -> ClientLanguage {
        ClientLanguage {
            code: code.to_string(),
            swapped: false,
            older: false,
            rtl,
        }
    }
}

/// How one language's lines reach the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawing {
    /// As stored: left-to-right text, or right-to-left text on a terminal that reorders it.
    AsStored,
    /// Right-to-left text put in display order by the app, flush right.
    Reordered,
    /// Right-to-left text kept off the screen (the check said neither reads right, or
    /// has not been answered).
    Hidden,
}

impl Drawing {
    pub fn of(direction: Direction, rtl: Option<RtlDisplay>) -> Drawing {
        match (direction, rtl) {
            (Direction::Ltr, _) => Drawing::AsStored,
            (Direction::Rtl, Some(RtlDisplay::AsStored)) => Drawing::AsStored,
            (Direction::Rtl, Some(RtlDisplay::Reordered)) => Drawing::Reordered,
            (Direction::Rtl, Some(RtlDisplay::Off) | None) => Drawing::Hidden,
        }
    }
}

/// The English names of the languages sanctuary ships, for the adviser (the files give
/// each language's own name). Another code is shown as itself.
pub fn english_name(code: &str) -> &str {
    match code {
        "ar" => "Arabic",
        "fa" => "Farsi/Dari",
        "prs" => "Dari",
        "ps" => "Pashto",
        "ckb" => "Kurdish Sorani",
        "ti" => "Tigrinya",
        "vi" => "Vietnamese",
        "ur" => "Urdu",
        "am" => "Amharic",
        other => other,
    }
}

/// "Tiếng Việt (Vietnamese)": the own name and the English one. A right-to-left name
/// that must stay off the screen is left out.
pub fn label(language: &Language, rtl: Option<RtlDisplay>) -> String {
    let english = english_name(&language.code);
    if Drawing::of(language.direction, rtl) == Drawing::Hidden {
        return format!("{english} ({})", language.code);
    }
    let own = terminal_text::line(&language.name);
    let own = match Drawing::of(language.direction, rtl) {
        Drawing::Reordered => visual_order(&own),
        _ => own.into_owned(),
    };
    format!("{own} ({english})")
}

/// The state of `language`'s translation of `guide`, in words.
pub fn guide_state(language: &Language, guide: &Guide) -> String {
    if language.file(&guide.id).is_none() {
        return "this guide is not translated yet".into();
    }
    let (mut stale, mut missing, mut unchecked) = (0, 0, 0);
    for (key, english) in guide_fields(guide) {
        match language.field(&guide.id, &key, &english) {
            Shown::Current(_) => {}
            Shown::Unchecked(_) => unchecked += 1,
            Shown::Stale { .. } => stale += 1,
            Shown::Missing => missing += 1,
        }
    }
    let mut parts = Vec::new();
    if stale > 0 {
        parts.push(format!("{} changed", plural(stale, "part", "parts")));
    }
    if missing > 0 {
        parts.push(format!(
            "{} not translated",
            plural(missing, "part", "parts")
        ));
    }
    if unchecked > 0 {
        parts.push("draft: not checked by a fluent speaker".to_string());
    }
    if parts.is_empty() {
        "translated and checked".into()
    } else {
        parts.join("; ")
    }
}

/// The chooser's lines for `guide`: English only first, then every language.
pub fn options(
    translations: &Translations,
    guide: &Guide,
    rtl: Option<RtlDisplay>,
) -> Vec<LanguageOption> {
    let mut options = vec![LanguageOption {
        code: None,
        label: "English only".into(),
        state: "the default".into(),
    }];
    for language in translations.languages() {
        let mut state = guide_state(language, guide);
        if language.direction == Direction::Rtl && rtl == Some(RtlDisplay::Off) {
            state.push_str("; shown on the printed hand-out only (this screen cannot show it)");
        } else if language.direction == Direction::Rtl && rtl.is_none() {
            state.push_str("; right to left: a one-screen check comes first");
        }
        options.push(LanguageOption {
            code: Some(language.code.clone()),
            label: label(language, rtl),
            state,
        });
    }
    options
}

/// The sentence the right-to-left check shows, from the language's own files: its "the
/// English is what counts" line or another fixed line when translated, else the first
/// translated text of any of its files, else its own name.
pub fn sample(language: &Language) -> String {
    let fixed = ["english-counts", "stale", "draft-banner"]
        .into_iter()
        .find_map(|key| language.ui(key).text().map(str::to_string));
    let any_text = || {
        language
            .guides()
            .filter_map(|guide| language.file(guide))
            .flat_map(|file| file.entries.iter())
            .find(|entry| !entry.faulty && !entry.text.trim().is_empty())
            .map(|entry| entry.text.lines().next().unwrap_or_default().to_string())
    };
    fixed
        .or_else(any_text)
        .unwrap_or_else(|| language.name.clone())
}

/// A client-language text wrapped to `width` and drawn as `drawing` says: made safe for
/// the terminal, and, reordered, each line in display order and flush right.
pub fn client_lines(text: &str, width: usize, drawing: Drawing) -> Vec<String> {
    let safe = terminal_text::block(text);
    let lines = wrap(&safe, width);
    match drawing {
        // English (a fixed line with no translation yet) stays as it is, left-aligned.
        Drawing::Reordered => lines
            .into_iter()
            .map(|l| {
                if !has_rtl(&l) {
                    return l;
                }
                let shown = visual_order(&l);
                let pad = width.saturating_sub(display_width(&shown));
                format!("{}{shown}", " ".repeat(pad))
            })
            .collect(),
        Drawing::AsStored | Drawing::Hidden => lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reordered_lines_end_at_the_right_edge_and_fit() {
        let text = "هذا الجزء تغير ولم يترجم بعد. يرجى سؤال المستشار الخاص بك.";
        let lines = client_lines(text, 24, Drawing::Reordered);
        assert!(lines.len() >= 2, "{lines:?}");
        for line in &lines {
            assert_eq!(display_width(line), 24, "{line:?}");
        }
        let stored = client_lines(text, 24, Drawing::AsStored);
        assert_eq!(stored[0], wrap(text, 24)[0]);
    }

    #[test]
    fn a_hidden_language_is_drawn_by_its_english_name_only() {
        assert_eq!(
            Drawing::of(Direction::Rtl, Some(RtlDisplay::Off)),
            Drawing::Hidden
        );
        assert_eq!(Drawing::of(Direction::Rtl, None), Drawing::Hidden);
        assert_eq!(
            Drawing::of(Direction::Ltr, Some(RtlDisplay::Off)),
            Drawing::AsStored
        );
    }
}
