//! The funding use cases and lookups that the pages and the API share.

use super::*;

// ---- authorization ---------------------------------------------------------------------------

pub(super) struct Who {
    pub(super) l: Loaded,
    pub(super) manage: bool,
}

/// Members, managers and admins; others 403 (401 anonymous).
pub(super) async fn member(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    let l = load_member(s, c, slug).await?;
    let manage = l.access.manage;
    Ok(Who { l, manage })
}

/// Managers (the community's treasurers) and admins.
pub(super) async fn manager(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    let l = load_manage(s, c, slug).await?;
    Ok(Who { l, manage: true })
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

/// Dates of funding rows in the reader's language ("14 mar 2026", "Mar 14, 2026").
pub(super) trait Day {
    fn day(&self, d: impl AsDay) -> String;
}

/// A date however askama passes it (by value or through references).
pub(super) trait AsDay {
    fn as_day(&self) -> NaiveDate;
}

impl<T: AsDay + ?Sized> AsDay for &T {
    fn as_day(&self) -> NaiveDate {
        (**self).as_day()
    }
}

// ---- references and options ------------------------------------------------------------------

pub(super) async fn check_event(
    s: &AppState,
    m: &Community,
    e: &mut FieldErrors,
    event: Option<i64>,
) -> AppResult<()> {
    if let Some(eid) = event {
        if tejido_db::events::get(&s.db, m.id, eid).await?.is_none() {
            e.add("event", "error-invalid-choice");
        }
    }
    Ok(())
}

pub(super) async fn check_org(
    s: &AppState,
    m: &Community,
    e: &mut FieldErrors,
    field: &str,
    org: Option<i64>,
) -> AppResult<()> {
    if let Some(o) = org {
        if !store::is_member_org(&s.db, m.id, o).await? {
            e.add(field, "funding-error-not-member-org");
        }
    }
    Ok(())
}

// ---- shared writes ---------------------------------------------------------------------------

pub(super) async fn write_cost(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    f: &CostForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let (i, mut e): (Option<CostInput>, FieldErrors) = match f.parse() {
        Ok(i) => (Some(i), FieldErrors::new()),
        Err(e) => (None, e),
    };
    if let Some(i) = &i {
        check_event(s, &w.l.community, &mut e, i.event_id).await?;
        check_org(s, &w.l.community, &mut e, "paid_by_org", i.paid_by_org).await?;
    }
    let Some(i) = i.filter(|_| e.is_empty()) else {
        return Ok(Err(e));
    };
    let mut tx = s.db.begin().await?;
    let id = store::insert_cost(&mut tx, w.l.community.id, &i, c.user_id()).await?;
    audit(
        &mut tx,
        c,
        "funding-cost-added",
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

pub(super) async fn write_contribution(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    f: &ContributionForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let (i, mut e): (Option<ContributionInput>, FieldErrors) = match f.parse() {
        Ok(i) => (Some(i), FieldErrors::new()),
        Err(e) => (None, e),
    };
    if let Some(i) = &i {
        check_event(s, &w.l.community, &mut e, i.event_id).await?;
        check_org(
            s,
            &w.l.community,
            &mut e,
            "organization",
            Some(i.organization_id),
        )
        .await?;
    }
    let Some(i) = i.filter(|_| e.is_empty()) else {
        return Ok(Err(e));
    };
    let mut tx = s.db.begin().await?;
    let id = store::insert_contribution(&mut tx, w.l.community.id, &i, c.user_id()).await?;
    audit(
        &mut tx,
        c,
        "funding-contribution-added",
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

pub(super) async fn write_asset(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    f: &AssetForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let (i, mut e): (Option<AssetInput>, FieldErrors) = match f.parse() {
        Ok(i) => (Some(i), FieldErrors::new()),
        Err(e) => (None, e),
    };
    if let Some(i) = &i {
        check_org(
            s,
            &w.l.community,
            &mut e,
            "organization",
            Some(i.organization_id),
        )
        .await?;
    }
    let Some(i) = i.filter(|_| e.is_empty()) else {
        return Ok(Err(e));
    };
    let mut tx = s.db.begin().await?;
    let id = store::insert_asset(&mut tx, w.l.community.id, &i, c.user_id()).await?;
    audit(
        &mut tx,
        c,
        "funding-asset-added",
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

pub(super) async fn write_ask(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    f: &AskForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let (i, mut e): (Option<AskInput>, FieldErrors) = match f.parse() {
        Ok(i) => (Some(i), FieldErrors::new()),
        Err(e) => (None, e),
    };
    if let Some(i) = &i {
        if let Some(d) = i.donor_org {
            if !store::org_exists(&s.db, d).await? {
                e.add("donor_org", "error-invalid-choice");
            }
        }
        if let Some(p) = i.owner {
            if !store::is_member_person(&s.db, w.l.community.id, p).await? {
                e.add("owner", "funding-error-not-member-person");
            }
        }
    }
    let Some(i) = i.filter(|_| e.is_empty()) else {
        return Ok(Err(e));
    };
    let mut tx = s.db.begin().await?;
    let id = store::insert_ask(
        &mut tx,
        w.l.community.id,
        &i,
        today(&w.l.community),
        c.user_id(),
    )
    .await?;
    audit(
        &mut tx,
        c,
        "funding-ask-added",
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

pub(super) async fn write_stage(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    id: i64,
    f: &StageForm,
) -> AppResult<Result<(), FieldErrors>> {
    let i = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let on = i.changed_on.unwrap_or_else(|| today(&w.l.community));
    let mut tx = s.db.begin().await?;
    if !store::set_stage(
        &mut tx,
        w.l.community.id,
        id,
        &i.stage,
        on,
        i.note.as_deref(),
        c.user_id(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    audit(
        &mut tx,
        c,
        "funding-ask-stage",
        &w.l.community.slug,
        &format!("{id}:{}", i.stage),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

pub(super) async fn write_delete(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    item: Item,
    id: i64,
) -> AppResult<()> {
    let mut tx = s.db.begin().await?;
    if !store::delete(&mut tx, w.l.community.id, item, id).await? {
        return Err(AppError::NotFound);
    }
    let action = match item {
        Item::Cost => "funding-cost-deleted",
        Item::Contribution => "funding-contribution-deleted",
        Item::Asset => "funding-asset-deleted",
        Item::Ask => "funding-ask-deleted",
    };
    audit(&mut tx, c, action, &w.l.community.slug, &id.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

// ---- pages -----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PageQuery {
    pub(super) page: Option<u32>,
    pub(super) per_page: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PeriodQuery {
    pub(super) from: String,
    pub(super) to: String,
}

pub(super) async fn confirm_delete(
    s: &AppState,
    c: Ctx,
    w: &Who,
    item: Item,
    id: i64,
    back: &str,
) -> AppResult<Response> {
    let label = store::item_label(&s.db, w.l.community.id, item, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slug = &w.l.community.slug;
    Ok(confirm(
        c.t1("funding-delete-question", "name", &label),
        c.t("confirm-delete-note"),
        format!("/c/{slug}/funding/{back}/{id}/delete"),
        vec![],
        c.t("confirm-delete"),
        format!("/c/{slug}/funding/{back}"),
        c,
    ))
}
