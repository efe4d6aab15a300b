//! Passkeys and the WebAuthn ceremonies in progress.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Passkeys {
    Table,
    Id,
    UserId,
    Name,
    CredentialId,
    Passkey,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum WebauthnCeremonies {
    Table,
    Id,
    UserId,
    Kind,
    State,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Passkeys::Table)
                    .col(pk_uuid(Passkeys::Id))
                    .col(uuid(Passkeys::UserId))
                    .col(string_len(Passkeys::Name, 100))
                    // base64url of the credential id: one account per credential.
                    .col(string_len(Passkeys::CredentialId, 1400).unique_key())
                    // webauthn-rs's Passkey (public key, counter), JSON.
                    .col(text(Passkeys::Passkey))
                    .col(timestamp_with_time_zone(Passkeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(Passkeys::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Passkeys::Table, Passkeys::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_passkeys_user")
                    .table(Passkeys::Table)
                    .col(Passkeys::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebauthnCeremonies::Table)
                    .col(pk_uuid(WebauthnCeremonies::Id))
                    .col(uuid_null(WebauthnCeremonies::UserId))
                    .col(string_len(WebauthnCeremonies::Kind, 16))
                    // webauthn-rs's ceremony state (challenge and expectations), JSON.
                    .col(text(WebauthnCeremonies::State))
                    .col(timestamp_with_time_zone(WebauthnCeremonies::CreatedAt))
                    .col(timestamp_with_time_zone(WebauthnCeremonies::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webauthn_ceremonies_expires")
                    .table(WebauthnCeremonies::Table)
                    .col(WebauthnCeremonies::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebauthnCeremonies::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Passkeys::Table).to_owned())
            .await
    }
}
