//! Plain text copied from a blog page.
//!
//! The first line is the post's title, then comes the post, then the
//! comments. Two layouts are recognised:
//! - [`headered`]: comments introduced by `N. Name says:` headers, or by a
//!   name line over a date line, nested replies indented under their parent
//!   with numbering restarting under each parent;
//! - [`bare`]: no headers at all, one comment per paragraph or line group,
//!   with signature lines (a short name repeated across the thread) closing
//!   a comment and salutations (`Dear Mr Roberts,`) opening one.
//!
//! Text without either is a post without comments.

mod bare;
mod headered;
mod lines;

use crate::{Comment, Result, Thread};

use lines::{is_chrome, is_page_banner, post_author};

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
    let (title, body) = match rest.split_first() {
        Some((title, body)) => (Some(title.trim().to_owned()), body),
        None => (None, rest),
    };

    let (post_lines, comments) = match headered::find_first_header(body) {
        Some(first) => (&body[..first], headered::read(&body[first..])),
        None => match bare::find_start(body) {
            Some(start) => (&body[..start], bare::read(&body[start..])),
            None => (body, Vec::new()),
        },
    };

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
    fn title_only_and_post_only() {
        let thread = read("t", "\n\nJust a title\n").unwrap();
        assert_eq!(thread.title.as_deref(), Some("Just a title"));
        assert!(thread.text.is_none() && thread.comments.is_empty());
    }
}
