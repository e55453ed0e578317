//! Gould–Fernandez brokerage roles and the Krackhardt–Stern E-I index, both driven by a node
//! attribute that names each node's group (e.g. its sector). Nodes without the attribute form
//! one group of their own ("missing").
//!
//! Brokerage counts, for each broker B, the two-paths A→B→C with A ≠ C and no tie A→C. An
//! undirected tie counts as two arcs, so on undirected graphs every open pair {A, C} is counted in
//! both directions (as UCINET does on symmetric data) and gatekeeper equals representative in
//! sum over a group's ties.

use std::collections::HashMap;

use serde::Serialize;

use crate::graph::Graph;

/// Brokerage role counts of one node.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Roles {
    /// A, B and C in one group.
    pub coordinator: u64,
    /// A and C share a group, B is outside it.
    pub itinerant: u64,
    /// B shares C's group, not A's.
    pub gatekeeper: u64,
    /// B shares A's group, not C's.
    pub representative: u64,
    /// A, B and C in three different groups.
    pub liaison: u64,
    /// Sum of the five.
    pub total: u64,
}

/// Group index of each node for an attribute (missing values share one group).
pub fn groups(g: &Graph, attribute: &str) -> Vec<u32> {
    let mut ids: HashMap<Option<&str>, u32> = HashMap::new();
    (0..g.node_count() as u32)
        .map(|v| {
            let key = g.node_attr(v, attribute);
            let next = ids.len() as u32;
            *ids.entry(key).or_insert(next)
        })
        .collect()
}

/// Brokerage roles of every node given group indices.
pub fn brokerage(g: &Graph, group: &[u32]) -> Vec<Roles> {
    let n = g.node_count();
    let (out, inn) = (g.out_adj(), g.in_adj());
    let mut roles = vec![Roles::default(); n];
    let mut mark = vec![u32::MAX; n];
    for b in 0..n as u32 {
        let gb = group[b as usize];
        let r = &mut roles[b as usize];
        for &a in inn.neighbors(b) {
            if a == b {
                continue;
            }
            for &x in out.neighbors(a) {
                mark[x as usize] = a;
            }
            let ga = group[a as usize];
            for &c in out.neighbors(b) {
                if c == b || c == a || mark[c as usize] == a {
                    continue;
                }
                let gc = group[c as usize];
                if ga == gb && gb == gc {
                    r.coordinator += 1;
                } else if ga == gc {
                    r.itinerant += 1;
                } else if gb == gc {
                    r.gatekeeper += 1;
                } else if ga == gb {
                    r.representative += 1;
                } else {
                    r.liaison += 1;
                }
            }
            for &x in out.neighbors(a) {
                mark[x as usize] = u32::MAX;
            }
        }
        r.total = r.coordinator + r.itinerant + r.gatekeeper + r.representative + r.liaison;
    }
    roles
}

/// E-I index of the whole graph and of each node: (external − internal) / (external + internal)
/// over ties (self-loops ignored; each directed arc counts). `None` where there are no ties.
pub fn ei_index(g: &Graph, group: &[u32]) -> (Option<f64>, Vec<Option<f64>>) {
    let n = g.node_count();
    let mut ext = vec![0u64; n];
    let mut int = vec![0u64; n];
    let (mut e, mut i) = (0u64, 0u64);
    for &(u, v, _) in g.edges() {
        if u == v {
            continue;
        }
        if group[u as usize] == group[v as usize] {
            i += 1;
            int[u as usize] += 1;
            int[v as usize] += 1;
        } else {
            e += 1;
            ext[u as usize] += 1;
            ext[v as usize] += 1;
        }
    }
    let ratio = |e: u64, i: u64| (e + i > 0).then(|| (e as f64 - i as f64) / (e + i) as f64);
    (ratio(e, i), (0..n).map(|v| ratio(ext[v], int[v])).collect())
}
