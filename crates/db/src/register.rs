//! The register's storage: products (with their revision history) and systems in use.
//! Updates are optimistic: they name the revision they were based on and change nothing if
//! someone else got there first.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::pagination::{Limit, paginate};
use vern_domain::register::product::{Product, ProductFacts};
use vern_domain::register::system::{System, SystemFacts};
use vern_domain::sort_key::sort_key;

use crate::DbError;
use crate::entities::{organization, product, product_revision, system, system_owner};

/// The keyset cursor of name-ordered lists.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NameCursor {
    pub sort_key: String,
    pub id: Uuid,
}

pub(crate) fn contains_pattern(q: &str) -> LikeExpr {
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

pub(crate) fn after<C: ColumnTrait>(sort_col: C, id_col: C, after: NameCursor) -> Condition {
    Condition::any()
        .add(sort_col.gt(after.sort_key.clone()))
        .add(
            Condition::all()
                .add(sort_col.eq(after.sort_key))
                .add(id_col.gt(after.id)),
        )
}

pub async fn org_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, DbError> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(Uuid, String)> = organization::Entity::find()
        .select_only()
        .column(organization::Column::Id)
        .column(organization::Column::Name)
        .filter(organization::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

fn product_facts(row: &product::Model) -> Result<ProductFacts, DbError> {
    serde_json::from_str(&row.facts).map_err(|_| DbError::InvalidRow("products.facts"))
}

fn to_product(row: product::Model, vendor_name: String) -> Result<Product, DbError> {
    Ok(Product {
        facts: product_facts(&row)?,
        id: row.id,
        vendor_id: OrganizationId::from_uuid(row.vendor_id),
        vendor_name,
        revision: row.revision,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

pub(crate) fn json<T: Serialize>(value: &T) -> Result<String, DbError> {
    serde_json::to_string(value).map_err(|_| DbError::InvalidRow("facts"))
}

/// Stores a checked product as revision 1.
pub async fn insert_product(
    db: &impl ConnectionTrait,
    vendor: OrganizationId,
    facts: &ProductFacts,
    actor: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Product, DbError> {
    let id = Uuid::now_v7();
    let row = product::ActiveModel {
        id: Set(id),
        vendor_id: Set(vendor.into_uuid()),
        name: Set(facts.name.clone()),
        sort_key: Set(sort_key(&facts.name)),
        published: Set(facts.published),
        facts: Set(json(facts)?),
        revision: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let row = product::Entity::insert(row).exec_with_returning(db).await?;
    record_revision(db, id, 1, facts, actor, now).await?;
    let vendor_name = org_names(db, [vendor.into_uuid()])
        .await?
        .remove(&vendor.into_uuid())
        .unwrap_or_default();
    to_product(row, vendor_name)
}

async fn record_revision(
    db: &impl ConnectionTrait,
    product_id: Uuid,
    revision: i32,
    facts: &ProductFacts,
    actor: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    product_revision::Entity::insert(product_revision::ActiveModel {
        product_id: Set(product_id),
        revision: Set(revision),
        facts: Set(json(facts)?),
        changed_by: Set(actor),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn find_product(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Product>, DbError> {
    let Some(row) = product::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let name = org_names(db, [row.vendor_id])
        .await?
        .remove(&row.vendor_id)
        .unwrap_or_default();
    to_product(row, name).map(Some)
}

/// Replaces a product's facts if it is still at `expected_revision`; `None` when it is not
/// (someone else saved first). Keeps the new revision in the history.
pub async fn update_product(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_revision: i32,
    facts: &ProductFacts,
    actor: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Option<Product>, DbError> {
    let result = product::Entity::update_many()
        .col_expr(product::Column::Name, Expr::value(facts.name.clone()))
        .col_expr(product::Column::SortKey, Expr::value(sort_key(&facts.name)))
        .col_expr(product::Column::Published, Expr::value(facts.published))
        .col_expr(product::Column::Facts, Expr::value(json(facts)?))
        .col_expr(
            product::Column::Revision,
            Expr::value(expected_revision + 1),
        )
        .col_expr(product::Column::UpdatedAt, Expr::value(now))
        .filter(product::Column::Id.eq(id))
        .filter(product::Column::Revision.eq(expected_revision))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    record_revision(db, id, expected_revision + 1, facts, actor, now).await?;
    find_product(db, id).await
}

/// The stored revisions of a product, oldest first.
pub async fn product_revisions(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Vec<(i32, ProductFacts, Option<Uuid>, DateTime<Utc>)>, DbError> {
    let rows = product_revision::Entity::find()
        .filter(product_revision::Column::ProductId.eq(id))
        .order_by_asc(product_revision::Column::Revision)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|r| {
            let facts = serde_json::from_str(&r.facts)
                .map_err(|_| DbError::InvalidRow("product_revisions.facts"))?;
            Ok((r.revision, facts, r.changed_by, r.created_at))
        })
        .collect()
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Only this vendor's products (published or not); otherwise only published ones.
    pub vendor: Option<OrganizationId>,
    pub q: Option<String>,
}

pub async fn list_products(
    db: &impl ConnectionTrait,
    filter: &ProductFilter,
    limit: Limit,
    cursor: Option<NameCursor>,
) -> Result<(Vec<Product>, Option<String>), DbError> {
    let mut query = product::Entity::find();
    query = match filter.vendor {
        Some(vendor) => query.filter(product::Column::VendorId.eq(vendor.into_uuid())),
        None => query.filter(product::Column::Published.eq(true)),
    };
    if let Some(q) = filter.q.as_deref().map(sort_key).filter(|q| !q.is_empty()) {
        query = query.filter(Expr::col(product::Column::SortKey).like(contains_pattern(&q)));
    }
    if let Some(cursor) = cursor {
        query = query.filter(after(product::Column::SortKey, product::Column::Id, cursor));
    }
    let rows = query
        .order_by_asc(product::Column::SortKey)
        .order_by_asc(product::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next) = paginate(rows, limit, |r| NameCursor {
        sort_key: r.sort_key.clone(),
        id: r.id,
    });
    let names = org_names(db, rows.iter().map(|r| r.vendor_id)).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let name = names.get(&r.vendor_id).cloned().unwrap_or_default();
            to_product(r, name)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, next))
}

/// The organisations with a system that uses the product (for change notices).
pub async fn product_users(
    db: &impl ConnectionTrait,
    product_id: Uuid,
) -> Result<Vec<OrganizationId>, DbError> {
    let ids: Vec<Uuid> = system::Entity::find()
        .select_only()
        .column(system::Column::OrganizationId)
        .filter(system::Column::ProductId.eq(product_id))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().map(OrganizationId::from_uuid).collect())
}

fn to_system(row: system::Model, product: Option<&(String, String)>) -> Result<System, DbError> {
    let facts: SystemFacts =
        serde_json::from_str(&row.facts).map_err(|_| DbError::InvalidRow("systems.facts"))?;
    Ok(System {
        facts,
        id: row.id,
        organization_id: OrganizationId::from_uuid(row.organization_id),
        product_name: product.map(|p| p.0.clone()),
        vendor_name: product.map(|p| p.1.clone()),
        revision: row.revision,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// (product name, vendor name) per product id.
async fn product_labels(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, (String, String)>, DbError> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(Uuid, String, Uuid)> = product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .column(product::Column::Name)
        .column(product::Column::VendorId)
        .filter(product::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    let vendors = org_names(db, rows.iter().map(|r| r.2)).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, vendor)| {
            (
                id,
                (name, vendors.get(&vendor).cloned().unwrap_or_default()),
            )
        })
        .collect())
}

pub async fn insert_system(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    facts: &SystemFacts,
    now: DateTime<Utc>,
) -> Result<System, DbError> {
    let row = system::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.into_uuid()),
        product_id: Set(facts.product_id),
        name: Set(facts.name.clone()),
        sort_key: Set(sort_key(&facts.name)),
        status: Set(facts.status.as_str().to_owned()),
        owning_unit: Set(facts.owning_unit.clone()),
        review_date: Set(facts.review_date),
        facts: Set(json(facts)?),
        revision: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let row = system::Entity::insert(row).exec_with_returning(db).await?;
    link_owners(db, row.id, &facts.owners).await?;
    let labels = product_labels(db, row.product_id).await?;
    let label = row.product_id.and_then(|p| labels.get(&p));
    to_system(row.clone(), label)
}

/// The organisation's system with this id.
pub async fn find_system(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
) -> Result<Option<System>, DbError> {
    let Some(row) = system::Entity::find_by_id(id)
        .filter(system::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let labels = product_labels(db, row.product_id).await?;
    let label = row.product_id.and_then(|p| labels.get(&p));
    to_system(row.clone(), label).map(Some)
}

pub async fn update_system(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
    expected_revision: i32,
    facts: &SystemFacts,
    now: DateTime<Utc>,
) -> Result<Option<System>, DbError> {
    let result = system::Entity::update_many()
        .col_expr(system::Column::Name, Expr::value(facts.name.clone()))
        .col_expr(system::Column::SortKey, Expr::value(sort_key(&facts.name)))
        .col_expr(system::Column::Status, Expr::value(facts.status.as_str()))
        .col_expr(
            system::Column::OwningUnit,
            Expr::value(facts.owning_unit.clone()),
        )
        .col_expr(system::Column::ReviewDate, Expr::value(facts.review_date))
        .col_expr(system::Column::Facts, Expr::value(json(facts)?))
        .col_expr(system::Column::Revision, Expr::value(expected_revision + 1))
        .col_expr(system::Column::UpdatedAt, Expr::value(now))
        .filter(system::Column::Id.eq(id))
        .filter(system::Column::OrganizationId.eq(org.into_uuid()))
        .filter(system::Column::Revision.eq(expected_revision))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    link_owners(db, id, &facts.owners).await?;
    find_system(db, org, id).await
}

/// Keeps the owner index in step with the facts.
async fn link_owners(
    db: &impl ConnectionTrait,
    system: Uuid,
    owners: &[Uuid],
) -> Result<(), DbError> {
    system_owner::Entity::delete_many()
        .filter(system_owner::Column::SystemId.eq(system))
        .exec(db)
        .await?;
    if owners.is_empty() {
        return Ok(());
    }
    system_owner::Entity::insert_many(owners.iter().map(|u| system_owner::ActiveModel {
        system_id: Set(system),
        user_id: Set(*u),
    }))
    .exec(db)
    .await?;
    Ok(())
}

pub async fn delete_system(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
) -> Result<bool, DbError> {
    crate::activities::unlink_system(db, org, id).await?;
    link_owners(db, id, &[]).await?;
    let result = system::Entity::delete_many()
        .filter(system::Column::Id.eq(id))
        .filter(system::Column::OrganizationId.eq(org.into_uuid()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

#[derive(Debug, Clone, Default)]
pub struct SystemFilter {
    pub q: Option<String>,
    pub status: Option<vern_domain::register::system::SystemStatus>,
    pub product: Option<Uuid>,
    /// Only entries whose review date is before this day (and not retired).
    pub review_before: Option<chrono::NaiveDate>,
    /// Only systems this user owns.
    pub owner: Option<Uuid>,
}

pub async fn list_systems(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    filter: &SystemFilter,
    limit: Limit,
    cursor: Option<NameCursor>,
) -> Result<(Vec<System>, Option<String>), DbError> {
    let mut query =
        system::Entity::find().filter(system::Column::OrganizationId.eq(org.into_uuid()));
    if let Some(q) = filter.q.as_deref().map(sort_key).filter(|q| !q.is_empty()) {
        query = query.filter(Expr::col(system::Column::SortKey).like(contains_pattern(&q)));
    }
    if let Some(status) = filter.status {
        query = query.filter(system::Column::Status.eq(status.as_str()));
    }
    if let Some(product) = filter.product {
        query = query.filter(system::Column::ProductId.eq(product));
    }
    if let Some(day) = filter.review_before {
        query = query
            .filter(system::Column::ReviewDate.lt(day))
            .filter(system::Column::Status.ne("retired"));
    }
    if let Some(owner) = filter.owner {
        query = query.filter(
            system::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(system_owner::Column::SystemId)
                    .from(system_owner::Entity)
                    .and_where(Expr::col(system_owner::Column::UserId).eq(owner))
                    .to_owned(),
            ),
        );
    }
    if let Some(cursor) = cursor {
        query = query.filter(after(system::Column::SortKey, system::Column::Id, cursor));
    }
    let rows = query
        .order_by_asc(system::Column::SortKey)
        .order_by_asc(system::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next) = paginate(rows, limit, |r| NameCursor {
        sort_key: r.sort_key.clone(),
        id: r.id,
    });
    let labels = product_labels(db, rows.iter().filter_map(|r| r.product_id)).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let label = r.product_id.and_then(|p| labels.get(&p));
            to_system(r.clone(), label)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, next))
}

/// Published products whose name is `name` (ignoring case and accents), with vendor names.
pub async fn published_products_named(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<Vec<Product>, DbError> {
    let rows = product::Entity::find()
        .filter(product::Column::Published.eq(true))
        .filter(product::Column::SortKey.eq(sort_key(name)))
        .order_by_asc(product::Column::Id)
        .limit(20)
        .all(db)
        .await?;
    let names = org_names(db, rows.iter().map(|r| r.vendor_id)).await?;
    rows.into_iter()
        .map(|r| {
            let vendor = names.get(&r.vendor_id).cloned().unwrap_or_default();
            to_product(r, vendor)
        })
        .collect()
}

/// Every system of the organisation, in name order (for exports and imports).
pub async fn all_systems(
    db: &impl ConnectionTrait,
    org: OrganizationId,
) -> Result<Vec<System>, DbError> {
    let mut out = Vec::new();
    let mut cursor = None;
    let limit = Limit::parse(Some(500)).unwrap_or_default();
    loop {
        let (page, next) =
            list_systems(db, org, &SystemFilter::default(), limit, cursor.take()).await?;
        let last = page.last().map(|s| NameCursor {
            sort_key: sort_key(&s.facts.name),
            id: s.id,
        });
        out.extend(page);
        match (next, last) {
            (Some(_), Some(last)) => cursor = Some(last),
            _ => return Ok(out),
        }
    }
}

/// A vendor's customers: per organisation and product, how many of its systems (not retired)
/// are built on the vendor's products. Only the fact of use, nothing of how.
pub async fn customers_of(
    db: &impl ConnectionTrait,
    vendor: OrganizationId,
) -> Result<Vec<(OrganizationId, Uuid, i64)>, DbError> {
    use sea_orm::sea_query::Query;
    let rows: Vec<(Uuid, Option<Uuid>, i64)> = system::Entity::find()
        .select_only()
        .column(system::Column::OrganizationId)
        .column(system::Column::ProductId)
        .column_as(system::Column::Id.count(), "systems")
        .filter(system::Column::Status.ne("retired"))
        .filter(
            system::Column::ProductId.in_subquery(
                Query::select()
                    .column(product::Column::Id)
                    .from(product::Entity)
                    .and_where(Expr::col(product::Column::VendorId).eq(vendor.into_uuid()))
                    .to_owned(),
            ),
        )
        .group_by(system::Column::OrganizationId)
        .group_by(system::Column::ProductId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(org, product, n)| product.map(|p| (OrganizationId::from_uuid(org), p, n)))
        .collect())
}
