//! Who is signed in, what they may do, and the CSRF token every form carries: the extractors
//! that handlers take, apart from the pages that sign people in and out (`auth.rs`), so that
//! the frame of every page (`layout.rs`) and the language switch read the session without
//! depending on those pages.
//!
//! - [`MaybeUser`]: the signed-in user, if any; [`SignedIn`]: a user, or a redirect to the
//!   sign-in page and back.
//! - [`Admin`], [`Reviewer`], [`Analyst`], [`Contributor`]: a signed-in user whose role allows
//!   the work (403 otherwise); [`Role`]'s rules decide, not the handlers.
//! - [`CsrfForm<T>`]: a url-encoded form of any `T: DeserializeOwned` whose `csrf` field
//!   matched the session's token (403 otherwise); no `impl` per form.

use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;
use tower_sessions::Session;
use tower_sessions::session::Id;

use super::link::next_query;
use super::{AppError, AppState};
use crate::domain::plan::Role;
use crate::store::users::User;

pub(super) const USER_KEY: &str = "user_id";
pub(super) const CSRF_KEY: &str = "csrf";

/// The signed-in user, if any (a disabled account counts as signed out).
pub struct MaybeUser(pub Option<User>);

impl<S> FromRequestParts<S> for MaybeUser
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let state = AppState::from_ref(state);
        let session = session_of(parts, &state).await?;
        let Some(id) = session.get::<i64>(USER_KEY).await.map_err(session_error)? else {
            return Ok(MaybeUser(None));
        };
        Ok(MaybeUser(
            state
                .cache
                .user(&state.db, id)
                .await?
                .filter(|u| !u.disabled),
        ))
    }
}

/// A signed-in user; anyone else is sent to the sign-in page and brought back afterwards.
pub struct SignedIn(pub User);

impl<S> FromRequestParts<S> for SignedIn
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match MaybeUser::from_request_parts(parts, state).await {
            Ok(MaybeUser(Some(user))) => Ok(SignedIn(user)),
            Ok(MaybeUser(None)) => Err(sign_in_first(&parts.uri)),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// Extractors for a signed-in user whose role allows some work: a visitor is sent to sign in,
/// anyone else whose role does not allow it gets 403.
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $allowed:expr) => {
        $(#[$doc])*
        pub struct $name(pub User);

        impl<S> FromRequestParts<S> for $name
        where
            S: Send + Sync,
            AppState: FromRef<S>,
        {
            type Rejection = Response;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
                let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
                let allowed: fn(Role) -> bool = $allowed;
                if allowed(user.role) {
                    Ok($name(user))
                } else {
                    Err(AppError::Forbidden.into_response())
                }
            }
        }
    };
}

role_extractor!(
    /// An administrator (users, plan definitions).
    Admin,
    |r| r == Role::Admin
);
role_extractor!(
    /// Someone who reviews: publishes or sends back others' drafts (officials, administrators).
    Reviewer,
    Role::reviews
);
role_extractor!(
    /// Someone who enters figures and items (analysts, administrators).
    Analyst,
    Role::enters_figures
);
role_extractor!(
    /// Someone who enters figures or reviews them: revises a figure, or its commentary only.
    Contributor,
    |r| r.enters_figures() || r.reviews()
);

async fn session_of(parts: &mut Parts, state: &AppState) -> Result<Session, AppError> {
    Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, m)| AppError::Internal(anyhow::anyhow!(m)))
}

/// The id of the user the session was signed in as, if any (not checked against the accounts;
/// for the response headers of signed-in pages).
pub async fn signed_in_id(session: &Session) -> Result<Option<i64>, AppError> {
    session.get::<i64>(USER_KEY).await.map_err(session_error)
}

/// Sessions live in PostgreSQL: when they cannot be read, the database is unavailable.
pub(super) fn session_error(e: tower_sessions::session::Error) -> AppError {
    AppError::SessionsUnavailable(e.to_string())
}

/// The session's CSRF token, created on first use.
pub async fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session
        .get::<String>(CSRF_KEY)
        .await
        .map_err(session_error)?
    {
        return Ok(token);
    }
    let token = format!("{}{}", Id::default(), Id::default());
    session
        .insert(CSRF_KEY, &token)
        .await
        .map_err(session_error)?;
    Ok(token)
}

/// Checks a CSRF token sent with a request against the session's (403 when it differs).
pub async fn check_csrf(session: &Session, sent: &str) -> Result<(), AppError> {
    let expected = session
        .get::<String>(CSRF_KEY)
        .await
        .map_err(session_error)?;
    match expected {
        Some(token) if !token.is_empty() && constant_time_eq(token.as_bytes(), sent.as_bytes()) => {
            Ok(())
        }
        _ => Err(AppError::Csrf),
    }
}

pub(super) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    bool::from(a.ct_eq(b))
}

/// A url-encoded form whose `csrf` field matched the session's token; any other POST is
/// refused with 403. `T` is any form type: it need not name the token.
///
/// ```text
/// async fn save(Analyst(user): Analyst, CsrfForm(form): CsrfForm<ItemForm>) -> … { … }
/// ```
pub struct CsrfForm<T>(pub T);

impl<T, S> FromRequest<S> for CsrfForm<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let app = AppState::from_ref(state);
        let session = session_of(&mut parts, &app).await?;
        let expected = session
            .get::<String>(CSRF_KEY)
            .await
            .map_err(session_error)?;
        // The body is read once (within the site's limit), then read as `T` by axum's own
        // `Form` (its refusals: wrong type, unreadable, too large) and for its `csrf` field.
        let (method, uri, content_type) = (
            parts.method.clone(),
            parts.uri.clone(),
            parts.headers.get(header::CONTENT_TYPE).cloned(),
        );
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| AppError::from(FormRejection::from(e)))?;
        let mut again = Request::builder().method(method).uri(uri);
        if let Some(content_type) = content_type {
            again = again.header(header::CONTENT_TYPE, content_type);
        }
        let again = again
            .body(Body::from(bytes.clone()))
            .map_err(|e| AppError::Internal(e.into()))?;
        let Form(form) = Form::<T>::from_request(again, state)
            .await
            .map_err(AppError::from)?;
        let sent = sent_token(&bytes);
        match expected {
            Some(token)
                if !token.is_empty() && constant_time_eq(token.as_bytes(), sent.as_bytes()) =>
            {
                Ok(CsrfForm(form))
            }
            _ => Err(AppError::Csrf),
        }
    }
}

/// The first `csrf` field of a url-encoded body ("" when there is none).
fn sent_token(body: &[u8]) -> String {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "csrf"))
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// A form with nothing but its CSRF token (a button).
#[derive(Deserialize)]
pub struct CsrfOnly {}

/// Sends a visitor to the sign-in page, to come back to `uri` afterwards.
pub fn sign_in_first(uri: &axum::http::Uri) -> Response {
    let next = uri.path_and_query().map_or("/", |p| p.as_str());
    Redirect::to(&format!("/login?{}", next_query(next))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_any_form() {
        assert_eq!(sent_token(b"value.i1=3&csrf=abc&csrf=def"), "abc");
        assert_eq!(sent_token(b"version=2&comment=x"), "");
        assert_eq!(sent_token(b"csrf=a%2Bb"), "a+b");
    }
}
