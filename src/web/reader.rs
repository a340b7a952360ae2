//! Whoever reads a page, from the session: the page's frame ([`Layout`]) for a signed-in user
//! or a visitor, and [`Reader`], the extractor of pages anyone may read.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use tower_sessions::Session;

use super::layout::{Layout, UserNav};
use super::session::{MaybeUser, csrf_token};
use super::{AppError, AppState};
use crate::store::plans::Visibility;
use crate::store::users::User;

impl Layout {
    /// For pages with forms: always carries a CSRF token (creating the session if needed).
    pub async fn new(
        state: &AppState,
        session: &Session,
        user: Option<&User>,
    ) -> Result<Layout, AppError> {
        Ok(Layout {
            user: match user {
                Some(user) => Some(nav(state, user).await?),
                None => None,
            },
            csrf: csrf_token(session).await?,
            ..Layout::default()
        })
    }

    /// For pages anyone may read: a visitor gets no session and no cookie.
    pub async fn visitor(
        state: &AppState,
        session: &Session,
        user: Option<&User>,
    ) -> Result<Layout, AppError> {
        match user {
            Some(_) => Layout::new(state, session, user).await,
            None => Ok(Layout::default()),
        }
    }
}

/// The navigation of a signed-in person, with what waits for them (one query).
async fn nav(state: &AppState, user: &User) -> Result<UserNav, AppError> {
    let work = state.cache.work_for(&state.db, user.app_user_id).await?;
    Ok(UserNav {
        username: user.username.clone(),
        name: user.shown_name().to_owned(),
        work: work.to_vec(),
        ..UserNav::of_role(user.role)
    })
}

/// Whoever reads a page: a visitor or a signed-in user, with the frame the page needs.
pub struct Reader {
    pub user: Option<User>,
    pub layout: Layout,
    /// The address read, with its query (what a kept page is kept by, see `frame.rs`).
    pub page: String,
}

impl Reader {
    /// Signed-in users see drafts, marked as such; everyone else sees published figures only.
    pub fn visibility(&self) -> Visibility {
        if self.user.is_some() {
            Visibility::WithDrafts
        } else {
            Visibility::Published
        }
    }
}

impl<S> FromRequestParts<S> for Reader
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let MaybeUser(user) = MaybeUser::from_request_parts(parts, state).await?;
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, m)| anyhow::anyhow!(m))?;
        let state = AppState::from_ref(state);
        let layout = Layout::visitor(&state, &session, user.as_ref()).await?;
        let page = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        Ok(Reader { user, layout, page })
    }
}
