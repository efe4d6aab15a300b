//! E-mail through SMTP (lettre): a notification becomes one plain-text message in its
//! reader's language, with a link to its subject. Readers choose which kinds they get by
//! e-mail. Logs name notifications by id, never an address.

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use vern_db::Database;
use vern_domain::register::record::RecordLang;
use vern_i18n::{Lang, Translator};

/// The SMTP connection and the sender.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.email.to_string())
            .finish()
    }
}

impl Mailer {
    /// From `VERN_SMTP_URL` (`smtp://host:port` plain on loopback, `smtp://…?tls=required`
    /// for STARTTLS, `smtps://…` for implicit TLS; user and password in the URL) and
    /// `VERN_MAIL_FROM`. `None` when no URL is set: then no e-mail is sent.
    pub fn new(url: Option<&str>, from: &str) -> anyhow::Result<Option<Self>> {
        let Some(url) = url else {
            return Ok(None);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("VERN_SMTP_URL is not a valid SMTP URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| anyhow::anyhow!("VERN_MAIL_FROM is not an address: {e}"))?;
        Ok(Some(Self { transport, from }))
    }
}

fn lang(language: RecordLang) -> Lang {
    match language {
        RecordLang::Nb => Lang::Nb,
        RecordLang::Nn => Lang::Nn,
        RecordLang::En => Lang::En,
    }
}

/// The message for one notification.
fn message(
    mailer: &Mailer,
    to: Mailbox,
    note: &vern_domain::notifications::Notification,
    language: RecordLang,
    public_url: &str,
) -> anyhow::Result<Message> {
    let i18n = Translator::new(lang(language));
    let (key, args) = note.text_args();
    let args: Vec<(&str, vern_i18n::Arg)> = args.into_iter().map(|(k, v)| (k, v.into())).collect();
    let text = i18n.t_with(key, &args);
    let link = format!("{}{}", public_url.trim_end_matches('/'), note.path());
    let settings = format!("{}/notifications", public_url.trim_end_matches('/'));
    let body = i18n.t_with(
        "notification-email-body",
        &[
            ("text", text.clone().into()),
            ("link", link.into()),
            ("settings", settings.into()),
        ],
    );
    let subject = i18n.t_with("notification-email-subject", &[("text", text.into())]);
    Ok(Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)?)
}

/// Decides the e-mail of every pending notification: sent, skipped (the reader does not
/// want this kind by e-mail, or no mail server is set up) or failed. Returns how many were
/// sent. Each is taken (`pending` → `sending`) before it is sent, so no two runs send it.
pub async fn send_pending(
    db: &Database,
    mailer: Option<&Mailer>,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<u64, vern_db::DbError> {
    let mut sent = 0;
    loop {
        let batch = vern_db::notifications::pending_emails(&db.conn, 100).await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        for pending in batch {
            let id = pending.notification.id;
            let (language, off) =
                vern_db::notifications::preferences(&db.conn, pending.user_id).await?;
            let to = pending.email.parse::<Mailbox>().ok();
            let (Some(mailer), Some(to), false) =
                (mailer, to, off.contains(&pending.notification.kind))
            else {
                vern_db::notifications::set_email_state(&db.conn, id, "pending", "skipped", now)
                    .await?;
                continue;
            };
            if !vern_db::notifications::set_email_state(&db.conn, id, "pending", "sending", now)
                .await?
            {
                continue;
            }
            let outcome = match message(mailer, to, &pending.notification, language, public_url) {
                // A server's reply can quote the recipient's address: the log keeps only
                // whether it was permanent and the reply code.
                Ok(message) => mailer.transport.send(message).await.map_err(|e| {
                    let code = e.status().map(|c| c.to_string()).unwrap_or_default();
                    let kind = if e.is_permanent() {
                        "permanent"
                    } else if e.is_transient() {
                        "transient"
                    } else {
                        "connection"
                    };
                    anyhow::anyhow!("smtp {kind} failure {code}")
                }),
                Err(_) => Err(anyhow::anyhow!("the message could not be built")),
            };
            let state = match outcome {
                Ok(_) => {
                    sent += 1;
                    "sent"
                }
                Err(e) => {
                    tracing::warn!(notification = %id, error = %e, "could not e-mail a notification");
                    "failed"
                }
            };
            vern_db::notifications::set_email_state(&db.conn, id, "sending", state, Utc::now())
                .await?;
        }
    }
}
