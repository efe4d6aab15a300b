//! Files residents attach to their requests: the name and the bytes sealed with the content
//! key (NULL once purged), the kind read from the bytes, size and SHA-256 in the clear.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RequestAttachments {
    Table,
    Id,
    RequestId,
    FileName,
    Kind,
    Size,
    Sha256,
    Content,
    UploadedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use RequestAttachments as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(ColumnDef::new(A::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(A::RequestId).uuid().not_null())
                    .col(ColumnDef::new(A::FileName).text().null())
                    .col(ColumnDef::new(A::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(A::Size).big_integer().not_null())
                    .col(ColumnDef::new(A::Sha256).string_len(64).not_null())
                    .col(ColumnDef::new(A::Content).text().null())
                    .col(
                        ColumnDef::new(A::UploadedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(A::Table, A::RequestId)
                            .to(Requests::Table, Requests::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_attachments_request")
                    .table(A::Table)
                    .col(A::RequestId)
                    .col(A::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RequestAttachments::Table).to_owned())
            .await
    }
}
