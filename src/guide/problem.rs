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

/// Turns byte offsets into 1-based line and column numbers for one file.
#[derive(Debug, Clone)]
pub struct SourceMap<'a> {
    pub file: &'a str,
    text: &'a str,
    /// Byte offset where each line starts, so a position is a binary search away.
    line_starts: Vec<usize>,
}

impl<'a> SourceMap<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceMap {
            file,
            text,
            line_starts,
        }
    }

    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
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
