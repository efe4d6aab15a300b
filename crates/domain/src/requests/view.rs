//! What the API takes and gives for requests. Two layers: the overview (kind, status,
//! deadline, assignee — no personal data, for the DPO) and the contents (who asked and what
//! they wrote — for caseworkers only).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::case::{CaseAction, CaseStatus};
use super::deadline::{DeadlineState, DeadlineUrgency, Pause};
use super::kind::{Channel, RefusalGround, RequestKind};
use crate::EmailAddress;
use crate::person::NationalId;
use crate::problem::FieldError;

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 20_000;
pub const MAX_CONTACT_CHARS: usize = 500;
/// A request registered by staff may have arrived up to this many days ago (a letter found in
/// the post room); older than that, it is a mistake.
pub const MAX_BACKDATE_DAYS: i64 = 90;

// `Debug` (below) shows none of this, so a logged value cannot leak it.
/// Who asked, as the caseworker needs it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Requester {
    pub name: String,
    /// Fødselsnummer or D-number (11 digits), when known: needed to find the person in the
    /// systems. Checked (date and check digits) when the request is registered.
    #[cfg_attr(feature = "openapi", schema(example = "15818012345"))]
    #[serde(default)]
    pub national_id: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Where a letter goes, when the answer is to be sent by post.
    #[serde(default)]
    pub postal_address: Option<String>,
}

// `Debug` (below) shows none of this.
/// The personal part of a request: stored encrypted, shown to caseworkers only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestContents {
    pub requester: Requester,
    /// What the resident asked for, in their words (or the caseworker's record of a call).
    pub description: String,
    /// Who the resident is to the municipality (taxonomy keys: `dpv:Parent`, `dpv:Student`
    /// …): routing picks the systems whose processing covers them.
    #[serde(default)]
    pub subject_categories: Vec<String>,
}

impl std::fmt::Debug for Requester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Requester([redacted])")
    }
}

impl std::fmt::Debug for RequestContents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RequestContents([redacted])")
    }
}

/// A request registered by staff on a resident's behalf (received by letter, phone, e-mail or
/// at the counter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRequest {
    pub kind: RequestKind,
    pub channel: Channel,
    /// The day it reached the municipality (Oslo); today when left out. The deadline counts
    /// from this day, not from the day it was registered.
    #[serde(default)]
    pub received_on: Option<NaiveDate>,
    pub requester: Requester,
    pub description: String,
    /// Who the resident is to the municipality, as data subject categories of the register
    /// (`dpv:Parent`, `dpv:Student` …). Routing to systems starts from these.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = json!(["dpv:Parent"]), max_items = 10))]
    pub subject_categories: Vec<String>,
}

/// The most data subject categories one request names.
pub const MAX_SUBJECT_CATEGORIES: usize = 10;

/// Checks data subject categories against the taxonomy; sorted, without duplicates.
pub fn check_subject_categories(input: &[String], errors: &mut Vec<FieldError>) -> Vec<String> {
    if input.len() > MAX_SUBJECT_CATEGORIES {
        errors.push(FieldError::new("subject_categories", "too_many"));
    }
    let mut out = Vec::new();
    for (i, key) in input.iter().enumerate() {
        let key = key.trim();
        if crate::register::taxonomy::data_subject(key).is_none() {
            errors.push(FieldError::new(
                &format!("subject_categories[{i}]"),
                "unknown_subject",
            ));
        } else {
            out.push(key.to_owned());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A checked [`NewRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    pub national_id: Option<NationalId>,
    pub kind: RequestKind,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub contents: RequestContents,
}

fn optional_text(
    value: Option<&String>,
    field: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let trimmed = value.map(|v| v.trim()).filter(|v| !v.is_empty())?;
    if trimmed.chars().count() > max {
        errors.push(FieldError::new(field, "too_long"));
    }
    Some(trimmed.to_owned())
}

/// Checks a request registered by staff. Errors name fields and codes, never values.
pub fn check_new_request(
    input: &NewRequest,
    today: NaiveDate,
) -> Result<ValidRequest, Vec<FieldError>> {
    check_request(input, today, false)
}

/// The rules of a request, for staff (`portal: false`: a staff channel, and some way to
/// reach the resident) or for the resident's own submission in the portal (`portal: true`:
/// the portal channel; the portal reaches them).
pub(crate) fn check_request(
    input: &NewRequest,
    today: NaiveDate,
    portal: bool,
) -> Result<ValidRequest, Vec<FieldError>> {
    let mut errors = Vec::new();
    if portal != (input.channel == Channel::Portal) {
        errors.push(FieldError::new(
            "channel",
            if portal {
                "invalid"
            } else {
                "portal_is_for_residents"
            },
        ));
    }
    let received_on = input.received_on.unwrap_or(today);
    if received_on > today {
        errors.push(FieldError::new("received_on", "in_future"));
    } else if (today - received_on).num_days() > MAX_BACKDATE_DAYS {
        errors.push(FieldError::new("received_on", "too_old"));
    }
    let name = input.requester.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("requester.name", "required"));
    } else if name.chars().count() > MAX_NAME_CHARS {
        errors.push(FieldError::new("requester.name", "too_long"));
    }
    let national_id = match input
        .requester
        .national_id
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => None,
        Some(raw) => match NationalId::parse(raw) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(FieldError::new("requester.national_id", e.code()));
                None
            }
        },
    };
    let email = optional_text(
        input.requester.email.as_ref(),
        "requester.email",
        MAX_CONTACT_CHARS,
        &mut errors,
    );
    if let Some(e) = &email
        && EmailAddress::parse(e).is_err()
    {
        errors.push(FieldError::new("requester.email", "invalid"));
    }
    let phone = optional_text(
        input.requester.phone.as_ref(),
        "requester.phone",
        40,
        &mut errors,
    );
    if let Some(p) = &phone
        && !p
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'))
    {
        errors.push(FieldError::new("requester.phone", "invalid"));
    }
    let postal_address = optional_text(
        input.requester.postal_address.as_ref(),
        "requester.postal_address",
        MAX_CONTACT_CHARS,
        &mut errors,
    );
    // The answer has to reach the resident somehow (in the portal, it does).
    if !portal && email.is_none() && phone.is_none() && postal_address.is_none() {
        errors.push(FieldError::new("requester", "contact_required"));
    }
    let description = input.description.trim();
    if description.is_empty() {
        errors.push(FieldError::new("description", "required"));
    } else if description.chars().count() > MAX_TEXT_CHARS {
        errors.push(FieldError::new("description", "too_long"));
    }
    let subject_categories = check_subject_categories(&input.subject_categories, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidRequest {
        national_id: national_id.clone(),
        kind: input.kind,
        channel: input.channel,
        received_on,
        contents: RequestContents {
            requester: Requester {
                name: name.to_owned(),
                national_id: national_id.map(|id| id.expose()),
                email,
                phone,
                postal_address,
            },
            description: description.to_owned(),
            subject_categories,
        },
    })
}

/// A staff member as a case shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseMember {
    pub id: Uuid,
    pub name: String,
}

/// A request in lists: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestSummary {
    pub id: Uuid,
    /// The case number, `year/sequence` within the organisation (e.g. `2026/17`).
    pub reference: String,
    pub kind: RequestKind,
    pub channel: Channel,
    pub status: CaseStatus,
    pub received_on: NaiveDate,
    /// The deadline as of today; `None` once the case is closed.
    pub deadline: Option<DeadlineState>,
    pub extension_months: u8,
    pub assignee: Option<CaseMember>,
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestPage {
    pub items: Vec<RequestSummary>,
    pub next_cursor: Option<String>,
}

/// One request with its clock and, for caseworkers, its contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestCase {
    #[serde(flatten)]
    pub summary: RequestSummary,
    pub organization_id: Uuid,
    /// Whether identity clarification stops the clock for this case.
    pub pause_stops_clock: bool,
    pub pauses: Vec<Pause>,
    pub refusal_ground: Option<RefusalGround>,
    /// What the caller may do next (empty without the caseworker role).
    pub allowed_actions: Vec<String>,
    /// The personal part; `None` for callers who may see the overview only, and once the
    /// contents have been purged.
    pub contents: Option<RequestContents>,
    pub revision: i32,
}

/// A step in a case. Documented as [`CaseStepSchema`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseStep {
    #[serde(flatten)]
    pub action: CaseAction,
    /// What the resident is told: required when refusing (the reasons behind the ground) and
    /// when answering (the reply); optional otherwise. Stored encrypted.
    #[serde(default)]
    pub explanation: Option<String>,
}

/// The name of a step, as `action` carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseActionName {
    Start,
    ClarifyIdentity,
    IdentityConfirmed,
    Answer,
    Refuse,
    Withdraw,
}

impl From<CaseAction> for CaseActionName {
    fn from(action: CaseAction) -> Self {
        match action {
            CaseAction::Start => Self::Start,
            CaseAction::ClarifyIdentity => Self::ClarifyIdentity,
            CaseAction::IdentityConfirmed => Self::IdentityConfirmed,
            CaseAction::Answer => Self::Answer,
            CaseAction::Refuse { .. } => Self::Refuse,
            CaseAction::Withdraw => Self::Withdraw,
        }
    }
}

// How the document describes `CaseStep`'s JSON: one flat object. (The derived schema was an
// `allOf` over a `oneOf`, which generated clients could not use.)
/// A step in a case: `action` names it, `ground` goes with `refuse`.
#[cfg(feature = "openapi")]
#[derive(Debug, utoipa::ToSchema)]
#[schema(as = CaseStep)]
#[allow(dead_code)]
pub struct CaseStepSchema {
    /// `start` handling; `clarify_identity` (asks the requester to establish their identity;
    /// the clock is recorded as paused); `identity_confirmed` (the clock runs again);
    /// `answer` (releases the answer); `refuse` (on `ground`); `withdraw` (the requester
    /// withdrew).
    action: CaseActionName,
    /// With `refuse`, and only then: the legal ground, which must apply to the request's kind.
    ground: Option<RefusalGround>,
    /// What the resident is told: required when refusing (the reasons behind the ground) and
    /// when answering (the reply); optional otherwise. Stored encrypted.
    explanation: Option<String>,
}

/// Whether a step needs a written explanation.
pub const fn needs_explanation(action: CaseAction) -> bool {
    matches!(action, CaseAction::Refuse { .. } | CaseAction::Answer)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Extension {
    /// One or two months.
    pub months: u8,
    /// Why: told to the resident. Stored encrypted.
    pub reasons: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    /// The caseworker; `null` to leave the case unassigned.
    pub user_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewNote {
    pub text: String,
}

/// What happened in a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseEventKind {
    Registered,
    Started,
    IdentityRequested,
    IdentityConfirmed,
    Extended,
    Answered,
    Refused,
    Withdrawn,
    Assigned,
    Note,
    /// Tasks were made for systems (detail: how many).
    Routed,
    /// A system answered its task through its connector (detail: the outcome).
    TaskAnswered,
    /// A task went to its system's owner (detail: why).
    TaskManual,
    /// A system owner answered a task by hand (detail: the outcome).
    TaskCompleted,
    /// A caseworker sent a task to the connector again.
    TaskResent,
    /// A "who holds data" lookup ran (detail: systems that said yes / asked).
    Lookup,
    /// The resident read the answer in the portal.
    AnswerViewed,
    /// The resident downloaded the answer from the portal.
    AnswerDownloaded,
    /// The window closed and the contents were purged; the metadata remains.
    Purged,
    /// The resident attached a file (detail: its kind).
    AttachmentAdded,
    /// A caseworker downloaded an attached file.
    AttachmentDownloaded,
}

impl CaseEventKind {
    pub const ALL: [Self; 21] = [
        Self::Registered,
        Self::Started,
        Self::IdentityRequested,
        Self::IdentityConfirmed,
        Self::Extended,
        Self::Answered,
        Self::Refused,
        Self::Withdrawn,
        Self::Assigned,
        Self::Note,
        Self::Routed,
        Self::TaskAnswered,
        Self::TaskManual,
        Self::TaskCompleted,
        Self::TaskResent,
        Self::Lookup,
        Self::AnswerViewed,
        Self::AnswerDownloaded,
        Self::Purged,
        Self::AttachmentAdded,
        Self::AttachmentDownloaded,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Started => "started",
            Self::IdentityRequested => "identity_requested",
            Self::IdentityConfirmed => "identity_confirmed",
            Self::Extended => "extended",
            Self::Answered => "answered",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
            Self::Assigned => "assigned",
            Self::Note => "note",
            Self::Routed => "routed",
            Self::TaskAnswered => "task_answered",
            Self::TaskManual => "task_manual",
            Self::TaskCompleted => "task_completed",
            Self::TaskResent => "task_resent",
            Self::Lookup => "lookup",
            Self::AnswerViewed => "answer_viewed",
            Self::AnswerDownloaded => "answer_downloaded",
            Self::Purged => "purged",
            Self::AttachmentAdded => "attachment_added",
            Self::AttachmentDownloaded => "attachment_downloaded",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == input)
    }

    pub const fn of_action(action: CaseAction) -> Self {
        match action {
            CaseAction::Start => Self::Started,
            CaseAction::ClarifyIdentity => Self::IdentityRequested,
            CaseAction::IdentityConfirmed => Self::IdentityConfirmed,
            CaseAction::Answer => Self::Answered,
            CaseAction::Refuse { .. } => Self::Refused,
            CaseAction::Withdraw => Self::Withdrawn,
        }
    }

    /// The audit action for the event.
    pub const fn audit_action(self) -> &'static str {
        match self {
            Self::Registered => "request.registered",
            Self::Started => "request.started",
            Self::IdentityRequested => "request.identity_requested",
            Self::IdentityConfirmed => "request.identity_confirmed",
            Self::Extended => "request.extended",
            Self::Answered => "request.answered",
            Self::Refused => "request.refused",
            Self::Withdrawn => "request.withdrawn",
            Self::Assigned => "request.assigned",
            Self::Note => "request.noted",
            Self::Routed => "request.routed",
            Self::TaskAnswered => "request.task_answered",
            Self::TaskManual => "request.task_manual",
            Self::TaskCompleted => "request.task_completed",
            Self::TaskResent => "request.task_resent",
            Self::Lookup => "request.lookup",
            Self::AnswerViewed => "request.answer_viewed",
            Self::AnswerDownloaded => "request.answer_downloaded",
            Self::Purged => "request.purged",
            Self::AttachmentAdded => "request.attachment_added",
            Self::AttachmentDownloaded => "request.attachment_downloaded",
        }
    }
}

/// An entry in a case's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseEvent {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub kind: CaseEventKind,
    pub actor: Option<CaseMember>,
    /// Months for an extension, the ground for a refusal, the assignee's name.
    pub detail: Option<String>,
    /// The written text (note, reasons, reply) — caseworkers only; `None` for others and
    /// once purged.
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseEventPage {
    pub items: Vec<CaseEvent>,
    pub next_cursor: Option<String>,
}

/// The DPO's overview of the organisation's requests: counts only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestOverview {
    pub open: u32,
    pub overdue: u32,
    pub due_soon: u32,
    pub paused: u32,
    pub unassigned: u32,
    /// Open requests per kind.
    pub by_kind: Vec<KindCount>,
    /// Closed in the last 12 months, and how many of those were answered late.
    pub closed_last_year: u32,
    pub closed_late_last_year: u32,
    /// Open tasks per system, the most burdened first.
    #[serde(default)]
    pub by_system: Vec<SystemLoad>,
}

/// A system's open tasks: how many wait for it, how many are with its owner by hand, and how
/// many are past the day they were to be answered by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemLoad {
    pub system_id: Uuid,
    pub name: String,
    pub open: u32,
    pub manual: u32,
    pub late: u32,
}

/// Counts open tasks per system: `(system, manual, answer-by day)` for each open task.
pub fn tally_systems(
    open_tasks: impl IntoIterator<Item = (Uuid, bool, NaiveDate)>,
    names: &std::collections::HashMap<Uuid, String>,
    today: NaiveDate,
) -> Vec<SystemLoad> {
    let mut out: Vec<SystemLoad> = Vec::new();
    for (system, manual, respond_by) in open_tasks {
        let load = match out.iter().position(|l| l.system_id == system) {
            Some(i) => &mut out[i],
            None => {
                out.push(SystemLoad {
                    system_id: system,
                    name: names.get(&system).cloned().unwrap_or_default(),
                    open: 0,
                    manual: 0,
                    late: 0,
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        load.open += 1;
        load.manual += u32::from(manual);
        load.late += u32::from(respond_by < today);
    }
    out.sort_by(|a, b| {
        b.late
            .cmp(&a.late)
            .then(b.open.cmp(&a.open))
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindCount {
    pub kind: RequestKind,
    pub count: u32,
}

/// The organisation's request policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestSettings {
    /// Whether waiting for the requester to establish their identity stops the clock
    /// (EDPB Guidelines 01/2022 leave it open; every pause is recorded either way). Applies to
    /// requests received after the change.
    pub pause_stops_clock: bool,
    /// Days a released answer stays readable for the resident (7–90).
    pub answer_window_days: i32,
    /// The policy's revision (its ETag); ignored in a change.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub revision: i32,
}

/// The shortest and longest answer window an organisation may choose, in days.
pub const ANSWER_WINDOW_DAYS: std::ops::RangeInclusive<i32> = 7..=90;

/// Checks a change of the request policy.
pub fn check_request_settings(input: &RequestSettings) -> Result<(), Vec<FieldError>> {
    if ANSWER_WINDOW_DAYS.contains(&input.answer_window_days) {
        Ok(())
    } else {
        Err(vec![FieldError::new("answer_window_days", "range")])
    }
}

/// Free text someone wrote on a case (a reply, reasons, a note): trimmed, required, bounded.
pub fn check_written(field: &str, text: Option<&str>) -> Result<String, FieldError> {
    let text = text.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(FieldError::new(field, "too_long"));
    }
    Ok(text.to_owned())
}

/// What to list: `open` (the default) or one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Open,
    Closed,
    Is(CaseStatus),
}

impl StatusFilter {
    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            other => CaseStatus::parse(other).map(Self::Is),
        }
    }

    pub fn matches(self, status: CaseStatus) -> bool {
        match self {
            Self::Open => status.is_open(),
            Self::Closed => !status.is_open(),
            Self::Is(s) => s == status,
        }
    }
}

/// Tallies the overview from the open cases' deadline states.
pub fn tally_open<'a>(
    open: impl IntoIterator<Item = (RequestKind, &'a DeadlineState, bool)>,
) -> RequestOverview {
    let mut overview = RequestOverview::default();
    let mut kinds: Vec<KindCount> = Vec::new();
    for (kind, state, assigned) in open {
        overview.open += 1;
        match state.urgency {
            DeadlineUrgency::Overdue => overview.overdue += 1,
            DeadlineUrgency::DueSoon => overview.due_soon += 1,
            DeadlineUrgency::Paused => overview.paused += 1,
            DeadlineUrgency::OnTrack => {}
        }
        if !assigned {
            overview.unassigned += 1;
        }
        match kinds.iter_mut().find(|k| k.kind == kind) {
            Some(k) => k.count += 1,
            None => kinds.push(KindCount { kind, count: 1 }),
        }
    }
    kinds.sort_by_key(|k| k.kind);
    overview.by_kind = kinds;
    overview
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steps_documented_name_is_the_action_it_carries() {
        let ground = RefusalGround::ManifestlyUnfounded;
        for action in [
            CaseAction::Start,
            CaseAction::ClarifyIdentity,
            CaseAction::IdentityConfirmed,
            CaseAction::Answer,
            CaseAction::Refuse { ground },
            CaseAction::Withdraw,
        ] {
            let wire = serde_json::to_value(action).unwrap();
            assert_eq!(
                wire["action"],
                serde_json::to_value(CaseActionName::from(action)).unwrap()
            );
        }
        let step: CaseStep = serde_json::from_value(
            serde_json::json!({"action": "refuse", "ground": ground, "explanation": "x"}),
        )
        .unwrap();
        assert_eq!(step.action, CaseAction::Refuse { ground });
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn systems_are_tallied_by_late_then_open_tasks() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let names =
            std::collections::HashMap::from([(a, "Arkiv".to_owned()), (b, "Barnehage".to_owned())]);
        let today = d(2027, 3, 10);
        let loads = tally_systems(
            [
                (a, false, d(2027, 3, 20)),
                (a, true, d(2027, 3, 20)),
                (b, true, d(2027, 3, 1)),
            ],
            &names,
            today,
        );
        assert_eq!(loads.len(), 2);
        assert_eq!(
            (
                loads[0].name.as_str(),
                loads[0].open,
                loads[0].manual,
                loads[0].late
            ),
            ("Barnehage", 1, 1, 1)
        );
        assert_eq!(
            (
                loads[1].name.as_str(),
                loads[1].open,
                loads[1].manual,
                loads[1].late
            ),
            ("Arkiv", 2, 1, 0)
        );
        assert!(tally_systems([], &names, today).is_empty());
    }

    fn letter() -> NewRequest {
        NewRequest {
            kind: RequestKind::Access,
            channel: Channel::Letter,
            received_on: Some(d(2027, 3, 1)),
            requester: Requester {
                name: "  Kari Nordmann ".into(),
                national_id: None,
                email: Some("kari@example.org".into()),
                phone: None,
                postal_address: None,
            },
            description: "Jeg ber om innsyn i opplysningene kommunen har om meg.".into(),
            subject_categories: vec!["dpv:Student".into(), "dpv:Student".into()],
        }
    }

    #[test]
    fn subject_categories_come_from_the_taxonomy() {
        let valid = check_new_request(&letter(), d(2027, 3, 3)).unwrap();
        assert_eq!(
            valid.contents.subject_categories,
            vec!["dpv:Student".to_owned()]
        );
        let mut unknown = letter();
        unknown.subject_categories = vec!["dpv:Student".into(), "dpv:Martian".into()];
        let errors = check_new_request(&unknown, d(2027, 3, 3)).unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError::new("subject_categories[1]", "unknown_subject")]
        );
        let mut many = letter();
        many.subject_categories = vec!["dpv:Student".into(); MAX_SUBJECT_CATEGORIES + 1];
        let errors = check_new_request(&many, d(2027, 3, 3)).unwrap_err();
        assert!(errors.contains(&FieldError::new("subject_categories", "too_many")));
    }

    #[test]
    fn a_good_letter_is_accepted_and_trimmed() {
        let valid = check_new_request(&letter(), d(2027, 3, 3)).unwrap();
        assert_eq!(valid.received_on, d(2027, 3, 1));
        assert_eq!(valid.contents.requester.name, "Kari Nordmann");
    }

    #[test]
    fn received_today_when_no_day_is_given() {
        let mut input = letter();
        input.received_on = None;
        let valid = check_new_request(&input, d(2027, 3, 3)).unwrap();
        assert_eq!(valid.received_on, d(2027, 3, 3));
    }

    fn codes(input: &NewRequest, today: NaiveDate) -> Vec<(String, String)> {
        check_new_request(input, today)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn refusals_name_field_and_rule() {
        let mut input = letter();
        input.channel = Channel::Portal;
        input.received_on = Some(d(2027, 3, 4));
        input.requester.name = " ".into();
        input.requester.email = Some("not an address".into());
        input.description = String::new();
        let found = codes(&input, d(2027, 3, 3));
        for expected in [
            ("channel", "portal_is_for_residents"),
            ("received_on", "in_future"),
            ("requester.name", "required"),
            ("requester.email", "invalid"),
            ("description", "required"),
        ] {
            assert!(
                found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "{expected:?} in {found:?}"
            );
        }
    }

    #[test]
    fn a_way_to_reach_the_resident_is_required() {
        let mut input = letter();
        input.requester.email = Some("   ".into());
        assert_eq!(
            codes(&input, d(2027, 3, 3)),
            vec![("requester".to_owned(), "contact_required".to_owned())]
        );
        input.requester.postal_address = Some("Storgata 1, 0155 Oslo".into());
        assert!(check_new_request(&input, d(2027, 3, 3)).is_ok());
    }

    #[test]
    fn a_national_id_is_checked_and_stored_as_digits() {
        let mut input = letter();
        input.requester.national_id = Some("028132 99952".into());
        let valid = check_new_request(&input, d(2027, 3, 3)).unwrap();
        assert_eq!(
            valid.contents.requester.national_id.as_deref(),
            Some("02813299952")
        );
        assert!(valid.national_id.is_some());
        input.requester.national_id = Some("02813299953".into());
        assert_eq!(
            codes(&input, d(2027, 3, 3)),
            vec![(
                "requester.national_id".to_owned(),
                "national_id_check_digits".to_owned()
            )]
        );
        input.requester.national_id = Some("  ".into());
        assert_eq!(
            check_new_request(&input, d(2027, 3, 3))
                .unwrap()
                .national_id,
            None
        );
    }

    #[test]
    fn too_old_letters_are_a_mistake() {
        let mut input = letter();
        input.received_on = Some(d(2026, 11, 1));
        assert_eq!(
            codes(&input, d(2027, 3, 3)),
            vec![("received_on".to_owned(), "too_old".to_owned())]
        );
    }

    #[test]
    fn phones_hold_digits_and_punctuation() {
        let mut input = letter();
        input.requester.phone = Some("+47 22 00 00 00".into());
        assert!(check_new_request(&input, d(2027, 3, 3)).is_ok());
        input.requester.phone = Some("ring meg".into());
        assert_eq!(
            codes(&input, d(2027, 3, 3)),
            vec![("requester.phone".to_owned(), "invalid".to_owned())]
        );
    }

    #[test]
    fn debug_output_names_no_resident() {
        let valid = check_new_request(&letter(), d(2027, 3, 3)).unwrap();
        let printed = format!("{valid:?} {:?}", letter());
        assert!(!printed.contains("Nordmann") && !printed.contains("kari@"));
    }

    #[test]
    fn written_text_and_policy_checks() {
        assert_eq!(check_written("text", Some("  hei  ")).unwrap(), "hei");
        assert_eq!(
            check_written("text", Some(" ")).unwrap_err().code,
            "required"
        );
        assert_eq!(check_written("text", None).unwrap_err().code, "required");
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            check_written("text", Some(&long)).unwrap_err().code,
            "too_long"
        );
        let policy = |days| RequestSettings {
            pause_stops_clock: true,
            answer_window_days: days,
            revision: 0,
        };
        assert!(check_request_settings(&policy(7)).is_ok());
        assert!(check_request_settings(&policy(90)).is_ok());
        assert!(check_request_settings(&policy(6)).is_err());
        assert!(check_request_settings(&policy(91)).is_err());
    }

    #[test]
    fn status_filters() {
        assert!(
            StatusFilter::parse("open")
                .unwrap()
                .matches(CaseStatus::InProgress)
        );
        assert!(
            !StatusFilter::parse("open")
                .unwrap()
                .matches(CaseStatus::Answered)
        );
        assert!(
            StatusFilter::parse("closed")
                .unwrap()
                .matches(CaseStatus::Refused)
        );
        assert!(
            StatusFilter::parse("received")
                .unwrap()
                .matches(CaseStatus::Received)
        );
        assert_eq!(StatusFilter::parse("bogus"), None);
    }

    #[test]
    fn every_event_kind_round_trips_and_every_action_has_one() {
        for k in CaseEventKind::ALL {
            assert_eq!(CaseEventKind::parse(k.as_str()), Some(k));
            assert!(k.audit_action().starts_with("request."));
        }
        assert_eq!(
            CaseEventKind::of_action(CaseAction::ClarifyIdentity),
            CaseEventKind::IdentityRequested
        );
        assert!(needs_explanation(CaseAction::Answer));
        assert!(!needs_explanation(CaseAction::Start));
    }

    #[test]
    fn the_overview_counts_by_urgency_and_kind() {
        let state = |urgency| DeadlineState {
            due: d(2027, 4, 1),
            days_left: 3,
            urgency,
            extendable_until: None,
            paused_days: 0,
        };
        let overdue = state(DeadlineUrgency::Overdue);
        let soon = state(DeadlineUrgency::DueSoon);
        let paused = state(DeadlineUrgency::Paused);
        let fine = state(DeadlineUrgency::OnTrack);
        let overview = tally_open([
            (RequestKind::Erasure, &overdue, true),
            (RequestKind::Access, &soon, false),
            (RequestKind::Access, &paused, true),
            (RequestKind::Access, &fine, false),
        ]);
        assert_eq!(overview.open, 4);
        assert_eq!(overview.overdue, 1);
        assert_eq!(overview.due_soon, 1);
        assert_eq!(overview.paused, 1);
        assert_eq!(overview.unassigned, 2);
        assert_eq!(
            overview.by_kind,
            vec![
                KindCount {
                    kind: RequestKind::Access,
                    count: 3
                },
                KindCount {
                    kind: RequestKind::Erasure,
                    count: 1
                }
            ]
        );
    }
}
