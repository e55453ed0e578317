//! The Local System map: storage of ties (never deleted, only ended) and survey rounds. The
//! network of a community at a date is the set of its ties active that day — started on or
//! before it and not ended on or before it — read in one query; sensitive kinds are filtered
//! in SQL by the caller's list of visible kinds.

use chrono::NaiveDate;
use tejido_core::network::{RatedTie, SubRatings, TieInput, TieSource};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most ties read for one network (the map and the analysis).
pub const MAX_TIES: i64 = 5000;

/// A tie with the names and sectors of its two organizations.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Tie {
    pub id: i64,
    pub from_org: i64,
    pub from_name: String,
    pub from_kind: String,
    pub to_org: i64,
    pub to_name: String,
    pub to_kind: String,
    pub kind: String,
    pub directed: bool,
    pub strength: i64,
    pub trust: Option<i64>,
    pub value: Option<i64>,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub source: String,
    pub round_id: Option<i64>,
    pub via_community: bool,
    /// PARTNER sub-ratings (all six or none) and the exact means they give (two decimals).
    pub reliability: Option<i64>,
    pub mission: Option<i64>,
    pub openness: Option<i64>,
    pub power: Option<i64>,
    pub resources: Option<i64>,
    pub involvement: Option<i64>,
    pub trust_mean: Option<f64>,
    pub value_mean: Option<f64>,
    /// The account that recorded the tie: it may see and end a sensitive tie it recorded.
    #[serde(skip)]
    pub entered_by: Option<i64>,
}

impl Tie {
    /// Trust as exactly as known: the mean of the sub-ratings, or the whole points.
    pub fn trust_score(&self) -> Option<f64> {
        self.trust_mean.or(self.trust.map(|t| t as f64))
    }
    pub fn value_score(&self) -> Option<f64> {
        self.value_mean.or(self.value.map(|v| v as f64))
    }
    pub fn has_sub_ratings(&self) -> bool {
        self.trust_mean.is_some()
    }
}

const TIE_COLS: &str = "t.id, t.from_org, a.name AS from_name, a.kind AS from_kind, t.to_org, b.name AS to_name, b.kind AS to_kind,
    t.kind, t.directed, t.strength, t.trust, t.value, t.started_on, t.ended_on, t.source, t.round_id, t.via_community,
    t.reliability, t.mission, t.openness, t.power, t.resources, t.involvement, t.trust_mean, t.value_mean, t.entered_by";

/// An actor: an organization of the directory.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Actor {
    pub id: i64,
    pub name: String,
    pub kind: String,
}

/// Inserts ties in one transaction (the caller adds the audit row).
pub async fn insert_ties(
    tx: &mut Tx,
    community_id: i64,
    ties: &[TieInput],
    source: TieSource,
    round_id: Option<i64>,
    user: Option<i64>,
) -> Result<Vec<i64>> {
    let t = now();
    let mut ids = Vec::with_capacity(ties.len());
    for tie in ties {
        let id: i64 = on_tx!(tx, |c| {
            sqlx::query_scalar(
                "INSERT INTO network_ties (community_id, from_org, to_org, kind, directed, strength, trust, value, started_on, ended_on,
                 source, round_id, via_community, entered_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            )
            .bind(community_id)
            .bind(tie.from)
            .bind(tie.to)
            .bind(tie.kind.as_str())
            .bind(tie.kind.directed())
            .bind(tie.strength)
            .bind(tie.trust)
            .bind(tie.value)
            .bind(tie.started_on)
            .bind(tie.ended_on)
            .bind(source.as_str())
            .bind(round_id)
            .bind(tie.via_community)
            .bind(user)
            .bind(t)
            .fetch_one(c)
            .await
        })?;
        ids.push(id);
    }
    Ok(ids)
}

/// Stores the PARTNER sub-ratings of a tie of the community and the trust and value they give:
/// the exact means (two decimals) in `trust_mean`/`value_mean`, rounded whole points in
/// `trust`/`value`.
pub async fn set_sub_ratings(
    tx: &mut Tx,
    community_id: i64,
    tie_id: i64,
    r: &SubRatings,
) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE network_ties SET reliability = $1, mission = $2, openness = $3, power = $4, resources = $5, involvement = $6,
             trust_mean = $7, value_mean = $8, trust = $9, value = $10 WHERE community_id = $11 AND id = $12",
        )
        .bind(r.reliability)
        .bind(r.mission)
        .bind(r.openness)
        .bind(r.power)
        .bind(r.resources)
        .bind(r.involvement)
        .bind(r.trust())
        .bind(r.value())
        .bind(r.trust_points())
        .bind(r.value_points())
        .bind(community_id)
        .bind(tie_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// Inserts ties with their optional sub-ratings ([`insert_ties`] then [`set_sub_ratings`]), in
/// the caller's transaction.
pub async fn insert_rated_ties(
    tx: &mut Tx,
    community_id: i64,
    ties: &[RatedTie],
    source: TieSource,
    round_id: Option<i64>,
    user: Option<i64>,
) -> Result<Vec<i64>> {
    let plain: Vec<TieInput> = ties.iter().map(|r| r.tie.clone()).collect();
    let ids = insert_ties(tx, community_id, &plain, source, round_id, user).await?;
    for (id, r) in ids.iter().zip(ties) {
        if let Some(s) = &r.ratings {
            set_sub_ratings(tx, community_id, *id, s).await?;
        }
    }
    Ok(ids)
}

/// Ends a tie on `on` (if still open and of the community). Ties are never deleted.
pub async fn end_tie(tx: &mut Tx, community_id: i64, id: i64, on: NaiveDate) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE network_ties SET ended_on = $1 WHERE community_id = $2 AND id = $3 AND ended_on IS NULL AND started_on <= $1",
        )
        .bind(on)
        .bind(community_id)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(n > 0)
}

/// One tie of a community, if its kind is among `kinds` or `recorder` recorded it.
pub async fn tie(
    db: &Db,
    community_id: i64,
    id: i64,
    kinds: &[&str],
    recorder: Option<i64>,
) -> Result<Option<Tie>> {
    let sql = format!(
        "SELECT {TIE_COLS} FROM network_ties t JOIN organizations a ON a.id = t.from_org JOIN organizations b ON b.id = t.to_org
         WHERE t.community_id = $1 AND t.id = $2"
    );
    let t: Option<Tie> = on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    Ok(t.filter(|t| {
        kinds.contains(&t.kind.as_str()) || (recorder.is_some() && t.entered_by == recorder)
    }))
}

/// The open ties of `kinds` that `user` recorded in a community (a member's own reports of
/// sensitive ties, which the map does not show them), newest first.
pub async fn open_ties_recorded_by(
    db: &Db,
    community_id: i64,
    user: i64,
    kinds: &[&str],
) -> Result<Vec<Tie>> {
    if kinds.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT {TIE_COLS} FROM network_ties t JOIN organizations a ON a.id = t.from_org JOIN organizations b ON b.id = t.to_org
         WHERE t.community_id = $1 AND t.entered_by = $2 AND t.ended_on IS NULL AND t.kind IN ({})
         ORDER BY t.id DESC LIMIT 50",
        kinds_list(kinds)
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(user)
        .fetch_all(p)
        .await)?)
}

fn kinds_list(kinds: &[&str]) -> String {
    // The kinds come from TieKind::as_str (a closed set of plain words), never from input.
    kinds
        .iter()
        .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The ties of a community active on `at` whose kind is in `kinds`, strongest first.
pub async fn ties_at(
    db: &Db,
    community_id: i64,
    at: NaiveDate,
    kinds: &[&str],
) -> Result<Vec<Tie>> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {TIE_COLS} FROM network_ties t JOIN organizations a ON a.id = t.from_org JOIN organizations b ON b.id = t.to_org
         WHERE t.community_id = $1 AND t.started_on <= $2 AND (t.ended_on IS NULL OR t.ended_on > $2) AND t.kind IN ({})
         ORDER BY t.strength DESC, t.id LIMIT $3",
        kinds_list(kinds)
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(at)
        .bind(MAX_TIES)
        .fetch_all(p)
        .await)?)
}

/// The ties a survey round produced whose kind is in `kinds`.
pub async fn ties_of_round(db: &Db, round_id: i64, kinds: &[&str]) -> Result<Vec<Tie>> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {TIE_COLS} FROM network_ties t JOIN organizations a ON a.id = t.from_org JOIN organizations b ON b.id = t.to_org
         WHERE t.round_id = $1 AND t.kind IN ({}) ORDER BY t.from_org, t.id LIMIT $2",
        kinds_list(kinds)
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(round_id)
        .bind(MAX_TIES)
        .fetch_all(p)
        .await)?)
}

/// The community's current member organizations (as actors).
pub async fn member_actors(db: &Db, community_id: i64) -> Result<Vec<Actor>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT o.id, o.name, o.kind FROM community_organizations co JOIN organizations o ON o.id = co.organization_id
         WHERE co.community_id = $1 AND co.left_at IS NULL ORDER BY o.name_key LIMIT $2",
    )
    .bind(community_id)
    .bind(MAX_TIES)
    .fetch_all(p)
    .await
    })?)
}

/// Organizations of the directory that may be named in a tie (not archived), by name.
pub async fn actor_choices(db: &Db, limit: i64) -> Result<Vec<Actor>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT id, name, kind FROM organizations WHERE archived_at IS NULL ORDER BY name_key LIMIT $1",
    )
    .bind(limit)
    .fetch_all(p)
    .await
    })?)
}

/// How many of `ids` are organizations of the directory that are not archived.
pub async fn count_actors(db: &Db, ids: &[i64]) -> Result<i64> {
    let mut uniq: Vec<i64> = ids.to_vec();
    uniq.sort_unstable();
    uniq.dedup();
    if uniq.is_empty() {
        return Ok(0);
    }
    let list = uniq
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let sql =
        format!("SELECT COUNT(*) FROM organizations WHERE archived_at IS NULL AND id IN ({list})");
    Ok(on!(db, |p| sqlx::query_scalar::<_, i64>(&sql)
        .fetch_one(p)
        .await)?)
}

/// A survey round.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Round {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub opened_on: NaiveDate,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub answers: i64,
}

const ROUND_COLS: &str = "r.id, r.community_id, r.title, r.opened_on, r.closed_at, r.created_at,
    (SELECT COUNT(*) FROM network_ties t WHERE t.round_id = r.id) AS answers";

pub async fn open_round(
    tx: &mut Tx,
    community_id: i64,
    title: &str,
    opened_on: NaiveDate,
    user: Option<i64>,
) -> Result<i64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO network_survey_rounds (community_id, title, opened_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(community_id)
    .bind(title)
    .bind(opened_on)
    .bind(user)
    .bind(now())
    .fetch_one(c)
    .await
    })?)
}

pub async fn close_round(tx: &mut Tx, community_id: i64, id: i64) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE network_survey_rounds SET closed_at = $1 WHERE community_id = $2 AND id = $3 AND closed_at IS NULL",
    )
    .bind(now())
    .bind(community_id)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n > 0)
}

pub async fn round(db: &Db, community_id: i64, id: i64) -> Result<Option<Round>> {
    let sql = format!(
        "SELECT {ROUND_COLS} FROM network_survey_rounds r WHERE r.community_id = $1 AND r.id = $2"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// The community's rounds, newest first (at most `limit`).
pub async fn rounds(db: &Db, community_id: i64, limit: i64) -> Result<Vec<Round>> {
    let sql = format!(
        "SELECT {ROUND_COLS} FROM network_survey_rounds r WHERE r.community_id = $1 ORDER BY r.id DESC LIMIT $2"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// Whether an organization already answered a round.
pub async fn answered(db: &Db, round_id: i64, org: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM network_ties WHERE round_id = $1 AND from_org = $2"
    )
    .bind(round_id)
    .bind(org)
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}

/// The organization of a person, if it is a current member organization of the community.
pub async fn member_org_of(db: &Db, community_id: i64, person_id: i64) -> Result<Option<i64>> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT pe.organization_id FROM people pe JOIN community_organizations co ON co.organization_id = pe.organization_id
         WHERE co.community_id = $1 AND pe.id = $2 AND co.left_at IS NULL",
    )
    .bind(community_id)
    .bind(person_id)
    .fetch_optional(p)
    .await)?
    .flatten())
}

/// Ends the organization's open survey ties of earlier rounds: a new answer replaces the old one.
pub async fn end_survey_ties_of(
    tx: &mut Tx,
    community_id: i64,
    org: i64,
    round_id: i64,
    on: NaiveDate,
) -> Result<u64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE network_ties SET ended_on = $1 WHERE community_id = $2 AND from_org = $3 AND source = 'survey'
         AND round_id <> $4 AND ended_on IS NULL AND started_on <= $1",
    )
    .bind(on)
    .bind(community_id)
    .bind(org)
    .bind(round_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?)
}

/// Which of `ids` are organizations of the directory that are not archived.
pub async fn actor_choices_among(db: &Db, ids: &[i64]) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT id FROM organizations WHERE archived_at IS NULL AND id IN ({list})");
    Ok(on!(db, |p| sqlx::query_scalar::<_, i64>(&sql)
        .fetch_all(p)
        .await)?)
}
