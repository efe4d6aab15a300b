//! The merge-field model: everything an agreement's text is filled from — the parties, the
//! systems and what the register says about them, and the drafter's terms. Both built-in
//! templates and the organisations' own read the same fields.
//!
//! `missing_elements` says which of the contents Art. 28(3) requires the facts do not yet
//! give; an agreement is sent only when nothing is missing.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::terms::{AgreementLanguage, Authorisation, EndOfContract};

/// A contact: a person (the DPO) or a function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactFact {
    pub name: String,
    pub email: String,
}

/// A party to the agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyFact {
    pub name: String,
    /// Organisasjonsnummer; empty when the register has none.
    pub org_number: String,
    /// Kommunenummer, for a municipality; empty otherwise.
    pub municipality_number: String,
    /// How the text names the party's registration: "org.nr. 974760673", or for a
    /// municipality without one in the register, "kommunenr. 0301".
    pub identifier: String,
    pub address: String,
    /// The contact point for the agreement.
    pub contact: String,
    /// The party's data protection officers (personvernombud).
    pub privacy_officers: Vec<ContactFact>,
}

/// A system the agreement covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemFact {
    pub name: String,
    /// The catalogue product it runs on.
    pub product: String,
    pub version: String,
}

/// A data category with its legal flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryFact {
    pub label: String,
    /// A special category (Art. 9).
    pub special: bool,
    /// Criminal convictions and offences (Art. 10).
    pub criminal: bool,
}

/// A sub-processor the processor uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubProcessorFact {
    pub name: String,
    pub org_number: String,
    /// The country's name in the agreement's language.
    pub country: String,
    pub service: String,
    /// The transfer mechanism outside the EEA; empty inside it.
    pub transfer_mechanism: String,
}

/// Where the data is stored, processed or accessed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationFact {
    pub country: String,
    /// Storage, processing, support access … in the agreement's language.
    pub role: String,
}

/// One entry of the change log (appendix D).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeFact {
    pub version: i32,
    pub date: NaiveDate,
    pub note: String,
}

/// Everything an agreement's text is made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementFacts {
    pub language: AgreementLanguage,
    pub title: String,
    pub controller: PartyFact,
    pub processor: PartyFact,
    pub systems: Vec<SystemFact>,
    /// The subject matter as the controller states it (beside or instead of systems).
    #[serde(default)]
    pub subject_matter: String,
    /// From the processing activities on the covered systems.
    pub purposes: Vec<String>,
    pub nature: String,
    pub data_categories: Vec<CategoryFact>,
    pub data_subjects: Vec<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub authorisation: Authorisation,
    pub notice_period_days: Option<u32>,
    pub breach_notice_hours: Option<u32>,
    pub end_of_contract: Option<EndOfContract>,
    pub sub_processors: Vec<SubProcessorFact>,
    pub locations: Vec<LocationFact>,
    /// From the products and the processing activities.
    pub security_measures: Vec<String>,
    pub audit_procedure: String,
    pub instructions: String,
    pub other_terms: String,
    /// The competent supervisory authority.
    pub supervisory_authority: String,
    pub change_log: Vec<ChangeFact>,
}

/// The change log of a new version `next`: the earlier versions that carry a note, then
/// the new one's note (if any), dated `today`.
pub fn change_log(
    earlier: &[ChangeFact],
    next: i32,
    note: &str,
    today: NaiveDate,
) -> Vec<ChangeFact> {
    let mut log: Vec<ChangeFact> = earlier
        .iter()
        .filter(|c| !c.note.trim().is_empty())
        .cloned()
        .collect();
    if !note.trim().is_empty() {
        log.push(ChangeFact {
            version: next,
            date: today,
            note: note.to_owned(),
        });
    }
    log
}

/// A content Art. 28(3) requires of an agreement (or that the templates' structure needs to
/// make the required obligations concrete).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Element {
    /// Both parties named with their organisation numbers (or, for a municipality, its
    /// municipality number).
    Parties,
    /// The subject-matter: at least one system.
    SubjectMatter,
    /// The duration: a start date.
    Duration,
    /// The nature of the processing.
    Nature,
    /// The purpose: the covered systems carry processing activities with purposes.
    Purpose,
    /// The type of personal data.
    DataTypes,
    /// The categories of data subjects.
    DataSubjects,
    /// Art. 28(3)(c): the security measures (Art. 32).
    SecurityMeasures,
    /// Art. 28(3)(a): where the data is processed — the instruction on transfers.
    Locations,
    /// Art. 28(2)/(3)(d): under general authorisation, the notice period for changes.
    SubProcessorNotice,
    /// Art. 28(3)(f) with Art. 33: the processor's window to report a breach.
    BreachWindow,
    /// Art. 28(3)(g): delete or return at the end.
    EndOfContract,
    /// Art. 28(3)(h): how audits and inspections are carried out.
    AuditProcedure,
    /// The contact points of both parties.
    ContactPoints,
}

impl Element {
    pub const ALL: [Self; 14] = [
        Self::Parties,
        Self::SubjectMatter,
        Self::Duration,
        Self::Nature,
        Self::Purpose,
        Self::DataTypes,
        Self::DataSubjects,
        Self::SecurityMeasures,
        Self::Locations,
        Self::SubProcessorNotice,
        Self::BreachWindow,
        Self::EndOfContract,
        Self::AuditProcedure,
        Self::ContactPoints,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Parties => "parties",
            Self::SubjectMatter => "subject_matter",
            Self::Duration => "duration",
            Self::Nature => "nature",
            Self::Purpose => "purpose",
            Self::DataTypes => "data_types",
            Self::DataSubjects => "data_subjects",
            Self::SecurityMeasures => "security_measures",
            Self::Locations => "locations",
            Self::SubProcessorNotice => "sub_processor_notice",
            Self::BreachWindow => "breach_window",
            Self::EndOfContract => "end_of_contract",
            Self::AuditProcedure => "audit_procedure",
            Self::ContactPoints => "contact_points",
        }
    }

    /// Where the law asks for it.
    pub const fn article(self) -> &'static str {
        match self {
            Self::Parties
            | Self::SubjectMatter
            | Self::Duration
            | Self::Nature
            | Self::Purpose
            | Self::DataTypes
            | Self::DataSubjects => "28(3)",
            Self::SecurityMeasures => "28(3)(c)",
            Self::Locations => "28(3)(a)",
            Self::SubProcessorNotice => "28(2)",
            Self::BreachWindow => "28(3)(f)",
            Self::EndOfContract => "28(3)(g)",
            Self::AuditProcedure => "28(3)(h)",
            Self::ContactPoints => "28(3)",
        }
    }

    /// The drafter's field that supplies it, or where in the register it comes from.
    pub const fn source(self) -> &'static str {
        match self {
            Self::Parties => "register:organizations",
            Self::SubjectMatter => "system_ids",
            Self::Duration => "start_date",
            Self::Nature => "nature",
            Self::Purpose => "register:processing_activities",
            Self::DataTypes => "register:processing_activities",
            Self::DataSubjects => "register:processing_activities",
            Self::SecurityMeasures => "register:products",
            Self::Locations => "register:products",
            Self::SubProcessorNotice => "notice_period_days",
            Self::BreachWindow => "breach_notice_hours",
            Self::EndOfContract => "end_of_contract",
            Self::AuditProcedure => "audit_procedure",
            Self::ContactPoints => "controller_contact",
        }
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// The required contents the facts do not give yet, in the order of `Element::ALL`.
pub fn missing_elements(f: &AgreementFacts) -> Vec<Element> {
    Element::ALL
        .into_iter()
        .filter(|element| match element {
            Element::Parties => [&f.controller, &f.processor]
                .iter()
                .any(|p| blank(&p.name) || (blank(&p.org_number) && blank(&p.municipality_number))),
            Element::SubjectMatter => f.systems.is_empty() && blank(&f.subject_matter),
            Element::Duration => f.start_date.is_none(),
            Element::Nature => blank(&f.nature),
            Element::Purpose => f.purposes.is_empty(),
            Element::DataTypes => f.data_categories.is_empty(),
            Element::DataSubjects => f.data_subjects.is_empty(),
            Element::SecurityMeasures => f.security_measures.is_empty(),
            Element::Locations => f.locations.is_empty(),
            Element::SubProcessorNotice => {
                f.authorisation == Authorisation::General && f.notice_period_days.is_none()
            }
            Element::BreachWindow => f.breach_notice_hours.is_none(),
            Element::EndOfContract => f.end_of_contract.is_none(),
            Element::AuditProcedure => blank(&f.audit_procedure),
            Element::ContactPoints => blank(&f.controller.contact) || blank(&f.processor.contact),
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn party(name: &str, org_number: &str, contact: &str) -> PartyFact {
        PartyFact {
            name: name.into(),
            org_number: org_number.into(),
            municipality_number: String::new(),
            identifier: format!("org.nr. {org_number}"),
            address: format!("{name} adresse"),
            contact: contact.into(),
            privacy_officers: vec![ContactFact {
                name: format!("Ombud i {name}"),
                email: "ombud@example.org".into(),
            }],
        }
    }

    /// Complete facts, every field with a value of its own so a test can find each one in
    /// a rendered text.
    pub(crate) fn complete() -> AgreementFacts {
        AgreementFacts {
            language: AgreementLanguage::Nb,
            title: "TITTEL-1".into(),
            controller: party("KONTROLLOR-2", "974760673", "KONTAKT-K-3"),
            processor: party("LEVERANDOR-4", "910000001", "KONTAKT-L-5"),
            systems: vec![SystemFact {
                name: "SYSTEM-6".into(),
                product: "PRODUKT-7".into(),
                version: "VERSJON-8".into(),
            }],
            subject_matter: "GJENSTAND-27".into(),
            purposes: vec!["FORMAL-9".into()],
            nature: "ART-10".into(),
            data_categories: vec![
                CategoryFact {
                    label: "KATEGORI-11".into(),
                    special: true,
                    criminal: false,
                },
                CategoryFact {
                    label: "KATEGORI-12".into(),
                    special: false,
                    criminal: true,
                },
            ],
            data_subjects: vec!["REGISTRERTE-13".into()],
            start_date: NaiveDate::from_ymd_opt(2027, 2, 14),
            end_date: NaiveDate::from_ymd_opt(2031, 12, 30),
            authorisation: Authorisation::General,
            notice_period_days: Some(47),
            breach_notice_hours: Some(19),
            end_of_contract: Some(EndOfContract::ReturnThenDelete),
            sub_processors: vec![SubProcessorFact {
                name: "UNDERLEVERANDOR-14".into(),
                org_number: "ORGNR-15".into(),
                country: "LAND-16".into(),
                service: "TJENESTE-17".into(),
                transfer_mechanism: "MEKANISME-18".into(),
            }],
            locations: vec![LocationFact {
                country: "STED-19".into(),
                role: "ROLLE-20".into(),
            }],
            security_measures: vec!["TILTAK-21".into()],
            audit_procedure: "REVISJON-22".into(),
            instructions: "INSTRUKS-23".into(),
            other_terms: "ANDRE-24".into(),
            supervisory_authority: "TILSYN-25".into(),
            change_log: vec![ChangeFact {
                version: 3,
                date: NaiveDate::from_ymd_opt(2027, 3, 9).unwrap_or_default(),
                note: "ENDRING-26".into(),
            }],
        }
    }

    #[test]
    fn the_change_log_keeps_the_noted_versions_and_adds_the_new_one() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 1, d).unwrap_or_default();
        let entry = |version, d, note: &str| ChangeFact {
            version,
            date: day(d),
            note: note.into(),
        };
        let earlier = [entry(1, 1, ""), entry(2, 5, "Revisjon lagt til")];
        assert_eq!(
            change_log(&earlier, 3, "Ny underleverandør", day(9)),
            vec![
                entry(2, 5, "Revisjon lagt til"),
                entry(3, 9, "Ny underleverandør")
            ]
        );
        assert_eq!(
            change_log(&earlier, 3, " ", day(9)),
            vec![entry(2, 5, "Revisjon lagt til")]
        );
    }

    #[test]
    fn complete_facts_miss_nothing() {
        assert!(missing_elements(&complete()).is_empty());
    }

    #[test]
    fn each_gap_names_its_element() {
        type Gap = Box<dyn Fn(&mut AgreementFacts)>;
        let cases: Vec<(Element, Gap)> = vec![
            (
                Element::Parties,
                Box::new(|f| f.processor.org_number.clear()),
            ),
            (Element::Parties, Box::new(|f| f.controller.name.clear())),
            (
                Element::SubjectMatter,
                Box::new(|f| {
                    f.systems.clear();
                    f.subject_matter.clear();
                }),
            ),
            (Element::Duration, Box::new(|f| f.start_date = None)),
            (Element::Nature, Box::new(|f| f.nature = "  ".into())),
            (Element::Purpose, Box::new(|f| f.purposes.clear())),
            (Element::DataTypes, Box::new(|f| f.data_categories.clear())),
            (Element::DataSubjects, Box::new(|f| f.data_subjects.clear())),
            (
                Element::SecurityMeasures,
                Box::new(|f| f.security_measures.clear()),
            ),
            (Element::Locations, Box::new(|f| f.locations.clear())),
            (
                Element::SubProcessorNotice,
                Box::new(|f| f.notice_period_days = None),
            ),
            (
                Element::BreachWindow,
                Box::new(|f| f.breach_notice_hours = None),
            ),
            (
                Element::EndOfContract,
                Box::new(|f| f.end_of_contract = None),
            ),
            (
                Element::AuditProcedure,
                Box::new(|f| f.audit_procedure.clear()),
            ),
            (
                Element::ContactPoints,
                Box::new(|f| f.controller.contact.clear()),
            ),
        ];
        assert_eq!(cases.len(), Element::ALL.len() + 1);
        for (element, gap) in cases {
            let mut f = complete();
            gap(&mut f);
            assert_eq!(missing_elements(&f), vec![element], "{element:?}");
        }
    }

    #[test]
    fn a_municipality_is_identified_by_its_number_when_it_has_no_org_number() {
        let mut f = complete();
        f.controller.org_number.clear();
        f.controller.municipality_number = "0301".into();
        assert!(missing_elements(&f).is_empty());
    }

    #[test]
    fn a_stated_subject_matter_stands_in_for_systems_and_either_is_enough() {
        let mut f = complete();
        f.systems.clear();
        assert!(missing_elements(&f).is_empty());
        f.subject_matter = "  ".into();
        assert_eq!(missing_elements(&f), vec![Element::SubjectMatter]);
        f = complete();
        f.subject_matter.clear();
        assert!(missing_elements(&f).is_empty());
    }

    #[test]
    fn specific_authorisation_needs_no_notice_period() {
        let mut f = complete();
        f.authorisation = Authorisation::Specific;
        f.notice_period_days = None;
        assert!(missing_elements(&f).is_empty());
    }

    #[test]
    fn an_empty_draft_misses_everything_but_the_notice_under_specific_authorisation() {
        let mut f = complete();
        f.controller = party("", "", "");
        f.processor = party("", "", "");
        f.systems.clear();
        f.subject_matter.clear();
        f.start_date = None;
        f.nature.clear();
        f.purposes.clear();
        f.data_categories.clear();
        f.data_subjects.clear();
        f.security_measures.clear();
        f.locations.clear();
        f.notice_period_days = None;
        f.breach_notice_hours = None;
        f.end_of_contract = None;
        f.audit_procedure.clear();
        assert_eq!(missing_elements(&f), Element::ALL.to_vec());
        f.authorisation = Authorisation::Specific;
        assert_eq!(missing_elements(&f).len(), Element::ALL.len() - 1);
    }
}
