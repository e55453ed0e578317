//! The outcomes JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

pub(super) async fn api_attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, file)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    c.require_user()?;
    attachment(State(s), c, Path((slug, id, file))).await
}

// ---- JSON API ----------------------------------------------------------------------------------

pub(super) async fn outcome_json(s: &AppState, w: &Who, o: &Outcome) -> AppResult<Value> {
    let d = detail(s, w, o).await?;
    Ok(json!({
        "outcome": o,
        "organizations": d.orgs,
        "links": d.links,
        "events": d.events,
        "projects": d.projects,
        "ties": d.ties,
        "attachments": d.attachments.iter()
            .map(|u| crate::uploads::json(u, &format!("/api/v1/communities/{}/outcomes/{}/files", w.l.community.slug, o.id)))
            .collect::<Vec<_>>(),
    }))
}

pub(super) async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<FilterForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = viewer(&s, &c, &slug).await?;
    let f = q.parse();
    let cid = w.l.community.id;
    let page = store::list(&s.db, cid, &f, PageReq::new(q.page, q.per_page)).await?;
    let (summary, overall) = store::summary(&s.db, cid, &f).await?;
    let ids: Vec<i64> = page.items.iter().map(|o| o.id).collect();
    let orgs = store::organizations_of(&s.db, &ids).await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|o| {
            let mine: Vec<&OrgRef> = orgs.iter().filter(|r| r.owner_id == o.id).collect();
            json!({ "outcome": o, "organizations": mine })
        })
        .collect();
    let mut v = page_json(&Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    });
    v["by_theme"] = json!(ordered(&w.l.community, summary));
    v["overall"] = json!({ "outcomes": overall.outcomes, "organizations": overall.organizations });
    Ok(Json(v))
}

pub(super) async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<OutcomeForm>,
) -> AppResult<Response> {
    let w = proposer(&s, &c, &slug).await?;
    let id = write(&s, &c, &w, &form, None)
        .await?
        .map_err(AppError::Validation)?;
    let o = outcome_of(&s, &w, id).await?;
    Ok((StatusCode::CREATED, Json(outcome_json(&s, &w, &o).await?)).into_response())
}

pub(super) async fn api_get(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = viewer(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    Ok(Json(outcome_json(&s, &w, &o).await?))
}

pub(super) async fn api_update(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<OutcomeForm>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    write(&s, &c, &w, &form, Some(o.id))
        .await?
        .map_err(AppError::Validation)?;
    let o = outcome_of(&s, &w, id).await?;
    Ok(Json(outcome_json(&s, &w, &o).await?))
}

pub(super) async fn api_verify(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    write_verify(&s, &c, &w, &o).await?;
    let o = outcome_of(&s, &w, id).await?;
    Ok(Json(outcome_json(&s, &w, &o).await?))
}

pub(super) async fn api_delete(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<StatusCode> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    write_delete(&s, &c, &w, &o).await?;
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
    let q = |name: &str, d: &str| json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" }, "description": d });
    let ids = json!({ "type": "array", "items": { "oneOf": [{ "type": "integer" }, { "type": "string" }] } });
    let kinds: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
    let substs: Vec<&str> = Substantiation::ALL.iter().map(|k| k.as_str()).collect();
    let views: Vec<&str> = SourceView::ALL.iter().map(|k| k.as_str()).collect();
    let schema = json!({ "type": "object",
        "required": ["description", "change_kind", "significance", "contribution", "theme", "happened_on", "organizations"],
        "properties": {
            "description": { "type": "string", "description": "Who changed what, when and where" },
            "change_kind": { "type": "string", "enum": kinds },
            "significance": { "type": "string" }, "contribution": { "type": "string", "description": "How the community contributed" },
            "theme": { "type": "string", "description": "One of the community's themes" },
            "happened_on": { "type": "string", "format": "date" },
            "organizations": ids, "events": ids, "projects": ids, "ties": ids,
            "links": { "type": "string", "description": "One per line: an http(s) address, then an optional label" },
            "substantiation": { "type": "string", "enum": substs, "description": "verified: managers only" },
            "source_name": { "type": "string" }, "source_view": { "type": "string", "enum": views } } });
    let v = json!({
        "/communities/{slug}/outcomes": { "parameters": [slug],
            "get": { "summary": "Significant outcomes by theme, with outcomes and distinct organizations per theme and overall",
                "parameters": [q("theme", "One theme"), q("from", "YYYY-MM-DD"), q("to", "YYYY-MM-DD"), q("substantiation", "claimed, substantiated or verified"), q("page", "Page number"), q("per_page", "Up to 100")],
                "responses": { "200": ok("A page of outcomes, by_theme and overall"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Propose an outcome (members; verified only by managers)", "requestBody": body(schema.clone()),
                "responses": { "201": ok("The outcome"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/outcomes/{id}": { "parameters": [slug, id],
            "get": { "summary": "An outcome with its organizations, links, events, projects and ties", "responses": { "200": ok("The outcome"), "401": err, "403": err, "404": err } },
            "put": { "summary": "Replace an outcome (managers)", "requestBody": body(schema),
                "responses": { "200": ok("The outcome"), "401": err, "403": err, "404": err, "422": err } },
            "delete": { "summary": "Delete an outcome (managers)", "responses": { "204": { "description": "Deleted" }, "401": err, "403": err, "404": err } } },
        "/communities/{slug}/outcomes/{id}/files/{file}": { "parameters": [slug, id, { "name": "file", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "get": { "summary": "Download an evidence file of an outcome (served as an attachment)", "responses": { "200": { "description": "The file", "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } }, "401": err, "403": err, "404": err } } },
        "/communities/{slug}/outcomes/{id}/verify": { "parameters": [slug, id],
            "post": { "summary": "Mark an outcome verified (managers)", "responses": { "200": ok("The outcome"), "401": err, "403": err, "404": err } } }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
