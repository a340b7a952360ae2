//! One error type for every handler: a page in the site's style (or JSON under `/api`), with
//! the cause logged and never shown.

use crate::i18n::t;
use askama::Template;
use axum::Json;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;
use std::cell::Cell;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("CSRF token missing or wrong")]
    Csrf,
    #[error("request refused: {message}")]
    Rejected { status: StatusCode, message: String },
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error("session store unavailable: {0}")]
    SessionsUnavailable(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("template error: {0}")]
    Template(#[from] askama::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if is_outage(&e) {
            AppError::Unavailable(e)
        } else {
            AppError::Database(e)
        }
    }
}

/// Whether `e` says the database cannot be reached (down, restarting, or the connection
/// lost), rather than that a query failed.
pub fn is_outage(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        // Class 08 is "connection exception"; 57P01-57P03 are a server shutting down,
        // crashed, or not yet accepting connections.
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}

tokio::task_local! {
    /// Set when the session store could not be reached during the current request.
    static SESSION_STORE_DOWN: Cell<bool>;
}

/// Called by the session store when the database cannot be reached, so that
/// [`session_outage`] can tell the reader so.
pub fn note_session_store_down() {
    let _ = SESSION_STORE_DOWN.try_with(|down| down.set(true));
}

/// Wraps the session layer. When that layer cannot save a session it answers with a bare
/// 500 of its own, dropping the page; when the cause was the database being unreachable,
/// this answers with the styled 503 instead (JSON under `/api`), like every other page
/// during an outage.
pub async fn session_outage(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let (response, down) = SESSION_STORE_DOWN
        .scope(Cell::new(false), async move {
            let response = next.run(request).await;
            (response, SESSION_STORE_DOWN.with(Cell::get))
        })
        .await;
    if !down || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let error = AppError::SessionsUnavailable("the session could not be saved".to_owned());
    if api {
        ApiError(error).into_response()
    } else {
        error.into_response()
    }
}

impl From<axum::extract::rejection::FormRejection> for AppError {
    fn from(r: axum::extract::rejection::FormRejection) -> Self {
        let status = r.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            t("error-form-too-large")
        } else {
            t("error-form-unreadable")
        };
        AppError::Rejected { status, message }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Rejected { status, .. } => *status,
            AppError::Unavailable(_) | AppError::SessionsUnavailable(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The title and message a reader sees, in their language.
    fn message(&self) -> (String, String) {
        let id = match self {
            AppError::Forbidden => "error-forbidden",
            AppError::Csrf => "error-csrf",
            AppError::Rejected { message, .. } => {
                return (t("error-rejected"), message.clone());
            }
            AppError::NotFound => "error-not-found",
            AppError::Unavailable(_) | AppError::SessionsUnavailable(_) => "error-unavailable",
            _ => "error-internal",
        };
        (t(id), t(&format!("{id}-message")))
    }

    fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: super::layout::Layout,
    status: u16,
    title: String,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let (title, message) = self.message();
        let page = ErrorPage {
            layout: Default::default(),
            status: status.as_u16(),
            title,
            message,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!("cannot render the error page: {e}");
                (status, page.title).into_response()
            }
        }
    }
}

/// The same errors as JSON, for `/api`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let (title, message) = self.0.message();
        (status, Json(json!({ "error": { "status": status.as_u16(), "title": title, "message": message } })))
            .into_response()
    }
}

/// The fallback for every address that matches no route.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_database_is_an_outage_and_a_failed_query_is_not() {
        for e in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::Io(std::io::ErrorKind::ConnectionRefused.into()),
        ] {
            assert!(is_outage(&e), "{e}");
            assert_eq!(AppError::from(e).status(), StatusCode::SERVICE_UNAVAILABLE);
        }
        let e = sqlx::Error::RowNotFound;
        assert!(!is_outage(&e));
        assert_eq!(
            AppError::from(e).status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
