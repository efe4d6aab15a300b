//! Processing activities' storage, with the systems each one uses as a link table (so that
//! "which activities use this system" is an indexed lookup). Updates are optimistic, as in
//! the rest of the register.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::pagination::{Limit, paginate};
use vern_domain::register::activity::{
    Activity, ActivityFacts, ActivityStatus, DpiaStatus, has_special_categories_in,
};
use vern_domain::register::vocabulary::Vocabulary;
use vern_domain::sort_key::sort_key;

use crate::DbError;
use crate::entities::{activity_system, processing_activity as pa, system};
use crate::register::{NameCursor, after, contains_pattern, json};

fn to_activity(row: pa::Model) -> Result<Activity, DbError> {
    Ok(Activity {
        facts: serde_json::from_str(&row.facts)
            .map_err(|_| DbError::InvalidRow("processing_activities.facts"))?,
        id: row.id,
        organization_id: OrganizationId::from_uuid(row.organization_id),
        revision: row.revision,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Which of `ids` are systems of `org` — the rest are not the caller's to link.
pub async fn foreign_systems(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let own: Vec<Uuid> = system::Entity::find()
        .select_only()
        .column(system::Column::Id)
        .filter(system::Column::OrganizationId.eq(org.into_uuid()))
        .filter(system::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.iter().filter(|id| !own.contains(id)).copied().collect())
}

async fn link_systems(
    db: &impl ConnectionTrait,
    activity: Uuid,
    systems: &[Uuid],
) -> Result<(), DbError> {
    activity_system::Entity::delete_many()
        .filter(activity_system::Column::ActivityId.eq(activity))
        .exec(db)
        .await?;
    if systems.is_empty() {
        return Ok(());
    }
    activity_system::Entity::insert_many(systems.iter().map(|s| activity_system::ActiveModel {
        activity_id: Set(activity),
        system_id: Set(*s),
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Stores a checked activity as revision 1, with its system links. `vocabulary` is the
/// organisation's, to tell its own special categories.
pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    facts: &ActivityFacts,
    vocabulary: &Vocabulary,
    now: DateTime<Utc>,
) -> Result<Activity, DbError> {
    let row = pa::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.into_uuid()),
        name: Set(facts.name.clone()),
        sort_key: Set(sort_key(&facts.name)),
        status: Set(facts.status.as_str().to_owned()),
        review_date: Set(facts.review_date),
        published: Set(facts.published),
        special: Set(has_special_categories_in(facts, vocabulary)),
        dpia: Set(facts.dpia.as_str().to_owned()),
        facts: Set(json(facts)?),
        revision: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let row = pa::Entity::insert(row).exec_with_returning(db).await?;
    link_systems(db, row.id, &facts.system_ids).await?;
    to_activity(row)
}

/// The organisation's activity with this id.
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
) -> Result<Option<Activity>, DbError> {
    pa::Entity::find_by_id(id)
        .filter(pa::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?
        .map(to_activity)
        .transpose()
}

/// Replaces the facts if the stored revision is still `expected_revision`; `None` if not.
pub async fn update(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
    expected_revision: i32,
    facts: &ActivityFacts,
    vocabulary: &Vocabulary,
    now: DateTime<Utc>,
) -> Result<Option<Activity>, DbError> {
    let result = pa::Entity::update_many()
        .col_expr(pa::Column::Name, Expr::value(facts.name.clone()))
        .col_expr(pa::Column::SortKey, Expr::value(sort_key(&facts.name)))
        .col_expr(pa::Column::Status, Expr::value(facts.status.as_str()))
        .col_expr(pa::Column::ReviewDate, Expr::value(facts.review_date))
        .col_expr(pa::Column::Published, Expr::value(facts.published))
        .col_expr(
            pa::Column::Special,
            Expr::value(has_special_categories_in(facts, vocabulary)),
        )
        .col_expr(pa::Column::Dpia, Expr::value(facts.dpia.as_str()))
        .col_expr(pa::Column::Facts, Expr::value(json(facts)?))
        .col_expr(pa::Column::Revision, Expr::value(expected_revision + 1))
        .col_expr(pa::Column::UpdatedAt, Expr::value(now))
        .filter(pa::Column::Id.eq(id))
        .filter(pa::Column::OrganizationId.eq(org.into_uuid()))
        .filter(pa::Column::Revision.eq(expected_revision))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    link_systems(db, id, &facts.system_ids).await?;
    find(db, org, id).await
}

/// Deletes a draft (with its links).
pub async fn delete(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
) -> Result<bool, DbError> {
    if find(db, org, id).await?.is_none() {
        return Ok(false);
    }
    link_systems(db, id, &[]).await?;
    let result = pa::Entity::delete_many()
        .filter(pa::Column::Id.eq(id))
        .filter(pa::Column::OrganizationId.eq(org.into_uuid()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Removes a system from every activity's links (when a planned system is deleted); the
/// activities' facts are rewritten without it.
pub async fn unlink_system(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    system_id: Uuid,
) -> Result<(), DbError> {
    let activity_ids: Vec<Uuid> = activity_system::Entity::find()
        .select_only()
        .column(activity_system::Column::ActivityId)
        .filter(activity_system::Column::SystemId.eq(system_id))
        .into_tuple()
        .all(db)
        .await?;
    for id in activity_ids {
        if let Some(mut a) = find(db, org, id).await? {
            a.facts.system_ids.retain(|s| *s != system_id);
            // A new revision: an editor holding the old one is told someone changed it.
            pa::Entity::update_many()
                .col_expr(pa::Column::Facts, Expr::value(json(&a.facts)?))
                .col_expr(pa::Column::Revision, Expr::value(a.revision + 1))
                .filter(pa::Column::Id.eq(id))
                .exec(db)
                .await?;
        }
    }
    activity_system::Entity::delete_many()
        .filter(activity_system::Column::SystemId.eq(system_id))
        .exec(db)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub q: Option<String>,
    pub status: Option<ActivityStatus>,
    pub system: Option<Uuid>,
    /// Only activities with Art. 9 / Art. 10 data.
    pub special: Option<bool>,
    pub published: Option<bool>,
    pub dpia: Option<DpiaStatus>,
    /// Only entries whose review date is before this day (and not discontinued).
    pub review_before: Option<NaiveDate>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    filter: &ActivityFilter,
    limit: Limit,
    cursor: Option<NameCursor>,
) -> Result<(Vec<Activity>, Option<String>), DbError> {
    let mut query = pa::Entity::find().filter(pa::Column::OrganizationId.eq(org.into_uuid()));
    if let Some(q) = filter.q.as_deref().map(sort_key).filter(|q| !q.is_empty()) {
        query = query.filter(Expr::col(pa::Column::SortKey).like(contains_pattern(&q)));
    }
    if let Some(status) = filter.status {
        query = query.filter(pa::Column::Status.eq(status.as_str()));
    }
    if let Some(special) = filter.special {
        query = query.filter(pa::Column::Special.eq(special));
    }
    if let Some(published) = filter.published {
        query = query.filter(pa::Column::Published.eq(published));
    }
    if let Some(dpia) = filter.dpia {
        query = query.filter(pa::Column::Dpia.eq(dpia.as_str()));
    }
    if let Some(system) = filter.system {
        query = query.filter(
            pa::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(activity_system::Column::ActivityId)
                    .from(activity_system::Entity)
                    .and_where(Expr::col(activity_system::Column::SystemId).eq(system))
                    .to_owned(),
            ),
        );
    }
    if let Some(day) = filter.review_before {
        query = query
            .filter(pa::Column::ReviewDate.lt(day))
            .filter(pa::Column::Status.ne("discontinued"));
    }
    if let Some(cursor) = cursor {
        query = query.filter(after(pa::Column::SortKey, pa::Column::Id, cursor));
    }
    let rows = query
        .order_by_asc(pa::Column::SortKey)
        .order_by_asc(pa::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next) = paginate(rows, limit, |r| NameCursor {
        sort_key: r.sort_key.clone(),
        id: r.id,
    });
    let items = rows
        .into_iter()
        .map(to_activity)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, next))
}
