//! Second-factor secrets at rest. A TOTP secret is as good as the code it makes, so the
//! database keeps it encrypted (AES-256-GCM, random 96-bit nonce per value) under a key
//! that lives outside the database: a file of 32 random bytes, created with mode 0600 on
//! first start (`VERN_SECRETS_KEY_FILE`, default `<data_dir>/secrets.key`). A copy of the
//! database alone gives no working second factor.
//!
//! Stored form: `enc:v1:` + base64url(nonce ‖ ciphertext ‖ tag). Values written before
//! encryption existed are sealed at start-up (`seal_stored_secrets`).

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::Context as _;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const PREFIX: &str = "enc:v1:";
const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 12;
/// Binds a sealed value to its use: a value sealed for something else does not open here.
const ASSOCIATED: &[u8] = b"vern second-factor secret v1";
/// The purpose of the content key: request contents, notes, replies.
pub const CONTENT: &[u8] = b"vern request content v1";

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

pub struct SecretBox {
    cipher: Aes256Gcm,
    /// What sealed values are bound to (AES-GCM associated data).
    purpose: &'static [u8],
    /// Keys the look-up hashes ([`SecretBox::lookup_key`]).
    mac: HmacSha256,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(***)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the stored secret is not sealed")]
    NotSealed,
    #[error("the stored secret cannot be opened with this key (wrong VERN_SECRETS_KEY_FILE?)")]
    WrongKey,
    #[error("no randomness: {0}")]
    Random(String),
}

impl SecretBox {
    pub fn from_key(key: &[u8; KEY_BYTES]) -> Self {
        Self::for_purpose(key, ASSOCIATED)
    }

    fn for_purpose(key: &[u8; KEY_BYTES], purpose: &'static [u8]) -> Self {
        let mac = <HmacSha256 as hmac::Mac>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        let key = Key::<Aes256Gcm>::from(*key);
        Self {
            cipher: Aes256Gcm::new(&key),
            purpose,
            mac,
        }
    }

    /// Reads the key file, or creates it (32 random bytes, mode 0600) when it is missing.
    pub fn open_or_create(path: &Path) -> anyhow::Result<Self> {
        Self::open_or_create_for(path, ASSOCIATED)
    }

    /// The same for a key with another purpose (see [`CONTENT`]).
    pub fn open_or_create_for(path: &Path, purpose: &'static [u8]) -> anyhow::Result<Self> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let key: [u8; KEY_BYTES] = bytes.as_slice().try_into().map_err(|_| {
                    anyhow::anyhow!(
                        "{} must hold exactly {KEY_BYTES} bytes (it holds {})",
                        path.display(),
                        bytes.len()
                    )
                })?;
                Ok(Self::for_purpose(&key, purpose))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; KEY_BYTES];
                getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
                super::keys::write_private(path, &key)
                    .with_context(|| format!("cannot create {}", path.display()))?;
                tracing::info!(path = %path.display(), "created the secrets key file");
                Ok(Self::for_purpose(&key, purpose))
            }
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// A keyed hash (HMAC-SHA256, hex) of `value`: lets the database find rows by a
    /// personal identifier without holding it, and means nothing without the key.
    pub fn lookup_key(&self, value: &str) -> String {
        use hmac::Mac as _;
        let mut mac = self.mac.clone();
        mac.update(self.purpose);
        mac.update(b"\0");
        mac.update(value.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }

    pub fn seal(&self, secret: &str) -> Result<String, SecretError> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(|e| SecretError::Random(e.to_string()))?;
        let sealed = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: self.purpose,
                },
            )
            .map_err(|_| SecretError::WrongKey)?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
    }

    pub fn open(&self, stored: &str) -> Result<String, SecretError> {
        let encoded = stored.strip_prefix(PREFIX).ok_or(SecretError::NotSealed)?;
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|_| SecretError::WrongKey)?;
        if bytes.len() <= NONCE_BYTES {
            return Err(SecretError::WrongKey);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| SecretError::WrongKey)?;
        let plain = self
            .cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: self.purpose,
                },
            )
            .map_err(|_| SecretError::WrongKey)?;
        String::from_utf8(plain).map_err(|_| SecretError::WrongKey)
    }
}

/// Seals every second-factor secret still stored in the clear (written before encryption
/// at rest). Answers how many were sealed.
pub async fn seal_stored_secrets(
    db: &vern_db::Database,
    secrets: &SecretBox,
) -> anyhow::Result<usize> {
    let txn = vern_db::connection::begin_write(db).await?;
    let mut sealed = 0;
    for row in vern_db::identity::unsealed_secrets(&txn, PREFIX).await? {
        let seal = |value: Option<String>| -> anyhow::Result<Option<String>> {
            value
                .map(|v| {
                    if SecretBox::is_sealed(&v) {
                        Ok(v)
                    } else {
                        secrets.seal(&v).map_err(anyhow::Error::from)
                    }
                })
                .transpose()
        };
        let secret = seal(row.secret)?;
        let pending = seal(row.pending)?;
        vern_db::identity::store_sealed_secrets(&txn, row.table, row.id, secret, pending).await?;
        sealed += 1;
    }
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_only() {
        let one = SecretBox::from_key(&[7; 32]);
        let other = SecretBox::from_key(&[8; 32]);
        let sealed = one.seal("JBSWY3DPEHPK3PXP").unwrap();
        assert!(SecretBox::is_sealed(&sealed));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(one.open(&sealed).unwrap(), "JBSWY3DPEHPK3PXP");
        assert!(matches!(other.open(&sealed), Err(SecretError::WrongKey)));
    }

    #[test]
    fn each_sealing_differs_and_any_changed_byte_is_refused() {
        let key = SecretBox::from_key(&[1; 32]);
        let a = key.seal("GEZDGNBVGY3TQOJQ").unwrap();
        let b = key.seal("GEZDGNBVGY3TQOJQ").unwrap();
        assert_ne!(a, b, "a fresh nonce every time");
        let encoded = a.strip_prefix(PREFIX).unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(encoded).unwrap();
        for i in 0..bytes.len() {
            bytes[i] ^= 1;
            let tampered = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&bytes));
            assert!(key.open(&tampered).is_err(), "byte {i} changed");
            bytes[i] ^= 1;
        }
        assert!(matches!(
            key.open("GEZDGNBVGY3TQOJQ"),
            Err(SecretError::NotSealed)
        ));
        assert!(key.open("enc:v1:AAAA").is_err());
    }

    #[test]
    fn the_key_file_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("secrets.key");
        let first = SecretBox::open_or_create(&path).unwrap();
        let sealed = first.seal("secret").unwrap();
        assert_eq!(std::fs::read(&path).unwrap().len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = SecretBox::open_or_create(&path).unwrap();
        assert_eq!(again.open(&sealed).unwrap(), "secret");
        std::fs::write(&path, b"too short").unwrap();
        assert!(SecretBox::open_or_create(&path).is_err());
    }

    #[test]
    fn a_value_sealed_for_one_purpose_does_not_open_for_another() {
        let secrets = SecretBox::from_key(&[5; 32]);
        let content = SecretBox::for_purpose(&[5; 32], CONTENT);
        let sealed = content.seal("request text").unwrap();
        assert_eq!(content.open(&sealed).unwrap(), "request text");
        assert!(matches!(secrets.open(&sealed), Err(SecretError::WrongKey)));
    }

    #[test]
    fn lookup_keys_are_stable_per_key_and_say_nothing_without_it() {
        let one = SecretBox::for_purpose(&[5; 32], CONTENT);
        let again = SecretBox::for_purpose(&[5; 32], CONTENT);
        let other = SecretBox::for_purpose(&[6; 32], CONTENT);
        let a = one.lookup_key("02813299952");
        assert_eq!(a.len(), 64);
        assert_eq!(a, again.lookup_key("02813299952"));
        assert_ne!(a, other.lookup_key("02813299952"));
        assert_ne!(a, one.lookup_key("02813299953"));
        assert!(!a.contains("0281329995"));
    }
}
