//! Reports: the facts a community's report is computed from, read in a fixed number of queries
//! whatever the number of events, people or ties (`tejido_core::reports::build` does the sums),
//! the funder role's grants, and the one-row-per-community overview of `/reports`.
//! Sensitive tie kinds are never read here: a report is for people who may not see them.

use chrono::{Duration, NaiveDate, NaiveTime};
use tejido_core::communities::Role;
use tejido_core::network::TieKind;
use tejido_core::ownership as own;
use tejido_core::page::{Page, PageReq};
use tejido_core::reports::{
    self as core, EventFacts, Extra, Facts, Lesson, MoneyLine, OutcomeItem, OverviewFacts,
    OwnershipPoint, Period, PhaseChange, PollAnswer, ProjectItem, Registration, Report,
    Sustainability, SustainabilityRound, Term, ThemeRow, TieFacts,
};

use crate::communities::Community;
use crate::{on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Bounds that keep one report's reads finite.
const MAX_EVENTS: i64 = 2_000;
const MAX_REGISTRATIONS: i64 = 200_000;
const MAX_TERMS: i64 = 50_000;
const MAX_ANSWERS: i64 = 200_000;
const MAX_LESSONS: i64 = 500;

fn start_of(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}

/// The period as a half-open range of instants: [from 00:00 UTC, to + 1 day 00:00 UTC).
fn bounds(p: Period) -> (DateTime<Utc>, DateTime<Utc>) {
    (start_of(p.from), start_of(p.to) + Duration::days(1))
}

fn non_sensitive_kinds() -> String {
    TieKind::visible(false)
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// (organization?, name, joined, left).
type TermRow = (bool, Option<String>, DateTime<Utc>, Option<DateTime<Utc>>);
type RegRow = (
    i64,
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<bool>,
    Option<String>,
    Option<String>,
);
type TieRow = (
    i64,
    i64,
    i64,
    String,
    String,
    NaiveDate,
    Option<NaiveDate>,
    bool,
);
type AnswerRow = (i64, String, DateTime<Utc>, i64, String, String, f64);

/// Reads everything the report of `m` over `p` needs: eleven queries.
pub async fn facts(db: &Db, m: &Community, p: Period) -> Result<Facts> {
    let (t0, t1) = bounds(p);
    let cid = m.id;
    let phases: Vec<(NaiveDate, String)> = on!(db, |x| {
        sqlx::query_as(
        "SELECT decided_on, title FROM decisions WHERE community_id = $1 AND source_kind = 'phase' AND corrects_id IS NULL
         ORDER BY decided_on, id LIMIT 100"
    )
    .bind(cid)
    .fetch_all(x)
    .await
    })?;
    let terms: Vec<TermRow> = on!(db, |x| {
        sqlx::query_as(
            "SELECT TRUE AS org, o.name AS name, co.joined_at AS joined_at, co.left_at AS left_at FROM community_organizations co
               JOIN organizations o ON o.id = co.organization_id WHERE co.community_id = $1
             UNION ALL
             SELECT FALSE AS org, CAST(NULL AS TEXT) AS name, cp.joined_at AS joined_at, cp.left_at AS left_at FROM community_people cp
               WHERE cp.community_id = $1
             LIMIT $2",
        )
        .bind(cid)
        .bind(MAX_TERMS)
        .fetch_all(x)
        .await
    })?;
    let events: Vec<(i64, DateTime<Utc>, String, String, String, String)> = on!(db, |x| {
        sqlx::query_as(
            "SELECT id, starts_at, title, kind, mode, status FROM events
             WHERE community_id = $1 AND starts_at >= $2 AND starts_at < $3 AND status <> 'cancelled'
             ORDER BY starts_at, id LIMIT $4",
        )
        .bind(cid)
        .bind(t0)
        .bind(t1)
        .bind(MAX_EVENTS)
        .fetch_all(x)
        .await
    })?;
    let regs: Vec<RegRow> = on!(db, |x| {
        sqlx::query_as(
            "SELECT r.event_id, r.person_id, COALESCE(r.organization_id, pe.organization_id), o.name,
                    COALESCE(r.position_level, pe.position_level), pe.youth, pe.gender, r.attendance
             FROM event_registrations r JOIN events e ON e.id = r.event_id JOIN people pe ON pe.id = r.person_id
               LEFT JOIN organizations o ON o.id = COALESCE(r.organization_id, pe.organization_id)
             WHERE e.community_id = $1 AND e.starts_at >= $2 AND e.starts_at < $3 AND e.status <> 'cancelled'
               AND r.cancelled_at IS NULL
             ORDER BY r.event_id, r.person_id LIMIT $4",
        )
        .bind(cid)
        .bind(t0)
        .bind(t1)
        .bind(MAX_REGISTRATIONS)
        .fetch_all(x)
        .await
    })?;
    let ties_sql = format!(
        "SELECT t.id, t.from_org, t.to_org, a.kind, b.kind, t.started_on, t.ended_on, t.via_community
         FROM network_ties t JOIN organizations a ON a.id = t.from_org JOIN organizations b ON b.id = t.to_org
         WHERE t.community_id = $1 AND t.started_on <= $2 AND t.kind IN ({})
         ORDER BY t.id LIMIT $3",
        non_sensitive_kinds()
    );
    let ties: Vec<TieRow> = on!(db, |x| sqlx::query_as(&ties_sql)
        .bind(cid)
        .bind(p.to)
        .bind(crate::network::MAX_TIES)
        .fetch_all(x)
        .await)?;
    let member_orgs = crate::network::member_actors(db, cid).await?;
    let answers: Vec<AnswerRow> = on!(db, |x| {
        sqlx::query_as(
            "SELECT pl.id, pl.title, COALESCE(pl.closes_at, pl.updated_at) AS closed_at, q.id, q.text, q.kind, a.num
             FROM polls pl JOIN poll_questions q ON q.poll_id = pl.id JOIN poll_answers a ON a.question_id = q.id
             WHERE pl.community_id = $1 AND pl.status = 'closed' AND q.kind IN ('nps', 'likert') AND a.num IS NOT NULL
               AND COALESCE(pl.closes_at, pl.updated_at) >= $2 AND COALESCE(pl.closes_at, pl.updated_at) < $3
             ORDER BY pl.id, q.position LIMIT $4",
        )
        .bind(cid)
        .bind(t0)
        .bind(t1)
        .bind(MAX_ANSWERS)
        .fetch_all(x)
        .await
    })?;
    let lessons: Vec<(DateTime<Utc>, String, String)> = on!(db, |x| {
        sqlx::query_as(
            "SELECT e.starts_at, e.title, l.text FROM event_lessons l JOIN events e ON e.id = l.event_id
             WHERE e.community_id = $1 AND e.starts_at >= $2 AND e.starts_at < $3
             ORDER BY e.starts_at, l.id LIMIT $4",
        )
        .bind(cid)
        .bind(t0)
        .bind(t1)
        .bind(MAX_LESSONS)
        .fetch_all(x)
        .await
    })?;
    let ownership = ownership_points(db, cid).await?;
    let extra = extra(db, cid, p).await?;
    Ok(Facts {
        extra,
        overview: OverviewFacts {
            name: m.name.clone(),
            slug: m.slug.clone(),
            purpose: m.purpose.clone(),
            themes: m
                .themes
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            geography: m.geography.clone(),
            phase: m.phase.clone(),
        },
        phase_changes: phases
            .into_iter()
            .map(|(on, title)| PhaseChange { on, title })
            .collect(),
        terms: terms
            .into_iter()
            .map(|(organization, name, j, l)| Term {
                organization,
                name,
                joined_on: j.date_naive(),
                left_on: l.map(|l| l.date_naive()),
            })
            .collect(),
        events: events
            .into_iter()
            .map(|(id, at, title, kind, mode, status)| EventFacts {
                id,
                date: at.date_naive(),
                title,
                kind,
                mode,
                status,
            })
            .collect(),
        registrations: regs
            .into_iter()
            .map(
                |(
                    event_id,
                    person_id,
                    organization_id,
                    organization,
                    level,
                    youth,
                    gender,
                    att,
                )| {
                    Registration {
                        event_id,
                        person_id,
                        organization_id,
                        organization,
                        level,
                        youth,
                        gender,
                        attendance: att,
                    }
                },
            )
            .collect(),
        ties: ties
            .into_iter()
            .map(
                |(id, from, to, fs, ts, started_on, ended_on, via)| TieFacts {
                    id,
                    from,
                    to,
                    from_sector: fs,
                    to_sector: ts,
                    started_on,
                    ended_on,
                    via_community: via,
                },
            )
            .collect(),
        member_orgs: member_orgs.into_iter().map(|a| (a.id, a.kind)).collect(),
        ownership,
        poll_answers: answers
            .into_iter()
            .map(
                |(poll_id, poll, at, question_id, question, kind, value)| PollAnswer {
                    poll_id,
                    poll,
                    closed_on: at.date_naive(),
                    question_id,
                    question,
                    kind,
                    value,
                },
            )
            .collect(),
        lessons: lessons
            .into_iter()
            .map(|(at, event, text)| Lesson {
                date: at.date_naive(),
                event,
                text,
            })
            .collect(),
    })
}

/// The sections other capabilities compute, read with their own functions: outcomes by theme
/// (`crate::outcomes::by_theme`, `in_period`), joint projects (`crate::projects::in_period`),
/// sustainability rounds and their dimension means (`crate::sustainability::rounds`,
/// `results_of`), and the funding summary (`crate::funding::summary`).
async fn extra(db: &Db, community_id: i64, p: Period) -> Result<Extra> {
    let themes = crate::outcomes::by_theme(db, community_id, p.from, p.to).await?;
    let outcomes = crate::outcomes::in_period(db, community_id, p.from, p.to).await?;
    let projects = crate::projects::in_period(db, community_id, p.from, p.to).await?;
    let mut rounds = crate::sustainability::rounds(db, community_id).await?;
    rounds.retain(|r| r.opens_on <= p.to);
    rounds.sort_by_key(|r| (r.closes_on, r.id));
    let ids: Vec<i64> = rounds.iter().map(|r| r.id).collect();
    let results = crate::sustainability::results_of(db, &ids).await?;
    let funding = crate::funding::summary(db, community_id, p.from, p.to).await?;
    let line =
        |group: &str, what: String, translate: bool, m: &tejido_core::funding::Money| MoneyLine {
            group: group.to_owned(),
            what,
            translate,
            minor: m.minor,
            currency: m.currency.as_str().to_owned(),
        };
    let mut money: Vec<MoneyLine> = Vec::new();
    for i in &funding.income {
        money.push(line(
            "income",
            format!("funding-source-{}", i.source),
            true,
            &i.amount,
        ));
    }
    for m in &funding.in_kind {
        money.push(line("in-kind", "funding-source-in-kind".into(), true, m));
    }
    for c in &funding.costs_by_category {
        money.push(line(
            "cost",
            format!("funding-category-{}", c.category),
            true,
            &c.amount,
        ));
    }
    for o in &funding.by_organization {
        money.push(line(
            "organization",
            format!("{} ({})", o.name, o.kind),
            false,
            &o.amount,
        ));
    }
    Ok(Extra {
        outcome_themes: themes
            .into_iter()
            .map(|t| ThemeRow {
                theme: t.theme,
                outcomes: t.outcomes,
                organizations: t.organizations,
            })
            .collect(),
        outcomes: outcomes
            .into_iter()
            .map(|o| OutcomeItem {
                date: o.happened_on,
                theme: o.theme,
                description: o.description,
                substantiation: o.substantiation,
                organizations: o.organizations.len() as i64,
            })
            .collect(),
        projects: projects
            .into_iter()
            .map(|r| ProjectItem {
                title: r.project.title,
                theme: r.project.theme,
                status: r.project.status,
                starts_on: r.project.starts_on,
                ends_on: r.project.ends_on,
                members: r.members.len() as i64,
                partners: r.partners.len() as i64,
                outcomes: r.outcomes,
            })
            .collect(),
        sustainability: Sustainability {
            dimensions: tejido_core::sustainability::INSTRUMENT
                .sections
                .iter()
                .map(|d| d.title.to_owned())
                .collect(),
            max: tejido_core::sustainability::INSTRUMENT.scale.max() as f64,
            rounds: rounds
                .iter()
                .map(|r| SustainabilityRound {
                    title: r.title.clone(),
                    closes_on: r.closes_on,
                    respondents: r.respondents,
                    means: results
                        .get(&r.id)
                        .map(|x| x.dimension_means())
                        .unwrap_or_default(),
                })
                .collect(),
        },
        funding: money,
    })
}

/// The local ownership index of the community's latest events (the same facts and rules as the
/// events pages: `crate::agenda::ownership_facts` and `tejido_core::ownership`).
async fn ownership_points(db: &Db, community_id: i64) -> Result<Vec<OwnershipPoint>> {
    let f = crate::agenda::ownership_facts(db, community_id).await?;
    Ok(f.events
        .iter()
        .map(|e| {
            let components = f.components(e);
            OwnershipPoint {
                date: e.starts_at.date_naive(),
                title: e.title.clone(),
                index: own::index(&components),
            }
        })
        .collect())
}

/// The report of `m` over `p`.
pub async fn report(db: &Db, m: &Community, p: Period) -> Result<Report> {
    Ok(core::build(&facts(db, m, p).await?, p))
}

// ---- funders -------------------------------------------------------------------------------------

/// A person holding the funder role in a community.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Funder {
    pub person_id: i64,
    pub full_name: String,
    pub organization_name: Option<String>,
    pub starts_at: DateTime<Utc>,
}

/// The community's current funders (at most 200).
pub async fn funders(db: &Db, community_id: i64) -> Result<Vec<Funder>> {
    Ok(on!(db, |x| {
        sqlx::query_as(
        "SELECT pe.id AS person_id, pe.full_name, o.name AS organization_name, cr.starts_at FROM community_roles cr
         JOIN people pe ON pe.id = cr.person_id LEFT JOIN organizations o ON o.id = pe.organization_id
         WHERE cr.community_id = $1 AND cr.role = 'funder' AND cr.ends_at IS NULL ORDER BY pe.name_key LIMIT 200"
    )
    .bind(community_id)
    .fetch_all(x)
    .await
    })?)
}

/// People of the directory who may be named funders: not archived and not already one.
pub async fn funder_choices(db: &Db, community_id: i64, limit: i64) -> Result<Vec<(i64, String)>> {
    Ok(on!(db, |x| {
        sqlx::query_as(
        "SELECT pe.id, pe.full_name FROM people pe WHERE pe.archived_at IS NULL AND NOT EXISTS
           (SELECT 1 FROM community_roles cr WHERE cr.community_id = $1 AND cr.person_id = pe.id AND cr.role = 'funder' AND cr.ends_at IS NULL)
         ORDER BY pe.name_key LIMIT $2"
    )
    .bind(community_id)
    .bind(limit)
    .fetch_all(x)
    .await
    })?)
}

/// Whether a person exists in the directory and is not archived.
pub async fn person_exists(tx: &mut Tx, person_id: i64) -> Result<bool> {
    let n: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM people WHERE id = $1 AND archived_at IS NULL"
    )
    .bind(person_id)
    .fetch_one(c)
    .await)?;
    Ok(n == 1)
}

/// Names a funder: the role alone, without membership (so nothing else of the community opens).
pub async fn add_funder(
    tx: &mut Tx,
    community_id: i64,
    person_id: i64,
    by: Option<i64>,
) -> Result<bool> {
    crate::communities::assign_role(tx, community_id, person_id, Role::Funder, by).await
}

pub async fn end_funder(tx: &mut Tx, community_id: i64, person_id: i64) -> Result<bool> {
    crate::communities::end_role(tx, community_id, person_id, Role::Funder).await
}

// ---- across communities ----------------------------------------------------------------------------

/// One community's key figures for `/reports`.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CommunityFigures {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub phase: String,
    pub organizations: i64,
    pub people: i64,
    pub events: i64,
    pub attendances: i64,
    pub lessons: i64,
}

/// The key figures over `p` of every community whose report the viewer may read: all for admins;
/// otherwise those the person belongs to or holds any current role in (the funder role included).
/// One query for the page, whatever its length.
pub async fn overview(
    db: &Db,
    person_id: Option<i64>,
    is_admin: bool,
    p: Period,
    req: PageReq,
) -> Result<Page<CommunityFigures>> {
    let (t0, t1) = bounds(p);
    let pid = person_id.unwrap_or(-1);
    // SQLite numbers `$n` by first appearance, so the viewer is `$1` in the count and `$3` in the
    // page query, where the period's bounds come first.
    let readable = |param: &str| {
        if is_admin {
            format!("({param} = {param})")
        } else {
            format!(
                "(EXISTS (SELECT 1 FROM community_people cp WHERE cp.community_id = c.id AND cp.person_id = {param} AND cp.left_at IS NULL)
                  OR EXISTS (SELECT 1 FROM community_roles cr WHERE cr.community_id = c.id AND cr.person_id = {param} AND cr.ends_at IS NULL))"
            )
        }
    };
    let count_sql = format!(
        "SELECT COUNT(*) FROM communities c WHERE c.archived_at IS NULL AND {}",
        readable("$1")
    );
    let sql = format!(
        "SELECT c.id, c.slug, c.name, c.phase,
           (SELECT COUNT(*) FROM community_organizations co WHERE co.community_id = c.id AND co.left_at IS NULL) AS organizations,
           (SELECT COUNT(*) FROM community_people cq WHERE cq.community_id = c.id AND cq.left_at IS NULL) AS people,
           (SELECT COUNT(*) FROM events e WHERE e.community_id = c.id AND e.starts_at >= $1 AND e.starts_at < $2 AND e.status <> 'cancelled') AS events,
           (SELECT COUNT(*) FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE e.community_id = c.id
              AND e.starts_at >= $1 AND e.starts_at < $2 AND e.status <> 'cancelled' AND r.cancelled_at IS NULL
              AND r.attendance IN ('present', 'remote')) AS attendances,
           (SELECT COUNT(*) FROM event_lessons l JOIN events e ON e.id = l.event_id WHERE e.community_id = c.id
              AND e.starts_at >= $1 AND e.starts_at < $2) AS lessons
         FROM communities c WHERE c.archived_at IS NULL AND {}
         ORDER BY c.name_key, c.id LIMIT $4 OFFSET $5",
        readable("$3")
    );
    let (total, items) = on!(db, |x| {
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(pid)
            .fetch_one(x)
            .await?;
        let items: Vec<CommunityFigures> = sqlx::query_as(&sql)
            .bind(t0)
            .bind(t1)
            .bind(pid)
            .bind(req.limit())
            .bind(req.offset())
            .fetch_all(x)
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
