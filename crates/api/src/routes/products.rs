//! The product catalogue. Vendors keep their products under their organisation
//! (`/organizations/{org_id}/products`); everyone who is logged in reads the published ones
//! (`/products`).

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::register::{NameCursor, ProductFilter};
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::register::product::{
    MaterialFact, Product, ProductFacts, ProductPage, check_product, material_changes,
};

use super::common::{ParamErrors, cursor, entry_event, if_match, refused, with_etag};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_catalogue)
        .service(get_product)
        .service(list_product_revisions)
        .service(list_vendor_products)
        .service(create_product)
        .service(update_product)
        .service(get_taxonomy);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductListParams {
    /// Page size, 1–500.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Text to look for in the name; case and accents are ignored. No control characters.
    #[param(
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*$",
        example = "skole"
    )]
    q: Option<String>,
}

impl ProductListParams {
    fn parse(
        &self,
        vendor: Option<OrganizationId>,
    ) -> Result<
        (
            ProductFilter,
            vern_domain::pagination::Limit,
            Option<NameCursor>,
        ),
        ApiError,
    > {
        let mut errors = ParamErrors::default();
        let limit = errors.limit(self.limit.as_deref());
        let q = errors.q(self.q.as_deref());
        errors.finish()?;
        Ok((
            ProductFilter { vendor, q },
            limit,
            cursor(self.cursor.as_deref())?,
        ))
    }
}

/// May the caller see this product? Published: anyone logged in. Unpublished: its vendor's
/// product editors only.
fn visible(caller: &Caller, product: &Product) -> bool {
    product.facts.published
        || caller
            .require(product.vendor_id, Permission::EditProducts)
            .is_ok()
}

/// Search the product catalogue
///
/// The catalogue: published products in Norwegian alphabetical order.
#[utoipa::path(
    tag = "catalogue",
    operation_id = "list_catalogue",
    params(ProductListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of published products", body = ProductPage),
        (status = 400, description = "A query parameter is malformed (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/products")]
pub async fn list_catalogue(
    _caller: Caller,
    state: web::Data<AppState>,
    params: web::Query<ProductListParams>,
) -> Result<web::Json<ProductPage>, ApiError> {
    let (filter, limit, after) = params.parse(None)?;
    let (items, next_cursor) =
        vern_db::register::list_products(&state.db.conn, &filter, limit, after).await?;
    Ok(web::Json(ProductPage { items, next_cursor }))
}

/// Get a product
///
/// One product, with its ETag (the revision).
#[utoipa::path(
    tag = "catalogue",
    operation_id = "get_product",
    params(("product_id" = Uuid, Path, description = "The product")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The product", body = Product, headers(("ETag" = String, description = "The revision, for If-Match"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such published product, nor one of the caller's own (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/products/{product_id}")]
pub async fn get_product(
    caller: Caller,
    state: web::Data<AppState>,
    product_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let product = vern_db::register::find_product(&state.db.conn, product_id.into_inner())
        .await?
        .filter(|p| visible(&caller, p))
        .ok_or_else(ApiError::not_found)?;
    let revision = product.revision;
    Ok(with_etag(HttpResponse::Ok().json(product), revision))
}

/// One stored revision of a product, and what changed in it that customers must review.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProductRevision {
    pub revision: i32,
    pub created_at: chrono::DateTime<Utc>,
    /// Material facts changed since the previous revision (empty for the first).
    pub material_changes: Vec<MaterialFact>,
    pub facts: ProductFacts,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProductRevisionList {
    pub items: Vec<ProductRevision>,
}

/// A product's history
///
/// A product's history, newest first: every saved revision with what changed.
#[utoipa::path(
    tag = "catalogue",
    operation_id = "list_product_revisions",
    params(("product_id" = Uuid, Path, description = "The product")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The revisions, newest first", body = ProductRevisionList),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such published product, nor one of the caller's own (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/products/{product_id}/revisions")]
pub async fn list_product_revisions(
    caller: Caller,
    state: web::Data<AppState>,
    product_id: web::Path<Uuid>,
) -> Result<web::Json<ProductRevisionList>, ApiError> {
    let id = product_id.into_inner();
    vern_db::register::find_product(&state.db.conn, id)
        .await?
        .filter(|p| visible(&caller, p))
        .ok_or_else(ApiError::not_found)?;
    let rows = vern_db::register::product_revisions(&state.db.conn, id).await?;
    let mut items = Vec::with_capacity(rows.len());
    let mut previous: Option<ProductFacts> = None;
    for (revision, facts, _, created_at) in rows {
        let material_changes = previous
            .as_ref()
            .map(|p| material_changes(p, &facts))
            .unwrap_or_default();
        previous = Some(facts.clone());
        items.push(ProductRevision {
            revision,
            created_at,
            material_changes,
            facts,
        });
    }
    items.reverse();
    Ok(web::Json(ProductRevisionList { items }))
}

/// List the vendor's products
///
/// The vendor's own products, published or not.
#[utoipa::path(
    tag = "catalogue",
    operation_id = "list_vendor_products",
    params(("org_id" = OrganizationId, Path, description = "The vendor"), ProductListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of the vendor's products", body = ProductPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits products, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/products")]
pub async fn list_vendor_products(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<ProductListParams>,
) -> Result<web::Json<ProductPage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::EditProducts)
        .await?;
    let (filter, limit, after) = params.parse(Some(org))?;
    let (items, next_cursor) =
        vern_db::register::list_products(&state.db.conn, &filter, limit, after).await?;
    Ok(web::Json(ProductPage { items, next_cursor }))
}

/// Add a product
///
/// Add a product to the catalogue (published at once if `published` is true).
#[utoipa::path(
    tag = "catalogue",
    operation_id = "create_product",
    params(("org_id" = OrganizationId, Path, description = "The vendor")),
    request_body = ProductFacts,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = Product, headers(("ETag" = String, description = "The revision"), ("Location" = String, description = "The product's URL"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits products, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The facts break a rule; see `errors` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/products")]
pub async fn create_product(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<ProductFacts>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::EditProducts)
        .await?;
    let facts = check_product(&body.parse()?).map_err(refused)?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let product =
        vern_db::register::insert_product(&txn, org, &facts, caller.user_id(), now).await?;
    vern_db::audit::append(
        &txn,
        event(&caller, &req, org, "product.created", product.id),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    let location = format!("/api/v1/products/{}", product.id);
    let revision = product.revision;
    Ok(with_etag(
        HttpResponse::Created()
            .insert_header((actix_web::http::header::LOCATION, location))
            .json(product),
        revision,
    ))
}

/// Update a product
///
/// Replace a product's facts. Send `If-Match` with the ETag you read; if someone else saved
/// in between, the answer is 412 and nothing changes. Every save is kept as a revision. A
/// change to hosting, sub-processors, security measures or data categories opens a review
/// item on every customer's systems and processing activities built on the product; a
/// change of sub-processors also notifies every controller with an active agreement under
/// general authorisation, with the deadline to object.
#[utoipa::path(
    tag = "catalogue",
    operation_id = "update_product",
    params(
        ("org_id" = OrganizationId, Path, description = "The vendor"),
        ("product_id" = Uuid, Path, description = "The product"),
        ("If-Match" = String, Header, description = "The ETag of the revision the change is based on"),
    ),
    request_body = ProductFacts,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Saved", body = Product, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits products, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product of this vendor (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else saved first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The facts break a rule; see `errors` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/products/{product_id}")]
pub async fn update_product(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<ProductFacts>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::EditProducts)
        .await?;
    let current = vern_db::register::find_product(&state.db.conn, id)
        .await?
        .filter(|p| p.vendor_id == org)
        .ok_or_else(ApiError::not_found)?;
    let expected = if_match(&req, current.revision)?;
    let facts = check_product(&body.parse()?).map_err(refused)?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let updated =
        vern_db::register::update_product(&txn, id, expected, &facts, caller.user_id(), now)
            .await?
            .ok_or_else(|| {
                ApiError::new(ProblemCode::PreconditionFailed)
                    .detail("someone else changed it first; fetch it again and redo the change")
            })?;
    vern_db::audit::append(&txn, event(&caller, &req, org, "product.updated", id), now).await?;
    // Every municipality using the product gets (or sees updated) a review item on each
    // system and processing activity built on it; each is an event in its own log.
    let folded = vern_db::reviews::fold_product_change(
        &txn,
        id,
        (&current.facts, current.revision),
        (&updated.facts, updated.revision),
        now,
    )
    .await?;
    // Each organisation with a new item to review hears of it: its register editors.
    let vendor_name = vern_db::organizations::get(&txn, org)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    // The vendor's integrations and each using organisation's hear of the change (once per
    // organisation and revision).
    let mut told = vec![org];
    told.extend(folded.iter().map(|item| item.organization_id));
    told.sort_by_key(|o| o.into_uuid());
    told.dedup();
    let events: Vec<_> = told
        .into_iter()
        .map(|o| {
            vern_db::webhooks::Event::on(
                o,
                vern_domain::webhooks::EventType::ProductChanged,
                id,
                &updated.revision.to_string(),
                now,
            )
        })
        .collect();
    let webhooks = crate::webhooks::queue(&txn, &events).await?;
    for item in folded {
        if item.folded == vern_db::reviews::Folded::Opened {
            let note = vern_domain::notifications::NewNotification {
                organization_id: item.organization_id,
                kind: vern_domain::notifications::NotificationKind::VendorChange,
                subject_id: item.item_id,
                params: vern_domain::notifications::NotificationParams {
                    title: Some(updated.facts.name.clone()),
                    from: Some(vendor_name.clone()),
                    ..Default::default()
                },
            };
            let users = vern_db::notifications::holders(
                &txn,
                item.organization_id,
                vern_domain::access::Role::RegisterEditor,
                now,
            )
            .await?;
            vern_db::notifications::deliver(&txn, &note, &users, now).await?;
        }
        vern_db::audit::append(&txn, review_event(&req, item), now).await?;
    }
    // Controllers with an active agreement under general authorisation get a notice of a
    // sub-processor change, with the deadline to object.
    let change = vern_domain::agreements::notices::SubProcessorChange::between(
        &current.facts.sub_processors,
        &updated.facts.sub_processors,
    );
    super::agreements::notify_sub_processor_change(
        &txn,
        &caller,
        &req,
        org,
        id,
        updated.revision,
        &change,
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    state.webhooks.spawn(webhooks);
    let revision = updated.revision;
    Ok(with_etag(HttpResponse::Ok().json(updated), revision))
}

/// The register's taxonomy
///
/// The taxonomy the register is described in: data categories keyed to W3C DPV terms,
/// with labels in bokmål, nynorsk and English, and whether each is a special category
/// (Art. 9) or criminal-offence data (Art. 10).
#[utoipa::path(
    tag = "catalogue",
    operation_id = "get_taxonomy",
    security(()),
    responses(
        (status = 200, description = "The taxonomy", body = vern_domain::register::taxonomy::Taxonomy),
    )
)]
#[get("/taxonomy")]
pub async fn get_taxonomy() -> web::Json<vern_domain::register::taxonomy::Taxonomy> {
    web::Json(vern_domain::register::taxonomy::taxonomy())
}

fn event(
    caller: &Caller,
    req: &HttpRequest,
    org: OrganizationId,
    action: &'static str,
    id: Uuid,
) -> vern_domain::access::audit::AuditDraft {
    entry_event(caller, req, org, action, "product", id)
}

/// A review item opened, updated or withdrawn in a customer's register by this change: Vern
/// acts there, not the vendor's user.
fn review_event(
    req: &HttpRequest,
    item: vern_db::reviews::FoldedItem,
) -> vern_domain::access::audit::AuditDraft {
    use vern_db::reviews::Folded;
    use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
    AuditDraft {
        organization_id: Some(item.organization_id),
        actor_kind: ActorKind::System,
        actor_id: None,
        action: match item.folded {
            Folded::Opened => "review_item.opened",
            Folded::Updated => "review_item.updated",
            Folded::Withdrawn => "review_item.withdrawn",
        },
        target_type: "review_item",
        target_id: Some(item.item_id.to_string()),
        request_id: crate::middleware::request_id(req),
        outcome: Outcome::Success,
    }
}
