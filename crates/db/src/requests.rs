//! Data-subject requests as stored: the case row (metadata in the clear, the personal part
//! sealed by the caller before it gets here), its history, and the organisation's policy.
//! Nothing in this module sees plaintext personal data.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::pagination::{Limit, paginate};
use vern_domain::requests::{CaseStatus, Channel, Clock, RefusalGround, RequestKind};

use crate::DbError;
use crate::entities::{request as r, request_event as e, request_setting as s};
use crate::reviews::IdCursor;

pub use crate::entities::request::Model as RequestRow;
pub use crate::entities::request_event::Model as RequestEventRow;

/// How long an answer stays readable for the resident unless the organisation says otherwise.
pub const DEFAULT_ANSWER_WINDOW_DAYS: i32 = 30;

/// The organisation's request policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestPolicy {
    pub pause_stops_clock: bool,
    pub answer_window_days: i32,
    pub revision: i32,
}

impl Default for RequestPolicy {
    fn default() -> Self {
        Self {
            pause_stops_clock: true,
            answer_window_days: DEFAULT_ANSWER_WINDOW_DAYS,
            revision: 0,
        }
    }
}

pub async fn policy(
    db: &impl ConnectionTrait,
    org: OrganizationId,
) -> Result<RequestPolicy, DbError> {
    Ok(s::Entity::find_by_id(org.into_uuid())
        .one(db)
        .await?
        .map(|row| RequestPolicy {
            pause_stops_clock: row.pause_stops_clock,
            answer_window_days: row.answer_window_days,
            revision: row.revision,
        })
        .unwrap_or_default())
}

/// Stores the policy if it is still at `expected` revision; `false` when someone else
/// changed it first.
pub async fn set_policy(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    expected: i32,
    pause_stops_clock: bool,
    answer_window_days: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    if expected == 0 {
        let exists = s::Entity::find_by_id(org.into_uuid()).one(db).await?;
        if exists.is_some() {
            return Ok(false);
        }
        s::Entity::insert(s::ActiveModel {
            organization_id: Set(org.into_uuid()),
            pause_stops_clock: Set(pause_stops_clock),
            answer_window_days: Set(answer_window_days),
            updated_at: Set(now),
            revision: Set(1),
        })
        .exec_without_returning(db)
        .await?;
        return Ok(true);
    }
    let result = s::Entity::update_many()
        .col_expr(s::Column::PauseStopsClock, Expr::value(pause_stops_clock))
        .col_expr(s::Column::AnswerWindowDays, Expr::value(answer_window_days))
        .col_expr(s::Column::UpdatedAt, Expr::value(now))
        .col_expr(s::Column::Revision, Expr::value(expected + 1))
        .filter(s::Column::OrganizationId.eq(org.into_uuid()))
        .filter(s::Column::Revision.eq(expected))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub fn kind_of(row: &RequestRow) -> Result<RequestKind, DbError> {
    RequestKind::parse(&row.kind).ok_or(DbError::InvalidRow("requests.kind"))
}

pub fn channel_of(row: &RequestRow) -> Result<Channel, DbError> {
    Channel::parse(&row.channel).ok_or(DbError::InvalidRow("requests.channel"))
}

pub fn status_of(row: &RequestRow) -> Result<CaseStatus, DbError> {
    CaseStatus::parse(&row.status).ok_or(DbError::InvalidRow("requests.status"))
}

pub fn clock_of(row: &RequestRow) -> Result<Clock, DbError> {
    serde_json::from_str(&row.clock).map_err(|_| DbError::InvalidRow("requests.clock"))
}

pub fn refusal_of(row: &RequestRow) -> Result<Option<RefusalGround>, DbError> {
    row.refusal_ground
        .as_deref()
        .map(|g| RefusalGround::parse(g).ok_or(DbError::InvalidRow("requests.refusal_ground")))
        .transpose()
}

fn clock_json(clock: &Clock) -> Result<String, DbError> {
    serde_json::to_string(clock).map_err(|_| DbError::InvalidRow("requests.clock"))
}

/// A request about to be stored; `contents` is already sealed.
#[derive(Debug)]
pub struct NewRequestRow {
    pub organization: OrganizationId,
    pub kind: RequestKind,
    pub channel: Channel,
    pub received_at: DateTime<Utc>,
    pub clock: Clock,
    pub due_on: NaiveDate,
    pub requester_key: Option<String>,
    pub contents: String,
    pub registered_by: Option<Uuid>,
}

/// Stores a request with the next case number of its year. Run it in a write transaction:
/// the number is the year's highest plus one, and the unique index refuses a duplicate.
pub async fn insert(
    db: &impl ConnectionTrait,
    input: NewRequestRow,
    now: DateTime<Utc>,
) -> Result<RequestRow, DbError> {
    use chrono::Datelike;
    let year = input.clock.received.year();
    let last: Option<i32> = r::Entity::find()
        .select_only()
        .column_as(r::Column::Sequence.max(), "max")
        .filter(r::Column::OrganizationId.eq(input.organization.into_uuid()))
        .filter(r::Column::Year.eq(year))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    let row = r::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(input.organization.into_uuid()),
        year: Set(year),
        sequence: Set(last.unwrap_or(0) + 1),
        kind: Set(input.kind.as_str().to_owned()),
        channel: Set(input.channel.as_str().to_owned()),
        status: Set(CaseStatus::Received.as_str().to_owned()),
        received_at: Set(input.received_at),
        received_on: Set(input.clock.received),
        due_on: Set(input.due_on),
        clock: Set(clock_json(&input.clock)?),
        refusal_ground: Set(None),
        assignee_id: Set(None),
        requester_key: Set(input.requester_key),
        contents: Set(Some(input.contents)),
        registered_by: Set(input.registered_by),
        closed_at: Set(None),
        purged_at: Set(None),
        answer_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        revision: Set(1),
    };
    Ok(r::Entity::insert(row).exec_with_returning(db).await?)
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<RequestRow>, DbError> {
    Ok(r::Entity::find_by_id(id).one(db).await?)
}

/// A change of status and clock (and, on closing, the ground and time).
#[derive(Debug)]
pub struct CaseChange<'a> {
    pub status: CaseStatus,
    pub clock: &'a Clock,
    pub due_on: NaiveDate,
    pub refusal_ground: Option<RefusalGround>,
    pub closed_at: Option<DateTime<Utc>>,
    /// On closing: when the resident's window to read the outcome closes.
    pub answer_until: Option<DateTime<Utc>>,
}

/// Stores the change if the row is still at its revision; `false` when someone else changed
/// it first.
pub async fn change(
    db: &impl ConnectionTrait,
    row: &RequestRow,
    change: CaseChange<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let result = r::Entity::update_many()
        .col_expr(r::Column::Status, Expr::value(change.status.as_str()))
        .col_expr(r::Column::Clock, Expr::value(clock_json(change.clock)?))
        .col_expr(r::Column::DueOn, Expr::value(change.due_on))
        .col_expr(
            r::Column::RefusalGround,
            Expr::value(change.refusal_ground.map(|g| g.as_str().to_owned())),
        )
        .col_expr(r::Column::ClosedAt, Expr::value(change.closed_at))
        .col_expr(r::Column::AnswerUntil, Expr::value(change.answer_until))
        .col_expr(r::Column::UpdatedAt, Expr::value(now))
        .col_expr(r::Column::Revision, Expr::value(row.revision + 1))
        .filter(r::Column::Id.eq(row.id))
        .filter(r::Column::Revision.eq(row.revision))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Assigns the case (or leaves it unassigned) if it is still at its revision.
pub async fn assign(
    db: &impl ConnectionTrait,
    row: &RequestRow,
    assignee: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let result = r::Entity::update_many()
        .col_expr(r::Column::AssigneeId, Expr::value(assignee))
        .col_expr(r::Column::UpdatedAt, Expr::value(now))
        .col_expr(r::Column::Revision, Expr::value(row.revision + 1))
        .filter(r::Column::Id.eq(row.id))
        .filter(r::Column::Revision.eq(row.revision))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The keyset cursor of the deadline-ordered list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DueCursor {
    pub due_on: NaiveDate,
    pub id: Uuid,
}

#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    /// Only these statuses (empty: all).
    pub statuses: Vec<CaseStatus>,
    pub kind: Option<RequestKind>,
    pub assignee: Option<Uuid>,
    pub unassigned: bool,
    /// Only requests due before this day (the stored deadline).
    pub due_before: Option<NaiveDate>,
}

/// The organisation's requests, soonest deadline first.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    filter: &RequestFilter,
    limit: Limit,
    cursor: Option<DueCursor>,
) -> Result<(Vec<RequestRow>, Option<String>), DbError> {
    let mut query = r::Entity::find().filter(r::Column::OrganizationId.eq(org.into_uuid()));
    if !filter.statuses.is_empty() {
        query = query.filter(r::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(r::Column::Kind.eq(kind.as_str()));
    }
    if let Some(assignee) = filter.assignee {
        query = query.filter(r::Column::AssigneeId.eq(assignee));
    }
    if filter.unassigned {
        query = query.filter(r::Column::AssigneeId.is_null());
    }
    if let Some(day) = filter.due_before {
        query = query.filter(r::Column::DueOn.lt(day));
    }
    if let Some(c) = cursor {
        query = query.filter(
            sea_orm::Condition::any()
                .add(r::Column::DueOn.gt(c.due_on))
                .add(
                    sea_orm::Condition::all()
                        .add(r::Column::DueOn.eq(c.due_on))
                        .add(r::Column::Id.gt(c.id)),
                ),
        );
    }
    let rows = query
        .order_by_asc(r::Column::DueOn)
        .order_by_asc(r::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    Ok(paginate(rows, limit, |row| DueCursor {
        due_on: row.due_on,
        id: row.id,
    }))
}

/// What the overview needs of an open request: no contents.
#[derive(Debug, Clone)]
pub struct OpenCase {
    pub kind: RequestKind,
    pub clock: Clock,
    pub assigned: bool,
}

/// Every open request of the organisation, as the overview counts them (three columns, not
/// the sealed contents).
pub async fn open_of(
    db: &impl ConnectionTrait,
    org: OrganizationId,
) -> Result<Vec<OpenCase>, DbError> {
    let open: Vec<&str> = CaseStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(CaseStatus::as_str)
        .collect();
    let rows: Vec<(String, String, Option<Uuid>)> = r::Entity::find()
        .select_only()
        .column(r::Column::Kind)
        .column(r::Column::Clock)
        .column(r::Column::AssigneeId)
        .filter(r::Column::OrganizationId.eq(org.into_uuid()))
        .filter(r::Column::Status.is_in(open))
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(kind, clock, assignee)| {
            Ok(OpenCase {
                kind: RequestKind::parse(&kind).ok_or(DbError::InvalidRow("requests.kind"))?,
                clock: serde_json::from_str(&clock)
                    .map_err(|_| DbError::InvalidRow("requests.clock"))?,
                assigned: assignee.is_some(),
            })
        })
        .collect()
}

/// Requests closed since `since`: (the day they were due, when they were closed).
pub async fn closed_since(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    since: DateTime<Utc>,
) -> Result<Vec<(NaiveDate, DateTime<Utc>)>, DbError> {
    let rows: Vec<(NaiveDate, Option<DateTime<Utc>>)> = r::Entity::find()
        .select_only()
        .column(r::Column::DueOn)
        .column(r::Column::ClosedAt)
        .filter(r::Column::OrganizationId.eq(org.into_uuid()))
        .filter(r::Column::ClosedAt.gte(since))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(due, closed)| closed.map(|c| (due, c)))
        .collect())
}

/// Appends to a case's history; `text` is already sealed.
pub async fn add_event(
    db: &impl ConnectionTrait,
    request: Uuid,
    kind: &str,
    actor: Option<Uuid>,
    detail: Option<String>,
    text: Option<String>,
    now: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    let id = Uuid::now_v7();
    e::Entity::insert(e::ActiveModel {
        id: Set(id),
        request_id: Set(request),
        at: Set(now),
        kind: Set(kind.to_owned()),
        actor_id: Set(actor),
        detail: Set(detail),
        text: Set(text),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// A case's history, oldest first.
pub async fn events(
    db: &impl ConnectionTrait,
    request: Uuid,
    limit: Limit,
    cursor: Option<IdCursor>,
) -> Result<(Vec<RequestEventRow>, Option<String>), DbError> {
    let mut query = e::Entity::find().filter(e::Column::RequestId.eq(request));
    if let Some(c) = cursor {
        query = query.filter(e::Column::Id.gt(c.id));
    }
    let rows = query
        .order_by_asc(e::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    Ok(paginate(rows, limit, |row| IdCursor { id: row.id }))
}

/// A resident's requests (found by the keyed hash of their national id), newest first.
pub async fn of_requester(
    db: &impl ConnectionTrait,
    requester_key: &str,
    limit: Limit,
    cursor: Option<IdCursor>,
) -> Result<(Vec<RequestRow>, Option<String>), DbError> {
    let mut query = r::Entity::find().filter(r::Column::RequesterKey.eq(requester_key));
    if let Some(c) = cursor {
        query = query.filter(r::Column::Id.lt(c.id));
    }
    let rows = query
        .order_by_desc(r::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    Ok(paginate(rows, limit, |row| IdCursor { id: row.id }))
}

/// Cases whose window closed before `now` and whose contents are still there, oldest first.
pub async fn due_for_purge(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    max: u64,
) -> Result<Vec<RequestRow>, DbError> {
    Ok(r::Entity::find()
        .filter(r::Column::PurgedAt.is_null())
        .filter(r::Column::AnswerUntil.lt(now))
        .order_by_asc(r::Column::AnswerUntil)
        .limit(max)
        .all(db)
        .await?)
}

/// Removes what a case held about the person — its contents, the texts of its history
/// (replies, reasons, notes) and its systems' results — and keeps the metadata. `false` when
/// it was already purged.
pub async fn purge(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    use crate::entities::request_task as t;
    let result = r::Entity::update_many()
        .col_expr(r::Column::Contents, Expr::value(Option::<String>::None))
        .col_expr(r::Column::PurgedAt, Expr::value(now))
        .col_expr(r::Column::UpdatedAt, Expr::value(now))
        .col_expr(r::Column::Revision, Expr::col(r::Column::Revision).add(1))
        .filter(r::Column::Id.eq(id))
        .filter(r::Column::PurgedAt.is_null())
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(false);
    }
    e::Entity::update_many()
        .col_expr(e::Column::Text, Expr::value(Option::<String>::None))
        .filter(e::Column::RequestId.eq(id))
        .exec(db)
        .await?;
    t::Entity::update_many()
        .col_expr(t::Column::Result, Expr::value(Option::<String>::None))
        .filter(t::Column::RequestId.eq(id))
        .exec(db)
        .await?;
    {
        use crate::entities::request_attachment as a;
        a::Entity::update_many()
            .col_expr(a::Column::FileName, Expr::value(Option::<String>::None))
            .col_expr(a::Column::Content, Expr::value(Option::<String>::None))
            .filter(a::Column::RequestId.eq(id))
            .exec(db)
            .await?;
    }
    Ok(true)
}

/// A case's events of these kinds, oldest first (what the resident is told).
pub async fn events_of_kinds(
    db: &impl ConnectionTrait,
    request: Uuid,
    kinds: &[&str],
) -> Result<Vec<RequestEventRow>, DbError> {
    Ok(e::Entity::find()
        .filter(e::Column::RequestId.eq(request))
        .filter(e::Column::Kind.is_in(kinds.iter().copied()))
        .order_by_asc(e::Column::Id)
        .all(db)
        .await?)
}

pub use crate::entities::request_attachment::Model as AttachmentRow;

/// A file about to be stored; name and content already sealed.
#[derive(Debug)]
pub struct NewAttachment {
    pub request_id: Uuid,
    pub sealed_name: String,
    pub kind: String,
    pub size: i64,
    pub sha256: String,
    pub sealed_content: String,
}

pub async fn add_attachment(
    db: &impl ConnectionTrait,
    input: NewAttachment,
    now: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    use crate::entities::request_attachment as a;
    let id = Uuid::now_v7();
    a::Entity::insert(a::ActiveModel {
        id: Set(id),
        request_id: Set(input.request_id),
        file_name: Set(Some(input.sealed_name)),
        kind: Set(input.kind),
        size: Set(input.size),
        sha256: Set(input.sha256),
        content: Set(Some(input.sealed_content)),
        uploaded_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// A request's files without their content, oldest first.
pub async fn attachments(
    db: &impl ConnectionTrait,
    request: Uuid,
) -> Result<Vec<AttachmentRow>, DbError> {
    use crate::entities::request_attachment as a;
    Ok(a::Entity::find()
        .select_only()
        .column(a::Column::Id)
        .column(a::Column::RequestId)
        .column(a::Column::FileName)
        .column(a::Column::Kind)
        .column(a::Column::Size)
        .column(a::Column::Sha256)
        .column_as(Expr::value(Option::<String>::None), "content")
        .column(a::Column::UploadedAt)
        .filter(a::Column::RequestId.eq(request))
        .order_by_asc(a::Column::Id)
        .into_model::<AttachmentRow>()
        .all(db)
        .await?)
}

/// One of a request's files, with its content.
pub async fn attachment(
    db: &impl ConnectionTrait,
    request: Uuid,
    id: Uuid,
) -> Result<Option<AttachmentRow>, DbError> {
    use crate::entities::request_attachment as a;
    Ok(a::Entity::find_by_id(id)
        .filter(a::Column::RequestId.eq(request))
        .one(db)
        .await?)
}

/// Open cases (any organisation) due on or before `by`: what deadline reminders look at.
pub async fn open_due_by(
    db: &impl ConnectionTrait,
    by: chrono::NaiveDate,
) -> Result<Vec<RequestRow>, DbError> {
    let open: Vec<&str> = CaseStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(CaseStatus::as_str)
        .collect();
    Ok(r::Entity::find()
        .filter(r::Column::Status.is_in(open))
        .filter(r::Column::DueOn.lte(by))
        .order_by_asc(r::Column::DueOn)
        .all(db)
        .await?)
}
