//! The calendar: UK bank holidays by nation, working days, the subject access request
//! deadline (extension, ID or fee restart, clarification pause), the DPA 2018 s.164A
//! acknowledgement date, and dates written the UK way. A leaf: letters and casework both
//! use it, and it uses neither.

pub mod dates;
pub mod deadline;
pub mod holidays;

/// The version of the deadline rules (bank holidays, the one-month rule, the
/// assumed receipt of a posted request). Raise it whenever a rule changes what
/// date a request is due: the case store then works out every stored due date
/// again when it is next opened, so no old row keeps a wrong or missing date.
pub const RULES_VERSION: u32 = 1;
