//! Burt's structural holes: effective size and constraint, with the formulas of NetworkX's
//! `effective_size` / `constraint` / `local_constraint` and their default `weight=None` (every tie
//! has strength 1; for directed graphs a pair's "mutual weight" is 1 per direction present).
//!
//! Two deliberate choices where NetworkX 3.6 is inconsistent with itself: self-loops are ignored
//! (its vectorized and per-node code paths treat them differently), and a node is undefined
//! (`NaN`) only when it has no neighbor at all (the per-node path also gives `NaN` to directed
//! nodes without successors). Its vectorized path also truncates mutual weights on directed
//! graphs; the fixtures use the per-node formulas, which are the documented ones.

use crate::graph::{merge_sorted, Graph};
use crate::par::per_worker;
use crate::progress::Progress;

/// All neighbors (in and out, a self-loop included) with their mutual weights.
struct Mutual {
    off: Vec<usize>,
    nbr: Vec<u32>,
    mw: Vec<f64>,
    sum: Vec<f64>,
    max: Vec<f64>,
}

impl Mutual {
    fn new(g: &Graph) -> Mutual {
        let n = g.node_count();
        let (out, inn) = (g.out_adj(), g.in_adj());
        let mut off = Vec::with_capacity(n + 1);
        off.push(0);
        let mut nbr = Vec::new();
        let mut mw = Vec::new();
        let mut buf = Vec::new();
        let (mut sum, mut max) = (vec![0.0; n], vec![0.0f64; n]);
        for u in 0..n as u32 {
            buf.clear();
            if g.is_directed() {
                merge_sorted(out.neighbors(u), inn.neighbors(u), &mut buf);
            } else {
                buf.extend_from_slice(out.neighbors(u));
            }
            for &v in &buf {
                if v == u {
                    continue;
                }
                let w = if g.is_directed() {
                    f64::from(u8::from(out.contains(u, v)) + u8::from(inn.contains(u, v)))
                } else {
                    2.0
                };
                nbr.push(v);
                mw.push(w);
                sum[u as usize] += w;
                max[u as usize] = max[u as usize].max(w);
            }
            off.push(nbr.len());
        }
        Mutual {
            off,
            nbr,
            mw,
            sum,
            max,
        }
    }

    fn row(&self, u: u32) -> (&[u32], &[f64]) {
        let (a, b) = (self.off[u as usize], self.off[u as usize + 1]);
        (&self.nbr[a..b], &self.mw[a..b])
    }
}

/// Burt's constraint of every node.
pub fn constraint(g: &Graph) -> Vec<f64> {
    let n = g.node_count();
    let mu = Mutual::new(g);
    let nodes: Vec<u32> = (0..n as u32).collect();
    let parts = per_worker(
        &nodes,
        128,
        || (vec![0.0f64; n], Vec::<(u32, f64)>::new()),
        |(acc, out), &v| {
            let (nv, wv) = mu.row(v);
            if nv.is_empty() {
                out.push((v, f64::NAN));
                return;
            }
            let sv = mu.sum[v as usize];
            for (&w, &mvw) in nv.iter().zip(wv) {
                let pvw = mvw / sv;
                let (nw, ww) = mu.row(w);
                let sw = mu.sum[w as usize];
                for (&x, &mwx) in nw.iter().zip(ww) {
                    acc[x as usize] += pvw * (mwx / sw);
                }
            }
            let mut c = 0.0;
            for (&x, &mvx) in nv.iter().zip(wv) {
                let t = mvx / sv + acc[x as usize];
                c += t * t;
            }
            for &w in nv {
                for &x in mu.row(w).0 {
                    acc[x as usize] = 0.0;
                }
            }
            out.push((v, c));
        },
        &Progress::hidden(),
    );
    scatter(n, parts.into_iter().map(|p| p.1))
}

/// Burt's effective size of every node: Σ over neighbors u of (1 − Σ_w p(v,w)·m(u,w)), which for
/// undirected graphs equals Borgatti's n − 2t/n.
pub fn effective_size(g: &Graph) -> Vec<f64> {
    let n = g.node_count();
    let mu = Mutual::new(g);
    let nodes: Vec<u32> = (0..n as u32).collect();
    let parts = per_worker(
        &nodes,
        128,
        || (vec![0.0f64; n], Vec::<(u32, f64)>::new()),
        |(mark, out), &v| {
            let (nv, wv) = mu.row(v);
            if nv.is_empty() {
                out.push((v, f64::NAN));
                return;
            }
            let sv = mu.sum[v as usize];
            for (&w, &m) in nv.iter().zip(wv) {
                mark[w as usize] = m / sv;
            }
            let mut es = 0.0;
            for &u in nv {
                let (nu, wu) = mu.row(u);
                let mx = mu.max[u as usize];
                let mut r = 0.0;
                for (&x, &m) in nu.iter().zip(wu) {
                    r += mark[x as usize] * (m / mx);
                }
                es += 1.0 - r;
            }
            for &w in nv {
                mark[w as usize] = 0.0;
            }
            out.push((v, es));
        },
        &Progress::hidden(),
    );
    scatter(n, parts.into_iter().map(|p| p.1))
}

fn scatter(n: usize, parts: impl Iterator<Item = Vec<(u32, f64)>>) -> Vec<f64> {
    let mut res = vec![0.0; n];
    for part in parts {
        for (v, x) in part {
            res[v as usize] = x;
        }
    }
    res
}
