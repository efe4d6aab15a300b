//! Access tokens from the configured external authorisation server (Maskinporten): verified
//! against the keys it publishes (JWKS), fetched over HTTPS and kept for a while. A token
//! signed with a key Vern has not seen makes it fetch the keys again — the server has rotated
//! them — at most once per `external_jwks_refresh_seconds`; keys the server no longer
//! publishes stop verifying at that fetch. Only asymmetric algorithms are accepted (RSA,
//! RSA-PSS, ECDSA, EdDSA), never `none` or HMAC, and the key's declared algorithm must match
//! the token's.

use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use tokio::sync::{Mutex, RwLock};
use vern_domain::access::external::ExternalClaims;

use crate::settings::Settings;

/// The keys document may not be larger than this.
const MAX_JWKS_BYTES: usize = 256 * 1024;
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
const ALGORITHMS: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

#[derive(Debug, thiserror::Error)]
pub enum ExternalTokenError {
    #[error("malformed token")]
    Malformed,
    #[error("algorithm not accepted")]
    Algorithm,
    #[error("no published key has this kid")]
    UnknownKey,
    #[error("the issuer's keys could not be fetched: {0}")]
    KeysUnavailable(String),
    #[error("invalid token: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
}

#[derive(Default)]
struct KeyCache {
    keys: Vec<Jwk>,
    fetched_at: Option<Instant>,
}

/// The configured external issuer.
pub struct ExternalIssuer {
    issuer: String,
    jwks_url: String,
    audience: Option<String>,
    pub scope_prefix: String,
    cache_for: Duration,
    refresh_after: Duration,
    http: reqwest::Client,
    cache: RwLock<KeyCache>,
    fetching: Mutex<()>,
}

impl std::fmt::Debug for ExternalIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExternalIssuer")
            .field("issuer", &self.issuer)
            .field("jwks_url", &self.jwks_url)
            .finish_non_exhaustive()
    }
}

impl ExternalIssuer {
    /// `None` when no external issuer is configured.
    pub fn from_settings(settings: &Settings, http: reqwest::Client) -> Option<ExternalIssuer> {
        let issuer = settings.external_issuer.clone()?;
        let jwks_url = settings.external_jwks_url.clone()?;
        Some(ExternalIssuer {
            issuer,
            jwks_url,
            audience: settings.external_audience.clone(),
            scope_prefix: settings.external_scope_prefix.trim().to_owned(),
            cache_for: Duration::from_secs(settings.external_jwks_cache_seconds),
            refresh_after: Duration::from_secs(settings.external_jwks_refresh_seconds),
            http,
            cache: RwLock::new(KeyCache::default()),
            fetching: Mutex::new(()),
        })
    }

    /// Whether the token says it is from this issuer (not yet verified: this only decides
    /// which verification it gets).
    pub fn claims_to_be_ours(&self, token: &str) -> bool {
        #[derive(serde::Deserialize)]
        struct Iss {
            iss: Option<String>,
        }
        jsonwebtoken::dangerous::insecure_decode::<Iss>(token)
            .ok()
            .and_then(|d| d.claims.iss)
            .is_some_and(|iss| iss == self.issuer)
    }

    /// The token's claims when its signature, issuer, audience and lifetime hold.
    pub async fn verify(&self, token: &str) -> Result<ExternalClaims, ExternalTokenError> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| ExternalTokenError::Malformed)?;
        if !ALGORITHMS.contains(&header.alg) {
            return Err(ExternalTokenError::Algorithm);
        }
        let kid = header.kid.ok_or(ExternalTokenError::Malformed)?;
        let jwk = self.key(&kid).await?;
        if jwk
            .common
            .key_algorithm
            .is_some_and(|a| a != jsonwebtoken::jwk::KeyAlgorithm::from(header.alg))
        {
            return Err(ExternalTokenError::Algorithm);
        }
        let key = DecodingKey::from_jwk(&jwk)?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.issuer]);
        match &self.audience {
            Some(aud) => validation.set_audience(&[aud]),
            None => validation.validate_aud = false,
        }
        validation.set_required_spec_claims(&["exp", "iat", "iss"]);
        validation.leeway = 5;
        Ok(jsonwebtoken::decode::<ExternalClaims>(token, &key, &validation)?.claims)
    }

    async fn cached(&self, kid: &str) -> (Option<Jwk>, Option<Instant>) {
        let cache = self.cache.read().await;
        let key = cache
            .keys
            .iter()
            .find(|k| k.common.key_id.as_deref() == Some(kid))
            .cloned();
        (key, cache.fetched_at)
    }

    /// The published key with this id: from the cache while it is fresh, else fetched.
    async fn key(&self, kid: &str) -> Result<Jwk, ExternalTokenError> {
        let (found, fetched_at) = self.cached(kid).await;
        let age = fetched_at.map(|t| t.elapsed());
        let fresh = age.is_some_and(|a| a < self.cache_for);
        if let (Some(key), true) = (&found, fresh) {
            return Ok(key.clone());
        }
        // Unknown kid in fresh keys: fetch again only if the last fetch is old enough.
        if fresh && found.is_none() && age.is_some_and(|a| a < self.refresh_after) {
            return Err(ExternalTokenError::UnknownKey);
        }
        let _one_at_a_time = self.fetching.lock().await;
        // Another request may have fetched while this one waited.
        let (again, refetched_at) = self.cached(kid).await;
        if refetched_at != fetched_at {
            return again.ok_or(ExternalTokenError::UnknownKey);
        }
        match self.fetch().await {
            Ok(keys) => {
                let mut cache = self.cache.write().await;
                cache.keys = keys;
                cache.fetched_at = Some(Instant::now());
            }
            Err(e) => {
                tracing::warn!(error = %e, jwks_url = %self.jwks_url, "external issuer's keys could not be fetched");
                // Stale keys still verify while the server cannot be reached.
                return match found {
                    Some(key) => Ok(key),
                    None if fetched_at.is_none() => Err(ExternalTokenError::KeysUnavailable(e)),
                    None => Err(ExternalTokenError::UnknownKey),
                };
            }
        }
        self.cached(kid)
            .await
            .0
            .ok_or(ExternalTokenError::UnknownKey)
    }

    async fn fetch(&self) -> Result<Vec<Jwk>, String> {
        let response = self
            .http
            .get(&self.jwks_url)
            .timeout(FETCH_TIMEOUT)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_JWKS_BYTES as u64)
        {
            return Err("the key set is too large".to_owned());
        }
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        if bytes.len() > MAX_JWKS_BYTES {
            return Err("the key set is too large".to_owned());
        }
        let set: JwkSet = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        Ok(set
            .keys
            .into_iter()
            .filter(|k| k.common.key_id.is_some())
            .collect())
    }
}
