//! All SQL. Functions take `&mut PgConnection` so that callers compose them in one transaction.

pub mod plans;
pub mod seed;
