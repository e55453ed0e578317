//! Funding: storage of cost lines, contributions, the collective assets register and the
//! fundraising pipeline (with every stage change), and the figures of the transparency page and
//! the funder report ([`summary`]).
//!
//! Amounts are stored as `amount_minor` (an integer number of centavos/cents) and a `currency`
//! code; sums are computed per currency in SQL (`SUM` over integers, cast back to `BIGINT` because
//! PostgreSQL widens it to `NUMERIC`) and never across currencies.

use chrono::NaiveDate;
use tejido_core::funding::{
    AskInput, AssetInput, ContributionInput, CostInput, Currency, Money, Totals, STAGES,
};
use tejido_core::page::{Page, PageReq};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most rows written to one CSV export.
pub const MAX_EXPORT: i64 = 10_000;

fn money(minor: i64, currency: &str) -> Money {
    Money::new(
        minor,
        Currency::parse(currency).unwrap_or(Currency::DEFAULT),
    )
}

// ---- rows ------------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Cost {
    pub id: i64,
    pub community_id: i64,
    pub event_id: Option<i64>,
    pub event_title: Option<String>,
    pub category: String,
    pub description: String,
    #[serde(skip)]
    pub amount_minor: i64,
    pub currency: String,
    pub spent_on: NaiveDate,
    pub paid_by_org: Option<i64>,
    pub paid_by_org_name: Option<String>,
    pub paid_by_text: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Cost {
    pub fn amount(&self) -> Money {
        money(self.amount_minor, &self.currency)
    }
    /// Who paid, as shown: the organization's name or the free text.
    pub fn paid_by(&self) -> String {
        self.paid_by_org_name
            .clone()
            .or_else(|| self.paid_by_text.clone())
            .unwrap_or_default()
    }
}

const COST_COLS: &str = "x.id, x.community_id, x.event_id, e.title AS event_title, x.category, x.description,
    x.amount_minor, x.currency, x.spent_on, x.paid_by_org, o.name AS paid_by_org_name, x.paid_by_text, x.created_at";
const COST_FROM: &str = "FROM funding_costs x LEFT JOIN events e ON e.id = x.event_id
    LEFT JOIN organizations o ON o.id = x.paid_by_org";

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Contribution {
    pub id: i64,
    pub community_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub kind: String,
    pub description: String,
    #[serde(skip)]
    pub amount_minor: i64,
    pub currency: String,
    pub given_on: NaiveDate,
    pub event_id: Option<i64>,
    pub event_title: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Contribution {
    pub fn amount(&self) -> Money {
        money(self.amount_minor, &self.currency)
    }
}

const CONTRIBUTION_COLS: &str = "x.id, x.community_id, x.organization_id, o.name AS organization_name, x.kind,
    x.description, x.amount_minor, x.currency, x.given_on, x.event_id, e.title AS event_title, x.created_at";
const CONTRIBUTION_FROM: &str =
    "FROM funding_contributions x JOIN organizations o ON o.id = x.organization_id
    LEFT JOIN events e ON e.id = x.event_id";

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Asset {
    pub id: i64,
    pub community_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub kind: String,
    pub description: String,
    #[serde(skip)]
    pub value_minor: i64,
    pub currency: String,
    pub availability: Option<String>,
    /// Community members only (the whole funding area is).
    pub contact: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Asset {
    pub fn value(&self) -> Money {
        money(self.value_minor, &self.currency)
    }
}

const ASSET_COLS: &str =
    "x.id, x.community_id, x.organization_id, o.name AS organization_name, x.kind,
    x.description, x.value_minor, x.currency, x.availability, x.contact, x.created_at";
const ASSET_FROM: &str = "FROM funding_assets x JOIN organizations o ON o.id = x.organization_id";

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Ask {
    pub id: i64,
    pub community_id: i64,
    pub donor_org: Option<i64>,
    pub donor_org_name: Option<String>,
    pub donor_text: Option<String>,
    pub ask: String,
    #[serde(skip)]
    pub amount_minor: i64,
    pub currency: String,
    pub stage: String,
    /// When the current stage was reached.
    pub stage_on: NaiveDate,
    pub next_step: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub owner_person: Option<i64>,
    pub owner_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Ask {
    pub fn amount(&self) -> Money {
        money(self.amount_minor, &self.currency)
    }
    pub fn donor(&self) -> String {
        self.donor_org_name
            .clone()
            .or_else(|| self.donor_text.clone())
            .unwrap_or_default()
    }
}

const ASK_COLS: &str =
    "x.id, x.community_id, x.donor_org, o.name AS donor_org_name, x.donor_text, x.ask,
    x.amount_minor, x.currency, x.stage, x.stage_on, x.next_step, x.due_on, x.owner_person,
    pe.full_name AS owner_name, x.created_at, x.updated_at";
const ASK_FROM: &str = "FROM funding_asks x LEFT JOIN organizations o ON o.id = x.donor_org
    LEFT JOIN people pe ON pe.id = x.owner_person";
/// Pipeline order: by stage, then the nearest due date.
const ASK_ORDER: &str = "ORDER BY CASE x.stage WHEN 'prospect' THEN 1 WHEN 'contacted' THEN 2
    WHEN 'proposal-sent' THEN 3 WHEN 'under-review' THEN 4 WHEN 'awarded' THEN 5 ELSE 6 END,
    CASE WHEN x.due_on IS NULL THEN 1 ELSE 0 END, x.due_on, x.id";

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct StageChange {
    pub id: i64,
    pub ask_id: i64,
    pub stage: String,
    pub changed_on: NaiveDate,
    pub note: Option<String>,
    pub changed_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

// ---- one generic paginated read --------------------------------------------------------------

macro_rules! page_of {
    ($db:expr, $ty:ty, $cols:expr, $from:expr, $order:expr, $cid:expr, $limit:expr, $offset:expr) => {{
        let count = format!("SELECT COUNT(*) {} WHERE x.community_id = $1", $from);
        let sql = format!(
            "SELECT {} {} WHERE x.community_id = $1 {} LIMIT $2 OFFSET $3",
            $cols, $from, $order
        );
        let r: (i64, Vec<$ty>) = on!($db, |p| {
            let total: i64 = sqlx::query_scalar(&count).bind($cid).fetch_one(p).await?;
            let items: Vec<$ty> = sqlx::query_as(&sql)
                .bind($cid)
                .bind($limit)
                .bind($offset)
                .fetch_all(p)
                .await?;
            (total, items)
        });
        r
    }};
}

fn paged<T>(req: PageReq, (total, items): (i64, Vec<T>)) -> Page<T> {
    Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    }
}

// ---- costs -----------------------------------------------------------------------------------

pub async fn insert_cost(
    tx: &mut Tx,
    community_id: i64,
    c: &CostInput,
    by: Option<i64>,
) -> Result<i64> {
    Ok(on_tx!(tx, |x| {
        sqlx::query_scalar(
            "INSERT INTO funding_costs (community_id, event_id, category, description, amount_minor, currency, spent_on,
             paid_by_org, paid_by_text, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(community_id)
        .bind(c.event_id)
        .bind(&c.category)
        .bind(&c.description)
        .bind(c.amount.minor)
        .bind(c.amount.currency.as_str())
        .bind(c.spent_on)
        .bind(c.paid_by_org)
        .bind(&c.paid_by_text)
        .bind(by)
        .bind(now())
        .fetch_one(x)
        .await
    })?)
}

/// A community's cost lines, newest first.
pub async fn costs(db: &Db, community_id: i64, req: PageReq) -> Result<Page<Cost>> {
    Ok(paged(
        req,
        page_of!(
            db,
            Cost,
            COST_COLS,
            COST_FROM,
            "ORDER BY x.spent_on DESC, x.id DESC",
            community_id,
            req.limit(),
            req.offset()
        ),
    ))
}

/// Up to [`MAX_EXPORT`] cost lines for the CSV export.
pub async fn all_costs(db: &Db, community_id: i64) -> Result<Vec<Cost>> {
    Ok(page_of!(
        db,
        Cost,
        COST_COLS,
        COST_FROM,
        "ORDER BY x.spent_on DESC, x.id DESC",
        community_id,
        MAX_EXPORT,
        0i64
    )
    .1)
}

// ---- contributions ---------------------------------------------------------------------------

pub async fn insert_contribution(
    tx: &mut Tx,
    community_id: i64,
    c: &ContributionInput,
    by: Option<i64>,
) -> Result<i64> {
    Ok(on_tx!(tx, |x| {
        sqlx::query_scalar(
            "INSERT INTO funding_contributions (community_id, organization_id, kind, description, amount_minor, currency,
             given_on, event_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(community_id)
        .bind(c.organization_id)
        .bind(&c.kind)
        .bind(&c.description)
        .bind(c.amount.minor)
        .bind(c.amount.currency.as_str())
        .bind(c.given_on)
        .bind(c.event_id)
        .bind(by)
        .bind(now())
        .fetch_one(x)
        .await
    })?)
}

pub async fn contributions(db: &Db, community_id: i64, req: PageReq) -> Result<Page<Contribution>> {
    Ok(paged(
        req,
        page_of!(
            db,
            Contribution,
            CONTRIBUTION_COLS,
            CONTRIBUTION_FROM,
            "ORDER BY x.given_on DESC, x.id DESC",
            community_id,
            req.limit(),
            req.offset()
        ),
    ))
}

pub async fn all_contributions(db: &Db, community_id: i64) -> Result<Vec<Contribution>> {
    Ok(page_of!(
        db,
        Contribution,
        CONTRIBUTION_COLS,
        CONTRIBUTION_FROM,
        "ORDER BY x.given_on DESC, x.id DESC",
        community_id,
        MAX_EXPORT,
        0i64
    )
    .1)
}

// ---- assets ----------------------------------------------------------------------------------

pub async fn insert_asset(
    tx: &mut Tx,
    community_id: i64,
    a: &AssetInput,
    by: Option<i64>,
) -> Result<i64> {
    Ok(on_tx!(tx, |x| {
        sqlx::query_scalar(
            "INSERT INTO funding_assets (community_id, organization_id, kind, description, value_minor, currency,
             availability, contact, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(community_id)
        .bind(a.organization_id)
        .bind(&a.kind)
        .bind(&a.description)
        .bind(a.value.minor)
        .bind(a.value.currency.as_str())
        .bind(&a.availability)
        .bind(&a.contact)
        .bind(by)
        .bind(now())
        .fetch_one(x)
        .await
    })?)
}

pub async fn assets(db: &Db, community_id: i64, req: PageReq) -> Result<Page<Asset>> {
    Ok(paged(
        req,
        page_of!(
            db,
            Asset,
            ASSET_COLS,
            ASSET_FROM,
            "ORDER BY o.name_key, x.kind, x.id",
            community_id,
            req.limit(),
            req.offset()
        ),
    ))
}

pub async fn all_assets(db: &Db, community_id: i64) -> Result<Vec<Asset>> {
    Ok(page_of!(
        db,
        Asset,
        ASSET_COLS,
        ASSET_FROM,
        "ORDER BY o.name_key, x.kind, x.id",
        community_id,
        MAX_EXPORT,
        0i64
    )
    .1)
}

/// Estimated value of the whole register, per currency.
pub async fn asset_totals(db: &Db, community_id: i64) -> Result<Vec<Money>> {
    let rows: Vec<(String, i64)> = on!(db, |p| {
        sqlx::query_as(
        "SELECT currency, CAST(SUM(value_minor) AS BIGINT) FROM funding_assets WHERE community_id = $1 GROUP BY currency"
    )
    .bind(community_id)
    .fetch_all(p)
    .await
    })?;
    Ok(totals(rows))
}

fn totals(rows: Vec<(String, i64)>) -> Vec<Money> {
    rows.into_iter()
        .map(|(c, m)| money(m, &c))
        .collect::<Totals>()
        .amounts()
}

// ---- pipeline --------------------------------------------------------------------------------

pub async fn insert_ask(
    tx: &mut Tx,
    community_id: i64,
    a: &AskInput,
    on: NaiveDate,
    by: Option<i64>,
) -> Result<i64> {
    let t = now();
    let id: i64 = on_tx!(tx, |x| {
        sqlx::query_scalar(
            "INSERT INTO funding_asks (community_id, donor_org, donor_text, ask, amount_minor, currency, stage, stage_on,
             next_step, due_on, owner_person, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        )
        .bind(community_id)
        .bind(a.donor_org)
        .bind(&a.donor_text)
        .bind(&a.ask)
        .bind(a.amount.minor)
        .bind(a.amount.currency.as_str())
        .bind(&a.stage)
        .bind(on)
        .bind(&a.next_step)
        .bind(a.due_on)
        .bind(a.owner)
        .bind(by)
        .bind(t)
        .fetch_one(x)
        .await
    })?;
    record_stage(tx, id, &a.stage, on, None, by).await?;
    Ok(id)
}

async fn record_stage(
    tx: &mut Tx,
    ask_id: i64,
    stage: &str,
    on: NaiveDate,
    note: Option<&str>,
    by: Option<i64>,
) -> Result<()> {
    on_tx!(tx, |x| {
        sqlx::query(
            "INSERT INTO funding_ask_stages (ask_id, stage, changed_on, note, changed_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(ask_id)
        .bind(stage)
        .bind(on)
        .bind(note)
        .bind(by)
        .bind(now())
        .execute(x)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Moves an ask of this community to `stage` on date `on` and records the change; false when
/// the ask is not the community's.
pub async fn set_stage(
    tx: &mut Tx,
    community_id: i64,
    id: i64,
    stage: &str,
    on: NaiveDate,
    note: Option<&str>,
    by: Option<i64>,
) -> Result<bool> {
    let n = on_tx!(tx, |x| {
        sqlx::query(
            "UPDATE funding_asks SET stage = $1, stage_on = $2, updated_at = $3 WHERE community_id = $4 AND id = $5",
        )
        .bind(stage)
        .bind(on)
        .bind(now())
        .bind(community_id)
        .bind(id)
        .execute(x)
        .await
        .map(|r| r.rows_affected())
    })?;
    if n != 1 {
        return Ok(false);
    }
    record_stage(tx, id, stage, on, note, by).await?;
    Ok(true)
}

pub async fn ask(db: &Db, community_id: i64, id: i64) -> Result<Option<Ask>> {
    let sql = format!("SELECT {ASK_COLS} {ASK_FROM} WHERE x.community_id = $1 AND x.id = $2");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// The pipeline in stage order (then by due date).
pub async fn asks(db: &Db, community_id: i64, req: PageReq) -> Result<Page<Ask>> {
    Ok(paged(
        req,
        page_of!(
            db,
            Ask,
            ASK_COLS,
            ASK_FROM,
            ASK_ORDER,
            community_id,
            req.limit(),
            req.offset()
        ),
    ))
}

pub async fn all_asks(db: &Db, community_id: i64) -> Result<Vec<Ask>> {
    Ok(page_of!(
        db,
        Ask,
        ASK_COLS,
        ASK_FROM,
        ASK_ORDER,
        community_id,
        MAX_EXPORT,
        0i64
    )
    .1)
}

/// An ask's stage history, oldest first (at most 200 changes).
pub async fn stage_history(db: &Db, ask_id: i64) -> Result<Vec<StageChange>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT s.id, s.ask_id, s.stage, s.changed_on, s.note, pe.full_name AS changed_by_name, s.created_at
         FROM funding_ask_stages s LEFT JOIN users u ON u.id = s.changed_by LEFT JOIN people pe ON pe.id = u.person_id
         WHERE s.ask_id = $1 ORDER BY s.id LIMIT 200"
    )
    .bind(ask_id)
    .fetch_all(p)
    .await
    })?)
}

// ---- deletes ---------------------------------------------------------------------------------

/// What a delete route removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Cost,
    Contribution,
    Asset,
    Ask,
}

/// How one item of this community is named to a person about to delete it (its description,
/// or the ask's title); `None` when there is none.
pub async fn item_label(db: &Db, community_id: i64, item: Item, id: i64) -> Result<Option<String>> {
    let (table, column) = match item {
        Item::Cost => ("funding_costs", "description"),
        Item::Contribution => ("funding_contributions", "description"),
        Item::Asset => ("funding_assets", "description"),
        Item::Ask => ("funding_asks", "ask"),
    };
    let sql = format!("SELECT {column} FROM {table} WHERE community_id = $1 AND id = $2");
    Ok(on!(db, |p| sqlx::query_scalar(&sql)
        .bind(community_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// Deletes one item of this community; false when there is none.
pub async fn delete(tx: &mut Tx, community_id: i64, item: Item, id: i64) -> Result<bool> {
    let table = match item {
        Item::Cost => "funding_costs",
        Item::Contribution => "funding_contributions",
        Item::Asset => "funding_assets",
        Item::Ask => "funding_asks",
    };
    let sql = format!("DELETE FROM {table} WHERE community_id = $1 AND id = $2");
    let n = on_tx!(tx, |x| {
        if item == Item::Ask {
            sqlx::query(
                "DELETE FROM funding_ask_stages WHERE ask_id IN (SELECT id FROM funding_asks WHERE community_id = $1 AND id = $2)",
            )
            .bind(community_id)
            .bind(id)
            .execute(&mut *x)
            .await?;
        }
        sqlx::query(&sql)
            .bind(community_id)
            .bind(id)
            .execute(&mut *x)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

// ---- references ------------------------------------------------------------------------------

/// Whether an organization is a current member of the community.
pub async fn is_member_org(db: &Db, community_id: i64, org: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM community_organizations WHERE community_id = $1 AND organization_id = $2 AND left_at IS NULL"
    )
    .bind(community_id)
    .bind(org)
    .fetch_one(p)
    .await
    })?;
    Ok(n > 0)
}

/// Whether a person is a current member of the community.
pub async fn is_member_person(db: &Db, community_id: i64, person: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM community_people WHERE community_id = $1 AND person_id = $2 AND left_at IS NULL"
    )
    .bind(community_id)
    .bind(person)
    .fetch_one(p)
    .await
    })?;
    Ok(n > 0)
}

/// Whether a directory organization exists and is not archived.
pub async fn org_exists(db: &Db, org: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM organizations WHERE id = $1 AND archived_at IS NULL"
    )
    .bind(org)
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}

/// Directory organizations a donor can be chosen from (id, name), by name; at most `limit`.
pub async fn donor_options(db: &Db, limit: i64) -> Result<Vec<(i64, String)>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT id, name FROM organizations WHERE archived_at IS NULL ORDER BY name_key LIMIT $1"
    )
    .bind(limit)
    .fetch_all(p)
    .await)?)
}

// ---- summary ---------------------------------------------------------------------------------

/// One source of income in one currency.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IncomeLine {
    /// `cash-contribution` (member organizations' cash) or `grant` (awarded asks).
    pub source: String,
    pub amount: Money,
}

/// Costs of one category in one currency.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CategoryLine {
    pub category: String,
    pub amount: Money,
}

/// Costs of one event (or of none: the community's general costs) in one currency.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventLine {
    pub event_id: Option<i64>,
    pub title: Option<String>,
    pub amount: Money,
}

/// What one member organization contributed, by kind and currency.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OrganizationLine {
    pub organization_id: i64,
    pub name: String,
    /// `cash` or `in-kind`.
    pub kind: String,
    pub amount: Money,
}

/// One pipeline stage: how many asks are in it now and what they ask for, per currency.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StageLine {
    pub stage: String,
    pub count: i64,
    pub amounts: Vec<Money>,
}

/// A community's funding over a period, for the transparency page and the funder report.
/// Every amount is exact and every list is per currency: nothing is summed across currencies.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FundingSummary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Money that came in during the period, by source kind and currency: member organizations'
    /// cash contributions (by `given_on`) and asks awarded (by the date they reached
    /// `awarded`), in that order.
    pub income: Vec<IncomeLine>,
    /// `income` summed per currency.
    pub income_total: Vec<Money>,
    /// In-kind contributions given in the period, at their valuation, per currency.
    pub in_kind: Vec<Money>,
    /// Contributions of each member organization in the period (cash and in kind).
    pub by_organization: Vec<OrganizationLine>,
    /// Costs spent in the period, by category (in [`tejido_core::funding::COST_CATEGORIES`]
    /// order) and currency.
    pub costs_by_category: Vec<CategoryLine>,
    /// Costs spent in the period by event (general costs, with no event, last).
    pub costs_by_event: Vec<EventLine>,
    /// Costs summed per currency.
    pub costs_total: Vec<Money>,
    /// The pipeline as it stands now (not limited to the period): every stage in order, with the
    /// number of asks in it and their amounts per currency.
    pub pipeline: Vec<StageLine>,
}

/// The community's [`FundingSummary`] for the period `from..=to` (dates inclusive). Six
/// grouped queries, whatever the number of rows.
pub async fn summary(
    db: &Db,
    community_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<FundingSummary> {
    type Grouped = Vec<(String, String, i64)>;
    type ByEvent = Vec<(Option<i64>, Option<String>, String, i64)>;
    type ByOrg = Vec<(i64, String, String, String, i64)>;
    type ByStage = Vec<(String, String, i64, i64)>;
    let (contrib, grants, cats, events, orgs, stages): (
        Grouped,
        Vec<(String, i64)>,
        Grouped,
        ByEvent,
        ByOrg,
        ByStage,
    ) = on!(db, |p| {
        let contrib: Grouped = sqlx::query_as(
            "SELECT kind, currency, CAST(SUM(amount_minor) AS BIGINT) FROM funding_contributions
             WHERE community_id = $1 AND given_on >= $2 AND given_on <= $3 GROUP BY kind, currency",
        )
        .bind(community_id)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?;
        let grants: Vec<(String, i64)> = sqlx::query_as(
            "SELECT currency, CAST(SUM(amount_minor) AS BIGINT) FROM funding_asks
             WHERE community_id = $1 AND stage = 'awarded' AND stage_on >= $2 AND stage_on <= $3 GROUP BY currency",
        )
        .bind(community_id)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?;
        let cats: Grouped = sqlx::query_as(
            "SELECT category, currency, CAST(SUM(amount_minor) AS BIGINT) FROM funding_costs
             WHERE community_id = $1 AND spent_on >= $2 AND spent_on <= $3 GROUP BY category, currency",
        )
        .bind(community_id)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?;
        let events: ByEvent = sqlx::query_as(
            "SELECT x.event_id, MIN(e.title), x.currency, CAST(SUM(x.amount_minor) AS BIGINT) FROM funding_costs x
             LEFT JOIN events e ON e.id = x.event_id
             WHERE x.community_id = $1 AND x.spent_on >= $2 AND x.spent_on <= $3
             GROUP BY x.event_id, x.currency ORDER BY MIN(e.starts_at), x.event_id, x.currency",
        )
        .bind(community_id)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?;
        let orgs: ByOrg = sqlx::query_as(
            "SELECT x.organization_id, MIN(o.name), x.kind, x.currency, CAST(SUM(x.amount_minor) AS BIGINT)
             FROM funding_contributions x JOIN organizations o ON o.id = x.organization_id
             WHERE x.community_id = $1 AND x.given_on >= $2 AND x.given_on <= $3
             GROUP BY x.organization_id, x.kind, x.currency ORDER BY MIN(o.name_key), x.organization_id, x.kind, x.currency",
        )
        .bind(community_id)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?;
        let stages: ByStage = sqlx::query_as(
            "SELECT stage, currency, COUNT(*), CAST(SUM(amount_minor) AS BIGINT) FROM funding_asks
             WHERE community_id = $1 GROUP BY stage, currency",
        )
        .bind(community_id)
        .fetch_all(p)
        .await?;
        (contrib, grants, cats, events, orgs, stages)
    });

    let mut income = vec![];
    let mut in_kind = Totals::new();
    let mut cash = Totals::new();
    for (kind, cur, m) in &contrib {
        if kind == "cash" {
            cash.add(money(*m, cur));
        } else {
            in_kind.add(money(*m, cur));
        }
    }
    let grants: Totals = grants.iter().map(|(c, m)| money(*m, c)).collect();
    for (source, t) in [("cash-contribution", &cash), ("grant", &grants)] {
        for amount in t.amounts() {
            income.push(IncomeLine {
                source: source.to_owned(),
                amount,
            });
        }
    }
    let income_total: Totals = income.iter().map(|l| l.amount).collect();

    let mut costs_by_category = vec![];
    for cat in tejido_core::funding::COST_CATEGORIES {
        let t: Totals = cats
            .iter()
            .filter(|(c, _, _)| c == cat)
            .map(|(_, cur, m)| money(*m, cur))
            .collect();
        for amount in t.amounts() {
            costs_by_category.push(CategoryLine {
                category: cat.to_owned(),
                amount,
            });
        }
    }
    let costs_total: Totals = costs_by_category.iter().map(|l| l.amount).collect();
    let (mut costs_by_event, general): (Vec<EventLine>, Vec<EventLine>) = events
        .into_iter()
        .map(|(event_id, title, cur, m)| EventLine {
            event_id,
            title,
            amount: money(m, &cur),
        })
        .partition(|l| l.event_id.is_some());
    costs_by_event.extend(general);

    let by_organization = orgs
        .into_iter()
        .map(|(organization_id, name, kind, cur, m)| OrganizationLine {
            organization_id,
            name,
            kind,
            amount: money(m, &cur),
        })
        .collect();

    let pipeline = STAGES
        .iter()
        .map(|st| {
            let mine: Vec<&(String, String, i64, i64)> =
                stages.iter().filter(|(s, _, _, _)| s == st).collect();
            StageLine {
                stage: (*st).to_owned(),
                count: mine.iter().map(|r| r.2).sum(),
                amounts: mine
                    .iter()
                    .map(|r| money(r.3, &r.1))
                    .collect::<Totals>()
                    .amounts(),
            }
        })
        .collect();

    Ok(FundingSummary {
        from,
        to,
        income,
        income_total: income_total.amounts(),
        in_kind: in_kind.amounts(),
        by_organization,
        costs_by_category,
        costs_by_event,
        costs_total: costs_total.amounts(),
        pipeline,
    })
}

/// A community's events (id, title, start) in start order, at most `limit`, read inside a
/// transaction (the demo dataset attaches costs to them while it is being written).
pub async fn events_in_tx(
    tx: &mut Tx,
    community_id: i64,
    limit: i64,
) -> Result<Vec<(i64, String, DateTime<Utc>)>> {
    Ok(on_tx!(tx, |x| {
        sqlx::query_as(
        "SELECT id, title, starts_at FROM events WHERE community_id = $1 ORDER BY starts_at, id LIMIT $2"
    )
    .bind(community_id)
    .bind(limit)
    .fetch_all(x)
    .await
    })?)
}
