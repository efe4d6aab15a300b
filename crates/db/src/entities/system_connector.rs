use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "system_connectors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub system_id: Uuid,
    pub organization_id: Uuid,
    pub endpoint: String,
    /// The shared secret, sealed.
    pub secret: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub revision: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
