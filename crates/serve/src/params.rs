//! The standard query parameters that Google's client libraries add to
//! every call (`key`, `alt`, `prettyPrint`, `fields`, `$.xgafv`,
//! `quotaUser`, …), and rendering a response the way they ask.
//!
//! - `alt`: only `json` (the default) is served; another value is a 400.
//! - `prettyPrint`: `true` indents the response; without it, or `false`,
//!   the response is compact (Google indents by default).
//! - `fields`: a partial response ([`FieldMask`]).
//! - `$.xgafv`: `1` or `2`; errors always have the v2 shape, which the
//!   libraries read either way.
//! - `key` is checked by the key middleware; `quotaUser`, `callback`,
//!   `access_token`, `oauth_token`, `uploadType`, `upload_protocol` and any
//!   other parameter are accepted and ignored.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::ApiError;
use crate::fields::FieldMask;

/// How a client asked for its response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendering {
    /// Indent the JSON.
    pub pretty: bool,
    /// Keep only these fields.
    pub fields: Option<FieldMask>,
}

impl Rendering {
    /// Reads the standard parameters of a query string.
    pub fn from_query(query: Option<&str>) -> Result<Rendering, ApiError> {
        let mut rendering = Rendering::default();
        let pairs = form_urlencoded::parse(query.unwrap_or("").as_bytes());
        for (name, value) in pairs {
            match &*name {
                "alt" if value != "json" => {
                    return Err(ApiError::invalid(format!(
                        "alt={value} is not supported: responses are JSON (alt=json)"
                    )))
                }
                "prettyPrint" => {
                    rendering.pretty = match &*value {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        _ => {
                            return Err(ApiError::invalid(format!(
                                "prettyPrint={value}: expected true or false"
                            )))
                        }
                    }
                }
                "fields" => rendering.fields = Some(FieldMask::parse(&value)?),
                "$.xgafv" if !matches!(&*value, "1" | "2") => {
                    return Err(ApiError::invalid(format!(
                        "$.xgafv={value}: expected 1 or 2"
                    )))
                }
                _ => {}
            }
        }
        Ok(rendering)
    }

    /// `value` as a JSON response, with the fields and layout asked for.
    pub fn render(&self, value: &impl Serialize) -> Result<Response, ApiError> {
        let unexpected =
            |e: serde_json::Error| ApiError::internal(format!("cannot encode the response: {e}"));
        let body = match (&self.fields, self.pretty) {
            (None, false) => serde_json::to_vec(value),
            (None, true) => serde_json::to_vec_pretty(value),
            (Some(mask), pretty) => {
                // Through text, so that f32 scores keep their short form.
                let text = serde_json::to_vec(value).map_err(unexpected)?;
                let mut tree: serde_json::Value =
                    serde_json::from_slice(&text).map_err(unexpected)?;
                mask.apply(&mut tree);
                if pretty {
                    serde_json::to_vec_pretty(&tree)
                } else {
                    serde_json::to_vec(&tree)
                }
            }
        }
        .map_err(unexpected)?;
        Ok((
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=UTF-8"),
            )],
            body,
        )
            .into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_google_clients_send() {
        let r = Rendering::from_query(Some(
            "key=k&alt=json&prettyPrint=false&%24.xgafv=2&quotaUser=u",
        ))
        .unwrap();
        assert_eq!(r, Rendering::default());
        let r = Rendering::from_query(Some("prettyPrint=true&fields=languages")).unwrap();
        assert!(r.pretty && r.fields.is_some());
        for bad in ["alt=proto", "prettyPrint=maybe", "$.xgafv=3", "fields=a(("] {
            assert_eq!(
                Rendering::from_query(Some(bad)).unwrap_err().code,
                400,
                "{bad}"
            );
        }
    }
}
