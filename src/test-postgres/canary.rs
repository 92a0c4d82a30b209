//! Looks for canary strings in bytes, files and folders: each as UTF-8, as UTF-16LE and as hex
//! of its UTF-8 (how PostgreSQL's log and `pg_dump` print a `bytea`), ignoring ASCII case so a
//! name leaked in capitals or lower case is found as well.

use std::path::Path;

use aho_corasick::AhoCorasick;

/// Shorter canaries could turn up by chance in megabytes of ciphertext.
const SHORTEST_CANARY_BYTES: usize = 6;

/// How a canary was written where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    /// Hex digits of the UTF-8 bytes (a `bytea` in a log line or a dump).
    Hex,
}

/// One canary found in one place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub canary: String,
    pub encoding: Encoding,
    /// A file's path relative to the folder scanned, or the name given to a scanned buffer.
    pub place: String,
}

/// A set of canaries, compiled once, scanned for in any number of places.
pub struct CanaryScan {
    canaries: Vec<String>,
    /// For each pattern of the automaton: its canary's index and encoding.
    patterns: Vec<(usize, Encoding)>,
    automaton: AhoCorasick,
}

impl CanaryScan {
    /// Panics on a canary shorter than six bytes of UTF-8 (it could match by chance).
    pub fn new<S: AsRef<str>>(canaries: &[S]) -> CanaryScan {
        let canaries: Vec<String> = canaries.iter().map(|c| c.as_ref().to_string()).collect();
        let mut patterns = Vec::new();
        let mut needles: Vec<Vec<u8>> = Vec::new();
        for (index, canary) in canaries.iter().enumerate() {
            assert!(
                canary.len() >= SHORTEST_CANARY_BYTES,
                "the canary {canary:?} is too short to scan for without chance hits"
            );
            for encoding in [Encoding::Utf8, Encoding::Utf16Le, Encoding::Hex] {
                patterns.push((index, encoding));
                needles.push(encode(canary, encoding));
            }
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&needles)
            .expect("a few hundred short patterns always build");
        CanaryScan {
            canaries,
            patterns,
            automaton,
        }
    }

    pub fn canaries(&self) -> &[String] {
        &self.canaries
    }

    /// Every canary in `bytes`, once per encoding, with `place` as the place.
    pub fn scan_bytes(&self, place: &str, bytes: &[u8]) -> Vec<Hit> {
        let mut found: Vec<(usize, Encoding)> = self
            .automaton
            .find_overlapping_iter(bytes)
            .map(|found| self.patterns[found.pattern().as_usize()])
            .collect();
        found.sort();
        found.dedup();
        found
            .into_iter()
            .map(|(index, encoding)| Hit {
                canary: self.canaries[index].clone(),
                encoding,
                place: place.to_string(),
            })
            .collect()
    }

    /// Every canary in every regular file under `folder` (symbolic links are not followed),
    /// each file named by its path relative to `folder`.
    pub fn scan_tree(&self, folder: &Path) -> std::io::Result<Vec<Hit>> {
        let mut hits = Vec::new();
        let mut pending = vec![folder.to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir)? {
                let entry = entry?;
                let kind = entry.file_type()?;
                if kind.is_dir() {
                    pending.push(entry.path());
                } else if kind.is_file() {
                    let path = entry.path();
                    let place = path.strip_prefix(folder).unwrap_or(&path);
                    let bytes = std::fs::read(&path)?;
                    hits.extend(self.scan_bytes(&place.display().to_string(), &bytes));
                }
            }
        }
        hits.sort();
        Ok(hits)
    }
}

fn encode(canary: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => canary.as_bytes().to_vec(),
        Encoding::Utf16Le => canary.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Encoding::Hex => canary
            .bytes()
            .flat_map(|byte| format!("{byte:02x}").into_bytes())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn found(hits: &[Hit]) -> Vec<(&str, Encoding)> {
        hits.iter()
            .map(|hit| (hit.canary.as_str(), hit.encoding))
            .collect()
    }

    #[test]
    fn each_encoding_is_found_and_nothing_else() {
        let scan = CanaryScan::new(&["Wiśniewska", "ሰላምታ ዓለም", "quorvex"]);
        let mut bytes = b"noise Wi\xc5\x9bniewska noise ".to_vec();
        bytes.extend(utf16le("ሰላምታ ዓለም"));
        bytes.extend(b" \\x71756f72766578 ");
        let hits = scan.scan_bytes("buffer", &bytes);
        assert_eq!(
            found(&hits),
            [
                ("Wiśniewska", Encoding::Utf8),
                ("ሰላምታ ዓለም", Encoding::Utf16Le),
                ("quorvex", Encoding::Hex),
            ]
        );
        assert!(hits.iter().all(|hit| hit.place == "buffer"));
        assert!(scan.scan_bytes("clean", b"Wisniewska quorve x").is_empty());
    }

    #[test]
    fn ascii_case_does_not_hide_a_canary_and_overlaps_are_all_found() {
        let scan = CanaryScan::new(&["Nguyễn Thị", "Thị Minh Khai"]);
        // Only ASCII letters fold: "Ị" is not "ị", so neither canary is in this line.
        let hits = scan.scan_bytes("log", "NGUYễN THỊ MINH KHAI".as_bytes());
        assert!(hits.is_empty(), "{hits:?}");
        let hits = scan.scan_bytes("log", "nguyễn thị minh khai".as_bytes());
        assert_eq!(
            found(&hits),
            [
                ("Nguyễn Thị", Encoding::Utf8),
                ("Thị Minh Khai", Encoding::Utf8)
            ]
        );
    }

    #[test]
    fn a_tree_is_scanned_through_its_subfolders() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let deep = folder.path().join("base").join("16384");
        std::fs::create_dir_all(&deep).expect("subfolders");
        std::fs::write(deep.join("2619"), "…Brzęczyszczykiewicz…").expect("a file");
        std::fs::write(folder.path().join("PG_VERSION"), "15\n").expect("a file");
        let scan = CanaryScan::new(&["Brzęczyszczykiewicz"]);
        let hits = scan.scan_tree(folder.path()).expect("the scan");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].place, "base/16384/2619");
    }

    #[test]
    #[should_panic(expected = "too short")]
    fn a_short_canary_is_refused() {
        CanaryScan::new(&["Ali"]);
    }
}
