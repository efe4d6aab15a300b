use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub activity_id: Uuid,
    /// The keyed hash of the subject's national identity number.
    pub subject_key: String,
    /// The keyed hash of the guardian's national identity number, when a guardian consented.
    pub guardian_key: Option<String>,
    /// Sealed JSON: the subject and the guardian (names and numbers).
    pub parties: String,
    pub given_by: String,
    pub given_at: DateTimeUtc,
    pub channel: String,
    pub statement: String,
    pub renewal_due_on: Option<Date>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub withdrawal_channel: Option<String>,
    pub withdrawn_by: Option<String>,
    pub withdrawal_recorded_by: Option<Uuid>,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
