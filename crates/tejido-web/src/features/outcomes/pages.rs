//! The outcomes pages: handlers, their forms and templates.

use super::*;

/// Most choices offered in a picker (organizations, events, projects, ties).
pub(super) const CHOICES: i64 = 500;

// ---- list --------------------------------------------------------------------------------------

/// A row of the list: the outcome and the names of its organizations.
pub(super) struct Item {
    pub(super) o: Outcome,
    pub(super) orgs: Vec<OrgRef>,
}

/// The outcomes of one theme on the current page.
pub(super) struct Group {
    pub(super) theme: String,
    pub(super) items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "outcomes/list.html")]
pub(super) struct ListPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) propose: bool,
    pub(super) filter: FilterForm,
    pub(super) themes: Options,
    pub(super) substs: Options,
    pub(super) summary: Vec<ThemeSummary>,
    pub(super) overall: ThemeSummary,
    pub(super) groups: Vec<Group>,
    pub(super) pager: Pager,
    pub(super) filtered: bool,
}

pub(super) fn theme_options(m: &Community) -> Options {
    core::themes(&m.themes)
        .into_iter()
        .map(|t| (t.clone(), t))
        .collect()
}

pub(super) fn subst_options(c: &Ctx, manage: bool) -> Options {
    Substantiation::ALL
        .iter()
        .filter(|s| core::may_set(**s, manage))
        .map(|s| (s.as_str().to_owned(), c.label("outcome-subst", s.as_str())))
        .collect()
}

pub(super) async fn list_page(
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
pub(super) struct FormPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    /// The outcome being edited; `None` for a new one.
    pub(super) editing: Option<i64>,
    pub(super) form: OutcomeForm,
    pub(super) errors: FieldErrors,
    pub(super) themes: Options,
    pub(super) kinds: Options,
    pub(super) substs: Options,
    pub(super) views: Options,
    pub(super) orgs: Options,
    pub(super) events: Options,
    pub(super) projects: Options,
    pub(super) ties: Options,
    pub(super) sel_orgs: Vec<String>,
    pub(super) sel_events: Vec<String>,
    pub(super) sel_projects: Vec<String>,
    pub(super) sel_ties: Vec<String>,
}

impl FormPage {
    pub(super) fn action(&self) -> String {
        match self.editing {
            Some(id) => format!("/c/{}/outcomes/{id}/edit", self.m.slug),
            None => format!("/c/{}/outcomes", self.m.slug),
        }
    }
}

pub(super) fn selected(v: &[IdValue]) -> Vec<String> {
    v.iter().map(IdValue::text).collect()
}

pub(super) async fn event_options(s: &AppState, m: &Community) -> AppResult<Options> {
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

pub(super) async fn form_view(
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

pub(super) async fn new_page(
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

pub(super) async fn create(
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

pub(super) fn ids_of(v: Vec<i64>) -> Vec<IdValue> {
    v.into_iter().map(IdValue::Int).collect()
}

pub(super) async fn form_of(s: &AppState, o: &Outcome) -> AppResult<OutcomeForm> {
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

pub(super) async fn edit_page(
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

pub(super) async fn save(
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
pub(super) struct ShowPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) o: Outcome,
    pub(super) orgs: Vec<OrgRef>,
    pub(super) links: Vec<LinkRow>,
    pub(super) events: Vec<Contributor>,
    pub(super) projects: Vec<Contributor>,
    pub(super) ties: Vec<TieRef>,
    pub(super) attachments: Vec<Upload>,
    /// May add or remove evidence files: managers and whoever proposed the outcome.
    pub(super) attach: bool,
    pub(super) file_error: Option<String>,
    pub(super) max_size: String,
}

/// Managers, and the member who proposed the outcome, add and remove its evidence files.
pub(super) fn may_attach(c: &Ctx, w: &Who, o: &Outcome) -> bool {
    w.manage || (w.propose && c.user_id().is_some() && o.proposed_by == c.user_id())
}

pub(super) async fn show_view(
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

pub(super) async fn show_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = viewer(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    Ok(html(&show_view(&s, c, w, o, None).await?))
}

/// Asks before an outcome and its evidence are deleted.
pub(super) async fn confirm_delete(
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

// ---- evidence files ----------------------------------------------------------------------------

pub(super) async fn attach_files(
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
pub(super) async fn attacher(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<Outcome> {
    let w = proposer(s, c, slug).await?;
    let o = outcome_of(s, &w, id).await?;
    if !may_attach(c, &w, &o) {
        return Err(AppError::Forbidden);
    }
    Ok(o)
}

pub(super) async fn confirm_remove_attachment(
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

pub(super) async fn remove_attachment(
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
