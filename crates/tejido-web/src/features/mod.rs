//! One module per capability, each exposing `router()` (pages) and, where it has an API,
//! `api_router()` and `openapi_paths()`. This is the only place where features are merged.

pub mod accounts;
pub mod admin;
pub mod agenda;
pub mod charter;
pub mod communities;
pub mod directory;
pub mod discussions;
pub mod events;
pub mod funding;
pub mod governance;
pub mod home;
pub mod library;
pub mod minutes;
pub mod network;
pub mod onboarding;
pub mod ops;
pub mod outcomes;
pub mod polls;
pub mod projects;
pub mod reports;
pub mod rotation;
pub mod search;
pub mod support;
pub mod sustainability;

use axum::Router;

use crate::AppState;

/// Every feature's pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(ops::router())
        .merge(home::router())
        .merge(accounts::router())
        .merge(directory::router())
        .merge(communities::router())
        .merge(admin::router())
        .merge(governance::router())
        .merge(charter::router())
        .merge(rotation::router())
        .merge(events::router())
        .merge(agenda::router())
        .merge(minutes::router())
        .merge(polls::router())
        .merge(network::router())
        .merge(library::router())
        .merge(search::router())
        .merge(discussions::router())
        .merge(support::router())
        .merge(onboarding::router())
        .merge(outcomes::router())
        .merge(projects::router())
        .merge(sustainability::router())
        .merge(funding::router())
        .merge(reports::router())
}

/// Every feature's JSON API, nested under `/api/v1`.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(crate::openapi::router())
        .merge(directory::api_router())
        .merge(communities::api_router())
        .merge(governance::api_router())
        .merge(charter::api_router())
        .merge(rotation::api_router())
        .merge(events::api_router())
        .merge(agenda::api_router())
        .merge(minutes::api_router())
        .merge(polls::api_router())
        .merge(network::api_router())
        .merge(library::api_router())
        .merge(search::api_router())
        .merge(discussions::api_router())
        .merge(support::api_router())
        .merge(onboarding::api_router())
        .merge(outcomes::api_router())
        .merge(projects::api_router())
        .merge(sustainability::api_router())
        .merge(funding::api_router())
        .merge(reports::api_router())
}

/// Every feature's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let mut paths = serde_json::Map::new();
    for extra in [
        governance::openapi_paths(),
        charter::openapi_paths(),
        rotation::openapi_paths(),
        events::openapi_paths(),
        agenda::openapi_paths(),
        minutes::openapi_paths(),
        polls::openapi_paths(),
        network::openapi_paths(),
        library::openapi_paths(),
        search::openapi_paths(),
        discussions::openapi_paths(),
        support::openapi_paths(),
        onboarding::openapi_paths(),
        outcomes::openapi_paths(),
        projects::openapi_paths(),
        sustainability::openapi_paths(),
        funding::openapi_paths(),
        reports::openapi_paths(),
    ] {
        paths.extend(extra);
    }
    paths
}
