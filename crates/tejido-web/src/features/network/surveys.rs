//! Tie surveys (PARTNER rounds): opening and closing a round, answering it, its page.

use super::*;

/// Rows of the survey answer form.
pub(super) const ANSWER_ROWS: usize = 8;

// ---- survey rounds -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "network/rounds.html")]
pub(super) struct RoundsPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) leader: bool,
    pub(super) rounds: Vec<Round>,
    pub(super) form: RoundForm,
    pub(super) errors: FieldErrors,
}

pub(super) async fn rounds_page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let net = load_member(&s, &c, &slug).await?;
    let rounds = store::rounds(&s.db, net.l.community.id, ROUNDS_LIMIT).await?;
    Ok(html(&RoundsPage {
        c,
        leader: net.leader,
        m: net.l.community,
        rounds,
        form: RoundForm::default(),
        errors: FieldErrors::new(),
    }))
}

pub(super) async fn write_round(s: &AppState, c: &Ctx, net: &Net, title: &str) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = store::open_round(
        &mut tx,
        net.l.community.id,
        title,
        today(&net.l.community),
        c.user_id(),
    )
    .await?;
    audit(
        &mut tx,
        c,
        "network-round-opened",
        net.slug(),
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub(super) async fn open_round(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<RoundForm>,
) -> AppResult<Response> {
    let net = load_leader(&s, &c, &slug).await?;
    match form.parse() {
        Ok(title) => {
            let id = write_round(&s, &c, &net, &title).await?;
            Ok(redirect(&format!("/c/{slug}/network/surveys/{id}")))
        }
        Err(errors) => {
            let rounds = store::rounds(&s.db, net.l.community.id, ROUNDS_LIMIT).await?;
            Ok(html_invalid(&RoundsPage {
                c,
                leader: true,
                m: net.l.community,
                rounds,
                form,
                errors,
            }))
        }
    }
}

pub(super) async fn close_round(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let net = load_leader(&s, &c, &slug).await?;
    store::round(&s.db, net.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = s.db.begin().await?;
    if store::close_round(&mut tx, net.l.community.id, id).await? {
        audit(
            &mut tx,
            &c,
            "network-round-closed",
            net.slug(),
            &id.to_string(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/network/surveys/{id}")))
}

/// The organization the viewer answers for, if they may answer this round.
pub(super) async fn answering_org(s: &AppState, net: &Net) -> AppResult<Option<i64>> {
    match net.person {
        Some(pid) => {
            let (member, _) =
                tejido_db::communities::standing(&s.db, net.l.community.id, pid).await?;
            if member {
                Ok(store::member_org_of(&s.db, net.l.community.id, pid).await?)
            } else {
                Ok(None)
            }
        }
        None => Ok(None),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RoundQuery {
    pub(super) compare: String,
}

/// One row of the answer form: its number and its field names.
pub(super) struct AnswerRow {
    pub(super) n: String,
    pub(super) to: String,
    pub(super) kind: String,
    pub(super) strength: String,
    pub(super) trust: String,
    pub(super) value: String,
    pub(super) ratings: Vec<RatingField>,
    /// The sub-ratings are shown open (some given, or an error on them).
    pub(super) ratings_open: bool,
    pub(super) form: TieForm,
}

pub(super) fn sub_value<'a>(f: &'a TieForm, name: &str) -> &'a str {
    match name {
        "reliability" => &f.reliability,
        "mission" => &f.mission,
        "openness" => &f.openness,
        "power" => &f.power,
        "resources" => &f.resources,
        _ => &f.involvement,
    }
}

#[derive(Template)]
#[template(path = "network/round.html")]
pub(super) struct RoundPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) leader: bool,
    pub(super) round: Round,
    /// Organization the viewer answers for, when they may still answer.
    pub(super) answer_for: Option<String>,
    pub(super) rows: Vec<AnswerRow>,
    pub(super) kinds: Options,
    pub(super) actors: Options,
    pub(super) errors: FieldErrors,
    pub(super) lines: Vec<FigureLine>,
    pub(super) compare: Option<(Round, Vec<FigureLine>)>,
    pub(super) others: Options,
    pub(super) answers: Vec<Tie>,
    pub(super) levels: Options,
}

pub(super) async fn round_view(
    s: &AppState,
    c: Ctx,
    net: Net,
    id: i64,
    compare: &str,
    rows: Vec<TieForm>,
    errors: FieldErrors,
) -> AppResult<RoundPage> {
    let round = store::round(&s.db, net.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let answer_for = match answering_org(s, &net).await? {
        Some(org) if round.closed_at.is_none() && !store::answered(&s.db, id, org).await? => {
            let a = store::actor_choices(&s.db, ACTOR_CHOICES).await?;
            a.into_iter().find(|x| x.id == org).map(|x| x.name)
        }
        _ => None,
    };
    let network = network_of_round(s, &net, id).await?;
    let compare = match compare.parse::<i64>() {
        Ok(other) if other != id => match store::round(&s.db, net.l.community.id, other).await? {
            Some(r) => {
                let n = network_of_round(s, &net, other).await?;
                Some((r, figure_lines(&n.figures)))
            }
            None => None,
        },
        _ => None,
    };
    let others = store::rounds(&s.db, net.l.community.id, ROUNDS_LIMIT)
        .await?
        .into_iter()
        .filter(|r| r.id != id)
        .map(|r| (r.id.to_string(), r.title))
        .collect();
    let actors = actor_options(&store::actor_choices(&s.db, ACTOR_CHOICES).await?);
    let mut rows = rows;
    rows.resize(ANSWER_ROWS, TieForm::default());
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, form)| {
            let ratings = rating_fields(&form, &format!("-{i}"));
            AnswerRow {
                n: (i + 1).to_string(),
                to: format!("to-{i}"),
                kind: format!("kind-{i}"),
                strength: format!("strength-{i}"),
                trust: format!("trust-{i}"),
                value: format!("value-{i}"),
                ratings_open: ratings_open(&ratings, &errors),
                ratings,
                form,
            }
        })
        .collect();
    Ok(RoundPage {
        levels: rating_levels(&c),
        kinds: kind_options(&c, true),
        lines: figure_lines(&network.figures),
        answers: if net.leader { network.ties } else { Vec::new() },
        leader: net.leader,
        m: net.l.community,
        c,
        round,
        answer_for,
        rows,
        actors,
        errors,
        compare,
        others,
    })
}

pub(super) async fn round_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<RoundQuery>,
) -> AppResult<Response> {
    let net = load_member(&s, &c, &slug).await?;
    Ok(html(
        &round_view(&s, c, net, id, &q.compare, vec![], FieldErrors::new()).await?,
    ))
}

/// Parses a round's answers; errors name the row (`to-3`, `kind-3` …).
pub(super) async fn parse_answers(
    s: &AppState,
    net: &Net,
    org: i64,
    rows: &[TieForm],
) -> AppResult<Result<Vec<RatedTie>, FieldErrors>> {
    let today = today(&net.l.community);
    let mut errors = FieldErrors::new();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let subs_empty = SUB_RATINGS
            .iter()
            .all(|f| sub_value(r, f).trim().is_empty());
        if r.to.trim().is_empty() && r.kind.trim().is_empty() && subs_empty {
            continue;
        }
        let form = TieForm {
            from: org.to_string(),
            started_on: String::new(),
            ended_on: String::new(),
            ..r.clone()
        };
        match form.parse_rated(today) {
            Ok(t) => out.push(t),
            Err(e) => {
                for fe in e.0 {
                    errors.add(&format!("{}-{i}", fe.field), &fe.code);
                }
            }
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.add("to-0", "survey-error-empty");
    }
    let ids: Vec<i64> = out.iter().map(|t| t.tie.to).collect();
    let mut uniq = ids.clone();
    uniq.sort_unstable();
    uniq.dedup();
    if errors.is_empty() && store::count_actors(&s.db, &uniq).await? != uniq.len() as i64 {
        errors.add("to-0", "error-invalid-choice");
    }
    Ok(errors.into_result(out))
}

pub(super) async fn write_answers(
    s: &AppState,
    c: &Ctx,
    net: &Net,
    round: &Round,
    org: i64,
    ties: &[RatedTie],
) -> AppResult<()> {
    let mut tx = s.db.begin().await?;
    store::end_survey_ties_of(
        &mut tx,
        net.l.community.id,
        org,
        round.id,
        today(&net.l.community),
    )
    .await?;
    store::insert_rated_ties(
        &mut tx,
        net.l.community.id,
        ties,
        TieSource::Survey,
        Some(round.id),
        c.user_id(),
    )
    .await?;
    audit(
        &mut tx,
        c,
        "network-survey-answered",
        net.slug(),
        &format!("{}:{org}", round.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the viewer may answer the round now; returns the round and their organization.
pub(super) async fn may_answer(s: &AppState, net: &Net, id: i64) -> AppResult<(Round, i64)> {
    let round = store::round(&s.db, net.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = answering_org(s, net).await?.ok_or(AppError::Forbidden)?;
    if round.closed_at.is_some() || store::answered(&s.db, id, org).await? {
        return Err(AppError::Validation(FieldErrors::single(
            "round",
            "survey-error-closed",
        )));
    }
    Ok((round, org))
}

/// Form rows from `to-0`, `kind-0`, … fields.
pub(super) fn rows_from(fields: &[(String, String)]) -> Vec<TieForm> {
    let mut rows = vec![TieForm::default(); ANSWER_ROWS];
    for (k, v) in fields {
        let Some((name, i)) = k.rsplit_once('-') else {
            continue;
        };
        let Ok(i) = i.parse::<usize>() else { continue };
        let Some(r) = rows.get_mut(i) else { continue };
        match name {
            "to" => r.to = v.clone(),
            "kind" => r.kind = v.clone(),
            "strength" => r.strength = v.clone(),
            "trust" => r.trust = v.clone(),
            "value" => r.value = v.clone(),
            "via_community" => r.via_community = v.clone(),
            "reliability" => r.reliability = v.clone(),
            "mission" => r.mission = v.clone(),
            "openness" => r.openness = v.clone(),
            "power" => r.power = v.clone(),
            "resources" => r.resources = v.clone(),
            "involvement" => r.involvement = v.clone(),
            _ => {}
        }
    }
    rows
}

pub(super) async fn answer_round(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    let (round, org) = may_answer(&s, &net, id).await?;
    let rows = rows_from(&fields);
    match parse_answers(&s, &net, org, &rows).await? {
        Ok(ties) => {
            write_answers(&s, &c, &net, &round, org, &ties).await?;
            Ok(redirect(&format!("/c/{slug}/network/surveys/{id}")))
        }
        Err(errors) => Ok(html_invalid(
            &round_view(&s, c, net, id, "", rows, errors).await?,
        )),
    }
}
