//! A product in the catalogue, kept by its vendor: where it keeps and processes data, who
//! helps (sub-processors), how it is secured, which data it can hold, and whether it offers
//! a request connector. Municipalities build their register on these facts, so the rules
//! for them live here, and so does what counts as a change that matters to a customer.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::country::{has_adequacy, is_eea, normalise};
use super::taxonomy::data_category;
use super::{Errors, text, text_list};
use crate::OrganizationId;
use crate::problem::FieldError;

pub const MAX_NAME: usize = 200;
pub const MAX_DESCRIPTION: usize = 4000;
pub const MAX_VERSION: usize = 50;
pub const MAX_HOSTING: usize = 50;
pub const MAX_SUB_PROCESSORS: usize = 100;
pub const MAX_MEASURES: usize = 50;
pub const MAX_MEASURE: usize = 500;
pub const MAX_CERTIFICATIONS: usize = 20;

/// What happens to the data in a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HostingRole {
    /// Data are stored there.
    Storage,
    /// Data are accessed from there (support, operations).
    Access,
    /// Data are processed there.
    Processing,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HostingLocation {
    /// ISO 3166-1 alpha-2.
    #[cfg_attr(feature = "openapi", schema(example = "NO", pattern = "^[A-Za-z]{2}$"))]
    pub country: String,
    pub role: HostingRole,
}

/// The ground for a transfer outside the EU/EEA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransferMechanism {
    /// An adequacy decision (Art. 45).
    Adequacy,
    /// Standard contractual clauses (Art. 46(2)(c)).
    StandardContractualClauses,
    /// Binding corporate rules (Art. 47).
    BindingCorporateRules,
    /// A derogation for a specific situation (Art. 49).
    Derogation,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubProcessor {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Nordlys Drift AS", max_length = 200)
    )]
    pub name: String,
    /// Organisasjonsnummer for a Norwegian company (checked), else the foreign registration.
    #[serde(default)]
    pub org_number: Option<String>,
    /// ISO 3166-1 alpha-2 of where it processes the data.
    #[cfg_attr(feature = "openapi", schema(example = "NO"))]
    pub country: String,
    /// What it does: "drift av datasenter", "brukerstøtte".
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub service: String,
    /// Required outside the EU/EEA; absent inside it.
    #[serde(default)]
    pub transfer_mechanism: Option<TransferMechanism>,
}

/// The request types of GDPR Art. 15–21 and party access under forvaltningsloven § 18.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestType {
    Access,
    Rectification,
    Erasure,
    Restriction,
    Portability,
    Objection,
    PartyAccess,
}

impl RequestType {
    /// The request type a request of this kind is.
    pub const fn of(kind: crate::requests::RequestKind) -> Self {
        use crate::requests::RequestKind as K;
        match kind {
            K::Access => Self::Access,
            K::Rectification => Self::Rectification,
            K::Erasure => Self::Erasure,
            K::Restriction => Self::Restriction,
            K::Portability => Self::Portability,
            K::Objection => Self::Objection,
            K::PartyAccess => Self::PartyAccess,
        }
    }
}

/// A product's endpoint for automated data-subject request tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Connector {
    /// `https://…` (plain `http://` only on localhost, for development).
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://api.example.org/vern/tasks", max_length = 500)
    )]
    pub endpoint: String,
    pub request_types: Vec<RequestType>,
}

impl Connector {
    /// Whether the connector takes requests of this kind.
    pub fn handles(&self, kind: crate::requests::RequestKind) -> bool {
        self.request_types.contains(&RequestType::of(kind))
    }
}

/// The facts a vendor keeps about a product: the body of create and update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductFacts {
    #[cfg_attr(feature = "openapi", schema(example = "Skolearena", max_length = 200))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub description: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "2026.3", max_length = 50))]
    pub version: String,
    #[serde(default)]
    pub hosting: Vec<HostingLocation>,
    #[serde(default)]
    pub sub_processors: Vec<SubProcessor>,
    /// Technical and organisational measures, one per entry.
    #[serde(default)]
    pub security_measures: Vec<String>,
    /// "ISO/IEC 27001:2022" and the like.
    #[serde(default)]
    pub certifications: Vec<String>,
    /// Data categories the product can hold: taxonomy keys (`pd:Health`, …).
    #[serde(default)]
    pub data_categories: Vec<String>,
    #[serde(default)]
    pub connector: Option<Connector>,
    /// Published products are visible in the catalogue to every organisation.
    #[serde(default)]
    pub published: bool,
}

/// A product as the API answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: Uuid,
    pub vendor_id: OrganizationId,
    pub vendor_name: String,
    #[serde(flatten)]
    pub facts: ProductFacts,
    /// Goes up by one with every change; the ETag is derived from it.
    pub revision: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductPage {
    pub items: Vec<Product>,
    pub next_cursor: Option<String>,
}

fn endpoint_ok(url: &str) -> bool {
    crate::connector::check_endpoint(url).is_ok()
}

/// Checks and normalises a product's facts: texts trimmed, countries upper-cased, lists
/// without duplicates and sorted where order carries no meaning.
pub fn check_product(facts: &ProductFacts) -> Result<ProductFacts, Vec<FieldError>> {
    let mut e = Errors::default();
    let name = text(&mut e, "name", &facts.name, true, MAX_NAME).unwrap_or_default();
    let description = text(
        &mut e,
        "description",
        &facts.description,
        false,
        MAX_DESCRIPTION,
    )
    .unwrap_or_default();
    let version = text(&mut e, "version", &facts.version, false, MAX_VERSION).unwrap_or_default();

    let mut hosting = BTreeSet::new();
    if facts.hosting.len() > MAX_HOSTING {
        e.add("hosting", "too_many");
    } else {
        for (i, h) in facts.hosting.iter().enumerate() {
            match normalise(&h.country) {
                Some(country) => {
                    hosting.insert(HostingLocation {
                        country,
                        role: h.role,
                    });
                }
                None => e.add(format!("hosting[{i}].country"), "unknown_country"),
            }
        }
    }

    let mut sub_processors = BTreeSet::new();
    if facts.sub_processors.len() > MAX_SUB_PROCESSORS {
        e.add("sub_processors", "too_many");
    } else {
        for (i, s) in facts.sub_processors.iter().enumerate() {
            let field = |f: &str| format!("sub_processors[{i}].{f}");
            let name = text(&mut e, &field("name"), &s.name, true, MAX_NAME);
            let service = text(&mut e, &field("service"), &s.service, true, MAX_MEASURE);
            let country = normalise(&s.country);
            if country.is_none() {
                e.add(field("country"), "unknown_country");
            }
            let org_number = s
                .org_number
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| {
                    if country.as_deref() == Some("NO") {
                        match crate::OrgNumber::parse(n) {
                            Ok(parsed) => parsed.to_string(),
                            Err(_) => {
                                e.add(field("org_number"), "checksum");
                                n.to_owned()
                            }
                        }
                    } else {
                        if n.chars().count() > 50 {
                            e.add(field("org_number"), "too_long");
                        }
                        n.to_owned()
                    }
                });
            if let Some(country) = &country {
                match (is_eea(country), s.transfer_mechanism) {
                    (true, Some(_)) => e.add(field("transfer_mechanism"), "not_a_transfer"),
                    (false, None) => e.add(field("transfer_mechanism"), "required_outside_eea"),
                    (false, Some(TransferMechanism::Adequacy)) if !has_adequacy(country) => {
                        e.add(field("transfer_mechanism"), "no_adequacy_decision");
                    }
                    _ => {}
                }
            }
            if let (Some(name), Some(service), Some(country)) = (name, service, country) {
                sub_processors.insert(SubProcessor {
                    name,
                    org_number,
                    country,
                    service,
                    transfer_mechanism: s.transfer_mechanism,
                });
            }
        }
    }

    let security_measures = text_list(
        &mut e,
        "security_measures",
        &facts.security_measures,
        MAX_MEASURES,
        MAX_MEASURE,
    );
    let certifications = text_list(
        &mut e,
        "certifications",
        &facts.certifications,
        MAX_CERTIFICATIONS,
        MAX_NAME,
    );

    let mut data_categories = BTreeSet::new();
    for (i, key) in facts.data_categories.iter().enumerate() {
        match data_category(key.trim()) {
            Some(c) => {
                data_categories.insert(c.key.to_owned());
            }
            None => e.add(format!("data_categories[{i}]"), "unknown_category"),
        }
    }

    let connector = facts.connector.as_ref().map(|c| {
        let endpoint = c.endpoint.trim().to_owned();
        if endpoint.chars().count() > 500 || !endpoint_ok(&endpoint) {
            e.add("connector.endpoint", "not_https");
        }
        let types: BTreeSet<RequestType> = c.request_types.iter().copied().collect();
        if types.is_empty() {
            e.add("connector.request_types", "required");
        }
        Connector {
            endpoint,
            request_types: types.into_iter().collect(),
        }
    });

    if facts.published && hosting.is_empty() {
        e.add("hosting", "required_to_publish");
    }

    e.finish(ProductFacts {
        name,
        description,
        version,
        hosting: hosting.into_iter().collect(),
        sub_processors: sub_processors.into_iter().collect(),
        security_measures,
        certifications,
        data_categories: data_categories.into_iter().collect(),
        connector,
        published: facts.published,
    })
}

/// A fact about a product that its customers must review when it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MaterialFact {
    Hosting,
    SubProcessors,
    SecurityMeasures,
    DataCategories,
}

/// Which material facts differ between two checked versions. Order within a list is not a
/// change; name, description, version, certifications and the connector are not material.
pub fn material_changes(before: &ProductFacts, after: &ProductFacts) -> Vec<MaterialFact> {
    use super::review::MaterialFacts;
    MaterialFacts::of(before).changes(&MaterialFacts::of(after))
}

/// The countries outside the EU/EEA the product's data reach, with the mechanism used
/// where a sub-processor names one — for Art. 30(1)(e).
pub fn third_countries(facts: &ProductFacts) -> Vec<(String, Option<TransferMechanism>)> {
    let mut out: Vec<(String, Option<TransferMechanism>)> = Vec::new();
    for s in &facts.sub_processors {
        if !is_eea(&s.country) && !out.iter().any(|(c, _)| *c == s.country) {
            out.push((s.country.clone(), s.transfer_mechanism));
        }
    }
    for h in &facts.hosting {
        if !is_eea(&h.country) && !out.iter().any(|(c, _)| *c == h.country) {
            out.push((h.country.clone(), None));
        }
    }
    out.sort();
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::*;

    pub(crate) fn sample() -> ProductFacts {
        ProductFacts {
            name: " Skolearena ".into(),
            description: "Læringsplattform for grunnskolen".into(),
            version: "2026.3".into(),
            hosting: vec![
                HostingLocation {
                    country: "no".into(),
                    role: HostingRole::Storage,
                },
                HostingLocation {
                    country: "SE".into(),
                    role: HostingRole::Access,
                },
            ],
            sub_processors: vec![SubProcessor {
                name: "Nordlys Drift AS".into(),
                org_number: Some("100 000 008".into()),
                country: "NO".into(),
                service: "Drift av datasenter".into(),
                transfer_mechanism: None,
            }],
            security_measures: vec!["Kryptering av lagrede data".into(), "  ".into()],
            certifications: vec!["ISO/IEC 27001:2022".into()],
            data_categories: vec!["pd:Name".into(), "pd:School".into(), "pd:Name".into()],
            connector: Some(Connector {
                endpoint: "https://api.example.org/vern".into(),
                request_types: vec![
                    RequestType::Access,
                    RequestType::Access,
                    RequestType::Erasure,
                ],
            }),
            published: true,
        }
    }

    fn codes(r: Result<ProductFacts, Vec<FieldError>>) -> Vec<(String, String)> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_good_product_is_normalised() {
        let checked = check_product(&sample()).unwrap();
        assert_eq!(checked.name, "Skolearena");
        assert_eq!(checked.hosting[0].country, "NO");
        assert_eq!(
            checked.security_measures,
            vec!["Kryptering av lagrede data"]
        );
        assert_eq!(checked.data_categories, vec!["pd:Name", "pd:School"]);
        assert_eq!(
            checked.connector.unwrap().request_types,
            vec![RequestType::Access, RequestType::Erasure]
        );
        assert_eq!(
            checked.sub_processors[0].org_number.as_deref(),
            Some("100000008")
        );
    }

    #[test]
    fn transfers_outside_the_eea_need_a_valid_mechanism() {
        let mut p = sample();
        p.sub_processors[0].country = "IN".into();
        p.sub_processors[0].org_number = None;
        assert_eq!(
            codes(check_product(&p)),
            vec![(
                "sub_processors[0].transfer_mechanism".into(),
                "required_outside_eea".into()
            )]
        );
        p.sub_processors[0].transfer_mechanism = Some(TransferMechanism::Adequacy);
        assert_eq!(
            codes(check_product(&p)),
            vec![(
                "sub_processors[0].transfer_mechanism".into(),
                "no_adequacy_decision".into()
            )]
        );
        p.sub_processors[0].transfer_mechanism =
            Some(TransferMechanism::StandardContractualClauses);
        let checked = check_product(&p).unwrap();
        assert_eq!(
            third_countries(&checked),
            vec![(
                "IN".to_owned(),
                Some(TransferMechanism::StandardContractualClauses)
            )]
        );
        p.sub_processors[0].country = "GB".into();
        p.sub_processors[0].transfer_mechanism = Some(TransferMechanism::Adequacy);
        assert!(check_product(&p).is_ok());
        p.sub_processors[0].country = "DK".into();
        assert_eq!(
            codes(check_product(&p)),
            vec![(
                "sub_processors[0].transfer_mechanism".into(),
                "not_a_transfer".into()
            )]
        );
    }

    #[test]
    fn bad_input_names_every_field() {
        let mut p = sample();
        p.name = " ".into();
        p.hosting[1].country = "XX".into();
        p.sub_processors[0].org_number = Some("123456789".into());
        p.data_categories.push("pd:Nonsense".into());
        p.connector = Some(Connector {
            endpoint: "http://example.org".into(),
            request_types: vec![],
        });
        let found = codes(check_product(&p));
        for expected in [
            ("name", "required"),
            ("hosting[1].country", "unknown_country"),
            ("sub_processors[0].org_number", "checksum"),
            ("data_categories[3]", "unknown_category"),
            ("connector.endpoint", "not_https"),
            ("connector.request_types", "required"),
        ] {
            assert!(
                found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "{expected:?} in {found:?}"
            );
        }
        let mut unhosted = sample();
        unhosted.hosting.clear();
        assert_eq!(
            codes(check_product(&unhosted)),
            vec![("hosting".into(), "required_to_publish".into())]
        );
        unhosted.published = false;
        assert!(check_product(&unhosted).is_ok());
    }

    #[test]
    fn local_connector_endpoints_are_for_development_only() {
        assert!(endpoint_ok("https://api.example.org/x"));
        assert!(endpoint_ok("http://127.0.0.1:9000/tasks"));
        assert!(endpoint_ok("http://localhost:9000"));
        assert!(!endpoint_ok("http://localhost.example.org/"));
        assert!(!endpoint_ok("http://api.example.org/"));
        assert!(!endpoint_ok("https://"));
        assert!(!endpoint_ok("ftp://x"));
    }

    #[test]
    fn which_changes_matter() {
        let before = check_product(&sample()).unwrap();
        let mut after = before.clone();
        after.name = "Skolearena 2".into();
        after.version = "2027.1".into();
        after.certifications.clear();
        assert!(material_changes(&before, &after).is_empty());
        after.hosting[0].country = "US".into();
        after.data_categories.push("pd:Health".into());
        assert_eq!(
            material_changes(&before, &after),
            vec![MaterialFact::Hosting, MaterialFact::DataCategories]
        );
    }

    fn arb_facts() -> impl Strategy<Value = ProductFacts> {
        let country = prop::sample::select(vec!["NO", "se", "DK", "US", "IN", "GB", "XX", "no "]);
        let role = prop::sample::select(vec![
            HostingRole::Storage,
            HostingRole::Access,
            HostingRole::Processing,
        ]);
        let mech = prop::option::of(prop::sample::select(vec![
            TransferMechanism::Adequacy,
            TransferMechanism::StandardContractualClauses,
            TransferMechanism::BindingCorporateRules,
            TransferMechanism::Derogation,
        ]));
        let category = prop::sample::select(vec![
            "pd:Name",
            "pd:Health",
            "pd:School",
            "pd:Nope",
            " pd:Name",
        ]);
        (
            "[ a-zæøå]{0,12}",
            prop::collection::vec((country.clone(), role), 0..5),
            prop::collection::vec(("[a-z ]{0,8}", country, "[a-z ]{0,8}", mech), 0..4),
            prop::collection::vec("[a-z ]{0,6}", 0..4),
            prop::collection::vec(category, 0..5),
            any::<bool>(),
        )
            .prop_map(
                |(name, hosting, subs, measures, cats, published)| ProductFacts {
                    name,
                    description: String::new(),
                    version: String::new(),
                    hosting: hosting
                        .into_iter()
                        .map(|(c, role)| HostingLocation {
                            country: c.to_owned(),
                            role,
                        })
                        .collect(),
                    sub_processors: subs
                        .into_iter()
                        .map(|(name, c, service, m)| SubProcessor {
                            name,
                            org_number: None,
                            country: c.to_owned(),
                            service,
                            transfer_mechanism: m,
                        })
                        .collect(),
                    security_measures: measures,
                    certifications: vec![],
                    data_categories: cats.into_iter().map(str::to_owned).collect(),
                    connector: None,
                    published,
                },
            )
    }

    proptest! {
        /// Checking is idempotent: what passes once passes again unchanged.
        #[test]
        fn checking_is_idempotent(facts in arb_facts()) {
            if let Ok(checked) = check_product(&facts) {
                prop_assert_eq!(check_product(&checked), Ok(checked.clone()));
                prop_assert!(material_changes(&checked, &checked).is_empty());
            }
        }

        /// Reordering lists never counts as a material change, and the comparison is symmetric.
        #[test]
        fn order_is_not_a_change(a in arb_facts(), b in arb_facts()) {
            if let (Ok(a), Ok(b)) = (check_product(&a), check_product(&b)) {
                let mut reversed = a.clone();
                reversed.hosting.reverse();
                reversed.sub_processors.reverse();
                reversed.security_measures.reverse();
                reversed.data_categories.reverse();
                prop_assert!(material_changes(&a, &reversed).is_empty());
                prop_assert_eq!(material_changes(&a, &b), material_changes(&b, &a));
            }
        }

        /// No accepted product sends data outside the EU/EEA without a mechanism for a
        /// sub-processor, or claims adequacy where there is none.
        #[test]
        fn accepted_transfers_have_a_ground(facts in arb_facts()) {
            if let Ok(checked) = check_product(&facts) {
                for s in &checked.sub_processors {
                    match s.transfer_mechanism {
                        None => prop_assert!(is_eea(&s.country)),
                        Some(TransferMechanism::Adequacy) => prop_assert!(has_adequacy(&s.country)),
                        Some(_) => prop_assert!(!is_eea(&s.country)),
                    }
                }
            }
        }
    }
}
