//! Campaigns: the campaign row, and on each recipient's agreement the campaign it came
//! from, when the recipient first opened it and when it was last reminded.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::agreements::campaign::CampaignTerms;
use vern_domain::agreements::lifecycle::AgreementStatus;
use vern_domain::pagination::{Limit, paginate};

use crate::DbError;
use crate::agreements::AgreementRow;
use crate::entities::{agreement as a, agreement_signature as s, campaign as c};
use crate::register::json;
use crate::reviews::IdCursor;

pub use crate::entities::campaign::Model as CampaignRow;

pub fn terms_of(row: &CampaignRow) -> Result<CampaignTerms, DbError> {
    serde_json::from_str(&row.terms).map_err(|_| DbError::InvalidRow("campaigns.terms"))
}

pub async fn insert(
    db: &impl ConnectionTrait,
    sender: OrganizationId,
    deadline: NaiveDate,
    terms: &CampaignTerms,
    recipients: usize,
    created_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<CampaignRow, DbError> {
    let row = c::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(sender.into_uuid()),
        title: Set(terms.title.clone()),
        deadline: Set(deadline),
        template: Set(terms.template.clone()),
        terms: Set(json(terms)?),
        recipients: Set(i32::try_from(recipients).unwrap_or(i32::MAX)),
        created_by: Set(created_by),
        created_at: Set(now),
    };
    Ok(c::Entity::insert(row).exec_with_returning(db).await?)
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<CampaignRow>, DbError> {
    Ok(c::Entity::find_by_id(id).one(db).await?)
}

/// The organisation's campaigns, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    limit: Limit,
    cursor: Option<IdCursor>,
) -> Result<(Vec<CampaignRow>, Option<String>), DbError> {
    let mut query = c::Entity::find().filter(c::Column::OrganizationId.eq(org.into_uuid()));
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

/// Sends a freshly drafted agreement as part of a campaign.
pub async fn send_as_part_of(
    db: &impl ConnectionTrait,
    agreement: Uuid,
    campaign: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    a::Entity::update_many()
        .col_expr(a::Column::CampaignId, Expr::value(campaign))
        .col_expr(
            a::Column::Status,
            Expr::value(AgreementStatus::Sent.as_str()),
        )
        .col_expr(a::Column::SentAt, Expr::value(now))
        .col_expr(a::Column::UpdatedAt, Expr::value(now))
        .filter(a::Column::Id.eq(agreement))
        .exec(db)
        .await?;
    Ok(())
}

/// The agreements of these campaigns.
pub async fn agreements_of(
    db: &impl ConnectionTrait,
    campaigns: &[Uuid],
) -> Result<Vec<AgreementRow>, DbError> {
    if campaigns.is_empty() {
        return Ok(Vec::new());
    }
    Ok(a::Entity::find()
        .filter(a::Column::CampaignId.is_in(campaigns.iter().copied()))
        .all(db)
        .await?)
}

/// When each agreement's processor signed the version in force (absent: not signed).
pub async fn processor_signed_at(
    db: &impl ConnectionTrait,
    agreements: &[AgreementRow],
) -> Result<HashMap<Uuid, DateTime<Utc>>, DbError> {
    let mut signed = HashMap::new();
    for chunk in agreements.chunks(500) {
        let rows = s::Entity::find()
            .filter(s::Column::AgreementId.is_in(chunk.iter().map(|r| r.id)))
            .all(db)
            .await?;
        for sig in rows {
            if chunk.iter().any(|r| {
                r.id == sig.agreement_id
                    && r.processor_id == sig.organization_id
                    && r.current_version == sig.version
            }) {
                signed.insert(sig.agreement_id, sig.signed_at);
            }
        }
    }
    Ok(signed)
}

/// Records the first opening by the processor; `true` if this was it.
pub async fn mark_opened(
    db: &impl ConnectionTrait,
    agreement: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let result = a::Entity::update_many()
        .col_expr(a::Column::OpenedAt, Expr::value(now))
        .filter(a::Column::Id.eq(agreement))
        .filter(a::Column::OpenedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records a reminder on each of these agreements.
pub async fn record_reminders(
    db: &impl ConnectionTrait,
    agreements: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    for chunk in agreements.chunks(500) {
        a::Entity::update_many()
            .col_expr(a::Column::RemindedAt, Expr::value(now))
            .col_expr(a::Column::Reminders, Expr::col(a::Column::Reminders).add(1))
            .filter(a::Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The deadlines of these campaigns.
pub async fn deadlines(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, NaiveDate>, DbError> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(c::Entity::find()
        .filter(c::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.deadline))
        .collect())
}

/// Campaign agreements the processor has not signed yet, whose campaign deadline is on or
/// before `by` (the reminders job), each with its deadline.
pub async fn unsigned_due(
    db: &impl ConnectionTrait,
    by: NaiveDate,
) -> Result<Vec<(AgreementRow, NaiveDate)>, DbError> {
    let campaigns: HashMap<Uuid, NaiveDate> = c::Entity::find()
        .filter(c::Column::Deadline.lte(by))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.deadline))
        .collect();
    if campaigns.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = campaigns.keys().copied().collect();
    let agreements: Vec<AgreementRow> = a::Entity::find()
        .filter(a::Column::CampaignId.is_in(ids))
        .filter(a::Column::Status.is_in([
            AgreementStatus::Sent.as_str(),
            AgreementStatus::PartiallySigned.as_str(),
        ]))
        .all(db)
        .await?;
    let signed = processor_signed_at(db, &agreements).await?;
    Ok(agreements
        .into_iter()
        .filter(|r| !signed.contains_key(&r.id))
        .filter_map(|r| {
            let deadline = r.campaign_id.and_then(|c| campaigns.get(&c).copied())?;
            Some((r, deadline))
        })
        .collect())
}
