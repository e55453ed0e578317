//! Joint projects and alliances: pages under `/c/{slug}/projects…` and JSON under
//! `/api/v1/communities/{slug}/projects…`.
//!
//! Who may do what (as for outcomes): whoever may see the community reads its projects; members
//! (and managers and admins) start one; only managers edit it, add or remove outside partners
//! and delete it. Creating a project, saving it or adding a partner can add the matching ties to
//! the Local System map (collaboration for a joint project, alliance for an alliance; through
//! the community; source "joint project") between its organizations — never a second active tie
//! of the same kind between the same pair.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::directory::STATES;
use tejido_core::network::TieSource;
use tejido_core::outcomes::{self as oc, IdValue};
use tejido_core::page::{Page, PageReq};
use tejido_core::projects::{
    new_ties, PartnerForm, PartnerInput, ProjectForm, ProjectInput, ProjectKind, ProjectStatus,
};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::outcomes::OutcomeBrief;
use tejido_db::projects::{self as store, Project, ProjectOrg};

use crate::access::{manager, proposer, viewer, Who};
use crate::error::AppResult;
use crate::extract::form_body;
use crate::extract::ApiJson;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{confirm, html, html_invalid, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod service;

pub use api::openapi_paths;
use api::*;
use pages::*;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/projects", Level::Viewer, list_page),
        route::post("/c/{slug}/projects", Level::Member, create),
        route::get("/c/{slug}/projects/new", Level::Member, new_page),
        route::get("/c/{slug}/projects/{id}", Level::Viewer, show_page),
        route::get("/c/{slug}/projects/{id}/edit", Level::Manager, edit_page),
        route::post("/c/{slug}/projects/{id}/edit", Level::Manager, save),
        route::post(
            "/c/{slug}/projects/{id}/partners",
            Level::Manager,
            add_partner,
        ),
        route::get(
            "/c/{slug}/projects/{id}/partners/{org}/remove",
            Level::Manager,
            confirm_remove_partner,
        ),
        route::post(
            "/c/{slug}/projects/{id}/partners/{org}/remove",
            Level::Manager,
            remove_partner,
        ),
        route::get(
            "/c/{slug}/projects/{id}/delete",
            Level::Manager,
            confirm_delete,
        ),
        route::post("/c/{slug}/projects/{id}/delete", Level::Manager, delete),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/projects", Level::Viewer, api_list),
        route::post("/communities/{slug}/projects", Level::Member, api_create),
        route::get("/communities/{slug}/projects/{id}", Level::Viewer, api_get),
        route::put(
            "/communities/{slug}/projects/{id}",
            Level::Manager,
            api_update,
        ),
        route::delete(
            "/communities/{slug}/projects/{id}",
            Level::Manager,
            api_delete,
        ),
        route::post(
            "/communities/{slug}/projects/{id}/partners",
            Level::Manager,
            api_partner,
        ),
    ]
}
