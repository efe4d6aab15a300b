use serde::{Deserialize, Serialize};

use crate::OrgKind;

/// A role a user holds in one organisation. A user may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Users, roles and settings of the organisation — and nothing else: no register, no
    /// requests, no personal data.
    OrgAdmin,
    /// The data protection officer (personvernombud): oversight of everything, no request
    /// contents.
    PrivacyOfficer,
    /// Maintains systems in use and processing activities, drafts agreements.
    RegisterEditor,
    /// Keeps the facts of the systems they own current; answers request tasks for them.
    SystemOwner,
    /// Handles data-subject requests: the only role that reads their contents.
    RequestCaseworker,
    /// Signs agreements on behalf of the organisation.
    Signatory,
    /// Internal control: reads register, agreements and the audit log.
    Auditor,
    /// A vendor's administrator: users, roles and product facts.
    VendorAdmin,
    /// Maintains the vendor's products in the shared catalogue.
    ProductEditor,
    /// Runs the Vern installation: creates organisations. No personal data.
    PlatformOperator,
    /// Drafts the organisation's agreements and runs its campaigns (one agreement to many
    /// organisations): the role an authority needs, which keeps no register.
    AgreementManager,
}

/// What a role allows. Handlers require one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    CreateOrganizations,
    ManageMembers,
    ManageRoles,
    DecideRoleRequests,
    ManageOrgSettings,
    ManageApiClients,
    ReadAuditLog,
    ReadRegister,
    EditRegister,
    EditOwnSystems,
    EditProducts,
    ReadAgreements,
    DraftAgreements,
    SignAgreements,
    /// Case status, deadlines, assignee — no personal data.
    ReadRequestOverview,
    /// The requests' contents: the resident's identity and data.
    HandleRequests,
    AnswerRequestTasks,
    ReadIncidents,
    ManageIncidents,
    /// Consent records: who consented, with their national identity numbers.
    HandleConsents,
}

use Permission as P;

impl Role {
    pub const ALL: [Role; 11] = [
        Self::OrgAdmin,
        Self::PrivacyOfficer,
        Self::RegisterEditor,
        Self::SystemOwner,
        Self::RequestCaseworker,
        Self::Signatory,
        Self::Auditor,
        Self::VendorAdmin,
        Self::ProductEditor,
        Self::PlatformOperator,
        Self::AgreementManager,
    ];

    /// The one table of who may do what.
    pub const fn permissions(self) -> &'static [Permission] {
        match self {
            Self::OrgAdmin => &[
                P::ManageMembers,
                P::ManageRoles,
                P::DecideRoleRequests,
                P::ManageOrgSettings,
                P::ManageApiClients,
                P::ReadAuditLog,
            ],
            Self::PrivacyOfficer => &[
                P::ReadAuditLog,
                P::ReadRegister,
                P::ReadAgreements,
                P::ReadRequestOverview,
                P::ReadIncidents,
                P::ManageIncidents,
            ],
            Self::RegisterEditor => &[
                P::ReadRegister,
                P::EditRegister,
                P::ReadAgreements,
                P::DraftAgreements,
                P::ReadIncidents,
            ],
            Self::SystemOwner => &[P::ReadRegister, P::EditOwnSystems, P::AnswerRequestTasks],
            Self::RequestCaseworker => &[
                P::ReadRegister,
                P::ReadRequestOverview,
                P::HandleRequests,
                P::HandleConsents,
            ],
            Self::Signatory => &[P::ReadAgreements, P::SignAgreements],
            Self::Auditor => &[P::ReadAuditLog, P::ReadRegister, P::ReadAgreements],
            Self::VendorAdmin => &[
                P::ManageMembers,
                P::ManageRoles,
                P::DecideRoleRequests,
                P::ManageOrgSettings,
                P::ManageApiClients,
                P::ReadAuditLog,
                P::EditProducts,
                P::ReadAgreements,
                P::ReadIncidents,
                P::ManageIncidents,
            ],
            Self::ProductEditor => &[P::EditProducts],
            Self::PlatformOperator => &[P::CreateOrganizations],
            Self::AgreementManager => &[P::ReadAgreements, P::DraftAgreements],
        }
    }

    pub fn grants(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }

    /// Which organisations can hold the role.
    pub const fn allowed_in(self, kind: OrgKind) -> bool {
        match self {
            Self::OrgAdmin | Self::Signatory => !matches!(kind, OrgKind::Platform),
            Self::PrivacyOfficer
            | Self::RegisterEditor
            | Self::SystemOwner
            | Self::RequestCaseworker
            | Self::Auditor => matches!(kind, OrgKind::Municipality),
            Self::VendorAdmin | Self::ProductEditor => matches!(kind, OrgKind::Vendor),
            Self::PlatformOperator => matches!(kind, OrgKind::Platform),
            Self::AgreementManager => {
                matches!(kind, OrgKind::Municipality | OrgKind::Authority)
            }
        }
    }

    /// Roles scoped to named systems rather than the whole organisation.
    pub const fn is_system_scoped(self) -> bool {
        matches!(self, Self::SystemOwner)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::OrgAdmin => "org_admin",
            Self::PrivacyOfficer => "privacy_officer",
            Self::RegisterEditor => "register_editor",
            Self::SystemOwner => "system_owner",
            Self::RequestCaseworker => "request_caseworker",
            Self::Signatory => "signatory",
            Self::Auditor => "auditor",
            Self::VendorAdmin => "vendor_admin",
            Self::ProductEditor => "product_editor",
            Self::PlatformOperator => "platform_operator",
            Self::AgreementManager => "agreement_manager",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == input)
    }
}

impl Permission {
    /// Permissions that read personal data of residents.
    pub const fn reads_personal_data(self) -> bool {
        matches!(self, Self::HandleRequests | Self::HandleConsents)
    }

    /// Permissions that change anything.
    pub const fn changes_state(self) -> bool {
        !matches!(
            self,
            Self::ReadAuditLog
                | Self::ReadRegister
                | Self::ReadAgreements
                | Self::ReadRequestOverview
                | Self::ReadIncidents
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holders(permission: Permission) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|r| r.grants(permission))
            .collect()
    }

    #[test]
    fn only_the_caseworker_reads_request_contents() {
        assert_eq!(holders(P::HandleRequests), vec![Role::RequestCaseworker]);
    }

    #[test]
    fn admins_and_the_platform_operator_never_reach_personal_data_or_content() {
        for role in [Role::OrgAdmin, Role::VendorAdmin, Role::PlatformOperator] {
            for p in role.permissions() {
                assert!(!p.reads_personal_data(), "{role:?} has {p:?}");
            }
        }
        for p in [
            P::ReadRegister,
            P::ReadRequestOverview,
            P::ReadAgreements,
            P::ReadIncidents,
        ] {
            assert!(!Role::OrgAdmin.grants(p), "org_admin must not have {p:?}");
        }
    }

    #[test]
    fn the_auditor_only_reads() {
        assert!(
            Role::Auditor
                .permissions()
                .iter()
                .all(|p| !p.changes_state())
        );
    }

    #[test]
    fn the_dpo_oversees_without_reading_request_contents() {
        for p in [
            P::ReadRegister,
            P::ReadAgreements,
            P::ReadRequestOverview,
            P::ReadIncidents,
            P::ReadAuditLog,
        ] {
            assert!(Role::PrivacyOfficer.grants(p), "{p:?}");
        }
        assert!(!Role::PrivacyOfficer.grants(P::HandleRequests));
    }

    #[test]
    fn every_permission_is_held_by_some_role() {
        let all = [
            P::CreateOrganizations,
            P::ManageMembers,
            P::ManageRoles,
            P::DecideRoleRequests,
            P::ManageOrgSettings,
            P::ManageApiClients,
            P::ReadAuditLog,
            P::ReadRegister,
            P::EditRegister,
            P::EditOwnSystems,
            P::EditProducts,
            P::ReadAgreements,
            P::DraftAgreements,
            P::SignAgreements,
            P::ReadRequestOverview,
            P::HandleRequests,
            P::AnswerRequestTasks,
            P::ReadIncidents,
            P::ManageIncidents,
        ];
        for p in all {
            assert!(!holders(p).is_empty(), "{p:?} is held by no role");
        }
    }

    #[test]
    fn roles_fit_their_kind_of_organisation() {
        assert!(Role::RequestCaseworker.allowed_in(OrgKind::Municipality));
        assert!(!Role::RequestCaseworker.allowed_in(OrgKind::Vendor));
        assert!(Role::ProductEditor.allowed_in(OrgKind::Vendor));
        assert!(!Role::ProductEditor.allowed_in(OrgKind::Municipality));
        assert!(Role::Signatory.allowed_in(OrgKind::Authority));
        assert!(Role::AgreementManager.allowed_in(OrgKind::Authority));
        assert!(!Role::AgreementManager.allowed_in(OrgKind::Vendor));
        assert!(Role::PlatformOperator.allowed_in(OrgKind::Platform));
        assert!(!Role::OrgAdmin.allowed_in(OrgKind::Platform));
        for kind in OrgKind::ALL {
            assert!(
                Role::ALL.iter().any(|r| r.allowed_in(kind)),
                "{kind:?} has no role"
            );
        }
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.as_str())
            );
        }
    }
}
