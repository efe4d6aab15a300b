//! A vendor's incident notice (Art. 33(2)): the processor tells its controllers of a breach
//! once, on the product; every organisation with a system on the product gets it as a draft
//! incident linked to the notice, and the vendor sees who has taken it in. The controller's
//! 72 hours run from when it was told — the moment the notice is sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::facts::{IncidentFacts, RiskLevel};
use crate::OrganizationId;

/// What the vendor sends: the product, and the facts as the vendor knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewVendorIncident {
    /// The vendor's product in the catalogue that the breach concerns.
    pub product_id: Uuid,
    /// The facts. `aware_at` is when the vendor became aware; systems and activities are
    /// the customers' own and are left empty; the risk is the vendor's view.
    #[serde(flatten)]
    pub facts: IncidentFacts,
}

/// The incident draft an organisation receives: the vendor's facts, aware from `now` (when
/// told), linked to the organisation's systems on the product and the activities that use
/// them, the risk left for the organisation to assess, and the count of people left out (the
/// vendor's count spans all its customers).
pub fn draft_for(
    vendor_facts: &IncidentFacts,
    systems: Vec<Uuid>,
    activities: Vec<Uuid>,
    now: DateTime<Utc>,
) -> IncidentFacts {
    IncidentFacts {
        aware_at: now,
        system_ids: systems,
        activity_ids: activities,
        subjects_approx: None,
        records_approx: None,
        risk: RiskLevel::NotAssessed,
        risk_reasons: String::new(),
        ..vendor_facts.clone()
    }
}

/// One recipient of a vendor's notice, as the vendor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorIncidentRecipient {
    pub organization_id: OrganizationId,
    pub organization_name: String,
    /// When the organisation took the draft in as its incident; `None` until it has.
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// A vendor's notice with its recipients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorIncident {
    pub id: Uuid,
    pub vendor_id: OrganizationId,
    pub product_id: Uuid,
    pub product_name: String,
    pub facts: IncidentFacts,
    pub sent_at: DateTime<Utc>,
    pub sent_by: Option<String>,
    pub recipients: Vec<VendorIncidentRecipient>,
}

/// One row of the vendor's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorIncidentSummary {
    pub id: Uuid,
    pub product_name: String,
    pub title: String,
    pub sent_at: DateTime<Utc>,
    pub recipients: u32,
    pub acknowledged: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorIncidentPage {
    pub items: Vec<VendorIncidentSummary>,
    pub next_cursor: Option<String>,
}

/// Where a received draft came from, shown on the organisation's incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorSource {
    pub notice_id: Uuid,
    pub vendor_name: String,
    pub product_name: String,
    pub sent_at: DateTime<Utc>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn a_customer_is_aware_from_when_told_and_assesses_the_risk_itself() {
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        let vendor = IncidentFacts {
            title: "Feilkonfigurert lagringsbøtte".into(),
            occurred_from: Some(now - Duration::days(3)),
            occurred_to: Some(now - Duration::days(2)),
            aware_at: now - Duration::days(1),
            discovered_how: "Ekstern sikkerhetsforsker".into(),
            classes: vec![super::super::BreachClass::Confidentiality],
            description: "Eksportfiler var lesbare uten innlogging i ett døgn.".into(),
            cause: String::new(),
            system_ids: vec![Uuid::from_u128(9)],
            activity_ids: vec![],
            data_categories: vec!["pd:Name".into()],
            data_subjects: vec!["dpv:Student".into()],
            subjects_approx: Some(12_000),
            records_approx: Some(40_000),
            relation_to_affected: String::new(),
            data_location: String::new(),
            consequences: String::new(),
            measures_taken: "Tilgangen er stengt".into(),
            measures_planned: String::new(),
            risk: RiskLevel::High,
            risk_reasons: "Mange barn".into(),
        };
        let system = Uuid::from_u128(1);
        let activity = Uuid::from_u128(2);
        let draft = draft_for(&vendor, vec![system], vec![activity], now);
        assert_eq!(draft.aware_at, now);
        assert_eq!(draft.system_ids, vec![system]);
        assert_eq!(draft.activity_ids, vec![activity]);
        assert_eq!(draft.risk, RiskLevel::NotAssessed);
        assert_eq!(draft.subjects_approx, None);
        assert_eq!(draft.description, vendor.description);
        assert_eq!(draft.occurred_from, vendor.occurred_from);
    }
}
