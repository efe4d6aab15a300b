//! What a resident asks for, how the request arrived, and on what grounds it may be refused.

use serde::{Deserialize, Serialize};

/// The right the resident exercises. "Innsyn" is ambiguous in Norwegian: GDPR access and a
/// party's access to their case documents (forvaltningsloven § 18) are separate kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// GDPR Art. 15: confirmation, a copy, and the information of 15(1) a–h.
    Access,
    /// Art. 16: correct inaccurate data.
    Rectification,
    /// Art. 17: erase ("the right to be forgotten").
    Erasure,
    /// Art. 18: restrict processing.
    Restriction,
    /// Art. 20: receive the data in a machine-readable format.
    Portability,
    /// Art. 21: object to processing based on Art. 6(1)(e) or (f).
    Objection,
    /// Forvaltningsloven § 18: a party's access to the documents of their own case.
    PartyAccess,
}

impl RequestKind {
    pub const ALL: [Self; 7] = [
        Self::Access,
        Self::Rectification,
        Self::Erasure,
        Self::Restriction,
        Self::Portability,
        Self::Objection,
        Self::PartyAccess,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Rectification => "rectification",
            Self::Erasure => "erasure",
            Self::Restriction => "restriction",
            Self::Portability => "portability",
            Self::Objection => "objection",
            Self::PartyAccess => "party_access",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == input)
    }

    /// The provision the right comes from, as it is cited in letters.
    pub const fn legal_basis(self) -> &'static str {
        match self {
            Self::Access => "GDPR art. 15",
            Self::Rectification => "GDPR art. 16",
            Self::Erasure => "GDPR art. 17",
            Self::Restriction => "GDPR art. 18",
            Self::Portability => "GDPR art. 20",
            Self::Objection => "GDPR art. 21",
            Self::PartyAccess => "forvaltningsloven § 18",
        }
    }

    /// Whether the answer includes the data held about the person (and so goes through the
    /// secure answer window and the systems' tasks).
    pub const fn discloses_data(self) -> bool {
        matches!(self, Self::Access | Self::Portability | Self::PartyAccess)
    }
}

/// How the request reached the municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Submitted by the resident in Vern's portal after logging in.
    Portal,
    Letter,
    Phone,
    Email,
    InPerson,
}

impl Channel {
    pub const ALL: [Self; 5] = [
        Self::Portal,
        Self::Letter,
        Self::Phone,
        Self::Email,
        Self::InPerson,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Portal => "portal",
            Self::Letter => "letter",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::InPerson => "in_person",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == input)
    }

    /// Staff register requests that came by these channels on the resident's behalf.
    pub const fn registered_by_staff(self) -> bool {
        !matches!(self, Self::Portal)
    }
}

/// The legal ground a refusal rests on; a refusal must cite one in writing (Art. 12(4)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefusalGround {
    /// Art. 12(5): manifestly unfounded.
    ManifestlyUnfounded,
    /// Art. 12(5): excessive, in particular because repetitive.
    Excessive,
    /// Art. 12(6) and 11(2): the requester's identity could not be established.
    IdentityNotEstablished,
    /// Art. 17(3): erasure does not apply (legal obligation or public task, public health,
    /// archiving or research, legal claims).
    ErasureExempt,
    /// Art. 20(3): portability does not apply to processing for a task in the public interest
    /// or in the exercise of official authority.
    PortabilityNotApplicable,
    /// Art. 21(1): the processing is not based on Art. 6(1)(e) or (f), or there are
    /// compelling legitimate grounds.
    ObjectionNotApplicable,
    /// Personopplysningsloven § 16: a national exception to Art. 13–15 (e.g. documents
    /// prepared for the internal handling of a case).
    NationalException,
    /// Forvaltningsloven § 19: documents a party has no right to see.
    PartyAccessException,
}

impl RefusalGround {
    pub const ALL: [Self; 8] = [
        Self::ManifestlyUnfounded,
        Self::Excessive,
        Self::IdentityNotEstablished,
        Self::ErasureExempt,
        Self::PortabilityNotApplicable,
        Self::ObjectionNotApplicable,
        Self::NationalException,
        Self::PartyAccessException,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ManifestlyUnfounded => "manifestly_unfounded",
            Self::Excessive => "excessive",
            Self::IdentityNotEstablished => "identity_not_established",
            Self::ErasureExempt => "erasure_exempt",
            Self::PortabilityNotApplicable => "portability_not_applicable",
            Self::ObjectionNotApplicable => "objection_not_applicable",
            Self::NationalException => "national_exception",
            Self::PartyAccessException => "party_access_exception",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == input)
    }

    pub const fn citation(self) -> &'static str {
        match self {
            Self::ManifestlyUnfounded | Self::Excessive => "GDPR art. 12(5)",
            Self::IdentityNotEstablished => "GDPR art. 12(6), art. 11(2)",
            Self::ErasureExempt => "GDPR art. 17(3)",
            Self::PortabilityNotApplicable => "GDPR art. 20(3)",
            Self::ObjectionNotApplicable => "GDPR art. 21(1)",
            Self::NationalException => "personopplysningsloven § 16",
            Self::PartyAccessException => "forvaltningsloven § 19",
        }
    }

    /// Whether the ground can be cited against a request of this kind.
    pub const fn applies_to(self, kind: RequestKind) -> bool {
        match self {
            Self::ManifestlyUnfounded | Self::Excessive | Self::IdentityNotEstablished => true,
            Self::ErasureExempt => matches!(kind, RequestKind::Erasure),
            Self::PortabilityNotApplicable => matches!(kind, RequestKind::Portability),
            Self::ObjectionNotApplicable => matches!(kind, RequestKind::Objection),
            Self::NationalException => matches!(kind, RequestKind::Access),
            Self::PartyAccessException => matches!(kind, RequestKind::PartyAccess),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::parse(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::json!(kind.as_str())
            );
        }
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.as_str()), Some(channel));
        }
        for ground in RefusalGround::ALL {
            assert_eq!(RefusalGround::parse(ground.as_str()), Some(ground));
            assert_eq!(
                serde_json::to_value(ground).unwrap(),
                serde_json::json!(ground.as_str())
            );
        }
        assert_eq!(RequestKind::parse("innsyn"), None);
    }

    #[test]
    fn kind_specific_grounds_apply_to_their_kind_only() {
        assert!(RefusalGround::ErasureExempt.applies_to(RequestKind::Erasure));
        assert!(!RefusalGround::ErasureExempt.applies_to(RequestKind::Access));
        assert!(RefusalGround::PortabilityNotApplicable.applies_to(RequestKind::Portability));
        assert!(!RefusalGround::PortabilityNotApplicable.applies_to(RequestKind::Erasure));
        assert!(RefusalGround::NationalException.applies_to(RequestKind::Access));
        assert!(!RefusalGround::NationalException.applies_to(RequestKind::PartyAccess));
        assert!(RefusalGround::PartyAccessException.applies_to(RequestKind::PartyAccess));
        for kind in RequestKind::ALL {
            assert!(RefusalGround::ManifestlyUnfounded.applies_to(kind));
            assert!(RefusalGround::IdentityNotEstablished.applies_to(kind));
        }
        // Every kind can be refused on some ground of its own or a general one, and every
        // kind-specific ground applies to exactly one kind.
        for ground in [
            RefusalGround::ErasureExempt,
            RefusalGround::PortabilityNotApplicable,
            RefusalGround::ObjectionNotApplicable,
            RefusalGround::NationalException,
            RefusalGround::PartyAccessException,
        ] {
            let kinds = RequestKind::ALL
                .into_iter()
                .filter(|k| ground.applies_to(*k))
                .count();
            assert_eq!(kinds, 1, "{ground:?}");
        }
    }

    #[test]
    fn only_staff_register_letters_and_calls() {
        assert!(!Channel::Portal.registered_by_staff());
        assert!(Channel::Letter.registered_by_staff());
        assert!(Channel::Phone.registered_by_staff());
    }
}
