//! One module per capability, each exposing `routes()` (pages) and, where it has an API,
//! `api_routes()` and `openapi_paths()`. This is the only place where features are merged.

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

use crate::routes::{tagged, Route, RouteInfo};

/// Every feature's pages, each tagged with its capability.
pub fn routes() -> Vec<Route> {
    [
        tagged("ops", ops::routes()),
        tagged("home", home::routes()),
        tagged("accounts", accounts::routes()),
        tagged("directory", directory::routes()),
        tagged("communities", communities::routes()),
        tagged("admin", admin::routes()),
        tagged("governance", governance::routes()),
        tagged("charter", charter::routes()),
        tagged("rotation", rotation::routes()),
        tagged("events", events::routes()),
        tagged("agenda", agenda::routes()),
        tagged("minutes", minutes::routes()),
        tagged("polls", polls::routes()),
        tagged("network", network::routes()),
        tagged("library", library::routes()),
        tagged("search", search::routes()),
        tagged("discussions", discussions::routes()),
        tagged("support", support::routes()),
        tagged("onboarding", onboarding::routes()),
        tagged("outcomes", outcomes::routes()),
        tagged("projects", projects::routes()),
        tagged("sustainability", sustainability::routes()),
        tagged("funding", funding::routes()),
        tagged("reports", reports::routes()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Every feature's JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    [
        tagged("openapi", crate::openapi::routes()),
        tagged("directory", directory::api_routes()),
        tagged("communities", communities::api_routes()),
        tagged("governance", governance::api_routes()),
        tagged("charter", charter::api_routes()),
        tagged("rotation", rotation::api_routes()),
        tagged("events", events::api_routes()),
        tagged("agenda", agenda::api_routes()),
        tagged("minutes", minutes::api_routes()),
        tagged("polls", polls::api_routes()),
        tagged("network", network::api_routes()),
        tagged("library", library::api_routes()),
        tagged("search", search::api_routes()),
        tagged("discussions", discussions::api_routes()),
        tagged("support", support::api_routes()),
        tagged("onboarding", onboarding::api_routes()),
        tagged("outcomes", outcomes::api_routes()),
        tagged("projects", projects::api_routes()),
        tagged("sustainability", sustainability::api_routes()),
        tagged("funding", funding::api_routes()),
        tagged("reports", reports::api_routes()),
    ]
    .into_iter()
    .flatten()
    .collect()
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

/// Every route the application serves, pages and API (under `/api/v1`), as data: what
/// `tejido routes` lists and the security tests read.
pub fn table() -> Vec<RouteInfo> {
    let pages = routes().into_iter().map(|r| r.info(""));
    let api = api_routes().into_iter().map(|r| r.info("/api/v1"));
    pages.chain(api).collect()
}
