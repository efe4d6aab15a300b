//! Review items. When a vendor changes a fact about a product that its customers rely on
//! (where data are kept, who helps process them, how they are secured, which data the
//! product holds), every municipality using the product must look again at the systems and
//! processing activities built on it. Each affected entry gets one item that shows the facts
//! before and after; further changes before anyone has looked fold into the same item.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::product::{HostingLocation, MaterialFact, ProductFacts, SubProcessor};
use super::{Errors, text};
use crate::OrganizationId;
use crate::problem::FieldError;

pub const MAX_NOTE: usize = 1000;

/// The facts of a product that matter to its customers, as one revision had them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaterialFacts {
    pub hosting: Vec<HostingLocation>,
    pub sub_processors: Vec<SubProcessor>,
    pub security_measures: Vec<String>,
    /// Taxonomy keys (`pd:Health`, …).
    pub data_categories: Vec<String>,
}

impl MaterialFacts {
    pub fn of(facts: &ProductFacts) -> Self {
        Self {
            hosting: facts.hosting.clone(),
            sub_processors: facts.sub_processors.clone(),
            security_measures: facts.security_measures.clone(),
            data_categories: facts.data_categories.clone(),
        }
    }

    /// Which facts differ from `other`; order within a list is not a change.
    pub fn changes(&self, other: &Self) -> Vec<MaterialFact> {
        fn set<T: Ord + Clone>(v: &[T]) -> std::collections::BTreeSet<T> {
            v.iter().cloned().collect()
        }
        let mut out = Vec::new();
        if set(&self.hosting) != set(&other.hosting) {
            out.push(MaterialFact::Hosting);
        }
        if set(&self.sub_processors) != set(&other.sub_processors) {
            out.push(MaterialFact::SubProcessors);
        }
        if set(&self.security_measures) != set(&other.security_measures) {
            out.push(MaterialFact::SecurityMeasures);
        }
        if set(&self.data_categories) != set(&other.data_categories) {
            out.push(MaterialFact::DataCategories);
        }
        out
    }
}

/// The kind of register entry an item asks to review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewSubject {
    System,
    ProcessingActivity,
}

impl ReviewSubject {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::ProcessingActivity => "processing_activity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::System, Self::ProcessingActivity]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Open until someone has looked; withdrawn when the vendor changed the facts back before
/// anyone did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Open,
    Resolved,
    Withdrawn,
}

impl ReviewStatus {
    pub const ALL: [Self; 3] = [Self::Open, Self::Resolved, Self::Withdrawn];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Resolved => "resolved",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Only an open item moves, and only once.
    pub const fn can_become(self, next: Self) -> bool {
        matches!(
            (self, next),
            (Self::Open, Self::Resolved) | (Self::Open, Self::Withdrawn)
        )
    }
}

/// What the reviewer concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// The entry still holds as it is.
    NoChangeNeeded,
    /// The entry was brought up to date (or will be; the note says how).
    EntryUpdated,
    /// The change is not acceptable: the municipality takes it up with the vendor.
    RaisedWithVendor,
}

impl ReviewOutcome {
    pub const ALL: [Self; 3] = [
        Self::NoChangeNeeded,
        Self::EntryUpdated,
        Self::RaisedWithVendor,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NoChangeNeeded => "no_change_needed",
            Self::EntryUpdated => "entry_updated",
            Self::RaisedWithVendor => "raised_with_vendor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// Who may resolve an item besides a register editor: a system owner, for an item on a
/// system that names them.
pub fn owner_may_resolve(subject: ReviewSubject, system_owners: &[Uuid], user: Uuid) -> bool {
    subject == ReviewSubject::System && system_owners.contains(&user)
}

/// The body of resolving an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewResolution {
    pub outcome: ReviewOutcome,
    /// What was assessed or done; required unless nothing needed changing. No personal data.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 1000,
            example = "Ny driftsleverandør i Sverige er innenfor EØS; avtalen dekker den."
        )
    )]
    pub note: String,
}

/// Checks a resolution: the note trimmed and bounded, and required when the reviewer says
/// something was done or is disputed (so that the record shows what).
pub fn check_resolution(r: &ReviewResolution) -> Result<ReviewResolution, Vec<FieldError>> {
    let mut e = Errors::default();
    let required = r.outcome != ReviewOutcome::NoChangeNeeded;
    let note = text(&mut e, "note", &r.note, required, MAX_NOTE).unwrap_or_default();
    e.finish(ReviewResolution {
        outcome: r.outcome,
        note,
    })
}

/// The product change an item shows: the facts at the last revision the municipality had
/// seen (`from_revision`) and at the newest (`to_revision`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductChange {
    pub from_revision: i32,
    pub to_revision: i32,
    pub changes: Vec<MaterialFact>,
    pub before: MaterialFacts,
    pub after: MaterialFacts,
}

/// The change a new product revision makes to an entry's item: a fresh item when none is
/// open, else the open one with its `before` kept and the newest `after`. `None` when the
/// net change is nothing (a fresh save without material change, or a change reverted before
/// anyone looked — the open item is then withdrawn).
pub fn fold_change(
    open: Option<&ProductChange>,
    previous: &ProductFacts,
    previous_revision: i32,
    current: &ProductFacts,
    current_revision: i32,
) -> Option<ProductChange> {
    let (from_revision, before) = match open {
        Some(open) => (open.from_revision, open.before.clone()),
        None => (previous_revision, MaterialFacts::of(previous)),
    };
    let after = MaterialFacts::of(current);
    let changes = before.changes(&after);
    if changes.is_empty() {
        return None;
    }
    Some(ProductChange {
        from_revision,
        to_revision: current_revision,
        changes,
        before,
        after,
    })
}

/// A review item as the API answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub subject: ReviewSubject,
    pub subject_id: Uuid,
    /// The system's or activity's name now.
    pub subject_name: String,
    pub product_id: Uuid,
    pub product_name: String,
    pub vendor_name: String,
    #[serde(flatten)]
    pub change: ProductChange,
    pub status: ReviewStatus,
    pub outcome: Option<ReviewOutcome>,
    pub note: Option<String>,
    pub resolved_by: Option<Uuid>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Goes up with every change (a folded vendor change, the resolution); the ETag.
    pub revision: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::pagination::page_type!(
    /// One page of review items, newest first.
    ReviewItemPage,
    ReviewItem
);

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::register::product::{HostingRole, check_product};

    fn product() -> ProductFacts {
        check_product(&crate::register::product::tests::sample()).unwrap()
    }

    fn moved_to(facts: &ProductFacts, country: &str) -> ProductFacts {
        let mut f = facts.clone();
        f.hosting = vec![HostingLocation {
            country: country.into(),
            role: HostingRole::Storage,
        }];
        f
    }

    #[test]
    fn a_new_hosting_country_opens_an_item_with_before_and_after() {
        let v1 = product();
        let v2 = moved_to(&v1, "SE");
        let change = fold_change(None, &v1, 1, &v2, 2).unwrap();
        assert_eq!(change.changes, vec![MaterialFact::Hosting]);
        assert_eq!((change.from_revision, change.to_revision), (1, 2));
        assert_eq!(change.before.hosting, v1.hosting);
        assert_eq!(change.after.hosting[0].country, "SE");
    }

    #[test]
    fn immaterial_changes_open_nothing() {
        let v1 = product();
        let mut v2 = v1.clone();
        v2.description = "Ny beskrivelse".into();
        v2.version = "2027.1".into();
        v2.certifications.push("ISO/IEC 27701:2019".into());
        assert_eq!(fold_change(None, &v1, 1, &v2, 2), None);
    }

    #[test]
    fn a_second_change_folds_into_the_open_item_keeping_what_was_seen() {
        let v1 = product();
        let v2 = moved_to(&v1, "SE");
        let mut v3 = v2.clone();
        v3.security_measures
            .push("Tofaktorinnlogging for driftspersonell".into());
        let open = fold_change(None, &v1, 1, &v2, 2).unwrap();
        let folded = fold_change(Some(&open), &v2, 2, &v3, 3).unwrap();
        assert_eq!(folded.from_revision, 1);
        assert_eq!(folded.to_revision, 3);
        assert_eq!(folded.before, MaterialFacts::of(&v1));
        assert_eq!(
            folded.changes,
            vec![MaterialFact::Hosting, MaterialFact::SecurityMeasures]
        );
    }

    #[test]
    fn a_change_reverted_before_review_leaves_nothing_to_review() {
        let v1 = product();
        let v2 = moved_to(&v1, "US");
        let open = fold_change(None, &v1, 1, &v2, 2).unwrap();
        assert_eq!(fold_change(Some(&open), &v2, 2, &v1, 3), None);
    }

    #[test]
    fn only_an_open_item_is_resolved_or_withdrawn() {
        use ReviewStatus::*;
        for from in ReviewStatus::ALL {
            for to in ReviewStatus::ALL {
                let allowed = from == Open && to != Open;
                assert_eq!(from.can_become(to), allowed, "{from:?} → {to:?}");
            }
        }
        assert_eq!(ReviewStatus::parse("resolved"), Some(Resolved));
        for o in ReviewOutcome::ALL {
            assert_eq!(ReviewOutcome::parse(o.as_str()), Some(o));
            assert_eq!(serde_json::to_value(o).unwrap(), o.as_str());
        }
        let (owner, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert!(owner_may_resolve(ReviewSubject::System, &[owner], owner));
        assert!(!owner_may_resolve(ReviewSubject::System, &[owner], other));
        assert!(!owner_may_resolve(
            ReviewSubject::ProcessingActivity,
            &[owner],
            owner
        ));
        assert_eq!(ReviewStatus::parse("Resolved"), None);
        assert_eq!(
            ReviewSubject::parse("processing_activity"),
            Some(ReviewSubject::ProcessingActivity)
        );
    }

    #[test]
    fn a_resolution_says_what_was_done_unless_nothing_was() {
        let ok = check_resolution(&ReviewResolution {
            outcome: ReviewOutcome::NoChangeNeeded,
            note: "  ".into(),
        })
        .unwrap();
        assert_eq!(ok.note, "");
        let err = check_resolution(&ReviewResolution {
            outcome: ReviewOutcome::EntryUpdated,
            note: " ".into(),
        })
        .unwrap_err();
        assert_eq!(err[0].field, "note");
        assert_eq!(err[0].code, "required");
        let err = check_resolution(&ReviewResolution {
            outcome: ReviewOutcome::RaisedWithVendor,
            note: "x".repeat(MAX_NOTE + 1),
        })
        .unwrap_err();
        assert_eq!(err[0].code, "too_long");
    }

    fn countries() -> impl Strategy<Value = Vec<&'static str>> {
        prop::collection::vec(
            prop::sample::select(vec!["NO", "SE", "DK", "US", "IN"]),
            0..4,
        )
    }

    fn with_hosting(base: &ProductFacts, countries: &[&str]) -> ProductFacts {
        let mut f = base.clone();
        f.hosting = countries
            .iter()
            .map(|c| HostingLocation {
                country: (*c).into(),
                role: HostingRole::Processing,
            })
            .collect();
        f.hosting.sort();
        f.hosting.dedup();
        f
    }

    proptest! {
        /// However many revisions follow, the open item compares the first revision seen
        /// with the newest: exactly the change a one-step save from the first to the last
        /// would have made.
        #[test]
        fn folding_is_the_same_as_one_step(steps in prop::collection::vec(countries(), 1..6)) {
            let base = product();
            let mut open: Option<ProductChange> = None;
            let mut previous = base.clone();
            for (i, step) in steps.iter().enumerate() {
                let current = with_hosting(&base, step);
                let rev = i32::try_from(i).unwrap() + 2;
                open = fold_change(open.as_ref(), &previous, rev - 1, &current, rev);
                previous = current;
            }
            let direct = fold_change(None, &base, 1, &previous, 1 + i32::try_from(steps.len()).unwrap());
            prop_assert_eq!(open.as_ref().map(|c| &c.changes), direct.as_ref().map(|c| &c.changes));
            prop_assert_eq!(open.as_ref().map(|c| &c.after), direct.as_ref().map(|c| &c.after));
        }

        #[test]
        fn changes_are_symmetric_and_empty_only_for_equal_sets(a in countries(), b in countries()) {
            let base = product();
            let fa = MaterialFacts::of(&with_hosting(&base, &a));
            let fb = MaterialFacts::of(&with_hosting(&base, &b));
            prop_assert_eq!(fa.changes(&fb), fb.changes(&fa));
            prop_assert_eq!(fa.changes(&fb).is_empty(), fa == fb);
        }
    }
}
