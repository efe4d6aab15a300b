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
