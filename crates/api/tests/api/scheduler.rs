//! The scheduler with several instances on one database: each due slot of each job runs on
//! exactly one instance.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use vern_api::scheduler::{SchedulerConfig, run_if_due};
use vern_domain::scheduler::Job;

use crate::helpers::{Options, spawn_app_with};

#[tokio::test]
async fn two_instances_on_one_database_run_each_scheduled_job_once_per_slot() {
    // Both tick every 20 ms on a 250 ms grid, for three seconds.
    let fast = Some((20, 250));
    let first = spawn_app_with(Options {
        scheduler: fast,
        ..Options::default()
    })
    .await;
    let second = spawn_app_with(Options {
        scheduler: fast,
        database_url: Some(first.database_url.clone()),
        ..Options::default()
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    for job in Job::ALL {
        let runs = vern_db::scheduler::runs(&first.db.conn, job.name())
            .await
            .expect("runs");
        assert!(runs.len() >= 5, "{}: only {} runs", job.name(), runs.len());
        let mut per_slot: HashMap<_, usize> = HashMap::new();
        for run in &runs {
            *per_slot.entry(run.slot).or_default() += 1;
        }
        assert!(
            per_slot.values().all(|n| *n == 1),
            "{}: a slot ran twice: {per_slot:?}",
            job.name()
        );
        // Consecutive slots are a whole number of intervals apart.
        for pair in runs.windows(2) {
            let gap = (pair[1].slot - pair[0].slot).num_milliseconds();
            assert!(gap > 0 && gap % 250 == 0, "{}: gap {gap} ms", job.name());
        }
        assert!(
            runs.iter()
                .all(|r| r.outcome.is_some() || r.finished_at.is_none())
        );
    }
    drop(second);
}

#[tokio::test]
async fn of_two_instances_racing_for_the_same_slot_exactly_one_wins() {
    let app = spawn_app_with(Options::default()).await;
    let config = |name: &str| SchedulerConfig {
        tick: std::time::Duration::from_secs(3600),
        interval_override: Some(Duration::seconds(60)),
        instance: name.to_owned(),
        mailer: None,
        public_url: "http://localhost".to_owned(),
        webhooks: None,
    };
    let (a, b) = (config("instance-a"), config("instance-b"));
    vern_api::scheduler::register_jobs(&app.db, Utc::now())
        .await
        .expect("jobs registered");
    // The slot the server's own start-up took is in the past; race for the next forty.
    let start = Utc::now() + Duration::hours(1);
    let mut wins = HashMap::new();
    for round in 0..40 {
        let now = start + Duration::seconds(60 * round);
        let (x, y) = tokio::join!(
            run_if_due(&app.db, &a, Job::Reminders, now),
            run_if_due(&app.db, &b, Job::Reminders, now),
        );
        let (x, y) = (x.expect("a runs"), y.expect("b runs"));
        assert!(x ^ y, "round {round}: a ran {x}, b ran {y}");
        *wins.entry(if x { "a" } else { "b" }).or_insert(0) += 1;
    }
    let runs = vern_db::scheduler::runs(&app.db.conn, Job::Reminders.name())
        .await
        .expect("runs");
    let raced: Vec<_> = runs
        .iter()
        .filter(|r| r.instance.starts_with("instance-"))
        .collect();
    assert_eq!(raced.len(), 40);
    assert!(
        raced
            .iter()
            .all(|r| r.outcome.as_deref() == Some("delivered 0"))
    );
}
