//! Communities: profile, membership of organizations and people with join/leave history, and
//! roles with terms. Nothing is deleted: leaving sets `left_at`, a role ends with `ends_at`.

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};
use tejido_core::communities::{CommunityInput, Phase, Role};
use tejido_core::page::{Page, PageReq};
use tejido_core::text::{fold, like_pattern, slugify};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Community {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub purpose: String,
    pub mission: Option<String>,
    pub vision: Option<String>,
    pub themes: String,
    pub geography: Option<String>,
    pub time_zone: String,
    pub visibility: String,
    pub phase: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

const COLS: &str = "c.id, c.slug, c.name, c.purpose, c.mission, c.vision, c.themes, c.geography, c.time_zone, c.visibility, c.phase,
    c.created_at, c.updated_at, c.archived_at";

/// A community row in a list, with its current member counts.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CommunitySummary {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub purpose: String,
    pub visibility: String,
    pub phase: String,
    pub organizations: i64,
    pub people: i64,
}

const SUMMARY: &str = "c.id, c.slug, c.name, c.purpose, c.visibility, c.phase,
    (SELECT COUNT(*) FROM community_organizations co WHERE co.community_id = c.id AND co.left_at IS NULL) AS organizations,
    (SELECT COUNT(*) FROM community_people cp WHERE cp.community_id = c.id AND cp.left_at IS NULL) AS people";

/// Creates a community with a unique slug derived from its name.
pub async fn insert(
    tx: &mut Tx,
    c: &CommunityInput,
    created_by: Option<i64>,
) -> Result<(i64, String)> {
    let base = match slugify(&c.name) {
        s if s.is_empty() => "comunidad".to_owned(),
        s => s,
    };
    let taken: Vec<String> = on_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT slug FROM communities WHERE slug = $1 OR slug LIKE $2"
    )
    .bind(&base)
    .bind(format!("{base}-%"))
    .fetch_all(conn)
    .await)?;
    let mut slug = base.clone();
    let mut i = 2;
    while taken.contains(&slug) {
        slug = format!("{base}-{i}");
        i += 1;
    }
    let t = now();
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar(
        "INSERT INTO communities (slug, name, name_key, purpose, mission, vision, themes, geography, time_zone, visibility, phase, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id"
    )
    .bind(&slug)
    .bind(&c.name)
    .bind(fold(&c.name))
    .bind(&c.purpose)
    .bind(&c.mission)
    .bind(&c.vision)
    .bind(c.themes.join(", "))
    .bind(&c.geography)
    .bind(&c.time_zone)
    .bind(c.visibility.as_str())
    .bind(Phase::Convened.as_str())
    .bind(created_by)
    .bind(t)
    .fetch_one(conn)
    .await
    })?;
    Ok((id, slug))
}

pub async fn update(tx: &mut Tx, id: i64, c: &CommunityInput) -> Result<bool> {
    let n = on_tx!(tx, |conn| {
        sqlx::query(
        "UPDATE communities SET name = $1, name_key = $2, purpose = $3, mission = $4, vision = $5, themes = $6, geography = $7,
         time_zone = $8, visibility = $9, updated_at = $10 WHERE id = $11"
    )
    .bind(&c.name)
    .bind(fold(&c.name))
    .bind(&c.purpose)
    .bind(&c.mission)
    .bind(&c.vision)
    .bind(c.themes.join(", "))
    .bind(&c.geography)
    .bind(&c.time_zone)
    .bind(c.visibility.as_str())
    .bind(now())
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<Community>> {
    let sql = format!("SELECT {COLS} FROM communities c WHERE c.slug = $1");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(slug)
        .fetch_optional(p)
        .await)?)
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Community>> {
    let sql = format!("SELECT {COLS} FROM communities c WHERE c.id = $1");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// The SQL condition "community `c` is visible to the person whose id is bound at `param`":
/// the one rule, in SQL, that `tejido_core::communities::access` states in Rust.
fn visible_to(param: &str, is_admin: bool) -> String {
    if is_admin {
        return "TRUE".to_owned();
    }
    format!(
        "(c.visibility IN ('instance', 'public')
          OR EXISTS (SELECT 1 FROM community_people cp WHERE cp.community_id = c.id AND cp.person_id = {param} AND cp.left_at IS NULL)
          OR EXISTS (SELECT 1 FROM community_roles cr WHERE cr.community_id = c.id AND cr.person_id = {param} AND cr.ends_at IS NULL AND cr.role <> 'funder'))"
    )
}

/// Communities a viewer may see: all for admins; otherwise those the person belongs to or holds a
/// role in, plus instance-visible and public ones.
pub async fn list_visible(
    db: &Db,
    person_id: Option<i64>,
    is_admin: bool,
    q: Option<&str>,
    req: PageReq,
) -> Result<Page<CommunitySummary>> {
    let pat = like_pattern(q.unwrap_or(""));
    let pid = person_id.unwrap_or(-1);
    let vis = visible_to("$2", is_admin);
    // $2 must appear even for admins so numbering stays the same on SQLite.
    let wh = format!(
        "WHERE c.archived_at IS NULL AND c.name_key LIKE $1 ESCAPE '\\' AND ($2 = $2) AND {vis}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM communities c {wh}");
    let sql = format!(
        "SELECT {SUMMARY} FROM communities c {wh} ORDER BY c.name_key, c.id LIMIT $3 OFFSET $4"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(&pat)
            .bind(pid)
            .fetch_one(p)
            .await?;
        let items: Vec<CommunitySummary> = sqlx::query_as(&sql)
            .bind(&pat)
            .bind(pid)
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

/// The communities a person currently belongs to (for the home page).
pub async fn of_person(db: &Db, person_id: i64, limit: i64) -> Result<Vec<CommunitySummary>> {
    let sql = format!(
        "SELECT {SUMMARY} FROM communities c WHERE c.archived_at IS NULL AND EXISTS
         (SELECT 1 FROM community_people cp WHERE cp.community_id = c.id AND cp.person_id = $1 AND cp.left_at IS NULL)
         ORDER BY c.name_key LIMIT $2"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(person_id)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// Current roles of a person in a community, and whether they are a current member.
pub async fn standing(db: &Db, community_id: i64, person_id: i64) -> Result<(bool, Vec<Role>)> {
    let (member, roles): (i64, Vec<String>) = on!(db, |p| {
        let m: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM community_people WHERE community_id = $1 AND person_id = $2 AND left_at IS NULL",
        )
        .bind(community_id)
        .bind(person_id)
        .fetch_one(p)
        .await?;
        let r: Vec<String> =
            sqlx::query_scalar("SELECT role FROM community_roles WHERE community_id = $1 AND person_id = $2 AND ends_at IS NULL")
                .bind(community_id)
                .bind(person_id)
                .fetch_all(p)
                .await?;
        (m, r)
    });
    Ok((
        member > 0,
        roles.iter().filter_map(|r| Role::parse(r)).collect(),
    ))
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MemberOrganization {
    pub organization_id: i64,
    pub name: String,
    pub acronym: Option<String>,
    pub kind: String,
    pub state_code: Option<String>,
    pub joined_at: DateTime<Utc>,
}

pub async fn member_organizations(
    db: &Db,
    community_id: i64,
    req: PageReq,
) -> Result<Page<MemberOrganization>> {
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM community_organizations WHERE community_id = $1 AND left_at IS NULL")
            .bind(community_id)
            .fetch_one(p)
            .await?;
        let items: Vec<MemberOrganization> = sqlx::query_as(
            "SELECT o.id AS organization_id, o.name, o.acronym, o.kind, o.state_code, co.joined_at FROM community_organizations co
             JOIN organizations o ON o.id = co.organization_id WHERE co.community_id = $1 AND co.left_at IS NULL
             ORDER BY o.name_key LIMIT $2 OFFSET $3",
        )
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

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MemberPerson {
    pub person_id: i64,
    pub full_name: String,
    pub organization_name: Option<String>,
    pub position_level: Option<String>,
    pub joined_at: DateTime<Utc>,
    /// Current roles, comma-separated.
    pub roles: Option<String>,
}

pub async fn member_people(db: &Db, community_id: i64, req: PageReq) -> Result<Page<MemberPerson>> {
    let (total, mut items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM community_people WHERE community_id = $1 AND left_at IS NULL",
        )
        .bind(community_id)
        .fetch_one(p)
        .await?;
        let items: Vec<MemberPerson> = sqlx::query_as(
            "SELECT pe.id AS person_id, pe.full_name, o.name AS organization_name, pe.position_level, cp.joined_at, NULL AS roles
             FROM community_people cp JOIN people pe ON pe.id = cp.person_id LEFT JOIN organizations o ON o.id = pe.organization_id
             WHERE cp.community_id = $1 AND cp.left_at IS NULL ORDER BY pe.name_key LIMIT $2 OFFSET $3",
        )
        .bind(community_id)
        .bind(req.limit())
        .bind(req.offset())
        .fetch_all(p)
        .await?;
        (total, items)
    });
    // One query for the roles of the whole page, not one per row.
    let roles = current_roles(db, community_id).await?;
    for m in &mut items {
        let mine: Vec<&str> = roles
            .iter()
            .filter(|r| r.person_id == m.person_id)
            .map(|r| r.role.as_str())
            .collect();
        if !mine.is_empty() {
            m.roles = Some(mine.join(","));
        }
    }
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RoleHolder {
    pub id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub role: String,
    pub starts_at: DateTime<Utc>,
}

/// Current role holders of a community (leaders first by role order on display).
pub async fn current_roles(db: &Db, community_id: i64) -> Result<Vec<RoleHolder>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT cr.id, cr.person_id, pe.full_name, cr.role, cr.starts_at FROM community_roles cr JOIN people pe ON pe.id = cr.person_id
         WHERE cr.community_id = $1 AND cr.ends_at IS NULL ORDER BY pe.name_key LIMIT 1000"
    )
    .bind(community_id)
    .fetch_all(p)
    .await
    })?)
}

/// Adds an organization as a current member; false when it already is one.
pub async fn add_organization(
    tx: &mut Tx,
    community_id: i64,
    organization_id: i64,
    by: Option<i64>,
) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO community_organizations (community_id, organization_id, joined_at, added_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (community_id, organization_id) WHERE left_at IS NULL DO NOTHING"
    )
    .bind(community_id)
    .bind(organization_id)
    .bind(now())
    .bind(by)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

pub async fn remove_organization(
    tx: &mut Tx,
    community_id: i64,
    organization_id: i64,
) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE community_organizations SET left_at = $1 WHERE community_id = $2 AND organization_id = $3 AND left_at IS NULL"
    )
    .bind(now())
    .bind(community_id)
    .bind(organization_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// Adds a person as a current member; false when already one.
pub async fn add_person(
    tx: &mut Tx,
    community_id: i64,
    person_id: i64,
    by: Option<i64>,
) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO community_people (community_id, person_id, joined_at, added_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (community_id, person_id) WHERE left_at IS NULL DO NOTHING"
    )
    .bind(community_id)
    .bind(person_id)
    .bind(now())
    .bind(by)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// Ends a person's membership and every role they hold in the community.
pub async fn remove_person(tx: &mut Tx, community_id: i64, person_id: i64) -> Result<bool> {
    let t = now();
    let n = on_tx!(tx, |c| {
        sqlx::query("UPDATE community_roles SET ends_at = $1 WHERE community_id = $2 AND person_id = $3 AND ends_at IS NULL")
            .bind(t)
            .bind(community_id)
            .bind(person_id)
            .execute(&mut *c)
            .await?;
        sqlx::query("UPDATE community_people SET left_at = $1 WHERE community_id = $2 AND person_id = $3 AND left_at IS NULL")
            .bind(t)
            .bind(community_id)
            .bind(person_id)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// Starts a role term; false when the person already holds that role.
pub async fn assign_role(
    tx: &mut Tx,
    community_id: i64,
    person_id: i64,
    role: Role,
    by: Option<i64>,
) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO community_roles (community_id, person_id, role, starts_at, assigned_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (community_id, person_id, role) WHERE ends_at IS NULL DO NOTHING"
    )
    .bind(community_id)
    .bind(person_id)
    .bind(role.as_str())
    .bind(now())
    .bind(by)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

pub async fn end_role(tx: &mut Tx, community_id: i64, person_id: i64, role: Role) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE community_roles SET ends_at = $1 WHERE community_id = $2 AND person_id = $3 AND role = $4 AND ends_at IS NULL"
    )
    .bind(now())
    .bind(community_id)
    .bind(person_id)
    .bind(role.as_str())
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// How many people currently hold a managing role (leader, co-leader, convener).
pub async fn count_managers(tx: &mut Tx, community_id: i64) -> Result<i64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT COUNT(DISTINCT person_id) FROM community_roles WHERE community_id = $1 AND ends_at IS NULL AND role IN ('leader', 'co-leader', 'convener')"
    )
    .bind(community_id)
    .fetch_one(c)
    .await
    })?)
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MembershipEvent {
    pub kind: String,
    pub name: String,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
}

/// The join/leave history of organizations and people, newest first.
pub async fn history(db: &Db, community_id: i64, req: PageReq) -> Result<Page<MembershipEvent>> {
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM community_organizations WHERE community_id = $1) + (SELECT COUNT(*) FROM community_people WHERE community_id = $1)",
        )
        .bind(community_id)
        .fetch_one(p)
        .await?;
        let items: Vec<MembershipEvent> = sqlx::query_as(
            "SELECT 'organization' AS kind, o.name AS name, co.joined_at, co.left_at FROM community_organizations co
               JOIN organizations o ON o.id = co.organization_id WHERE co.community_id = $1
             UNION ALL
             SELECT 'person' AS kind, pe.full_name AS name, cp.joined_at, cp.left_at FROM community_people cp
               JOIN people pe ON pe.id = cp.person_id WHERE cp.community_id = $1
             ORDER BY joined_at DESC LIMIT $2 OFFSET $3",
        )
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

pub async fn count(db: &Db) -> Result<i64> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM communities"
    )
    .fetch_one(p)
    .await)?)
}

/// Whether a person currently holds a managing role (leader, co-leader, convener) anywhere.
pub async fn manages_any(db: &Db, person_id: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM community_roles WHERE person_id = $1 AND ends_at IS NULL AND role IN ('leader', 'co-leader', 'convener')"
    )
    .bind(person_id)
    .fetch_one(p)
    .await
    })?;
    Ok(n > 0)
}

/// The communities an organization currently belongs to that the viewer may see (at most `limit`).
pub async fn of_organization(
    db: &Db,
    organization_id: i64,
    viewer_person: Option<i64>,
    viewer_is_admin: bool,
    limit: i64,
) -> Result<Vec<(String, String, String)>> {
    let sql = format!(
        "SELECT c.slug, c.name, c.visibility FROM community_organizations co JOIN communities c ON c.id = co.community_id
         WHERE co.organization_id = $1 AND ($2 = $2) AND co.left_at IS NULL AND c.archived_at IS NULL AND {}
         ORDER BY c.name_key LIMIT $3",
        visible_to("$2", viewer_is_admin)
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(organization_id)
        .bind(viewer_person.unwrap_or(-1))
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

impl Community {
    pub fn url(&self) -> String {
        format!("/c/{}", self.slug)
    }
    pub fn members_url(&self) -> String {
        format!("/c/{}/members", self.slug)
    }
    /// The URL of one of the community's sections, e.g. `section_url("charter")`.
    pub fn section_url(&self, section: &str) -> String {
        format!("/c/{}/{section}", self.slug)
    }
}
