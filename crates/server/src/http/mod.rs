//! The HTTP surface: the JSON API under `/api`, its OpenAPI document, and the built SPA for
//! every other path.

mod admin;
mod audit;
pub mod auth;
mod awards;
mod blocs;
mod contract;
mod council;
mod council_error;
mod documents;
mod dossier;
pub mod error;
mod etag;
mod exports;
mod extract;
mod file_error;
mod files;
mod guard;
mod pages;
mod params;
mod revision_cache;
mod revisions;
mod sheets;
mod spa;
mod state;
mod units;
mod uploads;
mod vote_cards;
mod vote_error;
mod votes;
mod years;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Extension, Router};
use serde::Serialize;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::Error;
use error::Result;
pub use error::BODY_LIMIT;
use extract::Json;
pub use state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "thidua",
        description = "Public results of emulation blocs (khối thi đua): years, blocs, members, ranking, the acclaim vote, \
                       the award proposals derived from it by the award rules, and the decisions, once staff publish them; \
                       for signed-in staff and unit officers, the score sheets and their workflow; for staff, the award \
                       rules, the tally, overrides, publication and decisions, and the administration: years, units, \
                       blocs' set-up and criteria, accounts. \
                       Errors answer `ApiErrorBody`; clients rely on its `code`. \
                       Writes are same-site only: the session cookie is `SameSite=Strict` and CORS allows only GET and HEAD."
    ),
    modifiers(&SessionCookie),
    tags(
        (name = "years", description = "Emulation years"),
        (name = "blocs", description = "Emulation blocs, their members and results"),
        (name = "auth", description = "Signing in and out"),
        (name = "sheets", description = "Score sheets: self-assessment, verification and the workflow (signed in)"),
        (name = "awards", description = "Award rules, the acclaim-vote tally, overrides, publication and decisions (writes: staff)"),
        (name = "vote", description = "The conference's vote counted in the product: the printed ballot, voting cards, phone ballots, the clerks' paper entries, closing into the tally (staff and the bloc leader's officer; casting: a card's code)"),
        (name = "files", description = "Evidence files on score sheets: resumable uploads (tus 1.0), the files, the dossiers as ZIP (signed in: who reads the sheet)"),
        (name = "documents", description = "The year's documents from the data, as Word and PDF: the bloc conference's minutes and proposal letter (staff and the bloc leader's officer), a unit's achievement report (who reads its sheet)"),
        (name = "council", description = "The provincial Council's list for a year: every bloc's published proposals by award type, the Council's outcome per proposal, a decision from an approved one, the list as Word and PDF (staff)"),
        (name = "units", description = "A unit's record across the published years"),
        (name = "audit", description = "Every audited change: sheets, awards and revisions, administration (staff; officers their unit's sheets)"),
        (name = "admin", description = "Staff administration: years, units, blocs' set-up and criteria, accounts (staff only)"),
        (name = "meta", description = "Health and this document"),
    )
)]
struct ApiDoc;

/// The `session_cookie` security scheme that signed-in endpoints name.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                auth::SESSION_COOKIE,
                "Set by `POST /api/auth/login`; HttpOnly, SameSite=Strict, 8 hours",
            ))),
        );
    }
}

/// The whole application: API, OpenAPI document and SPA.
pub fn router(state: AppState) -> Router {
    let (api, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(openapi_json))
        .routes(routes!(years::list_years))
        .routes(routes!(blocs::list_blocs))
        .routes(routes!(blocs::bloc_detail))
        // Public, but staff see unpublished results too: these set their own caching headers.
        .routes(routes!(blocs::bloc_results))
        .routes(routes!(revisions::list_revisions))
        .routes(routes!(revisions::get_revision))
        .routes(routes!(revisions::diff_revisions))
        .routes(routes!(exports::results_csv))
        .routes(routes!(exports::results_xlsx))
        .routes(routes!(awards::list_award_types, awards::create_award_type))
        .routes(routes!(units::history))
        // A public read API: the SPA may be served from another origin. Only public reads
        // cross origins (no credentials, GET and HEAD); the private answers below never do.
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::HEAD]).allow_headers(Any))
        // Outside the CORS layer, so that it sees (and can take away) what that one added.
        .layer(middleware::from_fn(guard::cors_on_public_reads_only))
        .merge(
            // Personal data: never stored by any cache.
            OpenApiRouter::new()
                .routes(routes!(auth::login))
                .routes(routes!(auth::logout))
                .routes(routes!(auth::me))
                .routes(routes!(sheets::list_sheets))
                .routes(routes!(sheets::get_sheet))
                .routes(routes!(sheets::put_self))
                .routes(routes!(sheets::put_verification))
                .routes(routes!(sheets::submit))
                .routes(routes!(sheets::return_sheet))
                .routes(routes!(sheets::approve))
                .routes(routes!(awards::update_award_type))
                .routes(routes!(awards::put_tally))
                .routes(routes!(awards::put_override))
                .routes(routes!(awards::delete_override))
                .routes(routes!(awards::publish))
                .routes(routes!(awards::unpublish))
                .routes(routes!(awards::put_decision, awards::delete_decision))
                .routes(routes!(votes::get_ballot))
                .routes(routes!(votes::get_vote, votes::open_vote, votes::cancel_vote))
                .routes(routes!(votes::more_cards))
                .routes(routes!(votes::void_card))
                .routes(routes!(votes::put_paper))
                .routes(routes!(votes::close_vote))
                .routes(routes!(vote_cards::card_ballot))
                .routes(routes!(vote_cards::cast))
                .routes(routes!(admin::years::list_years, admin::years::create_year))
                .routes(routes!(admin::years::update_year))
                .routes(routes!(admin::blocs::create_bloc))
                .routes(routes!(admin::blocs::get_bloc, admin::blocs::put_bloc, admin::blocs::delete_bloc))
                .routes(routes!(admin::criteria::put_criteria))
                .routes(routes!(admin::criteria::criteria_csv))
                .routes(routes!(admin::criteria::import_criteria))
                .routes(routes!(admin::units::list_units, admin::units::create_unit))
                .routes(routes!(admin::units::rename_unit))
                .routes(routes!(admin::units::end_unit))
                .routes(routes!(admin::users::list_users, admin::users::create_user))
                .routes(routes!(admin::users::update_user))
                .routes(routes!(admin::users::reset_password))
                .routes(routes!(audit::list_audit))
                .routes(routes!(audit::audit_csv))
                .routes(routes!(files::list_files))
                .routes(routes!(files::get_file, files::delete_file))
                .routes(routes!(dossier::sheet_dossier))
                .routes(routes!(dossier::bloc_dossiers))
                .routes(routes!(documents::bloc_document))
                .routes(routes!(documents::sheet_document))
                .routes(routes!(council::get_council))
                .routes(routes!(council::put_outcome, council::delete_outcome))
                .routes(routes!(council::post_decision))
                .routes(routes!(council::council_document))
                .merge(
                    OpenApiRouter::new()
                        .routes(routes!(uploads::tus_options))
                        .routes(routes!(uploads::create_upload))
                        .routes(routes!(uploads::upload_offset, uploads::upload_bytes, uploads::cancel_upload))
                        .layer(SetResponseHeaderLayer::overriding(
                            HeaderName::from_static("tus-resumable"),
                            HeaderValue::from_static(uploads::TUS_VERSION),
                        )),
                )
                .layer(SetResponseHeaderLayer::overriding(CACHE_CONTROL, HeaderValue::from_static("no-store"))),
        )
        // A write anywhere (the award types' POST sits with their public list) may have stored
        // a new revision or changed what a kept page shows: read again.
        .layer(middleware::from_fn_with_state(state.clone(), revisions::forget_after_writes))
        .split_for_parts();
    // After the routes: these read every operation and schema the routes brought in.
    contract::CommonAnswers.modify(&mut doc);
    contract::CrossFieldRules.modify(&mut doc);
    contract::UnsignedIntegers.modify(&mut doc);
    contract::AnswerBounds.modify(&mut doc);
    let api = api
        // Any other /api path is an API 404, never the SPA's index.html.
        .route("/api", any(api_not_found))
        .route("/api/", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        // Applies to the routes above, so it must come after them.
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(guard::refuse_large_bodies))
        .layer(Extension(Arc::new(doc)))
        .with_state(state.clone())
        // Data changes as sheets are scored: clients revalidate every time.
        .layer(SetResponseHeaderLayer::if_not_present(CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        // JSON never loads anything, so nothing may be loaded in its name (a served evidence
        // file sets its own, as strict: `files::FILE_CSP`).
        .layer(SetResponseHeaderLayer::if_not_present(CONTENT_SECURITY_POLICY, guard::API_CSP));

    let spa = spa::service(&state.static_dir, api.clone(), state.revisions.clone())
        .layer(SetResponseHeaderLayer::overriding(CONTENT_SECURITY_POLICY, guard::page_csp(&state.static_dir)));
    // Metrics on this listener only with a token; otherwise the path names nothing here.
    crate::metrics::handle();
    let metrics = match &state.metrics_token {
        Some(token) => metrics_router(crate::metrics::Access::with_token(token, state.db.clone())),
        None => Router::new().route("/metrics", any(api_not_found)),
    };
    Router::new()
        .merge(api)
        .merge(metrics)
        .fallback_service(spa)
        // Skips responses that are already encoded (the precompressed assets) or partial, and
        // the evidence files and dossiers, which are compressed already (ZIP, PDF, office files;
        // images are skipped by default).
        .layer(
            CompressionLayer::new().compress_when(
                DefaultPredicate::new()
                    .and(NotForContentType::const_new("application/zip"))
                    .and(NotForContentType::const_new("application/pdf"))
                    .and(NotForContentType::const_new("application/vnd.")),
            ),
        )
        .layer(middleware::from_fn_with_state(state.clone(), guard::request_timeout))
        .layer(middleware::from_fn(guard::same_origin_writes))
        .layer(middleware::from_fn_with_state(state, guard::browser_headers))
        .layer(SetResponseHeaderLayer::overriding(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(middleware::from_fn(crate::metrics::track))
        .layer(TraceLayer::new_for_http())
}

/// `GET /metrics` alone: the metrics listener's whole application, or the route on the main
/// one when a token guards it.
pub fn metrics_router(access: crate::metrics::Access) -> Router {
    Router::new().route("/metrics", get(crate::metrics::scrape)).with_state(access)
}

/// How long the health check waits for the database (a probe's own timeout is often 5 s).
const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the server and its database answer.
    #[schema(example = "ok")]
    status: &'static str,
}

/// Readiness, for a load balancer: 200 only while this server reaches its database, 503
/// `unavailable` otherwise (waiting at most a few seconds), so traffic goes to another instance.
#[utoipa::path(
    get,
    path = "/api/health",
    tag = "meta",
    responses(
        (status = 200, description = "The server and its database answer", body = Health),
        (status = 503, description = "`unavailable`: the database does not answer", body = thidua_domain::error::ApiErrorBody),
    )
)]
async fn health(State(state): State<AppState>) -> Result<Json<Health>> {
    let ping = sqlx::query("SELECT 1").execute(&state.db);
    match tokio::time::timeout(HEALTH_TIMEOUT, ping).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health: the database does not answer");
            return Err(Error::Unavailable);
        }
        Err(_) => {
            tracing::warn!("health: the database did not answer within {HEALTH_TIMEOUT:?}");
            return Err(Error::Unavailable);
        }
    }
    Ok(Json(Health { status: "ok" }))
}

/// This OpenAPI document, generated from the handlers and types.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json"))
)]
async fn openapi_json(Extension(doc): Extension<Arc<OpenApiDoc>>) -> Response {
    Json(doc.as_ref()).into_response()
}

async fn api_not_found() -> Error {
    Error::NotFound
}

async fn method_not_allowed() -> Error {
    Error::MethodNotAllowed
}
