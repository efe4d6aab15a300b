//! One module per capability.

pub mod admin;
pub mod agreements;
pub mod auth;
pub mod consents;
pub mod incidents;
pub mod notifications;
pub mod operator;
pub mod organizations;
pub mod register;
pub mod requests;
