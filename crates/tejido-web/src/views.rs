//! Rendering helpers shared by every capability: HTML responses from askama templates,
//! redirects after a POST, the error page, and small formatting helpers templates call.

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::Ctx;

/// Renders a template as an HTML response; a rendering failure is logged and becomes a 500.
pub fn html<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Renders a form page again with errors: 422 so tests and tools can tell it was refused.
pub fn html_invalid<T: Template>(t: &T) -> Response {
    let mut r = html(t);
    if r.status() == StatusCode::OK {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// 303 See Other: the browser follows with a GET, so a reload never re-submits.
pub fn redirect(to: &str) -> Response {
    let loc = HeaderValue::from_str(to).unwrap_or_else(|_| HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, loc)]).into_response()
}

/// Only same-site relative paths are followed after sign-in or a language switch.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// A path on this site and nothing else. Browsers drop tabs and line breaks from URLs and read
/// `\` as `/`, so `/\t/evil.example/` or `/\\evil.example` would leave the site: any control
/// character, white space or backslash refuses the path outright.
fn is_local_path(n: &str) -> bool {
    n.starts_with('/')
        && !n.starts_with("//")
        && !n
            .chars()
            .any(|ch| ch.is_control() || ch.is_whitespace() || ch == '\\')
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    pub c: Ctx,
    pub title: String,
    pub message: String,
}

/// Pagination links that keep the other query parameters.
pub struct Pager {
    pub page: u32,
    pub pages: u32,
    pub total: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `base` is the path with its query without `page` (e.g. `/directory/organizations?q=x`).
    pub fn new<T>(p: &tejido_core::page::Page<T>, base: &str) -> Pager {
        let sep = if base.contains('?') { '&' } else { '?' };
        let link = |n: u32| format!("{base}{sep}page={n}");
        Pager {
            page: p.page,
            pages: p.pages(),
            total: p.total,
            prev: p.has_prev().then(|| link(p.page - 1)),
            next: p.has_next().then(|| link(p.page + 1)),
        }
    }
}

/// Builds a query string from pairs, skipping empty values.
pub fn query(path: &str, pairs: &[(&str, &str)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    if q.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

fn csv_cell(s: &str) -> String {
    // Quote always; neutralise spreadsheet formulas with the one rule of the reports.
    let s = tejido_core::reports::defuse(s);
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A CSV download (CRLF lines, every cell quoted, formulas defused) named `name`.
pub fn csv_download(name: &str, lines: Vec<Vec<String>>) -> Response {
    let body: String = lines
        .iter()
        .map(|l| l.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",") + "\r\n")
        .collect();
    let disp = format!("attachment; filename=\"{name}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disp).unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next(Some("/c/red")), "/c/red");
        assert_eq!(safe_next(Some("/search?q=a%20b")), "/search?q=a%20b");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "javascript:x",
            "",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/\r\n/evil.example/",
            "/ /evil.example/",
            "/x\\..\\evil",
            "/\u{0}/evil.example",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(query("/x", &[("q", "a b"), ("kind", "")]), "/x?q=a%20b");
    }
}

/// The second page that asks before a removal (no JavaScript needed): a `GET` on the removal's
/// own address names what will go and posts, on a second tap, to that address with `fields`.
#[derive(Template)]
#[template(path = "confirm/page.html")]
pub struct ConfirmPage {
    pub c: Ctx,
    /// The question, naming the record ("¿Quitar a Colectivo Aurora de la comunidad?").
    pub question: String,
    /// What follows from it (what is kept, what cannot be undone).
    pub note: String,
    pub action: String,
    pub fields: Vec<(String, String)>,
    pub button: String,
    /// Where «Cancelar» goes: the page the removal was asked from.
    pub back: String,
}

/// The first `max` characters of a text (an ellipsis when cut), to name a record in a question.
pub fn headline(s: &str, max: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", s[..i].trim_end()),
        None => s.to_owned(),
    }
}

/// Renders a [`ConfirmPage`].
#[allow(clippy::too_many_arguments)]
pub fn confirm(
    question: String,
    note: String,
    action: String,
    fields: Vec<(String, String)>,
    button: String,
    back: String,
    c: Ctx,
) -> Response {
    html(&ConfirmPage {
        c,
        question,
        note,
        action,
        fields,
        button,
        back,
    })
}

/// Options for a `<select>`: (value, label) pairs.
pub type Options = Vec<(String, String)>;

/// The states of Mexico for a `<select>`.
pub fn state_options() -> Options {
    tejido_core::directory::STATES
        .iter()
        .map(|(k, n)| ((*k).to_owned(), (*n).to_owned()))
        .collect()
}
