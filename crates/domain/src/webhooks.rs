//! Webhooks: an organisation's integration is told when something happens in Vern — a
//! request arrives, a request's deadline nears, an agreement is signed, a product in use
//! changes, an incident is registered.
//!
//! A delivery says only *what* happened to *which* object: the event type, the object's kind
//! and id, the organisation and the time. Never names, numbers or texts: the integration
//! fetches the object with its own API client and permissions. Deliveries are signed as
//! connector messages are (`Vern-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
//! "<t>.<body>")>`, see [`crate::connector`]) with the webhook's own secret, shown once when
//! it is created. A delivery that is not answered with 2xx is tried again later, with
//! growing waits ([`retry_after`]), up to [`MAX_ATTEMPTS`] times; each delivery's outcome is
//! kept, and any delivery can be sent again (a replay, with a new delivery id).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::OrganizationId;
use crate::connector::{EndpointError, check_endpoint};

/// A delivery is tried this many times before it is given up.
pub const MAX_ATTEMPTS: i32 = 8;
pub const MAX_DESCRIPTION: usize = 200;
pub const MAX_URL: usize = 2000;
/// Header names of a delivery besides the signature.
/// How long a replaced secret keeps signing beside the new one, so that the receiver can
/// switch to the new secret without refusing a delivery.
pub const SECRET_OVERLAP_HOURS: i64 = 24;
pub const EVENT_HEADER: &str = "Vern-Event";
pub const DELIVERY_HEADER: &str = "Vern-Delivery";

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventType {
    /// A data-subject request was registered (from the resident portal or by staff).
    #[serde(rename = "request.received")]
    RequestReceived,
    /// A request's deadline is within a week and it is not answered.
    #[serde(rename = "request.deadline_approaching")]
    RequestDeadlineApproaching,
    /// A data processing agreement was signed by both parties.
    #[serde(rename = "agreement.signed")]
    AgreementSigned,
    /// A vendor changed a product the organisation uses (or, for the vendor, its own).
    #[serde(rename = "product.changed")]
    ProductChanged,
    /// A personal data breach was registered.
    #[serde(rename = "incident.registered")]
    IncidentRegistered,
}

impl EventType {
    pub const ALL: [Self; 5] = [
        Self::RequestReceived,
        Self::RequestDeadlineApproaching,
        Self::AgreementSigned,
        Self::ProductChanged,
        Self::IncidentRegistered,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RequestReceived => "request.received",
            Self::RequestDeadlineApproaching => "request.deadline_approaching",
            Self::AgreementSigned => "agreement.signed",
            Self::ProductChanged => "product.changed",
            Self::IncidentRegistered => "incident.registered",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The kind of object the event is about.
    pub const fn object_type(self) -> &'static str {
        match self {
            Self::RequestReceived | Self::RequestDeadlineApproaching => "request",
            Self::AgreementSigned => "agreement",
            Self::ProductChanged => "product",
            Self::IncidentRegistered => "incident",
        }
    }
}

/// The key that makes an event one delivery per webhook: its type and object, and for an
/// event that recurs for one object, the occasion — a product's revision, a request's
/// deadline. A second event with the same key is the same event and is not delivered again.
pub fn event_key(event_type: EventType, object_id: Uuid, occasion: Option<&str>) -> String {
    match occasion {
        None => format!("{}:{object_id}", event_type.as_str()),
        Some(occasion) => format!("{}:{object_id}:{occasion}", event_type.as_str()),
    }
}

/// A replay's own key: a new delivery of the same event, never taken for the event itself.
pub fn replay_key(delivery_id: Uuid) -> String {
    format!("replay:{delivery_id}")
}

/// Subscribe to events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewWebhook {
    /// Where deliveries are POSTed: `https://…` (plain `http://` only to a loopback address).
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://sak.example.org/vern/events", max_length = 2000)
    )]
    pub url: String,
    /// The events to deliver; at least one.
    pub event_types: Vec<EventType>,
    /// What the endpoint is, for people.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Saksbehandlingssystemet", max_length = 200)
    )]
    pub description: Option<String>,
}

/// Why a webhook cannot be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebhookRefusal {
    #[error("url: {0}")]
    Url(EndpointError),
    #[error("url: longer than 2000 characters")]
    UrlLength,
    #[error("event_types: at least one is needed")]
    NoEvents,
    #[error("description: longer than 200 characters")]
    Description,
}

impl WebhookRefusal {
    pub const fn field(self) -> &'static str {
        match self {
            Self::Url(_) | Self::UrlLength => "url",
            Self::NoEvents => "event_types",
            Self::Description => "description",
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            Self::Url(e) => e.code(),
            Self::UrlLength => "length",
            Self::NoEvents => "empty",
            Self::Description => "length",
        }
    }
}

/// A webhook as it will be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedWebhook {
    pub url: String,
    pub event_types: Vec<EventType>,
    pub description: Option<String>,
}

pub fn check_webhook(new: &NewWebhook) -> Result<CheckedWebhook, WebhookRefusal> {
    if new.url.trim().chars().count() > MAX_URL {
        return Err(WebhookRefusal::UrlLength);
    }
    let url = check_endpoint(&new.url).map_err(WebhookRefusal::Url)?;
    let mut event_types = new.event_types.clone();
    event_types.sort();
    event_types.dedup();
    if event_types.is_empty() {
        return Err(WebhookRefusal::NoEvents);
    }
    let description = new
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned);
    if description
        .as_deref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION)
    {
        return Err(WebhookRefusal::Description);
    }
    Ok(CheckedWebhook {
        url,
        event_types,
        description,
    })
}

/// A webhook as the API shows it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: Uuid,
    pub url: String,
    pub event_types: Vec<EventType>,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<Uuid>,
    /// Set once it is removed: no more deliveries.
    pub revoked_at: Option<DateTime<Utc>>,
    /// After the secret was replaced: until when the replaced one also signs deliveries.
    #[serde(default)]
    pub previous_secret_until: Option<DateTime<Utc>>,
}

/// Replacing a webhook's secret.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretRotation {
    /// The old secret stops signing at once, instead of signing beside the new one for
    /// [`SECRET_OVERLAP_HOURS`] hours: for a secret that may have leaked.
    #[serde(default)]
    pub immediately: bool,
}

/// A new webhook (or one with a new secret) and the secret its deliveries are signed with,
/// shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookCreated {
    pub webhook: Webhook,
    pub secret: String,
}

crate::pagination::page_type!(
    /// One page of webhooks, newest first.
    WebhookPage,
    Webhook
);

/// The body of every delivery: what happened to which object. Nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventPayload {
    /// This delivery's id; a replay has a new one. Refuse one you have seen.
    pub delivery_id: Uuid,
    /// The event's id: the same in a replay.
    pub event_id: Uuid,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub occurred_at: DateTime<Utc>,
    /// The organisation the webhook belongs to.
    pub organization_id: OrganizationId,
    pub object: EventObject,
}

/// The object an event is about: fetch it through the API with your own permissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventObject {
    /// `request`, `agreement`, `product` or `incident`.
    #[cfg_attr(feature = "openapi", schema(example = "request"))]
    #[serde(rename = "type")]
    pub object_type: String,
    pub id: Uuid,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its first or next attempt.
    Pending,
    /// Answered with 2xx.
    Delivered,
    /// Every attempt failed; it can be replayed.
    Failed,
}

impl DeliveryStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// One delivery as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub event_id: Uuid,
    pub event_type: EventType,
    pub object: EventObject,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// When the next attempt is due (pending deliveries).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The endpoint's HTTP status at the last attempt.
    pub last_status: Option<i32>,
    /// Why the last attempt failed: `status_500`, `timeout`, `connection_failed`, …
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The delivery this one replays.
    pub replay_of: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

crate::pagination::page_type!(
    /// One page of deliveries, newest first.
    DeliveryPage,
    Delivery
);

/// The wait after failed attempt number `attempt` (1-based) before the next, `base` times
/// four to the power of `attempt − 1`, at most a day; `None` after the last attempt. With the
/// default base of a minute: 1 min, 4 min, 16 min, about 1 h, 4 h, 17 h, 24 h.
/// The secrets a delivery is signed with at `now`: the current one, and the one it replaced
/// until its overlap ends (`Vern-Signature` then carries one `v1` for each).
pub fn signing_secrets<'a>(
    current: &'a str,
    previous: Option<&'a str>,
    previous_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<&'a str> {
    let mut secrets = vec![current];
    if let Some(old) = previous.filter(|_| old_secret_signs(previous_until, now)) {
        secrets.push(old);
    }
    secrets
}

/// Whether a replaced secret still signs at `now` (its overlap has not ended); the sender
/// opens it only then.
pub fn old_secret_signs(previous_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    previous_until.is_some_and(|until| now < until)
}

impl SecretRotation {
    /// Until when the secret being replaced keeps signing: a day, or not at all.
    pub fn old_signs_until(self, now: DateTime<Utc>) -> DateTime<Utc> {
        if self.immediately {
            now
        } else {
            now + Duration::hours(SECRET_OVERLAP_HOURS)
        }
    }
}

pub fn retry_after(attempt: i32, base: Duration) -> Option<Duration> {
    if !(1..MAX_ATTEMPTS).contains(&attempt) {
        return None;
    }
    let factor = 4_i64.saturating_pow(u32::try_from(attempt - 1).unwrap_or(0));
    let wait = base
        .num_milliseconds()
        .saturating_mul(factor)
        .min(Duration::days(1).num_milliseconds());
    Some(Duration::milliseconds(wait))
}

/// The deliveries' outcome after an attempt that answered `status` (None: no answer).
pub fn after_attempt(
    attempts: i32,
    status: Option<u16>,
    base: Duration,
    now: DateTime<Utc>,
) -> (DeliveryStatus, Option<DateTime<Utc>>) {
    if status.is_some_and(|s| (200..300).contains(&s)) {
        return (DeliveryStatus::Delivered, None);
    }
    match retry_after(attempts, base) {
        Some(wait) => (DeliveryStatus::Pending, Some(now + wait)),
        None => (DeliveryStatus::Failed, None),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_replaced_secret_signs_beside_the_new_one_until_its_overlap_ends() {
        let now = Utc::now();
        let until = now + Duration::hours(SECRET_OVERLAP_HOURS);
        assert_eq!(
            signing_secrets("new", Some("old"), Some(until), now),
            ["new", "old"]
        );
        assert_eq!(
            signing_secrets("new", Some("old"), Some(until), until),
            ["new"]
        );
        assert_eq!(signing_secrets("new", None, None, now), ["new"]);
        assert_eq!(signing_secrets("new", Some("old"), None, now), ["new"]);
    }

    #[test]
    fn a_rotation_keeps_the_old_secret_a_day_unless_asked_to_end_it_now() {
        let now = Utc::now();
        let overlap = SecretRotation { immediately: false }.old_signs_until(now);
        assert_eq!(overlap - now, Duration::hours(SECRET_OVERLAP_HOURS));
        assert!(old_secret_signs(Some(overlap), now));
        let at_once = SecretRotation { immediately: true }.old_signs_until(now);
        assert!(!old_secret_signs(Some(at_once), now));
        assert!(!old_secret_signs(None, now));
    }

    use super::*;
    use proptest::prelude::*;

    fn new(url: &str, events: Vec<EventType>) -> NewWebhook {
        NewWebhook {
            url: url.into(),
            event_types: events,
            description: Some("  Sak  ".into()),
        }
    }

    #[test]
    fn a_webhook_needs_a_safe_url_and_an_event() {
        let ok = check_webhook(&new(
            " https://sak.example.org/events ",
            vec![
                EventType::IncidentRegistered,
                EventType::RequestReceived,
                EventType::IncidentRegistered,
            ],
        ))
        .unwrap();
        assert_eq!(ok.url, "https://sak.example.org/events");
        assert_eq!(
            ok.event_types,
            vec![EventType::RequestReceived, EventType::IncidentRegistered]
        );
        assert_eq!(ok.description.as_deref(), Some("Sak"));
        assert!(
            check_webhook(&new(
                "http://127.0.0.1:9/e",
                vec![EventType::AgreementSigned]
            ))
            .is_ok()
        );
        for (url, field, code) in [
            ("http://sak.example.org/e", "url", "https_required"),
            (
                "https://user:pw@sak.example.org/e",
                "url",
                "credentials_in_url",
            ),
            ("sak.example.org", "url", "invalid_url"),
        ] {
            let refusal = check_webhook(&new(url, vec![EventType::AgreementSigned])).unwrap_err();
            assert_eq!((refusal.field(), refusal.code()), (field, code), "{url}");
        }
        assert_eq!(
            check_webhook(&new("https://a.example.org/", vec![])),
            Err(WebhookRefusal::NoEvents)
        );
        let mut long = new("https://a.example.org/", vec![EventType::AgreementSigned]);
        long.description = Some("x".repeat(201));
        assert_eq!(check_webhook(&long), Err(WebhookRefusal::Description));
    }

    #[test]
    fn an_event_is_keyed_by_type_object_and_occasion() {
        let id = Uuid::nil();
        let once = event_key(EventType::IncidentRegistered, id, None);
        assert_eq!(once, event_key(EventType::IncidentRegistered, id, None));
        assert_ne!(once, event_key(EventType::RequestReceived, id, None));
        let first = event_key(EventType::ProductChanged, id, Some("3"));
        assert_ne!(first, event_key(EventType::ProductChanged, id, Some("4")));
        assert_ne!(first, event_key(EventType::ProductChanged, id, None));
        for e in EventType::ALL {
            assert!(!event_key(e, id, None).starts_with("replay:"));
        }
        assert_ne!(replay_key(Uuid::nil()), replay_key(Uuid::max()));
    }

    #[test]
    fn event_types_have_stable_names() {
        for e in EventType::ALL {
            assert_eq!(EventType::parse(e.as_str()), Some(e));
            assert_eq!(
                serde_json::to_string(&e).unwrap(),
                format!("\"{}\"", e.as_str())
            );
        }
    }

    #[test]
    fn the_payload_carries_ids_and_types_only() {
        let payload = EventPayload {
            delivery_id: Uuid::nil(),
            event_id: Uuid::nil(),
            event_type: EventType::RequestReceived,
            occurred_at: DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            organization_id: OrganizationId::from_uuid(Uuid::nil()),
            object: EventObject {
                object_type: "request".into(),
                id: Uuid::nil(),
            },
        };
        let json = serde_json::to_value(&payload).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "delivery_id",
                "event_id",
                "object",
                "occurred_at",
                "organization_id",
                "type"
            ]
        );
        assert_eq!(json["type"], "request.received");
        assert_eq!(json["object"]["type"], "request");
    }

    #[test]
    fn waits_grow_four_fold_up_to_a_day_and_end_after_the_last_attempt() {
        let base = Duration::minutes(1);
        assert_eq!(retry_after(1, base), Some(Duration::minutes(1)));
        assert_eq!(retry_after(2, base), Some(Duration::minutes(4)));
        assert_eq!(retry_after(3, base), Some(Duration::minutes(16)));
        assert_eq!(retry_after(7, base), Some(Duration::days(1)));
        assert_eq!(retry_after(MAX_ATTEMPTS, base), None);
        let now = Utc::now();
        assert_eq!(
            after_attempt(1, Some(204), base, now),
            (DeliveryStatus::Delivered, None)
        );
        assert_eq!(
            after_attempt(2, Some(500), base, now),
            (DeliveryStatus::Pending, Some(now + Duration::minutes(4)))
        );
        assert_eq!(
            after_attempt(MAX_ATTEMPTS, None, base, now),
            (DeliveryStatus::Failed, None)
        );
    }

    proptest! {
        #[test]
        fn a_delivery_ends_delivered_or_failed_within_the_attempts(
            answers in proptest::collection::vec(proptest::option::of(100u16..600), 1..20),
            base_ms in 1i64..600_000,
        ) {
            let base = Duration::milliseconds(base_ms);
            let now = Utc::now();
            let mut attempts = 0;
            let mut status = DeliveryStatus::Pending;
            let mut last_wait = Duration::zero();
            for answer in answers {
                if status != DeliveryStatus::Pending {
                    break;
                }
                attempts += 1;
                let (next, at) = after_attempt(attempts, answer, base, now);
                status = next;
                if let Some(at) = at {
                    let wait = at - now;
                    prop_assert!(wait >= last_wait && wait <= Duration::days(1));
                    last_wait = wait;
                }
                prop_assert_eq!(at.is_some(), status == DeliveryStatus::Pending);
                prop_assert_eq!(
                    status == DeliveryStatus::Delivered,
                    answer.is_some_and(|s| (200..300).contains(&s))
                );
            }
            prop_assert!(attempts <= MAX_ATTEMPTS);
        }
    }
}
