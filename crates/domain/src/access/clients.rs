//! API clients: machine credentials an organisation gives its integrators. A client acts
//! for its organisation only, with the permissions (scopes) it was given — never more than
//! the administrator who created it holds, and never identity administration.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Permission;

/// A client's longest life; a longer-lived integration gets a new secret in time.
pub const MAX_CLIENT_DAYS: i64 = 730;
/// The life of a client created without `expires_at`.
pub const DEFAULT_CLIENT_DAYS: i64 = 365;
pub const MAX_CLIENT_NAME: usize = 100;

impl Permission {
    /// Permissions that manage identities and access. A machine credential never carries
    /// them: an integration must not be able to mint users, roles or further clients.
    pub const fn is_identity_administration(self) -> bool {
        matches!(
            self,
            Self::CreateOrganizations
                | Self::ManageMembers
                | Self::ManageRoles
                | Self::DecideRoleRequests
                | Self::ManageOrgSettings
                | Self::ManageApiClients
        )
    }

    /// The OAuth scope string: the permission's snake_case name.
    pub fn scope(self) -> &'static str {
        self.as_str()
    }

    pub const ALL: [Permission; 20] = [
        Self::CreateOrganizations,
        Self::ManageMembers,
        Self::ManageRoles,
        Self::DecideRoleRequests,
        Self::ManageOrgSettings,
        Self::ManageApiClients,
        Self::ReadAuditLog,
        Self::ReadRegister,
        Self::EditRegister,
        Self::EditOwnSystems,
        Self::EditProducts,
        Self::ReadAgreements,
        Self::DraftAgreements,
        Self::SignAgreements,
        Self::ReadRequestOverview,
        Self::HandleRequests,
        Self::AnswerRequestTasks,
        Self::ReadIncidents,
        Self::ManageIncidents,
        Self::HandleConsents,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CreateOrganizations => "create_organizations",
            Self::ManageMembers => "manage_members",
            Self::ManageRoles => "manage_roles",
            Self::DecideRoleRequests => "decide_role_requests",
            Self::ManageOrgSettings => "manage_org_settings",
            Self::ManageApiClients => "manage_api_clients",
            Self::ReadAuditLog => "read_audit_log",
            Self::ReadRegister => "read_register",
            Self::EditRegister => "edit_register",
            Self::EditOwnSystems => "edit_own_systems",
            Self::EditProducts => "edit_products",
            Self::ReadAgreements => "read_agreements",
            Self::DraftAgreements => "draft_agreements",
            Self::SignAgreements => "sign_agreements",
            Self::ReadRequestOverview => "read_request_overview",
            Self::HandleRequests => "handle_requests",
            Self::AnswerRequestTasks => "answer_request_tasks",
            Self::ReadIncidents => "read_incidents",
            Self::ManageIncidents => "manage_incidents",
            Self::HandleConsents => "handle_consents",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == input)
    }
}

/// A space-separated OAuth scope list (RFC 6749 §3.3) as permissions, in order, without
/// duplicates. `None` when an entry names no permission.
pub fn parse_scope(scope: &str) -> Option<Vec<Permission>> {
    let mut out = Vec::new();
    for part in scope.split(' ').filter(|p| !p.is_empty()) {
        let p = Permission::parse(part)?;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    Some(out)
}

pub fn format_scope(scopes: &[Permission]) -> String {
    scopes
        .iter()
        .map(|p| p.scope())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Create an API client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewApiClient {
    /// What the integration is, for people: "Sak/arkiv — katalogsynk".
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Saksbehandlingssystem", max_length = 100)
    )]
    pub name: String,
    /// The permissions the client acts with (scopes). Each must be one the creating
    /// administrator holds in the organisation; identity administration is never allowed.
    pub scopes: Vec<Permission>,
    /// When the credential stops working; at most two years ahead, one year if absent.
    pub expires_at: Option<DateTime<Utc>>,
    /// For an integration that authenticates with access tokens from the configured external
    /// authorisation server (Maskinporten): its `client_id` there. Such a client gets no
    /// secret; its tokens act for this organisation when their consumer is the
    /// organisation's number, with their scopes that this client holds.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "5b3c2a1e-8d4f-4c1a-9e2b-7f6d5c4b3a21", max_length = 100)
    )]
    pub external_client_id: Option<String>,
}

/// Why a client cannot be created: the field and a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClientRefusal {
    #[error("name: blank or longer than 100 characters")]
    Name,
    #[error("scopes: at least one is needed")]
    NoScopes,
    #[error("scopes: identity administration cannot be given to a machine")]
    IdentityAdministration,
    #[error("scopes: the creator does not hold this permission")]
    NotHeld,
    #[error("expires_at: in the past")]
    ExpiryInThePast,
    #[error("expires_at: more than two years ahead")]
    ExpiryTooFar,
    #[error("external_client_id: blank, too long or not visible ASCII")]
    ExternalClientId,
    #[error("external_client_id: a live client of the organisation already has it")]
    ExternalClientTaken,
}

impl ClientRefusal {
    pub const fn field(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::NoScopes | Self::IdentityAdministration | Self::NotHeld => "scopes",
            Self::ExpiryInThePast | Self::ExpiryTooFar => "expires_at",
            Self::ExternalClientId | Self::ExternalClientTaken => "external_client_id",
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            Self::Name => "length",
            Self::NoScopes => "empty",
            Self::IdentityAdministration => "identity_administration",
            Self::NotHeld => "not_held_by_you",
            Self::ExpiryInThePast => "in_the_past",
            Self::ExpiryTooFar => "too_far_ahead",
            Self::ExternalClientId => "format",
            Self::ExternalClientTaken => "already_registered",
        }
    }
}

/// A client as it will be stored: trimmed name, scopes without duplicates, an expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedClient {
    pub name: String,
    pub scopes: Vec<Permission>,
    pub expires_at: DateTime<Utc>,
    pub external_client_id: Option<String>,
}

/// The rules for a new client. `held` are the creator's permissions in the organisation.
pub fn check_new_client(
    new: &NewApiClient,
    held: &[Permission],
    now: DateTime<Utc>,
) -> Result<CheckedClient, ClientRefusal> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > MAX_CLIENT_NAME {
        return Err(ClientRefusal::Name);
    }
    let mut scopes: Vec<Permission> = Vec::new();
    for &p in &new.scopes {
        if p.is_identity_administration() {
            return Err(ClientRefusal::IdentityAdministration);
        }
        if !held.contains(&p) {
            return Err(ClientRefusal::NotHeld);
        }
        if !scopes.contains(&p) {
            scopes.push(p);
        }
    }
    if scopes.is_empty() {
        return Err(ClientRefusal::NoScopes);
    }
    scopes.sort();
    let expires_at = new
        .expires_at
        .unwrap_or(now + Duration::days(DEFAULT_CLIENT_DAYS));
    if expires_at <= now {
        return Err(ClientRefusal::ExpiryInThePast);
    }
    if expires_at > now + Duration::days(MAX_CLIENT_DAYS) {
        return Err(ClientRefusal::ExpiryTooFar);
    }
    let external_client_id = match new.external_client_id.as_deref() {
        None => None,
        Some(id) => Some(
            super::external::check_external_client_id(id).ok_or(ClientRefusal::ExternalClientId)?,
        ),
    };
    Ok(CheckedClient {
        name: name.to_owned(),
        scopes,
        expires_at,
        external_client_id,
    })
}

/// The scopes a token gets: those asked for, which must all be the client's; all of the
/// client's when none are asked for. `None`: a scope was asked for that the client lacks.
pub fn token_scopes(
    client: &[Permission],
    requested: Option<&[Permission]>,
) -> Option<Vec<Permission>> {
    match requested {
        None | Some([]) => Some(client.to_vec()),
        Some(asked) => asked
            .iter()
            .all(|p| client.contains(p))
            .then(|| asked.to_vec()),
    }
}

/// An API client, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiClient {
    /// The OAuth `client_id`.
    pub client_id: Uuid,
    pub name: String,
    pub scopes: Vec<Permission>,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// The administrator who created it.
    pub created_by: Option<Uuid>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it last got a token from Vern (clients with a secret).
    pub last_used_at: Option<DateTime<Utc>>,
    /// Set for an integration that authenticates with the external authorisation server's
    /// tokens (Maskinporten) instead of a secret: its `client_id` there.
    pub external_client_id: Option<String>,
}

/// A new client and its secret. The secret is shown this once; Vern stores only its hash.
/// A client of the external authorisation server gets no secret (`null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiClientCreated {
    pub client: ApiClient,
    pub client_secret: Option<String>,
}

crate::pagination::page_type!(
    /// One page of API clients, newest first.
    ApiClientPage,
    ApiClient
);

/// RFC 6749 §4.4 client credentials, form-encoded (or JSON). The credentials may instead
/// come in an HTTP Basic `Authorization` header (§2.3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientTokenRequest {
    /// Always `client_credentials`.
    #[cfg_attr(feature = "openapi", schema(example = "client_credentials"))]
    pub grant_type: String,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Space-separated permissions to narrow the token to; all of the client's if absent.
    pub scope: Option<String>,
}

/// An access token for an API client (RFC 6749 §5.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientTokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// The granted permissions, space-separated.
    pub scope: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;
    use proptest::prelude::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn new(scopes: Vec<Permission>) -> NewApiClient {
        NewApiClient {
            name: "  Sak/arkiv  ".into(),
            scopes,
            expires_at: None,
            external_client_id: None,
        }
    }

    #[test]
    fn every_permission_round_trips_through_its_scope_name() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.scope()), Some(p));
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
        }
        assert_eq!(Permission::parse("root"), None);
    }

    #[test]
    fn a_client_gets_only_what_its_creator_holds() {
        let held = [Permission::ReadRegister, Permission::EditRegister];
        let ok = check_new_client(
            &new(vec![
                Permission::EditRegister,
                Permission::ReadRegister,
                Permission::EditRegister,
            ]),
            &held,
            now(),
        )
        .unwrap();
        assert_eq!(ok.name, "Sak/arkiv");
        assert_eq!(
            ok.scopes,
            vec![Permission::ReadRegister, Permission::EditRegister]
        );
        assert_eq!(ok.expires_at, now() + Duration::days(365));
        assert_eq!(
            check_new_client(&new(vec![Permission::HandleRequests]), &held, now()),
            Err(ClientRefusal::NotHeld)
        );
    }

    #[test]
    fn identity_administration_is_never_given_to_a_machine() {
        let admin = Role::OrgAdmin.permissions();
        for &p in admin {
            let result = check_new_client(&new(vec![p]), admin, now());
            if p.is_identity_administration() {
                assert_eq!(result, Err(ClientRefusal::IdentityAdministration));
            } else {
                assert!(result.is_ok(), "{p:?}");
            }
        }
    }

    #[test]
    fn names_scopes_and_expiry_are_checked() {
        let held = [Permission::ReadAuditLog];
        let mut c = new(vec![Permission::ReadAuditLog]);
        c.name = "   ".into();
        assert_eq!(check_new_client(&c, &held, now()), Err(ClientRefusal::Name));
        c.name = "x".repeat(101);
        assert_eq!(check_new_client(&c, &held, now()), Err(ClientRefusal::Name));
        assert_eq!(
            check_new_client(&new(vec![]), &held, now()),
            Err(ClientRefusal::NoScopes)
        );
        let mut c = new(vec![Permission::ReadAuditLog]);
        c.expires_at = Some(now());
        assert_eq!(
            check_new_client(&c, &held, now()),
            Err(ClientRefusal::ExpiryInThePast)
        );
        c.expires_at = Some(now() + Duration::days(731));
        assert_eq!(
            check_new_client(&c, &held, now()),
            Err(ClientRefusal::ExpiryTooFar)
        );
        c.expires_at = Some(now() + Duration::days(730));
        assert!(check_new_client(&c, &held, now()).is_ok());
    }

    #[test]
    fn an_external_client_id_is_kept_trimmed_or_refused() {
        let held = [Permission::ReadRegister];
        let mut c = new(vec![Permission::ReadRegister]);
        c.external_client_id = Some(" 5b3c2a1e-8d4f ".into());
        assert_eq!(
            check_new_client(&c, &held, now())
                .unwrap()
                .external_client_id
                .as_deref(),
            Some("5b3c2a1e-8d4f")
        );
        c.external_client_id = Some("has space".into());
        assert_eq!(
            check_new_client(&c, &held, now()),
            Err(ClientRefusal::ExternalClientId)
        );
        assert_eq!(
            ClientRefusal::ExternalClientId.field(),
            "external_client_id"
        );
    }

    #[test]
    fn a_token_can_narrow_but_never_widen_the_scopes() {
        let client = [Permission::ReadRegister, Permission::EditRegister];
        assert_eq!(token_scopes(&client, None).unwrap(), client.to_vec());
        assert_eq!(
            token_scopes(&client, Some(&[Permission::ReadRegister])).unwrap(),
            vec![Permission::ReadRegister]
        );
        assert_eq!(
            token_scopes(&client, Some(&[Permission::HandleRequests])),
            None
        );
        assert_eq!(
            parse_scope("read_register  edit_register read_register"),
            Some(client.to_vec())
        );
        assert_eq!(parse_scope("read_register sudo"), None);
    }

    proptest! {
        #[test]
        fn scope_lists_round_trip(picks in proptest::collection::vec(0usize..19, 0..10)) {
            let mut scopes: Vec<Permission> = Vec::new();
            for i in picks {
                let p = Permission::ALL[i];
                if !scopes.contains(&p) { scopes.push(p); }
            }
            prop_assert_eq!(parse_scope(&format_scope(&scopes)), Some(scopes));
        }

        #[test]
        fn accepted_clients_hold_a_subset_of_the_creators_permissions(
            held_picks in proptest::collection::vec(0usize..19, 0..19),
            asked_picks in proptest::collection::vec(0usize..19, 0..8),
        ) {
            let held: Vec<Permission> = held_picks.into_iter().map(|i| Permission::ALL[i]).collect();
            let asked: Vec<Permission> = asked_picks.into_iter().map(|i| Permission::ALL[i]).collect();
            if let Ok(c) = check_new_client(&new(asked), &held, now()) {
                prop_assert!(!c.scopes.is_empty());
                for p in c.scopes {
                    prop_assert!(held.contains(&p));
                    prop_assert!(!p.is_identity_administration());
                }
            }
        }
    }
}
