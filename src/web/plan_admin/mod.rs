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
//! [`typed`] (reading a form back into the typed definitions), [`forms`] (the forms opened),
//! [`save`] (a form saved) and [`upload`] (a seed file uploaded, previewed and confirmed). What
//! they share (which record a form edits, its version token) is in [`common`].

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use super::AppState;

mod common;
mod fields;
mod forms;
mod pages;
mod save;
mod typed;
mod upload;

pub use upload::SEED_UPLOAD_LIMIT;

// `fields` and `typed` still name these as their parent's: the names lead to `common`, visible
// to the children only.
pub(in crate::web::plan_admin) use common::{LINE_MAX, Part, TEXT_MAX};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/plans", get(pages::plan_list))
        .route(
            "/admin/plans/new",
            get(forms::new_plan_form).post(save::new_plan_save),
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
            get(forms::plan_form).post(save::plan_save),
        )
        .route(
            "/admin/plans/{plan}/{entity}/new",
            get(forms::new_part_form).post(save::new_part_save),
        )
        .route(
            "/admin/plans/{plan}/{entity}/{key}",
            get(forms::part_form).post(save::part_save),
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
