//! Reddit JSON: the `[post listing, comment listing]` pair a thread's `.json`
//! returns, and JSON Lines (or any sequence) of comment objects as found in
//! dumps and research corpora.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::html::{decode_entities, html_to_text};
use crate::order::reading_order;
use crate::{Comment, CommentStatus, Error, Result, Thread};

/// The thread id of posts and comments that do not name theirs.
const UNKNOWN_THREAD: &str = "reddit";

/// Reads every thread of `content`: each JSON value in it is a listing pair,
/// a listing, a `t1`/`t3` thing, or a bare comment object. Comments are
/// grouped by their `link_id` into threads in order of first appearance.
/// `more` stubs are skipped. Nesting is walked with an explicit stack.
pub(crate) fn read(input: &str, content: &str) -> Result<Vec<Thread>> {
    let mut threads = Threads::default();
    let mut values = serde_json::Deserializer::from_str(content).into_iter::<Value>();
    while let Some(value) = values.next() {
        let value = value.map_err(|err| {
            Error::line(
                input,
                err.line() as u64,
                format!("column {}: invalid json: {err}", err.column()),
            )
        })?;
        let offset = values.byte_offset() as u64;
        if !matches!(value, Value::Array(_) | Value::Object(_)) {
            return Err(Error::syntax(
                input,
                offset,
                "expected a reddit listing or comment object",
            ));
        }
        threads.walk(value);
    }
    if threads.threads.is_empty() {
        return Err(Error::syntax(
            input,
            0,
            "expected reddit posts or comments, found none",
        ));
    }
    Ok(threads
        .threads
        .into_iter()
        .map(|mut thread| {
            thread.comments = reading_order(std::mem::take(&mut thread.comments));
            thread
        })
        .collect())
}

#[derive(Default)]
struct Threads {
    threads: Vec<Thread>,
    index: HashMap<String, usize>,
}

impl Threads {
    fn thread(&mut self, id: &str) -> &mut Thread {
        let index = *self.index.entry(id.to_owned()).or_insert_with(|| {
            self.threads.push(Thread {
                id: id.to_owned(),
                ..Thread::default()
            });
            self.threads.len() - 1
        });
        &mut self.threads[index]
    }

    /// Visits every thing in `root`, depth first in document order.
    fn walk(&mut self, root: Value) {
        let mut stack = vec![root];
        while let Some(value) = stack.pop() {
            match value {
                Value::Array(items) => stack.extend(items.into_iter().rev()),
                Value::Object(mut object) => {
                    match object.remove("kind").as_ref().and_then(Value::as_str) {
                        Some("Listing") => {
                            if let Some(Value::Object(mut data)) = object.remove("data") {
                                if let Some(children) = data.remove("children") {
                                    stack.push(children);
                                }
                            }
                        }
                        Some("t3") => {
                            if let Some(Value::Object(data)) = object.remove("data") {
                                self.add_post(data);
                            }
                        }
                        Some("t1") => {
                            if let Some(Value::Object(mut data)) = object.remove("data") {
                                let replies = data.remove("replies");
                                self.add_comment(data);
                                if let Some(replies) = replies {
                                    stack.push(replies);
                                }
                            }
                        }
                        Some(_) => {}
                        None if object.contains_key("body") => {
                            let replies = object.remove("replies");
                            self.add_comment(object);
                            if let Some(replies) = replies {
                                stack.push(replies);
                            }
                        }
                        None => {}
                    }
                }
                _ => {}
            }
        }
    }

    fn add_post(&mut self, data: Map<String, Value>) {
        let id = string(&data, "id")
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| UNKNOWN_THREAD.to_owned());
        let selftext = string(&data, "selftext").map(|text| decode_entities(&text));
        let thread = self.thread(&id);
        thread.title = string(&data, "title").map(|title| decode_entities(&title));
        thread.text = selftext.filter(|text| !text.trim().is_empty());
        thread.url = string(&data, "permalink")
            .map(|link| {
                if link.starts_with('/') {
                    format!("https://www.reddit.com{link}")
                } else {
                    link
                }
            })
            .or_else(|| string(&data, "url"));
        thread.author = author(&data);
    }

    fn add_comment(&mut self, data: Map<String, Value>) {
        let thread_id = string(&data, "link_id")
            .map(|link| strip_kind(&link).to_owned())
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| UNKNOWN_THREAD.to_owned());
        let text = match string(&data, "body") {
            Some(body) => decode_entities(&body),
            None => string(&data, "body_html")
                .map(|html| html_to_text(&decode_entities(&html)))
                .unwrap_or_default(),
        };
        let status = match text.trim() {
            "[deleted]" | "[removed]" => CommentStatus::Deleted,
            _ => CommentStatus::Approved,
        };
        let parent = string(&data, "parent_id").filter(|parent| parent.starts_with("t1_"));
        let thread = self.thread(&thread_id);
        let position = thread.comments.len() + 1;
        thread.comments.push(Comment {
            id: string(&data, "id").unwrap_or_else(|| format!("c{position}")),
            author: author(&data),
            parent: parent.map(|parent| strip_kind(&parent).to_owned()),
            text,
            time: data.get("created_utc").and_then(time),
            status,
        });
    }
}

/// `t1_abc` → `abc`.
fn strip_kind(id: &str) -> &str {
    match id.split_once('_') {
        Some((kind, rest)) if kind.len() == 2 && kind.starts_with('t') => rest,
        _ => id,
    }
}

fn string(data: &Map<String, Value>, key: &str) -> Option<String> {
    match data.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn author(data: &Map<String, Value>) -> Option<String> {
    string(data, "author").or_else(|| string(data, "author_name"))
}

/// Seconds since the epoch as written, without a trailing `.0`.
fn time(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{}", f as i64)),
            _ => Some(n.to_string()),
        },
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_without_a_link_share_one_named_thread() {
        let threads = read(
            "in",
            "{\"body\":\"one\"}\n{\"body\":\"two\",\"id\":\"b\",\"parent_id\":\"t1_c1\"}\n",
        )
        .unwrap();
        assert_eq!(threads.len(), 1);
        assert_eq!(threads[0].id, "reddit");
        let ids: Vec<_> = threads[0]
            .comments
            .iter()
            .map(|c| (c.id.as_str(), c.parent.as_deref()))
            .collect();
        assert_eq!(ids, [("c1", None), ("b", Some("c1"))]);
    }

    #[test]
    fn kinds_are_stripped_from_ids() {
        assert_eq!(strip_kind("t1_abc"), "abc");
        assert_eq!(strip_kind("t3_x_y"), "x_y");
        assert_eq!(strip_kind("plain"), "plain");
    }
}
