//! The organisation's own terms: narrower data categories and data-subject categories under
//! the shared ones, for its processing activities.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use vern_domain::access::Permission;
use vern_domain::problem::FieldError;
use vern_domain::register::taxonomy::{data_categories, data_subjects};
use vern_domain::register::vocabulary::{
    LocalTerm, NewTerm, TermKind, TermLabels, Vocabulary, check_labels, check_new_term,
};

use super::{FieldErrors, field_errors_of, term_label};
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, set_title};
use crate::i18n::use_i18n;
use crate::pages::admin::org_from_path;
use crate::session::use_session;

fn kind_key(kind: TermKind) -> &'static str {
    match kind {
        TermKind::DataCategory => "own-terms-kind-category",
        TermKind::DataSubject => "own-terms-kind-subject",
    }
}

#[component]
pub fn OwnTermsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("own-terms-title"));
    let terms = RwSignal::new(None::<Vec<LocalTerm>>);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let reload = move || {
        let Some(org) = org.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match session.authorized(|t| api::list_own_terms(org, t)).await {
                Ok(list) => terms.set(Some(list.items)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        if session.ready.get() && org.get().is_some() {
            reload();
        }
    });
    let can_edit = Signal::derive(move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::EditRegister))
    });
    let vocabulary = Signal::derive(move || Vocabulary::new(terms.get().unwrap_or_default()));
    let on_change = Callback::new(move |message: String| {
        notice.set(Some(message));
        reload();
    });

    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/register") attr:class="ds-link">{i18n.tr("overview-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("own-terms-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("own-terms-intro")}</p>
            <div role="status" class="vern-status">{move || notice.get()}</div>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || terms.get().map(|list| if list.is_empty() {
                view! { <p class="ds-paragraph">{i18n.tr("own-terms-none")}</p> }.into_any()
            } else {
                view! {
                    <div class="vern-table-wrap">
                        <table class="ds-table" data-border="true" data-zebra="true">
                            <caption class="ds-sr-only">{i18n.tr("own-terms-title")}</caption>
                            <thead><tr>
                                <th scope="col">{i18n.tr("own-terms-label")}</th>
                                <th scope="col">{i18n.tr("own-terms-kind")}</th>
                                <th scope="col">{i18n.tr("own-terms-parent")}</th>
                                <Show when=move || can_edit.get()><th scope="col">{i18n.tr("own-terms-actions")}</th></Show>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|t| view! { <TermRow term=t can_edit=can_edit vocabulary=vocabulary on_change=on_change/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            })}
            <Show when=move || can_edit.get()>
                <NewTermForm on_change=on_change taken=Signal::derive(move || terms.get().unwrap_or_default().into_iter().map(|t| t.key).collect::<Vec<_>>())/>
            </Show>
        </div>
    }
}

#[component]
fn TermRow(
    term: LocalTerm,
    can_edit: Signal<bool>,
    vocabulary: Signal<Vocabulary>,
    on_change: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let editing = RwSignal::new(false);
    let nb = RwSignal::new(term.label_nb.clone());
    let nn = RwSignal::new(term.label_nn.clone());
    let en = RwSignal::new(term.label_en.clone());
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let key = StoredValue::new(term.key.clone());
    let parent = term.parent.clone();
    let label = {
        let key = term.key.clone();
        move || vocabulary.with(|v| term_label(i18n, v, &key))
    };
    let flag = match (term.special, term.vulnerable) {
        (Some(_), _) => Some("category-special"),
        (None, true) => Some("own-terms-vulnerable"),
        _ => None,
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let labels = TermLabels {
            label_nb: nb.get_untracked(),
            label_nn: nn.get_untracked(),
            label_en: en.get_untracked(),
        };
        if let Err(errors) = check_labels(&labels) {
            field_errors.set(errors);
            return;
        }
        field_errors.set(Vec::new());
        spawn_local(async move {
            let k = key.get_value();
            match session
                .authorized(|t| api::relabel_own_term(org, k.clone(), labels.clone(), t))
                .await
            {
                Ok(_) => {
                    editing.set(false);
                    on_change.run(i18n.t("own-terms-saved"));
                }
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    let remove = move |_| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        error.set(None);
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/own-terms/{}", key.get_value());
            match session.authorized(|t| api::delete(url.clone(), t)).await {
                Ok(()) => on_change.run(i18n.t("own-terms-deleted")),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let row_label = label.clone();
    view! {
        <tr>
            <th scope="row">
                {label}
                {flag.map(|k| view! { " " <span class="ds-tag" data-color="warning">{i18n.tr(k)}</span> })}
                {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
                <Show when=move || editing.get()>
                    <form class="vern-form" on:submit=save novalidate>
                        <FieldErrors errors=field_errors.into()/>
                        {[("nb", nb, "own-terms-label-nb"), ("nn", nn, "own-terms-label-nn"), ("en", en, "own-terms-label-en")].into_iter().map(|(lang, signal, text)| {
                            let id = key.with_value(|k| format!("rl-{}-{lang}", k.replace(':', "-")));
                            view! {
                                <div class="ds-field">
                                    <label class="ds-label" for=id.clone()>{i18n.tr(text)}</label>
                                    <input class="ds-input" id=id type="text" maxlength="100" bind:value=signal/>
                                </div>
                            }
                        }).collect_view()}
                        <button class="ds-button" data-variant="primary" data-size="sm" type="submit">{i18n.tr("register-save")}</button>
                    </form>
                </Show>
            </th>
            <td>{i18n.tr(kind_key(term.kind))}</td>
            <td>{move || term_label(i18n, &Vocabulary::default(), &parent)}</td>
            <Show when=move || can_edit.get()>
                <td class="vern-tools">
                    {
                        let row_label = row_label.clone();
                        let row_label2 = row_label.clone();
                        view! {
                            <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                                aria-expanded=move || editing.get().to_string()
                                aria-label=move || format!("{} {}", i18n.t("own-terms-relabel"), row_label())
                                on:click=move |_| editing.update(|e| *e = !*e)>{i18n.tr("own-terms-relabel")}</button>
                            <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                                aria-label=move || format!("{} {}", i18n.t("register-remove"), row_label2())
                                on:click=remove>{i18n.tr("register-remove")}</button>
                        }
                    }
                </td>
            </Show>
        </tr>
    }
}

#[component]
fn NewTermForm(on_change: Callback<String>, taken: Signal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let kind = RwSignal::new(TermKind::DataCategory);
    let parent = RwSignal::new(String::new());
    let nb = RwSignal::new(String::new());
    let nn = RwSignal::new(String::new());
    let en = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let parents = move || -> Vec<(String, String)> {
        let v = Vocabulary::default();
        match kind.get() {
            TermKind::DataCategory => data_categories()
                .iter()
                .map(|c| (c.key.to_owned(), term_label(i18n, &v, c.key)))
                .collect(),
            TermKind::DataSubject => data_subjects()
                .iter()
                .map(|s| (s.key.to_owned(), term_label(i18n, &v, s.key)))
                .collect(),
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let body = NewTerm {
            kind: kind.get_untracked(),
            parent: parent.get_untracked(),
            labels: TermLabels {
                label_nb: nb.get_untracked(),
                label_nn: nn.get_untracked(),
                label_en: en.get_untracked(),
            },
        };
        if let Err(errors) = check_new_term(&body, &taken.get_untracked()) {
            field_errors.set(errors);
            return;
        }
        field_errors.set(Vec::new());
        error.set(None);
        spawn_local(async move {
            match session
                .authorized(|t| api::create_own_term(org, body.clone(), t))
                .await
            {
                Ok(_) => {
                    nb.set(String::new());
                    nn.set(String::new());
                    en.set(String::new());
                    on_change.run(i18n.t("own-terms-added"));
                }
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="own-terms-new">
            <h2 class="ds-heading" data-size="sm" id="own-terms-new">{i18n.tr("own-terms-add")}</h2>
            <FieldErrors errors=field_errors.into()/>
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <form class="vern-form" on:submit=submit novalidate>
                <div class="ds-field">
                    <label class="ds-label" for="ot-kind">{i18n.tr("own-terms-kind")}</label>
                    <select class="ds-input" id="ot-kind" on:change=move |ev| {
                        if let Some(k) = TermKind::parse(&event_target_value(&ev)) { kind.set(k); parent.set(String::new()); }
                    }>
                        {TermKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{i18n.tr(kind_key(k))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="ot-parent">{i18n.tr("own-terms-parent")}</label>
                    <div class="ds-field__description" id="ot-parent-hint">{i18n.tr("own-terms-parent-hint")}</div>
                    <select class="ds-input" id="ot-parent" aria-describedby="ot-parent-hint" on:change=move |ev| parent.set(event_target_value(&ev))>
                        <option value="" selected=move || parent.get().is_empty()>{i18n.tr("own-terms-choose-parent")}</option>
                        {move || parents().into_iter().map(|(key, label)| {
                            let k2 = key.clone();
                            view! { <option value=key selected=move || parent.get() == k2>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="ot-nb">{i18n.tr("own-terms-label-nb")}</label>
                    <input class="ds-input" id="ot-nb" type="text" maxlength="100" bind:value=nb/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="ot-nn">{i18n.tr("own-terms-label-nn")}</label>
                    <input class="ds-input" id="ot-nn" type="text" maxlength="100" bind:value=nn/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="ot-en">{i18n.tr("own-terms-label-en")}</label>
                    <input class="ds-input" id="ot-en" type="text" maxlength="100" bind:value=en/>
                </div>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("own-terms-add")}</button>
            </form>
        </section>
    }
}
