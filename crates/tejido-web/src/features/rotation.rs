//! Rotation: pages under `/c/{slug}/rotation` and JSON under `/api/v1/communities/{slug}/rotation`.
//!
//! For each rotating role (leader, facilitator, rapporteur, timekeeper) the community chooses a
//! policy — rotate over people, over member organizations, or continuity — and sees who holds the
//! role and the next six turns, computed by `tejido_core::rotation::schedule` from the role
//! history. Members read and set their own opt-outs and skills; leaders, co-leaders, conveners and
//! admins set policies and anyone's preferences, record swaps agreed by the community (each also a
//! decision in the decision log) and hand the role over to the next holder. Guests see the
//! schedule, never other people's preferences. Pages and API share the use cases below.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use tejido_core::communities::{Access, Role};
use tejido_core::decisions::{DecisionInput, Method, Source};
use tejido_core::rotation::{
    self as rule, Candidate, Mode, PolicyForm, Preferences, PreferencesForm, SubjectKind, HORIZON,
    ROTATING,
};
use tejido_core::FieldErrors;
use tejido_db::communities::Community;
use tejido_db::rotation::{self as store, CandidateRow, Holder, PolicyRow};

use crate::access::{load, load_manage, Loaded};
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::routes::{self as route, Level, Route};
use crate::time::{today_in, zone};
use crate::views::Options;
use crate::views::{html, html_invalid, redirect};
use crate::{AppError, AppState, Ctx};

/// Pages. One route per line, so that tests can read them from this source.
pub fn routes() -> Vec<Route> {
    vec![
        route::get("/c/{slug}/rotation", Level::Viewer, index),
        route::get("/c/{slug}/rotation/{role}", Level::Viewer, role_page),
        route::post(
            "/c/{slug}/rotation/{role}/policy",
            Level::Manager,
            policy_post,
        ),
        route::post("/c/{slug}/rotation/{role}/swaps", Level::Manager, swap_post),
        route::post(
            "/c/{slug}/rotation/{role}/handover",
            Level::Manager,
            handover_post,
        ),
        route::get(
            "/c/{slug}/rotation/preferences/{kind}/{id}",
            Level::Viewer,
            prefs_page,
        ),
        route::post(
            "/c/{slug}/rotation/preferences/{kind}/{id}",
            Level::Viewer,
            prefs_post,
        ),
    ]
}

/// The JSON API, nested under `/api/v1`.
pub fn api_routes() -> Vec<Route> {
    vec![
        route::get("/communities/{slug}/rotation", Level::Viewer, api_get),
        route::put(
            "/communities/{slug}/rotation/{role}/policy",
            Level::Manager,
            api_policy,
        ),
        route::post(
            "/communities/{slug}/rotation/{role}/swaps",
            Level::Manager,
            api_swap,
        ),
        route::post(
            "/communities/{slug}/rotation/{role}/handover",
            Level::Manager,
            api_handover,
        ),
        route::put(
            "/communities/{slug}/rotation/preferences/{kind}/{id}",
            Level::Viewer,
            api_prefs,
        ),
    ]
}

// ---- reading: the schedule ---------------------------------------------------------------------

/// One upcoming turn.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Turn {
    pub ordinal: usize,
    pub starts_on: NaiveDate,
    /// A person's or an organization's id, per the policy's mode.
    pub id: i64,
    pub name: String,
    /// The start date as a time, for the locale's date format.
    #[serde(skip)]
    pub at: DateTime<Utc>,
}

/// A pending swap, with names.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PendingSwap {
    pub id: i64,
    pub a_id: i64,
    pub a: String,
    pub b_id: i64,
    pub b: String,
    pub decision_id: Option<i64>,
}

/// A rotating role as the pages and the API show it.
#[derive(Debug, Clone)]
pub struct RoleView {
    pub role: Role,
    pub policy: Option<PolicyRow>,
    pub mode: Option<Mode>,
    pub holder: Option<Holder>,
    pub turns: Vec<Turn>,
    pub swaps: Vec<PendingSwap>,
    /// Candidates by id: what the turns and swaps are computed from.
    candidates: Vec<CandidateRow>,
}

impl RoleView {
    pub fn slug(&self) -> &'static str {
        self.role.as_str()
    }
    pub fn rotates(&self) -> bool {
        matches!(self.mode, Some(Mode::People | Mode::Organizations))
    }
    fn name_of(&self, id: i64) -> String {
        self.candidates
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }
    fn current_subject(&self) -> Option<i64> {
        let h = self.holder.as_ref()?;
        match self.mode {
            Some(Mode::Organizations) => h.organization_id,
            _ => Some(h.person_id),
        }
    }
    fn pending(&self) -> Vec<(i64, i64)> {
        self.swaps.iter().map(|s| (s.a_id, s.b_id)).collect()
    }
    /// The schedule with pending swaps and `extra` applied; says whether `extra` applied.
    fn plan(&self, extra: Option<(i64, i64)>) -> (Vec<i64>, bool) {
        let mut swaps = self.pending();
        swaps.extend(extra);
        let cands: Vec<Candidate> = self
            .candidates
            .iter()
            .map(|c| {
                let prefs = c.preferences();
                Candidate {
                    id: c.id,
                    turns: u32::try_from(c.turns).unwrap_or(u32::MAX),
                    last_turn: c.last_turn,
                    opted_out: prefs.opted_out.contains(&self.role),
                    skills: prefs.skills,
                }
            })
            .collect();
        let skill = self
            .policy
            .as_ref()
            .and_then(|p| p.required_skill.as_deref());
        let (ids, applied) = rule::schedule(&cands, skill, self.current_subject(), HORIZON, &swaps);
        let ok = extra.is_none() || applied.last().copied().unwrap_or(false);
        (ids, ok)
    }
    /// Options for the swap form: the holders of the upcoming turns, each once.
    pub fn swap_options(&self) -> Options {
        let mut out: Options = vec![];
        for t in &self.turns {
            let v = t.id.to_string();
            if !out.iter().any(|(x, _)| *x == v) {
                out.push((v, t.name.clone()));
            }
        }
        out
    }
    fn json(&self) -> Value {
        json!({
            "role": self.role.as_str(),
            "policy": self.policy.as_ref().map(|p| json!({
                "mode": p.mode, "required_skill": p.required_skill, "term_days": p.term_days, "updated_at": p.updated_at,
            })),
            "holder": self.holder,
            "upcoming": self.turns,
            "pending_swaps": self.swaps,
        })
    }
}

/// Builds the view of every rotating role: a fixed number of queries (policies, holders,
/// swaps, and candidates per rotating role), never one per person.
async fn role_views(s: &AppState, m: &Community) -> AppResult<Vec<RoleView>> {
    let policies = store::policies(&s.db, m.id).await?;
    let holders = store::holders(&s.db, m.id).await?;
    let swaps = store::pending_swaps(&s.db, m.id).await?;
    let today = today_in(&m.time_zone);
    let tz = zone(&m.time_zone);
    let mut out = Vec::with_capacity(ROTATING.len());
    for role in ROTATING {
        let policy = policies.iter().find(|p| p.role == role.as_str()).cloned();
        let mode = policy.as_ref().and_then(|p| Mode::parse(&p.mode));
        let holder = holders.iter().find(|h| h.role == role.as_str()).cloned();
        let candidates = match mode {
            Some(Mode::People) => store::person_candidates(&s.db, m.id, role).await?,
            Some(Mode::Organizations) => store::organization_candidates(&s.db, m.id, role).await?,
            _ => vec![],
        };
        let mut v = RoleView {
            role,
            policy,
            mode,
            holder,
            turns: vec![],
            swaps: vec![],
            candidates,
        };
        if let Some(p) = &v.policy {
            v.swaps = swaps
                .iter()
                .filter(|x| x.policy_id == p.id)
                .map(|x| PendingSwap {
                    id: x.id,
                    a_id: x.a_id,
                    a: v.name_of(x.a_id),
                    b_id: x.b_id,
                    b: v.name_of(x.b_id),
                    decision_id: x.decision_id,
                })
                .collect();
        }
        if v.rotates() {
            let term = v.policy.as_ref().map_or(rule::DEFAULT_TERM_DAYS, |p| {
                u32::try_from(p.term_days).unwrap_or(1)
            });
            let start = v
                .holder
                .as_ref()
                .map(|h| h.starts_at.with_timezone(&tz).date_naive());
            let (ids, _) = v.plan(None);
            let dates = rule::turn_dates(start, today, term, ids.len());
            v.turns = ids
                .iter()
                .zip(dates)
                .enumerate()
                .map(|(i, (id, d))| Turn {
                    ordinal: i + 1,
                    starts_on: d,
                    id: *id,
                    name: v.name_of(*id),
                    at: d
                        .and_hms_opt(12, 0, 0)
                        .map(|t| t.and_utc())
                        .unwrap_or_default(),
                })
                .collect();
        }
        out.push(v);
    }
    Ok(out)
}

/// A member other than a guest: may see others' preferences and set their own.
fn full_member(l: &Loaded) -> bool {
    l.access.manage || l.roles.iter().any(|r| *r != Role::Guest)
}

fn parse_role(s: &str) -> AppResult<Role> {
    Role::parse(s)
        .filter(|r| rule::is_rotating(*r))
        .ok_or(AppError::NotFound)
}

/// A subject's preferences, for the list members see.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PrefRow {
    pub kind: &'static str,
    pub id: i64,
    pub name: String,
    pub opted_out: Vec<Role>,
    pub skills: Vec<String>,
}

async fn pref_rows(s: &AppState, community_id: i64) -> AppResult<(Vec<PrefRow>, Vec<PrefRow>)> {
    // The leader role is arbitrary here: only names and preferences are read.
    let people = store::person_candidates(&s.db, community_id, Role::Leader).await?;
    let orgs = store::organization_candidates(&s.db, community_id, Role::Leader).await?;
    let row = |kind: &'static str, c: &CandidateRow| {
        let p = c.preferences();
        PrefRow {
            kind,
            id: c.id,
            name: c.name.clone(),
            opted_out: p.opted_out,
            skills: p.skills,
        }
    };
    Ok((
        people.iter().map(|c| row("person", c)).collect(),
        orgs.iter().map(|c| row("organization", c)).collect(),
    ))
}

fn my_person(c: &Ctx, l: &Loaded) -> Option<i64> {
    if !l.roles.iter().any(|r| *r != Role::Guest) {
        return None;
    }
    c.user.as_ref().and_then(|u| u.person_id)
}

// ---- pages ----------------------------------------------------------------------------------------

/// The checkboxes and skills of a preferences form, as posted by a browser.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PrefsWebForm {
    out_leader: Option<String>,
    out_facilitator: Option<String>,
    out_rapporteur: Option<String>,
    out_timekeeper: Option<String>,
    skills: String,
}

impl PrefsWebForm {
    fn from_prefs(p: &Preferences) -> PrefsWebForm {
        let on = |r: Role| p.opted_out.contains(&r).then(|| "on".to_owned());
        PrefsWebForm {
            out_leader: on(Role::Leader),
            out_facilitator: on(Role::Facilitator),
            out_rapporteur: on(Role::Rapporteur),
            out_timekeeper: on(Role::Timekeeper),
            skills: p.skills_text(),
        }
    }
    fn core(&self) -> PreferencesForm {
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
struct IndexPage {
    c: Ctx,
    m: Community,
    access: Access,
    roles: Vec<RoleView>,
    show_prefs: bool,
    people: Vec<PrefRow>,
    orgs: Vec<PrefRow>,
    me: Option<i64>,
    form: PrefsWebForm,
    errors: FieldErrors,
}

async fn index(State(s): State<AppState>, c: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let page = index_page(&s, c, l, None, FieldErrors::new()).await?;
    Ok(html(&page))
}

async fn index_page(
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
struct RolePage {
    c: Ctx,
    m: Community,
    access: Access,
    v: RoleView,
    policy: PolicyForm,
    policy_errors: FieldErrors,
    swap: SwapWebForm,
    swap_errors: FieldErrors,
    modes: Options,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct SwapWebForm {
    a: String,
    b: String,
    note: String,
}

struct RoleExtra {
    policy: Option<PolicyForm>,
    policy_errors: FieldErrors,
    swap: SwapWebForm,
    swap_errors: FieldErrors,
    notice: Option<&'static str>,
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

async fn role_page_for(
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

async fn role_page(
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

async fn policy_post(
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

async fn swap_post(
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

fn parse_subject(e: &mut FieldErrors, field: &str, v: &str) -> Option<i64> {
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

async fn handover_post(
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
struct PrefsPage {
    c: Ctx,
    m: Community,
    kind: SubjectKind,
    id: i64,
    name: String,
    form: PrefsWebForm,
    errors: FieldErrors,
}

/// Checks the viewer may set a subject's preferences (managers: anyone's; members: their own)
/// and that the subject is a current member; returns its name.
async fn prefs_target(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    kind: &str,
    id: i64,
) -> AppResult<(SubjectKind, String)> {
    let kind = SubjectKind::parse(kind).ok_or(AppError::NotFound)?;
    let own = kind == SubjectKind::Person && my_person(c, l) == Some(id);
    if !own && !l.access.manage {
        return Err(AppError::Forbidden);
    }
    let name = store::member_subject_name(&s.db, l.community.id, kind, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((kind, name))
}

async fn prefs_page(
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

async fn prefs_post(
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

// ---- use cases shared by pages and API -----------------------------------------------------------

async fn set_policy(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    role: Role,
    f: &PolicyForm,
) -> AppResult<Result<(), FieldErrors>> {
    let p = match f.parse() {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = s.db.begin().await?;
    store::set_policy(&mut tx, l.community.id, role, &p, c.user_id()).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "rotation-policy-set",
        Some(&l.community.slug),
        Some(&format!("{role}:{}", p.mode)),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Records that `a` and `b` agreed to exchange their next turns, with its decision.
async fn record_swap(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    role: Role,
    a: i64,
    b: i64,
    note: Option<String>,
) -> AppResult<Result<(i64, i64), FieldErrors>> {
    let v = role_views(s, &l.community)
        .await?
        .into_iter()
        .find(|v| v.role == role)
        .ok_or(AppError::NotFound)?;
    let mut e = FieldErrors::new();
    let policy_id = match (&v.policy, v.rotates()) {
        (Some(p), true) => p.id,
        _ => {
            e.add("a", "rotation-error-not-rotating");
            return Ok(Err(e));
        }
    };
    let known = |x: i64| v.candidates.iter().any(|c| c.id == x);
    if !known(a) {
        e.add("a", "error-invalid-choice");
    }
    if !known(b) {
        e.add("b", "error-invalid-choice");
    }
    if e.is_empty() && !v.plan(Some((a, b))).1 {
        e.add("b", "rotation-error-swap");
    }
    if !e.is_empty() {
        return Ok(Err(e));
    }
    let (na, nb) = (v.name_of(a), v.name_of(b));
    let role_name = c.label("role", role.as_str());
    let title = format!(
        "{role_name}: {}",
        c.t2("rotation-swap-decision", "a", &na, "b", &nb)
    );
    let mut tx = s.db.begin().await?;
    let swap_id = store::insert_swap(&mut tx, policy_id, a, b, c.user_id()).await?;
    let d = DecisionInput {
        title,
        body: note,
        decided_on: today_in(&l.community.time_zone),
        method: Method::Consensus,
        votes: None,
        decided_by: None,
        source: Some((Source::Rotation, swap_id)),
        corrects: None,
    };
    let decision_id =
        tejido_db::decisions::insert(&mut tx, l.community.id, &d, c.user_id()).await?;
    store::link_decision(&mut tx, swap_id, decision_id).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "rotation-swap-recorded",
        Some(&l.community.slug),
        Some(&format!("{role}:{a}:{b}")),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok((swap_id, decision_id)))
}

/// Hands the role to the first upcoming holder; the error is the notice to show.
async fn hand_over(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    role: Role,
) -> AppResult<Result<i64, &'static str>> {
    let v = role_views(s, &l.community)
        .await?
        .into_iter()
        .find(|v| v.role == role)
        .ok_or(AppError::NotFound)?;
    let (Some(policy), true) = (&v.policy, v.rotates()) else {
        return Ok(Err("rotation-error-not-rotating"));
    };
    let Some(next) = v.turns.first() else {
        return Ok(Err("rotation-error-nobody"));
    };
    let person = match v.mode {
        Some(Mode::Organizations) => {
            match store::representative(&s.db, l.community.id, next.id, role).await? {
                Some(p) => p,
                None => return Ok(Err("rotation-error-nobody")),
            }
        }
        _ => next.id,
    };
    let mut tx = s.db.begin().await?;
    store::hand_over(
        &mut tx,
        l.community.id,
        role,
        person,
        policy.id,
        next.id,
        c.user_id(),
    )
    .await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "rotation-handed-over",
        Some(&l.community.slug),
        Some(&format!("{role}:{person}")),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(person))
}

async fn set_preferences(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    kind: SubjectKind,
    id: i64,
    f: &PreferencesForm,
) -> AppResult<Result<(), FieldErrors>> {
    let p = match f.parse() {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = s.db.begin().await?;
    store::set_preferences(&mut tx, l.community.id, kind, id, &p, c.user_id()).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "rotation-preferences-set",
        Some(&l.community.slug),
        Some(&format!("{kind}:{id}")),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

// ---- JSON API ---------------------------------------------------------------------------------------

async fn api_get(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let roles = role_views(&s, &l.community).await?;
    let mut out = json!({
        "roles": roles.iter().map(RoleView::json).collect::<Vec<_>>(),
        "can_manage": l.access.manage,
    });
    if full_member(&l) {
        let (people, orgs) = pref_rows(&s, l.community.id).await?;
        out["preferences"] = json!({ "people": people, "organizations": orgs });
    }
    Ok(Json(out))
}

async fn role_json(s: &AppState, l: &Loaded, role: Role) -> AppResult<Value> {
    let v = role_views(s, &l.community)
        .await?
        .into_iter()
        .find(|v| v.role == role)
        .ok_or(AppError::NotFound)?;
    Ok(v.json())
}

#[derive(Debug, Deserialize)]
struct ApiPolicy {
    mode: String,
    #[serde(default)]
    required_skill: Option<String>,
    term_days: u32,
}

async fn api_policy(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, role)): Path<(String, String)>,
    ApiJson(b): ApiJson<ApiPolicy>,
) -> AppResult<Json<Value>> {
    let l = load_manage(&s, &c, &slug).await?;
    let role = parse_role(&role)?;
    let f = PolicyForm {
        mode: b.mode,
        required_skill: b.required_skill.unwrap_or_default(),
        term_days: b.term_days.to_string(),
    };
    set_policy(&s, &c, &l, role, &f)
        .await?
        .map_err(AppError::Validation)?;
    Ok(Json(role_json(&s, &l, role).await?))
}

#[derive(Debug, Deserialize)]
struct ApiSwap {
    a: i64,
    b: i64,
    #[serde(default)]
    note: Option<String>,
}

async fn api_swap(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, role)): Path<(String, String)>,
    ApiJson(body): ApiJson<ApiSwap>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    let role = parse_role(&role)?;
    let mut e = FieldErrors::new();
    let note =
        tejido_core::validate::optional(&mut e, "note", body.note.as_deref().unwrap_or(""), 2000);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let (swap_id, decision_id) = record_swap(&s, &c, &l, role, body.a, body.b, note)
        .await?
        .map_err(AppError::Validation)?;
    let r = role_json(&s, &l, role).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "swap_id": swap_id, "decision_id": decision_id, "role": r })),
    )
        .into_response())
}

async fn api_handover(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, role)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let l = load_manage(&s, &c, &slug).await?;
    let role = parse_role(&role)?;
    if let Err(code) = hand_over(&s, &c, &l, role).await? {
        let mut e = FieldErrors::new();
        e.add("role", code);
        return Err(AppError::Validation(e));
    }
    Ok(Json(role_json(&s, &l, role).await?))
}

async fn api_prefs(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, kind, id)): Path<(String, String, i64)>,
    ApiJson(f): ApiJson<PreferencesForm>,
) -> AppResult<Json<Value>> {
    c.require_user()?;
    let l = load(&s, &c, &slug).await?;
    let (kind, _) = prefs_target(&s, &c, &l, &kind, id).await?;
    set_preferences(&s, &c, &l, kind, id, &f)
        .await?
        .map_err(AppError::Validation)?;
    let p = store::preferences(&s.db, l.community.id, kind, id).await?;
    Ok(Json(json!({
        "kind": kind.as_str(),
        "id": id,
        "opted_out": p.opted_out,
        "skills": p.skills,
    })))
}

/// This capability's entries for the OpenAPI document's `paths` object.
pub fn openapi_paths() -> serde_json::Map<String, serde_json::Value> {
    let err = json!({ "$ref": "#/components/responses/Error" });
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let role = json!({ "name": "role", "in": "path", "required": true,
        "schema": { "type": "string", "enum": ROTATING.iter().map(|r| r.as_str()).collect::<Vec<_>>() } });
    let modes: Vec<&str> = Mode::ALL.iter().map(|m| m.as_str()).collect();
    let turn = json!({ "type": "object", "properties": {
        "ordinal": { "type": "integer" }, "starts_on": { "type": "string", "format": "date" },
        "id": { "type": "integer", "description": "Person or organization id, per the policy's mode" }, "name": { "type": "string" } } });
    let role_schema = json!({ "type": "object", "properties": {
        "role": { "type": "string" },
        "policy": { "type": "object", "nullable": true, "properties": {
            "mode": { "type": "string", "enum": modes }, "required_skill": { "type": "string", "nullable": true },
            "term_days": { "type": "integer" }, "updated_at": { "type": "string", "format": "date-time" } } },
        "holder": { "type": "object", "nullable": true },
        "upcoming": { "type": "array", "maxItems": HORIZON, "items": turn },
        "pending_swaps": { "type": "array", "items": { "type": "object" } } } });
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let mut m = serde_json::Map::new();
    m.insert(
        "/communities/{slug}/rotation".into(),
        json!({
            "parameters": [slug],
            "get": { "summary": "Rotating roles: policy, current holder, the next six turns; others' preferences for members (not guests)",
                "responses": { "200": ok(json!({ "type": "object", "properties": {
                    "roles": { "type": "array", "items": role_schema }, "can_manage": { "type": "boolean" },
                    "preferences": { "type": "object", "description": "Absent for guests and non-members" } } })),
                    "401": err, "403": err, "404": err } }
        }),
    );
    m.insert(
        "/communities/{slug}/rotation/{role}/policy".into(),
        json!({
            "parameters": [slug, role],
            "put": { "summary": "Set a role's rotation policy (leaders, co-leaders, conveners)",
                "requestBody": body(json!({ "type": "object", "required": ["mode", "term_days"], "properties": {
                    "mode": { "type": "string", "enum": modes }, "required_skill": { "type": "string" },
                    "term_days": { "type": "integer", "minimum": 1, "maximum": 366 } } })),
                "responses": { "200": ok(role_schema.clone()), "401": err, "403": err, "404": err, "422": err } }
        }),
    );
    m.insert(
        "/communities/{slug}/rotation/{role}/swaps".into(),
        json!({
            "parameters": [slug, role],
            "post": { "summary": "Record a swap of the next turns of two holders, agreed by the community; also recorded in the decision log",
                "requestBody": body(json!({ "type": "object", "required": ["a", "b"], "properties": {
                    "a": { "type": "integer" }, "b": { "type": "integer" }, "note": { "type": "string" } } })),
                "responses": { "201": ok(json!({ "type": "object", "properties": {
                    "swap_id": { "type": "integer" }, "decision_id": { "type": "integer" }, "role": role_schema } })),
                    "401": err, "403": err, "404": err, "422": err } }
        }),
    );
    m.insert(
        "/communities/{slug}/rotation/{role}/handover".into(),
        json!({
            "parameters": [slug, role],
            "post": { "summary": "End the current term and hand the role to the next holder",
                "responses": { "200": ok(role_schema.clone()), "401": err, "403": err, "404": err, "422": err } }
        }),
    );
    m.insert(
        "/communities/{slug}/rotation/preferences/{kind}/{id}".into(),
        json!({
            "parameters": [slug,
                { "name": "kind", "in": "path", "required": true, "schema": { "type": "string", "enum": ["person", "organization"] } },
                { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "put": { "summary": "Set opt-outs and skills (a member their own; managers anyone's)",
                "requestBody": body(json!({ "type": "object", "properties": {
                    "opted_out": { "type": "array", "items": { "type": "string", "enum": ROTATING.iter().map(|r| r.as_str()).collect::<Vec<_>>() } },
                    "skills": { "type": "string", "description": "Comma-separated" } } })),
                "responses": { "200": ok(json!({ "type": "object" })), "401": err, "403": err, "404": err, "422": err } }
        }),
    );
    m
}
