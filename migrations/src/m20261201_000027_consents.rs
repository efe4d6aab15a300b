//! Consent records: per processing activity based on consent, who consented (sealed, with a
//! keyed hash of the national identity numbers to find a person's consents), when, how and to
//! what wording, and the withdrawal recorded on the same row.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProcessingActivities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Consents {
    Table,
    Id,
    OrganizationId,
    ActivityId,
    SubjectKey,
    GuardianKey,
    Parties,
    GivenBy,
    GivenAt,
    Channel,
    Statement,
    RenewalDueOn,
    WithdrawnAt,
    WithdrawalChannel,
    WithdrawnBy,
    WithdrawalRecordedBy,
    RecordedBy,
    RecordedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Consents as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(ColumnDef::new(C::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(C::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(C::ActivityId).uuid().not_null())
                    .col(ColumnDef::new(C::SubjectKey).string_len(64).not_null())
                    .col(ColumnDef::new(C::GuardianKey).string_len(64).null())
                    .col(ColumnDef::new(C::Parties).text().not_null())
                    .col(ColumnDef::new(C::GivenBy).string_len(16).not_null())
                    .col(
                        ColumnDef::new(C::GivenAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(C::Channel).string_len(16).not_null())
                    .col(ColumnDef::new(C::Statement).text().not_null())
                    .col(ColumnDef::new(C::RenewalDueOn).date().null())
                    .col(
                        ColumnDef::new(C::WithdrawnAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(C::WithdrawalChannel).string_len(16).null())
                    .col(ColumnDef::new(C::WithdrawnBy).string_len(16).null())
                    .col(ColumnDef::new(C::WithdrawalRecordedBy).uuid().null())
                    .col(ColumnDef::new(C::RecordedBy).uuid().null())
                    .col(
                        ColumnDef::new(C::RecordedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(C::Table, C::ActivityId)
                            .to(ProcessingActivities::Table, ProcessingActivities::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_consents_org", vec![C::OrganizationId, C::Id]),
            ("idx_consents_activity", vec![C::ActivityId, C::Id]),
            (
                "idx_consents_subject",
                vec![C::OrganizationId, C::SubjectKey],
            ),
            (
                "idx_consents_guardian",
                vec![C::OrganizationId, C::GuardianKey],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(C::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Consents::Table).to_owned())
            .await
    }
}
