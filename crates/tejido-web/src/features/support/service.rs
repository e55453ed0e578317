//! The support use cases and lookups that the pages and the API share.

use super::*;

// ---- who is asking ---------------------------------------------------------------------------

/// The signed-in reader: account, person, organization and communities.
pub(super) struct Me {
    pub(super) user: i64,
    pub(super) admin: bool,
    pub(super) person: Option<i64>,
    pub(super) org: Option<Named>,
}

pub(super) async fn me(s: &AppState, c: &Ctx) -> AppResult<Me> {
    let u = c.require_user()?;
    let org = match u.person_id {
        Some(pid) => store::person_organization(&s.db, pid).await?,
        None => None,
    };
    Ok(Me {
        user: u.id,
        admin: u.is_admin,
        person: u.person_id,
        org,
    })
}

pub(super) async fn my_communities(s: &AppState, me: &Me) -> AppResult<Vec<Named>> {
    Ok(match me.person {
        Some(pid) => store::person_communities(&s.db, pid).await?,
        None => vec![],
    })
}

/// An ask the reader may see; 404 when none, 403 when not theirs to see.
pub(super) async fn visible_ask(s: &AppState, me: &Me, id: i64) -> AppResult<Ask> {
    let a = store::get_ask(&s.db, id).await?.ok_or(AppError::NotFound)?;
    let ok = me.admin
        || match me.person {
            Some(pid) => store::may_see(&s.db, id, pid).await?,
            None => false,
        };
    if ok {
        Ok(a)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A deadline in the reader's words ("15 ene 2027").
pub fn day(c: &Ctx, d: &NaiveDate) -> String {
    let noon = d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
    c.tr().date(&noon, "UTC")
}

// ---- shared writes (pages and API) -------------------------------------------------------------

/// Stores an ask, its matches and the invitations. `Err(errors)` when the communities are not
/// all the asker's or the asker has no organization.
pub(super) async fn write_ask(
    s: &AppState,
    c: &Ctx,
    me: &Me,
    input: &AskInput,
) -> AppResult<Result<i64, FieldErrors>> {
    let Some(org) = &me.org else {
        return Ok(Err(FieldErrors::single(
            "communities",
            "support-error-no-organization",
        )));
    };
    let mine = my_communities(s, me).await?;
    if input
        .communities
        .iter()
        .any(|id| !mine.iter().any(|m| m.id == *id))
    {
        return Ok(Err(FieldErrors::single(
            "communities",
            "error-invalid-choice",
        )));
    }
    let mut tx = s.db.begin().await?;
    let id = store::insert_ask(&mut tx, org.id, me.user, input).await?;
    let candidates = store::candidates(&mut tx, id, org.id).await?;
    let text = format!("{} {}", input.title, input.need);
    let matches = rank(&input.theme, &text, org.id, &candidates);
    store::insert_matches(&mut tx, id, &matches).await?;
    let invitees = store::invitees(&mut tx, id).await?;
    let link = format!("{}/support/asks/{id}", s.config.base_url);
    for m in &matches {
        let mut n = 0;
        for p in invitees
            .iter()
            .filter(|p| p.organization_id == m.organization_id)
        {
            let tr = Tr {
                i18n: &s.i18n,
                locale: p
                    .locale
                    .as_deref()
                    .and_then(Locale::parse)
                    .unwrap_or(Locale::EsMx),
            };
            let subject = tr.t1("support-mail-invite-subject", "org", &org.name);
            let body = format!(
                "{}\n\n{}\n\n{}\n{}\n\n{}\n",
                tr.t2(
                    "support-mail-invite-body",
                    "org",
                    &org.name,
                    "title",
                    &input.title
                ),
                input.need,
                tr.t1("support-mail-theme", "theme", &input.theme),
                tr.t1(
                    "support-mail-urgency",
                    "urgency",
                    &tr.label("support-urgency", input.urgency.as_str())
                ),
                link
            );
            tejido_db::outbox::enqueue(&mut tx, &p.email, &subject, &body).await?;
            n += 1;
        }
        if n > 0 {
            store::set_invited(&mut tx, id, m.organization_id, n).await?;
        }
    }
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "support-ask-created",
        Some(&format!("ask:{id}")),
        Some(&format!("matches:{}", matches.len())),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

pub(super) async fn write_answer(s: &AppState, me: &Me, ask: &Ask, body: &str) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = store::insert_answer(&mut tx, ask.id, me.user, body).await?;
    tx.commit().await?;
    Ok(id)
}

/// Closes an ask. `Err(errors)` for a helper that is not a member organization of its
/// communities (other than the asker's).
pub(super) async fn write_close(
    s: &AppState,
    me: &Me,
    ask: &Ask,
    status: AskStatus,
    helpers: &[i64],
) -> AppResult<Result<(), FieldErrors>> {
    if !(me.admin || me.user == ask.asker_user_id) {
        return Err(AppError::Forbidden);
    }
    if !ask.is_open() {
        return Ok(Err(FieldErrors::single("outcome", "support-error-closed")));
    }
    let choices = store::helper_choices(&s.db, ask.id, ask.organization_id).await?;
    let mut ties: Vec<(i64, i64)> = Vec::new();
    for h in helpers {
        match choices.iter().find(|(n, _)| n.id == *h) {
            Some((_, cid)) => ties.push((*h, *cid)),
            None => return Ok(Err(FieldErrors::single("helpers", "error-invalid-choice"))),
        }
    }
    let mut tx = s.db.begin().await?;
    if !store::close(&mut tx, ask.id, status, Some(me.user)).await? {
        return Ok(Err(FieldErrors::single("outcome", "support-error-closed")));
    }
    let on = today_here();
    for (helper, cid) in &ties {
        let tie = TieInput {
            from: *helper,
            to: ask.organization_id,
            kind: TieKind::PeerHelp,
            strength: 1,
            trust: None,
            value: None,
            started_on: on,
            ended_on: None,
            via_community: true,
        };
        let ids = tejido_db::network::insert_ties(
            &mut tx,
            *cid,
            &[tie],
            TieSource::PeerHelp,
            None,
            Some(me.user),
        )
        .await?;
        store::insert_helper(&mut tx, ask.id, *helper, ids.first().copied()).await?;
    }
    tejido_db::audit::record(
        &mut tx,
        Some(me.user),
        "support-ask-closed",
        Some(&format!("ask:{}", ask.id)),
        Some(&format!("{}:{}", status.as_str(), ties.len())),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

pub(super) async fn write_offer(
    s: &AppState,
    me: &Me,
    existing: Option<&Offer>,
    input: &OfferInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = match existing {
        Some(o) => {
            store::update_offer(&mut tx, o.id, input).await?;
            o.id
        }
        None => {
            let org = me.org.as_ref().ok_or(AppError::Forbidden)?;
            store::insert_offer(&mut tx, org.id, input, Some(me.user)).await?
        }
    };
    tx.commit().await?;
    Ok(id)
}

/// An offer the reader may edit: one of their organization's (or any, for admins).
pub(super) async fn editable_offer(s: &AppState, me: &Me, id: i64) -> AppResult<Offer> {
    let o = store::get_offer(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if me.admin || me.org.as_ref().is_some_and(|g| g.id == o.organization_id) {
        Ok(o)
    } else {
        Err(AppError::Forbidden)
    }
}

// ---- the support page ------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ListQ {
    pub(super) page: Option<u32>,
    pub(super) per_page: Option<u32>,
    pub(super) state: String,
    pub(super) theme: String,
}

impl ListQ {
    pub(super) fn filter(&self) -> AskFilter {
        AskFilter {
            state: match self.state.as_str() {
                "open" | "closed" => self.state.clone(),
                _ => String::new(),
            },
            theme: self.theme.clone(),
        }
    }
}

/// A match as shown: the organization and its reasons, in the reader's words.
pub(super) struct MatchView {
    pub(super) m: MatchRow,
    pub(super) reasons: Vec<String>,
}

pub(super) fn reason_text(c: &Ctx, kind: &str, value: &str) -> String {
    match kind {
        "offer-theme" => c.t1("support-reason-offer-theme", "value", value),
        "org-theme" => c.t1("support-reason-org-theme", "value", value),
        _ => c.t1("support-reason-keywords", "value", value),
    }
}

#[derive(Template)]
#[template(path = "support/ask.html")]
pub(super) struct AskPage {
    pub(super) c: Ctx,
    pub(super) a: Ask,
    pub(super) need_html: String,
    pub(super) communities: Vec<Named>,
    pub(super) matches: Vec<MatchView>,
    pub(super) helpers: Vec<Named>,
    pub(super) answers: Page<Answer>,
    pub(super) answers_html: Vec<(Answer, String)>,
    pub(super) pager: Pager,
    pub(super) can_close: bool,
    pub(super) helper_choices: Vec<Named>,
    pub(super) form: AnswerForm,
    pub(super) errors: FieldErrors,
    pub(super) close_errors: FieldErrors,
}

/// The forms of the ask page, with what was typed and the errors of the one submitted.
#[derive(Default)]
pub(super) struct AskForms {
    pub(super) answer: AnswerForm,
    pub(super) errors: FieldErrors,
    pub(super) close_errors: FieldErrors,
}

pub(super) async fn ask_page(
    s: &AppState,
    c: Ctx,
    me: &Me,
    a: Ask,
    page: Option<u32>,
    forms: AskForms,
) -> AppResult<AskPage> {
    let communities = store::ask_communities(&s.db, a.id).await?;
    let matches = store::matches(&s.db, a.id)
        .await?
        .into_iter()
        .map(|m| MatchView {
            reasons: m
                .reasons
                .lines()
                .filter_map(Reason::decode)
                .map(|(k, v)| reason_text(&c, &k, &v))
                .collect(),
            m,
        })
        .collect();
    let helpers = store::helpers(&s.db, a.id).await?;
    let answers = store::answers(&s.db, a.id, PageReq::new(page, None)).await?;
    let answers_html = answers
        .items
        .iter()
        .map(|x| (x.clone(), render_markdown(&x.body)))
        .collect();
    let pager = Pager::new(&answers, &format!("/support/asks/{}", a.id));
    let can_close = a.is_open() && (me.admin || me.user == a.asker_user_id);
    let helper_choices = if can_close {
        store::helper_choices(&s.db, a.id, a.organization_id)
            .await?
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    } else {
        vec![]
    };
    Ok(AskPage {
        c,
        need_html: render_markdown(&a.need),
        a,
        communities,
        matches,
        helpers,
        answers,
        answers_html,
        pager,
        can_close,
        helper_choices,
        form: forms.answer,
        errors: forms.errors,
        close_errors: forms.close_errors,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PageQ {
    pub(super) page: Option<u32>,
    pub(super) per_page: Option<u32>,
}

pub(super) async fn answer(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let a = visible_ask(&s, &me, id).await?;
    match form.parse() {
        Ok(body) => {
            let aid = write_answer(&s, &me, &a, &body).await?;
            Ok(redirect(&format!("/support/asks/{id}#answer-{aid}")))
        }
        Err(errors) => {
            let forms = AskForms {
                answer: form,
                errors,
                ..Default::default()
            };
            let p = ask_page(&s, c, &me, a, None, forms).await?;
            Ok(html_invalid(&p))
        }
    }
}

pub(super) async fn close(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let a = visible_ask(&s, &me, id).await?;
    if !(me.admin || me.user == a.asker_user_id) {
        return Err(AppError::Forbidden);
    }
    let form = CloseForm::from_pairs(&pairs);
    let result = match form.parse() {
        Ok((status, helpers)) => write_close(&s, &me, &a, status, &helpers).await?,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(redirect(&format!("/support/asks/{id}"))),
        Err(errors) => {
            let forms = AskForms {
                close_errors: errors,
                ..Default::default()
            };
            let p = ask_page(&s, c, &me, a, None, forms).await?;
            Ok(html_invalid(&p))
        }
    }
}
