use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub sort_key: String,
    pub org_number: Option<String>,
    pub kommunenummer: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// JSON array of CIDR ranges.
    pub ip_allowlist: String,
    /// Staff must have logged in with a passkey to act in this organisation.
    pub require_passkey: bool,
    /// Other municipalities may compare their application overview with this one's.
    pub share_overview: bool,
    /// Vendors may see how the organisation uses their products (systems, activities).
    pub share_usage_with_vendors: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
