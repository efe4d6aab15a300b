//! An organisation's own terms beside the shared taxonomy: narrower data categories and
//! data-subject categories, each under a shared (DPV) term.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum LocalTerms {
    Table,
    Id,
    OrganizationId,
    Key,
    Kind,
    Parent,
    LabelNb,
    LabelNn,
    LabelEn,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use LocalTerms as T;
        manager
            .create_table(
                Table::create()
                    .table(T::Table)
                    .col(ColumnDef::new(T::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(T::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(T::Key).string_len(60).not_null())
                    .col(ColumnDef::new(T::Kind).string_len(20).not_null())
                    .col(ColumnDef::new(T::Parent).string_len(60).not_null())
                    .col(ColumnDef::new(T::LabelNb).string_len(100).not_null())
                    .col(ColumnDef::new(T::LabelNn).string_len(100).not_null())
                    .col(ColumnDef::new(T::LabelEn).string_len(100).not_null())
                    .col(
                        ColumnDef::new(T::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(T::Table, T::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_local_terms_org_key")
                    .table(T::Table)
                    .col(T::OrganizationId)
                    .col(T::Key)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("local_terms")).to_owned())
            .await
    }
}
