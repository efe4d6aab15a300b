//! Organisations: rows ⇄ `vern_domain::organization::Organization`.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vern_domain::organization::{MunicipalityInfo, Organization, OrganizationPage};
use vern_domain::pagination::{Limit, paginate};
use vern_domain::sort_key::sort_key;
use vern_domain::{KommuneNumber, OrgKind, OrgNumber, OrganizationId};

use crate::DbError;
use crate::entities::organization::{self as org, Column};

/// Position after which the next page starts: the last row's (sort_key, id).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgCursor {
    #[serde(rename = "k")]
    pub sort_key: String,
    #[serde(rename = "i")]
    pub id: Uuid,
}

#[derive(Debug, Default, Clone)]
pub struct OrgFilter {
    pub kind: Option<OrgKind>,
    /// Free text; matched case- and accent-insensitively against the name.
    pub q: Option<String>,
}

/// What it takes to create an organisation; already validated by the domain types.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub kind: OrgKind,
    pub name: String,
    pub org_number: Option<OrgNumber>,
    pub kommunenummer: Option<KommuneNumber>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    filter: &OrgFilter,
    limit: Limit,
    after: Option<OrgCursor>,
) -> Result<OrganizationPage, DbError> {
    let mut query = org::Entity::find();
    if let Some(kind) = filter.kind {
        query = query.filter(Column::Kind.eq(kind.as_str()));
    }
    if let Some(q) = filter.q.as_deref().map(sort_key).filter(|q| !q.is_empty()) {
        query = query.filter(Expr::col(Column::SortKey).like(contains_pattern(&q)));
    }
    if let Some(after) = after {
        query = query.filter(
            Condition::any()
                .add(Column::SortKey.gt(after.sort_key.clone()))
                .add(
                    Condition::all()
                        .add(Column::SortKey.eq(after.sort_key))
                        .add(Column::Id.gt(after.id)),
                ),
        );
    }
    let rows = query
        .order_by_asc(Column::SortKey)
        .order_by_asc(Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next_cursor) = paginate(rows, limit, |row| OrgCursor {
        sort_key: row.sort_key.clone(),
        id: row.id,
    });
    let items = rows
        .into_iter()
        .map(to_domain)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(OrganizationPage { items, next_cursor })
}

pub async fn get(
    db: &impl ConnectionTrait,
    id: OrganizationId,
) -> Result<Option<Organization>, DbError> {
    org::Entity::find_by_id(id.into_uuid())
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewOrganization,
    now: DateTime<Utc>,
) -> Result<Organization, DbError> {
    let row = org::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(new.kind.as_str().to_owned()),
        sort_key: Set(sort_key(&new.name)),
        name: Set(new.name),
        org_number: Set(new.org_number.map(String::from)),
        kommunenummer: Set(new.kommunenummer.map(String::from)),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ip_allowlist: Set("[]".to_owned()),
        require_passkey: Set(false),
        share_overview: Set(false),
        share_usage_with_vendors: Set(false),
    };
    let model = org::Entity::insert(row).exec_with_returning(db).await?;
    to_domain(model)
}

/// The kommunenumre that already have an organisation.
pub async fn existing_kommunenumre(db: &impl ConnectionTrait) -> Result<Vec<String>, DbError> {
    let rows: Vec<Option<String>> = org::Entity::find()
        .select_only()
        .column(Column::Kommunenummer)
        .filter(Column::Kommunenummer.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().flatten().collect())
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbError> {
    use sea_orm::PaginatorTrait;
    Ok(org::Entity::find().count(db).await?)
}

/// `%q%` with LIKE's own wildcards escaped, so a user's `%` or `_` is literal.
fn contains_pattern(q: &str) -> LikeExpr {
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

fn to_domain(row: org::Model) -> Result<Organization, DbError> {
    let kind = OrgKind::parse(&row.kind).ok_or(DbError::InvalidRow("organizations.kind"))?;
    let org_number = row
        .org_number
        .as_deref()
        .map(OrgNumber::parse)
        .transpose()
        .map_err(|_| DbError::InvalidRow("organizations.org_number"))?;
    let municipality = row
        .kommunenummer
        .as_deref()
        .map(KommuneNumber::parse)
        .transpose()
        .map_err(|_| DbError::InvalidRow("organizations.kommunenummer"))?
        .map(MunicipalityInfo::from_number);
    Ok(Organization {
        id: OrganizationId::from_uuid(row.id),
        kind,
        name: row.name,
        org_number,
        municipality,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The organisation with this exact name, if any (demo seeding finds its made-up ones so).
pub async fn find_by_name(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<Organization>, DbError> {
    org::Entity::find()
        .filter(Column::Name.eq(name))
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

pub async fn find_by_kommunenummer(
    db: &impl ConnectionTrait,
    number: &str,
) -> Result<Option<Organization>, DbError> {
    org::Entity::find()
        .filter(Column::Kommunenummer.eq(number))
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

/// The organisation's IP allowlist (empty: no restriction).
pub async fn ip_allowlist(
    db: &impl ConnectionTrait,
    id: OrganizationId,
) -> Result<Option<vern_domain::access::IpAllowlist>, DbError> {
    let Some(raw) = org::Entity::find_by_id(id.into_uuid())
        .select_only()
        .column(Column::IpAllowlist)
        .into_tuple::<String>()
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    serde_json::from_str(&raw)
        .map(Some)
        .map_err(|_| DbError::InvalidRow("organizations.ip_allowlist"))
}

pub async fn set_ip_allowlist(
    db: &impl ConnectionTrait,
    id: OrganizationId,
    list: &vern_domain::access::IpAllowlist,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use sea_orm::sea_query::Expr;
    let raw = serde_json::to_string(list)
        .map_err(|_| DbError::InvalidRow("organizations.ip_allowlist"))?;
    org::Entity::update_many()
        .col_expr(Column::IpAllowlist, Expr::value(raw))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(id.into_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether the organisation admits only passkey sessions (`None`: no such organisation).
pub async fn require_passkey(
    db: &impl ConnectionTrait,
    id: OrganizationId,
) -> Result<Option<bool>, DbError> {
    Ok(org::Entity::find_by_id(id.into_uuid())
        .select_only()
        .column(Column::RequirePasskey)
        .into_tuple::<bool>()
        .one(db)
        .await?)
}

pub async fn set_require_passkey(
    db: &impl ConnectionTrait,
    id: OrganizationId,
    required: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use sea_orm::sea_query::Expr;
    org::Entity::update_many()
        .col_expr(Column::RequirePasskey, Expr::value(required))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(id.into_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Sets the organisation's number; `false` when another organisation already has it.
pub async fn set_org_number(
    db: &impl ConnectionTrait,
    id: OrganizationId,
    number: &OrgNumber,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    use sea_orm::sea_query::Expr;
    let taken = org::Entity::find()
        .filter(Column::OrgNumber.eq(number.as_str()))
        .filter(Column::Id.ne(id.into_uuid()))
        .one(db)
        .await?
        .is_some();
    if taken {
        return Ok(false);
    }
    org::Entity::update_many()
        .col_expr(Column::OrgNumber, Expr::value(number.as_str()))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(id.into_uuid()))
        .exec(db)
        .await?;
    Ok(true)
}

pub async fn find_by_org_number(
    db: &impl ConnectionTrait,
    number: &str,
) -> Result<Option<Organization>, DbError> {
    org::Entity::find()
        .filter(Column::OrgNumber.eq(number))
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

/// Municipalities that take requests in Vern: those with an active request caseworker,
/// by name. `(id, name)`.
pub async fn taking_requests(
    db: &impl ConnectionTrait,
) -> Result<Vec<(uuid::Uuid, String)>, DbError> {
    use crate::entities::role_grant as g;
    let active: Vec<uuid::Uuid> = g::Entity::find()
        .select_only()
        .column(g::Column::OrganizationId)
        .filter(g::Column::Role.eq("request_caseworker"))
        .filter(g::Column::State.eq("active"))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    if active.is_empty() {
        return Ok(Vec::new());
    }
    Ok(org::Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Name)
        .filter(Column::Id.is_in(active))
        .filter(Column::Kind.eq("municipality"))
        .order_by_asc(Column::SortKey)
        .into_tuple()
        .all(db)
        .await?)
}

/// Whether this organisation is a municipality that takes requests in Vern (one of
/// [`taking_requests`]), without listing them all.
pub async fn takes_requests(db: &impl ConnectionTrait, id: uuid::Uuid) -> Result<bool, DbError> {
    use crate::entities::role_grant as g;
    let municipality = org::Entity::find_by_id(id)
        .filter(Column::Kind.eq("municipality"))
        .one(db)
        .await?
        .is_some();
    if !municipality {
        return Ok(false);
    }
    Ok(g::Entity::find()
        .filter(g::Column::OrganizationId.eq(id))
        .filter(g::Column::Role.eq("request_caseworker"))
        .filter(g::Column::State.eq("active"))
        .one(db)
        .await?
        .is_some())
}
