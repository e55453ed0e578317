//! Storage, called directly through `app.db`: migrations, the e-mail outbox and its worker,
//! single-use tokens, and the partial unique indexes that keep one current membership.

use super::*;
use tejido_db::accounts::{NewToken, TokenPurpose};
use tejido_db::outbox;

both_backends!(migrations_are_idempotent, |app: TestApp| async move {
    // TestApp already migrated; running again applies nothing and changes nothing.
    assert_eq!(tejido_db::migrate::run(&app.db).await.unwrap(), 0);
    assert_eq!(tejido_db::migrate::run(&app.db).await.unwrap(), 0);
    assert_eq!(
        app.count("schema_migrations").await,
        tejido_db::migrate::MIGRATIONS.len() as i64
    );
    // An edited migration is caught.
    exec(
        &app,
        "UPDATE schema_migrations SET checksum = 'cambiada' WHERE version = 1",
    )
    .await
    .unwrap();
    let e = tejido_db::migrate::run(&app.db).await.unwrap_err();
    assert!(
        matches!(e, tejido_db::DbError::MigrationChanged { version: 1 }),
        "{e}"
    );
});

async fn mail(app: &TestApp, to: &str) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    let id = outbox::enqueue(&mut tx, to, "Asunto", "Cuerpo")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

both_backends!(outbox_claim_retry_and_give_up, |app: TestApp| async move {
    let lease = chrono::Duration::minutes(5);
    let id = mail(&app, "a@example.org").await;
    assert_eq!(outbox::backlog(&app.db).await.unwrap(), 1);
    let batch = outbox::claim(&app.db, 10, lease).await.unwrap();
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].id, id);
    assert_eq!(batch[0].attempts, 0);
    // Leased: a second worker gets nothing.
    assert!(outbox::claim(&app.db, 10, lease).await.unwrap().is_empty());

    // A failure schedules a retry with exponential backoff.
    let mut m = batch[0].clone();
    for attempt in 1..outbox::MAX_ATTEMPTS {
        let t0 = tejido_db::now();
        outbox::mark_failed(&app.db, &m, "smtp down").await.unwrap();
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT CAST(attempts AS BIGINT) FROM outbox WHERE id = {id}")
            )
            .await,
            i64::from(attempt)
        );
        let next: chrono::DateTime<chrono::Utc> = match &app.db {
            Db::Sqlite(p) => sqlx::query_scalar(&format!(
                "SELECT next_attempt_at FROM outbox WHERE id = {id}"
            ))
            .fetch_one(p)
            .await
            .unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(&format!(
                "SELECT next_attempt_at FROM outbox WHERE id = {id}"
            ))
            .fetch_one(p)
            .await
            .unwrap(),
        };
        let wait = (next - t0).num_seconds();
        let expected = 30 * (1_i64 << attempt.clamp(0, 10));
        assert!(
            (expected - 2..=expected + 2).contains(&wait),
            "attempt {attempt}: waits {wait}s, expected {expected}s"
        );
        assert!(
            outbox::claim(&app.db, 10, lease).await.unwrap().is_empty(),
            "not due yet"
        );
        assert_eq!(outbox::backlog(&app.db).await.unwrap(), 1, "still waiting");
        // Time passes.
        exec(
            &app,
            &format!("UPDATE outbox SET next_attempt_at = created_at WHERE id = {id}"),
        )
        .await
        .unwrap();
        let b = outbox::claim(&app.db, 10, lease).await.unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].attempts, attempt);
        m = b[0].clone();
    }
    // The last allowed attempt fails: given up, out of the backlog, never claimed again.
    outbox::mark_failed(&app.db, &m, "smtp down").await.unwrap();
    assert_eq!(
        app.count(&format!(
            "outbox WHERE id = {id} AND failed_at IS NOT NULL AND last_error = 'smtp down'"
        ))
        .await,
        1
    );
    assert_eq!(outbox::backlog(&app.db).await.unwrap(), 0);
    exec(
        &app,
        &format!("UPDATE outbox SET next_attempt_at = created_at WHERE id = {id}"),
    )
    .await
    .unwrap();
    assert!(outbox::claim(&app.db, 10, lease).await.unwrap().is_empty());

    // Sent mail leaves the backlog and is not claimed again.
    let id2 = mail(&app, "b@example.org").await;
    let b = outbox::claim(&app.db, 10, lease).await.unwrap();
    assert_eq!(b.len(), 1);
    outbox::mark_sent(&app.db, id2).await.unwrap();
    assert_eq!(outbox::backlog(&app.db).await.unwrap(), 0);
    exec(&app, "UPDATE outbox SET locked_until = NULL")
        .await
        .unwrap();
    assert!(outbox::claim(&app.db, 10, lease).await.unwrap().is_empty());
    // An expired lease (a worker that died) is claimed again.
    let id3 = mail(&app, "c@example.org").await;
    assert_eq!(outbox::claim(&app.db, 10, lease).await.unwrap().len(), 1);
    let b = outbox::claim(&app.db, 10, chrono::Duration::minutes(-10))
        .await
        .unwrap();
    assert!(b.is_empty(), "the first lease still holds");
    exec(
        &app,
        &format!("UPDATE outbox SET locked_until = created_at WHERE id = {id3}"),
    )
    .await
    .unwrap();
    assert_eq!(outbox::claim(&app.db, 10, lease).await.unwrap()[0].id, id3);
    // `limit` is honoured.
    for i in 0..5 {
        mail(&app, &format!("lote{i}@example.org")).await;
    }
    assert_eq!(outbox::claim(&app.db, 3, lease).await.unwrap().len(), 3);
});

both_backends!(
    send_outbox_once_with_the_log_mailer_marks_mail_sent,
    |app: TestApp| async move {
        mail(&app, "d@example.org").await;
        mail(&app, "e@example.org").await;
        let mailer = tejido_web::mailer::Mailer::new(None).unwrap();
        assert!(matches!(mailer, tejido_web::mailer::Mailer::Log));
        assert_eq!(
            tejido_web::jobs::send_outbox_once(&app.db, &mailer)
                .await
                .unwrap(),
            2
        );
        assert_eq!(outbox::backlog(&app.db).await.unwrap(), 0);
        let m = app.last_mail("d@example.org").await.unwrap();
        assert!(m.sent_at.is_some());
        assert_eq!(m.attempts, 1);
        assert_eq!(
            tejido_web::jobs::send_outbox_once(&app.db, &mailer)
                .await
                .unwrap(),
            0
        );
        assert_eq!(app.count("outbox WHERE sent_at IS NOT NULL").await, 2);
    }
);

async fn token(app: &TestApp, raw: &str, purpose: TokenPurpose, expires_in: chrono::Duration) {
    let mut tx = app.db.begin().await.unwrap();
    tejido_db::accounts::insert_token(
        &mut tx,
        &NewToken {
            raw,
            purpose,
            email: "f@example.org",
            user_id: None,
            community_id: None,
            role: None,
            created_by: None,
            expires_at: tejido_db::now() + expires_in,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

both_backends!(tokens_are_single_use, |app: TestApp| async move {
    let hour = chrono::Duration::hours(1);
    token(&app, "uno", TokenPurpose::Invitation, hour).await;
    let db = &app.db;
    assert!(
        tejido_db::accounts::peek_token(db, "uno", TokenPurpose::Invitation)
            .await
            .unwrap()
            .is_some()
    );
    // Not for another purpose.
    assert!(
        tejido_db::accounts::peek_token(db, "uno", TokenPurpose::PasswordReset)
            .await
            .unwrap()
            .is_none()
    );
    let mut tx = db.begin().await.unwrap();
    assert!(
        tejido_db::accounts::consume_token(&mut tx, "uno", TokenPurpose::PasswordReset)
            .await
            .unwrap()
            .is_none()
    );
    let t = tejido_db::accounts::consume_token(&mut tx, "uno", TokenPurpose::Invitation)
        .await
        .unwrap();
    assert_eq!(t.unwrap().email, "f@example.org");
    // Inside the same transaction it is already spent.
    assert!(
        tejido_db::accounts::consume_token(&mut tx, "uno", TokenPurpose::Invitation)
            .await
            .unwrap()
            .is_none()
    );
    tx.commit().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    assert!(
        tejido_db::accounts::consume_token(&mut tx, "uno", TokenPurpose::Invitation)
            .await
            .unwrap()
            .is_none()
    );
    tx.commit().await.unwrap();
    assert!(
        tejido_db::accounts::peek_token(db, "uno", TokenPurpose::Invitation)
            .await
            .unwrap()
            .is_none()
    );
    // A rolled-back use leaves it usable.
    token(&app, "dos", TokenPurpose::PasswordReset, hour).await;
    let mut tx = db.begin().await.unwrap();
    assert!(
        tejido_db::accounts::consume_token(&mut tx, "dos", TokenPurpose::PasswordReset)
            .await
            .unwrap()
            .is_some()
    );
    drop(tx);
    let mut tx = db.begin().await.unwrap();
    assert!(
        tejido_db::accounts::consume_token(&mut tx, "dos", TokenPurpose::PasswordReset)
            .await
            .unwrap()
            .is_some()
    );
    tx.commit().await.unwrap();
    // Expired tokens are neither shown nor used.
    token(
        &app,
        "tres",
        TokenPurpose::PasswordReset,
        chrono::Duration::seconds(-1),
    )
    .await;
    assert!(
        tejido_db::accounts::peek_token(db, "tres", TokenPurpose::PasswordReset)
            .await
            .unwrap()
            .is_none()
    );
    let mut tx = db.begin().await.unwrap();
    assert!(
        tejido_db::accounts::consume_token(&mut tx, "tres", TokenPurpose::PasswordReset)
            .await
            .unwrap()
            .is_none()
    );
    tx.commit().await.unwrap();
    // Only hashes are stored.
    assert_eq!(
        app.count("account_tokens WHERE token_hash IN ('uno', 'dos', 'tres')")
            .await,
        0
    );
});

both_backends!(one_current_membership_and_role, |app: TestApp| async move {
    use tejido_db::communities as c;
    let (_, lp) = app.user("lider@example.org", false).await;
    let (cid, _) = app.community("Red", lp, "private").await;
    let pid = person_with(&app, "Pía", None, None).await;
    let oid = app.organization("Org").await;
    let mut tx = app.db.begin().await.unwrap();
    assert!(c::add_person(&mut tx, cid, pid, None).await.unwrap());
    assert!(
        !c::add_person(&mut tx, cid, pid, None).await.unwrap(),
        "already a member"
    );
    assert!(c::add_organization(&mut tx, cid, oid, None).await.unwrap());
    assert!(!c::add_organization(&mut tx, cid, oid, None).await.unwrap());
    assert!(c::assign_role(&mut tx, cid, pid, Role::Facilitator, None)
        .await
        .unwrap());
    assert!(!c::assign_role(&mut tx, cid, pid, Role::Facilitator, None)
        .await
        .unwrap());
    assert!(
        c::assign_role(&mut tx, cid, pid, Role::Rapporteur, None)
            .await
            .unwrap(),
        "several roles at once"
    );
    tx.commit().await.unwrap();
    // The indexes themselves refuse a second current row, whatever the code does.
    let now = "2030-01-01 00:00:00+00:00";
    for sql in [
        format!("INSERT INTO community_people (community_id, person_id, joined_at) VALUES ({cid}, {pid}, '{now}')"),
        format!("INSERT INTO community_organizations (community_id, organization_id, joined_at) VALUES ({cid}, {oid}, '{now}')"),
        format!("INSERT INTO community_roles (community_id, person_id, role, starts_at) VALUES ({cid}, {pid}, 'facilitator', '{now}')"),
    ] {
        let e = exec(&app, &sql).await.expect_err("a duplicate current row");
        assert!(tejido_db::DbError::from(e).is_unique_violation(), "{sql}");
    }
    // Leaving and joining again: two rows, one current; the count of managers is unaffected.
    let mut tx = app.db.begin().await.unwrap();
    assert!(c::remove_person(&mut tx, cid, pid).await.unwrap());
    assert!(!c::remove_person(&mut tx, cid, pid).await.unwrap());
    assert!(c::add_person(&mut tx, cid, pid, None).await.unwrap());
    assert!(c::remove_organization(&mut tx, cid, oid).await.unwrap());
    assert!(c::add_organization(&mut tx, cid, oid, None).await.unwrap());
    assert!(c::assign_role(&mut tx, cid, pid, Role::Facilitator, None)
        .await
        .unwrap());
    assert_eq!(c::count_managers(&mut tx, cid).await.unwrap(), 1);
    tx.commit().await.unwrap();
    assert_eq!(
        app.count(&format!("community_people WHERE person_id = {pid}"))
            .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "community_people WHERE person_id = {pid} AND left_at IS NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "community_organizations WHERE organization_id = {oid} AND left_at IS NULL"
        ))
        .await,
        1
    );
    // remove_person ended both roles; only the new facilitator term is current.
    assert_eq!(
        app.count(&format!(
            "community_roles WHERE person_id = {pid} AND ends_at IS NULL"
        ))
        .await,
        1
    );
    let (member, roles) = c::standing(&app.db, cid, pid).await.unwrap();
    assert!(member);
    assert_eq!(roles, vec![Role::Facilitator]);
    let h = c::history(&app.db, cid, tejido_core::page::PageReq::new(None, None))
        .await
        .unwrap();
    assert_eq!(
        h.total, 5,
        "leader + two stays of the person + two of the organization"
    );
});

both_backends!(sessions_expire_and_are_purged, |app: TestApp| async move {
    let (uid, _) = app.user("s@example.org", false).await;
    let mut tx = app.db.begin().await.unwrap();
    tejido_db::accounts::create_session(
        &mut tx,
        "viva",
        uid,
        "c1",
        tejido_db::now() + chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    tejido_db::accounts::create_session(
        &mut tx,
        "vencida",
        uid,
        "c2",
        tejido_db::now() - chrono::Duration::seconds(1),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(tejido_db::accounts::session_user(&app.db, "viva")
        .await
        .unwrap()
        .is_some());
    assert!(tejido_db::accounts::session_user(&app.db, "vencida")
        .await
        .unwrap()
        .is_none());
    let r = app
        .client()
        .request(
            Method::GET,
            "/account",
            None,
            vec![],
            &[("cookie", "tejido_session=vencida")],
        )
        .await;
    assert_to_login(&r);
    assert_eq!(
        tejido_db::accounts::purge_expired(&app.db).await.unwrap(),
        1
    );
    assert_eq!(app.count("sessions").await, 1);
    // A disabled account's session no longer signs anyone in.
    exec(
        &app,
        &format!("UPDATE users SET disabled_at = created_at WHERE id = {uid}"),
    )
    .await
    .unwrap();
    assert!(tejido_db::accounts::session_user(&app.db, "viva")
        .await
        .unwrap()
        .is_none());
});
