//! The Comment Analyzer discovery document, which Google's discovery-based
//! client libraries read to build their client
//! (`discovery.build("commentanalyzer", "v1alpha1", discoveryServiceUrl=…)`),
//! served with this server's own address as its root so that the calls
//! come back here. The document and its licence notice are in
//! `src/discovery/`.

use std::sync::LazyLock;

use axum::http::{header, HeaderMap, Uri};
use serde_json::Value;

use crate::error::ApiError;

/// The API the document describes.
pub const API: &str = "commentanalyzer";
/// Its version.
pub const VERSION: &str = "v1alpha1";

static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("discovery/commentanalyzer-v1alpha1.json"))
        .expect("the discovery document is valid JSON")
});

/// The discovery document with `root` (`http://host:port`, no trailing
/// slash) as its `rootUrl` and `baseUrl`.
pub fn document(root: &str) -> Value {
    let mut document = DOCUMENT.clone();
    let url = Value::String(format!("{root}/"));
    document["rootUrl"] = url.clone();
    document["baseUrl"] = url;
    document
}

/// The address a client reached the server at: `public_url` when set, else
/// the request's `Host` (or HTTP/2 authority) with `http`, or the scheme a
/// proxy names in `X-Forwarded-Proto`.
pub fn root_url(
    public_url: Option<&str>,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<String, ApiError> {
    if let Some(url) = public_url {
        return Ok(url.trim_end_matches('/').to_owned());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()))
        .ok_or_else(|| {
            ApiError::invalid("the request has no Host header; start the server with --public-url")
        })?;
    let valid = !host.is_empty()
        && host.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']' | b'_')
        });
    if !valid {
        return Err(ApiError::invalid(format!("invalid Host header {host:?}")));
    }
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    Ok(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_points_back_at_the_server() {
        let doc = document("http://127.0.0.1:8080");
        assert_eq!(doc["rootUrl"], "http://127.0.0.1:8080/");
        assert_eq!(doc["baseUrl"], "http://127.0.0.1:8080/");
        assert_eq!(doc["name"], API);
        assert_eq!(doc["version"], VERSION);
        let methods = &doc["resources"]["comments"]["methods"];
        assert_eq!(methods["analyze"]["path"], "v1alpha1/comments:analyze");
        assert_eq!(
            methods["suggestscore"]["request"]["$ref"],
            "SuggestCommentScoreRequest"
        );
        for schema in doc["schemas"].as_object().unwrap().values() {
            for property in schema["properties"].as_object().unwrap().values() {
                let target = property["$ref"]
                    .as_str()
                    .or(property["items"]["$ref"].as_str())
                    .or(property["additionalProperties"]["$ref"].as_str());
                if let Some(target) = target {
                    assert!(doc["schemas"].get(target).is_some(), "{target}");
                }
            }
        }
    }

    #[test]
    fn the_root_is_the_public_url_or_the_host_asked_for() {
        let uri: Uri = "/$discovery/rest?version=v1alpha1".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "referee.internal:8080".parse().unwrap());
        assert_eq!(
            root_url(None, &headers, &uri).unwrap(),
            "http://referee.internal:8080"
        );
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(
            root_url(None, &headers, &uri).unwrap(),
            "https://referee.internal:8080"
        );
        assert_eq!(
            root_url(Some("https://api.example.org/"), &headers, &uri).unwrap(),
            "https://api.example.org"
        );
        headers.insert(header::HOST, "evil.example/x?".parse().unwrap());
        assert_eq!(root_url(None, &headers, &uri).unwrap_err().code, 400);
    }
}
