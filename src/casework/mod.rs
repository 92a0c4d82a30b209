//! Casework: the one-month clock for subject access requests, counted the ICO's way, with
//! bank holidays for each UK nation.

pub mod deadline;
pub mod holidays;
