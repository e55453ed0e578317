//! Background work that runs beside the server in the same process: the outbox sender and the
//! clean-up of expired sessions. State lives in the database, so any number of processes may run
//! these loops at once.

use std::time::Duration;

use tejido_db::Db;

use crate::mailer::Mailer;

/// Sends due messages once; returns how many were sent.
pub async fn send_outbox_once(db: &Db, mailer: &Mailer) -> anyhow::Result<usize> {
    let batch = tejido_db::outbox::claim(db, 20, chrono::Duration::minutes(5)).await?;
    let mut sent = 0;
    for m in batch {
        match mailer.send(&m.to_addr, &m.subject, &m.body_text).await {
            Ok(()) => {
                tejido_db::outbox::mark_sent(db, m.id).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(id = m.id, attempts = m.attempts + 1, error = %e, "e-mail failed; will retry");
                tejido_db::outbox::mark_failed(db, &m, &e.to_string()).await?;
            }
        }
    }
    Ok(sent)
}

/// Runs until `shutdown` resolves. The state gives the reminder passes the base URL for links and
/// the catalogs for each recipient's language.
pub async fn run(
    state: crate::AppState,
    mailer: Mailer,
    shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let db = state.db.clone();
    let mut shutdown = shutdown;
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    let mut n: u64 = 0;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => break,
        }
        if let Err(e) = send_outbox_once(&db, &mailer).await {
            tracing::warn!(error = %e, "outbox pass failed");
        }
        n += 1;
        if n % 60 == 1 {
            if let Err(e) = crate::features::minutes::enqueue_reminders(&state).await {
                tracing::warn!(error = %e, "action-item reminders failed");
            }
            if let Err(e) = crate::features::events::reminders_pass(&state).await {
                tracing::warn!(error = %e, "event reminders failed");
            }
            // Polls scheduled to open: their invitations go out once, when opens_at has come.
            if let Err(e) =
                crate::features::polls::send_due_invitations(&state, tejido_db::now()).await
            {
                tracing::warn!(error = %e, "poll invitations failed");
            }
            // Weekly per person; the pass itself skips whoever had one in the last seven days.
            if let Err(e) =
                crate::features::discussions::digest_pass(&state, chrono::Utc::now()).await
            {
                tracing::warn!(error = %e, "discussion digest failed");
            }
        }
        if n % 720 == 1 {
            if let Err(e) = tejido_db::accounts::purge_expired(&db).await {
                tracing::warn!(error = %e, "session clean-up failed");
            }
        }
    }
}
