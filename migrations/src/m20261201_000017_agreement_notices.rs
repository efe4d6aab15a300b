//! Sub-processor change notices on active agreements under general authorisation: what
//! changed, the objection deadline, and the controller's answer.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agreements {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AgreementNotices {
    Table,
    Id,
    AgreementId,
    ControllerId,
    ProcessorId,
    ProductId,
    ProductRevision,
    Change,
    NotifiedAt,
    ObjectionDeadline,
    Status,
    Reason,
    DecidedBy,
    DecidedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use AgreementNotices as N;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(ColumnDef::new(N::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(N::AgreementId).uuid().not_null())
                    .col(ColumnDef::new(N::ControllerId).uuid().not_null())
                    .col(ColumnDef::new(N::ProcessorId).uuid().not_null())
                    .col(ColumnDef::new(N::ProductId).uuid().not_null())
                    .col(ColumnDef::new(N::ProductRevision).integer().not_null())
                    .col(ColumnDef::new(N::Change).text().not_null())
                    .col(
                        ColumnDef::new(N::NotifiedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(N::ObjectionDeadline)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(N::Status).string_len(20).not_null())
                    .col(ColumnDef::new(N::Reason).text().not_null())
                    .col(ColumnDef::new(N::DecidedBy).uuid().null())
                    .col(
                        ColumnDef::new(N::DecidedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(N::Table, N::AgreementId)
                            .to(Agreements::Table, Agreements::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_agreement_notices_agreement")
                    .table(N::Table)
                    .col(N::AgreementId)
                    .col(N::NotifiedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_agreement_notices_controller")
                    .table(N::Table)
                    .col(N::ControllerId)
                    .col(N::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("agreement_notices"))
                    .to_owned(),
            )
            .await
    }
}
