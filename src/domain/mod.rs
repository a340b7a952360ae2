//! Pure types and rules, no I/O.

pub mod plan;
pub mod progress;
pub mod seed;
pub mod value;
