//! The facts of an agreement gathered from the register: the covered systems and their
//! catalogue products (sub-processors, hosting, security measures), the processing
//! activities on those systems (purposes, data and subject categories with their flags,
//! measures), and the drafter's terms.

use super::facts::{
    AgreementFacts, CategoryFact, ChangeFact, LocationFact, PartyFact, SubProcessorFact, SystemFact,
};
use super::terms::{AgreementLanguage, AgreementTerms};
use crate::register::activity::{ActivityFacts, ActivityStatus};
use crate::register::product::{HostingRole, Product, TransferMechanism};
use crate::register::system::System;
use crate::register::taxonomy::SpecialCategory;
use crate::register::vocabulary::Vocabulary;

/// What the register holds for one agreement.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub terms: &'a AgreementTerms,
    pub language: AgreementLanguage,
    /// Name, org number and DPOs; contact and address come from the terms.
    pub controller: &'a PartyFact,
    pub processor: &'a PartyFact,
    pub systems: &'a [System],
    /// The catalogue products of the systems.
    pub products: &'a [Product],
    /// The controller's processing activities on the systems.
    pub activities: &'a [ActivityFacts],
    pub vocabulary: &'a Vocabulary,
    pub change_log: &'a [ChangeFact],
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn role_label(role: HostingRole, lang: AgreementLanguage) -> &'static str {
    match role {
        HostingRole::Storage => lang.pick("lagring", "storage"),
        HostingRole::Processing => lang.pick("behandling", "processing"),
        HostingRole::Access => lang.pick(
            "tilgang (drift og støtte)",
            "access (operations and support)",
        ),
    }
}

fn mechanism_label(m: TransferMechanism, lang: AgreementLanguage) -> &'static str {
    match m {
        TransferMechanism::Adequacy => lang.pick(
            "beslutning om tilstrekkelig beskyttelsesnivå (art. 45)",
            "adequacy decision (Art. 45)",
        ),
        TransferMechanism::StandardContractualClauses => lang.pick(
            "EUs standard personvernbestemmelser (art. 46 nr. 2 bokstav c)",
            "standard contractual clauses (Art. 46(2)(c))",
        ),
        TransferMechanism::BindingCorporateRules => lang.pick(
            "bindende virksomhetsregler (art. 47)",
            "binding corporate rules (Art. 47)",
        ),
        TransferMechanism::Derogation => lang.pick(
            "unntak for særlige situasjoner (art. 49)",
            "derogation (Art. 49)",
        ),
    }
}

/// The agreement's facts.
pub fn assemble(s: Sources<'_>) -> AgreementFacts {
    let lang = s.language;
    let label = |key: &str| match s.vocabulary.labels(key) {
        Some((nb, _, en)) => lang.pick_owned(nb, en),
        None => key.to_owned(),
    };
    let activities: Vec<&ActivityFacts> = s
        .activities
        .iter()
        .filter(|a| a.status != ActivityStatus::Discontinued)
        .collect();
    let mut purposes = Vec::new();
    let mut data_categories: Vec<CategoryFact> = Vec::new();
    let mut data_subjects = Vec::new();
    let mut security_measures = Vec::new();
    for a in &activities {
        for p in &a.purposes {
            push_unique(&mut purposes, p.clone());
        }
        for c in &a.data_categories {
            let special = s.vocabulary.category(&c.category).and_then(|i| i.special);
            let fact = CategoryFact {
                label: label(&c.category),
                special: special.is_some_and(SpecialCategory::is_art9),
                criminal: special == Some(SpecialCategory::Criminal),
            };
            if !data_categories.iter().any(|d| d.label == fact.label) {
                data_categories.push(fact);
            }
        }
        for d in &a.data_subjects {
            push_unique(&mut data_subjects, label(d));
        }
    }
    let mut sub_processors: Vec<SubProcessorFact> = Vec::new();
    let mut locations = Vec::new();
    for p in s.products {
        for sp in &p.facts.sub_processors {
            let fact = SubProcessorFact {
                name: sp.name.clone(),
                org_number: sp.org_number.clone().unwrap_or_default(),
                country: sp.country.clone(),
                service: sp.service.clone(),
                transfer_mechanism: sp
                    .transfer_mechanism
                    .map(|m| mechanism_label(m, lang).to_owned())
                    .unwrap_or_default(),
            };
            push_unique(&mut sub_processors, fact);
        }
        for h in &p.facts.hosting {
            push_unique(
                &mut locations,
                LocationFact {
                    country: h.country.clone(),
                    role: role_label(h.role, lang).to_owned(),
                },
            );
        }
        for m in &p.facts.security_measures {
            push_unique(&mut security_measures, m.clone());
        }
    }
    for a in &activities {
        for m in &a.security_measures {
            push_unique(&mut security_measures, m.clone());
        }
    }
    let t = s.terms;
    // What the controller states beside the register.
    for p in &t.scope.purposes {
        push_unique(&mut purposes, p.clone());
    }
    for c in &t.scope.data_categories {
        if !data_categories.iter().any(|d| d.label == c.label) {
            data_categories.push(CategoryFact {
                label: c.label.clone(),
                special: c.special,
                criminal: c.criminal,
            });
        }
    }
    for d in &t.scope.data_subjects {
        push_unique(&mut data_subjects, d.clone());
    }
    for m in &t.scope.security_measures {
        push_unique(&mut security_measures, m.clone());
    }
    for country in &t.scope.locations {
        push_unique(
            &mut locations,
            LocationFact {
                country: country.clone(),
                role: lang
                    .pick("lagring og behandling", "storage and processing")
                    .to_owned(),
            },
        );
    }
    let identified = |p: &PartyFact| {
        let identifier = if !p.org_number.is_empty() {
            format!(
                "{} {}",
                lang.pick("org.nr.", "organisation number"),
                p.org_number
            )
        } else if !p.municipality_number.is_empty() {
            format!(
                "{} {}",
                lang.pick("kommunenr.", "municipality number"),
                p.municipality_number
            )
        } else {
            String::new()
        };
        PartyFact {
            identifier,
            ..p.clone()
        }
    };
    let (controller, processor) = (identified(s.controller), identified(s.processor));
    AgreementFacts {
        language: lang,
        title: t.title.clone(),
        controller: PartyFact {
            contact: t.controller_contact.clone(),
            address: t.controller_address.clone(),
            ..controller
        },
        processor: PartyFact {
            contact: t.processor_contact.clone(),
            address: t.processor_address.clone(),
            ..processor
        },
        systems: s
            .systems
            .iter()
            .map(|sys| SystemFact {
                name: sys.facts.name.clone(),
                product: sys.product_name.clone().unwrap_or_default(),
                version: sys.facts.version.clone(),
            })
            .collect(),
        subject_matter: t.scope.subject_matter.clone(),
        purposes,
        nature: t.nature.clone(),
        data_categories,
        data_subjects,
        start_date: t.start_date,
        end_date: t.end_date,
        authorisation: t.authorisation,
        notice_period_days: t.notice_period_days,
        breach_notice_hours: t.breach_notice_hours,
        end_of_contract: t.end_of_contract,
        sub_processors,
        locations,
        security_measures,
        audit_procedure: t.audit_procedure.clone(),
        instructions: t.instructions.clone(),
        other_terms: t.other_terms.clone(),
        supervisory_authority: lang
            .pick(
                "Datatilsynet",
                "the Norwegian Data Protection Authority (Datatilsynet)",
            )
            .to_owned(),
        change_log: s.change_log.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    use super::*;
    use crate::OrganizationId;
    use crate::agreements::facts::missing_elements;
    use crate::agreements::terms::tests::sample_terms;
    use crate::register::activity::check_activity;
    use crate::register::product::check_product;
    use crate::register::system::SystemFacts;

    fn party(name: &str, org_number: &str, municipality: &str) -> PartyFact {
        PartyFact {
            name: name.into(),
            org_number: org_number.into(),
            municipality_number: municipality.into(),
            identifier: String::new(),
            address: String::new(),
            contact: String::new(),
            privacy_officers: Vec::new(),
        }
    }

    fn system(product: &Product) -> System {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
            .single()
            .unwrap_or_default();
        System {
            id: Uuid::from_u128(10),
            organization_id: OrganizationId::from(Uuid::from_u128(1)),
            facts: SystemFacts {
                product_id: Some(product.id),
                name: "Skolearena for grunnskolen".into(),
                owning_unit: "Utdanningsetaten".into(),
                version: "2026.3".into(),
                status: crate::register::system::SystemStatus::InUse,
                integrations: Vec::new(),
                review_date: None,
                notes: String::new(),
                owners: Vec::new(),
            },
            product_name: Some(product.facts.name.clone()),
            vendor_name: Some(product.vendor_name.clone()),
            revision: 1,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn the_register_fills_the_facts() {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let product = Product {
            id: Uuid::from_u128(20),
            vendor_id: OrganizationId::from(Uuid::from_u128(2)),
            vendor_name: "Fjordlys AS".into(),
            facts: check_product(&crate::register::product::tests::sample()).expect("valid"),
            revision: 1,
            created_at: at,
            updated_at: at,
        };
        let mut activity =
            check_activity(&crate::register::activity::tests::sample()).expect("valid");
        activity.security_measures = vec!["Tilgangsstyring per skole".into()];
        let mut discontinued = activity.clone();
        discontinued.status = crate::register::activity::ActivityStatus::Discontinued;
        discontinued.purposes = vec!["Gammelt formål".into()];
        let terms = sample_terms();
        let facts = assemble(Sources {
            terms: &terms,
            language: AgreementLanguage::Nb,
            controller: &party("Oslo kommune", "", "0301"),
            processor: &party("Fjordlys AS", "910000001", ""),
            systems: &[system(&product)],
            products: std::slice::from_ref(&product),
            activities: &[activity, discontinued],
            vocabulary: &Vocabulary::default(),
            change_log: &[],
        });
        assert_eq!(facts.controller.identifier, "kommunenr. 0301");
        assert_eq!(facts.processor.identifier, "org.nr. 910000001");
        assert_eq!(facts.controller.contact, terms.controller_contact);
        assert_eq!(facts.systems[0].product, "Skolearena");
        assert_eq!(
            facts.purposes,
            vec!["Gi opplæring etter opplæringslova".to_owned()]
        );
        // Health is a special category; the labels are the taxonomy's bokmål ones.
        let health = facts
            .data_categories
            .iter()
            .find(|c| c.special)
            .expect("a special category");
        assert!(!health.criminal);
        assert_eq!(facts.data_categories.len(), 2);
        assert_eq!(facts.data_subjects.len(), 2, "{:?}", facts.data_subjects);
        assert_eq!(facts.sub_processors[0].name, "Nordlys Drift AS");
        assert_eq!(facts.locations.len(), 2);
        assert!(facts.locations.iter().any(|l| l.role == "lagring"));
        // The product's measures and the activity's, each once.
        assert_eq!(
            facts.security_measures,
            vec![
                "Kryptering av lagrede data".to_owned(),
                "Tilgangsstyring per skole".to_owned()
            ]
        );
        assert_eq!(facts.supervisory_authority, "Datatilsynet");
        assert!(
            missing_elements(&facts).is_empty(),
            "{:?}",
            missing_elements(&facts)
        );
    }

    #[test]
    fn english_agreements_get_english_labels() {
        let terms = sample_terms();
        let facts = assemble(Sources {
            terms: &terms,
            language: AgreementLanguage::En,
            controller: &party("Oslo kommune", "", "0301"),
            processor: &party("Fjordlys AS", "910000001", ""),
            systems: &[],
            products: &[],
            activities: &[],
            vocabulary: &Vocabulary::default(),
            change_log: &[],
        });
        assert_eq!(facts.controller.identifier, "municipality number 0301");
        assert_eq!(facts.processor.identifier, "organisation number 910000001");
        assert!(facts.supervisory_authority.contains("Datatilsynet"));
        assert!(
            missing_elements(&facts).contains(&crate::agreements::facts::Element::SubjectMatter)
        );
    }

    /// An authority's agreement with a municipality: nothing in the register, everything
    /// stated — and complete with it.
    #[test]
    fn a_stated_scope_fills_what_the_register_does_not_hold() {
        use crate::agreements::terms::{StatedCategory, StatedScope};
        let terms = AgreementTerms {
            system_ids: Vec::new(),
            scope: StatedScope {
                subject_matter: "Introduksjonsprogrammet".into(),
                purposes: vec!["Kvalifisering".into(), "Kvalifisering".into()],
                data_categories: vec![
                    StatedCategory {
                        label: "Helseopplysninger".into(),
                        special: true,
                        criminal: false,
                    },
                    StatedCategory {
                        label: "Navn og kontaktinformasjon".into(),
                        special: false,
                        criminal: false,
                    },
                ],
                data_subjects: vec!["Deltakere".into()],
                security_measures: vec!["Tilgangsstyring".into()],
                locations: vec!["Norge".into()],
            },
            ..sample_terms()
        };
        let facts = assemble(Sources {
            terms: &terms,
            language: AgreementLanguage::Nb,
            controller: &party("Direktoratet", "910000002", ""),
            processor: &party("Oslo kommune", "", "0301"),
            systems: &[],
            products: &[],
            activities: &[],
            vocabulary: &Vocabulary::default(),
            change_log: &[],
        });
        assert_eq!(facts.subject_matter, "Introduksjonsprogrammet");
        assert_eq!(facts.purposes, vec!["Kvalifisering"]);
        assert!(facts.data_categories[0].special);
        assert!(!facts.data_categories[1].special);
        assert_eq!(facts.data_subjects, vec!["Deltakere"]);
        assert_eq!(facts.security_measures, vec!["Tilgangsstyring"]);
        assert_eq!(facts.locations[0].country, "Norge");
        assert!(
            missing_elements(&facts).is_empty(),
            "{:?}",
            missing_elements(&facts)
        );
    }
}
