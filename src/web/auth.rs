//! Signing in and out, and changing one's password. Who is signed in and the CSRF token every
//! form carries are read by the extractors of `session.rs`.

use askama::Template;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;
use tower_sessions::cookie::time::Duration as CookieDuration;
use tower_sessions::cookie::{Cookie, SameSite};

use super::form::{self, FieldErrors};
use super::layout::Layout;
use super::{AppError, AppState};
use crate::domain::account;
use crate::i18n::{t, t1};
use crate::store::users::{self, Delay, Scope, User};

pub mod budget;

// The session, CSRF and signed-in extractors live in `session.rs`; named here too for the
// handlers that import them from this module.
use super::link::safe_next;
use super::session::{CSRF_KEY, USER_KEY, constant_time_eq, session_error};
pub use super::session::{
    CsrfForm, CsrfOnly, MaybeUser, SignedIn, check_csrf, csrf_token, sign_in_first, signed_in_id,
};

/// The sign-in form's own CSRF token (double submit: this cookie and the form's hidden
/// field), so that showing the form writes no session.
const SIGN_IN_COOKIE: &str = "plantrack_signin";
const SIGN_IN_COOKIE_MINUTES: i64 = 60;
/// A browser that has signed in before: a random token whose SHA-256 is kept per user.
const DEVICE_COOKIE: &str = "plantrack_device";
const DEVICE_COOKIE_DAYS: i64 = 365;

/// Per user name (and per known browser): the 5th and later failed attempts within the window
/// make the next one wait 2, 4, 8 … seconds, at most 15 minutes; forgotten 15 minutes later.
pub const NAME_DELAY: Delay = Delay {
    free: 5,
    cap_seconds: 15 * 60,
    forget_seconds: 15 * 60,
};
/// Per client address: at most this many sign-in attempts that failed …
pub const ADDRESS_MAX_FAILURES: i32 = 30;
/// … within this window (seconds); then 429 until it ends.
pub const ADDRESS_WINDOW_SECONDS: i32 = 15 * 60;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route(
            "/account/password",
            get(password_form).post(change_password),
        )
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    /// Why the sign-in was refused as a whole (a wrong password, a pause), shown above the form.
    error: Option<String>,
    /// The message at a field refused on its own (over-long input).
    errors: FieldErrors,
}

impl LoginPage {
    fn new(token: &str, username: &str, next: String) -> LoginPage {
        LoginPage {
            // The form's token is the sign-in cookie's, not a session's: no session yet.
            layout: Layout {
                csrf: token.to_owned(),
                ..Layout::default()
            },
            username: username.to_owned(),
            next,
            error: None,
            errors: FieldErrors::new(),
        }
    }

    fn respond(self, status: StatusCode) -> Result<Response, AppError> {
        form::respond(status, &self)
    }

    /// The id of the refusal above the form, which describes input `id` unless it has a
    /// message of its own; `""` when there is none.
    fn refusal_for(&self, id: &str) -> &'static str {
        if self.error.is_some() && self.errors.get(id).is_none() {
            "login-error"
        } else {
            ""
        }
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// The client's address as the server saw it (an IPv6 address by its /64), when the server
/// provides it. A request from this machine that carries `X-Forwarded-For` came through a
/// proxy here: the address the proxy added (the last one) is the client's.
pub struct ClientAddr(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
            return Ok(ClientAddr(None));
        };
        let mut ip = peer.ip().to_canonical();
        if ip.is_loopback()
            && let Some(forwarded) = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .next_back()
                .and_then(|a| a.trim().parse::<IpAddr>().ok())
        {
            ip = forwarded;
        }
        Ok(ClientAddr(Some(address_key(ip))))
    }
}

fn address_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// A cookie's value from the request.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

/// A random token of 256 bits, as 64 hex digits.
fn random_token() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn sha256_hex(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A `Set-Cookie` for the sign-in page only: HttpOnly, SameSite=Strict, Secure over https.
fn sign_in_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: CookieDuration,
) -> HeaderValue {
    let cookie = Cookie::build((name, value))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config.secure_cookies())
        .max_age(max_age)
        .build();
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The sign-in form's token: the browser's own while it is well formed, else a new one.
fn sign_in_token(headers: &HeaderMap) -> String {
    cookie(headers, SIGN_IN_COOKIE)
        .filter(|t| well_formed(t))
        .unwrap_or_else(random_token)
}

async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    if user.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let token = sign_in_token(&headers);
    let mut response =
        LoginPage::new(&token, "", safe_next(q.next.as_deref())).respond(StatusCode::OK)?;
    response.headers_mut().append(
        header::SET_COOKIE,
        sign_in_cookie(
            &state,
            SIGN_IN_COOKIE,
            &token,
            CookieDuration::minutes(SIGN_IN_COOKIE_MINUTES),
        ),
    );
    Ok(response)
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

/// What a sign-in attempt was counted against, to give back or clear afterwards.
struct Reserved {
    address: Option<String>,
    /// The user name's count, or the known browser's.
    own: (Scope, String),
}

/// A sign-in form whose token matched the sign-in cookie's (double submit), with the token
/// of a browser that has signed in before, if it sent one.
struct SignInRequest {
    token: String,
    device: Option<String>,
    form: LoginForm,
}

impl SignInRequest {
    async fn read(state: &AppState, request: Request) -> Result<SignInRequest, AppError> {
        let token = cookie(request.headers(), SIGN_IN_COOKIE).unwrap_or_default();
        let device = cookie(request.headers(), DEVICE_COOKIE).filter(|t| well_formed(t));
        let Form(form) = Form::<LoginForm>::from_request(request, state)
            .await
            .map_err(AppError::from)?;
        if !well_formed(&token) || !constant_time_eq(token.as_bytes(), form.csrf.as_bytes()) {
            return Err(AppError::Csrf);
        }
        Ok(SignInRequest {
            token,
            device,
            form,
        })
    }
}

impl LoginPage {
    /// A message at each field longer than sign-in accepts; `true` when there is one.
    fn refuse_too_long(&mut self, form: &LoginForm) -> bool {
        if form.username.chars().count() > account::SIGN_IN_NAME_MAX {
            self.errors.add(
                "username",
                t1("login-name-too-long", "count", account::SIGN_IN_NAME_MAX),
            );
        }
        if form.password.len() > account::SIGN_IN_PASSWORD_MAX {
            self.errors.add(
                "password",
                t1(
                    "login-password-too-long",
                    "count",
                    account::SIGN_IN_PASSWORD_MAX,
                ),
            );
        }
        !self.errors.is_empty()
    }
}

/// Counts an attempt before its password is checked, each count in one statement so that
/// parallel guesses cannot all slip under the limit; the counts and the account's credentials,
/// or the message saying how long to wait.
async fn reserve(
    state: &AppState,
    name: &str,
    device_hash: Option<&str>,
    address: Option<&str>,
) -> Result<Result<(Reserved, Option<(User, String)>), String>, AppError> {
    let mut conn = state.db.acquire().await?;
    users::prune_throttle(&mut conn).await?;
    let known = match device_hash {
        Some(hash) => users::is_known_device(&mut conn, name, hash).await?,
        None => false,
    };
    let reserved = if let (true, Some(hash)) = (known, device_hash) {
        // A browser that has signed in as this user before is not held back by a pause on
        // the name (which anyone can cause), only by its own failures.
        if let Err(wait) =
            users::reserve_delayed(&mut conn, Scope::Device, hash, NAME_DELAY).await?
        {
            return Ok(Err(t1("login-paused", "seconds", wait)));
        }
        Reserved {
            address: None,
            own: (Scope::Device, hash.to_owned()),
        }
    } else {
        if let Some(address) = address
            && let Err(wait) = users::reserve_windowed(
                &mut conn,
                Scope::Address,
                address,
                ADDRESS_MAX_FAILURES,
                ADDRESS_WINDOW_SECONDS,
            )
            .await?
        {
            let minutes = (wait + 59) / 60;
            return Ok(Err(t1("login-address-paused", "minutes", minutes)));
        }
        if let Err(wait) = users::reserve_delayed(&mut conn, Scope::Name, name, NAME_DELAY).await? {
            return Ok(Err(t1("login-paused", "seconds", wait)));
        }
        Reserved {
            address: address.map(str::to_owned),
            own: (Scope::Name, name.to_owned()),
        }
    };
    let found = users::credentials(&mut conn, name).await?;
    // The connection goes back to the pool before waiting for a hashing worker.
    Ok(Ok((reserved, found)))
}

/// The account whose password `password` is, on a hashing worker (`Busy` when none is free).
/// An unknown name or a disabled account takes as long to refuse as a wrong password.
async fn verify(
    found: Option<(User, String)>,
    password: String,
) -> Result<Option<User>, budget::Busy> {
    let (user, hash) = match found {
        Some((user, hash)) if !user.disabled => (Some(user), Some(hash)),
        _ => (None, None),
    };
    let matches = budget::run(move |memory| {
        let hash = hash.unwrap_or_else(|| account::decoy_hash_in(memory).to_owned());
        account::verify_password_in(&password, &hash, memory)
    })
    .await?;
    Ok(user.filter(|_| matches))
}

/// After a right password: clears the attempt's counts, remembers the browser, and starts the
/// session under a new id (so an id planted before cannot be used after), without the CSRF
/// token of the visitor it was.
async fn start_session(
    conn: &mut sqlx::PgConnection,
    session: &Session,
    reserved: &Reserved,
    user: &User,
    device: &str,
) -> Result<(), AppError> {
    users::clear(&mut *conn, reserved.own.0, &reserved.own.1).await?;
    if let Some(address) = &reserved.address {
        // Only failures count against an address.
        users::refund(&mut *conn, Scope::Address, address).await?;
    }
    users::remember_device(&mut *conn, user.app_user_id, &sha256_hex(device)).await?;
    // Mail to them is written in the language they last signed in with.
    crate::store::mail::set_language(&mut *conn, user.app_user_id, crate::i18n::Lang::current())
        .await?;
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(USER_KEY, user.app_user_id)
        .await
        .map_err(session_error)?;
    session
        .remove::<String>(CSRF_KEY)
        .await
        .map_err(session_error)?;
    Ok(())
}

/// The way on after signing in, keeping the browser's token and ending the sign-in cookie.
fn signed_in(state: &AppState, next: &str, device: &str) -> Response {
    let mut response = Redirect::to(next).into_response();
    let headers = response.headers_mut();
    let device_cookie = CookieDuration::days(DEVICE_COOKIE_DAYS);
    headers.append(
        header::SET_COOKIE,
        sign_in_cookie(state, DEVICE_COOKIE, device, device_cookie),
    );
    headers.append(
        header::SET_COOKIE,
        sign_in_cookie(state, SIGN_IN_COOKIE, "", CookieDuration::ZERO),
    );
    response
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    session: Session,
    request: Request,
) -> Result<Response, AppError> {
    let SignInRequest {
        token,
        device,
        form,
    } = SignInRequest::read(&state, request).await?;
    let next = safe_next(Some(&form.next));
    let page = |error: Option<String>| LoginPage {
        error,
        ..LoginPage::new(&token, &form.username, next.clone())
    };
    // Over-long input is refused at its field before anything else.
    let mut refused = page(None);
    if refused.refuse_too_long(&form) {
        return refused.respond(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let name = form.username.trim().to_lowercase();
    let device_hash = device.as_deref().map(sha256_hex);
    let (reserved, found) =
        match reserve(&state, &name, device_hash.as_deref(), address.as_deref()).await? {
            Ok(reserved) => reserved,
            Err(paused) => return page(Some(paused)).respond(StatusCode::TOO_MANY_REQUESTS),
        };
    let checked = verify(found, form.password.clone()).await;
    let mut conn = state.db.acquire().await?;
    let Ok(user) = checked else {
        // Nothing was checked: the attempt does not count.
        refund(&mut conn, &reserved).await?;
        tracing::warn!("sign-in refused: every password worker is busy");
        return page(Some(t("login-busy"))).respond(StatusCode::TOO_MANY_REQUESTS);
    };
    let Some(user) = user else {
        return page(Some(t("login-wrong"))).respond(StatusCode::UNAUTHORIZED);
    };
    let device = device.unwrap_or_else(random_token);
    start_session(&mut conn, &session, &reserved, &user, &device).await?;
    drop(conn);
    tracing::info!(user = %user.username, "signed in");
    Ok(signed_in(&state, &next, &device))
}

async fn refund(conn: &mut sqlx::PgConnection, reserved: &Reserved) -> Result<(), AppError> {
    users::refund(conn, reserved.own.0, &reserved.own.1).await?;
    if let Some(address) = &reserved.address {
        users::refund(conn, Scope::Address, address).await?;
    }
    Ok(())
}

async fn logout(
    State(state): State<AppState>,
    session: Session,
    request: Request,
) -> Result<Response, AppError> {
    // Without a signed-in session there is nothing to end (and no token to check against).
    if signed_in_id(&session).await?.is_none() {
        return Ok(Redirect::to("/").into_response());
    }
    let CsrfForm(CsrfOnly { .. }) = CsrfForm::from_request(request, &state).await?;
    session.flush().await.map_err(session_error)?;
    Ok(Redirect::to("/").into_response())
}

#[derive(Template, Default)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    layout: Layout,
    changed: bool,
    /// The messages at `current`, `new` and `again`.
    errors: FieldErrors,
}

impl PasswordPage {
    /// A message at each field of `form` that cannot be taken as it is; `true` when there is one.
    fn refuse(&mut self, form: &PasswordForm, user: &User) -> bool {
        if form.current.len() > account::SIGN_IN_PASSWORD_MAX {
            self.errors.add(
                "current",
                t1(
                    "login-password-too-long",
                    "count",
                    account::SIGN_IN_PASSWORD_MAX,
                ),
            );
        } else if form.current.is_empty() {
            self.errors.add("current", t("account-wrong-current"));
        }
        if let Err(e) = account::check_password(&form.new, &user.username) {
            self.errors.add("new", e.to_string());
        } else if form.new != form.again {
            self.errors.add("again", t("account-differs"));
        }
        !self.errors.is_empty()
    }

    /// The page again with a message at the current password.
    fn refused(mut self, status: StatusCode, message: String) -> Result<Response, AppError> {
        self.errors.add("current", message);
        form::respond(status, &self)
    }
}

#[derive(Deserialize)]
struct ChangedQuery {
    #[serde(default)]
    changed: Option<String>,
}

/// `GET /account/password`: the signed-in user's form to change their password.
async fn password_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    session: Session,
    Query(q): Query<ChangedQuery>,
) -> Result<Response, AppError> {
    let page = PasswordPage {
        layout: Layout::new(&state, &session, Some(&user)).await?,
        changed: q.changed.is_some(),
        ..PasswordPage::default()
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

/// What changing a password found wrong, or the new hash.
enum Change {
    WrongCurrent,
    Hashed(String),
}

/// The hash of the new password once the current one is right, or why it is refused (with
/// the status): changes wait after repeated wrong current passwords, as sign-in does.
async fn new_hash(
    state: &AppState,
    user: &User,
    form: &PasswordForm,
) -> Result<Result<String, (StatusCode, String)>, AppError> {
    let key = user.app_user_id.to_string();
    let mut conn = state.db.acquire().await?;
    if let Err(wait) = users::reserve_delayed(&mut conn, Scope::Change, &key, NAME_DELAY).await? {
        let message = t1("account-paused", "seconds", wait);
        return Ok(Err((StatusCode::TOO_MANY_REQUESTS, message)));
    }
    let hash = users::credentials(&mut conn, &user.username)
        .await?
        .map(|(_, hash)| hash)
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let (current, new) = (form.current.clone(), form.new.clone());
    let outcome = budget::run(move |memory| {
        if !account::verify_password_in(&current, &hash, memory) {
            return Ok(Change::WrongCurrent);
        }
        account::hash_password_in(&new, memory).map(Change::Hashed)
    })
    .await;
    match outcome {
        Ok(change) => match change? {
            Change::Hashed(hash) => Ok(Ok(hash)),
            Change::WrongCurrent => Ok(Err((
                StatusCode::UNPROCESSABLE_ENTITY,
                t("account-wrong-current"),
            ))),
        },
        Err(budget::Busy) => {
            let mut conn = state.db.acquire().await?;
            users::refund(&mut conn, Scope::Change, &key).await?;
            Ok(Err((StatusCode::TOO_MANY_REQUESTS, t("login-busy"))))
        }
    }
}

/// `POST /account/password`: checks the current password, sets the new one and ends every
/// other session of the account; this one goes on under a new id.
async fn change_password(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    session: Session,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    let mut page = PasswordPage {
        layout: Layout::new(&state, &session, Some(&user)).await?,
        ..PasswordPage::default()
    };
    if page.refuse(&form, &user) {
        return form::refused(&page);
    }
    let hash = match new_hash(&state, &user, &form).await? {
        Ok(hash) => hash,
        Err((status, message)) => return page.refused(status, message),
    };
    let mut tx = state.db.begin().await?;
    users::set_password(&mut tx, &user.username, &hash).await?;
    let ended = crate::store::sessions::delete_for_user(&mut tx, user.app_user_id).await?;
    users::clear(&mut tx, Scope::Change, &user.app_user_id.to_string()).await?;
    tx.commit().await?;
    // This session was among those deleted; it goes on under a new id, with a new CSRF token.
    session.cycle_id().await.map_err(session_error)?;
    session
        .remove::<String>(CSRF_KEY)
        .await
        .map_err(session_error)?;
    tracing::info!(user = %user.username, sessions = ended, "password changed");
    Ok(Redirect::to("/account/password?changed=1").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_counted_by_address_and_ipv6_by_its_64() {
        assert_eq!(address_key("203.0.113.7".parse().unwrap()), "203.0.113.7");
        assert_eq!(
            address_key("::ffff:203.0.113.7".parse().unwrap()),
            "203.0.113.7"
        );
        assert_eq!(
            address_key("2001:db8:1:2:aaaa::1".parse().unwrap()),
            address_key("2001:db8:1:2:bbbb::2".parse().unwrap())
        );
        assert_ne!(
            address_key("2001:db8:1:2::1".parse().unwrap()),
            address_key("2001:db8:1:3::1".parse().unwrap())
        );
    }
}
