//! The route-by-route authorization matrix, CSRF rejection on every state-changing route, the
//! security headers and the operational endpoints. The matrix lists every route the route
//! registry holds for the capabilities it covers, and every registered access level is held
//! against what its route answers here and in the capabilities' own tables.

use std::collections::{BTreeSet, HashMap};

use tejido_web::routes::Level;

use super::*;

/// Expected: 303 to `/login?next=…` (an anonymous visitor sent to sign in).
const LOGIN: u16 = 1;

/// Columns: anonymous, signed-in outsider (no role anywhere, not in the community), plain
/// member of the private community, its leader, instance admin.
const ROLES: [&str; 5] = ["anonymous", "outsider", "member", "leader", "admin"];

struct Row {
    method: &'static str,
    path: &'static str,
    body: &'static str,
    expect: [u16; 5],
}

const fn r(method: &'static str, path: &'static str, body: &'static str, expect: [u16; 5]) -> Row {
    Row {
        method,
        path,
        body,
        expect,
    }
}

const PW: &str = "password=otra+contrase%C3%B1a+larga&confirm=otra+contrase%C3%B1a+larga";

/// Every route the router serves. Placeholders are filled with fresh fixtures for each request:
/// `{slug}` the private community, `{org}`/`{person}` new directory entries, `{org_in}`/
/// `{person_in}` new current members of the community, `{reset}`/`{invite}` new single-use
/// tokens, `{token_id}` an API token of the requester, `{email}` a new address, `{n}` a number.
const MATRIX: &[Row] = &[
    // operations and home
    r("GET", "/healthz", "", [200, 200, 200, 200, 200]),
    r("GET", "/metrics", "", [401, 403, 403, 403, 200]),
    r("GET", "/static/style.css", "", [200, 200, 200, 200, 200]),
    r("GET", "/", "", [200, 200, 200, 200, 200]),
    r("GET", "/no/such/page", "", [404, 404, 404, 404, 404]),
    // accounts
    r("GET", "/login", "", [200, 303, 303, 303, 303]),
    r("POST", "/login", "email=nadie%40example.org&password=incorrecta&next=%2F", [422, 422, 422, 422, 422]),
    r("POST", "/logout", "", [303, 303, 303, 303, 303]),
    r("POST", "/language", "lang=es-MX&next=%2F", [303, 303, 303, 303, 303]),
    r("GET", "/password/forgot", "", [200, 200, 200, 200, 200]),
    r("POST", "/password/forgot", "email=nadie%40example.org", [200, 200, 200, 200, 200]),
    r("GET", "/password/reset/{reset}", "", [200, 200, 200, 200, 200]),
    r("POST", "/password/reset/{reset}", PW, [303, 303, 303, 303, 303]),
    r("GET", "/invitations/{invite}", "", [200, 200, 200, 200, 200]),
    r(
        "POST",
        "/invitations/{invite}",
        "display_name=Nueva+Persona&password=otra+contrase%C3%B1a+larga&confirm=otra+contrase%C3%B1a+larga",
        [303, 303, 303, 303, 303],
    ),
    r("GET", "/account", "", [LOGIN, 200, 200, 200, 200]),
    r("POST", "/account/tokens", "name=integracion", [LOGIN, 200, 200, 200, 200]),
    r("POST", "/account/tokens/{token_id}/revoke", "", [LOGIN, 303, 303, 303, 303]),
    // directory
    r("GET", "/directory", "", [303, 303, 303, 303, 303]),
    r("GET", "/directory/organizations", "", [LOGIN, 200, 200, 200, 200]),
    r("POST", "/directory/organizations", "name=Org+{n}&kind=cso", [LOGIN, 403, 403, 303, 303]),
    r("GET", "/directory/organizations/new", "", [LOGIN, 403, 403, 200, 200]),
    r("GET", "/directory/organizations/{org}", "", [LOGIN, 200, 200, 200, 200]),
    r("POST", "/directory/organizations/{org}", "name=Org+{n}&kind=academia", [LOGIN, 403, 403, 303, 303]),
    r("GET", "/directory/organizations/{org}/edit", "", [LOGIN, 403, 403, 200, 200]),
    r("POST", "/directory/organizations/{org}/archive", "archived=1", [LOGIN, 403, 403, 403, 303]),
    r("GET", "/directory/people", "", [LOGIN, 200, 200, 200, 200]),
    r("POST", "/directory/people", "full_name=Persona+{n}", [LOGIN, 403, 403, 303, 303]),
    r("GET", "/directory/people/new", "", [LOGIN, 403, 403, 200, 200]),
    r("GET", "/directory/people/{person}", "", [LOGIN, 200, 200, 200, 200]),
    r("POST", "/directory/people/{person}", "full_name=Persona+{n}", [LOGIN, 403, 403, 303, 303]),
    r("GET", "/directory/people/{person}/edit", "", [LOGIN, 403, 403, 200, 200]),
    r("POST", "/directory/people/{person}/archive", "archived=1", [LOGIN, 403, 403, 403, 303]),
    // communities
    r("GET", "/communities", "", [LOGIN, 200, 200, 200, 200]),
    r("POST", "/communities", "name=Comunidad+{n}&purpose=Aprender", [LOGIN, 403, 403, 303, 303]),
    r("GET", "/communities/new", "", [LOGIN, 403, 403, 200, 200]),
    r("GET", "/c/{slug}", "", [LOGIN, 403, 200, 200, 200]),
    r("GET", "/c/no-existe", "", [404, 404, 404, 404, 404]),
    r("GET", "/c/{slug}/edit", "", [LOGIN, 403, 403, 200, 200]),
    r("POST", "/c/{slug}/edit", "name=Red+Privada&purpose=Aprender&visibility=private", [LOGIN, 403, 403, 303, 303]),
    r("GET", "/c/{slug}/members", "", [LOGIN, 403, 200, 200, 200]),
    r("POST", "/c/{slug}/members/organizations", "organization_id={org}", [LOGIN, 403, 403, 303, 303]),
    r("GET", "/c/{slug}/members/organizations/{org_in}/remove", "", [LOGIN, 403, 403, 200, 200]),
    r("POST", "/c/{slug}/members/organizations/{org_in}/remove", "", [LOGIN, 403, 403, 303, 303]),
    r("POST", "/c/{slug}/members/people", "person_id={person}", [LOGIN, 403, 403, 303, 303]),
    r("GET", "/c/{slug}/members/people/{person_in}/remove", "", [LOGIN, 403, 403, 200, 200]),
    r("POST", "/c/{slug}/members/people/{person_in}/remove", "", [LOGIN, 403, 403, 303, 303]),
    r("POST", "/c/{slug}/roles", "person_id={person_in}&role=facilitator", [LOGIN, 403, 403, 303, 303]),
    r("GET", "/c/{slug}/roles/end?person_id={person_in}&role=member", "", [LOGIN, 403, 403, 200, 200]),
    r("POST", "/c/{slug}/roles/end", "person_id={person_in}&role=member", [LOGIN, 403, 403, 303, 303]),
    r("POST", "/c/{slug}/invitations", "email={email}&role=member", [LOGIN, 403, 403, 200, 200]),
    // admin
    r("GET", "/admin", "", [LOGIN, 403, 403, 403, 200]),
    r("POST", "/admin/invitations", "email={email}", [LOGIN, 403, 403, 403, 200]),
    // JSON API
    r("GET", "/api/v1/openapi.json", "", [200, 200, 200, 200, 200]),
    r("GET", "/api/v1/me", "", [401, 200, 200, 200, 200]),
    r("GET", "/api/v1/organizations", "", [401, 200, 200, 200, 200]),
    r("POST", "/api/v1/organizations", r#"{"name": "Org {n}", "kind": "cso"}"#, [401, 403, 403, 201, 201]),
    r("GET", "/api/v1/organizations/{org}", "", [401, 200, 200, 200, 200]),
    r("PUT", "/api/v1/organizations/{org}", r#"{"name": "Org {n}", "kind": "media"}"#, [401, 403, 403, 200, 200]),
    r("GET", "/api/v1/people", "", [401, 200, 200, 200, 200]),
    r("POST", "/api/v1/people", r#"{"full_name": "Persona {n}"}"#, [401, 403, 403, 201, 201]),
    r("GET", "/api/v1/people/{person}", "", [401, 200, 200, 200, 200]),
    r("PUT", "/api/v1/people/{person}", r#"{"full_name": "Persona {n}"}"#, [401, 403, 403, 200, 200]),
    r("GET", "/api/v1/communities", "", [401, 200, 200, 200, 200]),
    r("POST", "/api/v1/communities", r#"{"name": "Comunidad {n}", "purpose": "Aprender"}"#, [401, 403, 403, 201, 201]),
    r("GET", "/api/v1/communities/{slug}", "", [401, 403, 200, 200, 200]),
    r("GET", "/api/v1/communities/{slug}/members", "", [401, 403, 200, 200, 200]),
    r("GET", "/api/v1/no-such-thing", "", [404, 404, 404, 404, 404]),
];

/// The people and places every matrix request is made against.
struct World {
    slug: String,
    community: i64,
    /// User id per role (none for anonymous).
    users: [Option<i64>; 5],
    anon_cookie: String,
    anon_csrf: String,
}

async fn world(app: &TestApp) -> World {
    let (outsider, _) = app.user("fuera@example.org", false).await;
    let (member, member_p) = app.user("integrante@example.org", false).await;
    let (leader, leader_p) = app.user("lider@example.org", false).await;
    let (admin, _) = app.user("admin@example.org", true).await;
    let (community, slug) = app.community("Red Privada", leader_p, "private").await;
    app.add_member(community, member_p, Role::Member).await;
    // An anonymous visitor's CSRF cookie and the token derived from it, read from the sign-in page.
    let page = app.client().get("/login").await;
    let anon_cookie = format!(
        "tejido_csrf={}",
        set_cookie(&page, "tejido_csrf").expect("anonymous CSRF cookie")
    );
    let anon_csrf = page.csrf().expect("token in the sign-in form");
    World {
        slug,
        community,
        users: [
            None,
            Some(outsider),
            Some(member),
            Some(leader),
            Some(admin),
        ],
        anon_cookie,
        anon_csrf,
    }
}

/// Fills the placeholders of a path or body; one fresh fixture per name per request.
async fn fill(
    app: &TestApp,
    w: &World,
    requester: Option<i64>,
    template: &str,
    cache: &mut HashMap<String, String>,
) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        if name_len == 0 || !after[name_len..].starts_with('}') {
            out.push('{');
            rest = after;
            continue;
        }
        let name = &after[..name_len];
        if !cache.contains_key(name) {
            let v = fixture(app, w, requester, name).await;
            cache.insert(name.to_owned(), v);
        }
        out.push_str(&cache[name]);
        rest = &after[name_len + 1..];
    }
    out.push_str(rest);
    out
}

async fn fixture(app: &TestApp, w: &World, requester: Option<i64>, name: &str) -> String {
    let n = next_n();
    match name {
        "slug" => w.slug.clone(),
        "n" => n.to_string(),
        "email" => format!("nueva{n}%40example.org"),
        "org" => org_with(app, &format!("Organización {n}"), "cso", "20")
            .await
            .to_string(),
        "person" => person_with(app, &format!("Persona {n}"), None, None)
            .await
            .to_string(),
        "org_in" => {
            let id = org_with(app, &format!("Miembro {n}"), "cso", "20").await;
            let mut tx = app.db.begin().await.unwrap();
            assert!(
                tejido_db::communities::add_organization(&mut tx, w.community, id, None)
                    .await
                    .unwrap()
            );
            tx.commit().await.unwrap();
            id.to_string()
        }
        "person_in" => {
            let id = person_with(app, &format!("Integrante {n}"), None, None).await;
            app.add_member(w.community, id, Role::Member).await;
            id.to_string()
        }
        "reset" | "invite" => {
            // A throwaway account for the reset, so the requester's own sessions survive.
            let email = format!("token{n}@example.org");
            let user_id = if name == "reset" {
                Some(app.user(&email, false).await.0)
            } else {
                None
            };
            let raw = format!("token{n}abcdef");
            let mut tx = app.db.begin().await.unwrap();
            tejido_db::accounts::insert_token(
                &mut tx,
                &tejido_db::accounts::NewToken {
                    raw: &raw,
                    purpose: if name == "reset" {
                        tejido_db::accounts::TokenPurpose::PasswordReset
                    } else {
                        tejido_db::accounts::TokenPurpose::Invitation
                    },
                    email: &email,
                    user_id,
                    community_id: (name == "invite").then_some(w.community),
                    role: (name == "invite").then_some("member"),
                    created_by: None,
                    expires_at: tejido_db::now() + chrono::Duration::hours(1),
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            raw
        }
        "token_id" => {
            let owner = requester.or(w.users[4]).unwrap();
            tejido_db::accounts::create_api_token(
                &app.db,
                owner,
                "matriz",
                &format!("tjd_matrix{n}"),
            )
            .await
            .unwrap()
            .to_string()
        }
        other => panic!("unknown placeholder {{{other}}}"),
    }
}

/// How a request proves (or fails to prove) where it came from.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Csrf {
    Valid,
    Missing,
    Wrong,
    CrossSite,
    ForeignOrigin,
}

/// Sends one matrix request as `role`, with a fresh session for signed-in roles.
async fn send(app: &TestApp, w: &World, row: &Row, role: usize, csrf: Csrf) -> (Resp, String) {
    let requester = w.users[role];
    let mut cache = HashMap::new();
    let path = fill(app, w, requester, row.path, &mut cache).await;
    let body = fill(app, w, requester, row.body, &mut cache).await;
    let (cookie, token) = match requester {
        Some(uid) => session_for(app, uid).await,
        None => (w.anon_cookie.clone(), w.anon_csrf.clone()),
    };
    let token = match csrf {
        Csrf::Wrong => format!("{token}0"),
        _ => token,
    };
    let method = Method::from_bytes(row.method.as_bytes()).unwrap();
    let api = path.starts_with("/api/");
    let mut headers: Vec<(&str, &str)> = vec![("cookie", cookie.as_str())];
    if api && csrf != Csrf::Missing {
        headers.push(("x-csrf-token", token.as_str()));
    }
    match csrf {
        Csrf::CrossSite => headers.push(("sec-fetch-site", "cross-site")),
        Csrf::ForeignOrigin => headers.push(("origin", "https://evil.example")),
        _ => {}
    }
    let (ct, bytes) = if method == Method::GET {
        (None, vec![])
    } else if api {
        (Some("application/json"), body.into_bytes())
    } else {
        let mut form = if csrf == Csrf::Missing {
            String::new()
        } else {
            format!("_csrf={}", urlencode(&token))
        };
        if !body.is_empty() {
            if !form.is_empty() {
                form.push('&');
            }
            form.push_str(&body);
        }
        (Some("application/x-www-form-urlencoded"), form.into_bytes())
    };
    // A fresh client per request: whatever cookies a response sets stay out of the next one.
    let resp = app
        .client()
        .request(method, &path, ct, bytes, &headers)
        .await;
    (resp, format!("{} {path} as {}", row.method, ROLES[role]))
}

both_backends!(
    every_route_answers_each_role_as_expected,
    |app: TestApp| async move {
        let w = world(&app).await;
        let mut failures = Vec::new();
        for row in MATRIX {
            for (role, &want) in row.expect.iter().enumerate() {
                let (resp, what) = send(&app, &w, row, role, Csrf::Valid).await;
                let got = resp.status.as_u16();
                let ok = if want == LOGIN {
                    got == 303
                        && resp
                            .location()
                            .is_some_and(|l| l.starts_with("/login?next="))
                } else {
                    got == want
                };
                if !ok {
                    failures.push(format!(
                        "{what}: expected {want}, got {got} (location {:?})",
                        resp.location()
                    ));
                }
                // Never the data: a refusal carries the error page or JSON error, not the resource.
                if got == 403 {
                    if row.path.starts_with("/api/") {
                        assert_eq!(resp.json()["error"], "error-forbidden", "{what}");
                    } else {
                        assert!(
                            resp.body.contains("No tienes permiso"),
                            "{what}: {}",
                            resp.body
                        );
                        assert!(
                            !resp.body.contains("Red Privada"),
                            "{what} leaked the community's name"
                        );
                    }
                }
                if got == 401 {
                    assert_eq!(resp.json()["error"], "error-unauthorized", "{what}");
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} mismatches:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
);

/// The (method, path) pairs of the capabilities this matrix covers, from the route registry,
/// with path parameters written as `{}`.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for feature in [
        "accounts",
        "admin",
        "communities",
        "directory",
        "home",
        "ops",
        "openapi",
    ] {
        for (m, p) in registry(feature) {
            out.insert((m, normalize(&p)));
        }
    }
    out
}

/// `/c/{slug}/members/people/{id}/remove` → `/c/{}/members/people/{}/remove` (a query dropped).
fn normalize(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    let mut out = String::new();
    let mut skip = false;
    for ch in path.chars() {
        match ch {
            '{' => {
                skip = true;
                out.push_str("{}");
            }
            '}' => skip = false,
            _ if !skip => out.push(ch),
            _ => {}
        }
    }
    out
}

/// What a route's registered level promises of what it answers, given the statuses of the
/// matrix (`None` where a table has no column for that reader). Refused: 401, 403, 404 or a
/// redirect to the sign-in page.
fn level_disagrees(
    level: Level,
    anon: Option<u16>,
    outsider: Option<u16>,
    member: Option<u16>,
    leader: Option<u16>,
    admin: Option<u16>,
) -> Option<&'static str> {
    let refused = |s: Option<u16>| s.map(|s| matches!(s, LOGIN | 401 | 403 | 404));
    let admitted = |s: Option<u16>| refused(s).map(|r| !r);
    let checks: &[(Option<bool>, &str)] = match level {
        Level::Public => &[(
            admitted(anon),
            "a public route refuses an anonymous visitor",
        )],
        Level::Account => &[(
            refused(anon),
            "an account route admits an anonymous visitor",
        )],
        Level::DirectoryEditor => &[
            (
                refused(anon),
                "a directory editor's route admits an anonymous visitor",
            ),
            (
                admitted(leader),
                "a directory editor's route refuses a leader",
            ),
        ],
        Level::Viewer | Level::Funder => &[(admitted(member), "a viewer's route refuses a member")],
        Level::Member => &[
            (admitted(member), "a member's route refuses a member"),
            (refused(outsider), "a member's route admits an outsider"),
        ],
        // Managers hold most of these roles too, but not all (a report-back is the attending
        // organization's): only outsiders are surely refused.
        Level::RoleHolder => &[(
            refused(outsider),
            "a role holder's route admits an outsider",
        )],
        Level::Manager => &[
            (refused(member), "a manager's route admits a member"),
            (admitted(leader), "a manager's route refuses a leader"),
        ],
        Level::Admin => &[
            (refused(leader), "an admin's route admits a leader"),
            (admitted(admin), "an admin's route refuses an admin"),
        ],
    };
    checks
        .iter()
        .find(|(ok, _)| *ok == Some(false))
        .map(|(_, why)| *why)
}

/// Every level in the route registry agrees with what its route answers in the matrices: this
/// one (five readers, a private community) and the capabilities' member/leader tables.
#[test]
fn registered_levels_agree_with_what_routes_answer() {
    let registry = tejido_web::features::table();
    let level_of = |method: &str, path: &str| {
        registry
            .iter()
            .find(|r| r.method.as_str() == method && normalize(&r.path) == normalize(path))
            .map(|r| r.access)
    };
    let mut failures = vec![];
    let mut checked = 0;
    for row in MATRIX {
        let Some(level) = level_of(row.method, row.path) else {
            continue;
        };
        checked += 1;
        let [a, o, m, l, ad] = row.expect.map(Some);
        if let Some(why) = level_disagrees(level, a, o, m, l, ad) {
            failures.push(format!("{} {} ({level:?}): {why}", row.method, row.path));
        }
    }
    for table in [
        crate::events::ROUTES,
        crate::funding::ROUTES,
        crate::minutes::ROUTES,
        crate::network::ROUTES,
        crate::outcomes::ROUTES,
        crate::polls::ROUTES,
        crate::projects::ROUTES,
        crate::sustainability::ROUTES,
    ] {
        for (method, path, member, leader) in table {
            let Some(level) = level_of(method, path) else {
                failures.push(format!("{method} {path}: not in the registry"));
                continue;
            };
            checked += 1;
            if let Some(why) =
                level_disagrees(level, None, None, Some(*member), Some(*leader), None)
            {
                failures.push(format!("{method} {path} ({level:?}): {why}"));
            }
        }
    }
    assert!(checked > 150, "checked only {checked} routes");
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_matrix_lists_every_route_of_the_router() {
    let routes = routes_in_source();
    assert!(routes.len() > 50, "parsed too few routes: {routes:?}");
    assert!(routes.contains(&("POST".into(), "/c/{}/members/people/{}/remove".into())));
    let listed: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|r| (r.method.to_owned(), normalize(r.path)))
        .collect();
    let missing: Vec<_> = routes.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the security matrix: {missing:?}"
    );
}

/// Counts that any state change shows up in.
async fn fingerprint(app: &TestApp) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for q in [
        "organizations",
        "people",
        "users",
        "sessions",
        "login_attempts",
        "api_tokens",
        "outbox",
        "audit_log",
        "communities",
        "community_organizations",
        "community_people",
        "community_roles",
        "account_tokens",
        "organizations WHERE updated_at <> created_at OR archived_at IS NOT NULL",
        "people WHERE updated_at <> created_at OR archived_at IS NOT NULL",
        "communities WHERE updated_at <> created_at",
        "api_tokens WHERE revoked_at IS NOT NULL",
        "account_tokens WHERE used_at IS NOT NULL",
        "community_organizations WHERE left_at IS NOT NULL",
        "community_people WHERE left_at IS NOT NULL",
        "community_roles WHERE ends_at IS NOT NULL",
        "users WHERE locale IS NOT NULL",
        "(SELECT DISTINCT password_hash FROM users) AS h",
    ] {
        out.push((q.to_owned(), app.count(q).await));
    }
    out
}

both_backends!(
    csrf_failures_are_refused_and_change_nothing,
    |app: TestApp| async move {
        let w = world(&app).await;
        let mut checked = 0;
        let unsafe_rows = MATRIX.iter().filter(|r| r.method != "GET").count();
        assert!(unsafe_rows >= 29, "state-changing rows: {unsafe_rows}");
        for row in MATRIX.iter().filter(|r| r.method != "GET") {
            for csrf in [
                Csrf::Missing,
                Csrf::Wrong,
                Csrf::CrossSite,
                Csrf::ForeignOrigin,
            ] {
                // As the admin (who may do everything) and as an anonymous visitor (sign-in forms).
                for role in [4, 0] {
                    let before = fingerprint(&app).await;
                    let (resp, what) = send(&app, &w, row, role, csrf).await;
                    assert_eq!(
                        resp.status.as_u16(),
                        403,
                        "{what} with {csrf:?}: {}",
                        resp.body
                    );
                    if row.path.starts_with("/api/") {
                        assert_eq!(resp.json()["error"], "error-csrf", "{what} with {csrf:?}");
                    } else {
                        assert!(
                            resp.body.contains("El formulario venció"),
                            "{what} with {csrf:?}: {}",
                            resp.body
                        );
                    }
                    let mut after = fingerprint(&app).await;
                    // `send` creates the requester's session (and fixtures) before the request.
                    let fresh_sessions =
                        after.iter().find(|(q, _)| q == "sessions").unwrap().1 - before[3].1;
                    assert!(fresh_sessions <= 1);
                    after[3].1 = before[3].1;
                    let diff: Vec<_> = before
                        .iter()
                        .zip(&after)
                        .filter(|(a, b)| a != b && !fixture_table(&a.0))
                        .collect();
                    assert!(
                        diff.is_empty(),
                        "{what} with {csrf:?} changed storage: {diff:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, unsafe_rows * 8);
    }
);

/// Tables `send` itself writes fixtures to before the request goes out.
fn fixture_table(q: &str) -> bool {
    [
        "organizations",
        "people",
        "users",
        "community_organizations",
        "community_people",
        "community_roles",
        "account_tokens",
        "api_tokens",
    ]
    .contains(&q)
}

both_backends!(
    refused_requests_write_no_fixture_tables_either,
    |app: TestApp| async move {
        // The fingerprint above ignores row counts of tables fixtures go into; here a refused
        // request whose fixtures are made up front proves those tables are untouched too.
        let w = world(&app).await;
        let org = org_with(&app, "Sin Cambios", "cso", "20").await;
        let (cookie, token) = session_for(&app, w.users[4].unwrap()).await;
        let before = fingerprint(&app).await;
        for (path, body) in [
            (
                "/directory/organizations".to_owned(),
                "name=Nueva&kind=cso".to_owned(),
            ),
            (
                format!("/directory/organizations/{org}"),
                "name=Cambiada&kind=cso".to_owned(),
            ),
            (
                format!("/directory/organizations/{org}/archive"),
                "archived=1".to_owned(),
            ),
            (
                format!("/c/{}/members/organizations", w.slug),
                format!("organization_id={org}"),
            ),
            ("/account/tokens".to_owned(), "name=x".to_owned()),
            ("/directory/people".to_owned(), "full_name=Nadie".to_owned()),
        ] {
            for extra in [vec![], vec![("sec-fetch-site", "cross-site")]] {
                let form = if extra.is_empty() {
                    format!("_csrf=mal{token}&{body}")
                } else {
                    format!("_csrf={token}&{body}")
                };
                let mut h = vec![("cookie", cookie.as_str())];
                h.extend(extra);
                let r = app
                    .client()
                    .request(
                        Method::POST,
                        &path,
                        Some("application/x-www-form-urlencoded"),
                        form.into_bytes(),
                        &h,
                    )
                    .await;
                assert_status(&r, 403);
            }
        }
        assert_eq!(before, fingerprint(&app).await);
        // The same request with the right token goes through: the refusals were the CSRF check.
        let form = format!("_csrf={token}&name=Nueva&kind=cso");
        let r = app
            .client()
            .request(
                Method::POST,
                "/directory/organizations",
                Some("application/x-www-form-urlencoded"),
                form.into_bytes(),
                &[("cookie", &cookie)],
            )
            .await;
        assert_status(&r, 303);
        assert_eq!(app.count("organizations").await, before[0].1 + 1);
    }
);

#[track_caller]
fn assert_security_headers(r: &Resp) {
    let h = |n: &str| {
        r.headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let csp = h("content-security-policy");
    assert!(csp.contains("default-src 'self'"), "CSP: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "CSP: {csp}");
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("x-frame-options"), "DENY");
    assert_eq!(h("referrer-policy"), "same-origin");
}

both_backends!(
    security_headers_on_pages_errors_and_json,
    |app: TestApp| async move {
        let anon = app.client();
        let (member, _, _) = app.signed_in("persona@example.org", false).await;
        for (c, path, status) in [
            (&anon, "/", 200),
            (&anon, "/login", 200),
            (&anon, "/no/such/page", 404),
            (&anon, "/api/v1/me", 401),
            (&member, "/", 200),
            (&member, "/account", 200),
            (&member, "/admin", 403),
            (&member, "/api/v1/me", 200),
        ] {
            let r = c.get(path).await;
            assert_status(&r, status);
            assert_security_headers(&r);
            // Pages may hold personal data: never cached.
            assert_eq!(
                r.headers.get(header::CACHE_CONTROL).unwrap(),
                "no-store",
                "{path}"
            );
        }
        // The stylesheet is the one thing a cache may keep.
        let css = anon.get("/static/style.css").await;
        assert_status(&css, 200);
        assert!(css
            .headers
            .get(header::CACHE_CONTROL)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("public"));
        // Refusals by the CSRF check carry the headers too.
        let r = member
            .post_raw("/account/tokens", &[("_csrf", "no"), ("name", "x")])
            .await;
        assert_status(&r, 403);
        assert_security_headers(&r);
        // The session cookie is HttpOnly and SameSite=Lax.
        app.user("cookie@example.org", false).await;
        let r = app
            .client()
            .post_form(
                "/login",
                &[
                    ("email", "cookie@example.org"),
                    ("password", PASSWORD),
                    ("next", "/"),
                ],
            )
            .await;
        let sc: Vec<_> = r
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        let session = sc
            .iter()
            .find(|c| c.starts_with("tejido_session="))
            .expect("session cookie");
        assert!(
            session.contains("HttpOnly")
                && session.contains("SameSite=Lax")
                && session.contains("Path=/"),
            "{session}"
        );
    }
);

both_backends!(healthz_and_metrics, |app: TestApp| async move {
    // Metrics answer a client on this machine (tests/it/attacks.rs has the rest of the rule).
    let mut c = app.client();
    c.peer = Some(std::net::SocketAddr::from(([127, 0, 0, 1], 40000)));
    let r = c.get("/healthz").await;
    assert_status(&r, 200);
    assert_eq!(r.body, "ok\n");
    assert_status(&c.get("/login").await, 200);
    // One mail waiting in the outbox.
    app.user("metricas@example.org", false).await;
    assert_status(
        &c.post_form("/password/forgot", &[("email", "metricas@example.org")])
            .await,
        200,
    );
    let m = c.get("/metrics").await;
    assert_status(&m, 200);
    assert!(m
        .headers
        .get(header::CONTENT_TYPE)
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    assert!(
        m.body.contains("# TYPE tejido_http_requests_total counter"),
        "{}",
        m.body
    );
    assert!(
        m.body
            .contains(r#"tejido_http_requests_total{method="GET",route="/login",status="2xx"}"#),
        "{}",
        m.body
    );
    assert!(
        m.body.contains(
            r#"tejido_http_requests_total{method="POST",route="/password/forgot",status="2xx"} 1"#
        ),
        "{}",
        m.body
    );
    assert!(m.body.contains("tejido_outbox_backlog 1\n"), "{}", m.body);
    // Route templates, never raw ids or tokens.
    let _ = c.get("/password/reset/secreto123").await;
    let m = c.get("/metrics").await;
    assert!(!m.body.contains("secreto123"));
    assert!(
        m.body.contains(r#"route="/password/reset/{token}""#),
        "{}",
        m.body
    );
});
