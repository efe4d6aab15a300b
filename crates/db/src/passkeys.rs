//! Passkeys and WebAuthn ceremonies. The API serialises webauthn-rs's types to JSON; this
//! layer stores and finds them. A ceremony is taken (deleted) when it is finished, so it
//! works once.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;
use vern_domain::access::passkeys::{CeremonyKind, PasskeyView};

use crate::DbError;
use crate::entities::{passkey, webauthn_ceremony as ceremony};

pub use passkey::Model as PasskeyRow;

pub async fn start_ceremony(
    db: &impl ConnectionTrait,
    user_id: Option<Uuid>,
    kind: CeremonyKind,
    state: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    // Old, unfinished ceremonies go as new ones start.
    ceremony::Entity::delete_many()
        .filter(ceremony::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let id = Uuid::now_v7();
    ceremony::Entity::insert(ceremony::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        kind: Set(kind.as_str().to_owned()),
        state: Set(state),
        created_at: Set(now),
        expires_at: Set(expires_at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// Takes a live ceremony of this kind (and user, if given): it cannot be used again.
pub async fn take_ceremony(
    db: &impl ConnectionTrait,
    id: Uuid,
    kind: CeremonyKind,
    user_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbError> {
    let Some(row) = ceremony::Entity::find_by_id(id)
        .filter(ceremony::Column::Kind.eq(kind.as_str()))
        .filter(ceremony::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if row.user_id != user_id {
        return Ok(None);
    }
    let deleted = ceremony::Entity::delete_many()
        .filter(ceremony::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok((deleted.rows_affected == 1).then_some(row.state))
}

pub async fn insert(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    name: String,
    credential_id: String,
    passkey_json: String,
    now: DateTime<Utc>,
) -> Result<PasskeyRow, DbError> {
    Ok(passkey::Entity::insert(passkey::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        name: Set(name),
        credential_id: Set(credential_id),
        passkey: Set(passkey_json),
        created_at: Set(now),
        last_used_at: Set(None),
    })
    .exec_with_returning(db)
    .await?)
}

pub async fn for_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<PasskeyRow>, DbError> {
    Ok(passkey::Entity::find()
        .filter(passkey::Column::UserId.eq(user_id))
        .order_by_asc(passkey::Column::CreatedAt)
        .all(db)
        .await?)
}

pub async fn count_for_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbError> {
    Ok(passkey::Entity::find()
        .filter(passkey::Column::UserId.eq(user_id))
        .count(db)
        .await?)
}

pub async fn credential_taken(
    db: &impl ConnectionTrait,
    credential_id: &str,
) -> Result<bool, DbError> {
    Ok(passkey::Entity::find()
        .filter(passkey::Column::CredentialId.eq(credential_id))
        .count(db)
        .await?
        > 0)
}

/// After a login: the updated counter and the time of use.
pub async fn record_use(
    db: &impl ConnectionTrait,
    id: Uuid,
    passkey_json: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut update = passkey::Entity::update_many()
        .col_expr(passkey::Column::LastUsedAt, Expr::value(now))
        .filter(passkey::Column::Id.eq(id));
    if let Some(json) = passkey_json {
        update = update.col_expr(passkey::Column::Passkey, Expr::value(json));
    }
    update.exec(db).await?;
    Ok(())
}

/// Removes one of the user's passkeys; `false` when they have none with this id.
pub async fn delete(db: &impl ConnectionTrait, user_id: Uuid, id: Uuid) -> Result<bool, DbError> {
    let result = passkey::Entity::delete_many()
        .filter(passkey::Column::UserId.eq(user_id))
        .filter(passkey::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub fn view(row: &PasskeyRow) -> PasskeyView {
    PasskeyView {
        id: row.id,
        name: row.name.clone(),
        created_at: row.created_at,
        last_used_at: row.last_used_at,
    }
}
