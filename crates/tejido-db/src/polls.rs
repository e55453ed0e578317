//! Polls and learning reviews: storage.
//!
//! **Anonymity that holds in the database.** For an anonymous poll nothing stored links a response
//! to a person:
//! - `poll_responses` and `poll_answers` have no person, user, session, IP address or time of day;
//!   a response keeps only the *date* it was sent and the respondent's breakdown groups
//!   (organization and position level), which results show only for groups of at least
//!   [`tejido_core::polls::MIN_GROUP`] responses.
//! - A response's id is 128 random bits chosen by the caller (not a sequence), so ids say nothing
//!   about the order of answering. On SQLite the tables are `WITHOUT ROWID`, so no hidden
//!   sequential rowid exists and rows sit in key order.
//! - That a person answered is `poll_participants (poll_id, person_id)`: no id, no time, nothing in
//!   common with the response. Its primary key stops a second answer. Because PostgreSQL stores
//!   rows in insertion order (and a dump lists them so), [`submit`] rewrites the poll's
//!   participants in person-id order after each answer, so the n-th participant row no longer
//!   corresponds to the n-th response row.
//! - Not defended: someone watching the live server (the request, the write-ahead log, a
//!   transaction's id in PostgreSQL's system columns) at the moment of answering. That attacker can
//!   read the request itself; the defence is operational.
//!
//! The author of a response to a *non-anonymous* poll is in `poll_response_authors`, written only
//! for such polls.

use chrono::NaiveDate;
use tejido_core::page::{Page, PageReq};
use tejido_core::polls::{Answer, QuestionInput, QuestionKind, ReviewInput, MAX_QUESTIONS};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Most answer rows read for one poll's results (a poll of 60 questions and 3,000 responses).
pub const MAX_ANSWER_ROWS: i64 = 200_000;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Poll {
    pub id: i64,
    pub community_id: i64,
    pub event_id: Option<i64>,
    pub title: String,
    pub description: Option<String>,
    pub anonymous: bool,
    pub status: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub template: Option<String>,
    pub invited_at: Option<DateTime<Utc>>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Poll {
    /// Accepting answers at `t`: open, and within the opening and closing times if set.
    pub fn accepting(&self, t: DateTime<Utc>) -> bool {
        self.status == "open"
            && self.opens_at.is_none_or(|o| o <= t)
            && self.closes_at.is_none_or(|c| t < c)
    }
    pub fn is_draft(&self) -> bool {
        self.status == "draft"
    }
}

const POLL_COLS: &str =
    "p.id, p.community_id, p.event_id, p.title, p.description, p.anonymous, p.status, p.opens_at,
    p.closes_at, p.template, p.invited_at, p.reminded_at, p.created_at, p.updated_at";

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Question {
    pub id: i64,
    pub poll_id: i64,
    pub position: i64,
    pub kind: String,
    pub text: String,
    /// One option per line.
    #[serde(skip)]
    pub options: String,
    pub required: bool,
    pub level: Option<String>,
}

impl Question {
    pub fn kind(&self) -> QuestionKind {
        QuestionKind::parse(&self.kind).unwrap_or(QuestionKind::Short)
    }
    pub fn option_list(&self) -> Vec<String> {
        self.options
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// What a new or edited poll stores (times already in UTC).
pub struct PollRow<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub event_id: Option<i64>,
    pub anonymous: bool,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub template: Option<&'a str>,
}

pub async fn insert(
    tx: &mut Tx,
    community_id: i64,
    p: &PollRow<'_>,
    by: Option<i64>,
) -> Result<i64> {
    let t = now();
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO polls (community_id, event_id, title, description, anonymous, status, opens_at, closes_at, template,
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(community_id)
        .bind(p.event_id)
        .bind(p.title)
        .bind(p.description)
        .bind(p.anonymous)
        .bind(p.opens_at)
        .bind(p.closes_at)
        .bind(p.template)
        .bind(by)
        .bind(t)
        .fetch_one(c)
        .await
    })?)
}

/// Edits a poll's settings. Anonymity is fixed once anyone answered (the caller checks).
pub async fn update(tx: &mut Tx, id: i64, p: &PollRow<'_>) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE polls SET event_id = $1, title = $2, description = $3, anonymous = $4, opens_at = $5, closes_at = $6,
             updated_at = $7 WHERE id = $8",
        )
        .bind(p.event_id)
        .bind(p.title)
        .bind(p.description)
        .bind(p.anonymous)
        .bind(p.opens_at)
        .bind(p.closes_at)
        .bind(now())
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

pub async fn set_status(tx: &mut Tx, id: i64, status: &str) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE polls SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status)
            .bind(now())
            .bind(id)
            .execute(c)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// A poll of this community.
pub async fn get(db: &Db, community_id: i64, id: i64) -> Result<Option<Poll>> {
    let sql = format!("SELECT {POLL_COLS} FROM polls p WHERE p.community_id = $1 AND p.id = $2");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// A community's polls, newest first; drafts only when `drafts`.
pub async fn list(db: &Db, community_id: i64, drafts: bool, req: PageReq) -> Result<Page<Poll>> {
    let count_sql =
        "SELECT COUNT(*) FROM polls p WHERE p.community_id = $1 AND (p.status <> 'draft' OR $2 = 1)";
    let sql = format!(
        "SELECT {POLL_COLS} FROM polls p WHERE p.community_id = $1 AND (p.status <> 'draft' OR $2 = 1)
         ORDER BY p.created_at DESC, p.id DESC LIMIT $3 OFFSET $4"
    );
    let d = i64::from(drafts);
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(count_sql)
            .bind(community_id)
            .bind(d)
            .fetch_one(p)
            .await?;
        let items: Vec<Poll> = sqlx::query_as(&sql)
            .bind(community_id)
            .bind(d)
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

/// The polls tied to an event that are not drafts (at most 50), for the event page.
pub async fn polls_for_event(db: &Db, event_id: i64) -> Result<Vec<Poll>> {
    let sql = format!(
        "SELECT {POLL_COLS} FROM polls p WHERE p.event_id = $1 AND p.status <> 'draft'
         ORDER BY p.created_at DESC, p.id DESC LIMIT 50"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .fetch_all(p)
        .await)?)
}

// ---- questions --------------------------------------------------------------------------------

pub async fn questions(db: &Db, poll_id: i64) -> Result<Vec<Question>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT id, poll_id, position, kind, text, options, required, level FROM poll_questions
         WHERE poll_id = $1 ORDER BY position, id LIMIT $2"
    )
    .bind(poll_id)
    .bind(MAX_QUESTIONS as i64)
    .fetch_all(p)
    .await)?)
}

pub async fn question_count(tx: &mut Tx, poll_id: i64) -> Result<i64> {
    Ok(on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM poll_questions WHERE poll_id = $1"
    )
    .bind(poll_id)
    .fetch_one(c)
    .await)?)
}

pub async fn insert_question(tx: &mut Tx, poll_id: i64, q: &QuestionInput) -> Result<i64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO poll_questions (poll_id, position, kind, text, options, required, level)
             SELECT $1, COALESCE(MAX(position), 0) + 1, $2, $3, $4, $5, $6 FROM poll_questions WHERE poll_id = $1
             RETURNING id",
        )
        .bind(poll_id)
        .bind(q.kind.as_str())
        .bind(&q.text)
        .bind(q.options.join("\n"))
        .bind(q.required)
        .bind(&q.level)
        .fetch_one(c)
        .await
    })?)
}

/// Edits a question, only while the poll has no response (checked in the same statement, so an
/// answer arriving meanwhile wins); false when nothing was changed.
pub async fn update_question(
    tx: &mut Tx,
    poll_id: i64,
    id: i64,
    q: &QuestionInput,
) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE poll_questions SET kind = $1, text = $2, options = $3, required = $4, level = $5
             WHERE poll_id = $6 AND id = $7 AND NOT EXISTS (SELECT 1 FROM poll_responses r WHERE r.poll_id = $6)",
        )
        .bind(q.kind.as_str())
        .bind(&q.text)
        .bind(q.options.join("\n"))
        .bind(q.required)
        .bind(&q.level)
        .bind(poll_id)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

pub async fn delete_question(tx: &mut Tx, poll_id: i64, id: i64) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query("DELETE FROM poll_questions WHERE poll_id = $1 AND id = $2")
            .bind(poll_id)
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// Swaps a question with its neighbour above (`up`) or below; false when there is none.
pub async fn move_question(tx: &mut Tx, poll_id: i64, id: i64, up: bool) -> Result<bool> {
    let sql = if up {
        "SELECT q2.id, q2.position, q1.position FROM poll_questions q1 JOIN poll_questions q2 ON q2.poll_id = q1.poll_id
         WHERE q1.poll_id = $1 AND q1.id = $2 AND q2.position < q1.position ORDER BY q2.position DESC LIMIT 1"
    } else {
        "SELECT q2.id, q2.position, q1.position FROM poll_questions q1 JOIN poll_questions q2 ON q2.poll_id = q1.poll_id
         WHERE q1.poll_id = $1 AND q1.id = $2 AND q2.position > q1.position ORDER BY q2.position LIMIT 1"
    };
    Ok(on_tx!(tx, |c| {
        let other: Option<(i64, i64, i64)> = sqlx::query_as(sql)
            .bind(poll_id)
            .bind(id)
            .fetch_optional(&mut *c)
            .await?;
        match other {
            Some((other_id, other_pos, my_pos)) => {
                for (qid, pos) in [(id, other_pos), (other_id, my_pos)] {
                    sqlx::query(
                        "UPDATE poll_questions SET position = $1 WHERE poll_id = $2 AND id = $3",
                    )
                    .bind(pos)
                    .bind(poll_id)
                    .bind(qid)
                    .execute(&mut *c)
                    .await?;
                }
                true
            }
            None => false,
        }
    }))
}

/// Copies a poll (as a draft, without responses) and its questions; returns the new id.
pub async fn duplicate(tx: &mut Tx, poll: &Poll, title: &str, by: Option<i64>) -> Result<i64> {
    let row = PollRow {
        title,
        description: poll.description.as_deref(),
        event_id: poll.event_id,
        anonymous: poll.anonymous,
        opens_at: None,
        closes_at: None,
        template: poll.template.as_deref(),
    };
    let id = insert(tx, poll.community_id, &row, by).await?;
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO poll_questions (poll_id, position, kind, text, options, required, level)
             SELECT $1, position, kind, text, options, required, level FROM poll_questions WHERE poll_id = $2",
        )
        .bind(id)
        .bind(poll.id)
        .execute(c)
        .await
        .map(|_| ())
    })?;
    Ok(id)
}

// ---- answering --------------------------------------------------------------------------------

pub async fn has_answered(db: &Db, poll_id: i64, person_id: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM poll_participants WHERE poll_id = $1 AND person_id = $2"
    )
    .bind(poll_id)
    .bind(person_id)
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}

/// How many answered.
pub async fn response_count(db: &Db, poll_id: i64) -> Result<i64> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM poll_responses WHERE poll_id = $1"
    )
    .bind(poll_id)
    .fetch_one(p)
    .await)?)
}

/// One submission, as the web layer hands it over.
pub struct Submission<'a> {
    /// 128 random bits as hex, chosen by the caller.
    pub response_id: &'a str,
    pub on: NaiveDate,
    pub organization_id: Option<i64>,
    pub position_level: Option<&'a str>,
    /// Written to `poll_response_authors` only when `Some` (non-anonymous polls).
    pub author: Option<i64>,
    pub answers: &'a [Answer],
}

/// Records that `person_id` answered and stores the response; false (nothing written) when they
/// had answered already.
pub async fn submit(tx: &mut Tx, poll_id: i64, person_id: i64, s: &Submission<'_>) -> Result<bool> {
    let inserted = on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO poll_participants (poll_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(poll_id)
        .bind(person_id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected())
    })?;
    if inserted == 0 {
        return Ok(false);
    }
    reorder_participants(tx, poll_id).await?;
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO poll_responses (id, poll_id, submitted_on, organization_id, position_level) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(s.response_id)
        .bind(poll_id)
        .bind(s.on)
        .bind(s.organization_id)
        .bind(s.position_level)
        .execute(&mut *c)
        .await?;
        for a in s.answers {
            sqlx::query(
                "INSERT INTO poll_answers (response_id, question_id, num, num2, text) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(s.response_id)
            .bind(a.question_id)
            .bind(a.num)
            .bind(a.num2)
            .bind(&a.text)
            .execute(&mut *c)
            .await?;
        }
        if let Some(pid) = s.author {
            sqlx::query(
                "INSERT INTO poll_response_authors (response_id, person_id) VALUES ($1, $2)",
            )
            .bind(s.response_id)
            .bind(pid)
            .execute(&mut *c)
            .await?;
        }
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(true)
}

/// Rewrites a poll's participant rows in person order, so their physical order is not the order
/// of answering (see the module comment). Bounded by the community's size.
async fn reorder_participants(tx: &mut Tx, poll_id: i64) -> Result<()> {
    on_tx!(tx, |c| {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT person_id FROM poll_participants WHERE poll_id = $1 ORDER BY person_id",
        )
        .bind(poll_id)
        .fetch_all(&mut *c)
        .await?;
        sqlx::query("DELETE FROM poll_participants WHERE poll_id = $1")
            .bind(poll_id)
            .execute(&mut *c)
            .await?;
        for chunk in ids.chunks(400) {
            let mut sql =
                String::from("INSERT INTO poll_participants (poll_id, person_id) VALUES ");
            for (i, _) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("($1, ${})", i + 2));
            }
            let mut q = sqlx::query(&sql).bind(poll_id);
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut *c).await?;
        }
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(())
}

/// One answer with its response's breakdown groups (for aggregates).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerRow {
    pub response_id: String,
    pub question_id: i64,
    pub num: Option<f64>,
    pub num2: Option<f64>,
    pub text: Option<String>,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub position_level: Option<String>,
    /// Only for non-anonymous polls (`poll_response_authors`).
    pub author_name: Option<String>,
}

/// Every answer of a poll (bounded by [`MAX_ANSWER_ROWS`]), ordered by response id — random, so
/// in no meaningful order.
pub async fn answers(db: &Db, poll_id: i64) -> Result<Vec<AnswerRow>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT a.response_id, a.question_id, a.num, a.num2, a.text, r.organization_id, o.name AS organization_name,
                r.position_level, pe.full_name AS author_name
         FROM poll_answers a JOIN poll_responses r ON r.id = a.response_id
         LEFT JOIN organizations o ON o.id = r.organization_id
         LEFT JOIN poll_response_authors ra ON ra.response_id = r.id
         LEFT JOIN people pe ON pe.id = ra.person_id
         WHERE r.poll_id = $1 ORDER BY a.response_id, a.question_id LIMIT $2"
    )
    .bind(poll_id)
    .bind(MAX_ANSWER_ROWS)
    .fetch_all(p)
    .await
    })?)
}

/// The respondent's breakdown groups.
pub async fn person_groups(db: &Db, person_id: i64) -> Result<(Option<i64>, Option<String>)> {
    let r: Option<(Option<i64>, Option<String>)> = on!(db, |p| sqlx::query_as(
        "SELECT organization_id, position_level FROM people WHERE id = $1"
    )
    .bind(person_id)
    .fetch_optional(p)
    .await)?;
    Ok(r.unwrap_or((None, None)))
}

// ---- invitations ------------------------------------------------------------------------------

/// A member to write to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub email: String,
    pub locale: Option<String>,
}

/// Current members with an address (at most `limit`); with `unanswered`, only those who have not
/// answered this poll.
pub async fn recipients(
    db: &Db,
    community_id: i64,
    poll_id: i64,
    unanswered: bool,
    limit: i64,
) -> Result<Vec<Recipient>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT COALESCE(u.email, pe.email) AS email, u.locale FROM community_people cp
         JOIN people pe ON pe.id = cp.person_id LEFT JOIN users u ON u.person_id = pe.id
         WHERE cp.community_id = $1 AND cp.left_at IS NULL AND COALESCE(u.email, pe.email) IS NOT NULL
           AND ($2 = 0 OR NOT EXISTS (SELECT 1 FROM poll_participants pp WHERE pp.poll_id = $3 AND pp.person_id = pe.id))
         ORDER BY pe.id LIMIT $4"
    )
    .bind(community_id)
    .bind(i64::from(unanswered))
    .bind(poll_id)
    .bind(limit)
    .fetch_all(p)
    .await
    })?)
}

/// Marks the invitations as sent at `at`; false when they had been sent already (so two workers
/// never send them twice).
pub async fn claim_invitation(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> Result<bool> {
    let n = on_tx!(tx, |c| sqlx::query(
        "UPDATE polls SET invited_at = $1 WHERE id = $2 AND invited_at IS NULL"
    )
    .bind(at)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// A poll whose invitations may be due, with its community's slug and name for the e-mail.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DuePoll {
    #[sqlx(flatten)]
    pub poll: Poll,
    pub slug: String,
    pub community_name: String,
}

/// Open polls not invited yet whose opening time is at or before `at` (oldest opening first, at
/// most `limit`); the caller applies `tejido_core::polls::invitation_due`.
pub async fn due_invitations(db: &Db, at: DateTime<Utc>, limit: i64) -> Result<Vec<DuePoll>> {
    let sql = format!(
        "SELECT {POLL_COLS}, m.slug, m.name AS community_name FROM polls p JOIN communities m ON m.id = p.community_id
         WHERE p.status = 'open' AND p.invited_at IS NULL AND p.opens_at IS NOT NULL AND p.opens_at <= $1
         ORDER BY p.opens_at, p.id LIMIT $2"
    );
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(at)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// Marks the one reminder as sent; false when it had been sent already.
pub async fn mark_reminded(tx: &mut Tx, id: i64) -> Result<bool> {
    let n = on_tx!(tx, |c| sqlx::query(
        "UPDATE polls SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL"
    )
    .bind(now())
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

// ---- learning reviews -------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Review {
    pub id: i64,
    pub community_id: i64,
    pub event_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ReviewEntry {
    pub id: i64,
    pub author_name: Option<String>,
    pub consolidated: bool,
    pub section: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_review(
    tx: &mut Tx,
    community_id: i64,
    r: &ReviewInput,
    by: Option<i64>,
) -> Result<i64> {
    let t = now();
    Ok(on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO learning_reviews (community_id, event_id, kind, title, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id"
    )
    .bind(community_id)
    .bind(r.event_id)
    .bind(r.kind.as_str())
    .bind(&r.title)
    .bind(by)
    .bind(t)
    .fetch_one(c)
    .await
    })?)
}

const REVIEW_COLS: &str = "id, community_id, event_id, kind, title, created_at, updated_at";

pub async fn review(db: &Db, community_id: i64, id: i64) -> Result<Option<Review>> {
    let sql =
        format!("SELECT {REVIEW_COLS} FROM learning_reviews WHERE community_id = $1 AND id = $2");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(community_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

pub async fn reviews(db: &Db, community_id: i64, req: PageReq) -> Result<Page<Review>> {
    let sql = format!(
        "SELECT {REVIEW_COLS} FROM learning_reviews WHERE community_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM learning_reviews WHERE community_id = $1")
                .bind(community_id)
                .fetch_one(p)
                .await?;
        let items: Vec<Review> = sqlx::query_as(&sql)
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

/// Adds one member's contribution, or (with `consolidated`) the consolidated text.
pub async fn add_entries(
    tx: &mut Tx,
    review_id: i64,
    author: Option<i64>,
    consolidated: bool,
    sections: &[(String, String)],
) -> Result<()> {
    let t = now();
    on_tx!(tx, |c| {
        for (s, body) in sections {
            sqlx::query(
                "INSERT INTO learning_review_entries (review_id, author_person_id, consolidated, section, body, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(review_id)
            .bind(author)
            .bind(consolidated)
            .bind(s)
            .bind(body)
            .bind(t)
            .execute(&mut *c)
            .await?;
        }
        sqlx::query("UPDATE learning_reviews SET updated_at = $1 WHERE id = $2")
            .bind(t)
            .bind(review_id)
            .execute(&mut *c)
            .await?;
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(())
}

/// A review's entries, oldest first (at most 1,000).
pub async fn entries(db: &Db, review_id: i64) -> Result<Vec<ReviewEntry>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT e.id, p.full_name AS author_name, e.consolidated, e.section, e.body, e.created_at
         FROM learning_review_entries e LEFT JOIN people p ON p.id = e.author_person_id
         WHERE e.review_id = $1 ORDER BY e.id LIMIT 1000"
    )
    .bind(review_id)
    .fetch_all(p)
    .await)?)
}
