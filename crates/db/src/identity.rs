//! Users and their role grants.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;
use vern_domain::access::auth::Membership;
use vern_domain::access::{GrantState, Role};
use vern_domain::{EmailAddress, OrgKind, OrganizationId};

use crate::DbError;
use crate::entities::{organization, role_grant, user};

pub use crate::entities::user::Model as UserRow;

pub const STATUS_ACTIVE: &str = "active";

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: EmailAddress,
    pub display_name: String,
    /// An argon2id PHC string, never the password.
    pub password_hash: Option<String>,
    /// Base32 TOTP secret.
    pub totp_secret: Option<String>,
}

pub async fn insert_user(
    db: &impl ConnectionTrait,
    new: NewUser,
    now: DateTime<Utc>,
) -> Result<UserRow, DbError> {
    let row = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(new.email.as_str().to_owned()),
        display_name: Set(new.display_name),
        password_hash: Set(new.password_hash),
        totp_secret: Set(new.totp_secret),
        totp_last_step: Set(None),
        status: Set(STATUS_ACTIVE.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    };
    Ok(user::Entity::insert(row).exec_with_returning(db).await?)
}

pub async fn find_user_by_email(
    db: &impl ConnectionTrait,
    email: &EmailAddress,
) -> Result<Option<UserRow>, DbError> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?)
}

pub async fn find_user(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<UserRow>, DbError> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

/// Records the TOTP time step just used, so the same code cannot be replayed.
pub async fn set_totp_last_step(
    db: &impl ConnectionTrait,
    id: Uuid,
    step: i64,
) -> Result<(), DbError> {
    let row = user::ActiveModel {
        id: Set(id),
        totp_last_step: Set(Some(step)),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

pub async fn grant_role(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    user_id: Uuid,
    role: Role,
    until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    let id = Uuid::now_v7();
    let row = role_grant::ActiveModel {
        id: Set(id),
        organization_id: Set(org.into_uuid()),
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        state: Set("active".to_owned()),
        until: Set(until),
        review_due: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    role_grant::Entity::insert(row)
        .exec_without_returning(db)
        .await?;
    Ok(id)
}

/// The user's memberships with the roles in force at `now` — read on every request, so a
/// revoked or lapsed grant stops working at once.
pub async fn memberships(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Membership>, DbError> {
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user_id))
        .filter(role_grant::Column::State.eq("active"))
        .all(db)
        .await?;
    let mut out: Vec<Membership> = Vec::new();
    for grant in grants {
        let state = GrantState::Active {
            until: grant.until,
            review_due: grant.review_due,
        };
        let Some(role) = Role::parse(&grant.role) else {
            continue;
        };
        if !state.is_effective(now) {
            continue;
        }
        let org_id = OrganizationId::from_uuid(grant.organization_id);
        if let Some(existing) = out.iter_mut().find(|m| m.organization_id == org_id) {
            if !existing.roles.contains(&role) {
                existing.roles.push(role);
                existing.roles.sort();
            }
            continue;
        }
        let Some(org) = organization::Entity::find_by_id(grant.organization_id)
            .one(db)
            .await?
        else {
            continue;
        };
        let kind = OrgKind::parse(&org.kind).ok_or(DbError::InvalidRow("organizations.kind"))?;
        out.push(Membership {
            organization_id: org_id,
            organization_name: org.name,
            organization_kind: kind,
            roles: vec![role],
        });
    }
    out.sort_by(|a, b| a.organization_name.cmp(&b.organization_name));
    Ok(out)
}

pub async fn count_users(db: &impl ConnectionTrait) -> Result<u64, DbError> {
    use sea_orm::PaginatorTrait;
    Ok(user::Entity::find().count(db).await?)
}
