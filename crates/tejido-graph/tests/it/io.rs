//! Readers report every malformed line and produce nothing partial; writers round-trip.

use tejido_graph::io::{self, Format};
use tejido_graph::{Graph, GraphError};

use crate::support::{graph, load};

fn lines_of(err: GraphError) -> Vec<usize> {
    match err {
        GraphError::Parse { errors, .. } => errors.iter().map(|e| e.line).collect(),
        other => panic!("expected a parse error, got {other}"),
    }
}

#[test]
fn edgelist_with_comments_weights_and_duplicates() {
    let text = "# a comment\n\na b 2.5\nb c  # trailing comment\nb a 4\nc c\n";
    let g = io::read_str(text, "t", Format::EdgeList, None, false).unwrap();
    assert_eq!(g.node_count(), 3);
    assert_eq!(g.edge_count(), 3, "a-b given twice is one undirected edge");
    assert!(g.is_weighted());
    let (a, b) = (g.index_of("a").unwrap(), g.index_of("b").unwrap());
    assert_eq!(
        g.out_adj().weight_of(a, b),
        Some(4.0),
        "the later weight wins, as in NetworkX"
    );
    assert_eq!(
        g.degree(g.index_of("c").unwrap()),
        3,
        "a self-loop counts twice"
    );
    let d = io::read_str(text, "t", Format::EdgeList, None, true).unwrap();
    assert_eq!(d.edge_count(), 4, "directed a→b and b→a are two edges");
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_id() {
    let g = io::read_str(
        "\u{feff}source,target\na,b\n",
        "e.csv",
        Format::Csv,
        None,
        false,
    )
    .unwrap();
    assert!(g.index_of("a").is_some());
    let g = io::read_str("\u{feff}a b\n", "e.txt", Format::EdgeList, None, false).unwrap();
    assert!(g.index_of("a").is_some());
}

#[test]
fn every_malformed_edgelist_line_is_reported() {
    let text = "a b\nlonely\nc d x\ne f 1 2\ng h 1e400\ni j\n";
    let err = io::read_str(text, "bad.txt", Format::EdgeList, None, false).unwrap_err();
    let msg = err.to_string();
    assert_eq!(lines_of(err), vec![2, 3, 4, 5]);
    assert!(msg.contains("bad.txt") && msg.contains("line 3"), "{msg}");
}

#[test]
fn every_malformed_csv_line_is_reported() {
    let text = "source,target,weight,kind\na,b,1,x\nc,d\n\"e\",f,heavy,y\n,g,1,z\nh,\"i, j\",2,\"q\"\"uoted\"\n";
    let err = io::read_str(text, "e.csv", Format::Csv, None, false).unwrap_err();
    assert_eq!(lines_of(err), vec![3, 4, 5]);
    let ok = "source,target,weight,kind\na,b,1,x\nh,\"i, j\",2,\"q\"\"uoted\"\n";
    let g = io::read_str(ok, "e.csv", Format::Csv, None, false).unwrap();
    assert!(g.index_of("i, j").is_some());
    assert_eq!(g.edge_attrs(1).unwrap()["kind"], "q\"uoted");
    let err = io::read_str(
        "from,to\n",
        "e.csv",
        Format::Csv,
        Some(("id,x\n,1\nn,2,3\n", "n.csv")),
        false,
    )
    .unwrap_err();
    assert_eq!(lines_of(err), vec![2, 3]);
    let err = io::read_str("a,b\n1,2\n", "e.csv", Format::Csv, None, false).unwrap_err();
    assert_eq!(
        lines_of(err),
        vec![1],
        "a header without source/target is an error on line 1"
    );
}

#[test]
fn malformed_xml_is_reported_with_its_line() {
    let text = "<graphml>\n<graph edgedefault=\"undirected\">\n<node id=\"a\"/>\n<edge source=\"a\"/>\n<edge source=\"a\" target=\"b\"><data key=\"weight\">no</data></edge>\n</graph>\n</graphml>\n";
    let err = io::read_str(text, "g.graphml", Format::GraphMl, None, false).unwrap_err();
    assert_eq!(lines_of(err), vec![4, 5]);
    let err = io::read_str(
        "<graphml>\n<graph>\n</graphml>\n",
        "g.graphml",
        Format::GraphMl,
        None,
        false,
    )
    .unwrap_err();
    assert!(!lines_of(err).is_empty());
}

fn same_graph(a: &Graph, b: &Graph) {
    assert_eq!(a.node_count(), b.node_count());
    assert_eq!(a.edge_count(), b.edge_count());
    assert_eq!(a.is_directed(), b.is_directed());
    for v in 0..a.node_count() as u32 {
        let w = b.index_of(a.id(v)).expect("same ids");
        assert_eq!(
            a.node_attrs(v),
            b.node_attrs(w),
            "attributes of {}",
            a.id(v)
        );
        let mut na: Vec<(&str, f64)> = a
            .out_adj()
            .neighbors(v)
            .iter()
            .map(|&u| (a.id(u), a.out_adj().weight_of(v, u).unwrap()))
            .collect();
        let mut nb: Vec<(&str, f64)> = b
            .out_adj()
            .neighbors(w)
            .iter()
            .map(|&u| (b.id(u), b.out_adj().weight_of(w, u).unwrap()))
            .collect();
        na.sort_by(|x, y| x.0.cmp(y.0));
        nb.sort_by(|x, y| x.0.cmp(y.0));
        assert_eq!(na, nb, "neighbors of {}", a.id(v));
    }
}

#[test]
fn every_format_round_trips() {
    for name in ["karate", "directed", "disconnected", "davis_women"] {
        let g = graph(&load(name));
        for format in [Format::Csv, Format::GraphMl, Format::Gexf] {
            let mut buf = Vec::new();
            io::write(&g, format, &mut buf).unwrap();
            let text = String::from_utf8(buf).unwrap();
            let back = if format == Format::Csv {
                let mut nodes = Vec::new();
                io::csv::write_nodes(&g, &mut nodes).unwrap();
                let nodes = String::from_utf8(nodes).unwrap();
                io::read_str(&text, "x", format, Some((&nodes, "n")), g.is_directed()).unwrap()
            } else {
                io::read_str(&text, "x", format, None, false).unwrap()
            };
            same_graph(&g, &back);
        }
        if name != "davis_women" {
            let mut buf = Vec::new();
            io::write(&g, Format::EdgeList, &mut buf).unwrap();
            let back = io::read_str(
                std::str::from_utf8(&buf).unwrap(),
                "x",
                Format::EdgeList,
                None,
                g.is_directed(),
            )
            .unwrap();
            assert_eq!(back.edge_count(), g.edge_count());
        }
        let mut buf = Vec::new();
        io::write(&g, Format::Json, &mut buf).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v["nodes"].as_array().unwrap().len(), g.node_count());
        assert_eq!(v["links"].as_array().unwrap().len(), g.edge_count());
    }
}

#[test]
fn reads_graphml_and_gexf_written_by_networkx() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    let want = graph(&load("karate"));
    for file in ["karate.graphml", "karate.gexf"] {
        let path = std::path::Path::new(dir).join(file);
        let g = io::read_path(&path, Format::Auto, None, false).unwrap();
        assert_eq!(g.node_count(), want.node_count(), "{file}");
        assert_eq!(g.edge_count(), want.edge_count(), "{file}");
        for &(s, t, w) in want.edges() {
            let (a, b) = (
                g.index_of(want.id(s)).unwrap(),
                g.index_of(want.id(t)).unwrap(),
            );
            assert_eq!(
                g.out_adj().weight_of(a, b),
                Some(w),
                "{file}: edge {}-{}",
                want.id(s),
                want.id(t)
            );
        }
        assert_eq!(
            g.node_attr(g.index_of("0").unwrap(), "club"),
            Some("Mr. Hi"),
            "{file}"
        );
    }
    let d = io::read_path(
        &std::path::Path::new(dir).join("directed.graphml"),
        Format::Auto,
        None,
        false,
    )
    .unwrap();
    assert!(d.is_directed(), "edgedefault=directed is honoured");
}
