//! DPIA screenings: stored with the activity's new DPIA status in one transaction.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::dpia::{Screening, ScreeningAnswers};
use vern_domain::pagination::{Limit, paginate};
use vern_domain::register::activity::DpiaStatus;

use crate::DbError;
use crate::entities::{dpia_screening as d, processing_activity as pa};
use crate::reviews::IdCursor;

pub use crate::entities::dpia_screening::Model as ScreeningRow;

/// Stores a screening and sets the activity's DPIA status (in its column and its facts);
/// the activity's revision moves on. `None` when the activity is not the organisation's.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    activity: Uuid,
    answers: &ScreeningAnswers,
    result: &Screening,
    status: DpiaStatus,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Option<ScreeningRow>, DbError> {
    if !set_activity_status(db, org, activity, status, now).await? {
        return Ok(None);
    }
    let screening = d::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.into_uuid()),
        activity_id: Set(activity),
        answers: Set(serde_json::to_string(answers)
            .map_err(|_| DbError::InvalidRow("dpia_screenings.answers"))?),
        result: Set(serde_json::to_string(result)
            .map_err(|_| DbError::InvalidRow("dpia_screenings.result"))?),
        dpia_required: Set(result.dpia_required),
        screened_by: Set(by),
        screened_at: Set(now),
    };
    Ok(Some(
        d::Entity::insert(screening).exec_with_returning(db).await?,
    ))
}

/// Sets an activity's DPIA status (in its column and its facts); the activity's revision
/// moves on. `false` when the activity is not the organisation's.
pub async fn set_activity_status(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    activity: Uuid,
    status: DpiaStatus,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let Some(row) = pa::Entity::find_by_id(activity)
        .filter(pa::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let mut facts: serde_json::Value = serde_json::from_str(&row.facts)
        .map_err(|_| DbError::InvalidRow("processing_activities.facts"))?;
    facts["dpia"] = serde_json::Value::String(status.as_str().to_owned());
    pa::Entity::update_many()
        .col_expr(pa::Column::Dpia, Expr::value(status.as_str()))
        .col_expr(pa::Column::Facts, Expr::value(facts.to_string()))
        .col_expr(pa::Column::Revision, Expr::value(row.revision + 1))
        .col_expr(pa::Column::UpdatedAt, Expr::value(now))
        .filter(pa::Column::Id.eq(activity))
        .exec(db)
        .await?;
    Ok(true)
}

/// An activity's screenings, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    activity: Uuid,
    limit: Limit,
    cursor: Option<IdCursor>,
) -> Result<(Vec<ScreeningRow>, Option<String>), DbError> {
    let mut query = d::Entity::find().filter(d::Column::ActivityId.eq(activity));
    if let Some(c) = cursor {
        query = query.filter(d::Column::Id.lt(c.id));
    }
    let rows = query
        .order_by_desc(d::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    Ok(paginate(rows, limit, |r| IdCursor { id: r.id }))
}

pub fn answers_of(row: &ScreeningRow) -> Result<ScreeningAnswers, DbError> {
    serde_json::from_str(&row.answers).map_err(|_| DbError::InvalidRow("dpia_screenings.answers"))
}

pub fn result_of(row: &ScreeningRow) -> Result<Screening, DbError> {
    serde_json::from_str(&row.result).map_err(|_| DbError::InvalidRow("dpia_screenings.result"))
}
