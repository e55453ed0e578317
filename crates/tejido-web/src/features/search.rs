//! Search across the library, minutes, decisions and discussions: the page `/search` and JSON
//! at `/api/v1/search`. Anyone may search; what each reader finds (and every count) is limited
//! in SQL to what they may see — see `tejido_db::search`. The query is cut into plain terms
//! (`tejido_core::search::Terms`), so no input can be a syntax error.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::page::PageReq;
use tejido_core::search::{highlight, snippet, to_html, Part, Terms, SOURCES};
use tejido_db::search::{self as store, Filters, Hit, Reader};

use crate::error::AppResult;
use crate::routes::{self as route, Level, Route};
use crate::views::{html, query, Pager};
use crate::{AppState, Ctx};

/// Results per page on the page.
const PER_PAGE: u32 = 20;
/// Longest query kept (characters); the rest is ignored.
const MAX_QUERY: usize = 200;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![route::get("/search", Level::Public, page)]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![route::get("/search", Level::Public, api_search)]
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SearchQuery {
    q: String,
    source: String,
    kind: String,
    theme: String,
    community: String,
    lang: String,
    page: Option<u32>,
    per_page: Option<u32>,
}

impl SearchQuery {
    fn q(&self) -> String {
        self.q.trim().chars().take(MAX_QUERY).collect()
    }
    /// Filters with unknown sources dropped and every value trimmed and bounded.
    fn filters(&self) -> Filters {
        let clip = |s: &str| s.trim().chars().take(100).collect::<String>();
        let source = clip(&self.source);
        Filters {
            source: if SOURCES.contains(&source.as_str()) {
                source
            } else {
                String::new()
            },
            kind: clip(&self.kind),
            theme: clip(&self.theme),
            community: clip(&self.community),
            lang: clip(&self.lang),
        }
    }
}

fn reader(c: &Ctx) -> Reader {
    Reader {
        person_id: c.user.as_ref().and_then(|u| u.person_id),
        signed_in: c.signed_in(),
        is_admin: c.is_admin(),
    }
}

/// A label from this catalog when it has one (`search-kind-guide`), else the value itself:
/// kinds and languages are written by other capabilities and may grow.
fn label_or_value(c: &Ctx, prefix: &str, value: &str) -> String {
    let id = format!("{prefix}-{value}");
    if c.state.i18n.has(c.locale, &id) {
        c.t(&id)
    } else {
        value.to_owned()
    }
}

struct HitView {
    title: Vec<Part>,
    snippet: Vec<Part>,
    source: String,
    kind: Option<String>,
    url: String,
    community_name: Option<String>,
    community_url: Option<String>,
    date: String,
}

/// A `<select>` option: value, label with its count, selected.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(
    c: &Ctx,
    rows: impl Iterator<Item = (String, String, i64)>,
    current: &str,
) -> Vec<Choice> {
    rows.map(|(value, label, n)| Choice {
        selected: value == current,
        label: format!("{label} ({})", c.tr().int(n)),
        value,
    })
    .collect()
}

#[derive(Template)]
#[template(path = "search/page.html")]
struct SearchPage {
    c: Ctx,
    q: String,
    searched: bool,
    total: i64,
    hits: Vec<HitView>,
    sources: Vec<Choice>,
    communities: Vec<Choice>,
    kinds: Vec<Choice>,
    themes: Vec<Choice>,
    langs: Vec<Choice>,
    filtered: bool,
    clear_url: String,
    pager: Pager,
}

async fn page(
    State(s): State<AppState>,
    c: Ctx,
    Query(sq): Query<SearchQuery>,
) -> AppResult<Response> {
    let q = sq.q();
    let f = sq.filters();
    let terms = Terms::parse(&q);
    let req = PageReq::new(sq.page, Some(PER_PAGE));
    let r = store::search(&s.db, &terms, &f, reader(&c), req).await?;
    let hits = r
        .page
        .items
        .iter()
        .map(|h| HitView {
            title: highlight(&h.title, &terms),
            snippet: snippet(&h.body, &terms),
            source: c.label("search-source", &h.source),
            kind: h
                .kind
                .as_deref()
                .map(|k| label_or_value(&c, "search-kind", k)),
            url: h.url.clone(),
            community_name: h.community_name.clone(),
            community_url: h.community_slug.as_ref().map(|s| format!("/c/{s}")),
            date: c.date(&h.updated_at),
        })
        .collect();
    let fa = &r.facets;
    let sources = choices(
        &c,
        fa.sources
            .iter()
            .map(|(v, n)| (v.clone(), c.label("search-source", v), *n)),
        &f.source,
    );
    let communities = choices(
        &c,
        fa.communities
            .iter()
            .map(|(slug, name, n)| (slug.clone(), name.clone(), *n)),
        &f.community,
    );
    let kinds = choices(
        &c,
        fa.kinds
            .iter()
            .map(|(v, n)| (v.clone(), label_or_value(&c, "search-kind", v), *n)),
        &f.kind,
    );
    let themes = choices(
        &c,
        fa.themes.iter().map(|(v, n)| (v.clone(), v.clone(), *n)),
        &f.theme,
    );
    let langs = choices(
        &c,
        fa.langs
            .iter()
            .map(|(v, n)| (v.clone(), label_or_value(&c, "search-lang", v), *n)),
        &f.lang,
    );
    let base = query(
        "/search",
        &[
            ("q", &q),
            ("source", &f.source),
            ("kind", &f.kind),
            ("theme", &f.theme),
            ("community", &f.community),
            ("lang", &f.lang),
        ],
    );
    let filtered = !(f.source.is_empty()
        && f.kind.is_empty()
        && f.theme.is_empty()
        && f.community.is_empty()
        && f.lang.is_empty());
    Ok(html(&SearchPage {
        pager: Pager::new(&r.page, &base),
        clear_url: query("/search", &[("q", &q)]),
        searched: !terms.is_empty(),
        total: r.page.total,
        q,
        hits,
        sources,
        communities,
        kinds,
        themes,
        langs,
        filtered,
        c,
    }))
}

fn hit_json(h: &Hit, terms: &Terms) -> Value {
    let themes: Vec<&str> = h.themes.split('\n').filter(|t| !t.is_empty()).collect();
    json!({
        "source": h.source,
        "source_id": h.source_id,
        "kind": h.kind,
        "themes": themes,
        "lang": h.lang,
        "title": h.title,
        "title_html": to_html(&highlight(&h.title, terms)),
        "snippet_html": to_html(&snippet(&h.body, terms)),
        "url": h.url,
        "community": h.community_slug.as_ref().map(|slug| json!({ "slug": slug, "name": h.community_name })),
        "updated_at": h.updated_at,
    })
}

async fn api_search(
    State(s): State<AppState>,
    c: Ctx,
    Query(sq): Query<SearchQuery>,
) -> AppResult<Json<Value>> {
    let q = sq.q();
    let f = sq.filters();
    let terms = Terms::parse(&q);
    let req = PageReq::new(sq.page, sq.per_page);
    let r = store::search(&s.db, &terms, &f, reader(&c), req).await?;
    let fa = &r.facets;
    let pairs = |v: &[(String, i64)]| -> Vec<Value> {
        v.iter()
            .map(|(value, n)| json!({ "value": value, "count": n }))
            .collect()
    };
    Ok(Json(json!({
        "q": q,
        "terms": terms.0,
        "total": r.page.total,
        "page": r.page.page,
        "per_page": r.page.per_page,
        "pages": r.page.pages(),
        "items": r.page.items.iter().map(|h| hit_json(h, &terms)).collect::<Vec<_>>(),
        "facets": {
            "source": pairs(&fa.sources),
            "kind": pairs(&fa.kinds),
            "lang": pairs(&fa.langs),
            "theme": pairs(&fa.themes),
            "community": fa.communities.iter().map(|(slug, name, n)| json!({ "value": slug, "name": name, "count": n })).collect::<Vec<_>>(),
        },
    })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let p = |name: &str, d: &str| json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" }, "description": d });
    let int = |name: &str, d: &str| json!({ "name": name, "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1 }, "description": d });
    let v = json!({
        "/search": {
            "get": {
                "summary": "Full-text search over library resources, minutes, decisions and discussions. Accent- and case-insensitive; the last word also matches as a prefix. Results and every count include only what the caller may see (public items for anyone, instance items for signed-in people, community items for those who may view the community).",
                "parameters": [
                    p("q", "Words to find (at most 8 are used; punctuation and operators are ignored)"),
                    json!({ "name": "source", "in": "query", "required": false, "schema": { "type": "string", "enum": SOURCES } }),
                    p("kind", "A kind within the source, e.g. a resource kind"),
                    p("theme", "One theme name"),
                    p("community", "A community's slug"),
                    p("lang", "Language code, e.g. es"),
                    int("page", "Page number"),
                    int("per_page", "Results per page (at most 100)")
                ],
                "responses": {
                    "200": { "description": "A page of results, best first: items with title_html and snippet_html (escaped, matches in <mark>), total, and per-filter counts under facets", "content": { "application/json": { "schema": { "type": "object" } } } },
                    "400": err
                }
            }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
