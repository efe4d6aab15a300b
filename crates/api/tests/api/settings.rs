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
