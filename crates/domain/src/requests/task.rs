//! Tasks: one per system a request is routed to. A system with a connector gets its task
//! sent automatically (queued → awaiting its answer → done); a system without one, or whose
//! connector cannot be reached, did not answer in time or answered with an error, gets a
//! manual task for its owner. A closed case cancels what is still open.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::connector::{PackageFile, TaskOutcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// To be sent to the system's connector (first attempt or a retry).
    Queued,
    /// The system accepted it and will answer through the callback.
    AwaitingAnswer,
    /// The system's owner answers it by hand.
    Manual,
    /// Answered: no data, or data.
    Done,
    /// The case closed before the task was answered.
    Cancelled,
}

impl TaskStatus {
    pub const ALL: [Self; 5] = [
        Self::Queued,
        Self::AwaitingAnswer,
        Self::Manual,
        Self::Done,
        Self::Cancelled,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::AwaitingAnswer => "awaiting_answer",
            Self::Manual => "manual",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == input)
    }

    pub const fn is_open(self) -> bool {
        matches!(self, Self::Queued | Self::AwaitingAnswer | Self::Manual)
    }
}

/// Why a task is manual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ManualReason {
    /// The system has no connector.
    NoConnector,
    /// Every attempt to send the task failed (network, timeout, refused).
    Unreachable,
    /// The system accepted the task but did not answer by the day it was asked to.
    NoAnswer,
    /// The system answered that it could not do it.
    SystemError,
    /// The request carries no national identity number to send: the owner finds the person
    /// by name and contact details.
    NoIdentifier,
    /// The system's product declares that its connector does not handle this kind of
    /// request.
    KindNotSupported,
}

impl ManualReason {
    pub const ALL: [Self; 6] = [
        Self::NoConnector,
        Self::Unreachable,
        Self::NoAnswer,
        Self::SystemError,
        Self::NoIdentifier,
        Self::KindNotSupported,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NoConnector => "no_connector",
            Self::Unreachable => "unreachable",
            Self::NoAnswer => "no_answer",
            Self::SystemError => "system_error",
            Self::NoIdentifier => "no_identifier",
            Self::KindNotSupported => "kind_not_supported",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == input)
    }

    /// The system's connector failed the task (it was sent): it may be sent again, and a late
    /// answer from the system is still taken.
    pub const fn connector_failed(self) -> bool {
        matches!(self, Self::Unreachable | Self::NoAnswer | Self::SystemError)
    }
}

/// What can happen to a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskEvent {
    /// The system took the task and will call back.
    Accepted,
    /// The system answered (at once, in a callback, or late after the task went manual).
    Answered(TaskOutcome),
    /// Sending failed; `max` attempts in all are made.
    AttemptFailed { max: u32 },
    /// The day to answer by has passed.
    Overdue,
    /// The owner answered by hand (`no_data` or `data`).
    AnsweredByHand(TaskOutcome),
    /// A caseworker sends it to the connector again.
    Resend,
    /// The case closed.
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    #[error("the task is no longer open")]
    Closed,
    #[error("that does not apply to a task in this state")]
    NotAllowed,
    #[error("an answer by hand is no data or data")]
    HandAnswerOutcome,
}

impl TaskError {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Closed => "task_closed",
            Self::NotAllowed => "invalid_transition",
            Self::HandAnswerOutcome => "invalid_outcome",
        }
    }
}

/// A task's state: status, why it is manual, how many sends were tried, and what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskState {
    pub status: TaskStatus,
    pub reason: Option<ManualReason>,
    pub attempts: u32,
    pub outcome: Option<TaskOutcome>,
}

impl TaskState {
    /// A new task for a system: queued when it has a connector that handles the request's
    /// kind and there is a national id to send; otherwise manual, saying why.
    pub const fn initial(connector: bool, handles_kind: bool, has_identifier: bool) -> Self {
        match (connector, handles_kind, has_identifier) {
            (false, _, _) => Self::new(false),
            (true, false, _) => Self::kind_not_supported(),
            (true, true, false) => Self::without_identifier(),
            (true, true, true) => Self::new(true),
        }
    }

    /// A new task: queued for the connector, or manual when there is none.
    pub const fn new(has_connector: bool) -> Self {
        Self {
            status: if has_connector {
                TaskStatus::Queued
            } else {
                TaskStatus::Manual
            },
            reason: if has_connector {
                None
            } else {
                Some(ManualReason::NoConnector)
            },
            attempts: 0,
            outcome: None,
        }
    }

    /// A new task for a system whose connector does not take this kind of request.
    pub const fn kind_not_supported() -> Self {
        Self {
            status: TaskStatus::Manual,
            reason: Some(ManualReason::KindNotSupported),
            attempts: 0,
            outcome: None,
        }
    }

    /// A new task that cannot be sent: the request has no national id.
    pub const fn without_identifier() -> Self {
        Self {
            status: TaskStatus::Manual,
            reason: Some(ManualReason::NoIdentifier),
            attempts: 0,
            outcome: None,
        }
    }

    fn manual(self, reason: ManualReason) -> Self {
        Self {
            status: TaskStatus::Manual,
            reason: Some(reason),
            ..self
        }
    }

    fn done(self, outcome: TaskOutcome) -> Self {
        Self {
            status: TaskStatus::Done,
            outcome: Some(outcome),
            ..self
        }
    }

    /// The state after `event`, or why it cannot happen.
    pub fn apply(self, event: TaskEvent) -> Result<Self, TaskError> {
        use TaskStatus as S;
        if !self.status.is_open() {
            return Err(TaskError::Closed);
        }
        let automatic_failure = self.reason.is_some_and(ManualReason::connector_failed);
        Ok(match (self.status, event) {
            (_, TaskEvent::Cancel) => Self {
                status: S::Cancelled,
                ..self
            },
            (S::Queued, TaskEvent::Accepted) => Self {
                status: S::AwaitingAnswer,
                attempts: self.attempts + 1,
                ..self
            },
            (S::Queued | S::AwaitingAnswer, TaskEvent::Answered(TaskOutcome::Error)) => Self {
                attempts: self.attempts + u32::from(self.status == S::Queued),
                ..self.manual(ManualReason::SystemError)
            },
            (S::Queued | S::AwaitingAnswer, TaskEvent::Answered(outcome)) => Self {
                attempts: self.attempts + u32::from(self.status == S::Queued),
                ..self.done(outcome)
            },
            // A late answer from the system is still the system's answer.
            (S::Manual, TaskEvent::Answered(outcome)) if automatic_failure => match outcome {
                TaskOutcome::Error => self,
                _ => self.done(outcome),
            },
            (S::Queued, TaskEvent::AttemptFailed { max }) => {
                let attempts = self.attempts + 1;
                if attempts >= max {
                    Self {
                        attempts,
                        ..self.manual(ManualReason::Unreachable)
                    }
                } else {
                    Self { attempts, ..self }
                }
            }
            (S::Queued | S::AwaitingAnswer, TaskEvent::Overdue) => {
                self.manual(ManualReason::NoAnswer)
            }
            (S::Manual, TaskEvent::AnsweredByHand(outcome)) => match outcome {
                TaskOutcome::Error => return Err(TaskError::HandAnswerOutcome),
                _ => self.done(outcome),
            },
            (S::Manual, TaskEvent::Resend) if automatic_failure => Self {
                status: S::Queued,
                reason: None,
                attempts: 0,
                outcome: None,
            },
            _ => return Err(TaskError::NotAllowed),
        })
    }
}

/// How the task gets answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskMode {
    Automatic,
    Manual,
}

/// A system as routing sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RouteCandidate {
    pub system_id: Uuid,
    pub name: String,
    pub owning_unit: String,
    /// The processing activities that use the system and cover one of the request's data
    /// subject categories (all its activities when every system was asked for).
    pub activities: Vec<String>,
    /// The request's subject categories the activities cover.
    pub matched_subjects: Vec<String>,
    /// The system has a working connector: its task is sent automatically.
    pub connector: bool,
    /// The system already has a task for this request.
    pub task_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Routing {
    /// The request's data subject categories the candidates were chosen by.
    pub subject_categories: Vec<String>,
    /// `true`: every system of the organisation, not only those covering the categories.
    pub all: bool,
    pub candidates: Vec<RouteCandidate>,
}

/// Route the request to these systems: one task each (systems that already have one are
/// left as they are).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTasks {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 200))]
    pub system_ids: Vec<Uuid>,
}

/// A system's answer, as the caseworker reads it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskResult {
    pub outcome: TaskOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub package: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<PackageFile>,
    /// What the system owner wrote, for an answer by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl std::fmt::Debug for TaskResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskResult")
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

/// A system owner's answer to a manual task.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandAnswer {
    /// `no_data` or `data`.
    pub outcome: TaskOutcome,
    /// With `data`: what the system holds about the person, as text (copied from the system,
    /// or a description of the attached files).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub text: Option<String>,
    #[serde(default)]
    pub files: Vec<PackageFile>,
}

impl std::fmt::Debug for HandAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandAnswer")
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

/// The most text a system owner may type as an answer.
pub const MAX_HAND_TEXT_CHARS: usize = 20_000;

/// Checks a hand answer and turns it into the stored result.
pub fn check_hand_answer(input: &HandAnswer) -> Result<TaskResult, crate::problem::FieldError> {
    use crate::problem::FieldError;
    let text = input
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    if text
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_HAND_TEXT_CHARS)
    {
        return Err(FieldError::new("text", "too_long"));
    }
    match input.outcome {
        TaskOutcome::Error => return Err(FieldError::new("outcome", "invalid_outcome")),
        TaskOutcome::Data if text.is_none() && input.files.is_empty() => {
            return Err(FieldError::new("text", "required"));
        }
        _ => {}
    }
    let answer = crate::connector::TaskAnswer {
        outcome: input.outcome,
        package: None,
        files: input.files.clone(),
        error_code: None,
    };
    if !input.files.is_empty() {
        crate::connector::check_answer(&answer).map_err(|e| FieldError::new("files", e.code()))?;
    }
    Ok(TaskResult {
        outcome: input.outcome,
        package: None,
        files: if input.outcome == TaskOutcome::Data {
            input.files.clone()
        } else {
            Vec::new()
        },
        comment: text,
    })
}

/// One task as staff see it. `result` only for caseworkers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestTask {
    pub id: Uuid,
    pub request_id: Uuid,
    pub system_id: Uuid,
    pub system_name: String,
    pub mode: TaskMode,
    pub status: TaskStatus,
    pub manual_reason: Option<ManualReason>,
    pub outcome: Option<TaskOutcome>,
    /// Sends tried so far.
    pub attempts: u32,
    /// The day the system is asked to answer by (Oslo).
    pub respond_by: NaiveDate,
    pub sent_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The system owner who answered by hand.
    pub completed_by: Option<super::view::CaseMember>,
    /// Why the last send failed (`timeout`, `connection_failed`, `status_503`, …).
    pub last_error: Option<String>,
    pub result: Option<TaskResult>,
    pub revision: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskList {
    pub items: Vec<RequestTask>,
}

/// A manual task as its system's owner sees it: who to look for and what they asked —
/// not the request's free text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerTask {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub system_id: Uuid,
    pub system_name: String,
    pub request_reference: String,
    pub request_kind: super::RequestKind,
    pub status: TaskStatus,
    pub manual_reason: Option<ManualReason>,
    pub respond_by: NaiveDate,
    /// The person to look for (name and national id), for open tasks only.
    pub subject: Option<TaskSubject>,
    pub outcome: Option<TaskOutcome>,
    pub completed_at: Option<DateTime<Utc>>,
    pub revision: i32,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskSubject {
    pub name: String,
    pub national_id: Option<String>,
}

impl std::fmt::Debug for TaskSubject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TaskSubject([redacted])")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerTaskPage {
    pub items: Vec<OwnerTask>,
    pub next_cursor: Option<String>,
}

/// What a system said when asked whether it holds data about the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Holding {
    Yes,
    No,
    /// No answer in time, or an answer that did not verify.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupRow {
    pub system_id: Uuid,
    pub name: String,
    pub holds: Holding,
}

/// The answer of a "who holds data about this person" lookup. Not stored: the case's
/// history keeps only that a lookup was made and how many systems said yes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupResult {
    pub at: DateTime<Utc>,
    /// Systems with a connector, with what each said.
    pub systems: Vec<LookupRow>,
    /// Systems without a connector: their owners must be asked.
    pub without_connector: Vec<LookupRow>,
}

/// The day a system is asked to answer by: a week before the case is due, so the caseworker
/// has time to put the answer together — but never sooner than two days from today.
pub fn respond_by(case_due: NaiveDate, today: NaiveDate) -> NaiveDate {
    (case_due - chrono::Duration::days(7)).max(today + chrono::Duration::days(2))
}

/// A system of the organisation, as routing weighs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSystem {
    pub id: Uuid,
    pub name: String,
    pub owning_unit: String,
    /// Not in use yet: holds nobody's data.
    pub planned: bool,
    pub connector: bool,
}

/// A processing activity, as routing weighs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteActivity {
    pub name: String,
    pub data_subjects: Vec<String>,
    pub system_ids: Vec<Uuid>,
}

/// The systems a request goes to: those used by a processing activity that covers one of
/// the request's data subject categories — or, with `all`, every system that may hold data.
/// Planned systems hold nobody's data and are left out. `existing` maps systems to the task
/// they already have. Sorted by name.
pub fn route(
    subjects: &[String],
    all: bool,
    systems: &[RouteSystem],
    activities: &[RouteActivity],
    existing: &std::collections::HashMap<Uuid, Uuid>,
) -> Vec<RouteCandidate> {
    let mut out: Vec<RouteCandidate> = systems
        .iter()
        .filter(|s| !s.planned)
        .filter_map(|s| {
            let using: Vec<&RouteActivity> = activities
                .iter()
                .filter(|a| a.system_ids.contains(&s.id))
                .collect();
            let mut matched: Vec<String> = using
                .iter()
                .flat_map(|a| a.data_subjects.iter())
                .filter(|k| subjects.contains(k))
                .cloned()
                .collect();
            matched.sort();
            matched.dedup();
            if !all && matched.is_empty() {
                return None;
            }
            let mut names: Vec<String> = using
                .iter()
                .filter(|a| all || a.data_subjects.iter().any(|k| subjects.contains(k)))
                .map(|a| a.name.clone())
                .collect();
            names.sort();
            names.dedup();
            Some(RouteCandidate {
                system_id: s.id,
                name: s.name.clone(),
                owning_unit: s.owning_unit.clone(),
                activities: names,
                matched_subjects: matched,
                connector: s.connector,
                task_id: existing.get(&s.id).copied(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.system_id.cmp(&b.system_id))
    });
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_task_with_a_connector_is_sent_and_answered() {
        let t = TaskState::new(true);
        assert_eq!(t.status, TaskStatus::Queued);
        let t = t.apply(TaskEvent::Accepted).unwrap();
        assert_eq!(t.status, TaskStatus::AwaitingAnswer);
        assert_eq!(t.attempts, 1);
        let t = t.apply(TaskEvent::Answered(TaskOutcome::Data)).unwrap();
        assert_eq!(
            (t.status, t.outcome),
            (TaskStatus::Done, Some(TaskOutcome::Data))
        );
        assert_eq!(t.apply(TaskEvent::Cancel), Err(TaskError::Closed));
    }

    #[test]
    fn an_immediate_answer_counts_one_attempt() {
        let t = TaskState::new(true)
            .apply(TaskEvent::Answered(TaskOutcome::NoData))
            .unwrap();
        assert_eq!((t.status, t.attempts), (TaskStatus::Done, 1));
    }

    #[test]
    fn a_task_without_a_connector_is_manual_from_the_start() {
        let t = TaskState::new(false);
        assert_eq!(
            (t.status, t.reason),
            (TaskStatus::Manual, Some(ManualReason::NoConnector))
        );
        assert_eq!(t.apply(TaskEvent::Resend), Err(TaskError::NotAllowed));
        assert_eq!(
            t.apply(TaskEvent::Answered(TaskOutcome::Data)),
            Err(TaskError::NotAllowed)
        );
        assert_eq!(
            t.apply(TaskEvent::AnsweredByHand(TaskOutcome::Error)),
            Err(TaskError::HandAnswerOutcome)
        );
        let t = t
            .apply(TaskEvent::AnsweredByHand(TaskOutcome::NoData))
            .unwrap();
        assert_eq!(t.status, TaskStatus::Done);
    }

    #[test]
    fn failed_sends_turn_manual_after_the_last_attempt() {
        let mut t = TaskState::new(true);
        for _ in 0..2 {
            t = t.apply(TaskEvent::AttemptFailed { max: 3 }).unwrap();
            assert_eq!(t.status, TaskStatus::Queued);
        }
        t = t.apply(TaskEvent::AttemptFailed { max: 3 }).unwrap();
        assert_eq!(
            (t.status, t.reason, t.attempts),
            (TaskStatus::Manual, Some(ManualReason::Unreachable), 3)
        );
        // A caseworker may send it again; a late answer is taken.
        let again = t.apply(TaskEvent::Resend).unwrap();
        assert_eq!((again.status, again.attempts), (TaskStatus::Queued, 0));
        let late = t.apply(TaskEvent::Answered(TaskOutcome::NoData)).unwrap();
        assert_eq!(late.status, TaskStatus::Done);
    }

    #[test]
    fn an_error_answer_or_silence_hands_the_task_to_its_owner() {
        let sent = TaskState::new(true).apply(TaskEvent::Accepted).unwrap();
        let error = sent.apply(TaskEvent::Answered(TaskOutcome::Error)).unwrap();
        assert_eq!(error.reason, Some(ManualReason::SystemError));
        let silent = sent.apply(TaskEvent::Overdue).unwrap();
        assert_eq!(silent.reason, Some(ManualReason::NoAnswer));
        assert_eq!(silent.apply(TaskEvent::Overdue), Err(TaskError::NotAllowed));
    }

    #[test]
    fn a_kind_the_connector_does_not_handle_goes_to_the_owner_for_good() {
        let t = TaskState::kind_not_supported();
        assert_eq!(t.status, TaskStatus::Manual);
        assert_eq!(t.apply(TaskEvent::Resend), Err(TaskError::NotAllowed));
        assert_eq!(
            t.apply(TaskEvent::Answered(TaskOutcome::Data)),
            Err(TaskError::NotAllowed)
        );
        assert_eq!(
            crate::register::product::RequestType::of(crate::requests::RequestKind::PartyAccess),
            crate::register::product::RequestType::PartyAccess
        );
    }

    #[test]
    fn a_new_task_is_sent_only_with_a_connector_that_handles_the_kind_and_an_id() {
        assert_eq!(
            TaskState::initial(true, true, true).status,
            TaskStatus::Queued
        );
        assert_eq!(
            TaskState::initial(false, true, true).reason,
            Some(ManualReason::NoConnector)
        );
        assert_eq!(
            TaskState::initial(true, false, true).reason,
            Some(ManualReason::KindNotSupported)
        );
        assert_eq!(
            TaskState::initial(true, true, false).reason,
            Some(ManualReason::NoIdentifier)
        );
        let resendable: Vec<ManualReason> = ManualReason::ALL
            .into_iter()
            .filter(|r| r.connector_failed())
            .collect();
        assert_eq!(
            resendable,
            vec![
                ManualReason::Unreachable,
                ManualReason::NoAnswer,
                ManualReason::SystemError
            ]
        );
    }

    #[test]
    fn hand_answers_are_checked() {
        let data_without_text = HandAnswer {
            outcome: TaskOutcome::Data,
            text: Some("  ".into()),
            files: vec![],
        };
        assert_eq!(
            check_hand_answer(&data_without_text).unwrap_err().code,
            "required"
        );
        let ok = HandAnswer {
            outcome: TaskOutcome::Data,
            text: Some("Elevmappe: klasse 5B, to fraværsmeldinger.".into()),
            files: vec![],
        };
        assert_eq!(check_hand_answer(&ok).unwrap().outcome, TaskOutcome::Data);
        let error = HandAnswer {
            outcome: TaskOutcome::Error,
            text: None,
            files: vec![],
        };
        assert!(check_hand_answer(&error).is_err());
    }

    #[test]
    fn systems_answer_a_week_before_the_case_is_due_but_get_two_days() {
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).unwrap();
        assert_eq!(respond_by(d(3, 31), d(3, 1)), d(3, 24));
        assert_eq!(respond_by(d(3, 31), d(3, 28)), d(3, 30));
        assert_eq!(respond_by(d(3, 10), d(3, 20)), d(3, 22));
    }

    #[test]
    fn routing_follows_the_subject_categories_through_the_activities() {
        let school = Uuid::from_u128(1);
        let payroll = Uuid::from_u128(2);
        let planned = Uuid::from_u128(3);
        let systems = vec![
            RouteSystem {
                id: school,
                name: "Skolearena".into(),
                owning_unit: "Oppvekst".into(),
                planned: false,
                connector: true,
            },
            RouteSystem {
                id: payroll,
                name: "Lønn".into(),
                owning_unit: "HR".into(),
                planned: false,
                connector: false,
            },
            RouteSystem {
                id: planned,
                name: "Ny skoleplattform".into(),
                owning_unit: "Oppvekst".into(),
                planned: true,
                connector: false,
            },
        ];
        let activities = vec![
            RouteActivity {
                name: "Elevadministrasjon".into(),
                data_subjects: vec!["dpv:Student".into(), "dpv:Parent".into()],
                system_ids: vec![school, planned],
            },
            RouteActivity {
                name: "Lønnskjøring".into(),
                data_subjects: vec!["dpv:Employee".into()],
                system_ids: vec![payroll],
            },
        ];
        let existing = std::collections::HashMap::from([(school, Uuid::from_u128(9))]);
        let parent = route(
            &["dpv:Parent".into()],
            false,
            &systems,
            &activities,
            &existing,
        );
        assert_eq!(parent.len(), 1);
        assert_eq!(parent[0].system_id, school);
        assert_eq!(parent[0].activities, vec!["Elevadministrasjon".to_owned()]);
        assert_eq!(parent[0].matched_subjects, vec!["dpv:Parent".to_owned()]);
        assert_eq!(parent[0].task_id, Some(Uuid::from_u128(9)));
        let everything = route(
            &["dpv:Parent".into()],
            true,
            &systems,
            &activities,
            &existing,
        );
        let names: Vec<&str> = everything.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["Lønn", "Skolearena"]);
        assert!(route(&[], false, &systems, &activities, &existing).is_empty());
    }

    fn any_event() -> impl Strategy<Value = TaskEvent> {
        let outcome = prop_oneof![
            Just(TaskOutcome::NoData),
            Just(TaskOutcome::Data),
            Just(TaskOutcome::Error)
        ];
        prop_oneof![
            Just(TaskEvent::Accepted),
            outcome.clone().prop_map(TaskEvent::Answered),
            (1u32..6).prop_map(|max| TaskEvent::AttemptFailed { max }),
            Just(TaskEvent::Overdue),
            outcome.prop_map(TaskEvent::AnsweredByHand),
            Just(TaskEvent::Resend),
            Just(TaskEvent::Cancel),
        ]
    }

    proptest! {
        #[test]
        fn closed_tasks_stay_closed_and_states_stay_consistent(
            connector in any::<bool>(),
            events in proptest::collection::vec(any_event(), 0..20),
        ) {
            let mut t = TaskState::new(connector);
            for event in events {
                let before = t;
                match t.apply(event) {
                    Ok(next) => {
                        prop_assert!(before.status.is_open());
                        t = next;
                    }
                    Err(_) => prop_assert_eq!(t, before),
                }
                // Manual always says why; done always says what was found.
                if t.status == TaskStatus::Manual {
                    prop_assert!(t.reason.is_some());
                }
                if t.status == TaskStatus::Done {
                    prop_assert!(matches!(t.outcome, Some(TaskOutcome::NoData | TaskOutcome::Data)));
                }
                // Without a connector nothing is ever sent.
                if !connector {
                    prop_assert_ne!(t.status, TaskStatus::Queued);
                    prop_assert_ne!(t.status, TaskStatus::AwaitingAnswer);
                    prop_assert_eq!(t.attempts, 0);
                }
            }
        }
    }
}
