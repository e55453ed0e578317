//! The projects JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API ----------------------------------------------------------------------------------

pub(super) async fn project_json(s: &AppState, p: &Project) -> AppResult<Value> {
    let d = detail(s, p).await?;
    Ok(
        json!({ "project": p, "members": d.members, "partners": d.partners, "outcomes": d.outcomes }),
    )
}

pub(super) async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = viewer(&s, &c, &slug).await?;
    let page: Page<Project> =
        store::list(&s.db, w.l.community.id, PageReq::new(q.page, q.per_page)).await?;
    let ids: Vec<i64> = page.items.iter().map(|p| p.id).collect();
    let orgs = store::organizations_of(&s.db, &ids).await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|p| {
            let mine: Vec<&ProjectOrg> = orgs.iter().filter(|o| o.project_id == p.id).collect();
            json!({ "project": p, "organizations": mine })
        })
        .collect();
    Ok(Json(
        json!({ "items": items, "page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages() }),
    ))
}

pub(super) async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ProjectForm>,
) -> AppResult<Response> {
    let w = proposer(&s, &c, &slug).await?;
    let id = write(&s, &c, &w, &form, None)
        .await?
        .map_err(AppError::Validation)?;
    let p = project_of(&s, &w, id).await?;
    Ok((StatusCode::CREATED, Json(project_json(&s, &p).await?)).into_response())
}

pub(super) async fn api_get(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = viewer(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    Ok(Json(project_json(&s, &p).await?))
}

pub(super) async fn api_update(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ProjectForm>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    write(&s, &c, &w, &form, Some(p.id))
        .await?
        .map_err(AppError::Validation)?;
    let p = project_of(&s, &w, id).await?;
    Ok(Json(project_json(&s, &p).await?))
}

pub(super) async fn api_partner(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<PartnerForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    write_partner(&s, &c, &w, &p, &form)
        .await?
        .map_err(AppError::Validation)?;
    Ok((StatusCode::CREATED, Json(project_json(&s, &p).await?)).into_response())
}

pub(super) async fn api_delete(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<StatusCode> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    write_delete(&s, &c, &w, &p).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": { "type": "object" } } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let ids = json!({ "type": "array", "items": { "oneOf": [{ "type": "integer" }, { "type": "string" }] } });
    let kinds: Vec<&str> = ProjectKind::ALL.iter().map(|k| k.as_str()).collect();
    let statuses: Vec<&str> = ProjectStatus::ALL.iter().map(|k| k.as_str()).collect();
    let schema = json!({ "type": "object", "required": ["title", "kind", "status"], "properties": {
        "title": { "type": "string" }, "kind": { "type": "string", "enum": kinds },
        "theme": { "type": "string", "description": "One of the community's themes" },
        "states": { "type": "array", "items": { "type": "string" }, "description": "INEGI two-digit state codes" },
        "municipality": { "type": "string" }, "status": { "type": "string", "enum": statuses },
        "starts_on": { "type": "string", "format": "date" }, "ends_on": { "type": "string", "format": "date" },
        "description": { "type": "string" }, "members": ids,
        "add_ties": { "type": "string", "enum": ["on", ""], "description": "Add collaboration (or alliance) ties between the project's organizations to the Local System map" } } });
    let v = json!({
        "/communities/{slug}/projects": { "parameters": [slug],
            "get": { "summary": "The community's joint projects and alliances, newest first", "responses": { "200": ok("A page of projects"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Start a joint project or alliance (members)", "requestBody": body(schema.clone()),
                "responses": { "201": ok("The project"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/projects/{id}": { "parameters": [slug, id],
            "get": { "summary": "A project with its members, partners and linked outcomes", "responses": { "200": ok("The project"), "401": err, "403": err, "404": err } },
            "put": { "summary": "Replace a project (managers); partners stay", "requestBody": body(schema),
                "responses": { "200": ok("The project"), "401": err, "403": err, "404": err, "422": err } },
            "delete": { "summary": "Delete a project (managers); its outcomes stay", "responses": { "204": { "description": "Deleted" }, "401": err, "403": err, "404": err } } },
        "/communities/{slug}/projects/{id}/partners": { "parameters": [slug, id],
            "post": { "summary": "Add an outside partner with its role (managers)", "requestBody": body(json!({ "type": "object", "required": ["organization", "role"], "properties": {
                "organization": { "oneOf": [{ "type": "integer" }, { "type": "string" }] }, "role": { "type": "string" },
                "add_ties": { "type": "string", "enum": ["on", ""] } } })),
                "responses": { "201": ok("The project"), "401": err, "403": err, "404": err, "422": err } } }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
