//! What every form shares: the messages at its fields, the summary a refused form starts with,
//! and the one way a form page is answered.
//!
//! A handler checks what was typed into a [`FieldErrors`] (a message per field, in the order
//! of the form), puts it in its page struct, and answers with [`refused`] (422: nothing saved,
//! everything typed kept, the summary and each field's message), [`conflict`] (409: someone
//! changed the record meanwhile; the page shows the stored value beside the typed one, and
//! submitting again keeps the typed one) or [`ok`] (200). The template shows the summary with
//! `m::error_summary(errors.summary())` and each field with `m::field(…)`, whose message and
//! `aria-invalid`/`aria-describedby` come from `errors.get(id)`.
//!
//! The request side is in `session.rs` (`CsrfForm<T>`, the role extractors) and `extract.rs`
//! (`CurrentPlan`).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::AppError;

/// A form's fields as sent, in order, for forms whose names are built from data
/// (`value.<row>`, `source.<row>`, …); read it with `CsrfForm<Pairs>`.
#[derive(Debug, serde::Deserialize)]
#[serde(transparent)]
pub struct Pairs(pub Vec<(String, String)>);

/// One line of the summary at the top of a refused form: a link to the field and its message.
pub struct SummaryItem {
    pub href: String,
    pub text: String,
}

impl SummaryItem {
    /// A line that links to the element with id `id`.
    pub fn to(id: &str, text: impl Into<String>) -> SummaryItem {
        SummaryItem {
            href: format!("#{id}"),
            text: text.into(),
        }
    }
}

/// A refused value: the id of its input in the page and the message shown at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub id: String,
    pub message: String,
}

/// The messages of a refused form, by input id, in the order they were found.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    /// Records the message of input `id` (the first one found stays).
    pub fn add(&mut self, id: impl Into<String>, message: impl Into<String>) {
        let id = id.into();
        if self.get(&id).is_none() {
            self.0.push(FieldError {
                id,
                message: message.into(),
            });
        }
    }

    /// Records `result`'s message at input `id`; gives its value, or the default when refused.
    pub fn check<T: Default, E: ToString>(&mut self, id: &str, result: Result<T, E>) -> T {
        result.unwrap_or_else(|e| {
            self.add(id, e.to_string());
            T::default()
        })
    }

    /// The message at input `id`, if it was refused.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// The summary's lines: each message, linking to its input.
    pub fn summary(&self) -> Vec<SummaryItem> {
        self.0
            .iter()
            .map(|e| SummaryItem::to(&e.id, e.message.clone()))
            .collect()
    }
}

/// A form page with `status`.
pub fn respond(status: StatusCode, page: &impl Template) -> Result<Response, AppError> {
    Ok((status, Html(page.render()?)).into_response())
}

/// The form page as asked for (200).
pub fn ok(page: &impl Template) -> Result<Response, AppError> {
    respond(StatusCode::OK, page)
}

/// A refused form (422): nothing was saved; the page keeps what was typed, with the summary
/// and a message at each refused field.
pub fn refused(page: &impl Template) -> Result<Response, AppError> {
    respond(StatusCode::UNPROCESSABLE_ENTITY, page)
}

/// A form that met a change made meanwhile (409): nothing of it was saved over the change;
/// the page shows both values, ours as typed and theirs as stored.
pub fn conflict(page: &impl Template) -> Result<Response, AppError> {
    respond(StatusCode::CONFLICT, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_keep_the_first_message_of_each_field_in_order() {
        let mut e = FieldErrors::new();
        assert!(e.is_empty());
        e.add("item-year", "year");
        e.add("item-name", "name");
        e.add("item-year", "again");
        let n: u32 = e.check("item-count", "x".parse::<u32>());
        assert_eq!(n, 0);
        assert_eq!(e.get("item-year"), Some("year"));
        assert_eq!(e.get("item-source"), None);
        let summary = e.summary();
        assert_eq!(summary.len(), 3);
        assert_eq!(summary[0].href, "#item-year");
        assert_eq!(summary[1].text, "name");
    }
}
