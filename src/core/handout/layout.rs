//! Laying a hand-out out on A4 pages: each part in its own language and direction (a
//! right-to-left part is aligned on the right margin, its list bullets on the right),
//! headings kept with the text after them, and page numbers as page furniture.

use super::shape::{SetLine, Style, set_paragraph};
use super::{Block, Handout, HandoutError};
use crate::handout::fonts::Fonts;
use crate::letter::Direction;
use crate::letter::pdf_pages::{self, Column, PageArea, paragraph_keeps_with_next};
use crate::letter::tagging::{Language, Role, StructureTree};

const MM: f32 = 72.0 / 25.4;
pub(crate) const PAGE_W: f32 = 210.0 * MM;
pub(crate) const PAGE_H: f32 = 297.0 * MM;
const LEFT: f32 = 20.0 * MM;
const TEXT_W: f32 = PAGE_W - 2.0 * LEFT;
/// Where the flow goes on every page.
const AREA: PageArea = PageArea {
    first_top: 20.0 * MM,
    top: 20.0 * MM,
    bottom: PAGE_H - 20.0 * MM,
};
const FOOTER_BASELINE: f32 = PAGE_H - 11.0 * MM;
const LIST_INDENT: f32 = 6.0 * MM;
/// Line height as a multiple of the size: Naskh's marks reach well above and below.
const LEADING: f32 = 1.65;

const TITLE: Style = Style::bold(17.0);
const HEADING: Style = Style::bold(13.0);
const BODY: Style = Style::regular(11.0);
const NOTICE: Style = Style::bold(11.0);
const FOOTER: Style = Style::regular(9.0);

/// A line placed on a page.
pub(crate) struct PlacedLine {
    pub(crate) line: SetLine,
    pub(crate) x: f32,
    /// Distance of the baseline from the top of the page.
    pub(crate) baseline: f32,
    /// The structure element it belongs to; `None` for page furniture.
    pub(crate) element: Option<usize>,
}

/// A line in the flow, before pagination.
struct FlowLine {
    line: SetLine,
    style: Style,
    x: f32,
    gap_before: f32,
    keep_with_next: bool,
    /// Starts a page: each part does, so that a page holds one direction of text (text
    /// extraction judges a page's direction as a whole).
    new_page: bool,
    element: usize,
    /// A list item's bullet, placed beside the item's first line.
    label: Option<(SetLine, f32, usize)>,
}

impl pdf_pages::Line for FlowLine {
    fn gap_before(&self) -> f32 {
        self.gap_before
    }

    fn leading(&self) -> f32 {
        self.style.size * LEADING
    }

    fn size(&self) -> f32 {
        self.style.size
    }

    fn keep_with_next(&self) -> bool {
        self.keep_with_next
    }

    fn starts_page(&self) -> bool {
        self.new_page
    }
}

/// Lays the hand-out out; returns its pages and structure tree.
pub(crate) fn lay_out(
    fonts: &Fonts,
    handout: &Handout,
) -> Result<(Vec<Vec<PlacedLine>>, StructureTree), HandoutError> {
    let mut tree = StructureTree::new();
    let mut flow = Vec::new();
    for part in &handout.parts {
        let own = (part.language != handout.language).then_some(&part.language);
        let setter = Setter {
            fonts,
            language: &part.language,
            column: Column {
                x: LEFT,
                width: TEXT_W,
                direction: part.language.direction,
            },
        };
        let part_starts = flow.len();
        for block in &part.blocks {
            setter.block(block, own, &mut tree, &mut flow)?;
        }
        if let Some(first) = flow.get_mut(part_starts) {
            first.new_page = true;
        }
    }
    let mut pages = pdf_pages::paginate(flow, &AREA, place);
    let total = pages.len();
    for (index, page) in pages.iter_mut().enumerate() {
        let number = format!("{} / {total}", index + 1);
        let latin = Language::left_to_right("en-GB");
        let mut lines = set_paragraph(fonts, &number, &latin.tag, latin.direction, FOOTER, PAGE_W)?;
        if let Some(line) = lines.pop() {
            page.push(PlacedLine {
                x: (PAGE_W - line.width) / 2.0,
                line,
                baseline: FOOTER_BASELINE,
                element: None,
            });
        }
    }
    Ok((pages, tree))
}

/// Sets the blocks of one part.
struct Setter<'a> {
    fonts: &'a Fonts,
    language: &'a Language,
    column: Column,
}

impl Setter<'_> {
    fn set(&self, text: &str, style: Style, column: Column) -> Result<Vec<SetLine>, HandoutError> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n').filter(|p| !p.trim().is_empty()) {
            // A line with no right-to-left letter (an English label standing in for a
            // missing translation, an address) runs left to right, even in an RTL part.
            let direction = if paragraph.chars().any(is_right_to_left) {
                self.language.direction
            } else {
                Direction::LeftToRight
            };
            lines.extend(set_paragraph(
                self.fonts,
                paragraph.trim(),
                &self.language.tag,
                direction,
                style,
                column.width,
            )?);
        }
        Ok(lines)
    }

    fn lines(
        &self,
        tree: &mut StructureTree,
        text: &str,
        style: Style,
        column: Column,
        gap_before: f32,
        element: usize,
    ) -> Result<Vec<FlowLine>, HandoutError> {
        let set = self.set(text, style, column)?;
        if self.language.direction == Direction::RightToLeft {
            // The page draws the text left to right; a screen reader wants it as written.
            tree.elements[element].actual_text = Some(text.to_string());
        }
        let n = set.len();
        Ok(set
            .into_iter()
            .enumerate()
            .map(|(i, line)| FlowLine {
                x: column.line_x(line.width),
                line,
                style,
                gap_before: if i == 0 { gap_before } else { 0.0 },
                keep_with_next: paragraph_keeps_with_next(i, n),
                new_page: false,
                element,
                label: None,
            })
            .collect())
    }

    fn block(
        &self,
        block: &Block,
        language: Option<&Language>,
        tree: &mut StructureTree,
        flow: &mut Vec<FlowLine>,
    ) -> Result<(), HandoutError> {
        const DOCUMENT: usize = StructureTree::DOCUMENT;
        let column = self.column;
        match block {
            Block::Title(text) | Block::Heading(text) => {
                let (role, style, gap) = match block {
                    Block::Title(_) => (Role::Heading1, TITLE, 22.0),
                    _ => (Role::Heading2, HEADING, 9.0),
                };
                let element = tree.add_in(role, DOCUMENT, language);
                let mut lines = self.lines(tree, text, style, column, gap, element)?;
                for line in &mut lines {
                    line.keep_with_next = true;
                }
                flow.extend(lines);
            }
            Block::Paragraph(text) | Block::Notice(text) => {
                let style = if matches!(block, Block::Notice(_)) {
                    NOTICE
                } else {
                    BODY
                };
                let element = tree.add_in(Role::Paragraph, DOCUMENT, language);
                flow.extend(self.lines(tree, text, style, column, 5.0, element)?);
            }
            Block::List(items) => {
                let list = tree.add_in(Role::List, DOCUMENT, language);
                for item in items {
                    self.list_item(item, list, tree, flow)?;
                }
            }
        }
        Ok(())
    }

    /// One list item: LI holding the bullet (Lbl) and the text (LBody).
    fn list_item(
        &self,
        item: &str,
        list: usize,
        tree: &mut StructureTree,
        flow: &mut Vec<FlowLine>,
    ) -> Result<(), HandoutError> {
        let list_item = tree.add(Role::ListItem, list);
        let label = tree.add(Role::Label, list_item);
        let body = tree.add(Role::ListBody, list_item);
        let column = self.column.list_body(LIST_INDENT);
        let mut lines = self.lines(tree, item, BODY, column, 3.0, body)?;
        let bullet = set_paragraph(
            self.fonts,
            "\u{2022}",
            &self.language.tag,
            self.language.direction,
            BODY,
            LIST_INDENT,
        )?;
        if let (Some(first), Some(bullet)) = (lines.first_mut(), bullet.into_iter().next()) {
            let x = match column.direction {
                Direction::LeftToRight => self.column.x + 1.5 * MM,
                Direction::RightToLeft => {
                    column.x + column.width + LIST_INDENT - 1.5 * MM - bullet.width
                }
            };
            first.label = Some((bullet, x, label));
        }
        flow.extend(lines);
        Ok(())
    }
}

/// Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and their
/// presentation forms).
fn is_right_to_left(ch: char) -> bool {
    matches!(u32::from(ch), 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
        && ch.is_alphabetic()
}

/// The placed lines of a flow line: its bullet, if any, then its text.
fn place(line: FlowLine, baseline: f32, page: &mut Vec<PlacedLine>) {
    if let Some((bullet, x, element)) = line.label {
        page.push(PlacedLine {
            line: bullet,
            x,
            baseline,
            element: Some(element),
        });
    }
    page.push(PlacedLine {
        line: line.line,
        x: line.x,
        baseline,
        element: Some(line.element),
    });
}
