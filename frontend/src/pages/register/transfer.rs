//! Files in and out of the register: downloads of an export in the page's language, and the
//! systems import — checked first (a dry run with the report per row), then written whole,
//! or only its valid rows when the user chooses so.

use leptos::prelude::*;
use leptos::task::spawn_local;
use vern_domain::register::overview::{ImportOutcome, ImportReport};

use super::{FieldErrors, field_errors_of, field_words, snake_key};
use crate::api::{self, ApiError};
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use crate::pages::admin::org_from_path;
use crate::session::use_session;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Buttons that download `/api/v1/organizations/{org}/{path}.{ext}?lang=…` as `{file}.{ext}`.
#[component]
pub fn Downloads(
    /// The resource under the organisation: `record-of-processing`, `systems`.
    path: &'static str,
    /// The saved file's name without extension.
    file: &'static str,
    /// (extension, text key of the button)
    formats: &'static [(&'static str, &'static str)],
    heading: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let error = RwSignal::new(None::<ApiError>);
    let heading_id = format!("{path}-downloads");
    let labelled_by = heading_id.clone();
    let fetch = move |ext: &'static str| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        let url = format!(
            "/api/v1/organizations/{org}/{path}.{ext}?lang={}",
            i18n.lang().tag()
        );
        spawn_local(async move {
            match session
                .authorized(|t| api::fetch_bytes(url.clone(), t))
                .await
            {
                Ok(bytes) => {
                    error.set(None);
                    let mime = match ext {
                        "csv" => "text/csv",
                        "xlsx" => XLSX,
                        _ => "text/html",
                    };
                    crate::download::save_bytes(&format!("{file}.{ext}"), &bytes, mime);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby=labelled_by>
            <h2 class="ds-heading" data-size="xs" id=heading_id>{i18n.tr(heading)}</h2>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <div class="vern-tools">
                {formats.iter().map(|(ext, key)| view! {
                    <button type="button" class="ds-button" data-variant="secondary" data-size="sm" on:click=move |_| fetch(ext)>{i18n.tr(key)}</button>
                }).collect_view()}
            </div>
        </section>
    }
}

/// The media type of a chosen file, by its type or else its name.
fn media_type(file: &web_sys::File) -> String {
    let name = file.name().to_lowercase();
    if name.ends_with(".xlsx") {
        XLSX.to_owned()
    } else if name.ends_with(".csv") {
        "text/csv".to_owned()
    } else {
        file.type_()
    }
}

/// Import systems from a CSV or XLSX file: check, read the report, then import.
#[component]
pub fn SystemsImport(on_imported: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let input = NodeRef::<leptos::html::Input>::new();
    let report = RwSignal::new(None::<ImportReport>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);

    let send = move |query: &'static str| {
        let (Some(org), Some(file)) = (
            org.get_untracked(),
            input
                .get_untracked()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0)),
        ) else {
            error.set(None);
            notice.set(Some(i18n.t("import-choose-file")));
            return;
        };
        let url = format!("/api/v1/organizations/{org}/system-imports?{query}");
        let content_type = media_type(&file);
        busy.set(true);
        notice.set(None);
        spawn_local(async move {
            let result = session
                .authorized(|t| {
                    api::upload::<ImportReport>(url.clone(), file.clone(), content_type.clone(), t)
                })
                .await;
            busy.set(false);
            match result {
                Ok(r) if r.dry_run => {
                    error.set(None);
                    report.set(Some(r));
                }
                Ok(r) => {
                    error.set(None);
                    report.set(None);
                    notice.set(Some(format!(
                        "{} {}: {}, {}: {}.",
                        i18n.t("import-done"),
                        i18n.t("import-count-create"),
                        r.created,
                        i18n.t("import-count-update"),
                        r.updated,
                    )));
                    if let Some(i) = input.get_untracked() {
                        i.set_value("");
                    }
                    on_imported.run(());
                }
                Err(e) => {
                    report.set(None);
                    error.set(Some(e));
                }
            }
        });
    };

    view! {
        <section aria-labelledby="import-heading">
            <h2 class="ds-heading" data-size="xs" id="import-heading">{i18n.tr("import-title")}</h2>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("import-intro")}</p>
            <div class="ds-field">
                <label class="ds-label" for="import-file">{i18n.tr("import-file")}</label>
                <input class="ds-input" id="import-file" type="file" node_ref=input
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    on:change=move |_| { report.set(None); notice.set(None); }/>
            </div>
            <div class="vern-tools">
                <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                    disabled=move || busy.get() on:click=move |_| send("dry_run=true")>
                    {i18n.tr("import-check")}
                </button>
            </div>
            <div role="status" class="vern-status">{move || notice.get()}</div>
            <FieldErrors errors=Signal::derive(move || error.get().map(|e| field_errors_of(&e)).unwrap_or_default())/>
            {move || error.get().filter(|e| field_errors_of(e).is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            {move || report.get().map(|r| {
                let ready = r.invalid == 0 && r.created + r.updated > 0;
                let partial = r.invalid > 0 && r.created + r.updated > 0;
                let summary = format!(
                    "{} {}: {} · {}: {} · {}: {} · {}: {}",
                    i18n.t("import-report"),
                    i18n.t("import-count-create"), r.created,
                    i18n.t("import-count-update"), r.updated,
                    i18n.t("import-count-unchanged"), r.unchanged,
                    i18n.t("import-count-invalid"), r.invalid,
                );
                view! {
                    <p class="ds-paragraph" id="import-summary">{summary}</p>
                    <div class="vern-table-wrap">
                        <table class="ds-table" data-border="true" aria-describedby="import-summary">
                            <caption class="ds-sr-only">{i18n.tr("import-report")}</caption>
                            <thead><tr>
                                <th scope="col">{i18n.tr("import-line")}</th>
                                <th scope="col">{i18n.tr("field-name")}</th>
                                <th scope="col">{i18n.tr("import-outcome")}</th>
                                <th scope="col">{i18n.tr("import-problems")}</th>
                            </tr></thead>
                            <tbody>
                                {r.rows.into_iter().filter(|row| row.outcome != ImportOutcome::Unchanged).map(|row| {
                                    let problems = row.errors.iter().map(|e| format!(
                                        "{}: {}", field_words(i18n, &e.field), i18n.t(&format!("field-error-{}", e.code.replace('_', "-")))
                                    )).collect::<Vec<_>>().join("; ");
                                    let color = if row.outcome == ImportOutcome::Invalid { "danger" } else { "success" };
                                    view! {
                                        <tr>
                                            <td>{row.line}</td>
                                            <th scope="row">{row.name}</th>
                                            <td><span class="ds-tag" data-color=color>{i18n.tr_owned(snake_key("import-outcome", &row.outcome))}</span></td>
                                            <td>{problems}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <div class="vern-tools">
                        {ready.then(|| view! {
                            <button type="button" class="ds-button" data-variant="primary" disabled=move || busy.get()
                                on:click=move |_| send("mode=all_or_nothing")>{i18n.tr("import-run")}</button>
                        })}
                        {partial.then(|| view! {
                            <button type="button" class="ds-button" data-variant="primary" disabled=move || busy.get()
                                on:click=move |_| send("mode=valid_rows")>{i18n.tr("import-run-valid")}</button>
                        })}
                    </div>
                }
            })}
        </section>
    }
}
