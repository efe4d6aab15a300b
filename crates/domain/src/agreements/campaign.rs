//! Campaigns: one controller (an authority, or a municipality towards its vendors) sends the
//! same agreement to many organisations with one deadline, and follows each one: not yet
//! opened, in review, signed, overdue. Each recipient gets an agreement of its own, drafted
//! from the same terms and the register's facts about that recipient.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::lifecycle::AgreementStatus;
use super::terms::{AgreementTerms, Authorisation, EndOfContract, StatedScope, check_terms};
use uuid::Uuid;

use super::view::AgreementParty;
use crate::OrganizationId;
use crate::problem::FieldError;
use crate::register::Errors;

/// The most organisations one campaign reaches: every municipality, with room to spare.
pub const MAX_RECIPIENTS: usize = 1000;
/// The longest a campaign may run.
pub const MAX_DAYS: i64 = 366;

/// The terms every recipient's agreement is drafted from: an agreement's terms without a
/// processor (each recipient is one) and without systems (the recipients' own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignTerms {
    pub title: String,
    pub template: String,
    #[serde(default)]
    pub nature: String,
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    pub review_date: Option<NaiveDate>,
    pub authorisation: Authorisation,
    #[serde(default)]
    pub notice_period_days: Option<u32>,
    #[serde(default)]
    pub breach_notice_hours: Option<u32>,
    #[serde(default)]
    pub end_of_contract: Option<EndOfContract>,
    #[serde(default)]
    pub audit_procedure: String,
    #[serde(default)]
    pub instructions: String,
    #[serde(default)]
    pub other_terms: String,
    #[serde(default)]
    pub controller_contact: String,
    #[serde(default)]
    pub controller_address: String,
    /// The recipients' contact point, the same words for all (e.g. "the municipality's
    /// data protection officer").
    #[serde(default)]
    pub processor_contact: String,
    #[serde(default)]
    pub scope: StatedScope,
}

impl CampaignTerms {
    /// The terms of one recipient's agreement.
    pub fn for_recipient(&self, processor: OrganizationId) -> AgreementTerms {
        AgreementTerms {
            title: self.title.clone(),
            template: self.template.clone(),
            processor_id: processor,
            system_ids: Vec::new(),
            nature: self.nature.clone(),
            start_date: self.start_date,
            end_date: self.end_date,
            review_date: self.review_date,
            authorisation: self.authorisation,
            notice_period_days: self.notice_period_days,
            breach_notice_hours: self.breach_notice_hours,
            end_of_contract: self.end_of_contract,
            audit_procedure: self.audit_procedure.clone(),
            instructions: self.instructions.clone(),
            other_terms: self.other_terms.clone(),
            controller_contact: self.controller_contact.clone(),
            controller_address: self.controller_address.clone(),
            processor_contact: self.processor_contact.clone(),
            processor_address: String::new(),
            change_note: String::new(),
            scope: self.scope.clone(),
        }
    }

    fn from_checked(t: AgreementTerms) -> Self {
        Self {
            title: t.title,
            template: t.template,
            nature: t.nature,
            start_date: t.start_date,
            end_date: t.end_date,
            review_date: t.review_date,
            authorisation: t.authorisation,
            notice_period_days: t.notice_period_days,
            breach_notice_hours: t.breach_notice_hours,
            end_of_contract: t.end_of_contract,
            audit_procedure: t.audit_procedure,
            instructions: t.instructions,
            other_terms: t.other_terms,
            controller_contact: t.controller_contact,
            controller_address: t.controller_address,
            processor_contact: t.processor_contact,
            scope: t.scope,
        }
    }
}

/// A campaign as the sender asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCampaign {
    /// The last day to sign.
    pub deadline: NaiveDate,
    /// The organisations that receive the agreement (each becomes the processor of its own).
    pub recipient_ids: Vec<OrganizationId>,
    pub terms: CampaignTerms,
}

/// Checks a campaign: terms as for any agreement, a deadline after today and within a
/// year, one to `MAX_RECIPIENTS` recipients (duplicates dropped) that do not include the
/// sender. Field names are those of `NewCampaign`.
pub fn check_campaign(
    input: &NewCampaign,
    sender: OrganizationId,
    today: NaiveDate,
    known_template: impl Fn(&str) -> bool,
) -> Result<NewCampaign, Vec<FieldError>> {
    let mut e = Errors::default();
    let terms = match check_terms(&input.terms.for_recipient(sender), known_template) {
        Ok(t) => Some(CampaignTerms::from_checked(t)),
        Err(errors) => {
            for f in errors {
                e.add(format!("terms.{}", f.field), &f.code);
            }
            None
        }
    };
    if input.deadline <= today {
        e.add("deadline", "not_in_future");
    } else if (input.deadline - today).num_days() > MAX_DAYS {
        e.add("deadline", "too_far");
    }
    let mut recipients: Vec<OrganizationId> = Vec::new();
    if input.recipient_ids.is_empty() {
        e.add("recipient_ids", "required");
    } else if input.recipient_ids.len() > MAX_RECIPIENTS {
        e.add("recipient_ids", "too_many");
    }
    for (i, r) in input.recipient_ids.iter().enumerate() {
        if *r == sender {
            e.add(format!("recipient_ids[{i}]"), "is_sender");
        } else if !recipients.contains(r) {
            recipients.push(*r);
        }
    }
    let checked = NewCampaign {
        deadline: input.deadline,
        recipient_ids: recipients,
        terms: terms.unwrap_or_else(|| input.terms.clone()),
    };
    e.finish(checked)
}

/// Where one recipient stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecipientState {
    /// Nobody at the recipient has opened the agreement yet.
    NotOpened,
    /// Opened, not signed, deadline not passed.
    InReview,
    /// The recipient has signed (the agreement may await the sender's signature).
    Signed,
    /// Not signed by the end of the deadline day.
    Overdue,
    /// The sender ended this recipient's agreement before it was signed.
    Withdrawn,
}

impl RecipientState {
    pub const ALL: [Self; 5] = [
        Self::NotOpened,
        Self::InReview,
        Self::Signed,
        Self::Overdue,
        Self::Withdrawn,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotOpened => "not_opened",
            Self::InReview => "in_review",
            Self::Signed => "signed",
            Self::Overdue => "overdue",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == input)
    }

    /// Whether a reminder makes sense: the recipient still has to act.
    pub const fn awaits_recipient(self) -> bool {
        matches!(self, Self::NotOpened | Self::InReview | Self::Overdue)
    }
}

/// The state of one recipient, from its agreement's status, whether the recipient has
/// signed the version in force, whether anyone there has opened it, and the deadline
/// (the whole day, Oslo time, counts).
pub fn recipient_state(
    status: AgreementStatus,
    recipient_signed: bool,
    opened: bool,
    deadline: NaiveDate,
    today: NaiveDate,
) -> RecipientState {
    use AgreementStatus as S;
    if recipient_signed || matches!(status, S::Active | S::Superseded | S::Expired) {
        return RecipientState::Signed;
    }
    if matches!(status, S::Terminated) {
        return RecipientState::Withdrawn;
    }
    if today > deadline {
        RecipientState::Overdue
    } else if opened {
        RecipientState::InReview
    } else {
        RecipientState::NotOpened
    }
}

/// How many recipients stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignCounts {
    pub total: u32,
    pub not_opened: u32,
    pub in_review: u32,
    pub signed: u32,
    pub overdue: u32,
    pub withdrawn: u32,
}

impl CampaignCounts {
    pub fn tally(states: impl IntoIterator<Item = RecipientState>) -> Self {
        let mut c = Self::default();
        for s in states {
            c.total += 1;
            match s {
                RecipientState::NotOpened => c.not_opened += 1,
                RecipientState::InReview => c.in_review += 1,
                RecipientState::Signed => c.signed += 1,
                RecipientState::Overdue => c.overdue += 1,
                RecipientState::Withdrawn => c.withdrawn += 1,
            }
        }
        c
    }
}

/// A campaign as its sender sees it, with where its recipients stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    pub id: Uuid,
    /// The sender (the controller of every agreement in it).
    pub organization: AgreementParty,
    pub title: String,
    pub deadline: NaiveDate,
    pub template: String,
    pub counts: CampaignCounts,
    pub created_at: DateTime<Utc>,
    pub terms: CampaignTerms,
}

/// A campaign in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignSummary {
    pub id: Uuid,
    pub title: String,
    pub deadline: NaiveDate,
    pub counts: CampaignCounts,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignPage {
    pub items: Vec<CampaignSummary>,
    pub next_cursor: Option<String>,
}

/// One recipient of a campaign and its agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignRecipient {
    pub organization: AgreementParty,
    pub agreement_id: Uuid,
    pub agreement_status: AgreementStatus,
    pub state: RecipientState,
    /// When someone at the recipient first opened the agreement.
    pub opened_at: Option<DateTime<Utc>>,
    /// When the recipient signed.
    pub signed_at: Option<DateTime<Utc>>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub reminders: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignRecipientPage {
    pub items: Vec<CampaignRecipient>,
    pub next_cursor: Option<String>,
}

/// What a reminder round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderRound {
    /// Recipients reminded: those that had not signed.
    pub reminded: u32,
}

/// The campaign an agreement came from, as its recipient sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementCampaign {
    pub id: Uuid,
    pub deadline: NaiveDate,
    pub reminded_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn org(n: u128) -> OrganizationId {
        OrganizationId::from(Uuid::from_u128(n))
    }

    fn terms() -> CampaignTerms {
        CampaignTerms {
            title: "Databehandleravtale for introduksjonsprogrammet".into(),
            template: "state-nb".into(),
            nature: "Registrering og oppfølging av deltakere".into(),
            start_date: Some(day(2027, 1, 1)),
            end_date: None,
            review_date: Some(day(2028, 1, 1)),
            authorisation: Authorisation::Specific,
            notice_period_days: None,
            breach_notice_hours: Some(24),
            end_of_contract: Some(EndOfContract::Return),
            audit_procedure: "Egenrapportering hvert år".into(),
            instructions: String::new(),
            other_terms: String::new(),
            controller_contact: "personvern@example.org".into(),
            controller_address: String::new(),
            processor_contact: "Kommunens personvernombud".into(),
            scope: StatedScope::default(),
        }
    }

    fn campaign(recipients: Vec<OrganizationId>, deadline: NaiveDate) -> NewCampaign {
        NewCampaign {
            deadline,
            recipient_ids: recipients,
            terms: terms(),
        }
    }

    fn codes(r: Result<NewCampaign, Vec<FieldError>>) -> Vec<(String, String)> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    const TODAY: (i32, u32, u32) = (2026, 12, 1);

    fn today() -> NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn a_good_campaign_passes_with_duplicates_dropped() {
        let c = campaign(vec![org(2), org(3), org(2)], day(2027, 1, 15));
        let checked = check_campaign(&c, org(1), today(), |k| k == "state-nb").unwrap();
        assert_eq!(checked.recipient_ids, vec![org(2), org(3)]);
        assert_eq!(checked.terms.title, c.terms.title);
    }

    #[test]
    fn deadline_recipients_and_terms_are_checked_with_their_field_names() {
        let mut c = campaign(vec![], today());
        c.terms.title = " ".into();
        c.terms.notice_period_days = Some(0);
        let got = codes(check_campaign(&c, org(1), today(), |_| true));
        assert!(
            got.contains(&("deadline".into(), "not_in_future".into())),
            "{got:?}"
        );
        assert!(got.contains(&("recipient_ids".into(), "required".into())));
        assert!(got.contains(&("terms.title".into(), "required".into())));
        assert!(got.contains(&("terms.notice_period_days".into(), "out_of_range".into())));

        let c = campaign(vec![org(2), org(1)], day(2028, 6, 1));
        let got = codes(check_campaign(&c, org(1), today(), |_| true));
        assert!(
            got.contains(&("deadline".into(), "too_far".into())),
            "{got:?}"
        );
        assert!(got.contains(&("recipient_ids[1]".into(), "is_sender".into())));

        let c = campaign(
            (0..=MAX_RECIPIENTS as u128).map(|n| org(n + 10)).collect(),
            day(2027, 1, 15),
        );
        let got = codes(check_campaign(&c, org(1), today(), |_| true));
        assert!(got.contains(&("recipient_ids".into(), "too_many".into())));

        let c = campaign(vec![org(2)], day(2027, 1, 15));
        let got = codes(check_campaign(&c, org(1), today(), |_| false));
        assert_eq!(
            got,
            vec![("terms.template".to_owned(), "unknown".to_owned())]
        );
    }

    #[test]
    fn each_recipient_is_the_processor_of_its_own_agreement() {
        let t = terms().for_recipient(org(7));
        assert_eq!(t.processor_id, org(7));
        assert!(t.system_ids.is_empty());
        assert_eq!(t.processor_contact, "Kommunens personvernombud");
        assert_eq!(t.title, terms().title);
    }

    #[test]
    fn states_follow_signature_opening_and_deadline() {
        use AgreementStatus as S;
        let deadline = day(2027, 1, 15);
        let before = day(2027, 1, 10);
        let on = deadline;
        let after = day(2027, 1, 16);
        assert_eq!(
            recipient_state(S::Sent, false, false, deadline, before),
            RecipientState::NotOpened
        );
        assert_eq!(
            recipient_state(S::Sent, false, true, deadline, on),
            RecipientState::InReview,
            "the deadline day itself still counts"
        );
        assert_eq!(
            recipient_state(S::Sent, false, true, deadline, after),
            RecipientState::Overdue
        );
        assert_eq!(
            recipient_state(S::PartiallySigned, true, true, deadline, after),
            RecipientState::Signed
        );
        assert_eq!(
            recipient_state(S::Active, true, true, deadline, before),
            RecipientState::Signed
        );
        assert_eq!(
            recipient_state(S::Terminated, false, true, deadline, after),
            RecipientState::Withdrawn
        );
        // The sender alone signed: the recipient still has to.
        assert_eq!(
            recipient_state(S::PartiallySigned, false, true, deadline, before),
            RecipientState::InReview
        );
    }

    #[test]
    fn state_names_round_trip_and_only_waiting_recipients_are_reminded() {
        for s in RecipientState::ALL {
            assert_eq!(RecipientState::parse(s.as_str()), Some(s));
        }
        assert!(!RecipientState::Signed.awaits_recipient());
        assert!(!RecipientState::Withdrawn.awaits_recipient());
        assert!(RecipientState::Overdue.awaits_recipient());
    }

    fn any_status() -> impl Strategy<Value = AgreementStatus> {
        proptest::sample::select(AgreementStatus::ALL.to_vec())
    }

    proptest! {
        /// A signature always counts as signed, however late; nothing unsigned is ever
        /// counted signed unless the agreement came into force; overdue only after the
        /// deadline day.
        #[test]
        fn signed_wins_and_overdue_only_after_the_deadline(
            status in any_status(),
            signed in any::<bool>(),
            opened in any::<bool>(),
            offset in -60i64..60,
        ) {
            let deadline = day(2027, 3, 31);
            let today = deadline + chrono::Duration::days(offset);
            let state = recipient_state(status, signed, opened, deadline, today);
            if signed {
                prop_assert_eq!(state, RecipientState::Signed);
            }
            if state == RecipientState::Overdue {
                prop_assert!(offset > 0 && !signed);
            }
            if state == RecipientState::NotOpened {
                prop_assert!(!opened && offset <= 0);
            }
        }

        #[test]
        fn the_counts_add_up(states in proptest::collection::vec(0usize..5, 0..50)) {
            let states: Vec<RecipientState> =
                states.into_iter().map(|i| RecipientState::ALL[i]).collect();
            let c = CampaignCounts::tally(states.iter().copied());
            prop_assert_eq!(c.total as usize, states.len());
            prop_assert_eq!(
                c.not_opened + c.in_review + c.signed + c.overdue + c.withdrawn,
                c.total
            );
        }
    }
}
