//! Reddit JSON: the `[post listing, comment listing]` pair a thread's `.json`
//! returns, and JSON Lines (or any sequence) of comment objects as found in
//! dumps and research corpora.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::error::json_message;
use crate::html::{decode_entities, html_to_text};
use crate::order::reading_order;
use crate::{Comment, CommentStatus, Error, Result, Thread};

/// The thread id of posts and comments that do not name theirs.
const UNKNOWN_THREAD: &str = "reddit";

/// Reads every thread of `content`: each JSON value in it is a listing pair,
/// a listing, a `t1`/`t3` thing, or a bare comment object. Comments are
/// grouped by their `link_id` into threads in order of first appearance.
/// `more` stubs are skipped. Nesting is walked with an explicit stack.
///
/// Line-delimited input (a dump with one object per line) that holds a bad
/// line is read line by line: each bad line is one error, in front of the
/// threads of the good ones.
pub(crate) fn read(input: &str, content: &str) -> Vec<Result<Thread>> {
    let mut threads = Threads::default();
    let mut results = Vec::new();
    if let Err(err) = read_stream(&mut threads, input, content) {
        if !line_delimited(content) {
            return vec![Err(err)];
        }
        threads = Threads::default();
        results = read_lines(&mut threads, input, content);
    }
    if threads.threads.is_empty() && results.is_empty() {
        return vec![Err(Error::syntax(
            input,
            0,
            "expected reddit posts or comments, found none",
        ))];
    }
    results.extend(threads.threads.into_iter().map(|mut thread| {
        thread.comments = reading_order(std::mem::take(&mut thread.comments));
        Ok(thread)
    }));
    results
}

/// Reads `content` as one sequence of JSON values; the first error ends it.
fn read_stream(threads: &mut Threads, input: &str, content: &str) -> Result<()> {
    let mut values = serde_json::Deserializer::from_str(content).into_iter::<Value>();
    while let Some(value) = values.next() {
        let value = value.map_err(|err| {
            Error::syntax(
                input,
                json_error_offset(content, &err),
                format!("invalid json: {}", json_message(&err)),
            )
        })?;
        if !matches!(value, Value::Array(_) | Value::Object(_)) {
            return Err(Error::syntax(
                input,
                values.byte_offset() as u64,
                "expected a reddit listing or comment object",
            ));
        }
        threads.walk(value);
    }
    Ok(())
}

/// True when the first non-blank line is a whole JSON object: one object
/// per line, as in Pushshift dumps.
fn line_delimited(content: &str) -> bool {
    content
        .lines()
        .find(|line| !line.trim().is_empty())
        .is_some_and(|line| serde_json::from_str::<Map<String, Value>>(line).is_ok())
}

/// Reads one value per line; a line that cannot be read is one error.
fn read_lines(threads: &mut Threads, input: &str, content: &str) -> Vec<Result<Thread>> {
    let mut errors = Vec::new();
    for (index, line) in content.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let number = index as u64 + 1;
        match serde_json::from_str::<Value>(line) {
            Ok(value @ (Value::Array(_) | Value::Object(_))) => threads.walk(value),
            Ok(_) => errors.push(Err(Error::line(
                input,
                number,
                "expected a reddit listing or comment object",
            ))),
            Err(err) => errors.push(Err(Error::line(
                input,
                number,
                format!("invalid json: {}", json_message(&err)),
            ))),
        }
    }
    errors
}

/// The byte offset of a JSON error in `content`, from its line and column.
fn json_error_offset(content: &str, err: &serde_json::Error) -> u64 {
    let line_start: usize = content
        .split_inclusive('\n')
        .take(err.line().saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + err.column().saturating_sub(1)).min(content.len()) as u64
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
        let mut text = match string(&data, "body") {
            Some(body) => decode_body(&body),
            None => string(&data, "body_html")
                .map(|html| html_to_text(&decode_entities(&html)))
                .unwrap_or_default(),
        };
        let status = match text.trim() {
            "[deleted]" | "[removed]" => {
                // The placeholder is not what was written.
                text.clear();
                CommentStatus::Deleted
            }
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

/// Decodes the entities of a markdown `body`. Reddit escapes `&`, `<` and
/// `>` in bodies, so a reference the author typed (`&#x200B;`, the usual
/// blank-paragraph spacer) arrives escaped twice (`&amp;#x200B;`) and is
/// decoded twice.
fn decode_body(body: &str) -> String {
    let once = decode_entities(body);
    if once.contains('&') {
        decode_entities(&once)
    } else {
        once
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

    fn read_ok(input: &str, content: &str) -> Vec<Thread> {
        read(input, content)
            .into_iter()
            .collect::<Result<_>>()
            .unwrap()
    }

    #[test]
    fn comments_without_a_link_share_one_named_thread() {
        let threads = read_ok(
            "in",
            "{\"body\":\"one\"}\n{\"body\":\"two\",\"id\":\"b\",\"parent_id\":\"t1_c1\"}\n",
        );
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

    #[test]
    fn a_bad_line_of_a_dump_is_reported_and_the_good_ones_are_read() {
        let results = read(
            "dump.jsonl",
            concat!(
                "{\"id\":\"a\",\"body\":\"first\",\"link_id\":\"t3_x\"}\n",
                "{\"id\":\"b\",\"body\":\"cut sh\n",
                "42\n",
                "{\"id\":\"c\",\"body\":\"third\",\"link_id\":\"t3_x\",\"parent_id\":\"t1_a\"}\n",
            ),
        );
        let errors: Vec<String> = results
            .iter()
            .filter_map(|r| r.as_ref().err().map(ToString::to_string))
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("invalid json: "), "{}", errors[0]);
        assert!(errors[0].ends_with("(dump.jsonl:2)"), "{}", errors[0]);
        assert!(!errors[0].contains("column"), "{}", errors[0]);
        assert_eq!(
            errors[1],
            "expected a reddit listing or comment object (dump.jsonl:3)"
        );
        let threads: Vec<&Thread> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(threads.len(), 1);
        let ids: Vec<&str> = threads[0].comments.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
    }

    #[test]
    fn a_broken_document_is_one_error_at_its_byte() {
        let results = read("thread.json", "[{\"kind\": \"Listing\",\n \"data\": x}]");
        let [Err(err)] = &results[..] else {
            panic!("one error expected: {results:?}");
        };
        assert_eq!(
            err.to_string(),
            "invalid json: expected value (thread.json, byte 30)"
        );
    }

    #[test]
    fn double_escaped_references_and_deleted_placeholders() {
        let threads = read_ok(
            "in",
            concat!(
                "{\"id\":\"a\",\"body\":\"Yes &gt; no\\n\\n&amp;#x200B;\\n\\nAT&amp;T\"}\n",
                "{\"id\":\"b\",\"body\":\"[removed]\"}\n",
            ),
        );
        let comments = &threads[0].comments;
        assert_eq!(comments[0].text, "Yes > no\n\n\u{200B}\n\nAT&T");
        assert_eq!(comments[1].status, CommentStatus::Deleted);
        assert!(comments[1].is_blank());
    }
}
