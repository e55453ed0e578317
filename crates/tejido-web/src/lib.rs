//! Tejido's web layer. `router()` assembles one axum router from a module per capability
//! (`features/<capability>`), wrapped by the request context middleware ([`ctx`]) that resolves
//! the session, the locale and checks CSRF before any handler runs. Handlers are thin: parse,
//! authorize, call storage, render an askama template (or JSON under `/api/v1`).

pub mod access;
pub mod auth;
pub mod ctx;
pub mod error;
pub mod extract;
pub mod features;
pub mod i18n;
pub mod jobs;
pub mod mailer;
pub mod metrics;
pub mod net;
pub mod openapi;
pub mod ownership;
pub mod respond;
pub mod routes;
pub mod time;
pub mod uploads;
pub mod views;

use std::sync::Arc;

use axum::Router;
use tejido_db::Db;

pub use ctx::Ctx;
pub use error::AppError;

/// Settings the web layer needs, resolved by the binary from flags, environment and file.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Public URL, e.g. `https://tejido.example.org`, used in e-mailed links and the Origin check.
    pub base_url: String,
    /// Key for HMAC-derived values (anonymous CSRF tokens). Never logged.
    pub secret_key: Vec<u8>,
    /// `Secure` and `__Host-` cookies; on unless the base URL is plain http.
    pub secure_cookies: bool,
    /// Largest accepted request body, except multipart uploads.
    pub body_limit: usize,
    /// Where uploaded files are kept (`<data_dir>/uploads/ab/cdef…`).
    pub data_dir: std::path::PathBuf,
    /// Largest accepted uploaded file; a multipart request may carry a few of them.
    pub upload_max_bytes: usize,
    /// Proxies whose `X-Forwarded-For` is believed (`net::client_address`); none by default.
    pub trusted_proxies: Vec<net::IpNet>,
    /// Bytes of uploads a community may hold (its library resources, minutes and outcomes'
    /// evidence together); library resources outside any community share one more such quota.
    pub upload_quota_bytes: u64,
    /// Requests receiving files at the same time; the rest wait `upload_wait`, then get 503.
    pub upload_concurrency: usize,
    /// How long an upload waits for a free slot before it is answered 503.
    pub upload_wait: std::time::Duration,
    /// Requests handled at once; one more is answered 503 with `Retry-After` at once, before
    /// its session is read (`ctx::middleware`), so an overload is refused in milliseconds
    /// instead of queueing every request behind it. Health checks and static files are not
    /// counted.
    pub max_in_flight: usize,
}

impl WebConfig {
    pub fn new(base_url: &str, secret_key: Vec<u8>) -> Self {
        let base_url = base_url.trim_end_matches('/').to_owned();
        Self {
            secure_cookies: base_url.starts_with("https://"),
            base_url,
            secret_key,
            body_limit: 2 * 1024 * 1024,
            data_dir: std::path::PathBuf::from("./tejido-data"),
            upload_max_bytes: 20 * 1024 * 1024,
            trusted_proxies: Vec::new(),
            upload_quota_bytes: 2 * 1024 * 1024 * 1024,
            upload_concurrency: 4,
            upload_wait: std::time::Duration::from_secs(2),
            max_in_flight: 32,
        }
    }

    /// Largest multipart (upload) request: a few files of the largest size plus the form.
    pub fn upload_request_limit(&self) -> usize {
        self.upload_max_bytes
            .saturating_mul(4)
            .saturating_add(self.body_limit)
    }
}

/// Limits every request body: multipart uploads to [`WebConfig::upload_request_limit`], every
/// other body to [`WebConfig::body_limit`]. A body over the limit fails when read, so the
/// handler (or the CSRF check) answers with a localized error.
async fn limit_body(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = if multipart {
        state.config.upload_request_limit()
    } else {
        state.config.body_limit
    };
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

pub struct AppInner {
    pub db: Db,
    pub config: WebConfig,
    pub i18n: i18n::I18n,
    pub metrics: metrics::Metrics,
    /// One permit per request receiving files (`WebConfig::upload_concurrency`).
    pub upload_slots: Arc<tokio::sync::Semaphore>,
    /// Requests being handled now (`WebConfig::max_in_flight`).
    pub in_flight: std::sync::atomic::AtomicUsize,
}

#[derive(Clone)]
pub struct AppState(pub Arc<AppInner>);

impl std::ops::Deref for AppState {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Db, config: WebConfig) -> anyhow::Result<Self> {
        let slots = config.upload_concurrency.max(1);
        Ok(AppState(Arc::new(AppInner {
            upload_slots: Arc::new(tokio::sync::Semaphore::new(slots)),
            db,
            config,
            i18n: i18n::I18n::new()?,
            metrics: metrics::Metrics::default(),
            in_flight: std::sync::atomic::AtomicUsize::new(0),
        })))
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(routes::router(features::routes()))
        .nest("/api/v1", routes::router(features::api_routes()))
        .fallback(features::ops::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ctx::middleware,
        ))
        .layer(axum::middleware::map_response(
            uploads::keep_download_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::middleware,
        ))
        // Body limits are set per request by `limit_body` (uploads get more room).
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limit_body,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}
