//! An organisation's own terms beside the shared taxonomy: narrower data categories and
//! data-subject categories ("Tannhelseopplysninger" under `pd:Health`, "Brukere av
//! omsorgsbolig" under `dpv:Citizen`). Each names its parent DPV term and takes its meaning
//! for the law from it — a term under a special category is a special category, a term
//! under a vulnerable group is vulnerable — so the record's rules apply unchanged. Keys are
//! `local:<slug>`, unique within the organisation. Shared with others (templates), an
//! own term is replaced by its parent, which every organisation knows.

use serde::{Deserialize, Serialize};

use super::activity::{ActivityFacts, CategoryUse};
use super::taxonomy::{SpecialCategory, data_category, data_subject};
use super::{Errors, text};
use crate::problem::FieldError;

pub const KEY_PREFIX: &str = "local:";
pub const MAX_LABEL: usize = 100;
pub const MAX_SLUG: usize = 40;
/// At most this many own terms per organisation.
pub const MAX_TERMS: usize = 500;

/// What an own term is a narrower kind of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TermKind {
    DataCategory,
    DataSubject,
}

impl TermKind {
    pub const ALL: [Self; 2] = [Self::DataCategory, Self::DataSubject];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::DataCategory => "data_category",
            Self::DataSubject => "data_subject",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The body of creating an own term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTerm {
    pub kind: TermKind,
    /// The shared term it narrows: a `pd:` key for a data category, a `dpv:` key for data
    /// subjects.
    #[cfg_attr(feature = "openapi", schema(example = "pd:Health"))]
    pub parent: String,
    #[serde(flatten)]
    pub labels: TermLabels,
}

/// The labels of an own term; nynorsk and English fall back to bokmål when left empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermLabels {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Tannhelseopplysninger", max_length = 100)
    )]
    pub label_nb: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub label_nn: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub label_en: String,
}

/// An own term as stored and answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalTerm {
    #[cfg_attr(feature = "openapi", schema(example = "local:tannhelseopplysninger"))]
    pub key: String,
    pub kind: TermKind,
    pub parent: String,
    pub label_nb: String,
    pub label_nn: String,
    pub label_en: String,
    /// Taken from the parent (data categories).
    pub special: Option<SpecialCategory>,
    /// Taken from the parent (data subjects).
    pub vulnerable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalTermList {
    /// In the order they were added (at most 500, so not paged).
    pub items: Vec<LocalTerm>,
}

impl LocalTerm {
    /// An own term with its legal meaning taken from its parent: a data category under a
    /// special category is special, a subject group under a vulnerable one is vulnerable.
    pub fn new(key: String, kind: TermKind, parent: String, labels: TermLabels) -> Self {
        let (special, vulnerable) = match kind {
            TermKind::DataCategory => (data_category(&parent).and_then(|c| c.special), false),
            TermKind::DataSubject => (None, data_subject(&parent).is_some_and(|s| s.vulnerable)),
        };
        Self {
            key,
            kind,
            parent,
            label_nb: labels.label_nb,
            label_nn: labels.label_nn,
            label_en: labels.label_en,
            special,
            vulnerable,
        }
    }
}

/// Checks labels: bokmål required; nynorsk and English default to it.
pub fn check_labels(labels: &TermLabels) -> Result<TermLabels, Vec<FieldError>> {
    let mut e = Errors::default();
    let nb = text(&mut e, "label_nb", &labels.label_nb, true, MAX_LABEL).unwrap_or_default();
    let nn = text(&mut e, "label_nn", &labels.label_nn, false, MAX_LABEL);
    let en = text(&mut e, "label_en", &labels.label_en, false, MAX_LABEL);
    e.finish(TermLabels {
        label_nn: nn.unwrap_or_else(|| nb.clone()),
        label_en: en.unwrap_or_else(|| nb.clone()),
        label_nb: nb,
    })
}

/// Checks a new term against the shared taxonomy and gives it a key not in `taken`.
pub fn check_new_term(input: &NewTerm, taken: &[String]) -> Result<LocalTerm, Vec<FieldError>> {
    let parent = input.parent.trim();
    let parent_ok = match input.kind {
        TermKind::DataCategory => data_category(parent).is_some(),
        TermKind::DataSubject => data_subject(parent).is_some(),
    };
    let labels = check_labels(&input.labels);
    let mut errors = labels.as_ref().err().cloned().unwrap_or_default();
    if !parent_ok {
        errors.push(FieldError {
            field: "parent".into(),
            code: "unknown_term".into(),
        });
    }
    if taken.len() >= MAX_TERMS {
        errors.push(FieldError {
            field: "kind".into(),
            code: "too_many".into(),
        });
    }
    match labels {
        Ok(labels) if errors.is_empty() => Ok(LocalTerm::new(
            term_key(&labels.label_nb, taken),
            input.kind,
            parent.to_owned(),
            labels,
        )),
        _ => Err(errors),
    }
}

/// `local:` and a slug of the label (Norwegian letters spelt out, other characters to
/// hyphens), with `-2`, `-3` … when the organisation has it already.
pub fn term_key(label: &str, taken: &[String]) -> String {
    let mut slug = String::new();
    for ch in label.to_lowercase().chars() {
        let part = match ch {
            'æ' => "ae",
            'ø' => "o",
            'å' => "a",
            c if c.is_ascii_alphanumeric() => {
                slug.push(c);
                continue;
            }
            _ => "-",
        };
        if part == "-" && (slug.is_empty() || slug.ends_with('-')) {
            continue;
        }
        slug.push_str(part);
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(MAX_SLUG).collect();
    slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        slug = "term".into();
    }
    let base = format!("{KEY_PREFIX}{slug}");
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
}

/// A data category as the record's rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryInfo {
    pub key: String,
    pub special: Option<SpecialCategory>,
}

/// A data-subject category as the record's rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectInfo {
    pub key: String,
    pub vulnerable: bool,
}

/// The terms an organisation describes its processing in: the shared taxonomy and its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    terms: Vec<LocalTerm>,
}

impl Vocabulary {
    pub fn new(terms: Vec<LocalTerm>) -> Self {
        Self { terms }
    }

    pub fn terms(&self) -> &[LocalTerm] {
        &self.terms
    }

    fn local(&self, key: &str, kind: TermKind) -> Option<&LocalTerm> {
        self.terms.iter().find(|t| t.key == key && t.kind == kind)
    }

    pub fn category(&self, key: &str) -> Option<CategoryInfo> {
        if let Some(c) = data_category(key) {
            return Some(CategoryInfo {
                key: c.key.to_owned(),
                special: c.special,
            });
        }
        self.local(key, TermKind::DataCategory)
            .map(|t| CategoryInfo {
                key: t.key.clone(),
                special: t.special,
            })
    }

    pub fn subject(&self, key: &str) -> Option<SubjectInfo> {
        if let Some(s) = data_subject(key) {
            return Some(SubjectInfo {
                key: s.key.to_owned(),
                vulnerable: s.vulnerable,
            });
        }
        self.local(key, TermKind::DataSubject).map(|t| SubjectInfo {
            key: t.key.clone(),
            vulnerable: t.vulnerable,
        })
    }

    /// A term's labels (nb, nn, en), shared or own; `None` for an unknown key.
    pub fn labels(&self, key: &str) -> Option<(String, String, String)> {
        if let Some(c) = data_category(key) {
            return Some((c.nb.into(), c.nn.into(), c.en.into()));
        }
        if let Some(s) = data_subject(key) {
            return Some((s.nb.into(), s.nn.into(), s.en.into()));
        }
        self.terms
            .iter()
            .find(|t| t.key == key)
            .map(|t| (t.label_nb.clone(), t.label_nn.clone(), t.label_en.clone()))
    }

    /// The facts in shared terms only: each own category becomes its parent (keeping the
    /// first use's flags and retention when the parent is there already), each own subject
    /// category its parent.
    pub fn generalise(&self, facts: &ActivityFacts) -> ActivityFacts {
        let parent = |key: &str, kind| {
            self.local(key, kind)
                .map_or_else(|| key.to_owned(), |t| t.parent.clone())
        };
        let mut subjects: Vec<String> = Vec::new();
        for s in &facts.data_subjects {
            let key = parent(s, TermKind::DataSubject);
            if !subjects.contains(&key) {
                subjects.push(key);
            }
        }
        let mut categories: Vec<CategoryUse> = Vec::new();
        for c in &facts.data_categories {
            let key = parent(&c.category, TermKind::DataCategory);
            if !categories.iter().any(|u| u.category == key) {
                categories.push(CategoryUse {
                    category: key,
                    ..c.clone()
                });
            }
        }
        ActivityFacts {
            data_subjects: subjects,
            data_categories: categories,
            ..facts.clone()
        }
    }

    /// Whether the facts use the term.
    pub fn used_in(key: &str, facts: &ActivityFacts) -> bool {
        facts.data_subjects.iter().any(|s| s == key)
            || facts.data_categories.iter().any(|c| c.category == key)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::register::activity::tests::sample;
    use crate::register::activity::{check_activity, check_activity_in, has_special_categories_in};
    use crate::register::taxonomy::Art9Condition;

    fn term(kind: TermKind, parent: &str, nb: &str) -> NewTerm {
        NewTerm {
            kind,
            parent: parent.into(),
            labels: TermLabels {
                label_nb: nb.into(),
                ..Default::default()
            },
        }
    }

    fn vocabulary() -> Vocabulary {
        let teeth = check_new_term(
            &term(TermKind::DataCategory, "pd:Health", "Tannhelseopplysninger"),
            &[],
        )
        .expect("valid");
        let tenants = check_new_term(
            &term(
                TermKind::DataSubject,
                "dpv:ElderlyDataSubject",
                "Beboere i omsorgsbolig",
            ),
            &[],
        )
        .expect("valid");
        Vocabulary::new(vec![teeth, tenants])
    }

    #[test]
    fn a_term_takes_its_legal_meaning_from_its_parent() {
        let v = vocabulary();
        let teeth = &v.terms()[0];
        assert_eq!(teeth.key, "local:tannhelseopplysninger");
        assert_eq!(teeth.special, Some(SpecialCategory::Health));
        assert_eq!(
            teeth.label_en, "Tannhelseopplysninger",
            "falls back to bokmål"
        );
        assert!(v.terms()[1].vulnerable);
        assert_eq!(
            v.category("local:tannhelseopplysninger")
                .and_then(|c| c.special),
            Some(SpecialCategory::Health)
        );
        assert!(
            v.subject("local:beboere-i-omsorgsbolig")
                .is_some_and(|s| s.vulnerable)
        );
        // A category key is not a subject key.
        assert!(v.subject("local:tannhelseopplysninger").is_none());
    }

    #[test]
    fn a_term_needs_a_known_parent_of_its_kind_and_a_label() {
        let bad = check_new_term(&term(TermKind::DataCategory, "dpv:Child", " "), &[])
            .expect_err("refused");
        let fields: Vec<(&str, &str)> = bad
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            vec![("label_nb", "required"), ("parent", "unknown_term")]
        );
        assert!(
            check_new_term(&term(TermKind::DataSubject, "dpv:Child", "Barn i SFO"), &[]).is_ok()
        );
    }

    #[test]
    fn keys_are_slugs_unique_in_the_organisation() {
        assert_eq!(
            term_key("Søknad om bostøtte – vedlegg", &[]),
            "local:soknad-om-bostotte-vedlegg"
        );
        let taken = vec!["local:aerlig".to_owned(), "local:aerlig-2".to_owned()];
        assert_eq!(term_key("Ærlig!", &taken), "local:aerlig-3");
        assert_eq!(term_key("!!!", &[]), "local:term");
        assert!(term_key(&"x".repeat(200), &[]).len() <= KEY_PREFIX.len() + MAX_SLUG);
    }

    #[test]
    fn the_records_rules_apply_to_own_terms() {
        let v = vocabulary();
        let mut f = sample();
        f.data_categories[1].category = "local:tannhelseopplysninger".into();
        f.data_categories[1].art9_condition = None;
        f.data_subjects = vec!["local:beboere-i-omsorgsbolig".into()];
        // Unknown to anyone else.
        assert!(check_activity(&f).is_err());
        // Under pd:Health: an Art. 9(2) condition is required.
        let errors = check_activity_in(&f, &v).expect_err("refused");
        assert!(
            errors
                .iter()
                .any(|e| e.code == "required_for_special_category")
        );
        f.data_categories[1].art9_condition = Some(Art9Condition::HealthOrSocialCare);
        f.data_categories[1].legal_reference = "pasientjournalloven § 6".into();
        let checked = check_activity_in(&f, &v).expect("valid");
        assert!(checked.vulnerable_subjects, "from the parent group");
        assert!(has_special_categories_in(&checked, &v));
    }

    #[test]
    fn shared_facts_use_only_shared_terms() {
        let v = vocabulary();
        let mut f = check_activity(&sample()).expect("valid");
        f.data_categories.push(CategoryUse {
            category: "local:tannhelseopplysninger".into(),
            art9_condition: Some(Art9Condition::HealthOrSocialCare),
            legal_reference: "pasientjournalloven § 6".into(),
            retention: "10 år".into(),
        });
        f.data_subjects.push("local:beboere-i-omsorgsbolig".into());
        let g = v.generalise(&f);
        // pd:Health was there already: the own term folds into it.
        assert_eq!(
            g.data_categories
                .iter()
                .filter(|c| c.category == "pd:Health")
                .count(),
            1
        );
        assert!(
            g.data_subjects
                .contains(&"dpv:ElderlyDataSubject".to_owned())
        );
        assert!(
            !g.data_subjects
                .iter()
                .chain(g.data_categories.iter().map(|c| &c.category))
                .any(|k| k.starts_with(KEY_PREFIX))
        );
        assert!(check_activity(&g).is_ok(), "valid anywhere");
    }

    proptest! {
        /// A key is always `local:` and a slug of lowercase letters, digits and single
        /// hyphens, and never one already taken.
        #[test]
        fn keys_are_well_formed(label in ".{0,80}", taken in prop::collection::vec("local:[a-z]{1,3}", 0..5)) {
            let key = term_key(&label, &taken);
            let slug = key.strip_prefix(KEY_PREFIX).expect("prefix");
            prop_assert!(!slug.is_empty() && slug.len() <= MAX_SLUG + 4);
            prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
            prop_assert!(!taken.contains(&key));
        }
    }
}
