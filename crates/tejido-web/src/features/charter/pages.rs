//! The charter pages: handlers, their forms and templates.

use super::*;

// ---- authorization ---------------------------------------------------------------------------------

/// True when the viewer reads more than the adopted charter (drafts, versions, the decision
/// log): the rule for decisions in `tejido_core::visibility`.
pub(super) fn reads_all(l: &Loaded) -> bool {
    l.may_read(Record::Decisions)
}

pub(super) fn form_of(ch: &Charter) -> CharterForm {
    CharterForm::from_pairs(ch.sections.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[derive(Template)]
#[template(path = "charter/show.html")]
pub(super) struct ShowPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) reader: bool,
    pub(super) current: Option<Version>,
    pub(super) sections: Vec<SectionView>,
    pub(super) draft: Option<Version>,
    pub(super) versions: Option<Page<Version>>,
    pub(super) pager: Option<Pager>,
}

pub(super) async fn show(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    let reader = reads_all(&l);
    let id = l.community.id;
    let current = store::load(&s.db, id, Which::Adopted).await?;
    let sections = current.as_ref().map(rendered).unwrap_or_default();
    let draft = if l.access.manage {
        store::load(&s.db, id, Which::Draft)
            .await?
            .map(|d| d.version)
    } else {
        None
    };
    let (versions, pager) = if reader {
        let p = store::versions(&s.db, id, l.access.manage, PageReq::new(q.page, Some(20))).await?;
        let pager = Pager::new(&p, &format!("/c/{slug}/charter"));
        (Some(p), Some(pager))
    } else {
        (None, None)
    };
    Ok(html(&ShowPage {
        c,
        m: l.community,
        manage: l.access.manage,
        reader,
        current: current.map(|x| x.version),
        sections,
        draft,
        versions,
        pager,
    }))
}

// ---- editing the draft ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "charter/edit.html")]
pub(super) struct EditPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) draft: Option<i64>,
    pub(super) fields: Vec<(&'static str, String)>,
    pub(super) errors: FieldErrors,
}

pub(super) fn edit_page(
    c: Ctx,
    m: Community,
    draft: Option<i64>,
    form: &CharterForm,
    errors: FieldErrors,
) -> EditPage {
    let fields = Section::ALL
        .iter()
        .map(|s| (s.as_str(), form.get(*s).to_owned()))
        .collect();
    EditPage {
        c,
        m,
        draft,
        fields,
        errors,
    }
}

pub(super) async fn edit_form(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let id = l.community.id;
    // Reading never writes: the draft is created by the first save, from the adopted text.
    let (draft, form) = match store::load(&s.db, id, Which::Draft).await? {
        Some(d) => (Some(d.version.number), form_of(&d)),
        None => (
            None,
            store::load(&s.db, id, Which::Adopted)
                .await?
                .map(|a| form_of(&a))
                .unwrap_or_default(),
        ),
    };
    Ok(html(&edit_page(
        c,
        l.community,
        draft,
        &form,
        FieldErrors::new(),
    )))
}

pub(super) async fn save(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<CharterForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => {
            let draft = store::load(&s.db, l.community.id, Which::Draft)
                .await?
                .map(|d| d.version.number);
            return Ok(html_invalid(&edit_page(c, l.community, draft, &form, e)));
        }
    };
    let n = write_draft(&s, &c, &l, &input).await?;
    Ok(redirect(&format!("/c/{slug}/charter/versions/{n}")))
}

#[derive(Template)]
#[template(path = "charter/compare.html")]
pub(super) struct ComparePage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) nums: Option<(i64, i64)>,
    pub(super) rows: Vec<DiffRow>,
    pub(super) choices: Options,
    pub(super) a_sel: String,
    pub(super) b_sel: String,
}

pub(super) async fn compare(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<CompareQuery>,
) -> AppResult<Response> {
    let l = load_reader(&s, &c, &slug).await?;
    let pair = compared(&s, &l, &q).await?;
    let list = store::versions(
        &s.db,
        l.community.id,
        l.access.manage,
        PageReq::new(Some(1), Some(100)),
    )
    .await?;
    let choices: Options = list
        .items
        .iter()
        .map(|v| {
            (
                v.number.to_string(),
                c.t2(
                    "charter-version-option",
                    "number",
                    &v.number.to_string(),
                    "status",
                    &c.label("charter-status", &v.status),
                ),
            )
        })
        .collect();
    let (a, b, rows) = match pair {
        Some((x, y)) => {
            let rows = diff_rows(&x, &y);
            (Some(x.version), Some(y.version), rows)
        }
        None => (None, None, vec![]),
    };
    let a_sel = a.as_ref().map(|v| v.number.to_string()).unwrap_or_default();
    let b_sel = b.as_ref().map(|v| v.number.to_string()).unwrap_or_default();
    let nums = a
        .as_ref()
        .zip(b.as_ref())
        .map(|(x, y)| (x.number, y.number));
    Ok(html(&ComparePage {
        c,
        m: l.community,
        nums,
        rows,
        choices,
        a_sel,
        b_sel,
    }))
}

pub struct DecisionRow {
    pub d: Decision,
    /// Link to the charter version it adopted, and that version's number.
    pub source: Option<(String, i64)>,
}

#[derive(Template)]
#[template(path = "decisions/list.html")]
pub(super) struct ListPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) rows: Vec<DecisionRow>,
    pub(super) total: i64,
    pub(super) pager: Pager,
    pub(super) q: String,
}

pub(super) async fn decisions(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<LogQuery>,
) -> AppResult<Response> {
    let l = load_reader(&s, &c, &slug).await?;
    let page = log::list(
        &s.db,
        l.community.id,
        q.q.as_deref(),
        PageReq::new(q.page, None),
    )
    .await?;
    let text = q.q.unwrap_or_default();
    let pager = Pager::new(
        &page,
        &query(&format!("/c/{slug}/decisions"), &[("q", &text)]),
    );
    let links = source_links(&s, &l.community, &page.items).await?;
    let total = page.total;
    let rows = page
        .items
        .into_iter()
        .zip(links)
        .map(|(d, source)| DecisionRow { d, source })
        .collect();
    Ok(html(&ListPage {
        c,
        m: l.community,
        manage: l.access.manage,
        rows,
        total,
        pager,
        q: text,
    }))
}

#[derive(Template)]
#[template(path = "decisions/form.html")]
pub(super) struct DecisionFormPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    /// The entry being corrected, if this is a correction.
    pub(super) corrects: Option<Decision>,
    pub(super) form: DecisionForm,
    pub(super) errors: FieldErrors,
    pub(super) methods: Options,
}

pub(super) fn decision_form_page(
    c: Ctx,
    m: Community,
    corrects: Option<Decision>,
    form: DecisionForm,
    errors: FieldErrors,
) -> DecisionFormPage {
    let methods = method_options(&c);
    DecisionFormPage {
        c,
        m,
        corrects,
        form,
        errors,
        methods,
    }
}

pub(super) async fn new_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let form = DecisionForm {
        decided_on: today(&l.community).to_string(),
        method: "consensus".into(),
        ..Default::default()
    };
    Ok(html(&decision_form_page(
        c,
        l.community,
        None,
        form,
        FieldErrors::new(),
    )))
}

pub(super) async fn create_decision(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(mut form): Form<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    // Corrections have their own page; a stray field here must not turn this into one.
    form.corrects = String::new();
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => {
            return Ok(html_invalid(&decision_form_page(
                c,
                l.community,
                None,
                form,
                e,
            )))
        }
    };
    match write_decision(&s, &c, &l, &input).await? {
        Ok(id) => Ok(redirect(&format!("/c/{slug}/decisions/{id}"))),
        Err(e) => Ok(html_invalid(&decision_form_page(
            c,
            l.community,
            None,
            form,
            e,
        ))),
    }
}

pub(super) async fn correct_form(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let old = log::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let n = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
    let form = DecisionForm {
        title: old.title.clone(),
        body: old.body.clone().unwrap_or_default(),
        decided_on: old.decided_on.format("%Y-%m-%d").to_string(),
        method: old.method.clone(),
        votes_for: n(old.votes_for),
        votes_against: n(old.votes_against),
        votes_abstain: n(old.votes_abstain),
        decided_by: old.decided_by.clone().unwrap_or_default(),
        corrects: id.to_string(),
    };
    Ok(html(&decision_form_page(
        c,
        l.community,
        Some(old),
        form,
        FieldErrors::new(),
    )))
}

pub(super) async fn correct(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(mut form): Form<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let old = log::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    form.corrects = id.to_string();
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => {
            return Ok(html_invalid(&decision_form_page(
                c,
                l.community,
                Some(old),
                form,
                e,
            )))
        }
    };
    match write_decision(&s, &c, &l, &input).await? {
        Ok(new_id) => Ok(redirect(&format!("/c/{slug}/decisions/{new_id}"))),
        Err(e) => Ok(html_invalid(&decision_form_page(
            c,
            l.community,
            Some(old),
            form,
            e,
        ))),
    }
}
