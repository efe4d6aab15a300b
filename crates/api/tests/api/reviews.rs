//! Review items: a vendor's material change reaches the systems and processing activities
//! of every municipality using the product, and each municipality reviews its own.

use reqwest::Method;
use serde_json::{Value, json};
use vern_domain::OrgKind;
use vern_domain::access::Role;

use crate::activities::activity;
use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{TestApp, assert_problem, etag, spawn_demo_app};
use crate::register::product;

async fn items(app: &TestApp, token: &str, org: impl std::fmt::Display, query: &str) -> Vec<Value> {
    let response = app
        .get_as(
            token,
            &format!("/api/v1/organizations/{org}/review-items?{query}"),
        )
        .await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

async fn created(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_vendors_change_asks_each_customer_to_review_what_it_built_on_the_product() {
    let app = spawn_demo_app().await;
    let vendor = first_org(&app, OrgKind::Vendor).await;
    let oslo = first_org(&app, OrgKind::Municipality).await;
    let bodo = app.org_named("Bodø").await;
    let users = [
        ("pe@example.org", vendor, Role::ProductEditor),
        ("reg@example.org", oslo, Role::RegisterEditor),
        ("rev@example.org", oslo, Role::Auditor),
        ("adm@example.org", oslo, Role::OrgAdmin),
        ("bodo@example.org", bodo, Role::RegisterEditor),
    ];
    let mut tokens = Vec::new();
    for (email, org, role) in users {
        let user = create_user(&app, email, &[(org, role)], true).await;
        tokens.push(log_in(&app, &user).await.access);
    }
    let [pe, editor, auditor, admin, neighbour] = <[String; 5]>::try_from(tokens).unwrap();

    // The product, a system built on it in each municipality, and an activity in Oslo.
    let p = created(
        app.post_as(
            &pe,
            &format!("/api/v1/organizations/{vendor}/products"),
            product("Skoleskyss Pluss", true),
        )
        .await,
    )
    .await;
    let product_path = format!(
        "/api/v1/organizations/{vendor}/products/{}",
        p["id"].as_str().unwrap()
    );
    let system_body = json!({"product_id": p["id"], "owning_unit": "Oppvekst", "status": "in_use"});
    let system = created(
        app.post_as(
            &editor,
            &format!("/api/v1/organizations/{oslo}/systems"),
            system_body.clone(),
        )
        .await,
    )
    .await;
    let planned = created(
        app.post_as(
            &editor,
            &format!("/api/v1/organizations/{oslo}/systems"),
            json!({"product_id": p["id"], "owning_unit": "Oppvekst", "status": "planned"}),
        )
        .await,
    )
    .await;
    let bodo_system = created(
        app.post_as(
            &neighbour,
            &format!("/api/v1/organizations/{bodo}/systems"),
            system_body,
        )
        .await,
    )
    .await;
    let act = created(
        app.post_as(
            &editor,
            &format!("/api/v1/organizations/{oslo}/processing-activities"),
            activity("Skoleskyss", system["id"].as_str().unwrap()),
        )
        .await,
    )
    .await;

    // A change that does not matter opens nothing.
    let mut facts = product("Skoleskyss Pluss", true);
    facts["description"] = "Ny beskrivelse".into();
    let r = app
        .send(
            Method::PUT,
            &pe,
            &product_path,
            Some("\"1\""),
            Some(facts.clone()),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(items(&app, &editor, oslo, "").await.is_empty());

    // Hosting moves to Sweden: Oslo gets an item on each system and on the activity.
    facts["hosting"] = json!([{"country": "SE", "role": "storage"}]);
    let r = app
        .send(
            Method::PUT,
            &pe,
            &product_path,
            Some("\"2\""),
            Some(facts.clone()),
        )
        .await;
    assert_eq!(r.status(), 200);
    let open = items(&app, &editor, oslo, "status=open").await;
    assert_eq!(open.len(), 3, "{open:#?}");
    let on_system = open
        .iter()
        .find(|i| i["subject_id"] == system["id"])
        .unwrap();
    assert_eq!(on_system["subject"], "system");
    assert_eq!(on_system["subject_name"], "Skoleskyss Pluss");
    assert_eq!(on_system["product_name"], "Skoleskyss Pluss");
    assert!(on_system["vendor_name"].as_str().unwrap().len() > 2);
    assert_eq!(on_system["changes"], json!(["hosting"]));
    assert_eq!(on_system["before"]["hosting"][0]["country"], "NO");
    assert_eq!(on_system["after"]["hosting"][0]["country"], "SE");
    assert_eq!(
        (
            on_system["from_revision"].as_i64(),
            on_system["to_revision"].as_i64()
        ),
        (Some(2), Some(3))
    );
    let on_activity = open.iter().find(|i| i["subject_id"] == act["id"]).unwrap();
    assert_eq!(on_activity["subject"], "processing_activity");
    assert_eq!(on_activity["subject_name"], "Skoleskyss");
    assert!(
        app.audit_actions(oslo)
            .await
            .iter()
            .filter(|a| *a == "review_item.opened")
            .count()
            == 3
    );
    // Bodø sees its own item, none of Oslo's.
    let theirs = items(&app, &neighbour, bodo, "").await;
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["subject_id"], bodo_system["id"]);
    let item_path = format!(
        "/api/v1/organizations/{oslo}/review-items/{}",
        on_system["id"].as_str().unwrap()
    );
    assert_problem(app.get_as(&neighbour, &item_path).await, 404, "not_found").await;
    let through_own = format!(
        "/api/v1/organizations/{bodo}/review-items/{}",
        on_system["id"].as_str().unwrap()
    );
    assert_problem(app.get_as(&neighbour, &through_own).await, 404, "not_found").await;

    // Filters.
    assert_eq!(
        items(&app, &editor, oslo, "subject=processing_activity")
            .await
            .len(),
        1
    );
    let sys = system["id"].as_str().unwrap();
    assert_eq!(
        items(&app, &editor, oslo, &format!("subject_id={sys}"))
            .await
            .len(),
        1
    );
    assert_eq!(items(&app, &editor, oslo, "status=resolved").await.len(), 0);
    let page: Value = app
        .get_as(
            &editor,
            &format!("/api/v1/organizations/{oslo}/review-items?limit=2"),
        )
        .await
        .json()
        .await
        .unwrap();
    let next = page["next_cursor"].as_str().unwrap();
    let rest: Value = app
        .get_as(
            &editor,
            &format!("/api/v1/organizations/{oslo}/review-items?limit=2&cursor={next}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_cursor"], Value::Null);
    for query in [
        "status=closed",
        "subject=vendor",
        "subject_id=x",
        "product_id=1",
        "cursor=%%%",
    ] {
        let r = app
            .get_as(
                &editor,
                &format!("/api/v1/organizations/{oslo}/review-items?{query}"),
            )
            .await;
        assert!(
            matches!(r.status().as_u16(), 400 | 422),
            "{query}: {}",
            r.status()
        );
    }

    // A second change before anyone looked folds into the same items.
    facts["security_measures"] = json!([
        "Kryptering av lagrede data",
        "Logging av all administratortilgang"
    ]);
    let r = app
        .send(
            Method::PUT,
            &pe,
            &product_path,
            Some("\"3\""),
            Some(facts.clone()),
        )
        .await;
    assert_eq!(r.status(), 200);
    let response = app.get_as(&editor, &item_path).await;
    assert_eq!(etag(&response), "\"2\"");
    let item: Value = response.json().await.unwrap();
    assert_eq!(item["changes"], json!(["hosting", "security_measures"]));
    assert_eq!(
        (item["from_revision"].as_i64(), item["to_revision"].as_i64()),
        (Some(2), Some(4))
    );
    assert_eq!(items(&app, &editor, oslo, "status=open").await.len(), 3);

    // Resolving: only an editor of the register, with the current ETag and a note that
    // says what was done.
    let resolve = format!("{item_path}/resolve");
    let body = json!({"outcome": "entry_updated", "note": "Avtalen dekker drift i Sverige; systemkortet er oppdatert."});
    assert_problem(
        app.send(
            Method::POST,
            &auditor,
            &resolve,
            Some("\"2\""),
            Some(body.clone()),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.send(
            Method::POST,
            &admin,
            &resolve,
            Some("\"2\""),
            Some(body.clone()),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get_as(&admin, &item_path).await, 403, "forbidden").await;
    assert_problem(
        app.get_as(
            &admin,
            &format!("/api/v1/organizations/{oslo}/review-items"),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.send(
            Method::POST,
            &neighbour,
            &resolve,
            Some("\"2\""),
            Some(body.clone()),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send(Method::POST, &editor, &resolve, None, Some(body.clone()))
            .await,
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        app.send(
            Method::POST,
            &editor,
            &resolve,
            Some("\"1\""),
            Some(body.clone()),
        )
        .await,
        412,
        "precondition_failed",
    )
    .await;
    let err = assert_problem(
        app.send(
            Method::POST,
            &editor,
            &resolve,
            Some("\"2\""),
            Some(json!({"outcome": "entry_updated", "note": " "})),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["errors"][0]["field"], "note");
    assert_problem(
        app.send(
            Method::POST,
            &editor,
            &resolve,
            Some("\"2\""),
            Some(json!({"outcome": "ignored"})),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let r = app
        .send(
            Method::POST,
            &editor,
            &resolve,
            Some("\"2\""),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(etag(&r), "\"3\"");
    let resolved: Value = r.json().await.unwrap();
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["outcome"], "entry_updated");
    assert!(resolved["resolved_at"].is_string());
    assert!(resolved["resolved_by"].is_string());
    assert_problem(
        app.send(Method::POST, &editor, &resolve, Some("\"3\""), Some(body))
            .await,
        409,
        "conflict",
    )
    .await;
    assert!(
        app.audit_actions(oslo)
            .await
            .contains(&"review_item.resolved".to_owned())
    );

    // The vendor changes it all back: the items nobody looked at are withdrawn; the system
    // that was reviewed on the Swedish facts gets a new item for the way back.
    let r = app
        .send(
            Method::PUT,
            &pe,
            &product_path,
            Some("\"4\""),
            Some(product("Skoleskyss Pluss", true)),
        )
        .await;
    assert_eq!(r.status(), 200);
    let withdrawn = items(&app, &editor, oslo, "status=withdrawn").await;
    assert_eq!(withdrawn.len(), 2, "{withdrawn:#?}");
    assert!(withdrawn.iter().any(|i| i["subject_id"] == act["id"]));
    let open = items(&app, &editor, oslo, "status=open").await;
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["subject_id"], system["id"]);
    assert_eq!(open[0]["before"]["hosting"][0]["country"], "SE");
    assert_eq!(open[0]["after"]["hosting"][0]["country"], "NO");
    assert_eq!(
        items(&app, &neighbour, bodo, "status=withdrawn")
            .await
            .len(),
        1
    );

    // Deleting a planned system takes its items with it.
    let planned_path = format!(
        "/api/v1/organizations/{oslo}/systems/{}",
        planned["id"].as_str().unwrap()
    );
    let r = app
        .send(Method::DELETE, &editor, &planned_path, Some("\"1\""), None)
        .await;
    assert_eq!(r.status(), 204);
    let gone = format!("subject_id={}", planned["id"].as_str().unwrap());
    assert!(items(&app, &editor, oslo, &gone).await.is_empty());
}
