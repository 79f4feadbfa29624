//! Partial responses: the `fields` query parameter of Google's APIs, which
//! keeps only the selected fields of a response.
//!
//! The selector is a comma-separated list of paths (`a/b/c`); `a(b,c)`
//! selects `b` and `c` under `a`; `*` stands for any field (the keys of a
//! map such as `attributeScores`). Arrays are selected element by element.
//!
//! ```
//! use referee_serve::fields::FieldMask;
//! let mask = FieldMask::parse("attributeScores/*/summaryScore/value,clientToken").unwrap();
//! let mut response = serde_json::json!({
//!     "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.9, "type": "PROBABILITY"}}},
//!     "languages": ["en"], "clientToken": "t"});
//! mask.apply(&mut response);
//! assert_eq!(response, serde_json::json!({
//!     "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.9}}}, "clientToken": "t"}));
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::ApiError;

/// Deepest selector accepted (`a/b/…` or nested parentheses).
const MAX_DEPTH: usize = 32;

/// The fields a `fields` selector keeps. An empty mask keeps a whole value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMask(BTreeMap<String, FieldMask>);

impl FieldMask {
    /// Parses a selector; a malformed one is a 400 naming the position.
    pub fn parse(selector: &str) -> Result<FieldMask, ApiError> {
        let mut parser = Parser {
            text: selector.as_bytes(),
            at: 0,
        };
        let mask = parser.list(0)?;
        if parser.at < parser.text.len() {
            return Err(parser.error("unexpected character"));
        }
        Ok(mask)
    }

    /// Keeps only the selected fields of `value`.
    pub fn apply(&self, value: &mut Value) {
        if self.0.is_empty() {
            return;
        }
        match value {
            Value::Object(map) => {
                map.retain(
                    |key, field| match self.0.get(key).or_else(|| self.0.get("*")) {
                        Some(sub) => {
                            sub.apply(field);
                            true
                        }
                        None => false,
                    },
                );
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.apply(item)),
            _ => {}
        }
    }

    /// Adds `path`, with `sub` selected below it, to the mask.
    fn insert(&mut self, path: &[String], sub: FieldMask) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        match self.0.get_mut(first) {
            Some(whole) if whole.0.is_empty() => {}
            Some(slot) if rest.is_empty() => slot.merge(sub),
            Some(slot) => slot.insert(rest, sub),
            None => {
                let mut slot = FieldMask::default();
                if rest.is_empty() {
                    slot = sub;
                } else {
                    slot.insert(rest, sub);
                }
                self.0.insert(first.clone(), slot);
            }
        }
    }

    /// Selects what `other` selects too.
    fn merge(&mut self, other: FieldMask) {
        if other.0.is_empty() {
            self.0.clear();
            return;
        }
        for (key, below) in other.0 {
            self.insert(&[key], below);
        }
    }
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> ApiError {
        ApiError::invalid(format!(
            "fields: {what} at position {} of the selector",
            self.at + 1
        ))
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// `item (',' item)*`, up to a `)` or the end.
    fn list(&mut self, depth: usize) -> Result<FieldMask, ApiError> {
        if depth > MAX_DEPTH {
            return Err(self.error("selector nested too deeply"));
        }
        let mut mask = FieldMask::default();
        loop {
            let path = self.path()?;
            let sub = if self.peek() == Some(b'(') {
                self.at += 1;
                let sub = self.list(depth + 1)?;
                if self.peek() != Some(b')') {
                    return Err(self.error("expected ')'"));
                }
                self.at += 1;
                sub
            } else {
                FieldMask::default()
            };
            mask.insert(&path, sub);
            if self.peek() != Some(b',') {
                return Ok(mask);
            }
            self.at += 1;
        }
    }

    /// `name ('/' name)*`.
    fn path(&mut self) -> Result<Vec<String>, ApiError> {
        let mut path = vec![self.name()?];
        while self.peek() == Some(b'/') {
            if path.len() > MAX_DEPTH {
                return Err(self.error("path too long"));
            }
            self.at += 1;
            path.push(self.name()?);
        }
        Ok(path)
    }

    fn name(&mut self) -> Result<String, ApiError> {
        let start = self.at;
        while self.peek().is_some_and(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'*' | b'.' | b'$' | b'-')
        }) {
            self.at += 1;
        }
        if self.at == start {
            return Err(self.error("expected a field name"));
        }
        Ok(String::from_utf8_lossy(&self.text[start..self.at]).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn masked(selector: &str, mut value: Value) -> Value {
        FieldMask::parse(selector).unwrap().apply(&mut value);
        value
    }

    #[test]
    fn selects_paths_groups_wildcards_and_arrays() {
        let response = json!({
            "attributeScores": {
                "TOXICITY": {"summaryScore": {"value": 0.9, "type": "PROBABILITY"},
                             "spanScores": [{"begin": 0, "end": 2, "score": {"value": 0.1}}]},
                "INSULT": {"summaryScore": {"value": 0.2, "type": "PROBABILITY"}}},
            "languages": ["en"], "clientToken": "t"});
        assert_eq!(
            masked("languages", response.clone()),
            json!({"languages": ["en"]})
        );
        assert_eq!(
            masked(
                "attributeScores/TOXICITY/spanScores(begin,end)",
                response.clone()
            ),
            json!({"attributeScores": {"TOXICITY": {"spanScores": [{"begin": 0, "end": 2}]}}})
        );
        assert_eq!(
            masked("attributeScores/*/summaryScore/value", response.clone()),
            json!({"attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.9}},
                                       "INSULT": {"summaryScore": {"value": 0.2}}}})
        );
        // A whole field wins over a part of it, in either order.
        for selector in [
            "clientToken,attributeScores/INSULT,attributeScores",
            "attributeScores,attributeScores/INSULT",
        ] {
            let out = masked(selector, response.clone());
            assert_eq!(
                out["attributeScores"], response["attributeScores"],
                "{selector}"
            );
        }
    }

    #[test]
    fn malformed_selectors_are_400s_naming_the_position() {
        for (selector, position) in [
            ("", 1),
            ("a,", 3),
            ("a(b", 4),
            ("a/", 3),
            ("a)b", 2),
            ("a b", 2),
        ] {
            let err = FieldMask::parse(selector).unwrap_err();
            assert_eq!(err.code, 400);
            assert!(
                err.message.contains(&format!("position {position} ")),
                "{selector}: {}",
                err.message
            );
        }
        let deep = format!("{}a{}", "a(".repeat(100), ")".repeat(100));
        assert_eq!(FieldMask::parse(&deep).unwrap_err().code, 400);
    }
}
