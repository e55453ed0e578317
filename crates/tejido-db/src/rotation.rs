//! Rotation policies, opt-outs, skills and swaps. Past turns are not stored twice: they are the
//! `community_roles` history, counted per person or per organization (through the person's
//! current organization) in one query per role. A hand-over ends the current term and starts
//! the next in one transaction.

use tejido_core::communities::Role;
use tejido_core::rotation::{Policy, Preferences, SubjectKind};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most candidates considered for one role (a learning community is far smaller).
pub const MAX_CANDIDATES: i64 = 500;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PolicyRow {
    pub id: i64,
    pub role: String,
    pub mode: String,
    pub required_skill: Option<String>,
    pub term_days: i32,
    pub updated_at: DateTime<Utc>,
}

/// A community's rotation policies (at most one per role).
pub async fn policies(db: &Db, community_id: i64) -> Result<Vec<PolicyRow>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT id, role, mode, required_skill, term_days, updated_at FROM rotation_policies
         WHERE community_id = $1 ORDER BY role LIMIT 20"
    )
    .bind(community_id)
    .fetch_all(p)
    .await)?)
}

/// Creates or replaces a role's policy; returns its id. Pending swaps of a replaced policy are
/// closed, since they were agreed under the old rule.
pub async fn set_policy(
    tx: &mut Tx,
    community_id: i64,
    role: Role,
    p: &Policy,
    by: Option<i64>,
) -> Result<i64> {
    let t = now();
    let term = i32::try_from(p.term_days).unwrap_or(i32::MAX);
    Ok(on_tx!(tx, |c| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO rotation_policies (community_id, role, mode, required_skill, term_days, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (community_id, role) DO UPDATE SET mode = excluded.mode, required_skill = excluded.required_skill,
               term_days = excluded.term_days, updated_by = excluded.updated_by, updated_at = excluded.updated_at
             RETURNING id",
        )
        .bind(community_id)
        .bind(role.as_str())
        .bind(p.mode.as_str())
        .bind(&p.required_skill)
        .bind(term)
        .bind(by)
        .bind(t)
        .fetch_one(&mut *c)
        .await?;
        sqlx::query("UPDATE rotation_swaps SET consumed_at = $1 WHERE policy_id = $2 AND consumed_at IS NULL")
            .bind(t)
            .bind(id)
            .execute(&mut *c)
            .await?;
        id
    }))
}

/// Someone who could take a turn, with their past turns of one role and their preferences.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CandidateRow {
    pub id: i64,
    pub name: String,
    pub turns: i64,
    pub last_turn: Option<DateTime<Utc>>,
    pub opted_out_roles: Option<String>,
    pub skills: Option<String>,
}

impl CandidateRow {
    pub fn preferences(&self) -> Preferences {
        Preferences::from_stored(
            self.opted_out_roles.as_deref().unwrap_or(""),
            self.skills.as_deref().unwrap_or(""),
        )
    }
}

/// Current members (people) who may rotate — everyone but guests — with their past terms of
/// `role` in this community, in one query.
pub async fn person_candidates(
    db: &Db,
    community_id: i64,
    role: Role,
) -> Result<Vec<CandidateRow>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT cp.person_id AS id, pe.full_name AS name,
           (SELECT COUNT(*) FROM community_roles cr WHERE cr.community_id = cp.community_id AND cr.role = $1 AND cr.person_id = cp.person_id) AS turns,
           (SELECT MAX(cr.starts_at) FROM community_roles cr WHERE cr.community_id = cp.community_id AND cr.role = $1 AND cr.person_id = cp.person_id) AS last_turn,
           rp.opted_out_roles, rp.skills
         FROM community_people cp
         JOIN people pe ON pe.id = cp.person_id
         LEFT JOIN rotation_preferences rp ON rp.community_id = cp.community_id AND rp.subject_kind = 'person' AND rp.subject_id = cp.person_id
         WHERE cp.community_id = $2 AND cp.left_at IS NULL AND pe.archived_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM community_roles g WHERE g.community_id = cp.community_id AND g.person_id = cp.person_id
                           AND g.role = 'guest' AND g.ends_at IS NULL)
         ORDER BY pe.name_key, cp.person_id LIMIT $3"
    )
    .bind(role.as_str())
    .bind(community_id)
    .bind(MAX_CANDIDATES)
    .fetch_all(p)
    .await
    })?)
}

/// Current member organizations with at least one current member person, with the terms of
/// `role` held by their people in this community, in one query.
pub async fn organization_candidates(
    db: &Db,
    community_id: i64,
    role: Role,
) -> Result<Vec<CandidateRow>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT co.organization_id AS id, o.name AS name,
           (SELECT COUNT(*) FROM community_roles cr JOIN people pr ON pr.id = cr.person_id
             WHERE cr.community_id = co.community_id AND cr.role = $1 AND pr.organization_id = co.organization_id) AS turns,
           (SELECT MAX(cr.starts_at) FROM community_roles cr JOIN people pr ON pr.id = cr.person_id
             WHERE cr.community_id = co.community_id AND cr.role = $1 AND pr.organization_id = co.organization_id) AS last_turn,
           rp.opted_out_roles, rp.skills
         FROM community_organizations co
         JOIN organizations o ON o.id = co.organization_id
         LEFT JOIN rotation_preferences rp ON rp.community_id = co.community_id AND rp.subject_kind = 'organization' AND rp.subject_id = co.organization_id
         WHERE co.community_id = $2 AND co.left_at IS NULL
           AND EXISTS (SELECT 1 FROM community_people cp JOIN people pm ON pm.id = cp.person_id
                       WHERE cp.community_id = co.community_id AND cp.left_at IS NULL AND pm.organization_id = co.organization_id)
         ORDER BY o.name_key, co.organization_id LIMIT $3"
    )
    .bind(role.as_str())
    .bind(community_id)
    .bind(MAX_CANDIDATES)
    .fetch_all(p)
    .await
    })?)
}

/// Whoever currently holds a rotating role (the latest term when several are open).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Holder {
    pub role: String,
    pub person_id: i64,
    pub full_name: String,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub starts_at: DateTime<Utc>,
}

/// The current holders of the rotating roles, newest term first within each role.
pub async fn holders(db: &Db, community_id: i64) -> Result<Vec<Holder>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT cr.role, cr.person_id, pe.full_name, pe.organization_id, o.name AS organization_name, cr.starts_at
         FROM community_roles cr JOIN people pe ON pe.id = cr.person_id LEFT JOIN organizations o ON o.id = pe.organization_id
         WHERE cr.community_id = $1 AND cr.ends_at IS NULL AND cr.role IN ('leader', 'facilitator', 'rapporteur', 'timekeeper')
         ORDER BY cr.role, cr.starts_at DESC, cr.id DESC LIMIT 200"
    )
    .bind(community_id)
    .fetch_all(p)
    .await
    })?)
}

/// The current member of an organization who should carry its turn of `role`: the one who held
/// that role least often, then the lowest id.
pub async fn representative(
    db: &Db,
    community_id: i64,
    organization_id: i64,
    role: Role,
) -> Result<Option<i64>> {
    Ok(on!(db, |p| {
        sqlx::query_scalar(
        "SELECT cp.person_id FROM community_people cp JOIN people pe ON pe.id = cp.person_id
         WHERE cp.community_id = $1 AND cp.left_at IS NULL AND pe.organization_id = $2 AND pe.archived_at IS NULL
         ORDER BY (SELECT COUNT(*) FROM community_roles cr WHERE cr.community_id = cp.community_id AND cr.person_id = cp.person_id AND cr.role = $3),
                  cp.person_id
         LIMIT 1"
    )
    .bind(community_id)
    .bind(organization_id)
    .bind(role.as_str())
    .fetch_optional(p)
    .await
    })?)
}

/// Ends every open term of `role` and starts `person_id`'s, closing pending swaps that involve
/// the new holder (`subject_id`: the person, or their organization). Part of the caller's
/// transaction, with its audit entry.
pub async fn hand_over(
    tx: &mut Tx,
    community_id: i64,
    role: Role,
    person_id: i64,
    policy_id: i64,
    subject_id: i64,
    by: Option<i64>,
) -> Result<()> {
    let t = now();
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE community_roles SET ends_at = $1 WHERE community_id = $2 AND role = $3 AND ends_at IS NULL",
        )
        .bind(t)
        .bind(community_id)
        .bind(role.as_str())
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "INSERT INTO community_roles (community_id, person_id, role, starts_at, assigned_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(community_id)
        .bind(person_id)
        .bind(role.as_str())
        .bind(t)
        .bind(by)
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "UPDATE rotation_swaps SET consumed_at = $1 WHERE policy_id = $2 AND consumed_at IS NULL AND (a_id = $3 OR b_id = $3)",
        )
        .bind(t)
        .bind(policy_id)
        .bind(subject_id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Swap {
    pub id: i64,
    pub policy_id: i64,
    pub a_id: i64,
    pub b_id: i64,
    pub decision_id: Option<i64>,
    pub recorded_at: DateTime<Utc>,
}

/// Pending swaps of a community's policies, oldest first (the order they apply in).
pub async fn pending_swaps(db: &Db, community_id: i64) -> Result<Vec<Swap>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT s.id, s.policy_id, s.a_id, s.b_id, s.decision_id, s.recorded_at
         FROM rotation_swaps s JOIN rotation_policies rp ON rp.id = s.policy_id
         WHERE rp.community_id = $1 AND s.consumed_at IS NULL ORDER BY s.id LIMIT 200"
    )
    .bind(community_id)
    .fetch_all(p)
    .await)?)
}

/// Records a swap; returns its id. The caller links the decision with [`link_decision`].
pub async fn insert_swap(
    tx: &mut Tx,
    policy_id: i64,
    a_id: i64,
    b_id: i64,
    by: Option<i64>,
) -> Result<i64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO rotation_swaps (policy_id, a_id, b_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id"
    )
    .bind(policy_id)
    .bind(a_id)
    .bind(b_id)
    .bind(by)
    .bind(now())
    .fetch_one(c)
    .await
    })?)
}

pub async fn link_decision(tx: &mut Tx, swap_id: i64, decision_id: i64) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE rotation_swaps SET decision_id = $1 WHERE id = $2"
    )
    .bind(decision_id)
    .bind(swap_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// One subject's stored preferences (default when none were stored).
pub async fn preferences(
    db: &Db,
    community_id: i64,
    kind: SubjectKind,
    subject_id: i64,
) -> Result<Preferences> {
    let row: Option<(String, String)> = on!(db, |p| {
        sqlx::query_as(
        "SELECT opted_out_roles, skills FROM rotation_preferences WHERE community_id = $1 AND subject_kind = $2 AND subject_id = $3"
    )
    .bind(community_id)
    .bind(kind.as_str())
    .bind(subject_id)
    .fetch_optional(p)
    .await
    })?;
    Ok(row
        .map(|(o, s)| Preferences::from_stored(&o, &s))
        .unwrap_or_default())
}

pub async fn set_preferences(
    tx: &mut Tx,
    community_id: i64,
    kind: SubjectKind,
    subject_id: i64,
    prefs: &Preferences,
    by: Option<i64>,
) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO rotation_preferences (community_id, subject_kind, subject_id, opted_out_roles, skills, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (community_id, subject_kind, subject_id) DO UPDATE SET opted_out_roles = excluded.opted_out_roles,
           skills = excluded.skills, updated_by = excluded.updated_by, updated_at = excluded.updated_at"
    )
    .bind(community_id)
    .bind(kind.as_str())
    .bind(subject_id)
    .bind(prefs.opted_out_text())
    .bind(prefs.skills_text())
    .bind(by)
    .bind(now())
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The display name of a subject that is a current member of the community, if it is one.
pub async fn member_subject_name(
    db: &Db,
    community_id: i64,
    kind: SubjectKind,
    subject_id: i64,
) -> Result<Option<String>> {
    let sql = match kind {
        SubjectKind::Person => {
            "SELECT pe.full_name FROM community_people cp JOIN people pe ON pe.id = cp.person_id
             WHERE cp.community_id = $1 AND cp.person_id = $2 AND cp.left_at IS NULL"
        }
        SubjectKind::Organization => {
            "SELECT o.name FROM community_organizations co JOIN organizations o ON o.id = co.organization_id
             WHERE co.community_id = $1 AND co.organization_id = $2 AND co.left_at IS NULL"
        }
    };
    Ok(on!(db, |p| sqlx::query_scalar(sql)
        .bind(community_id)
        .bind(subject_id)
        .fetch_optional(p)
        .await)?)
}
