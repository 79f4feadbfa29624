//! Server settings.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::budget::Limits;
use crate::error::{Error, Result};
use crate::keys::ApiKeys;
use crate::model::ModelHandle;

/// How long a connection may stay idle by default ([`ServerConfig::idle_timeout`]).
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Most connections open at once by default ([`ServerConfig::max_connections`]).
pub const DEFAULT_MAX_CONNECTIONS: usize = 10_000;

/// Everything `referee serve` is configured with.
///
/// ```no_run
/// # fn scorer() -> std::sync::Arc<dyn referee_serve::Scorer> { unimplemented!() }
/// use referee_serve::{ModelHandle, ServerConfig};
/// let config = ServerConfig::new(ModelHandle::fixed(scorer()))
///     .body_limit(64 * 1024)
///     .concurrency(8);
/// ```
#[derive(Clone)]
pub struct ServerConfig {
    pub(crate) model: Arc<ModelHandle>,
    pub(crate) api_keys: Option<ApiKeys>,
    pub(crate) suggestions: Option<PathBuf>,
    pub(crate) body_limit: usize,
    pub(crate) request_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) concurrency: usize,
    pub(crate) workers: usize,
    pub(crate) watch_interval: Duration,
    pub(crate) shutdown_grace: Duration,
    pub(crate) limits: Limits,
    pub(crate) idle_timeout: Duration,
    pub(crate) max_connections: usize,
    pub(crate) public_url: Option<String>,
}

impl ServerConfig {
    /// Serves `model`, with every other setting at its default.
    pub fn new(model: ModelHandle) -> ServerConfig {
        ServerConfig {
            model: Arc::new(model),
            api_keys: None,
            suggestions: None,
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(10),
            concurrency: 64,
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            watch_interval: Duration::from_secs(1),
            shutdown_grace: Duration::from_secs(10),
            limits: Limits::default(),
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            public_url: None,
        }
    }

    /// Requires one of these API keys on every API request. Default: no keys
    /// required.
    pub fn api_keys(mut self, keys: ApiKeys) -> Self {
        self.api_keys = Some(keys);
        self
    }

    /// Stores suggestions (`comments:suggestscore`) as labels under `dir`.
    /// Default: off; suggestions are acknowledged and not stored.
    pub fn suggestions(mut self, dir: impl Into<PathBuf>) -> Self {
        self.suggestions = Some(dir.into());
        self
    }

    /// Largest request body in bytes; larger ones get 413. Default: 1 MiB.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Longest a request may wait for and spend on scoring; past it the
    /// client gets 504. Default: 10 s.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Longest a client may take to send the request headers, and then the
    /// body; past it the connection is closed (headers) or 408 is sent
    /// (body). Default: 10 s.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Most requests admitted to scoring at once (running or waiting for a
    /// worker); more wait for admission, all within the request timeout.
    /// Default: 64.
    pub fn concurrency(mut self, jobs: usize) -> Self {
        self.concurrency = jobs;
        self
    }

    /// Most scoring jobs running at once (scoring is CPU-bound, so more than
    /// the cores only adds switching). Default: the number of cores.
    pub fn workers(mut self, threads: usize) -> Self {
        self.workers = threads;
        self
    }

    /// How often the model file is checked for changes. Default: 1 s.
    pub fn watch_interval(mut self, interval: Duration) -> Self {
        self.watch_interval = interval;
        self
    }

    /// How long open connections may finish after shutdown begins. Default: 10 s.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// Caps on what one request may ask for and the scoring work it may
    /// cause. Default: [`Limits::default`].
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Longest a connection may stay open with no request in progress and
    /// nothing received (before its first request, between keep-alive
    /// requests, an idle HTTP/2 connection); then it is closed. Default: 60 s.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Most connections open at once; past it, new connections wait in the
    /// listen backlog until one closes. Lowered at start to what the
    /// process's file-descriptor limit allows. Default: 10,000.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections;
        self
    }

    /// The address clients reach the server at (`https://referee.example.org`),
    /// written into the discovery document so that Google's client libraries
    /// call it. Default: the scheme and `Host` of the request for the document.
    pub fn public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = Some(url.into());
        self
    }

    /// The model handle being served.
    pub fn model(&self) -> &Arc<ModelHandle> {
        &self.model
    }

    /// Checks the settings.
    pub fn check(&self) -> Result<()> {
        let positive = |name: &'static str, ok: bool, value: String| {
            if ok {
                Ok(())
            } else {
                Err(Error::Config {
                    name,
                    message: format!("{value} must be positive"),
                })
            }
        };
        positive(
            "body_limit",
            self.body_limit > 0,
            self.body_limit.to_string(),
        )?;
        positive(
            "concurrency",
            self.concurrency > 0,
            self.concurrency.to_string(),
        )?;
        positive(
            "request_timeout",
            !self.request_timeout.is_zero(),
            format!("{:?}", self.request_timeout),
        )?;
        positive(
            "read_timeout",
            !self.read_timeout.is_zero(),
            format!("{:?}", self.read_timeout),
        )?;
        positive(
            "idle_timeout",
            !self.idle_timeout.is_zero(),
            format!("{:?}", self.idle_timeout),
        )?;
        positive(
            "max_connections",
            self.max_connections > 0,
            self.max_connections.to_string(),
        )?;
        if let Some(url) = &self.public_url {
            let scheme = url.split_once("://").map(|(s, rest)| (s, rest.is_empty()));
            if !matches!(scheme, Some(("http" | "https", false))) {
                return Err(Error::Config {
                    name: "public_url",
                    message: format!("{url:?} must be an http:// or https:// URL"),
                });
            }
        }
        let limits = &self.limits;
        for (name, value) in [
            ("max_attributes", limits.max_attributes as u64),
            ("max_context_entries", limits.max_context_entries as u64),
            ("max_span_sentences", limits.max_span_sentences as u64),
            ("max_work", limits.max_work),
            ("max_response_bytes", limits.max_response_bytes as u64),
        ] {
            positive(name, value > 0, value.to_string())?;
        }
        positive(
            "watch_interval",
            !self.watch_interval.is_zero(),
            format!("{:?}", self.watch_interval),
        )?;
        Ok(())
    }
}
