//! The surface crawl: markers planted in members-only records (a decision, published minutes, an
//! action item, a library resource kept for the community, the names on the members list) are
//! looked for on every page, API answer, export, feed and search result a reader can reach, as
//! each kind of reader. A marker may appear only where the record's own page lets that reader in
//! (`tejido_core::visibility`: one rule per kind of record, on every surface).

use chrono::NaiveDate;
use tejido_core::decisions::{DecisionInput, Method};
use tejido_core::minutes::{ActionItemInput, MinutesInput, MinutesStatus};

use super::*;

/// One planted record: the marker in its text and the page that is its own rule.
struct Plant {
    marker: String,
    page: String,
}

async fn held_event(app: &TestApp, cid: i64, title: &str) -> i64 {
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

/// Every GET surface of the community a reader might reach, plus the instance-wide ones.
fn surfaces(slug: &str, event: i64, markers: &[&str]) -> Vec<String> {
    let c = format!("/c/{slug}");
    let a = format!("/api/v1/communities/{slug}");
    let mut v: Vec<String> = [
        "",
        "/action-items",
        "/charter",
        "/decisions",
        "/discussions",
        "/events",
        "/events.ics",
        "/events/participation",
        "/funding",
        "/funding/transparency",
        "/governance",
        "/library",
        "/members",
        "/network",
        "/network/export/csv",
        "/network/export/gexf",
        "/network/surveys",
        "/onboarding",
        "/onboarding/print",
        "/outcomes",
        "/ownership",
        "/polls",
        "/projects",
        "/report",
        "/report.csv",
        "/report/funders",
        "/reviews",
        "/rotation",
        "/sustainability",
    ]
    .iter()
    .map(|p| format!("{c}{p}"))
    .collect();
    v.push(format!("{c}/events/{event}"));
    v.push(format!("{c}/events/{event}/minutes"));
    for p in [
        "",
        "/action-items",
        "/charter",
        "/decisions",
        "/discussions",
        "/events",
        "/governance",
        "/members",
        "/onboarding",
        "/outcomes",
        "/ownership",
        "/report",
        "/rotation",
    ] {
        v.push(format!("{a}{p}"));
    }
    for p in [
        "/",
        "/communities",
        "/library",
        "/reports",
        "/support",
        "/support/asks",
        "/account",
        "/account/calendar",
        "/api/v1/library",
        "/api/v1/me",
    ] {
        v.push(p.to_owned());
    }
    // The search pages repeat the query: ask for a prefix (the last word matches as one), so a
    // marker on the page can only come from a result.
    for m in markers {
        let q = m.trim_end_matches("xq");
        v.push(format!("/search?q={q}"));
        v.push(format!("/api/v1/search?q={q}"));
        v.push(format!("/library?q={q}"));
    }
    v
}

async fn crawl(app: &TestApp, visibility: &str) {
    let n = next_n();
    let (leader, _, leader_p) = app
        .signed_in(&format!("lider-marca{n}@example.org"), false)
        .await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante-marca{n}@example.org"), false)
        .await;
    let (guest, _, guest_p) = app
        .signed_in(&format!("invitada-marca{n}@example.org"), false)
        .await;
    let (funder, _, funder_p) = app
        .signed_in(&format!("financiadora-marca{n}@example.org"), false)
        .await;
    let (outsider, _, _) = app
        .signed_in(&format!("fuera-marca{n}@example.org"), false)
        .await;
    let (cid, slug) = app
        .community(&format!("Red Marcada {n}"), leader_p, visibility)
        .await;
    app.add_member(cid, member_p, Role::Member).await;
    app.add_member(cid, guest_p, Role::Guest).await;
    {
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::communities::assign_role(&mut tx, cid, funder_p, Role::Funder, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    // A person whose name is a marker: names of members are for signed-in viewers.
    let person_marker = format!("nombremarca{n}xq");
    let (_, named_p) = app
        .user(&format!("{person_marker}@example.org"), false)
        .await;
    app.add_member(cid, named_p, Role::Member).await;

    let decision_marker = format!("acuerdomarca{n}xq");
    let minutes_marker = format!("actamarca{n}xq");
    let item_marker = format!("compromisomarca{n}xq");
    let resource_marker = format!("contactomarca{n}xq");
    let ev = held_event(app, cid, &format!("Encuentro {n}")).await;
    let mut tx = app.db.begin().await.unwrap();
    let decision = tejido_db::decisions::insert(
        &mut tx,
        cid,
        &DecisionInput {
            title: format!("Acuerdo {decision_marker}"),
            body: Some(format!("Texto del acuerdo {decision_marker}.")),
            decided_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            method: Method::Consensus,
            votes: None,
            decided_by: None,
            source: None,
            corrects: None,
        },
        None,
    )
    .await
    .unwrap();
    tejido_db::minutes::save_version(
        &mut tx,
        ev,
        &MinutesInput {
            summary: format!("Hablamos de {minutes_marker}."),
            takeaways: None,
            status: MinutesStatus::Published,
        },
        None,
    )
    .await
    .unwrap();
    tejido_db::minutes::insert_item(
        &mut tx,
        ev,
        &ActionItemInput {
            title: format!("Llamar a {item_marker}"),
            owner_person_id: member_p,
            due_on: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
        },
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let cid_s = cid.to_string();
    let r = leader
        .post_multipart(
            "/library",
            &[
                ("kind", "contact-list"),
                ("title", &format!("Directorio {resource_marker}")),
                ("body", &format!("Teléfonos de {resource_marker}")),
                ("language", "es"),
                ("themes", "protección"),
                ("visibility", "community"),
                ("community", cid_s.as_str()),
            ],
            &[],
        )
        .await;
    assert_status(&r, 303);
    let resource_page = r.location().unwrap().to_owned();
    // The leader chooses it as a key resource of the onboarding pack.
    let rid = resource_page.rsplit('/').next().unwrap().to_owned();
    let r = leader
        .post_form(
            &format!("/c/{slug}/onboarding/key-resources"),
            &[("resource", rid.as_str())],
        )
        .await;
    assert_status(&r, 303);

    let plants = [
        Plant {
            marker: decision_marker.clone(),
            page: format!("/c/{slug}/decisions/{decision}"),
        },
        Plant {
            marker: minutes_marker.clone(),
            page: format!("/c/{slug}/events/{ev}/minutes"),
        },
        Plant {
            marker: item_marker.clone(),
            page: format!("/c/{slug}/action-items"),
        },
        Plant {
            marker: resource_marker.clone(),
            page: resource_page.clone(),
        },
        Plant {
            marker: person_marker.clone(),
            page: format!("/c/{slug}/members"),
        },
    ];
    let markers: Vec<&str> = plants.iter().map(|p| p.marker.as_str()).collect();
    let urls = surfaces(&slug, ev, &markers);
    let anonymous = app.client();
    let readers: [(&str, &Client); 6] = [
        ("anonymous", &anonymous),
        ("outsider", &outsider),
        ("funder", &funder),
        ("guest", &guest),
        ("member", &member),
        ("leader", &leader),
    ];
    let mut bodies: Vec<(String, String)> = Vec::new();
    for (who, client) in readers {
        bodies.clear();
        for u in &urls {
            let r = client.get(u).await;
            assert!(r.status.as_u16() < 500, "{who} {u}: {}", r.status);
            bodies.push((u.clone(), r.body));
        }
        let mut allowed = Vec::new();
        for p in &plants {
            let r = client.get(&p.page).await;
            let ok = r.status == StatusCode::OK;
            if ok {
                // The test would prove nothing if the record's own page did not show it.
                assert!(
                    r.body.contains(&p.marker),
                    "{who}: {} lacks {}",
                    p.page,
                    p.marker
                );
                allowed.push(p.marker.as_str());
                continue;
            }
            for (u, body) in &bodies {
                assert!(
                    !body.contains(&p.marker),
                    "{visibility} community: {who} is refused {} ({}) but {u} shows {}",
                    p.page,
                    r.status,
                    p.marker
                );
            }
        }
        // What each reader is meant to reach, so the crawl cannot pass by refusing everyone.
        let expected: &[&str] = match who {
            "anonymous" => &[],
            // The funder role opens the reports only: elsewhere its holder is an outsider.
            "outsider" | "funder" => &[person_marker.as_str()],
            "guest" => &[
                minutes_marker.as_str(),
                item_marker.as_str(),
                resource_marker.as_str(),
                person_marker.as_str(),
            ],
            _ => &markers,
        };
        let mut expected = expected.to_vec();
        if visibility == "private" && matches!(who, "outsider" | "funder") {
            expected.clear();
        }
        assert_eq!(allowed, expected, "{visibility} community, {who}");
    }
    // The members-only markers did reach those allowed, on the surfaces that summarize them.
    let pack = member.get(&format!("/c/{slug}/onboarding")).await.body;
    for m in [
        &minutes_marker,
        &item_marker,
        &resource_marker,
        &person_marker,
    ] {
        assert!(pack.contains(m.as_str()), "the pack lacks {m} for a member");
    }
    let found = member
        .get(&format!(
            "/api/v1/search?q={}",
            decision_marker.trim_end_matches("xq")
        ))
        .await
        .json();
    assert_eq!(found["total"], 1, "{found}");
}

both_backends!(
    members_only_records_never_leak_instance,
    |app: TestApp| async move {
        crawl(&app, "instance").await;
    }
);

both_backends!(
    members_only_records_never_leak_public,
    |app: TestApp| async move {
        crawl(&app, "public").await;
    }
);

both_backends!(
    members_only_records_never_leak_private,
    |app: TestApp| async move {
        crawl(&app, "private").await;
    }
);
