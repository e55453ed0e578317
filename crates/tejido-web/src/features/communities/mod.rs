//! Communities (capability 2, first part): the list, creating one, its home page, editing its
//! profile, members (organizations and people, with join/leave history), roles and invitations.
//! Every handler resolves the community and the viewer's [`Access`] first; managing needs a
//! leader, co-leader or convener role, or an admin.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use tejido_core::communities::{Access, CommunityForm, Role, Visibility, TIME_ZONES};
use tejido_core::page::{Page, PageReq};
use tejido_core::FieldErrors;
use tejido_db::communities::{
    self as store, Community, CommunitySummary, MemberOrganization, MemberPerson, MembershipEvent,
    RoleHolder,
};

use crate::access::{load, load_manage, Loaded};
use crate::error::AppResult;
use crate::extract::ListQuery;
use crate::routes::{self as route, Level, Route};
use crate::views::Options;
use crate::views::{confirm, html, html_invalid, query, redirect, Pager};
use crate::{AppError, AppState, Ctx};

mod api;
pub use api::api_routes;

/// The capability's pages.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/communities", Level::Account, list),
        route::post("/communities", Level::DirectoryEditor, create),
        route::get("/communities/new", Level::DirectoryEditor, new_form),
        route::get("/c/{slug}", Level::Viewer, show),
        route::get("/c/{slug}/edit", Level::Manager, edit_form),
        route::post("/c/{slug}/edit", Level::Manager, update),
        route::get("/c/{slug}/members", Level::Viewer, members),
        route::post("/c/{slug}/members/organizations", Level::Manager, add_org),
        route::get(
            "/c/{slug}/members/organizations/{id}/remove",
            Level::Manager,
            confirm_remove_org,
        ),
        route::post(
            "/c/{slug}/members/organizations/{id}/remove",
            Level::Manager,
            remove_org,
        ),
        route::post("/c/{slug}/members/people", Level::Manager, add_person),
        route::get(
            "/c/{slug}/members/people/{id}/remove",
            Level::Manager,
            confirm_remove_person,
        ),
        route::post(
            "/c/{slug}/members/people/{id}/remove",
            Level::Manager,
            remove_person,
        ),
        route::post("/c/{slug}/roles", Level::Manager, assign_role),
        route::get("/c/{slug}/roles/end", Level::Manager, confirm_end_role),
        route::post("/c/{slug}/roles/end", Level::Manager, end_role),
        route::post("/c/{slug}/invitations", Level::Manager, invite),
    ]
}

pub fn visibility_options(c: &Ctx) -> Options {
    Visibility::ALL
        .iter()
        .map(|v| (v.as_str().to_owned(), c.label("visibility", v.as_str())))
        .collect()
}

/// Roles a manager gives on the members page (funders are named on the report's funders page).
pub fn role_options(c: &Ctx) -> Options {
    Role::ALL
        .iter()
        .filter(|r| r.grants_view())
        .map(|r| (r.as_str().to_owned(), c.label("role", r.as_str())))
        .collect()
}

fn tz_options() -> Options {
    TIME_ZONES
        .iter()
        .map(|t| ((*t).to_owned(), (*t).replace('_', " ")))
        .collect()
}

// ---- list and create ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "communities/list.html")]
struct ListPage {
    c: Ctx,
    page: Page<CommunitySummary>,
    pager: Pager,
    q: String,
    can_create: bool,
}

async fn list(
    State(s): State<AppState>,
    c: Ctx,
    Query(lq): Query<ListQuery>,
) -> AppResult<Response> {
    let u = c.require_user()?;
    let page = store::list_visible(
        &s.db,
        u.person_id,
        u.is_admin,
        lq.q.as_deref(),
        lq.page_req(),
    )
    .await?;
    let q = lq.q.unwrap_or_default();
    let pager = Pager::new(&page, &query("/communities", &[("q", &q)]));
    let can_create = crate::access::can_edit(&s, &c).await?;
    Ok(html(&ListPage {
        c,
        page,
        pager,
        q,
        can_create,
    }))
}

#[derive(Template)]
#[template(path = "communities/form.html")]
struct FormPage {
    c: Ctx,
    slug: Option<String>,
    form: CommunityForm,
    errors: FieldErrors,
    visibilities: Options,
    zones: Options,
}

fn form_page(c: Ctx, slug: Option<String>, form: CommunityForm, errors: FieldErrors) -> FormPage {
    let visibilities = visibility_options(&c);
    FormPage {
        c,
        slug,
        form,
        errors,
        visibilities,
        zones: tz_options(),
    }
}

async fn new_form(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
    if !crate::access::can_edit(&s, &c).await? {
        return Err(AppError::Forbidden);
    }
    let form = CommunityForm {
        visibility: "private".into(),
        time_zone: tejido_core::communities::DEFAULT_TIME_ZONE.into(),
        ..Default::default()
    };
    Ok(html(&form_page(c, None, form, FieldErrors::new())))
}

async fn create(
    State(s): State<AppState>,
    c: Ctx,
    Form(form): Form<CommunityForm>,
) -> AppResult<Response> {
    if !crate::access::can_edit(&s, &c).await? {
        return Err(AppError::Forbidden);
    }
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(html_invalid(&form_page(c, None, form, e))),
    };
    let u = c.require_user()?;
    let (_, slug) = create_community(&s, u, &input).await?;
    Ok(redirect(&format!("/c/{slug}")))
}

/// Creates a community; its creator convenes it, as a member (a person record is made for an
/// account that has none). Shared by the page and the API.
pub async fn create_community(
    s: &AppState,
    u: &tejido_db::accounts::User,
    input: &tejido_core::communities::CommunityInput,
) -> AppResult<(i64, String)> {
    let mut tx = s.db.begin().await?;
    let (id, slug) = store::insert(&mut tx, input, Some(u.id)).await?;
    let pid = match u.person_id {
        Some(p) => p,
        None => {
            let pid =
                crate::auth::invitations::new_person(&mut tx, &u.display_name, &u.email).await?;
            tejido_db::accounts::set_person(&mut tx, u.id, pid).await?;
            pid
        }
    };
    store::add_person(&mut tx, id, pid, Some(u.id)).await?;
    store::assign_role(&mut tx, id, pid, Role::Convener, Some(u.id)).await?;
    tejido_db::audit::record(&mut tx, Some(u.id), "community-created", Some(&slug), None).await?;
    tx.commit().await?;
    Ok((id, slug))
}

// ---- home page and profile -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "communities/show.html")]
struct ShowPage {
    c: Ctx,
    m: Community,
    access: Access,
    my_roles: Vec<Role>,
    holders: Vec<RoleHolder>,
    orgs: Page<MemberOrganization>,
    people_total: i64,
    progress: tejido_core::governance::Progress,
    /// The local ownership trend, server-drawn SVG (escaped by its renderer).
    ownership_svg: String,
    next_event: Option<tejido_db::events::Event>,
}

async fn show(State(s): State<AppState>, c: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    let id = l.community.id;
    let mut holders = store::current_roles(&s.db, id).await?;
    holders.retain(|h| h.role != "member");
    holders.sort_by_key(|h| {
        Role::ALL
            .iter()
            .position(|r| r.as_str() == h.role)
            .unwrap_or(99)
    });
    let orgs = store::member_organizations(&s.db, id, PageReq::new(Some(1), Some(12))).await?;
    let (_, objectives) = tejido_db::governance::goals(&s.db, id).await?;
    let progress = tejido_core::governance::Progress::from_statuses(
        objectives.iter().map(|o| o.status.as_str()),
    );
    let next_event = tejido_db::events::list(
        &s.db,
        id,
        true,
        tejido_db::now(),
        PageReq::new(Some(1), Some(1)),
    )
    .await?
    .items
    .into_iter()
    .next();
    let ownership_svg = crate::ownership::trend_svg_for(&s, &c, &l.community).await?;
    let people_total = store::member_people(&s.db, id, PageReq::new(Some(1), Some(1)))
        .await?
        .total;
    Ok(html(&ShowPage {
        c,
        m: l.community,
        access: l.access,
        my_roles: l.roles,
        holders,
        orgs,
        people_total,
        progress,
        ownership_svg,
        next_event,
    }))
}

async fn edit_form(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let m = l.community;
    let form = CommunityForm {
        name: m.name,
        purpose: m.purpose,
        mission: m.mission.unwrap_or_default(),
        vision: m.vision.unwrap_or_default(),
        themes: m.themes,
        geography: m.geography.unwrap_or_default(),
        time_zone: m.time_zone,
        visibility: m.visibility,
    };
    Ok(html(&form_page(c, Some(slug), form, FieldErrors::new())))
}

async fn update(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<CommunityForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(html_invalid(&form_page(c, Some(slug), form, e))),
    };
    let mut tx = s.db.begin().await?;
    store::update(&mut tx, l.community.id, &input).await?;
    tejido_db::audit::record(&mut tx, c.user_id(), "community-updated", Some(&slug), None).await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}")))
}

// ---- members, roles, invitations ------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MembersQuery {
    page: Option<u32>,
    /// Search the directory for organizations or people to add.
    find: Option<String>,
    history: Option<u32>,
}

#[derive(Template)]
#[template(path = "communities/members.html")]
struct MembersPage {
    c: Ctx,
    m: Community,
    access: Access,
    orgs: Page<MemberOrganization>,
    people: Page<MemberPerson>,
    pager: Pager,
    history: Option<Page<MembershipEvent>>,
    find: String,
    found_orgs: Vec<(i64, String)>,
    found_people: Vec<tejido_db::directory::Person>,
    roles: Options,
    invitations: Vec<tejido_db::accounts::PendingInvitation>,
    invite_email: String,
    invite_role: String,
    invite_link: Option<String>,
    errors: FieldErrors,
    notice: Option<&'static str>,
}

struct Extra {
    invite_email: String,
    invite_role: String,
    invite_link: Option<String>,
    errors: FieldErrors,
    notice: Option<&'static str>,
}

impl Default for Extra {
    fn default() -> Self {
        Extra {
            invite_email: String::new(),
            invite_role: "member".into(),
            invite_link: None,
            errors: FieldErrors::new(),
            notice: None,
        }
    }
}

async fn members_page(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    q: MembersQuery,
    extra: Extra,
) -> AppResult<MembersPage> {
    let id = l.community.id;
    let req = PageReq::new(q.page, Some(50));
    let orgs = store::member_organizations(&s.db, id, PageReq::new(Some(1), Some(100))).await?;
    let people = store::member_people(&s.db, id, req).await?;
    let pager = Pager::new(&people, &format!("/c/{}/members", l.community.slug));
    let history = match q.history {
        Some(p) => Some(store::history(&s.db, id, PageReq::new(Some(p), Some(50))).await?),
        None => None,
    };
    let find = q.find.unwrap_or_default();
    let (found_orgs, found_people) = if l.access.manage && !find.trim().is_empty() {
        let o = tejido_db::directory::organization_choices(&s.db, Some(&find), 10).await?;
        let p = tejido_db::directory::list_people(
            &s.db,
            &tejido_db::directory::PersonFilter {
                q: Some(find.clone()),
                ..Default::default()
            },
            PageReq::new(Some(1), Some(10)),
        )
        .await?
        .items;
        (o, p)
    } else {
        (vec![], vec![])
    };
    let invitations = if l.access.manage {
        tejido_db::accounts::pending_invitations(&s.db, id).await?
    } else {
        vec![]
    };
    let roles = role_options(&c);
    Ok(MembersPage {
        c,
        m: l.community,
        access: l.access,
        orgs,
        people,
        pager,
        history,
        find,
        found_orgs,
        found_people,
        roles,
        invitations,
        invite_email: extra.invite_email,
        invite_role: extra.invite_role,
        invite_link: extra.invite_link,
        errors: extra.errors,
        notice: extra.notice,
    })
}

async fn members(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<MembersQuery>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    Ok(html(&members_page(&s, c, l, q, Extra::default()).await?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IdForm {
    organization_id: String,
    person_id: String,
    role: String,
}

fn parse_id(v: &str) -> AppResult<i64> {
    v.trim()
        .parse::<i64>()
        .ok()
        .filter(|x| *x > 0)
        .ok_or(AppError::BadRequest("id"))
}

async fn add_org(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<IdForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let oid = parse_id(&f.organization_id)?;
    let org = tejido_db::directory::organization(&s.db, oid)
        .await?
        .filter(|o| o.archived_at.is_none())
        .ok_or(AppError::NotFound)?;
    let mut tx = s.db.begin().await?;
    if store::add_organization(&mut tx, l.community.id, oid, c.user_id()).await? {
        tejido_db::audit::record(
            &mut tx,
            c.user_id(),
            "community-organization-added",
            Some(&slug),
            Some(&org.name),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/members")))
}

/// Asks before an organization leaves the community (the members page links here).
async fn confirm_remove_org(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, oid)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let o = tejido_db::directory::organization(&s.db, oid)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = &l.community.name;
    Ok(confirm(
        c.t2(
            "community-remove-question",
            "name",
            &o.name,
            "community",
            name,
        ),
        c.t("community-remove-org-note"),
        format!("/c/{slug}/members/organizations/{oid}/remove"),
        vec![],
        c.t("confirm-remove"),
        format!("/c/{slug}/members"),
        c,
    ))
}

async fn remove_org(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, oid)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let mut tx = s.db.begin().await?;
    if !store::remove_organization(&mut tx, l.community.id, oid).await? {
        return Err(AppError::NotFound);
    }
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "community-organization-removed",
        Some(&slug),
        Some(&oid.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/members")))
}

async fn add_person(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<IdForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let pid = parse_id(&f.person_id)?;
    tejido_db::directory::person(&s.db, pid)
        .await?
        .filter(|p| p.archived_at.is_none())
        .ok_or(AppError::NotFound)?;
    let mut tx = s.db.begin().await?;
    if store::add_person(&mut tx, l.community.id, pid, c.user_id()).await? {
        store::assign_role(&mut tx, l.community.id, pid, Role::Member, c.user_id()).await?;
        tejido_db::audit::record(
            &mut tx,
            c.user_id(),
            "community-person-added",
            Some(&slug),
            Some(&pid.to_string()),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/members")))
}

/// Commits a membership or role change with its audit entry — unless it would leave the community
/// with nobody able to manage it, in which case nothing is written and the page says why.
async fn commit_keeping_a_manager(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    mut tx: tejido_db::Tx,
    action: &str,
    detail: &str,
) -> AppResult<Response> {
    if store::count_managers(&mut tx, l.community.id).await? == 0 {
        drop(tx);
        let extra = Extra {
            notice: Some("error-last-manager"),
            ..Default::default()
        };
        return Ok(html_invalid(
            &members_page(s, c, l, MembersQuery::default(), extra).await?,
        ));
    }
    let slug = l.community.slug.clone();
    tejido_db::audit::record(&mut tx, c.user_id(), action, Some(&slug), Some(detail)).await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/members")))
}

/// Asks before a person leaves the community, with every role they hold there.
async fn confirm_remove_person(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, pid)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let p = tejido_db::directory::person(&s.db, pid)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = &l.community.name;
    Ok(confirm(
        c.t2(
            "community-remove-question",
            "name",
            &p.full_name,
            "community",
            name,
        ),
        c.t("community-remove-person-note"),
        format!("/c/{slug}/members/people/{pid}/remove"),
        vec![],
        c.t("confirm-remove"),
        format!("/c/{slug}/members"),
        c,
    ))
}

async fn remove_person(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, pid)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let mut tx = s.db.begin().await?;
    if !store::remove_person(&mut tx, l.community.id, pid).await? {
        return Err(AppError::NotFound);
    }
    let detail = pid.to_string();
    commit_keeping_a_manager(&s, c, l, tx, "community-person-removed", &detail).await
}

async fn assign_role(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<IdForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let pid = parse_id(&f.person_id)?;
    let role = Role::parse(f.role.trim()).ok_or(AppError::BadRequest("role"))?;
    let (member, _) = store::standing(&s.db, l.community.id, pid).await?;
    if !member {
        return Err(AppError::BadRequest("not a member"));
    }
    let mut tx = s.db.begin().await?;
    if store::assign_role(&mut tx, l.community.id, pid, role, c.user_id()).await? {
        tejido_db::audit::record(
            &mut tx,
            c.user_id(),
            "role-assigned",
            Some(&slug),
            Some(&format!("{pid}:{role}")),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/members")))
}

/// Asks before a role ends (`?person_id=…&role=…`, as the members page links it).
async fn confirm_end_role(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(f): Query<IdForm>,
) -> AppResult<Response> {
    let _l = load_manage(&s, &c, &slug).await?;
    let pid = parse_id(&f.person_id)?;
    let role = Role::parse(f.role.trim()).ok_or(AppError::BadRequest("role"))?;
    let p = tejido_db::directory::person(&s.db, pid)
        .await?
        .ok_or(AppError::NotFound)?;
    let role_name = c.label("role", role.as_str());
    Ok(confirm(
        c.t2(
            "role-end-question",
            "role",
            &role_name,
            "name",
            &p.full_name,
        ),
        c.t("role-end-note"),
        format!("/c/{slug}/roles/end"),
        vec![
            ("person_id".into(), pid.to_string()),
            ("role".into(), role.as_str().into()),
        ],
        c.t("confirm-end-role"),
        format!("/c/{slug}/members"),
        c,
    ))
}

async fn end_role(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<IdForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let pid = parse_id(&f.person_id)?;
    let role = Role::parse(f.role.trim()).ok_or(AppError::BadRequest("role"))?;
    let mut tx = s.db.begin().await?;
    if !store::end_role(&mut tx, l.community.id, pid, role).await? {
        return Err(AppError::NotFound);
    }
    let detail = format!("{pid}:{role}");
    commit_keeping_a_manager(&s, c, l, tx, "role-ended", &detail).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InviteForm {
    email: String,
    role: String,
}

async fn invite(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<InviteForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let mut errors = FieldErrors::new();
    let email = tejido_core::accounts::Email::parse(&f.email);
    if email.is_none() {
        errors.add("email", "error-email");
    }
    let role = Role::parse(f.role.trim());
    if role.is_none() {
        errors.add("role", "error-invalid-choice");
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        let extra = Extra {
            invite_email: f.email,
            invite_role: f.role,
            errors,
            ..Default::default()
        };
        return Ok(html_invalid(
            &members_page(&s, c, l, MembersQuery::default(), extra).await?,
        ));
    };
    let by = c.require_user()?.clone();
    let mut tx = s.db.begin().await?;
    let link = crate::auth::invitations::invite(
        &s,
        &mut tx,
        &by,
        &email.0,
        Some((l.community.id, &l.community.name)),
        Some(role),
        c.locale,
    )
    .await?;
    tx.commit().await?;
    let extra = Extra {
        invite_link: Some(link),
        notice: Some("invite-sent"),
        ..Default::default()
    };
    Ok(html(
        &members_page(&s, c, l, MembersQuery::default(), extra).await?,
    ))
}
