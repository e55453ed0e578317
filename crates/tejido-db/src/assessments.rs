//! Assessments: storage of rounds, responses and their aggregates.
//!
//! A round belongs to a community and names its instrument by key and version (the instruments
//! are defined in `tejido_core::assessments`). A response is one person's answer to one item in a
//! round (unique on round, person and item): a rating or none yet, evidence and a note. Scores
//! are computed in `tejido_core::assessments::score` from [`ratings`], read in one query.

use std::collections::HashMap;

use chrono::NaiveDate;
use tejido_core::assessments::{Rating, ResponseInput};
use tejido_core::page::{Page, PageReq};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most response rows read for one round's results or evidence (18 items × 5,000 people).
pub const MAX_ROWS: i64 = 90_000;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Round {
    pub id: i64,
    pub community_id: i64,
    pub instrument: String,
    pub version: i64,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// People with at least one rating in the round.
    pub respondents: i64,
}

const ROUND_COLS: &str = "r.id, r.community_id, r.instrument, r.version, r.title, r.opens_on, r.closes_on, r.created_at,
    (SELECT COUNT(DISTINCT x.person_id) FROM assessment_responses x WHERE x.round_id = r.id AND x.value IS NOT NULL) AS respondents";

/// What a new round stores.
pub struct NewRound<'a> {
    pub instrument: &'a str,
    pub version: i64,
    pub title: &'a str,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

pub async fn insert_round(
    tx: &mut Tx,
    community_id: i64,
    r: &NewRound<'_>,
    by: Option<i64>,
) -> Result<i64> {
    let t = now();
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO assessment_rounds (community_id, instrument, version, title, opens_on, closes_on, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(community_id)
        .bind(r.instrument)
        .bind(r.version)
        .bind(r.title)
        .bind(r.opens_on)
        .bind(r.closes_on)
        .bind(by)
        .bind(t)
        .fetch_one(c)
        .await
    })?)
}

/// A community's round of an instrument.
pub async fn round(db: &Db, community_id: i64, instrument: &str, id: i64) -> Result<Option<Round>> {
    let sql = format!(
        "SELECT {ROUND_COLS} FROM assessment_rounds r WHERE r.id = $1 AND r.community_id = $2 AND r.instrument = $3"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .bind(community_id)
        .bind(instrument)
        .fetch_optional(p)
        .await)?)
}

/// A page of a community's rounds of an instrument, newest first.
pub async fn rounds_page(
    db: &Db,
    community_id: i64,
    instrument: &str,
    req: PageReq,
) -> Result<Page<Round>> {
    let count_sql =
        "SELECT COUNT(*) FROM assessment_rounds r WHERE r.community_id = $1 AND r.instrument = $2";
    let sql = format!(
        "SELECT {ROUND_COLS} FROM assessment_rounds r WHERE r.community_id = $1 AND r.instrument = $2
         ORDER BY r.opens_on DESC, r.id DESC LIMIT $3 OFFSET $4"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(count_sql)
            .bind(community_id)
            .bind(instrument)
            .fetch_one(p)
            .await?;
        let items: Vec<Round> = sqlx::query_as(&sql)
            .bind(community_id)
            .bind(instrument)
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

/// Up to `limit` of a community's rounds of an instrument, oldest first.
pub async fn rounds_all(
    db: &Db,
    community_id: i64,
    instrument: &str,
    limit: i64,
) -> Result<Vec<Round>> {
    let sql = format!(
        "SELECT {ROUND_COLS} FROM assessment_rounds r WHERE r.community_id = $1 AND r.instrument = $2
         ORDER BY r.opens_on, r.id LIMIT $3"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(instrument)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// The round just before `r` (by opening date) of the same community and instrument.
pub async fn previous_round(db: &Db, r: &Round) -> Result<Option<Round>> {
    let sql = format!(
        "SELECT {ROUND_COLS} FROM assessment_rounds r WHERE r.community_id = $1 AND r.instrument = $2
         AND (r.opens_on < $3 OR (r.opens_on = $3 AND r.id < $4)) ORDER BY r.opens_on DESC, r.id DESC LIMIT 1"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(r.community_id)
        .bind(&r.instrument)
        .bind(r.opens_on)
        .bind(r.id)
        .fetch_optional(p)
        .await)?)
}

/// The ratings (not the empty responses) of a round.
pub async fn ratings(db: &Db, round_id: i64) -> Result<Vec<Rating>> {
    Ok(ratings_of(db, &[round_id])
        .await?
        .remove(&round_id)
        .unwrap_or_default())
}

/// The ratings of several rounds in one query, by round.
pub async fn ratings_of(db: &Db, round_ids: &[i64]) -> Result<HashMap<i64, Vec<Rating>>> {
    let mut out: HashMap<i64, Vec<Rating>> = HashMap::new();
    if round_ids.is_empty() {
        return Ok(out);
    }
    let ids = round_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    // The ids are integers formatted here, never user text.
    let sql = format!(
        "SELECT round_id, person_id, item_key, value FROM assessment_responses
         WHERE round_id IN ({ids}) AND value IS NOT NULL ORDER BY round_id, item_key, person_id LIMIT $1"
    );
    let rows: Vec<(i64, i64, String, i64)> = on!(db, |p| sqlx::query_as(&sql)
        .bind(MAX_ROWS * round_ids.len() as i64)
        .fetch_all(p)
        .await)?;
    for (round, person, item, value) in rows {
        out.entry(round).or_default().push(Rating {
            person,
            item,
            value,
        });
    }
    Ok(out)
}

/// One person's stored answer to an item.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Response {
    pub item_key: String,
    pub value: Option<i64>,
    pub evidence: Option<String>,
    pub note: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A person's answers in a round.
pub async fn responses_of(db: &Db, round_id: i64, person_id: i64) -> Result<Vec<Response>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT item_key, value, evidence, note, updated_at FROM assessment_responses
         WHERE round_id = $1 AND person_id = $2 ORDER BY item_key"
    )
    .bind(round_id)
    .bind(person_id)
    .fetch_all(p)
    .await)?)
}

/// Saves a person's answers: each item's answer replaces the stored one; an empty answer deletes
/// it. One statement per answered item, all in the caller's transaction.
pub async fn save_responses(
    tx: &mut Tx,
    round_id: i64,
    person_id: i64,
    answers: &[ResponseInput],
) -> Result<()> {
    let t = now();
    for a in answers {
        if a.is_empty() {
            on_tx!(tx, |c| {
                sqlx::query(
                "DELETE FROM assessment_responses WHERE round_id = $1 AND person_id = $2 AND item_key = $3"
            )
            .bind(round_id)
            .bind(person_id)
            .bind(a.item)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
            })?;
        } else {
            on_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO assessment_responses (round_id, person_id, item_key, value, evidence, note, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (round_id, person_id, item_key) DO UPDATE SET value = excluded.value,
                 evidence = excluded.evidence, note = excluded.note, updated_at = excluded.updated_at"
            )
            .bind(round_id)
            .bind(person_id)
            .bind(a.item)
            .bind(a.value)
            .bind(a.evidence.as_deref())
            .bind(a.note.as_deref())
            .bind(t)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
            })?;
        }
    }
    Ok(())
}

/// Evidence and notes of a round without who wrote them, by item then rating.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Evidence {
    pub item_key: String,
    pub value: Option<i64>,
    pub evidence: Option<String>,
    pub note: Option<String>,
}

pub async fn evidence(db: &Db, round_id: i64) -> Result<Vec<Evidence>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT item_key, value, evidence, note FROM assessment_responses
         WHERE round_id = $1 AND (evidence IS NOT NULL OR note IS NOT NULL)
         ORDER BY item_key, value, id LIMIT $2"
    )
    .bind(round_id)
    .bind(MAX_ROWS)
    .fetch_all(p)
    .await)?)
}
