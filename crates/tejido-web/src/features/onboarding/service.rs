//! The onboarding use cases and lookups that the pages and the API share.

use super::*;

/// Members of each kind shown on the pack; the members page has the rest.
pub(super) const MEMBERS_SHOWN: u32 = 12;
/// Open action items shown; the action items page has the rest.
pub(super) const ITEMS_SHOWN: u32 = 10;
/// Events whose minutes are shown.
pub(super) const RECENT_MINUTES: i64 = 3;
/// Coming turns shown per rotating role.
pub(super) const TURNS_SHOWN: usize = 3;
/// Resources offered in the leaders' picker.
pub(super) const CANDIDATES: i64 = 200;

// ---- compiling the pack ------------------------------------------------------------------------

pub struct GoalView {
    pub goal: Goal,
    pub objectives: Vec<Objective>,
}

pub struct SectionView {
    pub key: &'static str,
    /// Output of [`render_markdown`]: the only HTML the templates insert unescaped.
    pub html: String,
}

pub struct CharterView {
    pub number: i64,
    pub adopted_at: Option<DateTime<Utc>>,
    pub sections: Vec<SectionView>,
}

#[derive(serde::Serialize)]
pub struct TurnView {
    pub name: String,
    pub starts_on: NaiveDate,
    /// The start date as a time, for the locale's date format.
    #[serde(skip)]
    pub at: DateTime<Utc>,
}

pub struct RotationView {
    pub role: Role,
    pub holder: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub turns: Vec<TurnView>,
}

pub struct MinutesView {
    pub event_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    /// Output of [`render_markdown`].
    pub html: String,
    pub summary: String,
}

pub struct Pack {
    /// The reader may see names of members and role holders (`Record::People`); when false the
    /// roles, rotation and members sections are left empty and say why.
    pub show_people: bool,
    /// The reader may read minutes and action items (`Record::Minutes`).
    pub show_minutes: bool,
    pub goals: Vec<GoalView>,
    pub charter: Option<CharterView>,
    pub roles: Vec<RoleHolder>,
    pub rotation: Vec<RotationView>,
    pub orgs: Page<MemberOrganization>,
    pub people: Page<MemberPerson>,
    pub minutes: Vec<MinutesView>,
    pub key: Vec<KeyResource>,
    pub items: Page<ActionItem>,
}

impl Pack {
    /// More members than the pack lists: link to the members page.
    pub fn more_members(&self) -> bool {
        self.orgs.total > self.orgs.items.len() as i64
            || self.people.total > self.people.items.len() as i64
    }
    pub fn more_items(&self) -> bool {
        self.items.total > self.items.items.len() as i64
    }
}

/// An empty first page, for a section the reader may not see.
pub(super) fn none<T>(per_page: u32) -> Page<T> {
    Page {
        items: vec![],
        page: 1,
        per_page,
        total: 0,
    }
}

pub(super) fn zone(tz: &str) -> chrono_tz::Tz {
    tz.parse().unwrap_or(chrono_tz::America::Mexico_City)
}

/// The coming turns of each rotating role with a rotation policy, by the same fair rule and
/// pending swaps the rotation page uses (`tejido_core::rotation::schedule`). A fixed number of
/// queries: policies, holders, swaps, and candidates per rotating role.
pub(super) async fn rotation(s: &AppState, m: &Community) -> AppResult<Vec<RotationView>> {
    use tejido_db::rotation as rot;
    let policies = rot::policies(&s.db, m.id).await?;
    let holders = rot::holders(&s.db, m.id).await?;
    let swaps = rot::pending_swaps(&s.db, m.id).await?;
    let tz = zone(&m.time_zone);
    let today = tejido_db::now().with_timezone(&tz).date_naive();
    let mut out = Vec::new();
    for role in ROTATING {
        let policy = policies.iter().find(|p| p.role == role.as_str());
        let holder = holders.iter().find(|h| h.role == role.as_str());
        let mode = policy.and_then(|p| Mode::parse(&p.mode));
        let candidates = match mode {
            Some(Mode::People) => rot::person_candidates(&s.db, m.id, role).await?,
            Some(Mode::Organizations) => rot::organization_candidates(&s.db, m.id, role).await?,
            _ => vec![],
        };
        let mut turns = vec![];
        if let (Some(p), false) = (policy, candidates.is_empty()) {
            let cands: Vec<Candidate> = candidates
                .iter()
                .map(|c| {
                    let prefs = c.preferences();
                    Candidate {
                        id: c.id,
                        turns: u32::try_from(c.turns).unwrap_or(u32::MAX),
                        last_turn: c.last_turn,
                        opted_out: prefs.opted_out.contains(&role),
                        skills: prefs.skills,
                    }
                })
                .collect();
            let current = holder.and_then(|h| match mode {
                Some(Mode::Organizations) => h.organization_id,
                _ => Some(h.person_id),
            });
            let pending: Vec<(i64, i64)> = swaps
                .iter()
                .filter(|x| x.policy_id == p.id)
                .map(|x| (x.a_id, x.b_id))
                .collect();
            let (ids, _) = rule::schedule(
                &cands,
                p.required_skill.as_deref(),
                current,
                TURNS_SHOWN,
                &pending,
            );
            let term = u32::try_from(p.term_days).unwrap_or(rule::DEFAULT_TERM_DAYS);
            let start = holder.map(|h| h.starts_at.with_timezone(&tz).date_naive());
            let dates = rule::turn_dates(start, today, term, ids.len());
            turns = ids
                .iter()
                .zip(dates)
                .map(|(id, d)| TurnView {
                    name: candidates
                        .iter()
                        .find(|c| c.id == *id)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    starts_on: d,
                    at: d
                        .and_hms_opt(12, 0, 0)
                        .map(|t| t.and_utc())
                        .unwrap_or_default(),
                })
                .collect();
        }
        if holder.is_none() && turns.is_empty() {
            continue;
        }
        out.push(RotationView {
            role,
            holder: holder.map(|h| match (&mode, &h.organization_name) {
                (Some(Mode::Organizations), Some(o)) => format!("{} ({o})", h.full_name),
                _ => h.full_name.clone(),
            }),
            since: holder.map(|h| h.starts_at),
            turns,
        });
    }
    Ok(out)
}

/// Compiles the pack for this reader: each section only if the reader may read that kind of
/// record on its own page (`tejido_core::visibility`), so the pack never shows more than the
/// pages it summarizes.
pub(super) async fn compile(s: &AppState, c: &Ctx, l: &Loaded) -> AppResult<Pack> {
    let m = &l.community;
    let show_people = l.may_read(Record::People);
    let show_minutes = l.may_read(Record::Minutes);

    let (goals, objectives) = tejido_db::governance::goals(&s.db, m.id).await?;
    let goals = goals
        .into_iter()
        .map(|g| GoalView {
            objectives: objectives
                .iter()
                .filter(|o| o.goal_id == g.id)
                .cloned()
                .collect(),
            goal: g,
        })
        .collect();
    let charter = tejido_db::charter::load(&s.db, m.id, tejido_db::charter::Which::Adopted)
        .await?
        .map(|ch| CharterView {
            number: ch.version.number,
            adopted_at: ch.version.adopted_at,
            sections: Section::ALL
                .iter()
                .filter_map(|sec| {
                    let body = ch.body(sec.as_str());
                    (!body.trim().is_empty()).then(|| SectionView {
                        key: sec.as_str(),
                        html: render_markdown(body),
                    })
                })
                .collect(),
        });
    let (roles, rotation, orgs, people) = if show_people {
        // Roles with a responsibility, in the catalog's order; plain membership is the members list.
        let mut roles: Vec<RoleHolder> = communities::current_roles(&s.db, m.id)
            .await?
            .into_iter()
            .filter(|h| {
                !matches!(
                    Role::parse(&h.role),
                    Some(Role::Member | Role::Guest) | None
                )
            })
            .collect();
        let order = |r: &str| Role::ALL.iter().position(|x| x.as_str() == r);
        roles.sort_by_key(|h| order(&h.role));
        let rotation = rotation(s, m).await?;
        let members = PageReq::new(Some(1), Some(MEMBERS_SHOWN));
        let orgs = communities::member_organizations(&s.db, m.id, members).await?;
        let people = communities::member_people(&s.db, m.id, members).await?;
        (roles, rotation, orgs, people)
    } else {
        (vec![], vec![], none(MEMBERS_SHOWN), none(MEMBERS_SHOWN))
    };
    let (minutes, items) = if show_minutes {
        let minutes = store::recent_minutes(&s.db, m.id, RECENT_MINUTES)
            .await?
            .into_iter()
            .map(|r| MinutesView {
                event_id: r.event_id,
                title: r.title,
                starts_at: r.starts_at,
                html: render_markdown(&r.summary),
                summary: r.summary,
            })
            .collect();
        let items = tejido_db::minutes::open_items_for_community(
            &s.db,
            m.id,
            PageReq::new(Some(1), Some(ITEMS_SHOWN)),
        )
        .await?;
        (minutes, items)
    } else {
        (vec![], none(ITEMS_SHOWN))
    };
    let key = store::key_resources(&s.db, m.id, c.viewer()).await?;
    Ok(Pack {
        show_people,
        show_minutes,
        goals,
        charter,
        roles,
        rotation,
        orgs,
        people,
        minutes,
        key,
        items,
    })
}

/// A resource kind's label (the search catalog names the library's kinds).
pub fn kind_name(c: &Ctx, kind: &str) -> String {
    let id = format!("search-kind-{kind}");
    if c.state.i18n.has(c.locale, &id) {
        c.t(&id)
    } else {
        kind.to_owned()
    }
}

/// A calendar date in the reader's language (e.g. "3 mar 2026").
pub fn day(c: &Ctx, d: &NaiveDate) -> String {
    d.and_hms_opt(12, 0, 0)
        .map(|t| c.date(&t.and_utc()))
        .unwrap_or_default()
}

// ---- pages -------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "onboarding/page.html")]
pub(super) struct PackPage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) p: Pack,
    pub(super) candidates: Options,
    pub(super) notice: Option<String>,
}

pub(super) async fn render_page(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    notice: Option<String>,
) -> AppResult<Response> {
    let manage = l.access.manage;
    let p = compile(s, &c, &l).await?;
    let candidates = if manage {
        store::candidates(&s.db, l.community.id, CANDIDATES)
            .await?
            .into_iter()
            .map(|r| {
                let kind = kind_name(&c, &r.kind);
                (r.id.to_string(), format!("{} · {kind}", r.title))
            })
            .collect()
    } else {
        vec![]
    };
    let status = if notice.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let mut r = html(&PackPage {
        m: l.community,
        manage,
        p,
        candidates,
        notice,
        c,
    });
    if r.status() == axum::http::StatusCode::OK {
        *r.status_mut() = status;
    }
    Ok(r)
}

pub(super) async fn page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    render_page(&s, c, l, None).await
}
