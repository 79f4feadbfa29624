//! Splitting normalised text into raw tokens: words, URLs, mentions,
//! emoji; marking quoted text and sentence breaks.

use std::ops::Range;

/// What a raw token is, as far as the tokeniser can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RawKind {
    /// A run of word characters (letters, digits, leet symbols, masks).
    Word,
    /// A link.
    Url,
    /// A single emoji.
    Emoji,
}

/// A token's place in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawToken {
    /// Byte range in the normalised text.
    pub start: u32,
    /// End of the byte range.
    pub end: u32,
    pub kind: RawKind,
    /// Inside a quotation (a `>` line or quotation marks).
    pub quoted: bool,
    /// A sentence or line break separates it from the previous token.
    pub break_before: bool,
}

impl RawToken {
    pub(crate) fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Symbols that may stand for letters inside a word.
fn is_symbol_in_word(c: char) -> bool {
    matches!(
        c,
        '@' | '$' | '!' | '*' | '#' | '%' | '|' | '+' | '\'' | '\u{2019}' | '_'
    )
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || is_symbol_in_word(c);
    }
    c.is_alphanumeric() || is_symbol_in_word(c)
}

/// Characters that join two alphanumeric parts into one token ("al-Qaeda",
/// "i.d.i.o.t", "3.5").
fn is_connector(c: char) -> bool {
    matches!(c, '.' | '-')
}

/// Symbols a word may start with ("@sshole", "$hit").
fn may_lead(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '@' | '$')
}

/// Symbols a word may end with ("a$$", "f***").
fn may_trail(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '$' | '*' | '#')
}

/// Whether `c` is shown as an emoji (pictographs, symbols, flags).
pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1F2FF | 0x1F300..=0x1F5FF | 0x1F600..=0x1F64F | 0x1F680..=0x1F6FF
        | 0x1F900..=0x1F9FF | 0x1FA70..=0x1FAFF | 0x2600..=0x27BF | 0x2B50 | 0x2B55)
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

/// Emoji modifiers and joiners that belong to the previous emoji.
fn is_emoji_modifier(c: char) -> bool {
    matches!(
        c as u32,
        0x1F3FB..=0x1F3FF | 0x200D | 0xFE0F | 0xFE0E | 0x20E3
    )
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Byte ranges inside quotation marks: straight quotes paired in order,
/// curly and angle quotes from opener to the next closer. Unmatched marks
/// quote nothing. Sorted and merged.
fn quote_ranges(text: &str, ranges: &mut Vec<Range<usize>>) {
    ranges.clear();
    let mut straight: Option<usize> = None;
    let mut curly: Option<usize> = None;
    let mut angle: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '"' => match straight.take() {
                Some(open) => ranges.push(open..i),
                None => straight = Some(i),
            },
            '\u{201c}' | '\u{201e}' => {
                curly.get_or_insert(i);
            }
            '\u{201d}' => {
                if let Some(open) = curly.take() {
                    ranges.push(open..i);
                }
            }
            '\u{ab}' => {
                angle.get_or_insert(i);
            }
            '\u{bb}' => {
                if let Some(open) = angle.take() {
                    ranges.push(open..i);
                }
            }
            _ => {}
        }
    }
    ranges.sort_unstable_by_key(|r| r.start);
    let mut merged = 0;
    for i in 0..ranges.len() {
        if merged > 0 && ranges[i].start <= ranges[merged - 1].end {
            ranges[merged - 1].end = ranges[merged - 1].end.max(ranges[i].end);
        } else {
            ranges[merged] = ranges[i].clone();
            merged += 1;
        }
    }
    ranges.truncate(merged);
}

/// Split `text` into `tokens`, using `quotes` as scratch space.
pub(crate) fn tokenise(
    text: &str,
    mark_quotes: bool,
    tokens: &mut Vec<RawToken>,
    quotes: &mut Vec<Range<usize>>,
) {
    tokens.clear();
    if mark_quotes {
        quote_ranges(text, quotes);
    } else {
        quotes.clear();
    }
    let mut next_quote = 0;
    let mut line_start = true;
    let mut line_quoted = false;
    let mut pending_break = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().expect("i is on a char boundary");
        let len = c.len_utf8();
        if c == '\n' || c == '\r' {
            line_start = true;
            line_quoted = false;
            pending_break = true;
            i += len;
            continue;
        }
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if line_start {
            line_start = false;
            if c == '>' && mark_quotes {
                line_quoted = true;
                while i < bytes.len() && (bytes[i] == b'>' || bytes[i] == b' ') {
                    i += 1;
                }
                continue;
            }
        }
        let rest = &text[i..];
        let (kind, end) = if starts_with_ignore_case(rest, "http://")
            || starts_with_ignore_case(rest, "https://")
            || starts_with_ignore_case(rest, "www.")
        {
            let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let url = rest[..len].trim_end_matches(|c: char| {
                matches!(
                    c,
                    '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '"' | '\'' | '\u{201d}'
                )
            });
            (RawKind::Url, i + url.len())
        } else if is_emoji(c) {
            let mut end = i + len;
            if is_regional_indicator(c) {
                // A flag is a pair of regional indicators.
                if let Some(second) = text[end..]
                    .chars()
                    .next()
                    .filter(|&m| is_regional_indicator(m))
                {
                    end += second.len_utf8();
                }
            }
            for m in text[end..].chars().take_while(|&m| is_emoji_modifier(m)) {
                end += m.len_utf8();
            }
            (RawKind::Emoji, end)
        } else if is_word_char(c) {
            let run_end = scan_word_run(text, i);
            let (start, end) = word_extent(text, i, run_end);
            if start == end {
                // Symbols only ("!!!", "***"): punctuation.
                if text[i..run_end].contains(['.', '!', '?']) {
                    pending_break = true;
                }
                i = run_end;
                continue;
            }
            let quoted = line_quoted || in_quotes(quotes, &mut next_quote, start);
            tokens.push(RawToken {
                start: start as u32,
                end: end as u32,
                kind: RawKind::Word,
                quoted,
                break_before: std::mem::take(&mut pending_break) || tokens.is_empty(),
            });
            if text[end..run_end].contains(['.', '!', '?']) {
                pending_break = true;
            }
            i = run_end;
            continue;
        } else {
            if matches!(c, '.' | '!' | '?' | ';' | ':' | '\u{2026}') {
                pending_break = true;
            }
            i += len;
            continue;
        };
        let quoted = line_quoted || in_quotes(quotes, &mut next_quote, i);
        tokens.push(RawToken {
            start: i as u32,
            end: end as u32,
            kind,
            quoted,
            break_before: std::mem::take(&mut pending_break) || tokens.is_empty(),
        });
        i = end.max(i + len);
    }
}

/// End of the run of word characters and connectors starting at `i`.
fn scan_word_run(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = i;
    // ASCII fast path; falls through to the general loop at the first
    // non-ASCII byte.
    while end < bytes.len() && bytes[end].is_ascii() {
        let c = bytes[end] as char;
        let joins = is_connector(c)
            && end > i
            && bytes
                .get(end + 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || !b.is_ascii());
        if is_word_char(c) || joins {
            end += 1;
        } else {
            return end;
        }
    }
    let mut chars = text[end..].char_indices().peekable();
    let i = end;
    while let Some((off, c)) = chars.next() {
        if is_word_char(c) {
            end = i + off + c.len_utf8();
        } else if is_connector(c) {
            let next_is_alnum = chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
            if !next_is_alnum {
                break;
            }
        } else {
            break;
        }
    }
    end
}

/// The word inside the run `i..run_end`, edge symbols trimmed:
/// `(start, end)`, empty when nothing word-like is left.
fn word_extent(text: &str, i: usize, run_end: usize) -> (usize, usize) {
    let run = &text[i..run_end];
    let mut word = run.trim_start_matches(|c: char| !may_lead(c));
    word = word.trim_end_matches(|c: char| !may_trail(c));
    // "*really*" is emphasis, not a mask.
    if run.starts_with('*') {
        word = word.trim_end_matches('*');
    }
    if word.is_empty() {
        return (run_end, run_end);
    }
    let start = i + (word.as_ptr() as usize - run.as_ptr() as usize);
    (start, start + word.len())
}

/// Whether byte offset `at` lies inside a quotation; `next` walks the
/// sorted ranges as offsets grow.
fn in_quotes(quotes: &[Range<usize>], next: &mut usize, at: usize) -> bool {
    while *next < quotes.len() && quotes[*next].end <= at {
        *next += 1;
    }
    quotes.get(*next).is_some_and(|r| r.start <= at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, bool, bool)> {
        let mut tokens = Vec::new();
        tokenise(text, true, &mut tokens, &mut Vec::new());
        tokens
            .iter()
            .map(|t| (&text[t.range()], t.quoted, t.break_before))
            .collect()
    }

    #[test]
    fn splits_words_and_trims_punctuation() {
        let got: Vec<_> = words("Hello, world! sh!t f**k. a$$ *really* 3.5 al-Qaeda")
            .into_iter()
            .map(|w| w.0)
            .collect();
        assert_eq!(
            got,
            ["Hello", "world", "sh!t", "f**k", "a$$", "really", "3.5", "al-Qaeda"]
        );
    }

    #[test]
    fn urls_and_emoji() {
        let mut tokens = Vec::new();
        let text = "see https://x.com/a?b=1). \u{1F600}\u{1F3FD}ok\u{1F1EC}\u{1F1E7}";
        tokenise(text, true, &mut tokens, &mut Vec::new());
        let kinds: Vec<_> = tokens.iter().map(|t| (t.kind, &text[t.range()])).collect();
        assert_eq!(
            kinds,
            [
                (RawKind::Word, "see"),
                (RawKind::Url, "https://x.com/a?b=1"),
                (RawKind::Emoji, "\u{1F600}\u{1F3FD}"),
                (RawKind::Word, "ok"),
                (RawKind::Emoji, "\u{1F1EC}\u{1F1E7}"),
            ]
        );
    }

    #[test]
    fn marks_quotes() {
        let got = words("> you idiot\nhe said \u{201c}go away\u{201d} and \"left\" me");
        let quoted: Vec<_> = got.iter().filter(|w| w.1).map(|w| w.0).collect();
        assert_eq!(quoted, ["you", "idiot", "go", "away", "left"]);
        // An unmatched quote mark quotes nothing.
        assert!(words("he said \"go away").iter().all(|w| !w.1));
    }

    #[test]
    fn marks_breaks() {
        let got = words("one two. three\nfour");
        let breaks: Vec<_> = got.iter().map(|w| w.2).collect();
        assert_eq!(breaks, [true, false, true, true]);
    }
}
