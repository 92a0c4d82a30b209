//! Writes laid-out hand-out pages as a tagged PDF: the fonts embedded as subsets of the
//! glyphs used (shaped glyphs have no character of their own, so subsets are made by glyph
//! id), each glyph placed where the shaper put it (`TJ` adjustments for advances that differ
//! from the font's, text rise for marks), and each line's logical text as `/ActualText` so
//! that copying and text extraction give the text as written, not as drawn.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write as _;

use super::HandoutError;
use super::fonts::{FontId, Fonts};
use super::layout::{PAGE_H, PAGE_W, PlacedLine};
use crate::letter::pdf_file::{
    Description, FontProgram, PageSize, deflate_hard, embed_font, number, subset_tag,
    to_unicode_cmap, write_tagged,
};
use crate::letter::pdf_objects::{PdfFile, text_string};
use crate::letter::tagging::StructureTree;

/// One font's subset, made for each hand-out: a hand-out is printed one at a time, and
/// two clients' hand-outs rarely use the same glyphs.
struct Subset {
    program: Vec<u8>,
    program_len: usize,
    /// The subset's glyph id of each glyph of the full font used.
    new_id: HashMap<u16, u16>,
    /// The text the ToUnicode CMap gives each glyph of the full font used.
    unicode: HashMap<u16, String>,
    /// Widths in 1/1000 em of the subset's glyphs 1, 2, ...
    widths: Vec<i64>,
    to_unicode: Vec<u8>,
    tag: String,
}

fn make_subset(
    fonts: &Fonts,
    id: FontId,
    glyphs: &BTreeMap<u16, String>,
) -> Result<Subset, HandoutError> {
    let font = fonts.get(id);
    let wanted: BTreeSet<u16> = glyphs.keys().copied().collect();
    let subset = font.file.subset(&wanted).map_err(HandoutError::Pdf)?;
    let new_id: HashMap<u16, u16> = subset.ids.iter().copied().collect();
    let by_new: BTreeMap<u16, u16> = subset.ids.iter().map(|(old, new)| (*new, *old)).collect();
    // The subset numbers the glyphs asked for 1, 2, ... (0 is .notdef).
    let widths = (1..=by_new.keys().last().copied().unwrap_or(0))
        .map(|new| {
            let advance = by_new.get(&new).map_or(0, |old| font.advance(*old));
            (f32::from(advance) * 1000.0 / font.units_per_em).round() as i64
        })
        .collect();
    let unicode: Vec<(u16, String)> = glyphs
        .iter()
        .filter(|(_, text)| !text.is_empty())
        .filter_map(|(old, text)| new_id.get(old).map(|new| (*new, text.clone())))
        .collect();
    let mut hasher = DefaultHasher::new();
    glyphs.hash(&mut hasher);
    id.name().hash(&mut hasher);
    let tag = subset_tag(hasher.finish());
    Ok(Subset {
        program_len: subset.program.len(),
        program: deflate_hard(&subset.program)?,
        new_id,
        unicode: glyphs.iter().map(|(g, t)| (*g, t.clone())).collect(),
        widths,
        to_unicode: deflate_hard(to_unicode_cmap(&unicode).as_bytes())?,
        tag,
    })
}

/// The fonts of one document: for each face used, its subset and resource name.
struct DocumentFonts {
    faces: Vec<(FontId, String, Subset)>,
}

impl DocumentFonts {
    fn gather(fonts: &Fonts, pages: &[Vec<PlacedLine>]) -> Result<Self, HandoutError> {
        let mut used: BTreeMap<FontId, BTreeMap<u16, String>> = BTreeMap::new();
        for glyph in pages.iter().flatten().flat_map(|l| &l.line.glyphs) {
            let text = used
                .entry(glyph.font)
                .or_default()
                .entry(glyph.glyph)
                .or_default();
            if text.is_empty()
                && let Some(own) = &glyph.text
            {
                own.clone_into(text);
            }
        }
        let mut faces = Vec::with_capacity(used.len());
        for (index, (font, glyphs)) in used.iter().enumerate() {
            faces.push((
                *font,
                format!("F{}", index + 1),
                make_subset(fonts, *font, glyphs)?,
            ));
        }
        Ok(DocumentFonts { faces })
    }

    fn get(&self, font: FontId) -> Result<(&str, &Subset), HandoutError> {
        self.faces
            .iter()
            .find(|(f, _, _)| *f == font)
            .map(|(_, resource, subset)| (resource.as_str(), subset))
            .ok_or_else(|| HandoutError::Pdf("a font was used but not gathered".into()))
    }

    /// Writes the font objects; returns the entries of the page resources' `/Font`.
    fn embed(&self, file: &mut PdfFile, fonts: &Fonts) -> String {
        let mut resources = String::new();
        for (font, resource, subset) in &self.faces {
            let base = format!("{}+{}", subset.tag, font.name());
            let type0 = embed_font(
                file,
                &FontProgram {
                    base: &base,
                    program: &subset.program,
                    program_len: subset.program_len,
                    to_unicode: &subset.to_unicode,
                    descriptor: &fonts.get(*font).descriptor,
                    first_glyph: 1,
                    widths: &subset.widths,
                },
            );
            let _ = write!(resources, "/{resource} {type0} 0 R ");
        }
        resources
    }
}

/// Writes one line's glyphs: a `TJ` array per stretch of one font and one rise, with
/// adjustments wherever the shaper placed a glyph away from where the font's advance
/// would put it. Glyphs are drawn left to right (visual order), and each one's ToUnicode
/// entry gives its text, so readers recover the logical order as for any right-to-left
/// PDF. A glyph whose ToUnicode entry says something else here (a mirrored bracket, a glyph
/// that is part of a longer cluster) carries its own `/ActualText`.
fn show_glyphs(
    out: &mut Vec<u8>,
    line: &PlacedLine,
    fonts: &Fonts,
    document: &DocumentFonts,
) -> Result<(), HandoutError> {
    // The font, size and rise in force.
    let mut current: Option<(FontId, f32, f32)> = None;
    let mut pen = 0.0_f32;
    let mut open = false;
    for glyph in &line.line.glyphs {
        let (resource, subset) = document.get(glyph.font)?;
        let own_text = glyph.text.as_deref().unwrap_or("");
        let actual = subset.unicode.get(&glyph.glyph).map(String::as_str) != Some(own_text);
        let new_font =
            current.is_none_or(|(font, size, _)| font != glyph.font || size != glyph.size);
        let new_rise = current.is_none_or(|(_, _, rise)| (rise - glyph.y).abs() > 0.001);
        if open && (new_font || new_rise || actual) {
            out.extend_from_slice(b"] TJ\n");
            open = false;
        }
        if new_font {
            let _ = write!(out, "/{resource} ");
            number(out, glyph.size);
            out.extend_from_slice(b" Tf ");
        }
        if new_rise {
            number(out, glyph.y);
            out.extend_from_slice(b" Ts ");
        }
        current = Some((glyph.font, glyph.size, glyph.y));
        if actual {
            let _ = write!(out, "/Span <</ActualText {}>> BDC ", text_string(own_text));
        }
        if !open {
            out.push(b'[');
            open = true;
        }
        let shift = glyph.x - pen;
        if shift.abs() > 0.001 {
            number(out, -shift * 1000.0 / glyph.size);
        }
        let new = subset.new_id.get(&glyph.glyph).copied().unwrap_or(0);
        let _ = write!(out, "<{new:04X}>");
        if actual {
            out.extend_from_slice(b"] TJ EMC\n");
            open = false;
        }
        let font = fonts.get(glyph.font);
        pen = glyph.x + f32::from(font.advance(glyph.glyph)) / font.units_per_em * glyph.size;
    }
    if open {
        out.extend_from_slice(b"] TJ\n");
    }
    Ok(())
}

/// The content stream of one page; pushes the structure element of each MCID in order.
fn page_content(
    lines: &[PlacedLine],
    tree: &StructureTree,
    fonts: &Fonts,
    document: &DocumentFonts,
    mcid_elements: &mut Vec<usize>,
) -> Result<Vec<u8>, HandoutError> {
    let mut out = Vec::with_capacity(lines.len() * 200);
    for line in lines.iter().filter(|l| !l.line.glyphs.is_empty()) {
        match line.element {
            Some(element) => {
                let role = tree.elements[element].role.pdf_name();
                let _ = write!(out, "/{role} <</MCID {}>> BDC ", mcid_elements.len());
                mcid_elements.push(element);
            }
            None => out.extend_from_slice(b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC "),
        }
        // The line as written, in logical order, whatever order its glyphs are drawn in.
        out.extend_from_slice(b"BT\n1 0 0 1 ");
        number(&mut out, line.x);
        out.push(b' ');
        number(&mut out, PAGE_H - line.baseline);
        out.extend_from_slice(b" Tm\n");
        show_glyphs(&mut out, line, fonts, document)?;
        out.extend_from_slice(b"ET\nEMC\n");
    }
    Ok(out)
}

/// Writes the pages as a tagged PDF.
pub(crate) fn write_pdf(
    fonts: &Fonts,
    pages: &[Vec<PlacedLine>],
    tree: &StructureTree,
    description: &Description,
) -> Result<Vec<u8>, HandoutError> {
    let document = DocumentFonts::gather(fonts, pages)?;
    let size = PageSize {
        width: PAGE_W,
        height: PAGE_H,
    };
    write_tagged(
        |file| document.embed(file, fonts),
        pages.len(),
        |index, mcids| page_content(&pages[index], tree, fonts, &document, mcids),
        &size,
        tree,
        description,
    )
}
