//! The directory under `/api/v1`: organizations and people, with the pages' rules (any signed-in
//! user reads; those who may edit the directory write and see contact details).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use tejido_core::directory::{OrganizationForm, PersonForm};
use tejido_db::directory::{OrgFilter, PersonFilter};

use crate::access::require_directory_edit;
use crate::error::AppResult;
use crate::extract::{ApiJson, ApiPage, ListQuery};
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::{AppError, AppState, Ctx};

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/organizations", Level::Account, orgs),
        route::post("/organizations", Level::DirectoryEditor, org_create),
        route::get("/organizations/{id}", Level::Account, org),
        route::put("/organizations/{id}", Level::DirectoryEditor, org_update),
        route::get("/people", Level::Account, people),
        route::post("/people", Level::DirectoryEditor, person_create),
        route::get("/people/{id}", Level::Account, person),
        route::put("/people/{id}", Level::DirectoryEditor, person_update),
    ]
}

async fn orgs(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<ListQuery>,
    Query(p): Query<ApiPage>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let f = OrgFilter {
        q: q.q.clone(),
        kind: q.kind.clone(),
        state_code: q.state.clone(),
        include_archived: false,
    };
    Ok(Json(page_json(
        &tejido_db::directory::list_organizations(
            &s.db,
            &f,
            crate::extract::list_req(&q, p.per_page),
        )
        .await?,
    )))
}

async fn org(State(s): State<AppState>, c: Ctx, Path(id): Path<i64>) -> AppResult<Json<Value>> {
    c.require_user()?;
    let o = tejido_db::directory::organization(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(json!(o)))
}

async fn org_create(
    State(s): State<AppState>,
    c: Ctx,
    ApiJson(form): ApiJson<OrganizationForm>,
) -> AppResult<Response> {
    require_directory_edit(&s, &c).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let id = super::save_organization(&s, c.user_id(), None, &input).await?;
    let o = tejido_db::directory::organization(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(json!(o))).into_response())
}

async fn org_update(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<OrganizationForm>,
) -> AppResult<Json<Value>> {
    require_directory_edit(&s, &c).await?;
    tejido_db::directory::organization(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = form.parse().map_err(AppError::Validation)?;
    super::save_organization(&s, c.user_id(), Some(id), &input).await?;
    Ok(Json(json!(
        tejido_db::directory::organization(&s.db, id).await?
    )))
}

/// People as the API shows them: contact details only to those who may edit the directory.
fn person_json(p: &tejido_db::directory::Person, show_contact: bool) -> Value {
    let mut v = json!(p);
    if !show_contact {
        v["email"] = Value::Null;
    }
    v
}

async fn people(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<ListQuery>,
    Query(p): Query<ApiPage>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let show = crate::access::can_edit(&s, &c).await?;
    let f = PersonFilter {
        q: q.q.clone(),
        organization_id: q.organization,
        include_archived: false,
    };
    let page =
        tejido_db::directory::list_people(&s.db, &f, crate::extract::list_req(&q, p.per_page))
            .await?;
    let items: Vec<Value> = page.items.iter().map(|x| person_json(x, show)).collect();
    Ok(Json(
        json!({ "items": items, "page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages() }),
    ))
}

async fn person(State(s): State<AppState>, c: Ctx, Path(id): Path<i64>) -> AppResult<Json<Value>> {
    let me = c.require_user()?.person_id;
    let p = tejido_db::directory::person(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let show = me == Some(id) || crate::access::can_edit(&s, &c).await?;
    Ok(Json(person_json(&p, show)))
}

async fn checked_person(
    s: &AppState,
    form: &PersonForm,
) -> AppResult<tejido_core::directory::PersonInput> {
    super::parse_person(s, form)
        .await?
        .map_err(AppError::Validation)
}

async fn person_create(
    State(s): State<AppState>,
    c: Ctx,
    ApiJson(form): ApiJson<PersonForm>,
) -> AppResult<Response> {
    require_directory_edit(&s, &c).await?;
    let input = checked_person(&s, &form).await?;
    let id = super::save_person(&s, c.user_id(), None, &input).await?;
    let p = tejido_db::directory::person(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(person_json(&p, true))).into_response())
}

async fn person_update(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<PersonForm>,
) -> AppResult<Json<Value>> {
    require_directory_edit(&s, &c).await?;
    tejido_db::directory::person(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = checked_person(&s, &form).await?;
    super::save_person(&s, c.user_id(), Some(id), &input).await?;
    let p = tejido_db::directory::person(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(person_json(&p, true)))
}
