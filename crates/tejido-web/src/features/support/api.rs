//! The support JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API --------------------------------------------------------------------------------

pub(super) async fn ask_json(s: &AppState, a: &Ask, page: PageReq) -> AppResult<Value> {
    let communities = store::ask_communities(&s.db, a.id).await?;
    let matches: Vec<Value> = store::matches(&s.db, a.id)
        .await?
        .into_iter()
        .map(|m| {
            let reasons: Vec<Value> = m
                .reasons
                .lines()
                .filter_map(Reason::decode)
                .map(|(k, v)| json!({ "kind": k, "value": v }))
                .collect();
            json!({ "organization_id": m.organization_id, "name": m.name, "score": m.score,
                    "invited": m.invited, "reasons": reasons })
        })
        .collect();
    let helpers = store::helpers(&s.db, a.id).await?;
    let answers = store::answers(&s.db, a.id, page).await?;
    let mut v = json!(a);
    v["communities"] = json!(communities);
    v["matches"] = json!(matches);
    v["helpers"] = json!(helpers);
    v["answers"] = page_json(&answers);
    Ok(v)
}

pub(super) async fn api_asks(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<ListQ>,
) -> AppResult<Json<Value>> {
    let me = me(&s, &c).await?;
    let p = store::visible_asks(
        &s.db,
        me.admin,
        me.person,
        &q.filter(),
        PageReq::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(page_json(&p)))
}

pub(super) async fn api_ask_create(
    State(s): State<AppState>,
    c: Ctx,
    ApiJson(form): ApiJson<AskForm>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let input = form.parse(today_here()).map_err(AppError::Validation)?;
    let id = write_ask(&s, &c, &me, &input)
        .await?
        .map_err(AppError::Validation)?;
    let a = store::get_ask(&s.db, id).await?.ok_or(AppError::NotFound)?;
    let v = ask_json(&s, &a, PageReq::new(None, None)).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

pub(super) async fn api_ask(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PageQ>,
) -> AppResult<Json<Value>> {
    let me = me(&s, &c).await?;
    let a = visible_ask(&s, &me, id).await?;
    Ok(Json(
        ask_json(&s, &a, PageReq::new(q.page, q.per_page)).await?,
    ))
}

pub(super) async fn api_answer(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<AnswerForm>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let a = visible_ask(&s, &me, id).await?;
    let body = form.parse().map_err(AppError::Validation)?;
    let aid = write_answer(&s, &me, &a, &body).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": aid, "ask_id": id, "body": body })),
    )
        .into_response())
}

pub(super) async fn api_close(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<CloseForm>,
) -> AppResult<Json<Value>> {
    let me = me(&s, &c).await?;
    let a = visible_ask(&s, &me, id).await?;
    let (status, helpers) = form.parse().map_err(AppError::Validation)?;
    write_close(&s, &me, &a, status, &helpers)
        .await?
        .map_err(AppError::Validation)?;
    let a = store::get_ask(&s.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(ask_json(&s, &a, PageReq::new(None, None)).await?))
}

pub(super) async fn api_offers(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<PageQ>,
) -> AppResult<Json<Value>> {
    let me = me(&s, &c).await?;
    let org = me.org.as_ref().ok_or(AppError::Forbidden)?;
    let p = store::offers_of(&s.db, org.id, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(page_json(&p)))
}

pub(super) async fn api_offer_create(
    State(s): State<AppState>,
    c: Ctx,
    ApiJson(form): ApiJson<OfferForm>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    if me.org.is_none() {
        return Err(AppError::Forbidden);
    }
    let input = form.parse().map_err(AppError::Validation)?;
    let id = write_offer(&s, &me, None, &input).await?;
    let o = store::get_offer(&s.db, id).await?;
    Ok((StatusCode::CREATED, Json(json!(o))).into_response())
}

pub(super) async fn api_offer_update(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<OfferForm>,
) -> AppResult<Json<Value>> {
    let me = me(&s, &c).await?;
    let o = editable_offer(&s, &me, id).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    write_offer(&s, &me, Some(&o), &input).await?;
    let o = store::get_offer(&s.db, id).await?;
    Ok(Json(json!(o)))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let created = |schema: Value| json!({ "description": "Created", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let int_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "integer" }, "description": d });
    let str_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "string" }, "description": d });
    let urgencies: Vec<&str> = Urgency::ALL.iter().map(|u| u.as_str()).collect();
    let statuses: Vec<&str> = AskStatus::ALL.iter().map(|u| u.as_str()).collect();
    let named = json!({ "type": "object", "properties": { "id": { "type": "integer" }, "name": { "type": "string" }, "slug": { "type": "string" } } });
    let ask = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "organization_id": { "type": "integer" }, "organization_name": { "type": "string" },
        "asker_user_id": { "type": "integer" }, "asker_name": { "type": "string" }, "title": { "type": "string" },
        "need": { "type": "string", "description": "Markdown" }, "theme": { "type": "string" },
        "urgency": { "type": "string", "enum": urgencies }, "deadline": { "type": "string", "format": "date", "nullable": true },
        "status": { "type": "string", "enum": statuses }, "closed_at": { "type": "string", "format": "date-time", "nullable": true },
        "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" } } });
    let paged = |it: Value| {
        json!({ "type": "object", "properties": { "items": { "type": "array", "items": it },
        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "total": { "type": "integer" }, "pages": { "type": "integer" } } })
    };
    let answer = json!({ "type": "object", "properties": { "id": { "type": "integer" }, "ask_id": { "type": "integer" },
        "author_name": { "type": "string" }, "organization_name": { "type": "string", "nullable": true },
        "body": { "type": "string" }, "created_at": { "type": "string", "format": "date-time" } } });
    let mut full = ask.clone();
    full["properties"]["communities"] = json!({ "type": "array", "items": named.clone() });
    full["properties"]["helpers"] = json!({ "type": "array", "items": named.clone() });
    full["properties"]["answers"] = paged(answer);
    full["properties"]["matches"] = json!({ "type": "array", "items": { "type": "object", "properties": {
        "organization_id": { "type": "integer" }, "name": { "type": "string" }, "score": { "type": "integer" },
        "invited": { "type": "integer", "description": "People of the organization invited by e-mail" },
        "reasons": { "type": "array", "items": { "type": "object", "properties": {
            "kind": { "type": "string", "enum": ["offer-theme", "org-theme", "keywords"] }, "value": { "type": "string" } } } } } } });
    let offer = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "organization_id": { "type": "integer" }, "organization_name": { "type": "string" },
        "title": { "type": "string" }, "description": { "type": "string" }, "themes": { "type": "string", "description": "Comma-separated" },
        "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" } } });
    let ask_form = json!({ "type": "object", "required": ["title", "need", "theme", "urgency", "communities"], "properties": {
        "title": { "type": "string" }, "need": { "type": "string", "description": "Markdown" }, "theme": { "type": "string" },
        "urgency": { "type": "string", "enum": urgencies }, "deadline": { "type": "string", "description": "YYYY-MM-DD, not in the past" },
        "communities": { "type": "array", "items": { "type": "string" }, "description": "Ids (as strings) of communities the asker belongs to" } } });
    let offer_form = json!({ "type": "object", "required": ["title", "description"], "properties": {
        "title": { "type": "string" }, "description": { "type": "string" }, "themes": { "type": "string", "description": "Comma-separated" } } });
    let close_form = json!({ "type": "object", "required": ["outcome"], "properties": {
        "outcome": { "type": "string", "enum": ["resolved", "withdrawn"] },
        "helpers": { "type": "array", "items": { "type": "string" }, "description": "Ids (as strings) of the organizations that helped; required when resolved" } } });
    let v = json!({
        "/support/asks": {
            "parameters": [int_q("page", "Page number"), int_q("per_page", "Items per page"),
                str_q("state", "open or closed"), str_q("theme", "A theme (accent-insensitive)")],
            "get": { "summary": "Asks for peer support the reader may see: those posted to their communities (all, for admins)",
                "responses": { "200": ok(paged(ask.clone())), "401": err } },
            "post": { "summary": "Ask for help; the ask is matched to fitting organizations of its communities, whose members are invited by e-mail",
                "requestBody": body(ask_form), "responses": { "201": created(full.clone()), "401": err, "403": err, "422": err } }
        },
        "/support/asks/{id}": {
            "parameters": [id.clone(), int_q("page", "Page of answers"), int_q("per_page", "Answers per page")],
            "get": { "summary": "An ask with its communities, matched organizations and why, helpers and answers",
                "responses": { "200": ok(full.clone()), "401": err, "403": err, "404": err } }
        },
        "/support/asks/{id}/answers": {
            "parameters": [id.clone()],
            "post": { "summary": "Answer an ask (anyone who may see it)",
                "requestBody": body(json!({ "type": "object", "required": ["body"], "properties": { "body": { "type": "string", "description": "Markdown" } } })),
                "responses": { "201": created(json!({ "type": "object", "properties": { "id": { "type": "integer" }, "ask_id": { "type": "integer" }, "body": { "type": "string" } } })),
                    "401": err, "403": err, "404": err, "422": err } }
        },
        "/support/asks/{id}/close": {
            "parameters": [id.clone()],
            "post": { "summary": "Close an ask as resolved (with the organizations that helped: one peer-help tie each in the network map) or withdrawn (asker or admin)",
                "requestBody": body(close_form), "responses": { "200": ok(full), "401": err, "403": err, "404": err, "422": err } }
        },
        "/support/offers": {
            "parameters": [int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "My organization's offers of expertise", "responses": { "200": ok(paged(offer.clone())), "401": err, "403": err } },
            "post": { "summary": "Add an offer of expertise for my organization", "requestBody": body(offer_form.clone()),
                "responses": { "201": created(offer.clone()), "401": err, "403": err, "422": err } }
        },
        "/support/offers/{id}": {
            "parameters": [id],
            "put": { "summary": "Edit an offer of my organization (admins: any)", "requestBody": body(offer_form),
                "responses": { "200": ok(offer), "401": err, "403": err, "404": err, "422": err } }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
