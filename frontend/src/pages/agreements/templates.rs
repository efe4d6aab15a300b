//! The organisation's own agreement templates: the list beside the built-in ones, adding one
//! (from scratch or from a built-in template's text), and changing one — each change a new
//! version, checked by the server, whose complaint names the line to fix.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;
use vern_domain::access::Permission;
use vern_domain::agreements::own_templates::{OwnTemplate, OwnTemplateInput, OwnTemplatePage};
use vern_domain::agreements::terms::AgreementLanguage;
use vern_domain::agreements::view::AgreementTemplateInfo;
use vern_domain::problem::FieldError;

use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title, utc_date};
use crate::i18n::{I18n, use_i18n};
use crate::pages::admin::org_from_path;
use crate::pages::register::{FieldErrors, field_errors_of};
use crate::session::use_session;

const STARTER: &str = "# {{ title }}\n\n## 1. Partene\n\n{{ controller.name }} ({{ controller.identifier }}) er behandlingsansvarlig.\n{{ processor.name }} ({{ processor.identifier }}) er databehandler.\n\n## 2. Formål\n\n{% for p in purposes %}\n- {{ p }}\n{% endfor %}\n";

fn language_key(l: AgreementLanguage) -> &'static str {
    match l {
        AgreementLanguage::Nb => "template-language-nb",
        AgreementLanguage::En => "template-language-en",
    }
}

/// The problem's own words (line and cause) when the source is what is wrong.
fn source_detail(error: &ApiError) -> Option<String> {
    match error {
        ApiError::Problem(p)
            if p.errors.iter().any(|e| e.field == "source")
                && p.code.as_str() == "validation_failed" =>
        {
            p.detail.clone()
        }
        _ => None,
    }
}

/// The editor's fields, shared by "add" and "change".
#[component]
fn TemplateForm(
    name: RwSignal<String>,
    language: RwSignal<String>,
    source: RwSignal<String>,
    note: Option<RwSignal<String>>,
    field_errors: RwSignal<Vec<FieldError>>,
    detail: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    submit_label: &'static str,
    on_submit: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="vern-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); on_submit.run(()); }>
            <FieldErrors errors=field_errors.into()/>
            {move || detail.get().map(|d| view! { <div class="ds-alert" data-color="danger"><p class="ds-paragraph"><code>{d}</code></p></div> })}
            <div class="ds-field">
                <label class="ds-label" for="template-name">{i18n.tr("template-field-name")}</label>
                <input class="ds-input" id="template-name" type="text" maxlength="200" bind:value=name/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="template-language">{i18n.tr("template-field-language")}</label>
                <select class="ds-input" id="template-language" on:change=move |ev| language.set(event_target_value(&ev))>
                    <option value="nb" selected=move || language.get() == "nb">{i18n.tr("template-language-nb")}</option>
                    <option value="en" selected=move || language.get() == "en">{i18n.tr("template-language-en")}</option>
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="template-source">{i18n.tr("template-field-source")}</label>
                <p class="ds-paragraph" data-size="sm" id="template-source-hint">{i18n.tr("template-source-hint")}</p>
                <textarea class="ds-input vern-code" id="template-source" rows="18" spellcheck="false" aria-describedby="template-source-hint" bind:value=source></textarea>
            </div>
            {note.map(|note| view! {
                <div class="ds-field">
                    <label class="ds-label" for="template-note">{i18n.tr("agreement-field-note")}</label>
                    <input class="ds-input" id="template-note" type="text" maxlength="300" bind:value=note/>
                </div>
            })}
            <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>{i18n.tr(submit_label)}</button>
        </form>
    }
}

fn parse_language(v: &str) -> AgreementLanguage {
    AgreementLanguage::parse(v).unwrap_or(AgreementLanguage::Nb)
}

#[component]
pub fn AgreementTemplatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let navigate = use_navigate();
    set_title(i18n.tr("agreement-templates-title"));
    let own = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        async move {
            let org = org.filter(|_| ready)?;
            let url = format!("/api/v1/organizations/{org}/agreement-templates?limit=100");
            Some(
                session
                    .authorized(|t| api::fetch_json::<OwnTemplatePage>(url.clone(), t))
                    .await,
            )
        }
    });
    let builtins = LocalResource::new(move || {
        let ready = session.ready.get();
        async move {
            if !ready {
                return None;
            }
            session
                .authorized(|t| {
                    api::fetch_json::<Vec<AgreementTemplateInfo>>(
                        "/api/v1/agreement-templates?include_source=true".into(),
                        t,
                    )
                })
                .await
                .ok()
        }
    });
    let can_draft = Signal::derive(move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::DraftAgreements))
    });
    let name = RwSignal::new(String::new());
    let language = RwSignal::new("nb".to_owned());
    let source = RwSignal::new(STARTER.to_owned());
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let detail = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let start_from = move |key: String| {
        if let Some(t) = builtins
            .get()
            .flatten()
            .unwrap_or_default()
            .into_iter()
            .find(|t| t.key == key)
        {
            language.set(t.language.as_str().to_owned());
            source.set(t.source.unwrap_or_default());
        }
    };
    let on_submit = Callback::new(move |()| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        let body = OwnTemplateInput {
            name: name.get_untracked(),
            language: parse_language(&language.get_untracked()),
            source: source.get_untracked(),
            change_note: String::new(),
        };
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/agreement-templates");
            let result = session
                .authorized(|t| api::post_json::<_, OwnTemplate>(url.clone(), body.clone(), t))
                .await;
            busy.set(false);
            match result {
                Ok(t) => navigate(
                    &format!("/agreement-templates/{}", t.id),
                    Default::default(),
                ),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    detail.set(source_detail(&e));
                    error.set(Some(e));
                }
            }
        });
    });
    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/agreements") attr:class="ds-link">{i18n.tr("agreements-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("agreement-templates-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("agreement-templates-intro")}</p>
            <h2 class="ds-heading vern-section" data-size="sm">{i18n.tr("agreement-templates-own")}</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || own.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("agreement-templates-none")}</p> }.into_any(),
                    Ok(page) => view! {
                        <div class="vern-table-wrap">
                            <table class="ds-table" data-border="true">
                                <caption class="ds-sr-only">{i18n.tr("agreement-templates-own")}</caption>
                                <thead><tr>
                                    <th scope="col">{i18n.tr("template-field-name")}</th>
                                    <th scope="col">{i18n.tr("template-field-language")}</th>
                                    <th scope="col">{i18n.tr("agreements-col-version")}</th>
                                    <th scope="col">{i18n.tr("template-col-updated")}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|t| view! {
                                        <tr>
                                            <th scope="row"><A href=format!("/agreement-templates/{}", t.id) attr:class="ds-link">{t.name.clone()}</A></th>
                                            <td>{i18n.tr(language_key(t.language))}</td>
                                            <td>{t.current_version}</td>
                                            <td>{utc_date(t.updated_at)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </Suspense>
            <Show when=move || can_draft.get()>
                <section class="vern-section" aria-labelledby="template-new-heading">
                    <h2 class="ds-heading" data-size="sm" id="template-new-heading">{i18n.tr("template-new")}</h2>
                    {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
                    <div class="ds-field">
                        <label class="ds-label" for="template-start">{i18n.tr("template-start-from")}</label>
                        <select class="ds-input" id="template-start" on:change=move |ev| start_from(event_target_value(&ev))>
                            <option value="">{i18n.tr("template-start-blank")}</option>
                            {move || builtins.get().flatten().unwrap_or_default().into_iter().map(|t| {
                                let label = builtin_name(i18n, &t);
                                view! { <option value=t.key.clone()>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <TemplateForm name=name language=language source=source note=None field_errors=field_errors detail=detail busy=busy submit_label="template-create" on_submit=on_submit/>
                </section>
            </Show>
        </div>
    }
}

fn builtin_name(i18n: I18n, t: &AgreementTemplateInfo) -> String {
    if i18n.lang() == vern_i18n::Lang::En {
        t.name_en.clone()
    } else {
        t.name_nb.clone()
    }
}

#[component]
pub fn AgreementTemplatePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("tid").and_then(|v| v.parse::<Uuid>().ok()));
    set_title(i18n.tr("template-title"));
    let template = RwSignal::new(None::<OwnTemplate>);
    let load_error = RwSignal::new(None::<ApiError>);
    let name = RwSignal::new(String::new());
    let language = RwSignal::new("nb".to_owned());
    let source = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let detail = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let show = move |t: OwnTemplate| {
        name.set(t.name.clone());
        language.set(t.language.as_str().to_owned());
        source.set(t.source.clone());
        note.set(String::new());
        template.set(Some(t));
    };
    Effect::new(move |_| {
        let ready = session.ready.get();
        let Some(id) = id.get().filter(|_| ready) else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/agreement-templates/{id}");
            match session
                .authorized(|t| api::fetch_json::<OwnTemplate>(url.clone(), t))
                .await
            {
                Ok(t) => show(t),
                Err(e) => load_error.set(Some(e)),
            }
        });
    });
    let on_submit = Callback::new(move |()| {
        let Some(current) = template.get_untracked() else {
            return;
        };
        let body = OwnTemplateInput {
            name: name.get_untracked(),
            language: parse_language(&language.get_untracked()),
            source: source.get_untracked(),
            change_note: note.get_untracked(),
        };
        busy.set(true);
        saved.set(false);
        spawn_local(async move {
            let url = format!("/api/v1/agreement-templates/{}", current.id);
            let result = session
                .authorized(|t| {
                    api::put_json::<_, OwnTemplate>(url.clone(), body.clone(), current.revision, t)
                })
                .await;
            busy.set(false);
            match result {
                Ok(t) => {
                    field_errors.set(Vec::new());
                    detail.set(None);
                    saved.set(true);
                    show(t);
                }
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    detail.set(source_detail(&e));
                    if field_errors.get_untracked().is_empty() {
                        load_error.set(Some(e));
                    }
                }
            }
        });
    });
    let may_edit = move || {
        template
            .get()
            .is_some_and(|t| session.can(t.organization_id, Permission::DraftAgreements))
    };
    view! {
        <div class="vern-container">
            <p>{move || template.get().map(|t| view! {
                <A href=format!("/organizations/{}/agreement-templates", t.organization_id) attr:class="ds-link">{i18n.tr("agreement-templates-title")}</A>
            })}</p>
            {move || load_error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || match template.get() {
                None => view! { <Loading/> }.into_any(),
                Some(t) => view! {
                    <h1 class="ds-heading" data-size="lg">{t.name.clone()}</h1>
                    <dl class="vern-facts">
                        <dt>{i18n.tr("agreements-col-version")}</dt><dd>{t.current_version}</dd>
                        <dt>{i18n.tr("template-key")}</dt><dd><code>{t.key.clone()}</code></dd>
                        <dt>{i18n.tr("template-fields")}</dt><dd>{t.merge_fields.join(", ")}</dd>
                    </dl>
                    <h2 class="ds-heading vern-section" data-size="sm">{i18n.tr("template-versions")}</h2>
                    <ul class="ds-list">
                        {t.versions.iter().rev().map(|v| {
                            let line = format!("{} {} · {}{}", i18n.t("agreements-col-version"), v.number, utc_date(v.created_at),
                                if v.change_note.is_empty() { String::new() } else { format!(" — {}", v.change_note) });
                            view! { <li>{line}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <div role="status" class="vern-status">{move || saved.get().then(|| i18n.t("template-saved"))}</div>
            <Show when=may_edit>
                <section class="vern-section" aria-labelledby="template-edit-heading">
                    <h2 class="ds-heading" data-size="sm" id="template-edit-heading">{i18n.tr("template-edit")}</h2>
                    <TemplateForm name=name language=language source=source note=Some(note) field_errors=field_errors detail=detail busy=busy submit_label="template-save" on_submit=on_submit/>
                </section>
            </Show>
        </div>
    }
}

/// The templates one can draft from: the built-in ones, then the organisation's own
/// (key, Norwegian name, English name).
pub(crate) async fn template_options(
    session: crate::session::Session,
    org: vern_domain::OrganizationId,
) -> Vec<(String, String, String)> {
    let mut options: Vec<(String, String, String)> = session
        .authorized(|t| {
            api::fetch_json::<Vec<AgreementTemplateInfo>>("/api/v1/agreement-templates".into(), t)
        })
        .await
        .map(|list| {
            list.into_iter()
                .map(|t| (t.key, t.name_nb, t.name_en))
                .collect()
        })
        .unwrap_or_default();
    let url = format!("/api/v1/organizations/{org}/agreement-templates?limit=100");
    if let Ok(page) = session
        .authorized(|t| api::fetch_json::<OwnTemplatePage>(url.clone(), t))
        .await
    {
        options.extend(
            page.items
                .into_iter()
                .map(|t| (t.key, t.name.clone(), t.name)),
        );
    }
    options
}
