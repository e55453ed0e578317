//! Peer support: pages under `/support…` and JSON under `/api/v1/support/…`.
//!
//! Who may do what: every page needs an account. An ask is seen (and answered) by the members and
//! role holders of the communities it is posted to, and by admins; the asker and admins close it.
//! Asking needs a person in the directory with an organization and at least one community; the
//! ask goes only to communities the asker belongs to. On creation the ask is matched
//! ([`tejido_core::support::rank`]) against the other member organizations of those communities
//! and the people of the matched organizations who are members there get an invitation by e-mail,
//! in the same transaction. Closing as resolved with the organizations that helped writes one
//! peer-help tie per helper in the community's network map. Offers belong to an organization:
//! its people (and admins) write them.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::accounts::Locale;
use tejido_core::charter::render_markdown;
use tejido_core::network::{TieInput, TieKind, TieSource};
use tejido_core::page::{Page, PageReq};
use tejido_core::support::{
    rank, AnswerForm, AskForm, AskInput, AskStatus, CloseForm, OfferForm, OfferInput, Reason,
    Urgency,
};
use tejido_core::FieldErrors;
use tejido_db::support::{self as store, Answer, Ask, AskFilter, MatchRow, Named, Offer};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::i18n::Tr;
use crate::respond::page_json;
use crate::routes::{self as route, Level, Route};
use crate::time::today_here;
use crate::views::Options;
use crate::views::{html, html_invalid, query, redirect, Pager};
use crate::{AppError, AppState, Ctx};

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/support", Level::Account, index),
        route::post("/support/asks", Level::Account, ask_create),
        route::get("/support/asks/new", Level::Account, ask_new),
        route::get("/support/asks/{id}", Level::Account, ask_show),
        route::post("/support/asks/{id}/answers", Level::Account, answer),
        route::post("/support/asks/{id}/close", Level::Account, close),
        route::get("/support/offers", Level::Account, offers),
        route::post("/support/offers", Level::Account, offer_create),
        route::get("/support/offers/new", Level::Account, offer_new),
        route::get("/support/offers/{id}/edit", Level::Account, offer_edit),
        route::post("/support/offers/{id}/edit", Level::Account, offer_save),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/support/asks", Level::Account, api_asks),
        route::post("/support/asks", Level::Account, api_ask_create),
        route::get("/support/asks/{id}", Level::Account, api_ask),
        route::post("/support/asks/{id}/answers", Level::Account, api_answer),
        route::post("/support/asks/{id}/close", Level::Account, api_close),
        route::get("/support/offers", Level::Account, api_offers),
        route::post("/support/offers", Level::Account, api_offer_create),
        route::put("/support/offers/{id}", Level::Account, api_offer_update),
    ]
}

// ---- who is asking ---------------------------------------------------------------------------

/// The signed-in reader: account, person, organization and communities.
struct Me {
    user: i64,
    admin: bool,
    person: Option<i64>,
    org: Option<Named>,
}

async fn me(s: &AppState, c: &Ctx) -> AppResult<Me> {
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

async fn my_communities(s: &AppState, me: &Me) -> AppResult<Vec<Named>> {
    Ok(match me.person {
        Some(pid) => store::person_communities(&s.db, pid).await?,
        None => vec![],
    })
}

/// An ask the reader may see; 404 when none, 403 when not theirs to see.
async fn visible_ask(s: &AppState, me: &Me, id: i64) -> AppResult<Ask> {
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

fn urgency_options(c: &Ctx) -> Options {
    Urgency::ALL
        .iter()
        .map(|u| {
            (
                u.as_str().to_owned(),
                c.label("support-urgency", u.as_str()),
            )
        })
        .collect()
}

// ---- shared writes (pages and API) -------------------------------------------------------------

/// Stores an ask, its matches and the invitations. `Err(errors)` when the communities are not
/// all the asker's or the asker has no organization.
async fn write_ask(
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

async fn write_answer(s: &AppState, me: &Me, ask: &Ask, body: &str) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = store::insert_answer(&mut tx, ask.id, me.user, body).await?;
    tx.commit().await?;
    Ok(id)
}

/// Closes an ask. `Err(errors)` for a helper that is not a member organization of its
/// communities (other than the asker's).
async fn write_close(
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

async fn write_offer(
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
async fn editable_offer(s: &AppState, me: &Me, id: i64) -> AppResult<Offer> {
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
struct ListQ {
    page: Option<u32>,
    per_page: Option<u32>,
    state: String,
    theme: String,
}

impl ListQ {
    fn filter(&self) -> AskFilter {
        AskFilter {
            state: match self.state.as_str() {
                "open" | "closed" => self.state.clone(),
                _ => String::new(),
            },
            theme: self.theme.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "support/index.html")]
struct IndexPage {
    c: Ctx,
    asks: Page<Ask>,
    pager: Pager,
    state: String,
    theme: String,
    themes: Vec<String>,
    org: Option<Named>,
    my_offers: Page<Offer>,
    can_ask: bool,
}

async fn index(State(s): State<AppState>, c: Ctx, Query(q): Query<ListQ>) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let f = q.filter();
    let asks =
        store::visible_asks(&s.db, me.admin, me.person, &f, PageReq::new(q.page, None)).await?;
    let pager = Pager::new(
        &asks,
        &query("/support", &[("state", &f.state), ("theme", &q.theme)]),
    );
    let themes = store::visible_themes(&s.db, me.admin, me.person).await?;
    let my_offers = match &me.org {
        Some(o) => store::offers_of(&s.db, o.id, PageReq::new(None, Some(5))).await?,
        None => Page {
            items: vec![],
            page: 1,
            per_page: 5,
            total: 0,
        },
    };
    let can_ask = me.org.is_some() && !my_communities(&s, &me).await?.is_empty();
    Ok(html(&IndexPage {
        c,
        asks,
        pager,
        state: f.state,
        theme: q.theme,
        themes,
        org: me.org,
        my_offers,
        can_ask,
    }))
}

// ---- asks ------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "support/ask_form.html")]
struct AskFormPage {
    c: Ctx,
    org: Option<Named>,
    communities: Vec<Named>,
    form: AskForm,
    errors: FieldErrors,
    urgencies: Options,
}

impl AskFormPage {
    /// Whether the community's box is ticked.
    fn checked(&self, id: &i64) -> bool {
        self.form.communities.contains(&id.to_string())
    }
}

async fn ask_form_page(
    s: &AppState,
    c: Ctx,
    me: Me,
    form: AskForm,
    errors: FieldErrors,
) -> AppResult<AskFormPage> {
    let communities = my_communities(s, &me).await?;
    let urgencies = urgency_options(&c);
    Ok(AskFormPage {
        c,
        org: me.org,
        communities,
        form,
        errors,
        urgencies,
    })
}

async fn ask_new(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let mut form = AskForm {
        urgency: "normal".into(),
        ..Default::default()
    };
    let mine = my_communities(&s, &me).await?;
    if mine.len() == 1 {
        form.communities = vec![mine[0].id.to_string()];
    }
    Ok(html(
        &ask_form_page(&s, c, me, form, FieldErrors::new()).await?,
    ))
}

async fn ask_create(
    State(s): State<AppState>,
    c: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let form = AskForm::from_pairs(&pairs);
    let result = match form.parse(today_here()) {
        Ok(input) => write_ask(&s, &c, &me, &input).await?,
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(redirect(&format!("/support/asks/{id}"))),
        Err(errors) => Ok(html_invalid(&ask_form_page(&s, c, me, form, errors).await?)),
    }
}

/// A match as shown: the organization and its reasons, in the reader's words.
struct MatchView {
    m: MatchRow,
    reasons: Vec<String>,
}

fn reason_text(c: &Ctx, kind: &str, value: &str) -> String {
    match kind {
        "offer-theme" => c.t1("support-reason-offer-theme", "value", value),
        "org-theme" => c.t1("support-reason-org-theme", "value", value),
        _ => c.t1("support-reason-keywords", "value", value),
    }
}

#[derive(Template)]
#[template(path = "support/ask.html")]
struct AskPage {
    c: Ctx,
    a: Ask,
    need_html: String,
    communities: Vec<Named>,
    matches: Vec<MatchView>,
    helpers: Vec<Named>,
    answers: Page<Answer>,
    answers_html: Vec<(Answer, String)>,
    pager: Pager,
    can_close: bool,
    helper_choices: Vec<Named>,
    form: AnswerForm,
    errors: FieldErrors,
    close_errors: FieldErrors,
}

/// The forms of the ask page, with what was typed and the errors of the one submitted.
#[derive(Default)]
struct AskForms {
    answer: AnswerForm,
    errors: FieldErrors,
    close_errors: FieldErrors,
}

async fn ask_page(
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
struct PageQ {
    page: Option<u32>,
    per_page: Option<u32>,
}

async fn ask_show(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PageQ>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let a = visible_ask(&s, &me, id).await?;
    let p = ask_page(&s, c, &me, a, q.page, AskForms::default()).await?;
    Ok(html(&p))
}

async fn answer(
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

async fn close(
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

// ---- offers ----------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "support/offers.html")]
struct OffersPage {
    c: Ctx,
    org: Option<Named>,
    offers: Page<Offer>,
    pager: Pager,
}

async fn offers(State(s): State<AppState>, c: Ctx, Query(q): Query<PageQ>) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let offers = match &me.org {
        Some(o) => store::offers_of(&s.db, o.id, PageReq::new(q.page, None)).await?,
        None => Page {
            items: vec![],
            page: 1,
            per_page: 25,
            total: 0,
        },
    };
    let pager = Pager::new(&offers, "/support/offers");
    Ok(html(&OffersPage {
        c,
        org: me.org,
        offers,
        pager,
    }))
}

#[derive(Template)]
#[template(path = "support/offer_form.html")]
struct OfferFormPage {
    c: Ctx,
    org_name: String,
    editing: Option<i64>,
    form: OfferForm,
    errors: FieldErrors,
}

async fn offer_new(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let org = me.org.ok_or(AppError::Forbidden)?;
    Ok(html(&OfferFormPage {
        c,
        org_name: org.name,
        editing: None,
        form: OfferForm::default(),
        errors: FieldErrors::new(),
    }))
}

async fn offer_create(
    State(s): State<AppState>,
    c: Ctx,
    Form(form): Form<OfferForm>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let org_name = me.org.as_ref().ok_or(AppError::Forbidden)?.name.clone();
    match form.parse() {
        Ok(input) => {
            write_offer(&s, &me, None, &input).await?;
            Ok(redirect("/support/offers"))
        }
        Err(errors) => Ok(html_invalid(&OfferFormPage {
            c,
            org_name,
            editing: None,
            form,
            errors,
        })),
    }
}

async fn offer_edit(State(s): State<AppState>, c: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let o = editable_offer(&s, &me, id).await?;
    Ok(html(&OfferFormPage {
        c,
        org_name: o.organization_name.clone(),
        editing: Some(id),
        form: OfferForm {
            title: o.title,
            description: o.description,
            themes: o.themes,
        },
        errors: FieldErrors::new(),
    }))
}

async fn offer_save(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<OfferForm>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let o = editable_offer(&s, &me, id).await?;
    match form.parse() {
        Ok(input) => {
            write_offer(&s, &me, Some(&o), &input).await?;
            Ok(redirect("/support/offers"))
        }
        Err(errors) => Ok(html_invalid(&OfferFormPage {
            c,
            org_name: o.organization_name,
            editing: Some(id),
            form,
            errors,
        })),
    }
}

// ---- JSON API --------------------------------------------------------------------------------

async fn ask_json(s: &AppState, a: &Ask, page: PageReq) -> AppResult<Value> {
    let communities = store::ask_communities(&s.db, a.id).await?;
    let matches: Vec<Value> = store::matches(&s.db, a.id)
        .await?
        .into_iter()
        .map(|m| {
            let reasons: Vec<Value> = m
                .reasons
                .lines()
                .filter_map(Reason::decode)
                .map(|(k, v)| json!({ "kind": k, "value": v }))
                .collect();
            json!({ "organization_id": m.organization_id, "name": m.name, "score": m.score,
                    "invited": m.invited, "reasons": reasons })
        })
        .collect();
    let helpers = store::helpers(&s.db, a.id).await?;
    let answers = store::answers(&s.db, a.id, page).await?;
    let mut v = json!(a);
    v["communities"] = json!(communities);
    v["matches"] = json!(matches);
    v["helpers"] = json!(helpers);
    v["answers"] = page_json(&answers);
    Ok(v)
}

async fn api_asks(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<ListQ>,
) -> AppResult<Json<Value>> {
    let me = me(&s, &c).await?;
    let p = store::visible_asks(
        &s.db,
        me.admin,
        me.person,
        &q.filter(),
        PageReq::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(page_json(&p)))
}

async fn api_ask_create(
    State(s): State<AppState>,
    c: Ctx,
    ApiJson(form): ApiJson<AskForm>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let input = form.parse(today_here()).map_err(AppError::Validation)?;
    let id = write_ask(&s, &c, &me, &input)
        .await?
        .map_err(AppError::Validation)?;
    let a = store::get_ask(&s.db, id).await?.ok_or(AppError::NotFound)?;
    let v = ask_json(&s, &a, PageReq::new(None, None)).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

async fn api_ask(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PageQ>,
) -> AppResult<Json<Value>> {
    let me = me(&s, &c).await?;
    let a = visible_ask(&s, &me, id).await?;
    Ok(Json(
        ask_json(&s, &a, PageReq::new(q.page, q.per_page)).await?,
    ))
}

async fn api_answer(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<AnswerForm>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    let a = visible_ask(&s, &me, id).await?;
    let body = form.parse().map_err(AppError::Validation)?;
    let aid = write_answer(&s, &me, &a, &body).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": aid, "ask_id": id, "body": body })),
    )
        .into_response())
}

async fn api_close(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<CloseForm>,
) -> AppResult<Json<Value>> {
    let me = me(&s, &c).await?;
    let a = visible_ask(&s, &me, id).await?;
    let (status, helpers) = form.parse().map_err(AppError::Validation)?;
    write_close(&s, &me, &a, status, &helpers)
        .await?
        .map_err(AppError::Validation)?;
    let a = store::get_ask(&s.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(ask_json(&s, &a, PageReq::new(None, None)).await?))
}

async fn api_offers(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<PageQ>,
) -> AppResult<Json<Value>> {
    let me = me(&s, &c).await?;
    let org = me.org.as_ref().ok_or(AppError::Forbidden)?;
    let p = store::offers_of(&s.db, org.id, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(page_json(&p)))
}

async fn api_offer_create(
    State(s): State<AppState>,
    c: Ctx,
    ApiJson(form): ApiJson<OfferForm>,
) -> AppResult<Response> {
    let me = me(&s, &c).await?;
    if me.org.is_none() {
        return Err(AppError::Forbidden);
    }
    let input = form.parse().map_err(AppError::Validation)?;
    let id = write_offer(&s, &me, None, &input).await?;
    let o = store::get_offer(&s.db, id).await?;
    Ok((StatusCode::CREATED, Json(json!(o))).into_response())
}

async fn api_offer_update(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<OfferForm>,
) -> AppResult<Json<Value>> {
    let me = me(&s, &c).await?;
    let o = editable_offer(&s, &me, id).await?;
    let input = form.parse().map_err(AppError::Validation)?;
    write_offer(&s, &me, Some(&o), &input).await?;
    let o = store::get_offer(&s.db, id).await?;
    Ok(Json(json!(o)))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let created = |schema: Value| json!({ "description": "Created", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let int_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "integer" }, "description": d });
    let str_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "string" }, "description": d });
    let urgencies: Vec<&str> = Urgency::ALL.iter().map(|u| u.as_str()).collect();
    let statuses: Vec<&str> = AskStatus::ALL.iter().map(|u| u.as_str()).collect();
    let named = json!({ "type": "object", "properties": { "id": { "type": "integer" }, "name": { "type": "string" }, "slug": { "type": "string" } } });
    let ask = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "organization_id": { "type": "integer" }, "organization_name": { "type": "string" },
        "asker_user_id": { "type": "integer" }, "asker_name": { "type": "string" }, "title": { "type": "string" },
        "need": { "type": "string", "description": "Markdown" }, "theme": { "type": "string" },
        "urgency": { "type": "string", "enum": urgencies }, "deadline": { "type": "string", "format": "date", "nullable": true },
        "status": { "type": "string", "enum": statuses }, "closed_at": { "type": "string", "format": "date-time", "nullable": true },
        "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" } } });
    let paged = |it: Value| {
        json!({ "type": "object", "properties": { "items": { "type": "array", "items": it },
        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "total": { "type": "integer" }, "pages": { "type": "integer" } } })
    };
    let answer = json!({ "type": "object", "properties": { "id": { "type": "integer" }, "ask_id": { "type": "integer" },
        "author_name": { "type": "string" }, "organization_name": { "type": "string", "nullable": true },
        "body": { "type": "string" }, "created_at": { "type": "string", "format": "date-time" } } });
    let mut full = ask.clone();
    full["properties"]["communities"] = json!({ "type": "array", "items": named.clone() });
    full["properties"]["helpers"] = json!({ "type": "array", "items": named.clone() });
    full["properties"]["answers"] = paged(answer);
    full["properties"]["matches"] = json!({ "type": "array", "items": { "type": "object", "properties": {
        "organization_id": { "type": "integer" }, "name": { "type": "string" }, "score": { "type": "integer" },
        "invited": { "type": "integer", "description": "People of the organization invited by e-mail" },
        "reasons": { "type": "array", "items": { "type": "object", "properties": {
            "kind": { "type": "string", "enum": ["offer-theme", "org-theme", "keywords"] }, "value": { "type": "string" } } } } } } });
    let offer = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "organization_id": { "type": "integer" }, "organization_name": { "type": "string" },
        "title": { "type": "string" }, "description": { "type": "string" }, "themes": { "type": "string", "description": "Comma-separated" },
        "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" } } });
    let ask_form = json!({ "type": "object", "required": ["title", "need", "theme", "urgency", "communities"], "properties": {
        "title": { "type": "string" }, "need": { "type": "string", "description": "Markdown" }, "theme": { "type": "string" },
        "urgency": { "type": "string", "enum": urgencies }, "deadline": { "type": "string", "description": "YYYY-MM-DD, not in the past" },
        "communities": { "type": "array", "items": { "type": "string" }, "description": "Ids (as strings) of communities the asker belongs to" } } });
    let offer_form = json!({ "type": "object", "required": ["title", "description"], "properties": {
        "title": { "type": "string" }, "description": { "type": "string" }, "themes": { "type": "string", "description": "Comma-separated" } } });
    let close_form = json!({ "type": "object", "required": ["outcome"], "properties": {
        "outcome": { "type": "string", "enum": ["resolved", "withdrawn"] },
        "helpers": { "type": "array", "items": { "type": "string" }, "description": "Ids (as strings) of the organizations that helped; required when resolved" } } });
    let v = json!({
        "/support/asks": {
            "parameters": [int_q("page", "Page number"), int_q("per_page", "Items per page"),
                str_q("state", "open or closed"), str_q("theme", "A theme (accent-insensitive)")],
            "get": { "summary": "Asks for peer support the reader may see: those posted to their communities (all, for admins)",
                "responses": { "200": ok(paged(ask.clone())), "401": err } },
            "post": { "summary": "Ask for help; the ask is matched to fitting organizations of its communities, whose members are invited by e-mail",
                "requestBody": body(ask_form), "responses": { "201": created(full.clone()), "401": err, "403": err, "422": err } }
        },
        "/support/asks/{id}": {
            "parameters": [id.clone(), int_q("page", "Page of answers"), int_q("per_page", "Answers per page")],
            "get": { "summary": "An ask with its communities, matched organizations and why, helpers and answers",
                "responses": { "200": ok(full.clone()), "401": err, "403": err, "404": err } }
        },
        "/support/asks/{id}/answers": {
            "parameters": [id.clone()],
            "post": { "summary": "Answer an ask (anyone who may see it)",
                "requestBody": body(json!({ "type": "object", "required": ["body"], "properties": { "body": { "type": "string", "description": "Markdown" } } })),
                "responses": { "201": created(json!({ "type": "object", "properties": { "id": { "type": "integer" }, "ask_id": { "type": "integer" }, "body": { "type": "string" } } })),
                    "401": err, "403": err, "404": err, "422": err } }
        },
        "/support/asks/{id}/close": {
            "parameters": [id.clone()],
            "post": { "summary": "Close an ask as resolved (with the organizations that helped: one peer-help tie each in the network map) or withdrawn (asker or admin)",
                "requestBody": body(close_form), "responses": { "200": ok(full), "401": err, "403": err, "404": err, "422": err } }
        },
        "/support/offers": {
            "parameters": [int_q("page", "Page number"), int_q("per_page", "Items per page")],
            "get": { "summary": "My organization's offers of expertise", "responses": { "200": ok(paged(offer.clone())), "401": err, "403": err } },
            "post": { "summary": "Add an offer of expertise for my organization", "requestBody": body(offer_form.clone()),
                "responses": { "201": created(offer.clone()), "401": err, "403": err, "422": err } }
        },
        "/support/offers/{id}": {
            "parameters": [id],
            "put": { "summary": "Edit an offer of my organization (admins: any)", "requestBody": body(offer_form),
                "responses": { "200": ok(offer), "401": err, "403": err, "404": err, "422": err } }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
