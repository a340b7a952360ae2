//! Pure types and rules, no I/O.

pub mod account;
pub mod entry;
pub mod plan;
pub mod progress;
pub mod seed;
pub mod value;
