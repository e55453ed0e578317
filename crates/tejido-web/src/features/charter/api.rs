//! The charter JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API -----------------------------------------------------------------------------------------

pub(super) fn charter_json(ch: &Charter) -> Value {
    let sections: Vec<Value> = Section::ALL
        .iter()
        .map(|s| {
            let body = ch.body(s.as_str());
            json!({ "section": s.as_str(), "body": body, "html": render_markdown(body) })
        })
        .collect();
    json!({
        "number": ch.version.number, "status": ch.version.status, "created_at": ch.version.created_at,
        "updated_at": ch.version.updated_at, "adopted_at": ch.version.adopted_at,
        "decision_id": ch.version.decision_id, "sections": sections,
    })
}

pub(super) async fn api_current(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let current = store::load(&s.db, l.community.id, Which::Adopted).await?;
    let draft = if l.access.manage {
        store::load(&s.db, l.community.id, Which::Draft).await?
    } else {
        None
    };
    Ok(Json(json!({
        "current": current.as_ref().map(charter_json),
        "draft": draft.as_ref().map(charter_json),
        "can_manage": l.access.manage,
    })))
}

pub(super) async fn api_versions(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load_reader(&s, &c, &slug).await?;
    let p = store::versions(
        &s.db,
        l.community.id,
        l.access.manage,
        PageReq::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(page_json(&p)))
}

pub(super) async fn api_compare(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<CompareQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load_reader(&s, &c, &slug).await?;
    let (a, b) = compared(&s, &l, &q).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!({
        "a": a.version.number, "b": b.version.number, "sections": diff_rows(&a, &b),
    })))
}

pub(super) async fn api_save_draft(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<CharterForm>,
) -> AppResult<Json<Value>> {
    let l = load_manage(&s, &c, &slug).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let n = write_draft(&s, &c, &l, &input).await?;
    let ch = store::load(&s.db, l.community.id, Which::Number(n))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(charter_json(&ch)))
}

pub(super) async fn api_adopt(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let draft = store::load(&s.db, l.community.id, Which::Draft)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = form.parse().map_err(AppError::Validation)?;
    let did = write_adoption(&s, &c, &l, &draft.version, &input).await?;
    let ch = store::load(&s.db, l.community.id, Which::Number(draft.version.number))
        .await?
        .ok_or(AppError::NotFound)?;
    let d = log::get(&s.db, l.community.id, did).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "charter": charter_json(&ch), "decision": d })),
    )
        .into_response())
}

pub(super) async fn api_decisions(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<LogQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load_reader(&s, &c, &slug).await?;
    let p = log::list(
        &s.db,
        l.community.id,
        q.q.as_deref(),
        PageReq::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(page_json(&p)))
}

pub(super) async fn api_create_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let id = write_decision(&s, &c, &l, &input)
        .await?
        .map_err(AppError::Validation)?;
    let d = log::get(&s.db, l.community.id, id).await?;
    Ok((StatusCode::CREATED, Json(json!(d))).into_response())
}

pub(super) async fn api_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load_reader(&s, &c, &slug).await?;
    let d = log::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let chain = store::correction_chain(&s.db, l.community.id, id).await?;
    Ok(Json(json!({ "decision": d, "chain": chain })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let created = |schema: Value| json!({ "description": "Created", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let int_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "integer" }, "description": d });
    let section_keys: Vec<&str> = Section::ALL.iter().map(|s| s.as_str()).collect();
    let methods: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
    let charter = json!({ "type": "object", "properties": {
        "number": { "type": "integer" }, "status": { "type": "string", "enum": ["draft", "adopted", "superseded"] },
        "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" },
        "adopted_at": { "type": "string", "format": "date-time", "nullable": true }, "decision_id": { "type": "integer", "nullable": true },
        "sections": { "type": "array", "items": { "type": "object", "properties": {
            "section": { "type": "string", "enum": section_keys }, "body": { "type": "string", "description": "Markdown" },
            "html": { "type": "string", "description": "Sanitized HTML rendered from the Markdown" } } } } } });
    let mut form_props = serde_json::Map::new();
    for k in &section_keys {
        form_props.insert(
            (*k).to_owned(),
            json!({ "type": "string", "description": "Markdown, at most 20,000 characters" }),
        );
    }
    let charter_form = json!({ "type": "object", "properties": form_props });
    let decision = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "title": { "type": "string" }, "body": { "type": "string", "nullable": true },
        "decided_on": { "type": "string", "format": "date" }, "method": { "type": "string", "enum": methods },
        "votes_for": { "type": "integer", "nullable": true }, "votes_against": { "type": "integer", "nullable": true },
        "votes_abstain": { "type": "integer", "nullable": true }, "decided_by": { "type": "string", "nullable": true },
        "source_kind": { "type": "string", "nullable": true }, "source_id": { "type": "integer", "nullable": true },
        "corrects_id": { "type": "integer", "nullable": true }, "corrected_by": { "type": "integer", "nullable": true },
        "recorded_at": { "type": "string", "format": "date-time" } } });
    let decision_form = json!({ "type": "object", "required": ["title", "decided_on", "method"], "properties": {
        "title": { "type": "string" }, "body": { "type": "string" }, "decided_on": { "type": "string", "description": "YYYY-MM-DD" },
        "method": { "type": "string", "enum": methods }, "votes_for": { "type": "string", "description": "Required for a vote" },
        "votes_against": { "type": "string", "description": "Required for a vote" }, "votes_abstain": { "type": "string" },
        "decided_by": { "type": "string" }, "corrects": { "type": "string", "description": "Id of the entry this one corrects; the old entry is left unchanged" } } });
    let paged = |item: Value| {
        json!({ "type": "object", "properties": { "items": { "type": "array", "items": item },
        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "total": { "type": "integer" }, "pages": { "type": "integer" } } })
    };
    let v = json!({
        "/communities/{slug}/charter": {
            "parameters": [slug],
            "get": { "summary": "The adopted charter (and the draft, for those who manage the community)",
                "responses": { "200": ok(json!({ "type": "object", "properties": { "current": charter, "draft": charter, "can_manage": { "type": "boolean" } } })), "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/charter/versions": {
            "parameters": [slug, int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "Charter versions, newest first (members)", "responses": { "200": ok(paged(json!({ "type": "object" }))), "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/charter/compare": {
            "parameters": [slug, int_q("a", "Older version number (default: the one before the adopted)"), int_q("b", "Newer version number (default: the adopted)")],
            "get": { "summary": "Compare two versions section by section", "responses": { "200": ok(json!({ "type": "object", "properties": {
                "a": { "type": "integer" }, "b": { "type": "integer" }, "sections": { "type": "array", "items": { "type": "object", "properties": {
                    "section": { "type": "string" }, "changed": { "type": "boolean" }, "segments": { "type": "array", "items": { "type": "object", "properties": {
                        "kind": { "type": "string", "enum": ["same", "added", "removed"] }, "text": { "type": "string" } } } } } } } } })), "400": err, "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/charter/draft": {
            "parameters": [slug],
            "put": { "summary": "Save the draft (created from the adopted text if there is none)", "requestBody": body(charter_form),
                "responses": { "200": ok(charter.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/charter/adopt": {
            "parameters": [slug],
            "post": { "summary": "Adopt the draft, recording the decision", "requestBody": body(decision_form.clone()),
                "responses": { "201": created(json!({ "type": "object", "properties": { "charter": charter, "decision": decision } })), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/decisions": {
            "parameters": [slug, { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "Words, accent-insensitive" }, int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "The decision log, newest first (members)", "responses": { "200": ok(paged(decision.clone())), "401": err, "403": err, "404": err } },
            "post": { "summary": "Record a decision; with `corrects`, a correction of an earlier entry", "requestBody": body(decision_form),
                "responses": { "201": created(decision.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/decisions/{id}": {
            "parameters": [slug, { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "get": { "summary": "One decision with its correction chain", "responses": { "200": ok(json!({ "type": "object", "properties": {
                "decision": decision, "chain": { "type": "array", "items": { "type": "object" } } } })), "401": err, "403": err, "404": err } }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
