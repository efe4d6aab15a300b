//! Consent records: recording a guardian's consent for a child and an adult's own, finding a
//! person by number, withdrawing (once), the counts the record shows, the export, the
//! refusals (roles, other organisations, bad input leaving nothing behind) and that names and
//! numbers are stored sealed.

use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use vern_domain::access::Role;
use vern_domain::person::{NationalId, synthetic};
use vern_domain::{OrgKind, OrganizationId};

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{assert_problem, spawn_demo_app};

fn number(day: u8, month: u8, year: u8, individual: u16) -> NationalId {
    (individual..individual + 40)
        .find_map(|i| synthetic(day, month, year, i))
        .expect("a synthetic number")
}

/// An activity resting on consent: photos of children in the kindergarten.
fn photo_activity(consent_age: Option<u8>) -> Value {
    json!({
        "name": "Bilder i barnehagen",
        "purposes": ["Dele bilder fra hverdagen i barnehagen med foreldrene"],
        "public_summary": "Med samtykke tar vi bilder av barna og deler dem med foreldrene.",
        "legal_bases": [{"basis": "consent"}],
        "public_task": false,
        "data_subjects": ["dpv:Child", "dpv:ParentOfDataSubject"],
        "data_categories": [{"category": "pd:Picture", "retention": "Slettes når barnet slutter"}],
        "dpia": "not_required",
        "responsible": "Styrer, Solsikken barnehage",
        "status": "active",
        "published": true,
        "consent_age": consent_age
    })
}

fn fields(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_caseworker_records_consents_looks_people_up_and_records_a_withdrawal() {
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
    let caseworker = mk(
        "samtykke-saks@example.org",
        municipality,
        Role::RequestCaseworker,
    )
    .await;
    let editor = mk(
        "samtykke-reg@example.org",
        municipality,
        Role::RegisterEditor,
    )
    .await;
    let dpo = mk(
        "samtykke-pvo@example.org",
        municipality,
        Role::PrivacyOfficer,
    )
    .await;
    let auditor = mk("samtykke-rev@example.org", municipality, Role::Auditor).await;
    let signatory = mk("samtykke-sign@example.org", municipality, Role::Signatory).await;
    let stranger = mk(
        "samtykke-nabo@example.org",
        neighbour,
        Role::RequestCaseworker,
    )
    .await;

    let activities = format!("/api/v1/organizations/{municipality}/processing-activities");
    let response = app
        .post_as(&editor, &activities, photo_activity(Some(13)))
        .await;
    assert_eq!(response.status(), 201);
    let activity: Value = response.json().await.unwrap();
    assert_eq!(activity["consent_age"], 13);
    let activity_id = activity["id"].as_str().unwrap().to_owned();
    // A public-task activity keeps no age for own consent and takes no consents.
    let mut public = photo_activity(Some(13));
    public["name"] = json!("Skoleskyss");
    public["legal_bases"] =
        json!([{"basis": "public_task", "national_law": "opplæringslova § 7-1"}]);
    public["public_task"] = json!(true);
    let public: Value = app
        .post_as(&editor, &activities, public)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["consent_age"], Value::Null);

    let child = number(1, 9, 20, 500); // born 2020: 6 years old
    let parent = number(12, 3, 85, 101);
    let adult = number(4, 4, 90, 150);
    let list = format!("/api/v1/organizations/{municipality}/consents");
    let given_at = (Utc::now() - Duration::days(3)).to_rfc3339();
    let by_parent = json!({
        "activity_id": activity_id,
        "subject": {"national_id": child.expose(), "name": "Demo Barn Solberg"},
        "given_by": "guardian",
        "guardian": {"national_id": parent.expose(), "name": "Demo Forelder Solberg"},
        "given_at": given_at,
        "channel": "paper",
        "statement": "Samtykkeskjema for bilder i barnehagen, versjon 2026-1"
    });

    // Bad input: field by field, the numbers not echoed, nothing stored.
    let mut own = by_parent.clone();
    own["given_by"] = json!("subject");
    own["guardian"] = Value::Null;
    own["statement"] = json!(format!("Gjelder {}", child.expose()));
    let problem = assert_problem(
        app.post_as(&caseworker, &list, own).await,
        422,
        "validation_failed",
    )
    .await;
    let got = fields(&problem);
    assert!(
        got.contains(&("given_by".into(), "guardian_required".into())),
        "{got:?}"
    );
    assert!(got.contains(&("statement".into(), "contains_national_id".into())));
    assert!(!problem.to_string().contains(&child.expose()));
    let mut wrong = by_parent.clone();
    wrong["activity_id"] = public["id"].clone();
    let problem = assert_problem(
        app.post_as(&caseworker, &list, wrong).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        fields(&problem),
        vec![("activity_id".into(), "not_consent_based".into())]
    );
    let mut foreign = by_parent.clone();
    foreign["activity_id"] = json!(uuid::Uuid::now_v7());
    let problem = assert_problem(
        app.post_as(&caseworker, &list, foreign).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "not_an_activity_here");
    let empty: Value = app.get_as(&caseworker, &list).await.json().await.unwrap();
    assert_eq!(empty["items"].as_array().unwrap().len(), 0);

    // Roles that may not record, and another municipality.
    for token in [&editor, &dpo, &auditor] {
        assert_problem(
            app.post_as(token, &list, by_parent.clone()).await,
            403,
            "forbidden",
        )
        .await;
        assert_problem(app.get_as(token, &list).await, 403, "forbidden").await;
    }

    // A parent consents for the child: due for renewal when the child turns 13.
    let response = app.post_as(&caseworker, &list, by_parent.clone()).await;
    assert_eq!(response.status(), 201);
    let consent: Value = response.json().await.unwrap();
    let id = consent["id"].as_str().unwrap().to_owned();
    assert_eq!(consent["status"], "active");
    assert_eq!(consent["given_by"], "guardian");
    assert_eq!(consent["renewal_due_on"], "2033-09-01");
    assert_eq!(consent["activity_name"], "Bilder i barnehagen");
    assert_eq!(consent["subject"]["name"], "Demo Barn Solberg");
    assert_eq!(
        consent["subject"]["national_id_masked"],
        format!("{}*****", &child.expose()[..6])
    );
    assert_eq!(consent["guardian"]["name"], "Demo Forelder Solberg");
    assert!(!consent.to_string().contains(&child.expose()));
    assert!(!consent.to_string().contains(&parent.expose()));
    assert!(consent["recorded_by"].is_string());

    // An adult's own consent.
    let by_adult = json!({
        "activity_id": activity_id,
        "subject": {"national_id": adult.expose(), "name": "Demo Innbygger Haugen"},
        "given_by": "subject",
        "given_at": given_at,
        "channel": "digital_form",
        "statement": "Samtykke til bilder fra foreldremøtet"
    });
    assert_eq!(
        app.post_as(&caseworker, &list, by_adult).await.status(),
        201
    );

    // Stored sealed: no name or number in the row, only keyed hashes.
    let rows = vern_db::entities::consent::Entity::find()
        .filter(
            vern_db::entities::consent::Column::ActivityId
                .eq(uuid::Uuid::parse_str(&activity_id).unwrap()),
        )
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    let raw = format!("{rows:?}");
    for plain in [
        child.expose(),
        parent.expose(),
        adult.expose(),
        "Solberg".into(),
        "Haugen".into(),
    ] {
        assert!(!raw.contains(&plain), "stored in the clear");
    }
    assert!(rows.iter().all(|r| r.parties.starts_with("enc:v1:")));

    // The parent is found by number: the consent they gave for the child.
    let lookup = format!("/api/v1/organizations/{municipality}/consent-lookups");
    let found: Value = app
        .post_as(
            &caseworker,
            &lookup,
            json!({"national_id": parent.expose()}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["id"], id.as_str());
    let problem = assert_problem(
        app.post_as(&caseworker, &lookup, json!({"national_id": "12345678901"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "national_id_check_digits");

    // Lists filter by activity and status; another municipality sees nothing.
    let page: Value = app
        .get_as(
            &caseworker,
            &format!("{list}?activity_id={activity_id}&status=active&limit=1"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert!(page["next_cursor"].is_string());
    assert_problem(
        app.get_as(&caseworker, &format!("{list}?status=maybe"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    let path = format!("{list}/{id}");
    assert_problem(app.get_as(&stranger, &path).await, 404, "not_found").await;
    let theirs = format!("/api/v1/organizations/{neighbour}/consents/{id}");
    assert_problem(app.get_as(&stranger, &theirs).await, 404, "not_found").await;
    let found: Value = app
        .post_as(
            &stranger,
            &format!("/api/v1/organizations/{neighbour}/consent-lookups"),
            json!({"national_id": parent.expose()}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 0);

    // Every consent endpoint refuses the roles without the permission, and another
    // municipality's caseworker reaches nothing of Oslo's.
    for token in [&editor, &dpo, &auditor] {
        assert_problem(app.get_as(token, &path).await, 403, "forbidden").await;
        assert_problem(
            app.post_as(token, &lookup, json!({"national_id": parent.expose()}))
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_problem(
        app.post_as(&stranger, &lookup, json!({"national_id": parent.expose()}))
            .await,
        404,
        "not_found",
    )
    .await;

    // The register shows the counts, without persons.
    let counts_path = format!("{activities}/{activity_id}/consent-counts");
    let counts: Value = app
        .get_as(&editor, &counts_path)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(counts["active"], 2);
    assert_eq!(counts["withdrawn"], 0);
    assert_eq!(counts["consent_age"], 13);
    assert_eq!(counts["consent_based"], true);
    assert_problem(app.get_as(&stranger, &counts_path).await, 404, "not_found").await;
    // The counts are the register's: a signatory does not read the register.
    assert_problem(app.get_as(&signatory, &counts_path).await, 403, "forbidden").await;

    // A withdrawal: before the consent is refused; the guardian's is recorded, once.
    let withdraw = format!("{path}/withdraw");
    let early = json!({
        "withdrawn_at": (Utc::now() - Duration::days(5)).to_rfc3339(),
        "channel": "email",
        "withdrawn_by": "guardian"
    });
    let problem = assert_problem(
        app.post_as(&caseworker, &withdraw, early).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        fields(&problem),
        vec![("withdrawn_at".into(), "before_consent".into())]
    );
    // Staff cannot record a withdrawal as made in the resident portal.
    let problem = assert_problem(
        app.post_as(
            &caseworker,
            &withdraw,
            json!({
                "withdrawn_at": Utc::now().to_rfc3339(),
                "channel": "portal",
                "withdrawn_by": "guardian"
            }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        fields(&problem),
        vec![("channel".into(), "portal_only_by_resident".into())]
    );
    let body = json!({
        "withdrawn_at": Utc::now().to_rfc3339(),
        "channel": "email",
        "withdrawn_by": "guardian"
    });
    assert_problem(
        app.post_as(&editor, &withdraw, body.clone()).await,
        403,
        "forbidden",
    )
    .await;
    let response = app.post_as(&caseworker, &withdraw, body.clone()).await;
    assert_eq!(response.status(), 200);
    let withdrawn: Value = response.json().await.unwrap();
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["withdrawal"]["withdrawn_by"], "guardian");
    assert_eq!(withdrawn["withdrawal"]["channel"], "email");
    assert_problem(
        app.post_as(&caseworker, &withdraw, body).await,
        409,
        "invalid_transition",
    )
    .await;
    // Honoured: the look-up says it no longer counts, the counts move, the list filters.
    let found: Value = app
        .post_as(
            &caseworker,
            &lookup,
            json!({"national_id": child.expose(), "activity_id": activity_id}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"][0]["status"], "withdrawn");
    let counts: Value = app
        .get_as(&editor, &counts_path)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(counts["active"], 1);
    assert_eq!(counts["withdrawn"], 1);
    let page: Value = app
        .get_as(&caseworker, &format!("{list}?status=withdrawn"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["id"], id.as_str());

    // The export carries the full numbers, in the language asked for; the auditor cannot.
    let csv = app
        .get_as(&caseworker, &format!("{list}.csv?lang=en"))
        .await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("Processing activity,Status,Data subject"));
    assert!(text.contains(&child.expose()) && text.contains(&parent.expose()));
    assert!(text.contains("Withdrawn"));
    let xlsx = app
        .get_as(
            &caseworker,
            &format!("{list}.xlsx?activity_id={activity_id}"),
        )
        .await;
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    assert_problem(
        app.get_as(&auditor, &format!("{list}.csv")).await,
        403,
        "forbidden",
    )
    .await;

    // Audited by id only.
    let actions = app.audit_actions(municipality).await;
    for action in [
        "consent.recorded",
        "consent.withdrawn",
        "consent.looked_up",
        "consent.exported",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} missing");
    }
    let events = vern_db::entities::audit_event::Entity::find()
        .all(&app.db.conn)
        .await
        .unwrap();
    let raw = format!("{events:?}");
    assert!(!raw.contains(&child.expose()) && !raw.contains("Solberg"));
}

#[tokio::test]
async fn the_demo_shows_an_active_a_renewal_due_and_a_withdrawn_consent() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let editor = log_in(
        &app,
        &create_user(
            &app,
            "samtykke-demo@example.org",
            &[(oslo, Role::RegisterEditor)],
            true,
        )
        .await,
    )
    .await
    .access;
    let list: Value = app
        .get_as(
            &editor,
            &format!("/api/v1/organizations/{oslo}/processing-activities?limit=500"),
        )
        .await
        .json()
        .await
        .unwrap();
    let photo = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["legal_bases"][0]["basis"] == "consent")
        .expect("a demo activity based on consent");
    let counts: Value = app
        .get_as(
            &editor,
            &format!(
                "/api/v1/organizations/{oslo}/processing-activities/{}/consent-counts",
                photo["id"].as_str().unwrap()
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            counts["active"].as_u64(),
            counts["renewal_due"].as_u64(),
            counts["withdrawn"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(counts["consent_age"], 15);
}
