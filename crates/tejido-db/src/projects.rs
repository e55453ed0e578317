//! Joint projects and alliances: storage of a community's projects, their member organizations
//! and outside partners (with their role), and the lookup of the active ties of one kind that
//! a project must not add twice to the Local System map.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use tejido_core::page::{Page, PageReq};
use tejido_core::projects::{pair, ProjectInput};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most projects a report reads for one period.
pub const MAX_REPORT: i64 = 2000;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Project {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub kind: String,
    pub theme: Option<String>,
    /// INEGI codes, comma-separated.
    pub states: String,
    pub municipality: Option<String>,
    pub status: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub description: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Project {
    /// The state codes.
    pub fn state_codes(&self) -> Vec<String> {
        self.states
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

const COLS: &str = "p.id, p.community_id, p.title, p.kind, p.theme, p.states, p.municipality, p.status, p.starts_on, p.ends_on,
    p.description, p.created_by, p.created_at, p.updated_at";

/// An organization of a project: a member (no role) or an outside partner with its role.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ProjectOrg {
    #[serde(skip)]
    pub project_id: i64,
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub partner: bool,
    pub role: Option<String>,
}

/// A project as a report shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProjectRow {
    pub project: Project,
    pub members: Vec<ProjectOrg>,
    pub partners: Vec<ProjectOrg>,
    /// Outcomes linked to the project (all time).
    pub outcomes: i64,
}

pub async fn insert(
    tx: &mut Tx,
    community_id: i64,
    i: &ProjectInput,
    user: Option<i64>,
) -> Result<i64> {
    let t = now();
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO projects (community_id, title, kind, theme, states, municipality, status, starts_on, ends_on, description,
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id"
    )
    .bind(community_id)
    .bind(&i.title)
    .bind(i.kind.as_str())
    .bind(&i.theme)
    .bind(i.states.join(","))
    .bind(&i.municipality)
    .bind(i.status.as_str())
    .bind(i.starts_on)
    .bind(i.ends_on)
    .bind(&i.description)
    .bind(user)
    .bind(t)
    .fetch_one(c)
    .await
    })?;
    write_members(tx, id, &i.members).await?;
    Ok(id)
}

async fn write_members(tx: &mut Tx, id: i64, members: &[i64]) -> Result<()> {
    for m in members {
        on_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO project_organizations (project_id, organization_id, partner, role) VALUES ($1, $2, $3, NULL)
             ON CONFLICT (project_id, organization_id) DO NOTHING"
        )
        .bind(id)
        .bind(m)
        .bind(false)
        .execute(c)
        .await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Replaces a project's fields and its member organizations (partners stay).
pub async fn update(tx: &mut Tx, community_id: i64, id: i64, i: &ProjectInput) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE projects SET title = $1, kind = $2, theme = $3, states = $4, municipality = $5, status = $6, starts_on = $7,
         ends_on = $8, description = $9, updated_at = $10 WHERE community_id = $11 AND id = $12"
    )
    .bind(&i.title)
    .bind(i.kind.as_str())
    .bind(&i.theme)
    .bind(i.states.join(","))
    .bind(&i.municipality)
    .bind(i.status.as_str())
    .bind(i.starts_on)
    .bind(i.ends_on)
    .bind(&i.description)
    .bind(now())
    .bind(community_id)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Ok(false);
    }
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM project_organizations WHERE project_id = $1 AND partner = $2"
    )
    .bind(id)
    .bind(false)
    .execute(c)
    .await
    .map(|_| ()))?;
    write_members(tx, id, &i.members).await?;
    Ok(true)
}

/// Adds an outside partner; false when the organization is already in the project.
pub async fn add_partner(tx: &mut Tx, project_id: i64, org: i64, role: &str) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO project_organizations (project_id, organization_id, partner, role) VALUES ($1, $2, $3, $4)
         ON CONFLICT (project_id, organization_id) DO NOTHING"
    )
    .bind(project_id)
    .bind(org)
    .bind(true)
    .bind(role)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n > 0)
}

pub async fn remove_partner(tx: &mut Tx, project_id: i64, org: i64) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "DELETE FROM project_organizations WHERE project_id = $1 AND organization_id = $2 AND partner = $3"
    )
    .bind(project_id)
    .bind(org)
    .bind(true)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n > 0)
}

/// Deletes a project, its organizations and its links to outcomes (the outcomes stay).
pub async fn delete(tx: &mut Tx, community_id: i64, id: i64) -> Result<bool> {
    let found: Option<i64> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM projects WHERE community_id = $1 AND id = $2"
    )
    .bind(community_id)
    .bind(id)
    .fetch_optional(c)
    .await)?;
    if found.is_none() {
        return Ok(false);
    }
    for sql in [
        "DELETE FROM outcome_projects WHERE project_id = $1",
        "DELETE FROM project_organizations WHERE project_id = $1",
        "DELETE FROM projects WHERE id = $1",
    ] {
        on_tx!(tx, |c| sqlx::query(sql)
            .bind(id)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    Ok(true)
}

pub async fn get(db: &Db, community_id: i64, id: i64) -> Result<Option<Project>> {
    let sql = format!("SELECT {COLS} FROM projects p WHERE p.community_id = $1 AND p.id = $2");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// A page of the community's projects, newest first.
pub async fn list(db: &Db, community_id: i64, req: PageReq) -> Result<Page<Project>> {
    let sql = format!(
        "SELECT {COLS} FROM projects p WHERE p.community_id = $1 ORDER BY p.id DESC LIMIT $2 OFFSET $3"
    );
    let items: Vec<Project> = on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(req.limit())
        .bind(req.offset())
        .fetch_all(p)
        .await)?;
    let total: i64 = on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM projects WHERE community_id = $1"
    )
    .bind(community_id)
    .fetch_one(p)
    .await)?;
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

/// The community's projects as choices (id, title), by title.
pub async fn choices(db: &Db, community_id: i64, limit: i64) -> Result<Vec<(i64, String)>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT id, title FROM projects WHERE community_id = $1 ORDER BY title, id LIMIT $2"
    )
    .bind(community_id)
    .bind(limit)
    .fetch_all(p)
    .await)?)
}

fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The organizations of several projects in one query, members first, by name.
pub async fn organizations_of(db: &Db, project_ids: &[i64]) -> Result<Vec<ProjectOrg>> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT po.project_id, g.id, g.name, g.kind, po.partner, po.role FROM project_organizations po
         JOIN organizations g ON g.id = po.organization_id WHERE po.project_id IN ({})
         ORDER BY po.partner, g.name_key, g.id",
        id_list(project_ids)
    );
    Ok(on!(db, |p| sqlx::query_as(&sql).fetch_all(p).await)?)
}

/// The organization ids of a project (members and partners), read inside a transaction.
pub async fn organization_ids(tx: &mut Tx, project_id: i64) -> Result<Vec<i64>> {
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT organization_id FROM project_organizations WHERE project_id = $1 ORDER BY organization_id"
    )
    .bind(project_id)
    .fetch_all(c)
    .await
    })?)
}

/// The pairs (smaller id first) already joined by an active tie of `kind` in the community,
/// in either direction, among `orgs` — read inside the transaction that adds new ones.
pub async fn tied_pairs(
    tx: &mut Tx,
    community_id: i64,
    kind: &str,
    orgs: &[i64],
    on: NaiveDate,
) -> Result<BTreeSet<(i64, i64)>> {
    if orgs.len() < 2 {
        return Ok(BTreeSet::new());
    }
    let list = id_list(orgs);
    let sql = format!(
        "SELECT from_org, to_org FROM network_ties WHERE community_id = $1 AND kind = $2
         AND started_on <= $3 AND (ended_on IS NULL OR ended_on > $3)
         AND from_org IN ({list}) AND to_org IN ({list})"
    );
    let rows: Vec<(i64, i64)> = on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(kind)
        .bind(on)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(|(a, b)| pair(a, b)).collect())
}

/// Linked outcomes per project, for several projects in one query.
pub async fn outcome_counts(db: &Db, project_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT project_id, COUNT(*) FROM outcome_projects WHERE project_id IN ({}) GROUP BY project_id",
        id_list(project_ids)
    );
    Ok(on!(db, |p| sqlx::query_as(&sql).fetch_all(p).await)?)
}

/// For the report: the community's projects active at some point between `from` and `to`
/// (a missing start or end date is open), each with its members, partners (with their role)
/// and the number of outcomes linked to it. Read in three queries; at most [`MAX_REPORT`].
pub async fn in_period(
    db: &Db,
    community_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ProjectRow>> {
    let sql = format!(
        "SELECT {COLS} FROM projects p WHERE p.community_id = $1 AND (p.starts_on IS NULL OR p.starts_on <= $2)
         AND (p.ends_on IS NULL OR p.ends_on >= $3) ORDER BY p.starts_on, p.id LIMIT $4"
    );
    let items: Vec<Project> = on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(to)
        .bind(from)
        .bind(MAX_REPORT)
        .fetch_all(p)
        .await)?;
    let ids: Vec<i64> = items.iter().map(|p| p.id).collect();
    let orgs = organizations_of(db, &ids).await?;
    let counts = outcome_counts(db, &ids).await?;
    Ok(items
        .into_iter()
        .map(|p| {
            let (partners, members): (Vec<ProjectOrg>, Vec<ProjectOrg>) = orgs
                .iter()
                .filter(|o| o.project_id == p.id)
                .cloned()
                .partition(|o| o.partner);
            ProjectRow {
                outcomes: counts
                    .iter()
                    .find(|(id, _)| *id == p.id)
                    .map_or(0, |(_, n)| *n),
                project: p,
                members,
                partners,
            }
        })
        .collect())
}
