//! Vendors' incident notices (Art. 33(2)): a vendor tells every customer of a product about
//! a breach at once. Each organisation with a system on the product receives a draft
//! incident, linked to its systems and the activities using them; the vendor follows who has
//! taken it in.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::reviews::IdCursor;
use vern_domain::OrganizationId;
use vern_domain::access::{Permission, Role};
use vern_domain::incidents::facts::{IncidentStatus, check_incident};
use vern_domain::incidents::vendor::{
    NewVendorIncident, VendorIncident, VendorIncidentPage, draft_for,
};
use vern_domain::notifications::{NewNotification, NotificationKind, NotificationParams};
use vern_domain::problem::{FieldError, Problem};
use vern_domain::register::vocabulary::Vocabulary;

use super::common::{ParamErrors, cursor, entry_event, refused};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_vendor_incidents)
        .service(send_vendor_incident)
        .service(get_vendor_incident);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VendorIncidentListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

async fn shown(
    state: &AppState,
    row: &vern_db::incidents::VendorIncidentRow,
) -> Result<VendorIncident, ApiError> {
    let names = vern_db::identity::display_names(&state.db.conn, row.sent_by).await?;
    Ok(vern_db::incidents::vendor_incident(
        &state.db.conn,
        row,
        row.sent_by.and_then(|u| names.get(&u).cloned()),
    )
    .await?)
}

/// Notify a product's customers of a breach
///
/// Sends a notice on one of the vendor's products: every organisation with a system on it
/// (not retired) receives a draft incident whose clock starts now, linked to those systems
/// and the activities that use them.
#[utoipa::path(
    tag = "incidents",
    operation_id = "send_vendor_incident",
    params(("org_id" = OrganizationId, Path, description = "The vendor")),
    request_body = NewVendorIncident,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Sent; the recipients", body = VendorIncident),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken, or the product is not the vendor's (`validation_failed`: `not_your_product`, …)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/vendor-incidents")]
pub async fn send_vendor_incident(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<NewVendorIncident>,
) -> Result<HttpResponse, ApiError> {
    let vendor = org_id.into_inner();
    caller
        .require_here(&state, vendor, Permission::ManageIncidents)
        .await?;
    let input = body.parse()?;
    let now = Utc::now();
    // The customers' systems are theirs to name: the vendor's notice links none.
    let mut facts = input.facts.clone();
    facts.system_ids.clear();
    facts.activity_ids.clear();
    let checked = check_incident(&facts, &Vocabulary::new(Vec::new()), now);
    let product = vern_db::register::find_product(&state.db.conn, input.product_id).await?;
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    if product.is_none_or(|p| p.vendor_id != vendor) {
        errors.insert(0, FieldError::new("product_id", "not_your_product"));
    }
    let facts = match checked {
        Ok(facts) if errors.is_empty() => facts,
        _ => return Err(refused(errors)),
    };
    let vendor_name = vern_db::organizations::get(&state.db.conn, vendor)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::incidents::insert_vendor_incident(
        &txn,
        vendor,
        input.product_id,
        &facts,
        caller.user_id(),
        now,
    )
    .await?;
    let mut webhooks = Vec::new();
    for (customer, systems, activities) in
        vern_db::incidents::product_systems(&txn, input.product_id).await?
    {
        let draft = draft_for(&facts, systems, activities, now);
        let incident = vern_db::incidents::insert(
            &txn,
            customer,
            &draft,
            IncidentStatus::Draft,
            Some(row.id),
            None,
            now,
        )
        .await?;
        vern_db::audit::append(
            &txn,
            entry_event(
                &caller,
                &req,
                customer,
                "incident.received",
                "incident",
                incident.id,
            ),
            now,
        )
        .await?;
        // The customer's privacy officers hear of it at once: their clock is running.
        let note = NewNotification {
            organization_id: customer,
            kind: NotificationKind::IncidentReceived,
            subject_id: incident.id,
            params: NotificationParams {
                reference: Some(vern_db::incidents::reference(&incident)),
                title: Some(incident.title.clone()),
                due_at: Some(vern_domain::incidents::deadline(now)),
                from: Some(vendor_name.clone()),
                ..NotificationParams::default()
            },
        };
        let officers =
            vern_db::notifications::holders(&txn, customer, Role::PrivacyOfficer, now).await?;
        vern_db::notifications::deliver(&txn, &note, &officers, now).await?;
        // The customer's register has a new (draft) incident.
        webhooks.extend(
            crate::webhooks::queue(
                &txn,
                &[vern_db::webhooks::Event::once(
                    customer,
                    vern_domain::webhooks::EventType::IncidentRegistered,
                    incident.id,
                    now,
                )],
            )
            .await?,
        );
    }
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            vendor,
            "vendor_incident.sent",
            "vendor_incident",
            row.id,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    state.webhooks.spawn(webhooks);
    Ok(HttpResponse::Created().json(shown(&state, &row).await?))
}

/// List a vendor's incident notices
///
/// The vendor's notices, newest first, with how many customers received and took in each.
#[utoipa::path(
    tag = "incidents",
    operation_id = "list_vendor_incidents",
    params(("org_id" = OrganizationId, Path, description = "The vendor"), VendorIncidentListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of notices", body = VendorIncidentPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/vendor-incidents")]
pub async fn list_vendor_incidents(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<VendorIncidentListParams>,
) -> Result<web::Json<VendorIncidentPage>, ApiError> {
    let vendor = org_id.into_inner();
    caller
        .require_here(&state, vendor, Permission::ReadIncidents)
        .await?;
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    errors.finish()?;
    let after = cursor::<IdCursor>(params.cursor.as_deref())?;
    let (items, next_cursor) =
        vern_db::incidents::list_vendor_incidents(&state.db.conn, vendor, limit, after).await?;
    Ok(web::Json(VendorIncidentPage { items, next_cursor }))
}

/// Get a vendor's incident notice
///
/// One notice with each recipient and when (if yet) it took the draft in.
#[utoipa::path(
    tag = "incidents",
    operation_id = "get_vendor_incident",
    params(
        ("org_id" = OrganizationId, Path, description = "The vendor"),
        ("notice_id" = Uuid, Path, description = "The notice"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The notice and its recipients", body = VendorIncident),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notice from the vendor (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/vendor-incidents/{notice_id}")]
pub async fn get_vendor_incident(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (vendor, id) = path.into_inner();
    caller
        .require_here(&state, vendor, Permission::ReadIncidents)
        .await?;
    let row = vern_db::incidents::find_vendor_incident(&state.db.conn, vendor, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(shown(&state, &row).await?))
}
