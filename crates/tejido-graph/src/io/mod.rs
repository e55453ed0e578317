//! Reading and writing graphs. Every reader checks the whole input and reports every malformed
//! line with its number; a graph is returned only when there were none.

pub mod csv;
pub mod edgelist;
pub mod gexf;
pub mod graphml;
pub mod json;
mod xml;

use std::io::Write;
use std::path::Path;
use std::str::FromStr;

use crate::error::{GraphError, LineError, Result};
use crate::graph::{Graph, GraphBuilder};

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Guess from the file extension.
    Auto,
    /// Whitespace-separated `source target [weight]`, `#` comments.
    EdgeList,
    /// CSV with a header: `source,target[,weight]` plus attribute columns.
    Csv,
    /// GraphML.
    GraphMl,
    /// GEXF.
    Gexf,
    /// NetworkX node-link JSON (write only).
    Json,
}

impl FromStr for Format {
    type Err = GraphError;
    fn from_str(s: &str) -> Result<Format> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "auto" => Format::Auto,
            "edgelist" | "edges" | "txt" => Format::EdgeList,
            "csv" => Format::Csv,
            "graphml" => Format::GraphMl,
            "gexf" => Format::Gexf,
            "json" => Format::Json,
            other => {
                return Err(GraphError::InvalidArgument(format!(
                    "unknown format {other:?}"
                )))
            }
        })
    }
}

impl Format {
    /// The format a file name suggests (edge list when nothing else fits).
    pub fn from_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Format::Csv,
            Some("graphml") | Some("xml") => Format::GraphMl,
            Some("gexf") => Format::Gexf,
            Some("json") => Format::Json,
            _ => Format::EdgeList,
        }
    }
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| GraphError::Io {
        path: path.display().to_string(),
        source,
    })
}

pub(crate) fn parse_error(source_name: &str, errors: Vec<LineError>) -> GraphError {
    GraphError::Parse {
        source_name: source_name.to_owned(),
        errors,
    }
}

/// Parse a finite weight.
pub(crate) fn parse_weight(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(w) if w.is_finite() => Ok(w),
        Ok(_) => Err(format!("weight {s:?} is not finite")),
        Err(_) => Err(format!("weight {s:?} is not a number")),
    }
}

/// Read a graph from a file, optionally with a CSV node file (`id` column plus attributes)
/// whose nodes come first, in file order. `directed` forces a directed graph; GraphML and GEXF
/// files may also declare themselves directed.
pub fn read_path(
    path: &Path,
    format: Format,
    nodes: Option<&Path>,
    directed: bool,
) -> Result<Graph> {
    let format = if format == Format::Auto {
        Format::from_path(path)
    } else {
        format
    };
    let text = read_text(path)?;
    let node_text = nodes.map(read_text).transpose()?;
    let name = path.display().to_string();
    let node_name = nodes.map(|p| p.display().to_string()).unwrap_or_default();
    read_str(
        &text,
        &name,
        format,
        node_text.as_deref().map(|t| (t, node_name.as_str())),
        directed,
    )
}

/// Read a graph from text; `nodes` is an optional node CSV with its display name.
pub fn read_str(
    text: &str,
    name: &str,
    format: Format,
    nodes: Option<(&str, &str)>,
    directed: bool,
) -> Result<Graph> {
    // Spreadsheet exports often start with a byte-order mark; it is not part of the first id.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let nodes = nodes.map(|(t, n)| (t.strip_prefix('\u{feff}').unwrap_or(t), n));
    let directed = directed
        || match format {
            Format::GraphMl => graphml::declares_directed(text),
            Format::Gexf => gexf::declares_directed(text),
            _ => false,
        };
    let mut b = GraphBuilder::new(directed);
    if let Some((node_text, node_name)) = nodes {
        csv::read_nodes(node_text, &mut b).map_err(|e| parse_error(node_name, e))?;
    }
    let res = match format {
        Format::Auto | Format::EdgeList => edgelist::read(text, &mut b),
        Format::Csv => csv::read_edges(text, &mut b),
        Format::GraphMl => graphml::read(text, &mut b),
        Format::Gexf => gexf::read(text, &mut b),
        Format::Json => {
            return Err(GraphError::InvalidArgument(
                "JSON is an output format only".into(),
            ));
        }
    };
    res.map_err(|e| parse_error(name, e))?;
    Ok(b.build())
}

/// Write a graph in one of the formats.
pub fn write(g: &Graph, format: Format, out: &mut dyn Write) -> Result<()> {
    match format {
        Format::Auto | Format::EdgeList => edgelist::write(g, out),
        Format::Csv => csv::write_edges(g, out),
        Format::GraphMl => graphml::write(g, out),
        Format::Gexf => gexf::write(g, out),
        Format::Json => json::write(g, out),
    }
}
