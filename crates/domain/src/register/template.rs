//! Reuse between municipalities: a processing activity published as a template, and a copy
//! of a template as another municipality's starting point. What carries over is the
//! description of the processing — purposes, legal bases, categories with their flags,
//! recipients, transfers, retention, measures — and the catalogue products it runs on. What
//! belongs to the publisher stays behind: its systems, status, review date, place in its
//! privacy statement, and its DPIA conclusion (the copying municipality makes its own).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::activity::{ActivityFacts, ActivityStatus, DpiaStatus};
use super::{Errors, text};
use crate::OrganizationId;
use crate::problem::FieldError;

pub const MAX_NOTE: usize = 2000;
pub const MAX_UNIT: usize = 200;

/// Why an activity cannot be published as a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishRefusal {
    /// Only an activity in the record (active) is a template: a draft is unfinished, a
    /// discontinued one is history.
    NotActive,
}

impl PublishRefusal {
    pub const fn code(self) -> &'static str {
        match self {
            Self::NotActive => "not_active",
        }
    }
}

/// The DPIA status a copy starts from: a DPIA found necessary for the publisher is
/// necessary for the copy too, but the copier must carry it out itself; a publisher's
/// conclusion that none was needed is not the copier's assessment.
pub const fn copied_dpia(publisher: DpiaStatus) -> DpiaStatus {
    match publisher {
        DpiaStatus::Required | DpiaStatus::Completed => DpiaStatus::Required,
        DpiaStatus::NotAssessed | DpiaStatus::NotRequired => DpiaStatus::NotAssessed,
    }
}

/// The template's facts from a checked activity: the activity without what belongs to
/// the publisher.
pub fn template_facts(activity: &ActivityFacts) -> Result<ActivityFacts, PublishRefusal> {
    if activity.status != ActivityStatus::Active {
        return Err(PublishRefusal::NotActive);
    }
    Ok(ActivityFacts {
        system_ids: Vec::new(),
        status: ActivityStatus::Draft,
        review_date: None,
        published: false,
        dpia: copied_dpia(activity.dpia),
        ..activity.clone()
    })
}

/// A copy of a template as a new draft of the copier, using `system_ids` of its own.
pub fn copy_facts(template: &ActivityFacts, system_ids: Vec<Uuid>) -> ActivityFacts {
    ActivityFacts {
        system_ids,
        status: ActivityStatus::Draft,
        review_date: None,
        published: false,
        dpia: copied_dpia(template.dpia),
        ..template.clone()
    }
}

/// The body of publishing (or republishing) an activity as a template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplatePublish {
    /// A word to those who copy it: what it covers, what to adapt. No personal data.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Dekker grunnskolen; tilpass oppbevaringstidene til arkivplanen deres.",
            max_length = 2000
        )
    )]
    pub note: String,
    /// Share the activity's DPIA with the template: its description, necessity and risks
    /// with their measures, not the DPO's advice or the conclusion.
    #[serde(default)]
    pub include_dpia: bool,
}

/// Checks the note.
pub fn check_publish(input: &TemplatePublish) -> Result<TemplatePublish, Vec<FieldError>> {
    let mut e = Errors::default();
    let note = text(&mut e, "note", &input.note, false, MAX_NOTE).unwrap_or_default();
    e.finish(TemplatePublish {
        note,
        include_dpia: input.include_dpia,
    })
}

/// A catalogue product a template's processing runs on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateProduct {
    pub product_id: Uuid,
    pub name: String,
    pub vendor_name: String,
    /// Whether the product is still in the catalogue (published by its vendor).
    pub available: bool,
}

/// The municipality that published a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplatePublisher {
    pub id: OrganizationId,
    pub name: String,
}

/// A published template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityTemplate {
    pub id: Uuid,
    pub publisher: TemplatePublisher,
    /// The activity it was made from (the publisher's).
    pub activity_id: Uuid,
    /// The activity's revision when it was last published; the activity may have moved on.
    pub activity_revision: i32,
    pub note: String,
    /// The description that carries over; systems, status, review date and publication are
    /// not part of it.
    pub facts: ActivityFacts,
    pub products: Vec<TemplateProduct>,
    /// How many times other municipalities have copied it.
    pub copies: u32,
    /// The publisher's shared DPIA: a copy starts its own DPIA from it.
    #[serde(default)]
    pub dpia: Option<crate::assessment::AssessmentContent>,
    pub revision: i32,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityTemplatePage {
    pub items: Vec<ActivityTemplate>,
    pub next_cursor: Option<String>,
}

/// The body of copying a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateCopyRequest {
    /// Register the template's products the organisation has no system for as planned
    /// systems (and link them); otherwise they are only reported.
    #[serde(default)]
    pub add_missing_systems: bool,
    /// The owning unit of the systems added; required when adding.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Oppvekst og utdanning", max_length = 200)
    )]
    pub owning_unit: String,
}

/// Checks a copy request: the owning unit is needed only when systems are to be added.
pub fn check_copy_request(
    input: &TemplateCopyRequest,
) -> Result<TemplateCopyRequest, Vec<FieldError>> {
    let mut e = Errors::default();
    let unit = text(
        &mut e,
        "owning_unit",
        &input.owning_unit,
        input.add_missing_systems,
        MAX_UNIT,
    )
    .unwrap_or_default();
    e.finish(TemplateCopyRequest {
        owning_unit: unit,
        ..input.clone()
    })
}

/// How the copier's systems cover the template's products: for each product, the copier's
/// systems built on it (not retired) are linked; a product with none is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub linked: Vec<Uuid>,
    pub missing: Vec<Uuid>,
}

/// `systems` are the copier's (system id, product id) pairs that are not retired.
pub fn coverage(products: &[Uuid], systems: &[(Uuid, Uuid)]) -> Coverage {
    let mut c = Coverage::default();
    for p in products {
        let mut found = false;
        for (system, product) in systems {
            if product == p {
                found = true;
                if !c.linked.contains(system) {
                    c.linked.push(*system);
                }
            }
        }
        if !found && !c.missing.contains(p) {
            c.missing.push(*p);
        }
    }
    c
}

/// What copying a template will do with its products: which products to register as
/// planned systems (asked for, and still in the catalogue) and which only to report.
pub fn split_missing(
    products: &[TemplateProduct],
    coverage: &Coverage,
    add_missing: bool,
) -> (Vec<TemplateProduct>, Vec<TemplateProduct>) {
    products
        .iter()
        .filter(|p| coverage.missing.contains(&p.product_id))
        .cloned()
        .partition(|p| add_missing && p.available)
}

/// What copying made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateCopy {
    /// The new draft activity.
    pub activity_id: Uuid,
    /// The organisation's systems linked because they run on the template's products.
    pub linked_systems: Vec<Uuid>,
    /// Planned systems registered for products the organisation had no system for.
    pub added_systems: Vec<Uuid>,
    /// Products the organisation has no system for and that were not added (not asked for,
    /// or no longer in the catalogue).
    pub missing_products: Vec<TemplateProduct>,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::register::activity::check_activity;
    use crate::register::activity::tests::sample;

    #[test]
    fn only_an_active_activity_is_a_template() {
        let mut f = check_activity(&sample()).expect("valid");
        for status in [ActivityStatus::Draft, ActivityStatus::Discontinued] {
            f.status = status;
            assert_eq!(template_facts(&f), Err(PublishRefusal::NotActive));
        }
        f.status = ActivityStatus::Active;
        assert!(template_facts(&f).is_ok());
    }

    #[test]
    fn what_belongs_to_the_publisher_stays_behind() {
        let mut f = check_activity(&sample()).expect("valid");
        f.system_ids = vec![Uuid::from_u128(1), Uuid::from_u128(2)];
        let t = template_facts(&f).expect("active");
        assert!(t.system_ids.is_empty());
        assert_eq!(t.status, ActivityStatus::Draft);
        assert_eq!(t.review_date, None);
        assert!(!t.published);
        // The description carries over.
        assert_eq!(t.purposes, f.purposes);
        assert_eq!(t.legal_bases, f.legal_bases);
        assert_eq!(t.data_categories, f.data_categories);
        assert_eq!(t.recipients, f.recipients);
        assert_eq!(t.public_summary, f.public_summary);
    }

    #[test]
    fn the_copier_makes_its_own_dpia_assessment() {
        assert_eq!(copied_dpia(DpiaStatus::Completed), DpiaStatus::Required);
        assert_eq!(copied_dpia(DpiaStatus::Required), DpiaStatus::Required);
        assert_eq!(
            copied_dpia(DpiaStatus::NotRequired),
            DpiaStatus::NotAssessed
        );
        assert_eq!(
            copied_dpia(DpiaStatus::NotAssessed),
            DpiaStatus::NotAssessed
        );
    }

    #[test]
    fn a_copy_is_a_draft_with_the_copiers_systems() {
        let f = check_activity(&sample()).expect("valid");
        let t = template_facts(&f).expect("active");
        let mine = vec![Uuid::from_u128(9)];
        let copy = copy_facts(&t, mine.clone());
        assert_eq!(copy.system_ids, mine);
        assert_eq!(copy.status, ActivityStatus::Draft);
        assert_eq!(copy.dpia, DpiaStatus::Required);
        assert_eq!(check_activity(&copy), Ok(copy.clone()));
    }

    #[test]
    fn adding_systems_needs_an_owning_unit() {
        let mut r = TemplateCopyRequest {
            add_missing_systems: true,
            owning_unit: "  ".into(),
        };
        let errors = check_copy_request(&r).expect_err("refused");
        assert_eq!(errors[0].field, "owning_unit");
        assert_eq!(errors[0].code, "required");
        r.add_missing_systems = false;
        assert!(check_copy_request(&r).is_ok());
        r.add_missing_systems = true;
        r.owning_unit = " Oppvekst ".into();
        assert_eq!(check_copy_request(&r).expect("ok").owning_unit, "Oppvekst");
    }

    #[test]
    fn a_long_note_is_refused() {
        let long = TemplatePublish {
            include_dpia: false,
            note: "x".repeat(MAX_NOTE + 1),
        };
        assert!(check_publish(&long).is_err());
        let ok = TemplatePublish {
            include_dpia: false,
            note: " Tilpass ".into(),
        };
        assert_eq!(check_publish(&ok).expect("ok").note, "Tilpass");
    }

    #[test]
    fn only_missing_products_still_in_the_catalogue_are_added_and_only_when_asked() {
        let product = |n: u128, available| TemplateProduct {
            product_id: Uuid::from_u128(n),
            name: format!("P{n}"),
            vendor_name: "V".into(),
            available,
        };
        let products = vec![product(1, true), product(2, true), product(3, false)];
        let c = coverage(
            &[Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3)],
            &[(Uuid::from_u128(10), Uuid::from_u128(1))],
        );
        let (add, report) = split_missing(&products, &c, true);
        assert_eq!(add, vec![product(2, true)]);
        assert_eq!(report, vec![product(3, false)]);
        let (add, report) = split_missing(&products, &c, false);
        assert!(add.is_empty());
        assert_eq!(report.len(), 2);
    }

    proptest! {
        /// Every template product is either covered by a linked system or missing, never
        /// both; every linked system runs on one of the template's products.
        #[test]
        fn coverage_partitions_the_products(
            products in prop::collection::vec(0u128..6, 0..6),
            systems in prop::collection::vec((100u128..110, 0u128..8), 0..10),
        ) {
            let products: Vec<Uuid> = products.into_iter().map(Uuid::from_u128).collect();
            let systems: Vec<(Uuid, Uuid)> = systems
                .into_iter()
                .map(|(s, p)| (Uuid::from_u128(s), Uuid::from_u128(p)))
                .collect();
            let c = coverage(&products, &systems);
            for p in &products {
                let covered = systems.iter().any(|(_, sp)| sp == p);
                prop_assert_eq!(c.missing.contains(p), !covered);
            }
            for s in &c.linked {
                prop_assert!(systems.iter().any(|(id, p)| id == s && products.contains(p)));
            }
            let mut unique = c.linked.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), c.linked.len());
        }

        /// A copy of a valid active activity's template is itself valid, whatever the
        /// publisher's DPIA status and status.
        #[test]
        fn copies_of_valid_activities_are_valid(
            dpia in prop::sample::select(DpiaStatus::ALL.to_vec()),
            systems in prop::collection::vec(0u128..50, 0..5),
        ) {
            let mut f = check_activity(&sample()).expect("valid");
            f.dpia = dpia;
            let t = template_facts(&f).expect("active");
            let ids: Vec<Uuid> = systems.into_iter().map(Uuid::from_u128).collect();
            let copy = copy_facts(&t, ids);
            prop_assert!(check_activity(&copy).is_ok());
            prop_assert_eq!(copy.dpia, copied_dpia(dpia));
        }
    }
}
