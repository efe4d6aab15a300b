use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "local_terms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// `local:<slug>`, unique in the organisation.
    pub key: String,
    /// `data_category` or `data_subject`.
    pub kind: String,
    /// The shared (DPV) term it narrows.
    pub parent: String,
    pub label_nb: String,
    pub label_nn: String,
    pub label_en: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
