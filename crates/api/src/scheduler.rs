//! The scheduler: every instance ticks, and for each due job tries to claim its slot in the
//! database; the one that wins runs it. Jobs: purging closed answer windows, and deadline
//! reminders (incident clocks, data-subject request deadlines) as in-app notifications, and
//! e-mailing the notifications their readers want by e-mail.

use chrono::{DateTime, Duration, Utc};
use vern_db::Database;
use vern_domain::access::Role;
use vern_domain::incidents::facts::incident_clock;
use vern_domain::notifications::{
    NewNotification, NotificationKind, NotificationParams, REMIND_DAYS_AHEAD, incident_reminder,
    request_reminder,
};
use vern_domain::scheduler::Job;

/// How long an instance holds a job it runs; a crashed instance's hold lapses after it.
const LEASE_MINUTES: i64 = 10;

#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    /// How often each instance looks for due jobs.
    pub tick: std::time::Duration,
    /// Every job's interval, instead of its own (tests).
    pub interval_override: Option<Duration>,
    /// This instance's name in the job log.
    pub instance: String,
    /// The SMTP connection (none: notifications are not e-mailed).
    pub mailer: Option<std::sync::Arc<crate::mail::Mailer>>,
    /// The address links in e-mails point to.
    pub public_url: String,
    /// Sends webhook deliveries (none: the job does nothing).
    pub webhooks: Option<crate::webhooks::WebhookSender>,
}

impl SchedulerConfig {
    fn interval(&self, job: Job) -> Duration {
        self.interval_override.unwrap_or_else(|| job.interval())
    }
}

/// Registers every job (due now) unless it is registered already.
pub async fn register_jobs(db: &Database, now: DateTime<Utc>) -> Result<(), vern_db::DbError> {
    for job in Job::ALL {
        vern_db::scheduler::ensure(&db.conn, job.name(), now).await?;
    }
    Ok(())
}

/// Registers the jobs, then runs the loop until the process ends.
pub fn spawn(db: Database, config: SchedulerConfig) {
    tokio::spawn(async move {
        while let Err(e) = register_jobs(&db, Utc::now()).await {
            tracing::warn!(error = %e.log_safe(), "scheduler: could not register the jobs");
            tokio::time::sleep(config.tick).await;
        }
        loop {
            for job in Job::ALL {
                if let Err(e) = run_if_due(&db, &config, job, Utc::now()).await {
                    tracing::warn!(job = job.name(), error = %e.log_safe(), "scheduler: could not run the job");
                }
            }
            tokio::time::sleep(config.tick).await;
        }
    });
}

/// Claims the job's slot if it is due and runs it. `Ok(true)` when this instance ran it; a
/// job not yet registered ([`register_jobs`]) is never due.
pub async fn run_if_due(
    db: &Database,
    config: &SchedulerConfig,
    job: Job,
    now: DateTime<Utc>,
) -> Result<bool, vern_db::DbError> {
    let claimed = {
        let txn = vern_db::connection::begin_write(db).await?;
        let run = vern_db::scheduler::claim(
            &txn,
            job.name(),
            &config.instance,
            config.interval(job),
            Duration::minutes(LEASE_MINUTES),
            now,
        )
        .await?;
        txn.commit().await?;
        run
    };
    let Some(run) = claimed else {
        return Ok(false);
    };
    let outcome = match job {
        Job::PurgeAnswerWindows => crate::residents::purge_closed_windows(db, now)
            .await
            .map(|n| format!("purged {n}")),
        Job::Reminders => reminders(db, now).await.map(|n| format!("delivered {n}")),
        Job::LapseGrants => lapse_grants(db, now).await.map(|n| format!("ended {n}")),
        Job::Webhooks => match &config.webhooks {
            Some(sender) => sender.send_due(now).await.map(|n| format!("delivered {n}")),
            None => Ok("no sender".to_owned()),
        },
        Job::Mail => {
            crate::mail::send_pending(db, config.mailer.as_deref(), &config.public_url, now)
                .await
                .map(|n| format!("sent {n}"))
        }
    };
    let outcome = match outcome {
        Ok(done) => done,
        Err(e) => format!("failed: {}", e.log_safe()),
    };
    tracing::debug!(job = job.name(), outcome = %outcome, "scheduler: ran");
    vern_db::scheduler::finish(
        &db.conn,
        run,
        job.name(),
        &config.instance,
        &outcome,
        Utc::now(),
    )
    .await?;
    Ok(true)
}

/// Records the grants the clock has stopped — past their end date (`expired`) or not
/// re-confirmed by an access review's due date (`lapsed`) — each with an audit event
/// (`role.expired`, `role.lapsed`) by the system. Answers how many it recorded.
pub async fn lapse_grants(db: &Database, now: DateTime<Utc>) -> Result<u64, vern_db::DbError> {
    use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
    use vern_domain::access::{GrantEvent, GrantState};
    let mut ended = 0;
    for row in vern_db::identity::grants_run_out(&db.conn, now).await? {
        let state = GrantState::Active {
            until: row.until,
            review_due: row.review_due,
        };
        let (name, action) = match state.transition(GrantEvent::Tick, now) {
            Ok(GrantState::Expired) => ("expired", "role.expired"),
            Ok(GrantState::Lapsed) => ("lapsed", "role.lapsed"),
            _ => continue,
        };
        let txn = vern_db::connection::begin_write(db).await?;
        if vern_db::identity::end_grant(&txn, row.id, name, now).await? {
            vern_db::audit::append(
                &txn,
                AuditDraft {
                    organization_id: Some(vern_domain::OrganizationId::from_uuid(
                        row.organization_id,
                    )),
                    actor_kind: ActorKind::System,
                    actor_id: None,
                    action,
                    target_type: "role_grant",
                    target_id: Some(row.id.to_string()),
                    request_id: None,
                    outcome: Outcome::Success,
                },
                now,
            )
            .await?;
            ended += 1;
        }
        txn.commit().await?;
    }
    Ok(ended)
}

/// Delivers the reminders the clocks call for: incidents with a day or less left or past
/// the 72 hours (to the privacy officers), requests due within a week or overdue (to the
/// assigned caseworker, else to every caseworker). Each once per person and subject.
pub async fn reminders(db: &Database, now: DateTime<Utc>) -> Result<u64, vern_db::DbError> {
    let mut delivered = 0;
    let aware_before = now
        - Duration::hours(
            vern_domain::incidents::NOTIFY_WITHIN_HOURS - vern_domain::incidents::URGENT_HOURS,
        );
    for row in vern_db::incidents::clocks_running(&db.conn, aware_before).await? {
        let facts = vern_db::incidents::facts_of(&row)?;
        let status = vern_db::incidents::status_of(&row)?;
        let clock = incident_clock(status, &facts, row.first_notice_at, now);
        let Some(kind) = incident_reminder(&clock) else {
            continue;
        };
        let org = vern_domain::OrganizationId::from_uuid(row.organization_id);
        let note = NewNotification {
            organization_id: org,
            kind,
            subject_id: row.id,
            params: NotificationParams {
                reference: Some(vern_db::incidents::reference(&row)),
                title: Some(row.title.clone()),
                due_at: Some(clock.deadline),
                ..NotificationParams::default()
            },
        };
        let users =
            vern_db::notifications::holders(&db.conn, org, Role::PrivacyOfficer, now).await?;
        delivered += vern_db::notifications::deliver(&db.conn, &note, &users, now).await?;
    }
    let today = vern_domain::calendar::oslo_date(now);
    let by = today + Duration::days(vern_domain::requests::deadline::WARN_DAYS);
    for row in vern_db::requests::open_due_by(&db.conn, by).await? {
        let clock = vern_db::requests::clock_of(&row)?;
        let state = clock.state(today);
        let Some(kind) = request_reminder(&state, clock.extension_months > 0) else {
            continue;
        };
        let org = vern_domain::OrganizationId::from_uuid(row.organization_id);
        let note = NewNotification {
            organization_id: org,
            kind,
            subject_id: row.id,
            params: NotificationParams {
                reference: Some(format!("{}/{}", row.year, row.sequence)),
                due_on: Some(state.due),
                ..NotificationParams::default()
            },
        };
        let users = match row.assignee_id {
            Some(user) => vec![user],
            None => {
                vern_db::notifications::holders(&db.conn, org, Role::RequestCaseworker, now).await?
            }
        };
        delivered += vern_db::notifications::deliver(&db.conn, &note, &users, now).await?;
        // Integrations hear of it once per request and deadline; the webhooks job sends it.
        let event = vern_db::webhooks::Event::on(
            org,
            vern_domain::webhooks::EventType::RequestDeadlineApproaching,
            row.id,
            &state.due.to_string(),
            now,
        );
        vern_db::webhooks::enqueue(&db.conn, &event).await?;
    }
    delivered += register_reminders(db, now, today).await?;
    Ok(delivered)
}

/// Review dates that have come (to the register editors), guardians' consents due for
/// renewal (to the caseworkers, who handle consents), campaign agreements unsigned a week
/// before the deadline (to the recipient's signatories), and role grants due for
/// recertification within a week (to the administrators). Each once per subject and date.
async fn register_reminders(
    db: &Database,
    now: DateTime<Utc>,
    today: chrono::NaiveDate,
) -> Result<u64, vern_db::DbError> {
    use vern_domain::OrganizationId;
    let mut delivered = 0;
    let send = async |org: uuid::Uuid, role: Role, note: NewNotification| {
        let users =
            vern_db::notifications::holders(&db.conn, OrganizationId::from_uuid(org), role, now)
                .await?;
        vern_db::notifications::deliver(&db.conn, &note, &users, now).await
    };
    for due in vern_db::due::reviews_due(&db.conn, today).await? {
        let note = NewNotification {
            organization_id: OrganizationId::from_uuid(due.organization_id),
            kind: NotificationKind::ReviewDue,
            subject_id: due.id,
            params: NotificationParams {
                title: Some(due.name),
                due_on: Some(due.review_date),
                ..NotificationParams::default()
            },
        };
        delivered += send(due.organization_id, Role::RegisterEditor, note).await?;
    }
    let renewals = vern_db::consents::renewals_due(&db.conn, today).await?;
    let names =
        vern_db::consents::activity_names(&db.conn, renewals.iter().map(|r| r.activity_id)).await?;
    for row in renewals {
        // The activity's name only: who the consent is about stays in the record.
        let note = NewNotification {
            organization_id: OrganizationId::from_uuid(row.organization_id),
            kind: NotificationKind::ConsentRenewalDue,
            subject_id: row.id,
            params: NotificationParams {
                title: names.get(&row.activity_id).cloned(),
                due_on: row.renewal_due_on,
                ..NotificationParams::default()
            },
        };
        delivered += send(row.organization_id, Role::RequestCaseworker, note).await?;
    }
    // Campaign agreements the recipient has not signed, a week before the deadline and after.
    for (row, deadline) in
        vern_db::campaigns::unsigned_due(&db.conn, today + Duration::days(REMIND_DAYS_AHEAD))
            .await?
    {
        let note = NewNotification {
            organization_id: OrganizationId::from_uuid(row.processor_id),
            kind: NotificationKind::CampaignDeadline,
            subject_id: row.id,
            params: NotificationParams {
                title: Some(row.title.clone()),
                due_on: Some(deadline),
                ..NotificationParams::default()
            },
        };
        delivered += send(row.processor_id, Role::Signatory, note).await?;
    }
    let ahead = now + Duration::days(REMIND_DAYS_AHEAD);
    for (org, due) in vern_db::due::access_reviews_due(&db.conn, ahead).await? {
        let note = NewNotification {
            organization_id: OrganizationId::from_uuid(org),
            kind: NotificationKind::AccessReviewDue,
            subject_id: org,
            params: NotificationParams {
                due_on: Some(vern_domain::calendar::oslo_date(due)),
                ..NotificationParams::default()
            },
        };
        delivered += send(org, Role::OrgAdmin, note).await?;
    }
    Ok(delivered)
}
