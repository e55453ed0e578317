//! Centrality measures with NetworkX 3.x conventions: degree, density, Freeman centralization,
//! betweenness (Brandes, exact or pivot-sampled), closeness (Wasserman–Faust), eigenvector and
//! PageRank.
//!
//! Betweenness and closeness run one traversal per source node, spread over every rayon worker.
//! Each worker owns one reusable workspace and pulls chunks of sources from a shared counter, so
//! the inner loops never allocate. Brandes keeps no predecessor lists: the forward BFS writes the
//! shortest-path DAG edges into one flat reused buffer, which the backward pass reads
//! sequentially. Closeness uses a multi-source BFS that advances 256 sources at once with
//! bitsets, since it only needs distance sums.

use rayon::prelude::*;

use crate::graph::{Csr, Graph};
use crate::par::per_worker;
use crate::progress::Progress;
use crate::rng::SplitMix64;

/// Density as `nx.density`: `m / (n (n-1))`, doubled for undirected graphs; self-loops count as
/// edges; 0 for fewer than two nodes.
pub fn density(g: &Graph) -> f64 {
    let n = g.node_count() as f64;
    let m = g.edge_count() as f64;
    if g.node_count() <= 1 {
        return 0.0;
    }
    if g.is_directed() {
        m / (n * (n - 1.0))
    } else {
        2.0 * m / (n * (n - 1.0))
    }
}

/// Degrees as NetworkX reports them (self-loops twice; in + out for directed graphs).
pub fn degrees(g: &Graph) -> Vec<usize> {
    (0..g.node_count() as u32).map(|v| g.degree(v)).collect()
}

/// `nx.degree_centrality`: degree / (n − 1); every node 1.0 when n ≤ 1.
pub fn degree_centrality(g: &Graph) -> Vec<f64> {
    let n = g.node_count();
    if n <= 1 {
        return vec![1.0; n];
    }
    let s = 1.0 / (n as f64 - 1.0);
    (0..n as u32).map(|v| g.degree(v) as f64 * s).collect()
}

/// Freeman degree centralization: Σ(max − deg_i) / ((n−1)(n−2)), on the simple undirected degree
/// (distinct neighbors, self-loops ignored). 0 for fewer than three nodes.
pub fn degree_centralization(g: &Graph) -> f64 {
    let n = g.node_count();
    if n < 3 {
        return 0.0;
    }
    let mut buf = Vec::new();
    let deg: Vec<usize> = (0..n as u32)
        .map(|v| {
            g.undirected_neighbors(v, &mut buf);
            buf.len()
        })
        .collect();
    let max = deg.iter().copied().max().unwrap_or(0);
    let sum: usize = deg.iter().map(|&d| max - d).sum();
    sum as f64 / ((n - 1) as f64 * (n - 2) as f64)
}

const UNSEEN: u32 = u32::MAX;

/// Distance and path count of a node, side by side so one cache line serves both.
#[derive(Clone, Copy)]
struct Visit {
    sigma: f64,
    dist: u32,
}

/// Per-worker buffers for Brandes' algorithm. Per-node arrays are padded to a power of two so
/// that indexing with `w & mask` needs no bounds check.
struct Brandes {
    mask: usize,
    visit: Vec<Visit>,
    coef: Vec<f64>,
    /// Nodes in BFS order (the backward pass walks it in reverse).
    order: Vec<u32>,
    /// Shortest-path DAG successors of `order[i]` are `succ[succ_off[i]..succ_off[i + 1]]`.
    succ: Vec<u32>,
    succ_off: Vec<u32>,
    bc: Vec<f64>,
}

impl Brandes {
    fn new(n: usize, arcs: usize) -> Self {
        let size = n.next_power_of_two().max(1);
        Brandes {
            mask: size - 1,
            visit: vec![
                Visit {
                    sigma: 0.0,
                    dist: UNSEEN
                };
                size
            ],
            coef: vec![0.0; size],
            order: vec![0; n],
            succ: vec![0; arcs + 1],
            succ_off: vec![0; n + 1],
            bc: vec![0.0; size],
        }
    }

    /// Add source `s`'s dependencies to `bc`.
    fn run(&mut self, adj: &Csr, s: u32) {
        // Plain slices and local cursors keep the hot loop in registers (no Vec bookkeeping).
        let (offsets, targets) = adj.raw();
        let mask = self.mask;
        let visit = &mut self.visit[..=mask];
        let coef = &mut self.coef[..=mask];
        let bc = &mut self.bc[..=mask];
        let order = &mut self.order[..];
        let succ = &mut self.succ[..];
        let succ_off = &mut self.succ_off[..];
        order[0] = s;
        visit[s as usize & mask] = Visit {
            sigma: 1.0,
            dist: 0,
        };
        let (mut head, mut tail, mut ns) = (0usize, 1usize, 0usize);
        // Forward BFS counting shortest paths; the DAG edges are recorded as we go so the
        // backward pass reads them sequentially instead of re-testing every edge.
        while head < tail {
            let v = order[head] as usize;
            succ_off[head] = ns as u32;
            head += 1;
            let Visit {
                sigma: sv,
                dist: dv,
            } = visit[v & mask];
            let next = dv + 1;
            // Whether a neighbor lies one level further out is a coin flip for the branch
            // predictor, so the DAG edge is recorded without a branch (the cursor advances by
            // the comparison) and path counts are pushed along the recorded edges afterwards.
            let start = ns;
            for &w in &targets[offsets[v] as usize..offsets[v + 1] as usize] {
                let node = &mut visit[w as usize & mask];
                if node.dist == UNSEEN {
                    node.dist = next;
                    order[tail] = w;
                    tail += 1;
                }
                succ[ns] = w;
                ns += usize::from(node.dist == next);
            }
            for &w in &succ[start..ns] {
                visit[w as usize & mask].sigma += sv;
            }
        }
        succ_off[tail] = ns as u32;
        // Backward: delta(w) = sigma(w) * sum over DAG successors v of (1 + delta(v)) / sigma(v);
        // coef caches (1 + delta) / sigma.
        for i in (0..tail).rev() {
            let w = order[i] as usize & mask;
            let kids = &succ[succ_off[i] as usize..succ_off[i + 1] as usize];
            let mut acc = [0.0f64; 4];
            let mut chunks = kids.chunks_exact(4);
            for c in &mut chunks {
                acc[0] += coef[c[0] as usize & mask];
                acc[1] += coef[c[1] as usize & mask];
                acc[2] += coef[c[2] as usize & mask];
                acc[3] += coef[c[3] as usize & mask];
            }
            for &v in chunks.remainder() {
                acc[0] += coef[v as usize & mask];
            }
            let sw = visit[w].sigma;
            let delta = sw * ((acc[0] + acc[1]) + (acc[2] + acc[3]));
            if i != 0 {
                // order[0] is the source, whose own dependency is not betweenness.
                bc[w] += delta;
            }
            coef[w] = (1.0 + delta) / sw;
        }
        for &w in &order[..tail] {
            visit[w as usize & mask] = Visit {
                sigma: 0.0,
                dist: UNSEEN,
            };
        }
    }
}

/// Betweenness centrality as `nx.betweenness_centrality(G, normalized=True)` (unweighted, hops).
///
/// With `sample = Some((k, seed))` and `k < n`, only `k` pivot sources drawn with the seeded PRNG
/// are used and the result is rescaled as NetworkX 3.6 does for `k` (sources by
/// 1/((k−1)(n−2)), the others by 1/(k(n−2))); the pivots differ from NetworkX's own draw.
pub fn betweenness(g: &Graph, sample: Option<(usize, u64)>, progress: &Progress) -> Vec<f64> {
    let n = g.node_count();
    let sources: Vec<u32> = match sample {
        Some((k, seed)) if k < n => SplitMix64::new(seed).sample(n, k),
        _ => (0..n as u32).collect(),
    };
    let adj = g.out_adj();
    let chunk = (sources.len() / (rayon::current_num_threads() * 64)).clamp(1, 64);
    let parts = per_worker(
        &sources,
        chunk,
        || Brandes::new(n, adj.entries()),
        |ws, &s| ws.run(adj, s),
        progress,
    );
    let mut bc = vec![0.0; n];
    for ws in parts {
        for (a, b) in bc.iter_mut().zip(&ws.bc[..n]) {
            *a += b;
        }
    }
    if n <= 2 {
        return bc;
    }
    let k = sources.len();
    let base = (n - 2) as f64;
    if k == n {
        let scale = 1.0 / ((n - 1) as f64 * base);
        bc.iter_mut().for_each(|b| *b *= scale);
    } else {
        let scale_source = if k > 1 {
            1.0 / ((k - 1) as f64 * base)
        } else {
            f64::NAN
        };
        let scale_other = 1.0 / (k as f64 * base);
        let mut is_source = vec![false; n];
        for &s in &sources {
            is_source[s as usize] = true;
        }
        for (v, b) in bc.iter_mut().enumerate() {
            *b *= if is_source[v] {
                scale_source
            } else {
                scale_other
            };
        }
    }
    bc
}

const LANES: usize = 4;
const BATCH: usize = 64 * LANES;
type Bits = [u64; LANES];

struct MsBfs {
    seen: Vec<Bits>,
    frontier: Vec<Bits>,
    next: Vec<Bits>,
    out: Vec<(u32, f64)>,
}

impl MsBfs {
    fn new(n: usize) -> Self {
        MsBfs {
            seen: vec![[0; LANES]; n],
            frontier: vec![[0; LANES]; n],
            next: vec![[0; LANES]; n],
            out: Vec::new(),
        }
    }

    /// Closeness of the sources `first..first+count`; `pull` lists, for each node, the nodes whose
    /// frontier reaches it in one step.
    fn run(&mut self, pull: &Csr, first: u32, count: usize, n: usize) {
        let MsBfs {
            seen,
            frontier,
            next,
            out,
        } = self;
        seen.iter_mut().for_each(|b| *b = [0; LANES]);
        frontier.iter_mut().for_each(|b| *b = [0; LANES]);
        let mut sums = [0u64; BATCH];
        let mut reach = [1u64; BATCH];
        for i in 0..count {
            let s = first as usize + i;
            seen[s][i / 64] |= 1 << (i % 64);
            frontier[s][i / 64] |= 1 << (i % 64);
        }
        let mut full: Bits = [0; LANES];
        for (i, word) in full.iter_mut().enumerate() {
            let lo = i * 64;
            *word = match count.saturating_sub(lo) {
                0 => 0,
                c if c >= 64 => u64::MAX,
                c => (1u64 << c) - 1,
            };
        }
        let mut d = 1u64;
        loop {
            let mut any = false;
            for v in 0..n {
                let sv = seen[v];
                if sv == full {
                    next[v] = [0; LANES];
                    continue;
                }
                let mut x: Bits = [0; LANES];
                for &u in pull.neighbors(v as u32) {
                    let f = &frontier[u as usize];
                    for k in 0..LANES {
                        x[k] |= f[k];
                    }
                }
                let mut nonzero = false;
                for k in 0..LANES {
                    x[k] &= !sv[k];
                    nonzero |= x[k] != 0;
                }
                next[v] = x;
                if nonzero {
                    any = true;
                    for k in 0..LANES {
                        seen[v][k] |= x[k];
                        let mut bits = x[k];
                        while bits != 0 {
                            let b = bits.trailing_zeros() as usize + 64 * k;
                            sums[b] += d;
                            reach[b] += 1;
                            bits &= bits - 1;
                        }
                    }
                }
            }
            if !any {
                break;
            }
            std::mem::swap(frontier, next);
            d += 1;
        }
        for i in 0..count {
            let (r, tot) = (reach[i] as f64, sums[i] as f64);
            let c = if tot > 0.0 && n > 1 {
                (r - 1.0) / tot * ((r - 1.0) / (n as f64 - 1.0))
            } else {
                0.0
            };
            out.push((first + i as u32, c));
        }
    }
}

/// Closeness centrality as `nx.closeness_centrality(G)` (hops, `wf_improved=True`): for a node
/// reaching r nodes (itself included) at total distance D, (r−1)/D · (r−1)/(n−1). For directed
/// graphs distances are measured *to* the node (incoming), as NetworkX does.
pub fn closeness(g: &Graph, progress: &Progress) -> Vec<f64> {
    let n = g.node_count();
    // To grow the BFS ball backwards along in-edges we pull from out-neighbors; undirected
    // graphs have one adjacency.
    let pull = g.out_adj();
    let batches: Vec<(u32, usize)> = (0..n)
        .step_by(BATCH)
        .map(|first| (first as u32, BATCH.min(n - first)))
        .collect();
    let parts = per_worker(
        &batches,
        1,
        || MsBfs::new(n),
        |ws, &(first, count)| {
            ws.run(pull, first, count, n);
            // Progress counts nodes, not batches.
            progress.advance(count);
        },
        &Progress::hidden(),
    );
    let mut c = vec![0.0; n];
    for ws in parts {
        for (v, x) in ws.out {
            c[v as usize] = x;
        }
    }
    c
}

/// Eigenvector centrality as `nx.eigenvector_centrality(G)`: power iteration on (A + I) from the
/// uniform vector, Euclidean normalization, stop when the L1 change is below n·tol. Unweighted,
/// as NetworkX's default; for directed graphs the in-edges count (left eigenvector). Returns
/// `None` if it does not converge within `max_iter` iterations.
pub fn eigenvector(g: &Graph, max_iter: usize, tol: f64) -> Option<Vec<f64>> {
    let n = g.node_count();
    if n == 0 {
        return Some(Vec::new());
    }
    let inn = g.in_adj();
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..max_iter {
        next.par_iter_mut()
            .with_min_len(4096)
            .enumerate()
            .for_each(|(v, out)| {
                let mut acc = x[v];
                for &u in inn.neighbors(v as u32) {
                    acc += x[u as usize];
                }
                *out = acc;
            });
        let norm = next.iter().map(|a| a * a).sum::<f64>().sqrt();
        let norm = if norm == 0.0 { 1.0 } else { norm };
        let mut change = 0.0;
        for (a, b) in next.iter_mut().zip(&x) {
            *a /= norm;
            change += (*a - b).abs();
        }
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * tol {
            return Some(x);
        }
    }
    None
}

/// PageRank as `nx.pagerank(G, alpha)`: weighted by tie strength when the graph has weights,
/// undirected edges count both ways, dangling nodes spread uniformly, stop when the L1 change is
/// below n·tol. Returns `None` if it does not converge within `max_iter` iterations.
pub fn pagerank(g: &Graph, alpha: f64, max_iter: usize, tol: f64) -> Option<Vec<f64>> {
    let n = g.node_count();
    if n == 0 {
        return Some(Vec::new());
    }
    let out = g.out_adj();
    let inn = g.in_adj();
    let strength: Vec<f64> = (0..n as u32)
        .map(|v| match out.weights(v) {
            Some(w) => w.iter().sum(),
            None => out.len_of(v) as f64,
        })
        .collect();
    let nf = n as f64;
    let mut x = vec![1.0 / nf; n];
    let mut y = vec![0.0; n];
    let mut next = vec![0.0; n];
    for _ in 0..max_iter {
        let mut dangling = 0.0;
        for v in 0..n {
            if strength[v] != 0.0 {
                y[v] = x[v] / strength[v];
            } else {
                y[v] = 0.0;
                dangling += x[v];
            }
        }
        let base = alpha * dangling / nf + (1.0 - alpha) / nf;
        next.par_iter_mut()
            .with_min_len(4096)
            .enumerate()
            .for_each(|(v, o)| {
                let v32 = v as u32;
                let mut acc = 0.0;
                match inn.weights(v32) {
                    Some(w) => {
                        for (&u, &wu) in inn.neighbors(v32).iter().zip(w) {
                            acc += y[u as usize] * wu;
                        }
                    }
                    None => {
                        for &u in inn.neighbors(v32) {
                            acc += y[u as usize];
                        }
                    }
                }
                *o = alpha * acc + base;
            });
        let err: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if err < nf * tol {
            return Some(x);
        }
    }
    None
}
