//! An organisation's own terms (narrower data and subject categories).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::register::vocabulary::{LocalTerm, TermKind, TermLabels, Vocabulary};

use crate::DbError;
use crate::entities::{local_term as t, processing_activity as pa};
use crate::register::contains_pattern;

fn to_term(row: t::Model) -> Result<LocalTerm, DbError> {
    let kind = TermKind::parse(&row.kind).ok_or(DbError::InvalidRow("local_terms.kind"))?;
    Ok(LocalTerm::new(
        row.key,
        kind,
        row.parent,
        TermLabels {
            label_nb: row.label_nb,
            label_nn: row.label_nn,
            label_en: row.label_en,
        },
    ))
}

/// The organisation's own terms, oldest first.
pub async fn terms(
    db: &impl ConnectionTrait,
    org: OrganizationId,
) -> Result<Vec<LocalTerm>, DbError> {
    t::Entity::find()
        .filter(t::Column::OrganizationId.eq(org.into_uuid()))
        .order_by_asc(t::Column::CreatedAt)
        .order_by_asc(t::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_term)
        .collect()
}

/// The organisation's vocabulary: the shared taxonomy and its own terms.
pub async fn vocabulary(
    db: &impl ConnectionTrait,
    org: OrganizationId,
) -> Result<Vocabulary, DbError> {
    Ok(Vocabulary::new(terms(db, org).await?))
}

pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    term: &LocalTerm,
    now: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    let id = Uuid::now_v7();
    t::Entity::insert(t::ActiveModel {
        id: Set(id),
        organization_id: Set(org.into_uuid()),
        key: Set(term.key.clone()),
        kind: Set(term.kind.as_str().to_owned()),
        parent: Set(term.parent.clone()),
        label_nb: Set(term.label_nb.clone()),
        label_nn: Set(term.label_nn.clone()),
        label_en: Set(term.label_en.clone()),
        created_at: Set(now),
    })
    .exec(db)
    .await?;
    Ok(id)
}

/// The id of the organisation's term with this key (for the audit log, which names terms
/// by id rather than by a key made from a label).
pub async fn id_of(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    key: &str,
) -> Result<Option<Uuid>, DbError> {
    Ok(t::Entity::find()
        .filter(t::Column::OrganizationId.eq(org.into_uuid()))
        .filter(t::Column::Key.eq(key))
        .one(db)
        .await?
        .map(|row| row.id))
}

/// Relabels a term; `false` when the organisation has no such term.
pub async fn relabel(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    key: &str,
    labels: &TermLabels,
) -> Result<bool, DbError> {
    let result = t::Entity::update_many()
        .col_expr(t::Column::LabelNb, Expr::value(labels.label_nb.clone()))
        .col_expr(t::Column::LabelNn, Expr::value(labels.label_nn.clone()))
        .col_expr(t::Column::LabelEn, Expr::value(labels.label_en.clone()))
        .filter(t::Column::OrganizationId.eq(org.into_uuid()))
        .filter(t::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// How many of the organisation's processing activities use the term.
pub async fn uses(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    key: &str,
) -> Result<u64, DbError> {
    // The key in quotes: a JSON string equal to it, not one it is the start of.
    let quoted = format!("\"{key}\"");
    Ok(pa::Entity::find()
        .filter(pa::Column::OrganizationId.eq(org.into_uuid()))
        .filter(Expr::col(pa::Column::Facts).like(contains_pattern(&quoted)))
        .count(db)
        .await?)
}

/// Removes a term; `false` when the organisation has no such term.
pub async fn delete(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    key: &str,
) -> Result<bool, DbError> {
    let result = t::Entity::delete_many()
        .filter(t::Column::OrganizationId.eq(org.into_uuid()))
        .filter(t::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
