//! One file per subcommand.

pub mod admin;
pub mod config;
pub mod demo;
pub mod migrate;
pub mod report;
pub mod serve;
pub mod sna;

use tejido_db::Db;

use crate::config::Config;

/// Connects to the configured database and applies pending migrations.
pub async fn open_db(cfg: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&cfg.database_url.value).await.map_err(|e| {
        anyhow::anyhow!(
            "cannot open the database {}: {e}",
            crate::config::redact_url(&cfg.database_url.value)
        )
    })?;
    let n = tejido_db::migrate::run(&db).await?;
    if n > 0 {
        tracing::info!(applied = n, "database migrated");
    }
    Ok(db)
}
