use serde_json::{Value, json};
use vern_domain::OrgKind;
use vern_domain::access::{IpAllowlist, Role};

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{assert_problem, spawn_demo_app};

#[tokio::test]
async fn the_ip_allowlist_admits_listed_networks_and_refuses_others() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "nett@example.org", &[(org, Role::OrgAdmin)], true).await;
    let session = log_in(&app, &admin).await;
    let url = app.url(&format!(
        "/api/v1/organizations/{org}/settings/ip-allowlist"
    ));
    let members = app.url(&format!("/api/v1/organizations/{org}/members"));

    let empty: Value = app
        .client
        .get(&url)
        .bearer_auth(&session.access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(empty, json!({"entries": []}));

    // A list without the caller's own address would lock them out: refused.
    let response = app
        .client
        .put(&url)
        .bearer_auth(&session.access)
        .json(&json!({"entries": ["10.0.0.0/8"]}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "would_lock_you_out");
    let response = app
        .client
        .put(&url)
        .bearer_auth(&session.access)
        .json(&json!({"entries": ["10.0.0.0/8", "not-a-range"]}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "entries[1]");

    // Loopback included: stored normalised, and the admin still gets in.
    let response = app
        .client
        .put(&url)
        .bearer_auth(&session.access)
        .json(&json!({"entries": ["127.0.0.1", "10.1.2.3/8"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"entries": ["10.0.0.0/8", "127.0.0.1/32"]})
    );
    assert_eq!(
        app.client
            .get(&members)
            .bearer_auth(&session.access)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Once loopback is no longer listed, requests from here are refused.
    let elsewhere = IpAllowlist::parse(&["10.0.0.0/8"]).unwrap();
    vern_db::organizations::set_ip_allowlist(&app.db.conn, org, &elsewhere, chrono::Utc::now())
        .await
        .unwrap();
    let response = app
        .client
        .get(&members)
        .bearer_auth(&session.access)
        .send()
        .await
        .unwrap();
    assert_problem(response, 403, "ip_not_allowed").await;

    // The change was audited.
    let chain = vern_db::audit::chain(&app.db.conn, Some(org))
        .await
        .unwrap();
    assert_eq!(
        chain.last().unwrap().action,
        "settings.ip_allowlist_changed"
    );
}

#[tokio::test]
async fn only_administrators_see_the_allowlist_and_outsiders_learn_nothing() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let dpo = create_user(
        &app,
        "pvo2@example.org",
        &[(org, Role::PrivacyOfficer)],
        true,
    )
    .await;
    let session = log_in(&app, &dpo).await;
    let url = app.url(&format!(
        "/api/v1/organizations/{org}/settings/ip-allowlist"
    ));
    assert_problem(
        app.client
            .get(&url)
            .bearer_auth(&session.access)
            .send()
            .await
            .unwrap(),
        403,
        "forbidden",
    )
    .await;
    let put = app
        .client
        .put(&url)
        .bearer_auth(&session.access)
        .json(&json!({"entries": []}))
        .send()
        .await
        .unwrap();
    assert_problem(put, 403, "forbidden").await;
}

async fn members_from(
    app: &crate::helpers::TestApp,
    access: &str,
    org: vern_domain::OrganizationId,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .get(app.url(&format!("/api/v1/organizations/{org}/members")))
        .bearer_auth(access);
    if let Some(value) = forwarded_for {
        request = request.header("x-forwarded-for", value);
    }
    request.send().await.unwrap()
}

/// Behind a trusted reverse proxy the allowlist judges the address the proxy names; without
/// one, `X-Forwarded-For` is nobody's word.
#[tokio::test]
async fn the_allowlist_judges_the_address_a_trusted_proxy_names() {
    let app = crate::helpers::spawn_app_with(crate::helpers::Options {
        demo: true,
        trusted_proxies: &["127.0.0.0/8"],
        ..crate::helpers::Options::default()
    })
    .await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "proxy@example.org", &[(org, Role::OrgAdmin)], true).await;
    let session = log_in(&app, &admin).await;
    let office = IpAllowlist::parse(&["198.51.100.0/24"]).unwrap();
    vern_db::organizations::set_ip_allowlist(&app.db.conn, org, &office, chrono::Utc::now())
        .await
        .unwrap();
    let inside = members_from(&app, &session.access, org, Some("198.51.100.20")).await;
    assert_eq!(inside.status(), 200);
    // A client cannot prepend the office address: the proxy's own entry is read.
    let spoofed = members_from(
        &app,
        &session.access,
        org,
        Some("198.51.100.20, 203.0.113.5"),
    )
    .await;
    assert_problem(spoofed, 403, "ip_not_allowed").await;
    // Without the header the proxy itself (loopback) is the client: not in the list.
    let direct = members_from(&app, &session.access, org, None).await;
    assert_problem(direct, 403, "ip_not_allowed").await;

    // Without trusted proxies the same header changes nothing.
    let plain = spawn_demo_app().await;
    let org = first_org(&plain, OrgKind::Municipality).await;
    let admin = create_user(&plain, "proxy@example.org", &[(org, Role::OrgAdmin)], true).await;
    let session = log_in(&plain, &admin).await;
    vern_db::organizations::set_ip_allowlist(&plain.db.conn, org, &office, chrono::Utc::now())
        .await
        .unwrap();
    let claimed = members_from(&plain, &session.access, org, Some("198.51.100.20")).await;
    assert_problem(claimed, 403, "ip_not_allowed").await;
}

/// Failed logins are counted per client address as the trusted proxy names it: one
/// address locked out leaves another behind the same proxy unaffected.
#[tokio::test]
async fn throttling_counts_the_address_a_trusted_proxy_names() {
    let app = crate::helpers::spawn_app_with(crate::helpers::Options {
        demo: false,
        trusted_proxies: &["127.0.0.1"],
        ..crate::helpers::Options::default()
    })
    .await;
    let login = |email: String, forwarded: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", forwarded)
            .json(&json!({"email": email, "password": "feil passord her"}))
            .send()
    };
    // The per-address budget is 30 failures; spread over accounts so no account locks.
    for attempt in 0..31 {
        let email = format!("gjest{}@example.org", attempt % 8);
        let response = login(email, "203.0.113.7").await.unwrap();
        assert!(
            [401, 429].contains(&response.status().as_u16()),
            "attempt {attempt}"
        );
    }
    let response = login("ny.gjest@example.org".into(), "203.0.113.7")
        .await
        .unwrap();
    assert_problem(response, 429, "rate_limited").await;
    let response = login("ny.gjest@example.org".into(), "198.51.100.9")
        .await
        .unwrap();
    assert_problem(response, 401, "invalid_credentials").await;
}
