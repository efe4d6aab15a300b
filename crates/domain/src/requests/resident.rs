//! The resident's side of a request: what they submit after logging in, what they are told as
//! the case moves (notices), and the secure window in which they read the outcome — only
//! after a fresh login, only until the window closes, after which the contents are purged.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::case::CaseStatus;
use super::kind::{Channel, RefusalGround, RequestKind};
use super::view::{CaseEventKind, NewRequest, Requester, ValidRequest, check_request};
use crate::person::NationalId;
use crate::problem::FieldError;

/// The most days a municipality may keep an answer readable.
pub const MAX_WINDOW_DAYS: i32 = 365;

/// A request as the resident writes it in the portal. Who they are comes from their login,
/// never from the form.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentSubmission {
    /// The municipality the request goes to.
    pub organization_id: Uuid,
    pub kind: RequestKind,
    /// Their name, as the municipality should address them.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Kari Testesen", max_length = 200)
    )]
    pub name: String,
    /// Where to tell them that something has happened (never the answer itself).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "kari@example.org"))]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// What they ask for, in their words.
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub description: String,
    /// Who they are to the municipality (taxonomy keys: `dpv:Parent` …), when they say.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = json!(["dpv:Parent"]), max_items = 10))]
    pub subject_categories: Vec<String>,
}

// `Debug` shows none of it.
impl std::fmt::Debug for ResidentSubmission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResidentSubmission")
            .field("organization_id", &self.organization_id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Checks a portal submission: the rules of a request, the national id from the login,
/// received today, through the portal (which reaches the resident, so no contact detail is
/// required).
pub fn check_submission(
    input: &ResidentSubmission,
    national_id: &NationalId,
    today: NaiveDate,
) -> Result<ValidRequest, Vec<FieldError>> {
    let request = NewRequest {
        kind: input.kind,
        channel: Channel::Portal,
        received_on: Some(today),
        requester: Requester {
            name: input.name.clone(),
            national_id: Some(national_id.expose()),
            email: input.email.clone(),
            phone: input.phone.clone(),
            postal_address: None,
        },
        description: input.description.clone(),
        subject_categories: input.subject_categories.clone(),
    };
    check_request(&request, today, true).map_err(|errors| {
        // The form's fields are flat: `name`, not `requester.name`.
        errors
            .into_iter()
            .map(|mut e| {
                if let Some(rest) = e.field.strip_prefix("requester.") {
                    e.field = rest.to_owned();
                }
                e
            })
            .collect()
    })
}

/// The end of the window in which the resident can read the outcome of a case closed at
/// `closed_at`.
pub fn window_until(closed_at: DateTime<Utc>, window_days: i32) -> DateTime<Utc> {
    closed_at + Duration::days(i64::from(window_days.clamp(1, MAX_WINDOW_DAYS)))
}

/// Whether a login at `auth_time` is recent enough to open the answer at `now`.
pub fn login_is_fresh(auth_time: DateTime<Utc>, now: DateTime<Utc>, minutes: u32) -> bool {
    auth_time <= now + Duration::seconds(30)
        && now - auth_time <= Duration::minutes(i64::from(minutes))
}

/// Where the resident's answer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnswerState {
    /// The case is still open.
    Pending,
    /// An answer or a refusal can be read (after a fresh login) until `answer_until`.
    Ready,
    /// The window has closed; the contents are gone or about to be.
    Closed,
    /// Withdrawn: there is nothing to read.
    None,
}

impl AnswerState {
    /// The name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Ready => "ready",
            Self::Closed => "closed",
            Self::None => "none",
        }
    }
}

/// The answer's state for a case in `status`, with its window, at `now`.
pub fn answer_state(
    status: CaseStatus,
    until: Option<DateTime<Utc>>,
    purged: bool,
    now: DateTime<Utc>,
) -> AnswerState {
    match status {
        s if s.is_open() => AnswerState::Pending,
        CaseStatus::Withdrawn => AnswerState::None,
        _ if purged => AnswerState::Closed,
        _ => match until {
            Some(u) if now < u => AnswerState::Ready,
            _ => AnswerState::Closed,
        },
    }
}

/// What the resident is told about, from the case's history: internal notes, routing and
/// the systems' work stay inside the municipality.
pub const fn notice_of(kind: CaseEventKind) -> Option<NoticeKind> {
    match kind {
        CaseEventKind::Registered => Some(NoticeKind::Received),
        CaseEventKind::IdentityRequested => Some(NoticeKind::IdentityRequested),
        CaseEventKind::IdentityConfirmed => Some(NoticeKind::IdentityConfirmed),
        CaseEventKind::Extended => Some(NoticeKind::Extended),
        CaseEventKind::Answered => Some(NoticeKind::AnswerReady),
        CaseEventKind::Refused => Some(NoticeKind::Refused),
        CaseEventKind::Withdrawn => Some(NoticeKind::Withdrawn),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// The municipality has the request; the deadline runs.
    Received,
    /// The municipality needs the resident to confirm who they are; the clock stands still.
    IdentityRequested,
    IdentityConfirmed,
    /// The deadline was extended, with the reasons.
    Extended,
    /// The answer is ready to be read.
    AnswerReady,
    /// The request was refused; the reasons are read like an answer.
    Refused,
    Withdrawn,
}

impl NoticeKind {
    /// The name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::IdentityRequested => "identity_requested",
            Self::IdentityConfirmed => "identity_confirmed",
            Self::Extended => "extended",
            Self::AnswerReady => "answer_ready",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
        }
    }
}

/// Something the resident is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentNotice {
    pub at: DateTime<Utc>,
    pub kind: NoticeKind,
    /// For an extension: the reasons the municipality gave (until the contents are purged).
    pub text: Option<String>,
}

/// A municipality residents can send requests to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalMunicipality {
    pub id: Uuid,
    pub name: String,
}

/// One of the resident's requests in their list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentRequestSummary {
    pub id: Uuid,
    /// The municipality's case number.
    pub reference: String,
    pub municipality: PortalMunicipality,
    pub kind: RequestKind,
    pub status: CaseStatus,
    pub received_on: NaiveDate,
    /// The day the municipality must answer by (extensions included); `None` once closed.
    pub due_on: Option<NaiveDate>,
    pub answer: AnswerState,
    /// Until when the outcome can be read.
    pub answer_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentRequestPage {
    pub items: Vec<ResidentRequestSummary>,
    pub next_cursor: Option<String>,
}

/// One of the resident's requests, with what they wrote and what they have been told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentRequest {
    #[serde(flatten)]
    pub summary: ResidentRequestSummary,
    /// What they asked for (until the contents are purged).
    pub description: Option<String>,
    pub extension_months: u8,
    pub notices: Vec<ResidentNotice>,
}

/// The outcome, read in the secure window.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentAnswer {
    pub request_id: Uuid,
    pub reference: String,
    pub status: CaseStatus,
    /// The answer, or the reasons for the refusal.
    pub text: String,
    pub refusal_ground: Option<RefusalGround>,
    pub released_at: DateTime<Utc>,
    pub readable_until: DateTime<Utc>,
}

impl std::fmt::Debug for ResidentAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResidentAnswer")
            .field("request_id", &self.request_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// Who is logged in, as the portal shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentMe {
    /// The national id with the individual number hidden (`150381*****`).
    pub national_id_masked: String,
    pub logged_in_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Until when the login counts as fresh enough to read an answer.
    pub fresh_until: DateTime<Utc>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::person::synthetic;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn id() -> NationalId {
        (0..500).find_map(|i| synthetic(15, 1, 80, i)).unwrap()
    }

    fn submission() -> ResidentSubmission {
        ResidentSubmission {
            organization_id: Uuid::from_u128(1),
            kind: RequestKind::Access,
            name: "  Kari Testesen ".to_owned(),
            email: None,
            phone: None,
            description: "Hva har skolen registrert om meg?".to_owned(),
            subject_categories: vec!["dpv:Student".to_owned()],
        }
    }

    #[test]
    fn a_portal_submission_takes_the_login_identity_and_needs_no_contact() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let valid = check_submission(&submission(), &id(), today).unwrap();
        assert_eq!(valid.channel, Channel::Portal);
        assert_eq!(valid.received_on, today);
        assert_eq!(valid.national_id, Some(id()));
        assert_eq!(valid.contents.requester.name, "Kari Testesen");
        assert_eq!(valid.contents.requester.national_id, Some(id().expose()));
        assert_eq!(valid.contents.requester.postal_address, None);
    }

    #[test]
    fn a_portal_submission_names_its_own_fields_when_wrong() {
        let mut s = submission();
        s.name = " ".to_owned();
        s.email = Some("not an address".to_owned());
        s.description = String::new();
        s.subject_categories = vec!["dpv:Nobody".to_owned()];
        let today = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let errors = check_submission(&s, &id(), today).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "email", "description", "subject_categories[0]"]
        );
    }

    #[test]
    fn the_window_counts_days_from_release_within_bounds() {
        let t = Utc.with_ymd_and_hms(2026, 2, 27, 10, 0, 0).unwrap();
        assert_eq!(
            window_until(t, 30),
            Utc.with_ymd_and_hms(2026, 3, 29, 10, 0, 0).unwrap()
        );
        assert_eq!(window_until(t, 0), t + Duration::days(1));
        assert_eq!(window_until(t, 9999), t + Duration::days(365));
    }

    #[test]
    fn the_answer_is_ready_only_inside_the_window_of_a_closed_case() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let until = Some(t + Duration::days(30));
        assert_eq!(
            answer_state(CaseStatus::InProgress, None, false, t),
            AnswerState::Pending
        );
        assert_eq!(
            answer_state(CaseStatus::Answered, until, false, t),
            AnswerState::Ready
        );
        assert_eq!(
            answer_state(CaseStatus::Refused, until, false, t + Duration::days(30)),
            AnswerState::Closed
        );
        assert_eq!(
            answer_state(CaseStatus::Answered, until, true, t),
            AnswerState::Closed
        );
        assert_eq!(
            answer_state(CaseStatus::Withdrawn, until, false, t),
            AnswerState::None
        );
    }

    #[test]
    fn wire_names_match_serde() {
        for a in [
            AnswerState::Pending,
            AnswerState::Ready,
            AnswerState::Closed,
            AnswerState::None,
        ] {
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
        for k in [
            NoticeKind::Received,
            NoticeKind::IdentityRequested,
            NoticeKind::IdentityConfirmed,
            NoticeKind::Extended,
            NoticeKind::AnswerReady,
            NoticeKind::Refused,
            NoticeKind::Withdrawn,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }

    #[test]
    fn only_outward_events_become_notices() {
        assert_eq!(
            notice_of(CaseEventKind::Extended),
            Some(NoticeKind::Extended)
        );
        assert_eq!(
            notice_of(CaseEventKind::Answered),
            Some(NoticeKind::AnswerReady)
        );
        for inward in [
            CaseEventKind::Note,
            CaseEventKind::Assigned,
            CaseEventKind::Routed,
            CaseEventKind::TaskAnswered,
            CaseEventKind::Lookup,
        ] {
            assert_eq!(notice_of(inward), None, "{inward:?}");
        }
    }

    proptest! {
        #[test]
        fn a_login_is_fresh_exactly_within_its_minutes(minutes in 1u32..60, age in -10i64..7200) {
            let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
            let auth = now - Duration::seconds(age);
            let fresh = login_is_fresh(auth, now, minutes);
            prop_assert_eq!(fresh, age <= i64::from(minutes) * 60);
        }

        #[test]
        fn the_window_never_ends_before_it_starts(days in -10i32..1000, secs in 0i64..4_000_000_000) {
            let t = Utc.timestamp_opt(secs, 0).unwrap();
            let until = window_until(t, days);
            prop_assert!(until > t);
            prop_assert!(until <= t + Duration::days(365));
        }
    }
}
