//! The support pages: handlers, their forms and templates.

use super::*;

pub(super) fn urgency_options(c: &Ctx) -> Options {
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

#[derive(Template)]
#[template(path = "support/index.html")]
pub(super) struct IndexPage {
    pub(super) c: Ctx,
    pub(super) asks: Page<Ask>,
    pub(super) pager: Pager,
    pub(super) state: String,
    pub(super) theme: String,
    pub(super) themes: Vec<String>,
    pub(super) org: Option<Named>,
    pub(super) my_offers: Page<Offer>,
    pub(super) can_ask: bool,
}

pub(super) async fn index(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<ListQ>,
) -> AppResult<Response> {
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
pub(super) struct AskFormPage {
    pub(super) c: Ctx,
    pub(super) org: Option<Named>,
    pub(super) communities: Vec<Named>,
    pub(super) form: AskForm,
    pub(super) errors: FieldErrors,
    pub(super) urgencies: Options,
}

impl AskFormPage {
    /// Whether the community's box is ticked.
    pub(super) fn checked(&self, id: &i64) -> bool {
        self.form.communities.contains(&id.to_string())
    }
}

pub(super) async fn ask_form_page(
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

pub(super) async fn ask_new(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
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

pub(super) async fn ask_create(
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

pub(super) async fn ask_show(
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

// ---- offers ----------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "support/offers.html")]
pub(super) struct OffersPage {
    pub(super) c: Ctx,
    pub(super) org: Option<Named>,
    pub(super) offers: Page<Offer>,
    pub(super) pager: Pager,
}

pub(super) async fn offers(
    State(s): State<AppState>,
    c: Ctx,
    Query(q): Query<PageQ>,
) -> AppResult<Response> {
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
pub(super) struct OfferFormPage {
    pub(super) c: Ctx,
    pub(super) org_name: String,
    pub(super) editing: Option<i64>,
    pub(super) form: OfferForm,
    pub(super) errors: FieldErrors,
}

pub(super) async fn offer_new(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
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

pub(super) async fn offer_create(
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

pub(super) async fn offer_edit(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
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

pub(super) async fn offer_save(
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
