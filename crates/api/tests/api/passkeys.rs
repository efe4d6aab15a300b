//! Passkeys through the real endpoints, driven by webauthn-authenticator-rs's software
//! passkey.

use serde_json::{Value, json};
use url::Url;
use vern_domain::access::Role;
use vern_domain::{OrgKind, OrganizationId};
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

/// Logs in with password and passkey; answers the access token.
async fn log_in_with_passkey(
    app: &TestApp,
    user: &crate::auth::TestUser,
    authenticator: &mut SoftPasskey,
) -> String {
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
        .perform_auth(origin(app), options.public_key, 60_000)
        .unwrap();
    let response = app
        .client
        .post(app.url("/api/v1/auth/passkey"))
        .json(&json!({"ceremony_id": started["ceremony_id"], "mfa_token": mfa_token, "credential": assertion}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let tokens: Value = response.json().await.unwrap();
    tokens["access_token"].as_str().unwrap().to_owned()
}

async fn put_policy(
    app: &TestApp,
    token: &str,
    org: OrganizationId,
    require: bool,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!(
            "/api/v1/organizations/{org}/settings/authentication"
        )))
        .bearer_auth(token)
        .json(&json!({"require_passkey": require}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_organisation_that_requires_passkeys_refuses_totp_sessions() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "politikk@example.org", &[(org, Role::OrgAdmin)], true).await;
    let auditor = create_user(&app, "revisor2@example.org", &[(org, Role::Auditor)], true).await;
    let totp_session = log_in(&app, &admin).await;
    let me: Value = app
        .get_as(&totp_session.access, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["auth_method"], "password_totp");
    assert_eq!(me["memberships"][0]["passkey_required"], false);

    // Turning the requirement on from a TOTP session would lock the admin out: refused.
    let body = assert_problem(
        put_policy(&app, &totp_session.access, org, true).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "log_in_with_a_passkey_first");
    // The auditor may not change settings at all.
    let auditor_session = log_in(&app, &auditor).await;
    assert_problem(
        put_policy(&app, &auditor_session.access, org, true).await,
        403,
        "forbidden",
    )
    .await;

    let mut authenticator = SoftPasskey::new(true);
    assert_eq!(
        register(&app, &totp_session.access, &mut authenticator, "Nøkkel")
            .await
            .status(),
        201
    );
    let passkey_session = log_in_with_passkey(&app, &admin, &mut authenticator).await;
    let me: Value = app
        .get_as(&passkey_session, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["auth_method"], "password_passkey");
    let response = put_policy(&app, &passkey_session, org, true).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"require_passkey": true})
    );

    // At once: TOTP sessions are refused in the organisation (both the admin's own older
    // session and the auditor's), and told why; the passkey session works.
    let audit = format!("/api/v1/organizations/{org}/audit-events");
    assert_problem(
        app.get_as(&auditor_session.access, &audit).await,
        403,
        "passkey_required",
    )
    .await;
    assert_problem(
        app.get_as(&totp_session.access, &audit).await,
        403,
        "passkey_required",
    )
    .await;
    assert_eq!(app.get_as(&passkey_session, &audit).await.status(), 200);
    // Their own account still works, and says what is required.
    let me: Value = app
        .get_as(&auditor_session.access, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["memberships"][0]["passkey_required"], true);
    let policy: Value = app
        .get_as(
            &passkey_session,
            &format!("/api/v1/organizations/{org}/settings/authentication"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(policy["require_passkey"], true);

    // Another organisation's admin learns nothing.
    let other_org = first_org(&app, OrgKind::Vendor).await;
    let stranger = create_user(
        &app,
        "fremmed3@example.org",
        &[(other_org, Role::VendorAdmin)],
        true,
    )
    .await;
    let stranger_session = log_in(&app, &stranger).await;
    assert_problem(
        put_policy(&app, &stranger_session.access, org, false).await,
        404,
        "not_found",
    )
    .await;

    assert_eq!(
        put_policy(&app, &passkey_session, org, false)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_as(&auditor_session.access, &audit).await.status(),
        200
    );
    let actions = app.audit_actions(org).await;
    assert!(actions.contains(&"settings.passkeys_required".to_owned()));
    assert!(actions.contains(&"settings.passkeys_optional".to_owned()));
}

#[tokio::test]
async fn a_user_replaces_and_removes_their_authenticator_app() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let user = create_user(&app, "app@example.org", &[(org, Role::Auditor)], true).await;
    let session = log_in(&app, &user).await;
    let put = |token: String, code: String| {
        let app = &app;
        async move {
            app.client
                .put(app.url("/api/v1/me/totp"))
                .bearer_auth(token)
                .json(&json!({"code": code}))
                .send()
                .await
                .unwrap()
        }
    };
    // Confirming without an enrolment: conflict.
    assert_problem(
        put(session.access.clone(), "123456".into()).await,
        409,
        "conflict",
    )
    .await;
    let enrolment: Value = app
        .post_as(&session.access, "/api/v1/me/totp-enrolment", json!({}))
        .await
        .json()
        .await
        .unwrap();
    let secret = enrolment["secret"].as_str().unwrap().to_owned();
    assert!(
        enrolment["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Vern:")
    );
    assert!(!enrolment["qr_png_base64"].as_str().unwrap().is_empty());
    // A code of the old app does not confirm the new one.
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
    let old_code =
        vern_api::auth::credentials::totp_code(user.totp_secret.as_deref().unwrap(), now).unwrap();
    let new_code = vern_api::auth::credentials::totp_code(&secret, now).unwrap();
    if old_code != new_code {
        let body = assert_problem(
            put(session.access.clone(), old_code).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "code");
    }
    assert_eq!(put(session.access.clone(), new_code).await.status(), 204);
    // The new secret is the one in force (its code was just spent, so a login in this
    // same 30-second step would be a replay).
    let stored = vern_db::identity::find_user(&app.db.conn, user.id)
        .await
        .unwrap()
        .unwrap();
    // Kept encrypted: the database alone does not give the code.
    let kept = stored.totp_secret.as_deref().unwrap();
    assert!(!kept.contains(secret.as_str()));
    assert_eq!(app.secrets.open(kept).unwrap(), secret);
    assert_eq!(stored.pending_totp_secret, None);
    let me: Value = app
        .get_as(&session.access, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["totp_enrolled"], true);

    // The only second factor cannot be removed; with a passkey it can.
    assert_problem(
        app.delete_as(&session.access, "/api/v1/me/totp").await,
        409,
        "conflict",
    )
    .await;
    let mut authenticator = SoftPasskey::new(true);
    assert_eq!(
        register(&app, &session.access, &mut authenticator, "Nøkkel")
            .await
            .status(),
        201
    );
    assert_eq!(
        app.delete_as(&session.access, "/api/v1/me/totp")
            .await
            .status(),
        204
    );
    assert_problem(
        app.delete_as(&session.access, "/api/v1/me/totp").await,
        404,
        "not_found",
    )
    .await;
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
    assert_eq!(challenge["methods"], json!(["passkey"]));
    // And then the last passkey cannot go.
    let list: Value = app
        .get_as(&session.access, "/api/v1/me/passkeys")
        .await
        .json()
        .await
        .unwrap();
    let id = list["items"][0]["id"].as_str().unwrap();
    assert_problem(
        app.delete_as(&session.access, &format!("/api/v1/me/passkeys/{id}"))
            .await,
        409,
        "conflict",
    )
    .await;

    let actions: Vec<String> = vern_db::audit::chain(&app.db.conn, None)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert!(actions.contains(&"totp.replaced".to_owned()));
    assert!(actions.contains(&"totp.removed".to_owned()));
}

/// A sensitive step can be confirmed with a passkey: challenge, assertion, and the session may
/// take such steps until `valid_until`; a ceremony is used once, and another user's passkey
/// does not confirm.
#[tokio::test]
async fn a_passkey_confirms_a_sensitive_step_once_per_ceremony() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let user = create_user(&app, "bekreft@example.org", &[(org, Role::OrgAdmin)], true).await;
    let session = log_in(&app, &user).await;
    let mut authenticator = SoftPasskey::new(true);
    assert_eq!(
        register(&app, &session.access, &mut authenticator, "Nøkkel")
            .await
            .status(),
        201
    );

    let challenge = |token: String| {
        let app = &app;
        async move {
            let response = app
                .post_as(&token, "/api/v1/auth/step-up/passkey/challenge", json!({}))
                .await;
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    let started = challenge(session.access.clone()).await;
    let options: RequestChallengeResponse =
        serde_json::from_value(started["options"].clone()).unwrap();
    let assertion = authenticator
        .perform_auth(origin(&app), options.public_key, 60_000)
        .unwrap();
    let body = json!({"ceremony_id": started["ceremony_id"], "credential": assertion});
    let response = app
        .post_as(
            &session.access,
            "/api/v1/auth/step-up/passkey",
            body.clone(),
        )
        .await;
    assert_eq!(response.status(), 200);
    let confirmed: Value = response.json().await.unwrap();
    assert_eq!(confirmed["method"], "passkey");
    let until: chrono::DateTime<chrono::Utc> =
        confirmed["valid_until"].as_str().unwrap().parse().unwrap();
    assert!(until > chrono::Utc::now());

    // The same ceremony again is refused.
    let again = app
        .post_as(&session.access, "/api/v1/auth/step-up/passkey", body)
        .await;
    assert_eq!(again.status(), 401);

    // A user without a passkey gets no challenge to answer.
    let other = create_user(
        &app,
        "bekreft-ingen@example.org",
        &[(org, Role::Auditor)],
        true,
    )
    .await;
    let other_session = log_in(&app, &other).await;
    let response = app
        .post_as(
            &other_session.access,
            "/api/v1/auth/step-up/passkey/challenge",
            json!({}),
        )
        .await;
    assert!(response.status().is_client_error(), "{}", response.status());
}
