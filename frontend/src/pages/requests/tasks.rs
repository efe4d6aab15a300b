//! A request's way to the systems: on the case, which systems the register says are
//! involved, sending the request to them, their tasks with what each found, and the "who
//! holds data" lookup; for a system owner, the tasks of their systems and the form to
//! answer one by hand.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;
use vern_domain::connector::TaskOutcome;
use vern_domain::problem::FieldError;
use vern_domain::requests::task::{
    HandAnswer, Holding, LookupResult, LookupRow, NewTasks, OwnerTask, OwnerTaskPage, RequestTask,
    Routing, TaskList, TaskMode, TaskStatus,
};

use super::key;
use crate::api::{self, ApiError, with_query};
use crate::components::{ErrorAlert, Loading, set_title, utc_minutes};
use crate::i18n::{I18n, use_i18n};
use crate::pages::admin::org_from_path;
use crate::pages::register::{FieldErrors, field_errors_of, subject_label};
use crate::session::use_session;

fn task_status_tag(i18n: I18n, status: TaskStatus) -> impl IntoView {
    let color = match status {
        TaskStatus::Queued | TaskStatus::AwaitingAnswer => "info",
        TaskStatus::Manual => "warning",
        TaskStatus::Done => "success",
        TaskStatus::Cancelled => "neutral",
    };
    let k = key("dsr-task-status", status.as_str());
    view! { <span class="ds-tag" data-color=color>{move || i18n.t(&k)}</span> }
}

fn outcome_text(i18n: I18n, outcome: Option<TaskOutcome>) -> impl IntoView {
    outcome.map(|o| {
        let k = key("dsr-task-outcome", o.as_str());
        view! { <span>{move || i18n.t(&k)}</span> }
    })
}

/// What a system found, as the caseworker reads it.
fn result_view(i18n: I18n, task: &RequestTask) -> impl IntoView + use<> {
    task.result.clone().map(|r| {
        let package = r
            .package
            .as_ref()
            .and_then(|p| serde_json::to_string_pretty(p).ok());
        let files = r.files.clone();
        view! {
            <details class="ds-details">
                <summary>{i18n.tr("dsr-task-show-result")}</summary>
                <div>
                    {r.comment.map(|c| view! { <p class="ds-paragraph vern-pre" data-size="sm">{c}</p> })}
                    {package.map(|p| view! { <pre class="vern-pre vern-code" tabindex="0" role="region" aria-label=i18n.t("dsr-task-package")>{p}</pre> })}
                    {(!files.is_empty()).then(|| view! {
                        <ul class="ds-list">
                            {files.into_iter().map(|f| view! { <li>{f.name} " (" {f.media_type} ")"</li> }).collect_view()}
                        </ul>
                    })}
                </div>
            </details>
        }
    })
}

/// The case's systems: routing, tasks and the lookup.
#[component]
pub fn CaseTasks(
    request: Uuid,
    handles: bool,
    open: bool,
    /// Bumped when the case's history has grown.
    history: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let tick = RwSignal::new(0u32);
    let tasks = LocalResource::new(move || {
        let round = tick.get();
        async move {
            let url = format!("/api/v1/requests/{request}/tasks");
            let list = session
                .authorized(|t| api::fetch_json::<TaskList>(url.clone(), t))
                .await;
            if round > 0 {
                // Sending, answers and hand-overs are in the history too.
                history.update(|n| *n += 1);
            }
            list
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let resend = move |task: Uuid| {
        spawn_local(async move {
            let url = format!("/api/v1/tasks/{task}/resend");
            match session
                .authorized(|t| {
                    api::post_json::<_, TaskList>(url.clone(), serde_json::json!({}), t)
                })
                .await
            {
                Ok(_) => {
                    error.set(None);
                    tick.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="vern-section" aria-labelledby="dsr-systems-heading">
            <h2 class="ds-heading" data-size="sm" id="dsr-systems-heading">{i18n.tr("dsr-systems")}</h2>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("dsr-systems-hint")}</p>
            {(handles && open).then(|| view! { <Route request=request tick=tick/> })}
            <h3 class="ds-heading" data-size="xs" id="dsr-tasks-heading">{i18n.tr("dsr-tasks")}</h3>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <button class="ds-button" data-variant="tertiary" data-size="sm" type="button" on:click=move |_| tick.update(|n| *n += 1)>
                {i18n.tr("dsr-tasks-refresh")}
            </button>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || tasks.get().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(list) if list.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("dsr-tasks-none")}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="vern-table-wrap">
                            <table class="ds-table" data-border="true" aria-labelledby="dsr-tasks-heading">
                                <thead><tr>
                                    <th scope="col">{i18n.tr("dsr-task-col-system")}</th>
                                    <th scope="col">{i18n.tr("dsr-task-col-mode")}</th>
                                    <th scope="col">{i18n.tr("dsr-task-col-status")}</th>
                                    <th scope="col">{i18n.tr("dsr-task-col-respond-by")}</th>
                                    <th scope="col">{i18n.tr("dsr-task-col-result")}</th>
                                </tr></thead>
                                <tbody>
                                    {list.items.into_iter().map(|task| {
                                        let mode_key = key("dsr-task-mode", match task.mode { TaskMode::Automatic => "automatic", TaskMode::Manual => "manual" });
                                        let reason_key = task.manual_reason.map(|r| key("dsr-task-reason", r.as_str()));
                                        let can_resend = handles && open && task.status == TaskStatus::Manual
                                            && task.manual_reason.is_some_and(|r| r.connector_failed());
                                        let id = task.id;
                                        let result = result_view(i18n, &task);
                                        let name = task.system_name.clone();
                                        let resend_label = move || i18n.t_with("dsr-task-resend", &[("system", name.clone().into())]);
                                        view! {
                                            <tr>
                                                <th scope="row">{task.system_name.clone()}</th>
                                                <td>{move || i18n.t(&mode_key)}</td>
                                                <td>
                                                    {task_status_tag(i18n, task.status)}
                                                    {reason_key.map(|k| view! { <br/><small>{move || i18n.t(&k)}</small> })}
                                                    {task.last_error.clone().filter(|_| task.status != TaskStatus::Done).map(|e| view! { <br/><small>{e}</small> })}
                                                </td>
                                                <td>{task.respond_by.to_string()}</td>
                                                <td>
                                                    {outcome_text(i18n, task.outcome)}
                                                    {task.completed_by.clone().map(|m| view! { <br/><small>{m.name}</small> })}
                                                    {result}
                                                    {can_resend.then(|| view! {
                                                        <button class="ds-button" data-variant="secondary" data-size="sm" type="button" on:click=move |_| resend(id)>
                                                            {resend_label}
                                                        </button>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </Suspense>
            {(handles && open).then(|| view! { <Lookup request=request history=history/> })}
        </section>
    }
}

/// The systems the register points to, to send the request to.
#[component]
fn Route(request: Uuid, tick: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let all = RwSignal::new(false);
    let chosen = RwSignal::new(Vec::<Uuid>::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let routing = LocalResource::new(move || {
        let all = all.get();
        tick.track();
        async move {
            let url = format!("/api/v1/requests/{request}/routing?all={all}");
            let result = session
                .authorized(|t| api::fetch_json::<Routing>(url.clone(), t))
                .await;
            if let Ok(r) = &result {
                // Everything without a task is chosen to begin with.
                chosen.set(
                    r.candidates
                        .iter()
                        .filter(|c| c.task_id.is_none())
                        .map(|c| c.system_id)
                        .collect(),
                );
            }
            result
        }
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewTasks {
            system_ids: chosen.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            let url = format!("/api/v1/requests/{request}/tasks");
            let result = session
                .authorized(|t| api::post_json::<_, TaskList>(url.clone(), body.clone(), t))
                .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    error.set(None);
                    tick.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="vern-form" on:submit=send novalidate>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <div class="ds-field">
                <input class="ds-input" type="checkbox" id="dsr-route-all" prop:checked=move || all.get() on:change=move |ev| all.set(event_target_checked(&ev))/>
                <label class="ds-label" for="dsr-route-all" data-weight="regular">{i18n.tr("dsr-route-all")}</label>
            </div>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || routing.get().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(r) => {
                        let subjects = r.subject_categories.iter().map(|k| subject_label(i18n, k)).collect::<Vec<_>>().join(", ");
                        view! {
                            <p class="ds-paragraph" data-size="sm">
                                {move || if subjects.is_empty() { i18n.t("dsr-route-no-subjects") } else { i18n.t_with("dsr-route-subjects", &[("subjects", subjects.clone().into())]) }}
                            </p>
                            {if r.candidates.is_empty() {
                                view! { <p class="ds-paragraph">{i18n.tr("dsr-route-none")}</p> }.into_any()
                            } else {
                                view! {
                                    <fieldset class="ds-fieldset">
                                        <legend class="ds-label">{i18n.tr("dsr-route-choose")}</legend>
                                        {r.candidates.into_iter().map(|c| {
                                            let id = c.system_id;
                                            let input_id = format!("dsr-route-{id}");
                                            let label_for = input_id.clone();
                                            let has_task = c.task_id.is_some();
                                            let how = if c.connector { "dsr-connector-yes" } else { "dsr-connector-no" };
                                            let activities = c.activities.join(", ");
                                            view! {
                                                <div class="ds-field">
                                                    <input class="ds-input" type="checkbox" id=input_id disabled=has_task
                                                        prop:checked=move || has_task || chosen.with(|v| v.contains(&id))
                                                        on:change=move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            chosen.update(|v| { v.retain(|x| *x != id); if on { v.push(id) } });
                                                        }/>
                                                    <label class="ds-label" for=label_for data-weight="regular">
                                                        {c.name.clone()} " — " {move || i18n.t(how)}
                                                        {has_task.then(|| view! { " (" {i18n.tr("dsr-route-has-task")} ")" })}
                                                        {(!activities.is_empty()).then(|| view! { <br/><small>{activities.clone()}</small> })}
                                                    </label>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                })}
            </Suspense>
            <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get() || chosen.with(Vec::is_empty)>
                {i18n.tr("dsr-route-send")}
            </button>
        </form>
    }
}

fn holding_rows(i18n: I18n, rows: Vec<LookupRow>) -> impl IntoView {
    rows.into_iter()
        .map(|row| {
            let (k, color) = match row.holds {
                Holding::Yes => ("dsr-lookup-yes", "warning"),
                Holding::No => ("dsr-lookup-no", "success"),
                Holding::Unknown => ("dsr-lookup-unknown", "neutral"),
            };
            view! {
                <tr>
                    <th scope="row">{row.name}</th>
                    <td><span class="ds-tag" data-color=color>{move || i18n.t(k)}</span></td>
                </tr>
            }
        })
        .collect_view()
}

/// "Who holds data about this person?": asks every connector at once.
#[component]
fn Lookup(request: Uuid, history: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let result = RwSignal::new(None::<LookupResult>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let run = move |_| {
        busy.set(true);
        spawn_local(async move {
            let url = format!("/api/v1/requests/{request}/lookups");
            let answer = session
                .authorized(|t| {
                    api::post_json::<_, LookupResult>(url.clone(), serde_json::json!({}), t)
                })
                .await;
            busy.set(false);
            match answer {
                Ok(r) => {
                    error.set(None);
                    result.set(Some(r));
                    history.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h3 class="ds-heading" data-size="xs" id="dsr-lookup-heading">{i18n.tr("dsr-lookup")}</h3>
        <p class="ds-paragraph" data-size="sm">{i18n.tr("dsr-lookup-hint")}</p>
        {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
        <button class="ds-button" data-variant="secondary" type="button" disabled=move || busy.get() on:click=run>
            {i18n.tr("dsr-lookup-run")}
        </button>
        <div aria-live="polite">
            {move || result.get().map(|r| view! {
                <p class="ds-paragraph" data-size="sm">{i18n.t_with("dsr-lookup-at", &[("at", utc_minutes(r.at).into())])}</p>
                <div class="vern-table-wrap">
                    <table class="ds-table" data-border="true" aria-labelledby="dsr-lookup-heading">
                        <thead><tr>
                            <th scope="col">{i18n.tr("dsr-task-col-system")}</th>
                            <th scope="col">{i18n.tr("dsr-lookup-col-holds")}</th>
                        </tr></thead>
                        <tbody>
                            {holding_rows(i18n, r.systems)}
                            {holding_rows(i18n, r.without_connector)}
                        </tbody>
                    </table>
                </div>
            })}
        </div>
    }
}

/// The tasks of the systems the user owns.
#[component]
pub fn SystemTasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("stask-title"));
    let query = use_query_map();
    let status = Memo::new(move |_| query.get().get("status").filter(|v| v == "all"));
    let cursor = Memo::new(move |_| query.get().get("cursor"));
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        let params = vec![
            ("status", status.get()),
            ("cursor", cursor.get()),
            ("limit", Some("50".to_owned())),
        ];
        async move {
            let org = org.filter(|_| ready)?;
            let url = with_query(
                &format!("/api/v1/organizations/{org}/system-tasks"),
                &params,
            );
            Some(
                session
                    .authorized(|t| api::fetch_json::<OwnerTaskPage>(url.clone(), t))
                    .await,
            )
        }
    });
    let here = move || {
        org.get()
            .map(|o| format!("/organizations/{o}/system-tasks"))
            .unwrap_or_default()
    };
    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("stask-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("stask-intro")}</p>
            <p>
                {move || if status.get().is_some() {
                    view! { <A href=here() attr:class="ds-link">{i18n.tr("stask-show-open")}</A> }.into_any()
                } else {
                    view! { <A href=format!("{}?status=all", here()) attr:class="ds-link">{i18n.tr("stask-show-all")}</A> }.into_any()
                }}
            </p>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || page.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("stask-none")}</p> }.into_any(),
                    Ok(p) => {
                        let next = p.next_cursor.clone();
                        view! {
                            <div class="vern-table-wrap">
                                <table class="ds-table" data-border="true" data-zebra="true">
                                    <caption class="ds-sr-only">{i18n.tr("stask-title")}</caption>
                                    <thead><tr>
                                        <th scope="col">{i18n.tr("stask-col-reference")}</th>
                                        <th scope="col">{i18n.tr("dsr-task-col-system")}</th>
                                        <th scope="col">{i18n.tr("stask-col-kind")}</th>
                                        <th scope="col">{i18n.tr("dsr-task-col-status")}</th>
                                        <th scope="col">{i18n.tr("dsr-task-col-respond-by")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {p.items.into_iter().map(|t| {
                                            let kind_key = key("dsr-kind", t.request_kind.as_str());
                                            view! {
                                                <tr>
                                                    <th scope="row"><A href=format!("/system-tasks/{}", t.id) attr:class="ds-link">{t.request_reference.clone()}</A></th>
                                                    <td>{t.system_name.clone()}</td>
                                                    <td>{move || i18n.t(&kind_key)}</td>
                                                    <td>{task_status_tag(i18n, t.status)}</td>
                                                    <td>{t.respond_by.to_string()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|c| view! {
                                <p><A href=with_query(&here(), &[("status", status.get_untracked()), ("cursor", Some(c))]) attr:class="ds-link">{i18n.tr("org-next-page")}</A></p>
                            })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}

/// One task of the user's system, and the answer by hand.
#[component]
pub fn SystemTaskPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("tid").and_then(|v| v.parse::<Uuid>().ok()));
    set_title(i18n.tr("stask-title"));
    let reload = RwSignal::new(0u32);
    let task = LocalResource::new(move || {
        let ready = session.ready.get();
        let id = id.get();
        reload.track();
        async move {
            let id = id.filter(|_| ready)?;
            let url = format!("/api/v1/system-tasks/{id}");
            Some(
                session
                    .authorized(|t| api::fetch_json::<OwnerTask>(url.clone(), t))
                    .await,
            )
        }
    });
    view! {
        <div class="vern-container">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || task.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(t) => view! { <OwnerTaskView task=t reload=reload/> }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn OwnerTaskView(task: OwnerTask, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let kind_key = key("dsr-kind", task.request_kind.as_str());
    let reason_key = task
        .manual_reason
        .map(|r| key("dsr-task-reason", r.as_str()));
    let reference = task.request_reference.clone();
    let heading = reference.clone();
    set_title(move || {
        i18n.t_with(
            "stask-task-title",
            &[("reference", reference.clone().into())],
        )
    });
    let outcome = RwSignal::new(TaskOutcome::NoData);
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let id = task.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = HandAnswer {
            outcome: outcome.get_untracked(),
            text: Some(text.get_untracked()),
            files: Vec::new(),
        };
        error.set(None);
        field_errors.set(Vec::new());
        spawn_local(async move {
            let url = format!("/api/v1/system-tasks/{id}/answer");
            match session
                .authorized(|t| api::post_json::<_, OwnerTask>(url.clone(), body.clone(), t))
                .await
            {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    let open = task.status == TaskStatus::Manual;
    view! {
        <p><A href=format!("/organizations/{}/system-tasks", task.organization_id) attr:class="ds-link">{i18n.tr("stask-title")}</A></p>
        <h1 class="ds-heading" data-size="lg">{move || i18n.t_with("stask-task-title", &[("reference", heading.clone().into())])}</h1>
        <dl class="vern-facts">
            <dt>{i18n.tr("dsr-task-col-system")}</dt>
            <dd>{task.system_name.clone()}</dd>
            <dt>{i18n.tr("stask-col-kind")}</dt>
            <dd>{move || i18n.t(&kind_key)}</dd>
            <dt>{i18n.tr("dsr-task-col-status")}</dt>
            <dd>{task_status_tag(i18n, task.status)} {reason_key.map(|k| view! { " " <small>{move || i18n.t(&k)}</small> })}</dd>
            <dt>{i18n.tr("dsr-task-col-respond-by")}</dt>
            <dd>{task.respond_by.to_string()}</dd>
            {task.outcome.map(|o| view! { <dt>{i18n.tr("dsr-task-col-result")}</dt><dd>{outcome_text(i18n, Some(o))}</dd> })}
        </dl>
        {task.subject.clone().map(|s| view! {
            <section class="vern-section" aria-labelledby="stask-person-heading">
                <h2 class="ds-heading" data-size="sm" id="stask-person-heading">{i18n.tr("stask-person")}</h2>
                <dl class="vern-facts">
                    <dt>{i18n.tr("dsr-field-name")}</dt>
                    <dd>{s.name}</dd>
                    {s.national_id.map(|n| view! { <dt>{i18n.tr("dsr-field-national-id")}</dt><dd><super::MaskedId raw=n/></dd> })}
                </dl>
            </section>
        })}
        {open.then(|| view! {
            <section class="vern-section" aria-labelledby="stask-answer-heading">
                <h2 class="ds-heading" data-size="sm" id="stask-answer-heading">{i18n.tr("stask-answer")}</h2>
                {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
                <form class="vern-form" on:submit=submit novalidate>
                    <FieldErrors errors=field_errors.into()/>
                    <fieldset class="ds-fieldset">
                        <legend class="ds-label">{i18n.tr("stask-outcome")}</legend>
                        <div class="ds-field">
                            <input class="ds-input" type="radio" id="stask-no-data" name="stask-outcome" prop:checked=move || outcome.get() == TaskOutcome::NoData on:change=move |_| outcome.set(TaskOutcome::NoData)/>
                            <label class="ds-label" for="stask-no-data" data-weight="regular">{i18n.tr("stask-outcome-no-data")}</label>
                        </div>
                        <div class="ds-field">
                            <input class="ds-input" type="radio" id="stask-data" name="stask-outcome" prop:checked=move || outcome.get() == TaskOutcome::Data on:change=move |_| outcome.set(TaskOutcome::Data)/>
                            <label class="ds-label" for="stask-data" data-weight="regular">{i18n.tr("stask-outcome-data")}</label>
                        </div>
                    </fieldset>
                    <div class="ds-field">
                        <label class="ds-label" for="stask-text">{i18n.tr("stask-text")}</label>
                        <p class="ds-paragraph" data-size="sm" id="stask-text-hint">{i18n.tr("stask-text-hint")}</p>
                        <textarea class="ds-input" id="stask-text" rows="8" maxlength="20000" aria-describedby="stask-text-hint" bind:value=text></textarea>
                    </div>
                    <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("stask-send")}</button>
                </form>
            </section>
        })}
        {(!open && task.status == TaskStatus::Done).then(|| view! {
            <div class="ds-alert" data-color="success" role="status"><p class="ds-paragraph">{i18n.tr("stask-sent")}</p></div>
        })}
    }
}

fn right_key(r: vern_domain::requests::answer::Right) -> &'static str {
    use vern_domain::requests::answer::Right;
    match r {
        Right::Rectification => "dsr-right-rectification",
        Right::Erasure => "dsr-right-erasure",
        Right::Restriction => "dsr-right-restriction",
        Right::Objection => "dsr-right-objection",
        Right::Portability => "dsr-right-portability",
    }
}

fn warning_key(w: vern_domain::requests::answer::DraftWarning) -> &'static str {
    use vern_domain::requests::answer::DraftWarning;
    match w {
        DraftWarning::NoTasks => "dsr-draft-warning-no-tasks",
        DraftWarning::TasksOpen => "dsr-draft-warning-tasks-open",
        DraftWarning::SystemWithoutActivity => "dsr-draft-warning-no-activity",
        DraftWarning::NotAccess => "dsr-draft-warning-not-access",
    }
}

fn basis_key(b: vern_domain::register::taxonomy::LegalBasis) -> String {
    key(
        "basis",
        serde_json::to_value(b)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
            .as_str(),
    )
}

/// The draft as plain text in the language in force, for the answer to the resident.
fn draft_text(i18n: I18n, d: &vern_domain::requests::answer::AnswerDraft) -> String {
    let mut out = String::new();
    let holding: Vec<_> = d
        .systems
        .iter()
        .filter(|s| s.outcome == Some(TaskOutcome::Data))
        .collect();
    out.push_str(&i18n.t("dsr-draft-intro"));
    out.push_str("\n\n");
    for s in &holding {
        out.push_str(&format!("{}\n", s.name));
        if let Some(found) = &s.found {
            if let Some(c) = &found.comment {
                out.push_str(&format!("{c}\n"));
            }
            if let Some(p) = found
                .package
                .as_ref()
                .and_then(|p| serde_json::to_string_pretty(p).ok())
            {
                out.push_str(&format!("{p}\n"));
            }
        }
        for a in &s.activities {
            out.push_str(&format!("\n{}: {}\n", i18n.t("dsr-draft-activity"), a.name));
            out.push_str(&format!(
                "{}: {}\n",
                i18n.t("dsr-draft-purposes"),
                a.purposes.join("; ")
            ));
            let bases: Vec<String> = a
                .legal_bases
                .iter()
                .map(|b| format!("{} ({})", i18n.t(&basis_key(b.basis)), b.national_law))
                .collect();
            out.push_str(&format!(
                "{}: {}\n",
                i18n.t("dsr-draft-bases"),
                bases.join("; ")
            ));
            for c in &a.categories {
                out.push_str(&format!(
                    "- {}: {} {}\n",
                    crate::pages::register::category_label(i18n, &c.key),
                    i18n.t("dsr-draft-kept"),
                    c.retention
                ));
            }
            let recipients = if a.recipients.is_empty() {
                i18n.t("dsr-draft-no-recipients")
            } else {
                a.recipients
                    .iter()
                    .map(|r| r.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            out.push_str(&format!(
                "{}: {}\n",
                i18n.t("dsr-draft-recipients"),
                recipients
            ));
            let sources = if a.sources.is_empty() {
                i18n.t("dsr-draft-from-you")
            } else {
                a.sources.join(", ")
            };
            out.push_str(&format!("{}: {}\n", i18n.t("dsr-draft-sources"), sources));
            let automated = if a.automated_decisions.is_empty() {
                i18n.t("dsr-draft-no-automated")
            } else {
                a.automated_decisions.clone()
            };
            out.push_str(&format!(
                "{}: {}\n",
                i18n.t("dsr-draft-automated"),
                automated
            ));
        }
        out.push('\n');
    }
    let nothing: Vec<&str> = d
        .systems
        .iter()
        .filter(|s| s.outcome == Some(TaskOutcome::NoData))
        .map(|s| s.name.as_str())
        .collect();
    if !nothing.is_empty() {
        out.push_str(&format!(
            "{}: {}\n\n",
            i18n.t("dsr-draft-nothing-in"),
            nothing.join(", ")
        ));
    }
    if !d.rights.is_empty() {
        out.push_str(&i18n.t("dsr-draft-rights"));
        out.push('\n');
        for r in &d.rights {
            out.push_str(&format!("- {}\n", i18n.t(right_key(*r))));
        }
        if d.erasure_limited {
            out.push_str(&format!("{}\n", i18n.t("dsr-draft-erasure-limited")));
        }
        out.push('\n');
    }
    out.push_str(&i18n.t("dsr-draft-complaint"));
    out.push('\n');
    out
}

/// The answer draft: what the systems found and what the register says about it, to be
/// reviewed and taken into the answer.
#[component]
pub fn AnswerDraftView(request: Uuid, prefill: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let draft = RwSignal::new(None::<vern_domain::requests::answer::AnswerDraft>);
    let error = RwSignal::new(None::<ApiError>);
    let make = move |_| {
        spawn_local(async move {
            let url = format!("/api/v1/requests/{request}/answer-draft");
            match session
                .authorized(|t| {
                    api::fetch_json::<vern_domain::requests::answer::AnswerDraft>(url.clone(), t)
                })
                .await
            {
                Ok(d) => {
                    error.set(None);
                    draft.set(Some(d));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="vern-section" aria-labelledby="dsr-draft-heading">
            <h2 class="ds-heading" data-size="sm" id="dsr-draft-heading">{i18n.tr("dsr-draft")}</h2>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("dsr-draft-hint")}</p>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <button class="ds-button" data-variant="secondary" type="button" on:click=make>{i18n.tr("dsr-draft-make")}</button>
            {move || draft.get().map(|d| {
                let text = draft_text(i18n, &d);
                let shown = text.clone();
                view! {
                    {(!d.warnings.is_empty()).then(|| view! {
                        <div class="ds-alert" data-color="warning">
                            <ul class="ds-list">
                                {d.warnings.iter().map(|w| { let k = warning_key(*w); view! { <li>{move || i18n.t(k)}</li> } }).collect_view()}
                            </ul>
                        </div>
                    })}
                    <pre class="vern-pre vern-code" tabindex="0" role="region" aria-label=i18n.t("dsr-draft-text")>{shown}</pre>
                    <button class="ds-button" data-variant="primary" type="button" on:click=move |_| prefill.set(Some(text.clone()))>
                        {i18n.tr("dsr-draft-use")}
                    </button>
                }
            })}
        </section>
    }
}
