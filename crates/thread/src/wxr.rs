//! WordPress WXR exports, read item by item with quick-xml's streaming
//! reader so the memory used is bounded by the largest item.

use std::io::BufRead;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::html::html_to_text;
use crate::order::reading_order;
use crate::xml::{autop, push_cdata, push_reference, push_text};
use crate::{Comment, CommentStatus, Error, Result, Thread};

/// Streams one [`Thread`] per post or page of a WXR export. Attachments, nav
/// menu entries and WordPress's internal post types are skipped unless they
/// carry comments. Every comment is kept, whatever its status.
pub(crate) struct WxrReader<R> {
    input: String,
    reader: Reader<R>,
    buf: Vec<u8>,
    saw_rss: bool,
    depth: usize,
    items: usize,
    done: bool,
}

/// The fields of one `<item>` read so far.
#[derive(Default)]
struct Item {
    post_id: String,
    title: String,
    link: String,
    creator: String,
    content: String,
    post_type: String,
    comments: Vec<Comment>,
}

/// The fields of one `<wp:comment>` read so far.
#[derive(Default)]
struct RawComment {
    id: String,
    author: String,
    content: String,
    approved: String,
    parent: String,
    date_gmt: String,
    date: String,
    kind: String,
}

/// Which field the text being read belongs to.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    PostId,
    Title,
    Link,
    Creator,
    Content,
    PostType,
    CommentId,
    CommentAuthor,
    CommentContent,
    CommentApproved,
    CommentParent,
    CommentDateGmt,
    CommentDate,
    CommentType,
}

impl Field {
    fn of_item(name: &[u8]) -> Option<Field> {
        Some(match name {
            b"wp:post_id" => Field::PostId,
            b"title" => Field::Title,
            b"link" => Field::Link,
            b"dc:creator" => Field::Creator,
            b"content:encoded" => Field::Content,
            b"wp:post_type" => Field::PostType,
            _ => return None,
        })
    }

    fn of_comment(name: &[u8]) -> Option<Field> {
        Some(match name {
            b"wp:comment_id" => Field::CommentId,
            b"wp:comment_author" => Field::CommentAuthor,
            b"wp:comment_content" => Field::CommentContent,
            b"wp:comment_approved" => Field::CommentApproved,
            b"wp:comment_parent" => Field::CommentParent,
            b"wp:comment_date_gmt" => Field::CommentDateGmt,
            b"wp:comment_date" => Field::CommentDate,
            b"wp:comment_type" => Field::CommentType,
            _ => return None,
        })
    }
}

impl<R: BufRead> WxrReader<R> {
    pub(crate) fn new(input: String, reader: R) -> Self {
        let mut reader = Reader::from_reader(reader);
        reader.config_mut().expand_empty_elements = true;
        WxrReader {
            input,
            reader,
            buf: Vec::new(),
            saw_rss: false,
            depth: 0,
            items: 0,
            done: false,
        }
    }

    /// Reads up to the end of the next kept item.
    fn next_thread(&mut self) -> Result<Option<Thread>> {
        let mut item: Option<(usize, Item)> = None;
        let mut comment: Option<(usize, RawComment)> = None;
        let mut field: Option<(usize, Field)> = None;
        let mut text = String::new();
        loop {
            self.buf.clear();
            let position = self.reader.buffer_position();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(event) => event,
                Err(err) => {
                    let offset = self.reader.error_position();
                    return Err(Error::syntax(
                        &self.input,
                        offset,
                        format!("malformed xml: {err}"),
                    ));
                }
            };
            let pushed = match &event {
                Event::Start(start) => {
                    self.depth += 1;
                    let name = start.name();
                    let name = name.as_ref();
                    if self.depth == 1 {
                        if name != b"rss" {
                            let found = String::from_utf8_lossy(name).into_owned();
                            return Err(Error::syntax(
                                &self.input,
                                position,
                                format!("expected a wordpress export (<rss>), found <{found}>"),
                            ));
                        }
                        self.saw_rss = true;
                    } else if name == b"item" && item.is_none() {
                        item = Some((self.depth, Item::default()));
                    } else if name == b"wp:comment"
                        && comment.is_none()
                        && item.as_ref().is_some_and(|(d, _)| *d + 1 == self.depth)
                    {
                        comment = Some((self.depth, RawComment::default()));
                    } else if field.is_none() {
                        let found = match (&item, &comment) {
                            (_, Some((d, _))) if *d + 1 == self.depth => Field::of_comment(name),
                            (Some((d, _)), None) if *d + 1 == self.depth => Field::of_item(name),
                            _ => None,
                        };
                        if let Some(found) = found {
                            field = Some((self.depth, found));
                            text.clear();
                        }
                    }
                    Ok(())
                }
                Event::Text(t) if field.is_some() => push_text(&mut text, t),
                Event::CData(c) if field.is_some() => push_cdata(&mut text, c),
                Event::GeneralRef(r) if field.is_some() => push_reference(&mut text, r),
                Event::End(_) => {
                    let closing = self.depth;
                    self.depth = self.depth.saturating_sub(1);
                    if let Some((_, done)) = field.take_if(|(d, _)| *d == closing) {
                        let value = std::mem::take(&mut text);
                        store(
                            done,
                            value,
                            item.as_mut().map(|(_, i)| i),
                            comment.as_mut().map(|(_, c)| c),
                        );
                    } else if let Some((_, raw)) = comment.take_if(|(d, _)| *d == closing) {
                        if let Some((_, item)) = item.as_mut() {
                            item.comments
                                .push(raw.into_comment(item.comments.len() + 1));
                        }
                    } else if let Some((_, done)) = item.take_if(|(d, _)| *d == closing) {
                        self.items += 1;
                        if let Some(thread) = done.into_thread(self.items) {
                            return Ok(Some(thread));
                        }
                    }
                    Ok(())
                }
                Event::Eof => {
                    if item.is_some() || self.depth > 0 {
                        return Err(Error::syntax(
                            &self.input,
                            position,
                            "truncated export: end of input inside an element",
                        ));
                    }
                    if !self.saw_rss {
                        return Err(Error::syntax(
                            &self.input,
                            position,
                            "expected a wordpress export (<rss>), found no element",
                        ));
                    }
                    return Ok(None);
                }
                _ => Ok(()),
            };
            if let Err(message) = pushed {
                return Err(Error::syntax(&self.input, position, message));
            }
        }
    }
}

fn store(field: Field, value: String, item: Option<&mut Item>, comment: Option<&mut RawComment>) {
    if let Some(comment) = comment {
        let slot = match field {
            Field::CommentId => &mut comment.id,
            Field::CommentAuthor => &mut comment.author,
            Field::CommentContent => &mut comment.content,
            Field::CommentApproved => &mut comment.approved,
            Field::CommentParent => &mut comment.parent,
            Field::CommentDateGmt => &mut comment.date_gmt,
            Field::CommentDate => &mut comment.date,
            Field::CommentType => &mut comment.kind,
            _ => return,
        };
        *slot = value;
    } else if let Some(item) = item {
        let slot = match field {
            Field::PostId => &mut item.post_id,
            Field::Title => &mut item.title,
            Field::Link => &mut item.link,
            Field::Creator => &mut item.creator,
            Field::Content => &mut item.content,
            Field::PostType => &mut item.post_type,
            _ => return,
        };
        *slot = value;
    }
}

fn non_empty(value: String) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl RawComment {
    fn into_comment(self, position: usize) -> Comment {
        let parent = self.parent.trim();
        let date_gmt = self.date_gmt.trim();
        let time = if date_gmt.is_empty() || date_gmt.starts_with("0000") {
            self.date
        } else {
            self.date_gmt
        };
        Comment {
            id: non_empty(self.id).unwrap_or_else(|| format!("c{position}")),
            author: non_empty(self.author),
            parent: (!parent.is_empty() && parent != "0").then(|| parent.to_owned()),
            text: html_to_text(&autop(&self.content)),
            time: non_empty(time),
            status: match (self.kind.trim(), self.approved.trim()) {
                ("pingback" | "trackback", _) => CommentStatus::Ping,
                (_, "1" | "approve" | "approved") => CommentStatus::Approved,
                (_, "spam") => CommentStatus::Spam,
                (_, "trash" | "post-trashed") => CommentStatus::Trash,
                _ => CommentStatus::Pending,
            },
        }
    }
}

impl Item {
    /// The thread of a post or page; `None` for what is skipped.
    fn into_thread(self, position: usize) -> Option<Thread> {
        let post_type = self.post_type.trim();
        let internal = matches!(
            post_type,
            "attachment"
                | "nav_menu_item"
                | "revision"
                | "custom_css"
                | "customize_changeset"
                | "oembed_cache"
                | "user_request"
        ) || post_type.starts_with("wp_");
        if internal && self.comments.is_empty() {
            return None;
        }
        let text = html_to_text(&autop(&self.content));
        Some(Thread {
            id: non_empty(self.post_id).unwrap_or_else(|| format!("item-{position}")),
            title: non_empty(self.title),
            text: non_empty(text),
            url: non_empty(self.link),
            author: non_empty(self.creator),
            comments: reading_order(self.comments),
        })
    }
}

impl<R: BufRead> Iterator for WxrReader<R> {
    type Item = Result<Thread>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_thread() {
            Ok(Some(thread)) => Some(Ok(thread)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(err) => {
                self.done = true;
                Some(Err(err))
            }
        }
    }
}
