//! Passkeys through the real endpoints, driven by webauthn-authenticator-rs's software
//! passkey.

use serde_json::{Value, json};
use url::Url;
use vern_domain::OrgKind;
use vern_domain::access::Role;
use webauthn_authenticator_rs::AuthenticatorBackend;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse};

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{TestApp, assert_problem, spawn_demo_app};

fn origin(app: &TestApp) -> Url {
    // The server's public URL (http://localhost:<configured port>), as a browser there sends.
    Url::parse(&app.public_url).unwrap()
}

async fn register(
    app: &TestApp,
    token: &str,
    authenticator: &mut SoftPasskey,
    name: &str,
) -> reqwest::Response {
    let challenge: Value = app
        .post_as(token, "/api/v1/me/passkey-registration", json!({}))
        .await
        .json()
        .await
        .unwrap();
    // The server asks for a discoverable credential; the software passkey cannot store one,
    // and the server's check does not depend on it.
    let mut options = challenge["options"].clone();
    assert_eq!(
        options["publicKey"]["authenticatorSelection"]["residentKey"],
        "required"
    );
    options["publicKey"]["authenticatorSelection"]["residentKey"] = "discouraged".into();
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = false.into();
    let options: CreationChallengeResponse = serde_json::from_value(options).unwrap();
    let credential = authenticator
        .perform_register(origin(app), options.public_key, 60_000)
        .unwrap();
    app.post_as(
        token,
        "/api/v1/me/passkeys",
        json!({"ceremony_id": challenge["ceremony_id"], "name": name, "credential": credential}),
    )
    .await
}

#[tokio::test]
async fn a_registered_passkey_is_a_second_factor_and_works_once_per_ceremony() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let user = create_user(&app, "nokkel@example.org", &[(org, Role::Auditor)], true).await;
    let session = log_in(&app, &user).await;
    let mut authenticator = SoftPasskey::new(true);

    let response = register(&app, &session.access, &mut authenticator, " Arbeids-PC ").await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["name"], "Arbeids-PC");
    let list: Value = app
        .get_as(&session.access, "/api/v1/me/passkeys")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    // Step one now offers the passkey too.
    let challenge: Value = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": user.email, "password": user.password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(challenge["methods"], json!(["totp", "passkey"]));
    let mfa_token = challenge["mfa_token"].as_str().unwrap().to_owned();
    let started: Value = app
        .client
        .post(app.url("/api/v1/auth/mfa/passkey/challenge"))
        .json(&json!({"mfa_token": mfa_token}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let options: RequestChallengeResponse =
        serde_json::from_value(started["options"].clone()).unwrap();
    let assertion = authenticator
        .perform_auth(origin(&app), options.public_key, 60_000)
        .unwrap();
    let body = json!({"ceremony_id": started["ceremony_id"], "mfa_token": mfa_token, "credential": assertion});
    let response = app
        .client
        .post(app.url("/api/v1/auth/passkey"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let tokens: Value = response.json().await.unwrap();
    let me: Value = app
        .get_as(tokens["access_token"].as_str().unwrap(), "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "nokkel@example.org");
    // The same ceremony and assertion again: refused.
    assert_problem(
        app.client
            .post(app.url("/api/v1/auth/passkey"))
            .json(&body)
            .send()
            .await
            .unwrap(),
        401,
        "invalid_credentials",
    )
    .await;
    let actions: Vec<String> = vern_db::audit::chain(&app.db.conn, None)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert!(actions.contains(&"passkey.registered".to_owned()));
    assert!(actions.contains(&"auth.login_passkey".to_owned()));
}

#[tokio::test]
async fn passkeys_are_the_owners_and_a_forged_assertion_fails() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let owner = create_user(&app, "eier@example.org", &[(org, Role::Auditor)], true).await;
    let owner_session = log_in(&app, &owner).await;
    let other = create_user(&app, "annen@example.org", &[(org, Role::Auditor)], true).await;
    let other_session = log_in(&app, &other).await;
    let mut authenticator = SoftPasskey::new(true);
    let created: Value = register(&app, &owner_session.access, &mut authenticator, "Nøkkel")
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();

    // Another user can neither see nor remove it.
    let list: Value = app
        .get_as(&other_session.access, "/api/v1/me/passkeys")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"], json!([]));
    assert_problem(
        app.delete_as(&other_session.access, &format!("/api/v1/me/passkeys/{id}"))
            .await,
        404,
        "not_found",
    )
    .await;

    // A ceremony started by one user cannot be finished by another.
    let challenge: Value = app
        .post_as(
            &owner_session.access,
            "/api/v1/me/passkey-registration",
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_problem(
        app.post_as(
            &other_session.access,
            "/api/v1/me/passkeys",
            json!({"ceremony_id": challenge["ceremony_id"], "name": "x", "credential": {}}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // A blank name is refused before anything is taken.
    let problem = assert_problem(
        app.post_as(
            &owner_session.access,
            "/api/v1/me/passkeys",
            json!({"ceremony_id": challenge["ceremony_id"], "name": " ", "credential": {}}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "name");

    // A passwordless ceremony cannot be finished with an assertion made for another
    // ceremony's challenge (here: the owner's second-factor challenge).
    let started: Value = app
        .client
        .post(app.url("/api/v1/auth/passkey/challenge"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(started["options"]["publicKey"]["challenge"].is_string());
    let other_start = started.clone();
    // Garbage in place of an assertion.
    assert_problem(
        app.client
            .post(app.url("/api/v1/auth/passkey"))
            .json(&json!({"ceremony_id": other_start["ceremony_id"], "credential": {"id": "x"}}))
            .send()
            .await
            .unwrap(),
        401,
        "invalid_credentials",
    )
    .await;

    // The owner removes it.
    assert_eq!(
        app.delete_as(&owner_session.access, &format!("/api/v1/me/passkeys/{id}"))
            .await
            .status(),
        204
    );
}
