//! Laying a letter out on A4 pages: embedded and subset DejaVu Sans, the
//! recipient placed for a DL window envelope, wrapped paragraphs, page
//! breaks that keep headings with their text and the closing (sign-off,
//! signature, enclosures) with the end of the text, and "Page N of M"
//! footers. Each line is tied to its structure element (`tagging`), and
//! `pdf_file` writes the pages as a tagged PDF.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use super::compose::{Block, Letter};
use super::error::LetterError;
use super::font_file::FontFile;
use super::pdf_file::{Description, PageSize, Run, write_pdf};
use super::pdf_pages::{self, Column, PageArea, paragraph_keeps_with_next};
use super::tagging::{Direction, Role, StructureTree};
use crate::calendar::dates::format_uk;

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Letters.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold-Letters.ttf");

const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * MM;
const PAGE_H: f32 = 297.0 * MM;
const LEFT: f32 = 25.0 * MM;
const RIGHT: f32 = 20.0 * MM;
const TEXT_W: f32 = PAGE_W - LEFT - RIGHT;
const TOP_LATER_PAGES: f32 = 20.0 * MM;
const BOTTOM_LIMIT: f32 = PAGE_H - 22.0 * MM;
const FOOTER_BASELINE: f32 = PAGE_H - 12.0 * MM;

// A DL window envelope's window sits about 20 mm from the left and spans
// roughly 45-90 mm from the top of an A4 sheet folded in three.
const WINDOW_LEFT: f32 = 25.0 * MM;
const WINDOW_TOP: f32 = 50.0 * MM;
const WINDOW_W: f32 = 85.0 * MM;
const SENDER_LEFT: f32 = 125.0 * MM;
const SENDER_TOP: f32 = 18.0 * MM;

const BODY_SIZE: f32 = 10.5;
const BODY_LEADING: f32 = 14.0;
const SMALL_SIZE: f32 = 9.0;
const SMALL_LEADING: f32 = 11.5;
const PARAGRAPH_GAP: f32 = 7.0;
const SIGNATURE_SPACE: f32 = 14.0 * MM;
const LIST_INDENT: f32 = 5.0 * MM;

/// The two faces, parsed once per process, with what their PDF font descriptors say.
pub(crate) struct Fonts {
    regular: FontFile,
    bold: FontFile,
    regular_descriptor: String,
    bold_descriptor: String,
    regular_glyphs: GlyphTable,
    bold_glyphs: GlyphTable,
}

/// Characters below this (Latin, Greek, Cyrillic, Vietnamese, punctuation) have their glyph
/// and advance kept once looked up; others are looked up in the font each time.
const TABLE_CHARS: usize = 0x2500;

/// Each character's glyph id and advance, filled in as characters are first met and shared
/// by every thread: `glyph << 16 | advance`, or 0 for not looked up yet.
struct GlyphTable(Vec<AtomicU32>);

impl GlyphTable {
    fn new() -> Self {
        GlyphTable((0..TABLE_CHARS).map(|_| AtomicU32::new(0)).collect())
    }
}

impl Fonts {
    /// The glyph id and advance (in font units) of a character, if the face has it.
    pub(crate) fn glyph(&self, face: Face, ch: char) -> Option<(u16, u16)> {
        let (font, table) = match face {
            Face::Regular => (&self.regular, &self.regular_glyphs),
            Face::Bold => (&self.bold, &self.bold_glyphs),
        };
        let slot = table.0.get(ch as usize);
        if let Some(known) = slot.map(|s| s.load(Ordering::Relaxed)).filter(|v| *v != 0) {
            return Some(((known >> 16) as u16, known as u16));
        }
        let gid = font.glyph(ch)?;
        let advance = font.advance(gid);
        if let Some(slot) = slot {
            slot.store(u32::from(gid) << 16 | u32::from(advance), Ordering::Relaxed);
        }
        Some((gid, advance))
    }

    pub(crate) fn font(&self, face: Face) -> &FontFile {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// The face's font descriptor, less its name and font program.
    pub(crate) fn descriptor(&self, face: Face) -> &str {
        match face {
            Face::Regular => &self.regular_descriptor,
            Face::Bold => &self.bold_descriptor,
        }
    }
}

fn fonts() -> Result<&'static Fonts, LetterError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let regular = FontFile::parse(REGULAR_TTF)?;
            let bold = FontFile::parse(BOLD_TTF)?;
            Some(Fonts {
                regular_descriptor: regular.descriptor(false),
                bold_descriptor: bold.descriptor(false),
                regular_glyphs: GlyphTable::new(),
                bold_glyphs: GlyphTable::new(),
                regular,
                bold,
            })
        })
        .as_ref()
        .ok_or_else(|| LetterError::Pdf("the embedded DejaVu Sans font could not be read".into()))
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub(crate) enum Face {
    Regular,
    Bold,
}

/// A list item's bullet, drawn before the item's first line.
struct Label {
    text: String,
    x: f32,
    element: usize,
}

/// One line of text placed in the flow.
struct FlowLine {
    text: String,
    face: Face,
    size: f32,
    x: f32,
    /// Space above the line's top, dropped at the top of a page.
    gap_before: f32,
    leading: f32,
    /// Must stay on the same page as the next line.
    keep_with_next: bool,
    /// The structure element the line belongs to.
    element: usize,
    label: Option<Label>,
}

impl pdf_pages::Line for FlowLine {
    fn gap_before(&self) -> f32 {
        self.gap_before
    }

    fn leading(&self) -> f32 {
        self.leading
    }

    fn size(&self) -> f32 {
        self.size
    }

    fn keep_with_next(&self) -> bool {
        self.keep_with_next
    }
}

struct Measurer<'a> {
    fonts: &'a Fonts,
}

impl Measurer<'_> {
    fn font(&self, face: Face) -> &FontFile {
        self.fonts.font(face)
    }

    fn width(&self, text: &str, face: Face, size: f32) -> Result<f32, LetterError> {
        let font = self.font(face);
        let upem = f32::from(font.units_per_em.max(1));
        let mut units = 0.0;
        for ch in text.chars() {
            check_script(ch, text)?;
            let (_, advance) =
                self.fonts
                    .glyph(face, ch)
                    .ok_or_else(|| LetterError::UnsupportedCharacter {
                        ch,
                        text: text.to_string(),
                    })?;
            units += f32::from(advance);
        }
        Ok(units / upem * size)
    }

    /// Greedy wrap by measured width; a word longer than the line is split.
    fn wrap(
        &self,
        text: &str,
        face: Face,
        size: f32,
        width: f32,
    ) -> Result<Vec<String>, LetterError> {
        let space = self.width(" ", face, size)?;
        let mut lines = Vec::new();
        let mut current = String::new();
        let mut current_w = 0.0;
        for word in text.split_whitespace() {
            let w = self.width(word, face, size)?;
            if !current.is_empty() && current_w + space + w > width {
                lines.push(std::mem::take(&mut current));
                current_w = 0.0;
            }
            if w > width {
                // Break an over-long word (e.g. a URL) by characters.
                for ch in word.chars() {
                    let cw = self.width(ch.encode_utf8(&mut [0; 4]), face, size)?;
                    if current_w + cw > width && !current.is_empty() {
                        lines.push(std::mem::take(&mut current));
                        current_w = 0.0;
                    }
                    current.push(ch);
                    current_w += cw;
                }
                continue;
            }
            if !current.is_empty() {
                current.push(' ');
                current_w += space;
            }
            current.push_str(word);
            current_w += w;
        }
        if !current.is_empty() {
            lines.push(current);
        }
        Ok(lines)
    }
}

/// Scripts that need shaping (joining, reordering) which this renderer does
/// not do; better to refuse than to print a name wrongly.
fn check_script(ch: char, text: &str) -> Result<(), LetterError> {
    let code = ch as u32;
    let needs_shaping = (0x0590..=0x08FF).contains(&code)
        || (0x0900..=0x0DFF).contains(&code)
        || (0x0E00..=0x0FFF).contains(&code)
        || (0x1000..=0x109F).contains(&code)
        || (0xFB1D..=0xFDFF).contains(&code)
        || (0xFE70..=0xFEFF).contains(&code);
    if needs_shaping {
        return Err(LetterError::UnsupportedCharacter {
            ch,
            text: text.to_string(),
        });
    }
    Ok(())
}

/// Renders many letters, spread over the machine's cores; results keep the input order.
pub fn render_pdfs(letters: &[Letter]) -> Vec<Result<Vec<u8>, LetterError>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || letters.len() < 2 {
        return letters.iter().map(render_pdf).collect();
    }
    let chunk = letters.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = letters
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(render_pdf).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err(LetterError::Pdf("a PDF worker stopped".into()))])
            })
            .collect()
    })
}

/// Renders the letter as a tagged A4 PDF with the fonts embedded and subset.
pub fn render_pdf(letter: &Letter) -> Result<Vec<u8>, LetterError> {
    let fonts = fonts()?;
    let m = Measurer { fonts };
    let mut tree = StructureTree::new();
    let (header, flow_top) = header_lines(letter, &m, &mut tree)?;
    let flow = flow_lines(letter, &m, &mut tree)?;
    let area = PageArea {
        first_top: flow_top,
        top: TOP_LATER_PAGES,
        bottom: BOTTOM_LIMIT,
    };
    let mut pages = pdf_pages::paginate(flow, &area, place);
    if let Some(first) = pages.first_mut() {
        first.splice(0..0, header);
    }
    let total = pages.len();
    for (index, runs) in pages.iter_mut().enumerate() {
        let footer = format!("Page {} of {total}", index + 1);
        let footer_w = m.width(&footer, Face::Regular, SMALL_SIZE)?;
        runs.push(Run {
            text: footer,
            face: Face::Regular,
            size: SMALL_SIZE,
            x: (PAGE_W - footer_w) / 2.0,
            baseline: FOOTER_BASELINE,
            element: None,
        });
    }
    let description = Description {
        title: &letter.title,
        author: &letter.author,
        subject: &letter.subject,
        date: letter.date,
        language: &letter.languages.document,
    };
    let size = PageSize {
        width: PAGE_W,
        height: PAGE_H,
    };
    write_pdf(fonts, &size, &pages, &tree, &description)
}

fn header_run(text: String, face: Face, size: f32, x: f32, baseline: f32, element: usize) -> Run {
    Run {
        text,
        face,
        size,
        x,
        baseline,
        element: Some(element),
    }
}

/// Sender block (top right) and recipient block (in the window); returns the
/// lines and where the flowing text may start.
fn header_lines(
    letter: &Letter,
    m: &Measurer,
    tree: &mut StructureTree,
) -> Result<(Vec<Run>, f32), LetterError> {
    let mut placed = Vec::new();
    let sender_w = PAGE_W - RIGHT - SENDER_LEFT;
    let sender = tree.add_group("Sender", StructureTree::DOCUMENT);
    let mut y = SENDER_TOP;
    for (i, line) in letter.sender.iter().enumerate() {
        let face = if i == 0 { Face::Bold } else { Face::Regular };
        let element = tree.add(Role::Paragraph, sender);
        for part in m.wrap(line, face, SMALL_SIZE, sender_w)? {
            y += SMALL_LEADING;
            placed.push(header_run(part, face, SMALL_SIZE, SENDER_LEFT, y, element));
        }
    }
    let sender_bottom = y;
    let recipient = tree.add_group("Recipient", StructureTree::DOCUMENT);
    let mut y = WINDOW_TOP;
    for line in &letter.recipient {
        let element = tree.add(Role::Paragraph, recipient);
        for part in m.wrap(line, Face::Regular, BODY_SIZE, WINDOW_W)? {
            y += 13.0;
            placed.push(header_run(
                part,
                Face::Regular,
                BODY_SIZE,
                WINDOW_LEFT,
                y,
                element,
            ));
        }
    }
    let flow_top = (95.0 * MM).max(sender_bottom + 8.0 * MM).max(y + 10.0 * MM);
    Ok((placed, flow_top))
}

/// The full width of the text, in a block's direction.
fn full_column(direction: Direction) -> Column {
    Column {
        x: LEFT,
        width: TEXT_W,
        direction,
    }
}

fn paragraph(
    m: &Measurer,
    text: &str,
    face: Face,
    column: Column,
    gap_before: f32,
    element: usize,
) -> Result<Vec<FlowLine>, LetterError> {
    let wrapped = m.wrap(text, face, BODY_SIZE, column.width)?;
    let n = wrapped.len();
    let mut lines = Vec::with_capacity(n);
    for (i, text) in wrapped.into_iter().enumerate() {
        let x = match column.direction {
            Direction::LeftToRight => column.x,
            Direction::RightToLeft => column.line_x(m.width(&text, face, BODY_SIZE)?),
        };
        lines.push(FlowLine {
            text,
            face,
            size: BODY_SIZE,
            x,
            gap_before: if i == 0 { gap_before } else { 0.0 },
            leading: BODY_LEADING,
            keep_with_next: paragraph_keeps_with_next(i, n),
            element,
            label: None,
        });
    }
    Ok(lines)
}

/// A heading in bold, its lines kept together and with the text after it.
fn heading(
    m: &Measurer,
    text: &str,
    column: Column,
    gap_before: f32,
    element: usize,
) -> Result<Vec<FlowLine>, LetterError> {
    let mut lines = paragraph(m, text, Face::Bold, column, gap_before, element)?;
    for line in &mut lines {
        line.keep_with_next = true;
    }
    Ok(lines)
}

/// A bulleted list: L, with an LI per item holding the bullet (Lbl) and the text (LBody).
fn list(
    m: &Measurer,
    items: &[String],
    column: Column,
    gaps: impl Fn(usize) -> f32,
    list: usize,
    tree: &mut StructureTree,
) -> Result<Vec<FlowLine>, LetterError> {
    const BULLET: &str = "\u{2022}\u{a0}";
    let bullet_w = m.width(BULLET, Face::Regular, BODY_SIZE)?;
    let body = column.list_body(LIST_INDENT);
    let mut flow = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let list_item = tree.add(Role::ListItem, list);
        let label = tree.add(Role::Label, list_item);
        let text = tree.add(Role::ListBody, list_item);
        let mut lines = paragraph(m, item, Face::Regular, body, gaps(i), text)?;
        if let Some(first) = lines.first_mut() {
            let x = match column.direction {
                Direction::LeftToRight => body.x - bullet_w,
                Direction::RightToLeft => body.x + body.width,
            };
            first.label = Some(Label {
                text: BULLET.to_string(),
                x,
                element: label,
            });
        }
        flow.extend(lines);
    }
    Ok(flow)
}

fn simple(text: String, face: Face, gap: f32, keep: bool, element: usize) -> FlowLine {
    FlowLine {
        text,
        face,
        size: BODY_SIZE,
        x: LEFT,
        gap_before: gap,
        leading: BODY_LEADING,
        keep_with_next: keep,
        element,
        label: None,
    }
}

fn flow_lines(
    letter: &Letter,
    m: &Measurer,
    tree: &mut StructureTree,
) -> Result<Vec<FlowLine>, LetterError> {
    const DOCUMENT: usize = StructureTree::DOCUMENT;
    let mut flow = Vec::new();
    let date = tree.add(Role::Paragraph, DOCUMENT);
    flow.push(simple(
        format_uk(letter.date),
        Face::Regular,
        0.0,
        false,
        date,
    ));
    for (label, value) in &letter.references {
        let reference = tree.add(Role::Paragraph, DOCUMENT);
        flow.push(simple(
            format!("{label}: {value}"),
            Face::Regular,
            0.0,
            false,
            reference,
        ));
    }
    let salutation = tree.add(Role::Paragraph, DOCUMENT);
    flow.push(simple(
        letter.salutation.clone(),
        Face::Regular,
        2.0 * PARAGRAPH_GAP,
        true,
        salutation,
    ));
    let subject = tree.add(Role::Heading1, DOCUMENT);
    let column = full_column(Direction::LeftToRight);
    flow.extend(heading(m, &letter.subject, column, PARAGRAPH_GAP, subject)?);
    body_lines(letter, m, tree, &mut flow)?;
    closing_lines(letter, m, tree, &mut flow)?;
    Ok(flow)
}

/// The letter's blocks: headings, paragraphs and lists, each in its own language.
fn body_lines(
    letter: &Letter,
    m: &Measurer,
    tree: &mut StructureTree,
    flow: &mut Vec<FlowLine>,
) -> Result<(), LetterError> {
    const DOCUMENT: usize = StructureTree::DOCUMENT;
    let mut after_heading = false;
    for (index, block) in letter.blocks.iter().enumerate() {
        let language = letter.languages.of_block(index);
        let column = full_column(letter.languages.direction_of_block(index));
        match block {
            Block::Heading(h) => {
                let element = tree.add_in(Role::Heading2, DOCUMENT, language);
                let gap = 1.6 * PARAGRAPH_GAP;
                flow.extend(heading(m, h, column, gap, element)?);
                after_heading = true;
                continue;
            }
            Block::Paragraph(p) => {
                let gap = if after_heading { 2.0 } else { PARAGRAPH_GAP };
                let element = tree.add_in(Role::Paragraph, DOCUMENT, language);
                flow.extend(paragraph(m, p, Face::Regular, column, gap, element)?);
            }
            Block::List(items) => {
                let element = tree.add_in(Role::List, DOCUMENT, language);
                let gaps = |i: usize| match (i, after_heading) {
                    (0, true) => 2.0,
                    (0, false) => PARAGRAPH_GAP,
                    _ => 3.0,
                };
                flow.extend(list(m, items, column, gaps, element, tree)?);
            }
        }
        after_heading = false;
    }
    Ok(())
}

/// The sign-off, the lines the client signs, the signature and the enclosures: one block
/// that is kept on one page with the end of the text before it, so neither a signature
/// nor an enclosure list ever stands alone on the last page.
fn closing_lines(
    letter: &Letter,
    m: &Measurer,
    tree: &mut StructureTree,
    flow: &mut Vec<FlowLine>,
) -> Result<(), LetterError> {
    const DOCUMENT: usize = StructureTree::DOCUMENT;
    // At least two lines of the text go over with the closing, even from two paragraphs.
    for line in flow.iter_mut().rev().take(2) {
        line.keep_with_next = true;
    }
    let closing_starts = flow.len();
    let sign_off = tree.add(Role::Paragraph, DOCUMENT);
    flow.push(simple(
        letter.sign_off.clone(),
        Face::Regular,
        PARAGRAPH_GAP * 1.5,
        true,
        sign_off,
    ));
    if letter.client_signs {
        let signature = tree.add(Role::Paragraph, DOCUMENT);
        flow.push(simple(
            "Signature: ______________________________".to_string(),
            Face::Regular,
            12.0 * MM,
            true,
            signature,
        ));
        let date = tree.add(Role::Paragraph, DOCUMENT);
        flow.push(simple(
            "Date: ______________________".to_string(),
            Face::Regular,
            8.0 * MM,
            true,
            date,
        ));
    }
    let signature = tree.add_group("Signature", DOCUMENT);
    for (i, line) in letter.signature.iter().enumerate() {
        let gap = match (i, letter.client_signs) {
            (0, false) => SIGNATURE_SPACE,
            (0, true) => PARAGRAPH_GAP,
            _ => 0.0,
        };
        let face = if i == 0 { Face::Bold } else { Face::Regular };
        let element = tree.add(Role::Paragraph, signature);
        flow.push(simple(line.clone(), face, gap, true, element));
    }
    if !letter.enclosures.is_empty() {
        let heading = tree.add(Role::Heading2, DOCUMENT);
        flow.push(simple(
            "Enclosures".to_string(),
            Face::Bold,
            2.0 * PARAGRAPH_GAP,
            true,
            heading,
        ));
        let element = tree.add(Role::List, DOCUMENT);
        flow.extend(list(
            m,
            &letter.enclosures,
            full_column(Direction::LeftToRight),
            |_| 2.0,
            element,
            tree,
        )?);
    }
    // Chained from the text before to the very end.
    for line in &mut flow[closing_starts..] {
        line.keep_with_next = true;
    }
    if let Some(last) = flow.last_mut() {
        last.keep_with_next = false;
    }
    Ok(())
}

/// The runs of one placed line: its bullet, if any, then its text.
fn place(line: FlowLine, baseline: f32, page: &mut Vec<Run>) {
    if let Some(label) = line.label {
        page.push(Run {
            text: label.text,
            face: line.face,
            size: line.size,
            x: label.x,
            baseline,
            element: Some(label.element),
        });
    }
    page.push(Run {
        text: line.text,
        face: line.face,
        size: line.size,
        x: line.x,
        baseline,
        element: Some(line.element),
    });
}
