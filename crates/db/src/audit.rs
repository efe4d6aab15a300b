//! The audit log: append sealed events to an organisation's hash chain (inside the caller's
//! transaction) and read a chain back for verification.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::audit::{ActorKind, AuditDraft, AuditRecord, GENESIS, Outcome};

use crate::DbError;
use crate::entities::audit_chain as head;
use crate::entities::audit_event::{self as ev, Column};

/// The chain an event belongs to: its organisation's, or the platform's (nil id).
fn chain_id(org: Option<OrganizationId>) -> Uuid {
    org.map(OrganizationId::into_uuid).unwrap_or(Uuid::nil())
}

/// Appends an event inside the caller's write transaction (see `connection::begin_write`).
/// The chain's head row is updated first, which makes concurrent appends to one chain take
/// turns; the unique (chain, sequence) index is the last line of defence.
pub async fn append(
    txn: &DatabaseTransaction,
    draft: AuditDraft,
    now: DateTime<Utc>,
) -> Result<AuditRecord, DbError> {
    let chain = chain_id(draft.organization_id);
    let bump = |chain: Uuid| {
        head::Entity::update_many()
            .col_expr(
                head::Column::LastSequence,
                Expr::col(head::Column::LastSequence).add(1),
            )
            .filter(head::Column::ChainId.eq(chain))
    };
    if bump(chain).exec(txn).await?.rows_affected == 0 {
        let start = head::ActiveModel {
            chain_id: Set(chain),
            last_sequence: Set(0),
            last_hash: Set(GENESIS.to_owned()),
        };
        head::Entity::insert(start)
            .on_conflict(
                OnConflict::column(head::Column::ChainId)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        bump(chain).exec(txn).await?;
    }
    let current = head::Entity::find_by_id(chain)
        .one(txn)
        .await?
        .ok_or(DbError::InvalidRow("audit_chains"))?;
    let previous = (current.last_sequence > 1)
        .then(|| (current.last_sequence - 1, current.last_hash.as_str()));
    let record = AuditRecord::seal(draft, Uuid::now_v7(), previous, now);
    let row = ev::ActiveModel {
        id: Set(record.id),
        chain_id: Set(chain),
        sequence: Set(record.sequence),
        organization_id: Set(record.organization_id.map(OrganizationId::into_uuid)),
        occurred_at: Set(record.occurred_at),
        actor_kind: Set(actor_str(record.actor_kind).to_owned()),
        actor_id: Set(record.actor_id),
        action: Set(record.action.clone()),
        target_type: Set(record.target_type.clone()),
        target_id: Set(record.target_id.clone()),
        request_id: Set(record.request_id.clone()),
        outcome: Set(outcome_str(record.outcome).to_owned()),
        prev_hash: Set(record.prev_hash.clone()),
        hash: Set(record.hash.clone()),
    };
    ev::Entity::insert(row).exec_without_returning(txn).await?;
    head::Entity::update_many()
        .col_expr(head::Column::LastHash, Expr::value(record.hash.clone()))
        .filter(head::Column::ChainId.eq(chain))
        .exec(txn)
        .await?;
    Ok(record)
}

/// A whole chain in sequence order.
pub async fn chain(
    db: &impl ConnectionTrait,
    org: Option<OrganizationId>,
) -> Result<Vec<AuditRecord>, DbError> {
    let rows = ev::Entity::find()
        .filter(Column::ChainId.eq(chain_id(org)))
        .order_by_asc(Column::Sequence)
        .all(db)
        .await?;
    rows.into_iter().map(to_domain).collect()
}

fn actor_str(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::User => "user",
        ActorKind::ApiClient => "api_client",
        ActorKind::System => "system",
        ActorKind::Resident => "resident",
    }
}

fn outcome_str(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Success => "success",
        Outcome::Denied => "denied",
        Outcome::Failed => "failed",
    }
}

fn to_domain(row: ev::Model) -> Result<AuditRecord, DbError> {
    let actor_kind = match row.actor_kind.as_str() {
        "user" => ActorKind::User,
        "api_client" => ActorKind::ApiClient,
        "system" => ActorKind::System,
        "resident" => ActorKind::Resident,
        _ => return Err(DbError::InvalidRow("audit_events.actor_kind")),
    };
    let outcome = match row.outcome.as_str() {
        "success" => Outcome::Success,
        "denied" => Outcome::Denied,
        "failed" => Outcome::Failed,
        _ => return Err(DbError::InvalidRow("audit_events.outcome")),
    };
    Ok(AuditRecord {
        id: row.id,
        organization_id: row.organization_id.map(OrganizationId::from_uuid),
        sequence: row.sequence,
        occurred_at: row.occurred_at,
        actor_kind,
        actor_id: row.actor_id,
        action: row.action,
        target_type: row.target_type,
        target_id: row.target_id,
        request_id: row.request_id,
        outcome,
        prev_hash: row.prev_hash,
        hash: row.hash,
    })
}

/// A page of an organisation's events, newest first, before sequence `before`, narrowed by
/// the filter.
pub async fn page(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    filter: &vern_domain::access::members::AuditFilter,
    limit: vern_domain::pagination::Limit,
    before: Option<i64>,
) -> Result<vern_domain::access::members::AuditEventPage, DbError> {
    use sea_orm::QuerySelect;
    let mut query = filtered(org, filter);
    if let Some(before) = before {
        query = query.filter(Column::Sequence.lt(before));
    }
    let rows = query
        .order_by_desc(Column::Sequence)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next_cursor) = vern_domain::pagination::paginate(rows, limit, |r| r.sequence);
    let items = rows
        .into_iter()
        .map(to_domain)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(vern_domain::access::members::AuditEventPage { items, next_cursor })
}

/// Every matching event, oldest first, up to `max`: for the CSV export.
pub async fn export(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    filter: &vern_domain::access::members::AuditFilter,
    max: u64,
) -> Result<Vec<AuditRecord>, DbError> {
    use sea_orm::QuerySelect;
    let rows = filtered(org, filter)
        .order_by_asc(Column::Sequence)
        .limit(max)
        .all(db)
        .await?;
    rows.into_iter().map(to_domain).collect()
}

fn filtered(
    org: OrganizationId,
    filter: &vern_domain::access::members::AuditFilter,
) -> sea_orm::Select<ev::Entity> {
    let mut query = ev::Entity::find().filter(Column::ChainId.eq(chain_id(Some(org))));
    if let Some(actor) = filter.actor {
        query = query.filter(Column::ActorId.eq(actor));
    }
    if let Some(action) = &filter.action {
        query = query.filter(Column::Action.eq(action.as_str()));
    }
    if let Some(target_type) = &filter.target_type {
        query = query.filter(Column::TargetType.eq(target_type.as_str()));
    }
    if let Some(target_id) = &filter.target_id {
        query = query.filter(Column::TargetId.eq(target_id.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(Column::OccurredAt.lt(to));
    }
    query
}

pub fn actor_kind_str(kind: ActorKind) -> &'static str {
    actor_str(kind)
}

pub fn outcome_name(outcome: Outcome) -> &'static str {
    outcome_str(outcome)
}
