#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Integration tests: the real server on port 0 against its own database — an SQLite file
//! by default, a uniquely named PostgreSQL database when `TEST_DATABASE_URL` is set.

mod activities;
mod agreements;
mod api_clients;
mod archive;
mod audit;
mod auth;
mod campaigns;
mod consents;
mod dpia;
mod errors;
mod external_tokens;
mod guide;
mod health;
mod helpers;
mod incidents;
mod invitations;
mod keys;
mod mail;
mod matrix;
mod members;
mod notifications;
mod openapi;
mod organizations;
mod overview;
mod passkeys;
mod register;
mod requests;
mod resident;
mod reuse;
mod reviews;
mod role_requests;
mod scheduler;
mod sessions;
mod settings;
mod spa;
mod tasks;
mod webhooks;
