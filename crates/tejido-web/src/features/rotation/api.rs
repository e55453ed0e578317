//! The rotation JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API ---------------------------------------------------------------------------------------

pub(super) async fn api_get(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let roles = role_views(&s, &l.community).await?;
    let mut out = json!({
        "roles": roles.iter().map(RoleView::json).collect::<Vec<_>>(),
        "can_manage": l.access.manage,
    });
    if full_member(&l) {
        let (people, orgs) = pref_rows(&s, l.community.id).await?;
        out["preferences"] = json!({ "people": people, "organizations": orgs });
    }
    Ok(Json(out))
}

pub(super) async fn role_json(s: &AppState, l: &Loaded, role: Role) -> AppResult<Value> {
    let v = role_views(s, &l.community)
        .await?
        .into_iter()
        .find(|v| v.role == role)
        .ok_or(AppError::NotFound)?;
    Ok(v.json())
}

#[derive(Debug, Deserialize)]
pub(super) struct ApiPolicy {
    pub(super) mode: String,
    #[serde(default)]
    pub(super) required_skill: Option<String>,
    pub(super) term_days: u32,
}

pub(super) async fn api_policy(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, role)): Path<(String, String)>,
    ApiJson(b): ApiJson<ApiPolicy>,
) -> AppResult<Json<Value>> {
    let l = load_manage(&s, &c, &slug).await?;
    let role = parse_role(&role)?;
    let f = PolicyForm {
        mode: b.mode,
        required_skill: b.required_skill.unwrap_or_default(),
        term_days: b.term_days.to_string(),
    };
    set_policy(&s, &c, &l, role, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(Json(role_json(&s, &l, role).await?))
}

#[derive(Debug, Deserialize)]
pub(super) struct ApiSwap {
    pub(super) a: i64,
    pub(super) b: i64,
    #[serde(default)]
    pub(super) note: Option<String>,
}

pub(super) async fn api_swap(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, role)): Path<(String, String)>,
    ApiJson(body): ApiJson<ApiSwap>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let role = parse_role(&role)?;
    let mut e = FieldErrors::new();
    let note =
        tejido_core::validate::optional(&mut e, "note", body.note.as_deref().unwrap_or(""), 2000);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let (swap_id, decision_id) = record_swap(&s, &c, &l, role, body.a, body.b, note)
        .await?
        .map_err(AppError::Validation)?;
    let r = role_json(&s, &l, role).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "swap_id": swap_id, "decision_id": decision_id, "role": r })),
    )
        .into_response())
}

pub(super) async fn api_handover(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, role)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let l = load_manage(&s, &c, &slug).await?;
    let role = parse_role(&role)?;
    if let Err(code) = hand_over(&s, &c, &l, role).await? {
        let mut e = FieldErrors::new();
        e.add("role", code);
        return Err(AppError::Validation(e));
    }
    Ok(Json(role_json(&s, &l, role).await?))
}

pub(super) async fn api_prefs(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, kind, id)): Path<(String, String, i64)>,
    ApiJson(f): ApiJson<PreferencesForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let (kind, _) = prefs_target(&s, &c, &l, &kind, id).await?;
    set_preferences(&s, &c, &l, kind, id, &f)
        .await?
        .map_err(AppError::Validation)?;
    let p = store::preferences(&s.db, l.community.id, kind, id).await?;
    Ok(Json(json!({
        "kind": kind.as_str(),
        "id": id,
        "opted_out": p.opted_out,
        "skills": p.skills,
    })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let role = json!({ "name": "role", "in": "path", "required": true,
        "schema": { "type": "string", "enum": ROTATING.iter().map(|r| r.as_str()).collect::<Vec<_>>() } });
    let modes: Vec<&str> = Mode::ALL.iter().map(|m| m.as_str()).collect();
    let turn = json!({ "type": "object", "properties": {
        "ordinal": { "type": "integer" }, "starts_on": { "type": "string", "format": "date" },
        "id": { "type": "integer", "description": "Person or organization id, per the policy's mode" }, "name": { "type": "string" } } });
    let role_schema = json!({ "type": "object", "properties": {
        "role": { "type": "string" },
        "policy": { "type": "object", "nullable": true, "properties": {
            "mode": { "type": "string", "enum": modes }, "required_skill": { "type": "string", "nullable": true },
            "term_days": { "type": "integer" }, "updated_at": { "type": "string", "format": "date-time" } } },
        "holder": { "type": "object", "nullable": true },
        "upcoming": { "type": "array", "maxItems": HORIZON, "items": turn },
        "pending_swaps": { "type": "array", "items": { "type": "object" } } } });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let mut m = serde_json::Map::new();
    m.insert(
        "/communities/{slug}/rotation".into(),
        json!({
            "parameters": [slug],
            "get": { "summary": "Rotating roles: policy, current holder, the next six turns; others' preferences for members (not guests)",
                "responses": { "200": ok(json!({ "type": "object", "properties": {
                    "roles": { "type": "array", "items": role_schema }, "can_manage": { "type": "boolean" },
                    "preferences": { "type": "object", "description": "Absent for guests and non-members" } } })),
                    "401": err, "403": err, "404": err } }
        }),
    );
    m.insert(
        "/communities/{slug}/rotation/{role}/policy".into(),
        json!({
            "parameters": [slug, role],
            "put": { "summary": "Set a role's rotation policy (leaders, co-leaders, conveners)",
                "requestBody": body(json!({ "type": "object", "required": ["mode", "term_days"], "properties": {
                    "mode": { "type": "string", "enum": modes }, "required_skill": { "type": "string" },
                    "term_days": { "type": "integer", "minimum": 1, "maximum": 366 } } })),
                "responses": { "200": ok(role_schema.clone()), "401": err, "403": err, "404": err, "422": err } }
        }),
    );
    m.insert(
        "/communities/{slug}/rotation/{role}/swaps".into(),
        json!({
            "parameters": [slug, role],
            "post": { "summary": "Record a swap of the next turns of two holders, agreed by the community; also recorded in the decision log",
                "requestBody": body(json!({ "type": "object", "required": ["a", "b"], "properties": {
                    "a": { "type": "integer" }, "b": { "type": "integer" }, "note": { "type": "string" } } })),
                "responses": { "201": ok(json!({ "type": "object", "properties": {
                    "swap_id": { "type": "integer" }, "decision_id": { "type": "integer" }, "role": role_schema } })),
                    "401": err, "403": err, "404": err, "422": err } }
        }),
    );
    m.insert(
        "/communities/{slug}/rotation/{role}/handover".into(),
        json!({
            "parameters": [slug, role],
            "post": { "summary": "End the current term and hand the role to the next holder",
                "responses": { "200": ok(role_schema.clone()), "401": err, "403": err, "404": err, "422": err } }
        }),
    );
    m.insert(
        "/communities/{slug}/rotation/preferences/{kind}/{id}".into(),
        json!({
            "parameters": [slug,
                { "name": "kind", "in": "path", "required": true, "schema": { "type": "string", "enum": ["person", "organization"] } },
                { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "put": { "summary": "Set opt-outs and skills (a member their own; managers anyone's)",
                "requestBody": body(json!({ "type": "object", "properties": {
                    "opted_out": { "type": "array", "items": { "type": "string", "enum": ROTATING.iter().map(|r| r.as_str()).collect::<Vec<_>>() } },
                    "skills": { "type": "string", "description": "Comma-separated" } } })),
                "responses": { "200": ok(json!({ "type": "object" })), "401": err, "403": err, "404": err, "422": err } }
        }),
    );
    m
}
