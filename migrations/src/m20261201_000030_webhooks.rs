//! Webhooks: an organisation's subscriptions to events, and the delivery log — an outbox
//! written in the same transaction as the change it tells of, sent and retried by the server.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    OrganizationId,
    Url,
    EventTypes,
    Description,
    Secret,
    CreatedBy,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    OrganizationId,
    EventId,
    EventKey,
    EventType,
    ObjectType,
    ObjectId,
    OccurredAt,
    Status,
    Attempts,
    NextAttemptAt,
    LastAttemptAt,
    LastStatus,
    LastError,
    DeliveredAt,
    ReplayOf,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use WebhookDeliveries as D;
        use Webhooks as W;
        manager
            .create_table(
                Table::create()
                    .table(W::Table)
                    .col(ColumnDef::new(W::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(W::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(W::Url).string_len(2000).not_null())
                    .col(ColumnDef::new(W::EventTypes).text().not_null())
                    .col(ColumnDef::new(W::Description).string_len(200).null())
                    .col(ColumnDef::new(W::Secret).text().not_null())
                    .col(ColumnDef::new(W::CreatedBy).uuid().null())
                    .col(
                        ColumnDef::new(W::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(W::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhooks_org")
                    .table(W::Table)
                    .col(W::OrganizationId)
                    .col(W::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(ColumnDef::new(D::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(D::WebhookId).uuid().not_null())
                    .col(ColumnDef::new(D::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(D::EventId).uuid().not_null())
                    .col(ColumnDef::new(D::EventKey).string_len(200).not_null())
                    .col(ColumnDef::new(D::EventType).string_len(40).not_null())
                    .col(ColumnDef::new(D::ObjectType).string_len(20).not_null())
                    .col(ColumnDef::new(D::ObjectId).uuid().not_null())
                    .col(
                        ColumnDef::new(D::OccurredAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(D::Status).string_len(16).not_null())
                    .col(ColumnDef::new(D::Attempts).integer().not_null())
                    .col(
                        ColumnDef::new(D::NextAttemptAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(D::LastAttemptAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(D::LastStatus).integer().null())
                    .col(ColumnDef::new(D::LastError).string_len(40).null())
                    .col(
                        ColumnDef::new(D::DeliveredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(D::ReplayOf).uuid().null())
                    .col(
                        ColumnDef::new(D::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(D::Table, D::WebhookId)
                            .to(W::Table, W::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One delivery per webhook and event (a deadline reminder is an event per due day);
        // replays carry their own key.
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_event")
                    .table(D::Table)
                    .col(D::WebhookId)
                    .col(D::EventKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_webhook_deliveries_due",
                vec![D::Status, D::NextAttemptAt],
            ),
            ("idx_webhook_deliveries_org", vec![D::OrganizationId, D::Id]),
        ] {
            let mut index = Index::create();
            index.name(name).table(D::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Webhooks::Table).to_owned())
            .await
    }
}
