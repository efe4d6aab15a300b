//! Organisations' own agreement templates, each change a new version (agreements keep the
//! text they were rendered with).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AgreementTemplates {
    Table,
    Id,
    OrganizationId,
    Name,
    Language,
    CurrentVersion,
    Revision,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AgreementTemplateVersions {
    Table,
    Id,
    TemplateId,
    Number,
    Source,
    ChangeNote,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use AgreementTemplateVersions as V;
        use AgreementTemplates as T;
        manager
            .create_table(
                Table::create()
                    .table(T::Table)
                    .col(ColumnDef::new(T::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(T::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(T::Name).string_len(200).not_null())
                    .col(ColumnDef::new(T::Language).string_len(5).not_null())
                    .col(ColumnDef::new(T::CurrentVersion).integer().not_null())
                    .col(ColumnDef::new(T::Revision).integer().not_null())
                    .col(
                        ColumnDef::new(T::CreatedAt)
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
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_agreement_templates_organization")
                    .table(T::Table)
                    .col(T::OrganizationId)
                    .col(T::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(V::Table)
                    .col(ColumnDef::new(V::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(V::TemplateId).uuid().not_null())
                    .col(ColumnDef::new(V::Number).integer().not_null())
                    .col(ColumnDef::new(V::Source).text().not_null())
                    .col(ColumnDef::new(V::ChangeNote).text().not_null())
                    .col(ColumnDef::new(V::CreatedBy).uuid().null())
                    .col(
                        ColumnDef::new(V::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(V::Table, V::TemplateId)
                            .to(T::Table, T::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_agreement_template_versions_number")
                    .table(V::Table)
                    .col(V::TemplateId)
                    .col(V::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(AgreementTemplateVersions::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(AgreementTemplates::Table).to_owned())
            .await
    }
}
