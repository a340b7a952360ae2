//! Pure types and rules, no I/O.

pub mod account;
pub mod entry;
// `code_enum!` of `plan` declares the closed sets of `target` and `time_progress` too.
#[macro_use]
pub mod plan;
pub mod plausibility;
pub mod progress;
pub mod seed;
pub mod target;
pub mod time_progress;
pub mod value;
