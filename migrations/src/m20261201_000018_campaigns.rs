//! Campaigns: one controller sends the same agreement to many organisations with one
//! deadline. Each recipient's agreement names its campaign, and records when someone at the
//! recipient first opened it and when the sender last reminded them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Agreements {
    Table,
    CampaignId,
    OpenedAt,
    RemindedAt,
    Reminders,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
    OrganizationId,
    Title,
    Deadline,
    Template,
    Terms,
    Recipients,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Campaigns as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(ColumnDef::new(C::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(C::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(C::Title).string_len(200).not_null())
                    .col(ColumnDef::new(C::Deadline).date().not_null())
                    .col(ColumnDef::new(C::Template).string_len(60).not_null())
                    .col(ColumnDef::new(C::Terms).text().not_null())
                    .col(ColumnDef::new(C::Recipients).integer().not_null())
                    .col(ColumnDef::new(C::CreatedBy).uuid().null())
                    .col(
                        ColumnDef::new(C::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(C::Table, C::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_campaigns_organization")
                    .table(C::Table)
                    .col(C::OrganizationId)
                    .col(C::Id)
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new(Agreements::CampaignId)
                .uuid()
                .null()
                .to_owned(),
            ColumnDef::new(Agreements::OpenedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Agreements::RemindedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Agreements::Reminders)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Agreements::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_agreements_campaign")
                    .table(Agreements::Table)
                    .col(Agreements::CampaignId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_agreements_campaign")
                    .table(Agreements::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Agreements::Reminders,
            Agreements::RemindedAt,
            Agreements::OpenedAt,
            Agreements::CampaignId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Agreements::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Campaigns::Table).to_owned())
            .await
    }
}
