//! Demo data: funding.

use super::Ids;

pub async fn load(_tx: &mut tejido_db::Tx, _ids: &Ids<'_>) -> anyhow::Result<()> {
    Ok(())
}
