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
    ImportOutcome, ImportReport, ImportRow, ImportRowReport, ProductRef, SheetFormat,
    choose_product, csv_delimiter, headers, outcome, read_rows, row, sheet_format,
    spreadsheet_date,
};
use vern_domain::register::record::RecordLang;
use vern_domain::register::system::{System, SystemFacts, check_system, check_update};

use super::common::{ParamErrors, entry_event};
use super::sheets;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(export_systems_csv)
        .service(export_systems_xlsx)
        .service(import_systems);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// The language of the headers and statuses: `nb` (default), `nn` or `en`.
    #[param(pattern = "^(nb|nn|en)$")]
    lang: Option<String>,
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
    let lang = sheets::lang(params.lang.as_deref())?;
    Ok((
        lang,
        vern_db::register::all_systems(&state.db.conn, org).await?,
    ))
}

/// Export the systems in use (CSV)
///
/// The application overview as CSV (RFC 4180, UTF-8): a header row, then one row per system.
/// The file reads back through the import unchanged.
#[utoipa::path(
    tag = "register",
    operation_id = "export_systems_csv",
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
    sheets::csv(
        "systemoversikt",
        org,
        &headers(lang),
        systems.iter().map(|s| row(s, lang)),
    )
}

/// Export the systems in use (XLSX)
///
/// The application overview as an Excel workbook: a bold header row, one row per system.
#[utoipa::path(
    tag = "register",
    operation_id = "export_systems_xlsx",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ExportParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The systems as a workbook", body = inline(crate::openapi::Binary), content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
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
    let org = org_id.into_inner();
    let (lang, systems) = export_rows(&caller, &state, org, &params).await?;
    let layout = sheets::Layout {
        sheet: lang.pick("Systemoversikt", "Systemoversikt", "Systems in use"),
        column_width: 24.0,
        frozen_columns: 0,
        wrap: false,
    };
    sheets::xlsx(
        "systemoversikt",
        org,
        &layout,
        &headers(lang),
        systems.iter().map(|s| row(s, lang)),
    )
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
    let essence = mime.as_ref().map(|m| m.essence_str().to_ascii_lowercase());
    match sheet_format(essence.as_deref(), body) {
        Some(SheetFormat::Csv) => {
            let text = std::str::from_utf8(body).map_err(|_| unreadable())?;
            // Excel in Norway saves "CSV" with semicolons.
            let delimiter = csv_delimiter(text.lines().next().unwrap_or_default());
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
        Some(SheetFormat::Xlsx) => {
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
                            Data::DateTime(d) => spreadsheet_date(d.as_f64())
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
            .detail("send the file as application/octet-stream, text/csv or an XLSX workbook")),
    }
}

/// A row checked against the register: what it would do, and the facts to write.
struct Planned {
    report: ImportRowReport,
    write: Option<(Option<System>, SystemFacts)>,
}

/// Published products by name (sort key), looked up once per import.
type NamedProducts = std::collections::HashMap<String, Vec<(uuid::Uuid, String, String)>>;

async fn plan_row(
    state: &AppState,
    existing: &[System],
    named: &mut NamedProducts,
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
            let key = vern_domain::sort_key::sort_key(name);
            if !named.contains_key(&key) {
                let found = vern_db::register::published_products_named(&state.db.conn, name)
                    .await?
                    .into_iter()
                    .map(|p| (p.id, p.facts.name, p.vendor_name))
                    .collect();
                named.insert(key.clone(), found);
            }
            match choose_product(
                named.get(&key).map_or(&[][..], Vec::as_slice),
                vendor.as_deref(),
            ) {
                Ok(chosen) => Some(chosen),
                Err(e) => {
                    errors.push(e);
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
    Ok(match checked.filter(|_| errors.is_empty()) {
        Some(facts) => {
            let outcome = outcome(current.map(|c| &c.facts), &facts);
            Planned {
                report: report(outcome, current.map(|c| c.id)),
                write: (outcome != ImportOutcome::Unchanged).then(|| (current.cloned(), facts)),
            }
        }
        None => Planned {
            report: report(ImportOutcome::Invalid, None),
            write: None,
        },
    })
}

/// Import systems in use (CSV or XLSX)
///
/// Import systems from CSV or XLSX (the export's columns; headers in nb, nn or en, or the
/// API's field names). A row with a `Vern-ID` updates that system; others are registered.
/// A catalogue product is named by `Produkt-ID`, or by `Produkt` (and `Leverandør`). Every
/// row is checked before anything is written: with `dry_run=true` the answer is only the
/// report; otherwise an invalid row stops the whole file (422, nothing written) unless
/// `mode=valid_rows`.
#[utoipa::path(
    tag = "register",
    operation_id = "import_systems",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ImportParams),
    request_body(
        content = inline(crate::openapi::Binary),
        content_type = "application/octet-stream",
        description = "The file's bytes. A workbook (XLSX, which begins as a ZIP file) is told from CSV (UTF-8; comma or semicolon) by its content. `text/csv` and `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` are accepted as the content type too.",
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "What was (or, on a dry run, would be) done with each row", body = ImportReport),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "A content type other than `application/octet-stream`, `text/csv` or the XLSX type (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
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
        .flag("dry_run", params.dry_run.as_deref())
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
    let mut named = NamedProducts::new();
    for row in rows {
        planned.push(plan_row(&state, &existing, &mut named, row).await?);
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
