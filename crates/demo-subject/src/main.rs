//! `vern-demo-subject`: a made-up municipal system ("Skolesekk (demo)") that speaks Vern's
//! connector protocol (see `vern_domain::connector`) with synthetic data only.
//!
//! Who it knows: any synthetic national identity number (month + 80) whose day of birth is
//! 1–15 — the demo residents among them; days 16–31 it has never heard of. It answers a
//! lookup at once, and a task either at once (`--mode immediate`) or with `202` and a signed
//! callback a little later (`--mode callback`, the default). It checks Vern's signature and
//! refuses a delivery id it has seen. `--delay-ms` makes it slow, for the fan-out benchmark.
//!
//! The shared secret is read from `--secret-file` at every message, so Vern may write it
//! after this starts (the demo does). If the file holds nothing yet, a secret is made and
//! written there (mode 0600). A file of several lines holds several secrets — one per
//! connector pointing here (the benchmark's fifty) — and a message signed with any of them
//! is taken; its callback is signed with the same one.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::Utc;
use clap::Parser;
use vern_domain::connector::{
    Callback, LookupAnswer, LookupMessage, SIGNATURE_HEADER, TaskAnswer, TaskMessage, TaskOutcome,
    sign, verify,
};
use vern_domain::person::NationalId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Mode {
    Immediate,
    Callback,
}

#[derive(Debug, Parser)]
#[command(about = "A demo system answering Vern's connector protocol with synthetic data")]
struct Args {
    /// Where to listen (loopback only).
    #[arg(long, env = "DEMO_SUBJECT_LISTEN", default_value = "127.0.0.1:8091")]
    listen: std::net::SocketAddr,
    /// The shared secret's file.
    #[arg(long, env = "DEMO_SUBJECT_SECRET_FILE")]
    secret_file: PathBuf,
    /// How tasks are answered.
    #[arg(long, value_enum, default_value = "callback")]
    mode: Mode,
    /// Wait this long before each answer (the benchmark's slow systems).
    #[arg(long, default_value_t = 0)]
    delay_ms: u64,
    /// With `--mode callback`: how long after the 202 the callback goes.
    #[arg(long, default_value_t = 700)]
    callback_delay_ms: u64,
    /// The system's name in its answers.
    #[arg(long, default_value = "Skolesekk (demo)")]
    name: String,
}

struct Shared {
    args: Args,
    seen: Mutex<HashSet<uuid::Uuid>>,
    client: reqwest::Client,
}

fn secrets(path: &PathBuf) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if !lines.is_empty() {
        return Ok(lines);
    }
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
    let made = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, &made)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(vec![made])
}

/// Whether this made-up system holds anything about the person.
fn knows(national_id: &str) -> Option<NationalId> {
    let id = NationalId::parse(national_id).ok()?;
    let digits = id.expose();
    let day: u32 = digits.get(0..2)?.parse().ok()?;
    let month: u32 = digits.get(2..4)?.parse().ok()?;
    (month > 80 && (1..=15).contains(&day)).then_some(id)
}

/// Synthetic records, derived from the number so that they stay the same between runs.
fn package(name: &str, id: &NationalId) -> serde_json::Value {
    let digits = id.expose();
    let n: u32 = digits.get(6..9).and_then(|s| s.parse().ok()).unwrap_or(0);
    let grade = 1 + n % 10;
    let class = ['A', 'B', 'C'][(n % 3) as usize];
    serde_json::json!({
        "system": name,
        "records": [
            {"type": "elevforhold", "skole": "Demoskolen", "trinn": grade, "klasse": format!("{grade}{class}"), "fra": "2024-08-15"},
            {"type": "fravaer", "skoleaar": "2025/2026", "dager": n % 7, "timer": n % 13},
            {"type": "kontaktperson", "rolle": "foresatt", "varsling": "e-post"}
        ]
    })
}

fn answer_for(name: &str, message: &TaskMessage) -> TaskAnswer {
    match knows(&message.subject.national_id) {
        Some(id) => TaskAnswer {
            outcome: TaskOutcome::Data,
            package: Some(package(name, &id)),
            files: Vec::new(),
            error_code: None,
        },
        None => TaskAnswer {
            outcome: TaskOutcome::NoData,
            package: None,
            files: Vec::new(),
            error_code: None,
        },
    }
}

/// Checks Vern's signature and that the delivery is new.
fn accept(
    shared: &Shared,
    req: &HttpRequest,
    body: &[u8],
) -> Result<String, (StatusCode, &'static str)> {
    let secrets = secrets(&shared.args.secret_file)
        .map_err(|_| (StatusCode::SERVICE_UNAVAILABLE, "no_secret"))?;
    let header = req
        .headers()
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let now = Utc::now().timestamp();
    let mut refusal = "signature_malformed";
    let mut matched = None;
    for secret in secrets {
        match verify(secret.as_bytes(), header, body, now) {
            Ok(_) => {
                matched = Some(secret);
                break;
            }
            Err(e) => refusal = e.code(),
        }
    }
    let secret = matched.ok_or((StatusCode::UNAUTHORIZED, refusal))?;
    let delivery = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("delivery_id")?.as_str()?.parse::<uuid::Uuid>().ok())
        .ok_or((StatusCode::BAD_REQUEST, "delivery_id_missing"))?;
    let fresh = shared
        .seen
        .lock()
        .map(|mut seen| seen.insert(delivery))
        .unwrap_or(false);
    if !fresh {
        return Err((StatusCode::CONFLICT, "replayed"));
    }
    Ok(secret)
}

async fn receive(shared: web::Data<Shared>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let secret = match accept(&shared, &req, &body) {
        Ok(s) => s,
        Err((status, reason)) => return HttpResponse::build(status).body(reason),
    };
    if shared.args.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(shared.args.delay_ms)).await;
    }
    let kind = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("type")?.as_str().map(str::to_owned));
    match kind.as_deref() {
        Some("lookup") => match serde_json::from_slice::<LookupMessage>(&body) {
            Ok(m) => HttpResponse::Ok().json(LookupAnswer {
                holds: knows(&m.subject.national_id).is_some(),
            }),
            Err(_) => HttpResponse::UnprocessableEntity().finish(),
        },
        Some("task") => match serde_json::from_slice::<TaskMessage>(&body) {
            Ok(m) => {
                let answer = answer_for(&shared.args.name, &m);
                if shared.args.mode == Mode::Immediate {
                    return HttpResponse::Ok().json(answer);
                }
                let shared = shared.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(shared.args.callback_delay_ms)).await;
                    let callback = Callback {
                        delivery_id: uuid::Uuid::now_v7(),
                        task_id: m.task_id,
                        answer,
                    };
                    let Ok(body) = serde_json::to_vec(&callback) else {
                        return;
                    };
                    let header = sign(secret.as_bytes(), Utc::now().timestamp(), &body);
                    let sent = shared
                        .client
                        .post(&m.callback_url)
                        .header("content-type", "application/json")
                        .header(SIGNATURE_HEADER, header)
                        .body(body)
                        .send()
                        .await;
                    match sent {
                        Ok(r) => println!("callback for task {}: {}", m.task_id, r.status()),
                        Err(e) => eprintln!("callback for task {} failed: {e}", m.task_id),
                    }
                });
                HttpResponse::Accepted().finish()
            }
            Err(_) => HttpResponse::UnprocessableEntity().finish(),
        },
        _ => HttpResponse::UnprocessableEntity().finish(),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if !args.listen.ip().is_loopback() {
        anyhow::bail!("the demo subject system listens on a loopback address only");
    }
    secrets(&args.secret_file)?;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listen = args.listen;
    let shared = web::Data::new(Shared {
        args,
        seen: Mutex::new(HashSet::new()),
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()?,
    });
    println!("vern-demo-subject listening on http://{listen}/");
    HttpServer::new(move || {
        App::new()
            .app_data(shared.clone())
            .app_data(web::PayloadConfig::default().limit(64 * 1024))
            .default_service(web::post().to(receive))
    })
    .workers(2)
    .bind(listen)?
    .run()
    .await?;
    Ok(())
}
