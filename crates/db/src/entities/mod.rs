//! sea-orm entities: the tables as they are stored. Domain types live in `vern_domain`;
//! the repository modules translate.

pub mod organization;
