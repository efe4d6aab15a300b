//! What the organisation must do about its agreements and by when: sign (by a campaign's
//! deadline), review its own active agreements, and see those that run out — soonest
//! first, overdue marked.

use actix_web::{get, web};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::agreements::deadlines::{
    AgreementDeadline, AgreementDeadlinePage, DeadlineFacts, DeadlineKind, deadlines, sort_key,
    urgency,
};
use vern_domain::agreements::lifecycle::Party;
use vern_domain::agreements::view::AgreementParty;
use vern_domain::calendar::oslo_date;
use vern_domain::pagination::paginate;
use vern_domain::problem::Problem;

use super::common::{ParamErrors, cursor};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_agreement_deadlines);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only this kind of deadline.
    #[param(value_type = Option<DeadlineKind>)]
    kind: Option<String>,
}

/// The keyset of the list: day (none last), kind, agreement.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DeadlineCursor {
    due: NaiveDate,
    kind: DeadlineKind,
    id: Uuid,
}

fn parse_kind(input: &str) -> Option<DeadlineKind> {
    [
        DeadlineKind::Sign,
        DeadlineKind::Review,
        DeadlineKind::Expiry,
    ]
    .into_iter()
    .find(|k| k.as_str() == input)
}

/// What the organisation must sign or review, by when
///
/// The organisation's agreement deadlines, soonest first (those without a day last).
#[utoipa::path(
    tag = "agreements",
    operation_id = "list_agreement_deadlines",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), DeadlineListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of deadlines", body = AgreementDeadlinePage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/agreement-deadlines")]
pub async fn list_agreement_deadlines(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<DeadlineListParams>,
) -> Result<web::Json<AgreementDeadlinePage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadAgreements)
        .await?;
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    let only = errors.choice("kind", params.kind.as_deref(), parse_kind);
    errors.finish()?;
    let after: Option<DeadlineCursor> = cursor(params.cursor.as_deref())?;
    let db = &state.db.conn;
    let rows = vern_db::agreements::open_for(db, org).await?;
    let signed = vern_db::agreements::signed_by(db, &rows, org).await?;
    let campaigns =
        vern_db::campaigns::deadlines(db, rows.iter().filter_map(|r| r.campaign_id)).await?;
    let names = vern_db::register::org_names(
        db,
        rows.iter().flat_map(|r| [r.controller_id, r.processor_id]),
    )
    .await?;
    let today = oslo_date(Utc::now());
    let mut items: Vec<AgreementDeadline> = Vec::new();
    for r in &rows {
        let side = if r.controller_id == org.into_uuid() {
            Party::Controller
        } else {
            Party::Processor
        };
        let facts = DeadlineFacts {
            status: vern_db::agreements::status_of(r)?,
            side,
            signed_by_us: signed.contains(&r.id),
            sign_by: r.campaign_id.and_then(|c| campaigns.get(&c).copied()),
            review_date: r.review_date,
            end_date: r.end_date,
        };
        let other = if side == Party::Controller {
            r.processor_id
        } else {
            r.controller_id
        };
        for (kind, due) in deadlines(&facts) {
            if only.is_some_and(|k| k != kind) {
                continue;
            }
            items.push(AgreementDeadline {
                agreement_id: r.id,
                title: r.title.clone(),
                counterparty: AgreementParty {
                    id: OrganizationId::from_uuid(other),
                    name: names.get(&other).cloned().unwrap_or_default(),
                },
                kind,
                due,
                urgency: urgency(due, today),
                days_left: due.map(|d| (d - today).num_days()),
            });
        }
    }
    items.sort_by_key(sort_key);
    if let Some(a) = &after {
        let mark = (a.due, a.kind, a.id);
        items.retain(|d| sort_key(d) > mark);
    }
    items.truncate(usize::try_from(limit.probe()).unwrap_or(usize::MAX));
    let (items, next_cursor) = paginate(items, limit, |d| {
        let (due, kind, id) = sort_key(d);
        DeadlineCursor { due, kind, id }
    });
    Ok(web::Json(AgreementDeadlinePage { items, next_cursor }))
}
