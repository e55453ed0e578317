//! The communities pages: handlers, their forms and templates.

use super::*;

pub fn visibility_options(c: &Ctx) -> Options {
    Visibility::ALL
        .iter()
        .map(|v| (v.as_str().to_owned(), c.label("visibility", v.as_str())))
        .collect()
}

pub(super) fn tz_options() -> Options {
    TIME_ZONES
        .iter()
        .map(|t| ((*t).to_owned(), (*t).replace('_', " ")))
        .collect()
}

// ---- list and create ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "communities/list.html")]
pub(super) struct ListPage {
    pub(super) c: Ctx,
    pub(super) page: Page<CommunitySummary>,
    pub(super) pager: Pager,
    pub(super) q: String,
    pub(super) can_create: bool,
}

pub(super) async fn list(
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
pub(super) struct FormPage {
    pub(super) c: Ctx,
    pub(super) slug: Option<String>,
    pub(super) form: CommunityForm,
    pub(super) errors: FieldErrors,
    pub(super) visibilities: Options,
    pub(super) zones: Options,
}

pub(super) fn form_page(
    c: Ctx,
    slug: Option<String>,
    form: CommunityForm,
    errors: FieldErrors,
) -> FormPage {
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

pub(super) async fn new_form(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
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

pub(super) async fn create(
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
pub(super) struct ShowPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) access: Access,
    pub(super) my_roles: Vec<Role>,
    pub(super) holders: Vec<RoleHolder>,
    pub(super) orgs: Page<MemberOrganization>,
    pub(super) people_total: i64,
    pub(super) progress: tejido_core::governance::Progress,
    /// The local ownership trend, server-drawn SVG (escaped by its renderer).
    pub(super) ownership_svg: String,
    pub(super) next_event: Option<tejido_db::events::Event>,
}

pub(super) async fn show(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
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

pub(super) async fn edit_form(
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

pub(super) async fn update(
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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct IdForm {
    pub(super) organization_id: String,
    pub(super) person_id: String,
    pub(super) role: String,
}

pub(super) fn parse_id(v: &str) -> AppResult<i64> {
    v.trim()
        .parse::<i64>()
        .ok()
        .filter(|x| *x > 0)
        .ok_or(AppError::BadRequest("id"))
}

pub(super) async fn add_person(
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

pub(super) async fn assign_role(
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
