//! The taxonomy the register is described in, keyed to W3C Data Privacy Vocabulary (DPV
//! 2.3) identifiers so that the keys stay stable and mean the same to others: data
//! categories (`pd:` terms, `data/data-categories.csv`, with labels of our own in nb, nn
//! and en) and whether each is a special category (Art. 9) or criminal-offence data
//! (Art. 10).

use serde::{Deserialize, Serialize};

/// Art. 9(1)'s special categories, and Art. 10's criminal-offence data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SpecialCategory {
    RacialEthnicOrigin,
    PoliticalOpinions,
    ReligiousBeliefs,
    PhilosophicalBeliefs,
    TradeUnionMembership,
    Genetic,
    Biometric,
    Health,
    SexLife,
    SexualOrientation,
    /// Art. 10, not Art. 9: needs a basis in national law rather than an Art. 9(2) condition.
    Criminal,
}

impl SpecialCategory {
    pub const fn is_art9(self) -> bool {
        !matches!(self, Self::Criminal)
    }
}

/// One data category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataCategory {
    /// `pd:Health` and the like.
    pub key: &'static str,
    pub special: Option<SpecialCategory>,
    pub nb: &'static str,
    pub nn: &'static str,
    pub en: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/data_categories.rs"));

pub fn data_categories() -> &'static [DataCategory] {
    DATA_CATEGORIES
}

pub fn data_category(key: &str) -> Option<&'static DataCategory> {
    DATA_CATEGORIES.iter().find(|c| c.key == key)
}

/// One category of data subjects (DPV `dpv:` terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataSubjectCategory {
    /// `dpv:Child` and the like.
    pub key: &'static str,
    /// Children, patients, clients, the elderly …: a vulnerable group (WP248 criterion 7).
    pub vulnerable: bool,
    pub nb: &'static str,
    pub nn: &'static str,
    pub en: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/data_subjects.rs"));

pub fn data_subjects() -> &'static [DataSubjectCategory] {
    DATA_SUBJECTS
}

pub fn data_subject(key: &str) -> Option<&'static DataSubjectCategory> {
    DATA_SUBJECTS.iter().find(|c| c.key == key)
}

/// The lawful bases of GDPR Art. 6(1), keyed as DPV's `eu-gdpr:A6-1-a` … `A6-1-f`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// (a) consent.
    Consent,
    /// (b) a contract with the data subject.
    Contract,
    /// (c) a legal obligation of the controller.
    LegalObligation,
    /// (d) vital interests.
    VitalInterests,
    /// (e) a task in the public interest or the exercise of official authority.
    PublicTask,
    /// (f) legitimate interests — not for a public authority's tasks.
    LegitimateInterests,
}

impl LegalBasis {
    pub const ALL: [Self; 6] = [
        Self::Consent,
        Self::Contract,
        Self::LegalObligation,
        Self::VitalInterests,
        Self::PublicTask,
        Self::LegitimateInterests,
    ];

    pub const fn letter(self) -> char {
        match self {
            Self::Consent => 'a',
            Self::Contract => 'b',
            Self::LegalObligation => 'c',
            Self::VitalInterests => 'd',
            Self::PublicTask => 'e',
            Self::LegitimateInterests => 'f',
        }
    }

    /// The DPV identifier, `eu-gdpr:A6-1-e`.
    pub fn dpv(self) -> String {
        format!("eu-gdpr:A6-1-{}", self.letter())
    }

    /// "Art. 6(1)(e)".
    pub fn article(self) -> String {
        format!("Art. 6(1)({})", self.letter())
    }

    /// (c) and (e) rest on Union or national law (Art. 6(3)): the statute must be named.
    pub const fn needs_national_law(self) -> bool {
        matches!(self, Self::LegalObligation | Self::PublicTask)
    }
}

/// The conditions of GDPR Art. 9(2) that lift the ban on special categories, (a)–(j).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Art9Condition {
    /// (a) explicit consent.
    ExplicitConsent,
    /// (b) employment and social security and social protection law.
    EmploymentSocialSecurity,
    /// (c) vital interests where consent cannot be given.
    VitalInterests,
    /// (d) a not-for-profit body's members.
    NotForProfitBody,
    /// (e) made manifestly public by the data subject.
    MadePublic,
    /// (f) legal claims and courts.
    LegalClaims,
    /// (g) substantial public interest, on the basis of law.
    SubstantialPublicInterest,
    /// (h) health or social care, medicine, assessment of working capacity.
    HealthOrSocialCare,
    /// (i) public health.
    PublicHealth,
    /// (j) archiving in the public interest, research, statistics.
    ArchivingResearchStatistics,
}

impl Art9Condition {
    pub const ALL: [Self; 10] = [
        Self::ExplicitConsent,
        Self::EmploymentSocialSecurity,
        Self::VitalInterests,
        Self::NotForProfitBody,
        Self::MadePublic,
        Self::LegalClaims,
        Self::SubstantialPublicInterest,
        Self::HealthOrSocialCare,
        Self::PublicHealth,
        Self::ArchivingResearchStatistics,
    ];

    pub const fn letter(self) -> char {
        match self {
            Self::ExplicitConsent => 'a',
            Self::EmploymentSocialSecurity => 'b',
            Self::VitalInterests => 'c',
            Self::NotForProfitBody => 'd',
            Self::MadePublic => 'e',
            Self::LegalClaims => 'f',
            Self::SubstantialPublicInterest => 'g',
            Self::HealthOrSocialCare => 'h',
            Self::PublicHealth => 'i',
            Self::ArchivingResearchStatistics => 'j',
        }
    }

    /// The DPV identifier, `eu-gdpr:A9-2-h`.
    pub fn dpv(self) -> String {
        format!("eu-gdpr:A9-2-{}", self.letter())
    }

    /// "Art. 9(2)(h)".
    pub fn article(self) -> String {
        format!("Art. 9(2)({})", self.letter())
    }

    /// (b), (g), (h), (i) and (j) need a basis in Union or national law.
    pub const fn needs_national_law(self) -> bool {
        matches!(
            self,
            Self::EmploymentSocialSecurity
                | Self::SubstantialPublicInterest
                | Self::HealthOrSocialCare
                | Self::PublicHealth
                | Self::ArchivingResearchStatistics
        )
    }
}

/// A data-subject category as the API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataSubjectView {
    #[cfg_attr(feature = "openapi", schema(example = "dpv:Child"))]
    pub key: String,
    pub iri: String,
    pub vulnerable: bool,
    pub label_nb: String,
    pub label_nn: String,
    pub label_en: String,
}

/// A legal basis or an Art. 9(2) condition as the API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleView {
    /// The value used in the API: `public_task`, `health_or_social_care` …
    pub key: String,
    /// The DPV identifier: `eu-gdpr:A6-1-e`.
    pub dpv: String,
    /// "Art. 6(1)(e)".
    pub article: String,
    /// Whether the statute it rests on must be named.
    pub needs_national_law: bool,
}

/// A data category as the API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataCategoryView {
    /// The DPV term, e.g. `pd:Health`.
    #[cfg_attr(feature = "openapi", schema(example = "pd:Health"))]
    pub key: String,
    /// The IRI of the DPV concept.
    pub iri: String,
    pub special: Option<SpecialCategory>,
    pub label_nb: String,
    pub label_nn: String,
    pub label_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Taxonomy {
    pub data_categories: Vec<DataCategoryView>,
    pub data_subjects: Vec<DataSubjectView>,
    pub legal_bases: Vec<ArticleView>,
    pub art9_conditions: Vec<ArticleView>,
}

fn wire<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl From<&DataCategory> for DataCategoryView {
    fn from(c: &DataCategory) -> Self {
        let term = c.key.trim_start_matches("pd:");
        Self {
            key: c.key.to_owned(),
            iri: format!("https://w3id.org/dpv/pd#{term}"),
            special: c.special,
            label_nb: c.nb.to_owned(),
            label_nn: c.nn.to_owned(),
            label_en: c.en.to_owned(),
        }
    }
}

pub fn taxonomy() -> Taxonomy {
    Taxonomy {
        data_categories: DATA_CATEGORIES.iter().map(DataCategoryView::from).collect(),
        data_subjects: DATA_SUBJECTS
            .iter()
            .map(|s| DataSubjectView {
                key: s.key.to_owned(),
                iri: format!("https://w3id.org/dpv#{}", s.key.trim_start_matches("dpv:")),
                vulnerable: s.vulnerable,
                label_nb: s.nb.to_owned(),
                label_nn: s.nn.to_owned(),
                label_en: s.en.to_owned(),
            })
            .collect(),
        legal_bases: LegalBasis::ALL
            .into_iter()
            .map(|b| ArticleView {
                key: wire(b),
                dpv: b.dpv(),
                article: b.article(),
                needs_national_law: b.needs_national_law(),
            })
            .collect(),
        art9_conditions: Art9Condition::ALL
            .into_iter()
            .map(|c| ArticleView {
                key: wire(c),
                dpv: c.dpv(),
                article: c.article(),
                needs_national_law: c.needs_national_law(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_category_is_represented_and_labelled() {
        use SpecialCategory as S;
        for special in [
            S::RacialEthnicOrigin,
            S::PoliticalOpinions,
            S::ReligiousBeliefs,
            S::PhilosophicalBeliefs,
            S::TradeUnionMembership,
            S::Genetic,
            S::Biometric,
            S::Health,
            S::SexLife,
            S::SexualOrientation,
            S::Criminal,
        ] {
            assert!(
                DATA_CATEGORIES.iter().any(|c| c.special == Some(special)),
                "{special:?}"
            );
        }
        for c in DATA_CATEGORIES {
            assert!(
                !c.nb.is_empty() && !c.nn.is_empty() && !c.en.is_empty(),
                "{}",
                c.key
            );
        }
        assert_eq!(
            data_category("pd:Health").map(|c| c.special),
            Some(Some(S::Health))
        );
        assert_eq!(data_category("pd:Name").map(|c| c.special), Some(None));
        assert!(data_category("pd:Nonsense").is_none());
        assert!(!S::Criminal.is_art9() && S::Health.is_art9());
        assert_eq!(
            DataCategoryView::from(data_category("pd:Health").unwrap()).iri,
            "https://w3id.org/dpv/pd#Health"
        );
    }
}

#[cfg(test)]
mod subject_tests {
    use super::*;

    #[test]
    fn subjects_are_dpv_terms_and_the_vulnerable_are_marked() {
        assert!(data_subjects().iter().all(|s| s.key.starts_with("dpv:")));
        for key in [
            "dpv:Child",
            "dpv:Patient",
            "dpv:Client",
            "dpv:ElderlyDataSubject",
        ] {
            assert!(data_subject(key).is_some_and(|s| s.vulnerable), "{key}");
        }
        assert!(data_subject("dpv:Employee").is_some_and(|s| !s.vulnerable));
        assert!(data_subject("dpv:Martian").is_none());
    }

    #[test]
    fn articles_carry_their_dpv_identifiers() {
        assert_eq!(LegalBasis::PublicTask.dpv(), "eu-gdpr:A6-1-e");
        assert_eq!(LegalBasis::LegitimateInterests.article(), "Art. 6(1)(f)");
        assert_eq!(Art9Condition::HealthOrSocialCare.dpv(), "eu-gdpr:A9-2-h");
        assert!(Art9Condition::SubstantialPublicInterest.needs_national_law());
        assert!(!Art9Condition::ExplicitConsent.needs_national_law());
        let t = taxonomy();
        assert_eq!(t.legal_bases.len(), 6);
        assert_eq!(t.legal_bases[4].key, "public_task");
        assert_eq!(t.art9_conditions.len(), 10);
        assert_eq!(t.data_subjects.len(), data_subjects().len());
    }
}
