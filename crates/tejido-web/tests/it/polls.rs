//! Polls: route tests (both backends). Authorization route by route, anonymity proved on the
//! schema and the stored rows, small-group hiding, the results' arithmetic against hand-computed
//! figures, CSV without identifying columns, invalid answers (422, nothing written) and CSRF.

use super::*;

struct Cast {
    slug: String,
    cid: i64,
    outsider: Client,
    member: Client,
    leader: Client,
}

async fn cast(app: &TestApp) -> Cast {
    let n = next_n();
    let (outsider, _, _) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante{n}@example.org"), false)
        .await;
    let (leader, _, leader_p) = app.signed_in(&format!("lider{n}@example.org"), false).await;
    let (cid, slug) = app
        .community(&format!("Red de Aprendizaje {n}"), leader_p, "private")
        .await;
    app.add_member(cid, member_p, Role::Member).await;
    Cast {
        slug,
        cid,
        outsider,
        member,
        leader,
    }
}

async fn event(app: &TestApp, cid: i64) -> i64 {
    let t = tejido_db::now();
    let sql = "INSERT INTO events (community_id, title, kind, mode, starts_at, ends_at, time_zone, status, created_at, updated_at)
               VALUES ($1, 'Encuentro', 'meeting', 'in-person', $2, $2, 'America/Mexico_City', 'held', $2, $2) RETURNING id";
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql)
            .bind(cid)
            .bind(t)
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql)
            .bind(cid)
            .bind(t)
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

async fn strings(app: &TestApp, sql: &str) -> Vec<String> {
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
    }
}

/// Creates a poll through the pages and returns its id.
async fn new_poll(w: &Cast, anonymous: bool) -> i64 {
    new_poll_with(w, anonymous, false).await
}

/// Creates a poll, with breakdowns (organization and position level kept) when asked.
async fn new_poll_with(w: &Cast, anonymous: bool, breakdowns: bool) -> i64 {
    let mut f = vec![("title", "Satisfacción del encuentro")];
    if anonymous {
        f.push(("anonymous", "on"));
    }
    if breakdowns {
        f.push(("breakdowns", "on"));
    }
    let r = w
        .leader
        .post_form(&format!("/c/{}/polls", w.slug), &f)
        .await;
    assert_status(&r, 303);
    r.location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn add_q(w: &Cast, poll: i64, kind: &str, text: &str, options: &str) -> i64 {
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/polls/{poll}/questions", w.slug),
            &[
                ("kind", kind),
                ("text", text),
                ("options", options),
                ("required", "on"),
            ],
        )
        .await;
    assert_status(&r, 303);
    let j = w
        .leader
        .get(&format!("/api/v1/communities/{}/polls/{poll}", w.slug))
        .await
        .json();
    j["questions"].as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn open(w: &Cast, poll: i64) {
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/polls/{poll}/status", w.slug),
            &[("status", "open")],
        )
        .await;
    assert_status(&r, 303);
}

/// (method, path, member's status, leader's status); anonymous visitors go to sign in and
/// outsiders get 403 on every one.
pub(crate) const ROUTES: &[(&str, &str, u16, u16)] = &[
    ("GET", "/c/{slug}/polls", 200, 200),
    ("POST", "/c/{slug}/polls", 403, 303),
    ("POST", "/c/{slug}/polls/from-template", 403, 303),
    ("GET", "/c/{slug}/polls/{id}", 200, 200),
    ("POST", "/c/{slug}/polls/{id}/settings", 403, 303),
    ("POST", "/c/{slug}/polls/{id}/questions", 403, 303),
    ("POST", "/c/{slug}/polls/{id}/questions/{q}", 403, 303),
    ("POST", "/c/{slug}/polls/{id}/questions/{q}/move", 403, 303),
    ("GET", "/c/{slug}/polls/{id}/questions/{q}/delete", 403, 200),
    (
        "POST",
        "/c/{slug}/polls/{id}/questions/{q}/delete",
        403,
        303,
    ),
    ("GET", "/c/{slug}/polls/{id}/preview", 403, 200),
    ("POST", "/c/{slug}/polls/{id}/duplicate", 403, 303),
    ("POST", "/c/{slug}/polls/{id}/status", 403, 303),
    ("POST", "/c/{slug}/polls/{id}/remind", 403, 303),
    ("GET", "/c/{slug}/polls/{id}/answer", 200, 200),
    ("POST", "/c/{slug}/polls/{id}/answer", 303, 303),
    ("GET", "/c/{slug}/polls/{id}/results", 200, 200),
    ("GET", "/c/{slug}/polls/{id}/results.csv", 200, 200),
    ("GET", "/c/{slug}/polls/{id}/responses.csv", 403, 200),
    ("GET", "/c/{slug}/reviews", 200, 200),
    ("POST", "/c/{slug}/reviews", 403, 303),
    ("GET", "/c/{slug}/reviews/{id}", 200, 200),
    ("POST", "/c/{slug}/reviews/{id}/contribute", 303, 303),
    ("POST", "/c/{slug}/reviews/{id}/consolidate", 403, 303),
    ("POST", "/c/{slug}/reviews/{id}/outcomes", 403, 303),
];

#[test]
fn every_polls_route_is_in_the_table() {
    let table: Vec<_> = ROUTES.iter().map(|(m, p, _, _)| (*m, *p)).collect();
    assert_pages_listed("polls", &table, |_| false);
}

async fn counts(app: &TestApp) -> [i64; 6] {
    [
        app.count("polls").await,
        app.count("poll_questions").await,
        app.count("poll_responses").await,
        app.count("poll_participants").await,
        app.count("learning_reviews").await,
        app.count("learning_review_entries").await,
    ]
}

both_backends!(authorization_route_by_route, |app: TestApp| async move {
    let w = cast(&app).await;
    let ev = event(&app, w.cid).await;
    // An open poll (answered by the routes) and a draft (built by them).
    let open_poll = new_poll(&w, true).await;
    let lq = add_q(&w, open_poll, "likert", "Me sentí escuchada", "").await;
    open(&w, open_poll).await;
    let draft = new_poll(&w, false).await;
    let q1 = add_q(&w, draft, "single", "¿Volverías?", "Sí\nNo").await;
    add_q(&w, draft, "short", "Comentario", "").await;
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/reviews", w.slug),
            &[
                ("kind", "aar"),
                ("title", "RDA del encuentro"),
                ("event", &ev.to_string()),
            ],
        )
        .await;
    assert_status(&r, 303);
    let review = scalar(&app, "SELECT MAX(id) FROM learning_reviews").await;
    let anon = app.client();
    let lq_key = format!("q{lq}");
    for (method, tpl, member_st, leader_st) in ROUTES {
        let builder = [
            "/settings",
            "/questions",
            "/questions/{q}",
            "/move",
            "/delete",
            "/preview",
            "/status",
        ]
        .iter()
        .any(|s| tpl.ends_with(s));
        let id = if tpl.contains("/reviews/") {
            review
        } else if builder {
            draft
        } else {
            open_poll
        };
        let path = tpl
            .replace("{slug}", &w.slug)
            .replace("{id}", &id.to_string())
            .replace("{q}", &q1.to_string());
        let body: Vec<(&str, &str)> = if path.ends_with("/polls") {
            vec![("title", "Otro sondeo")]
        } else if path.ends_with("/from-template") {
            vec![("template", "learning")]
        } else if path.ends_with("/settings") {
            vec![("title", "Vuelta")]
        } else if path.ends_with("/questions") {
            vec![("kind", "nps"), ("text", "¿Recomendarías?")]
        } else if tpl.ends_with("/questions/{q}") {
            vec![
                ("kind", "single"),
                ("text", "¿Volverías pronto?"),
                ("options", "Sí\nNo"),
            ]
        } else if path.ends_with("/move") {
            vec![("dir", "down")]
        } else if path.ends_with("/status") {
            vec![("status", "open")]
        } else if path.ends_with("/answer") {
            vec![(lq_key.as_str(), "4")]
        } else if path.ends_with("/reviews") {
            vec![("kind", "ai"), ("title", "Indagación")]
        } else if path.ends_with("/contribute") || path.ends_with("/consolidate") {
            vec![("planned", "Acordar una agenda común")]
        } else if path.ends_with("/outcomes") {
            vec![("what", "lesson"), ("text", "Enviar materiales antes")]
        } else {
            vec![]
        };
        if *method == "GET" {
            assert_to_login(&anon.get(&path).await);
            assert_status(&w.outsider.get(&path).await, 403);
            assert_status(&w.member.get(&path).await, *member_st);
            assert_status(&w.leader.get(&path).await, *leader_st);
        } else {
            let before = counts(&app).await;
            assert_to_login(&anon.post_form(&path, &body).await);
            assert_status(&w.outsider.post_form(&path, &body).await, 403);
            assert_eq!(
                before,
                counts(&app).await,
                "{path}: a refused request wrote something"
            );
            // Without the CSRF token even the leader is refused.
            assert_status(&w.leader.post_raw(&path, &body).await, 403);
            assert_eq!(
                before,
                counts(&app).await,
                "{path}: CSRF-less request wrote"
            );
            assert_status(&w.member.post_form(&path, &body).await, *member_st);
            assert_status(&w.leader.post_form(&path, &body).await, *leader_st);
        }
    }
    // The lesson went to the event through the minutes' storage; opening sent invitations.
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM event_lessons WHERE event_id = {ev}")
        )
        .await,
        1
    );
    assert!(app.count("outbox").await >= 2);
    // JSON: 401 anonymous, 403 outsider.
    let api = format!("/api/v1/communities/{}/polls", w.slug);
    assert_status(&anon.get(&api).await, 401);
    assert_status(&w.outsider.get(&api).await, 403);
    assert_status(&w.member.get(&api).await, 200);
});

// Six members answer an anonymous poll with hand-picked values.
both_backends!(
    anonymity_arithmetic_groups_and_csv,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let poll = new_poll_with(&w, true, true).await;
        let nps = add_q(&w, poll, "nps", "¿Recomendarías la comunidad?", "").await;
        let lik = add_q(&w, poll, "likert", "Aprendí algo útil", "").await;
        let pp = add_q(&w, poll, "pre-post", "Mi conocimiento del tema", "").await;
        open(&w, poll).await;
        let org = org_with(&app, "Colectivo Norte", "cso", "08").await;
        // NPS 10 9 9 7 6 3; Likert 5 4 4 3 2 5; before/after (1,3) (2,3) (2,5) (3,5) (2,4) (2,4).
        let answers = [
            ("10", "5", "1", "3"),
            ("9", "4", "2", "3"),
            ("9", "4", "2", "5"),
            ("7", "3", "3", "5"),
            ("6", "2", "2", "4"),
            ("3", "5", "2", "4"),
        ];
        let path = format!("/c/{}/polls/{poll}/answer", w.slug);
        let mut names = vec![];
        for (i, (a, b, c, d)) in answers.iter().enumerate() {
            let n = next_n();
            let name = format!("persona{n}@example.org");
            let (cl, _, pid) = app.signed_in(&name, false).await;
            app.add_member(w.cid, pid, Role::Member).await;
            if i < 5 {
                exec(
                    &app,
                    &format!("UPDATE people SET organization_id = {org} WHERE id = {pid}"),
                )
                .await
                .unwrap();
            }
            names.push(name);
            if i == 0 {
                // Invalid: out of range and half a pre/post pair → 422, nothing written.
                let before = counts(&app).await;
                let r = cl
                    .post_form(
                        &path,
                        &[
                            (&format!("q{nps}"), "11"),
                            (&format!("q{lik}"), "4"),
                            (&format!("q{pp}-pre"), "2"),
                        ],
                    )
                    .await;
                assert_status(&r, 422);
                assert_eq!(before, counts(&app).await);
            }
            let f = [
                (format!("q{nps}"), *a),
                (format!("q{lik}"), *b),
                (format!("q{pp}-pre"), *c),
                (format!("q{pp}-post"), *d),
            ];
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            assert_status(&cl.post_form(&path, &f).await, 303);
            // A second answer is not counted.
            assert_status(&cl.post_form(&path, &f).await, 303);
        }
        // Five answers were published as one batch; the sixth is held, counted as answered but
        // not in the results, which say why.
        let held = format!("SELECT COUNT(*) FROM poll_held WHERE poll_id = {poll}");
        assert_eq!(scalar(&app, &held).await, 1);
        let results_api = format!("/api/v1/communities/{}/polls/{poll}/results", w.slug);
        let j = w.member.get(&results_api).await.json();
        assert_eq!(
            (&j["responses"], &j["held"], &j["answered"]),
            (&json!(5), &json!(1), &json!(6))
        );
        let page = w
            .member
            .get(&format!("/c/{}/polls/{poll}/results", w.slug))
            .await;
        assert!(
            page.body.contains("se publican en lotes de 5"),
            "{}",
            page.body
        );
        let show = w.member.get(&format!("/c/{}/polls/{poll}", w.slug)).await;
        assert!(show.body.contains("Respondieron: 6"));
        // Closing publishes the rest, however few.
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/polls/{poll}/status", w.slug),
                &[("status", "closed")],
            )
            .await;
        assert_status(&r, 303);
        assert_eq!(scalar(&app, &held).await, 0);
        assert_eq!(app.count("poll_held_answers").await, 0);
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM poll_responses WHERE poll_id = {poll}")
            )
            .await,
            6
        );
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM poll_participants WHERE poll_id = {poll}")
            )
            .await,
            6
        );

        // The schema: response tables carry no person, session, address or time of day.
        let cols = |t: &str| {
            match app.db {
        Db::Sqlite(_) => format!("SELECT name FROM pragma_table_info('{t}') ORDER BY name"),
        Db::Postgres(_) => format!("SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_name = '{t}' ORDER BY column_name"),
    }
        };
        assert_eq!(
            strings(&app, &cols("poll_responses")).await,
            [
                "id",
                "organization_id",
                "poll_id",
                "position_level",
                "submitted_on"
            ]
        );
        assert_eq!(
            strings(&app, &cols("poll_answers")).await,
            ["num", "num2", "question_id", "response_id", "text"]
        );
        assert_eq!(
            strings(&app, &cols("poll_participants")).await,
            ["person_id", "poll_id"]
        );
        if let Db::Postgres(_) = app.db {
            let t = strings(&app, "SELECT CAST(data_type AS TEXT) FROM information_schema.columns WHERE table_name = 'poll_responses' AND column_name = 'submitted_on'").await;
            assert_eq!(t, ["date"]);
        } else {
            let rowid = strings(&app, "SELECT sql FROM sqlite_master WHERE name IN ('poll_responses', 'poll_answers', 'poll_participants')").await;
            assert!(
                rowid.iter().all(|s| s.contains("WITHOUT ROWID")),
                "{rowid:?}"
            );
        }
        // The rows: random ids, a bare date, no author.
        let ids = strings(
            &app,
            &format!("SELECT id FROM poll_responses WHERE poll_id = {poll}"),
        )
        .await;
        assert!(
            ids.iter().all(|i| i.len() == 32
                && i.chars().all(|c| c.is_ascii_hexdigit())
                && i.parse::<i64>().is_err()),
            "{ids:?}"
        );
        let dates = strings(
            &app,
            &format!(
                "SELECT CAST(submitted_on AS TEXT) FROM poll_responses WHERE poll_id = {poll}"
            ),
        )
        .await;
        assert!(dates.iter().all(|d| d.len() == 10), "{dates:?}");
        assert_eq!(app.count("poll_response_authors").await, 0);

        // Arithmetic through the API, against hand-computed figures.
        let j = w
            .member
            .get(&format!(
                "/api/v1/communities/{}/polls/{poll}/results",
                w.slug
            ))
            .await
            .json();
        assert_eq!(j["responses"], 6);
        let qs = j["questions"].as_array().unwrap();
        assert_eq!(qs[0]["nps"], "16.7"); // (3 − 2) / 6
        assert_eq!(qs[0]["median"], "8.0"); // 3 6 7 9 9 10
        assert_eq!(qs[0]["mean"], "7.33");
        assert_eq!(qs[1]["mean"], "3.83"); // 23 / 6
        assert_eq!(qs[1]["median"], "4.0");
        assert_eq!(qs[1]["distribution"][4]["count"], 2);
        let p = &qs[2]["paired"];
        assert_eq!(p["n"], 6);
        assert!((p["mean_diff"].as_f64().unwrap() - 2.0).abs() < 1e-9);
        assert!((p["sd_diff"].as_f64().unwrap() - 0.4f64.sqrt()).abs() < 1e-9); // diffs 2 1 3 2 2 2
                                                                                // Small groups: five in the organization are shown, the one without is hidden.
        assert_eq!(
            j["by_organization"]["groups"],
            json!([{ "label": "Colectivo Norte", "n": 5 }])
        );
        assert_eq!(j["by_organization"]["hidden_groups"], 1);
        // The page shows the same, with SVG charts.
        let page = w
            .member
            .get(&format!("/c/{}/polls/{poll}/results", w.slug))
            .await;
        assert!(
            page.body.contains("16.7")
                && page.body.contains("<svg")
                && page.body.contains("Totalmente de acuerdo")
        );
        // CSV of an anonymous poll: a sequence number and the answers, nothing else.
        let csv = w
            .leader
            .get(&format!("/c/{}/polls/{poll}/responses.csv", w.slug))
            .await;
        assert_status(&csv, 200);
        let head = csv.body.lines().next().unwrap();
        assert!(head.starts_with("\"n\",\"¿Recomendarías"), "{head}");
        assert_eq!(csv.body.lines().count(), 7);
        for n in &names {
            let local = n.split('@').next().unwrap();
            assert!(!csv.body.contains(local));
        }
        assert!(!ids.iter().any(|i| csv.body.contains(i.as_str())));
        let agg = w
            .member
            .get(&format!("/c/{}/polls/{poll}/results.csv", w.slug))
            .await;
        assert!(agg.body.contains("\"16.7\""), "{}", agg.body);
    }
);

both_backends!(templates_and_duplicate, |app: TestApp| async move {
    let w = cast(&app).await;
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/polls/from-template", w.slug),
            &[("template", "satisfaction")],
        )
        .await;
    assert_status(&r, 303);
    let id: i64 = r
        .location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let j = w
        .leader
        .get(&format!("/api/v1/communities/{}/polls/{id}", w.slug))
        .await
        .json();
    assert_eq!(j["questions"].as_array().unwrap().len(), 5);
    let en = english(w.leader.clone());
    let r = en
        .post_form(
            &format!("/c/{}/polls/from-template", w.slug),
            &[("template", "peers")],
        )
        .await;
    let id2: i64 = r
        .location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let j = en
        .get(&format!("/api/v1/communities/{}/polls/{id2}", w.slug))
        .await
        .json();
    assert_eq!(
        j["poll"]["title"],
        "Perception of peers and of the community"
    );
    let r = w
        .leader
        .post_form(&format!("/c/{}/polls/{id}/duplicate", w.slug), &[])
        .await;
    let id3: i64 = r
        .location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let j = w
        .leader
        .get(&format!("/api/v1/communities/{}/polls/{id3}", w.slug))
        .await
        .json();
    assert_eq!(j["questions"].as_array().unwrap().len(), 5);
    // An unknown template and a question without text: 422, nothing written.
    let before = counts(&app).await;
    assert_status(
        &w.leader
            .post_form(
                &format!("/c/{}/polls/from-template", w.slug),
                &[("template", "nada")],
            )
            .await,
        422,
    );
    assert_status(
        &w.leader
            .post_form(
                &format!("/c/{}/polls/{id}/questions", w.slug),
                &[("kind", "single"), ("text", ""), ("options", "solo una")],
            )
            .await,
        422,
    );
    assert_eq!(before, counts(&app).await);
});

async fn question_row(app: &TestApp, q: i64) -> (String, String, String, bool) {
    let sql = format!("SELECT kind, text, options, required FROM poll_questions WHERE id = {q}");
    match &app.db {
        Db::Sqlite(p) => sqlx::query_as(&sql).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(&sql).fetch_one(p).await.unwrap(),
    }
}

// A question is edited (page and API) while nobody answered, and refused once someone did.
both_backends!(edit_question_until_answered, |app: TestApp| async move {
    let w = cast(&app).await;
    let poll = new_poll(&w, true).await;
    let q = add_q(&w, poll, "single", "¿Volverías?", "Sí\nNo").await;
    let page = format!("/c/{}/polls/{poll}/questions/{q}", w.slug);
    let api = format!("/api/v1/communities/{}/polls/{poll}/questions/{q}", w.slug);
    let token = w.leader.csrf().await;
    let edit = [
        ("kind", "single"),
        ("text", "¿Regresarías al próximo encuentro?"),
        ("options", "Sí\nTal vez\nNo"),
        ("level", "reaction"),
    ];
    // Only managers, with the CSRF token.
    assert_status(&w.member.post_form(&page, &edit).await, 403);
    assert_status(&w.outsider.post_form(&page, &edit).await, 403);
    assert_status(&w.leader.post_raw(&page, &edit).await, 403);
    let original = question_row(&app, q).await;
    assert_eq!(original.1, "¿Volverías?");
    // The builder page offers the edit form, filled with the stored values.
    let body = w
        .leader
        .get(&format!("/c/{}/polls/{poll}", w.slug))
        .await
        .body;
    assert!(body.contains(&format!(
        "action=\"/c/{}/polls/{poll}/questions/{q}\"",
        w.slug
    )));
    assert!(body.contains("Editar pregunta"));
    let r = w.leader.post_form(&page, &edit).await;
    assert_status(&r, 303);
    assert_eq!(
        question_row(&app, q).await,
        (
            "single".into(),
            "¿Regresarías al próximo encuentro?".into(),
            "Sí\nTal vez\nNo".into(),
            false
        )
    );
    // Invalid: a single choice with one option; nothing changes, the error is in Spanish.
    let r = w
        .leader
        .post_form(
            &page,
            &[("kind", "single"), ("text", "x"), ("options", "Sí")],
        )
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("aria-invalid") || r.body.contains("class=\"error\""));
    assert_eq!(
        question_row(&app, q).await.1,
        "¿Regresarías al próximo encuentro?"
    );
    // API: a partial edit keeps the other fields.
    let r = w
        .leader
        .json(
            Method::PATCH,
            &api,
            &json!({ "text": "¿Volverías a participar?", "required": true }),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_status(&r, 200);
    assert_eq!(
        question_row(&app, q).await,
        (
            "single".into(),
            "¿Volverías a participar?".into(),
            "Sí\nTal vez\nNo".into(),
            true
        )
    );
    let mtoken = w.member.csrf().await;
    let r = w
        .member
        .json(
            Method::PATCH,
            &api,
            &json!({ "text": "hack" }),
            &[("x-csrf-token", &mtoken)],
        )
        .await;
    assert_status(&r, 403);
    let r = w
        .leader
        .json(
            Method::POST,
            &api,
            &json!({ "options": ["Sí", "No"] }),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_status(&r, 200);
    assert_eq!(question_row(&app, q).await.2, "Sí\nNo");
    // A question of another poll is not found through this poll.
    let other = new_poll(&w, false).await;
    let oq = add_q(&w, other, "short", "Comentario", "").await;
    let r = w
        .leader
        .post_form(&format!("/c/{}/polls/{poll}/questions/{oq}", w.slug), &edit)
        .await;
    assert_status(&r, 404);
    // Open without responses: still editable.
    open(&w, poll).await;
    let r = w
        .leader
        .post_form(
            &page,
            &[
                ("kind", "single"),
                ("text", "¿Volverías?"),
                ("options", "Sí\nNo"),
                ("required", "on"),
            ],
        )
        .await;
    assert_status(&r, 303);
    // Once someone answered, editing is refused with a clear message and nothing changes.
    let r = w
        .member
        .post_form(
            &format!("/c/{}/polls/{poll}/answer", w.slug),
            &[(&format!("q{q}"), "0")],
        )
        .await;
    assert_status(&r, 303);
    let before = question_row(&app, q).await;
    let r = w.leader.post_form(&page, &edit).await;
    assert_status(&r, 422);
    assert!(r.body.contains("el sondeo tiene respuestas"), "{}", r.body);
    let r = w
        .leader
        .json(
            Method::PATCH,
            &api,
            &json!({ "text": "Otra" }),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_status(&r, 422);
    assert_eq!(r.json()["fields"][0]["code"], "poll-error-answered");
    assert_eq!(question_row(&app, q).await, before);
    // The page says the questions are fixed and no longer offers the edit form.
    let body = w
        .leader
        .get(&format!("/c/{}/polls/{poll}", w.slug))
        .await
        .body;
    assert!(!body.contains("Editar pregunta"));
    assert!(body.contains("sus preguntas quedan fijas"));
});

// A poll opened ahead of its opening time sends its invitations when that time comes, once.
both_backends!(invitations_at_opening_time, |app: TestApp| async move {
    let w = cast(&app).await;
    let opens = (chrono::Utc::now() + chrono::Duration::days(3))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/polls", w.slug),
            &[("title", "Pulso de marzo"), ("opens_at", &opens)],
        )
        .await;
    assert_status(&r, 303);
    let poll: i64 = r
        .location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    add_q(&w, poll, "likert", "La comunidad me escucha", "").await;
    // A draft whose time has come is never sent: it is unfinished.
    let draft = new_poll(&w, false).await;
    add_q(&w, draft, "short", "Comentario", "").await;
    exec(
        &app,
        &format!("UPDATE polls SET opens_at = created_at WHERE id = {draft}"),
    )
    .await
    .unwrap();
    let mails = app.count("outbox").await;
    open(&w, poll).await;
    assert_eq!(
        app.count("outbox").await,
        mails,
        "opening ahead of time sends nothing yet"
    );
    let body = w
        .leader
        .get(&format!("/c/{}/polls/{poll}", w.slug))
        .await
        .body;
    assert!(body.contains("Sondeo programado"), "{body}");
    let now = chrono::Utc::now();
    let sent = tejido_web::features::polls::send_due_invitations(&app.state, now)
        .await
        .unwrap();
    assert_eq!(sent, 0, "not due yet");
    assert_eq!(app.count("outbox").await, mails);
    let later = now + chrono::Duration::days(4);
    let sent = tejido_web::features::polls::send_due_invitations(&app.state, later)
        .await
        .unwrap();
    assert_eq!(sent, 1);
    // Leader and member, each once.
    assert_eq!(app.count("outbox").await, mails + 2);
    let member_email = scalar_text(
        &app,
        &format!(
            "SELECT u.email FROM users u JOIN community_people cp ON cp.person_id = u.person_id
             WHERE cp.community_id = {} AND u.email LIKE 'integrante%'",
            w.cid
        ),
    )
    .await;
    let m = app.last_mail(&member_email).await.unwrap();
    assert!(m.subject.contains("Pulso de marzo"), "{}", m.subject);
    assert!(m
        .body_text
        .contains(&format!("/c/{}/polls/{poll}/answer", w.slug)));
    // Idempotent: a second pass (or a second worker) sends nothing.
    let sent = tejido_web::features::polls::send_due_invitations(&app.state, later)
        .await
        .unwrap();
    assert_eq!(sent, 0);
    assert_eq!(app.count("outbox").await, mails + 2);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM polls WHERE id = {draft} AND invited_at IS NULL")
        )
        .await,
        1
    );
    // Reopening later does not invite again.
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/polls/{poll}/status", w.slug),
            &[("status", "closed")],
        )
        .await;
    assert_status(&r, 303);
    open(&w, poll).await;
    assert_eq!(app.count("outbox").await, mails + 2);
});

async fn scalar_text(app: &TestApp, sql: &str) -> String {
    strings(app, sql).await.into_iter().next().unwrap()
}

// After Action Reviews and Appreciative Inquiry through the JSON API, with the pages' rules.
both_backends!(reviews_through_the_api, |app: TestApp| async move {
    let w = cast(&app).await;
    let ev = event(&app, w.cid).await;
    let api = format!("/api/v1/communities/{}/reviews", w.slug);
    let lt = w.leader.csrf().await;
    let mt = w.member.csrf().await;
    let ot = w.outsider.csrf().await;
    let body = json!({ "kind": "aar", "title": "RDA del foro regional", "event": ev.to_string() });
    let before = counts(&app).await;
    // Anonymous: refused (no session, no token), and a GET asks to sign in.
    assert_status(
        &app.client().json(Method::POST, &api, &body, &[]).await,
        403,
    );
    assert_status(&app.client().get(&api).await, 401);
    assert_status(
        &w.outsider
            .json(Method::POST, &api, &body, &[("x-csrf-token", &ot)])
            .await,
        403,
    );
    assert_status(
        &w.member
            .json(Method::POST, &api, &body, &[("x-csrf-token", &mt)])
            .await,
        403,
    );
    assert_status(&w.leader.json(Method::POST, &api, &body, &[]).await, 403);
    let bad = w
        .leader
        .json(
            Method::POST,
            &api,
            &json!({ "kind": "otro", "title": "" }),
            &[("x-csrf-token", &lt)],
        )
        .await;
    assert_status(&bad, 422);
    assert_eq!(before, counts(&app).await);
    let r = w
        .leader
        .json(Method::POST, &api, &body, &[("x-csrf-token", &lt)])
        .await;
    assert_status(&r, 201);
    let id = r.json()["review"]["id"].as_i64().unwrap();
    assert_eq!(r.json()["review"]["kind"], "aar");
    // Contributions: members yes, outsiders no; at least one section.
    let contribute = format!("{api}/{id}/contribute");
    let sections =
        json!({ "sections": { "planned": "Acordar una agenda común", "why": "Faltó tiempo" } });
    assert_status(
        &w.outsider
            .json(
                Method::POST,
                &contribute,
                &sections,
                &[("x-csrf-token", &ot)],
            )
            .await,
        403,
    );
    let empty = w
        .member
        .json(
            Method::POST,
            &contribute,
            &json!({ "sections": {} }),
            &[("x-csrf-token", &mt)],
        )
        .await;
    assert_status(&empty, 422);
    let r = w
        .member
        .json(
            Method::POST,
            &contribute,
            &sections,
            &[("x-csrf-token", &mt)],
        )
        .await;
    assert_status(&r, 201);
    assert_eq!(r.json()["entries"].as_array().unwrap().len(), 2);
    // Consolidation: managers only.
    let consolidate = format!("{api}/{id}/consolidate");
    let text =
        json!({ "sections": { "sustain": "Los materiales previos", "improve": "La puntualidad" } });
    assert_status(
        &w.member
            .json(Method::POST, &consolidate, &text, &[("x-csrf-token", &mt)])
            .await,
        403,
    );
    let r = w
        .leader
        .json(Method::POST, &consolidate, &text, &[("x-csrf-token", &lt)])
        .await;
    assert_status(&r, 201);
    let entries = r.json()["entries"].as_array().unwrap().clone();
    assert_eq!(
        entries.iter().filter(|e| e["consolidated"] == true).count(),
        2
    );
    // Outcomes: managers only; they land on the review's event.
    let outcomes = format!("{api}/{id}/outcomes");
    let lesson = json!({ "what": "lesson", "text": "Enviar los materiales una semana antes" });
    assert_status(
        &w.member
            .json(Method::POST, &outcomes, &lesson, &[("x-csrf-token", &mt)])
            .await,
        403,
    );
    let bogus = w
        .leader
        .json(
            Method::POST,
            &outcomes,
            &json!({ "what": "otro" }),
            &[("x-csrf-token", &lt)],
        )
        .await;
    assert_status(&bogus, 422);
    assert_status(
        &w.leader
            .json(Method::POST, &outcomes, &lesson, &[("x-csrf-token", &lt)])
            .await,
        201,
    );
    let owner = scalar(
        &app,
        &format!(
            "SELECT MIN(person_id) FROM community_people WHERE community_id = {}",
            w.cid
        ),
    )
    .await;
    let item = json!({ "what": "item", "title": "Circular la relatoría", "owner": owner.to_string(), "due_on": "2030-01-15" });
    assert_status(
        &w.leader
            .json(Method::POST, &outcomes, &item, &[("x-csrf-token", &lt)])
            .await,
        201,
    );
    let bad_owner =
        json!({ "what": "item", "title": "Otra", "owner": "999999", "due_on": "2030-01-15" });
    assert_status(
        &w.leader
            .json(
                Method::POST,
                &outcomes,
                &bad_owner,
                &[("x-csrf-token", &lt)],
            )
            .await,
        422,
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM event_lessons WHERE event_id = {ev}")
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM event_action_items WHERE event_id = {ev}")
        )
        .await,
        1
    );
    // An Appreciative Inquiry without an event takes contributions but no outcomes.
    let r = w
        .leader
        .json(
            Method::POST,
            &api,
            &json!({ "kind": "ai", "title": "Indagación apreciativa" }),
            &[("x-csrf-token", &lt)],
        )
        .await;
    assert_status(&r, 201);
    let ai = r.json()["review"]["id"].as_i64().unwrap();
    let r = w
        .member
        .json(
            Method::POST,
            &format!("{api}/{ai}/contribute"),
            &json!({ "sections": { "dream": "Una red que se sostiene sola" } }),
            &[("x-csrf-token", &mt)],
        )
        .await;
    assert_status(&r, 201);
    let r = w
        .leader
        .json(
            Method::POST,
            &format!("{api}/{ai}/outcomes"),
            &lesson,
            &[("x-csrf-token", &lt)],
        )
        .await;
    assert_status(&r, 422);
    // Another community's review is not found here.
    assert_status(
        &w.leader
            .json(
                Method::POST,
                &format!("{api}/999999/contribute"),
                &sections,
                &[("x-csrf-token", &lt)],
            )
            .await,
        404,
    );
    // The pages show why an outcome was refused.
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/reviews/{ai}/outcomes", w.slug),
            &[("what", "lesson"), ("text", "Algo")],
        )
        .await;
    assert_status(&r, 422);
    assert!(
        r.body.contains("Vincula la revisión a un evento"),
        "{}",
        r.body
    );
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/reviews/{id}/outcomes", w.slug),
            &[("what", "lesson"), ("text", "")],
        )
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("Este campo es obligatorio."));
    let got = w.member.get(&format!("{api}/{id}")).await;
    assert_status(&got, 200);
    assert_eq!(got.json()["entries"].as_array().unwrap().len(), 4);
});

// ---- anonymity in the files ------------------------------------------------------------------

/// What a copy of a SQLite database holds: the database file and its write-ahead log, raw bytes.
async fn sqlite_files(p: &sqlx::SqlitePool) -> (Vec<u8>, Vec<u8>) {
    let (_, _, file): (i64, String, String) = sqlx::query_as("PRAGMA database_list")
        .fetch_one(p)
        .await
        .unwrap();
    let db = std::fs::read(&file).unwrap();
    let wal = std::fs::read(format!("{file}-wal")).unwrap_or_default();
    (db, wal)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
}

/// A WAL's frames grouped by transaction (each ends with a commit frame): the page numbers written
/// and the pages' bytes. Frames left from an earlier generation of the log are read too, as
/// anyone holding the file could.
fn wal_transactions(wal: &[u8]) -> Vec<(Vec<u32>, Vec<u8>)> {
    if wal.len() < 32 {
        return vec![];
    }
    let page = be32(wal, 8) as usize;
    let mut out = vec![];
    let mut cur: (Vec<u32>, Vec<u8>) = (vec![], vec![]);
    let mut at = 32;
    while at + 24 + page <= wal.len() {
        cur.0.push(be32(wal, at));
        cur.1.extend_from_slice(&wal[at + 24..at + 24 + page]);
        if be32(wal, at + 4) != 0 {
            out.push(std::mem::take(&mut cur));
        }
        at += 24 + page;
    }
    if !cur.0.is_empty() {
        out.push(cur);
    }
    out
}

/// Fails when a copy of the files pairs an answer of `poll` (the words in `marks`, one per person)
/// with a participant row. SQLite: no transaction in the WAL writes both the participants' page
/// and a page holding an answer. PostgreSQL: no published response or answer row has the `xmin`
/// (writing transaction) of a participant row, and a batch's responses share one transaction.
async fn assert_unlinkable(app: &TestApp, poll: i64, marks: &[String]) {
    match &app.db {
        Db::Sqlite(p) => {
            let root: i64 = sqlx::query_scalar(
                "SELECT rootpage FROM sqlite_master WHERE name = 'poll_participants'",
            )
            .fetch_one(p)
            .await
            .unwrap();
            let (db, wal) = sqlite_files(p).await;
            // The participants fit one leaf page (type 0x0A), so that page number is all of them:
            // its latest version, in the WAL or else in the database file.
            let page = usize::from(u16::from_be_bytes([db[16], db[17]]));
            let txs = wal_transactions(&wal);
            let latest = txs
                .iter()
                .flat_map(|(pages, bytes)| {
                    pages
                        .iter()
                        .enumerate()
                        .map(move |(k, n)| (*n, bytes[k * page]))
                })
                .rfind(|(n, _)| i64::from(*n) == root)
                .map(|(_, t)| t)
                .unwrap_or_else(|| db[(root as usize - 1) * page]);
            assert_eq!(latest, 0x0A);
            for (pages, bytes) in txs {
                if !pages.contains(&(root as u32)) {
                    continue;
                }
                for m in marks {
                    assert!(
                        find(&bytes, m.as_bytes()).is_none(),
                        "one WAL transaction writes a participant row and the answer {m}"
                    );
                }
            }
        }
        Db::Postgres(p) => {
            let participants: Vec<String> =
                sqlx::query_scalar("SELECT xmin::text FROM poll_participants")
                    .fetch_all(p)
                    .await
                    .unwrap();
            let responses: Vec<String> = sqlx::query_scalar(
                "SELECT xmin::text FROM poll_responses WHERE poll_id = $1
                 UNION ALL SELECT a.xmin::text FROM poll_answers a JOIN poll_responses r ON r.id = a.response_id
                 WHERE r.poll_id = $1",
            )
            .bind(poll)
            .fetch_all(p)
            .await
            .unwrap();
            for x in &responses {
                assert!(
                    !participants.contains(x),
                    "a response row and a participant row share the transaction {x}"
                );
            }
            let published: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM poll_responses WHERE poll_id = $1")
                    .bind(poll)
                    .fetch_one(p)
                    .await
                    .unwrap();
            let mut distinct = responses.clone();
            distinct.sort();
            distinct.dedup();
            assert!(
                distinct.len() as i64 <= (published + 4) / 5,
                "{published} responses written by {} transactions",
                distinct.len()
            );
        }
    }
}

/// Whether the order in which the files store a poll's answers (the words in `marks`, in the
/// order of answering) is the order of answering, or its reverse: SQLite by the first place each
/// word occurs in the database file and then the WAL; PostgreSQL by physical row (`ctid`).
async fn stored_in_answering_order(app: &TestApp, question: i64, marks: &[String]) -> bool {
    let order: Vec<usize> = match &app.db {
        Db::Sqlite(p) => {
            let (mut bytes, wal) = sqlite_files(p).await;
            bytes.extend_from_slice(&wal);
            let mut at: Vec<(usize, usize)> = marks
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    (
                        find(&bytes, m.as_bytes()).expect("every answer is stored"),
                        i,
                    )
                })
                .collect();
            at.sort();
            at.into_iter().map(|(_, i)| i).collect()
        }
        Db::Postgres(p) => {
            let texts: Vec<String> = sqlx::query_scalar(
                "SELECT text FROM poll_answers WHERE question_id = $1 ORDER BY ctid",
            )
            .bind(question)
            .fetch_all(p)
            .await
            .unwrap();
            texts
                .iter()
                .map(|t| marks.iter().position(|m| m == t).unwrap())
                .collect()
        }
    };
    assert_eq!(order.len(), marks.len());
    let forward: Vec<usize> = (0..marks.len()).collect();
    let backward: Vec<usize> = (0..marks.len()).rev().collect();
    order == forward || order == backward
}

// People answer an anonymous poll one after another: 9 in one community, 12 in another. After
// every answer (with held answers waiting), after every published batch and after closing, a copy
// of the files must not pair any answer with its author; and the stored order of the published
// answers must not be the order of answering (in one poll or the other: each batch is shuffled, so
// both orders survive by chance once in more than 10^7 runs).
both_backends!(
    anonymous_answers_unlinkable_in_the_files,
    |app: TestApp| async move {
        let mut in_order = vec![];
        for (round, n) in [9usize, 12].into_iter().enumerate() {
            let w = cast(&app).await;
            let poll = new_poll(&w, true).await;
            let word = add_q(&w, poll, "short", "Una palabra sobre el encuentro", "").await;
            let lik = add_q(&w, poll, "likert", "Aprendí algo útil", "").await;
            open(&w, poll).await;
            let path = format!("/c/{}/polls/{poll}/answer", w.slug);
            // Each person's answer carries a word that only the test ties to them.
            let marks: Vec<String> = (0..n).map(|i| format!("qx{round}{i:02}zw")).collect();
            let published = format!("SELECT COUNT(*) FROM poll_responses WHERE poll_id = {poll}");
            for (i, mark) in marks.iter().enumerate() {
                let (cl, _, pid) = app
                    .signed_in(&format!("resp{}@example.org", next_n()), false)
                    .await;
                app.add_member(w.cid, pid, Role::Member).await;
                let org = org_with(&app, &format!("Colectivo {round}-{i}"), "cso", "08").await;
                exec(
                    &app,
                    &format!("UPDATE people SET organization_id = {org}, position_level = 'operational' WHERE id = {pid}"),
                )
                .await
                .unwrap();
                let likert = (i % 5 + 1).to_string();
                let f = [
                    (format!("q{word}"), mark.as_str()),
                    (format!("q{lik}"), likert.as_str()),
                ];
                let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), *v)).collect();
                assert_status(&cl.post_form(&path, &f).await, 303);
                // Published in batches of five; the rest held.
                assert_eq!(scalar(&app, &published).await as usize, (i + 1) / 5 * 5);
                assert_unlinkable(&app, poll, &marks[..=i]).await;
            }
            let r = w
                .leader
                .post_form(
                    &format!("/c/{}/polls/{poll}/status", w.slug),
                    &[("status", "closed")],
                )
                .await;
            assert_status(&r, 303);
            assert_eq!(scalar(&app, &published).await as usize, n);
            assert_unlinkable(&app, poll, &marks).await;
            in_order.push(stored_in_answering_order(&app, word, &marks).await);
            // Breakdowns were not announced: no organization or level was stored, none is shown.
            assert_eq!(
                scalar(
                    &app,
                    &format!("SELECT COUNT(*) FROM poll_responses WHERE poll_id = {poll} AND (organization_id IS NOT NULL OR position_level IS NOT NULL)")
                )
                .await,
                0
            );
            let j = w
                .member
                .get(&format!(
                    "/api/v1/communities/{}/polls/{poll}/results",
                    w.slug
                ))
                .await
                .json();
            assert_eq!(j["responses"], n);
            assert_eq!(j["held"], 0);
            assert!(j["by_organization"].is_null(), "{j}");
            let texts = j["questions"][0]["texts"].as_array().unwrap();
            assert_eq!(texts.len(), n);
        }
        assert!(
            in_order.iter().any(|o| !o),
            "the files keep the answers in the order they were given"
        );
    }
);

// Organization and position level are stored only when the poll announces them before answering;
// then groups under five stay hidden on the page and in the API. The setting is fixed once
// anyone answered, and the API shows it.
both_backends!(breakdowns_only_when_announced, |app: TestApp| async move {
    let w = cast(&app).await;
    let poll = new_poll_with(&w, true, true).await;
    let lik = add_q(&w, poll, "likert", "Aprendí algo útil", "").await;
    open(&w, poll).await;
    let api = format!("/api/v1/communities/{}/polls/{poll}", w.slug);
    assert_eq!(w.member.get(&api).await.json()["poll"]["breakdowns"], true);
    // Announced on the answer page, before the form.
    let page = w
        .member
        .get(&format!("/c/{}/polls/{poll}/answer", w.slug))
        .await;
    let notice = page.body.find("breakdowns-notice").unwrap();
    let form = format!("action=\"/c/{}/polls/{poll}/answer\"", w.slug);
    assert!(notice < page.body.find(&form).unwrap());
    assert!(page.body.contains("tu organización y tu nivel de puesto"));
    // Six in one organization (five at the operational level, one leader), one elsewhere.
    let big = org_with(&app, "Colectivo Sur", "cso", "08").await;
    let small = org_with(&app, "Fundación Pequeña", "cso", "08").await;
    let path = format!("/c/{}/polls/{poll}/answer", w.slug);
    for i in 0..7 {
        let (cl, _, pid) = app
            .signed_in(&format!("grupo{}@example.org", next_n()), false)
            .await;
        app.add_member(w.cid, pid, Role::Member).await;
        let (org, level) = match i {
            6 => (small, "operational"),
            5 => (big, "leadership"),
            _ => (big, "operational"),
        };
        exec(
            &app,
            &format!("UPDATE people SET organization_id = {org}, position_level = '{level}' WHERE id = {pid}"),
        )
        .await
        .unwrap();
        let key = format!("q{lik}");
        assert_status(&cl.post_form(&path, &[(key.as_str(), "4")]).await, 303);
    }
    // The settings cannot drop the announcement now.
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/polls/{poll}/settings", w.slug),
            &[("title", "Satisfacción del encuentro"), ("anonymous", "on")],
        )
        .await;
    assert_status(&r, 422);
    assert!(r
        .body
        .contains("no se pueden cambiar después de recibir respuestas"));
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/polls/{poll}/status", w.slug),
            &[("status", "closed")],
        )
        .await;
    assert_status(&r, 303);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM poll_responses WHERE poll_id = {poll} AND organization_id IS NOT NULL AND position_level IS NOT NULL")
        )
        .await,
        7
    );
    let j = w.member.get(&format!("{api}/results")).await.json();
    assert_eq!(j["responses"], 7);
    assert_eq!(
        j["by_organization"]["groups"],
        json!([{ "label": "Colectivo Sur", "n": 6 }])
    );
    assert_eq!(j["by_organization"]["hidden_groups"], 1);
    assert_eq!(
        j["by_position_level"]["groups"],
        json!([{ "label": "operational", "n": 6 }])
    );
    assert_eq!(j["by_position_level"]["hidden_groups"], 1);
    let page = w
        .member
        .get(&format!("/c/{}/polls/{poll}/results", w.slug))
        .await;
    assert!(page.body.contains("Colectivo Sur: 6"));
    assert!(!page.body.contains("Fundación Pequeña") && !page.body.contains("leadership"));
    // A poll without the announcement says nothing of it and shows no breakdown.
    let plain = new_poll(&w, true).await;
    add_q(&w, plain, "likert", "Aprendí algo útil", "").await;
    open(&w, plain).await;
    let page = w
        .member
        .get(&format!("/c/{}/polls/{plain}/answer", w.slug))
        .await;
    assert!(!page.body.contains("breakdowns-notice"));
    let results = w
        .member
        .get(&format!("/c/{}/polls/{plain}/results", w.slug))
        .await;
    assert!(!results.body.contains("id=\"groups\""));
});

// Migration 0024 on answers stored the old way (in the order of answering, one per transaction):
// anonymous responses get fresh ids and one date per poll, nothing else changes; a poll whose
// responses carry organization or level is marked as announcing breakdowns.
both_backends!(
    migration_reshuffles_stored_answers,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let anon = new_poll(&w, true).await;
        let q = add_q(&w, anon, "short", "Una palabra", "").await;
        let named = new_poll(&w, false).await;
        let nq = add_q(&w, named, "short", "Una palabra", "").await;
        let org = org_with(&app, "Colectivo Este", "cso", "08").await;
        let old: Vec<String> = (1..=6).map(|i| format!("{i:032x}")).collect();
        for (i, id) in old.iter().enumerate() {
            let day = format!("2025-03-0{}", i + 1);
            exec(&app, &format!("INSERT INTO poll_responses (id, poll_id, submitted_on, organization_id) VALUES ('{id}', {anon}, '{day}', {org})")).await.unwrap();
            exec(&app, &format!("INSERT INTO poll_answers (response_id, question_id, text) VALUES ('{id}', {q}, 'palabra{i}')")).await.unwrap();
        }
        let kept = format!("{:032x}", 99);
        exec(&app, &format!("INSERT INTO poll_responses (id, poll_id, submitted_on) VALUES ('{kept}', {named}, '2025-03-01')")).await.unwrap();
        exec(&app, &format!("INSERT INTO poll_answers (response_id, question_id, text) VALUES ('{kept}', {nq}, 'nombrada')")).await.unwrap();
        exec(&app, &format!("INSERT INTO poll_response_authors (response_id, person_id) SELECT '{kept}', MIN(id) FROM people")).await.unwrap();
        let sql = match app.db {
            Db::Sqlite(_) => {
                include_str!("../../../tejido-db/migrations/sqlite/0024_polls_held.sql")
            }
            Db::Postgres(_) => {
                include_str!("../../../tejido-db/migrations/postgres/0024_polls_held.sql")
            }
        };
        let data = &sql[sql.find("UPDATE polls SET breakdowns").unwrap()..];
        match &app.db {
            Db::Sqlite(p) => sqlx::raw_sql(data).execute(p).await.map(|_| ()).unwrap(),
            Db::Postgres(p) => sqlx::raw_sql(data).execute(p).await.map(|_| ()).unwrap(),
        }
        let ids = strings(
            &app,
            &format!("SELECT id FROM poll_responses WHERE poll_id = {anon}"),
        )
        .await;
        assert_eq!(ids.len(), 6);
        assert!(
            ids.iter().all(|i| i.len() == 32
                && i.chars().all(|c| c.is_ascii_hexdigit())
                && !old.contains(i)),
            "{ids:?}"
        );
        let mut texts = strings(&app, &format!("SELECT a.text FROM poll_answers a JOIN poll_responses r ON r.id = a.response_id WHERE r.poll_id = {anon}")).await;
        texts.sort();
        assert_eq!(
            texts,
            (0..6).map(|i| format!("palabra{i}")).collect::<Vec<_>>()
        );
        let days = strings(&app, &format!("SELECT DISTINCT CAST(submitted_on AS TEXT) FROM poll_responses WHERE poll_id = {anon}")).await;
        assert_eq!(days, ["2025-03-06"]);
        assert_eq!(app.count("poll_answers").await, 7);
        assert!(
            exec(&app, "SELECT 1 FROM poll_reshuffle").await.is_err(),
            "the scratch table is dropped"
        );
        // The non-anonymous response is untouched; the flag follows the stored attributes.
        assert_eq!(
            strings(
                &app,
                &format!("SELECT id FROM poll_responses WHERE poll_id = {named}")
            )
            .await,
            [kept]
        );
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM polls WHERE breakdowns AND id = {anon}")
            )
            .await,
            1
        );
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM polls WHERE breakdowns AND id = {named}")
            )
            .await,
            0
        );
    }
);
