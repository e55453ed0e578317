//! The library pages: handlers, their forms and templates.

use super::*;

// ---- options ---------------------------------------------------------------------------------

pub(super) fn kind_options(c: &Ctx) -> Options {
    Kind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("library-kind", k.as_str())))
        .collect()
}

pub(super) fn language_options(c: &Ctx) -> Options {
    LANGUAGES
        .iter()
        .map(|l| ((*l).to_owned(), c.label("library-language", l)))
        .collect()
}

pub(super) fn visibility_options(c: &Ctx) -> Options {
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

pub(super) fn source_options(c: &Ctx) -> Options {
    tejido_core::library::SourceKind::ALL
        .iter()
        .map(|v| (v.as_str().to_owned(), c.label("library-source", v.as_str())))
        .collect()
}

pub(super) fn id_options(rows: Vec<(i64, String)>) -> Options {
    rows.into_iter().map(|(i, n)| (i.to_string(), n)).collect()
}

/// A resource in a list, with its Markdown-free excerpt.
pub struct Item {
    pub r: Resource,
    pub excerpt: String,
}

pub(super) fn excerpt(md: &str) -> String {
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

pub(super) async fn list_page(
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

pub(super) async fn index(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<LibraryQuery>,
) -> AppResult<Response> {
    Ok(html(&list_page(&s, c, q, None).await?))
}

pub(super) async fn community_index(
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
pub(super) async fn form_page(
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

pub(super) async fn new_form(
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

pub(super) fn form_of(inc: &uploads::Incoming) -> ResourceForm {
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

pub(super) fn form_from(r: &Resource) -> ResourceForm {
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
pub(super) async fn read_form(
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
pub(super) async fn refused_page(
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
pub(super) fn quota_scope(i: &ResourceInput) -> uploads::QuotaScope {
    match i.community_id {
        Some(id) => uploads::QuotaScope::Community(id),
        None => uploads::QuotaScope::InstanceLibrary,
    }
}

pub(super) async fn create(
    State(s): State<AppState>,
    c: Ctx,
    mp: Multipart,
) -> AppResult<Response> {
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

pub(super) async fn show(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
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

pub(super) async fn edit_form(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let r = load_editable(&s, &c, id).await?;
    let form = form_from(&r);
    Ok(html(
        &form_page(&s, c, Some(r), form, FieldErrors::new(), None).await?,
    ))
}

pub(super) async fn save(
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

pub(super) async fn history(
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

pub(super) async fn archive(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
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
