//! Louvain communities and modularity, following `networkx.community.louvain_communities` step
//! for step (same gain formulas for undirected and directed graphs, resolution, threshold on the
//! modularity gain per level, weighted by tie strength) with our own seeded shuffle, so a seed
//! always gives the same partition but not NetworkX's partition.

use rayon::prelude::*;

use crate::graph::Graph;
use crate::rng::SplitMix64;

/// Parameters of the Louvain method.
#[derive(Debug, Clone, Copy)]
pub struct LouvainOptions {
    /// Resolution γ (1 = classic modularity).
    pub resolution: f64,
    /// Stop when a level improves modularity by no more than this.
    pub threshold: f64,
    /// Seed of the node-order shuffle.
    pub seed: u64,
    /// Independent runs (seeds derived from `seed`); the best partition is kept.
    pub restarts: usize,
}

impl Default for LouvainOptions {
    fn default() -> Self {
        LouvainOptions {
            resolution: 1.0,
            threshold: 1e-7,
            seed: 0,
            restarts: 4,
        }
    }
}

/// A partition of the nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// Community label of every node, 0 = largest community.
    pub label: Vec<u32>,
    /// Number of communities.
    pub count: usize,
}

/// One level of the Louvain hierarchy: a weighted graph whose nodes are communities of the level
/// below.
struct Level {
    n: usize,
    /// Every edge (undirected) or arc (directed) once, self-loops included.
    arcs: Vec<(u32, u32, f64)>,
    /// Neighbors without self-loops; for directed graphs both directions.
    off: Vec<usize>,
    nbr: Vec<u32>,
    w: Vec<f64>,
    deg_out: Vec<f64>,
    deg_in: Vec<f64>,
}

impl Level {
    fn new(n: usize, arcs: Vec<(u32, u32, f64)>, directed: bool) -> Level {
        let mut deg_out = vec![0.0; n];
        let mut deg_in = vec![0.0; n];
        let mut count = vec![0usize; n + 1];
        for &(u, v, w) in &arcs {
            deg_out[u as usize] += w;
            deg_in[v as usize] += w;
            if u != v {
                count[u as usize + 1] += 1;
                count[v as usize + 1] += 1;
            }
        }
        if !directed {
            for i in 0..n {
                deg_out[i] += deg_in[i];
            }
            deg_in.clone_from(&deg_out);
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let mut pos = count.clone();
        let total = count[n];
        let mut nbr = vec![0u32; total];
        let mut wt = vec![0.0; total];
        for &(u, v, w) in &arcs {
            if u != v {
                nbr[pos[u as usize]] = v;
                wt[pos[u as usize]] = w;
                pos[u as usize] += 1;
                nbr[pos[v as usize]] = u;
                wt[pos[v as usize]] = w;
                pos[v as usize] += 1;
            }
        }
        Level {
            n,
            arcs,
            off: count,
            nbr,
            w: wt,
            deg_out,
            deg_in,
        }
    }

    /// Modularity of a labeling of this level's nodes (`nx.community.modularity`).
    fn modularity(&self, label: &[u32], k: usize, m: f64, directed: bool, resolution: f64) -> f64 {
        let mut inner = vec![0.0; k];
        let mut dout = vec![0.0; k];
        let mut din = vec![0.0; k];
        for &(u, v, w) in &self.arcs {
            if label[u as usize] == label[v as usize] {
                inner[label[u as usize] as usize] += w;
            }
        }
        for v in 0..self.n {
            dout[label[v] as usize] += self.deg_out[v];
            din[label[v] as usize] += self.deg_in[v];
        }
        let norm = if directed {
            1.0 / (m * m)
        } else {
            1.0 / (4.0 * m * m)
        };
        (0..k)
            .map(|c| inner[c] / m - resolution * dout[c] * din[c] * norm)
            .sum()
    }
}

/// Louvain communities as `nx.community.louvain_communities(G, seed=…)`, weighted by tie
/// strength. Deterministic for a given seed.
///
/// Two additions to NetworkX's procedure, both for quality: each run ends with one more round of
/// single-node moves on the original graph (aggregation can leave nodes that would rather sit in
/// a neighboring community), and `restarts` runs with seeds derived from `seed` go in parallel,
/// keeping the partition with the highest modularity.
pub fn louvain(g: &Graph, opts: &LouvainOptions) -> Partition {
    let n = g.node_count();
    let singletons = || relabel(&(0..n as u32).collect::<Vec<_>>());
    let arcs: Vec<(u32, u32, f64)> = g.edges().to_vec();
    let m: f64 = arcs.iter().map(|a| a.2).sum();
    if arcs.is_empty() || m <= 0.0 {
        return singletons();
    }
    // The first level is the graph itself; all runs share it read-only.
    let base = Level::new(n, arcs, g.is_directed());
    let mut seeds = SplitMix64::new(opts.seed);
    let seeds: Vec<u64> = (0..opts.restarts.max(1))
        .map(|_| seeds.next_u64())
        .collect();
    let runs: Vec<(f64, Vec<u32>)> = seeds
        .par_iter()
        .map(|&seed| louvain_once(&base, m, g.is_directed(), opts, seed))
        .collect();
    let mut best: Option<(f64, Vec<u32>)> = None;
    for (q, p) in runs {
        if best.as_ref().is_none_or(|(bq, _)| q > *bq) {
            best = Some((q, p));
        }
    }
    best.map(|(_, p)| relabel(&p)).unwrap_or_else(singletons)
}

/// One Louvain run; returns the modularity and community of every node.
fn louvain_once(
    base: &Level,
    m: f64,
    directed: bool,
    opts: &LouvainOptions,
    seed: u64,
) -> (f64, Vec<u32>) {
    let n = base.n;
    let mut rng = SplitMix64::new(seed);
    let mut aggregated: Option<Level> = None;
    // Community of each original node, as an index into the current level's nodes.
    let mut node_com: Vec<u32> = (0..n as u32).collect();
    let mut modularity = base.modularity(&node_com, n, m, directed, opts.resolution);
    loop {
        let level = aggregated.as_ref().unwrap_or(base);
        let (inner, k, moved) = one_level(level, m, directed, opts.resolution, &mut rng, None);
        if !moved {
            break;
        }
        for c in node_com.iter_mut() {
            *c = inner[*c as usize];
        }
        let new_mod = level.modularity(&inner, k, m, directed, opts.resolution);
        if new_mod - modularity <= opts.threshold {
            modularity = new_mod;
            break;
        }
        modularity = new_mod;
        let next = aggregate(level, &inner, k, directed);
        aggregated = Some(next);
    }
    drop(aggregated);
    let (refined, k, moved) = one_level(
        base,
        m,
        directed,
        opts.resolution,
        &mut rng,
        Some(&node_com),
    );
    if moved {
        let q = base.modularity(&refined, k, m, directed, opts.resolution);
        if q > modularity {
            return (q, refined);
        }
    }
    (modularity, node_com)
}

/// One pass of local moves; returns the renumbered community of each level node, the number of
/// communities and whether any node moved.
fn one_level(
    level: &Level,
    m: f64,
    directed: bool,
    res: f64,
    rng: &mut SplitMix64,
    start: Option<&[u32]>,
) -> (Vec<u32>, usize, bool) {
    let n = level.n;
    let mut com: Vec<u32> = match start {
        Some(s) => s.to_vec(),
        None => (0..n as u32).collect(),
    };
    let mut stot_out = vec![0.0; n];
    let mut stot_in = vec![0.0; n];
    for v in 0..n {
        stot_out[com[v] as usize] += level.deg_out[v];
        stot_in[com[v] as usize] += level.deg_in[v];
    }
    let mut order: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut order);
    let mut wsum = vec![0.0f64; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut listed = vec![false; n];
    let mut improvement = false;
    let m2 = m * m;
    // Local moves with a work queue (the "fast local move" of Traag et al.'s Leiden paper): after
    // the first sweep in shuffled order, only neighbors of a node that moved are revisited. It
    // stops at the same kind of local optimum as repeated full sweeps, without sweeping the
    // whole graph again for a handful of moves.
    let mut queue: std::collections::VecDeque<u32> = order.iter().copied().collect();
    let mut queued = vec![true; n];
    while let Some(u) = queue.pop_front() {
        let ui = u as usize;
        queued[ui] = false;
        for i in level.off[ui]..level.off[ui + 1] {
            let c = com[level.nbr[i] as usize];
            if !listed[c as usize] {
                listed[c as usize] = true;
                touched.push(c);
            }
            wsum[c as usize] += level.w[i];
        }
        let own = com[ui];
        let (dout, din) = (level.deg_out[ui], level.deg_in[ui]);
        stot_out[own as usize] -= dout;
        stot_in[own as usize] -= din;
        let cost = |c: usize| -> f64 {
            if directed {
                res * (dout * stot_in[c] + din * stot_out[c]) / m2
            } else {
                res * (stot_out[c] * dout) / (2.0 * m2)
            }
        };
        let remove_cost = -wsum[own as usize] / m + cost(own as usize);
        let mut best_mod = 0.0;
        let mut best = own;
        for &c in &touched {
            let gain = remove_cost + wsum[c as usize] / m - cost(c as usize);
            if gain > best_mod {
                best_mod = gain;
                best = c;
            }
        }
        stot_out[best as usize] += dout;
        stot_in[best as usize] += din;
        for &c in &touched {
            wsum[c as usize] = 0.0;
            listed[c as usize] = false;
        }
        touched.clear();
        if best != own {
            com[ui] = best;
            improvement = true;
            for i in level.off[ui]..level.off[ui + 1] {
                let v = level.nbr[i];
                if !queued[v as usize] && com[v as usize] != best {
                    queued[v as usize] = true;
                    queue.push_back(v);
                }
            }
        }
    }
    // Renumber communities by their old index, as NetworkX's `filter(len, partition)` keeps order.
    let mut new_id = vec![u32::MAX; n];
    let mut used = vec![false; n];
    for &c in &com {
        used[c as usize] = true;
    }
    let mut k = 0u32;
    for (c, &u) in used.iter().enumerate() {
        if u {
            new_id[c] = k;
            k += 1;
        }
    }
    let inner: Vec<u32> = com.iter().map(|&c| new_id[c as usize]).collect();
    (inner, k as usize, improvement)
}

fn aggregate(level: &Level, inner: &[u32], k: usize, directed: bool) -> Level {
    let mut arcs: Vec<(u32, u32, f64)> = level
        .arcs
        .iter()
        .map(|&(u, v, w)| {
            let (a, b) = (inner[u as usize], inner[v as usize]);
            if directed || a <= b {
                (a, b, w)
            } else {
                (b, a, w)
            }
        })
        .collect();
    arcs.sort_unstable_by_key(|a| ((a.0 as u64) << 32) | a.1 as u64);
    let mut merged: Vec<(u32, u32, f64)> = Vec::with_capacity(arcs.len());
    for a in arcs {
        match merged.last_mut() {
            Some(last) if last.0 == a.0 && last.1 == a.1 => last.2 += a.2,
            _ => merged.push(a),
        }
    }
    Level::new(k, merged, directed)
}

/// Label communities 0.. by decreasing size, ties by smallest member.
fn relabel(raw: &[u32]) -> Partition {
    let n = raw.len();
    let mut size = vec![0usize; n];
    let mut first = vec![u32::MAX; n];
    for (v, &c) in raw.iter().enumerate() {
        size[c as usize] += 1;
        first[c as usize] = first[c as usize].min(v as u32);
    }
    let mut ids: Vec<usize> = (0..n).filter(|&c| size[c] > 0).collect();
    ids.sort_by_key(|&c| (std::cmp::Reverse(size[c]), first[c]));
    let mut map = vec![0u32; n];
    for (new, &old) in ids.iter().enumerate() {
        map[old] = new as u32;
    }
    Partition {
        label: raw.iter().map(|&c| map[c as usize]).collect(),
        count: ids.len(),
    }
}

/// Modularity of a labeling as `nx.community.modularity(G, communities)`, weighted by tie
/// strength, with the given resolution. `NaN` when the graph has no edge weight at all.
pub fn modularity(g: &Graph, label: &[u32], resolution: f64) -> f64 {
    let k = label.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let m: f64 = g.edges().iter().map(|a| a.2).sum();
    if m == 0.0 {
        return f64::NAN;
    }
    let (mut inner, mut dout, mut din) = (vec![0.0; k], vec![0.0; k], vec![0.0; k]);
    for &(u, v, w) in g.edges() {
        let (cu, cv) = (label[u as usize] as usize, label[v as usize] as usize);
        if cu == cv {
            inner[cu] += w;
        }
        dout[cu] += w;
        din[cv] += w;
    }
    (0..k)
        .map(|c| {
            if g.is_directed() {
                inner[c] / m - resolution * dout[c] * din[c] / (m * m)
            } else {
                let d = dout[c] + din[c];
                inner[c] / m - resolution * d * d / (4.0 * m * m)
            }
        })
        .sum()
}
