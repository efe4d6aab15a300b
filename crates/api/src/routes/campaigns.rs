//! Campaigns: a controller sends one agreement to many organisations with one deadline —
//! the directorate's agreement to every municipality, or a municipality's to its vendors —
//! and follows who has opened, who has signed and who is overdue, reminding those who have
//! not signed.
//!
//! Each recipient gets an agreement of its own (the processor), drafted from the same
//! terms with the register's facts about it, sent at once. The campaign is the sender's:
//! recipients see their agreement (with the deadline), never the campaign.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::agreements::NewVersion;
use vern_db::campaigns::CampaignRow;
use vern_db::register::NameCursor;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::agreements::campaign::{
    Campaign, CampaignCounts, CampaignPage, CampaignRecipient, CampaignRecipientPage,
    CampaignSummary, NewCampaign, RecipientState, ReminderRound, check_campaign, recipient_state,
};
use vern_domain::agreements::document::sha256_hex;
use vern_domain::agreements::missing_elements;
use vern_domain::agreements::view::AgreementParty;
use vern_domain::calendar::oslo_date;
use vern_domain::organization::OrgKind;
use vern_domain::pagination::{Limit, paginate};
use vern_domain::problem::{FieldError, Problem};
use vern_domain::sort_key::sort_key;

use super::agreements::{first_version, log_parties, template_text};
use super::common::{ParamErrors, cursor, entry_event, refused};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_campaigns)
        .service(create_campaign)
        .service(get_campaign)
        .service(list_recipients)
        .service(remind_recipients);
}

/// The campaign, if the caller's organisation sent it and the caller holds `permission`
/// there; 404 for everyone else.
async fn load(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    permission: Permission,
) -> Result<CampaignRow, ApiError> {
    let row = vern_db::campaigns::find(&state.db.conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !caller.is_member(row.organization_id) {
        return Err(ApiError::not_found());
    }
    caller
        .require_here(
            state,
            OrganizationId::from_uuid(row.organization_id),
            permission,
        )
        .await?;
    Ok(row)
}

/// Every recipient of these campaigns with where it stands today (Oslo time).
async fn recipients_of(
    state: &AppState,
    campaigns: &[&CampaignRow],
) -> Result<Vec<(Uuid, CampaignRecipient)>, ApiError> {
    let db = &state.db.conn;
    let ids: Vec<Uuid> = campaigns.iter().map(|c| c.id).collect();
    let rows = vern_db::campaigns::agreements_of(db, &ids).await?;
    let signed = vern_db::campaigns::processor_signed_at(db, &rows).await?;
    let names = vern_db::register::org_names(db, rows.iter().map(|r| r.processor_id)).await?;
    let today = oslo_date(Utc::now());
    rows.iter()
        .map(|r| {
            let campaign = r.campaign_id.unwrap_or_default();
            let deadline = campaigns
                .iter()
                .find(|c| c.id == campaign)
                .map(|c| c.deadline)
                .ok_or(DbError::InvalidRow("agreements.campaign_id"))?;
            let status = vern_db::agreements::status_of(r)?;
            let signed_at = signed.get(&r.id).copied();
            Ok((
                campaign,
                CampaignRecipient {
                    organization: AgreementParty {
                        id: OrganizationId::from_uuid(r.processor_id),
                        name: names.get(&r.processor_id).cloned().unwrap_or_default(),
                    },
                    agreement_id: r.id,
                    agreement_status: status,
                    state: recipient_state(
                        status,
                        signed_at.is_some(),
                        r.opened_at.is_some(),
                        deadline,
                        today,
                    ),
                    opened_at: r.opened_at,
                    signed_at,
                    reminded_at: r.reminded_at,
                    reminders: u32::try_from(r.reminders).unwrap_or(0),
                },
            ))
        })
        .collect()
}

fn counts_for(campaign: Uuid, recipients: &[(Uuid, CampaignRecipient)]) -> CampaignCounts {
    CampaignCounts::tally(
        recipients
            .iter()
            .filter(|(c, _)| *c == campaign)
            .map(|(_, r)| r.state),
    )
}

async fn campaign_view(state: &AppState, row: &CampaignRow) -> Result<Campaign, ApiError> {
    let recipients = recipients_of(state, &[row]).await?;
    let sender = OrganizationId::from_uuid(row.organization_id);
    let name = vern_db::organizations::get(&state.db.conn, sender)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    Ok(Campaign {
        id: row.id,
        organization: AgreementParty { id: sender, name },
        title: row.title.clone(),
        deadline: row.deadline,
        template: row.template.clone(),
        counts: counts_for(row.id, &recipients),
        created_at: row.created_at,
        terms: vern_db::campaigns::terms_of(row)?,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// List the organisation's campaigns
///
/// The organisation's campaigns, newest first, each with how many recipients stand where.
#[utoipa::path(
    tag = "campaigns",
    operation_id = "list_campaigns",
    params(("org_id" = OrganizationId, Path, description = "The sender"), CampaignListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of campaigns", body = CampaignPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/campaigns")]
pub async fn list_campaigns(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<CampaignListParams>,
) -> Result<web::Json<CampaignPage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadAgreements)
        .await?;
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    errors.finish()?;
    let after = cursor(params.cursor.as_deref())?;
    let (rows, next_cursor) = vern_db::campaigns::list(&state.db.conn, org, limit, after).await?;
    let refs: Vec<&CampaignRow> = rows.iter().collect();
    let recipients = recipients_of(&state, &refs).await?;
    let items = rows
        .iter()
        .map(|c| CampaignSummary {
            id: c.id,
            title: c.title.clone(),
            deadline: c.deadline,
            counts: counts_for(c.id, &recipients),
            created_at: c.created_at,
        })
        .collect();
    Ok(web::Json(CampaignPage { items, next_cursor }))
}

/// Start a campaign
///
/// Send one agreement to many organisations with a deadline. Each recipient becomes the
/// processor of an agreement of its own, drafted from these terms with the register's
/// facts about it and sent at once. Nothing is stored unless every recipient's agreement
/// is complete (Art. 28(3)).
#[utoipa::path(
    tag = "campaigns",
    operation_id = "create_campaign",
    params(("org_id" = OrganizationId, Path, description = "The sender (controller)")),
    request_body = NewCampaign,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Started: every recipient's agreement is sent", body = Campaign, headers(("Location" = String, description = "The campaign's URL"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that drafts agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not valid: terms, deadline (after today, within a year), recipients (known organisations, not the sender), or an element Art. 28(3) requires is missing (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/campaigns")]
pub async fn create_campaign(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<NewCampaign>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::DraftAgreements)
        .await?;
    let now = Utc::now();
    let asked = body.parse()?;
    let key = asked.terms.template.trim().to_owned();
    let known = template_text(&state.db, org, &key).await?.is_some();
    let input =
        check_campaign(&asked, org, oslo_date(now), |k| known && k == key).map_err(refused)?;
    let db = &state.db.conn;
    let mut errors: Vec<FieldError> = Vec::new();
    for (i, recipient) in input.recipient_ids.iter().enumerate() {
        match vern_db::organizations::get(db, *recipient).await? {
            Some(o) if o.kind != OrgKind::Platform => {}
            _ => errors.push(FieldError {
                field: format!("recipient_ids[{i}]"),
                code: "unknown".to_owned(),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(refused(errors));
    }
    // Every recipient's text first; all must be complete before anything is stored.
    let mut drafts = Vec::with_capacity(input.recipient_ids.len());
    for (i, recipient) in input.recipient_ids.iter().enumerate() {
        let terms = input.terms.for_recipient(*recipient);
        let (facts, text) = first_version(&state.db, org, &terms, now).await?;
        for element in missing_elements(&facts) {
            let field = if element == vern_domain::agreements::Element::Parties {
                format!("recipient_ids[{i}]")
            } else {
                element.as_str().to_owned()
            };
            if !errors.iter().any(|e| e.field == field) {
                errors.push(FieldError {
                    field,
                    code: "missing".to_owned(),
                });
            }
        }
        drafts.push((terms, facts, text));
    }
    if !errors.is_empty() {
        return Err(refused(errors).detail("the agreement lacks elements Art. 28(3) requires"));
    }
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let campaign = vern_db::campaigns::insert(
        &txn,
        org,
        input.deadline,
        &input.terms,
        drafts.len(),
        caller.user_id(),
        now,
    )
    .await?;
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            org,
            "campaign.started",
            "campaign",
            campaign.id,
        ),
        now,
    )
    .await?;
    for (terms, facts, text) in drafts {
        let row = vern_db::agreements::create(
            &txn,
            org,
            &terms,
            facts.language.as_str(),
            NewVersion {
                sha256: sha256_hex(&text),
                document: text,
                facts_json: serde_json::to_string(&facts).map_err(ApiError::internal)?,
                change_note: String::new(),
            },
            now,
        )
        .await?;
        vern_db::campaigns::send_as_part_of(&txn, row.id, campaign.id, now).await?;
        log_parties(&txn, &caller, &req, &[org], "agreement.sent", row.id, now).await?;
        log_parties(
            &txn,
            &caller,
            &req,
            &[terms.processor_id],
            "agreement.received",
            row.id,
            now,
        )
        .await?;
    }
    txn.commit().await.map_err(DbError::from)?;
    let view = campaign_view(&state, &campaign).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/campaigns/{}", campaign.id)))
        .json(view))
}

/// Get a campaign
///
/// A campaign with its terms and how many recipients stand where.
#[utoipa::path(
    tag = "campaigns",
    operation_id = "get_campaign",
    params(("campaign_id" = Uuid, Path, description = "The campaign")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The campaign", body = Campaign),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/campaigns/{campaign_id}")]
pub async fn get_campaign(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Campaign>, ApiError> {
    let row = load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    Ok(web::Json(campaign_view(&state, &row).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecipientListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only recipients that stand here.
    #[param(value_type = Option<RecipientState>)]
    state: Option<String>,
}

/// List a campaign's recipients
///
/// The recipients in name order, each with its agreement and where it stands.
#[utoipa::path(
    tag = "campaigns",
    operation_id = "list_campaign_recipients",
    params(("campaign_id" = Uuid, Path, description = "The campaign"), RecipientListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of recipients", body = CampaignRecipientPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/campaigns/{campaign_id}/recipients")]
pub async fn list_recipients(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    params: web::Query<RecipientListParams>,
) -> Result<web::Json<CampaignRecipientPage>, ApiError> {
    let row = load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    let mut errors = ParamErrors::default();
    let limit: Limit = errors.limit(params.limit.as_deref());
    let only = errors.choice("state", params.state.as_deref(), RecipientState::parse);
    errors.finish()?;
    let after: Option<NameCursor> = cursor(params.cursor.as_deref())?;
    // At most `MAX_RECIPIENTS` per campaign: sorted and paged here, by name then id.
    let mut keyed: Vec<(NameCursor, CampaignRecipient)> = recipients_of(&state, &[&row])
        .await?
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| only.is_none_or(|s| r.state == s))
        .map(|r| {
            (
                NameCursor {
                    sort_key: sort_key(&r.organization.name),
                    id: r.agreement_id,
                },
                r,
            )
        })
        .filter(|(k, _)| {
            after
                .as_ref()
                .is_none_or(|a| (&k.sort_key, k.id) > (&a.sort_key, a.id))
        })
        .collect();
    keyed.sort_by(|(a, _), (b, _)| (&a.sort_key, a.id).cmp(&(&b.sort_key, b.id)));
    keyed.truncate(usize::try_from(limit.probe()).unwrap_or(usize::MAX));
    let (page, next_cursor) = paginate(keyed, limit, |(k, _)| k.clone());
    Ok(web::Json(CampaignRecipientPage {
        items: page.into_iter().map(|(_, r)| r).collect(),
        next_cursor,
    }))
}

/// Remind the recipients who have not signed
///
/// Remind every recipient that has not signed (not opened, in review or overdue). Each
/// reminded agreement records when, and shows the recipient the deadline.
#[utoipa::path(
    tag = "campaigns",
    operation_id = "remind_campaign_recipients",
    params(("campaign_id" = Uuid, Path, description = "The campaign")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Reminded", body = ReminderRound),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that drafts agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/campaigns/{campaign_id}/reminders")]
pub async fn remind_recipients(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<web::Json<ReminderRound>, ApiError> {
    let row = load(
        &state,
        &caller,
        id.into_inner(),
        Permission::DraftAgreements,
    )
    .await?;
    let waiting: Vec<CampaignRecipient> = recipients_of(&state, &[&row])
        .await?
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| r.state.awaits_recipient())
        .collect();
    let now = Utc::now();
    let sender = OrganizationId::from_uuid(row.organization_id);
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let ids: Vec<Uuid> = waiting.iter().map(|r| r.agreement_id).collect();
    vern_db::campaigns::record_reminders(&txn, &ids, now).await?;
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            sender,
            "campaign.reminded",
            "campaign",
            row.id,
        ),
        now,
    )
    .await?;
    for r in &waiting {
        log_parties(
            &txn,
            &caller,
            &req,
            &[r.organization.id],
            "agreement.reminded",
            r.agreement_id,
            now,
        )
        .await?;
    }
    txn.commit().await.map_err(DbError::from)?;
    Ok(web::Json(ReminderRound {
        reminded: u32::try_from(waiting.len()).unwrap_or(u32::MAX),
    }))
}
