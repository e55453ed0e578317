//! Search: the pure half. A reader's query is never handed to a database's query language as
//! typed: it is folded (lowercase, no accents, as [`crate::text::fold`]) and cut into plain word
//! terms, from which each backend's syntax is built ([`fts5_query`], [`tsquery`]). Snippets and
//! highlighted titles are made here too, the same way on both backends: the text is escaped
//! first, and only then are matched words wrapped in `<mark>`.

use crate::text::fold;

/// At most this many words of a query are used.
pub const MAX_TERMS: usize = 8;
/// Longer words are cut to this many characters.
pub const MAX_TERM_CHARS: usize = 40;
/// Words shown in a snippet.
pub const SNIPPET_WORDS: usize = 36;

/// The sources a reader may filter by, in display order.
pub const SOURCES: [&str; 4] = ["resource", "minutes", "decision", "discussion"];

/// A parsed query: folded word terms; the last one also matches as a prefix.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Terms(pub Vec<String>);

impl Terms {
    /// Folds `q` and keeps its words (letters and digits), at most [`MAX_TERMS`], without
    /// repeats. Everything else (quotes, operators, punctuation) is a separator.
    pub fn parse(q: &str) -> Terms {
        let mut out: Vec<String> = Vec::new();
        for w in fold(q).split(|c: char| !c.is_alphanumeric()) {
            if w.is_empty() {
                continue;
            }
            let w: String = w.chars().take(MAX_TERM_CHARS).collect();
            if !out.contains(&w) {
                out.push(w);
            }
            if out.len() == MAX_TERMS {
                break;
            }
        }
        Terms(out)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when a folded word matches: equal to a term, or starting with the last term.
    pub fn matches(&self, folded_word: &str) -> bool {
        let n = self.0.len();
        self.0.iter().enumerate().any(|(i, t)| {
            folded_word == t
                || (i + 1 == n && t.chars().count() >= 2 && folded_word.starts_with(t.as_str()))
        })
    }
}

/// The FTS5 `MATCH` expression: every term quoted (terms hold only letters and digits, so the
/// quotes cannot be broken), all required, the last one as a prefix.
pub fn fts5_query(t: &Terms) -> String {
    let n = t.0.len();
    t.0.iter()
        .enumerate()
        .map(|(i, w)| {
            if i + 1 == n {
                format!("\"{w}\"*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The PostgreSQL `to_tsquery('simple', …)` text: terms joined by `&`, the last as a prefix.
pub fn tsquery(t: &Terms) -> String {
    let n = t.0.len();
    t.0.iter()
        .enumerate()
        .map(|(i, w)| {
            if i + 1 == n {
                format!("{w}:*")
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text cut into runs: words (letters and digits) and what lies between them.
fn runs(s: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut word: Option<bool> = None;
    for (i, c) in s.char_indices() {
        let w = c.is_alphanumeric();
        match word {
            Some(prev) if prev != w => {
                out.push((prev, &s[start..i]));
                start = i;
            }
            _ => {}
        }
        word = Some(w);
    }
    if let Some(w) = word {
        out.push((w, &s[start..]));
    }
    out
}

/// Markdown marks and runs of whitespace become single spaces, so a snippet reads as prose.
fn plain(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| match c {
            '#' | '*' | '_' | '`' | '~' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A piece of shown text: `marked` when it is a matched word. Templates print each part
/// escaped (inside `<mark>` when marked), so no HTML is ever assembled from stored text there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Part {
    pub marked: bool,
    pub text: String,
}

fn parts_of(runs: &[(bool, &str)], t: &Terms) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    for (word, text) in runs {
        let marked = *word && t.matches(&fold(text));
        match out.last_mut() {
            Some(last) if !last.marked && !marked => last.text.push_str(text),
            _ => out.push(Part {
                marked,
                text: (*text).to_owned(),
            }),
        }
    }
    out
}

/// Parts as HTML: each escaped, matched words in `<mark>` (for the JSON API).
pub fn to_html(parts: &[Part]) -> String {
    let mut out = String::new();
    for p in parts {
        if p.marked {
            out.push_str("<mark>");
            out.push_str(&escape_html(&p.text));
            out.push_str("</mark>");
        } else {
            out.push_str(&escape_html(&p.text));
        }
    }
    out
}

/// The whole text in parts, matched words marked (for titles).
pub fn highlight(text: &str, t: &Terms) -> Vec<Part> {
    parts_of(&runs(text), t)
}

/// A window of about [`SNIPPET_WORDS`] words of `body` around its first matched word, in parts,
/// with "…" where it was cut. Without a match, the opening words.
pub fn snippet(body: &str, t: &Terms) -> Vec<Part> {
    let text = plain(body);
    let rs = runs(&text);
    let words: Vec<usize> = rs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.0)
        .map(|(i, _)| i)
        .collect();
    if words.is_empty() {
        return parts_of(&rs, t);
    }
    let first = words
        .iter()
        .position(|&i| t.matches(&fold(rs[i].1)))
        .unwrap_or(0);
    let from_word = first.saturating_sub(SNIPPET_WORDS / 4);
    let to_word = (from_word + SNIPPET_WORDS).min(words.len());
    let from = if from_word == 0 { 0 } else { words[from_word] };
    let to = if to_word == words.len() {
        rs.len()
    } else {
        words[to_word - 1] + 1
    };
    let mut out = Vec::new();
    if from > 0 {
        out.push(Part {
            marked: false,
            text: "…".to_owned(),
        });
    }
    out.extend(parts_of(&rs[from..to], t));
    if to < rs.len() {
        out.push(Part {
            marked: false,
            text: "…".to_owned(),
        });
    }
    // Merge neighbouring unmarked parts once more (the ellipses).
    let mut merged: Vec<Part> = Vec::new();
    for p in out {
        match merged.last_mut() {
            Some(last) if !last.marked && !p.marked => last.text.push_str(&p.text),
            _ => merged.push(p),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_folded_words_only() {
        let t = Terms::parse("  Mediación \"JUSTICIA\" OR (niñez*) -x:y mediacion ");
        assert_eq!(t.0, ["mediacion", "justicia", "or", "ninez", "x", "y"]);
        assert!(Terms::parse("\"*() :^- ").is_empty());
        assert_eq!(Terms::parse("a b c d e f g h i j").0.len(), MAX_TERMS);
        let long = "a".repeat(100);
        assert_eq!(Terms::parse(&long).0[0].len(), MAX_TERM_CHARS);
    }

    #[test]
    fn backend_syntax() {
        let t = Terms::parse("Mediación justicia");
        assert_eq!(fts5_query(&t), "\"mediacion\" \"justicia\"*");
        assert_eq!(tsquery(&t), "mediacion & justicia:*");
    }

    #[test]
    fn matches_terms_and_last_prefix() {
        let t = Terms::parse("justicia media");
        assert!(t.matches("justicia"));
        assert!(t.matches("mediacion"));
        assert!(!t.matches("justicias"));
        // A one-letter last word does not light up every word starting with it.
        assert!(!Terms::parse("m").matches("mediacion"));
        assert!(Terms::parse("m").matches("m"));
    }

    #[test]
    fn highlight_escapes_before_marking() {
        let t = Terms::parse("mediacion");
        assert_eq!(
            to_html(&highlight("<b>Mediación</b> & paz", &t)),
            "&lt;b&gt;<mark>Mediación</mark>&lt;/b&gt; &amp; paz"
        );
        // A term that looks like markup never becomes markup.
        let t = Terms::parse("<script>");
        assert_eq!(
            to_html(&highlight("<script>", &t)),
            "&lt;<mark>script</mark>&gt;"
        );
    }

    #[test]
    fn snippet_windows_around_the_match() {
        let mut body = String::from("## Inicio\n");
        for i in 0..60 {
            body.push_str(&format!("palabra{i} "));
        }
        body.push_str("la **Mediación** comunitaria ");
        for i in 0..60 {
            body.push_str(&format!("otra{i} "));
        }
        let s = to_html(&snippet(&body, &Terms::parse("mediacion")));
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>Mediación</mark> comunitaria"), "{s}");
        assert!(!s.contains("**") && !s.contains('#'), "{s}");
        let short = to_html(&snippet("Acuerdo de <i>paz</i>", &Terms::parse("nada")));
        assert_eq!(short, "Acuerdo de &lt;i&gt;paz&lt;/i&gt;");
        assert!(snippet("", &Terms::parse("x")).is_empty());
        let parts = highlight("La mediación y la Mediacion", &Terms::parse("mediación"));
        assert_eq!(parts.iter().filter(|p| p.marked).count(), 2);
        assert_eq!(parts[0].text, "La ");
    }
}
