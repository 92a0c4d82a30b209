//! Editing one line of text with a cursor, for every text field of the forms and
//! prompts: typing goes in at the cursor, Backspace deletes before it, Left/Right/Home/End
//! move it, Ctrl-u clears the line. A value wider than its field scrolls sideways so the
//! cursor is always in view.

use unicode_width::UnicodeWidthChar;

use super::action::Action;

/// The cursor in a line, counted in characters (not bytes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor(pub usize);

impl Cursor {
    /// The cursor after the last character of `text`.
    pub fn at_end(text: &str) -> Cursor {
        Cursor(text.chars().count())
    }
}

fn byte_at(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

/// Applies an editing action to `text` at `cursor`. Returns false when the action is not
/// an editing one (the form then handles it).
pub fn edit(text: &mut String, cursor: &mut Cursor, action: Action) -> bool {
    let count = text.chars().count();
    cursor.0 = cursor.0.min(count);
    match action {
        Action::Type(c) => {
            text.insert(byte_at(text, cursor.0), c);
            cursor.0 += 1;
        }
        Action::DeleteChar => {
            if cursor.0 > 0 {
                cursor.0 -= 1;
                text.remove(byte_at(text, cursor.0));
            }
        }
        Action::Left => cursor.0 = cursor.0.saturating_sub(1),
        Action::Right => cursor.0 = (cursor.0 + 1).min(count),
        Action::Top => cursor.0 = 0,
        Action::Bottom => cursor.0 = count,
        Action::ClearLine => {
            text.clear();
            cursor.0 = 0;
        }
        _ => return false,
    }
    true
}

/// The part of `text` to show in `width` columns so the cursor is in view, and the
/// cursor's column within it. A `…` at either end says the value carries on that way.
pub fn visible(text: &str, cursor: Cursor, width: usize) -> (String, usize) {
    let width = width.max(4);
    let chars: Vec<char> = text.chars().collect();
    let at = cursor.0.min(chars.len());
    let w = |c: &char| c.width().unwrap_or(0);
    let total: usize = chars.iter().map(w).sum::<usize>() + 1;
    if total <= width {
        let col = chars[..at].iter().map(w).sum();
        return (text.to_string(), col);
    }
    // Start far enough along that the cursor (and a marker each side) fits.
    let mut start = 0;
    let room = width - 2;
    while chars[start..at].iter().map(w).sum::<usize>() >= room {
        start += 1;
    }
    let mut shown = String::new();
    let mut used = 0;
    if start > 0 {
        shown.push('…');
        used += 1;
    }
    let cursor_col = used + chars[start..at].iter().map(w).sum::<usize>();
    let mut end = start;
    while end < chars.len() && used + w(&chars[end]) < width - 1 {
        shown.push(chars[end]);
        used += w(&chars[end]);
        end += 1;
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, cursor_col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_goes_in_at_the_cursor_and_backspace_deletes_before_it() {
        let mut text = "Hasan".to_string();
        let mut cursor = Cursor::at_end(&text);
        edit(&mut text, &mut cursor, Action::Top);
        edit(&mut text, &mut cursor, Action::Right);
        edit(&mut text, &mut cursor, Action::DeleteChar);
        edit(&mut text, &mut cursor, Action::Type('Ḥ'));
        assert_eq!(text, "Ḥasan");
        edit(&mut text, &mut cursor, Action::Bottom);
        edit(&mut text, &mut cursor, Action::Type('!'));
        assert_eq!(text, "Ḥasan!");
        edit(&mut text, &mut cursor, Action::ClearLine);
        assert_eq!((text.as_str(), cursor), ("", Cursor(0)));
        assert!(!edit(&mut text, &mut cursor, Action::Save));
    }

    #[test]
    fn a_long_value_scrolls_so_the_cursor_and_its_neighbours_show() {
        let text: String = (0..120)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let (shown, col) = visible(&text, Cursor::at_end(&text), 40);
        assert!(shown.starts_with('…') && shown.ends_with("p"), "{shown}");
        assert_eq!(col, 38);
        let (shown, col) = visible(&text, Cursor(0), 40);
        assert!(shown.starts_with("abc") && shown.ends_with('…'), "{shown}");
        assert_eq!(col, 0);
        let (shown, _) = visible("short", Cursor(2), 40);
        assert_eq!(shown, "short");
    }
}
