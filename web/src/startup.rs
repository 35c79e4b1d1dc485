//! Builds the router and runs the server (graceful shutdown on SIGTERM and
//! Ctrl-C, which is how ECS and a terminal stop it).

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use axum::routing::{get, post, put};
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use tower_http::set_header::SetResponseHeaderLayer;

use axum::extract::DefaultBodyLimit;

use crate::html::{CSS_URL, SCAN_JS_URL, scan_script, stylesheet};
use crate::routes::pages::{
    boxes, dashboard, labels, login, projects, scan, shops, spare, transfer,
};
use crate::routes::{api, health, pages};
use crate::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Requests taking longer are answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole application, ready for `oneshot` tests or a listener.
pub fn app(state: AppState) -> Router {
    let trace = TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
        let id = req
            .headers()
            .get(&REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_owned();
        tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
    });
    Router::new()
        .route("/", get(pages::list::list))
        .route("/new", get(spare::new_form).post(spare::create))
        .route("/s/{id}", get(spare::show))
        .route("/s/{id}/stock", post(spare::stock))
        .route("/s/{id}/edit", get(spare::edit_form).post(spare::update))
        .route("/s/{id}/delete", get(spare::confirm_delete).post(spare::delete))
        .route("/boxes", get(boxes::list).post(boxes::create))
        .route("/b/{code}", get(boxes::show))
        .route("/b/{code}/edit", post(boxes::rename))
        .route("/b/{code}/move", post(boxes::move_parts))
        .route("/b/{code}/delete", post(boxes::delete))
        .route("/shops", get(shops::list).post(shops::create))
        .route("/shops/{name}/edit", post(shops::update))
        .route("/dashboard", get(dashboard::show))
        .route("/labels", get(labels::print_page))
        .route("/labels.pdf", get(labels::download_pdf))
        .route("/labels.png", get(labels::download_png))
        .route("/b/{code}/label.svg", get(labels::box_svg))
        .route("/s/{id}/label.svg", get(labels::spare_svg))
        .route(
            "/import",
            get(transfer::form)
                .post(transfer::import)
                .layer(DefaultBodyLimit::max(transfer::MAX_UPLOAD)),
        )
        .route("/export.csv", get(transfer::export))
        .route(
            "/scan",
            get(scan::form)
                .post(scan::photo)
                .layer(DefaultBodyLimit::max(scan::MAX_PHOTO + 64 * 1024)),
        )
        .route("/scan/code", get(scan::code))
        .route("/projects", get(projects::form))
        .route(
            "/projects/check",
            post(projects::check).layer(DefaultBodyLimit::max(projects::MAX_UPLOAD + 64 * 1024)),
        )
        .route("/projects/{id}", get(projects::show))
        .route(
            "/projects/{id}/design",
            get(projects::design_form)
                .post(projects::replace)
                .layer(DefaultBodyLimit::max(projects::MAX_UPLOAD + 64 * 1024)),
        )
        .route("/projects/{id}/rename", post(projects::rename))
        .route("/projects/{id}/choose", post(projects::choose))
        .route("/projects/{id}/build", post(projects::build))
        .route("/projects/{id}/delete", post(projects::delete))
        .route("/projects/{id}/shopping", get(projects::shopping))
        .route("/builds/{id}/undo", post(projects::undo))
        .route("/login", get(login::form).post(login::login))
        .route("/logout", post(login::logout))
        .route(CSS_URL.as_str(), get(stylesheet))
        .route(SCAN_JS_URL.as_str(), get(scan_script))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/api/spares", get(api::spares::search_spares).post(api::spares::create))
        .route(
            "/api/spares/{id}",
            get(api::spares::get_spare)
                .patch(api::spares::patch)
                .delete(api::spares::delete),
        )
        .route(
            "/api/locations",
            get(api::places::list_locations).post(api::places::create_location),
        )
        .route(
            "/api/locations/{code}",
            get(api::places::get_location)
                .patch(api::places::patch_location)
                .delete(api::places::delete_location),
        )
        .route("/api/shops", get(api::places::list_shops).post(api::places::create_shop))
        .route(
            "/api/shops/{name}",
            get(api::places::get_shop)
                .patch(api::places::patch_shop)
                .delete(api::places::delete_shop),
        )
        .route("/api/spares/{id}/adjust", axum::routing::post(api::spares::adjust))
        .route(
            "/api/projects",
            get(api::projects::list).post(api::projects::create).layer(DefaultBodyLimit::max(
                projects::MAX_UPLOAD + 64 * 1024,
            )),
        )
        .route(
            "/api/projects/{id}",
            get(api::projects::get)
                .patch(api::projects::patch)
                .delete(api::projects::delete),
        )
        .route(
            "/api/projects/{id}/design",
            put(api::projects::replace_design)
                .layer(DefaultBodyLimit::max(projects::MAX_UPLOAD + 64 * 1024)),
        )
        .route("/api/projects/{id}/check", get(api::projects::check))
        .route("/api/projects/{id}/build", post(api::projects::build))
        .route("/api/projects/{id}/shopping", get(api::projects::shopping_list))
        .route("/api/builds/{id}/undo", post(api::projects::undo))
        .with_state(state.clone())
        .layer(DefaultBodyLimit::max(crate::extract::MAX_JSON_BODY))
        // Nothing the app answers may be kept by a browser or a proxy unless
        // the route says so (the hashed stylesheet): pages show signed-in
        // views and downloads carry the inventory.
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(axum::middleware::from_fn_with_state(state, strict_transport))
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(trace)
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
}

/// Over https (the public URL is https, or the proxy says so), tells
/// browsers to use https only from now on.
async fn strict_transport(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let https = crate::auth::extract::is_https(&state.auth, request.headers());
    let mut response = next.run(request).await;
    if https {
        response.headers_mut().insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// Serves until SIGTERM or Ctrl-C, then finishes requests in flight. Each
/// request knows its peer's address (sign-in limits, logs).
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
