//! The HTTP API: routes, handlers and the middleware around them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{MatchedPath, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::BodyExt;
use tokio::sync::Semaphore;

use crate::analysis::score_analyze;
use crate::budget::{thread_work, Budget, Cancel, Limits};
use crate::config::ServerConfig;
use crate::discovery;
use crate::error::{ApiError, Result, Status};
use crate::keys::{request_key, ApiKeys};
use crate::metrics::Metrics;
use crate::model::{ModelHandle, Served};
use crate::params::Rendering;
use crate::perspective::{decode_analyze, decode_suggest, SuggestResponse};
use crate::suggestions::SuggestionStore;

/// What a handler answers: a response, or an error in Google's shape.
type ApiResult<T> = std::result::Result<T, ApiError>;

/// Header carrying the version of the model that answered.
pub const MODEL_VERSION_HEADER: HeaderName = HeaderName::from_static("x-referee-model-version");
/// Header telling whether a suggestion was stored (`true`/`false`).
pub const SUGGESTION_STORED_HEADER: HeaderName =
    HeaderName::from_static("x-referee-suggestion-stored");

/// Route paths.
mod path {
    pub const ANALYZE: &str = "/v1alpha1/comments:analyze";
    pub const SUGGEST: &str = "/v1alpha1/comments:suggestscore";
    pub const SCORE: &str = "/v1/score";
    pub const MODEL: &str = "/v1/model";
    pub const HEALTH: &str = "/healthz";
    pub const METRICS: &str = "/metrics";
    /// Where Google's client libraries look for the discovery document
    /// (`?version=v1alpha1`), `$` as sent or percent-encoded.
    pub const DISCOVERY: &str = "/$discovery/rest";
    pub const DISCOVERY_ENCODED: &str = "/%24discovery/rest";
    /// The discovery service's own path for the document.
    pub const DISCOVERY_V1: &str = "/discovery/v1/apis/commentanalyzer/v1alpha1/rest";
}

/// The shared state of one server: model, keys, suggestion store, metrics
/// and limits.
pub struct AppState {
    model: Arc<ModelHandle>,
    keys: Option<ApiKeys>,
    store: Option<Arc<SuggestionStore>>,
    metrics: Metrics,
    admitted: Arc<Semaphore>,
    workers: Arc<Semaphore>,
    body_limit: usize,
    request_timeout: Duration,
    read_timeout: Duration,
    limits: Limits,
    public_url: Option<String>,
}

impl AppState {
    /// Checks `config` and opens what it names (the suggestion directory).
    pub fn new(config: &ServerConfig) -> Result<Arc<AppState>> {
        config.check()?;
        let store = config
            .suggestions
            .as_deref()
            .map(SuggestionStore::open)
            .transpose()?
            .map(Arc::new);
        Ok(Arc::new(AppState {
            model: config.model.clone(),
            keys: config.api_keys.clone(),
            store,
            metrics: Metrics::default(),
            admitted: Arc::new(Semaphore::new(config.concurrency)),
            workers: Arc::new(Semaphore::new(config.workers)),
            body_limit: config.body_limit,
            request_timeout: config.request_timeout,
            read_timeout: config.read_timeout,
            limits: config.limits.clone(),
            public_url: config.public_url.clone(),
        }))
    }

    /// The served model.
    pub fn model(&self) -> &Arc<ModelHandle> {
        &self.model
    }

    /// The server's metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Reads the whole body within the size limit and the read timeout. A
    /// body declared larger than the limit (`Content-Length`) is refused
    /// before any of it is read.
    async fn read_body(&self, body: Body) -> ApiResult<Bytes> {
        if body.size_hint().lower() > self.body_limit as u64 {
            return Err(self.too_large());
        }
        let limited = http_body_util::Limited::new(body, self.body_limit);
        match tokio::time::timeout(self.read_timeout, limited.collect()).await {
            Err(_) => Err(ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                Status::DeadlineExceeded,
                format!(
                    "request body not received within {} s",
                    self.read_timeout.as_secs_f64()
                ),
            )),
            Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(self.too_large()),
            Ok(Err(e)) => Err(ApiError::invalid(format!("cannot read request body: {e}"))),
            Ok(Ok(collected)) => Ok(collected.to_bytes()),
        }
    }

    fn too_large(&self) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            Status::OutOfRange,
            format!(
                "request body is larger than the limit of {} bytes",
                self.body_limit
            ),
        )
    }

    /// Runs CPU-bound work on the blocking pool within the request timeout
    /// (504 past it): at most `concurrency` jobs admitted, of which at most
    /// `workers` run at once. The job is handed the request's [`Cancel`],
    /// which trips at the deadline or when the request is dropped, so it
    /// stops at its next check and frees its worker.
    /// The permits travel with the job until it ends.
    async fn run_scoring<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Cancel) -> T + Send + 'static,
    ) -> ApiResult<T> {
        let timeout = self.request_timeout;
        let cancel = Cancel::at(Instant::now() + timeout);
        let _stop_when_dropped = cancel.on_drop();
        let closed = |_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                Status::Unavailable,
                "server is shutting down",
            )
        };
        let work = async {
            let admitted = self
                .admitted
                .clone()
                .acquire_owned()
                .await
                .map_err(closed)?;
            let worker = self.workers.clone().acquire_owned().await.map_err(closed)?;
            // Admitted too late to be of use?
            cancel.check()?;
            let cancel = cancel.clone();
            tokio::task::spawn_blocking(move || {
                let _permits = (admitted, worker);
                job(&cancel)
            })
            .await
            .map_err(|e| ApiError::internal(format!("scoring failed: {e}")))
        };
        match tokio::time::timeout(timeout, work).await {
            Ok(result) => result,
            Err(_) => Err(ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                Status::DeadlineExceeded,
                format!("scoring did not finish within {} s", timeout.as_secs_f64()),
            )),
        }
    }
}

/// The router of the whole API, for [`crate::serve`] or for driving
/// in-process (`tower::ServiceExt::oneshot`).
pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route(path::ANALYZE, post(analyze))
        .route(path::SUGGEST, post(suggest))
        .route(path::SCORE, post(score))
        .route(path::MODEL, get(model_card))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_key));
    Router::new()
        .merge(api)
        .route(path::HEALTH, get(health))
        .route(path::METRICS, get(metrics))
        .route(path::DISCOVERY, get(discovery_document))
        .route(path::DISCOVERY_ENCODED, get(discovery_document))
        .route(path::DISCOVERY_V1, get(discovery_document))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Refuses API requests without a configured key (403 PERMISSION_DENIED).
async fn require_key(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if let Some(keys) = &state.keys {
        let header = req
            .headers()
            .get("x-goog-api-key")
            .and_then(|v| v.to_str().ok());
        let key = request_key(req.uri().query(), header);
        if !key.is_some_and(|k| keys.allows(&k)) {
            return ApiError::denied("the request is missing a valid API key").into_response();
        }
    }
    next.run(req).await
}

/// Logs and counts every request, and stamps the model version on every
/// response that does not carry it yet.
async fn observe(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_name(
        req.extensions()
            .get::<MatchedPath>()
            .map(MatchedPath::as_str),
    );
    let method = req.method().clone();
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if !headers.contains_key(&MODEL_VERSION_HEADER) {
        headers.insert(MODEL_VERSION_HEADER, state.model.current().header.clone());
    }
    let status = response.status().as_u16();
    let latency = started.elapsed();
    state.metrics.observe_request(route, status, latency);
    tracing::info!(
        target: "referee_serve::access",
        %method,
        route,
        status,
        micros = latency.as_micros() as u64,
        "request"
    );
    response
}

fn route_name(matched: Option<&str>) -> &'static str {
    match matched {
        Some(path::ANALYZE) => path::ANALYZE,
        Some(path::SUGGEST) => path::SUGGEST,
        Some(path::SCORE) => path::SCORE,
        Some(path::MODEL) => path::MODEL,
        Some(path::HEALTH) => path::HEALTH,
        Some(path::METRICS) => path::METRICS,
        Some(path::DISCOVERY | path::DISCOVERY_ENCODED | path::DISCOVERY_V1) => path::DISCOVERY,
        _ => "other",
    }
}

fn with_version(served: &Served, response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response
        .headers_mut()
        .insert(MODEL_VERSION_HEADER, served.header.clone());
    response
}

/// `POST /v1alpha1/comments:analyze`.
async fn analyze(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    let rendering = Rendering::from_query(query.as_deref())?;
    let bytes = state.read_body(body).await?;
    let served = state.model.current();
    let scorer = served.scorer.clone();
    let limits = state.limits.clone();
    let (response, action) = state
        .run_scoring(move |cancel| {
            let request = decode_analyze(&bytes, &limits)?;
            tracing::trace!(text = %request.text, "analyze");
            let mut budget = Budget::new(&limits, cancel.clone());
            score_analyze(&*scorer, request, &limits, &mut budget)
        })
        .await??;
    if let Some(action) = action {
        state.metrics.observe_action(action);
    }
    Ok(with_version(&served, rendering.render(&response)?))
}

/// `POST /v1alpha1/comments:suggestscore`.
async fn suggest(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    let rendering = Rendering::from_query(query.as_deref())?;
    let bytes = state.read_body(body).await?;
    let request = decode_suggest(&bytes, &state.limits)?;
    let response = SuggestResponse {
        client_token: request.client_token.clone(),
        requested_languages: request.languages.clone(),
    };
    let stored = match state.store.clone() {
        None => false,
        Some(store) => {
            let stored = state
                .run_scoring(move |_| store.store(&request))
                .await?
                .map_err(|e| {
                    tracing::error!(error = %e, "cannot store suggestion");
                    ApiError::internal("cannot store the suggestion; see the server log")
                })?;
            tracing::info!(thread = %stored.thread, labels = %stored.labels, "suggestion stored");
            true
        }
    };
    let mut response = rendering.render(&response)?;
    response.headers_mut().insert(
        SUGGESTION_STORED_HEADER,
        HeaderValue::from_static(if stored { "true" } else { "false" }),
    );
    Ok(response)
}

/// `POST /v1/score`: JSON Lines in (comments or threads), one JSON line per
/// comment out.
async fn score(State(state): State<Arc<AppState>>, body: Body) -> ApiResult<Response> {
    let bytes = state.read_body(body).await?;
    let served = state.model.current();
    let scorer = served.scorer.clone();
    let limits = state.limits.clone();
    let (out, actions) = state
        .run_scoring(move |cancel| -> ApiResult<_> {
            let text = std::str::from_utf8(&bytes).map_err(|e| {
                ApiError::invalid(format!(
                    "request body: invalid utf-8 at byte {}",
                    e.valid_up_to()
                ))
            })?;
            let threads = referee_thread::read_str(
                "request body",
                text,
                Some(referee_thread::InputFormat::Jsonl),
            )
            .map_err(|e| ApiError::invalid(e.to_string()))?;
            let mut budget = Budget::new(&limits, cancel.clone());
            let work = threads.iter().map(thread_work).sum();
            budget.plan(work, || {
                let comments: usize = threads.iter().map(|t| t.comments.len()).sum();
                format!("{} threads, {comments} comments", threads.len())
            })?;
            let mut out = Vec::with_capacity(bytes.len());
            let mut actions = Vec::new();
            for thread in &threads {
                budget.charge(thread_work(thread))?;
                for score in scorer.score_thread(thread) {
                    actions.push(score.action.as_str());
                    serde_json::to_writer(&mut out, &score)
                        .map_err(|e| ApiError::internal(e.to_string()))?;
                    out.push(b'\n');
                }
                limits.check_response(out.len(), "send fewer comments per request")?;
            }
            Ok((out, actions))
        })
        .await??;
    for action in actions {
        state.metrics.observe_action(action);
    }
    let response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-ndjson"),
        )],
        out,
    );
    Ok(with_version(&served, response))
}

/// `GET /v1/model`: version, checksum and model card.
async fn model_card(State(state): State<Arc<AppState>>) -> Response {
    let served = state.model.current();
    let body = serde_json::json!({
        "version": served.version,
        "checksum": served.scorer.checksum(),
        "path": state.model.path().map(|p| p.display().to_string()),
        "card": served.scorer.card(),
    });
    with_version(&served, Json(body))
}

/// `GET /$discovery/rest?version=v1alpha1` and the discovery service's
/// path: the API's discovery document, rooted at this server.
async fn discovery_document(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let version = uri.query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(name, _)| name == "version")
            .map(|(_, value)| value.into_owned())
    });
    if uri.path() != path::DISCOVERY_V1
        && version.as_deref().is_some_and(|v| v != discovery::VERSION)
    {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            Status::NotFound,
            format!(
                "no discovery document for {} version {}",
                discovery::API,
                version.unwrap_or_default()
            ),
        ));
    }
    let root = discovery::root_url(state.public_url.as_deref(), &headers, &uri)?;
    Rendering::from_query(uri.query())?.render(&discovery::document(&root))
}

/// `GET /healthz`.
async fn health(State(state): State<Arc<AppState>>) -> Response {
    let served = state.model.current();
    with_version(
        &served,
        Json(serde_json::json!({"status": "ok", "model": served.version})),
    )
}

/// `GET /metrics`: Prometheus text format.
async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let served = state.model.current();
    let body = state.metrics.render(&served.version);
    with_version(
        &served,
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            )],
            body,
        ),
    )
}

async fn not_found(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        Status::NotFound,
        format!("no such method: {}", req.uri().path()),
    )
}

async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        Status::NotFound,
        format!("{} is not allowed on {}", req.method(), req.uri().path()),
    )
}
