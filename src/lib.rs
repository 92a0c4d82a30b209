//! sanctuary: decision guides, subject access request letters and casework for advisers
//! at UK migrants'-rights organisations. The TUI and the CLI are clients of this library.

pub mod casework;
pub mod cli;
pub mod guide;
pub mod letter;
pub mod tui;
