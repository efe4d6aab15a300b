//! Keyset pagination as the API promises it: `?limit=` (default 50, at most 500) and an
//! opaque `?cursor=`; a page is `{ "items": [...], "next_cursor": "..." | null }`.
//!
//! A cursor is the sort key of the last item on the previous page, serialised to JSON and
//! base64url-encoded. Clients must treat it as opaque; the server refuses one it cannot read
//! with 422 `invalid_cursor`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;
/// Longer than any cursor Vern makes; refusing early keeps decoding cheap.
const MAX_CURSOR_LEN: usize = 1024;

/// A page size within the allowed range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("limit must be between 1 and {MAX_LIMIT}")]
pub struct LimitError;

impl Limit {
    pub fn parse(requested: Option<u32>) -> Result<Self, LimitError> {
        match requested {
            None => Ok(Self(DEFAULT_LIMIT)),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(Self(n)),
            Some(_) => Err(LimitError),
        }
    }

    pub const fn get(self) -> u32 {
        self.0
    }

    /// One more than the page size: fetching it tells whether a next page exists.
    pub const fn probe(self) -> u64 {
        self.0 as u64 + 1
    }
}

impl Default for Limit {
    fn default() -> Self {
        Self(DEFAULT_LIMIT)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the cursor is not one this server issued")]
pub struct CursorError;

pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    // Serialising a plain key struct cannot fail; an empty cursor would only restart paging.
    let json = serde_json::to_vec(key).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

pub fn decode_cursor<K: DeserializeOwned>(cursor: &str) -> Result<K, CursorError> {
    if cursor.is_empty() || cursor.len() > MAX_CURSOR_LEN {
        return Err(CursorError);
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| CursorError)?;
    serde_json::from_slice(&bytes).map_err(|_| CursorError)
}

/// Cuts a fetched `limit + 1` rows down to one page and computes the next cursor from the
/// last item kept.
pub fn paginate<T, K: Serialize>(
    mut rows: Vec<T>,
    limit: Limit,
    key_of: impl Fn(&T) -> K,
) -> (Vec<T>, Option<String>) {
    let page_size = limit.get() as usize;
    if rows.len() > page_size {
        rows.truncate(page_size);
        let next = rows.last().map(|last| encode_cursor(&key_of(last)));
        (rows, next)
    } else {
        (rows, None)
    }
}

/// Declares a named page type (`OrganizationPage`, …) so generated clients get a clear name
/// instead of a generic one.
macro_rules! page_type {
    ($(#[$meta:meta])* $name:ident, $item:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` to get the next page; `null` on the last page.
            pub next_cursor: Option<String>,
        }
    };
}
pub(crate) use page_type;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Key {
        s: String,
        i: u64,
    }

    #[test]
    fn limit_defaults_to_50_and_refuses_0_and_over_500() {
        assert_eq!(Limit::parse(None).unwrap().get(), 50);
        assert_eq!(Limit::parse(Some(500)).unwrap().get(), 500);
        assert_eq!(Limit::parse(Some(1)).unwrap().get(), 1);
        assert_eq!(Limit::parse(Some(0)), Err(LimitError));
        assert_eq!(Limit::parse(Some(501)), Err(LimitError));
    }

    #[test]
    fn garbage_cursors_are_refused() {
        for bad in ["", "!!!", "bm90IGpzb24", "e30", &"A".repeat(2000)] {
            assert_eq!(decode_cursor::<Key>(bad), Err(CursorError), "{bad:?}");
        }
    }

    #[test]
    fn paginate_reports_a_next_cursor_only_when_more_rows_exist() {
        let limit = Limit::parse(Some(2)).unwrap();
        let (items, next) = paginate(vec![1, 2, 3], limit, |n| *n);
        assert_eq!(items, vec![1, 2]);
        assert_eq!(decode_cursor::<i32>(&next.unwrap()).unwrap(), 2);
        let (items, next) = paginate(vec![1, 2], limit, |n| *n);
        assert_eq!(items, vec![1, 2]);
        assert_eq!(next, None);
    }

    proptest! {
        #[test]
        fn cursors_round_trip(s in "\\PC*", i in any::<u64>()) {
            let key = Key { s, i };
            let cursor = encode_cursor(&key);
            prop_assert!(cursor.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            if cursor.len() <= 1024 {
                prop_assert_eq!(decode_cursor::<Key>(&cursor).unwrap(), key);
            }
        }

        #[test]
        fn decoding_never_panics(input in "\\PC*") {
            let _ = decode_cursor::<Key>(&input);
        }
    }
}
