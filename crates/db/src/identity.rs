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
        pending_totp_secret: Set(None),
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

/// Offers a new authenticator-app secret; it replaces the current one once confirmed.
pub async fn set_pending_totp(
    db: &impl ConnectionTrait,
    id: Uuid,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let row = user::ActiveModel {
        id: Set(id),
        pending_totp_secret: Set(Some(secret.to_owned())),
        updated_at: Set(now),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

/// The offered secret becomes the user's, with the step of the code that confirmed it.
pub async fn confirm_totp(
    db: &impl ConnectionTrait,
    id: Uuid,
    secret: &str,
    step: i64,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let row = user::ActiveModel {
        id: Set(id),
        totp_secret: Set(Some(secret.to_owned())),
        totp_last_step: Set(Some(step)),
        pending_totp_secret: Set(None),
        updated_at: Set(now),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

/// Removes the authenticator app (and any offered replacement).
pub async fn remove_totp(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let row = user::ActiveModel {
        id: Set(id),
        totp_secret: Set(None),
        totp_last_step: Set(None),
        pending_totp_secret: Set(None),
        updated_at: Set(now),
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
            passkey_required: org.require_passkey,
        });
    }
    out.sort_by(|a, b| a.organization_name.cmp(&b.organization_name));
    Ok(out)
}

pub async fn count_users(db: &impl ConnectionTrait) -> Result<u64, DbError> {
    use sea_orm::PaginatorTrait;
    Ok(user::Entity::find().count(db).await?)
}

/// Grant states that make a member: in force, or suspended while the membership is
/// disabled. Revoked, expired and lapsed grants do not.
const MEMBER_STATES: [&str; 2] = ["active", "suspended"];

/// Whether the user holds a current or suspended grant in the organisation.
pub async fn is_member(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    user_id: Uuid,
) -> Result<bool, DbError> {
    use sea_orm::PaginatorTrait;
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::OrganizationId.eq(org.into_uuid()))
        .filter(role_grant::Column::UserId.eq(user_id))
        .filter(role_grant::Column::State.is_in(MEMBER_STATES))
        .count(db)
        .await?
        > 0)
}

/// Moves the member's grants in the organisation between states (disable, enable,
/// remove); returns how many moved.
pub async fn change_membership(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    user_id: Uuid,
    change: vern_domain::access::MembershipChange,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    use sea_orm::sea_query::Expr;
    let (from, to) = change.states();
    let result = role_grant::Entity::update_many()
        .col_expr(role_grant::Column::State, Expr::value(to))
        .col_expr(role_grant::Column::UpdatedAt, Expr::value(now))
        .filter(role_grant::Column::OrganizationId.eq(org.into_uuid()))
        .filter(role_grant::Column::UserId.eq(user_id))
        .filter(role_grant::Column::State.is_in(from.iter().copied()))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Members by e-mail, after `after` (the last e-mail of the previous page).
pub async fn members(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    limit: vern_domain::pagination::Limit,
    after: Option<String>,
    now: DateTime<Utc>,
) -> Result<vern_domain::access::members::MemberPage, DbError> {
    use sea_orm::sea_query::Query;
    use sea_orm::{QueryOrder, QuerySelect};
    use vern_domain::access::members::{Member, MemberPage, RoleGrantView};
    let member_ids = Query::select()
        .column(role_grant::Column::UserId)
        .from(role_grant::Entity)
        .and_where(role_grant::Column::OrganizationId.eq(org.into_uuid()))
        .and_where(role_grant::Column::State.is_in(MEMBER_STATES))
        .to_owned();
    let mut query = user::Entity::find().filter(user::Column::Id.in_subquery(member_ids));
    if let Some(after) = after {
        query = query.filter(user::Column::Email.gt(after));
    }
    let rows = query
        .order_by_asc(user::Column::Email)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next_cursor) = vern_domain::pagination::paginate(rows, limit, |u| u.email.clone());
    let ids: Vec<Uuid> = rows.iter().map(|u| u.id).collect();
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::OrganizationId.eq(org.into_uuid()))
        .filter(role_grant::Column::UserId.is_in(ids))
        .filter(role_grant::Column::State.is_in(MEMBER_STATES))
        .all(db)
        .await?;
    let items = rows
        .into_iter()
        .map(|u| Member {
            // Disabled here when every grant is suspended (or the account itself is).
            status: if u.status != STATUS_ACTIVE
                || !grants
                    .iter()
                    .any(|g| g.user_id == u.id && g.state == "active")
            {
                "disabled".to_owned()
            } else {
                STATUS_ACTIVE.to_owned()
            },
            grants: grants
                .iter()
                .filter(|g| g.user_id == u.id)
                .filter(|g| {
                    GrantState::Active {
                        until: g.until,
                        review_due: g.review_due,
                    }
                    .is_effective(now)
                })
                .filter_map(|g| {
                    Role::parse(&g.role).map(|role| RoleGrantView {
                        id: g.id,
                        role,
                        until: g.until,
                        review_due: g.review_due,
                    })
                })
                .collect(),
            user_id: u.id,
            email: u.email,
            display_name: u.display_name,
        })
        .collect();
    Ok(MemberPage { items, next_cursor })
}

/// Ends the user's active grants of `role` in the organisation; returns how many ended.
pub async fn revoke_role(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    user_id: Uuid,
    role: Role,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    use sea_orm::sea_query::Expr;
    let result = role_grant::Entity::update_many()
        .col_expr(role_grant::Column::State, Expr::value("revoked"))
        .col_expr(role_grant::Column::UpdatedAt, Expr::value(now))
        .filter(role_grant::Column::OrganizationId.eq(org.into_uuid()))
        .filter(role_grant::Column::UserId.eq(user_id))
        .filter(role_grant::Column::Role.eq(role.as_str()))
        .filter(role_grant::Column::State.eq("active"))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Opens an access review: every grant in force without one gets `review_due`. Returns how
/// many grants now await confirmation.
pub async fn start_review(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    use sea_orm::Condition;
    use sea_orm::sea_query::Expr;
    let result = role_grant::Entity::update_many()
        .col_expr(role_grant::Column::ReviewDue, Expr::value(due))
        .col_expr(role_grant::Column::UpdatedAt, Expr::value(now))
        .filter(role_grant::Column::OrganizationId.eq(org.into_uuid()))
        .filter(role_grant::Column::State.eq("active"))
        .filter(role_grant::Column::ReviewDue.is_null())
        .filter(
            Condition::any()
                .add(role_grant::Column::Until.is_null())
                .add(role_grant::Column::Until.gt(now)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

pub async fn find_grant(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
) -> Result<Option<role_grant::Model>, DbError> {
    Ok(role_grant::Entity::find_by_id(id)
        .filter(role_grant::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?)
}

/// Stores a grant's new dates after a confirmation.
pub async fn set_grant_dates(
    db: &impl ConnectionTrait,
    id: Uuid,
    until: Option<DateTime<Utc>>,
    review_due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use sea_orm::sea_query::Expr;
    role_grant::Entity::update_many()
        .col_expr(role_grant::Column::Until, Expr::value(until))
        .col_expr(role_grant::Column::ReviewDue, Expr::value(review_due))
        .col_expr(role_grant::Column::UpdatedAt, Expr::value(now))
        .filter(role_grant::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Where a second-factor secret is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretTable {
    Users,
    Invitations,
}

/// A row holding a second-factor secret not yet sealed.
#[derive(Debug, Clone)]
pub struct StoredSecrets {
    pub table: SecretTable,
    pub id: Uuid,
    pub secret: Option<String>,
    pub pending: Option<String>,
}

/// Users and invitations with a TOTP secret (current or offered) that does not start with
/// `sealed_prefix`: written before secrets were encrypted at rest.
pub async fn unsealed_secrets(
    db: &impl ConnectionTrait,
    sealed_prefix: &str,
) -> Result<Vec<StoredSecrets>, DbError> {
    use crate::entities::invitation;
    use sea_orm::Condition;
    let pattern = format!("{sealed_prefix}%");
    let users = user::Entity::find()
        .filter(
            Condition::any()
                .add(user::Column::TotpSecret.not_like(&pattern))
                .add(user::Column::PendingTotpSecret.not_like(&pattern)),
        )
        .all(db)
        .await?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::PendingTotpSecret.not_like(&pattern))
        .all(db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| StoredSecrets {
            table: SecretTable::Users,
            id: u.id,
            secret: u.totp_secret,
            pending: u.pending_totp_secret,
        })
        .chain(invitations.into_iter().map(|i| StoredSecrets {
            table: SecretTable::Invitations,
            id: i.id,
            secret: None,
            pending: i.pending_totp_secret,
        }))
        .collect())
}

/// Replaces a row's secrets with their sealed form.
pub async fn store_sealed_secrets(
    db: &impl ConnectionTrait,
    table: SecretTable,
    id: Uuid,
    secret: Option<String>,
    pending: Option<String>,
) -> Result<(), DbError> {
    use crate::entities::invitation;
    match table {
        SecretTable::Users => {
            user::ActiveModel {
                id: Set(id),
                totp_secret: Set(secret),
                pending_totp_secret: Set(pending),
                ..Default::default()
            }
            .update(db)
            .await?;
        }
        SecretTable::Invitations => {
            invitation::Entity::update_many()
                .col_expr(
                    invitation::Column::PendingTotpSecret,
                    sea_orm::sea_query::Expr::value(pending),
                )
                .filter(invitation::Column::Id.eq(id))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// Display names of these users (unknown ids are left out).
pub async fn display_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, DbError> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort();
    ids.dedup();
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let rows = user::Entity::find()
            .filter(user::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|u| (u.id, u.display_name)));
    }
    Ok(out)
}

/// The active users who hold one of `roles` in the organisation at `now`, by name.
pub async fn holders_of(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    roles: &[Role],
    now: DateTime<Utc>,
) -> Result<Vec<(Uuid, String)>, DbError> {
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::OrganizationId.eq(org.into_uuid()))
        .filter(role_grant::Column::State.eq("active"))
        .filter(role_grant::Column::Role.is_in(roles.iter().map(|r| r.as_str())))
        .all(db)
        .await?;
    let ids = grants.into_iter().filter(|g| {
        GrantState::Active {
            until: g.until,
            review_due: g.review_due,
        }
        .is_effective(now)
    });
    let ids: Vec<Uuid> = ids.map(|g| g.user_id).collect();
    let mut people: Vec<(Uuid, String)> = Vec::new();
    for chunk in ids.chunks(500) {
        let rows = user::Entity::find()
            .filter(user::Column::Id.is_in(chunk.iter().copied()))
            .filter(user::Column::Status.eq(STATUS_ACTIVE))
            .all(db)
            .await?;
        people.extend(rows.into_iter().map(|u| (u.id, u.display_name)));
    }
    people.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    people.dedup_by_key(|p| p.0);
    Ok(people)
}

/// Active grants whose end date or access-review due date has passed at `now`: the clock
/// already stopped them; the scheduler records it.
pub async fn grants_run_out(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<role_grant::Model>, DbError> {
    use sea_orm::Condition;
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::State.eq("active"))
        .filter(
            Condition::any()
                .add(role_grant::Column::Until.lte(now))
                .add(role_grant::Column::ReviewDue.lte(now)),
        )
        .all(db)
        .await?)
}

/// Records a grant's end (`expired` or `lapsed`) if it is still active; `true` if this call
/// did (another instance may have been first).
pub async fn end_grant(
    db: &impl ConnectionTrait,
    id: Uuid,
    state: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    use sea_orm::sea_query::Expr;
    let result = role_grant::Entity::update_many()
        .col_expr(role_grant::Column::State, Expr::value(state))
        .col_expr(role_grant::Column::UpdatedAt, Expr::value(now))
        .filter(role_grant::Column::Id.eq(id))
        .filter(role_grant::Column::State.eq("active"))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
