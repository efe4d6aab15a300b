//! Demo data: the 357 municipalities of 2024 as organisations, plus a few made-up vendors
//! and an authority. Every name outside the code list is invented, and every organisation
//! number is built in the 100 000 000 range, which Enhetsregisteret does not assign.
//! Seeding is idempotent: what exists is kept.

use chrono::{DateTime, Utc};
use sea_orm::TransactionTrait;
use vern_domain::organization::{check_digit, kommuner_2024, municipality_display_name};
use vern_domain::{KommuneNumber, OrgKind, OrgNumber};

use crate::organizations::{self, NewOrganization};
use crate::{Database, DbError};

/// Made-up vendors and an authority for the demo.
const DEMO_ORGS: &[(OrgKind, &str, u32)] = &[
    (OrgKind::Vendor, "Fjordlys Programvare AS", 1),
    (OrgKind::Vendor, "Nordavind Skyløsninger AS", 2),
    (OrgKind::Vendor, "Elvebakken Journal AS", 3),
    (
        OrgKind::Authority,
        "Direktoratet for digital samhandling (demo)",
        4,
    ),
    (OrgKind::Platform, "Vern drift (demo)", 5),
];

/// A valid organisation number in the unassigned 1xxxxxxxx range, from a small serial.
pub fn synthetic_org_number(serial: u32) -> Option<OrgNumber> {
    (0..10).find_map(|bump| {
        let base = 10_000_000 + serial * 10 + bump;
        let digits: Vec<u32> = format!("{base:08}")
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        let check = check_digit(&digits)?;
        OrgNumber::parse(&format!("{base:08}{check}")).ok()
    })
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    pub created: usize,
    pub kept: usize,
}

/// Seeds the demo organisations in one transaction. `progress(done, total)` is called as it
/// goes, so the command line can show it.
pub async fn seed_demo(
    db: &Database,
    now: DateTime<Utc>,
    mut progress: impl FnMut(usize, usize),
) -> Result<SeedReport, DbError> {
    let txn = db.conn.begin().await?;
    let existing = organizations::existing_kommunenumre(&txn).await?;
    let already_seeded = organizations::count(&txn).await? > 0;
    let total = kommuner_2024().len() + DEMO_ORGS.len();
    let mut report = SeedReport::default();
    for (i, kommune) in kommuner_2024().iter().enumerate() {
        if existing.iter().any(|k| k == kommune.number) {
            report.kept += 1;
        } else {
            let number = KommuneNumber::parse(kommune.number)
                .map_err(|_| DbError::InvalidRow("code list"))?;
            let new = NewOrganization {
                kind: OrgKind::Municipality,
                name: municipality_display_name(kommune),
                org_number: None,
                kommunenummer: Some(number),
            };
            organizations::insert(&txn, new, now).await?;
            report.created += 1;
        }
        if i % 25 == 0 {
            progress(i, total);
        }
    }
    // The made-up organisations are only added to a database that had none of its own.
    if !already_seeded {
        for (kind, name, serial) in DEMO_ORGS {
            let new = NewOrganization {
                kind: *kind,
                name: (*name).to_owned(),
                org_number: synthetic_org_number(*serial),
                kommunenummer: None,
            };
            organizations::insert(&txn, new, now).await?;
            report.created += 1;
        }
    } else {
        report.kept += DEMO_ORGS.len();
    }
    report.created += crate::seed_register::seed_register(&txn, now).await?;
    report.created += crate::seed_register::seed_activities(&txn, now).await?;
    report.created += crate::seed_register::seed_vendor_change(&txn, now).await?;
    report.created += crate::seed_register::seed_reuse(&txn, now).await?;
    txn.commit().await?;
    progress(total, total);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_org_numbers_are_valid_distinct_and_outside_the_assigned_range() {
        let numbers: Vec<_> = (1..=50).filter_map(synthetic_org_number).collect();
        assert_eq!(numbers.len(), 50);
        for n in &numbers {
            assert!(n.as_str().starts_with('1'), "{n}");
        }
        let mut unique = numbers.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), numbers.len());
    }
}
