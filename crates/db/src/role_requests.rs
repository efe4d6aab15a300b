//! Role requests. A decision is a conditional update from `pending`, so two administrators
//! deciding at once cannot both win.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::role_request::{RoleRequest, RoleRequestPage};
use vern_domain::access::{RequestState, Role};
use vern_domain::pagination::{Limit, paginate};

use crate::DbError;
use crate::entities::role_request::{self as row, Column, Entity};
use crate::entities::{organization, user};

pub use row::Model as RoleRequestRow;

pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    user_id: Uuid,
    role: Role,
    justification: String,
    now: DateTime<Utc>,
) -> Result<RoleRequestRow, DbError> {
    let model = row::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.into_uuid()),
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        justification: Set(justification),
        state: Set(RequestState::Pending.as_str().to_owned()),
        created_at: Set(now),
        decided_at: Set(None),
        decided_by: Set(None),
        decision_note: Set(None),
    };
    Ok(Entity::insert(model).exec_with_returning(db).await?)
}

pub async fn has_pending(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    user_id: Uuid,
    role: Role,
) -> Result<bool, DbError> {
    Ok(Entity::find()
        .filter(Column::OrganizationId.eq(org.into_uuid()))
        .filter(Column::UserId.eq(user_id))
        .filter(Column::Role.eq(role.as_str()))
        .filter(Column::State.eq(RequestState::Pending.as_str()))
        .count(db)
        .await?
        > 0)
}

pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
) -> Result<Option<RoleRequestRow>, DbError> {
    Ok(Entity::find_by_id(id)
        .filter(Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?)
}

/// Moves a pending request to `to`; `false` when it was no longer pending.
pub async fn decide(
    db: &impl ConnectionTrait,
    id: Uuid,
    to: RequestState,
    decided_by: Option<Uuid>,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let result = Entity::update_many()
        .col_expr(Column::State, Expr::value(to.as_str()))
        .col_expr(Column::DecidedAt, Expr::value(now))
        .col_expr(Column::DecidedBy, Expr::value(decided_by))
        .col_expr(Column::DecisionNote, Expr::value(note))
        .filter(Column::Id.eq(id))
        .filter(Column::State.eq(RequestState::Pending.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Rows to the API's view, with the requesters' and organisations' names.
async fn to_domain(
    db: &impl ConnectionTrait,
    rows: Vec<RoleRequestRow>,
) -> Result<Vec<RoleRequest>, DbError> {
    let user_ids: Vec<Uuid> = rows.iter().map(|r| r.user_id).collect();
    let org_ids: Vec<Uuid> = rows.iter().map(|r| r.organization_id).collect();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(db)
        .await?;
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|r| {
            let requester = users
                .iter()
                .find(|u| u.id == r.user_id)
                .ok_or(DbError::InvalidRow("role_requests.user_id"))?;
            let org = orgs
                .iter()
                .find(|o| o.id == r.organization_id)
                .ok_or(DbError::InvalidRow("role_requests.organization_id"))?;
            Ok(RoleRequest {
                id: r.id,
                organization_id: OrganizationId::from_uuid(r.organization_id),
                organization_name: org.name.clone(),
                user_id: r.user_id,
                user_display_name: requester.display_name.clone(),
                user_email: requester.email.clone(),
                role: Role::parse(&r.role).ok_or(DbError::InvalidRow("role_requests.role"))?,
                justification: r.justification,
                state: RequestState::parse(&r.state)
                    .ok_or(DbError::InvalidRow("role_requests.state"))?,
                created_at: r.created_at,
                decided_at: r.decided_at,
                decision_note: r.decision_note,
            })
        })
        .collect()
}

pub async fn view(db: &impl ConnectionTrait, row: RoleRequestRow) -> Result<RoleRequest, DbError> {
    to_domain(db, vec![row])
        .await?
        .pop()
        .ok_or(DbError::InvalidRow("role_requests"))
}

/// Newest first, filtered by organisation or by requester, and optionally by state.
pub async fn page(
    db: &impl ConnectionTrait,
    org: Option<OrganizationId>,
    requester: Option<Uuid>,
    state: Option<RequestState>,
    limit: Limit,
    before: Option<Uuid>,
) -> Result<RoleRequestPage, DbError> {
    let mut query = Entity::find();
    if let Some(org) = org {
        query = query.filter(Column::OrganizationId.eq(org.into_uuid()));
    }
    if let Some(user_id) = requester {
        query = query.filter(Column::UserId.eq(user_id));
    }
    if let Some(state) = state {
        query = query.filter(Column::State.eq(state.as_str()));
    }
    if let Some(before) = before {
        query = query.filter(Column::Id.lt(before));
    }
    let rows = query
        .order_by_desc(Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next_cursor) = paginate(rows, limit, |r| r.id);
    Ok(RoleRequestPage {
        items: to_domain(db, rows).await?,
        next_cursor,
    })
}
