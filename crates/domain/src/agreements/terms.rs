//! What the drafter decides: the parties and systems the agreement covers and the terms
//! that are a matter of choice (duration, sub-processor authorisation and notice period,
//! breach window, what happens to the data at the end, audits). Everything else in the
//! agreement comes from the register.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::OrganizationId;
use crate::problem::FieldError;
use crate::register::{Errors, text, text_list};

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 4000;
pub const MAX_SHORT: usize = 300;
pub const MAX_SYSTEMS: usize = 100;
pub const MAX_NOTICE_DAYS: u32 = 365;
/// The processor's window to tell the controller of a breach: at most the controller's
/// own 72 hours (Art. 33(1)).
pub const MAX_BREACH_HOURS: u32 = 72;

/// The language an agreement is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgreementLanguage {
    Nb,
    En,
}

impl AgreementLanguage {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Nb => "nb",
            Self::En => "en",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "nb" => Some(Self::Nb),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub const fn pick(self, nb: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Nb => nb,
            Self::En => en,
        }
    }

    pub fn pick_owned(self, nb: String, en: String) -> String {
        match self {
            Self::Nb => nb,
            Self::En => en,
        }
    }
}

/// How the controller authorises sub-processors (Art. 28(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Authorisation {
    /// Each sub-processor is approved by name; a new one needs a new approval.
    Specific,
    /// Sub-processors may change after notice, and the controller may object.
    General,
}

/// What the processor does with the data when the agreement ends (Art. 28(3)(g)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EndOfContract {
    Delete,
    Return,
    /// Return to the controller, then delete every copy.
    ReturnThenDelete,
}

pub const MAX_STATED_ITEMS: usize = 50;

/// A category of personal data stated by the controller, with its GDPR flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatedCategory {
    pub label: String,
    /// A special category (Art. 9).
    #[serde(default)]
    pub special: bool,
    /// Criminal convictions and offences (Art. 10).
    #[serde(default)]
    pub criminal: bool,
}

/// What the processing is about, stated by the controller where the register does not
/// hold it: an authority's task carried out by the municipalities, say. Added to what the
/// register gives (the systems' activities and products).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatedScope {
    /// The subject matter in a sentence or two, e.g. "Kvalifisering av nyankomne
    /// innvandrere (introduksjonsprogrammet)".
    #[serde(default)]
    pub subject_matter: String,
    #[serde(default)]
    pub purposes: Vec<String>,
    #[serde(default)]
    pub data_categories: Vec<StatedCategory>,
    #[serde(default)]
    pub data_subjects: Vec<String>,
    #[serde(default)]
    pub security_measures: Vec<String>,
    /// Countries where the data is processed (stored or accessed).
    #[serde(default)]
    pub locations: Vec<String>,
}

fn check_scope(e: &mut Errors, scope: &StatedScope) -> StatedScope {
    let list = |e: &mut Errors, field: &str, values: &[String]| {
        text_list(
            e,
            &format!("scope.{field}"),
            values,
            MAX_STATED_ITEMS,
            MAX_SHORT,
        )
    };
    if scope.data_categories.len() > MAX_STATED_ITEMS {
        e.add("scope.data_categories", "too_many");
    }
    let mut data_categories: Vec<StatedCategory> = Vec::new();
    for (i, c) in scope
        .data_categories
        .iter()
        .take(MAX_STATED_ITEMS)
        .enumerate()
    {
        let field = format!("scope.data_categories[{i}].label");
        if let Some(label) = text(e, &field, &c.label, true, MAX_SHORT)
            && !data_categories.iter().any(|d| d.label == label)
        {
            data_categories.push(StatedCategory { label, ..c.clone() });
        }
    }
    StatedScope {
        subject_matter: text(
            e,
            "scope.subject_matter",
            &scope.subject_matter,
            false,
            MAX_TEXT,
        )
        .unwrap_or_default(),
        purposes: list(e, "purposes", &scope.purposes),
        data_categories,
        data_subjects: list(e, "data_subjects", &scope.data_subjects),
        security_measures: list(e, "security_measures", &scope.security_measures),
        locations: list(e, "locations", &scope.locations),
    }
}

/// The drafter's input when creating or changing an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementTerms {
    /// A name for the agreement, e.g. "Databehandleravtale for Visma Flyt Skole".
    pub title: String,
    /// The template: a built-in key (`state-nb`, `state-en`, `scc-nb`, `scc-en`).
    pub template: String,
    /// The processor: the vendor (or, for an authority's agreement, the municipality).
    pub processor_id: OrganizationId,
    /// The controller's systems the agreement covers; their products must be the
    /// processor's.
    #[serde(default)]
    pub system_ids: Vec<Uuid>,
    /// The nature of the processing: what the processor does with the data.
    #[serde(default)]
    pub nature: String,
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// None: until terminated.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// When the controller reviews the agreement next.
    #[serde(default)]
    pub review_date: Option<NaiveDate>,
    pub authorisation: Authorisation,
    /// The notice before a sub-processor change takes effect (needed under general
    /// authorisation).
    #[serde(default)]
    pub notice_period_days: Option<u32>,
    /// The processor tells the controller of a breach within this many hours.
    #[serde(default)]
    pub breach_notice_hours: Option<u32>,
    #[serde(default)]
    pub end_of_contract: Option<EndOfContract>,
    /// How the controller audits the processor (reports, inspections, frequency).
    #[serde(default)]
    pub audit_procedure: String,
    /// Further instructions beyond the register's facts (appendix C).
    #[serde(default)]
    pub instructions: String,
    /// Other terms agreed (appendix D).
    #[serde(default)]
    pub other_terms: String,
    /// The controller's contact point (a function or mailbox rather than a person).
    #[serde(default)]
    pub controller_contact: String,
    #[serde(default)]
    pub controller_address: String,
    #[serde(default)]
    pub processor_contact: String,
    #[serde(default)]
    pub processor_address: String,
    /// What changed, for the version's change log.
    #[serde(default)]
    pub change_note: String,
    /// What the processing is about where the register does not say (optional).
    #[serde(default)]
    pub scope: StatedScope,
}

impl AgreementTerms {
    /// The same terms, leaving the change note aside (it describes a change, it is not one).
    pub fn same_as(&self, other: &Self) -> bool {
        let bare = |t: &Self| Self {
            change_note: String::new(),
            ..t.clone()
        };
        bare(self) == bare(other)
    }
}

/// Checks and normalises the terms. `known_template` says whether a template key exists.
pub fn check_terms(
    terms: &AgreementTerms,
    known_template: impl Fn(&str) -> bool,
) -> Result<AgreementTerms, Vec<FieldError>> {
    let mut e = Errors::default();
    let title = text(&mut e, "title", &terms.title, true, MAX_TITLE).unwrap_or_default();
    let template = terms.template.trim().to_owned();
    if template.is_empty() {
        e.add("template", "required");
    } else if !known_template(&template) {
        e.add("template", "unknown");
    }
    let mut system_ids: Vec<Uuid> = Vec::new();
    if terms.system_ids.len() > MAX_SYSTEMS {
        e.add("system_ids", "too_many");
    }
    for id in &terms.system_ids {
        if !system_ids.contains(id) {
            system_ids.push(*id);
        }
    }
    let long = |e: &mut Errors, field: &str, value: &str| {
        text(e, field, value, false, MAX_TEXT).unwrap_or_default()
    };
    let short = |e: &mut Errors, field: &str, value: &str| {
        text(e, field, value, false, MAX_SHORT).unwrap_or_default()
    };
    if let (Some(start), Some(end)) = (terms.start_date, terms.end_date)
        && end < start
    {
        e.add("end_date", "before_start");
    }
    if let Some(days) = terms.notice_period_days
        && !(1..=MAX_NOTICE_DAYS).contains(&days)
    {
        e.add("notice_period_days", "out_of_range");
    }
    if let Some(hours) = terms.breach_notice_hours
        && !(1..=MAX_BREACH_HOURS).contains(&hours)
    {
        e.add("breach_notice_hours", "out_of_range");
    }
    let checked = AgreementTerms {
        title,
        template,
        processor_id: terms.processor_id,
        system_ids,
        nature: long(&mut e, "nature", &terms.nature),
        start_date: terms.start_date,
        end_date: terms.end_date,
        review_date: terms.review_date,
        authorisation: terms.authorisation,
        notice_period_days: terms.notice_period_days,
        breach_notice_hours: terms.breach_notice_hours,
        end_of_contract: terms.end_of_contract,
        audit_procedure: long(&mut e, "audit_procedure", &terms.audit_procedure),
        instructions: long(&mut e, "instructions", &terms.instructions),
        other_terms: long(&mut e, "other_terms", &terms.other_terms),
        controller_contact: short(&mut e, "controller_contact", &terms.controller_contact),
        controller_address: short(&mut e, "controller_address", &terms.controller_address),
        processor_contact: short(&mut e, "processor_contact", &terms.processor_contact),
        processor_address: short(&mut e, "processor_address", &terms.processor_address),
        change_note: short(&mut e, "change_note", &terms.change_note),
        scope: check_scope(&mut e, &terms.scope),
    };
    e.finish(checked)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample_terms() -> AgreementTerms {
        AgreementTerms {
            title: "Databehandleravtale for skoleadministrasjon".into(),
            template: "state-nb".into(),
            processor_id: OrganizationId::from(Uuid::from_u128(2)),
            system_ids: vec![Uuid::from_u128(10)],
            nature: "Drift og brukerstøtte for skoleadministrativt system".into(),
            start_date: NaiveDate::from_ymd_opt(2027, 1, 1),
            end_date: None,
            review_date: NaiveDate::from_ymd_opt(2028, 1, 1),
            authorisation: Authorisation::General,
            notice_period_days: Some(30),
            breach_notice_hours: Some(24),
            end_of_contract: Some(EndOfContract::ReturnThenDelete),
            audit_procedure: "Årlig revisjonsrapport (ISAE 3000)".into(),
            instructions: String::new(),
            other_terms: String::new(),
            controller_contact: "personvern@example.org".into(),
            controller_address: "Rådhuset, 0037 Oslo".into(),
            processor_contact: "avtaler@example.org".into(),
            processor_address: "Fjordgata 1, 5003 Bergen".into(),
            change_note: String::new(),
            scope: StatedScope::default(),
        }
    }

    fn codes(result: Result<AgreementTerms, Vec<FieldError>>) -> Vec<(String, String)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn valid_terms_are_trimmed_and_systems_deduplicated() {
        let mut t = sample_terms();
        t.title = "  Avtale  ".into();
        t.system_ids.push(Uuid::from_u128(10));
        let checked = check_terms(&t, |k| k == "state-nb").expect("valid");
        assert_eq!(checked.title, "Avtale");
        assert_eq!(checked.system_ids, vec![Uuid::from_u128(10)]);
    }

    #[test]
    fn refusals_name_their_fields() {
        let mut t = sample_terms();
        t.title = " ".into();
        t.template = "nope".into();
        t.end_date = NaiveDate::from_ymd_opt(2026, 1, 1);
        t.notice_period_days = Some(0);
        t.breach_notice_hours = Some(96);
        t.nature = "x".repeat(MAX_TEXT + 1);
        let got = codes(check_terms(&t, |k| k == "state-nb"));
        for expected in [
            ("title", "required"),
            ("template", "unknown"),
            ("end_date", "before_start"),
            ("notice_period_days", "out_of_range"),
            ("breach_notice_hours", "out_of_range"),
            ("nature", "too_long"),
        ] {
            assert!(
                got.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "{expected:?} in {got:?}"
            );
        }
    }

    #[test]
    fn a_change_note_alone_is_no_change() {
        let t = sample_terms();
        let mut noted = t.clone();
        noted.change_note = "Rettet skrivefeil".into();
        assert!(t.same_as(&noted));
        noted.breach_notice_hours = Some(48);
        assert!(!t.same_as(&noted));
    }

    #[test]
    fn the_breach_window_is_at_most_seventy_two_hours() {
        let mut t = sample_terms();
        t.breach_notice_hours = Some(72);
        assert!(check_terms(&t, |_| true).is_ok());
        t.breach_notice_hours = Some(73);
        assert!(check_terms(&t, |_| true).is_err());
    }
}
