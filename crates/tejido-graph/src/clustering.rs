//! Local clustering, average clustering and transitivity, as NetworkX computes them (unweighted;
//! self-loops ignored; directed graphs use Fagiolo's definition for local clustering, and
//! transitivity is taken on the underlying undirected graph).

use crate::graph::{Csr, Graph};
use crate::par::per_worker;
use crate::progress::Progress;

/// For each node of an undirected adjacency: (twice the number of triangles through it, its
/// degree without self-loops).
pub fn triangle_counts(adj: &Csr) -> Vec<(u64, u64)> {
    let n = adj.offsets_len();
    let nodes: Vec<u32> = (0..n as u32).collect();
    let chunk = 256;
    let parts = per_worker(
        &nodes,
        chunk,
        || (vec![u32::MAX; n], Vec::<(u32, u64, u64)>::new()),
        |(mark, out), &v| {
            let mut d = 0u64;
            for &u in adj.neighbors(v) {
                if u != v {
                    mark[u as usize] = v;
                    d += 1;
                }
            }
            let mut cnt = 0u64;
            if d >= 2 {
                for &u in adj.neighbors(v) {
                    if u == v {
                        continue;
                    }
                    for &w in adj.neighbors(u) {
                        if w != u && mark[w as usize] == v {
                            cnt += 1;
                        }
                    }
                }
            }
            out.push((v, cnt, d));
        },
        &Progress::hidden(),
    );
    let mut res = vec![(0, 0); n];
    for (_, out) in parts {
        for (v, c, d) in out {
            res[v as usize] = (c, d);
        }
    }
    res
}

/// `nx.clustering(G)` for every node.
pub fn local_clustering(g: &Graph) -> Vec<f64> {
    if g.is_directed() {
        return directed_clustering(g);
    }
    triangle_counts(g.out_adj())
        .into_iter()
        .map(|(t, d)| {
            if t == 0 {
                0.0
            } else {
                t as f64 / (d * (d - 1)) as f64
            }
        })
        .collect()
}

/// `nx.average_clustering(G)`: the mean of local clustering over all nodes (0 for no nodes).
pub fn average_clustering(local: &[f64]) -> f64 {
    if local.is_empty() {
        0.0
    } else {
        local.iter().sum::<f64>() / local.len() as f64
    }
}

/// `nx.transitivity(G)`; for directed graphs, of `G.to_undirected()`.
pub fn transitivity(g: &Graph) -> f64 {
    let counts = if g.is_directed() {
        triangle_counts(&g.undirected_simple())
    } else {
        triangle_counts(g.out_adj())
    };
    let tri: u64 = counts.iter().map(|c| c.0).sum();
    let contri: u64 = counts.iter().map(|&(_, d)| d * d.saturating_sub(1)).sum();
    if tri == 0 {
        0.0
    } else {
        tri as f64 / contri as f64
    }
}

/// Fagiolo's directed clustering, as `nx.clustering` on a `DiGraph`.
fn directed_clustering(g: &Graph) -> Vec<f64> {
    let n = g.node_count();
    let (out, inn) = (g.out_adj(), g.in_adj());
    let nodes: Vec<u32> = (0..n as u32).collect();
    let parts = per_worker(
        &nodes,
        256,
        || (vec![0u8; n], Vec::<(u32, f64)>::new()),
        |(flags, res), &i| {
            let preds = inn.neighbors(i);
            let succs = out.neighbors(i);
            for &k in preds {
                if k != i {
                    flags[k as usize] |= 1;
                }
            }
            for &k in succs {
                if k != i {
                    flags[k as usize] |= 2;
                }
            }
            let mut t = 0u64;
            for &j in preds.iter().chain(succs) {
                if j == i {
                    continue;
                }
                for &k in inn.neighbors(j).iter().chain(out.neighbors(j)) {
                    if k != j {
                        t += u64::from(flags[k as usize].count_ones());
                    }
                }
            }
            let np = preds.iter().filter(|&&k| k != i).count() as u64;
            let ns = succs.iter().filter(|&&k| k != i).count() as u64;
            let nb = preds
                .iter()
                .filter(|&&k| k != i && flags[k as usize] == 3)
                .count() as u64;
            for &k in preds.iter().chain(succs) {
                flags[k as usize] = 0;
            }
            let dt = np + ns;
            let c = if t == 0 {
                0.0
            } else {
                t as f64 / (((dt * (dt - 1)) - 2 * nb) * 2) as f64
            };
            res.push((i, c));
        },
        &Progress::hidden(),
    );
    let mut c = vec![0.0; n];
    for (_, res) in parts {
        for (v, x) in res {
            c[v as usize] = x;
        }
    }
    c
}
