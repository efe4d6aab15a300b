//! Invitations, and the platform operator creating organisations.

use chrono::Utc;
use serde_json::{Value, json};
use vern_api::auth::credentials::totp_code;
use vern_domain::OrgKind;
use vern_domain::access::Role;

use crate::auth::{TestUser, create_user, first_org, log_in};
use crate::helpers::{TestApp, assert_problem, spawn_demo_app};

fn now_secs() -> u64 {
    u64::try_from(Utc::now().timestamp()).unwrap()
}

fn token_of(created: &Value) -> String {
    let link = created["link"].as_str().unwrap();
    assert!(link.contains("/invitation#token="), "{link}");
    link.split("#token=").nth(1).unwrap().to_owned()
}

async fn public(app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_invited_person_enrols_and_then_holds_the_roles() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "admin@example.org", &[(org, Role::OrgAdmin)], true).await;
    let admin = log_in(&app, &admin).await;
    let invitations = format!("/api/v1/organizations/{org}/invitations");

    let response = app
        .post_as(
            &admin.access,
            &invitations,
            json!({"email": " Nora.Ny@Example.org", "display_name": "Nora Ny", "roles": ["register_editor", "auditor"]}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["emailed"], false);
    assert_eq!(created["invitation"]["state"], "pending");
    assert_eq!(created["invitation"]["email"], "nora.ny@example.org");
    let token = token_of(&created);

    // The list shows it, never the token.
    let list: Value = app
        .get_as(&admin.access, &invitations)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["state"], "pending");
    assert!(!list.to_string().contains(&token));

    let preview: Value = public(&app, "/api/v1/invitations/preview", json!({"token": token}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["email"], "nora.ny@example.org");
    assert_eq!(preview["account_exists"], false);
    assert_eq!(preview["roles"], json!(["register_editor", "auditor"]));

    // A code cannot be confirmed before an authenticator is enrolled.
    assert_problem(
        public(
            &app,
            "/api/v1/invitations/accept",
            json!({"token": token, "password": "fire hester i en rød låve", "totp_code": "123456"}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    let enrol: Value = public(&app, "/api/v1/invitations/totp", json!({"token": token}))
        .await
        .json()
        .await
        .unwrap();
    let secret = enrol["secret"].as_str().unwrap().to_owned();
    assert!(
        enrol["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Vern:")
    );
    assert!(enrol["qr_png_base64"].as_str().unwrap().len() > 100);

    let code = totp_code(&secret, now_secs()).unwrap();
    let problem = assert_problem(
        public(
            &app,
            "/api/v1/invitations/accept",
            json!({"token": token, "password": "kort", "totp_code": code}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "password");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_problem(
        public(
            &app,
            "/api/v1/invitations/accept",
            json!({"token": token, "password": "fire hester i en rød låve", "totp_code": wrong}),
        )
        .await,
        401,
        "invalid_credentials",
    )
    .await;
    let response = public(
        &app,
        "/api/v1/invitations/accept",
        json!({"token": token, "password": "fire hester i en rød låve", "totp_code": code}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let accepted: Value = response.json().await.unwrap();
    assert_eq!(accepted["email"], "nora.ny@example.org");

    // The link is spent.
    assert_problem(
        public(&app, "/api/v1/invitations/preview", json!({"token": token})).await,
        410,
        "gone",
    )
    .await;
    assert_problem(
        public(
            &app,
            "/api/v1/invitations/accept",
            json!({"token": token, "password": "fire hester i en rød låve", "totp_code": code}),
        )
        .await,
        410,
        "gone",
    )
    .await;
    assert_problem(
        public(
            &app,
            "/api/v1/invitations/preview",
            json!({"token": "nope"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // The new member logs in (with the next code: each code works once) and holds the roles.
    let nora = TestUser {
        id: uuid::Uuid::nil(),
        email: "nora.ny@example.org".into(),
        password: "fire hester i en rød låve".into(),
        totp_secret: Some(secret),
    };
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    let session = log_in_next_step(&app, &nora).await;
    let me: Value = app
        .get_as(&session, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["memberships"][0]["roles"],
        json!(["register_editor", "auditor"])
    );
    let actions = app.audit_actions(org).await;
    assert!(actions.contains(&"invitation.created".to_owned()));
    assert!(actions.contains(&"invitation.accepted".to_owned()));
}

/// Logs in with the code of the next time step (the current one was just used).
async fn log_in_next_step(app: &TestApp, user: &TestUser) -> String {
    let challenge: Value = public(
        app,
        "/api/v1/auth/login",
        json!({"email": user.email, "password": user.password}),
    )
    .await
    .json()
    .await
    .unwrap();
    let code = totp_code(user.totp_secret.as_deref().unwrap(), now_secs() + 30).unwrap();
    let response = public(
        app,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": challenge["mfa_token"], "code": code}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_existing_account_confirms_with_its_own_password_and_code() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let (_, page) = app
        .get_json("/api/v1/organizations?kind=vendor&limit=1")
        .await;
    let vendor: vern_domain::OrganizationId =
        page["items"][0]["id"].as_str().unwrap().parse().unwrap();
    let admin = create_user(&app, "admin@example.org", &[(org, Role::OrgAdmin)], true).await;
    let admin = log_in(&app, &admin).await;
    let existing = create_user(
        &app,
        "konsulent@example.org",
        &[(vendor, Role::ProductEditor)],
        true,
    )
    .await;

    let created: Value = app
        .post_as(
            &admin.access,
            &format!("/api/v1/organizations/{org}/invitations"),
            json!({"email": "konsulent@example.org", "display_name": "Konsulent", "roles": ["auditor"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = token_of(&created);
    let preview: Value = public(&app, "/api/v1/invitations/preview", json!({"token": token}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["account_exists"], true);
    assert_problem(
        public(&app, "/api/v1/invitations/totp", json!({"token": token})).await,
        409,
        "conflict",
    )
    .await;
    let code = totp_code(existing.totp_secret.as_deref().unwrap(), now_secs()).unwrap();
    assert_problem(
        public(
            &app,
            "/api/v1/invitations/accept",
            json!({"token": token, "password": "feil passord her", "totp_code": code}),
        )
        .await,
        401,
        "invalid_credentials",
    )
    .await;
    let response = public(
        &app,
        "/api/v1/invitations/accept",
        json!({"token": token, "password": existing.password, "totp_code": code}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let session = log_in_next_step(&app, &existing).await;
    let me: Value = app
        .get_as(&session, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["memberships"].as_array().unwrap().len(), 2, "{me}");
}

#[tokio::test]
async fn only_administrators_invite_and_withdrawn_links_are_gone() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let (_, page) = app
        .get_json("/api/v1/organizations?kind=municipality&limit=2")
        .await;
    let other = page["items"][1]["id"].as_str().unwrap().to_owned();
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
    let invitations = format!("/api/v1/organizations/{org}/invitations");
    let body = json!({"email": "ny@example.org", "display_name": "Ny", "roles": ["auditor"]});

    assert_problem(
        app.post_as(&dpo.access, &invitations, body.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get_as(&dpo.access, &invitations).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_as(
            &admin.access,
            &format!("/api/v1/organizations/{other}/invitations"),
            body.clone(),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    for (bad, field) in [
        (
            json!({"email": "ny@example.org", "display_name": "Ny", "roles": ["product_editor"]}),
            "roles",
        ),
        (
            json!({"email": "ny@example.org", "display_name": "Ny", "roles": []}),
            "roles",
        ),
        (
            json!({"email": "ikke-en-adresse", "display_name": "Ny", "roles": ["auditor"]}),
            "email",
        ),
        (
            json!({"email": "ny@example.org", "display_name": " ", "roles": ["auditor"]}),
            "display_name",
        ),
    ] {
        let problem = assert_problem(
            app.post_as(&admin.access, &invitations, bad).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let created: Value = app
        .post_as(&admin.access, &invitations, body)
        .await
        .json()
        .await
        .unwrap();
    let id = created["invitation"]["id"].as_str().unwrap();
    let token = token_of(&created);
    assert_eq!(
        app.delete_as(&admin.access, &format!("{invitations}/{id}"))
            .await
            .status(),
        204
    );
    assert_problem(
        app.delete_as(&admin.access, &format!("{invitations}/{id}"))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        public(&app, "/api/v1/invitations/preview", json!({"token": token})).await,
        410,
        "gone",
    )
    .await;
    let list: Value = app
        .get_as(&admin.access, &invitations)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["state"], "withdrawn");
    assert!(
        app.audit_actions(org)
            .await
            .contains(&"invitation.withdrawn".to_owned())
    );
}

#[tokio::test]
async fn the_platform_operator_creates_organisations_and_appoints_administrators() {
    let app = spawn_demo_app().await;
    let (_, page) = app
        .get_json("/api/v1/organizations?kind=platform&limit=1")
        .await;
    let platform: vern_domain::OrganizationId =
        page["items"][0]["id"].as_str().unwrap().parse().unwrap();
    let municipality = first_org(&app, OrgKind::Municipality).await;
    let operator = create_user(
        &app,
        "drift@example.org",
        &[(platform, Role::PlatformOperator)],
        true,
    )
    .await;
    let operator = log_in(&app, &operator).await;
    let admin = create_user(
        &app,
        "admin@example.org",
        &[(municipality, Role::OrgAdmin)],
        true,
    )
    .await;
    let admin = log_in(&app, &admin).await;

    let vendor = json!({
        "kind": "vendor",
        "name": "Fjellbekk Data AS",
        "org_number": "100000083",
        "first_admin": {"email": "sjef@example.org", "display_name": "Sjef"},
    });
    assert_problem(
        app.post_as(&admin.access, "/api/v1/organizations", vendor.clone())
            .await,
        403,
        "forbidden",
    )
    .await;
    let response = app
        .post_as(&operator.access, "/api/v1/organizations", vendor.clone())
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["organization"]["kind"], "vendor");
    assert_eq!(created["organization"]["org_number"], "100000083");
    assert_eq!(
        created["invitation"]["invitation"]["roles"],
        json!(["vendor_admin"])
    );
    assert!(created["invitation"]["link"].is_string());
    let new_org = created["organization"]["id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .get_json(&format!("/api/v1/organizations/{new_org}"))
        .await;
    assert_eq!(status, 200);

    // Same organisation number again: conflict; a bad check digit: refused.
    assert_problem(
        app.post_as(&operator.access, "/api/v1/organizations", vendor)
            .await,
        409,
        "conflict",
    )
    .await;
    let problem = assert_problem(
        app.post_as(
            &operator.access,
            "/api/v1/organizations",
            json!({"kind": "authority", "name": "Tilsynet", "org_number": "100000084", "first_admin": {"email": "a@example.org", "display_name": "A"}}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "org_number");
    assert_eq!(problem["errors"][0]["code"], "checksum");
    // The demo already has every municipality: a second Oslo is a conflict.
    assert_problem(
        app.post_as(
            &operator.access,
            "/api/v1/organizations",
            json!({"kind": "municipality", "org_number": "100000105", "kommune_number": "0301", "first_admin": {"email": "a@example.org", "display_name": "A"}}),
        )
        .await,
        409,
        "conflict",
    )
    .await;

    // Appointing an administrator to an existing municipality.
    let path = format!("/api/v1/organizations/{municipality}/administrator-invitations");
    let body = json!({"email": "ny-admin@example.org", "display_name": "Ny admin"});
    let response = app.post_as(&operator.access, &path, body.clone()).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["invitation"]["roles"], json!(["org_admin"]));
    assert_problem(
        app.post_as(&admin.access, &path, body).await,
        403,
        "forbidden",
    )
    .await;
    let actions = app.audit_actions(municipality).await;
    assert!(
        actions.contains(&"invitation.created".to_owned()),
        "{actions:?}"
    );
}
