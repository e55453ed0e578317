//! Polls and learning reviews: storage.
//!
//! **Anonymity that holds in the files.** For an anonymous poll nothing stored — no column, no
//! storage order, no page of SQLite's write-ahead log, no PostgreSQL row header — pairs a response
//! with the person who gave it:
//! - `poll_responses` and `poll_answers` have no person, user, session, IP address or time of day.
//!   A response keeps the *date its batch was published* (not the date of answering) and, only
//!   when the poll announces it before answering (`polls.breakdowns`), the respondent's
//!   organization and position level; results show those only for groups of at least
//!   [`tejido_core::polls::MIN_GROUP`] responses. Existing polls whose responses carried them were
//!   marked `breakdowns` by migration 0024.
//! - That a person answered is `poll_participants (poll_id, person_id)`, written at once (it stops
//!   a second answer, drives reminders and the "N answered" count). [`submit`] rewrites the poll's
//!   participants in person-id order after each answer, so their physical order (PostgreSQL
//!   stores rows in insertion order, and a dump lists them so) is not the order of answering.
//! - The participant row has to be written in the same transaction as the answer (or one could
//!   exist without the other), and rows written together sit together: in the same WAL frames on
//!   SQLite, with the same `xmin` on PostgreSQL. So the answer is first *held*: `poll_held` and
//!   `poll_held_answers`, with no author, no time and a random id that is never used again.
//!   [`publish_held`] moves held answers, in a separate transaction, to the response tables once at
//!   least [`tejido_core::polls::PUBLISH_BATCH`] are waiting (all of them when the poll closes,
//!   whatever their number), each with a fresh random id, inserted in random order; the batch's
//!   rows share that transaction, and no participant row. Response ids are 128 random bits, and
//!   the SQLite tables are `WITHOUT ROWID`, so no hidden sequential rowid exists. After each answer
//!   the poll's held rows are rewritten the same way (fresh ids, random order), so while they wait
//!   their storage order is not the order of answering either.
//! - On SQLite, deletions in these tables run with `secure_delete` (the bytes of a held answer are
//!   overwritten, not left in a page's free space), and [`tidy_files`] checkpoints and truncates the
//!   WAL after every anonymous answer and every batch, so the frames that held an answer next to
//!   its participant row leave the files. It never waits long: when the database is busy the next
//!   call does it. On PostgreSQL it vacuums the holding tables, so their dead rows (which share
//!   an `xmin` with a dead version of a participant row) can be reused.
//!
//! Counting: "N answered" is the participant count (held answers included: it says no more than
//! the participant list). Results, their counts and the CSV exports are computed only from
//! published responses, and the pages say that answers are published in batches while some are
//! held — so a figure never moves by one person's answer.
//!
//! Not defended: someone watching the live server at the moment of answering (the request, the
//! process's memory, the WAL between an answer's commit and its checkpoint, a busy checkpoint), or
//! comparing two copies of the files taken between answers (a held answer that appears between
//! them belongs to the participant who appears between them); on PostgreSQL, bytes of dead rows
//! that stay on disk until their page is reused. That attacker can read the requests themselves;
//! the defence is operational (access to the server, encrypted disks and backups).
//!
//! The author of a response to a *non-anonymous* poll is in `poll_response_authors`, written only
//! for such polls, whose answers are published at once.

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
    /// Responses keep the respondent's organization and position level (announced before
    /// answering); otherwise they keep neither.
    pub breakdowns: bool,
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
    "p.id, p.community_id, p.event_id, p.title, p.description, p.anonymous, p.breakdowns, p.status, p.opens_at,
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
    pub breakdowns: bool,
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
             created_by, created_at, updated_at, breakdowns) VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $10, $11) RETURNING id",
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
        .bind(p.breakdowns)
        .fetch_one(c)
        .await
    })?)
}

/// Edits a poll's settings. Anonymity and breakdowns are fixed once anyone answered (the caller
/// checks).
pub async fn update(tx: &mut Tx, id: i64, p: &PollRow<'_>) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE polls SET event_id = $1, title = $2, description = $3, anonymous = $4, opens_at = $5, closes_at = $6,
             updated_at = $7, breakdowns = $9 WHERE id = $8",
        )
        .bind(p.event_id)
        .bind(p.title)
        .bind(p.description)
        .bind(p.anonymous)
        .bind(p.opens_at)
        .bind(p.closes_at)
        .bind(now())
        .bind(id)
        .bind(p.breakdowns)
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

/// Edits a question, only while nobody has answered (checked in the same statement, so an answer
/// arriving meanwhile wins); false when nothing was changed.
pub async fn update_question(
    tx: &mut Tx,
    poll_id: i64,
    id: i64,
    q: &QuestionInput,
) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE poll_questions SET kind = $1, text = $2, options = $3, required = $4, level = $5
             WHERE poll_id = $6 AND id = $7 AND NOT EXISTS (SELECT 1 FROM poll_participants pp WHERE pp.poll_id = $6)",
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
        breakdowns: poll.breakdowns,
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

/// How many answered (the participants, whose answers may still be held).
pub async fn answered_count(db: &Db, poll_id: i64) -> Result<i64> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM poll_participants WHERE poll_id = $1"
    )
    .bind(poll_id)
    .fetch_one(p)
    .await)?)
}

/// How many responses are published (the ones results are computed from).
pub async fn published_count(db: &Db, poll_id: i64) -> Result<i64> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM poll_responses WHERE poll_id = $1"
    )
    .bind(poll_id)
    .fetch_one(p)
    .await)?)
}

/// How many answers of an anonymous poll wait to be published.
pub async fn held_count(db: &Db, poll_id: i64) -> Result<i64> {
    Ok(on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM poll_held WHERE poll_id = $1"
    )
    .bind(poll_id)
    .fetch_one(p)
    .await)?)
}

/// One submission, as the web layer hands it over.
pub struct Submission<'a> {
    /// 128 random bits as hex, chosen by the caller: the response's id (non-anonymous polls), or
    /// the held answer's, never used again once it is published (anonymous polls).
    pub response_id: &'a str,
    /// The date stored with a non-anonymous response (published at once).
    pub on: NaiveDate,
    /// Only when the poll announces breakdowns.
    pub organization_id: Option<i64>,
    pub position_level: Option<&'a str>,
    /// `Some` for a non-anonymous poll: the response is published at once, with its author in
    /// `poll_response_authors`. `None` for an anonymous poll: the answer is held (see the module
    /// comment).
    pub author: Option<i64>,
    pub answers: &'a [Answer],
}

/// Records that `person_id` answered and stores the answer — published with its author, or held
/// when anonymous (the poll's held answers then rewritten with ids from `fresh_id`, see
/// [`move_held`]); false (nothing written) when they had answered already.
pub async fn submit(
    tx: &mut Tx,
    poll_id: i64,
    person_id: i64,
    s: &Submission<'_>,
    fresh_id: &mut (dyn FnMut() -> String + Send),
) -> Result<bool> {
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
    secure_delete(tx).await?;
    reorder_participants(tx, poll_id).await?;
    let Some(author) = s.author else {
        on_tx!(tx, |c| {
            sqlx::query(
                "INSERT INTO poll_held (id, poll_id, organization_id, position_level) VALUES ($1, $2, $3, $4)",
            )
            .bind(s.response_id)
            .bind(poll_id)
            .bind(s.organization_id)
            .bind(s.position_level)
            .execute(&mut *c)
            .await?;
            for a in s.answers {
                sqlx::query(
                    "INSERT INTO poll_held_answers (held_id, question_id, num, num2, text) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(s.response_id)
                .bind(a.question_id)
                .bind(a.num)
                .bind(a.num2)
                .bind(&a.text)
                .execute(&mut *c)
                .await?;
            }
            Ok::<(), sqlx::Error>(())
        })?;
        let held = held_rows(tx, poll_id).await?;
        move_held(tx, poll_id, held, None, fresh_id).await?;
        return Ok(true);
    };
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
        sqlx::query("INSERT INTO poll_response_authors (response_id, person_id) VALUES ($1, $2)")
            .bind(s.response_id)
            .bind(author)
            .execute(&mut *c)
            .await?;
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(true)
}

/// On SQLite, makes this connection overwrite deleted rows instead of leaving their bytes in a
/// page's free space (the participant rows rewritten by [`submit`], the held answers deleted by
/// [`publish_held`]). A connection setting, harmless for the connection's later work.
async fn secure_delete(tx: &mut Tx) -> Result<()> {
    if let Tx::Sqlite(t, _) = tx {
        sqlx::query("PRAGMA secure_delete = ON")
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

/// Publishes the held answers of an anonymous poll when at least `min` are waiting (pass 1 to
/// publish all of them, at closing): each becomes a response with a fresh id from `fresh_id`
/// (128 random bits as hex) and the date `on`, inserted in the order of those random ids, and is
/// deleted from the holding tables. Returns how many were published (0: too few, nothing
/// written). Run it in its own transaction, never in the one that recorded an answer.
pub async fn publish_held(
    tx: &mut Tx,
    poll_id: i64,
    on: NaiveDate,
    min: usize,
    fresh_id: &mut (dyn FnMut() -> String + Send),
) -> Result<usize> {
    // Taking the poll row first makes two publishers of one poll wait for each other (and makes
    // this SQLite transaction a writer from the start), so no held answer is published twice.
    on_tx!(tx, |c| sqlx::query(
        "UPDATE polls SET updated_at = updated_at WHERE id = $1"
    )
    .bind(poll_id)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    let held = held_rows(tx, poll_id).await?;
    if held.is_empty() || held.len() < min {
        return Ok(0);
    }
    move_held(tx, poll_id, held, Some(on), fresh_id).await
}

type HeldRow = (String, Option<i64>, Option<String>);

async fn held_rows(tx: &mut Tx, poll_id: i64) -> Result<Vec<HeldRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, organization_id, position_level FROM poll_held WHERE poll_id = $1"
    )
    .bind(poll_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Rewrites the `held` answers with fresh ids, inserted in the (random) order of those ids, into
/// the response tables dated `publish` — or, with `None`, back into the holding tables, which
/// [`submit`] does after each answer so that the held rows' physical order is not the order of
/// answering either. The old rows are deleted by id (an answer held meanwhile is left alone).
async fn move_held(
    tx: &mut Tx,
    poll_id: i64,
    held: Vec<HeldRow>,
    publish: Option<NaiveDate>,
    fresh_id: &mut (dyn FnMut() -> String + Send),
) -> Result<usize> {
    let mut batch: Vec<(String, HeldRow)> = held.into_iter().map(|h| (fresh_id(), h)).collect();
    // Random ids in sorted order: a uniformly shuffled order of insertion.
    batch.sort();
    secure_delete(tx).await?;
    let answers_sql = if publish.is_some() {
        "INSERT INTO poll_answers (response_id, question_id, num, num2, text)
         SELECT $1, question_id, num, num2, text FROM poll_held_answers WHERE held_id = $2"
    } else {
        "INSERT INTO poll_held_answers (held_id, question_id, num, num2, text)
         SELECT $1, question_id, num, num2, text FROM poll_held_answers WHERE held_id = $2"
    };
    on_tx!(tx, |c| {
        for (new, (_, org, level)) in &batch {
            let q = match publish {
                Some(on) => sqlx::query(
                    "INSERT INTO poll_responses (id, poll_id, organization_id, position_level, submitted_on)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(new)
                .bind(poll_id)
                .bind(org)
                .bind(level)
                .bind(on),
                None => sqlx::query(
                    "INSERT INTO poll_held (id, poll_id, organization_id, position_level) VALUES ($1, $2, $3, $4)",
                )
                .bind(new)
                .bind(poll_id)
                .bind(org)
                .bind(level),
            };
            q.execute(&mut *c).await?;
        }
        for (new, (old, _, _)) in &batch {
            sqlx::query(answers_sql)
                .bind(new)
                .bind(old)
                .execute(&mut *c)
                .await?;
        }
        for (_, (old, _, _)) in &batch {
            sqlx::query("DELETE FROM poll_held_answers WHERE held_id = $1")
                .bind(old)
                .execute(&mut *c)
                .await?;
            sqlx::query("DELETE FROM poll_held WHERE id = $1")
                .bind(old)
                .execute(&mut *c)
                .await?;
        }
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(batch.len())
}

/// Longest wait for a busy database before [`tidy_files`] gives up (the next call does it).
const TIDY_WAIT_MS: i64 = 250;

/// After an anonymous answer or a published batch, outside any transaction: on SQLite,
/// checkpoints the write-ahead log into the database file and truncates it to zero bytes; on
/// PostgreSQL, vacuums the holding tables. Returns false when the database was busy (or refused)
/// and nothing was done; never an error, since the answer is already safely stored.
pub async fn tidy_files(db: &Db) -> bool {
    let r: std::result::Result<bool, sqlx::Error> = async {
        match db {
            Db::Sqlite(p) => {
                let mut c = p.acquire().await?;
                let wait: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
                    .fetch_one(&mut *c)
                    .await?;
                sqlx::query(&format!("PRAGMA busy_timeout = {TIDY_WAIT_MS}"))
                    .execute(&mut *c)
                    .await?;
                let done: std::result::Result<(i64, i64, i64), sqlx::Error> =
                    sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                        .fetch_one(&mut *c)
                        .await;
                sqlx::query(&format!("PRAGMA busy_timeout = {wait}"))
                    .execute(&mut *c)
                    .await?;
                Ok(done?.0 == 0)
            }
            Db::Postgres(p) => {
                // VACUUM cannot run in a transaction: the simple protocol sends it alone.
                sqlx::raw_sql("VACUUM poll_held, poll_held_answers")
                    .execute(p)
                    .await?;
                Ok(true)
            }
        }
    }
    .await;
    match r {
        Ok(done) => done,
        Err(e) => {
            tracing::debug!(error = %e, "polls: tidying the files deferred");
            false
        }
    }
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
