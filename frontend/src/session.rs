//! The logged-in session. The access token lives only in memory; after a reload the
//! session is restored through the HttpOnly refresh cookie.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use vern_domain::access::auth::Me;

use crate::api;

#[derive(Debug, Clone, PartialEq)]
pub struct SessionInfo {
    pub access_token: String,
    pub me: Me,
}

#[derive(Debug, Clone, Copy)]
pub struct Session {
    pub current: RwSignal<Option<SessionInfo>>,
    /// False until the first attempt to restore a session has finished.
    pub ready: RwSignal<bool>,
}

/// A hint (not a secret) that this browser may hold a refresh cookie, so anonymous visitors
/// are not sent on a refresh that can only fail.
const HINT_KEY: &str = "vern.session";

fn set_hint(on: bool) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = if on {
            storage.set_item(HINT_KEY, "1")
        } else {
            storage.remove_item(HINT_KEY)
        };
    }
}

fn has_hint() -> bool {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(HINT_KEY).ok().flatten())
        .is_some()
}

impl Session {
    /// Fetches who the token belongs to and keeps both.
    pub async fn establish(&self, access_token: String) -> Result<(), api::ApiError> {
        let me = api::me(&access_token).await?;
        self.current.set(Some(SessionInfo { access_token, me }));
        set_hint(true);
        Ok(())
    }

    /// Runs an API call with the access token; when the token has expired, renews it once
    /// through the refresh cookie and tries again.
    pub async fn authorized<T, F, Fut>(&self, call: F) -> Result<T, api::ApiError>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, api::ApiError>>,
    {
        let unauthenticated = || {
            api::ApiError::Problem(Box::new(vern_domain::problem::Problem::new(
                vern_domain::problem::ProblemCode::Unauthenticated,
            )))
        };
        let token = self
            .current
            .get_untracked()
            .map(|s| s.access_token)
            .ok_or_else(unauthenticated)?;
        match call(token).await {
            Err(api::ApiError::Problem(p))
                if p.code == vern_domain::problem::ProblemCode::Unauthenticated =>
            {
                let tokens = api::refresh().await?;
                self.establish(tokens.access_token.clone()).await?;
                call(tokens.access_token).await
            }
            other => other,
        }
    }

    /// Whether the logged-in user holds `permission` in `org` (reactive). The server decides;
    /// this only hides what would be refused.
    pub fn can(
        &self,
        org: vern_domain::OrganizationId,
        permission: vern_domain::access::Permission,
    ) -> bool {
        self.current.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.me.memberships
                    .iter()
                    .filter(|m| m.organization_id == org)
                    .any(|m| m.roles.iter().any(|r| r.grants(permission)))
            })
        })
    }

    /// The logged-in user's id (reactive).
    pub fn user_id(&self) -> Option<uuid::Uuid> {
        self.current.with(|s| s.as_ref().map(|s| s.me.user_id))
    }

    /// The user's organisations in which they hold `permission`, as (id, name).
    pub fn orgs_with(
        &self,
        permission: vern_domain::access::Permission,
    ) -> Vec<(vern_domain::OrganizationId, String)> {
        self.current.with(|s| {
            s.iter()
                .flat_map(|s| s.me.memberships.iter())
                .filter(|m| m.roles.iter().any(|r| r.grants(permission)))
                .map(|m| (m.organization_id, m.organization_name.clone()))
                .collect()
        })
    }

    pub async fn log_out(&self) {
        // Forget the session in this browser first: a reload or navigation while the
        // logout request is in flight must not try to restore a session being revoked.
        set_hint(false);
        if let Some(info) = self.current.get_untracked() {
            let _ = api::logout(&info.access_token).await;
        }
        self.current.set(None);
    }
}

pub fn provide_session() -> Session {
    let session = Session {
        current: RwSignal::new(None),
        ready: RwSignal::new(false),
    };
    provide_context(session);
    spawn_local(async move {
        if has_hint() {
            match api::refresh().await {
                Ok(tokens) => {
                    let _ = session.establish(tokens.access_token).await;
                }
                Err(_) => set_hint(false),
            }
        }
        session.ready.set(true);
    });
    session
}

pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| Session {
        current: RwSignal::new(None),
        ready: RwSignal::new(true),
    })
}
