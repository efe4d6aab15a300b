//! Building the application from `Settings`: database, migrations, demo data, HTTP server.
//! Tests call the same code with port 0 and their own database.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context as _;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};
use vern_db::Database;

use crate::openapi::{self, MethodTable};
use crate::settings::Settings;
use crate::telemetry::VernRootSpan;
use crate::{error, middleware, routes, spa};

/// What every handler can reach.
#[derive(Debug)]
pub struct AppState {
    pub db: Database,
    pub keys: crate::auth::JwtKeys,
    pub methods: MethodTable,
    pub static_dir: PathBuf,
    pub public_url: String,
    /// The WebAuthn relying party: the public URL's host and origin.
    pub webauthn: Arc<webauthn_rs::Webauthn>,
    /// Encrypts second-factor secrets at rest.
    pub secrets: Arc<crate::auth::SecretBox>,
    /// Encrypts request contents, case notes and replies at rest.
    pub content: Arc<crate::auth::SecretBox>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: vern_domain::access::IpAllowlist,
    /// Outbound HTTP(S): systems' connectors.
    pub outbound: reqwest::Client,
    pub connectors: crate::connectors::ConnectorConfig,
    /// Resident login through OpenID Connect; `None` when no provider is configured.
    pub resident_login: Option<Arc<crate::residents::ResidentLogin>>,
    /// Integrations' tokens from an external authorisation server (Maskinporten); `None`
    /// when none is configured.
    pub external_issuer: Option<Arc<crate::auth::external::ExternalIssuer>>,
    /// Requests per API client.
    pub client_limits: Arc<crate::auth::limits::ClientLimits>,
    /// Sends webhook deliveries.
    pub webhooks: crate::webhooks::WebhookSender,
}

impl AppState {
    /// A second-factor secret in its stored (encrypted) form.
    pub fn seal_secret(&self, secret: &str) -> Result<String, crate::error::ApiError> {
        self.secrets
            .seal(secret)
            .map_err(|e| crate::error::ApiError::internal(anyhow::anyhow!(e)))
    }

    /// The second-factor secret in a stored value; a value the key cannot open is a
    /// configuration fault (another instance's key file), answered 500 and logged.
    pub fn open_secret(&self, stored: &str) -> Result<String, crate::error::ApiError> {
        self.secrets
            .open(stored)
            .map_err(|e| crate::error::ApiError::internal(anyhow::anyhow!(e)))
    }
}

impl AppState {
    /// Request content in its stored (encrypted) form.
    pub fn seal_content(&self, text: &str) -> Result<String, crate::error::ApiError> {
        self.content
            .seal(text)
            .map_err(|e| crate::error::ApiError::internal(anyhow::anyhow!(e)))
    }

    /// Request content from its stored form; a value the key cannot open is a configuration
    /// fault (another instance's content key), answered 500 and logged.
    pub fn open_content(&self, stored: &str) -> Result<String, crate::error::ApiError> {
        self.content
            .open(stored)
            .map_err(|e| crate::error::ApiError::internal(anyhow::anyhow!(e)))
    }

    /// The look-up hash of a national id: finds a resident's requests without the number.
    pub fn requester_key(&self, national_id: &vern_domain::person::NationalId) -> String {
        self.content.lookup_key(&national_id.expose())
    }
}

pub struct Application {
    port: u16,
    server: Server,
    db: Database,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let url = settings.database_url();
        if settings.database_url.is_none() {
            std::fs::create_dir_all(&settings.data_dir).with_context(|| {
                format!(
                    "cannot create data directory {}",
                    settings.data_dir.display()
                )
            })?;
        }
        let db = vern_db::connect(&url, settings.db_max_connections)
            .await
            .context("cannot open the database")?;
        let applied = vern_db::connection::migrate(&db)
            .await
            .context("database migration failed")?;
        if applied > 0 {
            tracing::info!(applied, "database migrations applied");
        }
        if settings.demo {
            let report = vern_db::seed::seed_demo(&db, chrono::Utc::now(), |_, _| {})
                .await
                .context("seeding demo data failed")?;
            tracing::info!(
                created = report.created,
                kept = report.kept,
                "demo data ready"
            );
        }
        let listener = TcpListener::bind(settings.http_addr)
            .with_context(|| format!("cannot listen on {}", settings.http_addr))?;
        let port = listener.local_addr()?.port();
        let source = match &settings.signing_key_file {
            Some(path) => crate::auth::keys::KeySource::File(path.clone()),
            None => crate::auth::keys::KeySource::Database,
        };
        let keys = crate::auth::JwtKeys::open(&db, source)
            .await
            .context("cannot load the signing keys")?;
        let secrets = crate::auth::SecretBox::open_or_create(&settings.secrets_key_file())
            .context("cannot load the secrets key")?;
        let content = crate::auth::SecretBox::open_or_create_for(
            &settings.content_key_file(),
            crate::auth::secrets::CONTENT,
        )
        .context("cannot load the content key")?;
        let sealed = crate::auth::secrets::seal_stored_secrets(&db, &secrets)
            .await
            .context("cannot encrypt the stored second-factor secrets")?;
        if sealed > 0 {
            tracing::info!(sealed, "second-factor secrets encrypted at rest");
        }
        if settings.demo {
            let credentials = crate::demo::seed_users(&db, &secrets, &settings.data_dir)
                .await
                .context("seeding demo users failed")?;
            if let Some(credentials) = credentials {
                crate::demo::seed_agreements(&db)
                    .await
                    .context("seeding demo agreements failed")?;
                crate::demo::seed_requests(&db, &content)
                    .await
                    .context("seeding demo requests failed")?;
                crate::demo::seed_incidents(&db)
                    .await
                    .context("seeding demo incidents failed")?;
                crate::demo::seed_consents(&db, &content)
                    .await
                    .context("seeding demo consents failed")?;
                let path = crate::demo::credentials_path(&settings.data_dir);
                println!("{}", crate::demo::banner(&credentials, &path));
            }
            if let Some(url) = &settings.demo_connector_url {
                let file = settings
                    .demo_connector_secret_file
                    .clone()
                    .unwrap_or_else(|| settings.data_dir.join("demo-connector.secret"));
                if crate::demo::seed_connector(&db, &secrets, url, &file)
                    .await
                    .context("setting up the demo connector failed")?
                {
                    tracing::info!(%url, "Oslo's Skolesekk answers request tasks through the demo subject system");
                }
            }
        }
        let server = run(listener, db.clone(), keys, (secrets, content), &settings)?;
        Ok(Self { port, server, db })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn database(&self) -> &Database {
        &self.db
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn run(
    listener: TcpListener,
    db: Database,
    keys: crate::auth::JwtKeys,
    (secrets, content): (crate::auth::SecretBox, crate::auth::SecretBox),
    settings: &Settings,
) -> anyhow::Result<Server> {
    let spec = openapi::spec();
    let secrets = Arc::new(secrets);
    // One pool of outbound connections: connectors, the external issuer's keys, webhooks.
    let outbound = crate::connectors::client()?;
    let state = web::Data::new(AppState {
        db: db.clone(),
        keys,
        methods: MethodTable::from_spec(&spec),
        static_dir: settings.static_dir.clone(),
        public_url: settings.public_url(),
        webauthn: Arc::new(relying_party(&settings.public_url())?),
        secrets: secrets.clone(),
        content: Arc::new(content),
        trusted_proxies: settings.trusted_proxy_list()?,
        outbound: outbound.clone(),
        connectors: crate::connectors::ConnectorConfig {
            timeout: std::time::Duration::from_millis(settings.connector_timeout_ms),
            retry: std::time::Duration::from_millis(settings.connector_retry_ms),
            attempts: settings.connector_attempts,
            lookup_timeout: std::time::Duration::from_millis(settings.lookup_timeout_ms),
            callback_base: match &settings.public_url {
                Some(_) => settings.public_url(),
                None => format!("http://127.0.0.1:{}", listener.local_addr()?.port()),
            },
        },
        resident_login: crate::residents::ResidentLogin::from_settings(settings)?.map(Arc::new),
        external_issuer: crate::auth::external::ExternalIssuer::from_settings(
            settings,
            outbound.clone(),
        )
        .map(Arc::new),
        client_limits: Arc::new(crate::auth::limits::ClientLimits::new(
            settings.client_rate_limit_per_minute,
        )),
        webhooks: crate::webhooks::WebhookSender {
            db: db.clone(),
            http: outbound,
            secrets: secrets.clone(),
            retry_base: chrono::Duration::milliseconds(
                i64::try_from(settings.webhook_retry_ms).unwrap_or(60_000),
            ),
            timeout: std::time::Duration::from_millis(settings.connector_timeout_ms),
        },
    });
    // Time-based work (purging closed answer windows, reminders, e-mail): every instance ticks, the
    // database lets one run each due job.
    crate::scheduler::spawn(
        state.db.clone(),
        crate::scheduler::SchedulerConfig {
            tick: std::time::Duration::from_millis(settings.scheduler_tick_ms),
            interval_override: settings
                .scheduler_interval_ms
                .and_then(|ms| i64::try_from(ms).ok())
                .map(chrono::Duration::milliseconds),
            instance: format!(
                "{}-{}",
                std::process::id(),
                &uuid::Uuid::now_v7().simple().to_string()[20..]
            ),
            webhooks: Some(state.webhooks.clone()),
            mailer: crate::mail::Mailer::new(
                settings.smtp_url.as_ref().map(|s| s.expose()),
                &settings.mail_from,
            )?
            .map(Arc::new),
            public_url: settings.public_url(),
        },
    );
    // Tasks a stopped server left queued.
    let resuming = state.clone();
    tokio::spawn(async move {
        match crate::connectors::resume(resuming).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(tasks = n, "resumed sending queued tasks"),
            Err(e) => tracing::warn!(error = %e, "could not resume queued tasks"),
        }
    });
    // Pick up key rotations made elsewhere (`vern keys rotate`, another instance).
    let reloading = state.clone();
    tokio::spawn(async move {
        let period = std::time::Duration::from_secs(crate::auth::keys::RELOAD_SECONDS);
        loop {
            tokio::time::sleep(period).await;
            if let Err(e) = reloading.keys.reload(&reloading.db).await {
                tracing::warn!(error = %e, "could not reload the signing keys");
            }
        }
    });
    let spec = Arc::new(spec);
    let bench = settings.bench_endpoints;
    let mut server = HttpServer::new(move || {
        let app = App::new();
        // Records request and answer examples for the OpenAPI document (`just record-examples`).
        #[cfg(feature = "record-examples")]
        let app = app.wrap(from_fn(crate::examples::recorder::record));
        let (app, _) = app
            // Innermost first: `finish` completes every response before it is compressed.
            .wrap(from_fn(middleware::finish))
            .wrap(Compress::default())
            .wrap(TracingLogger::<VernRootSpan>::new())
            .app_data(state.clone())
            .configure(error::extractor_config)
            .into_utoipa_app()
            .configure(routes::mount)
            .split_for_parts();
        let docs = SwaggerUi::new("/api/docs/{_:.*}")
            .url("/api/openapi.json", (*spec).clone())
            .config(
                Config::default()
                    .validator_url("none")
                    .try_it_out_enabled(true),
            );
        let app = app
            .route("/api/docs", web::get().to(docs_redirect))
            .service(docs)
            .default_service(web::to(spa::fallback));
        if bench {
            app.configure(routes::bench::mount)
        } else {
            app
        }
    })
    .listen(listener)?
    .shutdown_timeout(10);
    if let Some(workers) = settings.workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}

/// The WebAuthn relying party for the public URL. Browsers allow WebAuthn only on a domain
/// name (`localhost` included), never on an IP address.
fn relying_party(public_url: &str) -> anyhow::Result<webauthn_rs::Webauthn> {
    use anyhow::Context as _;
    let origin =
        webauthn_rs::prelude::Url::parse(public_url).context("VERN_PUBLIC_URL is not a URL")?;
    let rp_id = origin
        .domain()
        .context("VERN_PUBLIC_URL must name a host (not an IP address) for passkeys")?
        .to_owned();
    webauthn_rs::WebauthnBuilder::new(&rp_id, &origin)
        .context("WebAuthn relying party")?
        .rp_name("Vern")
        .build()
        .context("WebAuthn relying party")
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/api/docs/"))
        .finish()
}
