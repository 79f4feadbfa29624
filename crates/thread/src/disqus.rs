//! Disqus XML exports: `<thread>` elements then `<post>` elements that
//! refer to them; posts are grouped into their threads.

use std::collections::HashMap;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::html::html_to_text;
use crate::order::reading_order;
use crate::xml::{attribute, push_cdata, push_reference, push_text};
use crate::{Comment, CommentStatus, Error, Result, Thread};

const DSQ_ID: &[u8] = b"dsq:id";

/// A `<thread>` or a `<post>` being read.
#[derive(Default)]
struct Entry {
    dsq_id: String,
    title: String,
    link: String,
    message: String,
    created_at: String,
    author: String,
    is_deleted: String,
    is_spam: String,
    thread: String,
    parent: String,
}

/// Reads every thread of a Disqus export that has posts, in the order the
/// threads are listed; posts whose thread is not listed get a thread of
/// their own id. Every post is kept: deleted ones as
/// [`CommentStatus::Deleted`], spam as [`CommentStatus::Spam`].
pub(crate) fn read(input: &str, content: &str) -> Result<Vec<Thread>> {
    let mut reader = Reader::from_str(content);
    reader.config_mut().expand_empty_elements = true;
    let mut depth = 0usize;
    let mut saw_root = false;
    let mut entry: Option<(bool, Entry)> = None;
    let mut field: Option<Vec<u8>> = None;
    let mut text = String::new();
    let mut threads: Vec<Thread> = Vec::new();
    let mut thread_index: HashMap<String, usize> = HashMap::new();
    let mut posts: Vec<(String, Comment)> = Vec::new();

    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|err| {
            Error::syntax(
                input,
                reader.error_position(),
                format!("malformed xml: {err}"),
            )
        })?;
        let pushed = match &event {
            Event::Start(start) => {
                depth += 1;
                let name = start.name();
                let name = name.as_ref();
                match depth {
                    1 if name == b"disqus" => saw_root = true,
                    1 => {
                        let found = String::from_utf8_lossy(name);
                        return Err(Error::syntax(
                            input,
                            position,
                            format!("expected a disqus export (<disqus>), found <{found}>"),
                        ));
                    }
                    2 if name == b"thread" || name == b"post" => {
                        let dsq_id = attribute(start, DSQ_ID).unwrap_or_default();
                        entry = Some((
                            name == b"post",
                            Entry {
                                dsq_id,
                                ..Entry::default()
                            },
                        ));
                    }
                    3 if entry.is_some() => {
                        if let Some((_, entry)) = entry.as_mut() {
                            match name {
                                b"thread" => {
                                    entry.thread = attribute(start, DSQ_ID).unwrap_or_default()
                                }
                                b"parent" => {
                                    entry.parent = attribute(start, DSQ_ID).unwrap_or_default()
                                }
                                _ => {}
                            }
                        }
                        field = Some(name.to_vec());
                        text.clear();
                    }
                    4 if field.as_deref() == Some(b"author") && name == b"name" => {
                        field = Some(b"author/name".to_vec());
                        text.clear();
                    }
                    _ => {}
                }
                Ok(())
            }
            Event::Text(t) if field.is_some() => push_text(&mut text, t),
            Event::CData(c) if field.is_some() => push_cdata(&mut text, c),
            Event::GeneralRef(r) if field.is_some() => push_reference(&mut text, r),
            Event::End(_) => {
                let closing = depth;
                depth = depth.saturating_sub(1);
                match closing {
                    4 if field.as_deref() == Some(b"author/name") => {
                        if let Some((_, entry)) = entry.as_mut() {
                            entry.author = std::mem::take(&mut text);
                        }
                        field = Some(b"author".to_vec());
                    }
                    3 => {
                        if let (Some(name), Some((_, entry))) = (field.take(), entry.as_mut()) {
                            let value = std::mem::take(&mut text);
                            match name.as_slice() {
                                b"title" => entry.title = value,
                                b"link" => entry.link = value,
                                b"message" => entry.message = value,
                                b"createdAt" => entry.created_at = value,
                                b"isDeleted" => entry.is_deleted = value,
                                b"isSpam" => entry.is_spam = value,
                                _ => {}
                            }
                        }
                    }
                    2 => match entry.take() {
                        Some((true, post)) => {
                            let position = posts.len() + 1;
                            posts.push(post.into_post(position));
                        }
                        Some((false, thread)) => {
                            thread_index
                                .entry(thread.dsq_id.clone())
                                .or_insert(threads.len());
                            threads.push(thread.into_thread());
                        }
                        None => {}
                    },
                    _ => {}
                }
                Ok(())
            }
            Event::Eof => {
                if depth > 0 {
                    return Err(Error::syntax(
                        input,
                        position,
                        "truncated export: end of input inside an element",
                    ));
                }
                if !saw_root {
                    return Err(Error::syntax(
                        input,
                        position,
                        "expected a disqus export (<disqus>), found no element",
                    ));
                }
                break;
            }
            _ => Ok(()),
        };
        pushed.map_err(|message| Error::syntax(input, position, message))?;
    }

    for (thread_id, post) in posts {
        let index = *thread_index.entry(thread_id.clone()).or_insert_with(|| {
            threads.push(Thread {
                id: thread_id,
                ..Thread::default()
            });
            threads.len() - 1
        });
        threads[index].comments.push(post);
    }
    Ok(threads
        .into_iter()
        .filter(|thread| !thread.comments.is_empty())
        .map(|mut thread| {
            thread.comments = reading_order(std::mem::take(&mut thread.comments));
            thread
        })
        .collect())
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

fn is_true(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("true")
}

impl Entry {
    fn into_thread(self) -> Thread {
        let text = html_to_text(&self.message);
        Thread {
            id: self.dsq_id,
            title: non_empty(&self.title),
            text: non_empty(&text),
            url: non_empty(&self.link),
            author: non_empty(&self.author),
            comments: Vec::new(),
        }
    }

    /// The post as a comment, with the dsq:id of its thread.
    fn into_post(self, position: usize) -> (String, Comment) {
        let status = if is_true(&self.is_spam) {
            CommentStatus::Spam
        } else if is_true(&self.is_deleted) {
            CommentStatus::Deleted
        } else {
            CommentStatus::Approved
        };
        let comment = Comment {
            id: non_empty(&self.dsq_id).unwrap_or_else(|| format!("c{position}")),
            author: non_empty(&self.author),
            parent: non_empty(&self.parent),
            text: html_to_text(&self.message),
            time: non_empty(&self.created_at),
            status,
        };
        (self.thread, comment)
    }
}
