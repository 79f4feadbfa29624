//! The input formats and their detection from the first bytes of content.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// How many leading bytes [`detect`] looks at; readers pass at most this much.
pub const DETECT_LEN: usize = 8192;

/// The formats the readers accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// Plain text copied from a blog page.
    Text,
    /// WordPress WXR export (RSS with `wp:` elements).
    Wxr,
    /// The HTML of a WordPress post page, with its comment list.
    WordpressHtml,
    /// Disqus XML export.
    Disqus,
    /// Reddit JSON: a thread's listing pair, or JSON Lines of comment objects.
    Reddit,
    /// referee's JSON Lines of comments or threads.
    Jsonl,
}

impl InputFormat {
    /// Every format, in the order of their names in help texts.
    pub const ALL: [InputFormat; 6] = [
        InputFormat::Text,
        InputFormat::Wxr,
        InputFormat::WordpressHtml,
        InputFormat::Disqus,
        InputFormat::Reddit,
        InputFormat::Jsonl,
    ];

    /// The name used on the command line and by [`FromStr`].
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Text => "text",
            InputFormat::Wxr => "wxr",
            InputFormat::WordpressHtml => "wordpress-html",
            InputFormat::Disqus => "disqus",
            InputFormat::Reddit => "reddit",
            InputFormat::Jsonl => "jsonl",
        }
    }

    /// The names of every format, comma-separated, for messages.
    pub fn names() -> String {
        InputFormat::ALL.map(InputFormat::name).join(", ")
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for InputFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        InputFormat::ALL
            .into_iter()
            .find(|format| format.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| Error::UnknownFormat { name: s.to_owned() })
    }
}

/// Guesses the format from the first bytes of content (up to [`DETECT_LEN`]
/// are looked at).
///
/// Rules, after a byte order mark and leading white space:
/// - `<` starts markup: a `<disqus` element makes it [`InputFormat::Disqus`];
///   an `<rss` element or `<wp:` elements, or an XML declaration without
///   HTML, make it [`InputFormat::Wxr`]; anything else is
///   [`InputFormat::WordpressHtml`].
/// - `[` starts a Reddit listing pair: [`InputFormat::Reddit`].
/// - `{` starts JSON Lines: referee's when the first object has a `text` or
///   `comments` key (whatever else it carries, such as `parent_id` or
///   `link_id`); Reddit's when it has none of those and one of Reddit's keys
///   (`body`, `body_html`, `kind`, `parent_id`, `link_id`, `author_name`);
///   referee's otherwise, so that its reader names what is missing.
/// - anything else is [`InputFormat::Text`].
pub fn detect(head: &[u8]) -> InputFormat {
    let head = &head[..head.len().min(DETECT_LEN)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    match head.first() {
        Some(b'<') => detect_markup(head),
        Some(b'[') => InputFormat::Reddit,
        Some(b'{') => detect_json_object(head),
        _ => InputFormat::Text,
    }
}

/// The keys that only referee's JSON Lines has, and those of Reddit's
/// comment and thing objects.
const JSONL_KEYS: [&str; 2] = ["text", "comments"];
const REDDIT_KEYS: [&str; 6] = [
    "body",
    "body_html",
    "kind",
    "parent_id",
    "link_id",
    "author_name",
];

/// JSON Lines or Reddit, from the keys of the first object. The first line
/// is parsed when it is complete; a line longer than the head is searched
/// for the quoted keys instead.
fn detect_json_object(head: &[u8]) -> InputFormat {
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let has_key: Box<dyn Fn(&str) -> bool> =
        match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(first_line) {
            Ok(object) => Box::new(move |key| object.contains_key(key)),
            Err(_) => Box::new(|key| contains(first_line, format!("\"{key}\"").as_bytes())),
        };
    if JSONL_KEYS.iter().any(|key| has_key(key)) {
        InputFormat::Jsonl
    } else if REDDIT_KEYS.iter().any(|key| has_key(key)) {
        InputFormat::Reddit
    } else {
        InputFormat::Jsonl
    }
}

fn detect_markup(head: &[u8]) -> InputFormat {
    let lower = head.to_ascii_lowercase();
    if contains(&lower, b"<disqus") {
        return InputFormat::Disqus;
    }
    let html = [b"<html".as_slice(), b"<!doctype html", b"<body", b"<head"]
        .iter()
        .any(|tag| contains(&lower, tag));
    let wordpress_export = contains(&lower, b"<rss") || contains(&lower, b"<wp:");
    if wordpress_export || (lower.starts_with(b"<?xml") && !html) {
        InputFormat::Wxr
    } else {
        InputFormat::WordpressHtml
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for format in InputFormat::ALL {
            assert_eq!(format.to_string().parse::<InputFormat>().unwrap(), format);
        }
        let err = "csv".parse::<InputFormat>().unwrap_err();
        assert!(err.to_string().contains("\"csv\""), "{err}");
    }

    #[test]
    fn detects_each_format() {
        let cases: [(&str, InputFormat); 13] = [
            ("Title\n\nBody\n", InputFormat::Text),
            ("\u{feff}  <?xml version=\"1.0\"?>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\">", InputFormat::Wxr),
            ("<?xml version=\"1.0\"?><disqus xmlns=\"http://disqus.com\">", InputFormat::Disqus),
            ("<!DOCTYPE html><html><body>", InputFormat::WordpressHtml),
            ("<div class=\"comment\">", InputFormat::WordpressHtml),
            ("[{\"kind\": \"Listing\"}]", InputFormat::Reddit),
            ("{\"body\": \"x\", \"parent_id\": \"t3_a\"}\n", InputFormat::Reddit),
            ("{\"text\": \"hello\"}\n", InputFormat::Jsonl),
            // A crawl in referee's form that names parents and threads its own way.
            ("{\"id\": 2, \"text\": \"x\", \"parent_id\": 1, \"url\": \"https://a.example/p\"}\n", InputFormat::Jsonl),
            ("{\"id\": \"t1\", \"link_id\": \"t3_a\", \"comments\": []}\n", InputFormat::Jsonl),
            // A Pushshift comment whose body mentions "text".
            ("{\"body\": \"the \\\"text\\\" key\", \"link_id\": \"t3_a\"}\n", InputFormat::Reddit),
            // A first line longer than the head is searched for keys.
            ("{\"parent_id\": \"t1_a\", \"body\": \"xxxx", InputFormat::Reddit),
            ("", InputFormat::Text),
        ];
        for (head, expected) in cases {
            assert_eq!(detect(head.as_bytes()), expected, "{head:?}");
        }
    }
}
