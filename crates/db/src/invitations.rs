//! Invitations. The link's token is stored only as its SHA-256; accepting is a
//! conditional update, so a link works once even when two tabs race.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Role;
use vern_domain::access::invitation::{
    CheckedInvitation, Invitation, InvitationPage, InvitationState,
};
use vern_domain::pagination::{Limit, paginate};

use crate::DbError;
use crate::entities::invitation::{self as row, Column, Entity};

pub use row::Model as InvitationRow;

pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    invitation: CheckedInvitation,
    token_hash: String,
    created_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<InvitationRow, DbError> {
    let roles = serde_json::to_string(&invitation.roles)
        .map_err(|_| DbError::InvalidRow("invitations.roles"))?;
    let model = row::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.into_uuid()),
        email: Set(invitation.email.as_str().to_owned()),
        display_name: Set(invitation.display_name),
        roles: Set(roles),
        token_hash: Set(token_hash),
        pending_totp_secret: Set(None),
        created_by: Set(created_by),
        created_at: Set(now),
        expires_at: Set(invitation.expires_at),
        accepted_at: Set(None),
        accepted_user_id: Set(None),
        revoked_at: Set(None),
    };
    Ok(Entity::insert(model).exec_with_returning(db).await?)
}

pub fn roles(row: &InvitationRow) -> Result<Vec<Role>, DbError> {
    serde_json::from_str(&row.roles).map_err(|_| DbError::InvalidRow("invitations.roles"))
}

pub fn state(row: &InvitationRow, now: DateTime<Utc>) -> InvitationState {
    InvitationState::at(row.accepted_at, row.revoked_at, row.expires_at, now)
}

pub fn to_domain(row: InvitationRow, now: DateTime<Utc>) -> Result<Invitation, DbError> {
    Ok(Invitation {
        id: row.id,
        organization_id: OrganizationId::from_uuid(row.organization_id),
        roles: roles(&row)?,
        state: state(&row, now),
        email: row.email,
        display_name: row.display_name,
        created_at: row.created_at,
        expires_at: row.expires_at,
        accepted_at: row.accepted_at,
    })
}

pub async fn find_by_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<InvitationRow>, DbError> {
    Ok(Entity::find()
        .filter(Column::TokenHash.eq(token_hash))
        .one(db)
        .await?)
}

/// The organisation's invitations, newest first.
pub async fn page(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    limit: Limit,
    before: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<InvitationPage, DbError> {
    let mut query = Entity::find().filter(Column::OrganizationId.eq(org.into_uuid()));
    if let Some(before) = before {
        query = query.filter(Column::Id.lt(before));
    }
    let rows = query
        .order_by_desc(Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next_cursor) = paginate(rows, limit, |r| r.id);
    let items = rows
        .into_iter()
        .map(|r| to_domain(r, now))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(InvitationPage { items, next_cursor })
}

/// Stores the TOTP secret offered to the invitee (replacing an earlier offer).
pub async fn set_pending_totp(
    db: &impl ConnectionTrait,
    id: Uuid,
    secret: &str,
) -> Result<(), DbError> {
    Entity::update_many()
        .col_expr(Column::PendingTotpSecret, Expr::value(secret))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks a pending invitation accepted; `false` if it was no longer pending (used,
/// withdrawn or expired in the meantime).
pub async fn accept(
    db: &impl ConnectionTrait,
    id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let result = Entity::update_many()
        .col_expr(Column::AcceptedAt, Expr::value(now))
        .col_expr(Column::AcceptedUserId, Expr::value(user_id))
        .col_expr(
            Column::PendingTotpSecret,
            Expr::value(Option::<String>::None),
        )
        .filter(Column::Id.eq(id))
        .filter(Column::AcceptedAt.is_null())
        .filter(Column::RevokedAt.is_null())
        .filter(Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Withdraws a pending invitation of the organisation; `false` when there is none such.
pub async fn revoke(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let result = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now))
        .col_expr(
            Column::PendingTotpSecret,
            Expr::value(Option::<String>::None),
        )
        .filter(Column::OrganizationId.eq(org.into_uuid()))
        .filter(Column::Id.eq(id))
        .filter(Column::AcceptedAt.is_null())
        .filter(Column::RevokedAt.is_null())
        .filter(Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
