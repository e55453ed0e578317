//! The library JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API --------------------------------------------------------------------------------

pub(super) fn resource_json(r: &Resource, attachments: &[Upload]) -> Value {
    let base = format!("/library/{}/files", r.id);
    json!({
        "id": r.id,
        "kind": r.kind,
        "title": r.title,
        "body": r.body,
        "url": r.url,
        "language": r.language,
        "themes": r.theme_list(),
        "visibility": r.visibility,
        "community": r.community_slug,
        "community_id": r.community_id,
        "organization_id": r.organization_id,
        "organization": r.organization_name,
        "source": r.source_kind.as_ref().map(|k| json!({ "kind": k, "id": r.source_id, "title": r.source_title, "url": r.source_url() })),
        "version": r.version,
        "author": r.author_name,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
        "page_url": format!("/library/{}", r.id),
        "attachments": attachments.iter().map(|u| {
            let mut v = uploads::json(u, &base);
            v["api_download_url"] = json!(format!("/api/v1/library/{}/files/{}", r.id, u.id));
            v
        }).collect::<Vec<_>>(),
    })
}

pub(super) async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<LibraryQuery>,
) -> AppResult<Json<Value>> {
    let page = store::list(&s.db, viewer(&c), &q.filter(), PageReq::new(q.page, None)).await?;
    let ids: Vec<i64> = page.items.iter().map(|r| r.id).collect();
    let attached = files::list_for_many(&s.db, OwnerKind::Resource, &ids).await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|r| {
            let mine: Vec<Upload> = attached
                .iter()
                .filter(|a| a.owner_id == r.id)
                .map(|a| a.upload.clone())
                .collect();
            resource_json(r, &mine)
        })
        .collect();
    Ok(Json(json!({
        "items": items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    })))
}

pub(super) async fn api_get(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    let r = load_visible(&s, &c, id).await?;
    let a = files::list_for(&s.db, OwnerKind::Resource, r.id).await?;
    Ok(Json(resource_json(&r, &a)))
}

pub(super) async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    ApiJson(form): ApiJson<ResourceForm>,
) -> AppResult<Response> {
    require_author(&c)?;
    let input = form.parse().map_err(AppError::Validation)?;
    let mut e = FieldErrors::new();
    check_refs(&s, &c, &input, &mut e).await?;
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let id = write_new(&s, &c, &input, &[]).await?;
    let r = load_visible(&s, &c, id).await?;
    Ok((StatusCode::CREATED, Json(resource_json(&r, &[]))).into_response())
}

pub(super) async fn api_update(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<ResourceForm>,
) -> AppResult<Json<Value>> {
    let r = load_editable(&s, &c, id).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let mut e = FieldErrors::new();
    check_refs(&s, &c, &input, &mut e).await?;
    if r.community_id == input.community_id
        && e.get("community") == Some("library-error-not-member")
    {
        e.0.retain(|x| x.field != "community");
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    write_edit(&s, &c, id, &input, &[], &[]).await?;
    let r = load_visible(&s, &c, id).await?;
    let a = files::list_for(&s.db, OwnerKind::Resource, r.id).await?;
    Ok(Json(resource_json(&r, &a)))
}

pub(super) async fn api_file(
    State(s): State<AppState>,
    c: Ctx,
    Path((id, upload_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    file(State(s), c, Path((id, upload_id))).await
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": { "type": "object" } } } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let upload = json!({ "name": "upload_id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let vis: Vec<&str> = Visibility::ALL.iter().map(|k| k.as_str()).collect();
    let q = |name: &str, schema: Value| json!({ "name": name, "in": "query", "required": false, "schema": schema });
    let body = json!({ "required": true, "content": { "application/json": { "schema": { "type": "object",
        "required": ["kind", "title", "language", "visibility"], "properties": {
        "kind": { "type": "string", "enum": kinds }, "title": { "type": "string" },
        "body": { "type": "string", "description": "Markdown (required except for links)" },
        "url": { "type": "string", "description": "http(s) address; required for links" },
        "language": { "type": "string", "enum": LANGUAGES }, "themes": { "type": "string", "description": "Comma-separated" },
        "visibility": { "type": "string", "enum": vis, "description": "Contact lists are never public" },
        "community": { "type": "string", "description": "Community id; required for community visibility; the author must belong to it" },
        "organization": { "type": "string", "description": "Author organization id" },
        "source_kind": { "type": "string", "enum": ["event", "review", "minutes", ""] },
        "source_id": { "type": "string", "description": "Event id (event, minutes) or review id, in the same community" } } } } } });
    let v = json!({
        "/library": {
            "get": { "summary": "Library resources the caller may see, newest first, with their attachments",
                "parameters": [q("kind", json!({ "type": "string", "enum": kinds })), q("theme", json!({ "type": "string" })),
                    q("language", json!({ "type": "string", "enum": LANGUAGES })), q("community", json!({ "type": "integer" })),
                    q("page", json!({ "type": "integer" }))],
                "responses": { "200": ok("A page of resources"), "401": err } },
            "post": { "summary": "Create a resource (signed-in people with a person record); attachments are added on the page",
                "requestBody": body.clone(), "responses": { "201": ok("The resource"), "401": err, "403": err, "422": err } } },
        "/library/{id}": { "parameters": [id.clone()],
            "get": { "summary": "One resource with its attachments (download URLs)", "responses": { "200": ok("The resource"), "401": err, "403": err, "404": err } },
            "put": { "summary": "Edit a resource, keeping the previous version (author, community managers, admins)",
                "requestBody": body, "responses": { "200": ok("The resource"), "401": err, "403": err, "404": err, "422": err } } },
        "/library/{id}/files/{upload_id}": { "parameters": [id, upload],
            "get": { "summary": "Download an attachment (always as an attachment, same authorization as the resource)",
                "responses": { "200": { "description": "The file", "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } }, "401": err, "403": err, "404": err } } },
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
