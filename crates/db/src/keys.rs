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

/// The keys not yet retired, newest first.
pub async fn active(db: &impl ConnectionTrait) -> Result<Vec<SigningKeyRow>, DbError> {
    Ok(signing_key::Entity::find()
        .filter(signing_key::Column::RetiredAt.is_null())
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
