//! The directory (capability 1): organizations and people — list with search and filters, view,
//! create, edit, archive. Every signed-in person can read it; community leaders, co-leaders,
//! conveners and admins can add and edit; only admins archive. Contact details are shown only to
//! those who can edit.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use tejido_core::directory::{
    OrgKind, OrganizationForm, OrganizationInput, PersonForm, PersonInput, PositionLevel,
};
use tejido_core::page::Page;
use tejido_core::FieldErrors;
use tejido_db::directory::{self as store, OrgFilter, Organization, Person, PersonFilter};

use crate::access::{can_edit, require_directory_edit};
use crate::error::AppResult;
use crate::extract::ListQuery;
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{html, html_invalid, query, redirect, state_options, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
pub use api::api_routes;

mod pages;

pub use pages::kind_options;
pub use pages::level_options;
pub use pages::parse_person;
pub use pages::save_organization;
pub use pages::save_person;
pub use pages::state_name;
use pages::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/directory", Level::Public, || async {
            redirect("/directory/organizations")
        }),
        route::get("/directory/organizations", Level::Account, org_list),
        route::post(
            "/directory/organizations",
            Level::DirectoryEditor,
            org_create,
        ),
        route::get(
            "/directory/organizations/new",
            Level::DirectoryEditor,
            org_new,
        ),
        route::get("/directory/organizations/{id}", Level::Account, org_show),
        route::post(
            "/directory/organizations/{id}",
            Level::DirectoryEditor,
            org_update,
        ),
        route::get(
            "/directory/organizations/{id}/edit",
            Level::DirectoryEditor,
            org_edit,
        ),
        route::post(
            "/directory/organizations/{id}/archive",
            Level::Admin,
            org_archive,
        ),
        route::get("/directory/people", Level::Account, person_list),
        route::post("/directory/people", Level::DirectoryEditor, person_create),
        route::get("/directory/people/new", Level::DirectoryEditor, person_new),
        route::get("/directory/people/{id}", Level::Account, person_show),
        route::post(
            "/directory/people/{id}",
            Level::DirectoryEditor,
            person_update,
        ),
        route::get(
            "/directory/people/{id}/edit",
            Level::DirectoryEditor,
            person_edit,
        ),
        route::post(
            "/directory/people/{id}/archive",
            Level::Admin,
            person_archive,
        ),
    ]
}
