//! The agreement templates Vern ships, written for Vern: one following the structure of
//! the Norwegian state's standard data processing agreement (general terms with appendices
//! A–D), one following the standard contractual clauses adopted under Art. 28(8) (sections
//! 1–14 with appendices A–D), each in bokmål and English.

use serde::{Deserialize, Serialize};

use super::terms::AgreementLanguage;

/// Which standard a template follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateStructure {
    /// The Norwegian state's standard agreement: general terms, appendices A–D.
    NorwegianState,
    /// The EU standard contractual clauses under Art. 28(8).
    EuStandardClauses,
}

/// A template shipped with Vern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinTemplate {
    pub key: &'static str,
    pub structure: TemplateStructure,
    pub language: AgreementLanguage,
    pub name_nb: &'static str,
    pub name_en: &'static str,
    /// A minijinja template producing Markdown.
    pub source: &'static str,
}

pub const BUILTIN_TEMPLATES: [BuiltinTemplate; 4] = [
    BuiltinTemplate {
        key: "state-nb",
        structure: TemplateStructure::NorwegianState,
        language: AgreementLanguage::Nb,
        name_nb: "Databehandleravtale etter statens standard (bokmål)",
        name_en: "Data processing agreement, Norwegian state structure (Norwegian)",
        source: include_str!("../../templates/agreements/state-nb.md.j2"),
    },
    BuiltinTemplate {
        key: "state-en",
        structure: TemplateStructure::NorwegianState,
        language: AgreementLanguage::En,
        name_nb: "Databehandleravtale etter statens standard (engelsk)",
        name_en: "Data processing agreement, Norwegian state structure (English)",
        source: include_str!("../../templates/agreements/state-en.md.j2"),
    },
    BuiltinTemplate {
        key: "scc-nb",
        structure: TemplateStructure::EuStandardClauses,
        language: AgreementLanguage::Nb,
        name_nb: "EUs standardbestemmelser, art. 28 nr. 8 (bokmål)",
        name_en: "EU standard contractual clauses, Art. 28(8) (Norwegian)",
        source: include_str!("../../templates/agreements/scc-nb.md.j2"),
    },
    BuiltinTemplate {
        key: "scc-en",
        structure: TemplateStructure::EuStandardClauses,
        language: AgreementLanguage::En,
        name_nb: "EUs standardbestemmelser, art. 28 nr. 8 (engelsk)",
        name_en: "EU standard contractual clauses, Art. 28(8) (English)",
        source: include_str!("../../templates/agreements/scc-en.md.j2"),
    },
];

pub fn builtin_template(key: &str) -> Option<&'static BuiltinTemplate> {
    BUILTIN_TEMPLATES.iter().find(|t| t.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreements::document::{merge_fields, plain_lines, render};
    use crate::agreements::facts::tests::complete;
    use crate::agreements::terms::{Authorisation, EndOfContract};

    /// Every value of the facts, as the reader sees it.
    const MARKERS: [&str; 29] = [
        "TITTEL-1",
        "KONTROLLOR-2",
        "974760673",
        "KONTAKT-K-3",
        "KONTROLLOR-2 adresse",
        "Ombud i KONTROLLOR-2",
        "ombud@example.org",
        "LEVERANDOR-4",
        "910000001",
        "KONTAKT-L-5",
        "SYSTEM-6",
        "PRODUKT-7",
        "VERSJON-8",
        "FORMAL-9",
        "ART-10",
        "KATEGORI-11",
        "KATEGORI-12",
        "REGISTRERTE-13",
        "UNDERLEVERANDOR-14",
        "ORGNR-15",
        "LAND-16",
        "TJENESTE-17",
        "MEKANISME-18",
        "STED-19",
        "ROLLE-20",
        "TILTAK-21",
        "REVISJON-22",
        "TILSYN-25",
        "GJENSTAND-27",
    ];

    #[test]
    fn every_template_merges_every_field() {
        for t in BUILTIN_TEMPLATES {
            let mut facts = complete();
            facts.language = t.language;
            let doc = render(t.source, &facts).unwrap_or_else(|e| panic!("{}: {e}", t.key));
            let text = plain_lines(&doc).join("\n");
            for marker in
                MARKERS
                    .iter()
                    .chain(&["INSTRUKS-23", "ANDRE-24", "ENDRING-26", "47", "19"])
            {
                assert!(
                    text.contains(marker),
                    "{}: {marker} missing in\n{text}",
                    t.key
                );
            }
            let (start, end, changed) = match t.language {
                AgreementLanguage::Nb => ("14.02.2027", "30.12.2031", "09.03.2027"),
                AgreementLanguage::En => ("14 February 2027", "30 December 2031", "9 March 2027"),
            };
            for date in [start, end, changed] {
                assert!(text.contains(date), "{}: {date} missing", t.key);
            }
            // Art. 9 and Art. 10 flags are named.
            assert!(
                text.contains("art. 9") || text.contains("Art. 9"),
                "{}",
                t.key
            );
            assert!(
                text.contains("art. 10") || text.contains("Art. 10"),
                "{}",
                t.key
            );
        }
    }

    #[test]
    fn the_templates_read_the_same_fields() {
        let expected = merge_fields(BUILTIN_TEMPLATES[0].source).expect("parses");
        assert!(expected.contains(&"sub_processors".to_owned()));
        for t in BUILTIN_TEMPLATES {
            assert_eq!(
                merge_fields(t.source).expect("parses"),
                expected,
                "{}",
                t.key
            );
        }
    }

    #[test]
    fn choices_change_the_text() {
        for t in BUILTIN_TEMPLATES {
            let mut facts = complete();
            facts.language = t.language;
            let general = render(t.source, &facts).expect("renders");
            facts.authorisation = Authorisation::Specific;
            let specific = render(t.source, &facts).expect("renders");
            assert_ne!(general, specific, "{}", t.key);
            let mut endings = Vec::new();
            for choice in [
                EndOfContract::Delete,
                EndOfContract::Return,
                EndOfContract::ReturnThenDelete,
            ] {
                facts.end_of_contract = Some(choice);
                endings.push(render(t.source, &facts).expect("renders"));
            }
            endings.dedup();
            assert_eq!(endings.len(), 3, "{}", t.key);
        }
    }

    #[test]
    fn empty_lists_still_render() {
        for t in BUILTIN_TEMPLATES {
            let mut facts = complete();
            facts.sub_processors.clear();
            facts.change_log.clear();
            facts.controller.privacy_officers.clear();
            facts.end_date = None;
            facts.instructions.clear();
            facts.other_terms.clear();
            let doc = render(t.source, &facts).expect("renders");
            assert!(!doc.contains("{{") && !doc.contains("{%"), "{}", t.key);
        }
    }

    #[test]
    fn keys_are_unique_and_found() {
        for t in BUILTIN_TEMPLATES {
            assert_eq!(builtin_template(t.key).map(|b| b.key), Some(t.key));
        }
        assert!(builtin_template("state-nn").is_none());
    }
}
