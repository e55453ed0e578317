//! Minutes: route tests (both backends). The rapporteur's versioned minutes (draft, published,
//! history), decisions that enter the decision log with the event as source, action items and
//! their one-time reminder, lessons learned, report-back and the cascade rate, the JSON API —
//! with authorization on every route. Events and registrations are written directly with SQL.

use super::*;

struct Cast {
    slug: String,
    cid: i64,
    event: i64,
    outsider: Client,
    member: Client,
    member_p: i64,
    rapporteur: Client,
    leader: Client,
    admin: Client,
    attendee: Client,
    attendee_p: i64,
    absent: Client,
}

/// An event of the community, stored directly (the events pages are another module's).
async fn event(app: &TestApp, cid: i64, title: &str) -> i64 {
    let t = tejido_db::now();
    let sql = "INSERT INTO events (community_id, title, kind, mode, starts_at, ends_at, time_zone, status, created_at, updated_at)
               VALUES ($1, $2, 'meeting', 'in-person', $3, $3, 'America/Mexico_City', 'held', $3, $3) RETURNING id";
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql)
            .bind(cid)
            .bind(title)
            .bind(t)
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql)
            .bind(cid)
            .bind(title)
            .bind(t)
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

/// A registration with the given attendance (`present`, `remote`, `absent`).
async fn register(app: &TestApp, event: i64, person: i64, attendance: &str) {
    let t = tejido_db::now();
    let sql = "INSERT INTO event_registrations (event_id, person_id, registered_at, attendance, attendance_recorded_at)
               VALUES ($1, $2, $3, $4, $3)";
    match &app.db {
        Db::Sqlite(p) => sqlx::query(sql)
            .bind(event)
            .bind(person)
            .bind(t)
            .bind(attendance)
            .execute(p)
            .await
            .map(|_| ())
            .unwrap(),
        Db::Postgres(p) => sqlx::query(sql)
            .bind(event)
            .bind(person)
            .bind(t)
            .bind(attendance)
            .execute(p)
            .await
            .map(|_| ())
            .unwrap(),
    }
}

async fn cast(app: &TestApp) -> Cast {
    let n = next_n();
    let (outsider, _, _) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante{n}@example.org"), false)
        .await;
    let (rapporteur, _, rapporteur_p) = app
        .signed_in(&format!("relatora{n}@example.org"), false)
        .await;
    let (leader, _, leader_p) = app.signed_in(&format!("lider{n}@example.org"), false).await;
    let (admin, _, _) = app.signed_in(&format!("admin{n}@example.org"), true).await;
    let (attendee, _, attendee_p) = app
        .signed_in(&format!("asistente{n}@example.org"), false)
        .await;
    let (absent, _, absent_p) = app
        .signed_in(&format!("ausente{n}@example.org"), false)
        .await;
    let (cid, slug) = app
        .community(&format!("Red de Mediación {n}"), leader_p, "private")
        .await;
    app.add_member(cid, member_p, Role::Member).await;
    app.add_member(cid, rapporteur_p, Role::Rapporteur).await;
    app.add_member(cid, attendee_p, Role::Member).await;
    app.add_member(cid, absent_p, Role::Member).await;
    let event = event(app, cid, "Encuentro regional").await;
    register(app, event, attendee_p, "present").await;
    register(app, event, absent_p, "absent").await;
    Cast {
        slug,
        cid,
        event,
        outsider,
        member,
        member_p,
        rapporteur,
        leader,
        admin,
        attendee,
        attendee_p,
        absent,
    }
}

fn base(w: &Cast) -> String {
    format!("/c/{}/events/{}", w.slug, w.event)
}

const MINUTES: &[(&str, &str)] = &[
    ("summary", "Revisamos el **plan de incidencia**."),
    ("takeaways", "- Compartir fuentes"),
    ("status", "published"),
];
const DECISION: &[(&str, &str)] = &[
    ("title", "Crear un grupo de trabajo de incidencia"),
    ("decided_on", "2026-11-20"),
    ("method", "consensus"),
];
const LESSON: &[(&str, &str)] = &[("text", "Enviar la agenda una semana antes")];
const REPORT: &[(&str, &str)] = &[
    ("reported_on", "2026-11-24"),
    ("format", "workshop"),
    ("audience", "12"),
    ("notes", "Taller con el equipo de campo"),
];

/// The page routes: (method, path template, member's status, rapporteur's status). Anonymous
/// visitors are sent to sign in and outsiders get 403 on every one.
pub(crate) const ROUTES: &[(&str, &str, u16, u16)] = &[
    ("GET", "/c/{slug}/events/{id}/minutes", 200, 200),
    ("GET", "/c/{slug}/events/{id}/minutes/edit", 403, 200),
    ("POST", "/c/{slug}/events/{id}/minutes/edit", 403, 303),
    ("GET", "/c/{slug}/events/{id}/minutes/versions", 200, 200),
    (
        "GET",
        "/c/{slug}/events/{id}/minutes/versions/{n}",
        200,
        200,
    ),
    ("POST", "/c/{slug}/events/{id}/minutes/decisions", 403, 303),
    ("POST", "/c/{slug}/events/{id}/minutes/items", 403, 303),
    (
        "POST",
        "/c/{slug}/events/{id}/minutes/items/{item}/status",
        403,
        303,
    ),
    ("POST", "/c/{slug}/events/{id}/minutes/lessons", 403, 303),
    // The rapporteur did not attend: they see everyone's report-backs but record none.
    ("GET", "/c/{slug}/events/{id}/report-back", 403, 200),
    ("POST", "/c/{slug}/events/{id}/report-back", 403, 403),
    ("GET", "/c/{slug}/action-items", 200, 200),
];

#[test]
fn every_minutes_route_is_in_the_table() {
    let table: Vec<_> = ROUTES.iter().map(|(m, p, _, _)| (*m, *p)).collect();
    assert_pages_listed("minutes", &table, |p| p.contains("/minutes/files"));
}

fn body_for(path: &str, owner: &str) -> Vec<(&'static str, String)> {
    let own = |v: &[(&'static str, &str)]| v.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    if path.ends_with("/minutes/edit") {
        own(MINUTES)
    } else if path.ends_with("/decisions") {
        own(DECISION)
    } else if path.ends_with("/items") {
        vec![
            ("title", "Circular la relatoría".to_owned()),
            ("owner", owner.to_owned()),
            ("due_on", "2026-12-15".to_owned()),
        ]
    } else if path.ends_with("/status") {
        vec![("status", "done".to_owned())]
    } else if path.ends_with("/lessons") {
        own(LESSON)
    } else if path.ends_with("/report-back") {
        own(REPORT)
    } else {
        vec![]
    }
}

async fn counts(app: &TestApp) -> [i64; 6] {
    [
        app.count("event_minutes").await,
        app.count("event_action_items").await,
        app.count("event_lessons").await,
        app.count("event_report_backs").await,
        app.count("decisions").await,
        scalar(
            app,
            "SELECT COUNT(*) FROM event_action_items WHERE status <> 'open'",
        )
        .await,
    ]
}

fn refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

both_backends!(authorization_route_by_route, |app: TestApp| async move {
    let w = cast(&app).await;
    // A published version and an action item to point at.
    assert_status(
        &w.rapporteur
            .post_form(&format!("{}/minutes/edit", base(&w)), MINUTES)
            .await,
        303,
    );
    // The item belongs to the attendee, so the member is no owner who could change it.
    let owner = w.attendee_p.to_string();
    let item_body = body_for("/items", &owner);
    assert_status(
        &w.rapporteur
            .post_form(&format!("{}/minutes/items", base(&w)), &refs(&item_body))
            .await,
        303,
    );
    let item = scalar(&app, "SELECT MAX(id) FROM event_action_items").await;
    let anon = app.client();
    for (method, tpl, member_st, writer_st) in ROUTES {
        let path = tpl
            .replace("{slug}", &w.slug)
            .replace("{id}", &w.event.to_string())
            .replace("{n}", "1")
            .replace("{item}", &item.to_string());
        if *method == "GET" {
            assert_to_login(&anon.get(&path).await);
            assert_status(&w.outsider.get(&path).await, 403);
            assert_status(&w.member.get(&path).await, *member_st);
            assert_status(&w.rapporteur.get(&path).await, *writer_st);
            assert_status(&w.leader.get(&path).await, 200);
            assert_status(&w.admin.get(&path).await, 200);
        } else {
            let body = body_for(&path, &owner);
            let body = refs(&body);
            let before = counts(&app).await;
            assert_to_login(&anon.post_form(&path, &body).await);
            assert_status(&w.outsider.post_form(&path, &body).await, 403);
            assert_status(&w.member.post_form(&path, &body).await, *member_st);
            assert_eq!(
                before,
                counts(&app).await,
                "{path}: a refused request wrote something"
            );
            // Without the CSRF token even the leader (or the attendee) is refused.
            let allowed = if path.ends_with("/report-back") {
                &w.attendee
            } else {
                &w.leader
            };
            assert_status(&allowed.post_raw(&path, &body).await, 403);
            assert_eq!(
                before,
                counts(&app).await,
                "{path}: CSRF-less request wrote"
            );
            assert_status(&w.rapporteur.post_form(&path, &body).await, *writer_st);
            assert_status(&allowed.post_form(&path, &body).await, 303);
        }
    }
    // The attendee reads their own report-back form; an absent registrant is refused.
    let rb = format!("{}/report-back", base(&w));
    assert_status(&w.attendee.get(&rb).await, 200);
    assert_status(&w.absent.get(&rb).await, 403);
    // An event of another community is not found through this one.
    let (other_cid, _) = app.community("Otra red", w.member_p, "private").await;
    let other = event(&app, other_cid, "Ajeno").await;
    assert_status(
        &w.leader
            .get(&format!("/c/{}/events/{other}/minutes", w.slug))
            .await,
        404,
    );
});

both_backends!(
    draft_then_published_with_history,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let page = format!("{}/minutes", base(&w));
        let r = w.member.get(&page).await;
        assert!(
            r.body.contains("Todavía no hay relatoría publicada"),
            "{}",
            r.body
        );
        // A draft: the rapporteur sees it, members do not.
        let r = w
            .rapporteur
            .post_form(
                &format!("{page}/edit"),
                &[
                    (
                        "summary",
                        "Borrador <script>alert(1)</script> con **negritas**",
                    ),
                    ("status", "draft"),
                ],
            )
            .await;
        assert_redirect(&r, &format!("{page}/versions/1"));
        let r = w.rapporteur.get(&format!("{page}/versions/1")).await;
        assert_status(&r, 200);
        assert!(r.body.contains("<strong>negritas</strong>") && !r.body.contains("<script>alert"));
        assert_status(&w.member.get(&format!("{page}/versions/1")).await, 404);
        assert!(w
            .member
            .get(&page)
            .await
            .body
            .contains("Todavía no hay relatoría publicada"));
        assert!(w
            .rapporteur
            .get(&page)
            .await
            .body
            .contains("borrador sin publicar"));
        // Published: a new version row; members read it.
        assert_redirect(
            &w.rapporteur
                .post_form(&format!("{page}/edit"), MINUTES)
                .await,
            &format!("{page}/versions/2"),
        );
        let r = w.member.get(&page).await;
        assert!(
            r.body.contains("<strong>plan de incidencia</strong>"),
            "{}",
            r.body
        );
        assert!(r.body.contains("Versión 2"));
        // A later draft does not hide the published text from members.
        w.rapporteur
            .post_form(
                &format!("{page}/edit"),
                &[("summary", "Cambios pendientes")],
            )
            .await;
        assert_eq!(app.count("event_minutes").await, 3);
        let r = w.member.get(&page).await;
        assert!(r.body.contains("plan de incidencia") && !r.body.contains("Cambios pendientes"));
        // History: the rapporteur sees the three versions, members only the published one.
        let h = w.rapporteur.get(&format!("{page}/versions")).await.body;
        assert!(
            h.contains("versions/1\"") && h.contains("versions/2\"") && h.contains("versions/3\"")
        );
        let h = w.member.get(&format!("{page}/versions")).await.body;
        assert!(
            h.contains("versions/2\"")
                && !h.contains("versions/1\"")
                && !h.contains("versions/3\"")
        );
        let latest = tejido_db::minutes::latest(&app.db, w.event, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((latest.version, latest.status.as_str()), (3, "draft"));
        // The edit form starts from the newest version.
        assert!(w
            .rapporteur
            .get(&format!("{page}/edit"))
            .await
            .body
            .contains("Cambios pendientes"));
    }
);

both_backends!(
    decisions_enter_the_log_with_the_event_as_source,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let url = format!("{}/minutes/decisions", base(&w));
        // Invalid: 422, nothing written, the input kept.
        let r = w
            .rapporteur
            .post_form(&url, &[("title", "Acuerdo sin fecha"), ("method", "vote")])
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("Acuerdo sin fecha"));
        assert_eq!(app.count("decisions").await, 0);
        assert_status(&w.rapporteur.post_form(&url, DECISION).await, 303);
        let ds = tejido_db::decisions::by_source(&app.db, w.cid, "event", w.event)
            .await
            .unwrap();
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].title, "Crear un grupo de trabajo de incidencia");
        assert_eq!(ds[0].source_id, Some(w.event));
        // Shown in the minutes and in the community's decision log.
        let r = w.member.get(&format!("{}/minutes", base(&w))).await;
        assert!(r
            .body
            .contains(&format!("/c/{}/decisions/{}", w.slug, ds[0].id)));
        let log = w.member.get(&format!("/c/{}/decisions", w.slug)).await;
        assert!(log.body.contains("Crear un grupo de trabajo de incidencia"));
    }
);

both_backends!(
    action_items_and_a_reminder_once,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let url = format!("{}/minutes/items", base(&w));
        let today = tejido_web::time::today_here();
        let soon = (today + chrono::Duration::days(1))
            .format("%Y-%m-%d")
            .to_string();
        let later = (today + chrono::Duration::days(10))
            .format("%Y-%m-%d")
            .to_string();
        let owner = w.member_p.to_string();
        // Owner required, date parsed, owner must belong to the community: 422, nothing written.
        let r = w
            .rapporteur
            .post_form(&url, &[("title", "Sin responsable"), ("due_on", "mañana")])
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("Sin responsable"));
        let stranger = person_with(&app, "Persona ajena", Some("ajena@example.org"), None).await;
        let r = w
            .rapporteur
            .post_form(
                &url,
                &[
                    ("title", "Ajena"),
                    ("owner", &stranger.to_string()),
                    ("due_on", &soon),
                ],
            )
            .await;
        assert_status(&r, 422);
        assert_eq!(app.count("event_action_items").await, 0);
        for (title, due) in [
            ("Enviar la relatoría", &soon),
            ("Preparar el taller", &later),
        ] {
            let r = w
                .rapporteur
                .post_form(
                    &url,
                    &[("title", title), ("owner", &owner), ("due_on", due)],
                )
                .await;
            assert_status(&r, 303);
        }
        // One reminder, for the item due within two days, enqueued once.
        let n = tejido_web::features::minutes::enqueue_reminders(&app.state)
            .await
            .unwrap();
        assert_eq!(n, 1);
        let again = tejido_web::features::minutes::enqueue_reminders(&app.state)
            .await
            .unwrap();
        assert_eq!(again, 0);
        let email = scalar(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE subject LIKE '%Enviar la relatoría%'",
        )
        .await;
        assert_eq!(email, 1);
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM outbox WHERE subject LIKE '%Preparar el taller%'"
            )
            .await,
            0
        );
        let mail = scalar(
            &app,
            &format!(
            "SELECT COUNT(*) FROM outbox o JOIN people p ON p.email = o.to_addr WHERE p.id = {}",
            w.member_p
        ),
        )
        .await;
        assert_eq!(mail, 1);
        // My open items, and the community's list.
        let mine = tejido_db::minutes::open_items_for_person(&app.db, w.member_p, 10)
            .await
            .unwrap();
        assert_eq!(mine.len(), 2);
        assert_eq!(mine[0].title, "Enviar la relatoría");
        let list = w.member.get(&format!("/c/{}/action-items", w.slug)).await;
        assert!(
            list.body.contains("Enviar la relatoría") && list.body.contains("Preparar el taller")
        );
        // The owner marks their item done; it leaves the open lists.
        let st = format!("{}/minutes/items/{}/status", base(&w), mine[0].id);
        assert_redirect(
            &w.member
                .post_form(&st, &[("status", "done"), ("from", "list")])
                .await,
            &format!("/c/{}/action-items", w.slug),
        );
        assert_status(
            &w.member.post_form(&st, &[("status", "finished")]).await,
            400,
        );
        let mine = tejido_db::minutes::open_items_for_person(&app.db, w.member_p, 10)
            .await
            .unwrap();
        assert_eq!(mine.len(), 1);
        // A lesson learned is a row of its own; an empty one is refused.
        let lessons = format!("{}/minutes/lessons", base(&w));
        assert_status(
            &w.rapporteur.post_form(&lessons, &[("text", " ")]).await,
            422,
        );
        assert_status(&w.rapporteur.post_form(&lessons, LESSON).await, 303);
        assert_eq!(app.count("event_lessons").await, 1);
    }
);

both_backends!(
    report_back_counts_in_the_cascade_rate,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let url = format!("{}/report-back", base(&w));
        // A second attendee, online.
        let (remote, _, remote_p) = app.signed_in("remota@example.org", false).await;
        app.add_member(w.cid, remote_p, Role::Member).await;
        register(&app, w.event, remote_p, "remote").await;
        assert_eq!(
            tejido_db::minutes::cascade_rate(&app.db, w.event)
                .await
                .unwrap(),
            (0, 2)
        );
        // Audience below zero: 422, nothing written.
        let mut bad: Vec<(&str, &str)> = REPORT.to_vec();
        bad[2] = ("audience", "-1");
        let r = w.attendee.post_form(&url, &bad).await;
        assert_status(&r, 422);
        assert!(r.body.contains("Taller con el equipo de campo"));
        assert_eq!(app.count("event_report_backs").await, 0);
        // Non-attendees are refused: an absent registrant and a member who did not register.
        assert_status(&w.absent.post_form(&url, REPORT).await, 403);
        assert_status(&w.member.post_form(&url, REPORT).await, 403);
        assert_eq!(app.count("event_report_backs").await, 0);
        assert_redirect(&w.attendee.post_form(&url, REPORT).await, &url);
        // Saving again updates the same row.
        let mut again: Vec<(&str, &str)> = REPORT.to_vec();
        again[2] = ("audience", "15");
        assert_status(&w.attendee.post_form(&url, &again).await, 303);
        assert_eq!(app.count("event_report_backs").await, 1);
        let rb = tejido_db::minutes::report_back(&app.db, w.event, w.attendee_p)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((rb.audience, rb.format.as_str()), (15, "workshop"));
        assert_eq!(
            tejido_db::minutes::cascade_rate(&app.db, w.event)
                .await
                .unwrap(),
            (1, 2)
        );
        let page = w.member.get(&format!("{}/minutes", base(&w))).await;
        assert!(
            page.body.contains("Tasa de cascadeo: 50 %"),
            "{}",
            page.body
        );
        assert!(remote
            .get(&url)
            .await
            .body
            .contains("Guardar mi devolución"));
        // The rapporteur sees everyone's report-backs.
        let r = w.rapporteur.get(&url).await;
        assert!(r.body.contains("Persona asistente"), "{}", r.body);
    }
);

both_backends!(minutes_api, |app: TestApp| async move {
    let w = cast(&app).await;
    let api = format!("/api/v1/communities/{}/events/{}", w.slug, w.event);
    let anon = app.client();
    let r = anon.get(&format!("{api}/minutes")).await;
    assert_status(&r, 401);
    assert_eq!(r.json()["error"], "error-unauthorized");
    assert_status(&w.outsider.get(&format!("{api}/minutes")).await, 403);
    let token = w.member.csrf().await;
    let r = w
        .member
        .json(
            Method::PUT,
            &format!("{api}/minutes"),
            &json!({ "summary": "x", "status": "published" }),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_status(&r, 403);
    assert_eq!(r.json()["error"], "error-forbidden");
    let token = w.rapporteur.csrf().await;
    let h = [("x-csrf-token", token.as_str())];
    let r = w
        .rapporteur
        .json(
            Method::PUT,
            &format!("{api}/minutes"),
            &json!({ "summary": "" }),
            &h,
        )
        .await;
    assert_status(&r, 422);
    assert_eq!(r.json()["fields"][0]["field"], "summary");
    assert_eq!(app.count("event_minutes").await, 0);
    let r = w
        .rapporteur
        .json(
            Method::PUT,
            &format!("{api}/minutes"),
            &json!({ "summary": "Acordamos *mucho*", "status": "published" }),
            &h,
        )
        .await;
    assert_status(&r, 200);
    assert_eq!(r.json()["version"], 1);
    let r = w
        .rapporteur
        .json(Method::POST, &format!("{api}/minutes/decisions"), &json!({ "title": "Rotar la relatoría", "decided_on": "2026-11-20", "method": "consensus" }), &h)
        .await;
    assert_status(&r, 201);
    assert_eq!(r.json()["source_kind"], "event");
    let r = w
        .rapporteur
        .json(Method::POST, &format!("{api}/minutes/items"), &json!({ "title": "Subir fotos", "owner": w.attendee_p.to_string(), "due_on": "2026-12-01" }), &h)
        .await;
    assert_status(&r, 201);
    let item = r.json()["id"].as_i64().unwrap();
    let r = w
        .rapporteur
        .json(
            Method::POST,
            &format!("{api}/minutes/items/{item}/status"),
            &json!({ "status": "dropped" }),
            &h,
        )
        .await;
    assert_status(&r, 200);
    assert_eq!(r.json()["status"], "dropped");
    let r = w
        .rapporteur
        .json(
            Method::POST,
            &format!("{api}/minutes/lessons"),
            &json!({ "text": "Menos diapositivas" }),
            &h,
        )
        .await;
    assert_status(&r, 201);
    let v = w.member.get(&format!("{api}/minutes")).await.json();
    assert_eq!(
        v["current"]["summary_html"],
        "<p>Acordamos <em>mucho</em></p>\n"
    );
    assert_eq!(v["decisions"].as_array().unwrap().len(), 1);
    assert_eq!(v["lessons"].as_array().unwrap().len(), 1);
    assert_eq!(v["cascade"]["attendees"], 1);
    assert_eq!(v["can_write"], false);
    let v = w
        .member
        .get(&format!("{api}/minutes/versions"))
        .await
        .json();
    assert_eq!(v["total"], 1);
    // Report-back: the attendee writes their own; others are refused.
    let token = w.attendee.csrf().await;
    let r = w
        .attendee
        .json(
            Method::PUT,
            &format!("{api}/report-back"),
            &json!({ "reported_on": "2026-11-24", "format": "email", "audience": "-2" }),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_status(&r, 422);
    let r = w
        .attendee
        .json(
            Method::PUT,
            &format!("{api}/report-back"),
            &json!({ "reported_on": "2026-11-24", "format": "email", "audience": "30" }),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_status(&r, 200);
    assert_eq!(r.json()["report_back"]["audience"], 30);
    assert_status(&w.member.get(&format!("{api}/report-back")).await, 403);
    let v = w.member.get(&format!("{api}/minutes")).await.json();
    assert_eq!(v["cascade"]["percent"], 100);
    let v = w
        .member
        .get(&format!("/api/v1/communities/{}/action-items", w.slug))
        .await
        .json();
    assert_eq!(v["total"], 0);
});
