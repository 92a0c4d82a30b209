//! Casework: the one-month clock for subject access requests, counted the ICO's way, with
//! bank holidays for each UK nation, and the encrypted store of clients and their requests.

pub mod calendar;
pub mod deadline;
pub mod followup;
pub mod holidays;
pub mod redact;
pub mod reply_check;
pub mod store;
