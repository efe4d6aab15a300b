use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub controller_id: Uuid,
    pub processor_id: Uuid,
    pub title: String,
    pub sort_key: String,
    pub template: String,
    pub language: String,
    /// `AgreementStatus::as_str`.
    pub status: String,
    /// The drafter's `AgreementTerms` as JSON.
    pub terms: String,
    pub current_version: i32,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub review_date: Option<Date>,
    pub revision: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub activated_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
    /// The campaign that sent it, if any.
    pub campaign_id: Option<Uuid>,
    /// When someone at the processor first opened it.
    pub opened_at: Option<DateTimeUtc>,
    /// When the controller last reminded the processor, and how often it has.
    pub reminded_at: Option<DateTimeUtc>,
    pub reminders: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
