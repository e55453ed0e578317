//! Charter (Step 3) and the decision log: pages under `/c/{slug}/charter…` and
//! `/c/{slug}/decisions…`, JSON under `/api/v1/communities/{slug}/…`.
//!
//! Who may do what: anyone who may see the community reads its adopted charter (that is what a
//! community makes public); members (any role but guest only) also read versions, comparisons
//! and the decision log; leaders, co-leaders, conveners and admins edit the draft, adopt it and
//! record decisions. Decisions are never edited: a correction is a new entry.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::charter::{diff, render_markdown, CharterForm, CharterInput, Section, Segment};
use tejido_core::decisions::{DecisionForm, DecisionInput, Method};
use tejido_core::page::{Page, PageReq};
use tejido_core::visibility::Record;
use tejido_core::FieldErrors;
use tejido_db::charter::{self as store, ChainEntry, Charter, Version, Which};
use tejido_db::communities::Community;
use tejido_db::decisions::{self as log, Decision};

use crate::access::{load, load_manage, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{html, html_invalid, query, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod service;

pub use api::openapi_paths;
use api::*;
pub use pages::DecisionRow;
use pages::*;
pub use service::DiffRow;
pub use service::SectionView;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/charter", Level::Viewer, show),
        route::get("/c/{slug}/charter/edit", Level::Manager, edit_form),
        route::post("/c/{slug}/charter/edit", Level::Manager, save),
        route::get("/c/{slug}/charter/versions/{n}", Level::Viewer, version),
        route::post(
            "/c/{slug}/charter/versions/{n}/adopt",
            Level::Manager,
            adopt,
        ),
        route::get("/c/{slug}/charter/compare", Level::Viewer, compare),
        route::get("/c/{slug}/decisions", Level::Viewer, decisions),
        route::get("/c/{slug}/decisions/new", Level::Manager, new_decision),
        route::post("/c/{slug}/decisions/new", Level::Manager, create_decision),
        route::get("/c/{slug}/decisions/{id}", Level::Viewer, decision),
        route::get(
            "/c/{slug}/decisions/{id}/correct",
            Level::Manager,
            correct_form,
        ),
        route::post("/c/{slug}/decisions/{id}/correct", Level::Manager, correct),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/charter", Level::Viewer, api_current),
        route::get(
            "/communities/{slug}/charter/versions",
            Level::Viewer,
            api_versions,
        ),
        route::get(
            "/communities/{slug}/charter/compare",
            Level::Viewer,
            api_compare,
        ),
        route::put(
            "/communities/{slug}/charter/draft",
            Level::Manager,
            api_save_draft,
        ),
        route::post(
            "/communities/{slug}/charter/adopt",
            Level::Manager,
            api_adopt,
        ),
        route::get(
            "/communities/{slug}/decisions",
            Level::Viewer,
            api_decisions,
        ),
        route::post(
            "/communities/{slug}/decisions",
            Level::Manager,
            api_create_decision,
        ),
        route::get(
            "/communities/{slug}/decisions/{id}",
            Level::Viewer,
            api_decision,
        ),
    ]
}
