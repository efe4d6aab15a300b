//! An agreement's document: the template rendered with the facts into Markdown — the
//! canonical text that is stored, hashed and signed — and the views of it: HTML for the
//! browser and print, plain lines for a readable diff between versions.
//!
//! Values from the register are escaped so a system called `*Skole*` or `<script>` stays
//! text: every ASCII punctuation character in a value is backslash-escaped (CommonMark lets
//! any of them be), and raw HTML in the Markdown is shown as text, never passed through.

use std::fmt::Write as _;

use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::facts::AgreementFacts;

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("template error: {0}")]
pub struct TemplateError(pub String);

impl From<Error> for TemplateError {
    fn from(e: Error) -> Self {
        match e.line() {
            Some(line) => Self(format!("{e} (line {line})")),
            None => Self(e.to_string()),
        }
    }
}

/// Backslash-escapes the characters that would make a value Markdown, and folds line
/// breaks into spaces so a value cannot end a paragraph, a list item or a table row.
pub fn escape_markdown(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut last_space = false;
    for c in value.chars() {
        if c == '\n' || c == '\r' || c == '\t' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = c == ' ';
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn environment(language: &str) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // A block tag on a line of its own leaves no blank line behind.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_formatter(|out, _state, value| {
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        if value.is_safe() {
            return write!(out, "{value}").map_err(Error::from);
        }
        let text = match value.as_str() {
            Some(s) => escape_markdown(s),
            None => escape_markdown(&value.to_string()),
        };
        out.write_str(&text).map_err(Error::from)
    });
    let lang = language.to_owned();
    // `{{ start_date | date }}`: 14.02.2027 in Norwegian, 14 February 2027 in English.
    env.add_filter(
        "date",
        move |_state: &State, value: Value| -> Result<String, Error> {
            let Some(raw) = value.as_str() else {
                return Ok(String::new());
            };
            let date = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| Error::new(ErrorKind::InvalidOperation, "not a date"))?;
            Ok(if lang == "en" {
                date.format("%-d %B %Y").to_string()
            } else {
                date.format("%d.%m.%Y").to_string()
            })
        },
    );
    env
}

/// The merge fields a template reads (top-level names).
pub fn merge_fields(source: &str) -> Result<Vec<String>, TemplateError> {
    let env = environment("nb");
    let template = env.template_from_str(source)?;
    let mut fields: Vec<String> = template.undeclared_variables(false).into_iter().collect();
    fields.sort();
    Ok(fields)
}

/// The agreement's text: the template rendered with the facts.
pub fn render(source: &str, facts: &AgreementFacts) -> Result<String, TemplateError> {
    let env = environment(facts.language.as_str());
    let template = env.template_from_str(source)?;
    let mut text = template.render(Value::from_serialize(facts))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, Options::ENABLE_TABLES)
}

/// The document as an HTML fragment; raw HTML in the text is shown, not interpreted.
pub fn to_html(markdown: &str) -> String {
    let events = parser(markdown).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// A block of the document for layouts other than HTML (the PDF, the app).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Heading {
        level: u8,
        text: String,
    },
    Paragraph {
        text: String,
    },
    /// A list item (consecutive items form one list).
    Item {
        text: String,
    },
    /// A table: the header row first.
    Table {
        rows: Vec<Vec<String>>,
    },
}

/// The document as a sequence of blocks with plain text.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut heading: Option<u8> = None;
    let mut in_item = 0usize;
    let mut table: Option<Vec<Vec<String>>> = None;
    let mut row: Vec<String> = Vec::new();
    for event in parser(markdown) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(level as u8);
                text.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                out.push(Block::Heading {
                    level: heading.take().unwrap_or(1),
                    text: std::mem::take(&mut text).trim().to_owned(),
                });
            }
            Event::Start(Tag::Item) => {
                in_item += 1;
                text.clear();
            }
            Event::End(TagEnd::Item) => {
                in_item = in_item.saturating_sub(1);
                let t = std::mem::take(&mut text).trim().to_owned();
                if !t.is_empty() {
                    out.push(Block::Item { text: t });
                }
            }
            Event::End(TagEnd::Paragraph) if in_item == 0 => {
                out.push(Block::Paragraph {
                    text: std::mem::take(&mut text).trim().to_owned(),
                });
            }
            Event::End(TagEnd::Paragraph) => text.push(' '),
            Event::Start(Tag::Table(_)) => table = Some(Vec::new()),
            Event::End(TagEnd::Table) => {
                if let Some(rows) = table.take() {
                    out.push(Block::Table { rows });
                }
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some(rows) = table.as_mut() {
                    rows.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) => text.clear(),
            Event::End(TagEnd::TableCell) => row.push(std::mem::take(&mut text).trim().to_owned()),
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    out
}

/// The document as plain lines, one per block (a table row is one line): what a diff
/// between versions compares.
pub fn plain_lines(markdown: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for block in blocks(markdown) {
        match block {
            Block::Heading { text, .. } | Block::Paragraph { text } => lines.push(text),
            Block::Item { text } => lines.push(format!("• {text}")),
            Block::Table { rows } => lines.extend(rows.into_iter().map(|r| r.join(" | "))),
        }
    }
    lines
}

/// The SHA-256 of the document's exact bytes, as lowercase hex.
pub fn sha256_hex(document: &str) -> String {
    let digest = Sha256::digest(document.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Whether the stored document is still the one that was hashed at signing.
pub fn document_matches(document: &str, signed_sha256: &str) -> bool {
    sha256_hex(document) == signed_sha256.to_ascii_lowercase()
}

/// A line of a diff between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiffLine {
    pub change: DiffChange,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DiffChange {
    Unchanged,
    Removed,
    Added,
}

/// What changed between two versions, line by line; unchanged runs longer than
/// `2 * context` are shortened to their first and last `context` lines.
pub fn diff(old: &str, new: &str, context: usize) -> Vec<DiffLine> {
    let old_lines = plain_lines(old);
    let new_lines = plain_lines(new);
    let old_refs: Vec<&str> = old_lines.iter().map(String::as_str).collect();
    let new_refs: Vec<&str> = new_lines.iter().map(String::as_str).collect();
    let diff = similar::TextDiff::from_slices(&old_refs, &new_refs);
    let all: Vec<DiffLine> = diff
        .iter_all_changes()
        .map(|change| DiffLine {
            change: match change.tag() {
                similar::ChangeTag::Equal => DiffChange::Unchanged,
                similar::ChangeTag::Delete => DiffChange::Removed,
                similar::ChangeTag::Insert => DiffChange::Added,
            },
            text: change.value().to_owned(),
        })
        .collect();
    // Shorten long unchanged runs, keeping context around the changes.
    let mut out = Vec::new();
    let mut i = 0;
    while i < all.len() {
        if all[i].change != DiffChange::Unchanged {
            out.push(all[i].clone());
            i += 1;
            continue;
        }
        let start = i;
        while i < all.len() && all[i].change == DiffChange::Unchanged {
            i += 1;
        }
        let run = &all[start..i];
        let keep_head = if start == 0 { 0 } else { context };
        let keep_tail = if i == all.len() { 0 } else { context };
        if run.len() > keep_head + keep_tail {
            out.extend_from_slice(&run[..keep_head]);
            out.push(DiffLine {
                change: DiffChange::Unchanged,
                text: "…".to_owned(),
            });
            out.extend_from_slice(&run[run.len() - keep_tail..]);
        } else {
            out.extend_from_slice(run);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::agreements::facts::tests::complete;

    #[test]
    fn values_are_text_not_markup() {
        let mut facts = complete();
        facts.title = "*Skole* <script>alert(1)</script> | x".into();
        let doc = render("# {{ title }}\n", &facts).expect("renders");
        let html = to_html(&doc);
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<em>"), "{html}");
        assert_eq!(
            plain_lines(&doc),
            vec!["*Skole* <script>alert(1)</script> | x".to_owned()]
        );
    }

    #[test]
    fn raw_html_in_a_template_is_shown_as_text() {
        let html = to_html("Hei <b>der</b>\n");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn line_breaks_in_values_cannot_start_blocks() {
        assert_eq!(escape_markdown("a\n\n# b\n- c"), "a \\# b \\- c");
    }

    #[test]
    fn strict_templates_refuse_unknown_fields() {
        assert!(render("{{ no_such_field }}", &complete()).is_err());
        assert!(render("{% if %}", &complete()).is_err());
    }

    #[test]
    fn merge_fields_are_listed() {
        let fields = merge_fields("{{ title }} {% for s in systems %}{{ s.name }}{% endfor %}")
            .expect("parses");
        assert_eq!(fields, vec!["systems".to_owned(), "title".to_owned()]);
    }

    #[test]
    fn dates_follow_the_language() {
        let mut facts = complete();
        let shown = |facts: &AgreementFacts| {
            plain_lines(&render("{{ start_date | date }}", facts).expect("renders"))
        };
        assert_eq!(shown(&facts), vec!["14.02.2027".to_owned()]);
        facts.language = crate::agreements::terms::AgreementLanguage::En;
        assert_eq!(shown(&facts), vec!["14 February 2027".to_owned()]);
    }

    #[test]
    fn blocks_cover_headings_paragraphs_items_and_tables() {
        let doc =
            "# A\n\nText *here*.\n\n- one\n- two\n\n| h1 | h2 |\n| --- | --- |\n| c1 | c2 |\n";
        assert_eq!(
            blocks(doc),
            vec![
                Block::Heading {
                    level: 1,
                    text: "A".into()
                },
                Block::Paragraph {
                    text: "Text here.".into()
                },
                Block::Item { text: "one".into() },
                Block::Item { text: "two".into() },
                Block::Table {
                    rows: vec![
                        vec!["h1".into(), "h2".into()],
                        vec!["c1".into(), "c2".into()]
                    ]
                },
            ]
        );
    }

    #[test]
    fn verification_fails_after_one_byte_changes() {
        let doc = render(
            "# {{ title }}\n\nLeverandør: {{ processor.name }}\n",
            &complete(),
        )
        .expect("renders");
        let hash = sha256_hex(&doc);
        assert_eq!(hash.len(), 64);
        assert!(document_matches(&doc, &hash));
        assert!(document_matches(&doc, &hash.to_ascii_uppercase()));
        let mut bytes = doc.clone().into_bytes();
        for i in 0..bytes.len() {
            let original = bytes[i];
            bytes[i] = original ^ 0x01;
            if let Ok(changed) = std::str::from_utf8(&bytes) {
                assert!(!document_matches(changed, &hash), "byte {i}");
            }
            bytes[i] = original;
        }
    }

    #[test]
    fn the_diff_shows_what_changed_with_context() {
        let old = "# T\n\na\n\nb\n\nc\n\nd\n\ne\n\nf\n";
        let new = "# T\n\na\n\nb\n\nc\n\nD\n\ne\n\nf\n";
        let d = diff(old, new, 1);
        let shown: Vec<(DiffChange, &str)> =
            d.iter().map(|l| (l.change, l.text.as_str())).collect();
        assert_eq!(
            shown,
            vec![
                (DiffChange::Unchanged, "…"),
                (DiffChange::Unchanged, "c"),
                (DiffChange::Removed, "d"),
                (DiffChange::Added, "D"),
                (DiffChange::Unchanged, "e"),
                (DiffChange::Unchanged, "…"),
            ]
        );
        assert!(
            diff(old, old, 2)
                .iter()
                .all(|l| l.change == DiffChange::Unchanged)
        );
    }

    proptest! {
        /// Whatever a value holds, it renders as one paragraph with exactly its text.
        #[test]
        fn any_value_stays_plain_text(value in "[ -~æøåÆØÅ\n]{1,60}") {
            let mut facts = complete();
            facts.nature = value.clone();
            let doc = render("Før\n\n{{ nature }}\n\nEtter\n", &facts).expect("renders");
            let expected: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
            let lines: Vec<String> = plain_lines(&doc)
                .into_iter()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            if expected.is_empty() {
                prop_assert_eq!(lines, vec!["Før".to_owned(), "Etter".to_owned()]);
            } else {
                prop_assert_eq!(lines, vec!["Før".to_owned(), expected, "Etter".to_owned()]);
            }
        }
    }
}
