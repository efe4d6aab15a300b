//! Data processing agreements between a controller and a processor: drafted by the
//! controller from a template with the register's facts, sent, signed by a signatory of
//! each party after a fresh second factor, sealed by the platform, and verifiable at any
//! time. Every change of the text is a new version; versions can be compared.
//!
//! Who sees what: the controller's members with `read_agreements` see its agreements from
//! the first draft; the processor's once sent. Anyone else gets 404.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::agreements::{AgreementFilter, AgreementRow, NewVersion, RowChange, SignatureRow};
use vern_db::register::NameCursor;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::access::audit::AuditDraft;
use vern_domain::access::auth::{StrongAuth, is_fresh};
use vern_domain::agreements::assemble::{Sources, assemble};
use vern_domain::agreements::campaign::AgreementCampaign;
use vern_domain::agreements::document::{diff, document_matches, render, sha256_hex};
use vern_domain::agreements::facts::{AgreementFacts, ChangeFact, ContactFact, PartyFact};
use vern_domain::agreements::lifecycle::{
    AgreementEvent, AgreementStatus, Party as Side, supersedes, termination_permission, transition,
};
use vern_domain::agreements::notices::{
    AnswerRefusal, ChangeNotice, NoticeAnswer, NoticeStatus, Objection, SubProcessorChange, answer,
    check_objection, notice_period, objection_deadline,
};
use vern_domain::agreements::own_templates::parse_own_key;
use vern_domain::agreements::templates::{BUILTIN_TEMPLATES, builtin_template};
use vern_domain::agreements::terms::{AgreementLanguage, AgreementTerms, check_terms};
use vern_domain::agreements::view::{
    Agreement, AgreementPage, AgreementTemplateInfo, AgreementText, AgreementVersion,
    MissingElement, SealClaims, SignatureCheck, Verification, VersionDiff,
};
use vern_domain::agreements::{document::merge_fields, missing_elements};
use vern_domain::organization::OrgKind;
use vern_domain::pagination::Limit;
use vern_domain::problem::{FieldError, Problem, ProblemCode};

use super::common::{ParamErrors, cursor, entry_event, if_match, refused, with_etag};
use super::record::privacy_officers_in;
use crate::auth::{Authenticated, Caller};
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_agreement_templates)
        .service(list_agreements)
        .service(create_agreement)
        .service(get_agreement)
        .service(update_agreement)
        .service(send_agreement)
        .service(sign_agreement)
        .service(terminate_agreement)
        .service(list_versions)
        .service(get_version)
        .service(diff_versions)
        .service(agreement_text)
        .service(agreement_html)
        .service(agreement_pdf)
        .service(verify_agreement)
        .service(list_notices)
        .service(accept_notice)
        .service(object_to_notice);
}

/// The agreement and the caller's side of it, with `permission` there; 404 when the
/// caller may not know of it.
async fn load(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    permission: Permission,
) -> Result<(AgreementRow, Side, OrganizationId), ApiError> {
    let row = vern_db::agreements::find(&state.db.conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let status = vern_db::agreements::status_of(&row)?;
    let (side, org) = if caller.is_member(row.controller_id) {
        (Side::Controller, row.controller_id)
    } else if caller.is_member(row.processor_id) && status.shown_to_processor() {
        (Side::Processor, row.processor_id)
    } else {
        return Err(ApiError::not_found());
    };
    let org = OrganizationId::from_uuid(org);
    caller.require_here(state, org, permission).await?;
    Ok((row, side, org))
}

fn refused_transition(from: AgreementStatus, event: AgreementEvent) -> ApiError {
    ApiError::new(ProblemCode::InvalidTransition).detail(format!(
        "an agreement that is {} cannot {}",
        from.as_str(),
        event.as_str()
    ))
}

fn stale() -> ApiError {
    ApiError::new(ProblemCode::PreconditionFailed)
}

/// The parties' facts from the register.
async fn party(db: &vern_db::Database, org: OrganizationId) -> Result<Option<PartyFact>, ApiError> {
    let Some(o) = vern_db::organizations::get(&db.conn, org).await? else {
        return Ok(None);
    };
    let officers = privacy_officers_in(db, org).await?;
    Ok(Some(PartyFact {
        name: o.name,
        org_number: o
            .org_number
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default(),
        municipality_number: o
            .municipality
            .map(|m| m.number.as_str().to_owned())
            .unwrap_or_default(),
        identifier: String::new(),
        address: String::new(),
        contact: String::new(),
        privacy_officers: officers
            .into_iter()
            .map(|c| ContactFact {
                name: c.name,
                email: c.email,
            })
            .collect(),
    }))
}

/// A template's language and source: a built-in one, or one of the controller's own (its
/// version in force). `None` when there is no such template for this controller.
pub(crate) async fn template_text(
    database: &vern_db::Database,
    controller: OrganizationId,
    key: &str,
) -> Result<Option<(AgreementLanguage, String)>, ApiError> {
    if let Some(t) = builtin_template(key) {
        return Ok(Some((t.language, t.source.to_owned())));
    }
    let Some(id) = parse_own_key(key) else {
        return Ok(None);
    };
    let db = &database.conn;
    let Some(row) = vern_db::agreement_templates::find(db, id).await? else {
        return Ok(None);
    };
    if row.organization_id != controller.into_uuid() {
        return Ok(None);
    }
    let language = AgreementLanguage::parse(&row.language)
        .ok_or(DbError::InvalidRow("agreement_templates.language"))?;
    let version = vern_db::agreement_templates::current(db, &row).await?;
    Ok(Some((language, version.source)))
}

/// Checks the terms; the template may be one of the controller's own.
pub(crate) async fn checked_terms(
    database: &vern_db::Database,
    controller: OrganizationId,
    terms: &AgreementTerms,
) -> Result<AgreementTerms, ApiError> {
    let key = terms.template.trim().to_owned();
    let known = template_text(database, controller, &key).await?.is_some();
    check_terms(terms, |k| known && k == key).map_err(refused)
}

/// The facts of a version from the register and the terms; field errors when the
/// processor or a system does not fit.
async fn gather(
    database: &vern_db::Database,
    controller: OrganizationId,
    terms: &AgreementTerms,
    change_log: &[ChangeFact],
) -> Result<AgreementFacts, ApiError> {
    let db = &database.conn;
    let mut errors: Vec<FieldError> = Vec::new();
    let mut field = |f: String, code: &str| {
        errors.push(FieldError {
            field: f,
            code: code.to_owned(),
        })
    };
    let processor_org = vern_db::organizations::get(db, terms.processor_id).await?;
    match &processor_org {
        None => field("processor_id".into(), "unknown"),
        Some(o) if o.id == controller => field("processor_id".into(), "same_party"),
        Some(o) if o.kind == OrgKind::Platform => field("processor_id".into(), "unknown"),
        Some(_) => {}
    }
    let mut systems = Vec::new();
    let mut products = Vec::new();
    for (i, id) in terms.system_ids.iter().enumerate() {
        let Some(system) = vern_db::register::find_system(db, controller, *id).await? else {
            field(format!("system_ids[{i}]"), "unknown");
            continue;
        };
        if let Some(product_id) = system.facts.product_id
            && let Some(product) = vern_db::register::find_product(db, product_id).await?
        {
            if product.vendor_id != terms.processor_id {
                field(format!("system_ids[{i}]"), "other_processor");
            }
            if !products
                .iter()
                .any(|p: &vern_domain::register::product::Product| p.id == product.id)
            {
                products.push(product);
            }
        }
        systems.push(system);
    }
    if !errors.is_empty() {
        return Err(refused(errors));
    }
    let mut activities = Vec::new();
    let mut seen = Vec::new();
    for system in &systems {
        let filter = vern_db::activities::ActivityFilter {
            system: Some(system.id),
            ..Default::default()
        };
        let (page, _) = vern_db::activities::list(
            db,
            controller,
            &filter,
            Limit::parse(Some(500)).unwrap_or_default(),
            None,
        )
        .await?;
        for a in page {
            if !seen.contains(&a.id) {
                seen.push(a.id);
                activities.push(a.facts);
            }
        }
    }
    let vocabulary = vern_db::vocabulary::vocabulary(db, controller).await?;
    let (language, _) = template_text(database, controller, &terms.template)
        .await?
        .ok_or_else(|| ApiError::validation("template", "unknown"))?;
    let controller_party = party(database, controller)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let processor_party = party(database, terms.processor_id)
        .await?
        .ok_or_else(|| ApiError::validation("processor_id", "unknown"))?;
    Ok(assemble(Sources {
        terms,
        language,
        controller: &controller_party,
        processor: &processor_party,
        systems: &systems,
        products: &products,
        activities: &activities,
        vocabulary: &vocabulary,
        change_log,
    }))
}

/// Renders a version's text.
async fn document(
    database: &vern_db::Database,
    controller: OrganizationId,
    terms: &AgreementTerms,
    facts: &AgreementFacts,
) -> Result<String, ApiError> {
    let (_, source) = template_text(database, controller, &terms.template)
        .await?
        .ok_or_else(|| ApiError::validation("template", "unknown"))?;
    render(&source, facts).map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))
}

fn version_facts(row: &vern_db::agreements::VersionRow) -> Result<AgreementFacts, ApiError> {
    serde_json::from_str(&row.facts)
        .map_err(|_| ApiError::from(DbError::InvalidRow("agreement_versions.facts")))
}

/// The change log of a new version `next`, from the stored versions.
fn change_log(
    versions: &[vern_db::agreements::VersionRow],
    next: i32,
    note: &str,
    today: chrono::NaiveDate,
) -> Vec<ChangeFact> {
    let earlier: Vec<ChangeFact> = versions
        .iter()
        .map(|v| ChangeFact {
            version: v.number,
            date: v.created_at.date_naive(),
            note: v.change_note.clone(),
        })
        .collect();
    vern_domain::agreements::facts::change_log(&earlier, next, note, today)
}

/// The agreement as shown.
async fn view(state: &AppState, row: &AgreementRow) -> Result<Agreement, ApiError> {
    let db = &state.db.conn;
    let version = vern_db::agreements::version(db, row.id, row.current_version)
        .await?
        .ok_or(DbError::InvalidRow("agreements.current_version"))?;
    let facts = version_facts(&version)?;
    let (controller, processor) = vern_db::agreements::parties(db, row).await?;
    let rows = vern_db::agreements::signature_rows(db, row.id, Some(row.current_version)).await?;
    let terms = vern_db::agreements::terms_of(row)?;
    let campaign = match row.campaign_id {
        Some(id) => vern_db::campaigns::find(db, id)
            .await?
            .map(|c| AgreementCampaign {
                id: c.id,
                deadline: c.deadline,
                reminded_at: row.reminded_at,
            }),
        None => None,
    };
    Ok(Agreement {
        id: row.id,
        title: row.title.clone(),
        controller,
        processor,
        status: vern_db::agreements::status_of(row)?,
        language: facts.language,
        missing_elements: missing_elements(&facts)
            .into_iter()
            .map(MissingElement::from)
            .collect(),
        terms,
        current_version: row.current_version,
        document_sha256: version.sha256,
        signatures: vern_db::agreements::signatures(db, &rows).await?,
        revision: row.revision,
        created_at: row.created_at,
        updated_at: row.updated_at,
        sent_at: row.sent_at,
        activated_at: row.activated_at,
        ended_at: row.ended_at,
        opened_at: row.opened_at,
        campaign,
    })
}

/// The agreement as it is now, with its ETag: the answer to every change.
async fn respond(state: &AppState, id: Uuid) -> Result<HttpResponse, ApiError> {
    let row = vern_db::agreements::find(&state.db.conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let agreement = view(state, &row).await?;
    Ok(with_etag(HttpResponse::Ok().json(agreement), row.revision))
}

/// The same event in each party's audit log.
pub(crate) async fn log_parties(
    txn: &vern_db::DatabaseTransaction,
    caller: &Caller,
    req: &HttpRequest,
    parties: &[OrganizationId],
    action: &'static str,
    id: Uuid,
    now: chrono::DateTime<Utc>,
) -> Result<(), ApiError> {
    for party in parties {
        vern_db::audit::append(txn, agreement_event(caller, req, *party, action, id), now).await?;
    }
    Ok(())
}

fn agreement_event(
    caller: &Caller,
    req: &HttpRequest,
    org: OrganizationId,
    action: &'static str,
    id: Uuid,
) -> AuditDraft {
    entry_event(caller, req, org, action, "agreement", id)
}

/// List agreement templates
///
/// The templates one can draft from, with the merge fields each reads.
#[utoipa::path(
    tag = "agreements",
    operation_id = "list_agreement_templates",
    params(TemplateListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The templates", body = Vec<AgreementTemplateInfo>),
        (status = 400, description = "A query parameter is malformed (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`include_source` is neither true nor false (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agreement-templates")]
pub async fn list_agreement_templates(
    _caller: Caller,
    params: web::Query<TemplateListParams>,
) -> Result<web::Json<Vec<AgreementTemplateInfo>>, ApiError> {
    // The built-in templates never change while the server runs: read their merge fields
    // once.
    static INFOS: std::sync::OnceLock<Result<Vec<AgreementTemplateInfo>, String>> =
        std::sync::OnceLock::new();
    let infos = INFOS.get_or_init(|| {
        BUILTIN_TEMPLATES
            .iter()
            .map(|t| {
                Ok(AgreementTemplateInfo {
                    key: t.key.to_owned(),
                    name_nb: t.name_nb.to_owned(),
                    name_en: t.name_en.to_owned(),
                    structure: t.structure,
                    language: t.language,
                    merge_fields: merge_fields(t.source).map_err(|e| e.to_string())?,
                    source: None,
                })
            })
            .collect()
    });
    let mut infos = infos
        .clone()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    let mut errors = ParamErrors::default();
    let include = errors.choice(
        "include_source",
        params.include_source.as_deref(),
        |v| match v {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
    );
    errors.finish()?;
    if include == Some(true) {
        for info in &mut infos {
            info.source = builtin_template(&info.key).map(|t| t.source.to_owned());
        }
    }
    Ok(web::Json(infos))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateListParams {
    /// `true`: include each template's source (a start for an own template).
    #[param(pattern = "^(true|false)$")]
    include_source: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgreementListParams {
    /// Page size, 1–500.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Text to look for in the title; case and accents are ignored.
    #[param(
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*$",
        example = "skole"
    )]
    q: Option<String>,
    /// Only agreements in this state.
    #[param(value_type = Option<AgreementStatus>)]
    status: Option<String>,
    /// `controller`: those the organisation is controller of; `processor`: processor of.
    #[param(pattern = "^(controller|processor)$")]
    role: Option<String>,
    /// Active agreements whose review date is before this day (`YYYY-MM-DD`), or `today`.
    #[param(example = "today")]
    review_before: Option<String>,
}

/// List the organisation's agreements
///
/// The organisation's agreements in title order: those it is controller of (drafts too)
/// and those it is processor of once sent.
#[utoipa::path(
    tag = "agreements",
    operation_id = "list_agreements",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), AgreementListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of agreements", body = AgreementPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/agreements")]
pub async fn list_agreements(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<AgreementListParams>,
) -> Result<web::Json<AgreementPage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadAgreements)
        .await?;
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    let filter = AgreementFilter {
        q: errors.q(params.q.as_deref()),
        status: errors.choice("status", params.status.as_deref(), AgreementStatus::parse),
        as_controller: errors.choice("role", params.role.as_deref(), |r| match r {
            "controller" => Some(true),
            "processor" => Some(false),
            _ => None,
        }),
        review_before: errors.overdue(params.review_before.as_deref()),
    };
    errors.finish()?;
    let after: Option<NameCursor> = cursor(params.cursor.as_deref())?;
    let (items, next_cursor) =
        vern_db::agreements::list(&state.db.conn, org, &filter, limit, after).await?;
    Ok(web::Json(AgreementPage { items, next_cursor }))
}

/// Draft an agreement
///
/// Draft an agreement with this organisation as the controller. The text is rendered from
/// the template with the register's facts about the parties and the systems (whose
/// products must be the processor's); `missing_elements` says what Art. 28(3) still needs
/// before it can be sent.
#[utoipa::path(
    tag = "agreements",
    operation_id = "create_agreement",
    params(("org_id" = OrganizationId, Path, description = "The controller")),
    request_body = AgreementTerms,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Drafted (version 1)", body = Agreement, headers(("Location" = String, description = "The agreement's URL"), ("ETag" = String, description = "The agreement's revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that drafts agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The terms are not valid: unknown template or processor, a system not the controller's or on another processor's product (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/agreements")]
pub async fn create_agreement(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<AgreementTerms>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::DraftAgreements)
        .await?;
    let terms = checked_terms(&state.db, org, &body.parse()?).await?;
    let event = agreement_event(&caller, &req, org, "agreement.drafted", Uuid::nil());
    let row = draft(&state.db, org, &terms, event).await?;
    let agreement = view(&state, &row).await?;
    Ok(with_etag(
        HttpResponse::Created()
            .insert_header(("Location", format!("/api/v1/agreements/{}", row.id)))
            .json(agreement),
        row.revision,
    ))
}

/// Drafts an agreement (version 1) from checked terms, with its audit event, in one
/// transaction. Also used for the demo data.
pub(crate) async fn draft(
    database: &vern_db::Database,
    controller: OrganizationId,
    terms: &AgreementTerms,
    mut event: AuditDraft,
) -> Result<AgreementRow, ApiError> {
    let now = Utc::now();
    let (facts, text) = first_version(database, controller, terms, now).await?;
    let txn = vern_db::connection::begin_write(database).await?;
    let row = vern_db::agreements::create(
        &txn,
        controller,
        terms,
        facts.language.as_str(),
        NewVersion {
            sha256: sha256_hex(&text),
            document: text,
            facts_json: serde_json::to_string(&facts).map_err(ApiError::internal)?,
            change_note: terms.change_note.clone(),
        },
        now,
    )
    .await?;
    event.target_id = Some(row.id.to_string());
    vern_db::audit::append(&txn, event, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(row)
}

/// The facts and text of a new agreement's first version.
pub(crate) async fn first_version(
    database: &vern_db::Database,
    controller: OrganizationId,
    terms: &AgreementTerms,
    now: chrono::DateTime<Utc>,
) -> Result<(AgreementFacts, String), ApiError> {
    let log = change_log(&[], 1, &terms.change_note, now.date_naive());
    let facts = gather(database, controller, terms, &log).await?;
    let text = document(database, controller, terms, &facts).await?;
    Ok((facts, text))
}

/// Get an agreement
///
/// One agreement, as either party sees it: the parties, status, current version and its terms,
/// signatures and notices. The `ETag` is the agreement's revision; send it as `If-Match` when
/// changing the agreement. Needs a role that reads agreements in either party's organisation.
#[utoipa::path(
    tag = "agreements",
    operation_id = "get_agreement",
    params(("agreement_id" = Uuid, Path, description = "The agreement")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The agreement", body = Agreement, headers(("ETag" = String, description = "The agreement's revision"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agreements/{agreement_id}")]
pub async fn get_agreement(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (mut row, side, org) =
        load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    if side == Side::Processor && row.opened_at.is_none() {
        // The first look from the processor's side: the sender's campaign shows it.
        let now = Utc::now();
        let txn = vern_db::connection::begin_write(&state.db).await?;
        if vern_db::campaigns::mark_opened(&txn, row.id, now).await? {
            log_parties(&txn, &caller, &req, &[org], "agreement.opened", row.id, now).await?;
        }
        txn.commit().await.map_err(DbError::from)?;
        row.opened_at = Some(now);
    }
    let agreement = view(&state, &row).await?;
    Ok(with_etag(HttpResponse::Ok().json(agreement), row.revision))
}

/// Change an agreement's terms (a new version)
///
/// Change the terms — or refresh the text from the register with the same terms. A text
/// that differs is a new version: the agreement goes back to draft and signatures on
/// earlier versions no longer count. The processor cannot be changed.
#[utoipa::path(
    tag = "agreements",
    operation_id = "update_agreement",
    params(("agreement_id" = Uuid, Path, description = "The agreement"), ("If-Match" = String, Header, description = "The ETag the change is based on")),
    request_body = AgreementTerms,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Changed (or unchanged when the text is the same)", body = Agreement, headers(("ETag" = String, description = "The agreement's revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the controller's drafter, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The agreement is active or ended; draft a new one instead (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed it first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The terms are not valid (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/agreements/{agreement_id}")]
pub async fn update_agreement(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Body<AgreementTerms>,
) -> Result<HttpResponse, ApiError> {
    let (row, side, org) =
        load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    if side != Side::Controller {
        return Err(ApiError::new(ProblemCode::Forbidden));
    }
    caller.require(org, Permission::DraftAgreements)?;
    if_match(&req, row.revision)?;
    let terms = checked_terms(&state.db, org, &body.parse()?).await?;
    if terms.processor_id.into_uuid() != row.processor_id {
        return Err(ApiError::validation("processor_id", "immutable"));
    }
    let status = vern_db::agreements::status_of(&row)?;
    let to = transition(status, AgreementEvent::Revise)
        .map_err(|_| refused_transition(status, AgreementEvent::Revise))?;
    let db = &state.db.conn;
    let versions = vern_db::agreements::versions(db, row.id).await?;
    let current = versions
        .iter()
        .find(|v| v.number == row.current_version)
        .ok_or(DbError::InvalidRow("agreements.current_version"))?;
    let now = Utc::now();
    let next = row.current_version + 1;
    let log = change_log(&versions, next, &terms.change_note, now.date_naive());
    let facts = gather(&state.db, org, &terms, &log).await?;
    let text = document(&state.db, org, &terms, &facts).await?;
    let same_terms = terms.same_as(&vern_db::agreements::terms_of(&row)?);
    if text == current.document && same_terms {
        let agreement = view(&state, &row).await?;
        return Ok(with_etag(HttpResponse::Ok().json(agreement), row.revision));
    }
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let changed = if text == current.document {
        // Terms that do not show in the text (the review date): no new version.
        RowChange {
            terms: Some(terms.clone()),
            ..Default::default()
        }
    } else {
        vern_db::agreements::add_version(
            &txn,
            row.id,
            next,
            NewVersion {
                sha256: sha256_hex(&text),
                document: text,
                facts_json: serde_json::to_string(&facts).map_err(ApiError::internal)?,
                change_note: terms.change_note.clone(),
            },
            now,
        )
        .await?;
        RowChange {
            status: Some(to),
            terms: Some(terms.clone()),
            current_version: Some(next),
            ..Default::default()
        }
    };
    let new_version = changed.current_version.is_some();
    if !vern_db::agreements::update(&txn, &row, changed, now).await? {
        return Err(stale());
    }
    let action = if new_version {
        "agreement.revised"
    } else {
        "agreement.updated"
    };
    // The processor hears of a new version of a text it has seen.
    let mut parties = vec![org];
    if new_version && status != AgreementStatus::Draft {
        parties.push(OrganizationId::from_uuid(row.processor_id));
    }
    log_parties(&txn, &caller, &req, &parties, action, row.id, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    respond(&state, row.id).await
}

/// Send an agreement for signature
///
/// Send the current version to the processor for signature. Refused with 422 while
/// `missing_elements` is not empty (each missing element is a field error).
#[utoipa::path(
    tag = "agreements",
    operation_id = "send_agreement",
    params(("agreement_id" = Uuid, Path, description = "The agreement")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Sent", body = Agreement, headers(("ETag" = String, description = "The agreement's revision"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the controller's drafter, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Only a draft can be sent (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed it meanwhile (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Art. 28(3) elements are missing; `errors` names each (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/agreements/{agreement_id}/send")]
pub async fn send_agreement(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (row, side, org) =
        load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    if side != Side::Controller {
        return Err(ApiError::new(ProblemCode::Forbidden));
    }
    caller.require(org, Permission::DraftAgreements)?;
    let status = vern_db::agreements::status_of(&row)?;
    let to = transition(status, AgreementEvent::Send)
        .map_err(|_| refused_transition(status, AgreementEvent::Send))?;
    let db = &state.db.conn;
    let version = vern_db::agreements::version(db, row.id, row.current_version)
        .await?
        .ok_or(DbError::InvalidRow("agreements.current_version"))?;
    let missing = missing_elements(&version_facts(&version)?);
    if !missing.is_empty() {
        return Err(refused(
            missing
                .into_iter()
                .map(|e| FieldError {
                    field: e.as_str().to_owned(),
                    code: "missing".to_owned(),
                })
                .collect(),
        )
        .detail("the agreement lacks elements Art. 28(3) requires"));
    }
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let change = RowChange {
        status: Some(to),
        sent_at: Some(now),
        ..Default::default()
    };
    if !vern_db::agreements::update(&txn, &row, change, now).await? {
        return Err(stale());
    }
    log_parties(&txn, &caller, &req, &[org], "agreement.sent", row.id, now).await?;
    let processor = OrganizationId::from_uuid(row.processor_id);
    log_parties(
        &txn,
        &caller,
        &req,
        &[processor],
        "agreement.received",
        row.id,
        now,
    )
    .await?;
    // Both parties' signatories have an agreement to sign.
    for party in [org, processor] {
        let note = vern_domain::notifications::NewNotification {
            organization_id: party,
            kind: vern_domain::notifications::NotificationKind::AgreementToSign,
            subject_id: row.id,
            params: vern_domain::notifications::NotificationParams {
                title: Some(row.title.clone()),
                ..Default::default()
            },
        };
        let signatories =
            vern_db::notifications::holders(&txn, party, vern_domain::access::Role::Signatory, now)
                .await?;
        vern_db::notifications::deliver(&txn, &note, &signatories, now).await?;
    }
    txn.commit().await.map_err(DbError::from)?;
    respond(&state, row.id).await
}

/// What the signer saw.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SignRequest {
    /// The SHA-256 of the text the signer read (the agreement's `document_sha256`): the
    /// signature is refused if the text has changed since.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub document_sha256: String,
}

/// Sign an agreement
///
/// Sign the current version for the caller's organisation. Only a signatory of a party,
/// within five minutes of proving a second factor (the login, or `/auth/step-up/…`). The
/// signature binds signer, organisation, time and the text's SHA-256, and is sealed with
/// the platform's key. The second party's signature makes the agreement active; an older
/// active agreement between the same parties covering the same systems is superseded.
#[utoipa::path(
    tag = "agreements",
    operation_id = "sign_agreement",
    params(("agreement_id" = Uuid, Path, description = "The agreement")),
    request_body = SignRequest,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Signed", body = Agreement, headers(("ETag" = String, description = "The agreement's revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or no second factor proved in the last five minutes (`unauthenticated`, `step_up_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a signatory of a party, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not awaiting signature, already signed by this party, or the text changed since it was read (`invalid_transition`, `conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not match the schema (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/agreements/{agreement_id}/sign")]
pub async fn sign_agreement(
    user: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Body<SignRequest>,
) -> Result<HttpResponse, ApiError> {
    let caller = user.caller();
    let (row, _, org) = load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    caller.require(org, Permission::SignAgreements)?;
    let body = body.parse()?;
    let db = &state.db.conn;
    let now = Utc::now();
    let session = vern_db::sessions::find(db, user.session_id)
        .await?
        .ok_or_else(|| ApiError::new(ProblemCode::Unauthenticated))?;
    let method = session
        .strong_auth_method
        .as_deref()
        .and_then(StrongAuth::parse)
        .filter(|_| is_fresh(session.strong_auth_at, now))
        .ok_or_else(|| {
            ApiError::new(ProblemCode::StepUpRequired).detail(
                "confirm with a passkey or an authenticator code, then sign within five minutes",
            )
        })?;
    let status = vern_db::agreements::status_of(&row)?;
    let signatures =
        vern_db::agreements::signature_rows(db, row.id, Some(row.current_version)).await?;
    if signatures
        .iter()
        .any(|s| s.organization_id == org.into_uuid())
    {
        return Err(ApiError::new(ProblemCode::Conflict)
            .detail("this party has signed this version already"));
    }
    let completes = !signatures.is_empty();
    let event = AgreementEvent::Sign { completes };
    let to = transition(status, event).map_err(|_| refused_transition(status, event))?;
    let version = vern_db::agreements::version(db, row.id, row.current_version)
        .await?
        .ok_or(DbError::InvalidRow("agreements.current_version"))?;
    if !document_matches(&version.document, &body.document_sha256) {
        return Err(ApiError::new(ProblemCode::Conflict)
            .detail("the text has changed since it was read; read it again before signing"));
    }
    let signer = vern_db::identity::find_user(db, user.user_id)
        .await?
        .ok_or_else(|| ApiError::new(ProblemCode::Unauthenticated))?;
    // The seal states the time in whole seconds; the row keeps the same instant.
    let signed_at = chrono::DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
    let claims = SealClaims {
        iss: state.public_url.clone(),
        sub: row.id.to_string(),
        version: row.current_version,
        document_sha256: version.sha256.clone(),
        organization_id: org.into_uuid(),
        user_id: user.user_id,
        signer_name: signer.display_name.clone(),
        method: method.as_str().to_owned(),
        signed_at: signed_at.timestamp(),
        iat: signed_at.timestamp(),
    };
    let (kid, seal) =
        crate::auth::tokens::seal(&state.keys, &claims).map_err(ApiError::internal)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::agreements::add_signature(
        &txn,
        SignatureRow {
            id: Uuid::now_v7(),
            agreement_id: row.id,
            version: row.current_version,
            organization_id: org.into_uuid(),
            user_id: user.user_id,
            signer_name: signer.display_name,
            method: method.as_str().to_owned(),
            document_sha256: version.sha256,
            signed_at,
            seal,
            seal_kid: kid,
        },
    )
    .await?;
    let mut change = RowChange {
        status: Some(to),
        ..Default::default()
    };
    if to == AgreementStatus::Active {
        change.activated_at = Some(now);
    }
    if !vern_db::agreements::update(&txn, &row, change, now).await? {
        return Err(stale());
    }
    log_parties(&txn, &caller, &req, &[org], "agreement.signed", row.id, now).await?;
    let mut webhooks = Vec::new();
    if to == AgreementStatus::Active {
        let parties = [row.controller_id, row.processor_id].map(OrganizationId::from_uuid);
        // Signed by both: each party's integrations hear of it.
        let events = parties.map(|party| {
            vern_db::webhooks::Event::once(
                party,
                vern_domain::webhooks::EventType::AgreementSigned,
                row.id,
                now,
            )
        });
        webhooks = crate::webhooks::queue(&txn, &events).await?;
        log_parties(
            &txn,
            &caller,
            &req,
            &parties,
            "agreement.activated",
            row.id,
            now,
        )
        .await?;
        // An older active agreement between the same parties for any of the same systems
        // is replaced by this one.
        let systems = vern_db::agreements::terms_of(&row)?.system_ids;
        for older in
            vern_db::agreements::active_between(&txn, row.controller_id, row.processor_id).await?
        {
            if older.id == row.id {
                continue;
            }
            if !supersedes(&systems, &vern_db::agreements::terms_of(&older)?.system_ids) {
                continue;
            }
            let ended =
                transition(AgreementStatus::Active, AgreementEvent::Supersede).map_err(|_| {
                    refused_transition(AgreementStatus::Active, AgreementEvent::Supersede)
                })?;
            let change = RowChange {
                status: Some(ended),
                ended_at: Some(now),
                ..Default::default()
            };
            if !vern_db::agreements::update(&txn, &older, change, now).await? {
                return Err(stale());
            }
            let action = "agreement.superseded";
            log_parties(&txn, &caller, &req, &parties, action, older.id, now).await?;
        }
    }
    txn.commit().await.map_err(DbError::from)?;
    state.webhooks.spawn(webhooks);
    respond(&state, row.id).await
}

/// Terminate or withdraw an agreement
///
/// End an agreement. The controller's drafter may withdraw one that is not yet in force;
/// an active one is ended by a signatory of either party.
#[utoipa::path(
    tag = "agreements",
    operation_id = "terminate_agreement",
    params(("agreement_id" = Uuid, Path, description = "The agreement")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Terminated", body = Agreement, headers(("ETag" = String, description = "The agreement's revision"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to end it, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It has ended already (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed it meanwhile (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/agreements/{agreement_id}/terminate")]
pub async fn terminate_agreement(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (row, side, org) =
        load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    let status = vern_db::agreements::status_of(&row)?;
    match termination_permission(status, side) {
        Some(permission) => caller.require(org, permission)?,
        // The processor cannot withdraw what is not yet in force.
        None if !status.is_final() => return Err(ApiError::new(ProblemCode::Forbidden)),
        // Ended already: the transition below refuses it.
        None => {}
    }
    let to = transition(status, AgreementEvent::Terminate)
        .map_err(|_| refused_transition(status, AgreementEvent::Terminate))?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let change = RowChange {
        status: Some(to),
        ended_at: Some(now),
        ..Default::default()
    };
    if !vern_db::agreements::update(&txn, &row, change, now).await? {
        return Err(stale());
    }
    let mut parties = vec![OrganizationId::from_uuid(row.controller_id)];
    if status != AgreementStatus::Draft {
        parties.push(OrganizationId::from_uuid(row.processor_id));
    }
    log_parties(
        &txn,
        &caller,
        &req,
        &parties,
        "agreement.terminated",
        row.id,
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    respond(&state, row.id).await
}

/// List an agreement's versions
///
/// Every version of the text, oldest first.
#[utoipa::path(
    tag = "agreements",
    operation_id = "list_agreement_versions",
    params(("agreement_id" = Uuid, Path, description = "The agreement")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The versions", body = Vec<AgreementVersion>),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agreements/{agreement_id}/versions")]
pub async fn list_versions(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<AgreementVersion>>, ApiError> {
    let (row, _, _) = load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    let versions = vern_db::agreements::versions(&state.db.conn, row.id).await?;
    Ok(web::Json(
        versions
            .into_iter()
            .map(|v| AgreementVersion {
                number: v.number,
                sha256: v.sha256,
                change_note: v.change_note,
                created_at: v.created_at,
            })
            .collect(),
    ))
}

/// Get the text of a version
///
/// One version's exact text (Markdown), whose SHA-256 is what is signed.
#[utoipa::path(
    tag = "agreements",
    operation_id = "get_agreement_version",
    params(("agreement_id" = Uuid, Path, description = "The agreement"), ("version" = i32, Path, description = "The version number")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The text, byte for byte as hashed", body = String, content_type = "text/markdown", headers(("Digest-SHA256" = String, description = "The text's SHA-256 (hex)"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement or version (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agreements/{agreement_id}/versions/{version}")]
pub async fn get_version(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (id, number) = path.into_inner();
    let (row, _, _) = load(&state, &caller, id, Permission::ReadAgreements).await?;
    let version = vern_db::agreements::version(&state.db.conn, row.id, number)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .content_type("text/markdown; charset=utf-8")
        .insert_header(("Digest-SHA256", version.sha256))
        .body(version.document))
}

/// A version number from a query parameter: 1 or more.
fn version_number(field: &str, raw: &str) -> Result<i32, ApiError> {
    raw.parse::<i32>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ApiError::validation(field, "invalid"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// The older version.
    #[param(value_type = u32, minimum = 1)]
    from: String,
    /// The newer version; the current one when absent.
    #[param(value_type = Option<u32>, minimum = 1)]
    to: Option<String>,
}

/// Compare two versions
///
/// What changed between two versions, line by line (headings, paragraphs, list items and
/// table rows as plain text), with a little context around each change.
#[utoipa::path(
    tag = "agreements",
    operation_id = "diff_agreement_versions",
    params(("agreement_id" = Uuid, Path, description = "The agreement"), DiffParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The differences", body = VersionDiff),
        (status = 400, description = "Malformed path or query (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement or version (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A version number is not a positive number (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agreements/{agreement_id}/diff")]
pub async fn diff_versions(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    params: web::Query<DiffParams>,
) -> Result<web::Json<VersionDiff>, ApiError> {
    let (row, _, _) = load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    let from = version_number("from", &params.from)?;
    let to = match params.to.as_deref() {
        Some(raw) => version_number("to", raw)?,
        None => row.current_version,
    };
    let db = &state.db.conn;
    let old = vern_db::agreements::version(db, row.id, from)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let new = vern_db::agreements::version(db, row.id, to)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(VersionDiff {
        from,
        to,
        lines: diff(&old.document, &new.document, 2),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentParams {
    /// The version; the current one when absent.
    #[param(value_type = Option<u32>, minimum = 1)]
    version: Option<String>,
}

/// The version to show and its signatures.
async fn rendition(
    state: &AppState,
    row: &AgreementRow,
    params: &DocumentParams,
) -> Result<
    (
        vern_db::agreements::VersionRow,
        Vec<vern_domain::agreements::view::AgreementSignature>,
    ),
    ApiError,
> {
    let number = match params.version.as_deref() {
        Some(raw) => version_number("version", raw)?,
        None => row.current_version,
    };
    let db = &state.db.conn;
    let version = vern_db::agreements::version(db, row.id, number)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let rows = vern_db::agreements::signature_rows(db, row.id, Some(number)).await?;
    let signatures = vern_db::agreements::signatures(db, &rows).await?;
    Ok((version, signatures))
}

/// The agreement's text as blocks
///
/// A version's text as headings, paragraphs, list items and tables — for showing it in an
/// application without interpreting markup.
#[utoipa::path(
    tag = "agreements",
    operation_id = "agreement_text",
    params(("agreement_id" = Uuid, Path, description = "The agreement"), DocumentParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The text", body = AgreementText),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement or version (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The version is not a positive number (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agreements/{agreement_id}/text")]
pub async fn agreement_text(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    params: web::Query<DocumentParams>,
) -> Result<web::Json<AgreementText>, ApiError> {
    let (row, _, _) = load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    let (version, _) = rendition(&state, &row, &params).await?;
    Ok(web::Json(AgreementText {
        version: version.number,
        blocks: vern_domain::agreements::document::blocks(&version.document),
        sha256: version.sha256,
    }))
}

/// The agreement as HTML
///
/// The agreement as a print-ready HTML document, with the signature evidence.
#[utoipa::path(
    tag = "agreements",
    operation_id = "agreement_html",
    params(("agreement_id" = Uuid, Path, description = "The agreement"), DocumentParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The document", body = String, content_type = "text/html"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement or version (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The version is not a positive number (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agreements/{agreement_id}/document.html")]
pub async fn agreement_html(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    params: web::Query<DocumentParams>,
) -> Result<HttpResponse, ApiError> {
    let (row, _, _) = load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    let (version, signatures) = rendition(&state, &row, &params).await?;
    let html = crate::documents::agreement_html(&row.title, &row.language, &version, &signatures)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// The agreement as PDF
///
/// The agreement as PDF, its last page the signature evidence.
#[utoipa::path(
    tag = "agreements",
    operation_id = "agreement_pdf",
    params(("agreement_id" = Uuid, Path, description = "The agreement"), DocumentParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The document", body = inline(crate::openapi::Binary), content_type = "application/pdf"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement or version (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The version is not a positive number (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agreements/{agreement_id}/document.pdf")]
pub async fn agreement_pdf(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    params: web::Query<DocumentParams>,
) -> Result<HttpResponse, ApiError> {
    let (row, _, _) = load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    let (version, signatures) = rendition(&state, &row, &params).await?;
    let title = row.title.clone();
    let language = row.language.clone();
    let pdf = web::block(move || {
        crate::documents::agreement_pdf(&title, &language, &version, &signatures)
    })
    .await
    .map_err(ApiError::internal)??;
    let filename = format!(
        "agreement-{}-v{}.pdf",
        row.id,
        params
            .version
            .as_deref()
            .unwrap_or(&row.current_version.to_string())
    );
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(pdf))
}

/// The public key of a seal's `kid`: current keys first, then every key ever used (keys
/// are retired, never deleted).
async fn seal_key(
    state: &AppState,
    kid: &str,
) -> Result<Option<jsonwebtoken::DecodingKey>, ApiError> {
    if let Some(key) = state.keys.decoding(kid) {
        return Ok(Some(key));
    }
    Ok(vern_db::keys::all(&state.db.conn)
        .await?
        .into_iter()
        .find(|k| k.kid == kid)
        .map(|k| jsonwebtoken::DecodingKey::from_ed_der(&k.public_key)))
}

/// Verify an agreement's signatures
///
/// Checks every signature: that the stored text of the signed version still has the hash
/// that was signed, and that the platform's seal verifies and binds the same signer,
/// organisation, time and hash. `valid` only when every signature holds.
#[utoipa::path(
    tag = "agreements",
    operation_id = "verify_agreement",
    params(("agreement_id" = Uuid, Path, description = "The agreement")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The result", body = Verification),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agreements/{agreement_id}/verify")]
pub async fn verify_agreement(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Verification>, ApiError> {
    let (row, _, _) = load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    let db = &state.db.conn;
    let versions = vern_db::agreements::versions(db, row.id).await?;
    let rows = vern_db::agreements::signature_rows(db, row.id, None).await?;
    let shown = vern_db::agreements::signatures(db, &rows).await?;
    let mut checks = Vec::new();
    for (r, signature) in rows.iter().zip(shown) {
        let document_ok = versions
            .iter()
            .find(|v| v.number == r.version)
            .is_some_and(|v| document_matches(&v.document, &r.document_sha256));
        let seal_ok = match seal_key(&state, &r.seal_kid).await? {
            Some(key) => crate::auth::tokens::open_seal(&key, &state.public_url, &r.seal)
                .is_some_and(|c| {
                    c.sub == row.id.to_string()
                        && c.version == r.version
                        && c.document_sha256 == r.document_sha256
                        && c.organization_id == r.organization_id
                        && c.user_id == r.user_id
                        && c.signer_name == r.signer_name
                        && c.method == r.method
                        && c.signed_at == r.signed_at.timestamp()
                }),
            None => false,
        };
        checks.push(SignatureCheck {
            signature,
            document_matches: document_ok,
            seal_valid: seal_ok,
        });
    }
    let current = versions
        .iter()
        .find(|v| v.number == row.current_version)
        .ok_or(DbError::InvalidRow("agreements.current_version"))?;
    Ok(web::Json(Verification {
        valid: !checks.is_empty() && checks.iter().all(|c| c.document_matches && c.seal_valid),
        current_version: row.current_version,
        document_sha256: sha256_hex(&current.document),
        signatures: checks,
    }))
}

/// After a vendor changed a product's sub-processors (in the same transaction): a notice
/// on every active agreement under general authorisation that covers a system on the
/// product, with the objection deadline from the agreement's notice period; an event in
/// both parties' logs. Answers how many notices were made.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn notify_sub_processor_change(
    txn: &vern_db::DatabaseTransaction,
    caller: &Caller,
    req: &HttpRequest,
    vendor: OrganizationId,
    product: Uuid,
    revision: i32,
    change: &SubProcessorChange,
    now: chrono::DateTime<Utc>,
) -> Result<usize, ApiError> {
    if change.is_empty() {
        return Ok(0);
    }
    let mut made = 0;
    for row in vern_db::agreements::active_for_processor(txn, vendor.into_uuid()).await? {
        let terms = vern_db::agreements::terms_of(&row)?;
        let controller = OrganizationId::from_uuid(row.controller_id);
        let products =
            vern_db::templates::products_of_systems(txn, controller, &terms.system_ids).await?;
        let Some(days) = notice_period(&terms, &products, product) else {
            continue;
        };
        vern_db::agreements::add_notice(
            txn,
            vern_db::agreements::NoticeRow {
                id: Uuid::now_v7(),
                agreement_id: row.id,
                controller_id: row.controller_id,
                processor_id: row.processor_id,
                product_id: product,
                product_revision: revision,
                change: serde_json::to_string(change).map_err(ApiError::internal)?,
                notified_at: now,
                objection_deadline: objection_deadline(now, days),
                status: NoticeStatus::Open.as_str().to_owned(),
                reason: String::new(),
                decided_by: None,
                decided_at: None,
            },
        )
        .await?;
        let action = "agreement.sub_processors_notified";
        log_parties(txn, caller, req, &[controller, vendor], action, row.id, now).await?;
        made += 1;
    }
    Ok(made)
}

fn to_notice(
    row: vern_db::agreements::NoticeRow,
    product_name: String,
) -> Result<ChangeNotice, ApiError> {
    Ok(ChangeNotice {
        change: serde_json::from_str(&row.change)
            .map_err(|_| ApiError::from(DbError::InvalidRow("agreement_notices.change")))?,
        status: NoticeStatus::parse(&row.status)
            .ok_or(DbError::InvalidRow("agreement_notices.status"))?,
        id: row.id,
        agreement_id: row.agreement_id,
        product_id: row.product_id,
        product_name,
        notified_at: row.notified_at,
        objection_deadline: row.objection_deadline,
        reason: row.reason,
        decided_at: row.decided_at,
    })
}

async fn notices_of(state: &AppState, agreement: Uuid) -> Result<Vec<ChangeNotice>, ApiError> {
    let db = &state.db.conn;
    let rows = vern_db::agreements::notices(db, agreement).await?;
    let mut names: Vec<(Uuid, String)> = Vec::new();
    let mut out = Vec::new();
    for row in rows {
        let known = names
            .iter()
            .find(|(id, _)| *id == row.product_id)
            .map(|(_, n)| n.clone());
        let name = match known {
            Some(name) => name,
            None => {
                let name = vern_db::register::find_product(db, row.product_id)
                    .await?
                    .map(|p| p.facts.name)
                    .unwrap_or_default();
                names.push((row.product_id, name.clone()));
                name
            }
        };
        out.push(to_notice(row, name)?);
    }
    Ok(out)
}

/// List sub-processor change notices
///
/// The sub-processor change notices on an agreement, newest first, with their deadlines
/// and answers.
#[utoipa::path(
    tag = "agreements",
    operation_id = "list_agreement_notices",
    params(("agreement_id" = Uuid, Path, description = "The agreement")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The notices", body = Vec<ChangeNotice>),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agreements/{agreement_id}/notices")]
pub async fn list_notices(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<ChangeNotice>>, ApiError> {
    let (row, _, _) = load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    Ok(web::Json(notices_of(&state, row.id).await?))
}

async fn decide(
    caller: &Caller,
    state: &AppState,
    req: &HttpRequest,
    agreement: Uuid,
    notice: Uuid,
    choice: NoticeAnswer,
    reason: String,
) -> Result<ChangeNotice, ApiError> {
    let (row, side, org) = load(state, caller, agreement, Permission::ReadAgreements).await?;
    if side != Side::Controller {
        return Err(ApiError::new(ProblemCode::Forbidden));
    }
    caller.require(org, Permission::DraftAgreements)?;
    let db = &state.db.conn;
    let current = vern_db::agreements::notices(db, row.id)
        .await?
        .into_iter()
        .find(|n| n.id == notice)
        .ok_or_else(ApiError::not_found)?;
    let status = NoticeStatus::parse(&current.status)
        .ok_or(DbError::InvalidRow("agreement_notices.status"))?;
    let now = Utc::now();
    let to = answer(status, current.objection_deadline, now, choice).map_err(|refusal| {
        ApiError::new(ProblemCode::InvalidTransition).detail(match refusal {
            AnswerRefusal::Decided => "the notice has been answered already",
            AnswerRefusal::DeadlinePassed => "the objection deadline has passed",
        })
    })?;
    let (_, actor) = caller.actor();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::agreements::decide_notice(&txn, notice, to.as_str(), &reason, actor, now).await? {
        return Err(stale());
    }
    let action = match to {
        NoticeStatus::Objected => "agreement.sub_processors_objected",
        _ => "agreement.sub_processors_accepted",
    };
    let parties = [org, OrganizationId::from_uuid(row.processor_id)];
    log_parties(&txn, caller, req, &parties, action, row.id, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    notices_of(state, row.id)
        .await?
        .into_iter()
        .find(|n| n.id == notice)
        .ok_or_else(ApiError::not_found)
}

/// Accept a sub-processor change
///
/// Accept a sub-processor change. The controller's drafter answers, while it is open.
#[utoipa::path(
    tag = "agreements",
    operation_id = "accept_agreement_notice",
    params(("agreement_id" = Uuid, Path, description = "The agreement"), ("notice_id" = Uuid, Path, description = "The notice")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Accepted", body = ChangeNotice),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the controller's drafter (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement or notice (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Answered already (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Answered by someone else meanwhile (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/agreements/{agreement_id}/notices/{notice_id}/accept")]
pub async fn accept_notice(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<ChangeNotice>, ApiError> {
    let (agreement, notice) = path.into_inner();
    Ok(web::Json(
        decide(
            &caller,
            &state,
            &req,
            agreement,
            notice,
            NoticeAnswer::Accept,
            String::new(),
        )
        .await?,
    ))
}

/// Object to a sub-processor change
///
/// Object to a sub-processor change, with reasons, before the deadline. The processor sees
/// the objection and the reasons.
#[utoipa::path(
    tag = "agreements",
    operation_id = "object_to_agreement_notice",
    params(("agreement_id" = Uuid, Path, description = "The agreement"), ("notice_id" = Uuid, Path, description = "The notice")),
    request_body = Objection,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Objection recorded", body = ChangeNotice),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the controller's drafter (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agreement or notice (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Answered already, or the deadline has passed (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Answered by someone else meanwhile (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reasons given (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/agreements/{agreement_id}/notices/{notice_id}/objection")]
pub async fn object_to_notice(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    body: Body<Objection>,
) -> Result<web::Json<ChangeNotice>, ApiError> {
    let (agreement, notice) = path.into_inner();
    let (_, side, org) = load(&state, &caller, agreement, Permission::ReadAgreements).await?;
    if side != Side::Controller {
        return Err(ApiError::new(ProblemCode::Forbidden));
    }
    caller.require(org, Permission::DraftAgreements)?;
    let objection = check_objection(&body.parse()?).map_err(refused)?;
    Ok(web::Json(
        decide(
            &caller,
            &state,
            &req,
            agreement,
            notice,
            NoticeAnswer::Object,
            objection.reason,
        )
        .await?,
    ))
}
