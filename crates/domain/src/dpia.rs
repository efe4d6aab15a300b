//! DPIA screening (GDPR Art. 35): whether a processing activity needs a data protection impact
//! assessment. The questions are data (`data/dpia-screening.csv`): the nine criteria of the
//! EDPB's guidelines (WP248) — two or more normally mean a DPIA — and Datatilsynet's list of
//! processing that always needs one, some entries on their own and some together with at
//! least one of the criteria.

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DpiaQuestionKind {
    /// One of WP248's nine criteria.
    Criterion,
    /// An entry of Datatilsynet's list: a DPIA is needed when at least `needs_criteria` of
    /// the criteria also apply (0: always).
    ListEntry { needs_criteria: u8 },
}

/// One screening question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DpiaQuestion {
    pub key: &'static str,
    pub kind: DpiaQuestionKind,
    pub nb: &'static str,
    pub nn: &'static str,
    pub en: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/dpia_questions.rs"));

/// Every question, criteria first, in the file's order.
pub fn questions() -> &'static [DpiaQuestion] {
    DPIA_QUESTIONS
}

pub fn question(key: &str) -> Option<&'static DpiaQuestion> {
    DPIA_QUESTIONS.iter().find(|q| q.key == key)
}

/// WP248: this many criteria or more normally mean a DPIA.
pub const CRITERIA_FOR_DPIA: usize = 2;

/// The answers of one screening: the keys that apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreeningAnswers {
    /// WP248 criteria that apply (`evaluation_scoring`, `sensitive_data`, …).
    #[serde(default)]
    pub criteria: Vec<String>,
    /// Entries of Datatilsynet's list that apply (`school_wellbeing`, `location_data`, …).
    #[serde(default)]
    pub list_entries: Vec<String>,
}

/// Why a DPIA is needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ScreeningReason {
    /// Two or more of WP248's criteria apply.
    Criteria { count: u8 },
    /// An entry of Datatilsynet's list applies (on its own, or with the criteria it needs).
    ListEntry { key: String },
}

/// The outcome of a screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Screening {
    pub dpia_required: bool,
    /// Empty when no DPIA is required.
    pub reasons: Vec<ScreeningReason>,
    /// List entries that apply but lack the criterion they need to require a DPIA.
    pub list_entries_short_of_criteria: Vec<String>,
}

fn checked(
    keys: &[String],
    field: &str,
    want_criterion: bool,
    errors: &mut Vec<FieldError>,
) -> Vec<&'static DpiaQuestion> {
    let mut out: Vec<&'static DpiaQuestion> = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        match question(key.trim()) {
            Some(q) if matches!(q.kind, DpiaQuestionKind::Criterion) == want_criterion => {
                if !out.iter().any(|o| o.key == q.key) {
                    out.push(q);
                }
            }
            _ => errors.push(FieldError::new(&format!("{field}[{i}]"), "unknown_value")),
        }
    }
    out
}

/// Screens a processing activity. Unknown keys are refused by field.
pub fn screen(answers: &ScreeningAnswers) -> Result<Screening, Vec<FieldError>> {
    let mut errors = Vec::new();
    let criteria = checked(&answers.criteria, "criteria", true, &mut errors);
    let entries = checked(&answers.list_entries, "list_entries", false, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let count = criteria.len();
    let mut reasons = Vec::new();
    if count >= CRITERIA_FOR_DPIA {
        reasons.push(ScreeningReason::Criteria {
            count: u8::try_from(count).unwrap_or(u8::MAX),
        });
    }
    let mut short = Vec::new();
    for entry in entries {
        let DpiaQuestionKind::ListEntry { needs_criteria } = entry.kind else {
            continue;
        };
        if count >= usize::from(needs_criteria) {
            reasons.push(ScreeningReason::ListEntry {
                key: entry.key.to_owned(),
            });
        } else {
            short.push(entry.key.to_owned());
        }
    }
    Ok(Screening {
        dpia_required: !reasons.is_empty(),
        reasons,
        list_entries_short_of_criteria: short,
    })
}

/// What a screening makes of the activity's DPIA status: a completed DPIA stays completed;
/// otherwise the screening decides between required and not required.
pub fn status_after(
    current: crate::register::activity::DpiaStatus,
    screening: &Screening,
) -> crate::register::activity::DpiaStatus {
    use crate::register::activity::DpiaStatus as S;
    match (current, screening.dpia_required) {
        (S::Completed, _) => S::Completed,
        (_, true) => S::Required,
        (_, false) => S::NotRequired,
    }
}

/// A question as the API gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DpiaQuestionView {
    pub key: String,
    /// `criterion` (WP248) or `list_entry` (Datatilsynet's list).
    pub kind: String,
    /// For a list entry: how many criteria must also apply (0: always a DPIA).
    pub needs_criteria: Option<u8>,
    pub nb: String,
    pub nn: String,
    pub en: String,
}

impl From<&DpiaQuestion> for DpiaQuestionView {
    fn from(q: &DpiaQuestion) -> Self {
        let (kind, needs) = match q.kind {
            DpiaQuestionKind::Criterion => ("criterion", None),
            DpiaQuestionKind::ListEntry { needs_criteria } => ("list_entry", Some(needs_criteria)),
        };
        Self {
            key: q.key.to_owned(),
            kind: kind.to_owned(),
            needs_criteria: needs,
            nb: q.nb.to_owned(),
            nn: q.nn.to_owned(),
            en: q.en.to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DpiaQuestionList {
    pub items: Vec<DpiaQuestionView>,
}

/// A screening as stored on an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredScreening {
    pub id: uuid::Uuid,
    pub activity_id: uuid::Uuid,
    pub answers: ScreeningAnswers,
    pub result: Screening,
    pub screened_at: chrono::DateTime<chrono::Utc>,
    /// Who screened it (name), when a person did.
    pub screened_by: Option<String>,
}

/// A new screening and the activity's DPIA status after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreeningOutcome {
    pub screening: StoredScreening,
    pub dpia: crate::register::activity::DpiaStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreeningPage {
    pub items: Vec<StoredScreening>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn answers(criteria: &[&str], list: &[&str]) -> ScreeningAnswers {
        ScreeningAnswers {
            criteria: criteria.iter().map(|s| (*s).to_owned()).collect(),
            list_entries: list.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn criteria_keys() -> Vec<&'static str> {
        questions()
            .iter()
            .filter(|q| q.kind == DpiaQuestionKind::Criterion)
            .map(|q| q.key)
            .collect()
    }

    #[test]
    fn the_questions_are_the_nine_criteria_and_the_list() {
        assert_eq!(criteria_keys().len(), 9);
        assert!(questions().len() > 9);
        assert!(
            questions()
                .iter()
                .all(|q| !q.nb.is_empty() && !q.nn.is_empty() && !q.en.is_empty())
        );
        assert_eq!(
            question("school_wellbeing").unwrap().kind,
            DpiaQuestionKind::ListEntry { needs_criteria: 0 }
        );
        assert_eq!(
            question("location_data").unwrap().kind,
            DpiaQuestionKind::ListEntry { needs_criteria: 1 }
        );
    }

    #[test]
    fn one_criterion_is_not_enough_two_are() {
        let one = screen(&answers(&["large_scale"], &[])).unwrap();
        assert!(!one.dpia_required);
        assert!(one.reasons.is_empty());
        let two = screen(&answers(&["large_scale", "vulnerable_subjects"], &[])).unwrap();
        assert!(two.dpia_required);
        assert_eq!(two.reasons, vec![ScreeningReason::Criteria { count: 2 }]);
        // The same criterion twice counts once.
        let twice = screen(&answers(&["large_scale", "large_scale"], &[])).unwrap();
        assert!(!twice.dpia_required);
    }

    #[test]
    fn list_entries_require_a_dpia_alone_or_with_a_criterion() {
        let alone = screen(&answers(&[], &["school_wellbeing"])).unwrap();
        assert!(alone.dpia_required);
        assert_eq!(
            alone.reasons,
            vec![ScreeningReason::ListEntry {
                key: "school_wellbeing".to_owned()
            }]
        );
        let short = screen(&answers(&[], &["location_data"])).unwrap();
        assert!(!short.dpia_required);
        assert_eq!(short.list_entries_short_of_criteria, vec!["location_data"]);
        let with = screen(&answers(&["systematic_monitoring"], &["location_data"])).unwrap();
        assert!(with.dpia_required);
    }

    #[test]
    fn unknown_or_misplaced_keys_are_refused_by_field() {
        let errors =
            screen(&answers(&["nonsense", "location_data"], &["large_scale"])).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["criteria[0]", "criteria[1]", "list_entries[0]"]);
    }

    #[test]
    fn a_completed_dpia_stays_completed() {
        use crate::register::activity::DpiaStatus as S;
        let yes = screen(&answers(&[], &["school_wellbeing"])).unwrap();
        let no = screen(&answers(&[], &[])).unwrap();
        assert_eq!(status_after(S::Completed, &no), S::Completed);
        assert_eq!(status_after(S::NotAssessed, &yes), S::Required);
        assert_eq!(status_after(S::Required, &no), S::NotRequired);
    }

    proptest! {
        #[test]
        fn criteria_alone_require_a_dpia_exactly_from_two(picks in proptest::collection::vec(0usize..9, 0..12)) {
            let keys = criteria_keys();
            let chosen: Vec<&str> = picks.iter().map(|i| keys[*i]).collect();
            let distinct: std::collections::BTreeSet<_> = chosen.iter().collect();
            let result = screen(&answers(&chosen, &[])).unwrap();
            prop_assert_eq!(result.dpia_required, distinct.len() >= CRITERIA_FOR_DPIA);
        }

        #[test]
        fn adding_an_answer_never_removes_the_need(
            picks in proptest::collection::vec(0usize..100, 0..8),
            extra in 0usize..100,
        ) {
            let all = questions();
            let split = |p: &[usize]| {
                let mut a = ScreeningAnswers::default();
                for i in p {
                    let q = &all[i % all.len()];
                    match q.kind {
                        DpiaQuestionKind::Criterion => a.criteria.push(q.key.to_owned()),
                        DpiaQuestionKind::ListEntry { .. } => a.list_entries.push(q.key.to_owned()),
                    }
                }
                a
            };
            let before = screen(&split(&picks)).unwrap();
            let mut more = picks.clone();
            more.push(extra);
            let after = screen(&split(&more)).unwrap();
            prop_assert!(!before.dpia_required || after.dpia_required);
        }
    }
}
