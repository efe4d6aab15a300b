//! Identity and access rules: roles and the permissions they carry, the life of a role
//! grant and of a role request, the IP allowlist, the password policy, and the hash chain
//! that makes the audit log tamper-evident.
//!
//! Handlers ask for a permission, never for a role: `Role::grants(permission)` is the one
//! table that decides.

mod allowlist;
pub mod audit;
pub mod auth;
pub mod clients;
pub mod external;
mod grant;
pub mod invitation;
pub mod members;
pub mod passkeys;
mod password;
pub mod proxy;
pub mod role_request;
mod roles;
pub mod throttle;

pub use allowlist::{AllowlistError, IpAllowlist};
pub use grant::{
    GrantEvent, GrantRefusal, GrantState, MembershipChange, RequestEvent, RequestState,
    TransitionError, check_grant, check_membership_change, check_revoke,
};
pub use password::{PasswordError, check_password};
pub use roles::{Permission, Role};
