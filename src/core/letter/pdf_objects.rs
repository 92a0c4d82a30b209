//! A small PDF file writer (ISO 32000-1, 7.5): numbered objects, the small ones packed into
//! one compressed object stream, streams written directly, and a cross-reference stream.
//! Writing the syntax directly, with one compressor reused per thread, costs far less per
//! letter than building and serialising a general document model.

use std::cell::RefCell;
use std::fmt::Write as _;

use flate2::{Compress, Compression, FlushCompress, Status};

use super::error::LetterError;

/// Where an object's bytes are.
#[derive(Clone, Copy)]
enum Place {
    Free,
    /// Byte offset in the file.
    File(usize),
    /// Index in the object stream.
    Packed(usize),
}

pub(crate) struct PdfFile {
    out: Vec<u8>,
    /// Indexed by object number; object 0 is always free.
    places: Vec<Place>,
    /// The object stream's objects, one after another, and each one's number and offset.
    packed: Vec<u8>,
    packed_index: Vec<(usize, usize)>,
}

impl PdfFile {
    pub(crate) fn new() -> Self {
        let mut out = Vec::with_capacity(32 * 1024);
        // The second line's bytes above 127 tell tools the file is binary.
        out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        PdfFile {
            out,
            places: vec![Place::Free],
            packed: Vec::with_capacity(16 * 1024),
            packed_index: Vec::new(),
        }
    }

    /// A new object number, for an object written later.
    pub(crate) fn reserve(&mut self) -> usize {
        self.places.push(Place::Free);
        self.places.len() - 1
    }

    /// Packs a non-stream object (a dictionary, an array) into the object stream.
    pub(crate) fn object(&mut self, id: usize, body: &str) {
        self.places[id] = Place::Packed(self.packed_index.len());
        self.packed_index.push((id, self.packed.len()));
        self.packed.extend_from_slice(body.as_bytes());
        self.packed.push(b'\n');
    }

    /// Writes a stream object; `entries` are its dictionary's entries less `/Length`.
    pub(crate) fn stream(&mut self, id: usize, entries: &str, data: &[u8]) {
        self.places[id] = Place::File(self.out.len());
        let _ = write!(
            Bytes(&mut self.out),
            "{id} 0 obj\n<<{entries} /Length {}>>\nstream\n",
            data.len()
        );
        self.out.extend_from_slice(data);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Writes the object stream and the cross-reference stream; returns the file.
    pub(crate) fn finish(
        mut self,
        root: usize,
        info: usize,
        file_id: &str,
    ) -> Result<Vec<u8>, LetterError> {
        let object_stream = self.reserve();
        let mut header = String::with_capacity(self.packed_index.len() * 10);
        for (id, offset) in &self.packed_index {
            let _ = write!(header, "{id} {offset} ");
        }
        header.push('\n');
        let mut body = header.into_bytes();
        let first = body.len();
        body.extend_from_slice(&self.packed);
        let compressed = deflate(&body)?;
        let entries = format!(
            "/Type /ObjStm /N {} /First {first} /Filter /FlateDecode",
            self.packed_index.len()
        );
        self.stream(object_stream, &entries, &compressed);

        let xref = self.reserve();
        self.places[xref] = Place::File(self.out.len());
        // Each entry: type (1 byte), offset or object stream number (4), generation or index (2).
        let mut rows = Vec::with_capacity(self.places.len() * 7);
        for place in &self.places {
            let (kind, field2, field3): (u8, usize, usize) = match *place {
                Place::Free => (0, 0, 0xFFFF),
                Place::File(offset) => (1, offset, 0),
                Place::Packed(index) => (2, object_stream, index),
            };
            rows.push(kind);
            rows.extend_from_slice(&u32::try_from(field2).unwrap_or(u32::MAX).to_be_bytes());
            rows.extend_from_slice(&u16::try_from(field3).unwrap_or(u16::MAX).to_be_bytes());
        }
        let rows = deflate(&rows)?;
        let start = self.out.len();
        let _ = write!(
            Bytes(&mut self.out),
            "{xref} 0 obj\n<</Type /XRef /Size {} /W [1 4 2] /Root {root} 0 R /Info {info} 0 R \
             /ID [<{file_id}> <{file_id}>] /Filter /FlateDecode /Length {}>>\nstream\n",
            self.places.len(),
            rows.len()
        );
        self.out.extend_from_slice(&rows);
        let _ = write!(
            Bytes(&mut self.out),
            "\nendstream\nendobj\nstartxref\n{start}\n%%EOF\n"
        );
        Ok(self.out)
    }
}

/// `fmt::Write` into a byte vector.
struct Bytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// zlib-compresses quickly with this thread's compressor: making a compressor zeroes a few
/// hundred kilobytes, which would otherwise be the largest cost of a letter.
pub(crate) fn deflate(data: &[u8]) -> Result<Vec<u8>, LetterError> {
    thread_local! {
        static COMPRESSOR: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), true));
    }
    COMPRESSOR.with(|compressor| {
        let mut compressor = compressor.borrow_mut();
        compressor.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let consumed = usize::try_from(compressor.total_in()).unwrap_or(data.len());
            let status = compressor
                .compress_vec(
                    &data[consumed.min(data.len())..],
                    &mut out,
                    FlushCompress::Finish,
                )
                .map_err(|e| LetterError::Pdf(e.to_string()))?;
            if status == Status::StreamEnd {
                return Ok(out);
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

/// A PDF text string: literal when printable ASCII, otherwise UTF-16BE with a byte order
/// mark, in hex.
pub(crate) fn text_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2 + 2);
    if text.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        out.push('(');
        for ch in text.chars() {
            if matches!(ch, '(' | ')' | '\\') {
                out.push('\\');
            }
            out.push(ch);
        }
        out.push(')');
    } else {
        out.push_str("<FEFF");
        for unit in text.encode_utf16() {
            let _ = write!(out, "{unit:04X}");
        }
        out.push('>');
    }
    out
}
