//! The governance JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API ---------------------------------------------------------------------------------------

pub(super) async fn api_overview(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let o = overview(&s, &l.community).await?;
    Ok(Json(json!({
        "phase": o.phase.as_str(),
        "next_phase": o.next.map(|p| p.as_str()),
        "conditions": o.conditions,
        "six_steps": o.steps,
        "facts": o.facts,
        "progress": o.progress,
        "goals": o.goals,
    })))
}

pub(super) async fn api_create_goal(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<GoalForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let id = save_goal(&s, &c, &l, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub(super) async fn api_create_objective(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, goal_id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ObjectiveForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    store::goal(&s.db, l.community.id, goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = form.parse().map_err(AppError::Validation)?;
    let id = save_objective(&s, &c, &l, goal_id, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub(super) async fn api_change_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<StatusForm>,
) -> AppResult<Json<Value>> {
    let l = load_manage(&s, &c, &slug).await?;
    store::objective(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (status, comment) = form.parse().map_err(AppError::Validation)?;
    save_status(&s, &c, &l, id, status, comment.as_deref()).await?;
    let history = store::history(&s.db, id).await?;
    Ok(Json(
        json!({ "id": id, "status": status.as_str(), "history": history }),
    ))
}

pub(super) async fn api_advance_phase(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<DecisionForm>,
) -> AppResult<Json<Value>> {
    let l = load_manage(&s, &c, &slug).await?;
    let next = move_phase(&s, &c, &l, &form)
        .await?
        .map_err(AppError::Validation)?;
    Ok(Json(json!({ "phase": next.as_str() })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let obj = |props: Value, required: Value| json!({ "required": true, "content": { "application/json": { "schema": { "type": "object", "required": required, "properties": props } } } });
    let created = json!({ "description": "Created", "content": { "application/json": { "schema": { "type": "object", "properties": { "id": { "type": "integer" } } } } } });
    let ok = json!({ "description": "OK", "content": { "application/json": { "schema": { "type": "object" } } } });
    let decision = obj(
        json!({ "title": { "type": "string" }, "body": { "type": "string" }, "decided_on": { "type": "string", "format": "date" },
                "method": { "type": "string", "enum": ["consensus", "vote", "leadership"] }, "votes_for": { "type": "string" },
                "votes_against": { "type": "string" }, "votes_abstain": { "type": "string" }, "decided_by": { "type": "string" } }),
        json!(["title", "decided_on", "method"]),
    );
    let mut m = serde_json::Map::new();
    m.insert("/communities/{slug}/governance".into(), json!({ "parameters": [slug], "get": {
        "summary": "Phase, conditions for the next phase, the six steps checklist, goals with objectives and progress",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }));
    m.insert("/communities/{slug}/goals".into(), json!({ "parameters": [slug], "post": {
        "summary": "Add a goal (leaders, co-leaders, conveners)",
        "requestBody": obj(json!({ "title": { "type": "string" }, "description": { "type": "string" }, "horizon": { "type": "string", "enum": ["short", "medium", "long"] } }), json!(["title", "horizon"])),
        "responses": { "201": created, "401": err, "403": err, "422": err } } }));
    m.insert("/communities/{slug}/goals/{id}/objectives".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Add a measurable objective to a goal",
        "requestBody": obj(json!({ "title": { "type": "string" }, "indicator": { "type": "string" }, "target": { "type": "string" },
            "due_on": { "type": "string", "format": "date" }, "status": { "type": "string", "enum": ObjectiveStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>() } }),
            json!(["title", "indicator", "target"])),
        "responses": { "201": created, "401": err, "403": err, "404": err, "422": err } } }));
    m.insert("/communities/{slug}/objectives/{id}/status".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Change an objective's status, with a comment kept in its history",
        "requestBody": obj(json!({ "status": { "type": "string", "enum": ObjectiveStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>() }, "comment": { "type": "string" } }), json!(["status"])),
        "responses": { "200": ok, "401": err, "403": err, "404": err, "422": err } } }));
    m.insert(
        "/communities/{slug}/phase".into(),
        json!({ "parameters": [slug], "post": {
        "summary": "Move to the next phase: a recorded decision",
        "requestBody": decision,
        "responses": { "200": ok, "400": err, "401": err, "403": err, "422": err } } }),
    );
    m
}
