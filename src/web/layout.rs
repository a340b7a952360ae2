//! What every page's frame needs: who is signed in (for the navigation) and the CSRF token
//! for the forms it shows, such as "Sign out".

use tower_sessions::Session;

use std::fmt::Display;

use super::auth::csrf_token;
use super::{AppError, AppState};
use crate::domain::plan::Role;
use crate::i18n::{self, Lang};
use crate::store::users::User;

pub struct UserNav {
    pub username: String,
    pub name: String,
    pub role: &'static str,
    /// The role's name in the catalogue.
    pub role_message: &'static str,
    pub enters_figures: bool,
    pub reviews: bool,
    pub admin: bool,
}

pub struct Layout {
    pub user: Option<UserNav>,
    pub csrf: String,
    /// The plan the page is about, for the navigation's links.
    pub plan: Option<String>,
    /// The reader's language: all interface text, and which of a pair of names comes first.
    pub lang: Lang,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            user: None,
            csrf: String::new(),
            plan: None,
            lang: Lang::current(),
        }
    }
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

    /// Interface text in the reader's language.
    pub fn t(&self, id: impl Display) -> String {
        i18n::t(&id.to_string())
    }

    /// Interface text with one argument.
    pub fn t1(&self, id: impl Display, name: &str, value: impl Display) -> String {
        i18n::t1(&id.to_string(), name, value)
    }

    /// Interface text with two arguments.
    pub fn t2(
        &self,
        id: impl Display,
        a: &str,
        va: impl Display,
        b: &str,
        vb: impl Display,
    ) -> String {
        i18n::t2(&id.to_string(), a, va, b, vb)
    }

    /// Of a pair of texts from the data, the one in the reader's language.
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// Of a pair of texts from the data, the one in the other language (shown second, marked
    /// with its `lang`), or nothing when the reader's language has no text of its own.
    pub fn other<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        let (mine, theirs) = match self.lang {
            Lang::Zh => (zh, en),
            Lang::En => (en, zh),
        };
        if mine.is_empty() { "" } else { theirs }
    }

    /// The other language, for the switch.
    pub fn other_lang(&self) -> Lang {
        match self.lang {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    /// The switch's link to the other language, back to this page.
    pub fn switch_href(&self) -> String {
        super::language::switch_href(self.other_lang())
    }

    /// A date in the reader's language.
    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        self.lang.date(*d)
    }
}

fn nav(user: &User) -> UserNav {
    UserNav {
        username: user.username.clone(),
        name: user.shown_name().to_owned(),
        role: user.role.as_str(),
        role_message: match user.role {
            Role::Official => "role-official",
            Role::Analyst => "role-analyst",
            Role::Admin => "role-admin",
        },
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
