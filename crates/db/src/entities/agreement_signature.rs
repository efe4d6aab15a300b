use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_signatures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub version: i32,
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub signer_name: String,
    /// How the signer last proved a second factor: `passkey` or `totp`.
    pub method: String,
    pub document_sha256: String,
    pub signed_at: DateTimeUtc,
    /// The platform's seal: a JWS over the signature record.
    pub seal: String,
    pub seal_kid: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
