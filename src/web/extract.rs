//! Extractors whose refusals look like the rest of the site: a path value that does not parse
//! (a year that is not a number, bytes that are not UTF-8) or a query that does not gets the
//! error page in the reader's language, or the API's JSON error under `/api`, never a
//! plain-text message naming a type.

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::error::{ApiError, AppError};
use crate::i18n::t;

/// Path values, as `axum::extract::Path`, refused with the site's error page.
#[derive(Debug)]
pub struct Path<T>(pub T);

/// A refused request, shown as a page or, for the API, as JSON.
#[derive(Debug)]
pub struct Refusal {
    api: bool,
    error: AppError,
}

impl Refusal {
    fn new(parts: &Parts, error: AppError) -> Refusal {
        // Under a nested router the URI has lost its prefix; the original one has not.
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(parts.uri.path(), |u| u.0.path());
        Refusal {
            api: path == "/api" || path.starts_with("/api/"),
            error,
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        if self.api {
            ApiError(self.error).into_response()
        } else {
            self.error.into_response()
        }
    }
}

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => {
                let error = match rejection {
                    // A value this address cannot hold: there is no such page.
                    PathRejection::FailedToDeserializePathParams(e) => {
                        tracing::debug!("path value refused: {}", e.body_text());
                        AppError::NotFound
                    }
                    // A route whose handler asks for values it does not have: a bug.
                    other => AppError::Internal(anyhow::anyhow!(other.body_text())),
                };
                Err(Refusal::new(parts, error))
            }
        }
    }
}

/// A query string, as `axum::extract::Query`, refused with the site's error page (400).
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => {
                tracing::debug!("query refused: {}", rejection.body_text());
                let error = AppError::Rejected {
                    status: StatusCode::BAD_REQUEST,
                    message: t("error-query-unreadable"),
                };
                Err(Refusal::new(parts, error))
            }
        }
    }
}
