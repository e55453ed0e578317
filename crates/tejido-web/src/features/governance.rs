//! Governance (the seed's Steps 1 and 3, and the path to self-management): goals with
//! measurable objectives and their status history, the community's phase with the conditions
//! for the next one computed from data, and the six steps checklist with guidance in place.
//! Members read; leaders, co-leaders, conveners and admins edit.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde_json::{json, Value};
use tejido_core::communities::Phase;
use tejido_core::decisions::{DecisionForm, Source};
use tejido_core::governance::{
    self as rules, Check, GoalForm, Horizon, ObjectiveForm, ObjectiveStatus, Progress,
    State as CheckState, StatusForm, Step,
};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::governance::{self as store, Goal, Objective, StatusChange};

use crate::access::{load, load_manage, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{html, html_invalid, redirect};
use crate::{AppError, AppState, Ctx};

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/governance", Level::Viewer, page),
        route::post("/c/{slug}/governance/phase", Level::Manager, advance_phase),
        route::post("/c/{slug}/goals", Level::Manager, create_goal),
        route::post(
            "/c/{slug}/goals/{id}/objectives",
            Level::Manager,
            create_objective,
        ),
        route::get("/c/{slug}/objectives/{id}", Level::Viewer, objective_page),
        route::post(
            "/c/{slug}/objectives/{id}/status",
            Level::Manager,
            change_status,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get(
            "/communities/{slug}/governance",
            Level::Viewer,
            api_overview,
        ),
        route::post("/communities/{slug}/goals", Level::Manager, api_create_goal),
        route::post(
            "/communities/{slug}/goals/{id}/objectives",
            Level::Manager,
            api_create_objective,
        ),
        route::post(
            "/communities/{slug}/objectives/{id}/status",
            Level::Manager,
            api_change_status,
        ),
        route::post(
            "/communities/{slug}/phase",
            Level::Manager,
            api_advance_phase,
        ),
    ]
}

/// A goal with its objectives and their progress, for display.
#[derive(serde::Serialize)]
pub struct GoalView {
    pub goal: Goal,
    pub objectives: Vec<Objective>,
    pub progress: Progress,
}

/// Everything the governance page and its API show.
pub struct Overview {
    pub facts: rules::Facts,
    pub phase: Phase,
    pub next: Option<Phase>,
    pub conditions: Vec<Check>,
    pub steps: Vec<Step>,
    pub goals: Vec<GoalView>,
    pub progress: Progress,
}

pub async fn overview(s: &AppState, community: &Community) -> AppResult<Overview> {
    let facts = store::facts(&s.db, community.id).await?;
    let phase = Phase::parse(&community.phase).unwrap_or(Phase::Convened);
    let next = phase.next();
    let conditions = next
        .map(|n| rules::phase_conditions(n, &facts))
        .unwrap_or_default();
    let steps = rules::six_steps(&facts);
    let (goals, objectives) = store::goals(&s.db, community.id).await?;
    let progress = Progress::from_statuses(objectives.iter().map(|o| o.status.as_str()));
    let goals = goals
        .into_iter()
        .map(|goal| {
            let objectives: Vec<Objective> = objectives
                .iter()
                .filter(|o| o.goal_id == goal.id)
                .cloned()
                .collect();
            let progress = Progress::from_statuses(objectives.iter().map(|o| o.status.as_str()));
            GoalView {
                goal,
                objectives,
                progress,
            }
        })
        .collect();
    Ok(Overview {
        facts,
        phase,
        next,
        conditions,
        steps,
        goals,
        progress,
    })
}

fn horizon_options(c: &Ctx) -> Options {
    Horizon::ALL
        .iter()
        .map(|h| (h.as_str().to_owned(), c.label("gov-horizon", h.as_str())))
        .collect()
}

fn status_options(c: &Ctx) -> Options {
    ObjectiveStatus::ALL
        .iter()
        .map(|h| (h.as_str().to_owned(), c.label("gov-status", h.as_str())))
        .collect()
}

fn method_options(c: &Ctx) -> Options {
    tejido_core::decisions::Method::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), c.label("gov-method", m.as_str())))
        .collect()
}

/// Which form on the page failed, so its errors show next to it.
#[derive(Default)]
struct Forms {
    goal: GoalForm,
    goal_errors: FieldErrors,
    objective_goal: Option<i64>,
    objective: ObjectiveForm,
    objective_errors: FieldErrors,
    phase: DecisionForm,
    phase_errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "governance/page.html")]
struct Page {
    c: Ctx,
    m: Community,
    manage: bool,
    o: Overview,
    fm: Forms,
    horizons: Options,
    methods: Options,
}

impl Page {
    fn state_class(&self, s: &CheckState) -> &'static str {
        match s {
            CheckState::Met => "met",
            CheckState::NotMet => "unmet",
            CheckState::NotYetMeasured => "unmeasured",
        }
    }
    fn phases(&self) -> Vec<(&'static str, bool)> {
        Phase::ALL
            .iter()
            .map(|p| (p.as_str(), *p == self.o.phase))
            .collect()
    }
    fn horizons_in_order(&self) -> &'static [Horizon] {
        Horizon::ALL
    }
    /// Whether the objective form that failed belongs to this goal.
    fn objective_form_for(&self, goal_id: &i64) -> bool {
        self.fm.objective_goal == Some(*goal_id)
    }
    fn goals_in(&self, h: &Horizon) -> Vec<&GoalView> {
        self.o
            .goals
            .iter()
            .filter(|g| g.goal.horizon == h.as_str())
            .collect()
    }
}

async fn render(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    mut fm: Forms,
    invalid: bool,
) -> AppResult<Response> {
    let o = overview(s, &l.community).await?;
    if fm.phase.decided_on.is_empty() {
        fm.phase.decided_on = tejido_db::now().date_naive().format("%Y-%m-%d").to_string();
    }
    let page = Page {
        horizons: horizon_options(&c),
        methods: method_options(&c),
        c,
        m: l.community,
        manage: l.access.manage,
        o,
        fm,
    };
    Ok(if invalid {
        html_invalid(&page)
    } else {
        html(&page)
    })
}

async fn page(State(s): State<AppState>, c: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    render(&s, c, l, Forms::default(), false).await
}

// ---- use cases shared by pages and API ------------------------------------------------------------

async fn save_goal(s: &AppState, c: &Ctx, l: &Loaded, input: &rules::GoalInput) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = store::insert_goal(&mut tx, l.community.id, input, c.user_id()).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "goal-created",
        Some(&l.community.slug),
        Some(&input.title),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn save_objective(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    goal_id: i64,
    input: &rules::ObjectiveInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = store::insert_objective(&mut tx, goal_id, input, c.user_id()).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "objective-created",
        Some(&l.community.slug),
        Some(&input.title),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn save_status(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    id: i64,
    status: ObjectiveStatus,
    comment: Option<&str>,
) -> AppResult<()> {
    let mut tx = s.db.begin().await?;
    store::change_status(&mut tx, id, status, comment, c.user_id()).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "objective-status-changed",
        Some(&l.community.slug),
        Some(status.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves the community to its next phase: a recorded decision and the new phase, in one
/// transaction. Returns the new phase, or the form errors.
async fn move_phase(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    form: &DecisionForm,
) -> AppResult<Result<Phase, FieldErrors>> {
    let current = Phase::parse(&l.community.phase).unwrap_or(Phase::Convened);
    let Some(next) = current.next() else {
        return Err(AppError::BadRequest("no next phase"));
    };
    let mut input = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    input.source = Some((Source::Phase, l.community.id));
    input.corrects = None;
    let mut tx = s.db.begin().await?;
    tejido_db::decisions::insert(&mut tx, l.community.id, &input, c.user_id()).await?;
    store::set_phase(&mut tx, l.community.id, next).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "phase-changed",
        Some(&l.community.slug),
        Some(next.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(next))
}

// ---- pages ------------------------------------------------------------------------------------------

async fn create_goal(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<GoalForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    match form.parse() {
        Ok(input) => {
            save_goal(&s, &c, &l, &input).await?;
            Ok(redirect(&format!("/c/{slug}/governance#goals")))
        }
        Err(e) => {
            render(
                &s,
                c,
                l,
                Forms {
                    goal: form,
                    goal_errors: e,
                    ..Default::default()
                },
                true,
            )
            .await
        }
    }
}

async fn create_objective(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, goal_id)): Path<(String, i64)>,
    Form(form): Form<ObjectiveForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    store::goal(&s.db, l.community.id, goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match form.parse() {
        Ok(input) => {
            save_objective(&s, &c, &l, goal_id, &input).await?;
            Ok(redirect(&format!("/c/{slug}/governance#goal-{goal_id}")))
        }
        Err(e) => {
            let f = Forms {
                objective_goal: Some(goal_id),
                objective: form,
                objective_errors: e,
                ..Default::default()
            };
            render(&s, c, l, f, true).await
        }
    }
}

async fn advance_phase(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    match move_phase(&s, &c, &l, &form).await? {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/governance"))),
        Err(e) => {
            render(
                &s,
                c,
                l,
                Forms {
                    phase: form,
                    phase_errors: e,
                    ..Default::default()
                },
                true,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "governance/objective.html")]
struct ObjectivePage {
    c: Ctx,
    m: Community,
    manage: bool,
    goal: Goal,
    o: Objective,
    history: Vec<StatusChange>,
    form: StatusForm,
    errors: FieldErrors,
    statuses: Options,
}

async fn objective_page_with(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    id: i64,
    form: StatusForm,
    errors: FieldErrors,
) -> AppResult<ObjectivePage> {
    let o = store::objective(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let goal = store::goal(&s.db, l.community.id, o.goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let history = store::history(&s.db, id).await?;
    let statuses = status_options(&c);
    let form = if form.status.is_empty() {
        StatusForm {
            status: o.status.clone(),
            ..form
        }
    } else {
        form
    };
    Ok(ObjectivePage {
        c,
        m: l.community,
        manage: l.access.manage,
        goal,
        o,
        history,
        form,
        errors,
        statuses,
    })
}

async fn objective_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    Ok(html(
        &objective_page_with(&s, c, l, id, StatusForm::default(), FieldErrors::new()).await?,
    ))
}

async fn change_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    store::objective(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    match form.parse() {
        Ok((status, comment)) => {
            save_status(&s, &c, &l, id, status, comment.as_deref()).await?;
            Ok(redirect(&format!("/c/{slug}/objectives/{id}")))
        }
        Err(e) => Ok(html_invalid(
            &objective_page_with(&s, c, l, id, form, e).await?,
        )),
    }
}

// ---- JSON API ---------------------------------------------------------------------------------------

async fn api_overview(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let o = overview(&s, &l.community).await?;
    Ok(Json(json!({
        "phase": o.phase.as_str(),
        "next_phase": o.next.map(|p| p.as_str()),
        "conditions": o.conditions,
        "six_steps": o.steps,
        "facts": o.facts,
        "progress": o.progress,
        "goals": o.goals,
    })))
}

async fn api_create_goal(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<GoalForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let id = save_goal(&s, &c, &l, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

async fn api_create_objective(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, goal_id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ObjectiveForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    store::goal(&s.db, l.community.id, goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = form.parse().map_err(AppError::Validation)?;
    let id = save_objective(&s, &c, &l, goal_id, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

async fn api_change_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<StatusForm>,
) -> AppResult<Json<Value>> {
    let l = load_manage(&s, &c, &slug).await?;
    store::objective(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (status, comment) = form.parse().map_err(AppError::Validation)?;
    save_status(&s, &c, &l, id, status, comment.as_deref()).await?;
    let history = store::history(&s.db, id).await?;
    Ok(Json(
        json!({ "id": id, "status": status.as_str(), "history": history }),
    ))
}

async fn api_advance_phase(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<DecisionForm>,
) -> AppResult<Json<Value>> {
    let l = load_manage(&s, &c, &slug).await?;
    let next = move_phase(&s, &c, &l, &form)
        .await?
        .map_err(AppError::Validation)?;
    Ok(Json(json!({ "phase": next.as_str() })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let obj = |props: Value, required: Value| json!({ "required": true, "content": { "application/json": { "schema": { "type": "object", "required": required, "properties": props } } } });
    let created = json!({ "description": "Created", "content": { "application/json": { "schema": { "type": "object", "properties": { "id": { "type": "integer" } } } } } });
    let ok = json!({ "description": "OK", "content": { "application/json": { "schema": { "type": "object" } } } });
    let decision = obj(
        json!({ "title": { "type": "string" }, "body": { "type": "string" }, "decided_on": { "type": "string", "format": "date" },
                "method": { "type": "string", "enum": ["consensus", "vote", "leadership"] }, "votes_for": { "type": "string" },
                "votes_against": { "type": "string" }, "votes_abstain": { "type": "string" }, "decided_by": { "type": "string" } }),
        json!(["title", "decided_on", "method"]),
    );
    let mut m = serde_json::Map::new();
    m.insert("/communities/{slug}/governance".into(), json!({ "parameters": [slug], "get": {
        "summary": "Phase, conditions for the next phase, the six steps checklist, goals with objectives and progress",
        "responses": { "200": ok, "401": err, "403": err, "404": err } } }));
    m.insert("/communities/{slug}/goals".into(), json!({ "parameters": [slug], "post": {
        "summary": "Add a goal (leaders, co-leaders, conveners)",
        "requestBody": obj(json!({ "title": { "type": "string" }, "description": { "type": "string" }, "horizon": { "type": "string", "enum": ["short", "medium", "long"] } }), json!(["title", "horizon"])),
        "responses": { "201": created, "401": err, "403": err, "422": err } } }));
    m.insert("/communities/{slug}/goals/{id}/objectives".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Add a measurable objective to a goal",
        "requestBody": obj(json!({ "title": { "type": "string" }, "indicator": { "type": "string" }, "target": { "type": "string" },
            "due_on": { "type": "string", "format": "date" }, "status": { "type": "string", "enum": ObjectiveStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>() } }),
            json!(["title", "indicator", "target"])),
        "responses": { "201": created, "401": err, "403": err, "404": err, "422": err } } }));
    m.insert("/communities/{slug}/objectives/{id}/status".into(), json!({ "parameters": [slug, id], "post": {
        "summary": "Change an objective's status, with a comment kept in its history",
        "requestBody": obj(json!({ "status": { "type": "string", "enum": ObjectiveStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>() }, "comment": { "type": "string" } }), json!(["status"])),
        "responses": { "200": ok, "401": err, "403": err, "404": err, "422": err } } }));
    m.insert(
        "/communities/{slug}/phase".into(),
        json!({ "parameters": [slug], "post": {
        "summary": "Move to the next phase: a recorded decision",
        "requestBody": decision,
        "responses": { "200": ok, "400": err, "401": err, "403": err, "422": err } } }),
    );
    m
}
