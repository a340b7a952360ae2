//! What every page's frame needs: who is signed in (for the navigation) and the CSRF token
//! for the forms it shows, such as "Sign out".

use tower_sessions::Session;

use super::auth::csrf_token;
use super::{AppError, AppState};
use crate::domain::plan::Role;
use crate::store::users::User;

pub struct UserNav {
    pub username: String,
    pub name: String,
    pub role: &'static str,
    pub enters_figures: bool,
    pub reviews: bool,
    pub admin: bool,
}

#[derive(Default)]
pub struct Layout {
    pub user: Option<UserNav>,
    pub csrf: String,
    /// The plan the page is about, for the navigation's links.
    pub plan: Option<String>,
}

impl Layout {
    /// For pages with forms: always carries a CSRF token (creating the session if needed).
    pub async fn new(
        _state: &AppState,
        session: &Session,
        user: Option<&User>,
    ) -> Result<Layout, AppError> {
        Ok(Layout {
            user: user.map(nav),
            csrf: csrf_token(session).await?,
            ..Layout::default()
        })
    }

    /// For pages anyone may read: a visitor gets no session and no cookie.
    pub async fn visitor(session: &Session, user: Option<&User>) -> Result<Layout, AppError> {
        match user {
            Some(user) => Ok(Layout {
                user: Some(nav(user)),
                csrf: csrf_token(session).await?,
                ..Layout::default()
            }),
            None => Ok(Layout::default()),
        }
    }

    pub fn with_plan(mut self, slug: &str) -> Layout {
        self.plan = Some(slug.to_owned());
        self
    }
}

fn nav(user: &User) -> UserNav {
    UserNav {
        username: user.username.clone(),
        name: user.shown_name().to_owned(),
        role: user.role.as_str(),
        enters_figures: user.role.enters_figures(),
        reviews: user.role.reviews(),
        admin: user.role == Role::Admin,
    }
}

/// Whoever reads a page: a visitor or a signed-in user, with the frame the page needs.
pub struct Reader {
    pub user: Option<User>,
    pub layout: Layout,
}

impl Reader {
    /// Signed-in users see drafts, marked as such; everyone else sees published figures only.
    pub fn visibility(&self) -> crate::store::plans::Visibility {
        if self.user.is_some() {
            crate::store::plans::Visibility::WithDrafts
        } else {
            crate::store::plans::Visibility::Published
        }
    }
}

impl<S> axum::extract::FromRequestParts<S> for Reader
where
    S: Send + Sync,
    AppState: axum::extract::FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        let super::auth::MaybeUser(user) =
            super::auth::MaybeUser::from_request_parts(parts, state).await?;
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, m)| anyhow::anyhow!(m))?;
        let layout = Layout::visitor(&session, user.as_ref()).await?;
        Ok(Reader { user, layout })
    }
}
