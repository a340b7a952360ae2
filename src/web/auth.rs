//! Signing in and out, who is signed in, and the CSRF token every form carries.

use askama::Template;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Query, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Duration, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tower_sessions::Session;
use tower_sessions::session::Id;

use super::layout::Layout;
use super::{AppError, AppState};
use crate::domain::account;
use crate::store::users::{self, User};

const USER_KEY: &str = "user_id";
const CSRF_KEY: &str = "csrf";

/// Sign-in attempts allowed for one user name within [`THROTTLE_WINDOW_MINUTES`].
pub const MAX_FAILURES: i64 = 5;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}

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
        let session = Session::from_request_parts(parts, &state)
            .await
            .map_err(|(_, m)| anyhow::anyhow!(m))?;
        let Some(id) = session.get::<i64>(USER_KEY).await.map_err(session_error)? else {
            return Ok(MaybeUser(None));
        };
        let mut conn = state.db.acquire().await?;
        Ok(MaybeUser(
            users::by_id(&mut conn, id).await?.filter(|u| !u.disabled),
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
            Ok(MaybeUser(None)) => {
                let next = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                let query = serde_urlencoded_next(next);
                Err(Redirect::to(&format!("/login?{query}")).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

pub(super) fn serde_urlencoded_next(next: &str) -> String {
    let mut out = String::from("next=");
    for b in next.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl SignedIn {
    /// Refuses with 403 unless the user's role allows `allowed`.
    pub fn require(
        &self,
        allowed: fn(crate::domain::plan::Role) -> bool,
    ) -> Result<&User, AppError> {
        if allowed(self.0.role) {
            Ok(&self.0)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// Sessions live in PostgreSQL: when they cannot be read, the database is unavailable.
fn session_error(e: tower_sessions::session::Error) -> AppError {
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

/// A form that carries a `csrf` field.
pub trait CsrfProtected {
    fn csrf(&self) -> &str;
}

/// A form whose CSRF token matched the session's; any other POST is refused with 403.
pub struct CheckedForm<T>(pub T);

impl<T, S> FromRequest<S> for CheckedForm<T>
where
    T: DeserializeOwned + CsrfProtected + Send,
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let session = Session::from_request_parts(&mut parts, state)
            .await
            .map_err(|(_, m)| anyhow::anyhow!(m))?;
        let expected = session
            .get::<String>(CSRF_KEY)
            .await
            .map_err(session_error)?;
        let req = Request::from_parts(parts, body);
        let Form(form) = Form::<T>::from_request(req, state)
            .await
            .map_err(AppError::from)?;
        match expected {
            Some(token)
                if !token.is_empty()
                    && constant_time_eq(token.as_bytes(), form.csrf().as_bytes()) =>
            {
                Ok(CheckedForm(form))
            }
            _ => Err(AppError::Csrf),
        }
    }
}

/// Checks a CSRF token sent other than in a url-encoded form (in a multipart upload).
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

/// Sends a visitor to the sign-in page, to come back to `uri` afterwards.
pub fn sign_in_first(uri: &axum::http::Uri) -> Response {
    let next = uri.path_and_query().map_or("/", |p| p.as_str());
    Redirect::to(&format!("/login?{}", serde_urlencoded_next(next))).into_response()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Where to go after signing in: a path on this site only.
/// A page on this site to go back to (never `//elsewhere` or `https://…`), else the root.
pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_form(
    State(state): State<AppState>,
    session: Session,
    MaybeUser(user): MaybeUser,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    if user.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let layout = Layout::new(&state, &session, None).await?;
    Ok(Html(
        LoginPage {
            layout,
            username: String::new(),
            next: safe_next(q.next.as_deref()),
            error: None,
        }
        .render()?,
    )
    .into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf: String,
}

impl CsrfProtected for LoginForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn login(
    State(state): State<AppState>,
    session: Session,
    CheckedForm(form): CheckedForm<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(Some(&form.next));
    let name = form.username.trim().to_lowercase();
    let refuse = |status: StatusCode, error: &str, layout: Layout| -> Result<Response, AppError> {
        let page = LoginPage {
            layout,
            username: form.username.clone(),
            next: next.clone(),
            error: Some(error.to_owned()),
        };
        Ok((status, Html(page.render()?)).into_response())
    };
    let mut conn = state.db.acquire().await?;
    let since = Utc::now() - Duration::minutes(THROTTLE_WINDOW_MINUTES);
    if users::failures_since(&mut conn, &name, since).await? >= MAX_FAILURES {
        let layout = Layout::new(&state, &session, None).await?;
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            &crate::i18n::t("login-paused"),
            layout,
        );
    }
    let found = users::credentials(&mut conn, &name).await?;
    let password = form.password.clone();
    let (user, hash) = match found {
        Some((user, hash)) if !user.disabled => (Some(user), hash),
        _ => (None, account::decoy_hash().to_owned()),
    };
    // Hashing is slow on purpose; keep it off the async workers.
    let matches = tokio::task::spawn_blocking(move || account::verify_password(&password, &hash))
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    let Some(user) = user.filter(|_| matches) else {
        users::record_failure(&mut conn, &name).await?;
        let layout = Layout::new(&state, &session, None).await?;
        return refuse(
            StatusCode::UNAUTHORIZED,
            &crate::i18n::t("login-wrong"),
            layout,
        );
    };
    users::clear_failures(&mut conn, &name).await?;
    // A new session id at sign-in, so an id planted before cannot be used after.
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(USER_KEY, user.app_user_id)
        .await
        .map_err(session_error)?;
    session
        .remove::<String>(CSRF_KEY)
        .await
        .map_err(session_error)?;
    tracing::info!(user = %user.username, "signed in");
    Ok(Redirect::to(&next).into_response())
}

/// A form with nothing but its CSRF token (a button).
#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

impl CsrfProtected for CsrfOnly {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn logout(
    session: Session,
    CheckedForm(_): CheckedForm<CsrfOnly>,
) -> Result<Response, AppError> {
    session.flush().await.map_err(session_error)?;
    Ok(Redirect::to("/").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next(Some("/plans/x/entry/2023")),
            "/plans/x/entry/2023"
        );
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(
            safe_next(Some("/\t/evil.example")),
            "/",
            "no control characters in a Location"
        );
        assert_eq!(safe_next(Some("/plans/é")), "/");
    }

    #[test]
    fn the_return_address_is_encoded() {
        assert_eq!(
            serde_urlencoded_next("/audit?year=2023&plan=a"),
            "next=/audit%3Fyear%3D2023%26plan%3Da"
        );
    }
}
