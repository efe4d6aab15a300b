//! Talking to systems' connectors (the protocol is in `vern_domain::connector`): sending a
//! task with retries and backoff until the system answers or accepts it, taking answers
//! (at once, by callback, by hand) into the task with its history and audit events, and the
//! "who holds data" fan-out, which asks every connector at once.
//!
//! Sending runs in the background: the caseworker's request returns when the tasks are
//! stored. Queued tasks left by a stopped server are picked up at start.

use std::time::Duration;

use actix_web::web;
use chrono::{DateTime, Utc};
use uuid::Uuid;
use vern_db::DbError;
use vern_db::requests::RequestRow;
use vern_db::tasks::{ConnectorRow, TaskChange, TaskRow};
use vern_domain::OrganizationId;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome as AuditOutcome};
use vern_domain::connector::{
    LookupAnswer, LookupMessage, MAX_ANSWER_BYTES, SIGNATURE_HEADER, Subject, TaskAnswer,
    TaskMessage, TaskOutcome, backoff, check_answer, sign_with_each,
};
use vern_domain::requests::task::{
    Holding, LookupRow, TaskEvent, TaskResult, TaskState, TaskStatus,
};
use vern_domain::requests::view::{CaseEventKind, RequestContents};

use crate::error::ApiError;
use crate::startup::AppState;

/// How Vern talks to connectors (from the settings).
#[derive(Debug, Clone)]
pub struct ConnectorConfig {
    pub timeout: Duration,
    pub retry: Duration,
    pub attempts: u32,
    pub lookup_timeout: Duration,
    /// The base of callback URLs: the public URL, or this server's own address.
    pub callback_base: String,
}

/// The outbound HTTP client: no redirects (a connector answers where it was asked), HTTPS
/// through rustls.
pub fn client() -> anyhow::Result<reqwest::Client> {
    // Several calls install the same provider; only the first one counts.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Ok(reqwest::Client::builder()
        .user_agent(concat!("Vern/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(64)
        .build()?)
}

/// A new shared secret for a connector: 32 random bytes, base64url.
pub fn new_secret() -> anyhow::Result<String> {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// The organisation's systems that have a connector.
pub async fn connected_systems(
    state: &AppState,
    org: OrganizationId,
) -> Result<Vec<Uuid>, ApiError> {
    Ok(vern_db::tasks::connectors_of(&state.db.conn, org)
        .await?
        .into_iter()
        .map(|c| c.system_id)
        .collect())
}

/// Where a task's callback goes.
pub fn callback_url(config: &ConnectorConfig, task: Uuid) -> String {
    format!(
        "{}/api/v1/connector/tasks/{task}/callback",
        config.callback_base
    )
}

/// Who changed a task, for its audit event.
#[derive(Debug, Clone, Copy)]
pub enum Actor {
    /// Vern itself (sending) or the system, through its signed callback.
    System,
    User(Uuid),
    Client(Uuid),
}

/// Stores a task's change with its case event and audit event in one transaction. `false`
/// when the task changed meanwhile (nothing is written then).
#[allow(clippy::too_many_arguments)]
pub async fn save_task(
    state: &AppState,
    task: &TaskRow,
    change: TaskChange,
    event: Option<(CaseEventKind, Option<String>)>,
    actor: Actor,
    request_id: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::tasks::change_task(&txn, task, change, now).await? {
        return Ok(false);
    }
    if let Some((kind, detail)) = event {
        let user = match actor {
            Actor::User(id) => Some(id),
            _ => None,
        };
        vern_db::requests::add_event(
            &txn,
            task.request_id,
            kind.as_str(),
            user,
            detail,
            None,
            now,
        )
        .await?;
        let (actor_kind, actor_id) = match actor {
            Actor::System => (ActorKind::System, None),
            Actor::User(id) => (ActorKind::User, Some(id)),
            Actor::Client(id) => (ActorKind::ApiClient, Some(id)),
        };
        vern_db::audit::append(
            &txn,
            AuditDraft {
                organization_id: Some(OrganizationId::from_uuid(task.organization_id)),
                actor_kind,
                actor_id,
                action: kind.audit_action(),
                target_type: "request_task",
                target_id: Some(task.id.to_string()),
                request_id,
                outcome: AuditOutcome::Success,
            },
            now,
        )
        .await?;
    }
    txn.commit().await.map_err(DbError::from)?;
    Ok(true)
}

/// The case event a task's new state is told by.
pub fn event_of(state: &TaskState) -> Option<(CaseEventKind, Option<String>)> {
    match state.status {
        TaskStatus::Done => Some((
            CaseEventKind::TaskAnswered,
            state.outcome.map(|o| o.as_str().to_owned()),
        )),
        TaskStatus::Manual => Some((
            CaseEventKind::TaskManual,
            state.reason.map(|r| r.as_str().to_owned()),
        )),
        _ => None,
    }
}

/// A system's answer (at once or by callback) applied to the task. `Ok(None)` when the task
/// changed meanwhile; `Err` with the domain's reason when the answer does not apply.
pub async fn take_answer(
    state: &AppState,
    task: &TaskRow,
    answer: TaskAnswer,
    request_id: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<TaskState>, ApiError> {
    let current = vern_db::tasks::state_of(task)?;
    let next = current
        .apply(TaskEvent::Answered(answer.outcome))
        .map_err(|e| {
            ApiError::new(vern_domain::problem::ProblemCode::InvalidTransition)
                .detail(e.to_string())
        })?;
    let result = match answer.outcome {
        TaskOutcome::Error => None,
        outcome => Some(TaskResult {
            outcome,
            package: answer.package,
            files: answer.files,
            comment: None,
        }),
    };
    let sealed = result
        .map(|r| serde_json::to_string(&r).map_err(ApiError::internal))
        .transpose()?
        .map(|json| state.seal_content(&json))
        .transpose()?;
    let change = TaskChange {
        state: Some(next),
        next_attempt_at: Some(None),
        completed_at: (next.status == TaskStatus::Done).then_some(now),
        last_error: Some(answer.error_code.map(|c| format!("system:{c}"))),
        result: sealed,
        ..TaskChange::default()
    };
    let event = if next == current {
        None
    } else {
        event_of(&next)
    };
    if save_task(state, task, change, event, Actor::System, request_id, now).await? {
        Ok(Some(next))
    } else {
        Ok(None)
    }
}

/// The requester's national id from the sealed contents, if the request has one.
pub fn subject_of(state: &AppState, request: &RequestRow) -> Result<Option<Subject>, ApiError> {
    let Some(sealed) = &request.contents else {
        return Ok(None);
    };
    let contents: RequestContents = serde_json::from_str(&state.open_content(sealed)?)
        .map_err(|_| ApiError::internal(DbError::InvalidRow("requests.contents")))?;
    Ok(contents
        .requester
        .national_id
        .map(|national_id| Subject { national_id }))
}

/// Starts sending a queued task in the background.
pub fn spawn_delivery(state: web::Data<AppState>, task: Uuid) {
    tokio::spawn(async move {
        if let Err(e) = deliver(&state, task).await {
            tracing::warn!(task = %task, error = %e, "sending a task to its connector stopped");
        }
    });
}

/// Picks up the queued tasks a stopped server left.
pub async fn resume(state: web::Data<AppState>) -> Result<usize, ApiError> {
    let due = vern_db::tasks::due_for_sending(
        &state.db.conn,
        Utc::now() + chrono::Duration::days(3650),
        10_000,
    )
    .await?;
    for task in &due {
        spawn_delivery(state.clone(), task.id);
    }
    Ok(due.len())
}

enum Attempt {
    Answered(TaskAnswer),
    Accepted,
    Failed(String),
}

/// A POST of `body` to `url`, signed with each of `secrets` (`Vern-Signature`, one `v1` per
/// secret): how Vern sends to connectors and to webhooks. The caller adds its own headers
/// and sends it.
pub(crate) fn signed_post(
    http: &reqwest::Client,
    url: &str,
    secrets: &[&str],
    body: Vec<u8>,
    timeout: Duration,
) -> reqwest::RequestBuilder {
    let keys: Vec<&[u8]> = secrets.iter().map(|s| s.as_bytes()).collect();
    let header = sign_with_each(&keys, Utc::now().timestamp(), &body);
    http.post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, header)
        .timeout(timeout)
        .body(body)
}

async fn post_signed(
    state: &AppState,
    connector: &ConnectorRow,
    secret: &str,
    body: Vec<u8>,
    timeout: Duration,
) -> Result<reqwest::Response, reqwest::Error> {
    signed_post(
        &state.outbound,
        &connector.endpoint,
        &[secret],
        body,
        timeout,
    )
    .send()
    .await
}

/// Reads a JSON answer of at most [`MAX_ANSWER_BYTES`].
async fn read_json<T: serde::de::DeserializeOwned>(
    mut response: reqwest::Response,
) -> Result<T, &'static str> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_ANSWER_BYTES as u64)
    {
        return Err("answer_too_large");
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|_| "answer_incomplete")? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_ANSWER_BYTES {
            return Err("answer_too_large");
        }
    }
    serde_json::from_slice(&bytes).map_err(|_| "answer_invalid")
}

/// Why a send got no answer, as the delivery logs record it.
pub(crate) fn failure(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connection_failed"
    } else {
        "request_failed"
    }
}

async fn attempt(state: &AppState, task: &TaskRow) -> Result<Attempt, ApiError> {
    let Some(connector) = vern_db::tasks::connector(&state.db.conn, task.system_id).await? else {
        return Ok(Attempt::Failed("connector_removed".into()));
    };
    let request = vern_db::requests::find(&state.db.conn, task.request_id)
        .await?
        .ok_or_else(|| ApiError::internal(DbError::InvalidRow("request_tasks.request_id")))?;
    let Some(subject) = subject_of(state, &request)? else {
        return Ok(Attempt::Failed("no_identifier".into()));
    };
    let message = TaskMessage {
        r#type: "task".into(),
        delivery_id: Uuid::now_v7(),
        task_id: task.id,
        request_kind: vern_db::requests::kind_of(&request)?,
        subject,
        callback_url: callback_url(&state.connectors, task.id),
        respond_by: task.respond_by,
        sent_at: Utc::now(),
    };
    let body = serde_json::to_vec(&message).map_err(ApiError::internal)?;
    let secret = state.open_secret(&connector.secret)?;
    let response =
        match post_signed(state, &connector, &secret, body, state.connectors.timeout).await {
            Ok(r) => r,
            Err(e) => return Ok(Attempt::Failed(failure(&e).into())),
        };
    Ok(match response.status().as_u16() {
        202 => Attempt::Accepted,
        200 => match read_json::<TaskAnswer>(response).await {
            Ok(answer) if check_answer(&answer).is_ok() => Attempt::Answered(answer),
            Ok(_) => Attempt::Failed("answer_invalid".into()),
            Err(code) => Attempt::Failed(code.into()),
        },
        status => Attempt::Failed(format!("status_{status}")),
    })
}

/// Sends a queued task until it is answered, accepted, or — after the last attempt — manual.
pub async fn deliver(state: &AppState, id: Uuid) -> Result<(), ApiError> {
    loop {
        let Some(task) = vern_db::tasks::find_task(&state.db.conn, id).await? else {
            return Ok(());
        };
        let current = vern_db::tasks::state_of(&task)?;
        if current.status != TaskStatus::Queued {
            return Ok(());
        }
        if let Some(at) = task.next_attempt_at {
            let wait = at - Utc::now();
            if wait > chrono::Duration::zero() {
                tokio::time::sleep(wait.to_std().unwrap_or_default()).await;
                continue;
            }
        }
        let outcome = attempt(state, &task).await?;
        let now = Utc::now();
        let saved = match outcome {
            Attempt::Answered(answer) => take_answer(state, &task, answer, None, now)
                .await
                .map(|s| s.is_some())
                .or_else(|e| {
                    // The task closed meanwhile (a callback came first, the case closed).
                    tracing::debug!(task = %id, error = ?e, "answer not taken");
                    Ok::<_, ApiError>(true)
                })?,
            Attempt::Accepted => {
                let next = current
                    .apply(TaskEvent::Accepted)
                    .map_err(|e| ApiError::internal(anyhow::anyhow!("task {id}: {e}")))?;
                save_task(
                    state,
                    &task,
                    TaskChange {
                        state: Some(next),
                        next_attempt_at: Some(None),
                        sent_at: Some(now),
                        last_error: Some(None),
                        ..TaskChange::default()
                    },
                    None,
                    Actor::System,
                    None,
                    now,
                )
                .await?
            }
            Attempt::Failed(code) => {
                let next = current
                    .apply(TaskEvent::AttemptFailed {
                        max: state.connectors.attempts,
                    })
                    .map_err(|e| ApiError::internal(anyhow::anyhow!("task {id}: {e}")))?;
                let retry_at = (next.status == TaskStatus::Queued).then(|| {
                    now + chrono::Duration::from_std(backoff(state.connectors.retry, next.attempts))
                        .unwrap_or_default()
                });
                tracing::info!(task = %id, attempt = next.attempts, reason = %code, "a connector did not take a task");
                save_task(
                    state,
                    &task,
                    TaskChange {
                        state: Some(next),
                        next_attempt_at: Some(retry_at),
                        last_error: Some(Some(code)),
                        ..TaskChange::default()
                    },
                    event_of(&next),
                    Actor::System,
                    None,
                    now,
                )
                .await?
            }
        };
        if !saved {
            // Changed meanwhile: look again.
            continue;
        }
    }
}

/// Asks every connector of the organisation at once whether it holds data about the
/// subject. Systems that do not answer in time, or answer nonsense, are `unknown`.
pub async fn lookup(
    state: &AppState,
    org: OrganizationId,
    subject: &Subject,
) -> Result<Vec<(Uuid, Holding)>, ApiError> {
    let connectors = vern_db::tasks::connectors_of(&state.db.conn, org).await?;
    let asks = connectors.iter().map(|connector| async move {
        let message = LookupMessage {
            r#type: "lookup".into(),
            delivery_id: Uuid::now_v7(),
            subject: subject.clone(),
            sent_at: Utc::now(),
        };
        let (Ok(body), Ok(secret)) = (
            serde_json::to_vec(&message),
            state.open_secret(&connector.secret),
        ) else {
            return (connector.system_id, Holding::Unknown);
        };
        let holds = match post_signed(
            state,
            connector,
            &secret,
            body,
            state.connectors.lookup_timeout,
        )
        .await
        {
            Ok(r) if r.status().as_u16() == 200 => match read_json::<LookupAnswer>(r).await {
                Ok(LookupAnswer { holds: true }) => Holding::Yes,
                Ok(LookupAnswer { holds: false }) => Holding::No,
                Err(_) => Holding::Unknown,
            },
            _ => Holding::Unknown,
        };
        (connector.system_id, holds)
    });
    Ok(futures_util::future::join_all(asks).await)
}

/// Rows of a lookup, with the systems' names, sorted by name.
pub fn lookup_rows(
    answers: Vec<(Uuid, Holding)>,
    names: &std::collections::HashMap<Uuid, String>,
) -> Vec<LookupRow> {
    let mut rows: Vec<LookupRow> = answers
        .into_iter()
        .map(|(system_id, holds)| LookupRow {
            system_id,
            name: names.get(&system_id).cloned().unwrap_or_default(),
            holds,
        })
        .collect();
    rows.sort_by_key(|r| r.name.to_lowercase());
    rows
}
