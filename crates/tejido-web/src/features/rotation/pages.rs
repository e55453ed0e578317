//! The rotation pages: handlers, their forms and templates.

use super::*;

// ---- pages ----------------------------------------------------------------------------------------

/// The checkboxes and skills of a preferences form, as posted by a browser.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PrefsWebForm {
    pub(super) out_leader: Option<String>,
    pub(super) out_facilitator: Option<String>,
    pub(super) out_rapporteur: Option<String>,
    pub(super) out_timekeeper: Option<String>,
    pub(super) skills: String,
}

impl PrefsWebForm {
    pub(super) fn from_prefs(p: &Preferences) -> PrefsWebForm {
        let on = |r: Role| p.opted_out.contains(&r).then(|| "on".to_owned());
        PrefsWebForm {
            out_leader: on(Role::Leader),
            out_facilitator: on(Role::Facilitator),
            out_rapporteur: on(Role::Rapporteur),
            out_timekeeper: on(Role::Timekeeper),
            skills: p.skills_text(),
        }
    }
    pub(super) fn core(&self) -> PreferencesForm {
        let mut opted_out = vec![];
        for (v, r) in [
            (&self.out_leader, Role::Leader),
            (&self.out_facilitator, Role::Facilitator),
            (&self.out_rapporteur, Role::Rapporteur),
            (&self.out_timekeeper, Role::Timekeeper),
        ] {
            if v.is_some() {
                opted_out.push(r.as_str().to_owned());
            }
        }
        PreferencesForm {
            opted_out,
            skills: self.skills.clone(),
        }
    }
    /// Whether the box for `role` is ticked.
    pub fn out(&self, role: Role) -> bool {
        match role {
            Role::Leader => self.out_leader.is_some(),
            Role::Facilitator => self.out_facilitator.is_some(),
            Role::Rapporteur => self.out_rapporteur.is_some(),
            Role::Timekeeper => self.out_timekeeper.is_some(),
            _ => false,
        }
    }
}

#[derive(Template)]
#[template(path = "rotation/index.html")]
pub(super) struct IndexPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) access: Access,
    pub(super) roles: Vec<RoleView>,
    pub(super) show_prefs: bool,
    pub(super) people: Vec<PrefRow>,
    pub(super) orgs: Vec<PrefRow>,
    pub(super) me: Option<i64>,
    pub(super) form: PrefsWebForm,
    pub(super) errors: FieldErrors,
}

pub(super) async fn index(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let page = index_page(&s, c, l, None, FieldErrors::new()).await?;
    Ok(html(&page))
}

pub(super) async fn index_page(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    form: Option<PrefsWebForm>,
    errors: FieldErrors,
) -> AppResult<IndexPage> {
    let roles = role_views(s, &l.community).await?;
    let show_prefs = full_member(&l);
    let (people, orgs) = if show_prefs {
        pref_rows(s, l.community.id).await?
    } else {
        (vec![], vec![])
    };
    let me = my_person(&c, &l);
    let form = match (form, me) {
        (Some(f), _) => f,
        (None, Some(pid)) => PrefsWebForm::from_prefs(
            &store::preferences(&s.db, l.community.id, SubjectKind::Person, pid).await?,
        ),
        (None, None) => PrefsWebForm::default(),
    };
    Ok(IndexPage {
        c,
        m: l.community,
        access: l.access,
        roles,
        show_prefs,
        people,
        orgs,
        me,
        form,
        errors,
    })
}

#[derive(Template)]
#[template(path = "rotation/role.html")]
pub(super) struct RolePage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) access: Access,
    pub(super) v: RoleView,
    pub(super) policy: PolicyForm,
    pub(super) policy_errors: FieldErrors,
    pub(super) swap: SwapWebForm,
    pub(super) swap_errors: FieldErrors,
    pub(super) modes: Options,
    pub(super) notice: Option<&'static str>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct SwapWebForm {
    pub(super) a: String,
    pub(super) b: String,
    pub(super) note: String,
}

pub(super) struct RoleExtra {
    pub(super) policy: Option<PolicyForm>,
    pub(super) policy_errors: FieldErrors,
    pub(super) swap: SwapWebForm,
    pub(super) swap_errors: FieldErrors,
    pub(super) notice: Option<&'static str>,
}

impl Default for RoleExtra {
    fn default() -> Self {
        RoleExtra {
            policy: None,
            policy_errors: FieldErrors::new(),
            swap: SwapWebForm::default(),
            swap_errors: FieldErrors::new(),
            notice: None,
        }
    }
}

pub(super) async fn role_page_for(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    role: Role,
    extra: RoleExtra,
) -> AppResult<RolePage> {
    let v = role_views(s, &l.community)
        .await?
        .into_iter()
        .find(|v| v.role == role)
        .ok_or(AppError::NotFound)?;
    let policy = extra.policy.unwrap_or_else(|| match &v.policy {
        Some(p) => PolicyForm {
            mode: p.mode.clone(),
            required_skill: p.required_skill.clone().unwrap_or_default(),
            term_days: p.term_days.to_string(),
        },
        None => PolicyForm {
            mode: String::new(),
            required_skill: String::new(),
            term_days: rule::DEFAULT_TERM_DAYS.to_string(),
        },
    });
    let modes = Mode::ALL
        .iter()
        .map(|x| (x.as_str().to_owned(), c.label("rotation-mode", x.as_str())))
        .collect();
    Ok(RolePage {
        c,
        m: l.community,
        access: l.access,
        v,
        policy,
        policy_errors: extra.policy_errors,
        swap: extra.swap,
        swap_errors: extra.swap_errors,
        modes,
        notice: extra.notice,
    })
}

pub(super) async fn role_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, role)): Path<(String, String)>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let role = parse_role(&role)?;
    Ok(html(
        &role_page_for(&s, c, l, role, RoleExtra::default()).await?,
    ))
}

pub(super) async fn policy_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, role)): Path<(String, String)>,
    Form(f): Form<PolicyForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let role = parse_role(&role)?;
    if let Err(e) = set_policy(&s, &c, &l, role, &f).await? {
        let extra = RoleExtra {
            policy: Some(f),
            policy_errors: e,
            ..Default::default()
        };
        return Ok(html_invalid(&role_page_for(&s, c, l, role, extra).await?));
    }
    Ok(redirect(&format!("/c/{slug}/rotation/{role}")))
}

pub(super) async fn swap_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, role)): Path<(String, String)>,
    Form(f): Form<SwapWebForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let role = parse_role(&role)?;
    let mut e = FieldErrors::new();
    let a = parse_subject(&mut e, "a", &f.a);
    let b = parse_subject(&mut e, "b", &f.b);
    let note = tejido_core::validate::optional(&mut e, "note", &f.note, 2000);
    let result = match (a, b, e.is_empty()) {
        (Some(a), Some(b), true) => record_swap(&s, &c, &l, role, a, b, note).await?,
        _ => Err(e),
    };
    if let Err(e) = result {
        let extra = RoleExtra {
            swap: f,
            swap_errors: e,
            ..Default::default()
        };
        return Ok(html_invalid(&role_page_for(&s, c, l, role, extra).await?));
    }
    Ok(redirect(&format!("/c/{slug}/rotation/{role}")))
}

pub(super) fn parse_subject(e: &mut FieldErrors, field: &str, v: &str) -> Option<i64> {
    match v.trim().parse::<i64>() {
        Ok(x) if x > 0 => Some(x),
        _ => {
            e.add(
                field,
                if v.trim().is_empty() {
                    "error-required"
                } else {
                    "error-invalid-choice"
                },
            );
            None
        }
    }
}

pub(super) async fn handover_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, role)): Path<(String, String)>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let role = parse_role(&role)?;
    if let Err(notice) = hand_over(&s, &c, &l, role).await? {
        let extra = RoleExtra {
            notice: Some(notice),
            ..Default::default()
        };
        return Ok(html_invalid(&role_page_for(&s, c, l, role, extra).await?));
    }
    Ok(redirect(&format!("/c/{slug}/rotation/{role}")))
}

#[derive(Template)]
#[template(path = "rotation/preferences.html")]
pub(super) struct PrefsPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) kind: SubjectKind,
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) form: PrefsWebForm,
    pub(super) errors: FieldErrors,
}

pub(super) async fn prefs_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, kind, id)): Path<(String, String, i64)>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let (kind, name) = prefs_target(&s, &c, &l, &kind, id).await?;
    let form =
        PrefsWebForm::from_prefs(&store::preferences(&s.db, l.community.id, kind, id).await?);
    Ok(html(&PrefsPage {
        c,
        m: l.community,
        kind,
        id,
        name,
        form,
        errors: FieldErrors::new(),
    }))
}

pub(super) async fn prefs_post(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, kind, id)): Path<(String, String, i64)>,
    Form(f): Form<PrefsWebForm>,
) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let (kind, name) = prefs_target(&s, &c, &l, &kind, id).await?;
    if let Err(errors) = set_preferences(&s, &c, &l, kind, id, &f.core()).await? {
        return Ok(html_invalid(&PrefsPage {
            c,
            m: l.community,
            kind,
            id,
            name,
            form: f,
            errors,
        }));
    }
    Ok(redirect(&format!("/c/{slug}/rotation")))
}
