use actix_web::{HttpResponse, get, web};
use vern_domain::service::{Health, HealthState};

use crate::startup::AppState;

/// Health of the server and its database
///
/// Liveness and readiness in one: 200 when the server and its database answer, 503 (with the
/// same body, `status: degraded`) when the database does not.
#[utoipa::path(
    tag = "service",
    operation_id = "get_health",
    security(()),
    responses(
        (status = 200, description = "Vern and its database answer", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    )
)]
#[get("/api/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let ok = vern_db::connection::ping(&state.db).await;
    let body = Health {
        status: if ok {
            HealthState::Ok
        } else {
            HealthState::Degraded
        },
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: state.db.backend.kind(),
    };
    if ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
