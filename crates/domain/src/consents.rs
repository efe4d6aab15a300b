//! Consent records (GDPR Art. 7 and 8): for a processing activity based on consent, who
//! consented, when, how and to what wording — the resident themselves, or a guardian for a
//! child below the activity's age for own consent — and when it was withdrawn.
//!
//! A consent record is evidence (Art. 7(1)): it is never edited, and a withdrawal is recorded
//! on it rather than deleting it. A withdrawn consent no longer counts (Art. 7(3)); a new
//! consent is a new record. A guardian's consent for a child is due for renewal once the child
//! reaches the age to consent on their own: the child's own consent is then what counts.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::oslo_date;
use crate::person::{NationalId, age_on, mentions_national_id, turns};
use crate::problem::FieldError;
use crate::register::activity::{ADULT_AGE, ActivityFacts, ActivityStatus};

pub const MAX_NAME: usize = 200;
pub const MAX_STATEMENT: usize = 4000;
/// Clocks differ a little: a consent "given" up to five minutes ahead is taken as now.
const CLOCK_SKEW_SECONDS: i64 = 300;

/// Who gave (or withdrew) the consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentGiver {
    /// The person the data are about.
    Subject,
    /// A guardian (parent with parental responsibility or appointed guardian) for a child.
    Guardian,
}

impl ConsentGiver {
    pub const ALL: [Self; 2] = [Self::Subject, Self::Guardian];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Subject => "subject",
            Self::Guardian => "guardian",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == raw)
    }
}

/// How the consent (or its withdrawal) reached the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentChannel {
    /// A signed paper form.
    Paper,
    /// An electronic form (the municipality's form service, a school's app).
    DigitalForm,
    /// Given in person and noted by the staff member.
    InPerson,
    Email,
    /// The resident withdrew it themselves in Vern's resident portal.
    Portal,
}

impl ConsentChannel {
    pub const ALL: [Self; 5] = [
        Self::Paper,
        Self::DigitalForm,
        Self::InPerson,
        Self::Email,
        Self::Portal,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Paper => "paper",
            Self::DigitalForm => "digital_form",
            Self::InPerson => "in_person",
            Self::Email => "email",
            Self::Portal => "portal",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// Where a consent stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    /// It counts.
    Active,
    /// A guardian's consent for a child who has since reached the age to consent on their
    /// own: it still counts, but the child's own consent should be asked for.
    RenewalDue,
    /// Withdrawn: it no longer counts.
    Withdrawn,
}

impl ConsentStatus {
    pub const ALL: [Self; 3] = [Self::Active, Self::RenewalDue, Self::Withdrawn];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::RenewalDue => "renewal_due",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// Whether processing may rest on the consent.
    pub const fn counts(self) -> bool {
        !matches!(self, Self::Withdrawn)
    }
}

/// The status of a consent on `today`: a withdrawal wins; a guardian's consent is due for
/// renewal from `renewal_due_on`.
pub fn status_on(
    withdrawn: bool,
    renewal_due_on: Option<NaiveDate>,
    today: NaiveDate,
) -> ConsentStatus {
    if withdrawn {
        ConsentStatus::Withdrawn
    } else if renewal_due_on.is_some_and(|d| d <= today) {
        ConsentStatus::RenewalDue
    } else {
        ConsentStatus::Active
    }
}

/// A person as entered: the national identity number and the name.
// `Debug` shows neither (implemented below).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonInput {
    /// Fødselsnummer or D-number, 11 digits (a space after the date is allowed).
    #[cfg_attr(feature = "openapi", schema(example = "12838599912"))]
    pub national_id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Demo Innbygger Solberg", max_length = 200)
    )]
    pub name: String,
}

/// The body of recording a consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewConsent {
    /// The processing activity consented to; it must rest on consent.
    pub activity_id: Uuid,
    /// The person the data are about.
    pub subject: PersonInput,
    pub given_by: ConsentGiver,
    /// Required when a guardian consents, and only then.
    #[serde(default)]
    pub guardian: Option<PersonInput>,
    /// When the consent was given.
    pub given_at: DateTime<Utc>,
    pub channel: ConsentChannel,
    /// The wording consented to, or the name and version of the form: what the person was
    /// told and agreed to. No national identity numbers.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Samtykkeskjema for bilder i barnehagen, versjon 2026-1: bilder på avdelingens vegg og i foreldreappen.",
            max_length = 4000
        )
    )]
    pub statement: String,
}

/// A person as checked. `Debug` shows neither the number nor the name.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub national_id: NationalId,
    pub name: String,
}

/// What is kept sealed: who the consent is about and who gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentParties {
    pub subject: Person,
    #[serde(default)]
    pub guardian: Option<Person>,
}

/// A consent as checked, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedConsent {
    pub activity_id: Uuid,
    pub parties: ConsentParties,
    pub given_by: ConsentGiver,
    pub given_at: DateTime<Utc>,
    pub channel: ConsentChannel,
    pub statement: String,
    /// For a guardian's consent: the day the child reaches the age for own consent.
    pub renewal_due_on: Option<NaiveDate>,
}

impl std::fmt::Debug for PersonInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonInput([redacted])")
    }
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Person([redacted])")
    }
}

impl std::fmt::Debug for ConsentLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentLookup")
            .field("national_id", &"[redacted]")
            .field("activity_id", &self.activity_id)
            .finish()
    }
}

fn person(
    errors: &mut Vec<FieldError>,
    field: &str,
    input: &PersonInput,
) -> Option<(NationalId, NaiveDate, String)> {
    let name = input.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new(&format!("{field}.name"), "required"));
    } else if name.chars().count() > MAX_NAME {
        errors.push(FieldError::new(&format!("{field}.name"), "too_long"));
    }
    let id_field = format!("{field}.national_id");
    let id = match NationalId::parse(&input.national_id) {
        Ok(id) => id,
        Err(e) => {
            errors.push(FieldError::new(&id_field, e.code()));
            return None;
        }
    };
    let Some(born) = id.birth_date() else {
        errors.push(FieldError::new(&id_field, "national_id_date"));
        return None;
    };
    (!name.is_empty()).then(|| (id, born, name.to_owned()))
}

/// Checks a consent for `activity` (its facts as stored) given at `now`.
///
/// The activity must rest on consent and not be discontinued. The subject's age on the day
/// of consent (Norwegian time) decides who consents: from the activity's age for own consent
/// the subject themselves, below it a guardian of age who is not the subject.
pub fn check_consent(
    input: &NewConsent,
    activity: &ActivityFacts,
    now: DateTime<Utc>,
) -> Result<CheckedConsent, Vec<FieldError>> {
    let mut errors = Vec::new();
    if !activity.is_consent_based() {
        errors.push(FieldError::new("activity_id", "not_consent_based"));
    } else if activity.status == ActivityStatus::Discontinued {
        errors.push(FieldError::new("activity_id", "discontinued"));
    }
    if input.given_at > now + chrono::Duration::seconds(CLOCK_SKEW_SECONDS) {
        errors.push(FieldError::new("given_at", "in_future"));
    }
    if input.channel == ConsentChannel::Portal {
        errors.push(FieldError::new("channel", "portal_only_withdraws"));
    }
    let statement = input.statement.trim();
    if statement.is_empty() {
        errors.push(FieldError::new("statement", "required"));
    } else if statement.chars().count() > MAX_STATEMENT {
        errors.push(FieldError::new("statement", "too_long"));
    } else if mentions_national_id(statement) {
        errors.push(FieldError::new("statement", "contains_national_id"));
    }
    let given_on = oslo_date(input.given_at);
    let own_age = activity.own_consent_age();
    let subject = person(&mut errors, "subject", &input.subject);
    if let Some((_, born, _)) = &subject
        && given_on < *born
    {
        errors.push(FieldError::new("given_at", "before_birth"));
    }
    let age = subject.as_ref().map(|(_, born, _)| age_on(*born, given_on));
    let mut guardian = None;
    match input.given_by {
        ConsentGiver::Subject => {
            if input.guardian.is_some() {
                errors.push(FieldError::new("guardian", "not_expected"));
            }
            if age.is_some_and(|a| a < u32::from(own_age)) {
                errors.push(FieldError::new("given_by", "guardian_required"));
            }
        }
        ConsentGiver::Guardian => {
            if age.is_some_and(|a| a >= u32::from(own_age)) {
                errors.push(FieldError::new("given_by", "subject_consents_themselves"));
            }
            match &input.guardian {
                None => errors.push(FieldError::new("guardian", "required")),
                Some(g) => {
                    if let Some((id, born, name)) = person(&mut errors, "guardian", g) {
                        if subject.as_ref().is_some_and(|(s, _, _)| *s == id) {
                            errors.push(FieldError::new("guardian.national_id", "same_as_subject"));
                        } else if age_on(born, given_on) < u32::from(ADULT_AGE) {
                            errors.push(FieldError::new(
                                "guardian.national_id",
                                "guardian_not_of_age",
                            ));
                        }
                        guardian = Some(Person {
                            national_id: id,
                            name,
                        });
                    }
                }
            }
        }
    }
    let Some((id, born, name)) = subject else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let renewal_due_on =
        (input.given_by == ConsentGiver::Guardian).then(|| turns(born, u32::from(own_age)));
    Ok(CheckedConsent {
        activity_id: input.activity_id,
        parties: ConsentParties {
            subject: Person {
                national_id: id,
                name,
            },
            guardian,
        },
        given_by: input.given_by,
        given_at: input.given_at,
        channel: input.channel,
        statement: statement.to_owned(),
        renewal_due_on,
    })
}

/// The body of withdrawing a consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentWithdrawal {
    /// When the withdrawal was made.
    pub withdrawn_at: DateTime<Utc>,
    pub channel: ConsentChannel,
    /// The subject can always withdraw; a guardian while the subject is a child.
    pub withdrawn_by: ConsentGiver,
}

/// What a withdrawal is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsentState {
    pub given_at: DateTime<Utc>,
    pub withdrawn: bool,
    /// The subject's date of birth.
    pub subject_born: NaiveDate,
    /// Whether a guardian is on record (a guardian gave it).
    pub has_guardian: bool,
}

/// Checks a withdrawal. A withdrawn consent stays withdrawn (`status`: `withdrawn`, 409).
/// The channel `portal` is the resident's own withdrawal in the portal (`in_portal`); staff
/// recording one cannot claim it.
pub fn check_withdrawal(
    state: &ConsentState,
    input: &ConsentWithdrawal,
    in_portal: bool,
    now: DateTime<Utc>,
) -> Result<(), Vec<FieldError>> {
    if state.withdrawn {
        return Err(vec![FieldError::new("status", "withdrawn")]);
    }
    let mut errors = Vec::new();
    if (input.channel == ConsentChannel::Portal) != in_portal {
        errors.push(FieldError::new("channel", "portal_only_by_resident"));
    }
    if input.withdrawn_at > now + chrono::Duration::seconds(CLOCK_SKEW_SECONDS) {
        errors.push(FieldError::new("withdrawn_at", "in_future"));
    } else if input.withdrawn_at < state.given_at {
        errors.push(FieldError::new("withdrawn_at", "before_consent"));
    }
    if input.withdrawn_by == ConsentGiver::Guardian {
        if !state.has_guardian {
            errors.push(FieldError::new("withdrawn_by", "no_guardian_on_record"));
        } else if age_on(state.subject_born, oslo_date(input.withdrawn_at)) >= u32::from(ADULT_AGE)
        {
            errors.push(FieldError::new("withdrawn_by", "subject_of_age"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A consent as the API shows it: the persons by name and masked number only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub activity_name: String,
    pub subject: PersonShown,
    pub given_by: ConsentGiver,
    pub guardian: Option<PersonShown>,
    pub given_at: DateTime<Utc>,
    pub channel: ConsentChannel,
    pub statement: String,
    pub status: ConsentStatus,
    /// For a guardian's consent: when the child reaches the age to consent on their own.
    pub renewal_due_on: Option<NaiveDate>,
    pub withdrawal: Option<WithdrawalShown>,
    pub recorded_at: DateTime<Utc>,
    /// The staff member who recorded it (display name).
    pub recorded_by: Option<String>,
}

/// A person on a consent: the name and the first six digits of the number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonShown {
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(example = "128385*****"))]
    pub national_id_masked: String,
}

impl From<&Person> for PersonShown {
    fn from(p: &Person) -> Self {
        Self {
            name: p.name.clone(),
            national_id_masked: p.national_id.masked(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WithdrawalShown {
    pub withdrawn_at: DateTime<Utc>,
    pub channel: ConsentChannel,
    pub withdrawn_by: ConsentGiver,
    /// The staff member who recorded it; empty when the resident withdrew in the portal.
    pub recorded_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentPage {
    pub items: Vec<Consent>,
    pub next_cursor: Option<String>,
}

/// A consent as the resident portal shows it to the subject or to the guardian who gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentConsent {
    #[serde(flatten)]
    pub consent: Consent,
    /// The municipality (or other organisation) that holds it.
    pub organization_name: String,
    /// Whether the logged-in resident is the subject or the guardian who gave it.
    pub resident_is: ConsentGiver,
    /// Whether the resident may withdraw it here: it counts, and a guardian only while the
    /// child is under 18.
    pub can_withdraw: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentConsentList {
    pub items: Vec<ResidentConsent>,
}

/// Whether `who` may withdraw a consent on `today`: the subject always while it counts; the
/// guardian while the subject is under 18.
pub fn may_withdraw(
    who: ConsentGiver,
    status: ConsentStatus,
    subject_born: NaiveDate,
    today: NaiveDate,
) -> bool {
    status.counts()
        && (who == ConsentGiver::Subject || age_on(subject_born, today) < u32::from(ADULT_AGE))
}

/// Looking a person up by number: their consents as the subject and those they gave as
/// guardian.
// `Debug` does not show the number (implemented below).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentLookup {
    #[cfg_attr(feature = "openapi", schema(example = "12838599912"))]
    pub national_id: String,
    /// Only consents to this activity.
    #[serde(default)]
    pub activity_id: Option<Uuid>,
}

/// The counts of an activity's consents, for the record of processing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentCounts {
    pub active: u64,
    pub renewal_due: u64,
    pub withdrawn: u64,
    /// The age from which a child consents on their own.
    pub consent_age: u8,
    /// Whether the activity rests on consent at all.
    pub consent_based: bool,
}

/// The columns of the export, in `lang`.
pub fn export_headers(lang: crate::register::record::RecordLang) -> Vec<&'static str> {
    use crate::register::record::RecordLang as L;
    let h: [&str; 14] = match lang {
        L::Nb => [
            "Behandling",
            "Status",
            "Den registrerte",
            "Fødselsnummer",
            "Gitt av",
            "Foresatt",
            "Foresattes fødselsnummer",
            "Gitt",
            "Kanal",
            "Samtykketekst",
            "Fornyes fra",
            "Trukket tilbake",
            "Trukket av",
            "Kanal for tilbaketrekking",
        ],
        L::Nn => [
            "Behandling",
            "Status",
            "Den registrerte",
            "Fødselsnummer",
            "Gitt av",
            "Føresett",
            "Føresette sitt fødselsnummer",
            "Gitt",
            "Kanal",
            "Samtykketekst",
            "Fornyast frå",
            "Trekt tilbake",
            "Trekt av",
            "Kanal for tilbaketrekking",
        ],
        L::En => [
            "Processing activity",
            "Status",
            "Data subject",
            "National identity number",
            "Given by",
            "Guardian",
            "Guardian's national identity number",
            "Given",
            "Channel",
            "Consent statement",
            "Renewal due from",
            "Withdrawn",
            "Withdrawn by",
            "Withdrawal channel",
        ],
    };
    h.to_vec()
}

/// Words for the export's values.
pub fn word(key: &str, lang: crate::register::record::RecordLang) -> &'static str {
    use crate::register::record::RecordLang as L;
    match (key, lang) {
        ("active", L::En) => "Active",
        ("active", _) => "Gyldig",
        ("renewal_due", L::En) => "Renewal due",
        ("renewal_due", L::Nb) => "Må fornyes",
        ("renewal_due", L::Nn) => "Må fornyast",
        ("withdrawn", L::En) => "Withdrawn",
        ("withdrawn", L::Nb) => "Trukket tilbake",
        ("withdrawn", L::Nn) => "Trekt tilbake",
        ("subject", L::En) => "The data subject",
        ("subject", _) => "Den registrerte",
        ("guardian", L::En) => "Guardian",
        ("guardian", L::Nb) => "Foresatt",
        ("guardian", L::Nn) => "Føresett",
        ("paper", L::En) => "Paper form",
        ("paper", _) => "Papirskjema",
        ("digital_form", L::En) => "Digital form",
        ("digital_form", _) => "Digitalt skjema",
        ("in_person", L::En) => "In person",
        ("in_person", L::Nb) => "Muntlig ved oppmøte",
        ("in_person", L::Nn) => "Munnleg ved oppmøte",
        ("email", L::En) => "E-mail",
        ("email", _) => "E-post",
        ("portal", L::En) => "Resident portal",
        ("portal", _) => "Innbyggerportalen",
        _ => "",
    }
}

/// One consent as an export row: full numbers (the export is the organisation's evidence).
#[derive(Debug, Clone)]
pub struct ExportEntry<'a> {
    pub activity_name: &'a str,
    pub status: ConsentStatus,
    pub parties: &'a ConsentParties,
    pub given_by: ConsentGiver,
    pub given_at: DateTime<Utc>,
    pub channel: ConsentChannel,
    pub statement: &'a str,
    pub renewal_due_on: Option<NaiveDate>,
    pub withdrawn: Option<(DateTime<Utc>, ConsentGiver, ConsentChannel)>,
}

pub fn export_row(e: &ExportEntry<'_>, lang: crate::register::record::RecordLang) -> Vec<String> {
    let time = |t: DateTime<Utc>| crate::incidents::report::local_time(t);
    let guardian = e.parties.guardian.as_ref();
    vec![
        e.activity_name.to_owned(),
        word(e.status.as_str(), lang).to_owned(),
        e.parties.subject.name.clone(),
        e.parties.subject.national_id.expose(),
        word(e.given_by.as_str(), lang).to_owned(),
        guardian.map(|g| g.name.clone()).unwrap_or_default(),
        guardian.map(|g| g.national_id.expose()).unwrap_or_default(),
        time(e.given_at),
        word(e.channel.as_str(), lang).to_owned(),
        e.statement.to_owned(),
        e.renewal_due_on.map(|d| d.to_string()).unwrap_or_default(),
        e.withdrawn.map(|(t, _, _)| time(t)).unwrap_or_default(),
        e.withdrawn
            .map(|(_, by, _)| word(by.as_str(), lang).to_owned())
            .unwrap_or_default(),
        e.withdrawn
            .map(|(_, _, c)| word(c.as_str(), lang).to_owned())
            .unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::synthetic;
    use crate::register::activity::LegalBasisPair;
    use crate::register::taxonomy::LegalBasis;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn id(day: u8, month: u8, year: u8, individual: u16) -> NationalId {
        (individual..individual + 40)
            .find_map(|i| synthetic(day, month, year, i))
            .expect("a synthetic number")
    }

    fn consent_activity() -> ActivityFacts {
        let mut f = crate::register::activity::tests::sample();
        f.legal_bases = vec![LegalBasisPair {
            basis: LegalBasis::Consent,
            national_law: String::new(),
        }];
        f.public_task = false;
        f.status = ActivityStatus::Active;
        f
    }

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
    }

    fn now() -> DateTime<Utc> {
        at(2026, 12, 1)
    }

    /// A child born 1 September 2015 (11 in December 2026), by a parent born in 1985.
    fn by_guardian() -> NewConsent {
        NewConsent {
            activity_id: Uuid::nil(),
            subject: PersonInput {
                national_id: id(1, 9, 15, 500).expose(),
                name: " Demo Barn Solberg ".into(),
            },
            given_by: ConsentGiver::Guardian,
            guardian: Some(PersonInput {
                national_id: id(12, 3, 85, 101).expose(),
                name: "Demo Forelder Solberg".into(),
            }),
            given_at: at(2026, 11, 20),
            channel: ConsentChannel::Paper,
            statement: "Bilder i barnehagen, skjema versjon 2026-1".into(),
        }
    }

    fn codes(r: Result<CheckedConsent, Vec<FieldError>>) -> Vec<(String, String)> {
        r.expect_err("refused")
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_guardian_consents_for_a_child_and_renewal_falls_due_when_the_child_turns_the_age() {
        let c = check_consent(&by_guardian(), &consent_activity(), now()).expect("valid");
        assert_eq!(c.parties.subject.name, "Demo Barn Solberg");
        assert_eq!(c.given_by, ConsentGiver::Guardian);
        // Default age 15: 1 September 2030.
        assert_eq!(c.renewal_due_on, NaiveDate::from_ymd_opt(2030, 9, 1));
        let mut a = consent_activity();
        a.consent_age = Some(13);
        let c = check_consent(&by_guardian(), &a, now()).expect("valid");
        assert_eq!(c.renewal_due_on, NaiveDate::from_ymd_opt(2028, 9, 1));
    }

    #[test]
    fn the_childs_age_on_the_day_decides_who_consents() {
        // The child cannot consent on their own at 11.
        let mut own = by_guardian();
        own.given_by = ConsentGiver::Subject;
        own.guardian = None;
        assert_eq!(
            codes(check_consent(&own, &consent_activity(), now())),
            vec![("given_by".into(), "guardian_required".into())]
        );
        // An adult consents on their own; a guardian cannot consent for them.
        let mut adult = by_guardian();
        adult.subject.national_id = id(12, 3, 85, 101).expose();
        adult.guardian = Some(PersonInput {
            national_id: id(5, 5, 60, 200).expose(),
            name: "Demo Forelder".into(),
        });
        assert_eq!(
            codes(check_consent(&adult, &consent_activity(), now())),
            vec![("given_by".into(), "subject_consents_themselves".into())]
        );
        adult.given_by = ConsentGiver::Subject;
        adult.guardian = None;
        let c = check_consent(&adult, &consent_activity(), now()).expect("valid");
        assert_eq!(c.renewal_due_on, None);
        assert_eq!(c.parties.guardian, None);
    }

    #[test]
    fn a_guardian_must_be_of_age_and_someone_else() {
        let mut same = by_guardian();
        same.guardian.as_mut().unwrap().national_id = same.subject.national_id.clone();
        assert_eq!(
            codes(check_consent(&same, &consent_activity(), now())),
            vec![("guardian.national_id".into(), "same_as_subject".into())]
        );
        let mut young = by_guardian();
        young.guardian.as_mut().unwrap().national_id = id(1, 1, 10, 600).expose();
        assert_eq!(
            codes(check_consent(&young, &consent_activity(), now())),
            vec![("guardian.national_id".into(), "guardian_not_of_age".into())]
        );
        let mut missing = by_guardian();
        missing.guardian = None;
        assert_eq!(
            codes(check_consent(&missing, &consent_activity(), now())),
            vec![("guardian".into(), "required".into())]
        );
    }

    #[test]
    fn only_an_activity_based_on_consent_takes_consents() {
        let mut public = consent_activity();
        public.legal_bases[0].basis = LegalBasis::PublicTask;
        assert_eq!(
            codes(check_consent(&by_guardian(), &public, now())),
            vec![("activity_id".into(), "not_consent_based".into())]
        );
        // Explicit consent for a special category counts.
        public.data_categories[1].art9_condition =
            Some(crate::register::taxonomy::Art9Condition::ExplicitConsent);
        assert!(check_consent(&by_guardian(), &public, now()).is_ok());
        let mut gone = consent_activity();
        gone.status = ActivityStatus::Discontinued;
        assert_eq!(
            codes(check_consent(&by_guardian(), &gone, now())),
            vec![("activity_id".into(), "discontinued".into())]
        );
    }

    #[test]
    fn bad_input_is_refused_field_by_field() {
        let mut c = by_guardian();
        c.subject.national_id = "12345678901".into();
        c.given_at = at(2027, 1, 1);
        c.statement = "Gjelder 02813299952".into();
        c.channel = ConsentChannel::Portal;
        let got = codes(check_consent(&c, &consent_activity(), now()));
        assert!(
            got.contains(&("given_at".into(), "in_future".into())),
            "{got:?}"
        );
        assert!(got.contains(&("statement".into(), "contains_national_id".into())));
        assert!(got.contains(&("channel".into(), "portal_only_withdraws".into())));
        assert!(got.contains(&(
            "subject.national_id".into(),
            "national_id_check_digits".into()
        )));
        // Given before the child was born.
        let mut early = by_guardian();
        early.given_at = at(2015, 1, 1);
        assert!(
            codes(check_consent(&early, &consent_activity(), now()))
                .contains(&("given_at".into(), "before_birth".into()))
        );
    }

    fn state(withdrawn: bool, has_guardian: bool) -> ConsentState {
        ConsentState {
            given_at: at(2026, 11, 20),
            withdrawn,
            subject_born: NaiveDate::from_ymd_opt(2015, 9, 1).unwrap(),
            has_guardian,
        }
    }

    #[test]
    fn a_withdrawal_is_once_after_the_consent_and_by_someone_entitled() {
        let w = ConsentWithdrawal {
            withdrawn_at: at(2026, 11, 30),
            channel: ConsentChannel::Email,
            withdrawn_by: ConsentGiver::Guardian,
        };
        assert_eq!(
            check_withdrawal(&state(false, true), &w, false, now()),
            Ok(())
        );
        assert_eq!(
            check_withdrawal(&state(true, true), &w, false, now()),
            Err(vec![FieldError::new("status", "withdrawn")])
        );
        assert_eq!(
            check_withdrawal(&state(false, false), &w, false, now()),
            Err(vec![FieldError::new(
                "withdrawn_by",
                "no_guardian_on_record"
            )])
        );
        let early = ConsentWithdrawal {
            withdrawn_at: at(2026, 11, 1),
            ..w.clone()
        };
        assert_eq!(
            check_withdrawal(&state(false, true), &early, false, now()),
            Err(vec![FieldError::new("withdrawn_at", "before_consent")])
        );
        // Once the subject is 18 the guardian no longer speaks for them; they do.
        let later = ConsentWithdrawal {
            withdrawn_at: at(2033, 9, 2),
            ..w.clone()
        };
        assert_eq!(
            check_withdrawal(&state(false, true), &later, false, at(2034, 1, 1)),
            Err(vec![FieldError::new("withdrawn_by", "subject_of_age")])
        );
        let own = ConsentWithdrawal {
            withdrawn_by: ConsentGiver::Subject,
            ..later
        };
        assert_eq!(
            check_withdrawal(&state(false, true), &own, false, at(2034, 1, 1)),
            Ok(())
        );
        // Only the resident's own withdrawal in the portal has the portal as its channel.
        let claimed = ConsentWithdrawal {
            channel: ConsentChannel::Portal,
            ..own
        };
        assert_eq!(
            check_withdrawal(&state(false, true), &claimed, false, at(2034, 1, 1)),
            Err(vec![FieldError::new("channel", "portal_only_by_resident")])
        );
        assert_eq!(
            check_withdrawal(&state(false, true), &claimed, true, at(2034, 1, 1)),
            Ok(())
        );
    }

    #[test]
    fn a_withdrawn_consent_no_longer_counts_whatever_its_renewal_date() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(status_on(false, None, today), ConsentStatus::Active);
        assert_eq!(
            status_on(false, NaiveDate::from_ymd_opt(2026, 12, 1), today),
            ConsentStatus::RenewalDue
        );
        assert_eq!(
            status_on(false, NaiveDate::from_ymd_opt(2026, 12, 2), today),
            ConsentStatus::Active
        );
        assert!(!status_on(true, None, today).counts());
        assert!(ConsentStatus::RenewalDue.counts());
    }

    #[test]
    fn the_export_has_full_numbers_and_words_in_the_language() {
        let c = check_consent(&by_guardian(), &consent_activity(), now()).expect("valid");
        let entry = ExportEntry {
            activity_name: "Bilder i barnehagen",
            status: ConsentStatus::Withdrawn,
            parties: &c.parties,
            given_by: c.given_by,
            given_at: c.given_at,
            channel: c.channel,
            statement: &c.statement,
            renewal_due_on: c.renewal_due_on,
            withdrawn: Some((
                at(2026, 11, 30),
                ConsentGiver::Guardian,
                ConsentChannel::Email,
            )),
        };
        let row = export_row(&entry, crate::register::record::RecordLang::Nn);
        assert_eq!(
            row.len(),
            export_headers(crate::register::record::RecordLang::Nn).len()
        );
        assert_eq!(row[1], "Trekt tilbake");
        assert_eq!(row[3], c.parties.subject.national_id.expose());
        assert_eq!(row[4], "Føresett");
        assert_eq!(row[13], "E-post");
    }

    #[test]
    fn debug_output_shows_no_names_or_numbers() {
        let input = by_guardian();
        let checked = check_consent(&input, &consent_activity(), now()).expect("valid");
        for shown in [format!("{input:?}"), format!("{checked:?}")] {
            assert!(!shown.contains("Solberg"), "{shown}");
            assert!(!shown.contains(&input.subject.national_id), "{shown}");
        }
        let lookup = ConsentLookup {
            national_id: input.subject.national_id.clone(),
            activity_id: None,
        };
        assert!(!format!("{lookup:?}").contains(&input.subject.national_id));
    }

    #[test]
    fn in_the_portal_the_guardian_withdraws_only_for_a_child() {
        let born = NaiveDate::from_ymd_opt(2010, 6, 1).unwrap();
        let day = |y| NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
        let active = ConsentStatus::Active;
        assert!(may_withdraw(
            ConsentGiver::Guardian,
            active,
            born,
            day(2027)
        ));
        assert!(!may_withdraw(
            ConsentGiver::Guardian,
            active,
            born,
            day(2028)
        ));
        assert!(may_withdraw(ConsentGiver::Subject, active, born, day(2040)));
        assert!(!may_withdraw(
            ConsentGiver::Subject,
            ConsentStatus::Withdrawn,
            born,
            day(2027)
        ));
        assert!(may_withdraw(
            ConsentGiver::Guardian,
            ConsentStatus::RenewalDue,
            born,
            day(2026)
        ));
    }

    proptest! {
        /// For any child and any day, exactly one of the two givers is accepted: the subject
        /// from the age for own consent, a guardian below it.
        #[test]
        fn exactly_one_giver_is_accepted_on_any_day(
            born_days in 0i64..(365 * 24), given_days in 0i64..(365 * 24), age in 13u8..=18,
        ) {
            let start = NaiveDate::from_ymd_opt(2003, 1, 1).unwrap();
            let born = start + chrono::Duration::days(born_days);
            let given = born + chrono::Duration::days(given_days);
            let given_at = Utc.from_utc_datetime(&given.and_hms_opt(12, 0, 0).unwrap());
            use chrono::Datelike;
            let subject = (500..540).find_map(|i| synthetic(
                u8::try_from(born.day()).unwrap(), u8::try_from(born.month()).unwrap(),
                u8::try_from(born.year() % 100).unwrap(), i));
            prop_assume!(subject.is_some());
            let subject = subject.unwrap();
            let mut activity = consent_activity();
            activity.consent_age = Some(age);
            let mut c = by_guardian();
            c.subject.national_id = subject.expose();
            // A guardian of age on every day the strategy can pick (born 1960).
            c.guardian.as_mut().unwrap().national_id = id(5, 5, 60, 200).expose();
            c.given_at = given_at;
            let now = given_at + chrono::Duration::days(1);
            let guardian_ok = check_consent(&c, &activity, now).is_ok();
            c.given_by = ConsentGiver::Subject;
            c.guardian = None;
            let own_ok = check_consent(&c, &activity, now).is_ok();
            prop_assert!(guardian_ok != own_ok);
            prop_assert_eq!(own_ok, age_on(born, given) >= u32::from(age));
        }

        /// A withdrawn consent never counts, and a consent not withdrawn always does.
        #[test]
        fn counting_follows_withdrawal_only(
            withdrawn: bool, due in proptest::option::of(0i64..20_000), today in 0i64..20_000,
        ) {
            let base = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
            let s = status_on(
                withdrawn,
                due.map(|d| base + chrono::Duration::days(d)),
                base + chrono::Duration::days(today),
            );
            prop_assert_eq!(s.counts(), !withdrawn);
        }
    }
}
