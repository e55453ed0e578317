//! Directory queries: organizations and people. Names are searched through a folded key
//! (lowercase, no accents) with an index, so "mediacion" finds "Mediación".

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};
use tejido_core::directory::{OrganizationInput, PersonInput};
use tejido_core::page::{Page, PageReq};
use tejido_core::text::{fold, like_pattern};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub acronym: Option<String>,
    pub kind: String,
    pub state_code: Option<String>,
    pub municipality: Option<String>,
    pub themes: String,
    pub expertise: Option<String>,
    pub needs: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

const ORG_COLS: &str =
    "id, name, acronym, kind, state_code, municipality, themes, expertise, needs, website, description, created_at, updated_at, archived_at";

#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub state_code: Option<String>,
    pub include_archived: bool,
}

pub async fn insert_organization(tx: &mut Tx, o: &OrganizationInput) -> Result<i64> {
    let t = now();
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO organizations (name, name_key, acronym, kind, state_code, municipality, themes, expertise, needs, website, description, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id"
    )
    .bind(&o.name)
    .bind(fold(&o.name))
    .bind(&o.acronym)
    .bind(o.kind.as_str())
    .bind(&o.state_code)
    .bind(&o.municipality)
    .bind(o.themes.join(", "))
    .bind(&o.expertise)
    .bind(&o.needs)
    .bind(&o.website)
    .bind(&o.description)
    .bind(t)
    .fetch_one(c)
    .await
    })?)
}

pub async fn update_organization(tx: &mut Tx, id: i64, o: &OrganizationInput) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE organizations SET name = $1, name_key = $2, acronym = $3, kind = $4, state_code = $5, municipality = $6, themes = $7,
         expertise = $8, needs = $9, website = $10, description = $11, updated_at = $12 WHERE id = $13"
    )
    .bind(&o.name)
    .bind(fold(&o.name))
    .bind(&o.acronym)
    .bind(o.kind.as_str())
    .bind(&o.state_code)
    .bind(&o.municipality)
    .bind(o.themes.join(", "))
    .bind(&o.expertise)
    .bind(&o.needs)
    .bind(&o.website)
    .bind(&o.description)
    .bind(now())
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// Archives (or restores) an organization; history that points at it stays intact.
pub async fn set_organization_archived(tx: &mut Tx, id: i64, archived: bool) -> Result<bool> {
    let at = archived.then(now);
    let n = on_tx!(tx, |c| sqlx::query(
        "UPDATE organizations SET archived_at = $1, updated_at = $2 WHERE id = $3"
    )
    .bind(at)
    .bind(now())
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn organization(db: &Db, id: i64) -> Result<Option<Organization>> {
    let sql = format!("SELECT {ORG_COLS} FROM organizations WHERE id = $1");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// Builds the WHERE clause for a filter; the binds are appended in placeholder order.
fn org_where(f: &OrgFilter, binds: &mut Vec<String>) -> String {
    let mut w = Vec::new();
    if !f.include_archived {
        w.push("archived_at IS NULL".to_owned());
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        binds.push(like_pattern(q));
        let n = binds.len();
        binds.push(like_pattern(q));
        w.push(format!(
            "(name_key LIKE ${n} ESCAPE '\\' OR LOWER(COALESCE(acronym, '')) LIKE ${} ESCAPE '\\')",
            n + 1
        ));
    }
    if let Some(k) = f.kind.as_deref().filter(|k| !k.is_empty()) {
        binds.push(k.to_owned());
        w.push(format!("kind = ${}", binds.len()));
    }
    if let Some(s) = f.state_code.as_deref().filter(|s| !s.is_empty()) {
        binds.push(s.to_owned());
        w.push(format!("state_code = ${}", binds.len()));
    }
    if w.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.join(" AND "))
    }
}

pub async fn list_organizations(
    db: &Db,
    f: &OrgFilter,
    req: PageReq,
) -> Result<Page<Organization>> {
    let mut binds = Vec::new();
    let wh = org_where(f, &mut binds);
    let count_sql = format!("SELECT COUNT(*) FROM organizations {wh}");
    let n = binds.len();
    let sql = format!(
        "SELECT {ORG_COLS} FROM organizations {wh} ORDER BY name_key, id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let (total, items) = on!(db, |p| {
        let mut cq = sqlx::query_scalar::<_, i64>(&count_sql);
        let mut q = sqlx::query_as::<_, Organization>(&sql);
        for b in &binds {
            cq = cq.bind(b);
            q = q.bind(b);
        }
        let total = cq.fetch_one(p).await?;
        let items = q.bind(req.limit()).bind(req.offset()).fetch_all(p).await?;
        (total, items)
    });
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

/// Id and name of every active organization matching `q` (for pickers), at most `limit`.
pub async fn organization_choices(
    db: &Db,
    q: Option<&str>,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    let pat = like_pattern(q.unwrap_or(""));
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT id, name FROM organizations WHERE archived_at IS NULL AND name_key LIKE $1 ESCAPE '\\' ORDER BY name_key LIMIT $2"
    )
    .bind(&pat)
    .bind(limit)
    .fetch_all(p)
    .await
    })?)
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Person {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub position_level: Option<String>,
    pub position_title: Option<String>,
    pub youth: Option<bool>,
    pub gender: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

const PERSON_COLS: &str = "p.id, p.full_name, p.email, p.organization_id, o.name AS organization_name, p.position_level, p.position_title,
     p.youth, p.gender, p.created_at, p.updated_at, p.archived_at";

#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub q: Option<String>,
    pub organization_id: Option<i64>,
    pub include_archived: bool,
}

pub async fn insert_person(tx: &mut Tx, p: &PersonInput) -> Result<i64> {
    let t = now();
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO people (full_name, name_key, email, organization_id, position_level, position_title, youth, gender, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id"
    )
    .bind(&p.full_name)
    .bind(fold(&p.full_name))
    .bind(&p.email)
    .bind(p.organization_id)
    .bind(p.position_level.map(|l| l.as_str()))
    .bind(&p.position_title)
    .bind(p.youth)
    .bind(&p.gender)
    .bind(t)
    .fetch_one(c)
    .await
    })?)
}

pub async fn update_person(tx: &mut Tx, id: i64, p: &PersonInput) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE people SET full_name = $1, name_key = $2, email = $3, organization_id = $4, position_level = $5, position_title = $6,
         youth = $7, gender = $8, updated_at = $9 WHERE id = $10"
    )
    .bind(&p.full_name)
    .bind(fold(&p.full_name))
    .bind(&p.email)
    .bind(p.organization_id)
    .bind(p.position_level.map(|l| l.as_str()))
    .bind(&p.position_title)
    .bind(p.youth)
    .bind(&p.gender)
    .bind(now())
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

pub async fn set_person_archived(tx: &mut Tx, id: i64, archived: bool) -> Result<bool> {
    let at = archived.then(now);
    let n = on_tx!(tx, |c| sqlx::query(
        "UPDATE people SET archived_at = $1, updated_at = $2 WHERE id = $3"
    )
    .bind(at)
    .bind(now())
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn person(db: &Db, id: i64) -> Result<Option<Person>> {
    let sql = format!("SELECT {PERSON_COLS} FROM people p LEFT JOIN organizations o ON o.id = p.organization_id WHERE p.id = $1");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

pub async fn list_people(db: &Db, f: &PersonFilter, req: PageReq) -> Result<Page<Person>> {
    let mut w: Vec<String> = Vec::new();
    let mut text_binds: Vec<String> = Vec::new();
    if !f.include_archived {
        w.push("p.archived_at IS NULL".into());
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        text_binds.push(like_pattern(q));
        w.push(format!("p.name_key LIKE ${} ESCAPE '\\'", text_binds.len()));
    }
    let mut n = text_binds.len();
    if f.organization_id.is_some() {
        n += 1;
        w.push(format!("p.organization_id = ${n}"));
    }
    let wh = if w.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.join(" AND "))
    };
    let count_sql = format!("SELECT COUNT(*) FROM people p {wh}");
    let sql = format!(
        "SELECT {PERSON_COLS} FROM people p LEFT JOIN organizations o ON o.id = p.organization_id {wh}
         ORDER BY p.name_key, p.id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let (total, items) = on!(db, |p| {
        let mut cq = sqlx::query_scalar::<_, i64>(&count_sql);
        let mut q = sqlx::query_as::<_, Person>(&sql);
        for b in &text_binds {
            cq = cq.bind(b);
            q = q.bind(b);
        }
        if let Some(o) = f.organization_id {
            cq = cq.bind(o);
            q = q.bind(o);
        }
        let total = cq.fetch_one(p).await?;
        let items = q.bind(req.limit()).bind(req.offset()).fetch_all(p).await?;
        (total, items)
    });
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

pub async fn count_organizations(db: &Db) -> Result<i64> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM organizations"
    )
    .fetch_one(p)
    .await)?)
}
