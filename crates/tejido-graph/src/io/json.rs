//! NetworkX node-link JSON (`nx.node_link_data` with `edges="links"`), write only.

use std::io::Write;

use serde_json::{json, Map, Value};

use crate::error::Result;
use crate::graph::Graph;

/// The node-link document as a JSON value.
pub fn node_link(g: &Graph) -> Value {
    let nodes: Vec<Value> = (0..g.node_count() as u32)
        .map(|v| {
            let mut m = Map::new();
            for (k, val) in g.node_attrs(v) {
                m.insert(k.clone(), Value::String(val.clone()));
            }
            m.insert("id".into(), Value::String(g.id(v).to_owned()));
            Value::Object(m)
        })
        .collect();
    let links: Vec<Value> = g
        .edges()
        .iter()
        .enumerate()
        .map(|(i, &(s, t, w))| {
            let mut m = Map::new();
            if let Some(a) = g.edge_attrs(i) {
                for (k, val) in a {
                    m.insert(k.clone(), Value::String(val.clone()));
                }
            }
            m.insert("source".into(), Value::String(g.id(s).to_owned()));
            m.insert("target".into(), Value::String(g.id(t).to_owned()));
            if g.is_weighted() {
                m.insert("weight".into(), json!(w));
            }
            Value::Object(m)
        })
        .collect();
    json!({ "directed": g.is_directed(), "multigraph": false, "graph": {}, "nodes": nodes, "links": links })
}

/// Write node-link JSON.
pub fn write(g: &Graph, out: &mut dyn Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, &node_link(g))?;
    writeln!(out)?;
    Ok(())
}
