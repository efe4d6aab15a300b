//! Residents' login sessions. Only the SHA-256 of the session cookie is stored, the national
//! id is sealed by the caller, and a session is found by its token only while it is live.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::DbError;
use crate::entities::resident_session as s;

pub use crate::entities::resident_session::Model as ResidentSessionRow;

#[derive(Debug)]
pub struct NewResidentSession {
    pub token_hash: String,
    pub subject_key: String,
    pub sealed_national_id: String,
    pub auth_time: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn create(
    db: &impl ConnectionTrait,
    input: NewResidentSession,
    now: DateTime<Utc>,
) -> Result<ResidentSessionRow, DbError> {
    let row = s::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(input.token_hash),
        subject_key: Set(input.subject_key),
        national_id: Set(input.sealed_national_id),
        auth_time: Set(input.auth_time),
        created_at: Set(now),
        expires_at: Set(input.expires_at),
        ended_at: Set(None),
    };
    Ok(s::Entity::insert(row).exec_with_returning(db).await?)
}

/// The live session with this token hash.
pub async fn live(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<ResidentSessionRow>, DbError> {
    Ok(s::Entity::find()
        .filter(s::Column::TokenHash.eq(token_hash))
        .filter(s::Column::EndedAt.is_null())
        .filter(s::Column::ExpiresAt.gt(now))
        .one(db)
        .await?)
}

/// Ends a session (logout).
pub async fn end(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
    s::Entity::update_many()
        .col_expr(s::Column::EndedAt, Expr::value(now))
        .filter(s::Column::Id.eq(id))
        .filter(s::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes sessions that ended or expired before `before` (they hold a sealed national id).
pub async fn delete_stale(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<u64, DbError> {
    let result = s::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(s::Column::ExpiresAt.lt(before))
                .add(s::Column::EndedAt.lt(before)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
