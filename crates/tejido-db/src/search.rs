//! Search: storage. Every searchable item keeps one row in `search_docs`, written by the
//! item's own change through [`upsert`] in the same transaction, and removed with [`remove`].

use crate::{now, on_tx, Result, Tx};

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

/// Who may find a row: anyone (`Public`), every signed-in person (`Instance`), or those who may
/// view its community (`Community`, which also follows the community's own visibility).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Public,
    Instance,
    Community,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Instance => "instance",
            Audience::Community => "community",
        }
    }
}

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
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO search_docs (source, source_id, community_id, visibility, kind, themes, lang, title, body, url, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (source, source_id) DO UPDATE SET community_id = excluded.community_id,
               visibility = excluded.visibility, kind = excluded.kind, themes = excluded.themes,
               lang = excluded.lang, title = excluded.title, body = excluded.body, url = excluded.url,
               updated_at = excluded.updated_at",
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
