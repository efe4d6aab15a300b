use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub year: i32,
    pub sequence: i32,
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub received_at: DateTimeUtc,
    pub received_on: Date,
    pub due_on: Date,
    /// The `Clock` as JSON (policy, extension months, pauses): no personal data.
    pub clock: String,
    pub refusal_ground: Option<String>,
    pub assignee_id: Option<Uuid>,
    pub requester_key: Option<String>,
    /// Sealed `RequestContents`.
    pub contents: Option<String>,
    pub registered_by: Option<Uuid>,
    pub closed_at: Option<DateTimeUtc>,
    pub purged_at: Option<DateTimeUtc>,
    /// Closed cases: the end of the window in which the resident can read the answer; the
    /// contents are purged after it.
    pub answer_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub revision: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
