//! The Local System map's analysis: the graph of a community's ties at a date or a survey
//! round, its measures and figures, the change between two dates, and the map's drawing data.

use super::*;

/// An organization of the analysed network with its figures.
#[derive(Debug, Clone, serde::Serialize)]
pub(super) struct NodeRow {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) sector: String,
    pub(super) member: bool,
    pub(super) degree: usize,
    pub(super) degree_centrality: f64,
    pub(super) betweenness: f64,
    pub(super) closeness: f64,
    pub(super) pagerank: Option<f64>,
    pub(super) clustering: f64,
    pub(super) community: Option<u32>,
    pub(super) brokerage: u64,
}

impl NodeRow {
    pub(super) fn centrality(&self, by: &str) -> f64 {
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
pub(super) struct ScoreRow {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) sector: String,
    pub(super) member: bool,
    pub(super) trust: Option<f64>,
    pub(super) value: Option<f64>,
    pub(super) raters: usize,
}

/// The ratings the ties carry: the organization the tie starts from rates the other.
pub(super) fn ratings(ties: &[Tie]) -> Vec<Rating> {
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
pub(super) struct SectorRoles {
    pub(super) sector: String,
    pub(super) coordinator: u64,
    pub(super) itinerant: u64,
    pub(super) gatekeeper: u64,
    pub(super) representative: u64,
    pub(super) liaison: u64,
}

/// The figures of one network.
#[derive(Debug, Clone, serde::Serialize)]
pub(super) struct Figures {
    pub(super) size: usize,
    pub(super) ties: usize,
    pub(super) density: Option<f64>,
    pub(super) average_degree: f64,
    pub(super) centralization: Option<f64>,
    pub(super) components: Option<usize>,
    pub(super) isolates: usize,
    pub(super) clustering: Option<f64>,
    pub(super) transitivity: Option<f64>,
    pub(super) communities: Option<usize>,
    pub(super) modularity: Option<f64>,
    pub(super) cross_sector_share: Option<f64>,
    pub(super) ei_index: Option<f64>,
    /// Mean PARTNER trust and value over the ties that carry them (exact means of sub-ratings
    /// where given).
    pub(super) trust: Option<f64>,
    pub(super) value: Option<f64>,
    /// The same as percentages of the maximum, and how many ties carry a rating.
    pub(super) partner: NetworkScores,
    /// Each rated organization's incoming trust and value (most raters first).
    pub(super) actor_scores: Vec<ScoreRow>,
    pub(super) brokerage_by_sector: Vec<SectorRoles>,
    pub(super) nodes: Vec<NodeRow>,
}

/// The analysed network: the ties, the actors and the figures.
pub(super) struct Network {
    pub(super) ties: Vec<Tie>,
    pub(super) actors: Vec<Actor>,
    pub(super) members: BTreeSet<i64>,
    pub(super) figures: Figures,
}

/// Builds the graph of `ties` among `members` plus the organizations the ties name (the node id
/// is the organization id; attributes `label`, `sector`, `member`).
pub(super) fn graph(
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

pub(super) fn analysis_options() -> tejido_graph::Options {
    tejido_graph::Options {
        group_attribute: Some("sector".into()),
        seed: SEED,
        ..tejido_graph::Options::default()
    }
}

pub(super) fn figures(
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

pub(super) fn analyse(ties: Vec<Tie>, member_actors: &[Actor]) -> AppResult<Network> {
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
pub(super) fn filter_kind(ties: Vec<Tie>, kind: Option<TieKind>) -> Vec<Tie> {
    match kind {
        Some(k) => ties.into_iter().filter(|t| t.kind == k.as_str()).collect(),
        None => ties,
    }
}

pub(super) async fn network_at(
    s: &AppState,
    net: &Net,
    at: NaiveDate,
    kind: Option<TieKind>,
) -> AppResult<Network> {
    let ties = store::ties_at(&s.db, net.l.community.id, at, &net.kinds()).await?;
    let members = store::member_actors(&s.db, net.l.community.id).await?;
    analyse(filter_kind(ties, kind), &members)
}

pub(super) async fn network_of_round(s: &AppState, net: &Net, round: i64) -> AppResult<Network> {
    let ties = store::ties_of_round(&s.db, round, &net.kinds()).await?;
    let members = store::member_actors(&s.db, net.l.community.id).await?;
    analyse(ties, &members)
}

/// The change between a baseline network and the current one.
#[derive(Debug, Clone, serde::Serialize)]
pub(super) struct ChangeView {
    pub(super) baseline: NaiveDate,
    pub(super) added: usize,
    pub(super) ended: usize,
    pub(super) new_cross_sector: usize,
    /// (name, rise in degree centrality), greatest first.
    pub(super) risers: Vec<(String, f64)>,
}

pub(super) fn change_between(before: &Network, after: &Network, baseline: NaiveDate) -> ChangeView {
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

pub(super) struct MapNode {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) r: f64,
    pub(super) fill: &'static str,
    pub(super) member: bool,
    pub(super) title: String,
}

pub(super) struct MapEdge {
    pub(super) x1: f64,
    pub(super) y1: f64,
    pub(super) x2: f64,
    pub(super) y2: f64,
    pub(super) opacity: &'static str,
    pub(super) directed: bool,
}

pub(super) struct Map {
    /// Unique within the page (ids of the SVG's title and arrow marker).
    pub(super) key: &'static str,
    pub(super) caption: String,
    pub(super) size: u32,
    pub(super) nodes: Vec<MapNode>,
    pub(super) edges: Vec<MapEdge>,
    /// Ties left out to keep the drawing small.
    pub(super) omitted: usize,
}

// ---- pages ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct MapQuery {
    pub(super) at: String,
    pub(super) baseline: String,
    pub(super) kind: String,
    pub(super) size: String,
}
