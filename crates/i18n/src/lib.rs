//! Vern's texts in Norwegian bokmål, Norwegian nynorsk and English, as Project Fluent
//! resources (`locales/<lang>/<capability>.ftl`), compiled into the binary.
//!
//! Fluent is the format translators know; it handles plurals and variables per language
//! (CLDR rules for nb, nn and en). Keys are kebab-case and start with their capability
//! (`org-…`, `problem-…`). Tests check that every key exists in all three languages with the
//! same variables, and that every key the SPA uses exists.

use std::fmt;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The languages Vern speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Norsk bokmål — the default.
    #[default]
    Nb,
    /// Norsk nynorsk.
    Nn,
    /// English.
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Nb, Lang::Nn, Lang::En];

    /// BCP 47 tag, as in `<html lang>`.
    pub const fn tag(self) -> &'static str {
        match self {
            Self::Nb => "nb",
            Self::Nn => "nn",
            Self::En => "en",
        }
    }

    /// Reads a tag such as `nb`, `nb-NO`, `no`, `nn-NO`, `en-GB`.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "nb" | "no" => Some(Self::Nb),
            "nn" => Some(Self::Nn),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The language's name in itself, for the language switch.
    pub const fn native_name(self) -> &'static str {
        match self {
            Self::Nb => "Norsk bokmål",
            Self::Nn => "Norsk nynorsk",
            Self::En => "English",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

macro_rules! sources {
    ($lang:literal: $($file:literal),+ $(,)?) => {
        &[$( ($file, include_str!(concat!("../locales/", $lang, "/", $file))) ),+]
    };
}

/// Every resource file of one language: (file name, Fluent source).
pub type Sources = &'static [(&'static str, &'static str)];

/// Bokmål's Fluent sources. Add a capability's file to all three lists.
pub const NB: Sources = sources!("nb": "access.ftl", "admin.ftl", "agreements.ftl", "app.ftl", "auth.ftl", "organizations.ftl", "problems.ftl", "register.ftl", "requests.ftl", "incidents.ftl", "notifications.ftl", "consents.ftl");
/// Nynorsk's Fluent sources.
pub const NN: Sources = sources!("nn": "access.ftl", "admin.ftl", "agreements.ftl", "app.ftl", "auth.ftl", "organizations.ftl", "problems.ftl", "register.ftl", "requests.ftl", "incidents.ftl", "notifications.ftl", "consents.ftl");
/// English's Fluent sources.
pub const EN: Sources = sources!("en": "access.ftl", "admin.ftl", "agreements.ftl", "app.ftl", "auth.ftl", "organizations.ftl", "problems.ftl", "register.ftl", "requests.ftl", "incidents.ftl", "notifications.ftl", "consents.ftl");

/// The Fluent sources per language. (The SPA embeds only `NB` and loads the others as
/// text when chosen — `concatenated` is that text.)
pub fn sources(lang: Lang) -> Sources {
    match lang {
        Lang::Nb => NB,
        Lang::Nn => NN,
        Lang::En => EN,
    }
}

/// A language's resources as one Fluent text, as the SPA loads it.
pub fn concatenated(sources: Sources) -> String {
    sources
        .iter()
        .map(|(_, text)| *text)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Formats messages in one language.
pub struct Translator {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl fmt::Debug for Translator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Translator")
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

impl Translator {
    pub fn new(lang: Lang) -> Self {
        Self::from_texts(lang, sources(lang).iter().map(|(_, text)| *text))
    }

    /// A translator from Fluent texts (e.g. a language file fetched at run time).
    pub fn from_texts<'a>(lang: Lang, texts: impl IntoIterator<Item = &'a str>) -> Self {
        let id: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new(vec![id]);
        // Latin script only: the Unicode isolation marks would just end up in test strings.
        bundle.set_use_isolating(false);
        for text in texts {
            // A resource with syntax errors still yields its valid messages; the tests make
            // sure there are none.
            let resource = FluentResource::try_new(text.to_owned()).unwrap_or_else(|(res, _)| res);
            let _ = bundle.add_resource(resource);
        }
        Self { lang, bundle }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn has(&self, key: &str) -> bool {
        self.bundle.has_message(key)
    }

    /// The message, or the key itself when it is missing (visible, never a crash).
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message with variables, e.g. `("count", 3)`.
    pub fn t_with(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Str(s) => FluentValue::from(s.clone()),
                Arg::Num(n) => FluentValue::from(*n),
            };
            fluent_args.set(*name, value);
        }
        self.format(key, Some(&fluent_args))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }
}

/// A variable for a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Num(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Self::Str(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Self::Str(s)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Self::Num(n as f64)
    }
}

#[cfg(test)]
mod tests;
