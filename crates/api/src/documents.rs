//! An agreement's views for people: print-ready HTML and PDF, each ending with the
//! signature evidence (version, the text's SHA-256, who signed for which party, how and
//! when, and the key that sealed it). The text itself is the stored Markdown; these only
//! lay it out.

use vern_db::agreements::VersionRow;
use vern_domain::agreements::document::{Block, blocks, to_html};
use vern_domain::agreements::terms::AgreementLanguage;
use vern_domain::agreements::view::AgreementSignature;

use crate::error::ApiError;

const TEMPLATE: &str = include_str!("../templates/agreement.html");
const FONT_REGULAR: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");

struct Labels {
    version: &'static str,
    evidence: &'static str,
    explanation: &'static str,
    party: &'static str,
    signer: &'static str,
    method: &'static str,
    time: &'static str,
    seal: &'static str,
    unsigned: &'static str,
}

fn labels(lang: AgreementLanguage) -> Labels {
    let p = |nb, en| lang.pick(nb, en);
    Labels {
        version: p("Versjon", "Version"),
        evidence: p("Signaturbevis", "Signature evidence"),
        explanation: p(
            "Hver signatur binder underskriveren, virksomheten, tidspunktet og sjekksummen (SHA-256) av teksten over, og er forseglet med plattformens nøkkel. Signaturene kan kontrolleres i Vern (Kontroller signaturer).",
            "Each signature binds the signer, the organisation, the time and the checksum (SHA-256) of the text above, and is sealed with the platform's key. The signatures can be checked in Vern (Verify signatures).",
        ),
        party: p("Part", "Party"),
        signer: p("Signert av", "Signed by"),
        method: p("Bekreftet med", "Confirmed with"),
        time: p("Tidspunkt (UTC)", "Time (UTC)"),
        seal: p("Seglnøkkel", "Seal key"),
        unsigned: p(
            "Denne versjonen er ikke signert.",
            "This version has not been signed.",
        ),
    }
}

fn method_label(method: &str, lang: AgreementLanguage) -> &'static str {
    match method {
        "passkey" => lang.pick("passnøkkel", "passkey"),
        _ => lang.pick("engangskode (TOTP)", "one-time code (TOTP)"),
    }
}

fn language(tag: &str) -> AgreementLanguage {
    AgreementLanguage::parse(tag).unwrap_or(AgreementLanguage::Nb)
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(anyhow::anyhow!("document: {e}"))
}

pub fn agreement_html(
    title: &str,
    lang: &str,
    version: &VersionRow,
    signatures: &[AgreementSignature],
) -> Result<String, ApiError> {
    let lang = language(lang);
    let l = labels(lang);
    let mut env = minijinja::Environment::new();
    env.add_template("agreement.html", TEMPLATE)
        .map_err(internal)?;
    let rows: Vec<minijinja::Value> = signatures
        .iter()
        .map(|s| {
            minijinja::context! {
                party => &s.organization.name,
                signer => &s.signer_name,
                method => method_label(&s.method, lang),
                time => s.signed_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                kid => &s.seal_kid,
            }
        })
        .collect();
    env.get_template("agreement.html")
        .and_then(|t| {
            t.render(minijinja::context! {
                lang => lang.as_str(),
                title => title,
                version => version.number,
                sha256 => &version.sha256,
                body => minijinja::Value::from_safe_string(to_html(&version.document)),
                signatures => rows,
                labels => minijinja::context! {
                    version => l.version, evidence => l.evidence, explanation => l.explanation,
                    party => l.party, signer => l.signer, method => l.method, time => l.time,
                    seal => l.seal, unsigned => l.unsigned,
                },
            })
        })
        .map_err(internal)
}

fn font_family() -> Result<genpdf::fonts::FontFamily<genpdf::fonts::FontData>, ApiError> {
    let regular = genpdf::fonts::FontData::new(FONT_REGULAR.to_vec(), None).map_err(internal)?;
    let bold = genpdf::fonts::FontData::new(FONT_BOLD.to_vec(), None).map_err(internal)?;
    Ok(genpdf::fonts::FontFamily {
        italic: regular.clone(),
        bold_italic: bold.clone(),
        regular,
        bold,
    })
}

fn table(rows: &[Vec<String>], header: bool) -> Result<genpdf::elements::TableLayout, ApiError> {
    use genpdf::Element as _;
    let columns = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let mut t = genpdf::elements::TableLayout::new(vec![1; columns]);
    t.set_cell_decorator(genpdf::elements::FrameCellDecorator::new(true, true, false));
    for (i, row) in rows.iter().enumerate() {
        let mut r = t.row();
        for c in 0..columns {
            let text = row.get(c).cloned().unwrap_or_default();
            let style = if header && i == 0 {
                genpdf::style::Style::new().bold().with_font_size(9)
            } else {
                genpdf::style::Style::new().with_font_size(9)
            };
            r.push_element(
                genpdf::elements::Paragraph::new(genpdf::style::StyledString::new(text, style))
                    .padded(1),
            );
        }
        r.push().map_err(internal)?;
    }
    Ok(t)
}

pub fn agreement_pdf(
    title: &str,
    lang: &str,
    version: &VersionRow,
    signatures: &[AgreementSignature],
) -> Result<Vec<u8>, ApiError> {
    use genpdf::Element as _;
    use genpdf::elements::{Break, PageBreak, Paragraph, UnorderedList};
    use genpdf::style::{Style, StyledString};
    let lang = language(lang);
    let l = labels(lang);
    let mut doc = genpdf::Document::new(font_family()?);
    doc.set_title(title);
    doc.set_font_size(10);
    doc.set_line_spacing(1.25);
    let mut decorator = genpdf::SimplePageDecorator::new();
    decorator.set_margins(18);
    let footer = format!(
        "{} {} · SHA-256 {}",
        l.version, version.number, version.sha256
    );
    decorator.set_header(move |page| {
        Paragraph::new(StyledString::new(
            format!("{footer} · {page}"),
            Style::new().with_font_size(7),
        ))
        .padded(genpdf::Margins::trbl(0, 0, 4, 0))
    });
    doc.set_page_decorator(decorator);
    let mut list: Option<UnorderedList> = None;
    for block in blocks(&version.document) {
        if !matches!(block, Block::Item { .. })
            && let Some(l) = list.take()
        {
            doc.push(l);
            doc.push(Break::new(0.4));
        }
        match block {
            Block::Heading { level, text } => {
                let size = match level {
                    1 => 16,
                    2 => 12,
                    _ => 11,
                };
                doc.push(Break::new(0.6));
                doc.push(Paragraph::new(StyledString::new(
                    text,
                    Style::new().bold().with_font_size(size),
                )));
                doc.push(Break::new(0.3));
            }
            Block::Paragraph { text } => {
                doc.push(Paragraph::new(text));
                doc.push(Break::new(0.4));
            }
            Block::Item { text } => list
                .get_or_insert_with(UnorderedList::new)
                .push(Paragraph::new(text)),
            Block::Table { rows } => {
                doc.push(table(&rows, true)?);
                doc.push(Break::new(0.4));
            }
        }
    }
    if let Some(l) = list.take() {
        doc.push(l);
    }
    doc.push(PageBreak::new());
    doc.push(Paragraph::new(StyledString::new(
        l.evidence,
        Style::new().bold().with_font_size(14),
    )));
    doc.push(Break::new(0.5));
    doc.push(Paragraph::new(l.explanation));
    doc.push(Break::new(0.5));
    doc.push(Paragraph::new(format!("{}: {}", title, version.number)));
    doc.push(Paragraph::new(format!("SHA-256: {}", version.sha256)));
    doc.push(Break::new(0.5));
    if signatures.is_empty() {
        doc.push(Paragraph::new(l.unsigned));
    } else {
        let mut rows = vec![vec![
            l.party.to_owned(),
            l.signer.to_owned(),
            l.method.to_owned(),
            l.time.to_owned(),
        ]];
        for s in signatures {
            rows.push(vec![
                s.organization.name.clone(),
                s.signer_name.clone(),
                method_label(&s.method, lang).to_owned(),
                s.signed_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            ]);
        }
        doc.push(table(&rows, true)?);
        doc.push(Break::new(0.5));
        for s in signatures {
            doc.push(Paragraph::new(StyledString::new(
                format!("{} — {}: {}", s.organization.name, l.seal, s.seal_kid),
                Style::new().with_font_size(8),
            )));
        }
    }
    let mut out = Vec::new();
    doc.render(&mut out).map_err(internal)?;
    Ok(out)
}
