//! Processing activities (the record of processing) through the real endpoints.

use serde_json::{Value, json};
use vern_domain::access::Role;
use vern_domain::{OrgKind, OrganizationId};

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{assert_problem, spawn_demo_app};

pub fn activity(name: &str, system: &str) -> Value {
    json!({
        "name": name,
        "purposes": ["Gi spesialundervisning etter sakkyndig vurdering"],
        "public_summary": "Vi behandler opplysninger om elever som får spesialundervisning.",
        "legal_bases": [{"basis": "public_task", "national_law": "opplæringslova § 11-6"}],
        "data_subjects": ["dpv:Student", "dpv:ParentOfDataSubject"],
        "data_categories": [
            {"category": "pd:Name", "retention": "Bevares (arkivlova)"},
            {"category": "pd:Health", "art9_condition": "substantial_public_interest",
             "legal_reference": "opplæringslova § 11-6"}
        ],
        "confidentiality": "forvaltningsloven § 13",
        "dpia": "completed",
        "responsible": "Kommunalsjef oppvekst",
        "system_ids": [system],
        "status": "active",
        "review_date": "2020-06-30",
        "published": true
    })
}

#[tokio::test]
async fn a_municipality_keeps_its_record_of_processing() {
    let app = spawn_demo_app().await;
    let municipality = first_org(&app, OrgKind::Municipality).await;
    let neighbour = app.org_named("Bodø").await;
    let mk = |email: &'static str, org: OrganizationId, role: Role| {
        let app = &app;
        async move {
            log_in(app, &create_user(app, email, &[(org, role)], true).await)
                .await
                .access
        }
    };
    let editor = mk("pa-reg@example.org", municipality, Role::RegisterEditor).await;
    let auditor = mk("pa-rev@example.org", municipality, Role::Auditor).await;
    let admin = mk("pa-adm@example.org", municipality, Role::OrgAdmin).await;
    let stranger = mk("pa-nabo@example.org", neighbour, Role::RegisterEditor).await;

    let systems = format!("/api/v1/organizations/{municipality}/systems");
    let system: Value = app
        .post_as(
            &editor,
            &systems,
            json!({"name": "Elevmappe", "owning_unit": "Oppvekst", "status": "in_use"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let system_id = system["id"].as_str().unwrap().to_owned();
    let their_system: Value = app
        .post_as(
            &stranger,
            &format!("/api/v1/organizations/{neighbour}/systems"),
            json!({"name": "Deres system", "owning_unit": "IT", "status": "in_use"}),
        )
        .await
        .json()
        .await
        .unwrap();

    let base = format!("/api/v1/organizations/{municipality}/processing-activities");
    // The record's rules, each against its field.
    let mut bad = activity("Spesialundervisning", &system_id);
    bad["data_categories"][1]["art9_condition"] = Value::Null;
    bad["legal_bases"]
        .as_array_mut()
        .unwrap()
        .push(json!({"basis": "legitimate_interests"}));
    let body = assert_problem(
        app.post_as(&editor, &base, bad).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("legal_bases[1].basis", "not_for_public_task"),
            (
                "data_categories[1].art9_condition",
                "required_for_special_category"
            ),
        ]
    );
    // Another municipality's system cannot be linked.
    let mut foreign = activity("Spesialundervisning", &system_id);
    foreign["system_ids"] = json!([system_id, their_system["id"]]);
    let body = assert_problem(
        app.post_as(&editor, &base, foreign).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "system_ids[1]");
    assert_eq!(body["errors"][0]["code"], "not_a_system_here");
    assert_eq!(
        app.get_as(&editor, &base)
            .await
            .json::<Value>()
            .await
            .unwrap()["items"],
        json!([])
    );

    // A good entry.
    let response = app
        .post_as(&editor, &base, activity("Spesialundervisning", &system_id))
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["etag"], "\"1\"");
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["vulnerable_subjects"], false);
    assert_eq!(created["public_task"], true);
    let path = format!("{base}/{}", created["id"].as_str().unwrap());

    // Lists and filters, read by the auditor.
    let names = |v: Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_owned())
            .collect()
    };
    for (query, found) in [
        ("", true),
        ("?special=true", true),
        ("?special=false", false),
        ("?status=active", true),
        ("?status=draft", false),
        ("?dpia=completed", true),
        ("?published=false", false),
        ("?review=overdue", true),
        ("?q=undervis", true),
        (&format!("?system_id={system_id}") as &str, true),
    ] {
        let page: Value = app
            .get_as(&auditor, &format!("{base}{query}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(names(page) == vec!["Spesialundervisning"], found, "{query}");
    }
    assert_problem(
        app.get_as(&auditor, &format!("{base}?special=maybe")).await,
        422,
        "validation_failed",
    )
    .await;

    // Concurrent edits: If-Match is required and must be current.
    let mut change = activity("Spesialundervisning", &system_id);
    change["data_subjects"] = json!(["dpv:Child"]);
    assert_problem(
        app.send(
            reqwest::Method::PUT,
            &editor,
            &path,
            None,
            Some(change.clone()),
        )
        .await,
        428,
        "precondition_required",
    )
    .await;
    let response = app
        .send(
            reqwest::Method::PUT,
            &editor,
            &path,
            Some("\"1\""),
            Some(change.clone()),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let updated: Value = response.json().await.unwrap();
    assert_eq!(
        updated["vulnerable_subjects"], true,
        "children are vulnerable"
    );
    assert_problem(
        app.send(
            reqwest::Method::PUT,
            &editor,
            &path,
            Some("\"1\""),
            Some(change.clone()),
        )
        .await,
        412,
        "precondition_failed",
    )
    .await;
    // The life cycle: an active entry does not go back to draft, and is not deleted.
    change["status"] = "draft".into();
    assert_problem(
        app.send(
            reqwest::Method::PUT,
            &editor,
            &path,
            Some("\"2\""),
            Some(change),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    assert_problem(
        app.send(reqwest::Method::DELETE, &editor, &path, Some("\"2\""), None)
            .await,
        409,
        "conflict",
    )
    .await;

    // Who may do what.
    assert_problem(
        app.post_as(&auditor, &base, activity("X", &system_id))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get_as(&admin, &base).await, 403, "forbidden").await;
    assert_problem(app.get_as(&stranger, &base).await, 404, "not_found").await;
    assert_problem(app.get_as(&stranger, &path).await, 404, "not_found").await;
    assert_problem(
        app.send(
            reqwest::Method::PUT,
            &stranger,
            &path,
            Some("\"2\""),
            Some(json!({"x": 1})),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let theirs = format!(
        "/api/v1/organizations/{neighbour}/processing-activities/{}",
        created["id"].as_str().unwrap()
    );
    assert_problem(app.get_as(&stranger, &theirs).await, 404, "not_found").await;

    let actions = app.audit_actions(municipality).await;
    assert!(actions.contains(&"processing_activity.created".to_owned()));
    assert!(actions.contains(&"processing_activity.updated".to_owned()));
}

#[tokio::test]
async fn drafts_can_be_deleted_and_a_deleted_system_leaves_the_activities() {
    let app = spawn_demo_app().await;
    let municipality = first_org(&app, OrgKind::Municipality).await;
    let editor = create_user(
        &app,
        "pa-draft@example.org",
        &[(municipality, Role::RegisterEditor)],
        true,
    )
    .await;
    let editor = log_in(&app, &editor).await.access;
    let systems = format!("/api/v1/organizations/{municipality}/systems");
    let planned: Value = app
        .post_as(
            &editor,
            &systems,
            json!({"name": "Prøvesystem", "owning_unit": "IT", "status": "planned"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let planned_id = planned["id"].as_str().unwrap();
    let base = format!("/api/v1/organizations/{municipality}/processing-activities");
    let mut draft = activity("Utkast til behandling", planned_id);
    draft["status"] = "draft".into();
    let created: Value = app
        .post_as(&editor, &base, draft)
        .await
        .json()
        .await
        .unwrap();
    let path = format!("{base}/{}", created["id"].as_str().unwrap());

    // Deleting the planned system takes it out of the activity's systems.
    let response = app
        .send(
            reqwest::Method::DELETE,
            &editor,
            &format!("{systems}/{planned_id}"),
            Some("\"1\""),
            None,
        )
        .await;
    assert_eq!(response.status(), 204);
    let after: Value = app.get_as(&editor, &path).await.json().await.unwrap();
    assert_eq!(after["system_ids"], json!([]));
    // The unlinking is a new revision, so an editor holding the old one gets 412.
    assert_eq!(after["revision"], 2);
    let filtered: Value = app
        .get_as(&editor, &format!("{base}?system_id={planned_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["items"], json!([]));

    // A draft can be deleted; then it is gone, with an audit event.
    assert_problem(
        app.send(reqwest::Method::DELETE, &editor, &path, None, None)
            .await,
        428,
        "precondition_required",
    )
    .await;
    let response = app
        .send(reqwest::Method::DELETE, &editor, &path, Some("\"2\""), None)
        .await;
    assert_eq!(response.status(), 204);
    assert_problem(app.get_as(&editor, &path).await, 404, "not_found").await;
    assert!(
        app.audit_actions(municipality)
            .await
            .contains(&"processing_activity.deleted".to_owned())
    );

    // Bad input writes nothing: no row, no audit event.
    let before = app.audit_actions(municipality).await.len();
    let mut bad = activity("Ugyldig", planned_id);
    bad["responsible"] = "".into();
    assert_problem(
        app.post_as(&editor, &base, bad).await,
        422,
        "validation_failed",
    )
    .await;
    let response = app
        .client
        .post(app.url(&base))
        .bearer_auth(&editor)
        .header("Content-Type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_problem(response, 400, "invalid_json").await;
    assert_eq!(app.audit_actions(municipality).await.len(), before);
    let page: Value = app.get_as(&editor, &base).await.json().await.unwrap();
    assert_eq!(page["items"], json!([]));
}

#[tokio::test]
async fn the_record_of_processing_exports_as_json_csv_xlsx_and_html() {
    use calamine::Reader;
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let neighbour = app.org_named("Bodø").await;
    let auditor = create_user(&app, "ropa-rev@example.org", &[(oslo, Role::Auditor)], true).await;
    let auditor = log_in(&app, &auditor).await.access;
    let admin = create_user(
        &app,
        "ropa-adm@example.org",
        &[(oslo, Role::OrgAdmin)],
        true,
    )
    .await;
    let admin = log_in(&app, &admin).await.access;
    let stranger = create_user(
        &app,
        "ropa-nabo@example.org",
        &[(neighbour, Role::Auditor)],
        true,
    )
    .await;
    let stranger = log_in(&app, &stranger).await.access;
    let base = format!("/api/v1/organizations/{oslo}/record-of-processing");

    // JSON: the controller, the demo privacy officer, the 15 activities with systems, and the
    // payroll product's transfer to India under standard contractual clauses.
    let record: Value = app.get_as(&auditor, &base).await.json().await.unwrap();
    assert_eq!(record["controller"]["name"], "Oslo kommune");
    assert!(
        record["privacy_officers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["email"].as_str().unwrap().ends_with("@example.org"))
    );
    let entries = record["entries"].as_array().unwrap();
    assert!(entries.len() >= 15);
    let payroll = entries
        .iter()
        .find(|e| e["activity"]["name"] == "Lønn og personal")
        .unwrap();
    assert_eq!(payroll["systems"], json!(["Lønnsflyt"]));
    assert_eq!(payroll["product_transfers"][0]["country"], "IN");

    // CSV: a header row and one row per entry, in Norwegian by default.
    let response = app.get_as(&auditor, &format!("{base}.csv")).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "Behandlingsaktivitet");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), entries.len());
    let csv_payroll = rows.iter().find(|r| &r[0] == "Lønn og personal").unwrap();
    assert!(
        csv_payroll[9].contains("IN: standard personvernbestemmelser (art. 46) (via Lønnsflyt)")
    );
    assert!(csv_payroll[5].contains("Art. 9(2)(b)"));

    // XLSX, in English: opened with a reader, cell by cell.
    let response = app.get_as(&auditor, &format!("{base}.xlsx?lang=en")).await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = workbook.worksheet_range("Record of processing").unwrap();
    assert_eq!(
        sheet.get_value((0, 0)).unwrap().to_string(),
        "Processing activity"
    );
    assert_eq!(sheet.get_value((0, 16)).unwrap().to_string(), "Next review");
    assert_eq!(sheet.height(), entries.len() + 1);
    let xlsx_payroll = sheet.rows().find(|r| r[0] == "Lønn og personal").unwrap();
    assert_eq!(xlsx_payroll[3].to_string(), "Employees");
    assert_eq!(xlsx_payroll[12].to_string(), "Lønnsflyt");

    // HTML: printable, escaped, with the DPO.
    let response = app.get_as(&auditor, &format!("{base}.html?lang=nn")).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<html lang=\"nn\">"));
    assert!(html.contains("Protokoll over behandlingsaktivitetar"));
    assert!(html.contains("Personvernombod"));
    assert!(html.contains("Lønn og personal"));

    // Drafts are not in the record in force; asked for, they are.
    let drafts: Value = app
        .get_as(&auditor, &format!("{base}?status=draft"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(drafts["entries"], json!([]));
    assert_problem(
        app.get_as(&auditor, &format!("{base}.csv?lang=de")).await,
        422,
        "validation_failed",
    )
    .await;

    // Refusals: identity administration sees no register content; another municipality
    // learns nothing.
    assert_problem(app.get_as(&admin, &base).await, 403, "forbidden").await;
    for ext in ["", ".csv", ".xlsx", ".html"] {
        assert_problem(
            app.get_as(&stranger, &format!("{base}{ext}")).await,
            404,
            "not_found",
        )
        .await;
    }
}

#[tokio::test]
async fn a_municipality_publishes_its_privacy_statement() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let vendor = first_org(&app, OrgKind::Vendor).await;
    // No login: residents read it.
    let (status, statement) = app
        .get_json(&format!(
            "/api/v1/organizations/{oslo}/privacy-statement?lang=en"
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(statement["controller"]["name"], "Oslo kommune");
    assert_eq!(statement["lang"], "en");
    assert!(!statement["privacy_officers"].as_array().unwrap().is_empty());
    let entries = statement["entries"].as_array().unwrap();
    assert!(entries.len() >= 15);
    let school = entries
        .iter()
        .find(|e| e["name"] == "Elevadministrasjon i grunnskolen")
        .unwrap();
    assert!(school["summary"].as_str().unwrap().len() > 20);
    assert!(
        school["data_subjects"]
            .as_array()
            .unwrap()
            .contains(&json!("Children"))
    );
    assert!(
        school["legal_bases"][0]
            .as_str()
            .unwrap()
            .contains("opplæringslova § 15-1")
    );
    // Nothing internal: no systems, no responsible person, no review dates.
    assert!(school.get("system_ids").is_none() && school.get("responsible").is_none());

    // Unpublishing an activity takes it out.
    let editor = create_user(
        &app,
        "stmt@example.org",
        &[(oslo, Role::RegisterEditor)],
        true,
    )
    .await;
    let editor = log_in(&app, &editor).await.access;
    let list: Value = app
        .get_as(
            &editor,
            &format!("/api/v1/organizations/{oslo}/processing-activities?q=Rekruttering"),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut hiring = list["items"][0].clone();
    let path = format!(
        "/api/v1/organizations/{oslo}/processing-activities/{}",
        hiring["id"].as_str().unwrap()
    );
    let revision = hiring["revision"].to_string();
    hiring["published"] = false.into();
    let response = app
        .send(
            reqwest::Method::PUT,
            &editor,
            &path,
            Some(&format!("\"{revision}\"")),
            Some(hiring),
        )
        .await;
    assert_eq!(response.status(), 200);
    let (_, statement) = app
        .get_json(&format!("/api/v1/organizations/{oslo}/privacy-statement"))
        .await;
    assert!(
        statement["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["name"] != "Rekruttering")
    );
    assert_eq!(
        statement["entries"].as_array().unwrap().len(),
        entries.len() - 1
    );

    // Only municipalities have one; a bad language is refused.
    let (status, _) = app
        .get_json(&format!("/api/v1/organizations/{vendor}/privacy-statement"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .get_json(&format!(
            "/api/v1/organizations/{oslo}/privacy-statement?lang=de"
        ))
        .await;
    assert_eq!(status, 422);
}
