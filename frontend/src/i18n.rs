//! The language in force, as a reactive context. `i18n.t("key")` inside a closure re-renders
//! when the language changes. The choice is remembered in localStorage; the first visit
//! follows the browser's language, falling back to bokmål.
//!
//! Only bokmål is compiled into the wasm; nynorsk and English are fetched from the asset
//! directory (`locale-<tag>.txt`, built by `scripts/build-spa.sh`) the first time they are
//! chosen, and the switch happens once they have arrived — the page never shows keys.

use std::cell::RefCell;

use leptos::prelude::*;
use vern_i18n::{Arg, Lang, Translator};

const STORAGE_KEY: &str = "vern.lang";

thread_local! {
    static TRANSLATORS: RefCell<Vec<Translator>> = const { RefCell::new(Vec::new()) };
}

fn with_translator<R>(lang: Lang, f: impl FnOnce(&Translator) -> R) -> R {
    TRANSLATORS.with(|cell| {
        let mut translators = cell.borrow_mut();
        if let Some(t) = translators.iter().find(|t| t.lang() == lang) {
            return f(t);
        }
        // Not loaded (yet): bokmål, which is always there.
        if let Some(t) = translators.iter().find(|t| t.lang() == Lang::Nb) {
            return f(t);
        }
        let t = Translator::from_texts(Lang::Nb, vern_i18n::NB.iter().map(|(_, text)| *text));
        let result = f(&t);
        translators.push(t);
        result
    })
}

fn is_loaded(lang: Lang) -> bool {
    lang == Lang::Nb || TRANSLATORS.with(|cell| cell.borrow().iter().any(|t| t.lang() == lang))
}

/// The asset directory of this build, from `<meta name="vern-assets">` in index.html.
fn asset_dir() -> String {
    document()
        .query_selector("meta[name=vern-assets]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_default()
}

async fn load(lang: Lang) -> bool {
    let url = format!("{}/locale-{}.txt", asset_dir(), lang.tag());
    let Ok(response) = gloo_net::http::Request::get(&url).send().await else {
        return false;
    };
    if !response.ok() {
        return false;
    }
    let Ok(text) = response.text().await else {
        return false;
    };
    let translator = Translator::from_texts(lang, [text.as_str()]);
    TRANSLATORS.with(|cell| cell.borrow_mut().push(translator));
    true
}

#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    pub fn set_lang(&self, lang: Lang) {
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
        self.switch_to(lang);
    }

    fn switch_to(&self, lang: Lang) {
        if is_loaded(lang) {
            self.lang.set(lang);
            return;
        }
        let signal = self.lang;
        leptos::task::spawn_local(async move {
            if load(lang).await {
                signal.set(lang);
            }
        });
    }

    /// The message in the current language (tracked: call it inside a reactive closure).
    pub fn t(&self, key: &str) -> String {
        with_translator(self.lang.get(), |t| t.t(key))
    }

    /// A reactive text for a view. Every call returns the same closure type, so the
    /// rendering code for it is generated once rather than once per message — that keeps
    /// the wasm small.
    pub fn tr(self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// `tr` for a key built at run time.
    pub fn tr_owned(self, key: String) -> impl Fn() -> String + Clone + Send + Sync + 'static {
        move || self.t(&key)
    }

    pub fn t_with(&self, key: &str, args: &[(&str, Arg)]) -> String {
        with_translator(self.lang.get(), |t| t.t_with(key, args))
    }
}

pub fn provide_i18n() -> I18n {
    let i18n = I18n {
        lang: RwSignal::new(Lang::Nb),
    };
    i18n.switch_to(initial_lang());
    provide_context(i18n);
    // Screen readers pronounce by <html lang>.
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
    });
    i18n
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n {
        lang: RwSignal::new(Lang::Nb),
    })
}

fn initial_lang() -> Lang {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|tag| Lang::from_tag(&tag));
    stored
        .or_else(|| {
            window()
                .navigator()
                .language()
                .and_then(|tag| Lang::from_tag(&tag))
        })
        .unwrap_or_default()
}
