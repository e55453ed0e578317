//! The projects pages: handlers, their forms and templates.

use super::*;

pub(super) struct Row {
    pub(super) p: Project,
    pub(super) states: String,
    pub(super) members: usize,
    pub(super) partners: usize,
}

#[derive(Template)]
#[template(path = "projects/list.html")]
pub(super) struct ListPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) propose: bool,
    pub(super) rows: Vec<Row>,
    pub(super) pager: Pager,
}

pub(super) async fn list_page(
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
pub(super) struct FormPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) editing: Option<i64>,
    pub(super) form: ProjectForm,
    pub(super) errors: FieldErrors,
    pub(super) kinds: Options,
    pub(super) statuses: Options,
    pub(super) themes: Options,
    pub(super) states: Options,
    pub(super) members: Options,
    pub(super) sel_states: Vec<String>,
    pub(super) sel_members: Vec<String>,
}

impl FormPage {
    pub(super) fn action(&self) -> String {
        match self.editing {
            Some(id) => format!("/c/{}/projects/{id}/edit", self.m.slug),
            None => format!("/c/{}/projects", self.m.slug),
        }
    }
}

pub(super) fn kind_options(c: &Ctx) -> Options {
    ProjectKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("project-kind", k.as_str())))
        .collect()
}

pub(super) async fn form_view(
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

pub(super) async fn new_page(
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

pub(super) async fn create(
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

pub(super) async fn form_of(s: &AppState, p: &Project) -> AppResult<ProjectForm> {
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

pub(super) async fn edit_page(
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

pub(super) async fn save(
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

pub(super) fn partner_defaults() -> PartnerForm {
    PartnerForm {
        add_ties: "on".into(),
        ..Default::default()
    }
}

pub(super) async fn show_page(
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

/// Asks before a partner organization leaves the project.
pub(super) async fn confirm_remove_partner(
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
pub(super) async fn confirm_delete(
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

pub(super) async fn remove_partner(
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
