//! The incident register: incidents with their running number per organisation and year,
//! the notices given to Datatilsynet, and the resident notice decision. Every change moves
//! the revision on, conditionally, so that two people saving at once cannot both win.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::incidents::NoticePhase;
use vern_domain::incidents::facts::{
    AuthorityNotice, CheckedAuthorityNotice, Incident, IncidentFacts, IncidentStatus,
    IncidentSummary, ResidentNoticeDecision, RiskLevel, incident_clock, outstanding,
};
use vern_domain::incidents::report::AuthorityReport;
use vern_domain::incidents::vendor::{
    VendorIncident, VendorIncidentRecipient, VendorIncidentSummary, VendorSource,
};
use vern_domain::pagination::{Limit, paginate};

use crate::DbError;
use crate::entities::{
    activity_system, incident as i, incident_notice as n, organization, processing_activity as pa,
    product, system, vendor_incident as v,
};
use crate::reviews::IdCursor;

pub use crate::entities::incident::Model as IncidentRow;
pub use crate::entities::incident_notice::Model as NoticeRow;

fn facts_json(facts: &IncidentFacts) -> Result<String, DbError> {
    serde_json::to_string(facts).map_err(|_| DbError::InvalidRow("incidents.facts"))
}

pub fn facts_of(row: &IncidentRow) -> Result<IncidentFacts, DbError> {
    serde_json::from_str(&row.facts).map_err(|_| DbError::InvalidRow("incidents.facts"))
}

pub fn status_of(row: &IncidentRow) -> Result<IncidentStatus, DbError> {
    IncidentStatus::parse(&row.status).ok_or(DbError::InvalidRow("incidents.status"))
}

pub fn resident_notice_of(row: &IncidentRow) -> Result<Option<ResidentNoticeDecision>, DbError> {
    row.resident_notice
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|_| DbError::InvalidRow("incidents.resident_notice"))
}

pub fn phase_of(row: &NoticeRow) -> Result<NoticePhase, DbError> {
    NoticePhase::parse(&row.phase).ok_or(DbError::InvalidRow("incident_notices.phase"))
}

pub fn report_of(row: &NoticeRow) -> Result<AuthorityReport, DbError> {
    serde_json::from_str(&row.report).map_err(|_| DbError::InvalidRow("incident_notices.report"))
}

/// The organisation's reference for an incident: year and running number.
pub fn reference(row: &IncidentRow) -> String {
    format!("{}-{}", row.year, row.seq)
}

/// Registers an incident with the next running number of the year (in Oslo) for the
/// organisation. The organisation's row is locked first (PostgreSQL), so concurrent
/// registrations queue for the number instead of colliding; SQLite's write transaction
/// already serialises them.
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    facts: &IncidentFacts,
    status: IncidentStatus,
    vendor_notice: Option<Uuid>,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<IncidentRow, DbError> {
    organization::Entity::find_by_id(org.into_uuid())
        .lock_exclusive()
        .one(db)
        .await?;
    let year = vern_domain::calendar::oslo_date(now).year();
    let last: Option<i32> = i::Entity::find()
        .select_only()
        .column_as(i::Column::Seq.max(), "last")
        .filter(i::Column::OrganizationId.eq(org.into_uuid()))
        .filter(i::Column::Year.eq(year))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    let row = i::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.into_uuid()),
        year: Set(year),
        seq: Set(last.unwrap_or(0) + 1),
        status: Set(status.as_str().to_owned()),
        title: Set(facts.title.clone()),
        aware_at: Set(facts.aware_at),
        risk: Set(facts.risk.as_str().to_owned()),
        facts: Set(facts_json(facts)?),
        resident_notice: Set(None),
        first_notice_at: Set(None),
        vendor_notice_id: Set(vendor_notice),
        acknowledged_at: Set(None),
        revision: Set(1),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
        closed_at: Set(None),
    };
    Ok(i::Entity::insert(row).exec_with_returning(db).await?)
}

pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    id: Uuid,
) -> Result<Option<IncidentRow>, DbError> {
    Ok(i::Entity::find_by_id(id)
        .filter(i::Column::OrganizationId.eq(org.into_uuid()))
        .one(db)
        .await?)
}

/// Which incidents the register lists.
#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub status: Option<IncidentStatus>,
    /// Only those whose notice to Datatilsynet is still due (notifiable, not yet notified, not closed).
    pub clock_running: bool,
}

/// The organisation's incidents, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    filter: &IncidentFilter,
    limit: Limit,
    cursor: Option<IdCursor>,
) -> Result<(Vec<IncidentRow>, Option<String>), DbError> {
    let mut query = i::Entity::find().filter(i::Column::OrganizationId.eq(org.into_uuid()));
    if let Some(status) = filter.status {
        query = query.filter(i::Column::Status.eq(status.as_str()));
    }
    if filter.clock_running {
        query = query
            .filter(i::Column::Status.ne(IncidentStatus::Closed.as_str()))
            .filter(i::Column::FirstNoticeAt.is_null())
            .filter(i::Column::Risk.ne(RiskLevel::Unlikely.as_str()));
    }
    if let Some(c) = cursor {
        query = query.filter(i::Column::Id.lt(c.id));
    }
    let rows = query
        .order_by_desc(i::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    Ok(paginate(rows, limit, |r| IdCursor { id: r.id }))
}

/// Every incident of the organisation, oldest first by number (the export).
pub async fn all(
    db: &impl ConnectionTrait,
    org: OrganizationId,
) -> Result<Vec<IncidentRow>, DbError> {
    Ok(i::Entity::find()
        .filter(i::Column::OrganizationId.eq(org.into_uuid()))
        .order_by_asc(i::Column::Year)
        .order_by_asc(i::Column::Seq)
        .all(db)
        .await?)
}

/// Replaces the facts when the revision is still `expected`; `None` otherwise.
pub async fn update_facts(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    facts: &IncidentFacts,
    now: DateTime<Utc>,
) -> Result<Option<IncidentRow>, DbError> {
    let update = i::Entity::update_many()
        .col_expr(i::Column::Title, Expr::value(facts.title.clone()))
        .col_expr(i::Column::AwareAt, Expr::value(facts.aware_at))
        .col_expr(i::Column::Risk, Expr::value(facts.risk.as_str()))
        .col_expr(i::Column::Facts, Expr::value(facts_json(facts)?));
    change(db, update, id, expected, now).await
}

/// Moves the status when the revision is still `expected`; closing sets `closed_at`,
/// reopening clears it, taking in a vendor's draft sets `acknowledged_at`.
pub async fn set_status(
    db: &impl ConnectionTrait,
    current: &IncidentRow,
    expected: i32,
    status: IncidentStatus,
    now: DateTime<Utc>,
) -> Result<Option<IncidentRow>, DbError> {
    let id = current.id;
    let closed_at = (status == IncidentStatus::Closed).then_some(now);
    let acknowledged_at = current
        .acknowledged_at
        .or((current.status == IncidentStatus::Draft.as_str()).then_some(now));
    let update = i::Entity::update_many()
        .col_expr(i::Column::Status, Expr::value(status.as_str()))
        .col_expr(i::Column::AcknowledgedAt, Expr::value(acknowledged_at))
        .col_expr(i::Column::ClosedAt, Expr::value(closed_at));
    change(db, update, id, expected, now).await
}

/// Records the resident notice decision when the revision is still `expected`.
pub async fn set_resident_notice(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    decision: &ResidentNoticeDecision,
    now: DateTime<Utc>,
) -> Result<Option<IncidentRow>, DbError> {
    let json = serde_json::to_string(decision)
        .map_err(|_| DbError::InvalidRow("incidents.resident_notice"))?;
    let update = i::Entity::update_many().col_expr(i::Column::ResidentNotice, Expr::value(json));
    change(db, update, id, expected, now).await
}

/// Records a notice to Datatilsynet with the report it carried; the first one stops the
/// clock. `None` when someone else changed the incident first.
pub async fn add_notice(
    db: &impl ConnectionTrait,
    incident: &IncidentRow,
    notice: &CheckedAuthorityNotice,
    report: &AuthorityReport,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Option<(IncidentRow, NoticeRow)>, DbError> {
    let first = incident.first_notice_at.unwrap_or(notice.sent_at);
    let update = i::Entity::update_many().col_expr(i::Column::FirstNoticeAt, Expr::value(first));
    let Some(updated) = change(db, update, incident.id, incident.revision, now).await? else {
        return Ok(None);
    };
    let row = n::ActiveModel {
        id: Set(Uuid::now_v7()),
        incident_id: Set(incident.id),
        phase: Set(notice.phase.as_str().to_owned()),
        sent_at: Set(notice.sent_at),
        reference: Set(notice.reference.clone()),
        late_reason: Set(notice.late_reason.clone()),
        report: Set(serde_json::to_string(report)
            .map_err(|_| DbError::InvalidRow("incident_notices.report"))?),
        recorded_by: Set(by),
        recorded_at: Set(now),
    };
    let notice = n::Entity::insert(row).exec_with_returning(db).await?;
    Ok(Some((updated, notice)))
}

/// Applies `update` to the incident if its revision is still `expected`, moving the
/// revision on; the row as it is now, or `None` when someone else changed it first.
async fn change(
    db: &impl ConnectionTrait,
    update: sea_orm::UpdateMany<i::Entity>,
    id: Uuid,
    expected: i32,
    now: DateTime<Utc>,
) -> Result<Option<IncidentRow>, DbError> {
    let done = update
        .col_expr(i::Column::Revision, Expr::value(expected + 1))
        .col_expr(i::Column::UpdatedAt, Expr::value(now))
        .filter(i::Column::Id.eq(id))
        .filter(i::Column::Revision.eq(expected))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Ok(None);
    }
    Ok(i::Entity::find_by_id(id).one(db).await?)
}

/// The notices of the given incidents, in the order they were recorded.
pub async fn notices(
    db: &impl ConnectionTrait,
    incidents: &[Uuid],
) -> Result<HashMap<Uuid, Vec<NoticeRow>>, DbError> {
    let mut out: HashMap<Uuid, Vec<NoticeRow>> = HashMap::new();
    if incidents.is_empty() {
        return Ok(out);
    }
    for chunk in incidents.chunks(500) {
        let rows = n::Entity::find()
            .filter(n::Column::IncidentId.is_in(chunk.to_vec()))
            .order_by_asc(n::Column::Id)
            .all(db)
            .await?;
        for row in rows {
            out.entry(row.incident_id).or_default().push(row);
        }
    }
    Ok(out)
}

/// Of `ids`, those that are not processing activities of the organisation.
pub async fn foreign_activities(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let own: Vec<Uuid> = pa::Entity::find()
        .select_only()
        .column(pa::Column::Id)
        .filter(pa::Column::OrganizationId.eq(org.into_uuid()))
        .filter(pa::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.iter().filter(|id| !own.contains(id)).copied().collect())
}

/// The names of the organisation's systems and activities among `systems` and
/// `activities`, in the order given.
pub async fn link_names(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    systems: &[Uuid],
    activities: &[Uuid],
) -> Result<(Vec<String>, Vec<String>), DbError> {
    let system_names: HashMap<Uuid, String> = if systems.is_empty() {
        HashMap::new()
    } else {
        system::Entity::find()
            .select_only()
            .column(system::Column::Id)
            .column(system::Column::Name)
            .filter(system::Column::OrganizationId.eq(org.into_uuid()))
            .filter(system::Column::Id.is_in(systems.to_vec()))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let activity_names: HashMap<Uuid, String> = if activities.is_empty() {
        HashMap::new()
    } else {
        pa::Entity::find()
            .select_only()
            .column(pa::Column::Id)
            .column(pa::Column::Name)
            .filter(pa::Column::OrganizationId.eq(org.into_uuid()))
            .filter(pa::Column::Id.is_in(activities.to_vec()))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let pick = |ids: &[Uuid], names: &HashMap<Uuid, String>| {
        ids.iter().filter_map(|id| names.get(id).cloned()).collect()
    };
    Ok((
        pick(systems, &system_names),
        pick(activities, &activity_names),
    ))
}

/// The register's row for an incident at `now`.
pub fn summary(row: &IncidentRow, now: DateTime<Utc>) -> Result<IncidentSummary, DbError> {
    let facts = facts_of(row)?;
    let status = status_of(row)?;
    Ok(IncidentSummary {
        id: row.id,
        reference: reference(row),
        title: row.title.clone(),
        status,
        classes: facts.classes.clone(),
        risk: facts.risk,
        aware_at: row.aware_at,
        clock: incident_clock(status, &facts, row.first_notice_at, now),
        notified_at: row.first_notice_at,
        vendor_notice_id: row.vendor_notice_id,
    })
}

/// The whole incident at `now`: facts, clock, notices and what is outstanding.
pub fn incident(
    row: &IncidentRow,
    notices: &[NoticeRow],
    names: &HashMap<Uuid, String>,
    vendor_source: Option<VendorSource>,
    now: DateTime<Utc>,
) -> Result<Incident, DbError> {
    let facts = facts_of(row)?;
    let status = status_of(row)?;
    let resident_notice = resident_notice_of(row)?;
    let phases = notices
        .iter()
        .map(phase_of)
        .collect::<Result<Vec<_>, _>>()?;
    let notices = notices
        .iter()
        .map(|n| {
            Ok(AuthorityNotice {
                id: n.id,
                phase: phase_of(n)?,
                sent_at: n.sent_at,
                reference: n.reference.clone(),
                late_reason: n.late_reason.clone(),
                report: report_of(n)?,
                recorded_by: n.recorded_by.and_then(|u| names.get(&u).cloned()),
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(Incident {
        id: row.id,
        organization_id: OrganizationId::from_uuid(row.organization_id),
        reference: reference(row),
        status,
        clock: incident_clock(status, &facts, row.first_notice_at, now),
        authority_notice_required: facts.risk.authority_notice_required(),
        resident_notice_required: facts.risk.resident_notice_required(),
        outstanding: outstanding(status, &facts, &phases, resident_notice.as_ref())
            .into_iter()
            .map(str::to_owned)
            .collect(),
        notices,
        resident_notice,
        facts,
        vendor_source,
        revision: row.revision,
        created_at: row.created_at,
        updated_at: row.updated_at,
        closed_at: row.closed_at,
    })
}

pub use crate::entities::vendor_incident::Model as VendorIncidentRow;

/// The systems (not retired) built on `product`, per organisation, and the activities that
/// use them: whom a vendor's notice reaches and what their drafts link to.
pub async fn product_systems(
    db: &impl ConnectionTrait,
    product: Uuid,
) -> Result<Vec<(OrganizationId, Vec<Uuid>, Vec<Uuid>)>, DbError> {
    let rows: Vec<(Uuid, Uuid)> = system::Entity::find()
        .select_only()
        .column(system::Column::OrganizationId)
        .column(system::Column::Id)
        .filter(system::Column::ProductId.eq(product))
        .filter(system::Column::Status.ne("retired"))
        .order_by_asc(system::Column::OrganizationId)
        .order_by_asc(system::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let systems: Vec<Uuid> = rows.iter().map(|r| r.1).collect();
    let mut uses: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in systems.chunks(500) {
        let links = activity_system::Entity::find()
            .filter(activity_system::Column::SystemId.is_in(chunk.to_vec()))
            .order_by_asc(activity_system::Column::ActivityId)
            .all(db)
            .await?;
        for link in links {
            uses.entry(link.system_id)
                .or_default()
                .push(link.activity_id);
        }
    }
    let mut out: Vec<(OrganizationId, Vec<Uuid>, Vec<Uuid>)> = Vec::new();
    for (org, system) in rows {
        let org = OrganizationId::from_uuid(org);
        if out.last().is_none_or(|(o, _, _)| *o != org) {
            out.push((org, Vec::new(), Vec::new()));
        }
        if let Some((_, systems, activities)) = out.last_mut() {
            systems.push(system);
            for a in uses.get(&system).into_iter().flatten() {
                if !activities.contains(a) {
                    activities.push(*a);
                }
            }
        }
    }
    Ok(out)
}

pub async fn insert_vendor_incident(
    db: &impl ConnectionTrait,
    vendor: OrganizationId,
    product: Uuid,
    facts: &IncidentFacts,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<VendorIncidentRow, DbError> {
    let row = v::ActiveModel {
        id: Set(Uuid::now_v7()),
        vendor_id: Set(vendor.into_uuid()),
        product_id: Set(product),
        title: Set(facts.title.clone()),
        facts: Set(facts_json(facts)?),
        sent_by: Set(by),
        sent_at: Set(now),
    };
    Ok(v::Entity::insert(row).exec_with_returning(db).await?)
}

pub async fn find_vendor_incident(
    db: &impl ConnectionTrait,
    vendor: OrganizationId,
    id: Uuid,
) -> Result<Option<VendorIncidentRow>, DbError> {
    Ok(v::Entity::find_by_id(id)
        .filter(v::Column::VendorId.eq(vendor.into_uuid()))
        .one(db)
        .await?)
}

async fn product_names(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, DbError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .column(product::Column::Name)
        .filter(product::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The drafts a notice made: (organisation, when taken in).
async fn recipients_of(
    db: &impl ConnectionTrait,
    notices: Vec<Uuid>,
) -> Result<Vec<(Uuid, Uuid, Option<DateTime<Utc>>)>, DbError> {
    if notices.is_empty() {
        return Ok(Vec::new());
    }
    Ok(i::Entity::find()
        .select_only()
        .column(i::Column::VendorNoticeId)
        .column(i::Column::OrganizationId)
        .column(i::Column::AcknowledgedAt)
        .filter(i::Column::VendorNoticeId.is_in(notices))
        .into_tuple::<(Option<Uuid>, Uuid, Option<DateTime<Utc>>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(n, o, a)| n.map(|n| (n, o, a)))
        .collect())
}

/// A vendor's notices, newest first, with how many received and took in each.
pub async fn list_vendor_incidents(
    db: &impl ConnectionTrait,
    vendor: OrganizationId,
    limit: Limit,
    cursor: Option<IdCursor>,
) -> Result<(Vec<VendorIncidentSummary>, Option<String>), DbError> {
    let mut query = v::Entity::find().filter(v::Column::VendorId.eq(vendor.into_uuid()));
    if let Some(c) = cursor {
        query = query.filter(v::Column::Id.lt(c.id));
    }
    let rows = query
        .order_by_desc(v::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next) = paginate(rows, limit, |r| IdCursor { id: r.id });
    let names = product_names(db, rows.iter().map(|r| r.product_id).collect()).await?;
    let recipients = recipients_of(db, rows.iter().map(|r| r.id).collect()).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let received: Vec<bool> = recipients
                .iter()
                .filter(|(n, _, _)| *n == r.id)
                .map(|(_, _, at)| at.is_some())
                .collect();
            let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            VendorIncidentSummary {
                id: r.id,
                product_name: names.get(&r.product_id).cloned().unwrap_or_default(),
                title: r.title,
                sent_at: r.sent_at,
                recipients: count(received.len()),
                acknowledged: count(received.iter().filter(|a| **a).count()),
            }
        })
        .collect();
    Ok((items, next))
}

/// A vendor's notice with each recipient and whether it has taken the draft in.
pub async fn vendor_incident(
    db: &impl ConnectionTrait,
    row: &VendorIncidentRow,
    sent_by: Option<String>,
) -> Result<VendorIncident, DbError> {
    let recipients = recipients_of(db, vec![row.id]).await?;
    let orgs = crate::register::org_names(db, recipients.iter().map(|r| r.1)).await?;
    let mut recipients: Vec<VendorIncidentRecipient> = recipients
        .into_iter()
        .map(|(_, org, acknowledged_at)| VendorIncidentRecipient {
            organization_id: OrganizationId::from_uuid(org),
            organization_name: orgs.get(&org).cloned().unwrap_or_default(),
            acknowledged_at,
        })
        .collect();
    recipients.sort_by(|a, b| a.organization_name.cmp(&b.organization_name));
    Ok(VendorIncident {
        id: row.id,
        vendor_id: OrganizationId::from_uuid(row.vendor_id),
        product_id: row.product_id,
        product_name: product_names(db, vec![row.product_id])
            .await?
            .remove(&row.product_id)
            .unwrap_or_default(),
        facts: serde_json::from_str(&row.facts)
            .map_err(|_| DbError::InvalidRow("vendor_incidents.facts"))?,
        sent_at: row.sent_at,
        sent_by,
        recipients,
    })
}

/// Where a draft came from: the vendor, the product and when it was sent.
pub async fn vendor_source(
    db: &impl ConnectionTrait,
    notice: Option<Uuid>,
) -> Result<Option<VendorSource>, DbError> {
    let Some(id) = notice else {
        return Ok(None);
    };
    let Some(row) = v::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let vendor = crate::register::org_names(db, [row.vendor_id]).await?;
    Ok(Some(VendorSource {
        notice_id: row.id,
        vendor_name: vendor.get(&row.vendor_id).cloned().unwrap_or_default(),
        product_name: product_names(db, vec![row.product_id])
            .await?
            .remove(&row.product_id)
            .unwrap_or_default(),
        sent_at: row.sent_at,
    }))
}

/// Incidents (any organisation) not closed, not yet notified, notifiable, and aware since
/// `aware_before` or earlier: whose clocks may call for a reminder.
pub async fn clocks_running(
    db: &impl ConnectionTrait,
    aware_before: DateTime<Utc>,
) -> Result<Vec<IncidentRow>, DbError> {
    Ok(i::Entity::find()
        .filter(i::Column::Status.is_in([
            IncidentStatus::Draft.as_str(),
            IncidentStatus::Open.as_str(),
        ]))
        .filter(i::Column::AwareAt.lte(aware_before))
        .filter(i::Column::FirstNoticeAt.is_null())
        .filter(i::Column::Risk.ne(RiskLevel::Unlikely.as_str()))
        .order_by_asc(i::Column::AwareAt)
        .all(db)
        .await?)
}
