//! Campaigns: the demo directorate sends one agreement to three municipalities with a
//! deadline and follows them — not opened, in review, signed, overdue — reminding those
//! who have not signed. Recipients see their agreement, never the campaign.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use vern_domain::OrganizationId;
use vern_domain::access::Role;

use crate::agreements::{person, step_up};
use crate::helpers::{TestApp, assert_problem, spawn_demo_app};

fn campaign(recipients: &[OrganizationId], deadline: &str) -> Value {
    json!({
        "deadline": deadline,
        "recipient_ids": recipients,
        "terms": {
            "title": "Databehandleravtale for introduksjonsprogrammet",
            "template": "state-nb",
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
                "data_categories": [{"label": "Navn og kontaktinformasjon"}],
                "data_subjects": ["Deltakere"],
                "security_measures": ["Tilgangsstyring etter tjenstlig behov"],
                "locations": ["Norge"]
            }
        }
    })
}

fn in_days(days: i64) -> String {
    (vern_domain::calendar::oslo_date(chrono::Utc::now()) + chrono::Duration::days(days))
        .to_string()
}

async fn states(app: &TestApp, token: &str, id: &str) -> Vec<(String, String)> {
    let page: Value = app
        .get_as(token, &format!("/api/v1/campaigns/{id}/recipients"))
        .await
        .json()
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["organization"]["name"].as_str().unwrap().to_owned(),
                r["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_campaign_to_three_municipalities_shows_where_each_stands() {
    let app = spawn_demo_app().await;
    let directorate = app.org_named("Direktoratet").await;
    let [oslo, bergen, drammen] = [
        app.org_named("Oslo").await,
        app.org_named("Bergen").await,
        app.org_named("Drammen").await,
    ];
    let manager = person(
        &app,
        "kampanje@example.org",
        directorate,
        Role::AgreementManager,
    )
    .await;
    let reader = person(
        &app,
        "kampanje-les@example.org",
        directorate,
        Role::Signatory,
    )
    .await;
    let admin = person(
        &app,
        "kampanje-admin@example.org",
        directorate,
        Role::OrgAdmin,
    )
    .await;
    let oslo_dpo = person(&app, "oslo-pvo@example.org", oslo, Role::PrivacyOfficer).await;
    let bergen_signer = person(&app, "bergen-sign@example.org", bergen, Role::Signatory).await;
    let path = format!("/api/v1/organizations/{directorate}/campaigns");
    let body = campaign(&[oslo, bergen, drammen], &in_days(30));

    // Only a drafter starts one; the admin reaches no agreements.
    assert_problem(
        app.post_as(&reader.token, &path, body.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_as(&admin.token, &path, body.clone()).await,
        403,
        "forbidden",
    )
    .await;
    let created = app.post_as(&manager.token, &path, body).await;
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let started: Value = created.json().await.unwrap();
    let id = started["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/campaigns/{id}"));
    assert_eq!(started["counts"]["total"], 3);
    assert_eq!(started["counts"]["not_opened"], 3);
    assert_eq!(started["organization"]["id"], directorate.to_string());

    // Each recipient has an agreement of its own, sent, with the deadline.
    let recipients: Value = app
        .get_as(
            &manager.token,
            &format!("/api/v1/campaigns/{id}/recipients"),
        )
        .await
        .json()
        .await
        .unwrap();
    let items = recipients["items"].as_array().unwrap();
    let names: Vec<&str> = items
        .iter()
        .map(|r| r["organization"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bergen kommune", "Drammen kommune", "Oslo kommune"]);
    assert!(items.iter().all(|r| r["agreement_status"] == "sent"));
    let agreement_of = |name: &str| {
        items
            .iter()
            .find(|r| r["organization"]["name"] == name)
            .unwrap()["agreement_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (oslo_agreement, bergen_agreement) =
        (agreement_of("Oslo kommune"), agreement_of("Bergen kommune"));

    // Oslo's DPO opens theirs: in review. The agreement shows the deadline.
    let seen: Value = app
        .get_as(
            &oslo_dpo.token,
            &format!("/api/v1/agreements/{oslo_agreement}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["campaign"]["deadline"], in_days(30));
    assert!(seen["opened_at"].is_string());
    assert!(
        app.audit_actions(oslo)
            .await
            .contains(&"agreement.opened".to_owned())
    );
    // Bergen's signatory opens and signs: signed.
    let bergen_view: Value = app
        .get_as(
            &bergen_signer.token,
            &format!("/api/v1/agreements/{bergen_agreement}"),
        )
        .await
        .json()
        .await
        .unwrap();
    step_up(&app, &bergen_signer).await;
    let signed = app
        .post_as(
            &bergen_signer.token,
            &format!("/api/v1/agreements/{bergen_agreement}/sign"),
            json!({"document_sha256": bergen_view["document_sha256"]}),
        )
        .await;
    assert_eq!(signed.status(), 200);
    assert_eq!(
        states(&app, &manager.token, &id).await,
        [
            ("Bergen kommune".to_owned(), "signed".to_owned()),
            ("Drammen kommune".to_owned(), "not_opened".to_owned()),
            ("Oslo kommune".to_owned(), "in_review".to_owned()),
        ]
    );
    // What each must do by when: Oslo signs by the deadline; Bergen has signed; the
    // directorate countersigns Bergen's.
    let deadlines =
        |org: OrganizationId| format!("/api/v1/organizations/{org}/agreement-deadlines");
    let oslo_due: Value = app
        .get_as(&oslo_dpo.token, &deadlines(oslo))
        .await
        .json()
        .await
        .unwrap();
    let mine: Vec<&Value> = oslo_due["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["agreement_id"] == oslo_agreement.as_str())
        .collect();
    assert_eq!(mine.len(), 1, "{oslo_due}");
    assert_eq!(mine[0]["kind"], "sign");
    assert_eq!(mine[0]["due"], in_days(30));
    assert_eq!(mine[0]["days_left"], 30);
    assert_eq!(mine[0]["urgency"], "soon");
    assert_eq!(mine[0]["counterparty"]["id"], directorate.to_string());
    let bergen_due: Value = app
        .get_as(&bergen_signer.token, &deadlines(bergen))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        bergen_due["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["agreement_id"] != bergen_agreement.as_str())
    );
    let ours: Value = app
        .get_as(
            &manager.token,
            &format!("{}?kind=sign", deadlines(directorate)),
        )
        .await
        .json()
        .await
        .unwrap();
    let countersign: Vec<&Value> = ours["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["agreement_id"])
        .collect();
    assert_eq!(countersign, [&json!(bergen_agreement)]);
    assert_problem(
        app.get_as(&oslo_dpo.token, &deadlines(directorate)).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&admin.token, &deadlines(directorate)).await,
        403,
        "forbidden",
    )
    .await;
    let signed_only: Value = app
        .get_as(
            &reader.token,
            &format!("/api/v1/campaigns/{id}/recipients?state=signed"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(signed_only["items"].as_array().unwrap().len(), 1);
    assert!(signed_only["items"][0]["signed_at"].is_string());

    // A reminder goes to the two who have not signed; a reader may not send one.
    let remind = format!("/api/v1/campaigns/{id}/reminders");
    assert_problem(
        app.post_as(&reader.token, &remind, json!({})).await,
        403,
        "forbidden",
    )
    .await;
    let round: Value = app
        .post_as(&manager.token, &remind, json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(round["reminded"], 2);
    let reminded: Value = app
        .get_as(
            &oslo_dpo.token,
            &format!("/api/v1/agreements/{oslo_agreement}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(reminded["campaign"]["reminded_at"].is_string());
    assert!(
        app.audit_actions(drammen)
            .await
            .contains(&"agreement.reminded".to_owned())
    );

    // Past the deadline, those who have not signed are overdue.
    vern_db::entities::campaign::Entity::update_many()
        .col_expr(
            vern_db::entities::campaign::Column::Deadline,
            Expr::value(
                vern_domain::calendar::oslo_date(chrono::Utc::now()) - chrono::Duration::days(1),
            ),
        )
        .filter(vern_db::entities::campaign::Column::Id.eq(id.parse::<uuid::Uuid>().unwrap()))
        .exec(&app.db.conn)
        .await
        .unwrap();
    let summary: Value = app
        .get_as(&manager.token, &format!("/api/v1/campaigns/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary["counts"]["overdue"], 2);
    assert_eq!(summary["counts"]["signed"], 1);
    let list: Value = app.get_as(&reader.token, &path).await.json().await.unwrap();
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["counts"]["overdue"], 2);

    // Recipients and strangers know nothing of the campaign.
    for token in [&oslo_dpo.token, &bergen_signer.token] {
        assert_problem(
            app.get_as(token, &format!("/api/v1/campaigns/{id}")).await,
            404,
            "not_found",
        )
        .await;
        assert_problem(
            app.get_as(token, &format!("/api/v1/campaigns/{id}/recipients"))
                .await,
            404,
            "not_found",
        )
        .await;
        assert_problem(
            app.post_as(token, &remind, json!({})).await,
            404,
            "not_found",
        )
        .await;
    }
    assert_problem(app.get_as(&oslo_dpo.token, &path).await, 404, "not_found").await;
    assert!(
        app.audit_actions(directorate)
            .await
            .contains(&"campaign.started".to_owned())
    );
}

#[tokio::test]
async fn a_campaign_that_is_not_valid_or_not_complete_stores_nothing() {
    let app = spawn_demo_app().await;
    let directorate = app.org_named("Direktoratet").await;
    let oslo = app.org_named("Oslo").await;
    let manager = person(
        &app,
        "kampanje2@example.org",
        directorate,
        Role::AgreementManager,
    )
    .await;
    let path = format!("/api/v1/organizations/{directorate}/campaigns");

    let past = app
        .post_as(&manager.token, &path, campaign(&[oslo], &in_days(0)))
        .await;
    let problem = assert_problem(past, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "deadline");

    let unknown = OrganizationId::from_uuid(uuid::Uuid::now_v7());
    let response = app
        .post_as(
            &manager.token,
            &path,
            campaign(&[oslo, unknown], &in_days(10)),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "recipient_ids[1]");
    assert_eq!(problem["errors"][0]["code"], "unknown");

    let mut incomplete = campaign(&[oslo], &in_days(10));
    incomplete["terms"]["nature"] = json!("");
    let response = app.post_as(&manager.token, &path, incomplete).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "nature");
    assert_eq!(problem["errors"][0]["code"], "missing");

    let response = app
        .post_as(
            &manager.token,
            &path,
            campaign(&[directorate], &in_days(10)),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "is_sender");

    let list: Value = app
        .get_as(&manager.token, &path)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"], json!([]));
    let agreements: Value = app
        .get_as(
            &manager.token,
            &format!("/api/v1/organizations/{directorate}/agreements"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(agreements["items"], json!([]));
}

#[tokio::test]
async fn a_week_before_the_deadline_the_recipients_signatories_are_reminded_once() {
    let app = spawn_demo_app().await;
    let directorate = app.org_named("Direktoratet").await;
    let oslo = app.org_named("Oslo").await;
    let manager = person(
        &app,
        "frist-kampanje@example.org",
        directorate,
        Role::AgreementManager,
    )
    .await;
    let oslo_signer = person(&app, "frist-oslo-sign@example.org", oslo, Role::Signatory).await;
    let directorate_signer = person(
        &app,
        "frist-dir-sign@example.org",
        directorate,
        Role::Signatory,
    )
    .await;
    let path = format!("/api/v1/organizations/{directorate}/campaigns");
    // Thirty days ahead: not yet.
    let far = app
        .post_as(&manager.token, &path, campaign(&[oslo], &in_days(30)))
        .await;
    assert_eq!(far.status(), 201);
    let mine = "/api/v1/me/notifications?limit=500";
    let reminders = |kind: &'static str, page: Value| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == kind)
            .cloned()
            .collect::<Vec<_>>()
    };
    vern_api::scheduler::reminders(&app.db, chrono::Utc::now())
        .await
        .unwrap();
    let page: Value = app
        .get_as(&oslo_signer.token, mine)
        .await
        .json()
        .await
        .unwrap();
    assert!(reminders("campaign_deadline", page).is_empty());

    // Three days ahead: Oslo's signatory is reminded, once; the sender is not.
    let near = app
        .post_as(&manager.token, &path, campaign(&[oslo], &in_days(3)))
        .await;
    assert_eq!(near.status(), 201);
    vern_api::scheduler::reminders(&app.db, chrono::Utc::now())
        .await
        .unwrap();
    vern_api::scheduler::reminders(&app.db, chrono::Utc::now())
        .await
        .unwrap();
    let page: Value = app
        .get_as(&oslo_signer.token, mine)
        .await
        .json()
        .await
        .unwrap();
    let due = reminders("campaign_deadline", page);
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0]["params"]["due_on"], in_days(3));
    assert_eq!(
        due[0]["params"]["title"],
        "Databehandleravtale for introduksjonsprogrammet"
    );
    assert_eq!(due[0]["subject_type"], "agreement");
    let page: Value = app
        .get_as(&directorate_signer.token, mine)
        .await
        .json()
        .await
        .unwrap();
    assert!(reminders("campaign_deadline", page).is_empty());
}
