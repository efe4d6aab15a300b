//! Files a resident attaches to a request (a letter, a decision they refer to, a scan of an
//! identity document). The type is read from the file's own first bytes, never taken from
//! the name or the header the browser sent, and only a few harmless types are accepted.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The largest file accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
/// The most files one request may carry.
pub const MAX_ATTACHMENTS: usize = 5;
/// The longest file name kept.
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// The kinds of file accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    /// Plain UTF-8 text.
    Text,
}

impl FileKind {
    pub const fn media_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Text => "text/plain; charset=utf-8",
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Png => "png",
            Self::Jpeg => "jpeg",
            Self::Text => "text",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        [Self::Pdf, Self::Png, Self::Jpeg, Self::Text]
            .into_iter()
            .find(|k| k.as_str() == input)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than 5 MiB")]
    TooLarge,
    #[error("only PDF, PNG, JPEG and plain text files are accepted")]
    UnsupportedType,
    #[error("the file name is missing, too long or holds a path or control characters")]
    BadName,
}

impl FileError {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLarge => "too_large",
            Self::UnsupportedType => "unsupported_file_type",
            Self::BadName => "invalid_file_name",
        }
    }
}

/// What the bytes are, by their signature: PDF (`%PDF-`), PNG, JPEG, or UTF-8 text without
/// NUL or other control characters than tab, line feed, carriage return and form feed.
pub fn sniff(bytes: &[u8]) -> Result<FileKind, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(FileError::TooLarge);
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(FileKind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(FileKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(FileKind::Jpeg);
    }
    match std::str::from_utf8(bytes) {
        Ok(text)
            if text
                .chars()
                .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}')) =>
        {
            Ok(FileKind::Text)
        }
        _ => Err(FileError::UnsupportedType),
    }
}

/// Why no more files can be attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AttachRefusal {
    #[error("files can be attached only while the case is open")]
    CaseClosed,
    #[error("a request carries at most five files")]
    Full,
}

/// Whether a file may be added to a request that is open or not and holds `existing` files.
pub fn may_attach(case_open: bool, existing: usize) -> Result<(), AttachRefusal> {
    if !case_open {
        Err(AttachRefusal::CaseClosed)
    } else if existing >= MAX_ATTACHMENTS {
        Err(AttachRefusal::Full)
    } else {
        Ok(())
    }
}

/// The file name as kept: trimmed, without any path, 1–200 characters, no control characters.
pub fn check_file_name(input: &str) -> Result<String, FileError> {
    let name = input.trim();
    if name.is_empty()
        || name.chars().count() > MAX_FILE_NAME_CHARS
        || name.contains(['/', '\\'])
        || name == "."
        || name == ".."
        || name.chars().any(char::is_control)
    {
        return Err(FileError::BadName);
    }
    Ok(name.to_owned())
}

/// An attached file as lists show it. The name is the resident's and is personal data: shown
/// to the resident and the caseworkers only, and purged with the contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: Uuid,
    /// `None` once purged.
    pub file_name: Option<String>,
    pub kind: FileKind,
    pub size: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentList {
    /// At most five.
    pub items: Vec<Attachment>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn files_are_known_by_their_first_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Ok(FileKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Ok(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Ok(FileKind::Jpeg));
        assert_eq!(
            sniff("Brev fra kommunen\r\n\tside 2".as_bytes()),
            Ok(FileKind::Text)
        );
        assert_eq!(sniff(b"MZ\x90\0\x03"), Err(FileError::UnsupportedType));
        assert_eq!(sniff(b"<html>\0"), Err(FileError::UnsupportedType));
        assert_eq!(sniff(&[0xC3, 0x28]), Err(FileError::UnsupportedType));
        assert_eq!(sniff(b""), Err(FileError::Empty));
        let big = vec![b'a'; MAX_ATTACHMENT_BYTES + 1];
        assert_eq!(sniff(&big), Err(FileError::TooLarge));
        assert_eq!(sniff(&big[..MAX_ATTACHMENT_BYTES]), Ok(FileKind::Text));
    }

    #[test]
    fn file_names_hold_no_path() {
        assert_eq!(
            check_file_name("  vedtak 2026.pdf "),
            Ok("vedtak 2026.pdf".to_owned())
        );
        for bad in [
            "",
            "  ",
            "../etc/passwd",
            "a\\b.pdf",
            "..",
            "a\nb",
            &"x".repeat(201),
        ] {
            assert_eq!(check_file_name(bad), Err(FileError::BadName), "{bad:?}");
        }
    }

    #[test]
    fn files_are_added_to_open_cases_up_to_five() {
        assert_eq!(may_attach(true, 0), Ok(()));
        assert_eq!(may_attach(true, MAX_ATTACHMENTS - 1), Ok(()));
        assert_eq!(may_attach(true, MAX_ATTACHMENTS), Err(AttachRefusal::Full));
        assert_eq!(may_attach(false, 0), Err(AttachRefusal::CaseClosed));
    }

    #[test]
    fn kinds_read_back_from_their_names() {
        for k in [FileKind::Pdf, FileKind::Png, FileKind::Jpeg, FileKind::Text] {
            assert_eq!(FileKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(FileKind::parse("exe"), None);
    }

    proptest! {
        #[test]
        fn a_file_with_a_nul_and_no_signature_is_never_accepted(
            head in proptest::collection::vec(1u8..=255, 0..64),
            tail in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let mut bytes = head.clone();
            bytes.push(0);
            bytes.extend(tail);
            let signed = bytes.starts_with(b"%PDF-")
                || bytes.starts_with(b"\x89PNG\r\n\x1a\n")
                || bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
            prop_assert!(signed || sniff(&bytes).is_err());
        }

        #[test]
        fn any_text_without_controls_is_text(s in "[^\\p{Cc}]{1,200}") {
            prop_assert_eq!(sniff(s.as_bytes()), if s.starts_with("%PDF-") { Ok(FileKind::Pdf) } else { Ok(FileKind::Text) });
        }

        #[test]
        fn a_kept_name_never_has_a_separator(s in ".{0,250}") {
            if let Ok(name) = check_file_name(&s) {
                prop_assert!(!name.contains('/') && !name.contains('\\'));
                prop_assert!(!name.is_empty() && name.chars().count() <= MAX_FILE_NAME_CHARS);
            }
        }
    }
}
