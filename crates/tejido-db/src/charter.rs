//! Charter versions and their sections. A community has at most one draft and one adopted
//! version (partial unique indexes); adopting marks the previous adopted version superseded and
//! records the decision, all in the caller's transaction. Adopted and superseded versions are
//! never edited again.

use tejido_core::charter::CharterInput;
use tejido_core::decisions::{DecisionInput, Source};
use tejido_core::page::{Page, PageReq};

use crate::{now, on, on_tx, DateTime, Db, DbError, Result, Tx, Utc};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Version {
    pub id: i64,
    pub community_id: i64,
    pub number: i64,
    /// `draft`, `adopted` or `superseded`.
    pub status: String,
    pub based_on: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub adopted_at: Option<DateTime<Utc>>,
    pub decision_id: Option<i64>,
}

impl Version {
    pub fn is_draft(&self) -> bool {
        self.status == "draft"
    }
}

/// A version with its sections as `(key, Markdown body)`, in no particular order.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Charter {
    #[serde(flatten)]
    pub version: Version,
    pub sections: Vec<(String, String)>,
}

impl Charter {
    pub fn body(&self, key: &str) -> &str {
        self.sections
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, b)| b.as_str())
            .unwrap_or("")
    }
}

const COLS: &str = "v.id, v.community_id, v.number, v.status, v.based_on, v.created_by, v.created_at, v.updated_at, v.adopted_at, v.decision_id";

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(flatten)]
    v: Version,
    section: Option<String>,
    body: Option<String>,
}

/// Which version of a community to load.
#[derive(Debug, Clone, Copy)]
pub enum Which {
    Adopted,
    Draft,
    Number(i64),
}

/// One version with its sections, in one query.
pub async fn load(db: &Db, community_id: i64, which: Which) -> Result<Option<Charter>> {
    let (cond, n) = match which {
        Which::Adopted => ("v.status = 'adopted' AND $2 = 0", 0),
        Which::Draft => ("v.status = 'draft' AND $2 = 0", 0),
        Which::Number(n) => ("v.number = $2", n),
    };
    let sql = format!(
        "SELECT {COLS}, s.section, s.body FROM charter_versions v
         LEFT JOIN charter_sections s ON s.version_id = v.id
         WHERE v.community_id = $1 AND {cond}"
    );
    let rows: Vec<Row> = on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(n)
        .fetch_all(p)
        .await)?;
    let mut it = rows.into_iter();
    let Some(first) = it.next() else {
        return Ok(None);
    };
    let mut sections = Vec::new();
    let version = first.v;
    for r in std::iter::once((first.section, first.body)).chain(it.map(|r| (r.section, r.body))) {
        if let (Some(k), Some(b)) = r {
            sections.push((k, b));
        }
    }
    Ok(Some(Charter { version, sections }))
}

/// A community's versions, newest first; drafts only when `with_draft`.
pub async fn versions(
    db: &Db,
    community_id: i64,
    with_draft: bool,
    req: PageReq,
) -> Result<Page<Version>> {
    let flag = i64::from(with_draft);
    let count_sql =
        "SELECT COUNT(*) FROM charter_versions v WHERE v.community_id = $1 AND (v.status <> 'draft' OR $2 = 1)";
    let sql = format!(
        "SELECT {COLS} FROM charter_versions v WHERE v.community_id = $1 AND (v.status <> 'draft' OR $2 = 1)
         ORDER BY v.number DESC LIMIT $3 OFFSET $4"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(count_sql)
            .bind(community_id)
            .bind(flag)
            .fetch_one(p)
            .await?;
        let items: Vec<Version> = sqlx::query_as(&sql)
            .bind(community_id)
            .bind(flag)
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

/// The version numbers of the given version ids (to link decisions to the version they adopted).
pub async fn numbers(db: &Db, community_id: i64, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT id, number FROM charter_versions WHERE community_id = $1 AND id IN ({})",
        list.join(", ")
    );
    Ok(on!(db, |p| {
        let mut q = sqlx::query_as(&sql).bind(community_id);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await
    })?)
}

/// The draft's id, creating it from the adopted text when there is none. Returns
/// `(id, number, created)`.
pub async fn ensure_draft(
    tx: &mut Tx,
    community_id: i64,
    by: Option<i64>,
) -> Result<(i64, i64, bool)> {
    let existing: Option<(i64, i64)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, number FROM charter_versions WHERE community_id = $1 AND status = 'draft'"
    )
    .bind(community_id)
    .fetch_optional(&mut *c)
    .await)?;
    if let Some((id, n)) = existing {
        return Ok((id, n, false));
    }
    let adopted: Option<i64> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM charter_versions WHERE community_id = $1 AND status = 'adopted'"
    )
    .bind(community_id)
    .fetch_optional(&mut *c)
    .await)?;
    let at = now();
    let (id, number): (i64, i64) = on_tx!(tx, |c| {
        sqlx::query_as(
        "INSERT INTO charter_versions (community_id, number, status, based_on, created_by, created_at, updated_at)
         VALUES ($1, (SELECT COALESCE(MAX(x.number), 0) + 1 FROM charter_versions x WHERE x.community_id = $1),
                 'draft', $2, $3, $4, $4)
         RETURNING id, number"
    )
    .bind(community_id)
    .bind(adopted)
    .bind(by)
    .bind(at)
    .fetch_one(&mut *c)
    .await
    })?;
    if let Some(a) = adopted {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO charter_sections (version_id, section, body)
             SELECT $1, s.section, s.body FROM charter_sections s WHERE s.version_id = $2"
        )
        .bind(id)
        .bind(a)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok((id, number, true))
}

/// Replaces a draft's sections with `input`. Refuses (`Conflict`) anything but a draft.
pub async fn save_draft(tx: &mut Tx, version_id: i64, input: &CharterInput) -> Result<()> {
    let touched = on_tx!(tx, |c| sqlx::query(
        "UPDATE charter_versions SET updated_at = $1 WHERE id = $2 AND status = 'draft'"
    )
    .bind(now())
    .bind(version_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    if touched != 1 {
        return Err(DbError::Conflict);
    }
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM charter_sections WHERE version_id = $1"
    )
    .bind(version_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    for (section, body) in &input.sections {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO charter_sections (version_id, section, body) VALUES ($1, $2, $3)"
        )
        .bind(version_id)
        .bind(section.as_str())
        .bind(body)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Adopts the draft `version_id`: the adopted version (if any) becomes superseded, the draft
/// adopted, and `decision` is recorded with the version as its source. Returns the decision id;
/// `Conflict` when the version is not this community's draft.
pub async fn adopt(
    tx: &mut Tx,
    community_id: i64,
    version_id: i64,
    decision: &DecisionInput,
    by: Option<i64>,
) -> Result<i64> {
    let is_draft: Option<i64> = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT id FROM charter_versions WHERE id = $1 AND community_id = $2 AND status = 'draft'"
    )
    .bind(version_id)
    .bind(community_id)
    .fetch_optional(&mut *c)
    .await
    })?;
    if is_draft.is_none() {
        return Err(DbError::Conflict);
    }
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE charter_versions SET status = 'superseded', updated_at = $1 WHERE community_id = $2 AND status = 'adopted'"
    )
    .bind(now())
    .bind(community_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })?;
    let d = DecisionInput {
        source: Some((Source::Charter, version_id)),
        corrects: None,
        ..decision.clone()
    };
    let decision_id = crate::decisions::insert(tx, community_id, &d, by).await?;
    let at = now();
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE charter_versions SET status = 'adopted', adopted_at = $1, updated_at = $1, decision_id = $2 WHERE id = $3"
    )
    .bind(at)
    .bind(decision_id)
    .bind(version_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(decision_id)
}

/// One entry of a correction chain.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ChainEntry {
    pub id: i64,
    pub title: String,
    pub decided_on: chrono::NaiveDate,
    pub corrects_id: Option<i64>,
}

/// Every decision connected to `id` by corrections (what it corrects, transitively, and what
/// corrects it), `id` included, oldest first. One recursive query.
pub async fn correction_chain(db: &Db, community_id: i64, id: i64) -> Result<Vec<ChainEntry>> {
    let sql = "WITH RECURSIVE up(id) AS (
            SELECT d.corrects_id FROM decisions d WHERE d.id = $1 AND d.community_id = $2 AND d.corrects_id IS NOT NULL
            UNION SELECT d.corrects_id FROM decisions d JOIN up ON d.id = up.id WHERE d.corrects_id IS NOT NULL
        ), down(id) AS (
            SELECT d.id FROM decisions d WHERE d.corrects_id = $1 AND d.community_id = $2
            UNION SELECT d.id FROM decisions d JOIN down ON d.corrects_id = down.id
        )
        SELECT d.id, d.title, d.decided_on, d.corrects_id FROM decisions d
        WHERE d.community_id = $2 AND (d.id = $1 OR d.id IN (SELECT id FROM up) OR d.id IN (SELECT id FROM down))
        ORDER BY d.id LIMIT 200";
    Ok(on!(db, |p| sqlx::query_as(sql)
        .bind(id)
        .bind(community_id)
        .fetch_all(p)
        .await)?)
}
