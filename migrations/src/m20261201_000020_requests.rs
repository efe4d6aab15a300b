//! Data-subject requests: the case (metadata in the clear for deadlines and lists, the
//! personal part sealed), its history, and each organisation's request policy.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
    OrganizationId,
    Year,
    Sequence,
    Kind,
    Channel,
    Status,
    ReceivedAt,
    ReceivedOn,
    DueOn,
    Clock,
    RefusalGround,
    AssigneeId,
    RequesterKey,
    Contents,
    RegisteredBy,
    ClosedAt,
    PurgedAt,
    CreatedAt,
    UpdatedAt,
    Revision,
}

#[derive(DeriveIden)]
enum RequestEvents {
    Table,
    Id,
    RequestId,
    At,
    Kind,
    ActorId,
    Detail,
    Text,
}

#[derive(DeriveIden)]
enum RequestSettings {
    Table,
    OrganizationId,
    PauseStopsClock,
    AnswerWindowDays,
    UpdatedAt,
    Revision,
}

fn timestamp(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use RequestEvents as E;
        use RequestSettings as S;
        use Requests as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(ColumnDef::new(R::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(R::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(R::Year).integer().not_null())
                    .col(ColumnDef::new(R::Sequence).integer().not_null())
                    .col(ColumnDef::new(R::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(R::Channel).string_len(32).not_null())
                    .col(ColumnDef::new(R::Status).string_len(32).not_null())
                    .col(timestamp(R::ReceivedAt))
                    .col(ColumnDef::new(R::ReceivedOn).date().not_null())
                    // The deadline as of the last change, for sorting and the overdue list;
                    // views recompute it from the clock.
                    .col(ColumnDef::new(R::DueOn).date().not_null())
                    .col(ColumnDef::new(R::Clock).text().not_null())
                    .col(ColumnDef::new(R::RefusalGround).string_len(64).null())
                    .col(ColumnDef::new(R::AssigneeId).uuid().null())
                    // HMAC of the requester's national id: finds a resident's own requests
                    // without storing the number in the clear.
                    .col(ColumnDef::new(R::RequesterKey).string_len(64).null())
                    // The sealed `RequestContents`; NULL once purged.
                    .col(ColumnDef::new(R::Contents).text().null())
                    .col(ColumnDef::new(R::RegisteredBy).uuid().null())
                    .col(
                        ColumnDef::new(R::ClosedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(R::PurgedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(timestamp(R::CreatedAt))
                    .col(timestamp(R::UpdatedAt))
                    .col(ColumnDef::new(R::Revision).integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(R::Table, R::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_reference")
                    .table(R::Table)
                    .col(R::OrganizationId)
                    .col(R::Year)
                    .col(R::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_deadline")
                    .table(R::Table)
                    .col(R::OrganizationId)
                    .col(R::DueOn)
                    .col(R::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_requester")
                    .table(R::Table)
                    .col(R::RequesterKey)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(E::Table)
                    .col(ColumnDef::new(E::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(E::RequestId).uuid().not_null())
                    .col(timestamp(E::At))
                    .col(ColumnDef::new(E::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(E::ActorId).uuid().null())
                    // Months, a refusal ground, an assignee id: never personal data.
                    .col(ColumnDef::new(E::Detail).string_len(200).null())
                    // Sealed free text (a note, reasons, a reply); NULL once purged.
                    .col(ColumnDef::new(E::Text).text().null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(E::Table, E::RequestId)
                            .to(R::Table, R::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_events_request")
                    .table(E::Table)
                    .col(E::RequestId)
                    .col(E::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(
                        ColumnDef::new(S::OrganizationId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(S::PauseStopsClock).boolean().not_null())
                    .col(ColumnDef::new(S::AnswerWindowDays).integer().not_null())
                    .col(timestamp(S::UpdatedAt))
                    .col(ColumnDef::new(S::Revision).integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(S::Table, S::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RequestSettings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RequestEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Requests::Table).to_owned())
            .await
    }
}
