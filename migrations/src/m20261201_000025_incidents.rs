//! Incidents (avvik): the organisation's register of personal data breaches (Art. 33(5)),
//! each with its facts, its running number for the year, the notices given to
//! Datatilsynet (Art. 33(4): in phases) and the resident notice decision (Art. 34); and
//! vendors' notices (Art. 33(2)), which reach every organisation using the product as a
//! draft incident whose taking-in the vendor sees.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Incidents {
    Table,
    Id,
    OrganizationId,
    Year,
    Seq,
    Status,
    Title,
    AwareAt,
    Risk,
    Facts,
    ResidentNotice,
    FirstNoticeAt,
    VendorNoticeId,
    AcknowledgedAt,
    Revision,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum VendorIncidents {
    Table,
    Id,
    VendorId,
    ProductId,
    Title,
    Facts,
    SentBy,
    SentAt,
}

#[derive(DeriveIden)]
enum IncidentNotices {
    Table,
    Id,
    IncidentId,
    Phase,
    SentAt,
    Reference,
    LateReason,
    Report,
    RecordedBy,
    RecordedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use IncidentNotices as N;
        use Incidents as I;
        let at = |c: I| {
            ColumnDef::new(c)
                .timestamp_with_time_zone()
                .not_null()
                .to_owned()
        };
        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(ColumnDef::new(I::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(I::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(I::Year).integer().not_null())
                    .col(ColumnDef::new(I::Seq).integer().not_null())
                    .col(ColumnDef::new(I::Status).string_len(16).not_null())
                    .col(ColumnDef::new(I::Title).string_len(200).not_null())
                    .col(at(I::AwareAt))
                    .col(ColumnDef::new(I::Risk).string_len(16).not_null())
                    .col(ColumnDef::new(I::Facts).text().not_null())
                    .col(ColumnDef::new(I::ResidentNotice).text().null())
                    .col(
                        ColumnDef::new(I::FirstNoticeAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(I::VendorNoticeId).uuid().null())
                    .col(
                        ColumnDef::new(I::AcknowledgedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(I::Revision).integer().not_null())
                    .col(ColumnDef::new(I::CreatedBy).uuid().null())
                    .col(at(I::CreatedAt))
                    .col(at(I::UpdatedAt))
                    .col(
                        ColumnDef::new(I::ClosedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        // The register lists newest first; the running number is unique per year.
        manager
            .create_index(
                Index::create()
                    .name("idx_incidents_org")
                    .table(I::Table)
                    .col(I::OrganizationId)
                    .col(I::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_incidents_number")
                    .table(I::Table)
                    .col(I::OrganizationId)
                    .col(I::Year)
                    .col(I::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Open clocks across organisations, for reminders.
        manager
            .create_index(
                Index::create()
                    .name("idx_incidents_clock")
                    .table(I::Table)
                    .col(I::Status)
                    .col(I::AwareAt)
                    .to_owned(),
            )
            .await?;
        // The recipients of a vendor's notice.
        manager
            .create_index(
                Index::create()
                    .name("idx_incidents_vendor_notice")
                    .table(I::Table)
                    .col(I::VendorNoticeId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VendorIncidents::Table)
                    .col(
                        ColumnDef::new(VendorIncidents::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(VendorIncidents::VendorId).uuid().not_null())
                    .col(ColumnDef::new(VendorIncidents::ProductId).uuid().not_null())
                    .col(
                        ColumnDef::new(VendorIncidents::Title)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(ColumnDef::new(VendorIncidents::Facts).text().not_null())
                    .col(ColumnDef::new(VendorIncidents::SentBy).uuid().null())
                    .col(
                        ColumnDef::new(VendorIncidents::SentAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_vendor_incidents_vendor")
                    .table(VendorIncidents::Table)
                    .col(VendorIncidents::VendorId)
                    .col(VendorIncidents::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(ColumnDef::new(N::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(N::IncidentId).uuid().not_null())
                    .col(ColumnDef::new(N::Phase).string_len(16).not_null())
                    .col(
                        ColumnDef::new(N::SentAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(N::Reference).string_len(200).null())
                    .col(ColumnDef::new(N::LateReason).text().null())
                    .col(ColumnDef::new(N::Report).text().not_null())
                    .col(ColumnDef::new(N::RecordedBy).uuid().null())
                    .col(
                        ColumnDef::new(N::RecordedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(N::Table, N::IncidentId)
                            .to(I::Table, I::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_incident_notices_incident")
                    .table(N::Table)
                    .col(N::IncidentId)
                    .col(N::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IncidentNotices::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(VendorIncidents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Incidents::Table).to_owned())
            .await
    }
}
