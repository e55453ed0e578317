//! Sustainability: storage of the self-assessment's rounds (through the assessment engine, see
//! [`crate::assessments`]), their results, and the action items made from gaps
//! (`sustainability_actions`).
//!
//! For reports: [`rounds`] lists a community's rounds oldest first, and [`results`] computes one
//! round's figures per dimension and per criterion.

use std::collections::HashMap;

use chrono::NaiveDate;
use tejido_core::assessments::{score, Scores, Stats};
use tejido_core::page::{Page, PageReq};
use tejido_core::sustainability::{ActionInput, INSTRUMENT, KEY};

use crate::assessments::{self as engine, Round};
use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most rounds [`rounds`] returns (one a quarter for 50 years).
pub const MAX_ROUNDS: i64 = 200;

/// A round of the sustainability self-assessment: id, community, title, opening and closing
/// dates (inclusive), when it was created, and how many people rated at least one criterion.
pub type RoundRow = Round;

/// A community's sustainability rounds, oldest first (at most [`MAX_ROUNDS`]), for trends and
/// reports.
pub async fn rounds(db: &Db, community_id: i64) -> Result<Vec<RoundRow>> {
    engine::rounds_all(db, community_id, KEY, MAX_ROUNDS).await
}

/// A page of a community's rounds, newest first.
pub async fn rounds_page(db: &Db, community_id: i64, req: PageReq) -> Result<Page<RoundRow>> {
    engine::rounds_page(db, community_id, KEY, req).await
}

/// A community's round by id.
pub async fn round(db: &Db, community_id: i64, id: i64) -> Result<Option<RoundRow>> {
    engine::round(db, community_id, KEY, id).await
}

/// Figures over a set of ratings (mean, median, min, max, `spread` = population standard
/// deviation, `range` = max − min) and how many people they come from; all `None` when nobody
/// rated.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Figures {
    pub key: &'static str,
    pub respondents: usize,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub spread: Option<f64>,
    pub range: Option<f64>,
    /// The ratings are [`tejido_core::assessments::DISAGREEMENT_RANGE`] or more apart: "no
    /// consensus — talk about it".
    pub disagreement: bool,
}

impl Figures {
    fn of(key: &'static str, s: Option<Stats>) -> Figures {
        Figures {
            key,
            respondents: s.map_or(0, |s| s.n),
            mean: s.map(|s| s.mean),
            median: s.map(|s| s.median),
            min: s.map(|s| s.min),
            max: s.map(|s| s.max),
            spread: s.map(|s| s.sd),
            range: s.map(|s| s.range),
            disagreement: s.is_some_and(|s| s.disagreement()),
        }
    }
}

/// One dimension's results: its figures over each respondent's mean of the dimension's criteria,
/// and each criterion's figures over the people who rated it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DimensionResults {
    #[serde(flatten)]
    pub figures: Figures,
    pub criteria: Vec<Figures>,
}

/// A round's results, dimensions and criteria in the instrument's order (the seed's Table 4).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RoundResults {
    pub round_id: i64,
    /// People who rated at least one criterion.
    pub respondents: usize,
    pub dimensions: Vec<DimensionResults>,
}

impl RoundResults {
    /// From the engine's scores.
    pub fn from_scores(round_id: i64, s: &Scores) -> RoundResults {
        RoundResults {
            round_id,
            respondents: s.respondents,
            dimensions: s
                .sections
                .iter()
                .map(|d| DimensionResults {
                    figures: Figures::of(d.key, d.stats),
                    criteria: d
                        .items
                        .iter()
                        .map(|i| Figures::of(i.key, i.stats))
                        .collect(),
                })
                .collect(),
        }
    }
    /// The dimension means in order (`None` where nobody rated).
    pub fn dimension_means(&self) -> Vec<Option<f64>> {
        self.dimensions.iter().map(|d| d.figures.mean).collect()
    }
}

/// One round's results (per dimension and per criterion: mean, median, min, max, spread,
/// respondents), computed from its ratings in one query.
pub async fn results(db: &Db, round_id: i64) -> Result<RoundResults> {
    let ratings = engine::ratings(db, round_id).await?;
    Ok(RoundResults::from_scores(
        round_id,
        &score(&INSTRUMENT, &ratings),
    ))
}

/// The results of several rounds in one query, by round id.
pub async fn results_of(db: &Db, round_ids: &[i64]) -> Result<HashMap<i64, RoundResults>> {
    let mut by = engine::ratings_of(db, round_ids).await?;
    Ok(round_ids
        .iter()
        .map(|id| {
            let r = by.remove(id).unwrap_or_default();
            (*id, RoundResults::from_scores(*id, &score(&INSTRUMENT, &r)))
        })
        .collect())
}

/// An action item made from a gap.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Action {
    pub id: i64,
    pub community_id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub item_key: String,
    pub title: String,
    pub owner_person_id: i64,
    pub owner_name: String,
    pub due_on: NaiveDate,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

const ACTION_SQL: &str = "SELECT a.id, a.community_id, a.round_id, r.title AS round_title, a.item_key, a.title,
    a.owner_person_id, p.full_name AS owner_name, a.due_on, a.status, a.created_at
    FROM sustainability_actions a JOIN assessment_rounds r ON r.id = a.round_id JOIN people p ON p.id = a.owner_person_id";

pub async fn insert_action(
    tx: &mut Tx,
    community_id: i64,
    round_id: i64,
    a: &ActionInput,
    by: Option<i64>,
) -> Result<i64> {
    let t = now();
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO sustainability_actions (community_id, round_id, item_key, title, owner_person_id, due_on, status,
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $8) RETURNING id",
        )
        .bind(community_id)
        .bind(round_id)
        .bind(a.item)
        .bind(&a.title)
        .bind(a.owner_person_id)
        .bind(a.due_on)
        .bind(by)
        .bind(t)
        .fetch_one(c)
        .await
    })?)
}

/// A page of a community's action items: open ones first, then by due date.
pub async fn actions(db: &Db, community_id: i64, req: PageReq) -> Result<Page<Action>> {
    let sql = format!(
        "{ACTION_SQL} WHERE a.community_id = $1
         ORDER BY CASE WHEN a.status = 'open' THEN 0 ELSE 1 END, a.due_on, a.id LIMIT $2 OFFSET $3"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sustainability_actions WHERE community_id = $1",
        )
        .bind(community_id)
        .fetch_one(p)
        .await?;
        let items: Vec<Action> = sqlx::query_as(&sql)
            .bind(community_id)
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

/// The action items made from one round (at most 200), for its results page.
pub async fn round_actions(db: &Db, round_id: i64) -> Result<Vec<Action>> {
    let sql = format!("{ACTION_SQL} WHERE a.round_id = $1 ORDER BY a.item_key, a.id LIMIT 200");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(round_id)
        .fetch_all(p)
        .await)?)
}

pub async fn action(db: &Db, community_id: i64, id: i64) -> Result<Option<Action>> {
    let sql = format!("{ACTION_SQL} WHERE a.id = $1 AND a.community_id = $2");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .bind(community_id)
        .fetch_optional(p)
        .await)?)
}

pub async fn set_action_status(tx: &mut Tx, id: i64, status: &str) -> Result<bool> {
    let t = now();
    let n = on_tx!(tx, |c| sqlx::query(
        "UPDATE sustainability_actions SET status = $1, updated_at = $2 WHERE id = $3"
    )
    .bind(status)
    .bind(t)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}
