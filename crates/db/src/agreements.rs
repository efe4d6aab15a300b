//! Data processing agreements: the agreement row (with the drafter's terms), every version
//! of its text exactly as rendered, and the sealed signatures.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::agreements::lifecycle::AgreementStatus;
use vern_domain::agreements::terms::AgreementTerms;
use vern_domain::agreements::view::{AgreementParty, AgreementSignature, AgreementSummary};
use vern_domain::pagination::{Limit, paginate};
use vern_domain::sort_key::sort_key;

use crate::DbError;
use crate::entities::{agreement as a, agreement_signature as s, agreement_version as v};
use crate::register::{NameCursor, after, contains_pattern, json, org_names};

pub use crate::entities::agreement::Model as AgreementRow;
pub use crate::entities::agreement_signature::Model as SignatureRow;
pub use crate::entities::agreement_version::Model as VersionRow;

pub fn status_of(row: &AgreementRow) -> Result<AgreementStatus, DbError> {
    AgreementStatus::parse(&row.status).ok_or(DbError::InvalidRow("agreements.status"))
}

pub fn terms_of(row: &AgreementRow) -> Result<AgreementTerms, DbError> {
    serde_json::from_str(&row.terms).map_err(|_| DbError::InvalidRow("agreements.terms"))
}

/// A new agreement's first version.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub document: String,
    pub sha256: String,
    pub facts_json: String,
    pub change_note: String,
}

/// Creates a draft with version 1.
pub async fn create(
    db: &impl ConnectionTrait,
    controller: OrganizationId,
    terms: &AgreementTerms,
    language: &str,
    version: NewVersion,
    now: DateTime<Utc>,
) -> Result<AgreementRow, DbError> {
    let id = Uuid::now_v7();
    let row = a::ActiveModel {
        id: Set(id),
        controller_id: Set(controller.into_uuid()),
        processor_id: Set(terms.processor_id.into_uuid()),
        title: Set(terms.title.clone()),
        sort_key: Set(sort_key(&terms.title)),
        template: Set(terms.template.clone()),
        language: Set(language.to_owned()),
        status: Set(AgreementStatus::Draft.as_str().to_owned()),
        terms: Set(json(terms)?),
        current_version: Set(1),
        start_date: Set(terms.start_date),
        end_date: Set(terms.end_date),
        review_date: Set(terms.review_date),
        revision: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        sent_at: Set(None),
        activated_at: Set(None),
        ended_at: Set(None),
        campaign_id: Set(None),
        opened_at: Set(None),
        reminded_at: Set(None),
        reminders: Set(0),
    };
    let row = a::Entity::insert(row).exec_with_returning(db).await?;
    add_version(db, id, 1, version, now).await?;
    Ok(row)
}

pub async fn add_version(
    db: &impl ConnectionTrait,
    agreement: Uuid,
    number: i32,
    version: NewVersion,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let row = v::ActiveModel {
        id: Set(Uuid::now_v7()),
        agreement_id: Set(agreement),
        number: Set(number),
        document: Set(version.document),
        sha256: Set(version.sha256),
        facts: Set(version.facts_json),
        change_note: Set(version.change_note),
        created_at: Set(now),
    };
    v::Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<AgreementRow>, DbError> {
    Ok(a::Entity::find_by_id(id).one(db).await?)
}

/// What changes on the agreement row; the update applies only while the row is still at
/// `expected_revision` (`false` otherwise: someone else changed it first).
#[derive(Debug, Clone, Default)]
pub struct RowChange {
    pub status: Option<AgreementStatus>,
    pub terms: Option<AgreementTerms>,
    pub current_version: Option<i32>,
    pub sent_at: Option<DateTime<Utc>>,
    pub activated_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
}

pub async fn update(
    db: &impl ConnectionTrait,
    row: &AgreementRow,
    change: RowChange,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut update = a::Entity::update_many()
        .col_expr(a::Column::Revision, Expr::value(row.revision + 1))
        .col_expr(a::Column::UpdatedAt, Expr::value(now));
    if let Some(status) = change.status {
        update = update.col_expr(a::Column::Status, Expr::value(status.as_str()));
    }
    if let Some(terms) = &change.terms {
        update = update
            .col_expr(a::Column::Terms, Expr::value(json(terms)?))
            .col_expr(a::Column::Title, Expr::value(terms.title.clone()))
            .col_expr(a::Column::SortKey, Expr::value(sort_key(&terms.title)))
            .col_expr(a::Column::Template, Expr::value(terms.template.clone()))
            .col_expr(a::Column::StartDate, Expr::value(terms.start_date))
            .col_expr(a::Column::EndDate, Expr::value(terms.end_date))
            .col_expr(a::Column::ReviewDate, Expr::value(terms.review_date));
    }
    if let Some(n) = change.current_version {
        update = update.col_expr(a::Column::CurrentVersion, Expr::value(n));
    }
    if let Some(t) = change.sent_at {
        update = update.col_expr(a::Column::SentAt, Expr::value(t));
    }
    if let Some(t) = change.activated_at {
        update = update.col_expr(a::Column::ActivatedAt, Expr::value(t));
    }
    if let Some(t) = change.ended_at {
        update = update.col_expr(a::Column::EndedAt, Expr::value(t));
    }
    let result = update
        .filter(a::Column::Id.eq(row.id))
        .filter(a::Column::Revision.eq(row.revision))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn versions(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<VersionRow>, DbError> {
    Ok(v::Entity::find()
        .filter(v::Column::AgreementId.eq(id))
        .order_by_asc(v::Column::Number)
        .all(db)
        .await?)
}

pub async fn version(
    db: &impl ConnectionTrait,
    id: Uuid,
    number: i32,
) -> Result<Option<VersionRow>, DbError> {
    Ok(v::Entity::find()
        .filter(v::Column::AgreementId.eq(id))
        .filter(v::Column::Number.eq(number))
        .one(db)
        .await?)
}

/// Signatures, oldest first; of one version when `version` is given.
pub async fn signature_rows(
    db: &impl ConnectionTrait,
    id: Uuid,
    version: Option<i32>,
) -> Result<Vec<SignatureRow>, DbError> {
    let mut query = s::Entity::find().filter(s::Column::AgreementId.eq(id));
    if let Some(n) = version {
        query = query.filter(s::Column::Version.eq(n));
    }
    Ok(query
        .order_by_asc(s::Column::SignedAt)
        .order_by_asc(s::Column::Id)
        .all(db)
        .await?)
}

pub async fn add_signature(db: &impl ConnectionTrait, row: SignatureRow) -> Result<(), DbError> {
    let active = s::ActiveModel {
        id: Set(row.id),
        agreement_id: Set(row.agreement_id),
        version: Set(row.version),
        organization_id: Set(row.organization_id),
        user_id: Set(row.user_id),
        signer_name: Set(row.signer_name),
        method: Set(row.method),
        document_sha256: Set(row.document_sha256),
        signed_at: Set(row.signed_at),
        seal: Set(row.seal),
        seal_kid: Set(row.seal_kid),
    };
    s::Entity::insert(active).exec_without_returning(db).await?;
    Ok(())
}

/// Signature rows as shown, with the organisations' names.
pub async fn signatures(
    db: &impl ConnectionTrait,
    rows: &[SignatureRow],
) -> Result<Vec<AgreementSignature>, DbError> {
    let names = org_names(db, rows.iter().map(|r| r.organization_id)).await?;
    Ok(rows
        .iter()
        .map(|r| AgreementSignature {
            version: r.version,
            organization: AgreementParty {
                id: OrganizationId::from_uuid(r.organization_id),
                name: names.get(&r.organization_id).cloned().unwrap_or_default(),
            },
            signer_name: r.signer_name.clone(),
            method: r.method.clone(),
            signed_at: r.signed_at,
            document_sha256: r.document_sha256.clone(),
            seal_kid: r.seal_kid.clone(),
        })
        .collect())
}

pub async fn parties(
    db: &impl ConnectionTrait,
    row: &AgreementRow,
) -> Result<(AgreementParty, AgreementParty), DbError> {
    let names = org_names(db, [row.controller_id, row.processor_id]).await?;
    let party = |id: Uuid| AgreementParty {
        id: OrganizationId::from_uuid(id),
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    Ok((party(row.controller_id), party(row.processor_id)))
}

/// Which of an organisation's agreements to list.
#[derive(Debug, Clone, Default)]
pub struct AgreementFilter {
    pub q: Option<String>,
    pub status: Option<AgreementStatus>,
    /// Only those where the organisation is the controller (`Some(true)`) or the processor
    /// (`Some(false)`).
    pub as_controller: Option<bool>,
    /// Active agreements whose review date is before this day.
    pub review_before: Option<NaiveDate>,
}

/// The organisation's agreements: all it is controller of, and those it is processor of
/// once sent (a draft is the controller's own work).
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    filter: &AgreementFilter,
    limit: Limit,
    cursor: Option<NameCursor>,
) -> Result<(Vec<AgreementSummary>, Option<String>), DbError> {
    let org = org.into_uuid();
    let as_controller = a::Column::ControllerId.eq(org);
    let hidden: Vec<&str> = AgreementStatus::ALL
        .into_iter()
        .filter(|s| !s.shown_to_processor())
        .map(AgreementStatus::as_str)
        .collect();
    let as_processor = Condition::all()
        .add(a::Column::ProcessorId.eq(org))
        .add(a::Column::Status.is_not_in(hidden));
    let side = match filter.as_controller {
        Some(true) => Condition::all().add(as_controller),
        Some(false) => as_processor,
        None => Condition::any().add(as_controller).add(as_processor),
    };
    let mut query = a::Entity::find().filter(side);
    if let Some(q) = filter.q.as_deref().map(sort_key).filter(|q| !q.is_empty()) {
        query = query.filter(Expr::col(a::Column::SortKey).like(contains_pattern(&q)));
    }
    if let Some(status) = filter.status {
        query = query.filter(a::Column::Status.eq(status.as_str()));
    }
    if let Some(day) = filter.review_before {
        query = query
            .filter(a::Column::ReviewDate.lt(day))
            .filter(a::Column::Status.eq(AgreementStatus::Active.as_str()));
    }
    if let Some(cursor) = cursor {
        query = query.filter(after(a::Column::SortKey, a::Column::Id, cursor));
    }
    let rows = query
        .order_by_asc(a::Column::SortKey)
        .order_by_asc(a::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    let (rows, next) = paginate(rows, limit, |r| NameCursor {
        sort_key: r.sort_key.clone(),
        id: r.id,
    });
    let names = org_names(
        db,
        rows.iter().flat_map(|r| [r.controller_id, r.processor_id]),
    )
    .await?;
    let party = |id: Uuid| AgreementParty {
        id: OrganizationId::from_uuid(id),
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    let items = rows
        .iter()
        .map(|r| {
            Ok(AgreementSummary {
                id: r.id,
                title: r.title.clone(),
                controller: party(r.controller_id),
                processor: party(r.processor_id),
                status: status_of(r)?,
                current_version: r.current_version,
                review_date: r.review_date,
                end_date: r.end_date,
                updated_at: r.updated_at,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok((items, next))
}

/// The active agreements between a controller and a processor.
pub async fn active_between(
    db: &impl ConnectionTrait,
    controller: Uuid,
    processor: Uuid,
) -> Result<Vec<AgreementRow>, DbError> {
    Ok(a::Entity::find()
        .filter(a::Column::ControllerId.eq(controller))
        .filter(a::Column::ProcessorId.eq(processor))
        .filter(a::Column::Status.eq(AgreementStatus::Active.as_str()))
        .all(db)
        .await?)
}

/// The active agreements in which `processor` is the processor.
pub async fn active_for_processor(
    db: &impl ConnectionTrait,
    processor: Uuid,
) -> Result<Vec<AgreementRow>, DbError> {
    Ok(a::Entity::find()
        .filter(a::Column::ProcessorId.eq(processor))
        .filter(a::Column::Status.eq(AgreementStatus::Active.as_str()))
        .all(db)
        .await?)
}

pub use crate::entities::agreement_notice::Model as NoticeRow;

pub async fn add_notice(db: &impl ConnectionTrait, row: NoticeRow) -> Result<(), DbError> {
    use crate::entities::agreement_notice as n;
    let active = n::ActiveModel {
        id: Set(row.id),
        agreement_id: Set(row.agreement_id),
        controller_id: Set(row.controller_id),
        processor_id: Set(row.processor_id),
        product_id: Set(row.product_id),
        product_revision: Set(row.product_revision),
        change: Set(row.change),
        notified_at: Set(row.notified_at),
        objection_deadline: Set(row.objection_deadline),
        status: Set(row.status),
        reason: Set(row.reason),
        decided_by: Set(row.decided_by),
        decided_at: Set(row.decided_at),
    };
    n::Entity::insert(active).exec_without_returning(db).await?;
    Ok(())
}

/// An agreement's notices, newest first.
pub async fn notices(
    db: &impl ConnectionTrait,
    agreement: Uuid,
) -> Result<Vec<NoticeRow>, DbError> {
    use crate::entities::agreement_notice as n;
    Ok(n::Entity::find()
        .filter(n::Column::AgreementId.eq(agreement))
        .order_by_desc(n::Column::NotifiedAt)
        .order_by_desc(n::Column::Id)
        .all(db)
        .await?)
}

/// Records the controller's answer while the notice is still open (`false` when it was
/// answered meanwhile).
pub async fn decide_notice(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: &str,
    reason: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    use crate::entities::agreement_notice as n;
    let result = n::Entity::update_many()
        .col_expr(n::Column::Status, Expr::value(status))
        .col_expr(n::Column::Reason, Expr::value(reason))
        .col_expr(n::Column::DecidedBy, Expr::value(by))
        .col_expr(n::Column::DecidedAt, Expr::value(now))
        .filter(n::Column::Id.eq(id))
        .filter(n::Column::Status.eq("open"))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The organisation's agreements that may ask something of it: sent, signed by one party
/// or active, on either side (a processor sees nothing before it is sent).
pub async fn open_for(
    db: &impl ConnectionTrait,
    org: OrganizationId,
) -> Result<Vec<AgreementRow>, DbError> {
    let org = org.into_uuid();
    let open = [
        AgreementStatus::Sent,
        AgreementStatus::PartiallySigned,
        AgreementStatus::Active,
    ]
    .map(AgreementStatus::as_str);
    Ok(a::Entity::find()
        .filter(
            Condition::any()
                .add(a::Column::ControllerId.eq(org))
                .add(a::Column::ProcessorId.eq(org)),
        )
        .filter(a::Column::Status.is_in(open))
        .all(db)
        .await?)
}

/// Which of these agreements `org` has signed in the version in force.
pub async fn signed_by(
    db: &impl ConnectionTrait,
    rows: &[AgreementRow],
    org: OrganizationId,
) -> Result<std::collections::HashSet<Uuid>, DbError> {
    let org = org.into_uuid();
    let mut signed = std::collections::HashSet::new();
    for chunk in rows.chunks(500) {
        let sigs = s::Entity::find()
            .filter(s::Column::AgreementId.is_in(chunk.iter().map(|r| r.id)))
            .filter(s::Column::OrganizationId.eq(org))
            .all(db)
            .await?;
        for sig in sigs {
            if chunk
                .iter()
                .any(|r| r.id == sig.agreement_id && r.current_version == sig.version)
            {
                signed.insert(sig.agreement_id);
            }
        }
    }
    Ok(signed)
}
