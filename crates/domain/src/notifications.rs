//! In-app notifications: what happened or is due, for whom, and which reminders a clock
//! calls for. A notification names its subject (an incident, a request) by id and carries
//! only what its text needs — a reference, a title, a deadline — never personal data. The
//! text is the reader's language's, chosen when it is shown.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::OrganizationId;
use crate::incidents::{ClockState, ClockUrgency};
use crate::requests::deadline::{DeadlineState, DeadlineUrgency};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A vendor notified the organisation of a breach on a product it uses.
    IncidentReceived,
    /// An incident's 72 hours have less than a day left.
    IncidentClockUrgent,
    /// An incident's 72 hours have passed without a notice.
    IncidentClockOverdue,
    /// A data-subject request is due within a week.
    RequestDueSoon,
    /// A data-subject request is past its deadline.
    RequestOverdue,
    /// A member asked for a role; the organisation's administrators decide.
    RoleRequested,
    /// A data processing agreement was sent for signature; the parties' signatories sign.
    AgreementToSign,
    /// A request's first month ends within a week and it has not been extended: answer it,
    /// or tell the resident of the extension with reasons before the month is out.
    ExtensionNoticeDue,
    /// A processing activity's or system's review date has come.
    ReviewDue,
    /// A guardian's consent is due for renewal: the child can now consent on their own.
    ConsentRenewalDue,
    /// A vendor changed a product the organisation uses: the register has items to review.
    VendorChange,
    /// Role grants are due for recertification within a week.
    AccessReviewDue,
    /// A campaign's agreement is unsigned by the organisation and its deadline is within a
    /// week or past.
    CampaignDeadline,
}

impl NotificationKind {
    pub const ALL: [Self; 13] = [
        Self::IncidentReceived,
        Self::IncidentClockUrgent,
        Self::IncidentClockOverdue,
        Self::RequestDueSoon,
        Self::RequestOverdue,
        Self::RoleRequested,
        Self::AgreementToSign,
        Self::ExtensionNoticeDue,
        Self::ReviewDue,
        Self::ConsentRenewalDue,
        Self::VendorChange,
        Self::AccessReviewDue,
        Self::CampaignDeadline,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::IncidentReceived => "incident_received",
            Self::IncidentClockUrgent => "incident_clock_urgent",
            Self::IncidentClockOverdue => "incident_clock_overdue",
            Self::RequestDueSoon => "request_due_soon",
            Self::RequestOverdue => "request_overdue",
            Self::RoleRequested => "role_requested",
            Self::AgreementToSign => "agreement_to_sign",
            Self::ExtensionNoticeDue => "extension_notice_due",
            Self::ReviewDue => "review_due",
            Self::ConsentRenewalDue => "consent_renewal_due",
            Self::VendorChange => "vendor_change",
            Self::AccessReviewDue => "access_review_due",
            Self::CampaignDeadline => "campaign_deadline",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What the notification is about.
    pub const fn subject_type(self) -> &'static str {
        match self {
            Self::IncidentReceived | Self::IncidentClockUrgent | Self::IncidentClockOverdue => {
                "incident"
            }
            Self::RequestDueSoon | Self::RequestOverdue | Self::ExtensionNoticeDue => "request",
            Self::RoleRequested => "role_request",
            Self::AgreementToSign | Self::CampaignDeadline => "agreement",
            Self::ReviewDue => "register_entry",
            Self::ConsentRenewalDue => "consent",
            Self::VendorChange => "review_item",
            Self::AccessReviewDue => "access_review",
        }
    }
}

/// What a notification's text needs. No personal data: a reference, a title the register
/// already refuses personal data in, a deadline, an organisation's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    /// Who it came from (a vendor's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// A notification to be delivered to the holders of a role in an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub organization_id: OrganizationId,
    pub kind: NotificationKind,
    pub subject_id: Uuid,
    pub params: NotificationParams,
}

impl NewNotification {
    /// One per person, kind, subject and due day: a reminder made again by the next run is
    /// the same, while a new review date or deadline on the same subject is a new reminder.
    pub fn dedup_key(&self) -> String {
        match self.params.due_on {
            Some(day) => format!("{}:{}:{day}", self.kind.as_str(), self.subject_id),
            None => format!("{}:{}", self.kind.as_str(), self.subject_id),
        }
    }
}

/// A notification as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub kind: NotificationKind,
    /// `incident`, `request`, `role_request` or `agreement`.
    pub subject_type: String,
    pub subject_id: Uuid,
    pub params: NotificationParams,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub next_cursor: Option<String>,
    /// How many of the reader's notifications are unread (all pages).
    pub unread: u64,
}

impl Notification {
    /// The text's key and arguments, for whichever translation shows it (the SPA in the
    /// reader's chosen language, the e-mail in the language they set). Times are Oslo times.
    pub fn text_args(&self) -> (&'static str, Vec<(&'static str, String)>) {
        let p = &self.params;
        let due = p
            .due_at
            .map(crate::incidents::report::local_time)
            .or_else(|| p.due_on.map(|d| d.format("%d.%m.%Y").to_string()))
            .unwrap_or_default();
        let key = match self.kind {
            NotificationKind::IncidentReceived => "notification-incident-received",
            NotificationKind::IncidentClockUrgent => "notification-incident-clock-urgent",
            NotificationKind::IncidentClockOverdue => "notification-incident-clock-overdue",
            NotificationKind::RequestDueSoon => "notification-request-due-soon",
            NotificationKind::RequestOverdue => "notification-request-overdue",
            NotificationKind::RoleRequested => "notification-role-requested",
            NotificationKind::AgreementToSign => "notification-agreement-to-sign",
            NotificationKind::ExtensionNoticeDue => "notification-extension-notice-due",
            NotificationKind::ReviewDue => "notification-review-due",
            NotificationKind::ConsentRenewalDue => "notification-consent-renewal-due",
            NotificationKind::VendorChange => "notification-vendor-change",
            NotificationKind::AccessReviewDue => "notification-access-review-due",
            NotificationKind::CampaignDeadline => "notification-campaign-deadline",
        };
        (
            key,
            vec![
                ("org", self.organization_name.clone()),
                ("reference", p.reference.clone().unwrap_or_default()),
                ("title", p.title.clone().unwrap_or_default()),
                ("from", p.from.clone().unwrap_or_default()),
                ("due", due),
            ],
        )
    }

    /// Where the subject is shown in the app (a path).
    pub fn path(&self) -> String {
        match self.subject_type.as_str() {
            "incident" => format!(
                "/organizations/{}/incidents/{}",
                self.organization_id, self.subject_id
            ),
            "role_request" => format!("/organizations/{}/role-requests", self.organization_id),
            "agreement" => format!("/agreements/{}", self.subject_id),
            "register_entry" | "review_item" => {
                format!("/organizations/{}/register", self.organization_id)
            }
            "consent" => format!(
                "/organizations/{}/consents/{}",
                self.organization_id, self.subject_id
            ),
            "access_review" => format!("/organizations/{}/members", self.organization_id),
            _ => format!("/requests/{}", self.subject_id),
        }
    }
}

/// A user's choices: the language of their e-mails, and which kinds they get by e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPreferences {
    pub language: crate::register::record::RecordLang,
    /// One entry per kind; a kind left out keeps its current choice (e-mail is on unless
    /// switched off).
    pub email: Vec<EmailChoice>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailChoice {
    pub kind: NotificationKind,
    pub email: bool,
}

impl NotificationPreferences {
    /// The choices as stored: the language and the kinds switched off.
    pub fn from_stored(
        language: crate::register::record::RecordLang,
        off: &[NotificationKind],
    ) -> Self {
        Self {
            language,
            email: NotificationKind::ALL
                .into_iter()
                .map(|kind| EmailChoice {
                    kind,
                    email: !off.contains(&kind),
                })
                .collect(),
        }
    }

    /// The kinds switched off after applying these choices to `current`.
    pub fn switched_off(&self, current: &[NotificationKind]) -> Vec<NotificationKind> {
        NotificationKind::ALL
            .into_iter()
            .filter(
                |kind| match self.email.iter().rev().find(|c| c.kind == *kind) {
                    Some(choice) => !choice.email,
                    None => current.contains(kind),
                },
            )
            .collect()
    }
}

/// How many days ahead campaign deadlines and access reviews are reminded of.
pub const REMIND_DAYS_AHEAD: i64 = 7;

/// The reminder an incident's clock calls for, if any.
pub fn incident_reminder(clock: &ClockState) -> Option<NotificationKind> {
    match clock.urgency {
        ClockUrgency::Urgent => Some(NotificationKind::IncidentClockUrgent),
        ClockUrgency::Overdue => Some(NotificationKind::IncidentClockOverdue),
        ClockUrgency::Running | ClockUrgency::Notified | ClockUrgency::NotDue => None,
    }
}

/// The reminder a request's deadline calls for, if any (none while paused). In the last week
/// of a request not extended, the reminder says the extension notice is due too: after the
/// first month an extension can no longer be given (Art. 12(3)).
pub fn request_reminder(deadline: &DeadlineState, extended: bool) -> Option<NotificationKind> {
    match deadline.urgency {
        DeadlineUrgency::DueSoon if !extended => Some(NotificationKind::ExtensionNoticeDue),
        DeadlineUrgency::DueSoon => Some(NotificationKind::RequestDueSoon),
        DeadlineUrgency::Overdue => Some(NotificationKind::RequestOverdue),
        DeadlineUrgency::OnTrack | DeadlineUrgency::Paused => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn clocks_remind_when_urgent_or_overdue_and_not_otherwise() {
        let aware = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
        let at = |h| crate::incidents::clock(aware, None, aware + Duration::hours(h));
        assert_eq!(incident_reminder(&at(10)), None);
        assert_eq!(
            incident_reminder(&at(50)),
            Some(NotificationKind::IncidentClockUrgent)
        );
        assert_eq!(
            incident_reminder(&at(80)),
            Some(NotificationKind::IncidentClockOverdue)
        );
        let notified = crate::incidents::clock(aware, Some(aware), aware + Duration::hours(80));
        assert_eq!(incident_reminder(&notified), None);
    }

    #[test]
    fn request_deadlines_remind_in_the_last_week_and_after() {
        use crate::requests::deadline::Clock;
        let received = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let clock = Clock::new(received, true);
        let day = |d| received + Duration::days(d);
        assert_eq!(request_reminder(&clock.state(day(5)), false), None);
        assert_eq!(
            request_reminder(&clock.state(day(26)), false),
            Some(NotificationKind::ExtensionNoticeDue)
        );
        assert_eq!(
            request_reminder(&clock.state(day(26)), true),
            Some(NotificationKind::RequestDueSoon)
        );
        assert_eq!(
            request_reminder(&clock.state(day(40)), false),
            Some(NotificationKind::RequestOverdue)
        );
    }

    #[test]
    fn a_new_due_day_on_the_same_subject_is_a_new_reminder() {
        let mut note = NewNotification {
            organization_id: OrganizationId::from_uuid(Uuid::nil()),
            kind: NotificationKind::ReviewDue,
            subject_id: Uuid::nil(),
            params: NotificationParams {
                due_on: NaiveDate::from_ymd_opt(2026, 12, 1),
                ..NotificationParams::default()
            },
        };
        let first = note.dedup_key();
        assert_eq!(first, note.dedup_key());
        note.params.due_on = NaiveDate::from_ymd_opt(2027, 12, 1);
        assert_ne!(first, note.dedup_key());
        note.params.due_on = None;
        assert_eq!(note.dedup_key(), format!("review_due:{}", Uuid::nil()));
    }

    #[test]
    fn every_kind_has_a_text_and_a_page() {
        for kind in NotificationKind::ALL {
            let n = Notification {
                id: Uuid::nil(),
                organization_id: OrganizationId::from_uuid(Uuid::nil()),
                organization_name: "Oslo kommune".into(),
                kind,
                subject_type: kind.subject_type().into(),
                subject_id: Uuid::nil(),
                params: NotificationParams::default(),
                created_at: Utc::now(),
                read_at: None,
            };
            let (key, _) = n.text_args();
            assert!(key.starts_with("notification-"), "{key}");
            assert!(n.path().starts_with('/'), "{kind:?}");
            assert_eq!(NotificationKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn email_choices_apply_over_what_was_stored() {
        use crate::register::record::RecordLang;
        let stored = NotificationPreferences::from_stored(
            RecordLang::En,
            &[NotificationKind::RequestDueSoon],
        );
        assert_eq!(stored.email.len(), NotificationKind::ALL.len());
        assert!(
            !stored
                .email
                .iter()
                .find(|c| c.kind == NotificationKind::RequestDueSoon)
                .unwrap()
                .email
        );
        let change = NotificationPreferences {
            language: RecordLang::Nb,
            email: vec![
                EmailChoice {
                    kind: NotificationKind::IncidentReceived,
                    email: false,
                },
                EmailChoice {
                    kind: NotificationKind::RequestDueSoon,
                    email: true,
                },
            ],
        };
        assert_eq!(
            change.switched_off(&[
                NotificationKind::RequestDueSoon,
                NotificationKind::RequestOverdue
            ]),
            vec![
                NotificationKind::IncidentReceived,
                NotificationKind::RequestOverdue
            ]
        );
    }

    #[test]
    fn a_notification_names_its_text_and_its_page() {
        let n = Notification {
            id: Uuid::from_u128(1),
            organization_id: OrganizationId::from_uuid(Uuid::from_u128(2)),
            organization_name: "Oslo kommune".into(),
            kind: NotificationKind::IncidentClockUrgent,
            subject_type: "incident".into(),
            subject_id: Uuid::from_u128(3),
            params: NotificationParams {
                reference: Some("2026-4".into()),
                due_at: Some(Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap()),
                ..NotificationParams::default()
            },
            created_at: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
            read_at: None,
        };
        let (key, args) = n.text_args();
        assert_eq!(key, "notification-incident-clock-urgent");
        assert!(args.contains(&("due", "03.12.2026 10:00".to_owned())));
        assert!(args.contains(&("reference", "2026-4".to_owned())));
        assert_eq!(
            n.path(),
            format!(
                "/organizations/{}/incidents/{}",
                Uuid::from_u128(2),
                Uuid::from_u128(3)
            )
        );
    }

    #[test]
    fn the_dedup_key_is_per_kind_and_subject() {
        let n = NewNotification {
            organization_id: OrganizationId::from_uuid(Uuid::from_u128(1)),
            kind: NotificationKind::RequestOverdue,
            subject_id: Uuid::from_u128(2),
            params: NotificationParams::default(),
        };
        assert_eq!(
            n.dedup_key(),
            format!("request_overdue:{}", Uuid::from_u128(2))
        );
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
