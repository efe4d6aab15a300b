//! `vern-test-idp` — TEST ONLY. The OpenID Connect provider `just run` and the browser
//! journeys log residents in with; see the library's documentation.

use std::net::{SocketAddr, TcpListener};

use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    about = "TEST ONLY: logs in made-up residents with synthetic national ids (loopback only)"
)]
struct Args {
    /// Where to listen: a loopback address.
    #[arg(long, env = "VERN_TEST_IDP_LISTEN", default_value = "127.0.0.1:8090")]
    listen: SocketAddr,
    /// The issuer it names itself; default `http://<listen>`.
    #[arg(long, env = "VERN_TEST_IDP_ISSUER")]
    issuer: Option<String>,
    /// The client (Vern) it serves.
    #[arg(long, env = "VERN_TEST_IDP_CLIENT_ID", default_value = "vern-local")]
    client_id: String,
    /// The client's secret, when it should present one.
    #[arg(long, env = "VERN_TEST_IDP_CLIENT_SECRET")]
    client_secret: Option<String>,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.listen.ip().is_loopback(),
        "vern-test-idp listens on loopback only; {} is not",
        args.listen
    );
    let listener = TcpListener::bind(args.listen)?;
    let issuer = args.issuer.unwrap_or_else(|| {
        format!(
            "http://{}",
            listener
                .local_addr()
                .map(|a| a.to_string())
                .unwrap_or_default()
        )
    });
    eprintln!("vern-test-idp (TEST ONLY, synthetic national ids) at {issuer}");
    let server = vern_test_idp::serve(
        listener,
        vern_test_idp::Config {
            issuer,
            client_id: args.client_id,
            client_secret: args.client_secret,
        },
    )?;
    let handle = server.handle();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        handle.stop(true).await;
    });
    server.await?;
    Ok(())
}
