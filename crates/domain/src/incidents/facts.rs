//! What an organisation records about a breach (avvik): when it happened and when it became
//! known, how Datatilsynet would classify it, what happened, which systems and processing
//! activities, which data and people, how many, the consequences and measures, and the risk
//! — which decides whether Datatilsynet and the residents must be told (Art. 33(1), 34(1)).
//! Also the resident notice decision and the incident's life: draft (a vendor's notice not
//! yet taken in), open, closed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{BreachClass, ClockState, NoticePhase, ResidentNoticeException};
use crate::person::mentions_national_id;
use crate::problem::FieldError;
use crate::register::vocabulary::Vocabulary;
use crate::register::{Errors, text};

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 4000;
pub const MAX_SHORT: usize = 500;
pub const MAX_LINKS: usize = 100;
pub const MAX_CATEGORIES: usize = 100;
/// More than every Norwegian resident: a count above it is a typing error.
pub const MAX_COUNT: u64 = 100_000_000;

/// How likely the breach is to harm the people whose data it touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Not assessed yet: the clock runs regardless.
    NotAssessed,
    /// Unlikely to result in a risk: recorded, not notified (Art. 33(1)); the reasons are required.
    Unlikely,
    /// A risk: Datatilsynet is notified.
    Risk,
    /// A high risk: Datatilsynet and the residents are told (Art. 34(1)).
    High,
}

impl RiskLevel {
    pub const ALL: [Self; 4] = [Self::NotAssessed, Self::Unlikely, Self::Risk, Self::High];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotAssessed => "not_assessed",
            Self::Unlikely => "unlikely",
            Self::Risk => "risk",
            Self::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether Datatilsynet must be notified. Until the risk is assessed it counts as
    /// notifiable: the deadline does not wait for the assessment.
    pub const fn authority_notice_required(self) -> bool {
        !matches!(self, Self::Unlikely)
    }

    pub const fn resident_notice_required(self) -> bool {
        matches!(self, Self::High)
    }
}

/// Where an incident is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    /// Made from a vendor's notice; the organisation has not taken it in yet.
    Draft,
    /// Being handled.
    Open,
    /// Handled: the notices the risk calls for are given or their exceptions recorded.
    Closed,
}

impl IncidentStatus {
    pub const ALL: [Self; 3] = [Self::Draft, Self::Open, Self::Closed];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The facts of an incident, as entered and as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentFacts {
    /// A short name for the register. No names or national identity numbers.
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, example = "Elevliste sendt til feil mottaker")
    )]
    pub title: String,
    /// When the breach began, if known.
    #[serde(default)]
    pub occurred_from: Option<DateTime<Utc>>,
    /// When it ended, if it has.
    #[serde(default)]
    pub occurred_to: Option<DateTime<Utc>>,
    /// When the organisation became aware of it: starts the 72-hour clock.
    pub aware_at: DateTime<Utc>,
    /// How it was discovered.
    #[serde(default)]
    pub discovered_how: String,
    /// Confidentiality, integrity and/or availability — at least one.
    pub classes: Vec<BreachClass>,
    /// What happened and how.
    pub description: String,
    /// The cause, as far as known.
    #[serde(default)]
    pub cause: String,
    /// The organisation's systems involved.
    #[serde(default)]
    pub system_ids: Vec<Uuid>,
    /// The processing activities involved.
    #[serde(default)]
    pub activity_ids: Vec<Uuid>,
    /// Data category keys from the organisation's vocabulary.
    #[serde(default)]
    pub data_categories: Vec<String>,
    /// Data subject category keys from the organisation's vocabulary.
    #[serde(default)]
    pub data_subjects: Vec<String>,
    /// Roughly how many people are affected.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 100_000_000))]
    pub subjects_approx: Option<u64>,
    /// Roughly how many records are affected.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 100_000_000))]
    pub records_approx: Option<u64>,
    /// Who those affected are to the organisation (pupils, clients, employees …).
    #[serde(default)]
    pub relation_to_affected: String,
    /// Where the data are now, as far as known (recalled, deleted, still out).
    #[serde(default)]
    pub data_location: String,
    /// The likely consequences for those affected.
    #[serde(default)]
    pub consequences: String,
    /// Measures taken to deal with the breach and limit its effects.
    #[serde(default)]
    pub measures_taken: String,
    /// Measures planned, including those against a repeat.
    #[serde(default)]
    pub measures_planned: String,
    pub risk: RiskLevel,
    /// The reasons for the risk level; required unless it is not assessed.
    #[serde(default)]
    pub risk_reasons: String,
}

fn free_text(e: &mut Errors, field: &str, value: &str, required: bool, max: usize) -> String {
    let out = text(e, field, value, required, max).unwrap_or_default();
    if mentions_national_id(&out) {
        e.add(field, "contains_national_id");
    }
    out
}

fn ids(e: &mut Errors, field: &str, values: &[Uuid]) -> Vec<Uuid> {
    if values.len() > MAX_LINKS {
        e.add(field, "too_many");
    }
    let mut out: Vec<Uuid> = Vec::new();
    for id in values.iter().take(MAX_LINKS) {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

fn count(e: &mut Errors, field: &str, value: Option<u64>) -> Option<u64> {
    if value.is_some_and(|n| n > MAX_COUNT) {
        e.add(field, "out_of_range");
    }
    value
}

/// Checks and tidies the facts: texts trimmed, the free texts free of national identity
/// numbers, at least one class, the period in order and not after awareness or the future,
/// vocabulary keys known, reasons for any assessed risk. Whether the linked systems and
/// activities are the organisation's is checked where they are stored.
pub fn check_incident(
    facts: &IncidentFacts,
    vocabulary: &Vocabulary,
    now: DateTime<Utc>,
) -> Result<IncidentFacts, Vec<FieldError>> {
    let mut e = Errors::default();
    let title = free_text(&mut e, "title", &facts.title, true, MAX_TITLE);
    if facts.aware_at > now {
        e.add("aware_at", "in_future");
    }
    if let Some(from) = facts.occurred_from {
        if from > now {
            e.add("occurred_from", "in_future");
        } else if from > facts.aware_at {
            e.add("occurred_from", "after_awareness");
        }
    }
    if let Some(to) = facts.occurred_to {
        if to > now {
            e.add("occurred_to", "in_future");
        } else if facts.occurred_from.is_some_and(|from| to < from) {
            e.add("occurred_to", "before_start");
        }
    }
    let mut classes: Vec<BreachClass> = Vec::new();
    for c in &facts.classes {
        if !classes.contains(c) {
            classes.push(*c);
        }
    }
    classes.sort();
    if classes.is_empty() {
        e.add("classes", "required");
    }
    let mut keys = |field: &str, values: &[String], known: &dyn Fn(&str) -> Option<String>| {
        if values.len() > MAX_CATEGORIES {
            e.add(field, "too_many");
        }
        let mut out: Vec<String> = Vec::new();
        for (i, key) in values.iter().enumerate().take(MAX_CATEGORIES) {
            match known(key.trim()) {
                Some(k) if !out.contains(&k) => out.push(k),
                Some(_) => {}
                None => e.add(format!("{field}[{i}]"), "unknown_term"),
            }
        }
        out
    };
    let data_categories = keys("data_categories", &facts.data_categories, &|k| {
        vocabulary.category(k).map(|c| c.key)
    });
    let data_subjects = keys("data_subjects", &facts.data_subjects, &|k| {
        vocabulary.subject(k).map(|s| s.key)
    });
    let checked = IncidentFacts {
        title,
        occurred_from: facts.occurred_from,
        occurred_to: facts.occurred_to,
        aware_at: facts.aware_at,
        discovered_how: free_text(
            &mut e,
            "discovered_how",
            &facts.discovered_how,
            false,
            MAX_TEXT,
        ),
        classes,
        description: free_text(&mut e, "description", &facts.description, true, MAX_TEXT),
        cause: free_text(&mut e, "cause", &facts.cause, false, MAX_TEXT),
        system_ids: ids(&mut e, "system_ids", &facts.system_ids),
        activity_ids: ids(&mut e, "activity_ids", &facts.activity_ids),
        data_categories,
        data_subjects,
        subjects_approx: count(&mut e, "subjects_approx", facts.subjects_approx),
        records_approx: count(&mut e, "records_approx", facts.records_approx),
        relation_to_affected: free_text(
            &mut e,
            "relation_to_affected",
            &facts.relation_to_affected,
            false,
            MAX_SHORT,
        ),
        data_location: free_text(
            &mut e,
            "data_location",
            &facts.data_location,
            false,
            MAX_TEXT,
        ),
        consequences: free_text(&mut e, "consequences", &facts.consequences, false, MAX_TEXT),
        measures_taken: free_text(
            &mut e,
            "measures_taken",
            &facts.measures_taken,
            false,
            MAX_TEXT,
        ),
        measures_planned: free_text(
            &mut e,
            "measures_planned",
            &facts.measures_planned,
            false,
            MAX_TEXT,
        ),
        risk: facts.risk,
        risk_reasons: free_text(
            &mut e,
            "risk_reasons",
            &facts.risk_reasons,
            facts.risk != RiskLevel::NotAssessed,
            MAX_TEXT,
        ),
    };
    e.finish(checked)
}

/// One notice given to Datatilsynet, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorityNotice {
    pub id: Uuid,
    pub phase: NoticePhase,
    pub sent_at: DateTime<Utc>,
    /// Altinn's receipt or Datatilsynet's case number.
    pub reference: Option<String>,
    /// Why the first notice came after the 72 hours.
    pub late_reason: Option<String>,
    /// The report as it was sent (the fields of Datatilsynet's form, in Norwegian bokmål).
    pub report: AuthorityReport,
    pub recorded_by: Option<String>,
}

/// A notice to Datatilsynet being recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAuthorityNotice {
    pub phase: NoticePhase,
    /// When it was sent; now when absent.
    #[serde(default)]
    pub sent_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200, example = "AR123456789"))]
    pub reference: Option<String>,
    #[serde(default)]
    pub late_reason: Option<String>,
}

/// The notice as checked: texts trimmed, blank ones none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedAuthorityNotice {
    pub phase: NoticePhase,
    pub sent_at: DateTime<Utc>,
    pub reference: Option<String>,
    pub late_reason: Option<String>,
}

/// Checks a notice to Datatilsynet against those given: the phase order, the late reason,
/// not in the future. A draft is taken in before anything is notified; only a breach that
/// is notifiable is notified.
pub fn check_authority_notice(
    status: IncidentStatus,
    facts: &IncidentFacts,
    given: &[NoticePhase],
    input: &NewAuthorityNotice,
    now: DateTime<Utc>,
) -> Result<CheckedAuthorityNotice, Vec<FieldError>> {
    let mut e = Errors::default();
    if status != IncidentStatus::Open {
        return Err(vec![FieldError::new("status", "not_open")]);
    }
    if !facts.risk.authority_notice_required() {
        e.add("phase", "not_notifiable");
    }
    let sent_at = input.sent_at.unwrap_or(now);
    if sent_at > now {
        e.add("sent_at", "in_future");
    }
    let reference = text(
        &mut e,
        "reference",
        input.reference.as_deref().unwrap_or(""),
        false,
        200,
    );
    let late_reason = free_text(
        &mut e,
        "late_reason",
        input.late_reason.as_deref().unwrap_or(""),
        false,
        MAX_TEXT,
    );
    let late_reason = (!late_reason.is_empty()).then_some(late_reason);
    if let Err(err) = super::check_notice(
        facts.aware_at,
        given,
        input.phase,
        sent_at,
        late_reason.as_deref(),
    ) {
        let field = match err {
            super::NoticeError::BeforeAwareness => "sent_at",
            super::NoticeError::LateWithoutReason => "late_reason",
            super::NoticeError::PhaseOrder | super::NoticeError::AfterFinal => "phase",
        };
        e.add(field, err.code());
    }
    e.finish(CheckedAuthorityNotice {
        phase: input.phase,
        sent_at,
        reference,
        late_reason,
    })
}

/// Whether, and how, the residents were told (Art. 34).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum ResidentNoticeDecision {
    /// The residents were told.
    Sent {
        sent_at: DateTime<Utc>,
        /// How: letter, e-mail, SMS, Digipost, a meeting …
        channel: String,
        /// How many were told.
        #[serde(default)]
        recipients: Option<u64>,
    },
    /// Not told, under one of Art. 34(3)'s exceptions.
    NotSent {
        exception: ResidentNoticeException,
        /// Why the exception applies (what encryption, which measures, where the public notice is).
        explanation: String,
    },
}

/// Checks the resident notice decision: only for an open incident whose risk is high; texts
/// required and free of national identity numbers; not in the future.
pub fn check_resident_notice(
    status: IncidentStatus,
    facts: &IncidentFacts,
    input: &ResidentNoticeDecision,
    now: DateTime<Utc>,
) -> Result<ResidentNoticeDecision, Vec<FieldError>> {
    let mut e = Errors::default();
    if status != IncidentStatus::Open {
        e.add("status", "not_open");
    } else if !facts.risk.resident_notice_required() {
        e.add("decision", "not_high_risk");
    }
    let checked = match input {
        ResidentNoticeDecision::Sent {
            sent_at,
            channel,
            recipients,
        } => {
            if *sent_at > now {
                e.add("sent_at", "in_future");
            } else if *sent_at < facts.aware_at {
                e.add("sent_at", "before_awareness");
            }
            ResidentNoticeDecision::Sent {
                sent_at: *sent_at,
                channel: free_text(&mut e, "channel", channel, true, MAX_SHORT),
                recipients: count(&mut e, "recipients", *recipients),
            }
        }
        ResidentNoticeDecision::NotSent {
            exception,
            explanation,
        } => ResidentNoticeDecision::NotSent {
            exception: *exception,
            explanation: free_text(&mut e, "explanation", explanation, true, MAX_TEXT),
        },
    };
    e.finish(checked)
}

/// What is still to be done before the incident can be closed, as stable codes.
pub fn outstanding(
    status: IncidentStatus,
    facts: &IncidentFacts,
    notices: &[NoticePhase],
    resident: Option<&ResidentNoticeDecision>,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    if status == IncidentStatus::Draft {
        out.push("take_in");
    }
    if facts.risk == RiskLevel::NotAssessed {
        out.push("assess_risk");
    }
    if facts.risk.authority_notice_required()
        && facts.risk != RiskLevel::NotAssessed
        && notices.is_empty()
    {
        out.push("notify_authority");
    }
    if facts.risk.resident_notice_required() && resident.is_none() {
        out.push("decide_resident_notice");
    }
    if facts.measures_taken.is_empty() {
        out.push("record_measures");
    }
    out
}

/// Draft → open (taken in); open → closed once nothing is outstanding; closed → open
/// (reopened when new facts come in). A draft is never closed unseen.
pub fn check_status_change(
    from: IncidentStatus,
    to: IncidentStatus,
    outstanding: &[&'static str],
) -> Result<(), FieldError> {
    use IncidentStatus as S;
    match (from, to) {
        (S::Draft, S::Open) | (S::Closed, S::Open) => Ok(()),
        (S::Open, S::Closed) if outstanding.is_empty() => Ok(()),
        (S::Open, S::Closed) => Err(FieldError::new("status", outstanding[0])),
        _ => Err(FieldError::new("status", "not_allowed")),
    }
}

/// An incident as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: Uuid,
    pub organization_id: crate::OrganizationId,
    /// The organisation's running number for the year, e.g. `2026-7`.
    pub reference: String,
    pub status: IncidentStatus,
    pub facts: IncidentFacts,
    /// The 72-hour clock; `notified` once the first notice is recorded, and not running
    /// when the breach is unlikely to result in a risk.
    pub clock: ClockState,
    pub authority_notice_required: bool,
    pub resident_notice_required: bool,
    pub notices: Vec<AuthorityNotice>,
    pub resident_notice: Option<ResidentNoticeDecision>,
    /// What is left before it can be closed: `take_in`, `assess_risk`, `notify_authority`,
    /// `decide_resident_notice`, `record_measures`.
    pub outstanding: Vec<String>,
    /// Set when the incident came from a vendor's notice on a product the organisation uses.
    pub vendor_source: Option<super::vendor::VendorSource>,
    pub revision: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// One row of the incident register (list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentSummary {
    pub id: Uuid,
    pub reference: String,
    pub title: String,
    pub status: IncidentStatus,
    pub classes: Vec<BreachClass>,
    pub risk: RiskLevel,
    pub aware_at: DateTime<Utc>,
    pub clock: ClockState,
    pub notified_at: Option<DateTime<Utc>>,
    pub vendor_notice_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentPage {
    pub items: Vec<IncidentSummary>,
    pub next_cursor: Option<String>,
}

/// The clock for an incident: as [`super::clock`], except that it stops (`not_due`) for a
/// breach assessed as unlikely to result in a risk and for a closed incident.
pub fn incident_clock(
    status: IncidentStatus,
    facts: &IncidentFacts,
    first_notice: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ClockState {
    let clock = super::clock(facts.aware_at, first_notice, now);
    if first_notice.is_none()
        && (!facts.risk.authority_notice_required() || status == IncidentStatus::Closed)
    {
        return ClockState {
            minutes_left: None,
            urgency: super::ClockUrgency::NotDue,
            ..clock
        };
    }
    clock
}

/// The report to Datatilsynet — generated in [`super::report`]; declared here so a notice
/// can carry the one it was sent with.
pub use super::report::AuthorityReport;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
    }

    pub(crate) fn facts() -> IncidentFacts {
        IncidentFacts {
            title: "Elevliste sendt til feil mottaker".into(),
            occurred_from: Some(now() - Duration::hours(30)),
            occurred_to: Some(now() - Duration::hours(30)),
            aware_at: now() - Duration::hours(26),
            discovered_how: "Mottakeren sa fra".into(),
            classes: vec![BreachClass::Confidentiality],
            description: "En e-post med elevliste gikk til en foresatt i en annen klasse.".into(),
            cause: "Feil i adressefeltet".into(),
            system_ids: vec![],
            activity_ids: vec![],
            data_categories: vec!["pd:Name".into()],
            data_subjects: vec!["dpv:Student".into()],
            subjects_approx: Some(28),
            records_approx: Some(28),
            relation_to_affected: "Elever ved skolen".into(),
            data_location: "Slettet av mottakeren".into(),
            consequences: "Liten".into(),
            measures_taken: "Mottakeren har bekreftet sletting".into(),
            measures_planned: String::new(),
            risk: RiskLevel::Risk,
            risk_reasons: "Navn og klasse, ikke sensitive opplysninger".into(),
        }
    }

    fn vocabulary() -> Vocabulary {
        Vocabulary::new(Vec::new())
    }

    #[test]
    fn good_facts_pass_and_are_tidied() {
        let mut input = facts();
        input.title = "  Elevliste sendt til feil mottaker ".into();
        input.classes = vec![
            BreachClass::Integrity,
            BreachClass::Confidentiality,
            BreachClass::Integrity,
        ];
        let checked = check_incident(&input, &vocabulary(), now()).unwrap();
        assert_eq!(checked.title, "Elevliste sendt til feil mottaker");
        assert_eq!(
            checked.classes,
            vec![BreachClass::Confidentiality, BreachClass::Integrity]
        );
    }

    #[test]
    fn bad_facts_are_refused_field_by_field() {
        let mut input = facts();
        input.title = " ".into();
        input.classes = vec![];
        input.aware_at = now() + Duration::hours(1);
        input.occurred_to = Some(now() - Duration::hours(40));
        input.description = "Brev til 02813299952 sendt feil".into();
        input.data_subjects = vec!["martians".into()];
        input.subjects_approx = Some(MAX_COUNT + 1);
        input.risk_reasons = String::new();
        let errors = check_incident(&input, &vocabulary(), now()).unwrap_err();
        let got: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        for want in [
            ("title", "required"),
            ("classes", "required"),
            ("aware_at", "in_future"),
            ("occurred_to", "before_start"),
            ("description", "contains_national_id"),
            ("data_subjects[0]", "unknown_term"),
            ("subjects_approx", "out_of_range"),
            ("risk_reasons", "required"),
        ] {
            assert!(got.contains(&want), "{want:?} missing from {got:?}");
        }
    }

    #[test]
    fn an_unassessed_risk_needs_no_reasons_but_counts_as_notifiable() {
        let mut input = facts();
        input.risk = RiskLevel::NotAssessed;
        input.risk_reasons = String::new();
        assert!(check_incident(&input, &vocabulary(), now()).is_ok());
        assert!(RiskLevel::NotAssessed.authority_notice_required());
        assert!(!RiskLevel::Unlikely.authority_notice_required());
        assert!(RiskLevel::High.resident_notice_required());
        assert!(!RiskLevel::Risk.resident_notice_required());
    }

    #[test]
    fn closing_waits_for_what_the_risk_calls_for() {
        let open = IncidentStatus::Open;
        let mut high = facts();
        high.risk = RiskLevel::High;
        let left = outstanding(open, &high, &[], None);
        assert_eq!(left, vec!["notify_authority", "decide_resident_notice"]);
        assert_eq!(
            check_status_change(open, IncidentStatus::Closed, &left),
            Err(FieldError::new("status", "notify_authority"))
        );
        let decided = ResidentNoticeDecision::NotSent {
            exception: ResidentNoticeException::Unintelligible,
            explanation: "Krypterte filer".into(),
        };
        let left = outstanding(open, &high, &[NoticePhase::Initial], Some(&decided));
        assert!(left.is_empty());
        assert_eq!(
            check_status_change(open, IncidentStatus::Closed, &left),
            Ok(())
        );
        // Unlikely to result in risk: nothing to notify.
        let mut unlikely = facts();
        unlikely.risk = RiskLevel::Unlikely;
        assert!(outstanding(open, &unlikely, &[], None).is_empty());
        // A draft must be taken in first and is never closed unseen.
        assert_eq!(
            outstanding(IncidentStatus::Draft, &facts(), &[], None)[0],
            "take_in"
        );
        assert!(check_status_change(IncidentStatus::Draft, IncidentStatus::Closed, &[]).is_err());
        assert_eq!(
            check_status_change(IncidentStatus::Closed, open, &[]),
            Ok(())
        );
    }

    #[test]
    fn notices_to_datatilsynet_follow_the_rules_of_the_clock() {
        let input = NewAuthorityNotice {
            phase: NoticePhase::Initial,
            sent_at: None,
            reference: Some(" AR1 ".into()),
            late_reason: Some("  ".into()),
        };
        let ok =
            check_authority_notice(IncidentStatus::Open, &facts(), &[], &input, now()).unwrap();
        assert_eq!(ok.reference.as_deref(), Some("AR1"));
        assert_eq!(ok.late_reason, None);
        // 80 hours after awareness without a reason.
        let late = now() + Duration::hours(54);
        let errors =
            check_authority_notice(IncidentStatus::Open, &facts(), &[], &input, late).unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError::new("late_reason", "reason_required")]
        );
        let mut unlikely = facts();
        unlikely.risk = RiskLevel::Unlikely;
        let errors = check_authority_notice(IncidentStatus::Open, &unlikely, &[], &input, now())
            .unwrap_err();
        assert_eq!(errors, vec![FieldError::new("phase", "not_notifiable")]);
        let errors = check_authority_notice(IncidentStatus::Draft, &facts(), &[], &input, now())
            .unwrap_err();
        assert_eq!(errors, vec![FieldError::new("status", "not_open")]);
    }

    #[test]
    fn the_resident_notice_is_for_high_risk_and_says_how_or_why_not() {
        let mut high = facts();
        high.risk = RiskLevel::High;
        let sent = ResidentNoticeDecision::Sent {
            sent_at: now(),
            channel: " Brev i Digipost ".into(),
            recipients: Some(28),
        };
        assert!(matches!(
            check_resident_notice(IncidentStatus::Open, &high, &sent, now()),
            Ok(ResidentNoticeDecision::Sent { channel, .. }) if channel == "Brev i Digipost"
        ));
        assert_eq!(
            check_resident_notice(IncidentStatus::Open, &facts(), &sent, now()).unwrap_err(),
            vec![FieldError::new("decision", "not_high_risk")]
        );
        let blank = ResidentNoticeDecision::NotSent {
            exception: ResidentNoticeException::PublicNoticeInstead,
            explanation: String::new(),
        };
        assert_eq!(
            check_resident_notice(IncidentStatus::Open, &high, &blank, now()).unwrap_err(),
            vec![FieldError::new("explanation", "required")]
        );
    }

    #[test]
    fn the_clock_stops_for_a_breach_unlikely_to_result_in_risk() {
        let mut f = facts();
        assert_eq!(
            incident_clock(IncidentStatus::Open, &f, None, now()).urgency,
            super::super::ClockUrgency::Running
        );
        f.risk = RiskLevel::Unlikely;
        let stopped = incident_clock(IncidentStatus::Open, &f, None, now());
        assert_eq!(stopped.urgency, super::super::ClockUrgency::NotDue);
        assert_eq!(stopped.minutes_left, None);
        // Once notified it shows as notified, whatever the risk says later.
        assert_eq!(
            incident_clock(IncidentStatus::Open, &f, Some(now()), now()).urgency,
            super::super::ClockUrgency::Notified
        );
    }
}
