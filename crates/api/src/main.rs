//! `vern`: the server and its maintenance commands.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use vern_api::settings::Settings;
use vern_api::startup::Application;

/// Vern — privacy compliance for Norwegian municipalities.
///
/// Configuration comes from defaults, an optional TOML file (VERN_CONFIG, or ./vern.toml)
/// and VERN_* environment variables; see the README for the list.
#[derive(Debug, Parser)]
#[command(name = "vern", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the server (the default). Applies pending migrations first.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (JSON) and exit.
    Openapi,
    /// Seed the demo data (idempotent), showing progress, and exit.
    Seed,
    /// Manage the JWT signing keys kept in the database.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
}

#[derive(Debug, Subcommand)]
enum KeysAction {
    /// List the keys: id, created, retired.
    List,
    /// Make a new key the signing key; the others keep verifying for 30 minutes.
    Rotate,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        return match vern_api::openapi::spec().to_pretty_json() {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&format!("cannot render the OpenAPI document: {e}")),
        };
    }
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(e) => return fail(&format!("configuration error: {e}")),
    };
    if let Err(e) = vern_api::telemetry::init(&settings.log, settings.log_format) {
        return fail(&format!("configuration error: {e}"));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}")),
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(settings).await,
            Command::Migrate => migrate(settings).await,
            Command::Seed => seed(settings).await,
            Command::Keys { action } => keys(settings, action).await,
            Command::Openapi => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("{e:#}")),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("vern: {message}");
    ExitCode::from(2)
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let public_url = settings.public_url();
    let app = Application::build(settings).await?;
    tracing::info!(port = app.port(), "Vern is listening");
    println!("Vern is running at {public_url} (API docs: {public_url}/api/docs/)");
    app.run_until_stopped().await?;
    Ok(())
}

async fn open(settings: &Settings) -> anyhow::Result<vern_db::Database> {
    use anyhow::Context as _;
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    vern_db::connect(&settings.database_url(), settings.db_max_connections)
        .await
        .context("cannot open the database")
}

async fn migrate(settings: Settings) -> anyhow::Result<()> {
    let db = open(&settings).await?;
    let applied = vern_db::connection::migrate(&db).await?;
    println!("{applied} migration(s) applied");
    Ok(())
}

async fn keys(settings: Settings, action: KeysAction) -> anyhow::Result<()> {
    if let Some(path) = &settings.signing_key_file {
        anyhow::bail!(
            "the signing key is kept in {} (VERN_SIGNING_KEY_FILE): rotate it by replacing \
             the file and restarting",
            path.display()
        );
    }
    let db = open(&settings).await?;
    vern_db::connection::migrate(&db).await?;
    match action {
        KeysAction::List => {
            let now = chrono::Utc::now();
            for key in vern_db::keys::all(&db.conn).await? {
                let state = match key.retired_at {
                    None => "active".to_owned(),
                    Some(at) if at > now => format!("verifying until {}", at.to_rfc3339()),
                    Some(at) => format!("retired {}", at.to_rfc3339()),
                };
                println!(
                    "{}  created {}  {state}",
                    key.kid,
                    key.created_at.to_rfc3339()
                );
            }
        }
        KeysAction::Rotate => {
            let kid = vern_api::auth::keys::rotate(&db).await?;
            println!(
                "new signing key {kid}; running instances switch within {} s, older keys \
                 verify for {} more minutes",
                vern_api::auth::keys::RELOAD_SECONDS,
                vern_api::auth::keys::RETIRE_AFTER_MINUTES
            );
        }
    }
    Ok(())
}

async fn seed(settings: Settings) -> anyhow::Result<()> {
    let db = open(&settings).await?;
    vern_db::connection::migrate(&db).await?;
    let report = vern_db::seed::seed_demo(&db, chrono::Utc::now(), |done, total| {
        eprint!("\rseeding demo data: {done}/{total}");
    })
    .await?;
    eprintln!();
    println!(
        "demo data: {} created, {} already there",
        report.created, report.kept
    );
    Ok(())
}
