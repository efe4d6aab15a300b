//! The scheduler's jobs (when each is next due and which instance holds it) with a log of
//! runs, in-app notifications per user with the state of their e-mail, each user's choice
//! of language and of the kinds not to be e-mailed, and an index for deadline reminders.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ScheduledJobs {
    Table,
    Name,
    DueAt,
    LockedBy,
    LockedUntil,
    LastRunAt,
    LastOutcome,
}

#[derive(DeriveIden)]
enum JobRuns {
    Table,
    Id,
    Job,
    Slot,
    Instance,
    StartedAt,
    FinishedAt,
    Outcome,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Status,
    DueOn,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    OrganizationId,
    Kind,
    SubjectType,
    SubjectId,
    Params,
    DedupKey,
    CreatedAt,
    ReadAt,
    EmailState,
    EmailedAt,
}

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    UserId,
    Language,
    EmailOff,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use JobRuns as R;
        use Notifications as N;
        use ScheduledJobs as J;
        let at = |c: DynIden| {
            ColumnDef::new(c)
                .timestamp_with_time_zone()
                .not_null()
                .to_owned()
        };
        let at_null = |c: DynIden| {
            ColumnDef::new(c)
                .timestamp_with_time_zone()
                .null()
                .to_owned()
        };
        manager
            .create_table(
                Table::create()
                    .table(J::Table)
                    .col(
                        ColumnDef::new(J::Name)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(at(J::DueAt.into_iden()))
                    .col(ColumnDef::new(J::LockedBy).string_len(64).null())
                    .col(at_null(J::LockedUntil.into_iden()))
                    .col(at_null(J::LastRunAt.into_iden()))
                    .col(ColumnDef::new(J::LastOutcome).string_len(200).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(ColumnDef::new(R::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(R::Job).string_len(64).not_null())
                    .col(at(R::Slot.into_iden()))
                    .col(ColumnDef::new(R::Instance).string_len(64).not_null())
                    .col(at(R::StartedAt.into_iden()))
                    .col(at_null(R::FinishedAt.into_iden()))
                    .col(ColumnDef::new(R::Outcome).string_len(200).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_job_runs_job")
                    .table(R::Table)
                    .col(R::Job)
                    .col(R::Slot)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(ColumnDef::new(N::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(N::UserId).uuid().not_null())
                    .col(ColumnDef::new(N::OrganizationId).uuid().not_null())
                    .col(ColumnDef::new(N::Kind).string_len(64).not_null())
                    .col(ColumnDef::new(N::SubjectType).string_len(32).not_null())
                    .col(ColumnDef::new(N::SubjectId).uuid().not_null())
                    .col(ColumnDef::new(N::Params).text().not_null())
                    .col(ColumnDef::new(N::DedupKey).string_len(200).not_null())
                    .col(at(N::CreatedAt.into_iden()))
                    .col(at_null(N::ReadAt.into_iden()))
                    .col(
                        ColumnDef::new(N::EmailState)
                            .string_len(16)
                            .not_null()
                            .default("pending"),
                    )
                    .col(at_null(N::EmailedAt.into_iden()))
                    .to_owned(),
            )
            .await?;
        // One per person, kind and subject; the reader's list newest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_dedup")
                    .table(N::Table)
                    .col(N::UserId)
                    .col(N::DedupKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The mail job takes the pending ones, oldest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_email")
                    .table(N::Table)
                    .col(N::EmailState)
                    .col(N::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationPreferences::Table)
                    .col(
                        ColumnDef::new(NotificationPreferences::UserId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(NotificationPreferences::Language)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(NotificationPreferences::EmailOff)
                            .text()
                            .not_null(),
                    )
                    .col(at(NotificationPreferences::UpdatedAt.into_iden()))
                    .to_owned(),
            )
            .await?;
        // Deadline reminders look across organisations at open cases by due date.
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_due")
                    .table(Requests::Table)
                    .col(Requests::Status)
                    .col(Requests::DueOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_user")
                    .table(N::Table)
                    .col(N::UserId)
                    .col(N::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_requests_due")
                    .table(Requests::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            NotificationPreferences::Table.into_iden(),
            Notifications::Table.into_iden(),
            JobRuns::Table.into_iden(),
            ScheduledJobs::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
