//! Local clustering, average clustering and transitivity, as NetworkX computes them (unweighted;
//! self-loops ignored; directed graphs use Fagiolo's definition for local clustering, and
//! transitivity is taken on the underlying undirected graph).

use crate::graph::{Csr, Graph};
use crate::par::per_worker;
use crate::progress::Progress;

/// For each node of an undirected adjacency: (twice the number of triangles through it, its
/// degree without self-loops).
///
/// Each triangle is found once: edges are oriented from lower to higher (degree, id) rank, and
/// for every node u and forward neighbor v the forward neighbors of v that are also forward
/// neighbors of u close a triangle. Hubs then have short forward lists, which keeps the work
/// near O(m·√m) instead of Σ deg².
pub fn triangle_counts(adj: &Csr) -> Vec<(u64, u64)> {
    let n = adj.offsets_len();
    let deg: Vec<u32> = (0..n as u32)
        .map(|v| adj.neighbors(v).iter().filter(|&&u| u != v).count() as u32)
        .collect();
    let higher = |u: u32, v: u32| (deg[v as usize], v) > (deg[u as usize], u);
    let mut off = Vec::with_capacity(n + 1);
    off.push(0usize);
    let mut fwd: Vec<u32> = Vec::with_capacity(adj.entries() / 2 + 1);
    for u in 0..n as u32 {
        fwd.extend(adj.neighbors(u).iter().copied().filter(|&v| higher(u, v)));
        off.push(fwd.len());
    }
    let nodes: Vec<u32> = (0..n as u32).collect();
    let parts = per_worker(
        &nodes,
        512,
        || (vec![u32::MAX; n], vec![0u64; n]),
        |(mark, tri), &u| {
            let fu = &fwd[off[u as usize]..off[u as usize + 1]];
            if fu.len() < 2 {
                return;
            }
            for &v in fu {
                mark[v as usize] = u;
            }
            for &v in fu {
                for &w in &fwd[off[v as usize]..off[v as usize + 1]] {
                    if mark[w as usize] == u {
                        tri[u as usize] += 1;
                        tri[v as usize] += 1;
                        tri[w as usize] += 1;
                    }
                }
            }
        },
        &Progress::hidden(),
    );
    let mut total = vec![0u64; n];
    for (_, tri) in parts {
        for (t, x) in total.iter_mut().zip(tri) {
            *t += x;
        }
    }
    total
        .into_iter()
        .zip(deg)
        .map(|(t, d)| (2 * t, u64::from(d)))
        .collect()
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
