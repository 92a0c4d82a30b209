//! Problems found in guide files, each pinned to a file, line and column so an author can fix it.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        write!(
            f,
            "{}:{}:{}: {}{}",
            self.file, self.line, self.column, prefix, self.message
        )
    }
}

/// Turns byte offsets in a text into 1-based line and column numbers (columns count
/// characters, not bytes). Built once per text in one pass; each look-up is then a binary
/// search plus a scan of at most `CHECKPOINT_BYTES`, so mapping many offsets stays linear
/// even in a file with one enormous line. Compiled into the build script too: std only.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// (byte offset, characters before it) at every line start and every
    /// `CHECKPOINT_BYTES` or so within a line, in order of offset.
    checkpoints: Vec<(usize, usize)>,
}

/// How far apart the character-count checkpoints are, at most (plus one character).
const CHECKPOINT_BYTES: usize = 1024;

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        let mut checkpoints = vec![(0, 0)];
        let mut last = 0;
        for (chars, (offset, c)) in text.char_indices().enumerate() {
            if offset - last >= CHECKPOINT_BYTES {
                checkpoints.push((offset, chars));
                last = offset;
            }
            if c == '\n' {
                let next = offset + 1;
                line_starts.push(next);
                if next < text.len() {
                    checkpoints.push((next, chars + 1));
                    last = next;
                }
            }
        }
        LineIndex {
            text,
            line_starts,
            checkpoints,
        }
    }

    /// Characters before `offset`, which must be a character boundary within the text.
    fn chars_before(&self, offset: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(at, _)| at <= offset);
        let (at, chars) = self.checkpoints[i - 1];
        chars + self.text[at..offset].chars().count()
    }

    /// The 1-based line and column of a byte offset. An offset past the end is taken as
    /// the end; one inside a character as the start of that character.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = self.chars_before(offset) - self.chars_before(line_start) + 1;
        (line, column)
    }
}

/// Turns byte offsets into problems pinned to a line and column of one file.
#[derive(Debug, Clone)]
pub struct SourceMap<'a> {
    pub file: &'a str,
    index: LineIndex<'a>,
}

impl<'a> SourceMap<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        SourceMap {
            file,
            index: LineIndex::new(text),
        }
    }

    pub fn position(&self, offset: usize) -> (usize, usize) {
        self.index.position(offset)
    }

    pub fn problem(
        &self,
        offset: usize,
        severity: Severity,
        message: impl Into<String>,
    ) -> Problem {
        let (line, column) = self.position(offset);
        Problem {
            file: self.file.to_string(),
            line,
            column,
            severity,
            message: message.into(),
        }
    }

    pub fn error(&self, offset: usize, message: impl Into<String>) -> Problem {
        self.problem(offset, Severity::Error, message)
    }
}

/// True when any of the problems is an error rather than a warning.
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(|p| p.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain way: count from the start of the text each time.
    fn naive(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |t| t.chars().count()) + 1;
        (line, column)
    }

    #[test]
    fn positions_match_counting_from_the_start() {
        let long_line: String = "ab€😀".repeat(2000);
        let text = format!("first\n\nsé€ond line\n{long_line}\nlast\n");
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(
                index.position(offset),
                naive(&text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_character_are_clamped() {
        let text = "a€b";
        let index = LineIndex::new(text);
        assert_eq!(index.position(99), (1, 4));
        assert_eq!(index.position(2), (1, 2), "inside `€` is at `€`");
        assert_eq!(LineIndex::new("").position(0), (1, 1));
    }

    #[test]
    fn a_problem_carries_the_file_line_and_column() {
        let map = SourceMap::new("g.toml", "a = 1\nb = x\n");
        assert_eq!(map.error(10, "bad").to_string(), "g.toml:2:5: bad");
        let warning = map.problem(0, Severity::Warning, "old");
        assert_eq!(warning.to_string(), "g.toml:1:1: warning: old");
    }
}
