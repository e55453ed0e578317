//! A minimal XML tree on top of quick-xml, enough for GraphML and GEXF: local element names,
//! unescaped attributes and text, and the line each element starts on for error messages.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::LineError;

/// One element.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    pub line: usize,
}

impl Element {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

fn line_of(starts: &[usize], pos: usize) -> usize {
    match starts.binary_search(&pos) {
        Ok(i) => i + 1,
        Err(i) => i,
    }
}

fn local(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    match s.rsplit_once(':') {
        Some((_, l)) => l.to_owned(),
        None => s.into_owned(),
    }
}

fn element(e: &BytesStart<'_>, line: usize) -> Result<Element, LineError> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| LineError {
            line,
            message: format!("bad attribute: {err}"),
        })?;
        let v = a.unescape_value().map_err(|err| LineError {
            line,
            message: format!("bad attribute value: {err}"),
        })?;
        attrs.push((local(a.key.as_ref()), v.into_owned()));
    }
    Ok(Element {
        name: local(e.name().as_ref()),
        attrs,
        children: Vec::new(),
        text: String::new(),
        line,
    })
}

/// Parse a document into its root element.
pub(crate) fn parse(text: &str) -> Result<Element, LineError> {
    let mut starts = vec![0usize];
    starts.extend(
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let pos = reader.buffer_position() as usize;
        let line = line_of(&starts, pos.min(text.len()));
        let ev = reader.read_event().map_err(|err| LineError {
            line: line_of(&starts, (reader.error_position() as usize).min(text.len())),
            message: format!("malformed XML: {err}"),
        })?;
        match ev {
            Event::Start(e) => {
                let el = element(&e, line_after_ws(text, &starts, pos))?;
                stack.push(el);
            }
            Event::Empty(e) => {
                let el = element(&e, line_after_ws(text, &starts, pos))?;
                if let Some(top) = stack.last_mut() {
                    top.children.push(el);
                }
            }
            Event::End(_) => {
                let done = stack.pop();
                match (done, stack.last_mut()) {
                    (Some(done), Some(top)) => top.children.push(done),
                    _ => {
                        return Err(LineError {
                            line,
                            message: "unbalanced closing tag".into(),
                        })
                    }
                }
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|err| LineError {
                    line,
                    message: format!("bad text: {err}"),
                })?;
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => {
                        let name = String::from_utf8_lossy(&r).into_owned();
                        resolve_predefined_entity(&name).map(str::to_owned)
                    }
                    Err(_) => None,
                };
                let Some(s) = resolved else {
                    return Err(LineError {
                        line,
                        message: "unknown entity reference".into(),
                    });
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(LineError {
            line: starts.len(),
            message: "unexpected end of document (unclosed element)".into(),
        });
    }
    let mut doc = stack.pop().unwrap_or_default();
    doc.children.pop().ok_or(LineError {
        line: 1,
        message: "empty document".into(),
    })
}

/// Line of the first non-whitespace byte at or after `pos` (the reader's position is just past
/// the previous event, often before a newline).
fn line_after_ws(text: &str, starts: &[usize], pos: usize) -> usize {
    let skip = text.as_bytes()[pos.min(text.len())..]
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    line_of(starts, (pos + skip).min(text.len()))
}

/// Escape text for an attribute value or element content.
pub(crate) fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}
