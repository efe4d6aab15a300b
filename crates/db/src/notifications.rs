//! In-app notifications: delivered to the holders of a role in an organisation, once per
//! person, kind and subject; read and marked read by their owner only.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Role;
use vern_domain::notifications::{
    NewNotification, Notification, NotificationKind, NotificationParams,
};
use vern_domain::pagination::{Limit, paginate};

use crate::DbError;
use crate::entities::{notification as n, role_grant, user};
use crate::reviews::IdCursor;

/// The active members who hold `role` in the organisation now.
pub async fn holders(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    role: Role,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, DbError> {
    let users: Vec<Uuid> = role_grant::Entity::find()
        .select_only()
        .column(role_grant::Column::UserId)
        .filter(role_grant::Column::OrganizationId.eq(org.into_uuid()))
        .filter(role_grant::Column::Role.eq(role.as_str()))
        .filter(role_grant::Column::State.eq("active"))
        .filter(
            sea_orm::Condition::any()
                .add(role_grant::Column::Until.is_null())
                .add(role_grant::Column::Until.gt(now)),
        )
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    if users.is_empty() {
        return Ok(users);
    }
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Id.is_in(users))
        .filter(user::Column::Status.eq(crate::identity::STATUS_ACTIVE))
        .into_tuple()
        .all(db)
        .await?)
}

/// Delivers a notification to each of `users`; one already delivered (same person, kind and
/// subject) is left as it is. Returns how many were new.
pub async fn deliver(
    db: &impl ConnectionTrait,
    note: &NewNotification,
    users: &[Uuid],
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let params = serde_json::to_string(&note.params)
        .map_err(|_| DbError::InvalidRow("notifications.params"))?;
    let mut new = 0;
    for user in users {
        let row = n::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(*user),
            organization_id: Set(note.organization_id.into_uuid()),
            kind: Set(note.kind.as_str().to_owned()),
            subject_type: Set(note.kind.subject_type().to_owned()),
            subject_id: Set(note.subject_id),
            params: Set(params.clone()),
            dedup_key: Set(note.dedup_key()),
            created_at: Set(now),
            read_at: Set(None),
        };
        let inserted = n::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([n::Column::UserId, n::Column::DedupKey])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        new += inserted;
    }
    Ok(new)
}

/// The user's notifications, newest first, and how many are unread.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    unread_only: bool,
    limit: Limit,
    cursor: Option<IdCursor>,
) -> Result<(Vec<Notification>, Option<String>, u64), DbError> {
    let mut query = n::Entity::find().filter(n::Column::UserId.eq(user_id));
    if unread_only {
        query = query.filter(n::Column::ReadAt.is_null());
    }
    if let Some(c) = cursor {
        query = query.filter(n::Column::Id.lt(c.id));
    }
    let rows = query
        .order_by_desc(n::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next) = paginate(rows, limit, |r| IdCursor { id: r.id });
    let unread = n::Entity::find()
        .filter(n::Column::UserId.eq(user_id))
        .filter(n::Column::ReadAt.is_null())
        .count(db)
        .await?;
    let names = crate::register::org_names(db, rows.iter().map(|r| r.organization_id)).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(Notification {
                id: r.id,
                organization_id: OrganizationId::from_uuid(r.organization_id),
                organization_name: names.get(&r.organization_id).cloned().unwrap_or_default(),
                kind: NotificationKind::parse(&r.kind)
                    .ok_or(DbError::InvalidRow("notifications.kind"))?,
                subject_type: r.subject_type,
                subject_id: r.subject_id,
                params: serde_json::from_str::<NotificationParams>(&r.params)
                    .map_err(|_| DbError::InvalidRow("notifications.params"))?,
                created_at: r.created_at,
                read_at: r.read_at,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok((items, next, unread))
}

/// Marks the user's notification (or, with `None`, all of them) read. Returns how many
/// changed; another user's notification is never touched.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let mut update = n::Entity::update_many()
        .col_expr(n::Column::ReadAt, Expr::value(now))
        .filter(n::Column::UserId.eq(user_id))
        .filter(n::Column::ReadAt.is_null());
    if let Some(id) = id {
        update = update.filter(n::Column::Id.eq(id));
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// Whether the user has this notification (read or not).
pub async fn owns(db: &impl ConnectionTrait, user_id: Uuid, id: Uuid) -> Result<bool, DbError> {
    Ok(n::Entity::find_by_id(id)
        .filter(n::Column::UserId.eq(user_id))
        .count(db)
        .await?
        > 0)
}
