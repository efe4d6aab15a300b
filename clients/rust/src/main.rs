//! Smoke program for the Rust client that progenitor generates from the committed
//! `openapi/openapi.json` (see `build.rs`). Run against a server:
//!   VERN=http://127.0.0.1:8080 CLIENT_ID=… CLIENT_SECRET=… ORG=… cargo run -p vern-client-rust
//!
//! progenitor types `application/json` answers only; Vern's errors are
//! `application/problem+json`, so an error's body arrives as bytes and is read into the
//! generated `types::Problem`.

#[allow(
    dead_code,
    clippy::all,
    clippy::pedantic,
    missing_debug_implementations
)]
mod vern {
    include!(concat!(env!("OUT_DIR"), "/vern.rs"));
}

use std::num::NonZeroU32;

use futures::TryStreamExt;
use vern::{Client, types};

type Failure = Box<dyn std::error::Error>;

fn env(name: &str) -> Result<String, Failure> {
    std::env::var(name).map_err(|_| format!("{name} is not set").into())
}

fn check(condition: bool, what: &str) -> Result<(), Failure> {
    if !condition {
        return Err(format!("failed: {what}").into());
    }
    println!("ok: {what}");
    Ok(())
}

/// The problem+json document of an error answer, read into the generated type.
async fn problem(
    error: progenitor_client::Error<progenitor_client::ByteStream>,
) -> Result<types::Problem, Failure> {
    let progenitor_client::Error::ErrorResponse(answer) = error else {
        return Err(format!("expected a documented error answer, got {error}").into());
    };
    let chunks: Vec<_> = answer.into_inner().into_inner().try_collect().await?;
    Ok(serde_json::from_slice(&chunks.concat())?)
}

fn limit(n: u32) -> Option<NonZeroU32> {
    NonZeroU32::new(n)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let base = env("VERN")?;
    let org: types::OrganizationId = env("ORG")?.parse()?;

    // 1. Client credentials (the RFC 6749 form body).
    let anonymous = Client::new(&base);
    let token = anonymous
        .client_token(&types::ClientTokenRequest {
            grant_type: "client_credentials".into(),
            client_id: Some(env("CLIENT_ID")?),
            client_secret: Some(env("CLIENT_SECRET")?),
            scope: None,
        })
        .await?
        .into_inner();
    check(
        token.token_type.eq_ignore_ascii_case("bearer") && !token.access_token.is_empty(),
        "client credentials give a token",
    )?;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {}", token.access_token).parse()?,
    );
    let client = Client::new_with_client(
        &base,
        reqwest::Client::builder()
            .default_headers(headers)
            .build()?,
    );

    // 2. Organisations (public list).
    let orgs = client
        .list_organizations(None, None, limit(5), None)
        .await?
        .into_inner();
    check(orgs.items.len() == 5, "five organisations listed")?;
    let names: Vec<&str> = orgs.items.iter().map(|o| o.name.as_str()).collect();
    println!("  {}", names.join(", "));

    // 3. Create a system and read it back.
    let facts = types::SystemFacts {
        name: Some("Smoke (Rust)".try_into()?),
        owning_unit: "IT".try_into()?,
        status: types::SystemStatus::Planned,
        integrations: Vec::new(),
        notes: None,
        owners: Vec::new(),
        product_id: None,
        review_date: None,
        version: None,
    };
    let created = client.create_system(&org, &facts).await?;
    check(
        created.status() == reqwest::StatusCode::CREATED,
        "a system is created",
    )?;
    let id = created.into_inner().id;
    let read = client.get_system(&org, &id).await?;
    let etag = read
        .headers()
        .get(reqwest::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or("no ETag")?;
    let system = read.into_inner();
    check(
        system.name.as_ref().map(|n| n.as_str()) == Some("Smoke (Rust)")
            && system.status == types::SystemStatus::Planned,
        "it reads back",
    )?;

    // 4. Page through the systems, three at a time.
    let (mut cursor, mut seen, mut pages) = (None::<String>, 0, 0);
    loop {
        let page = client
            .list_systems(
                &org,
                cursor.as_deref(),
                limit(3),
                None,
                None,
                None,
                None,
                None,
            )
            .await?
            .into_inner();
        seen += page.items.len();
        pages += 1;
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    let all = client
        .list_systems(&org, None, limit(500), None, None, None, None, None)
        .await?
        .into_inner();
    check(
        pages > 1 && seen == all.items.len(),
        &format!("paged through {seen} systems in {pages} pages"),
    )?;

    // 5. Bad input gives a problem+json document.
    let nameless = types::SystemFacts {
        name: None,
        ..facts
    };
    let error = client
        .create_system(&org, &nameless)
        .await
        .err()
        .ok_or("a system without a name was accepted")?;
    check(
        error.status() == Some(reqwest::StatusCode::UNPROCESSABLE_ENTITY),
        "bad input is refused with 422",
    )?;
    let problem = problem(error).await?;
    check(
        problem.code == types::ProblemCode::ValidationFailed
            && problem.errors.first().map(|e| e.field.as_str()) == Some("name"),
        "the problem has code validation_failed on name",
    )?;

    // Clean up: a planned system can be deleted.
    let removed = client.delete_system(&org, &id, &etag).await?;
    check(
        removed.status() == reqwest::StatusCode::NO_CONTENT,
        "the system is deleted",
    )?;
    println!("rust client: all checks passed");
    Ok(())
}
