//! The authorization matrix: every operation in the committed OpenAPI document is called
//! without credentials and with a forged token. Every operation not documented as public
//! (`security: [{}]`) must answer 401 — so each new endpoint is covered the moment it is
//! documented. Every operation under `/organizations/{org_id}/…` must answer 404 to an
//! administrator of another organisation.

use serde_json::Value;

use vern_domain::OrgKind;
use vern_domain::access::Role;

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::spawn_demo_app;

fn committed() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A body every organisation-scoped operation's schema accepts, so that the answer is
/// about access and not about the body.
fn is_public(op: &Value) -> bool {
    op["security"].as_array().is_some_and(|reqs| {
        reqs.iter()
            .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
    })
}

#[tokio::test]
async fn every_protected_operation_refuses_anonymous_and_forged_callers() {
    let app = spawn_demo_app().await;
    let target = first_org(&app, OrgKind::Municipality).await;
    let (_, page) = app
        .get_json("/api/v1/organizations?kind=municipality&limit=2")
        .await;
    let elsewhere: vern_domain::OrganizationId =
        page["items"][1]["id"].as_str().unwrap().parse().unwrap();
    let outsider = create_user(
        &app,
        "utenfor@example.org",
        &[(elsewhere, Role::OrgAdmin)],
        true,
    )
    .await;
    let outsider = log_in(&app, &outsider).await;
    let created: Value = app
        .post_as(
            &outsider.access,
            &format!("/api/v1/organizations/{elsewhere}/api-clients"),
            serde_json::json!({"name": "Utenfor", "scopes": ["read_audit_log"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token: Value = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            (
                "client_id",
                created["client"]["client_id"].as_str().unwrap(),
            ),
            ("client_secret", created["client_secret"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let outsider_client = token["access_token"].as_str().unwrap().to_owned();
    let spec = committed();
    let mut protected = 0;
    let mut org_scoped = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        let concrete = path
            .replace("{org_id}", &target.to_string())
            .replace("{user_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{role}", "auditor")
            .replace("{client_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{invitation_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{request_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{session_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{passkey_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{grant_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{product_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{system_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{activity_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{item_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{template_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{term_key}", "local:ukjent")
            .replace("{agreement_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{version}", "1")
            .replace("{notice_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{campaign_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{task_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{attachment_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{incident_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{notification_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{consent_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{webhook_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{delivery_id}", &uuid::Uuid::now_v7().to_string());
        assert!(
            !concrete.contains('{'),
            "add a value for the parameters of {path}"
        );
        for (method, op) in item.as_object().unwrap() {
            let method: reqwest::Method = method.to_uppercase().parse().unwrap();
            for token in [None, Some("eyJhbGciOiJFZERTQSJ9.e30.AAAA")] {
                let mut request = app.client.request(method.clone(), app.url(&concrete));
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                let status = request
                    .json(&serde_json::json!({}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16();
                if is_public(op) {
                    // Public operations judge the credentials in their body or cookie
                    // themselves (login, refresh); they only must not fail.
                    assert!(status < 500, "{method} {path}: {status}");
                } else {
                    assert_eq!(status, 401, "{method} {path} with token {token:?}");
                }
            }
            if !is_public(op) {
                protected += 1;
            }
            if path.contains("{org_id}") && !is_public(op) {
                org_scoped += 1;
                let status = app
                    .client
                    .request(method.clone(), app.url(&concrete))
                    .bearer_auth(&outsider.access)
                    .json(&serde_json::json!({"not": "the schema"}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16();
                assert_eq!(
                    status, 404,
                    "{method} {path} as another organisation's administrator"
                );
                // Another organisation's API client: 404, or 403 where only staff may act.
                let status = app
                    .client
                    .request(method.clone(), app.url(&concrete))
                    .bearer_auth(&outsider_client)
                    .json(&serde_json::json!({"not": "the schema"}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16();
                assert!(
                    status == 404 || status == 403,
                    "{method} {path} as another organisation's API client: {status}"
                );
            }
        }
    }
    assert!(protected >= 2, "expected protected operations in the spec");
    assert!(
        org_scoped >= 4,
        "expected organisation-scoped operations in the spec"
    );
}
