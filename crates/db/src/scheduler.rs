//! The scheduler's claim on a job: a compare-and-set on the job's due time, so that of any
//! number of instances exactly one takes each slot, and a log of the runs.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;
use vern_domain::scheduler::next_due;

use crate::DbError;
use crate::entities::{job_run as r, scheduled_job as j};

pub use crate::entities::job_run::Model as JobRunRow;

/// Registers the job (due at `first_due`) unless it is there already.
pub async fn ensure(
    db: &impl ConnectionTrait,
    job: &str,
    first_due: DateTime<Utc>,
) -> Result<(), DbError> {
    let row = j::ActiveModel {
        name: Set(job.to_owned()),
        due_at: Set(first_due),
        locked_by: Set(None),
        locked_until: Set(None),
        last_run_at: Set(None),
        last_outcome: Set(None),
    };
    j::Entity::insert(row)
        .on_conflict(OnConflict::column(j::Column::Name).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Claims the job's due slot for `instance`: moves the due time to the next slot and holds
/// the job for `lease`, only if the due time is still the one read and no live lease is held.
/// The winner logs the run and gets its id; every other instance gets `None`.
pub async fn claim(
    db: &impl ConnectionTrait,
    job: &str,
    instance: &str,
    interval: Duration,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, DbError> {
    let Some(current) = j::Entity::find_by_id(job.to_owned()).one(db).await? else {
        return Ok(None);
    };
    if current.due_at > now || current.locked_until.is_some_and(|t| t > now) {
        return Ok(None);
    }
    let done = j::Entity::update_many()
        .col_expr(
            j::Column::DueAt,
            Expr::value(next_due(current.due_at, interval, now)),
        )
        .col_expr(j::Column::LockedBy, Expr::value(instance))
        .col_expr(j::Column::LockedUntil, Expr::value(now + lease))
        .filter(j::Column::Name.eq(job))
        .filter(j::Column::DueAt.eq(current.due_at))
        .filter(
            sea_orm::Condition::any()
                .add(j::Column::LockedUntil.is_null())
                .add(j::Column::LockedUntil.lte(now)),
        )
        .exec(db)
        .await?;
    if done.rows_affected != 1 {
        return Ok(None);
    }
    let run = r::ActiveModel {
        id: Set(Uuid::now_v7()),
        job: Set(job.to_owned()),
        slot: Set(current.due_at),
        instance: Set(instance.to_owned()),
        started_at: Set(now),
        finished_at: Set(None),
        outcome: Set(None),
    };
    Ok(Some(
        r::Entity::insert(run).exec_with_returning(db).await?.id,
    ))
}

/// Records how a run ended and lets go of the job.
pub async fn finish(
    db: &impl ConnectionTrait,
    run: Uuid,
    job: &str,
    instance: &str,
    outcome: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    r::Entity::update_many()
        .col_expr(r::Column::FinishedAt, Expr::value(now))
        .col_expr(r::Column::Outcome, Expr::value(outcome))
        .filter(r::Column::Id.eq(run))
        .exec(db)
        .await?;
    j::Entity::update_many()
        .col_expr(j::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            j::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(j::Column::LastRunAt, Expr::value(now))
        .col_expr(j::Column::LastOutcome, Expr::value(outcome))
        .filter(j::Column::Name.eq(job))
        .filter(j::Column::LockedBy.eq(instance))
        .exec(db)
        .await?;
    Ok(())
}

/// The runs of a job, oldest slot first.
pub async fn runs(db: &impl ConnectionTrait, job: &str) -> Result<Vec<JobRunRow>, DbError> {
    Ok(r::Entity::find()
        .filter(r::Column::Job.eq(job))
        .order_by_asc(r::Column::Slot)
        .order_by_asc(r::Column::Id)
        .all(db)
        .await?)
}
