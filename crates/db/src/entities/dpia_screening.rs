use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dpia_screenings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub activity_id: Uuid,
    /// `ScreeningAnswers` as JSON.
    pub answers: String,
    /// `Screening` as JSON.
    pub result: String,
    pub dpia_required: bool,
    pub screened_by: Option<Uuid>,
    pub screened_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
