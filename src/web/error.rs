//! One error type for every handler: a page in the site's style (or JSON under `/api`), with
//! the cause logged and never shown.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

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
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                AppError::Unavailable(e)
            }
            e => AppError::Database(e),
        }
    }
}

impl From<axum::extract::rejection::FormRejection> for AppError {
    fn from(r: axum::extract::rejection::FormRejection) -> Self {
        let status = r.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "The form is larger than 1 MiB, the most this site accepts.".to_owned()
        } else {
            "The form could not be read. Reload the page and try again.".to_owned()
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

    fn message(&self) -> (&'static str, String) {
        let (title, message) = match self {
            AppError::Forbidden => (
                "Not allowed",
                "Your account's role does not allow this. Ask an administrator if you need it.",
            ),
            AppError::Csrf => (
                "The form has expired",
                "This form was not sent from a page of this site, or your session ended. Go back, reload the page and submit again.",
            ),
            AppError::Rejected { message, .. } => return ("Request refused", message.clone()),
            AppError::NotFound => (
                "Page not found",
                "There is no page at this address. It may have moved, or the link may be mistyped.",
            ),
            AppError::Unavailable(_) | AppError::SessionsUnavailable(_) => (
                "Temporarily unavailable",
                "The figures cannot be read right now. Nothing has been lost: please try again in a moment.",
            ),
            _ => (
                "Something went wrong",
                "The page could not be shown because of an error on our side. It has been logged.",
            ),
        };
        (title, message.to_owned())
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
    title: &'static str,
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
                (status, title).into_response()
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
