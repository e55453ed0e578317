//! Search: route tests (both backends). Accent and case folding, ranking (title above body),
//! filters, snippets escaped with marks, query syntax that cannot break the database, and above
//! all visibility: a private community's item never reaches another person's results nor any
//! count, on the page and in the API; instance items need a signed-in reader.

use chrono::NaiveDate;
use tejido_core::decisions::{DecisionInput, Method};
use tejido_core::minutes::{MinutesInput, MinutesStatus};
use tejido_db::search::{Audience, SearchDoc, Source};

use super::*;

struct Cast {
    n: u64,
    private_slug: String,
    private_id: i64,
    public_id: i64,
    leader: Client,
    member: Client,
    outsider: Client,
    admin: Client,
}

async fn cast(app: &TestApp) -> Cast {
    let n = next_n();
    let (leader, _, leader_p) = app
        .signed_in(&format!("lider-busca{n}@example.org"), false)
        .await;
    let (member, _, member_p) = app
        .signed_in(&format!("integrante-busca{n}@example.org"), false)
        .await;
    let (outsider, _, _) = app
        .signed_in(&format!("fuera-busca{n}@example.org"), false)
        .await;
    let (admin, _, _) = app
        .signed_in(&format!("admin-busca{n}@example.org"), true)
        .await;
    let (private_id, private_slug) = app
        .community(&format!("Red Privada {n}"), leader_p, "private")
        .await;
    app.add_member(private_id, member_p, Role::Member).await;
    let (public_id, _) = app
        .community(&format!("Red Abierta {n}"), leader_p, "public")
        .await;
    Cast {
        n,
        private_slug,
        private_id,
        public_id,
        leader,
        member,
        outsider,
        admin,
    }
}

#[allow(clippy::too_many_arguments)]
async fn doc(
    app: &TestApp,
    id: i64,
    community: Option<i64>,
    audience: Audience,
    kind: Option<&str>,
    themes: &[String],
    lang: &str,
    title: &str,
    body: &str,
) {
    let mut tx = app.db.begin().await.unwrap();
    let url = format!("/library/{id}");
    tejido_db::search::upsert(
        &mut tx,
        &SearchDoc {
            source: Source::Resource,
            source_id: id,
            community_id: community,
            audience,
            kind,
            themes,
            lang,
            title,
            body,
            url: &url,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

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

async fn api(client: &Client, query: &str) -> serde_json::Value {
    let r = client.get(&format!("/api/v1/search?{query}")).await;
    assert_status(&r, 200);
    r.json()
}

fn titles(v: &serde_json::Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

both_backends!(folding_ranking_and_filters, |app: TestApp| async move {
    let w = cast(&app).await;
    let base = 1_000_000 + i64::try_from(w.n).unwrap() * 100;
    let themes = vec!["Justicia restaurativa".to_owned(), "Niñez".to_owned()];
    doc(
        &app,
        base + 1,
        None,
        Audience::Public,
        Some("guide"),
        &[],
        "es",
        "Guía de acompañamiento",
        "Incluye un apartado sobre la mediación entre pares y la JUSTICIA cotidiana.",
    )
    .await;
    doc(
        &app,
        base + 2,
        Some(w.public_id),
        Audience::Public,
        Some("methodology"),
        &themes,
        "es",
        "Mediación comunitaria",
        "Pasos para preparar un círculo de diálogo.",
    )
    .await;
    doc(
        &app,
        base + 3,
        None,
        Audience::Public,
        Some("report"),
        &[],
        "en",
        "Annual report",
        "Mediación comunitaria in Oaxaca <script>alert(1)</script>",
    )
    .await;

    // Accents and case: "mediacion" finds "Mediación" and "mediación"; the title match ranks first.
    let v = api(&w.outsider, "q=mediacion").await;
    assert_eq!(v["total"], 3, "{v}");
    let t = titles(&v);
    assert_eq!(t[0], "Mediación comunitaria", "{t:?}");
    assert!(t.contains(&"Guía de acompañamiento".to_owned()));
    // "JUSTICIA" finds "justicia" in a body and in a theme; "ninez" finds "Niñez".
    assert_eq!(api(&w.outsider, "q=JUSTICIA").await["total"], 2);
    assert_eq!(
        titles(&api(&w.outsider, "q=ninez").await),
        ["Mediación comunitaria"]
    );
    // The last word is a prefix; every word is required.
    assert_eq!(api(&w.outsider, "q=acompa").await["total"], 1);
    assert_eq!(api(&w.outsider, "q=mediacion%20dialogo").await["total"], 1);
    assert_eq!(
        api(&w.outsider, "q=mediacion%20inexistente").await["total"],
        0
    );

    // Filters, with counts per value that ignore the filters themselves.
    let v = api(&w.outsider, "q=mediacion&kind=methodology").await;
    assert_eq!(titles(&v), ["Mediación comunitaria"]);
    let kinds = v["facets"]["kind"].as_array().unwrap().len();
    assert_eq!(kinds, 3, "{v}");
    assert_eq!(
        titles(&api(&w.outsider, "q=mediacion&lang=en").await),
        ["Annual report"]
    );
    assert_eq!(
        titles(&api(&w.outsider, "q=mediacion&theme=Justicia%20restaurativa").await),
        ["Mediación comunitaria"]
    );
    let v = api(
        &w.outsider,
        &format!(
            "q=mediacion&community={}",
            urlencode(&slug_of(&app, w.public_id).await)
        ),
    )
    .await;
    assert_eq!(titles(&v), ["Mediación comunitaria"]);
    assert_eq!(
        api(&w.outsider, "q=mediacion&source=minutes").await["total"],
        0
    );
    // An unknown source is ignored rather than an error.
    assert_eq!(
        api(&w.outsider, "q=mediacion&source=bogus").await["total"],
        3
    );

    // Snippets and titles are escaped, then marked.
    let v = api(&w.outsider, "q=oaxaca").await;
    let snip = v["items"][0]["snippet_html"].as_str().unwrap();
    assert!(snip.contains("<mark>Oaxaca</mark>"), "{snip}");
    assert!(
        snip.contains("&lt;script&gt;") && !snip.contains("<script>"),
        "{snip}"
    );

    // The page: results with marks, source label and a filter; escaping of the query itself.
    let r = w.outsider.get("/search?q=Mediaci%C3%B3n").await;
    assert_status(&r, 200);
    assert!(
        r.body.contains("<mark>Mediación</mark> comunitaria"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Recurso de la biblioteca"));
    assert!(r.body.contains("3 resultados"));
    let r = w.outsider.get("/search?q=oaxaca").await;
    assert!(
        r.body.contains("&#60;script&#62;alert") && !r.body.contains("<script>alert"),
        "{}",
        r.body
    );

    // Empty and no-result states, and queries that are not valid syntax anywhere.
    let r = w.outsider.get("/search").await;
    assert_status(&r, 200);
    assert!(r.body.contains("Busca en todo Tejido"));
    let r = w.outsider.get("/search?q=zzzzqqq").await;
    assert_status(&r, 200);
    assert!(r.body.contains("No encontramos nada"));
    for bad in [
        "%22",
        "*",
        "NEAR(a%20b)",
        "a%20OR%20",
        "%27%3B%20DROP%20TABLE%20search_docs",
        "(((",
        "-:^",
        "a%26%7C!b",
    ] {
        let r = w.outsider.get(&format!("/search?q={bad}")).await;
        assert_status(&r, 200);
        let r = w.outsider.get(&format!("/api/v1/search?q={bad}")).await;
        assert_status(&r, 200);
    }
    assert!(app.count("search_docs").await >= 3);
    // Paging.
    let v = api(&w.outsider, "q=mediacion&per_page=2&page=2").await;
    assert_eq!(
        (v["total"].as_i64(), v["items"].as_array().unwrap().len()),
        (Some(3), 1)
    );
});

async fn slug_of(app: &TestApp, id: i64) -> String {
    tejido_db::communities::by_id(&app.db, id)
        .await
        .unwrap()
        .unwrap()
        .slug
}

both_backends!(
    visibility_in_results_and_counts,
    |app: TestApp| async move {
        let w = cast(&app).await;
        let base = 2_000_000 + i64::try_from(w.n).unwrap() * 100;
        // A word found only in the private community's items: a decision, minutes and a resource.
        let mut tx = app.db.begin().await.unwrap();
        let decision = tejido_db::decisions::insert(
            &mut tx,
            w.private_id,
            &DecisionInput {
                title: "Acuerdo sobre el fondo Ixtepecano".into(),
                body: Some("Se destina a la mediación escolar.".into()),
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
        tx.commit().await.unwrap();
        let ev = event(&app, w.private_id, "Encuentro en Juchitán").await;
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::minutes::save_version(
            &mut tx,
            ev,
            &MinutesInput {
                summary: "Borrador: hablamos del fondo Ixtepecano.".into(),
                takeaways: None,
                status: MinutesStatus::Draft,
            },
            None,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // A draft is not searchable, by anyone.
        assert_eq!(
            api(&w.member, "q=ixtepecano&source=minutes").await["total"],
            0
        );
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::minutes::save_version(
            &mut tx,
            ev,
            &MinutesInput {
                summary: "Revisamos el fondo Ixtepecano con las organizaciones.".into(),
                takeaways: Some("Nadie se queda sin voz.".into()),
                status: MinutesStatus::Published,
            },
            None,
        )
        .await
        .unwrap();
        tejido_db::minutes::insert_lesson(&mut tx, ev, "Escuchar primero a las víctimas.", None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        doc(
            &app,
            base + 1,
            Some(w.private_id),
            Audience::Community,
            Some("guide"),
            &["Secreto".to_owned()],
            "es",
            "Guía interna del fondo Ixtepecano",
            "Sólo para la red.",
        )
        .await;
        // Instance-wide and public items with the same word.
        doc(
            &app,
            base + 2,
            None,
            Audience::Instance,
            Some("report"),
            &[],
            "es",
            "Informe Ixtepecano para la instancia",
            "Texto.",
        )
        .await;
        doc(
            &app,
            base + 3,
            Some(w.public_id),
            Audience::Community,
            Some("report"),
            &[],
            "es",
            "Ixtepecano abierto",
            "De una red pública.",
        )
        .await;

        // Members (and admins) find the private items: decision, minutes (with their lesson), resource.
        for who in [&w.member, &w.leader, &w.admin] {
            let v = api(who, "q=ixtepecano").await;
            assert_eq!(v["total"], 5, "{v}");
            let communities = v["facets"]["community"].as_array().unwrap();
            assert!(communities
                .iter()
                .any(|c| c["value"] == w.private_slug.as_str()));
        }
        let v = api(&w.member, "q=victimas").await;
        assert_eq!(titles(&v), ["Encuentro en Juchitán"]);
        assert_eq!(
            v["items"][0]["url"].as_str().unwrap(),
            format!("/c/{}/events/{ev}/minutes", w.private_slug)
        );
        let v = api(&w.member, "q=ixtepecano&source=decision").await;
        assert_eq!(
            v["items"][0]["url"].as_str().unwrap(),
            format!("/c/{}/decisions/{decision}", w.private_slug)
        );

        // The outsider: only the instance item and the public community's item; no private count.
        let v = api(&w.outsider, "q=ixtepecano").await;
        assert_eq!(v["total"], 2, "{v}");
        let mut t = titles(&v);
        t.sort();
        assert_eq!(
            t,
            ["Informe Ixtepecano para la instancia", "Ixtepecano abierto"]
        );
        let facets = v["facets"].to_string();
        assert!(!facets.contains(&w.private_slug), "{facets}");
        assert!(
            !facets.contains("Secreto")
                && !facets.contains("decision")
                && !facets.contains("minutes"),
            "{facets}"
        );
        let sum: i64 = v["facets"]["source"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["count"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, 2);
        // Filtering by the private community gives nothing, not even a count.
        let v = api(
            &w.outsider,
            &format!("q=ixtepecano&community={}", w.private_slug),
        )
        .await;
        assert_eq!(v["total"], 0);
        assert_eq!(api(&w.outsider, "q=victimas").await["total"], 0);
        // The page says the same.
        let r = w.outsider.get("/search?q=ixtepecano").await;
        assert!(r.body.contains("2 resultados"), "{}", r.body);
        assert!(
            !r.body.contains("Guía interna")
                && !r.body.contains("Acuerdo sobre el fondo")
                && !r.body.contains("Juchitán")
        );
        assert!(!r.body.contains(&w.private_slug));
        let r = w.member.get("/search?q=ixtepecano").await;
        assert!(
            r.body.contains("5 resultados") && r.body.contains("Juchitán"),
            "{}",
            r.body
        );

        // Anonymous: public only; the instance item needs a signed-in reader.
        let anon = app.client();
        let v = api(&anon, "q=ixtepecano").await;
        assert_eq!(titles(&v), ["Ixtepecano abierto"]);
        let r = anon.get("/search?q=ixtepecano").await;
        assert_status(&r, 200);
        assert!(r.body.contains("1 resultado") && !r.body.contains("para la instancia"));

        // A correction replaces the corrected decision in the index.
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::decisions::insert(
            &mut tx,
            w.private_id,
            &DecisionInput {
                title: "Acuerdo corregido del fondo Ixtepecano".into(),
                body: None,
                decided_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                method: Method::Consensus,
                votes: None,
                decided_by: None,
                source: None,
                corrects: Some(decision),
            },
            None,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let v = api(&w.member, "q=ixtepecano&source=decision").await;
        assert_eq!(titles(&v), ["Acuerdo corregido del fondo Ixtepecano"]);

        // The maintenance rebuild restores minutes and decisions from their own tables.
        exec(
            &app,
            "DELETE FROM search_docs WHERE source IN ('minutes', 'decision')",
        )
        .await
        .unwrap();
        assert_eq!(api(&w.member, "q=ixtepecano").await["total"], 3);
        assert!(
            tejido_db::search::reindex_minutes_and_decisions(&app.db)
                .await
                .unwrap()
                >= 2
        );
        let v = api(&w.member, "q=ixtepecano").await;
        assert_eq!(v["total"], 5, "{v}");
        assert!(!titles(&v).contains(&"Acuerdo sobre el fondo Ixtepecano".to_owned()));

        // Leaving the community takes the items out of the person's results at once.
        let mut tx = app.db.begin().await.unwrap();
        let member_p: i64 = {
            let v = api(&w.member, "q=ixtepecano").await;
            assert_eq!(v["total"], 5);
            person_of(&app, &format!("integrante-busca{}@example.org", w.n)).await
        };
        tejido_db::communities::remove_person(&mut tx, w.private_id, member_p)
            .await
            .unwrap();
        tejido_db::communities::end_role(&mut tx, w.private_id, member_p, Role::Member)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(api(&w.member, "q=ixtepecano").await["total"], 2);
    }
);

async fn person_of(app: &TestApp, email: &str) -> i64 {
    let sql = "SELECT person_id FROM users WHERE email = $1";
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql)
            .bind(email)
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql)
            .bind(email)
            .fetch_one(p)
            .await
            .unwrap(),
    }
}
