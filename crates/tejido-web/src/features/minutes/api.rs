//! The minutes JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

pub(super) async fn api_attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, upload_id)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    c.require_user()?;
    attachment(State(s), c, Path((slug, id, upload_id))).await
}

// ---- JSON API --------------------------------------------------------------------------------

pub(super) fn version_json(v: &MinutesVersion) -> Value {
    json!({
        "version": v.version, "status": v.status, "summary": v.summary, "takeaways": v.takeaways,
        "summary_html": render_markdown(&v.summary),
        "takeaways_html": v.takeaways.as_deref().map(render_markdown),
        "author_name": v.author_name, "created_at": v.created_at, "published_at": v.published_at,
    })
}

pub(super) async fn api_minutes(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let e = load_reader(&s, &c, &slug, id).await?;
    let current = store::published(&s.db, id).await?;
    let draft = if e.write {
        store::latest(&s.db, id, true)
            .await?
            .filter(|d| d.is_draft())
    } else {
        None
    };
    let decisions = log::by_source(&s.db, e.l.community.id, Source::Event.as_str(), id).await?;
    let items = store::items(&s.db, id, EVENT_LIST_LIMIT).await?;
    let lessons = store::lessons(&s.db, id, EVENT_LIST_LIMIT).await?;
    let k = cascade(&s.db, id).await?;
    let files =
        tejido_db::uploads::list_for(&s.db, tejido_db::uploads::OwnerKind::Minutes, id).await?;
    let base = format!("/c/{slug}/events/{id}/minutes/files");
    let attachments: Vec<Value> = files
        .iter()
        .map(|u| {
            let mut v = crate::uploads::json(u, &base);
            v["api_download_url"] = json!(format!(
                "/api/v1/communities/{slug}/events/{id}/minutes/files/{}",
                u.id
            ));
            v
        })
        .collect();
    Ok(Json(json!({
        "attachments": attachments,
        "current": current.as_ref().map(version_json),
        "draft": draft.as_ref().map(version_json),
        "decisions": decisions, "action_items": items, "lessons": lessons,
        "cascade": { "reported": k.reported, "attendees": k.attendees, "percent": k.percent },
        "can_write": e.write,
    })))
}

pub(super) async fn api_save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<MinutesForm>,
) -> AppResult<Json<Value>> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let n = write_version(&s, &c, &e, &input).await?;
    let v = store::version(&s.db, id, n, true)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(version_json(&v)))
}

pub(super) async fn api_versions(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let e = load_reader(&s, &c, &slug, id).await?;
    let p = store::versions(&s.db, id, e.write, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(page_json(&p)))
}

pub(super) async fn api_add_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(mut form): ApiJson<DecisionForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    form.corrects = String::new();
    let input = form.parse().map_err(AppError::Validation)?;
    let did = write_decision(&s, &c, &e, input).await?;
    let d = log::get(&s.db, e.l.community.id, did).await?;
    Ok((StatusCode::CREATED, Json(json!(d))).into_response())
}

pub(super) async fn api_add_item(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ActionItemForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let item = write_item(&s, &c, &e, &input)
        .await?
        .map_err(AppError::Validation)?;
    let it = store::item(&s.db, id, item).await?;
    Ok((StatusCode::CREATED, Json(json!(it))).into_response())
}

pub(super) async fn api_item_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, item)): Path<(String, i64, i64)>,
    ApiJson(form): ApiJson<ActionStatusForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let e = load_event(&s, &c, &slug, id).await?;
    let status = form.parse().map_err(AppError::Validation)?;
    let it = write_item_status(&s, &c, &e, item, status).await?;
    Ok(Json(json!(it)))
}

pub(super) async fn api_add_lesson(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<LessonForm>,
) -> AppResult<Response> {
    let e = load_writer(&s, &c, &slug, id).await?;
    let text = form.parse().map_err(AppError::Validation)?;
    let lid = write_lesson(&s, &c, &e, &text).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": lid, "event_id": id, "text": text })),
    )
        .into_response())
}

pub(super) async fn api_report_back(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let e = load_event(&s, &c, &slug, id).await?;
    let pid = attendee(&s, &c, &e).await?;
    let mine = store::report_back(&s.db, id, pid).await?;
    Ok(Json(json!({ "report_back": mine })))
}

pub(super) async fn api_save_report_back(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ReportBackForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let e = load_event(&s, &c, &slug, id).await?;
    let pid = attendee(&s, &c, &e).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    write_report_back(&s, &c, &e, pid, &input).await?;
    let mine = store::report_back(&s.db, id, pid).await?;
    Ok(Json(json!({ "report_back": mine })))
}

pub(super) async fn api_action_items(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load_community_reader(&s, &c, &slug).await?;
    let p =
        store::open_items_for_community(&s.db, l.community.id, PageReq::new(q.page, q.per_page))
            .await?;
    Ok(Json(page_json(&p)))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let created = |schema: Value| json!({ "description": "Created", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" }, "description": "Event id" });
    let item_id = json!({ "name": "item", "in": "path", "required": true, "schema": { "type": "integer" }, "description": "Action item id" });
    let int_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "integer" }, "description": d });
    let statuses: Vec<&str> = ActionStatus::ALL.iter().map(|s| s.as_str()).collect();
    let formats: Vec<&str> = ReportBackFormat::ALL.iter().map(|s| s.as_str()).collect();
    let methods: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
    let version = json!({ "type": "object", "properties": {
        "version": { "type": "integer" }, "status": { "type": "string", "enum": ["draft", "published"] },
        "summary": { "type": "string", "description": "Markdown" }, "takeaways": { "type": "string", "nullable": true, "description": "Markdown" },
        "summary_html": { "type": "string", "description": "Sanitized HTML" }, "takeaways_html": { "type": "string", "nullable": true },
        "author_name": { "type": "string", "nullable": true }, "created_at": { "type": "string", "format": "date-time" },
        "published_at": { "type": "string", "format": "date-time", "nullable": true } } });
    let item = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "event_id": { "type": "integer" }, "title": { "type": "string" },
        "owner_person_id": { "type": "integer" }, "owner_name": { "type": "string" }, "due_on": { "type": "string", "format": "date" },
        "status": { "type": "string", "enum": statuses }, "reminded_at": { "type": "string", "format": "date-time", "nullable": true },
        "event_title": { "type": "string" }, "community_slug": { "type": "string" }, "community_name": { "type": "string" } } });
    let report_back = json!({ "type": "object", "nullable": true, "properties": {
        "id": { "type": "integer" }, "event_id": { "type": "integer" }, "person_id": { "type": "integer" }, "person_name": { "type": "string" },
        "reported_on": { "type": "string", "format": "date" }, "format": { "type": "string", "enum": formats },
        "audience": { "type": "integer", "minimum": 0 }, "notes": { "type": "string", "nullable": true } } });
    let minutes_form = json!({ "type": "object", "required": ["summary"], "properties": {
        "summary": { "type": "string", "description": "Markdown, at most 20,000 characters" },
        "takeaways": { "type": "string", "description": "Markdown, at most 20,000 characters" },
        "status": { "type": "string", "enum": ["draft", "published"], "description": "Default draft; every save is a new version" } } });
    let decision_form = json!({ "type": "object", "required": ["title", "decided_on", "method"], "properties": {
        "title": { "type": "string" }, "body": { "type": "string" }, "decided_on": { "type": "string", "description": "YYYY-MM-DD" },
        "method": { "type": "string", "enum": methods }, "votes_for": { "type": "string" }, "votes_against": { "type": "string" },
        "votes_abstain": { "type": "string" }, "decided_by": { "type": "string" } } });
    let item_form = json!({ "type": "object", "required": ["title", "owner", "due_on"], "properties": {
        "title": { "type": "string" }, "owner": { "type": "string", "description": "Id of a person of the community" },
        "due_on": { "type": "string", "description": "YYYY-MM-DD" } } });
    let report_form = json!({ "type": "object", "required": ["reported_on", "format", "audience"], "properties": {
        "reported_on": { "type": "string", "description": "YYYY-MM-DD" }, "format": { "type": "string", "enum": formats },
        "audience": { "type": "string", "description": "People reached, an integer ≥ 0" }, "notes": { "type": "string" } } });
    let paged = |it: Value| {
        json!({ "type": "object", "properties": { "items": { "type": "array", "items": it },
        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "total": { "type": "integer" }, "pages": { "type": "integer" } } })
    };
    let v = json!({
        "/communities/{slug}/events/{id}/minutes": {
            "parameters": [slug, id],
            "get": { "summary": "An event's published minutes (and the newest draft for the rapporteur and managers), decisions, action items, lessons learned and cascade rate (members)",
                "responses": { "200": ok(json!({ "type": "object", "properties": { "current": version, "draft": version,
                    "decisions": { "type": "array", "items": { "type": "object" } }, "action_items": { "type": "array", "items": item },
                    "lessons": { "type": "array", "items": { "type": "object" } },
                    "cascade": { "type": "object", "properties": { "reported": { "type": "integer" }, "attendees": { "type": "integer" }, "percent": { "type": "integer", "nullable": true } } },
                    "can_write": { "type": "boolean" } } })), "401": err, "403": err, "404": err } },
            "put": { "summary": "Save a new version of the minutes, as a draft or published (rapporteur and managers)", "requestBody": body(minutes_form),
                "responses": { "200": ok(version.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/minutes/versions": {
            "parameters": [slug, id, int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "The minutes' history, newest first; drafts only for the rapporteur and managers", "responses": { "200": ok(paged(json!({ "type": "object" }))), "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/events/{id}/minutes/decisions": {
            "parameters": [slug, id],
            "post": { "summary": "Record a decision taken at the event; it enters the decision log with the event as its source", "requestBody": body(decision_form),
                "responses": { "201": created(json!({ "type": "object" })), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/minutes/items": {
            "parameters": [slug, id],
            "post": { "summary": "Add an action item with an owner and a due date", "requestBody": body(item_form),
                "responses": { "201": created(item.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/minutes/items/{item}/status": {
            "parameters": [slug, id, item_id],
            "post": { "summary": "Change an action item's status (rapporteur, managers, or the item's owner)",
                "requestBody": body(json!({ "type": "object", "required": ["status"], "properties": { "status": { "type": "string", "enum": statuses } } })),
                "responses": { "200": ok(item.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/minutes/lessons": {
            "parameters": [slug, id],
            "post": { "summary": "Add a lesson learned", "requestBody": body(json!({ "type": "object", "required": ["text"], "properties": { "text": { "type": "string" } } })),
                "responses": { "201": created(json!({ "type": "object", "properties": { "id": { "type": "integer" }, "event_id": { "type": "integer" }, "text": { "type": "string" } } })), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/report-back": {
            "parameters": [slug, id],
            "get": { "summary": "My report-back to my organization for this event (attendees only)",
                "responses": { "200": ok(json!({ "type": "object", "properties": { "report_back": report_back } })), "401": err, "403": err, "404": err } },
            "put": { "summary": "Record or replace my report-back (attendees only)", "requestBody": body(report_form),
                "responses": { "200": ok(json!({ "type": "object", "properties": { "report_back": report_back } })), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/events/{id}/minutes/files/{upload_id}": {
            "parameters": [slug.clone(), id.clone(), json!({ "name": "upload_id", "in": "path", "required": true, "schema": { "type": "integer" } })],
            "get": { "summary": "Download a file attached to the minutes (readers of the minutes; always as an attachment)",
                "responses": { "200": { "description": "The file", "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } }, "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/action-items": {
            "parameters": [slug, int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "The community's open action items, soonest due first (members)", "responses": { "200": ok(paged(item)), "401": err, "403": err, "404": err } }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
