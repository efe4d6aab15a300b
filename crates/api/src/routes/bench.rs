//! The ceiling for `just bench`: a handler that does no work beyond actix itself, compiled
//! into the same binary and mounted only with `VERN_BENCH_ENDPOINTS=true`. Every benchmark
//! reports its share of this figure from the same run.

use actix_web::{HttpResponse, web};

pub fn mount(cfg: &mut web::ServiceConfig) {
    cfg.route("/__bench/bare", web::get().to(bare));
}

async fn bare() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"{"status":"ok"}"#)
}
