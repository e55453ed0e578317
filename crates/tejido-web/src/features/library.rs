//! The knowledge library (*biblioteca*): pages under `/library` (and a community's tab at
//! `/c/{slug}/library`), JSON under `/api/v1/library`.
//!
//! Who may do what (the same on pages and in the API):
//! - reading: a resource is listed, counted and shown only to those its visibility allows
//!   (decided in SQL by `tejido_db::library`): public — anyone, signed in or not; instance —
//!   every signed-in person; community — whoever may view its community. Its attachments are
//!   downloaded under the same rule (`/library/{id}/files/{upload_id}`).
//! - creating: a signed-in person with a person record; a community resource only in a
//!   community they belong to (admins: any).
//! - editing and archiving: the author, the managers of its community, an admin. Every edit
//!   keeps the previous version (`/library/{id}/history`).
//! - lessons learned written in minutes and After Action Reviews are listed beside the
//!   resources for the members of their community, linked to where they were written.
//!
//! Every create/edit updates the search index in the same transaction; archiving removes it.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::charter::render_markdown;
use tejido_core::library::{can_edit, Kind, ResourceForm, ResourceInput, Visibility, LANGUAGES};
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::library::{self as store, DerivedLesson, Filter, Resource, Version, Viewer};
use tejido_db::search::{self, SearchDoc, Source};
use tejido_db::uploads::{self as files, OwnerKind, Upload};

use crate::access::load;
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::routes::{self as route, Level, Route};
use crate::uploads::{self, CheckedFile};
use crate::views::Options;
use crate::views::{html, html_invalid, query, redirect, Pager};
use crate::{AppError, AppState, Ctx};

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/library", Level::Viewer, index),
        route::post("/library", Level::Viewer, create),
        route::get("/library/new", Level::Account, new_form),
        route::get("/library/{id}", Level::Viewer, show),
        route::get("/library/{id}/edit", Level::RoleHolder, edit_form),
        route::post("/library/{id}/edit", Level::RoleHolder, save),
        route::get("/library/{id}/history", Level::Viewer, history),
        route::post("/library/{id}/archive", Level::RoleHolder, archive),
        route::get("/library/{id}/files/{upload_id}", Level::Viewer, file),
        route::get("/c/{slug}/library", Level::Viewer, community_index),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/library", Level::Viewer, api_list),
        route::post("/library", Level::Viewer, api_create),
        route::get("/library/{id}", Level::Viewer, api_get),
        route::put("/library/{id}", Level::RoleHolder, api_update),
        route::get("/library/{id}/files/{upload_id}", Level::Viewer, api_file),
    ]
}

// ---- who is asking ---------------------------------------------------------------------------

fn viewer(c: &Ctx) -> Viewer {
    c.viewer()
}

fn refuse(c: &Ctx) -> AppError {
    if c.signed_in() {
        AppError::Forbidden
    } else {
        AppError::Unauthorized
    }
}

/// A visible resource, or 404 when it does not exist, or a refusal when it may not be seen.
async fn load_visible(s: &AppState, c: &Ctx, id: i64) -> AppResult<Resource> {
    match store::get_visible(&s.db, viewer(c), id).await? {
        Some(r) => Ok(r),
        None if store::exists(&s.db, id).await? => Err(refuse(c)),
        None => Err(AppError::NotFound),
    }
}

/// True when the viewer manages the resource's community.
async fn manages(s: &AppState, c: &Ctx, community_id: Option<i64>) -> AppResult<bool> {
    let (Some(cid), Some(pid)) = (community_id, c.user.as_ref().and_then(|u| u.person_id)) else {
        return Ok(false);
    };
    let (_, roles) = tejido_db::communities::standing(&s.db, cid, pid).await?;
    Ok(roles.iter().any(|r| r.can_manage()))
}

async fn may_edit(s: &AppState, c: &Ctx, r: &Resource) -> AppResult<bool> {
    let Some(uid) = c.user_id() else {
        return Ok(false);
    };
    Ok(can_edit(
        c.is_admin(),
        r.created_by == Some(uid),
        manages(s, c, r.community_id).await?,
    ))
}

/// A visible resource the viewer may edit.
async fn load_editable(s: &AppState, c: &Ctx, id: i64) -> AppResult<Resource> {
    c.require_user()?;
    let r = load_visible(s, c, id).await?;
    if may_edit(s, c, &r).await? {
        Ok(r)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The person creating a resource (a signed-in account linked to a person).
fn require_author(c: &Ctx) -> AppResult<i64> {
    let u = c.require_user()?;
    u.person_id.ok_or(AppError::Forbidden)
}

// ---- options ---------------------------------------------------------------------------------

fn kind_options(c: &Ctx) -> Options {
    Kind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("library-kind", k.as_str())))
        .collect()
}

fn language_options(c: &Ctx) -> Options {
    LANGUAGES
        .iter()
        .map(|l| ((*l).to_owned(), c.label("library-language", l)))
        .collect()
}

fn visibility_options(c: &Ctx) -> Options {
    Visibility::ALL
        .iter()
        .map(|v| {
            (
                v.as_str().to_owned(),
                c.label("library-visibility", v.as_str()),
            )
        })
        .collect()
}

fn source_options(c: &Ctx) -> Options {
    tejido_core::library::SourceKind::ALL
        .iter()
        .map(|v| (v.as_str().to_owned(), c.label("library-source", v.as_str())))
        .collect()
}

fn id_options(rows: Vec<(i64, String)>) -> Options {
    rows.into_iter().map(|(i, n)| (i.to_string(), n)).collect()
}

// ---- writes (pages and API) ------------------------------------------------------------------

/// Checks what the form points at: a community the author belongs to, an existing
/// organization, a source in that community. Adds field errors.
async fn check_refs(
    s: &AppState,
    c: &Ctx,
    i: &ResourceInput,
    e: &mut FieldErrors,
) -> AppResult<()> {
    if let Some(cid) = i.community_id {
        let ok = store::community_options(
            &s.db,
            c.user.as_ref().and_then(|u| u.person_id),
            c.is_admin(),
        )
        .await?
        .iter()
        .any(|(id, _)| *id == cid);
        if !ok {
            e.add("community", "library-error-not-member");
        }
        if let Some((k, sid)) = i.source {
            if !store::source_in_community(&s.db, k, sid, cid).await? {
                e.add("source_id", "library-error-source");
            }
        }
    }
    if let Some(oid) = i.organization_id {
        if !store::organization_exists(&s.db, oid).await? {
            e.add("organization", "error-invalid-choice");
        }
    }
    Ok(())
}

async fn index_doc(tx: &mut tejido_db::Tx, id: i64, i: &ResourceInput) -> AppResult<()> {
    let url = format!("/library/{id}");
    let lang = i.language.as_str();
    search::upsert(
        tx,
        &SearchDoc {
            source: Source::Resource,
            source_id: id,
            community_id: i.community_id,
            audience: i.visibility.audience(),
            kind: Some(i.kind.as_str()),
            themes: &i.themes,
            lang,
            title: &i.title,
            body: &i.body,
            url: &url,
        },
    )
    .await?;
    Ok(())
}

/// Creates a resource with its files in one transaction; returns its id.
async fn write_new(
    s: &AppState,
    c: &Ctx,
    i: &ResourceInput,
    new_files: &[CheckedFile],
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = store::insert(&mut tx, i, c.user_id()).await?;
    let stored = uploads::store(s, &mut tx, new_files, c.user_id()).await?;
    for u in &stored {
        files::attach(&mut tx, OwnerKind::Resource, id, u.id).await?;
    }
    index_doc(&mut tx, id, i).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "library-created",
        None,
        Some(&id.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves an edit (a new version), adds files and removes the unticked ones.
async fn write_edit(
    s: &AppState,
    c: &Ctx,
    id: i64,
    i: &ResourceInput,
    new_files: &[CheckedFile],
    remove: &[i64],
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let v = store::update(&mut tx, id, i, c.user_id()).await?;
    for uid in remove {
        files::detach(&mut tx, OwnerKind::Resource, id, *uid).await?;
    }
    let stored = uploads::store(s, &mut tx, new_files, c.user_id()).await?;
    for u in &stored {
        files::attach(&mut tx, OwnerKind::Resource, id, u.id).await?;
    }
    index_doc(&mut tx, id, i).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "library-edited",
        None,
        Some(&format!("{id}:{v}")),
    )
    .await?;
    tx.commit().await?;
    Ok(v)
}

// ---- pages -----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LibraryQuery {
    pub kind: Option<String>,
    pub theme: Option<String>,
    pub language: Option<String>,
    pub community: Option<i64>,
    pub page: Option<u32>,
    pub lessons_page: Option<u32>,
}

impl LibraryQuery {
    fn filter(&self) -> Filter {
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Filter {
            kind: clean(&self.kind).filter(|k| Kind::parse(k).is_some()),
            theme: clean(&self.theme),
            language: clean(&self.language).filter(|l| LANGUAGES.contains(&l.as_str())),
            community_id: self.community,
        }
    }
}

/// A resource in a list, with its Markdown-free excerpt.
pub struct Item {
    pub r: Resource,
    pub excerpt: String,
}

fn excerpt(md: &str) -> String {
    let plain: String = md
        .chars()
        .filter(|ch| !matches!(ch, '#' | '*' | '_' | '`' | '>' | '[' | ']' | '|'))
        .collect();
    let one = plain
        .split_whitespace()
        .filter(|w| !w.chars().all(|ch| ch == '-' || ch == ':'))
        .collect::<Vec<_>>()
        .join(" ");
    if one.chars().count() > 180 {
        format!("{}…", one.chars().take(180).collect::<String>())
    } else {
        one
    }
}

#[derive(Template)]
#[template(path = "library/list.html")]
pub struct ListPage {
    pub c: Ctx,
    /// The community tab's community, if any (shows its navigation).
    pub community: Option<Community>,
    pub items: Vec<Item>,
    pub total: i64,
    pub pager: Pager,
    pub lessons: Page<DerivedLesson>,
    pub lessons_pager: Pager,
    pub show_lessons: bool,
    pub kind: String,
    pub theme: String,
    pub language: String,
    pub community_filter: String,
    pub kinds: Options,
    pub languages: Options,
    pub communities: Options,
    pub can_create: bool,
    pub action: String,
}

async fn list_page(
    s: &AppState,
    c: Ctx,
    q: LibraryQuery,
    community: Option<Community>,
) -> AppResult<ListPage> {
    let mut f = q.filter();
    if let Some(m) = &community {
        f.community_id = Some(m.id);
    }
    let v = viewer(&c);
    let page = store::list(&s.db, v, &f, PageReq::new(q.page, None)).await?;
    // Lessons from minutes and reviews fit only the "lesson learned" (or no) kind filter.
    let show_lessons = c.signed_in()
        && f.theme.is_none()
        && f.language.is_none()
        && f.kind.as_deref().is_none_or(|k| k == "lesson-learned");
    let lessons = if show_lessons {
        store::derived_lessons(
            &s.db,
            v,
            f.community_id,
            PageReq::new(q.lessons_page, Some(10)),
        )
        .await?
    } else {
        Page {
            items: vec![],
            page: 1,
            per_page: 10,
            total: 0,
        }
    };
    let action = match &community {
        Some(m) => format!("/c/{}/library", m.slug),
        None => "/library".to_owned(),
    };
    let kind = f.kind.clone().unwrap_or_default();
    let theme = f.theme.clone().unwrap_or_default();
    let language = f.language.clone().unwrap_or_default();
    let community_filter = if community.is_some() {
        String::new()
    } else {
        f.community_id.map(|i| i.to_string()).unwrap_or_default()
    };
    let base = query(
        &action,
        &[
            ("kind", &kind),
            ("theme", &theme),
            ("language", &language),
            ("community", &community_filter),
        ],
    );
    let pager = Pager::new(&page, &base);
    let lessons_pager = Pager {
        page: lessons.page,
        pages: lessons.pages(),
        total: lessons.total,
        prev: lessons.has_prev().then(|| {
            let sep = if base.contains('?') { '&' } else { '?' };
            format!("{base}{sep}lessons_page={}#lessons", lessons.page - 1)
        }),
        next: lessons.has_next().then(|| {
            let sep = if base.contains('?') { '&' } else { '?' };
            format!("{base}{sep}lessons_page={}#lessons", lessons.page + 1)
        }),
    };
    let communities = if community.is_none() && c.signed_in() {
        id_options(store::community_options(&s.db, v.person_id, c.is_admin()).await?)
    } else {
        vec![]
    };
    let can_create = c.user.as_ref().is_some_and(|u| u.person_id.is_some());
    Ok(ListPage {
        kinds: kind_options(&c),
        languages: language_options(&c),
        communities,
        total: page.total,
        items: page
            .items
            .into_iter()
            .map(|r| Item {
                excerpt: excerpt(&r.body),
                r,
            })
            .collect(),
        pager,
        lessons,
        lessons_pager,
        show_lessons,
        kind,
        theme,
        language,
        community_filter,
        can_create,
        action,
        community,
        c,
    })
}

async fn index(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<LibraryQuery>,
) -> AppResult<Response> {
    Ok(html(&list_page(&s, c, q, None).await?))
}

async fn community_index(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<LibraryQuery>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    Ok(html(&list_page(&s, c, q, Some(l.community)).await?))
}

#[derive(Template)]
#[template(path = "library/form.html")]
pub struct FormPage {
    pub c: Ctx,
    /// None when creating.
    pub resource: Option<Resource>,
    pub attachments: Vec<Upload>,
    pub form: ResourceForm,
    pub errors: FieldErrors,
    /// A refused file, explained in the reader's language.
    pub file_error: Option<String>,
    pub kinds: Options,
    pub languages: Options,
    pub visibilities: Options,
    pub communities: Options,
    pub organizations: Options,
    pub sources: Options,
    pub max_size: String,
}

impl FormPage {
    pub fn action(&self) -> String {
        match &self.resource {
            Some(r) => format!("/library/{}/edit", r.id),
            None => "/library".to_owned(),
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    s: &AppState,
    c: Ctx,
    resource: Option<Resource>,
    form: ResourceForm,
    errors: FieldErrors,
    file_error: Option<String>,
) -> AppResult<FormPage> {
    let attachments = match &resource {
        Some(r) => files::list_for(&s.db, OwnerKind::Resource, r.id).await?,
        None => vec![],
    };
    let pid = c.user.as_ref().and_then(|u| u.person_id);
    Ok(FormPage {
        kinds: kind_options(&c),
        languages: language_options(&c),
        visibilities: visibility_options(&c),
        communities: id_options(store::community_options(&s.db, pid, c.is_admin()).await?),
        organizations: id_options(store::organization_options(&s.db).await?),
        sources: source_options(&c),
        max_size: tejido_core::uploads::human_size(
            i64::try_from(s.config.upload_max_bytes).unwrap_or(i64::MAX),
        ),
        resource,
        attachments,
        form,
        errors,
        file_error,
        c,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    pub community: Option<i64>,
}

async fn new_form(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    require_author(&c)?;
    // Kept for the community unless the author chooses wider: the author's community when it
    // has one (or the one it came from), the whole instance only for authors of no community.
    let pid = c.user.as_ref().and_then(|u| u.person_id);
    let mine = store::community_options(&s.db, pid, false).await?;
    let community = q.community.or_else(|| (mine.len() == 1).then(|| mine[0].0));
    let form = ResourceForm {
        kind: "methodology".into(),
        language: "es".into(),
        visibility: if q.community.is_some() || !mine.is_empty() {
            "community".into()
        } else {
            "instance".into()
        },
        community: community.map(|i| i.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    Ok(html(
        &form_page(&s, c, None, form, FieldErrors::new(), None).await?,
    ))
}

fn form_of(inc: &uploads::Incoming) -> ResourceForm {
    let g = |k: &str| inc.field(k).unwrap_or("").to_owned();
    ResourceForm {
        kind: g("kind"),
        title: g("title"),
        body: g("body"),
        url: g("url"),
        language: g("language"),
        themes: g("themes"),
        visibility: g("visibility"),
        community: g("community"),
        organization: g("organization"),
        source_kind: g("source_kind"),
        source_id: g("source_id"),
    }
}

fn form_from(r: &Resource) -> ResourceForm {
    ResourceForm {
        kind: r.kind.clone(),
        title: r.title.clone(),
        body: r.body.clone(),
        url: r.url.clone().unwrap_or_default(),
        language: r.language.clone(),
        themes: r.themes.clone(),
        visibility: r.visibility.clone(),
        community: r.community_id.map(|i| i.to_string()).unwrap_or_default(),
        organization: r.organization_id.map(|i| i.to_string()).unwrap_or_default(),
        source_kind: r.source_kind.clone().unwrap_or_default(),
        source_id: r.source_id.map(|i| i.to_string()).unwrap_or_default(),
    }
}

/// Reads a multipart form; on a refused file, renders the form again naming it.
async fn read_form(
    s: &AppState,
    c: &Ctx,
    mp: Multipart,
    resource: &Option<Resource>,
) -> AppResult<Result<uploads::Incoming, Response>> {
    match uploads::read(s, mp).await? {
        Ok(i) => Ok(Ok(i)),
        Err(refused) => {
            let form = resource.as_ref().map(form_from).unwrap_or_default();
            Ok(Err(refused_page(s, c, resource, form, &refused).await?))
        }
    }
}

/// The form again with a refusal's message, answered with its status (413, 422 or 503).
async fn refused_page(
    s: &AppState,
    c: &Ctx,
    resource: &Option<Resource>,
    form: ResourceForm,
    refused: &uploads::Refused,
) -> AppResult<Response> {
    let msg = refused.message(c);
    let errors = refused.field_errors();
    let mut page =
        html_invalid(&form_page(s, c.clone(), resource.clone(), form, errors, Some(msg)).await?);
    refused.apply(&mut page);
    Ok(page)
}

/// Where a resource's files count against the upload quota: its community, or the
/// instance-wide library when it has none.
fn quota_scope(i: &ResourceInput) -> uploads::QuotaScope {
    match i.community_id {
        Some(id) => uploads::QuotaScope::Community(id),
        None => uploads::QuotaScope::InstanceLibrary,
    }
}

async fn create(State(s): State<AppState>, c: Ctx, mp: Multipart) -> AppResult<Response> {
    require_author(&c)?;
    let inc = match read_form(&s, &c, mp, &None).await? {
        Ok(i) => i,
        Err(page) => return Ok(page),
    };
    let form = form_of(&inc);
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => {
            return Ok(html_invalid(&form_page(&s, c, None, form, e, None).await?));
        }
    };
    let mut e = FieldErrors::new();
    check_refs(&s, &c, &input, &mut e).await?;
    if !e.is_empty() {
        return Ok(html_invalid(&form_page(&s, c, None, form, e, None).await?));
    }
    if let Err(refused) = uploads::check_quota(&s, quota_scope(&input), &inc.files).await? {
        return refused_page(&s, &c, &None, form, &refused).await;
    }
    let id = write_new(&s, &c, &input, &inc.files).await?;
    Ok(redirect(&format!("/library/{id}")))
}

#[derive(Template)]
#[template(path = "library/show.html")]
pub struct ShowPage {
    pub c: Ctx,
    pub r: Resource,
    pub body_html: String,
    pub attachments: Vec<Upload>,
    pub can_edit: bool,
}

async fn show(State(s): State<AppState>, c: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let r = load_visible(&s, &c, id).await?;
    let attachments = files::list_for(&s.db, OwnerKind::Resource, r.id).await?;
    let can_edit = may_edit(&s, &c, &r).await?;
    Ok(html(&ShowPage {
        body_html: render_markdown(&r.body),
        r,
        attachments,
        can_edit,
        c,
    }))
}

async fn edit_form(State(s): State<AppState>, c: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let r = load_editable(&s, &c, id).await?;
    let form = form_from(&r);
    Ok(html(
        &form_page(&s, c, Some(r), form, FieldErrors::new(), None).await?,
    ))
}

async fn save(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<Response> {
    let r = load_editable(&s, &c, id).await?;
    let current = Some(r);
    let inc = match read_form(&s, &c, mp, &current).await? {
        Ok(i) => i,
        Err(page) => return Ok(page),
    };
    let form = form_of(&inc);
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => {
            return Ok(html_invalid(
                &form_page(&s, c, current, form, e, None).await?,
            ));
        }
    };
    let mut e = FieldErrors::new();
    // Keeping the community a resource already has is always allowed to its editors.
    let same_community = current.as_ref().and_then(|r| r.community_id) == input.community_id;
    check_refs(&s, &c, &input, &mut e).await?;
    if same_community && e.get("community") == Some("library-error-not-member") {
        e.0.retain(|x| x.field != "community");
    }
    if !e.is_empty() {
        return Ok(html_invalid(
            &form_page(&s, c, current, form, e, None).await?,
        ));
    }
    if let Err(refused) = uploads::check_quota(&s, quota_scope(&input), &inc.files).await? {
        return refused_page(&s, &c, &current, form, &refused).await;
    }
    let remove: Vec<i64> = inc
        .fields
        .iter()
        .filter(|(k, _)| k == "remove")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    write_edit(&s, &c, id, &input, &inc.files, &remove).await?;
    Ok(redirect(&format!("/library/{id}")))
}

#[derive(Template)]
#[template(path = "library/history.html")]
pub struct HistoryPage {
    pub c: Ctx,
    pub r: Resource,
    pub versions: Vec<(Version, String)>,
    pub pager: Pager,
}

async fn history(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<crate::extract::ListQuery>,
) -> AppResult<Response> {
    let r = load_visible(&s, &c, id).await?;
    let page = store::versions(&s.db, id, PageReq::new(q.page, Some(10))).await?;
    let pager = Pager::new(&page, &format!("/library/{id}/history"));
    let versions = page
        .items
        .into_iter()
        .map(|v| {
            let h = render_markdown(&v.body);
            (v, h)
        })
        .collect();
    Ok(html(&HistoryPage {
        c,
        r,
        versions,
        pager,
    }))
}

async fn archive(State(s): State<AppState>, c: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    load_editable(&s, &c, id).await?;
    let mut tx = s.db.begin().await?;
    store::archive(&mut tx, id).await?;
    search::remove(&mut tx, Source::Resource, id).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "library-archived",
        None,
        Some(&id.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect("/library"))
}

async fn file(
    State(s): State<AppState>,
    c: Ctx,
    Path((id, upload_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let r = load_visible(&s, &c, id).await?;
    let u = files::get_attached(&s.db, OwnerKind::Resource, r.id, upload_id)
        .await?
        .ok_or(AppError::NotFound)?;
    uploads::download(&s, &u).await
}

// ---- JSON API --------------------------------------------------------------------------------

fn resource_json(r: &Resource, attachments: &[Upload]) -> Value {
    let base = format!("/library/{}/files", r.id);
    json!({
        "id": r.id,
        "kind": r.kind,
        "title": r.title,
        "body": r.body,
        "url": r.url,
        "language": r.language,
        "themes": r.theme_list(),
        "visibility": r.visibility,
        "community": r.community_slug,
        "community_id": r.community_id,
        "organization_id": r.organization_id,
        "organization": r.organization_name,
        "source": r.source_kind.as_ref().map(|k| json!({ "kind": k, "id": r.source_id, "title": r.source_title, "url": r.source_url() })),
        "version": r.version,
        "author": r.author_name,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
        "page_url": format!("/library/{}", r.id),
        "attachments": attachments.iter().map(|u| {
            let mut v = uploads::json(u, &base);
            v["api_download_url"] = json!(format!("/api/v1/library/{}/files/{}", r.id, u.id));
            v
        }).collect::<Vec<_>>(),
    })
}

async fn api_list(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<LibraryQuery>,
) -> AppResult<Json<Value>> {
    let page = store::list(&s.db, viewer(&c), &q.filter(), PageReq::new(q.page, None)).await?;
    let ids: Vec<i64> = page.items.iter().map(|r| r.id).collect();
    let attached = files::list_for_many(&s.db, OwnerKind::Resource, &ids).await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|r| {
            let mine: Vec<Upload> = attached
                .iter()
                .filter(|a| a.owner_id == r.id)
                .map(|a| a.upload.clone())
                .collect();
            resource_json(r, &mine)
        })
        .collect();
    Ok(Json(json!({
        "items": items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    })))
}

async fn api_get(State(s): State<AppState>, c: Ctx, Path(id): Path<i64>) -> AppResult<Json<Value>> {
    let r = load_visible(&s, &c, id).await?;
    let a = files::list_for(&s.db, OwnerKind::Resource, r.id).await?;
    Ok(Json(resource_json(&r, &a)))
}

async fn api_create(
    State(s): State<AppState>,
    c: Ctx,
    ApiJson(form): ApiJson<ResourceForm>,
) -> AppResult<Response> {
    require_author(&c)?;
    let input = form.parse().map_err(AppError::Validation)?;
    let mut e = FieldErrors::new();
    check_refs(&s, &c, &input, &mut e).await?;
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let id = write_new(&s, &c, &input, &[]).await?;
    let r = load_visible(&s, &c, id).await?;
    Ok((StatusCode::CREATED, Json(resource_json(&r, &[]))).into_response())
}

async fn api_update(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<ResourceForm>,
) -> AppResult<Json<Value>> {
    let r = load_editable(&s, &c, id).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    let mut e = FieldErrors::new();
    check_refs(&s, &c, &input, &mut e).await?;
    if r.community_id == input.community_id
        && e.get("community") == Some("library-error-not-member")
    {
        e.0.retain(|x| x.field != "community");
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    write_edit(&s, &c, id, &input, &[], &[]).await?;
    let r = load_visible(&s, &c, id).await?;
    let a = files::list_for(&s.db, OwnerKind::Resource, r.id).await?;
    Ok(Json(resource_json(&r, &a)))
}

async fn api_file(
    State(s): State<AppState>,
    c: Ctx,
    Path((id, upload_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    file(State(s), c, Path((id, upload_id))).await
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": { "type": "object" } } } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let upload = json!({ "name": "upload_id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let vis: Vec<&str> = Visibility::ALL.iter().map(|k| k.as_str()).collect();
    let q = |name: &str, schema: Value| json!({ "name": name, "in": "query", "required": false, "schema": schema });
    let body = json!({ "required": true, "content": { "application/json": { "schema": { "type": "object",
        "required": ["kind", "title", "language", "visibility"], "properties": {
        "kind": { "type": "string", "enum": kinds }, "title": { "type": "string" },
        "body": { "type": "string", "description": "Markdown (required except for links)" },
        "url": { "type": "string", "description": "http(s) address; required for links" },
        "language": { "type": "string", "enum": LANGUAGES }, "themes": { "type": "string", "description": "Comma-separated" },
        "visibility": { "type": "string", "enum": vis, "description": "Contact lists are never public" },
        "community": { "type": "string", "description": "Community id; required for community visibility; the author must belong to it" },
        "organization": { "type": "string", "description": "Author organization id" },
        "source_kind": { "type": "string", "enum": ["event", "review", "minutes", ""] },
        "source_id": { "type": "string", "description": "Event id (event, minutes) or review id, in the same community" } } } } } });
    let v = json!({
        "/library": {
            "get": { "summary": "Library resources the caller may see, newest first, with their attachments",
                "parameters": [q("kind", json!({ "type": "string", "enum": kinds })), q("theme", json!({ "type": "string" })),
                    q("language", json!({ "type": "string", "enum": LANGUAGES })), q("community", json!({ "type": "integer" })),
                    q("page", json!({ "type": "integer" }))],
                "responses": { "200": ok("A page of resources"), "401": err } },
            "post": { "summary": "Create a resource (signed-in people with a person record); attachments are added on the page",
                "requestBody": body.clone(), "responses": { "201": ok("The resource"), "401": err, "403": err, "422": err } } },
        "/library/{id}": { "parameters": [id.clone()],
            "get": { "summary": "One resource with its attachments (download URLs)", "responses": { "200": ok("The resource"), "401": err, "403": err, "404": err } },
            "put": { "summary": "Edit a resource, keeping the previous version (author, community managers, admins)",
                "requestBody": body, "responses": { "200": ok("The resource"), "401": err, "403": err, "404": err, "422": err } } },
        "/library/{id}/files/{upload_id}": { "parameters": [id, upload],
            "get": { "summary": "Download an attachment (always as an attachment, same authorization as the resource)",
                "responses": { "200": { "description": "The file", "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } }, "401": err, "403": err, "404": err } } },
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
