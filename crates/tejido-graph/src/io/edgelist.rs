//! Whitespace edge lists: `source target [weight]` per line, `#` starts a comment.

use std::io::Write;

use crate::error::{GraphError, LineError, Result};
use crate::graph::{Graph, GraphBuilder};

/// Parse an edge list into a builder; every malformed line is reported.
pub fn read(text: &str, b: &mut GraphBuilder) -> std::result::Result<(), Vec<LineError>> {
    let mut errors = Vec::new();
    let lines = text.bytes().filter(|&c| c == b'\n').count() + 1;
    b.reserve(lines / 4, lines);
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("");
        let mut fields = line.split_ascii_whitespace();
        let Some(s) = fields.next() else { continue };
        let Some(t) = fields.next() else {
            errors.push(LineError {
                line: i + 1,
                message: "expected `source target [weight]`, found 1 field".into(),
            });
            continue;
        };
        let w = fields.next();
        let extra = fields.count();
        if extra > 0 {
            errors.push(LineError {
                line: i + 1,
                message: format!(
                    "expected `source target [weight]`, found {} fields",
                    3 + extra
                ),
            });
            continue;
        }
        let weight = match w.map(super::parse_weight).transpose() {
            Ok(w) => w,
            Err(message) => {
                errors.push(LineError {
                    line: i + 1,
                    message,
                });
                continue;
            }
        };
        if errors.is_empty() {
            b.add_edge(s, t, weight);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Write `source target [weight]` lines (weights only when the graph has them). Isolated nodes
/// cannot be expressed and are listed in a trailing comment.
pub fn write(g: &Graph, out: &mut dyn Write) -> Result<()> {
    for id in g.ids() {
        if id.is_empty() || id.contains(char::is_whitespace) || id.contains('#') {
            return Err(GraphError::InvalidArgument(format!(
                "node id {id:?} cannot be written to an edge list (whitespace or #)"
            )));
        }
    }
    let mut w = std::io::BufWriter::new(out);
    for &(s, t, wt) in g.edges() {
        if g.is_weighted() {
            writeln!(w, "{} {} {}", g.id(s), g.id(t), wt)?;
        } else {
            writeln!(w, "{} {}", g.id(s), g.id(t))?;
        }
    }
    let isolated: Vec<&str> = (0..g.node_count() as u32)
        .filter(|&v| g.degree(v) == 0)
        .map(|v| g.id(v))
        .collect();
    if !isolated.is_empty() {
        writeln!(w, "# isolated nodes: {}", isolated.join(" "))?;
    }
    w.flush()?;
    Ok(())
}
