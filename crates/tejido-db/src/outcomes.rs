//! Outcome harvesting: storage of a community's significant outcomes, their organizations,
//! links (sources and evidence), substantiation, and the events, joint projects and ties that
//! contributed. Lists and summaries are read in a fixed number of queries: the organizations of a
//! page of outcomes come in one query, never one per row. The summary by theme counts
//! *distinct* organizations, as the seed's Tables 1–3 do ("four CSOs have worked together…").

use chrono::NaiveDate;
use tejido_core::outcomes::{Filter, Link, OutcomeInput, Substantiation};
use tejido_core::page::{Page, PageReq};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most outcomes a report reads for one period.
pub const MAX_REPORT: i64 = 5000;

/// An outcome as stored.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Outcome {
    pub id: i64,
    pub community_id: i64,
    pub description: String,
    pub change_kind: String,
    pub significance: String,
    pub contribution: String,
    pub theme: String,
    pub happened_on: NaiveDate,
    pub substantiation: String,
    pub source_name: Option<String>,
    pub source_view: Option<String>,
    pub proposed_by: Option<i64>,
    pub verified_by: Option<i64>,
    pub verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLS: &str = "o.id, o.community_id, o.description, o.change_kind, o.significance, o.contribution, o.theme, o.happened_on,
    o.substantiation, o.source_name, o.source_view, o.proposed_by, o.verified_by, o.verified_at, o.created_at, o.updated_at";

/// An organization named by an outcome (or a project).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct OrgRef {
    #[serde(skip)]
    pub owner_id: i64,
    pub id: i64,
    pub name: String,
    pub kind: String,
}

/// A link of an outcome.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct LinkRow {
    pub id: i64,
    pub url: String,
    pub label: Option<String>,
}

/// An event, project or tie that contributed to an outcome: its id and a label.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Contributor {
    pub id: i64,
    pub label: String,
}

/// Outcomes and distinct organizations involved for one theme.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ThemeSummary {
    pub theme: String,
    pub outcomes: i64,
    /// Distinct organizations named by the theme's outcomes.
    pub organizations: i64,
}

/// An outcome as a report shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OutcomeRow {
    pub id: i64,
    pub theme: String,
    pub description: String,
    pub change_kind: String,
    pub significance: String,
    pub contribution: String,
    pub happened_on: NaiveDate,
    pub substantiation: String,
    pub source_name: Option<String>,
    pub source_view: Option<String>,
    /// The organizations involved, by name.
    pub organizations: Vec<OrgRef>,
}

enum Arg {
    Text(String),
    Date(NaiveDate),
}

/// The `WHERE` clause of a filtered read (starting at `$2`; `$1` is the community) and its
/// arguments in order.
fn filter_sql(f: &Filter) -> (String, Vec<Arg>) {
    let mut sql = String::from("o.community_id = $1");
    let mut args = Vec::new();
    if let Some(t) = &f.theme {
        args.push(Arg::Text(t.clone()));
        sql.push_str(&format!(" AND o.theme = ${}", args.len() + 1));
    }
    if let Some(d) = f.from {
        args.push(Arg::Date(d));
        sql.push_str(&format!(" AND o.happened_on >= ${}", args.len() + 1));
    }
    if let Some(d) = f.to {
        args.push(Arg::Date(d));
        sql.push_str(&format!(" AND o.happened_on <= ${}", args.len() + 1));
    }
    if let Some(s) = f.substantiation {
        args.push(Arg::Text(s.as_str().to_owned()));
        sql.push_str(&format!(" AND o.substantiation = ${}", args.len() + 1));
    }
    (sql, args)
}

macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Text(t) => q.bind(t.clone()),
                Arg::Date(d) => q.bind(*d),
            };
        }
        q
    }};
}

fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

async fn write_links(tx: &mut Tx, id: i64, i: &OutcomeInput) -> Result<()> {
    for o in &i.organizations {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO outcome_organizations (outcome_id, organization_id) VALUES ($1, $2)"
        )
        .bind(id)
        .bind(o)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    for l in &i.links {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO outcome_links (outcome_id, url, label) VALUES ($1, $2, $3)"
        )
        .bind(id)
        .bind(&l.url)
        .bind(&l.label)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    for e in &i.events {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO outcome_events (outcome_id, event_id) VALUES ($1, $2)"
        )
        .bind(id)
        .bind(e)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    for p in &i.projects {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO outcome_projects (outcome_id, project_id) VALUES ($1, $2)"
        )
        .bind(id)
        .bind(p)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    for t in &i.ties {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO outcome_ties (outcome_id, tie_id) VALUES ($1, $2)"
        )
        .bind(id)
        .bind(t)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

async fn clear_links(tx: &mut Tx, id: i64) -> Result<()> {
    for table in [
        "outcome_organizations",
        "outcome_links",
        "outcome_events",
        "outcome_projects",
        "outcome_ties",
    ] {
        let sql = format!("DELETE FROM {table} WHERE outcome_id = $1");
        on_tx!(tx, |c| sqlx::query(&sql)
            .bind(id)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

/// Stores a new outcome with its organizations, links and contributors (the caller checked
/// that every id belongs to the community and adds the audit row).
pub async fn insert(
    tx: &mut Tx,
    community_id: i64,
    i: &OutcomeInput,
    user: Option<i64>,
) -> Result<i64> {
    let t = now();
    let verified = i.substantiation == Substantiation::Verified;
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO outcomes (community_id, description, change_kind, significance, contribution, theme, happened_on, substantiation,
         source_name, source_view, proposed_by, verified_by, verified_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id"
    )
    .bind(community_id)
    .bind(&i.description)
    .bind(i.change_kind.as_str())
    .bind(&i.significance)
    .bind(&i.contribution)
    .bind(&i.theme)
    .bind(i.happened_on)
    .bind(i.substantiation.as_str())
    .bind(&i.source_name)
    .bind(i.source_view.map(|v| v.as_str()))
    .bind(user)
    .bind(if verified { user } else { None })
    .bind(if verified { Some(t) } else { None })
    .bind(t)
    .fetch_one(c)
    .await
    })?;
    write_links(tx, id, i).await?;
    Ok(id)
}

/// Replaces an outcome's fields, organizations, links and contributors. Marking it verified
/// records who and when; leaving "verified" clears them.
pub async fn update(
    tx: &mut Tx,
    community_id: i64,
    id: i64,
    i: &OutcomeInput,
    user: Option<i64>,
) -> Result<bool> {
    let t = now();
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE outcomes SET description = $1, change_kind = $2, significance = $3, contribution = $4, theme = $5, happened_on = $6,
         substantiation = $7, source_name = $8, source_view = $9,
         verified_by = CASE WHEN $7 = 'verified' THEN COALESCE(verified_by, $10) ELSE NULL END,
         verified_at = CASE WHEN $7 = 'verified' THEN COALESCE(verified_at, $11) ELSE NULL END,
         updated_at = $11 WHERE community_id = $12 AND id = $13"
    )
    .bind(&i.description)
    .bind(i.change_kind.as_str())
    .bind(&i.significance)
    .bind(&i.contribution)
    .bind(&i.theme)
    .bind(i.happened_on)
    .bind(i.substantiation.as_str())
    .bind(&i.source_name)
    .bind(i.source_view.map(|v| v.as_str()))
    .bind(user)
    .bind(t)
    .bind(community_id)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Ok(false);
    }
    clear_links(tx, id).await?;
    write_links(tx, id, i).await?;
    Ok(true)
}

/// Marks an outcome verified (by `user`, now). False when it was already verified or is not
/// the community's.
pub async fn verify(tx: &mut Tx, community_id: i64, id: i64, user: Option<i64>) -> Result<bool> {
    let t = now();
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE outcomes SET substantiation = 'verified', verified_by = $1, verified_at = $2, updated_at = $2
         WHERE community_id = $3 AND id = $4 AND substantiation <> 'verified'"
    )
    .bind(user)
    .bind(t)
    .bind(community_id)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n > 0)
}

/// Deletes an outcome and everything attached to it.
pub async fn delete(tx: &mut Tx, community_id: i64, id: i64) -> Result<bool> {
    let found: Option<i64> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM outcomes WHERE community_id = $1 AND id = $2"
    )
    .bind(community_id)
    .bind(id)
    .fetch_optional(c)
    .await)?;
    if found.is_none() {
        return Ok(false);
    }
    clear_links(tx, id).await?;
    // Its evidence files go with it (the stored bytes stay, shared by hash).
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM attachments WHERE owner_kind = 'outcome' AND owner_id = $1"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))?;
    on_tx!(tx, |c| sqlx::query("DELETE FROM outcomes WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(true)
}

pub async fn get(db: &Db, community_id: i64, id: i64) -> Result<Option<Outcome>> {
    let sql = format!("SELECT {COLS} FROM outcomes o WHERE o.community_id = $1 AND o.id = $2");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// A page of the community's outcomes matching `f`, by theme, newest change first.
pub async fn list(db: &Db, community_id: i64, f: &Filter, req: PageReq) -> Result<Page<Outcome>> {
    let (cond, args) = filter_sql(f);
    let n = args.len();
    let sql = format!(
        "SELECT {COLS} FROM outcomes o WHERE {cond} ORDER BY o.theme, o.happened_on DESC, o.id DESC LIMIT ${} OFFSET ${}",
        n + 2,
        n + 3
    );
    let count = format!("SELECT COUNT(*) FROM outcomes o WHERE {cond}");
    let items: Vec<Outcome> = on!(db, |p| bind_args!(
        sqlx::query_as(&sql).bind(community_id),
        &args
    )
    .bind(req.limit())
    .bind(req.offset())
    .fetch_all(p)
    .await)?;
    let total: i64 = on!(db, |p| bind_args!(
        sqlx::query_scalar(&count).bind(community_id),
        &args
    )
    .fetch_one(p)
    .await)?;
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

/// Outcomes and distinct organizations per theme for the outcomes matching `f`, by theme, and
/// the same two figures over all of them (an organization in two themes counts once overall).
pub async fn summary(
    db: &Db,
    community_id: i64,
    f: &Filter,
) -> Result<(Vec<ThemeSummary>, ThemeSummary)> {
    let (cond, args) = filter_sql(f);
    let sql = format!(
        "SELECT o.theme, COUNT(DISTINCT o.id) AS outcomes, COUNT(DISTINCT oo.organization_id) AS organizations
         FROM outcomes o LEFT JOIN outcome_organizations oo ON oo.outcome_id = o.id WHERE {cond}
         GROUP BY o.theme ORDER BY o.theme"
    );
    let all = format!(
        "SELECT '' AS theme, COUNT(DISTINCT o.id) AS outcomes, COUNT(DISTINCT oo.organization_id) AS organizations
         FROM outcomes o LEFT JOIN outcome_organizations oo ON oo.outcome_id = o.id WHERE {cond}"
    );
    let rows: Vec<ThemeSummary> = on!(db, |p| bind_args!(
        sqlx::query_as(&sql).bind(community_id),
        &args
    )
    .fetch_all(p)
    .await)?;
    let total: ThemeSummary = on!(db, |p| bind_args!(
        sqlx::query_as(&all).bind(community_id),
        &args
    )
    .fetch_one(p)
    .await)?;
    Ok((rows, total))
}

/// For the report: per theme, the number of outcomes whose change happened between `from` and
/// `to` (inclusive) and the number of *distinct* organizations they name, ordered by theme.
pub async fn by_theme(
    db: &Db,
    community_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ThemeSummary>> {
    let f = Filter {
        from: Some(from),
        to: Some(to),
        ..Default::default()
    };
    Ok(summary(db, community_id, &f).await?.0)
}

/// For the report: the community's outcomes whose change happened between `from` and `to`
/// (inclusive), by theme and date, each with its organizations (ids and names). Read in two
/// queries; at most [`MAX_REPORT`] outcomes.
pub async fn in_period(
    db: &Db,
    community_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<OutcomeRow>> {
    let f = Filter {
        from: Some(from),
        to: Some(to),
        ..Default::default()
    };
    let req = PageReq {
        page: 1,
        per_page: u32::try_from(MAX_REPORT).unwrap_or(u32::MAX),
    };
    let (cond, args) = filter_sql(&f);
    let sql = format!(
        "SELECT {COLS} FROM outcomes o WHERE {cond} ORDER BY o.theme, o.happened_on, o.id LIMIT ${}",
        args.len() + 2
    );
    let items: Vec<Outcome> = on!(db, |p| bind_args!(
        sqlx::query_as(&sql).bind(community_id),
        &args
    )
    .bind(req.limit())
    .fetch_all(p)
    .await)?;
    let ids: Vec<i64> = items.iter().map(|o| o.id).collect();
    let orgs = organizations_of(db, &ids).await?;
    Ok(items
        .into_iter()
        .map(|o| OutcomeRow {
            organizations: orgs
                .iter()
                .filter(|r| r.owner_id == o.id)
                .cloned()
                .collect(),
            id: o.id,
            theme: o.theme,
            description: o.description,
            change_kind: o.change_kind,
            significance: o.significance,
            contribution: o.contribution,
            happened_on: o.happened_on,
            substantiation: o.substantiation,
            source_name: o.source_name,
            source_view: o.source_view,
        })
        .collect())
}

/// The organizations of several outcomes in one query (`owner_id` is the outcome), by name.
pub async fn organizations_of(db: &Db, outcome_ids: &[i64]) -> Result<Vec<OrgRef>> {
    if outcome_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT oo.outcome_id AS owner_id, g.id, g.name, g.kind FROM outcome_organizations oo JOIN organizations g ON g.id = oo.organization_id
         WHERE oo.outcome_id IN ({}) ORDER BY g.name_key, g.id",
        id_list(outcome_ids)
    );
    Ok(on!(db, |p| sqlx::query_as(&sql).fetch_all(p).await)?)
}

pub async fn links(db: &Db, outcome_id: i64) -> Result<Vec<LinkRow>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT id, url, label FROM outcome_links WHERE outcome_id = $1 ORDER BY id"
    )
    .bind(outcome_id)
    .fetch_all(p)
    .await)?)
}

/// The links as the core type (to fill the edit form again).
pub fn as_links(rows: &[LinkRow]) -> Vec<Link> {
    rows.iter()
        .map(|l| Link {
            url: l.url.clone(),
            label: l.label.clone(),
        })
        .collect()
}

/// The events that contributed to an outcome (id and title), oldest first.
pub async fn events_of(db: &Db, outcome_id: i64) -> Result<Vec<Contributor>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT e.id, e.title AS label FROM outcome_events oe JOIN events e ON e.id = oe.event_id
         WHERE oe.outcome_id = $1 ORDER BY e.starts_at, e.id"
    )
    .bind(outcome_id)
    .fetch_all(p)
    .await)?)
}

/// The joint projects that contributed to an outcome (id and title).
pub async fn projects_of(db: &Db, outcome_id: i64) -> Result<Vec<Contributor>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT pr.id, pr.title AS label FROM outcome_projects op JOIN projects pr ON pr.id = op.project_id
         WHERE op.outcome_id = $1 ORDER BY pr.title, pr.id"
    )
    .bind(outcome_id)
    .fetch_all(p)
    .await
    })?)
}

/// A tie that contributed to an outcome, with the names of its organizations and its kind.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TieRef {
    pub id: i64,
    pub from_name: String,
    pub to_name: String,
    pub kind: String,
}

/// The ties that contributed to an outcome whose kind is in `kinds` (sensitive kinds are
/// filtered by the caller's list; kinds are plain words from `TieKind::as_str`).
pub async fn ties_of(db: &Db, outcome_id: i64, kinds: &[&str]) -> Result<Vec<TieRef>> {
    let list = kinds_list(kinds);
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT t.id, a.name AS from_name, b.name AS to_name, t.kind FROM outcome_ties ot JOIN network_ties t ON t.id = ot.tie_id
         JOIN organizations a ON a.id = t.from_org JOIN organizations b ON b.id = t.to_org
         WHERE ot.outcome_id = $1 AND t.kind IN ({list}) ORDER BY a.name_key, b.name_key, t.id"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(outcome_id)
        .fetch_all(p)
        .await)?)
}

/// The ids (events, ties and project ids) an outcome links to, to fill its form again.
pub async fn linked_ids(db: &Db, outcome_id: i64) -> Result<(Vec<i64>, Vec<i64>, Vec<i64>)> {
    let q = |table: &str, col: &str| {
        format!("SELECT {col} FROM {table} WHERE outcome_id = $1 ORDER BY {col}")
    };
    let (e, p_, t) = (
        q("outcome_events", "event_id"),
        q("outcome_projects", "project_id"),
        q("outcome_ties", "tie_id"),
    );
    let events: Vec<i64> = on!(db, |p| sqlx::query_scalar(&e)
        .bind(outcome_id)
        .fetch_all(p)
        .await)?;
    let projects: Vec<i64> = on!(db, |p| sqlx::query_scalar(&p_)
        .bind(outcome_id)
        .fetch_all(p)
        .await)?;
    let ties: Vec<i64> = on!(db, |p| sqlx::query_scalar(&t)
        .bind(outcome_id)
        .fetch_all(p)
        .await)?;
    Ok((events, projects, ties))
}

/// What a community's rows are, to check ids coming from a form.
#[derive(Debug, Clone, Copy)]
pub enum Owned {
    Events,
    Projects,
    Ties,
}

/// How many of `ids` are rows of the community (events, projects or ties).
pub async fn count_owned(db: &Db, community_id: i64, what: Owned, ids: &[i64]) -> Result<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let table = match what {
        Owned::Events => "events",
        Owned::Projects => "projects",
        Owned::Ties => "network_ties",
    };
    let sql = format!(
        "SELECT COUNT(*) FROM {table} WHERE community_id = $1 AND id IN ({})",
        id_list(ids)
    );
    let n: i64 = on!(db, |p| sqlx::query_scalar(&sql)
        .bind(community_id)
        .fetch_one(p)
        .await)?;
    Ok(usize::try_from(n).unwrap_or(0))
}

fn kinds_list(kinds: &[&str]) -> String {
    // Kinds come from `TieKind::as_str` (plain words), never from input; checked anyway.
    kinds
        .iter()
        .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many of `ids` are ties of the community whose kind is in `kinds`.
pub async fn count_ties(db: &Db, community_id: i64, ids: &[i64], kinds: &[&str]) -> Result<usize> {
    let list = kinds_list(kinds);
    if ids.is_empty() || list.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "SELECT COUNT(*) FROM network_ties WHERE community_id = $1 AND id IN ({}) AND kind IN ({list})",
        id_list(ids)
    );
    let n: i64 = on!(db, |p| sqlx::query_scalar(&sql)
        .bind(community_id)
        .fetch_one(p)
        .await)?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Outcomes linked to a joint project (id, description and theme), newest change first.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct OutcomeBrief {
    pub id: i64,
    pub description: String,
    pub theme: String,
    pub happened_on: NaiveDate,
    pub substantiation: String,
}

pub async fn of_project(db: &Db, project_id: i64, limit: i64) -> Result<Vec<OutcomeBrief>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT o.id, o.description, o.theme, o.happened_on, o.substantiation FROM outcome_projects op
         JOIN outcomes o ON o.id = op.outcome_id WHERE op.project_id = $1 ORDER BY o.happened_on DESC, o.id DESC LIMIT $2"
    )
    .bind(project_id)
    .bind(limit)
    .fetch_all(p)
    .await
    })?)
}

/// The community's events (id and start), oldest first, read inside a transaction (the demo
/// links outcomes to the events it just created).
pub async fn events_in_tx(
    tx: &mut Tx,
    community_id: i64,
    limit: i64,
) -> Result<Vec<(i64, DateTime<Utc>)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, starts_at FROM events WHERE community_id = $1 ORDER BY starts_at, id LIMIT $2"
    )
    .bind(community_id)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}
