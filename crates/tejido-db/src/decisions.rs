//! The decision log. Rows are inserted, never updated: a correction is a new row whose
//! `corrects_id` points at the corrected one.

use chrono::NaiveDate;
use tejido_core::decisions::DecisionInput;
use tejido_core::page::{Page, PageReq};
use tejido_core::text::{fold, like_pattern};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Decision {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub body: Option<String>,
    pub decided_on: NaiveDate,
    pub method: String,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub votes_abstain: Option<i32>,
    pub decided_by: Option<String>,
    pub source_kind: Option<String>,
    pub source_id: Option<i64>,
    pub corrects_id: Option<i64>,
    /// The newest entry that corrects this one, if any.
    pub corrected_by: Option<i64>,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTime<Utc>,
}

const COLS: &str = "d.id, d.community_id, d.title, d.body, d.decided_on, d.method, d.votes_for, d.votes_against, d.votes_abstain,
    d.decided_by, d.source_kind, d.source_id, d.corrects_id,
    (SELECT MAX(x.id) FROM decisions x WHERE x.corrects_id = d.id) AS corrected_by, d.recorded_by, d.recorded_at";

/// Records a decision in `tx`; returns its id.
pub async fn insert(
    tx: &mut Tx,
    community_id: i64,
    d: &DecisionInput,
    recorded_by: Option<i64>,
) -> Result<i64> {
    let key = fold(&format!("{} {}", d.title, d.body.as_deref().unwrap_or("")));
    let (vf, va, vab) = match d.votes {
        Some((f, a, ab)) => (Some(f), Some(a), Some(ab)),
        None => (None, None, None),
    };
    let id = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO decisions (community_id, title, body, search_key, decided_on, method, votes_for, votes_against, votes_abstain,
         decided_by, source_kind, source_id, corrects_id, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id"
    )
    .bind(community_id)
    .bind(&d.title)
    .bind(&d.body)
    .bind(key)
    .bind(d.decided_on)
    .bind(d.method.as_str())
    .bind(vf)
    .bind(va)
    .bind(vab)
    .bind(&d.decided_by)
    .bind(d.source.map(|s| s.0.as_str()))
    .bind(d.source.map(|s| s.1))
    .bind(d.corrects)
    .bind(recorded_by)
    .bind(now())
    .fetch_one(c)
    .await
    })?;
    crate::search::index_decision(tx, id).await?;
    Ok(id)
}

pub async fn get(db: &Db, community_id: i64, id: i64) -> Result<Option<Decision>> {
    let sql = format!("SELECT {COLS} FROM decisions d WHERE d.community_id = $1 AND d.id = $2");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// A community's decisions, newest first, optionally filtered by words (accent-insensitive).
pub async fn list(
    db: &Db,
    community_id: i64,
    q: Option<&str>,
    req: PageReq,
) -> Result<Page<Decision>> {
    let pat = like_pattern(q.unwrap_or(""));
    let count_sql = "SELECT COUNT(*) FROM decisions d WHERE d.community_id = $1 AND d.search_key LIKE $2 ESCAPE '\\'";
    let sql = format!(
        "SELECT {COLS} FROM decisions d WHERE d.community_id = $1 AND d.search_key LIKE $2 ESCAPE '\\'
         ORDER BY d.decided_on DESC, d.id DESC LIMIT $3 OFFSET $4"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(count_sql)
            .bind(community_id)
            .bind(&pat)
            .fetch_one(p)
            .await?;
        let items: Vec<Decision> = sqlx::query_as(&sql)
            .bind(community_id)
            .bind(&pat)
            .bind(req.limit())
            .bind(req.offset())
            .fetch_all(p)
            .await?;
        (total, items)
    });
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

/// Decisions that came from a given source (e.g. the adoption of one charter version).
pub async fn by_source(
    db: &Db,
    community_id: i64,
    kind: &str,
    source_id: i64,
) -> Result<Vec<Decision>> {
    let sql = format!(
        "SELECT {COLS} FROM decisions d WHERE d.community_id = $1 AND d.source_kind = $2 AND d.source_id = $3 ORDER BY d.id DESC LIMIT 20"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(kind)
        .bind(source_id)
        .fetch_all(p)
        .await)?)
}
