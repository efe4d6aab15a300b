//! Routing requests to systems as stored: connectors (endpoint, sealed secret), tasks (their
//! state in the clear, their result sealed by the caller), and the delivery ids of callbacks
//! already taken. Nothing here sees plaintext personal data.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::connector::TaskOutcome;
use vern_domain::pagination::{Limit, paginate};
use vern_domain::requests::task::{ManualReason, TaskMode, TaskState, TaskStatus};

use crate::DbError;
use crate::entities::{
    connector_delivery as d, request_task as t, system_connector as c, system_owner,
};
use crate::reviews::IdCursor;

pub use crate::entities::request_task::Model as TaskRow;
pub use crate::entities::system_connector::Model as ConnectorRow;

pub async fn connector(
    db: &impl ConnectionTrait,
    system: Uuid,
) -> Result<Option<ConnectorRow>, DbError> {
    Ok(c::Entity::find_by_id(system).one(db).await?)
}

/// The organisation's connectors.
pub async fn connectors_of(
    db: &impl ConnectionTrait,
    org: OrganizationId,
) -> Result<Vec<ConnectorRow>, DbError> {
    Ok(c::Entity::find()
        .filter(c::Column::OrganizationId.eq(org.into_uuid()))
        .all(db)
        .await?)
}

/// Sets up or replaces a system's connector; `secret` is already sealed.
pub async fn set_connector(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    system: Uuid,
    endpoint: &str,
    secret: Option<String>,
    now: DateTime<Utc>,
) -> Result<ConnectorRow, DbError> {
    match connector(db, system).await? {
        Some(existing) => {
            let mut update = c::Entity::update_many()
                .col_expr(c::Column::Endpoint, Expr::value(endpoint))
                .col_expr(c::Column::UpdatedAt, Expr::value(now))
                .col_expr(c::Column::Revision, Expr::value(existing.revision + 1));
            if let Some(secret) = secret {
                update = update.col_expr(c::Column::Secret, Expr::value(secret));
            }
            update
                .filter(c::Column::SystemId.eq(system))
                .exec(db)
                .await?;
        }
        None => {
            let secret = secret.ok_or(DbError::InvalidRow("system_connectors.secret"))?;
            c::Entity::insert(c::ActiveModel {
                system_id: Set(system),
                organization_id: Set(org.into_uuid()),
                endpoint: Set(endpoint.to_owned()),
                secret: Set(secret),
                created_at: Set(now),
                updated_at: Set(now),
                revision: Set(1),
            })
            .exec_without_returning(db)
            .await?;
        }
    }
    connector(db, system)
        .await?
        .ok_or(DbError::InvalidRow("system_connectors"))
}

pub async fn remove_connector(db: &impl ConnectionTrait, system: Uuid) -> Result<bool, DbError> {
    let result = c::Entity::delete_by_id(system).exec(db).await?;
    Ok(result.rows_affected == 1)
}

pub fn state_of(row: &TaskRow) -> Result<TaskState, DbError> {
    Ok(TaskState {
        status: TaskStatus::parse(&row.status)
            .ok_or(DbError::InvalidRow("request_tasks.status"))?,
        reason: row
            .manual_reason
            .as_deref()
            .map(|r| {
                ManualReason::parse(r).ok_or(DbError::InvalidRow("request_tasks.manual_reason"))
            })
            .transpose()?,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        outcome: row
            .outcome
            .as_deref()
            .map(|o| TaskOutcome::parse(o).ok_or(DbError::InvalidRow("request_tasks.outcome")))
            .transpose()?,
    })
}

pub fn mode_of(row: &TaskRow) -> TaskMode {
    if row.mode == "automatic" {
        TaskMode::Automatic
    } else {
        TaskMode::Manual
    }
}

/// A task about to be stored.
#[derive(Debug, Clone)]
pub struct NewTaskRow {
    pub request: Uuid,
    pub organization: OrganizationId,
    pub system: Uuid,
    pub state: TaskState,
    pub respond_by: NaiveDate,
}

pub async fn insert_tasks(
    db: &impl ConnectionTrait,
    tasks: &[NewTaskRow],
    now: DateTime<Utc>,
) -> Result<Vec<TaskRow>, DbError> {
    let mut out = Vec::with_capacity(tasks.len());
    for task in tasks {
        let automatic = task.state.status == TaskStatus::Queued;
        let row = t::ActiveModel {
            id: Set(Uuid::now_v7()),
            request_id: Set(task.request),
            organization_id: Set(task.organization.into_uuid()),
            system_id: Set(task.system),
            mode: Set(if automatic { "automatic" } else { "manual" }.to_owned()),
            status: Set(task.state.status.as_str().to_owned()),
            manual_reason: Set(task.state.reason.map(|r| r.as_str().to_owned())),
            outcome: Set(None),
            attempts: Set(0),
            next_attempt_at: Set(automatic.then_some(now)),
            respond_by: Set(task.respond_by),
            sent_at: Set(None),
            completed_at: Set(None),
            completed_by: Set(None),
            last_error: Set(None),
            result: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            revision: Set(1),
        };
        out.push(t::Entity::insert(row).exec_with_returning(db).await?);
    }
    Ok(out)
}

pub async fn find_task(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<TaskRow>, DbError> {
    Ok(t::Entity::find_by_id(id).one(db).await?)
}

/// A request's tasks, in the order they were made.
pub async fn tasks_of(db: &impl ConnectionTrait, request: Uuid) -> Result<Vec<TaskRow>, DbError> {
    Ok(t::Entity::find()
        .filter(t::Column::RequestId.eq(request))
        .order_by_asc(t::Column::Id)
        .all(db)
        .await?)
}

/// A change to a task. `None` fields are left as they are.
#[derive(Debug, Default)]
pub struct TaskChange {
    pub state: Option<TaskState>,
    /// `Some(None)` clears it.
    pub next_attempt_at: Option<Option<DateTime<Utc>>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub completed_by: Option<Uuid>,
    /// `Some(None)` clears it.
    pub last_error: Option<Option<String>>,
    /// Sealed.
    pub result: Option<String>,
}

/// Stores the change if the task is still at its revision; `false` when something else
/// changed it first.
pub async fn change_task(
    db: &impl ConnectionTrait,
    row: &TaskRow,
    change: TaskChange,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut update = t::Entity::update_many()
        .col_expr(t::Column::UpdatedAt, Expr::value(now))
        .col_expr(t::Column::Revision, Expr::value(row.revision + 1));
    if let Some(state) = change.state {
        update = update
            .col_expr(t::Column::Status, Expr::value(state.status.as_str()))
            .col_expr(
                t::Column::ManualReason,
                Expr::value(state.reason.map(|r| r.as_str().to_owned())),
            )
            .col_expr(
                t::Column::Outcome,
                Expr::value(state.outcome.map(|o| o.as_str().to_owned())),
            )
            .col_expr(
                t::Column::Attempts,
                Expr::value(i32::try_from(state.attempts).unwrap_or(i32::MAX)),
            );
    }
    if let Some(at) = change.next_attempt_at {
        update = update.col_expr(t::Column::NextAttemptAt, Expr::value(at));
    }
    if let Some(at) = change.sent_at {
        update = update.col_expr(t::Column::SentAt, Expr::value(at));
    }
    if let Some(at) = change.completed_at {
        update = update.col_expr(t::Column::CompletedAt, Expr::value(at));
    }
    if let Some(by) = change.completed_by {
        update = update.col_expr(t::Column::CompletedBy, Expr::value(by));
    }
    if let Some(error) = change.last_error {
        update = update.col_expr(t::Column::LastError, Expr::value(error));
    }
    if let Some(result) = change.result {
        update = update.col_expr(t::Column::Result, Expr::value(result));
    }
    let result = update
        .filter(t::Column::Id.eq(row.id))
        .filter(t::Column::Revision.eq(row.revision))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Queued tasks whose next attempt is due (the sender picks these up after a restart).
pub async fn due_for_sending(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<TaskRow>, DbError> {
    Ok(t::Entity::find()
        .filter(t::Column::Status.eq(TaskStatus::Queued.as_str()))
        .filter(t::Column::NextAttemptAt.lte(now))
        .order_by_asc(t::Column::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// Takes a callback's delivery id; `false` when it was taken before (a replay).
pub async fn remember_delivery(
    db: &impl ConnectionTrait,
    delivery: Uuid,
    task: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let inserted = d::Entity::insert(d::ActiveModel {
        delivery_id: Set(delivery),
        task_id: Set(task),
        received_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(d::Column::DeliveryId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// Forgets delivery ids older than `before`: a callback that old fails the timestamp check
/// anyway.
pub async fn forget_deliveries(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<u64, DbError> {
    Ok(d::Entity::delete_many()
        .filter(d::Column::ReceivedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

/// The systems a user owns among the organisation's.
pub async fn owned_systems(db: &impl ConnectionTrait, user: Uuid) -> Result<Vec<Uuid>, DbError> {
    Ok(system_owner::Entity::find()
        .select_only()
        .column(system_owner::Column::SystemId)
        .filter(system_owner::Column::UserId.eq(user))
        .into_tuple()
        .all(db)
        .await?)
}

/// Manual tasks (or, with `open_only == false`, all tasks) of these systems, newest first.
pub async fn tasks_of_systems(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    systems: &[Uuid],
    open_only: bool,
    limit: Limit,
    cursor: Option<IdCursor>,
) -> Result<(Vec<TaskRow>, Option<String>), DbError> {
    if systems.is_empty() {
        return Ok((Vec::new(), None));
    }
    let mut query = t::Entity::find()
        .filter(t::Column::OrganizationId.eq(org.into_uuid()))
        .filter(t::Column::SystemId.is_in(systems.to_vec()));
    if open_only {
        query = query.filter(t::Column::Status.eq(TaskStatus::Manual.as_str()));
    } else {
        query = query.filter(
            t::Column::Mode
                .eq("manual")
                .or(t::Column::ManualReason.is_not_null()),
        );
    }
    if let Some(c) = cursor {
        query = query.filter(t::Column::Id.lt(c.id));
    }
    let rows = query
        .order_by_desc(t::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    Ok(paginate(rows, limit, |row| IdCursor { id: row.id }))
}

/// Cancels a request's open tasks (the case closed); returns how many.
pub async fn cancel_open(
    db: &impl ConnectionTrait,
    request: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let open: Vec<&str> = TaskStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(TaskStatus::as_str)
        .collect();
    Ok(t::Entity::update_many()
        .col_expr(
            t::Column::Status,
            Expr::value(TaskStatus::Cancelled.as_str()),
        )
        .col_expr(
            t::Column::NextAttemptAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(t::Column::UpdatedAt, Expr::value(now))
        .col_expr(t::Column::Revision, Expr::col(t::Column::Revision).add(1))
        .filter(t::Column::RequestId.eq(request))
        .filter(t::Column::Status.is_in(open))
        .exec(db)
        .await?
        .rows_affected)
}

/// The names of these systems (of any organisation: callers pass ids they hold).
pub async fn system_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, DbError> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(Uuid, String)> = crate::entities::system::Entity::find()
        .select_only()
        .column(crate::entities::system::Column::Id)
        .column(crate::entities::system::Column::Name)
        .filter(crate::entities::system::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The facts of every processing activity of the organisation.
pub async fn activity_facts_of(
    db: &impl ConnectionTrait,
    org: OrganizationId,
) -> Result<Vec<vern_domain::register::activity::ActivityFacts>, DbError> {
    use crate::entities::processing_activity as pa;
    let rows: Vec<(String,)> = pa::Entity::find()
        .select_only()
        .column(pa::Column::Facts)
        .filter(pa::Column::OrganizationId.eq(org.into_uuid()))
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(facts,)| {
            serde_json::from_str(&facts)
                .map_err(|_| DbError::InvalidRow("processing_activities.facts"))
        })
        .collect()
}

/// Every processing activity of the organisation as routing needs it: name, data subject
/// categories, systems.
pub async fn activities_for_routing(
    db: &impl ConnectionTrait,
    org: OrganizationId,
) -> Result<Vec<vern_domain::requests::task::RouteActivity>, DbError> {
    Ok(activity_facts_of(db, org)
        .await?
        .into_iter()
        .map(|facts| vern_domain::requests::task::RouteActivity {
            name: facts.name,
            data_subjects: facts.data_subjects,
            system_ids: facts.system_ids,
        })
        .collect())
}

/// The organisation's open tasks as the overview counts them: system, whether it is with its
/// owner by hand, and the day it was to be answered by.
pub async fn open_tasks_of(
    db: &impl ConnectionTrait,
    org: OrganizationId,
) -> Result<Vec<(Uuid, bool, NaiveDate)>, DbError> {
    let open: Vec<&str> = TaskStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(TaskStatus::as_str)
        .collect();
    let rows: Vec<(Uuid, String, NaiveDate)> = t::Entity::find()
        .select_only()
        .column(t::Column::SystemId)
        .column(t::Column::Status)
        .column(t::Column::RespondBy)
        .filter(t::Column::OrganizationId.eq(org.into_uuid()))
        .filter(t::Column::Status.is_in(open))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(system, status, by)| (system, status == TaskStatus::Manual.as_str(), by))
        .collect())
}
