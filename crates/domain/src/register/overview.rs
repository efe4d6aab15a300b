//! The application overview (systems in use) as a spreadsheet: the columns of its export,
//! and reading an import back — in any of the three languages' headers, or the API's own
//! field names — into checked rows with a report of what is wrong in each.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::record::RecordLang;
use super::system::{System, SystemFacts, SystemStatus};
use crate::problem::FieldError;

/// At most this many rows in one import.
pub const MAX_IMPORT_ROWS: usize = 5000;

/// A column of the overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Id,
    Name,
    Product,
    Vendor,
    ProductId,
    Version,
    OwningUnit,
    Status,
    Integrations,
    ReviewDate,
    Notes,
}

impl Column {
    pub const ALL: [Self; 11] = [
        Self::Id,
        Self::Name,
        Self::Product,
        Self::Vendor,
        Self::ProductId,
        Self::Version,
        Self::OwningUnit,
        Self::Status,
        Self::Integrations,
        Self::ReviewDate,
        Self::Notes,
    ];

    /// The API's field name, also accepted as a header.
    pub const fn field(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Name => "name",
            Self::Product => "product",
            Self::Vendor => "vendor",
            Self::ProductId => "product_id",
            Self::Version => "version",
            Self::OwningUnit => "owning_unit",
            Self::Status => "status",
            Self::Integrations => "integrations",
            Self::ReviewDate => "review_date",
            Self::Notes => "notes",
        }
    }

    /// (nb, nn, en)
    const fn titles(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Id => ("Vern-ID", "Vern-ID", "Vern ID"),
            Self::Name => ("Navn", "Namn", "Name"),
            Self::Product => ("Produkt", "Produkt", "Product"),
            Self::Vendor => ("Leverandør", "Leverandør", "Vendor"),
            Self::ProductId => ("Produkt-ID", "Produkt-ID", "Product ID"),
            Self::Version => ("Versjon", "Versjon", "Version"),
            Self::OwningUnit => ("Eierenhet", "Eigareining", "Owning unit"),
            Self::Status => ("Status", "Status", "Status"),
            Self::Integrations => ("Integrasjoner", "Integrasjonar", "Integrations"),
            Self::ReviewDate => ("Neste gjennomgang", "Neste gjennomgang", "Next review"),
            Self::Notes => ("Merknader", "Merknader", "Notes"),
        }
    }

    pub const fn header(self, lang: RecordLang) -> &'static str {
        let (nb, nn, en) = self.titles();
        lang.pick(nb, nn, en)
    }

    /// The column a header names, in any language, ignoring case and surrounding space.
    pub fn recognise(header: &str) -> Option<Self> {
        let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
        Self::ALL.into_iter().find(|c| {
            let (nb, nn, en) = c.titles();
            [c.field(), nb, nn, en]
                .iter()
                .any(|t| t.to_lowercase() == h)
        })
    }
}

/// (nb, nn, en) of a status.
const fn status_titles(status: SystemStatus) -> (&'static str, &'static str, &'static str) {
    match status {
        SystemStatus::Planned => ("Planlagt", "Planlagd", "Planned"),
        SystemStatus::InUse => ("I bruk", "I bruk", "In use"),
        SystemStatus::PhasingOut => ("Fases ut", "Fasast ut", "Being phased out"),
        SystemStatus::Retired => ("Avviklet", "Avvikla", "Retired"),
    }
}

pub const fn status_label(status: SystemStatus, lang: RecordLang) -> &'static str {
    let (nb, nn, en) = status_titles(status);
    lang.pick(nb, nn, en)
}

/// An XLSX workbook's media type.
pub const XLSX_MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The form of an uploaded register file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Csv,
    Xlsx,
}

/// Which form an upload is, from its content type (its essence, lower case) and its bytes:
/// `text/csv` and the XLSX type say so; `application/octet-stream` (what generated clients
/// send for a file) is a workbook when it begins as a ZIP file does (`PK\x03\x04`; XLSX is
/// a ZIP package), else CSV. Any other type: `None` (415).
pub fn sheet_format(content_type: Option<&str>, body: &[u8]) -> Option<SheetFormat> {
    match content_type? {
        "text/csv" => Some(SheetFormat::Csv),
        XLSX_MEDIA_TYPE => Some(SheetFormat::Xlsx),
        "application/octet-stream" if body.starts_with(b"PK\x03\x04") => Some(SheetFormat::Xlsx),
        "application/octet-stream" => Some(SheetFormat::Csv),
        _ => None,
    }
}

/// The separator of a CSV file: Excel in Norway saves "CSV" with semicolons, others commas.
/// Whichever the header line holds more of.
pub fn csv_delimiter(header_line: &str) -> u8 {
    if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// A spreadsheet date cell (days since 1899-12-30, Excel's epoch) as a date.
pub fn spreadsheet_date(days: f64) -> Option<NaiveDate> {
    if !days.is_finite() || days < 0.0 {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(days.floor() as u64))
}

/// The catalogue product a row names by name (and vendor, when given): exactly one match,
/// else `not_in_catalogue` or `ambiguous`. `candidates` are the published products of that
/// name as (id, name, vendor name).
pub fn choose_product(
    candidates: &[(Uuid, String, String)],
    vendor: Option<&str>,
) -> Result<(Uuid, String), FieldError> {
    let matching: Vec<_> = candidates
        .iter()
        .filter(|(_, _, v)| vendor.is_none_or(|want| v.to_lowercase() == want.to_lowercase()))
        .collect();
    match matching.as_slice() {
        [(id, name, _)] => Ok((*id, name.clone())),
        [] => Err(error("product", "not_in_catalogue")),
        _ => Err(error("product", "ambiguous")),
    }
}

/// What importing a checked row does to the register: nothing when the facts are those the
/// system has, an update of an existing system, or a new one.
pub fn outcome(current: Option<&SystemFacts>, checked: &SystemFacts) -> ImportOutcome {
    match current {
        Some(c) if c == checked => ImportOutcome::Unchanged,
        Some(_) => ImportOutcome::Update,
        None => ImportOutcome::Create,
    }
}

/// A status by its API name or its label in any language, ignoring case.
pub fn parse_status(s: &str) -> Option<SystemStatus> {
    let s = s.trim().to_lowercase();
    SystemStatus::ALL.into_iter().find(|st| {
        let (nb, nn, en) = status_titles(*st);
        [st.as_str(), nb, nn, en]
            .iter()
            .any(|t| t.to_lowercase() == s)
    })
}

/// A date as ISO 8601 (2027-06-30) or as Norwegians write it (30.06.2027).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
}

/// The headers of an export.
pub fn headers(lang: RecordLang) -> Vec<&'static str> {
    Column::ALL.iter().map(|c| c.header(lang)).collect()
}

/// One system as an export row, in the order of [`headers`].
pub fn row(system: &System, lang: RecordLang) -> Vec<String> {
    let f = &system.facts;
    Column::ALL
        .iter()
        .map(|c| match c {
            Column::Id => system.id.to_string(),
            Column::Name => f.name.clone(),
            Column::Product => system.product_name.clone().unwrap_or_default(),
            Column::Vendor => system.vendor_name.clone().unwrap_or_default(),
            Column::ProductId => f.product_id.map(|p| p.to_string()).unwrap_or_default(),
            Column::Version => f.version.clone(),
            Column::OwningUnit => f.owning_unit.clone(),
            Column::Status => status_label(f.status, lang).to_owned(),
            Column::Integrations => f.integrations.join("; "),
            Column::ReviewDate => f.review_date.map(|d| d.to_string()).unwrap_or_default(),
            Column::Notes => f.notes.clone(),
        })
        .collect()
}

/// How a catalogue product is named in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductRef {
    None,
    Id(Uuid),
    /// By name, and vendor when given.
    Named {
        name: String,
        vendor: Option<String>,
    },
}

/// A row as read, before the product is looked up and the facts are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// The line in the file (the header is line 1).
    pub line: u32,
    pub id: Option<Uuid>,
    pub product: ProductRef,
    /// `product_id` is left empty; it is filled from `product` once looked up.
    pub facts: SystemFacts,
    pub errors: Vec<FieldError>,
}

/// What an import did (or, on a dry run, would do) with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    Create,
    Update,
    Unchanged,
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRowReport {
    /// The line in the file; the header is line 1.
    pub line: u32,
    /// The system's name as the row gives it (or its product's).
    pub name: String,
    pub outcome: ImportOutcome,
    /// The system created or updated (absent for invalid rows and new rows on a dry run).
    pub system_id: Option<Uuid>,
    pub errors: Vec<FieldError>,
}

/// The report of an import: per row, and in sums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub dry_run: bool,
    /// Whether anything was saved.
    pub written: bool,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub invalid: u32,
    pub rows: Vec<ImportRowReport>,
}

impl ImportReport {
    pub fn new(dry_run: bool, rows: Vec<ImportRowReport>) -> Self {
        let count = |o: ImportOutcome| {
            u32::try_from(rows.iter().filter(|r| r.outcome == o).count()).unwrap_or(u32::MAX)
        };
        Self {
            dry_run,
            written: false,
            created: count(ImportOutcome::Create),
            updated: count(ImportOutcome::Update),
            unchanged: count(ImportOutcome::Unchanged),
            invalid: count(ImportOutcome::Invalid),
            rows,
        }
    }
}

fn error(field: &str, code: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
    }
}

/// Reads a sheet (the first record is the header) into rows. A file-level problem (no
/// header, an unknown or repeated column, a required column missing, too many rows) is an
/// error for the whole file; a problem in a row stays in that row. Blank rows are skipped.
pub fn read_rows(records: &[Vec<String>]) -> Result<Vec<ImportRow>, Vec<FieldError>> {
    let Some((header, body)) = records.split_first() else {
        return Err(vec![error("file", "empty")]);
    };
    let mut columns: Vec<Option<Column>> = Vec::new();
    let mut errors = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if h.trim().is_empty() {
            columns.push(None);
            continue;
        }
        match Column::recognise(h) {
            Some(c) if columns.contains(&Some(c)) => {
                errors.push(error(&format!("columns[{i}]"), "duplicate"));
                columns.push(None);
            }
            Some(c) => columns.push(Some(c)),
            None => {
                errors.push(error(&format!("columns[{i}]"), "unknown_column"));
                columns.push(None);
            }
        }
    }
    let has = |c: Column| columns.contains(&Some(c));
    for required in [Column::OwningUnit, Column::Status] {
        if !has(required) {
            errors.push(error(&format!("columns.{}", required.field()), "missing"));
        }
    }
    if !has(Column::Name) && !has(Column::Product) && !has(Column::ProductId) {
        errors.push(error("columns.name", "missing"));
    }
    let filled = body
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()));
    if filled.clone().count() > MAX_IMPORT_ROWS {
        errors.push(error("file", "too_many_rows"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut rows = Vec::new();
    for (i, record) in body.iter().enumerate() {
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = u32::try_from(i + 2).unwrap_or(u32::MAX);
        let cell = |c: Column| -> &str {
            columns
                .iter()
                .position(|x| *x == Some(c))
                .and_then(|p| record.get(p))
                .map_or("", |s| s.trim())
        };
        let mut errors = Vec::new();
        let uuid = |c: Column, errors: &mut Vec<FieldError>| -> Option<Uuid> {
            let raw = cell(c);
            if raw.is_empty() {
                return None;
            }
            let parsed = raw.parse().ok();
            if parsed.is_none() {
                errors.push(error(c.field(), "not_a_uuid"));
            }
            parsed
        };
        let id = uuid(Column::Id, &mut errors);
        let product = match uuid(Column::ProductId, &mut errors) {
            Some(p) => ProductRef::Id(p),
            None if !cell(Column::Product).is_empty() => ProductRef::Named {
                name: cell(Column::Product).to_owned(),
                vendor: Some(cell(Column::Vendor).to_owned()).filter(|v| !v.is_empty()),
            },
            None => ProductRef::None,
        };
        let status = match parse_status(cell(Column::Status)) {
            Some(s) => s,
            None => {
                let code = if cell(Column::Status).is_empty() {
                    "required"
                } else {
                    "unknown_value"
                };
                errors.push(error("status", code));
                SystemStatus::Planned
            }
        };
        let review_date = match cell(Column::ReviewDate) {
            "" => None,
            raw => {
                let parsed = parse_date(raw);
                if parsed.is_none() {
                    errors.push(error("review_date", "not_a_date"));
                }
                parsed
            }
        };
        let integrations = cell(Column::Integrations)
            .split([';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        rows.push(ImportRow {
            line,
            id,
            product,
            facts: SystemFacts {
                product_id: None,
                name: cell(Column::Name).to_owned(),
                owning_unit: cell(Column::OwningUnit).to_owned(),
                version: cell(Column::Version).to_owned(),
                status,
                integrations,
                review_date,
                notes: cell(Column::Notes).to_owned(),
                // Owners are not in the sheet; an update keeps the system's own.
                owners: Vec::new(),
            },
            errors,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn headers_are_recognised_in_every_language_and_by_field_name() {
        for lang in [RecordLang::Nb, RecordLang::Nn, RecordLang::En] {
            for c in Column::ALL {
                assert_eq!(Column::recognise(c.header(lang)), Some(c));
                assert_eq!(Column::recognise(&c.header(lang).to_uppercase()), Some(c));
            }
        }
        assert_eq!(Column::recognise(" owning_unit "), Some(Column::OwningUnit));
        assert_eq!(Column::recognise("\u{feff}Vern-ID"), Some(Column::Id));
        assert_eq!(Column::recognise("Budsjett"), None);
    }

    #[test]
    fn statuses_and_dates_are_read_as_people_write_them() {
        assert_eq!(parse_status("I bruk"), Some(SystemStatus::InUse));
        assert_eq!(parse_status("fasast ut"), Some(SystemStatus::PhasingOut));
        assert_eq!(parse_status("Retired"), Some(SystemStatus::Retired));
        assert_eq!(parse_status("in_use"), Some(SystemStatus::InUse));
        assert_eq!(parse_status("Kanskje"), None);
        let d = NaiveDate::from_ymd_opt(2027, 6, 30);
        assert_eq!(parse_date("2027-06-30"), d);
        assert_eq!(parse_date("30.06.2027"), d);
        assert_eq!(parse_date("31.02.2027"), None);
    }

    #[test]
    fn sheets_are_read_as_spreadsheet_programs_write_them() {
        assert_eq!(csv_delimiter("Navn;Eierenhet;Status"), b';');
        assert_eq!(csv_delimiter("Navn,Eierenhet,Status"), b',');
        assert_eq!(csv_delimiter("Navn"), b',');
    }

    #[test]
    fn an_upload_is_csv_or_a_workbook_by_its_type_or_else_its_first_bytes() {
        assert_eq!(
            sheet_format(Some("text/csv"), b"PK\x03\x04"),
            Some(SheetFormat::Csv)
        );
        assert_eq!(
            sheet_format(Some(XLSX_MEDIA_TYPE), b"Navn"),
            Some(SheetFormat::Xlsx)
        );
        let octets = Some("application/octet-stream");
        assert_eq!(
            sheet_format(octets, b"PK\x03\x04\x14\0"),
            Some(SheetFormat::Xlsx)
        );
        assert_eq!(
            sheet_format(octets, b"Navn;Status\n"),
            Some(SheetFormat::Csv)
        );
        assert_eq!(sheet_format(octets, b"PK"), Some(SheetFormat::Csv));
        assert_eq!(sheet_format(Some("application/json"), b"{}"), None);
        assert_eq!(sheet_format(None, b"Navn"), None);
        assert_eq!(
            spreadsheet_date(46568.0),
            NaiveDate::from_ymd_opt(2027, 6, 30)
        );
        assert_eq!(
            spreadsheet_date(46568.75),
            NaiveDate::from_ymd_opt(2027, 6, 30)
        );
        assert_eq!(spreadsheet_date(-1.0), None);
        assert_eq!(spreadsheet_date(f64::NAN), None);
    }

    #[test]
    fn a_product_named_in_a_row_must_be_exactly_one() {
        let a = (
            Uuid::from_u128(1),
            "Møtebok".to_owned(),
            "Nordavind Skyløsninger AS".to_owned(),
        );
        let b = (
            Uuid::from_u128(2),
            "Møtebok".to_owned(),
            "Fjordlys Programvare AS".to_owned(),
        );
        assert_eq!(
            choose_product(std::slice::from_ref(&a), None),
            Ok((a.0, a.1.clone()))
        );
        assert_eq!(
            choose_product(&[a.clone(), b.clone()], None)
                .unwrap_err()
                .code,
            "ambiguous"
        );
        assert_eq!(
            choose_product(&[a.clone(), b.clone()], Some("fjordlys programvare as")),
            Ok((b.0, b.1.clone()))
        );
        assert_eq!(
            choose_product(&[a], Some("Elvebakken")).unwrap_err().code,
            "not_in_catalogue"
        );
        assert_eq!(
            choose_product(&[], None).unwrap_err().code,
            "not_in_catalogue"
        );
    }

    #[test]
    fn a_row_creates_updates_or_leaves_alone() {
        let facts = rows_facts();
        let mut changed = facts.clone();
        changed.notes = "Ny".into();
        assert_eq!(outcome(None, &facts), ImportOutcome::Create);
        assert_eq!(outcome(Some(&facts), &facts), ImportOutcome::Unchanged);
        assert_eq!(outcome(Some(&facts), &changed), ImportOutcome::Update);
    }

    fn rows_facts() -> SystemFacts {
        read_rows(&sheet(&[
            &["Navn", "Eierenhet", "Status"],
            &["Sak", "Arkiv", "I bruk"],
        ]))
        .unwrap()
        .remove(0)
        .facts
    }

    #[test]
    fn a_file_without_the_columns_it_needs_is_refused_whole() {
        let errors =
            read_rows(&sheet(&[&["Navn", "Budsjett", "Navn"], &["A", "1", "B"]])).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"columns[1]"));
        assert!(fields.contains(&"columns[2]"));
        assert!(fields.contains(&"columns.owning_unit"));
        assert!(fields.contains(&"columns.status"));
        assert_eq!(read_rows(&[]).unwrap_err()[0].field, "file");
    }

    #[test]
    fn each_row_carries_its_own_problems_and_blank_rows_are_skipped() {
        let rows = read_rows(&sheet(&[
            &[
                "Navn",
                "Produkt",
                "Leverandør",
                "Eierenhet",
                "Status",
                "Integrasjoner",
                "Neste gjennomgang",
            ],
            &[
                "Sak/arkiv",
                "",
                "",
                "Dokumentsenteret",
                "I bruk",
                "Folkeregisteret; Arkivkjernen",
                "30.06.2027",
            ],
            &["", "", "", "", "", "", ""],
            &[
                "",
                "Skolesekk",
                "Fjordlys Programvare AS",
                "Utdanningsetaten",
                "Kanskje",
                "",
                "i morgen",
            ],
        ]))
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert!(rows[0].errors.is_empty());
        assert_eq!(
            rows[0].facts.integrations,
            vec!["Folkeregisteret", "Arkivkjernen"]
        );
        assert_eq!(rows[0].facts.status, SystemStatus::InUse);
        assert_eq!(rows[1].line, 4);
        assert_eq!(
            rows[1].product,
            ProductRef::Named {
                name: "Skolesekk".into(),
                vendor: Some("Fjordlys Programvare AS".into())
            }
        );
        let codes: Vec<(&str, &str)> = rows[1]
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![("status", "unknown_value"), ("review_date", "not_a_date")]
        );
    }

    fn system(
        name: String,
        unit: String,
        status: SystemStatus,
        integrations: Vec<String>,
        day: Option<u32>,
    ) -> System {
        System {
            id: Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001),
            organization_id: crate::OrganizationId::from_uuid(Uuid::from_u128(7)),
            facts: SystemFacts {
                product_id: None,
                name,
                owning_unit: unit,
                version: "2026.3".into(),
                status,
                integrations,
                review_date: day.and_then(|d| {
                    NaiveDate::from_ymd_opt(2027, 1, 1).map(|s| s + chrono::Days::new(d.into()))
                }),
                notes: "Merknad; med semikolon".into(),
                owners: Vec::new(),
            },
            product_name: None,
            vendor_name: None,
            revision: 1,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    proptest! {
        /// Whatever a system holds, its export row reads back to the same facts, in every
        /// language.
        #[test]
        fn an_exported_row_reads_back_to_the_same_facts(
            name in "[A-Za-zÆØÅæøå0-9 ./-]{1,40}",
            unit in "[A-Za-zÆØÅæøå ]{1,30}",
            status in prop::sample::select(SystemStatus::ALL.to_vec()),
            integrations in prop::collection::vec("[A-Za-zÆØÅæøå0-9 ]{1,20}", 0..4),
            day in prop::option::of(0u32..2000),
            lang in prop::sample::select(vec![RecordLang::Nb, RecordLang::Nn, RecordLang::En]),
        ) {
            let integrations: Vec<String> = integrations.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
            let s = system(name.trim().to_owned(), unit.trim().to_owned(), status, integrations, day);
            prop_assume!(!s.facts.name.is_empty() && !s.facts.owning_unit.is_empty());
            let header: Vec<String> = headers(lang).into_iter().map(str::to_owned).collect();
            let rows = read_rows(&[header, row(&s, lang)]).unwrap();
            prop_assert_eq!(rows.len(), 1);
            prop_assert!(rows[0].errors.is_empty(), "{:?}", rows[0].errors);
            prop_assert_eq!(rows[0].id, Some(s.id));
            prop_assert_eq!(&rows[0].facts, &s.facts);
        }
    }
}
