//! The events JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

/// An event as JSON: the online link only when `with_link`.
pub(super) fn event_json(e: &Event, with_link: bool, registered: i64) -> Value {
    let mut v = json!(e);
    if let Some(o) = v.as_object_mut() {
        o.insert("registered".into(), json!(registered));
        if with_link {
            o.insert("online_link".into(), json!(e.online_link));
        }
    }
    v
}

// ---- JSON API -----------------------------------------------------------------------------------------

pub(super) async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ListParams>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let events = store::list(
        &s.db,
        l.community.id,
        !q.past(),
        tejido_db::now(),
        PageReq::new(q.page, None),
    )
    .await?;
    // Lists never carry the online link: it is on the event, for those who may see it.
    Ok(Json(page_json(&events)))
}

pub(super) async fn api_show(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let v = viewer(&s, &c, &l, Some(&e)).await?;
    let regs = store::registrations(&s.db, e.id, PageReq::new(Some(1), Some(1))).await?;
    let mut out = event_json(&e, link_visible(&l, &v), regs.total);
    if let Some(o) = out.as_object_mut() {
        o.insert("you_are_registered".into(), json!(v.registered));
    }
    Ok(Json(out))
}

pub(super) async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<EventForm>,
) -> AppResult<Response> {
    let l = managed(&s, &c, &slug).await?;
    let input = parse_form(&form, &l.community.time_zone).map_err(AppError::Validation)?;
    let id = save_event(&s, &c, &l, None, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub(super) async fn api_update(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<EventForm>,
) -> AppResult<Json<Value>> {
    let l = managed(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let input = parse_form(&form, &e.time_zone).map_err(AppError::Validation)?;
    save_event(&s, &c, &l, Some(id), &input).await?;
    Ok(Json(json!({ "id": id })))
}

pub(super) async fn api_registrations(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ListParams>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let v = viewer(&s, &c, &l, Some(&e)).await?;
    if !(l.access.manage || v.member) {
        return Err(AppError::Forbidden);
    }
    let regs = store::registrations(&s.db, e.id, PageReq::new(q.page, Some(REG_PER_PAGE))).await?;
    Ok(Json(page_json(&regs)))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct ApiPerson {
    pub(super) person_id: Option<i64>,
}

pub(super) async fn api_register(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<ApiPerson>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let v = viewer(&s, &c, &l, Some(&e)).await?;
    let person = target_person(&s, &c, &l, &v, body.person_id).await?;
    let (status, state) = match do_register(&s, &c, &l, &e, person).await? {
        Registered::New => (StatusCode::CREATED, "registered"),
        Registered::Already => (StatusCode::OK, "already-registered"),
        Registered::Full => return Err(AppError::BadRequest("full")),
    };
    Ok((
        status,
        Json(json!({ "person_id": person, "status": state })),
    )
        .into_response())
}

pub(super) async fn api_unregister(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, person)): Path<(String, i64, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let v = viewer(&s, &c, &l, Some(&e)).await?;
    let person = target_person(&s, &c, &l, &v, Some(person)).await?;
    let done = do_unregister(&s, &c, &l, &e, person).await?;
    Ok(Json(json!({ "person_id": person, "cancelled": done })))
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct ApiMark {
    pub(super) person_id: i64,
    pub(super) attendance: String,
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct ApiMarks {
    pub(super) marks: Vec<ApiMark>,
}

pub(super) async fn api_attendance(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<ApiMarks>,
) -> AppResult<Json<Value>> {
    let l = managed(&s, &c, &slug).await?;
    let e = event_of(&s, &l, id).await?;
    let mut marks = vec![];
    for m in &body.marks {
        match Attendance::parse(&m.attendance) {
            Some(a) => marks.push((m.person_id, a)),
            None => {
                return Err(AppError::Validation(FieldErrors::single(
                    "attendance",
                    "error-invalid-choice",
                )))
            }
        }
    }
    let n = do_attendance(&s, &c, &l, &e, &marks).await?;
    Ok(Json(json!({ "updated": n })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let person = json!({ "name": "person", "in": "path", "required": true, "schema": { "type": "integer" } });
    let ok = json!({ "description": "OK", "content": { "application/json": { "schema": { "type": "object" } } } });
    let created = json!({ "description": "Created", "content": { "application/json": { "schema": { "type": "object", "properties": { "id": { "type": "integer" } } } } } });
    let enum_of = |all: Vec<&'static str>| json!({ "type": "string", "enum": all });
    let event = json!({ "required": true, "content": { "application/json": { "schema": { "type": "object",
        "required": ["title", "kind", "mode", "starts_at", "ends_at"],
        "properties": {
            "title": { "type": "string" }, "description": { "type": "string" },
            "kind": enum_of(EventKind::ALL.iter().map(|k| k.as_str()).collect()),
            "mode": enum_of(EventMode::ALL.iter().map(|k| k.as_str()).collect()),
            "status": enum_of(EventStatus::ALL.iter().map(|k| k.as_str()).collect()),
            "starts_at": { "type": "string", "description": "Local time in the community's time zone, YYYY-MM-DDTHH:MM" },
            "ends_at": { "type": "string", "description": "Local time, after starts_at" },
            "venue": { "type": "string" }, "city": { "type": "string" }, "state_code": { "type": "string" },
            "online_link": { "type": "string", "description": "Shown only to registered people, managers and admins" },
            "host_organization_id": { "type": "string" }, "scheduled_around": { "type": "string" },
            "capacity": { "type": "string", "description": "At least 1" } } } } } });
    let page = json!([{ "name": "page", "in": "query", "schema": { "type": "integer" } }]);
    let mut m = serde_json::Map::new();
    m.insert("/communities/{slug}/events".into(), json!({ "parameters": [slug], "get": {
        "summary": "Upcoming events (or past ones with when=past), paginated; never the online link",
        "parameters": [page[0], { "name": "when", "in": "query", "schema": { "type": "string", "enum": ["upcoming", "past"] } }],
        "responses": { "200": ok, "401": err, "403": err, "404": err } },
        "post": { "summary": "Create an event (leaders, co-leaders, conveners, admins)", "requestBody": event,
        "responses": { "201": created, "401": err, "403": err, "422": err } } }));
    m.insert(
        "/communities/{slug}/events/{id}".into(),
        json!({ "parameters": [slug, id], "get": {
        "summary": "An event; online_link only for registered people, managers and admins",
        "responses": { "200": ok, "401": err, "403": err, "404": err } },
        "put": { "summary": "Update an event", "requestBody": event,
        "responses": { "200": ok, "401": err, "403": err, "404": err, "422": err } } }),
    );
    m.insert("/communities/{slug}/events/{id}/registrations".into(), json!({ "parameters": [slug, id], "get": {
        "summary": "Registrations with organization, position level and attendance (members)",
        "parameters": page,
        "responses": { "200": ok, "401": err, "403": err, "404": err } },
        "post": { "summary": "Register yourself, or (managers, colleagues of the same organization) someone else",
        "requestBody": { "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "person_id": { "type": "integer" } } } } } },
        "responses": { "200": ok, "201": ok, "400": err, "401": err, "403": err, "404": err } } }));
    m.insert(
        "/communities/{slug}/events/{id}/registrations/{person}".into(),
        json!({ "parameters": [slug, id, person], "delete": {
        "summary": "Cancel a registration (before attendance is taken)",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }),
    );
    m.insert("/communities/{slug}/events/{id}/attendance".into(), json!({ "parameters": [slug, id], "put": {
        "summary": "Take attendance (managers): present, remote or absent per registered person",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["marks"], "properties": {
            "marks": { "type": "array", "items": { "type": "object", "required": ["person_id", "attendance"], "properties": {
                "person_id": { "type": "integer" }, "attendance": enum_of(Attendance::ALL.iter().map(|k| k.as_str()).collect()) } } } } } } } },
        "responses": { "200": ok, "401": err, "403": err, "404": err, "422": err } } }));
    m
}
