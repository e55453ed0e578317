//! Storage. [`Db`] is one facade over two backends: SQLite embedded by default, PostgreSQL for
//! the scale-out path where several `tejido serve` processes share one database. Most SQL text is
//! shared (sqlx's `$1` placeholders work on both; note that SQLite numbers parameters by first
//! appearance, so `$n` must first appear in ascending order); the [`on!`] macro runs the same
//! query code against whichever pool is in use. Queries live in one module per capability.

pub mod accounts;
pub mod agenda;
pub mod assessments;
pub mod audit;
pub mod charter;
pub mod communities;
pub mod decisions;
pub mod directory;
pub mod discussions;
pub mod events;
pub mod funding;
pub mod gate;
pub mod governance;
pub mod library;
pub mod limits;
pub mod migrate;
pub mod minutes;
pub mod network;
pub mod onboarding;
pub mod outbox;
pub mod outcomes;
pub mod polls;
pub mod projects;
pub mod reports;
pub mod rotation;
pub mod search;
pub mod settings;
pub mod support;
pub mod sustainability;
pub mod uploads;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("database URL must start with sqlite: or postgres:// (got {0})")]
    BadUrl(String),
    #[error("migration {version} was changed after it was applied (checksum differs)")]
    MigrationChanged { version: i64 },
    #[error("a unique value already exists")]
    Conflict,
    /// The database could not take this write now (the writer is taken and the wait would be too
    /// long, or the pool had no free connection in time): answered as a fast "try again".
    #[error("the database is busy")]
    Busy,
}

impl DbError {
    /// True when the error means "busy, try again": our own write gate, a pool time-out, or
    /// SQLite's SQLITE_BUSY / SQLITE_LOCKED (another process holding the write lock).
    pub fn is_busy(&self) -> bool {
        match self {
            DbError::Busy => true,
            DbError::Sqlx(sqlx::Error::PoolTimedOut) => true,
            DbError::Sqlx(sqlx::Error::Database(d)) => {
                // SQLite's primary codes 5 (busy) and 6 (locked), extended codes included.
                d.code()
                    .and_then(|c| c.parse::<i64>().ok())
                    .is_some_and(|c| matches!(c & 0xff, 5 | 6))
            }
            _ => false,
        }
    }

    /// True when the error is a unique-constraint violation, which the web layer shows as a
    /// field error rather than a failure.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            DbError::Conflict => true,
            DbError::Sqlx(sqlx::Error::Database(d)) => d.is_unique_violation(),
            _ => false,
        }
    }
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// Which backend a [`Db`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction on either backend. On SQLite it holds the process's write turn
/// ([`gate::Turn`]) until it commits or is dropped.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>, gate::Turn),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$p` bound to the backend's pool (for a [`Db`]) or connection (for a
/// [`Tx`]); the body is compiled once per backend.
#[macro_export]
macro_rules! on {
    ($db:expr, |$p:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite($p) => $body,
            $crate::Db::Postgres($p) => $body,
        }
    };
}

#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t, _) => {
                let $c = &mut **t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

impl Db {
    /// Connects to `url` (`sqlite:path`, `sqlite://path`, or `postgres://…`), creating the SQLite
    /// file if missing.
    pub async fn connect(url: &str) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?.application_name("tejido");
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(gate::WRITE_WAIT)
                .connect_with(opts)
                .await?;
            Ok(Db::Postgres(pool))
        } else if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let opts = if path == ":memory:" {
                SqliteConnectOptions::from_str("sqlite::memory:")?
            } else {
                SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
            }
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // Writers in this process queue at the gate; this bounds the wait for a writer in
            // another process (a CLI command, a second server on the same file).
            .busy_timeout(gate::WRITE_WAIT);
            // An in-memory database exists once per connection: keep exactly one.
            let max = if path == ":memory:" { 1 } else { 8 };
            let pool = SqlitePoolOptions::new()
                .max_connections(max)
                .acquire_timeout(Duration::from_secs(2))
                .connect_with(opts)
                .await?;
            Ok(Db::Sqlite(pool))
        } else {
            Err(DbError::BadUrl(url.to_owned()))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Begins a write transaction. On SQLite it first takes the process's write turn (waiting
    /// at most [`gate::WRITE_WAIT`], or refusing at once with [`DbError::Busy`] when the queue
    /// ahead could not be served in half that time), then starts `BEGIN IMMEDIATE`, so the write lock
    /// is taken up front: a read-then-write transaction never fails half-way with "database is
    /// locked", and no connection sits waiting for the lock while readers need it.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => {
                let turn = gate::for_file(p.connect_options().get_filename())
                    .turn()
                    .await?;
                // In a task of its own: a request cancelled half-way through `BEGIN` (a client
                // that hangs up) must not return a connection to the pool with the transaction
                // open and the write lock held. The task finishes the `BEGIN`; if nobody awaits
                // it any more, the transaction it returns is dropped and so rolled back.
                let pool = p.clone();
                let t = tokio::spawn(async move { pool.begin_with("BEGIN IMMEDIATE").await })
                    .await
                    .map_err(|_| DbError::Sqlx(sqlx::Error::WorkerCrashed))?
                    .map_err(|e| {
                        let e = DbError::from(e);
                        if e.is_busy() {
                            DbError::Busy
                        } else {
                            e
                        }
                    })?;
                Tx::Sqlite(t, turn)
            }
            // In a task of its own for the same reason as on SQLite.
            Db::Postgres(p) => {
                let pool = p.clone();
                let t = tokio::spawn(async move { pool.begin().await })
                    .await
                    .map_err(|_| DbError::Sqlx(sqlx::Error::WorkerCrashed))?
                    .map_err(|e| match e {
                        sqlx::Error::PoolTimedOut => DbError::Busy,
                        e => DbError::Sqlx(e),
                    })?;
                Tx::Postgres(t)
            }
        })
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        let r: Result<i64, sqlx::Error> =
            on!(self, |p| sqlx::query_scalar("SELECT CAST(1 AS BIGINT)")
                .fetch_one(p)
                .await);
        r.is_ok()
    }

    pub async fn close(&self) {
        on!(self, |p| p.close().await)
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            // Finished even when the request is cancelled meanwhile; the turn goes with it.
            Tx::Sqlite(t, turn) => tokio::spawn(async move {
                let r = t.commit().await;
                drop(turn);
                r
            })
            .await
            .map_err(|_| DbError::Sqlx(sqlx::Error::WorkerCrashed))??,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// The current time, truncated to microseconds so it round-trips through both backends.
pub fn now() -> DateTime<Utc> {
    let n = Utc::now();
    n - chrono::Duration::nanoseconds(i64::from(n.timestamp_subsec_nanos() % 1000))
}

/// Hex SHA-256, used to store tokens and session ids so that a stolen database copy does not
/// hand out live credentials.
pub fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(s.as_bytes());
    let mut out = String::with_capacity(64);
    for b in d {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that hangs up while its write is beginning must not leave a pooled connection
    /// inside a transaction holding the write lock (on SQLite, and on the PostgreSQL named by
    /// `TEJIDO_TEST_PG_URL` when set) (every later write would then fail: "begin_with
    /// at non-zero transaction depth", or busy for good).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_cancelled_while_it_begins_leaves_no_transaction_open() {
        let path = std::env::temp_dir().join(format!(
            "tejido-cancelled-begin-{}-{}.db",
            std::process::id(),
            now().timestamp_micros()
        ));
        let mut urls = vec![format!("sqlite://{}", path.display())];
        urls.extend(
            std::env::var("TEJIDO_TEST_PG_URL")
                .ok()
                .filter(|u| !u.is_empty()),
        );
        for url in urls {
            cancel_begins_then_write(&url).await;
        }
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    async fn cancel_begins_then_write(url: &str) {
        let db = Db::connect(url).await.unwrap();
        for i in 0..400u64 {
            let wait = Duration::from_micros((i % 80) * 5);
            // Dropped whether it began or not, as a cancelled request drops it.
            let _ = tokio::time::timeout(wait, db.begin()).await;
        }
        for _ in 0..40 {
            let tx = tokio::time::timeout(Duration::from_secs(5), db.begin())
                .await
                .expect("a write begins in time")
                .expect("a write begins after the cancelled ones");
            tx.commit().await.unwrap();
        }
        db.close().await;
    }
}
