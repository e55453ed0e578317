//! `tejido demo`: load the Spanish demo dataset into an empty database.

use crate::config::Config;

pub async fn run(cfg: Config) -> anyhow::Result<()> {
    let db = super::open_db(&cfg).await?;
    crate::demo::load_and_report(&db).await?;
    db.close().await;
    Ok(())
}
