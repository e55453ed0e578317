//! The sustainability use cases and lookups that the pages and the API share.

use super::*;

// ---- authorization ---------------------------------------------------------------------------

pub(super) struct Who {
    pub(super) l: Loaded,
    pub(super) manage: bool,
    pub(super) person: Option<i64>,
}

impl Who {
    /// A participating member: belongs to the community and has a person record.
    pub(super) fn rater(&self) -> Option<i64> {
        self.person.filter(|_| self.l.member)
    }
}

/// Members, managers and admins; others 403 (401 anonymous).
pub(super) async fn member(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    let l = load_member(s, c, slug).await?;
    let manage = l.access.manage;
    let person = c.user.as_ref().and_then(|u| u.person_id);
    Ok(Who { l, manage, person })
}

pub(super) async fn manager(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Who> {
    let l = load_manage(s, c, slug).await?;
    let person = c.user.as_ref().and_then(|u| u.person_id);
    Ok(Who {
        l,
        manage: true,
        person,
    })
}

pub(super) async fn round_of(s: &AppState, w: &Who, id: i64) -> AppResult<RoundRow> {
    store::round(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) fn round_status(r: &RoundRow, today: NaiveDate) -> &'static str {
    if accepting(r.opens_on, r.closes_on, today) {
        "open"
    } else if today < r.opens_on {
        "upcoming"
    } else {
        "closed"
    }
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

// ---- shared writes ---------------------------------------------------------------------------

pub(super) async fn write_round(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    form: &RoundForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let i = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = s.db.begin().await?;
    let id = rounds_store::insert_round(
        &mut tx,
        w.l.community.id,
        &NewRound {
            instrument: KEY,
            version: INSTRUMENT.version,
            title: &i.title,
            opens_on: i.opens_on,
            closes_on: i.closes_on,
        },
        c.user_id(),
    )
    .await?;
    audit(
        &mut tx,
        c,
        "sustainability-round-opened",
        &w.l.community.slug,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Saves the rater's answers: refused (and nothing written) when the person may not rate, the
/// round is not open, or any answer is invalid.
pub(super) async fn write_responses(
    s: &AppState,
    w: &Who,
    r: &RoundRow,
    pairs: &[(String, String)],
) -> AppResult<Result<(), FieldErrors>> {
    let person = w.rater().ok_or(AppError::Forbidden)?;
    if !accepting(r.opens_on, r.closes_on, today(&w.l.community)) {
        return Ok(Err(FieldErrors::single("round", "sust-error-not-open")));
    }
    let answers = match parse_responses(&INSTRUMENT, pairs) {
        Ok(a) => a,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = s.db.begin().await?;
    rounds_store::save_responses(&mut tx, r.id, person, &answers).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

pub(super) async fn write_action(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    r: &RoundRow,
    form: &ActionForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let i = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    if !tejido_db::minutes::is_community_person(&s.db, w.l.community.id, i.owner_person_id).await? {
        return Ok(Err(FieldErrors::single("owner", "error-invalid-choice")));
    }
    let mut tx = s.db.begin().await?;
    let id = store::insert_action(&mut tx, w.l.community.id, r.id, &i, c.user_id()).await?;
    audit(
        &mut tx,
        c,
        "sustainability-action-created",
        &w.l.community.slug,
        &format!("{id}:{}", i.item),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Changes an action item's status: managers or its owner.
pub(super) async fn write_action_status(
    s: &AppState,
    c: &Ctx,
    w: &Who,
    id: i64,
    status: &str,
) -> AppResult<Action> {
    let a = store::action(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !(w.manage || w.person == Some(a.owner_person_id)) {
        return Err(AppError::Forbidden);
    }
    if !ACTION_STATUSES.contains(&status) {
        return Err(AppError::Validation(FieldErrors::single(
            "status",
            "error-invalid-choice",
        )));
    }
    let mut tx = s.db.begin().await?;
    store::set_action_status(&mut tx, a.id, status).await?;
    audit(
        &mut tx,
        c,
        "sustainability-action-status",
        &w.l.community.slug,
        &format!("{}:{status}", a.id),
    )
    .await?;
    tx.commit().await?;
    store::action(&s.db, w.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

// ---- pages -----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PageQuery {
    pub(super) page: Option<u32>,
    pub(super) apage: Option<u32>,
    pub(super) per_page: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct StatusForm {
    pub(super) status: String,
    /// Where to go back to: the round's page when set.
    pub(super) round: Option<i64>,
}
