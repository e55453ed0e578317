//! The governance use cases and lookups that the pages and the API share.

use super::*;

/// A goal with its objectives and their progress, for display.
#[derive(serde::Serialize)]
pub struct GoalView {
    pub goal: Goal,
    pub objectives: Vec<Objective>,
    pub progress: Progress,
}

/// Everything the governance page and its API show.
pub struct Overview {
    pub facts: rules::Facts,
    pub phase: Phase,
    pub next: Option<Phase>,
    pub conditions: Vec<Check>,
    pub steps: Vec<Step>,
    pub goals: Vec<GoalView>,
    pub progress: Progress,
}

pub async fn overview(s: &AppState, community: &Community) -> AppResult<Overview> {
    let facts = store::facts(&s.db, community.id).await?;
    let phase = Phase::parse(&community.phase).unwrap_or(Phase::Convened);
    let next = phase.next();
    let conditions = next
        .map(|n| rules::phase_conditions(n, &facts))
        .unwrap_or_default();
    let steps = rules::six_steps(&facts);
    let (goals, objectives) = store::goals(&s.db, community.id).await?;
    let progress = Progress::from_statuses(objectives.iter().map(|o| o.status.as_str()));
    let goals = goals
        .into_iter()
        .map(|goal| {
            let objectives: Vec<Objective> = objectives
                .iter()
                .filter(|o| o.goal_id == goal.id)
                .cloned()
                .collect();
            let progress = Progress::from_statuses(objectives.iter().map(|o| o.status.as_str()));
            GoalView {
                goal,
                objectives,
                progress,
            }
        })
        .collect();
    Ok(Overview {
        facts,
        phase,
        next,
        conditions,
        steps,
        goals,
        progress,
    })
}

pub(super) fn status_options(c: &Ctx) -> Options {
    ObjectiveStatus::ALL
        .iter()
        .map(|h| (h.as_str().to_owned(), c.label("gov-status", h.as_str())))
        .collect()
}

// ---- use cases shared by pages and API ------------------------------------------------------------

pub(super) async fn save_goal(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    input: &rules::GoalInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = store::insert_goal(&mut tx, l.community.id, input, c.user_id()).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "goal-created",
        Some(&l.community.slug),
        Some(&input.title),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub(super) async fn save_objective(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    goal_id: i64,
    input: &rules::ObjectiveInput,
) -> AppResult<i64> {
    let mut tx = s.db.begin().await?;
    let id = store::insert_objective(&mut tx, goal_id, input, c.user_id()).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "objective-created",
        Some(&l.community.slug),
        Some(&input.title),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub(super) async fn save_status(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    id: i64,
    status: ObjectiveStatus,
    comment: Option<&str>,
) -> AppResult<()> {
    let mut tx = s.db.begin().await?;
    store::change_status(&mut tx, id, status, comment, c.user_id()).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "objective-status-changed",
        Some(&l.community.slug),
        Some(status.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves the community to its next phase: a recorded decision and the new phase, in one
/// transaction. Returns the new phase, or the form errors.
pub(super) async fn move_phase(
    s: &AppState,
    c: &Ctx,
    l: &Loaded,
    form: &DecisionForm,
) -> AppResult<Result<Phase, FieldErrors>> {
    let current = Phase::parse(&l.community.phase).unwrap_or(Phase::Convened);
    let Some(next) = current.next() else {
        return Err(AppError::BadRequest("no next phase"));
    };
    let mut input = match form.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    input.source = Some((Source::Phase, l.community.id));
    input.corrects = None;
    let mut tx = s.db.begin().await?;
    tejido_db::decisions::insert(&mut tx, l.community.id, &input, c.user_id()).await?;
    store::set_phase(&mut tx, l.community.id, next).await?;
    tejido_db::audit::record(
        &mut tx,
        c.user_id(),
        "phase-changed",
        Some(&l.community.slug),
        Some(next.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(next))
}

#[derive(Template)]
#[template(path = "governance/objective.html")]
pub(super) struct ObjectivePage {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) goal: Goal,
    pub(super) o: Objective,
    pub(super) history: Vec<StatusChange>,
    pub(super) form: StatusForm,
    pub(super) errors: FieldErrors,
    pub(super) statuses: Options,
}

pub(super) async fn objective_page_with(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    id: i64,
    form: StatusForm,
    errors: FieldErrors,
) -> AppResult<ObjectivePage> {
    let o = store::objective(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let goal = store::goal(&s.db, l.community.id, o.goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let history = store::history(&s.db, id).await?;
    let statuses = status_options(&c);
    let form = if form.status.is_empty() {
        StatusForm {
            status: o.status.clone(),
            ..form
        }
    } else {
        form
    };
    Ok(ObjectivePage {
        c,
        m: l.community,
        manage: l.access.manage,
        goal,
        o,
        history,
        form,
        errors,
        statuses,
    })
}

pub(super) async fn change_status(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    store::objective(&s.db, l.community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    match form.parse() {
        Ok((status, comment)) => {
            save_status(&s, &c, &l, id, status, comment.as_deref()).await?;
            Ok(redirect(&format!("/c/{slug}/objectives/{id}")))
        }
        Err(e) => Ok(html_invalid(
            &objective_page_with(&s, c, l, id, form, e).await?,
        )),
    }
}
