//! Issue 9: every figure of the demo community's report (outcomes by theme, joint projects,
//! sustainability by dimension, funding, network change) equals the one this test computes from
//! the raw tables with its own SQL, on both backends.
//!
//! The SQL is plain aggregates (`COUNT`, `COUNT(DISTINCT …)`, `SUM`, `GROUP BY`) read through
//! [`TestApp::scalar`] (one integer) and [`TestApp::grouped`] (a text and an integer per row),
//! each aggregate cast to BIGINT so both backends return the same type; a mean is an integer sum
//! and count from SQL divided here. Dates and names are inlined as quoted literals (no
//! parameters), which SQLite compares as text and PostgreSQL as dates.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Utc};
use tejido_core::reports::{Period, Report};
use tejido_test::TestApp;

const SLUG: &str = "justicia-penal-y-mediacion-en-oaxaca";

/// A quoted SQL literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn day(d: NaiveDate) -> String {
    lit(&d.format("%Y-%m-%d").to_string())
}

/// The rows of a `SELECT <text>, CAST(<aggregate> AS BIGINT) … GROUP BY <text>`, by key.
async fn by_key(app: &TestApp, sql: &str) -> BTreeMap<String, i64> {
    app.grouped(sql).await.into_iter().collect()
}

/// The number of rows of `from` (a table expression, with its `WHERE` if any).
async fn count(app: &TestApp, from: &str) -> i64 {
    app.scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {from}"))
        .await
}

/// Sums the report's money lines of `group` (and `what`, when given) per currency.
fn money(r: &Report, group: &str, what: Option<&str>) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for l in r
        .extra
        .funding
        .iter()
        .filter(|l| l.group == group && what.is_none_or(|w| l.what == w))
    {
        *out.entry(l.currency.clone()).or_insert(0) += l.minor;
    }
    out
}

/// Per currency, the SQL sum of `amount_minor` over `table` rows matching `cond` (alias `x`);
/// currencies with nothing are left out, as in the report.
async fn money_sql(app: &TestApp, table: &str, cond: &str) -> BTreeMap<String, i64> {
    by_key(
        app,
        &format!(
            "SELECT x.currency, CAST(SUM(x.amount_minor) AS BIGINT)
             FROM {table} x WHERE {cond} GROUP BY x.currency"
        ),
    )
    .await
}

async fn figures(app: TestApp) {
    crate::demo::load(&app.db, Some("una contraseña de demostración".into()))
        .await
        .unwrap();
    let today = Utc::now().date_naive();
    let p = Period {
        from: today - Duration::days(730),
        to: today + Duration::days(60),
    };
    let m = tejido_db::communities::by_slug(&app.db, SLUG)
        .await
        .unwrap()
        .expect("the demo community");
    let r =
        tejido_core::reports::build(&tejido_db::reports::facts(&app.db, &m, p).await.unwrap(), p);
    let (cid, from, to) = (m.id, day(p.from), day(p.to));
    let x = &r.extra;

    // (1) Outcomes by theme: outcomes and distinct organizations, per theme and overall.
    let in_period =
        format!("o.community_id = {cid} AND o.happened_on >= {from} AND o.happened_on <= {to}");
    let total = count(&app, &format!("outcomes o WHERE {in_period}")).await;
    let outcomes_by_theme = by_key(
        &app,
        &format!(
            "SELECT o.theme, CAST(COUNT(*) AS BIGINT)
             FROM outcomes o WHERE {in_period} GROUP BY o.theme"
        ),
    )
    .await;
    let orgs_by_theme = by_key(
        &app,
        &format!(
            "SELECT o.theme, CAST(COUNT(DISTINCT oo.organization_id) AS BIGINT)
             FROM outcomes o LEFT JOIN outcome_organizations oo ON oo.outcome_id = o.id
             WHERE {in_period} GROUP BY o.theme"
        ),
    )
    .await;
    assert!(
        total > 0 && outcomes_by_theme.len() >= 2,
        "{total} outcomes, {} themes",
        outcomes_by_theme.len()
    );
    assert_eq!(x.outcome_themes.len(), outcomes_by_theme.len());
    let report_outcomes: BTreeMap<String, i64> = x
        .outcome_themes
        .iter()
        .map(|t| (t.theme.clone(), t.outcomes))
        .collect();
    assert_eq!(report_outcomes, outcomes_by_theme);
    let report_orgs: BTreeMap<String, i64> = x
        .outcome_themes
        .iter()
        .map(|t| (t.theme.clone(), t.organizations))
        .collect();
    assert_eq!(report_orgs, orgs_by_theme);
    assert!(x.outcome_themes.iter().any(|t| t.organizations > 0));
    assert_eq!(
        x.outcome_themes.iter().map(|t| t.outcomes).sum::<i64>(),
        total
    );
    assert_eq!(x.outcomes.len() as i64, total);
    let links = count(
        &app,
        &format!(
            "outcomes o JOIN outcome_organizations oo ON oo.outcome_id = o.id
             WHERE {in_period}"
        ),
    )
    .await;
    assert_eq!(
        x.outcomes.iter().map(|o| o.organizations).sum::<i64>(),
        links
    );
    // The report has no overall organization figure; the overall distinct count lies between the
    // largest theme's and the sum of the themes'.
    let overall = app
        .scalar(&format!(
            "SELECT CAST(COUNT(DISTINCT oo.organization_id) AS BIGINT)
             FROM outcomes o JOIN outcome_organizations oo ON oo.outcome_id = o.id
             WHERE {in_period}"
        ))
        .await;
    let per_theme: Vec<i64> = x.outcome_themes.iter().map(|t| t.organizations).collect();
    assert!(overall > 0);
    assert!(overall >= per_theme.iter().copied().max().unwrap_or(0));
    assert!(overall <= per_theme.iter().sum::<i64>());

    // (2) Joint projects active in the period, with their members, partners and outcomes (by
    // title, which is unique among them).
    let active = format!(
        "p.community_id = {cid} AND (p.starts_on IS NULL OR p.starts_on <= {to})
         AND (p.ends_on IS NULL OR p.ends_on >= {from})"
    );
    let titles = by_key(
        &app,
        &format!(
            "SELECT p.title, CAST(COUNT(*) AS BIGINT)
             FROM projects p WHERE {active} GROUP BY p.title"
        ),
    )
    .await;
    assert!(!titles.is_empty(), "the demo has projects");
    assert!(
        titles.values().all(|&n| n == 1),
        "one project per title: {titles:?}"
    );
    let joint = count(
        &app,
        &format!("projects p WHERE {active} AND p.kind = 'joint-project'"),
    )
    .await;
    assert!(joint > 0, "the demo has joint projects");
    assert_eq!(x.projects.len(), titles.len());
    // Organizations of each active project, members (`NOT po.partner`) or partners.
    let orgs_sql = |partner: &str| {
        format!(
            "SELECT p.title, CAST(COUNT(po.organization_id) AS BIGINT)
             FROM projects p LEFT JOIN project_organizations po
               ON po.project_id = p.id AND {partner}
             WHERE {active} GROUP BY p.title"
        )
    };
    let members = by_key(&app, &orgs_sql("NOT po.partner")).await;
    let partners = by_key(&app, &orgs_sql("po.partner")).await;
    let outcomes = by_key(
        &app,
        &format!(
            "SELECT p.title, CAST(COUNT(op.outcome_id) AS BIGINT)
             FROM projects p LEFT JOIN outcome_projects op ON op.project_id = p.id
             WHERE {active} GROUP BY p.title"
        ),
    )
    .await;
    let report_by_title = |f: fn(&_) -> i64| -> BTreeMap<String, i64> {
        x.projects.iter().map(|p| (p.title.clone(), f(p))).collect()
    };
    assert_eq!(report_by_title(|p| p.members), members);
    assert_eq!(report_by_title(|p| p.partners), partners);
    assert_eq!(report_by_title(|p| p.outcomes), outcomes);
    assert!(x.projects.iter().map(|p| p.members).sum::<i64>() > 0);

    // (3) Sustainability: per round that opened by the end of the period, oldest closing first,
    // each dimension's mean over the people who rated it of their mean of its criteria.
    let rounds_w = format!(
        "a.community_id = {cid} AND a.instrument = 'sustainability' AND a.opens_on <= {to}"
    );
    let rounds = count(&app, &format!("assessment_rounds a WHERE {rounds_w}")).await;
    assert!(rounds > 0, "the demo has sustainability rounds");
    let s = &x.sustainability;
    assert_eq!(s.rounds.len() as i64, rounds);
    assert_eq!(s.max, 4.0);
    let sections = tejido_core::sustainability::INSTRUMENT.sections;
    assert_eq!(s.dimensions.len(), sections.len());
    let mut rated = 0;
    let mut last: Option<NaiveDate> = None;
    for round in &s.rounds {
        assert!(last.is_none_or(|l| l <= round.closes_on), "oldest first");
        last = Some(round.closes_on);
        let id_w = format!(
            "{rounds_w} AND a.title = {} AND a.closes_on = {}",
            lit(&round.title),
            day(round.closes_on)
        );
        assert_eq!(
            count(&app, &format!("assessment_rounds a WHERE {id_w}")).await,
            1,
            "{}",
            round.title
        );
        let rid = format!("(SELECT a.id FROM assessment_rounds a WHERE {id_w})");
        let respondents = app
            .scalar(&format!(
                "SELECT CAST(COUNT(DISTINCT r.person_id) AS BIGINT)
                 FROM assessment_responses r WHERE r.round_id = {rid} AND r.value IS NOT NULL"
            ))
            .await;
        assert_eq!(round.respondents, respondents, "{}", round.title);
        assert_eq!(round.means.len(), sections.len());
        for (sec, mean) in sections.iter().zip(&round.means) {
            let keys = sec
                .items
                .iter()
                .map(|i| lit(i.key))
                .collect::<Vec<_>>()
                .join(", ");
            // Per person who rated any of the dimension's criteria: the sum and the number of
            // their ratings.
            let per_person = |agg: &str| {
                format!(
                    "SELECT CAST(r.person_id AS TEXT), CAST({agg} AS BIGINT)
                     FROM assessment_responses r
                     WHERE r.round_id = {rid} AND r.item_key IN ({keys})
                       AND r.value BETWEEN 0 AND 4
                     GROUP BY r.person_id"
                )
            };
            let sums = by_key(&app, &per_person("SUM(r.value)")).await;
            let counts = by_key(&app, &per_person("COUNT(*)")).await;
            assert_eq!(
                sums.keys().collect::<Vec<_>>(),
                counts.keys().collect::<Vec<_>>()
            );
            let person_means: Vec<f64> = sums
                .iter()
                .map(|(person, &sum)| sum as f64 / counts[person] as f64)
                .collect();
            match mean {
                Some(v) => {
                    assert!(!person_means.is_empty());
                    let want = person_means.iter().sum::<f64>() / person_means.len() as f64;
                    assert!(
                        (v - want).abs() < 1e-9,
                        "{} {}: report {v}, SQL {want}",
                        round.title,
                        sec.key
                    );
                    rated += 1;
                }
                None => assert!(person_means.is_empty(), "{} {}", round.title, sec.key),
            }
        }
    }
    assert!(rated >= 4, "at least one round rates every dimension");

    // (4) Funding in the period, per currency in minor units.
    let c_w = format!("x.community_id = {cid}");
    let costs = money_sql(
        &app,
        "funding_costs",
        &format!("{c_w} AND x.spent_on >= {from} AND x.spent_on <= {to}"),
    )
    .await;
    assert!(!costs.is_empty(), "the demo has costs");
    assert_eq!(money(&r, "cost", None), costs);
    let given = format!("{c_w} AND x.given_on >= {from} AND x.given_on <= {to}");
    let cash = money_sql(
        &app,
        "funding_contributions",
        &format!("{given} AND x.kind = 'cash'"),
    )
    .await;
    assert!(!cash.is_empty(), "the demo has cash contributions");
    assert_eq!(
        money(&r, "income", Some("funding-source-cash-contribution")),
        cash
    );
    let in_kind = money_sql(
        &app,
        "funding_contributions",
        &format!("{given} AND x.kind = 'in-kind'"),
    )
    .await;
    assert_eq!(money(&r, "in-kind", None), in_kind);
    let all = money_sql(&app, "funding_contributions", &given).await;
    assert_eq!(money(&r, "organization", None), all);
    let grants = money_sql(
        &app,
        "funding_asks",
        &format!("{c_w} AND x.stage = 'awarded' AND x.stage_on >= {from} AND x.stage_on <= {to}"),
    )
    .await;
    assert_eq!(money(&r, "income", Some("funding-source-grant")), grants);
    let mut income = cash.clone();
    for (c, v) in &grants {
        *income.entry(c.clone()).or_insert(0) += v;
    }
    assert_eq!(money(&r, "income", None), income);

    // (5) Network change: non-sensitive ties (every kind but funding) active on a day, parallel
    // and reciprocal ones counted once; new ties are those active at `to` and not at `from`.
    let ties = format!("t.community_id = {cid} AND t.kind <> 'funding'");
    let on = |d: &str| format!("t.started_on <= {d} AND (t.ended_on IS NULL OR t.ended_on > {d})");
    let pairs = |d: &str| {
        format!(
            "(SELECT DISTINCT CASE WHEN t.from_org < t.to_org THEN t.from_org ELSE t.to_org END AS a,
                CASE WHEN t.from_org < t.to_org THEN t.to_org ELSE t.from_org END AS b
              FROM network_ties t WHERE {ties} AND {}) x",
            on(d)
        )
    };
    let nodes = |d: &str| {
        format!(
            "(SELECT co.organization_id AS id FROM community_organizations co
                WHERE co.community_id = {cid} AND co.left_at IS NULL
              UNION SELECT t.from_org FROM network_ties t WHERE {ties} AND {on_d}
              UNION SELECT t.to_org FROM network_ties t WHERE {ties} AND {on_d}) x",
            on_d = on(d)
        )
    };
    let n = &r.network;
    let after = count(&app, &pairs(&to)).await;
    assert!(after > 0, "the demo has ties");
    assert_eq!(n.after.ties, after);
    assert_eq!(n.before.ties, count(&app, &pairs(&from)).await);
    assert_eq!(n.after.organizations, count(&app, &nodes(&to)).await);
    assert_eq!(n.before.organizations, count(&app, &nodes(&from)).await);
    let new_w = format!("{ties} AND {} AND NOT ({})", on(&to), on(&from));
    let new = count(&app, &format!("network_ties t WHERE {new_w}")).await;
    assert!(new > 0, "ties formed in the period");
    assert_eq!(n.new_ties, new);
    assert_eq!(
        n.new_ties_via_community,
        count(
            &app,
            &format!("network_ties t WHERE {new_w} AND t.via_community")
        )
        .await
    );
    let ended_w = format!("{ties} AND {} AND NOT ({})", on(&from), on(&to));
    assert_eq!(
        n.ended_ties,
        count(&app, &format!("network_ties t WHERE {ended_w}")).await
    );
}

tejido_test::both_backends!(
    report_figures_match_sql_on_both_backends,
    |app: tejido_test::TestApp| figures(app)
);
