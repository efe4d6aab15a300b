//! Routing requests to systems: a connector per system (endpoint and sealed shared secret),
//! one task per system a request is routed to (its result sealed), and the delivery ids of
//! callbacks already taken (replay protection).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Systems {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SystemConnectors {
    Table,
    SystemId,
    OrganizationId,
    Endpoint,
    Secret,
    CreatedAt,
    UpdatedAt,
    Revision,
}

#[derive(DeriveIden)]
enum RequestTasks {
    Table,
    Id,
    RequestId,
    OrganizationId,
    SystemId,
    Mode,
    Status,
    ManualReason,
    Outcome,
    Attempts,
    NextAttemptAt,
    RespondBy,
    SentAt,
    CompletedAt,
    CompletedBy,
    LastError,
    Result,
    CreatedAt,
    UpdatedAt,
    Revision,
}

#[derive(DeriveIden)]
enum ConnectorDeliveries {
    Table,
    DeliveryId,
    TaskId,
    ReceivedAt,
}

fn timestamp(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn optional_timestamp(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ConnectorDeliveries as D;
        use RequestTasks as T;
        use SystemConnectors as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(ColumnDef::new(C::SystemId).uuid().not_null().primary_key())
                    .col(ColumnDef::new(C::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(C::Endpoint).string_len(500).not_null())
                    // The shared secret, sealed with the secrets key.
                    .col(ColumnDef::new(C::Secret).text().not_null())
                    .col(timestamp(C::CreatedAt))
                    .col(timestamp(C::UpdatedAt))
                    .col(ColumnDef::new(C::Revision).integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(C::Table, C::SystemId)
                            .to(Systems::Table, Systems::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::Table)
                    .col(ColumnDef::new(T::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(T::RequestId).uuid().not_null())
                    .col(ColumnDef::new(T::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(T::SystemId).uuid().not_null())
                    .col(ColumnDef::new(T::Mode).string_len(16).not_null())
                    .col(ColumnDef::new(T::Status).string_len(32).not_null())
                    .col(ColumnDef::new(T::ManualReason).string_len(32).null())
                    .col(ColumnDef::new(T::Outcome).string_len(16).null())
                    .col(ColumnDef::new(T::Attempts).integer().not_null())
                    .col(optional_timestamp(T::NextAttemptAt))
                    .col(ColumnDef::new(T::RespondBy).date().not_null())
                    .col(optional_timestamp(T::SentAt))
                    .col(optional_timestamp(T::CompletedAt))
                    .col(ColumnDef::new(T::CompletedBy).uuid().null())
                    // A short code (`timeout`, `status_503`): never a response body.
                    .col(ColumnDef::new(T::LastError).string_len(64).null())
                    // The sealed `TaskResult`; NULL until answered and once purged.
                    .col(ColumnDef::new(T::Result).text().null())
                    .col(timestamp(T::CreatedAt))
                    .col(timestamp(T::UpdatedAt))
                    .col(ColumnDef::new(T::Revision).integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(T::Table, T::RequestId)
                            .to(Requests::Table, Requests::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(T::Table, T::SystemId)
                            .to(Systems::Table, Systems::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_tasks_request_system")
                    .table(T::Table)
                    .col(T::RequestId)
                    .col(T::SystemId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A system owner's task list.
        manager
            .create_index(
                Index::create()
                    .name("idx_request_tasks_system")
                    .table(T::Table)
                    .col(T::OrganizationId)
                    .col(T::SystemId)
                    .col(T::Status)
                    .col(T::Id)
                    .to_owned(),
            )
            .await?;
        // The sender's queue.
        manager
            .create_index(
                Index::create()
                    .name("idx_request_tasks_queue")
                    .table(T::Table)
                    .col(T::Status)
                    .col(T::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(
                        ColumnDef::new(D::DeliveryId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(D::TaskId).uuid().not_null())
                    .col(timestamp(D::ReceivedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ConnectorDeliveries::Table.into_iden(),
            RequestTasks::Table.into_iden(),
            SystemConnectors::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
