//! The HTML of a WordPress post page: the post and the comment list markup
//! of the default themes (classic `ol.commentlist`/`ol.comment-list` with
//! `li.comment`, nested `ol.children`, and the block themes' comment
//! template).

use std::sync::LazyLock;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::{ElementRef, Html, Selector};

use crate::date::parse_date;
use crate::html::element_to_text;
use crate::{Comment, CommentStatus, Thread};

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|err| panic!("selector {css:?} is valid css: {err}"))
}

static TITLE: LazyLock<Selector> = LazyLock::new(|| {
    selector(
        "h1.entry-title, .entry-title, h1.wp-block-post-title, .wp-block-post-title, h1.post-title",
    )
});
static PAGE_TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static BODY: LazyLock<Selector> =
    LazyLock::new(|| selector(".entry-content, .wp-block-post-content, .post-content, .entry"));
static CANONICAL: LazyLock<Selector> =
    LazyLock::new(|| selector("link[rel=\"canonical\"], meta[property=\"og:url\"]"));
static POST_AUTHOR: LazyLock<Selector> = LazyLock::new(|| {
    selector(".entry-meta .author .fn, .byline .author a, .byline a.author, .entry-meta .author a, a[rel=\"author\"], .wp-block-post-author-name, .entry-meta a[href*=\"/author/\"], .post-meta a[href*=\"/author/\"], .byline a[href*=\"/author/\"], .posted-by a, .postmetadata a[href*=\"/author/\"]")
});
/// Where themes write "Posted on DATE by NAME" without marking the name.
static POST_META: LazyLock<Selector> = LazyLock::new(|| {
    selector(".entry-meta, .post-meta, .postmetadata, .byline, .posted-on, .post-info")
});
static AUTHOR: LazyLock<Selector> = LazyLock::new(|| {
    selector(".comment-author .fn, .fn, .wp-block-comment-author-name, cite, .comment-author strong, .comment-author b, .comment-meta strong, .comment-meta b")
});
static CONTENT: LazyLock<Selector> =
    LazyLock::new(|| selector(".comment-content, .wp-block-comment-content, .comment-text"));
static PARAGRAPH: LazyLock<Selector> = LazyLock::new(|| selector("p, blockquote, pre"));
static NOT_TEXT: LazyLock<Selector> = LazyLock::new(|| {
    selector(".comment-author, .comment-meta, .commentmetadata, .comment-metadata, .reply, .comment-reply-link")
});
static DATETIME: LazyLock<Selector> = LazyLock::new(|| selector("time[datetime]"));
static TIME: LazyLock<Selector> = LazyLock::new(|| {
    selector(".comment-metadata a, .commentmetadata a, .wp-block-comment-date, time")
});

/// Reads the post and its comments. A page without a comment list gives a
/// thread without comments; HTML is never rejected (browsers do not either).
pub(crate) fn read(id: &str, content: &str) -> Thread {
    let document = Html::parse_document(content);
    let comments = comments(&document);
    let title = document
        .select(&TITLE)
        .map(|element| element_to_text(element))
        .chain(
            document
                .select(&PAGE_TITLE)
                .map(|title| title.text().collect::<String>().trim().to_owned()),
        )
        .find(|title| !title.is_empty());
    let text = document
        .select(&BODY)
        .map(|element| element_to_text(element))
        .find(|text| !text.is_empty());
    let url = document.select(&CANONICAL).find_map(|element| {
        let value = element.value();
        value
            .attr("href")
            .or_else(|| value.attr("content"))
            .map(str::to_owned)
    });
    let author = document
        .select(&POST_AUTHOR)
        .filter_map(|element| post_author_name(&element_to_text(element)))
        .next()
        .or_else(|| {
            document
                .select(&POST_META)
                .find_map(|element| byline_name(&element_to_text(element)))
        });
    Thread {
        id: id.to_owned(),
        title,
        text,
        url,
        author,
        comments,
    }
}

/// The name in an author link: `Jane`, also when the link reads
/// `View all posts by Jane →`.
fn post_author_name(text: &str) -> Option<String> {
    let text = text.trim();
    let name = ["View all posts by ", "Posts by ", "All posts by "]
        .iter()
        .find_map(|prefix| {
            text.get(..prefix.len())
                .filter(|head| head.eq_ignore_ascii_case(prefix))
                .map(|_| &text[prefix.len()..])
        })
        .unwrap_or(text);
    let name = name.trim_end_matches(['→', '»', '>', ' ']).trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// NAME in a byline such as `Posted on March 3, 2015 by NAME` (also `von`,
/// `par`, `por`): the words after the last such word, up to punctuation.
fn byline_name(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = words.iter().rposition(|word| {
            ["by", "von", "par", "por"]
                .iter()
                .any(|by| word.eq_ignore_ascii_case(by))
        })?;
        let after = words[at + 1..].join(" ");
        let name = after.split(['·', '|', '—', ',', '(']).next()?.trim();
        let name = name.trim_end_matches('.');
        let count = name.split_whitespace().count();
        (1..=4).contains(&count).then(|| name.to_owned())
    })
}

/// True for the comment element of a pingback or trackback
/// (`li.pingback`, `li.trackback`).
fn is_ping(element: &ElementRef<'_>) -> bool {
    element
        .value()
        .classes()
        .any(|class| class == "pingback" || class == "trackback")
}

/// The number in `comment-123` / `li-comment-123`, if the element's id is one.
fn comment_number(element: &ElementRef<'_>) -> Option<String> {
    let id = element.value().id()?;
    let number = id
        .strip_prefix("li-comment-")
        .or_else(|| id.strip_prefix("comment-"))?;
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then(|| number.to_owned())
}

/// What has been found of one comment so far.
struct Partial {
    number: String,
    parent: Option<String>,
    author: Option<String>,
    datetime: Option<String>,
    date_text: Option<String>,
    content: Option<String>,
    paragraphs: Vec<String>,
    /// The whole text of a pingback or trackback, whose markup has no
    /// comment content.
    ping: Option<String>,
}

/// The comments in document order, in one walk of the tree: elements with a
/// `comment-N` (or `li-comment-N`) id open a comment, an inner element with
/// the same number belongs to it, and the author, date and text found
/// inside a comment (but outside its replies) are its own. Linear in the
/// size of the page, whatever the nesting.
fn comments(document: &Html) -> Vec<Comment> {
    let mut found: Vec<Partial> = Vec::new();
    // Open comment elements: (element, index into found).
    let mut open: Vec<(NodeId, usize)> = Vec::new();
    // Elements whose text is taken already (a comment's content or paragraph).
    let mut rendered: Option<NodeId> = None;
    // Open author, date and reply-link elements: no paragraphs from there.
    let mut meta: Vec<NodeId> = Vec::new();
    for edge in document.root_element().traverse() {
        match edge {
            Edge::Open(node) => {
                let Some(element) = ElementRef::wrap(node) else {
                    continue;
                };
                if rendered.is_some() {
                    continue;
                }
                if let Some(number) = comment_number(&element) {
                    let current = open.last().map(|&(_, index)| index);
                    let ping = is_ping(&element).then(|| element_to_text(element));
                    match current.filter(|&index| found[index].number == number) {
                        Some(index) => {
                            found[index].ping = found[index].ping.take().or(ping);
                            open.push((node.id(), index));
                        }
                        None => {
                            found.push(Partial {
                                parent: current.map(|index| found[index].number.clone()),
                                number,
                                author: None,
                                datetime: None,
                                date_text: None,
                                content: None,
                                paragraphs: Vec::new(),
                                ping,
                            });
                            open.push((node.id(), found.len() - 1));
                        }
                    }
                    continue;
                }
                let Some(&(_, index)) = open.last() else {
                    continue;
                };
                let comment = &mut found[index];
                if comment.author.is_none() && AUTHOR.matches(&element) {
                    comment.author =
                        Some(element_to_text(element)).filter(|author| !author.is_empty());
                }
                if comment.datetime.is_none() && DATETIME.matches(&element) {
                    comment.datetime = element.value().attr("datetime").map(str::to_owned);
                }
                if comment.date_text.is_none() && TIME.matches(&element) {
                    comment.date_text =
                        Some(element_to_text(element)).filter(|date| !date.is_empty());
                }
                if NOT_TEXT.matches(&element) {
                    meta.push(node.id());
                } else if comment.content.is_none() && CONTENT.matches(&element) {
                    comment.content = Some(element_to_text(element));
                    rendered = Some(node.id());
                } else if meta.is_empty() && PARAGRAPH.matches(&element) {
                    let text = element_to_text(element);
                    if !text.is_empty() {
                        comment.paragraphs.push(text);
                    }
                    rendered = Some(node.id());
                }
            }
            Edge::Close(node) => {
                if rendered == Some(node.id()) {
                    rendered = None;
                }
                if meta.last() == Some(&node.id()) {
                    meta.pop();
                }
                if open.last().is_some_and(|&(id, _)| id == node.id()) {
                    open.pop();
                }
            }
        }
    }
    found
        .into_iter()
        .map(|partial| {
            let mut text = partial
                .content
                .unwrap_or_else(|| partial.paragraphs.join("\n\n"));
            let status = match partial.ping {
                Some(ping) => {
                    if text.is_empty() {
                        text = ping;
                    }
                    CommentStatus::Ping
                }
                None => CommentStatus::Approved,
            };
            let date_text = partial
                .date_text
                .map(|date| parse_date(&date).unwrap_or(date));
            Comment {
                id: partial.number,
                author: partial.author,
                parent: partial.parent,
                text,
                time: partial.datetime.or(date_text),
                status,
            }
        })
        .collect()
}
