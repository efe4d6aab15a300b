//! System owners: the users (holding the `system_owner` role) who may edit a system. The
//! system's facts carry the list; this table indexes it, so "my systems" is a lookup.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Systems {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SystemOwners {
    Table,
    SystemId,
    UserId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SystemOwners as O;
        manager
            .create_table(
                Table::create()
                    .table(O::Table)
                    .col(ColumnDef::new(O::SystemId).uuid().not_null())
                    .col(ColumnDef::new(O::UserId).uuid().not_null())
                    .primary_key(Index::create().col(O::SystemId).col(O::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(O::Table, O::SystemId)
                            .to(Systems::Table, Systems::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(O::Table, O::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_system_owners_user")
                    .table(O::Table)
                    .col(O::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("system_owners")).to_owned())
            .await
    }
}
