//! Outcome harvesting: pages under `/c/{slug}/outcomes…` and JSON under
//! `/api/v1/communities/{slug}/outcomes…`. The list is the seed's Tables 1–3 as a page: the
//! outcomes grouped by theme with the number of distinct organizations involved per theme and
//! overall, filtered by theme, period and substantiation.
//!
//! Who may do what: whoever may see the community reads its outcomes; members (and managers and
//! admins) propose one — as claimed or substantiated by a named source; only managers edit,
//! mark verified and delete. Every id a form names (organizations, events, joint projects,
//! ties) is checked to belong to the directory or to the community before anything is written.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use tejido_core::network::TieKind;
use tejido_core::outcomes::{
    self as core, ChangeKind, FilterForm, IdValue, OutcomeForm, OutcomeInput, SourceView,
    Substantiation,
};
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::outcomes::{
    self as store, Contributor, LinkRow, OrgRef, Outcome, Owned, ThemeSummary, TieRef,
};
use tejido_db::uploads::{OwnerKind, Upload};

use crate::access::{manager, proposer, viewer, Who};
use crate::error::AppResult;
use crate::extract::form_body;
use crate::extract::ApiJson;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{confirm, headline, html, html_invalid, query, redirect, Pager};
use crate::{AppError, AppState, Ctx};

/// Most choices offered in a picker (organizations, events, projects, ties).
const CHOICES: i64 = 500;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/outcomes", Level::Viewer, list_page),
        route::post("/c/{slug}/outcomes", Level::Member, create),
        route::get("/c/{slug}/outcomes/new", Level::Member, new_page),
        route::get("/c/{slug}/outcomes/{id}", Level::Viewer, show_page),
        route::get("/c/{slug}/outcomes/{id}/edit", Level::Manager, edit_page),
        route::post("/c/{slug}/outcomes/{id}/edit", Level::Manager, save),
        route::post("/c/{slug}/outcomes/{id}/verify", Level::Manager, verify),
        route::get(
            "/c/{slug}/outcomes/{id}/delete",
            Level::Manager,
            confirm_delete,
        ),
        route::post("/c/{slug}/outcomes/{id}/delete", Level::Manager, delete),
        route::post("/c/{slug}/outcomes/{id}/files", Level::Member, attach_files),
        route::get(
            "/c/{slug}/outcomes/{id}/files/{file}",
            Level::Viewer,
            attachment,
        ),
        route::get(
            "/c/{slug}/outcomes/{id}/files/{file}/remove",
            Level::RoleHolder,
            confirm_remove_attachment,
        ),
        route::post(
            "/c/{slug}/outcomes/{id}/files/{file}/remove",
            Level::RoleHolder,
            remove_attachment,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/outcomes", Level::Viewer, api_list),
        route::post("/communities/{slug}/outcomes", Level::Member, api_create),
        route::get("/communities/{slug}/outcomes/{id}", Level::Viewer, api_get),
        route::put(
            "/communities/{slug}/outcomes/{id}",
            Level::Manager,
            api_update,
        ),
        route::delete(
            "/communities/{slug}/outcomes/{id}",
            Level::Manager,
            api_delete,
        ),
        route::post(
            "/communities/{slug}/outcomes/{id}/verify",
            Level::Manager,
            api_verify,
        ),
        route::get(
            "/communities/{slug}/outcomes/{id}/files/{file}",
            Level::Viewer,
            api_attachment,
        ),
    ]
}

async fn outcome_of(s: &AppState, w: &Who, id: i64) -> AppResult<Outcome> {
    store::get(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The tie kinds a viewer may see (funding ties only for managers).
fn visible_kinds(manage: bool) -> Vec<&'static str> {
    TieKind::visible(manage)
        .into_iter()
        .map(TieKind::as_str)
        .collect()
}

// ---- writes ------------------------------------------------------------------------------------

/// Checks the rules that need the database and the person's role; `None` when all hold.
async fn check(s: &AppState, w: &Who, i: &OutcomeInput) -> AppResult<Option<FieldErrors>> {
    let mut e = FieldErrors::new();
    if !core::may_set(i.substantiation, w.manage) {
        e.add("substantiation", "outcome-error-verify-managers");
    }
    let known = tejido_db::network::count_actors(&s.db, &i.organizations).await?;
    if usize::try_from(known).unwrap_or(0) != i.organizations.len() {
        e.add("organizations", "error-invalid-choice");
    }
    let cid = w.l.community.id;
    for (field, what, ids) in [
        ("events", Owned::Events, &i.events),
        ("projects", Owned::Projects, &i.projects),
        ("ties", Owned::Ties, &i.ties),
    ] {
        if store::count_owned(&s.db, cid, what, ids).await? != ids.len() {
            e.add(field, "error-invalid-choice");
        }
    }
    // Members may link only ties they can see.
    if !w.manage && e.get("ties").is_none() {
        let n = store::count_ties(&s.db, cid, &i.ties, &visible_kinds(false)).await?;
        if n != i.ties.len() {
            e.add("ties", "error-invalid-choice");
        }
    }
    Ok((!e.is_empty()).then_some(e))
}

async fn audit(
    tx: &mut tejido_db::Tx,
    c: &Ctx,
    action: &str,
    slug: &str,
    id: i64,
) -> AppResult<()> {
    tejido_db::audit::record(tx, c.user_id(), action, Some(slug), Some(&id.to_string())).await?;
    Ok(())
}

/// Parses, checks and stores (a new outcome, or the changes to `existing`).
async fn write(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    form: &OutcomeForm,
    existing: Option<i64>,
) -> AppResult<Result<i64, FieldErrors>> {
    let themes = core::themes(&w.l.community.themes);
    let input = match form.parse(&themes, today(&w.l.community)) {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    if let Some(e) = check(s, w, &input).await? {
        return Ok(Err(e));
    }
    let cid = w.l.community.id;
    let slug = &w.l.community.slug;
    let mut tx = s.db.begin().await?;
    let id = match existing {
        None => {
            let id = store::insert(&mut tx, cid, &input, c.user_id()).await?;
            audit(&mut tx, c, "outcome-created", slug, id).await?;
            id
        }
        Some(id) => {
            if !store::update(&mut tx, cid, id, &input, c.user_id()).await? {
                return Err(AppError::NotFound);
            }
            audit(&mut tx, c, "outcome-updated", slug, id).await?;
            id
        }
    };
    tx.commit().await?;
    Ok(Ok(id))
}

async fn write_verify(s: &AppState, c: &Ctx, w: &Who, o: &Outcome) -> AppResult<bool> {
    let mut tx = s.db.begin().await?;
    let done = store::verify(&mut tx, w.l.community.id, o.id, c.user_id()).await?;
    if done {
        audit(&mut tx, c, "outcome-verified", &w.l.community.slug, o.id).await?;
    }
    tx.commit().await?;
    Ok(done)
}

async fn write_delete(s: &AppState, c: &Ctx, w: &Who, o: &Outcome) -> AppResult<()> {
    let mut tx = s.db.begin().await?;
    store::delete(&mut tx, w.l.community.id, o.id).await?;
    audit(&mut tx, c, "outcome-deleted", &w.l.community.slug, o.id).await?;
    tx.commit().await?;
    Ok(())
}

// ---- list --------------------------------------------------------------------------------------

/// A row of the list: the outcome and the names of its organizations.
struct Item {
    o: Outcome,
    orgs: Vec<OrgRef>,
}

/// The outcomes of one theme on the current page.
struct Group {
    theme: String,
    items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "outcomes/list.html")]
struct ListPage {
    c: Ctx,
    m: Community,
    propose: bool,
    filter: FilterForm,
    themes: Options,
    substs: Options,
    summary: Vec<ThemeSummary>,
    overall: ThemeSummary,
    groups: Vec<Group>,
    pager: Pager,
    filtered: bool,
}

fn theme_options(m: &Community) -> Options {
    core::themes(&m.themes)
        .into_iter()
        .map(|t| (t.clone(), t))
        .collect()
}

fn subst_options(c: &Ctx, manage: bool) -> Options {
    Substantiation::ALL
        .iter()
        .filter(|s| core::may_set(**s, manage))
        .map(|s| (s.as_str().to_owned(), c.label("outcome-subst", s.as_str())))
        .collect()
}

/// The summary rows in the order of the community's themes (others after, by name).
fn ordered(m: &Community, mut rows: Vec<ThemeSummary>) -> Vec<ThemeSummary> {
    let themes = core::themes(&m.themes);
    rows.sort_by_key(|r| {
        (
            themes
                .iter()
                .position(|t| *t == r.theme)
                .unwrap_or(usize::MAX),
            r.theme.clone(),
        )
    });
    rows
}

async fn list_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<FilterForm>,
) -> AppResult<Response> {
    let w = viewer(&s, &c, &slug).await?;
    let f = q.parse();
    let cid = w.l.community.id;
    let page = store::list(&s.db, cid, &f, PageReq::new(q.page, None)).await?;
    let (summary, overall) = store::summary(&s.db, cid, &f).await?;
    let ids: Vec<i64> = page.items.iter().map(|o| o.id).collect();
    let orgs = store::organizations_of(&s.db, &ids).await?;
    let base = query(
        &format!("/c/{slug}/outcomes"),
        &[
            ("theme", q.theme.trim()),
            ("from", q.from.trim()),
            ("to", q.to.trim()),
            ("substantiation", q.substantiation.trim()),
        ],
    );
    let pager = Pager::new(&page, &base);
    let mut groups: Vec<Group> = Vec::new();
    for o in page.items {
        let item = Item {
            orgs: orgs
                .iter()
                .filter(|r| r.owner_id == o.id)
                .cloned()
                .collect(),
            o,
        };
        match groups.last_mut() {
            Some(g) if g.theme == item.o.theme => g.items.push(item),
            _ => groups.push(Group {
                theme: item.o.theme.clone(),
                items: vec![item],
            }),
        }
    }
    let filtered = f != core::Filter::default();
    let substs = subst_options(&c, true);
    let m = w.l.community;
    Ok(html(&ListPage {
        themes: theme_options(&m),
        summary: ordered(&m, summary),
        c,
        propose: w.propose,
        filter: q,
        substs,
        overall,
        groups,
        pager,
        filtered,
        m,
    }))
}

// ---- form --------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "outcomes/form.html")]
struct FormPage {
    c: Ctx,
    m: Community,
    /// The outcome being edited; `None` for a new one.
    editing: Option<i64>,
    form: OutcomeForm,
    errors: FieldErrors,
    themes: Options,
    kinds: Options,
    substs: Options,
    views: Options,
    orgs: Options,
    events: Options,
    projects: Options,
    ties: Options,
    sel_orgs: Vec<String>,
    sel_events: Vec<String>,
    sel_projects: Vec<String>,
    sel_ties: Vec<String>,
}

impl FormPage {
    fn action(&self) -> String {
        match self.editing {
            Some(id) => format!("/c/{}/outcomes/{id}/edit", self.m.slug),
            None => format!("/c/{}/outcomes", self.m.slug),
        }
    }
}

fn selected(v: &[IdValue]) -> Vec<String> {
    v.iter().map(IdValue::text).collect()
}

async fn event_options(s: &AppState, m: &Community) -> AppResult<Options> {
    let t = tejido_db::now();
    let mut out: Options = vec![];
    for upcoming in [false, true] {
        let p = tejido_db::events::list(&s.db, m.id, upcoming, t, PageReq::new(Some(1), Some(100)))
            .await?;
        out.extend(p.items.into_iter().map(|e| {
            let day = e.starts_at.format("%Y-%m-%d");
            (e.id.to_string(), format!("{} ({day})", e.title))
        }));
    }
    Ok(out)
}

async fn form_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    editing: Option<i64>,
    form: OutcomeForm,
    errors: FieldErrors,
) -> AppResult<FormPage> {
    let m = w.l.community;
    let orgs = tejido_db::network::actor_choices(&s.db, CHOICES)
        .await?
        .into_iter()
        .map(|a| (a.id.to_string(), a.name))
        .collect();
    let events = event_options(s, &m).await?;
    let projects = tejido_db::projects::choices(&s.db, m.id, CHOICES)
        .await?
        .into_iter()
        .map(|(id, t)| (id.to_string(), t))
        .collect();
    let ties = tejido_db::network::ties_at(&s.db, m.id, today(&m), &visible_kinds(w.manage))
        .await?
        .into_iter()
        .take(usize::try_from(CHOICES).unwrap_or(500))
        .map(|t| {
            (
                t.id.to_string(),
                format!(
                    "{} — {} · {}",
                    t.from_name,
                    t.to_name,
                    c.label("tie-kind", &t.kind)
                ),
            )
        })
        .collect();
    let kinds = ChangeKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("outcome-change", k.as_str())))
        .collect();
    let views = SourceView::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("outcome-view", k.as_str())))
        .collect();
    let substs = subst_options(&c, w.manage);
    Ok(FormPage {
        sel_orgs: selected(&form.organizations),
        sel_events: selected(&form.events),
        sel_projects: selected(&form.projects),
        sel_ties: selected(&form.ties),
        themes: theme_options(&m),
        c,
        m,
        editing,
        form,
        errors,
        kinds,
        substs,
        views,
        orgs,
        events,
        projects,
        ties,
    })
}

async fn new_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let w = proposer(&s, &c, &slug).await?;
    let form = OutcomeForm {
        substantiation: Substantiation::Claimed.as_str().into(),
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
    let form: OutcomeForm = form_body(&body)?;
    match write(&s, &c, &w, &form, None).await? {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/outcomes/{id}"))),
        Err(errors) => Ok(html_invalid(
            &form_view(&s, c, w, None, form, errors).await?,
        )),
    }
}

fn ids_of(v: Vec<i64>) -> Vec<IdValue> {
    v.into_iter().map(IdValue::Int).collect()
}

async fn form_of(s: &AppState, o: &Outcome) -> AppResult<OutcomeForm> {
    let orgs = store::organizations_of(&s.db, &[o.id]).await?;
    let links = store::links(&s.db, o.id).await?;
    let (events, projects, ties) = store::linked_ids(&s.db, o.id).await?;
    Ok(OutcomeForm {
        description: o.description.clone(),
        change_kind: o.change_kind.clone(),
        significance: o.significance.clone(),
        contribution: o.contribution.clone(),
        theme: o.theme.clone(),
        happened_on: o.happened_on.format("%Y-%m-%d").to_string(),
        organizations: orgs.iter().map(|r| IdValue::Int(r.id)).collect(),
        links: core::links_text(&store::as_links(&links)),
        substantiation: o.substantiation.clone(),
        source_name: o.source_name.clone().unwrap_or_default(),
        source_view: o.source_view.clone().unwrap_or_default(),
        events: ids_of(events),
        projects: ids_of(projects),
        ties: ids_of(ties),
    })
}

async fn edit_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    let form = form_of(&s, &o).await?;
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
    let o = outcome_of(&s, &w, id).await?;
    let form: OutcomeForm = form_body(&body)?;
    match write(&s, &c, &w, &form, Some(o.id)).await? {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/outcomes/{id}"))),
        Err(errors) => Ok(html_invalid(
            &form_view(&s, c, w, Some(id), form, errors).await?,
        )),
    }
}

// ---- detail ------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "outcomes/show.html")]
struct ShowPage {
    c: Ctx,
    m: Community,
    manage: bool,
    o: Outcome,
    orgs: Vec<OrgRef>,
    links: Vec<LinkRow>,
    events: Vec<Contributor>,
    projects: Vec<Contributor>,
    ties: Vec<TieRef>,
    attachments: Vec<Upload>,
    /// May add or remove evidence files: managers and whoever proposed the outcome.
    attach: bool,
    file_error: Option<String>,
    max_size: String,
}

struct Detail {
    orgs: Vec<OrgRef>,
    links: Vec<LinkRow>,
    events: Vec<Contributor>,
    projects: Vec<Contributor>,
    ties: Vec<TieRef>,
    attachments: Vec<Upload>,
}

async fn detail(s: &AppState, w: &Who, o: &Outcome) -> AppResult<Detail> {
    Ok(Detail {
        orgs: store::organizations_of(&s.db, &[o.id]).await?,
        links: store::links(&s.db, o.id).await?,
        events: store::events_of(&s.db, o.id).await?,
        projects: store::projects_of(&s.db, o.id).await?,
        ties: store::ties_of(&s.db, o.id, &visible_kinds(w.manage)).await?,
        attachments: tejido_db::uploads::list_for(&s.db, OwnerKind::Outcome, o.id).await?,
    })
}

/// Managers, and the member who proposed the outcome, add and remove its evidence files.
fn may_attach(c: &Ctx, w: &Who, o: &Outcome) -> bool {
    w.manage || (w.propose && c.user_id().is_some() && o.proposed_by == c.user_id())
}

async fn show_view(
    s: &AppState,
    c: Ctx,
    w: Who,
    o: Outcome,
    file_error: Option<String>,
) -> AppResult<ShowPage> {
    let d = detail(s, &w, &o).await?;
    let max_size = tejido_core::uploads::human_size(
        i64::try_from(s.config.upload_max_bytes).unwrap_or(i64::MAX),
    );
    Ok(ShowPage {
        attach: may_attach(&c, &w, &o),
        c,
        m: w.l.community,
        manage: w.manage,
        o,
        orgs: d.orgs,
        links: d.links,
        events: d.events,
        projects: d.projects,
        ties: d.ties,
        attachments: d.attachments,
        file_error,
        max_size,
    })
}

async fn show_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = viewer(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    Ok(html(&show_view(&s, c, w, o, None).await?))
}

async fn verify(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    write_verify(&s, &c, &w, &o).await?;
    Ok(redirect(&format!("/c/{slug}/outcomes/{id}")))
}

/// Asks before an outcome and its evidence are deleted.
async fn confirm_delete(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    Ok(confirm(
        c.t1(
            "outcome-delete-question",
            "name",
            &headline(&o.description, 80),
        ),
        c.t("confirm-delete-note"),
        format!("/c/{slug}/outcomes/{id}/delete"),
        vec![],
        c.t("confirm-delete"),
        format!("/c/{slug}/outcomes/{id}"),
        c,
    ))
}

async fn delete(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    write_delete(&s, &c, &w, &o).await?;
    Ok(redirect(&format!("/c/{slug}/outcomes")))
}

// ---- evidence files ----------------------------------------------------------------------------

async fn attach_files(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    mp: Multipart,
) -> AppResult<Response> {
    let w = proposer(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    if !may_attach(&c, &w, &o) {
        return Err(AppError::Forbidden);
    }
    let scope = crate::uploads::QuotaScope::Community(w.l.community.id);
    let read = match crate::uploads::read(&s, mp).await? {
        Ok(i) => crate::uploads::check_quota(&s, scope, &i.files)
            .await?
            .map(|()| i),
        Err(refused) => Err(refused),
    };
    let incoming = match read {
        Ok(i) => i,
        Err(refused) => {
            let msg = refused.message(&c);
            let mut r = html(&show_view(&s, c, w, o, Some(msg)).await?);
            refused.apply(&mut r);
            return Ok(r);
        }
    };
    if incoming.files.is_empty() {
        let msg = c.t("outcome-files-none-chosen");
        return Ok(html_invalid(&show_view(&s, c, w, o, Some(msg)).await?));
    }
    let mut tx = s.db.begin().await?;
    let stored = crate::uploads::store(&s, &mut tx, &incoming.files, c.user_id()).await?;
    for u in &stored {
        tejido_db::uploads::attach(&mut tx, OwnerKind::Outcome, id, u.id).await?;
    }
    audit(&mut tx, &c, "outcome-files-attached", &slug, id).await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/outcomes/{id}#evidence")))
}

/// The outcome whose evidence files the requester may change (attach or remove), or 403.
async fn attacher(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<Outcome> {
    let w = proposer(s, c, slug).await?;
    let o = outcome_of(s, &w, id).await?;
    if !may_attach(c, &w, &o) {
        return Err(AppError::Forbidden);
    }
    Ok(o)
}

async fn confirm_remove_attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, file)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    attacher(&s, &c, &slug, id).await?;
    crate::uploads::confirm_detach(
        &s,
        c,
        OwnerKind::Outcome,
        id,
        file,
        format!("/c/{slug}/outcomes/{id}/files/{file}/remove"),
        format!("/c/{slug}/outcomes/{id}#evidence"),
    )
    .await
}

async fn remove_attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, file)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    attacher(&s, &c, &slug, id).await?;
    let mut tx = s.db.begin().await?;
    if !tejido_db::uploads::detach(&mut tx, OwnerKind::Outcome, id, file).await? {
        return Err(AppError::NotFound);
    }
    audit(&mut tx, &c, "outcome-file-removed", &slug, id).await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/outcomes/{id}#evidence")))
}

async fn attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, file)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let w = viewer(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    let u = tejido_db::uploads::get_attached(&s.db, OwnerKind::Outcome, o.id, file)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::uploads::download(&s, &u).await
}

async fn api_attachment(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, file)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    c.require_user()?;
    attachment(State(s), c, Path((slug, id, file))).await
}

// ---- JSON API ----------------------------------------------------------------------------------

async fn outcome_json(s: &AppState, w: &Who, o: &Outcome) -> AppResult<Value> {
    let d = detail(s, w, o).await?;
    Ok(json!({
        "outcome": o,
        "organizations": d.orgs,
        "links": d.links,
        "events": d.events,
        "projects": d.projects,
        "ties": d.ties,
        "attachments": d.attachments.iter()
            .map(|u| crate::uploads::json(u, &format!("/api/v1/communities/{}/outcomes/{}/files", w.l.community.slug, o.id)))
            .collect::<Vec<_>>(),
    }))
}

async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<FilterForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = viewer(&s, &c, &slug).await?;
    let f = q.parse();
    let cid = w.l.community.id;
    let page = store::list(&s.db, cid, &f, PageReq::new(q.page, q.per_page)).await?;
    let (summary, overall) = store::summary(&s.db, cid, &f).await?;
    let ids: Vec<i64> = page.items.iter().map(|o| o.id).collect();
    let orgs = store::organizations_of(&s.db, &ids).await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|o| {
            let mine: Vec<&OrgRef> = orgs.iter().filter(|r| r.owner_id == o.id).collect();
            json!({ "outcome": o, "organizations": mine })
        })
        .collect();
    let mut v = page_json(&Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    });
    v["by_theme"] = json!(ordered(&w.l.community, summary));
    v["overall"] = json!({ "outcomes": overall.outcomes, "organizations": overall.organizations });
    Ok(Json(v))
}

async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<OutcomeForm>,
) -> AppResult<Response> {
    let w = proposer(&s, &c, &slug).await?;
    let id = write(&s, &c, &w, &form, None)
        .await?
        .map_err(AppError::Validation)?;
    let o = outcome_of(&s, &w, id).await?;
    Ok((StatusCode::CREATED, Json(outcome_json(&s, &w, &o).await?)).into_response())
}

async fn api_get(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let w = viewer(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    Ok(Json(outcome_json(&s, &w, &o).await?))
}

async fn api_update(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<OutcomeForm>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    write(&s, &c, &w, &form, Some(o.id))
        .await?
        .map_err(AppError::Validation)?;
    let o = outcome_of(&s, &w, id).await?;
    Ok(Json(outcome_json(&s, &w, &o).await?))
}

async fn api_verify(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    write_verify(&s, &c, &w, &o).await?;
    let o = outcome_of(&s, &w, id).await?;
    Ok(Json(outcome_json(&s, &w, &o).await?))
}

async fn api_delete(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<StatusCode> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    write_delete(&s, &c, &w, &o).await?;
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
    let q = |name: &str, d: &str| json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" }, "description": d });
    let ids = json!({ "type": "array", "items": { "oneOf": [{ "type": "integer" }, { "type": "string" }] } });
    let kinds: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
    let substs: Vec<&str> = Substantiation::ALL.iter().map(|k| k.as_str()).collect();
    let views: Vec<&str> = SourceView::ALL.iter().map(|k| k.as_str()).collect();
    let schema = json!({ "type": "object",
        "required": ["description", "change_kind", "significance", "contribution", "theme", "happened_on", "organizations"],
        "properties": {
            "description": { "type": "string", "description": "Who changed what, when and where" },
            "change_kind": { "type": "string", "enum": kinds },
            "significance": { "type": "string" }, "contribution": { "type": "string", "description": "How the community contributed" },
            "theme": { "type": "string", "description": "One of the community's themes" },
            "happened_on": { "type": "string", "format": "date" },
            "organizations": ids, "events": ids, "projects": ids, "ties": ids,
            "links": { "type": "string", "description": "One per line: an http(s) address, then an optional label" },
            "substantiation": { "type": "string", "enum": substs, "description": "verified: managers only" },
            "source_name": { "type": "string" }, "source_view": { "type": "string", "enum": views } } });
    let v = json!({
        "/communities/{slug}/outcomes": { "parameters": [slug],
            "get": { "summary": "Significant outcomes by theme, with outcomes and distinct organizations per theme and overall",
                "parameters": [q("theme", "One theme"), q("from", "YYYY-MM-DD"), q("to", "YYYY-MM-DD"), q("substantiation", "claimed, substantiated or verified"), q("page", "Page number"), q("per_page", "Up to 100")],
                "responses": { "200": ok("A page of outcomes, by_theme and overall"), "401": err, "403": err, "404": err } },
            "post": { "summary": "Propose an outcome (members; verified only by managers)", "requestBody": body(schema.clone()),
                "responses": { "201": ok("The outcome"), "401": err, "403": err, "422": err } } },
        "/communities/{slug}/outcomes/{id}": { "parameters": [slug, id],
            "get": { "summary": "An outcome with its organizations, links, events, projects and ties", "responses": { "200": ok("The outcome"), "401": err, "403": err, "404": err } },
            "put": { "summary": "Replace an outcome (managers)", "requestBody": body(schema),
                "responses": { "200": ok("The outcome"), "401": err, "403": err, "404": err, "422": err } },
            "delete": { "summary": "Delete an outcome (managers)", "responses": { "204": { "description": "Deleted" }, "401": err, "403": err, "404": err } } },
        "/communities/{slug}/outcomes/{id}/files/{file}": { "parameters": [slug, id, { "name": "file", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "get": { "summary": "Download an evidence file of an outcome (served as an attachment)", "responses": { "200": { "description": "The file", "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } }, "401": err, "403": err, "404": err } } },
        "/communities/{slug}/outcomes/{id}/verify": { "parameters": [slug, id],
            "post": { "summary": "Mark an outcome verified (managers)", "responses": { "200": ok("The outcome"), "401": err, "403": err, "404": err } } }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
