//! Comments cut at the headers of the page's dominant [`Shape`]: each
//! header opens (or, for trailing shapes, closes) one comment; replies are
//! nested by the indentation of their header.

use super::furniture::{ends_thread, is_comments_heading, is_member_stats};
use super::lines::{indent, is_chrome, is_date, is_name};
use super::shapes::Hit;
use super::Found;

/// Reads the comments marked by `hits` (all of one shape, in page order);
/// returns where the comments start and the comments.
pub(crate) fn read(lines: &[&str], hits: &[Hit]) -> (usize, Vec<Found>) {
    let Some(first) = hits.first() else {
        return (lines.len(), Vec::new());
    };
    if first.shape.trails() {
        return read_trailing(lines, hits);
    }
    let base = hits.iter().map(|hit| hit.indent).min().unwrap_or(0);
    let mut found = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (k, hit) in hits.iter().enumerate() {
        let from = hit.line + hit.len;
        let to = match hits.get(k + 1) {
            Some(next) => next.line,
            None => last_line(lines, from, base),
        };
        while open.last().is_some_and(|&(indent, _)| indent >= hit.indent) {
            open.pop();
        }
        let mut comment = Found {
            author: hit.name.clone(),
            time: hit.time.clone(),
            parent: open.last().map(|&(_, index)| index),
            lines: Vec::new(),
        };
        fill(&mut comment, &lines[from..to.max(from)]);
        open.push((hit.indent, found.len()));
        found.push(comment);
    }
    (first.line, found)
}

/// Where the last comment ends: at the comment form or page navigation, or
/// at a line indented less than the headers when they are indented.
fn last_line(lines: &[&str], from: usize, base: usize) -> usize {
    (from..lines.len())
        .find(|&i| {
            let line = lines[i];
            ends_thread(line) || (base > 0 && !line.trim().is_empty() && indent(line) < base)
        })
        .unwrap_or(lines.len())
}

/// Comments closed by a header after them (`Posted by Name at …`): each
/// comment is the text since the previous header; the first starts after
/// the comment list's heading (`Comments`), or without one, is the last
/// paragraph before the first header.
fn read_trailing(lines: &[&str], hits: &[Hit]) -> (usize, Vec<Found>) {
    // A `Posted by` line above the comment list's heading is the post's.
    let last = hits[hits.len() - 1].line;
    let heading = (0..last).find(|&i| is_comments_heading(lines[i]));
    let hits: Vec<&Hit> = hits
        .iter()
        .filter(|hit| heading.is_none_or(|heading| hit.line > heading))
        .collect();
    let first = hits[0].line;
    let end = (0..first)
        .rev()
        .find(|&i| !lines[i].trim().is_empty())
        .map_or(0, |i| i + 1);
    let start = match (0..end).rev().find(|&i| is_comments_heading(lines[i])) {
        Some(heading) => heading + 1,
        None => (0..end)
            .rev()
            .find(|&i| lines[i].trim().is_empty() || is_chrome(lines[i]))
            .map_or(0, |i| i + 1),
    };
    let mut from = start;
    let mut found = Vec::new();
    for hit in hits {
        let mut comment = Found {
            author: hit.name.clone(),
            time: hit.time.clone(),
            ..Found::default()
        };
        fill(&mut comment, &lines[from.min(hit.line)..hit.line]);
        found.push(comment);
        from = hit.line + hit.len;
    }
    (start, found)
}

/// Puts the comment's text lines into `comment`: furniture dropped, a date
/// line at either end taken as the time.
fn fill(comment: &mut Found, lines: &[&str]) {
    let signs_stats = |i: usize| {
        lines[i + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| is_member_stats(l))
    };
    let mut kept: Vec<&str> = (0..lines.len())
        .filter(|&i| !(is_chrome(lines[i]) || (is_name(lines[i]) && signs_stats(i))))
        .map(|i| lines[i])
        .collect();
    while kept.last().is_some_and(|l| l.trim().is_empty()) {
        kept.pop();
    }
    while kept.first().is_some_and(|l| l.trim().is_empty()) {
        kept.remove(0);
    }
    for at_end in [true, false] {
        let edge = if at_end { kept.last() } else { kept.first() };
        if let Some(&line) = edge.filter(|l| is_date(l)) {
            if comment.time.is_none() {
                comment.time = Some(line.trim().to_owned());
            }
            if at_end {
                kept.pop();
            } else {
                kept.remove(0);
            }
        }
    }
    comment.lines = kept.iter().map(|l| l.trim().to_owned()).collect();
}
