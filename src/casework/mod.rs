//! Casework: the one-month clock for subject access requests, counted the ICO's way, with
//! bank holidays for each UK nation, and the encrypted store of clients and their requests.

pub mod deadline;
pub mod holidays;
pub mod store;
