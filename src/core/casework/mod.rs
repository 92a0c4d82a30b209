//! Casework: the encrypted store of clients and their requests, checking a reply against
//! what the law requires, and what follows a request (urgency, chasers, complaints). The
//! dates themselves come from `crate::calendar`.

pub mod calendar;
pub mod followup;
pub mod redact;
pub mod reply_check;
pub mod search;
pub mod standing;
pub mod steps;
pub mod store;
