//! Every key binding in one table. The help overlay and the hint bar are drawn from this
//! table too, so what the help says and what the keys do can never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, CaseAction};

/// Where the person is, which decides what a key means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Home,
    Question,
    Outcome,
    Summary,
    /// Typing a file name.
    Prompt,
    /// Filling in the letter form.
    Form,
    /// The due dashboard or the clients list.
    Casework,
    /// A client's page, with one of their requests highlighted.
    ClientPage,
    /// Ticking what a reply contained.
    Checklist,
    /// Picking one item from a short list.
    Choice,
    /// Filling in a client's details in casework.
    ClientForm,
    /// Help or glossary shown over a screen.
    Overlay,
}

#[derive(Debug, Clone, Copy)]
pub enum Pattern {
    Key(KeyCode),
    Ctrl(char),
    /// 1 to 9: pick the choice or action with that number.
    Digit,
    /// Any other printable character: typed into a filter or a prompt.
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
    pub hint: Option<&'static str>,
}

use Context::*;
const ALL: &[Context] = &[
    Home, Question, Outcome, Summary, Prompt, Overlay, Form, Casework, ClientPage, Checklist,
    Choice, ClientForm,
];
const SCREENS: &[Context] = &[Home, Question, Outcome, Summary];
const RUN: &[Context] = &[Question, Outcome];

/// The one key table. Earlier rows win.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    Binding { pattern: Pattern::Key(KeyCode::F(12)), action: Action::QuickExit, contexts: ALL, keys: "F12", help: "Quick exit: clear the screen and leave at once", hint: Some("quick exit") },
    Binding { pattern: Pattern::Ctrl('x'), action: Action::QuickExit, contexts: ALL, keys: "Ctrl-x", help: "Quick exit (same as F12)", hint: None },
    Binding { pattern: Pattern::Ctrl('c'), action: Action::QuitApp, contexts: ALL, keys: "Ctrl-c", help: "Close sanctuary", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::CloseOverlay, contexts: &[Overlay, Prompt], keys: "Esc", help: "Close this window", hint: Some("close") },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Confirm, contexts: &[Prompt], keys: "Enter", help: "Save", hint: Some("save") },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Confirm, contexts: &[Form], keys: "Enter", help: "Next field (on Letter or To: choose from a list; on the client file field: load the file)", hint: None },
    Binding { pattern: Pattern::Ctrl('s'), action: Action::Save, contexts: &[Form], keys: "Ctrl-s", help: "Write every letter as a PDF", hint: Some("write PDFs") },
    Binding { pattern: Pattern::Ctrl('n'), action: Action::NextLetter, contexts: &[Form], keys: "Ctrl-n", help: "Preview the next letter", hint: Some("next letter") },
    Binding { pattern: Pattern::Key(KeyCode::Tab), action: Action::Down, contexts: &[Form], keys: "Tab / Down", help: "Next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::BackTab), action: Action::Up, contexts: &[Form], keys: "Shift-Tab / Up", help: "Previous field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::F(1)), action: Action::Help, contexts: &[Form], keys: "F1", help: "Show the keys", hint: Some("help") },
    Binding { pattern: Pattern::Key(KeyCode::Backspace), action: Action::DeleteChar, contexts: &[Home, Prompt, Form], keys: "Backspace", help: "Delete a typed letter", hint: None },
    Binding { pattern: Pattern::Typing, action: Action::Type(' '), contexts: &[Prompt], keys: "letters", help: "Type the file or folder name", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('?')), action: Action::Help, contexts: SCREENS, keys: "?", help: "Show or hide this help", hint: Some("help") },
    Binding { pattern: Pattern::Key(KeyCode::Up), action: Action::Up, contexts: &[Home, Question, Outcome, Overlay, Summary, Form], keys: "Up", help: "Move up", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Down), action: Action::Down, contexts: &[Home, Question, Outcome, Overlay, Summary, Form], keys: "Down", help: "Move down", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('k')), action: Action::Up, contexts: &[Question, Outcome, Overlay, Summary], keys: "k", help: "Move up", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('j')), action: Action::Down, contexts: &[Question, Outcome, Overlay, Summary], keys: "j", help: "Move down", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::PageUp), action: Action::PageUp, contexts: ALL, keys: "PgUp", help: "Scroll the text up", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::PageDown), action: Action::PageDown, contexts: ALL, keys: "PgDn", help: "Scroll the text down", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Select, contexts: SCREENS, keys: "Enter", help: "Choose / open", hint: Some("choose") },
    Binding { pattern: Pattern::Digit, action: Action::Pick(0), contexts: RUN, keys: "1-9", help: "Choose the answer or next step with that number", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Backspace), action: Action::Back, contexts: &[Question, Outcome, Summary], keys: "Backspace / Left", help: "Go back one step", hint: Some("back") },
    Binding { pattern: Pattern::Key(KeyCode::Left), action: Action::Back, contexts: &[Question, Outcome, Summary], keys: "Left", help: "Go back one step", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('r')), action: Action::Restart, contexts: &[Question, Outcome, Summary], keys: "r", help: "Start this guide again", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('n')), action: Action::ToggleNote, contexts: RUN, keys: "n", help: "Show or hide the adviser note", hint: Some("note") },
    Binding { pattern: Pattern::Key(KeyCode::Char('a')), action: Action::ReadNote, contexts: RUN, keys: "a", help: "Read the whole adviser note in a window", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('g')), action: Action::Glossary, contexts: RUN, keys: "g", help: "Explain the words on screen (glossary)", hint: Some("words") },
    Binding { pattern: Pattern::Key(KeyCode::Char('s')), action: Action::Save, contexts: &[Summary], keys: "s", help: "Save the advice record to a file", hint: Some("save") },
    Binding { pattern: Pattern::Key(KeyCode::Char('q')), action: Action::Leave, contexts: &[Question, Outcome, Summary, Overlay], keys: "q / Esc", help: "Back to the list of guides", hint: Some("home") },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::Leave, contexts: &[Form], keys: "Esc", help: "Back (asks first if anything was typed)", hint: Some("back") },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::Leave, contexts: SCREENS, keys: "Esc", help: "Back to the list of guides (on the list: close sanctuary)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::F(2)), action: Action::Letters, contexts: &[Home], keys: "F2", help: "Write a letter without a guide", hint: Some("letter") },
    Binding { pattern: Pattern::Key(KeyCode::F(3)), action: Action::Casework, contexts: &[Home, Summary], keys: "F3", help: "Casework: the due dashboard and the clients (opens the encrypted store)", hint: Some("casework") },
    Binding { pattern: Pattern::Key(KeyCode::Char('c')), action: Action::SaveToClient, contexts: &[Summary], keys: "c", help: "Save the advice record to a client in the case store", hint: Some("to client") },
    Binding { pattern: Pattern::Key(KeyCode::Tab), action: Action::NextTab, contexts: &[Casework], keys: "Tab", help: "Switch between the due dashboard and the clients", hint: Some("switch") },
    Binding { pattern: Pattern::Key(KeyCode::Up), action: Action::Up, contexts: &[Casework, ClientPage, Checklist, Choice], keys: "Up", help: "Move up", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Down), action: Action::Down, contexts: &[Casework, ClientPage, Checklist, Choice], keys: "Down", help: "Move down", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Select, contexts: &[Casework], keys: "Enter", help: "Open the client", hint: Some("open") },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Select, contexts: &[Choice], keys: "Enter", help: "Choose", hint: Some("choose") },
    Binding { pattern: Pattern::Digit, action: Action::Pick(0), contexts: &[Choice, Checklist], keys: "1-9", help: "Choose or tick the item with that number", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char(' ')), action: Action::Select, contexts: &[Checklist], keys: "Space", help: "Tick or untick the highlighted item", hint: Some("tick") },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Confirm, contexts: &[Checklist], keys: "Enter", help: "Save the reply and check it", hint: Some("save") },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::CloseOverlay, contexts: &[Checklist, Choice], keys: "Esc", help: "Cancel", hint: Some("cancel") },
    Binding { pattern: Pattern::Key(KeyCode::Char('n')), action: Action::Case(CaseAction::NewRequest), contexts: &[ClientPage], keys: "n", help: "New request: write the letter as a PDF and add the request", hint: Some("new") },
    Binding { pattern: Pattern::Key(KeyCode::Char('s')), action: Action::Case(CaseAction::Sent), contexts: &[ClientPage], keys: "s", help: "Record the date the request was sent", hint: Some("sent") },
    Binding { pattern: Pattern::Key(KeyCode::Char('d')), action: Action::Case(CaseAction::Received), contexts: &[ClientPage], keys: "d", help: "Record the date the body received it (delivered)", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('i')), action: Action::Case(CaseAction::IdReceived), contexts: &[ClientPage], keys: "i", help: "Record the date the body received the proof of identity it asked for", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('x')), action: Action::Case(CaseAction::Extend), contexts: &[ClientPage], keys: "x", help: "Record an extension and its reason", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('p')), action: Action::Case(CaseAction::Pause), contexts: &[ClientPage], keys: "p", help: "Pause the clock for clarification, or restart it", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('a')), action: Action::Case(CaseAction::Reply), contexts: &[ClientPage], keys: "a", help: "Record an answer (reply) and check it against Article 15(1)", hint: Some("answer") },
    Binding { pattern: Pattern::Key(KeyCode::Char('c')), action: Action::Case(CaseAction::Chaser), contexts: &[ClientPage], keys: "c", help: "Write a chaser listing what is missing", hint: Some("chaser") },
    Binding { pattern: Pattern::Key(KeyCode::Char('o')), action: Action::Case(CaseAction::ComplainToBody), contexts: &[ClientPage], keys: "o", help: "Write a complaint to the organisation", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Char('I')), action: Action::Case(CaseAction::ComplainToIco), contexts: &[ClientPage], keys: "I (capital i)", help: "Write a complaint to the ICO with the chronology", hint: None },
    // Clients: add one from the list, change one from their page, and the form itself.
    Binding { pattern: Pattern::Ctrl('n'), action: Action::NewClient, contexts: &[Casework], keys: "Ctrl-n", help: "Add a new client", hint: Some("new client") },
    Binding { pattern: Pattern::Key(KeyCode::Char('e')), action: Action::EditClient, contexts: &[ClientPage], keys: "e", help: "Change the client's details", hint: None },
    Binding { pattern: Pattern::Ctrl('s'), action: Action::Save, contexts: &[ClientForm], keys: "Ctrl-s", help: "Save the client's details", hint: Some("save") },
    Binding { pattern: Pattern::Key(KeyCode::Enter), action: Action::Confirm, contexts: &[ClientForm], keys: "Enter", help: "Go on to the next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Tab), action: Action::Down, contexts: &[ClientForm], keys: "Tab / Down", help: "Next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::BackTab), action: Action::Up, contexts: &[ClientForm], keys: "Shift-Tab / Up", help: "Previous field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Down), action: Action::Down, contexts: &[ClientForm], keys: "Down", help: "Next field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Up), action: Action::Up, contexts: &[ClientForm], keys: "Up", help: "Previous field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::Leave, contexts: &[ClientForm], keys: "Esc", help: "Back without saving (asks first if anything was typed)", hint: Some("back") },
    Binding { pattern: Pattern::Key(KeyCode::F(1)), action: Action::Help, contexts: &[ClientForm], keys: "F1", help: "Show the keys", hint: Some("help") },
    Binding { pattern: Pattern::Key(KeyCode::Backspace), action: Action::DeleteChar, contexts: &[ClientForm], keys: "Backspace", help: "Delete a typed letter", hint: None },
    Binding { pattern: Pattern::Typing, action: Action::Type(' '), contexts: &[ClientForm], keys: "letters", help: "Type into the field", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Backspace), action: Action::DeleteChar, contexts: &[Casework], keys: "Backspace", help: "Delete a letter of the search", hint: None },
    Binding { pattern: Pattern::Key(KeyCode::Esc), action: Action::Leave, contexts: &[Casework, ClientPage], keys: "Esc", help: "Back (from a client to the list, from the list to the guides)", hint: Some("back") },
    Binding { pattern: Pattern::Key(KeyCode::F(1)), action: Action::Help, contexts: &[Casework, ClientPage], keys: "F1", help: "Show the keys", hint: Some("help") },
    Binding { pattern: Pattern::Typing, action: Action::Type(' '), contexts: &[Casework], keys: "letters", help: "Type to search the clients", hint: None },
    Binding { pattern: Pattern::Typing, action: Action::Type(' '), contexts: &[Home, Form], keys: "letters", help: "Type to filter the guides, or into a field", hint: None },
];

impl Pattern {
    fn matches(self, key: &KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match (self, key.code) {
            (Pattern::Ctrl(c), KeyCode::Char(k)) if ctrl && k.eq_ignore_ascii_case(&c) => {
                Some(Action::None)
            }
            (Pattern::Key(code), k) if !ctrl && code == k => Some(Action::None),
            (Pattern::Digit, KeyCode::Char(d @ '1'..='9')) if !ctrl => {
                Some(Action::Pick(d as usize - '1' as usize))
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
                picked_or_typed => picked_or_typed,
            })
        })
}

/// The bindings that apply in a context, for the help overlay and the hint bar.
pub fn bindings_for(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.contexts.contains(&context))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
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
    fn typing_q_on_home_filters_but_q_in_a_guide_leaves() {
        assert_eq!(
            action_for(Home, &key(KeyCode::Char('q'))),
            Some(Action::Type('q'))
        );
        assert_eq!(
            action_for(Question, &key(KeyCode::Char('q'))),
            Some(Action::Leave)
        );
    }

    #[test]
    fn number_keys_pick_choices() {
        assert_eq!(
            action_for(Question, &key(KeyCode::Char('3'))),
            Some(Action::Pick(2))
        );
    }

    #[test]
    fn every_context_has_help_for_quick_exit() {
        for &c in ALL {
            assert!(bindings_for(c).any(|b| b.action == Action::QuickExit));
        }
    }
}
