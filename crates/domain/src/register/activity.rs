//! A processing activity (behandlingsaktivitet): one entry of the controller's record of
//! processing, GDPR Art. 30(1)(a)–(g), with the flags Norwegian municipalities need. The
//! rules that make an entry lawful on its face live here: every legal basis of (c) or (e)
//! names its statute, a special category has its Art. 9(2) condition, criminal-offence data
//! its legal reference, legitimate interests are not for a public authority's tasks.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::country::{has_adequacy, is_eea, normalise};
use super::product::TransferMechanism;
use super::taxonomy::{Art9Condition, LegalBasis, SpecialCategory};
use super::vocabulary::Vocabulary;
use super::{Errors, text, text_list};
use crate::OrganizationId;
use crate::problem::FieldError;

pub const MAX_NAME: usize = 200;
pub const MAX_TEXT: usize = 4000;
pub const MAX_SHORT: usize = 500;
pub const MAX_ITEMS: usize = 50;
pub const MAX_CATEGORIES: usize = 100;
pub const MAX_SYSTEMS: usize = 100;

/// Where an activity is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    /// Being described; not yet part of the record.
    Draft,
    /// In the record of processing.
    Active,
    /// No longer carried out; kept for the record.
    Discontinued,
}

impl ActivityStatus {
    pub const ALL: [Self; 3] = [Self::Draft, Self::Active, Self::Discontinued];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Active => "active",
            Self::Discontinued => "discontinued",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Draft → active → discontinued; a draft may also be dropped as discontinued. A
    /// discontinued activity stays so: resuming it is a new entry, so the record shows the gap.
    pub const fn next(self) -> &'static [Self] {
        match self {
            Self::Draft => &[Self::Active, Self::Discontinued],
            Self::Active => &[Self::Discontinued],
            Self::Discontinued => &[],
        }
    }

    pub fn may_become(self, next: Self) -> bool {
        self == next || self.next().contains(&next)
    }

    /// What an edit may set: the current status first, then the next steps.
    pub fn choices(self) -> Vec<Self> {
        std::iter::once(self)
            .chain(self.next().iter().copied())
            .collect()
    }
}

/// Where the data protection impact assessment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DpiaStatus {
    NotAssessed,
    NotRequired,
    Required,
    Completed,
}

impl DpiaStatus {
    pub const ALL: [Self; 4] = [
        Self::NotAssessed,
        Self::NotRequired,
        Self::Required,
        Self::Completed,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotAssessed => "not_assessed",
            Self::NotRequired => "not_required",
            Self::Required => "required",
            Self::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A legal basis as a pair: the GDPR article and the national statute it rests on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalBasisPair {
    pub basis: LegalBasis,
    /// The supplementary legal basis: "opplæringslova § 15-1". Required for (c) and (e).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "opplæringslova § 15-1", max_length = 500)
    )]
    pub national_law: String,
}

/// A data category as the activity uses it, with its flags and retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryUse {
    /// A taxonomy key: `pd:Health`.
    #[cfg_attr(feature = "openapi", schema(example = "pd:Health"))]
    pub category: String,
    /// For an Art. 9 category: the condition that allows it. Absent otherwise.
    #[serde(default)]
    pub art9_condition: Option<Art9Condition>,
    /// The statute for an Art. 9(2) condition that needs one, or for criminal-offence data
    /// (Art. 10): "helse- og omsorgstjenesteloven § 3-1".
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub legal_reference: String,
    /// How long it is kept, and from when: "10 år etter avsluttet tiltak" (Art. 30(1)(f)).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub retention: String,
}

/// Who receives the data (Art. 30(1)(d)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recipient {
    /// A recipient or category of recipients: "NAV", "Statistisk sentralbyrå".
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Statistisk sentralbyrå", max_length = 200)
    )]
    pub name: String,
    /// ISO 3166-1 alpha-2 where the recipient is; a third country must also be listed
    /// among the transfers.
    #[serde(default = "norway")]
    #[cfg_attr(feature = "openapi", schema(example = "NO"))]
    pub country: String,
    /// The statute that allows or requires the disclosure: "statistikkloven § 10".
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub legal_reference: String,
}

fn norway() -> String {
    "NO".to_owned()
}

/// A transfer outside the EU/EEA (Art. 30(1)(e)).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Transfer {
    #[cfg_attr(feature = "openapi", schema(example = "US"))]
    pub country: String,
    pub mechanism: TransferMechanism,
}

/// The facts of a processing activity: the body of create and update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityFacts {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Elevadministrasjon i grunnskolen", max_length = 200)
    )]
    pub name: String,
    /// What the processing is for (Art. 30(1)(b)); at least one.
    pub purposes: Vec<String>,
    /// Plain-language summary for residents (the public privacy statement).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub public_summary: String,
    /// At least one; each of (c) and (e) with its statute.
    pub legal_bases: Vec<LegalBasisPair>,
    /// Carried out as the municipality's public task (true for nearly all of a
    /// municipality's processing). Legitimate interests (Art. 6(1)(f)) are then refused.
    #[serde(default = "yes")]
    pub public_task: bool,
    /// Taxonomy keys of the data subjects (`dpv:Child` …); at least one.
    pub data_subjects: Vec<String>,
    /// At least one.
    pub data_categories: Vec<CategoryUse>,
    /// A duty of confidentiality applies: the legal reference ("forvaltningsloven § 13",
    /// "barnevernsloven § 13-1"). Empty: none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub confidentiality: String,
    /// Why the national identity number is needed; required when `pd:OfficialID` is used.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub national_id_justification: String,
    /// Protected addresses (fortrolig / strengt fortrolig adresse) may occur.
    #[serde(default)]
    pub protected_addresses: bool,
    /// Vulnerable data subjects (children, patients, clients, the elderly …). Set by the
    /// check when a vulnerable subject category is chosen.
    #[serde(default)]
    pub vulnerable_subjects: bool,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    #[serde(default)]
    pub transfers: Vec<Transfer>,
    /// Technical and organisational measures (Art. 30(1)(g)).
    #[serde(default)]
    pub security_measures: Vec<String>,
    /// Where the data come from when not from the person themselves (Art. 14(2)(f),
    /// 15(1)(g)): "Folkeregisteret", "the pupil's previous school". Empty: from the person.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Automated decisions, profiling included (Art. 22): the logic involved and what it
    /// means for the person (Art. 15(1)(h)). Empty: none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub automated_decisions: String,
    pub dpia: DpiaStatus,
    /// The internally responsible unit or position: "Kommunalsjef oppvekst".
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Kommunalsjef oppvekst", max_length = 200)
    )]
    pub responsible: String,
    /// The organisation's systems the processing uses.
    #[serde(default)]
    pub system_ids: Vec<Uuid>,
    pub status: ActivityStatus,
    #[serde(default)]
    pub review_date: Option<NaiveDate>,
    /// Listed in the public privacy statement.
    #[serde(default)]
    pub published: bool,
    /// For processing based on consent: the age from which a child consents on their own;
    /// below it a guardian consents for them (13–18; empty: 15). Dropped when the processing
    /// does not rest on consent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 13, maximum = 18, example = 15))]
    pub consent_age: Option<u8>,
}

/// The age from which a child consents on their own unless the activity says otherwise.
pub const DEFAULT_CONSENT_AGE: u8 = 15;
/// The lowest age the activity can set: personopplysningsloven § 5 lets children consent to
/// information society services from 13.
pub const MIN_CONSENT_AGE: u8 = 13;
/// From 18 a person is of age and no one consents for them.
pub const ADULT_AGE: u8 = 18;

impl ActivityFacts {
    /// Whether the processing rests on consent: Art. 6(1)(a), or explicit consent under
    /// Art. 9(2)(a) for a special category.
    pub fn is_consent_based(&self) -> bool {
        self.legal_bases
            .iter()
            .any(|b| b.basis == LegalBasis::Consent)
            || self
                .data_categories
                .iter()
                .any(|c| c.art9_condition == Some(Art9Condition::ExplicitConsent))
    }

    /// The age from which a child consents on their own.
    pub fn own_consent_age(&self) -> u8 {
        self.consent_age.unwrap_or(DEFAULT_CONSENT_AGE)
    }
}

fn yes() -> bool {
    true
}

/// A processing activity as the API answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    #[serde(flatten)]
    pub facts: ActivityFacts,
    pub revision: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityPage {
    pub items: Vec<Activity>,
    pub next_cursor: Option<String>,
}

/// Checks and normalises an activity: trims texts, upper-cases countries, drops duplicate
/// list entries, sets `vulnerable_subjects` from the subject categories, and refuses what
/// the law does not allow, each problem against its field.
pub fn check_activity(facts: &ActivityFacts) -> Result<ActivityFacts, Vec<FieldError>> {
    check_activity_in(facts, &Vocabulary::default())
}

/// [`check_activity`] with the organisation's own terms beside the shared taxonomy.
pub fn check_activity_in(
    facts: &ActivityFacts,
    vocabulary: &Vocabulary,
) -> Result<ActivityFacts, Vec<FieldError>> {
    let mut e = Errors::default();
    let name = text(&mut e, "name", &facts.name, true, MAX_NAME).unwrap_or_default();
    let purposes = text_list(&mut e, "purposes", &facts.purposes, MAX_ITEMS, MAX_SHORT);
    if purposes.is_empty() && facts.purposes.len() <= MAX_ITEMS {
        e.add("purposes", "required");
    }
    let public_summary = text(
        &mut e,
        "public_summary",
        &facts.public_summary,
        false,
        MAX_TEXT,
    )
    .unwrap_or_default();

    // Legal bases: at least one; (c)/(e) name the statute; (f) not for public tasks.
    let mut legal_bases: Vec<LegalBasisPair> = Vec::new();
    if facts.legal_bases.is_empty() {
        e.add("legal_bases", "required");
    } else if facts.legal_bases.len() > MAX_ITEMS {
        e.add("legal_bases", "too_many");
    }
    for (i, pair) in facts.legal_bases.iter().enumerate().take(MAX_ITEMS) {
        let field = format!("legal_bases[{i}]");
        let law = text(
            &mut e,
            &format!("{field}.national_law"),
            &pair.national_law,
            pair.basis.needs_national_law(),
            MAX_SHORT,
        )
        .unwrap_or_default();
        if pair.basis == LegalBasis::LegitimateInterests && facts.public_task {
            e.add(format!("{field}.basis"), "not_for_public_task");
        }
        let pair = LegalBasisPair {
            basis: pair.basis,
            national_law: law,
        };
        if !legal_bases.contains(&pair) {
            legal_bases.push(pair);
        }
    }

    // Data subjects: known keys, at least one; vulnerability follows from them.
    let mut data_subjects: Vec<String> = Vec::new();
    if facts.data_subjects.is_empty() {
        e.add("data_subjects", "required");
    } else if facts.data_subjects.len() > MAX_ITEMS {
        e.add("data_subjects", "too_many");
    }
    let mut vulnerable = facts.vulnerable_subjects;
    for (i, key) in facts.data_subjects.iter().enumerate().take(MAX_ITEMS) {
        match vocabulary.subject(key.trim()) {
            Some(s) => {
                vulnerable |= s.vulnerable;
                if !data_subjects.contains(&s.key) {
                    data_subjects.push(s.key);
                }
            }
            None => e.add(format!("data_subjects[{i}]"), "unknown_subject"),
        }
    }

    // Data categories with their flags.
    let mut data_categories: Vec<CategoryUse> = Vec::new();
    if facts.data_categories.is_empty() {
        e.add("data_categories", "required");
    } else if facts.data_categories.len() > MAX_CATEGORIES {
        e.add("data_categories", "too_many");
    }
    let mut uses_national_id = false;
    for (i, c) in facts
        .data_categories
        .iter()
        .enumerate()
        .take(MAX_CATEGORIES)
    {
        let field = format!("data_categories[{i}]");
        let Some(known) = vocabulary.category(c.category.trim()) else {
            e.add(format!("{field}.category"), "unknown_category");
            continue;
        };
        if data_categories.iter().any(|u| u.category == known.key) {
            e.add(format!("{field}.category"), "duplicate");
            continue;
        }
        uses_national_id |= known.key == "pd:OfficialID";
        let reference = text(
            &mut e,
            &format!("{field}.legal_reference"),
            &c.legal_reference,
            false,
            MAX_SHORT,
        )
        .unwrap_or_default();
        let retention = text(
            &mut e,
            &format!("{field}.retention"),
            &c.retention,
            false,
            MAX_SHORT,
        )
        .unwrap_or_default();
        match (known.special, c.art9_condition) {
            (Some(s), None) if s.is_art9() => {
                e.add(
                    format!("{field}.art9_condition"),
                    "required_for_special_category",
                );
            }
            (Some(s), Some(condition))
                if s.is_art9() && condition.needs_national_law() && reference.is_empty() =>
            {
                e.add(format!("{field}.legal_reference"), "required_for_condition");
            }
            (Some(s), Some(_)) if s.is_art9() => {}
            (Some(SpecialCategory::Criminal), condition) => {
                if condition.is_some() {
                    e.add(format!("{field}.art9_condition"), "not_special_category");
                }
                if reference.is_empty() {
                    e.add(
                        format!("{field}.legal_reference"),
                        "required_for_criminal_data",
                    );
                }
            }
            (_, Some(_)) => e.add(format!("{field}.art9_condition"), "not_special_category"),
            _ => {}
        }
        data_categories.push(CategoryUse {
            category: known.key.clone(),
            art9_condition: c
                .art9_condition
                .filter(|_| known.special.is_some_and(SpecialCategory::is_art9)),
            legal_reference: reference,
            retention,
        });
    }

    let confidentiality = text(
        &mut e,
        "confidentiality",
        &facts.confidentiality,
        false,
        MAX_SHORT,
    )
    .unwrap_or_default();
    let national_id_justification = text(
        &mut e,
        "national_id_justification",
        &facts.national_id_justification,
        uses_national_id,
        MAX_SHORT,
    )
    .unwrap_or_default();

    // Recipients, and transfers outside the EU/EEA.
    let mut recipients: Vec<Recipient> = Vec::new();
    if facts.recipients.len() > MAX_ITEMS {
        e.add("recipients", "too_many");
    }
    for (i, r) in facts.recipients.iter().enumerate().take(MAX_ITEMS) {
        let field = format!("recipients[{i}]");
        let name = text(&mut e, &format!("{field}.name"), &r.name, true, MAX_NAME);
        let reference = text(
            &mut e,
            &format!("{field}.legal_reference"),
            &r.legal_reference,
            false,
            MAX_SHORT,
        )
        .unwrap_or_default();
        let Some(country) = normalise(&r.country) else {
            e.add(format!("{field}.country"), "unknown_country");
            continue;
        };
        if let Some(name) = name {
            recipients.push(Recipient {
                name,
                country,
                legal_reference: reference,
            });
        }
    }
    let mut transfers: Vec<Transfer> = Vec::new();
    if facts.transfers.len() > MAX_ITEMS {
        e.add("transfers", "too_many");
    }
    for (i, t) in facts.transfers.iter().enumerate().take(MAX_ITEMS) {
        let field = format!("transfers[{i}]");
        let Some(country) = normalise(&t.country) else {
            e.add(format!("{field}.country"), "unknown_country");
            continue;
        };
        if is_eea(&country) {
            e.add(format!("{field}.country"), "not_a_transfer");
            continue;
        }
        if t.mechanism == TransferMechanism::Adequacy && !has_adequacy(&country) {
            e.add(format!("{field}.mechanism"), "no_adequacy_decision");
        }
        if !transfers.iter().any(|x| x.country == country) {
            transfers.push(Transfer {
                country,
                mechanism: t.mechanism,
            });
        }
    }
    for (i, r) in recipients.iter().enumerate() {
        if !is_eea(&r.country) && !transfers.iter().any(|t| t.country == r.country) {
            e.add(format!("recipients[{i}].country"), "transfer_not_listed");
        }
    }

    let security_measures = text_list(
        &mut e,
        "security_measures",
        &facts.security_measures,
        MAX_ITEMS,
        MAX_SHORT,
    );
    let sources = text_list(&mut e, "sources", &facts.sources, MAX_ITEMS, MAX_SHORT);
    let automated_decisions = text(
        &mut e,
        "automated_decisions",
        &facts.automated_decisions,
        false,
        MAX_TEXT,
    )
    .unwrap_or_default();
    let responsible =
        text(&mut e, "responsible", &facts.responsible, true, MAX_NAME).unwrap_or_default();
    if facts.system_ids.len() > MAX_SYSTEMS {
        e.add("system_ids", "too_many");
    }
    let mut system_ids: Vec<Uuid> = Vec::new();
    for id in facts.system_ids.iter().take(MAX_SYSTEMS) {
        if !system_ids.contains(id) {
            system_ids.push(*id);
        }
    }
    if facts.published && public_summary.is_empty() {
        e.add("public_summary", "required_to_publish");
    }
    let consent_based = legal_bases.iter().any(|b| b.basis == LegalBasis::Consent)
        || data_categories
            .iter()
            .any(|c| c.art9_condition == Some(Art9Condition::ExplicitConsent));
    let consent_age = match facts.consent_age {
        Some(age) if !(MIN_CONSENT_AGE..=ADULT_AGE).contains(&age) => {
            e.add("consent_age", "out_of_range");
            None
        }
        age if consent_based => age,
        _ => None,
    };

    e.finish(ActivityFacts {
        name,
        purposes,
        public_summary,
        legal_bases,
        public_task: facts.public_task,
        data_subjects,
        data_categories,
        confidentiality,
        national_id_justification,
        protected_addresses: facts.protected_addresses,
        vulnerable_subjects: vulnerable,
        recipients,
        transfers,
        security_measures,
        sources,
        automated_decisions,
        dpia: facts.dpia,
        responsible,
        system_ids,
        status: facts.status,
        review_date: facts.review_date,
        published: facts.published,
        consent_age,
    })
}

/// Whether an update may change `before` into `after`: the status follows the life cycle.
pub fn check_activity_update(
    before: &ActivityFacts,
    after: &ActivityFacts,
) -> Result<(), FieldError> {
    if before.status.may_become(after.status) {
        Ok(())
    } else {
        Err(FieldError {
            field: "status".into(),
            code: "transition_not_allowed".into(),
        })
    }
}

/// Whether the entry is due for review on `today`.
pub fn activity_review_overdue(facts: &ActivityFacts, today: NaiveDate) -> bool {
    facts.status != ActivityStatus::Discontinued && facts.review_date.is_some_and(|d| d < today)
}

/// Whether the activity processes special categories (Art. 9) or criminal-offence data
/// (Art. 10) — a filter of the record and a DPIA screening input.
pub fn has_special_categories(facts: &ActivityFacts) -> bool {
    has_special_categories_in(facts, &Vocabulary::default())
}

/// [`has_special_categories`] with the organisation's own terms.
pub fn has_special_categories_in(facts: &ActivityFacts, vocabulary: &Vocabulary) -> bool {
    facts.data_categories.iter().any(|c| {
        vocabulary
            .category(&c.category)
            .is_some_and(|d| d.special.is_some())
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::*;

    pub(crate) fn sample() -> ActivityFacts {
        ActivityFacts {
            name: " Elevadministrasjon ".into(),
            purposes: vec!["Gi opplæring etter opplæringslova".into(), " ".into()],
            public_summary: "Vi behandler opplysninger om elever for å gi dem opplæring.".into(),
            legal_bases: vec![LegalBasisPair {
                basis: LegalBasis::PublicTask,
                national_law: "opplæringslova § 15-1".into(),
            }],
            public_task: true,
            data_subjects: vec![
                "dpv:Student".into(),
                "dpv:Child".into(),
                "dpv:Student".into(),
            ],
            data_categories: vec![
                CategoryUse {
                    category: "pd:Name".into(),
                    art9_condition: None,
                    legal_reference: String::new(),
                    retention: "Bevares (arkivlova)".into(),
                },
                CategoryUse {
                    category: "pd:Health".into(),
                    art9_condition: Some(Art9Condition::SubstantialPublicInterest),
                    legal_reference: "opplæringslova § 15-1".into(),
                    retention: String::new(),
                },
            ],
            confidentiality: "forvaltningsloven § 13".into(),
            national_id_justification: String::new(),
            protected_addresses: true,
            vulnerable_subjects: false,
            recipients: vec![Recipient {
                name: "Statistisk sentralbyrå".into(),
                country: "no".into(),
                legal_reference: "statistikkloven § 10".into(),
            }],
            transfers: vec![],
            security_measures: vec!["Tilgangsstyring".into()],
            sources: vec!["Folkeregisteret".into()],
            automated_decisions: String::new(),
            dpia: DpiaStatus::Completed,
            responsible: "Kommunalsjef oppvekst".into(),
            system_ids: vec![],
            status: ActivityStatus::Active,
            review_date: NaiveDate::from_ymd_opt(2027, 1, 31),
            published: true,
            consent_age: None,
        }
    }

    fn codes(result: Result<ActivityFacts, Vec<FieldError>>) -> Vec<(String, String)> {
        result
            .expect_err("should be refused")
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn the_age_for_own_consent_is_kept_only_for_processing_based_on_consent() {
        let mut f = sample();
        f.consent_age = Some(13);
        assert_eq!(check_activity(&f).expect("valid").consent_age, None);
        f.legal_bases.push(LegalBasisPair {
            basis: LegalBasis::Consent,
            national_law: String::new(),
        });
        f.public_task = false;
        let checked = check_activity(&f).expect("valid");
        assert!(checked.is_consent_based());
        assert_eq!(checked.consent_age, Some(13));
        assert_eq!(checked.own_consent_age(), 13);
        f.consent_age = Some(12);
        let errors = check_activity(&f).expect_err("out of range");
        assert!(
            errors
                .iter()
                .any(|e| e.field == "consent_age" && e.code == "out_of_range")
        );
        f.consent_age = None;
        assert_eq!(
            check_activity(&f).expect("valid").own_consent_age(),
            DEFAULT_CONSENT_AGE
        );
    }

    #[test]
    fn a_good_entry_is_normalised() {
        let out = check_activity(&sample()).expect("valid");
        assert_eq!(out.name, "Elevadministrasjon");
        assert_eq!(out.purposes, vec!["Gi opplæring etter opplæringslova"]);
        assert_eq!(out.data_subjects, vec!["dpv:Student", "dpv:Child"]);
        assert!(out.vulnerable_subjects, "children are a vulnerable group");
        assert_eq!(out.recipients[0].country, "NO");
        assert!(has_special_categories(&out));
    }

    #[test]
    fn an_art9_category_needs_its_condition() {
        let mut f = sample();
        f.data_categories[1].art9_condition = None;
        assert_eq!(
            codes(check_activity(&f)),
            vec![(
                "data_categories[1].art9_condition".into(),
                "required_for_special_category".into()
            )]
        );
    }

    #[test]
    fn a_condition_resting_on_law_names_it() {
        let mut f = sample();
        f.data_categories[1].legal_reference = " ".into();
        assert_eq!(
            codes(check_activity(&f)),
            vec![(
                "data_categories[1].legal_reference".into(),
                "required_for_condition".into()
            )]
        );
        // Explicit consent (a) needs no statute.
        f.data_categories[1].art9_condition = Some(Art9Condition::ExplicitConsent);
        assert!(check_activity(&f).is_ok());
    }

    #[test]
    fn an_ordinary_category_takes_no_art9_condition() {
        let mut f = sample();
        f.data_categories[0].art9_condition = Some(Art9Condition::HealthOrSocialCare);
        assert_eq!(
            codes(check_activity(&f)),
            vec![(
                "data_categories[0].art9_condition".into(),
                "not_special_category".into()
            )]
        );
    }

    #[test]
    fn criminal_offence_data_need_a_legal_reference_not_an_art9_condition() {
        let mut f = sample();
        f.data_categories.push(CategoryUse {
            category: "pd:Criminal".into(),
            art9_condition: Some(Art9Condition::ExplicitConsent),
            legal_reference: String::new(),
            retention: String::new(),
        });
        assert_eq!(
            codes(check_activity(&f)),
            vec![
                (
                    "data_categories[2].art9_condition".into(),
                    "not_special_category".into()
                ),
                (
                    "data_categories[2].legal_reference".into(),
                    "required_for_criminal_data".into()
                ),
            ]
        );
        f.data_categories[2].art9_condition = None;
        f.data_categories[2].legal_reference = "politiregisterloven § 39".into();
        assert!(check_activity(&f).is_ok());
    }

    #[test]
    fn legitimate_interests_are_not_for_a_public_task() {
        let mut f = sample();
        f.legal_bases.push(LegalBasisPair {
            basis: LegalBasis::LegitimateInterests,
            national_law: String::new(),
        });
        assert_eq!(
            codes(check_activity(&f)),
            vec![("legal_bases[1].basis".into(), "not_for_public_task".into())]
        );
        // Outside its public tasks (the canteen's loyalty card, say) a municipality may.
        f.public_task = false;
        assert!(check_activity(&f).is_ok());
    }

    #[test]
    fn public_task_and_legal_obligation_name_their_statute() {
        let mut f = sample();
        f.legal_bases = vec![
            LegalBasisPair {
                basis: LegalBasis::PublicTask,
                national_law: String::new(),
            },
            LegalBasisPair {
                basis: LegalBasis::LegalObligation,
                national_law: "  ".into(),
            },
            LegalBasisPair {
                basis: LegalBasis::Consent,
                national_law: String::new(),
            },
        ];
        assert_eq!(
            codes(check_activity(&f)),
            vec![
                ("legal_bases[0].national_law".into(), "required".into()),
                ("legal_bases[1].national_law".into(), "required".into()),
            ]
        );
    }

    #[test]
    fn the_national_id_needs_a_justification() {
        let mut f = sample();
        f.data_categories.push(CategoryUse {
            category: "pd:OfficialID".into(),
            art9_condition: None,
            legal_reference: String::new(),
            retention: String::new(),
        });
        assert_eq!(
            codes(check_activity(&f)),
            vec![("national_id_justification".into(), "required".into())]
        );
        f.national_id_justification = "Sikker identifisering mot Folkeregisteret".into();
        assert!(check_activity(&f).is_ok());
    }

    #[test]
    fn transfers_are_outside_the_eea_and_cover_foreign_recipients() {
        let mut f = sample();
        f.recipients.push(Recipient {
            name: "Skyhavn Inc.".into(),
            country: "US".into(),
            legal_reference: String::new(),
        });
        assert_eq!(
            codes(check_activity(&f)),
            vec![("recipients[1].country".into(), "transfer_not_listed".into())]
        );
        f.transfers = vec![
            Transfer {
                country: "us".into(),
                mechanism: TransferMechanism::StandardContractualClauses,
            },
            Transfer {
                country: "SE".into(),
                mechanism: TransferMechanism::Adequacy,
            },
            Transfer {
                country: "IN".into(),
                mechanism: TransferMechanism::Adequacy,
            },
        ];
        assert_eq!(
            codes(check_activity(&f)),
            vec![
                ("transfers[1].country".into(), "not_a_transfer".into()),
                (
                    "transfers[2].mechanism".into(),
                    "no_adequacy_decision".into()
                ),
            ]
        );
    }

    #[test]
    fn required_parts_of_the_record() {
        let mut f = sample();
        f.name = " ".into();
        f.purposes = vec![];
        f.legal_bases = vec![];
        f.data_subjects = vec!["dpv:Martian".into()];
        f.data_categories = vec![];
        f.responsible = String::new();
        f.public_summary = String::new();
        assert_eq!(
            codes(check_activity(&f)),
            vec![
                ("name".into(), "required".into()),
                ("purposes".into(), "required".into()),
                ("legal_bases".into(), "required".into()),
                ("data_subjects[0]".into(), "unknown_subject".into()),
                ("data_categories".into(), "required".into()),
                ("responsible".into(), "required".into()),
                ("public_summary".into(), "required_to_publish".into()),
            ]
        );
    }

    #[test]
    fn the_life_cycle() {
        use ActivityStatus as S;
        let mut before = sample();
        let mut after = sample();
        for (from, to, ok) in [
            (S::Draft, S::Active, true),
            (S::Draft, S::Discontinued, true),
            (S::Active, S::Discontinued, true),
            (S::Active, S::Draft, false),
            (S::Discontinued, S::Active, false),
            (S::Discontinued, S::Discontinued, true),
        ] {
            before.status = from;
            after.status = to;
            assert_eq!(
                check_activity_update(&before, &after).is_ok(),
                ok,
                "{from:?} → {to:?}"
            );
        }
    }

    #[test]
    fn status_choices_and_dpia_names() {
        assert_eq!(
            ActivityStatus::Active.choices(),
            vec![ActivityStatus::Active, ActivityStatus::Discontinued]
        );
        for d in DpiaStatus::ALL {
            assert_eq!(DpiaStatus::parse(d.as_str()), Some(d));
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
        }
    }

    #[test]
    fn review_dates() {
        let mut f = sample();
        let day = |d| NaiveDate::from_ymd_opt(2027, 2, d).expect("date");
        assert!(activity_review_overdue(&f, day(1)));
        f.status = ActivityStatus::Discontinued;
        assert!(!activity_review_overdue(&f, day(1)));
    }

    fn arb_status() -> impl Strategy<Value = ActivityStatus> {
        prop::sample::select(ActivityStatus::ALL.to_vec())
    }

    proptest! {
        /// The life cycle never leaves `discontinued`, and every path is a walk along `next`.
        #[test]
        fn life_cycle_walks(steps in prop::collection::vec(arb_status(), 0..12)) {
            let mut at = ActivityStatus::Draft;
            for step in steps {
                if at.may_become(step) {
                    prop_assert!(at == step || at.next().contains(&step));
                    if at == ActivityStatus::Discontinued {
                        prop_assert_eq!(step, ActivityStatus::Discontinued);
                    }
                    at = step;
                }
            }
        }

        /// Checking is idempotent: a checked entry passes again unchanged.
        #[test]
        fn checking_is_idempotent(
            name in "[ a-zæøå]{0,30}",
            subjects in prop::collection::vec(prop::sample::select(vec!["dpv:Child", "dpv:Employee", "dpv:Patient", "dpv:Citizen"]), 1..5),
            categories in prop::collection::btree_set(prop::sample::select(vec!["pd:Name", "pd:Contact", "pd:Health", "pd:OfficialID"]), 1..4),
            condition in prop::option::of(prop::sample::select(Art9Condition::ALL.to_vec())),
            basis in prop::sample::select(LegalBasis::ALL.to_vec()),
            public_task: bool,
        ) {
            let mut f = sample();
            f.name = name;
            f.data_subjects = subjects.into_iter().map(str::to_owned).collect();
            f.data_categories = categories.into_iter().map(|c| CategoryUse {
                category: c.to_owned(),
                art9_condition: if c == "pd:Health" { condition } else { None },
                legal_reference: "helse- og omsorgstjenesteloven § 3-1".into(),
                retention: String::new(),
            }).collect();
            f.national_id_justification = "Sikker identifisering".into();
            f.legal_bases = vec![LegalBasisPair { basis, national_law: "kommuneloven § 2-1".into() }];
            f.public_task = public_task;
            if let Ok(once) = check_activity(&f) {
                let twice = check_activity(&once).expect("a checked entry stays valid");
                prop_assert_eq!(&once, &twice);
                prop_assert!(!(public_task && once.legal_bases.iter().any(|b| b.basis == LegalBasis::LegitimateInterests)));
                prop_assert!(once.data_categories.iter().all(|c| c.category != "pd:Health" || c.art9_condition.is_some()));
            }
        }
    }
}
