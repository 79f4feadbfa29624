//! API keys, as Perspective clients send them: the `key` query parameter or
//! the `x-goog-api-key` header.

use std::collections::HashSet;
use std::path::Path;

use crate::error::{Error, Result};

/// The keys allowed to call the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiKeys {
    keys: HashSet<String>,
}

impl ApiKeys {
    /// Reads a key file: one key per line; blank lines and lines starting
    /// with `#` are skipped; surrounding whitespace is trimmed.
    pub fn from_file(path: &Path) -> Result<ApiKeys> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text).map_err(|(line, key)| Error::ApiKey {
            path: path.to_path_buf(),
            line,
            key,
        })
    }

    /// Parses the key file format; on error, the 1-based line and its text.
    pub fn parse(text: &str) -> std::result::Result<ApiKeys, (usize, String)> {
        let mut keys = HashSet::new();
        for (i, line) in text.lines().enumerate() {
            let key = line.trim();
            if key.is_empty() || key.starts_with('#') {
                continue;
            }
            if !key.bytes().all(|b| b.is_ascii_graphic()) {
                return Err((i + 1, key.to_owned()));
            }
            keys.insert(key.to_owned());
        }
        Ok(ApiKeys { keys })
    }

    /// True when `key` is one of the keys.
    pub fn allows(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when there are no keys (every request is then refused).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The API key of a request: `key=` in the query string, else the
/// `x-goog-api-key` header.
pub fn request_key(query: Option<&str>, header: Option<&str>) -> Option<String> {
    let from_query = query.and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(name, _)| name == "key")
            .map(|(_, value)| value.into_owned())
    });
    from_query.or_else(|| header.map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_files() {
        let keys = ApiKeys::parse("# ops team\nabc123\n\n  def-456  \n").unwrap();
        assert_eq!(keys.len(), 2);
        assert!(keys.allows("abc123"));
        assert!(keys.allows("def-456"));
        assert!(!keys.allows("# ops team"));
        assert_eq!(ApiKeys::parse("ok\nbad key\n"), Err((2, "bad key".into())));
    }

    #[test]
    fn finds_the_key_where_clients_put_it() {
        assert_eq!(
            request_key(Some("key=abc&alt=json"), None).as_deref(),
            Some("abc")
        );
        assert_eq!(
            request_key(Some("alt=json&key=a%2Fb"), Some("h")).as_deref(),
            Some("a/b")
        );
        assert_eq!(
            request_key(Some("alt=json"), Some("h")).as_deref(),
            Some("h")
        );
        assert_eq!(request_key(None, None), None);
        assert_eq!(request_key(Some("key=%zz%"), None).as_deref(), Some("%zz%"));
    }
}
