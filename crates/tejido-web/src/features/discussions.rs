//! Discussions: pages under `/c/{slug}/…` and JSON under `/api/v1/communities/{slug}/…`.

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}

/// Routes nested under `/api/v1`.
pub fn api_router() -> Router<AppState> {
    Router::new()
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    serde_json::Map::new()
}
