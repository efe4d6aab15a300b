//! The register, part one: the vendors' product catalogue (with every revision kept) and the
//! municipalities' systems in use. The facts are stored as JSON (checked by the domain
//! crate); the columns beside them are what lists filter and sort on.

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
    VendorId,
    Name,
    SortKey,
    Published,
    Facts,
    Revision,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProductRevisions {
    Table,
    ProductId,
    Revision,
    Facts,
    ChangedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Systems {
    Table,
    Id,
    OrganizationId,
    ProductId,
    Name,
    SortKey,
    Status,
    OwningUnit,
    ReviewDate,
    Facts,
    Revision,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Products::Table)
                    .col(ColumnDef::new(Products::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Products::VendorId).uuid().not_null())
                    .col(ColumnDef::new(Products::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Products::SortKey).string_len(400).not_null())
                    .col(ColumnDef::new(Products::Published).boolean().not_null())
                    .col(ColumnDef::new(Products::Facts).text().not_null())
                    .col(ColumnDef::new(Products::Revision).integer().not_null())
                    .col(
                        ColumnDef::new(Products::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Products::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Products::Table, Products::VendorId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The catalogue lists published products by name; a vendor lists its own.
        manager
            .create_index(
                Index::create()
                    .name("idx_products_published_name")
                    .table(Products::Table)
                    .col(Products::Published)
                    .col(Products::SortKey)
                    .col(Products::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_products_vendor_name")
                    .table(Products::Table)
                    .col(Products::VendorId)
                    .col(Products::SortKey)
                    .col(Products::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProductRevisions::Table)
                    .col(
                        ColumnDef::new(ProductRevisions::ProductId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProductRevisions::Revision)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ProductRevisions::Facts).text().not_null())
                    .col(ColumnDef::new(ProductRevisions::ChangedBy).uuid().null())
                    .col(
                        ColumnDef::new(ProductRevisions::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(ProductRevisions::ProductId)
                            .col(ProductRevisions::Revision),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProductRevisions::Table, ProductRevisions::ProductId)
                            .to(Products::Table, Products::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Systems::Table)
                    .col(ColumnDef::new(Systems::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Systems::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(Systems::ProductId).uuid().null())
                    .col(ColumnDef::new(Systems::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Systems::SortKey).string_len(400).not_null())
                    .col(ColumnDef::new(Systems::Status).string_len(20).not_null())
                    .col(
                        ColumnDef::new(Systems::OwningUnit)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Systems::ReviewDate).date().null())
                    .col(ColumnDef::new(Systems::Facts).text().not_null())
                    .col(ColumnDef::new(Systems::Revision).integer().not_null())
                    .col(
                        ColumnDef::new(Systems::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Systems::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Systems::Table, Systems::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Systems::Table, Systems::ProductId)
                            .to(Products::Table, Products::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_systems_org_name")
                    .table(Systems::Table)
                    .col(Systems::OrganizationId)
                    .col(Systems::SortKey)
                    .col(Systems::Id)
                    .to_owned(),
            )
            .await?;
        // Who uses a product (for the vendor's change notices).
        manager
            .create_index(
                Index::create()
                    .name("idx_systems_product")
                    .table(Systems::Table)
                    .col(Systems::ProductId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["systems", "product_revisions", "products"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
