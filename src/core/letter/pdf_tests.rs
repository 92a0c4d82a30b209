//! Tests of the tagged PDF: the structure tree of every template, read back from the file
//! with lopdf, and page breaks that keep the closing with the text.

use std::collections::{BTreeMap, HashMap};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::tests::{LUKASZ, OLENA, full_request};
use super::*;
use crate::calendar::dates::format_uk;

/// The left margin, in points, where body text starts.
const LEFT_MARGIN: f32 = 25.0 * 72.0 / 25.4;

/// Every template that exists, each with one organisation it can go to.
fn every_template_once(cat: &Catalogue) -> Vec<(String, String)> {
    cat.templates()
        .iter()
        .map(|t| {
            let org = t.organisations.first().cloned().unwrap_or_else(|| {
                if t.kind == LetterKind::Request {
                    "other".to_string()
                } else {
                    "home-office".to_string()
                }
            });
            (t.id.clone(), org)
        })
        .collect()
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The letter's words in reading order, as a reader should meet them.
fn expected_text(letter: &Letter) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(letter.sender.iter().cloned());
    parts.extend(letter.recipient.iter().cloned());
    parts.push(format_uk(letter.date));
    for (label, value) in &letter.references {
        parts.push(format!("{label}: {value}"));
    }
    parts.push(letter.salutation.clone());
    parts.push(letter.subject.clone());
    for block in &letter.blocks {
        match block {
            Block::Heading(text) | Block::Paragraph(text) => parts.push(text.clone()),
            Block::List(items) => parts.extend(items.iter().map(|i| format!("\u{2022} {i}"))),
        }
    }
    parts.push(letter.sign_off.clone());
    if letter.client_signs {
        parts.push("Signature: ______________________________".to_string());
        parts.push("Date: ______________________".to_string());
    }
    parts.extend(letter.signature.iter().cloned());
    if !letter.enclosures.is_empty() {
        parts.push("Enclosures".to_string());
        parts.extend(letter.enclosures.iter().map(|e| format!("\u{2022} {e}")));
    }
    squash(&parts.join(" "))
}

/// One marked-content sequence as drawn.
#[derive(Debug)]
struct Mark {
    page: usize,
    /// `None` for an artifact.
    mcid: Option<i64>,
    text: String,
    x: f32,
}

/// One structure element, in the order of a walk of the tree.
#[derive(Debug)]
struct Element {
    role: String,
    language: Option<String>,
    depth: usize,
    /// (page index, MCID) of the content it holds directly.
    content: Vec<(usize, i64)>,
}

struct Tagged {
    doc: Document,
    catalog: Dictionary,
    marks: Vec<Mark>,
    elements: Vec<Element>,
}

fn name_of(object: &Object) -> String {
    object
        .as_name()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

fn text_of(object: &Object) -> String {
    let bytes = object.as_str().unwrap_or_default();
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

fn hex_units(hex: &str) -> Vec<u16> {
    (0..hex.len() / 4)
        .map(|i| u16::from_str_radix(&hex[4 * i..4 * i + 4], 16).expect("hex"))
        .collect()
}

/// Glyph id to text for each font resource, read from its ToUnicode CMap.
fn font_texts(doc: &Document, page: ObjectId) -> HashMap<Vec<u8>, HashMap<u16, String>> {
    let mut fonts = HashMap::new();
    let resources = doc
        .get_dictionary(page)
        .and_then(|p| p.get(b"Resources"))
        .and_then(|r| doc.dereference(r))
        .and_then(|(_, o)| o.as_dict())
        .expect("a resources dictionary");
    let font_dict = doc
        .dereference(resources.get(b"Font").expect("fonts"))
        .and_then(|(_, o)| o.as_dict())
        .expect("a font dictionary");
    for (resource, font) in font_dict.iter() {
        let font = doc
            .dereference(font)
            .and_then(|(_, o)| o.as_dict())
            .expect("font");
        let cmap = doc
            .dereference(font.get(b"ToUnicode").expect("every font has ToUnicode"))
            .and_then(|(_, o)| o.as_stream())
            .expect("a stream")
            .decompressed_content()
            .expect("decompresses");
        let cmap = String::from_utf8(cmap).expect("ascii");
        let mut map = HashMap::new();
        for line in cmap.lines() {
            let pieces: Vec<&str> = line
                .split(['<', '>', ' '])
                .filter(|p| !p.is_empty())
                .collect();
            if let [gid, text] = pieces[..]
                && gid.len() == 4
                && line.starts_with('<')
            {
                map.insert(
                    hex_units(gid)[0],
                    String::from_utf16_lossy(&hex_units(text)),
                );
            }
        }
        fonts.insert(resource.clone(), map);
    }
    fonts
}

fn read_marks(doc: &Document) -> Vec<Mark> {
    let mut marks = Vec::new();
    for (page_index, (_, page)) in doc.get_pages().into_iter().enumerate() {
        let fonts = font_texts(doc, page);
        let content = Content::decode(&doc.get_page_content(page)).expect("content parses");
        let (mut font, mut x, mut open) = (Vec::new(), 0.0, false);
        for op in content.operations {
            match op.operator.as_str() {
                "BDC" => {
                    assert!(!open, "marked content is not nested");
                    let tag = name_of(&op.operands[0]);
                    let mcid = op.operands[1]
                        .as_dict()
                        .ok()
                        .and_then(|d| d.get(b"MCID").ok())
                        .and_then(|m| m.as_i64().ok());
                    assert_eq!(tag == "Artifact", mcid.is_none(), "{tag} has an MCID");
                    marks.push(Mark {
                        page: page_index,
                        mcid,
                        text: String::new(),
                        x: 0.0,
                    });
                    open = true;
                }
                "EMC" => open = false,
                "Tf" => font = op.operands[0].as_name().expect("font").to_vec(),
                "Td" => x = op.operands[0].as_float().expect("x"),
                "Tj" => {
                    assert!(open, "text outside marked content");
                    let mark = marks.last_mut().expect("a mark");
                    mark.x = x;
                    for pair in op.operands[0].as_str().expect("string").chunks(2) {
                        let gid = u16::from_be_bytes([pair[0], pair[1]]);
                        mark.text.push_str(&fonts[&font][&gid]);
                    }
                }
                _ => {}
            }
        }
    }
    marks
}

fn walk(
    doc: &Document,
    id: ObjectId,
    parent: ObjectId,
    depth: usize,
    pages: &HashMap<ObjectId, usize>,
    out: &mut Vec<Element>,
) {
    let element = doc.get_dictionary(id).expect("an element");
    let p = element
        .get(b"P")
        .and_then(Object::as_reference)
        .expect("/P");
    assert_eq!(p, parent, "an element's /P is its parent");
    let own_page = element
        .get(b"Pg")
        .and_then(Object::as_reference)
        .ok()
        .map(|pg| pages[&pg]);
    let index = out.len();
    out.push(Element {
        role: name_of(element.get(b"S").expect("/S")),
        language: element.get(b"Lang").ok().map(text_of),
        depth,
        content: Vec::new(),
    });
    let kids = match element.get(b"K").expect("/K") {
        Object::Array(kids) => kids.clone(),
        kid => vec![kid.clone()],
    };
    for kid in kids {
        match kid {
            Object::Integer(mcid) => {
                let page = own_page.expect("an element with MCIDs has /Pg");
                out[index].content.push((page, mcid));
            }
            Object::Dictionary(mcr) => {
                let page = mcr.get(b"Pg").and_then(Object::as_reference).expect("Pg");
                let mcid = mcr.get(b"MCID").and_then(Object::as_i64).expect("MCID");
                out[index].content.push((pages[&page], mcid));
            }
            Object::Reference(child) => walk(doc, child, id, depth + 1, pages, out),
            other => panic!("unexpected kid {other:?}"),
        }
    }
}

fn read_tagged(bytes: &[u8]) -> Tagged {
    let doc = Document::load_mem(bytes).expect("the PDF parses");
    let catalog = doc.catalog().expect("a catalogue").clone();
    let marks = read_marks(&doc);
    let root_id = catalog
        .get(b"StructTreeRoot")
        .and_then(Object::as_reference)
        .expect("a structure tree");
    let root = doc.get_dictionary(root_id).expect("root");
    let pages: HashMap<ObjectId, usize> = doc
        .get_pages()
        .values()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    let mut elements = Vec::new();
    let top = match root.get(b"K").expect("/K") {
        Object::Array(kids) => kids.clone(),
        kid => vec![kid.clone()],
    };
    for kid in top {
        let id = kid.as_reference().expect("a reference");
        walk(&doc, id, root_id, 0, &pages, &mut elements);
    }
    Tagged {
        doc,
        catalog,
        marks,
        elements,
    }
}

impl Tagged {
    /// The text of the content each element holds directly.
    fn texts(&self) -> Vec<String> {
        let by_mcid: HashMap<(usize, i64), &str> = self
            .marks
            .iter()
            .filter_map(|m| m.mcid.map(|id| ((m.page, id), m.text.as_str())))
            .collect();
        self.elements
            .iter()
            .map(|e| {
                let lines: Vec<&str> = e.content.iter().map(|key| by_mcid[key]).collect();
                squash(&lines.join(" "))
            })
            .collect()
    }

    fn checks_every_mcid_is_referenced_once(&self) {
        let mut referenced: BTreeMap<(usize, i64), usize> = BTreeMap::new();
        for e in &self.elements {
            for key in &e.content {
                *referenced.entry(*key).or_default() += 1;
            }
        }
        let drawn: Vec<(usize, i64)> = self
            .marks
            .iter()
            .filter_map(|m| m.mcid.map(|id| (m.page, id)))
            .collect();
        assert_eq!(drawn.len(), referenced.len(), "content and tree match");
        for key in drawn {
            assert_eq!(
                referenced.get(&key),
                Some(&1),
                "MCID {key:?} referenced once"
            );
        }
    }

    /// The parent tree maps each page's MCIDs back to the elements that hold them.
    fn checks_the_parent_tree(&self) {
        let root = self
            .catalog
            .get(b"StructTreeRoot")
            .and_then(Object::as_reference)
            .and_then(|r| self.doc.get_dictionary(r))
            .expect("root");
        let tree = root
            .get(b"ParentTree")
            .and_then(Object::as_reference)
            .and_then(|r| self.doc.get_dictionary(r))
            .expect("a parent tree");
        let nums = tree.get(b"Nums").and_then(Object::as_array).expect("Nums");
        for (page, id) in self.doc.get_pages().values().enumerate() {
            let page_dict = self.doc.get_dictionary(*id).expect("page");
            let key = page_dict
                .get(b"StructParents")
                .and_then(Object::as_i64)
                .expect("every page has /StructParents");
            let at = nums
                .chunks(2)
                .find(|pair| pair[0].as_i64().ok() == Some(key))
                .expect("the page's entry");
            let refs = at[1].as_array().expect("an array");
            let count = self
                .marks
                .iter()
                .filter(|m| m.page == page && m.mcid.is_some())
                .count();
            assert_eq!(refs.len(), count, "page {page}: one entry per MCID");
            for r in refs {
                let element = self
                    .doc
                    .get_dictionary(r.as_reference().expect("ref"))
                    .expect("element");
                assert!(element.get(b"S").is_ok());
            }
        }
    }
}

/// The document information dictionary.
pub(super) fn info(doc: &Document) -> &Dictionary {
    doc.trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .and_then(|r| doc.get_dictionary(r))
        .expect("an info dictionary")
}

fn xmp(doc: &Document, catalog: &Dictionary) -> String {
    let stream = catalog
        .get(b"Metadata")
        .and_then(Object::as_reference)
        .and_then(|r| doc.get_object(r))
        .and_then(Object::as_stream)
        .expect("XMP metadata");
    String::from_utf8(stream.content.clone()).expect("XMP is UTF-8")
}

#[test]
fn every_template_is_a_tagged_pdf_read_in_the_letters_order() {
    let cat = Catalogue::embedded().expect("catalogue");
    let templates = every_template_once(&cat);
    assert!(templates.len() >= 10, "the templates are found");
    for (template, org) in templates {
        let letter = compose(&full_request(&template, &org, LUKASZ), &cat).expect("composes");
        let bytes = render_pdf(&letter).expect("renders");
        let tagged = read_tagged(&bytes);
        let catalog = &tagged.catalog;
        assert_eq!(text_of(catalog.get(b"Lang").expect("/Lang")), "en-GB");
        let marked = catalog
            .get(b"MarkInfo")
            .and_then(Object::as_dict)
            .and_then(|d| d.get(b"Marked"))
            .and_then(Object::as_bool);
        assert_eq!(marked.ok(), Some(true), "{template}: MarkInfo");
        let shows_title = catalog
            .get(b"ViewerPreferences")
            .and_then(Object::as_dict)
            .and_then(|d| d.get(b"DisplayDocTitle"))
            .and_then(Object::as_bool);
        assert_eq!(shows_title.ok(), Some(true), "{template}: DisplayDocTitle");
        assert_eq!(
            text_of(info(&tagged.doc).get(b"Title").expect("a title")),
            letter.title
        );
        let metadata = xmp(&tagged.doc, catalog);
        assert!(metadata.contains("<pdfuaid:part>1</pdfuaid:part>"));
        let escaped = letter.title.replace('&', "&amp;").replace('\'', "&apos;");
        assert!(metadata.contains(&escaped), "{template}: dc:title");

        tagged.checks_every_mcid_is_referenced_once();
        tagged.checks_the_parent_tree();
        // Page numbers, and nothing else, are artifacts.
        let pages = tagged.doc.get_pages().len();
        let artifacts: Vec<&str> = tagged
            .marks
            .iter()
            .filter(|m| m.mcid.is_none())
            .map(|m| m.text.as_str())
            .collect();
        let footers: Vec<String> = (1..=pages)
            .map(|i| format!("Page {i} of {pages}"))
            .collect();
        assert_eq!(artifacts, footers, "{template}: artifacts");

        // Read in the tree's order, the text is the letter's, whole and in order.
        let texts = tagged.texts();
        let read = squash(&texts.join(" "));
        assert_eq!(read, expected_text(&letter), "{template}: reading order");

        let roles: Vec<&str> = tagged.elements.iter().map(|e| e.role.as_str()).collect();
        assert_eq!(roles[0], "Document");
        assert_eq!(tagged.elements.iter().filter(|e| e.depth == 0).count(), 1);
        let headings_1: Vec<&String> = roles
            .iter()
            .zip(&texts)
            .filter(|(r, _)| **r == "H1")
            .map(|(_, t)| t)
            .collect();
        assert_eq!(headings_1, vec![&squash(&letter.subject)], "{template}: H1");
        let mut headings: Vec<String> = letter
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading(h) => Some(squash(h)),
                _ => None,
            })
            .collect();
        if !letter.enclosures.is_empty() {
            headings.push("Enclosures".to_string());
        }
        let tagged_headings: Vec<String> = roles
            .iter()
            .zip(&texts)
            .filter(|(r, _)| **r == "H2")
            .map(|(_, t)| t.clone())
            .collect();
        assert_eq!(tagged_headings, headings, "{template}: H2");
        let items: usize = letter
            .blocks
            .iter()
            .map(|b| match b {
                Block::List(items) => items.len(),
                _ => 0,
            })
            .sum::<usize>()
            + letter.enclosures.len();
        assert_eq!(roles.iter().filter(|r| **r == "LI").count(), items);
        // Each list item is a label (the bullet) and a body, in that order.
        for (i, role) in roles.iter().enumerate() {
            if *role == "LI" {
                assert_eq!(&roles[i + 1..i + 3], &["Lbl", "LBody"], "{template}");
                assert_eq!(texts[i + 1], "\u{2022}");
            }
            if *role == "L" {
                assert_eq!(roles[i + 1], "LI");
            }
        }
        // The sender's and recipient's addresses and the signature are groups of lines.
        let groups = roles.iter().filter(|r| **r == "Div").count();
        assert_eq!(groups, 3, "{template}: address blocks and signature");
        assert_eq!(
            &roles[1..3],
            &["Div", "P"],
            "{template}: the sender's address first"
        );

        // The text a plain extractor gets is the letter's, as before tagging.
        let extracted = pdf_extract::extract_text_from_mem(&bytes).expect("extracts");
        let mut extracted = squash(&extracted);
        for footer in &footers {
            extracted = extracted.replace(footer, "");
        }
        assert_eq!(squash(&extracted), expected_text(&letter), "{template}");
    }
}

#[test]
fn a_block_in_another_language_carries_its_language_and_direction() {
    let cat = Catalogue::embedded().expect("catalogue");
    let mut letter = compose(&full_request("sar-generic", "other", OLENA), &cat).expect("composes");
    let paragraphs: Vec<usize> = letter
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, Block::Paragraph(_)))
        .map(|(i, _)| i)
        .collect();
    let (ukrainian, right_to_left) = (paragraphs[0], paragraphs[1]);
    letter
        .languages
        .blocks
        .insert(ukrainian, Language::left_to_right("uk"));
    letter
        .languages
        .blocks
        .insert(right_to_left, Language::right_to_left("ar"));
    let tagged = read_tagged(&render_pdf(&letter).expect("renders"));
    let texts = tagged.texts();
    let text_of_block = |index: usize| match &letter.blocks[index] {
        Block::Paragraph(p) => squash(p),
        _ => unreachable!("a paragraph"),
    };
    let element_of = |index: usize| {
        let at = texts
            .iter()
            .position(|t| *t == text_of_block(index))
            .expect("the paragraph is tagged");
        &tagged.elements[at]
    };
    assert_eq!(element_of(ukrainian).language.as_deref(), Some("uk"));
    assert_eq!(element_of(right_to_left).language.as_deref(), Some("ar"));
    assert_eq!(text_of(tagged.catalog.get(b"Lang").expect("Lang")), "en-GB");
    // Only those two elements name a language of their own.
    let with_language = tagged.elements.iter().filter(|e| e.language.is_some());
    assert_eq!(with_language.count(), 2);
    // The right-to-left paragraph is set against the right margin.
    let x_of = |element: &Element| {
        let (page, mcid) = element.content[0];
        tagged
            .marks
            .iter()
            .find(|m| m.page == page && m.mcid == Some(mcid))
            .map(|m| m.x)
            .expect("drawn")
    };
    assert!((x_of(element_of(ukrainian)) - LEFT_MARGIN).abs() < 0.01);
    assert!(x_of(element_of(right_to_left)) > LEFT_MARGIN + 1.0);
}

/// The last page that holds `needle`, counting from 0.
fn page_of(pages: &[String], needle: &str) -> usize {
    pages
        .iter()
        .rposition(|p| p.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is printed"))
}

#[test]
fn the_signature_and_the_enclosures_never_stand_alone_on_the_last_page() {
    let cat = Catalogue::embedded().expect("catalogue");
    let mut closings_moved = 0;
    // Longer and longer chasers move the closing past every point of a page break.
    for points in 0..40usize {
        let mut r = full_request("chaser", "home-office", LUKASZ);
        r.complaint_points = (0..points)
            .map(|i| format!("Point {i}: a record that was held was left out of the reply."))
            .collect();
        let mut letter = compose(&r, &cat).expect("composes");
        if letter.enclosures.is_empty() {
            letter.enclosures = vec!["A copy of the request".to_string()];
        }
        for i in 0..points {
            letter.blocks.push(Block::Paragraph(format!(
                "Further point {i}: a record was left out."
            )));
        }
        let bytes = render_pdf(&letter).expect("renders");
        let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).expect("pages");
        let sign_off = page_of(&pages, &letter.sign_off);
        let last_signature = letter.signature.last().expect("a signature");
        assert_eq!(page_of(&pages, last_signature), sign_off);
        assert_eq!(page_of(&pages, "Enclosures"), sign_off);
        let last_enclosure = letter.enclosures.last().expect("an enclosure");
        assert_eq!(page_of(&pages, last_enclosure), sign_off, "{points} points");
        // Some of the letter's own text comes before the sign-off on its page.
        let before: Vec<&str> = pages[sign_off]
            .split(letter.sign_off.as_str())
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(
            before.len() >= 2,
            "{points} points: the closing starts a page"
        );
        // The page broke just before the closing, which took the last two lines over.
        let last_two = format!("Further point {}:", points.saturating_sub(2));
        if points >= 2 && sign_off > 0 && pages[sign_off].trim_start().starts_with(&last_two) {
            closings_moved += 1;
        }
    }
    assert!(
        closings_moved > 0,
        "some letters break just before the closing"
    );
}
