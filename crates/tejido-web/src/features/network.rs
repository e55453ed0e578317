//! The Local System map (*mapa de actores*): pages under `/c/{slug}/network…`, JSON under
//! `/api/v1/communities/{slug}/network…`.
//!
//! Who may do what: the community's members (and admins) see the map, its figures and the
//! exports and enter ties; sensitive tie kinds (funding) are seen only by those who manage the
//! community and admins — in pages, the API and every export alike. Managers end ties (ties are
//! never deleted), open and close survey rounds and import ties from CSV. A survey round is
//! answered by a community member on behalf of their organization when that organization is a
//! current member; its answers become ties with the round as their source.
//!
//! The network at a date is the community's ties active that day among its actors (member
//! organizations plus the organizations they are tied to), analysed with `tejido-graph` as an
//! undirected, unweighted graph (mixed kinds: direction is kept in the data and the exports'
//! attributes, not in the measures), with sectors as groups for brokerage and the E-I index.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::network::{
    self as core, circular_layout, ActorScore, LayoutNode, NetworkScores, RatedTie, Rating,
    RoundForm, TieForm, TieKey, TieKind, TieSource, SUB_RATINGS,
};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::network::{self as store, Actor, Round, Tie};
use tejido_graph::{GraphBuilder, Report};

use crate::access::{load, refuse, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::routes::{self as route, Level, Route};
use crate::time::today;
use crate::views::Options;
use crate::views::{html, html_invalid, redirect};
use crate::{AppError, AppState, Ctx};

/// Most organizations offered in a tie's pickers.
const ACTOR_CHOICES: i64 = 1000;
/// Most ties drawn on one map; the rest (the weakest) are left out so the SVG stays small.
const MAX_DRAWN: usize = 600;
/// Most rows in the per-organization table.
const TABLE_ROWS: usize = 100;
/// Rows of the survey answer form.
const ANSWER_ROWS: usize = 8;
/// Rounds listed.
const ROUNDS_LIMIT: i64 = 100;
/// The fixed Louvain seed, so the same network always gets the same communities.
const SEED: u64 = 42;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/network", Level::Member, show),
        route::post("/c/{slug}/network/ties", Level::Member, add_tie),
        route::post(
            "/c/{slug}/network/ties/{id}/end",
            Level::RoleHolder,
            end_tie,
        ),
        route::get("/c/{slug}/network/export/{format}", Level::Member, export),
        route::get("/c/{slug}/network/surveys", Level::Member, rounds_page),
        route::post("/c/{slug}/network/surveys", Level::Manager, open_round),
        route::get("/c/{slug}/network/surveys/{id}", Level::Member, round_page),
        route::post(
            "/c/{slug}/network/surveys/{id}",
            Level::Member,
            answer_round,
        ),
        route::post(
            "/c/{slug}/network/surveys/{id}/close",
            Level::Manager,
            close_round,
        ),
        route::get("/c/{slug}/network/import", Level::Manager, import_form),
        route::post("/c/{slug}/network/import", Level::Manager, import),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/network", Level::Member, api_network),
        route::post(
            "/communities/{slug}/network/ties",
            Level::Member,
            api_add_tie,
        ),
        route::post(
            "/communities/{slug}/network/ties/{id}/end",
            Level::RoleHolder,
            api_end_tie,
        ),
        route::get(
            "/communities/{slug}/network/export/{format}",
            Level::Member,
            api_export,
        ),
        route::get(
            "/communities/{slug}/network/surveys",
            Level::Member,
            api_rounds,
        ),
        route::post(
            "/communities/{slug}/network/surveys",
            Level::Manager,
            api_open_round,
        ),
        route::get(
            "/communities/{slug}/network/surveys/{id}",
            Level::Member,
            api_round,
        ),
        route::post(
            "/communities/{slug}/network/surveys/{id}",
            Level::Member,
            api_answer_round,
        ),
        route::post(
            "/communities/{slug}/network/import",
            Level::Manager,
            api_import,
        ),
    ]
}

// ---- authorization ---------------------------------------------------------------------------

/// A community loaded for the map, with what the viewer may do.
struct Net {
    l: Loaded,
    /// Sees sensitive kinds, ends ties, runs surveys and imports: managers and admins.
    leader: bool,
    person: Option<i64>,
    /// The viewer's account: a member sees and ends the sensitive ties it recorded itself.
    user: Option<i64>,
}

impl Net {
    fn kinds(&self) -> Vec<&'static str> {
        TieKind::visible(self.leader)
            .into_iter()
            .map(TieKind::as_str)
            .collect()
    }
    fn slug(&self) -> &str {
        &self.l.community.slug
    }
    /// The sensitive kinds hidden from this viewer's map (none for managers).
    fn hidden_kinds(&self) -> Vec<&'static str> {
        TieKind::ALL
            .iter()
            .filter(|k| !self.leader && k.sensitive())
            .map(|k| k.as_str())
            .collect()
    }
}

/// Members (any current member of the community), managers and admins.
async fn load_member(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Net> {
    let l = load(s, c, slug).await?;
    let leader = c.is_admin() || l.access.manage;
    let person = c.user.as_ref().and_then(|u| u.person_id);
    let member = leader || l.member;
    if !member {
        return Err(refuse(c));
    }
    Ok(Net {
        l,
        leader,
        person,
        user: c.user_id(),
    })
}

async fn load_leader(s: &AppState, c: &Ctx, slug: &str) -> AppResult<Net> {
    c.require_user()?;
    let n = load_member(s, c, slug).await?;
    if n.leader {
        Ok(n)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn audit(
    tx: &mut tejido_db::Tx,
    c: &Ctx,
    action: &str,
    slug: &str,
    detail: &str,
) -> AppResult<()> {
    tejido_db::audit::record(tx, c.user_id(), action, Some(slug), Some(detail)).await?;
    Ok(())
}

// ---- the network and its figures ------------------------------------------------------------

/// Which centrality sizes the map's nodes.
fn size_measure(s: &str) -> &'static str {
    match s {
        "betweenness" => "betweenness",
        "closeness" => "closeness",
        "pagerank" => "pagerank",
        _ => "degree",
    }
}

/// An organization of the analysed network with its figures.
#[derive(Debug, Clone, serde::Serialize)]
struct NodeRow {
    id: i64,
    name: String,
    sector: String,
    member: bool,
    degree: usize,
    degree_centrality: f64,
    betweenness: f64,
    closeness: f64,
    pagerank: Option<f64>,
    clustering: f64,
    community: Option<u32>,
    brokerage: u64,
}

impl NodeRow {
    fn centrality(&self, by: &str) -> f64 {
        match by {
            "betweenness" => self.betweenness,
            "closeness" => self.closeness,
            "pagerank" => self.pagerank.unwrap_or(0.0),
            _ => self.degree_centrality,
        }
    }
}

/// An organization's incoming PARTNER scores with its name.
#[derive(Debug, Clone, serde::Serialize)]
struct ScoreRow {
    id: i64,
    name: String,
    sector: String,
    member: bool,
    trust: Option<f64>,
    value: Option<f64>,
    raters: usize,
}

/// The ratings the ties carry: the organization the tie starts from rates the other.
fn ratings(ties: &[Tie]) -> Vec<Rating> {
    ties.iter()
        .map(|t| Rating {
            from: t.from_org,
            to: t.to_org,
            trust: t.trust_score(),
            value: t.value_score(),
        })
        .collect()
}

/// Brokerage roles summed over the organizations of one sector.
#[derive(Debug, Clone, Default, serde::Serialize)]
struct SectorRoles {
    sector: String,
    coordinator: u64,
    itinerant: u64,
    gatekeeper: u64,
    representative: u64,
    liaison: u64,
}

/// The figures of one network.
#[derive(Debug, Clone, serde::Serialize)]
struct Figures {
    size: usize,
    ties: usize,
    density: Option<f64>,
    average_degree: f64,
    centralization: Option<f64>,
    components: Option<usize>,
    isolates: usize,
    clustering: Option<f64>,
    transitivity: Option<f64>,
    communities: Option<usize>,
    modularity: Option<f64>,
    cross_sector_share: Option<f64>,
    ei_index: Option<f64>,
    /// Mean PARTNER trust and value over the ties that carry them (exact means of sub-ratings
    /// where given).
    trust: Option<f64>,
    value: Option<f64>,
    /// The same as percentages of the maximum, and how many ties carry a rating.
    partner: NetworkScores,
    /// Each rated organization's incoming trust and value (most raters first).
    actor_scores: Vec<ScoreRow>,
    brokerage_by_sector: Vec<SectorRoles>,
    nodes: Vec<NodeRow>,
}

/// The analysed network: the ties, the actors and the figures.
struct Network {
    ties: Vec<Tie>,
    actors: Vec<Actor>,
    members: BTreeSet<i64>,
    figures: Figures,
}

/// Builds the graph of `ties` among `members` plus the organizations the ties name (the node id
/// is the organization id; attributes `label`, `sector`, `member`).
fn graph(
    ties: &[Tie],
    member_actors: &[Actor],
    with_edge_attrs: bool,
) -> (tejido_graph::Graph, Vec<Actor>, BTreeSet<i64>) {
    let members: BTreeSet<i64> = member_actors.iter().map(|a| a.id).collect();
    let mut actors: BTreeMap<i64, Actor> =
        member_actors.iter().map(|a| (a.id, a.clone())).collect();
    for t in ties {
        actors.entry(t.from_org).or_insert_with(|| Actor {
            id: t.from_org,
            name: t.from_name.clone(),
            kind: t.from_kind.clone(),
        });
        actors.entry(t.to_org).or_insert_with(|| Actor {
            id: t.to_org,
            name: t.to_name.clone(),
            kind: t.to_kind.clone(),
        });
    }
    let mut b = GraphBuilder::new(false);
    b.reserve(actors.len(), ties.len());
    for a in actors.values() {
        let mut attrs = tejido_graph::Attributes::new();
        attrs.insert("label".into(), a.name.clone());
        attrs.insert("sector".into(), a.kind.clone());
        attrs.insert("member".into(), members.contains(&a.id).to_string());
        b.add_node_with(&a.id.to_string(), attrs);
    }
    for t in ties {
        if with_edge_attrs {
            let mut attrs = tejido_graph::Attributes::new();
            attrs.insert("kind".into(), t.kind.clone());
            attrs.insert("strength".into(), t.strength.to_string());
            attrs.insert("directed".into(), t.directed.to_string());
            attrs.insert("started_on".into(), t.started_on.to_string());
            b.add_edge_with(&t.from_org.to_string(), &t.to_org.to_string(), None, attrs);
        } else {
            b.add_edge(&t.from_org.to_string(), &t.to_org.to_string(), None);
        }
    }
    (b.build(), actors.into_values().collect(), members)
}

fn analysis_options() -> tejido_graph::Options {
    tejido_graph::Options {
        group_attribute: Some("sector".into()),
        seed: SEED,
        ..tejido_graph::Options::default()
    }
}

fn figures(
    g: &tejido_graph::Graph,
    r: &Report,
    actors: &[Actor],
    members: &BTreeSet<i64>,
    ties: &[Tie],
) -> Figures {
    let sector: HashMap<i64, &str> = actors.iter().map(|a| (a.id, a.kind.as_str())).collect();
    let name: HashMap<i64, &str> = actors.iter().map(|a| (a.id, a.name.as_str())).collect();
    let n = g.node_count();
    let m = g.edge_count();
    let mut nodes = Vec::with_capacity(n);
    let mut by_sector: BTreeMap<String, SectorRoles> = BTreeMap::new();
    for nr in r.nodes.iter() {
        let id: i64 = nr.id.parse().unwrap_or(0);
        let sec = sector.get(&id).copied().unwrap_or("").to_owned();
        let roles = nr.brokerage.unwrap_or_default();
        let e = by_sector.entry(sec.clone()).or_insert_with(|| SectorRoles {
            sector: sec.clone(),
            ..SectorRoles::default()
        });
        e.coordinator += roles.coordinator;
        e.itinerant += roles.itinerant;
        e.gatekeeper += roles.gatekeeper;
        e.representative += roles.representative;
        e.liaison += roles.liaison;
        nodes.push(NodeRow {
            id,
            name: name.get(&id).copied().unwrap_or("").to_owned(),
            sector: sec,
            member: members.contains(&id),
            degree: nr.degree.unwrap_or(0),
            degree_centrality: nr.degree_centrality.unwrap_or(0.0),
            betweenness: nr.betweenness.unwrap_or(0.0),
            closeness: nr.closeness.unwrap_or(0.0),
            pagerank: nr.pagerank,
            clustering: nr.clustering.unwrap_or(0.0),
            community: nr.community,
            brokerage: roles.total,
        });
    }
    let rs = ratings(ties);
    let partner = core::network_scores(&rs);
    let cross = g
        .edges()
        .iter()
        .filter(|(u, v, _)| g.node_attr(*u, "sector") != g.node_attr(*v, "sector"))
        .count();
    Figures {
        size: n,
        ties: m,
        density: r.graph.density,
        average_degree: if n > 0 {
            2.0 * m as f64 / n as f64
        } else {
            0.0
        },
        centralization: r.graph.degree_centralization,
        components: r.graph.components,
        isolates: r.graph.isolates.as_ref().map_or(0, Vec::len),
        clustering: r.graph.average_clustering,
        transitivity: r.graph.transitivity,
        communities: r.graph.communities,
        modularity: r.graph.modularity,
        cross_sector_share: (m > 0).then(|| cross as f64 / m as f64),
        ei_index: r.graph.ei_index.flatten(),
        trust: partner.trust,
        value: partner.value,
        partner,
        actor_scores: core::actor_scores(&rs)
            .into_iter()
            .map(|a: ActorScore| ScoreRow {
                name: name.get(&a.id).copied().unwrap_or("").to_owned(),
                sector: sector.get(&a.id).copied().unwrap_or("").to_owned(),
                member: members.contains(&a.id),
                id: a.id,
                trust: a.trust,
                value: a.value,
                raters: a.raters,
            })
            .collect(),
        brokerage_by_sector: by_sector.into_values().collect(),
        nodes,
    }
}

fn analyse(ties: Vec<Tie>, member_actors: &[Actor]) -> AppResult<Network> {
    let (g, actors, members) = graph(&ties, member_actors, false);
    let r =
        tejido_graph::analyze(&g, &analysis_options()).map_err(|e| AppError::Internal(e.into()))?;
    let figures = figures(&g, &r, &actors, &members, &ties);
    Ok(Network {
        ties,
        actors,
        members,
        figures,
    })
}

/// Ties of one kind only, when a kind filter is given.
fn filter_kind(ties: Vec<Tie>, kind: Option<TieKind>) -> Vec<Tie> {
    match kind {
        Some(k) => ties.into_iter().filter(|t| t.kind == k.as_str()).collect(),
        None => ties,
    }
}

async fn network_at(
    s: &AppState,
    net: &Net,
    at: NaiveDate,
    kind: Option<TieKind>,
) -> AppResult<Network> {
    let ties = store::ties_at(&s.db, net.l.community.id, at, &net.kinds()).await?;
    let members = store::member_actors(&s.db, net.l.community.id).await?;
    analyse(filter_kind(ties, kind), &members)
}

async fn network_of_round(s: &AppState, net: &Net, round: i64) -> AppResult<Network> {
    let ties = store::ties_of_round(&s.db, round, &net.kinds()).await?;
    let members = store::member_actors(&s.db, net.l.community.id).await?;
    analyse(ties, &members)
}

/// The change between a baseline network and the current one.
#[derive(Debug, Clone, serde::Serialize)]
struct ChangeView {
    baseline: NaiveDate,
    added: usize,
    ended: usize,
    new_cross_sector: usize,
    /// (name, rise in degree centrality), greatest first.
    risers: Vec<(String, f64)>,
}

fn change_between(before: &Network, after: &Network, baseline: NaiveDate) -> ChangeView {
    let key = |t: &Tie| TieKey {
        id: t.id,
        from: t.from_org,
        to: t.to_org,
    };
    let b: Vec<TieKey> = before.ties.iter().map(key).collect();
    let a: Vec<TieKey> = after.ties.iter().map(key).collect();
    let mut sector: HashMap<i64, String> = HashMap::new();
    for x in before.actors.iter().chain(after.actors.iter()) {
        sector.insert(x.id, x.kind.clone());
    }
    let cb: HashMap<i64, f64> = before
        .figures
        .nodes
        .iter()
        .map(|n| (n.id, n.degree_centrality))
        .collect();
    let ca: HashMap<i64, f64> = after
        .figures
        .nodes
        .iter()
        .map(|n| (n.id, n.degree_centrality))
        .collect();
    let c = core::change(&b, &a, &sector, &cb, &ca, &after.members, 5);
    let names: HashMap<i64, &str> = after
        .actors
        .iter()
        .map(|x| (x.id, x.name.as_str()))
        .collect();
    ChangeView {
        baseline,
        added: c.added.len(),
        ended: c.ended.len(),
        new_cross_sector: c.new_cross_sector.len(),
        risers: c
            .risers
            .iter()
            .map(|(id, d)| (names.get(id).copied().unwrap_or("").to_owned(), *d))
            .collect(),
    }
}

// ---- the map ------------------------------------------------------------------------------------

const MAP_SIZE: f64 = 600.0;

/// Sector colors (Okabe–Ito, distinguishable by most color-blind readers).
fn color(sector: &str) -> &'static str {
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

struct MapNode {
    x: f64,
    y: f64,
    r: f64,
    fill: &'static str,
    member: bool,
    title: String,
}

struct MapEdge {
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
    opacity: &'static str,
    directed: bool,
}

struct Map {
    /// Unique within the page (ids of the SVG's title and arrow marker).
    key: &'static str,
    caption: String,
    size: u32,
    nodes: Vec<MapNode>,
    edges: Vec<MapEdge>,
    /// Ties left out to keep the drawing small.
    omitted: usize,
}

fn draw(c: &Ctx, net: &Network, by: &str, key: &'static str, caption: String) -> Map {
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

// ---- pages ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MapQuery {
    at: String,
    baseline: String,
    kind: String,
    size: String,
}

/// Kinds offered: all of them to enter a tie (a member may report funding they cannot see
/// afterwards), only the visible ones to filter the map.
fn kind_options(c: &Ctx, leader: bool) -> Options {
    TieKind::visible(leader)
        .into_iter()
        .map(|k| (k.as_str().to_owned(), c.label("tie-kind", k.as_str())))
        .collect()
}

fn actor_options(actors: &[Actor]) -> Options {
    actors
        .iter()
        .map(|a| (a.id.to_string(), a.name.clone()))
        .collect()
}

fn size_options(c: &Ctx) -> Options {
    ["degree", "betweenness", "closeness", "pagerank"]
        .iter()
        .map(|m| ((*m).to_owned(), c.label("network-size-by", m)))
        .collect()
}

/// A figure line: label id, formatted value, explanation id.
struct FigureLine {
    label: String,
    value: String,
    explain: String,
}

fn fmt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"))
}

fn figure_lines(f: &Figures) -> Vec<FigureLine> {
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
struct ShowPage {
    c: Ctx,
    m: Community,
    leader: bool,
    at: String,
    baseline: String,
    kind: String,
    size: String,
    kinds: Options,
    entry_kinds: Options,
    sizes: Options,
    actors: Options,
    lines: Vec<FigureLine>,
    top: Vec<NodeRow>,
    brokerage: Vec<SectorRoles>,
    maps: Vec<Map>,
    sectors: Vec<(String, &'static str)>,
    change: Option<ChangeView>,
    ties: Vec<Tie>,
    /// Sensitive ties the viewer recorded and its map does not show.
    own: Vec<Tie>,
    form: TieForm,
    errors: FieldErrors,
    ratings: Vec<RatingField>,
    ratings_open: bool,
    levels: Options,
    scores: Vec<ScoreRow>,
}

async fn show_page(
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

async fn show(
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

/// Parses a tie and checks its organizations exist and one of them is a member.
async fn parse_tie(
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

async fn write_ties(
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

async fn add_tie(
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
struct EndForm {
    ended_on: String,
}

async fn do_end(s: &AppState, c: &Ctx, net: &Net, id: i64, form: &EndForm) -> AppResult<()> {
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

async fn end_tie(
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

async fn export_body(
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

fn download(ctype: &'static str, name: &str, body: Vec<u8>) -> Response {
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

async fn export(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, format)): Path<(String, String)>,
    Query(q): Query<MapQuery>,
) -> AppResult<Response> {
    let net = load_member(&s, &c, &slug).await?;
    let (ctype, name, body) = export_body(&s, &net, &format, &q).await?;
    Ok(download(ctype, &name, body))
}

// ---- survey rounds -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "network/rounds.html")]
struct RoundsPage {
    c: Ctx,
    m: Community,
    leader: bool,
    rounds: Vec<Round>,
    form: RoundForm,
    errors: FieldErrors,
}

async fn rounds_page(
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

async fn write_round(s: &AppState, c: &Ctx, net: &Net, title: &str) -> AppResult<i64> {
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

async fn open_round(
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

async fn close_round(
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
async fn answering_org(s: &AppState, net: &Net) -> AppResult<Option<i64>> {
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
struct RoundQuery {
    compare: String,
}

/// One row of the answer form: its number and its field names.
struct AnswerRow {
    n: String,
    to: String,
    kind: String,
    strength: String,
    trust: String,
    value: String,
    ratings: Vec<RatingField>,
    /// The sub-ratings are shown open (some given, or an error on them).
    ratings_open: bool,
    form: TieForm,
}

/// One PARTNER sub-rating select: its field name, label id and value.
struct RatingField {
    name: String,
    label: String,
    value: String,
}

fn sub_value<'a>(f: &'a TieForm, name: &str) -> &'a str {
    match name {
        "reliability" => &f.reliability,
        "mission" => &f.mission,
        "openness" => &f.openness,
        "power" => &f.power,
        "resources" => &f.resources,
        _ => &f.involvement,
    }
}

/// The six sub-rating fields of a form; `suffix` is "" (tie form) or "-3" (survey row 3).
fn rating_fields(f: &TieForm, suffix: &str) -> Vec<RatingField> {
    SUB_RATINGS
        .iter()
        .map(|n| RatingField {
            name: format!("{n}{suffix}"),
            label: format!("tie-rating-{n}"),
            value: sub_value(f, n).to_owned(),
        })
        .collect()
}

fn ratings_open(fields: &[RatingField], errors: &FieldErrors) -> bool {
    fields
        .iter()
        .any(|r| !r.value.is_empty() || errors.get(&r.name).is_some())
}

/// The 1–4 scale of the sub-ratings (Nada · Poco · Bastante · Mucho).
fn rating_levels(c: &Ctx) -> Options {
    (1..=4)
        .map(|i| (i.to_string(), c.t(&format!("tie-rating-level-{i}"))))
        .collect()
}

#[derive(Template)]
#[template(path = "network/round.html")]
struct RoundPage {
    c: Ctx,
    m: Community,
    leader: bool,
    round: Round,
    /// Organization the viewer answers for, when they may still answer.
    answer_for: Option<String>,
    rows: Vec<AnswerRow>,
    kinds: Options,
    actors: Options,
    errors: FieldErrors,
    lines: Vec<FigureLine>,
    compare: Option<(Round, Vec<FigureLine>)>,
    others: Options,
    answers: Vec<Tie>,
    levels: Options,
}

async fn round_view(
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

async fn round_page(
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
async fn parse_answers(
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

async fn write_answers(
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
async fn may_answer(s: &AppState, net: &Net, id: i64) -> AppResult<(Round, i64)> {
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
fn rows_from(fields: &[(String, String)]) -> Vec<TieForm> {
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

async fn answer_round(
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

// ---- CSV import ----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
struct ImportForm {
    csv: String,
    /// "on"/"true": check only, write nothing.
    dry_run: String,
}

#[derive(Debug, Default, serde::Serialize)]
struct ImportOutcome {
    dry_run: bool,
    rows: usize,
    imported: usize,
    bad: Vec<core::BadRow>,
}

#[derive(Template)]
#[template(path = "network/import.html")]
struct ImportPage {
    c: Ctx,
    m: Community,
    form: ImportForm,
    outcome: Option<ImportOutcome>,
    columns: String,
}

async fn do_import(
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
fn data_line(text: &str, i: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .nth(i)
        .map_or(0, |(n, _)| n + 1)
}

async fn import_form(
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

async fn import(
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

// ---- JSON API ------------------------------------------------------------------------------------

async fn api_network(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<MapQuery>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    let at = core::parse_date(&q.at).unwrap_or_else(|| today(&net.l.community));
    let kind = TieKind::parse(&q.kind).filter(|k| net.leader || !k.sensitive());
    let current = network_at(&s, &net, at, kind).await?;
    let change = match core::parse_date(&q.baseline) {
        Some(b) => {
            let before = network_at(&s, &net, b, kind).await?;
            Some(change_between(&before, &current, b))
        }
        None => None,
    };
    let explanations: serde_json::Map<String, Value> = core::FIGURES
        .iter()
        .map(|f| {
            (
                (*f).to_owned(),
                Value::String(c.tr().t(&core::explanation_id(f))),
            )
        })
        .collect();
    Ok(Json(json!({
        "at": at, "kind": kind, "can_manage": net.leader,
        "figures": current.figures, "ties": current.ties, "change": change,
        "explanations": explanations,
    })))
}

async fn api_add_tie(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<TieForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    let input = parse_tie(&s, &net, &form)
        .await?
        .map_err(AppError::Validation)?;
    let ids = write_ties(
        &s,
        &c,
        &net,
        &[input],
        TieSource::Member,
        None,
        "network-tie-added",
    )
    .await?;
    let id = ids.first().copied().ok_or(AppError::NotFound)?;
    // The caller recorded it, so it sees it even when its kind is hidden from its map.
    let t = store::tie(&s.db, net.l.community.id, id, &net.kinds(), net.user)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(json!(t))).into_response())
}

async fn api_end_tie(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<EndForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    do_end(&s, &c, &net, id, &form).await?;
    Ok(Json(json!(
        store::tie(&s.db, net.l.community.id, id, &net.kinds(), net.user).await?
    )))
}

async fn api_export(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, format)): Path<(String, String)>,
    Query(q): Query<MapQuery>,
) -> AppResult<Response> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    let (ctype, name, body) = export_body(&s, &net, &format, &q).await?;
    Ok(download(ctype, &name, body))
}

async fn api_rounds(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    Ok(Json(
        json!({ "items": store::rounds(&s.db, net.l.community.id, ROUNDS_LIMIT).await? }),
    ))
}

async fn api_open_round(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<RoundForm>,
) -> AppResult<Response> {
    let net = load_leader(&s, &c, &slug).await?;
    let title = form.parse().map_err(AppError::Validation)?;
    let id = write_round(&s, &c, &net, &title).await?;
    let r = store::round(&s.db, net.l.community.id, id).await?;
    Ok((StatusCode::CREATED, Json(json!(r))).into_response())
}

async fn api_round(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    let round = store::round(&s.db, net.l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let n = network_of_round(&s, &net, id).await?;
    let answers = if net.leader { Some(&n.ties) } else { None };
    Ok(Json(
        json!({ "round": round, "figures": n.figures, "answers": answers }),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AnswersForm {
    answers: Vec<TieForm>,
}

async fn api_answer_round(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(form): ApiJson<AnswersForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let net = load_member(&s, &c, &slug).await?;
    let (round, org) = may_answer(&s, &net, id).await?;
    if form.answers.len() > store::MAX_TIES as usize {
        return Err(AppError::Validation(FieldErrors::single(
            "answers",
            "error-too-long",
        )));
    }
    let ties = parse_answers(&s, &net, org, &form.answers)
        .await?
        .map_err(AppError::Validation)?;
    write_answers(&s, &c, &net, &round, org, &ties).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "round": id, "organization": org, "ties": ties.len() })),
    )
        .into_response())
}

async fn api_import(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ImportForm>,
) -> AppResult<Response> {
    let net = load_leader(&s, &c, &slug).await?;
    let outcome = do_import(&s, &c, &net, &form).await?;
    let status = if outcome.bad.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(json!(outcome))).into_response())
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let created = |schema: Value| json!({ "description": "Created", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let str_q = |name: &str, d: &str| json!({ "name": name, "in": "query", "schema": { "type": "string" }, "description": d });
    let kinds: Vec<&str> = TieKind::ALL.iter().map(|k| k.as_str()).collect();
    let tie = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "from_org": { "type": "integer" }, "from_name": { "type": "string" }, "from_kind": { "type": "string" },
        "to_org": { "type": "integer" }, "to_name": { "type": "string" }, "to_kind": { "type": "string" },
        "kind": { "type": "string", "enum": kinds }, "directed": { "type": "boolean" }, "strength": { "type": "integer", "minimum": 1, "maximum": 3 },
        "trust": { "type": "integer", "nullable": true }, "value": { "type": "integer", "nullable": true },
        "started_on": { "type": "string", "format": "date" }, "ended_on": { "type": "string", "format": "date", "nullable": true },
        "source": { "type": "string" }, "round_id": { "type": "integer", "nullable": true }, "via_community": { "type": "boolean" } } });
    let tie_form = json!({ "type": "object", "required": ["from", "to", "kind", "strength"], "properties": {
        "from": { "type": "string", "description": "Organization id" }, "to": { "type": "string", "description": "Organization id" },
        "kind": { "type": "string", "enum": kinds, "description": "funding is sensitive: managers only" },
        "strength": { "type": "string", "description": "1–3" }, "trust": { "type": "string", "description": "1–4" }, "value": { "type": "string", "description": "1–4" },
        "started_on": { "type": "string", "description": "YYYY-MM-DD, default today" }, "ended_on": { "type": "string" }, "via_community": { "type": "string", "description": "true when formed through the community" } } });
    let round = json!({ "type": "object", "properties": { "id": { "type": "integer" }, "title": { "type": "string" },
        "opened_on": { "type": "string", "format": "date" }, "closed_at": { "type": "string", "nullable": true }, "answers": { "type": "integer" } } });
    let fig = json!({ "type": "object", "description": "size, ties, density, average_degree, centralization, components, isolates, clustering, communities, modularity, cross_sector_share, ei_index, trust, value, brokerage_by_sector, nodes" });
    let file = json!({ "description": "The file", "content": { "application/octet-stream": { "schema": { "type": "string" } } } });
    let import_out = json!({ "type": "object", "properties": { "dry_run": { "type": "boolean" }, "rows": { "type": "integer" }, "imported": { "type": "integer" },
        "bad": { "type": "array", "items": { "type": "object", "properties": { "line": { "type": "integer" }, "errors": { "type": "array" } } } } } });
    let v = json!({
        "/communities/{slug}/network": {
            "parameters": [slug, str_q("at", "Date YYYY-MM-DD (default today)"), str_q("baseline", "Baseline date for the change"), str_q("kind", "Only ties of this kind")],
            "get": { "summary": "The community's network at a date: figures (computed with tejido-graph), ties, change against a baseline, plain-language explanations (members; sensitive kinds for managers only)",
                "responses": { "200": ok(json!({ "type": "object", "properties": { "figures": fig, "ties": { "type": "array", "items": tie }, "change": { "type": "object", "nullable": true }, "explanations": { "type": "object" } } })), "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/network/ties": {
            "parameters": [slug],
            "post": { "summary": "Enter a tie (members; one end must be a member organization)", "requestBody": body(tie_form.clone()),
                "responses": { "201": created(tie.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/network/ties/{id}/end": {
            "parameters": [slug, id],
            "post": { "summary": "End a tie (managers); ties are never deleted", "requestBody": body(json!({ "type": "object", "properties": { "ended_on": { "type": "string", "description": "YYYY-MM-DD, default today" } } })),
                "responses": { "200": ok(tie), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/network/export/{format}": {
            "parameters": [slug, json!({ "name": "format", "in": "path", "required": true, "schema": { "type": "string", "enum": ["gexf", "graphml", "nodes.csv", "edges.csv", "json"] } }), str_q("at", "Date YYYY-MM-DD"), str_q("kind", "Only ties of this kind")],
            "get": { "summary": "The network at a date as GEXF, GraphML, CSV node or edge list, or node-link JSON (members)", "responses": { "200": file, "401": err, "403": err, "404": err } }
        },
        "/communities/{slug}/network/surveys": {
            "parameters": [slug],
            "get": { "summary": "Relationship survey rounds, newest first (members)", "responses": { "200": ok(json!({ "type": "object", "properties": { "items": { "type": "array", "items": round } } })), "401": err, "403": err, "404": err } },
            "post": { "summary": "Open a survey round (managers)", "requestBody": body(json!({ "type": "object", "required": ["title"], "properties": { "title": { "type": "string" } } })),
                "responses": { "201": created(round.clone()), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/network/surveys/{id}": {
            "parameters": [slug, id],
            "get": { "summary": "A round with the figures of its answers; the answers themselves for managers", "responses": { "200": ok(json!({ "type": "object" })), "401": err, "403": err, "404": err } },
            "post": { "summary": "Answer a round for my organization (a member of a member organization, once per round)",
                "requestBody": body(json!({ "type": "object", "required": ["answers"], "properties": { "answers": { "type": "array", "items": tie_form } } })),
                "responses": { "201": created(json!({ "type": "object" })), "401": err, "403": err, "404": err, "422": err } }
        },
        "/communities/{slug}/network/import": {
            "parameters": [slug],
            "post": { "summary": "Import ties from CSV (managers); every bad row is reported by line and nothing is imported if any is bad; dry_run checks only",
                "requestBody": body(json!({ "type": "object", "required": ["csv"], "properties": { "csv": { "type": "string" }, "dry_run": { "type": "string" } } })),
                "responses": { "200": ok(import_out.clone()), "401": err, "403": err, "404": err, "422": ok(import_out) } }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
