//! Reports: route tests (both backends). Every figure of a community's report equals the one
//! computed here, independently, from the fixture (membership flows, events, participation by
//! organization, level, youth, gender and mode, network change against the baseline with the
//! density checked against tejido-graph, lessons); sensitive ties and people's names stay out;
//! the read-only funder role reads the report and nothing else; outsiders are refused on the
//! page, the datasets and the API; CSV quoting and formula-injection safety; the XLSX is left in
//! $TEJIDO_TEST_ARTIFACTS for scripts/check_xlsx.py (openpyxl).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate, Utc};
use tejido_core::directory::{PersonInput, PositionLevel};
use tejido_core::events::{Attendance, EventInput, EventKind, EventMode, EventStatus};
use tejido_core::network::{TieInput, TieKind, TieSource};
use tejido_db::DateTime;

use super::*;

type Level = Option<&'static str>;
type Gender = Option<&'static str>;
/// (person, organization index, level, youth, gender).
type PersonSpec = (i64, usize, Level, Option<bool>, Gender);
/// (people index, attendance or none taken).
type Mark = (usize, Option<&'static str>);
/// (event, in the period, cancelled, marks).
type EventSpec = (i64, bool, bool, Vec<Mark>);
/// (title, kind, mode, day, status, marks).
type EventPlan = (
    &'static str,
    EventKind,
    EventMode,
    NaiveDate,
    EventStatus,
    Vec<Mark>,
);

struct Fixture {
    slug: String,
    cid: i64,
    leader: Client,
    member: Client,
    outsider: Client,
    admin: Client,
    funder: Client,
    from: NaiveDate,
    to: NaiveDate,
    /// (person, organization index, level, youth, gender) of the directory people who attend.
    people: Vec<PersonSpec>,
    orgs: Vec<(i64, String, &'static str)>,
    /// (event, in period, cancelled, marks: (people index, attendance or None)).
    events: Vec<EventSpec>,
    /// Ties as (from org index, to org index, kind, started, via community).
    ties: Vec<(usize, usize, &'static str, NaiveDate, bool)>,
}

async fn set_time(app: &TestApp, table: &str, col: &str, id: i64, at: DateTime<Utc>) {
    let sql = format!("UPDATE {table} SET {col} = $1 WHERE id = $2");
    match &app.db {
        Db::Sqlite(p) => sqlx::query(&sql)
            .bind(at)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
        Db::Postgres(p) => sqlx::query(&sql)
            .bind(at)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
    }
    .unwrap();
}

fn noon(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(17, 0, 0).unwrap().and_utc()
}

fn event_input(
    title: &str,
    kind: EventKind,
    mode: EventMode,
    on: NaiveDate,
    status: EventStatus,
) -> EventInput {
    EventInput {
        title: title.into(),
        description: None,
        kind,
        mode,
        starts_at: noon(on),
        ends_at: noon(on) + Duration::hours(3),
        time_zone: "America/Mexico_City".into(),
        venue: None,
        city: Some("Oaxaca de Juárez".into()),
        state_code: Some("20".into()),
        online_link: None,
        host_organization_id: None,
        scheduled_around: None,
        status,
        capacity: None,
        dots_per_member: 3,
        voting_closes_at: None,
    }
}

async fn fixture(app: &TestApp) -> Fixture {
    let n = next_n();
    let (leader, _, leader_p) = app.signed_in(&format!("lider{n}@example.org"), false).await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante{n}@example.org"), false)
        .await;
    let (outsider, _, _) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let (admin, _, _) = app.signed_in(&format!("admin{n}@example.org"), true).await;
    let (funder, _, funder_p) = app.signed_in(&format!("fondo{n}@example.org"), false).await;
    let (cid, slug) = app
        .community(&format!("Justicia Restaurativa {n}"), leader_p, "private")
        .await;
    app.add_member(cid, member_p, Role::Member).await;

    let today = Utc::now().date_naive();
    let to = today;
    let from = today - Duration::days(200);

    // Organizations: three members of different sectors and one outsider organization.
    let orgs = vec![
        (
            org_with(app, &format!("Colectivo Mediación {n}"), "cso", "20").await,
            format!("Colectivo Mediación {n}"),
            "cso",
        ),
        (
            org_with(app, &format!("Fiscalía Estatal {n}"), "government", "20").await,
            format!("Fiscalía Estatal {n}"),
            "government",
        ),
        (
            org_with(app, &format!("Universidad Benito {n}"), "academia", "20").await,
            format!("Universidad Benito {n}"),
            "academia",
        ),
        (
            org_with(app, &format!("Fundación Lejana {n}"), "donor", "09").await,
            format!("Fundación Lejana {n}"),
            "donor",
        ),
    ];
    let mut tx = app.db.begin().await.unwrap();
    for o in &orgs[..3] {
        tejido_db::communities::add_organization(&mut tx, cid, o.0, None)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    // The first organization joined long before the period; the third joined inside it.
    let term = |o: i64| {
        format!("SELECT id FROM community_organizations WHERE community_id = {cid} AND organization_id = {o}")
    };
    let t0 = scalar(app, &term(orgs[0].0)).await;
    set_time(
        app,
        "community_organizations",
        "joined_at",
        t0,
        noon(from - Duration::days(300)),
    )
    .await;
    let t1 = scalar(app, &term(orgs[1].0)).await;
    set_time(
        app,
        "community_organizations",
        "joined_at",
        t1,
        noon(from - Duration::days(30)),
    )
    .await;
    let t2 = scalar(app, &term(orgs[2].0)).await;
    set_time(
        app,
        "community_organizations",
        "joined_at",
        t2,
        noon(from + Duration::days(20)),
    )
    .await;

    // People with declared levels, youth and gender (some not declared).
    let spec: Vec<(usize, Level, Option<bool>, Gender)> = vec![
        (0, Some("leadership"), Some(false), Some("Mujer")),
        (0, Some("operational"), Some(true), Some("mujer")),
        (1, Some("management"), None, Some("Hombre")),
        (1, None, Some(true), None),
        (2, Some("operational"), Some(false), Some("No binaria")),
    ];
    let mut people = Vec::new();
    for (i, (o, level, youth, gender)) in spec.iter().enumerate() {
        let input = PersonInput {
            full_name: format!("Participante {i} {n}"),
            email: None,
            organization_id: Some(orgs[*o].0),
            position_level: level.and_then(PositionLevel::parse),
            position_title: None,
            youth: *youth,
            gender: gender.map(str::to_owned),
        };
        let mut tx = app.db.begin().await.unwrap();
        let pid = tejido_db::directory::insert_person(&mut tx, &input)
            .await
            .unwrap();
        tejido_db::communities::add_person(&mut tx, cid, pid, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        people.push((pid, *o, *level, *youth, *gender));
    }

    // Events: two in the period, one before it, one cancelled in it.
    let plan: Vec<EventPlan> = vec![
        (
            "=Taller de mediación comunitaria",
            EventKind::Workshop,
            EventMode::InPerson,
            from + Duration::days(30),
            EventStatus::Held,
            vec![
                (0, Some("present")),
                (1, Some("present")),
                (2, Some("present")),
                (3, Some("absent")),
                (4, None),
            ],
        ),
        (
            "Encuentro híbrido, \"justicia\" y territorio",
            EventKind::Meeting,
            EventMode::Hybrid,
            from + Duration::days(120),
            EventStatus::Held,
            vec![
                (0, Some("remote")),
                (2, Some("present")),
                (3, Some("remote")),
                (4, Some("present")),
            ],
        ),
        (
            "Reunión anterior al periodo",
            EventKind::Meeting,
            EventMode::InPerson,
            from - Duration::days(40),
            EventStatus::Held,
            vec![(0, Some("present")), (1, Some("present"))],
        ),
        (
            "Visita cancelada",
            EventKind::SiteVisit,
            EventMode::InPerson,
            from + Duration::days(60),
            EventStatus::Cancelled,
            vec![(2, Some("present"))],
        ),
    ];
    let mut events = Vec::new();
    for (title, kind, mode, on, status, marks) in plan {
        let input = event_input(title, kind, mode, on, status);
        let mut tx = app.db.begin().await.unwrap();
        let eid = tejido_db::events::insert(&mut tx, cid, &input, None)
            .await
            .unwrap();
        for (pi, _) in &marks {
            tejido_db::events::register(&mut tx, eid, None, people[*pi].0, None)
                .await
                .unwrap();
        }
        let taken: Vec<(i64, Attendance)> = marks
            .iter()
            .filter_map(|(pi, a)| a.and_then(Attendance::parse).map(|a| (people[*pi].0, a)))
            .collect();
        tejido_db::events::set_attendance(&mut tx, eid, &taken)
            .await
            .unwrap();
        tejido_db::minutes::insert_lesson(&mut tx, eid, &format!("Lección de {title}"), None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        events.push((
            eid,
            from <= on && on <= to,
            status == EventStatus::Cancelled,
            marks,
        ));
    }

    // Ties: one at the baseline (twice, two kinds: one pair), one formed through the community in
    // the period (across sectors), one not through it, one sensitive (funding) never reported.
    let ties: Vec<(usize, usize, &'static str, NaiveDate, bool)> = vec![
        (0, 1, "collaboration", from - Duration::days(100), false),
        (1, 0, "information", from - Duration::days(50), false),
        (0, 2, "alliance", from + Duration::days(40), true),
        (2, 3, "information", from + Duration::days(70), false),
        (1, 3, "funding", from + Duration::days(10), true),
    ];
    let input: Vec<TieInput> = ties
        .iter()
        .map(|(a, b, k, on, via)| TieInput {
            from: orgs[*a].0,
            to: orgs[*b].0,
            kind: TieKind::parse(k).unwrap(),
            strength: 2,
            trust: None,
            value: None,
            started_on: *on,
            ended_on: None,
            via_community: *via,
        })
        .collect();
    let mut tx = app.db.begin().await.unwrap();
    tejido_db::network::insert_ties(&mut tx, cid, &input, TieSource::Member, None, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // The leader names the funder through the page.
    let r = leader
        .post_form(
            &format!("/c/{slug}/report/funders"),
            &[("person_id", &funder_p.to_string())],
        )
        .await;
    assert_redirect(&r, &format!("/c/{slug}/report/funders"));

    Fixture {
        slug,
        cid,
        leader,
        member,
        outsider,
        admin,
        funder,
        from,
        to,
        people,
        orgs,
        events,
        ties,
    }
}

fn period_q(f: &Fixture) -> String {
    format!("from={}&to={}", f.from, f.to)
}

/// (attendances, distinct people) per key over the attended marks of the period's events.
fn expected_groups(f: &Fixture, key: &dyn Fn(usize) -> String) -> BTreeMap<String, (i64, i64)> {
    let mut m: BTreeMap<String, (i64, BTreeSet<usize>)> = BTreeMap::new();
    for (_, in_period, cancelled, marks) in &f.events {
        if !in_period || *cancelled {
            continue;
        }
        for (pi, a) in marks {
            if matches!(a, Some("present" | "remote")) {
                let e = m.entry(key(*pi)).or_default();
                e.0 += 1;
                e.1.insert(*pi);
            }
        }
    }
    m.into_iter()
        .map(|(k, (a, p))| (k, (a, p.len() as i64)))
        .collect()
}

fn groups_of(v: &serde_json::Value) -> BTreeMap<String, (i64, i64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"].as_str().unwrap().to_owned(),
                (
                    g["attendances"].as_i64().unwrap(),
                    g["people"].as_i64().unwrap(),
                ),
            )
        })
        .collect()
}

both_backends!(every_figure_equals_the_fixture, |app: TestApp| async move {
    let f = fixture(&app).await;
    let r = f
        .leader
        .get(&format!(
            "/api/v1/communities/{}/report?{}",
            f.slug,
            period_q(&f)
        ))
        .await;
    assert_status(&r, 200);
    let j = r.json();
    let rep = &j["report"];
    assert_eq!(j["sections"].as_array().unwrap().len(), 12);

    // Membership: two organizations joined before the period, the third inside it.
    let orgs = &rep["membership"]["organizations"];
    assert_eq!(orgs["at_start"], 2);
    assert_eq!(orgs["joined"], 1);
    assert_eq!(orgs["left"], 0);
    assert_eq!(orgs["at_end"], 3);
    let people = &rep["membership"]["people"];
    // The leader, the member and the five participants joined today (inside the period).
    assert_eq!(people["at_start"], 0);
    assert_eq!(people["joined"], 7);
    assert_eq!(people["at_end"], 7);
    let changes = rep["membership"]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["name"], f.orgs[2].1.as_str());
    assert_eq!(changes[0]["joined"], true);

    // Events: the period's two held events, not the earlier one nor the cancelled one.
    let ev = rep["events"].as_array().unwrap();
    let expected: Vec<(i64, i64, i64)> = f
        .events
        .iter()
        .filter(|e| e.1 && !e.2)
        .map(|e| {
            let reg = e.3.len() as i64;
            let pres = e.3.iter().filter(|m| m.1 == Some("present")).count() as i64;
            let rem = e.3.iter().filter(|m| m.1 == Some("remote")).count() as i64;
            (reg, pres, rem)
        })
        .collect();
    let got: Vec<(i64, i64, i64)> = ev
        .iter()
        .map(|e| {
            (
                e["registered"].as_i64().unwrap(),
                e["in_person"].as_i64().unwrap(),
                e["remote"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);

    // Participation, disaggregated.
    let pa = &rep["participation"];
    let total: i64 = expected.iter().map(|e| e.1 + e.2).sum();
    assert_eq!(pa["attendances"].as_i64().unwrap(), total);
    assert_eq!(
        pa["in_person"].as_i64().unwrap(),
        expected.iter().map(|e| e.1).sum::<i64>()
    );
    assert_eq!(
        pa["remote"].as_i64().unwrap(),
        expected.iter().map(|e| e.2).sum::<i64>()
    );
    let by_org = expected_groups(&f, &|pi| f.orgs[f.people[pi].1].1.clone());
    assert_eq!(groups_of(&pa["by_organization"]), by_org);
    assert_eq!(pa["organizations"].as_i64().unwrap(), by_org.len() as i64);
    let by_level = expected_groups(&f, &|pi| f.people[pi].2.unwrap_or("").to_owned());
    assert_eq!(groups_of(&pa["by_level"]), by_level);
    let by_youth = expected_groups(&f, &|pi| match f.people[pi].3 {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    });
    assert_eq!(groups_of(&pa["by_youth"]), by_youth);
    let by_gender = expected_groups(&f, &|pi| f.people[pi].4.unwrap_or("").to_lowercase());
    assert_eq!(groups_of(&pa["by_gender"]), by_gender);
    let distinct: i64 = expected_groups(&f, &|pi| pi.to_string()).len() as i64;
    assert_eq!(pa["people"].as_i64().unwrap(), distinct);

    // Network change: computed here with tejido-graph on the non-sensitive ties.
    let figures = |on: NaiveDate| {
        let mut b = tejido_graph::GraphBuilder::new(false);
        for o in &f.orgs[..3] {
            b.add_node(&o.0.to_string());
        }
        let mut cross = BTreeSet::new();
        for (a, z, k, started, _) in &f.ties {
            if *k != "funding" && *started <= on {
                b.add_edge(&f.orgs[*a].0.to_string(), &f.orgs[*z].0.to_string(), None);
                if f.orgs[*a].2 != f.orgs[*z].2 {
                    cross.insert((
                        f.orgs[*a].0.min(f.orgs[*z].0),
                        f.orgs[*a].0.max(f.orgs[*z].0),
                    ));
                }
            }
        }
        let g = b.build();
        let density = tejido_graph::centrality::density(&g);
        (
            g.node_count() as i64,
            g.edge_count() as i64,
            density,
            cross.len() as i64,
        )
    };
    let (n0, m0, d0, c0) = figures(f.from);
    let (n1, m1, d1, c1) = figures(f.to);
    let net = &rep["network"];
    assert_eq!(net["before"]["organizations"].as_i64().unwrap(), n0);
    assert_eq!(net["before"]["ties"].as_i64().unwrap(), m0);
    assert!((net["before"]["density"].as_f64().unwrap() - d0).abs() < 1e-9);
    assert_eq!(net["after"]["organizations"].as_i64().unwrap(), n1);
    assert_eq!(net["after"]["ties"].as_i64().unwrap(), m1);
    assert!((net["after"]["density"].as_f64().unwrap() - d1).abs() < 1e-9);
    assert!(
        (net["after"]["cross_sector_share"].as_f64().unwrap() - c1 as f64 / m1 as f64).abs() < 1e-9
    );
    assert!(
        (net["before"]["cross_sector_share"].as_f64().unwrap() - c0 as f64 / m0 as f64).abs()
            < 1e-9
    );
    let new: Vec<_> = f
        .ties
        .iter()
        .filter(|t| t.2 != "funding" && t.3 > f.from && t.3 <= f.to)
        .collect();
    assert_eq!(net["new_ties"].as_i64().unwrap(), new.len() as i64);
    assert_eq!(
        net["new_ties_via_community"].as_i64().unwrap(),
        new.iter().filter(|t| t.4).count() as i64
    );
    assert_eq!(net["ended_ties"], 0);

    // Lessons: those of the period's events (the cancelled event is not held, but its minutes
    // lesson was recorded in the period, so it counts with its date).
    let lessons = rep["lessons"].as_array().unwrap();
    let in_period = f.events.iter().filter(|e| e.1).count();
    assert_eq!(lessons.len(), in_period);

    // Nothing names a person or shows a contact detail.
    let text = r.body.clone();
    assert!(
        !text.contains("Participante 0"),
        "no person is named in a report"
    );
    assert!(
        !text.contains("@example.org"),
        "no contact detail in a report"
    );
    let _ = f.cid;
});

both_backends!(
    funder_reads_the_report_and_nothing_else,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let s = &f.slug;
        // Report readers: leader, member, admin, funder.
        for c in [&f.leader, &f.member, &f.admin, &f.funder] {
            assert_status(&c.get(&format!("/c/{s}/report")).await, 200);
            assert_status(&c.get(&format!("/c/{s}/report.xlsx")).await, 200);
            assert_status(
                &c.get(&format!("/c/{s}/report.csv?table=events")).await,
                200,
            );
            assert_status(
                &c.get(&format!("/api/v1/communities/{s}/report")).await,
                200,
            );
        }
        // The funder sees nothing else of the private community.
        for path in [
            format!("/c/{s}"),
            format!("/c/{s}/members"),
            format!("/c/{s}/discussions"),
            format!("/c/{s}/network"),
            format!("/c/{s}/library"),
            format!("/c/{s}/events"),
            format!("/api/v1/communities/{s}/network"),
        ] {
            let r = f.funder.get(&path).await;
            assert!(
                r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
                "funder on {path}: {}",
                r.status
            );
        }
        // Outsiders are refused on the page, the datasets and the API; anonymous visitors too.
        for path in [
            format!("/c/{s}/report"),
            format!("/c/{s}/report.csv?table=events"),
            format!("/c/{s}/report.xlsx"),
            format!("/api/v1/communities/{s}/report"),
        ] {
            assert_status(&f.outsider.get(&path).await, 403);
            let anon = app.client().get(&path).await;
            assert!(
                anon.status == StatusCode::UNAUTHORIZED || anon.status == StatusCode::SEE_OTHER,
                "anonymous on {path}: {}",
                anon.status
            );
        }
        // Only managers name funders; a funder or a member cannot, and nothing changes.
        let before = app.count("community_roles").await;
        for c in [&f.member, &f.funder, &f.outsider] {
            let r = c
                .post_form(&format!("/c/{s}/report/funders"), &[("person_id", "1")])
                .await;
            assert_status(&r, 403);
            assert_status(&c.get(&format!("/c/{s}/report/funders")).await, 403);
        }
        assert_eq!(app.count("community_roles").await, before);
        // A bad person is refused with a message in Spanish, nothing written.
        let r = f
            .leader
            .post_form(
                &format!("/c/{s}/report/funders"),
                &[("person_id", "999999")],
            )
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("Elige una persona del directorio"));
        assert_eq!(app.count("community_roles").await, before);
        // The funders page lists the funder; the members page's role form does not offer the
        // role (a funder is not a member: funders are named on the report's funders page).
        let page = f.leader.get(&format!("/c/{s}/report/funders")).await;
        assert_status(&page, 200);
        assert!(page.body.contains("Persona fondo"));
        let members = f.leader.get(&format!("/c/{s}/members")).await;
        assert_status(&members, 200);
        assert!(!members.body.contains("value=\"funder\""));
        // /reports: the funder and the admin see the community's row; the outsider does not.
        let slug_link = format!("/c/{s}/report?");
        assert!(f.funder.get("/reports").await.body.contains(&slug_link));
        assert!(f.admin.get("/reports").await.body.contains(&slug_link));
        let o = f.outsider.get("/reports").await;
        assert_status(&o, 200);
        assert!(!o.body.contains(&slug_link));
        // Ending the funder role closes the report again.
        let fp = scalar(
            &app,
            &format!(
                "SELECT person_id FROM community_roles WHERE community_id = {} AND role = 'funder'",
                f.cid
            ),
        )
        .await;
        let r = f
            .leader
            .post_form(
                &format!("/c/{s}/report/funders/end"),
                &[("person_id", &fp.to_string())],
            )
            .await;
        assert_redirect(&r, &format!("/c/{s}/report/funders"));
        assert_status(&f.funder.get(&format!("/c/{s}/report")).await, 403);
    }
);

both_backends!(page_datasets_and_bad_periods, |app: TestApp| async move {
    let f = fixture(&app).await;
    let s = &f.slug;
    let q = period_q(&f);
    // The page: twelve numbered sections, tables with captions, the charts, the print stylesheet.
    let page = f.leader.get(&format!("/c/{s}/report?{q}")).await;
    assert_status(&page, 200);
    assert_eq!(page.body.matches("class=\"report-section\"").count(), 12);
    assert!(page.body.contains("<caption>"));
    assert!(page.body.contains("<svg"));
    assert!(page.body.contains("/reports/report.css"));
    assert!(page.body.contains("12. Resumen financiero"));
    let en = english(f.leader.clone())
        .get(&format!("/c/{s}/report?{q}"))
        .await;
    assert!(en.body.contains("4. Participation, disaggregated"));
    let css = f.leader.get("/reports/report.css").await;
    assert_status(&css, 200);
    assert!(css.body.contains("@media print"));

    // CSV: BOM, CRLF, quoting and formula-injection safety on the events table.
    let csv = f
        .leader
        .get(&format!("/c/{s}/report.csv?{q}&table=events"))
        .await;
    assert_status(&csv, 200);
    assert!(csv.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(csv.body.contains("'=Taller de mediación comunitaria"));
    assert!(!csv.body.contains(",=Taller"));
    assert!(csv
        .body
        .contains("\"Encuentro híbrido, \"\"justicia\"\" y territorio\""));
    assert!(csv.body.contains("\r\n"));
    let unknown = f
        .leader
        .get(&format!("/c/{s}/report.csv?{q}&table=nope"))
        .await;
    assert_status(&unknown, 422);

    // Bad periods: a clear error in the reader's language, on the page, the datasets and the API.
    let bad = f
        .leader
        .get(&format!("/c/{s}/report?from=2026-06-01&to=2026-01-01"))
        .await;
    assert_status(&bad, 422);
    assert!(bad
        .body
        .contains("La fecha inicial debe ser anterior o igual a la final."));
    let bad = f.leader.get(&format!("/c/{s}/report?from=ayer")).await;
    assert_status(&bad, 422);
    assert!(bad.body.contains("Escribe la fecha como AAAA-MM-DD."));
    for path in [
        format!("/c/{s}/report.xlsx?from=2026-06-01&to=2026-01-01"),
        format!("/api/v1/communities/{s}/report?from=x"),
    ] {
        assert_status(&f.leader.get(&path).await, 422);
    }

    // XLSX: a ZIP served with the spreadsheet type; the same workbook is left for openpyxl.
    let x = f.leader.get(&format!("/c/{s}/report.xlsx?{q}")).await;
    assert_status(&x, 200);
    assert_eq!(
        x.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(x.body.starts_with("PK"));
    let community = tejido_db::communities::by_slug(&app.db, s)
        .await
        .unwrap()
        .unwrap();
    let period = tejido_core::reports::Period {
        from: f.from,
        to: f.to,
    };
    let report = tejido_db::reports::report(&app.db, &community, period)
        .await
        .unwrap();
    let i18n = tejido_web::i18n::I18n::new().unwrap();
    let tr = tejido_web::i18n::Tr {
        i18n: &i18n,
        locale: tejido_core::accounts::Locale::EsMx,
    };
    let tables = report.tables(&|id| tr.t(id));
    assert_eq!(tables.len(), tejido_core::reports::TABLES.len());
    for t in &tables {
        assert!(
            !t.title.starts_with("report-"),
            "untranslated title {}",
            t.title
        );
        for c in &t.columns {
            assert!(!c.starts_with("report-"), "untranslated column {c}");
        }
    }
    let book = tejido_core::reports::xlsx::workbook(&tables);
    if let Ok(dir) = std::env::var("TEJIDO_TEST_ARTIFACTS") {
        let b = format!("{:?}", app.db.backend());
        std::fs::write(
            std::path::Path::new(&dir).join(format!("report-{b}.xlsx")),
            &book,
        )
        .unwrap();
    }
    assert!(book.starts_with(b"PK\x03\x04"));
});
