//! Review items' storage. A product's change folds into the open items of every system and
//! processing activity built on it, across all organisations, in the transaction that saves
//! the change.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::pagination::{Limit, paginate};
use vern_domain::register::product::ProductFacts;
use vern_domain::register::review::{
    ProductChange, ReviewItem, ReviewOutcome, ReviewResolution, ReviewStatus, ReviewSubject,
    fold_change,
};

use crate::DbError;
use crate::entities::{
    activity_system, processing_activity as pa, product, review_item as ri, system,
};
use crate::register::{json, org_names};

/// What a product change did to one entry's item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folded {
    Opened,
    Updated,
    /// The vendor changed the facts back before anyone looked.
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoldedItem {
    pub organization_id: OrganizationId,
    pub item_id: Uuid,
    pub folded: Folded,
}

/// The product's new revision reaches every system built on it that is not retired, and
/// every processing activity (not discontinued) that uses such a system.
pub async fn fold_product_change(
    db: &impl ConnectionTrait,
    product_id: Uuid,
    previous: (&ProductFacts, i32),
    current: (&ProductFacts, i32),
    now: DateTime<Utc>,
) -> Result<Vec<FoldedItem>, DbError> {
    if vern_domain::register::product::material_changes(previous.0, current.0).is_empty() {
        // Nothing material moved, so no open item's net change moved either.
        return Ok(Vec::new());
    }
    let systems: Vec<(Uuid, Uuid)> = system::Entity::find()
        .select_only()
        .column(system::Column::Id)
        .column(system::Column::OrganizationId)
        .filter(system::Column::ProductId.eq(product_id))
        .filter(system::Column::Status.ne("retired"))
        .into_tuple()
        .all(db)
        .await?;
    let mut subjects: Vec<(ReviewSubject, Uuid, Uuid)> = systems
        .iter()
        .map(|(id, org)| (ReviewSubject::System, *id, *org))
        .collect();
    if !systems.is_empty() {
        let activities: Vec<(Uuid, Uuid)> = pa::Entity::find()
            .select_only()
            .column(pa::Column::Id)
            .column(pa::Column::OrganizationId)
            .filter(pa::Column::Status.ne("discontinued"))
            .filter(
                pa::Column::Id.in_subquery(
                    Query::select()
                        .column(activity_system::Column::ActivityId)
                        .from(activity_system::Entity)
                        .and_where(
                            Expr::col(activity_system::Column::SystemId)
                                .is_in(systems.iter().map(|(id, _)| *id)),
                        )
                        .to_owned(),
                ),
            )
            .order_by_asc(pa::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        subjects.extend(
            activities
                .into_iter()
                .map(|(id, org)| (ReviewSubject::ProcessingActivity, id, org)),
        );
    }
    let open: HashMap<Uuid, ri::Model> = ri::Entity::find()
        .filter(ri::Column::ProductId.eq(product_id))
        .filter(ri::Column::Status.eq(ReviewStatus::Open.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.subject_id, r))
        .collect();

    let mut out = Vec::new();
    for (kind, subject_id, org) in subjects {
        let existing = open.get(&subject_id);
        let existing_change = existing.map(change_of).transpose()?;
        let folded = fold_change(
            existing_change.as_ref(),
            previous.0,
            previous.1,
            current.0,
            current.1,
        );
        let organization_id = OrganizationId::from_uuid(org);
        match (existing, folded) {
            (None, None) => {}
            (None, Some(change)) => {
                let id = Uuid::now_v7();
                ri::Entity::insert(ri::ActiveModel {
                    id: Set(id),
                    organization_id: Set(org),
                    subject_kind: Set(kind.as_str().to_owned()),
                    subject_id: Set(subject_id),
                    product_id: Set(product_id),
                    status: Set(ReviewStatus::Open.as_str().to_owned()),
                    change: Set(json(&change)?),
                    outcome: Set(None),
                    note: Set(None),
                    resolved_by: Set(None),
                    resolved_at: Set(None),
                    revision: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                })
                .exec_without_returning(db)
                .await?;
                out.push(FoldedItem {
                    organization_id,
                    item_id: id,
                    folded: Folded::Opened,
                });
            }
            (Some(item), change) => {
                let mut update = ri::Entity::update_many()
                    .col_expr(ri::Column::Revision, Expr::value(item.revision + 1))
                    .col_expr(ri::Column::UpdatedAt, Expr::value(now));
                let folded = match change {
                    Some(change) => {
                        update = update.col_expr(ri::Column::Change, Expr::value(json(&change)?));
                        Folded::Updated
                    }
                    None => {
                        update = update.col_expr(
                            ri::Column::Status,
                            Expr::value(ReviewStatus::Withdrawn.as_str()),
                        );
                        Folded::Withdrawn
                    }
                };
                update.filter(ri::Column::Id.eq(item.id)).exec(db).await?;
                out.push(FoldedItem {
                    organization_id,
                    item_id: item.id,
                    folded,
                });
            }
        }
    }
    Ok(out)
}

fn change_of(row: &ri::Model) -> Result<ProductChange, DbError> {
    serde_json::from_str(&row.change).map_err(|_| DbError::InvalidRow("review_items.change"))
}

/// Rows to items, with the names of their entries and products looked up in one query each.
async fn to_items(
    db: &impl ConnectionTrait,
    rows: Vec<ri::Model>,
) -> Result<Vec<ReviewItem>, DbError> {
    let ids_of = |kind: ReviewSubject| -> Vec<Uuid> {
        rows.iter()
            .filter(|r| r.subject_kind == kind.as_str())
            .map(|r| r.subject_id)
            .collect()
    };
    let system_ids = ids_of(ReviewSubject::System);
    let activity_ids = ids_of(ReviewSubject::ProcessingActivity);
    let mut names: HashMap<Uuid, String> = HashMap::new();
    if !system_ids.is_empty() {
        let found: Vec<(Uuid, String)> = system::Entity::find()
            .select_only()
            .column(system::Column::Id)
            .column(system::Column::Name)
            .filter(system::Column::Id.is_in(system_ids))
            .into_tuple()
            .all(db)
            .await?;
        names.extend(found);
    }
    if !activity_ids.is_empty() {
        let found: Vec<(Uuid, String)> = pa::Entity::find()
            .select_only()
            .column(pa::Column::Id)
            .column(pa::Column::Name)
            .filter(pa::Column::Id.is_in(activity_ids))
            .into_tuple()
            .all(db)
            .await?;
        names.extend(found);
    }
    let mut product_ids: Vec<Uuid> = rows.iter().map(|r| r.product_id).collect();
    product_ids.sort();
    product_ids.dedup();
    let products: HashMap<Uuid, (String, String)> = if product_ids.is_empty() {
        HashMap::new()
    } else {
        let found: Vec<(Uuid, String, Uuid)> = product::Entity::find()
            .select_only()
            .column(product::Column::Id)
            .column(product::Column::Name)
            .column(product::Column::VendorId)
            .filter(product::Column::Id.is_in(product_ids))
            .into_tuple()
            .all(db)
            .await?;
        let vendors = org_names(db, found.iter().map(|(_, _, v)| *v)).await?;
        found
            .into_iter()
            .map(|(id, n, v)| (id, (n, vendors.get(&v).cloned().unwrap_or_default())))
            .collect()
    };
    rows.into_iter()
        .map(|r| {
            let subject = ReviewSubject::parse(&r.subject_kind)
                .ok_or(DbError::InvalidRow("review_items.subject_kind"))?;
            let status =
                ReviewStatus::parse(&r.status).ok_or(DbError::InvalidRow("review_items.status"))?;
            let (product_name, vendor_name) =
                products.get(&r.product_id).cloned().unwrap_or_default();
            Ok(ReviewItem {
                id: r.id,
                organization_id: OrganizationId::from_uuid(r.organization_id),
                subject,
                subject_id: r.subject_id,
                subject_name: names.get(&r.subject_id).cloned().unwrap_or_default(),
                product_id: r.product_id,
                product_name,
                vendor_name,
                change: change_of(&r)?,
                status,
                outcome: r
                    .outcome
                    .as_deref()
                    .map(|o| {
                        ReviewOutcome::parse(o).ok_or(DbError::InvalidRow("review_items.outcome"))
                    })
                    .transpose()?,
                note: r.note,
                resolved_by: r.resolved_by,
                resolved_at: r.resolved_at,
                revision: r.revision,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
        })
        .collect()
}

pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
) -> Result<Option<ReviewItem>, DbError> {
    let Some(row) = ri::Entity::find_by_id(id)
        .filter(ri::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(to_items(db, vec![row]).await?.pop())
}

/// The keyset cursor of the newest-first list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdCursor {
    pub id: Uuid,
}

#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    pub status: Option<ReviewStatus>,
    pub subject: Option<ReviewSubject>,
    pub subject_id: Option<Uuid>,
    pub product: Option<Uuid>,
}

/// The organisation's items, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    filter: &ReviewFilter,
    limit: Limit,
    cursor: Option<IdCursor>,
) -> Result<(Vec<ReviewItem>, Option<String>), DbError> {
    let mut query = ri::Entity::find().filter(ri::Column::OrganizationId.eq(org.into_uuid()));
    if let Some(status) = filter.status {
        query = query.filter(ri::Column::Status.eq(status.as_str()));
    }
    if let Some(subject) = filter.subject {
        query = query.filter(ri::Column::SubjectKind.eq(subject.as_str()));
    }
    if let Some(id) = filter.subject_id {
        query = query.filter(ri::Column::SubjectId.eq(id));
    }
    if let Some(id) = filter.product {
        query = query.filter(ri::Column::ProductId.eq(id));
    }
    if let Some(cursor) = cursor {
        query = query.filter(ri::Column::Id.lt(cursor.id));
    }
    let rows = query
        .order_by_desc(ri::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next) = paginate(rows, limit, |r| IdCursor { id: r.id });
    Ok((to_items(db, rows).await?, next))
}

/// Records the resolution of an open item still at `expected_revision`; `None` if it has
/// moved on (someone resolved it, or the vendor changed the product again).
pub async fn resolve(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
    expected_revision: i32,
    resolution: &ReviewResolution,
    actor: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Option<ReviewItem>, DbError> {
    let note = (!resolution.note.is_empty()).then(|| resolution.note.clone());
    let result = ri::Entity::update_many()
        .col_expr(
            ri::Column::Status,
            Expr::value(ReviewStatus::Resolved.as_str()),
        )
        .col_expr(
            ri::Column::Outcome,
            Expr::value(resolution.outcome.as_str()),
        )
        .col_expr(ri::Column::Note, Expr::value(note))
        .col_expr(ri::Column::ResolvedBy, Expr::value(actor))
        .col_expr(ri::Column::ResolvedAt, Expr::value(now))
        .col_expr(ri::Column::Revision, Expr::value(expected_revision + 1))
        .col_expr(ri::Column::UpdatedAt, Expr::value(now))
        .filter(ri::Column::Id.eq(id))
        .filter(ri::Column::OrganizationId.eq(org.into_uuid()))
        .filter(ri::Column::Revision.eq(expected_revision))
        .filter(ri::Column::Status.eq(ReviewStatus::Open.as_str()))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    find(db, org, id).await
}

/// Removes an entry's items when the entry itself is deleted.
pub async fn delete_for_subject(
    db: &impl ConnectionTrait,
    subject_id: Uuid,
) -> Result<(), DbError> {
    ri::Entity::delete_many()
        .filter(ri::Column::SubjectId.eq(subject_id))
        .exec(db)
        .await?;
    Ok(())
}
