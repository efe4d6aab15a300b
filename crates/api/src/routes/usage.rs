//! How municipalities use a vendor's products, as the vendor may see it: the fact of use
//! always (as in its record as processor), the systems and recorded processing activities
//! only where the municipality consents.

use actix_web::{HttpRequest, get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use vern_db::activities::ActivityFilter;
use vern_db::templates::Sharing;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::pagination::Limit;
use vern_domain::problem::Problem;
use vern_domain::register::activity::ActivityStatus;
use vern_domain::register::usage::{CustomerUsage, ProductUsage, product_use};

use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(get_usage_sharing)
        .service(put_usage_sharing)
        .service(get_product_usage);
}

/// Whether vendors may see how the organisation uses their products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UsageSharing {
    pub share_usage_with_vendors: bool,
}

/// Get whether vendors see how their products are used
///
/// Whether the organisation lets its vendors see how it uses their products.
#[utoipa::path(
    tag = "register",
    operation_id = "get_usage_sharing",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The setting", body = UsageSharing),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/settings/usage-sharing")]
pub async fn get_usage_sharing(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<UsageSharing>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let share = vern_db::templates::shares(&state.db.conn, org, Sharing::UsageWithVendors)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(UsageSharing {
        share_usage_with_vendors: share,
    }))
}

/// Let vendors see how their products are used, or not
///
/// Let vendors see how the organisation uses their products — the systems (name, version,
/// status) and the processing activities in the record built on them (name, purposes) — or
/// stop letting them. Without it they see only which products are in use.
#[utoipa::path(
    tag = "register",
    operation_id = "put_usage_sharing",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = UsageSharing,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Saved", body = UsageSharing),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/settings/usage-sharing")]
pub async fn put_usage_sharing(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<UsageSharing>,
) -> Result<web::Json<UsageSharing>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let input = body.parse()?;
    super::comparison::change_sharing(
        &state,
        &caller,
        &req,
        org,
        Sharing::UsageWithVendors,
        input.share_usage_with_vendors,
    )
    .await?;
    Ok(web::Json(input))
}

/// How customers use the vendor's products
///
/// The vendor's customers and, per product, how each uses it: the fact of use always; the
/// systems and the processing activities in the record only where the customer consents.
#[utoipa::path(
    tag = "catalogue",
    operation_id = "get_product_usage",
    params(("org_id" = OrganizationId, Path, description = "The vendor")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The customers and their use", body = ProductUsage),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that keeps the vendor's products, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/product-usage")]
pub async fn get_product_usage(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<ProductUsage>, ApiError> {
    let vendor = org_id.into_inner();
    caller
        .require_here(&state, vendor, Permission::EditProducts)
        .await?;
    let db = &state.db.conn;
    let uses = vern_db::register::customers_of(db, vendor).await?;
    let mut customers: Vec<CustomerUsage> = Vec::new();
    let mut names = std::collections::HashMap::new();
    for (controller_id, _, _) in &uses {
        if customers.iter().any(|c| c.controller_id == *controller_id) {
            continue;
        }
        let Some(controller) = vern_db::organizations::get(db, *controller_id).await? else {
            continue;
        };
        let shares = vern_db::templates::shares(db, *controller_id, Sharing::UsageWithVendors)
            .await?
            == Some(true);
        let (systems, activities) = if shares {
            let filter = ActivityFilter {
                status: Some(ActivityStatus::Active),
                ..Default::default()
            };
            let limit = Limit::parse(Some(500)).unwrap_or_default();
            let (activities, _) =
                vern_db::activities::list(db, *controller_id, &filter, limit, None).await?;
            (
                vern_db::register::all_systems(db, *controller_id).await?,
                activities,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let mut products = Vec::new();
        for (_, p, _) in uses.iter().filter(|(c, _, _)| c == controller_id) {
            if let std::collections::hash_map::Entry::Vacant(e) = names.entry(*p) {
                let name = vern_db::register::find_product(db, *p)
                    .await?
                    .map(|p| p.facts.name)
                    .unwrap_or_default();
                e.insert(name);
            }
            let name = names.get(p).cloned().unwrap_or_default();
            products.push(product_use(*p, &name, shares, &systems, &activities));
        }
        products.sort_by(|a, b| a.product_name.cmp(&b.product_name));
        customers.push(CustomerUsage {
            controller_id: *controller_id,
            name: controller.name,
            shares_details: shares,
            products,
        });
    }
    customers.sort_by_cached_key(|c| vern_domain::sort_key::sort_key(&c.name));
    Ok(web::Json(ProductUsage { customers }))
}
