//! Operations: health check, Prometheus metrics, the stylesheet, and the 404 fallback.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::routes::{self as route, Level, Route};
use crate::{AppError, AppState, Ctx};

const STYLE: &str = include_str!("../../static/style.css");

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/healthz", Level::Public, healthz),
        route::get("/metrics", Level::Admin, metrics),
        route::get("/static/style.css", Level::Public, style),
    ]
}

async fn healthz(State(s): State<AppState>) -> Response {
    if s.db.ping().await {
        (StatusCode::OK, "ok\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
    }
}

/// Prometheus text. Per-route counts say when people sign in and answer polls, so it answers a
/// client on this machine that came directly (no forwarding header), or an instance admin's
/// personal API token (`Authorization: Bearer tjd_…`); anyone else gets 401/403.
async fn metrics(State(s): State<AppState>, c: Ctx) -> Result<Response, AppError> {
    if !(c.local || c.is_admin()) {
        // The API's JSON error, not the sign-in redirect pages get: the client is a scraper.
        let (status, id) = if c.signed_in() {
            (StatusCode::FORBIDDEN, "error-forbidden")
        } else {
            (StatusCode::UNAUTHORIZED, "error-unauthorized")
        };
        return Ok((
            status,
            [
                (header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")),
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
            ],
            serde_json::json!({ "error": id, "message": c.t(id) }).to_string(),
        )
            .into_response());
    }
    let backlog = tejido_db::outbox::backlog(&s.db).await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4"),
        )],
        s.metrics.render(backlog),
    )
        .into_response())
}

async fn style() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=604800"),
            ),
        ],
        STYLE,
    )
        .into_response()
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
