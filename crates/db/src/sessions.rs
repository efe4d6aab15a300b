//! Sessions and their rotating refresh tokens. Only SHA-256 hashes of refresh tokens are
//! stored. Presenting a token that was already used revokes the whole session.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::{refresh_token, session};

pub use crate::entities::session::Model as SessionRow;

pub async fn create(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    auth_method: vern_domain::access::auth::AuthMethod,
    token_hash: String,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<SessionRow, DbError> {
    let row = session::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        created_at: Set(now),
        last_used_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        auth_method: Set(auth_method.as_str().to_owned()),
        strong_auth_at: Set(Some(now)),
        strong_auth_method: Set(Some(
            vern_domain::access::auth::StrongAuth::of_login(auth_method)
                .as_str()
                .to_owned(),
        )),
    };
    let session = session::Entity::insert(row).exec_with_returning(db).await?;
    insert_token(db, session.id, token_hash, now).await?;
    Ok(session)
}

async fn insert_token(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    token_hash: String,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let row = refresh_token::ActiveModel {
        token_hash: Set(token_hash),
        session_id: Set(session_id),
        created_at: Set(now),
        used_at: Set(None),
    };
    refresh_token::Entity::insert(row)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<SessionRow>, DbError> {
    Ok(session::Entity::find_by_id(id).one(db).await?)
}

/// Records that the user proved a second factor again (a step-up before signing).
pub async fn mark_strong_auth(
    db: &impl ConnectionTrait,
    id: Uuid,
    method: vern_domain::access::auth::StrongAuth,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let row = session::ActiveModel {
        id: Set(id),
        strong_auth_at: Set(Some(now)),
        strong_auth_method: Set(Some(method.as_str().to_owned())),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

/// Whether a session may be used at `now`.
pub fn is_live(session: &SessionRow, now: DateTime<Utc>) -> bool {
    session.revoked_at.is_none() && now < session.expires_at
}

pub async fn revoke(
    db: &impl ConnectionTrait,
    id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let row = session::ActiveModel {
        id: Set(id),
        revoked_at: Set(Some(now)),
        revoked_reason: Set(Some(reason.to_owned())),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

#[derive(Debug)]
pub enum Rotation {
    /// The token was current: here is the session, the new token is stored.
    Rotated(SessionRow),
    /// The token was used before: the session is now revoked.
    Reused { session_id: Uuid, user_id: Uuid },
    /// Unknown token, or the session has ended.
    Invalid,
}

/// Exchanges a refresh token (by hash) for a new one. Run inside a transaction.
pub async fn rotate(
    db: &impl ConnectionTrait,
    old_hash: &str,
    new_hash: String,
    now: DateTime<Utc>,
) -> Result<Rotation, DbError> {
    let Some(token) = refresh_token::Entity::find_by_id(old_hash.to_owned())
        .one(db)
        .await?
    else {
        return Ok(Rotation::Invalid);
    };
    let Some(session) = find(db, token.session_id).await? else {
        return Ok(Rotation::Invalid);
    };
    if token.used_at.is_some() {
        if session.revoked_at.is_none() {
            revoke(db, session.id, "refresh_reuse", now).await?;
        }
        return Ok(Rotation::Reused {
            session_id: session.id,
            user_id: session.user_id,
        });
    }
    if !is_live(&session, now) {
        return Ok(Rotation::Invalid);
    }
    // Mark used only if still unused: two concurrent refreshes cannot both win.
    let marked = refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(refresh_token::Column::TokenHash.eq(old_hash))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if marked.rows_affected != 1 {
        revoke(db, session.id, "refresh_reuse", now).await?;
        return Ok(Rotation::Reused {
            session_id: session.id,
            user_id: session.user_id,
        });
    }
    insert_token(db, session.id, new_hash, now).await?;
    let row = session::ActiveModel {
        id: Set(session.id),
        last_used_at: Set(now),
        ..Default::default()
    };
    let session = row.update(db).await?;
    Ok(Rotation::Rotated(session))
}

/// The user's live sessions, most recently used first (a user has few: no pagination
/// beyond the 100 newest).
pub async fn live_for_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<SessionRow>, DbError> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .order_by_desc(session::Column::LastUsedAt)
        .limit(100)
        .all(db)
        .await?)
}

/// Ends every live session of the user (when an account is disabled).
pub async fn revoke_all_for_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, QueryFilter};
    let result = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(session::Column::RevokedReason, Expr::value(reason))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
