//! The app reads the terminal itself, on a thread of its own, instead of through
//! crossterm's event reader. crossterm reads 1 KiB per wake-up and then waits for the
//! next key (its issue #813), so after a paste of a few kilobytes F12 sat unread behind
//! the rest of the paste. Here every wake-up reads all that is waiting, the quick-exit
//! keys (F12, Ctrl-x) are looked for in the raw bytes before anything else is done with
//! them, and a bracketed paste arrives as one capped `Event::Paste`.

use std::io;
use std::sync::mpsc::{self, Receiver, Sender};

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// The most of one paste that is kept (in bytes); the rest is dropped as it arrives, so
/// a paste of any size costs no more memory or work than this.
pub const PASTE_LIMIT: usize = 4096;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";
const F12: &[u8] = b"\x1b[24~";
const CTRL_X: u8 = 0x18;

/// Whether these raw bytes hold a quick-exit key: Ctrl-x (0x18, which no other key, no
/// escape sequence and no UTF-8 text contains) or F12, with or without modifiers
/// (`ESC [ 2 4 ~`, `ESC [ 2 4 ; 5 ~`). A quick-exit key inside a paste counts too:
/// leaving by mistake is safe, staying is not.
pub fn holds_quick_exit(bytes: &[u8]) -> bool {
    bytes.contains(&CTRL_X)
        || bytes
            .windows(5)
            .any(|w| w[..4] == F12[..4] && (w[4] == b'~' || w[4] == b';'))
}

/// Starts the thread that reads the terminal. `quick_exit` is called on that thread the
/// moment a quick-exit key arrives, before any event queued ahead of it is handled;
/// `hung_up` when the terminal has gone away. Every other key, click and paste is sent
/// down the channel.
pub fn start(quick_exit: fn() -> !, hung_up: fn() -> !) -> io::Result<Receiver<Event>> {
    let (sender, receiver) = mpsc::channel();
    // A resize is an event too, so the screen is drawn again at the new size.
    let mut resizes = signal_hook::iterator::Signals::new([signal_hook::consts::SIGWINCH])?;
    let on_resize = sender.clone();
    std::thread::Builder::new()
        .name("terminal size".into())
        .spawn(move || {
            for _ in resizes.forever() {
                let (columns, rows) = crossterm::terminal::size().unwrap_or((80, 24));
                if on_resize.send(Event::Resize(columns, rows)).is_err() {
                    return;
                }
            }
        })?;
    std::thread::Builder::new()
        .name("terminal input".into())
        .spawn(move || read_terminal(&sender, quick_exit, hung_up))?;
    Ok(receiver)
}

fn read_terminal(sender: &Sender<Event>, quick_exit: fn() -> !, hung_up: fn() -> !) {
    let mut parser = Parser::default();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        // SAFETY: reads into a buffer we own, at most its length.
        let read =
            unsafe { libc::read(libc::STDIN_FILENO, buffer.as_mut_ptr().cast(), buffer.len()) };
        let count = match read {
            0 => hung_up(),
            n if n > 0 => n as usize,
            _ if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted => continue,
            _ => hung_up(),
        };
        let bytes = &buffer[..count];
        // The bytes left over from the last read may end with the start of F12.
        if holds_quick_exit(bytes) || holds_quick_exit(&parser.joined_tail(bytes)) {
            quick_exit();
        }
        for event in parser.feed(bytes, count == buffer.len()) {
            if sender.send(event).is_err() {
                return;
            }
        }
    }
}

/// Turns the terminal's bytes into key, mouse and paste events.
#[derive(Default)]
pub struct Parser {
    /// An escape sequence or a UTF-8 character whose end has not arrived yet.
    pending: Vec<u8>,
    /// Inside a bracketed paste: what is kept of it so far, and whether some was dropped.
    paste: Option<Vec<u8>>,
}

impl Parser {
    /// The last bytes kept from earlier reads joined to the start of this one, so that a
    /// quick-exit key split between two reads is still seen.
    fn joined_tail(&self, bytes: &[u8]) -> Vec<u8> {
        let tail = &self.pending[self.pending.len().saturating_sub(4)..];
        let mut joined = tail.to_vec();
        joined.extend_from_slice(&bytes[..bytes.len().min(4)]);
        joined
    }

    /// The events in these bytes. `more` says more bytes are already waiting, so an
    /// escape character at the very end starts a sequence rather than being the Esc key.
    pub fn feed(&mut self, bytes: &[u8], more: bool) -> Vec<Event> {
        self.pending.extend_from_slice(bytes);
        let mut events = Vec::new();
        let mut start = 0;
        while start < self.pending.len() {
            let rest = &self.pending[start..];
            if let Some(kept) = &mut self.paste {
                match find(rest, PASTE_END) {
                    Some(end) => {
                        keep_some(kept, &rest[..end]);
                        events.push(Event::Paste(String::from_utf8_lossy(kept).into_owned()));
                        self.paste = None;
                        start += end + PASTE_END.len();
                    }
                    None => {
                        // Keep what may be the start of the end marker for the next read.
                        let safe = rest.len().saturating_sub(PASTE_END.len() - 1);
                        keep_some(kept, &rest[..safe]);
                        start += safe;
                        break;
                    }
                }
                continue;
            }
            match parse(rest, more) {
                Parsed::Event(length, event) => {
                    events.extend(event);
                    start += length;
                }
                Parsed::PasteStart => {
                    self.paste = Some(Vec::new());
                    start += PASTE_START.len();
                }
                Parsed::Incomplete => break,
            }
        }
        self.pending.drain(..start);
        events
    }
}

/// Adds to a paste what fits under the limit, never cutting a character in two.
fn keep_some(kept: &mut Vec<u8>, bytes: &[u8]) {
    let room = PASTE_LIMIT.saturating_sub(kept.len());
    let mut take = bytes.len().min(room);
    while take > 0 && take < bytes.len() && (bytes[take] & 0xC0) == 0x80 {
        take -= 1;
    }
    kept.extend_from_slice(&bytes[..take]);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

enum Parsed {
    /// This many bytes were used, making this event (or none, for what is ignored).
    Event(usize, Option<Event>),
    PasteStart,
    Incomplete,
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Option<Event> {
    Some(Event::Key(KeyEvent::new(code, modifiers)))
}

fn parse(bytes: &[u8], more: bool) -> Parsed {
    let none = KeyModifiers::NONE;
    match bytes[0] {
        0x1b => parse_escape(bytes, more),
        b'\r' | b'\n' => Parsed::Event(1, key(KeyCode::Enter, none)),
        b'\t' => Parsed::Event(1, key(KeyCode::Tab, none)),
        0x7f | 0x08 => Parsed::Event(1, key(KeyCode::Backspace, none)),
        0x00 => Parsed::Event(1, key(KeyCode::Char(' '), KeyModifiers::CONTROL)),
        c @ 0x01..=0x1a => Parsed::Event(
            1,
            key(KeyCode::Char((c - 1 + b'a') as char), KeyModifiers::CONTROL),
        ),
        0x1c..=0x1f => Parsed::Event(1, None),
        _ => parse_char(bytes),
    }
}

fn parse_char(bytes: &[u8]) -> Parsed {
    let length = match bytes[0] {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        // A stray continuation byte or an invalid lead byte: skip it.
        _ => return Parsed::Event(1, None),
    };
    if bytes.len() < length {
        return Parsed::Incomplete;
    }
    match std::str::from_utf8(&bytes[..length])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) => {
            let modifiers = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            Parsed::Event(length, key(KeyCode::Char(c), modifiers))
        }
        None => Parsed::Event(1, None),
    }
}

fn parse_escape(bytes: &[u8], more: bool) -> Parsed {
    match bytes.get(1) {
        None if more => Parsed::Incomplete,
        None => Parsed::Event(1, key(KeyCode::Esc, KeyModifiers::NONE)),
        Some(b'[') => parse_csi(bytes),
        Some(b'O') => match bytes.get(2) {
            None => Parsed::Incomplete,
            Some(&last) => Parsed::Event(3, final_key(last, KeyModifiers::NONE)),
        },
        // Esc twice: the first is the Esc key.
        Some(0x1b) => Parsed::Event(1, key(KeyCode::Esc, KeyModifiers::NONE)),
        Some(_) => match parse(&bytes[1..], more) {
            Parsed::Event(length, Some(Event::Key(mut key))) => {
                key.modifiers |= KeyModifiers::ALT;
                Parsed::Event(length + 1, Some(Event::Key(key)))
            }
            Parsed::Event(length, _) => Parsed::Event(length + 1, None),
            other => other,
        },
    }
}

/// The key a sequence's last letter names (`ESC [ A`, `ESC O P`, `ESC [ 1 ; 5 C`).
fn final_key(last: u8, modifiers: KeyModifiers) -> Option<Event> {
    let code = match last {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        b'Z' => return key(KeyCode::BackTab, modifiers | KeyModifiers::SHIFT),
        _ => return None,
    };
    key(code, modifiers)
}

/// The modifiers in a sequence's second number (1 + shift 1, alt 2, ctrl 4).
fn modifiers_of(number: Option<u16>) -> KeyModifiers {
    let bits = number.unwrap_or(1).saturating_sub(1);
    let mut modifiers = KeyModifiers::NONE;
    for (bit, modifier) in [
        (1, KeyModifiers::SHIFT),
        (2, KeyModifiers::ALT),
        (4, KeyModifiers::CONTROL),
    ] {
        if bits & bit != 0 {
            modifiers |= modifier;
        }
    }
    modifiers
}

fn parse_csi(bytes: &[u8]) -> Parsed {
    // Parameters and intermediates, then one final byte from @ to ~.
    let Some(end) = bytes[2..].iter().position(|b| (0x40..=0x7e).contains(b)) else {
        // A sequence this long that never ends is not from a terminal: drop it.
        return if bytes.len() > 64 {
            Parsed::Event(bytes.len(), None)
        } else {
            Parsed::Incomplete
        };
    };
    let length = end + 3;
    let body = &bytes[2..length - 1];
    let last = bytes[length - 1];
    if &bytes[..length] == PASTE_START {
        return Parsed::PasteStart;
    }
    if body.first() == Some(&b'<') {
        return Parsed::Event(length, sgr_mouse(&body[1..], last));
    }
    let numbers: Vec<Option<u16>> = std::str::from_utf8(body)
        .unwrap_or("")
        .split(';')
        .map(|n| n.parse().ok())
        .collect();
    let modifiers = modifiers_of(numbers.get(1).copied().flatten());
    let event = if last == b'~' {
        tilde_key(numbers[0].unwrap_or(0), modifiers)
    } else {
        final_key(last, modifiers)
    };
    Parsed::Event(length, event)
}

/// `ESC [ n ~` keys: Home, Insert, Delete, End, Page Up and Down, F1 to F12.
fn tilde_key(number: u16, modifiers: KeyModifiers) -> Option<Event> {
    let code = match number {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        11..=15 => KeyCode::F((number - 10) as u8),
        17..=21 => KeyCode::F((number - 11) as u8),
        23 | 24 => KeyCode::F((number - 12) as u8),
        _ => return None,
    };
    key(code, modifiers)
}

/// An SGR mouse report: `ESC [ < button ; column ; row M` (pressed) or `m` (released).
fn sgr_mouse(body: &[u8], last: u8) -> Option<Event> {
    let text = std::str::from_utf8(body).ok()?;
    let mut numbers = text.split(';').map(|n| n.parse::<u16>().ok());
    let (button, column, row) = (numbers.next()??, numbers.next()??, numbers.next()??);
    let pressed = last == b'M';
    let which = match button & 0b11 {
        0 => MouseButton::Left,
        1 => MouseButton::Middle,
        _ => MouseButton::Right,
    };
    let kind = match (button & 64 != 0, button & 32 != 0, pressed) {
        (true, _, _) if button & 1 == 0 => MouseEventKind::ScrollUp,
        (true, _, _) => MouseEventKind::ScrollDown,
        (false, true, _) => MouseEventKind::Drag(which),
        (false, false, true) => MouseEventKind::Down(which),
        (false, false, false) => MouseEventKind::Up(which),
    };
    let mut modifiers = KeyModifiers::NONE;
    for (bit, modifier) in [
        (4, KeyModifiers::SHIFT),
        (8, KeyModifiers::ALT),
        (16, KeyModifiers::CONTROL),
    ] {
        if button & bit != 0 {
            modifiers |= modifier;
        }
    }
    Some(Event::Mouse(MouseEvent {
        kind,
        column: column.saturating_sub(1),
        row: row.saturating_sub(1),
        modifiers,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(bytes: &[u8]) -> Vec<Event> {
        Parser::default().feed(bytes, false)
    }

    fn plain(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn the_keys_the_app_uses_are_read() {
        assert_eq!(
            keys(b"a\r\t\x7f\x1b[A\x1bOR\x1b[24~\x1b[5~\x1b[Z"),
            vec![
                plain(KeyCode::Char('a')),
                plain(KeyCode::Enter),
                plain(KeyCode::Tab),
                plain(KeyCode::Backspace),
                plain(KeyCode::Up),
                plain(KeyCode::F(3)),
                plain(KeyCode::F(12)),
                plain(KeyCode::PageUp),
                Event::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
            ]
        );
        assert_eq!(
            keys(b"\x18\x1b"),
            vec![
                Event::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL)),
                plain(KeyCode::Esc),
            ]
        );
        assert_eq!(keys("Ł".as_bytes()), vec![plain(KeyCode::Char('Ł'))]);
        assert_eq!(
            keys(b"\x1b[1;5C"),
            vec![Event::Key(KeyEvent::new(
                KeyCode::Right,
                KeyModifiers::CONTROL
            ))]
        );
    }

    #[test]
    fn a_click_and_the_wheel_are_read() {
        let events = keys(b"\x1b[<0;10;5M\x1b[<65;1;1M");
        assert!(matches!(
            events[0],
            Event::Mouse(MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: 9,
                row: 4,
                ..
            })
        ));
        assert!(matches!(
            events[1],
            Event::Mouse(MouseEvent {
                kind: MouseEventKind::ScrollDown,
                ..
            })
        ));
    }

    #[test]
    fn a_sequence_split_between_reads_is_joined() {
        let mut parser = Parser::default();
        assert!(parser.feed("\x1b[2".as_bytes(), true).is_empty());
        assert_eq!(parser.feed(b"4~\xc5", false), vec![plain(KeyCode::F(12))]);
        assert_eq!(parser.feed(b"\x81", false), vec![plain(KeyCode::Char('Ł'))]);
    }

    #[test]
    fn a_paste_is_one_event_and_is_capped() {
        let mut parser = Parser::default();
        let mut events = parser.feed(b"\x1b[200~hello ", true);
        assert!(events.is_empty());
        let long = "é".repeat(PASTE_LIMIT);
        events.extend(parser.feed(long.as_bytes(), true));
        events.extend(parser.feed(b"\x1b[20", true));
        events.extend(parser.feed(b"1~x", false));
        let Event::Paste(text) = &events[0] else {
            panic!("{events:?}")
        };
        assert!(text.starts_with("hello éé"));
        assert!(text.len() <= PASTE_LIMIT && text.len() > PASTE_LIMIT - 4);
        assert_eq!(events[1], plain(KeyCode::Char('x')));
    }

    #[test]
    fn the_quick_exit_keys_are_found_in_raw_bytes() {
        assert!(holds_quick_exit(b"lots of text\x1b[24~"));
        assert!(holds_quick_exit(b"abc\x18def"));
        assert!(holds_quick_exit(b"\x1b[24;2~"));
        assert!(!holds_quick_exit(b"\x1b[23~\x1b[2~4~ plain text"));
    }
}
