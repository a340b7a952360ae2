//! User administration for admins: list, add, disable and enable accounts, and set the e-mail
//! address their mail goes to.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower_sessions::Session;

use super::extract::Path;
use super::form::{self, FieldErrors};
use super::layout::Layout;
use super::session::{Admin, CsrfForm, CsrfOnly};
use super::{AppError, AppState};
use crate::domain::account;
use crate::domain::plan::Role;
use crate::store::users::{self, User};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list).post(add))
        .route("/admin/users/{username}/disable", post(disable))
        .route("/admin/users/{username}/enable", post(enable))
        .route("/admin/users/{username}/email", post(set_email))
}

pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub disabled: bool,
    pub created: String,
    /// The address shown in the row's e-mail field (as typed, after a refusal).
    pub email: String,
    /// The message at the row's e-mail field.
    pub email_error: Option<String>,
}

#[derive(Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub email: String,
    /// The messages at `new-username`, `new-role`, `new-email` and `new-password`.
    pub errors: FieldErrors,
}

/// An address typed in a user's row and refused: shown there again with its message.
struct RefusedEmail {
    username: String,
    typed: String,
    message: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserRow>,
    new: NewUser,
    roles: Vec<&'static str>,
}

async fn page(
    state: &AppState,
    session: &Session,
    user: &User,
    new: NewUser,
    refused: Option<RefusedEmail>,
) -> Result<UsersPage, AppError> {
    let mut conn = state.db.acquire().await?;
    let users = users::list(&mut conn)
        .await?
        .into_iter()
        .map(|u| {
            let refused = refused.as_ref().filter(|r| r.username == u.username);
            UserRow {
                email: refused.map_or_else(|| u.email.unwrap_or_default(), |r| r.typed.clone()),
                email_error: refused.map(|r| r.message.clone()),
                username: u.username,
                display_name: u.display_name,
                role: u.role.as_str(),
                disabled: u.disabled,
                created: crate::i18n::local_date(&u.created_at).to_string(),
            }
        })
        .collect();
    Ok(UsersPage {
        layout: Layout::new(state, session, Some(user)).await?,
        users,
        new,
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
    })
}

async fn list(
    State(state): State<AppState>,
    Admin(user): Admin,
    session: Session,
) -> Result<Response, AppError> {
    form::ok(&page(&state, &session, &user, NewUser::default(), None).await?)
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    email: String,
}

async fn add(
    State(state): State<AppState>,
    Admin(user): Admin,
    session: Session,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<Response, AppError> {
    let mut new = NewUser {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        role: form.role.clone(),
        email: form.email.clone(),
        ..NewUser::default()
    };
    let username = account::username(&form.username)
        .map_err(|e| new.errors.add("new-username", e.to_string()))
        .ok();
    let role = form
        .role
        .parse::<Role>()
        .map_err(|_| {
            new.errors
                .add("new-role", crate::i18n::t("users-role-error"))
        })
        .ok();
    let email = account::email(&form.email)
        .map_err(|e| new.errors.add("new-email", e.to_string()))
        .ok();
    if let Err(e) = account::check_password(&form.password, username.as_deref().unwrap_or("")) {
        new.errors.add("new-password", e.to_string());
    }
    let display_name = form
        .display_name
        .trim()
        .chars()
        .take(100)
        .collect::<String>();
    if let (Some(username), Some(role), Some(email), None) =
        (&username, role, email, new.errors.get("new-password"))
    {
        let password = form.password.clone();
        let hash =
            super::auth::budget::run(move |memory| account::hash_password_in(&password, memory))
                .await
                .map_err(|_| AppError::Rejected {
                    status: StatusCode::TOO_MANY_REQUESTS,
                    message: crate::i18n::t("login-busy"),
                })??;
        let mut tx = state.db.begin().await?;
        if users::create(&mut tx, username, &display_name, role, &hash)
            .await?
            .is_some()
        {
            users::set_email(&mut tx, username, email.as_deref()).await?;
            tx.commit().await?;
            tracing::info!(by = %user.username, user = %username, role = %role, "user added");
            return Ok(Redirect::to("/admin/users").into_response());
        }
        new.errors
            .add("new-username", crate::i18n::t("users-taken"));
    }
    form::refused(&page(&state, &session, &user, new, None).await?)
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// Sets, changes or (left empty) removes the address a user's mail goes to; a malformed one
/// comes back at the row's field, as typed.
async fn set_email(
    State(state): State<AppState>,
    Admin(user): Admin,
    session: Session,
    Path(username): Path<String>,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Result<Response, AppError> {
    let email = match account::email(&form.email) {
        Ok(email) => email,
        Err(e) => {
            let refused = RefusedEmail {
                username,
                typed: form.email,
                message: e.to_string(),
            };
            let page = page(&state, &session, &user, NewUser::default(), Some(refused)).await?;
            return form::refused(&page);
        }
    };
    let mut conn = state.db.acquire().await?;
    if !users::set_email(&mut conn, &username, email.as_deref()).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(by = %user.username, user = %username, "e-mail address set");
    Ok(Redirect::to(&format!("/admin/users#user-{username}")).into_response())
}

async fn set_disabled(
    state: &AppState,
    user: &User,
    username: &str,
    disabled: bool,
) -> Result<Response, AppError> {
    if disabled && user.username == username {
        return Err(AppError::Rejected {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: crate::i18n::t("users-not-yourself"),
        });
    }
    let mut tx = state.db.begin().await?;
    let Some(id) = users::id_of(&mut tx, username).await? else {
        return Err(AppError::NotFound);
    };
    users::set_disabled(&mut tx, username, disabled).await?;
    if disabled {
        // Its sessions end now, so enabling the account later does not bring them back.
        let ended = crate::store::sessions::delete_for_user(&mut tx, id).await?;
        tracing::info!(by = %user.username, user = %username, sessions = ended, "user disabled");
    }
    tx.commit().await?;
    Ok(Redirect::to("/admin/users").into_response())
}

async fn disable(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(username): Path<String>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    set_disabled(&state, &user, &username, true).await
}

async fn enable(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(username): Path<String>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    set_disabled(&state, &user, &username, false).await
}
