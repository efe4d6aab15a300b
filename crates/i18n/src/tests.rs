use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, PatternElement};
use fluent_syntax::parser;

use super::*;

/// message id -> the variables it uses
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (file, source) in sources(lang) {
        let resource = parser::parse(*source)
            .unwrap_or_else(|(_, errors)| panic!("{lang}/{file} has syntax errors: {errors:?}"));
        for entry in resource.body {
            if let Entry::Message(message) = entry {
                let mut vars = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    collect_vars(pattern, &mut vars);
                }
                assert!(
                    message.value.is_some(),
                    "{lang}/{file}: {} has no value",
                    message.id.name
                );
                let previous = out.insert(message.id.name.to_owned(), vars);
                assert!(
                    previous.is_none(),
                    "{lang}: {} defined twice",
                    message.id.name
                );
            }
        }
    }
    out
}

fn collect_vars(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            collect_expr(expression, vars);
        }
    }
}

fn collect_expr(expression: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => collect_inline(inline, vars),
        Expression::Select { selector, variants } => {
            collect_inline(selector, vars);
            for variant in variants {
                collect_vars(&variant.value, vars);
            }
        }
    }
}

fn collect_inline(inline: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => collect_expr(expression, vars),
        InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                collect_inline(arg, vars);
            }
        }
        _ => {}
    }
}

#[test]
fn every_key_exists_in_all_three_languages_with_the_same_variables() {
    let nb = messages(Lang::Nb);
    assert!(nb.len() > 40, "only {} messages", nb.len());
    for lang in [Lang::Nn, Lang::En] {
        let other = messages(lang);
        let missing: Vec<_> = nb.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !nb.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(extra.is_empty(), "{lang} has keys bokmål lacks: {extra:?}");
        for (key, vars) in &nb {
            assert_eq!(
                &other[key], vars,
                "{lang}: {key} uses other variables than bokmål"
            );
        }
    }
}

#[test]
fn every_key_the_spa_uses_exists() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../frontend/src");
    let mut used = BTreeSet::new();
    scan(std::path::Path::new(root), &mut used);
    assert!(used.len() > 20, "found only {} keys in the SPA", used.len());
    let known = messages(Lang::Nb);
    let unknown: Vec<_> = used.iter().filter(|k| !known.contains_key(*k)).collect();
    assert!(
        unknown.is_empty(),
        "the SPA uses keys no locale defines: {unknown:?}"
    );
}

/// Finds `.t("key"`, `.tr("key"` and `.t_with("key"` in the SPA's sources.
fn scan(dir: &std::path::Path, used: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            scan(&path, used);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            // Comments may show the call's shape with a placeholder key.
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for marker in [".t(\"", ".tr(\"", ".t_with(\""] {
                    for (i, _) in line.match_indices(marker) {
                        let rest = &line[i + marker.len()..];
                        if let Some(end) = rest.find('"') {
                            used.insert(rest[..end].to_owned());
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn every_problem_code_org_kind_and_role_has_a_text() {
    use vern_domain::OrgKind;
    use vern_domain::problem::ProblemCode;
    for lang in Lang::ALL {
        let t = Translator::new(lang);
        for code in ProblemCode::ALL {
            let key = format!("problem-{}", code.as_str().replace('_', "-"));
            assert!(t.has(&key), "{lang}: {key}");
        }
        for kind in OrgKind::ALL {
            assert!(
                t.has(&format!("org-kind-{}", kind.as_str())),
                "{lang}: {kind}"
            );
        }
        for p in vern_domain::access::Permission::ALL {
            let key = format!("perm-{}", p.as_str().replace('_', "-"));
            assert!(t.has(&key), "{lang}: {key}");
        }
        for s in vern_domain::access::RequestState::ALL {
            let key = format!("request-state-{}", s.as_str());
            assert!(t.has(&key), "{lang}: {key}");
        }
        // Keys the SPA builds from a word: members-{action}d, requests-{action}d, invite-state-….
        for key in [
            "members-disabled",
            "members-enabled",
            "members-removed",
            "requests-approved",
            "requests-denied",
            "invite-state-pending",
            "invite-state-accepted",
            "invite-state-expired",
            "invite-state-withdrawn",
        ] {
            assert!(t.has(key), "{lang}: {key}");
        }
    }
}

#[test]
fn formats_variables_and_plurals() {
    let nb = Translator::new(Lang::Nb);
    assert_eq!(
        nb.t_with("org-count-shown", &[("count", 1usize.into())]),
        "Viser 1 organisasjon"
    );
    assert_eq!(
        nb.t_with("org-count-shown", &[("count", 50usize.into())]),
        "Viser 50 organisasjoner"
    );
    let nn = Translator::new(Lang::Nn);
    assert_eq!(
        nn.t_with("org-count-shown", &[("count", 2usize.into())]),
        "Viser 2 organisasjonar"
    );
    let en = Translator::new(Lang::En);
    assert_eq!(
        en.t_with("org-count-shown", &[("count", 1usize.into())]),
        "Showing 1 organisation"
    );
    assert_eq!(en.t("nav-organizations"), "Organisations");
}

#[test]
fn a_missing_key_shows_the_key() {
    assert_eq!(Translator::new(Lang::En).t("no-such-key"), "no-such-key");
}

#[test]
fn language_tags_are_read_leniently() {
    assert_eq!(Lang::from_tag("nb-NO"), Some(Lang::Nb));
    assert_eq!(Lang::from_tag("no"), Some(Lang::Nb));
    assert_eq!(Lang::from_tag("nn_NO"), Some(Lang::Nn));
    assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
    assert_eq!(Lang::from_tag("sv"), None);
    for lang in Lang::ALL {
        assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
    }
}

#[test]
fn every_locale_file_is_listed_and_the_concatenated_text_says_the_same() {
    // The SPA build concatenates `locales/<lang>/*.ftl` for the languages it loads on
    // demand; that must be exactly the listed files.
    for lang in Lang::ALL {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang.tag());
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".ftl"))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = sources(lang).iter().map(|(n, _)| (*n).to_owned()).collect();
        listed.sort();
        assert_eq!(on_disk, listed, "{lang}");

        let text = concatenated(sources(lang));
        let whole = Translator::from_texts(lang, [text.as_str()]);
        let parts = Translator::new(lang);
        for key in messages(lang).keys() {
            assert!(whole.has(key), "{lang}: {key}");
            assert_eq!(whole.t(key), parts.t(key), "{lang}: {key}");
        }
    }
}
