//! Peer support: storage of offers, asks (posted to one or more communities), the organizations
//! matched to an ask with their reasons, answers, and the organizations that helped. Who may see
//! an ask is decided here in SQL: a member (or current role holder) of one of its communities.

use chrono::NaiveDate;
use tejido_core::page::{Page, PageReq};
use tejido_core::support::{AskInput, AskStatus, Candidate, Match, OfferInput};
use tejido_core::text::fold;

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most communities or organizations read for one form or one ask.
pub const MAX_CHOICES: i64 = 500;

/// The communities a person belongs to (member or current role), as SQL over `$n`.
fn my_communities(n: u8) -> String {
    format!(
        "SELECT community_id FROM community_people WHERE person_id = ${n} AND left_at IS NULL
         UNION SELECT community_id FROM community_roles WHERE person_id = ${n} AND ends_at IS NULL AND role <> 'funder'"
    )
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Offer {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub title: String,
    pub description: String,
    /// Comma-separated.
    pub themes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const OFFER_COLS: &str = "f.id, f.organization_id, o.name AS organization_name, f.title, f.description, f.themes, f.created_at, f.updated_at";

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Ask {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub asker_user_id: i64,
    pub asker_name: String,
    pub title: String,
    pub need: String,
    pub theme: String,
    pub urgency: String,
    pub deadline: Option<NaiveDate>,
    pub status: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Ask {
    pub fn is_open(&self) -> bool {
        self.status == AskStatus::Open.as_str()
    }
}

const ASK_COLS: &str = "a.id, a.organization_id, o.name AS organization_name, a.asker_user_id, u.display_name AS asker_name,
    a.title, a.need, a.theme, a.urgency, a.deadline, a.status, a.closed_at, a.created_at, a.updated_at";
const ASK_FROM: &str = "support_asks a JOIN organizations o ON o.id = a.organization_id JOIN users u ON u.id = a.asker_user_id";

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MatchRow {
    pub organization_id: i64,
    pub name: String,
    pub score: i64,
    /// One `kind\tvalue` per line (see `tejido_core::support::Reason`).
    #[serde(skip)]
    pub reasons: String,
    pub invited: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Answer {
    pub id: i64,
    pub ask_id: i64,
    pub author_name: String,
    pub organization_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// (id, name) of an organization or community; `slug` empty for organizations.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Named {
    pub id: i64,
    pub name: String,
    pub slug: String,
}

/// Someone to invite to answer an ask.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invitee {
    pub user_id: i64,
    pub email: String,
    pub locale: Option<String>,
    pub organization_id: i64,
}

// ---- the asker --------------------------------------------------------------------------------

/// The person's organization (id, name), if any and not archived.
pub async fn person_organization(db: &Db, person_id: i64) -> Result<Option<Named>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT o.id, o.name, '' AS slug FROM people pe JOIN organizations o ON o.id = pe.organization_id
         WHERE pe.id = $1 AND o.archived_at IS NULL"
    )
    .bind(person_id)
    .fetch_optional(p)
    .await
    })?)
}

/// The communities the person belongs to, by name.
pub async fn person_communities(db: &Db, person_id: i64) -> Result<Vec<Named>> {
    let sql = format!(
        "SELECT c.id, c.name, c.slug FROM communities c WHERE c.archived_at IS NULL AND c.id IN ({})
         ORDER BY c.name_key, c.id LIMIT $2",
        my_communities(1)
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(person_id)
        .bind(MAX_CHOICES)
        .fetch_all(p)
        .await)?)
}

// ---- offers -----------------------------------------------------------------------------------

pub async fn insert_offer(
    tx: &mut Tx,
    organization_id: i64,
    f: &OfferInput,
    by: Option<i64>,
) -> Result<i64> {
    let t = now();
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO support_offers (organization_id, title, description, themes, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id"
    )
    .bind(organization_id)
    .bind(&f.title)
    .bind(&f.description)
    .bind(f.themes.join(", "))
    .bind(by)
    .bind(t)
    .fetch_one(c)
    .await
    })?)
}

pub async fn update_offer(tx: &mut Tx, id: i64, f: &OfferInput) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE support_offers SET title = $1, description = $2, themes = $3, updated_at = $4 WHERE id = $5"
    )
    .bind(&f.title)
    .bind(&f.description)
    .bind(f.themes.join(", "))
    .bind(now())
    .bind(id)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

pub async fn get_offer(db: &Db, id: i64) -> Result<Option<Offer>> {
    let sql = format!(
        "SELECT {OFFER_COLS} FROM support_offers f JOIN organizations o ON o.id = f.organization_id WHERE f.id = $1"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// An organization's offers, newest first.
pub async fn offers_of(db: &Db, organization_id: i64, req: PageReq) -> Result<Page<Offer>> {
    let sql = format!(
        "SELECT {OFFER_COLS} FROM support_offers f JOIN organizations o ON o.id = f.organization_id
         WHERE f.organization_id = $1 ORDER BY f.updated_at DESC, f.id DESC LIMIT $2 OFFSET $3"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM support_offers WHERE organization_id = $1")
                .bind(organization_id)
                .fetch_one(p)
                .await?;
        let items: Vec<Offer> = sqlx::query_as(&sql)
            .bind(organization_id)
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

// ---- asks -------------------------------------------------------------------------------------

/// Inserts an ask and the communities it is posted to (already checked to be the asker's).
pub async fn insert_ask(
    tx: &mut Tx,
    organization_id: i64,
    asker: i64,
    a: &AskInput,
) -> Result<i64> {
    let t = now();
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO support_asks (organization_id, asker_user_id, title, need, theme, theme_key, urgency, deadline, status,
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $9) RETURNING id"
    )
    .bind(organization_id)
    .bind(asker)
    .bind(&a.title)
    .bind(&a.need)
    .bind(&a.theme)
    .bind(fold(&a.theme))
    .bind(a.urgency.as_str())
    .bind(a.deadline)
    .bind(t)
    .fetch_one(c)
    .await
    })?;
    for cid in &a.communities {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO support_ask_communities (ask_id, community_id) VALUES ($1, $2)"
        )
        .bind(id)
        .bind(cid)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(id)
}

pub async fn get_ask(db: &Db, id: i64) -> Result<Option<Ask>> {
    let sql = format!("SELECT {ASK_COLS} FROM {ASK_FROM} WHERE a.id = $1");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// Whether the person belongs to one of the ask's communities.
pub async fn may_see(db: &Db, ask_id: i64, person_id: i64) -> Result<bool> {
    let sql = format!(
        "SELECT COUNT(*) FROM support_ask_communities WHERE ask_id = $1 AND community_id IN ({})",
        my_communities(2)
    );
    let n: i64 = on!(db, |p| sqlx::query_scalar(&sql)
        .bind(ask_id)
        .bind(person_id)
        .fetch_one(p)
        .await)?;
    Ok(n > 0)
}

pub async fn ask_communities(db: &Db, ask_id: i64) -> Result<Vec<Named>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT c.id, c.name, c.slug FROM support_ask_communities ac JOIN communities c ON c.id = ac.community_id
         WHERE ac.ask_id = $1 ORDER BY c.name_key, c.id"
    )
    .bind(ask_id)
    .fetch_all(p)
    .await
    })?)
}

/// Filters of the list of asks.
#[derive(Debug, Clone, Default)]
pub struct AskFilter {
    /// `open`, `closed`, or empty for all.
    pub state: String,
    /// A theme (compared folded), or empty.
    pub theme: String,
}

fn visible_clause() -> String {
    format!(
        "($1 = 1 OR EXISTS (SELECT 1 FROM support_ask_communities ac WHERE ac.ask_id = a.id AND ac.community_id IN ({})))",
        my_communities(2)
    )
}

/// Asks the reader may see (all for admins), newest first.
pub async fn visible_asks(
    db: &Db,
    admin: bool,
    person_id: Option<i64>,
    f: &AskFilter,
    req: PageReq,
) -> Result<Page<Ask>> {
    let filter = format!(
        "{} AND ($3 = '' OR ($3 = 'open' AND a.status = 'open') OR ($3 = 'closed' AND a.status <> 'open'))
         AND ($4 = '' OR a.theme_key = $4)",
        visible_clause()
    );
    let count_sql = format!("SELECT COUNT(*) FROM support_asks a WHERE {filter}");
    let sql = format!(
        "SELECT {ASK_COLS} FROM {ASK_FROM} WHERE {filter} ORDER BY a.created_at DESC, a.id DESC LIMIT $5 OFFSET $6"
    );
    let adm = i64::from(admin);
    let pid = person_id.unwrap_or(0);
    let theme = fold(f.theme.trim());
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(adm)
            .bind(pid)
            .bind(&f.state)
            .bind(&theme)
            .fetch_one(p)
            .await?;
        let items: Vec<Ask> = sqlx::query_as(&sql)
            .bind(adm)
            .bind(pid)
            .bind(&f.state)
            .bind(&theme)
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

/// The themes of the asks the reader may see, for the filter.
pub async fn visible_themes(db: &Db, admin: bool, person_id: Option<i64>) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT MIN(a.theme) FROM support_asks a WHERE {} GROUP BY a.theme_key ORDER BY a.theme_key LIMIT $3",
        visible_clause()
    );
    Ok(on!(db, |p| sqlx::query_scalar(&sql)
        .bind(i64::from(admin))
        .bind(person_id.unwrap_or(0))
        .bind(MAX_CHOICES)
        .fetch_all(p)
        .await)?)
}

// ---- matching ---------------------------------------------------------------------------------

/// (id, themes, expertise) of a candidate organization.
type OrgRow = (i64, String, String);
/// (organization, title, description, themes) of a candidate's offer.
type OfferRow = (i64, String, String, String);

/// The current member organizations of the ask's communities except the asker's, with their
/// directory themes and expertise and their offers.
pub async fn candidates(tx: &mut Tx, ask_id: i64, except_org: i64) -> Result<Vec<Candidate>> {
    let orgs_in = "SELECT organization_id FROM community_organizations WHERE left_at IS NULL AND community_id IN
        (SELECT community_id FROM support_ask_communities WHERE ask_id = $1)";
    let org_sql = format!(
        "SELECT o.id, o.themes, COALESCE(o.expertise, '') FROM organizations o
         WHERE o.id IN ({orgs_in}) AND o.archived_at IS NULL AND o.id <> $2 ORDER BY o.id LIMIT $3"
    );
    let offer_sql = format!(
        "SELECT f.organization_id, f.title, f.description, f.themes FROM support_offers f
         WHERE f.organization_id IN ({orgs_in}) AND f.organization_id <> $2 ORDER BY f.organization_id, f.id LIMIT $3"
    );
    let (orgs, offers): (Vec<OrgRow>, Vec<OfferRow>) = on_tx!(tx, |c| {
        let orgs = sqlx::query_as(&org_sql)
            .bind(ask_id)
            .bind(except_org)
            .bind(MAX_CHOICES)
            .fetch_all(&mut *c)
            .await?;
        let offers = sqlx::query_as(&offer_sql)
            .bind(ask_id)
            .bind(except_org)
            .bind(MAX_CHOICES * 10)
            .fetch_all(&mut *c)
            .await?;
        (orgs, offers)
    });
    let split = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut out: Vec<Candidate> = orgs
        .into_iter()
        .map(|(id, themes, expertise)| Candidate {
            organization_id: id,
            themes: split(&themes),
            expertise,
            offers: vec![],
        })
        .collect();
    for (org, title, description, themes) in offers {
        if let Some(c) = out.iter_mut().find(|c| c.organization_id == org) {
            c.offers
                .push((format!("{title} {description}"), split(&themes)));
        }
    }
    Ok(out)
}

/// The accounts to invite for matched organizations: people of those organizations who are
/// members of one of the ask's communities.
pub async fn invitees(tx: &mut Tx, ask_id: i64) -> Result<Vec<Invitee>> {
    Ok(on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT DISTINCT u.id AS user_id, u.email, u.locale, pe.organization_id FROM users u
         JOIN people pe ON pe.id = u.person_id
         JOIN support_matches m ON m.ask_id = $1 AND m.organization_id = pe.organization_id
         WHERE u.disabled_at IS NULL AND pe.archived_at IS NULL AND pe.id IN
           (SELECT cp.person_id FROM community_people cp JOIN support_ask_communities ac ON ac.community_id = cp.community_id
            WHERE ac.ask_id = $1 AND cp.left_at IS NULL)
         ORDER BY u.id LIMIT $2"
    )
    .bind(ask_id)
    .bind(MAX_CHOICES)
    .fetch_all(c)
    .await
    })?)
}

pub async fn insert_matches(tx: &mut Tx, ask_id: i64, matches: &[Match]) -> Result<()> {
    for m in matches {
        let reasons: Vec<String> = m.reasons.iter().map(|r| r.encode()).collect();
        on_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO support_matches (ask_id, organization_id, score, reasons, invited) VALUES ($1, $2, $3, $4, 0)"
        )
        .bind(ask_id)
        .bind(m.organization_id)
        .bind(m.score)
        .bind(reasons.join("\n"))
        .execute(c)
        .await
        .map(|_| ())
        })?;
    }
    Ok(())
}

/// Records how many people of each matched organization were invited.
pub async fn set_invited(tx: &mut Tx, ask_id: i64, org: i64, n: i64) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE support_matches SET invited = $1 WHERE ask_id = $2 AND organization_id = $3"
    )
    .bind(n)
    .bind(ask_id)
    .bind(org)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn matches(db: &Db, ask_id: i64) -> Result<Vec<MatchRow>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT m.organization_id, o.name, m.score, m.reasons, m.invited FROM support_matches m
         JOIN organizations o ON o.id = m.organization_id WHERE m.ask_id = $1 ORDER BY m.score DESC, o.name_key"
    )
    .bind(ask_id)
    .fetch_all(p)
    .await
    })?)
}

// ---- answers, closing -------------------------------------------------------------------------

pub async fn insert_answer(tx: &mut Tx, ask_id: i64, author: i64, body: &str) -> Result<i64> {
    let t = now();
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO support_answers (ask_id, author_user_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id"
    )
    .bind(ask_id)
    .bind(author)
    .bind(body)
    .bind(t)
    .fetch_one(c)
    .await
    })?)
}

/// An ask's answers, oldest first.
pub async fn answers(db: &Db, ask_id: i64, req: PageReq) -> Result<Page<Answer>> {
    let sql = "SELECT s.id, s.ask_id, u.display_name AS author_name, o.name AS organization_name, s.body, s.created_at
         FROM support_answers s JOIN users u ON u.id = s.author_user_id
         LEFT JOIN people pe ON pe.id = u.person_id LEFT JOIN organizations o ON o.id = pe.organization_id
         WHERE s.ask_id = $1 ORDER BY s.created_at, s.id LIMIT $2 OFFSET $3";
    let (total, items) = on!(db, |p| {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM support_answers WHERE ask_id = $1")
                .bind(ask_id)
                .fetch_one(p)
                .await?;
        let items: Vec<Answer> = sqlx::query_as(sql)
            .bind(ask_id)
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

/// The organizations that may be named as helpers: current members of the ask's communities
/// except the asker's, with the first such community shared with the asker's organization (or
/// the ask's first community) where the help tie goes.
pub async fn helper_choices(db: &Db, ask_id: i64, asker_org: i64) -> Result<Vec<(Named, i64)>> {
    let rows: Vec<(i64, String, i64)> = on!(db, |p| sqlx::query_as(
        "SELECT o.id, o.name, MIN(co.community_id) FROM community_organizations co
         JOIN support_ask_communities ac ON ac.community_id = co.community_id AND ac.ask_id = $1
         JOIN organizations o ON o.id = co.organization_id
         WHERE co.left_at IS NULL AND co.organization_id <> $2 AND o.archived_at IS NULL
         GROUP BY o.id, o.name, o.name_key ORDER BY o.name_key, o.id LIMIT $3"
    )
    .bind(ask_id)
    .bind(asker_org)
    .bind(MAX_CHOICES)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, cid)| {
            (
                Named {
                    id,
                    name,
                    slug: String::new(),
                },
                cid,
            )
        })
        .collect())
}

/// Closes an open ask; false when it was not open any more.
pub async fn close(tx: &mut Tx, ask_id: i64, status: AskStatus, by: Option<i64>) -> Result<bool> {
    let t = now();
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE support_asks SET status = $1, closed_at = $2, closed_by = $3, updated_at = $2 WHERE id = $4 AND status = 'open'"
    )
    .bind(status.as_str())
    .bind(t)
    .bind(by)
    .bind(ask_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

pub async fn insert_helper(tx: &mut Tx, ask_id: i64, org: i64, tie_id: Option<i64>) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO support_helpers (ask_id, organization_id, tie_id) VALUES ($1, $2, $3)"
    )
    .bind(ask_id)
    .bind(org)
    .bind(tie_id)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn helpers(db: &Db, ask_id: i64) -> Result<Vec<Named>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT o.id, o.name, '' AS slug FROM support_helpers h JOIN organizations o ON o.id = h.organization_id
         WHERE h.ask_id = $1 ORDER BY o.name_key, o.id"
    )
    .bind(ask_id)
    .fetch_all(p)
    .await
    })?)
}
