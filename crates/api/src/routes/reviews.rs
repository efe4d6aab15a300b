//! Review items: what a vendor's change to a product asks of the municipalities using it,
//! on each affected system and processing activity, with the facts before and after.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::reviews::{IdCursor, ReviewFilter};
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::register::review::{
    ReviewItem, ReviewItemPage, ReviewResolution, ReviewStatus, ReviewSubject, check_resolution,
    owner_may_resolve,
};

use super::common::{ParamErrors, cursor, entry_event, if_match, refused, with_etag};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_review_items)
        .service(get_review_item)
        .service(resolve_review_item);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewListParams {
    /// Page size, 1–500.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only items with this status (`open` for the work still to do).
    #[param(value_type = Option<ReviewStatus>)]
    status: Option<String>,
    /// Only items on systems, or only on processing activities.
    #[param(value_type = Option<ReviewSubject>)]
    subject: Option<String>,
    /// Only the items of this system or processing activity.
    #[param(value_type = Option<Uuid>)]
    subject_id: Option<String>,
    /// Only the items a change to this catalogue product opened.
    #[param(value_type = Option<Uuid>)]
    product_id: Option<String>,
}

impl ReviewListParams {
    fn parse(
        &self,
    ) -> Result<
        (
            ReviewFilter,
            vern_domain::pagination::Limit,
            Option<IdCursor>,
        ),
        ApiError,
    > {
        let mut errors = ParamErrors::default();
        let limit = errors.limit(self.limit.as_deref());
        let filter = ReviewFilter {
            status: errors.choice("status", self.status.as_deref(), ReviewStatus::parse),
            subject: errors.choice("subject", self.subject.as_deref(), ReviewSubject::parse),
            subject_id: errors.uuid("subject_id", self.subject_id.as_deref()),
            product: errors.uuid("product_id", self.product_id.as_deref()),
        };
        errors.finish()?;
        Ok((filter, limit, cursor(self.cursor.as_deref())?))
    }
}

/// List review items
///
/// The organisation's review items, newest first.
#[utoipa::path(
    tag = "register",
    operation_id = "list_review_items",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ReviewListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of review items", body = ReviewItemPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/review-items")]
pub async fn list_review_items(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<ReviewListParams>,
) -> Result<web::Json<ReviewItemPage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let (filter, limit, after) = params.parse()?;
    let (items, next_cursor) =
        vern_db::reviews::list(&state.db.conn, org, &filter, limit, after).await?;
    Ok(web::Json(ReviewItemPage { items, next_cursor }))
}

/// Get a review item
///
/// One item of the register's review queue: what is to be reviewed (a system or an
/// activity), why, since when, and how it was resolved. The `ETag` is the item's revision.
#[utoipa::path(
    tag = "register",
    operation_id = "get_review_item",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("item_id" = Uuid, Path, description = "The review item"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The review item", body = ReviewItem, headers(("ETag" = String, description = "The revision, for If-Match"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review item in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/review-items/{item_id}")]
pub async fn get_review_item(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let item = vern_db::reviews::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let revision = item.revision;
    Ok(with_etag(HttpResponse::Ok().json(item), revision))
}

/// Resolve a review item
///
/// Record that an open item was reviewed, and what came of it, with `If-Match`. If the
/// vendor changed the product again since the item was read, the answer is 412: look at the
/// newest facts first.
#[utoipa::path(
    tag = "register",
    operation_id = "resolve_review_item",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("item_id" = Uuid, Path, description = "The review item"),
        ("If-Match" = String, Header, description = "The ETag of the revision that was reviewed"),
    ),
    request_body = ReviewResolution,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Resolved", body = ReviewItem, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register (a system owner may resolve the items on their own systems), or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review item in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The item is no longer open (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The item changed since it was read (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken; see `errors` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/review-items/{item_id}/resolve")]
pub async fn resolve_review_item(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<ReviewResolution>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let current = vern_db::reviews::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    // A register editor reviews anything; a system owner the items on their own systems.
    if caller.require(org, Permission::EditRegister).is_err() {
        let owners = match (current.subject, caller.user_id()) {
            (ReviewSubject::System, Some(_))
                if caller.require(org, Permission::EditOwnSystems).is_ok() =>
            {
                vern_db::register::find_system(&state.db.conn, org, current.subject_id)
                    .await?
                    .map(|s| s.facts.owners)
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let may = caller
            .user_id()
            .is_some_and(|user| owner_may_resolve(current.subject, &owners, user));
        if !may {
            return Err(ApiError::new(ProblemCode::Forbidden));
        }
    }
    let expected = if_match(&req, current.revision)?;
    let resolution = check_resolution(&body.parse()?).map_err(refused)?;
    if !current.status.can_become(ReviewStatus::Resolved) {
        return Err(ApiError::new(ProblemCode::Conflict)
            .field("status", current.status.as_str())
            .detail("the item is no longer open"));
    }
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let resolved =
        vern_db::reviews::resolve(&txn, org, id, expected, &resolution, caller.user_id(), now)
            .await?
            .ok_or_else(|| {
                ApiError::new(ProblemCode::PreconditionFailed).detail(
            "the item changed since you read it; fetch it again and review the newest facts",
        )
            })?;
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            org,
            "review_item.resolved",
            "review_item",
            id,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    let revision = resolved.revision;
    Ok(with_etag(HttpResponse::Ok().json(resolved), revision))
}
