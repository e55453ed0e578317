//! The charter use cases and lookups that the pages and the API share.

use super::*;

pub(super) async fn load_reader(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Loaded> {
    let l = load(s, c, slug).await?;
    l.require(c, Record::Decisions)?;
    Ok(l)
}

pub(super) fn method_options(c: &Ctx) -> Options {
    Method::ALL
        .iter()
        .map(|m| {
            (
                m.as_str().to_owned(),
                c.label("decision-method", m.as_str()),
            )
        })
        .collect()
}

/// A version's non-empty sections rendered from Markdown, in catalog order.
pub struct SectionView {
    pub key: &'static str,
    /// Output of [`render_markdown`]: the only HTML the templates insert unescaped.
    pub html: String,
}

pub(super) fn rendered(ch: &Charter) -> Vec<SectionView> {
    Section::ALL
        .iter()
        .filter_map(|s| {
            let body = ch.body(s.as_str());
            (!body.trim().is_empty()).then(|| SectionView {
                key: s.as_str(),
                html: render_markdown(body),
            })
        })
        .collect()
}

// ---- shared writes (pages and API) --------------------------------------------------------------------

/// Creates the draft if needed and saves its sections; returns the draft's number.
pub(super) async fn write_draft(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    input: &CharterInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let (id, n, created) = store::ensure_draft(&mut tx, l.community.id, c.user_id()).await?;
    store::save_draft(&mut tx, id, input).await?;
    let action = if created {
        "charter-draft-created"
    } else {
        "charter-draft-saved"
    };
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        action,
        Some(&l.community.slug),
        Some(&n.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

pub(super) async fn write_adoption(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    v: &Version,
    input: &DecisionInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let did = store::adopt(&mut tx, l.community.id, v.id, input, c.user_id()).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "charter-adopted",
        Some(&l.community.slug),
        Some(&format!("{}:{did}", v.number)),
    )
    .await?;
    tx.commit().await?;
    Ok(did)
}

/// Records a decision (a correction when `corrects` is set, which must be an entry of this
/// community). `Ok(Err(errors))` when the corrected entry does not exist.
pub(super) async fn write_decision(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    input: &DecisionInput,
) -> AppResult<Result<i64, FieldErrors>> {
    if let Some(old) = input.corrects {
        if log::get(&s.db, l.community.id, old).await?.is_none() {
            return Ok(Err(FieldErrors::single("corrects", "error-invalid-choice")));
        }
    }
    let mut tx = s.db.begin().await?;
    let id = log::insert(&mut tx, l.community.id, input, c.user_id()).await?;
    let (action, detail) = match input.corrects {
        Some(old) => ("decision-corrected", format!("{id}:{old}")),
        None => ("decision-recorded", id.to_string()),
    };
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        action,
        Some(&l.community.slug),
        Some(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Where a decision came from, as a link, when it came from a charter version.
pub(super) async fn source_links(
    s: &AppState,
    m: &Community,
    items: &[Decision],
) -> AppResult<Vec<Option<(String, i64)>>> {
    let ids: Vec<i64> = items
        .iter()
        .filter(|d| d.source_kind.as_deref() == Some("charter"))
        .filter_map(|d| d.source_id)
        .collect();
    let numbers = store::numbers(&s.db, m.id, &ids).await?;
    Ok(items
        .iter()
        .map(|d| {
            if d.source_kind.as_deref() != Some("charter") {
                return None;
            }
            let n = numbers.iter().find(|(id, _)| Some(*id) == d.source_id)?.1;
            Some((format!("/c/{}/charter/versions/{n}", m.slug), n))
        })
        .collect())
}

// ---- the charter page -------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PageQuery {
    pub(super) page: Option<u32>,
    pub(super) per_page: Option<u32>,
}

// ---- one version, adoption ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "charter/version.html")]
pub(super) struct VersionPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) v: Version,
    pub(super) sections: Vec<SectionView>,
    pub(super) decision: Option<Decision>,
    pub(super) form: DecisionForm,
    pub(super) errors: FieldErrors,
    pub(super) methods: Options,
}

/// A version the viewer may see: drafts only for managers.
pub(super) async fn visible_version(s: &AppState, l: &Loaded, n: i64) -> AppResult<Charter> {
    store::load(&s.db, l.community.id, Which::Number(n))
        .await?
        .filter(|v| l.access.manage || !v.version.is_draft())
        .ok_or(AppError::NotFound)
}

pub(super) async fn version_page(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    ch: Charter,
    form: Option<DecisionForm>,
    errors: FieldErrors,
) -> AppResult<VersionPage> {
    let decision = match ch.version.decision_id {
        Some(d) => log::get(&s.db, l.community.id, d).await?,
        None => None,
    };
    let form = form.unwrap_or_else(|| DecisionForm {
        title: c.t1(
            "charter-adopt-default-title",
            "number",
            &ch.version.number.to_string(),
        ),
        decided_on: today(&l.community).to_string(),
        method: "consensus".into(),
        ..Default::default()
    });
    let methods = method_options(&c);
    Ok(VersionPage {
        c,
        m: l.community,
        manage: l.access.manage,
        sections: rendered(&ch),
        v: ch.version,
        decision,
        form,
        errors,
        methods,
    })
}

pub(super) async fn version(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, n)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_reader(&s, &c, &slug).await?;
    let ch = visible_version(&s, &l, n).await?;
    Ok(html(
        &version_page(&s, c, l, ch, None, FieldErrors::new()).await?,
    ))
}

pub(super) async fn adopt(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, n)): Path<(String, i64)>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let ch = visible_version(&s, &l, n).await?;
    if !ch.version.is_draft() {
        return Err(AppError::BadRequest("not a draft"));
    }
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => {
            return Ok(html_invalid(
                &version_page(&s, c, l, ch, Some(form), e).await?,
            ))
        }
    };
    write_adoption(&s, &c, &l, &ch.version, &input).await?;
    Ok(redirect(&format!("/c/{slug}/charter")))
}

// ---- comparison ----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CompareQuery {
    pub(super) a: Option<String>,
    pub(super) b: Option<String>,
}

/// One section of a comparison.
#[derive(serde::Serialize)]
pub struct DiffRow {
    pub section: &'static str,
    pub changed: bool,
    pub segments: Vec<Segment>,
}

pub(super) fn diff_rows(a: &Charter, b: &Charter) -> Vec<DiffRow> {
    Section::ALL
        .iter()
        .filter_map(|s| {
            let (x, y) = (a.body(s.as_str()), b.body(s.as_str()));
            (!x.is_empty() || !y.is_empty()).then(|| DiffRow {
                section: s.as_str(),
                changed: x != y,
                segments: diff(x, y),
            })
        })
        .collect()
}

/// The two versions to compare: those asked for, or the previous and the current adopted one.
pub(super) async fn compared(
    s: &AppState,
    l: &Loaded,
    q: &CompareQuery,
) -> AppResult<Option<(Charter, Charter)>> {
    let num = |v: &Option<String>| -> AppResult<Option<i64>> {
        match v.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            None => Ok(None),
            Some(x) => x
                .parse::<i64>()
                .map(Some)
                .map_err(|_| AppError::BadRequest("version")),
        }
    };
    let (a, b) = (num(&q.a)?, num(&q.b)?);
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            let Some(cur) = store::load(&s.db, l.community.id, Which::Adopted).await? else {
                return Ok(None);
            };
            let n = cur.version.number;
            match (a, b) {
                (Some(a), None) => (a, n),
                (None, Some(b)) => (b - 1, b),
                _ if n > 1 => (n - 1, n),
                _ => return Ok(None),
            }
        }
    };
    let va = visible_version(s, l, a).await?;
    let vb = visible_version(s, l, b).await?;
    Ok(Some((va, vb)))
}

// ---- the decision log ---------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LogQuery {
    pub(super) q: Option<String>,
    pub(super) page: Option<u32>,
    pub(super) per_page: Option<u32>,
}

#[derive(Template)]
#[template(path = "decisions/show.html")]
pub(super) struct DecisionPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) d: Decision,
    pub(super) source: Option<(String, i64)>,
    pub(super) chain: Vec<ChainEntry>,
}

pub(super) async fn decision(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_reader(&s, &c, &slug).await?;
    let d = log::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let chain = store::correction_chain(&s.db, l.community.id, id).await?;
    let source = source_links(&s, &l.community, std::slice::from_ref(&d))
        .await?
        .pop()
        .flatten();
    Ok(html(&DecisionPage {
        c,
        m: l.community,
        manage: l.access.manage,
        d,
        source,
        chain,
    }))
}
