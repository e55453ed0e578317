//! Sending e-mail. With SMTP settings, mail goes out through lettre over STARTTLS (or TLS on
//! port 465); without them, each message's recipient and subject are logged instead, never its
//! body (bodies carry sign-in links).

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone, Default)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    /// Never printed: see the binary's `Secret` wrapper.
    pub password: Option<String>,
    pub from: String,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "(hidden)"))
            .field("from", &self.from)
            .finish()
    }
}

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: lettre::message::Mailbox,
    },
    Log,
}

impl Mailer {
    pub fn new(cfg: Option<&SmtpConfig>) -> anyhow::Result<Mailer> {
        let Some(c) = cfg else { return Ok(Mailer::Log) };
        let builder = if c.port == 465 {
            AsyncSmtpTransport::<Tokio1Executor>::relay(&c.host)?
        } else {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.host)?
        };
        let mut builder = builder.port(c.port);
        if let (Some(u), Some(p)) = (&c.username, &c.password) {
            builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(Mailer::Smtp {
            transport: Box::new(builder.build()),
            from: c.from.parse()?,
        })
    }

    pub async fn send(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        match self {
            Mailer::Log => {
                tracing::info!(
                    to,
                    subject,
                    "e-mail not sent: no SMTP configured (body withheld from the log)"
                );
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let msg = Message::builder()
                    .from(from.clone())
                    .to(to.parse()?)
                    .subject(subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(body.to_owned())?;
                transport.send(msg).await?;
                Ok(())
            }
        }
    }
}
