//! The site: one router per area, merged here, sharing one state.

pub mod admin;
pub mod api;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod cache;
pub mod chart;
pub mod data;
pub mod entry;
pub mod error;
pub mod extract;
pub mod form;
pub mod format;
pub mod frame;
pub mod items;
pub mod language;
pub mod layout;
pub mod link;
pub mod plan_admin;
pub mod public;
pub mod reader;
pub mod reports;
pub mod resubmit;
pub mod review;
pub mod search;
pub mod server;
pub mod session;
pub mod timeout;
pub mod verdicts;
pub mod views;

use crate::store::sessions::PgSessionStore;
use axum::Router;
use axum::extract::MatchedPath;
use axum::http::{HeaderValue, Request, header};
use sqlx::PgPool;
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::config::Config;

pub use error::AppError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    /// Rendered public pages; empty and unused until a listener hears changes.
    pub cache: Arc<cache::PageCache>,
    /// The mail queue, when a mail server is configured ([`crate::mail`]).
    pub mail: Option<crate::mail::Mailer>,
}

impl AppState {
    pub fn new(db: PgPool, config: Config) -> AppState {
        AppState {
            db,
            config: Arc::new(config),
            cache: cache::PageCache::new(),
            mail: None,
        }
    }

    /// The same state, mailing through `mailer`.
    pub fn with_mailer(self, mailer: crate::mail::Mailer) -> AppState {
        AppState {
            mail: Some(mailer),
            ..self
        }
    }

    /// The report of `plan` for `visibility` as of `as_of` (this year when `None`), kept in
    /// memory between changes of the plan (see [`cache::PageCache::report`]).
    pub async fn report(
        &self,
        plan: crate::store::plans::Plan,
        visibility: crate::store::plans::Visibility,
        as_of: Option<i32>,
    ) -> sqlx::Result<Arc<crate::report::PlanReport>> {
        self.cache.report(&self.db, plan, visibility, as_of).await
    }

    /// Whether notices are mailed (else there is no need to gather what they say).
    pub fn mails(&self) -> bool {
        self.mail.is_some()
    }

    /// Queues a notice for mailing, when mail is configured; never waits.
    pub fn notify(&self, notice: crate::mail::Notice) {
        if let Some(mailer) = &self.mail {
            mailer.notify(notice);
        }
    }
}

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "plantrack_session";

/// No script at all, styles and images from this site only, never framed, forms post here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     script-src 'none'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The largest request body accepted (forms); larger ones get 413. Uploads of spreadsheets
/// have a limit of their own ([`data::UPLOAD_LIMIT`]).
pub const BODY_LIMIT: usize = 1 << 20;

/// Sessions end after this long without a request.
pub const SESSION_IDLE_HOURS: i64 = 8;

/// The session cookie: HttpOnly, SameSite=Lax, Secure when the site is served over https.
pub fn session_layer(state: &AppState) -> SessionManagerLayer<PgSessionStore> {
    SessionManagerLayer::new(PgSessionStore::new(state.db.clone()).kept_in(state.cache.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(Duration::hours(SESSION_IDLE_HOURS)))
}

/// The whole site as a router, without a socket, so tests can call it directly.
pub fn app(state: AppState) -> Router {
    let sessions = session_layer(&state);
    let cache = state.cache.clone();
    let page_cache = axum::middleware::from_fn_with_state(state.cache.clone(), cache::middleware);
    // Every route but the upload takes bodies up to 1 MiB; the upload takes files up to
    // 10 MiB, with a limit of its own so that only it accepts more.
    let limits = state.config.limits;
    let time_zone = state.config.time_zone;
    // Pages anyone may read: readers without a session get them from the page cache.
    let public = Router::new()
        .merge(public::router())
        .merge(data::public_router())
        .merge(assessment::public_router())
        .merge(reports::public_router())
        .merge(plan_admin::public_router())
        .merge(api::docs::router())
        .nest("/api/v1", api::router())
        .route_layer(page_cache);
    let limited = Router::new()
        .merge(public)
        .merge(public::health_router())
        .merge(search::router())
        .merge(auth::router())
        .merge(entry::router())
        .merge(review::router())
        .merge(items::router())
        .merge(assessment::router())
        .merge(reports::router())
        .merge(verdicts::router())
        .merge(audit::router())
        .merge(admin::router())
        .merge(plan_admin::router())
        .merge(language::router())
        .merge(data::router())
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT));
    let https = state.config.secure_cookies();
    let site = Router::new()
        .merge(limited)
        .merge(data::upload_router())
        .merge(plan_admin::upload_router())
        .fallback(error::not_found)
        .with_state(state)
        .layer(axum::middleware::from_fn(private_when_signed_in))
        .layer(axum::middleware::from_fn_with_state(
            cache.clone(),
            cache::forget_kept_after_changes,
        ))
        .layer(sessions)
        // A session that cannot be saved during an outage gives the styled 503, not a bare 500.
        .layer(axum::middleware::from_fn(error::session_outage))
        .layer(axum::middleware::from_fn(resubmit::middleware))
        // Outside everything that reads a body or the database, inside the language (its
        // refusals are pages in the reader's language).
        .layer(axum::middleware::from_fn_with_state(
            timeout::Budget::from(limits),
            timeout::middleware,
        ))
        .layer(axum::middleware::from_fn(language::middleware))
        .layer(axum::middleware::from_fn_with_state(
            time_zone,
            format::time_zone,
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let path = req
                    .extensions()
                    .get::<MatchedPath>()
                    .map_or(req.uri().path(), MatchedPath::as_str);
                tracing::info_span!("request", method = %req.method(), path)
            }),
        )
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ));
    let site = if https {
        // Served over https: browsers are told to use nothing else for a year.
        site.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ))
    } else {
        site
    };
    // Kept public pages are answered before routing and before any of the layers above.
    Router::new().fallback_service(cache::FastPath::new(cache, site))
}

/// Sent on every response when the public address is https (never over plain http, where a
/// browser ignores it and a mistyped setting would lock readers out).
pub const HSTS: &str = "max-age=31536000";

/// What a signed-in reader is shown (drafts, notes, forms, the audit trail) is never stored
/// by a browser or a shared cache. Public pages for anonymous readers keep their own headers.
async fn private_when_signed_in(
    session: tower_sessions::Session,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let had_session = cache::has_session(request.headers());
    let mut response = next.run(request).await;
    // A session that cannot be read (the database is down) counts as signed in: better
    // not stored than shown to the next user of the same computer.
    let signed_in = match session::signed_in_id(&session).await {
        Ok(id) => id.is_some(),
        Err(_) => had_session,
    };
    if signed_in {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

/// Serves `app` on `listener` until SIGINT or SIGTERM, letting requests in flight finish
/// within the configured grace period ([`crate::config::Limits`]).
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let limits = state.config.limits;
    server::serve_with_shutdown(listener, app(state), limits, shutdown_signal()).await
}

/// Resolves on the first SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
