//! A closed request as a Noark 5 archive package: `arkivstruktur.xml` (Noark 5 v5.0) with one
//! arkiv → arkivdel → saksmappe (the case, the resident as its part, screened) → one
//! journalpost per document (the request in, the answer or refusal out, the case history as
//! an internal note), each with its dokumentbeskrivelse and dokumentobjekt (a UTF-8 text
//! file with its SHA-256). The files go beside the XML under `dokumenter/`.
//!
//! Journal numbers are the case's own (1, 2, 3 within the case's year): the package is taken
//! into the municipality's archive system, which numbers its journal itself.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{CaseStatus, RequestKind};

const NAMESPACE: &str = "http://www.arkivverket.no/standarder/noark5/arkivstruktur";
const SCHEMA_LOCATION: &str =
    "http://www.arkivverket.no/standarder/noark5/arkivstruktur arkivstruktur.xsd";
/// Who made the package, as Noark's "opprettetAv" for what the system made.
pub const SYSTEM: &str = "Vern";

/// Which way a document went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the resident (the request).
    Incoming,
    /// To the resident (the answer, the refusal, an extension notice).
    Outgoing,
    /// Within the municipality (the case history).
    Internal,
}

impl Direction {
    /// Noark's journalposttype.
    const fn journalposttype(self) -> &'static str {
        match self {
            Self::Incoming => "Inngående dokument",
            Self::Outgoing => "Utgående dokument",
            Self::Internal => "Organinternt dokument uten oppfølging",
        }
    }
}

/// One document of the case.
#[derive(Clone, PartialEq, Eq)]
pub struct NoarkDocument {
    pub registration_id: Uuid,
    pub description_id: Uuid,
    pub object_id: Uuid,
    pub direction: Direction,
    pub title: String,
    pub at: DateTime<Utc>,
    /// The text, stored as a UTF-8 file.
    pub text: String,
}

impl std::fmt::Debug for NoarkDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoarkDocument")
            .field("direction", &self.direction)
            .field("bytes", &self.text.len())
            .finish_non_exhaustive()
    }
}

/// A closed case, ready to be written.
#[derive(Clone, PartialEq, Eq)]
pub struct NoarkCase {
    pub archive_id: Uuid,
    pub series_id: Uuid,
    pub case_id: Uuid,
    pub organization_name: String,
    pub organization_number: String,
    pub year: i32,
    pub sequence: i32,
    pub kind: RequestKind,
    pub status: CaseStatus,
    pub received_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub closed_at: DateTime<Utc>,
    /// Who handled it (saksansvarlig); "Vern" when nobody was assigned.
    pub caseworker: String,
    /// The resident, as the case's part.
    pub requester_name: String,
    pub documents: Vec<NoarkDocument>,
    pub exported_at: DateTime<Utc>,
}

impl std::fmt::Debug for NoarkCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoarkCase")
            .field("case_id", &self.case_id)
            .field("documents", &self.documents.len())
            .finish_non_exhaustive()
    }
}

/// A file of the package.
#[derive(Clone, PartialEq, Eq)]
pub struct PackageFile {
    /// Relative to the package root: `dokumenter/1.txt`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for PackageFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackageFile({}, {} bytes)", self.path, self.bytes.len())
    }
}

/// The case's title as the archive shows it (Norwegian: the archive's language).
pub const fn case_title(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Access => "Innsyn i personopplysninger (personvernforordningen art. 15)",
        RequestKind::Rectification => {
            "Retting av personopplysninger (personvernforordningen art. 16)"
        }
        RequestKind::Erasure => "Sletting av personopplysninger (personvernforordningen art. 17)",
        RequestKind::Restriction => {
            "Begrenset behandling av personopplysninger (personvernforordningen art. 18)"
        }
        RequestKind::Portability => "Dataportabilitet (personvernforordningen art. 20)",
        RequestKind::Objection => "Protest mot behandling (personvernforordningen art. 21)",
        RequestKind::PartyAccess => "Partsinnsyn (forvaltningsloven § 18)",
    }
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

type Out = Writer<Vec<u8>>;
type XmlResult = Result<(), quick_xml::Error>;

fn text(w: &mut Out, name: &str, value: &str) -> XmlResult {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn open(w: &mut Out, name: &str) -> XmlResult {
    w.write_event(Event::Start(quick_xml::events::BytesStart::new(name)))?;
    Ok(())
}

fn open_typed(w: &mut Out, name: &str, xsi_type: &str) -> XmlResult {
    let mut start = quick_xml::events::BytesStart::new(name);
    start.push_attribute(("xsi:type", xsi_type));
    w.write_event(Event::Start(start))?;
    Ok(())
}

fn close(w: &mut Out, name: &str) -> XmlResult {
    w.write_event(Event::End(quick_xml::events::BytesEnd::new(name)))?;
    Ok(())
}

/// The case's screening: who asked, and what about, is confidential (offentleglova § 13 with
/// forvaltningsloven § 13).
fn screening(w: &mut Out) -> XmlResult {
    open(w, "skjerming")?;
    text(w, "tilgangsrestriksjon", "13")?;
    text(
        w,
        "skjermingshjemmel",
        "Offl. § 13 jf. fvl. § 13 første ledd nr. 1",
    )?;
    text(w, "skjermingMetadata", "Skjerming av tittel")?;
    text(w, "skjermingMetadata", "Skjerming av part")?;
    text(w, "skjermingDokument", "Hele dokumentet")?;
    close(w, "skjerming")
}

fn part(w: &mut Out, name: &str) -> XmlResult {
    open(w, "part")?;
    text(w, "partNavn", name)?;
    text(w, "partRolle", "Den registrerte")?;
    close(w, "part")
}

/// Writes the package: `arkivstruktur.xml` and the documents.
pub fn package(case: &NoarkCase) -> Result<Vec<PackageFile>, quick_xml::Error> {
    let mut files = Vec::with_capacity(case.documents.len() + 1);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = quick_xml::events::BytesStart::new("arkiv");
    root.push_attribute(("xmlns", NAMESPACE));
    root.push_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"));
    root.push_attribute(("xsi:schemaLocation", SCHEMA_LOCATION));
    w.write_event(Event::Start(root))?;
    let created = stamp(case.exported_at);
    let closed = stamp(case.closed_at);
    text(&mut w, "systemID", &case.archive_id.to_string())?;
    text(
        &mut w,
        "tittel",
        &format!(
            "{} – henvendelser om personopplysninger",
            case.organization_name
        ),
    )?;
    text(&mut w, "arkivstatus", "Avsluttet")?;
    text(&mut w, "dokumentmedium", "Elektronisk arkiv")?;
    text(&mut w, "opprettetDato", &created)?;
    text(&mut w, "opprettetAv", SYSTEM)?;
    text(&mut w, "avsluttetDato", &created)?;
    text(&mut w, "avsluttetAv", SYSTEM)?;
    open(&mut w, "arkivskaper")?;
    text(&mut w, "arkivskaperID", &case.organization_number)?;
    text(&mut w, "arkivskaperNavn", &case.organization_name)?;
    close(&mut w, "arkivskaper")?;

    open(&mut w, "arkivdel")?;
    text(&mut w, "systemID", &case.series_id.to_string())?;
    text(
        &mut w,
        "tittel",
        &format!(
            "Henvendelser om personopplysninger, sak {}/{}",
            case.year, case.sequence
        ),
    )?;
    text(&mut w, "arkivdelstatus", "Avsluttet periode")?;
    text(&mut w, "dokumentmedium", "Elektronisk arkiv")?;
    text(&mut w, "opprettetDato", &created)?;
    text(&mut w, "opprettetAv", SYSTEM)?;
    text(&mut w, "avsluttetDato", &created)?;
    text(&mut w, "avsluttetAv", SYSTEM)?;

    open_typed(&mut w, "mappe", "saksmappe")?;
    text(&mut w, "systemID", &case.case_id.to_string())?;
    text(
        &mut w,
        "mappeID",
        &format!("{}/{}", case.year, case.sequence),
    )?;
    text(&mut w, "tittel", case_title(case.kind))?;
    text(
        &mut w,
        "offentligTittel",
        "Henvendelse om personopplysninger",
    )?;
    text(&mut w, "dokumentmedium", "Elektronisk arkiv")?;
    text(&mut w, "opprettetDato", &stamp(case.received_at))?;
    text(&mut w, "opprettetAv", SYSTEM)?;
    text(&mut w, "avsluttetDato", &closed)?;
    text(&mut w, "avsluttetAv", &case.caseworker)?;
    part(&mut w, &case.requester_name)?;
    screening(&mut w)?;
    for (index, doc) in case.documents.iter().enumerate() {
        let number = index + 1;
        let path = format!("dokumenter/{number}.txt");
        let bytes = doc.text.as_bytes().to_vec();
        let checksum = crate::connector::hex(&Sha256::digest(&bytes));
        let at = stamp(doc.at);
        open_typed(&mut w, "registrering", "journalpost")?;
        text(&mut w, "systemID", &doc.registration_id.to_string())?;
        text(&mut w, "opprettetDato", &at)?;
        text(&mut w, "opprettetAv", SYSTEM)?;
        text(&mut w, "arkivertDato", &created)?;
        text(&mut w, "arkivertAv", SYSTEM)?;
        if doc.direction != Direction::Internal {
            part(&mut w, &case.requester_name)?;
        }
        screening(&mut w)?;
        open(&mut w, "dokumentbeskrivelse")?;
        text(&mut w, "systemID", &doc.description_id.to_string())?;
        text(
            &mut w,
            "dokumenttype",
            if doc.direction == Direction::Internal {
                "Notat"
            } else {
                "Brev"
            },
        )?;
        text(&mut w, "dokumentstatus", "Dokumentet er ferdigstilt")?;
        text(&mut w, "tittel", &doc.title)?;
        text(&mut w, "opprettetDato", &at)?;
        text(&mut w, "opprettetAv", SYSTEM)?;
        text(&mut w, "tilknyttetRegistreringSom", "Hoveddokument")?;
        text(&mut w, "dokumentnummer", "1")?;
        text(&mut w, "tilknyttetDato", &at)?;
        text(&mut w, "tilknyttetAv", SYSTEM)?;
        open(&mut w, "dokumentobjekt")?;
        text(&mut w, "systemID", &doc.object_id.to_string())?;
        text(&mut w, "versjonsnummer", "1")?;
        text(&mut w, "variantformat", "Arkivformat")?;
        text(&mut w, "format", "TXT")?;
        text(&mut w, "formatDetaljer", "UTF-8")?;
        text(&mut w, "opprettetDato", &at)?;
        text(&mut w, "opprettetAv", SYSTEM)?;
        text(&mut w, "referanseDokumentfil", &path)?;
        text(&mut w, "sjekksum", &checksum)?;
        text(&mut w, "sjekksumAlgoritme", "SHA256")?;
        text(&mut w, "filstoerrelse", &bytes.len().to_string())?;
        close(&mut w, "dokumentobjekt")?;
        close(&mut w, "dokumentbeskrivelse")?;
        text(&mut w, "tittel", &doc.title)?;
        text(
            &mut w,
            "offentligTittel",
            "Henvendelse om personopplysninger",
        )?;
        text(&mut w, "journalaar", &case.year.to_string())?;
        text(&mut w, "journalsekvensnummer", &number.to_string())?;
        text(&mut w, "journalpostnummer", &number.to_string())?;
        text(&mut w, "journalposttype", doc.direction.journalposttype())?;
        text(&mut w, "journalstatus", "Arkivert")?;
        text(&mut w, "journaldato", &doc.at.date_naive().to_string())?;
        text(&mut w, "dokumentetsDato", &doc.at.date_naive().to_string())?;
        match doc.direction {
            Direction::Incoming => text(&mut w, "mottattDato", &stamp(case.received_at))?,
            Direction::Outgoing => text(&mut w, "sendtDato", &at)?,
            Direction::Internal => {}
        }
        close(&mut w, "registrering")?;
        files.push(PackageFile { path, bytes });
    }
    text(&mut w, "saksaar", &case.year.to_string())?;
    text(&mut w, "sakssekvensnummer", &case.sequence.to_string())?;
    text(&mut w, "saksdato", &case.received_on.to_string())?;
    text(&mut w, "administrativEnhet", "Personvern")?;
    text(&mut w, "saksansvarlig", &case.caseworker)?;
    text(&mut w, "saksstatus", "Avsluttet")?;
    close(&mut w, "mappe")?;
    close(&mut w, "arkivdel")?;
    close(&mut w, "arkiv")?;
    let mut xml = w.into_inner();
    xml.push(b'\n');
    files.insert(
        0,
        PackageFile {
            path: "arkivstruktur.xml".into(),
            bytes: xml,
        },
    );
    Ok(files)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn case() -> NoarkCase {
        let at = |d: u32| {
            chrono::NaiveDate::from_ymd_opt(2027, 3, d)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap()
                .and_utc()
        };
        NoarkCase {
            archive_id: Uuid::from_u128(1),
            series_id: Uuid::from_u128(2),
            case_id: Uuid::from_u128(3),
            organization_name: "Testkommune".into(),
            organization_number: "974760673".into(),
            year: 2027,
            sequence: 12,
            kind: RequestKind::Access,
            status: CaseStatus::Answered,
            received_at: at(1),
            received_on: at(1).date_naive(),
            closed_at: at(20),
            caseworker: "Saksbehandler <Test> & co".into(),
            requester_name: "Testperson Lia".into(),
            documents: vec![
                NoarkDocument {
                    registration_id: Uuid::from_u128(10),
                    description_id: Uuid::from_u128(11),
                    object_id: Uuid::from_u128(12),
                    direction: Direction::Incoming,
                    title: "Henvendelse".into(),
                    at: at(1),
                    text: "Jeg ber om innsyn.".into(),
                },
                NoarkDocument {
                    registration_id: Uuid::from_u128(20),
                    description_id: Uuid::from_u128(21),
                    object_id: Uuid::from_u128(22),
                    direction: Direction::Outgoing,
                    title: "Svar".into(),
                    at: at(20),
                    text: "Her er opplysningene.".into(),
                },
            ],
            exported_at: at(21),
        }
    }

    #[test]
    fn the_package_holds_the_xml_and_one_file_per_document_with_its_checksum() {
        let files = package(&case()).unwrap();
        assert_eq!(
            files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
            vec!["arkivstruktur.xml", "dokumenter/1.txt", "dokumenter/2.txt"]
        );
        let xml = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains("<mappe xsi:type=\"saksmappe\">"));
        assert!(xml.contains("<mappeID>2027/12</mappeID>"));
        // sha256("Jeg ber om innsyn.")
        let expected = Sha256::digest("Jeg ber om innsyn.".as_bytes());
        let hex: String = expected.iter().map(|b| format!("{b:02x}")).collect();
        assert!(xml.contains(&format!("<sjekksum>{hex}</sjekksum>")));
        assert!(xml.contains("<filstoerrelse>18</filstoerrelse>"));
        assert!(xml.contains("<journalposttype>Inngående dokument</journalposttype>"));
        assert!(xml.contains("<sendtDato>2027-03-20T09:00:00Z</sendtDato>"));
        // Text is escaped by the writer.
        assert!(xml.contains("Saksbehandler &lt;Test&gt; &amp; co"));
        assert_eq!(files[2].bytes, "Her er opplysningene.".as_bytes());
    }

    #[test]
    fn the_screening_names_its_legal_ground() {
        let xml = String::from_utf8(package(&case()).unwrap()[0].bytes.clone()).unwrap();
        assert!(xml.contains("<tilgangsrestriksjon>13</tilgangsrestriksjon>"));
        assert!(
            xml.contains("<offentligTittel>Henvendelse om personopplysninger</offentligTittel>")
        );
        // The resident's name is only in the parts, never in a public title.
        assert!(!xml.contains("<offentligTittel>Testperson"));
    }
}
