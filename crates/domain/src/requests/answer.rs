//! The draft of an answer to an access request (GDPR Art. 15): what each system found, and
//! for each system the information Art. 15(1) requires, taken from the register — purposes
//! (a), categories (b), recipients (c), retention (d), the rights (e), the right to complain
//! to Datatilsynet (f), sources (g) and automated decisions (h). The caseworker reviews it,
//! leaves out what may not be disclosed, and sends it as the answer.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RequestKind;
use super::task::{TaskResult, TaskStatus};
use crate::connector::TaskOutcome;
use crate::register::activity::{ActivityFacts, LegalBasisPair, Recipient, Transfer};
use crate::register::taxonomy::LegalBasis;

/// A right the resident has over the processing (Art. 15(1)(e)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Right {
    /// Art. 16.
    Rectification,
    /// Art. 17.
    Erasure,
    /// Art. 18.
    Restriction,
    /// Art. 21: for processing on (e) or (f).
    Objection,
    /// Art. 20: for processing on (a) or (b), by automated means.
    Portability,
}

/// The rights that apply to processing on these bases, and whether erasure is limited
/// because the processing is required by law or a public task (Art. 17(3)(b)).
pub fn rights_for(bases: &[LegalBasis]) -> (Vec<Right>, bool) {
    let mut rights = vec![Right::Rectification, Right::Erasure, Right::Restriction];
    if bases
        .iter()
        .any(|b| matches!(b, LegalBasis::PublicTask | LegalBasis::LegitimateInterests))
    {
        rights.push(Right::Objection);
    }
    if bases
        .iter()
        .any(|b| matches!(b, LegalBasis::Consent | LegalBasis::Contract))
    {
        rights.push(Right::Portability);
    }
    let limited = !bases.is_empty()
        && bases
            .iter()
            .all(|b| matches!(b, LegalBasis::LegalObligation | LegalBasis::PublicTask));
    (rights, limited)
}

/// A data category and how long it is kept (Art. 15(1)(b), (d)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerCategory {
    /// Taxonomy key: `pd:Name`.
    pub key: String,
    pub retention: String,
}

/// A processing activity as the answer explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerActivity {
    pub name: String,
    pub purposes: Vec<String>,
    pub legal_bases: Vec<LegalBasisPair>,
    pub categories: Vec<AnswerCategory>,
    pub recipients: Vec<Recipient>,
    pub transfers: Vec<Transfer>,
    /// Empty: the data come from the person.
    pub sources: Vec<String>,
    /// Empty: no automated decisions.
    pub automated_decisions: String,
}

impl AnswerActivity {
    pub fn from_facts(facts: &ActivityFacts) -> Self {
        Self {
            name: facts.name.clone(),
            purposes: facts.purposes.clone(),
            legal_bases: facts.legal_bases.clone(),
            categories: facts
                .data_categories
                .iter()
                .map(|c| AnswerCategory {
                    key: c.category.clone(),
                    retention: c.retention.clone(),
                })
                .collect(),
            recipients: facts.recipients.clone(),
            transfers: facts.transfers.clone(),
            sources: facts.sources.clone(),
            automated_decisions: facts.automated_decisions.clone(),
        }
    }
}

/// One system in the answer: what it found and the processing it serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerSystem {
    pub system_id: Uuid,
    pub name: String,
    pub status: TaskStatus,
    pub outcome: Option<TaskOutcome>,
    /// What the system found (data only).
    pub found: Option<TaskResult>,
    /// The processing activities that use the system (for data only).
    pub activities: Vec<AnswerActivity>,
}

/// Something the caseworker should look at before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DraftWarning {
    /// The request has not been sent to any system.
    NoTasks,
    /// Some systems have not answered yet.
    TasksOpen,
    /// A system holding data has no processing activity in the register: purposes, legal
    /// basis and retention cannot be told.
    SystemWithoutActivity,
    /// The request is not for access: the draft still lists what was found, but Art. 15's
    /// information is for access requests.
    NotAccess,
}

/// The draft answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerDraft {
    pub request_id: Uuid,
    pub kind: RequestKind,
    pub generated_at: DateTime<Utc>,
    /// Systems holding data first, then those that found nothing, then those still open.
    pub systems: Vec<AnswerSystem>,
    /// The rights over the processing found (e), over all of its legal bases.
    pub rights: Vec<Right>,
    /// Erasure is limited: every basis found is a legal obligation or public task.
    pub erasure_limited: bool,
    pub warnings: Vec<DraftWarning>,
}

/// A task's part in the draft: its system, state and (opened) result.
#[derive(Debug, Clone)]
pub struct TaskPart {
    pub system_id: Uuid,
    pub system_name: String,
    pub status: TaskStatus,
    pub outcome: Option<TaskOutcome>,
    pub result: Option<TaskResult>,
}

/// Puts the draft together from the tasks and the register's activities (each with the
/// systems it uses).
pub fn assemble(
    request_id: Uuid,
    kind: RequestKind,
    tasks: Vec<TaskPart>,
    activities: &[ActivityFacts],
    now: DateTime<Utc>,
) -> AnswerDraft {
    let mut warnings = Vec::new();
    if kind != RequestKind::Access && kind != RequestKind::PartyAccess {
        warnings.push(DraftWarning::NotAccess);
    }
    if tasks.is_empty() {
        warnings.push(DraftWarning::NoTasks);
    }
    if tasks.iter().any(|t| t.status.is_open()) {
        warnings.push(DraftWarning::TasksOpen);
    }
    let mut bases: Vec<LegalBasis> = Vec::new();
    let mut systems: Vec<AnswerSystem> = tasks
        .into_iter()
        .filter(|t| t.status != TaskStatus::Cancelled)
        .map(|t| {
            let holds = t.outcome == Some(TaskOutcome::Data);
            let used: Vec<AnswerActivity> = if holds {
                activities
                    .iter()
                    .filter(|a| a.system_ids.contains(&t.system_id))
                    .map(AnswerActivity::from_facts)
                    .collect()
            } else {
                Vec::new()
            };
            if holds && used.is_empty() && !warnings.contains(&DraftWarning::SystemWithoutActivity)
            {
                warnings.push(DraftWarning::SystemWithoutActivity);
            }
            for a in &used {
                for b in &a.legal_bases {
                    if !bases.contains(&b.basis) {
                        bases.push(b.basis);
                    }
                }
            }
            AnswerSystem {
                system_id: t.system_id,
                name: t.system_name,
                status: t.status,
                outcome: t.outcome,
                found: if holds { t.result } else { None },
                activities: used,
            }
        })
        .collect();
    let rank = |s: &AnswerSystem| match (s.outcome, s.status.is_open()) {
        (Some(TaskOutcome::Data), _) => 0,
        (_, false) => 1,
        (_, true) => 2,
    };
    systems.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    let (rights, erasure_limited) = if bases.is_empty() {
        (Vec::new(), false)
    } else {
        rights_for(&bases)
    };
    AnswerDraft {
        request_id,
        kind,
        generated_at: now,
        systems,
        rights,
        erasure_limited,
        warnings,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::register::activity::tests::sample;

    #[test]
    fn rights_follow_the_legal_basis() {
        let (rights, limited) = rights_for(&[LegalBasis::PublicTask]);
        assert!(rights.contains(&Right::Objection));
        assert!(!rights.contains(&Right::Portability));
        assert!(limited);
        let (rights, limited) = rights_for(&[LegalBasis::Consent]);
        assert!(rights.contains(&Right::Portability));
        assert!(!rights.contains(&Right::Objection));
        assert!(!limited);
        let (_, limited) = rights_for(&[LegalBasis::PublicTask, LegalBasis::Consent]);
        assert!(!limited, "consent-based data can be erased");
    }

    fn task(
        system: u128,
        name: &str,
        status: TaskStatus,
        outcome: Option<TaskOutcome>,
    ) -> TaskPart {
        TaskPart {
            system_id: Uuid::from_u128(system),
            system_name: name.into(),
            status,
            outcome,
            result: outcome.map(|o| TaskResult {
                outcome: o,
                package: None,
                files: Vec::new(),
                comment: Some("Elevmappe".into()),
            }),
        }
    }

    #[test]
    fn systems_holding_data_come_first_with_the_register_s_facts() {
        let mut school = sample();
        school.system_ids = vec![Uuid::from_u128(1)];
        let draft = assemble(
            Uuid::from_u128(9),
            RequestKind::Access,
            vec![
                task(2, "Arkiv", TaskStatus::Done, Some(TaskOutcome::NoData)),
                task(1, "Skole", TaskStatus::Done, Some(TaskOutcome::Data)),
                task(3, "Lønn", TaskStatus::Manual, None),
            ],
            &[school.clone()],
            Utc::now(),
        );
        let names: Vec<&str> = draft.systems.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec!["Skole", "Arkiv", "Lønn"]);
        assert_eq!(draft.systems[0].activities.len(), 1);
        assert_eq!(draft.systems[0].activities[0].purposes, school.purposes);
        assert_eq!(draft.systems[0].activities[0].sources, school.sources);
        assert!(draft.systems[1].found.is_none() && draft.systems[1].activities.is_empty());
        assert_eq!(draft.warnings, vec![DraftWarning::TasksOpen]);
        assert!(!draft.rights.is_empty());
    }

    #[test]
    fn a_system_with_data_but_no_activity_is_flagged() {
        let draft = assemble(
            Uuid::from_u128(9),
            RequestKind::Erasure,
            vec![task(1, "Skole", TaskStatus::Done, Some(TaskOutcome::Data))],
            &[],
            Utc::now(),
        );
        assert!(
            draft
                .warnings
                .contains(&DraftWarning::SystemWithoutActivity)
        );
        assert!(draft.warnings.contains(&DraftWarning::NotAccess));
        assert!(draft.rights.is_empty());
        let empty = assemble(
            Uuid::from_u128(9),
            RequestKind::Access,
            vec![],
            &[],
            Utc::now(),
        );
        assert_eq!(empty.warnings, vec![DraftWarning::NoTasks]);
    }
}
