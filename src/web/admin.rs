//! User administration for admins: list, add, disable and enable accounts.

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
}

pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub disabled: bool,
    pub created: String,
}

#[derive(Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: String,
    /// The messages at `new-username`, `new-role` and `new-password`.
    pub errors: FieldErrors,
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
) -> Result<UsersPage, AppError> {
    let mut conn = state.db.acquire().await?;
    let users = users::list(&mut conn)
        .await?
        .into_iter()
        .map(|u| UserRow {
            username: u.username,
            display_name: u.display_name,
            role: u.role.as_str(),
            disabled: u.disabled,
            created: crate::i18n::local_date(&u.created_at).to_string(),
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
    form::ok(&page(&state, &session, &user, NewUser::default()).await?)
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
    if let Err(e) = account::check_password(&form.password, username.as_deref().unwrap_or("")) {
        new.errors.add("new-password", e.to_string());
    }
    let display_name = form
        .display_name
        .trim()
        .chars()
        .take(100)
        .collect::<String>();
    if let (Some(username), Some(role), None) = (&username, role, new.errors.get("new-password")) {
        let password = form.password.clone();
        let hash =
            super::auth::budget::run(move |memory| account::hash_password_in(&password, memory))
                .await
                .map_err(|_| AppError::Rejected {
                    status: StatusCode::TOO_MANY_REQUESTS,
                    message: crate::i18n::t("login-busy"),
                })??;
        let mut conn = state.db.acquire().await?;
        if users::create(&mut conn, username, &display_name, role, &hash)
            .await?
            .is_some()
        {
            tracing::info!(by = %user.username, user = %username, role = %role, "user added");
            return Ok(Redirect::to("/admin/users").into_response());
        }
        new.errors
            .add("new-username", crate::i18n::t("users-taken"));
    }
    form::refused(&page(&state, &session, &user, new).await?)
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
