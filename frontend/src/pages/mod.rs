//! One module per capability.

pub mod auth;
pub mod organizations;
