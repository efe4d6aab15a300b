//! Files attached to requests: the resident adds them in the portal while the case is open
//! (at most five, 5 MiB each, PDF, PNG, JPEG or text — read from the bytes); the case's
//! caseworkers list and download them. Name and bytes are sealed with the content key and
//! purged with the case's contents. Every upload and download is in the case's history and
//! the audit log.

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::requests::{AttachmentRow, NewAttachment};
use vern_domain::access::Permission;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::requests::attachment::{
    AttachRefusal, Attachment, AttachmentList, FileError, FileKind, MAX_ATTACHMENT_BYTES,
    check_file_name, may_attach, sniff,
};
use vern_domain::requests::view::CaseEventKind;

use super::common::entry_event;
use super::requests::{case_file, load};
use super::resident::own_request;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::residents::Resident;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(upload)
        .service(list_own)
        .service(list_for_case)
        .service(download);
}

fn view(state: &AppState, row: &AttachmentRow) -> Result<Attachment, ApiError> {
    Ok(Attachment {
        id: row.id,
        file_name: row
            .file_name
            .as_deref()
            .map(|n| state.open_content(n))
            .transpose()?,
        kind: FileKind::parse(&row.kind)
            .ok_or_else(|| ApiError::internal(DbError::InvalidRow("request_attachments.kind")))?,
        size: u64::try_from(row.size).unwrap_or_default(),
        sha256: row.sha256.clone(),
        uploaded_at: row.uploaded_at,
    })
}

async fn list_of(state: &AppState, request: Uuid) -> Result<AttachmentList, ApiError> {
    let items = vern_db::requests::attachments(&state.db.conn, request)
        .await?
        .iter()
        .map(|row| view(state, row))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(AttachmentList { items })
}

/// Reads the body up to the limit: 413 past it.
async fn read_limited(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| {
            ApiError::new(ProblemCode::InvalidJson).detail("the body could not be read")
        })?;
        if bytes.len() + chunk.len() > MAX_ATTACHMENT_BYTES {
            return Err(
                ApiError::new(ProblemCode::PayloadTooLarge).detail("a file may be at most 5 MiB")
            );
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn attach_refused(e: AttachRefusal) -> ApiError {
    let code = match e {
        AttachRefusal::CaseClosed => ProblemCode::InvalidTransition,
        AttachRefusal::Full => ProblemCode::Conflict,
    };
    ApiError::new(code).detail(e.to_string())
}

fn file_refused(field: &str, e: FileError) -> ApiError {
    if e == FileError::TooLarge {
        ApiError::new(ProblemCode::PayloadTooLarge).detail(e.to_string())
    } else {
        ApiError::validation(field, e.code()).detail(e.to_string())
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The file's name, as the resident knows it (no path).
    #[param(max_length = 200)]
    file_name: Option<String>,
}

/// Attach a file to the resident's request
///
/// Attaches a file to the resident's open request. The body is the file itself.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_add_attachment",
    description = "The body is the file's bytes (any `Content-Type`; the kind is read from the bytes). PDF, PNG, JPEG or UTF-8 text, at most 5 MiB, at most five files per request, while the case is open.",
    params(("request_id" = Uuid, Path, description = "The request"), UploadParams),
    security(("resident_session" = [])),
    request_body(content = inline(crate::openapi::Binary), content_type = "application/octet-stream", description = "The file"),
    responses(
        (status = 201, description = "Attached", body = Attachment),
        (status = 400, description = "The id is not a UUID (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the resident's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or it has five files already (`invalid_transition`, `conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than 5 MiB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty, not an accepted kind, or a bad file name (`validation_failed`: `empty`, `unsupported_file_type`, `invalid_file_name`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/resident/requests/{request_id}/attachments")]
pub async fn upload(
    resident: Resident,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    params: web::Query<UploadParams>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let row = own_request(&state, &resident, id.into_inner()).await?;
    let open = case_file(&row)?.status.is_open();
    // A closed case is refused before its body is read.
    may_attach(open, 0).map_err(attach_refused)?;
    let bytes = read_limited(payload).await?;
    let name = check_file_name(params.file_name.as_deref().unwrap_or_default())
        .map_err(|e| file_refused("file_name", e))?;
    let kind = sniff(&bytes).map_err(|e| file_refused("file", e))?;
    let sha256 = vern_domain::connector::sha256_hex(&bytes);
    let sealed_content = state.seal_content(&STANDARD.encode(&bytes))?;
    let sealed_name = state.seal_content(&name)?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let existing = vern_db::requests::attachments(&txn, row.id).await?.len();
    may_attach(open, existing).map_err(attach_refused)?;
    let attachment = vern_db::requests::add_attachment(
        &txn,
        NewAttachment {
            request_id: row.id,
            sealed_name,
            kind: kind.as_str().to_owned(),
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            sha256,
            sealed_content,
        },
        now,
    )
    .await?;
    super::resident::record_event(
        &txn,
        &resident,
        &req,
        &row,
        CaseEventKind::AttachmentAdded,
        Some(kind.as_str().to_owned()),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    let stored = vern_db::requests::attachment(&state.db.conn, row.id, attachment)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Created().json(view(&state, &stored)?))
}

/// List the files attached to the resident's request
///
/// The files the resident attached to one of their requests.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_list_attachments",
    params(("request_id" = Uuid, Path, description = "The request")),
    security(("resident_session" = [])),
    responses(
        (status = 200, description = "The files (names gone once purged)", body = AttachmentList),
        (status = 400, description = "The id is not a UUID (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the resident's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident/requests/{request_id}/attachments")]
pub async fn list_own(
    resident: Resident,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = own_request(&state, &resident, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(list_of(&state, row.id).await?))
}

/// List the files attached to a request
///
/// The files the resident attached, for the case's caseworkers.
#[utoipa::path(
    tag = "requests",
    operation_id = "list_request_attachments",
    params(("request_id" = Uuid, Path, description = "The request")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The files", body = AttachmentList),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/requests/{request_id}/attachments")]
pub async fn list_for_case(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = load(&state, &caller, id.into_inner(), Permission::HandleRequests).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(list_of(&state, row.id).await?))
}

/// Download a file attached to a request
///
/// Downloads one attached file. Served as an attachment with its own kind, never inline.
#[utoipa::path(
    tag = "requests",
    operation_id = "download_request_attachment",
    params(
        ("request_id" = Uuid, Path, description = "The request"),
        ("attachment_id" = Uuid, Path, description = "The file"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The file's bytes", content_type = "application/octet-stream", body = inline(crate::openapi::Binary), headers(("Content-Disposition" = String, description = "attachment; filename=…"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request or file among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The case's contents were purged (`gone`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/requests/{request_id}/attachments/{attachment_id}")]
pub async fn download(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (request_id, attachment_id) = path.into_inner();
    let row = load(&state, &caller, request_id, Permission::HandleRequests).await?;
    let file = vern_db::requests::attachment(&state.db.conn, row.id, attachment_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let Some(sealed) = &file.content else {
        return Err(ApiError::new(ProblemCode::Gone).detail("the case's contents were purged"));
    };
    let bytes = STANDARD
        .decode(state.open_content(sealed)?)
        .map_err(|_| ApiError::internal(DbError::InvalidRow("request_attachments.content")))?;
    let info = view(&state, &file)?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::requests::add_event(
        &txn,
        row.id,
        CaseEventKind::AttachmentDownloaded.as_str(),
        caller.user_id(),
        None,
        None,
        now,
    )
    .await?;
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            vern_domain::OrganizationId::from_uuid(row.organization_id),
            CaseEventKind::AttachmentDownloaded.audit_action(),
            "request_attachment",
            file.id,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    // The name is the resident's: ASCII-only in the header, the rest as RFC 5987.
    let name = info.file_name.unwrap_or_else(|| "vedlegg".to_owned());
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, info.kind.media_type()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("Content-Security-Policy", "sandbox"))
        .body(bytes))
}
