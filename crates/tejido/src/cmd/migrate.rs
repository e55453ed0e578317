//! `tejido migrate`: apply pending migrations and exit.

use crate::config::Config;

pub async fn run(cfg: Config) -> anyhow::Result<()> {
    let db = super::open_db(&cfg).await?;
    println!(
        "database is up to date ({} migrations known)",
        tejido_db::migrate::MIGRATIONS.len()
    );
    db.close().await;
    Ok(())
}
