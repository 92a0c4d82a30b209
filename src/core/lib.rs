//! sanctuary: decision guides, subject access request letters and casework for advisers
//! at UK migrants'-rights organisations.
//!
//! This library holds no terminal, no argument parsing and no clock: it is given `today`.
//! The command line and the full-screen app are modules of the binary (`src/main.rs`), so
//! the compiler keeps the library from reaching them.

pub mod calendar;
pub mod casework;
pub mod files;
pub mod guide;
pub mod handout;
pub mod letter;
pub mod translation;
