//! Machine tokens from an external authorisation server, as Norwegian public-sector
//! integrations get them from Maskinporten: a JWT access token whose `consumer` names the
//! organisation the integration acts for (its organisation number, ISO 6523 `0192:`), whose
//! `client_id` names the integration, and whose `scope` lists what it may do.
//!
//! Vern trusts such a token only as far as the organisation allows: the organisation registers
//! the integration's `client_id` as one of its API clients, with the permissions it may use.
//! A token then acts for the organisation its consumer number names, with the scopes it
//! carries that map to permissions the registration holds — never identity administration.
//! Signature, issuer, audience and lifetime are checked by the server against the issuer's
//! published keys before these rules see the claims.

use serde::{Deserialize, Serialize};

use super::Permission;
use crate::OrgNumber;

/// The ISO 6523 scheme Maskinporten names organisations by.
pub const CONSUMER_AUTHORITY: &str = "iso6523-actorid-upis";
/// ISO 6523 ICD 0192: Norwegian organisation numbers (Enhetsregisteret).
pub const ORGNR_ICD: &str = "0192";
/// The prefix of Vern's scopes at the authorisation server: `vern:read_register`.
pub const DEFAULT_SCOPE_PREFIX: &str = "vern:";
pub const MAX_EXTERNAL_CLIENT_ID: usize = 100;

/// An organisation as the token names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenOrganization {
    pub authority: String,
    /// `0192:<organisation number>`.
    #[serde(rename = "ID")]
    pub id: String,
}

/// The claims Vern reads from an external access token (after the signature, issuer,
/// audience and expiry have been checked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalClaims {
    pub iss: String,
    pub exp: u64,
    pub iat: u64,
    /// Space-separated scopes.
    #[serde(default)]
    pub scope: String,
    /// The organisation the integration acts for.
    pub consumer: Option<TokenOrganization>,
    /// The integration's client at the authorisation server.
    pub client_id: Option<String>,
    /// A vendor acting for the consumer under delegation, when there is one.
    #[serde(default)]
    pub supplier: Option<TokenOrganization>,
}

/// Why an external token cannot act in Vern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExternalRefusal {
    #[error("the token names no consumer organisation")]
    NoConsumer,
    #[error("the consumer is not named by a Norwegian organisation number (0192)")]
    ConsumerScheme,
    #[error("the consumer's organisation number is not valid")]
    ConsumerNumber,
    #[error("the token names no client_id")]
    NoClientId,
}

/// The organisation number of the token's consumer.
pub fn consumer_org_number(claims: &ExternalClaims) -> Result<OrgNumber, ExternalRefusal> {
    let consumer = claims
        .consumer
        .as_ref()
        .ok_or(ExternalRefusal::NoConsumer)?;
    if consumer.authority != CONSUMER_AUTHORITY {
        return Err(ExternalRefusal::ConsumerScheme);
    }
    let number = consumer
        .id
        .strip_prefix(ORGNR_ICD)
        .and_then(|rest| rest.strip_prefix(':'))
        .ok_or(ExternalRefusal::ConsumerScheme)?;
    if number.len() != 9 {
        return Err(ExternalRefusal::ConsumerNumber);
    }
    OrgNumber::parse(number).map_err(|_| ExternalRefusal::ConsumerNumber)
}

/// The integration's client id, as registered.
pub fn client_id(claims: &ExternalClaims) -> Result<&str, ExternalRefusal> {
    claims
        .client_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or(ExternalRefusal::NoClientId)
}

/// The permissions a token's scopes name: each entry `<prefix><permission>`; entries of other
/// APIs, unknown permissions and identity administration are left out. Sorted, without
/// duplicates.
pub fn map_scopes(scope: &str, prefix: &str) -> Vec<Permission> {
    let mut out: Vec<Permission> = scope
        .split(' ')
        .filter_map(|entry| entry.strip_prefix(prefix))
        .filter_map(Permission::parse)
        .filter(|p| !p.is_identity_administration())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// What a token may do: its scopes that the organisation's registration also holds.
pub fn granted(token: &[Permission], registered: &[Permission]) -> Vec<Permission> {
    token
        .iter()
        .copied()
        .filter(|p| registered.contains(p))
        .collect()
}

/// A client id as registered: trimmed, 1–100 visible ASCII characters (Maskinporten's are
/// UUIDs; other servers use other shapes).
pub fn check_external_client_id(input: &str) -> Option<String> {
    let id = input.trim();
    (!id.is_empty()
        && id.len() <= MAX_EXTERNAL_CLIENT_ID
        && id.bytes().all(|b| b.is_ascii_graphic()))
    .then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn claims(consumer: Option<(&str, &str)>, client: Option<&str>) -> ExternalClaims {
        ExternalClaims {
            iss: "https://maskinporten.example.org/".to_owned(),
            exp: 2,
            iat: 1,
            scope: String::new(),
            consumer: consumer.map(|(authority, id)| TokenOrganization {
                authority: authority.to_owned(),
                id: id.to_owned(),
            }),
            client_id: client.map(str::to_owned),
            supplier: None,
        }
    }

    #[test]
    fn the_consumer_is_a_valid_norwegian_organisation_number() {
        let ok = claims(Some((CONSUMER_AUTHORITY, "0192:974760673")), Some("c"));
        assert_eq!(consumer_org_number(&ok).unwrap().as_str(), "974760673");
        for (authority, id, refusal) in [
            (
                "iso6523-actorid-upis",
                "0192:974760674",
                ExternalRefusal::ConsumerNumber,
            ),
            (
                "iso6523-actorid-upis",
                "0192:97476067",
                ExternalRefusal::ConsumerNumber,
            ),
            (
                "iso6523-actorid-upis",
                "0192: 974760673",
                ExternalRefusal::ConsumerNumber,
            ),
            (
                "iso6523-actorid-upis",
                "0088:974760673",
                ExternalRefusal::ConsumerScheme,
            ),
            (
                "iso6523-actorid-upis",
                "974760673",
                ExternalRefusal::ConsumerScheme,
            ),
            ("other", "0192:974760673", ExternalRefusal::ConsumerScheme),
        ] {
            let c = claims(Some((authority, id)), Some("c"));
            assert_eq!(consumer_org_number(&c), Err(refusal), "{authority} {id}");
        }
        assert_eq!(
            consumer_org_number(&claims(None, Some("c"))),
            Err(ExternalRefusal::NoConsumer)
        );
    }

    #[test]
    fn the_claims_read_as_maskinporten_writes_them() {
        let json = r#"{"iss":"https://test.maskinporten.no/","exp":20,"iat":10,
            "scope":"vern:read_register other:thing","client_id":"2b3f-client",
            "consumer":{"authority":"iso6523-actorid-upis","ID":"0192:974760673"},
            "client_amr":"private_key_jwt","token_type":"Bearer","jti":"x"}"#;
        let parsed: ExternalClaims = serde_json::from_str(json).unwrap();
        assert_eq!(client_id(&parsed), Ok("2b3f-client"));
        assert_eq!(consumer_org_number(&parsed).unwrap().as_str(), "974760673");
        assert_eq!(
            map_scopes(&parsed.scope, DEFAULT_SCOPE_PREFIX),
            vec![Permission::ReadRegister]
        );
        assert_eq!(
            client_id(&claims(None, Some("  "))),
            Err(ExternalRefusal::NoClientId)
        );
    }

    #[test]
    fn scopes_map_by_prefix_and_never_to_identity_administration() {
        let scopes = "vern:edit_register vern:manage_members read_register vern:nonsense \
                      vern:read_register vern:edit_register altinn:vern:read_audit_log";
        assert_eq!(
            map_scopes(scopes, "vern:"),
            vec![Permission::ReadRegister, Permission::EditRegister]
        );
        assert!(map_scopes("", "vern:").is_empty());
    }

    #[test]
    fn a_token_gets_only_what_the_registration_holds() {
        let token = [Permission::ReadRegister, Permission::EditRegister];
        assert_eq!(
            granted(
                &token,
                &[Permission::ReadRegister, Permission::ReadIncidents]
            ),
            vec![Permission::ReadRegister]
        );
        assert!(granted(&token, &[]).is_empty());
    }

    #[test]
    fn client_ids_are_visible_ascii() {
        assert_eq!(
            check_external_client_id(" 0a1b-2c3d "),
            Some("0a1b-2c3d".to_owned())
        );
        assert_eq!(check_external_client_id(""), None);
        assert_eq!(check_external_client_id("a b"), None);
        assert_eq!(check_external_client_id("blåbær"), None);
        assert_eq!(check_external_client_id(&"x".repeat(101)), None);
    }

    fn permission() -> impl Strategy<Value = Permission> {
        proptest::sample::select(Permission::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn mapped_scopes_are_named_with_the_prefix_and_carry_no_administration(
            chosen in proptest::collection::vec(permission(), 0..8),
            noise in proptest::collection::vec("[a-z:_]{0,12}", 0..5),
            registered in proptest::collection::vec(permission(), 0..8),
        ) {
            let mut entries: Vec<String> =
                chosen.iter().map(|p| format!("vern:{}", p.scope())).collect();
            entries.extend(noise);
            let mapped = map_scopes(&entries.join(" "), "vern:");
            for p in &mapped {
                prop_assert!(!p.is_identity_administration());
                prop_assert!(chosen.contains(p));
            }
            for p in &chosen {
                prop_assert_eq!(mapped.contains(p), !p.is_identity_administration());
            }
            let allowed = granted(&mapped, &registered);
            for p in &allowed {
                prop_assert!(registered.contains(p) && mapped.contains(p));
            }
        }
    }
}
