//! The polls JSON API under `/api/v1` and its OpenAPI paths.

use super::*;

// ---- JSON API --------------------------------------------------------------------------------

pub(super) fn question_json(q: &Question) -> Value {
    json!({ "id": q.id, "position": q.position, "kind": q.kind, "text": q.text, "options": q.option_list(), "required": q.required, "level": q.level })
}

pub(super) async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::list(
        &s.db,
        w.l.community.id,
        w.manage,
        PageReq::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(page_json(&p)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ApiCreate {
    pub(super) template: String,
    #[serde(flatten)]
    pub(super) poll: PollForm,
}

pub(super) async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(f): ApiJson<ApiCreate>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let id = if f.template.is_empty() {
        let input = f.poll.parse().map_err(AppError::Validation)?;
        write_create(&s, &c, &w, &input)
            .await?
            .map_err(AppError::Validation)?
    } else if TEMPLATES.contains(&f.template.as_str()) {
        write_template(&s, &c, &w, &f.template).await?
    } else {
        return Err(AppError::Validation(FieldErrors::single(
            "template",
            "error-invalid-choice",
        )));
    };
    let p = poll_of(&s, &w, id).await?;
    Ok((StatusCode::CREATED, Json(poll_json(&s, &p).await?)).into_response())
}

pub(super) async fn poll_json(s: &AppState, p: &Poll) -> AppResult<Value> {
    let qs = store::questions(&s.db, p.id).await?;
    Ok(json!({ "poll": p, "questions": qs.iter().map(question_json).collect::<Vec<_>>() }))
}

pub(super) async fn api_poll(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    if p.is_draft() && !w.manage {
        return Err(AppError::NotFound);
    }
    Ok(Json(poll_json(&s, &p).await?))
}

pub(super) async fn api_add_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<QuestionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    write_question(&s, &c, &w, &p, &form)
        .await?
        .map_err(AppError::Validation)?;
    Ok((StatusCode::CREATED, Json(poll_json(&s, &p).await?)).into_response())
}

pub(super) async fn api_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(f): ApiJson<StatusForm>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    write_status(&s, &c, &w, &p, &f.status).await?;
    let p = poll_of(&s, &w, id).await?;
    Ok(Json(poll_json(&s, &p).await?))
}

/// Answers: `{"answers": {"<question id>": value}}` where value is a number, a string, a list of
/// option indexes (multiple choice) or `{"before": n, "after": n}` (pre/post).
pub(super) async fn api_answer(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<Value>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let qs = store::questions(&s.db, p.id).await?;
    let mut pairs = vec![];
    if let Some(m) = body.get("answers").and_then(Value::as_object) {
        for (k, v) in m {
            let key = format!("q{k}");
            let scalar = |v: &Value| match v {
                Value::String(x) => x.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            match v {
                Value::Array(a) => pairs.extend(a.iter().map(|x| (key.clone(), scalar(x)))),
                Value::Object(o) => {
                    pairs.push((
                        format!("{key}-pre"),
                        o.get("before").map(scalar).unwrap_or_default(),
                    ));
                    pairs.push((
                        format!("{key}-post"),
                        o.get("after").map(scalar).unwrap_or_default(),
                    ));
                }
                x => pairs.push((key, scalar(x))),
            }
        }
    }
    match write_answer(&s, &w, &p, &qs, &pairs).await? {
        Submitted::Saved => {
            Ok((StatusCode::CREATED, Json(json!({ "answered": true }))).into_response())
        }
        Submitted::Already => Err(AppError::Validation(FieldErrors::single(
            "poll",
            "poll-error-already",
        ))),
        Submitted::Invalid(e) => Err(AppError::Validation(e)),
    }
}

pub(super) async fn api_results(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let (p, qs, rows, held) = results_data(&s, &w, id).await?;
    let results: Vec<Value> = aggregate(&c, &qs, &rows)
        .iter()
        .map(|r| {
            json!({
                "question": question_json(&r.q), "n": r.n,
                "distribution": r.dist.iter().map(|(l, k, p)| json!({ "label": l, "count": k, "percent": p })).collect::<Vec<_>>(),
                "mean": r.mean, "median": r.median, "nps": r.nps, "paired": r.paired,
                "texts": r.texts,
            })
        })
        .collect();
    // Without announced breakdowns there are no groups to show (nor stored).
    let groups = |by_org: bool| {
        if !p.breakdowns {
            return Value::Null;
        }
        let (v, hidden) = breakdown(&c, &rows, by_org);
        let v: Vec<Value> = v
            .iter()
            .map(|g| json!({ "label": g.label, "n": g.n }))
            .collect();
        json!({ "groups": v, "hidden_groups": hidden })
    };
    let (by_organization, by_position_level) = (groups(true), groups(false));
    Ok(Json(json!({
        "poll": p, "responses": respondents(&rows), "held": held,
        "answered": store::answered_count(&s.db, p.id).await?,
        "publish_batch": core::PUBLISH_BATCH, "questions": results,
        "by_organization": by_organization, "by_position_level": by_position_level,
        "min_group": core::MIN_GROUP,
    })))
}

pub(super) async fn api_reviews(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let p = store::reviews(&s.db, w.l.community.id, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(page_json(&p)))
}

pub(super) async fn api_review(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let r = store::review(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = store::entries(&s.db, r.id).await?;
    Ok(Json(json!({ "review": r, "entries": e })))
}

pub(super) async fn api_edit_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, q)): Path<(String, i64, i64)>,
    ApiJson(patch): ApiJson<QuestionPatch>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let current = store::questions(&s.db, p.id)
        .await?
        .into_iter()
        .find(|x| x.id == q)
        .ok_or(AppError::NotFound)?;
    let form = patch.apply(&current);
    write_edit_question(&s, &c, &w, &p, q, &form)
        .await?
        .map_err(AppError::Validation)?;
    Ok(Json(poll_json(&s, &p).await?))
}

/// The fields of a question to change; absent ones keep their value. `options` is one option per
/// line or a list; `required` a boolean or "on"/"".
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct QuestionPatch {
    pub(super) kind: Option<String>,
    pub(super) text: Option<String>,
    pub(super) options: Option<Value>,
    pub(super) required: Option<Value>,
    pub(super) level: Option<String>,
}

impl QuestionPatch {
    pub(super) fn apply(self, q: &Question) -> QuestionForm {
        let options = match self.options {
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n"),
            Some(Value::String(t)) => t,
            Some(_) => String::new(),
            None => q.options.clone(),
        };
        let required = match self.required {
            Some(Value::Bool(b)) => b,
            Some(Value::String(t)) => matches!(t.as_str(), "on" | "true" | "1" | "yes"),
            Some(_) => false,
            None => q.required,
        };
        QuestionForm {
            kind: self.kind.unwrap_or_else(|| q.kind.clone()),
            text: self.text.unwrap_or_else(|| q.text.clone()),
            options,
            required: if required { "on".into() } else { String::new() },
            level: self
                .level
                .unwrap_or_else(|| q.level.clone().unwrap_or_default()),
        }
    }
}

pub(super) async fn review_json(s: &AppState, w: &Who, id: i64) -> AppResult<Value> {
    let r = store::review(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = store::entries(&s.db, r.id).await?;
    Ok(json!({ "review": r, "entries": e }))
}

pub(super) async fn api_create_review(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ReviewForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let i = form.parse().map_err(AppError::Validation)?;
    check_event(&s, &w.l.community, i.event_id)
        .await?
        .map_err(AppError::Validation)?;
    let mut tx = s.db.begin().await?;
    let id = store::insert_review(&mut tx, w.l.community.id, &i, c.user_id()).await?;
    audit(&mut tx, &c, "review-created", &slug, &id.to_string()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(review_json(&s, &w, id).await?)).into_response())
}

/// A contribution or consolidation: `{"sections": {"<section>": "text", …}}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SectionsBody {
    pub(super) sections: std::collections::BTreeMap<String, String>,
}

pub(super) async fn api_contribute(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(b): ApiJson<SectionsBody>,
) -> AppResult<Response> {
    c.require_user()?;
    let w = member(&s, &c, &slug).await?;
    let pairs: Vec<(String, String)> = b.sections.into_iter().collect();
    write_entries(&s, &c, &w, id, false, &pairs)
        .await?
        .map_err(AppError::Validation)?;
    Ok((StatusCode::CREATED, Json(review_json(&s, &w, id).await?)).into_response())
}

pub(super) async fn api_consolidate(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(b): ApiJson<SectionsBody>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let pairs: Vec<(String, String)> = b.sections.into_iter().collect();
    write_entries(&s, &c, &w, id, true, &pairs)
        .await?
        .map_err(AppError::Validation)?;
    Ok((StatusCode::CREATED, Json(review_json(&s, &w, id).await?)).into_response())
}

pub(super) async fn api_add_outcome(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(f): ApiJson<OutcomeForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    write_outcome(&s, &c, &w, id, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "review": id, "added": f.what })),
    )
        .into_response())
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
    let kinds: Vec<&str> = QuestionKind::ALL.iter().map(|k| k.as_str()).collect();
    let qparam =
        json!({ "name": "q", "in": "path", "required": true, "schema": { "type": "integer" } });
    let qpatch = body(json!({ "type": "object", "properties": {
        "kind": { "type": "string", "enum": kinds }, "text": { "type": "string" },
        "options": { "description": "One option per line, or a list" },
        "required": { "description": "Boolean, or \"on\"/\"\"" }, "level": { "type": "string", "enum": core::LEVELS } } }));
    let sections = body(
        json!({ "type": "object", "required": ["sections"], "properties": { "sections": { "type": "object",
        "description": "Section → text. After Action Review: planned, actual, why, sustain, improve; Appreciative Inquiry: define, discover, dream, design, deliver",
        "additionalProperties": { "type": "string" } } } }),
    );
    let v = json!({
        "/communities/{slug}/polls": { "parameters": [slug],
            "get": { "summary": "The community's polls, newest first (members; drafts for managers)", "responses": { "200": ok("A page of polls"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Create a poll, blank or from a template (managers)", "requestBody": body(json!({ "type": "object", "properties": {
                "template": { "type": "string", "enum": TEMPLATES }, "title": { "type": "string" }, "description": { "type": "string" },
                "event": { "type": "string" }, "anonymous": { "type": "string", "enum": ["on", ""] },
                "breakdowns": { "type": "string", "enum": ["on", ""], "description": "Keep each respondent's organization and position level for grouped results (announced before answering)" },
                "opens_at": { "type": "string", "description": "YYYY-MM-DDTHH:MM, community time" }, "closes_at": { "type": "string" } } })),
                "responses": { "201": ok("The poll and its questions"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/polls/{id}": { "parameters": [slug, id],
            "get": { "summary": "A poll and its questions", "responses": { "200": ok("The poll and its questions"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/polls/{id}/questions": { "parameters": [slug, id],
            "post": { "summary": "Add a question to a draft poll (managers)", "requestBody": body(json!({ "type": "object", "required": ["kind", "text"], "properties": {
                "kind": { "type": "string", "enum": kinds }, "text": { "type": "string" }, "options": { "type": "string", "description": "One option per line" },
                "required": { "type": "string", "enum": ["on", ""] }, "level": { "type": "string", "enum": core::LEVELS } } })),
                "responses": { "201": ok("The poll and its questions"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/polls/{id}/status": { "parameters": [slug, id],
            "post": { "summary": "Open (sends the invitations once) or close a poll (managers)", "requestBody": body(json!({ "type": "object", "required": ["status"], "properties": { "status": { "type": "string", "enum": ["open", "closed"] } } })),
                "responses": { "200": ok("The poll"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/polls/{id}/answer": { "parameters": [slug, id],
            "post": { "summary": "Answer an open poll once (members). Anonymous polls keep no link between the answer and the person",
                "requestBody": body(json!({ "type": "object", "properties": { "answers": { "type": "object", "description": "Question id → number, string, list of option indexes, or {before, after}" } } })),
                "responses": { "201": ok("Answered"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/polls/{id}/results": { "parameters": [slug, id],
            "get": { "summary": "Aggregate results of the published responses (an anonymous poll's answers are published in batches of 5, all at closing; `held` counts those waiting, `answered` everyone who answered): distributions, mean, median, NPS, paired pre/post difference; breakdowns (null unless the poll's `breakdowns`) hide groups under 5", "responses": { "200": ok("Results"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/polls/{id}/questions/{q}": { "parameters": [slug, id, qparam],
            "patch": { "summary": "Edit a question while the poll has no response (managers); absent fields keep their value", "requestBody": qpatch.clone(),
                "responses": { "200": ok("The poll and its questions"), "401": err, "403": err, "404": err, "422": err } },
            "post": { "summary": "Same as PATCH, for clients without PATCH", "requestBody": qpatch,
                "responses": { "200": ok("The poll and its questions"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/reviews": { "parameters": [slug],
            "get": { "summary": "After Action Reviews and Appreciative Inquiry records", "responses": { "200": ok("A page of reviews"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Start an After Action Review (aar) or Appreciative Inquiry (ai) record (managers)", "requestBody": body(json!({ "type": "object", "required": ["kind", "title"], "properties": {
                "kind": { "type": "string", "enum": ["aar", "ai"] }, "title": { "type": "string" }, "event": { "type": "string", "description": "Event id, optional" } } })),
                "responses": { "201": ok("The review"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/reviews/{id}": { "parameters": [slug, id],
            "get": { "summary": "A review with its contributions and consolidated text", "responses": { "200": ok("The review"), "401": err, "403": err, "404": err } } },
        "/communities/{slug}/reviews/{id}/contribute": { "parameters": [slug, id],
            "post": { "summary": "Add one member's contribution (members)", "requestBody": sections.clone(),
                "responses": { "201": ok("The review"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/reviews/{id}/consolidate": { "parameters": [slug, id],
            "post": { "summary": "Add the consolidated text (managers; the rapporteur)", "requestBody": sections,
                "responses": { "201": ok("The review"), "401": err, "403": err, "404": err, "422": err } } },
        "/communities/{slug}/reviews/{id}/outcomes": { "parameters": [slug, id],
            "post": { "summary": "Add an action item or a lesson learned to the review's event (managers)", "requestBody": body(json!({ "type": "object", "required": ["what"], "properties": {
                "what": { "type": "string", "enum": ["item", "lesson"] }, "title": { "type": "string", "description": "Action item" },
                "owner": { "type": "string", "description": "Person id of the owner (action item)" }, "due_on": { "type": "string", "format": "date" },
                "text": { "type": "string", "description": "Lesson learned" } } })),
                "responses": { "201": ok("Added"), "401": err, "403": err, "404": err, "422": err } } }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
