//! Loading the committed fixtures (see fixtures/make_fixtures.py) as CSV text, so the tests go
//! through the same reader as `tejido sna --format csv --nodes …`.

use serde_json::Value;
use tejido_graph::io::{self, Format};
use tejido_graph::Graph;

pub const FIXTURES: [&str; 6] = [
    "karate",
    "florentine",
    "lesmis",
    "davis_women",
    "directed",
    "disconnected",
];

pub fn load(name: &str) -> Value {
    let path = format!("{}/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The fixture's nodes and edges as (nodes CSV, edges CSV).
pub fn as_csv(fx: &Value) -> (String, String) {
    let nodes = fx["nodes"].as_array().unwrap();
    let mut keys: Vec<String> = nodes
        .iter()
        .flat_map(|n| n["attrs"].as_object().unwrap().keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    let mut ncsv = String::from("id");
    for k in &keys {
        ncsv.push(',');
        ncsv.push_str(k);
    }
    ncsv.push('\n');
    for n in nodes {
        ncsv.push_str(&q(n["id"].as_str().unwrap()));
        for k in &keys {
            ncsv.push(',');
            ncsv.push_str(&q(n["attrs"][k].as_str().unwrap_or("")));
        }
        ncsv.push('\n');
    }
    let weighted = fx["weighted"].as_bool().unwrap();
    let mut ecsv = String::from(if weighted {
        "source,target,weight\n"
    } else {
        "source,target\n"
    });
    for e in fx["edges"].as_array().unwrap() {
        let e = e.as_array().unwrap();
        ecsv.push_str(&format!(
            "{},{}",
            q(e[0].as_str().unwrap()),
            q(e[1].as_str().unwrap())
        ));
        if weighted {
            ecsv.push_str(&format!(",{}", e[2].as_f64().unwrap()));
        }
        ecsv.push('\n');
    }
    (ncsv, ecsv)
}

pub fn graph(fx: &Value) -> Graph {
    let (ncsv, ecsv) = as_csv(fx);
    let directed = fx["directed"].as_bool().unwrap();
    io::read_str(
        &ecsv,
        "edges.csv",
        Format::Csv,
        Some((&ncsv, "nodes.csv")),
        directed,
    )
    .unwrap()
}

/// Assert two floats agree; `None` (JSON null) stands for NaN.
pub fn close(what: &str, got: f64, want: Option<f64>, tol: f64) {
    match want {
        None => assert!(got.is_nan(), "{what}: expected NaN/null, got {got}"),
        Some(w) => assert!(
            (got - w).abs() <= tol,
            "{what}: got {got}, NetworkX {w} (tolerance {tol})"
        ),
    }
}
