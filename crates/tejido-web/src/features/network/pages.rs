//! The network pages: handlers, their forms and templates.

use super::*;

/// Most organizations offered in a tie's pickers.
pub(super) const ACTOR_CHOICES: i64 = 1000;
/// Most ties drawn on one map; the rest (the weakest) are left out so the SVG stays small.
pub(super) const MAX_DRAWN: usize = 600;
/// Most rows in the per-organization table.
pub(super) const TABLE_ROWS: usize = 100;

// ---- the network and its figures ------------------------------------------------------------

/// Which centrality sizes the map's nodes.
pub(super) fn size_measure(s: &str) -> &'static str {
    match s {
        "betweenness" => "betweenness",
        "closeness" => "closeness",
        "pagerank" => "pagerank",
        _ => "degree",
    }
}

// ---- the map ------------------------------------------------------------------------------------

pub(super) const MAP_SIZE: f64 = 600.0;

/// Sector colors (Okabe–Ito, distinguishable by most color-blind readers).
pub(super) fn color(sector: &str) -> &'static str {
    match sector {
        "cso" => "#0072B2",
        "iso" => "#56B4E9",
        "government" => "#D55E00",
        "private-sector" => "#E69F00",
        "donor" => "#009E73",
        "academia" => "#CC79A7",
        "media" => "#F0E442",
        "expert" => "#999999",
        "international" => "#000000",
        _ => "#666666",
    }
}

pub(super) fn draw(c: &Ctx, net: &Network, by: &str, key: &'static str, caption: String) -> Map {
    // Ties come strongest first: the weakest beyond MAX_DRAWN are left out (and the weak ones
    // faded), and only members and the ends of drawn ties are placed, so the SVG stays small.
    let drawn: Vec<&Tie> = net.ties.iter().take(MAX_DRAWN).collect();
    let mut shown: BTreeSet<i64> = net.members.clone();
    for t in &drawn {
        shown.insert(t.from_org);
        shown.insert(t.to_org);
    }
    let placed: Vec<&NodeRow> = net
        .figures
        .nodes
        .iter()
        .filter(|n| shown.contains(&n.id))
        .collect();
    let layout_nodes: Vec<LayoutNode> = placed
        .iter()
        .map(|n| LayoutNode {
            id: format!("{:012}", n.id),
            group: n.sector.clone(),
        })
        .collect();
    let pos = circular_layout(&layout_nodes, MAP_SIZE, 40.0);
    let max = placed
        .iter()
        .map(|n| n.centrality(by))
        .fold(0.0f64, f64::max);
    let at: HashMap<i64, (f64, f64)> = placed
        .iter()
        .zip(pos.iter())
        .map(|(n, p)| (n.id, *p))
        .collect();
    let nodes = placed
        .iter()
        .zip(pos.iter())
        .map(|(n, p)| {
            let rel = if max > 0.0 {
                n.centrality(by) / max
            } else {
                0.0
            };
            MapNode {
                x: p.0,
                y: p.1,
                r: ((4.0 + 14.0 * rel) * 10.0).round() / 10.0,
                fill: color(&n.sector),
                member: n.member,
                title: format!("{} · {}", n.name, c.label("org-kind", &n.sector)),
            }
        })
        .collect();
    let mut edges = Vec::with_capacity(drawn.len());
    for t in drawn {
        if let (Some(a), Some(b)) = (at.get(&t.from_org), at.get(&t.to_org)) {
            edges.push(MapEdge {
                x1: a.0,
                y1: a.1,
                x2: b.0,
                y2: b.1,
                opacity: match t.strength {
                    3 => "0.9",
                    2 => "0.55",
                    _ => "0.25",
                },
                directed: t.directed,
            });
        }
    }
    Map {
        key,
        caption,
        size: MAP_SIZE as u32,
        nodes,
        edges,
        omitted: net.ties.len().saturating_sub(MAX_DRAWN),
    }
}

/// Kinds offered: all of them to enter a tie (a member may report funding they cannot see
/// afterwards), only the visible ones to filter the map.
pub(super) fn kind_options(c: &Ctx, leader: bool) -> Options {
    TieKind::visible(leader)
        .into_iter()
        .map(|k| (k.as_str().to_owned(), c.label("tie-kind", k.as_str())))
        .collect()
}

pub(super) fn actor_options(actors: &[Actor]) -> Options {
    actors
        .iter()
        .map(|a| (a.id.to_string(), a.name.clone()))
        .collect()
}

pub(super) fn size_options(c: &Ctx) -> Options {
    ["degree", "betweenness", "closeness", "pagerank"]
        .iter()
        .map(|m| ((*m).to_owned(), c.label("network-size-by", m)))
        .collect()
}

/// A figure line: label id, formatted value, explanation id.
pub(super) struct FigureLine {
    pub(super) label: String,
    pub(super) value: String,
    pub(super) explain: String,
}

pub(super) fn fmt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"))
}

pub(super) fn figure_lines(f: &Figures) -> Vec<FigureLine> {
    let l = |id: &str, value: String| FigureLine {
        label: format!("network-figure-{id}"),
        value,
        explain: core::explanation_id(id),
    };
    vec![
        l("size", f.size.to_string()),
        l("ties", f.ties.to_string()),
        l("density", fmt(f.density)),
        l("average-degree", format!("{:.2}", f.average_degree)),
        l("centralization", fmt(f.centralization)),
        l(
            "components",
            f.components.map_or("—".into(), |v| v.to_string()),
        ),
        l("isolates", f.isolates.to_string()),
        l("clustering", fmt(f.clustering)),
        l(
            "communities",
            f.communities.map_or("—".into(), |v| v.to_string()),
        ),
        l(
            "cross-sector",
            f.cross_sector_share
                .map_or("—".into(), |v| format!("{:.0} %", v * 100.0)),
        ),
        l("ei-index", fmt(f.ei_index)),
        l(
            "trust",
            f.trust.map_or("—".into(), |v| {
                format!("{v:.2} ({:.0} %)", v / 4.0 * 100.0)
            }),
        ),
        l(
            "value",
            f.value.map_or("—".into(), |v| {
                format!("{v:.2} ({:.0} %)", v / 4.0 * 100.0)
            }),
        ),
    ]
}

#[derive(Template)]
#[template(path = "network/show.html")]
pub(super) struct ShowPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) leader: bool,
    pub(super) at: String,
    pub(super) baseline: String,
    pub(super) kind: String,
    pub(super) size: String,
    pub(super) kinds: Options,
    pub(super) entry_kinds: Options,
    pub(super) sizes: Options,
    pub(super) actors: Options,
    pub(super) lines: Vec<FigureLine>,
    pub(super) top: Vec<NodeRow>,
    pub(super) brokerage: Vec<SectorRoles>,
    pub(super) maps: Vec<Map>,
    pub(super) sectors: Vec<(String, &'static str)>,
    pub(super) change: Option<ChangeView>,
    pub(super) ties: Vec<Tie>,
    /// Sensitive ties the viewer recorded and its map does not show.
    pub(super) own: Vec<Tie>,
    pub(super) form: TieForm,
    pub(super) errors: FieldErrors,
    pub(super) ratings: Vec<RatingField>,
    pub(super) ratings_open: bool,
    pub(super) levels: Options,
    pub(super) scores: Vec<ScoreRow>,
}

pub(super) async fn show_page(
    s: &AppState,
    c: Ctx,
    net: Net,
    q: MapQuery,
    form: TieForm,
    errors: FieldErrors,
) -> AppResult<ShowPage> {
    let now = today(&net.l.community);
    let at = core::parse_date(&q.at).unwrap_or(now);
    let kind = TieKind::parse(&q.kind).filter(|k| net.leader || !k.sensitive());
    let by = size_measure(&q.size);
    let current = network_at(s, &net, at, kind).await?;
    let mut maps = vec![];
    let baseline = core::parse_date(&q.baseline);
    let mut change = None;
    if let Some(b) = baseline {
        let before = network_at(s, &net, b, kind).await?;
        change = Some(change_between(&before, &current, b));
        maps.push(draw(&c, &before, by, "base", b.to_string()));
    }
    maps.push(draw(&c, &current, by, "now", at.to_string()));
    let mut top = current.figures.nodes.clone();
    top.sort_by(|a, b| {
        b.centrality(by)
            .total_cmp(&a.centrality(by))
            .then(a.name.cmp(&b.name))
    });
    top.truncate(TABLE_ROWS);
    let sectors: BTreeSet<String> = current.actors.iter().map(|a| a.kind.clone()).collect();
    let actors = store::actor_choices(&s.db, ACTOR_CHOICES).await?;
    let kinds = kind_options(&c, net.leader);
    let sizes = size_options(&c);
    let mut ties = current.ties.clone();
    ties.truncate(TABLE_ROWS);
    let own = match net.user {
        Some(u) if !net.leader => {
            store::open_ties_recorded_by(&s.db, net.l.community.id, u, &net.hidden_kinds()).await?
        }
        _ => vec![],
    };
    let ratings = rating_fields(&form, "");
    let mut scores = current.figures.actor_scores.clone();
    scores.truncate(TABLE_ROWS);
    Ok(ShowPage {
        ratings_open: ratings_open(&ratings, &errors),
        ratings,
        levels: rating_levels(&c),
        scores,
        lines: figure_lines(&current.figures),
        brokerage: current.figures.brokerage_by_sector.clone(),
        top,
        maps,
        sectors: sectors
            .into_iter()
            .map(|s| {
                let col = color(&s);
                (s, col)
            })
            .collect(),
        change,
        ties,
        own,
        actors: actor_options(&actors),
        kinds,
        entry_kinds: kind_options(&c, true),
        sizes,
        at: at.to_string(),
        baseline: baseline.map(|b| b.to_string()).unwrap_or_default(),
        kind: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        size: by.to_owned(),
        leader: net.leader,
        m: net.l.community,
        c,
        form,
        errors,
    })
}

pub(super) async fn show(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<MapQuery>,
) -> AppResult<Response> {
    let net = load_member(&s, &c, &slug).await?;
    Ok(html(
        &show_page(&s, c, net, q, TieForm::default(), FieldErrors::new()).await?,
    ))
}

/// One PARTNER sub-rating select: its field name, label id and value.
pub(super) struct RatingField {
    pub(super) name: String,
    pub(super) label: String,
    pub(super) value: String,
}

/// The six sub-rating fields of a form; `suffix` is "" (tie form) or "-3" (survey row 3).
pub(super) fn rating_fields(f: &TieForm, suffix: &str) -> Vec<RatingField> {
    SUB_RATINGS
        .iter()
        .map(|n| RatingField {
            name: format!("{n}{suffix}"),
            label: format!("tie-rating-{n}"),
            value: sub_value(f, n).to_owned(),
        })
        .collect()
}

pub(super) fn ratings_open(fields: &[RatingField], errors: &FieldErrors) -> bool {
    fields
        .iter()
        .any(|r| !r.value.is_empty() || errors.get(&r.name).is_some())
}

/// The 1–4 scale of the sub-ratings (Nada · Poco · Bastante · Mucho).
pub(super) fn rating_levels(c: &Ctx) -> Options {
    (1..=4)
        .map(|i| (i.to_string(), c.t(&format!("tie-rating-level-{i}"))))
        .collect()
}
