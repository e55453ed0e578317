//! The discussions JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API --------------------------------------------------------------------------------

pub(super) fn thread_json(t: &Thread, manage: bool, slug: &str) -> Value {
    let shown = !t.hidden() || manage;
    json!({
        "id": t.id, "title": shown.then_some(&t.title), "body": shown.then_some(&t.body),
        "body_html": shown.then(|| render_markdown(&t.body)),
        "author_name": t.author_name, "reply_count": t.reply_count,
        "last_activity_at": t.last_activity_at, "created_at": t.created_at, "updated_at": t.updated_at,
        "hidden": t.hidden(), "hidden_reason": t.hidden_reason, "url": thread_url(slug, t.id),
    })
}

pub(super) fn reply_json(r: &Reply, manage: bool) -> Value {
    let shown = !r.hidden() || manage;
    json!({
        "id": r.id, "body": shown.then_some(&r.body), "body_html": shown.then(|| render_markdown(&r.body)),
        "author_name": r.author_name, "created_at": r.created_at, "updated_at": r.updated_at,
        "hidden": r.hidden(), "hidden_reason": r.hidden_reason,
    })
}

pub(super) async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let r = room(&s, &c, &slug).await?;
    let p = store::list_threads(&s.db, r.l.community.id, PageReq::new(q.page, q.per_page)).await?;
    let items = p
        .items
        .iter()
        .map(|t| thread_json(t, r.manage, &slug))
        .collect();
    Ok(Json(page_json_with(&p, items)))
}

pub(super) async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ThreadForm>,
) -> AppResult<Response> {
    let (r, user) = poster(&s, &c, &slug).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let id = write_thread(&s, &c, &r, user, &input).await?;
    let t = thread_of(&s, &r, id).await?;
    Ok((StatusCode::CREATED, Json(thread_json(&t, r.manage, &slug))).into_response())
}

pub(super) async fn api_thread(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let r = room(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    let p = store::replies(&s.db, id, PageReq::new(q.page, q.per_page)).await?;
    let items = p.items.iter().map(|x| reply_json(x, r.manage)).collect();
    let mut v = thread_json(&t, r.manage, &slug);
    v["replies"] = page_json_with(&p, items);
    Ok(Json(v))
}

pub(super) async fn api_reply(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ReplyForm>,
) -> AppResult<Response> {
    let (r, user) = poster(&s, &c, &slug).await?;
    let t = thread_of(&s, &r, id).await?;
    if t.hidden() && !r.manage {
        return Err(AppError::Forbidden);
    }
    let body = form.parse().map_err(AppError::Validation)?;
    let rid = write_reply(&s, &c, &r, user, &t, &body).await?;
    let x = store::get_reply(&s.db, id, rid)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(reply_json(&x, r.manage))).into_response())
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let created = |schema: Value| json!({ "description": "Created", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" }, "description": "Thread id" });
    let int_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "integer" }, "description": d });
    let reply = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "body": { "type": "string", "nullable": true, "description": "Markdown; null when hidden from the reader" },
        "body_html": { "type": "string", "nullable": true, "description": "Sanitized HTML" },
        "author_name": { "type": "string" }, "created_at": { "type": "string", "format": "date-time" },
        "updated_at": { "type": "string", "format": "date-time" }, "hidden": { "type": "boolean" },
        "hidden_reason": { "type": "string", "nullable": true } } });
    let thread = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "title": { "type": "string", "nullable": true, "description": "Null when hidden from the reader" },
        "body": { "type": "string", "nullable": true, "description": "Markdown; null when hidden from the reader" },
        "body_html": { "type": "string", "nullable": true }, "author_name": { "type": "string" },
        "reply_count": { "type": "integer" }, "last_activity_at": { "type": "string", "format": "date-time" },
        "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" },
        "hidden": { "type": "boolean" }, "hidden_reason": { "type": "string", "nullable": true }, "url": { "type": "string" } } });
    let paged = |it: Value| {
        json!({ "type": "object", "properties": { "items": { "type": "array", "items": it },
        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "total": { "type": "integer" }, "pages": { "type": "integer" } } })
    };
    let mut with_replies = thread.clone();
    with_replies["properties"]["replies"] = paged(reply.clone());
    let thread_form = json!({ "type": "object", "required": ["title", "body"], "properties": {
        "title": { "type": "string", "description": "At most 200 characters" },
        "body": { "type": "string", "description": "Markdown, at most 20,000 characters; `@handle` mentions a member" } } });
    let reply_form = json!({ "type": "object", "required": ["body"], "properties": {
        "body": { "type": "string", "description": "Markdown, at most 20,000 characters; `@handle` mentions a member" } } });
    let v = json!({
        "/communities/{slug}/discussions": {
            "parameters": [slug, int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "The community's threads, newest activity first (those who may view the community)",
                "responses": { "200": ok(paged(thread.clone())), "401": err, "403": err, "404": err } },
            "post": { "summary": "Start a thread (members); mentioned members are e-mailed", "requestBody": body(thread_form),
                "responses": { "201": created(thread.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/discussions/{id}": {
            "parameters": [slug, id, int_q("page", "Page of replies"), int_q("per_page", "Replies per page")],
            "get": { "summary": "A thread with a page of its replies, oldest first",
                "responses": { "200": ok(with_replies), "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/discussions/{id}/replies": {
            "parameters": [slug, id],
            "post": { "summary": "Reply (members); subscribers and mentioned members are e-mailed", "requestBody": body(reply_form),
                "responses": { "201": created(reply), "401": err, "403": err, "404": err, "422": err } }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
