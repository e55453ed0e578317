//! GraphML: `<key>` declarations, `<node>` and `<edge>` with `<data>` children. The edge key
//! whose `attr.name` is `weight` is the tie strength; everything else becomes a string attribute.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use super::xml::{self, Element};
use crate::error::{LineError, Result};
use crate::graph::{Attributes, Graph, GraphBuilder};

/// Whether the document's graph says `edgedefault="directed"`.
pub fn declares_directed(text: &str) -> bool {
    xml::parse(text)
        .ok()
        .and_then(|root| {
            root.children_named("graph")
                .next()
                .and_then(|g| g.attr("edgedefault"))
                .map(|d| d == "directed")
        })
        .unwrap_or(false)
}

fn data(el: &Element, keys: &HashMap<String, String>) -> Attributes {
    el.children_named("data")
        .filter_map(|d| {
            let k = d.attr("key")?;
            Some((
                keys.get(k).cloned().unwrap_or_else(|| k.to_owned()),
                d.text.trim().to_owned(),
            ))
        })
        .collect()
}

/// Parse GraphML into a builder.
pub fn read(text: &str, b: &mut GraphBuilder) -> std::result::Result<(), Vec<LineError>> {
    let root = xml::parse(text).map_err(|e| vec![e])?;
    if root.name != "graphml" {
        return Err(vec![LineError {
            line: root.line,
            message: format!("expected <graphml>, found <{}>", root.name),
        }]);
    }
    let mut keys = HashMap::new();
    for k in root.children_named("key") {
        if let Some(id) = k.attr("id") {
            keys.insert(id.to_owned(), k.attr("attr.name").unwrap_or(id).to_owned());
        }
    }
    let Some(graph) = root.children_named("graph").next() else {
        return Err(vec![LineError {
            line: root.line,
            message: "no <graph> element".into(),
        }]);
    };
    let mut errors = Vec::new();
    for node in graph.children_named("node") {
        match node.attr("id") {
            Some(id) => {
                b.add_node_with(id, data(node, &keys));
            }
            None => errors.push(LineError {
                line: node.line,
                message: "<node> without id".into(),
            }),
        }
    }
    for edge in graph.children_named("edge") {
        let (Some(s), Some(t)) = (edge.attr("source"), edge.attr("target")) else {
            errors.push(LineError {
                line: edge.line,
                message: "<edge> without source or target".into(),
            });
            continue;
        };
        let mut attrs = data(edge, &keys);
        let weight = match attrs
            .remove("weight")
            .map(|w| super::parse_weight(&w))
            .transpose()
        {
            Ok(w) => w,
            Err(message) => {
                errors.push(LineError {
                    line: edge.line,
                    message,
                });
                continue;
            }
        };
        attrs.remove("id");
        b.add_edge_with(s, t, weight, attrs);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Write GraphML with string keys for attributes and a double `weight` key.
pub fn write(g: &Graph, out: &mut dyn Write) -> Result<()> {
    let nkeys: BTreeSet<&String> = (0..g.node_count() as u32)
        .flat_map(|v| g.node_attrs(v).keys())
        .collect();
    let ekeys: BTreeSet<&String> = (0..g.edge_count())
        .filter_map(|i| g.edge_attrs(i))
        .flat_map(|a| a.keys())
        .collect();
    let mut w = std::io::BufWriter::new(out);
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns">"#
    )?;
    let nid: HashMap<&String, String> = nkeys
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, format!("n{i}")))
        .collect();
    let eid: HashMap<&String, String> = ekeys
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, format!("e{i}")))
        .collect();
    for k in &nkeys {
        writeln!(
            w,
            r#"  <key id="{}" for="node" attr.name="{}" attr.type="string"/>"#,
            nid[k],
            xml::escape(k)
        )?;
    }
    for k in &ekeys {
        writeln!(
            w,
            r#"  <key id="{}" for="edge" attr.name="{}" attr.type="string"/>"#,
            eid[k],
            xml::escape(k)
        )?;
    }
    if g.is_weighted() {
        writeln!(
            w,
            r#"  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>"#
        )?;
    }
    let dir = if g.is_directed() {
        "directed"
    } else {
        "undirected"
    };
    writeln!(w, r#"  <graph edgedefault="{dir}">"#)?;
    for v in 0..g.node_count() as u32 {
        let attrs = g.node_attrs(v);
        if attrs.is_empty() {
            writeln!(w, r#"    <node id="{}"/>"#, xml::escape(g.id(v)))?;
        } else {
            writeln!(w, r#"    <node id="{}">"#, xml::escape(g.id(v)))?;
            for (k, val) in attrs {
                writeln!(
                    w,
                    r#"      <data key="{}">{}</data>"#,
                    nid[k],
                    xml::escape(val)
                )?;
            }
            writeln!(w, "    </node>")?;
        }
    }
    for (i, &(s, t, wt)) in g.edges().iter().enumerate() {
        let attrs = g.edge_attrs(i).filter(|a| !a.is_empty());
        write!(
            w,
            r#"    <edge source="{}" target="{}">"#,
            xml::escape(g.id(s)),
            xml::escape(g.id(t))
        )?;
        if g.is_weighted() {
            write!(w, r#"<data key="weight">{wt}</data>"#)?;
        }
        for (k, val) in attrs.into_iter().flatten() {
            write!(w, r#"<data key="{}">{}</data>"#, eid[k], xml::escape(val))?;
        }
        writeln!(w, "</edge>")?;
    }
    writeln!(w, "  </graph>\n</graphml>")?;
    w.flush()?;
    Ok(())
}
