//! Events: creation with per-field errors, registration (self, by a manager, by a colleague),
//! attendance with the organization and level at the time, staff per organization,
//! certificates and their public verification, sharing, calendars (ICS validated strictly) and
//! reminders — with authorization on every route and the online link checked in every place it
//! could leak (pages, API, ICS, e-mails). Both backends.

use super::*;

const LINK: &str = "https://meet.example.org/sala-secreta-7731";

struct Cast {
    slug: String,
    cid: i64,
    outsider: Client,
    member: Client,
    member_p: i64,
    leader: Client,
    admin: Client,
}

async fn cast(app: &TestApp, visibility: &str) -> Cast {
    let n = next_n();
    let (outsider, _, _) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante{n}@example.org"), false)
        .await;
    let (leader, _, leader_p) = app.signed_in(&format!("lider{n}@example.org"), false).await;
    let (admin, _, _) = app.signed_in(&format!("admin{n}@example.org"), true).await;
    let (cid, slug) = app
        .community(&format!("Red de Mediación {n}"), leader_p, visibility)
        .await;
    app.add_member(cid, member_p, Role::Member).await;
    Cast {
        slug,
        cid,
        outsider,
        member,
        member_p,
        leader,
        admin,
    }
}

fn event_form<'a>(title: &'a str, starts: &'a str, ends: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("kind", "workshop"),
        ("mode", "hybrid"),
        ("starts_at", starts),
        ("ends_at", ends),
        ("venue", "Casa de la Cultura"),
        ("city", "Oaxaca de Juárez"),
        ("state_code", "20"),
        ("online_link", LINK),
        ("scheduled_around", "Congreso Nacional de OSC"),
        ("status", "confirmed"),
        ("capacity", "30"),
        (
            "description",
            "Intercambio de metodologías, con café; y más",
        ),
    ]
}

/// Creates an event through the page as the leader; returns its id.
async fn create_event(app: &TestApp, w: &Cast, title: &str, starts: &str, ends: &str) -> i64 {
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/events", w.slug),
            &event_form(title, starts, ends),
        )
        .await;
    assert_status(&r, 303);
    let id = scalar(app, "SELECT MAX(id) FROM events").await;
    assert_eq!(
        r.location(),
        Some(format!("/c/{}/events/{id}", w.slug).as_str())
    );
    id
}

/// Every page route of the events module: (method, path, status for a member, for the leader).
/// `{id}` is an event, `{person}` the member's person id.
pub(crate) const ROUTES: &[(&str, &str, u16, u16)] = &[
    ("GET", "/c/{slug}/events", 200, 200),
    ("POST", "/c/{slug}/events", 403, 303),
    ("GET", "/c/{slug}/events/new", 403, 200),
    ("GET", "/c/{slug}/events/participation", 200, 200),
    ("GET", "/c/{slug}/events.ics", 200, 200),
    ("GET", "/c/{slug}/events/{id}", 200, 200),
    ("GET", "/c/{slug}/events/{id}/edit", 403, 200),
    ("POST", "/c/{slug}/events/{id}/edit", 403, 303),
    ("POST", "/c/{slug}/events/{id}/register", 303, 303),
    ("POST", "/c/{slug}/events/{id}/unregister", 303, 303),
    ("POST", "/c/{slug}/events/{id}/invite", 303, 303),
    ("GET", "/c/{slug}/events/{id}/attendance", 403, 200),
    ("POST", "/c/{slug}/events/{id}/attendance", 403, 303),
    (
        "GET",
        "/c/{slug}/events/{id}/certificate/{person}",
        200,
        200,
    ),
    ("GET", "/c/{slug}/events/{id}/event.ics", 200, 200),
];

/// Routes outside a community, tested on their own below.
const OTHER_ROUTES: &[(&str, &str)] = &[
    ("GET", "/calendar/{file}"),
    ("GET", "/account/calendar"),
    ("POST", "/account/calendar"),
    ("GET", "/verify"),
    ("GET", "/verify/{code}"),
];

#[test]
fn every_events_route_is_in_the_table() {
    let table: Vec<_> = ROUTES
        .iter()
        .map(|(m, p, _, _)| (*m, *p))
        .chain(OTHER_ROUTES.iter().copied())
        .collect();
    assert_pages_listed("events", &table, |_| false);
}

fn body_for(path: &str) -> Vec<(&'static str, &'static str)> {
    if path.ends_with("/events") || path.ends_with("/edit") {
        event_form(
            "Taller de mediación",
            "2030-03-10T10:00",
            "2030-03-10T14:00",
        )
    } else if path.ends_with("/invite") {
        vec![("email", "amiga@example.org")]
    } else {
        vec![]
    }
}

both_backends!(authorization_route_by_route, |app: TestApp| async move {
    let w = cast(&app, "private").await;
    let id = create_event(&app, &w, "Taller", "2030-03-10T10:00", "2030-03-10T14:00").await;
    // The member attended, so their certificate exists (the member may see their own).
    assert_status(
        &w.member
            .post_form(&format!("/c/{}/events/{id}/register", w.slug), &[])
            .await,
        303,
    );
    let mark = format!("a-{}", w.member_p);
    assert_status(
        &w.leader
            .post_form(
                &format!("/c/{}/events/{id}/attendance", w.slug),
                &[(mark.as_str(), "present")],
            )
            .await,
        303,
    );
    let anon = app.client();
    for (method, tpl, member_status, leader_status) in ROUTES {
        let path = tpl
            .replace("{slug}", &w.slug)
            .replace("{id}", &id.to_string())
            .replace("{person}", &w.member_p.to_string());
        let tables = [
            "events",
            "event_registrations",
            "outbox",
            "event_certificates",
        ];
        let mut before = vec![];
        for t in tables {
            before.push(app.count(t).await);
        }
        if *method == "GET" {
            assert_to_login(&anon.get(&path).await);
            assert_status(&w.outsider.get(&path).await, 403);
            assert_status(&w.member.get(&path).await, *member_status);
            assert_status(&w.leader.get(&path).await, *leader_status);
            assert_status(&w.admin.get(&path).await, *leader_status);
        } else {
            let body = body_for(&path);
            assert_to_login(&anon.post_form(&path, &body).await);
            assert_status(&w.outsider.post_form(&path, &body).await, 403);
            let mut after = vec![];
            for t in tables {
                after.push(app.count(t).await);
            }
            assert_eq!(before, after, "{path}: a refused request wrote something");
            // Without the CSRF token even the leader is refused.
            assert_status(&w.leader.post_raw(&path, &body).await, 403);
            assert_status(&w.member.post_form(&path, &body).await, *member_status);
            assert_status(&w.leader.post_form(&path, &body).await, *leader_status);
        }
    }
    // A member cannot see someone else's certificate; an unknown event is a 404.
    let leader_cert = format!("/c/{}/events/{id}/certificate/999999", w.slug);
    assert_status(&w.member.get(&leader_cert).await, 403);
    assert_status(&w.leader.get(&leader_cert).await, 404);
    assert_status(
        &w.member.get(&format!("/c/{}/events/999999", w.slug)).await,
        404,
    );
    // Another community's event is not reachable through this one.
    let other = cast(&app, "private").await;
    assert_status(
        &other
            .leader
            .get(&format!("/c/{}/events/{id}", other.slug))
            .await,
        404,
    );
    let _ = w.cid;
});

both_backends!(create_validate_edit_and_list, |app: TestApp| async move {
    let w = cast(&app, "private").await;
    let path = format!("/c/{}/events", w.slug);
    // Invalid: 422, an error next to each field, input kept, nothing written.
    let r = w
        .leader
        .post_form(
            &path,
            &[
                ("title", "Encuentro sin fin"),
                ("kind", "fiesta"),
                ("mode", "virtual"),
                ("starts_at", "2030-03-10T10:00"),
                ("ends_at", "2030-03-10T09:00"),
                ("capacity", "0"),
            ],
        )
        .await;
    assert_status(&r, 422);
    for text in [
        "Encuentro sin fin",
        "Elige una opción de la lista",
        "El fin debe ser después del inicio",
        "El cupo debe ser un número entero",
        "Un evento en línea necesita su enlace",
        "aria-invalid=\"true\"",
    ] {
        assert!(r.body.contains(text), "missing {text}");
    }
    assert_eq!(app.count("events").await, 0);
    let r = w
        .leader
        .post_form(
            &path,
            &[
                ("title", "X"),
                ("kind", "meeting"),
                ("mode", "in-person"),
                ("city", "Puebla"),
                ("starts_at", "mañana"),
                ("ends_at", "2030-03-10T09:00"),
            ],
        )
        .await;
    assert_status(&r, 422);
    assert!(r.body.contains("Escribe la fecha y hora"));
    // A future event cannot be recorded as held.
    let mut held = event_form(
        "Taller aún no realizado",
        "2030-03-10T10:00",
        "2030-03-10T14:00",
    );
    held.retain(|(k, _)| *k != "status");
    held.push(("status", "held"));
    let r = w.leader.post_form(&path, &held).await;
    assert_status(&r, 422);
    assert!(r
        .body
        .contains("solo puede marcarse como realizado cuando ya empezó"));
    assert_eq!(app.count("events").await, 0);

    let up = create_event(
        &app,
        &w,
        "Taller futuro",
        "2030-03-10T10:00",
        "2030-03-10T14:00",
    )
    .await;
    let past = create_event(
        &app,
        &w,
        "Encuentro pasado",
        "2021-05-04T09:00",
        "2021-05-04T13:00",
    )
    .await;
    // Local times in the community's zone (America/Mexico_City, UTC-6) are stored in UTC.
    let e = tejido_db::events::get(&app.db, w.cid, up)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.starts_at.to_rfc3339(), "2030-03-10T16:00:00+00:00");
    assert_eq!(e.time_zone, "America/Mexico_City");
    assert_eq!(e.capacity, Some(30));
    assert_eq!(e.kind, "workshop");
    let list = w.member.get(&path).await;
    assert_status(&list, 200);
    assert!(list.body.contains("Taller futuro") && !list.body.contains("Encuentro pasado"));
    assert!(
        !list.body.contains("action=\"/c/"),
        "members get no create form"
    );
    let list = w.member.get(&format!("{path}?when=past")).await;
    assert!(list.body.contains("Encuentro pasado") && !list.body.contains("Taller futuro"));
    assert!(w
        .leader
        .get(&path)
        .await
        .body
        .contains(&format!("action=\"{path}\"")));
    // Pagination: 27 upcoming events fill two pages.
    for i in 0..26 {
        let title = format!("Sesión {i:02}");
        create_event(&app, &w, &title, "2031-01-10T10:00", "2031-01-10T11:00").await;
    }
    let p1 = w.member.get(&path).await;
    assert!(p1.body.contains("rel=\"next\""));
    let p2 = w.member.get(&format!("{path}?page=2")).await;
    assert_status(&p2, 200);
    assert!(p2.body.contains("rel=\"prev\""));

    // Edit shows the local time back and saves changes.
    let edit = format!("/c/{}/events/{up}/edit", w.slug);
    let page = w.leader.get(&edit).await;
    assert!(page.body.contains("value=\"2030-03-10T10:00\""));
    let mut f = event_form(
        "Taller futuro (cambio de sede)",
        "2030-03-10T11:00",
        "2030-03-10T15:00",
    );
    f.retain(|(k, _)| *k != "capacity");
    assert_status(&w.leader.post_form(&edit, &f).await, 303);
    let e = tejido_db::events::get(&app.db, w.cid, up)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.title, "Taller futuro (cambio de sede)");
    assert_eq!(e.starts_at.to_rfc3339(), "2030-03-10T17:00:00+00:00");
    assert_eq!(e.capacity, None);
    let bad = w
        .leader
        .post_form(
            &edit,
            &event_form("", "2030-03-10T11:00", "2030-03-10T10:00"),
        )
        .await;
    assert_status(&bad, 422);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('event-created', 'event-updated')"
        )
        .await,
        29
    );
    let _ = past;
});

both_backends!(
    registration_attendance_and_rotation,
    |app: TestApp| async move {
        let w = cast(&app, "private").await;
        let org = app.organization("Colectivo Tequio").await;
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::communities::add_organization(&mut tx, w.cid, org, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // The member works at the organization (leadership level); two colleagues do too.
        exec(
        &app,
        &format!(
            "UPDATE people SET organization_id = {org}, position_level = 'leadership' WHERE id = {}",
            w.member_p
        ),
    )
    .await
    .unwrap();
        let ana = person_with(&app, "Ana Coordinadora", Some("ana@example.org"), Some(org)).await;
        exec(
            &app,
            &format!("UPDATE people SET position_level = 'coordination' WHERE id = {ana}"),
        )
        .await
        .unwrap();
        let beto = person_with(&app, "Beto Operativo", None, Some(org)).await;
        let stranger = person_with(&app, "Persona Ajena", None, None).await;

        let e1 = create_event(
            &app,
            &w,
            "Primer encuentro",
            "2030-03-10T10:00",
            "2030-03-10T14:00",
        )
        .await;
        let e2 = create_event(
            &app,
            &w,
            "Segundo encuentro",
            "2030-04-10T10:00",
            "2030-04-10T14:00",
        )
        .await;
        let reg = |e: i64| format!("/c/{}/events/{e}/register", w.slug);
        // Self-registration, idempotent.
        assert_status(&w.member.post_form(&reg(e1), &[]).await, 303);
        assert_status(&w.member.post_form(&reg(e1), &[]).await, 303);
        assert_eq!(app.count("event_registrations").await, 1);
        // A colleague registers a colleague of the same organization; not someone outside it.
        let ana_s = ana.to_string();
        assert_status(
            &w.member.post_form(&reg(e1), &[("person_id", &ana_s)]).await,
            303,
        );
        let stranger_s = stranger.to_string();
        assert_status(
            &w.member
                .post_form(&reg(e1), &[("person_id", &stranger_s)])
                .await,
            403,
        );
        // The leader registers anyone in the community, but no outsiders.
        assert_status(
            &w.leader
                .post_form(&reg(e1), &[("person_id", &stranger_s)])
                .await,
            400,
        );
        let beto_s = beto.to_string();
        assert_status(
            &w.leader
                .post_form(&reg(e2), &[("person_id", &beto_s)])
                .await,
            303,
        );
        let r = tejido_db::events::registration(&app.db, e1, w.member_p)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.organization_id, Some(org));
        assert_eq!(r.position_level.as_deref(), Some("leadership"));
        // Unregister and register again.
        let unreg = format!("/c/{}/events/{e1}/unregister", w.slug);
        assert_status(&w.member.post_form(&unreg, &[]).await, 303);
        assert!(!tejido_db::events::is_registered(&app.db, e1, w.member_p)
            .await
            .unwrap());
        assert_status(&w.member.post_form(&reg(e1), &[]).await, 303);
        assert!(tejido_db::events::is_registered(&app.db, e1, w.member_p)
            .await
            .unwrap());

        // Attendance: invalid values are refused and change nothing.
        let att = format!("/c/{}/events/{e1}/attendance", w.slug);
        let m_field = format!("a-{}", w.member_p);
        let a_field = format!("a-{ana}");
        let r = w
            .leader
            .post_form(&att, &[(m_field.as_str(), "dormida")])
            .await;
        assert_status(&r, 422);
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM event_registrations WHERE attendance IS NOT NULL"
            )
            .await,
            0
        );
        // Ana's level changes before the event: the row keeps the level at attendance time.
        exec(
            &app,
            &format!("UPDATE people SET position_level = 'management' WHERE id = {ana}"),
        )
        .await
        .unwrap();
        let r = w
            .leader
            .post_form(
                &att,
                &[(m_field.as_str(), "present"), (a_field.as_str(), "remote")],
            )
            .await;
        assert_redirect(&r, &att);
        let r = tejido_db::events::registration(&app.db, e1, ana)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.attendance.as_deref(), Some("remote"));
        assert_eq!(r.position_level.as_deref(), Some("management"));
        assert!(r.attendance_recorded_at.is_some());
        let page = w.leader.get(&att).await;
        assert!(page.body.contains("value=\"present\" checked"));
        // Once attendance is taken, the registration cannot be cancelled.
        assert_status(&w.member.post_form(&unreg, &[]).await, 303);
        assert!(tejido_db::events::is_registered(&app.db, e1, w.member_p)
            .await
            .unwrap());
        // Second event: Beto goes instead (rotation inside the organization).
        let b_field = format!("a-{beto}");
        let att2 = format!("/c/{}/events/{e2}/attendance", w.slug);
        assert_status(
            &w.leader
                .post_form(&att2, &[(b_field.as_str(), "present")])
                .await,
            303,
        );
        let part = w
            .member
            .get(&format!("/c/{}/events/participation", w.slug))
            .await;
        assert_status(&part, 200);
        for text in [
            "Colectivo Tequio",
            "Ana Coordinadora",
            "Beto Operativo",
            "Primer encuentro",
            "Segundo encuentro",
        ] {
            assert!(part.body.contains(text), "participation lacks {text}");
        }
        assert_eq!(
            part.body.matches("Colectivo Tequio").count(),
            1,
            "grouped by organization"
        );
        let staff = tejido_db::events::staff_by_organization(
            &app.db,
            w.cid,
            tejido_core::page::PageReq::new(None, None),
        )
        .await
        .unwrap();
        assert_eq!(staff.total, 3);

        // Certificates: one per attendee, verifiable publicly with name, event and date only.
        assert_eq!(app.count("event_certificates").await, 3);
        let cert = w
            .member
            .get(&format!(
                "/c/{}/events/{e1}/certificate/{}",
                w.slug, w.member_p
            ))
            .await;
        assert_status(&cert, 200);
        assert!(
            cert.body.contains("Constancia de participación")
                && cert.body.contains("Primer encuentro")
        );
        let code = tejido_db::events::certificate(&app.db, e1, w.member_p)
            .await
            .unwrap()
            .unwrap()
            .code;
        assert!(cert.body.contains(&code));
        assert!(!cert.body.contains(LINK));
        let anon = app.client();
        let v = anon.get(&format!("/verify/{code}")).await;
        assert_status(&v, 200);
        assert!(v.body.contains("Constancia válida") && v.body.contains("Primer encuentro"));
        assert!(v.body.contains("Persona integrante"));
        assert!(
            !v.body.contains("Colectivo Tequio"),
            "verification shows no organization"
        );
        assert!(!v.body.contains(LINK));
        // Typed loosely: lower case without dashes still verifies.
        let loose = code.replace('-', "").to_lowercase();
        assert_redirect(
            &anon.get(&format!("/verify?code={loose}")).await,
            &format!("/verify/{code}"),
        );
        assert_status(&anon.get("/verify/0000-0000-0000-0000").await, 404);
        assert_status(&anon.get("/verify/%3Cscript%3E").await, 404);
        assert_status(&anon.get("/verify").await, 200);
        // Marked absent later: the certificate no longer verifies.
        assert_status(
            &w.leader
                .post_form(&att, &[(a_field.as_str(), "absent")])
                .await,
            303,
        );
        let ana_code = scalar(
            &app,
            &format!("SELECT COUNT(*) FROM event_certificates WHERE person_id = {ana}"),
        )
        .await;
        assert_eq!(ana_code, 1);
        let ana_code: String = match &app.db {
            Db::Sqlite(p) => {
                sqlx::query_scalar("SELECT code FROM event_certificates WHERE person_id = $1")
                    .bind(ana)
                    .fetch_one(p)
                    .await
                    .unwrap()
            }
            Db::Postgres(p) => {
                sqlx::query_scalar("SELECT code FROM event_certificates WHERE person_id = $1")
                    .bind(ana)
                    .fetch_one(p)
                    .await
                    .unwrap()
            }
        };
        assert_status(&anon.get(&format!("/verify/{ana_code}")).await, 404);

        // Capacity: a full event refuses more registrations.
        let mut f = event_form("Cupo de uno", "2030-05-10T10:00", "2030-05-10T12:00");
        f.retain(|(k, _)| *k != "capacity");
        f.push(("capacity", "1"));
        assert_status(
            &w.leader
                .post_form(&format!("/c/{}/events", w.slug), &f)
                .await,
            303,
        );
        let small = scalar(&app, "SELECT MAX(id) FROM events").await;
        assert_status(&w.member.post_form(&reg(small), &[]).await, 303);
        assert_status(
            &w.leader
                .post_form(&reg(small), &[("person_id", &beto_s)])
                .await,
            400,
        );

        // API: registrations with attendance; register and cancel; attendance by person id.
        let api = format!("/api/v1/communities/{}/events/{e2}", w.slug);
        let r = w.member.get(&format!("{api}/registrations")).await;
        assert_status(&r, 200);
        assert_eq!(r.json()["total"], 1);
        let token = w.member.csrf().await;
        let h = [("x-csrf-token", token.as_str())];
        let r = w
            .member
            .json(
                Method::POST,
                &format!("{api}/registrations"),
                &json!({}),
                &h,
            )
            .await;
        assert_status(&r, 201);
        let r = w
            .member
            .json(
                Method::POST,
                &format!("{api}/registrations"),
                &json!({}),
                &h,
            )
            .await;
        assert_status(&r, 200);
        let r = w
            .member
            .json(
                Method::PUT,
                &format!("{api}/attendance"),
                &json!({"marks": [{"person_id": w.member_p, "attendance": "present"}]}),
                &h,
            )
            .await;
        assert_status(&r, 403);
        let lt = w.leader.csrf().await;
        let lh = [("x-csrf-token", lt.as_str())];
        let r = w
            .leader
            .json(
                Method::PUT,
                &format!("{api}/attendance"),
                &json!({"marks": [{"person_id": w.member_p, "attendance": "sleepy"}]}),
                &lh,
            )
            .await;
        assert_status(&r, 422);
        let r = w
            .member
            .json(
                Method::DELETE,
                &format!("{api}/registrations/{}", w.member_p),
                &json!({}),
                &h,
            )
            .await;
        assert_status(&r, 200);
        assert_eq!(r.json()["cancelled"], true);
        let r = w
            .member
            .json(
                Method::DELETE,
                &format!("{api}/registrations/{ana}"),
                &json!({}),
                &h,
            )
            .await;
        assert_status(&r, 200);
        let r = w
            .outsider
            .json(
                Method::DELETE,
                &format!("{api}/registrations/{ana}"),
                &json!({}),
                &h,
            )
            .await;
        assert_status(&r, 403);
    }
);

/// The online link must not appear in any of these responses.
#[track_caller]
fn no_link(what: &str, body: &str) {
    assert!(
        !body.contains(LINK),
        "{what} leaked the online link:\n{body}"
    );
    assert!(
        !body.contains("sala-secreta"),
        "{what} leaked part of the online link"
    );
}

both_backends!(online_link_never_leaks, |app: TestApp| async move {
    // A public community: anyone may read its events, but the link is for registered people.
    let w = cast(&app, "public").await;
    let id = create_event(
        &app,
        &w,
        "Seminario abierto",
        "2030-03-10T10:00",
        "2030-03-10T14:00",
    )
    .await;
    let page = format!("/c/{}/events/{id}", w.slug);
    let api = format!("/api/v1/communities/{}/events/{id}", w.slug);
    let anon = app.client();
    // Pages: anonymous visitor, signed-in non-member, member not registered.
    for (who, c) in [
        ("anonymous", &anon),
        ("outsider", &w.outsider),
        ("member", &w.member),
    ] {
        let r = c.get(&page).await;
        assert_status(&r, 200);
        assert!(r.body.contains("Seminario abierto"));
        no_link(&format!("{who} event page"), &r.body);
        let r = c.get(&format!("/c/{}/events", w.slug)).await;
        no_link(&format!("{who} list"), &r.body);
        for ics in [
            format!("/c/{}/events.ics", w.slug),
            format!("{page}/event.ics"),
        ] {
            let r = c.get(&ics).await;
            assert_status(&r, 200);
            assert!(r.body.contains("SUMMARY:Seminario abierto"));
            no_link(&format!("{who} {ics}"), &r.body);
        }
    }
    // A visitor of a public page sees no list of who registered.
    assert!(!anon.get(&page).await.body.contains("Personas registradas"));
    // API: not registered → no link; the list never carries it.
    for (who, c) in [("outsider", &w.outsider), ("member", &w.member)] {
        let r = c.get(&api).await;
        assert_status(&r, 200);
        assert!(r.json().get("online_link").is_none());
        no_link(&format!("{who} API"), &r.body);
        no_link(
            &format!("{who} API list"),
            &c.get(&format!("/api/v1/communities/{}/events", w.slug))
                .await
                .body,
        );
    }
    // Managers and admins see it; registered people see it once registered.
    for (who, c) in [("leader", &w.leader), ("admin", &w.admin)] {
        assert!(
            c.get(&page).await.body.contains(LINK),
            "{who} should see the link"
        );
        assert_eq!(c.get(&api).await.json()["online_link"], LINK);
    }
    assert_status(
        &w.member.post_form(&format!("{page}/register"), &[]).await,
        303,
    );
    assert!(w.member.get(&page).await.body.contains(LINK));
    assert_eq!(w.member.get(&api).await.json()["online_link"], LINK);
    assert_eq!(w.member.get(&api).await.json()["you_are_registered"], true);
    // ... but never through feeds, even their own.
    no_link(
        "member ICS after registering",
        &w.member.get(&format!("{page}/event.ics")).await.body,
    );
    let feed = w.member.post_form("/account/calendar", &[]).await;
    assert_status(&feed, 200);
    let url = feed.body.split("/calendar/").nth(1).unwrap();
    let file = &url[..url.find('"').unwrap()];
    let r = anon.get(&format!("/calendar/{file}")).await;
    assert_status(&r, 200);
    assert!(r.body.contains("Seminario abierto"));
    no_link("personal feed", &r.body);
    // Once cancelled, the link is hidden again.
    assert_status(
        &w.member.post_form(&format!("{page}/unregister"), &[]).await,
        303,
    );
    no_link(
        "member page after cancelling",
        &w.member.get(&page).await.body,
    );
    // E-mails: an invitation and a reminder carry the page, never the link.
    assert_status(
        &w.member
            .post_form(
                &format!("{page}/invite"),
                &[("email", "vecina@example.org")],
            )
            .await,
        303,
    );
    let mail = app.last_mail("vecina@example.org").await.unwrap();
    assert!(mail
        .body_text
        .contains(&format!("/c/{}/events/{id}", w.slug)));
    assert!(mail.subject.contains("Seminario abierto"));
    no_link("invitation e-mail", &mail.body_text);
    assert_status(
        &w.member
            .post_form(&format!("{page}/invite"), &[("email", "no es correo")])
            .await,
        422,
    );
    // Reminder the day before: the leader is registered.
    assert_status(
        &w.leader.post_form(&format!("{page}/register"), &[]).await,
        303,
    );
    let at = tejido_db::events::get(&app.db, w.cid, id)
        .await
        .unwrap()
        .unwrap()
        .starts_at
        - chrono::Duration::hours(20);
    let i18n = tejido_web::i18n::I18n::new().unwrap();
    let n = tejido_web::features::events::send_reminders(&app.db, &i18n, "http://localhost", at)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let again =
        tejido_web::features::events::send_reminders(&app.db, &i18n, "http://localhost", at)
            .await
            .unwrap();
    assert_eq!(again, 0, "each event is reminded once");
    let leader_email = scalar(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Mañana:%'",
    )
    .await;
    assert_eq!(leader_email, 1);
    let body: String = match &app.db {
        Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT body_text FROM outbox WHERE subject LIKE 'Mañana:%'")
                .fetch_one(p)
                .await
                .unwrap()
        }
        Db::Postgres(p) => {
            sqlx::query_scalar("SELECT body_text FROM outbox WHERE subject LIKE 'Mañana:%'")
                .fetch_one(p)
                .await
                .unwrap()
        }
    };
    assert!(body.contains(&format!("http://localhost/c/{}/events/{id}", w.slug)));
    no_link("reminder e-mail", &body);
    // Share links are plain links, no script.
    let r = anon.get(&page).await;
    assert!(r.body.contains("https://wa.me/?text="));
    assert!(r.body.contains("https://t.me/share/url?url="));
    assert!(!r.body.contains("<script"));
});

both_backends!(
    private_community_shared_page_needs_membership,
    |app: TestApp| async move {
        let w = cast(&app, "private").await;
        let id = create_event(
            &app,
            &w,
            "Encuentro privado",
            "2030-03-10T10:00",
            "2030-03-10T14:00",
        )
        .await;
        let page = format!("/c/{}/events/{id}", w.slug);
        let anon = app.client();
        let r = anon.get(&page).await;
        assert_to_login(&r);
        no_link("anonymous private", &r.body);
        assert!(!r.body.contains("Encuentro privado"));
        let r = w.outsider.get(&page).await;
        assert_status(&r, 403);
        assert!(!r.body.contains("Encuentro privado"));
        let r = w
            .outsider
            .get(&format!("/api/v1/communities/{}/events/{id}", w.slug))
            .await;
        assert_status(&r, 403);
        no_link("outsider API", &r.body);
        let r = w.outsider.get(&format!("/c/{}/events.ics", w.slug)).await;
        assert_status(&r, 403);
    }
);

/// A strict reading of RFC 5545 as far as Tejido writes it.
fn check_ics(body: &str) -> Vec<std::collections::HashMap<String, String>> {
    assert!(body.ends_with("\r\n"), "must end with CRLF");
    for (i, raw) in body.split("\r\n").enumerate() {
        assert!(raw.len() <= 75, "line {i} longer than 75 octets: {raw:?}");
        assert!(
            !raw.contains('\n') && !raw.contains('\r'),
            "bare line break at {i}"
        );
    }
    let unfolded = body.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.first(), Some(&"BEGIN:VCALENDAR"));
    assert_eq!(lines.last(), Some(&"END:VCALENDAR"));
    assert!(lines.contains(&"VERSION:2.0"));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    let mut events = vec![];
    let mut cur: Option<std::collections::HashMap<String, String>> = None;
    for l in &lines[1..lines.len() - 1] {
        let (name, value) = l.split_once(':').unwrap_or_else(|| panic!("no colon: {l}"));
        assert!(
            name.chars().all(|c| c.is_ascii_uppercase() || c == '-'),
            "bad property name {name}"
        );
        match (*l, cur.as_mut()) {
            ("BEGIN:VEVENT", None) => cur = Some(Default::default()),
            ("END:VEVENT", Some(_)) => events.push(cur.take().unwrap()),
            (_, Some(ev)) => {
                assert!(
                    ev.insert(name.to_owned(), value.to_owned()).is_none(),
                    "{name} twice"
                );
            }
            (_, None) => {}
        }
    }
    assert!(cur.is_none(), "unterminated VEVENT");
    for ev in &events {
        for req in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"] {
            assert!(ev.contains_key(req), "VEVENT without {req}");
        }
        for t in ["DTSTAMP", "DTSTART", "DTEND"] {
            let v = &ev[t];
            assert!(
                chrono::NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%SZ").is_ok(),
                "{t} is not a UTC date-time: {v}"
            );
        }
        // TEXT values: every comma and semicolon escaped.
        for t in ["SUMMARY", "DESCRIPTION", "LOCATION"] {
            if let Some(v) = ev.get(t) {
                let cleaned = v
                    .replace("\\\\", "")
                    .replace("\\,", "")
                    .replace("\\;", "")
                    .replace("\\n", "");
                assert!(
                    !cleaned.contains(',') && !cleaned.contains(';') && !cleaned.contains('\\'),
                    "{t} badly escaped: {v}"
                );
            }
        }
    }
    events
}

both_backends!(ics_feeds_are_valid_and_correct, |app: TestApp| async move {
    let w = cast(&app, "private").await;
    let id = create_event(&app, &w, "Taller de mediación, justicia; y paz \\ comunitaria con un título muy largo que debe doblarse", "2030-03-10T10:00", "2030-03-10T14:30").await;
    create_event(
        &app,
        &w,
        "Encuentro antiguo",
        "2020-01-10T10:00",
        "2020-01-10T12:00",
    )
    .await;
    let r = w.member.get(&format!("/c/{}/events.ics", w.slug)).await;
    assert_status(&r, 200);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    let events = check_ics(&r.body);
    assert_eq!(events.len(), 1, "old events fall out of the feed window");
    let ev = &events[0];
    // 10:00 in Mexico City (UTC-6) is 16:00 UTC.
    assert_eq!(ev["DTSTART"], "20300310T160000Z");
    assert_eq!(ev["DTEND"], "20300310T203000Z");
    assert_eq!(ev["UID"], format!("event-{id}@localhost"));
    assert!(ev["SUMMARY"].starts_with("Taller de mediación\\, justicia\\; y paz \\\\ comunitaria"));
    assert_eq!(
        ev["LOCATION"],
        "Casa de la Cultura\\, Oaxaca de Juárez\\, Oaxaca"
    );
    assert_eq!(ev["STATUS"], "CONFIRMED");
    assert_eq!(
        ev["URL"],
        format!("http://localhost/c/{}/events/{id}", w.slug)
    );
    let one = w
        .member
        .get(&format!("/c/{}/events/{id}/event.ics", w.slug))
        .await;
    assert_eq!(check_ics(&one.body).len(), 1);
    // scripts/test parses these with Python's icalendar package as a second, independent check.
    if let Ok(dir) = std::env::var("TEJIDO_TEST_ARTIFACTS") {
        std::fs::write(
            std::path::Path::new(&dir).join(format!("community-{:?}.ics", app.db.backend())),
            &r.body,
        )
        .unwrap();
    }

    // Personal feed: made on request, shown once, reset makes the old URL stop working.
    let page = w.member.get("/account/calendar").await;
    assert_status(&page, 200);
    assert!(!page.body.contains("/calendar/"));
    let made = w.member.post_form("/account/calendar", &[]).await;
    let first = made.body.split("/calendar/").nth(1).unwrap();
    let first = first[..first.find('"').unwrap()].to_owned();
    assert!(first.ends_with(".ics"));
    let anon = app.client();
    let feed = anon.get(&format!("/calendar/{first}")).await;
    assert_status(&feed, 200);
    let evs = check_ics(&feed.body);
    assert_eq!(evs.len(), 1, "the member's community event");
    assert!(
        !w.member
            .get("/account/calendar")
            .await
            .body
            .contains(&first),
        "shown only once"
    );
    let again = w.member.post_form("/account/calendar", &[]).await;
    let second = again.body.split("/calendar/").nth(1).unwrap();
    let second = second[..second.find('"').unwrap()].to_owned();
    assert_ne!(first, second);
    assert_status(&anon.get(&format!("/calendar/{first}")).await, 404);
    assert_status(&anon.get(&format!("/calendar/{second}")).await, 200);
    assert_status(&anon.get("/calendar/nada.ics").await, 404);
    assert_to_login(&anon.get("/account/calendar").await);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM calendar_tokens").await,
        1,
        "one token per user"
    );
    // The outsider's feed has nothing of this community.
    let o = w.outsider.post_form("/account/calendar", &[]).await;
    let of = o.body.split("/calendar/").nth(1).unwrap();
    let of = &of[..of.find('"').unwrap()];
    assert_eq!(
        check_ics(&anon.get(&format!("/calendar/{of}")).await.body).len(),
        0
    );
});

both_backends!(api_create_update_list, |app: TestApp| async move {
    let w = cast(&app, "private").await;
    let base = format!("/api/v1/communities/{}/events", w.slug);
    let lt = w.leader.csrf().await;
    let h = [("x-csrf-token", lt.as_str())];
    let body = json!({ "title": "Webinar de procuración de fondos", "kind": "webinar", "mode": "virtual",
        "starts_at": "2030-06-01T17:00", "ends_at": "2030-06-01T18:30", "online_link": LINK });
    let r = w.leader.json(Method::POST, &base, &body, &h).await;
    assert_status(&r, 201);
    let id = r.json()["id"].as_i64().unwrap();
    let bad = json!({ "title": "", "kind": "webinar", "mode": "virtual", "starts_at": "x", "ends_at": "y" });
    let r = w.leader.json(Method::POST, &base, &bad, &h).await;
    assert_status(&r, 422);
    let mt = w.member.csrf().await;
    let r = w
        .member
        .json(Method::POST, &base, &body, &[("x-csrf-token", mt.as_str())])
        .await;
    assert_status(&r, 403);
    let r = w.member.get(&base).await;
    assert_status(&r, 200);
    assert_eq!(r.json()["total"], 1);
    no_link("API list", &r.body);
    let mut upd = body.clone();
    upd["status"] = json!("cancelled");
    let r = w
        .leader
        .json(Method::PUT, &format!("{base}/{id}"), &upd, &h)
        .await;
    assert_status(&r, 200);
    let r = w.leader.get(&format!("{base}/{id}")).await;
    assert_eq!(r.json()["status"], "cancelled");
    assert_eq!(r.json()["starts_at"], "2030-06-01T23:00:00Z");
    // A cancelled event takes no registrations.
    let r = w
        .member
        .json(
            Method::POST,
            &format!("{base}/{id}/registrations"),
            &json!({}),
            &[("x-csrf-token", mt.as_str())],
        )
        .await;
    assert_status(&r, 400);
    assert_status(&app.client().get(&base).await, 401);
});
