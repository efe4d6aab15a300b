//! What the reminders job finds due in the register and in access: review dates of
//! processing activities and systems, and role grants due for recertification.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::DbError;
use crate::entities::{processing_activity as pa, role_grant, system};

/// A register entry whose review date has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewDue {
    pub organization_id: Uuid,
    pub id: Uuid,
    pub name: String,
    pub review_date: NaiveDate,
}

/// Processing activities (not discontinued) and systems (not retired) whose review date is
/// on or before `by`.
pub async fn reviews_due(
    db: &impl ConnectionTrait,
    by: NaiveDate,
) -> Result<Vec<ReviewDue>, DbError> {
    let mut out: Vec<ReviewDue> = pa::Entity::find()
        .filter(pa::Column::ReviewDate.lte(by))
        .filter(pa::Column::Status.ne("discontinued"))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            r.review_date.map(|d| ReviewDue {
                organization_id: r.organization_id,
                id: r.id,
                name: r.name,
                review_date: d,
            })
        })
        .collect();
    out.extend(
        system::Entity::find()
            .filter(system::Column::ReviewDate.lte(by))
            .filter(system::Column::Status.ne("retired"))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|r| {
                r.review_date.map(|d| ReviewDue {
                    organization_id: r.organization_id,
                    id: r.id,
                    name: r.name,
                    review_date: d,
                })
            }),
    );
    Ok(out)
}

/// Per organisation, the earliest recertification date of its active grants due on or
/// before `by`.
pub async fn access_reviews_due(
    db: &impl ConnectionTrait,
    by: DateTime<Utc>,
) -> Result<Vec<(Uuid, DateTime<Utc>)>, DbError> {
    let rows = role_grant::Entity::find()
        .filter(role_grant::Column::State.eq("active"))
        .filter(role_grant::Column::ReviewDue.lte(by))
        .all(db)
        .await?;
    let mut earliest: std::collections::HashMap<Uuid, DateTime<Utc>> =
        std::collections::HashMap::new();
    for r in rows {
        if let Some(due) = r.review_due {
            earliest
                .entry(r.organization_id)
                .and_modify(|e| *e = (*e).min(due))
                .or_insert(due);
        }
    }
    Ok(earliest.into_iter().collect())
}
