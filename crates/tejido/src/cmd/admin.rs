//! `tejido admin …`: account tasks for the person who runs the instance.

use std::io::Read;

use clap::Subcommand;
use tejido_core::accounts::{Email, MIN_PASSWORD_LEN};
use tejido_core::directory::PersonInput;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an account (its password is read from standard input, or generated and printed once).
    CreateUser {
        /// E-mail address, used to sign in.
        #[arg(long)]
        email: String,
        /// The person's name as shown in Tejido.
        #[arg(long)]
        name: String,
        /// Make the account an instance admin.
        #[arg(long)]
        admin: bool,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Rebuild the search rows of published minutes and decisions (after a restore, say).
    Reindex,
}

pub async fn run(cfg: Config, cmd: AdminCommand) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::Reindex => {
            let db = super::open_db(&cfg).await?;
            let n = tejido_db::search::reindex_minutes_and_decisions(&db).await?;
            println!("Reindexed {n} items for search.");
        }
        AdminCommand::CreateUser {
            email,
            name,
            admin,
            password_stdin,
        } => {
            let email = Email::parse(&email)
                .ok_or_else(|| anyhow::anyhow!("'{email}' is not a valid e-mail address"))?;
            let name = name.trim().to_owned();
            anyhow::ensure!(
                !name.is_empty() && name.chars().count() <= 120,
                "--name must be 1 to 120 characters"
            );
            let (password, generated) = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                let p = s.trim_end_matches(['\n', '\r']).to_owned();
                anyhow::ensure!(
                    p.chars().count() >= MIN_PASSWORD_LEN,
                    "the password must have at least {MIN_PASSWORD_LEN} characters"
                );
                (p, false)
            } else {
                (crate::demo::random_password(), true)
            };
            let db = super::open_db(&cfg).await?;
            anyhow::ensure!(
                tejido_db::accounts::user_by_email(&db, &email.0)
                    .await?
                    .is_none(),
                "an account with {} already exists",
                email.0
            );
            let hash = tejido_web::auth::hash_password_blocking(&password)?;
            let mut tx = db.begin().await?;
            let person = PersonInput {
                full_name: name.clone(),
                email: Some(email.0.clone()),
                organization_id: None,
                position_level: None,
                position_title: None,
                youth: None,
                gender: None,
            };
            let pid = tejido_db::directory::insert_person(&mut tx, &person).await?;
            let uid = tejido_db::accounts::insert_user(
                &mut tx,
                &tejido_db::accounts::NewUser {
                    email: &email.0,
                    password_hash: Some(&hash),
                    display_name: &name,
                    is_admin: admin,
                    person_id: Some(pid),
                    locale: None,
                },
            )
            .await?;
            tejido_db::audit::record(
                &mut tx,
                None,
                "user-created",
                Some(&email.0),
                admin.then_some("admin"),
            )
            .await?;
            tx.commit().await?;
            println!(
                "created account {uid} for {}{}",
                email.0,
                if admin { " (admin)" } else { "" }
            );
            if generated {
                println!("password (shown once): {password}");
            }
            db.close().await;
        }
    }
    Ok(())
}
