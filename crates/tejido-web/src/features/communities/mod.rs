//! Communities (capability 2, first part): the list, creating one, its home page, editing its
//! profile, members (organizations and people, with join/leave history), roles and invitations.
//! Every handler resolves the community and the viewer's [`Access`] first; managing needs a
//! leader, co-leader or convener role, or an admin.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use tejido_core::communities::{Access, CommunityForm, Role, Visibility, TIME_ZONES};
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::communities::{
    self as store, Community, CommunitySummary, MemberOrganization, MemberPerson, MembershipEvent,
    RoleHolder,
};

use crate::access::{load, load_manage, Loaded};
use crate::error::AppResult;
use crate::extract::ListQuery;
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{confirm, html, html_invalid, query, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
pub use api::api_routes;

mod members;
mod pages;

pub use members::role_options;
use members::*;
pub use pages::create_community;
pub use pages::visibility_options;
use pages::*;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/communities", Level::Account, list),
        route::post("/communities", Level::DirectoryEditor, create),
        route::get("/communities/new", Level::DirectoryEditor, new_form),
        route::get("/c/{slug}", Level::Viewer, show),
        route::get("/c/{slug}/edit", Level::Manager, edit_form),
        route::post("/c/{slug}/edit", Level::Manager, update),
        route::get("/c/{slug}/members", Level::Viewer, members),
        route::post("/c/{slug}/members/organizations", Level::Manager, add_org),
        route::get(
            "/c/{slug}/members/organizations/{id}/remove",
            Level::Manager,
            confirm_remove_org,
        ),
        route::post(
            "/c/{slug}/members/organizations/{id}/remove",
            Level::Manager,
            remove_org,
        ),
        route::post("/c/{slug}/members/people", Level::Manager, add_person),
        route::get(
            "/c/{slug}/members/people/{id}/remove",
            Level::Manager,
            confirm_remove_person,
        ),
        route::post(
            "/c/{slug}/members/people/{id}/remove",
            Level::Manager,
            remove_person,
        ),
        route::post("/c/{slug}/roles", Level::Manager, assign_role),
        route::get("/c/{slug}/roles/end", Level::Manager, confirm_end_role),
        route::post("/c/{slug}/roles/end", Level::Manager, end_role),
        route::post("/c/{slug}/invitations", Level::Manager, invite),
    ]
}
