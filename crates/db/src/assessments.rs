//! DPIAs as structured answers, one per processing activity.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::assessment::{AssessmentContent, AssessmentStatus};

use crate::DbError;
use crate::entities::dpia_assessment as d;

pub use crate::entities::dpia_assessment::Model as AssessmentRow;

/// The organisation's DPIA for the activity, if one has been started.
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    activity: Uuid,
) -> Result<Option<AssessmentRow>, DbError> {
    Ok(d::Entity::find_by_id(activity)
        .filter(d::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?)
}

/// What a save stores.
#[derive(Debug, Clone, Copy)]
pub struct Save<'a> {
    pub org: OrganizationId,
    pub activity: Uuid,
    pub content: &'a AssessmentContent,
    pub status: AssessmentStatus,
    pub by: Option<Uuid>,
    pub copied_from: Option<Uuid>,
}

fn content_json(content: &AssessmentContent) -> Result<String, DbError> {
    serde_json::to_string(content).map_err(|_| DbError::InvalidRow("dpia_assessments.content"))
}

/// Starts the activity's DPIA at revision 1.
pub async fn insert(
    db: &impl ConnectionTrait,
    save: Save<'_>,
    now: DateTime<Utc>,
) -> Result<AssessmentRow, DbError> {
    let row = d::ActiveModel {
        activity_id: Set(save.activity),
        organization_id: Set(save.org.into_uuid()),
        content: Set(content_json(save.content)?),
        status: Set(save.status.as_str().to_owned()),
        revision: Set(1),
        updated_by: Set(save.by),
        updated_at: Set(now),
        completed_at: Set((save.status == AssessmentStatus::Completed).then_some(now)),
        copied_from_template: Set(save.copied_from),
    };
    Ok(d::Entity::insert(row).exec_with_returning(db).await?)
}

/// Replaces the DPIA if it is still at `expected` revision; `None` if someone saved first.
pub async fn update(
    db: &impl ConnectionTrait,
    save: Save<'_>,
    expected: i32,
    now: DateTime<Utc>,
) -> Result<Option<AssessmentRow>, DbError> {
    let completed = (save.status == AssessmentStatus::Completed).then_some(now);
    let done = d::Entity::update_many()
        .col_expr(d::Column::Content, Expr::value(content_json(save.content)?))
        .col_expr(d::Column::Status, Expr::value(save.status.as_str()))
        .col_expr(d::Column::Revision, Expr::value(expected + 1))
        .col_expr(d::Column::UpdatedBy, Expr::value(save.by))
        .col_expr(d::Column::UpdatedAt, Expr::value(now))
        .col_expr(d::Column::CompletedAt, Expr::value(completed))
        .filter(d::Column::ActivityId.eq(save.activity))
        .filter(d::Column::Revision.eq(expected))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Ok(None);
    }
    Ok(d::Entity::find_by_id(save.activity).one(db).await?)
}

pub fn content_of(row: &AssessmentRow) -> Result<AssessmentContent, DbError> {
    serde_json::from_str(&row.content).map_err(|_| DbError::InvalidRow("dpia_assessments.content"))
}

pub fn status_of(row: &AssessmentRow) -> Result<AssessmentStatus, DbError> {
    AssessmentStatus::parse(&row.status).ok_or(DbError::InvalidRow("dpia_assessments.status"))
}
