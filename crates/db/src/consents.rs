//! Consent records. The parties are sealed by the caller before they get here; a person's
//! consents are found by the keyed hash of their national identity number.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::consents::{ConsentChannel, ConsentGiver, ConsentStatus, status_on};
use vern_domain::pagination::{Limit, paginate};

use crate::DbError;
use crate::entities::{consent as c, processing_activity as pa};
use crate::reviews::IdCursor;

pub use crate::entities::consent::Model as ConsentRow;

/// At most this many consents are answered for one person.
pub const MAX_PER_PERSON: u64 = 500;

/// A consent about to be stored; `parties` is already sealed.
#[derive(Debug, Clone)]
pub struct NewConsentRow {
    pub organization: OrganizationId,
    pub activity_id: Uuid,
    pub subject_key: String,
    pub guardian_key: Option<String>,
    pub parties: String,
    pub given_by: ConsentGiver,
    pub given_at: DateTime<Utc>,
    pub channel: ConsentChannel,
    pub statement: String,
    pub renewal_due_on: Option<NaiveDate>,
    pub recorded_by: Option<Uuid>,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    input: NewConsentRow,
    now: DateTime<Utc>,
) -> Result<ConsentRow, DbError> {
    let row = c::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(input.organization.into_uuid()),
        activity_id: Set(input.activity_id),
        subject_key: Set(input.subject_key),
        guardian_key: Set(input.guardian_key),
        parties: Set(input.parties),
        given_by: Set(input.given_by.as_str().to_owned()),
        given_at: Set(input.given_at),
        channel: Set(input.channel.as_str().to_owned()),
        statement: Set(input.statement),
        renewal_due_on: Set(input.renewal_due_on),
        withdrawn_at: Set(None),
        withdrawal_channel: Set(None),
        withdrawn_by: Set(None),
        withdrawal_recorded_by: Set(None),
        recorded_by: Set(input.recorded_by),
        recorded_at: Set(now),
    };
    Ok(c::Entity::insert(row).exec_with_returning(db).await?)
}

/// The organisation's consent with this id.
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
) -> Result<Option<ConsentRow>, DbError> {
    Ok(c::Entity::find_by_id(id)
        .filter(c::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?)
}

/// A consent by id in any organisation (the resident portal checks it is theirs).
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ConsentRow>, DbError> {
    Ok(c::Entity::find_by_id(id).one(db).await?)
}

/// What a list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ConsentFilter {
    pub activity: Option<Uuid>,
    pub status: Option<ConsentStatus>,
}

fn status_condition(status: ConsentStatus, today: NaiveDate) -> Condition {
    match status {
        ConsentStatus::Withdrawn => Condition::all().add(c::Column::WithdrawnAt.is_not_null()),
        ConsentStatus::RenewalDue => Condition::all()
            .add(c::Column::WithdrawnAt.is_null())
            .add(c::Column::RenewalDueOn.lte(today)),
        ConsentStatus::Active => Condition::all().add(c::Column::WithdrawnAt.is_null()).add(
            Condition::any()
                .add(c::Column::RenewalDueOn.is_null())
                .add(c::Column::RenewalDueOn.gt(today)),
        ),
    }
}

/// The organisation's consents, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    filter: &ConsentFilter,
    today: NaiveDate,
    limit: Limit,
    cursor: Option<IdCursor>,
) -> Result<(Vec<ConsentRow>, Option<String>), DbError> {
    let mut query = c::Entity::find().filter(c::Column::OrganizationId.eq(org.into_uuid()));
    if let Some(activity) = filter.activity {
        query = query.filter(c::Column::ActivityId.eq(activity));
    }
    if let Some(status) = filter.status {
        query = query.filter(status_condition(status, today));
    }
    if let Some(cursor) = cursor {
        query = query.filter(c::Column::Id.lt(cursor.id));
    }
    let rows = query
        .order_by_desc(c::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    Ok(paginate(rows, limit, |r| IdCursor { id: r.id }))
}

/// A person's consents in the organisation — as the subject or as the guardian who gave
/// them — newest first.
pub async fn by_person(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    key: &str,
    activity: Option<Uuid>,
) -> Result<Vec<ConsentRow>, DbError> {
    let mut query = c::Entity::find()
        .filter(c::Column::OrganizationId.eq(org.into_uuid()))
        .filter(
            Condition::any()
                .add(c::Column::SubjectKey.eq(key))
                .add(c::Column::GuardianKey.eq(key)),
        );
    if let Some(activity) = activity {
        query = query.filter(c::Column::ActivityId.eq(activity));
    }
    Ok(query
        .order_by_desc(c::Column::Id)
        .limit(MAX_PER_PERSON)
        .all(db)
        .await?)
}

/// A person's consents in every organisation (the resident portal), newest first.
pub async fn by_person_everywhere(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Vec<ConsentRow>, DbError> {
    Ok(c::Entity::find()
        .filter(
            Condition::any()
                .add(c::Column::SubjectKey.eq(key))
                .add(c::Column::GuardianKey.eq(key)),
        )
        .order_by_desc(c::Column::Id)
        .limit(MAX_PER_PERSON)
        .all(db)
        .await?)
}

/// Every consent of the organisation (or of one activity), oldest first: the export.
pub async fn all(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    activity: Option<Uuid>,
) -> Result<Vec<ConsentRow>, DbError> {
    let mut query = c::Entity::find().filter(c::Column::OrganizationId.eq(org.into_uuid()));
    if let Some(activity) = activity {
        query = query.filter(c::Column::ActivityId.eq(activity));
    }
    Ok(query.order_by_asc(c::Column::Id).all(db).await?)
}

/// A withdrawal to record.
#[derive(Debug, Clone, Copy)]
pub struct Withdrawal {
    pub at: DateTime<Utc>,
    pub channel: ConsentChannel,
    pub by: ConsentGiver,
    pub recorded_by: Option<Uuid>,
}

/// Records the withdrawal unless one is already recorded (then `None`: someone was first).
pub async fn withdraw(
    db: &impl ConnectionTrait,
    id: Uuid,
    withdrawal: Withdrawal,
) -> Result<Option<ConsentRow>, DbError> {
    let done = c::Entity::update_many()
        .col_expr(c::Column::WithdrawnAt, Expr::value(withdrawal.at))
        .col_expr(
            c::Column::WithdrawalChannel,
            Expr::value(withdrawal.channel.as_str()),
        )
        .col_expr(c::Column::WithdrawnBy, Expr::value(withdrawal.by.as_str()))
        .col_expr(
            c::Column::WithdrawalRecordedBy,
            Expr::value(withdrawal.recorded_by),
        )
        .filter(c::Column::Id.eq(id))
        .filter(c::Column::WithdrawnAt.is_null())
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Ok(None);
    }
    Ok(c::Entity::find_by_id(id).one(db).await?)
}

/// How many of an activity's consents are in each status on `today`.
pub async fn counts(
    db: &impl ConnectionTrait,
    activity: Uuid,
    today: NaiveDate,
) -> Result<[u64; 3], DbError> {
    let mut out = [0u64; 3];
    for (slot, status) in out.iter_mut().zip([
        ConsentStatus::Active,
        ConsentStatus::RenewalDue,
        ConsentStatus::Withdrawn,
    ]) {
        *slot = c::Entity::find()
            .filter(c::Column::ActivityId.eq(activity))
            .filter(status_condition(status, today))
            .count(db)
            .await?;
    }
    Ok(out)
}

/// The names of activities, by id.
pub async fn activity_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, DbError> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(pa::Entity::find()
        .filter(pa::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect())
}

pub fn given_by_of(row: &ConsentRow) -> Result<ConsentGiver, DbError> {
    ConsentGiver::parse(&row.given_by).ok_or(DbError::InvalidRow("consents.given_by"))
}

pub fn channel_of(row: &ConsentRow) -> Result<ConsentChannel, DbError> {
    ConsentChannel::parse(&row.channel).ok_or(DbError::InvalidRow("consents.channel"))
}

/// The withdrawal on the row, if any.
pub fn withdrawal_of(
    row: &ConsentRow,
) -> Result<Option<(DateTime<Utc>, ConsentGiver, ConsentChannel)>, DbError> {
    let Some(at) = row.withdrawn_at else {
        return Ok(None);
    };
    let by = row
        .withdrawn_by
        .as_deref()
        .and_then(ConsentGiver::parse)
        .ok_or(DbError::InvalidRow("consents.withdrawn_by"))?;
    let channel = row
        .withdrawal_channel
        .as_deref()
        .and_then(ConsentChannel::parse)
        .ok_or(DbError::InvalidRow("consents.withdrawal_channel"))?;
    Ok(Some((at, by, channel)))
}

pub fn status_of(row: &ConsentRow, today: NaiveDate) -> ConsentStatus {
    status_on(row.withdrawn_at.is_some(), row.renewal_due_on, today)
}

/// Guardians' consents not withdrawn whose renewal day has come (the reminders job).
pub async fn renewals_due(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<Vec<ConsentRow>, DbError> {
    Ok(c::Entity::find()
        .filter(c::Column::WithdrawnAt.is_null())
        .filter(c::Column::RenewalDueOn.lte(today))
        .all(db)
        .await?)
}
