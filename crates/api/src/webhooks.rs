//! Sending webhook deliveries: each due delivery is claimed (one attempt, held for a minute so
//! no other instance sends it), POSTed signed to the webhook's URL, and its outcome recorded —
//! delivered on 2xx, otherwise tried again after a growing wait, or given up after the last
//! attempt. New deliveries are sent at once after the change that queued them commits; the
//! scheduler's `webhooks` job sends retries and whatever a stopped server left.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;
use vern_db::Database;
use vern_domain::webhooks::{
    DELIVERY_HEADER, DeliveryStatus, EVENT_HEADER, after_attempt, old_secret_signs, signing_secrets,
};

/// Queues the events' deliveries in the transaction of the change; answers the deliveries
/// to send once it commits ([`WebhookSender::spawn`]).
pub async fn queue(
    txn: &impl vern_db::sea_orm_connection::ConnectionTrait,
    events: &[vern_db::webhooks::Event],
) -> Result<Vec<Uuid>, vern_db::DbError> {
    let mut queued = Vec::new();
    for event in events {
        queued.extend(vern_db::webhooks::enqueue(txn, event).await?);
    }
    Ok(queued)
}

/// A request was registered in its organisation.
pub async fn request_received(
    txn: &impl vern_db::sea_orm_connection::ConnectionTrait,
    organization_id: Uuid,
    request_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, vern_db::DbError> {
    queue(
        txn,
        &[vern_db::webhooks::Event::once(
            vern_domain::OrganizationId::from_uuid(organization_id),
            vern_domain::webhooks::EventType::RequestReceived,
            request_id,
            now,
        )],
    )
    .await
}

/// How long a claimed delivery is held before another instance may try it.
const LEASE_SECONDS: i64 = 60;
/// The most deliveries one run of the job sends.
const BATCH: u64 = 200;

/// What sending needs.
#[derive(Clone)]
pub struct WebhookSender {
    pub db: Database,
    pub http: reqwest::Client,
    pub secrets: Arc<crate::auth::SecretBox>,
    /// The wait after the first failed attempt; each next one is four times longer.
    pub retry_base: Duration,
    pub timeout: std::time::Duration,
}

impl std::fmt::Debug for WebhookSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSender")
            .field("retry_base", &self.retry_base)
            .finish_non_exhaustive()
    }
}

impl WebhookSender {
    /// Sends the given deliveries in the background (after the change that queued them
    /// committed).
    pub fn spawn(&self, deliveries: Vec<Uuid>) {
        if deliveries.is_empty() {
            return;
        }
        let sender = self.clone();
        tokio::spawn(async move {
            for id in deliveries {
                if let Err(e) = sender.send_by_id(id).await {
                    tracing::warn!(delivery = %id, error = %e.log_safe(), "webhook: sending failed");
                }
            }
        });
    }

    async fn send_by_id(&self, id: Uuid) -> Result<bool, vern_db::DbError> {
        let Some(row) = vern_db::webhooks::delivery(&self.db.conn, id).await? else {
            return Ok(false);
        };
        self.send(row, Utc::now()).await
    }

    /// Sends every due delivery; answers how many were delivered.
    pub async fn send_due(&self, now: DateTime<Utc>) -> Result<usize, vern_db::DbError> {
        let due = vern_db::webhooks::due(&self.db.conn, now, BATCH).await?;
        let mut delivered = 0;
        for row in due {
            if self.send(row, Utc::now()).await? {
                delivered += 1;
            }
        }
        Ok(delivered)
    }

    /// One attempt at one delivery, if it is still pending and no one else holds it.
    /// `Ok(true)` when it was delivered.
    async fn send(
        &self,
        row: vern_db::webhooks::DeliveryRow,
        now: DateTime<Utc>,
    ) -> Result<bool, vern_db::DbError> {
        let pending = DeliveryStatus::parse(&row.status) == Some(DeliveryStatus::Pending);
        if !pending || row.next_attempt_at.is_some_and(|t| t > now) {
            return Ok(false);
        }
        let claimed = {
            let txn = vern_db::connection::begin_write(&self.db).await?;
            let claimed =
                vern_db::webhooks::claim(&txn, &row, Duration::seconds(LEASE_SECONDS), now).await?;
            txn.commit().await?;
            claimed
        };
        let Some((delivery, hook)) = claimed else {
            return Ok(false);
        };
        let (http_status, error) = match self.post(&delivery, &hook).await {
            Ok(status) if (200..300).contains(&status) => (Some(status), None),
            Ok(status) => (Some(status), Some(format!("status_{status}"))),
            Err(code) => (None, Some(code.to_owned())),
        };
        let done = Utc::now();
        let (status, next) = after_attempt(delivery.attempts, http_status, self.retry_base, done);
        vern_db::webhooks::record_attempt(
            &self.db.conn,
            delivery.id,
            status,
            next,
            http_status,
            error.as_deref(),
            done,
        )
        .await?;
        Ok(status == DeliveryStatus::Delivered)
    }

    async fn post(
        &self,
        delivery: &vern_db::webhooks::DeliveryRow,
        hook: &vern_db::webhooks::WebhookRow,
    ) -> Result<u16, &'static str> {
        if hook.revoked_at.is_some() {
            return Err("webhook_removed");
        }
        let payload = vern_db::webhooks::payload(delivery).map_err(|_| "invalid_event")?;
        let body = serde_json::to_vec(&payload).map_err(|_| "invalid_event")?;
        let now = Utc::now();
        let open = |sealed: &str| self.secrets.open(sealed).map_err(|_| "secret_unreadable");
        let current = open(&hook.secret)?;
        // The replaced secret is opened only while it still signs.
        let previous = hook
            .previous_secret
            .as_deref()
            .filter(|_| old_secret_signs(hook.previous_secret_until, now))
            .map(open)
            .transpose()?;
        let secrets = signing_secrets(
            &current,
            previous.as_deref(),
            hook.previous_secret_until,
            now,
        );
        let response =
            crate::connectors::signed_post(&self.http, &hook.url, &secrets, body, self.timeout)
                .header(EVENT_HEADER, payload.event_type.as_str())
                .header(DELIVERY_HEADER, delivery.id.to_string())
                .send()
                .await
                .map_err(|e| crate::connectors::failure(&e))?;
        Ok(response.status().as_u16())
    }
}
