//! Comments introduced by `N. Name says:` headers, nested by indentation.

use super::lines::{header, indent, is_chrome, is_date, is_name_line, numbered, Header};
use super::Found;

/// The header on each line, if any: `N. Name says:` lines, and (when there
/// are at least two of them, so that a post's byline and date are not taken
/// for a comment) a name line followed by a date line.
fn headers(lines: &[&str]) -> Vec<Option<Header>> {
    let mut headers: Vec<Option<Header>> = lines.iter().map(|line| header(line)).collect();
    let dated: Vec<usize> = (0..lines.len())
        .filter(|&i| headers[i].is_none() && is_name_line(lines[i]))
        .filter(|&i| {
            let next = lines[i + 1..].iter().find(|line| !line.trim().is_empty());
            next.is_some_and(|line| is_date(line))
        })
        .collect();
    if dated.len() >= 2 {
        for i in dated {
            headers[i] = Some(Header {
                indent: indent(lines[i]),
                number: None,
                name: lines[i].trim().to_owned(),
            });
        }
    }
    headers
}

/// Index of the first header line, if the text has any.
pub(super) fn find_first_header(lines: &[&str]) -> Option<usize> {
    headers(lines).iter().position(Option::is_some)
}

/// An open comment: where its header sits and which number it had.
struct Open {
    indent: usize,
    number: Option<u32>,
    index: usize,
}

/// Reads comments from `lines`, which start with a header. A reply's parent
/// is the nearest open comment whose header is indented less. A numbered
/// line without `says:` at the indentation and next number of an open
/// comment's level starts an anonymous comment (its text on that line).
/// After the last header, a line indented less than the top-level headers
/// ends the comments: that is the page below the thread.
pub(super) fn read(lines: &[&str]) -> Vec<Found> {
    let mut headers = headers(lines);
    let base = headers
        .iter()
        .flatten()
        .map(|header| header.indent)
        .min()
        .unwrap_or(0);
    let mut found: Vec<Found> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut expect_date = false;
    let last_header = headers.iter().rposition(Option::is_some).unwrap_or(0);
    for (at, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            if let Some(current) = found.last_mut() {
                current.lines.push(String::new());
            }
            continue;
        }
        if base > 0 && at > last_header && indent(line) < base {
            break;
        }
        if let Some(header) = headers[at].take() {
            while open.last().is_some_and(|top| top.indent >= header.indent) {
                open.pop();
            }
            found.push(Found {
                author: Some(header.name),
                parent: open.last().map(|parent| parent.index),
                ..Found::default()
            });
            open.push(Open {
                indent: header.indent,
                number: header.number,
                index: found.len() - 1,
            });
            expect_date = true;
            continue;
        }
        if let Some((at, number, text)) = numbered(line) {
            let top_indent = open.last().map_or(0, |top| top.indent);
            let level = open.iter().rposition(|level| level.indent == at);
            if let Some(level) = level.filter(|&level| {
                at <= top_indent && open[level].number.map(|n| n + 1) == Some(number)
            }) {
                open.truncate(level);
                found.push(Found {
                    parent: open.last().map(|parent| parent.index),
                    lines: vec![text.to_owned()],
                    ..Found::default()
                });
                open.push(Open {
                    indent: at,
                    number: Some(number),
                    index: found.len() - 1,
                });
                expect_date = false;
                continue;
            }
        }
        let Some(current) = found.last_mut() else {
            continue;
        };
        if expect_date && current.lines.iter().all(String::is_empty) && is_date(line) {
            current.time = Some(line.trim().to_owned());
            expect_date = false;
            continue;
        }
        expect_date = false;
        if !is_chrome(line) {
            current.lines.push(line.trim().to_owned());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unindented_line_inside_the_thread_is_kept() {
        let lines = [
            "  1. Ann says:",
            "    First.",
            "Lost its indentation.",
            "  2. Bob says:",
            "    Second.",
            "Footer of the page",
        ];
        let found = read(&lines);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].lines, ["First.", "Lost its indentation."]);
        assert_eq!(found[1].lines, ["Second."]);
    }

    #[test]
    fn name_and_date_lines_make_headers() {
        let lines = [
            "Ann Smith",
            "March 3, 2015 at 10:12 am",
            "First comment.",
            "Reply",
            "  Bob",
            "  March 3, 2015 at 11:00 am",
            "  A reply.",
            "Carl",
            "4 March 2015",
            "Another comment.",
        ];
        assert_eq!(find_first_header(&lines), Some(0));
        let found = read(&lines);
        let authors: Vec<_> = found.iter().map(|f| f.author.as_deref().unwrap()).collect();
        assert_eq!(authors, ["Ann Smith", "Bob", "Carl"]);
        assert_eq!(found[1].parent, Some(0));
        assert_eq!(found[2].parent, None);
        assert_eq!(found[0].time.as_deref(), Some("March 3, 2015 at 10:12 am"));
        assert_eq!(found[0].lines, ["First comment."]);
        // One name over a date is a byline, not a thread.
        assert_eq!(
            find_first_header(&["Jessica Asato", "12 May 2014", "The post."]),
            None
        );
    }
}
