//! The integration guide's examples work: every `sh` block of `docs/integration.md` is run,
//! in order, in one bash against a test server, with an API client made here.

use serde_json::{Value, json};
use vern_domain::access::Role;

use crate::auth::{create_user, log_in};
use crate::helpers::spawn_demo_app;

/// The guide's `sh` blocks, in order.
fn sh_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), text) => {
                block.push_str(text);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn the_guide_has_examples_for_each_subject() {
    let guide = include_str!("../../../../docs/integration.md");
    let blocks = sh_blocks(guide);
    assert!(blocks.len() >= 6, "{}", blocks.len());
    for needle in [
        "auth/token",
        "cursor",
        "If-Match",
        "validation_failed",
        "openssl dgst",
    ] {
        assert!(
            blocks.iter().any(|b| b.contains(needle)),
            "no example with {needle}"
        );
    }
    for heading in [
        "## Authentication",
        "### Maskinporten",
        "## Reading lists",
        "## Errors",
        "## Rate limits",
        "## Webhooks",
    ] {
        assert!(guide.contains(heading), "{heading}");
    }
}

#[tokio::test]
async fn the_guides_curl_examples_run_against_a_server() {
    for tool in ["curl", "jq", "openssl"] {
        let found = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .status()
            .is_ok_and(|s| s.success());
        assert!(found, "{tool} is needed (scripts/ensure.sh installs it)");
    }
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let admin = create_user(
        &app,
        "guide-admin@example.org",
        &[(oslo, Role::OrgAdmin), (oslo, Role::RegisterEditor)],
        true,
    )
    .await;
    let admin = log_in(&app, &admin).await;
    let created: Value = app
        .post_as(
            &admin.access,
            &format!("/api/v1/organizations/{oslo}/api-clients"),
            json!({"name": "Integrasjonsguiden", "scopes": ["read_register", "edit_register"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    // A webhook delivery as Vern signs it, for the verification example.
    let webhook_secret = "guide-secret-0123456789";
    let body =
        json!({"delivery_id": uuid::Uuid::now_v7(), "type": "incident.registered"}).to_string();
    let signature = vern_domain::connector::sign(
        webhook_secret.as_bytes(),
        chrono::Utc::now().timestamp(),
        body.as_bytes(),
    );

    let guide = include_str!("../../../../docs/integration.md");
    let script = format!("set -euo pipefail\n{}", sh_blocks(guide).join("\n"));
    let address = app.address.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(script)
            .env("VERN", address)
            .env("ORG", oslo.to_string())
            .env(
                "CLIENT_ID",
                created["client"]["client_id"].as_str().unwrap(),
            )
            .env("CLIENT_SECRET", created["client_secret"].as_str().unwrap())
            .env("WEBHOOK_SECRET", webhook_secret)
            .env("WEBHOOK_BODY", body)
            .env("WEBHOOK_SIGNATURE", signature)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the guide's examples failed:\n{stdout}\n{stderr}"
    );
    // What the examples print shows they did what the guide says.
    for expected in [
        "token: ",
        "created ",
        "phasing_out",
        "a stale ETag gets 412",
        "\"validation_failed\"",
        "signature verified",
        "Arkivsystem (integrasjonsguide): retired",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    // Every page of the paginated list was read: each of Oslo's systems is named.
    let (_, all) = app
        .get_json_as(
            &admin.access,
            &format!("/api/v1/organizations/{oslo}/systems?limit=500"),
        )
        .await;
    for system in all["items"].as_array().unwrap() {
        assert!(
            stdout.contains(system["name"].as_str().unwrap()),
            "{system}"
        );
    }
    // The clean-up retired the guide's system.
    let guide_system = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Arkivsystem (integrasjonsguide)")
        .expect("the guide's system");
    assert_eq!(guide_system["status"], "retired");
}
