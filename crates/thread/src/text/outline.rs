//! Comments as an outline: numbered or bulleted list items (`  1. text`,
//! `    • reply`), or, without markers, paragraphs indented under an
//! unindented post. Deeper items are replies to the item above them.

use std::sync::LazyLock;

use regex::Regex;

use super::furniture::ends_thread;
use super::lines::{indent, is_chrome, is_date, is_name, name_and_date, regex};
use super::Found;

/// `  1. text`, `  • text`: indentation, number if any, text.
static ITEM: LazyLock<Regex> = LazyLock::new(|| regex(r"^(\s+)(?:(\d{1,4})[.)]|[•◦▪*])\s+(\S.*)$"));
/// A theme's comment number before the name: `6 desertflower`.
static NUMBERED_NAME: LazyLock<Regex> = LazyLock::new(|| regex(r"^\d{1,5}\s+(\S.*)$"));

/// A list item line.
pub(crate) fn is_item(line: &str) -> bool {
    ITEM.is_match(line)
}

/// An item start: line, indentation, text after the marker.
struct Start<'a> {
    line: usize,
    indent: usize,
    text: &'a str,
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// List items: indented lines with a marker, when at least two of them
/// stand at the outermost level and numbered ones count up from 1.
fn list_items<'a>(lines: &[&'a str]) -> Option<Vec<Start<'a>>> {
    let mut starts = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        if let Some(c) = ITEM.captures(line) {
            let number: Option<u32> = c.get(2).and_then(|n| n.as_str().parse().ok());
            starts.push((
                at,
                indent(line),
                number,
                c.get(3).map_or("", |m| m.as_str()),
            ));
        }
    }
    let outer = starts.iter().map(|s| s.1).min()?;
    let top: Vec<Option<u32>> = starts
        .iter()
        .filter(|s| s.1 == outer)
        .map(|s| s.2)
        .collect();
    let counts_up = top
        .iter()
        .enumerate()
        .all(|(i, n)| n.is_none_or(|n| n as usize == i + 1));
    (top.len() >= 2 && counts_up).then(|| {
        starts
            .into_iter()
            .map(|(line, indent, _, text)| Start { line, indent, text })
            .collect()
    })
}

/// Paragraphs indented under an unindented post: each run of lines at one
/// indentation after a blank line or a change of indentation.
fn indented_paragraphs<'a>(lines: &[&'a str]) -> Option<Vec<Start<'a>>> {
    let first = lines.iter().position(|l| !is_blank(l) && indent(l) >= 2)?;
    let before = &lines[..first];
    if !before.iter().any(|l| !is_blank(l)) || before.iter().any(|l| !is_blank(l) && indent(l) > 0)
    {
        return None;
    }
    let mut starts = Vec::new();
    let mut previous: Option<usize> = None;
    for (at, line) in lines.iter().enumerate().skip(first) {
        if is_blank(line) {
            previous = None;
            continue;
        }
        let depth = indent(line);
        if depth < 2 {
            break;
        }
        if previous != Some(depth) {
            starts.push(Start {
                line: at,
                indent: depth,
                text: line.trim(),
            });
        }
        previous = Some(depth);
    }
    (starts.len() >= 2).then_some(starts)
}

/// Reads outline comments; `None` when the text has no outline.
pub(crate) fn read(lines: &[&str]) -> Option<(usize, Vec<Found>)> {
    let starts = list_items(lines).or_else(|| indented_paragraphs(lines))?;
    let outer = starts.iter().map(|s| s.indent).min().unwrap_or(0);
    let mut found: Vec<Found> = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (k, start) in starts.iter().enumerate() {
        let next = starts.get(k + 1).map_or(lines.len(), |s| s.line);
        // Past the last item, the list ends at a line indented less than it.
        let end = (start.line + 1..next)
            .find(|&i| {
                ends_thread(lines[i]) || (!is_blank(lines[i]) && indent(lines[i]) < outer.max(1))
            })
            .unwrap_or(next);
        while open.last().is_some_and(|&(depth, _)| depth >= start.indent) {
            open.pop();
        }
        let mut comment = Found {
            parent: open.last().map(|&(_, index)| index),
            ..Found::default()
        };
        let body: Vec<&str> = lines[start.line + 1..end]
            .iter()
            .copied()
            .filter(|l| !is_chrome(l))
            .collect();
        fill(&mut comment, start.text, &body);
        open.push((start.indent, found.len()));
        found.push(comment);
    }
    Some((starts[0].line, found))
}

/// The item's first line is its author when it is a name (with or without
/// a date) and text follows; a date line after it is the time.
fn fill(comment: &mut Found, first: &str, body: &[&str]) {
    let has_body = body.iter().any(|l| !is_blank(l) && !is_date(l));
    let first = NUMBERED_NAME
        .captures(first)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
        .filter(|rest| has_body && is_name(rest))
        .unwrap_or(first);
    let mut body = body
        .iter()
        .map(|l| l.trim())
        .skip_while(|l| l.is_empty())
        .peekable();
    if let Some((name, time)) = name_and_date(first).filter(|_| has_body) {
        comment.author = Some(name.to_owned());
        comment.time = Some(time.to_owned());
    } else if has_body && is_name(first) {
        comment.author = Some(first.trim().to_owned());
    } else {
        comment.lines.push(first.trim().to_owned());
    }
    if comment.lines.is_empty() && body.peek().is_some_and(|l| is_date(l)) {
        comment.time = body.next().map(str::to_owned);
    }
    comment.lines.extend(body.map(str::to_owned));
    while comment.lines.last().is_some_and(|l| l.is_empty()) {
        comment.lines.pop();
    }
}
