//! Reuse between municipalities: processing activities published as templates (one per
//! activity, a snapshot refreshed when republished), and an organisation's consent to show
//! its application overview to other municipalities for comparison.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    ShareOverview,
}

#[derive(DeriveIden)]
enum ProcessingActivities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ActivityTemplates {
    Table,
    Id,
    OrganizationId,
    ActivityId,
    ActivityRevision,
    Name,
    SortKey,
    Note,
    Facts,
    ProductIds,
    Copies,
    Revision,
    PublishedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ActivityTemplates as T;
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(
                        ColumnDef::new(Organizations::ShareOverview)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::Table)
                    .col(ColumnDef::new(T::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(T::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(T::ActivityId).uuid().not_null())
                    .col(ColumnDef::new(T::ActivityRevision).integer().not_null())
                    .col(ColumnDef::new(T::Name).string_len(200).not_null())
                    .col(ColumnDef::new(T::SortKey).string_len(400).not_null())
                    .col(ColumnDef::new(T::Note).text().not_null())
                    .col(ColumnDef::new(T::Facts).text().not_null())
                    .col(ColumnDef::new(T::ProductIds).text().not_null())
                    .col(ColumnDef::new(T::Copies).integer().not_null())
                    .col(ColumnDef::new(T::Revision).integer().not_null())
                    .col(
                        ColumnDef::new(T::PublishedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(T::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(T::Table, T::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(T::Table, T::ActivityId)
                            .to(ProcessingActivities::Table, ProcessingActivities::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_activity_templates_activity")
                    .table(T::Table)
                    .col(T::ActivityId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_activity_templates_name")
                    .table(T::Table)
                    .col(T::SortKey)
                    .col(T::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_activity_templates_org")
                    .table(T::Table)
                    .col(T::OrganizationId)
                    .col(T::SortKey)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("activity_templates"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .drop_column(Organizations::ShareOverview)
                    .to_owned(),
            )
            .await
    }
}
