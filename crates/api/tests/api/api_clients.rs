//! API clients and the client credentials grant.

use base64::Engine as _;
use serde_json::{Value, json};
use vern_domain::OrgKind;
use vern_domain::access::Role;

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{TestApp, assert_problem, spawn_demo_app};

async fn token_form(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/token"))
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn create_client(
    app: &TestApp,
    admin: &str,
    org: vern_domain::OrganizationId,
    body: Value,
) -> reqwest::Response {
    app.post_as(
        admin,
        &format!("/api/v1/organizations/{org}/api-clients"),
        body,
    )
    .await
}

#[tokio::test]
async fn an_admin_creates_a_client_whose_token_works_in_its_organisation_only() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "admin@example.org", &[(org, Role::OrgAdmin)], true).await;
    let admin = log_in(&app, &admin).await;

    let response = create_client(
        &app,
        &admin.access,
        org,
        json!({"name": "  SIEM-eksport ", "scopes": ["read_audit_log"]}),
    )
    .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let client_id = created["client"]["client_id"].as_str().unwrap().to_owned();
    let secret = created["client_secret"].as_str().unwrap().to_owned();
    assert_eq!(created["client"]["name"], "SIEM-eksport");
    assert_eq!(created["client"]["scopes"], json!(["read_audit_log"]));
    assert!(secret.len() >= 40);

    // The list never shows the secret again.
    let list: Value = app
        .get_as(
            &admin.access,
            &format!("/api/v1/organizations/{org}/api-clients"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(!list.to_string().contains(&secret));

    // RFC 6749 form body.
    let response = token_form(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let token: Value = response.json().await.unwrap();
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["scope"], "read_audit_log");
    assert!(token["expires_in"].as_u64().unwrap() <= 900);
    let access = token["access_token"].as_str().unwrap().to_owned();

    // JSON body and HTTP Basic work too.
    let response = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{secret}"));
    let response = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .header("authorization", format!("Basic {basic}"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // The token reads its organisation's audit log, where its creation is recorded …
    let response = app
        .get_as(
            &access,
            &format!("/api/v1/organizations/{org}/audit-events"),
        )
        .await;
    assert_eq!(response.status(), 200);
    let actions = app.audit_actions(org).await;
    assert!(
        actions.contains(&"api_client.created".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"auth.client_token".to_owned()),
        "{actions:?}"
    );

    // … but nothing of another organisation, and no staff-only operation.
    let (_, page) = app
        .get_json("/api/v1/organizations?kind=municipality&limit=2")
        .await;
    let other = page["items"][1]["id"].as_str().unwrap();
    assert_problem(
        app.get_as(
            &access,
            &format!("/api/v1/organizations/{other}/audit-events"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&access, &format!("/api/v1/organizations/{org}/members"))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get_as(&access, "/api/v1/me").await, 403, "forbidden").await;

    // Revocation: the token already issued stops working at once, and no new one is given.
    let response = app
        .delete_as(
            &admin.access,
            &format!("/api/v1/organizations/{org}/api-clients/{client_id}"),
        )
        .await;
    assert_eq!(response.status(), 204);
    assert_problem(
        app.get_as(
            &access,
            &format!("/api/v1/organizations/{org}/audit-events"),
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        token_form(
            &app,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ],
        )
        .await,
        401,
        "invalid_client",
    )
    .await;
    // Revoking twice finds nothing live.
    assert_problem(
        app.delete_as(
            &admin.access,
            &format!("/api/v1/organizations/{org}/api-clients/{client_id}"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let actions = app.audit_actions(org).await;
    assert!(
        actions.contains(&"api_client.revoked".to_owned()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn clients_never_get_more_than_their_creator_holds_nor_identity_administration() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "admin@example.org", &[(org, Role::OrgAdmin)], true).await;
    let admin = log_in(&app, &admin).await;
    let dpo = create_user(
        &app,
        "dpo@example.org",
        &[(org, Role::PrivacyOfficer)],
        true,
    )
    .await;
    let dpo = log_in(&app, &dpo).await;

    for (body, field, code) in [
        (
            json!({"name": "x", "scopes": ["manage_members"]}),
            "scopes",
            "identity_administration",
        ),
        (
            json!({"name": "x", "scopes": ["manage_api_clients"]}),
            "scopes",
            "identity_administration",
        ),
        (
            json!({"name": "x", "scopes": ["read_register"]}),
            "scopes",
            "not_held_by_you",
        ),
        (
            json!({"name": "x", "scopes": ["handle_requests"]}),
            "scopes",
            "not_held_by_you",
        ),
        (json!({"name": "x", "scopes": []}), "scopes", "empty"),
        (
            json!({"name": " ", "scopes": ["read_audit_log"]}),
            "name",
            "length",
        ),
        (
            json!({"name": "x", "scopes": ["read_audit_log"], "expires_at": "2020-01-01T00:00:00Z"}),
            "expires_at",
            "in_the_past",
        ),
        (
            json!({"name": "x", "scopes": ["read_audit_log"], "expires_at": "2099-01-01T00:00:00Z"}),
            "expires_at",
            "too_far_ahead",
        ),
    ] {
        let problem = assert_problem(
            create_client(&app, &admin.access, org, body.clone()).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
        assert_eq!(problem["errors"][0]["code"], code, "{body}");
    }
    assert_problem(
        create_client(
            &app,
            &admin.access,
            org,
            json!({"name": "x", "scopes": ["no_such_thing"]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    // A privacy officer cannot manage clients at all.
    assert_problem(
        create_client(
            &app,
            &dpo.access,
            org,
            json!({"name": "x", "scopes": ["read_audit_log"]}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get_as(
            &dpo.access,
            &format!("/api/v1/organizations/{org}/api-clients"),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    // Nothing was written by the refused attempts.
    let list: Value = app
        .get_as(
            &admin.access,
            &format!("/api/v1/organizations/{org}/api-clients"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn the_token_endpoint_refuses_bad_grants_secrets_and_scopes_and_throttles() {
    let app = spawn_demo_app().await;
    let creds: Value = serde_json::from_slice(
        &std::fs::read(app_data_dir(&app).join("demo-credentials.json")).unwrap(),
    )
    .unwrap();
    let clients = creds["api_clients"].as_array().unwrap();
    assert_eq!(
        clients.len(),
        4,
        "one per demo municipality (Oslo, Bergen), vendor and authority"
    );
    let client = &clients[0];
    let id = client["client_id"].as_str().unwrap();
    let secret = client["client_secret"].as_str().unwrap();
    assert!(client["organization_id"].is_string());

    let ok = token_form(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
            ("scope", "read_register"),
        ],
    )
    .await;
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["scope"], "read_register");

    assert_problem(
        token_form(
            &app,
            &[
                ("grant_type", "password"),
                ("client_id", id),
                ("client_secret", secret),
            ],
        )
        .await,
        400,
        "unsupported_grant_type",
    )
    .await;
    assert_problem(
        token_form(
            &app,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret),
                ("scope", "manage_members"),
            ],
        )
        .await,
        400,
        "invalid_scope",
    )
    .await;
    assert_problem(
        token_form(
            &app,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret),
                ("scope", "root"),
            ],
        )
        .await,
        400,
        "invalid_scope",
    )
    .await;
    assert_problem(
        token_form(
            &app,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "not-a-client"),
                ("client_secret", "x"),
            ],
        )
        .await,
        401,
        "invalid_client",
    )
    .await;
    assert_problem(
        app.client
            .post(app.url("/api/v1/auth/token"))
            .header("content-type", "text/plain")
            .body("grant_type=client_credentials")
            .send()
            .await
            .unwrap(),
        415,
        "unsupported_media_type",
    )
    .await;
    // Wrong secrets for one client: after a few, even the right one waits.
    let mut throttled = false;
    for _ in 0..12 {
        let response = token_form(
            &app,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", "wrong"),
            ],
        )
        .await;
        if response.status() == 429 {
            assert!(response.headers().contains_key("retry-after"));
            throttled = true;
            break;
        }
        assert_problem(response, 401, "invalid_client").await;
    }
    assert!(throttled, "wrong secrets are throttled");
    let response = token_form(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ],
    )
    .await;
    assert_eq!(response.status(), 429);
}

fn app_data_dir(app: &TestApp) -> std::path::PathBuf {
    app.static_dir.parent().unwrap().to_path_buf()
}
