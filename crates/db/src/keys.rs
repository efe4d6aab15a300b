//! The platform's JWT signing keys. The API generates one on first start; every instance
//! on the same database then uses it. Keys are retired, never deleted, so tokens signed
//! with an older key can still be checked until they expire.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

use crate::DbError;
use crate::entities::signing_key;

pub use crate::entities::signing_key::Model as SigningKeyRow;

/// The keys not retired at `now`, newest first.
pub async fn active(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<SigningKeyRow>, DbError> {
    use sea_orm::Condition;
    Ok(signing_key::Entity::find()
        .filter(
            Condition::any()
                .add(signing_key::Column::RetiredAt.is_null())
                .add(signing_key::Column::RetiredAt.gt(now)),
        )
        .order_by_desc(signing_key::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Stores a key unless one with its id exists (another instance may have won the race).
pub async fn insert(
    db: &impl ConnectionTrait,
    kid: String,
    private_der: Vec<u8>,
    public: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let row = signing_key::ActiveModel {
        kid: Set(kid),
        private_key_der: Set(private_der),
        public_key: Set(public),
        created_at: Set(now),
        retired_at: Set(None),
    };
    signing_key::Entity::insert(row)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Every key, newest first (for `vern keys list`).
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<SigningKeyRow>, DbError> {
    Ok(signing_key::Entity::find()
        .order_by_desc(signing_key::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Retires every key not yet retired (or retiring later than `at`) at `at`.
pub async fn retire_all(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use sea_orm::Condition;
    use sea_orm::sea_query::Expr;
    signing_key::Entity::update_many()
        .col_expr(signing_key::Column::RetiredAt, Expr::value(at))
        .filter(
            Condition::any()
                .add(signing_key::Column::RetiredAt.is_null())
                .add(signing_key::Column::RetiredAt.gt(now)),
        )
        .exec(db)
        .await?;
    Ok(())
}
