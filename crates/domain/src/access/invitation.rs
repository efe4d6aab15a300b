//! Invitations: how a person joins an organisation. The administrator names the e-mail
//! address and the roles; the invitee opens a single-use link that expires, sets a password
//! and enrols a second factor (or, with an account already, confirms with its password and
//! code), and only then holds the roles. The platform operator uses the same path to
//! appoint an organisation's first administrator.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Role;
use crate::organization::{KommuneNumber, OrgNumber, municipality_display_name};
use crate::{EmailAddress, OrgKind, OrganizationId};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;
pub const MAX_DISPLAY_NAME: usize = 200;
pub const MAX_ORG_NAME: usize = 200;

/// Invite someone to the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInvitation {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "ola.nordmann@example.org", max_length = 254)
    )]
    pub email: String,
    /// The name colleagues see.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Ola Nordmann", max_length = 200)
    )]
    pub display_name: String,
    /// The roles granted when the invitation is accepted (at least one).
    pub roles: Vec<Role>,
}

/// An invitation that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedInvitation {
    pub email: EmailAddress,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub expires_at: DateTime<Utc>,
}

/// Why an invitation (or a new organisation) is refused: the field and a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRefusal {
    pub field: &'static str,
    pub code: &'static str,
}

fn refuse(field: &'static str, code: &'static str) -> FieldRefusal {
    FieldRefusal { field, code }
}

fn check_display_name(name: &str, field: &'static str) -> Result<String, FieldRefusal> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_DISPLAY_NAME {
        return Err(refuse(field, "length"));
    }
    if name.chars().any(char::is_control) {
        return Err(refuse(field, "control_characters"));
    }
    Ok(name.to_owned())
}

/// The rules for an invitation into an organisation of `kind`.
pub fn check_invitation(
    new: &NewInvitation,
    kind: OrgKind,
    now: DateTime<Utc>,
) -> Result<CheckedInvitation, FieldRefusal> {
    let email = EmailAddress::parse(&new.email).map_err(|_| refuse("email", "invalid"))?;
    let display_name = check_display_name(&new.display_name, "display_name")?;
    let mut roles: Vec<Role> = Vec::new();
    for &role in &new.roles {
        if !role.allowed_in(kind) {
            return Err(refuse("roles", "not_for_this_kind_of_organization"));
        }
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    if roles.is_empty() {
        return Err(refuse("roles", "empty"));
    }
    roles.sort();
    Ok(CheckedInvitation {
        email,
        display_name,
        roles,
        expires_at: now + Duration::days(INVITATION_DAYS),
    })
}

/// The state of an invitation at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    Pending,
    Accepted,
    Expired,
    Withdrawn,
}

impl InvitationState {
    pub fn at(
        accepted_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        match (accepted_at, revoked_at) {
            (Some(_), _) => Self::Accepted,
            (None, Some(_)) => Self::Withdrawn,
            (None, None) if now >= expires_at => Self::Expired,
            (None, None) => Self::Pending,
        }
    }
}

/// The administrator's (or operator's) picture of an invitation; the token never appears.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub state: InvitationState,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

crate::pagination::page_type!(
    /// One page of invitations, newest first.
    InvitationPage,
    Invitation
);

/// A new invitation. Without e-mail delivery configured, `link` carries the single-use
/// link — shown this once, for the administrator to pass on; it is not stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationCreated {
    pub invitation: Invitation,
    /// Whether the link went out by e-mail.
    pub emailed: bool,
    /// The link, when it was not e-mailed.
    pub link: Option<String>,
}

/// The invitation token from the link. Sent in a body, never in a URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationToken {
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub token: String,
}

/// What the invitee sees before accepting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationPreview {
    pub organization_name: String,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub expires_at: DateTime<Utc>,
    /// The e-mail address has an account already: confirm with its password and code
    /// instead of choosing new ones.
    pub account_exists: bool,
}

/// A TOTP secret offered to the invitee during enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpEnrolment {
    /// Base32, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://totp/…`, for a QR code.
    pub otpauth_uri: String,
    /// The same URI as a QR code: a PNG, base64-encoded.
    pub qr_png_base64: String,
}

/// Accept an invitation: a new password and the first code from the enrolled
/// authenticator — or, for an existing account, its current password and code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInvitation {
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub password: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "123456", pattern = "^[0-9]{6}$")
    )]
    pub totp_code: String,
}

/// The invitation was accepted: log in with this address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationAccepted {
    pub organization_id: OrganizationId,
    pub email: String,
}

/// The first administrator of a new organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirstAdministrator {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "it-sjef@example.org", max_length = 254)
    )]
    pub email: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Kari Nordmann", max_length = 200)
    )]
    pub display_name: String,
}

/// The platform operator creates an organisation and invites its first administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateOrganization {
    pub kind: OrgKind,
    /// Required for vendors and authorities; a municipality's comes from the code list.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Fjellbekk Data AS", max_length = 200)
    )]
    pub name: Option<String>,
    /// Nine digits with a valid mod-11 check digit.
    #[cfg_attr(feature = "openapi", schema(example = "100000083"))]
    pub org_number: String,
    /// Municipalities only: the four-digit kommunenummer from the 2024 code list.
    #[cfg_attr(feature = "openapi", schema(example = "4601"))]
    pub kommune_number: Option<String>,
    pub first_admin: FirstAdministrator,
}

/// A new organisation as it will be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedOrganization {
    pub kind: OrgKind,
    pub name: String,
    pub org_number: OrgNumber,
    pub kommune_number: Option<KommuneNumber>,
    /// The administrator role of this kind of organisation.
    pub admin_role: Role,
}

/// The administrator role in each kind of organisation.
pub const fn admin_role(kind: OrgKind) -> Role {
    match kind {
        OrgKind::Vendor => Role::VendorAdmin,
        OrgKind::Platform => Role::PlatformOperator,
        OrgKind::Municipality | OrgKind::Authority => Role::OrgAdmin,
    }
}

/// The rules for a new organisation. Platforms are not created through the API.
pub fn check_new_organization(
    new: &CreateOrganization,
) -> Result<CheckedOrganization, FieldRefusal> {
    if new.kind == OrgKind::Platform {
        return Err(refuse("kind", "not_creatable"));
    }
    let org_number =
        OrgNumber::parse(&new.org_number).map_err(|e| refuse("org_number", e.code()))?;
    let (name, kommune_number) = match new.kind {
        OrgKind::Municipality => {
            let raw = new
                .kommune_number
                .as_deref()
                .ok_or(refuse("kommune_number", "required"))?;
            let number =
                KommuneNumber::parse(raw).map_err(|e| refuse("kommune_number", e.code()))?;
            (municipality_display_name(number.kommune()), Some(number))
        }
        _ => {
            if new.kommune_number.is_some() {
                return Err(refuse("kommune_number", "municipalities_only"));
            }
            let name = new.name.as_deref().unwrap_or_default().trim();
            if name.is_empty() || name.chars().count() > MAX_ORG_NAME {
                return Err(refuse("name", "length"));
            }
            (name.to_owned(), None)
        }
    };
    check_display_name(&new.first_admin.display_name, "first_admin.display_name")?;
    EmailAddress::parse(&new.first_admin.email)
        .map_err(|_| refuse("first_admin.email", "invalid"))?;
    Ok(CheckedOrganization {
        kind: new.kind,
        name,
        org_number,
        kommune_number,
        admin_role: admin_role(new.kind),
    })
}

/// A new organisation with its first administrator's invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationCreated {
    pub organization: crate::organization::Organization,
    pub invitation: InvitationCreated,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn invite(roles: Vec<Role>) -> NewInvitation {
        NewInvitation {
            email: " Ola.Nordmann@Example.org ".into(),
            display_name: " Ola Nordmann ".into(),
            roles,
        }
    }

    #[test]
    fn an_invitation_is_normalised_and_expires_in_a_week() {
        let checked = check_invitation(
            &invite(vec![Role::Auditor, Role::OrgAdmin, Role::Auditor]),
            OrgKind::Municipality,
            now(),
        )
        .unwrap();
        assert_eq!(checked.email.as_str(), "ola.nordmann@example.org");
        assert_eq!(checked.display_name, "Ola Nordmann");
        assert_eq!(checked.roles, vec![Role::OrgAdmin, Role::Auditor]);
        assert_eq!(checked.expires_at, now() + Duration::days(7));
    }

    #[test]
    fn roles_must_fit_the_kind_of_organisation() {
        let refused = |roles, kind| check_invitation(&invite(roles), kind, now()).unwrap_err();
        assert_eq!(
            refused(vec![Role::ProductEditor], OrgKind::Municipality).code,
            "not_for_this_kind_of_organization"
        );
        assert_eq!(
            refused(vec![Role::PrivacyOfficer], OrgKind::Vendor).code,
            "not_for_this_kind_of_organization"
        );
        assert_eq!(
            refused(vec![Role::PlatformOperator], OrgKind::Authority).code,
            "not_for_this_kind_of_organization"
        );
        assert_eq!(refused(vec![], OrgKind::Vendor).code, "empty");
        let mut bad = invite(vec![Role::Signatory]);
        bad.email = "not an address".into();
        assert_eq!(
            check_invitation(&bad, OrgKind::Vendor, now())
                .unwrap_err()
                .field,
            "email"
        );
        bad = invite(vec![Role::Signatory]);
        bad.display_name = "  ".into();
        assert_eq!(
            check_invitation(&bad, OrgKind::Vendor, now())
                .unwrap_err()
                .field,
            "display_name"
        );
    }

    #[test]
    fn an_invitation_is_pending_until_accepted_withdrawn_or_expired() {
        let expires = now() + Duration::days(7);
        assert_eq!(
            InvitationState::at(None, None, expires, now()),
            InvitationState::Pending
        );
        assert_eq!(
            InvitationState::at(None, None, expires, expires),
            InvitationState::Expired
        );
        assert_eq!(
            InvitationState::at(Some(now()), None, expires, expires),
            InvitationState::Accepted
        );
        assert_eq!(
            InvitationState::at(None, Some(now()), expires, now()),
            InvitationState::Withdrawn
        );
    }

    fn org(kind: OrgKind, name: Option<&str>, kommune: Option<&str>) -> CreateOrganization {
        CreateOrganization {
            kind,
            name: name.map(str::to_owned),
            org_number: "100000083".into(),
            kommune_number: kommune.map(str::to_owned),
            first_admin: FirstAdministrator {
                email: "it@example.org".into(),
                display_name: "Kari".into(),
            },
        }
    }

    #[test]
    fn a_municipality_takes_its_name_from_the_code_list() {
        let checked =
            check_new_organization(&org(OrgKind::Municipality, Some("ignored"), Some("4601")))
                .unwrap();
        assert_eq!(checked.name, "Bergen kommune");
        assert_eq!(checked.admin_role, Role::OrgAdmin);
        assert_eq!(
            check_new_organization(&org(OrgKind::Municipality, None, None))
                .unwrap_err()
                .field,
            "kommune_number"
        );
        assert_eq!(
            check_new_organization(&org(OrgKind::Municipality, None, Some("9999")))
                .unwrap_err()
                .code,
            "unknown_municipality"
        );
    }

    #[test]
    fn vendors_and_authorities_need_a_name_and_a_valid_org_number() {
        let vendor =
            check_new_organization(&org(OrgKind::Vendor, Some(" Fjellbekk Data AS "), None))
                .unwrap();
        assert_eq!(vendor.name, "Fjellbekk Data AS");
        assert_eq!(vendor.admin_role, Role::VendorAdmin);
        assert_eq!(
            check_new_organization(&org(OrgKind::Authority, None, None))
                .unwrap_err()
                .field,
            "name"
        );
        assert_eq!(
            check_new_organization(&org(OrgKind::Vendor, Some("X"), Some("0301")))
                .unwrap_err()
                .code,
            "municipalities_only"
        );
        let mut bad = org(OrgKind::Vendor, Some("X"), None);
        bad.org_number = "100000084".into();
        assert_eq!(
            check_new_organization(&bad).unwrap_err(),
            refuse("org_number", "checksum")
        );
        assert_eq!(
            check_new_organization(&org(OrgKind::Platform, Some("X"), None))
                .unwrap_err()
                .field,
            "kind"
        );
    }

    proptest! {
        #[test]
        fn accepted_invitations_hold_only_roles_of_their_kind(
            picks in proptest::collection::vec(0usize..Role::ALL.len(), 0..6),
            kind in 0usize..4,
        ) {
            let kind = OrgKind::ALL[kind];
            let roles: Vec<Role> = picks.into_iter().map(|i| Role::ALL[i]).collect();
            if let Ok(c) = check_invitation(&invite(roles.clone()), kind, now()) {
                prop_assert!(!c.roles.is_empty());
                for r in &c.roles {
                    prop_assert!(r.allowed_in(kind));
                    prop_assert!(roles.contains(r));
                }
                let mut sorted = c.roles.clone();
                sorted.dedup();
                prop_assert_eq!(sorted.len(), c.roles.len());
            }
        }

        #[test]
        fn the_state_is_a_function_of_the_dates(
            accepted in proptest::option::of(0i64..100),
            revoked in proptest::option::of(0i64..100),
            offset in -100i64..100,
        ) {
            let at = |h: i64| now() + Duration::hours(h);
            let state = InvitationState::at(accepted.map(at), revoked.map(at), now(), at(offset));
            let expected = if accepted.is_some() { InvitationState::Accepted }
                else if revoked.is_some() { InvitationState::Withdrawn }
                else if offset >= 0 { InvitationState::Expired }
                else { InvitationState::Pending };
            prop_assert_eq!(state, expected);
        }
    }
}
