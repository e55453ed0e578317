//! The rotation use cases and lookups that the pages and the API share.

use super::*;

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
    pub(super) candidates: Vec<CandidateRow>,
}

impl RoleView {
    pub fn slug(&self) -> &'static str {
        self.role.as_str()
    }
    pub fn rotates(&self) -> bool {
        matches!(self.mode, Some(Mode::People | Mode::Organizations))
    }
    pub(super) fn name_of(&self, id: i64) -> String {
        self.candidates
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }
    pub(super) fn current_subject(&self) -> Option<i64> {
        let h = self.holder.as_ref()?;
        match self.mode {
            Some(Mode::Organizations) => h.organization_id,
            _ => Some(h.person_id),
        }
    }
    pub(super) fn pending(&self) -> Vec<(i64, i64)> {
        self.swaps.iter().map(|s| (s.a_id, s.b_id)).collect()
    }
    /// The schedule with pending swaps and `extra` applied; says whether `extra` applied.
    pub(super) fn plan(&self, extra: Option<(i64, i64)>) -> (Vec<i64>, bool) {
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
    pub(super) fn json(&self) -> Value {
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
pub(super) async fn role_views(s: &AppState, m: &Community) -> AppResult<Vec<RoleView>> {
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
pub(super) fn full_member(l: &Loaded) -> bool {
    l.access.manage || l.roles.iter().any(|r| *r != Role::Guest)
}

pub(super) fn parse_role(s: &str) -> AppResult<Role> {
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

pub(super) async fn pref_rows(
    s: &AppState,
    community_id: i64,
) -> AppResult<(Vec<PrefRow>, Vec<PrefRow>)> {
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

pub(super) fn my_person(c: &Ctx, l: &Loaded) -> Option<i64> {
    if !l.roles.iter().any(|r| *r != Role::Guest) {
        return None;
    }
    c.user.as_ref().and_then(|u| u.person_id)
}

/// Checks the viewer may set a subject's preferences (managers: anyone's; members: their own)
/// and that the subject is a current member; returns its name.
pub(super) async fn prefs_target(
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

// ---- use cases shared by pages and API -----------------------------------------------------------

pub(super) async fn set_policy(
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
pub(super) async fn record_swap(
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
pub(super) async fn hand_over(
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

pub(super) async fn set_preferences(
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
