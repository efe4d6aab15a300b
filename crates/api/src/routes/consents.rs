//! Consent records (Art. 7 and 8) for processing activities based on consent: record a
//! consent — the resident's own, or a guardian's for a child — list and look people up,
//! record a withdrawal, export the records, and the counts the record of processing shows.
//!
//! Names and national identity numbers are sealed with the content key; a person's consents
//! are found by the keyed hash of the number. The API shows names and masked numbers; only the
//! export, the organisation's evidence, carries the full numbers. Audit events carry ids only.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::consents::{ConsentFilter, ConsentRow, NewConsentRow, Withdrawal};
use vern_db::reviews::IdCursor;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::calendar::oslo_date;
use vern_domain::consents::{
    Consent, ConsentChannel, ConsentCounts, ConsentGiver, ConsentLookup, ConsentPage,
    ConsentParties, ConsentState, ConsentStatus, ConsentWithdrawal, ExportEntry, NewConsent,
    PersonShown, ResidentConsent, ResidentConsentList, WithdrawalShown, check_consent,
    check_withdrawal, export_headers, export_row, may_withdraw,
};
use vern_domain::person::NationalId;
use vern_domain::problem::{FieldError, Problem};
use vern_domain::register::record::RecordLang;

use super::common::{ParamErrors, cursor, entry_event, refused};
use super::sheets;
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::residents::Resident;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(export_csv)
        .service(export_xlsx)
        .service(lookup_consents)
        .service(list_consents)
        .service(record_consent)
        .service(get_consent)
        .service(withdraw_consent)
        .service(consent_counts)
        .service(resident_consents)
        .service(resident_withdraw_consent);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsentListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only consents to this processing activity.
    #[param(value_type = Option<Uuid>)]
    activity_id: Option<String>,
    /// Only consents in this status today.
    #[param(value_type = Option<ConsentStatus>)]
    status: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsentExportParams {
    /// Only consents to this processing activity.
    #[param(value_type = Option<Uuid>)]
    activity_id: Option<String>,
    /// The language of the headers and values: `nb` (default), `nn` or `en`.
    #[param(value_type = Option<RecordLang>)]
    lang: Option<String>,
}

/// A consent as shown: parties opened, numbers masked.
pub(crate) fn shown(
    row: &ConsentRow,
    parties: &ConsentParties,
    activity_name: String,
    names: &std::collections::HashMap<Uuid, String>,
) -> Result<Consent, ApiError> {
    let today = oslo_date(Utc::now());
    let withdrawal =
        vern_db::consents::withdrawal_of(row)?.map(|(at, by, channel)| WithdrawalShown {
            withdrawn_at: at,
            channel,
            withdrawn_by: by,
            recorded_by: row
                .withdrawal_recorded_by
                .and_then(|u| names.get(&u).cloned()),
        });
    Ok(Consent {
        id: row.id,
        activity_id: row.activity_id,
        activity_name,
        subject: PersonShown::from(&parties.subject),
        given_by: vern_db::consents::given_by_of(row)?,
        guardian: parties.guardian.as_ref().map(PersonShown::from),
        given_at: row.given_at,
        channel: vern_db::consents::channel_of(row)?,
        statement: row.statement.clone(),
        status: vern_db::consents::status_of(row, today),
        renewal_due_on: row.renewal_due_on,
        withdrawal,
        recorded_at: row.recorded_at,
        recorded_by: row.recorded_by.and_then(|u| names.get(&u).cloned()),
    })
}

pub(crate) fn parties_of(state: &AppState, row: &ConsentRow) -> Result<ConsentParties, ApiError> {
    serde_json::from_str(&state.open_content(&row.parties)?)
        .map_err(|_| ApiError::internal(anyhow::anyhow!("consents.parties does not parse")))
}

/// Many consents as shown, with their activities' names and the staff's display names.
pub(crate) async fn shown_all(
    state: &AppState,
    rows: &[ConsentRow],
) -> Result<Vec<Consent>, ApiError> {
    let activities =
        vern_db::consents::activity_names(&state.db.conn, rows.iter().map(|r| r.activity_id))
            .await?;
    let names = vern_db::identity::display_names(
        &state.db.conn,
        rows.iter()
            .flat_map(|r| [r.recorded_by, r.withdrawal_recorded_by])
            .flatten(),
    )
    .await?;
    rows.iter()
        .map(|row| {
            let activity = activities
                .get(&row.activity_id)
                .cloned()
                .unwrap_or_default();
            shown(row, &parties_of(state, row)?, activity, &names)
        })
        .collect()
}

async fn shown_one(state: &AppState, row: &ConsentRow) -> Result<Consent, ApiError> {
    shown_all(state, std::slice::from_ref(row))
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)
}

/// Checks and records a withdrawal with its audit event in one transaction; the row as it
/// is afterwards. Already withdrawn (even by someone a moment earlier) is 409.
async fn record_withdrawal(
    state: &AppState,
    row: &ConsentRow,
    input: &ConsentWithdrawal,
    recorded_by: Option<Uuid>,
    in_portal: bool,
    audit: vern_domain::access::audit::AuditDraft,
) -> Result<ConsentRow, ApiError> {
    let parties = parties_of(state, row)?;
    let now = Utc::now();
    check_withdrawal(&state_of(row, &parties)?, input, in_portal, now)
        .map_err(refused_withdrawal)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::consents::withdraw(
        &txn,
        row.id,
        Withdrawal {
            at: input.withdrawn_at,
            channel: input.channel,
            by: input.withdrawn_by,
            recorded_by,
        },
    )
    .await?
    .ok_or_else(|| refused_withdrawal(vec![FieldError::new("status", "withdrawn")]))?;
    vern_db::audit::append(&txn, audit, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(row)
}

async fn found(state: &AppState, org: OrganizationId, id: Uuid) -> Result<ConsentRow, ApiError> {
    vern_db::consents::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)
}

fn event(
    caller: &Caller,
    req: &HttpRequest,
    org: OrganizationId,
    action: &'static str,
    id: Uuid,
) -> vern_domain::access::audit::AuditDraft {
    entry_event(caller, req, org, action, "consent", id)
}

/// Writes one audit event in its own transaction (a read of personal data: a look-up, an
/// export).
async fn audited(
    state: &AppState,
    draft: vern_domain::access::audit::AuditDraft,
) -> Result<(), ApiError> {
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::audit::append(&txn, draft, Utc::now()).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(())
}

/// What a withdrawal is checked against, from the stored row.
pub(crate) fn state_of(
    row: &ConsentRow,
    parties: &ConsentParties,
) -> Result<ConsentState, ApiError> {
    let subject_born = parties
        .subject
        .national_id
        .birth_date()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a stored number without a date")))?;
    Ok(ConsentState {
        given_at: row.given_at,
        withdrawn: row.withdrawn_at.is_some(),
        subject_born,
        has_guardian: parties.guardian.is_some(),
    })
}

/// A refused withdrawal: already withdrawn is 409, the input 422.
pub(crate) fn refused_withdrawal(errors: Vec<FieldError>) -> ApiError {
    super::common::refused_in_state(errors, "the consent is already withdrawn")
}

/// List consents
///
/// The organisation's consents, newest first.
#[utoipa::path(
    tag = "consents",
    operation_id = "list_consents",
    description = "Consent records of the organisation's processing activities based on consent, newest first, each with its status today: `active`, `renewal_due` (a guardian's consent for a child who has since reached the age to consent on their own) or `withdrawn`. People are shown by name and masked number.",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ConsentListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of consents", body = ConsentPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles consents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/consents")]
pub async fn list_consents(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<ConsentListParams>,
) -> Result<web::Json<ConsentPage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::HandleConsents)
        .await?;
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    let activity = errors.uuid("activity_id", params.activity_id.as_deref());
    let status = errors.choice("status", params.status.as_deref(), ConsentStatus::parse);
    errors.finish()?;
    let after = cursor::<IdCursor>(params.cursor.as_deref())?;
    let filter = ConsentFilter { activity, status };
    let (rows, next_cursor) = vern_db::consents::list(
        &state.db.conn,
        org,
        &filter,
        oslo_date(Utc::now()),
        limit,
        after,
    )
    .await?;
    Ok(web::Json(ConsentPage {
        items: shown_all(&state, &rows).await?,
        next_cursor,
    }))
}

/// Record a consent
///
/// Records a consent: the resident's own, or a guardian's for a child below the activity's
/// age for own consent.
#[utoipa::path(
    tag = "consents",
    operation_id = "record_consent",
    description = "The activity must be the organisation's, rest on consent (Art. 6(1)(a) or explicit consent for a special category) and not be discontinued. The subject's age on the day decides who consents: from the activity's `consent_age` (default 15) the subject themselves, below it a guardian of age. A guardian's consent falls due for renewal on the day the child reaches that age.",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = NewConsent,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Recorded; `Location` names it", body = Consent, headers(("Location" = String, description = "The consent's URL"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles consents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken; see `errors` (`validation_failed`): `not_an_activity_here`, `not_consent_based`, `discontinued`, `guardian_required`, `subject_consents_themselves`, `guardian_not_of_age`, `same_as_subject`, `in_future`, `before_birth`, the national id's own codes", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/consents")]
pub async fn record_consent(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<NewConsent>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::HandleConsents)
        .await?;
    let input = body.parse()?;
    let activity = vern_db::activities::find(&state.db.conn, org, input.activity_id)
        .await?
        .ok_or_else(|| refused(vec![FieldError::new("activity_id", "not_an_activity_here")]))?;
    let now = Utc::now();
    let checked = check_consent(&input, &activity.facts, now).map_err(refused)?;
    let parties = serde_json::to_string(&checked.parties).map_err(ApiError::internal)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::consents::insert(
        &txn,
        NewConsentRow {
            organization: org,
            activity_id: checked.activity_id,
            subject_key: state.requester_key(&checked.parties.subject.national_id),
            guardian_key: checked
                .parties
                .guardian
                .as_ref()
                .map(|g| state.requester_key(&g.national_id)),
            parties: state.seal_content(&parties)?,
            given_by: checked.given_by,
            given_at: checked.given_at,
            channel: checked.channel,
            statement: checked.statement,
            renewal_due_on: checked.renewal_due_on,
            recorded_by: caller.user_id(),
        },
        now,
    )
    .await?;
    vern_db::audit::append(
        &txn,
        event(&caller, &req, org, "consent.recorded", row.id),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    let consent = shown_one(&state, &row).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/organizations/{org}/consents/{}", row.id),
        ))
        .json(consent))
}

/// Get a consent
///
/// One consent record: the activity it was given for, who gave it (the national identity
/// number masked), when and through which channel, and its withdrawal if withdrawn. Needs
/// a role that handles consents.
#[utoipa::path(
    tag = "consents",
    operation_id = "get_consent",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("consent_id" = Uuid, Path, description = "The consent"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The consent", body = Consent),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles consents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consent in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/consents/{consent_id}")]
pub async fn get_consent(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<web::Json<Consent>, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::HandleConsents)
        .await?;
    let row = found(&state, org, id).await?;
    Ok(web::Json(shown_one(&state, &row).await?))
}

/// Record a withdrawal
///
/// Records a withdrawal. The record stays as evidence; the consent no longer counts.
#[utoipa::path(
    tag = "consents",
    operation_id = "withdraw_consent",
    description = "Art. 7(3): the consent stops counting from the withdrawal. The subject can always withdraw; a guardian while the subject is under 18. A withdrawn consent cannot be withdrawn again (409); a new consent is a new record.",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("consent_id" = Uuid, Path, description = "The consent"),
    ),
    request_body = ConsentWithdrawal,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Withdrawn", body = Consent),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles consents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consent in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already withdrawn (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken; see `errors` (`validation_failed`): `in_future`, `before_consent`, `no_guardian_on_record`, `subject_of_age`, `portal_only_by_resident`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/consents/{consent_id}/withdraw")]
pub async fn withdraw_consent(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<ConsentWithdrawal>,
) -> Result<web::Json<Consent>, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::HandleConsents)
        .await?;
    let row = found(&state, org, id).await?;
    let input = body.parse()?;
    let row = record_withdrawal(
        &state,
        &row,
        &input,
        caller.user_id(),
        false,
        event(&caller, &req, org, "consent.withdrawn", id),
    )
    .await?;
    Ok(web::Json(shown_one(&state, &row).await?))
}

/// Look up a person's consents
///
/// Finds a person's consents by national identity number: those about them and those they
/// gave as a guardian. The number goes in the body, never in a URL.
#[utoipa::path(
    tag = "consents",
    operation_id = "look_up_consents",
    description = "Answers whether processing may rest on a person's consent: every consent about them (and every consent they gave as a guardian), newest first, with its status. The look-up is audited (`consent.looked_up`, without the number).",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = ConsentLookup,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The person's consents (one page, no cursor)", body = ConsentPage),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles consents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The number is not a national identity number (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/consent-lookups")]
pub async fn lookup_consents(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<ConsentLookup>,
) -> Result<web::Json<ConsentPage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::HandleConsents)
        .await?;
    let input = body.parse()?;
    let id = NationalId::parse(&input.national_id)
        .map_err(|e| refused(vec![FieldError::new("national_id", e.code())]))?;
    let rows = vern_db::consents::by_person(
        &state.db.conn,
        org,
        &state.requester_key(&id),
        input.activity_id,
    )
    .await?;
    let draft = entry_event(
        &caller,
        &req,
        org,
        "consent.looked_up",
        "organization",
        org.into_uuid(),
    );
    audited(&state, draft).await?;
    Ok(web::Json(ConsentPage {
        items: shown_all(&state, &rows).await?,
        next_cursor: None,
    }))
}

/// An activity's consent counts
///
/// How many of an activity's consents count, are due for renewal, or are withdrawn.
#[utoipa::path(
    tag = "consents",
    operation_id = "get_activity_consent_counts",
    description = "For the record of processing: the counts only, no persons — readable with the register.",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("activity_id" = Uuid, Path, description = "The processing activity"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The counts", body = ConsentCounts),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/processing-activities/{activity_id}/consent-counts")]
pub async fn consent_counts(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<web::Json<ConsentCounts>, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let activity = vern_db::activities::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let [active, renewal_due, withdrawn] =
        vern_db::consents::counts(&state.db.conn, id, oslo_date(Utc::now())).await?;
    Ok(web::Json(ConsentCounts {
        active,
        renewal_due,
        withdrawn,
        consent_age: activity.facts.own_consent_age(),
        consent_based: activity.facts.is_consent_based(),
    }))
}

/// The export's rows, oldest first, and an audit event for handing out the numbers.
async fn export_rows(
    state: &AppState,
    caller: &Caller,
    req: &HttpRequest,
    org: OrganizationId,
    params: &ConsentExportParams,
) -> Result<(RecordLang, Vec<Vec<String>>), ApiError> {
    caller
        .require_here(state, org, Permission::HandleConsents)
        .await?;
    let mut errors = ParamErrors::default();
    let activity = errors.uuid("activity_id", params.activity_id.as_deref());
    errors.finish()?;
    let lang = sheets::lang(params.lang.as_deref())?;
    let rows = vern_db::consents::all(&state.db.conn, org, activity).await?;
    let names =
        vern_db::consents::activity_names(&state.db.conn, rows.iter().map(|r| r.activity_id))
            .await?;
    let today = oslo_date(Utc::now());
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let parties = parties_of(state, row)?;
        let entry = ExportEntry {
            activity_name: names.get(&row.activity_id).map_or("", String::as_str),
            status: vern_db::consents::status_of(row, today),
            parties: &parties,
            given_by: vern_db::consents::given_by_of(row)?,
            given_at: row.given_at,
            channel: vern_db::consents::channel_of(row)?,
            statement: &row.statement,
            renewal_due_on: row.renewal_due_on,
            withdrawn: vern_db::consents::withdrawal_of(row)?,
        };
        out.push(export_row(&entry, lang));
    }
    let draft = entry_event(
        caller,
        req,
        org,
        "consent.exported",
        "organization",
        org.into_uuid(),
    );
    audited(state, draft).await?;
    Ok((lang, out))
}

/// Export consents (CSV)
///
/// The consent records as CSV (RFC 4180, UTF-8), with full national identity numbers.
#[utoipa::path(
    tag = "consents",
    operation_id = "export_consents_csv",
    description = "The organisation's evidence of consent (Art. 7(1)): every record, withdrawn ones included, with full national identity numbers. Audited (`consent.exported`).",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ConsentExportParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The consents as CSV", body = String, content_type = "text/csv"),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles consents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language or a malformed activity id (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/consents.csv")]
pub async fn export_csv(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    params: web::Query<ConsentExportParams>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    let (lang, rows) = export_rows(&state, &caller, &req, org, &params).await?;
    sheets::csv("samtykker", org, &export_headers(lang), rows)
}

/// Export consents (XLSX)
///
/// The consent records as an Excel workbook.
#[utoipa::path(
    tag = "consents",
    operation_id = "export_consents_xlsx",
    description = "As the CSV export, as a workbook. Audited (`consent.exported`).",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ConsentExportParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The consents as a workbook", body = inline(crate::openapi::Binary), content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles consents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language or a malformed activity id (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/consents.xlsx")]
pub async fn export_xlsx(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    params: web::Query<ConsentExportParams>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    let (lang, rows) = export_rows(&state, &caller, &req, org, &params).await?;
    let layout = sheets::Layout {
        sheet: lang.pick("Samtykker", "Samtykke", "Consents"),
        column_width: 22.0,
        frozen_columns: 3,
        wrap: true,
    };
    sheets::xlsx("samtykker", org, &layout, &export_headers(lang), rows)
}

/// Which of the parties the resident is on a consent (`None`: neither).
fn resident_is(row: &ConsentRow, resident: &Resident) -> Option<ConsentGiver> {
    if row.subject_key == resident.subject_key {
        Some(ConsentGiver::Subject)
    } else if row.guardian_key.as_deref() == Some(resident.subject_key.as_str()) {
        Some(ConsentGiver::Guardian)
    } else {
        None
    }
}

async fn for_resident(
    state: &AppState,
    resident: &Resident,
    rows: &[ConsentRow],
) -> Result<Vec<ResidentConsent>, ApiError> {
    let activities =
        vern_db::consents::activity_names(&state.db.conn, rows.iter().map(|r| r.activity_id))
            .await?;
    // No staff names: who recorded it is the organisation's business, not the resident's.
    let no_staff = std::collections::HashMap::new();
    let today = oslo_date(Utc::now());
    let mut organizations = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(who) = resident_is(row, resident) else {
            continue;
        };
        let name = match organizations.get(&row.organization_id) {
            Some(n) => String::clone(n),
            None => {
                let n = super::resident::municipality_name(state, row.organization_id).await?;
                organizations.insert(row.organization_id, n.clone());
                n
            }
        };
        let parties = parties_of(state, row)?;
        let born = state_of(row, &parties)?.subject_born;
        let activity = activities
            .get(&row.activity_id)
            .cloned()
            .unwrap_or_default();
        let consent = shown(row, &parties, activity, &no_staff)?;
        out.push(ResidentConsent {
            can_withdraw: may_withdraw(who, consent.status, born, today),
            consent,
            organization_name: name,
            resident_is: who,
        });
    }
    Ok(out)
}

/// List the resident's consents
///
/// The consents about the logged-in resident, and those they gave as a guardian, in every
/// organisation, newest first.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_list_consents",
    description = "Every consent recorded about the resident, and every consent they gave for a child as guardian, with whether they may withdraw it here (Art. 7(3): as easy to withdraw as to give).",
    security(("resident_session" = [])),
    responses(
        (status = 200, description = "The resident's consents", body = ResidentConsentList),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident/consents")]
pub async fn resident_consents(
    resident: Resident,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let rows =
        vern_db::consents::by_person_everywhere(&state.db.conn, &resident.subject_key).await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(ResidentConsentList {
            items: for_resident(&state, &resident, &rows).await?,
        }))
}

/// Withdraw a consent
///
/// The resident withdraws a consent: their own, or one they gave for a child under 18.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_withdraw_consent",
    description = "Records the withdrawal now, through the portal, by the resident as the subject or as the guardian who gave it. The organisation's record keeps it as evidence; the consent no longer counts.",
    params(("consent_id" = Uuid, Path, description = "The consent")),
    security(("resident_session" = [])),
    responses(
        (status = 200, description = "Withdrawn", body = ResidentConsent),
        (status = 400, description = "The id is not a UUID (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consent among the resident's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already withdrawn (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The guardian's child has come of age and withdraws themselves (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/resident/consents/{consent_id}/withdraw")]
pub async fn resident_withdraw_consent(
    resident: Resident,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = vern_db::consents::get(&state.db.conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let who = resident_is(&row, &resident).ok_or_else(ApiError::not_found)?;
    let input = ConsentWithdrawal {
        withdrawn_at: Utc::now(),
        channel: ConsentChannel::Portal,
        withdrawn_by: who,
    };
    let audit = super::resident::audit(
        &resident,
        &req,
        Some(row.organization_id),
        "consent.withdrawn",
        Some(("consent", row.id)),
    );
    let row = record_withdrawal(&state, &row, &input, None, true, audit).await?;
    let shown = for_resident(&state, &resident, std::slice::from_ref(&row))
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(shown))
}
