//! The report `tejido sna` prints: the JSON object has the promised keys, CSV has one row per
//! node, and measures can be chosen by name.

use tejido_graph::report::{analyze, write_report, Measure, Options, OutputFormat};

use crate::support::{graph, load};

#[test]
fn json_report_has_every_promised_field() {
    let g = graph(&load("karate"));
    let r = analyze(&g, &Options::default()).unwrap();
    let mut buf = Vec::new();
    write_report(&r, OutputFormat::Json, &mut buf).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
    for key in [
        "nodes",
        "edges",
        "density",
        "transitivity",
        "average_clustering",
        "components",
        "degree_centralization",
        "modularity",
    ] {
        assert!(
            v["graph"][key].is_number(),
            "graph.{key} missing in {}",
            v["graph"]
        );
    }
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 34);
    for key in [
        "id",
        "degree",
        "degree_centrality",
        "betweenness",
        "closeness",
        "eigenvector",
        "pagerank",
        "clustering",
        "community",
    ] {
        assert!(
            !nodes[0][key].is_null(),
            "nodes[0].{key} missing in {}",
            nodes[0]
        );
    }
}

#[test]
fn csv_report_has_one_row_per_node() {
    let g = graph(&load("florentine"));
    let r = analyze(&g, &Options::default()).unwrap();
    let mut buf = Vec::new();
    write_report(&r, OutputFormat::Csv, &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + g.node_count());
    assert!(lines[0].starts_with("id,degree,degree_centrality,betweenness,closeness,eigenvector,pagerank,clustering,community"));
    let width = lines[0].split(',').count();
    assert!(lines.iter().all(|l| l.split(',').count() == width));
    // The isolated family's eigenvector centrality is ~1e-196: written with an exponent.
    assert!(text.split([',', '\n']).all(|f| f.len() < 32), "{text}");
    let g = graph(&load("disconnected"));
    let r = analyze(&g, &Options::default()).unwrap();
    let mut buf = Vec::new();
    write_report(&r, OutputFormat::Csv, &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    assert!(text.split([',', '\n']).all(|f| f.len() < 32), "{text}");
    assert!(
        text.contains("e-"),
        "tiny values use exponent notation: {text}"
    );
}

#[test]
fn measures_are_chosen_by_name() {
    let g = graph(&load("karate"));
    let opts = Options {
        measures: Measure::parse_list("pagerank, louvain").unwrap(),
        ..Options::default()
    };
    let r = analyze(&g, &opts).unwrap();
    assert!(r.graph.modularity.is_some() && r.graph.density.is_none());
    assert!(r.nodes.pagerank.is_some() && r.nodes.betweenness.is_none());
    assert!(Measure::parse_list("pagerank,bogus").is_err());
    let need_group = Options {
        measures: Measure::parse_list("brokerage").unwrap(),
        ..Options::default()
    };
    assert!(
        analyze(&g, &need_group).is_err(),
        "brokerage without a group attribute is an error"
    );
    let none = analyze(
        &g,
        &Options {
            measures: Measure::parse_list("none").unwrap(),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(none.graph.nodes, 34);
}
