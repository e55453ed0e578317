//! The analysis report behind `tejido sna`: which measures to run ([`Options`]), running them
//! ([`analyze`]) and the serializable result ([`Report`]), written as one JSON object or as one
//! CSV row per node.

use std::collections::BTreeSet;
use std::io::Write;
use std::str::FromStr;
use std::time::Instant;

use serde::Serialize;

use crate::brokerage::{self, Roles};
use crate::community::{self, LouvainOptions};
use crate::error::{GraphError, Result};
use crate::graph::Graph;
use crate::progress::Progress;
use crate::{centrality, clustering, components, structural_holes};

/// A measure that can be requested by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    /// Density of the graph.
    Density,
    /// Degree and degree centrality.
    Degree,
    /// Freeman degree centralization.
    Centralization,
    /// Betweenness centrality.
    Betweenness,
    /// Closeness centrality.
    Closeness,
    /// Eigenvector centrality.
    Eigenvector,
    /// PageRank.
    PageRank,
    /// Local and average clustering.
    Clustering,
    /// Transitivity.
    Transitivity,
    /// Connected (weak and strong) components and isolates.
    Components,
    /// Louvain communities and modularity.
    Communities,
    /// Burt's effective size and constraint.
    StructuralHoles,
    /// Gould–Fernandez brokerage roles (needs a group attribute).
    Brokerage,
    /// E-I index (needs a group attribute).
    EiIndex,
}

impl Measure {
    /// Every measure.
    pub const ALL: [Measure; 14] = [
        Measure::Density,
        Measure::Degree,
        Measure::Centralization,
        Measure::Betweenness,
        Measure::Closeness,
        Measure::Eigenvector,
        Measure::PageRank,
        Measure::Clustering,
        Measure::Transitivity,
        Measure::Components,
        Measure::Communities,
        Measure::StructuralHoles,
        Measure::Brokerage,
        Measure::EiIndex,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Density => "density",
            Measure::Degree => "degree",
            Measure::Centralization => "centralization",
            Measure::Betweenness => "betweenness",
            Measure::Closeness => "closeness",
            Measure::Eigenvector => "eigenvector",
            Measure::PageRank => "pagerank",
            Measure::Clustering => "clustering",
            Measure::Transitivity => "transitivity",
            Measure::Components => "components",
            Measure::Communities => "communities",
            Measure::StructuralHoles => "structural_holes",
            Measure::Brokerage => "brokerage",
            Measure::EiIndex => "ei_index",
        }
    }

    /// Parse `all`, `none` or a comma-separated list of names.
    pub fn parse_list(s: &str) -> Result<BTreeSet<Measure>> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("all") {
            return Ok(Measure::ALL.into_iter().collect());
        }
        if s.eq_ignore_ascii_case("none") || s.is_empty() {
            return Ok(BTreeSet::new());
        }
        s.split(',').map(|p| p.trim().parse()).collect()
    }
}

impl FromStr for Measure {
    type Err = GraphError;
    fn from_str(s: &str) -> Result<Measure> {
        let s = s.to_ascii_lowercase().replace('-', "_");
        let alias = match s.as_str() {
            "degree_centrality" => "degree",
            "degree_centralization" => "centralization",
            "louvain" | "community" | "modularity" => "communities",
            "average_clustering" => "clustering",
            "effective_size" | "constraint" | "burt" => "structural_holes",
            "ei" => "ei_index",
            "isolates" => "components",
            other => other,
        };
        Measure::ALL
            .into_iter()
            .find(|m| m.name() == alias)
            .ok_or_else(|| GraphError::UnknownMeasure(s.clone()))
    }
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct Options {
    /// The measures to run.
    pub measures: BTreeSet<Measure>,
    /// Node attribute naming each node's group (brokerage roles, E-I index).
    pub group_attribute: Option<String>,
    /// Seed for Louvain and sampled betweenness.
    pub seed: u64,
    /// Estimate betweenness from this many pivot sources instead of all of them.
    pub betweenness_samples: Option<usize>,
    /// Draw a progress bar on stderr (only if it is a terminal).
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            measures: Measure::ALL.into_iter().collect(),
            group_attribute: None,
            seed: 42,
            betweenness_samples: None,
            progress: false,
        }
    }
}

/// Graph-level results.
#[derive(Debug, Clone, Serialize, Default)]
pub struct GraphSummary {
    pub nodes: usize,
    pub edges: usize,
    pub directed: bool,
    pub weighted: bool,
    pub self_loops: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub density: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transitivity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_clustering: Option<f64>,
    /// Connected components (weakly connected for directed graphs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub components: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strong_components: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub largest_component: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isolates: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degree_centralization: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modularity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub communities: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_attribute: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ei_index: Option<Option<f64>>,
    /// Number of pivots when betweenness was estimated rather than exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betweenness_samples: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Per-node results.
#[derive(Debug, Clone, Serialize, Default)]
pub struct NodeReport {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degree: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_degree: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_degree: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degree_centrality: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betweenness: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closeness: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eigenvector: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagerank: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clustering: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub community: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strong_component: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_size: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ei_index: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brokerage: Option<Roles>,
}

/// Per-node results stored column by column (one vector per measure), which keeps a report of a
/// large graph small; serialized as a list of [`NodeReport`] objects, built one at a time.
#[derive(Debug, Clone, Default)]
pub struct NodeColumns {
    pub id: Vec<String>,
    pub degree: Option<Vec<usize>>,
    pub in_degree: Option<Vec<usize>>,
    pub out_degree: Option<Vec<usize>>,
    pub degree_centrality: Option<Vec<f64>>,
    pub betweenness: Option<Vec<f64>>,
    pub closeness: Option<Vec<f64>>,
    pub eigenvector: Option<Vec<f64>>,
    pub pagerank: Option<Vec<f64>>,
    pub clustering: Option<Vec<f64>>,
    pub community: Option<Vec<u32>>,
    pub component: Option<Vec<u32>>,
    pub strong_component: Option<Vec<u32>>,
    pub effective_size: Option<Vec<f64>>,
    pub constraint: Option<Vec<f64>>,
    pub group: Option<Vec<Option<String>>>,
    pub ei_index: Option<Vec<Option<f64>>>,
    pub brokerage: Option<Vec<Roles>>,
}

impl NodeColumns {
    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// The results of node `i` (in graph order).
    pub fn get(&self, i: usize) -> NodeReport {
        fn at<T: Clone>(col: &Option<Vec<T>>, i: usize) -> Option<T> {
            col.as_ref().map(|c| c[i].clone())
        }
        NodeReport {
            id: self.id[i].clone(),
            degree: at(&self.degree, i),
            in_degree: at(&self.in_degree, i),
            out_degree: at(&self.out_degree, i),
            degree_centrality: at(&self.degree_centrality, i),
            betweenness: at(&self.betweenness, i),
            closeness: at(&self.closeness, i),
            eigenvector: at(&self.eigenvector, i),
            pagerank: at(&self.pagerank, i),
            clustering: at(&self.clustering, i),
            community: at(&self.community, i),
            component: at(&self.component, i),
            strong_component: at(&self.strong_component, i),
            effective_size: at(&self.effective_size, i),
            constraint: at(&self.constraint, i),
            group: self.group.as_ref().map(|c| c[i].clone()).unwrap_or(None),
            ei_index: at(&self.ei_index, i),
            brokerage: at(&self.brokerage, i),
        }
    }

    /// Every node's results, in graph order.
    pub fn iter(&self) -> impl Iterator<Item = NodeReport> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl Serialize for NodeColumns {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for node in self.iter() {
            seq.serialize_element(&node)?;
        }
        seq.end()
    }
}

/// The whole result: graph summary and one entry per node, in node order.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Report {
    pub graph: GraphSummary,
    pub nodes: NodeColumns,
    /// Seconds spent per measure (not serialized; for benchmarks and logs).
    #[serde(skip)]
    pub timings: Vec<(&'static str, f64)>,
}

fn timed<T>(
    timings: &mut Vec<(&'static str, f64)>,
    name: &'static str,
    f: impl FnOnce() -> T,
) -> T {
    let t = Instant::now();
    let r = f();
    timings.push((name, t.elapsed().as_secs_f64()));
    r
}

/// Run the requested measures.
pub fn analyze(g: &Graph, opts: &Options) -> Result<Report> {
    let n = g.node_count();
    let want = |m: Measure| opts.measures.contains(&m);
    let mut t = Vec::new();
    let mut s = GraphSummary {
        nodes: n,
        edges: g.edge_count(),
        directed: g.is_directed(),
        weighted: g.is_weighted(),
        self_loops: g.self_loop_count(),
        ..GraphSummary::default()
    };
    let mut nodes = NodeColumns {
        id: g.ids().to_vec(),
        ..NodeColumns::default()
    };

    if want(Measure::Density) {
        s.density = Some(centrality::density(g));
    }
    if want(Measure::Degree) {
        let dc = timed(&mut t, "degree", || centrality::degree_centrality(g));
        let all = 0..n as u32;
        nodes.degree = Some(all.clone().map(|v| g.degree(v)).collect());
        nodes.degree_centrality = Some(dc);
        if g.is_directed() {
            nodes.in_degree = Some(all.clone().map(|v| g.in_degree(v)).collect());
            nodes.out_degree = Some(all.map(|v| g.out_degree(v)).collect());
        }
    }
    if want(Measure::Centralization) {
        s.degree_centralization = Some(centrality::degree_centralization(g));
    }
    if want(Measure::Betweenness) {
        let sample = opts
            .betweenness_samples
            .filter(|&k| k < n)
            .map(|k| (k, opts.seed));
        s.betweenness_samples = sample.map(|(k, _)| k);
        let label = if sample.is_some() {
            "betweenness~"
        } else {
            "betweenness"
        };
        let total = sample.map_or(n, |(k, _)| k);
        let progress = Progress::new(label, total, opts.progress);
        nodes.betweenness = Some(timed(&mut t, "betweenness", || {
            centrality::betweenness(g, sample, &progress)
        }));
        progress.finish();
    }
    if want(Measure::Closeness) {
        let progress = Progress::new("closeness", n, opts.progress);
        nodes.closeness = Some(timed(&mut t, "closeness", || {
            centrality::closeness(g, &progress)
        }));
        progress.finish();
    }
    if want(Measure::Eigenvector) {
        let e = timed(&mut t, "eigenvector", || {
            centrality::eigenvector(g, 1000, 1e-6)
        });
        nodes.eigenvector = Some(e.unwrap_or_else(|| {
            s.warnings
                .push("eigenvector centrality did not converge in 1000 iterations".into());
            vec![f64::NAN; n]
        }));
    }
    if want(Measure::PageRank) {
        let p = timed(&mut t, "pagerank", || {
            centrality::pagerank(g, 0.85, 1000, 1e-6)
        });
        nodes.pagerank = Some(p.unwrap_or_else(|| {
            s.warnings
                .push("PageRank did not converge in 1000 iterations".into());
            vec![f64::NAN; n]
        }));
    }
    if want(Measure::Clustering) {
        let c = timed(&mut t, "clustering", || clustering::local_clustering(g));
        s.average_clustering = Some(clustering::average_clustering(&c));
        nodes.clustering = Some(c);
    }
    if want(Measure::Transitivity) {
        s.transitivity = Some(timed(&mut t, "transitivity", || {
            clustering::transitivity(g)
        }));
    }
    if want(Measure::Components) {
        let cc = timed(&mut t, "components", || components::connected_components(g));
        s.components = Some(cc.count());
        s.largest_component = Some(cc.sizes.first().copied().unwrap_or(0));
        nodes.component = Some(cc.label);
        if g.is_directed() {
            let sc = components::strongly_connected_components(g);
            s.strong_components = Some(sc.count());
            nodes.strong_component = Some(sc.label);
        }
        s.isolates = Some(
            components::isolates(g)
                .into_iter()
                .map(|v| g.id(v).to_owned())
                .collect(),
        );
    }
    if want(Measure::Communities) {
        let lo = LouvainOptions {
            seed: opts.seed,
            ..LouvainOptions::default()
        };
        let p = timed(&mut t, "louvain", || community::louvain(g, &lo));
        s.modularity = Some(community::modularity(g, &p.label, 1.0));
        s.communities = Some(p.count);
        nodes.community = Some(p.label);
    }
    if want(Measure::StructuralHoles) {
        nodes.effective_size = Some(timed(&mut t, "effective_size", || {
            structural_holes::effective_size(g)
        }));
        nodes.constraint = Some(timed(&mut t, "constraint", || {
            structural_holes::constraint(g)
        }));
    }
    let grouped = want(Measure::Brokerage) || want(Measure::EiIndex);
    if let (true, Some(attr)) = (grouped, &opts.group_attribute) {
        s.group_attribute = Some(attr.clone());
        let groups = brokerage::groups(g, attr);
        nodes.group = Some(
            (0..n as u32)
                .map(|v| g.node_attr(v, attr).map(str::to_owned))
                .collect(),
        );
        if want(Measure::Brokerage) {
            nodes.brokerage = Some(timed(&mut t, "brokerage", || {
                brokerage::brokerage(g, &groups)
            }));
        }
        if want(Measure::EiIndex) {
            let (total, per) = brokerage::ei_index(g, &groups);
            s.ei_index = Some(total);
            nodes.ei_index = Some(per);
        }
    } else if grouped && opts.measures.len() < Measure::ALL.len() {
        return Err(GraphError::InvalidArgument(
            "brokerage and ei_index need --group-attribute".into(),
        ));
    }
    Ok(Report {
        graph: s,
        nodes,
        timings: t,
    })
}

/// How to print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON object with "graph" and "nodes".
    Json,
    /// One CSV row per node.
    Csv,
}

impl FromStr for OutputFormat {
    type Err = GraphError;
    fn from_str(s: &str) -> Result<OutputFormat> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(OutputFormat::Json),
            "csv" => Ok(OutputFormat::Csv),
            other => Err(GraphError::InvalidArgument(format!(
                "unknown output format {other:?}"
            ))),
        }
    }
}

/// A number for CSV: shortest round-trip form, exponent notation for very small or large values
/// (plain `Display` would spell out hundreds of zeros); empty for NaN.
fn num(x: f64) -> String {
    if !x.is_finite() {
        String::new()
    } else if x != 0.0 && !(1e-6..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

impl NodeReport {
    /// (column, value) pairs for CSV output; unset measures yield no column.
    fn columns(&self) -> Vec<(&'static str, String)> {
        let mut c: Vec<(&'static str, String)> = vec![("id", self.id.clone())];
        let mut u = |name: &'static str, v: Option<usize>| {
            if let Some(v) = v {
                c.push((name, v.to_string()))
            }
        };
        u("degree", self.degree);
        u("in_degree", self.in_degree);
        u("out_degree", self.out_degree);
        let mut f = |name: &'static str, v: Option<f64>| {
            if let Some(v) = v {
                c.push((name, num(v)))
            }
        };
        f("degree_centrality", self.degree_centrality);
        f("betweenness", self.betweenness);
        f("closeness", self.closeness);
        f("eigenvector", self.eigenvector);
        f("pagerank", self.pagerank);
        f("clustering", self.clustering);
        for (name, v) in [
            ("community", self.community),
            ("component", self.component),
            ("strong_component", self.strong_component),
        ] {
            if let Some(v) = v {
                c.push((name, v.to_string()));
            }
        }
        if let Some(v) = self.effective_size {
            c.push(("effective_size", num(v)));
        }
        if let Some(v) = self.constraint {
            c.push(("constraint", num(v)));
        }
        if self.group.is_some() || self.ei_index.is_some() || self.brokerage.is_some() {
            c.push(("group", self.group.clone().unwrap_or_default()));
        }
        if let Some(v) = self.ei_index {
            c.push(("ei_index", v.map(num).unwrap_or_default()));
        }
        if let Some(b) = self.brokerage {
            c.push(("brokerage_coordinator", b.coordinator.to_string()));
            c.push(("brokerage_itinerant", b.itinerant.to_string()));
            c.push(("brokerage_gatekeeper", b.gatekeeper.to_string()));
            c.push(("brokerage_representative", b.representative.to_string()));
            c.push(("brokerage_liaison", b.liaison.to_string()));
            c.push(("brokerage_total", b.total.to_string()));
        }
        c
    }
}

/// Write a report as JSON or CSV.
pub fn write_report(report: &Report, format: OutputFormat, out: &mut dyn Write) -> Result<()> {
    let mut w = std::io::BufWriter::new(out);
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut w, report)?;
            writeln!(w)?;
        }
        OutputFormat::Csv => {
            let mut header_written = false;
            for node in report.nodes.iter() {
                let cols = node.columns();
                if !header_written {
                    let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
                    writeln!(w, "{}", names.join(","))?;
                    header_written = true;
                }
                let vals: Vec<String> = cols.iter().map(|c| crate::io::csv::field(&c.1)).collect();
                writeln!(w, "{}", vals.join(","))?;
            }
            if !header_written {
                writeln!(w, "id")?;
            }
        }
    }
    w.flush()?;
    Ok(())
}
