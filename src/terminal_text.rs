//! Text on its way to a terminal, made safe: a control character (an escape sequence that
//! retitles the window or clears the screen, a carriage return that overwrites a line),
//! a C1 control or a bidirectional override is shown as `<U+001B>` instead of acting.
//! The validators refuse such characters in new data; this is the second line, for what
//! was stored before, for guides from elsewhere and for what a person typed. Every
//! command-line print goes through here (the `safe_*` macros, [`line`] for one-line
//! values, [`json`] for JSON, [`SafeWriter`] for plain mode). (The app draws through
//! ratatui, which drops control characters.)

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether `c` must not reach a terminal as itself anywhere: the characters the guide
/// validator refuses (C0 controls but newline and tab, DEL, C1 controls, bidirectional
/// overrides and isolates).
pub fn is_unsafe(c: char) -> bool {
    sanctuary::guide::parse::is_forbidden_char(c)
}

/// One line of text (a name, an id, a title): every unsafe character escaped, and a
/// newline or tab too, so a value can never forge a line of its own.
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, |c| is_unsafe(c) || c == '\n' || c == '\t')
}

/// Text that may run over several lines (a question, an advice text, a message): the
/// unsafe characters escaped, newlines and tabs kept.
pub fn block(text: &str) -> Cow<'_, str> {
    escape(text, is_unsafe)
}

fn escape(text: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text for a terminal: serde_json escapes the C0 controls itself, and leaves DEL,
/// the C1 controls and the bidirectional overrides as they are; they are written as
/// `\uXXXX` escapes here, which a JSON reader turns back into the same characters (they
/// can only stand inside strings, so the JSON stays valid and means the same).
pub fn json(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer that passes text on with [`block`] applied: for output written piece by
/// piece, such as plain mode's. Bytes that are not UTF-8 are shown as `<0xNN>`; a
/// character split across two writes is held back until its end arrives.
pub struct SafeWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> SafeWriter<W> {
    pub fn new(inner: W) -> Self {
        SafeWriter {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut start = 0;
        loop {
            match std::str::from_utf8(&self.pending[start..]) {
                Ok(text) => {
                    self.inner.write_all(block(text).as_bytes())?;
                    start = self.pending.len();
                    break;
                }
                Err(error) => {
                    let valid = start + error.valid_up_to();
                    let text = std::str::from_utf8(&self.pending[start..valid])
                        .expect("checked as UTF-8 up to here");
                    self.inner.write_all(block(text).as_bytes())?;
                    match error.error_len() {
                        // An incomplete character at the end: wait for the rest.
                        None => {
                            start = valid;
                            break;
                        }
                        Some(len) => {
                            for byte in &self.pending[valid..valid + len] {
                                write!(self.inner, "<0x{byte:02X}>")?;
                            }
                            start = valid + len;
                        }
                    }
                }
            }
        }
        self.pending.drain(..start);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// `println!`, with the whole text passed through [`block`].
macro_rules! safe_println {
    () => { ::std::println!() };
    ($($arg:tt)*) => {
        ::std::println!("{}", $crate::terminal_text::block(&::std::format!($($arg)*)))
    };
}

/// `print!`, with the whole text passed through [`block`].
macro_rules! safe_print {
    ($($arg:tt)*) => {
        ::std::print!("{}", $crate::terminal_text::block(&::std::format!($($arg)*)))
    };
}

/// `eprintln!`, with the whole text passed through [`block`].
macro_rules! safe_eprintln {
    () => { ::std::eprintln!() };
    ($($arg:tt)*) => {
        ::std::eprintln!("{}", $crate::terminal_text::block(&::std::format!($($arg)*)))
    };
}

/// `eprint!`, with the whole text passed through [`block`].
macro_rules! safe_eprint {
    ($($arg:tt)*) => {
        ::std::eprint!("{}", $crate::terminal_text::block(&::std::format!($($arg)*)))
    };
}

pub(crate) use {safe_eprint, safe_eprintln, safe_print, safe_println};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_carriage_returns_c1_and_bidi_overrides_are_shown_not_acted_on() {
        assert_eq!(
            line("Ann\u{1b}]0;owned\u{7}\r\nBob\u{9b}2J\u{202e}x"),
            "Ann<U+001B>]0;owned<U+0007><U+000D><U+000A>Bob<U+009B>2J<U+202E>x"
        );
        assert_eq!(block("one\n\ttwo\r"), "one\n\ttwo<U+000D>");
        assert!(matches!(line("Олена Шевченко"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_keeps_its_meaning_with_c1_and_bidi_escaped() {
        let text = serde_json::to_string(&"a\u{1b}b\u{85}c\u{2066}d\u{7f}").unwrap();
        let safe = json(&text);
        assert!(!safe.chars().any(is_unsafe), "{safe}");
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "a\u{1b}b\u{85}c\u{2066}d\u{7f}");
    }

    #[test]
    fn the_writer_escapes_across_split_characters_and_bad_bytes() {
        let mut out = SafeWriter::new(Vec::new());
        let bytes = "é\u{1b}[2J".as_bytes();
        out.write_all(&bytes[..1]).unwrap();
        out.write_all(&bytes[1..]).unwrap();
        out.write_all(b"\xff!").unwrap();
        assert_eq!(String::from_utf8(out.inner).unwrap(), "é<U+001B>[2J<0xFF>!");
    }
}

/// The width to wrap printed text to: the terminal's, when standard output is one;
/// none for a pipe or a file, so a script reads whole lines.
pub fn output_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| usize::from(columns))
        .filter(|&columns| columns >= 20)
}

/// The text with each line broken at spaces to fit `width` (never inside a word that
/// fits), each continuation indented like its line, two more under a "- " item. With no
/// width, the text as it is.
pub fn wrap_lines(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let hang = if body.starts_with("- ") || body.starts_with("• ") {
            format!("{indent}  ")
        } else {
            indent.to_string()
        };
        let options = textwrap::Options::new(width)
            .initial_indent(indent)
            .subsequent_indent(&hang)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        let wrapped = textwrap::wrap(body, options);
        if wrapped.is_empty() {
            out.push_str(line);
        }
        out.push_str(&wrapped.join("\n"));
    }
    out
}

/// A writer that wraps each whole line it is given to a width (see [`wrap_lines`]); a
/// line not yet ended (a prompt) goes out as it is when flushed.
pub struct WrapWriter<W: Write> {
    inner: W,
    width: Option<usize>,
    line: Vec<u8>,
}

impl<W: Write> WrapWriter<W> {
    pub fn new(inner: W, width: Option<usize>) -> Self {
        WrapWriter {
            inner,
            width,
            line: Vec::new(),
        }
    }
}

impl<W: Write> Write for WrapWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.line.extend_from_slice(buf);
        while let Some(end) = self.line.iter().position(|&b| b == b'\n') {
            let whole: Vec<u8> = self.line.drain(..=end).collect();
            let text = String::from_utf8_lossy(&whole[..end]);
            self.inner
                .write_all(wrap_lines(&text, self.width).as_bytes())?;
            self.inner.write_all(b"\n")?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.line);
        self.inner.write_all(&rest)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod wrap_tests {
    use super::*;

    #[test]
    fn lines_break_at_spaces_and_keep_their_indent() {
        let text = "  - Ask the officer in your case when you will get your phone back.\nshort";
        let wrapped = wrap_lines(text, Some(30));
        for line in wrapped.lines() {
            assert!(line.chars().count() <= 30, "{wrapped}");
        }
        assert!(
            wrapped.starts_with("  - Ask the officer in your\n    case"),
            "{wrapped}"
        );
        assert!(wrapped.ends_with("\nshort"), "{wrapped}");
        assert_eq!(wrap_lines(text, None), text);
    }

    #[test]
    fn the_writer_wraps_whole_lines_and_passes_a_prompt_on_as_it_is() {
        let mut out = Vec::new();
        {
            let mut w = WrapWriter::new(&mut out, Some(20));
            write!(w, "one two three four five six seven\nChoose 1 to 3: ").unwrap();
            w.flush().unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "one two three four\nfive six seven\nChoose 1 to 3: ");
    }
}
