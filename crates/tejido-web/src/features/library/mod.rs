//! The knowledge library (*biblioteca*): pages under `/library` (and a community's tab at
//! `/c/{slug}/library`), JSON under `/api/v1/library`.
//!
//! Who may do what (the same on pages and in the API):
//! - reading: a resource is listed, counted and shown only to those its visibility allows
//!   (decided in SQL by `tejido_db::library`): public — anyone, signed in or not; instance —
//!   every signed-in person; community — whoever may view its community. Its attachments are
//!   downloaded under the same rule (`/library/{id}/files/{upload_id}`).
//! - creating: a signed-in person with a person record; a community resource only in a
//!   community they belong to (admins: any).
//! - editing and archiving: the author, the managers of its community, an admin. Every edit
//!   keeps the previous version (`/library/{id}/history`).
//! - lessons learned written in minutes and After Action Reviews are listed beside the
//!   resources for the members of their community, linked to where they were written.
//!
//! Every create/edit updates the search index in the same transaction; archiving removes it.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::charter::render_markdown;
use tejido_core::library::{can_edit, Kind, ResourceForm, ResourceInput, Visibility, LANGUAGES};
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::library::{self as store, DerivedLesson, Filter, Resource, Version, Viewer};
use tejido_db::search::{self, SearchDoc, Source};
use tejido_db::uploads::{self as files, OwnerKind, Upload};

use crate::access::load;
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::routes::{self as route, Level, Route};
use crate::uploads::{self, CheckedFile};
use crate::views::Options;
use crate::views::{html, html_invalid, query, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
mod pages;
mod service;

pub use api::openapi_paths;
use api::*;
pub use pages::FormPage;
pub use pages::HistoryPage;
pub use pages::Item;
pub use pages::ListPage;
pub use pages::NewQuery;
pub use pages::ShowPage;
use pages::*;
pub use service::LibraryQuery;
use service::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/library", Level::Viewer, index),
        route::post("/library", Level::Viewer, create),
        route::get("/library/new", Level::Account, new_form),
        route::get("/library/{id}", Level::Viewer, show),
        route::get("/library/{id}/edit", Level::RoleHolder, edit_form),
        route::post("/library/{id}/edit", Level::RoleHolder, save),
        route::get("/library/{id}/history", Level::Viewer, history),
        route::post("/library/{id}/archive", Level::RoleHolder, archive),
        route::get("/library/{id}/files/{upload_id}", Level::Viewer, file),
        route::get("/c/{slug}/library", Level::Viewer, community_index),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/library", Level::Viewer, api_list),
        route::post("/library", Level::Viewer, api_create),
        route::get("/library/{id}", Level::Viewer, api_get),
        route::put("/library/{id}", Level::RoleHolder, api_update),
        route::get("/library/{id}/files/{upload_id}", Level::Viewer, api_file),
    ]
}
