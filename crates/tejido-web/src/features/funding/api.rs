//! The funding JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API --------------------------------------------------------------------------------

/// A row as JSON with its amount as a string (`"1234.50"`), never a JSON number.
pub(super) fn with_amount<T: serde::Serialize>(row: &T, field: &str, m: Money) -> Value {
    let mut v = serde_json::to_value(row).unwrap_or(Value::Null);
    if let Value::Object(o) = &mut v {
        o.insert(field.to_owned(), Value::String(m.plain()));
        o.insert(
            "currency".to_owned(),
            Value::String(m.currency.as_str().to_owned()),
        );
    }
    v
}

pub(super) fn cost_json(r: &Cost) -> Value {
    with_amount(r, "amount", r.amount())
}
pub(super) fn contribution_json(r: &Contribution) -> Value {
    with_amount(r, "amount", r.amount())
}
pub(super) fn asset_json(r: &Asset) -> Value {
    with_amount(r, "value", r.value())
}
pub(super) fn ask_json(r: &Ask) -> Value {
    with_amount(r, "amount", r.amount())
}

pub(super) fn created(v: Value) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

pub(super) fn req(q: &PageQuery) -> PageReq {
    PageReq::new(q.page, q.per_page)
}

pub(super) async fn api_costs(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::costs(&s.db, w.l.community.id, req(&q)).await?;
    Ok(Json(page_json_map(&p, cost_json)))
}

pub(super) async fn api_cost_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(f): ApiJson<CostForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = write_cost(&s, &c, &w, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(created(json!({ "id": id })))
}

pub(super) async fn api_contributions(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::contributions(&s.db, w.l.community.id, req(&q)).await?;
    Ok(Json(page_json_map(&p, contribution_json)))
}

pub(super) async fn api_contribution_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(f): ApiJson<ContributionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = write_contribution(&s, &c, &w, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(created(json!({ "id": id })))
}

pub(super) async fn api_assets(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::assets(&s.db, w.l.community.id, req(&q)).await?;
    Ok(Json(page_json_map(&p, asset_json)))
}

pub(super) async fn api_asset_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(f): ApiJson<AssetForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = write_asset(&s, &c, &w, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(created(json!({ "id": id })))
}

pub(super) async fn api_asks(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::asks(&s.db, w.l.community.id, req(&q)).await?;
    Ok(Json(page_json_map(&p, ask_json)))
}

pub(super) async fn ask_full(s: &AppState, w: &Who, id: i64) -> AppResult<Value> {
    let a = store::ask(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let h = store::stage_history(&s.db, a.id).await?;
    Ok(json!({ "ask": ask_json(&a), "history": h }))
}

pub(super) async fn api_ask_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(f): ApiJson<AskForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = write_ask(&s, &c, &w, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(created(ask_full(&s, &w, id).await?))
}

pub(super) async fn api_ask(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    Ok(Json(ask_full(&s, &w, id).await?))
}

pub(super) async fn api_ask_stage(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(f): ApiJson<StageForm>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    write_stage(&s, &c, &w, id, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(Json(ask_full(&s, &w, id).await?))
}

pub(super) async fn api_summary(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let (from, to) =
        core::period(&q.from, &q.to, today(&w.l.community)).map_err(AppError::Validation)?;
    let sum = store::summary(&s.db, w.l.community.id, from, to).await?;
    Ok(Json(serde_json::to_value(&sum).unwrap_or(Value::Null)))
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
    let page = json!({ "name": "page", "in": "query", "required": false, "schema": { "type": "integer" } });
    let per_page = json!({ "name": "per_page", "in": "query", "required": false, "schema": { "type": "integer" } });
    let amount = json!({ "type": "string", "description": "Exact amount, Mexican format: '.' decimals (at most 2), ',' thousands (e.g. \"1,234.50\" or \"1234.50\"). Written back as \"1234.50\"; never a JSON number" });
    let currency = json!({ "type": "string", "enum": Currency::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(), "default": "MXN" });
    let date = json!({ "type": "string", "format": "date" });
    let v = json!({
        "/communities/{slug}/funding/costs": { "parameters": [slug, page, per_page],
            "get": { "summary": "Cost lines, newest first (members)", "responses": { "200": ok("A page of cost lines; amount as a string with currency"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Record a cost line (managers)", "requestBody": body(json!({ "type": "object", "required": ["category", "description", "amount", "spent_on"], "properties": {
                "category": { "type": "string", "enum": COST_CATEGORIES }, "description": { "type": "string" }, "amount": amount, "currency": currency,
                "spent_on": date, "event": { "type": "string", "description": "Event id" }, "paid_by_org": { "type": "string", "description": "A member organization's id" },
                "paid_by_text": { "type": "string", "description": "Who paid otherwise (not with paid_by_org)" } } })),
                "responses": { "201": ok("The new id"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/funding/contributions": { "parameters": [slug, page, per_page],
            "get": { "summary": "Contributions of member organizations, cash and in kind (members)", "responses": { "200": ok("A page of contributions"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Record a contribution (managers)", "requestBody": body(json!({ "type": "object", "required": ["organization", "kind", "description", "amount", "given_on"], "properties": {
                "organization": { "type": "string", "description": "A member organization's id" }, "kind": { "type": "string", "enum": CONTRIBUTION_KINDS },
                "description": { "type": "string" }, "amount": amount, "currency": currency, "given_on": date, "event": { "type": "string" } } })),
                "responses": { "201": ok("The new id"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/funding/assets": { "parameters": [slug, page, per_page],
            "get": { "summary": "The collective assets register, with contact people (members)", "responses": { "200": ok("A page of assets; value as a string"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Register an asset (managers)", "requestBody": body(json!({ "type": "object", "required": ["organization", "kind", "description", "value"], "properties": {
                "organization": { "type": "string" }, "kind": { "type": "string", "enum": ASSET_KINDS }, "description": { "type": "string" },
                "value": amount, "currency": currency, "availability": { "type": "string" }, "contact": { "type": "string" } } })),
                "responses": { "201": ok("The new id"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/funding/asks": { "parameters": [slug, page, per_page],
            "get": { "summary": "The fundraising pipeline in stage order (members)", "responses": { "200": ok("A page of asks"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Add an ask to the pipeline (managers)", "requestBody": body(json!({ "type": "object", "required": ["ask", "amount"], "properties": {
                "donor_org": { "type": "string", "description": "A directory organization's id" }, "donor_text": { "type": "string", "description": "The donor otherwise" },
                "ask": { "type": "string" }, "amount": amount, "currency": currency, "stage": { "type": "string", "enum": STAGES },
                "next_step": { "type": "string" }, "due_on": date, "owner": { "type": "string", "description": "A member person's id" } } })),
                "responses": { "201": ok("The ask and its stage history"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/funding/asks/{id}": { "parameters": [slug, id],
            "get": { "summary": "An ask and its stage history", "responses": { "200": ok("The ask and its stage history"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/funding/asks/{id}/stage": { "parameters": [slug, id],
            "post": { "summary": "Move an ask to a stage; the change is recorded with its date (managers)", "requestBody": body(json!({ "type": "object", "required": ["stage"], "properties": {
                "stage": { "type": "string", "enum": STAGES }, "changed_on": date, "note": { "type": "string" } } })),
                "responses": { "200": ok("The ask and its stage history"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/funding/summary": { "parameters": [slug,
                { "name": "from", "in": "query", "required": false, "schema": date },
                { "name": "to", "in": "query", "required": false, "schema": date }],
            "get": { "summary": "Where the money came from and went in a period, per currency (members)", "responses": { "200": ok("The funding summary"), "401": err, "403": err, "404": err, "422": err } } }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
