//! The register: the product catalogue and systems in use, through the real endpoints.

use reqwest::Response;
use serde_json::{Value, json};
use vern_domain::OrgKind;
use vern_domain::access::Role;

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{TestApp, assert_problem, etag, spawn_demo_app};

async fn put_as(
    app: &TestApp,
    token: &str,
    path: &str,
    etag: Option<&str>,
    body: Value,
) -> Response {
    app.send(reqwest::Method::PUT, token, path, etag, Some(body))
        .await
}

pub fn product(name: &str, published: bool) -> Value {
    json!({
        "name": name,
        "description": "Fagsystem for skolen",
        "version": "1.0",
        "hosting": [{"country": "no", "role": "storage"}],
        "sub_processors": [{
            "name": "Nordlys Drift AS", "org_number": "100000008", "country": "NO",
            "service": "Drift av datasenter"
        }],
        "security_measures": ["Kryptering av lagrede data"],
        "certifications": ["ISO/IEC 27001:2022"],
        "data_categories": ["pd:Name", "pd:School"],
        "published": published
    })
}

#[tokio::test]
async fn a_vendor_keeps_its_products_and_everyone_reads_the_published_ones() {
    let app = spawn_demo_app().await;
    let vendor = first_org(&app, OrgKind::Vendor).await;
    let municipality = first_org(&app, OrgKind::Municipality).await;
    let editor = create_user(
        &app,
        "produkt@example.org",
        &[(vendor, Role::ProductEditor)],
        true,
    )
    .await;
    let reader = create_user(
        &app,
        "leser@example.org",
        &[(municipality, Role::RegisterEditor)],
        true,
    )
    .await;
    let (editor, reader) = (
        log_in(&app, &editor).await.access,
        log_in(&app, &reader).await.access,
    );
    let base = format!("/api/v1/organizations/{vendor}/products");

    // Broken facts: every field named.
    let mut bad = product(" ", false);
    bad["hosting"][0]["country"] = "XX".into();
    bad["sub_processors"][0]["country"] = "IN".into();
    bad["data_categories"] = json!(["pd:Nonsense"]);
    let body = assert_problem(
        app.post_as(&editor, &base, bad).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "name",
        "hosting[0].country",
        "sub_processors[0].transfer_mechanism",
        "data_categories[0]",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }

    let created = app
        .post_as(&editor, &base, product("Tavlebok Pluss", false))
        .await;
    assert_eq!(created.status(), 201);
    assert_eq!(etag(&created), "\"1\"");
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = created.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/products/{id}"));
    assert_eq!(created["hosting"][0]["country"], "NO");
    assert_eq!(created["vendor_id"], vendor.to_string());

    // Unpublished: the vendor sees it, the municipality does not.
    assert_eq!(app.get_as(&editor, &location).await.status(), 200);
    assert_problem(app.get_as(&reader, &location).await, 404, "not_found").await;
    let catalogue: Value = app
        .get_as(&reader, "/api/v1/products?q=tavlebok")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(catalogue["items"].as_array().unwrap().len(), 0);
    let own: Value = app
        .get_as(&editor, &format!("{base}?q=tavlebok"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["items"].as_array().unwrap().len(), 1);

    // Updates need If-Match with the current ETag.
    let path = format!("{base}/{id}");
    let mut moved = product("Tavlebok Pluss", true);
    moved["hosting"] = json!([{"country": "SE", "role": "storage"}]);
    assert_problem(
        put_as(&app, &editor, &path, None, moved.clone()).await,
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        put_as(&app, &editor, &path, Some("\"7\""), moved.clone()).await,
        412,
        "precondition_failed",
    )
    .await;
    let saved = put_as(&app, &editor, &path, Some("\"1\""), moved.clone()).await;
    assert_eq!(saved.status(), 200);
    assert_eq!(etag(&saved), "\"2\"");
    // The same stale ETag again: refused, nothing changes.
    assert_problem(
        put_as(&app, &editor, &path, Some("\"1\""), product("Annet", true)).await,
        412,
        "precondition_failed",
    )
    .await;

    // Published now: in the catalogue, with its history.
    let catalogue: Value = app
        .get_as(&reader, "/api/v1/products?q=TAVLEBOK")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(catalogue["items"][0]["name"], "Tavlebok Pluss");
    let history: Value = app
        .get_as(&reader, &format!("{location}/revisions"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["items"][0]["revision"], 2);
    assert_eq!(history["items"][0]["material_changes"], json!(["hosting"]));
    assert_eq!(history["items"][1]["material_changes"], json!([]));

    // Others may not edit it: a municipality has no product role (403 in its own
    // organisation, 404 in the vendor's); another vendor's admin gets 404.
    assert_problem(
        app.post_as(
            &reader,
            &format!("/api/v1/organizations/{municipality}/products"),
            product("X", false),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        put_as(&app, &reader, &path, Some("\"2\""), moved.clone()).await,
        404,
        "not_found",
    )
    .await;
    let other_vendor = app.org_named("Nordavind").await;
    assert_ne!(other_vendor, vendor);
    let rival = create_user(
        &app,
        "rival@example.org",
        &[(other_vendor, Role::VendorAdmin)],
        true,
    )
    .await;
    let rival = log_in(&app, &rival).await.access;
    assert_problem(
        put_as(&app, &rival, &path, Some("\"2\""), moved.clone()).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        put_as(
            &app,
            &rival,
            &format!("/api/v1/organizations/{other_vendor}/products/{id}"),
            Some("\"2\""),
            moved,
        )
        .await,
        404,
        "not_found",
    )
    .await;

    let actions = app.audit_actions(vendor).await;
    assert!(actions.contains(&"product.created".to_owned()));
    assert!(actions.contains(&"product.updated".to_owned()));

    // The taxonomy is public and labelled in three languages.
    let (status, taxonomy) = app.get_json("/api/v1/taxonomy").await;
    assert_eq!(status, 200);
    let health = taxonomy["data_categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "pd:Health")
        .unwrap();
    assert_eq!(health["special"], "health");
    assert_eq!(health["label_nb"], "Helseopplysninger");
}

#[tokio::test]
async fn a_municipality_registers_its_systems() {
    let app = spawn_demo_app().await;
    let vendor = first_org(&app, OrgKind::Vendor).await;
    let municipality = first_org(&app, OrgKind::Municipality).await;
    let neighbour = app.org_named("Bodø").await;
    let product_editor = create_user(
        &app,
        "pe@example.org",
        &[(vendor, Role::ProductEditor)],
        true,
    )
    .await;
    let editor = create_user(
        &app,
        "reg@example.org",
        &[(municipality, Role::RegisterEditor)],
        true,
    )
    .await;
    let auditor = create_user(
        &app,
        "rev@example.org",
        &[(municipality, Role::Auditor)],
        true,
    )
    .await;
    let admin = create_user(
        &app,
        "adm@example.org",
        &[(municipality, Role::OrgAdmin)],
        true,
    )
    .await;
    let stranger = create_user(
        &app,
        "nabo@example.org",
        &[(neighbour, Role::RegisterEditor)],
        true,
    )
    .await;
    let pe = log_in(&app, &product_editor).await.access;
    let editor = log_in(&app, &editor).await.access;
    let auditor = log_in(&app, &auditor).await.access;
    let admin = log_in(&app, &admin).await.access;
    let stranger = log_in(&app, &stranger).await.access;

    let vendor_base = format!("/api/v1/organizations/{vendor}/products");
    let published: Value = app
        .post_as(&pe, &vendor_base, product("Oppvekstportalen", true))
        .await
        .json()
        .await
        .unwrap();
    let draft: Value = app
        .post_as(&pe, &vendor_base, product("Hemmelig utkast", false))
        .await
        .json()
        .await
        .unwrap();

    let base = format!("/api/v1/organizations/{municipality}/systems");
    // From the catalogue: the product lends its name.
    let response = app
        .post_as(&editor, &base, json!({"product_id": published["id"], "owning_unit": "Oppvekst", "status": "in_use", "review_date": "2020-01-31"}))
        .await;
    assert_eq!(response.status(), 201);
    let from_catalogue: Value = response.json().await.unwrap();
    assert_eq!(from_catalogue["name"], "Oppvekstportalen");
    assert_eq!(from_catalogue["product_name"], "Oppvekstportalen");
    assert!(from_catalogue["vendor_name"].as_str().unwrap().len() > 2);
    // An unpublished product is not in the catalogue.
    let body = assert_problem(
        app.post_as(
            &editor,
            &base,
            json!({"product_id": draft["id"], "owning_unit": "Oppvekst", "status": "in_use"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "not_in_catalogue");
    // An own system needs a name.
    let body = assert_problem(
        app.post_as(
            &editor,
            &base,
            json!({"owning_unit": "Helse", "status": "planned"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "name");
    let own: Value = app
        .post_as(&editor, &base, json!({"name": "Eget journalsystem", "owning_unit": "Helse", "status": "planned", "integrations": ["Folkeregisteret"]}))
        .await
        .json()
        .await
        .unwrap();
    let third: Value = app
        .post_as(
            &editor,
            &base,
            json!({"name": "Arkivkjerne", "owning_unit": "Dokumentsenteret", "status": "in_use"}),
        )
        .await
        .json()
        .await
        .unwrap();

    // Lists: paging, filters.
    let page: Value = app
        .get_as(&auditor, &format!("{base}?limit=2"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["name"], "Arkivkjerne");
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest: Value = app
        .get_as(&auditor, &format!("{base}?limit=2&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    let planned: Value = app
        .get_as(&auditor, &format!("{base}?status=planned"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(planned["items"][0]["id"], own["id"]);
    let overdue: Value = app
        .get_as(&auditor, &format!("{base}?review=overdue"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overdue["items"].as_array().unwrap().len(), 1);
    assert_eq!(overdue["items"][0]["id"], from_catalogue["id"]);
    let by_product: Value = app
        .get_as(
            &auditor,
            &format!("{base}?product_id={}", published["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_product["items"].as_array().unwrap().len(), 1);
    let searched: Value = app
        .get_as(&auditor, &format!("{base}?q=JOURNAL"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(searched["items"][0]["id"], own["id"]);
    let body = assert_problem(
        app.get_as(&auditor, &format!("{base}?status=gone&review=soon"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);

    // Updates: If-Match and the life cycle.
    let path = format!("{base}/{}", own["id"].as_str().unwrap());
    let got = app.get_as(&auditor, &path).await;
    assert_eq!(etag(&got), "\"1\"");
    let mut change =
        json!({"name": "Eget journalsystem", "owning_unit": "Helse og omsorg", "status": "in_use"});
    let saved = put_as(&app, &editor, &path, Some("\"1\""), change.clone()).await;
    assert_eq!(saved.status(), 200);
    assert_eq!(etag(&saved), "\"2\"");
    change["status"] = "planned".into();
    let body = assert_problem(
        put_as(&app, &editor, &path, Some("\"2\""), change.clone()).await,
        409,
        "conflict",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "transition_not_allowed");
    change["status"] = "retired".into();
    assert_eq!(
        put_as(&app, &editor, &path, Some("\"2\""), change.clone())
            .await
            .status(),
        200
    );
    change["status"] = "in_use".into();
    assert_problem(
        put_as(&app, &editor, &path, Some("\"3\""), change).await,
        409,
        "conflict",
    )
    .await;
    // Only planned systems can be deleted.
    let third_path = format!("{base}/{}", third["id"].as_str().unwrap());
    let delete = |path: String, etag: &'static str| {
        let app = &app;
        let editor = editor.clone();
        async move {
            app.client
                .delete(app.url(&path))
                .bearer_auth(editor)
                .header("If-Match", etag)
                .send()
                .await
                .unwrap()
        }
    };
    assert_problem(delete(third_path.clone(), "\"1\"").await, 409, "conflict").await;

    // Who may do what: the auditor reads only, the org admin sees no register content,
    // another municipality learns nothing.
    assert_problem(
        app.post_as(
            &auditor,
            &base,
            json!({"name": "X", "owning_unit": "Y", "status": "planned"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get_as(&admin, &base).await, 403, "forbidden").await;
    assert_problem(app.get_as(&stranger, &base).await, 404, "not_found").await;
    assert_problem(app.get_as(&stranger, &third_path).await, 404, "not_found").await;
    assert_problem(
        put_as(
            &app,
            &stranger,
            &third_path,
            Some("\"1\""),
            json!({"name": "X", "owning_unit": "Y", "status": "in_use"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // Not even through their own organisation's URL.
    let theirs = format!(
        "/api/v1/organizations/{neighbour}/systems/{}",
        third["id"].as_str().unwrap()
    );
    assert_problem(app.get_as(&stranger, &theirs).await, 404, "not_found").await;

    let actions = app.audit_actions(municipality).await;
    assert!(actions.contains(&"system.created".to_owned()));
    assert!(actions.contains(&"system.updated".to_owned()));
}

#[tokio::test]
async fn a_planned_system_can_be_deleted_and_nothing_is_half_written() {
    let app = spawn_demo_app().await;
    let municipality = first_org(&app, OrgKind::Municipality).await;
    let editor = create_user(
        &app,
        "slett@example.org",
        &[(municipality, Role::RegisterEditor)],
        true,
    )
    .await;
    let editor = log_in(&app, &editor).await.access;
    let base = format!("/api/v1/organizations/{municipality}/systems");
    let planned: Value = app
        .post_as(
            &editor,
            &base,
            json!({"name": "Prøveprosjekt", "owning_unit": "IT", "status": "planned"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let path = format!("{base}/{}", planned["id"].as_str().unwrap());
    let response = app
        .client
        .delete(app.url(&path))
        .bearer_auth(&editor)
        .send()
        .await
        .unwrap();
    assert_problem(response, 428, "precondition_required").await;
    let response = app
        .client
        .delete(app.url(&path))
        .bearer_auth(&editor)
        .header("If-Match", "\"1\"")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_problem(app.get_as(&editor, &path).await, 404, "not_found").await;
    // A too-long unit and a malformed body: refused, no row, no audit event.
    let before = app.audit_actions(municipality).await.len();
    let long = "x".repeat(201);
    assert_problem(
        app.post_as(
            &editor,
            &base,
            json!({"name": "Y", "owning_unit": long, "status": "planned"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        app.post_as(&editor, &base, json!({"name": "Y", "status": "sleeping"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    let list: Value = app.get_as(&editor, &base).await.json().await.unwrap();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["name"] != "Y")
    );
    assert_eq!(app.audit_actions(municipality).await.len(), before);
}

#[tokio::test]
async fn the_demo_register_is_believable() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let editor = create_user(&app, "demo-les@example.org", &[(oslo, Role::Auditor)], true).await;
    let token = log_in(&app, &editor).await.access;
    let systems: Value = app
        .get_as(
            &token,
            &format!("/api/v1/organizations/{oslo}/systems?limit=500"),
        )
        .await
        .json()
        .await
        .unwrap();
    let items = systems["items"].as_array().unwrap();
    assert!(items.len() >= 25, "{}", items.len());
    let units: std::collections::BTreeSet<&str> = items
        .iter()
        .map(|s| s["owning_unit"].as_str().unwrap())
        .collect();
    for unit in [
        "Utdanningsetaten",
        "Helse og omsorg",
        "Barne- og familieetaten",
        "Personal og organisasjon",
        "Økonomi",
        "Dokumentsenteret",
    ] {
        assert!(units.contains(unit), "{unit}");
    }
    assert!(items.iter().any(|s| s["product_id"].is_null()));
    assert!(items.iter().filter(|s| !s["product_id"].is_null()).count() >= 15);
    let catalogue: Value = app
        .get_as(&token, "/api/v1/products?limit=500")
        .await
        .json()
        .await
        .unwrap();
    let products = catalogue["items"].as_array().unwrap();
    assert!(products.len() >= 15);
    let vendors: std::collections::BTreeSet<&str> = products
        .iter()
        .map(|p| p["vendor_name"].as_str().unwrap())
        .collect();
    assert_eq!(vendors.len(), 3);
    // One of them sends data outside the EEA, under standard contractual clauses.
    assert!(products.iter().any(|p| {
        p["sub_processors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["transfer_mechanism"] == "standard_contractual_clauses")
    }));
    // The record of processing: at least 15 activities, each linked to its systems, some
    // with special categories, some overdue for review.
    let activities: Value = app
        .get_as(
            &token,
            &format!("/api/v1/organizations/{oslo}/processing-activities?limit=500"),
        )
        .await
        .json()
        .await
        .unwrap();
    let activities = activities["items"].as_array().unwrap();
    assert!(activities.len() >= 15, "{}", activities.len());
    assert!(
        activities
            .iter()
            .all(|a| !a["system_ids"].as_array().unwrap().is_empty())
    );
    let special: Value = app
        .get_as(
            &token,
            &format!("/api/v1/organizations/{oslo}/processing-activities?special=true&limit=500"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(special["items"].as_array().unwrap().len() >= 5);
    let overdue: Value = app
        .get_as(
            &token,
            &format!("/api/v1/organizations/{oslo}/processing-activities?review=overdue"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(!overdue["items"].as_array().unwrap().is_empty());
    // A vendor's change waits for review on the payroll system and what is built on it.
    let reviews: Value = app
        .get_as(
            &token,
            &format!("/api/v1/organizations/{oslo}/review-items?status=open"),
        )
        .await
        .json()
        .await
        .unwrap();
    let reviews = reviews["items"].as_array().unwrap();
    assert!(reviews.len() >= 2, "{reviews:#?}");
    assert!(reviews.iter().all(|r| r["product_name"] == "Lønnsflyt"
        && r["changes"] == serde_json::json!(["sub_processors"])));
    assert!(reviews.iter().any(|r| r["subject"] == "system"));
    assert!(
        reviews
            .iter()
            .any(|r| r["subject"] == "processing_activity")
    );
}

#[tokio::test]
async fn a_vendor_exports_its_record_as_processor() {
    let app = spawn_demo_app().await;
    let fjordlys = app.org_named("Fjordlys").await;
    let nordavind = app.org_named("Nordavind").await;
    let mut tokens = Vec::new();
    for (email, org, role) in [
        ("pe@example.org", fjordlys, Role::ProductEditor),
        ("sign@example.org", fjordlys, Role::Signatory),
        ("other@example.org", nordavind, Role::VendorAdmin),
    ] {
        let user = create_user(&app, email, &[(org, role)], true).await;
        tokens.push(log_in(&app, &user).await.access);
    }
    let [editor, signatory, other] = <[String; 3]>::try_from(tokens).unwrap();
    let path = format!("/api/v1/organizations/{fjordlys}/processor-record");

    let record: Value = app.get_as(&editor, &path).await.json().await.unwrap();
    assert_eq!(record["processor"]["name"], "Fjordlys Programvare AS");
    let customers = record["customers"].as_array().unwrap();
    let oslo = customers
        .iter()
        .find(|c| c["controller"]["name"] == "Oslo kommune")
        .unwrap();
    assert!(!oslo["privacy_officers"].as_array().unwrap().is_empty());
    let skolesekk = oslo["processing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["product_name"] == "Skolesekk")
        .unwrap();
    assert_eq!(skolesekk["systems"], 1);
    assert!(
        !skolesekk["security_measures"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Only the fact of use: nothing of the municipality's own systems or activities.
    let text = record.to_string();
    assert!(!text.contains("Utdanningsetaten"));
    assert!(!text.contains("system_ids"));

    let csv = app.get_as(&editor, &format!("{path}.csv?lang=en")).await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("Controller,Organisation number,Data protection officer,Product"));
    assert!(csv.contains("Oslo kommune"));

    assert_problem(app.get_as(&signatory, &path).await, 403, "forbidden").await;
    assert_problem(app.get_as(&other, &path).await, 404, "not_found").await;
    assert_problem(
        app.get_as(&signatory, &format!("{path}.csv")).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get_as(&other, &format!("{path}.csv")).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&editor, &format!("{path}.csv?lang=sv")).await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn a_system_owner_edits_only_their_own_systems() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let editor = create_user(
        &app,
        "reg@example.org",
        &[(oslo, Role::RegisterEditor)],
        true,
    )
    .await;
    let owner = create_user(&app, "eier@example.org", &[(oslo, Role::SystemOwner)], true).await;
    let other = create_user(
        &app,
        "annen@example.org",
        &[(oslo, Role::SystemOwner)],
        true,
    )
    .await;
    let auditor = create_user(&app, "rev@example.org", &[(oslo, Role::Auditor)], true).await;
    let (editor_t, owner_t, other_t, auditor_t) = (
        log_in(&app, &editor).await.access,
        log_in(&app, &owner).await.access,
        log_in(&app, &other).await.access,
        log_in(&app, &auditor).await.access,
    );
    let base = format!("/api/v1/organizations/{oslo}/systems");

    // The candidates: the members holding system_owner, and only them.
    let candidates: Value = app
        .get_as(
            &editor_t,
            &format!("/api/v1/organizations/{oslo}/system-owners"),
        )
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = candidates["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["user_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&owner.id.to_string().as_str()));
    assert!(!ids.contains(&editor.id.to_string().as_str()));
    // Only readers of this register may see them.
    let admin = create_user(&app, "adm@example.org", &[(oslo, Role::OrgAdmin)], true).await;
    let bodo = app.org_named("Bodø").await;
    let outsider = create_user(
        &app,
        "nabo@example.org",
        &[(bodo, Role::RegisterEditor)],
        true,
    )
    .await;
    let candidates_path = format!("/api/v1/organizations/{oslo}/system-owners");
    let admin_t = log_in(&app, &admin).await.access;
    let outsider_t = log_in(&app, &outsider).await.access;
    assert_problem(
        app.get_as(&admin_t, &candidates_path).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get_as(&outsider_t, &candidates_path).await,
        404,
        "not_found",
    )
    .await;

    // The editor names the owner; someone without the role cannot be named.
    let mut body = json!({"name": "Byggesak", "owning_unit": "Plan- og bygningsetaten", "status": "in_use", "owners": [editor.id]});
    let err = assert_problem(
        app.post_as(&editor_t, &base, body.clone()).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["errors"][0]["field"], "owners[0]");
    assert_eq!(err["errors"][0]["code"], "not_a_system_owner");
    body["owners"] = json!([owner.id]);
    let created = app.post_as(&editor_t, &base, body.clone()).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let path = format!("{base}/{}", created["id"].as_str().unwrap());
    let theirs = app
        .post_as(&editor_t, &base, json!({"name": "Kartverk", "owning_unit": "Plan- og bygningsetaten", "status": "in_use", "owners": [other.id]}))
        .await
        .json::<Value>()
        .await
        .unwrap();

    // "My systems".
    let mine: Value = app
        .get_as(&owner_t, &format!("{base}?owner=me"))
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Byggesak"]);

    // The owner edits their system, but not who owns it, and not someone else's.
    let mut edit = body.clone();
    edit["notes"] = "Oppgradert til ny versjon".into();
    let r = put_as(&app, &owner_t, &path, Some("\"1\""), edit.clone()).await;
    assert_eq!(r.status(), 200);
    let mut grab = edit.clone();
    grab["owners"] = json!([owner.id, other.id]);
    let err = assert_problem(
        put_as(&app, &owner_t, &path, Some("\"2\""), grab).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(err["errors"][0]["code"], "cannot_change");
    let their_path = format!("{base}/{}", theirs["id"].as_str().unwrap());
    assert_problem(
        put_as(&app, &owner_t, &their_path, Some("\"1\""), edit.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        put_as(&app, &auditor_t, &path, Some("\"2\""), edit.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_as(&owner_t, &base, body.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.send(
            reqwest::Method::DELETE,
            &owner_t,
            &path,
            Some("\"2\""),
            None,
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    // The other owner cannot touch it either; the editor can change the owners.
    assert_problem(
        put_as(&app, &other_t, &path, Some("\"2\""), edit.clone()).await,
        403,
        "forbidden",
    )
    .await;
    let mut hand_over = edit;
    hand_over["owners"] = json!([other.id]);
    assert_eq!(
        put_as(&app, &editor_t, &path, Some("\"2\""), hand_over)
            .await
            .status(),
        200
    );
    let mine: Value = app
        .get_as(&other_t, &format!("{base}?owner=me"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    assert!(
        app.audit_actions(oslo)
            .await
            .iter()
            .filter(|a| *a == "system.updated")
            .count()
            >= 2
    );
}
