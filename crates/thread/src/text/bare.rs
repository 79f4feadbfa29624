//! Threads pasted without comment headers: the boundaries between comments
//! are inferred from signatures, salutations and how lines continue.

use std::collections::{HashMap, HashSet};

use super::lines::{
    ends_sentence, is_chrome, is_label, is_lead_in, is_list_item, is_salutation, is_separator,
    is_short_reaction, is_url, opens_quote, quote_balance, signature_key, starts_lowercase,
    starts_with_address, starts_with_continuation,
};
use super::Found;

mod closing;

/// Keys of the lines that are signatures: short names seen at least twice.
fn signatures(lines: &[&str]) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in lines.iter().filter(|line| !is_chrome(line)) {
        if let Some(key) = signature_key(line) {
            *counts.entry(key).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, count)| *count >= 2)
        .map(|(key, _)| key)
        .collect()
}

/// Where the comments start in a body without headers, or `None` when
/// nothing (no signature, no salutation) shows there are comments.
///
/// From the first signature or salutation, the start is the nearest short
/// interjection before it (`Interesting.`; a group of its own when the text
/// has blank lines between paragraphs), else the start of its blank-line
/// separated group, else the line before a signature.
pub(super) fn find_start(body: &[&str]) -> Option<usize> {
    let signatures = signatures(body);
    let is_signature =
        |line: &str| signature_key(line).is_some_and(|key| signatures.contains(&key));
    let evidence = body
        .iter()
        .position(|line| is_signature(line) || is_salutation(line))?;
    if is_salutation(body[evidence]) && !is_signature(body[evidence]) {
        return Some(evidence);
    }
    let before = &body[..evidence];
    let blank = |i: usize| before.get(i).is_none_or(|line| line.trim().is_empty());
    // With blank lines between paragraphs, an interjection is a group of its own.
    let grouped = before
        .iter()
        .skip_while(|line| line.trim().is_empty())
        .any(|line| line.trim().is_empty());
    let standalone = |i: usize| !grouped || ((i == 0 || blank(i - 1)) && blank(i + 1));
    if let Some(reaction) = (0..before.len())
        .rev()
        .find(|&i| is_short_reaction(before[i]) && standalone(i))
    {
        return Some(reaction);
    }
    if let Some(blank) = before.iter().rposition(|line| line.trim().is_empty()) {
        if blank + 1 < evidence {
            return Some(blank + 1);
        }
    }
    Some(evidence.saturating_sub(1))
}

/// Lines read as one comment so far.
struct Segment<'a> {
    lines: Vec<&'a str>,
    /// Ends with a signature line.
    signed: bool,
    /// Follows a signed segment: another commenter answering it.
    after_signed: bool,
    /// All lines so far are one quotation (a reply that starts by quoting).
    only_quote: bool,
    /// Open double quotes at the end of the last line.
    open_quotes: i32,
    in_separator: bool,
}

impl<'a> Segment<'a> {
    fn new(line: &'a str) -> Self {
        let mut segment = Segment {
            lines: Vec::new(),
            signed: false,
            after_signed: false,
            only_quote: opens_quote(line),
            open_quotes: 0,
            in_separator: false,
        };
        segment.push(line);
        segment
    }

    fn first(&self) -> &'a str {
        self.lines.first().copied().unwrap_or_default()
    }

    fn last(&self) -> &'a str {
        self.lines.last().copied().unwrap_or_default()
    }

    fn push(&mut self, line: &'a str) {
        if self.open_quotes <= 0 && !self.lines.is_empty() && !opens_quote(line) {
            self.only_quote = false;
        }
        self.open_quotes = (self.open_quotes + quote_balance(line)).max(0);
        if is_separator(line) {
            self.in_separator = !self.in_separator;
        }
        self.lines.push(line);
    }
}

/// Splits the comment part of a bare thread into comments.
///
/// Lines are joined into one comment when the second visibly continues the
/// first (a lead-in ending with `:` or `,`, an open quotation, a sentence
/// going on in lower case, list items, `And`/`But`/`Of course`..., a
/// signature closing it); a signature, a salutation or an address to
/// someone (`Graham: ...`, `Ted, I believe...`) or a quotation after a
/// finished sentence starts a new one. Otherwise each line (or blank-line
/// separated group, when the text has blank lines) is a comment of its own,
/// until a mark that closes a comment (a signature, an address answering
/// it, a smiley) joins the paragraphs back to its opening ([`closing`]): a
/// comment of several paragraphs with no such mark may come out as several
/// comments, but one commenter's text is not merged into another's.
pub(super) fn read(lines: &[&str]) -> Vec<Found> {
    let lines: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|line| !is_chrome(line))
        .collect();
    let signatures = signatures(&lines);
    let signature_names: Vec<&String> = signatures.iter().collect();
    let is_signature =
        |line: &str| signature_key(line).is_some_and(|key| signatures.contains(&key));
    let starts_with_signature = |line: &str| {
        let lower = line.trim_start().to_lowercase();
        signature_names.iter().any(|name| {
            lower
                .strip_prefix(name.as_str())
                .is_some_and(|rest| rest.starts_with(['.', ',', ':']) && rest[1..].trim().len() > 1)
        })
    };
    let groups = lines
        .windows(3)
        .any(|w| !w[0].trim().is_empty() && w[1].trim().is_empty() && !w[2].trim().is_empty());

    let mut segments: Vec<Segment<'_>> = Vec::new();
    let mut blank_before = false;
    for &line in &lines {
        if line.trim().is_empty() {
            blank_before = true;
            continue;
        }
        let Some(current) = segments.last_mut() else {
            segments.push(Segment::new(line));
            continue;
        };
        let previous = current.lines.last().copied().unwrap_or_default();
        let opened_by_name =
            current.lines.len() == 1 && (is_signature(previous) || is_salutation(previous));
        let opens_comment = is_salutation(line)
            || starts_with_address(line)
            || starts_with_signature(line)
            || (opens_quote(line) && ends_sentence(previous));
        let continues_comment = current.in_separator
            || is_separator(line)
            || is_lead_in(previous)
            || (starts_with_continuation(previous) && !ends_sentence(previous))
            || current.open_quotes > 0
            || is_url(line)
            || (!ends_sentence(previous) && (starts_lowercase(line) || opens_quote(line)))
            || (is_list_item(line) && is_list_item(previous))
            || starts_with_continuation(line)
            || is_label(line)
            || (current.only_quote && current.open_quotes == 0)
            || (groups && !blank_before);
        let split = if current.signed {
            true
        } else if is_signature(line) || opened_by_name {
            false
        } else {
            opens_comment || !continues_comment
        };
        blank_before = false;
        if split {
            let after_signed = current.signed;
            segments.push(Segment::new(line));
            if let Some(new) = segments.last_mut() {
                new.after_signed = after_signed;
            }
        } else {
            current.push(line);
        }
        if let Some(current) = segments.last_mut() {
            current.signed = is_signature(line) && current.lines.len() > 1;
        }
    }

    if !groups {
        segments = closing::join_closed_comments(segments, &signatures);
    }
    segments
        .into_iter()
        .map(|segment| {
            let author = if segment.signed {
                segment
                    .lines
                    .last()
                    .map(|line| line.trim().trim_end_matches('.').to_owned())
            } else {
                None
            };
            Found {
                author,
                lines: segment
                    .lines
                    .iter()
                    .map(|line| line.trim().to_owned())
                    .collect(),
                ..Found::default()
            }
        })
        .collect()
}
