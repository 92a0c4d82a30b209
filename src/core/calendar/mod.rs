//! The calendar: UK bank holidays by nation, working days, the subject access request
//! deadline (extension, ID or fee restart, clarification pause), the DPA 2018 s.164A
//! acknowledgement date, and dates written the UK way. A leaf: letters and casework both
//! use it, and it uses neither.

pub mod dates;
pub mod deadline;
pub mod holidays;
