//! Review items: a vendor's material change to a product, to be looked at on each system and
//! processing activity built on it. The subject is a system or an activity (no foreign key:
//! the entry's deletion removes its items in the same transaction).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReviewItems {
    Table,
    Id,
    OrganizationId,
    SubjectKind,
    SubjectId,
    ProductId,
    Status,
    Change,
    Outcome,
    Note,
    ResolvedBy,
    ResolvedAt,
    Revision,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ReviewItems as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(ColumnDef::new(R::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(R::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(R::SubjectKind).string_len(30).not_null())
                    .col(ColumnDef::new(R::SubjectId).uuid().not_null())
                    .col(ColumnDef::new(R::ProductId).uuid().not_null())
                    .col(ColumnDef::new(R::Status).string_len(20).not_null())
                    .col(ColumnDef::new(R::Change).text().not_null())
                    .col(ColumnDef::new(R::Outcome).string_len(30).null())
                    .col(ColumnDef::new(R::Note).text().null())
                    .col(ColumnDef::new(R::ResolvedBy).uuid().null())
                    .col(
                        ColumnDef::new(R::ResolvedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(R::Revision).integer().not_null())
                    .col(
                        ColumnDef::new(R::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(R::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(R::Table, R::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(R::Table, R::ProductId)
                            .to(Products::Table, Products::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The organisation's list, newest first, by status.
        manager
            .create_index(
                Index::create()
                    .name("idx_review_items_org_status")
                    .table(R::Table)
                    .col(R::OrganizationId)
                    .col(R::Status)
                    .col(R::Id)
                    .to_owned(),
            )
            .await?;
        // An entry's items (its page, deleting the entry).
        manager
            .create_index(
                Index::create()
                    .name("idx_review_items_subject")
                    .table(R::Table)
                    .col(R::SubjectId)
                    .col(R::Status)
                    .to_owned(),
            )
            .await?;
        // A product's open items, which its next change folds into.
        manager
            .create_index(
                Index::create()
                    .name("idx_review_items_product")
                    .table(R::Table)
                    .col(R::ProductId)
                    .col(R::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("review_items")).to_owned())
            .await
    }
}
