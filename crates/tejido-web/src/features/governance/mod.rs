//! Governance (the seed's Steps 1 and 3, and the path to self-management): goals with
//! measurable objectives and their status history, the community's phase with the conditions
//! for the next one computed from data, and the six steps checklist with guidance in place.
//! Members read; leaders, co-leaders, conveners and admins edit.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde_json::{json, Value};
use tejido_core::communities::Phase;
use tejido_core::decisions::{DecisionForm, Source};
use tejido_core::governance::{
    self as rules, Check, GoalForm, Horizon, ObjectiveForm, ObjectiveStatus, Progress,
    State as CheckState, StatusForm, Step,
};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::governance::{self as store, Goal, Objective, StatusChange};

use crate::access::{load, load_manage, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{html, html_invalid, redirect};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod service;

pub use api::openapi_paths;
use api::*;
use pages::*;
pub use service::overview;
pub use service::GoalView;
pub use service::Overview;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/governance", Level::Viewer, page),
        route::post("/c/{slug}/governance/phase", Level::Manager, advance_phase),
        route::post("/c/{slug}/goals", Level::Manager, create_goal),
        route::post(
            "/c/{slug}/goals/{id}/objectives",
            Level::Manager,
            create_objective,
        ),
        route::get("/c/{slug}/objectives/{id}", Level::Viewer, objective_page),
        route::post(
            "/c/{slug}/objectives/{id}/status",
            Level::Manager,
            change_status,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get(
            "/communities/{slug}/governance",
            Level::Viewer,
            api_overview,
        ),
        route::post("/communities/{slug}/goals", Level::Manager, api_create_goal),
        route::post(
            "/communities/{slug}/goals/{id}/objectives",
            Level::Manager,
            api_create_objective,
        ),
        route::post(
            "/communities/{slug}/objectives/{id}/status",
            Level::Manager,
            api_change_status,
        ),
        route::post(
            "/communities/{slug}/phase",
            Level::Manager,
            api_advance_phase,
        ),
    ]
}
