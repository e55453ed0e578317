//! The attack findings, each reproduced first: sign-in guesses raced in parallel, one address
//! locking the real user out, reset links that outlive newer ones, reset mail floods, an open
//! redirect through `next`, sessions that never end, and `/metrics` open to anyone.

use super::*;

fn peer(ip: &str) -> Option<std::net::SocketAddr> {
    Some(std::net::SocketAddr::new(ip.parse().unwrap(), 40000))
}

async fn guess(c: &Client, email: &str, password: &str, xff: Option<&str>) -> u16 {
    guess_answer(c, email, password, xff).await.0
}

/// The status of one sign-in attempt and whether it carried `Retry-After`.
async fn guess_answer(c: &Client, email: &str, password: &str, xff: Option<&str>) -> (u16, bool) {
    let csrf = c.csrf().await;
    let body = format!(
        "_csrf={}&email={}&password={}&next=%2F",
        urlencode(&csrf),
        urlencode(email),
        urlencode(password)
    );
    let mut extra = vec![];
    if let Some(x) = xff {
        extra.push(("x-forwarded-for", x));
    }
    let r = c
        .request(
            Method::POST,
            "/login",
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &extra,
        )
        .await;
    (
        r.status.as_u16(),
        r.headers.contains_key(header::RETRY_AFTER),
    )
}

both_backends!(
    parallel_guesses_never_pass_the_limit,
    |app: TestApp| async move {
        app.user("paralelo@example.org", false).await;
        let c = app.client();
        c.csrf().await;
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let c = c.clone();
                tokio::spawn(async move {
                    // A busy database may ask a guess to come back (503 with Retry-After, on a
                    // loaded machine); a client that does so is still counted exactly once.
                    let password = format!("equivocada {i}");
                    for _ in 0..100 {
                        match guess_answer(&c, "paralelo@example.org", &password, None).await {
                            (503, true) => {
                                tokio::time::sleep(std::time::Duration::from_millis(50)).await
                            }
                            (s, _) => return s,
                        }
                    }
                    503
                })
            })
            .collect();
        let mut evaluated = 0;
        let mut limited = 0;
        for t in tasks {
            match t.await.unwrap() {
                422 => evaluated += 1,
                429 => limited += 1,
                s => panic!("unexpected status {s}"),
            }
        }
        assert_eq!(
            evaluated,
            tejido_web::auth::MAX_FAILURES,
            "{limited} limited"
        );
        assert_eq!(limited, 40 - tejido_web::auth::MAX_FAILURES);
    }
);

both_backends!(
    a_guesser_elsewhere_does_not_lock_the_user_out,
    |app: TestApp| async move {
        let app = app.with_trusted_proxies(&["127.0.0.1"]);
        app.user("dueña@example.org", false).await;
        // The attacker, behind the proxy, guesses until refused.
        let mut attacker = app.client();
        attacker.peer = peer("127.0.0.1");
        for _ in 0..tejido_web::auth::MAX_FAILURES {
            assert_eq!(
                guess(
                    &attacker,
                    "dueña@example.org",
                    "equivocada",
                    Some("198.51.100.1")
                )
                .await,
                422
            );
        }
        assert_eq!(
            guess(
                &attacker,
                "dueña@example.org",
                PASSWORD,
                Some("198.51.100.1")
            )
            .await,
            429
        );
        // The owner, behind the same proxy from another address, still signs in.
        let mut owner = app.client();
        owner.peer = peer("127.0.0.1");
        assert_eq!(
            guess(&owner, "dueña@example.org", PASSWORD, Some("203.0.113.5")).await,
            303
        );
        // A client that is not a trusted proxy cannot pick a fresh address with the header.
        let mut direct = app.client();
        direct.peer = peer("192.0.2.7");
        for i in 0..tejido_web::auth::MAX_FAILURES {
            let fake = format!("10.0.0.{i}");
            assert_eq!(
                guess(&direct, "dueña@example.org", "equivocada", Some(&fake)).await,
                422
            );
        }
        assert_eq!(
            guess(&direct, "dueña@example.org", "equivocada", Some("10.9.9.9")).await,
            429
        );
    }
);

fn link_in(body: &str) -> String {
    let i = body.find("/password/reset/").expect("a reset link");
    body[i..]
        .chars()
        .take_while(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '/' | '-' | '_'))
        .collect()
}

both_backends!(
    a_newer_reset_link_voids_older_ones,
    |app: TestApp| async move {
        app.user("rosa@example.org", false).await;
        let c = app.client();
        assert_status(
            &c.post_form("/password/forgot", &[("email", "rosa@example.org")])
                .await,
            200,
        );
        let first = link_in(&app.last_mail("rosa@example.org").await.unwrap().body_text);
        assert_status(
            &c.post_form("/password/forgot", &[("email", "rosa@example.org")])
                .await,
            200,
        );
        let second = link_in(&app.last_mail("rosa@example.org").await.unwrap().body_text);
        assert_ne!(first, second);
        // The older link died when the newer one was sent.
        assert_status(&c.get(&first).await, 404);
        assert_status(&c.get(&second).await, 200);
        // A third link, then the second is used: every other link dies with the password change.
        assert_status(
            &c.post_form("/password/forgot", &[("email", "rosa@example.org")])
                .await,
            200,
        );
        let third = link_in(&app.last_mail("rosa@example.org").await.unwrap().body_text);
        assert_status(&c.get(&second).await, 404);
        let pw = "una contraseña nueva y larga";
        assert_redirect(
            &c.post_form(&third, &[("password", pw), ("confirm", pw)])
                .await,
            "/login?reset=1",
        );
        assert_eq!(
            app.count("account_tokens WHERE purpose = 'password-reset' AND used_at IS NULL")
                .await,
            0
        );
    }
);

both_backends!(
    reset_requests_are_limited_quietly,
    |app: TestApp| async move {
        app.user("flor@example.org", false).await;
        let c = app.client();
        let mut answers = Vec::new();
        for _ in 0..8 {
            let r = c
                .post_form("/password/forgot", &[("email", "flor@example.org")])
                .await;
            assert_status(&r, 200);
            answers.push(r.body.contains("Si hay una cuenta con ese correo"));
        }
        // The same neutral answer every time, but only the first few send a mail.
        assert!(answers.iter().all(|a| *a), "{answers:?}");
        assert_eq!(
            app.count("outbox WHERE to_addr = 'flor@example.org'").await,
            tejido_web::auth::RESET_PER_HOUR
        );
        // The limit is per address: someone else still gets their link.
        app.user("lila@example.org", false).await;
        assert_status(
            &c.post_form("/password/forgot", &[("email", "lila@example.org")])
                .await,
            200,
        );
        assert!(app.last_mail("lila@example.org").await.is_some());
    }
);

both_backends!(next_never_leaves_the_site, |app: TestApp| async move {
    app.user("tab@example.org", false).await;
    for next in [
        "/\t/evil.example/",
        "/%09/evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
    ] {
        let r = app
            .client()
            .post_form(
                "/login",
                &[
                    ("email", "tab@example.org"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_status(&r, 303);
        let to = r.location().unwrap_or("");
        assert!(to == "/" || to == "/%09/evil.example/", "{next:?} → {to}");
        assert!(
            !to.contains('\t') && !to.starts_with("//"),
            "{next:?} → {to}"
        );
    }
});

both_backends!(sessions_end_after_thirty_days, |app: TestApp| async move {
    let (c, uid, _) = app.signed_in("larga@example.org", false).await;
    assert_status(&c.get("/account").await, 200);
    let old = tejido_db::now()
        - chrono::Duration::days(tejido_db::accounts::SESSION_MAX_DAYS)
        - chrono::Duration::minutes(1);
    let sql = "UPDATE sessions SET created_at = $1 WHERE user_id = $2";
    match &app.db {
        Db::Sqlite(p) => {
            sqlx::query(sql)
                .bind(old)
                .bind(uid)
                .execute(p)
                .await
                .unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query(sql)
                .bind(old)
                .bind(uid)
                .execute(p)
                .await
                .unwrap();
        }
    }
    // However recently it was used, the session has reached its absolute lifetime.
    assert_to_login(&c.get("/account").await);
});

both_backends!(
    metrics_only_for_this_machine_or_an_admin,
    |app: TestApp| async move {
        let app = app.with_trusted_proxies(&["127.0.0.1"]);
        let anon = app.client();
        assert_status(&anon.get("/metrics").await, 401);
        let mut local = app.client();
        local.peer = peer("127.0.0.1");
        assert_status(&local.get("/metrics").await, 200);
        // Relayed by the proxy on this machine: not local any more.
        let r = local
            .request(
                Method::GET,
                "/metrics",
                None,
                vec![],
                &[("x-forwarded-for", "203.0.113.8")],
            )
            .await;
        assert_status(&r, 401);
        let mut remote = app.client();
        remote.peer = peer("203.0.113.8");
        assert_status(&remote.get("/metrics").await, 401);
        // A member's session or token is not enough; an admin's token is.
        let (member, _, _) = app.signed_in("metrica@example.org", false).await;
        assert_status(&member.get("/metrics").await, 403);
        let (admin, _, _) = app.signed_in("metrica-admin@example.org", true).await;
        let r = admin
            .post_form("/account/tokens", &[("name", "prometheus")])
            .await;
        let i = r.body.find("tjd_").expect("a token");
        let token: String = r.body[i..]
            .chars()
            .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
            .collect();
        let bearer = format!("Bearer {token}");
        let r = remote
            .request(
                Method::GET,
                "/metrics",
                None,
                vec![],
                &[("authorization", bearer.as_str())],
            )
            .await;
        assert_status(&r, 200);
        assert!(r.body.contains("tejido_http_requests_total"), "{}", r.body);
    }
);

/// A thread in a fresh community with `n` signed-in members who may reply.
async fn workshop(app: &TestApp, n: usize) -> (String, i64, Vec<Client>) {
    let (leader, _, lp) = app.signed_in("taller-lider@example.org", false).await;
    let (cid, slug) = app.community("Taller de cuarenta", lp, "instance").await;
    let r = leader
        .post_form(
            &format!("/c/{slug}/discussions"),
            &[
                ("title", "Acuerdos del taller"),
                ("body", "¿Qué nos llevamos?"),
            ],
        )
        .await;
    assert_status(&r, 303);
    let thread: i64 = r
        .location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut people = vec![];
    for i in 0..n {
        let (c, _, pid) = app
            .signed_in(&format!("taller{i}@example.org"), false)
            .await;
        app.add_member(cid, pid, Role::Member).await;
        c.csrf().await;
        people.push(c);
    }
    (slug, thread, people)
}

// A workshop of forty replying to one thread at once (each reply reads the thread, writes the
// reply and queues the mentions' mail in one transaction): every request is saved (303) or told
// to come back (503 with Retry-After), never a 500, and every 303 is a stored reply.
both_backends!(forty_people_writing_at_once, |app: TestApp| async move {
    let (slug, thread, people) = workshop(&app, 40).await;
    let before = app.count("discussion_replies").await;
    let tasks: Vec<_> = people
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let path = format!("/c/{slug}/discussions/{thread}/replies");
            tokio::spawn(async move {
                let body = format!("Aprendí la lección {i}");
                let r = c.post_form(&path, &[("body", body.as_str())]).await;
                (
                    r.status.as_u16(),
                    r.headers.contains_key(header::RETRY_AFTER),
                )
            })
        })
        .collect();
    let (mut saved, mut busy) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            (303, _) => saved += 1,
            (503, true) => busy += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!(saved + busy, 40);
    assert!(saved > 0);
    assert_eq!(app.count("discussion_replies").await - before, saved);
});

// While another writer holds the database (on SQLite the one write turn, on PostgreSQL every
// pooled connection), a write waits at most a second and is then refused with 503, Retry-After
// and a message in Spanish; nothing is written. Reading goes on meanwhile on SQLite.
both_backends!(
    a_busy_database_answers_503_in_spanish,
    |app: TestApp| async move {
        let (slug, thread, people) = workshop(&app, 1).await;
        let c = &people[0];
        let before = app.count("discussion_replies").await;
        let path = format!("/c/{slug}/discussions/{thread}/replies");
        let token = c.csrf().await;
        let held = match &app.db {
            Db::Sqlite(_) => {
                let tx = app.db.begin().await.unwrap();
                // Reads still answer while the writer is taken.
                assert_status(
                    &c.get(&format!("/c/{slug}/discussions/{thread}")).await,
                    200,
                );
                (Some(tx), vec![])
            }
            Db::Postgres(p) => {
                let mut conns = vec![];
                for _ in 0..p.options().get_max_connections() {
                    conns.push(p.acquire().await.unwrap());
                }
                (None, conns)
            }
        };
        let r = c
            .post_raw(&path, &[("_csrf", token.as_str()), ("body", "Esto espera")])
            .await;
        assert_status(&r, 503);
        assert!(r.headers.contains_key(header::RETRY_AFTER));
        assert!(r.body.contains("no se guardó nada"), "{}", r.body);
        drop(held);
        assert_eq!(app.count("discussion_replies").await, before);
        assert_status(&c.post_form(&path, &[("body", "Ahora sí")]).await, 303);
        assert_eq!(app.count("discussion_replies").await, before + 1);
    }
);

// An overload is refused before any work: with two requests in hand (two writes waiting for a
// held writer), a third request, even a read, is answered 503 with Retry-After in Spanish at
// once, not after the writers' second; once they are answered, requests are served again.
both_backends!(
    an_overload_is_refused_at_once_before_any_work,
    |app: TestApp| async move {
        let app = app.with_max_in_flight(2);
        let (slug, thread, people) = workshop(&app, 1).await;
        let c = &people[0];
        let page = format!("/c/{slug}/discussions/{thread}");
        let path = format!("{page}/replies");
        let token = c.csrf().await;
        let held = match &app.db {
            Db::Sqlite(_) => (Some(app.db.begin().await.unwrap()), vec![]),
            Db::Postgres(p) => {
                let mut conns = vec![];
                for _ in 0..p.options().get_max_connections() {
                    conns.push(p.acquire().await.unwrap());
                }
                (None, conns)
            }
        };
        let waiting: Vec<_> = (0..2)
            .map(|i| {
                let c = c.clone();
                let (path, token) = (path.clone(), token.clone());
                tokio::spawn(async move {
                    let body = format!("Espera {i}");
                    c.post_raw(&path, &[("_csrf", token.as_str()), ("body", body.as_str())])
                        .await
                        .status
                        .as_u16()
                })
            })
            .collect();
        while app
            .state
            .in_flight
            .load(std::sync::atomic::Ordering::SeqCst)
            < 2
        {
            tokio::task::yield_now().await;
        }
        let t = std::time::Instant::now();
        let r = c.get(&page).await;
        let took = t.elapsed();
        assert_status(&r, 503);
        assert!(r.headers.contains_key(header::RETRY_AFTER));
        assert!(r.body.contains("Ocupado, inténtalo de nuevo"), "{}", r.body);
        // Refused without waiting for the writers ahead (they wait up to a second).
        assert!(
            app.state
                .in_flight
                .load(std::sync::atomic::Ordering::SeqCst)
                == 2,
            "the refusal came only after the writers were answered ({took:?})"
        );
        // Static files are not counted (nor health checks, which on PostgreSQL would find no
        // free connection here).
        assert_status(&app.client().get("/static/style.css").await, 200);
        drop(held);
        for w in waiting {
            let s = w.await.unwrap();
            assert!(s == 303 || s == 503, "{s}");
        }
        assert_status(&c.get(&page).await, 200);
    }
);
