//! Routing a request to the systems that may hold data about the person.
//!
//! A caseworker sees which systems the register says are involved (those whose processing
//! activities cover the request's data subject categories, or all of them), routes the
//! request to some, and follows one task per system. A system with a connector gets its task
//! sent automatically (signed, retried with backoff, answered at once or by signed callback);
//! the others — and those whose connector fails or stays silent — become manual tasks their
//! owners answer here. The "who holds data" lookup asks every connector at once and keeps
//! nothing but a count in the case's history.
//!
//! Who sees what: caseworkers everything, including the systems' answers; the DPO the
//! tasks' state; a system owner the manual tasks of the systems they own, with the person to
//! look for while the task is open — never the request's free text.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::requests::RequestRow;
use vern_db::reviews::IdCursor;
use vern_db::tasks::{TaskChange, TaskRow};
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::calendar::oslo_date;
use vern_domain::connector::{
    Callback, ConnectorInput, ConnectorSetup, ConnectorView, SIGNATURE_HEADER, check_answer,
    check_endpoint, verify,
};
use vern_domain::pagination::Limit;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::register::system::SystemStatus;
use vern_domain::requests::task::{
    HandAnswer, LookupResult, NewTasks, OwnerTask, OwnerTaskPage, RequestTask, RouteSystem,
    Routing, TaskEvent, TaskList, TaskMode, TaskResult, TaskState, TaskStatus, TaskSubject,
    check_hand_answer, respond_by, route,
};
use vern_domain::requests::view::{CaseEventKind, CaseMember, RequestContents};

use super::common::{ParamErrors, cursor, entry_event, refused};
use super::requests::{case_file, handles, load};
use crate::auth::Caller;
use crate::body::Body;
use crate::connectors::{Actor, event_of, save_task, spawn_delivery, take_answer};
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(get_routing)
        .service(create_tasks)
        .service(list_tasks)
        .service(resend_task)
        .service(run_lookup)
        .service(answer_draft)
        .service(list_system_tasks)
        .service(get_system_task)
        .service(answer_system_task)
        .service(get_connector)
        .service(put_connector)
        .service(delete_connector)
        .service(connector_callback);
}

fn contents_of(state: &AppState, row: &RequestRow) -> Result<Option<RequestContents>, ApiError> {
    row.contents
        .as_deref()
        .map(|sealed| {
            serde_json::from_str::<RequestContents>(&state.open_content(sealed)?)
                .map_err(|_| ApiError::internal(DbError::InvalidRow("requests.contents")))
        })
        .transpose()
}

fn actor_of(caller: &Caller) -> Actor {
    match caller.actor() {
        (vern_domain::access::audit::ActorKind::User, id) => Actor::User(id),
        (_, id) => Actor::Client(id),
    }
}

fn task_view(
    state: &AppState,
    row: &TaskRow,
    systems: &HashMap<Uuid, String>,
    members: &HashMap<Uuid, String>,
    with_result: bool,
) -> Result<RequestTask, ApiError> {
    let task = vern_db::tasks::state_of(row)?;
    let result = match (&row.result, with_result) {
        (Some(sealed), true) => Some(
            serde_json::from_str::<TaskResult>(&state.open_content(sealed)?)
                .map_err(|_| ApiError::internal(DbError::InvalidRow("request_tasks.result")))?,
        ),
        _ => None,
    };
    Ok(RequestTask {
        id: row.id,
        request_id: row.request_id,
        system_id: row.system_id,
        system_name: systems.get(&row.system_id).cloned().unwrap_or_default(),
        mode: vern_db::tasks::mode_of(row),
        status: task.status,
        manual_reason: task.reason,
        outcome: task.outcome,
        attempts: task.attempts,
        respond_by: row.respond_by,
        sent_at: row.sent_at,
        completed_at: row.completed_at,
        completed_by: row.completed_by.map(|id| CaseMember {
            id,
            name: members.get(&id).cloned().unwrap_or_default(),
        }),
        last_error: row.last_error.clone(),
        result,
        revision: row.revision,
    })
}

/// Tasks the systems should have answered by now go to their owners.
async fn expire_overdue(state: &AppState, rows: Vec<TaskRow>) -> Result<Vec<TaskRow>, ApiError> {
    let now = Utc::now();
    let today = oslo_date(now);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let current = vern_db::tasks::state_of(&row)?;
        let late = matches!(
            current.status,
            TaskStatus::Queued | TaskStatus::AwaitingAnswer
        ) && row.respond_by < today;
        if late && let Ok(next) = current.apply(TaskEvent::Overdue) {
            let change = TaskChange {
                state: Some(next),
                next_attempt_at: Some(None),
                ..TaskChange::default()
            };
            save_task(
                state,
                &row,
                change,
                event_of(&next),
                Actor::System,
                None,
                now,
            )
            .await?;
            if let Some(fresh) = vern_db::tasks::find_task(&state.db.conn, row.id).await? {
                out.push(fresh);
                continue;
            }
        }
        out.push(row);
    }
    Ok(out)
}

async fn task_list(
    state: &AppState,
    caller: &Caller,
    request: &RequestRow,
) -> Result<TaskList, ApiError> {
    let rows = vern_db::tasks::tasks_of(&state.db.conn, request.id).await?;
    let rows = expire_overdue(state, rows).await?;
    let systems =
        vern_db::tasks::system_names(&state.db.conn, rows.iter().map(|r| r.system_id)).await?;
    let members = vern_db::identity::display_names(
        &state.db.conn,
        rows.iter().filter_map(|r| r.completed_by),
    )
    .await?;
    let with_result = handles(caller, request);
    let items = rows
        .iter()
        .map(|row| task_view(state, row, &systems, &members, with_result))
        .collect::<Result<_, _>>()?;
    Ok(TaskList { items })
}

/// The organisation's systems built on a catalogue product whose connector declares the
/// request types it handles, and this kind is not among them.
async fn unsupported_systems(
    state: &AppState,
    org: OrganizationId,
    kind: vern_domain::requests::RequestKind,
) -> Result<Vec<Uuid>, ApiError> {
    let mut out = Vec::new();
    let mut products: HashMap<Uuid, bool> = HashMap::new();
    for system in vern_db::register::all_systems(&state.db.conn, org).await? {
        let Some(product) = system.facts.product_id else {
            continue;
        };
        let supported = match products.get(&product) {
            Some(s) => *s,
            None => {
                let s = vern_db::register::find_product(&state.db.conn, product)
                    .await?
                    .and_then(|p| p.facts.connector)
                    .is_none_or(|c| c.handles(kind));
                products.insert(product, s);
                s
            }
        };
        if !supported {
            out.push(system.id);
        }
    }
    Ok(out)
}

fn open_case(row: &RequestRow) -> Result<(), ApiError> {
    if case_file(row)?.status.is_open() {
        Ok(())
    } else {
        Err(ApiError::new(ProblemCode::InvalidTransition).detail("the case is closed"))
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoutingParams {
    /// `true`: every system that may hold data, not only those whose processing covers the
    /// request's data subject categories.
    #[param(value_type = Option<bool>)]
    all: Option<String>,
}

/// Which systems a request should go to
///
/// The systems the register says are involved: those used by processing activities that
/// cover the request's data subject categories (or every system in use with `all=true`),
/// whether each has a connector, and which already have a task.
#[utoipa::path(
    tag = "requests",
    operation_id = "get_request_routing",
    params(("request_id" = Uuid, Path, description = "The request"), RoutingParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The candidate systems", body = Routing),
        (status = 400, description = "Malformed path or query (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`all` is not true or false (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/requests/{request_id}/routing")]
pub async fn get_routing(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    params: web::Query<RoutingParams>,
) -> Result<web::Json<Routing>, ApiError> {
    let row = load(&state, &caller, id.into_inner(), Permission::HandleRequests).await?;
    let mut errors = ParamErrors::default();
    let all = errors.flag("all", params.all.as_deref()).unwrap_or(false);
    errors.finish()?;
    let org = OrganizationId::from_uuid(row.organization_id);
    let subjects = contents_of(&state, &row)?
        .map(|c| c.subject_categories)
        .unwrap_or_default();
    let mut connectors = crate::connectors::connected_systems(&state, org).await?;
    let unsupported = unsupported_systems(&state, org, vern_db::requests::kind_of(&row)?).await?;
    connectors.retain(|s| !unsupported.contains(s));
    let systems: Vec<RouteSystem> = vern_db::register::all_systems(&state.db.conn, org)
        .await?
        .into_iter()
        .map(|s| RouteSystem {
            id: s.id,
            name: s.facts.name,
            owning_unit: s.facts.owning_unit,
            planned: s.facts.status == SystemStatus::Planned,
            connector: connectors.contains(&s.id),
        })
        .collect();
    let activities = vern_db::tasks::activities_for_routing(&state.db.conn, org).await?;
    let existing: HashMap<Uuid, Uuid> = vern_db::tasks::tasks_of(&state.db.conn, row.id)
        .await?
        .into_iter()
        .map(|t| (t.system_id, t.id))
        .collect();
    let candidates = route(&subjects, all, &systems, &activities, &existing);
    Ok(web::Json(Routing {
        subject_categories: subjects,
        all,
        candidates,
    }))
}

/// Send a request to systems
///
/// Route the request to systems: one task each. Systems with a connector get theirs sent at
/// once (in the background: follow the task list); the others become manual tasks for their
/// owners. Systems that already have a task keep it.
#[utoipa::path(
    tag = "requests",
    operation_id = "create_request_tasks",
    params(("request_id" = Uuid, Path, description = "The request")),
    request_body = NewTasks,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "The request's tasks, new ones included", body = TaskList),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No systems, more than 200, or a system that is not the organisation's (`validation_failed` with `required`, `too_many`, `unknown_system`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{request_id}/tasks")]
pub async fn create_tasks(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Body<NewTasks>,
) -> Result<HttpResponse, ApiError> {
    let row = load(&state, &caller, id.into_inner(), Permission::HandleRequests).await?;
    let input = body.parse()?;
    open_case(&row)?;
    let org = OrganizationId::from_uuid(row.organization_id);
    if input.system_ids.is_empty() {
        return Err(ApiError::validation("system_ids", "required"));
    }
    if input.system_ids.len() > 200 {
        return Err(ApiError::validation("system_ids", "too_many"));
    }
    let foreign =
        vern_db::activities::foreign_systems(&state.db.conn, org, &input.system_ids).await?;
    if !foreign.is_empty() {
        let errors = input
            .system_ids
            .iter()
            .enumerate()
            .filter(|(_, s)| foreign.contains(s))
            .map(|(i, _)| {
                vern_domain::problem::FieldError::new(&format!("system_ids[{i}]"), "unknown_system")
            })
            .collect();
        return Err(refused(errors));
    }
    let has_identifier =
        contents_of(&state, &row)?.is_some_and(|c| c.requester.national_id.is_some());
    let connectors = crate::connectors::connected_systems(&state, org).await?;
    let unsupported = unsupported_systems(&state, org, vern_db::requests::kind_of(&row)?).await?;
    let existing: Vec<Uuid> = vern_db::tasks::tasks_of(&state.db.conn, row.id)
        .await?
        .into_iter()
        .map(|t| t.system_id)
        .collect();
    let now = Utc::now();
    let today = oslo_date(now);
    let case = case_file(&row)?;
    let by = respond_by(case.clock.due(today), today);
    let mut wanted: Vec<Uuid> = input
        .system_ids
        .iter()
        .copied()
        .filter(|s| !existing.contains(s))
        .collect();
    wanted.sort();
    wanted.dedup();
    let new: Vec<vern_db::tasks::NewTaskRow> = wanted
        .iter()
        .map(|system| vern_db::tasks::NewTaskRow {
            request: row.id,
            organization: org,
            system: *system,
            state: TaskState::initial(
                connectors.contains(system),
                !unsupported.contains(system),
                has_identifier,
            ),
            respond_by: by,
        })
        .collect();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let created = vern_db::tasks::insert_tasks(&txn, &new, now).await?;
    if !created.is_empty() {
        vern_db::requests::add_event(
            &txn,
            row.id,
            CaseEventKind::Routed.as_str(),
            caller.user_id(),
            Some(created.len().to_string()),
            None,
            now,
        )
        .await?;
        vern_db::audit::append(
            &txn,
            entry_event(
                &caller,
                &req,
                org,
                CaseEventKind::Routed.audit_action(),
                "request",
                row.id,
            ),
            now,
        )
        .await?;
    }
    txn.commit().await.map_err(DbError::from)?;
    for task in &created {
        if task.status == TaskStatus::Queued.as_str() {
            spawn_delivery(state.clone(), task.id);
        }
    }
    let list = task_list(&state, &caller, &row).await?;
    Ok(HttpResponse::Created().json(list))
}

/// List a request's tasks
///
/// The request's tasks: per system, how it is answered, its state and — for caseworkers —
/// what the system found. Tasks a system should have answered by now are handed to their
/// owners as this is read.
#[utoipa::path(
    tag = "requests",
    operation_id = "list_request_tasks",
    params(("request_id" = Uuid, Path, description = "The request")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The tasks (`result` only for caseworkers)", body = TaskList),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that oversees requests, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/requests/{request_id}/tasks")]
pub async fn list_tasks(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<TaskList>, ApiError> {
    let row = load(
        &state,
        &caller,
        id.into_inner(),
        Permission::ReadRequestOverview,
    )
    .await?;
    Ok(web::Json(task_list(&state, &caller, &row).await?))
}

/// A task and its request, if the caller handles the request's organisation's cases.
async fn load_task_for_caseworker(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<(TaskRow, RequestRow), ApiError> {
    let task = vern_db::tasks::find_task(&state.db.conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let request = load(state, caller, task.request_id, Permission::HandleRequests).await?;
    Ok((task, request))
}

/// Send a task to its system again
///
/// Send a task to the system's connector again — after every attempt failed, the system
/// did not answer in time, or answered with an error.
#[utoipa::path(
    tag = "requests",
    operation_id = "resend_task",
    params(("task_id" = Uuid, Path, description = "The task")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Queued again; follow the task list", body = TaskList),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The task is answered, cancelled, waiting, or its system has no connector (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tasks/{task_id}/resend")]
pub async fn resend_task(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<web::Json<TaskList>, ApiError> {
    let (task, request) = load_task_for_caseworker(&state, &caller, id.into_inner()).await?;
    open_case(&request)?;
    let connector = vern_db::tasks::connector(&state.db.conn, task.system_id).await?;
    let current = vern_db::tasks::state_of(&task)?;
    let next = match (connector, current.apply(TaskEvent::Resend)) {
        (Some(_), Ok(next)) => next,
        (None, _) => {
            return Err(ApiError::new(ProblemCode::InvalidTransition)
                .detail("the system has no connector; its owner answers the task"));
        }
        (_, Err(e)) => {
            return Err(ApiError::new(ProblemCode::InvalidTransition).detail(e.to_string()));
        }
    };
    let now = Utc::now();
    let change = TaskChange {
        state: Some(next),
        next_attempt_at: Some(Some(now)),
        last_error: Some(None),
        ..TaskChange::default()
    };
    let saved = save_task(
        &state,
        &task,
        change,
        Some((CaseEventKind::TaskResent, None)),
        actor_of(&caller),
        crate::middleware::request_id(&req),
        now,
    )
    .await?;
    if !saved {
        return Err(super::requests::stale());
    }
    spawn_delivery(state.clone(), task.id);
    Ok(web::Json(task_list(&state, &caller, &request).await?))
}

/// Find out which systems hold data about the requester
///
/// Ask every system with a connector, at once, whether it holds data about the requester.
/// The answer lists the systems; the case's history keeps only that a lookup was made and
/// how many said yes.
#[utoipa::path(
    tag = "requests",
    operation_id = "run_request_lookup",
    params(("request_id" = Uuid, Path, description = "The request")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "What each system said", body = LookupResult),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The request has no national identity number to look for (`validation_failed` with `no_identifier`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{request_id}/lookups")]
pub async fn run_lookup(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<web::Json<LookupResult>, ApiError> {
    let row = load(&state, &caller, id.into_inner(), Permission::HandleRequests).await?;
    open_case(&row)?;
    let Some(subject) = crate::connectors::subject_of(&state, &row)? else {
        return Err(ApiError::validation(
            "requester.national_id",
            "no_identifier",
        ));
    };
    let org = OrganizationId::from_uuid(row.organization_id);
    let answers = crate::connectors::lookup(&state, org, &subject).await?;
    let systems = vern_db::register::all_systems(&state.db.conn, org).await?;
    let names: HashMap<Uuid, String> = systems
        .iter()
        .map(|s| (s.id, s.facts.name.clone()))
        .collect();
    let asked: Vec<Uuid> = answers.iter().map(|(id, _)| *id).collect();
    let without_connector = systems
        .iter()
        .filter(|s| !asked.contains(&s.id) && s.facts.status != SystemStatus::Planned)
        .map(|s| (s.id, vern_domain::requests::task::Holding::Unknown))
        .collect();
    let yes = answers
        .iter()
        .filter(|(_, h)| *h == vern_domain::requests::task::Holding::Yes)
        .count();
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::requests::add_event(
        &txn,
        row.id,
        CaseEventKind::Lookup.as_str(),
        caller.user_id(),
        Some(format!("{yes}/{}", answers.len())),
        None,
        now,
    )
    .await?;
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            org,
            CaseEventKind::Lookup.audit_action(),
            "request",
            row.id,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(web::Json(LookupResult {
        at: now,
        systems: crate::connectors::lookup_rows(answers, &names),
        without_connector: crate::connectors::lookup_rows(without_connector, &names),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SystemTaskParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// `open` (the default: tasks waiting for an answer by hand) or `all`.
    status: Option<String>,
}

async fn owner_task(
    state: &AppState,
    row: &TaskRow,
    names: &HashMap<Uuid, String>,
) -> Result<OwnerTask, ApiError> {
    let task = vern_db::tasks::state_of(row)?;
    let request = vern_db::requests::find(&state.db.conn, row.request_id)
        .await?
        .ok_or_else(|| ApiError::internal(DbError::InvalidRow("request_tasks.request_id")))?;
    let subject = if task.status == TaskStatus::Manual {
        contents_of(state, &request)?.map(|c| TaskSubject {
            name: c.requester.name,
            national_id: c.requester.national_id,
        })
    } else {
        None
    };
    Ok(OwnerTask {
        id: row.id,
        organization_id: row.organization_id,
        system_id: row.system_id,
        system_name: names.get(&row.system_id).cloned().unwrap_or_default(),
        request_reference: format!("{}/{}", request.year, request.sequence),
        request_kind: vern_db::requests::kind_of(&request)?,
        status: task.status,
        manual_reason: task.reason,
        respond_by: row.respond_by,
        subject,
        outcome: task.outcome,
        completed_at: row.completed_at,
        revision: row.revision,
    })
}

/// List my systems' tasks
///
/// Tasks for the systems the caller owns that their owner answers by hand: the person to
/// look for, what they asked (access, erasure …) and by when. Newest first.
#[utoipa::path(
    tag = "requests",
    operation_id = "list_system_tasks",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), SystemTaskParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of tasks", body = OwnerTaskPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system owner, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/system-tasks")]
pub async fn list_system_tasks(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<SystemTaskParams>,
) -> Result<web::Json<OwnerTaskPage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::AnswerRequestTasks)
        .await?;
    let mut errors = ParamErrors::default();
    let limit: Limit = errors.limit(params.limit.as_deref());
    let open_only = match params.status.as_deref() {
        None | Some("open") => true,
        Some("all") => false,
        Some(_) => {
            errors.add("status", "unknown_status");
            true
        }
    };
    errors.finish()?;
    let after: Option<IdCursor> = cursor(params.cursor.as_deref())?;
    let user = caller
        .user_id()
        .ok_or_else(|| ApiError::new(ProblemCode::Forbidden))?;
    let owned = vern_db::tasks::owned_systems(&state.db.conn, user).await?;
    let (rows, next_cursor) =
        vern_db::tasks::tasks_of_systems(&state.db.conn, org, &owned, open_only, limit, after)
            .await?;
    let names =
        vern_db::tasks::system_names(&state.db.conn, rows.iter().map(|r| r.system_id)).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(owner_task(&state, row, &names).await?);
    }
    Ok(web::Json(OwnerTaskPage { items, next_cursor }))
}

/// A task of a system the caller owns (404 for anyone else).
async fn load_owned_task(state: &AppState, caller: &Caller, id: Uuid) -> Result<TaskRow, ApiError> {
    let task = vern_db::tasks::find_task(&state.db.conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !caller.is_member(task.organization_id) {
        return Err(ApiError::not_found());
    }
    caller
        .require_here(
            state,
            OrganizationId::from_uuid(task.organization_id),
            Permission::AnswerRequestTasks,
        )
        .await?;
    let user = caller.user_id().ok_or_else(ApiError::not_found)?;
    let owned = vern_db::tasks::owned_systems(&state.db.conn, user).await?;
    if !owned.contains(&task.system_id)
        || vern_db::tasks::mode_of(&task) == TaskMode::Automatic && task.manual_reason.is_none()
    {
        return Err(ApiError::not_found());
    }
    Ok(task)
}

/// Get a task of my system
///
/// One manual task of a data-subject request for a system the logged-in user owns: which
/// request (kind and reference), whom to look for in the system, the date to answer by,
/// and the outcome once answered. The request's own free text is not shown.
#[utoipa::path(
    tag = "requests",
    operation_id = "get_system_task",
    params(("task_id" = Uuid, Path, description = "The task")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The task (`subject` while it is open)", body = OwnerTask),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system owner, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task for a system the caller owns (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/system-tasks/{task_id}")]
pub async fn get_system_task(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<OwnerTask>, ApiError> {
    let task = load_owned_task(&state, &caller, id.into_inner()).await?;
    let names = vern_db::tasks::system_names(&state.db.conn, [task.system_id]).await?;
    Ok(web::Json(owner_task(&state, &task, &names).await?))
}

/// Answer a task of my system
///
/// Answer a task by hand: the system holds nothing about the person, or what it holds (as
/// text, with files if need be). The answer is stored encrypted for the caseworker.
#[utoipa::path(
    tag = "requests",
    operation_id = "answer_system_task",
    params(("task_id" = Uuid, Path, description = "The task")),
    request_body = HandAnswer,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Answered", body = OwnerTask),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system owner, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task for a system the caller owns (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The task is not waiting for an answer by hand (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The task changed meanwhile (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`data` without text or files, `error` as an outcome, or a file that is not base64 (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/system-tasks/{task_id}/answer")]
pub async fn answer_system_task(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Body<HandAnswer>,
) -> Result<web::Json<OwnerTask>, ApiError> {
    let task = load_owned_task(&state, &caller, id.into_inner()).await?;
    let input = body.parse()?;
    let result = check_hand_answer(&input).map_err(|e| refused(vec![e]))?;
    let current = vern_db::tasks::state_of(&task)?;
    let next = current
        .apply(TaskEvent::AnsweredByHand(input.outcome))
        .map_err(|e| ApiError::new(ProblemCode::InvalidTransition).detail(e.to_string()))?;
    let sealed =
        state.seal_content(&serde_json::to_string(&result).map_err(ApiError::internal)?)?;
    let now = Utc::now();
    let change = TaskChange {
        state: Some(next),
        completed_at: Some(now),
        completed_by: caller.user_id(),
        result: Some(sealed),
        ..TaskChange::default()
    };
    let saved = save_task(
        &state,
        &task,
        change,
        Some((
            CaseEventKind::TaskCompleted,
            Some(input.outcome.as_str().to_owned()),
        )),
        actor_of(&caller),
        crate::middleware::request_id(&req),
        now,
    )
    .await?;
    if !saved {
        return Err(super::requests::stale());
    }
    let fresh = vern_db::tasks::find_task(&state.db.conn, task.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let names = vern_db::tasks::system_names(&state.db.conn, [task.system_id]).await?;
    Ok(web::Json(owner_task(&state, &fresh, &names).await?))
}

fn connector_view(row: &vern_db::tasks::ConnectorRow) -> ConnectorView {
    ConnectorView {
        system_id: row.system_id,
        endpoint: row.endpoint.clone(),
        created_at: row.created_at,
        updated_at: row.updated_at,
        revision: row.revision,
    }
}

/// The organisation's system, if the caller may read (or with `edit`, change) it.
async fn load_system(
    state: &AppState,
    caller: &Caller,
    org: OrganizationId,
    system: Uuid,
    edit: bool,
) -> Result<vern_domain::register::system::System, ApiError> {
    if !caller.is_member(org.into_uuid()) {
        return Err(ApiError::not_found());
    }
    let found = vern_db::register::find_system(&state.db.conn, org, system)
        .await?
        .ok_or_else(ApiError::not_found);
    if !edit {
        caller
            .require_here(state, org, Permission::ReadRegister)
            .await?;
        return found;
    }
    // A register editor any system; a system owner the systems they own.
    if caller.require(org, Permission::EditRegister).is_ok() {
        caller
            .require_here(state, org, Permission::EditRegister)
            .await?;
        return found;
    }
    caller
        .require_here(state, org, Permission::EditOwnSystems)
        .await?;
    let system = found?;
    let owns = caller
        .user_id()
        .is_some_and(|user| system.facts.owners.contains(&user));
    if !owns {
        return Err(ApiError::new(ProblemCode::Forbidden)
            .detail("a system owner sets up connectors for their own systems only"));
    }
    Ok(system)
}

/// Get a system's connector
///
/// A system's connector, if it has one: where Vern sends its tasks. Never the secret.
#[utoipa::path(
    tag = "connectors",
    operation_id = "get_system_connector",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ("system_id" = Uuid, Path, description = "The system")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The connector, or `null` when the system has none", body = vern_domain::connector::SystemConnector),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such system (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/systems/{system_id}/connector")]
pub async fn get_connector(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<web::Json<vern_domain::connector::SystemConnector>, ApiError> {
    let (org, system) = path.into_inner();
    load_system(&state, &caller, org, system, false).await?;
    let row = vern_db::tasks::connector(&state.db.conn, system).await?;
    Ok(web::Json(vern_domain::connector::SystemConnector {
        system_id: system,
        connector: row.as_ref().map(connector_view),
    }))
}

/// Set up a system's connector
///
/// Set up a system's connector, change its endpoint, or make a new shared secret. The
/// secret is answered this once; the system verifies Vern's messages and signs its callbacks
/// with it.
#[utoipa::path(
    tag = "connectors",
    operation_id = "put_system_connector",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ("system_id" = Uuid, Path, description = "The system")),
    request_body = ConnectorInput,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Set up; `secret` when a new one was made", body = ConnectorSetup),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a register editor or the system's owner, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such system (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No endpoint given and the product has none, or the endpoint is not https (`validation_failed` with `required`, `https_required`, `invalid_url`, `credentials_in_url`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/systems/{system_id}/connector")]
pub async fn put_connector(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<ConnectorInput>,
) -> Result<web::Json<ConnectorSetup>, ApiError> {
    let (org, system_id) = path.into_inner();
    let system = load_system(&state, &caller, org, system_id, true).await?;
    let input = body.parse()?;
    let endpoint = match input
        .endpoint
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        Some(given) => given.to_owned(),
        None => {
            let product = match system.facts.product_id {
                Some(id) => vern_db::register::find_product(&state.db.conn, id).await?,
                None => None,
            };
            product
                .and_then(|p| p.facts.connector)
                .map(|c| c.endpoint)
                .ok_or_else(|| ApiError::validation("endpoint", "required"))?
        }
    };
    let endpoint =
        check_endpoint(&endpoint).map_err(|e| ApiError::validation("endpoint", e.code()))?;
    let existing = vern_db::tasks::connector(&state.db.conn, system_id).await?;
    let secret = if existing.is_none() || input.rotate_secret {
        Some(crate::connectors::new_secret().map_err(ApiError::internal)?)
    } else {
        None
    };
    let sealed = secret
        .as_deref()
        .map(|s| state.seal_secret(s))
        .transpose()?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::tasks::set_connector(&txn, org, system_id, &endpoint, sealed, now).await?;
    let action = match (&existing, secret.is_some()) {
        (None, _) => "connector.created",
        (Some(_), true) => "connector.secret_rotated",
        (Some(_), false) => "connector.updated",
    };
    vern_db::audit::append(
        &txn,
        entry_event(&caller, &req, org, action, "system", system_id),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(web::Json(ConnectorSetup {
        connector: connector_view(&row),
        secret,
    }))
}

/// Remove a system's connector
///
/// Remove a system's connector: its new tasks become manual; tasks already sent keep
/// waiting for their callback, which can no longer be verified.
#[utoipa::path(
    tag = "connectors",
    operation_id = "delete_system_connector",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ("system_id" = Uuid, Path, description = "The system")),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a register editor or the system's owner, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such system, or it has no connector (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{org_id}/systems/{system_id}/connector")]
pub async fn delete_connector(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, system_id) = path.into_inner();
    load_system(&state, &caller, org, system_id, true).await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::tasks::remove_connector(&txn, system_id).await? {
        return Err(ApiError::not_found());
    }
    vern_db::audit::append(
        &txn,
        entry_event(&caller, &req, org, "connector.removed", "system", system_id),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}

fn bad_signature() -> ApiError {
    ApiError::new(ProblemCode::InvalidSignature)
        .detail("sign the body with the connector's secret: Vern-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">")
}

/// Answer a task (connector callback)
///
/// A system's later answer to a task (after it answered the task with `202`). The body is a
/// `Callback`, signed with the connector's shared secret in `Vern-Signature` like Vern's own
/// messages; each `delivery_id` is taken once. An unknown task, a task whose system has no
/// connector, a bad or old signature all answer `401` alike.
#[utoipa::path(
    tag = "connectors",
    operation_id = "connector_callback",
    params(
        ("task_id" = Uuid, Path, description = "The task, as in the task message"),
        ("Vern-Signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>`"),
    ),
    request_body = Callback,
    security(("connector_signature" = [])),
    responses(
        (status = 204, description = "Taken"),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The signature is missing, malformed, more than five minutes old, or does not match (`invalid_signature`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "This delivery was taken before (`replayed`), or the task is closed (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The answer's shape is wrong: data without a package, data with no data, an error without a code, a file that is not base64, or another task's id (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/connector/tasks/{task_id}/callback")]
pub async fn connector_callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let task_id = id.into_inner();
    let header = req
        .headers()
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(bad_signature)?;
    let task = vern_db::tasks::find_task(&state.db.conn, task_id)
        .await?
        .ok_or_else(bad_signature)?;
    let connector = vern_db::tasks::connector(&state.db.conn, task.system_id)
        .await?
        .ok_or_else(bad_signature)?;
    let secret = state.open_secret(&connector.secret)?;
    let now = Utc::now();
    verify(secret.as_bytes(), header, &body, now.timestamp()).map_err(|e| {
        tracing::info!(task = %task_id, reason = e.code(), "refused a connector callback");
        bad_signature()
    })?;
    let callback: Callback = serde_json::from_slice(&body).map_err(|e| {
        if e.is_data() {
            ApiError::new(ProblemCode::ValidationFailed).detail("the body is not a Callback")
        } else {
            ApiError::new(ProblemCode::InvalidJson).detail("the body is not valid JSON")
        }
    })?;
    if callback.task_id != task_id {
        return Err(ApiError::validation("task_id", "mismatch"));
    }
    check_answer(&callback.answer).map_err(|e| ApiError::validation("outcome", e.code()))?;
    if !vern_db::tasks::remember_delivery(&state.db.conn, callback.delivery_id, task_id, now)
        .await?
    {
        return Err(ApiError::new(ProblemCode::Replayed)
            .detail("this delivery_id was taken before; send a new one for a new callback"));
    }
    match take_answer(
        &state,
        &task,
        callback.answer,
        crate::middleware::request_id(&req),
        now,
    )
    .await?
    {
        Some(_) => Ok(HttpResponse::NoContent().finish()),
        None => Err(super::requests::stale()),
    }
}

/// Draft the answer to a request
///
/// A draft of the answer: per system, what it found and — from the register — the
/// information Art. 15(1) requires about the processing (purposes, categories, recipients,
/// retention, legal basis, sources, automated decisions), the rights that apply, and what to
/// check before sending. Nothing is stored.
#[utoipa::path(
    tag = "requests",
    operation_id = "get_answer_draft",
    params(("request_id" = Uuid, Path, description = "The request")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The draft", body = vern_domain::requests::answer::AnswerDraft),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/requests/{request_id}/answer-draft")]
pub async fn answer_draft(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<vern_domain::requests::answer::AnswerDraft>, ApiError> {
    use vern_domain::requests::answer::{TaskPart, assemble};
    let row = load(&state, &caller, id.into_inner(), Permission::HandleRequests).await?;
    let org = OrganizationId::from_uuid(row.organization_id);
    let tasks = task_list(&state, &caller, &row).await?;
    let parts = tasks
        .items
        .into_iter()
        .map(|t| TaskPart {
            system_id: t.system_id,
            system_name: t.system_name,
            status: t.status,
            outcome: t.outcome,
            result: t.result,
        })
        .collect();
    let activities = vern_db::tasks::activity_facts_of(&state.db.conn, org).await?;
    Ok(web::Json(assemble(
        row.id,
        vern_db::requests::kind_of(&row)?,
        parts,
        &activities,
        Utc::now(),
    )))
}
