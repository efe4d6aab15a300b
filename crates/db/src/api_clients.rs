//! API clients: an organisation's machine credentials. Only the secret's hash is stored.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::access::clients::{ApiClient, ApiClientPage, CheckedClient};
use vern_domain::pagination::{Limit, paginate};

use crate::DbError;
use crate::entities::api_client::{self as row, Column, Entity};

pub use row::Model as ApiClientRow;

pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    client: CheckedClient,
    secret_hash: String,
    created_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<ApiClientRow, DbError> {
    let scopes = serde_json::to_string(&client.scopes)
        .map_err(|_| DbError::InvalidRow("api_clients.scopes"))?;
    let model = row::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.into_uuid()),
        name: Set(client.name),
        secret_hash: Set(secret_hash),
        scopes: Set(scopes),
        expires_at: Set(client.expires_at),
        revoked_at: Set(None),
        created_by: Set(created_by),
        created_at: Set(now),
        last_used_at: Set(None),
        external_client_id: Set(client.external_client_id),
    };
    Ok(Entity::insert(model).exec_with_returning(db).await?)
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ApiClientRow>, DbError> {
    Ok(Entity::find_by_id(id).one(db).await?)
}

/// The organisation's newest live client registered with this external `client_id`.
pub async fn find_external(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    external_client_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<ApiClientRow>, DbError> {
    Ok(Entity::find()
        .filter(Column::OrganizationId.eq(org.into_uuid()))
        .filter(Column::ExternalClientId.eq(external_client_id))
        .filter(Column::RevokedAt.is_null())
        .filter(Column::ExpiresAt.gt(now))
        .order_by_desc(Column::Id)
        .one(db)
        .await?)
}

/// The stored scopes; permissions renamed since are dropped rather than widened.
pub fn scopes(row: &ApiClientRow) -> Result<Vec<Permission>, DbError> {
    let names: Vec<String> =
        serde_json::from_str(&row.scopes).map_err(|_| DbError::InvalidRow("api_clients.scopes"))?;
    Ok(names.iter().filter_map(|n| Permission::parse(n)).collect())
}

/// Whether the client may authenticate at `now`.
pub fn is_live(row: &ApiClientRow, now: DateTime<Utc>) -> bool {
    row.revoked_at.is_none() && row.expires_at > now
}

pub fn to_domain(row: ApiClientRow) -> Result<ApiClient, DbError> {
    let scopes = scopes(&row)?;
    Ok(ApiClient {
        client_id: row.id,
        name: row.name,
        scopes,
        expires_at: row.expires_at,
        created_at: row.created_at,
        created_by: row.created_by,
        revoked_at: row.revoked_at,
        last_used_at: row.last_used_at,
        external_client_id: row.external_client_id,
    })
}

/// The organisation's clients, newest first; `before` is the last id of the previous page.
pub async fn page(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    limit: Limit,
    before: Option<Uuid>,
) -> Result<ApiClientPage, DbError> {
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
        .map(to_domain)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ApiClientPage { items, next_cursor })
}

/// Revokes a live client of the organisation; `false` when there is none such.
pub async fn revoke(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let result = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now))
        .filter(Column::OrganizationId.eq(org.into_uuid()))
        .filter(Column::Id.eq(id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn touch(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
    Entity::update_many()
        .col_expr(Column::LastUsedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
