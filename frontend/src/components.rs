//! Small shared pieces: loading state, error alert, page title.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::use_i18n;

/// Designsystemet's spinner with an accessible name.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="vern-loading" role="status">
            <svg class="ds-spinner" data-size="md" role="img" aria-label=i18n.tr("loading") viewBox="0 0 50 50">
                <circle class="ds-spinner__background" cx="25" cy="25" r="20" fill="none" stroke-width="5"></circle>
                <circle class="ds-spinner__circle" cx="25" cy="25" r="20" fill="none" stroke-width="5"></circle>
            </svg>
            <span class="ds-sr-only">{i18n.tr("loading")}</span>
        </p>
    }
}

/// An API error in the user's language, with the request id to quote to support.
#[component]
pub fn ErrorAlert(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    let key = error.message_key();
    let request_id = error.request_id().map(str::to_owned);
    view! {
        <div class="ds-alert" data-color="danger" role="alert">
            <h2 class="ds-heading" data-size="xs">{i18n.tr("error-title")}</h2>
            <p class="ds-paragraph">{i18n.tr_owned(key.clone())}</p>
            {request_id.map(|id| view! {
                <p class="ds-paragraph" data-size="sm">
                    {i18n.tr("request-id-label")} ": " <code>{id}</code>
                </p>
            })}
        </div>
    }
}

/// Keeps `document.title` in step with the page and the language.
pub fn set_title(title: impl Fn() -> String + 'static) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        let page = title();
        document().set_title(&format!("{page} – {}", i18n.t("app-name")));
    });
}

/// `YYYY-MM-DD HH:MM UTC` (without chrono's strftime machinery, which costs the wasm).
pub fn utc_minutes(at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    format!("{} {:02}:{:02} UTC", utc_date(at), at.hour(), at.minute())
}

/// `YYYY-MM-DD HH:MM:SS UTC`.
pub fn utc_seconds(at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        utc_date(at),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// `YYYY-MM-DD`.
pub fn utc_date(at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", at.year(), at.month(), at.day())
}

/// The browser's clock. (`chrono::Utc::now` has no clock to read in the browser.)
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}
