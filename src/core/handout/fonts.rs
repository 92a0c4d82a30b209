//! The hand-out's fonts: Noto Naskh Arabic (Arabic script), Noto Sans Ethiopic (Ge'ez) and
//! Noto Sans (Latin, with Vietnamese; Greek; Cyrillic; digits and punctuation), each regular
//! and bold, kept whole with their layout tables so that text can be shaped. Each is read
//! once per process, when first needed, and parsed once for both the shaper and the PDF.

use std::sync::OnceLock;

use rustybuzz::Face as ShapingFace;

use super::HandoutError;
use crate::letter::font_file::FontFile;

/// A family of the hand-out, chosen per character by script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Family {
    Latin,
    Arabic,
    Ethiopic,
}

impl Family {
    /// How much larger than the nominal size the family is set: Naskh's letters are small
    /// for their em, and would look a size smaller than the Latin beside them.
    pub(crate) fn scale(self) -> f32 {
        match self {
            Family::Arabic => 1.2,
            Family::Latin | Family::Ethiopic => 1.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// One face: a family in a weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct FontId {
    pub(crate) family: Family,
    pub(crate) weight: Weight,
}

const FACES: [(Family, Weight, &str, &[u8]); 6] = [
    (
        Family::Latin,
        Weight::Regular,
        "NotoSans-Regular",
        include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf"),
    ),
    (
        Family::Latin,
        Weight::Bold,
        "NotoSans-Bold",
        include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf"),
    ),
    (
        Family::Arabic,
        Weight::Regular,
        "NotoNaskhArabic-Regular",
        include_bytes!("../../../assets/fonts/NotoNaskhArabic-Regular.ttf"),
    ),
    (
        Family::Arabic,
        Weight::Bold,
        "NotoNaskhArabic-Bold",
        include_bytes!("../../../assets/fonts/NotoNaskhArabic-Bold.ttf"),
    ),
    (
        Family::Ethiopic,
        Weight::Regular,
        "NotoSansEthiopic-Regular",
        include_bytes!("../../../assets/fonts/NotoSansEthiopic-Regular.ttf"),
    ),
    (
        Family::Ethiopic,
        Weight::Bold,
        "NotoSansEthiopic-Bold",
        include_bytes!("../../../assets/fonts/NotoSansEthiopic-Bold.ttf"),
    ),
];

impl FontId {
    pub(crate) const ALL: [FontId; 6] = {
        let mut all = [FontId {
            family: Family::Latin,
            weight: Weight::Regular,
        }; 6];
        let mut i = 0;
        while i < 6 {
            all[i] = FontId {
                family: FACES[i].0,
                weight: FACES[i].1,
            };
            i += 1;
        }
        all
    };

    fn index(self) -> usize {
        let family = match self.family {
            Family::Latin => 0,
            Family::Arabic => 2,
            Family::Ethiopic => 4,
        };
        family
            + match self.weight {
                Weight::Regular => 0,
                Weight::Bold => 1,
            }
    }

    /// The PostScript name the PDF gives the font.
    pub(crate) fn name(self) -> &'static str {
        FACES[self.index()].2
    }

    fn bytes(self) -> &'static [u8] {
        FACES[self.index()].3
    }
}

/// A face ready for shaping, with its metrics for the PDF.
pub(crate) struct Font {
    pub(crate) shaping: ShapingFace<'static>,
    pub(crate) units_per_em: f32,
    /// The PDF font descriptor's metrics, as dictionary entries (ISO 32000-1, 9.8).
    pub(crate) descriptor: String,
    /// The same font as the PDF writer reads it, for subsetting.
    pub(crate) file: FontFile,
}

impl Font {
    fn load(id: FontId) -> Option<Font> {
        let file = FontFile::parse(id.bytes())?;
        // The shaper reads the tables the PDF writer's parse found: each file is parsed once.
        let shaping = ShapingFace::from_face(file.face().clone());
        Some(Font {
            units_per_em: f32::from(file.units_per_em.max(1)),
            // Latin is the standard character set; the other scripts are "symbolic".
            descriptor: file.descriptor(id.family != Family::Latin),
            shaping,
            file,
        })
    }

    /// The glyph's advance in font units (its `hmtx` width, what the PDF's `/W` says).
    pub(crate) fn advance(&self, glyph: u16) -> u16 {
        self.shaping
            .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(glyph))
            .unwrap_or(0)
    }

    /// Whether the face has a glyph for the character.
    pub(crate) fn has(&self, ch: char) -> bool {
        self.shaping.glyph_index(ch).is_some_and(|g| g.0 != 0)
    }
}

/// The six faces, read once per process.
pub(crate) struct Fonts {
    faces: Vec<Font>,
}

impl Fonts {
    pub(crate) fn get(&self, id: FontId) -> &Font {
        &self.faces[id.index()]
    }

    /// The family that sets `ch`: by script, with characters common to all scripts (spaces,
    /// digits, punctuation) staying in the family of the text around them when it has them.
    pub(crate) fn family_for(&self, ch: char, around: Family) -> Family {
        match script_family(ch) {
            Some(family) => family,
            None if self
                .get(FontId {
                    family: around,
                    weight: Weight::Regular,
                })
                .has(ch) =>
            {
                around
            }
            None => Family::Latin,
        }
    }
}

/// The family a character's script needs, or `None` for one that any family may set.
pub(crate) fn script_family(ch: char) -> Option<Family> {
    match u32::from(ch) {
        // Arabic, Arabic Supplement, Arabic Extended-A, presentation forms.
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            // The Arabic comma, semicolon and question mark, digits and the tatweel belong
            // to the script too.
            Some(Family::Arabic)
        }
        // Ethiopic and its supplements and extensions.
        0x1200..=0x139F | 0x2D80..=0x2DDF | 0xAB00..=0xAB2F | 0x1E7E0..=0x1E7FF => {
            Some(Family::Ethiopic)
        }
        _ if ch.is_alphabetic() => Some(Family::Latin),
        _ => None,
    }
}

pub(crate) fn fonts() -> Result<&'static Fonts, HandoutError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let faces: Option<Vec<Font>> = FontId::ALL.iter().map(|id| Font::load(*id)).collect();
            faces.map(|faces| Fonts { faces })
        })
        .as_ref()
        .ok_or(HandoutError::Font("the hand-out's Noto fonts"))
}

/// Whether the hand-out's fonts can print `ch` in a hand-out in `language` (a BCP 47 tag
/// such as `ar`, `ps`, `ckb`, `ti`, `vi`). Text in any language may hold names, numbers and
/// English words, so every family of the hand-out counts. Controls and format characters
/// (such as the zero-width non-joiner Farsi uses) print nothing and are always covered.
pub fn font_covers(language: &str, ch: char) -> bool {
    let _ = language;
    if ch.is_control() || is_format(ch) {
        return true;
    }
    let Ok(fonts) = fonts() else {
        return false;
    };
    [Family::Latin, Family::Arabic, Family::Ethiopic]
        .into_iter()
        .any(|family| {
            fonts
                .get(FontId {
                    family,
                    weight: Weight::Regular,
                })
                .has(ch)
        })
}

/// Invisible characters that steer shaping or direction rather than print.
pub(crate) fn is_format(ch: char) -> bool {
    matches!(
        u32::from(ch),
        0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF
    )
}
