//! Reading request bodies as JSON the way Google's JSON mapping does: a body
//! is an object, a message field is an object (never an array read by
//! position), and no value nests deeper than [`MAX_DEPTH`], unknown fields
//! included.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::error::ApiError;

/// Deepest nesting of arrays and objects accepted anywhere in a body.
pub const MAX_DEPTH: usize = 128;

/// Parses a request body into `T`, a message read from a JSON object.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ApiError::invalid(format!(
            "request body is not valid UTF-8 JSON: invalid byte at offset {}",
            e.valid_up_to()
        ))
    })?;
    check_depth(text)?;
    serde_json::from_str::<Object<T>>(text)
        .map(|Object(value)| value)
        .map_err(|e| ApiError::invalid(format!("invalid JSON payload: {e}")))
}

/// Refuses nesting deeper than [`MAX_DEPTH`], counted over the raw text so
/// that fields the decoder skips are held to the same limit.
fn check_depth(text: &str) -> Result<(), ApiError> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let (mut line, mut column) = (1usize, 0usize);
    for byte in text.bytes() {
        column += 1;
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ApiError::invalid(format!(
                        "invalid JSON payload: nested deeper than {MAX_DEPTH} at line {line} column {column}"
                    )));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => (line, column) = (line + 1, 0),
            _ => {}
        }
    }
    Ok(())
}

/// A message read only from a JSON object. Derived `Deserialize` impls of
/// structs also take an array of the fields in order, which Google's JSON
/// mapping does not.
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }
        deserializer
            .deserialize_map(ObjectVisitor(PhantomData))
            .map(Object)
    }
}

/// `deserialize_with` for an optional message field.
pub fn optional<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Object<T>>::deserialize(deserializer)?.map(|Object(t)| t))
}

/// `deserialize_with` for an optional list of messages.
pub fn optional_list<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<Object<T>>>::deserialize(deserializer)?
        .map(|list| list.into_iter().map(|Object(t)| t).collect()))
}

/// `deserialize_with` for an optional map of messages keyed by name.
pub fn optional_map<'de, D, T>(deserializer: D) -> Result<Option<BTreeMap<String, T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(
        Option::<BTreeMap<String, Object<T>>>::deserialize(deserializer)?
            .map(|map| map.into_iter().map(|(k, Object(t))| (k, t)).collect()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        #[serde(default)]
        a: Option<u32>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        #[serde(default, deserialize_with = "optional")]
        inner: Option<Inner>,
        #[serde(default, deserialize_with = "optional_list")]
        list: Option<Vec<Inner>>,
    }

    #[test]
    fn messages_are_objects_only() {
        let ok: Outer = parse_body(br#"{"inner":{"a":1},"list":[{"a":2}],"x":[1]}"#).unwrap();
        assert_eq!(ok.inner, Some(Inner { a: Some(1) }));
        assert_eq!(ok.list.unwrap().len(), 1);
        for body in [
            &br#"[{"a":1},[]]"#[..],
            br#"{"inner":[1]}"#,
            br#"{"list":[[2]]}"#,
        ] {
            let err = parse_body::<Outer>(body).unwrap_err();
            assert!(err.message.contains("JSON object"), "{}", err.message);
        }
        assert_eq!(
            parse_body::<Outer>(b"{\"inner\":null}").unwrap().inner,
            None
        );
    }

    #[test]
    fn nesting_is_limited_in_unknown_fields_too() {
        let deep = |n: usize| format!("{{\"x\":{}{}}}", "[".repeat(n), "]".repeat(n));
        assert!(parse_body::<Outer>(deep(MAX_DEPTH - 1).as_bytes()).is_ok());
        let err = parse_body::<Outer>(deep(5_000).as_bytes()).unwrap_err();
        assert!(
            err.message.contains("nested deeper than 128"),
            "{}",
            err.message
        );
        // Brackets inside strings do not count.
        let quoted = format!("{{\"x\":\"{}\\\"{}\"}}", "[".repeat(500), "{".repeat(500));
        assert!(parse_body::<Outer>(quoted.as_bytes()).is_ok());
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let err = parse_body::<Outer>(b"{\"x\":\"\xff\"}").unwrap_err();
        assert!(err.message.contains("UTF-8") && err.message.contains("offset 6"));
    }
}
