//! Two municipalities' application overviews side by side: which products each uses that the
//! other does not, and where both use a product, whether at different versions. Catalogue
//! systems are matched by product; own systems (no product) by name, ignoring case and
//! accents. Retired systems are left out.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::system::{System, SystemStatus};
use crate::OrganizationId;
use crate::sort_key::sort_key;

/// One municipality in a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComparedOrganization {
    pub id: OrganizationId,
    pub name: String,
}

/// A system as the comparison shows it: no owners, notes or integrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComparedSystem {
    pub name: String,
    pub version: String,
    pub status: SystemStatus,
}

/// Which side has the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Both,
    /// Only the organisation asking.
    OnlyOurs,
    /// Only the one compared with.
    OnlyTheirs,
}

/// One product (or own system) and how each side has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComparisonRow {
    /// The catalogue product; absent for own systems.
    pub product_id: Option<Uuid>,
    /// The product's name, or the own system's.
    pub name: String,
    pub vendor_name: Option<String>,
    pub presence: Presence,
    /// Both have it and the versions they record differ.
    pub versions_differ: bool,
    pub ours: Vec<ComparedSystem>,
    pub theirs: Vec<ComparedSystem>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComparisonSummary {
    pub both: u32,
    pub only_ours: u32,
    pub only_theirs: u32,
    pub versions_differ: u32,
}

/// `GET …/overview-comparison`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverviewComparison {
    pub ours: ComparedOrganization,
    pub theirs: ComparedOrganization,
    pub summary: ComparisonSummary,
    /// In Norwegian alphabetical order of the name.
    pub rows: Vec<ComparisonRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Product(Uuid),
    Own(String),
}

fn key(s: &System) -> Key {
    match s.facts.product_id {
        Some(p) => Key::Product(p),
        None => Key::Own(sort_key(&s.facts.name)),
    }
}

fn shown(s: &System) -> ComparedSystem {
    ComparedSystem {
        name: s.facts.name.clone(),
        version: s.facts.version.clone(),
        status: s.facts.status,
    }
}

/// The versions a side records for a product (blank ones left out), sorted and distinct.
fn versions(systems: &[ComparedSystem]) -> Vec<&str> {
    let mut v: Vec<&str> = systems
        .iter()
        .map(|s| s.version.as_str())
        .filter(|v| !v.is_empty())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Compares two overviews. Retired systems do not count.
pub fn compare(
    ours: ComparedOrganization,
    our_systems: &[System],
    theirs: ComparedOrganization,
    their_systems: &[System],
) -> OverviewComparison {
    let mut rows: Vec<(Key, ComparisonRow)> = Vec::new();
    let sides = [(true, our_systems), (false, their_systems)];
    for (is_ours, systems) in sides {
        for s in systems
            .iter()
            .filter(|s| s.facts.status != SystemStatus::Retired)
        {
            let k = key(s);
            let at = match rows.iter().position(|(rk, _)| *rk == k) {
                Some(at) => at,
                None => {
                    rows.push((
                        k,
                        ComparisonRow {
                            product_id: s.facts.product_id,
                            name: s
                                .product_name
                                .clone()
                                .unwrap_or_else(|| s.facts.name.clone()),
                            vendor_name: s.vendor_name.clone(),
                            presence: Presence::Both,
                            versions_differ: false,
                            ours: Vec::new(),
                            theirs: Vec::new(),
                        },
                    ));
                    rows.len() - 1
                }
            };
            let row = &mut rows[at].1;
            if is_ours {
                row.ours.push(shown(s));
            } else {
                row.theirs.push(shown(s));
            }
        }
    }
    let mut summary = ComparisonSummary::default();
    let mut rows: Vec<ComparisonRow> = rows
        .into_iter()
        .map(|(_, mut row)| {
            row.presence = match (row.ours.is_empty(), row.theirs.is_empty()) {
                (false, false) => Presence::Both,
                (false, true) => Presence::OnlyOurs,
                _ => Presence::OnlyTheirs,
            };
            let (a, b) = (versions(&row.ours), versions(&row.theirs));
            row.versions_differ =
                row.presence == Presence::Both && !a.is_empty() && !b.is_empty() && a != b;
            match row.presence {
                Presence::Both => summary.both += 1,
                Presence::OnlyOurs => summary.only_ours += 1,
                Presence::OnlyTheirs => summary.only_theirs += 1,
            }
            summary.versions_differ += u32::from(row.versions_differ);
            row
        })
        .collect();
    rows.sort_by_cached_key(|r| (sort_key(&r.name), r.product_id));
    OverviewComparison {
        ours,
        theirs,
        summary,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use proptest::prelude::*;

    use super::*;
    use crate::register::system::SystemFacts;

    fn org(n: u128, name: &str) -> ComparedOrganization {
        ComparedOrganization {
            id: OrganizationId::from_uuid(Uuid::from_u128(n)),
            name: name.into(),
        }
    }

    fn system(product: Option<u128>, name: &str, version: &str, status: SystemStatus) -> System {
        System {
            id: Uuid::from_u128(0x99),
            organization_id: OrganizationId::from_uuid(Uuid::from_u128(1)),
            facts: SystemFacts {
                product_id: product.map(Uuid::from_u128),
                name: name.into(),
                owning_unit: "Enhet".into(),
                version: version.into(),
                status,
                integrations: Vec::new(),
                review_date: None,
                notes: "Intern merknad".into(),
                owners: vec![Uuid::from_u128(77)],
            },
            product_name: product.map(|_| name.to_owned()),
            vendor_name: product.map(|_| "Leverandør AS".to_owned()),
            revision: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn what_each_has_that_the_other_lacks_and_different_versions() {
        use SystemStatus::*;
        let ours = vec![
            system(Some(1), "Skolesekk", "2026.2", InUse),
            system(Some(2), "Lønnsflyt", "5.1", InUse),
            system(Some(3), "Arkivkjernen", "", InUse),
            system(None, "Båtplassregister", "", InUse),
            system(Some(4), "Gammelt", "1", Retired),
        ];
        let theirs = vec![
            system(Some(1), "Skolesekk", "2025.4", InUse),
            system(Some(2), "Lønnsflyt", "5.1", PhasingOut),
            system(Some(3), "Arkivkjernen", "9", InUse),
            system(None, " BÅTPLASSREGISTER", "", Planned),
            system(Some(4), "Gammelt", "1", InUse),
            system(Some(5), "Helsestasjon", "3", InUse),
        ];
        let c = compare(org(1, "Oslo"), &ours, org(2, "Bergen"), &theirs);
        let row = |name: &str| {
            c.rows
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(name))
                .unwrap_or_else(|| panic!("{name}"))
        };
        assert!(row("Skolesekk").versions_differ);
        assert_eq!(row("Skolesekk").presence, Presence::Both);
        assert!(!row("Lønnsflyt").versions_differ);
        // An unrecorded version is not a difference.
        assert!(!row("Arkivkjernen").versions_differ);
        // Own systems match by name, ignoring case and accents.
        assert_eq!(row("Båtplassregister").presence, Presence::Both);
        // A retired system does not count.
        assert_eq!(row("Gammelt").presence, Presence::OnlyTheirs);
        assert_eq!(row("Helsestasjon").presence, Presence::OnlyTheirs);
        assert_eq!(
            c.summary,
            ComparisonSummary {
                both: 4,
                only_ours: 0,
                only_theirs: 2,
                versions_differ: 1
            }
        );
        // Sorted in Norwegian order: å after z.
        let names: Vec<&str> = c.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names.first(), Some(&"Arkivkjernen"));
        // Nothing but name, version and status of a system is shown.
        let json = serde_json::to_string(&c).expect("json");
        assert!(!json.contains("Intern merknad"));
        assert!(!json.contains("Enhet"));
    }

    proptest! {
        /// Swapping the sides swaps "only ours" and "only theirs" and keeps the rest.
        #[test]
        fn comparison_is_symmetric(
            a in prop::collection::vec((prop::option::of(0u128..6), 0usize..3, any::<bool>()), 0..8),
            b in prop::collection::vec((prop::option::of(0u128..6), 0usize..3, any::<bool>()), 0..8),
        ) {
            let names = ["Alfa", "Beta", "Gamma"];
            let make = |v: &[(Option<u128>, usize, bool)]| -> Vec<System> {
                v.iter().map(|(p, n, retired)| {
                    let status = if *retired { SystemStatus::Retired } else { SystemStatus::InUse };
                    let name = p.map_or_else(|| names[*n].to_owned(), |p| format!("P{p}"));
                    system(*p, &name, names[*n], status)
                }).collect()
            };
            let (sa, sb) = (make(&a), make(&b));
            let ab = compare(org(1, "A"), &sa, org(2, "B"), &sb);
            let ba = compare(org(2, "B"), &sb, org(1, "A"), &sa);
            prop_assert_eq!(ab.summary.both, ba.summary.both);
            prop_assert_eq!(ab.summary.only_ours, ba.summary.only_theirs);
            prop_assert_eq!(ab.summary.versions_differ, ba.summary.versions_differ);
            prop_assert_eq!(ab.rows.len() as u32, ab.summary.both + ab.summary.only_ours + ab.summary.only_theirs);
            let active = |s: &[System]| s.iter().filter(|x| x.facts.status != SystemStatus::Retired).count();
            let listed: usize = ab.rows.iter().map(|r| r.ours.len()).sum();
            prop_assert_eq!(listed, active(&sa));
        }
    }
}
