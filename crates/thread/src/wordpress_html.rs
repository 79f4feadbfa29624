//! The HTML of a WordPress post page: the post and the comment list markup
//! of the default themes (classic `ol.commentlist`/`ol.comment-list` with
//! `li.comment`, nested `ol.children`, and the block themes' comment
//! template).

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use crate::html::element_to_text;
use crate::{Comment, Thread};

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|err| panic!("selector {css:?} is valid css: {err}"))
}

static COMMENT: LazyLock<Selector> =
    LazyLock::new(|| selector(".comment, [id^=\"comment-\"], [id^=\"li-comment-\"]"));
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
    selector(".entry-meta .author .fn, .byline .author a, .byline a.author, .entry-meta .author a, a[rel=\"author\"], .wp-block-post-author-name")
});
static AUTHOR: LazyLock<Selector> =
    LazyLock::new(|| selector(".comment-author .fn, .fn, .wp-block-comment-author-name, cite"));
static CONTENT: LazyLock<Selector> =
    LazyLock::new(|| selector(".comment-content, .wp-block-comment-content, .comment-text"));
static PARAGRAPH: LazyLock<Selector> = LazyLock::new(|| selector("p, blockquote, pre"));
static NOT_TEXT: LazyLock<Selector> = LazyLock::new(|| {
    selector(".comment-author, .comment-meta, .commentmetadata, .comment-metadata, .reply, blockquote, pre")
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
        .map(|element| element_to_text(element))
        .find(|author| !author.is_empty());
    Thread {
        id: id.to_owned(),
        title,
        text,
        url,
        author,
        comments,
    }
}

/// The number in `comment-123` / `li-comment-123`, if the element's id is one.
fn comment_number(element: &ElementRef<'_>) -> Option<String> {
    let id = element.value().id()?;
    let number = id
        .strip_prefix("li-comment-")
        .or_else(|| id.strip_prefix("comment-"))?;
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then(|| number.to_owned())
}

/// The comment elements in document order: elements with a `comment-N` id
/// (or `li-comment-N`), the inner `article#comment-N` of a matching
/// `li#li-comment-N` folded into it.
fn comments(document: &Html) -> Vec<Comment> {
    // Node ids of comment elements, to find each one's nearest comment ancestor.
    let mut found: Vec<(ElementRef<'_>, String)> = Vec::new();
    let mut number_of = std::collections::HashMap::new();
    for element in document.select(&COMMENT) {
        let Some(number) = comment_number(&element) else {
            continue;
        };
        let enclosing = nearest_comment(&element, &number_of);
        if enclosing.as_deref() == Some(number.as_str()) {
            // The inner element of a comment already found.
            number_of.insert(element.id(), number);
            continue;
        }
        number_of.insert(element.id(), number.clone());
        found.push((element, number));
    }

    found
        .iter()
        .map(|(element, number)| {
            let parent = nearest_comment(element, &number_of);
            let own = |selector: &Selector| {
                element
                    .select(selector)
                    .filter(|inner| {
                        nearest_comment_or_self(inner, &number_of).as_deref()
                            == Some(number.as_str())
                    })
                    .collect::<Vec<_>>()
            };
            let author = own(&AUTHOR)
                .into_iter()
                .map(element_to_text)
                .find(|author| !author.is_empty());
            let time = own(&DATETIME)
                .into_iter()
                .find_map(|time| time.value().attr("datetime").map(str::to_owned))
                .or_else(|| {
                    own(&TIME)
                        .into_iter()
                        .map(element_to_text)
                        .find(|t| !t.is_empty())
                });
            let text = match own(&CONTENT).first() {
                Some(content) => element_to_text(*content),
                None => old_theme_text(element, &own(&PARAGRAPH), &own(&NOT_TEXT)),
            };
            Comment {
                id: number.clone(),
                author,
                parent,
                text,
                time,
                status: Default::default(),
            }
        })
        .collect()
}

/// Old themes put the paragraphs straight into the comment's element, next
/// to the author, the date and the reply link: keep the comment's own
/// paragraphs, blockquotes and preformatted blocks that sit outside those.
fn old_theme_text(
    comment: &ElementRef<'_>,
    blocks: &[ElementRef<'_>],
    not_text: &[ElementRef<'_>],
) -> String {
    let excluded: std::collections::HashSet<ego_tree::NodeId> =
        not_text.iter().map(|e| e.id()).collect();
    let paragraphs: Vec<String> = blocks
        .iter()
        .filter(|block| {
            block
                .ancestors()
                .take_while(|ancestor| ancestor.id() != comment.id())
                .all(|ancestor| !excluded.contains(&ancestor.id()))
        })
        .map(|block| element_to_text(*block))
        .filter(|text| !text.is_empty())
        .collect();
    paragraphs.join("\n\n")
}

fn nearest_comment(
    element: &ElementRef<'_>,
    number_of: &std::collections::HashMap<ego_tree::NodeId, String>,
) -> Option<String> {
    element
        .ancestors()
        .find_map(|ancestor| number_of.get(&ancestor.id()).cloned())
}

fn nearest_comment_or_self(
    element: &ElementRef<'_>,
    number_of: &std::collections::HashMap<ego_tree::NodeId, String>,
) -> Option<String> {
    number_of
        .get(&element.id())
        .cloned()
        .or_else(|| nearest_comment(element, number_of))
}
