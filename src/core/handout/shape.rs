//! Setting a paragraph in lines: the Unicode bidirectional algorithm orders the runs of
//! each line (the paragraph's direction from its language; Latin names and numbers inside
//! right-to-left text keep their own order), lines break where Unicode allows, measured on
//! shaped advances, and rustybuzz shapes each run with its script, language and direction
//! (Arabic joining, lam-alef, marks; Ge'ez; Vietnamese stacked diacritics).

use std::ops::Range;
use std::str::FromStr;

use rustybuzz::{Direction as ShapingDirection, UnicodeBuffer, script};
use unicode_bidi::{BidiInfo, Level};
use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::HandoutError;
use super::fonts::{Family, FontId, Fonts, Weight, is_format};
use crate::letter::Direction;

/// A glyph placed on a line.
#[derive(Debug, Clone)]
pub(crate) struct PlacedGlyph {
    pub(crate) font: FontId,
    pub(crate) glyph: u16,
    /// The size it is set at, in points.
    pub(crate) size: f32,
    /// From the line's left end, in points.
    pub(crate) x: f32,
    /// Up from the baseline, in points (marks placed above or below their base).
    pub(crate) y: f32,
    /// The text this glyph stands for (its cluster's), on the first glyph of a cluster only.
    pub(crate) text: Option<String>,
}

/// One set line: its glyphs left to right and its width.
#[derive(Debug, Clone)]
pub(crate) struct SetLine {
    pub(crate) glyphs: Vec<PlacedGlyph>,
    pub(crate) width: f32,
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub(crate) weight: Weight,
    pub(crate) size: f32,
}

impl Style {
    pub(crate) const fn regular(size: f32) -> Style {
        Style {
            weight: Weight::Regular,
            size,
        }
    }

    pub(crate) const fn bold(size: f32) -> Style {
        Style {
            weight: Weight::Bold,
            size,
        }
    }
}

/// A paragraph being set: its text, its bidi levels and its language.
struct Paragraph<'a> {
    fonts: &'a Fonts,
    text: &'a str,
    bidi: BidiInfo<'a>,
    language: Option<rustybuzz::Language>,
    style: Style,
    /// The family of each byte of the text (meaningful at character starts).
    families: Vec<Family>,
}

/// Sets `text` (one paragraph, no line breaks) in lines no wider than `width` points.
pub(crate) fn set_paragraph(
    fonts: &Fonts,
    text: &str,
    language: &str,
    direction: Direction,
    style: Style,
    width: f32,
) -> Result<Vec<SetLine>, HandoutError> {
    let level = match direction {
        Direction::LeftToRight => Level::ltr(),
        Direction::RightToLeft => Level::rtl(),
    };
    let paragraph = Paragraph {
        fonts,
        text,
        bidi: BidiInfo::new(text, Some(level)),
        language: rustybuzz::Language::from_str(language).ok(),
        style,
        families: families(fonts, text, direction),
    };
    let mut lines = Vec::new();
    for range in paragraph.break_lines(width)? {
        lines.push(paragraph.set_line(range)?);
    }
    Ok(lines)
}

/// Each character's family: by script, with common characters following the text before
/// them (or, at the start, the paragraph's main script).
fn families(fonts: &Fonts, text: &str, direction: Direction) -> Vec<Family> {
    let first_script = text
        .chars()
        .find_map(super::fonts::script_family)
        .unwrap_or(match direction {
            Direction::LeftToRight => Family::Latin,
            Direction::RightToLeft => Family::Arabic,
        });
    let mut families = vec![first_script; text.len()];
    let mut around = first_script;
    for (at, ch) in text.char_indices() {
        let family = fonts.family_for(ch, around);
        if super::fonts::script_family(ch).is_some() {
            around = family;
        }
        families[at..at + ch.len_utf8()].fill(family);
    }
    families
}

impl Paragraph<'_> {
    /// Splits a stretch of the text into items of one bidi level and one family, in
    /// logical order.
    fn items(&self, range: Range<usize>, levels: &[Level]) -> Vec<Range<usize>> {
        let mut items: Vec<Range<usize>> = Vec::new();
        for (offset, _) in self.text[range.clone()].char_indices() {
            let at = range.start + offset;
            let same = items.last().is_some_and(|last| {
                levels[last.start] == levels[at] && self.families[last.start] == self.families[at]
            });
            match items.last_mut() {
                Some(last) if same => last.end = at,
                _ => items.push(at..at),
            }
            if let Some(last) = items.last_mut() {
                last.end = at + self.text[at..].chars().next().map_or(1, char::len_utf8);
            }
        }
        items
    }

    /// Shapes one item; returns its glyphs placed from `pen` and the pen after them.
    fn shape(
        &self,
        item: Range<usize>,
        rtl: bool,
        pen: f32,
        out: &mut Vec<PlacedGlyph>,
    ) -> Result<f32, HandoutError> {
        let family = self.families[item.start];
        let font_id = FontId {
            family,
            weight: self.style.weight,
        };
        let font = self.fonts.get(font_id);
        let piece = &self.text[item.clone()];
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(piece);
        buffer.set_direction(if rtl {
            ShapingDirection::RightToLeft
        } else {
            ShapingDirection::LeftToRight
        });
        buffer.set_script(match family {
            Family::Arabic => script::ARABIC,
            Family::Ethiopic => script::ETHIOPIC,
            Family::Latin => script::LATIN,
        });
        if let Some(language) = &self.language {
            buffer.set_language(language.clone());
        }
        let shaped = rustybuzz::shape(&font.shaping, &[], buffer);
        let size = self.style.size * family.scale();
        let scale = size / font.units_per_em;
        // Each cluster's text runs from its start to the next cluster start (logically).
        let mut starts: Vec<usize> = shaped
            .glyph_infos()
            .iter()
            .map(|g| g.cluster as usize)
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let carrier = text_carriers(&shaped, &starts);
        let mut pen = pen;
        for (index, (info, position)) in shaped
            .glyph_infos()
            .iter()
            .zip(shaped.glyph_positions())
            .enumerate()
        {
            let cluster = info.cluster as usize;
            let glyph = u16::try_from(info.glyph_id).unwrap_or(0);
            let at = starts.binary_search(&cluster).unwrap_or(0);
            if glyph == 0 {
                let missing = piece[cluster..].chars().next().unwrap_or(' ');
                if !is_format(missing) {
                    return Err(HandoutError::MissingGlyph {
                        ch: missing,
                        font: font_id.name(),
                    });
                }
            }
            let text = (carrier[at] == Some(index)).then(|| {
                let end = starts.get(at + 1).copied().unwrap_or(piece.len());
                let text = &piece[cluster..end];
                // Readers take right-to-left glyphs as drawn, right to left, and reverse
                // them into reading order, the characters of one glyph with them; so a
                // glyph standing for several (a letter and its marks) lists them backwards.
                if rtl {
                    text.chars().rev().collect()
                } else {
                    text.to_string()
                }
            });
            out.push(PlacedGlyph {
                font: font_id,
                glyph,
                size,
                x: pen + position.x_offset as f32 * scale,
                y: position.y_offset as f32 * scale,
                text,
            });
            pen += position.x_advance as f32 * scale;
        }
        Ok(pen)
    }

    /// The width of a stretch of text as shaped (in its logical order; order does not
    /// change the sum of advances).
    fn measure(&self, range: Range<usize>) -> Result<f32, HandoutError> {
        let mut scratch = Vec::new();
        let mut width = 0.0;
        for item in self.items(range, &self.bidi.levels) {
            let rtl = self.bidi.levels[item.start].is_rtl();
            width = self.shape(item, rtl, width, &mut scratch)?;
            scratch.clear();
        }
        Ok(width)
    }

    /// Greedy line breaking at the break opportunities, on measured widths. A stretch with
    /// no opportunity wider than a line (a long web address) is broken between characters.
    fn break_lines(&self, width: f32) -> Result<Vec<Range<usize>>, HandoutError> {
        let mut lines = Vec::new();
        let mut start = 0;
        let mut end = 0;
        let mut used = 0.0;
        for (next, opportunity) in linebreaks(self.text) {
            let segment = end..next;
            let visible = segment.start..trim_end(self.text, segment.clone());
            let segment_width = self.measure(segment.clone())?;
            let visible_width = self.measure(visible)?;
            if end > start && used + visible_width > width {
                lines.push(start..end);
                start = end;
                used = 0.0;
            }
            if end == start && visible_width > width {
                for piece in self.split_long(segment.clone(), width)? {
                    lines.push(piece);
                }
                if let Some(last) = lines.pop() {
                    start = last.start;
                    used = self.measure(last)?;
                }
            } else {
                used += segment_width;
            }
            end = next;
            if opportunity == BreakOpportunity::Mandatory && next < self.text.len() {
                lines.push(start..end);
                start = end;
                used = 0.0;
            }
        }
        if end > start {
            lines.push(start..end);
        }
        Ok(lines)
    }

    /// Breaks an over-long stretch between characters.
    fn split_long(
        &self,
        range: Range<usize>,
        width: f32,
    ) -> Result<Vec<Range<usize>>, HandoutError> {
        let mut pieces = Vec::new();
        let mut start = range.start;
        for (offset, ch) in self.text[range.clone()].char_indices() {
            let at = range.start + offset;
            if at > start && self.measure(start..at + ch.len_utf8())? > width {
                pieces.push(start..at);
                start = at;
            }
        }
        pieces.push(start..range.end);
        Ok(pieces)
    }

    /// Sets one line: its visual runs left to right, each shaped in its direction.
    fn set_line(&self, range: Range<usize>) -> Result<SetLine, HandoutError> {
        let visible = range.start..trim_end(self.text, range.clone());
        let paragraph = &self.bidi.paragraphs[0];
        let mut glyphs = Vec::new();
        let mut pen = 0.0;
        if !visible.is_empty() {
            let (levels, runs) = self.bidi.visual_runs(paragraph, visible.clone());
            for run in runs {
                let rtl = levels[run.start].is_rtl();
                let mut items = self.items(run, &levels);
                if rtl {
                    items.reverse();
                }
                for item in items {
                    pen = self.shape(item, rtl, pen, &mut glyphs)?;
                }
            }
        }
        Ok(SetLine { glyphs, width: pen })
    }
}

/// For each cluster (by its index in `starts`), the glyph that carries its text: its first
/// glyph that advances (the letter, not a mark drawn on it), or its first glyph when none
/// does.
fn text_carriers(shaped: &rustybuzz::GlyphBuffer, starts: &[usize]) -> Vec<Option<usize>> {
    let positions = shaped.glyph_positions();
    let mut carrier: Vec<Option<usize>> = vec![None; starts.len()];
    for (i, info) in shaped.glyph_infos().iter().enumerate() {
        let at = starts.binary_search(&(info.cluster as usize)).unwrap_or(0);
        let better = match carrier[at] {
            None => true,
            Some(c) => positions[c].x_advance == 0 && positions[i].x_advance != 0,
        };
        if better {
            carrier[at] = Some(i);
        }
    }
    carrier
}

/// The end of `range` less trailing white space.
fn trim_end(text: &str, range: Range<usize>) -> usize {
    range.start + text[range].trim_end().len()
}
