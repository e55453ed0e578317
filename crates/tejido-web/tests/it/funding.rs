//! Funding: route tests (both backends). Authorization route by route (pages and API), exact
//! amounts (0.10 + 0.20 == 0.30), currencies never summed together, invalid amounts refused in
//! the user's language with nothing written, transparency totals against the fixture rows,
//! pipeline stage changes recorded with their date, JSON amounts as strings and CSV exports.

use super::*;

struct Cast {
    slug: String,
    cid: i64,
    outsider: Client,
    member: Client,
    leader: Client,
    /// Member organizations.
    orgs: [i64; 2],
    member_person: i64,
}

async fn cast(app: &TestApp) -> Cast {
    let n = next_n();
    let (outsider, _, _) = app.signed_in(&format!("fuera{n}@example.org"), false).await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante{n}@example.org"), false)
        .await;
    let (leader, _, leader_p) = app
        .signed_in(&format!("tesorera{n}@example.org"), false)
        .await;
    let (cid, slug) = app
        .community(&format!("Red de Financiamiento {n}"), leader_p, "public")
        .await;
    app.add_member(cid, member_p, Role::Member).await;
    let a = app.organization(&format!("Colectivo Mixteco {n}")).await;
    let b = app.organization(&format!("Observatorio Istmo {n}")).await;
    let mut tx = app.db.begin().await.unwrap();
    for o in [a, b] {
        tejido_db::communities::add_organization(&mut tx, cid, o, None)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    Cast {
        slug,
        cid,
        outsider,
        member,
        leader,
        orgs: [a, b],
        member_person: member_p,
    }
}

async fn event(app: &TestApp, cid: i64) -> i64 {
    let t = tejido_db::now();
    let sql = "INSERT INTO events (community_id, title, kind, mode, starts_at, ends_at, time_zone, status, created_at, updated_at)
               VALUES ($1, 'Encuentro de Tlaxiaco', 'meeting', 'in-person', $2, $2, 'America/Mexico_City', 'held', $2, $2) RETURNING id";
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

/// A JSON POST with the session's CSRF token, as the API expects from a cookie session.
async fn post_json(c: &Client, path: &str, body: &serde_json::Value) -> Resp {
    let token = c.csrf().await;
    c.json(Method::POST, path, body, &[("x-csrf-token", &token)])
        .await
}

async fn counts(app: &TestApp) -> [i64; 5] {
    [
        app.count("funding_costs").await,
        app.count("funding_contributions").await,
        app.count("funding_assets").await,
        app.count("funding_asks").await,
        app.count("funding_ask_stages").await,
    ]
}

async fn add_cost(w: &Cast, category: &str, amount: &str, currency: &str, on: &str) {
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/funding/costs", w.slug),
            &[
                ("category", category),
                ("description", "Gasto del encuentro"),
                ("amount", amount),
                ("currency", currency),
                ("spent_on", on),
            ],
        )
        .await;
    assert_redirect(&r, &format!("/c/{}/funding/costs", w.slug));
}

async fn add_contribution(w: &Cast, org: i64, kind: &str, amount: &str, on: &str) {
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/funding/contributions", w.slug),
            &[
                ("organization", &org.to_string()),
                ("kind", kind),
                ("description", "Aportación"),
                ("amount", amount),
                ("currency", "MXN"),
                ("given_on", on),
            ],
        )
        .await;
    assert_redirect(&r, &format!("/c/{}/funding/contributions", w.slug));
}

async fn add_ask(w: &Cast, amount: &str) -> i64 {
    let r = w
        .leader
        .post_form(
            &format!("/c/{}/funding/pipeline", w.slug),
            &[
                ("donor_text", "Fundación Comunitaria Oaxaca"),
                ("ask", "Encuentros regionales 2027"),
                ("amount", amount),
                ("currency", "MXN"),
            ],
        )
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

/// (method, path, member's status, leader's status); anonymous visitors go to sign in and
/// outsiders get 403 on every one (even though the community is public).
pub(crate) const ROUTES: &[(&str, &str, u16, u16)] = &[
    ("GET", "/c/{slug}/funding", 200, 200),
    ("GET", "/c/{slug}/funding/costs", 200, 200),
    ("POST", "/c/{slug}/funding/costs", 403, 303),
    ("GET", "/c/{slug}/funding/costs.csv", 200, 200),
    ("GET", "/c/{slug}/funding/costs/{id}/delete", 403, 200),
    ("POST", "/c/{slug}/funding/costs/{id}/delete", 403, 303),
    ("GET", "/c/{slug}/funding/contributions", 200, 200),
    ("POST", "/c/{slug}/funding/contributions", 403, 303),
    ("GET", "/c/{slug}/funding/contributions.csv", 200, 200),
    (
        "GET",
        "/c/{slug}/funding/contributions/{id}/delete",
        403,
        200,
    ),
    (
        "POST",
        "/c/{slug}/funding/contributions/{id}/delete",
        403,
        303,
    ),
    ("GET", "/c/{slug}/funding/assets", 200, 200),
    ("POST", "/c/{slug}/funding/assets", 403, 303),
    ("GET", "/c/{slug}/funding/assets.csv", 200, 200),
    ("GET", "/c/{slug}/funding/assets/{id}/delete", 403, 200),
    ("POST", "/c/{slug}/funding/assets/{id}/delete", 403, 303),
    ("GET", "/c/{slug}/funding/pipeline", 200, 200),
    ("POST", "/c/{slug}/funding/pipeline", 403, 303),
    ("GET", "/c/{slug}/funding/pipeline.csv", 200, 200),
    ("GET", "/c/{slug}/funding/pipeline/{id}", 200, 200),
    ("POST", "/c/{slug}/funding/pipeline/{id}/stage", 403, 303),
    ("GET", "/c/{slug}/funding/pipeline/{id}/delete", 403, 200),
    ("POST", "/c/{slug}/funding/pipeline/{id}/delete", 403, 303),
    ("GET", "/c/{slug}/funding/transparency", 200, 200),
];

#[test]
fn every_funding_route_is_in_the_table() {
    let table: Vec<_> = ROUTES.iter().map(|(m, p, _, _)| (*m, *p)).collect();
    assert_pages_listed("funding", &table, |_| false);
}

both_backends!(authorization_route_by_route, |app: TestApp| async move {
    let w = cast(&app).await;
    let anon = app.client();
    for (method, tpl, member_st, leader_st) in ROUTES {
        // A fresh item for each route that needs one (deletes consume theirs).
        let id = if tpl.contains("/costs/") {
            add_cost(&w, "food", "100.00", "MXN", "2026-03-01").await;
            scalar(&app, "SELECT MAX(id) FROM funding_costs").await
        } else if tpl.contains("/contributions/") {
            add_contribution(&w, w.orgs[0], "cash", "50", "2026-03-01").await;
            scalar(&app, "SELECT MAX(id) FROM funding_contributions").await
        } else if tpl.contains("/assets/") {
            let r = w
                .leader
                .post_form(
                    &format!("/c/{}/funding/assets", w.slug),
                    &[
                        ("organization", &w.orgs[1].to_string()),
                        ("kind", "space"),
                        ("description", "Sala para 30 personas"),
                        ("value", "4,500"),
                        ("contact", "Rosa Martínez"),
                    ],
                )
                .await;
            assert_status(&r, 303);
            scalar(&app, "SELECT MAX(id) FROM funding_assets").await
        } else if tpl.contains("/pipeline/") {
            add_ask(&w, "10,000").await
        } else {
            0
        };
        let path = tpl
            .replace("{slug}", &w.slug)
            .replace("{id}", &id.to_string());
        let org = w.orgs[0].to_string();
        let body: Vec<(&str, &str)> = if path.ends_with("/costs") {
            vec![
                ("category", "venue"),
                ("description", "Salón"),
                ("amount", "1,000"),
                ("spent_on", "2026-04-01"),
            ]
        } else if path.ends_with("/contributions") {
            vec![
                ("organization", &org),
                ("kind", "in-kind"),
                ("description", "Equipo de sonido"),
                ("amount", "800"),
                ("given_on", "2026-04-01"),
            ]
        } else if path.ends_with("/assets") {
            vec![
                ("organization", &org),
                ("kind", "expertise"),
                ("description", "Análisis de datos"),
                ("value", "12,000.00"),
            ]
        } else if path.ends_with("/pipeline") {
            vec![
                ("donor_text", "Embajada"),
                ("ask", "Taller"),
                ("amount", "5,000"),
            ]
        } else if path.ends_with("/stage") {
            vec![("stage", "contacted")]
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
            assert_status(&w.leader.post_raw(&path, &body).await, 403);
            assert_status(&w.member.post_form(&path, &body).await, *member_st);
            assert_eq!(
                before,
                counts(&app).await,
                "{path}: a refused request wrote something"
            );
            assert_status(&w.leader.post_form(&path, &body).await, *leader_st);
            assert_ne!(
                before,
                counts(&app).await,
                "{path}: the leader wrote nothing"
            );
        }
    }
    // Another community's item is not reachable through this one.
    let other = cast(&app).await;
    let ask = add_ask(&other, "1,000").await;
    assert_status(
        &w.leader
            .get(&format!("/c/{}/funding/pipeline/{ask}", w.slug))
            .await,
        404,
    );
    assert_status(
        &w.leader
            .post_form(
                &format!("/c/{}/funding/pipeline/{ask}/stage", w.slug),
                &[("stage", "awarded")],
            )
            .await,
        404,
    );

    // JSON: 401 anonymous, 403 outsider, members read, only managers write.
    let api = format!("/api/v1/communities/{}/funding", w.slug);
    for p in ["costs", "contributions", "assets", "asks", "summary"] {
        let path = format!("{api}/{p}");
        assert_status(&anon.get(&path).await, 401);
        assert_status(&w.outsider.get(&path).await, 403);
        assert_status(&w.member.get(&path).await, 200);
    }
    let body = json!({ "category": "food", "description": "Café", "amount": "99.90", "spent_on": "2026-05-02" });
    let before = counts(&app).await;
    assert_status(
        &post_json(&w.member, &format!("{api}/costs"), &body).await,
        403,
    );
    assert_status(
        &post_json(&w.outsider, &format!("{api}/costs"), &body).await,
        403,
    );
    assert_eq!(before, counts(&app).await);
    assert_status(
        &post_json(&w.leader, &format!("{api}/costs"), &body).await,
        201,
    );
});

both_backends!(
    amounts_are_exact_and_currencies_never_mixed,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let ev = event(&app, w.cid).await;
        // 0.10 + 0.20 == 0.30, in two cost lines of one category.
        add_cost(&w, "food", "0.10", "MXN", "2026-02-01").await;
        add_cost(&w, "food", "0.2", "MXN", "2026-02-02").await;
        add_cost(&w, "travel", "$1,234.50", "MXN", "2026-02-03").await;
        add_cost(&w, "travel", "99.99", "USD", "2026-02-03").await;
        // With the event and paid by a member organization.
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/funding/costs", w.slug),
                &[
                    ("category", "venue"),
                    ("description", "Salón de usos múltiples"),
                    ("amount", "10,000.00"),
                    ("currency", "MXN"),
                    ("spent_on", "2026-02-04"),
                    ("event", &ev.to_string()),
                    ("paid_by_org", &w.orgs[0].to_string()),
                ],
            )
            .await;
        assert_status(&r, 303);
        let sum = w
            .member
            .get(&format!(
                "/api/v1/communities/{}/funding/summary?from=2026-01-01&to=2026-12-31",
                w.slug
            ))
            .await
            .json();
        let food: Vec<&serde_json::Value> = sum["costs_by_category"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["category"] == "food")
            .collect();
        assert_eq!(food.len(), 1);
        assert_eq!(
            food[0]["amount"],
            json!({ "amount": "0.30", "currency": "MXN" })
        );
        // Totals per currency: MXN 0.30 + 1,234.50 + 10,000.00; USD apart.
        assert_eq!(
            sum["costs_total"],
            json!([{ "amount": "11234.80", "currency": "MXN" }, { "amount": "99.99", "currency": "USD" }])
        );
        let travel: Vec<&serde_json::Value> = sum["costs_by_category"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["category"] == "travel")
            .collect();
        assert_eq!(travel.len(), 2, "one line per currency: {travel:?}");
        // By event: the event's line, then the general costs.
        let by_event = sum["costs_by_event"].as_array().unwrap();
        assert_eq!(by_event[0]["title"], "Encuentro de Tlaxiaco");
        assert_eq!(by_event[0]["amount"]["amount"], "10000.00");

        // Pages show the Mexican format.
        let page = w
            .member
            .get(&format!(
                "/c/{}/funding/transparency?from=2026-01-01&to=2026-12-31",
                w.slug
            ))
            .await;
        assert_status(&page, 200);
        assert!(page.body.contains("$11,234.80 MXN"), "{}", page.body);
        assert!(page.body.contains("$99.99 USD"));
        assert!(!page.body.contains("11,334.79"), "currencies were summed");
        assert!(page.body.contains("<svg"));
        let costs = w.member.get(&format!("/c/{}/funding/costs", w.slug)).await;
        assert!(costs.body.contains("$1,234.50 MXN"));
        assert!(costs.body.contains("Encuentro de Tlaxiaco"));

        // JSON lists write amounts as strings with their currency.
        let list = w
            .member
            .get(&format!("/api/v1/communities/{}/funding/costs", w.slug))
            .await
            .json();
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 5);
        assert!(items
            .iter()
            .all(|i| i["amount"].is_string() && i.get("amount_minor").is_none()));
        assert!(items
            .iter()
            .any(|i| i["amount"] == "1234.50" && i["currency"] == "MXN"));

        // CSV: plain amounts, one row per line plus the header.
        let csv = w
            .member
            .get(&format!("/c/{}/funding/costs.csv", w.slug))
            .await;
        assert_status(&csv, 200);
        assert!(csv.body.contains("\"1234.50\",\"MXN\""));
        assert_eq!(csv.body.lines().count(), 6);
    }
);

both_backends!(
    invalid_amounts_are_refused_in_the_users_language,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let before = counts(&app).await;
        let path = format!("/c/{}/funding/costs", w.slug);
        for (amount, es) in [
            ("1,5", "No queda claro el monto"),
            ("1 234,50", "No queda claro el monto"),
            ("12.345", "Escribe un monto válido"),
            ("-20", "Escribe un monto válido"),
            ("0.00", "mayor que cero"),
            ("diez pesos", "Escribe un monto válido"),
        ] {
            let r = w
                .leader
                .post_form(
                    &path,
                    &[
                        ("category", "food"),
                        ("description", "Comida"),
                        ("amount", amount),
                        ("spent_on", "2026-03-01"),
                    ],
                )
                .await;
            assert_status(&r, 422);
            assert!(r.body.contains(es), "{amount}: {}", r.body);
            // The input is kept.
            assert!(r.body.contains(&format!("value=\"{amount}\"")), "{amount}");
        }
        // A currency code that disagrees with the chosen currency.
        let r = w
            .leader
            .post_form(
                &path,
                &[
                    ("category", "food"),
                    ("description", "Comida"),
                    ("amount", "$10.00 USD"),
                    ("currency", "MXN"),
                    ("spent_on", "2026-03-01"),
                ],
            )
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("no coincide con la moneda"));
        // A contribution from an organization that is not a member.
        let stranger = app.organization("Fundación Ajena").await;
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/funding/contributions", w.slug),
                &[
                    ("organization", &stranger.to_string()),
                    ("kind", "cash"),
                    ("description", "Donativo"),
                    ("amount", "100"),
                    ("given_on", "2026-03-01"),
                ],
            )
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("no es integrante de la comunidad"));
        // In English for an English-speaking treasurer; JSON errors too.
        let (en, _, p) = app.signed_in("treasurer-en@example.org", false).await;
        let en = english(en);
        app.add_member(w.cid, p, Role::CoLeader).await;
        let r = en
            .post_form(
                &path,
                &[
                    ("category", "food"),
                    ("description", "Lunch"),
                    ("amount", "3,45"),
                    ("spent_on", "2026-03-01"),
                ],
            )
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("The amount is ambiguous"), "{}", r.body);
        let r = post_json(
            &w.leader,
            &format!("/api/v1/communities/{}/funding/asks", w.slug),
            &json!({ "donor_text": "Embajada", "ask": "Taller", "amount": 1500.5 }),
        )
        .await;
        assert!(r.status.is_client_error(), "a JSON number is not an amount");
        let r = post_json(
            &w.leader,
            &format!("/api/v1/communities/{}/funding/asks", w.slug),
            &json!({ "donor_text": "Embajada", "ask": "Taller", "amount": "1.500,50" }),
        )
        .await;
        assert_status(&r, 422);
        assert!(
            r.body.contains("funding-error-amount-ambiguous") || r.body.contains("No queda claro")
        );
        assert_eq!(before, counts(&app).await, "an invalid amount was saved");
        // A reversed period is refused on the transparency page.
        let r = w
            .member
            .get(&format!(
                "/c/{}/funding/transparency?from=2026-05-01&to=2026-04-01",
                w.slug
            ))
            .await;
        assert_status(&r, 422);
        assert!(r.body.contains("igual o posterior"));
    }
);

both_backends!(
    transparency_totals_equal_the_fixture_rows,
    |app: TestApp| async move {
        let w = cast(&app).await;
        // Fixture: (category, amount in centavos, date).
        let costs = [
            ("venue", 450_000, "2026-03-10"),
            ("food", 684_033, "2026-03-10"),
            ("food", 1, "2026-03-11"),
            ("travel", 1_238_050, "2026-04-01"),
            ("materials", 127_580, "2025-12-31"), // outside the period
        ];
        for (cat, minor, on) in costs {
            let amount = format!("{}.{:02}", minor / 100, minor % 100);
            add_cost(&w, cat, &amount, "MXN", on).await;
        }
        let contributions = [
            (w.orgs[0], "cash", 1_000_000, "2026-02-01"),
            (w.orgs[1], "cash", 350_075, "2026-06-30"),
            (w.orgs[1], "in-kind", 450_000, "2026-03-10"),
            (w.orgs[0], "cash", 999_999, "2027-01-01"), // outside the period
        ];
        for (org, kind, minor, on) in contributions {
            let amount = format!("{}.{:02}", minor / 100, minor % 100);
            add_contribution(&w, org, kind, &amount, on).await;
        }
        // An awarded grant, recorded on a date inside the period.
        let ask = add_ask(&w, "200,000").await;
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/funding/pipeline/{ask}/stage", w.slug),
                &[("stage", "awarded"), ("changed_on", "2026-05-15")],
            )
            .await;
        assert_status(&r, 303);

        let in_period = |d: &str| ("2026-01-01"..="2026-12-31").contains(&d);
        let costs_total: i64 = costs.iter().filter(|c| in_period(c.2)).map(|c| c.1).sum();
        let cash: i64 = contributions
            .iter()
            .filter(|c| c.1 == "cash" && in_period(c.3))
            .map(|c| c.2)
            .sum();
        let in_kind: i64 = contributions
            .iter()
            .filter(|c| c.1 == "in-kind" && in_period(c.3))
            .map(|c| c.2)
            .sum();
        let food: i64 = costs.iter().filter(|c| c.0 == "food").map(|c| c.1).sum();
        let grant = 20_000_000;
        let plain = |m: i64| format!("{}.{:02}", m / 100, m % 100);

        let sum = w
            .member
            .get(&format!(
                "/api/v1/communities/{}/funding/summary?from=2026-01-01&to=2026-12-31",
                w.slug
            ))
            .await
            .json();
        assert_eq!(
            sum["costs_total"],
            json!([{ "amount": plain(costs_total), "currency": "MXN" }])
        );
        assert_eq!(
            sum["income"],
            json!([
                { "source": "cash-contribution", "amount": { "amount": plain(cash), "currency": "MXN" } },
                { "source": "grant", "amount": { "amount": plain(grant), "currency": "MXN" } }
            ])
        );
        assert_eq!(
            sum["income_total"],
            json!([{ "amount": plain(cash + grant), "currency": "MXN" }])
        );
        assert_eq!(
            sum["in_kind"],
            json!([{ "amount": plain(in_kind), "currency": "MXN" }])
        );
        let awarded = sum["pipeline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["stage"] == "awarded")
            .unwrap()
            .clone();
        assert_eq!(awarded["count"], 1);
        assert_eq!(sum["pipeline"].as_array().unwrap().len(), 6);

        // The storage function the report uses gives the same figures.
        let from = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let to = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let s = tejido_db::funding::summary(&app.db, w.cid, from, to)
            .await
            .unwrap();
        assert_eq!(s.costs_total[0].minor, costs_total);
        assert_eq!(s.in_kind[0].minor, in_kind);
        assert_eq!(
            s.costs_by_category
                .iter()
                .find(|l| l.category == "food")
                .unwrap()
                .amount
                .minor,
            food
        );

        // The page shows the same totals, formatted.
        let page = w
            .member
            .get(&format!(
                "/c/{}/funding/transparency?from=2026-01-01&to=2026-12-31",
                w.slug
            ))
            .await;
        assert_status(&page, 200);
        let shown = |m: i64| {
            tejido_core::funding::Money::new(m, tejido_core::funding::Currency::Mxn).display()
        };
        for m in [costs_total, cash + grant, in_kind, food] {
            assert!(page.body.contains(&shown(m)), "{} missing", shown(m));
        }
        // A narrower period changes the figures.
        let s = tejido_db::funding::summary(
            &app.db,
            w.cid,
            chrono::NaiveDate::from_ymd_opt(2026, 3, 11).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(s.costs_total.len(), 1);
        assert_eq!(s.costs_total[0].minor, 1);
        assert!(s.income.is_empty());
    }
);

both_backends!(
    pipeline_stage_changes_are_recorded,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/funding/pipeline", w.slug),
                &[
                    ("donor_text", "Fondo Canadá para Iniciativas Locales"),
                    ("ask", "Encuentros de defensoras"),
                    ("amount", "380,000"),
                    ("owner", &w.member_person.to_string()),
                    ("due_on", "2026-12-01"),
                    ("next_step", "Enviar la propuesta"),
                ],
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
        for (stage, on) in [
            ("contacted", "2026-02-01"),
            ("proposal-sent", "2026-03-01"),
            ("under-review", ""),
        ] {
            let r = w
                .leader
                .post_form(
                    &format!("/c/{}/funding/pipeline/{id}/stage", w.slug),
                    &[
                        ("stage", stage),
                        ("changed_on", on),
                        ("note", "Llamada con la oficial"),
                    ],
                )
                .await;
            assert_redirect(&r, &format!("/c/{}/funding/pipeline/{id}", w.slug));
        }
        // An unknown stage is refused and records nothing.
        let before = counts(&app).await;
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/funding/pipeline/{id}/stage", w.slug),
                &[("stage", "maybe")],
            )
            .await;
        assert_status(&r, 422);
        assert_eq!(before, counts(&app).await);

        let j = w
            .member
            .get(&format!("/api/v1/communities/{}/funding/asks/{id}", w.slug))
            .await
            .json();
        assert_eq!(j["ask"]["stage"], "under-review");
        assert_eq!(j["ask"]["amount"], "380000.00");
        assert_eq!(j["ask"]["currency"], "MXN");
        let h = j["history"].as_array().unwrap();
        let stages: Vec<&str> = h.iter().map(|x| x["stage"].as_str().unwrap()).collect();
        assert_eq!(
            stages,
            ["prospect", "contacted", "proposal-sent", "under-review"]
        );
        assert_eq!(h[1]["changed_on"], "2026-02-01");
        assert_eq!(h[2]["changed_on"], "2026-03-01");
        assert_eq!(h[2]["note"], "Llamada con la oficial");
        // The API moves it too, with the date recorded.
        let r = post_json(
            &w.leader,
            &format!("/api/v1/communities/{}/funding/asks/{id}/stage", w.slug),
            &json!({ "stage": "awarded", "changed_on": "2026-04-20" }),
        )
        .await;
        assert_status(&r, 200);
        assert_eq!(r.json()["ask"]["stage_on"], "2026-04-20");
        assert_eq!(r.json()["history"].as_array().unwrap().len(), 5);
        // The board groups by stage and the detail page shows the history.
        let board = w
            .member
            .get(&format!("/c/{}/funding/pipeline", w.slug))
            .await;
        assert!(board.body.contains("Otorgada"));
        assert!(board.body.contains("$380,000.00 MXN"));
        let page = w
            .member
            .get(&format!("/c/{}/funding/pipeline/{id}", w.slug))
            .await;
        assert!(page.body.contains("1 feb 2026"), "{}", page.body);
        assert!(page.body.contains("Propuesta enviada"));
        // The member sees no write form.
        assert!(!page.body.contains("/stage\""));
        // CSV of the pipeline.
        let csv = w
            .member
            .get(&format!("/c/{}/funding/pipeline.csv", w.slug))
            .await;
        assert!(csv.body.contains("\"awarded\",\"2026-04-20\""));
        // An owner who is not a member is refused.
        let (_, _, stranger) = app.signed_in("ajena@example.org", false).await;
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/funding/pipeline", w.slug),
                &[
                    ("donor_text", "Embajada"),
                    ("ask", "Taller"),
                    ("amount", "1,000"),
                    ("owner", &stranger.to_string()),
                ],
            )
            .await;
        assert_status(&r, 422);
    }
);

both_backends!(
    assets_contacts_are_for_members_only,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let r = w
            .leader
            .post_form(
                &format!("/c/{}/funding/assets", w.slug),
                &[
                    ("organization", &w.orgs[0].to_string()),
                    ("kind", "staff-time"),
                    ("description", "Asesoría jurídica"),
                    ("value", "15,000"),
                    ("availability", "Todo el año"),
                    ("contact", "Rosa Martínez, 951 000 0000"),
                ],
            )
            .await;
        assert_status(&r, 303);
        let page = w.member.get(&format!("/c/{}/funding/assets", w.slug)).await;
        assert!(page.body.contains("Rosa Martínez"));
        assert!(page.body.contains("$15,000.00 MXN"));
        // The community is public, yet outsiders and visitors see nothing of it.
        let o = w
            .outsider
            .get(&format!("/c/{}/funding/assets", w.slug))
            .await;
        assert_status(&o, 403);
        assert!(!o.body.contains("Rosa Martínez"));
        let csv = w
            .outsider
            .get(&format!("/c/{}/funding/assets.csv", w.slug))
            .await;
        assert_status(&csv, 403);
        let api = w
            .outsider
            .get(&format!("/api/v1/communities/{}/funding/assets", w.slug))
            .await;
        assert_status(&api, 403);
        assert!(!api.body.contains("Rosa Martínez"));
        let j = w
            .member
            .get(&format!("/api/v1/communities/{}/funding/assets", w.slug))
            .await
            .json();
        assert_eq!(j["items"][0]["value"], "15000.00");
    }
);

both_backends!(
    csv_downloads_defuse_every_formula_start,
    |app: TestApp| async move {
        // Whatever a description starts with (=, +, -, @, a tab or a carriage return), the cost's
        // CSV cell starts with a quote mark, so a spreadsheet shows it as text.
        let w = cast(&app).await;
        let starts = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"];
        for text in starts {
            add_cost(&w, "venue", "10.00", "MXN", "2026-03-01").await;
            let id = scalar(
                &app,
                &format!(
                    "SELECT MAX(id) FROM funding_costs WHERE community_id = {}",
                    w.cid
                ),
            )
            .await;
            exec(
                &app,
                &format!("UPDATE funding_costs SET description = '{text}' WHERE id = {id}"),
            )
            .await
            .unwrap();
        }
        let csv = w
            .member
            .get(&format!("/c/{}/funding/costs.csv", w.slug))
            .await;
        assert_status(&csv, 200);
        for text in starts {
            assert!(
                csv.body.contains(&format!("\"'{text}\"")),
                "{text:?} is not defused: {}",
                csv.body
            );
        }
    }
);

both_backends!(
    a_deletion_asks_first_and_names_the_item,
    |app: TestApp| async move {
        let w = cast(&app).await;
        add_cost(&w, "food", "100.00", "MXN", "2026-03-01").await;
        let id = scalar(
            &app,
            &format!(
                "SELECT MAX(id) FROM funding_costs WHERE community_id = {}",
                w.cid
            ),
        )
        .await;
        let list = w.leader.get(&format!("/c/{}/funding/costs", w.slug)).await;
        let delete = format!("/c/{}/funding/costs/{id}/delete", w.slug);
        assert!(list.body.contains(&format!("href=\"{delete}\"")));
        assert!(!list.body.contains(&format!("action=\"{delete}\"")));
        let ask = w.leader.get(&delete).await;
        assert_status(&ask, 200);
        assert!(
            ask.body.contains("¿Borrar «Gasto del encuentro»?"),
            "{}",
            ask.body
        );
        assert!(ask.body.contains("no se puede deshacer"));
        assert!(ask.body.contains(&format!("action=\"{delete}\"")));
        let gone = format!("funding_costs WHERE id = {id}");
        assert_eq!(app.count(&gone).await, 1);
        assert_status(
            &w.leader
                .get(&format!("/c/{}/funding/costs/99999999/delete", w.slug))
                .await,
            404,
        );
        assert_status(&w.leader.post_form(&delete, &[]).await, 303);
        assert_eq!(app.count(&gone).await, 0);
    }
);
