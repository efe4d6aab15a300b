//! Reuse between municipalities (activity templates) and comparing application overviews,
//! on the demo register (Oslo shares templates; Oslo and Bergen share their overviews).

use reqwest::Method;
use serde_json::{Value, json};
use vern_domain::OrganizationId;
use vern_domain::access::Role;

use crate::auth::{create_user, log_in};
use crate::helpers::{TestApp, assert_problem, spawn_demo_app};

async fn token(app: &TestApp, email: &str, org: OrganizationId, role: Role) -> String {
    log_in(app, &create_user(app, email, &[(org, role)], true).await)
        .await
        .access
}

fn names(list: &Value, key: &str) -> Vec<String> {
    list[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            i["name"]
                .as_str()
                .or_else(|| i["facts"]["name"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_municipality_copies_anothers_template_with_its_products() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let editor = token(&app, "tpl-bergen@example.org", bergen, Role::RegisterEditor).await;
    let auditor = token(&app, "tpl-revisor@example.org", bergen, Role::Auditor).await;
    let admin = token(&app, "tpl-admin@example.org", bergen, Role::OrgAdmin).await;

    // Bergen browses the templates Oslo shares.
    let list_path = format!("/api/v1/organizations/{bergen}/activity-templates");
    let list: Value = app.get_as(&auditor, &list_path).await.json().await.unwrap();
    let all = names(&list, "items");
    assert!(
        all.contains(&"Elevadministrasjon i grunnskolen".to_owned()),
        "{all:?}"
    );
    assert!(all.len() >= 5);
    let found: Value = app
        .get_as(
            &auditor,
            &format!("{list_path}?q=ELEVADMIN&publisher_id={oslo}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let template = &found["items"][0];
    assert_eq!(template["publisher"]["id"], oslo.to_string());
    assert_eq!(
        template["note"],
        "Dekker grunnskolen. Tilpass oppbevaringstidene til arkivplanen deres."
    );
    // What belongs to Oslo stayed behind.
    assert_eq!(template["facts"]["system_ids"], json!([]));
    assert_eq!(template["facts"]["status"], "draft");
    assert_eq!(template["facts"]["published"], false);
    let products: Vec<&str> = template["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(products.contains(&"Skolesekk"), "{products:?}");
    let template_id = template["id"].as_str().unwrap().to_owned();
    let one = app
        .get_as(&auditor, &format!("{list_path}/{template_id}"))
        .await;
    assert_eq!(one.status(), 200);
    assert_eq!(one.headers()["etag"], "\"1\"");

    let copy_path = format!("{list_path}/{template_id}/copies");
    // Reading the register is not editing it; the org admin does not even read it.
    assert_problem(
        app.post_as(&auditor, &copy_path, json!({})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get_as(&admin, &list_path).await, 403, "forbidden").await;
    // Adding systems needs the unit that will own them; nothing is written.
    let refused = assert_problem(
        app.post_as(&editor, &copy_path, json!({"add_missing_systems": true}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "owning_unit");
    let activities = format!("/api/v1/organizations/{bergen}/processing-activities");
    let before: Value = app.get_as(&editor, &activities).await.json().await.unwrap();
    assert_eq!(before["items"], json!([]));

    // A copy links Bergen's own systems on the template's products, and adds the missing
    // ones as planned systems.
    let systems_path = format!("/api/v1/organizations/{bergen}/systems?limit=500");
    let systems_before: Value = app
        .get_as(&editor, &systems_path)
        .await
        .json()
        .await
        .unwrap();
    let count_before = systems_before["items"].as_array().unwrap().len();
    let response = app
        .post_as(
            &editor,
            &copy_path,
            json!({"add_missing_systems": true, "owning_unit": "Etat for skole"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let copy: Value = response.json().await.unwrap();
    assert!(location.ends_with(copy["activity_id"].as_str().unwrap()));
    let linked = copy["linked_systems"].as_array().unwrap();
    let added = copy["added_systems"].as_array().unwrap();
    // Bergen runs Skolesekk and Foreldrekontakt, but not Elevtorget.
    assert!(!linked.is_empty());
    assert!(!added.is_empty());
    assert_eq!(copy["missing_products"], json!([]));
    let systems_after: Value = app
        .get_as(&editor, &systems_path)
        .await
        .json()
        .await
        .unwrap();
    let after = systems_after["items"].as_array().unwrap();
    assert_eq!(after.len(), count_before + added.len());
    for id in added {
        let s = after.iter().find(|s| s["id"] == *id).unwrap();
        assert_eq!(s["status"], "planned");
        assert_eq!(s["owning_unit"], "Etat for skole");
    }
    let activity: Value = app.get_as(&editor, &location).await.json().await.unwrap();
    assert_eq!(activity["name"], "Elevadministrasjon i grunnskolen");
    assert_eq!(activity["status"], "draft");
    assert_eq!(activity["published"], false);
    assert_eq!(activity["review_date"], Value::Null);
    let mut ids: Vec<&Value> = linked.iter().chain(added).collect();
    ids.sort_by_key(|v| v.as_str().unwrap().to_owned());
    let mut got: Vec<&Value> = activity["system_ids"].as_array().unwrap().iter().collect();
    got.sort_by_key(|v| v.as_str().unwrap().to_owned());
    assert_eq!(got, ids);
    // Counted, and in Bergen's log (not Oslo's).
    let again: Value = app
        .get_as(&editor, &format!("{list_path}/{template_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["copies"], 1);
    let log = app.audit_actions(bergen).await;
    assert!(log.contains(&"processing_activity.copied_from_template".to_owned()));
    assert_eq!(
        log.iter().filter(|a| *a == "system.created").count(),
        added.len()
    );
    assert!(
        !app.audit_actions(oslo)
            .await
            .contains(&"processing_activity.copied_from_template".to_owned())
    );

    // A second copy without adding: the systems now exist, so everything is linked.
    let second: Value = app
        .post_as(&editor, &copy_path, json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["added_systems"], json!([]));
    assert_eq!(second["missing_products"], json!([]));
    assert_eq!(
        second["linked_systems"].as_array().unwrap().len(),
        linked.len() + added.len()
    );

    // No such template: 404; a body of the wrong shape: 422.
    assert_problem(
        app.post_as(
            &editor,
            &format!("{list_path}/{}/copies", uuid::Uuid::now_v7()),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.post_as(&editor, &copy_path, json!({"add_missing_systems": "ja"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn a_municipality_publishes_refreshes_and_withdraws_a_template() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let editor = token(&app, "pub-oslo@example.org", oslo, Role::RegisterEditor).await;
    let auditor = token(&app, "pub-rev@example.org", oslo, Role::Auditor).await;
    let stranger = token(&app, "pub-bergen@example.org", bergen, Role::RegisterEditor).await;

    let activities = format!("/api/v1/organizations/{oslo}/processing-activities");
    let list: Value = app
        .get_as(&editor, &format!("{activities}?q=Kulturskole"))
        .await
        .json()
        .await
        .unwrap();
    let activity = &list["items"][0];
    let id = activity["id"].as_str().unwrap().to_owned();
    let template_path = format!("{activities}/{id}/template");
    // Not yet a template.
    assert_problem(app.get_as(&editor, &template_path).await, 404, "not_found").await;
    // Only editors publish; another municipality cannot reach Oslo's activity at all.
    let note = json!({"note": "Tilpass til deres kulturskole."});
    let put = |token: String, body: Value| {
        let (app, path) = (&app, template_path.clone());
        async move { app.send(Method::PUT, &token, &path, None, Some(body)).await }
    };
    assert_problem(put(auditor.clone(), note.clone()).await, 403, "forbidden").await;
    assert_problem(put(stranger.clone(), note.clone()).await, 404, "not_found").await;
    assert_problem(
        put(editor.clone(), json!({"note": "x".repeat(2001)})).await,
        422,
        "validation_failed",
    )
    .await;
    let response = put(editor.clone(), note.clone()).await;
    assert_eq!(response.status(), 201);
    let published: Value = response.json().await.unwrap();
    assert_eq!(published["revision"], 1);
    assert_eq!(published["activity_revision"], activity["revision"]);
    assert_eq!(published["note"], "Tilpass til deres kulturskole.");
    // Bergen sees it.
    let seen: Value = app
        .get_as(
            &stranger,
            &format!("/api/v1/organizations/{bergen}/activity-templates?q=kulturskole"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["items"].as_array().unwrap().len(), 1);
    // Oslo finds the template of its activity by the activity.
    let mine: Value = app
        .get_as(
            &auditor,
            &format!("/api/v1/organizations/{oslo}/activity-templates?publisher_id={oslo}&activity_id={id}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    assert_eq!(mine["items"][0]["id"], published["id"]);
    // Republishing refreshes the same template.
    let response = put(editor.clone(), json!({})).await;
    assert_eq!(response.status(), 200);
    let refreshed: Value = response.json().await.unwrap();
    assert_eq!(refreshed["id"], published["id"]);
    assert_eq!(refreshed["revision"], 2);
    assert_eq!(refreshed["note"], "");
    assert_eq!(
        app.get_as(&auditor, &template_path).await.status(),
        200,
        "readers see the template of an activity"
    );

    // Withdrawing: editors only; then it is gone for everyone.
    assert_problem(
        app.delete_as(&auditor, &template_path).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.delete_as(&stranger, &template_path).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.delete_as(&editor, &template_path).await.status(), 204);
    assert_problem(
        app.delete_as(&editor, &template_path).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.get_as(&editor, &template_path).await, 404, "not_found").await;
    let log = app.audit_actions(oslo).await;
    for action in [
        "activity_template.published",
        "activity_template.updated",
        "activity_template.withdrawn",
    ] {
        assert!(log.contains(&action.to_owned()), "{action}");
    }

    // Discontinuing an activity withdraws its template with it.
    assert_eq!(put(editor.clone(), json!({})).await.status(), 201);
    let response = app.get_as(&editor, &format!("{activities}/{id}")).await;
    let etag = crate::helpers::etag(&response);
    let mut facts: Value = response.json().await.unwrap();
    facts["status"] = json!("discontinued");
    let saved = app
        .send(
            Method::PUT,
            &editor,
            &format!("{activities}/{id}"),
            Some(&etag),
            Some(facts),
        )
        .await;
    assert_eq!(saved.status(), 200);
    assert_problem(app.get_as(&editor, &template_path).await, 404, "not_found").await;
    // And a discontinued (or draft) activity cannot be published.
    let refused = assert_problem(put(editor.clone(), json!({})).await, 409, "conflict").await;
    assert_eq!(refused["errors"][0]["code"], "not_active");
}

#[tokio::test]
async fn two_municipalities_compare_their_overviews_when_shared() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let bodo = app.org_named("Bodø").await;
    let reader = token(&app, "cmp-oslo@example.org", oslo, Role::Auditor).await;
    let bergen_editor = token(&app, "cmp-bergen@example.org", bergen, Role::RegisterEditor).await;
    let bergen_auditor = token(&app, "cmp-brev@example.org", bergen, Role::Auditor).await;
    let bergen_admin = token(&app, "cmp-badm@example.org", bergen, Role::OrgAdmin).await;

    let peers_path = format!("/api/v1/organizations/{oslo}/overview-peers");
    let peers: Value = app.get_as(&reader, &peers_path).await.json().await.unwrap();
    assert_eq!(names(&peers, "items"), vec![names_of(&app, bergen).await]);

    let compare = |with: String| format!("/api/v1/organizations/{oslo}/overview-comparison{with}");
    let c: Value = app
        .get_as(&reader, &compare(format!("?with={bergen}")))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["ours"]["id"], oslo.to_string());
    assert_eq!(c["theirs"]["id"], bergen.to_string());
    let row = |name: &str| {
        c["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    // Both use Skolesekk, Bergen at an older release.
    let skolesekk = row("Skolesekk");
    assert_eq!(skolesekk["presence"], "both");
    assert_eq!(skolesekk["versions_differ"], true);
    assert_eq!(skolesekk["theirs"][0]["version"], "2025.3");
    // Only Oslo has Elevtorget; only Bergen its harbour register; Oslo's retired system is
    // not there at all.
    assert_eq!(row("Elevtorget")["presence"], "only_ours");
    assert_eq!(row("Havneregisteret")["presence"], "only_theirs");
    assert!(
        !c["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "Gammelt fagsystem for skolehelse")
    );
    // The library system is an own system in both, matched by name.
    assert_eq!(row("Bibliotekssystemet")["presence"], "both");
    let s = &c["summary"];
    assert_eq!(
        s["both"].as_u64().unwrap()
            + s["only_ours"].as_u64().unwrap()
            + s["only_theirs"].as_u64().unwrap(),
        c["rows"].as_array().unwrap().len() as u64
    );
    // Nothing but names, versions and statuses of the other's systems.
    let text = c.to_string();
    assert!(!text.contains("Etat for skole"), "owning units stay home");

    // Bad parameters.
    let missing = assert_problem(
        app.get_as(&reader, &compare(String::new())).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(missing["errors"][0]["code"], "required");
    assert_problem(
        app.get_as(&reader, &compare("?with=oslo".into())).await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        app.get_as(&reader, &compare(format!("?with={oslo}"))).await,
        422,
        "validation_failed",
    )
    .await;
    // A municipality that does not share, and a vendor, are not there to compare with.
    assert_problem(
        app.get_as(&reader, &compare(format!("?with={bodo}"))).await,
        404,
        "not_found",
    )
    .await;
    let vendor = app.org_named("Fjordlys").await;
    assert_problem(
        app.get_as(&reader, &compare(format!("?with={vendor}")))
            .await,
        404,
        "not_found",
    )
    .await;

    // Bergen stops sharing: only its register editors decide.
    let sharing = format!("/api/v1/organizations/{bergen}/settings/overview-sharing");
    let current: Value = app
        .get_as(&bergen_auditor, &sharing)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current, json!({"share_overview": true}));
    let off = json!({"share_overview": false});
    assert_problem(
        app.send(
            Method::PUT,
            &bergen_auditor,
            &sharing,
            None,
            Some(off.clone()),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.send(
            Method::PUT,
            &bergen_admin,
            &sharing,
            None,
            Some(off.clone()),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.send(Method::PUT, &reader, &sharing, None, Some(off.clone()))
            .await,
        404,
        "not_found",
    )
    .await;
    let saved = app
        .send(
            Method::PUT,
            &bergen_editor,
            &sharing,
            None,
            Some(off.clone()),
        )
        .await;
    assert_eq!(saved.status(), 200);
    assert!(
        app.audit_actions(bergen)
            .await
            .contains(&"organization.overview_unshared".to_owned())
    );
    let peers: Value = app.get_as(&reader, &peers_path).await.json().await.unwrap();
    assert_eq!(peers["items"], json!([]));
    assert_problem(
        app.get_as(&reader, &compare(format!("?with={bergen}")))
            .await,
        404,
        "not_found",
    )
    .await;
    // Bergen itself may still compare with Oslo, which shares.
    let theirs: Value = app
        .get_as(
            &bergen_editor,
            &format!("/api/v1/organizations/{bergen}/overview-comparison?with={oslo}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["summary"]["only_ours"], c["summary"]["only_theirs"]);
    assert_eq!(theirs["summary"]["both"], c["summary"]["both"]);
}

async fn names_of(app: &TestApp, org: OrganizationId) -> String {
    let (_, o) = app.get_json(&format!("/api/v1/organizations/{org}")).await;
    o["name"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_municipality_describes_its_processing_in_its_own_terms() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let editor = token(&app, "own-oslo@example.org", oslo, Role::RegisterEditor).await;
    let auditor = token(&app, "own-rev@example.org", oslo, Role::Auditor).await;
    let admin = token(&app, "own-adm@example.org", oslo, Role::OrgAdmin).await;
    let stranger = token(&app, "own-bergen@example.org", bergen, Role::RegisterEditor).await;
    let terms = format!("/api/v1/organizations/{oslo}/own-terms");
    let teeth = json!({"kind": "data_category", "parent": "pd:Health",
        "label_nb": "Tannhelseopplysninger", "label_en": "Dental health data"});

    // Who may: editors add, readers read, others see nothing.
    assert_problem(
        app.post_as(&auditor, &terms, teeth.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_as(&stranger, &terms, teeth.clone()).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.get_as(&admin, &terms).await, 403, "forbidden").await;
    let bad = assert_problem(
        app.post_as(
            &editor,
            &terms,
            json!({"kind": "data_category", "parent": "dpv:Child", "label_nb": " "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(bad["errors"].as_array().unwrap().len(), 2);
    let response = app.post_as(&editor, &terms, teeth.clone()).await;
    assert_eq!(response.status(), 201);
    let term: Value = response.json().await.unwrap();
    assert_eq!(term["key"], "local:tannhelseopplysninger");
    assert_eq!(term["special"], "health");
    assert_eq!(
        term["label_nn"], "Tannhelseopplysninger",
        "falls back to bokmål"
    );
    // The same label again gets a key of its own.
    let again: Value = app
        .post_as(&editor, &terms, teeth.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["key"], "local:tannhelseopplysninger-2");
    let list: Value = app.get_as(&auditor, &terms).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 2);

    // The record's rules apply through the parent: a special category needs its condition.
    let systems: Value = app
        .get_as(
            &editor,
            &format!("/api/v1/organizations/{oslo}/systems?q=Omsorgsjournal"),
        )
        .await
        .json()
        .await
        .unwrap();
    let system = systems["items"][0]["id"].as_str().unwrap().to_owned();
    let mut activity = crate::activities::activity("Tannhelsetjeneste", &system);
    activity["data_categories"][1] = json!({"category": "local:tannhelseopplysninger"});
    let activities = format!("/api/v1/organizations/{oslo}/processing-activities");
    let refused = assert_problem(
        app.post_as(&editor, &activities, activity.clone()).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        refused["errors"][0]["code"],
        "required_for_special_category"
    );
    activity["data_categories"][1] = json!({"category": "local:tannhelseopplysninger",
        "art9_condition": "health_or_social_care", "legal_reference": "tannhelsetjenesteloven § 1-3",
        "retention": "10 år etter siste behandling"});
    let created = app.post_as(&editor, &activities, activity.clone()).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let special: Value = app
        .get_as(&editor, &format!("{activities}?special=true&q=Tannhelse"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        special["items"].as_array().unwrap().len(),
        1,
        "counts as special"
    );
    // Another municipality does not know the term.
    let theirs = assert_problem(
        app.post_as(
            &stranger,
            &format!("/api/v1/organizations/{bergen}/processing-activities"),
            {
                let mut a = activity.clone();
                a["system_ids"] = json!([]);
                a
            },
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(theirs["errors"][0]["code"], "unknown_category");

    // The record names it in words, and carries the own terms for machines.
    let record = format!("/api/v1/organizations/{oslo}/record-of-processing");
    let json_record: Value = app.get_as(&auditor, &record).await.json().await.unwrap();
    assert!(
        json_record["own_terms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["key"] == "local:tannhelseopplysninger")
    );
    let csv = app
        .get_as(&auditor, &format!("{record}.csv?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("Dental health data: Art. 9(2)(h), tannhelsetjenesteloven § 1-3"),
        "{csv}"
    );
    // Relabelled, the record follows.
    let relabel = app
        .send(
            Method::PUT,
            &editor,
            &format!("{terms}/local:tannhelseopplysninger"),
            None,
            Some(json!({"label_nb": "Opplysninger om tannhelse", "label_en": "Dental records"})),
        )
        .await;
    assert_eq!(relabel.status(), 200);
    let csv = app
        .get_as(&auditor, &format!("{record}.csv?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Dental records"));
    assert_problem(
        app.send(
            Method::PUT,
            &editor,
            &format!("{terms}/local:finnes-ikke"),
            None,
            Some(json!({"label_nb": "X"})),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // Shared as a template, the own term becomes the shared term it narrows.
    let published: Value = app
        .send(
            Method::PUT,
            &editor,
            &format!("{activities}/{id}/template"),
            None,
            Some(json!({})),
        )
        .await
        .json()
        .await
        .unwrap();
    let categories: Vec<&str> = published["facts"]["data_categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    assert!(
        categories.contains(&"pd:Health") && !categories.iter().any(|c| c.starts_with("local:"))
    );

    // A term in use stays; an unused one goes.
    let in_use = assert_problem(
        app.delete_as(&editor, &format!("{terms}/local:tannhelseopplysninger"))
            .await,
        409,
        "conflict",
    )
    .await;
    assert_eq!(in_use["errors"][0]["code"], "in_use");
    assert_problem(
        app.delete_as(&auditor, &format!("{terms}/local:tannhelseopplysninger-2"))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.delete_as(&editor, &format!("{terms}/local:tannhelseopplysninger-2"))
            .await
            .status(),
        204
    );
    assert_problem(
        app.delete_as(&editor, &format!("{terms}/local:tannhelseopplysninger-2"))
            .await,
        404,
        "not_found",
    )
    .await;
    let log = app.audit_actions(oslo).await;
    for action in [
        "own_term.created",
        "own_term.relabelled",
        "own_term.deleted",
    ] {
        assert!(log.contains(&action.to_owned()), "{action}");
    }
    // Terms are named by id in the log: their keys come from labels people type.
    let chain = vern_db::audit::chain(&app.db.conn, Some(oslo))
        .await
        .unwrap();
    assert!(
        chain
            .iter()
            .filter(|r| r.action.starts_with("own_term."))
            .all(|r| {
                r.target_id
                    .as_deref()
                    .is_some_and(|t| t.parse::<uuid::Uuid>().is_ok())
            })
    );
}

#[tokio::test]
async fn vendors_see_how_their_products_are_used_only_with_consent() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let fjordlys = app.org_named("Fjordlys").await;
    let editor = token(&app, "use-pe@example.org", fjordlys, Role::ProductEditor).await;
    let signatory = token(&app, "use-sign@example.org", fjordlys, Role::Signatory).await;
    let municipal = token(&app, "use-oslo@example.org", oslo, Role::RegisterEditor).await;
    let auditor = token(&app, "use-rev@example.org", oslo, Role::Auditor).await;
    let path = format!("/api/v1/organizations/{fjordlys}/product-usage");
    assert_problem(app.get_as(&signatory, &path).await, 403, "forbidden").await;
    assert_problem(app.get_as(&municipal, &path).await, 404, "not_found").await;

    let usage: Value = app.get_as(&editor, &path).await.json().await.unwrap();
    let customer = |usage: &Value, name: &str| {
        usage["customers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"].as_str().unwrap().starts_with(name))
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    // Oslo consents (demo): systems with versions, and the activities in its record.
    let o = customer(&usage, "Oslo");
    assert_eq!(o["shares_details"], true);
    let skolesekk = o["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["product_name"] == "Skolesekk")
        .unwrap()
        .clone();
    assert_eq!(skolesekk["systems"][0]["version"], "2026.2");
    assert!(
        skolesekk["activities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "Elevadministrasjon i grunnskolen")
    );
    // Bergen does not: only which products.
    let b = customer(&usage, "Bergen");
    assert_eq!(b["shares_details"], false);
    assert!(
        b["products"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["systems"] == json!([]) && p["activities"] == json!([]))
    );
    assert!(!b["products"].as_array().unwrap().is_empty());

    // Oslo withdraws its consent: register editors decide, and it is logged.
    let sharing = format!("/api/v1/organizations/{oslo}/settings/usage-sharing");
    let off = json!({"share_usage_with_vendors": false});
    assert_problem(
        app.send(Method::PUT, &auditor, &sharing, None, Some(off.clone()))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.send(Method::PUT, &editor, &sharing, None, Some(off.clone()))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.send(Method::PUT, &municipal, &sharing, None, Some(off.clone()))
            .await
            .status(),
        200
    );
    let read: Value = app.get_as(&auditor, &sharing).await.json().await.unwrap();
    assert_eq!(read, off);
    assert!(
        app.audit_actions(oslo)
            .await
            .contains(&"organization.usage_unshared_with_vendors".to_owned())
    );
    let usage: Value = app.get_as(&editor, &path).await.json().await.unwrap();
    let o = customer(&usage, "Oslo");
    assert_eq!(o["shares_details"], false);
    assert!(
        o["products"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["activities"] == json!([]))
    );
}

fn dpia(complete: bool, residual: &str, conclusion: &str) -> Value {
    json!({
        "description": "Kulturskolen registrerer elever, foresatte og undervisningstimer.",
        "necessity": "Opplysningene trengs for å tildele plass og undervise; ingen flere enn det.",
        "risks": [{
            "description": "Uvedkommende ser hvem som har søkt om friplass.",
            "likelihood": "medium",
            "severity": "high",
            "measures": "Tilgang bare for kulturskolens administrasjon; logging av oppslag.",
            "residual": residual
        }],
        "dpo_advice": "Gjennomfør tilgangsstyringen før skolestart.",
        "subjects_views": "Foreldrerådet er hørt.",
        "conclusion": conclusion,
        "conclusion_reasons": "Med tiltakene er restrisikoen lav.",
        "complete": complete
    })
}

#[tokio::test]
async fn a_dpia_is_written_completed_shared_with_the_template_and_copied_as_a_draft() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let editor = token(&app, "dpia-oslo@example.org", oslo, Role::RegisterEditor).await;
    let auditor = token(&app, "dpia-rev@example.org", oslo, Role::Auditor).await;
    let bergen_editor = token(
        &app,
        "dpia-bergen@example.org",
        bergen,
        Role::RegisterEditor,
    )
    .await;

    let activities = format!("/api/v1/organizations/{oslo}/processing-activities");
    let list: Value = app
        .get_as(&editor, &format!("{activities}?q=Kulturskole"))
        .await
        .json()
        .await
        .unwrap();
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("{activities}/{id}/dpia-assessment");
    assert_problem(app.get_as(&editor, &path).await, 404, "not_found").await;
    // Another municipality reaches neither Oslo's DPIA nor, by its own path, the activity.
    assert_problem(app.get_as(&bergen_editor, &path).await, 404, "not_found").await;
    assert_problem(
        app.get_as(
            &bergen_editor,
            &format!("/api/v1/organizations/{bergen}/processing-activities/{id}/dpia-assessment"),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // A draft may be partial; the auditor cannot save; Bergen cannot reach it.
    let draft = json!({"description": "Utkast", "risks": []});
    assert_problem(
        app.send(Method::PUT, &auditor, &path, None, Some(draft.clone()))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.send(
            Method::PUT,
            &bergen_editor,
            &path,
            None,
            Some(draft.clone()),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let response = app
        .send(Method::PUT, &editor, &path, None, Some(draft))
        .await;
    assert_eq!(response.status(), 200);
    let tag = crate::helpers::etag(&response);
    let saved: Value = response.json().await.unwrap();
    assert_eq!(saved["status"], "draft");
    assert_eq!(saved["revision"], 1);
    // Later saves need the ETag.
    assert_problem(
        app.send(
            Method::PUT,
            &editor,
            &path,
            None,
            Some(dpia(true, "low", "acceptable")),
        )
        .await,
        428,
        "precondition_required",
    )
    .await;
    // A high remaining risk cannot be accepted; nothing changes.
    let problem = assert_problem(
        app.send(
            Method::PUT,
            &editor,
            &path,
            Some(&tag),
            Some(dpia(true, "high", "acceptable")),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "conclusion");
    assert_eq!(problem["errors"][0]["code"], "residual_high_risk");
    // Sharing a DPIA that is not completed is refused.
    let template_path = format!("{activities}/{id}/template");
    let problem = assert_problem(
        app.send(
            Method::PUT,
            &editor,
            &template_path,
            None,
            Some(json!({"note": "Med DPIA", "include_dpia": true})),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "no_completed_dpia");

    // Completed: the activity's DPIA status follows.
    let response = app
        .send(
            Method::PUT,
            &editor,
            &path,
            Some(&tag),
            Some(dpia(true, "low", "acceptable")),
        )
        .await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["status"], "completed");
    assert_eq!(done["inherent_risks"], json!(["high"]));
    assert!(done["completed_at"].is_string());
    let activity: Value = app
        .get_as(&editor, &format!("{activities}/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(activity["dpia"], "completed");

    // Shared with the template: Bergen reads the analysis, not the DPO's advice or conclusion.
    let response = app
        .send(
            Method::PUT,
            &editor,
            &template_path,
            None,
            Some(json!({"note": "Med DPIA", "include_dpia": true})),
        )
        .await;
    assert!(response.status().is_success());
    let template: Value = response.json().await.unwrap();
    let template_id = template["id"].as_str().unwrap().to_owned();
    let seen: Value = app
        .get_as(
            &bergen_editor,
            &format!("/api/v1/organizations/{bergen}/activity-templates/{template_id}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        seen["dpia"]["risks"][0]["measures"],
        "Tilgang bare for kulturskolens administrasjon; logging av oppslag."
    );
    assert_eq!(seen["dpia"]["dpo_advice"], "");
    assert_eq!(seen["dpia"]["conclusion"], Value::Null);

    // Bergen copies it: its activity starts with a DPIA draft from Oslo's analysis.
    let response = app
        .post_as(
            &bergen_editor,
            &format!("/api/v1/organizations/{bergen}/activity-templates/{template_id}/copies"),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let copy: Value = response.json().await.unwrap();
    let theirs: Value = app
        .get_as(
            &bergen_editor,
            &format!(
                "/api/v1/organizations/{bergen}/processing-activities/{}/dpia-assessment",
                copy["activity_id"].as_str().unwrap()
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["status"], "draft");
    assert_eq!(
        theirs["necessity"],
        dpia(true, "low", "acceptable")["necessity"]
    );
    assert_eq!(theirs["dpo_advice"], "");
    assert_eq!(theirs["copied_from"]["template_id"], template_id.as_str());
    assert!(
        theirs["copied_from"]["publisher_name"]
            .as_str()
            .unwrap()
            .contains("Oslo")
    );
    let actions = app.audit_actions(oslo).await;
    assert!(
        actions
            .iter()
            .any(|a| a == "processing_activity.dpia_completed")
    );
}
