//! The shipped guides as `build.rs` leaves them: parsed and checked at build time, then
//! stored in a compact binary form, so the program starts without parsing TOML.
//! This file is compiled into both the build script and the library.

use serde::{Deserialize, Serialize};

use super::glossary::Glossary;
use super::parse::ParsedFile;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EmbeddedGuides {
    pub files: Vec<ParsedFile>,
    pub glossary: Glossary,
}
