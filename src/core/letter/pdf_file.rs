//! Writes laid-out pages as a tagged PDF (aiming at PDF/UA-1): every line of real text
//! inside marked content with an MCID that the structure tree points at, page furniture
//! marked as an artifact, the document language, a title shown in the window bar, XMP
//! metadata, and the fonts embedded as subsets.
//!
//! A font subset depends only on the characters used, so each is made once and kept for
//! the letters that follow (a batch of letters for one client uses the same few).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;

use super::error::LetterError;
use super::font_file::FontFile;
use super::pdf::{Face, Fonts};
use super::pdf_objects::{PdfFile, deflate, text_string};
use super::tagging::{Language, StructureTree};

/// Font subsets, made once and reused, are compressed hard (content streams, which differ
/// in every letter, quickly).
const FONT_COMPRESSION: u32 = 9;
/// Subsets kept at most; a batch needs a few, so this only bounds a long-running process.
const MAX_CACHED_SUBSETS: usize = 256;

/// One piece of text at a place on a page.
pub(crate) struct Run {
    pub(crate) text: String,
    pub(crate) face: Face,
    pub(crate) size: f32,
    pub(crate) x: f32,
    /// Baseline distance from the top of the page.
    pub(crate) baseline: f32,
    /// The structure element the text belongs to; `None` for page furniture (an artifact).
    pub(crate) element: Option<usize>,
}

/// What the info dictionary and XMP metadata say about the document.
pub(crate) struct Description<'a> {
    pub(crate) title: &'a str,
    pub(crate) author: &'a str,
    pub(crate) subject: &'a str,
    pub(crate) date: NaiveDate,
    pub(crate) language: &'a Language,
}

/// Page size in points.
pub(crate) struct PageSize {
    pub(crate) width: f32,
    pub(crate) height: f32,
}

/// A font subset ready to embed: the same for every letter that uses the same characters.
struct Subset {
    /// The six-letter tag that marks a subset's name (ISO 32000-1, 9.6.4).
    tag: String,
    /// The TrueType program, compressed.
    program: Vec<u8>,
    program_len: usize,
    /// Advance widths in 1/1000 em of the subset's glyphs from `first_glyph` on.
    first_glyph: u16,
    widths: Vec<i64>,
    /// The ToUnicode CMap, compressed.
    to_unicode: Vec<u8>,
    /// The subset's glyph id for each character, sorted by character.
    glyph: Vec<(char, u16)>,
}

type SubsetKey = (Face, Vec<char>);

fn subset_cache() -> &'static Mutex<HashMap<SubsetKey, Arc<Subset>>> {
    static CACHE: OnceLock<Mutex<HashMap<SubsetKey, Arc<Subset>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The subset of `face` for these characters: from the cache, or made and cached.
fn subset_for(fonts: &Fonts, face: Face, chars: Vec<char>) -> Result<Arc<Subset>, LetterError> {
    let key = (face, chars);
    if let Some(found) = subset_cache()
        .lock()
        .ok()
        .and_then(|cache| cache.get(&key).cloned())
    {
        return Ok(found);
    }
    let made = Arc::new(make_subset(fonts.font(face), &key.1)?);
    if let Ok(mut cache) = subset_cache().lock() {
        if cache.len() >= MAX_CACHED_SUBSETS {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&made));
    }
    Ok(made)
}

fn make_subset(font: &FontFile, chars: &[char]) -> Result<Subset, LetterError> {
    // Each glyph once, with the first character that reaches it (for ToUnicode).
    let mut by_glyph: BTreeMap<u16, String> = BTreeMap::new();
    for &ch in chars {
        let gid = glyph_of(font, ch)?;
        by_glyph.entry(gid).or_insert_with(|| ch.to_string());
    }
    let glyphs: BTreeSet<u16> = by_glyph.keys().copied().collect();
    let subset = font.subset(&glyphs).map_err(LetterError::Pdf)?;
    let upem = f32::from(font.units_per_em.max(1));
    // The subset numbers the requested glyphs 1, 2, ... in order (0 is .notdef).
    let mut widths = Vec::with_capacity(by_glyph.len());
    let mut unicode = Vec::with_capacity(by_glyph.len());
    let new_gid: HashMap<u16, u16> = subset.ids.iter().copied().collect();
    for (old, text) in &by_glyph {
        let new = new_gid
            .get(old)
            .ok_or_else(|| LetterError::Pdf("a glyph was lost when subsetting the font".into()))?;
        widths.push((f32::from(font.advance(*old)) * 1000.0 / upem).round() as i64);
        unicode.push((*new, text.clone()));
    }
    let first = unicode.first().map_or(1, |(gid, _)| *gid);
    if unicode
        .iter()
        .enumerate()
        .any(|(i, (gid, _))| usize::from(*gid) != usize::from(first) + i)
    {
        return Err(LetterError::Pdf(
            "the font subset is not numbered in order".into(),
        ));
    }
    let mut glyph = Vec::with_capacity(chars.len());
    for &ch in chars {
        let old = glyph_of(font, ch)?;
        if let Some(new) = new_gid.get(&old) {
            glyph.push((ch, *new));
        }
    }
    glyph.sort_unstable();
    let mut hasher = DefaultHasher::new();
    chars.hash(&mut hasher);
    font.name.hash(&mut hasher);
    let tag = subset_tag(hasher.finish());
    Ok(Subset {
        tag,
        program_len: subset.program.len(),
        program: deflate_hard(&subset.program)?,
        first_glyph: first,
        widths,
        to_unicode: deflate_hard(to_unicode_cmap(&unicode).as_bytes())?,
        glyph,
    })
}

fn glyph_of(font: &FontFile, ch: char) -> Result<u16, LetterError> {
    font.glyph(ch)
        .ok_or_else(|| LetterError::UnsupportedCharacter {
            ch,
            text: ch.to_string(),
        })
}

/// A ToUnicode CMap from subset glyph ids to text (ISO 32000-1, 9.10.3).
pub(crate) fn to_unicode_cmap(glyphs: &[(u16, String)]) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in glyphs.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (gid, text) in chunk {
            let _ = write!(cmap, "<{gid:04X}> <");
            for unit in text.encode_utf16() {
                let _ = write!(cmap, "{unit:04X}");
            }
            cmap.push_str(">\n");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

/// Compresses hard: for font subsets, made once and reused.
pub(crate) fn deflate_hard(bytes: &[u8]) -> Result<Vec<u8>, LetterError> {
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 2),
        flate2::Compression::new(FONT_COMPRESSION),
    );
    encoder
        .write_all(bytes)
        .map_err(|e| LetterError::Pdf(e.to_string()))?;
    encoder
        .finish()
        .map_err(|e| LetterError::Pdf(e.to_string()))
}

/// The fonts one document uses: for each face, the subset and its resource name.
struct DocumentFonts {
    faces: Vec<(Face, &'static str, Arc<Subset>)>,
}

impl DocumentFonts {
    fn gather(fonts: &Fonts, pages: &[Vec<Run>]) -> Result<Self, LetterError> {
        let mut faces = Vec::new();
        for face in [Face::Regular, Face::Bold] {
            let mut used: Vec<char> = pages
                .iter()
                .flatten()
                .filter(|run| run.face == face)
                .flat_map(|run| run.text.chars())
                .collect();
            if used.is_empty() {
                continue;
            }
            used.sort_unstable();
            used.dedup();
            let resource = match face {
                Face::Regular => "F1",
                Face::Bold => "F2",
            };
            faces.push((face, resource, subset_for(fonts, face, used)?));
        }
        Ok(DocumentFonts { faces })
    }

    fn get(&self, face: Face) -> Result<(&'static str, &Subset), LetterError> {
        self.faces
            .iter()
            .find(|(f, _, _)| *f == face)
            .map(|(_, resource, subset)| (*resource, subset.as_ref()))
            .ok_or_else(|| LetterError::Pdf("a font was used but not gathered".into()))
    }

    /// Writes the font objects; returns the entries of the page resources' `/Font`.
    fn embed(&self, file: &mut PdfFile, fonts: &Fonts) -> String {
        let mut resources = String::new();
        for (face, resource, subset) in &self.faces {
            let font = fonts.font(*face);
            let base = format!("{}+{}", subset.tag, font.name);
            let type0 = embed_font(
                file,
                &FontProgram {
                    base: &base,
                    program: &subset.program,
                    program_len: subset.program_len,
                    to_unicode: &subset.to_unicode,
                    descriptor: fonts.descriptor(*face),
                    first_glyph: subset.first_glyph,
                    widths: &subset.widths,
                },
            );
            let _ = write!(resources, "/{resource} {type0} 0 R ");
        }
        resources
    }
}

/// A font subset as it goes into a PDF.
pub(crate) struct FontProgram<'a> {
    /// The subset's name: its tag, `+`, the font's PostScript name.
    pub(crate) base: &'a str,
    /// The TrueType program, compressed, and its length before compression.
    pub(crate) program: &'a [u8],
    pub(crate) program_len: usize,
    /// The ToUnicode CMap, compressed.
    pub(crate) to_unicode: &'a [u8],
    /// The font descriptor's metrics, as dictionary entries.
    pub(crate) descriptor: &'a str,
    /// Advance widths in 1/1000 em of the glyphs from `first_glyph` on.
    pub(crate) first_glyph: u16,
    pub(crate) widths: &'a [i64],
}

/// Writes a subset as a Type 0 font over a CIDFontType2 with Identity-H glyph ids (ISO
/// 32000-1, 9.7); returns the Type 0 font's object number.
pub(crate) fn embed_font(file: &mut PdfFile, font: &FontProgram) -> usize {
    let base = font.base;
    let program = file.reserve();
    let entries = format!(" /Length1 {} /Filter /FlateDecode", font.program_len);
    file.stream(program, &entries, font.program);
    let to_unicode = file.reserve();
    file.stream(to_unicode, " /Filter /FlateDecode", font.to_unicode);
    let descriptor = file.reserve();
    file.object(
        descriptor,
        &format!(
            "<</Type /FontDescriptor /FontName /{base} {} /FontFile2 {program} 0 R>>",
            font.descriptor
        ),
    );
    let mut widths = String::with_capacity(font.widths.len() * 4);
    for w in font.widths {
        let _ = write!(widths, "{w} ");
    }
    let cid_font = file.reserve();
    file.object(
        cid_font,
        &format!(
            "<</Type /Font /Subtype /CIDFontType2 /BaseFont /{base} \
             /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> \
             /FontDescriptor {descriptor} 0 R /DW 1000 /W [{} [{}]] /CIDToGIDMap /Identity>>",
            font.first_glyph,
            widths.trim_end()
        ),
    );
    let type0 = file.reserve();
    file.object(
        type0,
        &format!(
            "<</Type /Font /Subtype /Type0 /BaseFont /{base} /Encoding /Identity-H \
             /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R>>"
        ),
    );
    type0
}

/// The six capital letters that mark a subset's name (ISO 32000-1, 9.6.4), from a hash of
/// what the subset holds.
pub(crate) fn subset_tag(mut hash: u64) -> String {
    (0..6)
        .map(|_| {
            let letter = char::from(b'A' + (hash % 26) as u8);
            hash /= 26;
            letter
        })
        .collect()
}

/// A number as PDF content-stream syntax, to a thousandth of a point.
pub(crate) fn number(out: &mut Vec<u8>, value: f32) {
    let thousandths = (value * 1000.0).round() as i64;
    if thousandths < 0 {
        out.push(b'-');
    }
    let (whole, fraction) = (thousandths.abs() / 1000, thousandths.abs() % 1000);
    let _ = write!(out, "{whole}");
    if fraction != 0 {
        let digits = format!("{fraction:03}");
        out.push(b'.');
        out.extend_from_slice(digits.trim_end_matches('0').as_bytes());
    }
}

/// The content stream of one page; pushes the structure element of each MCID in order.
fn page_content(
    runs: &[Run],
    tree: &StructureTree,
    fonts: &DocumentFonts,
    page_height: f32,
    mcid_elements: &mut Vec<usize>,
) -> Result<Vec<u8>, LetterError> {
    let mut out = Vec::with_capacity(runs.len() * 120);
    for run in runs {
        match run.element {
            Some(element) => {
                let role = tree.elements[element].role.pdf_name();
                let _ = writeln!(out, "/{role} <</MCID {}>> BDC", mcid_elements.len());
                mcid_elements.push(element);
            }
            None => {
                out.extend_from_slice(b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n")
            }
        }
        let (resource, subset) = fonts.get(run.face)?;
        let _ = write!(out, "BT\n/{resource} ");
        number(&mut out, run.size);
        out.extend_from_slice(b" Tf\n");
        number(&mut out, run.x);
        out.push(b' ');
        number(&mut out, page_height - run.baseline);
        // The glyph ids as a literal string of bytes: half the size of hex, so less to
        // compress. Bytes the string syntax reads specially are escaped.
        out.extend_from_slice(b" Td\n(");
        for ch in run.text.chars() {
            let gid = subset
                .glyph
                .binary_search_by_key(&ch, |(c, _)| *c)
                .map(|at| subset.glyph[at].1)
                .map_err(|_| {
                    LetterError::Pdf("a character is missing from the font subset".into())
                })?;
            for byte in gid.to_be_bytes() {
                match byte {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    _ => out.push(byte),
                }
            }
        }
        out.extend_from_slice(b") Tj\nET\nEMC\n");
    }
    Ok(out)
}

/// Writes the pages as a tagged PDF.
pub(crate) fn write_pdf(
    fonts: &Fonts,
    size: &PageSize,
    pages: &[Vec<Run>],
    tree: &StructureTree,
    description: &Description,
) -> Result<Vec<u8>, LetterError> {
    let document_fonts = DocumentFonts::gather(fonts, pages)?;
    write_tagged(
        |file| document_fonts.embed(file, fonts),
        pages.len(),
        |index, mcids| page_content(&pages[index], tree, &document_fonts, size.height, mcids),
        size,
        tree,
        description,
    )
}

/// Writes a tagged PDF: the fonts (`embed_fonts` writes them and returns the entries of the
/// resources' `/Font`), then each page's content stream (`content` gives page `index`'s
/// and pushes the structure element of each MCID in order), then the structure.
pub(crate) fn write_tagged<E: From<LetterError>>(
    embed_fonts: impl FnOnce(&mut PdfFile) -> String,
    page_count: usize,
    mut content: impl FnMut(usize, &mut Vec<usize>) -> Result<Vec<u8>, E>,
    size: &PageSize,
    tree: &StructureTree,
    description: &Description,
) -> Result<Vec<u8>, E> {
    let mut file = PdfFile::new();
    let ids = DocumentIds {
        catalog: file.reserve(),
        pages: file.reserve(),
        struct_root: file.reserve(),
    };
    let font_resources = embed_fonts(&mut file);
    let resources = file.reserve();
    file.object(resources, &format!("<</Font <<{font_resources}>>>>"));

    // Marked content, page by page; then the structure elements that point at it.
    let mut page_ids = Vec::with_capacity(page_count);
    let mut page_mcids: Vec<Vec<usize>> = Vec::with_capacity(page_count);
    let mut identity = DefaultHasher::new();
    description.title.hash(&mut identity);
    for index in 0..page_count {
        let mut mcids = Vec::new();
        let content = content(index, &mut mcids)?;
        content.hash(&mut identity);
        let content_id = file.reserve();
        file.stream(content_id, " /Filter /FlateDecode", &deflate(&content)?);
        let page = file.reserve();
        // Tab order follows the structure (PDF/UA-1, 7.18.3).
        file.object(
            page,
            &format!(
                "<</Type /Page /Parent {} 0 R /MediaBox [0 0 {} {}] \
                 /Resources {resources} 0 R /Contents {content_id} 0 R \
                 /StructParents {} /Tabs /S>>",
                ids.pages,
                size.width,
                size.height,
                page_ids.len()
            ),
        );
        page_ids.push(page);
        page_mcids.push(mcids);
    }
    Ok(finish_tagged(
        file,
        ids,
        &page_ids,
        &page_mcids,
        tree,
        description,
        identity.finish(),
    )?)
}

/// The objects reserved before the pages are written, which the document's end points at.
pub(crate) struct DocumentIds {
    pub(crate) catalog: usize,
    pub(crate) pages: usize,
    pub(crate) struct_root: usize,
}

/// Writes what follows the pages of a tagged PDF: the page tree, the structure tree and
/// its parent tree, the XMP metadata, the catalogue and the info dictionary; returns the
/// file. `identity` is a hash of the content (the file identifier).
pub(crate) fn finish_tagged(
    mut file: PdfFile,
    ids: DocumentIds,
    page_ids: &[usize],
    page_mcids: &[Vec<usize>],
    tree: &StructureTree,
    description: &Description,
    identity: u64,
) -> Result<Vec<u8>, LetterError> {
    let DocumentIds {
        catalog,
        pages: pages_id,
        struct_root,
    } = ids;
    let kids: Vec<String> = page_ids.iter().map(|p| format!("{p} 0 R")).collect();
    file.object(
        pages_id,
        &format!(
            "<</Type /Pages /Count {} /Kids [{}]>>",
            page_ids.len(),
            kids.join(" ")
        ),
    );

    let element_ids = write_structure(&mut file, tree, struct_root, page_ids, page_mcids);
    let mut parent_tree = String::new();
    for (page, mcids) in page_mcids.iter().enumerate() {
        let _ = write!(parent_tree, "{page} [");
        for element in mcids.iter().filter_map(|e| element_ids[*e]) {
            let _ = write!(parent_tree, "{element} 0 R ");
        }
        parent_tree.push_str("] ");
    }
    let parent_tree_id = file.reserve();
    file.object(parent_tree_id, &format!("<</Nums [{parent_tree}]>>"));
    let document = element_ids[StructureTree::DOCUMENT]
        .map(|d| format!("{d} 0 R"))
        .unwrap_or_default();
    file.object(
        struct_root,
        &format!(
            "<</Type /StructTreeRoot /K [{document}] /ParentTree {parent_tree_id} 0 R \
             /ParentTreeNextKey {}>>",
            page_ids.len()
        ),
    );

    // XMP is left uncompressed, so that tools which do not parse the PDF can find it.
    let metadata = file.reserve();
    file.stream(
        metadata,
        "/Type /Metadata /Subtype /XML",
        xmp_metadata(description).as_bytes(),
    );
    file.object(
        catalog,
        &format!(
            "<</Type /Catalog /Pages {pages_id} 0 R /Lang {} /MarkInfo <</Marked true>> \
             /StructTreeRoot {struct_root} 0 R /ViewerPreferences <</DisplayDocTitle true>> \
             /Metadata {metadata} 0 R>>",
            text_string(&description.language.tag)
        ),
    );
    let date = text_string(&pdf_date(description.date));
    let info = file.reserve();
    file.object(
        info,
        &format!(
            "<</Title {} /Author {} /Subject {} /Creator (sanctuary) /Producer (sanctuary) \
             /CreationDate {date} /ModDate {date}>>",
            text_string(description.title),
            text_string(description.author),
            text_string(description.subject)
        ),
    );
    // The file identifier comes from the content, not from chance or the clock.
    file.finish(catalog, info, &format!("{identity:016x}"))
}

/// Writes the structure elements that hold content (directly or below them); returns each
/// element's object number (`None` for an element left empty, which is not written).
fn write_structure(
    file: &mut PdfFile,
    tree: &StructureTree,
    struct_root: usize,
    page_ids: &[usize],
    page_mcids: &[Vec<usize>],
) -> Vec<Option<usize>> {
    let count = tree.elements.len();
    // Marked-content references of each element, in reading order.
    let mut content: Vec<Vec<(usize, usize)>> = vec![Vec::new(); count];
    for (page, mcids) in page_mcids.iter().enumerate() {
        for (mcid, element) in mcids.iter().enumerate() {
            content[*element].push((page, mcid));
        }
    }
    // Children come after their parent, so one pass from the end finds the non-empty ones.
    let mut used: Vec<bool> = content.iter().map(|c| !c.is_empty()).collect();
    for index in (0..count).rev() {
        if used[index]
            && let Some(parent) = tree.elements[index].parent
        {
            used[parent] = true;
        }
    }
    let ids: Vec<Option<usize>> = used.iter().map(|u| u.then(|| file.reserve())).collect();
    let mut kids: Vec<String> = vec![String::new(); count];
    for (index, element) in tree.elements.iter().enumerate() {
        if let (Some(id), Some(parent)) = (ids[index], element.parent) {
            let _ = write!(kids[parent], "{id} 0 R ");
        }
    }
    let mut body = String::with_capacity(96);
    for (index, element) in tree.elements.iter().enumerate() {
        let Some(id) = ids[index] else { continue };
        let parent = element.parent.and_then(|p| ids[p]).unwrap_or(struct_root);
        // A marked-content reference on the element's own page (`/Pg`) is its bare MCID.
        let own_page = content[index].first().map(|(page, _)| *page);
        let mut element_kids = std::mem::take(&mut kids[index]);
        for (page, mcid) in &content[index] {
            if Some(*page) == own_page {
                let _ = write!(element_kids, "{mcid} ");
            } else {
                let _ = write!(
                    element_kids,
                    "<</Type /MCR /Pg {} 0 R /MCID {mcid}>> ",
                    page_ids[*page]
                );
            }
        }
        body.clear();
        let _ = write!(
            body,
            "<</S /{} /P {parent} 0 R /K [{}]",
            element.role.pdf_name(),
            element_kids.trim_end()
        );
        if let Some(page) = own_page {
            let _ = write!(body, " /Pg {} 0 R", page_ids[page]);
        }
        if let Some(language) = &element.language {
            let _ = write!(body, " /Lang {}", text_string(&language.tag));
        }
        if let Some(title) = element.title {
            let _ = write!(body, " /T {}", text_string(title));
        }
        if let Some(text) = &element.actual_text {
            let _ = write!(body, " /ActualText {}", text_string(text));
        }
        body.push_str(">>");
        file.object(id, &body);
    }
    ids
}

/// Noon UTC on the letter's date, so a viewer in any UK time zone shows that date, and the
/// file says no more about when the adviser worked than the letter does.
fn pdf_date(date: NaiveDate) -> String {
    format!("D:{}120000+00'00'", date.format("%Y%m%d"))
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// XMP metadata: the title, author and subject again, the dates, and the PDF/UA-1 claim.
fn xmp_metadata(description: &Description) -> String {
    let date = format!("{}T12:00:00Z", description.date.format("%Y-%m-%d"));
    let language = xml_escape(&description.language.tag);
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
<xmp:CreatorTool>sanctuary</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<pdf:Producer>sanctuary</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        title = xml_escape(description.title),
        author = xml_escape(description.author),
        subject = xml_escape(description.subject),
    )
}
