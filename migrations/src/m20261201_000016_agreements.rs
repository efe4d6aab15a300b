//! Data processing agreements: the agreement between a controller and a processor, each
//! version of its text (stored exactly as signed, with its SHA-256), the signatures with
//! their platform seal — and on sessions, when the user last proved a second factor, which
//! signing requires to be recent.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    StrongAuthAt,
    StrongAuthMethod,
}

#[derive(DeriveIden)]
enum Agreements {
    Table,
    Id,
    ControllerId,
    ProcessorId,
    Title,
    SortKey,
    Template,
    Language,
    Status,
    Terms,
    CurrentVersion,
    StartDate,
    EndDate,
    ReviewDate,
    Revision,
    CreatedAt,
    UpdatedAt,
    SentAt,
    ActivatedAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum AgreementVersions {
    Table,
    Id,
    AgreementId,
    Number,
    Document,
    Sha256,
    Facts,
    ChangeNote,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AgreementSignatures {
    Table,
    Id,
    AgreementId,
    Version,
    OrganizationId,
    UserId,
    SignerName,
    Method,
    DocumentSha256,
    SignedAt,
    Seal,
    SealKid,
}

fn timestamp(name: impl IntoIden, required: bool) -> ColumnDef {
    let mut column = ColumnDef::new(name);
    column.timestamp_with_time_zone();
    if required {
        column.not_null();
    } else {
        column.null();
    }
    column
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use AgreementSignatures as S;
        use AgreementVersions as V;
        use Agreements as A;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(timestamp(Sessions::StrongAuthAt, false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(
                        ColumnDef::new(Sessions::StrongAuthMethod)
                            .string_len(20)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(ColumnDef::new(A::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(A::ControllerId).uuid().not_null())
                    .col(ColumnDef::new(A::ProcessorId).uuid().not_null())
                    .col(ColumnDef::new(A::Title).string_len(200).not_null())
                    .col(ColumnDef::new(A::SortKey).string_len(400).not_null())
                    .col(ColumnDef::new(A::Template).string_len(60).not_null())
                    .col(ColumnDef::new(A::Language).string_len(8).not_null())
                    .col(ColumnDef::new(A::Status).string_len(20).not_null())
                    .col(ColumnDef::new(A::Terms).text().not_null())
                    .col(ColumnDef::new(A::CurrentVersion).integer().not_null())
                    .col(ColumnDef::new(A::StartDate).date().null())
                    .col(ColumnDef::new(A::EndDate).date().null())
                    .col(ColumnDef::new(A::ReviewDate).date().null())
                    .col(ColumnDef::new(A::Revision).integer().not_null())
                    .col(timestamp(A::CreatedAt, true))
                    .col(timestamp(A::UpdatedAt, true))
                    .col(timestamp(A::SentAt, false))
                    .col(timestamp(A::ActivatedAt, false))
                    .col(timestamp(A::EndedAt, false))
                    .foreign_key(
                        ForeignKey::create()
                            .from(A::Table, A::ControllerId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(A::Table, A::ProcessorId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_agreements_controller", A::ControllerId),
            ("idx_agreements_processor", A::ProcessorId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(A::Table)
                        .col(column)
                        .col(A::SortKey)
                        .col(A::Id)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(V::Table)
                    .col(ColumnDef::new(V::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(V::AgreementId).uuid().not_null())
                    .col(ColumnDef::new(V::Number).integer().not_null())
                    .col(ColumnDef::new(V::Document).text().not_null())
                    .col(ColumnDef::new(V::Sha256).string_len(64).not_null())
                    .col(ColumnDef::new(V::Facts).text().not_null())
                    .col(ColumnDef::new(V::ChangeNote).text().not_null())
                    .col(timestamp(V::CreatedAt, true))
                    .foreign_key(
                        ForeignKey::create()
                            .from(V::Table, V::AgreementId)
                            .to(A::Table, A::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_agreement_versions_number")
                    .table(V::Table)
                    .col(V::AgreementId)
                    .col(V::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(ColumnDef::new(S::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(S::AgreementId).uuid().not_null())
                    .col(ColumnDef::new(S::Version).integer().not_null())
                    .col(ColumnDef::new(S::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(S::UserId).uuid().not_null())
                    .col(ColumnDef::new(S::SignerName).string_len(200).not_null())
                    .col(ColumnDef::new(S::Method).string_len(20).not_null())
                    .col(ColumnDef::new(S::DocumentSha256).string_len(64).not_null())
                    .col(timestamp(S::SignedAt, true))
                    .col(ColumnDef::new(S::Seal).text().not_null())
                    .col(ColumnDef::new(S::SealKid).string_len(100).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(S::Table, S::AgreementId)
                            .to(A::Table, A::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_agreement_signatures_version")
                    .table(S::Table)
                    .col(S::AgreementId)
                    .col(S::Version)
                    .col(S::OrganizationId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["agreement_signatures", "agreement_versions", "agreements"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Sessions::StrongAuthMethod)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Sessions::StrongAuthAt)
                    .to_owned(),
            )
            .await
    }
}
