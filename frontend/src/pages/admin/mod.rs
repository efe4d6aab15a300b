//! The organisation administrator's pages: members and roles, and the audit log.

mod api_clients;
mod audit;
mod members;
mod role_requests;
mod settings;
mod webhooks;

pub use api_clients::ApiClientsPage;
pub use audit::AuditLogPage;
pub use members::MembersPage;
pub use role_requests::{RoleRequestsPage, request_state_key};
pub use settings::SettingsPage;
pub use webhooks::WebhooksPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use vern_domain::OrganizationId;

/// The organisation in the address (`/organizations/:id/...`).
pub fn org_from_path() -> Memo<Option<OrganizationId>> {
    let params = use_params_map();
    Memo::new(move |_| params.get().get("id").and_then(|id| id.parse().ok()))
}
