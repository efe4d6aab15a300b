use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_notices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub controller_id: Uuid,
    pub processor_id: Uuid,
    pub product_id: Uuid,
    pub product_revision: i32,
    /// The `SubProcessorChange` as JSON.
    pub change: String,
    pub notified_at: DateTimeUtc,
    pub objection_deadline: DateTimeUtc,
    /// `NoticeStatus::as_str`.
    pub status: String,
    pub reason: String,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
