//! Time budgets for each request: a body that stops arriving, and a request that takes too long
//! as a whole, are answered with the site's error page instead of holding a connection and a
//! task for as long as the client likes.
//!
//! Connection-level budgets (the header read timeout, the idle keep-alive timeout, the number
//! of connections, the shutdown grace period) are the server's, in [`super::server`].

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Body as HttpBody, Frame, SizeHint};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

use super::AppError;
use crate::config::Limits;
use crate::i18n::t1;

/// How the request body is doing, shared between the body and the middleware.
const RECEIVING: u8 = 0;
const RECEIVED: u8 = 1;
const STALLED: u8 = 2;

/// A request body that fails when nothing arrives for `idle`.
struct IdleBody {
    inner: Body,
    idle: Duration,
    sleep: Pin<Box<Sleep>>,
    state: Arc<AtomicU8>,
}

#[derive(Debug, thiserror::Error)]
#[error("nothing of the request body arrived for {0:?}")]
struct BodyStalled(Duration);

impl HttpBody for IdleBody {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::BoxError>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            match &frame {
                Some(Ok(_)) => {
                    let deadline = Instant::now() + this.idle;
                    this.sleep.as_mut().reset(deadline);
                }
                None => this.state.store(RECEIVED, Ordering::SeqCst),
                Some(Err(_)) => {}
            }
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        ready!(this.sleep.as_mut().poll(cx));
        this.state.store(STALLED, Ordering::SeqCst);
        Poll::Ready(Some(Err(Box::new(BodyStalled(this.idle)))))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// The budget of each request: the whole request, and the body's pauses.
#[derive(Clone, Copy)]
pub struct Budget {
    pub request: Duration,
    /// For a request carrying a file (`multipart/form-data`, which only the uploads accept;
    /// every other route refuses it before reading its body).
    pub upload_request: Duration,
    pub body_idle: Duration,
}

impl From<Limits> for Budget {
    fn from(limits: Limits) -> Budget {
        Budget {
            request: limits.request,
            upload_request: limits.upload_request,
            body_idle: limits.body_idle,
        }
    }
}

fn seconds(d: Duration) -> u64 {
    d.as_secs().max(1)
}

/// 408 when the client was too slow to send its request, with the connection closed.
fn too_slow_to_arrive(budget: Duration) -> Response {
    let mut response = AppError::Rejected {
        status: StatusCode::REQUEST_TIMEOUT,
        message: t1("error-request-too-slow", "seconds", seconds(budget)),
    }
    .into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Answers a request that exceeds its budget with the error page: 408 while its body was still
/// arriving (or stalled), 503 when the site itself was slow.
pub async fn middleware(State(budget): State<Budget>, request: Request, next: Next) -> Response {
    let carries_file = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = if carries_file {
        budget.upload_request
    } else {
        budget.request
    };
    let state = Arc::new(AtomicU8::new(RECEIVING));
    let (parts, body) = request.into_parts();
    let body = if body.is_end_stream() {
        state.store(RECEIVED, Ordering::SeqCst);
        body
    } else {
        Body::new(IdleBody {
            inner: body,
            idle: budget.body_idle,
            sleep: Box::pin(tokio::time::sleep(budget.body_idle)),
            state: state.clone(),
        })
    };
    let request = Request::from_parts(parts, body);
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) if state.load(Ordering::SeqCst) == STALLED => {
            tracing::info!(status = %response.status(), "a request body stalled");
            too_slow_to_arrive(budget.body_idle)
        }
        Ok(response) => response,
        Err(_) if state.load(Ordering::SeqCst) == RECEIVED => {
            tracing::warn!("a request took longer than {limit:?}");
            AppError::Rejected {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: t1("error-answer-too-slow", "seconds", seconds(limit)),
            }
            .into_response()
        }
        Err(_) => too_slow_to_arrive(limit),
    }
}
