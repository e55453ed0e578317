//! The Local System map (*mapa de actores*): pages under `/c/{slug}/network…`, JSON under
//! `/api/v1/communities/{slug}/network…`.
//!
//! Who may do what: the community's members (and admins) see the map, its figures and the
//! exports and enter ties; sensitive tie kinds (funding) are seen only by those who manage the
//! community and admins — in pages, the API and every export alike. Managers end ties (ties are
//! never deleted), open and close survey rounds and import ties from CSV. A survey round is
//! answered by a community member on behalf of their organization when that organization is a
//! current member; its answers become ties with the round as their source.
//!
//! The network at a date is the community's ties active that day among its actors (member
//! organizations plus the organizations they are tied to), analysed with `tejido-graph` as an
//! undirected, unweighted graph (mixed kinds: direction is kept in the data and the exports'
//! attributes, not in the measures), with sectors as groups for brokerage and the E-I index.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::network::{
    self as core, circular_layout, ActorScore, LayoutNode, NetworkScores, RatedTie, Rating,
    RoundForm, TieForm, TieKey, TieKind, TieSource, SUB_RATINGS,
};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::network::{self as store, Actor, Round, Tie};
use tejido_graph::{GraphBuilder, Report};

use crate::access::{load, refuse, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{html, html_invalid, redirect};
use crate::{AppError, AppState, Ctx};

mod analysis;
mod api;
mod pages;
mod service;
mod surveys;
mod ties;

use analysis::*;
pub use api::openapi_paths;
use api::*;
use pages::*;
use service::*;
use surveys::*;
use ties::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/network", Level::Member, show),
        route::post("/c/{slug}/network/ties", Level::Member, add_tie),
        route::post(
            "/c/{slug}/network/ties/{id}/end",
            Level::RoleHolder,
            end_tie,
        ),
        route::get("/c/{slug}/network/export/{format}", Level::Member, export),
        route::get("/c/{slug}/network/surveys", Level::Member, rounds_page),
        route::post("/c/{slug}/network/surveys", Level::Manager, open_round),
        route::get("/c/{slug}/network/surveys/{id}", Level::Member, round_page),
        route::post(
            "/c/{slug}/network/surveys/{id}",
            Level::Member,
            answer_round,
        ),
        route::post(
            "/c/{slug}/network/surveys/{id}/close",
            Level::Manager,
            close_round,
        ),
        route::get("/c/{slug}/network/import", Level::Manager, import_form),
        route::post("/c/{slug}/network/import", Level::Manager, import),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/network", Level::Member, api_network),
        route::post(
            "/communities/{slug}/network/ties",
            Level::Member,
            api_add_tie,
        ),
        route::post(
            "/communities/{slug}/network/ties/{id}/end",
            Level::RoleHolder,
            api_end_tie,
        ),
        route::get(
            "/communities/{slug}/network/export/{format}",
            Level::Member,
            api_export,
        ),
        route::get(
            "/communities/{slug}/network/surveys",
            Level::Member,
            api_rounds,
        ),
        route::post(
            "/communities/{slug}/network/surveys",
            Level::Manager,
            api_open_round,
        ),
        route::get(
            "/communities/{slug}/network/surveys/{id}",
            Level::Member,
            api_round,
        ),
        route::post(
            "/communities/{slug}/network/surveys/{id}",
            Level::Member,
            api_answer_round,
        ),
        route::post(
            "/communities/{slug}/network/import",
            Level::Manager,
            api_import,
        ),
    ]
}
