//! The directory pages: handlers, their forms and templates.

use super::*;

pub fn kind_options(c: &Ctx) -> Options {
    OrgKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("org-kind", k.as_str())))
        .collect()
}

pub fn level_options(c: &Ctx) -> Options {
    PositionLevel::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), c.label("level", k.as_str())))
        .collect()
}

pub fn state_name(code: &Option<String>) -> String {
    code.as_deref()
        .and_then(tejido_core::directory::state_name)
        .unwrap_or("")
        .to_owned()
}

// ---- use cases shared with the API ---------------------------------------------------------------

/// Creates (`id` None) or updates an organization, with its audit entry, in one transaction.
pub async fn save_organization(
    s: &AppState,
    actor: Option<i64>,
    id: Option<i64>,
    input: &OrganizationInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let (id, action) = match id {
        None => (
            store::insert_organization(&mut tx, input).await?,
            "organization-created",
        ),
        Some(id) => {
            store::update_organization(&mut tx, id, input).await?;
            (id, "organization-updated")
        }
    };
    tejido_db::audit::record(
        &mut tx,
        actor,
        action,
        Some(&id.to_string()),
        Some(&input.name),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates (`id` None) or updates a person, with its audit entry, in one transaction.
pub async fn save_person(
    s: &AppState,
    actor: Option<i64>,
    id: Option<i64>,
    input: &PersonInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let (id, action) = match id {
        None => (
            store::insert_person(&mut tx, input).await?,
            "person-created",
        ),
        Some(id) => {
            store::update_person(&mut tx, id, input).await?;
            (id, "person-updated")
        }
    };
    tejido_db::audit::record(&mut tx, actor, action, Some(&id.to_string()), None).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Clone, Copy)]
pub(super) enum Entry {
    Organization,
    Person,
}

/// Archives or restores a directory entry; history that points at it stays intact.
pub(super) async fn set_archived(
    s: &AppState,
    c: &Ctx,
    entry: Entry,
    id: i64,
    archived: bool,
) -> AppResult<()> {
    let mut tx = s.db.begin().await?;
    let kind = match entry {
        Entry::Organization => {
            store::set_organization_archived(&mut tx, id, archived).await?;
            "organization"
        }
        Entry::Person => {
            store::set_person_archived(&mut tx, id, archived).await?;
            "person"
        }
    };
    let action = format!("{kind}-{}", if archived { "archived" } else { "restored" });
    tejido_db::audit::record(&mut tx, c.user_id(), &action, Some(&id.to_string()), None).await?;
    tx.commit().await?;
    Ok(())
}

// ---- organizations ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "directory/organizations.html")]
pub(super) struct OrgList {
    pub(super) c: Ctx,
    pub(super) page: Page<Organization>,
    pub(super) pager: Pager,
    pub(super) q: String,
    pub(super) kind: String,
    pub(super) state: String,
    pub(super) kinds: Options,
    pub(super) states: Options,
    pub(super) can_edit: bool,
}

pub(super) async fn org_list(
    State(s): State<AppState>,
    c: Ctx,
    Query(lq): Query<ListQuery>,
) -> AppResult<Response> {
    c.require_user()?;
    let f = OrgFilter {
        q: lq.q.clone(),
        kind: lq.kind.clone(),
        state_code: lq.state.clone(),
        include_archived: false,
    };
    let page = store::list_organizations(&s.db, &f, lq.page_req()).await?;
    let (q, kind, state) = (
        lq.q.unwrap_or_default(),
        lq.kind.unwrap_or_default(),
        lq.state.unwrap_or_default(),
    );
    let pager = Pager::new(
        &page,
        &query(
            "/directory/organizations",
            &[("q", &q), ("kind", &kind), ("state", &state)],
        ),
    );
    let can_edit = can_edit(&s, &c).await?;
    let kinds = kind_options(&c);
    Ok(html(&OrgList {
        c,
        page,
        pager,
        q,
        kind,
        state,
        kinds,
        states: state_options(),
        can_edit,
    }))
}

#[derive(Template)]
#[template(path = "directory/organization_form.html")]
pub(super) struct OrgFormPage {
    pub(super) c: Ctx,
    pub(super) id: Option<i64>,
    pub(super) form: OrganizationForm,
    pub(super) errors: FieldErrors,
    pub(super) kinds: Options,
    pub(super) states: Options,
}

pub(super) fn org_form_page(
    c: Ctx,
    id: Option<i64>,
    form: OrganizationForm,
    errors: FieldErrors,
) -> OrgFormPage {
    let kinds = kind_options(&c);
    OrgFormPage {
        c,
        id,
        form,
        errors,
        kinds,
        states: state_options(),
    }
}

pub(super) async fn org_new(State(s): State<AppState>, c: Ctx) -> AppResult<Response> {
    require_directory_edit(&s, &c).await?;
    Ok(html(&org_form_page(
        c,
        None,
        OrganizationForm::default(),
        FieldErrors::new(),
    )))
}

pub(super) async fn org_create(
    State(s): State<AppState>,
    c: Ctx,
    Form(form): Form<OrganizationForm>,
) -> AppResult<Response> {
    require_directory_edit(&s, &c).await?;
    match form.parse() {
        Ok(input) => {
            let id = save_organization(&s, c.user_id(), None, &input).await?;
            Ok(redirect(&format!("/directory/organizations/{id}")))
        }
        Err(e) => Ok(html_invalid(&org_form_page(c, None, form, e))),
    }
}

pub(super) async fn load_org(s: &AppState, id: i64) -> AppResult<Organization> {
    store::organization(&s.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "directory/organization.html")]
pub(super) struct OrgShow {
    pub(super) c: Ctx,
    pub(super) o: Organization,
    pub(super) people: Page<Person>,
    pub(super) communities: Vec<(String, String, String)>,
    pub(super) can_edit: bool,
}

pub(super) async fn org_show(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    c.require_user()?;
    let o = load_org(&s, id).await?;
    let people = store::list_people(
        &s.db,
        &PersonFilter {
            organization_id: Some(id),
            ..Default::default()
        },
        tejido_core::page::PageReq::new(Some(1), Some(50)),
    )
    .await?;
    // Only the communities this viewer may see: a private one's name is not shown to outsiders.
    let viewer = c.require_user()?;
    let communities =
        tejido_db::communities::of_organization(&s.db, id, viewer.person_id, viewer.is_admin, 50)
            .await?;
    let can_edit = can_edit(&s, &c).await?;
    Ok(html(&OrgShow {
        c,
        o,
        people,
        communities,
        can_edit,
    }))
}

pub(super) async fn org_edit(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    require_directory_edit(&s, &c).await?;
    let o = load_org(&s, id).await?;
    let form = OrganizationForm {
        name: o.name,
        acronym: o.acronym.unwrap_or_default(),
        kind: o.kind,
        state_code: o.state_code.unwrap_or_default(),
        municipality: o.municipality.unwrap_or_default(),
        themes: o.themes,
        expertise: o.expertise.unwrap_or_default(),
        needs: o.needs.unwrap_or_default(),
        website: o.website.unwrap_or_default(),
        description: o.description.unwrap_or_default(),
    };
    Ok(html(&org_form_page(c, Some(id), form, FieldErrors::new())))
}

pub(super) async fn org_update(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<OrganizationForm>,
) -> AppResult<Response> {
    require_directory_edit(&s, &c).await?;
    load_org(&s, id).await?;
    match form.parse() {
        Ok(input) => {
            save_organization(&s, c.user_id(), Some(id), &input).await?;
            Ok(redirect(&format!("/directory/organizations/{id}")))
        }
        Err(e) => Ok(html_invalid(&org_form_page(c, Some(id), form, e))),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ArchiveForm {
    /// "1" archives, "0" restores.
    pub(super) archived: String,
}

pub(super) async fn org_archive(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ArchiveForm>,
) -> AppResult<Response> {
    c.require_admin()?;
    load_org(&s, id).await?;
    set_archived(&s, &c, Entry::Organization, id, f.archived != "0").await?;
    Ok(redirect(&format!("/directory/organizations/{id}")))
}

// ---- people -----------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "directory/people.html")]
pub(super) struct PersonList {
    pub(super) c: Ctx,
    pub(super) page: Page<Person>,
    pub(super) pager: Pager,
    pub(super) q: String,
    pub(super) can_edit: bool,
}

pub(super) async fn person_list(
    State(s): State<AppState>,
    c: Ctx,
    Query(lq): Query<ListQuery>,
) -> AppResult<Response> {
    c.require_user()?;
    let f = PersonFilter {
        q: lq.q.clone(),
        organization_id: lq.organization,
        include_archived: false,
    };
    let page = store::list_people(&s.db, &f, lq.page_req()).await?;
    let q = lq.q.unwrap_or_default();
    let org = lq.organization.map(|o| o.to_string()).unwrap_or_default();
    let pager = Pager::new(
        &page,
        &query("/directory/people", &[("q", &q), ("organization", &org)]),
    );
    let can_edit = can_edit(&s, &c).await?;
    Ok(html(&PersonList {
        c,
        page,
        pager,
        q,
        can_edit,
    }))
}

#[derive(Template)]
#[template(path = "directory/person_form.html")]
pub(super) struct PersonFormPage {
    pub(super) c: Ctx,
    pub(super) id: Option<i64>,
    pub(super) form: PersonForm,
    pub(super) errors: FieldErrors,
    pub(super) organizations: Options,
    pub(super) levels: Options,
    pub(super) youth: Options,
}

pub(super) async fn person_form_page(
    s: &AppState,
    c: Ctx,
    id: Option<i64>,
    form: PersonForm,
    errors: FieldErrors,
) -> AppResult<PersonFormPage> {
    let organizations = store::organization_choices(&s.db, None, 1000)
        .await?
        .into_iter()
        .map(|(i, n)| (i.to_string(), n))
        .collect();
    let levels = level_options(&c);
    let youth = vec![
        ("yes".to_owned(), c.t("youth-yes")),
        ("no".to_owned(), c.t("youth-no")),
    ];
    Ok(PersonFormPage {
        c,
        id,
        form,
        errors,
        organizations,
        levels,
        youth,
    })
}

pub(super) async fn person_new(
    State(s): State<AppState>,
    c: Ctx,
    Query(lq): Query<ListQuery>,
) -> AppResult<Response> {
    require_directory_edit(&s, &c).await?;
    let form = PersonForm {
        organization_id: lq.organization.map(|o| o.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    Ok(html(
        &person_form_page(&s, c, None, form, FieldErrors::new()).await?,
    ))
}

/// The organization must exist and not be archived.
/// Parses a person form and checks its organization exists and is not archived.
pub async fn parse_person(
    s: &AppState,
    form: &PersonForm,
) -> AppResult<Result<PersonInput, FieldErrors>> {
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    if let Some(oid) = input.organization_id {
        if store::organization(&s.db, oid)
            .await?
            .filter(|o| o.archived_at.is_none())
            .is_none()
        {
            return Ok(Err(FieldErrors::single(
                "organization_id",
                "error-invalid-choice",
            )));
        }
    }
    Ok(Ok(input))
}

pub(super) async fn person_create(
    State(s): State<AppState>,
    c: Ctx,
    Form(form): Form<PersonForm>,
) -> AppResult<Response> {
    require_directory_edit(&s, &c).await?;
    match parse_person(&s, &form).await? {
        Ok(input) => {
            let id = save_person(&s, c.user_id(), None, &input).await?;
            Ok(redirect(&format!("/directory/people/{id}")))
        }
        Err(e) => Ok(html_invalid(&person_form_page(&s, c, None, form, e).await?)),
    }
}

pub(super) async fn load_person(s: &AppState, id: i64) -> AppResult<Person> {
    store::person(&s.db, id).await?.ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "directory/person.html")]
pub(super) struct PersonShow {
    pub(super) c: Ctx,
    pub(super) p: Person,
    pub(super) can_edit: bool,
    pub(super) show_contact: bool,
}

pub(super) async fn person_show(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let me = c.require_user()?.person_id;
    let p = load_person(&s, id).await?;
    let can_edit = can_edit(&s, &c).await?;
    let show_contact = can_edit || me == Some(id);
    Ok(html(&PersonShow {
        c,
        p,
        can_edit,
        show_contact,
    }))
}

pub(super) async fn person_edit(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    require_directory_edit(&s, &c).await?;
    let p = load_person(&s, id).await?;
    let form = PersonForm {
        full_name: p.full_name,
        email: p.email.unwrap_or_default(),
        organization_id: p.organization_id.map(|o| o.to_string()).unwrap_or_default(),
        position_level: p.position_level.unwrap_or_default(),
        position_title: p.position_title.unwrap_or_default(),
        youth: match p.youth {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => String::new(),
        },
        gender: p.gender.unwrap_or_default(),
    };
    Ok(html(
        &person_form_page(&s, c, Some(id), form, FieldErrors::new()).await?,
    ))
}

pub(super) async fn person_update(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<PersonForm>,
) -> AppResult<Response> {
    require_directory_edit(&s, &c).await?;
    load_person(&s, id).await?;
    match parse_person(&s, &form).await? {
        Ok(input) => {
            save_person(&s, c.user_id(), Some(id), &input).await?;
            Ok(redirect(&format!("/directory/people/{id}")))
        }
        Err(e) => Ok(html_invalid(
            &person_form_page(&s, c, Some(id), form, e).await?,
        )),
    }
}

pub(super) async fn person_archive(
    State(s): State<AppState>,
    c: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ArchiveForm>,
) -> AppResult<Response> {
    c.require_admin()?;
    load_person(&s, id).await?;
    set_archived(&s, &c, Entry::Person, id, f.archived != "0").await?;
    Ok(redirect(&format!("/directory/people/{id}")))
}
