//! Vern's HTTP server.
//!
//! What belongs here: startup and configuration, telemetry, the finishing middleware
//! (request ids, problem+json, security headers), the error type, the OpenAPI document,
//! serving the SPA, and one module per capability under `routes/`. Handlers stay short:
//! extract, call `vern_db`/`vern_domain`, map. Rules live in `vern_domain`.

pub mod auth;
pub mod body;
pub mod connectors;
pub mod demo;
pub mod documents;
pub mod error;
pub mod examples;
pub mod mail;
pub mod middleware;
pub mod openapi;
pub mod residents;
pub mod routes;
pub mod scheduler;
pub mod settings;
pub mod spa;
pub mod startup;
pub mod telemetry;
pub mod webhooks;
