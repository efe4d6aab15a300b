//! Processing-activity templates (reuse between municipalities) and the consent to show an
//! application overview to other municipalities. A template is a snapshot: one row per
//! activity, replaced when the publisher republishes it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::organization::OrgKind;
use vern_domain::pagination::{Limit, paginate};
use vern_domain::register::activity::ActivityFacts;
use vern_domain::register::compare::ComparedOrganization;
use vern_domain::register::template::{ActivityTemplate, TemplateProduct, TemplatePublisher};
use vern_domain::sort_key::sort_key;

use crate::DbError;
use crate::entities::{activity_template as t, organization, product, system};
use crate::register::{NameCursor, after, contains_pattern, json, org_names};

/// The catalogue products the organisation's systems `ids` are built on, in the order of
/// the systems, each once.
pub async fn products_of_systems(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, Option<Uuid>)> = system::Entity::find()
        .select_only()
        .column(system::Column::Id)
        .column(system::Column::ProductId)
        .filter(system::Column::OrganizationId.eq(org.into_uuid()))
        .filter(system::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    let mut out = Vec::new();
    for id in ids {
        if let Some((_, Some(p))) = rows.iter().find(|(s, _)| s == id)
            && !out.contains(p)
        {
            out.push(*p);
        }
    }
    Ok(out)
}

/// The organisation's systems (not retired) built on any of `products`, as (system,
/// product).
pub async fn systems_on_products(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    products: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, DbError> {
    if products.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, Option<Uuid>)> = system::Entity::find()
        .select_only()
        .column(system::Column::Id)
        .column(system::Column::ProductId)
        .filter(system::Column::OrganizationId.eq(org.into_uuid()))
        .filter(system::Column::ProductId.is_in(products.to_vec()))
        .filter(system::Column::Status.ne("retired"))
        .order_by_asc(system::Column::SortKey)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, p)| p.map(|p| (s, p)))
        .collect())
}

/// Name, vendor and availability of each product.
pub async fn template_products(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<TemplateProduct>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, String, Uuid, bool)> = product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .column(product::Column::Name)
        .column(product::Column::VendorId)
        .column(product::Column::Published)
        .filter(product::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    let vendors = org_names(db, rows.iter().map(|r| r.2)).await?;
    Ok(ids
        .iter()
        .filter_map(|id| rows.iter().find(|r| r.0 == *id))
        .map(|(id, name, vendor, published)| TemplateProduct {
            product_id: *id,
            name: name.clone(),
            vendor_name: vendors.get(vendor).cloned().unwrap_or_default(),
            available: *published,
        })
        .collect())
}

fn product_ids(row: &t::Model) -> Result<Vec<Uuid>, DbError> {
    serde_json::from_str(&row.product_ids)
        .map_err(|_| DbError::InvalidRow("activity_templates.product_ids"))
}

/// Rows to API values, with publishers' names and products looked up once for all.
async fn to_templates(
    db: &impl ConnectionTrait,
    rows: Vec<t::Model>,
) -> Result<Vec<ActivityTemplate>, DbError> {
    let publishers = org_names(db, rows.iter().map(|r| r.organization_id)).await?;
    let mut all_products: Vec<Uuid> = Vec::new();
    for r in &rows {
        for p in product_ids(r)? {
            if !all_products.contains(&p) {
                all_products.push(p);
            }
        }
    }
    let products: HashMap<Uuid, TemplateProduct> = template_products(db, &all_products)
        .await?
        .into_iter()
        .map(|p| (p.product_id, p))
        .collect();
    rows.into_iter()
        .map(|r| {
            let facts: ActivityFacts = serde_json::from_str(&r.facts)
                .map_err(|_| DbError::InvalidRow("activity_templates.facts"))?;
            Ok(ActivityTemplate {
                products: product_ids(&r)?
                    .iter()
                    .filter_map(|p| products.get(p).cloned())
                    .collect(),
                publisher: TemplatePublisher {
                    id: OrganizationId::from_uuid(r.organization_id),
                    name: publishers
                        .get(&r.organization_id)
                        .cloned()
                        .unwrap_or_default(),
                },
                id: r.id,
                activity_id: r.activity_id,
                activity_revision: r.activity_revision,
                note: r.note,
                facts,
                copies: u32::try_from(r.copies).unwrap_or(0),
                dpia: r
                    .dpia
                    .as_deref()
                    .map(serde_json::from_str)
                    .transpose()
                    .map_err(|_| DbError::InvalidRow("activity_templates.dpia"))?,
                revision: r.revision,
                published_at: r.published_at,
                updated_at: r.updated_at,
            })
        })
        .collect()
}

/// What publishing stores.
#[derive(Debug)]
pub struct Publication<'a> {
    pub activity_id: Uuid,
    pub activity_revision: i32,
    pub note: &'a str,
    pub facts: &'a ActivityFacts,
    pub products: &'a [Uuid],
    /// The DPIA shared with the template (already stripped of what stays behind).
    pub dpia: Option<&'a vern_domain::assessment::AssessmentContent>,
}

/// Publishes the activity as a template, or refreshes its template. `true` in the answer
/// when it was new.
pub async fn publish(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    p: Publication<'_>,
    now: DateTime<Utc>,
) -> Result<(ActivityTemplate, bool), DbError> {
    let existing = t::Entity::find()
        .filter(t::Column::ActivityId.eq(p.activity_id))
        .filter(t::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?;
    let created = existing.is_none();
    let row = match existing {
        Some(row) => {
            t::Entity::update_many()
                .col_expr(
                    t::Column::ActivityRevision,
                    Expr::value(p.activity_revision),
                )
                .col_expr(t::Column::Name, Expr::value(p.facts.name.clone()))
                .col_expr(t::Column::SortKey, Expr::value(sort_key(&p.facts.name)))
                .col_expr(t::Column::Note, Expr::value(p.note))
                .col_expr(t::Column::Facts, Expr::value(json(p.facts)?))
                .col_expr(t::Column::ProductIds, Expr::value(json(&p.products)?))
                .col_expr(t::Column::Dpia, Expr::value(p.dpia.map(json).transpose()?))
                .col_expr(t::Column::Revision, Expr::value(row.revision + 1))
                .col_expr(t::Column::UpdatedAt, Expr::value(now))
                .filter(t::Column::Id.eq(row.id))
                .exec(db)
                .await?;
            t::Entity::find_by_id(row.id)
                .one(db)
                .await?
                .ok_or(DbError::InvalidRow("activity_templates"))?
        }
        None => {
            let row = t::ActiveModel {
                id: Set(Uuid::now_v7()),
                organization_id: Set(org.into_uuid()),
                activity_id: Set(p.activity_id),
                activity_revision: Set(p.activity_revision),
                name: Set(p.facts.name.clone()),
                sort_key: Set(sort_key(&p.facts.name)),
                note: Set(p.note.to_owned()),
                facts: Set(json(p.facts)?),
                product_ids: Set(json(&p.products)?),
                copies: Set(0),
                dpia: Set(p.dpia.map(json).transpose()?),
                revision: Set(1),
                published_at: Set(now),
                updated_at: Set(now),
            };
            t::Entity::insert(row).exec_with_returning(db).await?
        }
    };
    let template = to_templates(db, vec![row])
        .await?
        .pop()
        .ok_or(DbError::InvalidRow("activity_templates"))?;
    Ok((template, created))
}

/// A template by id, from whichever municipality.
pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<ActivityTemplate>, DbError> {
    let Some(row) = t::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(to_templates(db, vec![row]).await?.pop())
}

/// The template made from one of the organisation's activities.
pub async fn find_for_activity(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    activity_id: Uuid,
) -> Result<Option<ActivityTemplate>, DbError> {
    let Some(row) = t::Entity::find()
        .filter(t::Column::ActivityId.eq(activity_id))
        .filter(t::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(to_templates(db, vec![row]).await?.pop())
}

/// Withdraws the template of an activity; its id when there was one.
pub async fn withdraw(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    activity_id: Uuid,
) -> Result<Option<Uuid>, DbError> {
    let Some(id) = t::Entity::find()
        .select_only()
        .column(t::Column::Id)
        .filter(t::Column::ActivityId.eq(activity_id))
        .filter(t::Column::OrganizationId.eq(org.into_uuid()))
        .into_tuple::<Uuid>()
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    t::Entity::delete_by_id(id).exec(db).await?;
    Ok(Some(id))
}

/// Counts one more copy.
pub async fn count_copy(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbError> {
    t::Entity::update_many()
        .col_expr(t::Column::Copies, Expr::col(t::Column::Copies).add(1))
        .filter(t::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct TemplateFilter {
    pub q: Option<String>,
    pub publisher: Option<OrganizationId>,
    pub activity: Option<Uuid>,
}

/// Published templates of every municipality in name order.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &TemplateFilter,
    limit: Limit,
    cursor: Option<NameCursor>,
) -> Result<(Vec<ActivityTemplate>, Option<String>), DbError> {
    let mut query = t::Entity::find();
    if let Some(q) = filter.q.as_deref().map(sort_key).filter(|q| !q.is_empty()) {
        query = query.filter(Expr::col(t::Column::SortKey).like(contains_pattern(&q)));
    }
    if let Some(org) = filter.publisher {
        query = query.filter(t::Column::OrganizationId.eq(org.into_uuid()));
    }
    if let Some(activity) = filter.activity {
        query = query.filter(t::Column::ActivityId.eq(activity));
    }
    if let Some(cursor) = cursor {
        query = query.filter(after(t::Column::SortKey, t::Column::Id, cursor));
    }
    let rows = query
        .order_by_asc(t::Column::SortKey)
        .order_by_asc(t::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next) = paginate(rows, limit, |r| NameCursor {
        sort_key: r.sort_key.clone(),
        id: r.id,
    });
    Ok((to_templates(db, rows).await?, next))
}

/// What an organisation chooses to show beyond itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// Other municipalities may compare their application overview with this one.
    Overview,
    /// Vendors may see how the organisation uses their products.
    UsageWithVendors,
}

impl Sharing {
    const fn column(self) -> organization::Column {
        match self {
            Self::Overview => organization::Column::ShareOverview,
            Self::UsageWithVendors => organization::Column::ShareUsageWithVendors,
        }
    }
}

/// Whether the organisation shares this (`None`: no such organisation).
pub async fn shares(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    what: Sharing,
) -> Result<Option<bool>, DbError> {
    Ok(organization::Entity::find_by_id(org.into_uuid())
        .select_only()
        .column(what.column())
        .into_tuple::<bool>()
        .one(db)
        .await?)
}

pub async fn set_sharing(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    what: Sharing,
    share: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    organization::Entity::update_many()
        .col_expr(what.column(), Expr::value(share))
        .col_expr(organization::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            organization::Column::Version,
            Expr::col(organization::Column::Version).add(1),
        )
        .filter(organization::Column::Id.eq(org.into_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// The municipalities that show their overview to others, but `except`, in name order.
/// At most the country's municipalities, so not paged.
pub async fn overview_peers(
    db: &impl ConnectionTrait,
    except: OrganizationId,
) -> Result<Vec<ComparedOrganization>, DbError> {
    let rows: Vec<(Uuid, String)> = organization::Entity::find()
        .select_only()
        .column(organization::Column::Id)
        .column(organization::Column::Name)
        .filter(organization::Column::ShareOverview.eq(true))
        .filter(organization::Column::Kind.eq(OrgKind::Municipality.as_str()))
        .filter(organization::Column::Id.ne(except.into_uuid()))
        .order_by_asc(organization::Column::SortKey)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| ComparedOrganization {
            id: OrganizationId::from_uuid(id),
            name,
        })
        .collect())
}
