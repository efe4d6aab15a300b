use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_templates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The publishing organisation.
    pub organization_id: Uuid,
    pub activity_id: Uuid,
    pub activity_revision: i32,
    pub name: String,
    pub sort_key: String,
    pub note: String,
    /// The template's `ActivityFacts` as JSON.
    pub facts: String,
    /// JSON array of catalogue product ids.
    pub product_ids: String,
    pub copies: i32,
    /// The shared DPIA (`AssessmentContent` as JSON), when the publisher shares one.
    pub dpia: Option<String>,
    pub revision: i32,
    pub published_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
