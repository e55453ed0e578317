//! Joint projects and alliances: pages under `/c/{slug}/projects…` and JSON under
//! `/api/v1/communities/{slug}/projects…`.
//!
//! Who may do what (as for outcomes): whoever may see the community reads its projects; members
//! (and managers and admins) start one; only managers edit it, add or remove outside partners
//! and delete it. Creating a project, saving it or adding a partner can add the matching ties to
//! the Local System map (collaboration for a joint project, alliance for an alliance; through
//! the community; source "joint project") between its organizations — never a second active tie
//! of the same kind between the same pair.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::directory::STATES;
use tejido_core::network::TieSource;
use tejido_core::outcomes::{self as oc, IdValue};
use tejido_core::page::{Page, PageReq};
use tejido_core::projects::{
    new_ties, PartnerForm, PartnerInput, ProjectForm, ProjectInput, ProjectKind, ProjectStatus,
};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::outcomes::OutcomeBrief;
use tejido_db::projects::{self as store, Project, ProjectOrg};

use crate::access::{manager, proposer, viewer, Who};
use crate::error::AppResult;
use crate::extract::form_body;
use crate::extract::ApiJson;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{confirm, html, html_invalid, redirect, Pager};
use crate::{AppError, AppState, Ctx};

/// Most choices offered in an organization picker.
const CHOICES: i64 = 1000;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/projects", Level::Viewer, list_page),
        route::post("/c/{slug}/projects", Level::Member, create),
        route::get("/c/{slug}/projects/new", Level::Member, new_page),
        route::get("/c/{slug}/projects/{id}", Level::Viewer, show_page),
        route::get("/c/{slug}/projects/{id}/edit", Level::Manager, edit_page),
        route::post("/c/{slug}/projects/{id}/edit", Level::Manager, save),
        route::post(
            "/c/{slug}/projects/{id}/partners",
            Level::Manager,
            add_partner,
        ),
        route::get(
            "/c/{slug}/projects/{id}/partners/{org}/remove",
            Level::Manager,
            confirm_remove_partner,
        ),
        route::post(
            "/c/{slug}/projects/{id}/partners/{org}/remove",
            Level::Manager,
            remove_partner,
        ),
        route::get(
            "/c/{slug}/projects/{id}/delete",
            Level::Manager,
            confirm_delete,
        ),
        route::post("/c/{slug}/projects/{id}/delete", Level::Manager, delete),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/projects", Level::Viewer, api_list),
        route::post("/communities/{slug}/projects", Level::Member, api_create),
        route::get("/communities/{slug}/projects/{id}", Level::Viewer, api_get),
        route::put(
            "/communities/{slug}/projects/{id}",
            Level::Manager,
            api_update,
        ),
        route::delete(
            "/communities/{slug}/projects/{id}",
            Level::Manager,
            api_delete,
        ),
        route::post(
            "/communities/{slug}/projects/{id}/partners",
            Level::Manager,
            api_partner,
        ),
    ]
}

async fn project_of(s: &AppState, w: &Who, id: i64) -> AppResult<Project> {
    store::get(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn audit(
    tx: &mut tejido_db::Tx,
    c: &Ctx,
    action: &str,
    slug: &str,
    detail: &str,
) -> AppResult<()> {
    tejido_db::audit::record(tx, c.user_id(), action, Some(slug), Some(detail)).await?;
    Ok(())
}

// ---- writes ------------------------------------------------------------------------------------

/// Adds the ties the project's organizations lack: `new` joined a project that had `old`.
/// Returns how many were added.
async fn add_ties(
    tx: &mut tejido_db::Tx,
    c: &Ctx,
    m: &Community,
    kind: ProjectKind,
    old: &[i64],
    new: &[i64],
) -> AppResult<usize> {
    let day = today(m);
    let mut all: Vec<i64> = old.to_vec();
    all.extend_from_slice(new);
    let tie_kind = kind.tie_kind();
    let existing = store::tied_pairs(tx, m.id, tie_kind.as_str(), &all, day).await?;
    let ties = new_ties(old, new, tie_kind, &existing, day);
    if ties.is_empty() {
        return Ok(0);
    }
    tejido_db::network::insert_ties(tx, m.id, &ties, TieSource::JointProject, None, c.user_id())
        .await?;
    audit(
        tx,
        c,
        "ties-added",
        &m.slug,
        &format!("joint-project: {}", ties.len()),
    )
    .await?;
    Ok(ties.len())
}

/// Parses and checks a project form: the members must be current member organizations.
async fn parse(
    s: &AppState,
    w: &Who,
    form: &ProjectForm,
) -> AppResult<Result<ProjectInput, FieldErrors>> {
    let themes = oc::themes(&w.l.community.themes);
    let input = match form.parse(&themes) {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let members: Vec<i64> = tejido_db::network::member_actors(&s.db, w.l.community.id)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    if input.members.iter().any(|id| !members.contains(id)) {
        return Ok(Err(FieldErrors::single("members", "error-invalid-choice")));
    }
    Ok(Ok(input))
}

async fn write(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    form: &ProjectForm,
    existing: Option<i64>,
) -> AppResult<Result<i64, FieldErrors>> {
    let input = match parse(s, w, form).await? {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let m = &w.l.community;
    let mut tx = s.db.begin().await?;
    let id = match existing {
        None => {
            let id = store::insert(&mut tx, m.id, &input, c.user_id()).await?;
            audit(&mut tx, c, "project-created", &m.slug, &id.to_string()).await?;
            id
        }
        Some(id) => {
            if !store::update(&mut tx, m.id, id, &input).await? {
                return Err(AppError::NotFound);
            }
            audit(&mut tx, c, "project-updated", &m.slug, &id.to_string()).await?;
            id
        }
    };
    if input.add_ties {
        let orgs = store::organization_ids(&mut tx, id).await?;
        add_ties(&mut tx, c, m, input.kind, &[], &orgs).await?;
    }
    tx.commit().await?;
    Ok(Ok(id))
}

async fn write_partner(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    p: &Project,
    form: &PartnerForm,
) -> AppResult<Result<PartnerInput, FieldErrors>> {
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    if tejido_db::network::count_actors(&s.db, &[input.organization]).await? != 1 {
        return Ok(Err(FieldErrors::single(
            "organization",
            "error-invalid-choice",
        )));
    }
    let m = &w.l.community;
    let kind = ProjectKind::parse(&p.kind).unwrap_or(ProjectKind::JointProject);
    let mut tx = s.db.begin().await?;
    let old = store::organization_ids(&mut tx, p.id).await?;
    if old.len() >= tejido_core::projects::MAX_ORGANIZATIONS {
        return Ok(Err(FieldErrors::single(
            "organization",
            "outcome-error-too-many",
        )));
    }
    if !store::add_partner(&mut tx, p.id, input.organization, &input.role).await? {
        return Ok(Err(FieldErrors::single(
            "organization",
            "project-error-already-in",
        )));
    }
    audit(
        &mut tx,
        c,
        "project-partner-added",
        &m.slug,
        &format!("{}: {}", p.id, input.organization),
    )
    .await?;
    if input.add_ties {
        add_ties(&mut tx, c, m, kind, &old, &[input.organization]).await?;
    }
    tx.commit().await?;
    Ok(Ok(input))
}

async fn write_delete(s: &AppState, c: &Ctx, w: &Who, p: &Project) -> AppResult<()> {
    let mut tx = s.db.begin().await?;
    store::delete(&mut tx, w.l.community.id, p.id).await?;
    audit(
        &mut tx,
        c,
        "project-deleted",
        &w.l.community.slug,
        &p.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---- list --------------------------------------------------------------------------------------

fn states_text(codes: &[String]) -> String {
    codes
        .iter()
        .filter_map(|c| tejido_core::directory::state_name(c))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Row {
    p: Project,
    states: String,
    members: usize,
    partners: usize,
}

#[derive(Template)]
#[template(path = "projects/list.html")]
struct ListPage {
    c: Ctx,
    m: Community,
    propose: bool,
    rows: Vec<Row>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

async fn list_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let w = viewer(&s, &c, &slug).await?;
    let page = store::list(&s.db, w.l.community.id, PageReq::new(q.page, None)).await?;
    let pager = Pager::new(&page, &format!("/c/{slug}/projects"));
    let ids: Vec<i64> = page.items.iter().map(|p| p.id).collect();
    let orgs = store::organizations_of(&s.db, &ids).await?;
    let rows = page
        .items
        .into_iter()
        .map(|p| {
            let mine = orgs.iter().filter(|o| o.project_id == p.id);
            let partners = mine.clone().filter(|o| o.partner).count();
            Row {
                states: states_text(&p.state_codes()),
                members: mine.count() - partners,
                partners,
                p,
            }
        })
        .collect();
    Ok(html(&ListPage {
        c,
        m: w.l.community,
        propose: w.propose,
        rows,
        pager,
    }))
}

// ---- form --------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "projects/form.html")]
struct FormPage {
    c: Ctx,
    m: Community,
    editing: Option<i64>,
    form: ProjectForm,
    errors: FieldErrors,
    kinds: Options,
    statuses: Options,
    themes: Options,
    states: Options,
    members: Options,
    sel_states: Vec<String>,
    sel_members: Vec<String>,
}

impl FormPage {
    fn action(&self) -> String {
        match self.editing {
            Some(id) => format!("/c/{}/projects/{id}/edit", self.m.slug),
            None => format!("/c/{}/projects", self.m.slug),
        }
    }
}

fn kind_options(c: &Ctx) -> Options {
    ProjectKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("project-kind", k.as_str())))
        .collect()
}

async fn form_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    editing: Option<i64>,
    form: ProjectForm,
    errors: FieldErrors,
) -> AppResult<FormPage> {
    let m = w.l.community;
    let members = tejido_db::network::member_actors(&s.db, m.id)
        .await?
        .into_iter()
        .map(|a| (a.id.to_string(), a.name))
        .collect();
    let statuses = ProjectStatus::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("project-status", k.as_str())))
        .collect();
    let themes = oc::themes(&m.themes)
        .into_iter()
        .map(|t| (t.clone(), t))
        .collect();
    let states = STATES
        .iter()
        .map(|(code, name)| ((*code).to_owned(), (*name).to_owned()))
        .collect();
    Ok(FormPage {
        kinds: kind_options(&c),
        sel_states: form.states.iter().map(IdValue::text).collect(),
        sel_members: form.members.iter().map(IdValue::text).collect(),
        c,
        m,
        editing,
        form,
        errors,
        statuses,
        themes,
        states,
        members,
    })
}

async fn new_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = proposer(&s, &c, &slug).await?;
    let form = ProjectForm {
        kind: ProjectKind::JointProject.as_str().into(),
        status: ProjectStatus::Idea.as_str().into(),
        add_ties: "on".into(),
        ..Default::default()
    };
    Ok(html(
        &form_view(&s, c, w, None, form, FieldErrors::new()).await?,
    ))
}

async fn create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let w = proposer(&s, &c, &slug).await?;
    let form: ProjectForm = form_body(&body)?;
    match write(&s, &c, &w, &form, None).await? {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/projects/{id}"))),
        Err(errors) => Ok(html_invalid(
            &form_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

async fn form_of(s: &AppState, p: &Project) -> AppResult<ProjectForm> {
    let orgs = store::organizations_of(&s.db, &[p.id]).await?;
    let date = |d: Option<chrono::NaiveDate>| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    Ok(ProjectForm {
        title: p.title.clone(),
        kind: p.kind.clone(),
        theme: p.theme.clone().unwrap_or_default(),
        states: p.state_codes().into_iter().map(IdValue::Text).collect(),
        municipality: p.municipality.clone().unwrap_or_default(),
        status: p.status.clone(),
        starts_on: date(p.starts_on),
        ends_on: date(p.ends_on),
        description: p.description.clone().unwrap_or_default(),
        members: orgs
            .iter()
            .filter(|o| !o.partner)
            .map(|o| IdValue::Int(o.id))
            .collect(),
        add_ties: String::new(),
    })
}

async fn edit_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    let form = form_of(&s, &p).await?;
    Ok(html(
        &form_view(&s, c, w, Some(id), form, FieldErrors::new()).await?,
    ))
}

async fn save(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    body: Bytes,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    let form: ProjectForm = form_body(&body)?;
    match write(&s, &c, &w, &form, Some(p.id)).await? {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/projects/{id}"))),
        Err(errors) => Ok(html_invalid(
            &form_view(&s, c, w, Some(id), form, errors).await?,
        )),
    }
}

// ---- detail ------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ShowPage {
    c: Ctx,
    m: Community,
    manage: bool,
    p: Project,
    states: String,
    members: Vec<ProjectOrg>,
    partners: Vec<ProjectOrg>,
    outcomes: Vec<OutcomeBrief>,
    form: PartnerForm,
    errors: FieldErrors,
    choices: Options,
}

struct Detail {
    members: Vec<ProjectOrg>,
    partners: Vec<ProjectOrg>,
    outcomes: Vec<OutcomeBrief>,
}

async fn detail(s: &AppState, p: &Project) -> AppResult<Detail> {
    let (partners, members) = store::organizations_of(&s.db, &[p.id])
        .await?
        .into_iter()
        .partition(|o| o.partner);
    Ok(Detail {
        members,
        partners,
        outcomes: tejido_db::outcomes::of_project(&s.db, p.id, 200).await?,
    })
}

async fn show_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    p: Project,
    form: PartnerForm,
    errors: FieldErrors,
) -> AppResult<ShowPage> {
    let d = detail(s, &p).await?;
    let choices = if w.manage {
        tejido_db::network::actor_choices(&s.db, CHOICES)
            .await?
            .into_iter()
            .map(|a| {
                let kind = c.label("org-kind", &a.kind);
                (a.id.to_string(), format!("{} ({kind})", a.name))
            })
            .collect()
    } else {
        vec![]
    };
    Ok(ShowPage {
        states: states_text(&p.state_codes()),
        c,
        m: w.l.community,
        manage: w.manage,
        p,
        members: d.members,
        partners: d.partners,
        outcomes: d.outcomes,
        form,
        errors,
        choices,
    })
}

fn partner_defaults() -> PartnerForm {
    PartnerForm {
        add_ties: "on".into(),
        ..Default::default()
    }
}

async fn show_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = viewer(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    Ok(html(
        &show_view(&s, c, w, p, partner_defaults(), FieldErrors::new()).await?,
    ))
}

async fn add_partner(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    body: Bytes,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    let form: PartnerForm = form_body(&body)?;
    match write_partner(&s, &c, &w, &p, &form).await? {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/projects/{id}#partners"))),
        Err(errors) => Ok(html_invalid(&show_view(&s, c, w, p, form, errors).await?)),
    }
}

/// Asks before a partner organization leaves the project.
async fn confirm_remove_partner(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, org)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    let o = tejido_db::directory::organization(&s.db, org)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(confirm(
        c.t2(
            "project-remove-partner-question",
            "name",
            &o.name,
            "project",
            &p.title,
        ),
        c.t("project-remove-partner-note"),
        format!("/c/{slug}/projects/{id}/partners/{org}/remove"),
        vec![],
        c.t("confirm-remove"),
        format!("/c/{slug}/projects/{id}"),
        c,
    ))
}

/// Asks before a project is deleted.
async fn confirm_delete(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    Ok(confirm(
        c.t1("project-delete-question", "name", &p.title),
        c.t("confirm-delete-note"),
        format!("/c/{slug}/projects/{id}/delete"),
        vec![],
        c.t("confirm-delete"),
        format!("/c/{slug}/projects/{id}"),
        c,
    ))
}

async fn remove_partner(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, org)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    let mut tx = s.db.begin().await?;
    if !store::remove_partner(&mut tx, p.id, org).await? {
        return Err(AppError::NotFound);
    }
    audit(
        &mut tx,
        &c,
        "project-partner-removed",
        &slug,
        &format!("{id}: {org}"),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/projects/{id}#partners")))
}

async fn delete(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    write_delete(&s, &c, &w, &p).await?;
    Ok(redirect(&format!("/c/{slug}/projects")))
}

// ---- JSON API ----------------------------------------------------------------------------------

async fn project_json(s: &AppState, p: &Project) -> AppResult<Value> {
    let d = detail(s, p).await?;
    Ok(
        json!({ "project": p, "members": d.members, "partners": d.partners, "outcomes": d.outcomes }),
    )
}

async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = viewer(&s, &c, &slug).await?;
    let page: Page<Project> =
        store::list(&s.db, w.l.community.id, PageReq::new(q.page, q.per_page)).await?;
    let ids: Vec<i64> = page.items.iter().map(|p| p.id).collect();
    let orgs = store::organizations_of(&s.db, &ids).await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|p| {
            let mine: Vec<&ProjectOrg> = orgs.iter().filter(|o| o.project_id == p.id).collect();
            json!({ "project": p, "organizations": mine })
        })
        .collect();
    Ok(Json(
        json!({ "items": items, "page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages() }),
    ))
}

async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ProjectForm>,
) -> AppResult<Response> {
    let w = proposer(&s, &c, &slug).await?;
    let id = write(&s, &c, &w, &form, None)
        .await?
        .map_err(AppError::Validation)?;
    let p = project_of(&s, &w, id).await?;
    Ok((StatusCode::CREATED, Json(project_json(&s, &p).await?)).into_response())
}

async fn api_get(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = viewer(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    Ok(Json(project_json(&s, &p).await?))
}

async fn api_update(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<ProjectForm>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    write(&s, &c, &w, &form, Some(p.id))
        .await?
        .map_err(AppError::Validation)?;
    let p = project_of(&s, &w, id).await?;
    Ok(Json(project_json(&s, &p).await?))
}

async fn api_partner(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<PartnerForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    write_partner(&s, &c, &w, &p, &form)
        .await?
        .map_err(AppError::Validation)?;
    Ok((StatusCode::CREATED, Json(project_json(&s, &p).await?)).into_response())
}

async fn api_delete(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<StatusCode> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    write_delete(&s, &c, &w, &p).await?;
    Ok(StatusCode::NO_CONTENT)
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
    let ids = json!({ "type": "array", "items": { "oneOf": [{ "type": "integer" }, { "type": "string" }] } });
    let kinds: Vec<&str> = ProjectKind::ALL.iter().map(|k| k.as_str()).collect();
    let statuses: Vec<&str> = ProjectStatus::ALL.iter().map(|k| k.as_str()).collect();
    let schema = json!({ "type": "object", "required": ["title", "kind", "status"], "properties": {
        "title": { "type": "string" }, "kind": { "type": "string", "enum": kinds },
        "theme": { "type": "string", "description": "One of the community's themes" },
        "states": { "type": "array", "items": { "type": "string" }, "description": "INEGI two-digit state codes" },
        "municipality": { "type": "string" }, "status": { "type": "string", "enum": statuses },
        "starts_on": { "type": "string", "format": "date" }, "ends_on": { "type": "string", "format": "date" },
        "description": { "type": "string" }, "members": ids,
        "add_ties": { "type": "string", "enum": ["on", ""], "description": "Add collaboration (or alliance) ties between the project's organizations to the Local System map" } } });
    let v = json!({
        "/communities/{slug}/projects": { "parameters": [slug],
            "get": { "summary": "The community's joint projects and alliances, newest first", "responses": { "200": ok("A page of projects"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Start a joint project or alliance (members)", "requestBody": body(schema.clone()),
                "responses": { "201": ok("The project"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/projects/{id}": { "parameters": [slug, id],
            "get": { "summary": "A project with its members, partners and linked outcomes", "responses": { "200": ok("The project"), "401": err, "403": err, "404": err } },
            "put": { "summary": "Replace a project (managers); partners stay", "requestBody": body(schema),
                "responses": { "200": ok("The project"), "401": err, "403": err, "404": err, "422": err } },
            "delete": { "summary": "Delete a project (managers); its outcomes stay", "responses": { "204": { "description": "Deleted" }, "401": err, "403": err, "404": err } } },
        "/communities/{slug}/projects/{id}/partners": { "parameters": [slug, id],
            "post": { "summary": "Add an outside partner with its role (managers)", "requestBody": body(json!({ "type": "object", "required": ["organization", "role"], "properties": {
                "organization": { "oneOf": [{ "type": "integer" }, { "type": "string" }] }, "role": { "type": "string" },
                "add_ties": { "type": "string", "enum": ["on", ""] } } })),
                "responses": { "201": ok("The project"), "401": err, "403": err, "404": err, "422": err } } }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
