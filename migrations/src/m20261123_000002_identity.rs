//! Identity and access: users, role grants, sessions with rotating refresh tokens, JWT
//! signing keys, and the hash-chained audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    TotpSecret,
    TotpLastStep,
    Status,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum RoleGrants {
    Table,
    Id,
    OrganizationId,
    UserId,
    Role,
    State,
    Until,
    ReviewDue,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
    RevokedReason,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    TokenHash,
    SessionId,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SigningKeys {
    Table,
    Kid,
    PrivateKeyDer,
    PublicKey,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    ChainId,
    Sequence,
    OrganizationId,
    OccurredAt,
    ActorKind,
    ActorId,
    Action,
    TargetType,
    TargetId,
    RequestId,
    Outcome,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditChains {
    Table,
    ChainId,
    LastSequence,
    LastHash,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_uuid(Users::Id))
                    // Stored lower-cased; unique.
                    .col(string_len(Users::Email, 254).unique_key())
                    .col(string_len(Users::DisplayName, 200))
                    .col(string_len_null(Users::PasswordHash, 200))
                    .col(string_len_null(Users::TotpSecret, 128))
                    .col(big_integer_null(Users::TotpLastStep))
                    .col(string_len(Users::Status, 16))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .col(integer(Users::Version).default(1))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoleGrants::Table)
                    .col(pk_uuid(RoleGrants::Id))
                    .col(uuid(RoleGrants::OrganizationId))
                    .col(uuid(RoleGrants::UserId))
                    .col(string_len(RoleGrants::Role, 32))
                    .col(string_len(RoleGrants::State, 16))
                    .col(timestamp_with_time_zone_null(RoleGrants::Until))
                    .col(timestamp_with_time_zone_null(RoleGrants::ReviewDue))
                    .col(timestamp_with_time_zone(RoleGrants::CreatedAt))
                    .col(timestamp_with_time_zone(RoleGrants::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoleGrants::Table, RoleGrants::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoleGrants::Table, RoleGrants::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_role_grants_user")
                    .table(RoleGrants::Table)
                    .col(RoleGrants::UserId)
                    .col(RoleGrants::OrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_role_grants_org")
                    .table(RoleGrants::Table)
                    .col(RoleGrants::OrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(pk_uuid(Sessions::Id))
                    .col(uuid(Sessions::UserId))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastUsedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Sessions::RevokedAt))
                    .col(string_len_null(Sessions::RevokedReason, 32))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_user")
                    .table(Sessions::Table)
                    .col(Sessions::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    // SHA-256 of the token: the token itself is never stored.
                    .col(string_len(RefreshTokens::TokenHash, 64).primary_key())
                    .col(uuid(RefreshTokens::SessionId))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshTokens::Table, RefreshTokens::SessionId)
                            .to(Sessions::Table, Sessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_tokens_session")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::SessionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SigningKeys::Table)
                    .col(string_len(SigningKeys::Kid, 64).primary_key())
                    .col(binary(SigningKeys::PrivateKeyDer))
                    .col(binary(SigningKeys::PublicKey))
                    .col(timestamp_with_time_zone(SigningKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(SigningKeys::RetiredAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(pk_uuid(AuditEvents::Id))
                    // The organisation's id, or the nil UUID for the platform's own chain.
                    .col(uuid(AuditEvents::ChainId))
                    .col(big_integer(AuditEvents::Sequence))
                    .col(uuid_null(AuditEvents::OrganizationId))
                    .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
                    .col(string_len(AuditEvents::ActorKind, 16))
                    .col(uuid_null(AuditEvents::ActorId))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len(AuditEvents::TargetType, 64))
                    .col(string_len_null(AuditEvents::TargetId, 128))
                    .col(string_len_null(AuditEvents::RequestId, 64))
                    .col(string_len(AuditEvents::Outcome, 16))
                    .col(string_len(AuditEvents::PrevHash, 64))
                    .col(string_len(AuditEvents::Hash, 64))
                    .to_owned(),
            )
            .await?;
        // The head of each chain. Appending updates it first, which locks it (a row lock on
        // PostgreSQL, the write lock on SQLite): appends to one chain take turns.
        manager
            .create_table(
                Table::create()
                    .table(AuditChains::Table)
                    .col(pk_uuid(AuditChains::ChainId))
                    .col(big_integer(AuditChains::LastSequence))
                    .col(string_len(AuditChains::LastHash, 64))
                    .to_owned(),
            )
            .await?;
        // One event per position in a chain: concurrent appends cannot fork it.
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_events_chain_seq")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::ChainId)
                    .col(AuditEvents::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Table::drop().table(AuditChains::Table).to_owned(),
            Table::drop().table(AuditEvents::Table).to_owned(),
            Table::drop().table(SigningKeys::Table).to_owned(),
            Table::drop().table(RefreshTokens::Table).to_owned(),
            Table::drop().table(Sessions::Table).to_owned(),
            Table::drop().table(RoleGrants::Table).to_owned(),
            Table::drop().table(Users::Table).to_owned(),
        ] {
            manager.drop_table(table).await?;
        }
        Ok(())
    }
}
