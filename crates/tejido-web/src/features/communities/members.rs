//! A community's members, roles and invitations: adding, removing (asked on a second page),
//! assigning and ending roles.

use super::*;

/// Roles a manager gives on the members page (funders are named on the report's funders page).
pub fn role_options(c: &Ctx) -> Options {
    Role::ALL
        .iter()
        .filter(|r| r.grants_view())
        .map(|r| (r.as_str().to_owned(), c.label("role", r.as_str())))
        .collect()
}

// ---- members, roles, invitations ------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct MembersQuery {
    pub(super) page: Option<u32>,
    /// Search the directory for organizations or people to add.
    pub(super) find: Option<String>,
    pub(super) history: Option<u32>,
}

#[derive(Template)]
#[template(path = "communities/members.html")]
pub(super) struct MembersPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) access: Access,
    pub(super) orgs: Page<MemberOrganization>,
    pub(super) people: Page<MemberPerson>,
    pub(super) pager: Pager,
    pub(super) history: Option<Page<MembershipEvent>>,
    pub(super) find: String,
    pub(super) found_orgs: Vec<(i64, String)>,
    pub(super) found_people: Vec<tejido_db::directory::Person>,
    pub(super) roles: Options,
    pub(super) invitations: Vec<tejido_db::accounts::PendingInvitation>,
    pub(super) invite_email: String,
    pub(super) invite_role: String,
    pub(super) invite_link: Option<String>,
    pub(super) errors: FieldErrors,
    pub(super) notice: Option<&'static str>,
}

pub(super) struct Extra {
    pub(super) invite_email: String,
    pub(super) invite_role: String,
    pub(super) invite_link: Option<String>,
    pub(super) errors: FieldErrors,
    pub(super) notice: Option<&'static str>,
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

pub(super) async fn members_page(
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

pub(super) async fn members(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<MembersQuery>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    Ok(html(&members_page(&s, c, l, q, Extra::default()).await?))
}

pub(super) async fn add_org(
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
pub(super) async fn confirm_remove_org(
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

pub(super) async fn remove_org(
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

/// Commits a membership or role change with its audit entry — unless it would leave the community
/// with nobody able to manage it, in which case nothing is written and the page says why.
pub(super) async fn commit_keeping_a_manager(
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
pub(super) async fn confirm_remove_person(
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

pub(super) async fn remove_person(
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

/// Asks before a role ends (`?person_id=…&role=…`, as the members page links it).
pub(super) async fn confirm_end_role(
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

pub(super) async fn end_role(
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
pub(super) struct InviteForm {
    pub(super) email: String,
    pub(super) role: String,
}

pub(super) async fn invite(
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
