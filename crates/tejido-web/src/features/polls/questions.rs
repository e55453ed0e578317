//! Polls: adding, editing, moving and deleting a poll's questions.

use super::*;

pub(super) async fn add_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    match write_question(&s, &c, &w, &p, &form).await? {
        Ok(_) => Ok(redirect(&format!("/c/{slug}/polls/{id}#questions"))),
        Err(errors) => Ok(html_invalid(
            &poll_view(&s, c, w, p, None, FieldErrors::new(), Some(form), errors).await?,
        )),
    }
}

pub(super) async fn edit_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, q)): Path<(String, i64, i64)>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    match write_edit_question(&s, &c, &w, &p, q, &form).await? {
        Ok(()) => Ok(redirect(&format!("/c/{slug}/polls/{id}#q{q}"))),
        Err(errors) => {
            let mut page = poll_view(
                &s,
                c,
                w,
                p,
                None,
                FieldErrors::new(),
                None,
                FieldErrors::new(),
            )
            .await?;
            page.edit_q = q;
            page.eform = form;
            page.eerrors = errors;
            Ok(html_invalid(&page))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct MoveForm {
    pub(super) dir: String,
}

pub(super) async fn move_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, q)): Path<(String, i64, i64)>,
    Form(f): Form<MoveForm>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let mut tx = s.db.begin().await?;
    store::move_question(&mut tx, p.id, q, f.dir != "down").await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/polls/{id}#questions")))
}

/// Asks before a question leaves a draft poll.
pub(super) async fn confirm_delete_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, q)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    let question = store::questions(&s.db, p.id)
        .await?
        .into_iter()
        .find(|x| x.id == q)
        .ok_or(AppError::NotFound)?;
    Ok(confirm(
        c.t1(
            "poll-delete-question-question",
            "name",
            &headline(&question.text, 80),
        ),
        c.t("confirm-delete-note"),
        format!("/c/{slug}/polls/{id}/questions/{q}/delete"),
        vec![],
        c.t("confirm-delete"),
        format!("/c/{slug}/polls/{id}"),
        c,
    ))
}

pub(super) async fn delete_question(
    State(s): State<AppState>,
    c: Ctx,
    Path((slug, id, q)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let w = manager(&s, &c, &slug).await?;
    let p = poll_of(&s, &w, id).await?;
    if !p.is_draft() {
        return Err(AppError::Validation(FieldErrors::single(
            "text",
            "poll-error-not-draft",
        )));
    }
    let mut tx = s.db.begin().await?;
    if !store::delete_question(&mut tx, p.id, q).await? {
        return Err(AppError::NotFound);
    }
    audit(
        &mut tx,
        &c,
        "poll-question-deleted",
        &slug,
        &format!("{id}:{q}"),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/c/{slug}/polls/{id}#questions")))
}
