//! One agreement, as either party sees it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::access::auth::{StepUpAssertion, StepUpResult, StepUpTotp};
use vern_domain::access::passkeys::PasskeyChallenge;
use vern_domain::agreements::document::{Block, DiffChange};
use vern_domain::agreements::lifecycle::AgreementStatus;
use vern_domain::agreements::notices::{ChangeNotice, NoticeStatus, Objection};
use vern_domain::agreements::view::{
    Agreement, AgreementText, AgreementVersion, Verification, VersionDiff,
};
use vern_domain::problem::{FieldError, ProblemCode};

use super::editor::TermsForm;
use super::status_tag;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title, utc_minutes};
use crate::i18n::use_i18n;
use crate::pages::register::field_errors_of;
use crate::session::use_session;

fn element_key(element: &str) -> String {
    format!("agreement-element-{}", element.replace('_', "-"))
}

#[component]
pub fn AgreementPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("aid").and_then(|v| v.parse::<Uuid>().ok()));
    set_title(i18n.tr("agreement-title"));
    let agreement = RwSignal::new(None::<Agreement>);
    let versions = RwSignal::new(Vec::<AgreementVersion>::new());
    let notices = RwSignal::new(Vec::<ChangeNotice>::new());
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let document = RwSignal::new(None::<AgreementText>);
    let verification = RwSignal::new(None::<Verification>);
    let diff = RwSignal::new(None::<VersionDiff>);
    let editing = RwSignal::new(false);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let code = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let reload = move || {
        let Some(id) = id.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/agreements/{id}");
            match session
                .authorized(|t| api::fetch_json::<Agreement>(url.clone(), t))
                .await
            {
                Ok(a) => agreement.set(Some(a)),
                Err(e) => error.set(Some(e)),
            }
            let url = format!("/api/v1/agreements/{id}/versions");
            if let Ok(list) = session
                .authorized(|t| api::fetch_json::<Vec<AgreementVersion>>(url.clone(), t))
                .await
            {
                versions.set(list);
            }
            let url = format!("/api/v1/agreements/{id}/notices");
            if let Ok(list) = session
                .authorized(|t| api::fetch_json::<Vec<ChangeNotice>>(url.clone(), t))
                .await
            {
                notices.set(list);
            }
            let url = format!("/api/v1/agreements/{id}/text");
            if let Ok(text) = session
                .authorized(|t| api::fetch_json::<AgreementText>(url.clone(), t))
                .await
            {
                document.set(Some(text));
            }
        });
    };
    Effect::new(move |_| {
        if session.ready.get() && id.get().is_some() {
            reload();
        }
    });

    // The caller's side: the controller's member, else the processor's.
    let my_org = Signal::derive(move || {
        let a = agreement.get()?;
        let member = |org: OrganizationId| session.can(org, Permission::ReadAgreements);
        if member(a.controller.id) {
            Some(a.controller.id)
        } else if member(a.processor.id) {
            Some(a.processor.id)
        } else {
            None
        }
    });
    let is_controller = Signal::derive(move || {
        agreement
            .get()
            .zip(my_org.get())
            .is_some_and(|(a, o)| a.controller.id == o)
    });
    let can_draft = Signal::derive(move || {
        is_controller.get()
            && my_org
                .get()
                .is_some_and(|o| session.can(o, Permission::DraftAgreements))
    });
    let can_sign = Signal::derive(move || {
        let Some((a, o)) = agreement.get().zip(my_org.get()) else {
            return false;
        };
        session.can(o, Permission::SignAgreements)
            && a.status.awaits_signature()
            && !a.signatures.iter().any(|s| s.organization.id == o)
    });
    let status = Signal::derive(move || agreement.get().map(|a| a.status));

    let act = move |path: &'static str, done_key: &'static str| {
        let Some(id) = id.get_untracked() else {
            return;
        };
        error.set(None);
        field_errors.set(Vec::new());
        spawn_local(async move {
            let url = format!("/api/v1/agreements/{id}/{path}");
            match session
                .authorized(|t| {
                    api::post_json::<_, Agreement>(url.clone(), serde_json::json!({}), t)
                })
                .await
            {
                Ok(a) => {
                    agreement.set(Some(a));
                    notice.set(Some(i18n.t(done_key)));
                    reload();
                }
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };

    // Signing: confirm with a passkey or a code (step-up), then sign what was read.
    let sign = move |with_passkey: bool| {
        let Some(a) = agreement.get_untracked() else {
            return;
        };
        error.set(None);
        busy.set(true);
        let typed = code.get_untracked();
        spawn_local(async move {
            let confirmed: Result<StepUpResult, ApiError> = if with_passkey {
                match session
                    .authorized(|t| {
                        api::post_json::<_, PasskeyChallenge>(
                            "/api/v1/auth/step-up/passkey/challenge".into(),
                            serde_json::json!({}),
                            t,
                        )
                    })
                    .await
                {
                    Err(e) => Err(e),
                    Ok(challenge) => match crate::webauthn::get(&challenge.options).await {
                        None => Err(ApiError::Problem(Box::new(
                            vern_domain::problem::Problem::new(ProblemCode::InvalidCredentials),
                        ))),
                        Some(credential) => {
                            let body = StepUpAssertion {
                                ceremony_id: challenge.ceremony_id,
                                credential,
                            };
                            session
                                .authorized(|t| {
                                    api::post_json::<_, StepUpResult>(
                                        "/api/v1/auth/step-up/passkey".into(),
                                        body.clone(),
                                        t,
                                    )
                                })
                                .await
                        }
                    },
                }
            } else {
                let body = StepUpTotp {
                    code: typed.trim().to_owned(),
                };
                session
                    .authorized(|t| {
                        api::post_json::<_, StepUpResult>(
                            "/api/v1/auth/step-up/totp".into(),
                            body.clone(),
                            t,
                        )
                    })
                    .await
            };
            let result = match confirmed {
                Err(e) => Err(e),
                Ok(_) => {
                    let url = format!("/api/v1/agreements/{}/sign", a.id);
                    let body = serde_json::json!({ "document_sha256": a.document_sha256 });
                    session
                        .authorized(|t| {
                            api::post_json::<_, Agreement>(url.clone(), body.clone(), t)
                        })
                        .await
                }
            };
            busy.set(false);
            code.set(String::new());
            match result {
                Ok(signed) => {
                    let key = if signed.status == AgreementStatus::Active {
                        "agreement-active-now"
                    } else {
                        "agreement-signed"
                    };
                    agreement.set(Some(signed));
                    notice.set(Some(i18n.t(key)));
                    reload();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let download_pdf = move |_| {
        let Some(a) = agreement.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/agreements/{}/document.pdf", a.id);
            match session
                .authorized(|t| api::fetch_bytes(url.clone(), t))
                .await
            {
                Ok(bytes) => crate::download::save_bytes(
                    &format!("avtale-{}-v{}.pdf", a.id, a.current_version),
                    &bytes,
                    "application/pdf",
                ),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let verify = move |_| {
        let Some(id) = id.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/agreements/{id}/verify");
            match session
                .authorized(|t| api::fetch_json::<Verification>(url.clone(), t))
                .await
            {
                Ok(v) => verification.set(Some(v)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let compare = move |from: i32| {
        let Some(id) = id.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/agreements/{id}/diff?from={from}");
            match session
                .authorized(|t| api::fetch_json::<VersionDiff>(url.clone(), t))
                .await
            {
                Ok(d) => diff.set(Some(d)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let save_terms = Callback::new(move |terms| {
        let Some(a) = agreement.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/agreements/{}", a.id);
            match session
                .authorized(|t| api::put_json::<_, Agreement>(url.clone(), &terms, a.revision, t))
                .await
            {
                Ok(updated) => {
                    agreement.set(Some(updated));
                    editing.set(false);
                    notice.set(Some(i18n.t("agreement-saved")));
                    reload();
                }
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    });

    view! {
        <div class="vern-container">
            <p>{move || my_org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/agreements") attr:class="ds-link">{i18n.tr("agreements-title")}</A>
            })}</p>
            <div role="status" class="vern-status">{move || notice.get()}</div>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || match agreement.get() {
                None => view! { <Loading/> }.into_any(),
                Some(a) => {
                    let missing = a.missing_elements.clone();
                    view! {
                        <h1 class="ds-heading" data-size="lg">{a.title.clone()}</h1>
                        {a.campaign.clone().filter(|_| matches!(a.status, AgreementStatus::Sent | AgreementStatus::PartiallySigned)).map(|c| {
                            let deadline = c.deadline.to_string();
                            let reminded = c.reminded_at.map(crate::components::utc_date);
                            view! {
                                <div class="ds-alert" data-color="info">
                                    <p class="ds-paragraph">{move || i18n.t_with("agreement-campaign-deadline", &[("date", deadline.clone().into())])}</p>
                                    {reminded.map(|d| view! { <p class="ds-paragraph">{move || i18n.t_with("agreement-campaign-reminded", &[("date", d.clone().into())])}</p> })}
                                </div>
                            }
                        })}
                        <dl class="vern-facts">
                            <dt>{i18n.tr("agreements-col-controller")}</dt><dd>{a.controller.name.clone()}</dd>
                            <dt>{i18n.tr("agreements-col-processor")}</dt><dd>{a.processor.name.clone()}</dd>
                            <dt>{i18n.tr("agreements-col-status")}</dt><dd>{status_tag(i18n, a.status)}</dd>
                            <dt>{i18n.tr("agreements-col-version")}</dt><dd>{a.current_version}</dd>
                            <dt>{i18n.tr("agreement-checksum")}</dt><dd><code class="vern-hash">{a.document_sha256.clone()}</code></dd>
                        </dl>
                        {(!missing.is_empty() && !a.status.is_final()).then(|| view! {
                            <div class="ds-alert" data-color="warning">
                                <h2 class="ds-heading" data-size="xs">{i18n.tr("agreement-missing-title")}</h2>
                                <ul class="ds-list">
                                    {missing.into_iter().map(|m| {
                                        let key = element_key(m.element.as_str());
                                        let article = m.article.clone();
                                        view! { <li>{move || format!("{} (art. {article})", i18n.t(&key))}</li> }
                                    }).collect_view()}
                                </ul>
                            </div>
                        })}
                        {(!a.signatures.is_empty()).then(|| view! {
                            <h2 class="ds-heading" data-size="sm">{i18n.tr("agreement-signatures")}</h2>
                            <ul class="ds-list">
                                {a.signatures.iter().map(|s| view! {
                                    <li>{format!("{} — {} ({})", s.organization.name, s.signer_name, utc_minutes(s.signed_at))}</li>
                                }).collect_view()}
                            </ul>
                        })}
                    }.into_any()
                }
            }}
            <div class="vern-tools">
                <Show when=move || can_draft.get() && status.get() == Some(AgreementStatus::Draft)>
                    <button class="ds-button" data-variant="primary" type="button" on:click=move |_| act("send", "agreement-sent")>{i18n.tr("agreement-send")}</button>
                </Show>
                <Show when=move || can_draft.get() && status.get().is_some_and(|s| s.is_revisable())>
                    <button class="ds-button" data-variant="secondary" type="button" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>{i18n.tr("agreement-edit")}</button>
                </Show>
                <button class="ds-button" data-variant="secondary" type="button" on:click=download_pdf>{i18n.tr("agreement-pdf")}</button>
                <button class="ds-button" data-variant="secondary" type="button" on:click=verify>{i18n.tr("agreement-verify")}</button>
                <Show when=move || {
                    let s = status.get();
                    (s == Some(AgreementStatus::Active) && my_org.get().is_some_and(|o| session.can(o, Permission::SignAgreements)))
                        || (can_draft.get() && s.is_some_and(|s| s.is_revisable()))
                }>
                    <button class="ds-button" data-variant="tertiary" type="button" on:click=move |_| act("terminate", "agreement-terminated")>{i18n.tr("agreement-terminate")}</button>
                </Show>
            </div>
            {move || verification.get().map(|v| view! {
                <div class="ds-alert" data-color=if v.valid { "success" } else { "danger" }>
                    <p class="ds-paragraph">{if v.valid { i18n.tr("agreement-verified") } else { i18n.tr("agreement-not-verified") }}</p>
                    <ul class="ds-list">
                        {v.signatures.into_iter().map(|c| {
                            let ok = c.document_matches && c.seal_valid;
                            view! { <li>{move || format!("{}: {}", c.signature.organization.name, if ok { i18n.t("agreement-signature-holds") } else { i18n.t("agreement-signature-broken") })}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <Show when=move || can_sign.get()>
                <section class="vern-panel" aria-labelledby="sign-heading">
                    <h2 class="ds-heading" data-size="sm" id="sign-heading">{i18n.tr("agreement-sign-title")}</h2>
                    <p class="ds-paragraph">{i18n.tr("agreement-sign-intro")}</p>
                    <button class="ds-button" data-variant="primary" type="button" disabled=move || busy.get() on:click=move |_| sign(true)>{i18n.tr("agreement-sign-passkey")}</button>
                    <form class="vern-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); sign(false); } novalidate>
                        <div class="ds-field">
                            <label class="ds-label" for="sign-code">{i18n.tr("agreement-sign-code")}</label>
                            <input class="ds-input" id="sign-code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" bind:value=code/>
                        </div>
                        <button class="ds-button" data-variant="secondary" type="submit" disabled=move || busy.get()>{i18n.tr("agreement-sign-with-code")}</button>
                    </form>
                </section>
            </Show>
            <Show when=move || editing.get()>
                {move || agreement.get().map(|a| view! {
                    <section aria-labelledby="edit-heading">
                        <h2 class="ds-heading" data-size="sm" id="edit-heading">{i18n.tr("agreement-edit")}</h2>
                        <p class="ds-paragraph">{i18n.tr("agreement-edit-intro")}</p>
                        <TermsForm org=a.controller.id initial=a.terms.clone() editing=true field_errors=field_errors on_submit=save_terms/>
                    </section>
                })}
            </Show>
            <Show when=move || !notices.get().is_empty()>
                <section aria-labelledby="notices-heading">
                    <h2 class="ds-heading" data-size="sm" id="notices-heading">{i18n.tr("agreement-notices")}</h2>
                    {move || notices.get().into_iter().map(|n| view! {
                        <NoticeCard notice=n can_answer=can_draft on_change=Callback::new(move |key: &'static str| { notice.set(Some(i18n.t(key))); reload(); })/>
                    }).collect_view()}
                </section>
            </Show>
            <h2 class="ds-heading" data-size="sm">{i18n.tr("agreement-versions")}</h2>
            <ul class="ds-list">
                {move || {
                    let current = agreement.get().map(|a| a.current_version).unwrap_or_default();
                    versions.get().into_iter().map(|v| {
                        let n = v.number;
                        let label = format!("{} {} · {}{}", i18n.t("agreements-col-version"), n, utc_minutes(v.created_at),
                            if v.change_note.is_empty() { String::new() } else { format!(" · {}", v.change_note) });
                        view! {
                            <li>
                                {label}
                                {(n < current).then(|| view! {
                                    " "
                                    <button class="ds-button" data-variant="tertiary" data-size="sm" type="button" on:click=move |_| compare(n)>
                                        {move || i18n.t_with("agreement-compare", &[("version", vern_i18n::Arg::Num(f64::from(n)))])}
                                    </button>
                                })}
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            {move || diff.get().map(|d| view! {
                <section aria-labelledby="diff-heading">
                    <h3 class="ds-heading" data-size="xs" id="diff-heading">{move || i18n.t_with("agreement-diff-title", &[("from", vern_i18n::Arg::Num(f64::from(d.from))), ("to", vern_i18n::Arg::Num(f64::from(d.to)))])}</h3>
                    <ul class="vern-diff">
                        {d.lines.clone().into_iter().map(|l| match l.change {
                            DiffChange::Added => view! { <li><ins><span class="ds-sr-only">{i18n.tr("agreement-diff-added")}</span>{l.text}</ins></li> }.into_any(),
                            DiffChange::Removed => view! { <li><del><span class="ds-sr-only">{i18n.tr("agreement-diff-removed")}</span>{l.text}</del></li> }.into_any(),
                            DiffChange::Unchanged => view! { <li>{l.text}</li> }.into_any(),
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section class="vern-document" aria-labelledby="text-heading">
                <h2 class="ds-heading" data-size="sm" id="text-heading">{i18n.tr("agreement-document")}</h2>
                {move || document.get().map(|text| render_blocks(text.blocks))}
            </section>
        </div>
    }
}

/// One sub-processor change notice: what changed, the deadline, and — for the controller's
/// drafter while it is open — accept or object with reasons.
#[component]
fn NoticeCard(
    notice: ChangeNotice,
    can_answer: Signal<bool>,
    on_change: Callback<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let open = notice.status == NoticeStatus::Open;
    let base = format!(
        "/api/v1/agreements/{}/notices/{}",
        notice.agreement_id, notice.id
    );
    let base = StoredValue::new(base);
    let send = move |objecting: bool| {
        error.set(None);
        spawn_local(async move {
            let result = if objecting {
                let body = Objection {
                    reason: reason.get_untracked(),
                };
                session
                    .authorized(|t| {
                        api::post_json::<_, ChangeNotice>(
                            format!("{}/objection", base.get_value()),
                            body.clone(),
                            t,
                        )
                    })
                    .await
            } else {
                session
                    .authorized(|t| {
                        api::post_json::<_, ChangeNotice>(
                            format!("{}/accept", base.get_value()),
                            serde_json::json!({}),
                            t,
                        )
                    })
                    .await
            };
            match result {
                Ok(_) => on_change.run(if objecting {
                    "agreement-notice-objected"
                } else {
                    "agreement-notice-accepted"
                }),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let status_key = format!("agreement-notice-status-{}", notice.status.as_str());
    let reason_id = format!("objection-{}", notice.id);
    let names = |list: &[vern_domain::register::product::SubProcessor]| {
        list.iter()
            .map(|s| format!("{} ({})", s.name, s.country))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let added = names(&notice.change.added);
    let removed = names(&notice.change.removed);
    let heading = format!(
        "{} · {}",
        notice.product_name,
        utc_minutes(notice.notified_at)
    );
    let label = heading.clone();
    view! {
        <article class="vern-panel" aria-label=label>
            <h3 class="ds-heading" data-size="xs">{heading}</h3>
            {(!added.is_empty()).then(|| view! { <p class="ds-paragraph">{i18n.tr("agreement-notice-added")}" "{added}</p> })}
            {(!removed.is_empty()).then(|| view! { <p class="ds-paragraph">{i18n.tr("agreement-notice-removed")}" "{removed}</p> })}
            <p class="ds-paragraph">{i18n.tr("agreement-notice-deadline")}" "{utc_minutes(notice.objection_deadline)}" · "{move || i18n.t(&status_key)}</p>
            {(!notice.reason.is_empty()).then(|| view! { <p class="ds-paragraph">{i18n.tr("agreement-notice-reason")}" "{notice.reason.clone()}</p> })}
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <Show when=move || open && can_answer.get()>
                <div class="ds-field">
                    <label class="ds-label" for=reason_id.clone()>{i18n.tr("agreement-notice-reason-label")}</label>
                    <textarea class="ds-input" id=reason_id.clone() rows="2" maxlength="2000" bind:value=reason></textarea>
                </div>
                <div class="vern-tools">
                    <button class="ds-button" data-variant="secondary" data-size="sm" type="button" on:click=move |_| send(true)>{i18n.tr("agreement-notice-object")}</button>
                    <button class="ds-button" data-variant="tertiary" data-size="sm" type="button" on:click=move |_| send(false)>{i18n.tr("agreement-notice-accept")}</button>
                </div>
            </Show>
        </article>
    }
}

/// The text as HTML elements: the document's headings sit below the page's own (level 1
/// becomes h3), consecutive list items form one list, a table's first row is its header.
fn render_blocks(blocks: Vec<Block>) -> impl IntoView {
    let mut out: Vec<AnyView> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let flush = |items: &mut Vec<String>, out: &mut Vec<AnyView>| {
        if !items.is_empty() {
            let list = std::mem::take(items);
            out.push(view! { <ul class="ds-list">{list.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> }.into_any());
        }
    };
    for block in blocks {
        if !matches!(block, Block::Item { .. }) {
            flush(&mut items, &mut out);
        }
        match block {
            Block::Heading { level, text } => out.push(match level {
                1 => view! { <h3 class="ds-heading" data-size="sm">{text}</h3> }.into_any(),
                2 => view! { <h4 class="ds-heading" data-size="xs">{text}</h4> }.into_any(),
                _ => view! { <h5 class="ds-heading" data-size="2xs">{text}</h5> }.into_any(),
            }),
            Block::Paragraph { text } => {
                out.push(view! { <p class="ds-paragraph">{text}</p> }.into_any())
            }
            Block::Item { text } => items.push(text),
            Block::Table { rows } => {
                let mut rows = rows.into_iter();
                let head = rows.next().unwrap_or_default();
                out.push(view! {
                    <div class="vern-table-wrap">
                        <table class="ds-table" data-border="true">
                            <thead><tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                            <tbody>{rows.map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any());
            }
        }
    }
    flush(&mut items, &mut out);
    out
}
