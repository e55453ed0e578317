//! Search: storage. Every searchable item keeps one row in `search_docs`, written by the
//! item's own change through [`upsert`] in the same transaction, and removed with [`remove`].
//! Minutes and decisions are indexed by their own storage functions ([`index_minutes`],
//! [`index_decision`]), so every caller (pages, API, demo) keeps the index current; migration
//! 0013 backfilled the rows that existed before.
//!
//! Matching: SQLite uses the FTS5 table `search_fts` (tokenizer `unicode61 remove_diacritics 2`,
//! bm25 with the title weighted above the body); PostgreSQL a `tsvector` over the folded copies
//! `title_key` (weight A) and `body_key` (weight B) with `ts_rank`. The reader's query reaches
//! either only as terms built by `tejido_core::search`, so no input is a syntax error.
//!
//! Visibility is part of every query, counts included, and is exactly the rule of the page a row
//! links to (`tejido_core::visibility`): public rows for anyone, instance rows for signed-in
//! people, community rows for those who may view the community, members rows (minutes, library
//! resources kept for the community) for its members and guests, full-members rows (decisions)
//! for its members other than guests. Admins see every row.

use tejido_core::page::{Page, PageReq};
use tejido_core::search::{fts5_query, tsquery, Terms};
use tejido_core::text::fold;
use tejido_core::visibility::Record;

use crate::{now, on_tx, DateTime, Db, Result, Tx, Utc};

/// What kind of item a search row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Resource,
    Minutes,
    Decision,
    Discussion,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Resource => "resource",
            Source::Minutes => "minutes",
            Source::Decision => "decision",
            Source::Discussion => "discussion",
        }
    }
}

/// Who may find a row: the audience of the record's own visibility rule
/// (`tejido_core::visibility::Record::audience`).
pub use tejido_core::visibility::Audience;

/// One searchable item as its owner describes it.
#[derive(Debug, Clone)]
pub struct SearchDoc<'a> {
    pub source: Source,
    pub source_id: i64,
    /// The community the item belongs to, if any.
    pub community_id: Option<i64>,
    pub audience: Audience,
    /// A finer kind within the source (a resource's kind, say), used as a filter.
    pub kind: Option<&'a str>,
    /// Theme names, used as a filter.
    pub themes: &'a [String],
    /// Language code of the text (`es`, `en`, …).
    pub lang: &'a str,
    pub title: &'a str,
    /// Plain text or Markdown; it is indexed, not shown as HTML.
    pub body: &'a str,
    /// Where a result links to, e.g. `/library/12`.
    pub url: &'a str,
}

/// Inserts or replaces the row for `doc.source`/`doc.source_id`.
pub async fn upsert(tx: &mut Tx, doc: &SearchDoc<'_>) -> Result<()> {
    let themes = doc.themes.join("\n");
    let title_key = fold(doc.title);
    let body_key = fold(&format!("{} {}", doc.body, doc.themes.join(" ")));
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO search_docs (source, source_id, community_id, visibility, kind, themes, lang, title, body, url, updated_at,
               title_key, body_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT (source, source_id) DO UPDATE SET community_id = excluded.community_id,
               visibility = excluded.visibility, kind = excluded.kind, themes = excluded.themes,
               lang = excluded.lang, title = excluded.title, body = excluded.body, url = excluded.url,
               updated_at = excluded.updated_at, title_key = excluded.title_key, body_key = excluded.body_key",
        )
        .bind(doc.source.as_str())
        .bind(doc.source_id)
        .bind(doc.community_id)
        .bind(doc.audience.as_str())
        .bind(doc.kind)
        .bind(&themes)
        .bind(doc.lang)
        .bind(doc.title)
        .bind(doc.body)
        .bind(doc.url)
        .bind(now())
        .bind(&title_key)
        .bind(&body_key)
        .execute(c)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Removes the row of an item that no longer exists or may no longer be found.
pub async fn remove(tx: &mut Tx, source: Source, source_id: i64) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("DELETE FROM search_docs WHERE source = $1 AND source_id = $2")
            .bind(source.as_str())
            .bind(source_id)
            .execute(c)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

// ---- indexing minutes and decisions -----------------------------------------------------------

#[derive(sqlx::FromRow)]
struct MinutesSource {
    community_id: i64,
    slug: String,
    title: String,
    summary: Option<String>,
    takeaways: Option<String>,
}

/// Indexes an event's newest published minutes (summary, takeaways and lessons learned), or
/// removes its row while nothing is published. Called by `minutes` storage on every change.
pub async fn index_minutes(tx: &mut Tx, event_id: i64) -> Result<()> {
    let (row, lessons): (Option<MinutesSource>, Vec<String>) = on_tx!(tx, |c| {
        let row: Option<MinutesSource> = sqlx::query_as(
            "SELECT e.community_id, c.slug, e.title, m.summary, m.takeaways FROM events e
             JOIN communities c ON c.id = e.community_id
             LEFT JOIN event_minutes m ON m.event_id = e.id AND m.version = (
               SELECT MAX(m2.version) FROM event_minutes m2 WHERE m2.event_id = e.id AND m2.status = 'published')
             WHERE e.id = $1",
        )
        .bind(event_id)
        .fetch_optional(&mut *c)
        .await?;
        let lessons: Vec<String> = sqlx::query_scalar(
            "SELECT text FROM event_lessons WHERE event_id = $1 ORDER BY id LIMIT 500",
        )
        .bind(event_id)
        .fetch_all(&mut *c)
        .await?;
        (row, lessons)
    });
    let Some(row) = row else { return Ok(()) };
    let Some(summary) = row.summary else {
        return remove(tx, Source::Minutes, event_id).await;
    };
    let mut body = summary;
    for part in row.takeaways.iter().chain(lessons.iter()) {
        body.push('\n');
        body.push_str(part);
    }
    let url = format!("/c/{}/events/{event_id}/minutes", row.slug);
    upsert(
        tx,
        &SearchDoc {
            source: Source::Minutes,
            source_id: event_id,
            community_id: Some(row.community_id),
            audience: Record::Minutes.audience(),
            kind: None,
            themes: &[],
            lang: "es",
            title: &row.title,
            body: &body,
            url: &url,
        },
    )
    .await
}

#[derive(sqlx::FromRow)]
struct DecisionSource {
    community_id: i64,
    slug: String,
    title: String,
    body: Option<String>,
    corrects_id: Option<i64>,
}

/// Indexes a recorded decision; a correction replaces the entry it corrects in the index.
/// Called by `decisions::insert`.
pub async fn index_decision(tx: &mut Tx, decision_id: i64) -> Result<()> {
    let row: Option<DecisionSource> = on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT d.community_id, c.slug, d.title, d.body, d.corrects_id FROM decisions d
             JOIN communities c ON c.id = d.community_id WHERE d.id = $1",
        )
        .bind(decision_id)
        .fetch_optional(c)
        .await
    })?;
    let Some(row) = row else { return Ok(()) };
    if let Some(old) = row.corrects_id {
        remove(tx, Source::Decision, old).await?;
    }
    let url = format!("/c/{}/decisions/{decision_id}", row.slug);
    upsert(
        tx,
        &SearchDoc {
            source: Source::Decision,
            source_id: decision_id,
            community_id: Some(row.community_id),
            audience: Record::Decisions.audience(),
            kind: None,
            themes: &[],
            lang: "es",
            title: &row.title,
            body: row.body.as_deref().unwrap_or(""),
            url: &url,
        },
    )
    .await
}

/// Rebuilds the rows of minutes and decisions from their tables (for a maintenance command such
/// as `tejido admin reindex`; normal writes keep the index current). A batch job: it indexes
/// item by item in one transaction. Returns how many items were visited.
pub async fn reindex_minutes_and_decisions(db: &Db) -> Result<usize> {
    let (events, decisions): (Vec<i64>, Vec<i64>) = crate::on!(db, |p| {
        let e: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT event_id FROM event_minutes WHERE status = 'published' ORDER BY event_id",
        )
        .fetch_all(p)
        .await?;
        let d: Vec<i64> = sqlx::query_scalar(
            "SELECT d.id FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM decisions x WHERE x.corrects_id = d.id) ORDER BY d.id",
        )
        .fetch_all(p)
        .await?;
        (e, d)
    });
    let mut tx = db.begin().await?;
    for id in &events {
        index_minutes(&mut tx, *id).await?;
    }
    for id in &decisions {
        index_decision(&mut tx, *id).await?;
    }
    tx.commit().await?;
    Ok(events.len() + decisions.len())
}

// ---- querying ---------------------------------------------------------------------------------

/// Who is searching: what they may see is decided in SQL from this.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reader {
    pub person_id: Option<i64>,
    pub signed_in: bool,
    pub is_admin: bool,
}

/// Optional filters; an empty string means "any".
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub source: String,
    pub kind: String,
    pub theme: String,
    /// A community's slug.
    pub community: String,
    pub lang: String,
}

/// One result. `title`, `body` are the stored text (escape before showing).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Hit {
    pub source: String,
    pub source_id: i64,
    pub kind: Option<String>,
    pub themes: String,
    pub lang: String,
    pub title: String,
    #[serde(skip)]
    pub body: String,
    pub url: String,
    pub updated_at: DateTime<Utc>,
    pub community_slug: Option<String>,
    pub community_name: Option<String>,
    /// Lower is better (bm25, or the negated ts_rank).
    pub score: f64,
}

/// Counts of visible matches per filter value (ignoring the filters themselves), so a reader
/// sees how many results each choice would give.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Facets {
    pub sources: Vec<(String, i64)>,
    pub kinds: Vec<(String, i64)>,
    pub langs: Vec<(String, i64)>,
    /// (slug, name, count)
    pub communities: Vec<(String, String, i64)>,
    pub themes: Vec<(String, i64)>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Results {
    pub page: Page<Hit>,
    pub facets: Facets,
}

/// The FROM/WHERE shared by results and counts. Parameters: $1 the match text, $2 signed in
/// (0/1), $3 the person id (-1 for none), $4 admin (0/1); with `filtered`, $5 source, $6 kind,
/// $7 theme pattern, $8 community slug, $9 language ('' for any).
fn from_where(sqlite: bool, filtered: bool) -> String {
    let (from, matches) = if sqlite {
        (
            "search_fts JOIN search_docs d ON d.id = search_fts.rowid",
            "search_fts MATCH $1",
        )
    } else {
        ("search_docs d", "d.tsv @@ to_tsquery('simple', $1)")
    };
    let nl = if sqlite { "char(10)" } else { "chr(10)" };
    let filters = if filtered {
        format!(
            " AND ($5 = '' OR d.source = $5) AND ($6 = '' OR d.kind = $6)
              AND ($7 = '' OR ({nl} || d.themes || {nl}) LIKE $7 ESCAPE '\\')
              AND ($8 = '' OR c.slug = $8) AND ($9 = '' OR d.lang = $9)"
        )
    } else {
        String::new()
    };
    format!(
        "FROM {from} LEFT JOIN communities c ON c.id = d.community_id
         WHERE {matches} AND $2 = $2 AND $3 = $3 AND ($4 = 1
           OR d.visibility = 'public'
           OR (d.visibility = 'instance' AND $2 = 1)
           OR (d.visibility IN ('community', 'members', 'full_members') AND c.id IS NOT NULL AND (
                (d.visibility = 'community' AND c.visibility = 'public')
             OR (d.visibility = 'community' AND c.visibility = 'instance' AND $2 = 1)
             OR (d.visibility <> 'full_members' AND (
                  EXISTS (SELECT 1 FROM community_people cp WHERE cp.community_id = c.id AND cp.person_id = $3 AND cp.left_at IS NULL)
               OR EXISTS (SELECT 1 FROM community_roles cr WHERE cr.community_id = c.id AND cr.person_id = $3 AND cr.ends_at IS NULL
                          AND cr.role <> 'funder')))
             OR (d.visibility = 'full_members' AND (
                  EXISTS (SELECT 1 FROM community_roles cr WHERE cr.community_id = c.id AND cr.person_id = $3 AND cr.ends_at IS NULL
                          AND cr.role NOT IN ('funder', 'guest'))
               OR (EXISTS (SELECT 1 FROM community_people cp WHERE cp.community_id = c.id AND cp.person_id = $3 AND cp.left_at IS NULL)
                   AND NOT EXISTS (SELECT 1 FROM community_roles cr WHERE cr.community_id = c.id AND cr.person_id = $3
                                   AND cr.ends_at IS NULL AND cr.role <> 'funder')))))))
         {filters}"
    )
}

/// A LIKE pattern finding one theme in the newline-separated list (wrapped in newlines).
fn theme_pattern(theme: &str) -> String {
    if theme.is_empty() {
        return String::new();
    }
    let mut p = String::from("%\n");
    for ch in theme.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push_str("\n%");
    p
}

/// Most rows whose themes are tallied for the theme counts.
const THEME_SAMPLE: i64 = 2000;

/// Runs a search: one page of visible results, best first, with the total and per-filter counts
/// under the same visibility rule. Empty terms give an empty result without a query.
pub async fn search(
    db: &Db,
    terms: &Terms,
    filters: &Filters,
    reader: Reader,
    req: PageReq,
) -> Result<Results> {
    if terms.is_empty() {
        return Ok(Results {
            page: Page {
                items: vec![],
                page: req.page,
                per_page: req.per_page,
                total: 0,
            },
            facets: Facets::default(),
        });
    }
    let sqlite = matches!(db, Db::Sqlite(_));
    let q = if sqlite {
        fts5_query(terms)
    } else {
        tsquery(terms)
    };
    let signed = i64::from(reader.signed_in);
    let pid = reader.person_id.unwrap_or(-1);
    let admin = i64::from(reader.is_admin);
    let theme = theme_pattern(&filters.theme);
    let filtered = from_where(sqlite, true);
    let all = from_where(sqlite, false);
    let rank = if sqlite {
        "bm25(search_fts, 10.0, 1.0, 2.0)"
    } else {
        "-ts_rank(d.tsv, to_tsquery('simple', $1))"
    };
    let list_sql = format!(
        "SELECT d.source, d.source_id, d.kind, d.themes, d.lang, d.title, d.body, d.url, d.updated_at,
                c.slug AS community_slug, c.name AS community_name, CAST({rank} AS DOUBLE PRECISION) AS score
         {filtered} ORDER BY score, d.updated_at DESC, d.id DESC LIMIT $10 OFFSET $11"
    );
    let count_sql = format!("SELECT COUNT(*) {filtered}");
    let by = |col: &str| {
        format!("SELECT {col}, COUNT(*) {all} AND {col} IS NOT NULL GROUP BY {col} ORDER BY {col}")
    };
    let sources_sql = by("d.source");
    let kinds_sql = by("d.kind");
    let langs_sql = by("d.lang");
    let comm_sql = format!(
        "SELECT c.slug, c.name, COUNT(*) {all} AND c.id IS NOT NULL GROUP BY c.slug, c.name ORDER BY c.name LIMIT 100"
    );
    let themes_sql = format!("SELECT d.themes {all} AND d.themes <> '' LIMIT $5");
    macro_rules! bind_base {
        ($q:expr) => {
            $q.bind(&q).bind(signed).bind(pid).bind(admin)
        };
    }
    macro_rules! bind_filters {
        ($q:expr) => {
            bind_base!($q)
                .bind(&filters.source)
                .bind(&filters.kind)
                .bind(&theme)
                .bind(&filters.community)
                .bind(&filters.lang)
        };
    }
    let (items, total, sources, kinds, langs, communities, theme_rows) = crate::on!(db, |p| {
        let items: Vec<Hit> = bind_filters!(sqlx::query_as(&list_sql))
            .bind(req.limit())
            .bind(req.offset())
            .fetch_all(p)
            .await?;
        let total: i64 = bind_filters!(sqlx::query_scalar(&count_sql))
            .fetch_one(p)
            .await?;
        let sources: Vec<(String, i64)> = bind_base!(sqlx::query_as(&sources_sql))
            .fetch_all(p)
            .await?;
        let kinds: Vec<(String, i64)> = bind_base!(sqlx::query_as(&kinds_sql)).fetch_all(p).await?;
        let langs: Vec<(String, i64)> = bind_base!(sqlx::query_as(&langs_sql)).fetch_all(p).await?;
        let communities: Vec<(String, String, i64)> =
            bind_base!(sqlx::query_as(&comm_sql)).fetch_all(p).await?;
        let theme_rows: Vec<String> = bind_base!(sqlx::query_scalar(&themes_sql))
            .bind(THEME_SAMPLE)
            .fetch_all(p)
            .await?;
        (items, total, sources, kinds, langs, communities, theme_rows)
    });
    let mut themes: Vec<(String, i64)> = Vec::new();
    for row in &theme_rows {
        for t in row.split('\n').filter(|t| !t.is_empty()) {
            match themes.iter_mut().find(|(n, _)| n == t) {
                Some(e) => e.1 += 1,
                None => themes.push((t.to_owned(), 1)),
            }
        }
    }
    themes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    themes.truncate(50);
    Ok(Results {
        page: Page {
            items,
            page: req.page,
            per_page: req.per_page,
            total,
        },
        facets: Facets {
            sources,
            kinds,
            langs,
            communities,
            themes,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_patterns_escape_like() {
        assert_eq!(theme_pattern(""), "");
        assert_eq!(theme_pattern("50%_a"), "%\n50\\%\\_a\n%");
    }
}
