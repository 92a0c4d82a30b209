//! The guide file format: a guide file parsed into plain structs (`parse`, `model`), every
//! problem found as a value with its file, line and column (`problem`), the shared glossary
//! (`glossary`), the translation files and their keys and hash (`translation`), and the
//! compact form in which the shipped guides are compiled into the program (`embedded`).
//!
//! It is its own crate so that the library's build script can check and embed the shipped
//! guides with the same code the program uses, without compiling anything twice.

pub mod embedded;
pub mod glossary;
pub mod model;
pub mod parse;
pub mod problem;
pub mod translation;
