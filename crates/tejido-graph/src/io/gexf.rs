//! GEXF: `<nodes>` with optional `<attvalues>`, `<edges>` with a `weight` attribute, and
//! `defaultedgetype` for direction. A node's `label` is kept as an attribute when it differs
//! from its id.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use super::xml::{self, Element};
use crate::error::{LineError, Result};
use crate::graph::{Attributes, Graph, GraphBuilder};

/// Whether the document's graph says `defaultedgetype="directed"`.
pub fn declares_directed(text: &str) -> bool {
    xml::parse(text)
        .ok()
        .and_then(|root| {
            root.children_named("graph")
                .next()
                .and_then(|g| g.attr("defaultedgetype"))
                .map(|d| d == "directed")
        })
        .unwrap_or(false)
}

fn attvalues(el: &Element, titles: &HashMap<(String, String), String>, class: &str) -> Attributes {
    let mut out = Attributes::new();
    for av in el
        .children_named("attvalues")
        .flat_map(|a| a.children_named("attvalue"))
    {
        if let (Some(f), Some(v)) = (av.attr("for").or(av.attr("id")), av.attr("value")) {
            let name = titles
                .get(&(class.to_owned(), f.to_owned()))
                .cloned()
                .unwrap_or_else(|| f.to_owned());
            out.insert(name, v.to_owned());
        }
    }
    out
}

/// Parse GEXF into a builder.
pub fn read(text: &str, b: &mut GraphBuilder) -> std::result::Result<(), Vec<LineError>> {
    let root = xml::parse(text).map_err(|e| vec![e])?;
    if root.name != "gexf" {
        return Err(vec![LineError {
            line: root.line,
            message: format!("expected <gexf>, found <{}>", root.name),
        }]);
    }
    let Some(graph) = root.children_named("graph").next() else {
        return Err(vec![LineError {
            line: root.line,
            message: "no <graph> element".into(),
        }]);
    };
    let mut titles = HashMap::new();
    for attrs in graph.children_named("attributes") {
        let class = attrs.attr("class").unwrap_or("node").to_owned();
        for a in attrs.children_named("attribute") {
            if let Some(id) = a.attr("id") {
                titles.insert(
                    (class.clone(), id.to_owned()),
                    a.attr("title").unwrap_or(id).to_owned(),
                );
            }
        }
    }
    let mut errors = Vec::new();
    for node in graph
        .children_named("nodes")
        .flat_map(|n| n.children_named("node"))
    {
        let Some(id) = node.attr("id") else {
            errors.push(LineError {
                line: node.line,
                message: "<node> without id".into(),
            });
            continue;
        };
        let mut attrs = attvalues(node, &titles, "node");
        if let Some(label) = node.attr("label").filter(|l| *l != id) {
            attrs.insert("label".into(), label.to_owned());
        }
        b.add_node_with(id, attrs);
    }
    for edge in graph
        .children_named("edges")
        .flat_map(|n| n.children_named("edge"))
    {
        let (Some(s), Some(t)) = (edge.attr("source"), edge.attr("target")) else {
            errors.push(LineError {
                line: edge.line,
                message: "<edge> without source or target".into(),
            });
            continue;
        };
        let weight = match edge.attr("weight").map(super::parse_weight).transpose() {
            Ok(w) => w,
            Err(message) => {
                errors.push(LineError {
                    line: edge.line,
                    message,
                });
                continue;
            }
        };
        let mut attrs = attvalues(edge, &titles, "edge");
        if let Some(label) = edge.attr("label") {
            attrs.insert("label".into(), label.to_owned());
        }
        b.add_edge_with(s, t, weight, attrs);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Write GEXF 1.2 with string attributes.
pub fn write(g: &Graph, out: &mut dyn Write) -> Result<()> {
    let nkeys: Vec<&String> = (0..g.node_count() as u32)
        .flat_map(|v| g.node_attrs(v).keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let ekeys: Vec<&String> = (0..g.edge_count())
        .filter_map(|i| g.edge_attrs(i))
        .flat_map(|a| a.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut w = std::io::BufWriter::new(out);
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">"#
    )?;
    let dir = if g.is_directed() {
        "directed"
    } else {
        "undirected"
    };
    writeln!(w, r#"  <graph defaultedgetype="{dir}" mode="static">"#)?;
    for (class, keys) in [("node", &nkeys), ("edge", &ekeys)] {
        if keys.is_empty() {
            continue;
        }
        writeln!(w, r#"    <attributes class="{class}">"#)?;
        for (i, k) in keys.iter().enumerate() {
            writeln!(
                w,
                r#"      <attribute id="{i}" title="{}" type="string"/>"#,
                xml::escape(k)
            )?;
        }
        writeln!(w, "    </attributes>")?;
    }
    writeln!(w, "    <nodes>")?;
    for v in 0..g.node_count() as u32 {
        let id = xml::escape(g.id(v));
        write!(w, r#"      <node id="{id}" label="{id}">"#)?;
        write_attvalues(&mut w, &nkeys, g.node_attrs(v))?;
        writeln!(w, "</node>")?;
    }
    writeln!(w, "    </nodes>\n    <edges>")?;
    for (i, &(s, t, wt)) in g.edges().iter().enumerate() {
        write!(
            w,
            r#"      <edge id="{i}" source="{}" target="{}""#,
            xml::escape(g.id(s)),
            xml::escape(g.id(t))
        )?;
        if g.is_weighted() {
            write!(w, r#" weight="{wt}""#)?;
        }
        write!(w, ">")?;
        if let Some(a) = g.edge_attrs(i) {
            write_attvalues(&mut w, &ekeys, a)?;
        }
        writeln!(w, "</edge>")?;
    }
    writeln!(w, "    </edges>\n  </graph>\n</gexf>")?;
    w.flush()?;
    Ok(())
}

fn write_attvalues(w: &mut dyn Write, keys: &[&String], attrs: &Attributes) -> Result<()> {
    if attrs.is_empty() {
        return Ok(());
    }
    write!(w, "<attvalues>")?;
    for (k, v) in attrs {
        if let Some(i) = keys.iter().position(|key| *key == k) {
            write!(w, r#"<attvalue for="{i}" value="{}"/>"#, xml::escape(v))?;
        }
    }
    write!(w, "</attvalues>")?;
    Ok(())
}
