//! The DPIA itself (GDPR Art. 35(7)) as structured answers on a processing activity: a
//! systematic description of the processing and its purposes, the assessment of necessity and
//! proportionality, the risks to the data subjects with the measures against each, the data
//! protection officer's advice (Art. 35(2)), the data subjects' views where sought (Art.
//! 35(9)), and the conclusion — the remaining risk is acceptable, or Datatilsynet must be
//! consulted first (Art. 36(1)).
//!
//! A DPIA can be shared with other municipalities with the activity's template; what carries
//! over is the analysis (description, necessity, risks and measures, views), not the
//! publisher's DPO advice or conclusion: the copier completes its own.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::person::mentions_national_id;
use crate::problem::FieldError;

pub const MAX_TEXT: usize = 8000;
pub const MAX_RISK_TEXT: usize = 2000;
pub const MAX_RISKS: usize = 50;

/// Low, medium or high: likelihood, severity and risk alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Low,
    Medium,
    High,
}

impl Level {
    pub const ALL: [Self; 3] = [Self::Low, Self::Medium, Self::High];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == raw)
    }
}

/// The risk before measures from its likelihood and severity: high when either is high and
/// the other at least medium, low when both are low or one is low and the other medium,
/// medium otherwise.
pub const fn inherent_risk(likelihood: Level, severity: Level) -> Level {
    use Level::{High, Low, Medium};
    match (likelihood, severity) {
        (High, High) | (High, Medium) | (Medium, High) => High,
        (Low, Low) | (Low, Medium) | (Medium, Low) => Low,
        _ => Medium,
    }
}

/// One risk to the data subjects' rights and freedoms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskEntry {
    /// What could happen to the people, and how.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Uvedkommende ansatte ser helseopplysninger om elever.",
            max_length = 2000
        )
    )]
    pub description: String,
    pub likelihood: Level,
    pub severity: Level,
    /// The measures against it (Art. 35(7)(d)).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub measures: String,
    /// The risk that remains with the measures in place.
    pub residual: Level,
}

/// The conclusion of a DPIA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// The remaining risk is acceptable: the processing can go ahead.
    Acceptable,
    /// A high risk remains: consult Datatilsynet before processing (Art. 36(1)).
    PriorConsultation,
}

impl Conclusion {
    pub const ALL: [Self; 2] = [Self::Acceptable, Self::PriorConsultation];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Acceptable => "acceptable",
            Self::PriorConsultation => "prior_consultation",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// The structured answers of a DPIA.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentContent {
    /// Art. 35(7)(a): the processing described systematically, with its purposes.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 8000))]
    pub description: String,
    /// Art. 35(7)(b): why the processing is necessary and proportionate to its purposes.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 8000))]
    pub necessity: String,
    /// Art. 35(7)(c) and (d): the risks and the measures against each.
    #[serde(default)]
    pub risks: Vec<RiskEntry>,
    /// Art. 35(2): the data protection officer's advice.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 8000))]
    pub dpo_advice: String,
    /// Art. 35(9): the views of the data subjects or their representatives, where sought.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 8000))]
    pub subjects_views: String,
    #[serde(default)]
    pub conclusion: Option<Conclusion>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 8000))]
    pub conclusion_reasons: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    Draft,
    /// Complete: the activity's DPIA status is `completed`.
    Completed,
}

impl AssessmentStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Completed => "completed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "draft" => Some(Self::Draft),
            "completed" => Some(Self::Completed),
            _ => None,
        }
    }
}

/// The body of saving a DPIA.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentInput {
    #[serde(flatten)]
    pub content: AssessmentContent,
    /// Complete the DPIA: every part must be answered, and it sets the activity's DPIA
    /// status to `completed`. `false` saves a draft (and reopens a completed one).
    #[serde(default)]
    pub complete: bool,
}

fn text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    required: bool,
    max: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        if required {
            errors.push(FieldError::new(field, "required"));
        }
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, "too_long"));
    } else if mentions_national_id(value) {
        errors.push(FieldError::new(field, "contains_national_id"));
    }
    value.to_owned()
}

/// Checks a DPIA. A draft only needs its texts within bounds; completing needs every part
/// answered, measures against every risk, and a conclusion that fits the risks: a high
/// remaining risk cannot be concluded acceptable (Art. 36(1)).
pub fn check_assessment(input: &AssessmentInput) -> Result<AssessmentContent, Vec<FieldError>> {
    let c = &input.content;
    let done = input.complete;
    let mut errors = Vec::new();
    let description = text(&mut errors, "description", &c.description, done, MAX_TEXT);
    let necessity = text(&mut errors, "necessity", &c.necessity, done, MAX_TEXT);
    let dpo_advice = text(&mut errors, "dpo_advice", &c.dpo_advice, done, MAX_TEXT);
    let subjects_views = text(
        &mut errors,
        "subjects_views",
        &c.subjects_views,
        false,
        MAX_TEXT,
    );
    let conclusion_reasons = text(
        &mut errors,
        "conclusion_reasons",
        &c.conclusion_reasons,
        done,
        MAX_TEXT,
    );
    if c.risks.len() > MAX_RISKS {
        errors.push(FieldError::new("risks", "too_many"));
    } else if done && c.risks.is_empty() {
        errors.push(FieldError::new("risks", "required"));
    }
    let mut risks = Vec::new();
    for (i, r) in c.risks.iter().enumerate().take(MAX_RISKS) {
        risks.push(RiskEntry {
            description: text(
                &mut errors,
                &format!("risks[{i}].description"),
                &r.description,
                true,
                MAX_RISK_TEXT,
            ),
            measures: text(
                &mut errors,
                &format!("risks[{i}].measures"),
                &r.measures,
                done,
                MAX_RISK_TEXT,
            ),
            ..r.clone()
        });
    }
    match c.conclusion {
        None if done => errors.push(FieldError::new("conclusion", "required")),
        Some(Conclusion::Acceptable) if risks.iter().any(|r| r.residual == Level::High) => {
            errors.push(FieldError::new("conclusion", "residual_high_risk"));
        }
        _ => {}
    }
    if errors.is_empty() {
        Ok(AssessmentContent {
            description,
            necessity,
            risks,
            dpo_advice,
            subjects_views,
            conclusion: c.conclusion,
            conclusion_reasons,
        })
    } else {
        Err(errors)
    }
}

/// What another municipality receives with a template: the analysis, not the publisher's
/// DPO advice or conclusion.
pub fn shared(content: &AssessmentContent) -> AssessmentContent {
    AssessmentContent {
        dpo_advice: String::new(),
        conclusion: None,
        conclusion_reasons: String::new(),
        ..content.clone()
    }
}

/// The activity's DPIA status after saving its DPIA: completing it makes it `completed`;
/// saving a draft reopens a completed one (`required`) and leaves any other status alone.
pub fn activity_status_after(
    saved: AssessmentStatus,
    current: crate::register::activity::DpiaStatus,
) -> crate::register::activity::DpiaStatus {
    use crate::register::activity::DpiaStatus as S;
    match (saved, current) {
        (AssessmentStatus::Completed, _) => S::Completed,
        (AssessmentStatus::Draft, S::Completed) => S::Required,
        (AssessmentStatus::Draft, other) => other,
    }
}

/// What a template may carry of a DPIA: only a completed one, and only its analysis
/// ([`shared`]). `None` (nothing stored, or a draft) is refused on `include_dpia`.
pub fn shareable(
    stored: Option<(AssessmentStatus, &AssessmentContent)>,
) -> Result<AssessmentContent, FieldError> {
    match stored {
        Some((AssessmentStatus::Completed, content)) => Ok(shared(content)),
        _ => Err(FieldError::new("include_dpia", "no_completed_dpia")),
    }
}

/// Where a DPIA came from when it started as a copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentSource {
    pub template_id: Uuid,
    pub publisher_name: String,
}

/// A DPIA as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub activity_id: Uuid,
    #[serde(flatten)]
    pub content: AssessmentContent,
    pub status: AssessmentStatus,
    /// Each risk's level before measures, in the order of `risks`.
    pub inherent_risks: Vec<Level>,
    pub revision: i32,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Set when it started as a copy of another municipality's shared DPIA.
    pub copied_from: Option<AssessmentSource>,
}

impl Assessment {
    pub fn inherent(content: &AssessmentContent) -> Vec<Level> {
        content
            .risks
            .iter()
            .map(|r| inherent_risk(r.likelihood, r.severity))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn risk(residual: Level) -> RiskEntry {
        RiskEntry {
            description: "Uvedkommende ansatte ser helseopplysninger om elever.".into(),
            likelihood: Level::Medium,
            severity: Level::High,
            measures: "Tilgang etter tjenstlig behov; logging og kontroll av oppslag.".into(),
            residual,
        }
    }

    fn complete() -> AssessmentInput {
        AssessmentInput {
            content: AssessmentContent {
                description: " Elevadministrasjon i grunnskolen ".into(),
                necessity: "Opplæringslova krever det.".into(),
                risks: vec![risk(Level::Low)],
                dpo_advice: "Gjennomfør tiltakene før oppstart.".into(),
                subjects_views: String::new(),
                conclusion: Some(Conclusion::Acceptable),
                conclusion_reasons: "Restrisikoen er lav.".into(),
            },
            complete: true,
        }
    }

    fn codes(r: Result<AssessmentContent, Vec<FieldError>>) -> Vec<(String, String)> {
        r.expect_err("refused")
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_complete_dpia_answers_every_part() {
        let c = check_assessment(&complete()).expect("valid");
        assert_eq!(c.description, "Elevadministrasjon i grunnskolen");
        let mut empty = AssessmentInput {
            complete: true,
            ..Default::default()
        };
        let got = codes(check_assessment(&empty));
        for field in [
            "description",
            "necessity",
            "dpo_advice",
            "conclusion_reasons",
            "risks",
            "conclusion",
        ] {
            assert!(
                got.contains(&(field.into(), "required".into())),
                "{field}: {got:?}"
            );
        }
        // A draft may be empty.
        empty.complete = false;
        assert!(check_assessment(&empty).is_ok());
    }

    #[test]
    fn a_high_remaining_risk_cannot_be_concluded_acceptable() {
        let mut input = complete();
        input.content.risks.push(risk(Level::High));
        assert_eq!(
            codes(check_assessment(&input)),
            vec![("conclusion".into(), "residual_high_risk".into())]
        );
        input.content.conclusion = Some(Conclusion::PriorConsultation);
        assert!(check_assessment(&input).is_ok());
    }

    #[test]
    fn every_risk_needs_a_description_and_for_completion_its_measures() {
        let mut input = complete();
        input.content.risks[0].measures = " ".into();
        input.content.risks.push(RiskEntry {
            description: String::new(),
            ..risk(Level::Low)
        });
        assert_eq!(
            codes(check_assessment(&input)),
            vec![
                ("risks[0].measures".into(), "required".into()),
                ("risks[1].description".into(), "required".into())
            ]
        );
        input.complete = false;
        assert_eq!(
            codes(check_assessment(&input)),
            vec![("risks[1].description".into(), "required".into())]
        );
    }

    #[test]
    fn texts_refuse_national_identity_numbers() {
        let mut input = complete();
        input.content.subjects_views = "Innspill fra 02813299952".into();
        assert_eq!(
            codes(check_assessment(&input)),
            vec![("subjects_views".into(), "contains_national_id".into())]
        );
    }

    #[test]
    fn what_is_shared_leaves_the_dpo_advice_and_the_conclusion_behind() {
        let c = check_assessment(&complete()).expect("valid");
        let s = shared(&c);
        assert_eq!(s.description, c.description);
        assert_eq!(s.risks, c.risks);
        assert!(s.dpo_advice.is_empty() && s.conclusion.is_none());
        assert!(s.conclusion_reasons.is_empty());
    }

    #[test]
    fn saving_moves_the_activity_status_and_only_a_completed_dpia_is_shared() {
        use crate::register::activity::DpiaStatus as S;
        assert_eq!(
            activity_status_after(AssessmentStatus::Completed, S::NotAssessed),
            S::Completed
        );
        assert_eq!(
            activity_status_after(AssessmentStatus::Draft, S::Completed),
            S::Required
        );
        assert_eq!(
            activity_status_after(AssessmentStatus::Draft, S::NotRequired),
            S::NotRequired
        );
        let c = check_assessment(&complete()).expect("valid");
        assert_eq!(
            shareable(Some((AssessmentStatus::Completed, &c))),
            Ok(shared(&c))
        );
        let refused = Err(FieldError::new("include_dpia", "no_completed_dpia"));
        assert_eq!(shareable(Some((AssessmentStatus::Draft, &c))), refused);
        assert_eq!(shareable(None), refused);
    }

    fn level() -> impl Strategy<Value = Level> {
        prop_oneof![Just(Level::Low), Just(Level::Medium), Just(Level::High)]
    }

    proptest! {
        /// The inherent risk never falls below the lower of likelihood and severity nor
        /// rises above the higher, and it does not fall when either rises.
        #[test]
        fn the_risk_matrix_is_bounded_and_monotone(l in level(), s in level(), up in level()) {
            let r = inherent_risk(l, s);
            prop_assert!(r >= l.min(s) && r <= l.max(s));
            prop_assert_eq!(r, inherent_risk(s, l));
            if up >= l {
                prop_assert!(inherent_risk(up, s) >= r);
            }
        }

        /// Whatever the risks, a checked completed DPIA never concludes "acceptable" with a
        /// high remaining risk.
        #[test]
        fn no_completed_dpia_accepts_a_high_remaining_risk(
            residuals in proptest::collection::vec(level(), 1..6), accept: bool,
        ) {
            let mut input = complete();
            input.content.risks = residuals.iter().map(|r| risk(*r)).collect();
            input.content.conclusion = Some(if accept { Conclusion::Acceptable } else { Conclusion::PriorConsultation });
            if let Ok(c) = check_assessment(&input) {
                prop_assert!(!(c.conclusion == Some(Conclusion::Acceptable)
                    && c.risks.iter().any(|r| r.residual == Level::High)));
            }
        }
    }
}
