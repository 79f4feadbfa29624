//! Text steps: rewrite a whole comment before it is tokenised.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// The longest prefix of `text` with at most `max_chars` characters.
pub(crate) fn truncate(text: &str, max_chars: usize) -> &str {
    if text.len() <= max_chars {
        return text;
    }
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Unicode NFKC of `text` into `out`; false (and `out` untouched) when
/// `text` is already in NFKC.
pub(crate) fn nfkc(text: &str, out: &mut String) -> bool {
    if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        return false;
    }
    out.clear();
    out.extend(text.nfkc());
    true
}

/// HTML tags removed and character entities decoded, into `out`; false (and
/// `out` untouched) when `text` has neither.
///
/// Inline tags (`<b>`, `<a>`, `<span>` ...) vanish so "f<b>u</b>ck" stays
/// one word; other tags become a line break; `<blockquote>` becomes
/// quotation marks so its content is treated as quoted.
pub(crate) fn strip_markup(text: &str, out: &mut String) -> bool {
    let bytes = text.as_bytes();
    if !bytes.iter().any(|&b| b == b'<' || b == b'&') {
        return false;
    }
    out.clear();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let replaced = match b {
            b'<' => tag(&text[i..]).map(|(len, rep)| (len, Replacement::Str(rep))),
            b'&' => entity(&text[i..]).map(|(len, c)| (len, Replacement::Char(c))),
            _ => None,
        };
        match replaced {
            Some((len, rep)) => {
                out.push_str(&text[copied..i]);
                match rep {
                    Replacement::Str(s) => out.push_str(s),
                    Replacement::Char(c) => out.push(c),
                }
                i += len;
                copied = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    true
}

enum Replacement {
    Str(&'static str),
    Char(char),
}

/// Longest tag we recognise; a longer `<...>` is left alone.
const MAX_TAG: usize = 1024;

/// The length of the tag at the start of `s` and what replaces it.
fn tag(s: &str) -> Option<(usize, &'static str)> {
    let bytes = s.as_bytes();
    let first = *bytes.get(1)?;
    if !(first.is_ascii_alphabetic() || first == b'/' || first == b'!' || first == b'?') {
        return None;
    }
    let end = bytes
        .iter()
        .take(MAX_TAG)
        .skip(1)
        .position(|&b| b == b'>' || b == b'<')?
        + 1;
    if bytes[end] != b'>' {
        return None;
    }
    let closing = first == b'/';
    let name_start = if closing { 2 } else { 1 };
    let name: String = s[name_start..end]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let rep = match name.as_str() {
        "b" | "i" | "u" | "s" | "em" | "strong" | "span" | "a" | "font" | "small" | "big"
        | "sup" | "sub" | "strike" | "del" | "ins" | "mark" | "abbr" | "code" | "tt" => "",
        "blockquote" | "q" if closing => "\u{201d}\n",
        "blockquote" | "q" => "\n\u{201c}",
        _ => "\n",
    };
    Some((end + 1, rep))
}

/// The length of the character entity at the start of `s` and its character.
fn entity(s: &str) -> Option<(usize, char)> {
    let body_len = s.as_bytes()[1..].iter().take(12).position(|&b| b == b';')?;
    let body = &s[1..1 + body_len];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code).filter(|&c| c != '\0')?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "ldquo" => '\u{201c}',
            "rdquo" => '\u{201d}',
            "lsquo" => '\u{2018}',
            "rsquo" => '\u{2019}',
            "hellip" => '\u{2026}',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "pound" => '£',
            "euro" => '€',
            _ => return None,
        }
    };
    Some((body_len + 2, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        if strip_markup(s, &mut out) {
            out
        } else {
            s.to_string()
        }
    }

    #[test]
    fn strips_tags_and_entities() {
        assert_eq!(strip("f<b>u</b>ck"), "fuck");
        assert_eq!(strip("one<p>two</p>"), "one\ntwo\n");
        assert_eq!(
            strip("Tom &amp; Jerry &#39;x&#x27; &bogus; &"),
            "Tom & Jerry 'x' &bogus; &"
        );
        assert_eq!(strip("a < b and c > d"), "a < b and c > d");
        assert_eq!(strip("<3 you"), "<3 you");
        assert_eq!(
            strip("<blockquote>you idiot</blockquote>"),
            "\n\u{201c}you idiot\u{201d}\n"
        );
        assert_eq!(strip("&#0; &#99999999;"), "&#0; &#99999999;");
    }

    #[test]
    fn nfkc_folds_compatibility_forms() {
        let mut out = String::new();
        assert!(nfkc("ｉｄｉｏｔ", &mut out));
        assert_eq!(out, "idiot");
        assert!(!nfkc("plain", &mut out));
    }

    #[test]
    fn truncates_on_char_boundary() {
        assert_eq!(truncate("héllo", 2), "hé");
        assert_eq!(truncate("hi", 5), "hi");
    }
}
