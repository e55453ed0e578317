//! The JSON API, `/api/v1`. Authenticated by session cookie (state-changing calls then need the
//! `X-CSRF-Token` header) or by a personal access token (`Authorization: Bearer tjd_…`). The same
//! authorization rules as the pages apply, through the same helpers. Described by the OpenAPI 3
//! document at `/api/v1/openapi.json`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tejido_core::communities::{CommunityForm, Role};
use tejido_core::directory::{OrganizationForm, PersonForm};
use tejido_core::page::{Page, PageReq};
use tejido_db::directory::{OrgFilter, PersonFilter};

use crate::error::AppResult;
use crate::extract::{ApiJson, ListQuery};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/me", get(me))
        .route("/organizations", get(orgs).post(org_create))
        .route("/organizations/{id}", get(org).put(org_update))
        .route("/people", get(people).post(person_create))
        .route("/people/{id}", get(person).put(person_update))
        .route("/communities", get(communities).post(community_create))
        .route("/communities/{slug}", get(community))
        .route("/communities/{slug}/members", get(community_members))
        .merge(super::governance::api_router())
        .merge(super::charter::api_router())
        .merge(super::rotation::api_router())
        .merge(super::events::api_router())
        .merge(super::agenda::api_router())
        .merge(super::minutes::api_router())
        .merge(super::polls::api_router())
        .merge(super::network::api_router())
        .merge(super::library::api_router())
        .merge(super::search::api_router())
        .merge(super::discussions::api_router())
        .merge(super::support::api_router())
        .merge(super::onboarding::api_router())
        .merge(super::outcomes::api_router())
        .merge(super::projects::api_router())
        .merge(super::sustainability::api_router())
        .merge(super::funding::api_router())
        .merge(super::reports::api_router())
}

fn page_json<T: serde::Serialize>(p: &Page<T>) -> Value {
    json!({ "items": p.items, "page": p.page, "per_page": p.per_page, "total": p.total, "pages": p.pages() })
}

fn list_req(q: &ListQuery, per_page: Option<u32>) -> PageReq {
    PageReq::new(q.page, per_page)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ApiPage {
    per_page: Option<u32>,
}

async fn me(c: Ctx) -> AppResult<Json<Value>> {
    let u = c.require_user()?;
    Ok(Json(
        json!({ "id": u.id, "email": u.email, "display_name": u.display_name, "is_admin": u.is_admin, "person_id": u.person_id, "locale": c.locale.as_str() }),
    ))
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
        &tejido_db::directory::list_organizations(&s.db, &f, list_req(&q, p.per_page)).await?,
    )))
}

async fn org(State(s): State<AppState>, c: Ctx, Path(id): Path<i64>) -> AppResult<Json<Value>> {
    c.require_user()?;
    let o = tejido_db::directory::organization(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(json!(o)))
}

async fn require_directory_edit(s: &AppState, c: &Ctx) -> AppResult<()> {
    if crate::access::can_edit(s, c).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn org_create(
    State(s): State<AppState>,
    c: Ctx,
    ApiJson(form): ApiJson<OrganizationForm>,
) -> AppResult<Response> {
    require_directory_edit(&s, &c).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let id = super::directory::save_organization(&s, c.user_id(), None, &input).await?;
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
    super::directory::save_organization(&s, c.user_id(), Some(id), &input).await?;
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
    let page = tejido_db::directory::list_people(&s.db, &f, list_req(&q, p.per_page)).await?;
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
    super::directory::parse_person(s, form)
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
    let id = super::directory::save_person(&s, c.user_id(), None, &input).await?;
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
    super::directory::save_person(&s, c.user_id(), Some(id), &input).await?;
    let p = tejido_db::directory::person(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(person_json(&p, true)))
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
        list_req(&q, p.per_page),
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
    let req = list_req(&q, Some(100));
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
    let (id, _) = super::communities::create_community(&s, &u, &input).await?;
    let m = tejido_db::communities::by_id(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(json!(m))).into_response())
}

async fn openapi() -> Json<Value> {
    Json(openapi_document())
}

/// The OpenAPI 3 description of this API. A test checks every route above appears in it.
pub fn openapi_document() -> Value {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let paged = |item: &str| {
        json!({ "type": "object", "properties": {
        "items": { "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } },
        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "total": { "type": "integer" }, "pages": { "type": "integer" } } })
    };
    let list_params = json!([
        { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "Name contains (accent- and case-insensitive)" },
        { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
        { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100 } }
    ]);
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let body = |name: &str| json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{name}") } } } });
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let mut doc = json!({
        "openapi": "3.0.3",
        "info": { "title": "Tejido API", "version": "1", "description": "Learning communities: directory and communities. Authenticate with a personal access token (Authorization: Bearer) created on /account." },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "token": [] }, { "session": [] }],
        "paths": {
            "/me": { "get": { "summary": "The authenticated user", "responses": { "200": ok(r("Me")), "401": err } } },
            "/organizations": {
                "get": { "summary": "List organizations", "parameters": list_params.as_array().cloned().unwrap_or_default().into_iter()
                    .chain([json!({ "name": "kind", "in": "query", "schema": r("OrgKind") }), json!({ "name": "state", "in": "query", "schema": { "type": "string", "description": "INEGI code 01–32" } })]).collect::<Vec<_>>(),
                    "responses": { "200": ok(paged("Organization")), "401": err } },
                "post": { "summary": "Create an organization", "requestBody": body("OrganizationInput"), "responses": { "201": ok(r("Organization")), "401": err, "403": err, "422": err } }
            },
            "/organizations/{id}": {
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "get": { "summary": "One organization", "responses": { "200": ok(r("Organization")), "401": err, "404": err } },
                "put": { "summary": "Update an organization", "requestBody": body("OrganizationInput"), "responses": { "200": ok(r("Organization")), "401": err, "403": err, "404": err, "422": err } }
            },
            "/people": {
                "get": { "summary": "List people", "parameters": list_params.as_array().cloned().unwrap_or_default().into_iter()
                    .chain([json!({ "name": "organization", "in": "query", "schema": { "type": "integer" } })]).collect::<Vec<_>>(),
                    "responses": { "200": ok(paged("Person")), "401": err } },
                "post": { "summary": "Create a person", "requestBody": body("PersonInput"), "responses": { "201": ok(r("Person")), "401": err, "403": err, "422": err } }
            },
            "/people/{id}": {
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "get": { "summary": "One person", "responses": { "200": ok(r("Person")), "401": err, "404": err } },
                "put": { "summary": "Update a person", "requestBody": body("PersonInput"), "responses": { "200": ok(r("Person")), "401": err, "403": err, "404": err, "422": err } }
            },
            "/communities": {
                "get": { "summary": "Communities visible to the caller", "parameters": list_params, "responses": { "200": ok(paged("CommunitySummary")), "401": err } },
                "post": { "summary": "Create a community (the caller convenes it)", "requestBody": body("CommunityInput"), "responses": { "201": ok(r("Community")), "401": err, "403": err, "422": err } }
            },
            "/communities/{slug}": {
                "parameters": [{ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } }],
                "get": { "summary": "A community with its current roles", "responses": { "200": ok(r("CommunityDetail")), "401": err, "403": err, "404": err } }
            },
            "/communities/{slug}/members": {
                "parameters": [{ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } }, { "name": "page", "in": "query", "schema": { "type": "integer" } }],
                "get": { "summary": "Current member organizations and people", "responses": { "200": ok(json!({ "type": "object" })), "401": err, "403": err, "404": err } }
            }
        },
        "components": {
            "securitySchemes": {
                "token": { "type": "http", "scheme": "bearer", "description": "Personal access token" },
                "session": { "type": "apiKey", "in": "cookie", "name": "tejido_session", "description": "Browser session; state-changing calls need the X-CSRF-Token header" }
            },
            "responses": { "Error": { "description": "Error", "content": { "application/json": { "schema": r("Error") } } } },
            "schemas": {
                "Error": { "type": "object", "required": ["error", "message"], "properties": {
                    "error": { "type": "string", "description": "Stable code" }, "message": { "type": "string", "description": "In the caller's language" },
                    "fields": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "code": { "type": "string" }, "message": { "type": "string" } } } } } },
                "Me": { "type": "object", "properties": { "id": { "type": "integer" }, "email": { "type": "string" }, "display_name": { "type": "string" }, "is_admin": { "type": "boolean" }, "person_id": { "type": "integer", "nullable": true }, "locale": { "type": "string" } } },
                "OrgKind": { "type": "string", "enum": tejido_core::directory::OrgKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>() },
                "PositionLevel": { "type": "string", "enum": tejido_core::directory::PositionLevel::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>() },
                "OrganizationInput": { "type": "object", "required": ["name", "kind"], "properties": {
                    "name": { "type": "string" }, "acronym": { "type": "string" }, "kind": r("OrgKind"), "state_code": { "type": "string" }, "municipality": { "type": "string" },
                    "themes": { "type": "string", "description": "Comma-separated" }, "expertise": { "type": "string" }, "needs": { "type": "string" }, "website": { "type": "string" }, "description": { "type": "string" } } },
                "Organization": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "name": { "type": "string" }, "acronym": { "type": "string", "nullable": true }, "kind": r("OrgKind"), "state_code": { "type": "string", "nullable": true },
                    "municipality": { "type": "string", "nullable": true }, "themes": { "type": "string" }, "expertise": { "type": "string", "nullable": true }, "needs": { "type": "string", "nullable": true },
                    "website": { "type": "string", "nullable": true }, "description": { "type": "string", "nullable": true }, "created_at": { "type": "string", "format": "date-time" },
                    "updated_at": { "type": "string", "format": "date-time" }, "archived_at": { "type": "string", "format": "date-time", "nullable": true } } },
                "PersonInput": { "type": "object", "required": ["full_name"], "properties": {
                    "full_name": { "type": "string" }, "email": { "type": "string" }, "organization_id": { "type": "string", "description": "Organization id, or empty" },
                    "position_level": r("PositionLevel"), "position_title": { "type": "string" }, "youth": { "type": "string", "enum": ["", "yes", "no"] }, "gender": { "type": "string" } } },
                "Person": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "full_name": { "type": "string" }, "email": { "type": "string", "nullable": true, "description": "Only for directory editors and the person" },
                    "organization_id": { "type": "integer", "nullable": true }, "organization_name": { "type": "string", "nullable": true }, "position_level": { "type": "string", "nullable": true },
                    "position_title": { "type": "string", "nullable": true }, "youth": { "type": "boolean", "nullable": true }, "gender": { "type": "string", "nullable": true } } },
                "CommunityInput": { "type": "object", "required": ["name", "purpose"], "properties": {
                    "name": { "type": "string" }, "purpose": { "type": "string" }, "mission": { "type": "string" }, "vision": { "type": "string" }, "themes": { "type": "string" },
                    "geography": { "type": "string" }, "time_zone": { "type": "string", "enum": tejido_core::communities::TIME_ZONES },
                    "visibility": { "type": "string", "enum": ["private", "instance", "public"] } } },
                "CommunitySummary": { "type": "object", "properties": { "id": { "type": "integer" }, "slug": { "type": "string" }, "name": { "type": "string" }, "purpose": { "type": "string" },
                    "visibility": { "type": "string" }, "phase": { "type": "string" }, "organizations": { "type": "integer" }, "people": { "type": "integer" } } },
                "Community": { "type": "object", "properties": { "id": { "type": "integer" }, "slug": { "type": "string" }, "name": { "type": "string" }, "purpose": { "type": "string" },
                    "mission": { "type": "string", "nullable": true }, "vision": { "type": "string", "nullable": true }, "themes": { "type": "string" }, "geography": { "type": "string", "nullable": true },
                    "time_zone": { "type": "string" }, "visibility": { "type": "string" }, "phase": { "type": "string", "enum": ["convened", "co-led", "self-managed"] } } },
                "CommunityDetail": { "type": "object", "properties": { "community": r("Community"), "roles": { "type": "array", "items": { "type": "object" } },
                    "my_roles": { "type": "array", "items": { "type": "string", "enum": Role::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>() } }, "can_manage": { "type": "boolean" } } }
            }
        }
    });
    // Each capability contributes its own paths.
    if let Some(paths) = doc["paths"].as_object_mut() {
        for extra in [
            super::governance::openapi_paths(),
            super::charter::openapi_paths(),
            super::rotation::openapi_paths(),
            super::events::openapi_paths(),
            super::agenda::openapi_paths(),
            super::minutes::openapi_paths(),
            super::polls::openapi_paths(),
            super::network::openapi_paths(),
            super::library::openapi_paths(),
            super::search::openapi_paths(),
            super::discussions::openapi_paths(),
            super::support::openapi_paths(),
            super::onboarding::openapi_paths(),
            super::outcomes::openapi_paths(),
            super::projects::openapi_paths(),
            super::sustainability::openapi_paths(),
            super::funding::openapi_paths(),
            super::reports::openapi_paths(),
        ] {
            paths.extend(extra);
        }
    }
    doc
}
