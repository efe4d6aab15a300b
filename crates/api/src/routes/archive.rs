//! A closed request as a Noark 5 archive package (ZIP: `arkivstruktur.xml` and the documents
//! as UTF-8 text files with their SHA-256), for the municipality's archive system. Only
//! caseworkers take it out: it holds who asked and what they were told.

use std::io::Write as _;

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::reviews::IdCursor;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::pagination::Limit;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::requests::noark::{Direction, NoarkCase, NoarkDocument, case_title, package};
use vern_domain::requests::view::{CaseEventKind, RequestContents};

use super::common::entry_event;
use super::requests::{case_file, load};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(noark_export);
}

fn document(
    direction: Direction,
    title: &str,
    at: chrono::DateTime<Utc>,
    text: String,
) -> NoarkDocument {
    NoarkDocument {
        registration_id: Uuid::now_v7(),
        description_id: Uuid::now_v7(),
        object_id: Uuid::now_v7(),
        direction,
        title: title.to_owned(),
        at,
        text,
    }
}

/// Export a closed request as a Noark 5 package
///
/// The closed case as a Noark 5 (v5.0) archive package: one saksmappe with the resident as its
/// part and screened under offentleglova § 13; journalposts for the request (in), each
/// extension notice and the answer or refusal (out), and the case history (internal), each
/// with its document file and SHA-256 checksum.
#[utoipa::path(
    tag = "requests",
    operation_id = "export_request_noark5",
    params(("request_id" = Uuid, Path, description = "The request")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The package: arkivstruktur.xml and dokumenter/*.txt", body = inline(crate::openapi::Binary), content_type = "application/zip"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is still open (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The contents were purged (`gone`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/requests/{request_id}/noark5")]
pub async fn noark_export(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = load(&state, &caller, id.into_inner(), Permission::HandleRequests).await?;
    let case = case_file(&row)?;
    let closed_at = match row.closed_at {
        Some(at) if !case.status.is_open() => at,
        _ => {
            return Err(ApiError::new(ProblemCode::InvalidTransition)
                .detail("only a closed case goes to the archive"));
        }
    };
    let Some(sealed) = &row.contents else {
        return Err(ApiError::new(ProblemCode::Gone).detail("the case's contents were purged"));
    };
    let contents: RequestContents = serde_json::from_str(&state.open_content(sealed)?)
        .map_err(|_| ApiError::internal(DbError::InvalidRow("requests.contents")))?;
    let org = OrganizationId::from_uuid(row.organization_id);
    let organization = vern_db::organizations::get(&state.db.conn, org)
        .await?
        .ok_or_else(ApiError::not_found)?;

    // The whole history, oldest first.
    let mut events = Vec::new();
    let mut cursor: Option<IdCursor> = None;
    let limit = Limit::parse(Some(500)).unwrap_or_default();
    loop {
        let (page, next) =
            vern_db::requests::events(&state.db.conn, row.id, limit, cursor.take()).await?;
        let last = page.last().map(|e| IdCursor { id: e.id });
        events.extend(page);
        match (next, last) {
            (Some(_), Some(last)) => cursor = Some(last),
            _ => break,
        }
    }
    let names = vern_db::identity::display_names(
        &state.db.conn,
        events
            .iter()
            .filter_map(|e| e.actor_id)
            .chain(row.assignee_id),
    )
    .await?;
    let reference = format!("{}/{}", row.year, row.sequence);
    let kind = vern_db::requests::kind_of(&row)?;
    let mut incoming = format!(
        "Henvendelse {reference}: {}\nMottatt: {} ({})\nFra: {}\n",
        case_title(kind),
        row.received_on,
        vern_db::requests::channel_of(&row)?.as_str(),
        contents.requester.name,
    );
    for (label, value) in [
        ("Fødselsnummer", &contents.requester.national_id),
        ("E-post", &contents.requester.email),
        ("Telefon", &contents.requester.phone),
        ("Postadresse", &contents.requester.postal_address),
    ] {
        if let Some(v) = value {
            incoming.push_str(&format!("{label}: {v}\n"));
        }
    }
    incoming.push('\n');
    incoming.push_str(&contents.description);
    incoming.push('\n');
    let mut documents = vec![document(
        Direction::Incoming,
        "Henvendelse om personopplysninger",
        row.received_at,
        incoming,
    )];
    let mut history = format!("Saksgang for sak {reference}\n\n");
    for event in &events {
        let kind = CaseEventKind::parse(&event.kind);
        let text = event
            .text
            .as_deref()
            .map(|t| state.open_content(t))
            .transpose()?;
        let who = event
            .actor_id
            .and_then(|a| names.get(&a).cloned())
            .unwrap_or_else(|| "Vern".to_owned());
        history.push_str(&format!(
            "{} – {} – {}{}\n",
            event.at.format("%Y-%m-%d %H:%M UTC"),
            event.kind,
            who,
            event
                .detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default(),
        ));
        if let Some(t) = &text {
            history.push_str(&format!("    {}\n", t.replace('\n', "\n    ")));
        }
        let outgoing = match kind {
            Some(CaseEventKind::Answered) => Some("Svar på henvendelse om personopplysninger"),
            Some(CaseEventKind::Refused) => Some("Avslag på henvendelse om personopplysninger"),
            Some(CaseEventKind::Extended) => Some("Melding om forlenget svarfrist"),
            _ => None,
        };
        if let (Some(title), Some(t)) = (outgoing, text) {
            let mut body = format!("{title} (sak {reference})\n\n{t}\n");
            if kind == Some(CaseEventKind::Refused)
                && let Some(ground) = event.detail.as_deref()
                && let Some(g) = vern_domain::requests::RefusalGround::parse(ground)
            {
                body.push_str(&format!("\nHjemmel: {}\n", g.citation()));
            }
            documents.push(document(Direction::Outgoing, title, event.at, body));
        }
    }
    documents.push(document(
        Direction::Internal,
        "Saksgang",
        closed_at,
        history,
    ));
    let now = Utc::now();
    let noark = NoarkCase {
        archive_id: Uuid::now_v7(),
        series_id: Uuid::now_v7(),
        case_id: row.id,
        organization_name: organization.name.clone(),
        organization_number: organization
            .org_number
            .map(|n| n.to_string())
            .unwrap_or_else(|| org.to_string()),
        year: row.year,
        sequence: row.sequence,
        kind,
        status: case.status,
        received_at: row.received_at,
        received_on: row.received_on,
        closed_at,
        caseworker: row
            .assignee_id
            .and_then(|a| names.get(&a).cloned())
            .unwrap_or_else(|| "Vern".to_owned()),
        requester_name: contents.requester.name.clone(),
        documents,
        exported_at: now,
    };
    let files = package(&noark).map_err(ApiError::internal)?;
    let zip = web::block(move || -> Result<Vec<u8>, zip::result::ZipError> {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for file in files {
            out.start_file(file.path, options)?;
            out.write_all(&file.bytes)?;
        }
        Ok(out.finish()?.into_inner())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::audit::append(
        &txn,
        entry_event(&caller, &req, org, "request.exported", "request", row.id),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"noark5-sak-{}-{}.zip\"",
                row.year, row.sequence
            ),
        ))
        .body(zip))
}
