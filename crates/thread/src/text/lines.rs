//! What a single line of pasted text is: header, date, signature candidate,
//! salutation, page chrome...

use std::sync::LazyLock;

use regex::Regex;

pub(crate) use super::furniture::is_chrome;

pub(crate) fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|err| panic!("pattern {pattern:?} is a valid regex: {err}"))
}

/// `  3. Jane Doe says:` → indent, number, name.
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^(\s*)(?:(\d{1,4})[.)]\s+)?(\S.{0,80}?)\s+(?:says|said|wrote|writes):\s*$")
});
/// `  2. Text of an anonymous comment` → indent, number, text.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| regex(r"^(\s*)(\d{1,4})[.)]\s+(\S.*)$"));
/// A date or time as comment pages show them, unanchored: `March 3, 2015 at
/// 10:12 am`, `12 May 2014`, `Thu 17-Mar-11 21:39:18`, `06/09/2011 07:45`,
/// `11:56 AM`, `3 years ago`.
pub(crate) const DATE_CORE: &str = concat!(
    r"(?i:(?:on\s+)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?",
    r"(?:(?:(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}",
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{2,4}",
    r"|\d{1,2}-(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*-\d{2,4}",
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})",
    r"(?:,?\s*(?:at|@|-|–)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?)?)",
    r"|\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?",
    r"|(?:\d+|an?)\s+(?:second|minute|min|hour|hr|day|week|month|year|yr)s?\s+ago",
    r"|(?:yesterday|today)(?:\s+at\s+\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?)"
);
static DATE: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"^\s*(?:[•·|]\s*)?(?:{DATE_CORE})\s*$")));
/// `Name · 06/09/2011 07:45`, `Name | March 3, 2012 at 11:56 am`,
/// `hester Thu 17-Mar-11 21:43:05`, `Anonymous1:25 AM`: name, date.
static NAME_DATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^\s*(?:(?i:post\s*by|by)\s+)?(\S.{{0,48}}?)\s*(?:[|·•,–»-]\s*|\s(?:on|at)\s+)?({DATE_CORE})\s*$"
    ))
});
static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\s*(?:latest post on\b|archive for\b|skip to (?:main )?content\b|home\s*$|menu\s*$)",
    )
});
static POST_AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^\s*(?:by|posted by)\s+(\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3})\s*$")
});
static SALUTATION: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"^\s*(?:(?i:dear|hi|hello|hey|bonjour|bonsoir|cher|chère|good (?:morning|afternoon|evening))\s+\S.{0,40},",
        r"|\p{Lu}[\p{L}’'.-]*(?:\s+\p{Lu}[\p{L}’'.-]*){0,3},)\s*$"
    ))
});
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"^\s*(?:(?:Hey|Hi|Hello|Dear|Thanks|Well done)\s+)?\p{Lu}\p{Ll}+(?:\s\p{Lu}\p{Ll}+)?",
        r"(?:\s*:\s|\s+[–—-]\s|,\s+(?:I|I’m|I'm|you|your|you’re|you're|that|this|what|how|why|thanks|thank you)\b)"
    ))
});
static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^\s*(?:\d{1,3}[.)]|[a-z][.)]|[–—•*-])\s"));
static CONTINUATION: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^\s*(?:And|But|Also|Of course|In any event|Incidentally|In addition|Furthermore|Moreover|Besides|Which|Or|Nor|Plus|PS|P\.S\.|Anyway|I mean|That said)\b",
    )
});
/// `Ann wrote, inter alia`, `as Bob said`: introduces a quotation.
static QUOTING: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)\b(?:wrote|writes|said|says)(?:,?\s+inter alia)?\s*$"));
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| regex(r"^\s*[_=*~-]{5,}\s*$"));
static URL: LazyLock<Regex> = LazyLock::new(|| regex(r"^\s*https?://\S+\s*$"));

/// A comment header: indentation, number if any, commenter's name.
pub(crate) struct Header {
    pub(crate) indent: usize,
    pub(crate) number: Option<u32>,
    pub(crate) name: String,
}

pub(crate) fn indent(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

pub(crate) fn header(line: &str) -> Option<Header> {
    let captures = HEADER.captures(line)?;
    let name = captures.get(3)?.as_str().trim();
    let number = captures.get(2).and_then(|n| n.as_str().parse().ok());
    // Without a number, only a short name makes a header: one word (a user
    // name), or up to four capitalised words.
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = words.iter().all(|word| {
        word.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    });
    if number.is_none() && !(words.len() == 1 || (words.len() <= 4 && capitalised)) {
        return None;
    }
    Some(Header {
        indent: indent(line),
        number,
        name: name.to_owned(),
    })
}

/// A line that can be a commenter's name shown above a date line: one to
/// five words, no sentence punctuation at the end, not a date or chrome.
pub(crate) fn is_name_line(line: &str) -> bool {
    let trimmed = line.trim();
    let words = trimmed.split_whitespace().count();
    (1..=5).contains(&words)
        && trimmed.chars().count() <= 50
        && trimmed.chars().next().is_some_and(|c| !c.is_lowercase())
        && !trimmed.ends_with(['.', '!', '?', ':', ',', ';'])
        && !is_date(trimmed)
        && !is_chrome(trimmed)
}

/// A commenter's name as pages show it: one to five words, at most 50
/// characters, with a letter, no sentence punctuation at the end, not a date
/// or page furniture. User names may be lower case (`suwoo`), full names of
/// several words are capitalised or short.
pub(crate) fn is_name(text: &str) -> bool {
    let trimmed = text.trim();
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && trimmed.chars().count() <= 50
        && trimmed.chars().any(char::is_alphabetic)
        && (!trimmed.ends_with(['.', '!', '?', ':', ',', ';', '…']) || ends_with_initial(trimmed))
        && !trimmed.contains("://")
        && (words.len() <= 3 || !starts_lowercase(trimmed))
        && !is_date(trimmed)
        && !is_chrome(trimmed)
}

/// Ends with an initial such as `Ken A.` (a name, where a full stop after a
/// longer word ends a sentence).
fn ends_with_initial(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let last = words.next_back().unwrap_or("");
    words.next().is_some()
        && last.ends_with('.')
        && last.chars().filter(|c| c.is_alphabetic()).count() == 1
        && last.chars().next().is_some_and(char::is_uppercase)
}

/// `N. text`: indentation, number, text.
pub(crate) fn numbered(line: &str) -> Option<(usize, u32, &str)> {
    let captures = NUMBERED.captures(line)?;
    let number = captures.get(2)?.as_str().parse().ok()?;
    Some((indent(line), number, captures.get(3)?.as_str()))
}

pub(crate) fn is_date(line: &str) -> bool {
    line.len() < 80 && DATE.is_match(line)
}

/// Cheap test before the date pattern: a line ending like a date or time
/// does (a digit, `am`/`pm`, `ago`, `today`, a time zone) and holding a
/// digit unless it is relative.
fn may_end_with_date(line: &str) -> bool {
    let last = line
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_lowercase();
    let last = last.trim_end_matches('.');
    let relative = ["ago", "yesterday", "today"].contains(&last);
    let clock_or_zone = last.ends_with(|c: char| c.is_ascii_digit())
        || last.ends_with('m')
        || ((2..=4).contains(&last.len()) && last.chars().all(|c| c.is_ascii_alphabetic()));
    relative || (clock_or_zone && line.contains(|c: char| c.is_ascii_digit()))
}

/// A name and a date on one line: (name, date).
pub(crate) fn name_and_date(line: &str) -> Option<(&str, &str)> {
    if line.len() >= 120 || !may_end_with_date(line) || is_date(line) {
        return None;
    }
    let captures = NAME_DATE.captures(line)?;
    let name = captures.get(1)?.as_str();
    is_name(name).then(|| (name.trim(), captures.get(2).map_or("", |m| m.as_str())))
}

pub(crate) fn is_page_banner(line: &str) -> bool {
    BANNER.is_match(line)
}

pub(crate) fn post_author(line: &str) -> Option<String> {
    POST_AUTHOR.captures(line).map(|c| c[1].to_owned())
}

pub(crate) fn is_salutation(line: &str) -> bool {
    line.len() < 60 && SALUTATION.is_match(line)
}

/// Opens by addressing someone (`Graham: …`, `Rob – …`, `Ted, I believe…`);
/// a connective such as `Anyway – …` addresses no one.
pub(crate) fn starts_with_address(line: &str) -> bool {
    ADDRESS.is_match(line) && !starts_with_continuation(line)
}

pub(crate) fn is_list_item(line: &str) -> bool {
    LIST_ITEM.is_match(line)
}

pub(crate) fn starts_with_continuation(line: &str) -> bool {
    CONTINUATION.is_match(line)
}

pub(crate) fn is_separator(line: &str) -> bool {
    SEPARATOR.is_match(line)
}

pub(crate) fn is_url(line: &str) -> bool {
    URL.is_match(line)
}

/// The line with closing quotes and brackets removed from its end.
fn without_closers(line: &str) -> &str {
    line.trim_end()
        .trim_end_matches(['”', '’', '"', '\'', ')', ']', '»'])
}

/// Ends like a finished sentence: `.`, `!`, `?`, `…`, or a symbol such as
/// an emoji.
pub(crate) fn ends_sentence(line: &str) -> bool {
    match without_closers(line).chars().next_back() {
        Some(last) => !last.is_alphanumeric() && !",:;–—-(/&".contains(last),
        None => false,
    }
}

/// A short label introducing what follows (`Options:`): it never stands as
/// a comment of its own.
pub(crate) fn is_label(line: &str) -> bool {
    let line = line.trim();
    line.ends_with(':') && line.split_whitespace().count() <= 2
}

/// Ends with `:`, `:-` or `,`, or introduces a quotation (`Ann wrote,
/// inter alia`): a lead-in to what follows.
pub(crate) fn is_lead_in(line: &str) -> bool {
    let line = line.trim_end();
    line.ends_with(':') || line.ends_with(":-") || line.ends_with(',') || introduces_quote(line)
}

/// `Ann wrote, inter alia`: what follows answers a quoted comment.
pub(crate) fn introduces_quote(line: &str) -> bool {
    QUOTING.is_match(line)
}

/// Ends with `,`: a salutation or the first words of a sentence going on in
/// the next paragraph, either way the opening of a comment.
pub(crate) fn ends_with_comma(line: &str) -> bool {
    line.trim_end().ends_with(',')
}

/// Ends with an emoji or a text smiley (`🙂`, `:-)`): a sign-off.
pub(crate) fn ends_with_emoticon(line: &str) -> bool {
    let line = line.trim_end();
    let pictograph = line.chars().next_back().is_some_and(|c| {
        matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF)
            || (c == '\u{FE0F}'
                && line
                    .chars()
                    .nth_back(1)
                    .is_some_and(|c| !c.is_alphanumeric()))
    });
    pictograph
        || [":)", ":-)", ";)", ";-)", ":D", ":-D"]
            .iter()
            .any(|s| line.ends_with(s))
}

/// Ends with a question mark (closing quotes aside).
pub(crate) fn ends_question(line: &str) -> bool {
    without_closers(line).ends_with('?')
}

pub(crate) fn starts_lowercase(line: &str) -> bool {
    line.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

pub(crate) fn opens_quote(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with(['“', '‘', '"', '«']) || line.starts_with("> ")
}

/// Opening minus closing double quotes on the line.
pub(crate) fn quote_balance(line: &str) -> i32 {
    line.chars()
        .map(|c| match c {
            '“' | '«' => 1,
            '”' | '»' => -1,
            _ => 0,
        })
        .sum()
}

/// A short interjection such as `Interesting.` or `Well done Peter`.
pub(crate) fn is_short_reaction(line: &str) -> bool {
    let words = line.split_whitespace().count();
    words > 0 && words <= 3 && ends_sentence(line) && !line.trim_end().ends_with(':')
}

/// The signature key of a line, if it could be one: 1 to 3 words of
/// letters, the first capitalised, optionally ending with a full stop.
pub(crate) fn signature_key(line: &str) -> Option<String> {
    let line = line.trim();
    let line = line.strip_suffix('.').unwrap_or(line);
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 3 || line.chars().count() > 30 {
        return None;
    }
    let letters = words.iter().all(|word| {
        word.chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-')
    });
    let capitalised = words[0].chars().next().is_some_and(char::is_uppercase);
    (letters && capitalised).then(|| line.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_numbered_lines() {
        let h = header("    2. Dan McCurry says:").unwrap();
        assert_eq!(
            (h.indent, h.number, h.name.as_str()),
            (4, Some(2), "Dan McCurry")
        );
        assert!(header("Jane says:").is_some());
        assert!(header("and then the minister really truly says:").is_none());
        assert!(header("The minister says:").is_none());
        assert!(header("qwertx0815 says:").is_some());
        assert_eq!(
            numbered("  2. I see you agree"),
            Some((2, 2, "I see you agree"))
        );
        assert!(numbered("    1, Kumar Murshid").is_none());
    }

    #[test]
    fn dates_salutations_and_addresses() {
        for date in [
            "March 3, 2015 at 10:12 am",
            "12 May 2014",
            "2014-05-12 09:00",
            "on 3rd June 2014 at 9:05 pm",
        ] {
            assert!(is_date(date), "{date}");
        }
        assert!(!is_date("Mr Rahman said he was unable to comment."));
        for s in ["Eastenders,", "Dear Mr Roberts,", "Bonsoir cher Maurice,"] {
            assert!(is_salutation(s), "{s}");
        }
        for s in [
            "Associating, in your own words,",
            "Oui, bien sur. / Ja natuurlijk,",
        ] {
            assert!(!is_salutation(s), "{s}");
        }
        for s in [
            "Graham: that sounds",
            "Rob – I don’t know",
            "Hey Graham – ah",
            "Ted, I believe you",
        ] {
            assert!(starts_with_address(s), "{s}");
        }
        for s in [
            "Anyway – back to the point",
            "However, DWP became increasingly worried.",
            "Options:",
            "Incidentally, the Deputy",
        ] {
            assert!(!starts_with_address(s), "{s}");
        }
    }

    #[test]
    fn names() {
        for name in ["Ken A.", "suwoo", "Dewi L Morgan", "Tooth&Claw", "Ann Lee"] {
            assert!(is_name(name), "{name}");
        }
        for text in [
            "Great post.",
            "12 May 2014",
            "Reply",
            "this is a whole sentence really",
        ] {
            assert!(!is_name(text), "{text}");
        }
        assert_eq!(
            name_and_date("Ann · 06/09/2011 07:45"),
            Some(("Ann", "06/09/2011 07:45"))
        );
        assert_eq!(name_and_date("Comment number 12 says the council"), None);
    }

    #[test]
    fn sentence_ends_and_signatures() {
        assert!(ends_sentence("(And no, I do not support THF.)"));
        assert!(ends_sentence("to your husband’s 😂"));
        assert!(!ends_sentence("para 2(e)"));
        assert!(!ends_sentence("Just stating what is"));
        assert!(ends_question("Is this so?”"));
        assert!(ends_with_emoticon("See you there 🙂") && ends_with_emoticon("Ha :-)"));
        assert!(!ends_with_emoticon("No smiley here."));
        assert!(introduces_quote(
            "You couldn’t (but he did) wrote, inter alia"
        ));
        assert!(is_lead_in("Ann wrote"));
        assert_eq!(signature_key("Curious Cat."), Some("curious cat".into()));
        assert_eq!(signature_key("Curious cat"), Some("curious cat".into()));
        assert_eq!(signature_key("Not at all British."), None);
        assert!(is_chrome("10 Responses to “The real reasons”"));
        assert!(is_chrome("© 2024 Left Futures | Powered by WordPress"));
        assert!(is_page_banner("Latest post on Left Futures"));
        assert_eq!(
            post_author("by Jessica Asato"),
            Some("Jessica Asato".into())
        );
    }
}
