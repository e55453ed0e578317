//! Goals, objectives and their status history; the community's phase; the facts the phase
//! conditions and the six steps are computed from (a fixed number of queries per community).

use chrono::NaiveDate;
use tejido_core::communities::Phase;
use tejido_core::governance::{Facts, GoalInput, ObjectiveInput, ObjectiveStatus};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Goal {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    pub horizon: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Objective {
    pub id: i64,
    pub goal_id: i64,
    pub title: String,
    pub indicator: String,
    pub target: String,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct StatusChange {
    pub id: i64,
    pub status: String,
    pub comment: Option<String>,
    pub changed_by_name: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// At most this many goals per community are listed (a community has a handful).
pub const MAX_GOALS: i64 = 200;

pub async fn insert_goal(
    tx: &mut Tx,
    community_id: i64,
    g: &GoalInput,
    by: Option<i64>,
) -> Result<i64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO goals (community_id, title, description, horizon, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(community_id)
    .bind(&g.title)
    .bind(&g.description)
    .bind(g.horizon.as_str())
    .bind(by)
    .bind(now())
    .fetch_one(c)
    .await
    })?)
}

/// The community's goals (short, medium, long term, oldest first) and all their objectives:
/// two queries whatever the number of goals.
pub async fn goals(db: &Db, community_id: i64) -> Result<(Vec<Goal>, Vec<Objective>)> {
    Ok(on!(db, |p| {
        let g: Vec<Goal> = sqlx::query_as(
            "SELECT id, title, description, horizon, created_at FROM goals WHERE community_id = $1 AND archived_at IS NULL
             ORDER BY CASE horizon WHEN 'short' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, id LIMIT $2",
        )
        .bind(community_id)
        .bind(MAX_GOALS)
        .fetch_all(p)
        .await?;
        let o: Vec<Objective> = sqlx::query_as(
            "SELECT o.id, o.goal_id, o.title, o.indicator, o.target, o.due_on, o.status, o.updated_at FROM objectives o
             JOIN goals g ON g.id = o.goal_id WHERE g.community_id = $1 AND g.archived_at IS NULL ORDER BY o.id LIMIT 2000",
        )
        .bind(community_id)
        .fetch_all(p)
        .await?;
        (g, o)
    }))
}

pub async fn goal(db: &Db, community_id: i64, id: i64) -> Result<Option<Goal>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT id, title, description, horizon, created_at FROM goals WHERE community_id = $1 AND id = $2 AND archived_at IS NULL"
    )
    .bind(community_id)
    .bind(id)
    .fetch_optional(p)
    .await
    })?)
}

pub async fn insert_objective(
    tx: &mut Tx,
    goal_id: i64,
    o: &ObjectiveInput,
    by: Option<i64>,
) -> Result<i64> {
    let t = now();
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO objectives (goal_id, title, indicator, target, due_on, status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id"
    )
    .bind(goal_id)
    .bind(&o.title)
    .bind(&o.indicator)
    .bind(&o.target)
    .bind(o.due_on)
    .bind(o.status.as_str())
    .bind(by)
    .bind(t)
    .fetch_one(c)
    .await
    })?;
    record_status(tx, id, o.status, None, by).await?;
    Ok(id)
}

/// An objective of this community (checked through its goal).
pub async fn objective(db: &Db, community_id: i64, id: i64) -> Result<Option<Objective>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT o.id, o.goal_id, o.title, o.indicator, o.target, o.due_on, o.status, o.updated_at FROM objectives o
         JOIN goals g ON g.id = o.goal_id WHERE g.community_id = $1 AND o.id = $2"
    )
    .bind(community_id)
    .bind(id)
    .fetch_optional(p)
    .await
    })?)
}

async fn record_status(
    tx: &mut Tx,
    objective_id: i64,
    s: ObjectiveStatus,
    comment: Option<&str>,
    by: Option<i64>,
) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO objective_status_changes (objective_id, status, comment, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(objective_id)
    .bind(s.as_str())
    .bind(comment)
    .bind(by)
    .bind(now())
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Changes an objective's status and keeps the change, with its comment, in the history.
pub async fn change_status(
    tx: &mut Tx,
    objective_id: i64,
    s: ObjectiveStatus,
    comment: Option<&str>,
    by: Option<i64>,
) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE objectives SET status = $1, updated_at = $2 WHERE id = $3"
    )
    .bind(s.as_str())
    .bind(now())
    .bind(objective_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    record_status(tx, objective_id, s, comment, by).await
}

pub async fn history(db: &Db, objective_id: i64) -> Result<Vec<StatusChange>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT h.id, h.status, h.comment, u.display_name AS changed_by_name, h.changed_at FROM objective_status_changes h
         LEFT JOIN users u ON u.id = h.changed_by WHERE h.objective_id = $1 ORDER BY h.changed_at DESC, h.id DESC LIMIT 200"
    )
    .bind(objective_id)
    .fetch_all(p)
    .await
    })?)
}

pub async fn set_phase(tx: &mut Tx, community_id: i64, phase: Phase) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE communities SET phase = $1, updated_at = $2 WHERE id = $3"
    )
    .bind(phase.as_str())
    .bind(now())
    .bind(community_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Current holders of `roles` who do not also convene the community.
const MEMBER_HOLDS: &str = "SELECT COUNT(*) FROM community_roles r WHERE r.community_id = $1 AND r.ends_at IS NULL AND r.role IN ({roles})
    AND NOT EXISTS (SELECT 1 FROM community_roles v WHERE v.community_id = r.community_id AND v.person_id = r.person_id
                    AND v.role = 'convener' AND v.ends_at IS NULL)";

/// What the data says about a community (a fixed number of queries).
pub async fn facts(db: &Db, community_id: i64) -> Result<Facts> {
    let co_lead = MEMBER_HOLDS.replace("{roles}", "'leader', 'co-leader'");
    let lead = MEMBER_HOLDS.replace("{roles}", "'leader'");
    Ok(on!(db, |p| {
        let (goals, horizons): (i64, i64) =
            sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT horizon) FROM goals WHERE community_id = $1 AND archived_at IS NULL")
                .bind(community_id)
                .fetch_one(p)
                .await?;
        let goals_with_objectives: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM goals g WHERE g.community_id = $1 AND g.archived_at IS NULL
             AND EXISTS (SELECT 1 FROM objectives o WHERE o.goal_id = g.id)",
        )
        .bind(community_id)
        .fetch_one(p)
        .await?;
        let (member_organizations, organization_kinds): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT o.kind) FROM community_organizations co JOIN organizations o ON o.id = co.organization_id
             WHERE co.community_id = $1 AND co.left_at IS NULL",
        )
        .bind(community_id)
        .fetch_one(p)
        .await?;
        let position_levels: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT pe.position_level) FROM community_people cp JOIN people pe ON pe.id = cp.person_id
             WHERE cp.community_id = $1 AND cp.left_at IS NULL",
        )
        .bind(community_id)
        .fetch_one(p)
        .await?;
        let co: i64 = sqlx::query_scalar(&co_lead)
            .bind(community_id)
            .fetch_one(p)
            .await?;
        let le: i64 = sqlx::query_scalar(&lead)
            .bind(community_id)
            .fetch_one(p)
            .await?;
        let charter: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM charter_versions WHERE community_id = $1 AND status = 'adopted'",
        )
        .bind(community_id)
        .fetch_one(p)
        .await?;
        let decisions: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM decisions WHERE community_id = $1")
                .bind(community_id)
                .fetch_one(p)
                .await?;
        let rotation_policies: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM rotation_policies WHERE community_id = $1")
                .bind(community_id)
                .fetch_one(p)
                .await?;
        Facts {
            goals,
            goals_with_objectives,
            horizons,
            member_organizations,
            organization_kinds,
            position_levels,
            members_co_lead: co > 0,
            member_leads: le > 0,
            charter_adopted: charter > 0,
            decisions,
            rotation_policies,
        }
    }))
}
