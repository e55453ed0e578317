//! The sustainability JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API --------------------------------------------------------------------------------

pub(super) fn instrument_json(c: &Ctx) -> Value {
    json!({
        "key": INSTRUMENT.key, "version": INSTRUMENT.version, "title": c.t(INSTRUMENT.title),
        "scale": INSTRUMENT.scale.levels.iter().map(|l| json!({ "value": l.value, "label": c.t(l.label) })).collect::<Vec<_>>(),
        "dimensions": INSTRUMENT.sections.iter().map(|s| json!({
            "key": s.key, "title": c.t(s.title),
            "criteria": s.items.iter().map(|i| json!({ "key": i.key, "text": c.t(i.text), "source": i.source })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

pub(super) async fn api_instrument(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    member(&s, &c, &slug).await?;
    Ok(Json(instrument_json(&c)))
}

pub(super) async fn api_rounds(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::rounds_page(&s.db, w.l.community.id, PageReq::new(q.page, q.per_page)).await?;
    let t = today(&w.l.community);
    let mut v = page_json(&p);
    v["items"] = p
        .items
        .iter()
        .map(|r| {
            let mut x = json!(r);
            x["status"] = json!(round_status(r, t));
            x
        })
        .collect();
    Ok(Json(v))
}

pub(super) async fn api_create_round(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<RoundForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = write_round(&s, &c, &w, &form)
        .await?
        .map_err(AppError::Validation)?;
    let r = round_of(&s, &w, id).await?;
    Ok((StatusCode::CREATED, Json(json!(r))).into_response())
}

pub(super) async fn api_results(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let r = round_of(&s, &w, id).await?;
    let res = store::results(&s.db, r.id).await?;
    Ok(Json(json!({
        "round": r, "results": res, "disagreement_range": DISAGREEMENT_RANGE,
    })))
}

pub(super) async fn api_my_responses(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let person = w.rater().ok_or(AppError::Forbidden)?;
    let r = round_of(&s, &w, id).await?;
    let answers = rounds_store::responses_of(&s.db, r.id, person).await?;
    Ok(Json(json!({ "round": r, "responses": answers })))
}

/// `{"responses": {"<criterion key>": {"stage": 0–4 or null, "evidence": "…", "note": "…"}}}`;
/// a criterion left out is unchanged, one with everything empty is cleared.
pub(super) async fn api_save_responses(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<Value>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    if w.rater().is_none() {
        return Err(AppError::Forbidden);
    }
    let r = round_of(&s, &w, id).await?;
    let mut pairs = vec![];
    if let Some(m) = body.get("responses").and_then(Value::as_object) {
        for (k, v) in m {
            let (rn, en, nn) = field_names(k);
            let text = |x: Option<&Value>| match x {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            pairs.push((rn, text(v.get("stage"))));
            pairs.push((en, text(v.get("evidence"))));
            pairs.push((nn, text(v.get("note"))));
        }
    }
    write_responses(&s, &w, &r, &pairs)
        .await?
        .map_err(AppError::Validation)?;
    let person = w.rater().ok_or(AppError::Forbidden)?;
    let answers = rounds_store::responses_of(&s.db, r.id, person).await?;
    Ok(Json(json!({ "round": r, "responses": answers })))
}

pub(super) async fn api_create_action(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ActionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let r = round_of(&s, &w, id).await?;
    let aid = write_action(&s, &c, &w, &r, &form)
        .await?
        .map_err(AppError::Validation)?;
    let a = store::action(&s.db, w.l.community.id, aid)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(json!(a))).into_response())
}

pub(super) async fn api_actions(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::actions(&s.db, w.l.community.id, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(page_json(&p)))
}

pub(super) async fn api_action_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(f): ApiJson<StatusForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let a = write_action_status(&s, &c, &w, id, &f.status).await?;
    Ok(Json(json!(a)))
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
    let date = json!({ "type": "string", "format": "date" });
    let keys: Vec<&str> = INSTRUMENT.items().map(|i| i.key).collect();
    let v = json!({
        "/communities/{slug}/sustainability/instrument": { "parameters": [slug],
            "get": { "summary": "The sustainability instrument (the seed's Table 4): dimensions, criteria and the five maturity stages, in the caller's language (members)", "responses": { "200": ok("The instrument"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/sustainability/rounds": { "parameters": [slug],
            "get": { "summary": "The community's rounds, newest first, with status and respondents (members)", "responses": { "200": ok("A page of rounds"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Open a round (managers)", "requestBody": body(json!({ "type": "object", "required": ["title", "opens_on", "closes_on"], "properties": {
                "title": { "type": "string" }, "opens_on": date, "closes_on": date } })),
                "responses": { "201": ok("The round"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/sustainability/rounds/{id}/results": { "parameters": [slug, id],
            "get": { "summary": "Aggregate results per dimension and criterion: mean, median, min, max, spread (standard deviation), range, respondents, disagreement. Individual ratings are never shown", "responses": { "200": ok("Results"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/sustainability/rounds/{id}/responses": { "parameters": [slug, id],
            "get": { "summary": "My own answers in the round (participating members)", "responses": { "200": ok("My answers"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Save my answers while the round is open (participating members); criteria left out are unchanged, empty ones cleared",
                "requestBody": body(json!({ "type": "object", "properties": { "responses": { "type": "object", "description": "Criterion key → {stage, evidence, note}",
                    "additionalProperties": { "type": "object", "properties": { "stage": { "type": ["integer", "null"], "minimum": 0, "maximum": 4 }, "evidence": { "type": "string" }, "note": { "type": "string" } } } } } })),
                "responses": { "200": ok("My answers"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/sustainability/rounds/{id}/actions": { "parameters": [slug, id],
            "post": { "summary": "Turn a criterion into an action item with an owner (managers)", "requestBody": body(json!({ "type": "object", "required": ["item", "title", "owner", "due_on"], "properties": {
                "item": { "type": "string", "enum": keys }, "title": { "type": "string" }, "owner": { "type": "string", "description": "Id of a person of the community" }, "due_on": date } })),
                "responses": { "201": ok("The action item"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/sustainability/actions": { "parameters": [slug],
            "get": { "summary": "The community's sustainability action items, open first (members)", "responses": { "200": ok("A page of action items"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/sustainability/actions/{id}/status": { "parameters": [slug, id],
            "post": { "summary": "Change an action item's status (managers or its owner)", "requestBody": body(json!({ "type": "object", "required": ["status"], "properties": { "status": { "type": "string", "enum": ACTION_STATUSES } } })),
                "responses": { "200": ok("The action item"), "401": err, "403": err, "404": err, "422": err } } }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
