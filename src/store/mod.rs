//! All SQL. Functions take `&mut PgConnection` so that callers compose them in one transaction.

pub mod assessment;
pub mod definitions;
pub mod figures;
pub mod items;
pub mod lock;
pub mod mail;
pub mod opendata;
pub mod plans;
pub mod report_words;
pub mod review;
pub mod revision;
pub mod search;
pub mod seed;
pub mod sessions;
pub mod users;
pub mod verdicts;
