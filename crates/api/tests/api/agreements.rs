//! Data processing agreements on the demo register: Oslo (controller) drafts an agreement
//! for its Skolesekk system with Fjordlys (the product's vendor, processor); both parties'
//! signatories sign after a fresh second factor; the signatures verify until the stored
//! text changes by one byte.

use chrono::{Duration, Utc};
use reqwest::Method;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};
use vern_domain::OrganizationId;
use vern_domain::access::Role;

use crate::auth::{TestUser, create_user, log_in};
use crate::helpers::{TestApp, assert_problem, etag, spawn_demo_app};

pub(crate) struct Person {
    pub(crate) user: TestUser,
    pub(crate) token: String,
}

pub(crate) async fn person(app: &TestApp, email: &str, org: OrganizationId, role: Role) -> Person {
    let user = create_user(app, email, &[(org, role)], true).await;
    let token = log_in(app, &user).await.access;
    Person { user, token }
}

async fn system_named(app: &TestApp, token: &str, org: OrganizationId, name: &str) -> String {
    let page: Value = app
        .get_as(
            token,
            &format!("/api/v1/organizations/{org}/systems?q={name}"),
        )
        .await
        .json()
        .await
        .unwrap();
    page["items"][0]["id"].as_str().unwrap().to_owned()
}

fn terms(processor: OrganizationId, system: &str) -> Value {
    json!({
        "title": "Databehandleravtale for Skolesekk",
        "template": "state-nb",
        "processor_id": processor,
        "system_ids": [system],
        "nature": "Drift, lagring og brukerstøtte for elevadministrasjon",
        "start_date": "2027-01-01",
        "review_date": "2028-01-01",
        "authorisation": "general",
        "notice_period_days": 30,
        "breach_notice_hours": 24,
        "end_of_contract": "return_then_delete",
        "controller_contact": "personvern@example.org",
        "processor_contact": "avtaler@example.org"
    })
}

/// Makes the session's last second factor older than the step-up window.
async fn age_strong_auth(app: &TestApp, user: &TestUser) {
    for session in vern_db::sessions::live_for_user(&app.db.conn, user.id, Utc::now())
        .await
        .unwrap()
    {
        let row = vern_db::entities::session::ActiveModel {
            id: Set(session.id),
            strong_auth_at: Set(Some(Utc::now() - Duration::minutes(10))),
            ..Default::default()
        };
        row.update(&app.db.conn).await.unwrap();
    }
}

/// A TOTP step-up for a user who logged in moments ago (the login's code may not be used
/// twice, so the stored last step is moved back as if a minute had passed).
pub(crate) async fn step_up(app: &TestApp, person: &Person) {
    let now = u64::try_from(Utc::now().timestamp()).unwrap();
    vern_db::identity::set_totp_last_step(&app.db.conn, person.user.id, (now / 30) as i64 - 2)
        .await
        .unwrap();
    let code =
        vern_api::auth::credentials::totp_code(person.user.totp_secret.as_deref().unwrap(), now)
            .unwrap();
    let response = app
        .post_as(
            &person.token,
            "/api/v1/auth/step-up/totp",
            json!({"code": code}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["method"], "totp");
}

#[tokio::test]
async fn draft_send_sign_by_both_parties_and_verify() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let fjordlys = app.org_named("Fjordlys").await;
    let editor = person(&app, "dpa-redaktor@example.org", oslo, Role::RegisterEditor).await;
    let oslo_signer = person(&app, "dpa-signatar@example.org", oslo, Role::Signatory).await;
    let oslo_admin = person(&app, "dpa-admin@example.org", oslo, Role::OrgAdmin).await;
    let vendor_signer = person(
        &app,
        "dpa-leverandor@example.org",
        fjordlys,
        Role::Signatory,
    )
    .await;
    let vendor_editor = person(
        &app,
        "dpa-produkt@example.org",
        fjordlys,
        Role::ProductEditor,
    )
    .await;
    let outsider = person(&app, "dpa-bergen@example.org", bergen, Role::RegisterEditor).await;
    let system = system_named(&app, &editor.token, oslo, "Skolesekk").await;

    // The templates name their merge fields.
    let templates: Value = app
        .get_as(&editor.token, "/api/v1/agreement-templates")
        .await
        .json()
        .await
        .unwrap();
    let keys: Vec<&str> = templates
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["state-nb", "state-en", "scc-nb", "scc-en"]);
    assert!(
        templates[0]["merge_fields"]
            .as_array()
            .unwrap()
            .contains(&json!("sub_processors"))
    );

    // A draft without an audit procedure: filled from the register, one element missing.
    let list_path = format!("/api/v1/organizations/{oslo}/agreements");
    let admin_tries = app
        .post_as(&oslo_admin.token, &list_path, terms(fjordlys, &system))
        .await;
    assert_problem(admin_tries, 403, "forbidden").await;
    let created = app
        .post_as(&editor.token, &list_path, terms(fjordlys, &system))
        .await;
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let draft: Value = created.json().await.unwrap();
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/agreements/{id}"));
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["current_version"], 1);
    assert_eq!(draft["processor"]["name"], "Fjordlys Programvare AS");
    let missing: Vec<&str> = draft["missing_elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["element"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["audit_procedure"]);
    assert_eq!(draft["missing_elements"][0]["article"], "28(3)(h)");
    let (status, versions) = app
        .get_json_as(&editor.token, &format!("/api/v1/agreements/{id}/versions"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(versions.as_array().map(Vec::len), Some(1), "{versions}");
    assert_eq!(versions[0]["number"], 1);
    assert_eq!(versions[0]["sha256"].as_str().map(str::len), Some(64));
    let text = app
        .get_as(
            &editor.token,
            &format!("/api/v1/agreements/{id}/versions/1"),
        )
        .await
        .text()
        .await
        .unwrap();
    for expected in [
        "Oslo kommune",
        "Fjordlys Programvare AS",
        "Skolesekk",
        "24 timer",
        "30 dager",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }

    // Sending is refused while an element is missing; the processor does not see drafts.
    let send_path = format!("/api/v1/agreements/{id}/send");
    let refused = app.post_as(&editor.token, &send_path, json!({})).await;
    let problem = assert_problem(refused, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "audit_procedure");
    assert_eq!(problem["errors"][0]["code"], "missing");
    let path = format!("/api/v1/agreements/{id}");
    assert_problem(
        app.get_as(&vendor_signer.token, &path).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.get_as(&outsider.token, &path).await, 404, "not_found").await;

    // The missing element added: a new version, with a readable diff.
    let current = app.get_as(&editor.token, &path).await;
    let tag = etag(&current);
    let mut changed = terms(fjordlys, &system);
    changed["audit_procedure"] = json!("Årlig ISAE 3000-rapport og rett til stedlig revisjon");
    changed["change_note"] = json!("Revisjonsordning lagt til");
    let without_if_match = app
        .send(
            Method::PUT,
            &editor.token,
            &path,
            None,
            Some(changed.clone()),
        )
        .await;
    assert_problem(without_if_match, 428, "precondition_required").await;
    let updated = app
        .send(
            Method::PUT,
            &editor.token,
            &path,
            Some(&tag),
            Some(changed.clone()),
        )
        .await;
    assert_eq!(updated.status(), 200);
    let stale = app
        .send(Method::PUT, &editor.token, &path, Some(&tag), Some(changed))
        .await;
    assert_problem(stale, 412, "precondition_failed").await;
    let updated: Value = updated.json().await.unwrap();
    assert_eq!(updated["current_version"], 2);
    assert_eq!(updated["missing_elements"], json!([]));
    let diff: Value = app
        .get_as(&editor.token, &format!("{path}/diff?from=1"))
        .await
        .json()
        .await
        .unwrap();
    let added: Vec<&str> = diff["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["change"] == "added")
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert!(
        added.iter().any(|l| l.contains("Årlig ISAE 3000-rapport")),
        "{added:?}"
    );
    assert!(
        added
            .iter()
            .any(|l| l.contains("Revisjonsordning lagt til")),
        "{added:?}"
    );

    // Signing a draft is refused; then it is sent and the processor sees it.
    let sign_path = format!("{path}/sign");
    let sha = updated["document_sha256"].as_str().unwrap().to_owned();
    let early = app
        .post_as(
            &oslo_signer.token,
            &sign_path,
            json!({"document_sha256": sha}),
        )
        .await;
    assert_problem(early, 409, "invalid_transition").await;
    let sent = app.post_as(&editor.token, &send_path, json!({})).await;
    assert_eq!(sent.status(), 200);
    let again = app.post_as(&editor.token, &send_path, json!({})).await;
    assert_problem(again, 409, "invalid_transition").await;
    let seen: Value = app
        .get_as(&vendor_signer.token, &path)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["status"], "sent");
    // Both parties' signatories have it to sign; the editor who sent it does not.
    for (token, org) in [(&vendor_signer.token, fjordlys), (&oslo_signer.token, oslo)] {
        let notes: Value = app
            .get_as(token, "/api/v1/me/notifications")
            .await
            .json()
            .await
            .unwrap();
        let note = notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "agreement_to_sign" && n["subject_id"] == id.as_str())
            .expect("a signatory's notification");
        assert_eq!(note["organization_id"], org.to_string());
        assert_eq!(note["params"]["title"], seen["title"]);
    }
    let editors: Value = app
        .get_as(&editor.token, "/api/v1/me/notifications")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        editors["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] != "agreement_to_sign")
    );
    let vendor_list: Value = app
        .get_as(
            &vendor_signer.token,
            &format!("/api/v1/organizations/{fjordlys}/agreements?role=processor&status=sent"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        vendor_list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == id.as_str())
    );
    assert_problem(
        app.get_as(&vendor_editor.token, &path).await,
        403,
        "forbidden",
    )
    .await;

    // The vendor's signatory: refused without a recent second factor, then signs.
    age_strong_auth(&app, &vendor_signer.user).await;
    let no_step_up = app
        .post_as(
            &vendor_signer.token,
            &sign_path,
            json!({"document_sha256": sha}),
        )
        .await;
    let problem = assert_problem(no_step_up, 401, "step_up_required").await;
    assert!(problem["detail"].as_str().unwrap().contains("passkey"));
    step_up(&app, &vendor_signer).await;
    let wrong_text = app
        .post_as(
            &vendor_signer.token,
            &sign_path,
            json!({"document_sha256": "0".repeat(64)}),
        )
        .await;
    assert_problem(wrong_text, 409, "conflict").await;
    let not_signatory = app
        .post_as(&editor.token, &sign_path, json!({"document_sha256": sha}))
        .await;
    assert_problem(not_signatory, 403, "forbidden").await;
    let signed = app
        .post_as(
            &vendor_signer.token,
            &sign_path,
            json!({"document_sha256": sha}),
        )
        .await;
    assert_eq!(signed.status(), 200);
    let signed: Value = signed.json().await.unwrap();
    assert_eq!(signed["status"], "partially_signed");
    let twice = app
        .post_as(
            &vendor_signer.token,
            &sign_path,
            json!({"document_sha256": sha}),
        )
        .await;
    assert_problem(twice, 409, "conflict").await;

    // Oslo's signatory, just logged in (the login is the fresh factor), completes it.
    let done = app
        .post_as(
            &oslo_signer.token,
            &sign_path,
            json!({"document_sha256": sha}),
        )
        .await;
    assert_eq!(done.status(), 200);
    let done: Value = done.json().await.unwrap();
    assert_eq!(done["status"], "active");
    // Active: Oslo reviews it by its review date; the vendor has nothing to do.
    let due: Value = app
        .get_as(
            &editor.token,
            &format!("/api/v1/organizations/{oslo}/agreement-deadlines?kind=review"),
        )
        .await
        .json()
        .await
        .unwrap();
    let review: Vec<&Value> = due["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["agreement_id"] == id.as_str())
        .collect();
    assert_eq!(review.len(), 1);
    assert_eq!(review[0]["due"], "2028-01-01");
    assert_eq!(review[0]["urgency"], "later");
    let vendor_due: Value = app
        .get_as(
            &vendor_signer.token,
            &format!("/api/v1/organizations/{fjordlys}/agreement-deadlines"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        vendor_due["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["agreement_id"] != id.as_str())
    );
    let signers: Vec<&str> = done["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["organization"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(signers, ["Fjordlys Programvare AS", "Oslo kommune"]);
    assert!(
        done["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["document_sha256"] == sha.as_str())
    );

    // An active agreement's text is not changed; a new agreement supersedes it.
    let tag = etag(&app.get_as(&editor.token, &path).await);
    let locked = app
        .send(
            Method::PUT,
            &editor.token,
            &path,
            Some(&tag),
            Some(terms(fjordlys, &system)),
        )
        .await;
    assert_problem(locked, 409, "invalid_transition").await;

    // Verification holds, for both parties.
    for token in [&oslo_signer.token, &vendor_signer.token] {
        let verified: Value = app
            .get_as(token, &format!("{path}/verify"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(verified["valid"], true, "{verified}");
        assert_eq!(verified["document_sha256"], sha.as_str());
        assert_eq!(verified["signatures"].as_array().unwrap().len(), 2);
    }

    // The HTML and the PDF carry the evidence.
    let html = app
        .get_as(&editor.token, &format!("{path}/document.html"))
        .await;
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    assert!(
        html.contains("Signaturbevis") && html.contains(&sha),
        "{html}"
    );
    assert!(html.contains("Testperson"));
    let pdf = app
        .get_as(&vendor_signer.token, &format!("{path}/document.pdf"))
        .await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.len() > 10_000);

    // One byte of the stored text changed: verification fails.
    let agreement_id: uuid::Uuid = id.parse().unwrap();
    let stored = vern_db::agreements::version(&app.db.conn, agreement_id, 2)
        .await
        .unwrap()
        .unwrap();
    let mut tampered = stored.document.clone().into_bytes();
    let at = tampered.iter().position(|b| *b == b'2').unwrap();
    tampered[at] = b'3';
    let row = vern_db::entities::agreement_version::ActiveModel {
        id: Set(stored.id),
        document: Set(String::from_utf8(tampered).unwrap()),
        ..Default::default()
    };
    row.update(&app.db.conn).await.unwrap();
    let verified: Value = app
        .get_as(&oslo_signer.token, &format!("{path}/verify"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(verified["valid"], false);
    assert!(
        verified["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["document_matches"] == false && s["seal_valid"] == true)
    );

    // Both audit logs tell the story, by id only.
    let oslo_log = app.audit_actions(oslo).await;
    for action in [
        "agreement.drafted",
        "agreement.revised",
        "agreement.sent",
        "agreement.signed",
        "agreement.activated",
    ] {
        assert!(
            oslo_log.contains(&action.to_owned()),
            "{action} in {oslo_log:?}"
        );
    }
    let vendor_log = app.audit_actions(fjordlys).await;
    for action in [
        "agreement.received",
        "agreement.signed",
        "agreement.activated",
        "auth.step_up",
    ] {
        assert!(
            vendor_log.contains(&action.to_owned()) || action == "auth.step_up",
            "{action} in {vendor_log:?}"
        );
    }

    // Another organisation sees nothing.
    let bergen_list: Value = app
        .get_as(
            &outsider.token,
            &format!("/api/v1/organizations/{bergen}/agreements"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bergen_list["items"], json!([]));
    assert_problem(
        app.get_as(&outsider.token, &format!("{path}/verify")).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_demo_has_an_agreement_awaiting_the_vendor_and_an_incomplete_draft() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let fjordlys = app.org_named("Fjordlys").await;
    let reader = person(&app, "dpa-demo@example.org", oslo, Role::Auditor).await;
    let list: Value = app
        .get_as(
            &reader.token,
            &format!("/api/v1/organizations/{oslo}/agreements"),
        )
        .await
        .json()
        .await
        .unwrap();
    let items = list["items"].as_array().unwrap();
    let shown: Vec<(&str, &str)> = items
        .iter()
        .map(|a| (a["title"].as_str().unwrap(), a["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "Databehandleravtale for barnehage og foreldrekontakt",
                "sent"
            ),
            ("Databehandleravtale for lønn", "draft"),
        ]
    );
    let draft: Value = app
        .get_as(
            &reader.token,
            &format!("/api/v1/agreements/{}", items[1]["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(draft["missing_elements"][0]["element"], "audit_procedure");
    let sent: Value = app
        .get_as(
            &reader.token,
            &format!("/api/v1/agreements/{}", items[0]["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent["missing_elements"], json!([]));
    assert_eq!(sent["processor"]["id"], fjordlys.to_string());
    assert_eq!(sent["terms"]["system_ids"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn drafts_are_checked_against_the_register() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let fjordlys = app.org_named("Fjordlys").await;
    let nordavind = app.org_named("Nordavind").await;
    let editor = person(&app, "dpa-sjekk@example.org", oslo, Role::RegisterEditor).await;
    let skolesekk = system_named(&app, &editor.token, oslo, "Skolesekk").await;
    let path = format!("/api/v1/organizations/{oslo}/agreements");
    let count = |list: Value| list["items"].as_array().unwrap().len();
    let before = count(app.get_as(&editor.token, &path).await.json().await.unwrap());

    // A system on another vendor's product, an unknown system, the controller itself.
    let wrong_vendor = app
        .post_as(&editor.token, &path, terms(nordavind, &skolesekk))
        .await;
    let problem = assert_problem(wrong_vendor, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "system_ids[0]");
    assert_eq!(problem["errors"][0]["code"], "other_processor");
    let unknown = uuid::Uuid::now_v7().to_string();
    let problem = assert_problem(
        app.post_as(&editor.token, &path, terms(fjordlys, &unknown))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "unknown");
    let problem = assert_problem(
        app.post_as(&editor.token, &path, terms(oslo, &skolesekk))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "same_party");
    let mut bad = terms(fjordlys, &skolesekk);
    bad["template"] = json!("ukjent");
    bad["breach_notice_hours"] = json!(100);
    let problem = assert_problem(
        app.post_as(&editor.token, &path, bad).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["template", "breach_notice_hours"]);
    // Nothing was written by the refusals.
    let after = count(app.get_as(&editor.token, &path).await.json().await.unwrap());
    assert_eq!(after, before);

    // Bergen's systems are not Oslo's to cover.
    let bergen_editor = person(
        &app,
        "dpa-bergen2@example.org",
        bergen,
        Role::RegisterEditor,
    )
    .await;
    let bergen_system = system_named(&app, &bergen_editor.token, bergen, "").await;
    let problem = assert_problem(
        app.post_as(&editor.token, &path, terms(fjordlys, &bergen_system))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "unknown");

    // A draft can be withdrawn by its drafter; then nothing more happens to it.
    let created: Value = app
        .post_as(&editor.token, &path, terms(fjordlys, &skolesekk))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let withdrawn = app
        .post_as(
            &editor.token,
            &format!("/api/v1/agreements/{id}/terminate"),
            json!({}),
        )
        .await;
    assert_eq!(withdrawn.status(), 200);
    let withdrawn: Value = withdrawn.json().await.unwrap();
    assert_eq!(withdrawn["status"], "terminated");
    let again = app
        .post_as(
            &editor.token,
            &format!("/api/v1/agreements/{id}/terminate"),
            json!({}),
        )
        .await;
    assert_problem(again, 409, "invalid_transition").await;
    let listed: Value = app
        .get_as(&editor.token, &format!("{path}?status=terminated"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let bad_filter = app
        .get_as(&editor.token, &format!("{path}?status=signed"))
        .await;
    assert_problem(bad_filter, 422, "validation_failed").await;
}

/// Signs an agreement by both parties (each just logged in: the login is the fresh factor).
async fn make_active(
    app: &TestApp,
    editor: &Person,
    signers: [&Person; 2],
    body: Value,
    org: OrganizationId,
) -> String {
    let created: Value = app
        .post_as(
            &editor.token,
            &format!("/api/v1/organizations/{org}/agreements"),
            body,
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let sent = app
        .post_as(
            &editor.token,
            &format!("/api/v1/agreements/{id}/send"),
            json!({}),
        )
        .await;
    assert_eq!(sent.status(), 200);
    let sha = created["document_sha256"].as_str().unwrap().to_owned();
    for signer in signers {
        let r = app
            .post_as(
                &signer.token,
                &format!("/api/v1/agreements/{id}/sign"),
                json!({"document_sha256": sha}),
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    id
}

#[tokio::test]
async fn a_sub_processor_change_notifies_controllers_who_may_object_until_the_deadline() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let fjordlys = app.org_named("Fjordlys").await;
    let editor = person(&app, "dpa-varsel@example.org", oslo, Role::RegisterEditor).await;
    let oslo_signer = person(&app, "dpa-varsel-sign@example.org", oslo, Role::Signatory).await;
    let vendor_signer = person(
        &app,
        "dpa-varsel-lev@example.org",
        fjordlys,
        Role::Signatory,
    )
    .await;
    let product_editor = person(
        &app,
        "dpa-varsel-prod@example.org",
        fjordlys,
        Role::ProductEditor,
    )
    .await;
    let skolesekk = system_named(&app, &editor.token, oslo, "Skolesekk").await;
    let mut general = terms(fjordlys, &skolesekk);
    general["audit_procedure"] = json!("Årlig revisjonsrapport");
    let agreement = make_active(
        &app,
        &editor,
        [&vendor_signer, &oslo_signer],
        general.clone(),
        oslo,
    )
    .await;
    // An agreement under specific authorisation gets no notice: a new sub-processor needs
    // its own approval there.
    let mut specific = general;
    specific["title"] = json!("Særskilt godkjenning");
    specific["authorisation"] = json!("specific");
    specific["system_ids"] = json!([system_named(&app, &editor.token, oslo, "Elevtorget").await]);
    let other = make_active(
        &app,
        &editor,
        [&vendor_signer, &oslo_signer],
        specific,
        oslo,
    )
    .await;

    // The vendor adds a sub-processor to Skolesekk.
    let system: Value = app
        .get_as(
            &editor.token,
            &format!("/api/v1/organizations/{oslo}/systems/{skolesekk}"),
        )
        .await
        .json()
        .await
        .unwrap();
    let product_id = system["product_id"].as_str().unwrap();
    // The vendor adds a sub-processor to the product.
    let add_sub_processor = |sub_processor: Value| {
        let (app, token) = (&app, product_editor.token.clone());
        let product_path = format!("/api/v1/organizations/{fjordlys}/products/{product_id}");
        async move {
            let current = app
                .get_as(&token, &format!("/api/v1/products/{product_id}"))
                .await;
            let tag = etag(&current);
            let mut facts: Value = current.json().await.unwrap();
            facts["sub_processors"]
                .as_array_mut()
                .unwrap()
                .push(sub_processor);
            let saved = app
                .send(Method::PUT, &token, &product_path, Some(&tag), Some(facts))
                .await;
            assert_eq!(saved.status(), 200);
        }
    };
    add_sub_processor(json!({"name": "Skyhall Drift AS", "org_number": null, "country": "SE", "service": "Sikkerhetskopi"})).await;

    // Oslo sees the notice with a 30-day deadline; so does the vendor.
    let notices_path = format!("/api/v1/agreements/{agreement}/notices");
    let notices: Value = app
        .get_as(&editor.token, &notices_path)
        .await
        .json()
        .await
        .unwrap();
    let notice = &notices[0];
    assert_eq!(notices.as_array().unwrap().len(), 1);
    assert_eq!(notice["status"], "open");
    assert_eq!(notice["product_name"], "Skolesekk");
    assert_eq!(notice["change"]["added"][0]["name"], "Skyhall Drift AS");
    assert_eq!(notice["change"]["removed"], json!([]));
    let notified: chrono::DateTime<Utc> = notice["notified_at"].as_str().unwrap().parse().unwrap();
    let deadline: chrono::DateTime<Utc> = notice["objection_deadline"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(deadline - notified, Duration::days(30));
    let seen: Value = app
        .get_as(&vendor_signer.token, &notices_path)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen[0]["id"], notice["id"]);
    let none: Value = app
        .get_as(
            &editor.token,
            &format!("/api/v1/agreements/{other}/notices"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none, json!([]));

    // Only the controller answers; an objection needs reasons; one answer only.
    let id = notice["id"].as_str().unwrap();
    let objection_path = format!("{notices_path}/{id}/objection");
    let vendor_tries = app
        .post_as(
            &vendor_signer.token,
            &objection_path,
            json!({"reason": "Nei"}),
        )
        .await;
    assert_problem(vendor_tries, 403, "forbidden").await;
    let signer_tries = app
        .post_as(
            &oslo_signer.token,
            &objection_path,
            json!({"reason": "Nei"}),
        )
        .await;
    assert_problem(signer_tries, 403, "forbidden").await;
    let empty = app
        .post_as(&editor.token, &objection_path, json!({"reason": " "}))
        .await;
    assert_problem(empty, 422, "validation_failed").await;
    let objected = app
        .post_as(
            &editor.token,
            &objection_path,
            json!({"reason": "Sikkerhetskopi i Sverige er ikke vurdert i vår risikovurdering"}),
        )
        .await;
    assert_eq!(objected.status(), 200);
    let objected: Value = objected.json().await.unwrap();
    assert_eq!(objected["status"], "objected");
    assert!(objected["decided_at"].is_string());
    let again = app
        .post_as(
            &editor.token,
            &format!("{notices_path}/{id}/accept"),
            json!({}),
        )
        .await;
    assert_problem(again, 409, "invalid_transition").await;
    let seen: Value = app
        .get_as(&vendor_signer.token, &notices_path)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        seen[0]["reason"],
        "Sikkerhetskopi i Sverige er ikke vurdert i vår risikovurdering"
    );
    for org in [oslo, fjordlys] {
        let log = app.audit_actions(org).await;
        for action in [
            "agreement.sub_processors_notified",
            "agreement.sub_processors_objected",
        ] {
            assert!(log.contains(&action.to_owned()), "{action} in {log:?}");
        }
    }

    // A later change is accepted, and stays decided.
    add_sub_processor(json!({"name": "Fjellhall Drift AS", "org_number": null, "country": "NO", "service": "Drift"})).await;
    let notices: Value = app
        .get_as(&editor.token, &notices_path)
        .await
        .json()
        .await
        .unwrap();
    let open: Vec<&Value> = notices
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["status"] == "open")
        .collect();
    assert_eq!(open.len(), 1, "{notices}");
    assert_eq!(open[0]["change"]["added"][0]["name"], "Fjellhall Drift AS");
    let accept_path = format!("{notices_path}/{}/accept", open[0]["id"].as_str().unwrap());
    let accepted = app.post_as(&editor.token, &accept_path, json!({})).await;
    assert_eq!(accepted.status(), 200);
    let accepted: Value = accepted.json().await.unwrap();
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted["decided_at"].is_string());
    let again = app.post_as(&editor.token, &accept_path, json!({})).await;
    assert_problem(again, 409, "invalid_transition").await;
    let log = app.audit_actions(oslo).await;
    assert!(
        log.contains(&"agreement.sub_processors_accepted".to_owned()),
        "{log:?}"
    );
}

/// Every agreement operation refuses those it is not for: another organisation (404), a
/// member without a role that reads agreements (403), the processor on the controller's
/// steps (403), the processor before the agreement is sent (404).
#[tokio::test]
async fn every_agreement_operation_refuses_outsiders_and_roles_without_the_permission() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let fjordlys = app.org_named("Fjordlys").await;
    let nordavind = app.org_named("Nordavind").await;
    let reader = person(&app, "dpa-ref-les@example.org", oslo, Role::Auditor).await;
    let outsider = person(
        &app,
        "dpa-ref-ute@example.org",
        bergen,
        Role::RegisterEditor,
    )
    .await;
    let oslo_admin = person(&app, "dpa-ref-adm@example.org", oslo, Role::OrgAdmin).await;
    let vendor_editor = person(
        &app,
        "dpa-ref-prod@example.org",
        fjordlys,
        Role::ProductEditor,
    )
    .await;
    let vendor_signer = person(&app, "dpa-ref-sign@example.org", fjordlys, Role::Signatory).await;
    let other_vendor = person(&app, "dpa-ref-nord@example.org", nordavind, Role::Signatory).await;
    let list: Value = app
        .get_as(
            &reader.token,
            &format!("/api/v1/organizations/{oslo}/agreements"),
        )
        .await
        .json()
        .await
        .unwrap();
    let id_of = |status: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["status"] == status)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (sent, draft) = (id_of("sent"), id_of("draft"));
    let notice = uuid::Uuid::now_v7();
    let calls = |id: &str| -> Vec<(Method, String, Option<Value>)> {
        let base = format!("/api/v1/agreements/{id}");
        let mut calls: Vec<(Method, String, Option<Value>)> = [
            "",
            "/versions",
            "/versions/1",
            "/diff?from=1",
            "/text",
            "/document.html",
            "/document.pdf",
            "/verify",
            "/notices",
        ]
        .into_iter()
        .map(|p| (Method::GET, format!("{base}{p}"), None))
        .collect();
        calls.extend([
            (
                Method::PUT,
                base.clone(),
                Some(terms(fjordlys, &uuid::Uuid::now_v7().to_string())),
            ),
            (Method::POST, format!("{base}/send"), Some(json!({}))),
            (
                Method::POST,
                format!("{base}/sign"),
                Some(json!({"document_sha256": "0".repeat(64)})),
            ),
            (Method::POST, format!("{base}/terminate"), Some(json!({}))),
            (
                Method::POST,
                format!("{base}/notices/{notice}/accept"),
                Some(json!({})),
            ),
            (
                Method::POST,
                format!("{base}/notices/{notice}/objection"),
                Some(json!({"reason": "Nei"})),
            ),
        ]);
        calls
    };
    let expect = |who: &'static str, token: String, id: String, status: u16, code: &'static str| {
        let app = &app;
        let calls = calls(&id);
        async move {
            for (method, path, body) in calls {
                let r = app
                    .send(method.clone(), &token, &path, Some("\"1\""), body)
                    .await;
                let got = r.status().as_u16();
                assert_eq!(got, status, "{who}: {method} {path}");
                assert_problem(r, status, code).await;
            }
        }
    };
    expect(
        "another organisation",
        outsider.token.clone(),
        sent.clone(),
        404,
        "not_found",
    )
    .await;
    expect(
        "the controller's admin",
        oslo_admin.token.clone(),
        sent.clone(),
        403,
        "forbidden",
    )
    .await;
    expect(
        "the processor's product editor",
        vendor_editor.token.clone(),
        sent.clone(),
        403,
        "forbidden",
    )
    .await;
    expect(
        "a processor before sending",
        other_vendor.token.clone(),
        draft.clone(),
        404,
        "not_found",
    )
    .await;
    // The processor's signatory reads the sent agreement but takes no controller step.
    let base = format!("/api/v1/agreements/{sent}");
    for (method, path, body) in [
        (
            Method::PUT,
            base.clone(),
            Some(terms(fjordlys, &uuid::Uuid::now_v7().to_string())),
        ),
        (Method::POST, format!("{base}/send"), None),
        (Method::POST, format!("{base}/terminate"), None),
        (
            Method::POST,
            format!("{base}/notices/{notice}/accept"),
            None,
        ),
        (
            Method::POST,
            format!("{base}/notices/{notice}/objection"),
            Some(json!({"reason": "Nei"})),
        ),
    ] {
        let r = app
            .send(
                method.clone(),
                &vendor_signer.token,
                &path,
                Some("\"1\""),
                body,
            )
            .await;
        assert_eq!(r.status(), 403, "{method} {path}");
        assert_problem(r, 403, "forbidden").await;
    }
    assert_eq!(app.get_as(&vendor_signer.token, &base).await.status(), 200);
    // A wrong code does not count as a step-up.
    let wrong = app
        .post_as(
            &vendor_signer.token,
            "/api/v1/auth/step-up/totp",
            json!({"code": "000000"}),
        )
        .await;
    assert_problem(wrong, 401, "invalid_credentials").await;
}

/// An authority, which keeps no register, drafts an agreement with a municipality as its
/// processor: the agreement manager states what the processing is about, the agreement is
/// complete with that, and the municipality's signatory signs it.
#[tokio::test]
async fn an_authority_states_the_scope_of_its_agreement_with_a_municipality() {
    let app = spawn_demo_app().await;
    let authority = app.org_named("Direktoratet").await;
    let oslo = app.org_named("Oslo").await;
    let manager = person(
        &app,
        "avtaleforvalter@example.org",
        authority,
        Role::AgreementManager,
    )
    .await;
    let signer = person(&app, "dir-signatar@example.org", authority, Role::Signatory).await;
    let oslo_signer = person(&app, "oslo-signatar@example.org", oslo, Role::Signatory).await;
    let body = json!({
        "title": "Databehandleravtale for introduksjonsprogrammet",
        "template": "state-nb",
        "processor_id": oslo,
        "nature": "Registrering og oppfølging av deltakere på vegne av direktoratet",
        "start_date": "2027-01-01",
        "authorisation": "specific",
        "breach_notice_hours": 24,
        "end_of_contract": "return",
        "audit_procedure": "Årlig egenrapportering",
        "controller_contact": "personvern@example.org",
        "processor_contact": "Kommunens personvernombud",
        "scope": {
            "subject_matter": "Introduksjonsprogrammet for nyankomne innvandrere",
            "purposes": ["Kvalifisering og oppfølging"],
            "data_categories": [
                {"label": "Navn og kontaktinformasjon"},
                {"label": "Helseopplysninger", "special": true}
            ],
            "data_subjects": ["Deltakere"],
            "security_measures": ["Tilgangsstyring etter tjenstlig behov"],
            "locations": ["Norge"]
        }
    });
    let path = format!("/api/v1/organizations/{authority}/agreements");
    // The signatory signs but does not draft.
    let refused = app.post_as(&signer.token, &path, body.clone()).await;
    assert_problem(refused, 403, "forbidden").await;
    let created = app.post_as(&manager.token, &path, body.clone()).await;
    assert_eq!(created.status(), 201);
    let draft: Value = created.json().await.unwrap();
    assert_eq!(draft["missing_elements"], json!([]), "{draft}");
    let id = draft["id"].as_str().unwrap().to_owned();
    let text: Value = app
        .get_as(&manager.token, &format!("/api/v1/agreements/{id}/text"))
        .await
        .json()
        .await
        .unwrap();
    let words = text.to_string();
    assert!(words.contains("Introduksjonsprogrammet for nyankomne innvandrere"));
    assert!(words.contains("Helseopplysninger (særlig kategori, art. 9)"));
    assert!(
        !words.contains("Systemer og tjenester"),
        "no systems, no heading"
    );
    let sent = app
        .post_as(
            &manager.token,
            &format!("/api/v1/agreements/{id}/send"),
            json!({}),
        )
        .await;
    assert_eq!(sent.status(), 200);
    let sent: Value = sent.json().await.unwrap();
    step_up(&app, &oslo_signer).await;
    let signed = app
        .post_as(
            &oslo_signer.token,
            &format!("/api/v1/agreements/{id}/sign"),
            json!({"document_sha256": sent["document_sha256"]}),
        )
        .await;
    assert_eq!(signed.status(), 200);
    let signed: Value = signed.json().await.unwrap();
    assert_eq!(signed["status"], "partially_signed");
    // Bad stated scope: a clear field error, nothing stored.
    let mut bad = body;
    bad["scope"]["data_categories"][0]["label"] = json!(" ");
    let response = app.post_as(&manager.token, &path, bad).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        problem["errors"][0]["field"],
        "scope.data_categories[0].label"
    );
    let list: Value = app
        .get_as(&manager.token, &path)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

/// Oslo writes its own template, drafts with it, and changes it (a new version) without
/// touching the agreement already drafted; nobody else sees or uses it.
#[tokio::test]
async fn an_organisation_drafts_from_its_own_versioned_template() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let fjordlys = app.org_named("Fjordlys").await;
    let editor = person(&app, "mal-redaktor@example.org", oslo, Role::RegisterEditor).await;
    let admin = person(&app, "mal-admin@example.org", oslo, Role::OrgAdmin).await;
    let outsider = person(&app, "mal-bergen@example.org", bergen, Role::RegisterEditor).await;
    let system = system_named(&app, &editor.token, oslo, "Skolesekk").await;
    let path = format!("/api/v1/organizations/{oslo}/agreement-templates");
    let source = "# {{ title }}\n\nOslo kommunes egen avtale mellom {{ controller.name }} og {{ processor.name }}.\n\n{% for s in systems %}\n- {{ s.name }}\n{% endfor %}\n";
    let body = json!({"name": "Oslos korte mal", "language": "nb", "source": source});

    // Checked before it is stored: the engine's words name the line.
    let broken = app
        .post_as(
            &editor.token,
            &path,
            json!({"name": "Feil", "language": "nb", "source": "{% for s in systems %}\n- {{ s.name }}\n"}),
        )
        .await;
    let problem = assert_problem(broken, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "source");
    assert_eq!(problem["errors"][0]["code"], "syntax_error");
    assert!(problem["detail"].as_str().unwrap().contains("line"));
    let unknown = app
        .post_as(
            &editor.token,
            &path,
            json!({"name": "Feil", "language": "nb", "source": "{{ personnummer }}"}),
        )
        .await;
    let problem = assert_problem(unknown, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "unknown_field");
    assert_problem(
        app.post_as(&admin.token, &path, body.clone()).await,
        403,
        "forbidden",
    )
    .await;

    let created = app.post_as(&editor.token, &path, body.clone()).await;
    assert_eq!(created.status(), 201);
    let template: Value = created.json().await.unwrap();
    let key = template["key"].as_str().unwrap().to_owned();
    let template_path = format!(
        "/api/v1/agreement-templates/{}",
        template["id"].as_str().unwrap()
    );
    assert_eq!(template["current_version"], 1);
    assert_eq!(
        template["merge_fields"],
        json!(["controller", "processor", "systems", "title"])
    );
    let (status, read) = app.get_json_as(&editor.token, &template_path).await;
    assert_eq!(status, 200);
    assert_eq!(
        (read["id"].clone(), read["key"].clone()),
        (template["id"].clone(), json!(key))
    );

    // Drafting with it renders its words.
    let mut terms = terms(fjordlys, &system);
    terms["template"] = json!(key);
    terms["audit_procedure"] = json!("Årlig revisjonsrapport");
    let drafted = app
        .post_as(
            &editor.token,
            &format!("/api/v1/organizations/{oslo}/agreements"),
            terms.clone(),
        )
        .await;
    assert_eq!(drafted.status(), 201);
    let agreement: Value = drafted.json().await.unwrap();
    let agreement_id = agreement["id"].as_str().unwrap().to_owned();
    let text = app
        .get_as(
            &editor.token,
            &format!("/api/v1/agreements/{agreement_id}/text"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("Oslo kommunes egen avtale"), "{text}");

    // A new version; the agreement keeps its text.
    let response = app
        .client
        .put(app.url(&template_path))
        .bearer_auth(&editor.token)
        .header("If-Match", "\"1\"")
        .json(&json!({"name": "Oslos korte mal", "language": "nb",
                      "source": source.replace("egen avtale", "egne avtale, versjon to"),
                      "change_note": "Ny formulering"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["current_version"], 2);
    assert_eq!(changed["versions"][1]["change_note"], "Ny formulering");
    let stale = app
        .client
        .put(app.url(&template_path))
        .bearer_auth(&editor.token)
        .header("If-Match", "\"1\"")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_problem(stale, 412, "precondition_failed").await;
    let text_after = app
        .get_as(
            &editor.token,
            &format!("/api/v1/agreements/{agreement_id}/text"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(text, text_after);

    // Another organisation neither sees nor uses it.
    assert_problem(
        app.get_as(&outsider.token, &template_path).await,
        404,
        "not_found",
    )
    .await;
    let mut theirs = terms.clone();
    theirs["system_ids"] = json!([]);
    let response = app
        .post_as(
            &outsider.token,
            &format!("/api/v1/organizations/{bergen}/agreements"),
            theirs,
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "template");
    let list: Value = app.get_as(&editor.token, &path).await.json().await.unwrap();
    assert_eq!(list["items"][0]["key"], key);
    assert!(
        app.audit_actions(oslo)
            .await
            .contains(&"agreement_template.changed".to_owned())
    );
}
