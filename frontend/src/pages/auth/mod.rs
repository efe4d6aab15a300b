//! Logging in and the user's own account.

mod account;
mod invitation;
mod login;

pub use account::AccountPage;
pub use invitation::InvitationPage;
pub use login::LoginPage;

use vern_domain::access::Role;

/// The i18n key naming a role.
pub fn role_key(role: Role) -> String {
    format!("role-{}", role.as_str().replace('_', "-"))
}
