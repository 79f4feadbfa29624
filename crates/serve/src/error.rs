//! Errors: the crate's own [`Error`] and the Google-shaped [`ApiError`] that
//! every HTTP failure is answered with.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::path::PathBuf;

/// Errors of starting and running the server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file the server needs could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The model file could not be loaded.
    #[error("cannot load model {path}: {message}")]
    Model {
        /// The model file.
        path: PathBuf,
        /// Why it was refused.
        message: String,
    },
    /// The API key file has a line that is not a key.
    #[error("{path}:{line}: invalid api key {key:?} (keys are printable ASCII without spaces)")]
    ApiKey {
        /// The key file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The offending text.
        key: String,
    },
    /// A configuration value is out of range.
    #[error("invalid server setting {name}: {message}")]
    Config {
        /// Setting name.
        name: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A suggestion could not be stored.
    #[error("cannot store suggestion: {0}")]
    Labels(String),
    /// The listener failed.
    #[error("server i/o error: {0}")]
    Serve(#[source] std::io::Error),
}

/// Result of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// The canonical error codes of Google APIs that this server answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// 400: the request is malformed or asks for something unsupported.
    InvalidArgument,
    /// 403: missing or unknown API key, or a disabled feature.
    PermissionDenied,
    /// 404: no such method.
    NotFound,
    /// 413: the body is over the size limit.
    OutOfRange,
    /// 408/504: the client or the server took too long.
    DeadlineExceeded,
    /// 503: the server is overloaded or shutting down.
    Unavailable,
    /// 500: a bug or an i/o failure on the server.
    Internal,
}

/// An error answered to an HTTP client, in Google's JSON error shape:
/// `{"error":{"code":400,"message":"...","status":"INVALID_ARGUMENT"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status code.
    pub code: StatusCode,
    /// Google status name.
    pub status: Status,
    /// Human-readable message naming the offending value.
    pub message: String,
}

impl ApiError {
    /// A new error.
    pub fn new(code: StatusCode, status: Status, message: impl Into<String>) -> Self {
        ApiError {
            code,
            status,
            message: message.into(),
        }
    }

    /// 400 INVALID_ARGUMENT.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Status::InvalidArgument, message)
    }

    /// 403 PERMISSION_DENIED.
    pub fn denied(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, Status::PermissionDenied, message)
    }

    /// 500 INTERNAL.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, Status::Internal, message)
    }

    /// The JSON body of this error.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "code": self.code.as_u16(),
                "message": self.message,
                "status": self.status,
            }
        })
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {:?}: {}",
            self.code.as_u16(),
            self.status,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.code, axum::Json(self.body())).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_google_shape() {
        let e = ApiError::invalid("unknown attribute \"FOO\"");
        assert_eq!(
            e.body(),
            serde_json::json!({"error":{"code":400,"message":"unknown attribute \"FOO\"","status":"INVALID_ARGUMENT"}})
        );
        let e = ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, Status::OutOfRange, "x");
        assert_eq!(e.body()["error"]["status"], "OUT_OF_RANGE");
    }
}
