//! DPIAs as structured answers on processing activities (one per activity), and a template's
//! shared DPIA: the analysis another municipality starts from when it copies the template.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProcessingActivities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ActivityTemplates {
    Table,
    Dpia,
}

#[derive(DeriveIden)]
enum DpiaAssessments {
    Table,
    ActivityId,
    OrganizationId,
    Content,
    Status,
    Revision,
    UpdatedBy,
    UpdatedAt,
    CompletedAt,
    CopiedFromTemplate,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use DpiaAssessments as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(
                        ColumnDef::new(D::ActivityId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(D::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(D::Content).text().not_null())
                    .col(ColumnDef::new(D::Status).string_len(16).not_null())
                    .col(ColumnDef::new(D::Revision).integer().not_null())
                    .col(ColumnDef::new(D::UpdatedBy).uuid().null())
                    .col(
                        ColumnDef::new(D::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(D::CompletedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(D::CopiedFromTemplate).uuid().null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(D::Table, D::ActivityId)
                            .to(ProcessingActivities::Table, ProcessingActivities::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ActivityTemplates::Table)
                    .add_column(ColumnDef::new(ActivityTemplates::Dpia).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ActivityTemplates::Table)
                    .drop_column(ActivityTemplates::Dpia)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(DpiaAssessments::Table).to_owned())
            .await
    }
}
