//! The incident register: registering a breach with its clock, notices to Datatilsynet in
//! phases, the resident notice decision, the generated texts, closing, the export, and the
//! refusals (roles, other organisations, bad input leaving nothing behind).

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use vern_domain::OrgKind;
use vern_domain::access::Role;

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{assert_problem, etag, spawn_demo_app};

fn breach(aware_hours_ago: i64) -> Value {
    let aware = Utc::now() - Duration::hours(aware_hours_ago);
    json!({
        "title": "Elevliste sendt til feil mottaker",
        "occurred_from": (aware - Duration::hours(2)).to_rfc3339(),
        "aware_at": aware.to_rfc3339(),
        "discovered_how": "Mottakeren sa fra",
        "classes": ["confidentiality"],
        "description": "En e-post med elevliste gikk til en foresatt i en annen klasse.",
        "data_categories": ["pd:Name"],
        "data_subjects": ["dpv:Student"],
        "subjects_approx": 28,
        "consequences": "Andre kan få vite hvem som går i klassen.",
        "measures_taken": "",
        "risk": "not_assessed"
    })
}

#[tokio::test]
async fn a_privacy_officer_registers_a_breach_notifies_in_phases_and_closes_it() {
    let app = spawn_demo_app().await;
    let municipality = first_org(&app, OrgKind::Municipality).await;
    let neighbour = app.org_named("Bodø").await;
    let mk = |email: &'static str, org, role| {
        let app = &app;
        async move {
            log_in(app, &create_user(app, email, &[(org, role)], true).await)
                .await
                .access
        }
    };
    let dpo = mk("avvik-pvo@example.org", municipality, Role::PrivacyOfficer).await;
    let editor = mk("avvik-reg@example.org", municipality, Role::RegisterEditor).await;
    let caseworker = mk(
        "avvik-saks@example.org",
        municipality,
        Role::RequestCaseworker,
    )
    .await;
    let auditor = mk("avvik-rev@example.org", municipality, Role::Auditor).await;
    let stranger = mk("avvik-nabo@example.org", neighbour, Role::PrivacyOfficer).await;
    let list = format!("/api/v1/organizations/{municipality}/incidents");

    // Bad input: refused field by field, nothing stored.
    let mut bad = breach(1);
    bad["description"] = json!("Brev til 02813299952 sendt feil");
    bad["classes"] = json!([]);
    bad["system_ids"] = json!([uuid::Uuid::now_v7()]);
    let problem = assert_problem(
        app.post_as(&dpo, &list, bad).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        fields.contains(&("description".into(), "contains_national_id".into())),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("classes".into(), "required".into())),
        "{fields:?}"
    );
    // The national id never comes back in the problem.
    assert!(!problem.to_string().contains("02813299952"));
    let mut foreign = breach(1);
    foreign["system_ids"] = json!([uuid::Uuid::now_v7()]);
    let problem = assert_problem(
        app.post_as(&dpo, &list, foreign).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "not_a_system_here");
    let empty: Value = app.get_as(&dpo, &list).await.json().await.unwrap();
    assert_eq!(empty["items"].as_array().unwrap().len(), 0);

    // Registered 50 hours after awareness: the clock is urgent.
    let response = app.post_as(&dpo, &list, breach(50)).await;
    assert_eq!(response.status(), 201);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .contains("/incidents/")
    );
    let tag = etag(&response);
    let incident: Value = response.json().await.unwrap();
    let id = incident["id"].as_str().unwrap().to_owned();
    let path = format!("{list}/{id}");
    assert_eq!(incident["status"], "open");
    assert_eq!(incident["clock"]["urgency"], "urgent");
    let left = incident["clock"]["minutes_left"].as_i64().unwrap();
    assert!((21 * 60..=22 * 60).contains(&left), "{left}");
    assert!(incident["reference"].as_str().unwrap().ends_with("-1"));
    assert_eq!(
        incident["outstanding"],
        json!(["assess_risk", "record_measures"])
    );

    // Who may see and do what; another municipality sees nothing.
    assert_eq!(app.get_as(&editor, &path).await.status(), 200);
    assert_problem(
        app.post_as(&editor, &list, breach(1)).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get_as(&caseworker, &list).await, 403, "forbidden").await;
    assert_problem(app.get_as(&auditor, &path).await, 403, "forbidden").await;
    assert_problem(app.get_as(&stranger, &path).await, 404, "not_found").await;
    assert_problem(
        app.get_as(
            &stranger,
            &format!("/api/v1/organizations/{neighbour}/incidents/{id}"),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // Every step: a role without the permission is refused, another municipality sees nothing.
    let foreign = format!("/api/v1/organizations/{neighbour}/incidents/{id}");
    for (method, suffix, body) in [
        (Method::PUT, "", breach(50)),
        (Method::POST, "/status", json!({"status": "closed"})),
        (Method::POST, "/notices", json!({"phase": "initial"})),
        (
            Method::PUT,
            "/resident-notice",
            json!({"decision": "not_sent", "exception": "unintelligible", "explanation": "Kryptert"}),
        ),
    ] {
        let own = format!("{path}{suffix}");
        assert_problem(
            app.send(
                method.clone(),
                &editor,
                &own,
                Some(&tag),
                Some(body.clone()),
            )
            .await,
            403,
            "forbidden",
        )
        .await;
        assert_problem(
            app.send(
                method.clone(),
                &stranger,
                &own,
                Some(&tag),
                Some(body.clone()),
            )
            .await,
            404,
            "not_found",
        )
        .await;
        assert_problem(
            app.send(
                method,
                &stranger,
                &format!("{foreign}{suffix}"),
                Some(&tag),
                Some(body),
            )
            .await,
            404,
            "not_found",
        )
        .await;
    }
    assert_problem(
        app.get_as(&stranger, &format!("{path}/texts")).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&auditor, &format!("{path}/texts")).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get_as(&caseworker, &format!("{list}.xlsx")).await,
        403,
        "forbidden",
    )
    .await;

    // Closing too early names what is outstanding.
    let problem = assert_problem(
        app.send(
            Method::POST,
            &dpo,
            &format!("{path}/status"),
            Some(&tag),
            Some(json!({"status": "closed"})),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "assess_risk");

    // Assessed as high risk, measures recorded.
    let mut assessed = breach(50);
    assessed["aware_at"] = incident["facts"]["aware_at"].clone();
    assessed["occurred_from"] = incident["facts"]["occurred_from"].clone();
    assessed["risk"] = json!("high");
    assessed["risk_reasons"] = json!("Opplysninger om barn");
    assessed["measures_taken"] = json!("Mottakeren har slettet e-posten.");
    assert_problem(
        app.send(Method::PUT, &dpo, &path, None, Some(assessed.clone()))
            .await,
        428,
        "precondition_required",
    )
    .await;
    let response = app
        .send(Method::PUT, &dpo, &path, Some(&tag), Some(assessed.clone()))
        .await;
    assert_eq!(response.status(), 200);
    let tag = etag(&response);
    let incident: Value = response.json().await.unwrap();
    assert_eq!(incident["resident_notice_required"], true);
    assert_eq!(
        incident["outstanding"],
        json!(["notify_authority", "decide_resident_notice"])
    );

    // The generated texts: the form's fields for the initial notice, the letter in English.
    let texts: Value = app
        .get_as(&editor, &format!("{path}/texts?lang=en"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(texts["next_phase"], "initial");
    let fields = texts["authority"]["fields"].as_array().unwrap();
    let value = |k: &str| {
        fields
            .iter()
            .find(|f| f["key"] == k)
            .map(|f| f["value"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(value("classes"), "Confidentiality breach");
    assert_eq!(value("subjects_approx"), "ca. 28");
    assert!(
        value("contact").contains('@'),
        "the privacy officers' contact"
    );
    assert!(
        texts["residents"]["body"]
            .as_str()
            .unwrap()
            .contains("Mottakeren har slettet e-posten.")
    );
    assert_problem(
        app.get_as(&dpo, &format!("{path}/texts?lang=de")).await,
        422,
        "validation_failed",
    )
    .await;

    // Notices: a supplement first is refused; the initial one stops the clock.
    let notices = format!("{path}/notices");
    let problem = assert_problem(
        app.send(
            Method::POST,
            &dpo,
            &notices,
            Some(&tag),
            Some(json!({"phase": "supplement"})),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "phase_order");
    assert_problem(
        app.send(
            Method::POST,
            &editor,
            &notices,
            Some(&tag),
            Some(json!({"phase": "initial"})),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let response = app
        .send(
            Method::POST,
            &dpo,
            &notices,
            Some(&tag),
            Some(json!({"phase": "initial", "reference": "AR-2026-1"})),
        )
        .await;
    assert_eq!(response.status(), 201);
    let tag = etag(&response);
    let incident: Value = response.json().await.unwrap();
    assert_eq!(incident["clock"]["urgency"], "notified");
    assert_eq!(incident["notices"][0]["phase"], "initial");
    assert_eq!(incident["notices"][0]["reference"], "AR-2026-1");
    assert!(incident["notices"][0]["recorded_by"].is_string());
    assert!(
        incident["notices"][0]["report"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["key"] == "phase" && f["value"] == "Første melding")
    );
    // A stale ETag is refused.
    assert_problem(
        app.send(
            Method::POST,
            &dpo,
            &notices,
            Some("\"1\""),
            Some(json!({"phase": "supplement"})),
        )
        .await,
        412,
        "precondition_failed",
    )
    .await;

    // The residents are not told: the exception and why.
    let response = app
        .send(
            Method::PUT,
            &dpo,
            &format!("{path}/resident-notice"),
            Some(&tag),
            Some(json!({"decision": "not_sent", "exception": "risk_no_longer_likely", "explanation": "E-posten er slettet og bekreftet."})),
        )
        .await;
    assert_eq!(response.status(), 200);
    let tag = etag(&response);
    let incident: Value = response.json().await.unwrap();
    assert_eq!(
        incident["resident_notice"]["exception"],
        "risk_no_longer_likely"
    );
    assert_eq!(incident["outstanding"], json!([]));

    // Closed; editing a closed one is refused; reopening works.
    let response = app
        .send(
            Method::POST,
            &dpo,
            &format!("{path}/status"),
            Some(&tag),
            Some(json!({"status": "closed"})),
        )
        .await;
    assert_eq!(response.status(), 200);
    let tag = etag(&response);
    let incident: Value = response.json().await.unwrap();
    assert_eq!(incident["status"], "closed");
    assert!(incident["closed_at"].is_string());
    assert_problem(
        app.send(Method::PUT, &dpo, &path, Some(&tag), Some(assessed))
            .await,
        409,
        "invalid_transition",
    )
    .await;

    // The register: a second, unlikely-risk breach, the filter and the exports.
    let mut minor = breach(2);
    minor["title"] = json!("Ulåst skap i arkivet");
    minor["classes"] = json!(["availability", "confidentiality"]);
    minor["risk"] = json!("unlikely");
    minor["risk_reasons"] = json!("Ingen uvedkommende i bygget");
    let second: Value = app.post_as(&dpo, &list, minor).await.json().await.unwrap();
    assert!(second["reference"].as_str().unwrap().ends_with("-2"));
    assert_eq!(second["clock"]["urgency"], "not_due");
    let page: Value = app
        .get_as(&editor, &format!("{list}?limit=1"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["title"], "Ulåst skap i arkivet");
    let next = page["next_cursor"].as_str().unwrap();
    let page: Value = app
        .get_as(&editor, &format!("{list}?limit=1&cursor={next}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["id"], id.as_str());
    let closed: Value = app
        .get_as(&editor, &format!("{list}?status=closed"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["items"].as_array().unwrap().len(), 1);
    let running: Value = app
        .get_as(&editor, &format!("{list}?clock=running"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(running["items"].as_array().unwrap().len(), 0);
    assert_problem(
        app.get_as(&editor, &format!("{list}?status=nope")).await,
        422,
        "validation_failed",
    )
    .await;

    let csv = app.get_as(&editor, &format!("{list}.csv")).await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().get(0), Some("Referanse"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].get(1), Some("Elevliste sendt til feil mottaker"));
    assert_eq!(rows[1].get(14), Some("Ikke meldepliktig"));
    let xlsx = app.get_as(&editor, &format!("{list}.xlsx?lang=en")).await;
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    assert_problem(
        app.get_as(
            &stranger,
            &format!("/api/v1/organizations/{municipality}/incidents.csv"),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    let actions = app.audit_actions(municipality).await;
    for action in [
        "incident.created",
        "incident.updated",
        "incident.notified",
        "incident.resident_notice_recorded",
        "incident.closed",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} missing");
    }
}

#[tokio::test]
async fn a_late_first_notice_needs_its_reason_and_the_report_carries_it() {
    let app = spawn_demo_app().await;
    let municipality = first_org(&app, OrgKind::Municipality).await;
    let dpo = log_in(
        &app,
        &create_user(
            &app,
            "avvik-sen@example.org",
            &[(municipality, Role::PrivacyOfficer)],
            true,
        )
        .await,
    )
    .await
    .access;
    let list = format!("/api/v1/organizations/{municipality}/incidents");
    let mut late = breach(80);
    late["risk"] = json!("risk");
    late["risk_reasons"] = json!("Helseopplysninger");
    let response = app.post_as(&dpo, &list, late).await;
    let tag = etag(&response);
    let incident: Value = response.json().await.unwrap();
    assert_eq!(incident["clock"]["urgency"], "overdue");
    assert!(incident["clock"]["minutes_left"].as_i64().unwrap() < 0);
    let notices = format!("{list}/{}/notices", incident["id"].as_str().unwrap());
    let problem = assert_problem(
        app.send(
            Method::POST,
            &dpo,
            &notices,
            Some(&tag),
            Some(json!({"phase": "initial"})),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "late_reason");
    assert_eq!(problem["errors"][0]["code"], "reason_required");
    let response = app
        .send(
            Method::POST,
            &dpo,
            &notices,
            Some(&tag),
            Some(
                json!({"phase": "initial", "late_reason": "Oppdaget i ferien, meldt straks etter"}),
            ),
        )
        .await;
    assert_eq!(response.status(), 201);
    let incident: Value = response.json().await.unwrap();
    assert!(
        incident["notices"][0]["report"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["key"] == "late_reason"
                && f["value"] == "Oppdaget i ferien, meldt straks etter")
    );
    assert_eq!(
        incident["notices"][0]["late_reason"],
        "Oppdaget i ferien, meldt straks etter"
    );
}

#[tokio::test]
async fn a_vendors_notice_reaches_every_customer_of_the_product_as_a_draft_and_it_sees_who_took_it_in()
 {
    let app = spawn_demo_app().await;
    let vendor = app.org_named("Fjordlys").await;
    let oslo = app.org_named("Oslo").await;
    let mk = |email: &'static str, org, role| {
        let app = &app;
        async move {
            log_in(app, &create_user(app, email, &[(org, role)], true).await)
                .await
                .access
        }
    };
    let vendor_admin = mk("avvik-lev@example.org", vendor, Role::VendorAdmin).await;
    let product_editor = mk("avvik-prod@example.org", vendor, Role::ProductEditor).await;
    let dpo = mk("avvik-oslo@example.org", oslo, Role::PrivacyOfficer).await;
    let product = |q: &'static str| {
        let app = &app;
        let token = vendor_admin.clone();
        async move {
            let page: Value = app
                .get_as(&token, &format!("/api/v1/products?q={q}"))
                .await
                .json()
                .await
                .unwrap();
            page["items"][0]["id"].as_str().unwrap().to_owned()
        }
    };
    let skolesekk = product("Skolesekk").await;
    let other = product("Legevaktsystemet").await;
    let base = format!("/api/v1/organizations/{vendor}/vendor-incidents");
    let mut notice = breach(20);
    notice["title"] = json!("Eksportfiler lesbare uten innlogging");
    notice["risk"] = json!("high");
    notice["risk_reasons"] = json!("Opplysninger om barn");
    notice["subjects_approx"] = json!(12000);

    // A product editor neither sends nor reads the vendor's notices.
    assert_problem(app.get_as(&product_editor, &base).await, 403, "forbidden").await;

    // Someone else's product, and a role that does not handle incidents: refused.
    let mut foreign = notice.clone();
    foreign["product_id"] = json!(other);
    let problem = assert_problem(
        app.post_as(&vendor_admin, &base, foreign).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "product_id");
    assert_eq!(problem["errors"][0]["code"], "not_your_product");
    notice["product_id"] = json!(skolesekk);
    assert_problem(
        app.post_as(&product_editor, &base, notice.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_as(&dpo, &base, notice.clone()).await,
        404,
        "not_found",
    )
    .await;
    let before: Value = app
        .get_as(
            &dpo,
            &format!("/api/v1/organizations/{oslo}/incidents?status=draft"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        before["items"].as_array().unwrap().len(),
        0,
        "refusals leave nothing behind"
    );

    let response = app.post_as(&vendor_admin, &base, notice).await;
    assert_eq!(response.status(), 201);
    let sent: Value = response.json().await.unwrap();
    let id = sent["id"].as_str().unwrap().to_owned();
    assert_eq!(sent["product_name"], "Skolesekk");
    let recipients = sent["recipients"].as_array().unwrap();
    let oslo_row = recipients
        .iter()
        .find(|r| r["organization_name"] == "Oslo kommune")
        .expect("Oslo uses Skolesekk");
    assert!(oslo_row["acknowledged_at"].is_null());

    // Oslo's draft: aware from now, linked to its Skolesekk system, risk left to Oslo.
    let drafts: Value = app
        .get_as(
            &dpo,
            &format!("/api/v1/organizations/{oslo}/incidents?status=draft"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(drafts["items"].as_array().unwrap().len(), 1);
    assert_eq!(drafts["items"][0]["vendor_notice_id"], id.as_str());
    let path = format!(
        "/api/v1/organizations/{oslo}/incidents/{}",
        drafts["items"][0]["id"].as_str().unwrap()
    );
    let response = app.get_as(&dpo, &path).await;
    let tag = etag(&response);
    let draft: Value = response.json().await.unwrap();
    assert_eq!(draft["status"], "draft");
    assert_eq!(
        draft["vendor_source"]["vendor_name"],
        "Fjordlys Programvare AS"
    );
    assert_eq!(draft["vendor_source"]["product_name"], "Skolesekk");
    assert_eq!(draft["facts"]["risk"], "not_assessed");
    assert!(draft["facts"]["subjects_approx"].is_null());
    assert_eq!(draft["facts"]["system_ids"].as_array().unwrap().len(), 1);
    assert_eq!(draft["clock"]["urgency"], "running");
    assert!(draft["clock"]["minutes_left"].as_i64().unwrap() > 71 * 60);
    assert_eq!(draft["outstanding"][0], "take_in");
    // A draft cannot be notified before it is taken in.
    assert_problem(
        app.send(
            Method::POST,
            &dpo,
            &format!("{path}/notices"),
            Some(&tag),
            Some(json!({"phase": "initial"})),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;

    // Taken in: the vendor sees when.
    let response = app
        .send(
            Method::POST,
            &dpo,
            &format!("{path}/status"),
            Some(&tag),
            Some(json!({"status": "open"})),
        )
        .await;
    assert_eq!(response.status(), 200);
    let followed: Value = app
        .get_as(&vendor_admin, &format!("{base}/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let oslo_row = followed["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["organization_name"] == "Oslo kommune")
        .unwrap()
        .clone();
    assert!(oslo_row["acknowledged_at"].is_string());
    let list: Value = app.get_as(&vendor_admin, &base).await.json().await.unwrap();
    assert_eq!(list["items"][0]["acknowledged"], 1);
    assert_eq!(list["items"][0]["recipients"], recipients.len());
    // The customer does not read the vendor's notices; the vendor does not read Oslo's register.
    assert_problem(
        app.get_as(&dpo, &format!("{base}/{id}")).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.get_as(&vendor_admin, &path).await, 404, "not_found").await;

    assert!(
        app.audit_actions(vendor)
            .await
            .iter()
            .any(|a| a == "vendor_incident.sent")
    );
    let oslo_actions = app.audit_actions(oslo).await;
    assert!(oslo_actions.iter().any(|a| a == "incident.received"));
    assert!(oslo_actions.iter().any(|a| a == "incident.taken_in"));
}
