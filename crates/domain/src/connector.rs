//! The connector protocol: how Vern asks a system for what it holds about a person, and how
//! the system answers.
//!
//! Vern POSTs a JSON message to the system's endpoint — a [`TaskMessage`] (find, and for
//! access requests deliver, what you hold about this person) or a [`LookupMessage`] (do you
//! hold anything at all?). A task is answered at once (`200` with a [`TaskAnswer`]) or
//! accepted (`202`) and answered later by a POST of a [`Callback`] to the task's
//! `callback_url`. Every message in either direction is signed:
//!
//! ```text
//! Vern-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//! ```
//!
//! The secret is the one Vern showed once when the connector was set up. A receiver refuses
//! a signature that does not verify, a timestamp more than [`TOLERANCE_SECONDS`] away from its
//! own clock, and a `delivery_id` it has seen before (each message carries a fresh one inside
//! the signed body), so a captured message cannot be replayed.
//!
//! This module holds the message types, the signing rules and the retry schedule; sending
//! and storing are the server's.

use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use crate::requests::RequestKind;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Vern-Signature";
/// How far a signature's timestamp may be from the receiver's clock.
pub const TOLERANCE_SECONDS: i64 = 300;
/// The most a system may send back in one answer or callback.
pub const MAX_ANSWER_BYTES: usize = 1024 * 1024;
/// Sending a task is tried this many times before it becomes a manual task.
pub const MAX_ATTEMPTS: u32 = 5;

type HmacSha256 = Hmac<Sha256>;

/// Who the request is about. Only what the system needs to find the person.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subject {
    /// Fødselsnummer or D-number, 11 digits.
    #[cfg_attr(feature = "openapi", schema(example = "02813299952"))]
    pub national_id: String,
}

impl std::fmt::Debug for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Subject([redacted])")
    }
}

/// A task sent to a system: what it holds about the subject, for the request's kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskMessage {
    /// Always `task`.
    #[cfg_attr(feature = "openapi", schema(example = "task"))]
    pub r#type: String,
    /// Fresh for every delivery, also for a retry: the receiver refuses one it has seen.
    pub delivery_id: Uuid,
    pub task_id: Uuid,
    /// What the resident asked for (access, erasure …): the system acts accordingly.
    pub request_kind: RequestKind,
    pub subject: Subject,
    /// Where to POST the [`Callback`] when the answer comes later.
    pub callback_url: String,
    /// The last day (Europe/Oslo) Vern needs the answer by.
    pub respond_by: NaiveDate,
    pub sent_at: DateTime<Utc>,
}

/// "Do you hold anything about this person?" — answered at once with a [`LookupAnswer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupMessage {
    /// Always `lookup`.
    #[cfg_attr(feature = "openapi", schema(example = "lookup"))]
    pub r#type: String,
    pub delivery_id: Uuid,
    pub subject: Subject,
    pub sent_at: DateTime<Utc>,
}

/// A system's reply to a [`LookupMessage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupAnswer {
    pub holds: bool,
}

/// What the system found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskOutcome {
    /// Nothing about the person.
    NoData,
    /// Data about the person: in `package` and `files`.
    Data,
    /// The system could not answer; the task goes to its owner by hand.
    Error,
}

impl TaskOutcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NoData => "no_data",
            Self::Data => "data",
            Self::Error => "error",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        [Self::NoData, Self::Data, Self::Error]
            .into_iter()
            .find(|o| o.as_str() == input)
    }
}

/// A file in a data package (a letter, a scanned form).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageFile {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "vedtak-2026-08-14.pdf", max_length = 200)
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "application/pdf", max_length = 100)
    )]
    pub media_type: String,
    /// The file's bytes, standard base64.
    pub content_base64: String,
}

impl std::fmt::Debug for PackageFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackageFile({} bytes)", self.content_base64.len())
    }
}

/// A system's answer to a task, given at once (`200`) or in a [`Callback`].
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskAnswer {
    pub outcome: TaskOutcome,
    /// The data as JSON, structured as the system likes (with `outcome: data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub package: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<PackageFile>,
    /// With `outcome: error`: a short machine-readable reason (`not_found_in_index`,
    /// `maintenance`). Never personal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub error_code: Option<String>,
}

impl std::fmt::Debug for TaskAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskAnswer")
            .field("outcome", &self.outcome)
            .field("files", &self.files.len())
            .field("error_code", &self.error_code)
            .finish_non_exhaustive()
    }
}

/// A later answer, POSTed by the system to the task's `callback_url`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Callback {
    /// Fresh for every callback; Vern refuses one it has seen.
    pub delivery_id: Uuid,
    pub task_id: Uuid,
    #[serde(flatten)]
    pub answer: TaskAnswer,
}

/// Why an answer is not acceptable, whatever its signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("a data answer must carry a package or files")]
    EmptyData,
    #[error("only a data answer carries a package or files")]
    UnexpectedData,
    #[error("an error answer needs a short error code (letters, digits, _ . -, at most 64)")]
    ErrorCode,
    #[error("a file needs a name, a media type and base64 content")]
    File,
}

impl AnswerError {
    pub const fn code(self) -> &'static str {
        match self {
            Self::EmptyData => "empty_data",
            Self::UnexpectedData => "unexpected_data",
            Self::ErrorCode => "invalid_error_code",
            Self::File => "invalid_file",
        }
    }
}

/// Checks an answer's shape: data comes with something, "no data" with nothing, an error
/// with a code that cannot carry personal data.
pub fn check_answer(answer: &TaskAnswer) -> Result<(), AnswerError> {
    let has_data =
        answer.package.as_ref().is_some_and(|p| !p.is_null()) || !answer.files.is_empty();
    match answer.outcome {
        TaskOutcome::Data if !has_data => return Err(AnswerError::EmptyData),
        TaskOutcome::NoData | TaskOutcome::Error if has_data => {
            return Err(AnswerError::UnexpectedData);
        }
        _ => {}
    }
    if answer.outcome == TaskOutcome::Error {
        let ok = answer.error_code.as_deref().is_some_and(|c| {
            !c.is_empty()
                && c.len() <= 64
                && c.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-'))
        });
        if !ok {
            return Err(AnswerError::ErrorCode);
        }
    }
    for file in &answer.files {
        use base64::Engine as _;
        let name = file.name.trim();
        if name.is_empty()
            || name.chars().count() > 200
            || file.media_type.trim().is_empty()
            || file.media_type.len() > 100
            || base64::engine::general_purpose::STANDARD
                .decode(&file.content_base64)
                .is_err()
        {
            return Err(AnswerError::File);
        }
    }
    Ok(())
}

/// Why a signed message was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature header is missing or malformed")]
    Malformed,
    #[error("the signature's timestamp is too far from now")]
    Stale,
    #[error("the signature does not match the body")]
    Mismatch,
}

impl SignatureError {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Malformed => "signature_malformed",
            Self::Stale => "signature_stale",
            Self::Mismatch => "signature_mismatch",
        }
    }
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Lower-case hex, as signatures and checksums are written.
/// SHA-256 of the bytes, lower-case hex: checksums of files, hashes of tokens.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// The `Vern-Signature` value for `body` sent at `timestamp` (unix seconds).
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    sign_with_each(&[secret], timestamp, body)
}

/// The `Vern-Signature` value with one `v1` tag per secret, in order: while a secret is
/// replaced, the new and the old one both sign, and [`verify`] accepts either.
pub fn sign_with_each(secrets: &[&[u8]], timestamp: i64, body: &[u8]) -> String {
    let mut header = format!("t={timestamp}");
    for secret in secrets {
        let tag = mac(secret, timestamp, body).finalize().into_bytes();
        header.push_str(",v1=");
        header.push_str(&hex(&tag));
    }
    header
}

/// Checks a `Vern-Signature` value against the body, at `now` (unix seconds). The comparison
/// takes the same time whatever the bytes (the `hmac` crate's `verify_slice`). Returns the
/// signed timestamp.
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: i64) -> Result<i64, SignatureError> {
    let mut timestamp = None;
    let mut tags = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => timestamp = v.parse::<i64>().ok(),
            Some(("v1", v)) => tags.push(unhex(v).ok_or(SignatureError::Malformed)?),
            // Other schemes may come later; ignore what we do not know.
            Some(_) => {}
            None => return Err(SignatureError::Malformed),
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if tags.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - timestamp).abs() > TOLERANCE_SECONDS {
        return Err(SignatureError::Stale);
    }
    // More than one v1 tag lets a sender sign with the old and the new secret while it rotates.
    if tags
        .iter()
        .any(|tag| mac(secret, timestamp, body).verify_slice(tag).is_ok())
    {
        Ok(timestamp)
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// A system's connector as the register shows it. The secret is never shown again after it
/// was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectorView {
    pub system_id: Uuid,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://skole.example.org/vern/tasks")
    )]
    pub endpoint: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub revision: i32,
}

/// Whether a system has a connector, and which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemConnector {
    pub system_id: Uuid,
    /// `null`: none; the system's tasks are answered by its owner.
    pub connector: Option<ConnectorView>,
}

/// Set up or change a system's connector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectorInput {
    /// `https://…` (plain `http://` only to a loopback address). Left out: the catalogue
    /// product's connector endpoint.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub endpoint: Option<String>,
    /// Make a new shared secret (the old one stops working at once). A new connector always
    /// gets one.
    #[serde(default)]
    pub rotate_secret: bool,
}

/// The connector, and — when one was made — the shared secret, shown this once. Give it to
/// the system's operator: the system verifies Vern's messages and signs its callbacks with it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectorSetup {
    pub connector: ConnectorView,
    pub secret: Option<String>,
}

impl std::fmt::Debug for ConnectorSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectorSetup")
            .field("connector", &self.connector)
            .finish_non_exhaustive()
    }
}

/// Why an endpoint cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("not an absolute http(s) URL")]
    Invalid,
    #[error("must use https (plain http only to this machine's loopback address)")]
    NotHttps,
    #[error("must not carry a user name, password or fragment")]
    Credentials,
}

impl EndpointError {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Invalid => "invalid_url",
            Self::NotHttps => "https_required",
            Self::Credentials => "credentials_in_url",
        }
    }
}

/// The host of an `scheme://authority/…` address (brackets taken off an IPv6 literal).
fn host_of(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit('@').next().unwrap_or_default();
    if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    }
}

/// True when the address's host is this machine's loopback (`127.0.0.0/8`, `::1`,
/// `localhost`): the only place plain http, test logins and test providers are allowed.
pub fn is_loopback_url(input: &str) -> bool {
    let Some((_, rest)) = input.trim().split_once("://") else {
        return false;
    };
    let host = host_of(rest);
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A system's endpoint: `https://…`, or `http://` to a loopback address (a system running
/// beside Vern, tests). Returns it trimmed.
pub fn check_endpoint(input: &str) -> Result<String, EndpointError> {
    let trimmed = input.trim();
    let (scheme, rest) = trimmed.split_once("://").ok_or(EndpointError::Invalid)?;
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.is_empty() || trimmed.len() > 500 || trimmed.chars().any(char::is_whitespace) {
        return Err(EndpointError::Invalid);
    }
    if authority.contains('@') || trimmed.contains('#') {
        return Err(EndpointError::Credentials);
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(trimmed.to_owned()),
        "http" if is_loopback_url(trimmed) => Ok(trimmed.to_owned()),
        "http" => Err(EndpointError::NotHttps),
        _ => Err(EndpointError::Invalid),
    }
}

/// How long to wait before attempt `attempt` (1 is the first retry): `base` doubled each
/// time, at most an hour.
pub fn backoff(base: std::time::Duration, attempt: u32) -> std::time::Duration {
    let factor = 1u32 << attempt.saturating_sub(1).min(16);
    base.saturating_mul(factor)
        .min(std::time::Duration::from_secs(3600))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECRET: &[u8] = b"a shared secret of some length";

    #[test]
    fn loopback_addresses_are_told_apart() {
        for yes in [
            "http://127.0.0.1:8090",
            "http://localhost/cb",
            "http://[::1]:1/x",
            "http://127.1.2.3",
        ] {
            assert!(is_loopback_url(yes), "{yes}");
        }
        for no in [
            "https://login.idporten.no",
            "http://10.0.0.1",
            "http://localhost.example.org",
            "http://127.0.0.1@evil.example.org",
            "not a url",
        ] {
            assert!(!is_loopback_url(no), "{no}");
        }
    }

    #[test]
    fn a_signature_verifies_with_the_same_secret_body_and_time() {
        let header = sign(SECRET, 1_780_000_000, b"{\"a\":1}");
        assert!(header.starts_with("t=1780000000,v1="));
        assert_eq!(
            verify(SECRET, &header, b"{\"a\":1}", 1_780_000_010),
            Ok(1_780_000_000)
        );
    }

    #[test]
    fn a_header_signed_with_two_secrets_verifies_with_either_and_no_other() {
        let body = b"{\"a\":1}";
        let header = sign_with_each(&[b"new-secret", b"old-secret"], 1_780_000_000, body);
        assert_eq!(header.matches(",v1=").count(), 2);
        assert!(header.starts_with(&sign(b"new-secret", 1_780_000_000, body)));
        for secret in [&b"new-secret"[..], b"old-secret"] {
            assert_eq!(
                verify(secret, &header, body, 1_780_000_000),
                Ok(1_780_000_000)
            );
        }
        assert_eq!(
            verify(b"third", &header, body, 1_780_000_000),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_changed_body_secret_or_timestamp_is_refused() {
        let header = sign(SECRET, 1_780_000_000, b"{\"a\":1}");
        assert_eq!(
            verify(SECRET, &header, b"{\"a\":2}", 1_780_000_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"another secret", &header, b"{\"a\":1}", 1_780_000_000),
            Err(SignatureError::Mismatch)
        );
        let moved = header.replace("t=1780000000", "t=1780000001");
        assert_eq!(
            verify(SECRET, &moved, b"{\"a\":1}", 1_780_000_000),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn an_old_or_future_timestamp_is_stale() {
        let header = sign(SECRET, 1_780_000_000, b"x");
        assert_eq!(
            verify(SECRET, &header, b"x", 1_780_000_000 + TOLERANCE_SECONDS + 1),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(SECRET, &header, b"x", 1_780_000_000 - TOLERANCE_SECONDS - 1),
            Err(SignatureError::Stale)
        );
        assert!(verify(SECRET, &header, b"x", 1_780_000_000 + TOLERANCE_SECONDS).is_ok());
    }

    #[test]
    fn malformed_headers_are_refused() {
        for header in [
            "",
            "t=1",
            "v1=00",
            "t=x,v1=00",
            "t=1,v1=zz",
            "garbage",
            "t=1,v1=abc",
        ] {
            assert_eq!(
                verify(SECRET, header, b"x", 1),
                Err(SignatureError::Malformed),
                "{header}"
            );
        }
    }

    #[test]
    fn a_rotating_sender_may_sign_twice() {
        let old = sign(b"old", 100, b"x");
        let new = sign(SECRET, 100, b"x");
        let both = format!("{old},{}", new.split_once(',').unwrap().1);
        assert!(verify(SECRET, &both, b"x", 100).is_ok());
        assert!(verify(b"old", &both, b"x", 100).is_ok());
        assert_eq!(
            verify(b"third", &both, b"x", 100),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn endpoints_need_https_except_on_loopback() {
        assert_eq!(
            check_endpoint(" https://skole.example.org/vern "),
            Ok("https://skole.example.org/vern".into())
        );
        assert!(check_endpoint("http://127.0.0.1:8090/vern").is_ok());
        assert!(check_endpoint("http://localhost:8090").is_ok());
        assert!(check_endpoint("http://[::1]:8090/x").is_ok());
        assert_eq!(
            check_endpoint("http://skole.example.org/vern"),
            Err(EndpointError::NotHttps)
        );
        assert_eq!(
            check_endpoint("http://10.0.0.5/vern"),
            Err(EndpointError::NotHttps)
        );
        assert_eq!(
            check_endpoint("https://user:pw@skole.example.org"),
            Err(EndpointError::Credentials)
        );
        for bad in [
            "",
            "skole.example.org",
            "ftp://x.example.org",
            "https://",
            "https://a b",
        ] {
            assert_eq!(check_endpoint(bad), Err(EndpointError::Invalid), "{bad}");
        }
    }

    #[test]
    fn answers_carry_data_only_when_they_say_so() {
        let mut answer = TaskAnswer {
            outcome: TaskOutcome::Data,
            package: None,
            files: vec![],
            error_code: None,
        };
        assert_eq!(check_answer(&answer), Err(AnswerError::EmptyData));
        answer.package = Some(serde_json::json!({"elev": {"klasse": "5B"}}));
        assert_eq!(check_answer(&answer), Ok(()));
        answer.outcome = TaskOutcome::NoData;
        assert_eq!(check_answer(&answer), Err(AnswerError::UnexpectedData));
        answer.package = None;
        assert_eq!(check_answer(&answer), Ok(()));
        answer.outcome = TaskOutcome::Error;
        assert_eq!(check_answer(&answer), Err(AnswerError::ErrorCode));
        answer.error_code = Some("Kari Nordmann".into());
        assert_eq!(check_answer(&answer), Err(AnswerError::ErrorCode));
        answer.error_code = Some("maintenance".into());
        assert_eq!(check_answer(&answer), Ok(()));
        let bad_file = TaskAnswer {
            outcome: TaskOutcome::Data,
            package: None,
            files: vec![PackageFile {
                name: "brev.pdf".into(),
                media_type: "application/pdf".into(),
                content_base64: "not base64!".into(),
            }],
            error_code: None,
        };
        assert_eq!(check_answer(&bad_file), Err(AnswerError::File));
    }

    #[test]
    fn a_callback_reads_flat() {
        let json = serde_json::json!({
            "delivery_id": "0196f0a0-0000-7000-8000-000000000001",
            "task_id": "0196f0a0-0000-7000-8000-000000000002",
            "outcome": "no_data"
        });
        let callback: Callback = serde_json::from_value(json).unwrap();
        assert_eq!(callback.answer.outcome, TaskOutcome::NoData);
    }

    #[test]
    fn debug_never_shows_the_subject() {
        let subject = Subject {
            national_id: "02813299952".into(),
        };
        assert!(!format!("{subject:?}").contains("0281"));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = std::time::Duration::from_secs(2);
        assert_eq!(backoff(base, 1), std::time::Duration::from_secs(2));
        assert_eq!(backoff(base, 2), std::time::Duration::from_secs(4));
        assert_eq!(backoff(base, 4), std::time::Duration::from_secs(16));
        assert_eq!(backoff(base, 40), std::time::Duration::from_secs(3600));
    }

    proptest! {
        #[test]
        fn any_body_signed_verifies_and_any_flipped_byte_does_not(
            body in proptest::collection::vec(any::<u8>(), 0..256),
            secret in proptest::collection::vec(any::<u8>(), 1..64),
            at in 0i64..4_000_000_000,
            skew in -TOLERANCE_SECONDS..=TOLERANCE_SECONDS,
            flip in any::<prop::sample::Index>(),
        ) {
            let header = sign(&secret, at, &body);
            prop_assert_eq!(verify(&secret, &header, &body, at + skew), Ok(at));
            if !body.is_empty() {
                let mut changed = body.clone();
                let i = flip.index(changed.len());
                changed[i] ^= 0x01;
                prop_assert_eq!(verify(&secret, &header, &changed, at), Err(SignatureError::Mismatch));
            }
        }

        #[test]
        fn verify_never_panics(header in ".{0,200}", body in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = verify(SECRET, &header, &body, 1_780_000_000);
        }
    }
}
