use actix_web::{get, web};
use utoipa_actix_web::service_config::ServiceConfig;
use vern_domain::access::auth::Me;
use vern_domain::problem::Problem;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(me);
}

/// Who the caller is: user, session, and the organisations and roles in force now.
#[utoipa::path(
    tag = "auth",
    operation_id = "get_me",
    summary = "The logged-in user and their roles",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "No valid access token (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> Result<web::Json<Me>, ApiError> {
    let user = vern_db::identity::find_user(&state.db.conn, auth.user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(Me {
        user_id: user.id,
        email: user.email,
        display_name: user.display_name,
        session_id: auth.session_id,
        memberships: auth.memberships,
    }))
}
