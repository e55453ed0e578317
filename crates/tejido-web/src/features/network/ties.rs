//! Ties: recording and ending them, the tie import (pasted or uploaded) and the exports.

use super::*;

/// Parses a tie and checks its organizations exist and one of them is a member.
pub(super) async fn parse_tie(
    s: &AppState,
    net: &Net,
    form: &TieForm,
) -> AppResult<Result<RatedTie, FieldErrors>> {
    let rated = match form.parse_rated(today(&net.l.community)) {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let input = &rated.tie;
    if store::count_actors(&s.db, &[input.from, input.to]).await? != 2 {
        return Ok(Err(FieldErrors::single("to", "error-invalid-choice")));
    }
    let members = store::member_actors(&s.db, net.l.community.id).await?;
    if !members
        .iter()
        .any(|a| a.id == input.from || a.id == input.to)
    {
        return Ok(Err(FieldErrors::single("from", "tie-error-no-member")));
    }
    Ok(Ok(rated))
}

pub(super) async fn write_ties(
    s: &AppState,
    c: &Ctx,
    net: &Net,
    ties: &[RatedTie],
    source: TieSource,
    round: Option<i64>,
    action: &str,
) -> AppResult<Vec<i64>> {
    let mut tx = s.db.begin().await?;
    let ids = store::insert_rated_ties(
        &mut tx,
        net.l.community.id,
        ties,
        source,
        round,
        c.user_id(),
    )
    .await?;
    audit(&mut tx, c, action, net.slug(), &format!("{}", ids.len())).await?;
    tx.commit().await?;
    Ok(ids)
}

pub(super) async fn add_tie(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<TieForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    match parse_tie(&s, &net, &form).await? {
        Ok(input) => {
            write_ties(
                &s,
                &c,
                &net,
                &[input],
                TieSource::Member,
                None,
                "network-tie-added",
            )
            .await?;
            Ok(redirect(&format!("/c/{slug}/network")))
        }
        Err(errors) => Ok(html_invalid(
            &show_page(&s, c, net, MapQuery::default(), form, errors).await?,
        )),
    }
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub(super) struct EndForm {
    pub(super) ended_on: String,
}

pub(super) async fn do_end(
    s: &AppState,
    c: &Ctx,
    net: &Net,
    id: i64,
    form: &EndForm,
) -> AppResult<()> {
    let on = if form.ended_on.trim().is_empty() {
        today(&net.l.community)
    } else {
        core::parse_date(&form.ended_on).ok_or_else(|| {
            AppError::Validation(FieldErrors::single("ended_on", "tie-error-date"))
        })?
    };
    // Managers end any tie; a member only one it recorded (others answer as refused, found or not).
    let t = store::tie(&s.db, net.l.community.id, id, &net.kinds(), net.user).await?;
    match t {
        Some(t) if net.leader || (net.user.is_some() && t.entered_by == net.user) => {}
        _ if !net.leader => return Err(AppError::Forbidden),
        _ => return Err(AppError::NotFound),
    }
    let mut tx = s.db.begin().await?;
    if !store::end_tie(&mut tx, net.l.community.id, id, on).await? {
        return Err(AppError::Validation(FieldErrors::single(
            "ended_on",
            "tie-error-not-open",
        )));
    }
    audit(&mut tx, c, "network-tie-ended", net.slug(), &id.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn end_tie(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<EndForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    do_end(&s, &c, &net, id, &form).await?;
    Ok(redirect(&format!("/c/{slug}/network")))
}

// ---- exports -------------------------------------------------------------------------------------

pub(super) async fn export_body(
    s: &AppState,
    net: &Net,
    format: &str,
    q: &MapQuery,
) -> AppResult<(&'static str, String, Vec<u8>)> {
    let at = core::parse_date(&q.at).unwrap_or_else(|| today(&net.l.community));
    let kind = TieKind::parse(&q.kind).filter(|k| net.leader || !k.sensitive());
    let ties = filter_kind(
        store::ties_at(&s.db, net.l.community.id, at, &net.kinds()).await?,
        kind,
    );
    let members = store::member_actors(&s.db, net.l.community.id).await?;
    let (g, _, _) = graph(&ties, &members, true);
    let mut out = Vec::new();
    let io = |e: tejido_graph::GraphError| AppError::Internal(e.into());
    let (ctype, ext) = match format {
        "gexf" => {
            tejido_graph::io::gexf::write(&g, &mut out).map_err(io)?;
            ("application/gexf+xml", "gexf")
        }
        "graphml" => {
            tejido_graph::io::graphml::write(&g, &mut out).map_err(io)?;
            ("application/graphml+xml", "graphml")
        }
        "nodes.csv" => {
            out.extend_from_slice("\u{feff}".as_bytes());
            tejido_graph::io::csv::write_nodes_with(&g, &mut out, &tejido_core::reports::defuse)
                .map_err(io)?;
            ("text/csv; charset=utf-8", "nodes.csv")
        }
        "edges.csv" => {
            out.extend_from_slice("\u{feff}".as_bytes());
            tejido_graph::io::csv::write_edges_with(&g, &mut out, &tejido_core::reports::defuse)
                .map_err(io)?;
            ("text/csv; charset=utf-8", "edges.csv")
        }
        "json" => {
            tejido_graph::io::json::write(&g, &mut out).map_err(io)?;
            ("application/json", "json")
        }
        _ => return Err(AppError::NotFound),
    };
    Ok((ctype, format!("{}-{at}.{ext}", net.slug()), out))
}

pub(super) fn download(ctype: &'static str, name: &str, body: Vec<u8>) -> Response {
    let disp = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(ctype)),
            (header::CONTENT_DISPOSITION, disp),
        ],
        body,
    )
        .into_response()
}

pub(super) async fn export(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, format)): Path<(String, String)>,
    Query(q): Query<MapQuery>,
) -> AppResult<Response> {
    let net = load_member(&s, &c, &slug).await?;
    let (ctype, name, body) = export_body(&s, &net, &format, &q).await?;
    Ok(download(ctype, &name, body))
}

// ---- CSV import ----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub(super) struct ImportForm {
    pub(super) csv: String,
    /// "on"/"true": check only, write nothing.
    pub(super) dry_run: String,
}

#[derive(Debug, Default, serde::Serialize)]
pub(super) struct ImportOutcome {
    pub(super) dry_run: bool,
    pub(super) rows: usize,
    pub(super) imported: usize,
    pub(super) bad: Vec<core::BadRow>,
}

#[derive(Template)]
#[template(path = "network/import.html")]
pub(super) struct ImportPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) form: ImportForm,
    pub(super) outcome: Option<ImportOutcome>,
    pub(super) columns: String,
}

pub(super) async fn do_import(
    s: &AppState,
    c: &Ctx,
    net: &Net,
    form: &ImportForm,
) -> AppResult<ImportOutcome> {
    let dry_run = matches!(form.dry_run.trim(), "on" | "true" | "1" | "yes");
    let rows = match core::parse_csv(&form.csv, today(&net.l.community)) {
        Ok(rows) => rows,
        Err(bad) => {
            return Ok(ImportOutcome {
                dry_run,
                rows: 0,
                imported: 0,
                bad,
            })
        }
    };
    // Every organization named must exist; report the lines that name one that does not.
    let mut ids: Vec<i64> = rows.iter().flat_map(|t| [t.tie.from, t.tie.to]).collect();
    ids.sort_unstable();
    ids.dedup();
    let known: BTreeSet<i64> = store::actor_choices_among(&s.db, &ids)
        .await?
        .into_iter()
        .collect();
    let bad: Vec<core::BadRow> = rows
        .iter()
        .enumerate()
        .filter(|(_, t)| !known.contains(&t.tie.from) || !known.contains(&t.tie.to))
        .map(|(i, t)| core::BadRow {
            line: data_line(&form.csv, i),
            errors: FieldErrors::single(
                if known.contains(&t.tie.from) {
                    "to"
                } else {
                    "from"
                },
                "error-invalid-choice",
            ),
        })
        .collect();
    if !bad.is_empty() || dry_run {
        return Ok(ImportOutcome {
            dry_run,
            rows: rows.len(),
            imported: 0,
            bad,
        });
    }
    write_ties(
        s,
        c,
        net,
        &rows,
        TieSource::Import,
        None,
        "network-ties-imported",
    )
    .await?;
    Ok(ImportOutcome {
        dry_run,
        rows: rows.len(),
        imported: rows.len(),
        bad,
    })
}

/// The 1-based line number of the `i`-th data row (blank lines are skipped by the parser).
pub(super) fn data_line(text: &str, i: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .nth(i)
        .map_or(0, |(n, _)| n + 1)
}

pub(super) async fn import_form(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let net = load_leader(&s, &c, &slug).await?;
    Ok(html(&ImportPage {
        c,
        m: net.l.community,
        form: ImportForm {
            dry_run: "on".into(),
            ..ImportForm::default()
        },
        outcome: None,
        columns: core::CSV_COLUMNS.join(","),
    }))
}

pub(super) async fn import(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<ImportForm>,
) -> AppResult<Response> {
    let net = load_leader(&s, &c, &slug).await?;
    let outcome = do_import(&s, &c, &net, &form).await?;
    let bad = !outcome.bad.is_empty();
    let page = ImportPage {
        c,
        m: net.l.community,
        form,
        outcome: Some(outcome),
        columns: core::CSV_COLUMNS.join(","),
    };
    Ok(if bad {
        html_invalid(&page)
    } else {
        html(&page)
    })
}
