//! `referee serve`: a self-hosted, drop-in replacement for Google's
//! Perspective API (Comment Analyzer v1alpha1), answered by referee's
//! models, plus referee's own JSON Lines endpoint.
//!
//! - `POST /v1alpha1/comments:analyze` and `POST /v1alpha1/comments:suggestscore`:
//!   Perspective's requests and responses ([`perspective`]); attributes map
//!   to referee's labels ([`attributes::ATTRIBUTES`]).
//! - `POST /v1/score`: JSON Lines in, one scored comment per line out.
//! - `GET /healthz`, `GET /v1/model`, `GET /metrics`.
//!
//! Every response carries `x-referee-model-version`. A refitted model file is
//! picked up without a restart ([`ModelHandle`]).
//!
//! Decoding is a pure function, so it can be checked without a server:
//!
//! ```
//! use referee_serve::budget::Limits;
//! use referee_serve::perspective::decode_analyze;
//!
//! let body = br#"{"comment":{"text":"<b>You</b> fool","type":"HTML"},
//!                 "requestedAttributes":{"TOXICITY":{}}}"#;
//! let limits = Limits::default();
//! let request = decode_analyze(body, &limits).unwrap();
//! assert_eq!(request.text, "You fool");
//!
//! let err = decode_analyze(br#"{"comment":{"text":"hi"},"requestedAttributes":{"NOPE":{}}}"#, &limits)
//!     .unwrap_err();
//! assert_eq!(err.body()["error"]["status"], "INVALID_ARGUMENT");
//! ```
#![deny(missing_docs)]

pub mod analysis;
pub mod attributes;
pub mod budget;
mod config;
mod connection;
pub mod context;
pub mod discovery;
mod error;
pub mod fields;
mod json;
mod keys;
mod metrics;
mod model;
mod params;
pub mod perspective;
mod routes;
mod server;
mod suggestions;
pub mod text;

pub use budget::Limits;
pub use config::{ServerConfig, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS};
pub use connection::raise_fd_limit;
pub use error::{ApiError, Error, Result, Status};
pub use keys::ApiKeys;
pub use metrics::Metrics;
pub use model::{model_file_loader, Loader, ModelHandle, Reload, Scorer, Served};
pub use routes::{router, AppState, MODEL_VERSION_HEADER, SUGGESTION_STORED_HEADER};
pub use server::{serve, shutdown_signal};
pub use suggestions::{Stored, SuggestionStore, SUGGESTION_AUTHOR};
