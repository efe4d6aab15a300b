//! The organisation administrator's tools: API clients for integrators, invitations for new
//! members, and role requests.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiClients {
    Table,
    Id,
    OrganizationId,
    Name,
    SecretHash,
    Scopes,
    ExpiresAt,
    RevokedAt,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    OrganizationId,
    Email,
    DisplayName,
    Roles,
    TokenHash,
    PendingTotpSecret,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
    AcceptedUserId,
    RevokedAt,
}

#[derive(DeriveIden)]
enum RoleRequests {
    Table,
    Id,
    OrganizationId,
    UserId,
    Role,
    Justification,
    State,
    CreatedAt,
    DecidedAt,
    DecidedBy,
    DecisionNote,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn org_fk(
    table: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Organizations::Table, Organizations::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiClients::Table)
                    // The id is the OAuth client_id.
                    .col(pk_uuid(ApiClients::Id))
                    .col(uuid(ApiClients::OrganizationId))
                    .col(string_len(ApiClients::Name, 100))
                    // SHA-256 of a 256-bit random secret: the secret itself is never stored.
                    .col(string_len(ApiClients::SecretHash, 64))
                    // JSON array of permission names.
                    .col(text(ApiClients::Scopes))
                    .col(timestamp_with_time_zone(ApiClients::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiClients::RevokedAt))
                    .col(uuid_null(ApiClients::CreatedBy))
                    .col(timestamp_with_time_zone(ApiClients::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiClients::LastUsedAt))
                    .foreign_key(&mut org_fk(ApiClients::Table, ApiClients::OrganizationId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_clients_org")
                    .table(ApiClients::Table)
                    .col(ApiClients::OrganizationId)
                    .col(ApiClients::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(pk_uuid(Invitations::Id))
                    .col(uuid(Invitations::OrganizationId))
                    // Stored lower-cased.
                    .col(string_len(Invitations::Email, 254))
                    .col(string_len(Invitations::DisplayName, 200))
                    // JSON array of role names granted on acceptance.
                    .col(text(Invitations::Roles))
                    // SHA-256 of the link's token.
                    .col(string_len(Invitations::TokenHash, 64).unique_key())
                    // The TOTP secret offered during enrolment, until the invitee confirms it.
                    .col(string_len_null(Invitations::PendingTotpSecret, 128))
                    .col(uuid_null(Invitations::CreatedBy))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invitations::AcceptedAt))
                    .col(uuid_null(Invitations::AcceptedUserId))
                    .col(timestamp_with_time_zone_null(Invitations::RevokedAt))
                    .foreign_key(&mut org_fk(Invitations::Table, Invitations::OrganizationId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_invitations_org")
                    .table(Invitations::Table)
                    .col(Invitations::OrganizationId)
                    .col(Invitations::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoleRequests::Table)
                    .col(pk_uuid(RoleRequests::Id))
                    .col(uuid(RoleRequests::OrganizationId))
                    .col(uuid(RoleRequests::UserId))
                    .col(string_len(RoleRequests::Role, 32))
                    .col(text(RoleRequests::Justification))
                    .col(string_len(RoleRequests::State, 16))
                    .col(timestamp_with_time_zone(RoleRequests::CreatedAt))
                    .col(timestamp_with_time_zone_null(RoleRequests::DecidedAt))
                    .col(uuid_null(RoleRequests::DecidedBy))
                    .col(text_null(RoleRequests::DecisionNote))
                    .foreign_key(&mut org_fk(
                        RoleRequests::Table,
                        RoleRequests::OrganizationId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoleRequests::Table, RoleRequests::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_role_requests_org_state")
                    .table(RoleRequests::Table)
                    .col(RoleRequests::OrganizationId)
                    .col(RoleRequests::State)
                    .col(RoleRequests::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_role_requests_user")
                    .table(RoleRequests::Table)
                    .col(RoleRequests::UserId)
                    .col(RoleRequests::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Table::drop().table(RoleRequests::Table).to_owned(),
            Table::drop().table(Invitations::Table).to_owned(),
            Table::drop().table(ApiClients::Table).to_owned(),
        ] {
            manager.drop_table(table).await?;
        }
        Ok(())
    }
}
