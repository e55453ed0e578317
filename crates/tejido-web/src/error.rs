//! One error type for the web layer. Every variant has a stable code that is also the Fluent id
//! of its message; the response is an HTML page or, under `/api/`, a JSON object
//! `{"error": code, "message": …}`. Internal causes are logged, never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("CSRF check failed")]
    Csrf,
    #[error("too many attempts")]
    TooManyRequests,
    /// The database could not take the write in time (the writer is taken and the queue is
    /// long, or no connection came free): a fast 503 with `Retry-After`, nothing changed.
    #[error("busy")]
    Unavailable,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("validation failed")]
    Validation(tejido_core::FieldErrors),
    #[error("internal: {0}")]
    Internal(#[from] anyhow::Error),
}

impl From<tejido_db::DbError> for AppError {
    fn from(e: tejido_db::DbError) -> Self {
        if e.is_busy() {
            AppError::Unavailable
        } else {
            AppError::Internal(e.into())
        }
    }
}

/// True when an internal error is, at its root, the database saying "busy": such errors reach
/// the handlers through `anyhow` as often as directly.
fn is_busy(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<tejido_db::DbError>()
            .is_some_and(tejido_db::DbError::is_busy)
    })
}

/// Seconds a client is asked to wait before trying again after a 503 for a busy database.
pub const BUSY_RETRY_AFTER_SECS: u64 = 2;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    /// Stable code, also the Fluent message id.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "error-not-found",
            AppError::Unauthorized => "error-unauthorized",
            AppError::Forbidden => "error-forbidden",
            AppError::Csrf => "error-csrf",
            AppError::TooManyRequests => "error-too-many",
            AppError::Unavailable => "error-busy",
            AppError::BadRequest(_) => "error-bad-request",
            AppError::Validation(_) => "error-validation",
            AppError::Internal(_) => "error-internal",
        }
    }
}

/// The error travels to the context middleware in the response extensions, which renders it in
/// the requester's language and form (HTML or JSON).
#[derive(Clone, Debug)]
pub struct RenderError {
    pub status: StatusCode,
    pub code: &'static str,
    pub fields: Option<tejido_core::FieldErrors>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let this = match self {
            AppError::Internal(e) if is_busy(&e) => AppError::Unavailable,
            other => other,
        };
        if let AppError::Internal(e) = &this {
            tracing::error!(error = %e, "internal error");
        }
        let fields = match &this {
            AppError::Validation(f) => Some(f.clone()),
            _ => None,
        };
        let mut r = this.status().into_response();
        r.extensions_mut().insert(RenderError {
            status: this.status(),
            code: this.code(),
            fields,
        });
        r
    }
}

pub type AppResult<T> = Result<T, AppError>;
