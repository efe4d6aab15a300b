//! DPIA screenings of processing activities: the answers and the outcome, kept as a history;
//! the latest sets the activity's DPIA status.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProcessingActivities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum DpiaScreenings {
    Table,
    Id,
    OrganizationId,
    ActivityId,
    Answers,
    Result,
    DpiaRequired,
    ScreenedBy,
    ScreenedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use DpiaScreenings as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(ColumnDef::new(D::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(D::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(D::ActivityId).uuid().not_null())
                    .col(ColumnDef::new(D::Answers).text().not_null())
                    .col(ColumnDef::new(D::Result).text().not_null())
                    .col(ColumnDef::new(D::DpiaRequired).boolean().not_null())
                    .col(ColumnDef::new(D::ScreenedBy).uuid().null())
                    .col(
                        ColumnDef::new(D::ScreenedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(D::Table, D::ActivityId)
                            .to(ProcessingActivities::Table, ProcessingActivities::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_dpia_screenings_activity")
                    .table(D::Table)
                    .col(D::ActivityId)
                    .col(D::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DpiaScreenings::Table).to_owned())
            .await
    }
}
