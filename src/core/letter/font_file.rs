//! A TrueType font as the PDF writers need it: glyph lookup, advances and the metrics of the
//! font descriptor, read in place with `ttf-parser` (no copy of the tables on the heap), and
//! subsets by glyph id made with `subsetter` (the subsetter typst uses).

use std::collections::BTreeSet;

use ttf_parser::Face;

/// A parsed font over bytes that live for the whole process (the fonts are built in).
pub(crate) struct FontFile {
    data: &'static [u8],
    face: Face<'static>,
    /// The PostScript name, for the PDF's `/BaseFont` and `/FontName`.
    pub name: String,
    pub units_per_em: u16,
    pub ascent: i16,
    pub descent: i16,
    pub cap_height: i16,
    pub bbox: [i16; 4],
    /// The italic angle in degrees (0 for upright faces).
    pub italic_angle: f32,
    pub weight: u16,
}

/// A subset of a font: the font program and the new id of each glyph kept. The glyphs asked
/// for are numbered 1, 2, ... in ascending order of their old ids (`.notdef` stays 0).
pub(crate) struct GlyphSubset {
    pub program: Vec<u8>,
    /// `(old id, new id)`, sorted by old id.
    pub ids: Vec<(u16, u16)>,
}

impl FontFile {
    /// Parses a font; `None` if the bytes are not a font `ttf-parser` can read.
    pub fn parse(data: &'static [u8]) -> Option<FontFile> {
        let face = Face::parse(data, 0).ok()?;
        let name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| "Font".to_string());
        let bbox = face.global_bounding_box();
        let ascent = face.ascender();
        Some(FontFile {
            name,
            units_per_em: face.units_per_em(),
            ascent,
            descent: face.descender(),
            cap_height: face.capital_height().unwrap_or(ascent),
            bbox: [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max],
            italic_angle: face.italic_angle(),
            weight: face.weight().to_number(),
            data,
            face,
        })
    }

    /// The parsed font, for a shaper to read the same tables without parsing them again.
    pub fn face(&self) -> &Face<'static> {
        &self.face
    }

    /// The glyph id of a character, if the font has one (never `.notdef`).
    pub fn glyph(&self, ch: char) -> Option<u16> {
        self.face.glyph_index(ch).map(|g| g.0).filter(|g| *g != 0)
    }

    /// A glyph's advance width in font units.
    pub fn advance(&self, glyph: u16) -> u16 {
        self.face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or(0)
    }

    /// A subset with these glyphs (and `.notdef`).
    pub fn subset(&self, glyphs: &BTreeSet<u16>) -> Result<GlyphSubset, String> {
        let mut remapper = subsetter::GlyphRemapper::new();
        let ids = glyphs
            .iter()
            .map(|old| (*old, remapper.remap(*old)))
            .collect();
        let program = subsetter::subset(self.data, 0, &remapper)
            .ok()
            .and_then(|program| slim_name_table(&program))
            .ok_or_else(|| format!("the font {} could not be subset", self.name))?;
        Ok(GlyphSubset { program, ids })
    }

    /// The font descriptor's metrics (ISO 32000-1, 9.8), in 1/1000 em, as dictionary entries.
    pub fn descriptor(&self, symbolic: bool) -> String {
        let scale = 1000.0 / f32::from(self.units_per_em.max(1));
        let scaled = |v: i16| (f32::from(v) * scale).round() as i64;
        let italic_angle = self.italic_angle.round() as i64;
        // Non-symbolic (Latin) or symbolic (any other script), and italic where the font slants.
        let flags = if symbolic { 4 } else { 32 } | if italic_angle == 0 { 0 } else { 64 };
        // No table holds the stem width: estimated from the weight, as PDF producers do.
        let stem_v = 50 + (f32::from(self.weight) / 65.0).powi(2).round() as i64;
        format!(
            "/Ascent {} /Descent {} /CapHeight {} /ItalicAngle {italic_angle} /Flags {flags} \
             /StemV {stem_v} /FontBBox [{} {} {} {}]",
            scaled(self.ascent),
            scaled(self.descent),
            scaled(self.cap_height),
            scaled(self.bbox[0]),
            scaled(self.bbox[1]),
            scaled(self.bbox[2]),
            scaled(self.bbox[3]),
        )
    }
}

/// Copies a font subset with a smaller `name` table: the Windows-platform names
/// (family, style, copyright, licence URL) are kept, while the duplicate Mac
/// records and the full licence text are dropped from the copy embedded in
/// each PDF. That saves about 7 KB a letter. The full licences ship in
/// `assets/fonts/`. The shipped TTF files are unchanged.
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
        // Layout tables are dropped too: a PDF reader draws the glyphs placed,
        // and never shapes (the subsetter keeps none of them anyway).
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

#[cfg(test)]
mod tests {
    use super::*;

    const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Letters.ttf");

    #[test]
    fn reads_glyphs_advances_and_metrics() {
        let font = FontFile::parse(REGULAR).expect("the built-in font parses");
        assert_eq!(font.units_per_em, 2048);
        assert!(font.name.starts_with("DejaVuSans"), "{}", font.name);
        let a = font.glyph('a').expect("a glyph for a");
        assert_ne!(font.glyph('b'), Some(a));
        assert!(font.advance(a) > 0);
        assert_eq!(font.glyph('\u{E000}'), None, "private use has no glyph");
        assert!(font.ascent > 0 && font.descent < 0 && font.cap_height > 0);
    }

    #[test]
    fn subsets_number_the_glyphs_in_order_and_shrink_the_font() {
        let font = FontFile::parse(REGULAR).expect("the built-in font parses");
        let glyphs: BTreeSet<u16> = "Dear Sir".chars().filter_map(|c| font.glyph(c)).collect();
        let subset = font.subset(&glyphs).expect("subset");
        let new: Vec<u16> = subset.ids.iter().map(|(_, new)| *new).collect();
        assert_eq!(new, (1..=glyphs.len() as u16).collect::<Vec<_>>());
        assert!(
            subset.program.len() < REGULAR.len() / 4,
            "{}",
            subset.program.len()
        );
        let sub = Face::parse(&subset.program, 0).expect("the subset is a font");
        assert_eq!(usize::from(sub.number_of_glyphs()), glyphs.len() + 1);
        for (old, new) in &subset.ids {
            assert_eq!(
                sub.glyph_hor_advance(ttf_parser::GlyphId(*new)),
                Some(font.advance(*old))
            );
        }
    }
}
