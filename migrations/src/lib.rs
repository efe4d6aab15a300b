//! Vern's schema. Each migration is a file named by date; once landed it is never edited —
//! a change is a new migration. `vern migrate` and server start-up apply pending ones.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_organizations;
mod m20261123_000002_identity;
mod m20261123_000003_login_throttle;
mod m20261123_000004_ip_allowlist;
mod m20261124_000005_access_admin;
mod m20261124_000006_passkeys;
mod m20261124_000007_audit_indexes;
mod m20261124_000008_auth_policy;
mod m20261124_000009_register;
mod m20261130_000010_activities;
mod m20261130_000011_review_items;
mod m20261130_000012_system_owners;
mod m20261130_000013_reuse;
mod m20261130_000014_local_terms;
mod m20261130_000015_usage_sharing;
mod m20261201_000016_agreements;
mod m20261201_000017_agreement_notices;
mod m20261201_000018_campaigns;
mod m20261201_000019_agreement_templates;
mod m20261201_000020_requests;
mod m20261201_000021_request_tasks;
mod m20261201_000022_residents;
mod m20261201_000023_request_attachments;
mod m20261201_000024_dpia_screenings;
mod m20261201_000025_incidents;
mod m20261201_000026_scheduler_notifications;
mod m20261201_000027_consents;
mod m20261201_000028_dpia_assessments;
mod m20261201_000029_external_clients;
mod m20261201_000030_webhooks;
mod m20261201_000031_webhook_secret_rotation;

#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_organizations::Migration),
            Box::new(m20261123_000002_identity::Migration),
            Box::new(m20261123_000003_login_throttle::Migration),
            Box::new(m20261123_000004_ip_allowlist::Migration),
            Box::new(m20261124_000005_access_admin::Migration),
            Box::new(m20261124_000006_passkeys::Migration),
            Box::new(m20261124_000007_audit_indexes::Migration),
            Box::new(m20261124_000008_auth_policy::Migration),
            Box::new(m20261124_000009_register::Migration),
            Box::new(m20261130_000010_activities::Migration),
            Box::new(m20261130_000011_review_items::Migration),
            Box::new(m20261130_000012_system_owners::Migration),
            Box::new(m20261130_000013_reuse::Migration),
            Box::new(m20261130_000014_local_terms::Migration),
            Box::new(m20261130_000015_usage_sharing::Migration),
            Box::new(m20261201_000016_agreements::Migration),
            Box::new(m20261201_000017_agreement_notices::Migration),
            Box::new(m20261201_000018_campaigns::Migration),
            Box::new(m20261201_000019_agreement_templates::Migration),
            Box::new(m20261201_000020_requests::Migration),
            Box::new(m20261201_000021_request_tasks::Migration),
            Box::new(m20261201_000022_residents::Migration),
            Box::new(m20261201_000023_request_attachments::Migration),
            Box::new(m20261201_000024_dpia_screenings::Migration),
            Box::new(m20261201_000025_incidents::Migration),
            Box::new(m20261201_000026_scheduler_notifications::Migration),
            Box::new(m20261201_000027_consents::Migration),
            Box::new(m20261201_000028_dpia_assessments::Migration),
            Box::new(m20261201_000029_external_clients::Migration),
            Box::new(m20261201_000030_webhooks::Migration),
            Box::new(m20261201_000031_webhook_secret_rotation::Migration),
        ]
    }
}
