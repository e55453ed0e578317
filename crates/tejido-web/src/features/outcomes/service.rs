//! The outcomes use cases and lookups that the pages and the API share.

use super::*;

pub(super) async fn outcome_of(s: &AppState, w: &Who, id: i64) -> AppResult<Outcome> {
    store::get(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The tie kinds a viewer may see (funding ties only for managers).
pub(super) fn visible_kinds(manage: bool) -> Vec<&'static str> {
    TieKind::visible(manage)
        .into_iter()
        .map(TieKind::as_str)
        .collect()
}

// ---- writes ------------------------------------------------------------------------------------

/// Checks the rules that need the database and the person's role; `None` when all hold.
pub(super) async fn check(
    s: &AppState,
    w: &Who,
    i: &OutcomeInput,
) -> AppResult<Option<FieldErrors>> {
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

pub(super) async fn audit(
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
pub(super) async fn write(
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

pub(super) async fn write_verify(s: &AppState, c: &Ctx, w: &Who, o: &Outcome) -> AppResult<bool> {
    let mut tx = s.db.begin().await?;
    let done = store::verify(&mut tx, w.l.community.id, o.id, c.user_id()).await?;
    if done {
        audit(&mut tx, c, "outcome-verified", &w.l.community.slug, o.id).await?;
    }
    tx.commit().await?;
    Ok(done)
}

pub(super) async fn write_delete(s: &AppState, c: &Ctx, w: &Who, o: &Outcome) -> AppResult<()> {
    let mut tx = s.db.begin().await?;
    store::delete(&mut tx, w.l.community.id, o.id).await?;
    audit(&mut tx, c, "outcome-deleted", &w.l.community.slug, o.id).await?;
    tx.commit().await?;
    Ok(())
}

/// The summary rows in the order of the community's themes (others after, by name).
pub(super) fn ordered(m: &Community, mut rows: Vec<ThemeSummary>) -> Vec<ThemeSummary> {
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

pub(super) struct Detail {
    pub(super) orgs: Vec<OrgRef>,
    pub(super) links: Vec<LinkRow>,
    pub(super) events: Vec<Contributor>,
    pub(super) projects: Vec<Contributor>,
    pub(super) ties: Vec<TieRef>,
    pub(super) attachments: Vec<Upload>,
}

pub(super) async fn detail(s: &AppState, w: &Who, o: &Outcome) -> AppResult<Detail> {
    Ok(Detail {
        orgs: store::organizations_of(&s.db, &[o.id]).await?,
        links: store::links(&s.db, o.id).await?,
        events: store::events_of(&s.db, o.id).await?,
        projects: store::projects_of(&s.db, o.id).await?,
        ties: store::ties_of(&s.db, o.id, &visible_kinds(w.manage)).await?,
        attachments: tejido_db::uploads::list_for(&s.db, OwnerKind::Outcome, o.id).await?,
    })
}

pub(super) async fn verify(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    write_verify(&s, &c, &w, &o).await?;
    Ok(redirect(&format!("/c/{slug}/outcomes/{id}")))
}

pub(super) async fn delete(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let o = outcome_of(&s, &w, id).await?;
    write_delete(&s, &c, &w, &o).await?;
    Ok(redirect(&format!("/c/{slug}/outcomes")))
}

pub(super) async fn attachment(
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
