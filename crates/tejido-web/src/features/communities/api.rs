//! Communities under `/api/v1`: the list the caller may see, one community with its roles, its
//! members, and creating one.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use tejido_core::communities::CommunityForm;

use crate::access::require_directory_edit;
use crate::error::AppResult;
use crate::extract::{ApiJson, ApiPage, ListQuery};
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::{AppError, AppState, Ctx};

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities", Level::Account, communities),
        route::post("/communities", Level::DirectoryEditor, community_create),
        route::get("/communities/{slug}", Level::Viewer, community),
        route::get(
            "/communities/{slug}/members",
            Level::Viewer,
            community_members,
        ),
    ]
}

async fn communities(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<ListQuery>,
    Query(p): Query<ApiPage>,
) -> AppResult<Json<Value>> {
    let u = c.require_user()?;
    let page = tejido_db::communities::list_visible(
        &s.db,
        u.person_id,
        u.is_admin,
        q.q.as_deref(),
        crate::extract::list_req(&q, p.per_page),
    )
    .await?;
    Ok(Json(page_json(&page)))
}

async fn community(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = crate::access::load(&s, &c, &slug).await?;
    let roles = tejido_db::communities::current_roles(&s.db, l.community.id).await?;
    Ok(Json(json!({
        "community": l.community,
        "roles": roles,
        "my_roles": l.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "can_manage": l.access.manage,
    })))
}

async fn community_members(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = crate::access::load(&s, &c, &slug).await?;
    let req = crate::extract::list_req(&q, Some(100));
    let orgs = tejido_db::communities::member_organizations(&s.db, l.community.id, req).await?;
    let people = tejido_db::communities::member_people(&s.db, l.community.id, req).await?;
    Ok(Json(
        json!({ "organizations": page_json(&orgs), "people": page_json(&people) }),
    ))
}

async fn community_create(
    State(s): State<AppState>,
    c: Ctx,
    ApiJson(form): ApiJson<CommunityForm>,
) -> AppResult<Response> {
    let u = c.require_user()?.clone();
    require_directory_edit(&s, &c).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let (id, _) = super::create_community(&s, &u, &input).await?;
    let m = tejido_db::communities::by_id(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(json!(m))).into_response())
}
