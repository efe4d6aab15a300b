//! API clients of an external authorisation server (Maskinporten): the integration's
//! `client_id` there, looked up with the organisation when one of its tokens arrives.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiClients {
    Table,
    OrganizationId,
    ExternalClientId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ApiClients::Table)
                    .add_column(
                        ColumnDef::new(ApiClients::ExternalClientId)
                            .string_len(100)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_clients_external")
                    .table(ApiClients::Table)
                    .col(ApiClients::OrganizationId)
                    .col(ApiClients::ExternalClientId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_api_clients_external")
                    .table(ApiClients::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ApiClients::Table)
                    .drop_column(ApiClients::ExternalClientId)
                    .to_owned(),
            )
            .await
    }
}
