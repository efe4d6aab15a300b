//! Configuration: defaults, then an optional TOML file (`VERN_CONFIG`, or `vern.toml` in the
//! working directory if present), then `VERN_*` environment variables. Bad configuration
//! fails at start with one clear line.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Deserializer, Serialize};
use vern_domain::access::IpAllowlist;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line, for log shippers.
    Json,
}

/// A value that must never be printed: `Debug` shows only whether it is set.
#[derive(Clone, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "Secret(unset)"
        } else {
            "Secret(***)"
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Where the server listens.
    pub http_addr: SocketAddr,
    /// `sqlite:…` or `postgres://…`; default: an SQLite file in `data_dir`.
    /// Kept secret because a PostgreSQL URL may carry a password.
    pub database_url: Option<Secret>,
    /// Where Vern keeps its files (the SQLite database, later uploads).
    pub data_dir: PathBuf,
    /// The built SPA (`just build` writes it).
    pub static_dir: PathBuf,
    /// Seed demo data (the 357 municipalities and a few made-up organisations) at start.
    #[serde(deserialize_with = "flexible_bool")]
    pub demo: bool,
    /// The address users reach Vern at; used in links and as the passkey origin.
    pub public_url: Option<String>,
    /// Log filter, `tracing` syntax: `info`, `vern_api=debug,info`, …
    pub log: String,
    pub log_format: LogFormat,
    /// HTTP worker threads; default: one per core.
    pub workers: Option<usize>,
    /// Database pool size.
    pub db_max_connections: u32,
    /// Mounts the bare ceiling handler `GET /__bench/bare` for `just bench`. Never in production.
    #[serde(deserialize_with = "flexible_bool")]
    pub bench_endpoints: bool,
    /// Keep the JWT signing key in this file (PKCS#8 DER, created if missing) instead of
    /// the database. See `auth::keys`.
    pub signing_key_file: Option<PathBuf>,
    /// The key that encrypts second-factor secrets (TOTP) in the database: 32 random bytes,
    /// created with mode 0600 if missing. Default: `secrets.key` in `data_dir`. Every
    /// instance on one database needs the same file; without it those secrets cannot be read.
    pub secrets_key_file: Option<PathBuf>,
    /// The key that encrypts data-subject requests' contents, case notes and replies, and
    /// keys the look-up hash of a requester's national id: 32 random bytes, created with mode
    /// 0600 if missing. Default: `content.key` in `data_dir`. Kept apart from the secrets key
    /// so each can be held and rotated on its own.
    pub content_key_file: Option<PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (addresses or CIDR ranges,
    /// comma-separated in the environment). Empty: the TCP peer is the client.
    #[serde(deserialize_with = "address_list")]
    pub trusted_proxies: Vec<String>,
    /// How long one send of a task to a system's connector may take.
    pub connector_timeout_ms: u64,
    /// The wait before the first retry of a failed send; doubled for each next one.
    pub connector_retry_ms: u64,
    /// Sends tried before a task becomes a manual task for the system's owner.
    pub connector_attempts: u32,
    /// The wait before a failed webhook delivery is tried again; four times longer for each
    /// next one (at most a day, eight attempts).
    pub webhook_retry_ms: u64,
    /// How long each system may take to answer a "who holds data" lookup.
    pub lookup_timeout_ms: u64,
    /// How often the scheduler looks for due jobs (each instance; the database lets one run
    /// each due job).
    pub scheduler_tick_ms: u64,
    /// Tests only: every scheduled job's interval instead of its own.
    pub scheduler_interval_ms: Option<u64>,
    /// The SMTP server for notification e-mails: `smtp://host:587?tls=required` (STARTTLS),
    /// `smtps://host:465`, user and password in the URL; plain `smtp://` only for a relay on
    /// loopback. None: no e-mail. Kept secret because it may carry a password.
    pub smtp_url: Option<Secret>,
    /// The sender of notification e-mails.
    pub mail_from: String,
    /// Demo only: the demo subject system's endpoint; the demo municipality's school system
    /// gets a connector to it (`just run` starts it).
    pub demo_connector_url: Option<String>,
    /// Demo only: the file the demo subject system reads its shared secret from; written at
    /// start when the demo connector is set up.
    pub demo_connector_secret_file: Option<PathBuf>,
    /// Residents log in through this OpenID Connect provider (ID-porten in production:
    /// `https://idporten.no`). Unset: the resident portal's login is off.
    pub resident_oidc_issuer: Option<String>,
    /// Vern's client id at that provider.
    pub resident_oidc_client_id: Option<String>,
    /// Vern's client secret there, when the provider wants one (sent with HTTP basic).
    pub resident_oidc_client_secret: Option<Secret>,
    /// The ID token claim that carries the national id (`pid` at ID-porten).
    pub resident_oidc_pid_claim: String,
    /// TEST ONLY: accept Skatteetaten's synthetic national ids at resident login (the test
    /// identity provider `vern-test-idp` issues nothing else). Refused at start unless both
    /// `VERN_PUBLIC_URL` and the issuer are loopback addresses, so it cannot be on in a
    /// production configuration. Without it, synthetic numbers are refused.
    #[serde(deserialize_with = "flexible_bool")]
    pub resident_test_login: bool,
    /// How long a resident stays logged in.
    pub resident_session_minutes: u32,
    /// Reading an answer needs a login at most this many minutes old.
    pub resident_fresh_login_minutes: u32,
    /// Integrations may also authenticate with access tokens from this OAuth authorisation
    /// server — Maskinporten in production (`https://maskinporten.no/`, test:
    /// `https://test.maskinporten.no/`). Tokens must carry exactly this `iss`. Unset: only
    /// Vern's own client credentials.
    pub external_issuer: Option<String>,
    /// Where that server publishes its signing keys (JWKS): `https://maskinporten.no/jwk`.
    pub external_jwks_url: Option<String>,
    /// When set, external tokens must carry this audience (Maskinporten's `resource`).
    pub external_audience: Option<String>,
    /// Vern's scopes at that server are `<prefix><permission>`: `vern:read_register`.
    pub external_scope_prefix: String,
    /// How long fetched keys are used before they are fetched again.
    pub external_jwks_cache_seconds: u64,
    /// A token signed with a key not yet known makes Vern fetch the keys again (the server
    /// rotated them), at most once per this many seconds.
    pub external_jwks_refresh_seconds: u64,
    /// Requests each API client may make per minute (on each instance); more get 429 with
    /// `Retry-After`.
    pub client_rate_limit_per_minute: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            http_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: None,
            data_dir: PathBuf::from("./data"),
            static_dir: PathBuf::from("frontend/dist"),
            demo: false,
            public_url: None,
            log: "info".to_owned(),
            log_format: LogFormat::Pretty,
            workers: None,
            db_max_connections: 8,
            bench_endpoints: false,
            signing_key_file: None,
            secrets_key_file: None,
            content_key_file: None,
            trusted_proxies: Vec::new(),
            connector_timeout_ms: 10_000,
            connector_retry_ms: 30_000,
            connector_attempts: vern_domain::connector::MAX_ATTEMPTS,
            webhook_retry_ms: 60_000,
            lookup_timeout_ms: 3_000,
            scheduler_tick_ms: 30_000,
            scheduler_interval_ms: None,
            smtp_url: None,
            mail_from: "Vern <vern@localhost>".to_owned(),
            demo_connector_url: None,
            demo_connector_secret_file: None,
            resident_oidc_issuer: None,
            resident_oidc_client_id: None,
            resident_oidc_client_secret: None,
            resident_oidc_pid_claim: "pid".to_owned(),
            resident_test_login: false,
            resident_session_minutes: 30,
            resident_fresh_login_minutes: 10,
            external_issuer: None,
            external_jwks_url: None,
            external_audience: None,
            external_scope_prefix: vern_domain::access::external::DEFAULT_SCOPE_PREFIX.to_owned(),
            external_jwks_cache_seconds: 300,
            external_jwks_refresh_seconds: 10,
            client_rate_limit_per_minute: 600,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{0}")]
    Figment(Box<figment::Error>),
    #[error(
        "VERN_PUBLIC_URL must be an absolute http:// or https:// URL without query or fragment"
    )]
    PublicUrl,
    #[error("VERN_DATABASE_URL must start with sqlite: or postgres://")]
    DatabaseUrl,
    #[error("VERN_DB_MAX_CONNECTIONS must be between 1 and 1000")]
    PoolSize,
    #[error("VERN_WORKERS must be between 1 and 512")]
    Workers,
    #[error("VERN_TRUSTED_PROXIES must list IP addresses or CIDR ranges")]
    TrustedProxies,
    #[error(
        "VERN_CONNECTOR_TIMEOUT_MS and VERN_LOOKUP_TIMEOUT_MS must be 1–600000, VERN_CONNECTOR_RETRY_MS and VERN_WEBHOOK_RETRY_MS 1–3600000, VERN_CONNECTOR_ATTEMPTS 1–20, VERN_SCHEDULER_TICK_MS 10–3600000, VERN_SCHEDULER_INTERVAL_MS 10–86400000"
    )]
    Connector,
    #[error(
        "resident login: VERN_RESIDENT_OIDC_ISSUER must be an https:// URL (http:// only on loopback) and needs VERN_RESIDENT_OIDC_CLIENT_ID; VERN_RESIDENT_SESSION_MINUTES 1–720, VERN_RESIDENT_FRESH_LOGIN_MINUTES 1–60"
    )]
    ResidentLogin,
    #[error(
        "VERN_RESIDENT_TEST_LOGIN accepts synthetic national ids and is for development only: it needs VERN_PUBLIC_URL and VERN_RESIDENT_OIDC_ISSUER on a loopback address (127.0.0.1, ::1, localhost)"
    )]
    TestLoginOutsideLoopback,
    #[error(
        "external tokens: VERN_EXTERNAL_ISSUER and VERN_EXTERNAL_JWKS_URL go together and must be https:// URLs (http:// only on loopback); VERN_EXTERNAL_SCOPE_PREFIX must not be blank; VERN_EXTERNAL_JWKS_CACHE_SECONDS 1–86400, VERN_EXTERNAL_JWKS_REFRESH_SECONDS 0–3600"
    )]
    ExternalTokens,
    #[error("VERN_CLIENT_RATE_LIMIT_PER_MINUTE must be between 0 (no limit) and 100000")]
    RateLimit,
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
}

impl Settings {
    /// Reads the configuration from the process environment.
    pub fn load() -> Result<Self, SettingsError> {
        Self::load_from(
            Env::prefixed("VERN_").ignore(&["config"]),
            std::env::var_os("VERN_CONFIG").map(PathBuf::from),
        )
    }

    /// Reads defaults, then the file, then the given environment provider. Tests pass their
    /// own provider instead of touching the process environment.
    pub fn load_from(env: Env, file: Option<PathBuf>) -> Result<Self, SettingsError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) if !path.exists() => return Err(SettingsError::MissingFile(path)),
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new("vern.toml").exists() => {
                figment = figment.merge(Toml::file_exact("vern.toml"))
            }
            None => {}
        }
        let settings: Settings = figment
            .merge(env)
            .extract()
            .map_err(|e| SettingsError::Figment(Box::new(e)))?;
        settings.validate()
    }

    fn validate(self) -> Result<Self, SettingsError> {
        if let Some(url) = &self.public_url {
            let parsed = url::Url::parse(url).map_err(|_| SettingsError::PublicUrl)?;
            if !matches!(parsed.scheme(), "http" | "https")
                || parsed.host_str().is_none()
                || parsed.query().is_some()
                || parsed.fragment().is_some()
            {
                return Err(SettingsError::PublicUrl);
            }
        }
        if let Some(url) = &self.database_url {
            vern_db::Backend::from_url(url.expose()).map_err(|_| SettingsError::DatabaseUrl)?;
        }
        if !(1..=1000).contains(&self.db_max_connections) {
            return Err(SettingsError::PoolSize);
        }
        if matches!(self.workers, Some(n) if !(1..=512).contains(&n)) {
            return Err(SettingsError::Workers);
        }
        self.trusted_proxy_list()?;
        if !(1..=600_000).contains(&self.connector_timeout_ms)
            || !(1..=600_000).contains(&self.lookup_timeout_ms)
            || !(1..=3_600_000).contains(&self.connector_retry_ms)
            || !(1..=3_600_000).contains(&self.webhook_retry_ms)
            || !(10..=3_600_000).contains(&self.scheduler_tick_ms)
            || self
                .scheduler_interval_ms
                .is_some_and(|ms| !(10..=86_400_000).contains(&ms))
            || !(1..=20).contains(&self.connector_attempts)
        {
            return Err(SettingsError::Connector);
        }
        self.check_resident_login()?;
        self.check_external_tokens()?;
        if self.client_rate_limit_per_minute > 100_000 {
            return Err(SettingsError::RateLimit);
        }
        Ok(self)
    }

    fn check_external_tokens(&self) -> Result<(), SettingsError> {
        let secure = |url: &str| {
            url::Url::parse(url).is_ok_and(|u| {
                u.host_str().is_some()
                    && (u.scheme() == "https"
                        || (u.scheme() == "http" && vern_domain::connector::is_loopback_url(url)))
            })
        };
        match (&self.external_issuer, &self.external_jwks_url) {
            (None, None) => {}
            (Some(issuer), Some(jwks)) if secure(issuer) && secure(jwks) => {}
            _ => return Err(SettingsError::ExternalTokens),
        }
        if self.external_scope_prefix.trim().is_empty()
            || !(1..=86_400).contains(&self.external_jwks_cache_seconds)
            || self.external_jwks_refresh_seconds > 3_600
        {
            return Err(SettingsError::ExternalTokens);
        }
        Ok(())
    }

    fn check_resident_login(&self) -> Result<(), SettingsError> {
        if !(1..=720).contains(&self.resident_session_minutes)
            || !(1..=60).contains(&self.resident_fresh_login_minutes)
        {
            return Err(SettingsError::ResidentLogin);
        }
        if let Some(issuer) = &self.resident_oidc_issuer {
            let parsed = url::Url::parse(issuer).map_err(|_| SettingsError::ResidentLogin)?;
            let secure = parsed.scheme() == "https"
                || (parsed.scheme() == "http" && vern_domain::connector::is_loopback_url(issuer));
            if !secure
                || parsed.query().is_some()
                || self
                    .resident_oidc_client_id
                    .as_deref()
                    .is_none_or(|c| c.trim().is_empty())
            {
                return Err(SettingsError::ResidentLogin);
            }
        }
        if self.resident_test_login {
            let public_loopback = self
                .public_url
                .as_deref()
                .is_some_and(vern_domain::connector::is_loopback_url);
            let issuer_loopback = self
                .resident_oidc_issuer
                .as_deref()
                .is_some_and(vern_domain::connector::is_loopback_url);
            if !public_loopback || !issuer_loopback {
                return Err(SettingsError::TestLoginOutsideLoopback);
            }
        }
        Ok(())
    }

    /// The trusted reverse proxies as a list of ranges.
    pub fn trusted_proxy_list(&self) -> Result<IpAllowlist, SettingsError> {
        IpAllowlist::parse(&self.trusted_proxies).map_err(|_| SettingsError::TrustedProxies)
    }

    /// The secrets key file in force: the configured one, or `<data_dir>/secrets.key`.
    pub fn secrets_key_file(&self) -> PathBuf {
        self.secrets_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("secrets.key"))
    }

    /// The content key file in force: the configured one, or `<data_dir>/content.key`.
    pub fn content_key_file(&self) -> PathBuf {
        self.content_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("content.key"))
    }

    /// The database URL in force: the configured one, or `sqlite:<data_dir>/vern.db`.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose().to_owned(),
            None => format!("sqlite:{}", self.data_dir.join("vern.db").display()),
        }
    }

    /// The public URL in force: the configured one, or `http://localhost:<port>`.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://localhost:{}", self.http_addr.port()),
        }
    }
}

/// A list from TOML (`["10.0.0.0/8"]`) or from one environment variable
/// (`10.0.0.0/8, 192.0.2.7`).
fn address_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        List(Vec<String>),
        One(String),
    }
    Ok(match Raw::deserialize(deserializer)? {
        Raw::List(list) => list,
        Raw::One(text) => text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

/// Accepts `true/false`, `1/0`, `yes/no`, `on/off`: what people put in environment variables.
fn flexible_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Bool(bool),
        Int(i64),
        Str(String),
    }
    match Raw::deserialize(deserializer)? {
        Raw::Bool(b) => Ok(b),
        Raw::Int(1) => Ok(true),
        Raw::Int(0) => Ok(false),
        Raw::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" | "" => Ok(false),
            _ => Err(serde::de::Error::custom("expected true or false")),
        },
        Raw::Int(_) => Err(serde::de::Error::custom("expected true or false")),
    }
}

#[cfg(test)]
// figment's `Jail` closures return its own (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    /// Loads settings with exactly these `VERN_*` variables set; `Jail` serialises tests that
    /// touch the environment and restores it afterwards.
    fn load(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let mut result = None;
        Jail::expect_with(|jail| {
            for (key, value) in vars {
                jail.set_env(format!("VERN_{key}"), value);
            }
            result = Some(Settings::load());
            Ok(())
        });
        result.unwrap_or(Err(SettingsError::PoolSize))
    }

    #[test]
    fn defaults_listen_on_loopback_8080_with_sqlite_in_data() {
        let s = load(&[]).unwrap();
        assert_eq!(s.http_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(s.database_url(), "sqlite:./data/vern.db");
        assert_eq!(s.public_url(), "http://localhost:8080");
        assert!(!s.demo);
    }

    #[test]
    fn external_tokens_need_an_issuer_and_its_keys_over_https() {
        let s = load(&[
            ("EXTERNAL_ISSUER", "https://test.maskinporten.no/"),
            ("EXTERNAL_JWKS_URL", "https://test.maskinporten.no/jwk"),
        ])
        .unwrap();
        assert_eq!(s.external_scope_prefix, "vern:");
        assert_eq!(s.client_rate_limit_per_minute, 600);
        for vars in [
            vec![("EXTERNAL_ISSUER", "https://test.maskinporten.no/")],
            vec![
                ("EXTERNAL_ISSUER", "http://maskinporten.example.org/"),
                ("EXTERNAL_JWKS_URL", "http://maskinporten.example.org/jwk"),
            ],
            vec![
                ("EXTERNAL_ISSUER", "https://test.maskinporten.no/"),
                ("EXTERNAL_JWKS_URL", "https://test.maskinporten.no/jwk"),
                ("EXTERNAL_SCOPE_PREFIX", " "),
            ],
        ] {
            assert!(
                matches!(load(&vars), Err(SettingsError::ExternalTokens)),
                "{vars:?}"
            );
        }
        assert!(
            load(&[
                ("EXTERNAL_ISSUER", "http://127.0.0.1:9/"),
                ("EXTERNAL_JWKS_URL", "http://127.0.0.1:9/jwks"),
            ])
            .is_ok()
        );
        assert!(matches!(
            load(&[("CLIENT_RATE_LIMIT_PER_MINUTE", "100001")]),
            Err(SettingsError::RateLimit)
        ));
        let off = load(&[("CLIENT_RATE_LIMIT_PER_MINUTE", "0")]).unwrap();
        assert_eq!(off.client_rate_limit_per_minute, 0);
    }

    #[test]
    fn trusted_proxies_come_as_a_comma_separated_list_and_are_checked() {
        let s = load(&[("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7")]).unwrap();
        assert_eq!(s.trusted_proxies, vec!["10.0.0.0/8", "192.0.2.7"]);
        let list = s.trusted_proxy_list().unwrap();
        assert!(list.allows("10.2.3.4".parse().unwrap()));
        assert!(!list.allows("192.0.2.8".parse().unwrap()));
        assert!(
            load(&[])
                .unwrap()
                .trusted_proxy_list()
                .unwrap()
                .is_unrestricted()
        );
        assert!(matches!(
            load(&[("TRUSTED_PROXIES", "10.0.0.0/8, proxy.example.org")]),
            Err(SettingsError::TrustedProxies)
        ));
    }

    #[test]
    fn the_secrets_key_lives_in_the_data_directory_unless_configured() {
        let s = load(&[("DATA_DIR", "/tmp/v")]).unwrap();
        assert_eq!(s.secrets_key_file(), PathBuf::from("/tmp/v/secrets.key"));
        let s = load(&[("SECRETS_KEY_FILE", "/run/secrets/vern.key")]).unwrap();
        assert_eq!(s.secrets_key_file(), PathBuf::from("/run/secrets/vern.key"));
        let s = load(&[("DATA_DIR", "/tmp/v")]).unwrap();
        assert_eq!(s.content_key_file(), PathBuf::from("/tmp/v/content.key"));
        let s = load(&[("CONTENT_KEY_FILE", "/run/secrets/content.key")]).unwrap();
        assert_eq!(
            s.content_key_file(),
            PathBuf::from("/run/secrets/content.key")
        );
    }

    #[test]
    fn environment_overrides_defaults() {
        let s = load(&[
            ("HTTP_ADDR", "127.0.0.1:9999"),
            ("DATA_DIR", "/tmp/v"),
            ("LOG_FORMAT", "json"),
        ])
        .unwrap();
        assert_eq!(s.http_addr.port(), 9999);
        assert_eq!(s.database_url(), "sqlite:/tmp/v/vern.db");
        assert_eq!(s.public_url(), "http://localhost:9999");
        assert_eq!(s.log_format, LogFormat::Json);
    }

    #[test]
    fn a_config_file_is_read_and_the_environment_wins_over_it() {
        let mut result = None;
        Jail::expect_with(|jail| {
            jail.create_file("vern.toml", "demo = true\nlog = \"debug\"\n")?;
            jail.set_env("VERN_LOG", "warn");
            result = Some(Settings::load());
            Ok(())
        });
        let s = result.unwrap().unwrap();
        assert!(s.demo);
        assert_eq!(s.log, "warn");
    }

    #[test]
    fn booleans_accept_what_people_write() {
        for (raw, expected) in [
            ("1", true),
            ("true", true),
            ("yes", true),
            ("0", false),
            ("off", false),
        ] {
            assert_eq!(load(&[("DEMO", raw)]).unwrap().demo, expected, "{raw}");
        }
        assert!(load(&[("DEMO", "maybe")]).is_err());
    }

    #[test]
    fn bad_values_are_refused_with_a_clear_message() {
        let err = load(&[("HTTP_ADDR", "not an address")])
            .unwrap_err()
            .to_string();
        assert!(err.to_lowercase().contains("http_addr"), "{err}");
        assert!(!err.contains('\n'), "{err}");
        assert!(matches!(
            load(&[("PUBLIC_URL", "ftp://x")]),
            Err(SettingsError::PublicUrl)
        ));
        assert!(matches!(
            load(&[("DATABASE_URL", "mysql://x")]),
            Err(SettingsError::DatabaseUrl)
        ));
        assert!(matches!(
            load(&[("DB_MAX_CONNECTIONS", "0")]),
            Err(SettingsError::PoolSize)
        ));
        assert!(load(&[("NO_SUCH_SETTING", "1")]).is_err());
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret("postgres://u:hunter2@h/db".to_owned());
        assert_eq!(format!("{s:?}"), "Secret(***)");
    }

    #[test]
    fn the_test_login_is_refused_outside_loopback() {
        let on_loopback = load(&[
            ("PUBLIC_URL", "http://localhost:8080"),
            ("RESIDENT_OIDC_ISSUER", "http://127.0.0.1:8090"),
            ("RESIDENT_OIDC_CLIENT_ID", "vern-local"),
            ("RESIDENT_TEST_LOGIN", "true"),
        ])
        .unwrap();
        assert!(on_loopback.resident_test_login);
        for (public, issuer) in [
            (
                "https://personvern.oslo.kommune.no",
                "http://127.0.0.1:8090",
            ),
            ("http://localhost:8080", "https://idporten.no"),
        ] {
            let refused = load(&[
                ("PUBLIC_URL", public),
                ("RESIDENT_OIDC_ISSUER", issuer),
                ("RESIDENT_OIDC_CLIENT_ID", "vern"),
                ("RESIDENT_TEST_LOGIN", "true"),
            ]);
            assert!(
                matches!(refused, Err(SettingsError::TestLoginOutsideLoopback)),
                "{public} {issuer}"
            );
        }
        // Without a public URL it cannot be known to be loopback.
        assert!(matches!(
            load(&[
                ("RESIDENT_OIDC_ISSUER", "http://127.0.0.1:8090"),
                ("RESIDENT_OIDC_CLIENT_ID", "vern"),
                ("RESIDENT_TEST_LOGIN", "true"),
            ]),
            Err(SettingsError::TestLoginOutsideLoopback)
        ));
        // A production provider must use https and name the client.
        for vars in [
            vec![
                ("RESIDENT_OIDC_ISSUER", "http://idporten.no"),
                ("RESIDENT_OIDC_CLIENT_ID", "vern"),
            ],
            vec![("RESIDENT_OIDC_ISSUER", "https://idporten.no")],
        ] {
            assert!(matches!(load(&vars), Err(SettingsError::ResidentLogin)));
        }
        assert!(
            load(&[
                ("RESIDENT_OIDC_ISSUER", "https://idporten.no"),
                ("RESIDENT_OIDC_CLIENT_ID", "vern"),
            ])
            .is_ok()
        );
    }
}
