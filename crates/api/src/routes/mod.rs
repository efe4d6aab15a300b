//! The API's routes, one module per capability.

pub mod activities;
pub mod agreement_deadlines;
pub mod agreement_templates;
pub mod agreements;
pub mod api_clients;
pub mod archive;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod bench;
pub mod campaigns;
pub mod common;
pub mod comparison;
pub mod consents;
pub mod dpia;
pub mod health;
pub mod incidents;
pub mod invitations;
pub mod me;
pub mod members;
pub mod notifications;
pub mod organizations;
pub mod overview;
pub mod passkeys;
pub mod products;
pub mod record;
pub mod requests;
pub mod resident;
pub mod reviews;
pub mod role_requests;
pub mod settings;
pub mod sheets;
pub mod step_up;
pub mod systems;
pub mod tasks;
pub mod templates;
pub mod token;
pub mod totp;
pub mod usage;
pub mod vendor_incidents;
pub mod vocabulary;
pub mod webhooks;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Mounts every documented route. Used both by the server and to build the OpenAPI document.
pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(health::health);
    cfg.service(scope::scope("/api/v1").configure(v1));
}

fn v1(cfg: &mut ServiceConfig) {
    auth::mount(cfg);
    token::mount(cfg);
    me::mount(cfg);
    notifications::mount(cfg);
    totp::mount(cfg);
    organizations::mount(cfg);
    members::mount(cfg);
    audit::mount(cfg);
    settings::mount(cfg);
    api_clients::mount(cfg);
    webhooks::mount(cfg);
    invitations::mount(cfg);
    role_requests::mount(cfg);
    passkeys::mount(cfg);
    products::mount(cfg);
    resident::mount(cfg);
    attachments::mount(cfg);
    dpia::mount(cfg);
    incidents::mount(cfg);
    vendor_incidents::mount(cfg);
    consents::mount(cfg);
    overview::mount(cfg);
    systems::mount(cfg);
    activities::mount(cfg);
    record::mount(cfg);
    reviews::mount(cfg);
    templates::mount(cfg);
    comparison::mount(cfg);
    vocabulary::mount(cfg);
    usage::mount(cfg);
    step_up::mount(cfg);
    agreements::mount(cfg);
    agreement_deadlines::mount(cfg);
    agreement_templates::mount(cfg);
    campaigns::mount(cfg);
    requests::mount(cfg);
    tasks::mount(cfg);
    archive::mount(cfg);
}
