//! What a vendor sees of how municipalities use its products. Without the municipality's
//! consent only the fact of use — which products; with it, also the systems (name, version,
//! status) and the processing activities in the record (name and purposes) built on them.
//! Never owners, notes, units, data subjects or anything about residents.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::activity::{Activity, ActivityStatus};
use super::compare::ComparedSystem;
use super::system::{System, SystemStatus};
use crate::OrganizationId;

/// A processing activity as a vendor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageActivity {
    pub name: String,
    pub purposes: Vec<String>,
}

/// One of the vendor's products at one customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductUse {
    pub product_id: Uuid,
    pub product_name: String,
    /// Empty unless the customer shares how it uses the products.
    pub systems: Vec<ComparedSystem>,
    /// Empty unless the customer shares how it uses the products.
    pub activities: Vec<UsageActivity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerUsage {
    pub controller_id: OrganizationId,
    pub name: String,
    /// Whether the customer lets its vendors see how it uses their products.
    pub shares_details: bool,
    pub products: Vec<ProductUse>,
}

/// `GET …/product-usage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductUsage {
    /// In Norwegian alphabetical order of the customer's name.
    pub customers: Vec<CustomerUsage>,
}

/// One product at one customer as the vendor may see it. `systems` and `activities` are the
/// customer's; only those on the product, not retired or discontinued (and no drafts),
/// count, and only when the customer shares.
pub fn product_use(
    product_id: Uuid,
    product_name: &str,
    shares: bool,
    systems: &[System],
    activities: &[Activity],
) -> ProductUse {
    let on_product: Vec<&System> = systems
        .iter()
        .filter(|s| s.facts.product_id == Some(product_id))
        .filter(|s| s.facts.status != SystemStatus::Retired)
        .collect();
    let (systems, activities) = if shares {
        let shown = on_product
            .iter()
            .map(|s| ComparedSystem {
                name: s.facts.name.clone(),
                version: s.facts.version.clone(),
                status: s.facts.status,
            })
            .collect();
        let used = activities
            .iter()
            .filter(|a| a.facts.status == ActivityStatus::Active)
            .filter(|a| {
                a.facts
                    .system_ids
                    .iter()
                    .any(|id| on_product.iter().any(|s| s.id == *id))
            })
            .map(|a| UsageActivity {
                name: a.facts.name.clone(),
                purposes: a.facts.purposes.clone(),
            })
            .collect();
        (shown, used)
    } else {
        (Vec::new(), Vec::new())
    };
    ProductUse {
        product_id,
        product_name: product_name.to_owned(),
        systems,
        activities,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::register::activity::check_activity;
    use crate::register::activity::tests::sample;
    use crate::register::system::SystemFacts;

    fn system(id: u128, product: Option<u128>, status: SystemStatus) -> System {
        System {
            id: Uuid::from_u128(id),
            organization_id: OrganizationId::from_uuid(Uuid::from_u128(1)),
            facts: SystemFacts {
                product_id: product.map(Uuid::from_u128),
                name: format!("System {id}"),
                owning_unit: "Oppvekst".into(),
                version: "2026.1".into(),
                status,
                integrations: vec!["Folkeregisteret".into()],
                review_date: None,
                notes: "Kontaktperson: Kari".into(),
                owners: vec![Uuid::from_u128(99)],
            },
            product_name: None,
            vendor_name: None,
            revision: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn activity(name: &str, systems: &[u128], status: ActivityStatus) -> Activity {
        let mut facts = check_activity(&sample()).expect("valid");
        facts.name = name.into();
        facts.system_ids = systems.iter().copied().map(Uuid::from_u128).collect();
        facts.status = status;
        Activity {
            id: Uuid::from_u128(500),
            organization_id: OrganizationId::from_uuid(Uuid::from_u128(1)),
            facts,
            revision: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn without_consent_only_the_fact_of_use() {
        let systems = [system(10, Some(7), SystemStatus::InUse)];
        let activities = [activity(
            "Elevadministrasjon",
            &[10],
            ActivityStatus::Active,
        )];
        let seen = product_use(
            Uuid::from_u128(7),
            "Skolesekk",
            false,
            &systems,
            &activities,
        );
        assert_eq!(seen.product_name, "Skolesekk");
        assert!(seen.systems.is_empty() && seen.activities.is_empty());
    }

    #[test]
    fn with_consent_the_systems_and_recorded_activities_on_the_product() {
        let systems = [
            system(10, Some(7), SystemStatus::InUse),
            system(11, Some(7), SystemStatus::Retired),
            system(12, Some(8), SystemStatus::InUse),
        ];
        let activities = [
            activity("Elevadministrasjon", &[10], ActivityStatus::Active),
            activity("Utkast", &[10], ActivityStatus::Draft),
            activity("Lønn", &[12], ActivityStatus::Active),
            activity("Gammel", &[11], ActivityStatus::Active),
        ];
        let seen = product_use(Uuid::from_u128(7), "Skolesekk", true, &systems, &activities);
        assert_eq!(
            seen.systems.len(),
            1,
            "retired systems and other products left out"
        );
        assert_eq!(seen.systems[0].version, "2026.1");
        let names: Vec<&str> = seen.activities.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, vec!["Elevadministrasjon"]);
        // Nothing of owners, notes, units or integrations.
        let json = serde_json::to_string(&seen).expect("json");
        for private in [
            "Kari",
            "Oppvekst",
            "Folkeregisteret",
            "00000000-0000-0000-0000-000000000063",
        ] {
            assert!(!json.contains(private), "{private}");
        }
    }
}
