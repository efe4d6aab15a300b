//! sea-orm entities: the tables as they are stored. Domain types live in `vern_domain`;
//! the repository modules translate.

pub mod activity_system;
pub mod activity_template;
pub mod agreement;
pub mod agreement_signature;
pub mod agreement_version;
pub mod api_client;
pub mod audit_chain;
pub mod audit_event;
pub mod invitation;
pub mod local_term;
pub mod login_throttle;
pub mod organization;
pub mod passkey;
pub mod processing_activity;
pub mod product;
pub mod product_revision;
pub mod refresh_token;
pub mod review_item;
pub mod role_grant;
pub mod role_request;
pub mod session;
pub mod signing_key;
pub mod system;
pub mod system_owner;
pub mod user;
pub mod webauthn_ceremony;
