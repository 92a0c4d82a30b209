//! Every key binding in one table. The help overlay and the hint bar are drawn from this
//! table too, so what the help says and what the keys do can never disagree.
//!
//! One scheme everywhere: F12 and Ctrl-x leave at once; F1 opens help on every screen and
//! `?` does too, except in a text field; `j`/`k` move like Down/Up outside text fields. In a
//! text field (the guide filter, the client search, a prompt, a form) every printable key
//! is typed, `?`, `j`, `k`, `q` and digits included, and the arrow keys still move.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, CaseAction};

/// Where the person is, which decides what a key means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The list of guides, with its filter (a text field).
    Home,
    Question,
    Outcome,
    Summary,
    /// Typing a file name, a folder, a date or a passphrase.
    Prompt,
    /// Filling in the letter form.
    Form,
    /// The due dashboard.
    Casework,
    /// The clients list, with its search (a text field).
    Clients,
    /// A client's page, with one of their requests highlighted.
    ClientPage,
    /// Ticking what a reply contained.
    Checklist,
    /// Picking one item from a short list.
    Choice,
    /// Filling in a client's details in casework.
    ClientForm,
    /// The letter preview across the whole screen.
    Preview,
    /// The settings: the adviser's own details and the letters folder.
    Settings,
    /// Help or glossary shown over a screen.
    Overlay,
    /// A yes/no question, such as "Leave this guide?".
    Confirm,
}

impl Context {
    /// Whether the person is typing into a text field here. Then every printable key is
    /// typed, and help is on F1 only.
    pub fn is_text_field(self) -> bool {
        matches!(self, Home | Prompt | Form | Clients | ClientForm | Settings)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Pattern {
    Key(KeyCode),
    Ctrl(char),
    /// 0 to 9: part of the number of a choice, action or item.
    Digit,
    /// Any other printable character: typed into a filter, a search, a prompt or a field.
    Typing,
}

pub struct Binding {
    pub pattern: Pattern,
    pub action: Action,
    pub contexts: &'static [Context],
    /// How the key is written in help.
    pub keys: &'static str,
    /// What it does, in help.
    pub help: &'static str,
    /// Its short name in the hint bar at the bottom of the screen, if it is shown there.
    /// Earlier rows of the table are more important: when the bar is full, later hints
    /// are dropped (the help lists them all).
    pub hint: Option<&'static str>,
}

use Context::*;
const ALL: &[Context] = &[
    Home, Question, Outcome, Summary, Prompt, Form, Casework, Clients, ClientPage, Checklist,
    Choice, Overlay, Confirm, ClientForm, Preview, Settings,
];
/// Where `?` opens help and `j`/`k` move: everywhere but text fields.
const NOT_TEXT: &[Context] = &[
    Question, Outcome, Summary, Casework, ClientPage, Checklist, Choice, Overlay, Confirm, Preview,
];
const RUN: &[Context] = &[Question, Outcome];
const LISTS: &[Context] = &[Casework, ClientPage, Checklist, Choice];
const READING: &[Context] = &[Summary, Overlay, Preview];
/// Forms whose fields are edited with a cursor.
const FORMS: &[Context] = &[Form, ClientForm, Settings];

/// The width every hint bar fits in, the narrowest screen sanctuary supports.
pub const HINT_WIDTH: usize = 80;

/// The one key table. Earlier rows win, and earlier hints are kept first.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    Binding { pattern: Pattern::Key(KeyCode::F(12)), action: Action::QuickExit, contexts: ALL, keys: "F12", help: "Quick exit: clear the screen and leave at once", hint: Some("quick exit") },
    Binding { pattern: Pattern::Ctrl('x'), action: Action::QuickExit, contexts: ALL, keys: "Ctrl-x", help: "Quick exit (same as F12)", hint: None },
    Binding { pattern: Pattern::Ctrl('c'), action: Action::QuitApp, contexts: ALL, keys: "Ctrl-c", help: "Close sanctuary", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('?')), action: Action::Help, contexts: NOT_TEXT, keys: "? / F1", help: "Show the keys (this help); again to close it", hint: Some("help") },
    Binding { pattern: Pattern::Key(KeyCode::F(1)), action: Action::Help, contexts: ALL, keys: "F1", help: "Show the keys (this help); again to close it", hint: Some("help") },
    // A yes/no question.
    Binding { pattern: Pattern::Key(KeyCode::Char('y')), action: Action::Yes, contexts: &[Confirm], keys: "y", help: "Yes", hint: Some("yes") },
    Binding { pattern: Pattern::Key(KeyCode::Char('n')), action: Action::No, contexts: &[Confirm], keys: "n / Esc", help: "No: stay where you are", hint: Some("no") },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::No, contexts: &[Confirm], keys: "Esc", help: "No: stay where you are", hint: None },
    // Windows over a screen, and prompts.
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::CloseOverlay, contexts: &[Overlay], keys: "Esc / q", help: "Close this window", hint: Some("close") },
    Binding { pattern: Pattern::Key(KeyCode::Char('q')), action: Action::CloseOverlay, contexts: &[Overlay], keys: "q", help: "Close this window", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Confirm, contexts: &[Prompt], keys: "Enter", help: "Accept what is typed", hint: Some("ok") },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::CloseOverlay, contexts: &[Prompt], keys: "Esc", help: "Cancel", hint: Some("cancel") },
    // The letter form.
    Binding { pattern: Pattern::Ctrl('s'), action: Action::Save, contexts: &[Form], keys: "Ctrl-s", help: "Write every letter as a PDF", hint: Some("write PDFs") },
    Binding { pattern: Pattern::Ctrl('p'), action: Action::TogglePreview, contexts: &[Form], keys: "Ctrl-p", help: "Read the letter across the whole screen (again: back to the form)", hint: Some("preview") },
    Binding { pattern: Pattern::Ctrl('n'), action: Action::NextLetter, contexts: &[Form], keys: "Ctrl-n", help: "Preview the next letter", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Confirm, contexts: &[Form], keys: "Enter", help: "Next field (on Letter or To: choose from a list; on an empty Client field: choose a client from the case store; with a file's path typed there: load it)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Tab), action: Action::Down, contexts: &[Form], keys: "Tab / Down", help: "Next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Down), action: Action::Down, contexts: &[Form], keys: "Down", help: "Next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::BackTab), action: Action::Up, contexts: &[Form], keys: "Shift-Tab / Up", help: "Previous field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Up), action: Action::Up, contexts: &[Form], keys: "Up", help: "Previous field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Backspace), action: Action::DeleteChar, contexts: &[Home, Prompt, Form, Clients], keys: "Backspace", help: "Delete the letter before the cursor", hint: None },
    Binding { pattern: Pattern::Ctrl('u'), action: Action::ClearLine, contexts: &[Home, Prompt, Form, Clients, ClientForm, Settings], keys: "Ctrl-u", help: "Clear the line", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Left), action: Action::Left, contexts: FORMS, keys: "Left / Right", help: "Move the cursor in the field (a long value scrolls sideways)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Right), action: Action::Right, contexts: FORMS, keys: "Right", help: "Move the cursor in the field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Home), action: Action::Top, contexts: FORMS, keys: "Home / End", help: "To the start or the end of the field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::End), action: Action::Bottom, contexts: FORMS, keys: "End", help: "To the start or the end of the field", hint: None },
    // The letter preview across the whole screen.
    Binding { pattern: Pattern::Ctrl('p'), action: Action::TogglePreview, contexts: &[Preview], keys: "Ctrl-p / Esc", help: "Back to the form", hint: Some("form") },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::TogglePreview, contexts: &[Preview], keys: "Esc", help: "Back to the form", hint: None },
    Binding { pattern: Pattern::Ctrl('n'), action: Action::NextLetter, contexts: &[Preview], keys: "Ctrl-n", help: "The next letter of the set", hint: Some("next letter") },
    Binding { pattern: Pattern::Ctrl('s'), action: Action::Save, contexts: &[Preview], keys: "Ctrl-s", help: "Write every letter as a PDF", hint: Some("write PDFs") },
    // The summary: saving comes first.
    Binding { pattern: Pattern::Key(KeyCode::Char('s')), action: Action::Save, contexts: &[Summary], keys: "s", help: "Save the advice record to a file", hint: Some("save") },
    Binding { pattern: Pattern::Key(KeyCode::Char('c')), action: Action::SaveToClient, contexts: &[Summary], keys: "c", help: "Save the advice record to a client in the case store", hint: Some("to client") },
    // Moving and scrolling.
    Binding { pattern: Pattern::Key(KeyCode::Up), action: Action::Up, contexts: &[Home, Clients], keys: "Up / Down", help: "Move through the list (the arrows move while you type)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Down), action: Action::Down, contexts: &[Home, Clients], keys: "Down", help: "Move through the list (the arrows move while you type)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Up), action: Action::Up, contexts: RUN, keys: "Up / k", help: "The choice above; with none above in view, scroll up", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('k')), action: Action::Up, contexts: RUN, keys: "k", help: "The choice above; with none above in view, scroll up", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Down), action: Action::Down, contexts: RUN, keys: "Down / j", help: "The choice below; with none below in view, scroll down", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('j')), action: Action::Down, contexts: RUN, keys: "j", help: "The choice below; with none below in view, scroll down", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Up), action: Action::Up, contexts: READING, keys: "Up / k", help: "Scroll up a line", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('k')), action: Action::Up, contexts: READING, keys: "k", help: "Scroll up a line", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Down), action: Action::Down, contexts: READING, keys: "Down / j", help: "Scroll down a line", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('j')), action: Action::Down, contexts: READING, keys: "j", help: "Scroll down a line", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Up), action: Action::Up, contexts: LISTS, keys: "Up / k", help: "Move up", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('k')), action: Action::Up, contexts: LISTS, keys: "k", help: "Move up", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Down), action: Action::Down, contexts: LISTS, keys: "Down / j", help: "Move down", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('j')), action: Action::Down, contexts: LISTS, keys: "j", help: "Move down", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::PageUp), action: Action::PageUp, contexts: &[Question, Outcome, Summary, Overlay, Preview], keys: "PgUp / PgDn", help: "Scroll the text a page up or down", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::PageDown), action: Action::PageDown, contexts: &[Question, Outcome, Summary, Overlay, Preview], keys: "PgDn", help: "Scroll the text a page up or down", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::PageUp), action: Action::PageUp, contexts: &[Form], keys: "PgUp / PgDn", help: "Scroll the letter preview", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::PageDown), action: Action::PageDown, contexts: &[Form], keys: "PgDn", help: "Scroll the letter preview", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Home), action: Action::Top, contexts: &[Question, Outcome, Summary, Overlay, Preview], keys: "Home / End", help: "To the top or the bottom of the text", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::End), action: Action::Bottom, contexts: &[Question, Outcome, Summary, Overlay, Preview], keys: "End", help: "To the top or the bottom of the text", hint: None },
    // Walking a guide.
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Select, contexts: RUN, keys: "Enter", help: "Choose the highlighted item (out of view: show it first)", hint: Some("choose") },
    Binding { pattern: Pattern::Digit, action: Action::Number(0), contexts: RUN, keys: "1-99", help: "Choose the item with that number. From 10 on, type both digits (1 then 0); with 10 or more items a lone 1 waits for Enter", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Backspace), action: Action::Back, contexts: &[Question, Outcome, Summary], keys: "Backspace / Left", help: "Go back one step", hint: Some("back") },
    Binding { pattern: Pattern::Key(KeyCode::Left), action: Action::Back, contexts: &[Question, Outcome, Summary], keys: "Left", help: "Go back one step", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('n')), action: Action::ToggleNote, contexts: RUN, keys: "n", help: "Show or hide the adviser note", hint: Some("note") },
    Binding { pattern: Pattern::Key(KeyCode::Char('g')), action: Action::Glossary, contexts: RUN, keys: "g", help: "Explain the words on screen (glossary)", hint: Some("words") },
    Binding { pattern: Pattern::Key(KeyCode::Char('a')), action: Action::ReadNote, contexts: RUN, keys: "a", help: "Read the whole adviser note in a window", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('r')), action: Action::Restart, contexts: RUN, keys: "r", help: "Start this guide again (asks first if answers would be lost)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('q')), action: Action::Leave, contexts: &[Question, Outcome, Summary], keys: "q / Esc", help: "Back to the list of guides (asks first if answers would be lost)", hint: Some("home") },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::Leave, contexts: &[Question, Outcome, Summary], keys: "Esc", help: "Back to the list of guides (asks first if answers would be lost)", hint: None },
    // The list of guides.
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Select, contexts: &[Home], keys: "Enter", help: "Open the highlighted guide", hint: Some("open") },
    Binding { pattern: Pattern::Key(KeyCode::F(2)), action: Action::Letters, contexts: &[Home], keys: "F2", help: "Write a letter without a guide", hint: Some("letter") },
    Binding { pattern: Pattern::Key(KeyCode::F(3)), action: Action::Casework, contexts: &[Home], keys: "F3", help: "Casework: the due dashboard and the clients (opens the encrypted store)", hint: Some("casework") },
    Binding { pattern: Pattern::Key(KeyCode::F(4)), action: Action::Settings, contexts: &[Home, Casework, Clients], keys: "F4", help: "Settings: your own details for every letter, and the letters folder", hint: Some("setup") },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::Leave, contexts: &[Home], keys: "Esc", help: "Clear the filter; with no filter, close sanctuary", hint: Some("close") },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::Leave, contexts: &[Form], keys: "Esc", help: "Back (asks first if anything was typed)", hint: Some("back") },
    // Casework.
    Binding { pattern: Pattern::Key(KeyCode::Tab), action: Action::NextTab, contexts: &[Casework, Clients], keys: "Tab", help: "Switch between the due dashboard and the clients", hint: Some("switch") },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Select, contexts: &[Casework, Clients], keys: "Enter", help: "Open the client", hint: Some("open") },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Select, contexts: &[Choice], keys: "Enter", help: "Choose", hint: Some("choose") },
    Binding { pattern: Pattern::Digit, action: Action::Number(0), contexts: &[Choice], keys: "1-9", help: "Choose the item with that number", hint: None },
    Binding { pattern: Pattern::Digit, action: Action::Number(0), contexts: &[Checklist], keys: "1-11", help: "Tick or untick the item with that number: for 10 and 11 type both digits (1 then 0); a lone 1 waits for the next digit, or Enter", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char(' ')), action: Action::Select, contexts: &[Checklist], keys: "Space", help: "Tick or untick the highlighted item", hint: Some("tick") },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Confirm, contexts: &[Checklist], keys: "Enter", help: "Save the reply and check it", hint: Some("save") },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::CloseOverlay, contexts: &[Checklist, Choice], keys: "Esc", help: "Cancel", hint: Some("cancel") },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Open, contexts: &[ClientPage], keys: "Enter", help: "Read the highlighted letter or advice record again (Down past the requests to reach them)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('n')), action: Action::Case(CaseAction::NewRequest), contexts: &[ClientPage], keys: "n", help: "New request: write the letter as a PDF and add the request", hint: Some("new") },
    Binding { pattern: Pattern::Key(KeyCode::Char('s')), action: Action::Case(CaseAction::Sent), contexts: &[ClientPage], keys: "s", help: "Record the date the request was sent", hint: Some("sent") },
    Binding { pattern: Pattern::Key(KeyCode::Char('d')), action: Action::Case(CaseAction::Received), contexts: &[ClientPage], keys: "d", help: "Record the date the body received it (delivered)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('i')), action: Action::Case(CaseAction::IdReceived), contexts: &[ClientPage], keys: "i", help: "Record the date the body received the proof of identity it asked for", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('x')), action: Action::Case(CaseAction::Extend), contexts: &[ClientPage], keys: "x", help: "Record an extension and its reason", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('p')), action: Action::Case(CaseAction::Pause), contexts: &[ClientPage], keys: "p", help: "Pause the clock for clarification, or restart it", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('a')), action: Action::Case(CaseAction::Reply), contexts: &[ClientPage], keys: "a", help: "Record an answer (reply) and check it against Article 15(1)", hint: Some("answer") },
    Binding { pattern: Pattern::Key(KeyCode::Char('c')), action: Action::Case(CaseAction::Chaser), contexts: &[ClientPage], keys: "c", help: "Write a chaser listing what is missing", hint: Some("chaser") },
    Binding { pattern: Pattern::Key(KeyCode::Char('o')), action: Action::Case(CaseAction::ComplainToBody), contexts: &[ClientPage], keys: "o", help: "Write a complaint to the organisation", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('I')), action: Action::Case(CaseAction::ComplainToIco), contexts: &[ClientPage], keys: "I (capital i)", help: "Write a complaint to the ICO with the chronology (after the one to the organisation has had 30 days)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('h')), action: Action::Case(CaseAction::Nation), contexts: &[ClientPage], keys: "h", help: "Change whose bank holidays count (England and Wales, Scotland, Northern Ireland)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('u')), action: Action::Case(CaseAction::Undo), contexts: &[ClientPage], keys: "u", help: "Undo a pause or a reply recorded by mistake", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::Leave, contexts: &[Casework, Clients, ClientPage], keys: "Esc", help: "Back (from a client to the list, from the list to the guides)", hint: Some("back") },
    Binding { pattern: Pattern::Key(KeyCode::F(5)), action: Action::TeamSync, contexts: &[Casework, Clients], keys: "F5", help: "Sync with the team: send this store's changes, fetch the others' (a team store only)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::F(6)), action: Action::TeamConflicts, contexts: &[Casework, Clients], keys: "F6", help: "Team conflicts: fields changed here and in another copy, with both values", hint: None },
    // Text fields: every other printable key is typed.
    Binding { pattern: Pattern::Typing, action: Action::Type(' '), contexts: &[Home], keys: "letters", help: "Type to filter the guides (every key is typed here, ? j k q and digits too)", hint: None },
    Binding { pattern: Pattern::Typing, action: Action::Type(' '), contexts: &[Clients], keys: "letters", help: "Type to search the clients by name (every key is typed here)", hint: None },
    Binding { pattern: Pattern::Typing, action: Action::Type(' '), contexts: &[Prompt], keys: "letters", help: "Type the answer (every key is typed here, ? j k q too)", hint: None },
    Binding { pattern: Pattern::Typing, action: Action::Type(' '), contexts: &[Form], keys: "letters", help: "Type into the field (every key is typed here, ? j k q too)", hint: None },
    // Clients: add one from the lists, change one from their page, and the form itself.
    Binding { pattern: Pattern::Ctrl('n'), action: Action::NewClient, contexts: &[Casework, Clients], keys: "Ctrl-n", help: "Add a new client", hint: Some("new client") },
    Binding { pattern: Pattern::Key(KeyCode::Char('e')), action: Action::EditClient, contexts: &[ClientPage], keys: "e", help: "Change the client's details", hint: None },
    Binding { pattern: Pattern::Ctrl('s'), action: Action::Save, contexts: &[ClientForm], keys: "Ctrl-s", help: "Save the client's details", hint: Some("save") },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Confirm, contexts: &[ClientForm], keys: "Enter", help: "Go on to the next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Tab), action: Action::Down, contexts: &[ClientForm], keys: "Tab / Down", help: "Next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::BackTab), action: Action::Up, contexts: &[ClientForm], keys: "Shift-Tab / Up", help: "Previous field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Down), action: Action::Down, contexts: &[ClientForm], keys: "Down", help: "Next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Up), action: Action::Up, contexts: &[ClientForm], keys: "Up", help: "Previous field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::Leave, contexts: &[ClientForm], keys: "Esc", help: "Back without saving (asks first if anything was typed)", hint: Some("back") },
    Binding { pattern: Pattern::Typing, action: Action::Type(' '), contexts: &[ClientForm], keys: "letters", help: "Type into the field (every key is typed here, ? j k q too)", hint: None },
    // The settings.
    Binding { pattern: Pattern::Ctrl('s'), action: Action::Save, contexts: &[Settings], keys: "Ctrl-s", help: "Save the settings", hint: Some("save") },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Confirm, contexts: &[Settings], keys: "Enter", help: "Go on to the next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Tab), action: Action::Down, contexts: &[Settings], keys: "Tab / Down", help: "Next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::BackTab), action: Action::Up, contexts: &[Settings], keys: "Shift-Tab / Up", help: "Previous field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Down), action: Action::Down, contexts: &[Settings], keys: "Down", help: "Next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Up), action: Action::Up, contexts: &[Settings], keys: "Up", help: "Previous field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::Leave, contexts: &[Settings], keys: "Esc", help: "Back (asks first if a change is not saved)", hint: Some("back") },
    Binding { pattern: Pattern::Key(KeyCode::Backspace), action: Action::DeleteChar, contexts: &[ClientForm, Settings], keys: "Backspace", help: "Delete the letter before the cursor", hint: None },
    Binding { pattern: Pattern::Typing, action: Action::Type(' '), contexts: &[Settings], keys: "letters", help: "Type into the field (every key is typed here, ? j k q too)", hint: None },
];

impl Pattern {
    fn matches(self, key: &KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match (self, key.code) {
            (Pattern::Ctrl(c), KeyCode::Char(k)) if ctrl && k.eq_ignore_ascii_case(&c) => {
                Some(Action::None)
            }
            (Pattern::Key(code), k) if !ctrl && code == k => Some(Action::None),
            (Pattern::Digit, KeyCode::Char(d @ '0'..='9')) if !ctrl => {
                Some(Action::Number(d as u8 - b'0'))
            }
            (Pattern::Typing, KeyCode::Char(c)) if !ctrl && !c.is_control() => {
                Some(Action::Type(c))
            }
            _ => None,
        }
    }
}

/// The action a key press means in a context, if any.
pub fn action_for(context: Context, key: &KeyEvent) -> Option<Action> {
    BINDINGS
        .iter()
        .filter(|b| b.contexts.contains(&context))
        .find_map(|b| {
            b.pattern.matches(key).map(|found| match found {
                Action::None => b.action,
                numbered_or_typed => numbered_or_typed,
            })
        })
}

/// The bindings that apply in a context, for the help overlay and the hint bar.
pub fn bindings_for(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.contexts.contains(&context))
}

/// The hint bar's keys for a context, as (key, what it does), fitting `width` columns with
/// two spaces between them. Quick exit and help come first in the table, so they are
/// always there; the rest are kept in table order while they fit.
pub fn hints(context: Context, width: usize) -> Vec<(&'static str, &'static str)> {
    use unicode_width::UnicodeWidthStr;
    let mut shown: Vec<(&'static str, &'static str, Action)> = Vec::new();
    let mut used = 0;
    for b in bindings_for(context) {
        let Some(hint) = b.hint else { continue };
        // F1 and ? both open help: one hint is enough.
        if shown.iter().any(|&(_, h, a)| h == hint && a == b.action) {
            continue;
        }
        let key = b.keys.split(" / ").next().unwrap_or(b.keys);
        let gap = if shown.is_empty() { 0 } else { 2 };
        let cost = gap + key.width() + 1 + hint.width();
        if used + cost <= width {
            used += cost;
            shown.push((key, hint, b.action));
        }
    }
    shown.into_iter().map(|(k, h, _)| (k, h)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn char(c: char) -> KeyEvent {
        key(KeyCode::Char(c))
    }

    #[test]
    fn quick_exit_works_everywhere() {
        for &c in ALL {
            assert_eq!(action_for(c, &key(KeyCode::F(12))), Some(Action::QuickExit));
            let ctrl_x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL);
            assert_eq!(action_for(c, &ctrl_x), Some(Action::QuickExit));
        }
    }

    #[test]
    fn f1_opens_help_everywhere_and_question_mark_everywhere_but_in_text_fields() {
        for &c in ALL {
            assert_eq!(
                action_for(c, &key(KeyCode::F(1))),
                Some(Action::Help),
                "{c:?}"
            );
            let expected = if c.is_text_field() {
                Action::Type('?')
            } else {
                Action::Help
            };
            assert_eq!(action_for(c, &char('?')), Some(expected), "{c:?}");
        }
    }

    #[test]
    fn j_and_k_move_outside_text_fields_and_are_typed_inside_them() {
        for &c in ALL {
            let (j, k) = (action_for(c, &char('j')), action_for(c, &char('k')));
            if c.is_text_field() {
                assert_eq!((j, k), (Some(Action::Type('j')), Some(Action::Type('k'))));
            } else if c != Confirm {
                assert_eq!((j, k), (Some(Action::Down), Some(Action::Up)), "{c:?}");
            }
        }
    }

    #[test]
    fn in_a_text_field_every_printable_key_is_typed_and_the_arrows_still_move() {
        for &c in ALL.iter().filter(|c| c.is_text_field()) {
            for ch in "?jkqnsacg0123456789 AZaz-/.'é".chars() {
                assert_eq!(
                    action_for(c, &char(ch)),
                    Some(Action::Type(ch)),
                    "{c:?} {ch}"
                );
            }
            if c != Prompt {
                assert_eq!(
                    action_for(c, &key(KeyCode::Down)),
                    Some(Action::Down),
                    "{c:?}"
                );
                assert_eq!(action_for(c, &key(KeyCode::Up)), Some(Action::Up), "{c:?}");
            }
        }
    }

    #[test]
    fn typing_q_on_home_filters_but_q_in_a_guide_leaves() {
        assert_eq!(action_for(Home, &char('q')), Some(Action::Type('q')));
        assert_eq!(action_for(Question, &char('q')), Some(Action::Leave));
    }

    #[test]
    fn digit_keys_are_numbers_outside_text_fields() {
        assert_eq!(action_for(Question, &char('3')), Some(Action::Number(3)));
        assert_eq!(action_for(Question, &char('0')), Some(Action::Number(0)));
        assert_eq!(action_for(Choice, &char('1')), Some(Action::Number(1)));
    }

    #[test]
    fn every_context_has_help_for_quick_exit() {
        for &c in ALL {
            assert!(bindings_for(c).any(|b| b.action == Action::QuickExit));
        }
    }

    #[test]
    fn every_hint_bar_fits_80_columns_with_quick_exit_and_help_first() {
        use unicode_width::UnicodeWidthStr;
        for &c in ALL {
            let hints = hints(c, HINT_WIDTH);
            let width: usize = hints
                .iter()
                .map(|(k, h)| k.width() + 1 + h.width())
                .sum::<usize>()
                + 2 * hints.len().saturating_sub(1);
            assert!(width <= HINT_WIDTH, "{c:?}: {hints:?}");
            assert_eq!(hints[0], ("F12", "quick exit"), "{c:?}");
            assert_eq!(hints[1].1, "help", "{c:?}");
            let help_key = if c.is_text_field() { "F1" } else { "?" };
            assert_eq!(hints[1].0, help_key, "{c:?}");
        }
    }

    #[test]
    fn the_summary_hint_bar_keeps_save_and_save_to_client_and_offers_no_casework_key() {
        let hints = hints(Summary, HINT_WIDTH);
        assert!(hints.contains(&("s", "save")), "{hints:?}");
        assert!(hints.contains(&("c", "to client")), "{hints:?}");
        assert!(!hints.iter().any(|(k, _)| *k == "F3"), "{hints:?}");
        assert_eq!(action_for(Summary, &key(KeyCode::F(3))), None);
    }

    #[test]
    fn a_question_is_answered_with_y_or_n_and_esc_means_no() {
        assert_eq!(action_for(Confirm, &char('y')), Some(Action::Yes));
        assert_eq!(action_for(Confirm, &char('n')), Some(Action::No));
        assert_eq!(action_for(Confirm, &key(KeyCode::Esc)), Some(Action::No));
        assert_eq!(action_for(Confirm, &char('q')), None);
    }
}
