//! PDF rendering with printpdf: A4, embedded and subset DejaVu Sans, the
//! recipient placed for a DL window envelope, wrapped paragraphs, page
//! breaks that keep headings and the signature with their text, and
//! "Page N of M" footers.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};

use printpdf::{
    Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};

use super::compose::{Block, Letter};
use super::error::LetterError;
use crate::calendar::dates::format_uk;

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Letters.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold-Letters.ttf");

const COMPRESSION_LEVEL: u32 = 1;
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

struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
}

fn fonts() -> Result<&'static Fonts, LetterError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let regular = slim_name_table(REGULAR_TTF)?;
            let bold = slim_name_table(BOLD_TTF)?;
            let regular = ParsedFont::from_bytes(&regular, 0, &mut Vec::new())?;
            let bold = ParsedFont::from_bytes(&bold, 0, &mut Vec::new())?;
            Some(Fonts { regular, bold })
        })
        .as_ref()
        .ok_or_else(|| LetterError::Pdf("the embedded DejaVu Sans font could not be read".into()))
}

/// Copies the font with a smaller `name` table: the Windows-platform names
/// (family, style, copyright, licence URL) are kept, while the duplicate Mac
/// records and the full licence text are dropped from the copy that is
/// subset into each PDF. That saves about 7 KB a letter. The full licence
/// ships in `assets/fonts/LICENSE`. The shipped TTF files are unchanged.
fn slim_name_table(font: &[u8]) -> Option<Vec<u8>> {
    let u16_at = |b: &[u8], i: usize| -> Option<u16> {
        Some(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]))
    };
    let u32_at = |b: &[u8], i: usize| -> Option<u32> {
        Some(u32::from_be_bytes([
            *b.get(i)?,
            *b.get(i + 1)?,
            *b.get(i + 2)?,
            *b.get(i + 3)?,
        ]))
    };
    let num_tables = usize::from(u16_at(font, 4)?);
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(num_tables);
    for t in 0..num_tables {
        let rec = 12 + 16 * t;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let offset = usize::try_from(u32_at(font, rec + 8)?).ok()?;
        let length = usize::try_from(u32_at(font, rec + 12)?).ok()?;
        let data = font.get(offset..offset + length)?;
        // Layout tables are dropped too: text is set glyph by glyph, with no
        // shaping, so they are never read, and parsing them costs time.
        if matches!(
            &tag,
            b"GPOS" | b"GSUB" | b"GDEF" | b"kern" | b"MATH" | b"FFTM"
        ) {
            continue;
        }
        let data = if &tag == b"name" {
            slim_names(data)?
        } else {
            data.to_vec()
        };
        tables.push((tag, data));
    }
    let mut out = font.get(..4)?.to_vec();
    let count = u16::try_from(tables.len()).ok()?;
    // searchRange, entrySelector and rangeShift for the new table count.
    let entry_selector = 15 - u16::try_from(count.max(1).leading_zeros()).ok()?;
    let search_range = (1u16 << entry_selector) * 16;
    for v in [
        count,
        search_range,
        entry_selector,
        count * 16 - search_range,
    ] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut body = Vec::new();
    for (tag, data) in &tables {
        let padded = (data.len() + 3) & !3;
        let mut checksum: u32 = 0;
        for chunk in data.chunks(4) {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            checksum = checksum.wrapping_add(u32::from_be_bytes(word));
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum.to_be_bytes());
        out.extend_from_slice(&u32::try_from(offset).ok()?.to_be_bytes());
        out.extend_from_slice(&u32::try_from(data.len()).ok()?.to_be_bytes());
        body.extend_from_slice(data);
        body.resize(body.len() + padded - data.len(), 0);
        offset += padded;
    }
    out.extend_from_slice(&body);
    Some(out)
}

fn slim_names(name: &[u8]) -> Option<Vec<u8>> {
    let u16_at =
        |i: usize| -> Option<u16> { Some(u16::from_be_bytes([*name.get(i)?, *name.get(i + 1)?])) };
    let count = usize::from(u16_at(2)?);
    let storage = usize::from(u16_at(4)?);
    let mut kept: Vec<[u16; 4]> = Vec::new();
    let mut strings: Vec<&[u8]> = Vec::new();
    for r in 0..count {
        let at = 6 + 12 * r;
        let (platform, encoding, language, id) = (
            u16_at(at)?,
            u16_at(at + 2)?,
            u16_at(at + 4)?,
            u16_at(at + 6)?,
        );
        let (length, offset) = (usize::from(u16_at(at + 8)?), usize::from(u16_at(at + 10)?));
        if platform == 3 && matches!(id, 0..=6 | 14) {
            kept.push([platform, encoding, language, id]);
            strings.push(name.get(storage + offset..storage + offset + length)?);
        }
    }
    let mut out = Vec::new();
    let header_len = 6 + 12 * kept.len();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&u16::try_from(kept.len()).ok()?.to_be_bytes());
    out.extend_from_slice(&u16::try_from(header_len).ok()?.to_be_bytes());
    let mut next = 0usize;
    for (rec, s) in kept.iter().zip(&strings) {
        for v in rec {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&u16::try_from(s.len()).ok()?.to_be_bytes());
        out.extend_from_slice(&u16::try_from(next).ok()?.to_be_bytes());
        next += s.len();
    }
    for s in strings {
        out.extend_from_slice(s);
    }
    Some(out)
}

#[derive(Clone, Copy, PartialEq)]
enum Face {
    Regular,
    Bold,
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
}

struct Placed {
    text: String,
    face: Face,
    size: f32,
    x: f32,
    /// Baseline distance from the top of the page.
    baseline: f32,
}

struct Measurer<'a> {
    fonts: &'a Fonts,
}

impl Measurer<'_> {
    fn font(&self, face: Face) -> &ParsedFont {
        match face {
            Face::Regular => &self.fonts.regular,
            Face::Bold => &self.fonts.bold,
        }
    }

    fn width(&self, text: &str, face: Face, size: f32) -> Result<f32, LetterError> {
        let font = self.font(face);
        let upem = f32::from(font.font_metrics.units_per_em.max(1));
        let mut units = 0.0;
        for ch in text.chars() {
            check_script(ch, text)?;
            let gid = font.lookup_glyph_index(ch as u32).ok_or_else(|| {
                LetterError::UnsupportedCharacter {
                    ch,
                    text: text.to_string(),
                }
            })?;
            units += f32::from(font.get_horizontal_advance(gid));
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

/// Noon UTC on the letter's date: a viewer in any UK time zone shows that date.
fn letter_datetime(date: NaiveDate) -> printpdf::DateTime {
    printpdf::DateTime::new_in_offset(
        printpdf::Date {
            year: date.year(),
            month: u8::try_from(date.month()).unwrap_or(1),
            day: u8::try_from(date.day()).unwrap_or(1),
        },
        printpdf::Time {
            hour: 12,
            minute: 0,
            second: 0,
            millisecond: 0,
        },
        printpdf::Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    )
}

/// Renders the letter as an A4 PDF with the font embedded and subset.
pub fn render_pdf(letter: &Letter) -> Result<Vec<u8>, LetterError> {
    let fonts = fonts()?;
    let m = Measurer { fonts };
    let (header, flow_top) = header_lines(letter, &m)?;
    let flow = flow_lines(letter, &m)?;
    let mut pages = paginate(&flow, flow_top);
    if let Some(first) = pages.first_mut() {
        first.splice(0..0, header);
    }

    let mut doc = PdfDocument::new(&letter.title);
    doc.metadata.info.document_title = letter.title.clone();
    doc.metadata.info.author = letter.author.clone();
    doc.metadata.info.creator = "sanctuary".to_string();
    doc.metadata.info.producer = "sanctuary (printpdf)".to_string();
    doc.metadata.info.subject = letter.subject.clone();
    // The file's dates are the letter's date, not the moment it was made, so
    // the PDF says no more about when the adviser worked than the letter does.
    let dated = letter_datetime(letter.date);
    doc.metadata.info.creation_date = dated;
    doc.metadata.info.modification_date = dated;
    doc.metadata.info.metadata_date = dated;
    let regular = doc.add_font(&fonts.regular);
    let bold = doc.add_font(&fonts.bold);

    let total = pages.len();
    let mut pdf_pages = Vec::with_capacity(total);
    for (index, mut lines) in pages.into_iter().enumerate() {
        let footer = format!("Page {} of {total}", index + 1);
        let footer_w = m.width(&footer, Face::Regular, SMALL_SIZE)?;
        lines.push(Placed {
            text: footer,
            face: Face::Regular,
            size: SMALL_SIZE,
            x: (PAGE_W - footer_w) / 2.0,
            baseline: FOOTER_BASELINE,
        });
        let mut ops = Vec::with_capacity(lines.len() * 5);
        for line in lines {
            let handle = match line.face {
                Face::Regular => regular.clone(),
                Face::Bold => bold.clone(),
            };
            ops.push(Op::StartTextSection);
            ops.push(Op::SetTextCursor {
                pos: Point {
                    x: Pt(line.x),
                    y: Pt(PAGE_H - line.baseline),
                },
            });
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(handle),
                size: Pt(line.size),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(line.text)],
            });
            ops.push(Op::EndTextSection);
        }
        pdf_pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    // printpdf's `optimize` is left off and the streams are compressed below at
    // COMPRESSION_LEVEL instead, which keeps the size while costing less time.
    let options = PdfSaveOptions {
        subset_fonts: true,
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let mut lo = doc
        .with_pages(pdf_pages)
        .to_lopdf_document(&options, &mut warnings);
    for object in lo.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object
            && stream.dict.get(b"Filter").is_err()
        {
            use std::io::Write;
            let mut encoder = flate2::write::ZlibEncoder::new(
                Vec::with_capacity(stream.content.len() / 2),
                flate2::Compression::new(COMPRESSION_LEVEL),
            );
            encoder
                .write_all(&stream.content)
                .map_err(|e| LetterError::Pdf(e.to_string()))?;
            let compressed = encoder
                .finish()
                .map_err(|e| LetterError::Pdf(e.to_string()))?;
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| LetterError::Pdf(e.to_string()))?;
    if bytes.is_empty() {
        return Err(LetterError::Pdf("printpdf produced no output".into()));
    }
    Ok(bytes)
}

/// Sender block (top right) and recipient block (in the window); returns the
/// lines and where the flowing text may start.
fn header_lines(letter: &Letter, m: &Measurer) -> Result<(Vec<Placed>, f32), LetterError> {
    let mut placed = Vec::new();
    let sender_w = PAGE_W - RIGHT - SENDER_LEFT;
    let mut y = SENDER_TOP;
    for (i, line) in letter.sender.iter().enumerate() {
        let face = if i == 0 { Face::Bold } else { Face::Regular };
        for part in m.wrap(line, face, SMALL_SIZE, sender_w)? {
            y += SMALL_LEADING;
            placed.push(Placed {
                text: part,
                face,
                size: SMALL_SIZE,
                x: SENDER_LEFT,
                baseline: y,
            });
        }
    }
    let sender_bottom = y;
    let mut y = WINDOW_TOP;
    for line in &letter.recipient {
        for part in m.wrap(line, Face::Regular, BODY_SIZE, WINDOW_W)? {
            y += 13.0;
            placed.push(Placed {
                text: part,
                face: Face::Regular,
                size: BODY_SIZE,
                x: WINDOW_LEFT,
                baseline: y,
            });
        }
    }
    let flow_top = (95.0 * MM).max(sender_bottom + 8.0 * MM).max(y + 10.0 * MM);
    Ok((placed, flow_top))
}

fn paragraph(
    m: &Measurer,
    text: &str,
    face: Face,
    x: f32,
    width: f32,
    gap_before: f32,
) -> Result<Vec<FlowLine>, LetterError> {
    let wrapped = m.wrap(text, face, BODY_SIZE, width)?;
    let n = wrapped.len();
    Ok(wrapped
        .into_iter()
        .enumerate()
        .map(|(i, text)| FlowLine {
            text,
            face,
            size: BODY_SIZE,
            x,
            gap_before: if i == 0 { gap_before } else { 0.0 },
            leading: BODY_LEADING,
            // Short paragraphs stay whole; longer ones keep two lines together
            // at the start and at the end (no orphans or widows).
            keep_with_next: i + 1 < n && (n <= 3 || i == 0 || i + 2 == n),
        })
        .collect())
}

fn flow_lines(letter: &Letter, m: &Measurer) -> Result<Vec<FlowLine>, LetterError> {
    let mut flow = Vec::new();
    let simple = |text: String, face: Face, gap: f32, keep: bool| FlowLine {
        text,
        face,
        size: BODY_SIZE,
        x: LEFT,
        gap_before: gap,
        leading: BODY_LEADING,
        keep_with_next: keep,
    };
    flow.push(simple(format_uk(letter.date), Face::Regular, 0.0, false));
    for (label, value) in &letter.references {
        flow.push(simple(
            format!("{label}: {value}"),
            Face::Regular,
            0.0,
            false,
        ));
    }
    flow.push(simple(
        letter.salutation.clone(),
        Face::Regular,
        2.0 * PARAGRAPH_GAP,
        true,
    ));
    let mut subject = paragraph(m, &letter.subject, Face::Bold, LEFT, TEXT_W, PARAGRAPH_GAP)?;
    for line in &mut subject {
        line.keep_with_next = true;
    }
    flow.extend(subject);

    let mut after_heading = false;
    for block in &letter.blocks {
        match block {
            Block::Heading(h) => {
                let mut lines = paragraph(m, h, Face::Bold, LEFT, TEXT_W, 1.6 * PARAGRAPH_GAP)?;
                for line in &mut lines {
                    line.keep_with_next = true;
                }
                flow.extend(lines);
                after_heading = true;
                continue;
            }
            Block::Paragraph(p) => {
                let gap = if after_heading { 2.0 } else { PARAGRAPH_GAP };
                flow.extend(paragraph(m, p, Face::Regular, LEFT, TEXT_W, gap)?);
            }
            Block::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let gap = match (i, after_heading) {
                        (0, true) => 2.0,
                        (0, false) => PARAGRAPH_GAP,
                        _ => 3.0,
                    };
                    let mut lines = paragraph(
                        m,
                        item,
                        Face::Regular,
                        LEFT + LIST_INDENT,
                        TEXT_W - LIST_INDENT,
                        gap,
                    )?;
                    if let Some(first) = lines.first_mut() {
                        first.text = format!("\u{2022}\u{a0}{}", first.text);
                        first.x = LEFT + LIST_INDENT
                            - m.width("\u{2022}\u{a0}", Face::Regular, BODY_SIZE)?;
                    }
                    flow.extend(lines);
                }
            }
        }
        after_heading = false;
    }
    // The signature never starts a page on its own: chain it to the last text.
    if let Some(last) = flow.last_mut() {
        last.keep_with_next = true;
    }
    flow.push(simple(
        letter.sign_off.clone(),
        Face::Regular,
        PARAGRAPH_GAP * 1.5,
        true,
    ));
    if letter.client_signs {
        flow.push(simple(
            "Signature: ______________________________".to_string(),
            Face::Regular,
            12.0 * MM,
            true,
        ));
        flow.push(simple(
            "Date: ______________________".to_string(),
            Face::Regular,
            8.0 * MM,
            true,
        ));
    }
    let n = letter.signature.len();
    for (i, line) in letter.signature.iter().enumerate() {
        let gap = match (i, letter.client_signs) {
            (0, false) => SIGNATURE_SPACE,
            (0, true) => PARAGRAPH_GAP,
            _ => 0.0,
        };
        let face = if i == 0 { Face::Bold } else { Face::Regular };
        flow.push(simple(line.clone(), face, gap, i + 1 < n));
    }
    if !letter.enclosures.is_empty() {
        flow.push(simple(
            "Enclosures".to_string(),
            Face::Bold,
            2.0 * PARAGRAPH_GAP,
            true,
        ));
        for e in &letter.enclosures {
            let mut lines = paragraph(
                m,
                e,
                Face::Regular,
                LEFT + LIST_INDENT,
                TEXT_W - LIST_INDENT,
                2.0,
            )?;
            if let Some(first) = lines.first_mut() {
                first.text = format!("\u{2022}\u{a0}{}", first.text);
                first.x =
                    LEFT + LIST_INDENT - m.width("\u{2022}\u{a0}", Face::Regular, BODY_SIZE)?;
            }
            flow.extend(lines);
        }
    }
    Ok(flow)
}

/// Places flow lines on pages, moving a whole keep-together group to the
/// next page when it does not fit.
fn paginate(flow: &[FlowLine], first_top: f32) -> Vec<Vec<Placed>> {
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut y = first_top;
    let mut page_top = first_top;
    let mut i = 0;
    while i < flow.len() {
        let mut end = i;
        while end + 1 < flow.len() && flow[end].keep_with_next {
            end += 1;
        }
        let group = &flow[i..=end];
        let height: f32 =
            group.iter().map(|l| l.gap_before + l.leading).sum::<f32>() - group[0].gap_before;
        let at_top = (y - page_top).abs() < f32::EPSILON;
        let fits = y + if at_top { 0.0 } else { group[0].gap_before } + height <= BOTTOM_LIMIT;
        let group_fits_a_page = TOP_LATER_PAGES + height <= BOTTOM_LIMIT;
        if !fits && !at_top && group_fits_a_page {
            pages.push(Vec::new());
            y = TOP_LATER_PAGES;
            page_top = y;
        }
        for line in group {
            let at_top = (y - page_top).abs() < f32::EPSILON;
            let gap = if at_top { 0.0 } else { line.gap_before };
            if y + gap + line.leading > BOTTOM_LIMIT && !at_top {
                pages.push(Vec::new());
                y = TOP_LATER_PAGES;
                page_top = y;
            } else {
                y += gap;
            }
            y += line.leading;
            if let Some(page) = pages.last_mut() {
                page.push(Placed {
                    text: line.text.clone(),
                    face: line.face,
                    size: line.size,
                    x: line.x,
                    baseline: y - (line.leading - line.size) / 2.0 - 0.2 * line.size,
                });
            }
        }
        i = end + 1;
    }
    pages
}
