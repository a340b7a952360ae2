//! Extractors whose refusals look like the rest of the site: a path value that does not parse
//! (a year that is not a number, bytes that are not UTF-8) or a query that does not gets the
//! error page in the reader's language, or the API's JSON error under `/api`, never a
//! plain-text message naming a type. [`CurrentPlan`] is the plan of a `/plans/{plan}/…`
//! address (404 when there is none of that slug).

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRef, FromRequestParts, OriginalUri};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::{ApiError, AppError};
use crate::i18n::t;
use crate::store::plans::Plan;
use std::collections::HashMap;

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

/// The plan named by the address's `{plan}` segment; the error page (404) when no plan has
/// that slug. Other segments are still read with [`Path`].
#[derive(Debug)]
pub struct CurrentPlan(pub Plan);

impl<S> FromRequestParts<S> for CurrentPlan
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
        let Path(params) =
            Path::<HashMap<String, String>>::from_request_parts(parts, state).await?;
        let Some(slug) = params.get("plan") else {
            let e = anyhow::anyhow!("a route without {{plan}} asks for the current plan");
            return Err(Refusal::new(parts, AppError::Internal(e)));
        };
        let state = AppState::from_ref(state);
        match state.cache.plan(&state.db, slug).await {
            Ok(Some(plan)) => Ok(CurrentPlan(plan)),
            Ok(None) => Err(Refusal::new(parts, AppError::NotFound)),
            Err(e) => Err(Refusal::new(parts, AppError::from(e))),
        }
    }
}

/// `?as_of=YEAR`: the verdicts as they stood with figures up to YEAR (the annual monitoring
/// view). Empty means this year's view.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AsOf {
    #[serde(default)]
    pub as_of: Option<String>,
}

impl AsOf {
    /// The year asked for, if any: a year of `plan` from its first year to this year;
    /// anything else is refused (400) with what was wrong.
    pub fn year(&self, plan: &crate::store::plans::Plan) -> Result<Option<i32>, AppError> {
        let Some(text) = self
            .as_of
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return Ok(None);
        };
        let last = crate::report::this_year();
        match text.parse::<i32>() {
            Ok(year) if (plan.start_year..=last).contains(&year) => Ok(Some(year)),
            _ => Err(AppError::Rejected {
                status: StatusCode::BAD_REQUEST,
                message: crate::i18n::tn(
                    "as-of-bad",
                    &[("value", &text), ("from", &plan.start_year), ("to", &last)],
                ),
            }),
        }
    }
}
