//! `GET /api/v1/organizations` and `GET /api/v1/organizations/{org_id}`.
//!
//! Public until the identity capability lands (documented so, with `security: []`).

use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use vern_db::organizations::{self, OrgCursor, OrgFilter};
use vern_domain::organization::{Organization, OrganizationPage};
use vern_domain::pagination::{Limit, decode_cursor};
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::{OrgKind, OrganizationId};

use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_organizations).service(get_organization);
}

/// Query parameters of the organisation list. They arrive as text and are checked here, so
/// each mistake is reported against its own field.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListOrganizationsParams {
    /// Page size, 1–500.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only organisations of this kind.
    #[param(value_type = Option<OrgKind>)]
    kind: Option<String>,
    /// Text to look for in the name; case and accents are ignored. No control characters.
    #[param(
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*$",
        example = "bodø"
    )]
    q: Option<String>,
}

const MAX_Q: usize = 200;

impl ListOrganizationsParams {
    fn validate(&self) -> Result<(OrgFilter, Limit, Option<OrgCursor>), ApiError> {
        let mut errors: Vec<(&str, &str)> = Vec::new();
        let limit = match self.limit.as_deref().map(str::parse::<u32>).transpose() {
            Ok(requested) => Limit::parse(requested).unwrap_or_else(|_| {
                errors.push(("limit", "range"));
                Limit::default()
            }),
            Err(_) => {
                errors.push(("limit", "not_an_integer"));
                Limit::default()
            }
        };
        let kind = match self.kind.as_deref() {
            None => None,
            Some(raw) => OrgKind::parse(raw).or_else(|| {
                errors.push(("kind", "unknown_value"));
                None
            }),
        };
        let q = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        if let Some(q) = q {
            if q.chars().count() > MAX_Q {
                errors.push(("q", "too_long"));
            } else if q.chars().any(char::is_control) {
                errors.push(("q", "control_characters"));
            }
        }
        if !errors.is_empty() {
            let err = errors.into_iter().fold(
                ApiError::new(ProblemCode::ValidationFailed),
                |err, (field, code)| err.field(field, code),
            );
            return Err(err.detail("see errors for the parameters to fix"));
        }
        let cursor = match self.cursor.as_deref() {
            None | Some("") => None,
            Some(raw) => Some(decode_cursor::<OrgCursor>(raw).map_err(|_| {
                ApiError::new(ProblemCode::InvalidCursor)
                    .field("cursor", "invalid")
                    .detail("pass back the next_cursor of a previous page unchanged")
            })?),
        };
        Ok((
            OrgFilter {
                kind,
                q: q.map(str::to_owned),
            },
            limit,
            cursor,
        ))
    }
}

/// List organisations
///
/// List organisations in Norwegian alphabetical order.
///
/// Filter by `kind` and search the name with `q`. Paginate with `limit` and `cursor`.
#[utoipa::path(
    tag = "organizations",
    operation_id = "list_organizations",
    params(ListOrganizationsParams),
    security(()),
    responses(
        (status = 200, description = "One page of organisations", body = OrganizationPage),
        (status = 400, description = "A query parameter is malformed (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    params: web::Query<ListOrganizationsParams>,
) -> Result<web::Json<OrganizationPage>, ApiError> {
    let (filter, limit, cursor) = params.validate()?;
    let page = organizations::list(&state.db.conn, &filter, limit, cursor).await?;
    Ok(web::Json(page))
}

/// Get an organisation
///
/// One organisation's public facts: name, kind, organisation number and municipality. Public,
/// as the list is; members, settings and registers are under the organisation's own paths.
#[utoipa::path(
    tag = "organizations",
    operation_id = "get_organization",
    params(("org_id" = OrganizationId, Path, description = "The organisation's id")),
    security(()),
    responses(
        (status = 200, description = "The organisation", body = Organization),
        (status = 400, description = "`org_id` is not a UUID (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}")]
pub async fn get_organization(
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<Organization>, ApiError> {
    organizations::get(&state.db.conn, org_id.into_inner())
        .await?
        .map(web::Json)
        .ok_or_else(ApiError::not_found)
}
