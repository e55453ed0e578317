//! Criterion benchmarks of the library on seeded Barabási–Albert graphs (m = 5). The graphs are
//! generated here with the crate's SplitMix64, so the benchmark needs no files; the side-by-side
//! comparison with igraph and NetworkX is `bench/compare.py`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use tejido_graph::community::{self, LouvainOptions};
use tejido_graph::io::{self, Format};
use tejido_graph::progress::Progress;
use tejido_graph::rng::SplitMix64;
use tejido_graph::{centrality, clustering, components, Graph};

/// Barabási–Albert edge list as text: each new node attaches to `m` distinct targets drawn
/// proportionally to degree (the repeated-nodes list of NetworkX's generator).
fn barabasi_albert(n: usize, m: usize, seed: u64) -> String {
    let mut rng = SplitMix64::new(seed);
    let mut repeated: Vec<usize> = Vec::with_capacity(2 * n * m);
    let mut targets: Vec<usize> = (0..m).collect();
    let mut text = String::new();
    for source in m..n {
        for &t in &targets {
            text.push_str(&format!("{source} {t}\n"));
            repeated.push(t);
            repeated.push(source);
        }
        targets.clear();
        while targets.len() < m {
            let t = repeated[rng.below(repeated.len())];
            if !targets.contains(&t) {
                targets.push(t);
            }
        }
    }
    text
}

fn bench(c: &mut Criterion) {
    for n in [1_000usize, 10_000] {
        let text = barabasi_albert(n, 5, 1);
        let g: Graph =
            io::read_str(&text, "ba", Format::EdgeList, None, false).expect("valid edge list");
        let mut group = c.benchmark_group(format!("ba_{n}"));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(if n > 1_000 { 20 } else { 3 }));
        group.bench_function("load_edgelist", |b| {
            b.iter(|| io::read_str(black_box(&text), "ba", Format::EdgeList, None, false))
        });
        group.bench_function("betweenness", |b| {
            b.iter(|| centrality::betweenness(black_box(&g), None, &Progress::hidden()))
        });
        group.bench_function("closeness", |b| {
            b.iter(|| centrality::closeness(black_box(&g), &Progress::hidden()))
        });
        group.bench_function("pagerank", |b| {
            b.iter(|| centrality::pagerank(black_box(&g), 0.85, 1000, 1e-6))
        });
        group.bench_function("eigenvector", |b| {
            b.iter(|| centrality::eigenvector(black_box(&g), 1000, 1e-6))
        });
        group.bench_function("clustering", |b| {
            b.iter(|| clustering::local_clustering(black_box(&g)))
        });
        group.bench_function("components", |b| {
            b.iter(|| components::connected_components(black_box(&g)))
        });
        group.bench_function("louvain", |b| {
            b.iter(|| {
                community::louvain(
                    black_box(&g),
                    &LouvainOptions {
                        seed: 1,
                        ..Default::default()
                    },
                )
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
