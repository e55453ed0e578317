//! The OpenAPI document of the JSON API, `/api/v1/openapi.json`. The API is authenticated by
//! session cookie (state-changing calls then need the `X-CSRF-Token` header) or by a personal
//! access token (`Authorization: Bearer tjd_…`); the same authorization rules as the pages apply,
//! through the same guards. Each feature contributes its paths (`features::openapi_paths`).

use axum::Json;
use serde_json::{json, Value};
use tejido_core::communities::Role;

use crate::error::AppResult;
use crate::routes::{self as route, Level, Route};
use crate::Ctx;

/// `/api/v1/openapi.json` and `/api/v1/me`.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/openapi.json", Level::Public, openapi),
        route::get("/me", Level::Account, me),
    ]
}

/// The authenticated user, as the API's `/me`.
async fn me(c: Ctx) -> AppResult<axum::Json<serde_json::Value>> {
    let u = c.require_user()?;
    Ok(axum::Json(
        serde_json::json!({ "id": u.id, "email": u.email, "display_name": u.display_name, "is_admin": u.is_admin, "person_id": u.person_id, "locale": c.locale.as_str() }),
    ))
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
        paths.extend(crate::features::openapi_paths());
    }
    doc
}
