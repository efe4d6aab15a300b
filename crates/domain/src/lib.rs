//! Vern's domain: the rules that hold whatever the transport or storage.
//!
//! What belongs here: identifiers and their parsers (organisasjonsnummer, kommunenummer, …),
//! typed ids, organisation kinds, pagination cursors, problem codes, and the DTOs that the
//! API serialises and the SPA deserialises. What does not: I/O of any kind — no actix, no
//! sea-orm, no tokio, no reqwest. The crate builds for `wasm32-unknown-unknown` so the SPA
//! reuses the same parsers and types; `just test` checks both.
//!
//! Time is always passed in; nothing here reads the clock.

pub mod access;
pub mod agreements;
pub mod assessment;
pub mod calendar;
pub mod connector;
pub mod consents;
pub mod dpia;
pub mod email;
pub mod ids;
pub mod incidents;
pub mod notifications;
pub mod organization;
pub mod pagination;
pub mod person;
pub mod problem;
pub mod register;
pub mod requests;
pub mod scheduler;
pub mod sensitive;
pub mod service;
pub mod sort_key;
pub mod webhooks;

pub use email::EmailAddress;
pub use ids::OrganizationId;
pub use organization::{KommuneNumber, OrgKind, OrgNumber};
