//! A page in two languages: the English and the client's language, laid out together
//! with one numbering of choices. At 80 columns the two are stacked (the client's
//! language over the English by default, a rule between); from 100 columns they stand
//! side by side (English left, the client's language right, the natural side for a
//! right-to-left reader). The swap key puts the other one first.
//!
//! A page is a list of sections, each with its English and its client-language lines;
//! side by side, each section's two halves start on the same row, so choice 2 is level
//! with choice 2.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Panel;
use crate::tui::text::display_width;

/// From this width (the whole screen) the two languages stand side by side.
pub const SIDE_BY_SIDE_WIDTH: u16 = 100;

/// Lines for one half of a section, wrapped to the width given.
pub type Block<'a> = Box<dyn Fn(usize) -> Vec<Line<'static>> + 'a>;

/// One part of a page: a text, a choice (an item to pick), or a blank line.
pub struct Section<'a> {
    english: Block<'a>,
    client: Block<'a>,
    item: bool,
}

impl<'a> Section<'a> {
    pub fn text(english: Block<'a>, client: Block<'a>) -> Section<'a> {
        Section {
            english,
            client,
            item: false,
        }
    }

    /// A choice: picked by its number, or by a click on either language's lines.
    pub fn item(english: Block<'a>, client: Block<'a>) -> Section<'a> {
        Section {
            item: true,
            ..Section::text(english, client)
        }
    }

    pub fn gap() -> Section<'a> {
        let blank = || -> Block<'a> { Box::new(|_| vec![Line::default()]) };
        Section::text(blank(), blank())
    }
}

/// How the two languages share the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrangement {
    Stacked,
    SideBySide,
}

impl Arrangement {
    pub fn for_width(screen_width: u16) -> Arrangement {
        if screen_width >= SIDE_BY_SIDE_WIDTH {
            Arrangement::SideBySide
        } else {
            Arrangement::Stacked
        }
    }
}

/// A whole page: the heading over each language and its sections.
pub struct Page<'a> {
    pub english_heading: Line<'static>,
    pub client_heading: Line<'static>,
    pub sections: Vec<Section<'a>>,
    /// The style of the rule between the languages.
    pub rule: Style,
}

/// Which half of each section comes first (on top, or on the left).
#[derive(Clone, Copy)]
enum Half {
    English,
    Client,
}

impl Half {
    fn lines(self, section: &Section, width: usize) -> Vec<Line<'static>> {
        match self {
            Half::English => (section.english)(width),
            Half::Client => (section.client)(width),
        }
    }

    fn heading<'p>(self, page: &'p Page) -> &'p Line<'static> {
        match self {
            Half::English => &page.english_heading,
            Half::Client => &page.client_heading,
        }
    }
}

/// Lays the page out into `panel` at `width` columns. `swapped` puts the English on top
/// when stacked, and the client's language on the left when side by side.
pub fn compose(
    page: &Page,
    width: usize,
    arrangement: Arrangement,
    swapped: bool,
    panel: &mut Panel,
) {
    match arrangement {
        Arrangement::Stacked => {
            let (top, bottom) = if swapped {
                (Half::English, Half::Client)
            } else {
                (Half::Client, Half::English)
            };
            stacked(page, width, [top, bottom], panel);
        }
        Arrangement::SideBySide => {
            let (left, right) = if swapped {
                (Half::Client, Half::English)
            } else {
                (Half::English, Half::Client)
            };
            side_by_side(page, width, [left, right], panel);
        }
    }
}

fn stacked(page: &Page, width: usize, [top, bottom]: [Half; 2], panel: &mut Panel) {
    panel.push(top.heading(page).clone());
    for section in &page.sections {
        let lines = top.lines(section, width);
        if section.item {
            panel.item(lines);
        } else {
            panel.lines.extend(lines);
        }
    }
    panel.push(Line::from(Span::styled("─".repeat(width), page.rule)));
    panel.push(bottom.heading(page).clone());
    let mut item = 0;
    for section in &page.sections {
        let start = panel.lines.len();
        panel.lines.extend(bottom.lines(section, width));
        if section.item {
            panel.copies.push((start, panel.lines.len(), item));
            item += 1;
        }
    }
}

/// The gap between the columns, with its rule.
const COLUMN_GAP: &str = " │ ";

fn side_by_side(page: &Page, width: usize, [left, right]: [Half; 2], panel: &mut Panel) {
    let gap = display_width(COLUMN_GAP);
    let left_width = width.saturating_sub(gap) / 2;
    let right_width = width.saturating_sub(gap + left_width);
    let row =
        |l: Option<&Line<'static>>, r: Option<&Line<'static>>| beside(l, r, left_width, page.rule);
    panel.push(row(Some(left.heading(page)), Some(right.heading(page))));
    for section in &page.sections {
        let l = left.lines(section, left_width);
        let r = right.lines(section, right_width);
        let rows: Vec<Line<'static>> = (0..l.len().max(r.len()))
            .map(|i| row(l.get(i), r.get(i)))
            .collect();
        if section.item {
            panel.item(rows);
        } else {
            panel.lines.extend(rows);
        }
    }
}

/// One row of two columns: the left line padded to its column, the rule, the right.
fn beside(
    left: Option<&Line<'static>>,
    right: Option<&Line<'static>>,
    left_width: usize,
    rule: Style,
) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = left.map(|l| l.spans.clone()).unwrap_or_default();
    let used: usize = spans.iter().map(|s| display_width(&s.content)).sum();
    spans.push(Span::raw(" ".repeat(left_width.saturating_sub(used))));
    spans.push(Span::styled(COLUMN_GAP, rule));
    spans.extend(right.map(|r| r.spans.clone()).unwrap_or_default());
    Line::from(spans)
}

/// Pads a line on the left so it ends at the right edge of `width` columns: how a
/// right-to-left line drawn in display order sits in its column.
pub fn flush_right(line: Line<'static>, width: usize) -> Line<'static> {
    let used: usize = line.spans.iter().map(|s| display_width(&s.content)).sum();
    let mut spans = vec![Span::raw(" ".repeat(width.saturating_sub(used)))];
    spans.extend(line.spans);
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::text::wrap;

    fn block<'a>(text: &'a str) -> Block<'a> {
        Box::new(move |width| wrap(text, width).into_iter().map(Line::from).collect())
    }

    fn page<'a>() -> Page<'a> {
        Page {
            english_heading: Line::from("English"),
            client_heading: Line::from("Tiếng Việt"),
            sections: vec![
                Section::text(
                    block("Which service are you worried about?"),
                    block("Bạn đang lo lắng về dịch vụ nào?"),
                ),
                Section::gap(),
                Section::item(
                    block("1. A GP"),
                    block("1. Bác sĩ gia đình hoặc bệnh viện, một câu dài hơn"),
                ),
                Section::item(block("2. A school"), block("2. Trường học")),
            ],
            rule: Style::new(),
        }
    }

    fn text(panel: &Panel) -> Vec<String> {
        panel
            .lines
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn stacked_puts_the_client_language_over_the_english_and_both_copies_pick_the_item() {
        let mut panel = Panel::default();
        compose(&page(), 40, Arrangement::Stacked, false, &mut panel);
        let lines = text(&panel);
        let rule = lines.iter().position(|l| l.starts_with('─')).unwrap();
        assert_eq!(lines[0], "Tiếng Việt");
        assert_eq!(lines[rule + 1], "English");
        let school_vi = lines.iter().position(|l| l.contains("2. Trường")).unwrap();
        let school_en = lines
            .iter()
            .position(|l| l.contains("2. A school"))
            .unwrap();
        assert!(school_vi < rule && school_en > rule, "{lines:#?}");
        assert_eq!(panel.item_at(school_vi, 0), Some(1));
        assert_eq!(panel.item_at(school_en, 0), Some(1));
        assert_eq!(panel.items.len(), 2, "one numbering: two items, not four");
    }

    #[test]
    fn swapped_stacked_puts_the_english_on_top() {
        let mut panel = Panel::default();
        compose(&page(), 40, Arrangement::Stacked, true, &mut panel);
        assert_eq!(text(&panel)[0], "English");
    }

    #[test]
    fn side_by_side_keeps_each_choice_level_with_its_translation() {
        let mut panel = Panel::default();
        compose(&page(), 60, Arrangement::SideBySide, false, &mut panel);
        let lines = text(&panel);
        assert!(lines[0].starts_with("English"), "{lines:#?}");
        assert!(lines[0].contains("│ Tiếng Việt"), "{lines:#?}");
        let row = lines
            .iter()
            .position(|l| l.contains("2. A school"))
            .unwrap();
        assert!(lines[row].contains("│ 2. Trường học"), "{lines:#?}");
        // The long Vietnamese choice 1 takes more rows than the English; the section
        // is as tall as its taller half and is one item.
        let (start, end) = panel.items[0];
        assert!(end - start >= 2, "{lines:#?}");
        for line in &lines {
            assert!(display_width(line) <= 60, "{line:?}");
        }
        let column = |l: &String| l.find('│').map(|at| display_width(&l[..at]));
        assert!(lines.iter().all(|l| column(l) == Some(29)), "{lines:#?}");
    }

    #[test]
    fn swapped_side_by_side_puts_the_client_language_on_the_left() {
        let mut panel = Panel::default();
        compose(&page(), 60, Arrangement::SideBySide, true, &mut panel);
        assert!(text(&panel)[0].starts_with("Tiếng Việt"));
    }

    #[test]
    fn from_100_columns_the_languages_stand_side_by_side() {
        assert_eq!(Arrangement::for_width(80), Arrangement::Stacked);
        assert_eq!(Arrangement::for_width(99), Arrangement::Stacked);
        assert_eq!(Arrangement::for_width(100), Arrangement::SideBySide);
    }
}
