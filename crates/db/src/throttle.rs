//! Stored failed-login counters. Keys are hashed by the caller.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use vern_domain::access::throttle::ThrottleState;

use crate::DbError;
use crate::entities::login_throttle as lt;

pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<ThrottleState>, DbError> {
    Ok(lt::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|row| ThrottleState {
            failures: u32::try_from(row.failures).unwrap_or(0),
            window_start: row.window_start,
            locked_until: row.locked_until,
        }))
}

pub async fn put(
    db: &impl ConnectionTrait,
    key: &str,
    state: ThrottleState,
) -> Result<(), DbError> {
    let row = lt::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(i32::try_from(state.failures).unwrap_or(i32::MAX)),
        window_start: Set(state.window_start),
        locked_until: Set(state.locked_until),
    };
    lt::Entity::insert(row)
        .on_conflict(
            OnConflict::column(lt::Column::Key)
                .update_columns([
                    lt::Column::Failures,
                    lt::Column::WindowStart,
                    lt::Column::LockedUntil,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbError> {
    lt::Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}

/// Removes counters whose window and lock have both passed (housekeeping).
pub async fn prune(db: &impl ConnectionTrait, older_than: DateTime<Utc>) -> Result<u64, DbError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let result = lt::Entity::delete_many()
        .filter(lt::Column::WindowStart.lt(older_than))
        .filter(
            lt::Column::LockedUntil
                .is_null()
                .or(lt::Column::LockedUntil.lt(older_than)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
