//! Organisations' own agreement templates and their versions.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::agreements::own_templates::OwnTemplateInput;
use vern_domain::pagination::{Limit, paginate};

use crate::DbError;
use crate::entities::{agreement_template as t, agreement_template_version as v};
use crate::reviews::IdCursor;

pub use crate::entities::agreement_template::Model as TemplateRow;
pub use crate::entities::agreement_template_version::Model as TemplateVersionRow;

/// A new template at version 1.
pub async fn create(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    input: &OwnTemplateInput,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<TemplateRow, DbError> {
    let id = Uuid::now_v7();
    let row = t::ActiveModel {
        id: Set(id),
        organization_id: Set(org.into_uuid()),
        name: Set(input.name.clone()),
        language: Set(input.language.as_str().to_owned()),
        current_version: Set(1),
        revision: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let row = t::Entity::insert(row).exec_with_returning(db).await?;
    add_version(db, id, 1, input, by, now).await?;
    Ok(row)
}

async fn add_version(
    db: &impl ConnectionTrait,
    template: Uuid,
    number: i32,
    input: &OwnTemplateInput,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    v::Entity::insert(v::ActiveModel {
        id: Set(Uuid::now_v7()),
        template_id: Set(template),
        number: Set(number),
        source: Set(input.source.clone()),
        change_note: Set(input.change_note.clone()),
        created_by: Set(by),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A new version (name, language and source as given) if the row is still at its
/// revision; `false` when someone else changed it first.
pub async fn new_version(
    db: &impl ConnectionTrait,
    row: &TemplateRow,
    input: &OwnTemplateInput,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let next = row.current_version + 1;
    let result = t::Entity::update_many()
        .col_expr(t::Column::Name, Expr::value(input.name.clone()))
        .col_expr(t::Column::Language, Expr::value(input.language.as_str()))
        .col_expr(t::Column::CurrentVersion, Expr::value(next))
        .col_expr(t::Column::Revision, Expr::value(row.revision + 1))
        .col_expr(t::Column::UpdatedAt, Expr::value(now))
        .filter(t::Column::Id.eq(row.id))
        .filter(t::Column::Revision.eq(row.revision))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(false);
    }
    add_version(db, row.id, next, input, by, now).await?;
    Ok(true)
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<TemplateRow>, DbError> {
    Ok(t::Entity::find_by_id(id).one(db).await?)
}

/// The organisation's templates, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    limit: Limit,
    cursor: Option<IdCursor>,
) -> Result<(Vec<TemplateRow>, Option<String>), DbError> {
    let mut query = t::Entity::find().filter(t::Column::OrganizationId.eq(org.into_uuid()));
    if let Some(c) = cursor {
        query = query.filter(t::Column::Id.lt(c.id));
    }
    let rows = query
        .order_by_desc(t::Column::Id)
        .limit(limit.probe())
        .all(db)
        .await?;
    Ok(paginate(rows, limit, |r| IdCursor { id: r.id }))
}

/// Every version, oldest first.
pub async fn versions(
    db: &impl ConnectionTrait,
    template: Uuid,
) -> Result<Vec<TemplateVersionRow>, DbError> {
    Ok(v::Entity::find()
        .filter(v::Column::TemplateId.eq(template))
        .order_by_asc(v::Column::Number)
        .all(db)
        .await?)
}

/// The version in force.
pub async fn current(
    db: &impl ConnectionTrait,
    row: &TemplateRow,
) -> Result<TemplateVersionRow, DbError> {
    v::Entity::find()
        .filter(v::Column::TemplateId.eq(row.id))
        .filter(v::Column::Number.eq(row.current_version))
        .one(db)
        .await?
        .ok_or(DbError::InvalidRow("agreement_templates.current_version"))
}
