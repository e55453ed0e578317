//! Invitations and the person record an account starts with: written in the caller's
//! transaction, so that accepting a community invitation, creating a community and an import
//! compose them with their own writes.

use tejido_core::accounts::Locale;
use tejido_core::communities::Role;
use tejido_db::accounts::{self as store, NewToken, TokenPurpose};

use crate::ctx::random_token;
use crate::error::AppResult;
use crate::AppState;

/// Days an invitation link stays valid.
pub const INVITATION_DAYS: i64 = 7;

/// A directory entry for a new account's person, in the caller's transaction.
pub async fn new_person(tx: &mut tejido_db::Tx, name: &str, email: &str) -> AppResult<i64> {
    let input = tejido_core::directory::PersonInput {
        full_name: name.to_owned(),
        email: Some(email.to_owned()),
        organization_id: None,
        position_level: None,
        position_title: None,
        youth: None,
        gender: None,
    };
    Ok(tejido_db::directory::insert_person(tx, &input).await?)
}

/// Creates an invitation and its e-mail in one transaction; returns the link to share.
pub async fn invite(
    s: &AppState,
    tx: &mut tejido_db::Tx,
    by: &tejido_db::accounts::User,
    email: &str,
    community: Option<(i64, &str)>,
    role: Option<Role>,
    locale: Locale,
) -> AppResult<String> {
    let raw = random_token();
    store::insert_token(
        tx,
        &NewToken {
            raw: &raw,
            purpose: TokenPurpose::Invitation,
            email,
            user_id: None,
            community_id: community.map(|c| c.0),
            role: role.map(|r| r.as_str()),
            created_by: Some(by.id),
            expires_at: tejido_db::now() + chrono::Duration::days(INVITATION_DAYS),
        },
    )
    .await?;
    let link = format!("{}/invitations/{raw}", s.config.base_url);
    let tr = crate::i18n::Tr {
        i18n: &s.i18n,
        locale,
    };
    let place = community
        .map(|c| c.1.to_owned())
        .unwrap_or_else(|| "Tejido".to_owned());
    tejido_db::outbox::enqueue(
        tx,
        email,
        &tr.t1("mail-invite-subject", "place", &place),
        &s.i18n.get(
            locale,
            "mail-invite-body",
            &[
                ("inviter", &by.display_name),
                ("place", &place),
                ("link", &link),
                ("days", &INVITATION_DAYS.to_string()),
            ],
        ),
    )
    .await?;
    tejido_db::audit::record(
        tx,
        Some(by.id),
        "invitation-created",
        Some(email),
        role.map(|r| r.as_str()),
    )
    .await?;
    Ok(link)
}
