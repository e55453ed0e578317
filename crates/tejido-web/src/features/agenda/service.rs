//! The agenda use cases and lookups that the pages and the API share.

use super::*;

// ---- who may do what ----------------------------------------------------------------------------

/// A signed-in viewer of the community and one of its events.
pub(super) struct Scope {
    pub(super) l: Loaded,
    pub(super) event: Event,
}

pub(super) async fn scope(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<Scope> {
    c.require_user()?;
    let l = load(s, c, slug).await?;
    let event = tejido_db::events::get(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Scope { l, event })
}

pub(super) async fn managed(s: &AppState, c: &Ctx, slug: &str, id: i64) -> AppResult<Scope> {
    let sc = scope(s, c, slug, id).await?;
    if !sc.l.access.manage {
        return Err(AppError::Forbidden);
    }
    Ok(sc)
}

/// The viewer's person when they are a current member (not a guest) or manage the community:
/// those who may propose and vote. `None` otherwise.
pub(super) async fn member_person(s: &AppState, c: &Ctx, l: &Loaded) -> AppResult<Option<i64>> {
    let Some(pid) = c.user.as_ref().and_then(|u| u.person_id) else {
        return Ok(None);
    };
    let (member, roles) = tejido_db::communities::standing(&s.db, l.community.id, pid).await?;
    let guest_only = !roles.is_empty() && roles.iter().all(|r| *r == Role::Guest);
    Ok((l.access.manage || (member && !guest_only)).then_some(pid))
}

pub(super) async fn require_member(s: &AppState, c: &Ctx, l: &Loaded) -> AppResult<i64> {
    member_person(s, c, l).await?.ok_or(AppError::Forbidden)
}

pub(super) fn zone(tz: &str) -> chrono_tz::Tz {
    tz.parse().unwrap_or(chrono_tz::America::Mexico_City)
}

// ---- the board: topics, results, agenda ---------------------------------------------------------

/// A proposal as shown: its result only when results are visible.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TopicView {
    #[serde(flatten)]
    pub t: Topic,
    pub dots: Option<i64>,
    pub voters: Option<i64>,
    /// Dots the viewer gave it.
    pub mine: i64,
    /// Already on the agenda.
    pub scheduled: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ItemView {
    #[serde(flatten)]
    pub i: Item,
    pub facilitators: Vec<Facilitator>,
}

pub(super) struct Board {
    pub(super) topics: Vec<TopicView>,
    pub(super) items: Vec<ItemView>,
    pub(super) voting_open: bool,
    pub(super) results_visible: bool,
    pub(super) voters: Option<i64>,
    pub(super) budget: i64,
    pub(super) used: i64,
}

/// Topic voting belongs to an event still ahead: not once it is held or cancelled.
pub(super) fn voting_active(e: &Event) -> bool {
    e.status != EventStatus::Held.as_str() && e.status != EventStatus::Cancelled.as_str()
}

pub(super) async fn board(s: &AppState, sc: &Scope, me: Option<i64>) -> AppResult<Board> {
    let e = &sc.event;
    let now = tejido_db::now();
    let active = voting_active(e);
    let voting_open = rules::voting_open(e.voting_closes_at, e.starts_at, active, now);
    let results_visible = rules::results_visible(
        sc.l.access.manage,
        e.voting_closes_at,
        e.starts_at,
        active,
        now,
    );
    let topics = store::topics(&s.db, e.id).await?;
    let ballot = match me {
        Some(p) => store::ballot(&s.db, e.id, p).await?,
        None => vec![],
    };
    let items = store::items(&s.db, e.id).await?;
    let facs = store::facilitators(&s.db, e.id).await?;
    let ids: Vec<i64> = topics.iter().map(|t| t.id).collect();
    let (order, voters) = if results_visible {
        let votes = store::votes(&s.db, e.id).await?;
        (
            rules::tally(&ids, &votes),
            Some(store::voter_count(&s.db, e.id).await?),
        )
    } else {
        (rules::tally(&ids, &[]), None)
    };
    let mut by_id: Vec<Option<Topic>> = topics.into_iter().map(Some).collect();
    let mut views = Vec::with_capacity(order.len());
    // Results visible: the tally's order; hidden: oldest first, so no order gives results away.
    let mut order = order;
    if !results_visible {
        order.sort_by_key(|t| t.topic_id);
    }
    for tl in order {
        let Some(pos) = ids.iter().position(|x| *x == tl.topic_id) else {
            continue;
        };
        let Some(t) = by_id.get_mut(pos).and_then(Option::take) else {
            continue;
        };
        views.push(TopicView {
            mine: ballot
                .iter()
                .find(|(x, _)| *x == t.id)
                .map_or(0, |(_, d)| *d),
            scheduled: items.iter().any(|i| i.topic_id == Some(t.id)),
            dots: results_visible.then_some(tl.dots),
            voters: results_visible.then_some(tl.voters),
            t,
        });
    }
    let items = items
        .into_iter()
        .map(|i| ItemView {
            facilitators: facs.iter().filter(|f| f.item_id == i.id).cloned().collect(),
            i,
        })
        .collect();
    Ok(Board {
        topics: views,
        items,
        voting_open,
        results_visible,
        voters,
        budget: i64::from(e.dots_per_member),
        used: ballot.iter().map(|(_, d)| *d).sum(),
    })
}

// ---- use cases shared by pages and API ----------------------------------------------------------

pub(super) async fn save_topic(
    s: &AppState,
    c: &Ctx,
    sc: &Scope,
    person: i64,
    input: &rules::TopicInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    if store::topic_count(&mut tx, sc.event.id).await? >= rules::MAX_TOPICS {
        return Err(AppError::Validation(FieldErrors::single(
            "title",
            "agenda-error-too-many-topics",
        )));
    }
    let id = store::insert_topic(&mut tx, sc.event.id, person, input).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-topic-proposed",
        Some(&sc.l.community.slug),
        Some(&input.title),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Checks and stores a whole ballot; nothing is written when it is refused.
pub(super) async fn save_ballot(
    s: &AppState,
    c: &Ctx,
    sc: &Scope,
    person: i64,
    lines: &[(i64, i64)],
) -> AppResult<Result<Vec<(i64, i64)>, FieldErrors>> {
    let e = &sc.event;
    if !rules::voting_open(
        e.voting_closes_at,
        e.starts_at,
        voting_active(e),
        tejido_db::now(),
    ) {
        return Ok(Err(FieldErrors::single(
            "votes",
            "agenda-error-voting-closed",
        )));
    }
    let open: Vec<i64> = store::topics(&s.db, e.id)
        .await?
        .iter()
        .map(|t| t.id)
        .collect();
    let lines = match rules::check_ballot(lines, &open, i64::from(e.dots_per_member)) {
        Ok(l) => l,
        Err(err) => return Ok(Err(err)),
    };
    let mut tx = s.db.begin().await?;
    store::replace_ballot(&mut tx, e.id, person, &lines).await?;
    let total: i64 = lines.iter().map(|(_, d)| *d).sum();
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-voted",
        Some(&sc.l.community.slug),
        Some(&format!("{} · {total}", e.id)),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(lines))
}

/// Parses and checks a slot against the event (topic, members, local times) and stores it.
pub(super) async fn save_item(
    s: &AppState,
    c: &Ctx,
    sc: &Scope,
    form: &SlotForm,
) -> AppResult<Result<i64, FieldErrors>> {
    let input = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let mut errors = FieldErrors::new();
    let topic = match input.topic_id {
        Some(t) => {
            let found = store::topic(&s.db, sc.event.id, t).await?;
            if found.is_none() {
                errors.add("topic_id", "error-invalid-choice");
            }
            found
        }
        None => None,
    };
    if !input.facilitators.is_empty() {
        let members = store::members(&s.db, sc.l.community.id).await?;
        for (i, f) in input.facilitators.iter().enumerate() {
            if !members.iter().any(|(id, _)| id == f) {
                errors.add(
                    if i == 0 {
                        "facilitator"
                    } else {
                        "co_facilitator"
                    },
                    "agenda-error-not-member",
                );
            }
        }
    }
    let tz = zone(&sc.event.time_zone);
    let utc = |t: NaiveTime| -> Option<DateTime<Utc>> {
        tz.from_local_datetime(&input.date.and_time(t))
            .earliest()
            .map(|d| d.with_timezone(&Utc))
    };
    let starts = utc(input.starts);
    let ends = utc(input.ends);
    if starts.is_none() {
        errors.add("starts_at", "agenda-error-time");
    }
    if ends.is_none() {
        errors.add("ends_at", "agenda-error-time");
    }
    let (Some(starts_at), Some(ends_at)) = (starts, ends) else {
        return Ok(Err(errors));
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let title = input
        .title
        .clone()
        .or_else(|| topic.as_ref().map(|t| t.title.clone()))
        .unwrap_or_default();
    let mut tx = s.db.begin().await?;
    if store::item_count(&mut tx, sc.event.id).await? >= tejido_core::agenda::MAX_ITEMS {
        return Ok(Err(FieldErrors::single(
            "title",
            "agenda-error-too-many-items",
        )));
    }
    let id = store::insert_item(
        &mut tx,
        sc.event.id,
        &NewItem {
            topic_id: input.topic_id,
            title: &title,
            starts_at,
            ends_at,
            methodology: input.methodology,
            open_space: input.open_space,
            facilitators: &input.facilitators,
        },
        c.user_id(),
    )
    .await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-item-added",
        Some(&sc.l.community.slug),
        Some(&title),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

// ---- event roles ----------------------------------------------------------------------------------

/// The next turns (person ids) of each event role in the community's rotation: the role's policy
/// (people by default; organizations through each organization's representative; continuity
/// keeps the current holder), pending swaps included. A fixed number of queries.
pub(super) async fn upcoming(s: &AppState, m: &Community) -> AppResult<Vec<Vec<i64>>> {
    use tejido_db::rotation as rs;
    let policies = rs::policies(&s.db, m.id).await?;
    let holders = rs::holders(&s.db, m.id).await?;
    let swaps = rs::pending_swaps(&s.db, m.id).await?;
    let mut out = Vec::with_capacity(EVENT_ROLES.len());
    for role in EVENT_ROLES {
        let policy = policies.iter().find(|p| p.role == role.as_str());
        let mode = policy
            .and_then(|p| Mode::parse(&p.mode))
            .unwrap_or(Mode::People);
        let holder = holders.iter().find(|h| h.role == role.as_str());
        let pending: Vec<(i64, i64)> = policy
            .map(|p| {
                swaps
                    .iter()
                    .filter(|x| x.policy_id == p.id)
                    .map(|x| (x.a_id, x.b_id))
                    .collect()
            })
            .unwrap_or_default();
        let skill = policy.and_then(|p| p.required_skill.as_deref());
        let turns = match mode {
            Mode::Continuity => holder.map(|h| vec![h.person_id]).unwrap_or_default(),
            Mode::People => {
                let cands = candidates(&rs::person_candidates(&s.db, m.id, role).await?, role);
                rot::next_turns(
                    &cands,
                    skill,
                    holder.map(|h| h.person_id),
                    HORIZON,
                    &pending,
                )
            }
            Mode::Organizations => {
                let cands =
                    candidates(&rs::organization_candidates(&s.db, m.id, role).await?, role);
                let orgs = rot::next_turns(
                    &cands,
                    skill,
                    holder.and_then(|h| h.organization_id),
                    EVENT_ROLES.len(),
                    &pending,
                );
                let mut people = Vec::with_capacity(orgs.len());
                // At most three organizations per role: bounded.
                for o in orgs {
                    if let Some(p) = rs::representative(&s.db, m.id, o, role).await? {
                        people.push(p);
                    }
                }
                people
            }
        };
        out.push(turns);
    }
    Ok(out)
}

pub(super) fn candidates(rows: &[tejido_db::rotation::CandidateRow], role: Role) -> Vec<Candidate> {
    rows.iter()
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
        .collect()
}

/// Records the rotation's proposals for the roles no leader confirmed yet.
pub(super) async fn propose_from_rotation(s: &AppState, c: &Ctx, sc: &Scope) -> AppResult<usize> {
    let turns = upcoming(s, &sc.l.community).await?;
    let picks = rules::propose_roles(&turns);
    let mut tx = s.db.begin().await?;
    let mut n = 0;
    for (role, pick) in EVENT_ROLES.iter().zip(picks) {
        if let Some(p) = pick {
            if store::propose_role(&mut tx, sc.event.id, *role, p).await? {
                n += 1;
            }
        }
    }
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "agenda-roles-proposed",
        Some(&sc.l.community.slug),
        Some(&format!("{} · {n}", sc.event.id)),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RoleForm {
    pub person_id: String,
}

/// Confirms (or swaps) a role's holder; the holder must be a current member.
pub(super) async fn confirm(
    s: &AppState,
    c: &Ctx,
    sc: &Scope,
    role: &str,
    form: &RoleForm,
) -> AppResult<Result<(), FieldErrors>> {
    let role = Role::parse(role)
        .filter(|r| rules::is_event_role(*r))
        .ok_or(AppError::NotFound)?;
    let members = store::members(&s.db, sc.l.community.id).await?;
    let Some((pid, name)) = form
        .person_id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|p| members.into_iter().find(|(id, _)| *id == p))
    else {
        return Ok(Err(FieldErrors::single(
            "person_id",
            "agenda-error-not-member",
        )));
    };
    let before = store::roles(&s.db, sc.event.id).await?;
    let previous = before
        .iter()
        .find(|r| r.role == role.as_str())
        .map(|r| r.full_name.clone());
    let mut tx = s.db.begin().await?;
    store::confirm_role(&mut tx, sc.event.id, role, pid, c.user_id()).await?;
    let swapped = previous.as_deref().is_some_and(|p| p != name);
    let detail = match &previous {
        Some(p) if swapped => format!("{}: {p} → {name}", role.as_str()),
        _ => format!("{}: {name}", role.as_str()),
    };
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        if swapped {
            "agenda-role-swapped"
        } else {
            "agenda-role-confirmed"
        },
        Some(&sc.l.community.slug),
        Some(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// An event role as shown: who holds it, and who the rotation proposes next.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RoleView {
    pub role: &'static str,
    pub holder: Option<EventRole>,
    pub rotation_next: Option<i64>,
    pub rotation_next_name: Option<String>,
}

pub(super) async fn role_views(
    s: &AppState,
    sc: &Scope,
) -> AppResult<(Vec<RoleView>, Vec<(i64, String)>)> {
    let held = store::roles(&s.db, sc.event.id).await?;
    let turns = upcoming(s, &sc.l.community).await?;
    let picks = rules::propose_roles(&turns);
    let members = store::members(&s.db, sc.l.community.id).await?;
    let views = EVENT_ROLES
        .iter()
        .zip(picks)
        .map(|(r, pick)| RoleView {
            role: r.as_str(),
            holder: held.iter().find(|h| h.role == r.as_str()).cloned(),
            rotation_next: pick,
            rotation_next_name: pick
                .and_then(|p| members.iter().find(|(id, _)| *id == p))
                .map(|(_, n)| n.clone()),
        })
        .collect();
    Ok((views, members))
}
