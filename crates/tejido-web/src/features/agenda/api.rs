//! The agenda JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API -------------------------------------------------------------------------------------

pub(super) async fn agenda_json(s: &AppState, c: &Ctx, sc: &Scope) -> AppResult<Value> {
    let me = member_person(s, c, &sc.l).await?;
    let b = board(s, sc, me).await?;
    let mine: Vec<Value> = b
        .topics
        .iter()
        .filter(|t| t.mine > 0)
        .map(|t| json!({ "topic_id": t.t.id, "dots": t.mine }))
        .collect();
    Ok(json!({
        "event_id": sc.event.id,
        "dots_per_member": b.budget,
        "voting_closes_at": sc.event.voting_closes_at,
        "voting_open": b.voting_open,
        "results_visible": b.results_visible,
        "voters": b.voters,
        "my_ballot": mine,
        "dots_left": (b.budget - b.used).max(0),
        "topics": b.topics,
        "items": b.items,
    }))
}

pub(super) async fn api_agenda(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    let sc = scope(&s, &c, &slug, id).await?;
    Ok(Json(agenda_json(&s, &c, &sc).await?))
}

pub(super) async fn api_topic(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<TopicForm>,
) -> AppResult<Response> {
    let sc = scope(&s, &c, &slug, id).await?;
    let person = require_member(&s, &c, &sc.l).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let tid = save_topic(&s, &c, &sc, person, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": tid }))).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct BallotJson {
    pub(super) votes: Vec<BallotLine>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct BallotLine {
    pub(super) topic_id: i64,
    pub(super) dots: i64,
}

pub(super) async fn api_votes(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<BallotJson>,
) -> AppResult<Json<Value>> {
    let sc = scope(&s, &c, &slug, id).await?;
    let person = require_member(&s, &c, &sc.l).await?;
    let lines: Vec<(i64, i64)> = body.votes.iter().map(|v| (v.topic_id, v.dots)).collect();
    let saved = save_ballot(&s, &c, &sc, person, &lines)
        .await?
        .map_err(AppError::Validation)?;
    let used: i64 = saved.iter().map(|(_, d)| *d).sum();
    Ok(Json(json!({
        "ballot": saved.iter().map(|(t, d)| json!({ "topic_id": t, "dots": d })).collect::<Vec<_>>(),
        "dots_left": (i64::from(sc.event.dots_per_member) - used).max(0),
    })))
}

pub(super) async fn api_item(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<SlotForm>,
) -> AppResult<Response> {
    let sc = managed(&s, &c, &slug, id).await?;
    let iid = save_item(&s, &c, &sc, &form)
        .await?
        .map_err(AppError::Validation)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": iid }))).into_response())
}

pub(super) async fn api_roles(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    let sc = scope(&s, &c, &slug, id).await?;
    let (roles, _) = role_views(&s, &sc).await?;
    Ok(Json(json!({ "roles": roles })))
}

pub(super) async fn api_roles_propose(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    let sc = managed(&s, &c, &slug, id).await?;
    let n = propose_from_rotation(&s, &c, &sc).await?;
    let (roles, _) = role_views(&s, &sc).await?;
    Ok(Json(json!({ "proposed": n, "roles": roles })))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct RoleJson {
    pub(super) person_id: i64,
}

pub(super) async fn api_role(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, role)): Path<(String, i64, String)>,
    ApiJson(body): ApiJson<RoleJson>,
) -> AppResult<Json<Value>> {
    let sc = managed(&s, &c, &slug, id).await?;
    let form = RoleForm {
        person_id: body.person_id.to_string(),
    };
    confirm(&s, &c, &sc, &role, &form)
        .await?
        .map_err(AppError::Validation)?;
    let (roles, _) = role_views(&s, &sc).await?;
    Ok(Json(json!({ "roles": roles })))
}

pub(super) async fn api_ownership(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let rows = ownership(&s, &l.community).await?;
    let trend = own::trend(&rows.iter().map(|r| r.index).collect::<Vec<_>>());
    Ok(Json(json!({ "events": rows, "trend": trend })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" }, "description": "The event" });
    let role = json!({ "name": "role", "in": "path", "required": true, "schema": { "type": "string", "enum": EVENT_ROLES.iter().map(|r| r.as_str()).collect::<Vec<_>>() } });
    let obj = |props: Value, required: Value| json!({ "required": true, "content": { "application/json": { "schema": { "type": "object", "required": required, "properties": props } } } });
    let created = json!({ "description": "Created", "content": { "application/json": { "schema": { "type": "object", "properties": { "id": { "type": "integer" } } } } } });
    let ok = json!({ "description": "OK", "content": { "application/json": { "schema": { "type": "object" } } } });
    let methods: Vec<&str> = Methodology::ALL.iter().map(|m| m.as_str()).collect();
    let mut m = serde_json::Map::new();
    m.insert("/communities/{slug}/events/{id}/agenda".into(), json!({ "parameters": [slug, id], "get": {
        "summary": "Topic proposals (dot results only once voting closed, or to those who manage), my ballot, the agenda with facilitators and credited proposers",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }));
    m.insert("/communities/{slug}/events/{id}/agenda/topics".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Propose a topic (members)",
        "requestBody": obj(json!({ "title": { "type": "string" }, "why": { "type": "string" }, "methodology": { "type": "string", "enum": methods } }), json!(["title", "why"])),
        "responses": { "201": created, "401": err, "403": err, "404": err, "422": err } } }));
    m.insert("/communities/{slug}/events/{id}/agenda/votes".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Replace my ballot: dots spread or stacked over topics, within the event's dots per member; refused whole when over budget or after voting closed",
        "requestBody": obj(json!({ "votes": { "type": "array", "items": { "type": "object", "required": ["topic_id", "dots"], "properties": { "topic_id": { "type": "integer" }, "dots": { "type": "integer", "minimum": 0 } } } } }), json!(["votes"])),
        "responses": { "200": ok, "401": err, "403": err, "404": err, "422": err } } }));
    m.insert("/communities/{slug}/events/{id}/agenda/items".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Add an agenda slot (leaders, co-leaders, conveners): from a proposal (its proposer credited), a titled slot, or an open-space slot for topics raised on the day. Local date and times in the event's time zone",
        "requestBody": obj(json!({ "topic_id": { "type": "string" }, "title": { "type": "string" }, "date": { "type": "string", "format": "date" },
            "starts_at": { "type": "string", "example": "10:00" }, "ends_at": { "type": "string", "example": "11:30" },
            "methodology": { "type": "string", "enum": methods }, "facilitator": { "type": "string", "description": "person id" },
            "co_facilitator": { "type": "string", "description": "person id" }, "open_space": { "type": "string", "enum": ["", "true"] } }),
            json!(["date", "starts_at", "ends_at"])),
        "responses": { "201": created, "401": err, "403": err, "404": err, "422": err } } }));
    m.insert("/communities/{slug}/events/{id}/agenda/roles".into(), json!({ "parameters": [slug, id], "get": {
        "summary": "The event's facilitator, rapporteur and timekeeper, and who the community's rotation proposes next",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }));
    m.insert("/communities/{slug}/events/{id}/agenda/roles/propose".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Propose the roles not yet confirmed from the community's rotation (leaders, co-leaders, conveners)",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }));
    m.insert(
        "/communities/{slug}/events/{id}/agenda/roles/{role}".into(),
        json!({ "parameters": [slug, id, role], "post": {
        "summary": "Confirm a role's holder, or swap in another member (recorded)",
        "requestBody": obj(json!({ "person_id": { "type": "integer" } }), json!(["person_id"])),
        "responses": { "200": ok, "401": err, "403": err, "404": err, "422": err } } }),
    );
    m.insert("/communities/{slug}/ownership".into(), json!({ "parameters": [slug], "get": {
        "summary": "Local ownership index of the community's latest events (oldest first) with its components, and the trend",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }));
    m
}
