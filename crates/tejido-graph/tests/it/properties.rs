//! Properties on random graphs: betweenness sums to the path-length identity, results do not
//! depend on node order or thread count, the bitset closeness equals plain BFS, and the sampled
//! estimate with every node as a pivot is the exact value.

use std::collections::VecDeque;

use proptest::prelude::*;
use tejido_graph::centrality;
use tejido_graph::progress::Progress;
use tejido_graph::report::{analyze, Options};
use tejido_graph::{Graph, GraphBuilder};

fn build(n: usize, edges: &[(usize, usize)], directed: bool, order: &[usize]) -> Graph {
    let mut b = GraphBuilder::new(directed);
    for &v in order {
        b.add_node(&format!("n{v}"));
    }
    for &(s, t) in edges {
        b.add_edge(&format!("n{}", s % n), &format!("n{}", t % n), None);
    }
    b.build()
}

fn bfs(g: &Graph, s: u32) -> Vec<Option<u32>> {
    let mut d = vec![None; g.node_count()];
    d[s as usize] = Some(0);
    let mut q = VecDeque::from([s]);
    while let Some(v) = q.pop_front() {
        for &w in g.out_adj().neighbors(v) {
            if d[w as usize].is_none() {
                d[w as usize] = Some(d[v as usize].unwrap() + 1);
                q.push_back(w);
            }
        }
    }
    d
}

fn arb_graph() -> impl Strategy<Value = (usize, Vec<(usize, usize)>, bool)> {
    (3usize..40).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec((0..n, 0..n), 0..(3 * n)),
            any::<bool>(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn betweenness_sums_to_path_lengths((n, edges, directed) in arb_graph()) {
        let order: Vec<usize> = (0..n).collect();
        let g = build(n, &edges, directed, &order);
        let bc = centrality::betweenness(&g, None, &Progress::hidden());
        let total: f64 = bc.iter().sum::<f64>() * ((n - 1) * (n - 2)) as f64;
        let mut want = 0.0;
        for s in 0..n as u32 {
            for d in bfs(&g, s).into_iter().flatten() {
                if d > 1 {
                    want += (d - 1) as f64;
                }
            }
        }
        prop_assert!((total - want).abs() < 1e-7 * want.max(1.0), "{} vs {}", total, want);
    }

    #[test]
    fn closeness_equals_plain_bfs((n, edges, directed) in arb_graph()) {
        let order: Vec<usize> = (0..n).collect();
        let g = build(n, &edges, directed, &order);
        let c = centrality::closeness(&g, &Progress::hidden());
        for v in 0..n as u32 {
            // Incoming distances: BFS from every u and read the distance to v.
            let (mut r, mut tot) = (1.0, 0.0);
            for u in 0..n as u32 {
                if u != v {
                    if let Some(d) = bfs(&g, u)[v as usize] {
                        r += 1.0;
                        tot += d as f64;
                    }
                }
            }
            let want = if tot > 0.0 { (r - 1.0) / tot * (r - 1.0) / (n as f64 - 1.0) } else { 0.0 };
            prop_assert!((c[v as usize] - want).abs() < 1e-12);
        }
    }

    #[test]
    fn measures_do_not_depend_on_node_order((n, edges, directed) in arb_graph(), seed in any::<u64>()) {
        let order: Vec<usize> = (0..n).collect();
        let mut shuffled = order.clone();
        tejido_graph::rng::SplitMix64::new(seed).shuffle(&mut shuffled);
        let a = analyze(&build(n, &edges, directed, &order), &Options::default()).unwrap();
        let b = analyze(&build(n, &edges, directed, &shuffled), &Options::default()).unwrap();
        for x in a.nodes.iter() {
            let y = b.nodes.iter().find(|y| y.id == x.id).unwrap();
            prop_assert_eq!(x.degree, y.degree);
            for (p, q) in [
                (x.betweenness, y.betweenness), (x.closeness, y.closeness), (x.clustering, y.clustering),
                (x.eigenvector, y.eigenvector), (x.pagerank, y.pagerank), (x.constraint, y.constraint),
                (x.effective_size, y.effective_size),
            ] {
                let (p, q) = (p.unwrap(), q.unwrap());
                prop_assert!((p.is_nan() && q.is_nan()) || (p - q).abs() < 1e-9, "{}: {} vs {}", x.id, p, q);
            }
        }
        prop_assert_eq!(a.graph.components, b.graph.components);
        prop_assert!((a.graph.transitivity.unwrap() - b.graph.transitivity.unwrap()).abs() < 1e-12);
    }

    #[test]
    fn thread_count_does_not_change_results((n, edges, directed) in arb_graph()) {
        let order: Vec<usize> = (0..n).collect();
        let g = build(n, &edges, directed, &order);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let one = pool.install(|| (centrality::betweenness(&g, None, &Progress::hidden()), centrality::closeness(&g, &Progress::hidden())));
        let many = (centrality::betweenness(&g, None, &Progress::hidden()), centrality::closeness(&g, &Progress::hidden()));
        for (a, b) in one.0.iter().zip(&many.0).chain(one.1.iter().zip(&many.1)) {
            prop_assert!((a - b).abs() < 1e-12);
        }
    }

    #[test]
    fn pagerank_sums_to_one((n, edges, directed) in arb_graph()) {
        let order: Vec<usize> = (0..n).collect();
        let g = build(n, &edges, directed, &order);
        let p = centrality::pagerank(&g, 0.85, 1000, 1e-10).unwrap();
        prop_assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    }
}

#[test]
fn sampled_betweenness_with_all_pivots_is_exact_and_with_fewer_is_close() {
    let edges: Vec<(usize, usize)> = (0..200)
        .flat_map(|i| [(i, (i * 7 + 3) % 200), (i, (i + 1) % 200)])
        .collect();
    let order: Vec<usize> = (0..200).collect();
    let g = build(200, &edges, false, &order);
    let exact = centrality::betweenness(&g, None, &Progress::hidden());
    let all = centrality::betweenness(&g, Some((200, 1)), &Progress::hidden());
    for (a, b) in exact.iter().zip(&all) {
        assert!((a - b).abs() < 1e-12, "k = n is the exact computation");
    }
    let est = centrality::betweenness(&g, Some((150, 1)), &Progress::hidden());
    let (se, ss): (f64, f64) = (exact.iter().sum(), est.iter().sum());
    assert!(
        (se - ss).abs() / se < 0.1,
        "sampled total {ss} vs exact {se}"
    );
    let again = centrality::betweenness(&g, Some((150, 1)), &Progress::hidden());
    for (a, b) in est.iter().zip(&again) {
        assert!((a - b).abs() < 1e-12, "same seed, same pivots");
    }
}
