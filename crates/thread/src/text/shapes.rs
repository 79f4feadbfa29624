//! Header shapes: the ways comment pages introduce (or close) a comment,
//! found line by line. Which shape a page uses is decided by how often each
//! repeats on it ([`dominant`]), not by knowing the site.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::furniture::is_member_stats;
use super::lines::{indent, is_chrome, is_date, is_name, name_and_date, regex, DATE_CORE};

/// How a comment header looks. Earlier variants win ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Shape {
    /// `Name says:`, `Blogger Name said...`, `On 2 Mar 2018 at 9:18pm Name
    /// wrote:`, `Name said at 11:16 am on March 1st, 2020:`.
    Verb,
    /// A name line (shown once or twice) over a date line.
    NameOverDate,
    /// `(Name) #62`, `Name #12`: forum post numbers.
    PostNumber,
    /// `Name · 06/09/2011 07:45`, `Name | March 3, 2012 at 11:56 am`.
    NameDate,
    /// A name over a `@user@host` handle (Mastodon).
    NameHandle,
    /// `• Name` over the comment: Disqus and threaded themes copied as text.
    BulletName,
    /// `By Name` (phpBB).
    ByName,
    /// `Name (Place)` over the comment (news sites).
    NamePlace,
    /// `Posts: 123` member statistics opening a forum post, the name (when
    /// shown) on the line above.
    MemberStats,
    /// `Posted by Name at 11:56 AM` after the comment (Movable Type,
    /// Typepad).
    PostedBy,
    /// A user name (one word) alone between blank lines (Reddit mirrors).
    NameAlone,
}

impl Shape {
    /// The fewest repeats that make a page's layout.
    fn min_repeats(self) -> usize {
        match self {
            Shape::Verb => 1,
            Shape::NameAlone => 3,
            _ => 2,
        }
    }

    /// The header follows its comment instead of leading it.
    pub(crate) fn trails(self) -> bool {
        self == Shape::PostedBy
    }
}

/// One header found on the page.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub(crate) shape: Shape,
    /// First line of the header.
    pub(crate) line: usize,
    /// Lines the header takes (name line, repeated name, date line).
    pub(crate) len: usize,
    pub(crate) indent: usize,
    pub(crate) name: Option<String>,
    pub(crate) time: Option<String>,
}

static VERB: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        concat!(
            r"^(?:On\s+(?P<date>{date})\s+)?(?P<name>\S.{{0,60}}?)\s+(?:says|said|wrote|writes|replied|commented)",
            r"(?:\s+(?:on|at)\s+(?P<when>.{{4,50}}?))?\s*(?::|\.\.\.|…)\s*$"
        ),
        date = DATE_CORE
    ))
});
static POST_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?:\((?P<paren>[^()]{1,40})\)|(?P<name>\S.{0,40}?))\s*#\d{1,6}\s*$"));
static BY_NAME: LazyLock<Regex> = LazyLock::new(|| regex(r"^By\s+(?P<name>\S.{0,40})$"));
static NAME_PLACE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?P<name>[^()]{1,40}?)\s*\((?P<place>[^()]{2,40})\)$"));
static POSTED_BY: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i)^posted\s+by:?\s+(?P<name>\S.{0,60}?)\s+(?:at|on|\|)\s+(?P<when>.*\d.*)$")
});
static HANDLE: LazyLock<Regex> = LazyLock::new(|| regex(r"^@[\w.]+@[\w.-]+$"));
/// `[–]name 42 points 5 hours ago` (old Reddit): name, date.
static REDDIT: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^\[[–-]\]\s*(?P<name>\S+?)(?:\[S\])?\s+(?:-?\d+\s+points?|\[score hidden\])\s+(?P<when>.*\bago)$",
    )
});
/// A line that stops the look upwards for a forum member's name.
static POST_DATE: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)^\s*(?:posted\s*:|old\s+\d)"));
static LIST_MARKER: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?:\d{1,4}[.)]\s+|[•◦▪·]\s+)?(?:\d{1,5}\s+)?"));
static BULLET: LazyLock<Regex> = LazyLock::new(|| regex(r"^[•◦▪]\s+(?P<name>\S.*)$"));

/// The line without indentation, list marker (`1.`, `•`) or a theme's
/// comment number (`6 desertflower`).
fn unmarked(line: &str) -> &str {
    let trimmed = line.trim();
    let rest = &trimmed[LIST_MARKER.find(trimmed).map_or(0, |m| m.end())..];
    if rest.is_empty() {
        trimmed
    } else {
        rest
    }
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The next non-blank line after `at`.
fn next_text(lines: &[&str], at: usize) -> Option<usize> {
    (at + 1..lines.len()).find(|&i| !is_blank(lines[i]))
}

/// A Blogger avatar's alternative text before the name (`Blogger martin`,
/// `Anonymous r`) is not part of the name.
fn without_avatar(name: &str) -> &str {
    for prefix in ["Blogger ", "Anonymous "] {
        if let Some(rest) = name.strip_prefix(prefix) {
            if !rest.trim().is_empty() {
                return rest.trim();
            }
        }
    }
    name
}

/// A name as shown, without a reply arrow (`Ron → Greta`).
fn clean_name(name: &str) -> &str {
    name.split(" → ").next().unwrap_or(name).trim()
}

/// The next line after `at` that is neither blank nor furniture.
fn next_content(lines: &[&str], at: usize) -> Option<usize> {
    (at + 1..lines.len()).find(|&i| !is_blank(lines[i]) && !is_chrome(lines[i]))
}

/// A forum member's name above their statistics (`Posts: 12`), past
/// furniture such as member titles, and not past the previous post's date.
fn member_name(lines: &[&str], stats: usize) -> Option<usize> {
    for i in (stats.saturating_sub(5)..stats).rev() {
        let line = lines[i];
        if POST_DATE.is_match(line) || is_date(line) {
            return None;
        }
        if is_blank(line) || is_chrome(line) {
            continue;
        }
        let name = line.trim();
        return (is_name(name) && !name.contains(':')).then_some(i);
    }
    None
}

/// Every header of every shape found at line `at`.
fn hits_at(lines: &[&str], at: usize) -> Vec<Hit> {
    let line = lines[at];
    let trimmed = line.trim();
    let mut found = Vec::new();
    if trimmed.is_empty() || trimmed.len() > 160 {
        return found;
    }
    let hit = |shape, len, name: Option<&str>, time: Option<&str>| Hit {
        shape,
        line: at,
        len,
        indent: indent(line),
        name: name
            .map(|n| clean_name(n).to_owned())
            .filter(|n| !n.is_empty()),
        time: time.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()),
    };
    let bare = unmarked(line);
    let followed_by_text = next_text(lines, at).is_some();

    let verb = bare.ends_with([':', '.', '…'])
        && ["says", "said", "wrote", "writes", "replied", "commented"]
            .iter()
            .any(|verb| bare.contains(verb));
    if let Some(c) = verb.then(|| VERB.captures(bare)).flatten() {
        let mut name = without_avatar(&c["name"]);
        let mut time = c.name("when").or(c.name("date")).map(|m| m.as_str());
        // `Ann on March 3, 2012 at 11:56 am said:`
        if let Some((named, dated)) = name_and_date(name) {
            (name, time) = (named, Some(dated));
        }
        let dated_prefix = c.name("date").is_none_or(|d| is_date(d.as_str()));
        let short = is_name(name) || (name.split_whitespace().count() <= 4 && name.len() <= 40);
        if short && dated_prefix && followed_by_text && !starts_sentence_verb(name) {
            found.push(hit(Shape::Verb, 1, Some(name), time));
        }
    }
    if is_name(bare) && !bare.starts_with(['(', '[', '@', '#', '"', '“']) {
        if let Some(next) = next_content(lines, at) {
            let mut date_at = next;
            if lines[next].trim() == bare {
                date_at = next_content(lines, next).unwrap_or(next);
            }
            if is_date(lines[date_at]) && next_text(lines, date_at).is_some() {
                let time = lines[date_at].trim().trim_start_matches(['•', '·', '|']);
                let name = clean_name(bare);
                found.push(hit(
                    Shape::NameOverDate,
                    date_at + 1 - at,
                    Some(name),
                    Some(time),
                ));
            }
        }
        if let Some(next) = next_text(lines, at).filter(|&i| HANDLE.is_match(lines[i].trim())) {
            if next_text(lines, next).is_some() {
                found.push(hit(Shape::NameHandle, next + 1 - at, Some(bare), None));
            }
        }
        let blank_before = at == 0 || is_blank(lines[at - 1]);
        let blank_after = lines.get(at + 1).is_none_or(|l| is_blank(l));
        let body = next_text(lines, at).map(|i| lines[i]);
        if blank_before
            && blank_after
            && bare == trimmed
            && !bare.contains(char::is_whitespace)
            && body.is_some_and(|b| !is_name(b) && !is_date(b) && b.split_whitespace().count() >= 3)
        {
            found.push(hit(Shape::NameAlone, 1, Some(bare), None));
        }
    }
    if let Some(c) = trimmed
        .contains('#')
        .then(|| POST_NUMBER.captures(trimmed))
        .flatten()
    {
        let name = c
            .name("paren")
            .or(c.name("name"))
            .map_or("", |m| m.as_str());
        if is_name(name) && followed_by_text {
            found.push(hit(Shape::PostNumber, 1, Some(name), None));
        }
    }
    if let Some(c) = bare
        .starts_with('[')
        .then(|| REDDIT.captures(bare))
        .flatten()
    {
        found.push(hit(Shape::NameDate, 1, Some(&c["name"]), Some(&c["when"])));
    } else if let Some((name, time)) = name_and_date(bare) {
        if followed_by_text {
            found.push(hit(Shape::NameDate, 1, Some(name), Some(time)));
        }
    }
    if let Some(c) = BULLET.captures(trimmed) {
        let name = c["name"].trim();
        if is_name(name) && followed_by_text {
            found.push(hit(Shape::BulletName, 1, Some(name), None));
        }
    }
    if let Some(c) = trimmed
        .starts_with("By ")
        .then(|| BY_NAME.captures(trimmed))
        .flatten()
    {
        if is_name(&c["name"]) && followed_by_text {
            found.push(hit(Shape::ByName, 1, Some(&c["name"]), None));
        }
    }
    if let Some(c) = trimmed
        .ends_with(')')
        .then(|| NAME_PLACE.captures(trimmed))
        .flatten()
    {
        let body = next_text(lines, at).map(|i| lines[i]);
        if !c["name"].trim().ends_with(['!', '?', ',', ':'])
            && c["name"].split_whitespace().count() <= 6
            && body.is_some_and(|b| b.split_whitespace().count() >= 2)
        {
            found.push(hit(Shape::NamePlace, 1, Some(trimmed), None));
        }
    }
    if is_member_stats(trimmed) {
        let above = member_name(lines, at);
        let start = above.unwrap_or(at);
        found.push(Hit {
            line: start,
            len: at + 1 - start,
            ..hit(Shape::MemberStats, 1, above.map(|i| lines[i].trim()), None)
        });
    }
    let posted = trimmed
        .get(..6)
        .is_some_and(|head| head.eq_ignore_ascii_case("posted"));
    if let Some(c) = posted.then(|| POSTED_BY.captures(trimmed)).flatten() {
        found.push(hit(Shape::PostedBy, 1, Some(&c["name"]), Some(&c["when"])));
    }
    found
}

/// `The minister says:`: a sentence, not a name, before the verb.
fn starts_sentence_verb(name: &str) -> bool {
    let first = name.split_whitespace().next().unwrap_or("");
    matches!(
        first.to_lowercase().as_str(),
        "the"
            | "he"
            | "she"
            | "it"
            | "they"
            | "we"
            | "you"
            | "i"
            | "this"
            | "that"
            | "who"
            | "which"
            | "as"
            | "and"
            | "but"
    ) && name.split_whitespace().count() > 1
}

/// The headers of the shape that repeats most on the page, if one repeats
/// enough to be the page's layout. Headers of that shape overlapping an
/// earlier one are dropped.
pub(crate) fn dominant(lines: &[&str]) -> Option<Vec<Hit>> {
    let all: Vec<Hit> = (0..lines.len()).flat_map(|at| hits_at(lines, at)).collect();
    let mut counts: BTreeMap<Shape, usize> = BTreeMap::new();
    for hit in &all {
        *counts.entry(hit.shape).or_default() += 1;
    }
    let mut best: Option<(usize, Shape)> = None;
    for (&shape, &count) in &counts {
        if count < shape.min_repeats() {
            continue;
        }
        let better = match best {
            None => true,
            Some((best_count, best_shape)) => {
                count > best_count || (count == best_count && shape < best_shape)
            }
        };
        if better {
            best = Some((count, shape));
        }
    }
    let (_, shape) = best?;
    let mut chosen: Vec<Hit> = Vec::new();
    for hit in all.into_iter().filter(|hit| hit.shape == shape) {
        if chosen
            .last()
            .is_none_or(|last| hit.line >= last.line + last.len)
        {
            chosen.push(hit);
        }
    }
    Some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(page: &str) -> Option<(Shape, Vec<Option<String>>)> {
        let lines: Vec<&str> = page.lines().collect();
        let hits = dominant(&lines)?;
        Some((hits[0].shape, hits.into_iter().map(|h| h.name).collect()))
    }

    #[test]
    fn shapes_are_found_by_repetition() {
        let blogger = "Blogger ann said...\n\nHi.\n\n12:45 PM\nAnonymous said...\n\nHo.\n";
        assert_eq!(
            shape_of(blogger),
            Some((
                Shape::Verb,
                vec![Some("ann".into()), Some("Anonymous".into())]
            ))
        );
        let forum = "On 2 Mar 2018 at 9:18pm Shadrack wrote:\nText\n";
        assert_eq!(shape_of(forum).unwrap().1, [Some("Shadrack".into())]);
        let discourse = "(Ann Lee) #62\n\nText one.\n\n(Bo) #63\n\nText two.\n";
        assert_eq!(shape_of(discourse).unwrap().0, Shape::PostNumber);
        let mumsnet = "Ann · 06/09/2011 07:45\n\nText.\n\nbob · 07/09/2011 05:49\n\nMore.\n";
        assert_eq!(
            shape_of(mumsnet),
            Some((
                Shape::NameDate,
                vec![Some("Ann".into()), Some("bob".into())]
            ))
        );
        let posted = "Text one.\n\nPosted by Ann at Tuesday, 12 June 2012 at 12:36am BST\n\nText two.\n\nPosted by Bo at 12 June 2012\n";
        assert_eq!(shape_of(posted).unwrap().0, Shape::PostedBy);
        assert_eq!(shape_of("The minister says:\nNothing.\n"), None);
        assert_eq!(shape_of("One line of text\n"), None);
    }
}
