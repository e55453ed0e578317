//! Forward-only, versioned migrations, one folder per backend with the same version numbers
//! (a test keeps the two folders in lockstep). Each applied migration's checksum is recorded, so
//! an edited migration is caught instead of silently diverging. On PostgreSQL an advisory lock
//! keeps two processes starting at once from migrating twice.

use crate::{on, sha256_hex, Db, DbError, Result};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($v:literal, $name:literal) => {
        Migration {
            version: $v,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation"),
    migration!(2, "0002_governance"),
    migration!(3, "0003_charter"),
    migration!(4, "0004_rotation"),
    migration!(5, "0005_events"),
    migration!(6, "0006_agenda"),
    migration!(7, "0007_minutes"),
    migration!(8, "0008_event_extras"),
    migration!(9, "0009_polls"),
    migration!(10, "0010_network"),
    migration!(11, "0011_uploads"),
    migration!(12, "0012_library"),
    migration!(13, "0013_search"),
    migration!(14, "0014_discussions"),
    migration!(15, "0015_support"),
    migration!(16, "0016_onboarding"),
    migration!(17, "0017_outcomes"),
    migration!(18, "0018_projects"),
    migration!(19, "0019_sustainability"),
    migration!(20, "0020_funding"),
    migration!(21, "0021_reports"),
    migration!(22, "0022_polls_network"),
    migration!(23, "0023_visibility"),
    migration!(24, "0024_polls_held"),
    migration!(25, "0025_tie_recorder"),
];

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
)";

/// Applies every pending migration; returns how many were applied.
pub async fn run(db: &Db) -> Result<usize> {
    if let Db::Postgres(p) = db {
        // Held on one connection for the whole run.
        let mut conn = p.acquire().await?;
        sqlx::query("SELECT pg_advisory_lock(7215400001)")
            .execute(&mut *conn)
            .await?;
        let r = apply(db).await;
        sqlx::query("SELECT pg_advisory_unlock(7215400001)")
            .execute(&mut *conn)
            .await?;
        return r;
    }
    apply(db).await
}

async fn apply(db: &Db) -> Result<usize> {
    on!(db, |p| sqlx::query(CREATE_TABLE)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    let applied: Vec<(i64, String)> = on!(db, |p| sqlx::query_as(
        "SELECT version, checksum FROM schema_migrations ORDER BY version"
    )
    .fetch_all(p)
    .await)?;
    let mut count = 0;
    for m in MIGRATIONS {
        let sql = match db {
            Db::Sqlite(_) => m.sqlite,
            Db::Postgres(_) => m.postgres,
        };
        let sum = sha256_hex(sql);
        if let Some((_, s)) = applied.iter().find(|(v, _)| *v == m.version) {
            if *s != sum {
                return Err(DbError::MigrationChanged { version: m.version });
            }
            continue;
        }
        let mut tx = db.begin().await?;
        crate::on_tx!(&mut tx, |c| {
            sqlx::raw_sql(sql).execute(&mut *c).await?;
            sqlx::query("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
                .bind(m.version)
                .bind(m.name)
                .bind(&sum)
                .bind(crate::now().to_rfc3339())
                .execute(&mut *c)
                .await?;
        });
        tx.commit().await?;
        tracing::info!(version = m.version, name = m.name, "migration applied");
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_in_lockstep() {
        let dir = |b: &str| {
            let mut v: Vec<String> =
                std::fs::read_dir(format!("{}/migrations/{b}", env!("CARGO_MANIFEST_DIR")))
                    .map(|d| {
                        d.filter_map(|e| e.ok())
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
            v.sort();
            v
        };
        let (s, p) = (dir("sqlite"), dir("postgres"));
        assert_eq!(s, p, "migration folders differ");
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|m| format!("{}.sql", m.name))
            .collect();
        assert_eq!(
            s, listed,
            "every migration file must be listed in MIGRATIONS, in order"
        );
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
            assert!(m.name.starts_with(&format!("{:04}_", m.version)));
        }
    }
}
