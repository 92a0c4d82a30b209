//! What every key press, click and scroll becomes before the app state is updated.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    None,
    Up,
    Down,
    PageUp,
    PageDown,
    /// Home: to the top of the text.
    Top,
    /// End: to the bottom of the text.
    Bottom,
    /// Enter: choose the highlighted item.
    Select,
    /// A digit key (0 to 9) outside a text field. The app turns digits into a `Pick`,
    /// waiting for a second digit on a screen with ten items or more.
    Number(u8),
    /// Choose item n (0-based).
    Pick(usize),
    Back,
    Restart,
    ToggleNote,
    /// Open the whole adviser note in a window.
    ReadNote,
    Help,
    Glossary,
    /// q or Esc: back to the list of guides (on the list itself: close the app). Leaving a
    /// guide walk with answers, or an unsaved summary, asks first.
    Leave,
    CloseOverlay,
    QuitApp,
    QuickExit,
    Save,
    /// Preview the next letter of a set.
    NextLetter,
    /// Open the letter form from the list of guides.
    Letters,
    /// Open casework (unlocking the store first).
    Casework,
    /// Save the run's advice record to a client.
    SaveToClient,
    /// Switch between the casework lists.
    NextTab,
    /// Add a client (the form for their details).
    NewClient,
    /// Change the open client's details.
    EditClient,
    /// Sync the store with the team's server (a team store only).
    TeamSync,
    /// Show the fields changed both here and in another copy, with both values.
    TeamConflicts,
    /// Something done to the highlighted request on a client's page.
    Case(CaseAction),
    Confirm,
    /// y: yes to a question such as "Leave this guide?".
    Yes,
    /// n or Esc: no to such a question.
    No,
    Type(char),
    DeleteChar,
    /// Left and Right: move the cursor in a text field.
    Left,
    Right,
    /// Ctrl-u: clear the text field.
    ClearLine,
    /// Open the settings: the adviser's own details and the letters folder.
    Settings,
    /// Show the letter preview across the whole screen, or the form again.
    TogglePreview,
    /// Open what is highlighted (an advice record or a letter) to read it.
    Open,
    /// In the letter form: choose a client from the case store.
    PickClient,
    /// A mouse click at a screen cell.
    Click {
        column: u16,
        row: u16,
    },
    ScrollUp,
    ScrollDown,
}

/// What an adviser does with a request on a client's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    /// Write a new request letter and add the request.
    NewRequest,
    Sent,
    Received,
    IdReceived,
    Extend,
    /// Stop the clock for clarification, or restart it.
    Pause,
    Reply,
    Chaser,
    ComplainToBody,
    ComplainToIco,
    /// Change whose bank holidays count for the due date.
    Nation,
    /// Undo a pause or a reply recorded in error.
    Undo,
}
