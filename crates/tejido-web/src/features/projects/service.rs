//! The projects use cases and lookups that the pages and the API share.

use super::*;

/// Most choices offered in an organization picker.
pub(super) const CHOICES: i64 = 1000;

pub(super) async fn project_of(s: &AppState, w: &Who, id: i64) -> AppResult<Project> {
    store::get(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) async fn audit(
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
pub(super) async fn add_ties(
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
pub(super) async fn parse(
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

pub(super) async fn write(
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

pub(super) async fn write_partner(
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

pub(super) async fn write_delete(s: &AppState, c: &Ctx, w: &Who, p: &Project) -> AppResult<()> {
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

pub(super) fn states_text(codes: &[String]) -> String {
    codes
        .iter()
        .filter_map(|c| tejido_core::directory::state_name(c))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PageQuery {
    pub(super) page: Option<u32>,
    pub(super) per_page: Option<u32>,
}

// ---- detail ------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "projects/show.html")]
pub(super) struct ShowPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) p: Project,
    pub(super) states: String,
    pub(super) members: Vec<ProjectOrg>,
    pub(super) partners: Vec<ProjectOrg>,
    pub(super) outcomes: Vec<OutcomeBrief>,
    pub(super) form: PartnerForm,
    pub(super) errors: FieldErrors,
    pub(super) choices: Options,
}

pub(super) struct Detail {
    pub(super) members: Vec<ProjectOrg>,
    pub(super) partners: Vec<ProjectOrg>,
    pub(super) outcomes: Vec<OutcomeBrief>,
}

pub(super) async fn detail(s: &AppState, p: &Project) -> AppResult<Detail> {
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

pub(super) async fn show_view(
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

pub(super) async fn add_partner(
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

pub(super) async fn delete(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = project_of(&s, &w, id).await?;
    write_delete(&s, &c, &w, &p).await?;
    Ok(redirect(&format!("/c/{slug}/projects")))
}
