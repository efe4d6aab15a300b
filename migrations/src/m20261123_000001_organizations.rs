use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Kind,
    Name,
    SortKey,
    OrgNumber,
    Kommunenummer,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(pk_uuid(Organizations::Id))
                    .col(string_len(Organizations::Kind, 16))
                    .col(string_len(Organizations::Name, 200))
                    // Norwegian collation folded to bytes (vern_domain::sort_key); ordering
                    // and `?q=` search use it, identically on SQLite and PostgreSQL.
                    .col(string_len(Organizations::SortKey, 200))
                    .col(string_len_null(Organizations::OrgNumber, 9).unique_key())
                    .col(string_len_null(Organizations::Kommunenummer, 4).unique_key())
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .col(timestamp_with_time_zone(Organizations::UpdatedAt))
                    .col(integer(Organizations::Version).default(1))
                    .to_owned(),
            )
            .await?;
        // The list is ordered by (sort_key, id), optionally filtered by kind: keyset
        // pagination walks these indexes.
        manager
            .create_index(
                Index::create()
                    .name("idx_organizations_sort")
                    .table(Organizations::Table)
                    .col(Organizations::SortKey)
                    .col(Organizations::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_organizations_kind_sort")
                    .table(Organizations::Table)
                    .col(Organizations::Kind)
                    .col(Organizations::SortKey)
                    .col(Organizations::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Organizations::Table).to_owned())
            .await
    }
}
