//! CSV with a header row (RFC 4180 quoting): an edge file `source,target[,weight]` plus
//! attribute columns, and an optional node file `id` plus attribute columns. A small hand parser:
//! the format is simple and a dependency would not pay for itself.

use std::collections::BTreeSet;
use std::io::Write;

use crate::error::{LineError, Result};
use crate::graph::{Attributes, Graph, GraphBuilder};

/// One record with the line it starts on.
pub(crate) struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Split CSV text into records; blank lines are skipped.
pub(crate) fn records(text: &str) -> std::result::Result<Vec<Record>, Vec<LineError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1usize;
    let mut start_line = 1usize;
    let mut in_quotes = false;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut row_has_content = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() && !quoted => {
                field.clear();
                in_quotes = true;
                quoted = true;
                row_has_content = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                quoted = false;
                row_has_content = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if row_has_content || !field.trim().is_empty() {
                    fields.push(std::mem::take(&mut field));
                    out.push(Record {
                        line: start_line,
                        fields: std::mem::take(&mut fields),
                    });
                }
                field.clear();
                quoted = false;
                row_has_content = false;
                line += 1;
                start_line = line;
            }
            _ => {
                if quoted {
                    if !c.is_whitespace() {
                        errors.push(LineError {
                            line,
                            message: "text after a closing quote".into(),
                        });
                    }
                } else {
                    field.push(c);
                    row_has_content = true;
                }
            }
        }
    }
    if in_quotes {
        errors.push(LineError {
            line: start_line,
            message: "unterminated quoted field".into(),
        });
    } else if row_has_content || !field.trim().is_empty() {
        fields.push(field);
        out.push(Record {
            line: start_line,
            fields,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn header_index(header: &[String], names: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
}

/// Read an edge CSV into a builder.
pub fn read_edges(text: &str, b: &mut GraphBuilder) -> std::result::Result<(), Vec<LineError>> {
    let recs = records(text)?;
    let Some((head, rows)) = recs.split_first() else {
        return Err(vec![LineError {
            line: 1,
            message: "empty file: expected a header `source,target[,weight]`".into(),
        }]);
    };
    let src = header_index(&head.fields, &["source", "from"]);
    let dst = header_index(&head.fields, &["target", "to"]);
    let (Some(src), Some(dst)) = (src, dst) else {
        return Err(vec![LineError {
            line: head.line,
            message: "header must name `source` and `target` columns".into(),
        }]);
    };
    let wcol = header_index(&head.fields, &["weight"]);
    let names: Vec<String> = head.fields.iter().map(|h| h.trim().to_owned()).collect();
    let mut errors = Vec::new();
    for r in rows {
        if r.fields.len() != names.len() {
            errors.push(LineError {
                line: r.line,
                message: format!("expected {} fields, found {}", names.len(), r.fields.len()),
            });
            continue;
        }
        let (s, t) = (r.fields[src].trim(), r.fields[dst].trim());
        if s.is_empty() || t.is_empty() {
            errors.push(LineError {
                line: r.line,
                message: "empty source or target".into(),
            });
            continue;
        }
        let weight = match wcol.map(|i| r.fields[i].trim()).filter(|w| !w.is_empty()) {
            None => None,
            Some(w) => match super::parse_weight(w) {
                Ok(w) => Some(w),
                Err(message) => {
                    errors.push(LineError {
                        line: r.line,
                        message,
                    });
                    continue;
                }
            },
        };
        if !errors.is_empty() {
            continue;
        }
        let attrs: Attributes = names
            .iter()
            .zip(&r.fields)
            .enumerate()
            .filter(|&(i, (_, v))| i != src && i != dst && Some(i) != wcol && !v.is_empty())
            .map(|(_, (k, v))| (k.clone(), v.clone()))
            .collect();
        b.add_edge_with(s, t, weight, attrs);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Read a node CSV (`id` column, or the first column, plus attributes) into a builder.
pub fn read_nodes(text: &str, b: &mut GraphBuilder) -> std::result::Result<(), Vec<LineError>> {
    let recs = records(text)?;
    let Some((head, rows)) = recs.split_first() else {
        return Err(vec![LineError {
            line: 1,
            message: "empty node file: expected a header with `id`".into(),
        }]);
    };
    let idc = header_index(&head.fields, &["id", "node", "name"]).unwrap_or(0);
    let names: Vec<String> = head.fields.iter().map(|h| h.trim().to_owned()).collect();
    let mut errors = Vec::new();
    for r in rows {
        if r.fields.len() != names.len() {
            errors.push(LineError {
                line: r.line,
                message: format!("expected {} fields, found {}", names.len(), r.fields.len()),
            });
            continue;
        }
        let id = r.fields[idc].trim();
        if id.is_empty() {
            errors.push(LineError {
                line: r.line,
                message: "empty node id".into(),
            });
            continue;
        }
        let attrs: Attributes = names
            .iter()
            .zip(&r.fields)
            .enumerate()
            .filter(|&(i, (_, v))| i != idc && !v.is_empty())
            .map(|(_, (k, v))| (k.clone(), v.clone()))
            .collect();
        b.add_node_with(id, attrs);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Quote a CSV field when needed.
pub(crate) fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Write the edges as CSV (`source,target[,weight]` plus edge attribute columns).
pub fn write_edges(g: &Graph, out: &mut dyn Write) -> Result<()> {
    write_edges_with(g, out, &|s: &str| s.to_owned())
}

/// [`write_edges`] with every text cell (ids, attribute names and values) passed through
/// `cell` before quoting: a program that hands the file to spreadsheets defuses formulas there.
pub fn write_edges_with(
    g: &Graph,
    out: &mut dyn Write,
    cell: &dyn Fn(&str) -> String,
) -> Result<()> {
    let field = |s: &str| field(&cell(s));
    let keys: BTreeSet<&String> = (0..g.edge_count())
        .filter_map(|i| g.edge_attrs(i))
        .flat_map(|a| a.keys())
        .collect();
    let mut w = std::io::BufWriter::new(out);
    write!(w, "source,target")?;
    if g.is_weighted() {
        write!(w, ",weight")?;
    }
    for k in &keys {
        write!(w, ",{}", field(k))?;
    }
    writeln!(w)?;
    for (i, &(s, t, wt)) in g.edges().iter().enumerate() {
        write!(w, "{},{}", field(g.id(s)), field(g.id(t)))?;
        if g.is_weighted() {
            write!(w, ",{wt}")?;
        }
        for k in &keys {
            let v = g
                .edge_attrs(i)
                .and_then(|a| a.get(*k))
                .map(String::as_str)
                .unwrap_or("");
            write!(w, ",{}", field(v))?;
        }
        writeln!(w)?;
    }
    w.flush()?;
    Ok(())
}

/// Write the nodes as CSV (`id` plus node attribute columns).
pub fn write_nodes(g: &Graph, out: &mut dyn Write) -> Result<()> {
    write_nodes_with(g, out, &|s: &str| s.to_owned())
}

/// [`write_nodes`] with every text cell passed through `cell` before quoting.
pub fn write_nodes_with(
    g: &Graph,
    out: &mut dyn Write,
    cell: &dyn Fn(&str) -> String,
) -> Result<()> {
    let field = |s: &str| field(&cell(s));
    let keys: BTreeSet<&String> = (0..g.node_count() as u32)
        .flat_map(|v| g.node_attrs(v).keys())
        .collect();
    let mut w = std::io::BufWriter::new(out);
    write!(w, "id")?;
    for k in &keys {
        write!(w, ",{}", field(k))?;
    }
    writeln!(w)?;
    for v in 0..g.node_count() as u32 {
        write!(w, "{}", field(g.id(v)))?;
        for k in &keys {
            write!(w, ",{}", field(g.node_attr(v, k).unwrap_or("")))?;
        }
        writeln!(w)?;
    }
    w.flush()?;
    Ok(())
}
