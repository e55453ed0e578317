//! The governance pages: handlers, their forms and templates.

use super::*;

pub(super) fn horizon_options(c: &Ctx) -> Options {
    Horizon::ALL
        .iter()
        .map(|h| (h.as_str().to_owned(), c.label("gov-horizon", h.as_str())))
        .collect()
}

pub(super) fn method_options(c: &Ctx) -> Options {
    tejido_core::decisions::Method::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), c.label("gov-method", m.as_str())))
        .collect()
}

/// Which form on the page failed, so its errors show next to it.
#[derive(Default)]
pub(super) struct Forms {
    pub(super) goal: GoalForm,
    pub(super) goal_errors: FieldErrors,
    pub(super) objective_goal: Option<i64>,
    pub(super) objective: ObjectiveForm,
    pub(super) objective_errors: FieldErrors,
    pub(super) phase: DecisionForm,
    pub(super) phase_errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "governance/page.html")]
pub(super) struct Page {
    pub(super) c: Ctx,
    pub(super) m: Community,
    pub(super) manage: bool,
    pub(super) o: Overview,
    pub(super) fm: Forms,
    pub(super) horizons: Options,
    pub(super) methods: Options,
}

impl Page {
    pub(super) fn state_class(&self, s: &CheckState) -> &'static str {
        match s {
            CheckState::Met => "met",
            CheckState::NotMet => "unmet",
            CheckState::NotYetMeasured => "unmeasured",
        }
    }
    pub(super) fn phases(&self) -> Vec<(&'static str, bool)> {
        Phase::ALL
            .iter()
            .map(|p| (p.as_str(), *p == self.o.phase))
            .collect()
    }
    pub(super) fn horizons_in_order(&self) -> &'static [Horizon] {
        Horizon::ALL
    }
    /// Whether the objective form that failed belongs to this goal.
    pub(super) fn objective_form_for(&self, goal_id: &i64) -> bool {
        self.fm.objective_goal == Some(*goal_id)
    }
    pub(super) fn goals_in(&self, h: &Horizon) -> Vec<&GoalView> {
        self.o
            .goals
            .iter()
            .filter(|g| g.goal.horizon == h.as_str())
            .collect()
    }
}

pub(super) async fn render(
    s: &AppState,
    c: Ctx,
    l: Loaded,
    mut fm: Forms,
    invalid: bool,
) -> AppResult<Response> {
    let o = overview(s, &l.community).await?;
    if fm.phase.decided_on.is_empty() {
        fm.phase.decided_on = tejido_db::now().date_naive().format("%Y-%m-%d").to_string();
    }
    let page = Page {
        horizons: horizon_options(&c),
        methods: method_options(&c),
        c,
        m: l.community,
        manage: l.access.manage,
        o,
        fm,
    };
    Ok(if invalid {
        html_invalid(&page)
    } else {
        html(&page)
    })
}

pub(super) async fn page(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    render(&s, c, l, Forms::default(), false).await
}

// ---- pages ------------------------------------------------------------------------------------------

pub(super) async fn create_goal(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<GoalForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    match form.parse() {
        Ok(input) => {
            save_goal(&s, &c, &l, &input).await?;
            Ok(redirect(&format!("/c/{slug}/governance#goals")))
        }
        Err(e) => {
            render(
                &s,
                c,
                l,
                Forms {
                    goal: form,
                    goal_errors: e,
                    ..Default::default()
                },
                true,
            )
            .await
        }
    }
}

pub(super) async fn create_objective(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, goal_id)): Path<(String, i64)>,
    Form(form): Form<ObjectiveForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    store::goal(&s.db, l.community.id, goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match form.parse() {
        Ok(input) => {
            save_objective(&s, &c, &l, goal_id, &input).await?;
            Ok(redirect(&format!("/c/{slug}/governance#goal-{goal_id}")))
        }
        Err(e) => {
            let f = Forms {
                objective_goal: Some(goal_id),
                objective: form,
                objective_errors: e,
                ..Default::default()
            };
            render(&s, c, l, f, true).await
        }
    }
}

pub(super) async fn advance_phase(
    State(s): State<AppState>,
    c: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let l = load_manage(&s, &c, &slug).await?;
    match move_phase(&s, &c, &l, &form).await? {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/governance"))),
        Err(e) => {
            render(
                &s,
                c,
                l,
                Forms {
                    phase: form,
                    phase_errors: e,
                    ..Default::default()
                },
                true,
            )
            .await
        }
    }
}

pub(super) async fn objective_page(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = load(&s, &c, &slug).await?;
    Ok(html(
        &objective_page_with(&s, c, l, id, StatusForm::default(), FieldErrors::new()).await?,
    ))
}
