//! The resident side of requests: login sessions of residents (opened through OpenID Connect;
//! the national id sealed, found by its keyed hash), and when a released answer's window closes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ResidentSessions {
    Table,
    Id,
    TokenHash,
    SubjectKey,
    NationalId,
    AuthTime,
    CreatedAt,
    ExpiresAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    AnswerUntil,
    PurgedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ResidentSessions as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(ColumnDef::new(S::Id).uuid().not_null().primary_key())
                    // SHA-256 of the session cookie's value: the value itself is never stored.
                    .col(ColumnDef::new(S::TokenHash).string_len(64).not_null())
                    // The keyed hash of the national id (as `requests.requester_key`).
                    .col(ColumnDef::new(S::SubjectKey).string_len(64).not_null())
                    // The national id, sealed with the content key.
                    .col(ColumnDef::new(S::NationalId).text().not_null())
                    // When the identity provider last saw the resident log in.
                    .col(
                        ColumnDef::new(S::AuthTime)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(S::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(S::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(S::EndedAt).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_resident_sessions_token")
                    .table(S::Table)
                    .col(S::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_resident_sessions_expiry")
                    .table(S::Table)
                    .col(S::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        // The end of the window in which the resident can read a released answer; the
        // contents are purged after it.
        manager
            .alter_table(
                Table::alter()
                    .table(Requests::Table)
                    .add_column(
                        ColumnDef::new(Requests::AnswerUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        // The purge's scan: cases not yet purged whose window has closed.
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_purge")
                    .table(Requests::Table)
                    .col(Requests::PurgedAt)
                    .col(Requests::AnswerUntil)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_requests_purge")
                    .table(Requests::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Requests::Table)
                    .drop_column(Requests::AnswerUntil)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ResidentSessions::Table).to_owned())
            .await
    }
}
