//! The application overview (systems in use) as a spreadsheet: export as CSV or XLSX, and
//! import from either with a per-row report — checked in full before anything is written.

use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::problem::{FieldError, Problem, ProblemCode};
use vern_domain::register::overview::{
    ImportOutcome, ImportReport, ImportRow, ImportRowReport, ProductRef, headers, read_rows, row,
};
use vern_domain::register::record::RecordLang;
use vern_domain::register::system::{System, SystemFacts, check_system, check_update};

use super::common::{ParamErrors, entry_event};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(export_systems_csv)
        .service(export_systems_xlsx)
        .service(import_systems);
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// The language of the headers and statuses: `nb` (default), `nn` or `en`.
    #[param(pattern = "^(nb|nn|en)$")]
    lang: Option<String>,
}

fn lang_of(raw: Option<&str>) -> Result<RecordLang, ApiError> {
    let mut errors = ParamErrors::default();
    let lang = errors
        .choice("lang", raw, RecordLang::parse)
        .unwrap_or_default();
    errors.finish()?;
    Ok(lang)
}

fn attachment(org: OrganizationId, ext: &str) -> (&'static str, String) {
    (
        "Content-Disposition",
        format!("attachment; filename=\"systemoversikt-{org}.{ext}\""),
    )
}

async fn export_rows(
    caller: &Caller,
    state: &AppState,
    org: OrganizationId,
    params: &ExportParams,
) -> Result<(RecordLang, Vec<System>), ApiError> {
    caller
        .require_here(state, org, Permission::ReadRegister)
        .await?;
    let lang = lang_of(params.lang.as_deref())?;
    Ok((
        lang,
        vern_db::register::all_systems(&state.db.conn, org).await?,
    ))
}

/// The application overview as CSV (RFC 4180, UTF-8): a header row, then one row per system.
/// The file reads back through the import unchanged.
#[utoipa::path(
    tag = "register",
    operation_id = "export_systems_csv",
    summary = "Export the systems in use (CSV)",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ExportParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The systems as CSV", body = String, content_type = "text/csv"),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/systems.csv")]
pub async fn export_systems_csv(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<ExportParams>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    let (lang, systems) = export_rows(&caller, &state, org, &params).await?;
    let csv_error = |e: csv::Error| ApiError::internal(anyhow::anyhow!("csv: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(headers(lang)).map_err(csv_error)?;
    for s in &systems {
        writer.write_record(row(s, lang)).map_err(csv_error)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("csv: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(org, "csv"))
        .body(body))
}

/// The application overview as an Excel workbook: a bold header row, one row per system.
#[utoipa::path(
    tag = "register",
    operation_id = "export_systems_xlsx",
    summary = "Export the systems in use (XLSX)",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ExportParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The systems as a workbook", body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/systems.xlsx")]
pub async fn export_systems_xlsx(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<ExportParams>,
) -> Result<HttpResponse, ApiError> {
    use rust_xlsxwriter::{Format, Workbook};
    let org = org_id.into_inner();
    let (lang, systems) = export_rows(&caller, &state, org, &params).await?;
    let xlsx_error =
        |e: rust_xlsxwriter::XlsxError| ApiError::internal(anyhow::anyhow!("xlsx: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(match lang {
            RecordLang::En => "Systems in use",
            _ => "Systemoversikt",
        })
        .map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    for (col, title) in headers(lang).iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        sheet
            .write_string_with_format(0, col, *title, &bold)
            .map_err(xlsx_error)?;
        sheet.set_column_width(col, 24).map_err(xlsx_error)?;
    }
    for (i, s) in systems.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        for (col, cell) in row(s, lang).iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet.write_string(r, col, cell).map_err(xlsx_error)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    let bytes = workbook.save_to_buffer().map_err(xlsx_error)?;
    Ok(HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header(attachment(org, "xlsx"))
        .body(bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `true`: check every row and report, write nothing.
    #[param(value_type = Option<bool>)]
    dry_run: Option<String>,
    /// `all_or_nothing` (default): any invalid row and nothing is written (422).
    /// `valid_rows`: write the valid rows, report the others.
    #[param(pattern = "^(all_or_nothing|valid_rows)$")]
    mode: Option<String>,
}

/// The sheet's cells as text: CSV (UTF-8, comma or semicolon separated) or the first sheet
/// of an XLSX workbook.
fn read_sheet(req: &HttpRequest, body: &[u8]) -> Result<Vec<Vec<String>>, ApiError> {
    let unreadable = || {
        ApiError::new(ProblemCode::ValidationFailed)
            .field("file", "unreadable")
            .detail("the file could not be read as CSV or XLSX")
    };
    let mime = req.mime_type().ok().flatten();
    let essence = mime.as_ref().map(|m| m.essence_str().to_owned());
    match essence.as_deref() {
        Some("text/csv") => {
            let text = std::str::from_utf8(body).map_err(|_| unreadable())?;
            // Excel in Norway saves "CSV" with semicolons.
            let first_line = text.lines().next().unwrap_or_default();
            let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
                b';'
            } else {
                b','
            };
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(text.as_bytes());
            reader
                .records()
                .map(|r| {
                    r.map(|rec| rec.iter().map(str::to_owned).collect())
                        .map_err(|_| unreadable())
                })
                .collect()
        }
        Some(XLSX) => {
            use calamine::{Data, Reader, Xlsx};
            let mut workbook =
                Xlsx::new(std::io::Cursor::new(body.to_vec())).map_err(|_| unreadable())?;
            let range = workbook
                .worksheet_range_at(0)
                .ok_or_else(unreadable)?
                .map_err(|_| unreadable())?;
            Ok(range
                .rows()
                .map(|cells| {
                    cells
                        .iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            // Excel counts days from 1899-12-30.
                            Data::DateTime(d) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                                .and_then(|base| {
                                    base.checked_add_days(chrono::Days::new(d.as_f64() as u64))
                                })
                                .map(|day| day.to_string())
                                .unwrap_or_default(),
                            Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect())
        }
        _ => Err(ApiError::new(ProblemCode::UnsupportedMediaType)
            .detail("send the file as text/csv or as an XLSX workbook")),
    }
}

/// A row checked against the register: what it would do, and the facts to write.
struct Planned {
    report: ImportRowReport,
    write: Option<(Option<System>, SystemFacts)>,
}

async fn plan_row(
    state: &AppState,
    existing: &[System],
    row: ImportRow,
) -> Result<Planned, ApiError> {
    let mut errors = row.errors;
    let current = row.id.and_then(|id| existing.iter().find(|s| s.id == id));
    if row.id.is_some() && current.is_none() {
        errors.push(FieldError {
            field: "id".into(),
            code: "not_found".into(),
        });
    }
    // The product: by id, else by name (and vendor). A system keeps the product it has.
    let product = match &row.product {
        ProductRef::None => None,
        ProductRef::Id(id) => match current.filter(|c| c.facts.product_id == Some(*id)) {
            Some(c) => Some((*id, c.product_name.clone().unwrap_or_default())),
            None => vern_db::register::find_product(&state.db.conn, *id)
                .await?
                .filter(|p| p.facts.published)
                .map(|p| (p.id, p.facts.name)),
        }
        .or_else(|| {
            errors.push(FieldError {
                field: "product_id".into(),
                code: "not_in_catalogue".into(),
            });
            None
        }),
        ProductRef::Named { name, vendor } => {
            let found: Vec<_> = vern_db::register::published_products_named(&state.db.conn, name)
                .await?
                .into_iter()
                .filter(|p| {
                    vendor
                        .as_ref()
                        .is_none_or(|v| p.vendor_name.to_lowercase() == v.to_lowercase())
                })
                .collect();
            match found.as_slice() {
                [one] => Some((one.id, one.facts.name.clone())),
                [] => {
                    errors.push(FieldError {
                        field: "product".into(),
                        code: "not_in_catalogue".into(),
                    });
                    None
                }
                _ => {
                    errors.push(FieldError {
                        field: "product".into(),
                        code: "ambiguous".into(),
                    });
                    None
                }
            }
        }
    };
    let mut input = row.facts;
    input.product_id = product.as_ref().map(|(id, _)| *id);
    if let Some(current) = current {
        input.owners = current.facts.owners.clone();
    }
    let display = if input.name.is_empty() {
        product.as_ref().map(|(_, n)| n.clone()).unwrap_or_default()
    } else {
        input.name.clone()
    };
    if let Some(current) = current
        && let Err(e) = check_update(&current.facts, &input)
    {
        errors.push(e);
    }
    let checked = match check_system(&input, product.as_ref().map(|(_, n)| n.as_str())) {
        Ok(facts) => Some(facts),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    let report = |outcome, system_id| ImportRowReport {
        line: row.line,
        name: display.clone(),
        outcome,
        system_id,
        errors: errors.clone(),
    };
    Ok(match (checked, errors.is_empty()) {
        (Some(facts), true) => match current {
            Some(c) if c.facts == facts => Planned {
                report: report(ImportOutcome::Unchanged, Some(c.id)),
                write: None,
            },
            Some(c) => Planned {
                report: report(ImportOutcome::Update, Some(c.id)),
                write: Some((Some(c.clone()), facts)),
            },
            None => Planned {
                report: report(ImportOutcome::Create, None),
                write: Some((None, facts)),
            },
        },
        _ => Planned {
            report: report(ImportOutcome::Invalid, None),
            write: None,
        },
    })
}

/// Import systems from CSV or XLSX (the export's columns; headers in nb, nn or en, or the
/// API's field names). A row with a `Vern-ID` updates that system; others are registered.
/// A catalogue product is named by `Produkt-ID`, or by `Produkt` (and `Leverandør`). Every
/// row is checked before anything is written: with `dry_run=true` the answer is only the
/// report; otherwise an invalid row stops the whole file (422, nothing written) unless
/// `mode=valid_rows`.
#[utoipa::path(
    tag = "register",
    operation_id = "import_systems",
    summary = "Import systems in use (CSV or XLSX)",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ImportParams),
    request_body(description = "The file", content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "What was (or, on a dry run, would be) done with each row", body = ImportReport),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither CSV nor XLSX (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file cannot be read, lacks a required column, or has invalid rows; `errors` names them as `rows[<line>].<field>` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/system-imports")]
pub async fn import_systems(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    params: web::Query<ImportParams>,
    body: web::Bytes,
) -> Result<web::Json<ImportReport>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let mut errors = ParamErrors::default();
    let dry_run = errors
        .choice("dry_run", params.dry_run.as_deref(), |s| match s {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
        .unwrap_or(false);
    let valid_rows = errors
        .choice("mode", params.mode.as_deref(), |s| match s {
            "all_or_nothing" => Some(false),
            "valid_rows" => Some(true),
            _ => None,
        })
        .unwrap_or(false);
    errors.finish()?;

    let sheet = read_sheet(&req, &body)?;
    let rows = read_rows(&sheet).map_err(super::common::refused)?;
    let existing = vern_db::register::all_systems(&state.db.conn, org).await?;
    let mut planned = Vec::with_capacity(rows.len());
    for row in rows {
        planned.push(plan_row(&state, &existing, row).await?);
    }
    let mut report = ImportReport::new(dry_run, planned.iter().map(|p| p.report.clone()).collect());
    if dry_run {
        return Ok(web::Json(report));
    }
    if report.invalid > 0 && !valid_rows {
        let err = report
            .rows
            .iter()
            .flat_map(|r| r.errors.iter().map(move |e| (r.line, e)))
            .fold(
                ApiError::new(ProblemCode::ValidationFailed),
                |err, (line, e)| err.field(&format!("rows[{line}].{}", e.field), &e.code),
            );
        return Err(err.detail("some rows are invalid; nothing was written (see errors, or import the valid rows only)"));
    }

    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    for (p, r) in planned.iter().zip(report.rows.iter_mut()) {
        let Some((current, facts)) = &p.write else {
            continue;
        };
        let (action, id) = match current {
            None => {
                let created = vern_db::register::insert_system(&txn, org, facts, now).await?;
                ("system.created", created.id)
            }
            Some(c) => {
                vern_db::register::update_system(&txn, org, c.id, c.revision, facts, now)
                    .await?
                    .ok_or_else(|| {
                        ApiError::new(ProblemCode::PreconditionFailed).detail(
                            "a system changed while the file was imported; nothing was written, try again",
                        )
                    })?;
                ("system.updated", c.id)
            }
        };
        r.system_id = Some(id);
        vern_db::audit::append(
            &txn,
            entry_event(&caller, &req, org, action, "system", id),
            now,
        )
        .await?;
    }
    txn.commit().await.map_err(vern_db::DbError::from)?;
    report.written = report.created + report.updated > 0;
    Ok(web::Json(report))
}
