use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incidents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub year: i32,
    pub seq: i32,
    pub status: String,
    pub title: String,
    pub aware_at: DateTimeUtc,
    pub risk: String,
    /// `IncidentFacts` as JSON.
    pub facts: String,
    /// `ResidentNoticeDecision` as JSON.
    pub resident_notice: Option<String>,
    pub first_notice_at: Option<DateTimeUtc>,
    pub vendor_notice_id: Option<Uuid>,
    /// When a draft from a vendor's notice was taken in.
    pub acknowledged_at: Option<DateTimeUtc>,
    pub revision: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
