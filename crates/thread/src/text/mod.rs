//! Plain text copied from a comment page (a browser's copy, or a script's
//! extraction of the page text).
//!
//! The first line is the post's title (after site banners), then comes the
//! post, then the comments. Where the comments start and how they are cut
//! is read from evidence on the page, tried in this order:
//! - [`shapes`]: comment headers of one shape repeated down the page (name
//!   and date, name and verb, forum post numbers…), read by [`headered`]
//!   (`N. Name says:` numbering) or [`shaped`];
//! - [`outline`]: numbered or bulleted list items, or paragraphs indented
//!   under the post, nested by indentation;
//! - [`bare`]: no headers at all, one comment per paragraph or line group,
//!   with signature lines (a short name repeated across the thread) closing
//!   a comment and salutations (`Dear Mr Roberts,`) opening one; in a copy
//!   with one line per paragraph and no blank lines, a signature, an address
//!   answering the comment above or a smiley joins a comment's paragraphs
//!   back to its opening;
//! - [`rhythm`]: paragraphs after a wide gap of blank lines, all gaps alike.
//!
//! Text with none of these is a post without comments, except a single
//! paragraph, which is one comment. [`furniture`] (counts, forms, buttons,
//! votes) is dropped everywhere.

mod addressing;
mod bare;
mod furniture;
mod headered;
mod lines;
mod outline;
mod rhythm;
mod shaped;
mod shapes;

use crate::{Comment, Result, Thread};

use lines::{is_chrome, is_page_banner, post_author};
use shapes::Shape;

/// Reads one thread from plain text; `id` becomes the thread id.
pub(crate) fn read(id: &str, content: &str) -> Result<Thread> {
    let all: Vec<&str> = content.lines().map(|line| line.trim_end()).collect();
    let mut rest = all.as_slice();
    while let Some((first, tail)) = rest.split_first() {
        if first.trim().is_empty() || is_page_banner(first) {
            rest = tail;
        } else {
            break;
        }
    }
    if let Some(comment) = single_paragraph(rest) {
        return Ok(Thread {
            id: id.to_owned(),
            title: None,
            text: None,
            url: None,
            author: None,
            comments: number(vec![comment]),
        });
    }
    // A page that opens with a comment header (a forum post, a Mastodon
    // thread) has no title line.
    let mut hits = shapes::dominant(rest);
    let opens_with_header = hits
        .as_ref()
        .is_some_and(|hits| hits.first().is_some_and(|hit| hit.line == 0));
    let (title, body) = match rest.split_first() {
        Some((title, body)) if !opens_with_header => {
            // The headers found below the title, counted from the body.
            for hit in hits.iter_mut().flatten() {
                hit.line -= 1;
            }
            (Some(title.trim().to_owned()), body)
        }
        _ => (None, rest),
    };

    let (start, mut comments) = comments(body, hits);
    addressing::link_replies(&mut comments);
    let post_lines = &body[..start];
    let mut author = None;
    let kept: Vec<&str> = post_lines
        .iter()
        .copied()
        .filter(|line| {
            if author.is_none() {
                if let Some(name) = post_author(line) {
                    author = Some(name);
                    return false;
                }
            }
            !is_chrome(line)
        })
        .collect();
    let text = paragraphs(&kept);
    Ok(Thread {
        id: id.to_owned(),
        title,
        text: (!text.is_empty()).then_some(text),
        url: None,
        author,
        comments: number(comments),
    })
}

/// Where the comments start in `body`, and the comments; `hits` are the
/// headers of the page's dominant shape, if it has one.
fn comments(body: &[&str], hits: Option<Vec<shapes::Hit>>) -> (usize, Vec<Found>) {
    let verb = hits
        .as_ref()
        .is_none_or(|hits| hits[0].shape == Shape::Verb);
    if verb {
        if let Some(first) = headered::find_first_header(body) {
            return (first, headered::read(&body[first..]));
        }
    }
    if let Some(hits) = hits {
        let shaped = shaped::read(body, &hits);
        // Headers that are list items of a longer list (some items without
        // a name) are read as that list.
        let listed = hits.iter().all(|hit| outline::is_item(body[hit.line]));
        return match listed.then(|| outline::read(body)).flatten() {
            Some(outlined) if outlined.1.len() > shaped.1.len() => outlined,
            _ => shaped,
        };
    }
    if let Some(found) = outline::read(body) {
        return found;
    }
    if let Some(start) = bare::find_start(body) {
        return (start, bare::read(&body[start..]));
    }
    rhythm::read(body).unwrap_or((body.len(), Vec::new()))
}

/// Text of one paragraph (no blank line inside) and nothing that makes a
/// thread of it: a single comment.
fn single_paragraph(lines: &[&str]) -> Option<Found> {
    let last = lines.iter().rposition(|line| !line.trim().is_empty())?;
    let text = &lines[..=last];
    if text.iter().any(|line| line.trim().is_empty()) {
        return None;
    }
    let threaded = text.len() > 1
        && (shapes::dominant(text).is_some() || bare::find_start(&text[1..]).is_some());
    (!threaded).then(|| Found {
        lines: text.iter().map(|line| line.trim().to_owned()).collect(),
        ..Found::default()
    })
}

/// A comment as found, before ids are given.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) author: Option<String>,
    pub(crate) time: Option<String>,
    /// Index into the found comments of the parent.
    pub(crate) parent: Option<usize>,
    pub(crate) lines: Vec<String>,
}

/// Ids `c1`..`cN` in reading order; parents point at those ids.
fn number(found: Vec<Found>) -> Vec<Comment> {
    found
        .into_iter()
        .enumerate()
        .map(|(i, found)| {
            let lines: Vec<&str> = found.lines.iter().map(String::as_str).collect();
            Comment {
                id: format!("c{}", i + 1),
                author: found.author,
                parent: found.parent.map(|parent| format!("c{}", parent + 1)),
                text: paragraphs(&lines),
                time: found.time,
                status: Default::default(),
            }
        })
        .collect()
}

/// Trims every line and keeps blank lines as single paragraph breaks.
pub(crate) fn paragraphs(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_without_numbers_and_date_lines() {
        let page = "Latest post on Some Blog\n\nA title\n\nby Jane Smith\n\nThe post.\n\n3 Comments\n\nAnna says:\nMarch 3, 2015 at 10:12 am\nFirst line.\nSecond line.\n\nBob says:\n12 May 2014\n\nReply to the post.\n\nReply\n\nLeave a Reply\n";
        let thread = read("t", page).unwrap();
        assert_eq!(thread.title.as_deref(), Some("A title"));
        assert_eq!(thread.author.as_deref(), Some("Jane Smith"));
        assert_eq!(thread.text.as_deref(), Some("The post."));
        assert_eq!(thread.comments.len(), 2);
        assert_eq!(thread.comments[0].author.as_deref(), Some("Anna"));
        assert_eq!(
            thread.comments[0].time.as_deref(),
            Some("March 3, 2015 at 10:12 am")
        );
        assert_eq!(thread.comments[0].text, "First line.\nSecond line.");
        assert_eq!(thread.comments[1].time.as_deref(), Some("12 May 2014"));
        assert_eq!(thread.comments[1].text, "Reply to the post.");
    }

    #[test]
    fn bare_comments_in_blank_line_groups() {
        let page = "Title\n\nThe post body.\n\nGreat post.\n\nI disagree with this.\nIt is wrong.\nSam\n\nDear Sam,\nYou are right.\n\nNo, he is not.\nSam\n";
        let thread = read("t", page).unwrap();
        assert_eq!(thread.text.as_deref(), Some("The post body."));
        let texts: Vec<&str> = thread.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Great post.",
                "I disagree with this.\nIt is wrong.\nSam",
                "Dear Sam,\nYou are right.",
                "No, he is not.\nSam"
            ]
        );
        assert_eq!(thread.comments[1].author.as_deref(), Some("Sam"));
        assert_eq!(thread.comments[2].author, None);
    }

    #[test]
    fn one_paragraph_is_one_comment() {
        for text in ["You are an idiot\n", "\n\nYou are an idiot.\nGo away.\n"] {
            let thread = read("t", text).unwrap();
            assert_eq!(thread.title, None);
            assert_eq!(thread.comments.len(), 1, "{text:?}");
            assert!(thread.comments[0].text.starts_with("You are an idiot"));
        }
    }

    #[test]
    fn title_and_post_without_comments() {
        let thread = read("t", "\n\nA title\n\nThe post.\n").unwrap();
        assert_eq!(thread.title.as_deref(), Some("A title"));
        assert_eq!(thread.text.as_deref(), Some("The post."));
        assert!(thread.comments.is_empty());
    }
}
