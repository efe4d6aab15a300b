//! The register, part two: processing activities (the record of processing, Art. 30(1)) and
//! the systems each one uses. The facts are JSON (checked by the domain crate); the columns
//! beside them are what lists filter and sort on.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Systems {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ProcessingActivities {
    Table,
    Id,
    OrganizationId,
    Name,
    SortKey,
    Status,
    ReviewDate,
    Published,
    Special,
    Dpia,
    Facts,
    Revision,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActivitySystems {
    Table,
    ActivityId,
    SystemId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ProcessingActivities as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(ColumnDef::new(A::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(A::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(A::Name).string_len(200).not_null())
                    .col(ColumnDef::new(A::SortKey).string_len(400).not_null())
                    .col(ColumnDef::new(A::Status).string_len(20).not_null())
                    .col(ColumnDef::new(A::ReviewDate).date().null())
                    .col(ColumnDef::new(A::Published).boolean().not_null())
                    .col(ColumnDef::new(A::Special).boolean().not_null())
                    .col(ColumnDef::new(A::Dpia).string_len(20).not_null())
                    .col(ColumnDef::new(A::Facts).text().not_null())
                    .col(ColumnDef::new(A::Revision).integer().not_null())
                    .col(
                        ColumnDef::new(A::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(A::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(A::Table, A::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_activities_org_name")
                    .table(A::Table)
                    .col(A::OrganizationId)
                    .col(A::SortKey)
                    .col(A::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActivitySystems::Table)
                    .col(
                        ColumnDef::new(ActivitySystems::ActivityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ActivitySystems::SystemId).uuid().not_null())
                    .primary_key(
                        Index::create()
                            .col(ActivitySystems::ActivityId)
                            .col(ActivitySystems::SystemId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActivitySystems::Table, ActivitySystems::ActivityId)
                            .to(A::Table, A::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActivitySystems::Table, ActivitySystems::SystemId)
                            .to(Systems::Table, Systems::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Which activities use a system (filters, and a vendor's change reaching them).
        manager
            .create_index(
                Index::create()
                    .name("idx_activity_systems_system")
                    .table(ActivitySystems::Table)
                    .col(ActivitySystems::SystemId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["activity_systems", "processing_activities"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
