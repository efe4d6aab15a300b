//! Webhooks and their delivery log. Events are queued ([`enqueue`]) in the transaction of the
//! change they tell of; the server claims due deliveries ([`claim`]), sends them and records
//! the outcome ([`record_attempt`]).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::pagination::{Limit, paginate};
use vern_domain::webhooks::{
    CheckedWebhook, Delivery, DeliveryPage, DeliveryStatus, EventObject, EventPayload, EventType,
    Webhook, WebhookPage, event_key, replay_key,
};

use crate::DbError;
use crate::entities::webhook as w;
use crate::entities::webhook_delivery as d;

pub use d::Model as DeliveryRow;
pub use w::Model as WebhookRow;

pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    hook: CheckedWebhook,
    sealed_secret: String,
    created_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<WebhookRow, DbError> {
    let names: Vec<&str> = hook.event_types.iter().map(|e| e.as_str()).collect();
    let row = w::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.into_uuid()),
        url: Set(hook.url),
        event_types: Set(serde_json::to_string(&names)
            .map_err(|_| DbError::InvalidRow("webhooks.event_types"))?),
        description: Set(hook.description),
        secret: Set(sealed_secret),
        previous_secret: Set(None),
        previous_secret_until: Set(None),
        created_by: Set(created_by),
        created_at: Set(now),
        revoked_at: Set(None),
    };
    Ok(w::Entity::insert(row).exec_with_returning(db).await?)
}

pub fn event_types(row: &WebhookRow) -> Result<Vec<EventType>, DbError> {
    let names: Vec<String> = serde_json::from_str(&row.event_types)
        .map_err(|_| DbError::InvalidRow("webhooks.event_types"))?;
    Ok(names.iter().filter_map(|n| EventType::parse(n)).collect())
}

pub fn to_domain(row: WebhookRow) -> Result<Webhook, DbError> {
    Ok(Webhook {
        event_types: event_types(&row)?,
        id: row.id,
        url: row.url,
        description: row.description,
        created_at: row.created_at,
        created_by: row.created_by,
        revoked_at: row.revoked_at,
        previous_secret_until: row.previous_secret_until,
    })
}

/// The organisation's webhook, live or removed.
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
) -> Result<Option<WebhookRow>, DbError> {
    Ok(w::Entity::find_by_id(id)
        .filter(w::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?)
}

pub async fn page(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    limit: Limit,
    before: Option<Uuid>,
) -> Result<WebhookPage, DbError> {
    let mut query = w::Entity::find().filter(w::Column::OrganizationId.eq(org.into_uuid()));
    if let Some(before) = before {
        query = query.filter(w::Column::Id.lt(before));
    }
    let rows = query
        .order_by_desc(w::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next_cursor) = paginate(rows, limit, |r| r.id);
    let items = rows
        .into_iter()
        .map(to_domain)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(WebhookPage { items, next_cursor })
}

/// Replaces a live webhook's secret; the old one signs beside it until `old_until`. `None`
/// when there is no live webhook with this id in the organisation.
pub async fn rotate_secret(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
    sealed_secret: String,
    old_until: DateTime<Utc>,
) -> Result<Option<WebhookRow>, DbError> {
    let Some(current) = find(db, org, id).await?.filter(|w| w.revoked_at.is_none()) else {
        return Ok(None);
    };
    let result = w::Entity::update_many()
        .col_expr(
            w::Column::PreviousSecret,
            Expr::value(current.secret.clone()),
        )
        .col_expr(w::Column::PreviousSecretUntil, Expr::value(old_until))
        .col_expr(w::Column::Secret, Expr::value(sealed_secret))
        .filter(w::Column::Id.eq(id))
        .filter(w::Column::Secret.eq(current.secret))
        .filter(w::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        // Removed, or rotated by someone else, in between.
        return Ok(None);
    }
    find(db, org, id).await
}

/// Removes a live webhook: no more deliveries, pending ones are given up. `false` when there
/// is no live webhook with this id in the organisation.
pub async fn revoke(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let result = w::Entity::update_many()
        .col_expr(w::Column::RevokedAt, Expr::value(now))
        .filter(w::Column::OrganizationId.eq(org.into_uuid()))
        .filter(w::Column::Id.eq(id))
        .filter(w::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if result.rows_affected == 1 {
        d::Entity::update_many()
            .col_expr(
                d::Column::Status,
                Expr::value(DeliveryStatus::Failed.as_str()),
            )
            .col_expr(d::Column::NextAttemptAt, Expr::value(None::<DateTime<Utc>>))
            .col_expr(d::Column::LastError, Expr::value("webhook_removed"))
            .filter(d::Column::WebhookId.eq(id))
            .filter(d::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .exec(db)
            .await?;
    }
    Ok(result.rows_affected == 1)
}

/// An event to tell of: its type, the object, and a key that makes it once per webhook (the
/// object's id for most; the request and due day for a deadline reminder).
#[derive(Debug, Clone)]
pub struct Event {
    pub organization_id: OrganizationId,
    pub event_type: EventType,
    pub object_id: Uuid,
    pub key: String,
    pub occurred_at: DateTime<Utc>,
}

impl Event {
    /// An event that happens once to its object.
    pub fn once(
        organization_id: OrganizationId,
        event_type: EventType,
        object_id: Uuid,
        occurred_at: DateTime<Utc>,
    ) -> Self {
        Self {
            organization_id,
            event_type,
            object_id,
            key: event_key(event_type, object_id, None),
            occurred_at,
        }
    }

    /// An event that recurs for its object, once per occasion (a product's revision, a
    /// request's deadline).
    pub fn on(
        organization_id: OrganizationId,
        event_type: EventType,
        object_id: Uuid,
        occasion: &str,
        occurred_at: DateTime<Utc>,
    ) -> Self {
        Self {
            organization_id,
            event_type,
            object_id,
            key: event_key(event_type, object_id, Some(occasion)),
            occurred_at,
        }
    }
}

/// Queues a delivery of the event to each live webhook of its organisation that wants it;
/// an event already queued for a webhook is not queued again. Answers the new deliveries' ids.
pub async fn enqueue(db: &impl ConnectionTrait, event: &Event) -> Result<Vec<Uuid>, DbError> {
    let hooks = w::Entity::find()
        .filter(w::Column::OrganizationId.eq(event.organization_id.into_uuid()))
        .filter(w::Column::RevokedAt.is_null())
        .all(db)
        .await?;
    let event_id = Uuid::now_v7();
    let mut queued = Vec::new();
    for hook in hooks {
        if !event_types(&hook)?.contains(&event.event_type) {
            continue;
        }
        let id = Uuid::now_v7();
        let row = delivery_row(
            id,
            &hook,
            event_id,
            event.key.clone(),
            event,
            None,
            event.occurred_at,
        );
        let inserted = d::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([d::Column::WebhookId, d::Column::EventKey])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        if inserted == 1 {
            queued.push(id);
        }
    }
    Ok(queued)
}

fn delivery_row(
    id: Uuid,
    hook: &WebhookRow,
    event_id: Uuid,
    key: String,
    event: &Event,
    replay_of: Option<Uuid>,
    now: DateTime<Utc>,
) -> d::ActiveModel {
    d::ActiveModel {
        id: Set(id),
        webhook_id: Set(hook.id),
        organization_id: Set(hook.organization_id),
        event_id: Set(event_id),
        event_key: Set(key),
        event_type: Set(event.event_type.as_str().to_owned()),
        object_type: Set(event.event_type.object_type().to_owned()),
        object_id: Set(event.object_id),
        occurred_at: Set(event.occurred_at),
        status: Set(DeliveryStatus::Pending.as_str().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(Some(now)),
        last_attempt_at: Set(None),
        last_status: Set(None),
        last_error: Set(None),
        delivered_at: Set(None),
        replay_of: Set(replay_of),
        created_at: Set(now),
    }
}

/// Queues the delivery again as a new delivery (new id, same event), to the webhook if it is
/// still live. `None` when there is no such delivery or its webhook is removed.
pub async fn replay(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    delivery: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<DeliveryRow>, DbError> {
    let Some(original) = d::Entity::find_by_id(delivery)
        .filter(d::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(hook) = find(db, org, original.webhook_id)
        .await?
        .filter(|h| h.revoked_at.is_none())
    else {
        return Ok(None);
    };
    let event_type = EventType::parse(&original.event_type)
        .ok_or(DbError::InvalidRow("webhook_deliveries.event_type"))?;
    let id = Uuid::now_v7();
    let event = Event {
        organization_id: org,
        event_type,
        object_id: original.object_id,
        key: replay_key(id),
        occurred_at: original.occurred_at,
    };
    let row = delivery_row(
        id,
        &hook,
        original.event_id,
        event.key.clone(),
        &event,
        Some(original.id),
        now,
    );
    Ok(Some(d::Entity::insert(row).exec_with_returning(db).await?))
}

/// Pending deliveries due at `now`, oldest first.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<DeliveryRow>, DbError> {
    Ok(d::Entity::find()
        .filter(d::Column::Status.eq(DeliveryStatus::Pending.as_str()))
        .filter(d::Column::NextAttemptAt.lte(now))
        .order_by_asc(d::Column::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// Claims a due delivery for one attempt: counts the attempt and holds the delivery for
/// `lease` so that no other instance sends it meanwhile. `None` when another took it.
pub async fn claim(
    db: &impl ConnectionTrait,
    delivery: &DeliveryRow,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Option<(DeliveryRow, WebhookRow)>, DbError> {
    let result = d::Entity::update_many()
        .col_expr(d::Column::Attempts, Expr::value(delivery.attempts + 1))
        .col_expr(d::Column::NextAttemptAt, Expr::value(Some(now + lease)))
        .col_expr(d::Column::LastAttemptAt, Expr::value(Some(now)))
        .filter(d::Column::Id.eq(delivery.id))
        .filter(d::Column::Attempts.eq(delivery.attempts))
        .filter(d::Column::Status.eq(DeliveryStatus::Pending.as_str()))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    let Some(hook) = w::Entity::find_by_id(delivery.webhook_id).one(db).await? else {
        return Ok(None);
    };
    let mut claimed = delivery.clone();
    claimed.attempts += 1;
    Ok(Some((claimed, hook)))
}

/// Records an attempt's outcome.
#[allow(clippy::too_many_arguments)]
pub async fn record_attempt(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: DeliveryStatus,
    next_attempt_at: Option<DateTime<Utc>>,
    http_status: Option<u16>,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    d::Entity::update_many()
        .col_expr(d::Column::Status, Expr::value(status.as_str()))
        .col_expr(d::Column::NextAttemptAt, Expr::value(next_attempt_at))
        .col_expr(
            d::Column::LastStatus,
            Expr::value(http_status.map(i32::from)),
        )
        .col_expr(d::Column::LastError, Expr::value(error.map(str::to_owned)))
        .col_expr(
            d::Column::DeliveredAt,
            Expr::value((status == DeliveryStatus::Delivered).then_some(now)),
        )
        .filter(d::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The body of a delivery.
pub fn payload(row: &DeliveryRow) -> Result<EventPayload, DbError> {
    Ok(EventPayload {
        delivery_id: row.id,
        event_id: row.event_id,
        event_type: EventType::parse(&row.event_type)
            .ok_or(DbError::InvalidRow("webhook_deliveries.event_type"))?,
        occurred_at: row.occurred_at,
        organization_id: OrganizationId::from_uuid(row.organization_id),
        object: EventObject {
            object_type: row.object_type.clone(),
            id: row.object_id,
        },
    })
}

pub fn delivery_to_domain(row: DeliveryRow) -> Result<Delivery, DbError> {
    let payload = payload(&row)?;
    Ok(Delivery {
        id: row.id,
        webhook_id: row.webhook_id,
        event_id: row.event_id,
        event_type: payload.event_type,
        object: payload.object,
        status: DeliveryStatus::parse(&row.status)
            .ok_or(DbError::InvalidRow("webhook_deliveries.status"))?,
        attempts: row.attempts,
        next_attempt_at: row.next_attempt_at,
        last_attempt_at: row.last_attempt_at,
        last_status: row.last_status,
        last_error: row.last_error,
        delivered_at: row.delivered_at,
        replay_of: row.replay_of,
        created_at: row.created_at,
    })
}

/// A delivery by id, whichever organisation's.
pub async fn delivery(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<DeliveryRow>, DbError> {
    Ok(d::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_delivery(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
) -> Result<Option<DeliveryRow>, DbError> {
    Ok(d::Entity::find_by_id(id)
        .filter(d::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?)
}

/// A webhook's deliveries, newest first, optionally only those in one status.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    webhook: Uuid,
    status: Option<DeliveryStatus>,
    limit: Limit,
    before: Option<Uuid>,
) -> Result<DeliveryPage, DbError> {
    let mut query = d::Entity::find()
        .filter(d::Column::OrganizationId.eq(org.into_uuid()))
        .filter(d::Column::WebhookId.eq(webhook));
    if let Some(status) = status {
        query = query.filter(d::Column::Status.eq(status.as_str()));
    }
    if let Some(before) = before {
        query = query.filter(d::Column::Id.lt(before));
    }
    let rows = query
        .order_by_desc(d::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next_cursor) = paginate(rows, limit, |r| r.id);
    let items = rows
        .into_iter()
        .map(delivery_to_domain)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DeliveryPage { items, next_cursor })
}
