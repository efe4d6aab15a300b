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
use vern_domain::register::record::RecordLang;

use crate::DbError;
use crate::entities::{notification as n, notification_preference as p, role_grant, user};
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
            email_state: Set("pending".to_owned()),
            emailed_at: Set(None),
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

/// A user's language for e-mails and the kinds they do not want by e-mail (`nb`, none, when
/// never set).
pub async fn preferences(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<(RecordLang, Vec<NotificationKind>), DbError> {
    let Some(row) = p::Entity::find_by_id(user_id).one(db).await? else {
        return Ok((RecordLang::Nb, Vec::new()));
    };
    let language = RecordLang::parse(&row.language)
        .ok_or(DbError::InvalidRow("notification_preferences.language"))?;
    let off: Vec<String> = serde_json::from_str(&row.email_off)
        .map_err(|_| DbError::InvalidRow("notification_preferences.email_off"))?;
    Ok((
        language,
        off.iter()
            .filter_map(|k| NotificationKind::parse(k))
            .collect(),
    ))
}

pub async fn set_preferences(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    language: RecordLang,
    off: &[NotificationKind],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let off: Vec<&str> = off.iter().map(|k| k.as_str()).collect();
    let row = p::ActiveModel {
        user_id: Set(user_id),
        language: Set(language.tag().to_owned()),
        email_off: Set(serde_json::to_string(&off)
            .map_err(|_| DbError::InvalidRow("notification_preferences.email_off"))?),
        updated_at: Set(now),
    };
    p::Entity::insert(row)
        .on_conflict(
            OnConflict::column(p::Column::UserId)
                .update_columns([
                    p::Column::Language,
                    p::Column::EmailOff,
                    p::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A notification waiting for its e-mail, with its reader's address.
#[derive(Debug, Clone)]
pub struct PendingEmail {
    pub notification: Notification,
    pub user_id: Uuid,
    pub email: String,
}

/// Notifications whose e-mail is still to be decided, oldest first.
pub async fn pending_emails(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<PendingEmail>, DbError> {
    let rows = n::Entity::find()
        .filter(n::Column::EmailState.eq("pending"))
        .order_by_asc(n::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let users: std::collections::HashMap<Uuid, String> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Email)
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.user_id).collect::<Vec<_>>()))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let names = crate::register::org_names(db, rows.iter().map(|r| r.organization_id)).await?;
    rows.into_iter()
        .map(|r| {
            Ok(PendingEmail {
                user_id: r.user_id,
                email: users.get(&r.user_id).cloned().unwrap_or_default(),
                notification: Notification {
                    id: r.id,
                    organization_id: OrganizationId::from_uuid(r.organization_id),
                    organization_name: names.get(&r.organization_id).cloned().unwrap_or_default(),
                    kind: NotificationKind::parse(&r.kind)
                        .ok_or(DbError::InvalidRow("notifications.kind"))?,
                    subject_type: r.subject_type,
                    subject_id: r.subject_id,
                    params: serde_json::from_str(&r.params)
                        .map_err(|_| DbError::InvalidRow("notifications.params"))?,
                    created_at: r.created_at,
                    read_at: r.read_at,
                },
            })
        })
        .collect()
}

/// Moves a notification's e-mail from `from` to `to`; false when it was no longer `from`
/// (someone else took it).
pub async fn set_email_state(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let done = n::Entity::update_many()
        .col_expr(n::Column::EmailState, Expr::value(to))
        .col_expr(
            n::Column::EmailedAt,
            Expr::value((to == "sent").then_some(now)),
        )
        .filter(n::Column::Id.eq(id))
        .filter(n::Column::EmailState.eq(from))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The e-mail state of a user's notifications (tests and support).
pub async fn email_states(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<(String, String)>, DbError> {
    Ok(n::Entity::find()
        .select_only()
        .column(n::Column::Kind)
        .column(n::Column::EmailState)
        .filter(n::Column::UserId.eq(user_id))
        .order_by_asc(n::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}
