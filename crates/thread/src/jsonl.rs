//! referee's JSON Lines: one comment or one whole thread per line, read line
//! by line; and the writer of the thread form.

use std::collections::VecDeque;
use std::io::{BufRead, Write};

use serde::Deserialize;
use serde_json::Value;

use crate::error::json_message;
use crate::{Comment, CommentStatus, Error, Result, Thread};

/// Writes `thread` as one line of the JSON Lines thread form
/// (`{"id":…,"title":…,"text":…,"comments":[…]}`), newline included.
pub fn write_jsonl<W: Write>(mut out: W, thread: &Thread) -> std::io::Result<()> {
    serde_json::to_writer(&mut out, thread)?;
    out.write_all(b"\n")
}

/// A comment line, or a comment inside a thread line.
#[derive(Deserialize)]
struct CommentLine {
    #[serde(default, deserialize_with = "id")]
    id: Option<String>,
    text: String,
    #[serde(default)]
    author: Option<String>,
    #[serde(default, deserialize_with = "id")]
    parent: Option<String>,
    /// `parent` as crawlers name it; `0` or empty means top level.
    #[serde(default, deserialize_with = "id")]
    parent_id: Option<String>,
    #[serde(default, deserialize_with = "id")]
    thread: Option<String>,
    /// Other names of the thread key, used when `thread` is absent.
    #[serde(default, deserialize_with = "id")]
    thread_id: Option<String>,
    #[serde(default, deserialize_with = "id")]
    link_id: Option<String>,
    /// The page the comment was found on: its thread when no other key
    /// names one (without the `#comment-N` fragment).
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    post: Option<Post>,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    status: Option<CommentStatus>,
}

#[derive(Deserialize)]
struct Post {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    author: Option<String>,
}

#[derive(Deserialize)]
struct ThreadLine {
    #[serde(default, deserialize_with = "id")]
    id: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    author: Option<String>,
    comments: Vec<CommentLine>,
}

/// Ids may be written as strings or numbers.
fn id<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(serde::de::Error::custom(format!(
            "expected a string or a number as id, found {other}"
        ))),
    }
}

impl CommentLine {
    /// The thread the comment belongs to: `thread`, else `thread_id`, else
    /// `link_id`, else the page of its `url`.
    fn thread_key(&self) -> Option<String> {
        self.thread
            .clone()
            .or_else(|| self.thread_id.clone())
            .or_else(|| self.link_id.clone())
            .or_else(|| self.page().map(str::to_owned))
            .filter(|key| !key.is_empty())
    }

    /// The comment's `url` without its fragment.
    fn page(&self) -> Option<&str> {
        let url = self.url.as_deref()?;
        Some(url.split_once('#').map_or(url, |(page, _)| page))
    }

    fn into_comment(self, position: usize) -> Comment {
        let parent_id = self
            .parent_id
            .filter(|parent| !parent.is_empty() && parent != "0");
        Comment {
            id: self.id.unwrap_or_else(|| format!("c{position}")),
            author: self.author,
            parent: self.parent.or(parent_id),
            text: self.text,
            time: self.time,
            status: self.status.unwrap_or_default(),
        }
    }
}

/// Streams threads from JSON Lines. A line that cannot be read yields one
/// error naming it, and reading goes on with the next line.
pub(crate) struct JsonlReader<R> {
    input: String,
    reader: R,
    line: u64,
    offset: u64,
    buf: Vec<u8>,
    /// Consecutive comment lines of one thread, with that thread's key.
    group: Option<(String, Thread)>,
    ready: VecDeque<Result<Thread>>,
    done: bool,
}

impl<R: BufRead> JsonlReader<R> {
    pub(crate) fn new(input: String, reader: R) -> Self {
        JsonlReader {
            input,
            reader,
            line: 0,
            offset: 0,
            buf: Vec::new(),
            group: None,
            ready: VecDeque::new(),
            done: false,
        }
    }

    /// Reads lines until something is ready or the input ends.
    fn fill(&mut self) {
        while self.ready.is_empty() && !self.done {
            self.buf.clear();
            let read = match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(read) => read,
                Err(err) => {
                    self.finish();
                    self.ready.push_back(Err(Error::Io {
                        input: self.input.clone(),
                        source: err,
                    }));
                    return;
                }
            };
            if read == 0 {
                self.finish();
                return;
            }
            self.line += 1;
            let line_start = self.offset;
            self.offset += read as u64;
            let line = std::mem::take(&mut self.buf);
            self.read_line(&line, line_start);
            self.buf = line;
        }
    }

    fn finish(&mut self) {
        self.done = true;
        if let Some((_, thread)) = self.group.take() {
            self.ready.push_back(Ok(thread));
        }
    }

    fn read_line(&mut self, bytes: &[u8], line_start: u64) {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                let offset = line_start + err.valid_up_to() as u64;
                let error = Error::line(
                    &self.input,
                    self.line,
                    format!("invalid utf-8 at byte {offset}"),
                );
                self.ready.push_back(Err(error));
                return;
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim();
        if text.is_empty() {
            return;
        }
        if let Err(message) = self.read_object(text) {
            self.ready
                .push_back(Err(Error::line(&self.input, self.line, message)));
        }
    }

    fn read_object(&mut self, text: &str) -> std::result::Result<(), String> {
        let value: Value = serde_json::from_str(text)
            .map_err(|err| format!("invalid json: {}", json_message(&err)))?;
        let Value::Object(object) = &value else {
            return Err(format!("expected a json object, found {}", kind(&value)));
        };
        if object.contains_key("comments") {
            let line: ThreadLine =
                serde_json::from_value(value).map_err(|err| format!("not a thread: {err}"))?;
            let thread = Thread {
                id: line.id.unwrap_or_else(|| format!("line-{}", self.line)),
                title: line.title,
                text: line.text,
                url: line.url,
                author: line.author,
                comments: line
                    .comments
                    .into_iter()
                    .enumerate()
                    .map(|(i, comment)| comment.into_comment(i + 1))
                    .collect(),
            };
            self.flush_group();
            self.ready.push_back(Ok(thread));
            return Ok(());
        }
        let mut line: CommentLine =
            serde_json::from_value(value).map_err(|err| format!("not a comment: {err}"))?;
        let Some(key) = line.thread_key() else {
            self.flush_group();
            let id = line
                .id
                .clone()
                .unwrap_or_else(|| format!("line-{}", self.line));
            let mut thread = thread_with_post(id, line.post.take());
            thread.comments.push(line.into_comment(1));
            self.ready.push_back(Ok(thread));
            return Ok(());
        };
        match &mut self.group {
            Some((current, thread)) if *current == key => {
                let position = thread.comments.len() + 1;
                thread.comments.push(line.into_comment(position));
            }
            _ => {
                self.flush_group();
                let mut thread = thread_with_post(key.clone(), line.post.take());
                if thread.url.is_none() {
                    thread.url = line.page().map(str::to_owned);
                }
                thread.comments.push(line.into_comment(1));
                self.group = Some((key, thread));
            }
        }
        Ok(())
    }

    fn flush_group(&mut self) {
        if let Some((_, thread)) = self.group.take() {
            self.ready.push_back(Ok(thread));
        }
    }
}

fn thread_with_post(id: String, post: Option<Post>) -> Thread {
    let post = post.unwrap_or(Post {
        title: None,
        text: None,
        url: None,
        author: None,
    });
    Thread {
        id,
        title: post.title,
        text: post.text,
        url: post.url,
        author: post.author,
        comments: Vec::new(),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<Thread>;

    fn next(&mut self) -> Option<Self::Item> {
        self.fill();
        self.ready.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(content: &str) -> Vec<std::result::Result<Thread, String>> {
        JsonlReader::new("in.jsonl".into(), content.as_bytes())
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn consecutive_comments_of_a_thread_are_grouped() {
        let threads = read(concat!(
            r#"{"text":"first","thread":"t1","post":{"title":"Post","text":"Body"}}"#,
            "\n",
            r#"{"id":"x","text":"second","thread":"t1","parent":"c1","author":"Badger"}"#,
            "\n",
            "\n",
            r#"{"text":"alone"}"#,
            "\n",
            r#"{"id":7,"text":"numbered"}"#,
            "\n",
        ));
        let threads: Vec<Thread> = threads.into_iter().map(|thread| thread.unwrap()).collect();
        assert_eq!(threads.len(), 3);
        assert_eq!(threads[0].id, "t1");
        assert_eq!(threads[0].title.as_deref(), Some("Post"));
        assert_eq!(threads[0].comments[0].id, "c1");
        assert_eq!(threads[0].comments[1].id, "x");
        assert_eq!(threads[0].comments[1].parent.as_deref(), Some("c1"));
        assert_eq!(threads[1].id, "line-4");
        assert_eq!(threads[1].comments[0].id, "c1");
        assert_eq!(threads[2].id, "7");
    }

    #[test]
    fn a_bad_line_is_reported_and_reading_goes_on() {
        let threads =
            read("{\"text\":\"ok\"}\n{\"text\": 3}\nnot json\n[1]\n{\"text\":\"still read\"}\n");
        assert_eq!(threads.len(), 5);
        assert!(threads[1]
            .as_ref()
            .unwrap_err()
            .starts_with("not a comment"));
        assert!(threads[2].as_ref().unwrap_err().starts_with("invalid json"));
        assert!(threads[3]
            .as_ref()
            .unwrap_err()
            .contains("expected a json object, found an array ("));
        assert_eq!(threads[4].as_ref().unwrap().comments[0].text, "still read");
    }

    #[test]
    fn crawled_comments_group_by_their_thread_key() {
        let threads = read(concat!(
            r#"{"id":1,"text":"a","parent_id":0,"url":"https://blog.example/p1/#comment-1"}"#,
            "\n",
            r#"{"id":2,"text":"b","parent_id":1,"url":"https://blog.example/p1/#comment-2"}"#,
            "\n",
            r#"{"id":3,"text":"c","parent_id":"","url":"https://blog.example/p2/"}"#,
            "\n",
            r#"{"id":4,"text":"d","thread_id":"t9","url":"https://blog.example/p3/"}"#,
            "\n",
            r#"{"id":5,"text":"e","link_id":"t3_q"}"#,
            "\n",
            r#"{"id":6,"text":"f","link_id":"t3_q","parent_id":"5"}"#,
            "\n",
        ));
        let threads: Vec<Thread> = threads.into_iter().map(|thread| thread.unwrap()).collect();
        let shape: Vec<(&str, usize)> = threads
            .iter()
            .map(|t| (t.id.as_str(), t.comments.len()))
            .collect();
        assert_eq!(
            shape,
            [
                ("https://blog.example/p1/", 2),
                ("https://blog.example/p2/", 1),
                ("t9", 1),
                ("t3_q", 2)
            ]
        );
        assert_eq!(threads[0].url.as_deref(), Some("https://blog.example/p1/"));
        assert_eq!(threads[0].comments[0].parent, None);
        assert_eq!(threads[0].comments[1].parent.as_deref(), Some("1"));
        assert_eq!(threads[1].comments[0].parent, None);
        assert_eq!(threads[3].comments[1].parent.as_deref(), Some("5"));
    }

    #[test]
    fn json_errors_name_the_line_not_serdes_column() {
        let threads = read("{\"text\":\"ok\"}\n{\"text\": \"cut\n");
        let err = threads[1].as_ref().unwrap_err();
        assert!(err.starts_with("invalid json: "), "{err}");
        assert!(err.ends_with(" (in.jsonl:2)"), "{err}");
        assert!(!err.contains("column"), "{err}");
    }

    #[test]
    fn thread_lines_round_trip_through_the_writer() {
        let thread = Thread {
            id: "t9".into(),
            title: Some("T".into()),
            comments: vec![Comment {
                id: "c1".into(),
                text: "hi".into(),
                status: CommentStatus::Spam,
                ..Comment::default()
            }],
            ..Thread::default()
        };
        let mut out = Vec::new();
        write_jsonl(&mut out, &thread).unwrap();
        assert!(out.ends_with(b"}\n") && out.iter().filter(|&&b| b == b'\n').count() == 1);
        let back = read(std::str::from_utf8(&out).unwrap());
        assert_eq!(back, vec![Ok(thread)]);
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let threads: Vec<_> =
            JsonlReader::new("x".into(), &b"{\"text\":\"a\"}\n{\"text\":\"\xff\"}\n"[..])
                .map(|r| r.map_err(|e| e.to_string()))
                .collect();
        assert_eq!(threads[1], Err("invalid utf-8 at byte 22 (x:2)".into()));
    }
}
