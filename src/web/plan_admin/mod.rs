//! Plan administration for admins: create a plan, edit its headings, indicators (with their
//! national averages) and programmes in the browser, and load or download a whole plan as a
//! seed file with a preview.
//!
//! Every edit changes the plan's seed file as read from the database and loads it again with
//! the seed loader, so the browser, `plantrack seed` and the uploaded files share one set of
//! rules ([`SeedFile::check`]) and one way of recording changes. A refused form comes back
//! with 422, every typed value and a message at each field; a form whose record someone else
//! changed meanwhile comes back with 409, the typed values kept beside the stored ones.

//!
//! The module is split by what it does: [`pages`] (the list of plans, a plan's definition page,
//! the seed file download), [`fields`] (what each form shows, from the typed definitions),
//! [`typed`] (reading a form back into the typed definitions), [`forms`] (the form handlers and
//! the save) and [`upload`] (a seed file uploaded, previewed and confirmed).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::auth::SignedIn;
use super::{AppError, AppState};
use crate::domain::plan::Role;
use crate::domain::seed::Scope;
use crate::store::definitions::{self, Record};
use crate::store::plans::{self, Plan};
use crate::store::users::User;

mod fields;
mod forms;
mod pages;
mod typed;
mod upload;

pub use upload::SEED_UPLOAD_LIMIT;

/// Longest single-line text of a definition.
const LINE_MAX: usize = 500;
/// Longest multi-line text of a definition.
const TEXT_MAX: usize = 5000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/plans", get(pages::plan_list))
        .route(
            "/admin/plans/new",
            get(forms::new_plan_form).post(forms::new_plan_save),
        )
        .route("/admin/plans/uploads/{id}", get(upload::upload_preview))
        .route(
            "/admin/plans/uploads/{id}/confirm",
            post(upload::upload_confirm),
        )
        .route(
            "/admin/plans/uploads/{id}/cancel",
            post(upload::upload_cancel),
        )
        .route("/admin/plans/{plan}", get(pages::plan_page))
        .route(
            "/admin/plans/{plan}/edit",
            get(forms::plan_form).post(forms::plan_save),
        )
        .route(
            "/admin/plans/{plan}/{entity}/new",
            get(forms::new_part_form).post(forms::new_part_save),
        )
        .route(
            "/admin/plans/{plan}/{entity}/{key}",
            get(forms::part_form).post(forms::part_save),
        )
}

/// A plan's seed file, public (kept by the page cache for readers without a session).
pub fn public_router() -> Router<AppState> {
    Router::new().route("/plans/{plan}/seed.toml", get(pages::seed_download))
}

/// The seed upload, which takes bodies larger than a form's.
pub fn upload_router() -> Router<AppState> {
    Router::new()
        .route("/admin/plans/upload", post(upload::upload))
        .layer(DefaultBodyLimit::max(SEED_UPLOAD_LIMIT + (64 << 10)))
}

fn admin(signed: &SignedIn) -> Result<&User, AppError> {
    signed.require(|r| r == Role::Admin)
}

async fn plan_by_slug(state: &AppState, slug: &str) -> Result<Plan, AppError> {
    let mut conn = state.db.acquire().await?;
    plans::by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// Which record a form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Plan,
    Group,
    Indicator,
    Programme,
}

impl Part {
    #[cfg(test)]
    const ALL: [Part; 4] = [Part::Plan, Part::Group, Part::Indicator, Part::Programme];

    fn from_path(s: &str) -> Option<Part> {
        match s {
            "groups" => Some(Part::Group),
            "indicators" => Some(Part::Indicator),
            "programmes" => Some(Part::Programme),
            _ => None,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Part::Plan => "edit",
            Part::Group => "groups",
            Part::Indicator => "indicators",
            Part::Programme => "programmes",
        }
    }

    /// The field holding the record's identifier.
    fn key_field(self) -> &'static str {
        match self {
            Part::Plan | Part::Programme => "slug",
            Part::Group | Part::Indicator => "code",
        }
    }

    fn scope(self, key: &str) -> Scope {
        match self {
            Part::Plan => Scope::Plan,
            Part::Group => Scope::Group(key.to_owned()),
            Part::Indicator => Scope::Indicator(key.to_owned()),
            Part::Programme => Scope::Programme(key.to_owned()),
        }
    }

    /// The stored record this part names, for its version.
    fn record(self, key: &str) -> Record<'_> {
        match self {
            Part::Plan => Record::Plan,
            Part::Group => Record::Group(key),
            Part::Indicator => Record::Indicator(key),
            Part::Programme => Record::Programme(key),
        }
    }
}

/// The version token a form carries: the stored record's version, or `new` for a record not
/// created yet.
fn token_of(version: Option<i32>) -> String {
    match version {
        Some(v) => format!("v{v}"),
        None => "new".to_owned(),
    }
}

/// The stored version of a form's record, when the record exists.
async fn version_of(
    conn: &mut sqlx::PgConnection,
    plan: Option<&Plan>,
    part: Part,
    key: Option<&str>,
) -> Result<Option<i32>, AppError> {
    let (Some(plan), Some(key)) = (plan, key) else {
        return Ok(None);
    };
    Ok(definitions::version(conn, plan.plan_id, part.record(key)).await?)
}

/// Characters a record's identifier keeps in a query string; every other byte is encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

fn urlencode(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_token_names_the_version_or_a_new_record() {
        assert_eq!(token_of(Some(3)), "v3");
        assert_ne!(token_of(Some(3)), token_of(Some(4)));
        assert_eq!(token_of(None), "new");
    }

    #[test]
    fn identifiers_are_encoded_for_a_query_string() {
        assert_eq!(urlencode("rd-intensity_2.0"), "rd-intensity_2.0");
        assert_eq!(urlencode("a b&c/研"), "a%20b%26c%2F%E7%A0%94");
    }
}
