//! One module per capability.

pub mod organizations;
