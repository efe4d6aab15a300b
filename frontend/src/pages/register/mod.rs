//! The shared register: the product catalogue (kept by vendors) and each municipality's
//! systems in use.

mod activities;
mod activity_editor;
mod assessment;
mod catalogue;
mod compare;
mod dpia;
mod overview;
mod own_terms;
mod product_detail;
mod product_editor;
mod statement;
mod system_editor;
mod systems;
mod templates;
mod transfer;
pub use transfer::Downloads;

pub use activities::ActivitiesPage;
pub use activity_editor::ActivityEditorPage;
pub use assessment::AssessmentPage;
pub use catalogue::CataloguePage;
pub use compare::ComparePage;
pub use overview::RegisterOverviewPage;
pub use own_terms::OwnTermsPage;
pub use product_detail::ProductDetailPage;
pub use product_editor::{ProductEditorPage, VendorProductsPage};
pub use statement::PrivacyStatementPage;
pub use system_editor::SystemEditorPage;
pub use systems::SystemsPage;
pub use templates::TemplatesPage;

use leptos::prelude::*;
use serde::Serialize;
use vern_domain::register::system::SystemStatus;
use vern_domain::register::taxonomy::data_category;
use vern_i18n::Lang;

use crate::i18n::{I18n, use_i18n};

pub fn status_key(status: SystemStatus) -> String {
    format!("system-status-{}", status.as_str().replace('_', "-"))
}

/// A data category's label in the language in force (the key itself if unknown).
pub fn category_label(i18n: I18n, key: &str) -> String {
    data_category(key).map_or_else(
        || key.to_owned(),
        |c| {
            match i18n.lang() {
                Lang::Nb => c.nb,
                Lang::Nn => c.nn,
                Lang::En => c.en,
            }
            .to_owned()
        },
    )
}

/// A data-subject category's label in the language in force (the key itself if unknown).
pub fn subject_label(i18n: I18n, key: &str) -> String {
    vern_domain::register::taxonomy::data_subject(key).map_or_else(
        || key.to_owned(),
        |c| {
            match i18n.lang() {
                Lang::Nb => c.nb,
                Lang::Nn => c.nn,
                Lang::En => c.en,
            }
            .to_owned()
        },
    )
}

/// One checkbox per term, ids `<prefix>-<key>` (with `:` as `-`), labelled in the language
/// in force; `chosen` holds the ticked keys.
pub fn term_checkboxes(
    i18n: I18n,
    prefix: &'static str,
    keys: Vec<&'static str>,
    label: fn(I18n, &str) -> String,
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    view! {
        <div class="vern-checkbox-grid">
            {keys.into_iter().map(|k| {
                let input_id = format!("{prefix}-{}", k.replace(':', "-"));
                let label_for = input_id.clone();
                view! {
                    <div class="ds-field">
                        <input class="ds-input" type="checkbox" id=input_id
                            prop:checked=move || chosen.with(|v| v.iter().any(|s| s == k))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|v| { v.retain(|s| s != k); if on { v.push(k.to_owned()) } });
                            }/>
                        <label class="ds-label" for=label_for data-weight="regular">{move || label(i18n, k)}</label>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// A data or subject category, shared or the organisation's own, in the language in force.
pub fn term_label(
    i18n: I18n,
    vocabulary: &vern_domain::register::vocabulary::Vocabulary,
    key: &str,
) -> String {
    vocabulary.labels(key).map_or_else(
        || key.to_owned(),
        |(nb, nn, en)| match i18n.lang() {
            Lang::Nb => nb,
            Lang::Nn => nn,
            Lang::En => en,
        },
    )
}

/// An enum's wire name (`standard_contractual_clauses`), as serde writes it.
pub fn wire(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The enum a wire name stands for.
pub fn from_wire<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

/// The text key of an enum value: `snake_key("mechanism", &m)` → `mechanism-binding-corporate-rules`.
pub fn snake_key(prefix: &str, value: &impl Serialize) -> String {
    format!("{prefix}-{}", wire(value).replace('_', "-"))
}

/// The top-level fields in which two versions of the same facts differ, by name.
pub fn changed_fields<T: Serialize>(before: &T, after: &T) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    let mut out: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(b.keys().filter(|k| !a.contains_key(*k)).cloned());
    out
}

/// Lines of a textarea, trimmed, without blanks.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Shown when a save met a newer version (412): which fields the other person changed, and
/// the two ways on — take theirs, or save ours over it.
#[component]
pub fn StaleNotice(
    /// Field names (`name`, `hosting`, …) under `field-<name>` in the texts.
    fields: Vec<String>,
    on_reload: Callback<()>,
    on_overwrite: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = fields
        .into_iter()
        .map(|f| format!("field-{}", f.replace('_', "-")))
        .collect::<Vec<_>>();
    view! {
        <div class="ds-alert" data-color="warning" role="alert">
            <h2 class="ds-heading" data-size="xs">{i18n.tr("register-stale-title")}</h2>
            <p class="ds-paragraph">{i18n.tr("register-stale-body")}</p>
            <ul class="ds-list">
                {list.into_iter().map(|key| view! { <li>{i18n.tr_owned(key)}</li> }).collect_view()}
            </ul>
            <div class="vern-tools">
                <button type="button" class="ds-button" data-variant="secondary" on:click=move |_| on_reload.run(())>
                    {i18n.tr("register-stale-reload")}
                </button>
                <button type="button" class="ds-button" data-variant="tertiary" on:click=move |_| on_overwrite.run(())>
                    {i18n.tr("register-stale-overwrite")}
                </button>
            </div>
        </div>
    }
}

/// Whether an API error is the 412 of a stale `If-Match`.
pub fn is_stale(error: &crate::api::ApiError) -> bool {
    matches!(error, crate::api::ApiError::Problem(p)
        if p.code == vern_domain::problem::ProblemCode::PreconditionFailed)
}

/// A field path of the API (`sub_processors[0].transfer_mechanism`) in words:
/// "Underleverandører 1 – Overføringsgrunnlag".
pub(crate) fn field_words(i18n: I18n, path: &str) -> String {
    let mut parts = Vec::new();
    for segment in path.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        parts.push(i18n.t(&format!("field-{}", name.replace('_', "-"))));
        if let Some(i) = index {
            parts.push((i + 1).to_string());
        }
    }
    parts.join(" – ")
}

/// The fields to fix, as Designsystemet's error summary: one line per problem, each naming
/// the field and what is wrong with it.
#[component]
pub fn FieldErrors(errors: Signal<Vec<vern_domain::problem::FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let list = errors.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="ds-error-summary" role="alert" tabindex="-1">
                    <h2 class="ds-heading" data-size="xs">{i18n.tr("register-fix-fields")}</h2>
                    <ul class="ds-list">
                        {list.into_iter().map(|e| {
                            let code = format!("field-error-{}", e.code.replace('_', "-"));
                            view! { <li>{move || format!("{}: {}", field_words(i18n, &e.field), i18n.t(&code))}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// The field errors of a 422, if that is what the error is.
pub fn field_errors_of(error: &crate::api::ApiError) -> Vec<vern_domain::problem::FieldError> {
    match error {
        crate::api::ApiError::Problem(p) => p.errors.clone(),
        _ => Vec::new(),
    }
}
