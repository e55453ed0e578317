//! Sustainability self-assessment (the seed's Table 4): pages under `/c/{slug}/sustainability…`
//! and JSON under `/api/v1/communities/{slug}/sustainability…`.
//!
//! Who may do what: the community's members, managers and admins read rounds, results and action
//! items; participating members (members with a person record) rate each criterion of an open
//! round, with evidence and a note, and may come back to change their answers until it closes;
//! managers open rounds and turn gaps into action items with an owner; managers and an item's
//! owner change its status. **Individual ratings are confidential**: no page or API shows who
//! rated what, not even to managers; results are aggregates, and evidence and notes are listed
//! without names.
//!
//! For the reports: [`radar_svg`] (re-exported from `tejido_core::sustainability`) draws a radar
//! chart, and [`round_radar`] draws one round's four dimensions with an earlier round as a second
//! outline; the figures come from `tejido_db::sustainability::{rounds, results}`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::assessments::{field_names, parse_responses, DISAGREEMENT_RANGE};
use tejido_core::page::{Page, PageReq};
use tejido_core::sustainability::{
    accepting, ActionForm, RoundForm, ACTION_STATUSES, INSTRUMENT, KEY,
};
use tejido_core::FieldErrors;
use tejido_db::assessments::{self as rounds_store, Evidence, NewRound, Response as Answer};
use tejido_db::communities::Community;
use tejido_db::sustainability::{self as store, Action, Figures, RoundResults, RoundRow};

pub use tejido_core::sustainability::{radar_svg, RadarSeries};

use crate::access::{load_manage, load_member, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{html, html_invalid, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod rating;
mod service;

pub use api::openapi_paths;
use api::*;
pub use pages::dimension_names;
pub use pages::round_radar;
pub use pages::DimRow;
pub use pages::FigRow;
pub use pages::RoundItem;
pub use pages::TrendRow;
use pages::*;
pub use rating::RateItem;
pub use rating::RateSection;
use rating::*;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/sustainability", Level::Member, index_page),
        route::post(
            "/c/{slug}/sustainability/rounds",
            Level::Manager,
            create_round,
        ),
        route::get(
            "/c/{slug}/sustainability/rounds/{id}",
            Level::Member,
            round_page,
        ),
        route::get(
            "/c/{slug}/sustainability/rounds/{id}/rate",
            Level::Member,
            rate_page,
        ),
        route::post(
            "/c/{slug}/sustainability/rounds/{id}/rate",
            Level::Member,
            rate_save,
        ),
        route::post(
            "/c/{slug}/sustainability/rounds/{id}/actions",
            Level::Manager,
            create_action,
        ),
        route::post(
            "/c/{slug}/sustainability/actions/{id}/status",
            Level::RoleHolder,
            action_status,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get(
            "/communities/{slug}/sustainability/instrument",
            Level::Member,
            api_instrument,
        ),
        route::get(
            "/communities/{slug}/sustainability/rounds",
            Level::Member,
            api_rounds,
        ),
        route::post(
            "/communities/{slug}/sustainability/rounds",
            Level::Manager,
            api_create_round,
        ),
        route::get(
            "/communities/{slug}/sustainability/rounds/{id}/results",
            Level::Member,
            api_results,
        ),
        route::get(
            "/communities/{slug}/sustainability/rounds/{id}/responses",
            Level::Member,
            api_my_responses,
        ),
        route::post(
            "/communities/{slug}/sustainability/rounds/{id}/responses",
            Level::Member,
            api_save_responses,
        ),
        route::post(
            "/communities/{slug}/sustainability/rounds/{id}/actions",
            Level::Manager,
            api_create_action,
        ),
        route::get(
            "/communities/{slug}/sustainability/actions",
            Level::Member,
            api_actions,
        ),
        route::post(
            "/communities/{slug}/sustainability/actions/{id}/status",
            Level::RoleHolder,
            api_action_status,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_and_formats() {
        assert_eq!(change(Some(2.5), Some(1.0)), "+1.5");
        assert_eq!(change(Some(1.0), Some(2.0)), "-1.0");
        assert_eq!(change(Some(1.0), None), "–");
        assert_eq!(fmt1(None), "–");
        assert_eq!(fmt2(Some(0.5)), "0.50");
    }
}
