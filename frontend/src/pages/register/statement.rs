use leptos::prelude::*;
use vern_domain::register::record::StatementEntry;

use crate::api;
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::pages::admin::org_from_path;

/// A municipality's privacy statement for residents: what it processes and why, in plain
/// words, the rights they have and whom to ask. Public: no login.
#[component]
pub fn PrivacyStatementPage() -> impl IntoView {
    let i18n = use_i18n();
    let org = org_from_path();
    let title = RwSignal::new(String::new());
    set_title(move || title.get());
    let statement = LocalResource::new(move || {
        let org = org.get();
        let lang = i18n.lang().tag();
        async move { Some(api::get_privacy_statement(org?, lang).await) }
    });
    view! {
        <div class="vern-container vern-narrow">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match statement.await {
                        Some(Ok(s)) => {
                            let heading = format!("{} – {}", i18n.t("statement-title"), s.controller.name);
                            title.set(heading.clone());
                            view! {
                                <h1 class="ds-heading" data-size="lg">{heading}</h1>
                                <p class="ds-paragraph vern-lead">{i18n.tr("statement-intro")}</p>
                                <h2 class="ds-heading" data-size="sm">{i18n.tr("statement-rights-title")}</h2>
                                <p class="ds-paragraph">{i18n.tr("statement-rights")}</p>
                                <h2 class="ds-heading" data-size="sm">{i18n.tr("statement-dpo")}</h2>
                                <ul class="ds-list">
                                    {s.privacy_officers.into_iter().map(|p| {
                                        let mail = format!("mailto:{}", p.email);
                                        view! { <li>{p.name} " – " <a class="ds-link" href=mail>{p.email}</a></li> }
                                    }).collect_view()}
                                </ul>
                                {s.entries.into_iter().map(|e| view! { <Entry entry=e/> }).collect_view()}
                            }.into_any()
                        }
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Entry(entry: StatementEntry) -> impl IntoView {
    let i18n = use_i18n();
    let join = |v: Vec<String>| v.join("; ");
    let lines: Vec<(&'static str, String)> = vec![
        ("field-purposes", join(entry.purposes)),
        ("field-legal-bases", join(entry.legal_bases)),
        ("field-data-subjects", join(entry.data_subjects)),
        ("field-data-categories", join(entry.data_categories)),
        ("field-recipients", join(entry.recipients)),
        ("field-transfers", join(entry.transfers)),
        ("field-retention", join(entry.retention)),
    ];
    view! {
        <section class="vern-panel">
            <h2 class="ds-heading" data-size="sm">{entry.name}</h2>
            <p class="ds-paragraph">{entry.summary}</p>
            <dl class="vern-facts">
                {lines.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| view! {
                    <dt>{i18n.tr(k)}</dt><dd>{v}</dd>
                }).collect_view()}
            </dl>
        </section>
    }
}
