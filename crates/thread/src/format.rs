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
/// - `{` starts JSON Lines: Reddit's when the first object carries one of
///   Reddit's keys (`parent_id`, `link_id`, `kind`, `body`, `author_name`),
///   referee's otherwise.
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
        Some(b'{') => {
            let first_line = head.split(|&b| b == b'\n').next().unwrap_or(head);
            let reddit_keys: [&[u8]; 5] = [
                b"\"parent_id\"",
                b"\"link_id\"",
                b"\"kind\"",
                b"\"body\"",
                b"\"author_name\"",
            ];
            if reddit_keys.iter().any(|key| contains(first_line, key)) {
                InputFormat::Reddit
            } else {
                InputFormat::Jsonl
            }
        }
        _ => InputFormat::Text,
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
        let cases: [(&str, InputFormat); 9] = [
            ("Title\n\nBody\n", InputFormat::Text),
            ("\u{feff}  <?xml version=\"1.0\"?>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\">", InputFormat::Wxr),
            ("<?xml version=\"1.0\"?><disqus xmlns=\"http://disqus.com\">", InputFormat::Disqus),
            ("<!DOCTYPE html><html><body>", InputFormat::WordpressHtml),
            ("<div class=\"comment\">", InputFormat::WordpressHtml),
            ("[{\"kind\": \"Listing\"}]", InputFormat::Reddit),
            ("{\"body\": \"x\", \"parent_id\": \"t3_a\"}\n", InputFormat::Reddit),
            ("{\"text\": \"hello\"}\n", InputFormat::Jsonl),
            ("", InputFormat::Text),
        ];
        for (head, expected) in cases {
            assert_eq!(detect(head.as_bytes()), expected, "{head:?}");
        }
    }
}
