//! Access tokens (audience `vern-api`) and second-factor tokens (audience `vern-mfa`):
//! EdDSA-signed JWTs. Only EdDSA is accepted — `alg: none` and HMAC tokens are refused.

use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::JwtKeys;

pub const ACCESS_AUDIENCE: &str = "vern-api";
pub const MFA_AUDIENCE: &str = "vern-mfa";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    /// The session; absent in second-factor tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
    /// An API client's granted permissions, space-separated; absent in users' tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub iat: u64,
    pub exp: u64,
    pub iss: String,
    pub aud: String,
    pub jti: Uuid,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("unknown signing key")]
    UnknownKey,
    #[error("invalid token: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
}

pub fn issue(
    keys: &JwtKeys,
    issuer: &str,
    audience: &str,
    sub: Uuid,
    sid: Option<Uuid>,
    now: u64,
    lifetime: u64,
) -> Result<String, jsonwebtoken::errors::Error> {
    issue_with_scope(keys, issuer, audience, sub, sid, None, now, lifetime)
}

/// An access token for an API client: no session, the granted scope instead.
#[allow(clippy::too_many_arguments)]
pub fn issue_with_scope(
    keys: &JwtKeys,
    issuer: &str,
    audience: &str,
    sub: Uuid,
    sid: Option<Uuid>,
    scope: Option<String>,
    now: u64,
    lifetime: u64,
) -> Result<String, jsonwebtoken::errors::Error> {
    let (kid, encoding) = keys
        .signing()
        .ok_or(jsonwebtoken::errors::ErrorKind::InvalidEcdsaKey)?;
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid);
    let claims = Claims {
        sub,
        sid,
        scope,
        iat: now,
        exp: now + lifetime,
        iss: issuer.to_owned(),
        aud: audience.to_owned(),
        jti: Uuid::now_v7(),
    };
    jsonwebtoken::encode(&header, &claims, &encoding)
}

pub fn verify(
    keys: &JwtKeys,
    issuer: &str,
    audience: &str,
    token: &str,
) -> Result<Claims, TokenError> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
    if header.alg != Algorithm::EdDSA {
        return Err(TokenError::Malformed);
    }
    let key = header
        .kid
        .as_deref()
        .and_then(|kid| keys.decoding(kid))
        .ok_or(TokenError::UnknownKey)?;
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["exp", "iat", "sub", "aud", "iss"]);
    validation.leeway = 5;
    Ok(jsonwebtoken::decode::<Claims>(token, &key, &validation)?.claims)
}

/// Seals a signature record with the platform's current key: a JWS (EdDSA) over the
/// claims. Answers the key id and the compact JWS.
pub fn seal(
    keys: &JwtKeys,
    claims: &vern_domain::agreements::view::SealClaims,
) -> Result<(String, String), jsonwebtoken::errors::Error> {
    let (kid, encoding) = keys
        .signing()
        .ok_or(jsonwebtoken::errors::ErrorKind::InvalidEcdsaKey)?;
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.clone());
    header.typ = Some("vern-seal+jwt".to_owned());
    Ok((kid, jsonwebtoken::encode(&header, claims, &encoding)?))
}

/// Opens a seal with the public key of its `kid`: the claims, if the signature holds and
/// the issuer is ours. Seals do not expire.
pub fn open_seal(
    key: &jsonwebtoken::DecodingKey,
    issuer: &str,
    jws: &str,
) -> Option<vern_domain::agreements::view::SealClaims> {
    let header = jsonwebtoken::decode_header(jws).ok()?;
    if header.alg != Algorithm::EdDSA {
        return None;
    }
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims = std::collections::HashSet::new();
    validation.set_issuer(&[issuer]);
    jsonwebtoken::decode::<vern_domain::agreements::view::SealClaims>(jws, key, &validation)
        .ok()
        .map(|d| d.claims)
}
