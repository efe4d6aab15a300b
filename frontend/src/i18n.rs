//! The language in force, as a reactive context. `i18n.t("key")` inside a closure re-renders
//! when the language changes. The choice is remembered in localStorage; the first visit
//! follows the browser's language, falling back to bokmål.

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
        let t = Translator::new(lang);
        let result = f(&t);
        translators.push(t);
        result
    })
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
        self.lang.set(lang);
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
        lang: RwSignal::new(initial_lang()),
    };
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
