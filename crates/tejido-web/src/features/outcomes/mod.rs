//! Outcome harvesting: pages under `/c/{slug}/outcomes…` and JSON under
//! `/api/v1/communities/{slug}/outcomes…`. The list is the seed's Tables 1–3 as a page: the
//! outcomes grouped by theme with the number of distinct organizations involved per theme and
//! overall, filtered by theme, period and substantiation.
//!
//! Who may do what: whoever may see the community reads its outcomes; members (and managers and
//! admins) propose one — as claimed or substantiated by a named source; only managers edit,
//! mark verified and delete. Every id a form names (organizations, events, joint projects,
//! ties) is checked to belong to the directory or to the community before anything is written.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use tejido_core::network::TieKind;
use tejido_core::outcomes::{
    self as core, ChangeKind, FilterForm, IdValue, OutcomeForm, OutcomeInput, SourceView,
    Substantiation,
};
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::outcomes::{
    self as store, Contributor, LinkRow, OrgRef, Outcome, Owned, ThemeSummary, TieRef,
};
use tejido_db::uploads::{OwnerKind, Upload};

use crate::access::{manager, proposer, viewer, Who};
use crate::error::AppResult;
use crate::extract::form_body;
use crate::extract::ApiJson;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{confirm, headline, html, html_invalid, query, redirect, Pager};
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
        route::get("/c/{slug}/outcomes", Level::Viewer, list_page),
        route::post("/c/{slug}/outcomes", Level::Member, create),
        route::get("/c/{slug}/outcomes/new", Level::Member, new_page),
        route::get("/c/{slug}/outcomes/{id}", Level::Viewer, show_page),
        route::get("/c/{slug}/outcomes/{id}/edit", Level::Manager, edit_page),
        route::post("/c/{slug}/outcomes/{id}/edit", Level::Manager, save),
        route::post("/c/{slug}/outcomes/{id}/verify", Level::Manager, verify),
        route::get(
            "/c/{slug}/outcomes/{id}/delete",
            Level::Manager,
            confirm_delete,
        ),
        route::post("/c/{slug}/outcomes/{id}/delete", Level::Manager, delete),
        route::post("/c/{slug}/outcomes/{id}/files", Level::Member, attach_files),
        route::get(
            "/c/{slug}/outcomes/{id}/files/{file}",
            Level::Viewer,
            attachment,
        ),
        route::get(
            "/c/{slug}/outcomes/{id}/files/{file}/remove",
            Level::RoleHolder,
            confirm_remove_attachment,
        ),
        route::post(
            "/c/{slug}/outcomes/{id}/files/{file}/remove",
            Level::RoleHolder,
            remove_attachment,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/outcomes", Level::Viewer, api_list),
        route::post("/communities/{slug}/outcomes", Level::Member, api_create),
        route::get("/communities/{slug}/outcomes/{id}", Level::Viewer, api_get),
        route::put(
            "/communities/{slug}/outcomes/{id}",
            Level::Manager,
            api_update,
        ),
        route::delete(
            "/communities/{slug}/outcomes/{id}",
            Level::Manager,
            api_delete,
        ),
        route::post(
            "/communities/{slug}/outcomes/{id}/verify",
            Level::Manager,
            api_verify,
        ),
        route::get(
            "/communities/{slug}/outcomes/{id}/files/{file}",
            Level::Viewer,
            api_attachment,
        ),
    ]
}
