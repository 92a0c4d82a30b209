//! One step of a walk in two languages: the English and the client's language, section by
//! section (see `bilingual` for the layout). A part whose translation is stale or missing
//! shows the client the fixed, translated "this part changed" line and never the old text;
//! the adviser's English carries a marker saying so, and `o` shows the older wording,
//! labelled as possibly wrong. An unchecked translation has a draft badge in words.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::after_number;
use super::bilingual::{Block, Page, Section};
use super::summary::ClientOutcome;
use crate::tui::client_language::{ClientLanguage, Drawing, client_lines, english_name, label};
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use sanctuary::guide::{Guide, Library, Node, NodeKind};
use sanctuary::translation::{Language, Shown};

/// What a step needs to be drawn in two languages.
pub struct Step<'a> {
    pub library: &'a Library,
    pub language: &'a Language,
    pub client: &'a ClientLanguage,
    pub guide: &'a Guide,
    pub node: &'a Node,
    pub selected: usize,
    pub item_count: usize,
    pub theme: Theme,
}

/// The English labels of the items the app adds to an outcome (write every letter,
/// the summary), which have no translation: the client's side stays blank there.
pub struct AppItems {
    pub write_all: Option<String>,
    pub summary: String,
}

impl Step<'_> {
    fn drawing(&self) -> Drawing {
        Drawing::of(self.language.direction, self.client.rtl)
    }

    fn shown(&self, key: &str, english: &str) -> Shown {
        self.language.field(&self.guide.id, key, english)
    }

    /// A fixed line of the client's, in their language, or in English when it has none.
    fn ui(&self, key: &str, english: &str) -> String {
        self.language
            .ui(key)
            .text()
            .map_or_else(|| english.to_string(), str::to_string)
    }

    /// The page for this step.
    pub fn page(&self, app_items: &AppItems) -> Page<'static> {
        let mut sections = self.notices();
        match &self.node.kind {
            NodeKind::Question { text, choices } => {
                sections.push(self.text(&format!("{}.text", self.node.id), text, true));
                sections.push(Section::gap());
                for (i, choice) in choices.iter().enumerate() {
                    let mut english = choice.label.clone();
                    if let sanctuary::guide::model::Target::Guide(id) = &choice.target {
                        let title = self
                            .library
                            .guide(id)
                            .map_or(id.as_str(), |g| g.title.as_str());
                        english.push_str(&format!(" (opens the guide: {title})"));
                    }
                    let key = format!("{}.choice.{}", self.node.id, i + 1);
                    sections.push(self.choice(i, &key, &choice.label, &english));
                }
            }
            NodeKind::Info { text, .. } => {
                sections.push(self.text(&format!("{}.text", self.node.id), text, false));
                sections.push(Section::gap());
                let client = self.ui("continue", "Your adviser will go on to the next step.");
                sections.push(self.fixed_item(0, "Continue", Some(client)));
            }
            NodeKind::Outcome(o) => self.outcome(&mut sections, o, app_items),
        }
        Page {
            english_heading: Line::from(Span::styled("English", self.theme.heading())),
            client_heading: self.client_heading(),
            sections,
            rule: self.theme.muted(),
        }
    }

    /// The outcome as the summary shows it to the client.
    pub fn summary_outcome(&self) -> Option<ClientOutcome> {
        let NodeKind::Outcome(o) = &self.node.kind else {
            return None;
        };
        let id = &self.node.id;
        let text = |key: String, english: &str| {
            self.shown(&key, english)
                .text()
                .map_or_else(|| self.language.stale_line(), str::to_string)
        };
        let drawing = self.drawing();
        let notice = if drawing == Drawing::Hidden {
            Some(self.hidden_notice())
        } else if self.has_unchecked() {
            Some(self.draft_banner())
        } else {
            None
        };
        let heading = self
            .client_heading()
            .spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        Some(ClientOutcome {
            heading,
            notice,
            title: text(format!("{id}.title"), &o.title),
            advice: text(format!("{id}.advice"), &o.advice),
            counts: self.english_counts(),
            drawing,
            swapped: self.client.swapped,
        })
    }

    fn english_counts(&self) -> String {
        self.ui(
            "english-counts",
            "This is a translation. The English text is the one that counts.",
        )
    }

    fn draft_banner(&self) -> String {
        self.ui(
            "draft-banner",
            "This translation has not been checked by a fluent speaker yet. If something is not clear, ask your adviser.",
        )
    }

    /// Where the client's copy is, in English, for a language this screen cannot show.
    fn hidden_notice(&self) -> String {
        let name = english_name(&self.language.code);
        let title = self
            .library
            .translations()
            .ui_strings()
            .strings
            .iter()
            .find(|s| s.key == "handout-title")
            .map_or("Your notes from today".to_string(), |s| s.en.clone());
        format!(
            "{name} is kept off this screen: it does not show right-to-left text well (F4 settings, Ctrl-r checks again). The client's copy is the printed hand-out, \"{title}\", in {name} and English: h on the summary writes it."
        )
    }

    fn outcome(
        &self,
        sections: &mut Vec<Section<'static>>,
        o: &sanctuary::guide::Outcome,
        app_items: &AppItems,
    ) {
        let id = &self.node.id;
        sections.push(self.text(&format!("{id}.title"), &o.title, true));
        sections.push(Section::gap());
        sections.push(self.text(&format!("{id}.advice"), &o.advice, false));
        sections.push(Section::gap());
        let next = self.ui("next-steps", "What you can do next");
        sections.push(self.heading("Next steps", &next));
        for (i, action) in o.actions.iter().enumerate() {
            let mut english = action.label.clone();
            if action.letter.is_some() {
                english.push_str(" (letter)");
            }
            let key = format!("{id}.action.{}", i + 1);
            sections.push(self.choice(i, &key, &action.label, &english));
        }
        let mut n = o.actions.len();
        if let Some(write_all) = &app_items.write_all {
            sections.push(self.fixed_item(n, write_all, None));
            n += 1;
        }
        sections.push(self.fixed_item(n, &app_items.summary, None));
        sections.push(Section::gap());
        sections.push(self.client_only(self.english_counts(), self.theme.muted()));
    }

    /// The heading over the client's language: its names, and a draft badge in words when
    /// any part of this step is not checked by a fluent speaker (the banner under it says
    /// so in the client's language).
    fn client_heading(&self) -> Line<'static> {
        let mut spans = vec![Span::styled(
            label(self.language, self.client.rtl),
            self.theme.heading(),
        )];
        if self.drawing() != Drawing::Hidden && self.has_unchecked() {
            spans.push(Span::raw(" "));
            spans.push(Span::styled("[DRAFT]", self.theme.warning()));
        }
        Line::from(spans)
    }

    /// Whether a part of this step shows an unchecked translation.
    fn has_unchecked(&self) -> bool {
        self.fields()
            .iter()
            .any(|(key, english)| matches!(self.shown(key, english), Shown::Unchecked(_)))
    }

    /// The step's translatable fields as (key, English).
    fn fields(&self) -> Vec<(String, String)> {
        let id = &self.node.id;
        match &self.node.kind {
            NodeKind::Question { text, choices } => {
                std::iter::once((format!("{id}.text"), text.clone()))
                    .chain(
                        choices
                            .iter()
                            .enumerate()
                            .map(|(i, c)| (format!("{id}.choice.{}", i + 1), c.label.clone())),
                    )
                    .collect()
            }
            NodeKind::Info { text, .. } => vec![(format!("{id}.text"), text.clone())],
            NodeKind::Outcome(o) => [
                (format!("{id}.title"), o.title.clone()),
                (format!("{id}.advice"), o.advice.clone()),
            ]
            .into_iter()
            .chain(
                o.actions
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (format!("{id}.action.{}", i + 1), a.label.clone())),
            )
            .collect(),
        }
    }

    /// What comes first on the client's side: the draft banner, or, when this screen
    /// cannot show the language, where the client's copy is.
    fn notices(&self) -> Vec<Section<'static>> {
        if self.drawing() == Drawing::Hidden {
            let notice = self.hidden_notice();
            return vec![
                self.client_only_plain(notice, self.theme.warning()),
                Section::gap(),
            ];
        }
        if !self.has_unchecked() {
            return Vec::new();
        }
        let banner = self.draft_banner();
        vec![
            self.client_only(banner, self.theme.warning()),
            Section::gap(),
        ]
    }

    /// A line or two on the client's side only.
    fn client_only(&self, text: String, style: Style) -> Section<'static> {
        let drawing = self.drawing();
        let client: Block<'static> = Box::new(move |width| {
            if drawing == Drawing::Hidden {
                return Vec::new();
            }
            styled(client_lines(&text, width, drawing), style)
        });
        Section::text(Box::new(|_| Vec::new()), client)
    }

    /// English words on the client's side (never reordered).
    fn client_only_plain(&self, text: String, style: Style) -> Section<'static> {
        let client: Block<'static> = Box::new(move |width| styled(wrap(&text, width), style));
        Section::text(Box::new(|_| Vec::new()), client)
    }

    /// A heading in both languages.
    fn heading(&self, english: &str, client: &str) -> Section<'static> {
        let style = self.theme.heading();
        let drawing = self.drawing();
        let english = english.to_string();
        let client = client.to_string();
        Section::text(
            Box::new(move |width| styled(wrap(&english, width), style)),
            Box::new(move |width| {
                hidden_or(drawing, || {
                    styled(client_lines(&client, width, drawing), style)
                })
            }),
        )
    }

    /// A text field: the English (with a marker when the translation is stale or missing)
    /// and the client's translation, or the fixed line in its place.
    fn text(&self, key: &str, english: &str, heading: bool) -> Section<'static> {
        let style = if heading {
            self.theme.heading()
        } else {
            Style::new()
        };
        let shown = self.shown(key, english);
        let english_lines = self.english_with_marker(english, &shown, style);
        let client = self.client_text(&shown, style);
        Section::text(english_lines, client)
    }

    /// The English of a field with, below it, what the adviser should know about its
    /// translation (see `flag`).
    fn english_with_marker(&self, english: &str, shown: &Shown, style: Style) -> Block<'static> {
        let english = english.to_string();
        let flag = self.flag(shown);
        Box::new(move |width| {
            let mut lines = styled(wrap(&english, width), style);
            if let Some(flag) = &flag {
                lines.extend(flag.lines(width, ""));
            }
            lines
        })
    }

    /// What the adviser is told under a stale part: that the English changed and, with
    /// `o`, the older wording, labelled as possibly wrong.
    fn flag(&self, shown: &Shown) -> Option<Flag> {
        let Shown::Stale { old_text, .. } = shown else {
            return None;
        };
        let name = english_name(&self.language.code);
        Some(Flag {
            marker: format!(
                "! {name}: the English changed since this was translated; the client sees \"not translated yet\" (o: older wording)"
            ),
            older: self.client.older.then(|| old_text.clone()),
            drawing: self.drawing(),
            warning: self.theme.warning(),
            muted: self.theme.muted(),
        })
    }

    /// The client's side of a field: the translation, or the fixed stale line.
    fn client_text(&self, shown: &Shown, style: Style) -> Block<'static> {
        let drawing = self.drawing();
        let (text, style) = match shown.text() {
            Some(text) => (text.to_string(), style),
            None => (self.language.stale_line(), self.theme.warning()),
        };
        Box::new(move |width| {
            hidden_or(drawing, || {
                styled(client_lines(&text, width, drawing), style)
            })
        })
    }

    /// A choice or next step, numbered the same in both languages.
    fn choice(
        &self,
        index: usize,
        key: &str,
        english_now: &str,
        english_shown: &str,
    ) -> Section<'static> {
        let shown = self.shown(key, english_now);
        let flag = self.flag(&shown);
        let (client, client_style) = match shown.text() {
            Some(text) => (text.to_string(), None),
            None => (self.language.stale_line(), Some(self.theme.warning())),
        };
        let number = self.number(index);
        let english = english_shown.to_string();
        let drawing = self.drawing();
        let selected = self.item_style(index);
        let english_number = number.clone();
        Section::item(
            Box::new(move |width| {
                let mut lines = after_number(
                    &english_number,
                    wrap(&english, width.saturating_sub(english_number.len())),
                    selected,
                );
                if let Some(flag) = &flag {
                    lines.extend(flag.lines(width, &" ".repeat(english_number.len())));
                }
                lines
            }),
            Box::new(move |width| {
                hidden_or(drawing, || {
                    let room = width.saturating_sub(number.len());
                    after_number(
                        &number,
                        client_lines(&client, room, drawing),
                        client_style.unwrap_or(selected),
                    )
                })
            }),
        )
    }

    /// An item of the app's own (Continue, write every letter, the summary): English,
    /// with the client's fixed line when there is one.
    fn fixed_item(&self, index: usize, english: &str, client: Option<String>) -> Section<'static> {
        let number = self.number(index);
        let english = english.to_string();
        let drawing = self.drawing();
        let selected = self.item_style(index);
        let english_number = number.clone();
        Section::item(
            Box::new(move |width| {
                after_number(
                    &english_number,
                    wrap(&english, width.saturating_sub(english_number.len())),
                    selected,
                )
            }),
            Box::new(move |width| match &client {
                Some(text) if drawing != Drawing::Hidden => after_number(
                    &number,
                    client_lines(text, width.saturating_sub(number.len()), drawing),
                    selected,
                ),
                _ => Vec::new(),
            }),
        )
    }

    /// "> 2. " or "  2. ", numbers right-aligned when there are ten or more.
    fn number(&self, index: usize) -> String {
        let digits = self.item_count.to_string().len();
        let mark = if index == self.selected { "> " } else { "  " };
        format!("{mark}{:>digits$}. ", index + 1)
    }

    fn item_style(&self, index: usize) -> Style {
        if index == self.selected {
            self.theme.selected()
        } else {
            Style::new()
        }
    }
}

/// The adviser's note under a stale part.
struct Flag {
    marker: String,
    /// The older translation, when `o` shows it.
    older: Option<String>,
    drawing: Drawing,
    warning: Style,
    muted: Style,
}

impl Flag {
    /// The note wrapped to `width`, each line after `indent`.
    fn lines(&self, width: usize, indent: &str) -> Vec<Line<'static>> {
        let room = width.saturating_sub(indent.len());
        let mut lines = styled(wrap(&self.marker, room), self.warning);
        if let Some(old) = &self.older {
            lines.extend(styled(
                wrap("Older wording (may be wrong):", room),
                self.warning,
            ));
            let old_lines = match self.drawing {
                Drawing::Hidden => wrap(
                    "(not shown: right-to-left text is kept off this screen)",
                    room,
                ),
                _ => client_lines(old, room, self.drawing),
            };
            lines.extend(styled(old_lines, self.muted));
        }
        lines
            .into_iter()
            .map(|mut l| {
                l.spans.insert(0, Span::raw(indent.to_string()));
                l
            })
            .collect()
    }
}

fn styled(lines: Vec<String>, style: Style) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect()
}

/// Nothing when the language is kept off the screen, else the lines.
fn hidden_or(drawing: Drawing, lines: impl FnOnce() -> Vec<Line<'static>>) -> Vec<Line<'static>> {
    if drawing == Drawing::Hidden {
        Vec::new()
    } else {
        lines()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use chrono::NaiveDate;
    use ratatui::layout::Rect;

    use crate::tui::action::Action;
    use crate::tui::app::tests::render;
    use crate::tui::app::{App, Today};
    use crate::tui::bidi::{RtlDisplay, visual_order};
    use crate::tui::theme::Theme;
    use sanctuary::guide::{GuideSource, Library};
    use sanctuary::letter::Catalogue;
    use sanctuary::translation::{en_hash, guide_fields};

    const VI_QUESTION: &str = "Chuyện gì đã xảy ra ở nơi làm việc?";
    pub(crate) const VI_OLD: &str = "Tôi bị mất việc (bản cũ)";
    const AR_QUESTION: &str = "ماذا حدث في العمل؟";

    pub(crate) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    /// One translation file: (key, English it was made from, text) per entry.
    fn write(
        dir: &Path,
        language: &str,
        name: &str,
        direction: &str,
        guide: &str,
        entries: &[(String, String, String)],
    ) {
        let mut out = format!(
            "[translation]\nguide = \"{guide}\"\nlanguage = \"{language}\"\nname = \"{name}\"\ndirection = \"{direction}\"\n"
        );
        for (key, english, text) in entries {
            let status = if text.is_empty() {
                "draft"
            } else {
                "translated"
            };
            out.push_str(&format!(
                "\n[[entry]]\nkey = {}\nen_hash = \"{}\"\nen = {}\ntext = {}\nstatus = \"{status}\"\n",
                toml::Value::from(key.as_str()),
                en_hash(english),
                toml::Value::from(english.as_str()),
                toml::Value::from(text.as_str()),
            ));
        }
        let folder = dir.join("translations").join(language);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("{guide}.toml")), out).unwrap();
    }

    /// The shipped guides in `dir`, with Vietnamese for right-to-work's first question
    /// (its third choice made from English that has since changed) and Arabic for the
    /// question text alone.
    pub(crate) fn guides_in(dir: &Path) -> Library {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("guides");
        for file in std::fs::read_dir(shipped).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
            }
        }
        let source = GuideSource::Dir(dir.to_path_buf());
        let english = Library::load(&source, today(), None).unwrap();
        let fields = guide_fields(english.guide("right-to-work").unwrap());
        let vi: Vec<(String, String, String)> = fields
            .iter()
            .map(|(key, en)| {
                let text = match key.as_str() {
                    "q-what.text" => VI_QUESTION,
                    "q-what.choice.1" => "Một công việc muốn kiểm tra quyền làm việc của tôi",
                    "q-what.choice.2" => "Tôi không được nhận việc sau khi bị kiểm tra",
                    "q-what.choice.3" => {
                        return (
                            key.clone(),
                            "I lost my job after a check".into(),
                            VI_OLD.into(),
                        );
                    }
                    _ => "",
                };
                (key.clone(), en.clone(), text.to_string())
            })
            .collect();
        write(dir, "vi", "Tiếng Việt", "ltr", "right-to-work", &vi);
        let stale = "This part changed and is not translated yet. Please ask your adviser.";
        let vi_stale = "Phần này đã thay đổi và chưa được dịch. Vui lòng hỏi người tư vấn của bạn.";
        write(
            dir,
            "vi",
            "Tiếng Việt",
            "ltr",
            "_ui",
            &[("stale".into(), stale.into(), vi_stale.into())],
        );
        let ar: Vec<(String, String, String)> = fields
            .iter()
            .filter(|(key, _)| key == "q-what.text")
            .map(|(key, en)| (key.clone(), en.clone(), AR_QUESTION.to_string()))
            .collect();
        write(dir, "ar", "العربية", "rtl", "right-to-work", &ar);
        Library::load(&source, today(), None).unwrap()
    }

    fn app_in(dir: &Path) -> App {
        let catalogue = Catalogue::embedded().unwrap();
        let mut app = App::new(
            Arc::new(guides_in(dir)),
            Arc::new(catalogue),
            Theme { colour: false },
            Today::fixed(today()),
        );
        assert!(app.open_guide("right-to-work"));
        app
    }

    /// Chooses the language numbered `n` in the chooser (1 is English only).
    fn choose(app: &mut App, code: &str, area: Rect) {
        app.update(Action::ChooseLanguage, area);
        let crate::tui::app::Screen::Language { chooser, .. } = &app.screen else {
            panic!("the chooser is not open")
        };
        let n = chooser
            .options
            .iter()
            .position(|o| o.code.as_deref() == Some(code))
            .unwrap();
        app.update(Action::Pick(n), area);
    }

    #[test]
    fn vietnamese_stacked_at_80x24() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_in(dir.path());
        let area = Rect::new(0, 0, 80, 24);
        choose(&mut app, "vi", area);
        app.update(Action::ToggleNote, area);
        let screen = render(&app, 80, 24);
        insta::assert_snapshot!(screen);
        assert!(!screen.contains(VI_OLD));
    }

    #[test]
    fn vietnamese_side_by_side_at_100x30_with_the_older_wording_shown() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_in(dir.path());
        let area = Rect::new(0, 0, 100, 30);
        choose(&mut app, "vi", area);
        app.update(Action::ToggleNote, area);
        let screen = render(&app, 100, 30);
        insta::assert_snapshot!(screen);
        assert!(
            !screen.contains(VI_OLD),
            "the old text is never shown as current"
        );
        assert!(screen.contains("Phần này đã thay đổi"), "{screen}");
        // o: the adviser sees the older wording, labelled, on the English side only.
        app.update(Action::OlderWording, area);
        let screen = render(&app, 100, 30);
        let old = screen
            .lines()
            .find(|l| l.contains(VI_OLD))
            .expect("older wording shown");
        assert!(old.find(VI_OLD).unwrap() < old.find('│').unwrap(), "{old}");
        assert!(screen.contains("Older wording (may be wrong):"), "{screen}");
    }

    #[test]
    fn h_on_the_summary_writes_the_hand_out_into_the_letters_folder_without_a_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_in(dir.path());
        let letters = dir.path().join("letters");
        app.letters = crate::tui::letters_folder::LettersFolder::unremembered(letters.clone());
        let area = Rect::new(0, 0, 80, 24);
        choose(&mut app, "vi", area);
        for _ in 0..12 {
            if app.context() == crate::tui::keys::Context::Outcome {
                break;
            }
            app.update(Action::Pick(0), area);
        }
        assert_eq!(app.context(), crate::tui::keys::Context::Outcome);
        let crate::tui::app::Screen::Runner(runner) = &app.screen else {
            panic!("not walking")
        };
        let last = runner.item_count() - 1;
        app.update(Action::Pick(last), area);
        assert_eq!(app.context(), crate::tui::keys::Context::Summary);
        // The record stays English and says what the client was shown.
        let crate::tui::app::Screen::Summary(summary) = &app.screen else {
            panic!("not the summary")
        };
        let record = summary.summary.to_text();
        assert!(
            record.contains("Shown to the client in Tiếng Việt (vi)"),
            "{record}"
        );
        assert!(record.contains("right-to-work:q-what.choice.3"), "{record}");
        // The summary shows the client's language over the record; l swaps them.
        let screen = render(&app, 80, 24);
        assert!(
            screen.lines().nth(1).unwrap().starts_with("Tiếng Việt"),
            "{screen}"
        );
        app.update(Action::SwapLanguages, area);
        let screen = render(&app, 80, 24);
        assert!(
            screen
                .lines()
                .nth(1)
                .unwrap()
                .starts_with("Advice record (English)"),
            "{screen}"
        );
        app.update(Action::Handout, area);
        let status = app.status.clone().unwrap();
        assert!(status.contains("in Vietnamese, then English"), "{status}");
        let name = "handout-right-to-work-vi-2026-12-01.pdf";
        let pdf = std::fs::read(letters.join(name)).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        // Again: a new name, the first one kept.
        app.update(Action::Handout, area);
        assert!(
            letters
                .join("handout-right-to-work-vi-2026-12-01-2.pdf")
                .exists()
        );
    }

    #[test]
    fn a_click_on_a_language_in_the_chooser_chooses_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_in(dir.path());
        let area = Rect::new(0, 0, 80, 24);
        app.update(Action::ChooseLanguage, area);
        let screen = render(&app, 80, 24);
        let row = screen
            .lines()
            .position(|l| l.contains("Tiếng Việt (Vietnamese)"))
            .unwrap_or_else(|| panic!("{screen}"));
        app.update(
            Action::Click {
                column: 10,
                row: u16::try_from(row).unwrap(),
            },
            area,
        );
        assert!(render(&app, 80, 24).contains(VI_QUESTION));
    }

    #[test]
    fn choosing_english_only_again_shows_the_walk_as_before() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_in(dir.path());
        let area = Rect::new(0, 0, 80, 24);
        let before = render(&app, 80, 24);
        choose(&mut app, "vi", area);
        assert_ne!(render(&app, 80, 24), before);
        app.update(Action::ChooseLanguage, area);
        app.update(Action::Pick(0), area);
        app.status = None;
        assert_eq!(render(&app, 80, 24), before);
    }

    #[test]
    fn arabic_is_reordered_flush_right_or_kept_off_the_screen_as_the_check_said() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_in(dir.path());
        let area = Rect::new(0, 0, 80, 24);
        choose(&mut app, "ar", area);
        // First use of a right-to-left language: the check, with the sample both ways.
        let screen = render(&app, 80, 24);
        assert!(screen.contains("which line reads right?"), "{screen}");
        app.update(Action::Pick(1), area);
        assert_eq!(app.rtl_display, Some(RtlDisplay::Reordered));
        let screen = render(&app, 80, 24);
        let row = screen
            .lines()
            .find(|l| l.contains(&visual_order(AR_QUESTION)))
            .unwrap_or_else(|| panic!("{screen}"));
        assert!(
            row.starts_with(' ') && crate::tui::text::display_width(row) == 80,
            "{row:?}"
        );
        // Neither: no Arabic letter reaches the screen; the hand-out is the client's copy.
        app.rtl_display = Some(RtlDisplay::Off);
        choose(&mut app, "ar", area);
        let screen = render(&app, 80, 24);
        assert!(!crate::tui::bidi::has_rtl(&screen), "{screen}");
        assert!(screen.contains("printed hand-out"), "{screen}");
    }
}
