//! Nothing typed is lost when the database is briefly down: a form posted while it is
//! unavailable comes back with every value in place, ready to submit again.

use askama::Template;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::layout::Layout;

/// A field as posted, shown again.
pub struct Field {
    pub name: String,
    pub value: String,
    /// Kept but not shown: the CSRF token and version tokens.
    pub hidden: bool,
}

#[derive(Template)]
#[template(path = "resubmit.html")]
struct ResubmitPage {
    layout: Layout,
    action: String,
    fields: Vec<Field>,
    dropped_password: bool,
}

/// Wraps form POSTs: when the answer is 503 (database unavailable), the reader gets the form
/// back with everything they typed instead of a bare error page.
pub async fn middleware(request: Request, next: Next) -> Response {
    let is_form = request.method() == Method::POST
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let action = parts.uri.path().to_owned();
    let bytes = match axum::body::to_bytes(body, super::BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return super::AppError::Rejected {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                message: crate::i18n::t("error-form-too-large"),
            }
            .into_response();
        }
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    if response.status() != StatusCode::SERVICE_UNAVAILABLE {
        return response;
    }
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes) else {
        return response;
    };
    let mut dropped_password = false;
    let fields = pairs
        .into_iter()
        .filter(|(name, _)| {
            // A password is never sent back in a page.
            let secret = name.contains("password");
            dropped_password |= secret;
            !secret
        })
        .map(|(name, value)| Field {
            hidden: name == "csrf"
                || name == "token"
                || name.starts_with("token.")
                || name == "version"
                || name == "next",
            name,
            value,
        })
        .collect();
    let page = ResubmitPage {
        layout: Layout::default(),
        action,
        fields,
        dropped_password,
    };
    match page.render() {
        Ok(html) => (StatusCode::SERVICE_UNAVAILABLE, Html(html)).into_response(),
        Err(_) => response,
    }
}
