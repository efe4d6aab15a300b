//! A system in use in a municipality: a product from the catalogue, or an own system
//! described by the municipality itself. Its status follows a small life cycle.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Errors, text, text_list};
use crate::OrganizationId;
use crate::problem::FieldError;

pub const MAX_UNIT: usize = 200;
pub const MAX_NOTES: usize = 4000;
pub const MAX_INTEGRATIONS: usize = 50;
pub const MAX_OWNERS: usize = 20;
pub const MAX_VERSION: usize = 50;

/// Where a system is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SystemStatus {
    Planned,
    InUse,
    PhasingOut,
    Retired,
}

impl SystemStatus {
    pub const ALL: [Self; 4] = [Self::Planned, Self::InUse, Self::PhasingOut, Self::Retired];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InUse => "in_use",
            Self::PhasingOut => "phasing_out",
            Self::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The statuses a system may move to from this one (staying is always allowed). A
    /// retired system stays retired: bringing it back is registering it anew, so that the
    /// record shows the gap.
    pub const fn next(self) -> &'static [Self] {
        match self {
            Self::Planned => &[Self::InUse, Self::Retired],
            Self::InUse => &[Self::PhasingOut, Self::Retired],
            Self::PhasingOut => &[Self::InUse, Self::Retired],
            Self::Retired => &[],
        }
    }

    pub fn may_become(self, next: Self) -> bool {
        self == next || self.next().contains(&next)
    }

    /// What an edit may set: the current status first, then the next steps.
    pub fn choices(self) -> Vec<Self> {
        std::iter::once(self)
            .chain(self.next().iter().copied())
            .collect()
    }
}

/// The body of create and update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemFacts {
    /// A published catalogue product; absent for an own system.
    #[serde(default)]
    pub product_id: Option<Uuid>,
    /// Required for an own system; for a catalogue product, a local name (default: the
    /// product's).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Skolearena (grunnskole)", max_length = 200)
    )]
    pub name: String,
    /// The unit that owns the system: "Oppvekst og utdanning".
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Oppvekst og utdanning", max_length = 200)
    )]
    pub owning_unit: String,
    /// The version in use, as the vendor numbers it: "2026.3". Empty: not recorded.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "2026.3", max_length = 50))]
    pub version: String,
    pub status: SystemStatus,
    /// Other systems it exchanges data with, by name.
    #[serde(default)]
    pub integrations: Vec<String>,
    /// When the entry must next be reviewed.
    #[serde(default)]
    pub review_date: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub notes: String,
    /// The system owners: users of the organisation holding the `system_owner` role, who
    /// may edit this system (and no other). Set by register editors.
    #[serde(default)]
    pub owners: Vec<Uuid>,
}

/// A system as the API answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct System {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    #[serde(flatten)]
    pub facts: SystemFacts,
    /// The catalogue product's name and vendor, when it is one.
    pub product_name: Option<String>,
    pub vendor_name: Option<String>,
    pub revision: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemPage {
    pub items: Vec<System>,
    pub next_cursor: Option<String>,
}

/// Checks and normalises a system's facts. `product_name` is the catalogue product's name
/// when `product_id` names one (the caller has checked it is published).
pub fn check_system(
    facts: &SystemFacts,
    product_name: Option<&str>,
) -> Result<SystemFacts, Vec<FieldError>> {
    let mut e = Errors::default();
    let name = text(&mut e, "name", &facts.name, product_name.is_none(), 200)
        .or_else(|| product_name.map(str::to_owned))
        .unwrap_or_default();
    let owning_unit =
        text(&mut e, "owning_unit", &facts.owning_unit, true, MAX_UNIT).unwrap_or_default();
    let integrations = text_list(
        &mut e,
        "integrations",
        &facts.integrations,
        MAX_INTEGRATIONS,
        200,
    );
    let notes = text(&mut e, "notes", &facts.notes, false, MAX_NOTES).unwrap_or_default();
    let version = text(&mut e, "version", &facts.version, false, MAX_VERSION).unwrap_or_default();
    let mut owners: Vec<Uuid> = Vec::new();
    if facts.owners.len() > MAX_OWNERS {
        e.add("owners", "too_many");
    } else {
        for o in &facts.owners {
            if !owners.contains(o) {
                owners.push(*o);
            }
        }
        owners.sort();
    }
    e.finish(SystemFacts {
        product_id: facts.product_id,
        name,
        owning_unit,
        version,
        status: facts.status,
        integrations,
        review_date: facts.review_date,
        notes,
        owners,
    })
}

/// Whether a system owner (who is not a register editor) may make this change: only to a
/// system they own, and without changing who owns it.
pub fn owner_may_change(
    user: Uuid,
    before: &SystemFacts,
    after: &SystemFacts,
) -> Result<(), FieldError> {
    if !before.owners.contains(&user) {
        return Err(FieldError {
            field: "owners".into(),
            code: "not_an_owner".into(),
        });
    }
    if before.owners != after.owners {
        return Err(FieldError {
            field: "owners".into(),
            code: "cannot_change".into(),
        });
    }
    Ok(())
}

/// Whether an update may change `before` into `after`: the status must follow the life
/// cycle, and a system does not switch between catalogue products (register a new one).
pub fn check_update(before: &SystemFacts, after: &SystemFacts) -> Result<(), FieldError> {
    if !before.status.may_become(after.status) {
        return Err(FieldError {
            field: "status".into(),
            code: "transition_not_allowed".into(),
        });
    }
    if before.product_id != after.product_id {
        return Err(FieldError {
            field: "product_id".into(),
            code: "cannot_change".into(),
        });
    }
    Ok(())
}

/// Whether the entry is due for review on `today`.
pub fn review_overdue(facts: &SystemFacts, today: NaiveDate) -> bool {
    facts.status != SystemStatus::Retired && facts.review_date.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn own() -> SystemFacts {
        SystemFacts {
            product_id: None,
            name: " Sakssystem ".into(),
            owning_unit: "Helse og omsorg".into(),
            version: " 4.2 ".into(),
            status: SystemStatus::InUse,
            integrations: vec!["Folkeregisteret".into(), "Folkeregisteret".into()],
            review_date: NaiveDate::from_ymd_opt(2027, 1, 31),
            notes: String::new(),
            owners: Vec::new(),
        }
    }

    #[test]
    fn owners_are_a_set_and_an_owner_edits_only_their_own_without_changing_owners() {
        let (a, b) = (Uuid::from_u128(2), Uuid::from_u128(1));
        let mut facts = own();
        facts.owners = vec![a, b, a];
        let checked = check_system(&facts, None).unwrap();
        assert_eq!(checked.owners, vec![b, a]);
        facts.owners = (0..=MAX_OWNERS as u128).map(Uuid::from_u128).collect();
        assert_eq!(check_system(&facts, None).unwrap_err()[0].code, "too_many");

        let mut after = checked.clone();
        after.notes = "Ny merknad".into();
        assert_eq!(owner_may_change(a, &checked, &after), Ok(()));
        assert_eq!(
            owner_may_change(Uuid::from_u128(3), &checked, &after)
                .unwrap_err()
                .code,
            "not_an_owner"
        );
        after.owners = vec![a];
        assert_eq!(
            owner_may_change(a, &checked, &after).unwrap_err().code,
            "cannot_change"
        );
    }

    #[test]
    fn own_systems_need_a_name_catalogue_products_lend_theirs() {
        let checked = check_system(&own(), None).unwrap();
        assert_eq!(checked.name, "Sakssystem");
        assert_eq!(checked.integrations, vec!["Folkeregisteret"]);
        let mut nameless = own();
        nameless.name = String::new();
        let errors = check_system(&nameless, None).unwrap_err();
        assert_eq!(errors[0].field, "name");
        nameless.product_id = Some(Uuid::nil());
        assert_eq!(
            check_system(&nameless, Some("Skolearena")).unwrap().name,
            "Skolearena"
        );
        nameless.owning_unit = " ".into();
        assert_eq!(
            check_system(&nameless, Some("Skolearena")).unwrap_err()[0].field,
            "owning_unit"
        );
    }

    #[test]
    fn the_life_cycle() {
        use SystemStatus as S;
        assert!(S::Planned.may_become(S::InUse));
        assert!(S::InUse.may_become(S::PhasingOut));
        assert!(S::PhasingOut.may_become(S::InUse));
        assert!(!S::InUse.may_become(S::Planned));
        assert!(!S::Retired.may_become(S::InUse));
        let mut after = own();
        after.status = S::Planned;
        assert_eq!(
            check_update(&own(), &after).unwrap_err().code,
            "transition_not_allowed"
        );
        let mut switched = own();
        switched.product_id = Some(Uuid::nil());
        assert_eq!(
            check_update(&own(), &switched).unwrap_err().field,
            "product_id"
        );
    }

    #[test]
    fn reviews_fall_due_after_their_date_unless_retired() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 2, d).unwrap();
        let mut s = own();
        assert!(review_overdue(&s, day(1)));
        s.review_date = Some(day(1));
        assert!(!review_overdue(&s, day(1)));
        s.status = SystemStatus::Retired;
        s.review_date = Some(day(1));
        assert!(!review_overdue(&s, day(2)));
    }

    proptest! {
        /// Retired is terminal; every status is reachable from planned; names round-trip.
        #[test]
        fn life_cycle_properties(path in prop::collection::vec(0usize..4, 0..12)) {
            let mut status = SystemStatus::Planned;
            for i in path {
                let next = SystemStatus::ALL[i];
                if status.may_become(next) {
                    prop_assert!(status != SystemStatus::Retired || next == SystemStatus::Retired);
                    status = next;
                }
                prop_assert_eq!(SystemStatus::parse(status.as_str()), Some(status));
            }
        }
    }

    #[test]
    fn every_status_is_reachable_from_planned() {
        let mut seen = vec![SystemStatus::Planned];
        let mut i = 0;
        while i < seen.len() {
            for next in seen[i].next() {
                if !seen.contains(next) {
                    seen.push(*next);
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), 4);
    }
}
