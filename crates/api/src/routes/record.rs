//! The record of processing (behandlingsprotokoll, Art. 30(1)) as a document: JSON for
//! integrations, CSV and XLSX for spreadsheets, and a printable HTML page — all built from
//! the same entries, so they always say the same.

use actix_web::{HttpResponse, get, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use vern_db::activities::ActivityFilter;
use vern_domain::OrganizationId;
use vern_domain::access::{Permission, Role};
use vern_domain::pagination::Limit;
use vern_domain::problem::Problem;
use vern_domain::register::activity::ActivityStatus;
use vern_domain::register::product::third_countries;
use vern_domain::register::record::{
    PrivacyStatement, ProductTransfer, RecordContact, RecordController, RecordEntry, RecordLang,
    RecordOfProcessing, headers, row, statement_entry,
};

use super::common::ParamErrors;
use super::sheets;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(privacy_statement)
        .service(record_json)
        .service(record_csv)
        .service(record_xlsx)
        .service(record_html)
        .service(processor_record)
        .service(processor_record_csv);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordParams {
    /// The language of the labels: `nb` (default), `nn` or `en`.
    #[param(pattern = "^(nb|nn|en)$")]
    lang: Option<String>,
    /// Which entries: `active` (the record in force, default), `draft`, `discontinued`.
    #[param(value_type = Option<ActivityStatus>)]
    status: Option<String>,
}

impl RecordParams {
    fn parse(&self) -> Result<(RecordLang, ActivityStatus), ApiError> {
        let mut errors = ParamErrors::default();
        let lang = match self.lang.as_deref() {
            None => RecordLang::Nb,
            Some(s) => RecordLang::parse(s).unwrap_or_else(|| {
                errors.add("lang", "unknown_value");
                RecordLang::Nb
            }),
        };
        let status = match self.status.as_deref() {
            None => ActivityStatus::Active,
            Some(s) => ActivityStatus::parse(s).unwrap_or_else(|| {
                errors.add("status", "unknown_value");
                ActivityStatus::Active
            }),
        };
        errors.finish()?;
        Ok((lang, status))
    }
}

/// The organisation's active privacy officers (personvernombud), whose contact details the
/// record and the public statement name (Art. 30(1)(a), Art. 37(7)).
pub(crate) async fn privacy_officers(
    state: &AppState,
    org: OrganizationId,
) -> Result<Vec<RecordContact>, ApiError> {
    privacy_officers_in(&state.db, org).await
}

/// `privacy_officers` with the database alone (for demo data seeded before the server runs).
pub(crate) async fn privacy_officers_in(
    db: &vern_db::Database,
    org: OrganizationId,
) -> Result<Vec<RecordContact>, ApiError> {
    Ok(members_with_role_in(db, org, Role::PrivacyOfficer)
        .await?
        .into_iter()
        .map(|m| RecordContact {
            name: m.display_name,
            email: m.email,
        })
        .collect())
}

/// The organisation's active members who hold `role` now.
pub(crate) async fn members_with_role(
    state: &AppState,
    org: OrganizationId,
    role: Role,
) -> Result<Vec<vern_domain::access::members::Member>, ApiError> {
    members_with_role_in(&state.db, org, role).await
}

async fn members_with_role_in(
    db: &vern_db::Database,
    org: OrganizationId,
    role: Role,
) -> Result<Vec<vern_domain::access::members::Member>, ApiError> {
    let db = &db.conn;
    let page = Limit::parse(Some(500)).unwrap_or_default();
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let members = vern_db::identity::members(db, org, page, after.clone(), Utc::now()).await?;
        let last = members.items.last().map(|m| m.email.clone());
        out.extend(
            members
                .items
                .into_iter()
                .filter(|m| m.status == "active" && m.grants.iter().any(|g| g.role == role)),
        );
        match (members.next_cursor, last) {
            (Some(_), Some(last)) => after = Some(last),
            _ => break,
        }
    }
    Ok(out)
}

/// Gathers the record: the controller, its privacy officers, and every activity with the
/// given status with its systems' names and the transfers their products make.
async fn build(
    state: &AppState,
    org: OrganizationId,
    status: ActivityStatus,
) -> Result<RecordOfProcessing, ApiError> {
    let db = &state.db.conn;
    let now = Utc::now();
    let organization = vern_db::organizations::get(db, org)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let page = Limit::parse(Some(500)).unwrap_or_default();

    let privacy_officers = privacy_officers(state, org).await?;

    let systems = vern_db::register::all_systems(db, org).await?;
    let mut product_transfers = std::collections::HashMap::new();
    for product_id in systems.iter().filter_map(|s| s.facts.product_id) {
        if product_transfers.contains_key(&product_id) {
            continue;
        }
        let transfers: Vec<ProductTransfer> =
            match vern_db::register::find_product(db, product_id).await? {
                Some(p) => third_countries(&p.facts)
                    .into_iter()
                    .map(|(country, mechanism)| ProductTransfer {
                        country,
                        mechanism,
                        via: p.facts.name.clone(),
                    })
                    .collect(),
                None => Vec::new(),
            };
        product_transfers.insert(product_id, transfers);
    }

    let filter = ActivityFilter {
        status: Some(status),
        ..Default::default()
    };
    let mut entries = Vec::new();
    let mut cursor = None;
    loop {
        let (items, next) = vern_db::activities::list(db, org, &filter, page, cursor).await?;
        for activity in items {
            let used: Vec<_> = activity
                .facts
                .system_ids
                .iter()
                .filter_map(|id| systems.iter().find(|s| s.id == *id))
                .collect();
            let mut transfers: Vec<ProductTransfer> = Vec::new();
            for s in &used {
                for t in s
                    .facts
                    .product_id
                    .and_then(|p| product_transfers.get(&p))
                    .into_iter()
                    .flatten()
                {
                    if !transfers.contains(t) {
                        transfers.push(t.clone());
                    }
                }
            }
            entries.push(RecordEntry {
                systems: used.iter().map(|s| s.facts.name.clone()).collect(),
                product_transfers: transfers,
                activity,
            });
        }
        match next.and_then(|c| vern_domain::pagination::decode_cursor(&c).ok()) {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    Ok(RecordOfProcessing {
        controller: RecordController {
            name: organization.name,
            org_number: organization.org_number.map(|n| n.to_string()),
        },
        privacy_officers,
        generated_at: now,
        entries,
        own_terms: vern_db::vocabulary::terms(db, org).await?,
    })
}

/// The record of processing (JSON)
///
/// The record of processing as JSON: the controller, its data protection officers, and one
/// entry per activity with the systems it uses and the transfers their products make.
#[utoipa::path(
    tag = "register",
    operation_id = "get_record_of_processing",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), RecordParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The record", body = RecordOfProcessing),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language or status (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/record-of-processing")]
pub async fn record_json(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<RecordParams>,
) -> Result<web::Json<RecordOfProcessing>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let (_, status) = params.parse()?;
    Ok(web::Json(build(&state, org, status).await?))
}

/// The record of processing (CSV)
///
/// The record as CSV (RFC 4180, UTF-8): a header row, then one row per activity.
#[utoipa::path(
    tag = "register",
    operation_id = "export_record_of_processing_csv",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), RecordParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The record as CSV", body = String, content_type = "text/csv"),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language or status (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/record-of-processing.csv")]
pub async fn record_csv(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<RecordParams>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let (lang, status) = params.parse()?;
    let record = build(&state, org, status).await?;
    let vocabulary = vern_domain::register::vocabulary::Vocabulary::new(record.own_terms.clone());
    sheets::csv(
        "behandlingsprotokoll",
        org,
        &headers(lang),
        record.entries.iter().map(|e| row(e, lang, &vocabulary)),
    )
}

/// The record of processing (XLSX)
///
/// The record as an Excel workbook: one sheet, a bold header row, one row per activity.
#[utoipa::path(
    tag = "register",
    operation_id = "export_record_of_processing_xlsx",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), RecordParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The record as a workbook", body = inline(crate::openapi::Binary), content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language or status (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/record-of-processing.xlsx")]
pub async fn record_xlsx(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<RecordParams>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let (lang, status) = params.parse()?;
    let record = build(&state, org, status).await?;
    let vocabulary = vern_domain::register::vocabulary::Vocabulary::new(record.own_terms.clone());
    let layout = sheets::Layout {
        sheet: lang.pick(
            "Behandlingsprotokoll",
            "Behandlingsprotokoll",
            "Record of processing",
        ),
        column_width: 28.0,
        frozen_columns: 1,
        wrap: true,
    };
    sheets::xlsx(
        "behandlingsprotokoll",
        org,
        &layout,
        &headers(lang),
        record.entries.iter().map(|e| row(e, lang, &vocabulary)),
    )
}

const RECORD_TEMPLATE: &str = include_str!("../../templates/record.html");

/// The record of processing (printable HTML)
///
/// The record as a printable HTML document, with the data protection officers' contact.
#[utoipa::path(
    tag = "register",
    operation_id = "export_record_of_processing_html",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), RecordParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The record as an HTML document", body = String, content_type = "text/html"),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language or status (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/record-of-processing.html")]
pub async fn record_html(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<RecordParams>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let (lang, status) = params.parse()?;
    let record = build(&state, org, status).await?;
    let vocabulary = vern_domain::register::vocabulary::Vocabulary::new(record.own_terms.clone());
    let pick = |nb: &'static str, nn: &'static str, en: &'static str| match lang {
        RecordLang::Nb => nb,
        RecordLang::Nn => nn,
        RecordLang::En => en,
    };
    let mut env = minijinja::Environment::new();
    let template_error = |e: minijinja::Error| ApiError::internal(anyhow::anyhow!("template: {e}"));
    env.add_template("record.html", RECORD_TEMPLATE)
        .map_err(template_error)?;
    let rows: Vec<Vec<String>> = record
        .entries
        .iter()
        .map(|e| row(e, lang, &vocabulary))
        .collect();
    let html = env
        .get_template("record.html")
        .and_then(|t| {
            t.render(minijinja::context! {
                lang => lang.tag(),
                title => pick("Protokoll over behandlingsaktiviteter", "Protokoll over behandlingsaktivitetar", "Record of processing activities"),
                record => &record,
                generated => record.generated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                headers => headers(lang),
                rows => rows,
                labels => minijinja::context! {
                    org_number => pick("org.nr.", "org.nr.", "org. no."),
                    generated => pick("Utskrift laget", "Utskrift laga", "Generated"),
                    dpo => pick("Personvernombud", "Personvernombod", "Data protection officer"),
                    no_dpo => pick("Ingen personvernombud er registrert.", "Inkje personvernombod er registrert.", "No data protection officer is registered."),
                    empty => pick("Ingen behandlingsaktiviteter.", "Ingen behandlingsaktivitetar.", "No processing activities."),
                },
            })
        })
        .map_err(template_error)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementParams {
    /// The language of the labels: `nb` (default), `nn` or `en`.
    #[param(pattern = "^(nb|nn|en)$")]
    lang: Option<String>,
}

/// A municipality's public privacy statement
///
/// A municipality's public privacy statement: the processing activities it has published,
/// in plain words (purposes, legal basis, whom it concerns, which data, recipients,
/// transfers, retention), and its data protection officers' contact. No login needed.
#[utoipa::path(
    tag = "register",
    operation_id = "get_privacy_statement",
    params(("org_id" = OrganizationId, Path, description = "The municipality"), StatementParams),
    security(()),
    responses(
        (status = 200, description = "The statement", body = PrivacyStatement),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such municipality (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/privacy-statement")]
pub async fn privacy_statement(
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<StatementParams>,
) -> Result<web::Json<PrivacyStatement>, ApiError> {
    let org = org_id.into_inner();
    let lang = match params.lang.as_deref() {
        None => RecordLang::Nb,
        Some(s) => {
            RecordLang::parse(s).ok_or_else(|| ApiError::validation("lang", "unknown_value"))?
        }
    };
    let organization = vern_db::organizations::get(&state.db.conn, org)
        .await?
        .filter(|o| o.kind == vern_domain::OrgKind::Municipality)
        .ok_or_else(ApiError::not_found)?;
    let filter = ActivityFilter {
        status: Some(ActivityStatus::Active),
        published: Some(true),
        ..Default::default()
    };
    let page = Limit::parse(Some(500)).unwrap_or_default();
    let vocabulary = vern_db::vocabulary::vocabulary(&state.db.conn, org).await?;
    let mut entries = Vec::new();
    let mut cursor = None;
    loop {
        let (items, next) =
            vern_db::activities::list(&state.db.conn, org, &filter, page, cursor).await?;
        entries.extend(
            items
                .iter()
                .filter_map(|a| statement_entry(a, lang, &vocabulary)),
        );
        match next.and_then(|c| vern_domain::pagination::decode_cursor(&c).ok()) {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    Ok(web::Json(PrivacyStatement {
        controller: RecordController {
            name: organization.name,
            org_number: organization.org_number.map(|n| n.to_string()),
        },
        privacy_officers: privacy_officers(&state, org).await?,
        lang,
        entries,
    }))
}

/// The vendor's record as processor: every controller using its products, with their data
/// protection officers and, per product, the processing, transfers and security measures.
async fn build_processor_record(
    state: &AppState,
    vendor: OrganizationId,
) -> Result<vern_domain::register::processor::ProcessorRecord, ApiError> {
    use vern_domain::register::processor::{
        ProcessorCustomer, ProcessorProcessing, ProcessorRecord, ProcessorTransfer,
    };
    let db = &state.db.conn;
    let organization = vern_db::organizations::get(db, vendor)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let uses = vern_db::register::customers_of(db, vendor).await?;
    let mut products = std::collections::HashMap::new();
    let mut customers: Vec<ProcessorCustomer> = Vec::new();
    for (controller_id, product_id, count) in uses {
        if let std::collections::hash_map::Entry::Vacant(e) = products.entry(product_id) {
            e.insert(vern_db::register::find_product(db, product_id).await?);
        }
        let Some(Some(product)) = products.get(&product_id) else {
            continue;
        };
        let f = &product.facts;
        let processing = ProcessorProcessing {
            product_id,
            product_name: f.name.clone(),
            description: f.description.clone(),
            systems: u32::try_from(count).unwrap_or(u32::MAX),
            data_categories: f.data_categories.clone(),
            sub_processors: f.sub_processors.clone(),
            transfers: third_countries(f)
                .into_iter()
                .map(|(country, mechanism)| ProcessorTransfer { country, mechanism })
                .collect(),
            security_measures: f.security_measures.clone(),
            certifications: f.certifications.clone(),
        };
        match customers
            .iter_mut()
            .find(|c| c.controller_id == controller_id)
        {
            Some(c) => c.processing.push(processing),
            None => {
                let Some(controller) = vern_db::organizations::get(db, controller_id).await? else {
                    continue;
                };
                customers.push(ProcessorCustomer {
                    controller_id,
                    controller: RecordController {
                        name: controller.name,
                        org_number: controller.org_number.map(|n| n.to_string()),
                    },
                    privacy_officers: privacy_officers(state, controller_id).await?,
                    processing: vec![processing],
                });
            }
        }
    }
    customers.sort_by(|a, b| {
        vern_domain::sort_key::sort_key(&a.controller.name)
            .cmp(&vern_domain::sort_key::sort_key(&b.controller.name))
    });
    for c in &mut customers {
        c.processing
            .sort_by(|a, b| a.product_name.cmp(&b.product_name));
    }
    Ok(ProcessorRecord {
        processor: RecordController {
            name: organization.name,
            org_number: organization.org_number.map(|n| n.to_string()),
        },
        generated_at: Utc::now(),
        customers,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangParams {
    /// The language of the headers and labels: `nb` (default), `nn` or `en`.
    #[param(pattern = "^(nb|nn|en)$")]
    lang: Option<String>,
}

/// The vendor's record as processor (JSON)
///
/// A vendor's record of processing as processor (Art. 30(2)): each controller using its
/// products, the controller's data protection officers, and per product the categories of
/// processing and data, sub-processors, transfers outside the EU/EEA and security measures.
/// Vendors see that a municipality uses a product, never how.
#[utoipa::path(
    tag = "catalogue",
    operation_id = "get_processor_record",
    params(("org_id" = OrganizationId, Path, description = "The vendor")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The record", body = vern_domain::register::processor::ProcessorRecord),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that keeps the vendor's products, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/processor-record")]
pub async fn processor_record(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<vern_domain::register::processor::ProcessorRecord>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::EditProducts)
        .await?;
    Ok(web::Json(build_processor_record(&state, org).await?))
}

/// The vendor's record as processor (CSV)
///
/// The processor's record as CSV: one row per controller and product.
#[utoipa::path(
    tag = "catalogue",
    operation_id = "export_processor_record_csv",
    params(("org_id" = OrganizationId, Path, description = "The vendor"), LangParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The record as CSV", body = String, content_type = "text/csv"),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that keeps the vendor's products, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/processor-record.csv")]
pub async fn processor_record_csv(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<LangParams>,
) -> Result<HttpResponse, ApiError> {
    use vern_domain::register::processor::{headers, rows};
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::EditProducts)
        .await?;
    let lang = sheets::lang(params.lang.as_deref())?;
    let record = build_processor_record(&state, org).await?;
    sheets::csv(
        "databehandlerprotokoll",
        org,
        &headers(lang),
        record.customers.iter().flat_map(|c| rows(c, lang)),
    )
}
