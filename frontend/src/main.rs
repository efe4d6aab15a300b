//! Vern's single-page app: Leptos, rendered in the browser, talking to the JSON API on the
//! same origin. Pages live under `pages/<capability>/`, texts come from `vern-i18n`, and the
//! API's DTOs and parsers come from `vern-domain` — the same code the server runs.

mod api;
mod app;
mod components;
mod download;
mod i18n;
mod pages;
mod refresh_lock;
mod session;
mod webauthn;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
