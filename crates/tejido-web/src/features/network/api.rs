//! The network JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API ------------------------------------------------------------------------------------

pub(super) async fn api_network(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<MapQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    let at = core::parse_date(&q.at).unwrap_or_else(|| today(&net.l.community));
    let kind = TieKind::parse(&q.kind).filter(|k| net.leader || !k.sensitive());
    let current = network_at(&s, &net, at, kind).await?;
    let change = match core::parse_date(&q.baseline) {
        Some(b) => {
            let before = network_at(&s, &net, b, kind).await?;
            Some(change_between(&before, &current, b))
        }
        None => None,
    };
    let explanations: serde_json::Map<String, Value> = core::FIGURES
        .iter()
        .map(|f| {
            (
                (*f).to_owned(),
                Value::String(c.tr().t(&core::explanation_id(f))),
            )
        })
        .collect();
    Ok(Json(json!({
        "at": at, "kind": kind, "can_manage": net.leader,
        "figures": current.figures, "ties": current.ties, "change": change,
        "explanations": explanations,
    })))
}

pub(super) async fn api_add_tie(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<TieForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    let input = parse_tie(&s, &net, &form)
        .await?
        .map_err(AppError::Validation)?;
    let ids = write_ties(
        &s,
        &c,
        &net,
        &[input],
        TieSource::Member,
        None,
        "network-tie-added",
    )
    .await?;
    let id = ids.first().copied().ok_or(AppError::NotFound)?;
    // The caller recorded it, so it sees it even when its kind is hidden from its map.
    let t = store::tie(&s.db, net.l.community.id, id, &net.kinds(), net.user)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(json!(t))).into_response())
}

pub(super) async fn api_end_tie(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<EndForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    do_end(&s, &c, &net, id, &form).await?;
    Ok(Json(json!(
        store::tie(&s.db, net.l.community.id, id, &net.kinds(), net.user).await?
    )))
}

pub(super) async fn api_export(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, format)): Path<(String, String)>,
    Query(q): Query<MapQuery>,
) -> AppResult<Response> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    let (ctype, name, body) = export_body(&s, &net, &format, &q).await?;
    Ok(download(ctype, &name, body))
}

pub(super) async fn api_rounds(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    Ok(Json(
        json!({ "items": store::rounds(&s.db, net.l.community.id, ROUNDS_LIMIT).await? }),
    ))
}

pub(super) async fn api_open_round(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<RoundForm>,
) -> AppResult<Response> {
    let net = load_leader(&s, &c, &slug).await?;
    let title = form.parse().map_err(AppError::Validation)?;
    let id = write_round(&s, &c, &net, &title).await?;
    let r = store::round(&s.db, net.l.community.id, id).await?;
    Ok((StatusCode::CREATED, Json(json!(r))).into_response())
}

pub(super) async fn api_round(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    let round = store::round(&s.db, net.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let n = network_of_round(&s, &net, id).await?;
    let answers = if net.leader { Some(&n.ties) } else { None };
    Ok(Json(
        json!({ "round": round, "figures": n.figures, "answers": answers }),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct AnswersForm {
    pub(super) answers: Vec<TieForm>,
}

pub(super) async fn api_answer_round(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<AnswersForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    let (round, org) = may_answer(&s, &net, id).await?;
    if form.answers.len() > store::MAX_TIES as usize {
        return Err(AppError::Validation(FieldErrors::single(
            "answers",
            "error-too-long",
        )));
    }
    let ties = parse_answers(&s, &net, org, &form.answers)
        .await?
        .map_err(AppError::Validation)?;
    write_answers(&s, &c, &net, &round, org, &ties).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "round": id, "organization": org, "ties": ties.len() })),
    )
        .into_response())
}

pub(super) async fn api_import(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ImportForm>,
) -> AppResult<Response> {
    let net = load_leader(&s, &c, &slug).await?;
    let outcome = do_import(&s, &c, &net, &form).await?;
    let status = if outcome.bad.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(json!(outcome))).into_response())
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let created = |schema: Value| json!({ "description": "Created", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let str_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "string" }, "description": d });
    let kinds: Vec<&str> = TieKind::ALL.iter().map(|k| k.as_str()).collect();
    let tie = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "from_org": { "type": "integer" }, "from_name": { "type": "string" }, "from_kind": { "type": "string" },
        "to_org": { "type": "integer" }, "to_name": { "type": "string" }, "to_kind": { "type": "string" },
        "kind": { "type": "string", "enum": kinds }, "directed": { "type": "boolean" }, "strength": { "type": "integer", "minimum": 1, "maximum": 3 },
        "trust": { "type": "integer", "nullable": true }, "value": { "type": "integer", "nullable": true },
        "started_on": { "type": "string", "format": "date" }, "ended_on": { "type": "string", "format": "date", "nullable": true },
        "source": { "type": "string" }, "round_id": { "type": "integer", "nullable": true }, "via_community": { "type": "boolean" } } });
    let tie_form = json!({ "type": "object", "required": ["from", "to", "kind", "strength"], "properties": {
        "from": { "type": "string", "description": "Organization id" }, "to": { "type": "string", "description": "Organization id" },
        "kind": { "type": "string", "enum": kinds, "description": "funding is sensitive: managers only" },
        "strength": { "type": "string", "description": "1–3" }, "trust": { "type": "string", "description": "1–4" }, "value": { "type": "string", "description": "1–4" },
        "started_on": { "type": "string", "description": "YYYY-MM-DD, default today" }, "ended_on": { "type": "string" }, "via_community": { "type": "string", "description": "true when formed through the community" } } });
    let round = json!({ "type": "object", "properties": { "id": { "type": "integer" }, "title": { "type": "string" },
        "opened_on": { "type": "string", "format": "date" }, "closed_at": { "type": "string", "nullable": true }, "answers": { "type": "integer" } } });
    let fig = json!({ "type": "object", "description": "size, ties, density, average_degree, centralization, components, isolates, clustering, communities, modularity, cross_sector_share, ei_index, trust, value, brokerage_by_sector, nodes" });
    let file = json!({ "description": "The file", "content": { "application/octet-stream": { "schema": { "type": "string" } } } });
    let import_out = json!({ "type": "object", "properties": { "dry_run": { "type": "boolean" }, "rows": { "type": "integer" }, "imported": { "type": "integer" },
        "bad": { "type": "array", "items": { "type": "object", "properties": { "line": { "type": "integer" }, "errors": { "type": "array" } } } } } });
    let v = json!({
        "/communities/{slug}/network": {
            "parameters": [slug, str_q("at", "Date YYYY-MM-DD (default today)"), str_q("baseline", "Baseline date for the change"), str_q("kind", "Only ties of this kind")],
            "get": { "summary": "The community's network at a date: figures (computed with tejido-graph), ties, change against a baseline, plain-language explanations (members; sensitive kinds for managers only)",
                "responses": { "200": ok(json!({ "type": "object", "properties": { "figures": fig, "ties": { "type": "array", "items": tie }, "change": { "type": "object", "nullable": true }, "explanations": { "type": "object" } } })), "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/network/ties": {
            "parameters": [slug],
            "post": { "summary": "Enter a tie (members; one end must be a member organization)", "requestBody": body(tie_form.clone()),
                "responses": { "201": created(tie.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/network/ties/{id}/end": {
            "parameters": [slug, id],
            "post": { "summary": "End a tie (managers); ties are never deleted", "requestBody": body(json!({ "type": "object", "properties": { "ended_on": { "type": "string", "description": "YYYY-MM-DD, default today" } } })),
                "responses": { "200": ok(tie), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/network/export/{format}": {
            "parameters": [slug, json!({ "name": "format", "in": "path", "required": true, "schema": { "type": "string", "enum": ["gexf", "graphml", "nodes.csv", "edges.csv", "json"] } }), str_q("at", "Date YYYY-MM-DD"), str_q("kind", "Only ties of this kind")],
            "get": { "summary": "The network at a date as GEXF, GraphML, CSV node or edge list, or node-link JSON (members)", "responses": { "200": file, "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/network/surveys": {
            "parameters": [slug],
            "get": { "summary": "Relationship survey rounds, newest first (members)", "responses": { "200": ok(json!({ "type": "object", "properties": { "items": { "type": "array", "items": round } } })), "401": err, "403": err, "404": err } },
            "post": { "summary": "Open a survey round (managers)", "requestBody": body(json!({ "type": "object", "required": ["title"], "properties": { "title": { "type": "string" } } })),
                "responses": { "201": created(round.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/network/surveys/{id}": {
            "parameters": [slug, id],
            "get": { "summary": "A round with the figures of its answers; the answers themselves for managers", "responses": { "200": ok(json!({ "type": "object" })), "401": err, "403": err, "404": err } },
            "post": { "summary": "Answer a round for my organization (a member of a member organization, once per round)",
                "requestBody": body(json!({ "type": "object", "required": ["answers"], "properties": { "answers": { "type": "array", "items": tie_form } } })),
                "responses": { "201": created(json!({ "type": "object" })), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/network/import": {
            "parameters": [slug],
            "post": { "summary": "Import ties from CSV (managers); every bad row is reported by line and nothing is imported if any is bad; dry_run checks only",
                "requestBody": body(json!({ "type": "object", "required": ["csv"], "properties": { "csv": { "type": "string" }, "dry_run": { "type": "string" } } })),
                "responses": { "200": ok(import_out.clone()), "401": err, "403": err, "404": err, "422": ok(import_out) } }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
